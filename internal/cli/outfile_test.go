package cli

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Every command that writes -o refuses an existing file without --force,
// with one message and no pointer to --help, and leaves the file as it was.
func TestOutputExistsSameMessage(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		name string
		args []string
	}{
		{"export.csv", []string{"data", "export"}},
		{"index.xlsx", []string{"index"}},
		{"gini.xlsx", []string{"measure", "gini", "--indicator", "cric_composite"}},
	} {
		path := filepath.Join(dir, c.name)
		if err := os.WriteFile(path, []byte("keep"), 0o644); err != nil {
			t.Fatal(err)
		}
		for lang, want := range map[string]string{"zh": "文件 " + path + " 已存在；加 --force 覆盖", "en": path + " exists; use --force to overwrite it"} {
			args := append(append([]string{}, c.args...), "-o", path, "--lang", lang)
			code, _, errs := run(t, args...)
			if code != exitUsage {
				t.Errorf("%v: exit %d, want %d", args, code, exitUsage)
			}
			if strings.TrimSpace(errs) != want {
				t.Errorf("%v: stderr %q, want %q", args, errs, want)
			}
			if b, _ := os.ReadFile(path); string(b) != "keep" {
				t.Errorf("%v: the existing file changed", args)
			}
		}
		args := append(append([]string{}, c.args...), "-o", path, "--force")
		if code, _, errs := run(t, args...); code != exitOK {
			t.Errorf("%v: exit %d: %s", args, code, errs)
		}
		if b, _ := os.ReadFile(path); string(b) == "keep" {
			t.Errorf("%v: --force did not replace the file", args)
		}
		left, _ := filepath.Glob(filepath.Join(dir, ".*tmp*"))
		if len(left) > 0 {
			t.Errorf("temporary files left: %v", left)
		}
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
}
