package measure

import (
	"math"
	"slices"
	"testing"
)

// R's type-7 quantile (the default of R's quantile and numpy's
// "linear"): h = (n−1)p, q = x[⌊h⌋] + (h−⌊h⌋)(x[⌊h⌋+1] − x[⌊h⌋]).
// Expected values by hand from that formula.
func TestQuantile7(t *testing.T) {
	for _, c := range []struct {
		s    []float64
		p    float64
		want float64
	}{
		{[]float64{1, 2, 3, 4, 5}, 0.1, 1.4}, // h = 0.4
		{[]float64{1, 2, 3, 4, 5}, 0.5, 3},   // h = 2
		{[]float64{1, 2, 3, 4, 5}, 0.9, 4.6}, // h = 3.6
		{[]float64{1, 3}, 0.25, 1.5},         // h = 0.25
		{[]float64{1, 2, 3, 4}, 0.5, 2.5},    // h = 1.5
		{[]float64{10}, 0.9, 10},             // one value
		{[]float64{1, 2, 3, 4, 5}, 1, 5},     // the maximum
		{[]float64{1, 2, 3, 4, 5}, 0, 1},     // the minimum
		{nil, 0.5, math.NaN()},               // no values
	} {
		in := slices.Clone(c.s)
		if got := Quantile7(c.s, c.p); !(math.Abs(got-c.want) <= 1e-12 || math.IsNaN(got) && math.IsNaN(c.want)) {
			t.Errorf("Quantile7(%v, %v) = %v, want %v", c.s, c.p, got, c.want)
		}
		if !slices.Equal(in, c.s) {
			t.Errorf("Quantile7 changed its input %v", in)
		}
	}
}

// Pearson's r by hand: b = 2a gives 1, b = 5 − a gives −1; the pair with
// a NaN is left out (n counts the others); a = 1, 2, 3 and b = 1, 3, 2:
// ā = b̄ = 2, Σ(a−ā)(b−b̄) = (−1)(−1) + 0 + (1)(0) = 1, Σ(a−ā)² = Σ(b−b̄)² =
// 2, r = 1/2; a constant or fewer than two pairs give NaN.
func TestPearsonN(t *testing.T) {
	nan := math.NaN()
	for _, c := range []struct {
		a, b  []float64
		want  float64
		wantN int
	}{
		{[]float64{1, 2, 3, 4}, []float64{2, 4, 6, 8}, 1, 4},
		{[]float64{1, 2, 3, 4}, []float64{4, 3, 2, 1}, -1, 4},
		{[]float64{1, 2, nan, 3}, []float64{1, 3, 9, 2}, 0.5, 3},
		{[]float64{1, 2, 3}, []float64{5, 5, 5}, nan, 3},
		{[]float64{1, nan}, []float64{2, 3}, nan, 1},
	} {
		got, n := PearsonN(c.a, c.b)
		if n != c.wantN || !(math.Abs(got-c.want) <= 1e-12 || math.IsNaN(got) && math.IsNaN(c.want)) {
			t.Errorf("PearsonN(%v, %v) = %v, %d; want %v, %d", c.a, c.b, got, n, c.want, c.wantN)
		}
	}
}
