package measure

import (
	"math"
	"slices"
)

// Atkinson returns Atkinson's (1970) inequality index of y with inequality
// aversion epsilon ≥ 0, unweighted when w is nil and weighted (p_i =
// w_i/Σw, for example population shares) otherwise:
//
//	A_ε = 1 − (Σ_i p_i y_i^(1−ε))^(1/(1−ε)) / μ,  ε ≠ 1
//	A_1 = 1 − exp(Σ_i p_i ln y_i) / μ               (geometric mean form)
//	μ = Σ_i p_i y_i
//
// A_ε is 1 minus the ratio of the equally distributed equivalent income to
// the mean; it lies in [0, 1], is 0 for equal values and 0 for ε = 0.
// A_1 = 1 − exp(−L) with L the mean log deviation. Preconditions: y_i ≥ 0.
// A zero value gives A = 1 for ε ≥ 1 (the equivalent income is 0). Pairs
// with a NaN value or weight, or a zero weight, are dropped. Returns NaN
// for empty input, a zero total, a negative or infinite value or weight,
// or epsilon negative or NaN. Atkinson panics if w is not nil and its
// length differs from y.
//
// Source: Atkinson, A. B. (1970), On the measurement of inequality, Journal
// of Economic Theory 2:244–263; the unweighted form is R
// ineq::Atkinson(x, parameter = ε).
func Atkinson(y, w []float64, epsilon float64) float64 {
	vx, vw, _, invalid := cleanPairs(y, w)
	if invalid || len(vx) == 0 || !(epsilon >= 0) || math.IsInf(epsilon, 0) {
		return math.NaN()
	}
	// Scale invariance: divide by the maxima to avoid overflow.
	xmax := slices.Max(vx)
	if xmax == 0 {
		return math.NaN()
	}
	wmax := 1.0
	if vw != nil {
		wmax = slices.Max(vw)
	}
	var sw, mu float64
	for i, v := range vx {
		p := 1.0
		if vw != nil {
			p = vw[i] / wmax
		}
		sw += p
		mu += p * v / xmax
	}
	mu /= sw
	var acc float64
	for i, v := range vx {
		p := 1.0
		if vw != nil {
			p = vw[i] / wmax
		}
		p /= sw
		v /= xmax
		switch {
		case epsilon == 1:
			acc += p * math.Log(v) // −Inf for a zero value
		default:
			acc += p * math.Pow(v, 1-epsilon) // +Inf for a zero value and ε > 1
		}
	}
	var ede float64 // equally distributed equivalent
	if epsilon == 1 {
		ede = math.Exp(acc)
	} else {
		ede = math.Pow(acc, 1/(1-epsilon))
	}
	return math.Min(1, math.Max(0, 1-ede/mu))
}
