package strategy

import (
	"fmt"
	"sort"
	"strings"

	"github.com/expr-lang/expr"

	"agglo/internal/diagnose"
	"agglo/internal/i18n"
)

// FactValue is one fact a recommendation's condition read, with its value,
// where it came from (computed, paper, scenario) and the two in words.
type FactValue struct {
	Fact   string    `json:"fact"`
	Value  string    `json:"value"`
	Source string    `json:"source,omitempty"`
	Text   i18n.Text `json:"text"`
}

// MeasureOut is one measure of a recommendation with the indicators that
// would show it working.
type MeasureOut struct {
	Text    i18n.Text `json:"text"`
	Monitor []Monitor `json:"monitor"`
}

// Recommendation is one fired rule for one agglomeration.
type Recommendation struct {
	ID          string       `json:"id"`
	TitleZH     string       `json:"title_zh"`
	TitleEN     string       `json:"title_en"`
	MeasuresZH  []string     `json:"measures_zh"`
	MeasuresEN  []string     `json:"measures_en"`
	Measures    []MeasureOut `json:"measures"`
	RationaleZH string       `json:"rationale_zh"`
	RationaleEN string       `json:"rationale_en"`
	Source      string       `json:"source"`
	Priority    int          `json:"priority"`
	Recommend   ModeChoice   `json:"recommend"`
	Pushes      []Push       `json:"pushes"`
	Evidence    []FactValue  `json:"evidence"`
	// Because says in words why the rule fired: the facts it read.
	Because i18n.Text `json:"because"`
}

// Conflict records two fired rules that push one axis in opposite
// directions: the one recommended, the alternative set aside, and why.
type Conflict struct {
	Axis        string    `json:"axis"`
	Chosen      string    `json:"chosen"`
	ChosenTo    string    `json:"chosen_toward"`
	Alternative string    `json:"alternative"`
	AltTo       string    `json:"alternative_toward"`
	Reason      i18n.Text `json:"reason"`
}

// Agglomeration is the strategy for one agglomeration.
type Agglomeration struct {
	Code   string `json:"code"`
	NameZH string `json:"name_zh"`
	NameEN string `json:"name_en"`
	// Stage is the stage the rules saw; StageSource says whether it came
	// from the scenario, a user override or the diagnosis.
	Stage                   string `json:"stage"`
	StageSource             string `json:"stage_source"`
	RecommendedSpatialMode  string `json:"recommended_spatial_mode"`
	RecommendedOpennessMode string `json:"recommended_openness_mode"`
	// Recommendations never push one axis in opposite directions;
	// Alternatives are the fired rules set aside, Conflicts say why.
	Recommendations []Recommendation `json:"recommendations"`
	Alternatives    []Recommendation `json:"alternatives"`
	Conflicts       []Conflict       `json:"conflicts"`
	// Facts are the effective facts the rules read, with their sources.
	Facts []FactValue `json:"facts"`
}

// Result is the strategy for every diagnosed agglomeration.
type Result struct {
	Scenario     Scenario  `json:"scenario"`
	ScenarioText i18n.Text `json:"scenario_text"`
	Rulebook     string    `json:"rulebook"`
	// Priority states how conflicts are resolved.
	Priority       i18n.Text       `json:"priority"`
	Agglomerations []Agglomeration `json:"agglomerations"`
}

// Recommend applies the rulebook to each diagnosed agglomeration under the
// scenario. The rules read the effective facts (computed evidence over the
// paper's labels unless the scenario's view is "paper"). When two fired
// rules push one axis in opposite directions, the one with the smaller
// priority number is recommended and the other is listed as the
// alternative with a conflict entry; a rulebook cannot hold two such rules
// of equal priority (ParseRulebook rejects them). A rule whose condition
// fails at run time makes it return an error naming the rule.
func Recommend(diag *diagnose.Result, sc Scenario, rb *Rulebook) (*Result, error) {
	if diag == nil || rb == nil {
		return nil, i18n.Errorf("缺少诊断结果或规则库", "missing diagnosis or rulebook")
	}
	if sc.View == "" {
		sc.View = ViewComputed
	}
	if err := sc.Validate(); err != nil {
		return nil, err
	}
	domains := factDomains()
	res := &Result{Scenario: sc, ScenarioText: sc.Text(), Rulebook: rb.File, Agglomerations: []Agglomeration{},
		Priority: i18n.T("方向相反的建议按规则库声明的优先级取舍（数字小者优先）；事实以计算证据为准，数据无法评估或结果不确定时才采用论文的判断（情景可改为以论文为准）",
			"recommendations pushing opposite ways are settled by the rulebook's declared priority (smaller number first); facts come from computed evidence, and from the paper's labels only where the data cannot assess them or are uncertain (the scenario can put the paper first)")}
	for i := range diag.Agglomerations {
		a := &diag.Agglomerations[i]
		stage, src := a.Stage, a.StageSource
		if sc.Stage != StageAuto {
			stage, src = sc.Stage, "scenario"
		}
		facts := newFacts(a, sc, stage)
		out := Agglomeration{Code: a.Code, NameZH: a.NameZH, NameEN: a.NameEN, Stage: stage, StageSource: src,
			RecommendedSpatialMode: diagnose.Undetermined, RecommendedOpennessMode: diagnose.Undetermined,
			Recommendations: []Recommendation{}, Alternatives: []Recommendation{}, Conflicts: []Conflict{}, Facts: []FactValue{}}
		for _, f := range []string{"spatial_mode", "openness_mode", "level", "flow", "stage"} {
			v := domains[f].get(&facts)
			out.Facts = append(out.Facts, factValue(&facts, f, v))
		}
		var fired []Recommendation
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
			rec, err := recommendation(r, a.Code, &facts, domains)
			if err != nil {
				return nil, i18n.Errorf("%s:%d: 规则 %s 的措施条件对 %s 求值失败：%v", "%s:%d: a measure condition of rule %s failed for %s: %v", rb.File, r.Line, r.ID, a.Code, err)
			}
			fired = append(fired, rec)
		}
		sort.SliceStable(fired, func(x, y int) bool { return fired[x].Priority < fired[y].Priority })
		for _, rec := range fired {
			conflicts := against(out.Recommendations, rec)
			if len(conflicts) == 0 {
				out.Recommendations = append(out.Recommendations, rec)
				continue
			}
			out.Alternatives = append(out.Alternatives, rec)
			out.Conflicts = append(out.Conflicts, conflicts...)
		}
		out.RecommendedSpatialMode, out.RecommendedOpennessMode = modesOf(out.Recommendations)
		res.Agglomerations = append(res.Agglomerations, out)
	}
	return res, nil
}

// recommendation builds the recommendation of a fired rule: its measures
// for this agglomeration and the facts its condition read.
func recommendation(r *Rule, code string, facts *Facts, domains map[string]factDomain) (Recommendation, error) {
	rec := Recommendation{ID: r.ID, TitleZH: r.Title.ZH, TitleEN: r.Title.EN, RationaleZH: r.Rationale.ZH, RationaleEN: r.Rationale.EN,
		Source: r.Source, Priority: r.Priority, Recommend: r.Recommend, Pushes: r.Pushes, MeasuresZH: []string{}, MeasuresEN: []string{},
		Measures: []MeasureOut{}, Evidence: []FactValue{}}
	if rec.Pushes == nil {
		rec.Pushes = []Push{}
	}
	for _, m := range r.Measures {
		if len(m.Only) > 0 && !contains(m.Only, code) {
			continue
		}
		if m.program != nil {
			v, err := expr.Run(m.program, *facts)
			if err != nil {
				return rec, err
			}
			if b, ok := v.(bool); !ok || !b {
				continue
			}
		}
		rec.MeasuresZH = append(rec.MeasuresZH, m.ZH)
		rec.MeasuresEN = append(rec.MeasuresEN, m.EN)
		mon := m.Monitor
		if mon == nil {
			mon = []Monitor{}
		}
		rec.Measures = append(rec.Measures, MeasureOut{Text: i18n.T(m.ZH, m.EN), Monitor: mon})
	}
	var zh, en []string
	for _, f := range r.facts {
		fv := factValue(facts, f, domains[f].get(facts))
		rec.Evidence = append(rec.Evidence, fv)
		zh, en = append(zh, fv.Text.ZH), append(en, fv.Text.EN)
	}
	if len(zh) == 0 {
		rec.Because = i18n.T("适用于所有城市群", "applies to every agglomeration")
	} else {
		rec.Because = i18n.T("依据："+strings.Join(zh, "；"), "because: "+strings.Join(en, "; "))
	}
	return rec, nil
}

// factValue is a fact with its value, source and text, e.g.
// 空间模式：核心引领（计算）.
func factValue(facts *Facts, fact string, v any) FactValue {
	src := facts.source(fact)
	t := factText(fact, v)
	s := SourceName(src)
	return FactValue{Fact: fact, Value: valueText(v), Source: src, Text: i18n.T(t.ZH+"（"+s.ZH+"）", t.EN+" ("+s.EN+")")}
}

// against lists the conflicts of a candidate with the recommendations
// already accepted (which have a smaller or equal priority number).
func against(accepted []Recommendation, cand Recommendation) []Conflict {
	var out []Conflict
	for _, acc := range accepted {
		for _, p := range acc.Pushes {
			for _, q := range cand.Pushes {
				if !opposite(p, q) {
					continue
				}
				reason := i18n.T(fmt.Sprintf("“%s”（优先级 %d，%s）与“%s”（优先级 %d，%s）在%s上方向相反：按规则库声明的优先级采用前者，后者列为备选。前者%s；后者%s",
					acc.TitleZH, acc.Priority, PushName(p).ZH, cand.TitleZH, cand.Priority, PushName(q).ZH, AxisName(p.Axis).ZH, acc.Because.ZH, cand.Because.ZH),
					fmt.Sprintf("%q (priority %d, %s) and %q (priority %d, %s) pull the %s opposite ways: by the rulebook's declared priority the first is recommended and the second shown as the alternative. The first fired %s; the second %s",
						acc.TitleEN, acc.Priority, PushName(p).EN, cand.TitleEN, cand.Priority, PushName(q).EN, AxisName(p.Axis).EN, acc.Because.EN, cand.Because.EN))
				out = append(out, Conflict{Axis: p.Axis, Chosen: acc.ID, ChosenTo: p.Toward, Alternative: cand.ID, AltTo: q.Toward, Reason: reason})
			}
		}
	}
	return out
}

// modesOf reads the recommended modes from the accepted recommendations:
// the direction of the highest-priority push on each axis.
func modesOf(recs []Recommendation) (spatial, openness string) {
	spatial, openness = diagnose.Undetermined, diagnose.Undetermined
	for _, r := range recs {
		for _, p := range r.Pushes {
			switch {
			case p.Axis == AxisSpatial && spatial == diagnose.Undetermined:
				spatial = map[string]string{TowardCore: diagnose.CoreLed, TowardPeriphery: diagnose.MultiPoint}[p.Toward]
			case p.Axis == AxisOpenness && openness == diagnose.Undetermined:
				openness = map[string]string{TowardExternal: diagnose.ExternalCooperation, TowardInternal: diagnose.InternalCreation, TowardDomestic: diagnose.DomesticCirculation}[p.Toward]
			}
		}
	}
	return spatial, openness
}
