package analysis

import (
	"strings"

	"agglo/internal/dataset"
	"agglo/internal/diagnose"
	"agglo/internal/i18n"
	"agglo/internal/strategy"
)

// DiagnosisRequest asks for the diagnosis of the five agglomerations (or
// of one, by code).
type DiagnosisRequest struct {
	// Config holds the thresholds and stage rules; nil takes the embedded
	// ones.
	Config *diagnose.Config
	// Agglomeration keeps only this agglomeration ("" keeps all).
	Agglomeration string
}

// DiagnosisResult is the diagnosis with the names of every label it uses.
type DiagnosisResult struct {
	*diagnose.Result
	// Labels name the modes, levels, stages and problems in both
	// languages.
	Labels map[string]i18n.Text `json:"labels"`
}

func (r DiagnosisRequest) config() (diagnose.Config, error) {
	if r.Config != nil {
		return *r.Config, nil
	}
	return diagnose.DefaultConfig()
}

func noAgglomeration(ds *dataset.Dataset, code string) error {
	return notFound(FieldAgglomeration, i18n.Errorf("没有代码为“%s”的城市群（可选 %s）", "no agglomeration %q (use %s)", code, strings.Join(ds.Registry.AllAgglomerationCodes(), ", ")))
}

// Diagnose diagnoses ds.
func Diagnose(ds *dataset.Dataset, req DiagnosisRequest) (*DiagnosisResult, error) {
	cfg, err := req.config()
	if err != nil {
		return nil, err
	}
	res, err := diagnose.Run(ds, cfg)
	if err != nil {
		return nil, fieldError(FieldDataset, err)
	}
	if code := strings.ToUpper(strings.TrimSpace(req.Agglomeration)); code != "" {
		a, ok := res.Agglomeration(code)
		if !ok {
			return nil, noAgglomeration(ds, req.Agglomeration)
		}
		res = only(res, a)
	}
	return &DiagnosisResult{Result: res, Labels: diagnose.Labels()}, nil
}

// only narrows a diagnosis to one agglomeration, keeping the settings
// (thresholds, the confidence level) and that agglomeration's rows of the
// sensitivity table.
func only(res *diagnose.Result, a *diagnose.Agglomeration) *diagnose.Result {
	out := &diagnose.Result{Thresholds: res.Thresholds, StageSource: res.StageSource, UncertainBelow: res.UncertainBelow,
		Agglomerations: []diagnose.Agglomeration{*a}, Sensitivity: []diagnose.SensitivityRow{}}
	for _, row := range res.Sensitivity {
		if row.Agglomeration == a.Code {
			out.Sensitivity = append(out.Sensitivity, row)
		}
	}
	return out
}

// StrategyRequest asks for recommended modes and strategies under a
// scenario.
type StrategyRequest struct {
	Diagnosis DiagnosisRequest
	// Scenario is the environment (BaselineScenario: the paper's).
	Scenario strategy.Scenario
	// Rulebook holds the rules; nil takes the embedded rulebook.
	Rulebook *strategy.Rulebook
}

// StrategyResult holds the recommendations with the names of the labels.
type StrategyResult struct {
	*strategy.Result
	Labels map[string]i18n.Text `json:"labels"`
	// Diagnosis is the diagnosis the rules read.
	Diagnosis *DiagnosisResult `json:"-"`
}

// Strategy diagnoses ds and applies the rulebook under the scenario.
func Strategy(ds *dataset.Dataset, req StrategyRequest) (*StrategyResult, error) {
	code := req.Diagnosis.Agglomeration
	req.Diagnosis.Agglomeration = ""
	diag, err := Diagnose(ds, req.Diagnosis)
	if err != nil {
		return nil, err
	}
	rb := req.Rulebook
	if rb == nil {
		if rb, err = strategy.DefaultRulebook(); err != nil {
			return nil, err
		}
	}
	sc := req.Scenario
	if sc == (strategy.Scenario{}) {
		sc = strategy.Baseline()
	}
	if err := sc.Validate(); err != nil {
		return nil, fieldError("scenario", err)
	}
	res, err := strategy.Recommend(diag.Result, sc, rb)
	if err != nil {
		return nil, fieldError("rulebook", err)
	}
	if code = strings.ToUpper(strings.TrimSpace(code)); code != "" {
		var keep []strategy.Agglomeration
		for _, a := range res.Agglomerations {
			if a.Code == code {
				keep = append(keep, a)
			}
		}
		if keep == nil {
			return nil, noAgglomeration(ds, req.Diagnosis.Agglomeration)
		}
		res.Agglomerations = keep
		if a, ok := diag.Agglomeration(code); ok {
			diag = &DiagnosisResult{Result: only(diag.Result, a), Labels: diag.Labels}
		}
	}
	return &StrategyResult{Result: res, Labels: diag.Labels, Diagnosis: diag}, nil
}

// BaselineScenario is the paper's scenario: domestic stable, international
// turbulent, resources abundant, stage from the diagnosis.
func BaselineScenario() strategy.Scenario { return strategy.Baseline() }

// ParseScenario reads "key=value,..." over the baseline (see
// strategy.ParseScenario).
func ParseScenario(s string) (strategy.Scenario, error) { return strategy.ParseScenario(s) }

// ParseRulebook reads a rulebook; name locates its errors.
func ParseRulebook(b []byte, name string) (*strategy.Rulebook, error) {
	return strategy.ParseRulebook(b, name)
}

// CheckRulebook lists every problem of a rulebook, with the rulebook when
// it parses.
func CheckRulebook(b []byte, name string) ([]strategy.Issue, *strategy.Rulebook) {
	return strategy.CheckRulebook(b, name)
}

// EmbeddedRulebook returns the text of the embedded rulebook.
func EmbeddedRulebook() []byte { return strategy.DefaultRulebookYAML() }
