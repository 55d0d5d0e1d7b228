package measure

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

func TestGini(t *testing.T) {
	P, _, y, _ := toyUA5()
	nan := math.NaN()
	for _, tc := range []struct {
		name string
		x, w []float64
		want float64
		tol  float64
	}{
		// pysal/inequality@ced4d24 inequality/tests/test_gini.py (mexico.csv pcgdp1940).
		{"pysal mexico 1940", mexicoColumn(t, "pcgdp1940"), nil, 0.35372371173452849, 1e-14},
		// R ineq 0.2-13 tests/Examples/ineq-Ex.Rout.save: ineq(x), printed to 7 digits.
		{"ineq doc x10", []float64{541, 1463, 2445, 3438, 4437, 5401, 6392, 8304, 11904, 22261}, nil, 0.4620911, 5e-8},
		// REAT 3.0.3 man/gini.Rd: gini(sales).
		{"REAT sales", []float64{20, 50, 20, 10}, nil, 0.3, 1e-14},
		// REAT 3.0.3 man/gini.Rd weighted income example (inputs sorted by x):
		// 0.5278 printed, full digits from a REAT run.
		{"REAT income weighted", []float64{500, 1500, 2500, 4000, 7500, 15000},
			[]float64{1000, 1200, 1600, 400, 200, 600}, 0.527826086956522, 1e-13},
		// REAT 3.0.3 man/gini.Rd, German Länder GDP 2015: 0.5009 printed, full
		// digits from a REAT run.
		{"REAT Länder", []float64{460.69, 549.19, 124.16, 65.29, 31.59, 109.27, 263.44, 39.87,
			258.53, 645.59, 131.95, 35.03, 112.66, 56.22, 85.61, 56.81}, nil, 0.500934845830992, 1e-13},
		// Toy UA-5, hand: Σ_i Σ_j |y_i − y_j| = 2·69 = 138, G = 138/(2·5²·10.9) =
		// 138/545; agrees with runs of PySAL _gini, ineq::Gini and REAT::gini.
		{"toy unweighted", y, nil, 0.25321100917431194, 1e-14},
		// Toy UA-5 weighted by P: Σ_i Σ_j p_i p_j |y_i − y_j|/(2μ) evaluated
		// independently in Python; agrees with REAT::gini run on inputs sorted by y.
		{"toy weighted", y, P, 0.1912442396313364, 1e-14},
		// Hand calculation: equal values give 0.
		{"equal", []float64{3, 3, 3}, nil, 0, 0},
		// Hand calculation: one unit gives 0.
		{"single", []float64{7}, nil, 0, 0},
		// Hand: NaN dropped pairwise: Gini(1,3) = |1−3|·2/(2·4·2) = 0.25.
		{"NaN dropped", []float64{1, nan, 3}, nil, 0.25, 1e-15},
		{"NaN weight dropped", []float64{1, 100, 3}, []float64{1, nan, 1}, 0.25, 1e-15},
		{"zero weight dropped", []float64{1, 100, 3}, []float64{2, 0, 2}, 0.25, 1e-15},
		{"empty", nil, nil, nan, 0},
		{"all NaN", []float64{nan, nan}, nil, nan, 0},
		{"zero total", []float64{0, 0}, nil, nan, 0},
		{"negative", []float64{1, -2, 3}, nil, nan, 0},
		{"negative weight", []float64{1, 2}, []float64{1, -1}, nan, 0},
		{"infinite", []float64{1, math.Inf(1)}, nil, nan, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			x, w := slices.Clone(tc.x), slices.Clone(tc.w)
			checkNear(t, "Gini", Gini(tc.x, tc.w), tc.want, tc.tol)
			if !slices.EqualFunc(w, tc.w, sameFloat) || !slices.EqualFunc(x, tc.x, sameFloat) {
				t.Error("input mutated")
			}
		})
	}
}

func sameFloat(a, b float64) bool { return a == b || (math.IsNaN(a) && math.IsNaN(b)) }

// TestGiniPairwise checks the sorted and Lorenz forms against the pairwise
// definitions (docs/methods.md#gini), evaluated in the test, on random
// data, including ties and, for the weighted form, inputs large enough to
// use the radix sort.
func TestGiniPairwise(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{2, 5, 50, 700} {
		x := make([]float64, n)
		w := make([]float64, n)
		for i := range x {
			x[i] = math.Floor(rng.Float64() * 20) // ties
			w[i] = 1 + rng.Float64()*9
		}
		var num, numw, sw, swx float64
		for i := range x {
			sw += w[i]
			swx += w[i] * x[i]
			for j := range x {
				num += math.Abs(x[i] - x[j])
				numw += w[i] * w[j] * math.Abs(x[i]-x[j])
			}
		}
		mean := floatsSum(x) / float64(n)
		want := num / (2 * float64(n*n) * mean)
		mu := swx / sw
		wantW := numw / (sw * sw) / (2 * mu)
		checkNear(t, fmt.Sprintf("n=%d unweighted", n), Gini(x, nil), want, 1e-12)
		checkNear(t, fmt.Sprintf("n=%d weighted", n), Gini(x, w), wantW, 1e-12)
		// Unit weights reproduce the unweighted form.
		ones := make([]float64, n)
		for i := range ones {
			ones[i] = 1
		}
		checkNear(t, fmt.Sprintf("n=%d unit weights", n), Gini(x, ones), want, 1e-12)
	}
}

func floatsSum(x []float64) float64 {
	var s float64
	for _, v := range x {
		s += v
	}
	return s
}

func TestGiniProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for trial := range 200 {
		n := 1 + rng.IntN(40)
		x := make([]float64, n)
		w := make([]float64, n)
		for i := range x {
			x[i] = rng.ExpFloat64() * 100
			w[i] = rng.Float64() + 0.01
		}
		g := Gini(x, nil)
		gw := Gini(x, w)
		// Range: unweighted [0, (n−1)/n], weighted [0, 1) (docs/methods.md#gini).
		if !(g >= 0 && g <= float64(n-1)/float64(n)+1e-12) || !(gw >= 0 && gw < 1) {
			t.Fatalf("trial %d: Gini out of range: %v %v", trial, g, gw)
		}
		// Scale invariance in x and in w.
		xs := make([]float64, n)
		ws := make([]float64, n)
		for i := range x {
			xs[i] = 3.7 * x[i]
			ws[i] = 11 * w[i]
		}
		checkNear(t, "scaled x", Gini(xs, nil), g, 1e-12)
		checkNear(t, "scaled x and w", Gini(xs, ws), gw, 1e-12)
	}
}

func TestNormalizedGini(t *testing.T) {
	_, _, y, _ := toyUA5()
	// REAT 3.0.3 man/gini.Rd: gini(sales, coefnorm = TRUE) = 0.4.
	checkNear(t, "REAT sales", NormalizedGini([]float64{20, 50, 20, 10}), 0.4, 1e-14)
	// Toy UA-5, hand: (138/545)·5/4; agrees with REAT gini(coefnorm = TRUE).
	checkNear(t, "toy", NormalizedGini(y), 0.31651376146789006, 1e-14)
	// R ineq 0.2-13 tests/Examples/ineq-Ex.Rout.save: Gini(x, corr = TRUE)
	// (Lasym example data).
	x := []float64{50. / 9, 50. / 9, 50. / 9, 50. / 9, 50. / 9, 50. / 9, 50. / 9, 50. / 9, 50. / 9, 50}
	checkNear(t, "ineq corr", NormalizedGini(x), 0.4444444, 5e-8)
	// Edge case: n = 1 → NaN (the factor n/(n−1) is undefined).
	checkNear(t, "single", NormalizedGini([]float64{3}), math.NaN(), 0)
}

func TestCV(t *testing.T) {
	P, _, y, _ := toyUA5()
	// Toy UA-5: σ/ȳ with ÷n and ÷(n−1) evaluated independently in Python;
	// agree with runs of ineq::var.coeff and REAT::cv.
	checkNear(t, "CV", CV(y, nil), 0.46995407247213566, 1e-14)
	checkNear(t, "SampleCV", SampleCV(y), 0.525424626175279, 1e-14)
	// Toy UA-5 Williamson V_w, μ = ΣY/ΣP = 31000/2100 = 14.761904761904763,
	// evaluated independently in Python; agrees with a run of
	// REAT::williamson(wmean = TRUE).
	checkNear(t, "Williamson", Williamson(y, P), 0.35641147051734623, 1e-14)
	checkNear(t, "CV weighted", CV(y, P), 0.35641147051734623, 1e-14)
	// Edge cases (docs/methods.md#cv): n = 1 → CV 0, sample CV NaN; mean 0 → NaN.
	checkNear(t, "CV single", CV([]float64{4}, nil), 0, 0)
	checkNear(t, "SampleCV single", SampleCV([]float64{4}), math.NaN(), 0)
	checkNear(t, "CV zero mean", CV([]float64{0, 0}, nil), math.NaN(), 0)
	checkNear(t, "CV empty", CV(nil, nil), math.NaN(), 0)
	// Hand: NaN dropped: CV(2, 4) = 1/3.
	checkNear(t, "CV NaN", CV([]float64{2, math.NaN(), 4}, nil), 1.0/3, 1e-15)
}

func TestTheil(t *testing.T) {
	P, _, y, _ := toyUA5()
	// Toy UA-5 unweighted T and MLD on y, evaluated independently in Python; T
	// agrees with a run of PySAL Theil, the MLD with ineq::Theil(y, 1).
	checkNear(t, "toy T unweighted", Theil(y, nil), 0.10515167708992529, 1e-14)
	checkNear(t, "toy L unweighted", MeanLogDeviation(y, nil), 0.10724979937261762, 1e-14)
	// Toy UA-5 population-weighted T = Σ s_i ln(s_i/p_i) and L = Σ p_i
	// ln(p_i/s_i), evaluated independently in Python; agree with IC2 1.0-1
	// decompGEI(y, g, w = P, alpha = 1 and 0).
	checkNear(t, "toy T weighted", Theil(y, P), 0.06791511236747005, 1e-14)
	checkNear(t, "toy L weighted", MeanLogDeviation(y, P), 0.07639008751859372, 1e-14)
	// REAT 3.0.3 man/theil.Rd: theil(c(10,10,10,20,50)) = 0.2326302 (REAT's
	// theil is the MLD).
	checkNear(t, "REAT theil", MeanLogDeviation([]float64{10, 10, 10, 20, 50}, nil), 0.2326302, 5e-8)
	// Edge cases (docs/methods.md#theil): zero value → T finite, L = +Inf;
	// n = 1 → 0.
	checkNear(t, "zero T", Theil([]float64{0, 1}, nil), math.Ln2, 1e-15) // hand: s = (0,1): 1·ln(2·1)
	checkNear(t, "zero L", MeanLogDeviation([]float64{0, 1}, nil), math.Inf(1), 0)
	checkNear(t, "single", Theil([]float64{5}, nil), 0, 1e-15)
	checkNear(t, "negative", Theil([]float64{5, -1}, nil), math.NaN(), 0)
	checkNear(t, "empty", Theil(nil, nil), math.NaN(), 0)
}

// TestTheilMexico reproduces PySAL's Theil and TheilD test values for all
// seven years of mexico.csv: T and bg from pysal/inequality@5c6ea81
// inequality/tests/test_theil.py, wg from the TheilD docstring of
// inequality/theil.py; printed to 8 decimals.
func TestTheilMexico(t *testing.T) {
	wantT := []float64{0.20894344, 0.15222451, 0.10472941, 0.10194725, 0.09560113, 0.10511256, 0.10660832}
	wantBG := []float64{0.0345889, 0.02816853, 0.05260921, 0.05931219, 0.03205257, 0.02963731, 0.03635872}
	wantWG := []float64{0.17435454, 0.12405598, 0.0521202, 0.04263506, 0.06354856, 0.07547525, 0.0702496}
	regimeF := mexicoColumn(t, "hanson98")
	regime := make([]int, len(regimeF))
	for i, v := range regimeF {
		regime[i] = int(v)
	}
	for k, year := range []int{1940, 1950, 1960, 1970, 1980, 1990, 2000} {
		y := mexicoColumn(t, fmt.Sprintf("pcgdp%d", year))
		r := TheilDecompose(TheilT, y, nil, regime)
		checkNear(t, fmt.Sprint(year, " T"), r.Total, wantT[k], 5e-9)
		checkNear(t, fmt.Sprint(year, " bg"), r.Between, wantBG[k], 5e-9)
		checkNear(t, fmt.Sprint(year, " wg"), r.Within, wantWG[k], 5e-9)
		checkNear(t, fmt.Sprint(year, " T no groups"), Theil(y, nil), wantT[k], 5e-9)
	}
	// pysal/inequality@5c6ea81 inequality/tests/test_theil.py:
	// TheilD([0,0,0,10,10,10], [0,0,0,1,1,1]).
	r := TheilDecompose(TheilT, []float64{0, 0, 0, 10, 10, 10}, nil, []int{0, 0, 0, 1, 1, 1})
	checkNear(t, "toy T", r.Total, 0.6931471805599453, 1e-15)
	checkNear(t, "toy bg", r.Between, 0.6931471805599453, 1e-15)
	checkNear(t, "toy wg", r.Within, 0, 1e-15)
}

// TestTheilDecomposeToy checks the population-weighted decomposition of
// Toy UA-5: every number evaluated independently in Python from the
// definitions (docs/methods.md#theil); the totals, parts and groups agree
// with IC2 1.0-1 decompGEI(y, g, w = P).
func TestTheilDecomposeToy(t *testing.T) {
	P, _, y, g := toyUA5()
	pc, yc, gc := slices.Clone(P), slices.Clone(y), slices.Clone(g)
	rt := TheilDecompose(TheilT, y, P, g)
	if !slices.Equal(pc, P) || !slices.Equal(yc, y) || !slices.Equal(gc, g) {
		t.Fatal("input mutated")
	}
	const tol = 1e-14
	checkNear(t, "T", rt.Total, 0.06791511236747005, tol)
	checkNear(t, "T_B", rt.Between, 0.042457716332834836, tol)
	checkNear(t, "T_W", rt.Within, 0.025457396034635163, tol)
	checkNear(t, "T_B/T", rt.BetweenShare, 0.6251585965595965, tol)
	if len(rt.Groups) != 2 || rt.Groups[0].Group != 1 || rt.Groups[1].Group != 2 {
		t.Fatalf("groups = %+v", rt.Groups)
	}
	for i, want := range [][4]float64{
		{0.8387096774193548, 0.7142857142857142, 0.025218007386983085, 0.021150586840695488},
		{0.16129032258064513, 0.2857142857142857, 0.026702217002425997, 0.004306809193939676},
	} {
		gr := rt.Groups[i]
		checkNear(t, "s_g", gr.IncomeShare, want[0], tol)
		checkNear(t, "p_g", gr.PopulationShare, want[1], tol)
		checkNear(t, "T_g", gr.Value, want[2], 1e-13)
		checkNear(t, "s_g·T_g", gr.Contribution, want[3], 1e-13)
		checkNear(t, "share", gr.Share, want[3]/0.06791511236747005, 1e-12)
	}
	rl := TheilDecompose(TheilL, y, P, g)
	checkNear(t, "L", rl.Total, 0.07639008751859372, tol)
	checkNear(t, "L_B", rl.Between, 0.04866639947480174, tol)
	checkNear(t, "L_W", rl.Within, 0.027723688043792008, tol)
	checkNear(t, "L_1", rl.Groups[0].Value, 0.027174364281323582, 1e-13)
	checkNear(t, "L_2", rl.Groups[1].Value, 0.029096997449963094, 1e-13)
	// PySAL's TheilD form on the GDP totals (equal unit weights): Σ s_i ln(n s_i)
	// and bg evaluated independently in Python; agree with a PySAL TheilD run.
	_, Y, _, _ := toyUA5()
	rp := TheilDecompose(TheilT, Y, nil, g)
	checkNear(t, "PySAL totals T", rp.Total, 0.5697301667984622, tol)
	checkNear(t, "PySAL totals bg", rp.Between, 0.4090897858, 1e-9)
	checkNear(t, "PySAL totals wg", rp.Within, 0.160640381, 1e-8)
}

// TestTheilDecomposeProperties: between + within = total, single-member
// groups have index 0, scale invariance, and missing values are counted.
func TestTheilDecomposeProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for trial := range 200 {
		n := 1 + rng.IntN(30)
		y := make([]float64, n)
		w := make([]float64, n)
		g := make([]int, n)
		for i := range y {
			y[i] = rng.ExpFloat64() + 0.01
			w[i] = rng.Float64() + 0.01
			g[i] = rng.IntN(4) - 1
		}
		for _, idx := range []TheilIndex{TheilT, TheilL} {
			for _, weights := range [][]float64{nil, w} {
				r := TheilDecompose(idx, y, weights, g)
				if math.Abs(r.Between+r.Within-r.Total) > 1e-12 {
					t.Fatalf("trial %d %v: B+W = %v, T = %v", trial, idx, r.Between+r.Within, r.Total)
				}
				var share float64
				for _, gr := range r.Groups {
					share += gr.Share
					if gr.N == 1 && gr.Value != 0 {
						t.Fatalf("single-member group index %v", gr.Value)
					}
				}
				if r.Total > 1e-12 && math.Abs(share+r.BetweenShare-1) > 1e-9 {
					t.Fatalf("shares sum to %v", share+r.BetweenShare)
				}
				if r.Total < -1e-15 {
					t.Fatalf("negative Theil %v", r.Total)
				}
				ys := make([]float64, n)
				for i := range y {
					ys[i] = 42 * y[i]
				}
				checkNear(t, "scaled", TheilDecompose(idx, ys, weights, g).Total, r.Total, 1e-11)
			}
		}
	}
	r := TheilDecompose(TheilT, []float64{1, math.NaN(), 2}, []float64{1, 1, math.NaN()}, nil)
	if r.N != 1 || r.Dropped != 2 || r.Total != 0 {
		t.Errorf("missing values: %+v", r)
	}
}

func TestInequalitySummary(t *testing.T) {
	P, _, y, _ := toyUA5()
	// Expected values and their sources as in TestGini, TestCV and TestTheil.
	s := Inequality(append(slices.Clone(y), math.NaN()), append(slices.Clone(P), 10))
	if s.N != 5 || s.Dropped != 1 {
		t.Fatalf("N, Dropped = %d, %d", s.N, s.Dropped)
	}
	checkNear(t, "mean", s.Mean, 14.761904761904763, 1e-14)
	checkNear(t, "Gini", s.Gini, 0.1912442396313364, 1e-14)
	checkNear(t, "CV", s.CV, 0.35641147051734623, 1e-14)
	checkNear(t, "T", s.TheilT, 0.06791511236747005, 1e-14)
	checkNear(t, "L", s.TheilL, 0.07639008751859372, 1e-14)
	if !math.IsNaN(s.NormalizedGini) || !math.IsNaN(s.SampleCV) {
		t.Error("unweighted-only fields should be NaN with weights")
	}
	u := Inequality(y, nil)
	checkNear(t, "Gini", u.Gini, 0.25321100917431194, 1e-14)
	checkNear(t, "G*", u.NormalizedGini, 0.31651376146789006, 1e-14)
	checkNear(t, "SampleCV", u.SampleCV, 0.525424626175279, 1e-14)
	bad := Inequality([]float64{1, -1}, nil)
	if !math.IsNaN(bad.Gini) || !math.IsNaN(bad.TheilT) {
		t.Error("negative input should give NaN")
	}
}

func TestRadixSort(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	x := make([]float64, 5000)
	for i := range x {
		switch i % 3 {
		case 0:
			x[i] = rng.ExpFloat64() * 1e6
		case 1:
			x[i] = math.Floor(rng.Float64() * 10)
		default:
			x[i] = rng.Float64() * 1e-300
		}
	}
	want := slices.Clone(x)
	slices.Sort(want)
	sortNonNegative(x)
	if !slices.Equal(x, want) {
		t.Fatal("radix sort differs from slices.Sort")
	}
	p := make([]weighted, 3000)
	for i := range p {
		p[i] = weighted{math.Floor(rng.Float64() * 50), float64(i)}
	}
	sortWeighted(p)
	for i := 1; i < len(p); i++ {
		if p[i].x < p[i-1].x || (p[i].x == p[i-1].x && p[i].w < p[i-1].w) {
			t.Fatal("weighted radix sort not sorted or not stable")
		}
	}
}
