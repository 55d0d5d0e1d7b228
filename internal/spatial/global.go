package spatial

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"agglo/internal/measure"
)

// ErrConstant is returned (wrapped) when the variable is constant: Moran's
// I, Geary's C and the local Moran statistics divide by Σ(y − ȳ)² = 0 and
// are undefined.
var ErrConstant = errors.New("the variable is constant: the statistic is undefined")

// ErrNoLinks is returned (wrapped) when the weights have no link at all
// (S0 = 0), for example a distance band shorter than every distance.
var ErrNoLinks = errors.New("the spatial weights have no links (every unit is an island)")

// normalSF is the upper tail 1 − Φ(z) of the standard normal distribution.
func normalSF(z float64) float64 { return 0.5 * math.Erfc(z/math.Sqrt2) }

// oneTailed returns the normal p-value in the direction of z: 1 − Φ(z) for
// z > 0, Φ(z) otherwise.
func oneTailed(z float64) float64 {
	if z > 0 {
		return normalSF(z)
	}
	return normalSF(-z)
}

// checkValues validates y against w and returns the deviations z = y − ȳ
// and Σz².
func checkValues(method string, y []float64, w *Weights) (z []float64, ss float64, err error) {
	if len(y) != w.N() {
		panic(errLength)
	}
	n := len(y)
	if n < 2 {
		return nil, 0, &measure.InputError{Method: method, Unit: -1, Column: -1, Value: float64(n),
			Reason: "at least 2 units are needed"}
	}
	constant := true
	var sum float64
	for i, v := range y {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			reason := "missing values are not allowed (a spatial statistic cannot drop a unit)"
			if !math.IsNaN(v) {
				reason = "infinite values are not allowed"
			}
			return nil, 0, &measure.InputError{Method: method, Unit: i, Column: -1, Value: v, Reason: reason}
		}
		sum += v
		if v != y[0] {
			constant = false
		}
	}
	if constant {
		return nil, 0, fmt.Errorf("spatial: %s: %w", method, ErrConstant)
	}
	mean := sum / float64(n)
	z = make([]float64, n)
	for i, v := range y {
		z[i] = v - mean
		ss += z[i] * z[i]
	}
	if ss == 0 {
		return nil, 0, fmt.Errorf("spatial: %s: %w", method, ErrConstant)
	}
	return z, ss, nil
}

// MoranResult is global Moran's I with its inference.
type MoranResult struct {
	// N is the number of units (islands included).
	N int
	// I is Moran's I; Expected is E[I] = −1/(n − 1).
	I, Expected float64
	// Variance, Z and P under the normality assumption; P is two-tailed.
	VarNorm, ZNorm, PNorm float64
	// Variance, Z and two-tailed P under randomisation (NaN for n < 4).
	VarRand, ZRand, PRand float64
	// Sim is the permutation inference (esda's folded p_sim).
	Sim Simulation
	// Islands is the number of units without neighbours.
	Islands int
}

// Moran returns global Moran's I of y under the weights w (as given:
// row-standardised, binary or raw) with analytical inference under the
// normality and randomisation assumptions and, when opt.Permutations > 0,
// permutation inference:
//
//	I = (n/S0) · Σ_i Σ_j w_ij z_i z_j / Σ_i z_i²,  z = y − ȳ
//	E[I] = −1/(n − 1)
//	Var_N[I] = (n² S1 − n S2 + 3 S0²)/((n² − 1) S0²) − E[I]²
//	Var_R[I] = n[(n² − 3n + 3)S1 − n S2 + 3S0²] − b2[(n² − n)S1 − 2n S2 + 6S0²]
//	           ─────────────────────────────────────────────────────────── − E[I]²
//	                         (n − 1)(n − 2)(n − 3) S0²
//	b2 = n Σz⁴/(Σz²)²,  z_N = (I − E[I])/√Var_N,  p_norm = 2(1 − Φ(|z_N|))
//
// with S0, S1, S2 as in Weights.Sums. The permutation test shuffles y over
// the units opt.Permutations times; p_sim is esda's folded pseudo p-value
// (min(m, P − m) + 1)/(P + 1), m = #{I_sim ≥ I}. Permutation p draws from
// its own random stream (seed, p), so the result is the same for any
// opt.Workers.
//
// Conventions follow PySAL esda.Moran (two-tailed p_norm, folded p_sim);
// spdep moran.test gives the same I, E[I] and variances (randomisation =
// FALSE for Var_N), with a one-sided p-value by default. Islands keep a
// zero lag and count in n (esda).
//
// Errors: a NaN or infinite value (an *measure.InputError naming the
// unit), fewer than 2 units, weights without links (ErrNoLinks), a
// constant y (ErrConstant: Moran's I is undefined; the returned I and all
// statistics are NaN, never a panic), or the context's error when it is
// cancelled. Moran panics if len(y) differs from w.N().
//
// Sources: Moran (1950), Biometrika 37:17–23; Cliff and Ord (1981),
// Spatial Processes, Pion, ch. 1–2; esda.Moran (pysal/esda moran.py).
func Moran(ctx context.Context, y []float64, w *Weights, opt Options) (MoranResult, error) {
	nan := math.NaN()
	res := MoranResult{N: len(y), I: nan, Expected: nan, VarNorm: nan, ZNorm: nan, PNorm: nan,
		VarRand: nan, ZRand: nan, PRand: nan, Sim: noSimulation(), Islands: len(w.Islands())}
	z, ss, err := checkValues("Moran's I", y, w)
	if err != nil {
		return res, err
	}
	s0, s1, s2 := w.Sums()
	if s0 == 0 {
		return res, fmt.Errorf("spatial: Moran's I: %w", ErrNoLinks)
	}
	n := float64(len(y))
	res.Expected = -1 / (n - 1)
	scale := n / (s0 * ss)
	res.I = scale * crossProduct(w, z)

	e2 := res.Expected * res.Expected
	res.VarNorm = (n*n*s1-n*s2+3*s0*s0)/((n*n-1)*s0*s0) - e2
	res.ZNorm = (res.I - res.Expected) / math.Sqrt(res.VarNorm)
	res.PNorm = 2 * normalSF(math.Abs(res.ZNorm))
	if len(y) >= 4 {
		var s4 float64
		for _, v := range z {
			s4 += v * v * v * v
		}
		b2 := n * s4 / (ss * ss)
		a := n * ((n*n-3*n+3)*s1 - n*s2 + 3*s0*s0)
		b := b2 * ((n*n-n)*s1 - 2*n*s2 + 6*s0*s0)
		res.VarRand = (a-b)/((n-1)*(n-2)*(n-3)*s0*s0) - e2
		res.ZRand = (res.I - res.Expected) / math.Sqrt(res.VarRand)
		res.PRand = 2 * normalSF(math.Abs(res.ZRand))
	}
	if opt.Permutations > 0 {
		sims, err := simulate(ctx, opt, func() func(*rand.PCG) float64 {
			buf := make([]float64, len(z))
			return func(src *rand.PCG) float64 {
				copy(buf, z)
				shuffle(src, buf)
				return scale * crossProduct(w, buf)
			}
		})
		if err != nil {
			return res, err
		}
		res.Sim = summarise(res.I, sims)
	}
	return res, nil
}

// crossProduct returns Σ_i z_i Σ_j w_ij z_j.
func crossProduct(w *Weights, z []float64) float64 {
	var total float64
	for i, zi := range z {
		var s float64
		for k := w.start[i]; k < w.start[i+1]; k++ {
			s += w.w[k] * z[w.nbr[k]]
		}
		total += zi * s
	}
	return total
}

// squaredDifferences returns Σ_i Σ_j w_ij (y_i − y_j)².
func squaredDifferences(w *Weights, y []float64) float64 {
	var total float64
	for i, yi := range y {
		for k := w.start[i]; k < w.start[i+1]; k++ {
			d := yi - y[w.nbr[k]]
			total += w.w[k] * d * d
		}
	}
	return total
}

// GearyResult is global Geary's C with its inference.
type GearyResult struct {
	// N is the number of units (islands included).
	N int
	// C is Geary's C; Expected is E[C] = 1.
	C, Expected float64
	// Variance, Z = (C − 1)/se and the one-tailed P in the direction of Z
	// under normality.
	VarNorm, ZNorm, PNorm float64
	// The same under randomisation (NaN for n < 4).
	VarRand, ZRand, PRand float64
	// Sim is the permutation inference (esda's folded p_sim).
	Sim Simulation
	// Islands is the number of units without neighbours.
	Islands int
}

// Geary returns global Geary's C of y under the weights w with analytical
// and (when opt.Permutations > 0) permutation inference:
//
//	C = (n − 1) Σ_i Σ_j w_ij (y_i − y_j)² / (2 S0 Σ_i z_i²)
//	E[C] = 1
//	Var_N[C] = [(2 S1 + S2)(n − 1) − 4 S0²] / (2 (n + 1) S0²)
//	Var_R[C] = { (n−1) S1 [n² − 3n + 3 − (n−1) b2]
//	             − ¼ (n−1) S2 [n² + 3n − 6 − (n² − n + 2) b2]
//	             + S0² [n² − 3 − (n−1)² b2] } / (n (n−2)(n−3) S0²)
//	z = (C − 1)/√Var,  p = one-tailed in the direction of z
//
// C < 1 indicates positive spatial autocorrelation, so z is negative then.
// This is esda.Geary's convention; spdep geary.test reports the standard
// deviate (1 − C)/√Var, of the opposite sign, and the same variances
// (randomisation = FALSE for Var_N). p_sim is esda's folded pseudo p-value
// with m = #{C_sim ≥ C}, reproducible for a seed and any worker count.
//
// Errors and edge cases are as in Moran. Geary panics if len(y) differs
// from w.N().
//
// Sources: Geary (1954), The Incorporated Statistician 5:115–145; Cliff and
// Ord (1981), ch. 1–2; esda.Geary (pysal/esda geary.py).
func Geary(ctx context.Context, y []float64, w *Weights, opt Options) (GearyResult, error) {
	nan := math.NaN()
	res := GearyResult{N: len(y), C: nan, Expected: nan, VarNorm: nan, ZNorm: nan, PNorm: nan,
		VarRand: nan, ZRand: nan, PRand: nan, Sim: noSimulation(), Islands: len(w.Islands())}
	z, ss, err := checkValues("Geary's C", y, w)
	if err != nil {
		return res, err
	}
	s0, s1, s2 := w.Sums()
	if s0 == 0 {
		return res, fmt.Errorf("spatial: Geary's C: %w", ErrNoLinks)
	}
	n := float64(len(y))
	scale := (n - 1) / (2 * s0 * ss)
	res.C = scale * squaredDifferences(w, z)
	res.Expected = 1
	res.VarNorm = ((2*s1+s2)*(n-1) - 4*s0*s0) / (2 * (n + 1) * s0 * s0)
	res.ZNorm = (res.C - 1) / math.Sqrt(res.VarNorm)
	res.PNorm = oneTailed(res.ZNorm)
	if len(y) >= 4 {
		var s4 float64
		for _, v := range z {
			s4 += v * v * v * v
		}
		b2 := n * s4 / (ss * ss)
		a := (n - 1) * s1 * (n*n - 3*n + 3 - (n-1)*b2)
		b := 0.25 * (n - 1) * s2 * (n*n + 3*n - 6 - (n*n-n+2)*b2)
		c := s0 * s0 * (n*n - 3 - (n-1)*(n-1)*b2)
		res.VarRand = (a - b + c) / (n * (n - 2) * (n - 3) * s0 * s0)
		res.ZRand = (res.C - 1) / math.Sqrt(res.VarRand)
		res.PRand = oneTailed(res.ZRand)
	}
	if opt.Permutations > 0 {
		sims, err := simulate(ctx, opt, func() func(*rand.PCG) float64 {
			buf := make([]float64, len(z))
			return func(src *rand.PCG) float64 {
				copy(buf, z)
				shuffle(src, buf)
				return scale * squaredDifferences(w, buf)
			}
		})
		if err != nil {
			return res, err
		}
		res.Sim = summarise(res.C, sims)
	}
	return res, nil
}
