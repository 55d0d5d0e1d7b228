package composite

import "math"

// TOPSIS returns the classic TOPSIS closeness (Hwang & Yoon 1981) of the rows
// of x (units × criteria) with weights w and directions dirs (nil = all
// benefit), docs/methods.md#topsis:
//
//	r_ij = x_ij/sqrt(Σ_i x_ij²); v_ij = w_j·r_ij;
//	A+_j = max_i v_ij (benefit) or min (cost); A−_j the opposite;
//	C_i = D−_i/(D+_i + D−_i)
//
// Weights are used as given (not rescaled). An all-zero column is dropped;
// identical alternatives give NaN.
func TOPSIS(x [][]float64, w []float64, dirs []int) []float64 {
	cols := columns(x)
	out := make([]float64, len(x))
	topsisCols(cols, w, dirs, out)
	return out
}

func topsisCols(cols [][]float64, w []float64, dirs []int, out []float64) {
	n := len(out)
	dp := make([]float64, n)
	dm := make([]float64, n)
	v := make([]float64, n)
	for j, c := range cols {
		var ss float64
		for _, x := range c {
			if !math.IsNaN(x) {
				ss += x * x
			}
		}
		if ss == 0 {
			continue
		}
		norm := math.Sqrt(ss)
		hi, lo := math.Inf(-1), math.Inf(1)
		for i, x := range c {
			v[i] = w[j] * x / norm
			if v[i] > hi {
				hi = v[i]
			}
			if v[i] < lo {
				lo = v[i]
			}
		}
		best, worst := hi, lo
		if dirOf(dirs, j) < 0 {
			best, worst = lo, hi
		}
		for i, x := range v {
			if math.IsNaN(x) {
				continue
			}
			dp[i] += (x - best) * (x - best)
			dm[i] += (x - worst) * (x - worst)
		}
	}
	for i := range out {
		a, b := math.Sqrt(dp[i]), math.Sqrt(dm[i])
		out[i] = b / (a + b)
	}
}

// GreyRelationalGrade returns the grey relational grade (Deng 1982) of each
// row of x (units × criteria, already normalised with larger = better) to the
// ideal row of column maxima, with distinguishing coefficient rho (usually
// 0.5) and weights w (rescaled over the criteria present):
//
//	Δ_ij = |max_i x_ij − x_ij|;  ξ_ij = (Δmin + ρ·Δmax)/(Δ_ij + ρ·Δmax);
//	grade_i = Σ_j w_j ξ_ij / Σ_j w_j
//
// Δmin and Δmax are taken over the whole matrix.
func GreyRelationalGrade(x [][]float64, w []float64, rho float64) []float64 {
	cols := columns(x)
	out := make([]float64, len(x))
	graCols(cols, w, rho, out)
	return out
}

func graCols(cols [][]float64, w []float64, rho float64, out []float64) {
	n := len(out)
	colMax := make([]float64, len(cols))
	dmin, dmax := math.Inf(1), math.Inf(-1)
	for j, c := range cols {
		_, colMax[j] = minMax(c)
		for _, x := range c {
			if math.IsNaN(x) {
				continue
			}
			d := colMax[j] - x
			dmin = math.Min(dmin, d)
			dmax = math.Max(dmax, d)
		}
	}
	sw := make([]float64, n)
	for i := range out {
		out[i] = 0
	}
	for j, c := range cols {
		for i, x := range c {
			if math.IsNaN(x) {
				continue
			}
			xi := 1.0
			if dmax > 0 {
				xi = (dmin + rho*dmax) / (colMax[j] - x + rho*dmax)
			}
			out[i] += w[j] * xi
			sw[i] += w[j]
		}
	}
	for i := range out {
		out[i] /= sw[i]
	}
}

// aggregateGroup aggregates the child columns cols with weights w into out
// (one value per unit), skipping missing children and rescaling the weights
// over the children present. sw is scratch of len(out). bad is called with
// (child, unit) when a value is not allowed by the method (≤ 0 for geometric
// and harmonic and generalised means with p ≤ 0, < 0 for p > 0).
func aggregateGroup(a Aggregation, cols [][]float64, w []float64, out, sw []float64, bad func(child, unit int) error) error {
	n := len(out)
	switch a.Method {
	case AggTOPSIS:
		topsisCols(cols, w, nil, out)
		return nil
	case AggGRA:
		graCols(cols, w, a.Rho, out)
		return nil
	}
	for i := 0; i < n; i++ {
		out[i], sw[i] = 0, 0
	}
	method, p := a.mean()
	switch method {
	case AggArithmetic:
		for j, c := range cols {
			wj := w[j]
			for i, x := range c {
				if x == x {
					out[i] += wj * x
					sw[i] += wj
				}
			}
		}
		for i := range out {
			out[i] /= sw[i]
		}
	case AggGeometric:
		for j, c := range cols {
			wj := w[j]
			for i, x := range c {
				if x == x {
					if x <= 0 {
						return bad(j, i)
					}
					out[i] += wj * math.Log(x)
					sw[i] += wj
				}
			}
		}
		for i := range out {
			out[i] = math.Exp(out[i] / sw[i])
		}
	case AggHarmonic:
		for j, c := range cols {
			wj := w[j]
			for i, x := range c {
				if x == x {
					if x <= 0 {
						return bad(j, i)
					}
					out[i] += wj / x
					sw[i] += wj
				}
			}
		}
		for i := range out {
			out[i] = sw[i] / out[i]
		}
	case AggGeneralised:
		for j, c := range cols {
			wj := w[j]
			for i, x := range c {
				if x == x {
					if x < 0 || (x == 0 && p < 0) {
						return bad(j, i)
					}
					out[i] += wj * math.Pow(x, p)
					sw[i] += wj
				}
			}
		}
		for i := range out {
			out[i] = math.Pow(out[i]/sw[i], 1/p)
		}
	}
	return nil
}
