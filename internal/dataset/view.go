package dataset

import (
	"slices"

	"agglo/internal/i18n"
)

// AsOf returns the dataset as it stood in year: the values of that year
// and earlier, and those without a year (0). Analyses that take each
// indicator at its latest year then take it at year or before, and those
// that compare years (a panel, the siphon effect) see the years up to it.
// The columns are shared with ds, which is not changed; a note says what
// was left out. year ≤ 0 returns ds itself.
func (ds *Dataset) AsOf(year int) *Dataset {
	if year <= 0 {
		return ds
	}
	out := ds.shallow()
	dropped := 0
	for i, s := range ds.series {
		k, _ := slices.BinarySearchFunc(s, int32(year)+1, func(c *yearCol, y int32) int { return int(c.year) - int(y) })
		out.series[i] = slices.Clone(s[:k])
		for _, c := range s[k:] {
			dropped += int(c.n)
		}
	}
	out.refresh()
	if dropped > 0 {
		out.Notes = append(slices.Clone(out.Notes), Issue{Text: i18n.Tf("按 --year %d：%d 个晚于 %d 年的数值未使用", "--year %d: %d values of years after %d are left out", year, dropped, year)})
	}
	return out
}

// WithRegistry returns the dataset with another registry (one with
// user-defined agglomerations, or another default set): the regions,
// values and provenance are shared with ds, which is not changed. The
// registry must know every region of ds (a registry made from ds's by
// WithAgglomerations or WithDefaults does).
func (ds *Dataset) WithRegistry(reg *Registry) *Dataset {
	out := ds.shallow()
	out.Registry = reg
	return out
}

// shallow copies the dataset's header; columns and regions are shared.
func (ds *Dataset) shallow() *Dataset {
	out := *ds
	out.series = slices.Clone(ds.series)
	out.years = slices.Clone(ds.years)
	out.regionIdx, out.indIdx = nil, nil
	out.ensureIndex()
	return &out
}
