package diagnose

import (
	"fmt"
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
	inputs []input
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
			out = append(out, openItem{metric: ind + "_z", z: z, inputs: []input{{ind, dataset.LevelProvince, year}}})
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
			out = append(out, openItem{metric: "acquisition_minus_creation_z", z: g, cric: true,
				inputs: []input{{acq, dataset.LevelProvince, year}, {cre, dataset.LevelProvince, year}}})
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
	rn.knowledgeFlow(a, agg, th)
	entOf := func(t func(string) float64) ([]Evidence, bool) {
		z := rn.memberMeanZ(agg, rn.cfg.ProblemIndicators.Enterprise)
		if !isFinite(z) {
			return nil, false
		}
		return []Evidence{rn.ev("enterprise_innovation_z", z, t(thLowZ), "≤")}, true
	}
	rn.factorProblem(a, ProblemWeakEnterpriseInnovation, entOf, th, i18n.T("数据没有成员的企业创新指标", "the data have no enterprise innovation for the members"))
}

// flowItem is one piece of knowledge-flow evidence: a metric and its
// value, checked against its threshold (low_z or linkage_density) with ≤.
type flowItem struct {
	metric, th string
	value      float64
	inputs     []input
}

// flowItems collects the knowledge-flow evidence
// (docs/methods.md#knowledge-flow): the member provinces' knowledge
// acquisition (CRIC) as a mean z-score against every province; the
// directed density of the member cities' gravity linkage network; and the
// member cities' co-publication network degree as a mean z-score of log
// degree against every city of the data (national only, with at least
// level.national_min_cities cities).
func (rn *runner) flowItems(agg *dataset.Region) []flowItem {
	var out []flowItem
	if acq := rn.cfg.Openness.Acquisition; true {
		if z := rn.memberMeanZ(agg, acq); isFinite(z) {
			y, _ := rn.latest(acq, dataset.LevelProvince)
			out = append(out, flowItem{"knowledge_acquisition_z", thLowZ, z, []input{{acq, dataset.LevelProvince, y}}})
		}
	}
	if d, ok := rn.linkageDensity(agg); ok {
		l := rn.links
		out = append(out, flowItem{"linkage_network_density", thLinkage, d,
			[]input{{l.mass, dataset.LevelCity, l.massYear}, {"population", dataset.LevelCity, l.popYear}}})
	}
	if cp := rn.cfg.ProblemIndicators.Copublication; cp != "" {
		if z := rn.cityMeanZ(agg, cp, true); isFinite(z) {
			y, _ := rn.latest(cp, dataset.LevelCity)
			out = append(out, flowItem{"copublication_degree_z", thLowZ, z, []input{{cp, dataset.LevelCity, y}}})
		}
	}
	return out
}

// flowLow says whether the items show low knowledge flow: any item at or
// below its threshold.
func (rn *runner) flowLow(items []flowItem, th func(string) float64) ([]Evidence, bool) {
	evs := make([]Evidence, 0, len(items))
	for _, it := range items {
		evs = append(evs, rn.ev(it.metric, it.value, th(it.th), "≤"))
	}
	return evs, anyMet(evs)
}

// knowledgeFlow checks the low-knowledge-flow problem. It fires when any
// piece of evidence is at or below its threshold; its confidence comes
// from the threshold factors applied to all the evidence and to each piece
// alone, so that evidence pieces that disagree (a sparse gravity network
// but well-connected co-publication) make the finding uncertain.
func (rn *runner) knowledgeFlow(a *Agglomeration, agg *dataset.Region, th func(string) float64) {
	items := rn.flowItems(agg)
	// City evidence left out because a designated core lacks it.
	var left []string
	if cp := rn.cfg.ProblemIndicators.Copublication; rn.has(cp) {
		if y, ok := rn.latest(cp, dataset.LevelCity); ok && !rn.coresHave(agg, cp, y) {
			left = append(left, cp)
		}
	}
	if l := rn.links; l != nil && l.mass != "" && !rn.coresHave(agg, l.mass, l.massYear) {
		left = append(left, l.mass)
	}
	for _, ind := range left {
		var miss []MemberRef
		for _, c := range agg.Cores() {
			y, _ := rn.latest(ind, dataset.LevelCity)
			if _, ok := rn.value(c, ind, y); !ok {
				miss = append(miss, rn.ref(c))
			}
		}
		z, e := listNames(miss, 0)
		n := rn.indicatorName(ind)
		a.Notes = append(a.Notes, i18n.T(fmt.Sprintf("%s缺少核心城市%s的数据，不用于判断知识流动", n.ZH, z),
			fmt.Sprintf("%s lacks the core %s and is not used for knowledge flow", n.EN, e)))
	}
	if len(items) == 0 {
		why := i18n.T("数据没有成员的知识获取指标、城市合作论文网络度，也没有可算引力联系网络的城市级人口与创新质量（专利、R&D 经费或 GDP）",
			"the data have neither the members' knowledge acquisition, nor the cities' co-publication degree, nor the city-level population and innovation mass (patents, R&D expenditure or GDP) for a gravity linkage network")
		a.addProblem(ProblemLowKnowledgeFlow, nil, false, why)
		a.Findings = append(a.Findings, notAssessable(ProblemAxis(ProblemLowKnowledgeFlow), why))
		return
	}
	evs, low := rn.flowLow(items, th)
	a.addProblem(ProblemLowKnowledgeFlow, evs, true, i18n.Text{})
	sets := [][]flowItem{items}
	if len(items) > 1 {
		for _, it := range items {
			sets = append(sets, []flowItem{it})
		}
	}
	var out []string
	for _, set := range sets {
		for _, f := range rn.cfg.Confidence.Factors {
			_, l := rn.flowLow(set, rn.scaled(f))
			out = append(out, boolOutcome(l, true))
		}
	}
	varied := []string{VaryThresholds}
	if len(items) > 1 {
		varied = append(varied, VaryEvidence)
	}
	a.Findings = append(a.Findings, rn.judge(ProblemAxis(ProblemLowKnowledgeFlow), boolOutcome(low, true), out, varied, i18n.Text{}))
}

// cityMeanZ is the member cities' mean z-score of ind against every city
// of the data in the indicator's latest year (on a log scale when log is
// set), or NaN when fewer than level.national_min_cities cities have it,
// when a designated core lacks it (the mean would leave out the region's
// strongest node) or when fewer than min_members members have it.
func (rn *runner) cityMeanZ(agg *dataset.Region, ind string, log bool) float64 {
	if ind == "" || !rn.has(ind) {
		return math.NaN()
	}
	year, ok := rn.latest(ind, dataset.LevelCity)
	if !ok {
		return math.NaN()
	}
	dist := rn.distribution(ind, dataset.LevelCity, year)
	if len(dist) < rn.cfg.Level.NationalMinCities || !rn.coresHave(agg, ind, year) {
		return math.NaN()
	}
	var zs []float64
	for _, m := range agg.Members {
		if v, ok := dist[m.Code]; ok {
			if z := rn.z(v, ind, dataset.LevelCity, year, log); isFinite(z) {
				zs = append(zs, z)
			}
		}
	}
	if len(zs) < rn.cfg.Size.MinMembers {
		return math.NaN()
	}
	return mean(zs)
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
