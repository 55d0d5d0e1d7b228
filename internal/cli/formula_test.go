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
