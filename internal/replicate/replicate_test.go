package replicate

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"agglo/internal/dataset"
)

func runEmbedded(t *testing.T) map[string]Claim {
	t.Helper()
	ds, err := Dataset()
	if err != nil {
		t.Fatal(err)
	}
	cs, err := Run(ds)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]Claim{}
	for _, c := range cs {
		if _, dup := out[c.ID]; dup {
			t.Errorf("duplicate id %s", c.ID)
		}
		out[c.ID] = c
	}
	return out
}

func TestRequiredIDsPresent(t *testing.T) {
	got := runEmbedded(t)
	ids := []string{"overview.area_total", "overview.population_total", "overview.gdp_total", "overview.area_share", "overview.gdp_share", "fig1.check.yrd_gdp", "table3.weight.residual_max"}
	for _, a := range dataset.AgglomerationCodes() {
		for _, k := range []string{"fig1.population.", "fig1.area.", "fig1.gdp.", "table1.density.", "table1.gdp_per_capita."} {
			ids = append(ids, k+a)
		}
		for _, d := range append([]string{"composite"}, Table3Dimensions()...) {
			ids = append(ids, fmt.Sprintf("table3.mean.%s.%s", d, a), fmt.Sprintf("table3.rank.%s.%s", d, a))
		}
	}
	for _, d := range Table3Dimensions() {
		ids = append(ids, "table3.weight."+d)
	}
	for _, id := range ids {
		c, ok := got[id]
		if !ok {
			t.Errorf("missing %s", id)
			continue
		}
		switch c.Status {
		case Match, Mismatch, PublishedOnly, NotCheckable, Mixed, Constraint:
		default:
			t.Errorf("%s: bad status %q", id, c.Status)
		}
		if c.ClaimZH == "" || c.ClaimEN == "" || c.Source == "" {
			t.Errorf("%s: claim text or source missing", id)
		}
		if c.Status == NotCheckable && c.ReasonEN == "" {
			t.Errorf("%s: not-checkable without a reason", id)
		}
	}
}

func TestPaperNumbers(t *testing.T) {
	got := runEmbedded(t)
	cases := []struct {
		id              string
		published, comp float64
		tol             float64
		status          Status
	}{
		// Section II.1: 99.31 / 960 × 100 = 10.3448 (hand calculation) vs the printed 10.34.
		{"overview.area_share", 10.34, 99.31 / 960 * 100, 1e-9, Match},
		// Section II.1: 52.76 / 99.0865 × 100 = 53.2464 vs 53.25.
		{"overview.gdp_share", 53.25, 52.76 / 99.0865 * 100, 1e-9, Match},
		// Section II.1 and Table 1: 1.5亿人 × 13.13万元 = 19.695万亿元 vs 19.7.
		{"fig1.check.yrd_gdp", 19.7, 19.695, 1e-9, Match},
		// Section III.1: CC mean innovation performance 42.25, 3rd; Table 3:
		// (38.92 + 45.57)/2 = 42.245.
		{"table3.mean.innovation_performance.CC", 42.25, 42.245, 1e-9, Match},
		{"table3.rank.innovation_performance.CC", 3, 3, 0, Match},
		// III.2: MYR 36.54, 5th; (39.61 + 36.15 + 33.87)/3 = 36.5433.
		{"table3.mean.innovation_performance.MYR", 36.54, (39.61 + 36.15 + 33.87) / 3, 1e-9, Match},
		{"table3.rank.innovation_performance.MYR", 5, 5, 0, Match},
		// III.3: YRD 47.93, 2nd; (50.58 + 58.52 + 44.6 + 38.02)/4 = 47.93.
		{"table3.mean.innovation_performance.YRD", 47.93, 47.93, 1e-9, Match},
		{"table3.rank.innovation_performance.YRD", 2, 2, 0, Match},
		// III.4: BTH 41.31, 4th; (52.61 + 42.51 + 28.82)/3 = 41.3133.
		{"table3.mean.innovation_performance.BTH", 41.31, (52.61 + 42.51 + 28.82) / 3, 1e-9, Match},
		{"table3.rank.innovation_performance.BTH", 4, 4, 0, Match},
		// The CRIC 2019 first-level weights 0.15/0.15/0.25/0.25/0.20, to the
		// printed precision (hand check of every province's composite:
		// composite.TestTable3CRIC).
		{"table3.weight.knowledge_creation", 0.15, 0.15, 0.005, Match},
		{"table3.weight.knowledge_acquisition", 0.15, 0.15, 0.005, Match},
		{"table3.weight.enterprise_innovation", 0.25, 0.25, 0.005, Match},
		{"table3.weight.innovation_environment", 0.25, 0.25, 0.005, Match},
		{"table3.weight.innovation_performance", 0.20, 0.20, 0.005, Match},
	}
	for _, c := range cases {
		cl, ok := got[c.id]
		if !ok {
			t.Errorf("missing %s", c.id)
			continue
		}
		if cl.Published == nil || *cl.Published != c.published {
			t.Errorf("%s: published %v, want %v", c.id, cl.Published, c.published)
		}
		if cl.Computed == nil || math.Abs(*cl.Computed-c.comp) > c.tol {
			t.Errorf("%s: computed %v, want %v ± %v", c.id, deref(cl.Computed), c.comp, c.tol)
		}
		if cl.Status != c.status {
			t.Errorf("%s: status %s, want %s", c.id, cl.Status, c.status)
		}
	}
	// Table 1 / II.1: PRD has the highest density (1163.6) and GDP per
	// capita (13.58); MYR is last on both Table 2 ratios (0.21; 0.10 tied
	// with BTH).
	for _, id := range []string{"claim.prd_highest_density", "claim.prd_highest_gdp_per_capita", "claim.myr_last_personnel_per_project", "claim.myr_last_patents_per_rd", "claim.yrd_largest_gdp", "claim.myr_largest_area"} {
		if got[id].Status != Match {
			t.Errorf("%s: %s", id, got[id].Status)
		}
	}
	// Table 3 by hand: BTH mean knowledge acquisition (49.36+23.93+13.15)/3 =
	// 28.81 is 3rd of five (PRD 47.22, YRD 31.76 higher), so the paper's
	// "low" does not hold for the agglomeration mean.
	if c := got["claim.bth_low_knowledge_acquisition"]; c.Status != Mismatch || *c.Computed != 3 {
		t.Errorf("BTH acquisition: %+v", c)
	}
	if c := got["claim.bth_highest_tertiary_share"]; c.Status != PublishedOnly || *c.Published != 52.03 {
		t.Errorf("tertiary share: %+v", c)
	}
}

func deref(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}

func TestNNLSKnownSolution(t *testing.T) {
	// Hand example: b = 2·a1 + 0·a2 exactly, and an unconstrained fit with
	// a2 would go negative for b = 2·a1 − a2; NNLS then sets w2 = 0 and fits
	// w1 = (a1·b)/(a1·a1) = (1·1 + 2·3 + 3·5)/(1+4+9) = 22/14.
	a := [][]float64{{1, 1}, {2, 1}, {3, 1}}
	b := []float64{1, 3, 5}
	w := nnlsRows(t, a, b)
	if math.Abs(w[0]-22.0/14) > 1e-12 || w[1] != 0 {
		t.Errorf("w = %v, want [%v 0]", w, 22.0/14)
	}
}

func TestRunOnOtherData(t *testing.T) {
	reg, err := dataset.LoadRegistry()
	if err != nil {
		t.Fatal(err)
	}
	cat, err := dataset.LoadCatalogue()
	if err != nil {
		t.Fatal(err)
	}
	want := len(runEmbedded(t))
	for _, f := range []string{"../../testdata/china2019/province_2019_long.csv", "../../testdata/reference/mexico.csv"} {
		ds, err := dataset.ReadFile(f, dataset.ReadOptions{Registry: reg, Catalogue: cat})
		if err != nil {
			t.Fatal(err)
		}
		cs, err := Run(ds)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		// The same claims are listed whatever the data; without the paper's
		// numbers none can match or mismatch, except the claims checked on
		// the province statistics themselves.
		if len(cs) != want {
			t.Errorf("%s: %d claims, want %d", f, len(cs), want)
		}
		for _, c := range cs {
			if (c.Status == Match || c.Status == Mismatch || c.Status == Mixed || c.Status == Constraint) && !strings.Contains(c.Source, "province statistics") {
				t.Errorf("%s: %s is %s without the paper's data", f, c.ID, c.Status)
			}
			if c.Status == NotCheckable && c.ReasonEN == "" {
				t.Errorf("%s: %s has no reason", f, c.ID)
			}
		}
	}
}

func withProvinces(t *testing.T) map[string]Claim {
	t.Helper()
	base, err := dataset.Default()
	if err != nil {
		t.Fatal(err)
	}
	prov, err := dataset.ReadFile("../../testdata/china2019/province_2019_long.csv", dataset.ReadOptions{Registry: base.Registry, Catalogue: base.Catalogue})
	if err != nil {
		t.Fatal(err)
	}
	ds, err := dataset.Merge("paper + provinces", base, prov)
	if err != nil {
		t.Fatal(err)
	}
	cs, err := Run(ds)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]Claim{}
	for _, c := range cs {
		out[c.ID] = c
	}
	return out
}

func reading(c Claim, id string) Reading {
	for _, r := range c.Readings {
		if r.ID == id {
			return r
		}
	}
	return Reading{}
}

// TestLowClaimsBothWays: the "low" claims of section III read the same two
// ways for every agglomeration, side by side. By hand from Table 3:
// enterprise innovation of the 13 provinces has mean 39.33846 and
// population s.d. 14.09684; BTH's mean (44.53 + 29.62 + 24.13)/3 = 32.76
// gives z = −0.46666, its weakest dimension (the other z: creation
// 0.28801, acquisition 0.15173, environment 0.05429, performance
// −0.29989; mean −0.05450). Among the five means (32.76, 46.835, 29.66,
// 75.98, 30.405) BTH is 3rd: "low" holds against its own profile, not as
// 4th or 5th of five.
func TestLowClaimsBothWays(t *testing.T) {
	got := runEmbedded(t)
	c := got["claim.bth_low_enterprise_innovation"]
	if c.Status != Mixed || len(c.Readings) != 2 {
		t.Fatalf("BTH enterprise: %+v", c)
	}
	if r := reading(c, "rank_among_five"); r.Holds || *r.Computed != 3 {
		t.Errorf("rank reading %+v", r)
	}
	r := reading(c, "own_profile")
	if !r.Holds || math.Abs(*r.Computed-(-0.4666622048315733-(-0.054503016527667134))) > 1e-9 || !strings.Contains(r.Detail.ZH, "最弱") {
		t.Errorf("profile reading %+v", r)
	}
	// BTH's knowledge acquisition: z 0.15173 above its own mean −0.05450,
	// and 3rd of five: low neither way.
	if c := got["claim.bth_low_knowledge_acquisition"]; c.Status != Mismatch || *c.Computed != 3 {
		t.Errorf("BTH acquisition: %+v", c)
	}
	for _, id := range []string{"claim.cc_low_knowledge_acquisition", "claim.cc_low_enterprise_innovation", "claim.bth_low_knowledge_acquisition", "claim.bth_low_enterprise_innovation"} {
		if len(got[id].Readings) != 2 || got[id].ReasonZH == "" {
			t.Errorf("%s: %+v", id, got[id])
		}
	}
}

// TestYRDKnowledgeAcquisition: "知识获取全国第1" holds for Shanghai among
// the 13 provinces of Table 3 (58.46) but not for the agglomeration: YRD's
// mean (58.46 + 36.75 + 22.76 + 9.06)/4 = 31.7575 is 2nd of five after PRD
// (47.22).
func TestYRDKnowledgeAcquisition(t *testing.T) {
	c := runEmbedded(t)["claim.shanghai_first_knowledge_acquisition"]
	if c.Status != Mixed || *c.Computed != 2 || !reading(c, "shanghai_among_provinces").Holds || reading(c, "agglomeration_among_five").Holds {
		t.Errorf("%+v", c)
	}
}

// TestDensityGDPCorrelation: Table 1 densities (525.6, 707.5, 398.7,
// 1163.6, 540.5) against Figure 1's GDP derived from Table 1 and the II.1
// totals; r is computed here with the textbook formula
// r = Σ(x−x̄)(y−ȳ)/sqrt(Σ(x−x̄)² Σ(y−ȳ)²); it is about 0.09, far below the
// critical value t/sqrt(t² + 3) = 0.8783 with t_{0.975,3} = 3.182446
// (Student's t table).
func TestDensityGDPCorrelation(t *testing.T) {
	ds, err := dataset.Default()
	if err != nil {
		t.Fatal(err)
	}
	var x, y []float64
	for _, code := range dataset.AgglomerationCodes() {
		d, _ := ds.Value(code, "population_density", 2019)
		g, _ := ds.Value(code, "gdp", 2019)
		if code == "YRD" {
			g = 1.5e4 * 13.13 // the derived value: 1.5亿人 × 13.13万元 = 196950亿元
		}
		x, y = append(x, d), append(y, g)
	}
	var mx, my float64
	for i := range x {
		mx, my = mx+x[i]/5, my+y[i]/5
	}
	var sxy, sxx, syy float64
	for i := range x {
		sxy += (x[i] - mx) * (y[i] - my)
		sxx += (x[i] - mx) * (x[i] - mx)
		syy += (y[i] - my) * (y[i] - my)
	}
	want := sxy / math.Sqrt(sxx*syy)
	c := runEmbedded(t)["claim.density_gdp_correlation"]
	if c.Computed == nil || math.Abs(*c.Computed-want) > 1e-12 || math.Abs(want-0.09) > 0.01 {
		t.Fatalf("r = %v, want %v (about 0.09)", c.Computed, want)
	}
	tq := 3.182446305284263
	if c.Status != Mismatch || !strings.Contains(c.ReasonZH, fmt.Sprintf("%.3f", tq/math.Sqrt(tq*tq+3))) {
		t.Errorf("%+v", c)
	}
}

// TestProvinceChecks: Table 2's magnitudes and BTH's R&D personnel against
// the 2019 province file (testdata/china2019, techme). By hand: BTH patent
// applications (226113 + 96045 + 101274) / R&D expenditure (2233.6 + 463 +
// 566.7 亿元 = 32633000 万元) = 423432/32633000 = 0.012976 件/万元, and the
// paper prints 0.10; PRD 807700/30985000 = 0.026068 against 0.42. R&D
// personnel (FTE): YRD 198646 + 635279 + 534724 + 175318 = 1543967, PRD
// 803208, BTH 313986 + 92502 + 111799 = 518287: BTH is 3rd.
func TestProvinceChecks(t *testing.T) {
	got := withProvinces(t)
	for code, want := range map[string]float64{"BTH": 423432.0 / 32633000, "PRD": 807700.0 / 30985000} {
		c := got["table2.magnitude."+code]
		if c.Computed == nil || math.Abs(*c.Computed-want) > 1e-12 || c.Status != Mismatch || !strings.Contains(c.ReasonZH, "单位错误") {
			t.Errorf("%s: %+v", code, c)
		}
	}
	c := got["claim.bth_first_rd_personnel_fte"]
	if c.Computed == nil || *c.Computed != 3 || c.Status != Mismatch || !strings.Contains(c.ReasonZH, "154.4") || !strings.Contains(c.ReasonZH, "51.8") {
		t.Errorf("FTE: %+v", c)
	}
	// Without the province file these claims say what they need.
	emb := runEmbedded(t)
	if c := emb["table2.magnitude.BTH"]; c.Status != NotCheckable || c.ReasonZH == "" {
		t.Errorf("without provinces: %+v", c)
	}
}

// TestConstraintsAreNotMatches: values that are constraints of the Figure 1
// derivation are listed as constraints, and the verdict counts them apart.
func TestConstraintsAreNotMatches(t *testing.T) {
	got := runEmbedded(t)
	n := 0
	for _, c := range got {
		if c.Status == Constraint {
			n++
			if c.ReasonZH == "" || c.Published == nil {
				t.Errorf("%s: %+v", c.ID, c)
			}
		}
		if c.Group == "fig1" && c.Status == Match && c.ID != "fig1.check.yrd_gdp" && c.ID != "fig1.gdp.YRD" { // YRD GDP is printed apart from Table 1: a real check
			t.Errorf("%s counted as a match", c.ID)
		}
	}
	var list []Claim
	for _, c := range got {
		list = append(list, c)
	}
	if v := Summarise(list); v.Constraint != n || n < 3 {
		t.Errorf("verdict %+v, %d constraints", v, n)
	}
	if StatusName(Mixed).ZH == "" || StatusName(Constraint).EN == "" {
		t.Error("status names")
	}
}
