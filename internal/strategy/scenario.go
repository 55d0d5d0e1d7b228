package strategy

import (
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
}

// Baseline is the paper's scenario: domestic stable, international
// turbulent (IV, introduction), resources abundant, stage from the
// diagnosis.
func Baseline() Scenario {
	return Scenario{Domestic: Stable, International: Turbulent, Resources: Abundant, Stage: StageAuto}
}

// scenarioValues lists the valid values of each scenario key.
func scenarioValues() map[string][]string {
	return map[string][]string{
		"domestic":      {Stable, Unstable},
		"international": {Stable, Turbulent},
		"resources":     {Abundant, Limited},
		"stage":         append([]string{StageAuto}, diagnose.Stages()...),
	}
}

func scenarioKeys() []string {
	keys := make([]string, 0, 4)
	for k := range scenarioValues() {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// ParseScenario reads "key=value,key=value" over the baseline. Keys:
// domestic, international, resources, stage. Stage accepts the Chinese
// names too (雏形发育期 …). An unknown key or value is an error that lists
// the valid ones.
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
		}
	}
	return sc, nil
}

// Validate checks every field of a scenario built in code.
func (sc Scenario) Validate() error {
	vals := scenarioValues()
	for _, kv := range [][2]string{{"domestic", sc.Domestic}, {"international", sc.International}, {"resources", sc.Resources}, {"stage", sc.Stage}} {
		if !contains(vals[kv[0]], kv[1]) {
			return i18n.Errorf("取值“%s”对情景 %s 无效（可用：%s）", "invalid value %q for scenario %s (valid: %s)", kv[1], kv[0], strings.Join(vals[kv[0]], ", "))
		}
	}
	return nil
}

// String writes the scenario in the --scenario syntax.
func (sc Scenario) String() string {
	return "domestic=" + sc.Domestic + ",international=" + sc.International + ",resources=" + sc.Resources + ",stage=" + sc.Stage
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
