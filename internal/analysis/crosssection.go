package analysis

import (
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"

	"agglo/internal/dataset"
	"agglo/internal/i18n"
)

// GroupAgglomeration is the name of the grouping of units by the
// agglomeration they belong to (composite.Unit.Groups, --group).
const GroupAgglomeration = "agglomeration"

// Selection chooses a cross-section of a dataset.
type Selection struct {
	// Indicators are codes (or catalogue names) of the indicators wanted.
	Indicators []string
	// Year is the year; 0 takes the latest year in which any of the
	// indicators has data.
	Year int
	// Level restricts the units to one region level; "" takes the level
	// with the most units that have any of the indicators.
	Level dataset.Level
	// Lang is the language of the unit names.
	Lang string
}

// Units is a cross-section taken from a dataset: the regions that have a
// value of at least one of the selected indicators in one year, with
// their values.
type Units struct {
	Indicators []string // resolved indicator codes, in the order asked
	Codes      []string
	Names      []string // in the requested language
	Level      dataset.Level
	Year       int
	Values     [][]float64 // Values[k][i]: indicator k, unit i; NaN where missing
	// Dropped counts regions left out because they were at another level.
	Dropped int
}

// atLevel reports whether a region belongs with units of level l:
// municipalities are provinces and cities at once, so they go with either;
// county-level cities administered directly by a province (仙桃, 济源: GB/T
// 2260 codes xx90xx) stand beside the prefecture-level cities in city
// tables, so they go with cities.
func atLevel(r *dataset.Region, l dataset.Level) bool {
	return r.Level == l || (r.IsMunicipality() && (l == dataset.LevelCity || l == dataset.LevelProvince)) ||
		(l == dataset.LevelCity && provinceAdministered(r))
}

// provinceAdministered reports whether r is a county-level unit directly
// under a province (省直辖县级行政单位), code xx90xx.
func provinceAdministered(r *dataset.Region) bool {
	return r.Level == dataset.LevelCounty && len(r.Code) == 6 && r.Code[2:4] == "90"
}

// CrossSection selects the units of sel: every region (at one level) that
// has a value of any of the indicators in the year. A unit missing some
// indicators is kept with NaN for them. The year defaults to the latest in
// which any indicator has data; the level defaults to the one with the most
// such regions (municipalities, being provinces and cities at once, count
// for neither and join whichever is chosen; county-level cities under a
// province count as cities).
func CrossSection(ds *dataset.Dataset, sel Selection) (*Units, error) {
	if len(sel.Indicators) == 0 {
		return nil, i18n.Errorf("没有指定指标", "no indicator given")
	}
	codes := make([]string, len(sel.Indicators))
	var wantList []int
	for k, code := range sel.Indicators {
		i, ok := ds.IndicatorIndex(code)
		if !ok {
			if ind, ok2 := ds.Catalogue.Match(code); ok2 {
				i, ok = ds.IndicatorIndex(ind.Code)
			}
			if !ok {
				return nil, notFound(FieldIndicator, i18n.Errorf("数据中没有指标“%s”（可用：%s）", "indicator %q is not in the data (available: %s)", code, availableIndicators(ds)))
			}
		}
		codes[k] = ds.Indicators[i].Code
		if !slices.Contains(wantList, i) {
			wantList = append(wantList, i)
		}
	}
	if sel.Level != "" {
		if _, ok := dataset.ParseLevel(string(sel.Level)); !ok {
			return nil, fieldError(FieldLevel, i18n.Errorf("层级“%s”无效", "invalid level %q", sel.Level))
		}
	}
	inLevel := func(r int32) bool { return sel.Level == "" || atLevel(&ds.Regions[r], sel.Level) }
	// Only the columns of the wanted indicators are read: the latest year
	// from their years (a column is scanned only when a level must be
	// checked), then each one's values in that year.
	year := sel.Year
	if year == 0 {
		found := false
		for _, i := range wantList {
			code := ds.Indicators[i].Code
			var keep func(int) bool
			if sel.Level != "" {
				keep = func(r int) bool { return inLevel(int32(r)) }
			}
			if ys := ds.YearsOf(code, keep); len(ys) > 0 && (!found || ys[len(ys)-1] > year) {
				year, found = ys[len(ys)-1], true
			}
		}
	}
	byLevel := map[dataset.Level]int{}
	has := map[int32]bool{}
	for _, i := range wantList {
		for r, v := range ds.Slice(ds.Indicators[i].Code, year) {
			r := int32(r)
			if math.IsNaN(v) || has[r] || !inLevel(r) {
				continue
			}
			has[r] = true
			switch reg := &ds.Regions[r]; {
			case provinceAdministered(reg):
				byLevel[dataset.LevelCity]++
			case !reg.IsMunicipality():
				byLevel[reg.Level]++
			}
		}
	}
	if len(has) == 0 {
		return nil, fieldError(FieldYear, i18n.Errorf("指标 %s 在 %d 年没有数据", "indicators %s have no data in %d", strings.Join(codes, ", "), year))
	}
	level := sel.Level
	if level == "" {
		// Agglomeration values (published or rolled up from the members)
		// are chosen only when asked for or when nothing else has data:
		// the members are the units of a cross-section.
		if len(byLevel) > 1 {
			delete(byLevel, dataset.LevelAgglomeration)
		}
		level = dataset.LevelProvince // only municipalities: they are provinces
		if len(byLevel) > 0 {
			level = ""
			for l, n := range byLevel {
				if n > byLevel[level] || (n == byLevel[level] && l < level) {
					level = l
				}
			}
		}
	}
	u := &Units{Indicators: codes, Level: level, Year: year, Values: make([][]float64, len(codes))}
	regions := make([]int32, 0, len(has))
	for r := range has {
		if atLevel(&ds.Regions[r], level) {
			regions = append(regions, r)
		} else {
			u.Dropped++
		}
	}
	sort.Slice(regions, func(a, b int) bool { return regions[a] < regions[b] })
	for _, r := range regions {
		reg := &ds.Regions[r]
		u.Codes = append(u.Codes, reg.Code)
		u.Names = append(u.Names, reg.Name(sel.Lang))
	}
	for k, code := range codes {
		u.Values[k] = ds.Column(u.Codes, code, year)
	}
	return u, nil
}

func availableIndicators(ds *dataset.Dataset) string {
	s := ""
	for i, ind := range ds.Indicators {
		if i > 0 {
			s += ", "
		}
		if i == 12 {
			return s + "…"
		}
		s += ind.Code
	}
	return s
}

// AgglomerationGroups labels each unit with the agglomeration it belongs to
// (by the registry's province or city membership); -1 for none. It returns
// the labels and the agglomeration codes they index.
func AgglomerationGroups(ds *dataset.Dataset, codes []string, level dataset.Level) ([]int, []string) {
	of := ds.Registry.AgglomerationOf(level)
	if level != dataset.LevelProvince {
		for k, v := range ds.Registry.AgglomerationOf(dataset.LevelCity) {
			of[k] = v
		}
	}
	var aggs []string
	for _, a := range ds.Registry.Agglomerations() {
		aggs = append(aggs, a.Code)
	}
	pos := map[string]int{}
	for i, a := range aggs {
		pos[a] = i
	}
	out := make([]int, len(codes))
	for i, c := range codes {
		out[i] = -1
		if a, ok := of[c]; ok {
			out[i] = pos[a]
		}
	}
	return out, aggs
}

// GroupsFromIndicator gives the groups of --group COL on a user's file: a
// text column's labels (an attribute of the units, e.g. 地区类型 东部, in
// the order they first appear), or a numeric column's values (rounded).
// Units without a label or value get -1.
func GroupsFromIndicator(ds *dataset.Dataset, codes []string, indicator string, year int) ([]int, []string, error) {
	if a, ok := ds.Attribute(indicator); ok {
		var names []string
		pos := map[string]int{}
		out := make([]int, len(codes))
		for i, c := range codes {
			out[i] = -1
			v, ok := a.Values[c]
			if !ok || v == "" {
				continue
			}
			k, seen := pos[v]
			if !seen {
				k = len(names)
				pos[v] = k
				names = append(names, v)
			}
			out[i] = k
		}
		return out, names, nil
	}
	if _, ok := ds.IndicatorIndex(indicator); !ok {
		return nil, nil, i18n.Errorf("分组列“%s”不在数据中", "group column %q is not in the data", indicator)
	}
	vals := ds.Column(codes, indicator, year)
	if allNaN(vals) {
		// Group labels usually carry no year (a wide file's "region type" column).
		vals = ds.Column(codes, indicator, 0)
	}
	seen := map[int]bool{}
	var keys []int
	for _, v := range vals {
		if !math.IsNaN(v) && !seen[int(math.Round(v))] {
			seen[int(math.Round(v))] = true
			keys = append(keys, int(math.Round(v)))
		}
	}
	sort.Ints(keys)
	pos := map[int]int{}
	names := make([]string, len(keys))
	for i, k := range keys {
		pos[k] = i
		names[i] = strconv.Itoa(k)
	}
	out := make([]int, len(vals))
	for i, v := range vals {
		out[i] = -1
		if !math.IsNaN(v) {
			out[i] = pos[int(math.Round(v))]
		}
	}
	return out, names, nil
}

func allNaN(x []float64) bool {
	for _, v := range x {
		if !math.IsNaN(v) {
			return false
		}
	}
	return true
}
