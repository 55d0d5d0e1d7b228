package analysis

import (
	"context"
	"math"
	"strings"
	"testing"

	"agglo/internal/composite"
	"agglo/internal/i18n"
)

// ioTable is the io framework's table for three units with no values of
// three of the four input indicators (as province yearbook data may lack
// them in a year).
func ioTable(t *testing.T) (*composite.Framework, *composite.Data) {
	t.Helper()
	fw, err := composite.Builtin("io")
	if err != nil {
		t.Fatal(err)
	}
	nan := math.NaN()
	d := &composite.Data{Indicators: []string{"rd_personnel", "rd_institutions", "rd_projects", "rd_expenditure", "patent_applications", "patent_grants", "invention_grants"}}
	for i, c := range []string{"A", "B", "C"} {
		d.Units = append(d.Units, composite.Unit{Code: c, Name: c})
		f := float64(i + 1)
		d.Values = append(d.Values, []float64{nan, nan, nan, 10 * f, 5 * f * f, 3 * f, f})
	}
	return fw, d
}

func TestCoverageNotesReportThinPillar(t *testing.T) {
	fw, d := ioTable(t)
	notes := coverageNotes(fw, d, 2019)
	if len(notes) != 1 {
		t.Fatalf("%d notes: %v", len(notes), notes)
	}
	for lang, want := range map[string]string{
		i18n.ZH: "“创新投入”的 4 个指标中有 3 个在 2019 年没有数据（R&D人员、R&D机构、R&D项目），该项只由 R&D经费 构成。",
		i18n.EN: "3 of the 4 indicators of “Innovation input” have no data in 2019 (R&D personnel, R&D institutions, R&D projects), so it is built from R&D expenditure alone.",
	} {
		if got := notes[0].In(lang); got != want {
			t.Errorf("%s:\n got %s\nwant %s", lang, got, want)
		}
	}
	full := &composite.Data{Indicators: d.Indicators, Units: d.Units, Values: [][]float64{{1, 2, 3, 4, 5, 6, 7}, {2, 3, 4, 5, 6, 7, 8}}}
	if n := coverageNotes(fw, full, 2019); n != nil {
		t.Errorf("notes on complete data: %v", n)
	}
}

// Entropy weights on an indicator without values explain, naming the
// indicator, that each indicator needs values in at least two regions.
func TestEntropyErrorNamesIndicator(t *testing.T) {
	fw, d := ioTable(t)
	steps := fw.Steps
	over, err := ParseOverrides(OverrideText{Weights: "entropy"})
	if err != nil {
		t.Fatal(err)
	}
	s := over.Apply(steps, fw.NumLevels())
	_, err = composite.Build(context.Background(), fw, d, composite.Options{Steps: &s})
	if err == nil {
		t.Fatal("no error")
	}
	zh, en := i18n.Message(err, i18n.ZH), i18n.Message(err, i18n.EN)
	for _, want := range []string{"创新投入", "指标“R&D人员”只有 0 个地区有数值", "每个指标至少需要 2 个地区有数值"} {
		if !strings.Contains(zh, want) {
			t.Errorf("zh lacks %q: %s", want, zh)
		}
	}
	if !strings.Contains(en, "indicator “R&D personnel” has values for 0") || strings.Contains(zh, "个单元") || strings.Contains(zh, "io_input") {
		t.Errorf("en: %s\nzh: %s", en, zh)
	}
}
