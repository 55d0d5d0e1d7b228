package cli

import (
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// CSV written by the command line neutralises text cells a spreadsheet
// would evaluate as formulas (OWASP, "CSV Injection"): agglo data export,
// and every --format csv table.
func TestCSVOutputNeutralisesFormulas(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "=1+1.csv")
	file := "unit,year,score\n=1+1,2020,-3.5\n+SUM(A1),2020,2\n-2+3,2020,4\n@A1,2020,5\nAlpha,2020,6\n"
	if err := os.WriteFile(in, []byte(file), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs := run(t, "data", "export", "--data", in, "-o", "-", "--format", "csv")
	if code != 0 {
		t.Fatalf("data export: exit %d: %s", code, errs)
	}
	check := func(what, out string, numeric map[string]bool) {
		t.Helper()
		recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(out, "\ufeff"))).ReadAll()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		for i, rec := range recs {
			for j, c := range rec {
				if c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) && !numeric[c] {
					t.Errorf("%s row %d column %d: formula cell %q", what, i+1, j+1, c)
				}
			}
		}
		if !strings.Contains(out, "'=1+1") {
			t.Errorf("%s lacks the neutralised '=1+1: %.300q", what, out)
		}
	}
	check("data export", out, map[string]bool{"-3.5": true})
	if !bytes.Contains([]byte(out), []byte(",-3.5,")) {
		t.Errorf("the negative value is not written as a number: %.300q", out)
	}
	// Every --format csv table goes through table.writeCSV.
	var buf bytes.Buffer
	tb := &table{header: []string{"unit", "value"}, rows: [][]string{{"=1+1", "-3.5"}, {"@A1", "—"}}}
	if err := tb.writeCSV(&buf); err != nil {
		t.Fatal(err)
	}
	check("a --format csv table", buf.String(), map[string]bool{"-3.5": true})
}

// A file agglo data export wrote imports back with the original text of
// its neutralised cells (region names, indicator names, the source with
// the file name =1+1.csv): exporting it again gives the same cells, and a
// user's own quote ('abc) is kept.
func TestDataExportRoundTripKeepsFormulaText(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "=1+1.csv")
	file := "unit,year,=score,@at\n=1+1,2020,-3.5,1\n+SUM(A1),2020,2,2\n-2+3,2020,4,3\n@A1,2020,5,4\n'abc,2020,6,5\n"
	if err := os.WriteFile(in, []byte(file), 0o644); err != nil {
		t.Fatal(err)
	}
	exported := filepath.Join(dir, "export.csv")
	if code, _, errs := run(t, "data", "export", "--data-only", "--data", in, "-o", exported); code != 0 {
		t.Fatalf("data export: exit %d: %s", code, errs)
	}
	code, out, errs := run(t, "data", "export", "--data-only", "--data", exported, "-o", "-", "--format", "csv")
	if code != 0 {
		t.Fatalf("export of the export: exit %d: %s", code, errs)
	}
	first, err := os.ReadFile(exported)
	if err != nil {
		t.Fatal(err)
	}
	read := func(b string) [][]string {
		recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(b, "\ufeff"))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		return recs
	}
	a, b := read(string(first)), read(out)
	if len(a) != 11 || len(b) != len(a) {
		t.Fatalf("%d and %d records", len(a), len(b))
	}
	for i := range a {
		// region code, names, level, indicator code and names, unit, year, value
		if strings.Join(a[i][:10], "|") != strings.Join(b[i][:10], "|") {
			t.Errorf("record %d: %q, want %q", i, b[i][:10], a[i][:10])
		}
		if i > 0 && !strings.HasSuffix(b[i][11], " · "+strings.TrimPrefix(a[i][11], "'")) {
			t.Errorf("record %d: source %q, want it to end with %q unquoted", i, b[i][11], a[i][11])
		}
	}
	if !strings.Contains(out, " · =1+1.csv R2C3") {
		t.Errorf("the source lost the file name: %.400q", out)
	}
	code, list, errs := run(t, "data", "list", "--data-only", "--data", exported, "--format", "json")
	if code != 0 {
		t.Fatalf("data list: exit %d: %s", code, errs)
	}
	for _, name := range []string{`"=1+1"`, `"+SUM(A1)"`, `"-2+3"`, `"@A1"`, `"'abc"`} {
		if !strings.Contains(list, name) {
			t.Errorf("data list of the export lacks the region %s: %.400s", name, list)
		}
	}
}
