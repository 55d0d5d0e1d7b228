package cli

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"agglo/internal/i18n"
)

// Every command that writes a file refuses to replace an existing one
// without --force, with the same message, exit 2 and no pointer to --help,
// and leaves the file as it was; with --force it writes.
func TestOutputNeverOverwritesWithoutForce(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		name string
		args []string
	}{
		{"report.html", []string{"report"}},
		{"report.docx", []string{"report"}},
		{"report.xlsx", []string{"report"}},
		{"data.csv", []string{"data", "export"}},
		{"rules.yaml", []string{"rules", "default"}},
		{"bench.csv", []string{"bench", "generate", "--regions", "3", "--indicators", "2", "--years", "1"}},
		{"index.xlsx", []string{"index", "--format", "xlsx"}},
		{"measure.xlsx", []string{"measure", "gini", "--indicator", "cric_composite", "--format", "xlsx"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(dir, c.name)
			if err := os.WriteFile(path, []byte("keep"), 0o644); err != nil {
				t.Fatal(err)
			}
			for _, lang := range []string{"zh", "en"} {
				args := append(append([]string(nil), c.args...), "-o", path, "--lang", lang)
				code, _, errs := run(t, args...)
				want := map[string]string{"zh": "已存在；加 --force 覆盖", "en": "exists; use --force to overwrite it"}[lang]
				if code != exitUsage || !strings.Contains(errs, want) || strings.Contains(errs, "--help") {
					t.Errorf("%v: exit %d, stderr %q; want exit 2 and %q", args, code, errs, want)
				}
			}
			if b, _ := os.ReadFile(path); string(b) != "keep" {
				t.Fatalf("%v changed the existing file without --force", c.args)
			}
			args := append(append([]string(nil), c.args...), "-o", path, "--force")
			if code, _, errs := run(t, args...); code != 0 {
				t.Fatalf("%v: exit %d: %s", args, code, errs)
			}
			if b, _ := os.ReadFile(path); string(b) == "keep" {
				t.Errorf("%v --force did not write the file", c.args)
			}
			if left, _ := filepath.Glob(filepath.Join(dir, ".*tmp*")); len(left) > 0 {
				t.Errorf("temporary files left: %v", left)
			}
		})
	}
}

// A failed write leaves neither the file nor a temporary file behind.
func TestWriteFileAtomicFailure(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "x.csv")
	err := writeFileAtomic(path, false, func(w io.Writer) error {
		_, _ = w.Write([]byte("half"))
		return os.ErrInvalid
	})
	if err == nil {
		t.Fatal("no error")
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("left behind: %v", entries)
	}
	// The message names the file in the user's language and keeps the cause.
	if !errors.Is(err, os.ErrInvalid) || !strings.HasPrefix(i18n.Message(err, i18n.ZH), "写入 "+path+" 失败：") || !strings.HasPrefix(i18n.Message(err, i18n.EN), "write "+path+": ") {
		t.Errorf("error %q / %q", i18n.Message(err, i18n.ZH), i18n.Message(err, i18n.EN))
	}
	// A written file is readable by others, like any document (a report is
	// meant to be shared), although a temporary file starts private.
	if err := writeFileAtomic(path, false, func(w io.Writer) error { _, err := w.Write([]byte("x")); return err }); err != nil {
		t.Fatal(err)
	}
	if st, err := os.Stat(path); err != nil {
		t.Fatal(err)
	} else if st.Mode().Perm() != 0o644 {
		t.Errorf("mode %v, want 0644", st.Mode().Perm())
	}
}
