package spatial

import (
	"math"

	"agglo/internal/measure"
)

// LocalG is the Getis-Ord statistic of one unit.
type LocalG struct {
	// G is the statistic G_i (or G_i* with star), Expected its expectation.
	G, Expected float64
	// Variance, Z = (G − Expected)/√Variance and the one-tailed normal
	// p-value in the direction of Z (esda's p_norm).
	Variance, Z, P float64
	// Island is true when the unit has no neighbour (without star its G,
	// and with row-standardised weights its Z, are NaN).
	Island bool
}

// GetisOrd returns the local Getis-Ord statistics of y under the weights w
// with analytical (normal) inference: Gi without star, Gi* with star.
//
// With star, a raw self weight of 1 is added to every unit (replacing any
// existing one) before the transform of w is applied, as esda G_Local(star
// = True) and spdep include.self do. Let W_i = Σ_j w_ij, S1_i = Σ_j w_ij²,
// and, without star, the sums run over j ≠ i with N = n − 1, Ȳ and s² the
// mean and variance (divisor N) of the other values; with star over all j
// with N = n, Ȳ = ȳ and s² the variance of y (divisor n):
//
//	G_i = Σ_j w_ij y_j / Σ_j y_j
//
// Binary weights (esda transform "B"; spdep localG on a style "B" list):
//
//	E[G_i] = W_i/N,  Var[G_i] = W_i (N − W_i)/(N − 1) · s²/(N² Ȳ²)
//
// Row-standardised weights (esda's default transform "R", whose moments
// treat every row as summing to one):
//
//	E[G_i] = 1/N,  Var[G_i] = s²/(N² Ȳ²)
//
// Raw (general) weights, Getis and Ord (1992) and Ord and Getis (1995):
//
//	Z_i = (Σ_j w_ij y_j − W_i Ȳ) / (s √((N S1_i − W_i²)/(N − 1)))
//
// which for binary weights equals the binary form, and which spdep localG
// computes for any weights. Z = (G − E)/√Var; P is one-tailed in the
// direction of Z, 1 − Φ(|Z|) (esda's p_norm).
//
// The row-standardised z is esda's and differs from spdep's (which is
// invariant to row scaling and equals the binary z); with the Binary
// transform both agree. With star and row standardisation, inverse-distance
// raw weights are kept (w*_ij = raw*_ij/Σ_j raw*_ij); esda would binarise
// them.
//
// y should be non-negative (G_i is a share of the total); other values are
// computed but hard to read. Edge cases: without star an island has G_i =
// 0 and NaN Z for binary weights (zero variance); a zero denominator (Σy
// = 0 or Ȳ = 0) gives NaN. Errors: a NaN or infinite value (an
// *measure.InputError naming the unit), fewer than 3 units, or a constant y
// (ErrConstant). GetisOrd panics if len(y) differs from w.N().
//
// Sources: Getis and Ord (1992), Geographical Analysis 24(3):189–206; Ord
// and Getis (1995), Geographical Analysis 27(4):286–306; esda.G_Local
// (pysal/esda getisord.py); spdep::localG.
func GetisOrd(y []float64, w *Weights, star bool) ([]LocalG, error) {
	if len(y) != w.N() {
		panic(errLength)
	}
	n := len(y)
	nan := math.NaN()
	out := make([]LocalG, n)
	for i := range out {
		out[i] = LocalG{G: nan, Expected: nan, Variance: nan, Z: nan, P: nan, Island: w.Cardinality(i) == 0}
	}
	if n < 3 {
		return out, &measure.InputError{Method: "Getis-Ord G", Unit: -1, Column: -1, Value: float64(n),
			Reason: "at least 3 units are needed"}
	}
	if _, _, err := checkValues("Getis-Ord G", y, w); err != nil {
		return out, err
	}
	t := w.Transform()
	ww := w
	if star {
		ww = w.withSelf(t)
	}
	var sum, sum2 float64
	for _, v := range y {
		sum += v
		sum2 += v * v
	}
	fn := float64(n)
	for i := range n {
		a, b := ww.start[i], ww.start[i+1]
		var num, wi, s1 float64
		for k := a; k < b; k++ {
			v := ww.w[k]
			num += v * y[ww.nbr[k]]
			wi += v
			s1 += v * v
		}
		N, tot, mean, s2 := fn, sum, sum/fn, sum2/fn-(sum/fn)*(sum/fn)
		if !star {
			N = fn - 1
			tot = sum - y[i]
			mean = tot / N
			s2 = (sum2-y[i]*y[i])/N - mean*mean
		}
		s2 = math.Max(s2, 0)
		u := &out[i]
		u.G = num / tot
		switch t {
		case Binary:
			u.Expected = wi / N
			u.Variance = wi * (N - wi) / (N - 1) * s2 / (N * N * mean * mean)
			u.Z = (u.G - u.Expected) / math.Sqrt(u.Variance)
		case RowStandardized:
			u.Expected = 1 / N
			u.Variance = s2 / (N * N * mean * mean)
			u.Z = (u.G - u.Expected) / math.Sqrt(u.Variance)
			if u.Island && !star {
				u.Z = nan
			}
		default:
			u.Expected = wi / N
			u.Variance = (N*s1 - wi*wi) / (N - 1) * s2 / (N * N * mean * mean)
			u.Z = (num - wi*mean) / (math.Sqrt(s2) * math.Sqrt((N*s1-wi*wi)/(N-1)))
		}
		if math.IsInf(u.Z, 0) || tot == 0 {
			u.Z = nan
		}
		u.P = nan
		if !math.IsNaN(u.Z) {
			u.P = normalSF(math.Abs(u.Z))
		}
	}
	return out, nil
}
