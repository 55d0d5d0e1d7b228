package strategy

import (
	"fmt"

	"agglo/internal/diagnose"
)

// Facts are what a rule's condition can read: the computed diagnosis, the
// paper's published assessment and the scenario. Field names in conditions
// are the expr tags.
type Facts struct {
	Code           string       `expr:"code"`
	SpatialMode    string       `expr:"spatial_mode"`
	OpennessMode   string       `expr:"openness_mode"`
	Level          string       `expr:"level"`
	Stage          string       `expr:"stage"`
	DataResolution string       `expr:"data_resolution"`
	Problems       ProblemFacts `expr:"problems"`
	Paper          PaperFacts   `expr:"paper"`
	Scenario       Scenario     `expr:"scenario"`
}

// PaperFacts are the paper's labels ("" where it gives none).
type PaperFacts struct {
	SpatialMode  string       `expr:"spatial_mode"`
	OpennessMode string       `expr:"openness_mode"`
	Level        string       `expr:"level"`
	Problems     ProblemFacts `expr:"problems"`
}

// ProblemFacts has one flag per problem of diagnose.Problems.
type ProblemFacts struct {
	Siphon                   bool `expr:"siphon"`
	Imbalance                bool `expr:"imbalance"`
	WeakCore                 bool `expr:"weak_core"`
	Homogeneity              bool `expr:"homogeneity"`
	ExternalDependence       bool `expr:"external_dependence"`
	LowKnowledgeFlow         bool `expr:"low_knowledge_flow"`
	WeakEnterpriseInnovation bool `expr:"weak_enterprise_innovation"`
	RDConversionLow          bool `expr:"rd_conversion_low"`
	CentralCollapse          bool `expr:"central_collapse"`
	LackOfMomentum           bool `expr:"lack_of_momentum"`
	WeakInternational        bool `expr:"weak_international_influence"`
}

// flag returns a pointer to the flag of problem id, nil if unknown.
func (p *ProblemFacts) flag(id string) *bool {
	switch id {
	case diagnose.ProblemSiphon:
		return &p.Siphon
	case diagnose.ProblemImbalance:
		return &p.Imbalance
	case diagnose.ProblemWeakCore:
		return &p.WeakCore
	case diagnose.ProblemHomogeneity:
		return &p.Homogeneity
	case diagnose.ProblemExternalDependence:
		return &p.ExternalDependence
	case diagnose.ProblemLowKnowledgeFlow:
		return &p.LowKnowledgeFlow
	case diagnose.ProblemWeakEnterpriseInnovation:
		return &p.WeakEnterpriseInnovation
	case diagnose.ProblemRDConversionLow:
		return &p.RDConversionLow
	case diagnose.ProblemCentralCollapse:
		return &p.CentralCollapse
	case diagnose.ProblemLackOfMomentum:
		return &p.LackOfMomentum
	case diagnose.ProblemWeakInternational:
		return &p.WeakInternational
	}
	return nil
}

// factDomain is one fact a condition can name, with every value it can
// take, a setter and a getter.
type factDomain struct {
	values []any
	set    func(*Facts, any)
	get    func(*Facts) any
}

// factDomains lists every leaf fact with its finite domain. "" stands for
// a label the paper does not give, "OTHER" for an agglomeration outside
// the five.
func factDomains() map[string]factDomain {
	str := func(vals ...string) []any {
		out := make([]any, len(vals))
		for i, v := range vals {
			out[i] = v
		}
		return out
	}
	strFact := func(vals []any, p func(*Facts) *string) factDomain {
		return factDomain{values: vals, set: func(f *Facts, v any) { *p(f) = v.(string) }, get: func(f *Facts) any { return *p(f) }}
	}
	boolFact := func(p func(*Facts) *bool) factDomain {
		return factDomain{values: []any{false, true}, set: func(f *Facts, v any) { *p(f) = v.(bool) }, get: func(f *Facts) any { return *p(f) }}
	}
	spatial := str(diagnose.CoreLed, diagnose.MultiPoint, diagnose.Undetermined)
	openness := str(diagnose.ExternalCooperation, diagnose.InternalCreation, diagnose.Balanced, diagnose.Undetermined)
	level := str(diagnose.High, diagnose.Low, diagnose.Undetermined)
	stages := str(append(diagnose.Stages(), diagnose.Undetermined)...)
	d := map[string]factDomain{
		"code":                   strFact(str("BTH", "YRD", "MYR", "PRD", "CC", "OTHER"), func(f *Facts) *string { return &f.Code }),
		"spatial_mode":           strFact(spatial, func(f *Facts) *string { return &f.SpatialMode }),
		"openness_mode":          strFact(openness, func(f *Facts) *string { return &f.OpennessMode }),
		"level":                  strFact(level, func(f *Facts) *string { return &f.Level }),
		"stage":                  strFact(stages, func(f *Facts) *string { return &f.Stage }),
		"data_resolution":        strFact(str(diagnose.ResolutionProvince, diagnose.ResolutionCity), func(f *Facts) *string { return &f.DataResolution }),
		"paper.spatial_mode":     strFact(str(diagnose.CoreLed, diagnose.MultiPoint, ""), func(f *Facts) *string { return &f.Paper.SpatialMode }),
		"paper.openness_mode":    strFact(str(diagnose.ExternalCooperation, diagnose.InternalCreation, diagnose.Balanced, ""), func(f *Facts) *string { return &f.Paper.OpennessMode }),
		"paper.level":            strFact(str(diagnose.High, diagnose.Low, ""), func(f *Facts) *string { return &f.Paper.Level }),
		"scenario.domestic":      strFact(str(Stable, Unstable), func(f *Facts) *string { return &f.Scenario.Domestic }),
		"scenario.international": strFact(str(Stable, Turbulent), func(f *Facts) *string { return &f.Scenario.International }),
		"scenario.resources":     strFact(str(Abundant, Limited), func(f *Facts) *string { return &f.Scenario.Resources }),
		"scenario.stage":         strFact(str(append([]string{StageAuto}, diagnose.Stages()...)...), func(f *Facts) *string { return &f.Scenario.Stage }),
	}
	for _, id := range diagnose.ProblemIDs() {
		d["problems."+id] = boolFact(func(f *Facts) *bool { return f.Problems.flag(id) })
		d["paper.problems."+id] = boolFact(func(f *Facts) *bool { return f.Paper.Problems.flag(id) })
	}
	return d
}

// newFacts builds the facts of one diagnosed agglomeration under a
// scenario; stage is the effective stage.
func newFacts(a *diagnose.Agglomeration, sc Scenario, stage string) Facts {
	f := Facts{Code: a.Code, SpatialMode: a.SpatialMode, OpennessMode: a.OpennessMode, Level: a.Level, Stage: stage,
		DataResolution: a.DataResolution, Scenario: sc}
	for _, p := range a.Problems {
		if b := f.Problems.flag(p.ID); b != nil {
			*b = true
		}
	}
	if p := a.Published; p != nil {
		f.Paper = PaperFacts{SpatialMode: p.SpatialMode, OpennessMode: p.OpennessMode, Level: p.Level}
		for _, pp := range p.Problems {
			if b := f.Paper.Problems.flag(pp.ID); b != nil {
				*b = true
			}
		}
	}
	return f
}

func valueText(v any) string {
	switch x := v.(type) {
	case string:
		if x == "" {
			return `""`
		}
		return x
	default:
		return fmt.Sprint(x)
	}
}
