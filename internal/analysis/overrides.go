package analysis

import (
	"math"
	"slices"
	"strconv"
	"strings"

	"agglo/internal/composite"
	"agglo/internal/i18n"
)

// Step names a step of a composite index that a user may override. The
// names are also the fields of the API's requests.
type Step string

// Steps that overrides replace.
const (
	StepDenomination  Step = "denomination"
	StepScreening     Step = "screening"
	StepImputation    Step = "imputation"
	StepTreatment     Step = "treatment"
	StepNormalisation Step = "normalisation"
	StepWeights       Step = "weights"
	StepAggregation   Step = "aggregation"
)

// Overrides replace method choices of a framework. A nil field keeps the
// framework's choice; Weights and Aggregation apply to every aggregation
// level of the framework, whether or not its file lists the level.
type Overrides struct {
	Denominate    *bool
	Screening     *composite.Screening
	Imputation    *composite.Imputation
	Treatment     *composite.Treatment
	Normalisation *composite.Normalisation
	Weights       *composite.WeightSpec
	Aggregation   *composite.Aggregation
}

// IsZero reports whether o overrides nothing.
func (o Overrides) IsZero() bool {
	return o.Denominate == nil && o.Screening == nil && o.Imputation == nil && o.Treatment == nil && o.Normalisation == nil && o.Weights == nil && o.Aggregation == nil
}

// Apply returns base (the framework's steps, or steps given in full) with
// the overrides applied, and one level entry for every aggregation level
// 2..levels of the framework.
func (o Overrides) Apply(base composite.Steps, levels int) composite.Steps {
	st := base
	if o.Denominate != nil {
		st.Denominate = *o.Denominate
	}
	if o.Screening != nil {
		st.Screening = *o.Screening
	}
	if o.Imputation != nil {
		st.Imputation = *o.Imputation
	}
	if o.Treatment != nil {
		st.Treatment = *o.Treatment
	}
	if o.Normalisation != nil {
		st.Normalisation = *o.Normalisation
	}
	st.Levels = make([]composite.LevelStep, 0, max(levels-1, 0))
	for l := 2; l <= levels; l++ {
		ls := composite.LevelStep{Level: l, Weights: composite.WeightSpec{Method: composite.WeightsFramework}, Aggregation: composite.Aggregation{Method: composite.AggArithmetic}}
		for _, x := range base.Levels {
			if x.Level == l {
				ls = x
			}
		}
		if o.Weights != nil {
			ls.Weights = *o.Weights
		}
		if o.Aggregation != nil {
			ls.Aggregation = *o.Aggregation
		}
		st.Levels = append(st.Levels, ls)
	}
	return st
}

// OverrideText holds method choices as users write them on the command line
// (--normalise zscore:10,1) and in the API's fields ("normalisation":
// "zscore:10,1"). Empty strings override nothing.
type OverrideText struct {
	Denominate, Screening                                      string
	Imputation, Treatment, Normalisation, Weights, Aggregation string
}

// OverrideError is a method choice that does not parse; Step says which.
type OverrideError struct {
	Step  Step
	Value string
	Err   error
}

func (e *OverrideError) Error() string { return e.Err.Error() }
func (e *OverrideError) Unwrap() error { return e.Err }

// Localized implements i18n.Localizer.
func (e *OverrideError) Localized(lang string) string { return i18n.Message(e.Err, lang) }

// ParseOverrides parses every method choice of t. The first that does not
// parse is returned as an *OverrideError naming its step.
func ParseOverrides(t OverrideText) (Overrides, error) {
	var o Overrides
	wrap := func(step Step, v string, err error) error {
		return &OverrideError{Step: step, Value: v, Err: err}
	}
	if t.Denominate != "" {
		v, err := strconv.ParseBool(strings.TrimSpace(t.Denominate))
		if err != nil {
			return o, wrap(StepDenomination, t.Denominate, i18n.Errorf("只能是 true 或 false（收到“%s”）", "must be true or false (got %q)", t.Denominate))
		}
		o.Denominate = &v
	}
	if t.Screening != "" {
		m, err := ParseScreening(t.Screening)
		if err != nil {
			return o, wrap(StepScreening, t.Screening, err)
		}
		o.Screening = &m
	}
	if t.Imputation != "" {
		m, err := ParseImputation(t.Imputation)
		if err != nil {
			return o, wrap(StepImputation, t.Imputation, err)
		}
		o.Imputation = &m
	}
	if t.Treatment != "" {
		m, err := ParseTreatment(t.Treatment)
		if err != nil {
			return o, wrap(StepTreatment, t.Treatment, err)
		}
		o.Treatment = &m
	}
	if t.Normalisation != "" {
		m, err := ParseNormalisation(t.Normalisation)
		if err != nil {
			return o, wrap(StepNormalisation, t.Normalisation, err)
		}
		o.Normalisation = &m
	}
	if t.Weights != "" {
		m, err := ParseWeights(t.Weights)
		if err != nil {
			return o, wrap(StepWeights, t.Weights, err)
		}
		o.Weights = &m
	}
	if t.Aggregation != "" {
		m, err := ParseAggregation(t.Aggregation)
		if err != nil {
			return o, wrap(StepAggregation, t.Aggregation, err)
		}
		o.Aggregation = &m
	}
	return o, nil
}

// The method names each step accepts, in the order the help text lists
// them.
var (
	imputationNames    = []string{composite.ImputeNone, composite.ImputeMean, composite.ImputeMedian, composite.ImputeGroupMean, composite.ImputeGroupMedian}
	treatmentNames     = []string{"none", "coinr", "winsorise", "percentile"}
	normalisationNames = []string{composite.NormMinMax, composite.NormZScore, composite.NormRank, composite.NormPRank, composite.NormDist2Max,
		composite.NormDist2Ref, composite.NormFracMax, composite.NormGoalposts, composite.NormNone}
	weightNames      = []string{composite.WeightsFramework, composite.WeightsEqual, composite.WeightsEntropy, composite.WeightsCRITIC, composite.WeightsCV, composite.WeightsPCA}
	entropyVariants  = []string{composite.EntropyStrict, composite.EntropyShift, composite.EntropyEpsilon, composite.EntropyRaw}
	aggregationNames = []string{composite.AggArithmetic, composite.AggGeometric, composite.AggHarmonic, composite.AggGeneralised, composite.AggTOPSIS, composite.AggGRA}
)

// MinMaxLower and MinMaxUpper are the range of a min-max normalisation
// written without bounds ("minmax"), on the command line, in the API and
// in frameworks alike: [0, 100], COINr's default (n_minmax l_u = c(0, 100)).
const (
	MinMaxLower = 0
	MinMaxUpper = 100
)

// split cuts "method:a,b" into the lower-case method and its argument text.
func split(s string) (method, args string, hasArgs bool) {
	method, args, hasArgs = strings.Cut(strings.TrimSpace(s), ":")
	return strings.ToLower(strings.TrimSpace(method)), strings.TrimSpace(args), hasArgs
}

// numbers parses "a,b" into n finite numbers.
func numbers(args string, n int) ([]float64, bool) {
	parts := strings.Split(args, ",")
	if len(parts) != n {
		return nil, false
	}
	out := make([]float64, n)
	for i, p := range parts {
		v, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, false
		}
		out[i] = v
	}
	return out, true
}

func unknownChoice(step Step, stepZH, got string, known []string) error {
	return i18n.Errorf("未知的%s方法“%s”（可选：%s）", "unknown %[4]s method %[2]q (use one of: %[3]s)", stepZH, got, strings.Join(known, ", "), string(step))
}

func badArgs(got, example string) error {
	return i18n.Errorf("取值无效“%s”（例如 %s）", "invalid value %q (for example %s)", got, example)
}

// ParseNormalisation parses a normalisation: minmax (to [0,100]),
// minmax:l,u, zscore (mean 0, sd 1), zscore:m,s, rank, prank, dist2max,
// dist2ref:UNIT or dist2ref:UNIT,cap (scores capped at 1), fracmax,
// goalposts, goalposts:scale or none.
func ParseNormalisation(s string) (composite.Normalisation, error) {
	method, args, has := split(s)
	n := composite.Normalisation{Method: method}
	if !slices.Contains(normalisationNames, method) {
		return n, unknownChoice(StepNormalisation, "标准化", method, normalisationNames)
	}
	switch method {
	case composite.NormMinMax:
		n.Lower, n.Upper = MinMaxLower, MinMaxUpper
		if has {
			v, ok := numbers(args, 2)
			if !ok || !(v[0] < v[1]) {
				return n, badArgs(s, "minmax:0,100")
			}
			n.Lower, n.Upper = v[0], v[1]
		}
	case composite.NormZScore:
		n.Mean, n.SD = 0, 1
		if has {
			v, ok := numbers(args, 2)
			if !ok || !(v[1] > 0) {
				return n, badArgs(s, "zscore:10,1")
			}
			n.Mean, n.SD = v[0], v[1]
		}
	case composite.NormDist2Ref:
		if args == "" {
			return n, badArgs(s, "dist2ref:110000")
		}
		n.Reference = args
		if ref, opt, ok := strings.Cut(args, ","); ok {
			if strings.TrimSpace(opt) != "cap" || strings.TrimSpace(ref) == "" {
				return n, badArgs(s, "dist2ref:110000,cap")
			}
			n.Reference, n.CapMax = strings.TrimSpace(ref), true
		}
	case composite.NormGoalposts:
		n.Scale = 100
		if has {
			v, ok := numbers(args, 1)
			if !ok || !(v[0] > 0) {
				return n, badArgs(s, "goalposts:100")
			}
			n.Scale = v[0]
		}
	default:
		if has {
			return n, badArgs(s, method)
		}
	}
	return n, nil
}

// ParseAggregation parses an aggregation: arithmetic, geometric, harmonic,
// generalised:p, topsis, gra or gra:rho.
func ParseAggregation(s string) (composite.Aggregation, error) {
	method, args, has := split(s)
	a := composite.Aggregation{Method: method}
	if !slices.Contains(aggregationNames, method) {
		return a, unknownChoice(StepAggregation, "集成", method, aggregationNames)
	}
	switch method {
	case composite.AggGeneralised:
		v, ok := numbers(args, 1)
		if !has || !ok {
			return a, badArgs(s, "generalised:0.5")
		}
		a.P = v[0]
	case composite.AggGRA:
		a.Rho = 0.5
		if has {
			v, ok := numbers(args, 1)
			if !ok || !(v[0] > 0 && v[0] <= 1) {
				return a, badArgs(s, "gra:0.5")
			}
			a.Rho = v[0]
		}
	default:
		if has {
			return a, badArgs(s, method)
		}
	}
	return a, nil
}

// ParseWeights parses a weighting: framework, equal, entropy,
// entropy:VARIANT (strict, shift, epsilon, raw), critic, cv, pca, or a
// combination of the framework's (subjective) weights with an objective
// method: combined:OBJECTIVE[,ALPHA] (linear, α the subjective share,
// default 0.5) or combined:OBJECTIVE,multiplicative; OBJECTIVE is equal,
// entropy[:VARIANT], critic, cv or pca.
func ParseWeights(s string) (composite.WeightSpec, error) {
	method, args, has := split(s)
	w := composite.WeightSpec{Method: method}
	if method == composite.WeightsCombined {
		return parseCombined(s, args)
	}
	if !slices.Contains(weightNames, method) {
		return w, unknownChoice(StepWeights, "权重", method, append(slices.Clone(weightNames), "combined:OBJECTIVE"))
	}
	switch {
	case method == composite.WeightsEntropy:
		w.Entropy = composite.EntropyStrict
		if has {
			if !slices.Contains(entropyVariants, strings.ToLower(args)) {
				return w, badArgs(s, "entropy:"+strings.Join(entropyVariants, "|"))
			}
			w.Entropy = strings.ToLower(args)
		}
	case has:
		return w, badArgs(s, method)
	}
	return w, nil
}

// parseCombined parses the arguments of combined:OBJECTIVE[,ALPHA|,multiplicative].
func parseCombined(s, args string) (composite.WeightSpec, error) {
	example := "combined:entropy,0.5"
	parts := strings.Split(args, ",")
	if args == "" || len(parts) > 2 {
		return composite.WeightSpec{}, badArgs(s, example)
	}
	obj, err := ParseWeights(parts[0])
	if err != nil || obj.Method == composite.WeightsFramework {
		return composite.WeightSpec{}, badArgs(s, example)
	}
	w := composite.WeightSpec{Method: composite.WeightsCombined, Objective: obj.Method, Entropy: obj.Entropy, Combine: composite.CombineLinear, Alpha: 0.5}
	if len(parts) == 2 {
		switch p := strings.ToLower(strings.TrimSpace(parts[1])); p {
		case composite.CombineMultiplicative:
			w.Combine, w.Alpha = composite.CombineMultiplicative, 0
		default:
			v, ok := numbers(p, 1)
			if !ok || !(v[0] >= 0 && v[0] <= 1) {
				return composite.WeightSpec{}, badArgs(s, example)
			}
			w.Alpha = v[0]
		}
	}
	return w, nil
}

// ParseTreatment parses an outlier treatment: none, coinr (COINr's
// default winsorisation, up to 5 points), winsorise:N or
// winsorise:N,SKEW,KURT[,FALLBACK] (the skewness and kurtosis thresholds,
// default 2 and 3.5, and the fall-back log_ct or none), percentile (5th
// and 95th) or percentile:lo,hi.
func ParseTreatment(s string) (composite.Treatment, error) {
	method, args, has := split(s)
	t := composite.Treatment{}
	switch method {
	case "none":
		t.Method = composite.TreatNone
	case "coinr", "winsorise":
		t.Method, t.WinMax = composite.TreatWinsorise, 5
		if has {
			parts := strings.Split(args, ",")
			n, err := strconv.Atoi(strings.TrimSpace(parts[0]))
			if err != nil || n < 1 || len(parts) == 2 || len(parts) > 4 {
				return t, badArgs(s, "winsorise:5,2,3.5,log_ct")
			}
			t.WinMax = n
			if len(parts) >= 3 {
				v, ok := numbers(strings.Join(parts[1:3], ","), 2)
				if !ok || !(v[0] > 0) || !(v[1] > 0) {
					return t, badArgs(s, "winsorise:5,2,3.5")
				}
				t.SkewThresh, t.KurtThresh = v[0], v[1]
			}
			if len(parts) == 4 {
				switch f := strings.ToLower(strings.TrimSpace(parts[3])); f {
				case "log_ct", "none":
					t.Fallback = f
				default:
					return t, badArgs(s, "winsorise:5,2,3.5,log_ct")
				}
			}
		}
	case "percentile":
		t.Method, t.Lower, t.Upper = composite.TreatPercentile, 0.05, 0.95
		if has {
			v, ok := numbers(args, 2)
			if !ok || !(0 <= v[0] && v[0] < v[1] && v[1] <= 1) {
				return t, badArgs(s, "percentile:0.05,0.95")
			}
			t.Lower, t.Upper = v[0], v[1]
		}
	default:
		return t, unknownChoice(StepTreatment, "异常值处理", method, treatmentNames)
	}
	if method == "none" && has {
		return t, badArgs(s, "none")
	}
	return t, nil
}

// ParseImputation parses an imputation: none, mean, median,
// group_mean[:GROUP] or group_median[:GROUP] (also written group-mean,
// group-median); the group defaults to the unit's agglomeration.
func ParseImputation(s string) (composite.Imputation, error) {
	method, args, has := split(s)
	method = strings.ReplaceAll(method, "-", "_")
	m := composite.Imputation{Method: method}
	if !slices.Contains(imputationNames, method) {
		return m, unknownChoice(StepImputation, "插补", method, imputationNames)
	}
	switch method {
	case composite.ImputeGroupMean, composite.ImputeGroupMedian:
		m.Group = GroupAgglomeration
		if has {
			if args == "" {
				return m, badArgs(s, method+":"+GroupAgglomeration)
			}
			m.Group = args
		}
	default:
		if has {
			return m, badArgs(s, method)
		}
	}
	return m, nil
}

// screeningNames are the screening methods, as COINr names them.
var screeningNames = []string{composite.ScreenNone, composite.ScreenByNA, composite.ScreenByZeros, composite.ScreenByNAAndZeros}

// ParseScreening parses a screening of units by data availability (COINr
// Screen): none, byNA[:DAT_THRESH], byzeros[:NONZERO_THRESH] or
// byNAandzeros[:DAT_THRESH,NONZERO_THRESH]; thresholds in [0, 1], by
// default 2/3 and 0.05 as COINr's.
func ParseScreening(s string) (composite.Screening, error) {
	method, args, has := split(s)
	sc := composite.Screening{}
	for _, n := range screeningNames {
		if strings.EqualFold(n, method) {
			sc.Method = n
		}
	}
	if sc.Method == "" {
		return sc, unknownChoice(StepScreening, "筛选", method, screeningNames)
	}
	in01 := func(v float64) bool { return v >= 0 && v <= 1 }
	switch sc.Method {
	case composite.ScreenNone:
		if has {
			return sc, badArgs(s, "none")
		}
	case composite.ScreenByNA, composite.ScreenByZeros:
		if has {
			v, ok := numbers(args, 1)
			if !ok || !in01(v[0]) {
				return sc, badArgs(s, sc.Method+":0.66")
			}
			if sc.Method == composite.ScreenByNA {
				sc.DatThresh = v[0]
			} else {
				sc.NonzeroThresh = v[0]
			}
		}
	case composite.ScreenByNAAndZeros:
		if has {
			v, ok := numbers(args, 2)
			if !ok || !in01(v[0]) || !in01(v[1]) {
				return sc, badArgs(s, "byNAandzeros:0.66,0.05")
			}
			sc.DatThresh, sc.NonzeroThresh = v[0], v[1]
		}
	}
	return sc, nil
}
