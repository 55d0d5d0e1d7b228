package dataset

import (
	"math"
	"slices"
	"sort"
)

// column holds the values of one indicator in one year.
//
// A dense column is aligned with the dataset's regions: vals[r] is region
// r's value, NaN when it has none (regions at or beyond len(vals), added
// after the column was built, have none either). A sparse column lists the
// regions that have a value: at[k] (ascending) has value vals[k]. Values are
// never NaN, so NaN marks absence unambiguously.
//
// Provenance is held per position p (a region for a dense column, k for a
// sparse one): rows[p] is the file row (nil when every row is 0), src and
// col the source index and file column, stored once when they are the same
// for the whole column.
type yearCol struct {
	year  int32
	dense bool
	n     int32 // values present
	at    []int32
	vals  []float64
	rows  []int32
	src   attr
	col   attr
}

// attr is an int32 per position, stored as one number while every position
// has the same.
type attr struct {
	c int32
	v []int32
}

func (a *attr) get(p int) int32 {
	if a.v == nil {
		return a.c
	}
	return a.v[p]
}

// set sets position p of a column of size positions; first says that the
// column holds no value yet, so that the constant can still be chosen.
func (a *attr) set(p, size int, x int32, first bool) {
	if a.v == nil {
		if first {
			a.c = x
		}
		if x == a.c {
			return
		}
		a.v = make([]int32, size)
		for i := range a.v {
			a.v[i] = a.c
		}
	}
	a.v[p] = x
}

// pos returns the position of region r, or -1 when r has no value.
func (c *yearCol) pos(r int32) int {
	if c.dense {
		if int(r) < len(c.vals) && r >= 0 && !math.IsNaN(c.vals[r]) {
			return int(r)
		}
		return -1
	}
	k, ok := slices.BinarySearch(c.at, r)
	if !ok {
		return -1
	}
	return k
}

// region returns the region at position p.
func (c *yearCol) region(p int) int32 {
	if c.dense {
		return int32(p)
	}
	return c.at[p]
}

func (c *yearCol) row(p int) int32 {
	if c.rows == nil {
		return 0
	}
	return c.rows[p]
}

// obs makes the observation at position p.
func (c *yearCol) obs(p int, r, ind int32) Observation {
	return Observation{Value: c.vals[p], Region: r, Indicator: ind, Year: c.year, Source: c.src.get(p), Row: c.row(p), Col: c.col.get(p)}
}

// each calls f with every present position, ascending by region.
func (c *yearCol) each(f func(p int) bool) {
	if c.dense {
		for p, v := range c.vals {
			if !math.IsNaN(v) && !f(p) {
				return
			}
		}
		return
	}
	for p := range c.vals {
		if !f(p) {
			return
		}
	}
}

// newYearCol makes an empty column for year, dense over nRegions regions
// when dense.
func newYearCol(year int32, dense bool, nRegions, capacity int) *yearCol {
	c := &yearCol{year: year, dense: dense}
	if dense {
		c.vals = make([]float64, nRegions)
		for i := range c.vals {
			c.vals[i] = math.NaN()
		}
	} else {
		c.at = make([]int32, 0, capacity)
		c.vals = make([]float64, 0, capacity)
	}
	return c
}

// chooseDense says whether a column with n values among nRegions regions is
// stored dense: a dense cell costs 12 bytes (value and row) for every
// region, a sparse one 16 bytes (region, value, row) for every value.
func chooseDense(n, nRegions int) bool { return 3*n >= nRegions && nRegions > 0 }

// setDense writes a value into a dense column at region r, which must be
// free. The column grows when r lies beyond it.
func (c *yearCol) setDense(r int32, v float64, src, row, col int32) {
	if int(r) >= len(c.vals) {
		old := len(c.vals)
		c.vals = append(c.vals, make([]float64, int(r)+1-old)...)
		for i := old; i < len(c.vals); i++ {
			c.vals[i] = math.NaN()
		}
		if c.rows != nil {
			c.rows = append(c.rows, make([]int32, len(c.vals)-old)...)
		}
		c.src.extend(len(c.vals))
		c.col.extend(len(c.vals))
	}
	first := c.n == 0
	c.vals[r] = v
	if row != 0 && c.rows == nil {
		c.rows = make([]int32, len(c.vals))
	}
	if c.rows != nil {
		c.rows[r] = row
	}
	c.src.set(int(r), len(c.vals), src, first)
	c.col.set(int(r), len(c.vals), col, first)
	c.n++
}

// extend grows a per-position attr with copies of its constant.
func (a *attr) extend(size int) {
	for a.v != nil && len(a.v) < size {
		a.v = append(a.v, a.c)
	}
}

// appendSparse appends a value to a sparse column without keeping the
// regions sorted; finishSparse sorts them.
func (c *yearCol) appendSparse(r int32, v float64, src, row, col int32) {
	first := c.n == 0
	c.at = append(c.at, r)
	c.vals = append(c.vals, v)
	if row != 0 && c.rows == nil {
		c.rows = make([]int32, len(c.vals)-1, cap(c.vals))
	}
	if c.rows != nil {
		c.rows = append(c.rows, row)
	}
	if c.src.v != nil {
		c.src.v = append(c.src.v, src)
	} else {
		c.src.set(len(c.vals)-1, len(c.vals), src, first)
	}
	if c.col.v != nil {
		c.col.v = append(c.col.v, col)
	} else {
		c.col.set(len(c.vals)-1, len(c.vals), col, first)
	}
	c.n++
}

// finishSparse sorts a sparse column by region, keeping the order of
// appending among equal regions, and removes the later of two values of
// one region, calling dup(kept, dropped) with their positions before
// removal.
func (c *yearCol) finishSparse(dup func(kept, dropped int)) {
	if c.dense || len(c.at) < 2 {
		return
	}
	sorted := true
	for k := 1; k < len(c.at); k++ {
		if c.at[k] <= c.at[k-1] {
			sorted = false
			break
		}
	}
	if sorted {
		return
	}
	perm := make([]int32, len(c.at))
	for i := range perm {
		perm[i] = int32(i)
	}
	sort.SliceStable(perm, func(a, b int) bool { return c.at[perm[a]] < c.at[perm[b]] })
	keep := perm[:0:0]
	for k, p := range perm {
		if k > 0 && c.at[p] == c.at[keep[len(keep)-1]] {
			if dup != nil {
				dup(int(keep[len(keep)-1]), int(p))
			}
			continue
		}
		keep = append(keep, p)
	}
	c.at = permute(c.at, keep)
	c.vals = permute(c.vals, keep)
	if c.rows != nil {
		c.rows = permute(c.rows, keep)
	}
	if c.src.v != nil {
		c.src.v = permute(c.src.v, keep)
	}
	if c.col.v != nil {
		c.col.v = permute(c.col.v, keep)
	}
	c.n = int32(len(keep))
}

func permute[T any](s []T, idx []int32) []T {
	out := make([]T, len(idx))
	for i, p := range idx {
		out[i] = s[p]
	}
	return out
}

// insert adds one value to the dataset's columns (AddDerived, Merge of
// small parts). The key must be free.
func (ds *Dataset) insert(ind, year, r int32, v float64, src, row, col int32) {
	s := ds.series[ind]
	k, ok := slices.BinarySearchFunc(s, year, func(c *yearCol, y int32) int { return int(c.year) - int(y) })
	if !ok {
		s = slices.Insert(s, k, newYearCol(year, false, 0, 1))
		ds.series[ind] = s
		ds.addYear(int(year))
	}
	c := s[k]
	if c.dense {
		c.setDense(r, v, src, row, col)
		ds.n++
		return
	}
	p, _ := slices.BinarySearch(c.at, r)
	first := c.n == 0
	c.at = slices.Insert(c.at, p, r)
	c.vals = slices.Insert(c.vals, p, v)
	if row != 0 && c.rows == nil {
		c.rows = make([]int32, len(c.vals)-1)
	}
	if c.rows != nil {
		c.rows = slices.Insert(c.rows, p, row)
	}
	c.src.insert(p, len(c.vals), src, first)
	c.col.insert(p, len(c.vals), col, first)
	c.n++
	ds.n++
}

// insert inserts x at position p of an attr that has size positions after
// the insertion.
func (a *attr) insert(p, size int, x int32, first bool) {
	switch {
	case a.v != nil:
		a.v = slices.Insert(a.v, p, x)
	case first:
		a.c = x
	case x != a.c:
		a.v = make([]int32, size)
		for i := range a.v {
			a.v[i] = a.c
		}
		a.v[p] = x
	}
}

// addYear records a year in the sorted list of years present.
func (ds *Dataset) addYear(y int) {
	k, ok := slices.BinarySearch(ds.years, y)
	if !ok {
		ds.years = slices.Insert(ds.years, k, y)
	}
}

// refresh recomputes the count and the years present from the columns,
// dropping empty columns.
func (ds *Dataset) refresh() {
	ds.n = 0
	seen := map[int32]bool{}
	for i, s := range ds.series {
		keep := s[:0]
		for _, c := range s {
			if c.n == 0 {
				continue
			}
			keep = append(keep, c)
			ds.n += int(c.n)
			seen[c.year] = true
		}
		clear(s[len(keep):])
		ds.series[i] = keep
	}
	ds.years = ds.years[:0]
	for y := range seen {
		ds.years = append(ds.years, int(y))
	}
	slices.Sort(ds.years)
}
