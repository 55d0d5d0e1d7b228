package diagnose

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"agglo/internal/dataset"
	"agglo/internal/i18n"
	"agglo/internal/measure"
)

// sizeVariant is one reading of the member cities' size: an extensive
// indicator, a year, and partial members counted whole or left out.
type sizeVariant struct {
	ind     string
	year    int
	exclude bool
}

// sizeData are the member cities' sizes under one variant, with the
// designated cores among them.
type sizeData struct {
	v       sizeVariant
	members []MemberValue
	missing []MemberRef
	// designated is false when the sources name no core and the largest
	// member stands in; coresMissing are designated cores without a value
	// (or left out as partial members).
	designated   bool
	coresMissing []MemberRef
}

func (d *sizeData) split() (cores, others []float64) {
	for _, m := range d.members {
		if m.Core {
			cores = append(cores, m.Value)
		} else {
			others = append(others, m.Value)
		}
	}
	return cores, others
}

// sizeIndicator reports whether ind may measure size: an extensive
// quantity, never a bounded score or a percentage.
func (rn *runner) sizeIndicator(ind string) bool {
	if strings.HasPrefix(ind, "cric_") {
		return false
	}
	if i, ok := rn.ds.Indicator(ind); ok && (i.Domain == "percent" || i.Dimension == "cric") {
		return false
	}
	return true
}

// sizeVariants lists the readings of member-city size the data allow, the
// nominal one first (docs/methods.md#spatial-mode): the first size
// indicator of the settings that the data have for at least min_members
// members, in its latest such year; then every other size indicator the
// data have, each in its year nearest the nominal reading's (ties: the
// later year), so that the variants read the same moment with other
// measures (patents, then population and GDP) rather than an older
// structure; each with partial members counted whole and, when there are
// any, left out.
func (rn *runner) sizeVariants(agg *dataset.Region) []sizeVariant {
	if vs, ok := rn.sizeV[agg.Code]; ok {
		return vs
	}
	var out []sizeVariant
	defer func() { rn.sizeV[agg.Code] = out }()
	hasPartial := slices.ContainsFunc(agg.Members, func(m dataset.Member) bool { return m.Partial })
	nominalYear := 0
	cores := agg.Cores()
	for _, ind := range rn.cfg.Size.Indicators {
		if !rn.has(ind) || !rn.sizeIndicator(ind) {
			continue
		}
		// A year counts when enough members and every designated core
		// have a value: a reading without a core cannot show the cores'
		// weight (成都 is absent from the city patent file, for one).
		var years []int
		var noCore []MemberRef
		for _, y := range rn.yearsOf(ind, dataset.LevelCity) {
			vals, _ := rn.memberValues(agg.Members, ind, y, false)
			if len(vals) < rn.cfg.Size.MinMembers {
				continue
			}
			var missing []MemberRef
			for _, c := range cores {
				if !slices.ContainsFunc(vals, func(m MemberValue) bool { return m.Code == c }) {
					missing = append(missing, rn.ref(c))
				}
			}
			if len(missing) > 0 {
				noCore = missing
				continue
			}
			years = append(years, y)
		}
		if len(years) == 0 {
			if len(noCore) > 0 {
				z, e := listNames(noCore, 0)
				n := rn.indicatorName(ind)
				rn.sizeNotes[agg.Code] = append(rn.sizeNotes[agg.Code], i18n.T(fmt.Sprintf("%s缺少核心城市%s的数据，不用于判断空间模式", n.ZH, z),
					fmt.Sprintf("%s lacks the core %s and is not used for the spatial mode", n.EN, e)))
			}
			continue
		}
		year := years[len(years)-1]
		if len(out) == 0 {
			nominalYear = year
		} else {
			year = nearestYear(years, nominalYear)
		}
		out = append(out, sizeVariant{ind: ind, year: year})
		if hasPartial && rn.readable(agg, sizeVariant{ind: ind, year: year, exclude: true}) {
			out = append(out, sizeVariant{ind: ind, year: year, exclude: true})
		}
	}
	return out
}

// readable reports whether a variant leaving partial members out still has
// min_members members, a core and a non-core member: otherwise it cannot
// read a structure and is no variant (黔中 without its partial members
// keeps its core alone).
func (rn *runner) readable(agg *dataset.Region, v sizeVariant) bool {
	d := rn.sizeData(agg, v)
	cores, others := d.split()
	return len(d.members) >= rn.cfg.Size.MinMembers && len(cores) > 0 && len(others) > 0
}

// nearestYear is the year of years (ascending) nearest y, the later one
// of two equally near.
func nearestYear(years []int, y int) int {
	best := years[0]
	for _, x := range years[1:] {
		if d, b := abs(x-y), abs(best-y); d < b || d == b && x > best {
			best = x
		}
	}
	return best
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// sizeData reads the member cities' sizes under a variant and marks the
// cores: the designated ones, or the largest member when the sources name
// none.
func (rn *runner) sizeData(agg *dataset.Region, v sizeVariant) sizeData {
	d := sizeData{v: v, designated: len(agg.Cores()) > 0}
	d.members, d.missing = rn.memberValues(agg.Members, v.ind, v.year, v.exclude)
	for _, c := range agg.Cores() {
		if !slices.ContainsFunc(d.members, func(m MemberValue) bool { return m.Code == c }) {
			d.coresMissing = append(d.coresMissing, rn.ref(c))
		}
	}
	if !d.designated && len(d.members) > 0 {
		big := 0
		for i, m := range d.members {
			if m.Value > d.members[big].Value {
				big = i
			}
		}
		d.members[big].Core = true
	}
	return d
}

// spatialOf reads the spatial mode from member-city sizes
// (docs/methods.md#spatial-mode). Three criteria vote, each "concentrated"
// when met: core primacy ≥ core_primacy; the cores' share ≥ core_share_zipf
// × the share the top k hold under Zipf's law; rank-size q ≥ rank_size_q.
// More than half concentrated: core-led; fewer: multi-point; a tie or no
// criterion: undetermined.
func (rn *runner) spatialOf(d sizeData, th func(string) float64) (string, []Evidence) {
	cores, others := d.split()
	n := len(d.members)
	if n < rn.cfg.Size.MinMembers || len(cores) == 0 || len(others) == 0 {
		return Undetermined, nil
	}
	all := values(d.members)
	var total, coreSum float64
	for _, v := range all {
		total += v
	}
	for _, v := range cores {
		coreSum += v
	}
	var evs []Evidence
	if cp := measure.CorePrimacy(cores, others); isFinite(cp) {
		evs = append(evs, rn.ev("core_primacy", cp, th(thCorePrimacy), "≥"))
	}
	if cs, e := coreSum/total, measure.ZipfTopShare(len(cores), n); isFinite(cs) && isFinite(e) {
		evs = append(evs, rn.ev("core_share", cs, th(thCoreShareZipf)*e, "≥"))
	}
	if q := measure.RankSize(all, 0).Q; isFinite(q) {
		evs = append(evs, rn.ev("rank_size_q", q, th(thQ), "≥"))
	}
	conc := 0
	for _, e := range evs {
		if e.Met {
			conc++
		}
	}
	switch {
	case len(evs) == 0 || 2*conc == len(evs):
		return Undetermined, evs
	case 2*conc > len(evs):
		return CoreLed, evs
	}
	return MultiPoint, evs
}

// collapseOf checks the middle tier below the cores
// (docs/methods.md#central-collapse): the second tier (the m = max(2, k)
// largest non-core members) over the sizes the rank-size rule through the
// smallest core predicts; a ratio ≤ second_tier_ratio is a central
// collapse.
func (rn *runner) collapseOf(d sizeData, th func(string) float64) (Evidence, bool) {
	cores, others := d.split()
	if len(d.members) < rn.cfg.Size.MinMembers {
		return Evidence{}, false
	}
	r, _ := measure.SecondTier(cores, others, 0)
	if !isFinite(r) {
		return Evidence{}, false
	}
	return rn.ev("second_tier_ratio", r, th(thSecondTier), "≤"), true
}

// weakCoreOf places the largest core among every city of the data with the
// same indicator and year: a percentile below weak_core_percentile is a
// weak core. The comparison must be national: at least
// level.national_min_cities cities (a reading whose indicator covers only
// some agglomerations' cities cannot place a core in the nation).
func (rn *runner) weakCoreOf(d sizeData, th func(string) float64) (Evidence, bool) {
	cores, _ := d.split()
	if len(cores) == 0 {
		return Evidence{}, false
	}
	best := slices.Max(cores)
	dist := rn.distribution(d.v.ind, dataset.LevelCity, d.v.year)
	if len(dist) < rn.cfg.Level.NationalMinCities {
		return Evidence{}, false
	}
	below := 0
	for _, v := range dist {
		if v < best {
			below++
		}
	}
	p := float64(below) / float64(len(dist))
	return rn.ev("core_percentile", p, th(thWeakCorePct), "<"), true
}

// spatial sets the spatial mode, the central-collapse and weak-core checks
// and their findings.
func (rn *runner) spatial(a *Agglomeration, agg *dataset.Region, th func(string) float64) {
	variants := rn.sizeVariants(agg)
	a.Notes = append(a.Notes, rn.sizeNotes[agg.Code]...)
	a.Cores = agg.Cores()
	a.CoresDesignated = len(a.Cores) > 0
	if len(variants) == 0 {
		why := rn.noSizeReason(agg)
		a.Notes = append(a.Notes, why)
		a.Findings = append(a.Findings, notAssessable(AxisSpatial, why))
		for _, id := range []string{ProblemCentralCollapse, ProblemWeakCore} {
			a.addProblem(id, nil, false, why)
			a.Findings = append(a.Findings, notAssessable(ProblemAxis(id), why))
		}
		return
	}
	nom := rn.sizeData(agg, variants[0])
	a.Members, a.MissingMembers = nom.members, nonNil(nom.missing)
	a.SizeIndicator, a.SizeYear = nom.v.ind, nom.v.year
	if !nom.designated {
		a.Cores = nil
		for _, m := range nom.members {
			if m.Core {
				a.Cores = append(a.Cores, m.Code)
			}
		}
		a.Notes = append(a.Notes, i18n.T("资料没有指明核心城市：以规模最大的成员代替", "the sources name no core city: the largest member stands in"))
	}
	if len(nom.coresMissing) > 0 {
		z, e := listNames(nom.coresMissing, 0)
		a.Notes = append(a.Notes, i18n.T("核心城市缺少数据："+z, "core cities without data: "+e))
	}
	if len(nom.missing) > 0 {
		z, e := listNames(nom.missing, 8)
		n := rn.indicatorName(nom.v.ind)
		a.Notes = append(a.Notes, i18n.T(fmt.Sprintf("%d 个成员城市缺少%s数据，未计入（%s）", len(nom.missing), n.ZH, z),
			fmt.Sprintf("%d member cities lack %s and are not counted (%s)", len(nom.missing), lowerFirst(n.EN), e)))
	}
	if len(a.PartialMembers) > 0 {
		z, e := listNames(a.PartialMembers, 0)
		a.Notes = append(a.Notes, i18n.T("部分成员按全域计入（其数据包含规划范围以外的区县，份额偏高）："+z+"；剔除这些成员的结果计入置信度变体",
			"partial members are counted whole (their data include districts outside the plan, so their shares are too high): "+e+"; leaving them out is one of the confidence variants"))
	}
	label, evs := rn.spatialOf(nom, th)
	a.SpatialMode, a.SpatialEvidence = label, nonNil(evs)
	collapse, okC := rn.collapseOf(nom, th)
	weak, okW := rn.weakCoreOf(nom, th)
	varied := variedOf(variants)
	// Every variant votes on the spatial mode; a variant that cannot
	// assess a problem (too few cities to compare the core with the
	// nation, too few non-core members) has no vote on it.
	var outS, outC, outW []string
	a.SpatialReadings = []SizeReading{}
	for i, v := range variants {
		d := rn.sizeData(agg, v)
		a.SpatialReadings = append(a.SpatialReadings, rn.reading(d, i == 0, th))
		for _, f := range rn.cfg.Confidence.Factors {
			t := rn.scaled(f)
			l, _ := rn.spatialOf(d, t)
			outS = append(outS, l)
			if c, ok := rn.collapseOf(d, t); ok {
				outC = append(outC, boolOutcome(c.Met, true))
			}
			if w, ok := rn.weakCoreOf(d, t); ok {
				outW = append(outW, boolOutcome(w.Met, true))
			}
		}
	}
	if label == Undetermined {
		why := i18n.Tf("空间判据各半或不足（成员 %d 个，核心 %d 个）", "the spatial criteria split evenly or are missing (%d members, %d cores)", len(nom.members), len(a.Cores))
		a.Notes = append(a.Notes, why)
		f := rn.judge(AxisSpatial, label, outS, varied, i18n.Text{})
		f.Reason = why
		f.Text = findingText(f)
		a.Findings = append(a.Findings, f)
	} else {
		a.Findings = append(a.Findings, rn.judge(AxisSpatial, label, outS, varied, i18n.Text{}))
	}
	whyC := i18n.T("非核心成员少于 2 个，或成员城市不足", "fewer than 2 non-core members, or too few member cities")
	a.addProblem(ProblemCentralCollapse, []Evidence{collapse}, okC, whyC)
	a.Findings = append(a.Findings, rn.problemFinding(ProblemCentralCollapse, boolOutcome(collapse.Met, okC), outC, varied, whyC))
	whyW := i18n.Tf("数据中有同一指标的城市少于 %d 个，无法与全国城市比较", "fewer than %d cities in the data have the indicator: no national comparison", rn.cfg.Level.NationalMinCities)
	a.addProblem(ProblemWeakCore, []Evidence{weak}, okW, whyW)
	a.Findings = append(a.Findings, rn.problemFinding(ProblemWeakCore, boolOutcome(weak.Met, okW), outW, varied, whyW))
}

// SizeReading is one reading of the member cities' size behind the
// spatial mode: the indicator and its year, whether partial members were
// left out, the members counted, the cores' combined share and the label
// this reading gives at the configured thresholds, with its criteria.
type SizeReading struct {
	Indicator       string     `json:"indicator"`
	Name            i18n.Text  `json:"name"`
	Year            int        `json:"year"`
	PartialExcluded bool       `json:"partial_excluded,omitempty"`
	Nominal         bool       `json:"nominal,omitempty"`
	Members         int        `json:"members"`
	CoreShare       float64    `json:"core_share"`
	Label           string     `json:"label"`
	Evidence        []Evidence `json:"evidence"`
	Text            i18n.Text  `json:"text"`
}

// reading summarises one size variant for users: "专利数 2017：核心引领
// （核心份额 62%）".
func (rn *runner) reading(d sizeData, nominal bool, th func(string) float64) SizeReading {
	label, evs := rn.spatialOf(d, th)
	r := SizeReading{Indicator: d.v.ind, Name: rn.indicatorName(d.v.ind), Year: d.v.year, PartialExcluded: d.v.exclude, Nominal: nominal,
		Members: len(d.members), Label: label, Evidence: nonNil(evs)}
	var total, cores float64
	for _, m := range d.members {
		total += m.Value
		if m.Core {
			cores += m.Value
		}
	}
	if total > 0 {
		r.CoreShare = cores / total
	}
	l := Label(label)
	zh := fmt.Sprintf("%s %d：%s（核心份额 %s", r.Name.ZH, r.Year, l.ZH, pct(r.CoreShare))
	en := fmt.Sprintf("%s %d: %s (cores' share %s", lowerFirst(r.Name.EN), r.Year, l.EN, pct(r.CoreShare))
	if d.v.exclude {
		zh += "，不计部分成员"
		en += ", partial members left out"
	}
	r.Text = i18n.T(zh+"）", en+")")
	return r
}

// problemFinding judges a problem's outcome over its variants.
func (rn *runner) problemFinding(id, nominal string, outcomes, varied []string, why i18n.Text) Finding {
	if nominal == Undetermined {
		return notAssessable(ProblemAxis(id), why)
	}
	return rn.judge(ProblemAxis(id), nominal, outcomes, varied, i18n.Text{})
}

// variedOf says what the size variants vary.
func variedOf(vs []sizeVariant) []string {
	out := []string{VaryThresholds}
	inds, years := map[string]bool{}, map[int]bool{}
	partial := false
	for _, v := range vs {
		inds[v.ind] = true
		years[v.year] = true
		partial = partial || v.exclude
	}
	if len(inds) > 1 {
		out = append(out, VaryIndicator)
	}
	if len(years) > 1 {
		out = append(out, VaryYear)
	}
	if partial {
		out = append(out, VaryPartial)
	}
	return out
}

// noSizeReason explains why the spatial structure cannot be read: no
// member-city size, only province data, or a city indicator that could
// serve if named.
func (rn *runner) noSizeReason(agg *dataset.Region) i18n.Text {
	var cityInds []string
	for i := range rn.ds.Indicators {
		ind := rn.ds.Indicators[i].Code
		if len(rn.yearsOf(ind, dataset.LevelCity)) == 0 || !rn.sizeIndicator(ind) {
			continue
		}
		if vals, _ := rn.memberValues(agg.Members, ind, rn.yearsOf(ind, dataset.LevelCity)[len(rn.yearsOf(ind, dataset.LevelCity))-1], false); len(vals) >= rn.cfg.Size.MinMembers {
			cityInds = append(cityInds, ind)
		}
	}
	sort.Strings(cityInds)
	w := rn.indicatorList(rn.cfg.Size.Indicators)
	wanted, wantedEN := w.ZH, w.EN
	if len(cityInds) > 0 {
		return i18n.T(fmt.Sprintf("数据没有成员城市的规模指标（%s）；数据中的城市级指标“%s”若表示人口或经济总量，可在阈值文件的规模指标列表中指定", wanted, rn.indicatorList(cityInds).ZH),
			fmt.Sprintf("the data have no member-city size indicator (%s); if the city indicators %s measure population or output, name them in size.indicators of a thresholds file", wantedEN, strings.Join(cityInds, ", ")))
	}
	return i18n.T(fmt.Sprintf("在这一空间单元无法判断：数据没有成员城市的规模（%s），省级数据看不到城市群内部的核心—外围结构", wanted),
		fmt.Sprintf("not assessable at this spatial unit: the data have no member-city size (%s), and province data cannot show the core-periphery structure inside the agglomeration", wantedEN))
}

// nonNil returns x, or an empty slice for nil (JSON [] rather than null).
func nonNil[T any](x []T) []T {
	if x == nil {
		return []T{}
	}
	return x
}
