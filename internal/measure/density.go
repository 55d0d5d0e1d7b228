package measure

import (
	"math"
	"slices"
)

// SilvermanBandwidth returns Silverman's rule-of-thumb bandwidth for a
// Gaussian kernel density estimate of x:
//
//	h = 0.9 · min(s, IQR/1.34) · n^(−1/5)
//
// with s the sample standard deviation (divisor n − 1) and IQR the
// interquartile range (quantiles of type 7, R's default). When the minimum
// is 0 it falls back to s, then to |x_1|, then to 1, exactly as R's
// bw.nrd0 (the default of R's density()). NaN values are dropped; returns
// NaN for fewer than 2 values or an infinite value.
//
// Source: Silverman, B. W. (1986), Density Estimation for Statistics and
// Data Analysis, Chapman & Hall, eq. (3.31); R stats::bw.nrd0.
func SilvermanBandwidth(x []float64) float64 {
	v, ok := finiteValues(x)
	if !ok || len(v) < 2 {
		return math.NaN()
	}
	first := v[0]
	slices.Sort(v)
	n := float64(len(v))
	m := mean(v)
	var ss float64
	for _, a := range v {
		ss += (a - m) * (a - m)
	}
	hi := math.Sqrt(ss / (n - 1))
	lo := math.Min(hi, (Quantile7(v, 0.75)-Quantile7(v, 0.25))/1.34)
	if lo == 0 {
		switch {
		case hi != 0:
			lo = hi
		case first != 0:
			lo = math.Abs(first)
		default:
			lo = 1
		}
	}
	return 0.9 * lo * math.Pow(n, -0.2)
}

// finiteValues returns the non-NaN values of x (a copy, in input order) and
// false if one is infinite.
func finiteValues(x []float64) ([]float64, bool) {
	v := make([]float64, 0, len(x))
	for _, a := range x {
		if math.IsNaN(a) {
			continue
		}
		if math.IsInf(a, 0) {
			return nil, false
		}
		v = append(v, a)
	}
	return v, true
}

// Quantile7 is the p-quantile (0 ≤ p ≤ 1) of the sorted values, R's
// default quantile (type 7, Hyndman and Fan 1996):
//
//	h = (n − 1)·p,  Q = x_⌊h⌋ + (h − ⌊h⌋)·(x_⌊h⌋+1 − x_⌊h⌋)
//
// NaN for no values. The values must be sorted and free of NaN.
func Quantile7(sorted []float64, p float64) float64 {
	n := len(sorted)
	if n == 0 {
		return math.NaN()
	}
	h := float64(n-1) * p
	lo := math.Floor(h)
	i := int(lo)
	if i+1 >= n {
		return sorted[n-1]
	}
	return sorted[i] + (h-lo)*(sorted[i+1]-sorted[i])
}

// PearsonN is Pearson's correlation of a and b over the pairs where both
// are present (not NaN), and the number of such pairs:
//
//	r = Σ(a − ā)(b − b̄) / √(Σ(a − ā)² Σ(b − b̄)²)
//
// NaN with fewer than two pairs or when either has no spread.
func PearsonN(a, b []float64) (float64, int) {
	var sa, sb float64
	n := 0
	for i := range a {
		if math.IsNaN(a[i]) || math.IsNaN(b[i]) {
			continue
		}
		sa += a[i]
		sb += b[i]
		n++
	}
	if n < 2 {
		return math.NaN(), n
	}
	ma, mb := sa/float64(n), sb/float64(n)
	var sab, saa, sbb float64
	for i := range a {
		if math.IsNaN(a[i]) || math.IsNaN(b[i]) {
			continue
		}
		da, db := a[i]-ma, b[i]-mb
		sab += da * db
		saa += da * da
		sbb += db * db
	}
	if saa == 0 || sbb == 0 {
		return math.NaN(), n
	}
	return sab / math.Sqrt(saa*sbb), n
}

// DensityResult is a kernel density estimate evaluated on a grid.
type DensityResult struct {
	// Bandwidth is the kernel's standard deviation h.
	Bandwidth float64
	// X is the evaluation grid and Y the density at each point.
	X, Y []float64
	// N values were used (NaN values dropped).
	N int
}

// DensityPoints is the default number of grid points of KernelDensity, as
// R's density().
const DensityPoints = 512

// KernelDensity returns the Gaussian kernel density estimate of x,
// evaluated exactly (no binning) at each grid point:
//
//	f̂(g) = Σ_i p_i φ((g − x_i)/h) / h,  p_i = 1/n (or w_i/Σw)
//
// with φ the standard normal density, for example the distribution of a
// per-capita indicator in each year of a panel. bandwidth ≤ 0 or NaN means
// SilvermanBandwidth(x) (weights do not enter the bandwidth, as in R).
// grid nil means DensityPoints equally spaced points from min(x) − 3h to
// max(x) + 3h (R density()'s cut = 3). w nil means equal weights; pairs
// with a NaN value or weight, or a zero weight, are dropped.
//
// Returns an empty Y (and NaN bandwidth) for no values, a single value
// without a given bandwidth, an infinite value or a negative or infinite
// weight. KernelDensity panics if w is not nil and its length differs from
// x.
//
// Source: Silverman (1986), ch. 3; R stats::density (kernel "gaussian",
// bw "nrd0"), whose FFT binning approximates the exact sums computed here.
func KernelDensity(x, w []float64, bandwidth float64, grid []float64) DensityResult {
	if w != nil && len(w) != len(x) {
		panic(errLength)
	}
	res := DensityResult{Bandwidth: math.NaN()}
	var vx, vw []float64
	var sw float64
	for i, a := range x {
		wi := 1.0
		if w != nil {
			wi = w[i]
		}
		if math.IsNaN(a) || math.IsNaN(wi) || wi == 0 {
			continue
		}
		if math.IsInf(a, 0) || wi < 0 || math.IsInf(wi, 0) {
			return res
		}
		vx = append(vx, a)
		vw = append(vw, wi)
		sw += wi
	}
	res.N = len(vx)
	if res.N == 0 {
		return res
	}
	h := bandwidth
	if !(h > 0) || math.IsInf(h, 0) {
		h = SilvermanBandwidth(vx)
	}
	if math.IsNaN(h) {
		return res
	}
	res.Bandwidth = h
	if grid == nil {
		lo, hi := slices.Min(vx)-3*h, slices.Max(vx)+3*h
		grid = make([]float64, DensityPoints)
		for k := range grid {
			grid[k] = lo + (hi-lo)*float64(k)/float64(DensityPoints-1)
		}
	}
	res.X = slices.Clone(grid)
	res.Y = make([]float64, len(grid))
	c := 1 / (h * math.Sqrt(2*math.Pi) * sw)
	for k, g := range grid {
		var s float64
		for i, a := range vx {
			u := (g - a) / h
			s += vw[i] * math.Exp(-0.5*u*u)
		}
		res.Y[k] = c * s
	}
	return res
}
