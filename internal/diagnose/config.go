package diagnose

import (
	"bytes"
	_ "embed"
	"fmt"
	"math"
	"slices"
	"sort"

	"gopkg.in/yaml.v3"

	"agglo/internal/i18n"
)

//go:embed thresholds.yaml
var defaultThresholds []byte

//go:embed published.yaml
var publishedYAML []byte

// DefaultThresholdsYAML returns the embedded, documented threshold file, a
// starting point for --thresholds.
func DefaultThresholdsYAML() []byte { return bytes.Clone(defaultThresholds) }

// Threshold is one cut-off with its meaning and source.
type Threshold struct {
	Value  float64 `yaml:"value" json:"value"`
	ZH     string  `yaml:"zh" json:"zh"`
	EN     string  `yaml:"en" json:"en"`
	Source string  `yaml:"source" json:"source"`
}

// StageIndicator is one component of the development index, scaled to
// [0, 1] by the goalposts Low and High.
type StageIndicator struct {
	Code   string  `yaml:"code" json:"code"`
	Low    float64 `yaml:"low" json:"low"`
	High   float64 `yaml:"high" json:"high"`
	Weight float64 `yaml:"weight" json:"weight"`
}

// StageRules estimate the development stage.
type StageRules struct {
	Source         string             `yaml:"source" json:"source"`
	Indicators     []StageIndicator   `yaml:"indicators" json:"indicators"`
	MinWeightShare float64            `yaml:"min_weight_share" json:"min_weight_share"`
	Cutoffs        map[string]float64 `yaml:"cutoffs" json:"cutoffs"`
}

// Config holds the diagnosis settings: indicators, thresholds, stage rules
// and confidence variants. Load it with DefaultConfig or ParseConfig.
type Config struct {
	Capacity struct {
		Indicators []string `yaml:"indicators" json:"indicators"`
		Variants   []string `yaml:"variants" json:"variants"`
		MinMembers int      `yaml:"min_members" json:"min_members"`
	} `yaml:"capacity" json:"capacity"`
	Openness struct {
		Creation    string   `yaml:"creation" json:"creation"`
		Acquisition string   `yaml:"acquisition" json:"acquisition"`
		Indicators  []string `yaml:"indicators" json:"indicators"`
	} `yaml:"openness" json:"openness"`
	ProblemIndicators struct {
		Enterprise      string `yaml:"enterprise" json:"enterprise"`
		PatentsPerRD    string `yaml:"patents_per_rd" json:"patents_per_rd"`
		StaffPerProject string `yaml:"staff_per_project" json:"staff_per_project"`
	} `yaml:"problem_indicators" json:"problem_indicators"`
	Industry struct {
		Indicators []string `yaml:"indicators" json:"indicators"`
	} `yaml:"industry" json:"industry"`
	Thresholds map[string]Threshold `yaml:"thresholds" json:"thresholds"`
	Stage      StageRules           `yaml:"stage" json:"stage"`
	Confidence struct {
		Factors []float64 `yaml:"factors" json:"factors"`
	} `yaml:"confidence" json:"confidence"`

	// StageOverride sets the stage of an agglomeration (code → stage),
	// replacing the estimate.
	StageOverride map[string]string `yaml:"-" json:"stage_override,omitempty"`
	// Name says where the thresholds come from (file name or "embedded").
	Name string `yaml:"-" json:"name"`
}

// Threshold ids the diagnosis uses; a config must define all of them.
const (
	thPrimacy     = "primacy_s2"
	thDualCore    = "dual_core_ratio"
	thQ           = "rank_size_q"
	thCoreShare   = "core_share"
	thCV          = "cv"
	thLevel       = "level_ratio"
	thOpenness    = "openness_gap"
	thLowZ        = "low_z"
	thWeakCoreZ   = "weak_core_z"
	thSiphonDCS   = "siphon_delta_cs"
	thSiphonRG    = "siphon_relative_growth"
	thHomogeneity = "homogeneity_similarity"
	thCollapse    = "collapse_ratio"
	thLinkage     = "linkage_density"
)

func thresholdIDs() []string {
	return []string{thPrimacy, thDualCore, thQ, thCoreShare, thCV, thLevel, thOpenness, thLowZ,
		thWeakCoreZ, thSiphonDCS, thSiphonRG, thHomogeneity, thCollapse, thLinkage}
}

// DefaultConfig returns the embedded configuration.
func DefaultConfig() (Config, error) {
	return ParseConfig(defaultThresholds, "embedded thresholds.yaml")
}

// ParseConfig reads and validates a threshold file.
func ParseConfig(b []byte, name string) (Config, error) {
	var c Config
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&c); err != nil {
		return Config{}, i18n.Errorf("阈值文件 %s 无法读取：%v", "threshold file %s: %v", name, err)
	}
	c.Name = name
	if err := c.Validate(); err != nil {
		return Config{}, err
	}
	return c, nil
}

// Validate checks that every threshold is defined and finite, the stage
// rules are usable and the stage overrides name known stages.
func (c *Config) Validate() error {
	bad := func(zh, en string, args ...any) error {
		return i18n.Errorf("阈值配置 %s："+zh, "threshold config %s: "+en, append([]any{c.Name}, args...)...)
	}
	if len(c.Capacity.Indicators) == 0 {
		return bad("capacity.indicators 为空", "capacity.indicators is empty")
	}
	if c.Capacity.MinMembers < 2 {
		return bad("capacity.min_members 须 ≥ 2（收到 %d）", "capacity.min_members must be at least 2 (got %d)", c.Capacity.MinMembers)
	}
	var missing []string
	for _, id := range thresholdIDs() {
		t, ok := c.Thresholds[id]
		if !ok {
			missing = append(missing, id)
			continue
		}
		if math.IsNaN(t.Value) || math.IsInf(t.Value, 0) {
			return bad("阈值 %s 不是有限数", "threshold %s is not a finite number", id)
		}
	}
	if len(missing) > 0 {
		return bad("缺少阈值 %v", "missing thresholds %v", missing)
	}
	var unknown []string
	for id := range c.Thresholds {
		if !slices.Contains(thresholdIDs(), id) {
			unknown = append(unknown, id)
		}
	}
	if len(unknown) > 0 {
		sort.Strings(unknown)
		return bad("未知阈值 %v（可用：%v）", "unknown thresholds %v (known: %v)", unknown, thresholdIDs())
	}
	for _, si := range c.Stage.Indicators {
		if si.Code == "" || !(si.High > si.Low) || !(si.Weight > 0) {
			return bad("发展阶段指标 %q 须有代码、high > low、weight > 0", "stage indicator %q needs a code, high > low and weight > 0", si.Code)
		}
	}
	prev := 0.0
	for _, s := range []string{StageRapid, StageMaturing, StageMature} {
		v, ok := c.Stage.Cutoffs[s]
		if !ok || !(v > prev) || v > 1 {
			return bad("stage.cutoffs 须含递增的 rapid < maturing < mature，取值在 (0, 1]", "stage.cutoffs needs rapid < maturing < mature, increasing, in (0, 1]")
		}
		prev = v
	}
	if len(c.Confidence.Factors) == 0 {
		c.Confidence.Factors = []float64{1}
	}
	for _, f := range c.Confidence.Factors {
		if !(f > 0) || math.IsInf(f, 0) {
			return bad("confidence.factors 须为正数", "confidence.factors must be positive")
		}
	}
	for code, st := range c.StageOverride {
		if !ValidStage(st) {
			return bad("%s 的发展阶段“%s”无效（可选 %v）", "stage %q for %s is not valid (use %v)", code, st, Stages())
		}
	}
	return nil
}

func (c *Config) th(id string) float64 { return c.Thresholds[id].Value }

// Development stages.
const (
	StageEmbryonic = "embryonic" // 雏形发育期
	StageRapid     = "rapid"     // 快速发育期
	StageMaturing  = "maturing"  // 趋于成熟期
	StageMature    = "mature"    // 成熟发展期
)

// Stages lists the four stages in order.
func Stages() []string { return []string{StageEmbryonic, StageRapid, StageMaturing, StageMature} }

// ValidStage reports whether s is one of the four stage codes.
func ValidStage(s string) bool { return slices.Contains(Stages(), s) }

// ParseStage accepts a stage code or its Chinese name.
func ParseStage(s string) (string, bool) {
	switch s {
	case StageEmbryonic, "雏形发育期":
		return StageEmbryonic, true
	case StageRapid, "快速发育期":
		return StageRapid, true
	case StageMaturing, "趋于成熟期":
		return StageMaturing, true
	case StageMature, "成熟发展期":
		return StageMature, true
	}
	return "", false
}

// StageName returns the stage's name in zh and en.
func StageName(s string) i18n.Text {
	switch s {
	case StageEmbryonic:
		return i18n.T("雏形发育期", "embryonic")
	case StageRapid:
		return i18n.T("快速发育期", "rapid development")
	case StageMaturing:
		return i18n.T("趋于成熟期", "maturing")
	case StageMature:
		return i18n.T("成熟发展期", "mature")
	}
	return i18n.T("未定", "undetermined")
}

// published is one entry of published.yaml.
type published struct {
	Code          string    `yaml:"code"`
	SpatialMode   string    `yaml:"spatial_mode"`
	Level         string    `yaml:"level"`
	SpatialRefs   []string  `yaml:"spatial_refs"`
	SpatialBasis  i18n.Text `yaml:"spatial_basis"`
	OpennessMode  string    `yaml:"openness_mode"`
	OpennessRefs  []string  `yaml:"openness_refs"`
	OpennessBasis i18n.Text `yaml:"openness_basis"`
	Problems      []struct {
		ID    string   `yaml:"id"`
		Refs  []string `yaml:"refs"`
		Quote string   `yaml:"quote"`
	} `yaml:"problems"`
}

func loadPublished() (map[string]published, error) {
	var list []published
	dec := yaml.NewDecoder(bytes.NewReader(publishedYAML))
	dec.KnownFields(true)
	if err := dec.Decode(&list); err != nil {
		return nil, fmt.Errorf("embedded published.yaml: %w", err)
	}
	out := make(map[string]published, len(list))
	for _, p := range list {
		for _, pr := range p.Problems {
			if _, ok := problemInfo(pr.ID); !ok {
				return nil, fmt.Errorf("embedded published.yaml: %s: unknown problem %q", p.Code, pr.ID)
			}
		}
		out[p.Code] = p
	}
	return out, nil
}
