package network

import (
	"container/heap"
	"math"

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
// O(n (E + n log n)) time and O(n²) memory (gonum path.DijkstraAllPaths for
// closeness, Brandes' algorithm for betweenness); the eigenvector needs a dense symmetric
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
	c.Betweenness = g.betweenness(func(float64) float64 { return 1 })
	c.WeightedBetweenness = g.betweenness(length)
	steps := g.gonumGraph(func(float64) float64 { return 1 })
	stepPaths := path.DijkstraAllPaths(steps)
	lengths := g.gonumGraph(length)
	lengthPaths := path.DijkstraAllPaths(lengths)
	for u := range n {
		c.Closeness[u] = closeness(u, n, stepPaths)
		c.WeightedCloseness[u] = closeness(u, n, lengthPaths)
	}
	c.Eigenvector = g.eigenvector()
	return c
}

// betweenness returns Brandes' (2001) betweenness with edge lengths
// f(weight), over ordered pairs and halved for an undirected graph. The
// sources, the queue and the accumulation follow the unit order, so the
// sums are reproducible to the last bit (gonum's network.Betweenness
// accumulates in map order, which varies from run to run in the last
// digits). Equal path lengths count as ties only when exactly equal, as
// in gonum.
func (g *Graph) betweenness(f func(float64) float64) []float64 {
	n := g.n
	cb := make([]float64, n)
	dist := make([]float64, n)
	sigma := make([]float64, n)
	delta := make([]float64, n)
	preds := make([][]int, n)
	done := make([]bool, n)
	order := make([]int, 0, n)
	for s := range n {
		for v := range n {
			dist[v], sigma[v], delta[v], done[v] = math.Inf(1), 0, 0, false
			preds[v] = preds[v][:0]
		}
		order = order[:0]
		dist[s], sigma[s] = 0, 1
		q := &distQueue{}
		heap.Push(q, queued{s, 0})
		for q.Len() > 0 {
			v := heap.Pop(q).(queued).v
			if done[v] {
				continue
			}
			done[v] = true
			order = append(order, v)
			for w := range n {
				x := g.w[v][w]
				if !(x > 0) || w == v {
					continue
				}
				d := dist[v] + f(x)
				switch {
				case d < dist[w]:
					dist[w] = d
					sigma[w] = sigma[v]
					preds[w] = append(preds[w][:0], v)
					heap.Push(q, queued{w, d})
				case d == dist[w]:
					sigma[w] += sigma[v]
					preds[w] = append(preds[w], v)
				}
			}
		}
		for k := len(order) - 1; k >= 0; k-- {
			w := order[k]
			for _, v := range preds[w] {
				delta[v] += sigma[v] / sigma[w] * (1 + delta[w])
			}
			if w != s {
				cb[w] += delta[w]
			}
		}
	}
	if !g.directed {
		for v := range cb {
			cb[v] /= 2
		}
	}
	return cb
}

// queued is a unit in the queue with its tentative distance when queued.
type queued struct {
	v int
	d float64
}

// distQueue is a priority queue of units by tentative distance, ties by
// unit index.
type distQueue []queued

func (q distQueue) Len() int { return len(q) }
func (q distQueue) Less(i, j int) bool {
	if q[i].d != q[j].d {
		return q[i].d < q[j].d
	}
	return q[i].v < q[j].v
}
func (q distQueue) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *distQueue) Push(x any)   { *q = append(*q, x.(queued)) }
func (q *distQueue) Pop() any {
	old := *q
	x := old[len(old)-1]
	*q = old[:len(old)-1]
	return x
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
