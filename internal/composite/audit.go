package composite

import (
	"math"
	"sort"

	"gonum.org/v1/gonum/stat/distuv"

	"agglo/internal/measure"
)

// IndicatorStats are COINr-style statistics of one raw indicator (missing
// values removed): sample sd, skewness and kurtosis as e1071 type 2.
type IndicatorStats struct {
	Code    string `json:"code"`
	N       int    `json:"n"`
	Missing int    `json:"missing"`
	Mean    Score  `json:"mean"`
	SD      Score  `json:"sd"`
	Min     Score  `json:"min"`
	Max     Score  `json:"max"`
	Skew    Score  `json:"skew"`
	Kurt    Score  `json:"kurt"`
	// Outlier is true when the indicator fails COINr's rule
	// (|skew| ≥ 2 and kurt ≥ 3.5).
	Outlier bool `json:"outlier"`
}

// Correlations hold Pearson and Spearman correlation matrices over Codes
// (every node of every level below the index: normalised indicators and
// aggregate scores), with two-sided p-values from the t distribution with
// n−2 degrees of freedom (t = r·sqrt((n−2)/(1−r²)); for Spearman this is the
// large-sample approximation). Pairs use the units where both are present;
// N holds their number.
type Correlations struct {
	Codes     []string  `json:"codes"`
	Levels    []int     `json:"levels"`
	Pearson   [][]Score `json:"pearson"`
	PPearson  [][]Score `json:"p_pearson"`
	Spearman  [][]Score `json:"spearman"`
	PSpearman [][]Score `json:"p_spearman"`
	N         [][]int   `json:"n"`
}

// GroupAudit holds the reliability and PCA of one aggregate's children.
type GroupAudit struct {
	Code string `json:"code"`
	// Alpha is Cronbach's alpha on complete rows:
	// k/(k−1)·(1 − Σ var_i / var(Σ_i x_i)), sample variances.
	Alpha Score      `json:"alpha"`
	N     int        `json:"n"`
	PCA   *PCAResult `json:"pca,omitempty"`
}

// UnitProfile lists a unit's strongest and weakest indicators by its rank
// among units on each normalised indicator (1 = best, ties "min").
type UnitProfile struct {
	Code       string   `json:"code"`
	Strengths  []string `json:"strengths"`
	Weaknesses []string `json:"weaknesses"`
}

// AuditReport is the statistical audit of a built index.
type AuditReport struct {
	Indicators   []IndicatorStats `json:"indicators"`
	Correlations Correlations     `json:"correlations"`
	Groups       []GroupAudit     `json:"groups"`
	Units        []UnitProfile    `json:"units"`
}

// Audit computes the audit of res, built by Build from fw and d. top is the
// number of strengths and weaknesses per unit (COINr get_str_weak uses 5).
func Audit(fw *Framework, d *Data, res *Result, top int) (*AuditReport, error) {
	e, err := newEngine(fw, d)
	if err != nil {
		return nil, err
	}
	if res == nil || len(res.values) != len(e.p.nodes) {
		return nil, errorf("审计需要由同一框架构建的结果", "the audit needs a result built with the same framework")
	}
	rep := &AuditReport{}
	for j, c := range e.raw {
		m, sd, n := meanSD(c)
		lo, hi := minMax(c)
		sk, ku := skewKurt(c)
		rep.Indicators = append(rep.Indicators, IndicatorStats{Code: e.codes[0][j], N: n, Missing: e.n - n,
			Mean: Score(m), SD: Score(sd), Min: Score(lo), Max: Score(hi), Skew: Score(sk), Kurt: Score(ku),
			Outlier: !passes(c, 2, 3.5)})
	}
	// Correlations over all nodes below the index.
	var cols [][]float64
	cr := &rep.Correlations
	for li := 0; li+1 < len(res.values); li++ {
		for j, c := range res.values[li] {
			cols = append(cols, c)
			cr.Codes = append(cr.Codes, e.codes[li][j])
			cr.Levels = append(cr.Levels, li+1)
		}
	}
	ranks := make([][]float64, len(cols))
	for j, c := range cols {
		ranks[j] = averageRanks(c)
	}
	k := len(cols)
	mk := func() [][]Score {
		m := make([][]Score, k)
		for i := range m {
			m[i] = make([]Score, k)
		}
		return m
	}
	cr.Pearson, cr.PPearson, cr.Spearman, cr.PSpearman = mk(), mk(), mk(), mk()
	cr.N = make([][]int, k)
	for a := 0; a < k; a++ {
		cr.N[a] = make([]int, k)
		for b := 0; b < k; b++ {
			if b < a {
				cr.Pearson[a][b], cr.PPearson[a][b] = cr.Pearson[b][a], cr.PPearson[b][a]
				cr.Spearman[a][b], cr.PSpearman[a][b] = cr.Spearman[b][a], cr.PSpearman[b][a]
				cr.N[a][b] = cr.N[b][a]
				continue
			}
			r, n := measure.PearsonN(cols[a], cols[b])
			rs, _ := measure.PearsonN(maskRanks(ranks[a], cols[b]), maskRanks(ranks[b], cols[a]))
			cr.Pearson[a][b], cr.PPearson[a][b] = Score(r), Score(corrP(r, n))
			cr.Spearman[a][b], cr.PSpearman[a][b] = Score(rs), Score(corrP(rs, n))
			cr.N[a][b] = n
		}
	}
	for li := 1; li < len(e.p.nodes); li++ {
		for _, g := range e.p.nodes[li] {
			sub := make([][]float64, len(g.children))
			for k, c := range g.children {
				sub[k] = res.values[li-1][c]
			}
			ga := GroupAudit{Code: g.code}
			a, n := CronbachAlpha(sub)
			ga.Alpha, ga.N = Score(a), n
			if len(sub) > 1 {
				if p, err := PCA(sub); err == nil {
					ga.PCA = &p
				}
			}
			rep.Groups = append(rep.Groups, ga)
		}
	}
	// Strengths and weaknesses.
	if top <= 0 {
		top = 5
	}
	indRanks := make([][]int, len(res.values[0]))
	for j, c := range res.values[0] {
		indRanks[j] = Ranks(c)
	}
	for i, u := range e.units {
		type ir struct {
			j, r int
		}
		var list []ir
		for j := range indRanks {
			if r := indRanks[j][i]; r > 0 {
				list = append(list, ir{j, r})
			}
		}
		sort.SliceStable(list, func(a, b int) bool { return list[a].r < list[b].r })
		p := UnitProfile{Code: u.Code, Strengths: []string{}, Weaknesses: []string{}}
		for k := 0; k < top && k < len(list); k++ {
			p.Strengths = append(p.Strengths, e.codes[0][list[k].j])
			p.Weaknesses = append(p.Weaknesses, e.codes[0][list[len(list)-1-k].j])
		}
		rep.Units = append(rep.Units, p)
	}
	return rep, nil
}

// CronbachAlpha returns Cronbach's alpha of the columns on their complete
// rows, k/(k−1)·(1 − Σ var_i/var(Σ_i x_i)) with sample variances, and the
// number of rows used.
func CronbachAlpha(cols [][]float64) (float64, int) {
	k := len(cols)
	if k < 2 {
		return math.NaN(), 0
	}
	var rows []int
	for i := range cols[0] {
		ok := true
		for _, c := range cols {
			ok = ok && !math.IsNaN(c[i])
		}
		if ok {
			rows = append(rows, i)
		}
	}
	if len(rows) < 2 {
		return math.NaN(), len(rows)
	}
	total := make([]float64, len(rows))
	var sumVar float64
	for _, c := range cols {
		v := make([]float64, len(rows))
		for r, i := range rows {
			v[r] = c[i]
			total[r] += c[i]
		}
		_, sd, _ := meanSD(v)
		sumVar += sd * sd
	}
	_, sdt, _ := meanSD(total)
	fk := float64(k)
	return fk / (fk - 1) * (1 - sumVar/(sdt*sdt)), len(rows)
}

// averageRanks ranks the values ascending with ties averaged (Spearman).
func averageRanks(x []float64) []float64 {
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
	for s := 0; s < len(idx); {
		e := s
		for e+1 < len(idx) && x[idx[e+1]] == x[idx[s]] {
			e++
		}
		r := float64(s+e)/2 + 1
		for k := s; k <= e; k++ {
			out[idx[k]] = r
		}
		s = e + 1
	}
	return out
}

// maskRanks returns r with NaN where other is missing, re-ranked over the
// remaining values so that Spearman uses the pairwise-complete rows.
func maskRanks(r, other []float64) []float64 {
	m := make([]float64, len(r))
	for i := range r {
		if math.IsNaN(other[i]) {
			m[i] = math.NaN()
		} else {
			m[i] = r[i]
		}
	}
	return averageRanks(m)
}

// corrP returns the two-sided p-value of correlation r on n pairs from the
// t distribution with n−2 degrees of freedom.
func corrP(r float64, n int) float64 {
	if n < 3 || math.IsNaN(r) {
		return math.NaN()
	}
	if math.Abs(r) >= 1 {
		return 0
	}
	t := r * math.Sqrt(float64(n-2)/(1-r*r))
	st := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(n - 2)}
	return 2 * st.Survival(math.Abs(t))
}
