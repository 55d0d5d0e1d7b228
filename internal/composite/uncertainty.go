package composite

import (
	"context"
	"encoding/json"
	"errors"
	"io"

	"gopkg.in/yaml.v3"

	"agglo/internal/jsonnum"
)

// Steps that a Choice can vary.
const (
	ChoiceImputation    = "imputation"
	ChoiceTreatment     = "treatment"
	ChoiceNormalisation = "normalisation"
	ChoiceWeights       = "weights"
	ChoiceAggregation   = "aggregation"
	ChoiceWeightNoise   = "weight_noise"
)

var choiceSteps = []string{ChoiceImputation, ChoiceTreatment, ChoiceNormalisation, ChoiceWeights, ChoiceAggregation, ChoiceWeightNoise}

// Choice is one uncertain input of an uncertainty analysis: discrete
// alternatives for a step, sampled uniformly (COINr sample_2_para with
// dist_type "discrete"), or noise on the weights of a level, w·(1 + U(−f, f))
// for each weight (COINr get_noisy_weights).
//
// Level is the aggregation level the choice applies to (2 = indicators into
// their groups, as in the framework's levels); 0 means every aggregation
// level for weights and aggregation. For weight_noise, Level 2 perturbs the
// indicators' weights, Level 3 those of the level-2 aggregates, and so on.
type Choice struct {
	Name  string `yaml:"name" json:"name"`
	Step  string `yaml:"step" json:"step"`
	Level int    `yaml:"level,omitempty" json:"level,omitempty"`
	// WinMax is a shorthand for treatment alternatives: COINr winsorisation
	// with each of these limits.
	WinMax []int `yaml:"winmax,omitempty" json:"winmax,omitempty"`
	// Factor is the noise factor f of weight_noise.
	Factor float64 `yaml:"factor,omitempty" json:"factor,omitempty"`
	// Alternatives are step specifications of the Step's type.
	Alternatives yaml.Node `yaml:"alternatives,omitempty" json:"-"`

	imputations []Imputation
	treatments  []Treatment
	norms       []Normalisation
	weights     []WeightSpec
	aggs        []Aggregation
}

func (c *Choice) count() int {
	switch c.Step {
	case ChoiceImputation:
		return len(c.imputations)
	case ChoiceTreatment:
		return len(c.treatments)
	case ChoiceNormalisation:
		return len(c.norms)
	case ChoiceWeights:
		return len(c.weights)
	case ChoiceAggregation:
		return len(c.aggs)
	}
	return 0
}

// UASpec lists the uncertain choices of an uncertainty analysis.
//
//	sensitivity: true      # Sobol indices (N·(d+2) runs) besides rank statistics
//	bootstrap: 100         # bootstrap samples for the indices' intervals
//	include_nominal: true  # add the nominal method to every choice that lacks it
//	choices:
//	  - {name: winsorisation, step: treatment, winmax: [1, 2, 3, 4, 5]}
//	  - name: normalisation
//	    step: normalisation
//	    alternatives: [{method: minmax, lower: 1, upper: 100}, {method: zscore, mean: 10, sd: 2}]
//	  - {name: aggregation, step: aggregation, alternatives: [{method: arithmetic}, {method: geometric}]}
//	  - {name: weights, step: weights, level: 2, alternatives: [{method: framework}, {method: entropy}]}
//	  - {name: noise, step: weight_noise, level: 3, factor: 0.25}
//
// With include_nominal, each discrete choice whose alternatives do not hold
// the nominal build's method for its step (and level) gets that method as
// its first alternative, so that the nominal configuration is one of the
// configurations sampled and the nominal ranks lie in their own
// distribution. Alternatives are drawn uniformly, so adding one changes the
// others' probabilities from 1/k to 1/(k+1).
type UASpec struct {
	Sensitivity    bool     `yaml:"sensitivity" json:"sensitivity"`
	Bootstrap      int      `yaml:"bootstrap,omitempty" json:"bootstrap,omitempty"`
	IncludeNominal bool     `yaml:"include_nominal,omitempty" json:"include_nominal,omitempty"`
	Choices        []Choice `yaml:"choices" json:"choices"`
}

// ParseUASpec reads an uncertainty specification from YAML (see UASpec).
func ParseUASpec(r io.Reader) (*UASpec, error) {
	var doc yaml.Node
	if err := yaml.NewDecoder(r).Decode(&doc); err != nil {
		return nil, yamlError(err)
	}
	if len(doc.Content) == 0 {
		return nil, errorf("不确定性规格为空", "the uncertainty specification is empty")
	}
	root := doc.Content[0]
	spec := &UASpec{}
	if err := decodeStrict(root, spec, "uncertainty specification", "不确定性规格"); err != nil {
		return nil, err
	}
	var chNodes []*yaml.Node
	keys := map[string]*yaml.Node{}
	for i := 0; i+1 < len(root.Content); i += 2 {
		keys[root.Content[i].Value] = root.Content[i+1]
		if root.Content[i].Value == "choices" {
			chNodes = root.Content[i+1].Content
		}
	}
	if err := spec.check(); err != nil {
		if n := keys[err.Field]; n != nil && err.Err.Line == 0 {
			err.Err.Line, err.Err.Column = n.Line, n.Column
		}
		return nil, err
	}
	for i := range spec.Choices {
		var n *yaml.Node
		if i < len(chNodes) {
			n = chNodes[i]
			if err := checkKeys(n, reflectChoice, "choice", "选择"); err != nil {
				return nil, err
			}
		}
		if err := spec.Choices[i].compile(); err != nil {
			if n != nil {
				return nil, locate(err, n)
			}
			return nil, err
		}
	}
	return spec, nil
}

func (c *Choice) compile() error {
	if !oneOf(c.Step, choiceSteps) || c.Step == "" {
		return unknownMethod("choice step", "选择步骤", c.Step, choiceSteps)
	}
	if c.Name == "" {
		c.Name = c.Step
	}
	alt := &c.Alternatives
	dec := func(v any) error {
		if alt.Kind == 0 {
			return nil
		}
		if alt.Kind != yaml.SequenceNode {
			return errorAt(alt.Line, alt.Column, "alternatives 必须是列表", "alternatives must be a list")
		}
		if err := alt.Decode(v); err != nil {
			return locate(yamlError(err), alt)
		}
		return nil
	}
	var err error
	switch c.Step {
	case ChoiceImputation:
		err = dec(&c.imputations)
		for _, s := range c.imputations {
			err = firstErr(err, s.validate())
		}
	case ChoiceTreatment:
		err = dec(&c.treatments)
		for _, w := range c.WinMax {
			if w < 1 {
				return errorf("winmax 必须 ≥ 1", "winmax must be ≥ 1")
			}
			c.treatments = append(c.treatments, Treatment{Method: TreatWinsorise, WinMax: w})
		}
		for i, s := range c.treatments {
			err = firstErr(err, s.validate())
			c.treatments[i] = s.withDefaults()
		}
	case ChoiceNormalisation:
		err = dec(&c.norms)
		for i, s := range c.norms {
			err = firstErr(err, s.validate())
			c.norms[i] = s.withDefaults()
		}
	case ChoiceWeights:
		err = dec(&c.weights)
		for i, s := range c.weights {
			err = firstErr(err, s.validate())
			c.weights[i] = s.withDefaults()
		}
	case ChoiceAggregation:
		err = dec(&c.aggs)
		for i, s := range c.aggs {
			err = firstErr(err, s.validate())
			c.aggs[i] = s.withDefaults()
		}
	case ChoiceWeightNoise:
		if !(c.Factor > 0 && c.Factor < 1) {
			return errorf("选择 %q:噪声系数必须在 (0, 1) 内", "choice %q: the noise factor must lie in (0, 1)", c.Name)
		}
		if c.Level < 2 {
			return errorf("选择 %q:权重噪声需要层级 ≥ 2", "choice %q: weight noise needs a level ≥ 2", c.Name)
		}
		return nil
	}
	if err != nil {
		return err
	}
	if c.count() == 0 {
		return errorf("选择 %q 没有备选项", "choice %q has no alternatives", c.Name)
	}
	return nil
}

// WeightSetsChoice returns a choice among exact weight sets, as COINr's
// uncertainty analysis samples a list of weight tables: alternative k is
// the framework method at every level with sets[k] replacing the weights
// of the nodes it names (the others keep the framework's).
func WeightSetsChoice(name string, sets []WeightSet) Choice {
	c := Choice{Name: name, Step: ChoiceWeights}
	for i := range sets {
		set := sets[i]
		c.weights = append(c.weights, WeightSpec{Method: WeightsFramework, Set: &set}.withDefaults())
	}
	return c
}

func firstErr(a, b error) error {
	if a != nil {
		return a
	}
	return b
}

var reflectChoice = reflectTypeOf[Choice]()

// Limits of an uncertainty analysis, checked by ValidateUA.
const (
	// MinUAN is the smallest N: quantiles and variances need two runs.
	MinUAN = 2
	// MaxUAN is the largest N.
	MaxUAN = 10_000_000
	// MaxUARuns bounds the runs of one analysis (N, or N·(d+2) with
	// sensitivity).
	MaxUARuns = 100_000_000
	// MaxUAChoices bounds the number of choices.
	MaxUAChoices = 32
	// MaxUABootstrap bounds the bootstrap samples of the Sobol intervals.
	MaxUABootstrap = 10_000
	// DefaultUABootstrap is used when UASpec.Bootstrap is 0.
	DefaultUABootstrap = 100
)

// FieldError is an invalid setting of an uncertainty analysis. Field names
// the setting as the YAML specification and the JSON request spell it
// ("n", "bootstrap", "choices", "sensitivity"); Err carries the message and,
// for a parsed specification, its line and column.
type FieldError struct {
	Field string
	Err   *Error
}

func (e *FieldError) Error() string { return e.Err.Error() }

// Localized implements i18n.Localizer.
func (e *FieldError) Localized(lang string) string { return e.Err.Localized(lang) }

// Unwrap returns the message error.
func (e *FieldError) Unwrap() error { return e.Err }

func fieldErr(field, zh, en string, args ...any) *FieldError {
	return &FieldError{Field: field, Err: errorf(zh, en, args...)}
}

// check validates the settings of s that do not depend on N.
func (s *UASpec) check() *FieldError {
	if len(s.Choices) > MaxUAChoices {
		return fieldErr("choices", "选择过多:%d 个,最多 %d 个", "too many choices: %d, at most %d", len(s.Choices), MaxUAChoices)
	}
	if s.Bootstrap < 0 || s.Bootstrap > MaxUABootstrap {
		return fieldErr("bootstrap", "bootstrap 必须在 0 到 %d 之间(收到 %d)", "bootstrap must lie between 0 and %d (got %d)", MaxUABootstrap, s.Bootstrap)
	}
	if s.Sensitivity && len(s.Choices) < 2 {
		return fieldErr("sensitivity", "敏感性分析至少需要两个选择(现有 %d 个)", "a sensitivity analysis needs at least two choices (the specification has %d)", len(s.Choices))
	}
	return nil
}

// ValidateUA checks an uncertainty analysis of spec with n replications
// before any work is done: at least one choice, MinUAN ≤ n ≤ MaxUAN, at most
// MaxUARuns runs, at most MaxUAChoices choices, 0 ≤ bootstrap ≤
// MaxUABootstrap, and two choices or more for a sensitivity analysis.
// Errors are *FieldError values naming the setting. Choices built in code
// are compiled (their alternatives checked) as Uncertainty does.
func ValidateUA(spec *UASpec, n int) error {
	if spec == nil || len(spec.Choices) == 0 {
		return fieldErr("choices", "不确定性分析没有选择", "the uncertainty analysis has no choices")
	}
	if err := spec.check(); err != nil {
		return err
	}
	if n < MinUAN || n > MaxUAN {
		return fieldErr("n", "重复次数 n 必须在 %d 到 %d 之间(收到 %d)", "the number of replications n must lie between %d and %d (got %d)", MinUAN, MaxUAN, n)
	}
	if runs := uaRunCount(spec, n); runs > MaxUARuns {
		return fieldErr("n", "共需 %d 次重建,超过 %d 次的上限", "the analysis needs %d runs, over the limit of %d", runs, MaxUARuns)
	}
	for i := range spec.Choices {
		c := &spec.Choices[i]
		if c.count() == 0 && c.Step != ChoiceWeightNoise {
			if err := c.compile(); err != nil {
				var ce *Error
				if errors.As(err, &ce) {
					return &FieldError{Field: "choices", Err: ce}
				}
				return err
			}
		}
	}
	return nil
}

// uaRunCount is the number of runs: N, or N·(d+2) for the Saltelli design.
func uaRunCount(spec *UASpec, n int) int64 {
	if spec.Sensitivity {
		return int64(n) * int64(len(spec.Choices)+2)
	}
	return int64(n)
}

// UAOptions control an uncertainty analysis.
type UAOptions struct {
	// N is the number of replications (UA) or the base sample size of the
	// Sobol design (SA: N·(d+2) runs, d = number of choices).
	N    int
	Seed uint64
	// Workers is the number of goroutines (0 = GOMAXPROCS). Results do not
	// depend on it.
	Workers int
	// Progress, when not nil, is called with the runs done and the total;
	// calls are serialised but may come from any goroutine.
	Progress func(done, total int)
	// Build are the options of the nominal build (base steps, manual weights).
	Build Options
	// RankMemory bounds the bytes kept for the rank quantiles (0 =
	// DefaultRankMemory); see Uncertainty.
	RankMemory int64
	// CacheMemory bounds the bytes of the cached outputs of aggregation
	// levels shared by runs (0 = DefaultUACacheMemory); see Uncertainty.
	CacheMemory int64

	// onRanks, when set (tests), receives each successful run's ranks.
	onRanks func(run int, ranks []int32)
}

// UAUnit holds one unit's rank statistics (R type-7 quantiles).
type UAUnit struct {
	Code        string  `json:"code"`
	NominalRank int     `json:"nominal_rank"`
	MeanRank    float64 `json:"mean_rank"`
	MedianRank  float64 `json:"median_rank"`
	P05Rank     float64 `json:"p05_rank"`
	P95Rank     float64 `json:"p95_rank"`
	// Runs is the number of runs in which the unit has a rank (its index is
	// not missing). The statistics are 0 when it is 0.
	Runs int `json:"runs"`
	// NominalPercentile is the mid-distribution percentile (Parzen 2004,
	// "Quantile probability and statistical data modeling") of the nominal
	// rank among the unit's ranks, 100·(#{rank < nominal} +
	// ½·#{rank = nominal})/Runs: 50 when the nominal rank is the median,
	// near 0 when (nearly) every run ranks the unit worse (a larger rank
	// number), near 100 when every run ranks it better. 0 when the nominal
	// rank is missing or Runs is 0.
	NominalPercentile float64 `json:"nominal_percentile"`
	// NominalOutside is true when the nominal rank lies outside
	// [P05Rank, P95Rank].
	NominalOutside bool `json:"nominal_outside"`
}

// SensitivityIndex holds the Sobol indices of one choice with bootstrap
// 5–95 % intervals.
type SensitivityIndex struct {
	Choice     string     `json:"choice"`
	FirstOrder float64    `json:"first_order"`
	Total      float64    `json:"total"`
	FirstCI    [2]float64 `json:"first_order_ci"`
	TotalCI    [2]float64 `json:"total_ci"`
}

// MarshalJSON writes undefined indices (0/0 when the output does not vary)
// as null.
func (s SensitivityIndex) MarshalJSON() ([]byte, error) {
	f := func(v float64) jsonnum.Float { return jsonnum.Float(v) }
	return json.Marshal(struct {
		Choice     string           `json:"choice"`
		FirstOrder jsonnum.Float    `json:"first_order"`
		Total      jsonnum.Float    `json:"total"`
		FirstCI    [2]jsonnum.Float `json:"first_order_ci"`
		TotalCI    [2]jsonnum.Float `json:"total_ci"`
	}{s.Choice, f(s.FirstOrder), f(s.Total), [2]jsonnum.Float{f(s.FirstCI[0]), f(s.FirstCI[1])}, [2]jsonnum.Float{f(s.TotalCI[0]), f(s.TotalCI[1])}})
}

// UAFailure is a run that failed (for example a geometric mean of a value
// ≤ 0), with its error in Chinese and English.
type UAFailure struct {
	Run     int    `json:"run"`
	ErrorZH string `json:"error_zh"`
	ErrorEN string `json:"error_en"`
}

// maxUAFailures is the number of failures listed in a result (those of the
// lowest run numbers); Failed counts them all.
const maxUAFailures = 10

// UAResult is the result of an uncertainty (and sensitivity) analysis.
type UAResult struct {
	N    int    `json:"n"`
	Runs int    `json:"runs"`
	Seed uint64 `json:"seed"`
	// Failed is the number of runs that failed; they count in neither the
	// rank statistics nor the Sobol estimates. Failures lists the first
	// few (lowest run numbers).
	Failed   int         `json:"failed"`
	Failures []UAFailure `json:"failures,omitempty"`
	// Output names the sensitivity target.
	Output      string             `json:"output"`
	Variance    float64            `json:"variance,omitempty"`
	Units       []UAUnit           `json:"units"`
	Sensitivity []SensitivityIndex `json:"sensitivity,omitempty"`
	// SobolRows is the number of complete rows (A, B and every AB_i run
	// succeeded) of the Saltelli design used by the indices.
	SobolRows int `json:"sobol_rows,omitempty"`
	// NominalInSpec is true when every discrete choice holds the nominal
	// method among its alternatives (after include_nominal), so the
	// nominal configuration is one of those sampled.
	NominalInSpec bool `json:"nominal_in_spec"`
	// NominalOutside counts the units whose nominal rank lies outside their
	// 5–95 % interval.
	NominalOutside int `json:"nominal_outside"`
	// RankQuantiles is "exact" when every reported quantile is exact, or
	// "binned" when some came from binned counts (see Uncertainty);
	// RankError is then the largest possible error of a reported quantile,
	// in ranks (0 when exact), and BinnedUnits the number of units with a
	// quantile that is not exact.
	RankQuantiles string  `json:"rank_quantiles"`
	RankError     float64 `json:"rank_error"`
	BinnedUnits   int     `json:"binned_units,omitempty"`
}

// Uncertainty runs a Monte Carlo uncertainty analysis of the index of fw on
// d over the choices of spec, and with spec.Sensitivity the variance-based
// sensitivity analysis of COINr get_sensitivity:
//
//   - Each run's input u ∈ [0,1)^d selects an alternative per choice
//     (⌊u·k⌋ of k) or seeds the weight noise of a choice; the index is rebuilt
//     and every unit's rank recorded.
//   - UA: N runs, u from PCG(Seed, run). SA: Saltelli (2010) design, A_j and
//     B_j from PCG(Seed, j), runs A (N), B (N) and AB_i (A with column i from
//     B) for each choice, N·(d+2) runs; the rank statistics use the 2N runs of
//     A and B, as COINr.
//   - Sensitivity output (COINr): y = mean over units of |rank − nominal rank|.
//     First order S_i = mean(y_B·(y_ABi − y_A))/V (Saltelli 2010), total
//     S_Ti = Σ(y_A − y_ABi)²/(2N·V) (Jansen 1999), V = var(y_A ∪ y_B),
//     accumulated row by row as the runs finish (see SobolIndices for the
//     bootstrap intervals).
//
// A run that fails (a geometric or harmonic mean of a value ≤ 0, objective
// weights undefined for the sampled data, ...) is counted in Failed and left
// out of the statistics; a row of the Saltelli design with a failed run is
// left out of the indices. The analysis fails only when every run fails (or
// fewer than two rows are complete), or on a bad spec, N or nominal build.
//
// Rank statistics are running statistics: per unit the number, sum and
// count below and at the nominal rank of its ranks (exact), and for the
// quantiles, whichever fits in RankMemory bytes (default DefaultRankMemory)
// first of: a histogram of ranks (n·n counts, independent of N), the ranks of
// every run (n·runs), both exact; otherwise K = RankMemory/(4n) counts per
// unit (at least 64): a histogram of ranks in bins of width w = ⌈2n/K⌉ and,
// beside it, exact counts for the ranks within ±(K/4) of the nominal rank.
// A quantile falling in the exact window is exact; otherwise it is
// interpolated within its bin and RankError bounds the error. Memory for
// ranks is thus at most max(RankMemory, 256·n) + 20·n bytes whatever N.
//
// Work that runs share is done once: per combination of the imputation,
// treatment and normalisation alternatives, the normalised indicators (with
// their logarithms, reciprocals or powers when a geometric, harmonic or
// generalised mean may need them) and the level-2 weights per weight
// alternative; and while no weight noise applies up to a level, that
// level's aggregates per combination of the weight and aggregation
// alternatives up to it, as long as they fit in CacheMemory (default
// DefaultUACacheMemory). EstimateUA gives the memory and work before a run.
// Results are identical for any number of workers and any cache bound, and
// a run of the nominal configuration reproduces Build's ranks exactly.
func Uncertainty(ctx context.Context, fw *Framework, d *Data, spec *UASpec, o UAOptions) (*UAResult, error) {
	if err := ValidateUA(spec, o.N); err != nil {
		return nil, err
	}
	nominal, err := Build(ctx, fw, d, o.Build)
	if err != nil {
		return nil, err
	}
	u, err := newUARunner(fw, nominal.Data(), spec, o, nominal)
	if err != nil {
		return nil, err
	}
	return u.execute(ctx)
}
