package analysis

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"agglo/internal/analysis/reftest"
	"agglo/internal/composite"
	"agglo/internal/i18n"
)

// The reference values of these tests come from the scripts beside their
// JSON files under testdata/reference (R spdep 1.2-7, igraph 1.3.5,
// statsmodels 0.13.5, numpy 1.24.2, libpysal 4.7.0, esda's formulas): each
// script names its command and package versions. None comes from agglo.

const ref = reftest.Dir

// at walks a decoded JSON value by keys and indices.
func at(v any, path ...any) any {
	for _, p := range path {
		switch k := p.(type) {
		case string:
			v = v.(map[string]any)[k]
		case int:
			v = v.([]any)[k]
		}
	}
	return v
}

func num(t *testing.T, v any, path ...any) float64 {
	t.Helper()
	x, ok := at(v, path...).(float64)
	if !ok {
		t.Fatalf("no number at %v", path)
	}
	return x
}

func nums(v any, path ...any) []float64 {
	var out []float64
	for _, x := range at(v, path...).([]any) {
		out = append(out, x.(float64))
	}
	return out
}

// near is reftest.Near.
var near = reftest.Near

// citiesFile writes the 95 reference cities with derived columns (the
// reference scripts compute the same: growth = ln(pop2020/pop2010),
// ratio = pop2020/pop2010, base_pop = pop2010) to a CSV keyed by adcode.
func citiesFile(t *testing.T) string {
	t.Helper()
	f, err := os.Open(ref + "spatial/cities.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	b.WriteString("adcode,growth,ratio,base_pop,pop2020\n")
	for _, r := range rows[1:] {
		p10, _ := strconv.ParseFloat(r[5], 64)
		p20, _ := strconv.ParseFloat(r[6], 64)
		fmt.Fprintf(&b, "%s,%s,%s,%s,%s\n", r[0], strconv.FormatFloat(math.Log(p20/p10), 'g', -1, 64), strconv.FormatFloat(p20/p10, 'g', -1, 64), r[5], r[6])
	}
	p := filepath.Join(t.TempDir(), "cities.csv")
	if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func mustMeasure(t *testing.T, req MeasureRequest, path string) *MeasureResult {
	t.Helper()
	r, err := Measure(load(t, path), req)
	if err != nil {
		t.Fatalf("%s: %s", req.Method, i18n.Message(err, "en"))
	}
	return r
}

func spec(t *testing.T, s, transform string) WeightsSpec {
	t.Helper()
	w, err := ParseSpatialWeights(s)
	if err != nil {
		t.Fatal(err)
	}
	if w.Transform, err = ParseTransform(transform); err != nil {
		t.Fatal(err)
	}
	return w
}

// TestMoranGearyReference: global statistics of the 95 cities against R
// spdep 1.2-7 (testdata/reference/spatial/gen_spdep.R, gen_spdep_panel.R):
// the population as the data file spells it (pop2020 = --indicator pop
// --year 2020) and the growth of every weights kind, including a band with
// islands and binary weights.
func TestMoranGearyReference(t *testing.T) {
	sp := reftest.JSON(t, ref+"spatial/spdep_panel.json")
	for _, year := range []int{2010, 2020} {
		want := sp[fmt.Sprint("pop", year)]
		req := MeasureRequest{Method: "moran", Indicator: "pop", Year: year, SpatialWeights: spec(t, "knn:6", "row")}
		r := mustMeasure(t, req, ref+"spatial/cities.csv")
		if r.N != 95 {
			t.Fatalf("%d: n = %d, want the 95 cities", year, r.N)
		}
		e := num(t, want, "moran_E")
		near(t, "I", val(r.Value), num(t, want, "moran_I"), 1e-10)
		near(t, "E[I]", val(r.Expected), e, 1e-12)
		near(t, "z", val(r.Z), (num(t, want, "moran_I")-e)/math.Sqrt(num(t, want, "moran_var_norm")), 1e-8)
		near(t, "p_norm", val(r.PNorm), num(t, want, "moran_p_norm_two_sided"), 1e-8)
		req.Method = "geary"
		g := mustMeasure(t, req, ref+"spatial/cities.csv")
		near(t, "C", val(g.Value), num(t, want, "geary_C"), 1e-10)
		// esda's z is (C − 1)/se: spdep's deviate with the sign reversed.
		near(t, "Geary z", val(g.Z), -num(t, want, "geary_deviate_norm"), 1e-8)
		if g.Expected == nil || *g.Expected != 1 {
			t.Error("E[C] is not 1")
		}
		if r.Summary == "" || g.Summary == "" {
			t.Error("no summary")
		}
	}
	// The panel gives the same values year by year.
	r := mustMeasure(t, MeasureRequest{Method: "moran", Indicator: "pop", Panel: true, SpatialWeights: spec(t, "knn:6", "row")}, ref+"spatial/cities.csv")
	if len(r.Panel) != 2 || r.Panel[0].Year != 2010 || len(r.Trends) != 1 {
		t.Fatalf("panel %+v", r.Panel)
	}
	near(t, "panel 2010", val(r.Panel[0].Value), num(t, sp, "pop2010", "moran_I"), 1e-10)
	near(t, "panel 2020", val(r.Panel[1].Value), num(t, sp, "pop2020", "moran_I"), 1e-10)
	near(t, "panel z 2010", val(r.Panel[0].Z), (num(t, sp, "pop2010", "moran_I")-num(t, sp, "pop2010", "moran_E"))/math.Sqrt(num(t, sp, "pop2010", "moran_var_norm")), 1e-8)

	gg := reftest.JSON(t, ref+"spatial/spdep.json")["global_growth"]
	file := citiesFile(t)
	for _, c := range []struct{ key, spec, transform string }{
		{"knn6_row", "knn:6", "row"}, {"d300_binary", "distance:300", "binary"}, {"d300_row", "distance:300", "row"},
		{"d150_row", "distance:150", "row"}, {"idw1_row", "idw:1", "row"}, {"idw1_raw", "idw:1", "none"},
	} {
		want := at(gg, c.key)
		req := MeasureRequest{Method: "moran", Indicator: "growth", SpatialWeights: spec(t, c.spec, c.transform)}
		r := mustMeasure(t, req, file)
		near(t, c.key+" I", val(r.Value), num(t, want, "moran_I"), 1e-10)
		req.Method = "geary"
		g := mustMeasure(t, req, file)
		near(t, c.key+" C", val(g.Value), num(t, want, "geary_C"), 1e-10)
		if c.key == "d150_row" {
			// Units 34 and 35 of cities.csv (张家口, 承德) have no
			// neighbour within 150 km (gen_spdep.R): reported as islands.
			if !slices.Equal(r.Islands, []string{"130700", "130800"}) || len(r.Warnings) == 0 {
				t.Errorf("d150: islands %v, warnings %v", r.Islands, r.Warnings)
			}
		}
	}
}

// TestPermutationsReproducible: p_sim depends on the seed only, not on the
// number of workers; esda's folded p lies in [1/(P+1), 0.5].
func TestPermutationsReproducible(t *testing.T) {
	ds := load(t, ref+"spatial/cities.csv")
	var first *MeasureResult
	for _, workers := range []int{1, 2, 5} {
		for _, m := range []string{"moran", "lisa"} {
			r, err := MeasureContext(context.Background(), ds, MeasureRequest{Method: m, Indicator: "pop", Year: 2020, SpatialWeights: spec(t, "knn:6", "row"),
				Permutations: 999, Seed: 1, Workers: workers})
			if err != nil {
				t.Fatal(err)
			}
			if m == "lisa" {
				continue
			}
			p := val(r.PSim)
			if !(p >= 1.0/1000 && p <= 0.5) {
				t.Errorf("p_sim %g", p)
			}
			if first == nil {
				first = r
			} else if val(first.PSim) != p {
				t.Errorf("workers %d: p_sim %g, with 1 worker %g", workers, p, val(first.PSim))
			}
		}
	}
	// A constant variable: Moran's I is undefined, an error and no panic.
	path := writeCSV(t, "adcode,x\n310000,1\n320100,1\n320200,1\n320400,1\n320500,1\n320600,1\n320700,1\n320800,1\n")
	if _, err := Measure(load(t, path), MeasureRequest{Method: "moran", Indicator: "x", SpatialWeights: spec(t, "knn:3", "row")}); err == nil {
		t.Error("a constant variable gave a Moran's I")
	}
}

// TestLocalReference: LISA against esda's formula and quadrants
// (testdata/reference/spatial/pysal.json, gen_pysal.py) and Gi/Gi* against
// spdep localG (binary weights) and esda (row-standardised Gi*).
func TestLocalReference(t *testing.T) {
	py := reftest.JSON(t, ref+"spatial/pysal.json")
	r := mustMeasure(t, MeasureRequest{Method: "lisa", Indicator: "growth", SpatialWeights: spec(t, "knn:6", "row"), Permutations: 99, Seed: 1}, citiesFile(t))
	wantI, wantQ := nums(py, "lisa_growth_knn6_row", "I"), nums(py, "lisa_growth_knn6_row", "q")
	quadrant := map[float64]string{1: "HH", 2: "LH", 3: "LL", 4: "HL"}
	for i, u := range r.Units {
		near(t, "I_"+u.Unit, val(u.Value), wantI[i], 1e-10)
		if u.Quadrant != quadrant[wantQ[i]] {
			t.Errorf("%s: quadrant %s, want %s", u.Unit, u.Quadrant, quadrant[wantQ[i]])
		}
		if u.PSim == nil || (u.Cluster != "ns" && u.Cluster != u.Quadrant) {
			t.Errorf("%s: p_sim %v cluster %q", u.Unit, u.PSim, u.Cluster)
		}
	}
	sd := reftest.JSON(t, ref+"spatial/spdep.json")
	for _, c := range []struct {
		key, spec, transform string
		star                 bool
		src                  map[string]any
		zkey                 []any
	}{
		{"localGstar_pop_d300_binary", "distance:300", "binary", true, sd, []any{"localGstar_pop_d300_binary"}},
		{"localG_pop_knn6_binary", "knn:6", "binary", false, sd, []any{"localG_pop_knn6_binary"}},
		{"localG_pop_idw1_raw", "idw:1", "none", false, sd, []any{"localG_pop_idw1_raw"}},
		{"glocal_pop_d300_row_star", "distance:300", "row", true, py, []any{"glocal_pop_d300_row_star", "z"}},
		{"glocal_pop_knn6_row", "knn:6", "row", false, py, []any{"glocal_pop_knn6_row", "z"}},
	} {
		r := mustMeasure(t, MeasureRequest{Method: "getis-ord", Indicator: "pop", Year: 2020, Star: c.star, SpatialWeights: spec(t, c.spec, c.transform)}, ref+"spatial/cities.csv")
		want := nums(c.src, c.zkey...)
		if len(r.Units) != len(want) {
			t.Fatalf("%s: %d units", c.key, len(r.Units))
		}
		for i, u := range r.Units {
			near(t, c.key+" "+u.Unit, val(u.Z), want[i], 1e-8)
		}
	}
}

// TestConvergenceReference: σ and β (classic, HC1, clubs) against
// statsmodels 0.13.5 on the Mexican states 1940–2000
// (testdata/reference/convergence/gen_statsmodels.py) and on the
// provinces' R&D intensity 2011–2023 (gen_province_panel.py).
func TestConvergenceReference(t *testing.T) {
	check := func(name string, r *MeasureResult, sm map[string]any, clubs []string) {
		t.Helper()
		b := at(sm, "beta")
		near(t, name+" b", val(r.Beta.Coefficient), num(t, b, "params", 1), 1e-9)
		near(t, name+" a", val(r.Beta.Intercept), num(t, b, "params", 0), 1e-9)
		near(t, name+" se", val(r.Beta.SE), num(t, b, "bse", 1), 1e-9)
		near(t, name+" t", val(r.Beta.T), num(t, b, "tvalues", 1), 1e-8)
		near(t, name+" p", val(r.Beta.P), num(t, b, "pvalues", 1), 1e-8)
		near(t, name+" r2", val(r.Beta.R2), num(t, b, "rsquared"), 1e-9)
		if r.Beta.N != int(num(t, b, "nobs")) {
			t.Errorf("%s n = %d", name, r.Beta.N)
		}
		sd, cv := nums(sm, "sigma", "sd"), nums(sm, "sigma", "cv")
		if len(r.Sigma) != len(sd) {
			t.Fatalf("%s: %d sigma years, want %d", name, len(r.Sigma), len(sd))
		}
		for k, s := range r.Sigma {
			near(t, fmt.Sprint(name, " sd ", s.Year), val(s.Value), sd[k], 1e-10)
			near(t, fmt.Sprint(name, " cv ", s.Year), val(s.CV), cv[k], 1e-10)
		}
		near(t, name+" sd trend", val(r.SigmaTrend.Slope), num(t, sm, "sigma", "sd_trend", 1), 1e-8)
		near(t, name+" cv trend", val(r.CVTrend.Slope), num(t, sm, "sigma", "cv_trend", 1), 1e-8)
		// λ = −ln(1 + bT)/T from statsmodels' b.
		bb, span := num(t, b, "params", 1), float64(r.To-r.From)
		near(t, name+" rate", val(r.Beta.Rate), -math.Log(1+bb*span)/span, 1e-9)
		got := map[string]*Club{}
		for i := range r.Clubs {
			got[r.Clubs[i].Group] = &r.Clubs[i]
		}
		for _, k := range clubs {
			c := got[k]
			if c == nil || c.Beta == nil {
				t.Errorf("%s: club %s missing", name, k)
				continue
			}
			near(t, name+" club "+k, val(c.Beta.Coefficient), num(t, sm, "clubs", k, "params", 1), 1e-9)
			near(t, name+" club se "+k, val(c.Beta.SE), num(t, sm, "clubs", k, "bse", 1), 1e-9)
		}
	}
	mx := reftest.JSON(t, ref+"convergence/statsmodels.json")
	r := mustMeasure(t, MeasureRequest{Method: "convergence", Indicator: "pcgdp", Group: "hanson98"}, ref+"mexico.csv")
	if r.From != 1940 || r.To != 2000 {
		t.Errorf("years %d-%d", r.From, r.To)
	}
	check("mexico", r, mx, []string{"1", "2", "3", "5"})
	for _, c := range r.Clubs {
		if c.Group == "4" && c.Error == "" {
			t.Error("regime 4 (2 states) was estimated")
		}
	}
	hc := mustMeasure(t, MeasureRequest{Method: "convergence", Indicator: "pcgdp", Robust: true}, ref+"mexico.csv")
	near(t, "HC1 se", val(hc.Beta.SE), num(t, mx, "beta_hc1", "bse", 1), 1e-9)
	near(t, "HC1 p", val(hc.Beta.P), num(t, mx, "beta_hc1", "pvalues", 1), 1e-8)

	pp := reftest.JSON(t, ref+"convergence/province_panel.json")
	pr := mustMeasure(t, MeasureRequest{Method: "convergence", Indicator: "rd_intensity", Group: GroupAgglomeration}, "../../testdata/china_panel/province_st_techme_2010_2023.csv")
	if pr.From != 2011 || pr.To != 2023 || pr.N != 31 {
		t.Errorf("province panel: %d-%d, %d units", pr.From, pr.To, pr.N)
	}
	check("provinces", pr, pp, []string{"BTH", "MYR", "YRD"})
	hc = mustMeasure(t, MeasureRequest{Method: "convergence", Indicator: "rd_intensity", Robust: true}, "../../testdata/china_panel/province_st_techme_2010_2023.csv")
	near(t, "province HC1 se", val(hc.Beta.SE), num(t, pp, "beta_hc1", "bse", 1), 1e-9)
}

// TestConditionalConvergence: conditional β with the hanson98 regime
// dummies as controls, against statsmodels (gen_statsmodels.py,
// "conditional").
func TestConditionalConvergence(t *testing.T) {
	f, err := os.Open(ref + "mexico.csv")
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	b.WriteString("State,pcgdp1940,pcgdp2000,d2,d3,d4,d5\n")
	for _, r := range rows[1:] {
		regime, _ := strconv.ParseFloat(r[9], 64)
		fmt.Fprintf(&b, "%s,%s,%s", r[0], r[1], r[7])
		for k := 2.0; k <= 5; k++ {
			d := 0
			if regime == k {
				d = 1
			}
			fmt.Fprintf(&b, ",%d", d)
		}
		b.WriteString("\n")
	}
	r := mustMeasure(t, MeasureRequest{Method: "convergence", Indicator: "pcgdp", Controls: []string{"d2", "d3", "d4", "d5"}}, writeCSV(t, b.String()))
	sm := reftest.JSON(t, ref+"convergence/statsmodels.json")
	near(t, "b", val(r.Beta.Coefficient), num(t, sm, "conditional", "params", 1), 1e-9)
	for k, c := range r.Beta.Controls {
		near(t, "control "+c.Indicator, val(c.Coefficient), num(t, sm, "conditional", "params", 2+k), 1e-9)
		near(t, "control se "+c.Indicator, val(c.SE), num(t, sm, "conditional", "bse", 2+k), 1e-9)
	}
}

// TestDecompositionsReference: Dagum, Atkinson and the Gini source
// decomposition against numpy evaluations of the published formulas
// (testdata/reference/inequality/gen_inequality.py,
// convergence/gen_province_panel.py).
func TestDecompositionsReference(t *testing.T) {
	pp := reftest.JSON(t, ref+"convergence/province_panel.json")
	want := at(pp, "dagum_rd_intensity_2019_agglomeration")
	r := mustMeasure(t, MeasureRequest{Method: "dagum", Indicator: "rd_intensity", Group: GroupAgglomeration}, "../../testdata/china2019/province_2019_long.csv")
	if r.N != 13 {
		t.Errorf("dagum n = %d, want the 13 member provinces", r.N)
	}
	near(t, "G", val(r.Value), num(t, want, "G"), 1e-12)
	near(t, "Gw", val(r.Within), num(t, want, "Gw"), 1e-12)
	near(t, "Gnb", val(r.Between), num(t, want, "Gnb"), 1e-12)
	near(t, "Gt", val(r.Transvariation), num(t, want, "Gt"), 1e-12)
	byGroup := map[string]GroupValue{}
	for _, g := range r.Groups {
		byGroup[g.Group] = g
	}
	for k := range at(want, "groups").([]any) {
		code := at(want, "groups", k, "group").(string)
		near(t, "G_jj "+code, val(byGroup[code].Value), num(t, want, "groups", k, "gini"), 1e-12)
	}
	if len(r.Pairs) != len(at(want, "pairs").([]any)) {
		t.Fatalf("%d pairs", len(r.Pairs))
	}
	for k := range r.Pairs {
		a, b := at(want, "pairs", k, "a").(string), at(want, "pairs", k, "b").(string)
		var got *PairValue
		for i := range r.Pairs {
			if (r.Pairs[i].A == a && r.Pairs[i].B == b) || (r.Pairs[i].A == b && r.Pairs[i].B == a) {
				got = &r.Pairs[i]
			}
		}
		if got == nil {
			t.Errorf("pair %s-%s missing", a, b)
			continue
		}
		near(t, "G_jh "+a+b, val(got.Value), num(t, want, "pairs", k, "gini"), 1e-12)
	}
	iq := reftest.JSON(t, ref+"inequality/inequality.json")
	mx := at(iq, "dagum_mexico_1940_hanson98")
	r = mustMeasure(t, MeasureRequest{Method: "dagum", Indicator: "pcgdp", Year: 1940, Group: "hanson98"}, ref+"mexico.csv")
	near(t, "mexico G", val(r.Value), num(t, mx, "G"), 1e-12)
	near(t, "mexico Gt", val(r.Transvariation), num(t, mx, "Gt"), 1e-12)
	// Population-weighted over the agglomerations, as --weight pop --year 2010.
	cw := at(iq, "dagum_cities_popratio_weighted_pop2010")
	r = mustMeasure(t, MeasureRequest{Method: "dagum", Indicator: "ratio", Weight: "base_pop", Group: GroupAgglomeration}, citiesFile(t))
	near(t, "cities G", val(r.Value), num(t, cw, "G"), 1e-12)
	near(t, "cities Gnb", val(r.Between), num(t, cw, "Gnb"), 1e-12)

	for _, eps := range []string{"0.5", "1", "1.5", "2", "3"} {
		e, _ := ParseEpsilon(eps)
		r := mustMeasure(t, MeasureRequest{Method: "atkinson", Indicator: "pcgdp", Year: 1940, Epsilon: e}, ref+"mexico.csv")
		near(t, "atkinson "+eps, val(r.Value), num(t, iq, "atkinson_mexico_1940", eps), 1e-12)
	}
	gs := at(iq, "gini_sources_rd_funds_2019")
	r = mustMeasure(t, MeasureRequest{Method: "gini-sources", Indicators: []string{"rd_intramural_expenditure_government_funds", "rd_intramural_expenditure_business_funds",
		"rd_foreign_funds", "rd_intramural_expenditure_other_funds"}}, "../../testdata/china2019/province_2019_long.csv")
	if r.N != 29 {
		t.Errorf("gini-sources n = %d, want 29 provinces with all four sources", r.N)
	}
	near(t, "G total", val(r.Value), num(t, gs, "G"), 1e-12)
	for k, s := range r.Sources {
		near(t, "S "+s.Source, val(s.Share), num(t, gs, "sources", k, "S"), 1e-12)
		near(t, "R "+s.Source, val(s.Correlation), num(t, gs, "sources", k, "R"), 1e-12)
		near(t, "share "+s.Source, val(s.ContributionShare), num(t, gs, "sources", k, "share"), 1e-12)
		near(t, "marginal "+s.Source, val(s.MarginalEffect), num(t, gs, "sources", k, "marginal"), 1e-12)
	}
}

// TestTheilPanel: theil --panel keeps the between and within parts of
// every year: PySAL's values for the Mexican states (pysal/inequality@5c6ea81
// inequality/tests/test_theil.py and the TheilD docstring; printed to 8
// decimals).
func TestTheilPanel(t *testing.T) {
	wantT := []float64{0.20894344, 0.15222451, 0.10472941, 0.10194725, 0.09560113, 0.10511256, 0.10660832}
	wantBG := []float64{0.0345889, 0.02816853, 0.05260921, 0.05931219, 0.03205257, 0.02963731, 0.03635872}
	wantWG := []float64{0.17435454, 0.12405598, 0.0521202, 0.04263506, 0.06354856, 0.07547525, 0.0702496}
	r := mustMeasure(t, MeasureRequest{Method: "theil", Indicator: "pcgdp", Group: "hanson98", Panel: true}, ref+"mexico.csv")
	if len(r.Panel) != 7 {
		t.Fatalf("%d years", len(r.Panel))
	}
	for k, py := range r.Panel {
		near(t, fmt.Sprint(py.Year, " T"), val(py.Value), wantT[k], 1e-8)
		near(t, fmt.Sprint(py.Year, " between"), val(py.Between), wantBG[k], 1e-8)
		near(t, fmt.Sprint(py.Year, " within"), val(py.Within), wantWG[k], 1e-8)
	}
}

// TestKernelReference: the bandwidth and default grid of R 4.2.2
// (testdata/reference/inequality/gen_density.R: bw.nrd0 and density() on
// pcgdp2000/1000); agglo's density of pcgdp2000 is on the original scale, so
// both are multiplied by 1000.
func TestKernelReference(t *testing.T) {
	d := reftest.JSON(t, ref+"inequality/density.json")
	r := mustMeasure(t, MeasureRequest{Method: "kernel", Indicator: "pcgdp", Year: 2000}, ref+"mexico.csv")
	if len(r.Densities) != 1 || len(r.Densities[0].X) != 512 {
		t.Fatalf("densities %d", len(r.Densities))
	}
	k := r.Densities[0]
	near(t, "bandwidth", val(k.Bandwidth), 1000*num(t, d, "bw_nrd0"), 1e-12)
	near(t, "grid from", float64(k.X[0]), 1000*num(t, d, "density_default_grid", "from"), 1e-12)
	near(t, "grid to", float64(k.X[511]), 1000*num(t, d, "density_default_grid", "to"), 1e-12)
	// The density integrates to 1 over the grid (trapezoid rule; the tails
	// beyond 3 bandwidths hold about 0.3%).
	var area float64
	for i := 1; i < len(k.X); i++ {
		area += (float64(k.X[i]) - float64(k.X[i-1])) * (float64(k.Y[i]) + float64(k.Y[i-1])) / 2
	}
	near(t, "area", area, 1, 5e-3)
	p := mustMeasure(t, MeasureRequest{Method: "kernel", Indicator: "pcgdp", Panel: true}, ref+"mexico.csv")
	if len(p.Densities) != 7 || !slices.Equal(p.Densities[0].X, p.Densities[6].X) {
		t.Error("the panel's years do not share one grid")
	}
}

// TestNetworkReference: the gravity network of the cities within 150 km
// (testdata/reference/network/flows_undirected_adcode.csv) against R igraph
// 1.3.5 (gen_igraph.R): degree, strength, betweenness, eigenvector
// centrality and the modularity of the agglomerations. The two isolated
// cities of the reference graph appear in no flow, so the density is
// E/(n(n−1)/2) with n = 93 here.
func TestNetworkReference(t *testing.T) {
	f, err := os.Open(ref + "network/flows_undirected_adcode.csv")
	if err != nil {
		t.Fatal(err)
	}
	flows, err := ParseFlows(f, "flows")
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	r := mustMeasure(t, MeasureRequest{Method: "network", Flows: flows, Mode: NetworkMax, Seed: 1}, ref+"spatial/cities.csv")
	ig := reftest.JSON(t, ref+"network/igraph.json")
	cf, _ := os.Open(ref + "spatial/cities.csv")
	rows, _ := csv.NewReader(cf).ReadAll()
	cf.Close()
	index := map[string]int{}
	for i, row := range rows[1:] {
		index[row[0]] = i
	}
	if r.N != 93 {
		t.Fatalf("n = %d", r.N)
	}
	near(t, "density", val(r.Value), 276.0/(93*92/2), 1e-12)
	deg, str, btw, eig := nums(ig, "undirected", "degree"), nums(ig, "undirected", "strength"), nums(ig, "undirected", "betweenness"), nums(ig, "undirected", "eigenvector")
	for _, u := range r.Units {
		i := index[u.Unit]
		near(t, "degree "+u.Unit, float64(u.Values["degree"]), deg[i], 0)
		near(t, "strength "+u.Unit, float64(u.Values["strength"]), str[i], 1e-12)
		near(t, "betweenness "+u.Unit, float64(u.Values["betweenness"]), btw[i], 1e-9)
		near(t, "eigenvector "+u.Unit, float64(u.Values["eigenvector"]), eig[i], 1e-9)
	}
	near(t, "agglomeration modularity", float64(r.Stats["group_modularity"]), num(t, ig, "undirected", "modularity_agglomeration"), 1e-12)
}

// TestNetworkCommunitiesHand: two groups of three cities linked only
// within each group (one agglomeration each): Louvain finds the two
// groups, so NMI = ARI = 1 (by their definitions for identical
// partitions), and the density is 6 edges of 15 pairs = 0.4.
func TestNetworkCommunitiesHand(t *testing.T) {
	// BTH: Beijing, Tianjin, Shijiazhuang; PRD: Guangzhou, Shenzhen, Zhuhai.
	text := "from,to,value\n110000,120000,5\n120000,130100,5\n110000,130100,5\n440100,440300,4\n440300,440400,4\n440100,440400,4\n"
	flows, err := ParseFlows(strings.NewReader(text), "flows")
	if err != nil {
		t.Fatal(err)
	}
	r := mustMeasure(t, MeasureRequest{Method: "network", Flows: flows, Mode: NetworkSum, Seed: 1}, "")
	near(t, "density", val(r.Value), 0.4, 1e-15)
	near(t, "nmi", float64(r.Stats["nmi"]), 1, 1e-12)
	near(t, "ari", float64(r.Stats["ari"]), 1, 1e-12)
	near(t, "communities", float64(r.Stats["communities"]), 2, 0)
	// Q of two separate triangles holding weights 15 and 12 of m = 27:
	// Q = Σ_c [L_c/m − (d_c/2m)²] = 15/27 − (15/27)² + 12/27 − (12/27)²
	// = 2·15·12/27² = 360/729.
	near(t, "modularity", float64(r.Stats["modularity"]), 360.0/729, 1e-12)
	for _, bad := range []string{"from,to\na,b\n", "from,to,value\na,b,-1\n", "from,to,value\n,b,1\n", "from,to,value\n"} {
		if _, err := ParseFlows(strings.NewReader(bad), "f.csv"); err == nil {
			t.Errorf("%q accepted", bad)
		} else if !strings.Contains(i18n.Message(err, "en"), "f.csv") {
			t.Errorf("%q: error does not name the file: %v", bad, err)
		}
	}
}

// TestObstacleHand: the obstacle degree of a two-pillar index worked by
// hand. Indicators x1, x2 (pillar P1, weights 1 and 3) and x3 (pillar P2),
// pillars weighted 1:1; min-max to [0, 100] and arithmetic means.
// Effective weights: x1 0.5·0.25 = 0.125, x2 0.5·0.75 = 0.375, x3 0.5.
// Unit B (x = 2, 30, 10 of ranges [0,4], [10,30], [0,20]) has normalised
// 0.5, 1, 0.5, deviations 0.5, 0, 0.5, weighted 0.0625, 0, 0.25 (sum
// 0.3125): obstacle degrees 20%, 0%, 80%; by pillar P1 20%, P2 80%.
func TestObstacleHand(t *testing.T) {
	fw, err := composite.ParseFramework(strings.NewReader(`code: t
name_zh: 测试
name_en: test
indicators:
  - {code: x1, name_zh: 一, name_en: one, weight: 1, parent: P1}
  - {code: x2, name_zh: 二, name_en: two, weight: 3, parent: P1}
  - {code: x3, name_zh: 三, name_en: three, weight: 1, parent: P2}
aggregates:
  - {code: P1, name_zh: 甲, name_en: P one, weight: 1, parent: I}
  - {code: P2, name_zh: 乙, name_en: P two, weight: 1, parent: I}
  - {code: I, name_zh: 指数, name_en: index}
`))
	if err != nil {
		t.Fatal(err)
	}
	ds := load(t, writeCSV(t, "unit,x1,x2,x3\nA,0,10,20\nB,2,30,10\nC,4,20,0\n"))
	r, err := Measure(ds, MeasureRequest{Method: "obstacle", Index: &IndexRequest{Framework: fw}, Lang: "en"})
	if err != nil {
		t.Fatal(i18n.Message(err, "en"))
	}
	near(t, "w x1", float64(r.IndicatorWeights["x1"]), 0.125, 1e-15)
	near(t, "w x3", float64(r.IndicatorWeights["x3"]), 0.5, 1e-15)
	var b *UnitValue
	for i := range r.Units {
		if r.Units[i].Name == "B" {
			b = &r.Units[i]
		}
	}
	if b == nil {
		t.Fatal("no unit B")
	}
	want := map[string]float64{"x3": 80, "x1": 20, "x2": 0}
	if b.Obstacles[0].Indicator != "x3" || b.Obstacles[1].Indicator != "x1" {
		t.Errorf("ranking %+v", b.Obstacles)
	}
	for _, o := range b.Obstacles {
		near(t, "degree "+o.Indicator, val(o.Degree), want[o.Indicator], 1e-12)
	}
	near(t, "P1", float64(b.Dimensions["P1"]), 20, 1e-12)
	near(t, "P2", float64(b.Dimensions["P2"]), 80, 1e-12)
}

// TestMeasureRequestErrors: bad specifications fail at parsing, naming
// what is wrong; requests the data refuse name their field.
func TestMeasureRequestErrors(t *testing.T) {
	for _, s := range []string{"knn", "knn:0", "knn:x", "distance:-1", "idw:0", "queen:1", "distance:"} {
		if _, err := ParseSpatialWeights(s); err == nil {
			t.Errorf("spatial weights %q accepted", s)
		}
	}
	for _, s := range []string{"standardised", "x"} {
		if _, err := ParseTransform(s); err == nil {
			t.Errorf("transform %q accepted", s)
		}
	}
	for _, s := range []string{"-1", "100000", "x"} {
		if _, err := ParsePermutations(s); err == nil {
			t.Errorf("permutations %q accepted", s)
		}
	}
	if _, err := ParseEpsilon("-0.5"); err == nil {
		t.Error("ε < 0 accepted")
	}
	ds := load(t, ref+"mexico.csv")
	for _, c := range []struct {
		req   MeasureRequest
		field string
	}{
		{MeasureRequest{Method: "dagum", Indicator: "pcgdp"}, FieldGroup},
		{MeasureRequest{Method: "convergence", Indicator: "pcgdp", From: 1945}, FieldFromYear},
		{MeasureRequest{Method: "convergence", Indicator: "pcgdp", From: 2000, To: 1940}, FieldFromYear},
		{MeasureRequest{Method: "convergence", Indicator: "pcgdp", Controls: []string{"nothing"}}, FieldControls},
		{MeasureRequest{Method: "atkinson", Indicator: "pcgdp", Epsilon: -1}, FieldEpsilon},
	} {
		_, err := Measure(ds, c.req)
		var re *RequestError
		if err == nil || !errors.As(err, &re) || re.Field != c.field {
			t.Errorf("%+v: %v, want an error naming %s", c.req, err, c.field)
		}
	}
	// The Mexican states have no coordinates: spatial statistics say so.
	_, err := Measure(ds, MeasureRequest{Method: "moran", Indicator: "pcgdp", Year: 1940})
	if err == nil || !strings.Contains(i18n.Message(err, "en"), "coordinates") {
		t.Errorf("moran without coordinates: %v", err)
	}
}
