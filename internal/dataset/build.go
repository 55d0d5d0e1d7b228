package dataset

import (
	"math"
	"slices"
)

// colBuild collects the values of one column (one indicator in one year)
// while a file is read, by region key: the importer's number of a distinct
// (code, name, parent) of the file, in the order the file first shows
// them. Regions are resolved only at the end; most often key k becomes
// region k, and the column is then finished without copying (finish).
//
// A column starts dense (vals[k], NaN where none) and grows as keys
// arrive. If it would grow while less than an eighth of it is used, it
// turns sparse (keys, values and rows appended as they come), so that a
// file of many regions with scattered values cannot make it large.
type colBuild struct {
	ind, year int32
	dense     bool
	n         int
	// dense: by key
	vals []float64
	rows []int32
	// sparse: in arrival order
	keys  []int32
	svals []float64
	srows []int32
	// by position (key when dense, index when sparse)
	src, col attr
}

// minSparse is the length below which a column stays dense whatever its
// use.
const minSparse = 1024

func newColBuild(ind, year int32) *colBuild {
	return &colBuild{ind: ind, year: year, dense: true}
}

// put records the value of key k. It returns the row of the value already
// there (and records nothing) when k has a value; in a sparse column that
// is found only by finish.
func (b *colBuild) put(k int32, v float64, row, src, col int32) (firstRow int32, dup bool) {
	first := b.n == 0
	if b.dense {
		if int(k) < len(b.vals) {
			if old := b.vals[k]; old == old {
				return b.rows[k], true
			}
		} else {
			size := max(2*len(b.vals), int(k)+1, 16)
			if size > minSparse && 8*b.n < size {
				b.toSparse()
				return b.put(k, v, row, src, col)
			}
			b.grow(size)
		}
		b.vals[k] = v
		b.rows[k] = row
		b.src.set(int(k), len(b.vals), src, first)
		b.col.set(int(k), len(b.vals), col, first)
		b.n++
		return 0, false
	}
	b.keys = append(b.keys, k)
	b.svals = append(b.svals, v)
	b.srows = append(b.srows, row)
	b.src.push(len(b.keys), src, first)
	b.col.push(len(b.keys), col, first)
	b.n++
	return 0, false
}

// grow extends a dense column to size keys.
func (b *colBuild) grow(size int) {
	old := len(b.vals)
	b.vals = slices.Grow(b.vals, size-old)[:size]
	for i := old; i < size; i++ {
		b.vals[i] = math.NaN()
	}
	b.rows = append(b.rows, make([]int32, size-old)...)
	b.src.extend(size)
	b.col.extend(size)
}

// toSparse turns a dense column sparse.
func (b *colBuild) toSparse() {
	var src, col attr
	src.c, col.c = b.src.c, b.col.c
	n := 0
	for k, v := range b.vals {
		if v != v {
			continue
		}
		b.keys = append(b.keys, int32(k))
		b.svals = append(b.svals, v)
		b.srows = append(b.srows, b.rows[k])
		src.push(n+1, b.src.get(k), n == 0)
		col.push(n+1, b.col.get(k), n == 0)
		n++
	}
	b.src, b.col = src, col
	b.vals, b.rows, b.dense = nil, nil, false
}

// push appends x as the last of size positions.
func (a *attr) push(size int, x int32, first bool) {
	switch {
	case a.v != nil:
		a.v = append(a.v, x)
	case first:
		a.c = x
	case x != a.c:
		a.v = make([]int32, size-1, size)
		for i := range a.v {
			a.v[i] = a.c
		}
		a.v = append(a.v, x)
	}
}

// finish makes the dataset's column of a built one: final maps region keys
// to regions (identity says that key k is region k), nr is the number of
// regions. dup is called for each second value of a region, with the
// region, the row and file column of that value and the row of the first.
func (b *colBuild) finish(final []int32, identity bool, nr int, dup func(r, row, col, firstRow int32)) *yearCol {
	if identity && b.dense {
		c := &yearCol{year: b.year, dense: true, n: int32(b.n), vals: b.vals, rows: b.rows, src: b.src, col: b.col}
		c.fit(nr)
		if !chooseDense(b.n, nr) {
			c.toSparse()
		}
		return c
	}
	// Collect the values with their regions, in file order, and fill a
	// new column; a region met twice is a duplicate.
	type val struct {
		r, row, src, col int32
		v                float64
	}
	vs := make([]val, 0, b.n)
	if b.dense {
		for k, v := range b.vals {
			if v == v {
				vs = append(vs, val{final[k], b.rows[k], b.src.get(k), b.col.get(k), v})
			}
		}
	} else {
		for i, k := range b.keys {
			vs = append(vs, val{final[k], b.srows[i], b.src.get(i), b.col.get(i), b.svals[i]})
		}
	}
	slices.SortStableFunc(vs, func(x, y val) int {
		if x.r != y.r {
			return int(x.r) - int(y.r)
		}
		return int(x.row) - int(y.row)
	})
	dense := chooseDense(len(vs), nr)
	c := newYearCol(b.year, dense, nr, len(vs))
	for i, x := range vs {
		if i > 0 && x.r == vs[i-1].r {
			k := i - 1
			for k > 0 && vs[k-1].r == x.r {
				k--
			}
			dup(x.r, x.row, x.col, vs[k].row)
			continue
		}
		if dense {
			c.setDense(x.r, x.v, x.src, x.row, x.col)
		} else {
			c.appendSparse(x.r, x.v, x.src, x.row, x.col)
		}
	}
	return c
}

// fit makes a dense column exactly nr regions long.
func (c *yearCol) fit(nr int) {
	if len(c.vals) > nr {
		c.vals, c.rows = c.vals[:nr:nr], c.rows[:nr:nr]
		if c.src.v != nil {
			c.src.v = c.src.v[:nr:nr]
		}
		if c.col.v != nil {
			c.col.v = c.col.v[:nr:nr]
		}
		return
	}
	for len(c.vals) < nr {
		c.vals = append(c.vals, math.NaN())
		c.rows = append(c.rows, 0)
	}
	c.src.extend(nr)
	c.col.extend(nr)
}

// toSparse turns a dense column sparse.
func (c *yearCol) toSparse() {
	s := &yearCol{year: c.year}
	for p, v := range c.vals {
		if v == v {
			s.appendSparse(int32(p), v, c.src.get(p), c.row(p), c.col.get(p))
		}
	}
	*c = *s
}
