package report

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

	"agglo/internal/i18n"
)

// freeFile is the synthetic free units of testdata/SOURCE.md.
const freeFile = "../../testdata/synthetic/free_units_30x6x3.csv"

// userNames are names of the data, not text of the report: the codes of
// the synthetic file's units and indicators, the census file's own
// indicator names (its column headers) and the files' names.
var userNames = regexp.MustCompile(`SYN-\d{4}|syn_\d{3}|popu_urban|free_units_30x6x3\.csv`)

// The national picture in Markdown and Word shows no identifier or English
// label in Chinese and no Chinese in English, on the census of the cities
// and on free units (the names of the data are taken out before the scan:
// see userNames).
func TestNationalLanguage(t *testing.T) {
	checkPartLanguage(t, "national", 1500, userNames, censusFile, freeFile)
}

// The report of free units is the national picture and the structure,
// without the paper's sections, its verdict or its citation, and says why.
func TestFreeUnitsReport(t *testing.T) {
	r := buildFile(t, freeFile, i18n.ZH)
	var ids []string
	for _, s := range r.Sections {
		ids = append(ids, s.ID)
	}
	if strings.Join(ids, ",") != "national,structure,provenance" {
		t.Errorf("sections %v, want national, structure, provenance", ids)
	}
	if len(r.Claims) != 0 {
		t.Errorf("%d claims of the paper in a report of free units", len(r.Claims))
	}
	said := false
	for _, b := range section(t, r, "national").Blocks {
		if p, ok := b.(*Paragraph); ok && strings.Contains(p.Text.ZH, "自由单元") && strings.Contains(p.Text.EN, "free units") {
			said = true
		}
	}
	if !said {
		t.Error("the report does not say that free units belong to no agglomeration")
	}
	var md bytes.Buffer
	if err := r.WriteMarkdown(&md); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(md.String(), "张秋凤") {
		t.Error("a report of free units cites the paper")
	}
}

// Without coordinates the index is drawn against the rank; the chart's
// data in the XLSX and Markdown exports have a row per ranked unit with
// its rank (the synthetic file has 30 units, testdata/SOURCE.md), not the
// empty table of a chart without categories.
func TestRankedChartData(t *testing.T) {
	r := buildFile(t, freeFile, i18n.ZH)
	c, ok := blockByID(section(t, r, "national"), "national-ranked").(*Chart)
	if !ok {
		t.Fatal("no ranked chart for units without coordinates")
	}
	rows := chartRows(c, i18n.ZH)
	if len(rows) != 1+30 {
		t.Fatalf("%d rows of the chart's data, want a header and 30 units", len(rows))
	}
	if rows[0][0] != "位次" || rows[1][0] != 1.0 || rows[30][0] != 30.0 {
		t.Errorf("first column %v, %v … %v; want 位次, 1 … 30", rows[0][0], rows[1][0], rows[30][0])
	}
	var md bytes.Buffer
	if err := r.WriteMarkdown(&md); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(md.String(), "| 位次 | 综合指数 |") || !strings.Contains(md.String(), "\n| 30 | ") {
		t.Error("the Markdown lacks the ranked chart's data by rank")
	}
}
