package measure

import (
	"math"
	"slices"
)

// cleanPairs returns the units of x (with weights w, nil meaning 1) that are
// usable: x and w not NaN and w not zero. It reports the number of dropped
// units and whether an invalid value (negative, infinite) was seen, in which
// case the returned slices are incomplete. Negative zero becomes zero.
func cleanPairs(x, w []float64) (vx, vw []float64, dropped int, invalid bool) {
	if w != nil && len(w) != len(x) {
		panic(errLength)
	}
	vx = make([]float64, 0, len(x))
	if w != nil {
		vw = make([]float64, 0, len(x))
	}
	for i, v := range x {
		wi := 1.0
		if w != nil {
			wi = w[i]
		}
		if math.IsNaN(v) || math.IsNaN(wi) || wi == 0 {
			dropped++
			continue
		}
		if v < 0 || wi < 0 || math.IsInf(v, 0) || math.IsInf(wi, 0) {
			return nil, nil, dropped, true
		}
		if v == 0 {
			v = 0 // negative zero
		}
		vx = append(vx, v)
		if w != nil {
			vw = append(vw, wi)
		}
	}
	return vx, vw, dropped, false
}

// Gini returns the Gini coefficient of x, unweighted when w is nil and
// population-weighted (the grouped-data, Lorenz form) otherwise.
//
// Unweighted (relative mean difference), with x sorted ascending:
//
//	G = Σ_i Σ_j |x_i − x_j| / (2 n² x̄) = 2 Σ_i i·x_(i) / (n Σ x) − (n+1)/n
//
// Weighted, with p_i = w_i/Σw and μ = Σ p_i x_i:
//
//	G_w = (1/(2μ)) Σ_i Σ_j p_i p_j |x_i − x_j|
//	    = Σ_i p_i x_(i) (2F_i − 1) / μ,  F_i = Σ_{j≤i} p_(j) − p_(i)/2
//
// Preconditions: x_i ≥ 0 (per-capita or intensive values, not totals),
// w_i ≥ 0. Pairs with a NaN value or weight, or a zero weight, are dropped.
// Returns NaN for empty input, a zero total, or any negative or infinite
// value or weight; 0 for a single unit or all-equal values (round-off below
// zero is clamped to 0). The unweighted range is [0, (n−1)/n]; see
// NormalizedGini for the n/(n−1) form. Gini panics if w is not nil and its
// length differs from x.
//
// Source: Gini (1912), Lorenz (1905); docs/methods.md#gini. Unweighted
// form as PySAL inequality._gini and
// R ineq::Gini; weighted form as R DescTools::Gini(unbiased=FALSE) (not
// REAT::gini with weights, which does not sort the weights).
func Gini(x, w []float64) float64 {
	vx, vw, _, invalid := cleanPairs(x, w)
	if invalid {
		return math.NaN()
	}
	if vw == nil {
		return giniSorted(vx)
	}
	return giniWeighted(vx, vw)
}

// giniSorted sorts vx in place and returns its unweighted Gini.
func giniSorted(vx []float64) float64 {
	n := len(vx)
	if n == 0 {
		return math.NaN()
	}
	sortNonNegative(vx)
	// The index is scale-invariant; dividing by the maximum avoids overflow
	// and subnormal underflow in the sums.
	if top := vx[n-1]; top > 0 {
		for i := range vx {
			vx[i] /= top
		}
	}
	var sum, isum float64
	for i, v := range vx {
		sum += v
		isum += float64(i+1) * v
	}
	if sum == 0 {
		return math.NaN()
	}
	fn := float64(n)
	g := 2*isum/(fn*sum) - (fn+1)/fn
	return math.Max(0, g)
}

func giniWeighted(vx, vw []float64) float64 {
	n := len(vx)
	if n == 0 {
		return math.NaN()
	}
	// Scale values and weights by their maxima (scale invariance) to avoid
	// overflow and subnormal underflow.
	xmax, wmax := absMax(vx), absMax(vw)
	if xmax == 0 {
		return math.NaN()
	}
	p := make([]weighted, n)
	var sw float64
	for i := range vx {
		p[i] = weighted{vx[i] / xmax, vw[i] / wmax}
		sw += p[i].w
	}
	sortWeighted(p)
	var mu, acc, cum float64
	for _, u := range p {
		pi := u.w / sw
		f := cum + pi/2
		cum += pi
		mu += pi * u.x
		acc += pi * u.x * (2*f - 1)
	}
	if mu == 0 {
		return math.NaN()
	}
	return math.Max(0, acc/mu)
}

// NormalizedGini returns the unweighted Gini coefficient scaled to [0, 1]:
//
//	G* = G · n/(n−1)
//
// with the same preconditions and missing-value handling as Gini. Returns
// NaN for n < 2 (the factor is undefined for one unit). This is
// REAT::gini(coefnorm=TRUE) and the DescTools::Gini default. Source:
// docs/methods.md#gini.
func NormalizedGini(x []float64) float64 {
	vx, _, _, invalid := cleanPairs(x, nil)
	if invalid || len(vx) < 2 {
		return math.NaN()
	}
	n := float64(len(vx))
	return giniSorted(vx) * n / (n - 1)
}

// CV returns the coefficient of variation with the population standard
// deviation (divisor Σw, or n when w is nil). This is the package default:
//
//	CV = σ/μ,  μ = Σ w_i x_i / Σ w_i,  σ² = Σ w_i (x_i − μ)² / Σ w_i
//
// With w = population weights it is the Williamson index (see Williamson).
// Pairs with NaN or zero weight are dropped. Returns NaN for empty input,
// μ = 0, a negative weight or an infinite value; 0 for a single unit.
// Negative x are accepted (the index is then hard to read). Source:
// docs/methods.md#cv (R ineq::var.coeff; gonum stat.PopMeanStdDev). See SampleCV
// for the n−1 variant.
func CV(x, w []float64) float64 {
	if w != nil && len(w) != len(x) {
		panic(errLength)
	}
	var sw, swx float64
	n := 0
	for i, v := range x {
		wi := 1.0
		if w != nil {
			wi = w[i]
		}
		if math.IsNaN(v) || math.IsNaN(wi) || wi == 0 {
			continue
		}
		if wi < 0 || math.IsInf(v, 0) || math.IsInf(wi, 0) {
			return math.NaN()
		}
		sw += wi
		swx += wi * v
		n++
	}
	if n == 0 {
		return math.NaN()
	}
	mu := swx / sw
	if mu == 0 {
		return math.NaN()
	}
	var ss float64
	for i, v := range x {
		wi := 1.0
		if w != nil {
			wi = w[i]
		}
		if math.IsNaN(v) || math.IsNaN(wi) || wi == 0 {
			continue
		}
		d := v - mu
		ss += wi * d * d
	}
	return math.Sqrt(ss/sw) / mu
}

// SampleCV returns the unweighted coefficient of variation with the sample
// standard deviation:
//
//	CV_s = s/x̄,  s² = Σ (x_i − x̄)² / (n−1)
//
// as REAT::cv (default), DescTools::CoefVar and gonum stat.StdDev. NaN
// values are dropped; returns NaN for n < 2, x̄ = 0 or an infinite value.
// Source: docs/methods.md#cv.
func SampleCV(x []float64) float64 {
	var sum float64
	n := 0
	for _, v := range x {
		if math.IsNaN(v) {
			continue
		}
		if math.IsInf(v, 0) {
			return math.NaN()
		}
		sum += v
		n++
	}
	if n < 2 {
		return math.NaN()
	}
	mean := sum / float64(n)
	if mean == 0 {
		return math.NaN()
	}
	var ss float64
	for _, v := range x {
		if !math.IsNaN(v) {
			d := v - mean
			ss += d * d
		}
	}
	return math.Sqrt(ss/float64(n-1)) / mean
}

// Williamson returns Williamson's (1965) population-weighted coefficient of
// variation of per-capita values y with populations pop:
//
//	V_w = sqrt(Σ_i p_i (y_i − μ)²) / μ,  p_i = P_i/ΣP,  μ = Σ p_i y_i
//
// μ is the agglomeration-wide per-capita value, not the unweighted mean
// (REAT::williamson(wmean=TRUE); REAT's default wmean=FALSE is
// non-standard). It equals CV(y, pop); missing values and edge cases are
// as in CV. pop must not be nil. Source: Williamson (1965);
// docs/methods.md#williamson.
func Williamson(y, pop []float64) float64 {
	if pop == nil {
		panic("measure: Williamson needs population weights")
	}
	return CV(y, pop)
}

// TheilIndex selects a member of the generalised-entropy family.
type TheilIndex int

const (
	// TheilT is GE(1), weighting units by their income share.
	TheilT TheilIndex = iota
	// TheilL is GE(0), the mean log deviation, weighting units by their
	// population share.
	TheilL
)

// String returns "Theil T" or "Theil L".
func (k TheilIndex) String() string {
	if k == TheilL {
		return "Theil L"
	}
	return "Theil T"
}

// Theil returns the population-weighted Theil T (w = population) or, with
// w nil, the equal-weight form of PySAL inequality.theil.Theil:
//
//	T = Σ_i s_i ln(s_i/p_i) = Σ_i p_i (y_i/μ) ln(y_i/μ)
//	s_i = w_i y_i / Σ w y,  p_i = w_i/Σw  (p_i = 1/n when w is nil)
//
// y are per-capita values (never totals when population weights are meant).
// A zero y_i contributes 0 (0·ln 0 = 0). Pairs with NaN or zero weight are
// dropped. Returns NaN for empty input, a zero total, or a negative or
// infinite value or weight; 0 for one unit. Source: Theil (1967);
// docs/methods.md#theil (PySAL Theil; IC2::decompGEI alpha=1).
func Theil(y, w []float64) float64 {
	return TheilDecompose(TheilT, y, w, nil).Total
}

// MeanLogDeviation returns Theil L (GE(0)):
//
//	L = Σ_i p_i ln(p_i/s_i) = Σ_i p_i ln(μ/y_i)
//
// with the notation of Theil. A zero y_i makes L = +Inf (the index is
// undefined; REAT::theil returns NA). Other edge cases are as in Theil.
// Source: Theil (1967); docs/methods.md#theil (REAT::theil,
// ineq::Theil(parameter=1), IC2::decompGEI alpha=0).
func MeanLogDeviation(y, w []float64) float64 {
	return TheilDecompose(TheilL, y, w, nil).Total
}

// GroupTheil is one group's part of a Theil decomposition.
type GroupTheil struct {
	Group int // group label from the input
	N     int // units used
	// IncomeShare is s_g = Σ_{i∈g} s_i, PopulationShare is p_g = Σ_{i∈g} p_i.
	IncomeShare, PopulationShare float64
	// Value is the group's own index T_g or L_g (NaN when s_g = 0 for T).
	Value float64
	// Contribution is the group's term of the within part: s_g·T_g for T,
	// p_g·L_g for L (0 when s_g = 0 for T).
	Contribution float64
	// Share is Contribution/Total.
	Share float64
}

// TheilResult is a Theil index with its between/within decomposition.
type TheilResult struct {
	Index                  TheilIndex
	Total, Between, Within float64
	// BetweenShare is Between/Total (NaN when Total is 0).
	BetweenShare float64
	// Groups are ordered by ascending label; empty without groups.
	Groups []GroupTheil
	// N units were used; Dropped units had a NaN value or weight or a zero
	// weight.
	N, Dropped int
}

// TheilDecompose returns Theil T or L of y (per-capita values) with weights
// w (population; nil = equal weights, the PySAL TheilD form) decomposed over
// groups (nil = no decomposition, Between = 0):
//
//	T = T_B + T_W,  T_B = Σ_g s_g ln(s_g/p_g),  T_W = Σ_g s_g T_g,
//	T_g = Σ_{i∈g} (s_i/s_g) ln[(s_i/s_g)/(p_i/p_g)]
//	L = L_B + L_W,  L_B = Σ_g p_g ln(p_g/s_g),  L_W = Σ_g p_g L_g,
//	L_g = Σ_{i∈g} (p_i/p_g) ln[(p_i/p_g)/(s_i/s_g)]
//
// With w nil the between part is PySAL's bg = Σ_g s_g ln((n/n_g) s_g) and
// the within part its residual wg. Units with NaN value or weight, or zero
// weight, are dropped (counted in Dropped). A negative or infinite value or
// weight, an empty input or a zero total gives NaN indices and no groups.
// A zero y_i contributes 0 to T and makes L +Inf (its group's L_g is +Inf,
// or NaN when every member of the group is zero).
// A single unit or a single-member group has index 0. TheilDecompose panics
// if w or groups (when not nil) differ in length from y.
//
// Source: Theil (1967), Shorrocks (1980); docs/methods.md#theil (PySAL
// inequality.theil.TheilD; IC2::decompGEI with w = population, alpha = 1
// and 0).
func TheilDecompose(index TheilIndex, y, w []float64, groups []int) TheilResult {
	if (w != nil && len(w) != len(y)) || (groups != nil && len(groups) != len(y)) {
		panic(errLength)
	}
	nan := math.NaN()
	res := TheilResult{Index: index, Total: nan, Between: nan, Within: nan, BetweenShare: nan}
	// First pass: validity and maxima. The indices are invariant to the
	// scale of y and w; dividing by the maxima avoids overflow and
	// subnormal underflow.
	ymax, wmax := 0.0, 0.0
	for i, v := range y {
		wi := 1.0
		if w != nil {
			wi = w[i]
		}
		if math.IsNaN(v) || math.IsNaN(wi) || wi == 0 {
			res.Dropped++
			continue
		}
		if v < 0 || wi < 0 || math.IsInf(v, 0) || math.IsInf(wi, 0) {
			res.Dropped = 0
			return res
		}
		ymax, wmax = math.Max(ymax, v), math.Max(wmax, wi)
		res.N++
	}
	if res.N == 0 || ymax == 0 {
		return res
	}
	// Second pass: totals.
	var sw, swy float64
	for i, v := range y {
		wi := 1.0
		if w != nil {
			wi = w[i]
		}
		if math.IsNaN(v) || math.IsNaN(wi) || wi == 0 {
			continue
		}
		v, wi = v/ymax, wi/wmax
		sw += wi
		swy += wi * v
	}
	mu := swy / sw
	// Third pass: per-group sums of s_i ln(y_i/μ) (T) or p_i ln(y_i/μ) (L).
	type acc struct {
		label    int
		n        int
		sw, swy  float64
		termLogs float64
	}
	var accs []acc
	id := make(map[int]int)
	last, lastID := 0, -1
	for i, v := range y {
		wi := 1.0
		if w != nil {
			wi = w[i]
		}
		if math.IsNaN(v) || math.IsNaN(wi) || wi == 0 {
			continue
		}
		v, wi = v/ymax, wi/wmax
		label := 0
		if groups != nil {
			label = groups[i]
		}
		g := lastID
		if g < 0 || label != last {
			var ok bool
			g, ok = id[label]
			if !ok {
				g = len(accs)
				id[label] = g
				accs = append(accs, acc{label: label})
			}
			last, lastID = label, g
		}
		a := &accs[g]
		a.n++
		a.sw += wi
		a.swy += wi * v
		if index == TheilT {
			if v > 0 {
				a.termLogs += (wi * v / swy) * math.Log(v/mu)
			}
		} else {
			a.termLogs += (wi / sw) * math.Log(mu/v) // +Inf when v = 0
		}
	}
	slices.SortFunc(accs, func(a, b acc) int { return a.label - b.label })
	var total, between, within float64
	gs := make([]GroupTheil, len(accs))
	for k, a := range accs {
		sg, pg := a.swy/swy, a.sw/sw
		gt := GroupTheil{Group: a.label, N: a.n, IncomeShare: sg, PopulationShare: pg}
		total += a.termLogs
		if index == TheilT {
			if sg > 0 {
				b := sg * math.Log(sg/pg)
				between += b
				gt.Value = a.termLogs/sg - math.Log(sg/pg)
				gt.Contribution = a.termLogs - b
			} else {
				gt.Value = nan
			}
		} else {
			b := pg * math.Log(pg/sg) // +Inf when sg = 0
			between += b
			gt.Value = a.termLogs/pg - math.Log(pg/sg)
			gt.Contribution = pg * gt.Value
		}
		if a.n == 1 && !math.IsInf(gt.Value, 0) {
			gt.Value, gt.Contribution = 0, 0
		}
		within += gt.Contribution
		gs[k] = gt
	}
	if groups == nil {
		// One implicit group: no decomposition.
		res.Total, res.Between, res.Within = total, 0, total
		res.BetweenShare = 0
		if total == 0 || math.IsInf(total, 0) {
			res.BetweenShare = nan
		}
		return res
	}
	for k := range gs {
		gs[k].Share = gs[k].Contribution / total
	}
	res.Total, res.Between, res.Within = total, between, within
	res.BetweenShare = between / total
	res.Groups = gs
	return res
}

// InequalitySummary collects the inequality indices of one variable.
type InequalitySummary struct {
	// N units were used; Dropped had a missing value or weight or a zero
	// weight.
	N, Dropped int
	// Mean is μ, the weighted mean when weights were given.
	Mean float64
	// Gini is the unweighted or weighted Gini (see Gini).
	Gini float64
	// NormalizedGini is G·n/(n−1); NaN when weights were given.
	NormalizedGini float64
	// CV uses the population standard deviation; with population weights
	// it is the Williamson index.
	CV float64
	// SampleCV uses the n−1 divisor; NaN when weights were given.
	SampleCV float64
	// TheilT and TheilL (mean log deviation); TheilL is +Inf when a value
	// is zero.
	TheilT, TheilL float64
}

// Inequality computes all inequality indices of y with optional weights w
// (nil = unweighted), with the conventions of the individual functions
// (Gini, NormalizedGini, CV, SampleCV, Theil, MeanLogDeviation). Callers
// should validate y and w with Check first: a negative or infinite value
// makes every index NaN. Source: docs/methods.md#inequality-summary.
func Inequality(y, w []float64) InequalitySummary {
	vx, vw, dropped, invalid := cleanPairs(y, w)
	nan := math.NaN()
	s := InequalitySummary{N: len(vx), Dropped: dropped, Mean: nan, Gini: nan,
		NormalizedGini: nan, CV: nan, SampleCV: nan, TheilT: nan, TheilL: nan}
	if invalid {
		s.N = 0
		return s
	}
	if s.N == 0 {
		return s
	}
	var sw, swy float64
	for i, v := range vx {
		wi := 1.0
		if vw != nil {
			wi = vw[i]
		}
		sw += wi
		swy += wi * v
	}
	s.Mean = swy / sw
	s.CV = CV(vx, vw)
	s.TheilT = TheilDecompose(TheilT, vx, vw, nil).Total
	s.TheilL = TheilDecompose(TheilL, vx, vw, nil).Total
	if vw == nil {
		s.SampleCV = SampleCV(vx)
		s.Gini = giniSorted(vx)
		if s.N > 1 {
			n := float64(s.N)
			s.NormalizedGini = s.Gini * n / (n - 1)
		}
	} else {
		s.Gini = giniWeighted(vx, vw)
	}
	return s
}
