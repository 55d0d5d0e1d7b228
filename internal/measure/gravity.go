package measure

import (
	"math"
	"slices"
)

// EarthRadiusKm is the mean Earth radius (IUGG, R1 = 6371.0088 km) used by
// Haversine.
const EarthRadiusKm = 6371.0088

// Haversine returns the great-circle distance in kilometres between two
// points given in decimal degrees, on a sphere of radius EarthRadiusKm:
//
//	h = sin²(Δφ/2) + cos φ1 cos φ2 sin²(Δλ/2),  d = 2R asin(√h)
//
// NaN coordinates give NaN. Source: Sinnott (1984);
// docs/methods.md#haversine; spherical-Earth error is below 0.5%.
func Haversine(lon1, lat1, lon2, lat2 float64) float64 {
	const rad = math.Pi / 180
	p1, p2 := lat1*rad, lat2*rad
	dp := p2 - p1
	dl := (lon2 - lon1) * rad
	s1, s2 := math.Sin(dp/2), math.Sin(dl/2)
	h := s1*s1 + math.Cos(p1)*math.Cos(p2)*s2*s2
	return 2 * EarthRadiusKm * math.Asin(math.Sqrt(math.Min(1, h)))
}

// DistanceMatrix returns the symmetric matrix of Haversine distances (km)
// between points (lon_i, lat_i) in decimal degrees, with a zero diagonal.
// Panics if the lengths differ. Source: docs/methods.md#haversine.
func DistanceMatrix(lon, lat []float64) [][]float64 {
	if len(lon) != len(lat) {
		panic(errLength)
	}
	n := len(lon)
	d := make([][]float64, n)
	for i := range d {
		d[i] = make([]float64, n)
	}
	for i := range n {
		for j := i + 1; j < n; j++ {
			v := Haversine(lon[i], lat[i], lon[j], lat[j])
			d[i][j], d[j][i] = v, v
		}
	}
	return d
}

// Gravity returns the directed modified-gravity linkage matrix
//
//	R_ij = k_ij · sqrt(P_i G_i) · sqrt(P_j G_j) / D_ij^b,  k_ij = G_i/(G_i + G_j)
//
// where p is the "human mass" (population or R&D personnel), g the
// innovation or economic mass (patents, R&D expenditure, GDP), d the
// distance matrix (km, road distance or travel time) and b the distance
// decay exponent (typically 2). R_ij is the linkage radiated by i towards
// j; R_ij + R_ji is the symmetric (k = 1) force and R_ij/R_ji = G_i/G_j.
// The gravitational constant is omitted. The diagonal is 0. A pair with a
// non-positive or NaN distance, or a NaN, negative or infinite mass, is
// NaN; G_i = G_j = 0 gives 0. Panics if the lengths differ or d is not
// n×n. Source: Zipf (1946) for the gravity form; docs/methods.md#gravity.
func Gravity(p, g []float64, d [][]float64, b float64) [][]float64 {
	return gravity(p, g, d, b, false)
}

// SymmetricGravity returns R_ij + R_ji of Gravity, that is the k = 1 force
// sqrt(P_i G_i)·sqrt(P_j G_j)/D_ij^b, with the same edge cases. Source:
// docs/methods.md#gravity.
func SymmetricGravity(p, g []float64, d [][]float64, b float64) [][]float64 {
	return gravity(p, g, d, b, true)
}

func gravity(p, g []float64, d [][]float64, b float64, sym bool) [][]float64 {
	n := len(p)
	if len(g) != n || len(d) != n {
		panic(errLength)
	}
	mass := make([]float64, n)
	for i := range n {
		if len(d[i]) != n {
			panic(errRagged)
		}
		if math.IsNaN(p[i]) || math.IsNaN(g[i]) || p[i] < 0 || g[i] < 0 || math.IsInf(p[i], 0) || math.IsInf(g[i], 0) {
			mass[i] = math.NaN()
			continue
		}
		mass[i] = math.Sqrt(p[i] * g[i])
	}
	out := make([][]float64, n)
	for i := range out {
		out[i] = make([]float64, n)
	}
	for i := range n {
		row := out[i]
		di := d[i]
		for j := range n {
			if i == j {
				continue
			}
			dij := di[j]
			if !(dij > 0) || math.IsNaN(mass[i]) || math.IsNaN(mass[j]) {
				row[j] = math.NaN()
				continue
			}
			var decay float64
			switch b {
			case 2:
				decay = dij * dij
			case 1:
				decay = dij
			default:
				decay = math.Pow(dij, b)
			}
			f := mass[i] * mass[j] / decay
			if !sym {
				gs := g[i] + g[j]
				if gs == 0 {
					row[j] = 0
					continue
				}
				f *= g[i] / gs
			}
			row[j] = f
		}
	}
	return out
}

// LinkageTotals are per-unit sums of a linkage matrix.
type LinkageTotals struct {
	// Out_i = Σ_{j≠i} R_ij, In_i = Σ_{j≠i} R_ji, Total = Out + In
	// (weighted out-, in- and total strength).
	Out, In, Total []float64
	// OutShare_i = Out_i / Σ_ij R_ij.
	OutShare []float64
	// Primary_i = argmax_{j≠i} R_ij, the primary linkage target (−1 when
	// unit i has no finite positive link).
	Primary []int
}

// Linkage returns the linkage totals of a square linkage matrix r
// (for example from Gravity):
//
//	L_i^out = Σ_{j≠i} R_ij,  L_i^in = Σ_{j≠i} R_ji,  L_i = L_i^out + L_i^in
//
// NaN entries and the diagonal are ignored; OutShare is NaN when the
// matrix sums to zero. An empty matrix gives empty totals. Panics if r is
// not square. Source: docs/methods.md#linkage.
func Linkage(r [][]float64) LinkageTotals {
	n := len(r)
	t := LinkageTotals{Out: make([]float64, n), In: make([]float64, n), Total: make([]float64, n),
		OutShare: make([]float64, n), Primary: make([]int, n)}
	var all float64
	for i := range n {
		if len(r[i]) != n {
			panic(errRagged)
		}
		best, bi := 0.0, -1
		for j, v := range r[i] {
			if i == j || math.IsNaN(v) {
				continue
			}
			t.Out[i] += v
			t.In[j] += v
			all += v
			if v > best {
				best, bi = v, j
			}
		}
		t.Primary[i] = bi
	}
	for i := range n {
		t.Total[i] = t.Out[i] + t.In[i]
		t.OutShare[i] = t.Out[i] / all
	}
	return t
}

// offDiagonal returns the finite off-diagonal entries of a square matrix.
func offDiagonal(r [][]float64) []float64 {
	n := len(r)
	v := make([]float64, 0, n*n)
	for i := range r {
		if len(r[i]) != n {
			panic(errRagged)
		}
		for j, x := range r[i] {
			if i != j && !math.IsNaN(x) && !math.IsInf(x, 0) {
				v = append(v, x)
			}
		}
	}
	return v
}

// MeanThreshold returns the mean of the finite off-diagonal entries of r,
// the common binarisation threshold τ; NaN when there are none. Source:
// docs/methods.md#network.
func MeanThreshold(r [][]float64) float64 {
	v := offDiagonal(r)
	if len(v) == 0 {
		return math.NaN()
	}
	var s float64
	for _, x := range v {
		s += x
	}
	return s / float64(len(v))
}

// MedianThreshold returns the median of the finite off-diagonal entries of
// r (the mean of the two middle values for an even count); NaN when there
// are none. Source: docs/methods.md#network.
func MedianThreshold(r [][]float64) float64 {
	v := offDiagonal(r)
	if len(v) == 0 {
		return math.NaN()
	}
	slices.Sort(v)
	m := len(v) / 2
	if len(v)%2 == 1 {
		return v[m]
	}
	return (v[m-1] + v[m]) / 2
}

// NetworkResult describes the binary network a_ij = 1[R_ij ≥ τ], i ≠ j.
type NetworkResult struct {
	Threshold float64
	// Adj is the directed adjacency matrix.
	Adj [][]bool
	// Edges is Σ a_ij; Density = Edges / (n(n−1)).
	Edges   int
	Density float64
	// OutDegree_i = Σ_j a_ij, InDegree_i = Σ_j a_ji; the normalised
	// versions divide by n−1.
	OutDegree, InDegree         []int
	OutDegreeNorm, InDegreeNorm []float64
	// The undirected network links i and j when a_ij or a_ji (OR rule):
	// UndirectedDensity = UndirectedEdges / (n(n−1)/2).
	UndirectedEdges   int
	UndirectedDensity float64
	UndirectedDegree  []int
}

// Network binarises a square linkage matrix r at threshold tau (for
// example MeanThreshold(r)) and returns density and degree centrality:
//
//	a_ij = 1[R_ij ≥ τ] (i ≠ j),  Δ = Σ a_ij / (n(n−1))
//	out_i = Σ_j a_ij,  in_i = Σ_j a_ji,  normalised by n−1
//	undirected: e_ij = a_ij OR a_ji,  Δ_u = Σ_{i<j} e_ij / (n(n−1)/2)
//
// NaN entries are not edges. Densities and normalised degrees are NaN for
// n < 2. Weighted strengths are the totals of Linkage. Panics if r is not
// square. Source: Wasserman & Faust (1994); docs/methods.md#network (as R
// igraph edge_density, degree).
func Network(r [][]float64, tau float64) NetworkResult {
	n := len(r)
	res := NetworkResult{Threshold: tau, Adj: make([][]bool, n),
		OutDegree: make([]int, n), InDegree: make([]int, n),
		OutDegreeNorm: make([]float64, n), InDegreeNorm: make([]float64, n),
		UndirectedDegree: make([]int, n)}
	cells := make([]bool, n*n)
	for i := range n {
		if len(r[i]) != n {
			panic(errRagged)
		}
		res.Adj[i] = cells[i*n : (i+1)*n : (i+1)*n]
		for j, v := range r[i] {
			if i != j && v >= tau {
				res.Adj[i][j] = true
				res.Edges++
				res.OutDegree[i]++
				res.InDegree[j]++
			}
		}
	}
	for i := range n {
		for j := i + 1; j < n; j++ {
			if res.Adj[i][j] || res.Adj[j][i] {
				res.UndirectedEdges++
				res.UndirectedDegree[i]++
				res.UndirectedDegree[j]++
			}
		}
	}
	if n < 2 {
		res.Density, res.UndirectedDensity = math.NaN(), math.NaN()
		for i := range n {
			res.OutDegreeNorm[i], res.InDegreeNorm[i] = math.NaN(), math.NaN()
		}
		return res
	}
	fn := float64(n)
	res.Density = float64(res.Edges) / (fn * (fn - 1))
	res.UndirectedDensity = float64(res.UndirectedEdges) / (fn * (fn - 1) / 2)
	for i := range n {
		res.OutDegreeNorm[i] = float64(res.OutDegree[i]) / (fn - 1)
		res.InDegreeNorm[i] = float64(res.InDegree[i]) / (fn - 1)
	}
	return res
}

// CoreLinkageResult splits a linkage matrix into core and rest.
type CoreLinkageResult struct {
	// Out is Σ_j R_core,j, In is Σ_j R_j,core, Rest is the linkage among
	// the other units and Total = Out + In + Rest.
	Out, In, Rest, Total float64
	// CoreShare = (Out + In)/Total, the share of all linkage that involves
	// the core.
	CoreShare float64
}

// CoreLinkage returns the core-versus-rest decomposition of a square
// linkage matrix r for the core unit at index core. NaN entries and the
// diagonal are ignored; CoreShare is NaN when Total is 0. Panics if r is
// not square or core is out of range. Source:
// docs/methods.md#core-linkage.
func CoreLinkage(r [][]float64, core int) CoreLinkageResult {
	n := len(r)
	if core < 0 || core >= n {
		panic("measure: core index out of range")
	}
	var c CoreLinkageResult
	for i := range n {
		if len(r[i]) != n {
			panic(errRagged)
		}
		for j, v := range r[i] {
			if i == j || math.IsNaN(v) {
				continue
			}
			switch {
			case i == core:
				c.Out += v
			case j == core:
				c.In += v
			default:
				c.Rest += v
			}
		}
	}
	c.Total = c.Out + c.In + c.Rest
	c.CoreShare = math.NaN()
	if c.Total != 0 {
		c.CoreShare = (c.Out + c.In) / c.Total
	}
	return c
}
