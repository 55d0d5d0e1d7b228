package dataset

import (
	"bytes"
	"encoding/csv"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"agglo/internal/i18n"
)

// formulaFile is a wide file of free units whose region names, indicator
// names and file name begin with the characters a spreadsheet reads as a
// formula (OWASP, "CSV Injection"): the CSV export neutralises them with
// a quote, and the export must import back with the original text.
const formulaFile = "unit,year,=score,+gdp,-loss,@at\n" +
	"=1+1,2020,-3.5,1,2,3\n" +
	"+SUM(A1),2020,2,2,2,2\n" +
	"-2+3,2020,4,3,2,1\n" +
	"@A1,2020,5,4,3,2\n" +
	"'abc,2020,6,5,4,3\n" +
	"Alpha,2020,7,6,5,4\n"

// exportRecords writes ds as agglo data export does and reads the CSV
// back as records, header first.
func exportRecords(t *testing.T, ds *Dataset) ([]byte, [][]string) {
	t.Helper()
	var buf bytes.Buffer
	if err := ds.WriteCSV(&buf); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(buf.Bytes(), []byte("\ufeff")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), recs
}

func TestCSVExportRoundTripKeepsFormulaText(t *testing.T) {
	orig, err := Read(strings.NewReader(formulaFile), "=1+1.csv", CSV, testOpts(t))
	if err != nil {
		t.Fatal(i18n.Message(err, "en"))
	}
	// The file is read as written: its quote-free cells are the names.
	var names []string
	for _, r := range orig.Regions {
		names = append(names, r.NameZH)
	}
	if want := []string{"=1+1", "+SUM(A1)", "-2+3", "@A1", "'abc", "Alpha"}; !slices.Equal(names, want) {
		t.Fatalf("regions %q, want %q", names, want)
	}

	file, first := exportRecords(t, orig)
	for _, s := range []string{"'=1+1,", "'+SUM(A1),", "'-2+3,", "'@A1,", "'=score,", "'+gdp,", "'-loss,", "'@at,", "'=1+1.csv R2C3", ",'abc,"} {
		if !bytes.Contains(file, []byte(s)) {
			t.Errorf("the export lacks the neutralised cell %q", s)
		}
	}

	back, err := Read(bytes.NewReader(file), "export.csv", CSV, testOpts(t))
	if err != nil {
		t.Fatal(i18n.Message(err, "en"))
	}
	// Regions, indicators (code, Chinese and English name) and values come
	// back with their original text.
	if len(back.Regions) != len(orig.Regions) {
		t.Fatalf("%d regions back, want %d", len(back.Regions), len(orig.Regions))
	}
	for i, r := range orig.Regions {
		if b := back.Regions[i]; b.Code != r.Code || b.NameZH != r.NameZH {
			t.Errorf("region %d: %q %q, want %q %q", i, b.Code, b.NameZH, r.Code, r.NameZH)
		}
	}
	if len(back.Indicators) != len(orig.Indicators) {
		t.Fatalf("%d indicators back, want %d", len(back.Indicators), len(orig.Indicators))
	}
	for i, ind := range orig.Indicators {
		if b := back.Indicators[i]; b.Code != ind.Code || b.NameZH != ind.NameZH || b.NameEN != ind.NameEN {
			t.Errorf("indicator %d: %q %q %q, want %q %q %q", i, b.Code, b.NameZH, b.NameEN, ind.Code, ind.NameZH, ind.NameEN)
		}
	}
	if back.Len() != orig.Len() {
		t.Fatalf("%d values back, want %d", back.Len(), orig.Len())
	}
	for o := range orig.All() {
		r, ind := orig.Regions[o.Region].Code, orig.Indicators[o.Indicator].Code
		if v, ok := back.Value(r, ind, int(o.Year)); !ok || v != o.Value {
			t.Errorf("%s %s: %v (%v), want %v", r, ind, v, ok, o.Value)
		}
	}
	// Each value's source (the file name =1+1.csv with row and column) is
	// the re-imported value's note, without the quote.
	notes := map[string]bool{}
	for o := range back.All() {
		notes[back.Provenance(o).Note] = true
	}
	for _, want := range []string{"=1+1.csv R2C3", "=1+1.csv R3C4", "=1+1.csv R7C6"} {
		if !notes[want] {
			t.Errorf("no re-imported value notes its source %q (notes: %v)", want, notes)
		}
	}

	// The second export writes the same cells as the first, up to the
	// source, which now names the export too.
	_, second := exportRecords(t, back)
	if len(second) != len(first) {
		t.Fatalf("second export: %d records, want %d", len(second), len(first))
	}
	for i := range first {
		if !slices.Equal(second[i][:10], first[i][:10]) {
			t.Errorf("record %d: %q, want %q", i, second[i][:10], first[i][:10])
		}
		if i > 0 && !strings.HasSuffix(second[i][11], " · "+first[i][11][1:]) {
			t.Errorf("record %d: source %q does not end with the first source %q unquoted", i, second[i][11], first[i][11])
		}
	}
}

// Only a quote before a formula character is agglo's: a user's 'abc or
// '-3 stays, in a long file read by the fast path too; the unit and source
// columns are read the same way; an XLSX cell keeps its quote.
func TestUserQuotesStay(t *testing.T) {
	ds, err := Read(strings.NewReader("region,indicator,year,value,unit,source\n"+
		"'abc,'=score,2020,1,'+pts,'@book\n"+
		"'-3,'=score,2020,2,'+pts,'plain\n"+
		"x'=1,''=quoted,2020,3,,\n"), "t.csv", CSV, testOpts(t))
	if err != nil {
		t.Fatal(i18n.Message(err, "en"))
	}
	var regions, inds, notes []string
	for _, r := range ds.Regions {
		regions = append(regions, r.NameZH)
	}
	for _, ind := range ds.Indicators {
		inds = append(inds, ind.NameZH+" ("+ind.Unit+")")
	}
	for o := range ds.All() {
		notes = append(notes, ds.Provenance(o).Note)
	}
	if want := []string{"'abc", "'-3", "x'=1"}; !slices.Equal(regions, want) {
		t.Errorf("regions %q, want %q", regions, want)
	}
	if want := []string{"=score (+pts)", "'=quoted ()"}; !slices.Equal(inds, want) {
		t.Errorf("indicators %q, want %q", inds, want)
	}
	if want := []string{"@book", "'plain", ""}; !slices.Equal(notes, want) {
		t.Errorf("sources %q, want %q", notes, want)
	}

	f := excelize.NewFile()
	_ = f.SetSheetRow("Sheet1", "A1", &[]any{"unit", "year", "score"})
	_ = f.SetSheetRow("Sheet1", "A2", &[]any{"'=1+1", 2020, 1})
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	x, err := Read(&buf, "t.xlsx", XLSX, testOpts(t))
	if err != nil {
		t.Fatal(i18n.Message(err, "en"))
	}
	if got := x.Regions[0].NameZH; got != "'=1+1" {
		t.Errorf("XLSX region %q, want the cell as written", got)
	}
}

// A neutralised header cell of a CSV file (a wide table agglo wrote with
// an indicator named =score) is read without its quote.
func TestCSVHeaderQuote(t *testing.T) {
	ds, err := Read(strings.NewReader("\ufeffunit,year,'=score,'abc\nAlpha,2020,1,2\n"), "t.csv", CSV, testOpts(t))
	if err != nil {
		t.Fatal(i18n.Message(err, "en"))
	}
	var inds []string
	for _, ind := range ds.Indicators {
		inds = append(inds, ind.NameZH)
	}
	if want := []string{"=score", "'abc"}; !slices.Equal(inds, want) {
		t.Errorf("indicators %q, want %q", inds, want)
	}
}
