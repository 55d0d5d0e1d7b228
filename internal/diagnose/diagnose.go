// Package diagnose reads an agglomeration's innovation modes from data and
// says how sure it is: the spatial mode (core-led or multi-point parallel)
// from the size of the member cities around the designated cores, the
// siphon or spread of the cores over time, the level against the national
// distribution, the openness mode from openness data, the problems with the
// metrics that triggered them, the development stage by a published
// classification (or why it cannot be assessed), and for every label its
// confidence: the share of variants (thresholds, indicators, spatial unit,
// years, partial members) that agree. The paper's own assessment is
// embedded and set beside the computed one.
//
// Thresholds live in the embedded thresholds.yaml (DefaultThresholdsYAML),
// each with its kind and source; the rules are documented in
// docs/methods.md#diagnosis. All user-visible text comes in Chinese and
// English.
package diagnose

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"agglo/internal/dataset"
	"agglo/internal/i18n"
)

// Mode, level and flow labels.
const (
	CoreLed             = "core-led"
	MultiPoint          = "multi-point"
	ExternalCooperation = "external-cooperation"
	InternalCreation    = "internal-creation"
	Balanced            = "balanced"
	Undetermined        = "undetermined"
	High                = "high"
	Low                 = "low"
	Siphon              = "siphon"
	Spread              = "spread"
	Stable              = "stable"
	// DomesticCirculation is a recommended openness direction (strategy):
	// domestic circulation first, international supplementary.
	DomesticCirculation = "domestic-circulation"

	ResolutionProvince = "province"
	ResolutionCity     = "city"
)

// Axes of a diagnosis; a problem's axis is "problem:<id>".
const (
	AxisSpatial  = "spatial_mode"
	AxisLevel    = "level"
	AxisOpenness = "openness_mode"
	AxisFlow     = "flow"
	AxisStage    = "stage"
)

// ProblemAxis is the axis of a problem's finding.
func ProblemAxis(id string) string { return "problem:" + id }

// Evidence is one metric checked against its threshold. Op is the
// comparison that triggers the label or problem ("≥", "≤", ">", "<"); Met
// says whether it holds. Name names the metric and Text says the whole in
// words, in both languages.
type Evidence struct {
	Metric    string    `json:"metric"`
	Name      i18n.Text `json:"name"`
	Value     float64   `json:"value"`
	Threshold float64   `json:"threshold"`
	Op        string    `json:"op"`
	Met       bool      `json:"met"`
	Text      i18n.Text `json:"text"`
}

func (e Evidence) String() string {
	return fmt.Sprintf("%s = %.3g %s %.3g", e.Metric, e.Value, opText(e.Op, e.Met), e.Threshold)
}

func opText(op string, met bool) string {
	if met {
		return op
	}
	switch op {
	case "≥":
		return "<"
	case "≤":
		return ">"
	case ">":
		return "≤"
	case "<":
		return "≥"
	}
	return "!" + op
}

// Problem is a problem the data show, with the evidence that triggered it.
type Problem struct {
	ID       string     `json:"id"`
	Name     i18n.Text  `json:"name"`
	Evidence []Evidence `json:"evidence"`
}

// Unassessed is a problem the data cannot assess, with the reason and the
// data that would.
type Unassessed struct {
	ID     string    `json:"id"`
	Reason i18n.Text `json:"reason"`
	Needs  i18n.Text `json:"needs"`
}

// MemberValue is one member's value of the indicator a label used.
type MemberValue struct {
	Code    string  `json:"code"`
	Name    string  `json:"name_zh"`
	NameE   string  `json:"name_en"`
	Value   float64 `json:"value"`
	Core    bool    `json:"core,omitempty"`
	Partial bool    `json:"partial,omitempty"`
}

// MemberRef names a member, for the lists of members without data or
// counted partly.
type MemberRef struct {
	Code   string `json:"code"`
	NameZH string `json:"name_zh"`
	NameEN string `json:"name_en"`
}

// Confidence summarises the findings' confidence per axis (the share of
// variants that give the nominal label); see Agglomeration.Findings for
// the split and the variants.
type Confidence struct {
	Variants     int                       `json:"variants"`
	SpatialMode  float64                   `json:"spatial_mode"`
	Level        float64                   `json:"level"`
	OpennessMode float64                   `json:"openness_mode"`
	Flow         float64                   `json:"flow"`
	Stage        float64                   `json:"stage"`
	Problems     map[string]float64        `json:"problems"`
	Alternatives map[string]map[string]int `json:"alternatives"`
}

// Published is the paper's own assessment of one agglomeration.
type Published struct {
	SpatialMode   string             `json:"spatial_mode"`
	Level         string             `json:"level"`
	SpatialRefs   []string           `json:"spatial_refs"`
	SpatialBasis  i18n.Text          `json:"spatial_basis"`
	OpennessMode  string             `json:"openness_mode"`
	OpennessRefs  []string           `json:"openness_refs"`
	OpennessBasis i18n.Text          `json:"openness_basis"`
	Problems      []PublishedProblem `json:"problems"`
}

// HasProblem reports whether the paper names problem id.
func (p *Published) HasProblem(id string) bool {
	if p == nil {
		return false
	}
	for _, pr := range p.Problems {
		if pr.ID == id {
			return true
		}
	}
	return false
}

// PublishedProblem is a problem the paper names, with its sections.
type PublishedProblem struct {
	ID    string   `json:"id"`
	Refs  []string `json:"refs"`
	Quote string   `json:"quote"`
}

// Agreement statuses.
const (
	Agree         = "agree"
	Disagree      = "disagree"
	NotAssessable = "not_assessable" // the data cannot see it
	NotStated     = "not_stated"     // the paper gives no label
	ComputedOnly  = "computed_only"  // a problem the data show and the paper does not name
)

// Comparison sets a computed label beside the paper's.
type Comparison struct {
	Paper    string    `json:"paper"`
	Computed string    `json:"computed"`
	Status   string    `json:"status"`
	Reason   i18n.Text `json:"reason"`
}

// ProblemComparison compares one problem.
type ProblemComparison struct {
	ID       string    `json:"id"`
	Paper    bool      `json:"paper"`
	Computed bool      `json:"computed"`
	Refs     []string  `json:"refs,omitempty"`
	Status   string    `json:"status"`
	Reason   i18n.Text `json:"reason"`
}

// Agreement compares the computed diagnosis with the paper's.
type Agreement struct {
	SpatialMode  Comparison          `json:"spatial_mode"`
	Level        Comparison          `json:"level"`
	OpennessMode Comparison          `json:"openness_mode"`
	Problems     []ProblemComparison `json:"problems"`
}

// Agglomeration is the diagnosis of one agglomeration. The string labels
// (SpatialMode, Level, OpennessMode, Stage) are the nominal ones; Findings
// carry each with its confidence, split and status (uncertain below the
// configured level), and Narrative says it all in sentences.
type Agglomeration struct {
	Code     string            `json:"code"`
	NameZH   string            `json:"name_zh"`
	NameEN   string            `json:"name_en"`
	Tier     string            `json:"tier,omitempty"`
	Sourcing *dataset.Sourcing `json:"sourcing,omitempty"`
	// DataResolution is the spatial unit of the level assessment (city or
	// province); Capacity its indicator and Year its year. Data says, for
	// each axis, which data it was read from (city or province data, the
	// indicators and years), and DataText says it in one sentence.
	DataResolution string     `json:"data_resolution"`
	Data           []AxisData `json:"data_resolutions"`
	DataText       i18n.Text  `json:"data_text"`
	Capacity       string     `json:"capacity_indicator"`
	Year           int        `json:"year"`
	// Members are the member cities with the size indicator of the
	// spatial assessment (SizeIndicator, SizeYear), or, without city size
	// data, the members with the level indicator (Capacity);
	// MissingMembers have no size value, PartialMembers are only partly
	// inside the agglomeration.
	Members       []MemberValue `json:"members"`
	SizeIndicator string        `json:"size_indicator,omitempty"`
	SizeYear      int           `json:"size_year,omitempty"`
	// SpatialReadings are the size readings behind the spatial mode, the
	// nominal one first: which indicator and year each variant used and
	// the label it gives.
	SpatialReadings []SizeReading `json:"spatial_readings"`
	MissingMembers  []MemberRef   `json:"missing_members"`
	PartialMembers  []MemberRef   `json:"partial_members"`
	// Cores are the designated core cities (from the membership list);
	// CoresDesignated is false when the sources name none and the largest
	// member stands in.
	Cores            []string   `json:"cores,omitempty"`
	CoresDesignated  bool       `json:"cores_designated"`
	SpatialMode      string     `json:"spatial_mode"`
	SpatialEvidence  []Evidence `json:"spatial_evidence"`
	Level            string     `json:"level"`
	LevelEvidence    []Evidence `json:"level_evidence"`
	OpennessMode     string     `json:"openness_mode"`
	OpennessEvidence []Evidence `json:"openness_evidence"`
	// Flow is the siphon or spread of the cores between two years.
	Flow            *Flow           `json:"flow,omitempty"`
	Stage           string          `json:"stage"`
	StageSource     string          `json:"stage_source"` // computed | override | undetermined
	StageIndex      *float64        `json:"stage_index,omitempty"`
	StageEvidence   []Evidence      `json:"stage_evidence"`
	StageAssessment StageAssessment `json:"stage_assessment"`
	Problems        []Problem       `json:"problems"`
	Unassessed      []Unassessed    `json:"unassessed"`
	Notes           []i18n.Text     `json:"notes"`
	Findings        []Finding       `json:"findings"`
	Confidence      Confidence      `json:"confidence"`
	Narrative       []i18n.Text     `json:"narrative"`
	Published       *Published      `json:"published"`
	Agreement       Agreement       `json:"agreement"`

	// ProblemChecks are the evidence of every problem checked, met or
	// not (Problems keep the evidence that met its threshold).
	ProblemChecks map[string][]Evidence `json:"problem_checks"`

	checks     map[string][]Evidence
	unassessed map[string]i18n.Text
}

// HasProblem reports whether the computed diagnosis found problem id.
func (a *Agglomeration) HasProblem(id string) bool {
	for _, p := range a.Problems {
		if p.ID == id {
			return true
		}
	}
	return false
}

// Finding returns the finding of an axis (AxisSpatial, …, or
// ProblemAxis(id)).
func (a *Agglomeration) Finding(axis string) (Finding, bool) {
	for _, f := range a.Findings {
		if f.Axis == axis {
			return f, true
		}
	}
	return Finding{}, false
}

// SensitivityRow is how one label of one agglomeration changes when one
// threshold moves by −20% and +20% (all others at their values).
type SensitivityRow struct {
	Threshold     string    `json:"threshold"`
	Agglomeration string    `json:"agglomeration"`
	Axis          string    `json:"axis"`
	Low           string    `json:"low"`     // label at 0.8 × the threshold
	Nominal       string    `json:"nominal"` // label at the threshold
	High          string    `json:"high"`    // label at 1.2 × the threshold
	Changes       bool      `json:"changes"`
	Text          i18n.Text `json:"text"`
}

// Result is the diagnosis of every agglomeration.
type Result struct {
	Thresholds  string `json:"thresholds"`
	StageSource string `json:"stage_rules_source"`
	// UncertainBelow is the confidence under which a label is shown as
	// uncertain.
	UncertainBelow float64          `json:"uncertain_below"`
	Agglomerations []Agglomeration  `json:"agglomerations"`
	Sensitivity    []SensitivityRow `json:"sensitivity"`
}

// Agglomeration returns the diagnosis of one agglomeration.
func (r *Result) Agglomeration(code string) (*Agglomeration, bool) {
	for i := range r.Agglomerations {
		if r.Agglomerations[i].Code == code {
			return &r.Agglomerations[i], true
		}
	}
	return nil, false
}

// Run diagnoses the agglomerations of cfg.Agglomerations (default: the
// registry's default set) from ds with cfg.
func Run(ds *dataset.Dataset, cfg Config) (*Result, error) {
	if ds == nil || ds.Registry == nil {
		return nil, i18n.Errorf("诊断需要带区划库的数据集", "diagnosis needs a dataset with a region registry")
	}
	if cfg.Thresholds == nil {
		return nil, i18n.Errorf("诊断配置为空（请用 DefaultConfig）", "empty diagnosis config (use DefaultConfig)")
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	pub, err := loadPublished()
	if err != nil {
		return nil, err
	}
	aggs := ds.Registry.Agglomerations()
	if len(cfg.Agglomerations) > 0 {
		aggs = nil
		for _, c := range cfg.Agglomerations {
			a, ok := ds.Registry.Agglomeration(strings.TrimSpace(c))
			if !ok {
				return nil, i18n.Errorf("没有代码为“%s”的城市群（可选 %s）", "no agglomeration %q (use %s)", c, strings.Join(ds.Registry.AllAgglomerationCodes(), ", "))
			}
			if !slices.Contains(aggs, a) {
				aggs = append(aggs, a)
			}
		}
	}
	rn := newRunner(ds, cfg, aggs)
	res := &Result{Thresholds: cfg.Name, StageSource: cfg.Stage.Source, UncertainBelow: cfg.Confidence.UncertainBelow, Agglomerations: []Agglomeration{}, Sensitivity: []SensitivityRow{}}
	for _, agg := range aggs {
		a := rn.diagnose(agg)
		if p, ok := pub[agg.Code]; ok {
			a.Published = toPublished(p)
			a.Agreement = compare(&a)
		}
		a.Narrative = rn.narrative(&a)
		res.Agglomerations = append(res.Agglomerations, a)
		res.Sensitivity = append(res.Sensitivity, rn.sensitivity(agg)...)
	}
	return res, nil
}

func toPublished(p published) *Published {
	out := &Published{SpatialMode: p.SpatialMode, Level: p.Level, SpatialRefs: p.SpatialRefs, SpatialBasis: p.SpatialBasis,
		OpennessMode: p.OpennessMode, OpennessRefs: p.OpennessRefs, OpennessBasis: p.OpennessBasis, Problems: []PublishedProblem{}}
	for _, pr := range p.Problems {
		out.Problems = append(out.Problems, PublishedProblem{ID: pr.ID, Refs: pr.Refs, Quote: pr.Quote})
	}
	return out
}

// diagnose runs every axis of one agglomeration: the nominal label with
// its evidence, and the variants behind its confidence.
func (rn *runner) diagnose(agg *dataset.Region) Agglomeration {
	a := Agglomeration{Code: agg.Code, NameZH: agg.NameZH, NameEN: agg.NameEN,
		Members: []MemberValue{}, MissingMembers: []MemberRef{}, PartialMembers: []MemberRef{}, SpatialReadings: []SizeReading{},
		SpatialMode: Undetermined, Level: Undetermined, OpennessMode: Undetermined, Stage: Undetermined, StageSource: Undetermined,
		SpatialEvidence: []Evidence{}, LevelEvidence: []Evidence{}, OpennessEvidence: []Evidence{}, StageEvidence: []Evidence{},
		Problems: []Problem{}, Unassessed: []Unassessed{}, Notes: []i18n.Text{}, Findings: []Finding{},
		checks: map[string][]Evidence{}, unassessed: map[string]i18n.Text{}}
	if info := agg.Agglomeration; info != nil {
		a.Tier = info.Tier
		s := info.Sourcing
		a.Sourcing = &s
	}
	for _, m := range agg.Members {
		if m.Partial {
			a.PartialMembers = append(a.PartialMembers, rn.ref(m.Code))
		}
	}
	th := rn.cfg.th
	rn.spatial(&a, agg, th)
	rn.flow(&a, agg, th)
	rn.level(&a, agg, th)
	rn.openness(&a, agg, th)
	rn.otherProblems(&a, agg, th)
	rn.stage(&a, agg)
	if st, ok := rn.cfg.StageOverride[agg.Code]; ok {
		a.Stage, a.StageSource = st, "override"
	}
	a.Confidence = summarise(a.Findings)
	a.Data = rn.resolutions(&a, agg)
	a.DataText = dataText(a.Data)
	a.ProblemChecks = a.checks
	return a
}

// addProblem records a problem's nominal outcome: fired with the evidence
// that met its threshold, checked and not fired, or not assessable.
func (a *Agglomeration) addProblem(id string, evs []Evidence, assessable bool, why i18n.Text) {
	info, _ := problemInfo(id)
	if !assessable {
		a.unassessed[id] = why
		a.Unassessed = append(a.Unassessed, Unassessed{ID: id, Reason: why, Needs: info.Needs})
		return
	}
	a.checks[id] = append(a.checks[id], evs...)
	var met []Evidence
	for _, e := range evs {
		if e.Met {
			met = append(met, e)
		}
	}
	if len(met) > 0 {
		for i := range a.Problems {
			if a.Problems[i].ID == id {
				a.Problems[i].Evidence = append(a.Problems[i].Evidence, met...)
				return
			}
		}
		a.Problems = append(a.Problems, Problem{ID: id, Name: info.Name, Evidence: met})
	}
}

// setProblem records a problem that fires on a combined condition: fired
// with all its evidence, or checked and not fired.
func (a *Agglomeration) setProblem(id string, fired bool, evs []Evidence) {
	a.checks[id] = append(a.checks[id], evs...)
	if fired {
		info, _ := problemInfo(id)
		a.Problems = append(a.Problems, Problem{ID: id, Name: info.Name, Evidence: evs})
	}
}

func isFinite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

func mean(xs []float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	var s float64
	for _, x := range xs {
		s += x
	}
	return s / float64(len(xs))
}

func values(ms []MemberValue) []float64 {
	out := make([]float64, len(ms))
	for i, m := range ms {
		out[i] = m.Value
	}
	return out
}

// met evaluates v op th.
func met(v, th float64, op string) bool {
	switch op {
	case "≥":
		return v >= th
	case "≤":
		return v <= th
	case ">":
		return v > th
	case "<":
		return v < th
	}
	return false
}
