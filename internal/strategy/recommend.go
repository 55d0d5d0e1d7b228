package strategy

import (
	"sort"

	"github.com/expr-lang/expr"

	"agglo/internal/diagnose"
	"agglo/internal/i18n"
)

// FactValue is one fact a recommendation's condition read, with its value.
type FactValue struct {
	Fact  string `json:"fact"`
	Value string `json:"value"`
}

// Recommendation is one fired rule for one agglomeration.
type Recommendation struct {
	ID          string      `json:"id"`
	TitleZH     string      `json:"title_zh"`
	TitleEN     string      `json:"title_en"`
	MeasuresZH  []string    `json:"measures_zh"`
	MeasuresEN  []string    `json:"measures_en"`
	RationaleZH string      `json:"rationale_zh"`
	RationaleEN string      `json:"rationale_en"`
	Source      string      `json:"source"`
	Priority    int         `json:"priority"`
	Recommend   ModeChoice  `json:"recommend"`
	Evidence    []FactValue `json:"evidence"`
}

// Agglomeration is the strategy for one agglomeration.
type Agglomeration struct {
	Code   string `json:"code"`
	NameZH string `json:"name_zh"`
	NameEN string `json:"name_en"`
	// Stage is the stage the rules saw; StageSource says whether it came
	// from the scenario, a user override or the diagnosis.
	Stage                   string           `json:"stage"`
	StageSource             string           `json:"stage_source"`
	RecommendedSpatialMode  string           `json:"recommended_spatial_mode"`
	RecommendedOpennessMode string           `json:"recommended_openness_mode"`
	Recommendations         []Recommendation `json:"recommendations"`
}

// Result is the strategy for every diagnosed agglomeration.
type Result struct {
	Scenario       Scenario        `json:"scenario"`
	Rulebook       string          `json:"rulebook"`
	Agglomerations []Agglomeration `json:"agglomerations"`
}

// Recommend applies the rulebook to each diagnosed agglomeration under the
// scenario. A rule whose condition fails at run time makes it return an
// error naming the rule.
func Recommend(diag *diagnose.Result, sc Scenario, rb *Rulebook) (*Result, error) {
	if diag == nil || rb == nil {
		return nil, i18n.Errorf("缺少诊断结果或规则库", "missing diagnosis or rulebook")
	}
	if err := sc.Validate(); err != nil {
		return nil, err
	}
	domains := factDomains()
	res := &Result{Scenario: sc, Rulebook: rb.File, Agglomerations: []Agglomeration{}}
	for i := range diag.Agglomerations {
		a := &diag.Agglomerations[i]
		stage, src := a.Stage, a.StageSource
		if sc.Stage != StageAuto {
			stage, src = sc.Stage, "scenario"
		}
		facts := newFacts(a, sc, stage)
		out := Agglomeration{Code: a.Code, NameZH: a.NameZH, NameEN: a.NameEN, Stage: stage, StageSource: src,
			RecommendedSpatialMode: diagnose.Undetermined, RecommendedOpennessMode: diagnose.Undetermined, Recommendations: []Recommendation{}}
		spatialPrio, opennessPrio := 1<<30, 1<<30
		for j := range rb.Rules {
			r := &rb.Rules[j]
			if r.program == nil {
				continue
			}
			v, err := expr.Run(r.program, facts)
			if err != nil {
				return nil, i18n.Errorf("%s:%d: 规则 %s 对 %s 求值失败：%v", "%s:%d: rule %s failed for %s: %v", rb.File, r.Line, r.ID, a.Code, err)
			}
			if b, ok := v.(bool); !ok || !b {
				continue
			}
			rec := Recommendation{ID: r.ID, TitleZH: r.Title.ZH, TitleEN: r.Title.EN, RationaleZH: r.Rationale.ZH, RationaleEN: r.Rationale.EN,
				Source: r.Source, Priority: r.Priority, Recommend: r.Recommend, MeasuresZH: []string{}, MeasuresEN: []string{}, Evidence: []FactValue{}}
			for _, m := range r.Measures {
				if len(m.Only) > 0 && !contains(m.Only, a.Code) {
					continue
				}
				rec.MeasuresZH = append(rec.MeasuresZH, m.ZH)
				rec.MeasuresEN = append(rec.MeasuresEN, m.EN)
			}
			for _, f := range r.facts {
				rec.Evidence = append(rec.Evidence, FactValue{Fact: f, Value: valueText(domains[f].get(&facts))})
			}
			if m := r.Recommend.SpatialMode; m != "" && r.Priority < spatialPrio {
				out.RecommendedSpatialMode, spatialPrio = m, r.Priority
			}
			if m := r.Recommend.OpennessMode; m != "" && r.Priority < opennessPrio {
				out.RecommendedOpennessMode, opennessPrio = m, r.Priority
			}
			out.Recommendations = append(out.Recommendations, rec)
		}
		sort.SliceStable(out.Recommendations, func(x, y int) bool { return out.Recommendations[x].Priority < out.Recommendations[y].Priority })
		res.Agglomerations = append(res.Agglomerations, out)
	}
	return res, nil
}
