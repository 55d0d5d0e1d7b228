package analysis

import (
	"math"
	"sort"
	"strconv"

	"agglo/internal/dataset"
	"agglo/internal/i18n"
)

// Units is a cross-section taken from a dataset: the regions that have data
// for the requested indicators in one year, with their values.
type Units struct {
	Codes  []string
	Names  []string // in the requested language
	Level  dataset.Level
	Year   int
	Values [][]float64 // Values[k][i]: indicator k, unit i; NaN where missing
	// Dropped counts regions left out because they lacked every indicator
	// or were at another level.
	Dropped int
}

// CrossSection selects the units for the given indicators. year 0 takes the
// latest year in which the first indicator has data. When several levels
// carry the indicator (the embedded data have the nation, the five
// agglomerations and provinces), the level with the most units is used.
func CrossSection(ds *dataset.Dataset, indicators []string, year int, lang string) (*Units, error) {
	if len(indicators) == 0 {
		return nil, i18n.Errorf("没有指定指标", "no indicator given")
	}
	idx := make([]int, len(indicators))
	for k, code := range indicators {
		i, ok := ds.IndicatorIndex(code)
		if !ok {
			if ind, ok2 := ds.Catalogue.Match(code); ok2 {
				i, ok = ds.IndicatorIndex(ind.Code)
				indicators[k] = ind.Code
			}
			if !ok {
				return nil, i18n.Errorf("数据中没有指标“%s”（可用：%s）", "indicator %q is not in the data (available: %s)", code, availableIndicators(ds))
			}
		}
		idx[k] = i
	}
	if year == 0 {
		for o := range ds.All() {
			if int(o.Indicator) == idx[0] && int(o.Year) > year {
				year = int(o.Year)
			}
		}
	}
	byLevel := map[dataset.Level]int{}
	has := map[int32]bool{}
	for o := range ds.All() {
		if int(o.Indicator) == idx[0] && int(o.Year) == year && !has[o.Region] {
			has[o.Region] = true
			// Municipalities are provinces and cities at once: they go
			// with whichever of the two levels the other units have.
			if !ds.Regions[o.Region].IsMunicipality() {
				byLevel[ds.Regions[o.Region].Level]++
			}
		}
	}
	if len(has) == 0 {
		return nil, i18n.Errorf("指标“%s”在 %d 年没有数据", "indicator %q has no data in %d", indicators[0], year)
	}
	level := dataset.LevelProvince
	if len(byLevel) > 0 {
		level = ""
		for l, n := range byLevel {
			if n > byLevel[level] || (n == byLevel[level] && l < level) {
				level = l
			}
		}
	}
	u := &Units{Level: level, Year: year, Values: make([][]float64, len(indicators))}
	var regions []int32
	for r := range has {
		reg := &ds.Regions[r]
		if reg.Level == level || (reg.IsMunicipality() && (level == dataset.LevelCity || level == dataset.LevelProvince)) {
			regions = append(regions, r)
		} else {
			u.Dropped++
		}
	}
	sort.Slice(regions, func(a, b int) bool { return regions[a] < regions[b] })
	for _, r := range regions {
		reg := ds.Regions[r]
		u.Codes = append(u.Codes, reg.Code)
		u.Names = append(u.Names, reg.Name(lang))
	}
	for k, code := range indicators {
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
	aggs := dataset.AgglomerationCodes()
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

// GroupsFromIndicator uses an indicator's values (rounded) as group labels,
// for --group COL on a user's file. Units without a value get -1.
func GroupsFromIndicator(ds *dataset.Dataset, codes []string, indicator string, year int) ([]int, []string, error) {
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
