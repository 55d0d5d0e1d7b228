package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDataSaveAndLoad saves a CSV file as .agglo, loads it with --data and
// gets the same answers; an existing file is kept without --force.
func TestDataSaveAndLoad(t *testing.T) {
	src := testData + "china2019/province_2019_long.csv"
	out := filepath.Join(t.TempDir(), "p.agglo")
	code, _, errs := run(t, "--data", src, "data", "save", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	_, fromCSV, _ := run(t, "--data", src, "data", "show", "110000", "--format", "json")
	code, fromBin, errs := run(t, "--data", out, "data", "show", "110000", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if fromCSV != fromBin || !strings.Contains(fromBin, "rd_expenditure") {
		t.Errorf("data show differs:\n%.300s\n%.300s", fromCSV, fromBin)
	}
	code, _, errs = run(t, "data", "validate", out, "--lang", "en")
	if code != 0 {
		t.Errorf("validate .agglo: exit %d: %s", code, errs)
	}
	// No overwrite without --force; the message names the file and the flag.
	before, _ := os.ReadFile(out)
	code, _, errs = run(t, "--data", src, "data", "save", out, "--lang", "en")
	if code != exitUsage || !strings.Contains(errs, "exists; use --force to overwrite it") {
		t.Errorf("overwrite: exit %d: %s", code, errs)
	}
	if after, _ := os.ReadFile(out); string(after) != string(before) {
		t.Error("the file changed")
	}
	if code, _, errs = run(t, "--data", src, "data", "save", out, "--force"); code != 0 {
		t.Errorf("--force: exit %d: %s", code, errs)
	}
	if code, _, errs = run(t, "data", "save", filepath.Join(t.TempDir(), "x.csv"), "--lang", "en"); code != exitUsage || !strings.Contains(errs, ".agglo") {
		t.Errorf("wrong extension: exit %d: %s", code, errs)
	}
	// A damaged file is an error naming it, not a crash.
	bad := filepath.Join(t.TempDir(), "bad.agglo")
	_ = os.WriteFile(bad, []byte("\x89AGGLO\r\n\x01\x00\x00\x00\x00\x00\x00\x00garbage"), 0o644)
	if code, _, errs = run(t, "--data", bad, "data", "list", "--lang", "en"); code == 0 || !strings.Contains(errs, "bad.agglo") || !strings.Contains(errs, "damaged") {
		t.Errorf("damaged: exit %d: %s", code, errs)
	}
}

// TestReadFlags: --max-rows lowers the row limit of --data files; a
// non-positive value is a usage error.
func TestReadFlags(t *testing.T) {
	src := testData + "china2019/province_2019_long.csv"
	code, _, errs := run(t, "--data", src, "--max-rows", "10", "data", "list", "--lang", "en")
	if code != exitInvalid || !strings.Contains(errs, "--max-rows") {
		t.Errorf("exit %d: %s", code, errs)
	}
	code, _, errs = run(t, "--max-cells", "0", "data", "list", "--lang", "en")
	if code != exitUsage || !strings.Contains(errs, "--max-cells") {
		t.Errorf("exit %d: %s", code, errs)
	}
}
