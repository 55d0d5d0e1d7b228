package analysis

import (
	"math"
	"slices"
	"testing"

	"agglo/internal/dataset"
)

// Profiles on the paper's data. Hand calculation from the paper's Table 3
// (composites of the member provinces) and Tables 1-2:
//
//	BTH composite = (53.22 + 28.83 + 21.86)/3 = 34.6367
//	YRD = (45.63 + 49.58 + 38.8 + 28.7)/4 = 40.6775
//	MYR = (29.21 + 26.82 + 23.31)/3 = 26.4467; PRD = 59.49 (Guangdong)
//	CC = (28.03 + 30.87)/2 = 29.45
//	benchmark = (34.6367 + 40.6775 + 26.4467 + 59.49 + 29.45)/5 = 38.1402
//	patents per R&D expenditure (Table 2): mean of 0.10, 0.23, 0.10, 0.42,
//	0.16 = 0.202; PRD 0.42 is 207.9% of it, BTH 0.10 is 49.5%.
func TestProfilePaperData(t *testing.T) {
	ds, err := PaperData()
	if err != nil {
		t.Fatal(err)
	}
	p, err := Profile(ds, ProfileRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if !p.FiveGroup || len(p.Agglomerations) != 5 || p.RankIndicator != "cric_composite" {
		t.Fatalf("five group %v, %d profiles, rank indicator %s", p.FiveGroup, len(p.Agglomerations), p.RankIndicator)
	}
	if want := []string{"PRD", "YRD", "BTH", "CC", "MYR"}; !slices.Equal(p.Ranking, want) {
		t.Errorf("ranking %v, want %v", p.Ranking, want)
	}
	byCode := map[string]AgglomerationProfile{}
	for _, a := range p.Agglomerations {
		byCode[a.Code] = a
	}
	for _, c := range []struct {
		agg, ind          string
		value, bench, rel float64
		src               string
		rank              int
	}{
		{"BTH", "cric_composite", 34.6367, 38.1402, 90.814, ProfileMemberMean, 3},
		{"PRD", "cric_composite", 59.49, 38.1402, 155.977, ProfileMemberMean, 1},
		{"PRD", "patents_per_rd_expenditure", 0.42, 0.202, 207.92, ProfileOwn, 1},
		{"BTH", "patents_per_rd_expenditure", 0.10, 0.202, 49.50, ProfileOwn, 4},
		{"PRD", "population_density", 1163.6, (525.6 + 707.5 + 398.7 + 1163.6 + 540.5) / 5, 100 * 1163.6 / 667.18, ProfileOwn, 1},
	} {
		v, ok := byCode[c.agg].Value(c.ind)
		if !ok {
			t.Errorf("%s has no %s", c.agg, c.ind)
			continue
		}
		if math.Abs(float64(v.Value)-c.value) > 5e-4 || math.Abs(float64(v.Benchmark)-c.bench) > 5e-4 || math.Abs(float64(v.Relative)-c.rel) > 5e-3 {
			t.Errorf("%s %s: value %g, benchmark %g, relative %g; want %g, %g, %g", c.agg, c.ind, v.Value, v.Benchmark, v.Relative, c.value, c.bench, c.rel)
		}
		if v.Source != c.src || v.Rank != c.rank || v.Of != 5 {
			t.Errorf("%s %s: source %s rank %d of %d; want %s, %d of 5", c.agg, c.ind, v.Source, v.Rank, v.Of, c.src, c.rank)
		}
	}
	// Totals (population, GDP) are not key indicators; the strengths are
	// above the benchmark and the weaknesses below it.
	for _, ind := range p.Indicators {
		if ind == "population" || ind == "gdp" || ind == "area" {
			t.Errorf("total %s taken as a key indicator", ind)
		}
	}
	for _, a := range p.Agglomerations {
		for _, s := range a.Strengths {
			if v, _ := a.Value(s); v.Score <= 0 {
				t.Errorf("%s strength %s has score %g", a.Code, s, v.Score)
			}
		}
		for _, w := range a.Weaknesses {
			if v, _ := a.Value(w); v.Score >= 0 {
				t.Errorf("%s weakness %s has score %g", a.Code, w, v.Score)
			}
		}
	}
	if got := byCode["PRD"].Strengths; len(got) == 0 || got[0] != "patents_per_rd_expenditure" {
		t.Errorf("PRD's first strength %v, want patents_per_rd_expenditure (207.9%% of the average)", got)
	}
}

// A province panel over several years gives trends; the growth is the
// compound annual rate (hand calculation in the case).
func TestProfileTrends(t *testing.T) {
	reg, err := dataset.LoadRegistry()
	if err != nil {
		t.Fatal(err)
	}
	cat, err := dataset.LoadCatalogue()
	if err != nil {
		t.Fatal(err)
	}
	ds, err := dataset.ReadFile("../../testdata/china_panel/province_st_techme_2010_2023.csv", dataset.ReadOptions{Registry: reg, Catalogue: cat})
	if err != nil {
		t.Fatal(err)
	}
	p, err := Profile(ds, ProfileRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Agglomerations) == 0 {
		t.Fatalf("no profile on a province panel (indicators %v)", p.Indicators)
	}
	found := false
	for _, a := range p.Agglomerations {
		for _, tr := range a.Trends {
			found = true
			f, l := tr.Points[0], tr.Points[len(tr.Points)-1]
			want := math.Pow(float64(l.Value)/float64(f.Value), 1/float64(l.Year-f.Year)) - 1
			if math.Abs(float64(tr.AnnualGrowth)-want) > 1e-12 || l.Year <= f.Year {
				t.Errorf("%s %s growth %g, want %g", a.Code, tr.Indicator, tr.AnnualGrowth, want)
			}
		}
	}
	if !found {
		t.Error("no trend on a panel of 2010-2023")
	}
}

// RankAmong on the paper's Table 1: GDP per capita 2019 (万元/人) BTH 7.49,
// YRD 13.13, PRD 13.58, MYR 7.23, CC 6.51, so PRD ranks 1, YRD 2, BTH 3,
// MYR 4, CC 5 of 5; among YRD and MYR alone YRD is 1 of 2. A region
// without the value has rank 0 of 0.
func TestRankAmongPaperTable1(t *testing.T) {
	ds, err := PaperData()
	if err != nil {
		t.Fatal(err)
	}
	ind, ok := ds.Indicator("gdp_per_capita")
	if !ok {
		t.Fatal("no gdp_per_capita")
	}
	five := []string{"BTH", "YRD", "PRD", "MYR", "CC"}
	for _, c := range []struct {
		code     string
		peers    []string
		rank, of int
	}{
		{"PRD", five, 1, 5}, {"YRD", five, 2, 5}, {"BTH", five, 3, 5}, {"MYR", five, 4, 5}, {"CC", five, 5, 5},
		{"YRD", []string{"YRD", "MYR"}, 1, 2}, {"SDP", five, 0, 0},
	} {
		if r, of := RankAmong(ds, c.code, c.peers, ind, 2019); r != c.rank || of != c.of {
			t.Errorf("%s: rank %d of %d, want %d of %d", c.code, r, of, c.rank, c.of)
		}
	}
}
