package diagnose

import (
	"fmt"
	"strings"

	"agglo/internal/dataset"
	"agglo/internal/i18n"
)

// StageCriterionResult is one criterion of the stage classification with
// the agglomeration's value where the data have it.
type StageCriterionResult struct {
	ID        string    `json:"id"`
	Name      i18n.Text `json:"name"`
	Group     string    `json:"group"`
	Weight    float64   `json:"weight"`
	Indicator string    `json:"indicator,omitempty"`
	Covered   bool      `json:"covered"`
	Value     *float64  `json:"value,omitempty"`
	Year      int       `json:"year,omitempty"`
	// Basis says where the value comes from: the agglomeration's own value
	// in the data, or its member cities rolled up.
	Basis        string `json:"basis,omitempty"`
	HasStandards bool   `json:"has_standards"`
}

// StageAssessment applies the published stage classification
// (docs/methods.md#stage): which of its criteria the data cover, their
// share of the total weight and, when every covered criterion has its
// standard values and the coverage is enough, the fuzzy memberships of the
// four stages.
type StageAssessment struct {
	Classification i18n.Text              `json:"classification"`
	CoveredWeight  float64                `json:"covered_weight"`
	Criteria       []StageCriterionResult `json:"criteria"`
	Memberships    []float64              `json:"memberships,omitempty"`
	Status         string                 `json:"status"`
	Reason         i18n.Text              `json:"reason,omitempty"`
}

// criterionValue finds a criterion's value: the agglomeration's own value,
// else its member cities rolled up by the indicator's rule when at least
// half of them have data.
func (rn *runner) criterionValue(agg *dataset.Region, ind string) (float64, int, string, bool) {
	if ind == "" || !rn.has(ind) {
		return 0, 0, "", false
	}
	ys := rn.ds.YearsOf(ind, func(i int) bool { return rn.ds.Regions[i].Code == agg.Code })
	for i := len(ys) - 1; i >= 0; i-- {
		if v, ok := rn.ds.Value(agg.Code, ind, ys[i]); ok && isFinite(v) {
			return v, ys[i], "agglomeration", true
		}
	}
	rule, ok := dataset.RollupRuleOf(ind)
	if !ok {
		return 0, 0, "", false
	}
	probe := ind
	if rule.Kind == dataset.RollupRatio {
		probe = rule.Numerator
	}
	ys = rn.ds.YearsOf(probe, func(i int) bool { return kindOf(&rn.ds.Regions[i], dataset.LevelCity) })
	for i := len(ys) - 1; i >= 0; i-- {
		r, ok := rn.ds.RollUp(agg.Members, ind, ys[i], false)
		if ok && isFinite(r.Value) && 2*len(r.Covered) >= len(agg.Members) {
			return r.Value, ys[i], "members", true
		}
	}
	return 0, 0, "", false
}

// stageMemberships is the fuzzy comprehensive evaluation of Zhang and Yang
// (2018): for each covered criterion with standards s_1..s_4 (one per
// stage, in increasing order of development; a decreasing sequence means
// lower is more developed) the membership of value x in the stages is
//
//	x at or before s_1: (1, 0, 0, 0); at or beyond s_4: (0, 0, 0, 1);
//	between s_j and s_{j+1}: μ_j = (s_{j+1} − x)/(s_{j+1} − s_j), μ_{j+1} = 1 − μ_j
//
// and the stage memberships are the weighted means B_j = Σ w_i μ_ij / Σ w_i;
// the stage is the one with the largest B_j (maximum membership).
func stageMemberships(ws []float64, xs []float64, standards [][]float64) []float64 {
	b := make([]float64, 4)
	var tw float64
	for i, s := range standards {
		x := xs[i]
		st := s
		if s[0] > s[3] { // lower is more developed
			x = -x
			st = []float64{-s[0], -s[1], -s[2], -s[3]}
		}
		mu := make([]float64, 4)
		switch {
		case x <= st[0]:
			mu[0] = 1
		case x >= st[3]:
			mu[3] = 1
		default:
			for j := 0; j < 3; j++ {
				if x >= st[j] && x <= st[j+1] {
					mu[j] = (st[j+1] - x) / (st[j+1] - st[j])
					mu[j+1] = 1 - mu[j]
					break
				}
			}
		}
		for j := range b {
			b[j] += ws[i] * mu[j]
		}
		tw += ws[i]
	}
	for j := range b {
		b[j] /= tw
	}
	return b
}

// stage applies the published classification, or says which criteria the
// data cover and why the stage cannot be assessed.
func (rn *runner) stage(a *Agglomeration, agg *dataset.Region) {
	rules := rn.cfg.Stage
	sa := StageAssessment{Classification: rules.Classification, Criteria: []StageCriterionResult{}}
	var total, covered float64
	var ws, xs []float64
	var stds [][]float64
	missingStandards := false
	var coveredZH, coveredEN []string
	for _, c := range rules.Criteria {
		total += c.Weight
		r := StageCriterionResult{ID: c.ID, Name: i18n.T(c.ZH, c.EN), Group: c.Group, Weight: c.Weight, Indicator: c.Indicator, HasStandards: len(c.Standards) == 4}
		if v, y, basis, ok := rn.criterionValue(agg, c.Indicator); ok {
			r.Covered, r.Value, r.Year, r.Basis = true, &v, y, basis
			covered += c.Weight
			coveredZH, coveredEN = append(coveredZH, c.ZH), append(coveredEN, c.EN)
			if r.HasStandards {
				ws, xs, stds = append(ws, c.Weight), append(xs, v), append(stds, c.Standards)
			} else {
				missingStandards = true
			}
		}
		sa.Criteria = append(sa.Criteria, r)
	}
	if total > 0 {
		sa.CoveredWeight = covered / total
	}
	share := fmt.Sprintf("%.0f%%", 100*sa.CoveredWeight)
	cz, ce := strings.Join(coveredZH, "、"), strings.Join(coveredEN, ", ")
	if cz == "" {
		cz, ce = "无", "none"
	}
	switch {
	case sa.CoveredWeight < rules.MinWeightShare:
		sa.Status = StatusNotAssessable
		sa.Reason = i18n.T(fmt.Sprintf("按%s判定需要其 18 项判据；数据只覆盖判据权重的 %s（%s），低于 %.0f%%，发展阶段无法评估", rules.Classification.ZH, share, cz, 100*rules.MinWeightShare),
			fmt.Sprintf("the classification of %s needs its 18 criteria; the data cover %s of their weight (%s), below %.0f%%: the stage cannot be assessed", rules.Classification.EN, share, ce, 100*rules.MinWeightShare))
	case missingStandards:
		sa.Status = StatusNotAssessable
		sa.Reason = i18n.T(fmt.Sprintf("数据覆盖判据权重的 %s，但该划分各阶段的标准值（原文表 3）未能取得，不自行设定分界，发展阶段无法评估", share),
			fmt.Sprintf("the data cover %s of the criteria's weight, but the classification's standard values for each stage (its Table 3) were not available, and agglo does not invent cut-offs: the stage cannot be assessed", share))
	default:
		sa.Status = StatusAssessed
		sa.Memberships = stageMemberships(ws, xs, stds)
	}
	a.StageAssessment = sa
	if sa.Status != StatusAssessed {
		a.Findings = append(a.Findings, notAssessable(AxisStage, sa.Reason))
		return
	}
	best := 0
	for j, b := range sa.Memberships {
		if b > sa.Memberships[best] {
			best = j
		}
	}
	for j, b := range sa.Memberships {
		st := StageName(Stages()[j])
		a.StageEvidence = append(a.StageEvidence, Evidence{Metric: "membership_" + Stages()[j], Name: i18n.T(st.ZH+"的隶属度", "membership of "+st.EN), Value: b, Op: "max", Met: j == best,
			Text: i18n.T(fmt.Sprintf("%s的隶属度为 %.2f", st.ZH, b), fmt.Sprintf("membership of %s %.2f", st.EN, b))})
	}
	a.Stage, a.StageSource = Stages()[best], "computed"
	// Variants: each covered criterion left out in turn.
	out := []string{a.Stage}
	for i := range ws {
		if len(ws) < 2 {
			break
		}
		w := append(append([]float64{}, ws[:i]...), ws[i+1:]...)
		x := append(append([]float64{}, xs[:i]...), xs[i+1:]...)
		s := append(append([][]float64{}, stds[:i]...), stds[i+1:]...)
		m := stageMemberships(w, x, s)
		b := 0
		for j := range m {
			if m[j] > m[b] {
				b = j
			}
		}
		out = append(out, Stages()[b])
	}
	a.Findings = append(a.Findings, rn.judge(AxisStage, a.Stage, out, []string{VaryEvidence}, i18n.Text{}))
}
