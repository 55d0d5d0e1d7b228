package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func runReportCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Main(context.Background(), args, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

func TestReportCommandFormats(t *testing.T) {
	dir := t.TempDir()
	cases := []struct {
		args []string
		file string
		want string
	}{
		{[]string{"report", "-o", filepath.Join(dir, "r.html")}, "r.html", `<html lang="zh" data-lang="zh">`},
		{[]string{"report", "--lang", "en", "-o", filepath.Join(dir, "en.html")}, "en.html", `<html lang="en" data-lang="en">`},
		{[]string{"report", "--format", "md", "-o", filepath.Join(dir, "report.md")}, "report.md", "| 珠三角 | 1,163.6 | 13.58 |"},
		{[]string{"report", "-o", filepath.Join(dir, "x.md"), "--lang", "en"}, "x.md", "| Pearl River Delta | 1,163.6 | 13.58 |"},
		{[]string{"report", "-o", filepath.Join(dir, "r.docx")}, "r.docx", "word/document.xml"},
		{[]string{"report", "--format", "word", "-o", filepath.Join(dir, "w.out")}, "w.out", "word/document.xml"},
		{[]string{"report", "-o", filepath.Join(dir, "r.json")}, "r.json", `"id": "table1"`},
	}
	for _, c := range cases {
		code, _, stderr := runReportCLI(t, c.args...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", c.args, code, stderr)
		}
		b, err := os.ReadFile(filepath.Join(dir, c.file))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(b), c.want) {
			t.Errorf("%v: %s lacks %q", c.args, c.file, c.want)
		}
		if st, _ := os.Stat(filepath.Join(dir, c.file)); st.Mode().Perm()&0o044 != 0o044 {
			t.Errorf("%s is not readable by others: %v", c.file, st.Mode())
		}
	}
}

func TestReportCommandStdoutJSON(t *testing.T) {
	code, out, stderr := runReportCLI(t, "report", "--format", "json", "-o", "-")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var v struct {
		Sections []struct{ ID string } `json:"sections"`
		Verdict  struct{ Total int }   `json:"verdict"`
	}
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatal(err)
	}
	if len(v.Sections) < 7 || v.Sections[0].ID != "summary" || v.Verdict.Total == 0 {
		t.Errorf("JSON report has %d sections and %d claims", len(v.Sections), v.Verdict.Total)
	}
}

func TestReportCommandDefaultFile(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	if code, _, stderr := runReportCLI(t, "report"); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "report.html")); err != nil {
		t.Fatalf("agglo report did not write report.html: %v", err)
	}
}

func TestReportCommandBadFormat(t *testing.T) {
	code, _, stderr := runReportCLI(t, "report", "--format", "pdf", "-o", filepath.Join(t.TempDir(), "r.pdf"))
	if code != exitUsage || !strings.Contains(stderr, "--format") {
		t.Errorf("exit %d, stderr %q; want a usage error naming --format", code, stderr)
	}
}
