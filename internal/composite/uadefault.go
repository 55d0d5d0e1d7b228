package composite

import (
	"slices"
	"strings"
)

// DefaultUASpecYAML is the text of DefaultUASpec, for users of
// `agglo index uncertainty --spec` who start from the default.
//
// It varies the outlier treatment (none, or COINr's default winsorisation:
// up to 5 points, then log_CT), the normalisation (min-max to [0, 100], or
// z-scores), the indicator weights (the framework's, or equal) and adds ±25 %
// noise to the indicator weights. The alternatives are those of agglo's
// default build (no treatment, min-max [0, 100], framework weights,
// arithmetic means), and include_nominal adds the nominal build's own method
// to any choice that lacks it (for instance "normalisation: none" for the
// CRIC framework), so the nominal configuration is always one of those
// sampled and the nominal ranks lie in their own distribution.
//
// The aggregation is not varied: a geometric or harmonic mean refuses the
// zeros that min-max normalisation gives every indicator's minimum, so half
// the runs would fail.
const DefaultUASpecYAML = `# agglo's default uncertainty specification. Each choice holds the nominal
# build's method among its alternatives (include_nominal adds it when the
# nominal differs), so the nominal ranks lie in their own distribution.
sensitivity: false
include_nominal: true
choices:
  - name: treatment
    step: treatment
    alternatives: [{method: none}, {method: winsorise, winmax: 5}]
  - name: normalisation
    step: normalisation
    alternatives: [{method: minmax, lower: 0, upper: 100}, {method: zscore, mean: 0, sd: 1}]
  - name: weights
    step: weights
    level: 2
    alternatives: [{method: framework}, {method: equal}]
  - {name: weight_noise, step: weight_noise, level: 2, factor: 0.25}
`

// DefaultUASpec returns a new copy of the default uncertainty specification
// (DefaultUASpecYAML). Callers that set Sensitivity or Bootstrap change only
// their copy.
func DefaultUASpec() *UASpec {
	spec, err := ParseUASpec(strings.NewReader(DefaultUASpecYAML))
	if err != nil {
		panic("composite: the default uncertainty specification does not parse: " + err.Error())
	}
	return spec
}

// resolveChoices returns the choices of spec, with the nominal method added
// as the first alternative of each discrete choice lacking it when
// spec.IncludeNominal, and whether every choice then holds the nominal.
// spec is not changed. A weights or aggregation choice of every level
// (Level 0) can hold the nominal only if the nominal uses one method at
// every level.
func resolveChoices(spec *UASpec, nominal Steps) ([]Choice, bool) {
	out := slices.Clone(spec.Choices)
	all := true
	for i := range out {
		c := &out[i]
		has, add := nominalIn(c, nominal, spec.IncludeNominal)
		if !has && add != nil {
			add()
			has = true
		}
		all = all && has
	}
	return out, all
}

// nominalIn reports whether c holds the nominal method, and if not (and
// include is set) returns a function that prepends it to a fresh copy of
// c's alternatives.
func nominalIn(c *Choice, s Steps, include bool) (bool, func()) {
	levels := func() []LevelStep {
		if c.Level == 0 {
			return s.Levels
		}
		if c.Level-2 < len(s.Levels) {
			return s.Levels[c.Level-2 : c.Level-1]
		}
		return nil
	}()
	switch c.Step {
	case ChoiceImputation:
		nom := canonImputation(s.Imputation)
		if slices.ContainsFunc(c.imputations, func(a Imputation) bool { return canonImputation(a) == nom }) {
			return true, nil
		}
		return false, prepend(include, &c.imputations, s.Imputation)
	case ChoiceTreatment:
		nom := canonTreatment(s.Treatment)
		if slices.ContainsFunc(c.treatments, func(a Treatment) bool { return canonTreatment(a) == nom }) {
			return true, nil
		}
		return false, prepend(include, &c.treatments, s.Treatment)
	case ChoiceNormalisation:
		nom := canonNormalisation(s.Normalisation)
		if slices.ContainsFunc(c.norms, func(a Normalisation) bool { return canonNormalisation(a) == nom }) {
			return true, nil
		}
		return false, prepend(include, &c.norms, s.Normalisation)
	case ChoiceWeights:
		if len(levels) == 0 {
			return false, nil
		}
		nom := canonWeights(levels[0].Weights)
		for _, ls := range levels[1:] {
			if canonWeights(ls.Weights) != nom {
				return false, nil
			}
		}
		if slices.ContainsFunc(c.weights, func(a WeightSpec) bool { return canonWeights(a) == nom }) {
			return true, nil
		}
		return false, prepend(include, &c.weights, levels[0].Weights)
	case ChoiceAggregation:
		if len(levels) == 0 {
			return false, nil
		}
		nom := canonAggregation(levels[0].Aggregation)
		for _, ls := range levels[1:] {
			if canonAggregation(ls.Aggregation) != nom {
				return false, nil
			}
		}
		if slices.ContainsFunc(c.aggs, func(a Aggregation) bool { return canonAggregation(a) == nom }) {
			return true, nil
		}
		return false, prepend(include, &c.aggs, levels[0].Aggregation)
	}
	// weight_noise: the nominal weights are the centre of the noise.
	return true, nil
}

func prepend[T any](include bool, alts *[]T, nom T) func() {
	if !include {
		return nil
	}
	return func() { *alts = append([]T{nom}, *alts...) }
}

// The canon functions keep only the fields that matter to a method, with
// defaults filled in, so that equal methods compare equal.

func canonImputation(s Imputation) Imputation {
	if s.Method == "" {
		s.Method = ImputeNone
	}
	if s.Method != ImputeGroupMean && s.Method != ImputeGroupMedian {
		s.Group = ""
	}
	return s
}

func canonTreatment(s Treatment) Treatment {
	if s.Method == "" {
		s.Method = TreatNone
	}
	s = s.withDefaults()
	switch s.Method {
	case TreatWinsorise:
		return Treatment{Method: s.Method, WinMax: s.WinMax, SkewThresh: s.SkewThresh, KurtThresh: s.KurtThresh, Fallback: s.Fallback}
	case TreatPercentile:
		return Treatment{Method: s.Method, Lower: s.Lower, Upper: s.Upper}
	}
	return Treatment{Method: s.Method}
}

func canonNormalisation(s Normalisation) Normalisation {
	if s.Method == "" {
		s.Method = NormMinMax
	}
	s = s.withDefaults()
	switch s.Method {
	case NormMinMax:
		return Normalisation{Method: s.Method, Lower: s.Lower, Upper: s.Upper}
	case NormZScore:
		return Normalisation{Method: s.Method, Mean: s.Mean, SD: s.SD}
	case NormDist2Ref:
		return Normalisation{Method: s.Method, Reference: s.Reference, CapMax: s.CapMax}
	case NormGoalposts:
		return Normalisation{Method: s.Method, Scale: s.Scale}
	}
	return Normalisation{Method: s.Method}
}

func canonWeights(s WeightSpec) WeightSpec {
	s = s.withDefaults()
	out := WeightSpec{Method: s.Method, Set: s.Set} // sets compare by identity
	if s.Method == WeightsEntropy {
		out.Entropy = s.Entropy
	}
	if s.Method == WeightsCombined {
		out.Objective, out.Combine = s.Objective, s.Combine
		if s.Objective == WeightsEntropy {
			out.Entropy = s.Entropy
		}
		if s.Combine == CombineLinear {
			out.Alpha = s.Alpha
		}
	}
	return out
}

func canonAggregation(s Aggregation) Aggregation {
	s = s.withDefaults()
	switch s.Method {
	case AggGeneralised:
		return Aggregation{Method: s.Method, P: s.P}
	case AggGRA:
		return Aggregation{Method: s.Method, Rho: s.Rho}
	}
	return Aggregation{Method: s.Method}
}
