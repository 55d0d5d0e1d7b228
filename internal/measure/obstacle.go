package measure

import (
	"math"
	"slices"
)

// ObstacleResult is the obstacle-degree diagnosis of a composite index.
type ObstacleResult struct {
	// Deviation is I_ij = 1 − x_ij, the gap of unit i to the ideal on
	// indicator j (指标偏离度).
	Deviation [][]float64
	// Degree is the obstacle degree O_ij in percent (障碍度); each row sums
	// to 100, or is NaN when the unit is at the ideal on every weighted
	// indicator.
	Degree [][]float64
	// Rank lists, for each unit, the indicator indices by descending
	// obstacle degree (ties by ascending index); Rank[i][0] is the main
	// obstacle.
	Rank [][]int
}

// Obstacle returns the obstacle degree model (障碍度模型) of a composite
// index: for unit i and indicator j with normalised value x_ij ∈ [0, 1]
// (1 = best; x[i][j], for example a min-max normalised, polarity-corrected
// indicator) and weight w_j (the factor contribution, 因子贡献度),
//
//	I_ij = 1 − x_ij
//	O_ij = w_j I_ij / Σ_j w_j I_ij × 100%
//
// and the indicators ranked by O_ij, the main obstacles first. The degree
// is invariant to the scale of w. Obstacle degrees of a dimension are the
// sums of its indicators' degrees (see ObstacleResult.ByDimension).
//
// Edge cases: a unit with I_ij = 0 for every weighted indicator (at the
// ideal everywhere) has NaN degrees and a rank by index. Errors: a value
// outside [0, 1] or NaN (an *InputError naming the unit and the indicator
// column), or weights that are negative, not finite or all zero (Unit −1,
// Column j). Obstacle panics if x is ragged or w's length differs from the
// number of indicators.
//
// Source: the model as used throughout the Chinese literature on
// sustainability and land-use diagnosis, e.g. Lu Chunyang, Wen Feng, Yang
// Qingyuan, Chen Linlin and Zong Huiming (2011), 基于改进TOPSIS法的城市土地
// 利用绩效评价及障碍因子诊断——以重庆市为例 (An evaluation of urban land use
// performance based on the improved TOPSIS method and diagnosis of its
// obstacle indicators: a case study of Chongqing), 资源科学 (Resources
// Science) 33(3). The formula above is the model's standard statement.
func Obstacle(x [][]float64, w []float64) (ObstacleResult, error) {
	m := len(w)
	var sw float64
	for j, v := range w {
		if !(v >= 0) || math.IsInf(v, 0) {
			return ObstacleResult{}, &InputError{Method: "obstacle degree weights", Unit: -1, Column: j, Value: v,
				Reason: "weights must be finite and not negative"}
		}
		sw += v
	}
	if sw == 0 && m > 0 {
		return ObstacleResult{}, &InputError{Method: "obstacle degree weights", Unit: -1, Column: -1, Value: 0,
			Reason: "the weights sum to zero"}
	}
	for _, row := range x {
		if len(row) != m {
			panic(errLength)
		}
	}
	if err := CheckMatrix("obstacle degree", nil, x, UnitInterval); err != nil {
		return ObstacleResult{}, err
	}
	n := len(x)
	res := ObstacleResult{Deviation: make([][]float64, n), Degree: make([][]float64, n), Rank: make([][]int, n)}
	for i, row := range x {
		dev := make([]float64, m)
		deg := make([]float64, m)
		var total float64
		for j, v := range row {
			dev[j] = 1 - v
			total += w[j] / sw * dev[j]
		}
		for j := range deg {
			deg[j] = math.NaN()
			if total > 0 {
				deg[j] = 100 * (w[j] / sw * dev[j]) / total
			}
		}
		rank := make([]int, m)
		for j := range rank {
			rank[j] = j
		}
		if total > 0 {
			slices.SortStableFunc(rank, func(a, b int) int {
				switch {
				case deg[a] > deg[b]:
					return -1
				case deg[a] < deg[b]:
					return 1
				}
				return 0
			})
		}
		res.Deviation[i], res.Degree[i], res.Rank[i] = dev, deg, rank
	}
	return res, nil
}

// ByDimension sums the obstacle degrees of each unit over the indicators of
// each dimension (dims[j] is indicator j's dimension label): U_ik = Σ_{j ∈
// k} O_ij. It returns the labels in ascending order and, per unit, the
// degree of each label. ByDimension panics if len(dims) differs from the
// number of indicators.
func (r ObstacleResult) ByDimension(dims []int) (labels []int, degree [][]float64) {
	labels = slices.Clone(dims)
	slices.Sort(labels)
	labels = slices.Compact(labels)
	degree = make([][]float64, len(r.Degree))
	for i, row := range r.Degree {
		if len(row) != len(dims) {
			panic(errLength)
		}
		d := make([]float64, len(labels))
		for j, v := range row {
			k, _ := slices.BinarySearch(labels, dims[j])
			d[k] += v
		}
		degree[i] = d
	}
	return labels, degree
}
