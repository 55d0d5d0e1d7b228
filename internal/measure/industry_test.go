package measure

import (
	"math"
	"math/rand/v2"
	"testing"
)

// toyEmployment returns the toy employment matrix (docs/methods.md#toy-data):
// cities A, B, C × sectors (manufacturing, ICT, finance, other).
func toyEmployment() [][]float64 {
	return [][]float64{{120, 80, 60, 140}, {200, 30, 20, 150}, {90, 20, 10, 80}}
}

func TestSimilarity(t *testing.T) {
	e := toyEmployment()
	ec := cloneMatrix(e)
	s := Similarity(e)
	// Cosines evaluated independently in Python; hand for S_AB:
	// 48600/sqrt(44000·63800).
	checkNear(t, "S_AB", s[0][1], 0.9172750729299459, 1e-14)
	checkNear(t, "S_AC", s[0][2], 0.9419837224354428, 1e-14)
	checkNear(t, "S_BC", s[1][2], 0.9956226031062633, 1e-14)
	checkNear(t, "mean", MeanOffDiagonal(s), 0.951627132823884, 1e-14)
	for i := range s {
		if s[i][i] != 1 {
			t.Errorf("S_%d%d = %v, want 1", i, i, s[i][i])
		}
		for j := range s {
			if s[i][j] != s[j][i] {
				t.Error("not symmetric")
			}
		}
	}
	// City vs rest: hand check for A: rest = B + C = (290, 50, 30, 230).
	checkNear(t, "S_A,rest", SimilarityToRest(e)[0], Cosine(e[0], []float64{290, 50, 30, 230}), 1e-15)
	k := KrugmanMatrix(e)
	// Hand: shares A = (.3, .2, .15, .35), B = (.5, .075, .05, .375),
	// C = (.45, .1, .05, .4); K_AB = .2 + .125 + .1 + .025 = 0.45; against
	// the rest evaluated independently in Python.
	checkNear(t, "K_AB", k[0][1], 0.45, 1e-14)
	checkNear(t, "K_AC", k[0][2], 0.4, 1e-14)
	checkNear(t, "K_BC", k[1][2], 0.1, 1e-14)
	checkNear(t, "K mean", MeanOffDiagonal(k), 0.3166666666666667, 1e-14)
	checkNear(t, "K_AB func", Krugman(e[0], e[1]), 0.45, 1e-14)
	kr := KrugmanToRest(e)
	for i, want := range []float64{0.4333333333333334, 0.3166666666666667, 0.175} {
		checkNear(t, "K vs rest", kr[i], want, 1e-14)
	}
	// REAT 3.0.3 man/krugman.spec.Rd example: 2.
	checkNear(t, "REAT krugman", Krugman([]float64{20, 10, 70, 0, 0}, []float64{0, 0, 0, 60, 40}), 2, 1e-15)
	if !equalMatrix(e, ec) {
		t.Fatal("input mutated")
	}
	// Edge: an all-zero city → NaN (docs/methods.md#similarity).
	z := Similarity([][]float64{{1, 2}, {0, 0}})
	if !math.IsNaN(z[1][1]) || !math.IsNaN(z[0][1]) || z[0][0] != 1 {
		t.Errorf("zero row: %v", z)
	}
	checkNear(t, "Krugman zero", Krugman([]float64{0, 0}, []float64{1, 1}), math.NaN(), 0)
	checkNear(t, "Cosine negative", Cosine([]float64{-1, 2}, []float64{1, 1}), math.NaN(), 0)
}

// TestSimilarityProperties: S_ii = 1, S ∈ [0, 1], K ∈ [0, 2] and the
// cosine is invariant to scaling a row.
func TestSimilarityProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	for range 100 {
		n, k := 2+rng.IntN(6), 1+rng.IntN(6)
		e := make([][]float64, n)
		for i := range e {
			e[i] = make([]float64, k)
			for j := range e[i] {
				e[i][j] = rng.Float64() * 100
			}
		}
		s := Similarity(e)
		km := KrugmanMatrix(e)
		for i := range s {
			checkNear(t, "S_ii", s[i][i], 1, 0)
			for j := range s {
				if s[i][j] < -1e-15 || s[i][j] > 1+1e-12 || km[i][j] < 0 || km[i][j] > 2+1e-12 {
					t.Fatalf("out of range S=%v K=%v", s[i][j], km[i][j])
				}
			}
		}
		scaled := make([]float64, k)
		for j := range scaled {
			scaled[j] = 7 * e[0][j]
		}
		checkNear(t, "scale", Cosine(scaled, e[1]), s[0][1], 1e-13)
		checkNear(t, "scale K", Krugman(scaled, e[1]), km[0][1], 1e-13)
	}
}

func TestLocationQuotient(t *testing.T) {
	e := toyEmployment()
	lq := LocationQuotients(e, nil)
	// LQ with the agglomeration total as reference, printed to 9 decimals;
	// hand for A, manufacturing: (120/400)/(410/1000).
	want := [][]float64{
		{0.731707317, 1.538461538, 1.666666667, 0.945945946},
		{1.219512195, 0.576923077, 0.555555556, 1.013513514},
		{1.097560976, 0.769230769, 0.555555556, 1.081081081},
	}
	for i := range want {
		checkSlice(t, "LQ", lq[i], want[i], 5e-10)
	}
	// REAT 3.0.3 man/locq.Rd: locq(1714, 79006, 879213, 15593224) = 0.3847623
	// printed; hand (1714/79006)/(879213/15593224).
	checkNear(t, "REAT locq", LocationQuotient(1714, 79006, 879213, 15593224), 0.384762342301328, 1e-14)
	// Supplied reference (hand): ref = (1, 1, 1, 1) gives LQ = 4·share.
	r := LocationQuotients(e, []float64{1, 1, 1, 1})
	checkNear(t, "ref vector", r[0][0], 4*0.3, 1e-14)
	// Edge: sector absent from the reference → NaN.
	z := LocationQuotients([][]float64{{1, 0}, {2, 0}}, nil)
	checkNear(t, "E_k = 0", z[0][1], math.NaN(), 0)
}
