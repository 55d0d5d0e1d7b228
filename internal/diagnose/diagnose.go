// Package diagnose reads an agglomeration's innovation modes from data: its
// spatial mode (core-led or multi-point parallel) and level, its openness
// mode (external cooperation, internal creation or balanced), its problems
// with the metrics that triggered them, its development stage, and how
// stable each label is when thresholds and the capacity indicator vary. The
// paper's own assessment is embedded and set beside the computed one.
//
// Thresholds and stage rules live in the embedded thresholds.yaml (see
// DefaultThresholdsYAML); the rules, thresholds and their sources are
// documented in docs/methods.md#diagnosis.
package diagnose

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"gonum.org/v1/gonum/stat"

	"agglo/internal/dataset"
	"agglo/internal/i18n"
	"agglo/internal/measure"
)

// Mode and level labels.
const (
	CoreLed             = "core-led"
	MultiPoint          = "multi-point"
	ExternalCooperation = "external-cooperation"
	InternalCreation    = "internal-creation"
	Balanced            = "balanced"
	Undetermined        = "undetermined"
	High                = "high"
	Low                 = "low"

	ResolutionProvince = "province"
	ResolutionCity     = "city"
)

// Evidence is one metric checked against its threshold. Op is the
// comparison that triggers the label or problem ("≥", "≤", ">", "<"); Met
// says whether it holds.
type Evidence struct {
	Metric    string  `json:"metric"`
	Value     float64 `json:"value"`
	Threshold float64 `json:"threshold"`
	Op        string  `json:"op"`
	Met       bool    `json:"met"`
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

// MemberValue is one member's capacity.
type MemberValue struct {
	Code  string  `json:"code"`
	Name  string  `json:"name_zh"`
	NameE string  `json:"name_en"`
	Value float64 `json:"value"`
}

// Confidence is the share of variants (capacity indicator × threshold
// factor) that give the same label as the nominal diagnosis.
type Confidence struct {
	Variants     int                `json:"variants"`
	SpatialMode  float64            `json:"spatial_mode"`
	Level        float64            `json:"level"`
	OpennessMode float64            `json:"openness_mode"`
	Stage        float64            `json:"stage"`
	Problems     map[string]float64 `json:"problems"`
	// Alternatives counts the labels the variants gave, per axis.
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

// Agglomeration is the diagnosis of one agglomeration.
type Agglomeration struct {
	Code           string        `json:"code"`
	NameZH         string        `json:"name_zh"`
	NameEN         string        `json:"name_en"`
	DataResolution string        `json:"data_resolution"`
	Capacity       string        `json:"capacity_indicator"`
	Year           int           `json:"year"`
	Members        []MemberValue `json:"members"`
	// Cores are the dominant members when the mode is core-led (one, or
	// two for a dual core).
	Cores            []string     `json:"cores,omitempty"`
	SpatialMode      string       `json:"spatial_mode"`
	SpatialEvidence  []Evidence   `json:"spatial_evidence"`
	Level            string       `json:"level"`
	LevelEvidence    []Evidence   `json:"level_evidence"`
	OpennessMode     string       `json:"openness_mode"`
	OpennessEvidence []Evidence   `json:"openness_evidence"`
	Stage            string       `json:"stage"`
	StageSource      string       `json:"stage_source"` // computed | override | undetermined
	StageIndex       *float64     `json:"stage_index,omitempty"`
	StageEvidence    []Evidence   `json:"stage_evidence"`
	Problems         []Problem    `json:"problems"`
	Unassessed       []Unassessed `json:"unassessed"`
	Notes            []i18n.Text  `json:"notes"`
	Confidence       Confidence   `json:"confidence"`
	Published        *Published   `json:"published"`
	Agreement        Agreement    `json:"agreement"`

	checks map[string][]Evidence
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

// Result is the diagnosis of every agglomeration.
type Result struct {
	Thresholds     string          `json:"thresholds"`
	StageSource    string          `json:"stage_rules_source"`
	Agglomerations []Agglomeration `json:"agglomerations"`
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

// Run diagnoses the five agglomerations from ds with cfg.
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
	rn := &runner{ds: ds, cfg: cfg, aggs: ds.Registry.Agglomerations(), years: map[string]int{}}
	capInd := ""
	for _, c := range cfg.Capacity.Indicators {
		if _, ok := rn.latestYear(c); ok {
			capInd = c
			break
		}
	}
	res := &Result{Thresholds: cfg.Name, StageSource: cfg.Stage.Source}
	var variants []string
	for _, c := range cfg.Capacity.Variants {
		if _, ok := rn.latestYear(c); ok {
			variants = append(variants, c)
		}
	}
	if capInd != "" && !contains(variants, capInd) {
		variants = append([]string{capInd}, variants...)
	}
	if len(variants) == 0 {
		variants = []string{capInd}
	}
	for _, agg := range rn.aggs {
		nominal := rn.assess(agg, capInd, 1)
		a := Agglomeration{Problems: []Problem{}, Unassessed: []Unassessed{},
			Code: agg.Code, NameZH: agg.NameZH, NameEN: agg.NameEN,
			DataResolution: nominal.resolution, Capacity: capInd, Year: nominal.year,
			Members: nominal.members, Cores: nominal.cores,
			SpatialMode: nominal.spatial, SpatialEvidence: nominal.spatialEv,
			Level: nominal.level, LevelEvidence: nominal.levelEv,
			OpennessMode: nominal.openness, OpennessEvidence: nominal.opennessEv,
			Stage: nominal.stage, StageSource: "computed", StageEvidence: nominal.stageEv,
			Notes: nominal.notes, checks: nominal.checks,
		}
		if !math.IsNaN(nominal.stageIndex) {
			v := nominal.stageIndex
			a.StageIndex = &v
		}
		if a.Stage == Undetermined {
			a.StageSource = Undetermined
		}
		if st, ok := cfg.StageOverride[agg.Code]; ok {
			a.Stage, a.StageSource = st, "override"
		}
		for _, id := range ProblemIDs() {
			info, _ := problemInfo(id)
			if ev, ok := nominal.fired[id]; ok {
				a.Problems = append(a.Problems, Problem{ID: id, Name: info.Name, Evidence: ev})
			} else if why, ok := nominal.unassessed[id]; ok {
				a.Unassessed = append(a.Unassessed, Unassessed{ID: id, Reason: why, Needs: info.Needs})
			}
		}
		a.Confidence = rn.confidence(agg, nominal, variants)
		if p, ok := pub[agg.Code]; ok {
			a.Published = toPublished(p)
			a.Agreement = compare(&a, nominal)
		}
		res.Agglomerations = append(res.Agglomerations, a)
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

// assessment is the diagnosis of one agglomeration under one variant.
type assessment struct {
	resolution string
	year       int
	members    []MemberValue
	cores      []string
	spatial    string
	spatialEv  []Evidence
	level      string
	levelEv    []Evidence
	openness   string
	opennessEv []Evidence
	stage      string
	stageIndex float64
	stageEv    []Evidence
	fired      map[string][]Evidence
	checks     map[string][]Evidence
	unassessed map[string]i18n.Text
	notes      []i18n.Text
}

type runner struct {
	ds    *dataset.Dataset
	cfg   Config
	aggs  []*dataset.Region
	years map[string]int
	// links caches the gravity linkage of each agglomeration's member
	// cities and the pooled threshold (computed once per run).
	links *linkage
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// latestYear returns the latest year in which indicator has a value for a
// member (city or province) of an agglomeration; ok is false when there is
// none. Year 0 stands for values without a year. latest with withAggs also
// counts values of the agglomerations themselves.
func (rn *runner) latestYear(ind string) (int, bool) { return rn.latest(ind, false) }

func (rn *runner) latest(ind string, withAggs bool) (int, bool) {
	key := ind
	if withAggs {
		key += "\x00aggs"
	}
	if y, ok := rn.years[key]; ok {
		return y, y != noYear
	}
	best := noYear
	if _, ok := rn.ds.IndicatorIndex(ind); ok {
		members := map[string]bool{}
		for _, a := range rn.aggs {
			for _, c := range a.MemberCodes(dataset.LevelCity) {
				members[c] = true
			}
			for _, c := range a.MemberCodes(dataset.LevelProvince) {
				members[c] = true
			}
			if withAggs {
				members[a.Code] = true
			}
		}
		ys := rn.ds.YearsOf(ind, func(r int) bool { return members[rn.ds.Regions[r].Code] })
		if len(ys) > 0 {
			best = ys[len(ys)-1]
		}
	}
	rn.years[key] = best
	return best, best != noYear
}

// noYear marks an indicator without values.
const noYear = math.MinInt32

func (rn *runner) year(ind string) int {
	y, _ := rn.latestYear(ind)
	return y
}

func isFinite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// memberValues returns the members at level with a finite value of ind.
func (rn *runner) memberValues(agg *dataset.Region, level dataset.Level, ind string, year int) []MemberValue {
	var out []MemberValue
	for _, c := range agg.MemberCodes(level) {
		v, ok := rn.ds.Value(c, ind, year)
		if !ok || !isFinite(v) {
			continue
		}
		mv := MemberValue{Code: c, Value: v}
		if r, ok := rn.ds.Region(c); ok {
			mv.Name, mv.NameE = r.NameZH, r.NameEN
		}
		out = append(out, mv)
	}
	return out
}

// resolution picks city data when at least two member cities proper (not
// the municipalities, whose province values are also city values) have the
// capacity indicator, province data otherwise.
func (rn *runner) resolution(agg *dataset.Region, ind string, year int) dataset.Level {
	cities := 0
	for _, mv := range rn.memberValues(agg, dataset.LevelCity, ind, year) {
		if r, ok := rn.ds.Region(mv.Code); ok && r.Level != dataset.LevelProvince {
			cities++
		}
	}
	if cities >= 2 {
		return dataset.LevelCity
	}
	return dataset.LevelProvince
}

// comparison returns the values of ind for every member, at level, of the
// five agglomerations (each unit once): the comparison set.
func (rn *runner) comparison(level dataset.Level, ind string, year int) map[string]float64 {
	out := map[string]float64{}
	for _, a := range rn.aggs {
		for _, mv := range rn.memberValues(a, level, ind, year) {
			out[mv.Code] = mv.Value
		}
	}
	return out
}

// zscores standardises the comparison set with the population standard
// deviation (docs/methods.md#comparison-set).
func zscores(set map[string]float64) map[string]float64 {
	if len(set) < 3 {
		return nil
	}
	keys := make([]string, 0, len(set))
	for k := range set {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	xs := make([]float64, len(keys))
	for i, k := range keys {
		xs[i] = set[k]
	}
	mean, sd := stat.PopMeanStdDev(xs, nil)
	if !(sd > 0) {
		return nil
	}
	out := make(map[string]float64, len(set))
	for i, k := range keys {
		out[k] = (xs[i] - mean) / sd
	}
	return out
}

func values(ms []MemberValue) []float64 {
	out := make([]float64, len(ms))
	for i, m := range ms {
		out[i] = m.Value
	}
	return out
}

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

func ev(metric string, v, th float64, op string) Evidence {
	met := false
	switch op {
	case "≥":
		met = v >= th
	case "≤":
		met = v <= th
	case ">":
		met = v > th
	case "<":
		met = v < th
	}
	return Evidence{Metric: metric, Value: v, Threshold: th, Op: op, Met: met}
}

func levelName(l dataset.Level) string {
	if l == dataset.LevelCity {
		return ResolutionCity
	}
	return ResolutionProvince
}

// assess diagnoses agg with capacity indicator capInd and every threshold
// multiplied by f.
func (rn *runner) assess(agg *dataset.Region, capInd string, f float64) assessment {
	cfg := &rn.cfg
	th := func(id string) float64 { return cfg.th(id) * f }
	as := assessment{spatial: Undetermined, level: Undetermined, openness: Undetermined, stage: Undetermined, stageIndex: math.NaN(),
		fired: map[string][]Evidence{}, checks: map[string][]Evidence{}, unassessed: map[string]i18n.Text{},
		spatialEv: []Evidence{}, levelEv: []Evidence{}, opennessEv: []Evidence{}, stageEv: []Evidence{}, members: []MemberValue{}, notes: []i18n.Text{}}
	year := rn.year(capInd)
	level := rn.resolution(agg, capInd, year)
	as.resolution, as.year = levelName(level), year
	as.members = rn.memberValues(agg, level, capInd, year)
	v := values(as.members)
	n := len(v)
	nCities := len(agg.Members)
	fire := func(id string, evs ...Evidence) {
		as.checks[id] = append(as.checks[id], evs...)
		var met []Evidence
		for _, e := range evs {
			if e.Met {
				met = append(met, e)
			}
		}
		if len(met) > 0 {
			as.fired[id] = append(as.fired[id], met...)
		}
	}
	unassessed := func(id string, why i18n.Text) {
		if _, ok := as.fired[id]; !ok {
			as.unassessed[id] = why
		}
	}

	// Spatial mode.
	minN := cfg.Capacity.MinMembers
	switch {
	case capInd == "" || n == 0:
		as.notes = append(as.notes, i18n.Tf("数据中没有成员的创新能力指标（%s）", "the data have no capacity indicator (%s) for the members", strings.Join(cfg.Capacity.Indicators, ", ")))
	case n < minN:
		as.notes = append(as.notes, i18n.T(
			fmt.Sprintf("%s级数据中%s只有 %d 个成员（%s）：成员内部的核心—外围结构看不到；需要其 %d 个成员城市的城市级创新能力数据（GDP、R&D 经费或专利）才能判断空间模式",
				levelZH(level), agg.ShortZH, n, memberList(as.members), nCities),
			fmt.Sprintf("at %s level %s has only %d member(s) (%s): the core-periphery structure inside them is invisible; city-level capacity (GDP, R&D expenditure or patents) for its %d member cities would settle the spatial mode",
				levelName(level), agg.NameEN, n, memberList(as.members), nCities)))
	default:
		as.spatialMode(v, th)
		if as.spatial == CoreLed {
			k := 1
			for _, e := range as.spatialEv {
				if e.Metric == "dual_core_ratio" && e.Met {
					k = 2
				}
			}
			sorted := append([]MemberValue(nil), as.members...)
			sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Value > sorted[j].Value })
			for _, m := range sorted[:k] {
				as.cores = append(as.cores, m.Code)
			}
		}
	}

	// Level, relative to the comparison set.
	comp := rn.comparison(level, capInd, year)
	if n > 0 && len(comp) >= 2 {
		// In code order: a sum over a map's random order changes the last
		// bits of the mean from run to run.
		keys := make([]string, 0, len(comp))
		for k := range comp {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		cv := make([]float64, 0, len(comp))
		for _, k := range keys {
			cv = append(cv, comp[k])
		}
		ratio := mean(v) / mean(cv)
		if isFinite(ratio) {
			e := ev("mean_capacity_ratio", ratio, th(thLevel), "≥")
			as.levelEv = append(as.levelEv, e)
			as.level = Low
			if e.Met {
				as.level = High
			}
		}
	}

	// Problems on the capacity structure.
	if n >= minN {
		fire(ProblemImbalance, ev("cv", measure.CV(v, nil), th(thCV), "≥"))
	} else {
		unassessed(ProblemImbalance, i18n.Tf("成员少于 %d 个，无法衡量内部不均衡", "fewer than %d members: imbalance cannot be measured", minN))
	}
	rn.siphon(&as, agg, level, capInd, th, fire, unassessed)
	if z := zscores(comp); z != nil && n > 0 {
		best := math.Inf(-1)
		for _, m := range as.members {
			best = math.Max(best, z[m.Code])
		}
		fire(ProblemWeakCore, ev("max_member_capacity_z", best, th(thWeakCoreZ), "<"))
	} else {
		unassessed(ProblemWeakCore, i18n.T("比较集不足 3 个单元", "the comparison set has fewer than 3 units"))
	}

	rn.openness(&as, agg, level, th, fire, unassessed)
	rn.homogeneity(&as, agg, level, th, fire, unassessed)
	rn.rdConversion(&as, agg, th, fire, unassessed)
	rn.centralCollapse(&as, agg, level, capInd, th, fire, unassessed)
	unassessed(ProblemLackOfMomentum, i18n.T("数据没有增长动力的指标", "the data have no measure of growth momentum"))
	unassessed(ProblemWeakInternational, i18n.T("数据没有国际影响力指标", "the data have no measure of international influence"))

	rn.stage(&as, agg, level, f)
	return as
}

func levelZH(l dataset.Level) string {
	if l == dataset.LevelCity {
		return "城市"
	}
	return "省"
}

func memberList(ms []MemberValue) string {
	names := make([]string, len(ms))
	for i, m := range ms {
		names[i] = m.Code
	}
	return strings.Join(names, ", ")
}

// spatialMode votes with four criteria (docs/methods.md#spatial-mode):
// primacy (or a dual core), rank-size exponent, core share and CV. More
// than half of the available criteria concentrated: core-led; fewer than
// half: multi-point; exactly half: undetermined.
func (as *assessment) spatialMode(v []float64, th func(string) float64) {
	s2, _, _ := measure.Primacy(v)
	s := append([]float64(nil), v...)
	sort.Sort(sort.Reverse(sort.Float64Slice(s)))
	var evs []Evidence
	primacy := ev("primacy_s2", s2, th(thPrimacy), "≥")
	k := 1
	if len(s) >= 4 && !primacy.Met && s[2] > 0 {
		dual := ev("dual_core_ratio", s[1]/s[2], th(thDualCore), "≥")
		evs = append(evs, primacy, dual)
		if dual.Met {
			k = 2
		}
	} else {
		evs = append(evs, primacy)
	}
	q := measure.RankSize(v, 0).Q
	evs = append(evs, ev("rank_size_q", q, th(thQ), "≥"))
	share := "core_share"
	if k == 2 {
		share = "dual_core_share"
	}
	evs = append(evs, ev(share, measure.TopShare(v, k), th(thCoreShare), "≥"))
	evs = append(evs, ev("cv", measure.CV(v, nil), th(thCV), "≥"))
	votes, conc := 0, 0
	for _, e := range evs {
		if e.Metric == "primacy_s2" && k == 2 {
			continue // the dual-core ratio votes for primacy
		}
		if !isFinite(e.Value) {
			continue
		}
		as.spatialEv = append(as.spatialEv, e)
		votes++
		if e.Met {
			conc++
		}
	}
	if k == 2 {
		as.spatialEv = append([]Evidence{evs[0]}, as.spatialEv...)
	}
	switch {
	case votes == 0:
	case 2*conc > votes:
		as.spatial = CoreLed
	case 2*conc < votes:
		as.spatial = MultiPoint
	default:
		as.notes = append(as.notes, i18n.Tf("空间判据各半（%d/%d 项显示集中）", "the spatial criteria split evenly (%d of %d show concentration)", conc, votes))
	}
}

type fireFunc func(id string, evs ...Evidence)
type unassessedFunc func(id string, why i18n.Text)

// siphon needs the members' capacity in at least two years
// (docs/methods.md#siphon: never from one cross-section): ΔCS > threshold
// and RG > threshold.
func (rn *runner) siphon(as *assessment, agg *dataset.Region, level dataset.Level, capInd string, th func(string) float64, fire fireFunc, unassessed unassessedFunc) {
	var years []int
	for _, y := range rn.ds.Years() {
		if len(rn.memberValues(agg, level, capInd, y)) == len(as.members) && len(as.members) >= 2 {
			years = append(years, y)
		}
	}
	if len(years) < 2 {
		unassessed(ProblemSiphon, i18n.T("只有一个年份的截面数据：虹吸需要核心份额随时间的变化", "one cross-section only: a siphon needs the core's share over time"))
		return
	}
	codes := make([]string, len(as.members))
	for i, m := range as.members {
		codes[i] = m.Code
	}
	first := rn.ds.Column(codes, capInd, years[0])
	core := 0
	for i := range first {
		if first[i] > first[core] {
			core = i
		}
	}
	coreSeries := make([]float64, len(years))
	var periph [][]float64
	for j := range codes {
		if j != core {
			periph = append(periph, make([]float64, len(years)))
		}
	}
	for t, y := range years {
		col := rn.ds.Column(codes, capInd, y)
		p := 0
		for j, x := range col {
			if j == core {
				coreSeries[t] = x
			} else {
				periph[p][t] = x
				p++
			}
		}
	}
	r := measure.Siphon(coreSeries, periph)
	d := ev("core_share_change", r.DeltaCoreShare, th(thSiphonDCS), ">")
	g := ev("relative_growth_core_periphery", r.RelativeGrowth, th(thSiphonRG), ">")
	if d.Met && g.Met {
		fire(ProblemSiphon, d, g)
	} else {
		as.checks[ProblemSiphon] = []Evidence{d, g}
	}
}

// memberMeanZ returns the members' mean z-score of ind within the
// comparison set, or NaN.
func (rn *runner) memberMeanZ(agg *dataset.Region, level dataset.Level, ind string) float64 {
	if ind == "" {
		return math.NaN()
	}
	year := rn.year(ind)
	z := zscores(rn.comparison(level, ind, year))
	if z == nil {
		return math.NaN()
	}
	var xs []float64
	for _, m := range rn.memberValues(agg, level, ind, year) {
		xs = append(xs, z[m.Code])
	}
	return mean(xs)
}

// openness scores knowledge acquisition against creation, both as z-scores
// within the comparison set (docs/methods.md#openness), with any openness
// indicators.
func (rn *runner) openness(as *assessment, agg *dataset.Region, level dataset.Level, th func(string) float64, fire fireFunc, unassessed unassessedFunc) {
	cfg := &rn.cfg
	var items []Evidence
	t := th(thOpenness)
	cre, acq := cfg.Openness.Creation, cfg.Openness.Acquisition
	if cre != "" && acq != "" {
		year := rn.year(acq)
		zc := zscores(rn.comparison(level, cre, year))
		za := zscores(rn.comparison(level, acq, year))
		if zc != nil && za != nil {
			var gaps []float64
			for _, m := range rn.memberValues(agg, level, acq, year) {
				if c, ok := zc[m.Code]; ok {
					gaps = append(gaps, za[m.Code]-c)
				}
			}
			if g := mean(gaps); isFinite(g) {
				items = append(items, ev("knowledge_acquisition_minus_creation_z", g, t, "≥"))
			}
		}
	}
	for _, ind := range cfg.Openness.Indicators {
		if z := rn.memberMeanZ(agg, level, ind); isFinite(z) {
			items = append(items, ev(ind+"_z", z, t, "≥"))
		}
	}
	lowAcq := rn.memberMeanZ(agg, level, acq)
	flowAssessed := false
	if isFinite(lowAcq) {
		fire(ProblemLowKnowledgeFlow, ev("knowledge_acquisition_z", lowAcq, th(thLowZ), "≤"))
		flowAssessed = true
	}
	if d, ok := rn.linkageDensity(agg); ok {
		fire(ProblemLowKnowledgeFlow, ev("linkage_network_density", d, th(thLinkage), "≤"))
		flowAssessed = true
	}
	if !flowAssessed {
		unassessed(ProblemLowKnowledgeFlow, i18n.T("数据没有成员的知识获取指标，也没有可算引力联系网络的城市级人口与创新质量（专利、R&D 经费或 GDP）",
			"the data have neither the members' knowledge acquisition nor the city-level population and innovation mass (patents, R&D expenditure or GDP) for a gravity linkage network"))
	}
	if z := rn.memberMeanZ(agg, level, cfg.ProblemIndicators.Enterprise); isFinite(z) {
		fire(ProblemWeakEnterpriseInnovation, ev("enterprise_innovation_z", z, th(thLowZ), "≤"))
	} else {
		unassessed(ProblemWeakEnterpriseInnovation, i18n.T("数据没有成员的企业创新指标", "the data have no enterprise innovation for the members"))
	}
	if len(items) == 0 {
		as.notes = append(as.notes, i18n.T("数据没有知识获取/知识创造或开放度指标，开放模式未定", "the data have no knowledge acquisition/creation or openness indicators: openness mode undetermined"))
		unassessed(ProblemExternalDependence, i18n.T("数据没有开放度证据", "the data have no openness evidence"))
		return
	}
	var xs []float64
	for _, e := range items {
		xs = append(xs, e.Value)
	}
	score := mean(xs)
	ext := ev("openness_score", score, t, "≥")
	inn := ev("openness_score", score, -t, "≤")
	switch {
	case ext.Met:
		as.openness = ExternalCooperation
		as.opennessEv = append(as.opennessEv, ext)
	case inn.Met:
		as.openness = InternalCreation
		as.opennessEv = append(as.opennessEv, inn)
	default:
		as.openness = Balanced
		as.opennessEv = append(as.opennessEv, ext, inn)
	}
	if len(items) > 1 {
		as.opennessEv = append(as.opennessEv, items...)
	}
	fire(ProblemExternalDependence, ext)
}

// homogeneity is the members' mean UNIDO similarity of sector shares
// (docs/methods.md#similarity).
func (rn *runner) homogeneity(as *assessment, agg *dataset.Region, level dataset.Level, th func(string) float64, fire fireFunc, unassessed unassessedFunc) {
	inds := rn.cfg.Industry.Indicators
	var rows [][]float64
	if len(inds) >= 2 {
		year := rn.year(inds[0])
		for _, c := range agg.MemberCodes(level) {
			row := make([]float64, 0, len(inds))
			ok := true
			for _, ind := range inds {
				v, found := rn.ds.Value(c, ind, year)
				if !found || !isFinite(v) {
					ok = false
					break
				}
				row = append(row, v)
			}
			if ok {
				rows = append(rows, row)
			}
		}
	}
	if len(rows) < 2 {
		unassessed(ProblemHomogeneity, i18n.T("数据没有成员的产业结构（三次产业占比）", "the data have no sector structure (sector shares) for the members"))
		return
	}
	s := measure.MeanOffDiagonal(measure.Similarity(rows))
	if !isFinite(s) {
		unassessed(ProblemHomogeneity, i18n.T("产业结构数据无效", "the sector data are not valid"))
		return
	}
	fire(ProblemHomogeneity, ev("mean_structure_similarity", s, th(thHomogeneity), "≥"))
}

// rdConversion reads Table 2's agglomeration-level ratios as z-scores
// across the agglomerations that have them.
func (rn *runner) rdConversion(as *assessment, agg *dataset.Region, th func(string) float64, fire fireFunc, unassessed unassessedFunc) {
	var evs []Evidence
	for _, p := range []struct{ ind, metric string }{
		{rn.cfg.ProblemIndicators.PatentsPerRD, "patents_per_rd_expenditure_z"},
		{rn.cfg.ProblemIndicators.StaffPerProject, "rd_personnel_per_project_z"},
	} {
		if p.ind == "" {
			continue
		}
		year, _ := rn.latest(p.ind, true)
		set := map[string]float64{}
		for _, a := range rn.aggs {
			if v, ok := rn.ds.Value(a.Code, p.ind, year); ok && isFinite(v) {
				set[a.Code] = v
			}
		}
		z := zscores(set)
		if zv, ok := z[agg.Code]; ok {
			evs = append(evs, ev(p.metric, zv, th(thLowZ), "≤"))
		}
	}
	if len(evs) == 0 {
		unassessed(ProblemRDConversionLow, i18n.T("数据没有城市群的 R&D 产出效率指标（表 2）", "the data have no R&D efficiency ratios (Table 2) for the agglomerations"))
		return
	}
	fire(ProblemRDConversionLow, evs...)
}

// centralCollapse needs city data with coordinates: two cores (P2/P3 ≥ the
// dual-core ratio) and the cities lying between them (closer to each core
// than the cores are to each other) far below the cores.
func (rn *runner) centralCollapse(as *assessment, agg *dataset.Region, level dataset.Level, capInd string, th func(string) float64, fire fireFunc, unassessed unassessedFunc) {
	if level != dataset.LevelCity || len(as.members) < 4 {
		unassessed(ProblemCentralCollapse, i18n.T("需要城市级数据：省级数据看不到两核之间的城市", "needs city-level data: province data cannot see the cities between two cores"))
		return
	}
	sorted := append([]MemberValue(nil), as.members...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Value > sorted[j].Value })
	dual := ev("dual_core_ratio", sorted[1].Value/sorted[2].Value, th(thDualCore), "≥")
	if !dual.Met {
		as.checks[ProblemCentralCollapse] = []Evidence{dual}
		return
	}
	c1, ok1 := rn.ds.Region(sorted[0].Code)
	c2, ok2 := rn.ds.Region(sorted[1].Code)
	if !ok1 || !ok2 || !c1.HasCoord() || !c2.HasCoord() {
		unassessed(ProblemCentralCollapse, i18n.T("两个核心城市缺少坐标", "the two core cities lack coordinates"))
		return
	}
	dCores := measure.Haversine(c1.Lon, c1.Lat, c2.Lon, c2.Lat)
	var between []float64
	for _, m := range sorted[2:] {
		r, ok := rn.ds.Region(m.Code)
		if !ok || !r.HasCoord() {
			continue
		}
		if measure.Haversine(r.Lon, r.Lat, c1.Lon, c1.Lat) < dCores && measure.Haversine(r.Lon, r.Lat, c2.Lon, c2.Lat) < dCores {
			between = append(between, m.Value)
		}
	}
	if len(between) == 0 {
		unassessed(ProblemCentralCollapse, i18n.T("两核之间没有有数据的成员城市", "no member city with data lies between the two cores"))
		return
	}
	ratio := mean(between) / ((sorted[0].Value + sorted[1].Value) / 2)
	fire(ProblemCentralCollapse, dual, ev("between_cores_capacity_ratio", ratio, th(thCollapse), "≤"))
}

// stage computes the development index: a weighted mean of indicators
// scaled by goalposts, at agglomeration level where available, else the
// members' mean; the stage follows from the cut-offs
// (docs/methods.md#stage).
func (rn *runner) stage(as *assessment, agg *dataset.Region, level dataset.Level, f float64) {
	rules := &rn.cfg.Stage
	var sumW, totW, sum float64
	for _, si := range rules.Indicators {
		totW += si.Weight
		year, _ := rn.latest(si.Code, true)
		v, ok := rn.ds.Value(agg.Code, si.Code, year)
		metric := si.Code
		if !ok || !isFinite(v) {
			v = mean(values(rn.memberValues(agg, level, si.Code, year)))
			metric = si.Code + "_member_mean"
		}
		if !isFinite(v) {
			continue
		}
		x := math.Min(1, math.Max(0, (v-si.Low)/(si.High-si.Low)))
		sum += si.Weight * x
		sumW += si.Weight
		as.stageEv = append(as.stageEv, Evidence{Metric: metric, Value: v, Threshold: si.Low, Op: "goalposts", Met: true},
			Evidence{Metric: metric + "_scaled", Value: x, Threshold: si.High, Op: "goalposts", Met: true})
	}
	if totW == 0 || sumW/totW < rules.MinWeightShare || sumW == 0 {
		as.notes = append(as.notes, i18n.T("发展阶段指标不足，阶段未定", "too few stage indicators: stage undetermined"))
		return
	}
	idx := sum / sumW
	as.stageIndex = idx
	as.stage = StageEmbryonic
	for _, s := range []string{StageRapid, StageMaturing, StageMature} {
		c := rules.Cutoffs[s] * f
		e := ev("development_index", idx, c, "≥")
		if e.Met {
			as.stage = s
		}
		as.stageEv = append(as.stageEv, Evidence{Metric: "development_index_" + s, Value: idx, Threshold: c, Op: "≥", Met: e.Met})
	}
}

// confidence reruns the assessment for every capacity indicator and
// threshold factor.
func (rn *runner) confidence(agg *dataset.Region, nominal assessment, variants []string) Confidence {
	c := Confidence{Problems: map[string]float64{}, Alternatives: map[string]map[string]int{
		"spatial_mode": {}, "level": {}, "openness_mode": {}, "stage": {}}}
	same := map[string]int{}
	probSame := map[string]int{}
	for _, capInd := range variants {
		for _, f := range rn.cfg.Confidence.Factors {
			if capInd == "" {
				continue
			}
			v := rn.assess(agg, capInd, f)
			c.Variants++
			for axis, pair := range map[string][2]string{
				"spatial_mode": {v.spatial, nominal.spatial}, "level": {v.level, nominal.level},
				"openness_mode": {v.openness, nominal.openness}, "stage": {v.stage, nominal.stage}} {
				c.Alternatives[axis][pair[0]]++
				if pair[0] == pair[1] {
					same[axis]++
				}
			}
			for _, id := range ProblemIDs() {
				_, a := v.fired[id]
				_, b := nominal.fired[id]
				if a == b {
					probSame[id]++
				}
			}
		}
	}
	if c.Variants == 0 {
		return c
	}
	n := float64(c.Variants)
	c.SpatialMode, c.Level = float64(same["spatial_mode"])/n, float64(same["level"])/n
	c.OpennessMode, c.Stage = float64(same["openness_mode"])/n, float64(same["stage"])/n
	for _, id := range ProblemIDs() {
		if _, un := nominal.unassessed[id]; un {
			continue
		}
		c.Problems[id] = float64(probSame[id]) / n
	}
	return c
}
