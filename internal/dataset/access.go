package dataset

import (
	"io"
	"iter"
	"sort"
)

// This file is the read API that code outside the package uses. Nothing
// outside package dataset reads ds.Obs directly, so that the storage of
// observations can change without touching the analyses.

// Len returns the number of observations.
func (ds *Dataset) Len() int { return len(ds.Obs) }

// All yields every observation, in storage order.
func (ds *Dataset) All() iter.Seq[Observation] {
	return func(yield func(Observation) bool) {
		for _, o := range ds.Obs {
			if !yield(o) {
				return
			}
		}
	}
}

// RegionObservationCounts returns, per index of ds.Regions, how many
// observations the region has.
func (ds *Dataset) RegionObservationCounts() []int {
	out := make([]int, len(ds.Regions))
	for _, o := range ds.Obs {
		out[o.Region]++
	}
	return out
}

// IndicatorYears returns, per index of ds.Indicators, the number of
// observations and the distinct years (ascending) of each indicator.
func (ds *Dataset) IndicatorYears() (counts []int, years [][]int) {
	counts = make([]int, len(ds.Indicators))
	seen := make([]map[int32]bool, len(ds.Indicators))
	for _, o := range ds.Obs {
		counts[o.Indicator]++
		if seen[o.Indicator] == nil {
			seen[o.Indicator] = map[int32]bool{}
		}
		seen[o.Indicator][o.Year] = true
	}
	years = make([][]int, len(ds.Indicators))
	for i, m := range seen {
		for y := range m {
			years[i] = append(years[i], int(y))
		}
		sort.Ints(years[i])
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
	seen := map[int32]bool{}
	for _, o := range ds.Obs {
		if int(o.Indicator) == ii && (keep == nil || keep(int(o.Region))) {
			seen[o.Year] = true
		}
	}
	out := make([]int, 0, len(seen))
	for y := range seen {
		out = append(out, int(y))
	}
	sort.Ints(out)
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
