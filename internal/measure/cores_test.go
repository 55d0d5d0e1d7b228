package measure

import (
	"math"
	"slices"
	"testing"
)

func TestCoreMeasures(t *testing.T) {
	// Hand: H_1 = 1, H_2 = 1.5, H_4 = 25/12, H_16 = 3.380728993228…
	checkNear(t, "E_1,1", ZipfTopShare(1, 1), 1, 0)
	checkNear(t, "E_2,4", ZipfTopShare(2, 4), 1.5/(25.0/12), 1e-15)
	checkNear(t, "E_1,4", ZipfTopShare(1, 4), 12.0/25, 1e-15)
	// H_16 = 2436559/720720 (exact fraction; Python fractions.Fraction).
	checkNear(t, "E_2,16", ZipfTopShare(2, 16), 1.5/(2436559.0/720720), 1e-15)
	for _, c := range [][2]int{{0, 3}, {4, 3}, {-1, 2}} {
		if !math.IsNaN(ZipfTopShare(c[0], c[1])) {
			t.Errorf("ZipfTopShare%v should be NaN", c)
		}
	}

	// Toy UA-11 (docs/methods.md#toy-data) with the largest unit as the
	// core: CP = S2 = 1200/450.
	toy := toyUA11()
	checkNear(t, "CP = S2", CorePrimacy(toy[:1], toy[1:]), 1200.0/450, 1e-15)
	// Two cores 1200 and 380 (a core need not be the largest): the smallest
	// core over the largest other unit, 380/450.
	cores, others := []float64{1200, 380}, []float64{450, 260, 150, 90, 80, 70, 60, 50, 40}
	cc, oc := slices.Clone(cores), slices.Clone(others)
	checkNear(t, "CP two cores", CorePrimacy(cores, others), 380.0/450, 1e-15)
	// Second tier, k = 2, m = max(2, 2) = 2, P_min = 380: predicted
	// 380·2/3 + 380·2/4 = 253.333… + 190 = 443.333…; actual 450 + 260 = 710.
	r, m := SecondTier(cores, others, 0)
	checkNear(t, "R", r, 710/(380*2.0/3+190), 1e-15)
	if m != 2 || !slices.Equal(cores, cc) || !slices.Equal(others, oc) {
		t.Errorf("m = %d, inputs changed: %v %v", m, cores, others)
	}
	// One core 1200, m = 3: predicted 1200(1/2 + 1/3 + 1/4) = 1300; actual
	// 450 + 380 + 260 = 1090.
	r, m = SecondTier(toy[:1], toy[1:], 3)
	checkNear(t, "R k=1 m=3", r, 1090.0/1300, 1e-15)
	if m != 3 {
		t.Errorf("m = %d", m)
	}
	// An exact Zipf hierarchy gives R = 1 (P_r = 600/r, cores ranks 1-2).
	zipf := []float64{600, 300, 200, 150, 120}
	r, _ = SecondTier(zipf[:2], zipf[2:], 0)
	checkNear(t, "Zipf R", r, 1, 1e-15)
	// Edge cases: no core, one other unit, a negative size; NaN and zeros
	// dropped.
	for _, c := range [][2][]float64{{nil, {1, 2}}, {{5}, {1}}, {{5}, {-1, 2}}, {{5}, {math.NaN(), 0, 1}}} {
		if r, _ := SecondTier(c[0], c[1], 0); !math.IsNaN(r) {
			t.Errorf("SecondTier%v = %v, want NaN", c, r)
		}
	}
	if !math.IsNaN(CorePrimacy(nil, []float64{1})) || !math.IsNaN(CorePrimacy([]float64{1}, []float64{math.Inf(1)})) {
		t.Error("CorePrimacy edge cases")
	}
	checkNear(t, "CP NaN dropped", CorePrimacy([]float64{4, math.NaN()}, []float64{2, 0}), 2, 0)
}
