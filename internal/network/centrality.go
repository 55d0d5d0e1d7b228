package network

import (
	"math"

	"gonum.org/v1/gonum/graph/network"
	"gonum.org/v1/gonum/graph/path"
	"gonum.org/v1/gonum/mat"
)

// Centrality holds the centrality of every unit of a graph.
type Centrality struct {
	// Degree is the number of neighbours (undirected) or InDegree +
	// OutDegree (directed); for an undirected graph InDegree and OutDegree
	// equal Degree.
	Degree, InDegree, OutDegree []int
	// Strength is the sum of the unit's edge weights (undirected) or
	// InStrength + OutStrength (directed), as igraph strength.
	Strength, InStrength, OutStrength []float64
	// Betweenness counts the shortest paths between other units through
	// the unit, by number of steps (weights ignored):
	//
	//	B(v) = Σ_{s ≠ v ≠ t} σ_st(v)/σ_st
	//
	// over unordered pairs {s, t} for an undirected graph and ordered pairs
	// for a directed one (igraph betweenness, networkx normalized=False).
	Betweenness []float64
	// WeightedBetweenness is the same with edge lengths 1/weight.
	WeightedBetweenness []float64
	// Closeness is the Wasserman-Faust closeness by steps on outgoing
	// paths, with r_u the number of units reachable from u (u included):
	//
	//	C(u) = ((r_u − 1)/(n − 1)) · (r_u − 1)/Σ_v d(u, v)
	//
	// which is (n − 1)/Σ_v d(u, v) for a connected graph and 0 for an
	// isolated unit (networkx closeness_centrality).
	Closeness []float64
	// WeightedCloseness is the same with edge lengths 1/weight.
	WeightedCloseness []float64
	// Eigenvector is the eigenvector centrality: the leading eigenvector x
	// of the weight matrix W (of W + Wᵀ for a directed graph), λx = Wx,
	// scaled so that its largest entry is 1 (igraph eigen_centrality with
	// scale = TRUE). For a disconnected graph the eigenvector lives on the
	// component with the largest eigenvalue and is 0 elsewhere (and is not
	// unique when two components share it). NaN for a graph without edges.
	Eigenvector []float64
}

// Centrality returns the centrality measures of every unit.
//
// Cost: the path-based measures run a shortest-path search from every unit,
// O(n (E + n log n)) time and O(n²) memory (gonum path.DijkstraAllPaths and
// network.Betweenness(Weighted)); the eigenvector needs a dense symmetric
// eigendecomposition, O(n³). Comfortable for a few hundred units.
//
// Sources: Freeman (1977, 1979) for betweenness and closeness; Brandes
// (2001) for the algorithm; Wasserman and Faust (1994) for closeness in
// disconnected graphs; Bonacich (1972) for eigenvector centrality; Newman
// (2001) and Opsahl et al. (2010) for the length 1/weight. Agrees with R
// igraph 1.3.5 (degree, strength, betweenness, eigen_centrality) and
// networkx 2.8.8 (closeness_centrality, betweenness_centrality) on the
// test networks of testdata/reference/network/.
func (g *Graph) Centrality() Centrality {
	n := g.n
	c := Centrality{
		Degree: make([]int, n), InDegree: make([]int, n), OutDegree: make([]int, n),
		Strength: make([]float64, n), InStrength: make([]float64, n), OutStrength: make([]float64, n),
		Betweenness: make([]float64, n), WeightedBetweenness: make([]float64, n),
		Closeness: make([]float64, n), WeightedCloseness: make([]float64, n),
		Eigenvector: make([]float64, n),
	}
	for i := range n {
		for j := range n {
			if v := g.w[i][j]; v > 0 {
				c.OutDegree[i]++
				c.InDegree[j]++
				c.OutStrength[i] += v
				c.InStrength[j] += v
			}
		}
	}
	for i := range n {
		if g.directed {
			c.Degree[i] = c.InDegree[i] + c.OutDegree[i]
			c.Strength[i] = c.InStrength[i] + c.OutStrength[i]
		} else {
			c.Degree[i] = c.OutDegree[i]
			c.Strength[i] = c.OutStrength[i]
		}
	}
	half := 1.0
	if !g.directed {
		half = 0.5 // gonum counts ordered pairs
	}
	steps := g.gonumGraph(func(float64) float64 { return 1 })
	for id, v := range network.Betweenness(steps) {
		c.Betweenness[id] = half * v
	}
	stepPaths := path.DijkstraAllPaths(steps)
	lengths := g.gonumGraph(length)
	lengthPaths := path.DijkstraAllPaths(lengths)
	for id, v := range network.BetweennessWeighted(lengths, lengthPaths) {
		c.WeightedBetweenness[id] = half * v
	}
	for u := range n {
		c.Closeness[u] = closeness(u, n, stepPaths)
		c.WeightedCloseness[u] = closeness(u, n, lengthPaths)
	}
	c.Eigenvector = g.eigenvector()
	return c
}

// closeness is the Wasserman-Faust closeness of u on outgoing paths.
func closeness(u, n int, p path.AllShortest) float64 {
	if n < 2 {
		return math.NaN()
	}
	var sum float64
	r := 1
	for v := range n {
		if v == u {
			continue
		}
		d := p.Weight(int64(u), int64(v))
		if math.IsInf(d, 0) {
			continue
		}
		sum += d
		r++
	}
	if r == 1 || sum == 0 {
		return 0
	}
	rr := float64(r - 1)
	return rr / float64(n-1) * rr / sum
}

// eigenvector returns the leading eigenvector of the symmetrised weights,
// scaled to a maximum of 1.
func (g *Graph) eigenvector() []float64 {
	n := g.n
	out := make([]float64, n)
	if n == 0 {
		return out
	}
	sym := mat.NewSymDense(n, nil)
	edges := false
	for i := range n {
		for j := i; j < n; j++ {
			v := g.w[i][j]
			if g.directed {
				v += g.w[j][i]
			}
			if v > 0 {
				edges = true
			}
			sym.SetSym(i, j, v)
		}
	}
	if !edges {
		for i := range out {
			out[i] = math.NaN()
		}
		return out
	}
	var es mat.EigenSym
	if !es.Factorize(sym, true) {
		for i := range out {
			out[i] = math.NaN()
		}
		return out
	}
	var vec mat.Dense
	es.VectorsTo(&vec)
	k := n - 1 // eigenvalues ascending: the last is the largest
	var top float64
	for i := range n {
		out[i] = math.Abs(vec.At(i, k))
		top = math.Max(top, out[i])
	}
	for i := range out {
		out[i] /= top
	}
	return out
}
