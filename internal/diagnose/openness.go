package diagnose

import (
	"math"
	"slices"

	"agglo/internal/dataset"
	"agglo/internal/i18n"
)

// openItem is one piece of openness evidence: the agglomeration's z-score
// against every province in the data, read as "higher = more external".
type openItem struct {
	metric string
	z      float64
	cric   bool
}

// openItems collects the openness evidence (docs/methods.md#openness):
// for each openness indicator the agglomeration's value, rolled up from its
// member provinces by the indicator's rule (or their mean when the data
// give the indicator itself), as a z-score against every province; and
// the members' mean of z(knowledge acquisition) − z(knowledge creation).
func (rn *runner) openItems(agg *dataset.Region) []openItem {
	if items, ok := rn.items[agg.Code]; ok {
		return items
	}
	out := rn.readOpenItems(agg)
	rn.items[agg.Code] = out
	return out
}

func (rn *runner) readOpenItems(agg *dataset.Region) []openItem {
	var out []openItem
	for _, ind := range rn.cfg.Openness.Indicators {
		if !rn.has(ind) {
			continue
		}
		year, ok := rn.latest(ind, dataset.LevelProvince)
		if !ok {
			continue
		}
		x, ok := rn.aggValue(agg, ind, year)
		if !ok {
			continue
		}
		z := rn.z(x, ind, dataset.LevelProvince, year, slices.Contains(rn.cfg.Openness.Log, ind))
		if isFinite(z) {
			out = append(out, openItem{metric: ind + "_z", z: z})
		}
	}
	cre, acq := rn.cfg.Openness.Creation, rn.cfg.Openness.Acquisition
	if year, ok := rn.latest(acq, dataset.LevelProvince); ok && rn.has(cre) {
		dc := rn.distribution(cre, dataset.LevelProvince, year)
		da := rn.distribution(acq, dataset.LevelProvince, year)
		var gaps []float64
		for _, m := range agg.ProvinceMembers {
			a, ok1 := da[m.Code]
			c, ok2 := dc[m.Code]
			if !ok1 || !ok2 {
				continue
			}
			if g := rn.z(a, acq, dataset.LevelProvince, year, false) - rn.z(c, cre, dataset.LevelProvince, year, false); isFinite(g) {
				gaps = append(gaps, g)
			}
		}
		if g := mean(gaps); isFinite(g) {
			out = append(out, openItem{metric: "acquisition_minus_creation_z", z: g, cric: true})
		}
	}
	return out
}

// aggValue is an agglomeration's value of ind from its member provinces:
// rolled up by the indicator's rule, or the members' mean when only the
// indicator itself is in the data.
func (rn *runner) aggValue(agg *dataset.Region, ind string, year int) (float64, bool) {
	if r, ok := rn.ds.RollUp(agg.ProvinceMembers, ind, year, false); ok && isFinite(r.Value) {
		return r.Value, true
	}
	vals, _ := rn.memberValues(agg.ProvinceMembers, ind, year, false)
	if len(vals) == 0 {
		return 0, false
	}
	return mean(values(vals)), true
}

// opennessOf scores the items: the mean z ≥ openness_gap is external
// cooperation, ≤ −openness_gap internal creation, between them balanced.
func (rn *runner) opennessOf(items []openItem, th func(string) float64) (string, []Evidence) {
	if len(items) == 0 {
		return Undetermined, nil
	}
	var zs []float64
	for _, it := range items {
		zs = append(zs, it.z)
	}
	score := mean(zs)
	t := th(thOpenness)
	ext := rn.ev("openness_score", score, t, "≥")
	in := rn.ev("openness_score", score, -t, "≤")
	switch {
	case ext.Met:
		return ExternalCooperation, []Evidence{ext}
	case in.Met:
		return InternalCreation, []Evidence{in}
	}
	return Balanced, []Evidence{ext, in}
}

// openness sets the openness mode and the problems read from openness and
// knowledge-flow evidence.
func (rn *runner) openness(a *Agglomeration, agg *dataset.Region, th func(string) float64) {
	items := rn.openItems(agg)
	if len(items) == 0 {
		why := i18n.T("数据没有开放度证据（外资研发、技术市场、外贸或知识获取与知识创造）", "the data have no openness evidence (foreign R&D funds, technology market, trade, or knowledge acquisition and creation)")
		a.Notes = append(a.Notes, why)
		a.Findings = append(a.Findings, notAssessable(AxisOpenness, why), notAssessable(ProblemAxis(ProblemExternalDependence), why))
		a.addProblem(ProblemExternalDependence, nil, false, why)
	} else {
		label, evs := rn.opennessOf(items, th)
		a.OpennessMode = label
		a.OpennessEvidence = evs
		for _, it := range items {
			a.OpennessEvidence = append(a.OpennessEvidence, rn.ev(it.metric, it.z, th(thOpenness), "≥"))
		}
		// Variants: every item left out in turn (when there are several) ×
		// the threshold factors.
		sets := [][]openItem{items}
		if len(items) > 1 {
			for i := range items {
				sets = append(sets, append(slices.Clone(items[:i]), items[i+1:]...))
			}
		}
		var outO, outE []string
		for _, set := range sets {
			for _, f := range rn.cfg.Confidence.Factors {
				l, _ := rn.opennessOf(set, rn.scaled(f))
				outO = append(outO, l)
				outE = append(outE, boolOutcome(l == ExternalCooperation, true))
			}
		}
		varied := []string{VaryThresholds}
		if len(items) > 1 {
			varied = append(varied, VaryEvidence)
		}
		var thin i18n.Text
		if len(items) == 1 && items[0].cric {
			thin = i18n.T("只有区域创新能力评价的知识获取与知识创造两项得分，缺少外资研发、技术市场或外贸等开放数据，置信度低",
				"only the knowledge acquisition and creation scores of the regional innovation capability report, without foreign R&D funds, technology market or trade data: low confidence")
		}
		a.Findings = append(a.Findings, rn.judge(AxisOpenness, label, outO, varied, thin))
		a.setProblem(ProblemExternalDependence, label == ExternalCooperation, evs)
		a.Findings = append(a.Findings, rn.judge(ProblemAxis(ProblemExternalDependence), boolOutcome(label == ExternalCooperation, true), outE, varied, thin))
		if len(items) > 0 && !slices.ContainsFunc(items, func(it openItem) bool { return !it.cric }) {
			a.Notes = append(a.Notes, thin)
		}
	}
	// Knowledge flow: the members' knowledge acquisition against every
	// province, and the member cities' gravity network.
	acqOf := func(t func(string) float64) ([]Evidence, bool) {
		var evs []Evidence
		if z := rn.memberMeanZ(agg, rn.cfg.Openness.Acquisition); isFinite(z) {
			evs = append(evs, rn.ev("knowledge_acquisition_z", z, t(thLowZ), "≤"))
		}
		if d, ok := rn.linkageDensity(agg); ok {
			evs = append(evs, rn.ev("linkage_network_density", d, t(thLinkage), "≤"))
		}
		return evs, len(evs) > 0
	}
	rn.factorProblem(a, ProblemLowKnowledgeFlow, acqOf, th, i18n.T("数据没有成员的知识获取指标，也没有可算引力联系网络的城市级人口与创新质量（专利、R&D 经费或 GDP）",
		"the data have neither the members' knowledge acquisition nor the city-level population and innovation mass (patents, R&D expenditure or GDP) for a gravity linkage network"))
	entOf := func(t func(string) float64) ([]Evidence, bool) {
		z := rn.memberMeanZ(agg, rn.cfg.ProblemIndicators.Enterprise)
		if !isFinite(z) {
			return nil, false
		}
		return []Evidence{rn.ev("enterprise_innovation_z", z, t(thLowZ), "≤")}, true
	}
	rn.factorProblem(a, ProblemWeakEnterpriseInnovation, entOf, th, i18n.T("数据没有成员的企业创新指标", "the data have no enterprise innovation for the members"))
}

// memberMeanZ is the members' mean z-score of ind against every province
// in the data, or NaN.
func (rn *runner) memberMeanZ(agg *dataset.Region, ind string) float64 {
	year, ok := rn.latest(ind, dataset.LevelProvince)
	if !ok {
		return math.NaN()
	}
	dist := rn.distribution(ind, dataset.LevelProvince, year)
	var zs []float64
	for _, m := range agg.ProvinceMembers {
		if v, ok := dist[m.Code]; ok {
			if z := rn.z(v, ind, dataset.LevelProvince, year, false); isFinite(z) {
				zs = append(zs, z)
			}
		}
	}
	return mean(zs)
}

// factorProblem checks a problem whose evidence depends only on the
// thresholds: nominal outcome, and confidence over the threshold factors.
func (rn *runner) factorProblem(a *Agglomeration, id string, check func(func(string) float64) ([]Evidence, bool), th func(string) float64, why i18n.Text) {
	evs, ok := check(th)
	a.addProblem(id, evs, ok, why)
	if !ok {
		a.Findings = append(a.Findings, notAssessable(ProblemAxis(id), why))
		return
	}
	var out []string
	for _, f := range rn.cfg.Confidence.Factors {
		e, ok := check(rn.scaled(f))
		out = append(out, boolOutcome(anyMet(e), ok))
	}
	a.Findings = append(a.Findings, rn.judge(ProblemAxis(id), boolOutcome(anyMet(evs), true), out, []string{VaryThresholds}, i18n.Text{}))
}
