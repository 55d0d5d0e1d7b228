package analysis

import (
	"slices"
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

// diagnosable checks that some agglomeration of ds's default set (the
// paper's five, or those chosen) has data: values of its own or of a
// member province or city. Free units belong to no agglomeration.
func diagnosable(ds *dataset.Dataset) error {
	var codes []string
	if ds.Registry != nil {
		for _, a := range ds.Registry.Agglomerations() {
			codes = append(codes, a.Code)
		}
	}
	if ds.Registry == nil {
		return noUnitsError(i18n.T("数据没有城市群登记表，没有可诊断的城市群", "the data have no registry of agglomerations, so there is no agglomeration to diagnose"))
	}
	if ds.FreeUnits {
		return noUnitsError(i18n.Tf("数据中的 %d 个单元是自由单元（不是中国的行政区），不属于任何城市群，没有可诊断的城市群",
			"the %d units of the data are free units (not Chinese administrative regions) and belong to no agglomeration, so there is no agglomeration to diagnose", len(ds.Regions)))
	}
	counts := ds.RegionObservationCounts()
	has := func(code string) bool {
		i, ok := ds.RegionIndex(code)
		return ok && counts[i] > 0
	}
	for _, a := range ds.Registry.Agglomerations() {
		if has(a.Code) {
			return nil
		}
		for _, l := range []dataset.Level{dataset.LevelProvince, dataset.LevelCity} {
			if slices.ContainsFunc(a.MemberCodes(l), has) {
				return nil
			}
		}
	}
	return noUnitsError(i18n.Tf("数据中没有所查城市群（%[1]s）的数值，也没有其成员省份或城市的数值，没有可诊断的城市群",
		"the data hold no values of the agglomerations looked for (%[2]s), nor of their member provinces or cities, so there is no agglomeration to diagnose",
		agglomerationNames(ds, codes, i18n.ZH), agglomerationNames(ds, codes, i18n.EN)))
}

// Diagnose diagnoses ds. Data without any value of the agglomerations
// diagnosed or of their members give an error for which IsNoUnits holds.
func Diagnose(ds *dataset.Dataset, req DiagnosisRequest) (*DiagnosisResult, error) {
	cfg, err := req.config()
	if err != nil {
		return nil, err
	}
	if err := diagnosable(ds); err != nil {
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
