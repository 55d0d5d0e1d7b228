package measure

import (
	"math"
	"slices"
	"strconv"
	"testing"
)

func TestAtkinson(t *testing.T) {
	var ref inequalityRef
	readRefJSON(t, "inequality/inequality.json", &ref)
	y := mexicoColumn(t, "pcgdp1940")
	yc := slices.Clone(y)
	// gen_inequality.py (numpy closed forms), Mexican states 1940.
	for _, eps := range []float64{0.5, 1, 1.5, 2, 3} {
		key := strconv.FormatFloat(eps, 'f', -1, 64)
		if eps == 1 {
			key = "1"
		}
		want, ok := ref.Atkinson1940[key]
		if !ok {
			t.Fatalf("no reference for ε = %s", key)
		}
		checkNear(t, "Atkinson ε="+key, Atkinson(y, nil, eps), want, 1e-12)
	}
	if !slices.Equal(y, yc) {
		t.Error("input mutated")
	}
	// Population-weighted, cities' growth ratio with pop2010 (gen_inequality.py).
	ratio, pop, _ := cityRatio(t, ref.CityCodes)
	for key, want := range ref.AtkinsonCity {
		eps, _ := strconv.ParseFloat(key, 64)
		checkNear(t, "weighted Atkinson ε="+key, Atkinson(ratio, pop, eps), want, 1e-12)
	}
	nan := math.NaN()
	for _, tc := range []struct {
		name string
		y, w []float64
		eps  float64
		want float64
		tol  float64
	}{
		// Hand: y = (1, 3), μ = 2; ε = 1: 1 − √3/2; ε = 2: harmonic mean
		// 2/(1 + 1/3) = 1.5 → 1 − 0.75; ε = 0.5: ((1 + √3)/2)² = 1.8660…
		// → 1 − 1.8660/2.
		{"ε=1", []float64{1, 3}, nil, 1, 1 - math.Sqrt(3)/2, 1e-15},
		{"ε=2", []float64{1, 3}, nil, 2, 0.25, 1e-15},
		{"ε=0.5", []float64{1, 3}, nil, 0.5, 1 - math.Pow((1+math.Sqrt(3))/2, 2)/2, 1e-15},
		{"ε=0", []float64{1, 3}, nil, 0, 0, 1e-15},
		// Hand: weights (3, 1) on (1, 3): μ = 1.5, geometric mean 3^(1/4).
		{"weighted ε=1", []float64{1, 3}, []float64{3, 1}, 1, 1 - math.Pow(3, 0.25)/1.5, 1e-15},
		{"equal", []float64{4, 4, 4}, nil, 2, 0, 1e-15},
		{"zero ε=1", []float64{0, 2}, nil, 1, 1, 0},
		{"zero ε=2", []float64{0, 2}, nil, 2, 1, 0},
		// Hand: ε = 0.5 with a zero: ((0 + √2)/2)² = 0.5 → 1 − 0.5/1.
		{"zero ε=0.5", []float64{0, 2}, nil, 0.5, 0.5, 1e-15},
		{"NaN dropped", []float64{1, nan, 3}, nil, 2, 0.25, 1e-15},
		{"negative", []float64{1, -3}, nil, 1, nan, 0},
		{"negative ε", []float64{1, 3}, nil, -1, nan, 0},
		{"empty", nil, nil, 1, nan, 0},
		{"zero total", []float64{0, 0}, nil, 1, nan, 0},
	} {
		checkNear(t, tc.name, Atkinson(tc.y, tc.w, tc.eps), tc.want, tc.tol)
	}
	// A_1 = 1 − exp(−MLD) (Atkinson 1970; Theil L is the MLD).
	checkNear(t, "A_1 vs MLD", Atkinson(y, nil, 1), 1-math.Exp(-MeanLogDeviation(y, nil)), 1e-14)
}
