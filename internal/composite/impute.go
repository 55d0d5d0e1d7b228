package composite

import (
	"math"
	"slices"
)

// impute fills missing values of each column per s. groups[i] is the group
// of unit i (used by the group methods). It returns the number of values
// imputed per column.
func impute(cols [][]float64, s Imputation, groups []string) ([][]float64, []int) {
	counts := make([]int, len(cols))
	if s.Method == "" || s.Method == ImputeNone {
		return cols, counts
	}
	out := make([][]float64, len(cols))
	useMedian := s.Method == ImputeMedian || s.Method == ImputeGroupMedian
	stat := func(v []float64) float64 {
		if useMedian {
			return median(v)
		}
		m, _, _ := meanSD(v)
		return m
	}
	byGroup := s.Method == ImputeGroupMean || s.Method == ImputeGroupMedian
	for j, c := range cols {
		hasNaN := slices.ContainsFunc(c, math.IsNaN)
		if !hasNaN {
			out[j] = c
			continue
		}
		y := slices.Clone(c)
		all := stat(c)
		var gstat map[string]float64
		if byGroup {
			members := map[string][]float64{}
			for i, v := range c {
				members[groups[i]] = append(members[groups[i]], v)
			}
			gstat = map[string]float64{}
			for g, v := range members {
				gstat[g] = stat(v)
			}
		}
		for i, v := range y {
			if !math.IsNaN(v) {
				continue
			}
			fill := all
			if byGroup {
				if g := gstat[groups[i]]; !math.IsNaN(g) {
					fill = g
				}
			}
			y[i] = fill
			counts[j]++
		}
		out[j] = y
	}
	return out, counts
}
