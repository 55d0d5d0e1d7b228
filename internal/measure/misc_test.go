package measure

import (
	"errors"
	"math"
	"slices"
	"testing"
)

func TestRatio(t *testing.T) {
	_, Y, y, _ := toyUA5()
	P, _, _, _ := toyUA5()
	// Hand: y = Y/P = [20, 12, 10, 7.5, 5] (Toy UA-5).
	checkSlice(t, "GDP per capita", Ratio(Y, P), y, 1e-15)
	r := Ratio([]float64{1, 1, math.NaN(), 1}, []float64{0, 2, 1, math.Inf(1)})
	if !math.IsNaN(r[0]) || r[1] != 0.5 || !math.IsNaN(r[2]) || !math.IsNaN(r[3]) {
		t.Errorf("edge cases: %v", r)
	}
	// Hand: 30 patents / 20000 persons × 1e4 = 15 per 10k people.
	checkNear(t, "scaled", ScaledRatio([]float64{30}, []float64{20000}, 1e4)[0], 15, 1e-15)
}

func TestCheck(t *testing.T) {
	labels := []string{"Hefei", "Wuhu", "Anqing"}
	err := Check("Gini", labels, []float64{1, -2, 3}, NonNegative|AllowMissing)
	var ie *InputError
	if !errors.As(err, &ie) || ie.Unit != 1 || ie.Label != "Wuhu" || ie.Value != -2 || ie.Method != "Gini" {
		t.Fatalf("err = %#v", err)
	}
	if want := `measure: Gini: unit 1 ("Wuhu"): value -2: negative values are not allowed`; err.Error() != want {
		t.Errorf("message %q, want %q", err.Error(), want)
	}
	for _, tc := range []struct {
		x    []float64
		rule Rule
		ok   bool
	}{
		{[]float64{1, math.NaN()}, NonNegative | AllowMissing, true},
		{[]float64{1, math.NaN()}, NonNegative, false},
		{[]float64{1, math.Inf(1)}, AllowMissing, false},
		{[]float64{1, 0}, Positive, false},
		{[]float64{0.5, 1}, UnitInterval, true},
		{[]float64{0.5, 1.01}, UnitInterval, false},
	} {
		if err := Check("m", nil, tc.x, tc.rule); (err == nil) != tc.ok {
			t.Errorf("Check(%v, %b) = %v", tc.x, tc.rule, err)
		}
	}
	err = CheckMatrix("DEA inputs", []string{"a", "b"}, [][]float64{{1, 2}, {3, math.NaN()}}, NonNegative)
	if want := `measure: DEA inputs: unit 1 ("b"): column 1: value NaN: missing values are not allowed`; err == nil || err.Error() != want {
		t.Errorf("matrix message %v", err)
	}
}

func TestPanel(t *testing.T) {
	// Gini per year of the first two mexico.csv columns; each must equal
	// the direct call (the 1940 value is from pysal/inequality@ced4d24
	// inequality/tests/test_gini.py).
	panel := [][]float64{mexicoColumn(t, "pcgdp1940"), mexicoColumn(t, "pcgdp1950")}
	g := PerPeriod(panel, func(x []float64) float64 { return Gini(x, nil) })
	checkNear(t, "1940", g[0], 0.35372371173452849, 1e-14)
	checkNear(t, "1950", g[1], Gini(panel[1], nil), 0)
	P, _, y, _ := toyUA5()
	gw := PerPeriodWeighted([][]float64{y}, [][]float64{P}, Gini)
	checkNear(t, "weighted", gw[0], 0.1912442396313364, 1e-14)
	// Hand: v = 1 + 2t exactly → slope 2, intercept 1, R² 1; NaN dropped.
	tr := Trend([]float64{2000, 2001, 2002, 2003}, []float64{4001, 4003, math.NaN(), 4007})
	checkNear(t, "slope", tr.Slope, 2, 1e-9)
	checkNear(t, "intercept", tr.Intercept, 1, 1e-6)
	checkNear(t, "R2", tr.R2, 1, 1e-12)
	if tr.N != 3 {
		t.Errorf("N = %d", tr.N)
	}
	if r := Trend([]float64{1}, []float64{1}); !math.IsNaN(r.Slope) {
		t.Error("one point should give NaN")
	}
	if r := CoreShareChange([][]float64{{1, 1}}, 0); !math.IsNaN(r.Delta) {
		t.Error("one period should give NaN")
	}
	// Hand: shares 1/2 → 3/4.
	sc := CoreShareChange([][]float64{{1, 1}, {2, 1}, {3, 1}}, 0)
	if sc.Start != 0.5 || sc.End != 0.75 || sc.Delta != 0.25 {
		t.Errorf("core share change %+v", sc)
	}
}

// TestNoMutation calls every slice-taking function on shared inputs and
// checks that they are unchanged.
func TestNoMutation(t *testing.T) {
	x := []float64{5, math.NaN(), 1, 3, 0, 9, 2, 8, 7, 6, 4, 3}
	w := []float64{1, 2, 3, 1, 2, 3, 1, 2, 0, 3, 1, 2}
	g := []int{2, 1, 2, 1, 2, 1, 3, 3, 1, 2, 1, 1}
	xc, wc, gc := slices.Clone(x), slices.Clone(w), slices.Clone(g)
	Gini(x, nil)
	Gini(x, w)
	NormalizedGini(x)
	CV(x, w)
	SampleCV(x)
	Williamson(x, w)
	TheilDecompose(TheilT, x, w, g)
	TheilDecompose(TheilL, x, nil, g)
	Inequality(x, w)
	Inequality(x, nil)
	TopShare(x, 2)
	Primacy(x)
	HHI(x)
	RankSize(x, 0)
	Polycentricity(x)
	Trend(w, x)
	if !slices.EqualFunc(x, xc, sameFloat) || !slices.Equal(w, wc) || !slices.Equal(g, gc) {
		t.Fatal("input mutated")
	}
}
