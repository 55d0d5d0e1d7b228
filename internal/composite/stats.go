package composite

import (
	"math"
	"sort"

	"agglo/internal/measure"
)

// meanSD returns the mean and the sample standard deviation (÷(n−1)) of the
// non-missing values of x, and their number.
func meanSD(x []float64) (mean, sd float64, n int) {
	var s float64
	for _, v := range x {
		if !math.IsNaN(v) {
			s += v
			n++
		}
	}
	if n == 0 {
		return math.NaN(), math.NaN(), 0
	}
	mean = s / float64(n)
	var ss float64
	for _, v := range x {
		if !math.IsNaN(v) {
			d := v - mean
			ss += d * d
		}
	}
	if n < 2 {
		return mean, math.NaN(), n
	}
	return mean, math.Sqrt(ss / float64(n-1)), n
}

func minMax(x []float64) (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, v := range x {
		if v < lo {
			lo = v
		}
		if v > hi {
			hi = v
		}
	}
	if lo > hi {
		return math.NaN(), math.NaN()
	}
	return lo, hi
}

// Skew returns the sample skewness of the non-missing values of x as
// e1071::skewness(type = 2) and COINr's skew:
//
//	d = x − mean(x),  g = sqrt(n)·Σd³/(Σd²)^(3/2),  skew = g·sqrt(n(n−1))/(n−2)
//
// It is NaN for fewer than 3 values.
func Skew(x []float64) float64 {
	s, _ := skewKurt(x)
	return s
}

// Kurt returns the sample excess kurtosis of the non-missing values of x as
// e1071::kurtosis(type = 2) and COINr's kurt:
//
//	r = n·Σd⁴/(Σd²)²,  kurt = ((n+1)(r−3)+6)(n−1)/((n−2)(n−3))
//
// It is NaN for fewer than 4 values.
func Kurt(x []float64) float64 {
	_, k := skewKurt(x)
	return k
}

func skewKurt(x []float64) (skew, kurt float64) {
	var s float64
	n := 0
	for _, v := range x {
		if !math.IsNaN(v) {
			s += v
			n++
		}
	}
	skew, kurt = math.NaN(), math.NaN()
	if n < 3 {
		return
	}
	m := s / float64(n)
	var s2, s3, s4 float64
	for _, v := range x {
		if !math.IsNaN(v) {
			d := v - m
			d2 := d * d
			s2 += d2
			s3 += d2 * d
			s4 += d2 * d2
		}
	}
	fn := float64(n)
	skew = math.Sqrt(fn) * s3 / math.Pow(s2, 1.5) * math.Sqrt(fn*(fn-1)) / (fn - 2)
	if n >= 4 {
		r := fn * s4 / (s2 * s2)
		kurt = ((fn+1)*(r-3) + 6) * (fn - 1) / ((fn - 2) * (fn - 3))
	}
	return
}

// Ranks returns the ranks of scores with the highest score ranked 1 and ties
// sharing the lowest rank (R: rank(-x, ties.method = "min")). Missing scores
// get rank 0.
func Ranks(scores []float64) []int {
	out := make([]int, len(scores))
	idx := make([]int, len(scores))
	rankDesc(scores, idx, out)
	return out
}

// rankDesc writes ranks (1 = highest, ties "min", NaN → 0) into out, using
// idx as scratch of the same length.
func rankDesc(scores []float64, idx []int, out []int) {
	m := 0
	for i, v := range scores {
		if math.IsNaN(v) {
			out[i] = 0
			continue
		}
		idx[m] = i
		m++
	}
	id := idx[:m]
	sort.Slice(id, func(a, b int) bool { return scores[id[a]] > scores[id[b]] })
	for k := 0; k < m; k++ {
		if k > 0 && scores[id[k]] == scores[id[k-1]] {
			out[id[k]] = out[id[k-1]]
		} else {
			out[id[k]] = k + 1
		}
	}
}

// rankAsc returns ascending ranks (1 = lowest, ties "min", NaN kept NaN) as
// R's rank(x, ties.method = "min", na.last = "keep"), and the number of
// non-missing values.
func rankAsc(x []float64) ([]float64, int) {
	idx := make([]int, 0, len(x))
	for i, v := range x {
		if !math.IsNaN(v) {
			idx = append(idx, i)
		}
	}
	sort.Slice(idx, func(a, b int) bool { return x[idx[a]] < x[idx[b]] })
	out := make([]float64, len(x))
	for i := range out {
		out[i] = math.NaN()
	}
	for k, i := range idx {
		if k > 0 && x[i] == x[idx[k-1]] {
			out[i] = out[idx[k-1]]
		} else {
			out[i] = float64(k + 1)
		}
	}
	return out, len(idx)
}

func sortedFinite(x []float64) []float64 {
	s := make([]float64, 0, len(x))
	for _, v := range x {
		if !math.IsNaN(v) {
			s = append(s, v)
		}
	}
	sort.Float64s(s)
	return s
}

func median(x []float64) float64 { return measure.Quantile7(sortedFinite(x), 0.5) }
