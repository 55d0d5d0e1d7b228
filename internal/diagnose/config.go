package diagnose

import (
	"bytes"
	_ "embed"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

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

// Threshold kinds: a value from a published rule, or the project's own
// choice where no published cut-off exists.
const (
	KindLiterature = "literature"
	KindProject    = "project"
)

// Threshold is one cut-off with its meaning, kind and source.
type Threshold struct {
	Value  float64 `yaml:"value" json:"value"`
	Kind   string  `yaml:"kind" json:"kind"`
	ZH     string  `yaml:"zh" json:"zh"`
	EN     string  `yaml:"en" json:"en"`
	Source string  `yaml:"source" json:"source"`
}

// StageCriterion is one criterion of the published stage classification:
// its weight, the indicator of the data that measures it ("" when none
// does) and, when known, its standard values for the four stages in
// increasing order of development.
type StageCriterion struct {
	ID        string    `yaml:"id" json:"id"`
	Group     string    `yaml:"group" json:"group"`
	Weight    float64   `yaml:"weight" json:"weight"`
	Indicator string    `yaml:"indicator,omitempty" json:"indicator,omitempty"`
	ZH        string    `yaml:"zh" json:"zh"`
	EN        string    `yaml:"en" json:"en"`
	Standards []float64 `yaml:"standards,omitempty" json:"standards,omitempty"`
}

// StageRules name the published classification the stage follows and its
// criteria.
type StageRules struct {
	Classification i18n.Text        `yaml:"classification" json:"classification"`
	MinWeightShare float64          `yaml:"min_weight_share" json:"min_weight_share"`
	Criteria       []StageCriterion `yaml:"criteria" json:"criteria"`
	// Source is the classification's citation in English (for results).
	Source string `yaml:"-" json:"source"`
}

// Config holds the diagnosis settings: indicators, thresholds, the stage
// classification and the confidence variants. Load it with DefaultConfig
// or ParseConfig.
type Config struct {
	Size struct {
		// Indicators measure a member city's size for the spatial mode,
		// in order of preference: the first the data have is the nominal
		// reading, each other one a variant (at its year nearest the
		// nominal reading's).
		Indicators []string `yaml:"indicators" json:"indicators"`
		// FlowIndicators measure size for the siphon or spread (every one
		// the data have in two or more years); empty: Indicators.
		FlowIndicators []string `yaml:"flow_indicators" json:"flow_indicators"`
		MinMembers     int      `yaml:"min_members" json:"min_members"`
	} `yaml:"size" json:"size"`
	Level struct {
		Indicators           []string `yaml:"indicators" json:"indicators"`
		NationalMinProvinces int      `yaml:"national_min_provinces" json:"national_min_provinces"`
		NationalMinCities    int      `yaml:"national_min_cities" json:"national_min_cities"`
	} `yaml:"level" json:"level"`
	Openness struct {
		Creation    string   `yaml:"creation" json:"creation"`
		Acquisition string   `yaml:"acquisition" json:"acquisition"`
		Indicators  []string `yaml:"indicators" json:"indicators"`
		Log         []string `yaml:"log" json:"log"`
	} `yaml:"openness" json:"openness"`
	ProblemIndicators struct {
		Enterprise      string `yaml:"enterprise" json:"enterprise"`
		PatentsPerRD    string `yaml:"patents_per_rd" json:"patents_per_rd"`
		StaffPerProject string `yaml:"staff_per_project" json:"staff_per_project"`
		// Copublication is a city-level network degree of knowledge flow
		// (papers co-authored with other cities).
		Copublication string `yaml:"copublication" json:"copublication"`
	} `yaml:"problem_indicators" json:"problem_indicators"`
	Industry struct {
		Indicators []string `yaml:"indicators" json:"indicators"`
	} `yaml:"industry" json:"industry"`
	Thresholds map[string]Threshold `yaml:"thresholds" json:"thresholds"`
	Stage      StageRules           `yaml:"stage" json:"stage"`
	Confidence struct {
		Factors        []float64 `yaml:"factors" json:"factors"`
		UncertainBelow float64   `yaml:"uncertain_below" json:"uncertain_below"`
	} `yaml:"confidence" json:"confidence"`

	// StageOverride sets the stage of an agglomeration (code → stage),
	// replacing the assessment.
	StageOverride map[string]string `yaml:"-" json:"stage_override,omitempty"`
	// Agglomerations are the codes to diagnose; empty: the registry's
	// default set (dataset.Registry.Agglomerations).
	Agglomerations []string `yaml:"-" json:"agglomerations,omitempty"`
	// Name says where the thresholds come from (file name or "embedded").
	Name string `yaml:"-" json:"name"`
}

// Threshold ids the diagnosis uses; a config must define all of them.
const (
	thCorePrimacy   = "core_primacy"
	thCoreShareZipf = "core_share_zipf"
	thQ             = "rank_size_q"
	thSecondTier    = "second_tier_ratio"
	thLevel         = "level_ratio"
	thCV            = "cv"
	thOpenness      = "openness_gap"
	thLowZ          = "low_z"
	thWeakCorePct   = "weak_core_percentile"
	thSiphonDCS     = "siphon_delta_cs"
	thSiphonRG      = "siphon_relative_growth"
	thHomogeneity   = "homogeneity_similarity"
	thLinkage       = "linkage_density"
)

// ThresholdIDs lists the thresholds a config defines, in file order.
func ThresholdIDs() []string {
	return []string{thCorePrimacy, thCoreShareZipf, thQ, thSecondTier, thLevel, thCV, thOpenness, thLowZ,
		thWeakCorePct, thSiphonDCS, thSiphonRG, thHomogeneity, thLinkage}
}

func thresholdIDs() []string { return ThresholdIDs() }

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

// Validate checks that every threshold is defined, finite and sourced, the
// stage classification is usable, the confidence settings are sensible and
// the stage overrides name known stages.
func (c *Config) Validate() error {
	bad := func(zh, en string, args ...any) error {
		return i18n.Errorf("阈值配置 %s："+zh, "threshold config %s: "+en, append([]any{c.Name}, args...)...)
	}
	if len(c.Size.Indicators) == 0 {
		return bad("size.indicators 为空", "size.indicators is empty")
	}
	for _, ind := range append(slices.Clone(c.Size.Indicators), c.Size.FlowIndicators...) {
		if strings.HasPrefix(ind, "cric_") {
			return bad("规模指标中的 %s 是有界的指数得分，不能度量城市规模（请用专利、人口、GDP 等总量指标）", "size indicators: %s is a bounded index score and cannot measure city size (use patents, population, GDP or another total)", ind)
		}
	}
	if len(c.Size.FlowIndicators) == 0 {
		c.Size.FlowIndicators = slices.Clone(c.Size.Indicators)
	}
	if c.Size.MinMembers < 2 {
		return bad("size.min_members 须 ≥ 2（收到 %d）", "size.min_members must be at least 2 (got %d)", c.Size.MinMembers)
	}
	if len(c.Level.Indicators) == 0 {
		return bad("level.indicators 为空", "level.indicators is empty")
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
		if t.Kind != KindLiterature && t.Kind != KindProject {
			return bad("阈值 %s 的 kind 须为 literature（文献）或 project（本项目的选择）", "threshold %s: kind must be literature or project", id)
		}
		if strings.TrimSpace(t.Source) == "" || t.ZH == "" || t.EN == "" {
			return bad("阈值 %s 须写明含义（zh、en）与出处（source）", "threshold %s needs its meaning (zh, en) and source", id)
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
	if c.Stage.Classification.ZH == "" || c.Stage.Classification.EN == "" {
		return bad("stage.classification 须写明所依据的发展阶段划分（zh、en）", "stage.classification must name the published classification (zh, en)")
	}
	seen := map[string]bool{}
	for _, sc := range c.Stage.Criteria {
		if sc.ID == "" || seen[sc.ID] || !(sc.Weight > 0) {
			return bad("发展阶段判据 %q 须有唯一的 id 和正的权重", "stage criterion %q needs a unique id and a positive weight", sc.ID)
		}
		seen[sc.ID] = true
		if len(sc.Standards) != 0 && len(sc.Standards) != 4 {
			return bad("发展阶段判据 %s 的 standards 须为四个值（四个阶段各一个）", "stage criterion %s: standards must have four values (one per stage)", sc.ID)
		}
		if len(sc.Standards) == 4 && !monotone(sc.Standards) {
			return bad("发展阶段判据 %s 的 standards 须严格单调", "stage criterion %s: standards must be strictly monotone", sc.ID)
		}
	}
	if !(c.Stage.MinWeightShare > 0 && c.Stage.MinWeightShare <= 1) {
		return bad("stage.min_weight_share 须在 (0, 1] 之间", "stage.min_weight_share must be in (0, 1]")
	}
	c.Stage.Source = c.Stage.Classification.EN
	if len(c.Confidence.Factors) == 0 {
		c.Confidence.Factors = []float64{1}
	}
	for _, f := range c.Confidence.Factors {
		if !(f > 0) || math.IsInf(f, 0) {
			return bad("confidence.factors 须为正数", "confidence.factors must be positive")
		}
	}
	if !(c.Confidence.UncertainBelow > 0 && c.Confidence.UncertainBelow <= 1) {
		return bad("confidence.uncertain_below 须在 (0, 1] 之间", "confidence.uncertain_below must be in (0, 1]")
	}
	for code, st := range c.StageOverride {
		if !ValidStage(st) {
			return bad("%s 的发展阶段“%s”无效（可选 %v）", "stage %q for %s is not valid (use %v)", code, st, Stages())
		}
	}
	return nil
}

func monotone(x []float64) bool {
	up, down := true, true
	for i := 1; i < len(x); i++ {
		up = up && x[i] > x[i-1]
		down = down && x[i] < x[i-1]
	}
	return up || down
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
