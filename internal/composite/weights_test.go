package composite

import (
	"math"
	"testing"
)

// The weights toy of docs/methods.md#toy-data, X (cities A..E × [R&D
// expenditure (+), invention patents (+), energy per GDP (−)]). Every
// expected value below was evaluated independently from the definitions in
// Python (standard library); agreements with reference runs are noted.
var methodsX = [][]float64{
	{120, 9800, 0.45},
	{45, 2600, 0.32},
	{30, 3100, 0.51},
	{18, 900, 0.60},
	{8, 300, 0.38},
}
var methodsDirs = []int{1, 1, -1}

func approx(t *testing.T, name string, got, want []float64, tol float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: got %d values, want %d", name, len(got), len(want))
	}
	for i := range want {
		if math.Abs(got[i]-want[i]) > tol {
			t.Errorf("%s[%d] = %.15g, want %.15g (tol %g)", name, i, got[i], want[i], tol)
		}
	}
}

func TestObjectiveWeightsToy(t *testing.T) {
	cases := []struct {
		variant string
		want    []float64
		tol     float64
	}{
		// Strict entropy weights (0·ln 0 = 0).
		{EntropyStrict, []float64{0.3905862716036869, 0.4035626629243824, 0.20585106547193063}, 1e-12},
		// Entropy weights with z + 0.0001.
		{EntropyShift, []float64{0.3905833103943725, 0.4035592837282321, 0.20585740587739546}, 1e-12},
		// Entropy weights with z rescaled to [0.002, 0.998]; agree to 15 digits
		// with a run of zhjx19/mathmodels@8bf5e8f entropy_weight.
		{EntropyEpsilon, []float64{0.39046749767751177, 0.403377126240466, 0.2061553760820222}, 1e-12},
	}
	for _, c := range cases {
		w, err := EntropyWeights(methodsX, methodsDirs, c.variant)
		if err != nil {
			t.Fatal(err)
		}
		approx(t, "entropy "+c.variant, w, c.want, c.tol)
	}
	// CRITIC; agrees with a run of mathmodels critic_weight(method = "std").
	w, err := CRITICWeights(methodsX, methodsDirs)
	if err != nil {
		t.Fatal(err)
	}
	approx(t, "critic", w, []float64{0.2434132086324751, 0.2654017245513806, 0.49118506681614416}, 1e-12)
	// CV weights (sample s); agree with a run of mathmodels cv_weight.
	w, err = CVWeights(methodsX)
	if err != nil {
		t.Fatal(err)
	}
	approx(t, "cv", w, []float64{0.42262012465623366, 0.47592577717604145, 0.10145409816772483}, 1e-12)
}

func TestTOPSISToy(t *testing.T) {
	w := []float64{0.3905862716036869, 0.4035626629243824, 0.20585106547193063}
	// Classic vector TOPSIS with the strict entropy weights, evaluated
	// independently in Python; agrees to 15 digits with a run of mathmodels
	// topsis.
	got := TOPSIS(methodsX, w, methodsDirs)
	approx(t, "topsis", got, []float64{0.949692756322018, 0.29961279769253396, 0.254149848188743, 0.07552722807589675, 0.08238875832659448}, 1e-12)
	// Opricovic & Tzeng (2004) data (kotbaton/pymcdm@76e7735
	// test/test_mcdm.py::TestTOPSIS), classic vector TOPSIS evaluated
	// independently in Python; agrees with a run of pymcdm
	// TOPSIS(vector_normalization).
	got = TOPSIS([][]float64{{1, 3000}, {2, 3750}, {5, 4500}}, []float64{0.5, 0.5}, []int{-1, 1})
	approx(t, "topsis OT2004", got, []float64{0.762141, 0.722178, 0.237859}, 5e-7)
	if r := Ranks(TOPSIS(methodsX, w, methodsDirs)); r[0] != 1 || r[1] != 2 || r[2] != 3 || r[4] != 4 || r[3] != 5 {
		t.Errorf("ranks %v, want A>B>C>E>D", r)
	}
}

func TestEntropyScoreToy(t *testing.T) {
	// Entropy score S = Σ_j w_j z_ij: the directed min-max z aggregated
	// arithmetically with the strict entropy weights, evaluated independently
	// in Python.
	w, _ := EntropyWeights(methodsX, methodsDirs, EntropyStrict)
	cols := columns(methodsX)
	z := make([][]float64, 3)
	for j := range cols {
		z[j] = directedMinMax(cols[j], methodsDirs[j])
	}
	out := make([]float64, 5)
	if err := aggregateGroup(Aggregation{Method: AggArithmetic}, z, w, out, make([]float64, 5), nil); err != nil {
		t.Fatal(err)
	}
	approx(t, "score", out, []float64{0.904426, 0.432589, 0.261834, 0.060362, 0.161740}, 5e-7)
}

func TestWeightsSumToOne(t *testing.T) {
	for _, v := range entropyKinds {
		w, err := EntropyWeights(methodsX, methodsDirs, v)
		if err != nil {
			t.Fatal(err)
		}
		if s := w[0] + w[1] + w[2]; math.Abs(s-1) > 1e-12 {
			t.Errorf("entropy %s sums to %v", v, s)
		}
	}
	// Hand: a constant column gets weight 0 (z = 1, e = 1 for entropy; σ = 0
	// for CRITIC).
	x := [][]float64{{1, 5}, {2, 5}, {3, 5}}
	w, _ := EntropyWeights(x, nil, EntropyStrict)
	approx(t, "constant entropy", w, []float64{1, 0}, 0)
	w, _ = CRITICWeights(x, nil)
	approx(t, "constant critic", w, []float64{1, 0}, 0)
}
