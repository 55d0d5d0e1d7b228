package diagnose

import (
	"agglo/internal/dataset"
	"agglo/internal/i18n"
	"agglo/internal/measure"
)

// otherProblems checks the problems read from the members' sector
// structure and from Table 2's ratios, and records the two the data cannot
// assess.
func (rn *runner) otherProblems(a *Agglomeration, agg *dataset.Region, th func(string) float64) {
	homOf := func(t func(string) float64) ([]Evidence, bool) {
		s, ok := rn.similarity(agg)
		if !ok {
			return nil, false
		}
		return []Evidence{rn.ev("mean_structure_similarity", s, t(thHomogeneity), "≥")}, true
	}
	rn.factorProblem(a, ProblemHomogeneity, homOf, th, i18n.T("数据没有成员的产业结构（三次产业占比）", "the data have no sector structure (sector shares) for the members"))
	rdOf := func(t func(string) float64) ([]Evidence, bool) {
		evs := rn.rdConversion(agg, t)
		return evs, len(evs) > 0
	}
	rn.factorProblem(a, ProblemRDConversionLow, rdOf, th, i18n.T("数据没有城市群的 R&D 产出效率指标（表 2）", "the data have no R&D efficiency ratios (Table 2) for the agglomerations"))
	for _, id := range []string{ProblemLackOfMomentum, ProblemWeakInternational} {
		why := i18n.T("数据没有增长动力的指标", "the data have no measure of growth momentum")
		if id == ProblemWeakInternational {
			why = i18n.T("数据没有国际影响力指标", "the data have no measure of international influence")
		}
		a.addProblem(id, nil, false, why)
		a.Findings = append(a.Findings, notAssessable(ProblemAxis(id), why))
	}
}

// similarity is the members' mean UNIDO similarity of sector shares
// (docs/methods.md#similarity), at city level when at least two member
// cities have them, else at province level.
func (rn *runner) similarity(agg *dataset.Region) (float64, bool) {
	inds := rn.cfg.Industry.Indicators
	if len(inds) < 2 {
		return 0, false
	}
	for _, unit := range []dataset.Level{dataset.LevelCity, dataset.LevelProvince} {
		year, ok := rn.latest(inds[0], unit)
		if !ok {
			continue
		}
		var rows [][]float64
		for _, m := range rn.unitMembers(agg, unit) {
			row := make([]float64, 0, len(inds))
			for _, ind := range inds {
				v, found := rn.ds.Value(m.Code, ind, year)
				if !found || !isFinite(v) {
					row = nil
					break
				}
				row = append(row, v)
			}
			if row != nil {
				rows = append(rows, row)
			}
		}
		if len(rows) < 2 {
			continue
		}
		if s := measure.MeanOffDiagonal(measure.Similarity(rows)); isFinite(s) {
			return s, true
		}
	}
	return 0, false
}

// rdConversion reads Table 2's agglomeration-level ratios as z-scores
// across the agglomerations that have them.
func (rn *runner) rdConversion(agg *dataset.Region, th func(string) float64) []Evidence {
	var evs []Evidence
	for _, p := range []struct{ ind, metric string }{
		{rn.cfg.ProblemIndicators.PatentsPerRD, "patents_per_rd_expenditure_z"},
		{rn.cfg.ProblemIndicators.StaffPerProject, "rd_personnel_per_project_z"},
	} {
		if p.ind == "" {
			continue
		}
		set := map[string]float64{}
		var year int
		for _, y := range rn.ds.YearsOf(p.ind, func(i int) bool { return rn.ds.Regions[i].Level == dataset.LevelAgglomeration }) {
			year = y
		}
		for _, a := range rn.ds.Registry.AllAgglomerations() {
			if v, ok := rn.ds.Value(a.Code, p.ind, year); ok && isFinite(v) {
				set[a.Code] = v
			}
		}
		v, ok := set[agg.Code]
		if !ok {
			continue
		}
		if z := zscore(v, set, false); isFinite(z) {
			evs = append(evs, rn.ev(p.metric, z, th(thLowZ), "≤"))
		}
	}
	return evs
}
