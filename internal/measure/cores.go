package measure

import "math"

// Measures of an agglomeration's designated core cities against the other
// members, by size (population, GDP or another total; never a bounded
// score). The cores are named by the caller (from a plan), so they need not
// be the largest units.

// ZipfTopShare is the share the k largest of n units hold under an exact
// rank-size (Zipf, q = 1) distribution P_r = P_1/r:
//
//	E_k = H_k / H_n,   H_m = Σ_{r=1..m} 1/r
//
// It is the benchmark of a core share: cores holding more than E_k stand
// above the Zipf hierarchy. NaN unless 1 ≤ k ≤ n. Source: Zipf (1949);
// docs/methods.md#spatial-mode.
func ZipfTopShare(k, n int) float64 {
	if k < 1 || k > n {
		return math.NaN()
	}
	return harmonic(k) / harmonic(n)
}

func harmonic(m int) float64 {
	var h float64
	for r := m; r >= 1; r-- { // smallest terms first
		h += 1 / float64(r)
	}
	return h
}

// CorePrimacy is the size of the smallest core over the size of the largest
// other unit:
//
//	CP = min_{c ∈ cores} P_c / max_{j ∉ cores} P_j
//
// With one core that is the largest unit it equals the two-city primacy
// S2 = P_1/P_2 (Jefferson 1939), 2 under an exact Zipf distribution. NaN
// and zero sizes are dropped; NaN when either group is empty, a size is
// negative or infinite, or the largest other unit is zero. The inputs are
// not changed. Source: docs/methods.md#spatial-mode.
func CorePrimacy(cores, others []float64) float64 {
	c, ok1 := sizesDescending(cores)
	o, ok2 := sizesDescending(others)
	if !ok1 || !ok2 || len(c) == 0 || len(o) == 0 {
		return math.NaN()
	}
	lo, hi := math.Inf(1), 0.0
	for _, v := range c {
		lo = math.Min(lo, v)
	}
	for _, v := range o {
		hi = math.Max(hi, v)
	}
	return lo / hi
}

// SecondTier compares the m largest non-core units (the second tier) with
// the sizes the rank-size rule through the smallest of k cores predicts for
// ranks k+1..k+m:
//
//	P̂_{k+j} = P_min · k/(k+j),   R = Σ_{j=1..m} P_(j) / Σ_{j=1..m} P̂_{k+j}
//
// where P_min is the smallest core and P_(j) the j-th largest other unit.
// R near 1 means a full middle tier; a small R means the tier below the
// cores is missing (a "central collapse", 中部塌陷). m = 0 takes
// max(2, k); m is capped at the number of other units. NaN and zero sizes
// are dropped; NaN when there is no core, fewer than 2 other units, or a
// size is negative or infinite. Panics if m < 0. The inputs are not
// changed. Source: Zipf (1949) for the rank-size rule;
// docs/methods.md#central-collapse.
func SecondTier(cores, others []float64, m int) (ratio float64, used int) {
	if m < 0 {
		panic(errNegativeK)
	}
	c, ok1 := sizesDescending(cores)
	o, ok2 := sizesDescending(others)
	if !ok1 || !ok2 || len(c) == 0 || len(o) < 2 {
		return math.NaN(), 0
	}
	k := len(c)
	if m == 0 {
		m = max(2, k)
	}
	m = min(m, len(o))
	pmin := math.Inf(1)
	for _, v := range c {
		pmin = math.Min(pmin, v)
	}
	var actual, predicted float64
	for j := 1; j <= m; j++ {
		actual += o[j-1]
		predicted += pmin * float64(k) / float64(k+j)
	}
	return actual / predicted, m
}
