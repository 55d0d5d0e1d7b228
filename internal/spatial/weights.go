package spatial

import (
	"fmt"
	"math"
	"slices"

	"agglo/internal/measure"
)

// Panic message for programmer misuse.
const errLength = "spatial: slice length mismatch"

// Transform is the transformation applied to the raw weights of a
// Weights matrix.
type Transform int

const (
	// RowStandardized divides each weight by its row sum, so that every
	// unit's weights sum to 1 and the spatial lag is a weighted mean of the
	// neighbours (esda/libpysal "r", spdep style "W"). Islands keep a zero
	// row. It is the default (the zero value).
	RowStandardized Transform = iota
	// Binary sets every link to 1 (libpysal "b", spdep style "B").
	Binary
	// Raw keeps the raw weights: 1 for k-nearest-neighbour and distance
	// band links, d^−p for inverse distance (libpysal "o"/untransformed,
	// spdep style "B" for binary links).
	Raw
)

// String returns "row", "binary" or "none".
func (t Transform) String() string {
	switch t {
	case Binary:
		return "binary"
	case Raw:
		return "none"
	}
	return "row"
}

// Weights is a sparse spatial weights matrix W (n × n, zero diagonal unless
// a self weight was added for Gi*) stored as compressed neighbour lists:
// the neighbours of unit i are nbr[start[i]:start[i+1]], in ascending
// order, with raw weights raw[...] and transformed weights w[...]. A
// Weights value is immutable once built and safe for concurrent use.
type Weights struct {
	start     []int
	nbr       []int
	raw       []float64
	w         []float64
	transform Transform
	islands   []int
}

// N returns the number of units.
func (w *Weights) N() int { return len(w.start) - 1 }

// Transform returns the transformation of the weights.
func (w *Weights) Transform() Transform { return w.transform }

// Neighbors returns the neighbours of unit i in ascending order and their
// (transformed) weights. The slices are shared: do not modify them.
func (w *Weights) Neighbors(i int) (idx []int, weight []float64) {
	a, b := w.start[i], w.start[i+1]
	return w.nbr[a:b:b], w.w[a:b:b]
}

// Cardinality returns the number of neighbours of unit i.
func (w *Weights) Cardinality(i int) int { return w.start[i+1] - w.start[i] }

// Links returns the number of non-zero weights Σ_i |N(i)|.
func (w *Weights) Links() int { return len(w.nbr) }

// Islands returns the units without any neighbour, in ascending order (nil
// when there are none). Their spatial lag is zero, as in esda. The slice is
// shared: do not modify it.
func (w *Weights) Islands() []int { return w.islands }

// Lag returns the spatial lag Wx, (Wx)_i = Σ_j w_ij x_j (zero for an
// island), writing into dst when it has length n (allocating otherwise).
// Lag panics if len(x) != n.
func (w *Weights) Lag(dst, x []float64) []float64 {
	n := w.N()
	if len(x) != n {
		panic(errLength)
	}
	if len(dst) != n {
		dst = make([]float64, n)
	}
	for i := range n {
		var s float64
		for k := w.start[i]; k < w.start[i+1]; k++ {
			s += w.w[k] * x[w.nbr[k]]
		}
		dst[i] = s
	}
	return dst
}

// Dense returns W as a dense n × n matrix, for inspection and small
// problems.
func (w *Weights) Dense() [][]float64 {
	n := w.N()
	d := make([][]float64, n)
	for i := range d {
		d[i] = make([]float64, n)
		for k := w.start[i]; k < w.start[i+1]; k++ {
			d[i][w.nbr[k]] = w.w[k]
		}
	}
	return d
}

// Sums returns the constants of the moments of Moran's I and Geary's C
// (Cliff and Ord 1981):
//
//	S0 = Σ_i Σ_j w_ij
//	S1 = ½ Σ_i Σ_j (w_ij + w_ji)²
//	S2 = Σ_i (w_i· + w_·i)²
//
// where w_i· and w_·i are the row and column sums.
func (w *Weights) Sums() (s0, s1, s2 float64) {
	n := w.N()
	row := make([]float64, n)
	col := make([]float64, n)
	for i := range n {
		for k := w.start[i]; k < w.start[i+1]; k++ {
			v := w.w[k]
			s0 += v
			row[i] += v
			col[w.nbr[k]] += v
		}
	}
	for i := range n {
		t := row[i] + col[i]
		s2 += t * t
	}
	// S1 needs w_ji next to w_ij: merge row i of W with row i of Wᵀ.
	tStart, tNbr, tVal := w.transpose()
	for i := range n {
		a, ae := w.start[i], w.start[i+1]
		b, be := tStart[i], tStart[i+1]
		for a < ae || b < be {
			var v float64
			switch {
			case b >= be || (a < ae && w.nbr[a] < tNbr[b]):
				v = w.w[a]
				a++
			case a >= ae || tNbr[b] < w.nbr[a]:
				v = tVal[b]
				b++
			default:
				v = w.w[a] + tVal[b]
				a++
				b++
			}
			s1 += v * v
		}
	}
	return s0, s1 / 2, s2
}

// transpose returns Wᵀ in the same compressed form, rows sorted.
func (w *Weights) transpose() (start, nbr []int, val []float64) {
	n := w.N()
	start = make([]int, n+1)
	for _, j := range w.nbr {
		start[j+1]++
	}
	for j := range n {
		start[j+1] += start[j]
	}
	next := slices.Clone(start[:n])
	nbr = make([]int, len(w.nbr))
	val = make([]float64, len(w.nbr))
	for i := range n {
		for k := w.start[i]; k < w.start[i+1]; k++ {
			j := w.nbr[k]
			nbr[next[j]] = i
			val[next[j]] = w.w[k]
			next[j]++
		}
	}
	return start, nbr, val
}

// WithTransform returns the weights with another transformation of the
// same raw weights (the receiver is unchanged).
func (w *Weights) WithTransform(t Transform) *Weights {
	c := *w
	c.transform = t
	c.w = transformed(c.start, c.raw, t)
	return &c
}

// withSelf returns the weights with a raw self weight of 1 added to every
// unit (the G* convention), then transformed with t.
func (w *Weights) withSelf(t Transform) *Weights {
	n := w.N()
	c := &Weights{start: make([]int, n+1), transform: t}
	c.nbr = make([]int, 0, len(w.nbr)+n)
	c.raw = make([]float64, 0, len(w.nbr)+n)
	for i := range n {
		inserted := false
		for k := w.start[i]; k < w.start[i+1]; k++ {
			if j := w.nbr[k]; j == i {
				inserted = true // already has a self weight: replace it by 1
				c.nbr = append(c.nbr, i)
				c.raw = append(c.raw, 1)
				continue
			} else if j > i && !inserted {
				c.nbr = append(c.nbr, i)
				c.raw = append(c.raw, 1)
				inserted = true
			}
			c.nbr = append(c.nbr, w.nbr[k])
			c.raw = append(c.raw, w.raw[k])
		}
		if !inserted {
			c.nbr = append(c.nbr, i)
			c.raw = append(c.raw, 1)
		}
		c.start[i+1] = len(c.nbr)
	}
	c.w = transformed(c.start, c.raw, t)
	return c
}

func transformed(start []int, raw []float64, t Transform) []float64 {
	out := make([]float64, len(raw))
	switch t {
	case Binary:
		for k := range out {
			out[k] = 1
		}
	case Raw:
		copy(out, raw)
	default:
		for i := range len(start) - 1 {
			var s float64
			for k := start[i]; k < start[i+1]; k++ {
				s += raw[k]
			}
			for k := start[i]; k < start[i+1]; k++ {
				out[k] = raw[k] / s
			}
		}
	}
	return out
}

// FromNeighbors builds weights from neighbour lists: neighbors[i] are the
// indices of unit i's neighbours and values[i] their raw weights (nil
// values means 1 for every link, binary contiguity). It is the way in for
// contiguity matrices, GAL files and examples from the literature.
// Errors (an *measure.InputError naming the unit) are returned for an index
// out of range, a self link, a duplicate link, or a weight that is not
// finite and positive. FromNeighbors panics if values is not nil and its
// shape differs from neighbors.
func FromNeighbors(neighbors [][]int, values [][]float64, t Transform) (*Weights, error) {
	n := len(neighbors)
	if values != nil && len(values) != n {
		panic(errLength)
	}
	w := &Weights{start: make([]int, n+1), transform: t}
	type link struct {
		j int
		v float64
	}
	var row []link
	for i, nb := range neighbors {
		if values != nil && len(values[i]) != len(nb) {
			panic(errLength)
		}
		row = row[:0]
		for k, j := range nb {
			v := 1.0
			if values != nil {
				v = values[i][k]
			}
			switch {
			case j < 0 || j >= n:
				return nil, unitError("weights", i, float64(j), fmt.Sprintf("neighbour index %d is out of range [0, %d)", j, n))
			case j == i:
				return nil, unitError("weights", i, float64(j), "a unit cannot be its own neighbour")
			case !(v > 0) || math.IsInf(v, 0):
				return nil, unitError("weights", i, v, "weights must be finite and positive")
			}
			row = append(row, link{j, v})
		}
		slices.SortFunc(row, func(a, b link) int { return a.j - b.j })
		for k := 1; k < len(row); k++ {
			if row[k].j == row[k-1].j {
				return nil, unitError("weights", i, float64(row[k].j), fmt.Sprintf("neighbour %d is listed twice", row[k].j))
			}
		}
		for _, l := range row {
			w.nbr = append(w.nbr, l.j)
			w.raw = append(w.raw, l.v)
		}
		w.start[i+1] = len(w.nbr)
	}
	w.finish()
	return w, nil
}

// finish computes the transformed weights and the island list.
func (w *Weights) finish() {
	w.w = transformed(w.start, w.raw, w.transform)
	w.islands = nil
	for i := range w.N() {
		if w.start[i+1] == w.start[i] {
			w.islands = append(w.islands, i)
		}
	}
}

func unitError(method string, i int, v float64, reason string) error {
	return &measure.InputError{Method: method, Unit: i, Column: -1, Value: v, Reason: reason}
}

// unitVectors converts coordinates in decimal degrees to points on the unit
// sphere, validating them.
func unitVectors(lon, lat []float64) ([][3]float64, error) {
	if len(lon) != len(lat) {
		panic(errLength)
	}
	const rad = math.Pi / 180
	p := make([][3]float64, len(lon))
	for i := range lon {
		x, y := lon[i], lat[i]
		switch {
		case math.IsNaN(x) || math.IsInf(x, 0) || x < -180 || x > 180:
			return nil, &measure.InputError{Method: "weights", Unit: i, Column: 0, Value: x, Reason: "longitude must be a number in [-180, 180]"}
		case math.IsNaN(y) || math.IsInf(y, 0) || y < -90 || y > 90:
			return nil, &measure.InputError{Method: "weights", Unit: i, Column: 1, Value: y, Reason: "latitude must be a number in [-90, 90]"}
		}
		cl := math.Cos(y * rad)
		p[i] = [3]float64{cl * math.Cos(x*rad), cl * math.Sin(x*rad), math.Sin(y * rad)}
	}
	return p, nil
}

// chord2 is the squared chord distance between two unit vectors, a
// monotone function of the great-circle distance.
func chord2(a, b [3]float64) float64 {
	dx, dy, dz := a[0]-b[0], a[1]-b[1], a[2]-b[2]
	return dx*dx + dy*dy + dz*dz
}

// KNN returns the k-nearest-neighbour weights of points (lon_i, lat_i) in
// decimal degrees, by great-circle (haversine) distance on a sphere of
// radius measure.EarthRadiusKm = 6371.0088 km: unit j is a neighbour of i
// when it is among the k units closest to i (j ≠ i). Links are binary
// (raw weight 1), then transformed with t (row-standardised by default,
// each weight 1/k). The relation is not symmetric. Ties in distance are
// broken by the lower unit index (libpysal's KD-tree and spdep's
// knearneigh may order exact ties differently). There are no islands.
//
// Errors: k < 1, k ≥ n, or a coordinate that is not a finite longitude in
// [−180, 180] or latitude in [−90, 90] (an *measure.InputError naming the
// unit; Column 0 is the longitude, 1 the latitude). KNN panics if the
// slices differ in length.
//
// Reference: libpysal.weights.KNN (distance_metric "arc", radius
// 6371.0088) gives the same neighbour sets on the 95 cities of
// testdata/reference/spatial/cities.csv. spdep knearneigh(longlat = TRUE)
// measures on the WGS84 ellipsoid and picks another k-th neighbour where two
// candidates are within about 1 km of each other (2 of 570 links there).
func KNN(lon, lat []float64, k int, t Transform) (*Weights, error) {
	p, err := unitVectors(lon, lat)
	if err != nil {
		return nil, err
	}
	n := len(p)
	if k < 1 || k >= n {
		return nil, &measure.InputError{Method: "knn weights", Unit: -1, Column: -1, Value: float64(k),
			Reason: fmt.Sprintf("k must be at least 1 and less than the number of units (%d)", n)}
	}
	type cand struct {
		d float64
		j int
	}
	w := &Weights{start: make([]int, n+1), transform: t,
		nbr: make([]int, 0, n*k), raw: make([]float64, 0, n*k)}
	best := make([]cand, 0, k+1)
	idx := make([]int, k)
	for i := range n {
		best = best[:0]
		for j := range n {
			if j == i {
				continue
			}
			d := chord2(p[i], p[j])
			if len(best) == k && d >= best[k-1].d {
				continue // not closer than the k-th (ties keep the lower index)
			}
			// Insert in order (stable: equal distances keep index order).
			pos := len(best)
			for pos > 0 && best[pos-1].d > d {
				pos--
			}
			if len(best) < k {
				best = append(best, cand{})
			}
			copy(best[pos+1:], best[pos:len(best)-1])
			best[pos] = cand{d, j}
		}
		for m := range best {
			idx[m] = best[m].j
		}
		slices.Sort(idx)
		for _, j := range idx {
			w.nbr = append(w.nbr, j)
			w.raw = append(w.raw, 1)
		}
		w.start[i+1] = len(w.nbr)
	}
	w.finish()
	return w, nil
}

// DistanceBand returns the distance-band weights of points (lon_i, lat_i)
// in decimal degrees: j is a neighbour of i (j ≠ i) when their
// great-circle (haversine, R = 6371.0088 km) distance is at most
// thresholdKm. Links are binary, then transformed with t. Units with no
// neighbour within the band are islands (see Islands): they are kept, with
// a zero row and a zero spatial lag, as in esda.
//
// Errors: a threshold that is not finite and positive, or an invalid
// coordinate (see KNN). DistanceBand panics if the slices differ in
// length.
//
// Reference: libpysal.weights.DistanceBand (binary, arc distance); spdep
// dnearneigh(0, d, longlat = TRUE) measures on the WGS84 ellipsoid and can
// differ for pairs within a few metres of the threshold.
func DistanceBand(lon, lat []float64, thresholdKm float64, t Transform) (*Weights, error) {
	if !(thresholdKm > 0) || math.IsInf(thresholdKm, 0) {
		return nil, &measure.InputError{Method: "distance weights", Unit: -1, Column: -1, Value: thresholdKm,
			Reason: "the distance threshold must be a positive number of kilometres"}
	}
	return distanceWeights(lon, lat, thresholdKm, 0, t, "distance weights")
}

// InverseDistance returns inverse-distance weights of points (lon_i,
// lat_i) in decimal degrees:
//
//	w_ij = d_ij^(−power)  for j ≠ i with d_ij ≤ maxKm
//
// with d the great-circle (haversine, R = 6371.0088 km) distance. maxKm =
// +Inf links all pairs (a dense matrix: n² links). The raw weights are then
// transformed with t (row-standardised by default; Binary keeps only the
// links). Units with no neighbour within maxKm are islands.
//
// Errors: a power that is not finite and positive, maxKm not positive, an
// invalid coordinate (see KNN), or two units at the same place (distance
// 0, infinite weight; the error names the first of them). InverseDistance
// panics if the slices differ in length.
//
// Reference: libpysal.weights.DistanceBand(binary=False, alpha=−power).
func InverseDistance(lon, lat []float64, power, maxKm float64, t Transform) (*Weights, error) {
	if !(power > 0) || math.IsInf(power, 0) {
		return nil, &measure.InputError{Method: "inverse distance weights", Unit: -1, Column: -1, Value: power,
			Reason: "the distance power must be a positive number"}
	}
	if !(maxKm > 0) {
		return nil, &measure.InputError{Method: "inverse distance weights", Unit: -1, Column: -1, Value: maxKm,
			Reason: "the distance cut-off must be positive (use +Inf for all pairs)"}
	}
	return distanceWeights(lon, lat, maxKm, power, t, "inverse distance weights")
}

// distanceWeights links pairs within maxKm, with raw weight 1 (power 0) or
// d^−power.
func distanceWeights(lon, lat []float64, maxKm, power float64, t Transform, method string) (*Weights, error) {
	p, err := unitVectors(lon, lat)
	if err != nil {
		return nil, err
	}
	n := len(p)
	// Screen with the chord length, then decide with the haversine
	// distance; the margin absorbs rounding in the chord.
	limit := math.Inf(1)
	if !math.IsInf(maxKm, 1) {
		c := 2 * math.Sin(math.Min(maxKm/measure.EarthRadiusKm, math.Pi)/2)
		limit = c*c*(1+1e-9) + 1e-15
	}
	w := &Weights{start: make([]int, n+1), transform: t}
	for i := range n {
		for j := range n {
			if j == i || chord2(p[i], p[j]) > limit {
				continue
			}
			d := measure.Haversine(lon[i], lat[i], lon[j], lat[j])
			if d > maxKm {
				continue
			}
			v := 1.0
			if power > 0 {
				if d == 0 {
					return nil, &measure.InputError{Method: method, Unit: i, Column: -1, Value: float64(j),
						Reason: fmt.Sprintf("unit %d is at the same place: the inverse distance is infinite", j)}
				}
				v = math.Pow(d, -power)
			}
			w.nbr = append(w.nbr, j)
			w.raw = append(w.raw, v)
		}
		w.start[i+1] = len(w.nbr)
	}
	w.finish()
	return w, nil
}
