package diagnose

import (
	"fmt"

	"agglo/internal/dataset"
	"agglo/internal/i18n"
)

// thresholdAxes says which labels each threshold decides.
var thresholdAxes = map[string][]string{
	thCorePrimacy:   {AxisSpatial},
	thCoreShareZipf: {AxisSpatial},
	thQ:             {AxisSpatial},
	thSecondTier:    {ProblemAxis(ProblemCentralCollapse)},
	thLevel:         {AxisLevel},
	thCV:            {ProblemAxis(ProblemImbalance)},
	thOpenness:      {AxisOpenness, ProblemAxis(ProblemExternalDependence)},
	thLowZ:          {ProblemAxis(ProblemLowKnowledgeFlow), ProblemAxis(ProblemWeakEnterpriseInnovation), ProblemAxis(ProblemRDConversionLow)},
	thWeakCorePct:   {ProblemAxis(ProblemWeakCore)},
	thSiphonDCS:     {AxisFlow},
	thSiphonRG:      {AxisFlow},
	thHomogeneity:   {ProblemAxis(ProblemHomogeneity)},
	thLinkage:       {ProblemAxis(ProblemLowKnowledgeFlow)},
}

// nominalLabels evaluates every threshold-dependent label of agg on its
// nominal data with the thresholds th.
func (rn *runner) nominalLabels(agg *dataset.Region, th func(string) float64) map[string]string {
	out := map[string]string{}
	if vs := rn.sizeVariants(agg); len(vs) > 0 {
		d := rn.sizeData(agg, vs[0])
		out[AxisSpatial], _ = rn.spatialOf(d, th)
		c, ok := rn.collapseOf(d, th)
		out[ProblemAxis(ProblemCentralCollapse)] = boolOutcome(c.Met, ok)
		w, ok := rn.weakCoreOf(d, th)
		out[ProblemAxis(ProblemWeakCore)] = boolOutcome(w.Met, ok)
	}
	if vs := rn.flowVariants(agg); len(vs) > 0 {
		out[AxisFlow], _, _, _, _, _ = rn.flowOf(rn.flowData(agg, vs[0]), th)
	}
	if vs := rn.levelVariants(agg); len(vs) > 0 {
		l, _, vals, _, _ := rn.levelOf(agg, vs[0], th)
		out[AxisLevel] = l
		c, ok := rn.imbalanceOf(vals, th)
		out[ProblemAxis(ProblemImbalance)] = boolOutcome(c.Met, ok)
	}
	if items := rn.openItems(agg); len(items) > 0 {
		l, _ := rn.opennessOf(items, th)
		out[AxisOpenness] = l
		out[ProblemAxis(ProblemExternalDependence)] = boolOutcome(l == ExternalCooperation, true)
	}
	if items := rn.flowItems(agg); len(items) > 0 {
		_, low := rn.flowLow(items, th)
		out[ProblemAxis(ProblemLowKnowledgeFlow)] = boolOutcome(low, true)
	}
	if z := rn.memberMeanZ(agg, rn.cfg.ProblemIndicators.Enterprise); isFinite(z) {
		out[ProblemAxis(ProblemWeakEnterpriseInnovation)] = boolOutcome(z <= th(thLowZ), true)
	}
	if evs := rn.rdConversion(agg, th); len(evs) > 0 {
		out[ProblemAxis(ProblemRDConversionLow)] = boolOutcome(anyMet(evs), true)
	}
	if s, ok := rn.similarity(agg); ok {
		out[ProblemAxis(ProblemHomogeneity)] = boolOutcome(s >= th(thHomogeneity), true)
	}
	return out
}

// sensitivity moves each threshold alone by −20% and +20% and reports how
// the labels it decides change.
func (rn *runner) sensitivity(agg *dataset.Region) []SensitivityRow {
	nominal := rn.nominalLabels(agg, rn.cfg.th)
	var out []SensitivityRow
	for _, id := range ThresholdIDs() {
		at := func(f float64) map[string]string {
			return rn.nominalLabels(agg, func(x string) float64 {
				if x == id {
					return rn.cfg.th(x) * f
				}
				return rn.cfg.th(x)
			})
		}
		lo, hi := at(0.8), at(1.2)
		for _, axis := range thresholdAxes[id] {
			n, ok := nominal[axis]
			if !ok || n == Undetermined {
				continue
			}
			r := SensitivityRow{Threshold: id, Agglomeration: agg.Code, Axis: axis, Low: lo[axis], Nominal: n, High: hi[axis]}
			r.Changes = r.Low != n || r.High != n
			ax, tn := AxisName(axis), ThresholdName(id)
			r.Text = i18n.T(fmt.Sprintf("%s · %s下调 20%%：%s；原值：%s；上调 20%%：%s", ax.ZH, tn.ZH, Label(r.Low).ZH, Label(n).ZH, Label(r.High).ZH),
				fmt.Sprintf("%s · %s −20%%: %s; as set: %s; +20%%: %s", ax.EN, tn.EN, Label(r.Low).EN, Label(n).EN, Label(r.High).EN))
			out = append(out, r)
		}
	}
	return out
}

// ThresholdName names a threshold in both languages.
func ThresholdName(id string) i18n.Text {
	switch id {
	case thCorePrimacy:
		return i18n.T("核心首位度阈值", "the core-primacy threshold")
	case thCoreShareZipf:
		return i18n.T("核心份额相对齐普夫预期的阈值", "the core-share-over-Zipf threshold")
	case thQ:
		return i18n.T("位序—规模指数阈值", "the rank-size exponent threshold")
	case thSecondTier:
		return i18n.T("第二梯队比值阈值", "the second-tier threshold")
	case thLevel:
		return i18n.T("水平比值阈值", "the level-ratio threshold")
	case thCV:
		return i18n.T("变异系数阈值", "the coefficient-of-variation threshold")
	case thOpenness:
		return i18n.T("开放度阈值", "the openness threshold")
	case thLowZ:
		return i18n.T("偏弱 z 分数阈值", "the weak z-score threshold")
	case thWeakCorePct:
		return i18n.T("核心城市百分位阈值", "the core-percentile threshold")
	case thSiphonDCS:
		return i18n.T("核心份额变化阈值", "the core-share-change threshold")
	case thSiphonRG:
		return i18n.T("相对增长阈值", "the relative-growth threshold")
	case thHomogeneity:
		return i18n.T("产业结构相似度阈值", "the structural-similarity threshold")
	case thLinkage:
		return i18n.T("联系网络密度阈值", "the network-density threshold")
	}
	return i18n.T(id, id)
}
