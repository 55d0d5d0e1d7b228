package replicate

import (
	"fmt"
	"math"
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
		case Match, Mismatch, PublishedOnly, NotCheckable:
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
	for _, id := range []string{"claim.prd_highest_density", "claim.prd_highest_gdp_per_capita", "claim.myr_last_personnel_per_project", "claim.myr_last_patents_per_rd", "claim.yrd_largest_gdp", "claim.myr_largest_area", "claim.shanghai_first_knowledge_acquisition"} {
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
		// numbers none can match or mismatch.
		if len(cs) != want {
			t.Errorf("%s: %d claims, want %d", f, len(cs), want)
		}
		for _, c := range cs {
			if c.Status == Match || c.Status == Mismatch {
				t.Errorf("%s: %s is %s without the paper's data", f, c.ID, c.Status)
			}
			if c.Status == NotCheckable && c.ReasonEN == "" {
				t.Errorf("%s: %s has no reason", f, c.ID)
			}
		}
	}
}
