package strategy

import (
	"fmt"
	"strings"

	"agglo/internal/diagnose"
	"agglo/internal/i18n"
)

// Facts are what a rule's condition can read. The top-level labels and
// problems are the effective ones: the computed diagnosis where the data
// assess it with enough confidence, the paper's label where they do not
// (or, with the scenario's view "paper", the paper's label wherever it
// gives one). Computed and Paper hold the two sources apart for rules that
// need them. Field names in conditions are the expr tags.
type Facts struct {
	Code           string       `expr:"code"`
	SpatialMode    string       `expr:"spatial_mode"`
	OpennessMode   string       `expr:"openness_mode"`
	Level          string       `expr:"level"`
	Stage          string       `expr:"stage"`
	Flow           string       `expr:"flow"`
	DataResolution string       `expr:"data_resolution"`
	Problems       ProblemFacts `expr:"problems"`
	Computed       PaperFacts   `expr:"computed"`
	Paper          PaperFacts   `expr:"paper"`
	Scenario       Scenario     `expr:"scenario"`

	// sources says where each effective fact came from.
	sources map[string]string
}

// PaperFacts are one source's labels ("" where it gives none).
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
// the built-in ones.
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
	codes := str(append(builtinCodes(), "OTHER")...)
	d := map[string]factDomain{
		"code":                   strFact(codes, func(f *Facts) *string { return &f.Code }),
		"spatial_mode":           strFact(spatial, func(f *Facts) *string { return &f.SpatialMode }),
		"openness_mode":          strFact(openness, func(f *Facts) *string { return &f.OpennessMode }),
		"level":                  strFact(level, func(f *Facts) *string { return &f.Level }),
		"stage":                  strFact(stages, func(f *Facts) *string { return &f.Stage }),
		"flow":                   strFact(str(diagnose.Siphon, diagnose.Spread, diagnose.Stable, diagnose.Undetermined), func(f *Facts) *string { return &f.Flow }),
		"data_resolution":        strFact(str(diagnose.ResolutionProvince, diagnose.ResolutionCity, ""), func(f *Facts) *string { return &f.DataResolution }),
		"computed.spatial_mode":  strFact(spatial, func(f *Facts) *string { return &f.Computed.SpatialMode }),
		"computed.openness_mode": strFact(openness, func(f *Facts) *string { return &f.Computed.OpennessMode }),
		"computed.level":         strFact(level, func(f *Facts) *string { return &f.Computed.Level }),
		"paper.spatial_mode":     strFact(str(diagnose.CoreLed, diagnose.MultiPoint, ""), func(f *Facts) *string { return &f.Paper.SpatialMode }),
		"paper.openness_mode":    strFact(str(diagnose.ExternalCooperation, diagnose.InternalCreation, diagnose.Balanced, ""), func(f *Facts) *string { return &f.Paper.OpennessMode }),
		"paper.level":            strFact(str(diagnose.High, diagnose.Low, ""), func(f *Facts) *string { return &f.Paper.Level }),
		"scenario.domestic":      strFact(str(Stable, Unstable), func(f *Facts) *string { return &f.Scenario.Domestic }),
		"scenario.international": strFact(str(Stable, Turbulent), func(f *Facts) *string { return &f.Scenario.International }),
		"scenario.resources":     strFact(str(Abundant, Limited), func(f *Facts) *string { return &f.Scenario.Resources }),
		"scenario.stage":         strFact(str(append([]string{StageAuto}, diagnose.Stages()...)...), func(f *Facts) *string { return &f.Scenario.Stage }),
		"scenario.view":          strFact(str(ViewComputed, ViewPaper), func(f *Facts) *string { return &f.Scenario.View }),
	}
	for _, id := range diagnose.ProblemIDs() {
		d["problems."+id] = boolFact(func(f *Facts) *bool { return f.Problems.flag(id) })
		d["computed.problems."+id] = boolFact(func(f *Facts) *bool { return f.Computed.Problems.flag(id) })
		d["paper.problems."+id] = boolFact(func(f *Facts) *bool { return f.Paper.Problems.flag(id) })
	}
	return d
}

// Fact sources.
const (
	SourceComputed = "computed"
	SourcePaper    = "paper"
	SourceScenario = "scenario"
	SourceNone     = "none"
)

// newFacts builds the facts of one diagnosed agglomeration under a
// scenario; stage is the effective stage. Each effective label is the
// computed one when the data assess it (status assessed), else the
// paper's when it gives one, else the computed one even if uncertain; with
// the view "paper" the paper's label comes first wherever it exists.
func newFacts(a *diagnose.Agglomeration, sc Scenario, stage string) Facts {
	f := Facts{Code: a.Code, Stage: stage, DataResolution: a.DataResolution, Scenario: sc, sources: map[string]string{}}
	f.Computed = PaperFacts{SpatialMode: a.SpatialMode, OpennessMode: a.OpennessMode, Level: a.Level}
	for _, p := range a.Problems {
		if b := f.Computed.Problems.flag(p.ID); b != nil {
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
	pick := func(fact, axis, computed, paper string) string {
		fd, ok := a.Finding(axis)
		status := diagnose.StatusNotAssessable
		if ok {
			status = fd.Status
		}
		switch {
		case sc.View == ViewPaper && paper != "":
			f.sources[fact] = SourcePaper
			return paper
		case status == diagnose.StatusAssessed:
			f.sources[fact] = SourceComputed
			return computed
		case paper != "":
			f.sources[fact] = SourcePaper
			return paper
		case status == diagnose.StatusUncertain:
			f.sources[fact] = SourceComputed
			return computed
		}
		f.sources[fact] = SourceNone
		return diagnose.Undetermined
	}
	f.SpatialMode = pick("spatial_mode", diagnose.AxisSpatial, a.SpatialMode, f.Paper.SpatialMode)
	f.OpennessMode = pick("openness_mode", diagnose.AxisOpenness, a.OpennessMode, f.Paper.OpennessMode)
	f.Level = pick("level", diagnose.AxisLevel, a.Level, f.Paper.Level)
	f.Flow = diagnose.Undetermined
	f.sources["flow"] = SourceNone
	if a.Flow != nil {
		if fd, ok := a.Finding(diagnose.AxisFlow); ok && fd.Status != diagnose.StatusNotAssessable {
			f.Flow, f.sources["flow"] = a.Flow.Label, SourceComputed
		}
	}
	for _, id := range diagnose.ProblemIDs() {
		fd, _ := a.Finding(diagnose.ProblemAxis(id))
		computed := *f.Computed.Problems.flag(id)
		paper := *f.Paper.Problems.flag(id)
		key := "problems." + id
		var v bool
		switch {
		case sc.View == ViewPaper && paper:
			v, f.sources[key] = true, SourcePaper
		case fd.Status == diagnose.StatusAssessed:
			v, f.sources[key] = computed, SourceComputed
		case paper:
			v, f.sources[key] = true, SourcePaper
		case fd.Status == diagnose.StatusUncertain:
			v, f.sources[key] = computed, SourceComputed
		default:
			v, f.sources[key] = false, SourceNone
		}
		*f.Problems.flag(id) = v
	}
	f.sources["stage"] = SourceComputed
	if sc.Stage != StageAuto {
		f.sources["stage"] = SourceScenario
	}
	return f
}

// source says where a fact a condition read came from.
func (f *Facts) source(fact string) string {
	if strings.HasPrefix(fact, "scenario.") {
		return SourceScenario
	}
	if strings.HasPrefix(fact, "paper.") {
		return SourcePaper
	}
	if strings.HasPrefix(fact, "computed.") || fact == "code" || fact == "data_resolution" {
		return SourceComputed
	}
	if s, ok := f.sources[fact]; ok {
		return s
	}
	return SourceComputed
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

// FactName names a fact in both languages.
func FactName(fact string) i18n.Text {
	if id, ok := strings.CutPrefix(fact, "problems."); ok {
		n := diagnose.Label(id)
		return i18n.T("问题："+n.ZH, "problem: "+n.EN)
	}
	if rest, ok := strings.CutPrefix(fact, "paper."); ok {
		n := FactName(rest)
		return i18n.T("论文的"+n.ZH, "the paper's "+n.EN)
	}
	if rest, ok := strings.CutPrefix(fact, "computed."); ok {
		n := FactName(rest)
		return i18n.T("计算的"+n.ZH, "computed "+n.EN)
	}
	switch fact {
	case "code":
		return i18n.T("城市群", "agglomeration")
	case "spatial_mode":
		return i18n.T("空间模式", "spatial mode")
	case "openness_mode":
		return i18n.T("开放模式", "openness mode")
	case "level":
		return i18n.T("发展水平", "level")
	case "stage":
		return i18n.T("发展阶段", "development stage")
	case "flow":
		return i18n.T("核心城市的虹吸与扩散", "siphon or spread of the cores")
	case "data_resolution":
		return i18n.T("数据层级", "data level")
	case "scenario.domestic":
		return i18n.T("情景中的国内环境", "domestic environment")
	case "scenario.international":
		return i18n.T("情景中的国际环境", "international environment")
	case "scenario.resources":
		return i18n.T("情景中的国内创新资源", "domestic innovation resources")
	case "scenario.stage":
		return i18n.T("情景中的发展阶段", "scenario stage")
	case "scenario.view":
		return i18n.T("判断依据", "view")
	}
	return i18n.T(fact, fact)
}

// ValueName names a fact's value in both languages.
func ValueName(fact string, v any) i18n.Text {
	switch x := v.(type) {
	case bool:
		if x {
			return i18n.T("是", "yes")
		}
		return i18n.T("否", "no")
	case string:
		switch {
		case x == "":
			return i18n.T("论文未述", "not stated")
		case fact == "code":
			if n, ok := builtinName(x); ok {
				return n
			}
			return i18n.T("其他城市群", "another agglomeration")
		case fact == "data_resolution":
			if x == diagnose.ResolutionCity {
				return i18n.T("城市级", "city")
			}
			return i18n.T("省级", "province")
		case strings.HasPrefix(fact, "scenario."):
			return ScenarioValueName(x)
		}
		return diagnose.Label(x)
	}
	s := fmt.Sprint(v)
	return i18n.T(s, s)
}

// SourceName names where a fact came from.
func SourceName(s string) i18n.Text {
	switch s {
	case SourceComputed:
		return i18n.T("计算", "computed")
	case SourcePaper:
		return i18n.T("论文", "paper")
	case SourceScenario:
		return i18n.T("情景", "scenario")
	}
	return i18n.T("无数据", "no data")
}

// SourceText writes a rule's source for users: "paper:IV.5" is 论文四.5 /
// paper IV.5, "paper:IV (Figure 5)" 论文四（图5）/ paper IV (Figure 5);
// other sources are shown as written.
func SourceText(src string) i18n.Text {
	rest, ok := strings.CutPrefix(src, "paper:")
	if !ok {
		return i18n.T(src, src)
	}
	ref, note, _ := strings.Cut(rest, " (")
	zh := "论文" + diagnose.RefZH(ref)
	if note != "" {
		note = strings.TrimSuffix(note, ")")
		noteZH := strings.NewReplacer("Figure 5", "图5", "dual circulation", "双循环", ", ", "，").Replace(note)
		zh += "（" + noteZH + "）"
	}
	return i18n.T(zh, "paper "+rest)
}
