package composite

import (
	"math"
	"slices"

	"agglo/internal/measure"
)

// TreatResult says what a treatment did to one indicator.
type TreatResult struct {
	Code string `json:"code"`
	// Winsorised is the number of winsorised points (COINr's nwin).
	Winsorised int `json:"winsorised,omitempty"`
	// Log is true when the log_CT fallback was applied.
	Log bool `json:"log,omitempty"`
	// Clamped is the number of values moved by percentile winsorisation.
	Clamped int `json:"clamped,omitempty"`
	// Pass reports whether the treated indicator passes the outlier rule.
	Pass bool `json:"pass"`
}

// passes reports COINr's outlier rule: |skew| < skewThresh or kurt < kurtThresh.
// Indicators with too few values to compute the statistics pass.
func passes(x []float64, skewThresh, kurtThresh float64) bool {
	s, k := skewKurt(x)
	if math.IsNaN(s) || math.IsNaN(k) {
		return true
	}
	return math.Abs(s) < skewThresh || k < kurtThresh
}

// Winsorise treats x as COINr's winsorise followed by log_CT (Treat with its
// default f1 = "winsorise", f2 = "log_CT"); x is not modified.
//
// While x fails the outlier rule (|skew| ≥ skewThresh and kurt ≥ kurtThresh)
// and fewer than winmax points have been winsorised: if skew ≥ 0 the points
// equal to the maximum are set to the largest remaining value, else the
// points equal to the minimum to the smallest remaining value. The count of
// winsorised points is COINr's: the size of the last high set plus the last
// low set, so tied points count together. If the result still fails and
// logFallback is true, the original values are transformed instead with
// ln(x − min + 0.01·(max − min)). Missing values stay missing.
func Winsorise(x []float64, winmax int, skewThresh, kurtThresh float64, logFallback bool) ([]float64, TreatResult) {
	y := slices.Clone(x)
	var r TreatResult
	if passes(y, skewThresh, kurtThresh) {
		r.Pass = true
		return y, r
	}
	var imax, imin []int
	nwin := 0
	pass := false
	for !pass && nwin < winmax {
		s, _ := skewKurt(y)
		lo, hi := minMax(y)
		if s >= 0 {
			imax = imax[:0]
			next := math.Inf(-1)
			for i, v := range y {
				if v == hi {
					imax = append(imax, i)
				} else if v > next {
					next = v
				}
			}
			if math.IsInf(next, -1) {
				break
			}
			for _, i := range imax {
				y[i] = next
			}
		} else {
			imin = imin[:0]
			next := math.Inf(1)
			for i, v := range y {
				if v == lo {
					imin = append(imin, i)
				} else if v < next {
					next = v
				}
			}
			if math.IsInf(next, 1) {
				break
			}
			for _, i := range imin {
				y[i] = next
			}
		}
		nwin = len(imax) + len(imin)
		pass = passes(y, skewThresh, kurtThresh)
	}
	r.Winsorised = nwin
	r.Pass = pass
	if pass || !logFallback {
		return y, r
	}
	lo, hi := minMax(x)
	a := 0.01 * (hi - lo)
	y = y[:len(x)]
	for i, v := range x {
		y[i] = math.Log(v - lo + a)
	}
	r.Winsorised = 0
	r.Log = true
	r.Pass = passes(y, skewThresh, kurtThresh)
	return y, r
}

// WinsorisePercentile clamps x to its lower and upper quantiles (R type 7).
func WinsorisePercentile(x []float64, lower, upper float64) ([]float64, TreatResult) {
	s := sortedFinite(x)
	lo, hi := measure.Quantile7(s, lower), measure.Quantile7(s, upper)
	y := slices.Clone(x)
	var r TreatResult
	for i, v := range y {
		if v < lo {
			y[i] = lo
			r.Clamped++
		} else if v > hi {
			y[i] = hi
			r.Clamped++
		}
	}
	r.Pass = passes(y, 2, 3.5)
	return y, r
}

// treatColumns applies t to each column.
func treatColumns(cols [][]float64, codes []string, t Treatment) ([][]float64, []TreatResult) {
	out := make([][]float64, len(cols))
	var recs []TreatResult
	for j, c := range cols {
		var r TreatResult
		switch t.Method {
		case TreatWinsorise:
			out[j], r = Winsorise(c, t.WinMax, t.SkewThresh, t.KurtThresh, t.Fallback != "none")
		case TreatPercentile:
			out[j], r = WinsorisePercentile(c, t.Lower, t.Upper)
		default:
			out[j] = c
			continue
		}
		r.Code = codes[j]
		if r.Winsorised > 0 || r.Log || r.Clamped > 0 {
			recs = append(recs, r)
		}
	}
	return out, recs
}
