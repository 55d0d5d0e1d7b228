package diagnose

import (
	"fmt"
	"sort"

	"agglo/internal/dataset"
	"agglo/internal/i18n"
	"agglo/internal/measure"
)

// levelVariant is one reading of the members' development level: an
// intensive indicator at city or province level in its latest year.
type levelVariant struct {
	ind  string
	unit dataset.Level
	year int
}

func unitName(l dataset.Level) string {
	if l == dataset.LevelCity {
		return ResolutionCity
	}
	return ResolutionProvince
}

func (rn *runner) unitMembers(agg *dataset.Region, unit dataset.Level) []dataset.Member {
	if unit == dataset.LevelCity {
		return agg.Members
	}
	return agg.ProvinceMembers
}

// levelVariants lists the indicator × spatial unit readings the data
// allow, the nominal one first (the first indicator, city data before
// province data). Only readings whose comparison set is national count
// when there is one; otherwise every reading, and the level says that its
// comparison set is not national.
func (rn *runner) levelVariants(agg *dataset.Region) []levelVariant {
	if vs, ok := rn.levelV[agg.Code]; ok {
		return vs
	}
	vs := rn.nationalReadings(agg)
	rn.levelV[agg.Code] = vs
	return vs
}

func (rn *runner) nationalReadings(agg *dataset.Region) []levelVariant {
	all := rn.levelReadings(agg)
	var out []levelVariant
	for _, v := range all {
		if rn.national(v) {
			out = append(out, v)
		}
	}
	if len(out) == 0 {
		return all
	}
	return out
}

// national reports whether a reading's comparison set holds at least the
// national minimum of units of its kind.
func (rn *runner) national(v levelVariant) bool {
	min := rn.cfg.Level.NationalMinProvinces
	if v.unit == dataset.LevelCity {
		min = rn.cfg.Level.NationalMinCities
	}
	return len(rn.distribution(v.ind, v.unit, v.year)) >= min
}

func (rn *runner) levelReadings(agg *dataset.Region) []levelVariant {
	var out []levelVariant
	for _, ind := range rn.cfg.Level.Indicators {
		if !rn.has(ind) {
			continue
		}
		for _, unit := range []dataset.Level{dataset.LevelCity, dataset.LevelProvince} {
			need := 1
			if unit == dataset.LevelCity {
				need = rn.cfg.Size.MinMembers
			}
			ys := rn.yearsOf(ind, unit)
			for i := len(ys) - 1; i >= 0; i-- {
				if vals, _ := rn.memberValues(rn.unitMembers(agg, unit), ind, ys[i], false); len(vals) >= need {
					out = append(out, levelVariant{ind: ind, unit: unit, year: ys[i]})
					break
				}
			}
		}
	}
	return out
}

// levelOf compares the members' mean with the mean of every unit of the
// same kind in the data (docs/methods.md#level):
//
//	ratio = mean(members) / mean(all provinces or all cities)   ≥ level_ratio: high
//
// national is false when the data hold fewer units of the kind than the
// settings' national minimum.
func (rn *runner) levelOf(agg *dataset.Region, v levelVariant, th func(string) float64) (label string, e Evidence, vals []MemberValue, n int, national bool) {
	vals, _ = rn.memberValues(rn.unitMembers(agg, v.unit), v.ind, v.year, false)
	dist := rn.distribution(v.ind, v.unit, v.year)
	n = len(dist)
	national = rn.national(v)
	if len(vals) == 0 || n < 2 {
		return Undetermined, Evidence{}, vals, n, national
	}
	// In code order: a sum over a map's random order would change the last
	// bits of the mean from run to run.
	keys := make([]string, 0, n)
	for k := range dist {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	all := make([]float64, 0, n)
	for _, k := range keys {
		all = append(all, dist[k])
	}
	ratio := mean(values(vals)) / mean(all)
	if !isFinite(ratio) {
		return Undetermined, Evidence{}, vals, n, national
	}
	e = rn.ev("level_ratio", ratio, th(thLevel), "≥")
	if e.Met {
		return High, e, vals, n, national
	}
	return Low, e, vals, n, national
}

// imbalanceOf is the coefficient of variation (population s.d.) of the
// members' level: CV ≥ cv reads as unbalanced; it needs min_members
// members.
func (rn *runner) imbalanceOf(vals []MemberValue, th func(string) float64) (Evidence, bool) {
	if len(vals) < rn.cfg.Size.MinMembers {
		return Evidence{}, false
	}
	cv := measure.CV(values(vals), nil)
	if !isFinite(cv) {
		return Evidence{}, false
	}
	return rn.ev("cv", cv, th(thCV), "≥"), true
}

// level sets the level and the imbalance problem with their findings.
func (rn *runner) level(a *Agglomeration, agg *dataset.Region, th func(string) float64) {
	variants := rn.levelVariants(agg)
	if len(variants) == 0 {
		l := rn.indicatorList(rn.cfg.Level.Indicators)
		why := i18n.T("数据没有成员的发展水平指标（"+l.ZH+"）", "the data have no development-level indicator for the members ("+l.EN+")")
		a.Findings = append(a.Findings, notAssessable(AxisLevel, why), notAssessable(ProblemAxis(ProblemImbalance), why))
		a.addProblem(ProblemImbalance, nil, false, why)
		return
	}
	nom := variants[0]
	label, e, vals, n, national := rn.levelOf(agg, nom, th)
	a.DataResolution, a.Capacity, a.Year = unitName(nom.unit), nom.ind, nom.year
	if len(a.Members) == 0 {
		a.Members = vals // no member-city size: the members' level values
	}
	if e.Metric != "" {
		a.LevelEvidence = []Evidence{e}
	}
	var thin i18n.Text
	unitZH, unitEN := "省级单位", "provinces"
	if nom.unit == dataset.LevelCity {
		unitZH, unitEN = "城市", "cities"
	}
	if !national {
		thin = i18n.T(fmt.Sprintf("比较集只有数据中的 %d 个%s，不是全国分布", n, unitZH), fmt.Sprintf("the comparison set is the %d %s of the data, not the national distribution", n, unitEN))
		a.Notes = append(a.Notes, thin)
	}
	if nom.unit == dataset.LevelProvince {
		partial := false
		for _, m := range agg.ProvinceMembers {
			partial = partial || m.Partial
		}
		if partial {
			a.Notes = append(a.Notes, i18n.T("发展水平按成员所在省的数据计算，省的范围大于城市群", "the level uses the member provinces' data, and the provinces are wider than the agglomeration"))
		}
	}
	varied := []string{VaryThresholds}
	inds, units := map[string]bool{}, map[dataset.Level]bool{}
	for _, v := range variants {
		inds[v.ind], units[v.unit] = true, true
	}
	if len(inds) > 1 {
		varied = append(varied, VaryIndicator)
	}
	if len(units) > 1 {
		varied = append(varied, VaryUnit)
	}
	var outL, outI []string
	for _, v := range variants {
		for _, f := range rn.cfg.Confidence.Factors {
			t := rn.scaled(f)
			l, _, vv, _, _ := rn.levelOf(agg, v, t)
			outL = append(outL, l)
			c, ok := rn.imbalanceOf(vv, t)
			outI = append(outI, boolOutcome(c.Met, ok))
		}
	}
	a.Level = label
	if label == Undetermined {
		a.Findings = append(a.Findings, notAssessable(AxisLevel, i18n.T("成员或比较集没有数据", "the members or the comparison set have no data")))
	} else {
		a.Findings = append(a.Findings, rn.judge(AxisLevel, label, outL, varied, thin))
	}
	imb, ok := rn.imbalanceOf(vals, th)
	why := i18n.Tf("成员少于 %d 个，无法衡量内部差异", "fewer than %d members: the imbalance cannot be measured", rn.cfg.Size.MinMembers)
	a.addProblem(ProblemImbalance, []Evidence{imb}, ok, why)
	a.Findings = append(a.Findings, rn.problemFinding(ProblemImbalance, boolOutcome(imb.Met, ok), outI, varied, why))
}
