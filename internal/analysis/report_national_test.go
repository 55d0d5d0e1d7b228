package analysis

import (
	"context"
	"math"
	"slices"
	"testing"
)

// distributionOf on small inputs, by hand:
// x = 1, 2, 3, 4 (NaN left out): n = 4, mean 2.5, median 2.5, P10 1.3
// (h = 0.3), P90 3.7 (h = 2.7); Gini Σ_i Σ_j |x_i − x_j| / (2n²x̄) =
// 20 / 80 = 0.25; Theil T = (1/4) Σ (x/x̄) ln(x/x̄) with x/x̄ = 0.4, 0.8,
// 1.2, 1.6: (−0.366516 − 0.178515 + 0.218786 + 0.752006) / 4 = 0.106440;
// CV = √1.25 / 2.5 = 0.447214; the top 1 % and 10 % are ⌈4/100⌉ = ⌈4/10⌉
// = 1 unit holding 4 / 10 = 0.4.
// x = 2, 2, 2, 2, 12 (n = 5): mean 4, Gini = (4 pairs × 10 × 2) / (2 × 25
// × 4) = 0.4, top 1 unit holds 12 / 20 = 0.6.
func TestDistributionOf(t *testing.T) {
	nan := math.NaN()
	type want struct {
		n                                                      int
		mean, median, min, max, p10, p90, gini, theil, cv, top float64
		tops                                                   int
		notes                                                  int
	}
	for _, c := range []struct {
		name string
		x    []float64
		w    want
		tol  float64
	}{
		{"1-4", []float64{4, nan, 1, 3, 2}, want{4, 2.5, 2.5, 1, 4, 1.3, 3.7, 0.25, 0.106440, 0.447214, 0.4, 1, 0}, 1e-6},
		{"one large", []float64{2, 2, 12, 2, 2}, want{5, 4, 2, 2, 12, 2, 8, 0.4, nan, nan, 0.6, 1, 0}, 1e-12},
		{"negative", []float64{-1, 1, 3}, want{3, 1, 1, -1, 3, -0.6, 2.6, nan, nan, nan, nan, 0, 1}, 1e-12},
		{"empty", []float64{nan}, want{0, nan, nan, nan, nan, nan, nan, nan, nan, nan, nan, 0, 0}, 0},
	} {
		in := slices.Clone(c.x)
		d := distributionOf(c.x)
		if !slices.EqualFunc(in, c.x, func(a, b float64) bool { return a == b || math.IsNaN(a) && math.IsNaN(b) }) {
			t.Errorf("%s: input changed", c.name)
		}
		if d.N != c.w.n || d.Top1Units != c.w.tops || len(d.Notes) != c.w.notes {
			t.Errorf("%s: n %d, top units %d, %d notes; want %d, %d, %d", c.name, d.N, d.Top1Units, len(d.Notes), c.w.n, c.w.tops, c.w.notes)
		}
		for _, f := range []struct {
			name      string
			got, want float64
		}{
			{"mean", float64(d.Mean), c.w.mean}, {"median", float64(d.Median), c.w.median}, {"min", float64(d.Min), c.w.min}, {"max", float64(d.Max), c.w.max},
			{"p10", float64(d.P10), c.w.p10}, {"p90", float64(d.P90), c.w.p90}, {"gini", float64(d.Gini), c.w.gini},
			{"top1", float64(d.Top1Share), c.w.top},
		} {
			if math.IsNaN(f.want) != math.IsNaN(f.got) || math.Abs(f.got-f.want) > c.tol {
				t.Errorf("%s: %s = %v, want %v", c.name, f.name, f.got, f.want)
			}
		}
		// Theil and CV are checked where computed by hand.
		if c.name == "1-4" && (math.Abs(float64(d.TheilT)-c.w.theil) > c.tol || math.Abs(float64(d.CV)-c.w.cv) > c.tol) {
			t.Errorf("%s: Theil %v, CV %v; want %v, %v", c.name, d.TheilT, d.CV, c.w.theil, c.w.cv)
		}
		if (d.Density != nil) != (c.w.n >= 2) {
			t.Errorf("%s: density %v with %d values", c.name, d.Density != nil, c.w.n)
		}
	}
}

// A file of free units whose indicators are no known framework gets an
// inferred one: every indicator that varies across the units in the
// latest year, equal weights, min-max, arithmetic; a constant indicator is
// left out and named. The national picture's index is computed by hand
// below.
func TestNationalFrameworkInferred(t *testing.T) {
	path := writeCSV(t, `region,indicator,year,value
Alpha,a,2020,1
Beta,a,2020,2
Gamma,a,2020,4
Alpha,b,2020,30
Beta,b,2020,20
Gamma,b,2020,20
Alpha,c,2020,5
Beta,c,2020,5
Gamma,c,2020,5
Alpha,a,2019,9
`)
	ds := load(t, path)
	fw, from, dropped, err := NationalFramework(ds, "en")
	if err != nil {
		t.Fatal(err)
	}
	var codes []string
	for _, ind := range fw.Indicators {
		codes = append(codes, ind.Code)
	}
	if from != FrameworkInferred || !slices.Equal(codes, []string{"a", "b"}) || !slices.Equal(dropped, []string{"c"}) {
		t.Fatalf("framework from %s with %v, dropped %v; want inferred, [a b], [c]", from, codes, dropped)
	}
	n, err := ReportNational(context.Background(), ds, NationalRequest{Lang: "en", Runs: 20})
	if err != nil {
		t.Fatal(err)
	}
	// 2020: a = 1, 2, 4 → 0, 33.333, 100; b = 30, 20, 20 → 100, 0, 0;
	// the index is their mean: Alpha 50, Beta 16.667, Gamma 50.
	want := map[string]float64{"Alpha": 50, "Beta": 50.0 / 3, "Gamma": 50}
	if n.Units != 3 || n.Year != 2020 || !n.FreeUnits || len(n.Agglomerations) != 0 || n.Lon != nil || n.MapNote.EN == "" {
		t.Errorf("units %d, year %d, free %v, agglomerations %v, map %v", n.Units, n.Year, n.FreeUnits, n.Agglomerations, n.Lon != nil)
	}
	for _, u := range n.Index.Units {
		if w, ok := want[u.Name]; !ok || math.Abs(float64(u.Index)-w) > 1e-9 {
			t.Errorf("%s: index %v, want %v", u.Name, u.Index, w)
		}
	}
	// The index's distribution comes first: mean (50 + 16.667 + 50) / 3.
	if d := n.Distributions[0]; !d.Index || d.N != 3 || math.Abs(float64(d.Mean)-(350.0/9)) > 1e-9 {
		t.Errorf("index distribution: %+v", d)
	}
}

// Data whose only unit is the nation give no national picture, with an
// error for which IsNoUnits holds.
func TestReportNationalNoUnits(t *testing.T) {
	ds := load(t, "../../testdata/china2019/national_2019_long.csv")
	if _, err := ReportNational(context.Background(), ds, NationalRequest{Lang: "en"}); !IsNoUnits(err) {
		t.Errorf("error %v, want a no-units error", err)
	}
	if _, err := Diagnose(ds, DiagnosisRequest{}); !IsNoUnits(err) {
		t.Errorf("diagnosis: error %v, want a no-units error", err)
	}
}

// NationalRuns: 1,000 runs below 100,000 units × indicators, 200 from
// there on (the national file: 2,900 × 120 = 348,000 cells).
func TestNationalRuns(t *testing.T) {
	for _, c := range []struct{ n, k, want int }{
		{30, 6, NationalRunsSmall},
		{999, 100, NationalRunsSmall},  // 99,900 cells
		{1000, 100, NationalRunsLarge}, // 100,000 cells
		{2900, 120, NationalRunsLarge}, // the national file
		{0, 0, NationalRunsSmall},      // no data
	} {
		if got := NationalRuns(c.n, c.k); got != c.want {
			t.Errorf("NationalRuns(%d, %d) = %d, want %d", c.n, c.k, got, c.want)
		}
	}
}

// A framework the user gives is used as it is and the report says so; the
// free units of the fixture have neither a map nor agglomerations.
func TestReportNationalGivenFramework(t *testing.T) {
	path := writeCSV(t, `region,indicator,year,value
Alpha,a,2020,1
Beta,a,2020,2
Gamma,a,2020,4
Alpha,b,2020,30
Beta,b,2020,20
Gamma,b,2020,20
`)
	ds := load(t, path)
	fw, _, _, err := NationalFramework(ds, "en")
	if err != nil {
		t.Fatal(err)
	}
	// Only a: the index is a's min-max score, (x − 1) / (4 − 1) × 100 =
	// 0, 33.333, 100.
	fw.Indicators = fw.Indicators[:1]
	n, err := ReportNational(context.Background(), ds, NationalRequest{Framework: fw, Lang: "en", Runs: 10})
	if err != nil {
		t.Fatal(err)
	}
	if n.FrameworkFrom != FrameworkGiven || n.Framework != fw || n.FrameworkNote.EN == "" || n.FrameworkNote.ZH == "" {
		t.Errorf("framework from %q, note %q", n.FrameworkFrom, n.FrameworkNote.EN)
	}
	want := map[string]float64{"Alpha": 0, "Beta": 100.0 / 3, "Gamma": 100}
	for _, u := range n.Index.Units {
		if math.Abs(float64(u.Index)-want[u.Name]) > 1e-9 {
			t.Errorf("%s: index %v, want %v", u.Name, u.Index, want[u.Name])
		}
	}
	if n.Uncertainty == nil || n.Uncertainty.N != 10 {
		t.Errorf("uncertainty %v, want 10 runs", n.Uncertainty)
	}
}
