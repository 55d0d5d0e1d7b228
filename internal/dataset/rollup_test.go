package dataset

import (
	"context"
	"math"
	"slices"
	"testing"
)

// TestRollUp rolls the 2019 province file (testdata/china2019,
// huhuaping/techme) up to agglomerations by the declared rules. Expected
// values by hand from the file's rows:
//
//	BTH foreign share of R&D = (76534 + 879 + 99) 万元 / (2233.6 + 463 + 566.7) 亿元
//	                         = 77512 / 32633000 × 100 = 0.2375264% (京, 津, 冀)
//	PRD                      = 4384 / 30985000 × 100 = 0.0141488% (广东)
//	YRD                      = (114586 + 6018 + 3368 + 5134) / (1524.6 + 2779.5 + 1669.8 + 754) 亿元
//	                         = 129106 / 67279000 × 100 = 0.1918964%
//	BTH R&D personnel (FTE)  = 313986 + 92502 + 111799 = 518287 人年
//	BTH technology bought over sold = (32237824 + 4615189 + 5835794) / (56952843 + 9092549 + 3811904)
//	                         = 42688807 / 69857296 = 0.6110859
func TestRollUp(t *testing.T) {
	reg, err := LoadRegistry()
	if err != nil {
		t.Fatal(err)
	}
	cat, err := LoadCatalogue()
	if err != nil {
		t.Fatal(err)
	}
	ds, err := ReadFile("../../testdata/china2019/province_2019_long.csv", ReadOptions{Registry: reg, Catalogue: cat})
	if err != nil {
		t.Fatal(err)
	}
	members := func(code string) []Member {
		a, _ := reg.Agglomeration(code)
		return a.ProvinceMembers
	}
	cases := []struct {
		agg, ind string
		want     float64
		covered  int
	}{
		{"BTH", "foreign_rd_share", 0.2375264, 3},
		{"PRD", "foreign_rd_share", 0.0141488, 1},
		{"YRD", "foreign_rd_share", 0.1918964, 4},
		{"BTH", "rd_personnel_fte", 518287, 3},
		{"BTH", "tech_market_balance", 0.6110859, 3},
	}
	for _, c := range cases {
		r, ok := ds.RollUp(members(c.agg), c.ind, 2019, false)
		if !ok || math.Abs(r.Value-c.want) > 1e-6*math.Max(1, c.want) || len(r.Covered) != c.covered || len(r.Missing) != 0 {
			t.Errorf("%s %s = %v (ok %v, covered %v, missing %v), want %v", c.agg, c.ind, r.Value, ok, r.Covered, r.Missing, c.want)
		}
	}
	// YRD's Jiangsu, Zhejiang and Anhui are only partly inside: counted
	// whole and listed, or left out on request (Shanghai alone remains:
	// 114586 / 15246000 × 100 = 0.7515807%).
	r, _ := ds.RollUp(members("YRD"), "foreign_rd_share", 2019, false)
	if !slices.Equal(r.Partial, []string{"320000", "330000", "340000"}) {
		t.Errorf("YRD partial provinces %v", r.Partial)
	}
	r, ok := ds.RollUp(members("YRD"), "foreign_rd_share", 2019, true)
	if !ok || math.Abs(r.Value-0.7515807) > 1e-6 || r.Members != 1 {
		t.Errorf("YRD without partial members = %v over %d", r.Value, r.Members)
	}
	// No rule: index scores. Members without data are reported: of CC's 16
	// member cities only Chongqing, a municipality, has province-level R&D
	// data.
	if _, ok := ds.RollUp(members("BTH"), "cric_composite", 2019, false); ok {
		t.Error("an index score was rolled up")
	}
	if NoRollupReason("cric_composite").ZH == "" {
		t.Error("no reason for not rolling up an index")
	}
	cc, _ := reg.Agglomeration("CC")
	if r, ok := ds.RollUp(cc.Members, "rd_expenditure", 2019, false); !ok || !slices.Equal(r.Covered, []string{"500000"}) || len(r.Missing) != 15 || r.Coverage() != 1.0/16 {
		t.Errorf("city members without data: ok %v covered %v missing %d", ok, r.Covered, len(r.Missing))
	}
	rules, err := RollupRules()
	if err != nil {
		t.Fatal(err)
	}
	// Rules name catalogue indicators or those the built-in data sets add
	// (the province panel's, named by the importer).
	var e Embedded
	builtin := map[string]bool{}
	for _, src := range BuiltinSources() {
		if src.File == "" {
			continue
		}
		b, err := e.Builtin(context.Background(), src.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, ind := range b.Indicators {
			builtin[ind.Code] = true
		}
	}
	for code, rule := range rules {
		for _, c := range []string{code, rule.Numerator, rule.Denominator} {
			if _, known := cat.Lookup(c); c != "" && !known && !builtin[c] {
				t.Errorf("roll-up rule %s names %s, neither in the catalogue nor in a built-in data set", code, c)
			}
		}
	}
}
