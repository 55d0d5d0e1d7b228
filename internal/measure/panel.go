package measure

import (
	"math"

	"gonum.org/v1/gonum/stat"
)

// PerPeriod applies a cross-sectional measure f to every period of a panel
// (panel[t] holds the units' values in period t) and returns the series
// f(panel[0]), f(panel[1]), … For weighted measures close over the weights
// or use PerPeriodWeighted. Source: docs/methods.md#panel.
func PerPeriod(panel [][]float64, f func(x []float64) float64) []float64 {
	out := make([]float64, len(panel))
	for t, x := range panel {
		out[t] = f(x)
	}
	return out
}

// PerPeriodWeighted applies f(values[t], weights[t]) to every period, for
// example Gini or Theil with each year's population. Panics if the panels
// have different numbers of periods.
func PerPeriodWeighted(values, weights [][]float64, f func(x, w []float64) float64) []float64 {
	if len(values) != len(weights) {
		panic(errLength)
	}
	out := make([]float64, len(values))
	for t := range values {
		out[t] = f(values[t], weights[t])
	}
	return out
}

// TrendResult is an OLS trend v = a + b·t.
type TrendResult struct {
	Slope, Intercept, R2 float64
	N                    int
}

// Trend fits v = a + b·t by ordinary least squares, for example the yearly
// change of a Gini series (t = years). Pairs with a NaN or infinite t or v
// are dropped. Fewer than 2 points, or all t equal, give NaN. R2 is NaN
// when v is constant. Panics if the lengths differ. Source:
// docs/methods.md#panel (gonum stat.LinearRegression).
func Trend(t, v []float64) TrendResult {
	if len(t) != len(v) {
		panic(errLength)
	}
	var xs, ys []float64
	for i := range t {
		if isFinite(t[i]) && isFinite(v[i]) {
			xs = append(xs, t[i])
			ys = append(ys, v[i])
		}
	}
	nan := math.NaN()
	r := TrendResult{Slope: nan, Intercept: nan, R2: nan, N: len(xs)}
	if len(xs) < 2 || stat.PopVariance(xs, nil) == 0 {
		return r
	}
	r.Intercept, r.Slope = stat.LinearRegression(xs, ys, nil, false)
	if stat.PopVariance(ys, nil) > 0 {
		r.R2 = stat.RSquared(xs, ys, nil, r.Intercept, r.Slope)
	}
	return r
}

func isFinite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

// ShareChange is a unit's share at the start and end of a panel.
type ShareChange struct {
	Start, End, Delta float64
}

// CoreShareChange returns the share of unit core in the total of each
// period's values (panel[t][unit], NaN values ignored) at the first and the
// last period, and the change
//
//	ΔCS = CS_last − CS_first  (> 0 polarising / siphon, < 0 diffusing)
//
// Fields are NaN when the panel has fewer than 2 periods or a share is
// undefined (see UnitShare). Panics if core is out of range for a period.
// Source: docs/methods.md#panel (siphon indicator ΔCS).
func CoreShareChange(panel [][]float64, core int) ShareChange {
	nan := math.NaN()
	if len(panel) < 2 {
		return ShareChange{nan, nan, nan}
	}
	a := UnitShare(panel[0], core)
	b := UnitShare(panel[len(panel)-1], core)
	return ShareChange{Start: a, End: b, Delta: b - a}
}
