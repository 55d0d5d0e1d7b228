package cli

import "testing"

// TestRatioSummary: hand-computed: the median of 3 values is the middle
// one, of 4 the mean of the two middle ones ((2 + 3)/2 = 2.5).
func TestRatioSummary(t *testing.T) {
	for _, c := range []struct {
		in          []float64
		lo, med, hi float64
	}{
		{[]float64{0.7}, 0.7, 0.7, 0.7},
		{[]float64{3, 1, 2}, 1, 2, 3},
		{[]float64{4, 1, 3, 2}, 1, 2.5, 4},
	} {
		lo, med, hi := ratioSummary(c.in)
		if lo != c.lo || med != c.med || hi != c.hi {
			t.Errorf("ratioSummary(%v) = %v, %v, %v; want %v, %v, %v", c.in, lo, med, hi, c.lo, c.med, c.hi)
		}
	}
}
