package composite

import "math"

// Normalise returns the normalised values of one indicator (missing values
// stay missing). Direction is applied first as COINr: x·direction. ref is the
// row of the reference unit for dist2ref (ignored otherwise) and goalposts
// the indicator's [lo, hi] for goalposts.
//
//	minmax     l + (x − min)/(max − min)·(u − l)
//	zscore     (x − mean)/sd·s + m          (sample sd)
//	rank       rank(x), ties "min"
//	prank      (rank(x) − 1)/(n − 1)         (COINr n_prank)
//	dist2max   1 − (max − x)/(max − min)
//	dist2ref   1 − (x_ref − x)/(x_ref − min), capped at 1 if CapMax
//	goalposts  (x − lo)/(hi − lo) clipped to [0, 1], times Scale; with
//	           direction −1: (hi − x)/(hi − lo)
//	fracmax    x/max
//
// A constant indicator gives NaN for minmax, zscore and dist2max, as COINr.
func Normalise(x []float64, direction int, s Normalisation, ref int, goalposts []float64) []float64 {
	s = s.withDefaults()
	y := make([]float64, len(x))
	d := float64(direction)
	if direction == 0 {
		d = 1
	}
	for i, v := range x {
		y[i] = v * d
	}
	switch s.Method {
	case NormMinMax:
		lo, hi := minMax(y)
		f := (s.Upper - s.Lower) / (hi - lo)
		for i, v := range y {
			y[i] = (v-lo)*f + s.Lower
		}
		if hi == lo {
			fillNaN(y)
		}
	case NormZScore:
		m, sd, _ := meanSD(y)
		for i, v := range y {
			y[i] = (v-m)/sd*s.SD + s.Mean
		}
	case NormRank:
		r, _ := rankAsc(y)
		copy(y, r)
	case NormPRank:
		r, n := rankAsc(y)
		for i, v := range r {
			y[i] = (v - 1) / float64(n-1)
		}
	case NormDist2Max:
		lo, hi := minMax(y)
		for i, v := range y {
			y[i] = 1 - (hi-v)/(hi-lo)
		}
		if hi == lo {
			fillNaN(y)
		}
	case NormDist2Ref:
		lo, _ := minMax(y)
		xr := math.NaN()
		if ref >= 0 && ref < len(y) {
			xr = y[ref]
		}
		for i, v := range y {
			y[i] = 1 - (xr-v)/(xr-lo)
			if s.CapMax && y[i] > 1 {
				y[i] = 1
			}
		}
	case NormGoalposts:
		if len(goalposts) != 2 {
			fillNaN(y)
			break
		}
		gl, gh := goalposts[0], goalposts[1]
		for i := range y {
			var t float64
			if d < 0 {
				t = (gh - x[i]) / (gh - gl)
			} else {
				t = (x[i] - gl) / (gh - gl)
			}
			t = math.Min(math.Max(t, 0), 1)
			if math.IsNaN(x[i]) {
				t = math.NaN()
			}
			y[i] = t * s.Scale
		}
	case NormFracMax:
		_, hi := minMax(y)
		for i, v := range y {
			y[i] = v / hi
		}
	}
	return y
}

func fillNaN(y []float64) {
	for i := range y {
		y[i] = math.NaN()
	}
}
