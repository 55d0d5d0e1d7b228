package measure

import (
	"math"
	"slices"

	"gonum.org/v1/gonum/stat"
)

// sizesDescending returns the finite, positive sizes of x sorted in
// descending order; ties keep their input order. ok is false when x holds a
// negative or infinite value. NaN and zero sizes are dropped.
func sizesDescending(x []float64) (s []float64, ok bool) {
	s = make([]float64, 0, len(x))
	for _, v := range x {
		switch {
		case math.IsNaN(v) || v == 0:
		case v < 0 || math.IsInf(v, 0):
			return nil, false
		default:
			s = append(s, v)
		}
	}
	slices.SortStableFunc(s, func(a, b float64) int {
		switch {
		case a > b:
			return -1
		case a < b:
			return 1
		}
		return 0
	})
	return s, true
}

// TopShare returns the share of the k largest units in the total:
//
//	CS_k = (P_1 + … + P_k) / Σ P
//
// k = 1 is the core-city share, k = 2 the dual-core share. NaN sizes are
// dropped. Returns NaN when the total is zero, a size is negative or
// infinite, or fewer than k units remain; panics if k < 0. Source:
// docs/methods.md#top-share.
func TopShare(sizes []float64, k int) float64 {
	if k < 0 {
		panic(errNegativeK)
	}
	s, ok := sizesDescending(sizes)
	if !ok || len(s) < k || len(s) == 0 {
		return math.NaN()
	}
	var top, total float64
	for i, v := range s {
		if i < k {
			top += v
		}
		total += v
	}
	return top / total
}

// UnitShare returns the share of unit i (for example a named core city that
// is not the largest) in the total, sizes[i]/Σ sizes, ignoring NaN. Returns
// NaN when the total is zero, sizes[i] is NaN, or any size is negative or
// infinite. Source: docs/methods.md#top-share (core-city share).
func UnitShare(sizes []float64, i int) float64 {
	var total float64
	for _, v := range sizes {
		if math.IsNaN(v) {
			continue
		}
		if v < 0 || math.IsInf(v, 0) {
			return math.NaN()
		}
		total += v
	}
	if total == 0 {
		return math.NaN()
	}
	return sizes[i] / total
}

// Primacy returns the primacy indices of sizes (population, GDP or patents;
// the caller states which), with P_1 ≥ P_2 ≥ … after sorting:
//
//	S2  = P_1 / P_2
//	S4  = P_1 / (P_2 + P_3 + P_4)
//	S11 = 2 P_1 / (P_2 + … + P_11)
//
// Under an exact rank-size (Zipf) distribution S2 = 2 and S4 ≈ S11 ≈ 1.
// NaN and zero sizes are dropped. S2 needs 2 units, S4 needs 4 and S11 needs
// 11, otherwise that index is NaN; any negative or infinite size makes all
// three NaN. Source: Jefferson (1939); docs/methods.md#primacy.
func Primacy(sizes []float64) (s2, s4, s11 float64) {
	s2, s4, s11 = math.NaN(), math.NaN(), math.NaN()
	s, ok := sizesDescending(sizes)
	if !ok {
		return s2, s4, s11
	}
	if len(s) >= 2 {
		s2 = s[0] / s[1]
	}
	if len(s) >= 4 {
		s4 = s[0] / (s[1] + s[2] + s[3])
	}
	if len(s) >= 11 {
		var d float64
		for _, v := range s[1:11] {
			d += v
		}
		s11 = 2 * s[0] / d
	}
	return s2, s4, s11
}

// HHI returns the Herfindahl–Hirschman index of the shares of x:
//
//	H = Σ_i s_i²,  s_i = x_i / Σ x,  H ∈ [1/n, 1]
//
// NaN values are dropped (zeros are kept: they count in n). Returns NaN for
// an empty input, a zero total or a negative or infinite value. Source:
// Hirschman (1945), Herfindahl (1950); docs/methods.md#hhi (REAT::herf,
// ineq::Herfindahl).
func HHI(x []float64) float64 {
	h, _ := hhi(x)
	return h
}

func hhi(x []float64) (float64, int) {
	var total float64
	n := 0
	for _, v := range x {
		if math.IsNaN(v) {
			continue
		}
		if v < 0 || math.IsInf(v, 0) {
			return math.NaN(), 0
		}
		total += v
		n++
	}
	if n == 0 || total == 0 {
		return math.NaN(), n
	}
	var h float64
	for _, v := range x {
		if !math.IsNaN(v) {
			s := v / total
			h += s * s
		}
	}
	return h, n
}

// NormalizedHHI returns the HHI rescaled to [0, 1]:
//
//	H* = (H − 1/n) / (1 − 1/n)
//
// NaN for n < 2; otherwise as HHI. Source: docs/methods.md#hhi
// (REAT::herf(coefnorm=TRUE)).
func NormalizedHHI(x []float64) float64 {
	h, n := hhi(x)
	if n < 2 {
		return math.NaN()
	}
	fn := float64(n)
	return (h - 1/fn) / (1 - 1/fn)
}

// EquivalentNumber returns 1/H, the number of equal-sized units that would
// give the same HHI. Edge cases as HHI. Source: docs/methods.md#hhi
// (REAT::herf(output="eq")).
func EquivalentNumber(x []float64) float64 {
	return 1 / HHI(x)
}

// RankSizeResult is an OLS rank-size fit ln P_r = a + b ln r.
type RankSizeResult struct {
	Slope, Intercept, R2 float64
	// Q = −Slope is the Zipf exponent: Q > 1 concentrated (mono-centric),
	// Q < 1 dispersed (polycentric).
	Q float64
	// K is the number of units used.
	K int
}

// RankSize fits the rank-size rule by ordinary least squares over the k
// largest units (k = 0: all units):
//
//	ln P_r = a + b ln r,  r = 1..k,  q = −b
//
// Sizes are sorted descending with a stable order for ties (each tied unit
// gets its own consecutive rank, not the averaged rank). NaN and zero sizes
// are dropped before taking logs. With fewer than 2 units, or a negative or
// infinite size, all fields are NaN. The top-2 slope equals ln(P_2/P_1)/ln 2
// exactly. Do not mix with the Pareto form ln r = A − α ln P. Panics if
// k < 0. Source: Zipf (1949); docs/methods.md#rank-size (R
// lm(log(P) ~ log(r)); gonum stat.LinearRegression).
func RankSize(sizes []float64, k int) RankSizeResult {
	if k < 0 {
		panic(errNegativeK)
	}
	nan := math.NaN()
	s, ok := sizesDescending(sizes)
	if k > 0 && len(s) > k {
		s = s[:k]
	}
	if !ok || len(s) < 2 {
		return RankSizeResult{Slope: nan, Intercept: nan, R2: nan, Q: nan, K: len(s)}
	}
	lr := make([]float64, len(s))
	lp := make([]float64, len(s))
	for i, v := range s {
		lr[i] = math.Log(float64(i + 1))
		lp[i] = math.Log(v)
	}
	a, b := stat.LinearRegression(lr, lp, nil, false)
	r2 := stat.RSquared(lr, lp, nil, a, b)
	if len(s) == 2 {
		r2 = 1
	}
	return RankSizeResult{Slope: b, Intercept: a, R2: r2, Q: -b, K: len(s)}
}

// Polycentricity readings. Their user-visible names belong to the
// diagnosis (diagnose.Label), which assigns the modes.
const (
	// CoreLed is assigned when the mean Zipf exponent q ≥ 1.
	CoreLed = "core-led"
	// MultiPoint is assigned when q < 1.
	MultiPoint = "multi-point parallel"
)

// PolycentricityResult is a Meijers–Burger style polycentricity reading.
type PolycentricityResult struct {
	// Slopes are the rank-size slopes over the 2, 3 and 4 largest units.
	Slopes [3]float64
	// MeanSlope is their mean b̄; Q = −b̄.
	MeanSlope, Q float64
	// Score = 2^b̄ ∈ (0, 1]: 1 for equal-sized centres, 0.5 for an exact
	// Zipf (b = −1) hierarchy, towards 0 for a dominant core. For the top-2
	// slope alone, 2^b = P_2/P_1.
	Score float64
	// Mode is CoreLed when Q ≥ 1 and MultiPoint otherwise ("" when
	// undefined).
	Mode string
}

// Polycentricity returns the rank-size slopes over the top 2, 3 and 4
// units, their mean (Meijers & Burger 2010, Environ. Plan. A 42:1383–1402)
// and this package's derived score and label:
//
//	b̄ = (b_2 + b_3 + b_4)/3,  q = −b̄,  Score = 2^b̄,
//	Mode = core-led if q ≥ 1, multi-point parallel otherwise
//
// The threshold q = 1 (the Zipf exponent) and the score are this package's
// conventions; there is no universal cut-off. With fewer than 4 units the
// missing slopes are NaN and b̄ is the mean of the available ones; with
// fewer than 2 units everything is NaN and Mode is "". Source:
// docs/methods.md#polycentricity.
func Polycentricity(sizes []float64) PolycentricityResult {
	var r PolycentricityResult
	var sum float64
	n := 0
	for i, k := range []int{2, 3, 4} {
		rs := RankSize(sizes, k)
		r.Slopes[i] = math.NaN()
		if rs.K == k && !math.IsNaN(rs.Slope) {
			r.Slopes[i] = rs.Slope
			sum += rs.Slope
			n++
		}
	}
	if n == 0 {
		r.MeanSlope, r.Q, r.Score = math.NaN(), math.NaN(), math.NaN()
		return r
	}
	r.MeanSlope = sum / float64(n)
	r.Q = -r.MeanSlope
	r.Score = math.Exp2(r.MeanSlope)
	r.Mode = MultiPoint
	if r.Q >= 1 {
		r.Mode = CoreLed
	}
	return r
}

// GrowthLinkage relates one peripheral unit's growth to the core's growth.
type GrowthLinkage struct {
	// Corr is the Pearson correlation of the period growth rates.
	Corr float64
	// Alpha and Beta are the OLS fit g_periph,t = α + β g_core,t
	// (β > 0 spread, β < 0 backwash).
	Alpha, Beta float64
	// N is the number of growth periods used.
	N int
}

// SiphonResult holds the descriptive siphon (polarisation) indicators.
type SiphonResult struct {
	// CoreShareStart, CoreShareEnd are core/(core + Σ periphery) in the
	// first and last period; DeltaCoreShare = End − Start (> 0 polarising).
	CoreShareStart, CoreShareEnd, DeltaCoreShare float64
	// CAGRCore and CAGRPeriphery are compound annual growth rates over the
	// series (periphery = sum of the peripheral units);
	// RelativeGrowth = CAGRCore/CAGRPeriphery (> 1 polarising).
	CAGRCore, CAGRPeriphery, RelativeGrowth float64
	// Linkage has one entry per peripheral unit.
	Linkage []GrowthLinkage
}

// Siphon computes the siphon-versus-spread indicators for a core series
// and peripheral series observed at the same equally spaced periods
// (periphery[j][t] is unit j at period t):
//
//	CS_t = core_t / (core_t + Σ_j periph_j,t),  ΔCS = CS_T − CS_0
//	CAGR = (x_T/x_0)^(1/T) − 1,  RG = CAGR_core / CAGR_periphery
//	g_t = x_t/x_{t−1} − 1;  Corr(g_core, g_j) and OLS g_j = α + β g_core
//
// T is the number of periods minus one. Fewer than 2 periods gives NaN
// indicators; the linkage needs at least 3 growth rates (4 periods),
// otherwise NaN. A period in which the core or a unit is NaN is skipped in
// that unit's linkage; non-positive starting values give NaN CAGR. Report
// the linkage with N: it is a small-sample descriptive statistic, not an
// econometric test. Never label "siphon" from one cross-section. Panics if
// a peripheral series' length differs from the core's. Source: Myrdal
// (1957), Barkley, Henry & Bao (1996); docs/methods.md#siphon.
func Siphon(core []float64, periphery [][]float64) SiphonResult {
	nan := math.NaN()
	T := len(core)
	r := SiphonResult{CoreShareStart: nan, CoreShareEnd: nan, DeltaCoreShare: nan,
		CAGRCore: nan, CAGRPeriphery: nan, RelativeGrowth: nan}
	for _, p := range periphery {
		if len(p) != T {
			panic(errLength)
		}
	}
	r.Linkage = make([]GrowthLinkage, len(periphery))
	if T < 2 {
		for j := range r.Linkage {
			r.Linkage[j] = GrowthLinkage{Corr: nan, Alpha: nan, Beta: nan}
		}
		return r
	}
	sumAt := func(t int) float64 {
		var s float64
		for _, p := range periphery {
			s += p[t]
		}
		return s
	}
	p0, pT := sumAt(0), sumAt(T-1)
	r.CoreShareStart = core[0] / (core[0] + p0)
	r.CoreShareEnd = core[T-1] / (core[T-1] + pT)
	r.DeltaCoreShare = r.CoreShareEnd - r.CoreShareStart
	r.CAGRCore = cagr(core[0], core[T-1], T-1)
	r.CAGRPeriphery = cagr(p0, pT, T-1)
	r.RelativeGrowth = r.CAGRCore / r.CAGRPeriphery
	gc := growth(core)
	for j, p := range periphery {
		gp := growth(p)
		var xs, ys []float64
		for t := range gc {
			if !math.IsNaN(gc[t]) && !math.IsNaN(gp[t]) {
				xs = append(xs, gc[t])
				ys = append(ys, gp[t])
			}
		}
		l := GrowthLinkage{Corr: nan, Alpha: nan, Beta: nan, N: len(xs)}
		if len(xs) >= 3 {
			l.Corr = stat.Correlation(xs, ys, nil)
			l.Alpha, l.Beta = stat.LinearRegression(xs, ys, nil, false)
		}
		r.Linkage[j] = l
	}
	return r
}

// CAGR returns the compound annual growth rate (end/start)^(1/periods) − 1;
// NaN when start ≤ 0, end < 0, periods ≤ 0 or an operand is NaN. Source:
// docs/methods.md#siphon.
func CAGR(start, end float64, periods int) float64 {
	return cagr(start, end, periods)
}

func cagr(a, b float64, periods int) float64 {
	if periods <= 0 || !(a > 0) || !(b >= 0) || math.IsInf(a, 0) || math.IsInf(b, 0) {
		return math.NaN()
	}
	return math.Pow(b/a, 1/float64(periods)) - 1
}

func growth(x []float64) []float64 {
	g := make([]float64, len(x)-1)
	for t := range g {
		if x[t] > 0 && !math.IsInf(x[t], 0) {
			g[t] = x[t+1]/x[t] - 1
		} else {
			g[t] = math.NaN()
		}
	}
	return g
}
