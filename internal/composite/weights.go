package composite

import (
	"math"

	"gonum.org/v1/gonum/mat"

	"agglo/internal/i18n"
	"agglo/internal/measure"
)

// columns converts a units × indicators matrix to column slices.
func columns(x [][]float64) [][]float64 {
	if len(x) == 0 {
		return nil
	}
	k := len(x[0])
	cols := make([][]float64, k)
	for j := range cols {
		cols[j] = make([]float64, len(x))
		for i, row := range x {
			if len(row) != k {
				panic("composite: ragged matrix")
			}
			cols[j][i] = row[j]
		}
	}
	return cols
}

// directedMinMax returns (x − min)/(max − min) for benefit and
// (max − x)/(max − min) for cost columns; a constant column gives ones
// (as pymcdm's minmax_normalization).
func directedMinMax(c []float64, dir int) []float64 {
	lo, hi := minMax(c)
	z := make([]float64, len(c))
	for i, v := range c {
		switch {
		case math.IsNaN(v):
			z[i] = math.NaN()
		case hi == lo:
			z[i] = 1
		case dir < 0:
			z[i] = (hi - v) / (hi - lo)
		default:
			z[i] = (v - lo) / (hi - lo)
		}
	}
	return z
}

func dirOf(dirs []int, j int) int {
	if dirs == nil {
		return 1
	}
	return dirs[j]
}

// EntropyWeights returns entropy weights of the columns of x (units ×
// indicators; dirs nil = all benefit), docs/methods.md#entropy-weights:
//
//	z = directed min-max; p_ij = z_ij/Σ_i z_ij; e_j = −(1/ln m)·Σ_i p_ij ln p_ij;
//	d_j = 1 − e_j; w_j = d_j/Σ d
//
// variant: "strict" (0·ln0 = 0), "shift" (z + 0.0001), "epsilon" (z rescaled
// to [0.002, 0.998], zhjx19/mathmodels entropy_weight), "raw" (pymcdm: p from the
// raw values, direction ignored, e_j = 0 when any p_ij = 0). Missing values
// are skipped per column (m is the column's count). A constant column gets
// weight 0. Fewer than 2 values → error.
func EntropyWeights(x [][]float64, dirs []int, variant string) ([]float64, error) {
	return entropyCols(columns(x), dirs, variant, nil)
}

// entropyCols computes entropy weights of cols; names, when given, name
// the columns (indicators) in errors.
func entropyCols(cols [][]float64, dirs []int, variant string, names []i18n.Text) ([]float64, error) {
	d := make([]float64, len(cols))
	for j, c := range cols {
		var z []float64
		if variant == EntropyRaw {
			z = c
		} else {
			z = directedMinMax(c, dirOf(dirs, j))
		}
		var sum float64
		m := 0
		for i, v := range z {
			if math.IsNaN(v) {
				continue
			}
			switch variant {
			case EntropyShift:
				v += 0.0001
			case EntropyEpsilon:
				v = 0.002 + 0.996*v
			}
			z[i] = v
			sum += v
			m++
		}
		if m < 2 {
			name := i18n.Tf("第 %d 个指标", "indicator %d", j+1)
			if names != nil {
				name = i18n.T("指标“"+names[j].ZH+"”", "indicator “"+names[j].EN+"”")
			}
			return nil, errorf("熵权法按指标计算每个指标在各地区间的离散程度，每个指标至少需要 2 个地区有数值；%[1]s只有 %[2]d 个地区有数值。请换一种权重方法，或选择该指标有数据的年份",
				"entropy weights measure how each indicator varies across the regions, so every indicator needs values for at least 2 regions; %[3]s has values for %[4]d. Choose other weights, or a year with data for it",
				name.ZH, m, name.EN, m)
		}
		var e float64
		for _, v := range z {
			if math.IsNaN(v) {
				continue
			}
			p := v / sum
			if p > 0 {
				e -= p * math.Log(p)
			} else if variant == EntropyRaw {
				e = 0
				break
			}
		}
		e /= math.Log(float64(m))
		d[j] = 1 - e
	}
	return normaliseSum(d)
}

func normaliseSum(w []float64) ([]float64, error) {
	var s float64
	for _, v := range w {
		s += v
	}
	if !(s > 0) || math.IsInf(s, 0) {
		return nil, errorf("权重之和不是正数,无法归一化(所有指标都是常数?)", "the weights do not sum to a positive number (are all indicators constant?)")
	}
	out := make([]float64, len(w))
	for i, v := range w {
		out[i] = v / s
	}
	return out, nil
}

// CRITICWeights returns CRITIC weights (Diakoulaki et al. 1995),
// docs/methods.md#critic-weights:
//
//	z = directed min-max; σ_j = sample sd of z_j; r = Pearson correlation of z;
//	C_j = σ_j·Σ_l (1 − r_jl); w_j = C_j/Σ C
//
// Correlations use the rows complete in both columns. A constant column gets
// weight 0.
func CRITICWeights(x [][]float64, dirs []int) ([]float64, error) {
	return criticCols(columns(x), dirs)
}

func criticCols(cols [][]float64, dirs []int) ([]float64, error) {
	k := len(cols)
	z := make([][]float64, k)
	sd := make([]float64, k)
	for j, c := range cols {
		z[j] = directedMinMax(c, dirOf(dirs, j))
		lo, hi := minMax(c)
		if lo == hi {
			continue
		}
		_, sd[j], _ = meanSD(z[j])
	}
	c := make([]float64, k)
	for j := 0; j < k; j++ {
		if sd[j] == 0 {
			continue
		}
		var conflict float64
		for l := 0; l < k; l++ {
			if l == j || sd[l] == 0 {
				if l != j {
					conflict += 1
				}
				continue
			}
			r, _ := measure.PearsonN(z[j], z[l])
			conflict += 1 - r
		}
		c[j] = sd[j] * conflict
	}
	return normaliseSum(c)
}

// CVWeights returns coefficient-of-variation weights,
// docs/methods.md#cv-weights:
// CV_j = s_j/mean_j (sample s), w_j = CV_j/Σ CV. Direction is irrelevant.
// Negative values or a column mean ≤ 0 are refused.
func CVWeights(x [][]float64) ([]float64, error) {
	return cvCols(columns(x), nil)
}

func cvCols(cols [][]float64, codes []string) ([]float64, error) {
	cv := make([]float64, len(cols))
	for j, c := range cols {
		name := ""
		if codes != nil {
			name = codes[j]
		}
		for _, v := range c {
			if v < 0 {
				return nil, errorf("变异系数权重要求非负值,%q 有负值 %v", "CV weights need non-negative values; %q has %v", name, v)
			}
		}
		m, s, _ := meanSD(c)
		if !(m > 0) {
			return nil, errorf("变异系数权重要求均值为正,%q 的均值为 %v", "CV weights need a positive mean; %q has mean %v", name, m)
		}
		cv[j] = s / m
	}
	return normaliseSum(cv)
}

// PCAResult holds a principal component analysis of standardised columns.
type PCAResult struct {
	// VarianceExplained is the share of variance of each component, largest first.
	VarianceExplained []float64 `json:"variance_explained"`
	// Loadings are the first component's loadings (unit-length eigenvector),
	// with the sign chosen so that their sum is ≥ 0.
	Loadings []float64 `json:"loadings"`
	// N is the number of complete rows used.
	N int `json:"n"`
}

// PCA runs a principal component analysis on the complete rows of cols,
// centred and scaled to unit sample variance (R prcomp(center = TRUE,
// scale. = TRUE), as COINr get_PCA). Sign convention: the first loadings are
// flipped so that they sum to a non-negative number.
func PCA(cols [][]float64) (PCAResult, error) {
	k := len(cols)
	if k == 0 {
		return PCAResult{}, errorf("PCA 没有变量", "PCA has no variables")
	}
	n := len(cols[0])
	var rows []int
	for i := 0; i < n; i++ {
		ok := true
		for _, c := range cols {
			if math.IsNaN(c[i]) {
				ok = false
				break
			}
		}
		if ok {
			rows = append(rows, i)
		}
	}
	if len(rows) < 2 {
		return PCAResult{}, errorf("PCA 的完整行少于 2 行", "PCA has fewer than 2 complete rows")
	}
	// Correlation matrix of the complete rows.
	std := make([][]float64, k)
	for j, c := range cols {
		v := make([]float64, len(rows))
		for r, i := range rows {
			v[r] = c[i]
		}
		m, s, _ := meanSD(v)
		if !(s > 0) {
			return PCAResult{}, errorf("PCA 的第 %d 个变量是常数", "PCA variable %d is constant", j+1)
		}
		for r := range v {
			v[r] = (v[r] - m) / s
		}
		std[j] = v
	}
	cor := mat.NewSymDense(k, nil)
	for a := 0; a < k; a++ {
		for b := a; b < k; b++ {
			var s float64
			for r := range rows {
				s += std[a][r] * std[b][r]
			}
			cor.SetSym(a, b, s/float64(len(rows)-1))
		}
	}
	var eig mat.EigenSym
	if !eig.Factorize(cor, true) {
		return PCAResult{}, errorf("PCA 特征分解失败", "PCA eigendecomposition failed")
	}
	vals := eig.Values(nil) // ascending
	var vecs mat.Dense
	eig.VectorsTo(&vecs)
	var tot float64
	for _, v := range vals {
		tot += v
	}
	res := PCAResult{N: len(rows)}
	for i := len(vals) - 1; i >= 0; i-- {
		res.VarianceExplained = append(res.VarianceExplained, vals[i]/tot)
	}
	first := len(vals) - 1
	res.Loadings = make([]float64, k)
	var sum float64
	for j := 0; j < k; j++ {
		res.Loadings[j] = vecs.At(j, first)
		sum += res.Loadings[j]
	}
	if sum < 0 {
		for j := range res.Loadings {
			res.Loadings[j] = -res.Loadings[j]
		}
	}
	return res, nil
}

// pcaWeights returns the first-component loadings rescaled to sum to 1, and
// an error if a loading is negative after the sign convention (such a weight
// would reward a lower value).
func pcaWeights(cols [][]float64, codes []string) ([]float64, error) {
	res, err := PCA(cols)
	if err != nil {
		return nil, err
	}
	for j, l := range res.Loadings {
		if l < 0 {
			return nil, errorf("PCA 第一主成分给 %q 负载荷 %.3f,不能作为权重", "the first principal component gives %q a negative loading %.3f, which cannot be a weight",
				codes[j], l)
		}
	}
	return normaliseSum(res.Loadings)
}
