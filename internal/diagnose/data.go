package diagnose

import (
	"math"
	"sort"
	"strings"

	"gonum.org/v1/gonum/stat"

	"agglo/internal/dataset"
	"agglo/internal/i18n"
)

// runner holds one diagnosis run: the data, the settings, the diagnosed
// agglomerations and caches of national distributions.
type runner struct {
	ds   *dataset.Dataset
	cfg  Config
	aggs []*dataset.Region
	// dists caches the values of every unit of a kind (province or city)
	// for an indicator and year: the national distribution.
	dists map[distKey]map[string]float64
	years map[distKey][]int
	stats map[statKey][2]float64
	// Per-agglomeration readings, which do not depend on the thresholds
	// (the sensitivity table re-labels them many times).
	sizeV map[string][]sizeVariant
	// sizeNotes say which size indicators were not used for an
	// agglomeration's spatial mode, and why.
	sizeNotes map[string][]i18n.Text
	flowV     map[string][]flowVariant
	levelV    map[string][]levelVariant
	items     map[string][]openItem
	// links caches the gravity linkage of each agglomeration's member
	// cities and the pooled threshold (computed once per run).
	links *linkage
}

type distKey struct {
	ind  string
	kind dataset.Level // LevelProvince or LevelCity
	year int
}

type statKey struct {
	distKey
	log bool
}

func newRunner(ds *dataset.Dataset, cfg Config, aggs []*dataset.Region) *runner {
	return &runner{ds: ds, cfg: cfg, aggs: aggs, dists: map[distKey]map[string]float64{}, years: map[distKey][]int{}, stats: map[statKey][2]float64{},
		sizeV: map[string][]sizeVariant{}, sizeNotes: map[string][]i18n.Text{}, flowV: map[string][]flowVariant{}, levelV: map[string][]levelVariant{}, items: map[string][]openItem{}}
}

// kindOf says whether a region counts as a province or a city: the four
// municipalities are both (their province values are city values).
func kindOf(r *dataset.Region, kind dataset.Level) bool {
	switch kind {
	case dataset.LevelProvince:
		return r.Level == dataset.LevelProvince
	case dataset.LevelCity:
		return r.Level == dataset.LevelCity || r.Level == dataset.LevelCounty || r.IsMunicipality()
	}
	return false
}

// has reports whether the data have the indicator, directly or through the
// components of its roll-up ratio.
func (rn *runner) has(ind string) bool {
	if ind == "" {
		return false
	}
	if _, ok := rn.ds.IndicatorIndex(ind); ok {
		return true
	}
	if r, ok := dataset.RollupRuleOf(ind); ok && r.Kind == dataset.RollupRatio {
		_, a := rn.ds.IndicatorIndex(r.Numerator)
		_, b := rn.ds.IndicatorIndex(r.Denominator)
		return a && b
	}
	return false
}

// value is a unit's value of ind in year: the value in the data, or the
// ratio of its components by the indicator's roll-up rule.
func (rn *runner) value(code, ind string, year int) (float64, bool) {
	if v, ok := rn.ds.Value(code, ind, year); ok && isFinite(v) {
		return v, true
	}
	if r, ok := dataset.RollupRuleOf(ind); ok && r.Kind == dataset.RollupRatio {
		a, ok1 := rn.ds.Value(code, r.Numerator, year)
		b, ok2 := rn.ds.Value(code, r.Denominator, year)
		if ok1 && ok2 && b != 0 && isFinite(a) && isFinite(b) {
			return r.Scale * a / b, true
		}
	}
	return math.NaN(), false
}

// yearsOf lists the years (ascending) in which some unit of the kind has a
// value of ind.
func (rn *runner) yearsOf(ind string, kind dataset.Level) []int {
	key := distKey{ind: ind, kind: kind}
	if ys, ok := rn.years[key]; ok {
		return ys
	}
	codes := []string{ind}
	if r, ok := dataset.RollupRuleOf(ind); ok && r.Kind == dataset.RollupRatio {
		if _, direct := rn.ds.IndicatorIndex(ind); !direct {
			codes = []string{r.Numerator}
		}
	}
	keep := func(i int) bool { return kindOf(&rn.ds.Regions[i], kind) }
	var out []int
	for _, c := range codes {
		for _, y := range rn.ds.YearsOf(c, keep) {
			if len(rn.distribution(ind, kind, y)) > 0 {
				out = append(out, y)
			}
		}
	}
	sort.Ints(out)
	rn.years[key] = out
	return out
}

// latest is the last year of yearsOf, ok false when there is none.
func (rn *runner) latest(ind string, kind dataset.Level) (int, bool) {
	ys := rn.yearsOf(ind, kind)
	if len(ys) == 0 {
		return 0, false
	}
	return ys[len(ys)-1], true
}

// distribution returns the value of ind in year of every unit of the kind
// in the data: the national distribution the level, the openness and the
// weak-core check compare against.
func (rn *runner) distribution(ind string, kind dataset.Level, year int) map[string]float64 {
	key := distKey{ind, kind, year}
	if d, ok := rn.dists[key]; ok {
		return d
	}
	d := map[string]float64{}
	for i := range rn.ds.Regions {
		r := &rn.ds.Regions[i]
		if !kindOf(r, kind) {
			continue
		}
		if v, ok := rn.value(r.Code, ind, year); ok {
			d[r.Code] = v
		}
	}
	rn.dists[key] = d
	return d
}

// memberValues returns the members with a value of ind in year, in member
// order, and the members without one. Partial members are left out (and
// not counted missing) when exclude is set.
func (rn *runner) memberValues(members []dataset.Member, ind string, year int, exclude bool) (vals []MemberValue, missing []MemberRef) {
	for _, m := range members {
		if exclude && m.Partial {
			continue
		}
		v, ok := rn.value(m.Code, ind, year)
		if !ok {
			missing = append(missing, rn.ref(m.Code))
			continue
		}
		mv := MemberValue{Code: m.Code, Value: v, Core: m.Core, Partial: m.Partial}
		if r, ok := rn.ds.Region(m.Code); ok {
			mv.Name, mv.NameE = r.NameZH, r.NameEN
		}
		vals = append(vals, mv)
	}
	return vals, missing
}

// ref names a region.
func (rn *runner) ref(code string) MemberRef {
	if r, ok := rn.ds.Region(code); ok {
		return MemberRef{Code: code, NameZH: r.NameZH, NameEN: r.NameEN}
	}
	return MemberRef{Code: code, NameZH: code, NameEN: code}
}

// indicatorName names an indicator in both languages.
func (rn *runner) indicatorName(ind string) i18n.Text {
	if i, ok := rn.ds.Indicator(ind); ok {
		return i18n.T(i.NameZH, i.NameEN)
	}
	if rn.ds.Catalogue != nil {
		if i, ok := rn.ds.Catalogue.Lookup(ind); ok {
			return i18n.T(i.NameZH, i.NameEN)
		}
	}
	return i18n.T(ind, ind)
}

// z standardises x against the national distribution of ind (every unit
// of the kind in the data in year), on a log scale when log is set; the
// distribution's mean and σ are computed once.
func (rn *runner) z(x float64, ind string, kind dataset.Level, year int, log bool) float64 {
	key := statKey{distKey{ind, kind, year}, log}
	st, ok := rn.stats[key]
	if !ok {
		st = [2]float64{math.NaN(), math.NaN()}
		if m, sd, ok := moments(rn.distribution(ind, kind, year), log); ok {
			st = [2]float64{m, sd}
		}
		rn.stats[key] = st
	}
	if log {
		if !(x > 0) {
			return math.NaN()
		}
		x = math.Log(x)
	}
	return (x - st[0]) / st[1]
}

// moments are the mean and population σ of a distribution (on a log scale
// when log is set: non-positive values are left out); ok is false with
// fewer than 3 values or σ = 0.
func moments(dist map[string]float64, log bool) (m, sd float64, ok bool) {
	keys := make([]string, 0, len(dist))
	for k := range dist {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	xs := make([]float64, 0, len(dist))
	for _, k := range keys {
		v := dist[k]
		if log {
			if !(v > 0) {
				continue
			}
			v = math.Log(v)
		}
		xs = append(xs, v)
	}
	if len(xs) < 3 {
		return 0, 0, false
	}
	m, sd = stat.PopMeanStdDev(xs, nil)
	return m, sd, sd > 0
}

// zscore standardises x against a distribution with the population
// standard deviation, z = (x − mean)/σ; NaN with fewer than 3 units or
// σ = 0 (docs/methods.md#comparison-set).
func zscore(x float64, dist map[string]float64, log bool) float64 {
	m, sd, ok := moments(dist, log)
	if !ok || (log && !(x > 0)) {
		return math.NaN()
	}
	if log {
		x = math.Log(x)
	}
	return (x - m) / sd
}

// indicatorList names indicators for a sentence.
func (rn *runner) indicatorList(codes []string) i18n.Text {
	var zh, en []string
	for _, c := range codes {
		n := rn.indicatorName(c)
		zh, en = append(zh, n.ZH), append(en, lowerFirst(n.EN))
	}
	return i18n.T(strings.Join(zh, "、"), strings.Join(en, ", "))
}
