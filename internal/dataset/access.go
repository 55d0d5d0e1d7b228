package dataset

import (
	"io"
	"iter"
	"math"
	"slices"
)

// This file is the read API that code outside the package uses: nothing
// outside package dataset sees how values are stored.

// Len returns the number of observations.
func (ds *Dataset) Len() int { return ds.n }

// All yields every observation, ordered by indicator (as in
// ds.Indicators), year and region (as in ds.Regions).
func (ds *Dataset) All() iter.Seq[Observation] {
	return func(yield func(Observation) bool) {
		for i, s := range ds.series {
			for _, c := range s {
				ok := true
				c.each(func(p int) bool {
					ok = yield(c.obs(p, c.region(p), int32(i)))
					return ok
				})
				if !ok {
					return
				}
			}
		}
	}
}

// RegionObservationCounts returns, per index of ds.Regions, how many
// observations the region has.
func (ds *Dataset) RegionObservationCounts() []int {
	out := make([]int, len(ds.Regions))
	for _, s := range ds.series {
		for _, c := range s {
			if c.dense {
				for r, v := range c.vals {
					if !math.IsNaN(v) {
						out[r]++
					}
				}
				continue
			}
			for _, r := range c.at {
				out[r]++
			}
		}
	}
	return out
}

// IndicatorYears returns, per index of ds.Indicators, the number of
// observations and the distinct years (ascending) of each indicator.
func (ds *Dataset) IndicatorYears() (counts []int, years [][]int) {
	counts = make([]int, len(ds.Indicators))
	years = make([][]int, len(ds.Indicators))
	for i, s := range ds.series {
		for _, c := range s {
			counts[i] += int(c.n)
			years[i] = append(years[i], int(c.year))
		}
	}
	return counts, years
}

// YearsOf returns the distinct years (ascending) in which the indicator
// has a value for at least one region accepted by keep (nil keeps all).
func (ds *Dataset) YearsOf(indicator string, keep func(region int) bool) []int {
	ii, ok := ds.IndicatorIndex(indicator)
	if !ok {
		return nil
	}
	var out []int
	for _, c := range ds.series[ii] {
		found := keep == nil && c.n > 0
		if !found {
			c.each(func(p int) bool {
				found = keep(int(c.region(p)))
				return !found
			})
		}
		if found {
			out = append(out, int(c.year))
		}
	}
	return out
}

// Slice returns the values of one indicator in one year, aligned with
// ds.Regions (NaN where a region has no value): a cross-section. It costs
// one binary search over the indicator's years and one copy of
// len(ds.Regions) numbers; the result belongs to the caller. An unknown
// indicator gives nil; a year without values gives all NaN.
func (ds *Dataset) Slice(indicator string, year int) []float64 {
	i, ok := ds.IndicatorIndex(indicator)
	if !ok {
		return nil
	}
	return ds.sliceOf(ds.columnOf(i, year))
}

func (ds *Dataset) sliceOf(c *yearCol) []float64 {
	out := make([]float64, len(ds.Regions))
	switch {
	case c == nil:
		for r := range out {
			out[r] = math.NaN()
		}
	case c.dense:
		n := copy(out, c.vals)
		for r := n; r < len(out); r++ {
			out[r] = math.NaN()
		}
	default:
		for r := range out {
			out[r] = math.NaN()
		}
		for k, r := range c.at {
			out[r] = c.vals[k]
		}
	}
	return out
}

// Panel returns one indicator over all its years: the years (ascending)
// and, for each, the values aligned with ds.Regions as Slice gives them.
// An unknown indicator gives nil, nil.
func (ds *Dataset) Panel(indicator string) (years []int, values [][]float64) {
	i, ok := ds.IndicatorIndex(indicator)
	if !ok {
		return nil, nil
	}
	s := ds.series[i]
	years = make([]int, len(s))
	values = make([][]float64, len(s))
	for k, c := range s {
		years[k] = int(c.year)
		values[k] = ds.sliceOf(c)
	}
	return years, values
}

// UnitsWith returns the indices (into ds.Regions, ascending) of the
// regions that have a value of every given indicator in year. An
// indicator that is not in the data, or no indicator at all, gives none.
func (ds *Dataset) UnitsWith(indicators []string, year int) []int {
	if len(indicators) == 0 {
		return nil
	}
	cols := make([]*yearCol, len(indicators))
	for k, code := range indicators {
		i, ok := ds.IndicatorIndex(code)
		if !ok {
			return nil
		}
		if cols[k] = ds.columnOf(i, year); cols[k] == nil {
			return nil
		}
	}
	// Start from the column with fewest values.
	slices.SortFunc(cols, func(a, b *yearCol) int { return int(a.n) - int(b.n) })
	var out []int
	cols[0].each(func(p int) bool {
		r := cols[0].region(p)
		for _, c := range cols[1:] {
			if c.pos(r) < 0 {
				return true
			}
		}
		out = append(out, int(r))
		return true
	})
	return out
}

// DecodeText returns CSV text as UTF-8, detecting the encoding as Read
// does (UTF-8 with or without byte-order mark, UTF-16 with one, or
// GBK/GB18030); binary content and other encodings are errors. Importers
// of other layouts (COINr's tables) use it so that every CSV file is
// decoded the same way.
func DecodeText(r io.Reader) (io.Reader, error) {
	out, _, err := decodeText(r)
	return out, err
}
