package strategy

import (
	"fmt"
	"sort"
	"strings"

	"agglo/internal/diagnose"
	"agglo/internal/i18n"
)

// Scenario values.
const (
	Stable    = "stable"
	Unstable  = "unstable"
	Turbulent = "turbulent"
	Abundant  = "abundant"
	Limited   = "limited"
	StageAuto = "auto"
	// Views: whose labels come first when both exist.
	ViewComputed = "computed" // computed evidence over the paper's labels
	ViewPaper    = "paper"    // the paper's labels over computed evidence
)

// Scenario is the environment a strategy is chosen for (Figure 5).
type Scenario struct {
	// Domestic environment: stable or unstable.
	Domestic string `json:"domestic" expr:"domestic"`
	// International environment: stable or turbulent.
	International string `json:"international" expr:"international"`
	// Resources: domestic innovation resources, abundant or limited.
	Resources string `json:"resources" expr:"resources"`
	// Stage: auto (the diagnosed stage) or one of the four stages.
	Stage string `json:"stage" expr:"stage"`
	// View: computed (default; computed evidence over the paper's labels)
	// or paper (the paper's labels first).
	View string `json:"view" expr:"view"`
}

// Baseline is the paper's scenario: domestic stable, international
// turbulent (IV, introduction), resources abundant, stage from the
// diagnosis, computed evidence first.
func Baseline() Scenario {
	return Scenario{Domestic: Stable, International: Turbulent, Resources: Abundant, Stage: StageAuto, View: ViewComputed}
}

// scenarioValues lists the valid values of each scenario key.
func scenarioValues() map[string][]string {
	return map[string][]string{
		"domestic":      {Stable, Unstable},
		"international": {Stable, Turbulent},
		"resources":     {Abundant, Limited},
		"stage":         append([]string{StageAuto}, diagnose.Stages()...),
		"view":          {ViewComputed, ViewPaper},
	}
}

func scenarioKeys() []string {
	keys := make([]string, 0, 5)
	for k := range scenarioValues() {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// ParseScenario reads "key=value,key=value" over the baseline. Keys:
// domestic, international, resources, stage, view. Stage accepts the
// Chinese names too (雏形发育期 …), view 计算 and 论文. An unknown key or
// value is an error that lists the valid ones.
func ParseScenario(s string) (Scenario, error) {
	sc := Baseline()
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		k, v, ok := strings.Cut(part, "=")
		k, v = strings.ToLower(strings.TrimSpace(k)), strings.TrimSpace(v)
		if !ok {
			return Scenario{}, i18n.Errorf("情景“%s”应写作 键=值（键：%s）", "scenario %q must be key=value (keys: %s)", part, strings.Join(scenarioKeys(), ", "))
		}
		valid, known := scenarioValues()[k]
		if !known {
			return Scenario{}, i18n.Errorf("未知情景键“%s”（可用：%s）", "unknown scenario key %q (valid: %s)", k, strings.Join(scenarioKeys(), ", "))
		}
		val := strings.ToLower(v)
		if k == "stage" {
			if st, ok := diagnose.ParseStage(v); ok {
				val = st
			}
		}
		if k == "view" {
			switch v {
			case "计算":
				val = ViewComputed
			case "论文":
				val = ViewPaper
			}
		}
		if !contains(valid, val) {
			return Scenario{}, i18n.Errorf("取值“%s”对情景 %s 无效（可用：%s）", "invalid value %q for scenario %s (valid: %s)", v, k, strings.Join(valid, ", "))
		}
		switch k {
		case "domestic":
			sc.Domestic = val
		case "international":
			sc.International = val
		case "resources":
			sc.Resources = val
		case "stage":
			sc.Stage = val
		case "view":
			sc.View = val
		}
	}
	return sc, nil
}

// Validate checks every field of a scenario built in code; an empty view
// is the computed view.
func (sc Scenario) Validate() error {
	vals := scenarioValues()
	view := sc.View
	if view == "" {
		view = ViewComputed
	}
	for _, kv := range [][2]string{{"domestic", sc.Domestic}, {"international", sc.International}, {"resources", sc.Resources}, {"stage", sc.Stage}, {"view", view}} {
		if !contains(vals[kv[0]], kv[1]) {
			return i18n.Errorf("取值“%s”对情景 %s 无效（可用：%s）", "invalid value %q for scenario %s (valid: %s)", kv[1], kv[0], strings.Join(vals[kv[0]], ", "))
		}
	}
	return nil
}

// String writes the scenario in the --scenario syntax.
func (sc Scenario) String() string {
	s := "domestic=" + sc.Domestic + ",international=" + sc.International + ",resources=" + sc.Resources + ",stage=" + sc.Stage
	if sc.View != "" && sc.View != ViewComputed {
		s += ",view=" + sc.View
	}
	return s
}

// ScenarioValueName names a scenario value in both languages.
func ScenarioValueName(v string) i18n.Text {
	switch v {
	case Stable:
		return i18n.T("稳定", "stable")
	case Unstable:
		return i18n.T("不稳定", "unstable")
	case Turbulent:
		return i18n.T("动荡", "turbulent")
	case Abundant:
		return i18n.T("充足", "abundant")
	case Limited:
		return i18n.T("有限", "limited")
	case StageAuto:
		return i18n.T("按诊断", "from the diagnosis")
	case ViewComputed:
		return i18n.T("以计算证据为准", "computed evidence first")
	case ViewPaper:
		return i18n.T("以论文判断为准", "the paper's labels first")
	}
	if diagnose.ValidStage(v) {
		return diagnose.StageName(v)
	}
	return i18n.T(v, v)
}

// Text describes the scenario in a sentence.
func (sc Scenario) Text() i18n.Text {
	view := sc.View
	if view == "" {
		view = ViewComputed
	}
	n := ScenarioValueName
	return i18n.T(fmt.Sprintf("国内环境%s，国际环境%s，国内创新资源%s，发展阶段%s，%s",
		n(sc.Domestic).ZH, n(sc.International).ZH, n(sc.Resources).ZH, n(sc.Stage).ZH, n(view).ZH),
		fmt.Sprintf("domestic environment %s, international environment %s, domestic innovation resources %s, stage %s, %s",
			n(sc.Domestic).EN, n(sc.International).EN, n(sc.Resources).EN, n(sc.Stage).EN, n(view).EN))
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
