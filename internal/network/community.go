package network

import (
	"math"
	"math/rand/v2"
	"slices"

	"gonum.org/v1/gonum/graph/community"
)

// Partition is a division of the units into communities.
type Partition struct {
	// Membership[i] is the community of unit i, numbered 0, 1, … in the
	// order of each community's lowest unit.
	Membership []int
	// Communities is the number of communities.
	Communities int
	// Q is the modularity of the partition (see Modularity).
	Q float64
}

// Communities finds communities by maximising modularity with the Louvain
// method (Blondel et al. 2008; gonum graph/community.Modularize) at the
// given resolution γ (1 is the classic modularity; larger values give
// smaller communities). Directed graphs use the directed modularity. The
// search visits nodes in a random order drawn from the seed: the same seed
// gives the same partition, another seed may give another partition of
// similar Q (Louvain is a heuristic). Isolated units form their own
// communities. A graph without edges gives one community per unit and Q
// NaN.
func (g *Graph) Communities(resolution float64, seed uint64) Partition {
	gg := g.gonumGraph(identity)
	if g.Edges() == 0 {
		m := make([]int, g.n)
		for i := range m {
			m[i] = i
		}
		return Partition{Membership: m, Communities: g.n, Q: math.NaN()}
	}
	src := rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)
	reduced := community.Modularize(gg, resolution, src)
	comms := reduced.Communities()
	m := make([]int, g.n)
	for k, c := range comms {
		for _, node := range c {
			m[node.ID()] = k
		}
	}
	m, count := canonical(m)
	return Partition{Membership: m, Communities: count, Q: g.Modularity(m, resolution)}
}

// Modularity returns the modularity of a given membership (for example
// the agglomeration of each city) at resolution γ:
//
//	Q = (1/2m) Σ_ij [w_ij − γ k_i k_j/(2m)] δ(c_i, c_j)   undirected
//	Q = (1/m) Σ_ij [w_ij − γ k_i^out k_j^in/m] δ(c_i, c_j)  directed
//
// with k the (out/in) strengths and m the total edge weight (Newman 2006;
// Leicht and Newman 2008 for directed graphs). It is computed in a fixed
// order, so it is reproducible to the last bit; it equals gonum's
// community.Q and igraph's modularity. NaN for a graph without edges.
// Modularity panics if len(membership) != n.
func (g *Graph) Modularity(membership []int, resolution float64) float64 {
	if len(membership) != g.n {
		panic("network: membership length differs from the number of units")
	}
	n := g.n
	out := make([]float64, n)
	in := make([]float64, n)
	var total float64 // Σ_ij w_ij (2m undirected, m directed)
	for i := range n {
		for j := range n {
			v := g.w[i][j]
			out[i] += v
			in[j] += v
			total += v
		}
	}
	if total == 0 {
		return math.NaN()
	}
	var q float64
	for i := range n {
		for j := range n {
			if membership[i] == membership[j] {
				q += g.w[i][j] - resolution*out[i]*in[j]/total
			}
		}
	}
	return q / total
}

// canonical renumbers labels 0, 1, … by first appearance.
func canonical(m []int) ([]int, int) {
	seen := map[int]int{}
	out := make([]int, len(m))
	for i, c := range m {
		k, ok := seen[c]
		if !ok {
			k = len(seen)
			seen[c] = k
		}
		out[i] = k
	}
	return out, len(seen)
}

// cell is one entry of a contingency table.
type cell struct {
	a, b  int     // labels (b = −1 for a margin)
	count float64 // units
}

// contingency returns the non-empty cells of the table of co-memberships
// of two partitions and its row and column margins, each sorted by label
// so that sums over them are reproducible.
func contingency(a, b []int) (table, rows, cols []cell) {
	if len(a) != len(b) {
		panic("network: partitions of different lengths")
	}
	t := map[[2]int]float64{}
	r, c := map[int]float64{}, map[int]float64{}
	for i := range a {
		t[[2]int{a[i], b[i]}]++
		r[a[i]]++
		c[b[i]]++
	}
	for k, v := range t {
		table = append(table, cell{k[0], k[1], v})
	}
	for k, v := range r {
		rows = append(rows, cell{k, -1, v})
	}
	for k, v := range c {
		cols = append(cols, cell{k, -1, v})
	}
	for _, s := range [][]cell{table, rows, cols} {
		slices.SortFunc(s, func(x, y cell) int {
			if x.a != y.a {
				return x.a - y.a
			}
			return x.b - y.b
		})
	}
	return table, rows, cols
}

// margin returns the count of label in a sorted margin.
func margin(m []cell, label int) float64 {
	k, _ := slices.BinarySearchFunc(m, label, func(c cell, l int) int { return c.a - l })
	return m[k].count
}

// NMI returns the normalised mutual information of two partitions of the
// same units (Danon et al. 2005; the arithmetic normalisation of igraph
// compare(method = "nmi") and scikit-learn's default):
//
//	NMI = 2 I(A; B) / (H(A) + H(B))
//
// 1 for identical partitions (up to labels), near 0 for unrelated ones.
// When both partitions have a single community (H = 0) NMI is 1. NaN for
// empty input. NMI panics if the lengths differ.
func NMI(a, b []int) float64 {
	n := float64(len(a))
	if len(a) == 0 {
		if len(b) != 0 {
			panic("network: partitions of different lengths")
		}
		return math.NaN()
	}
	table, rows, cols := contingency(a, b)
	entropy := func(m []cell) float64 {
		var h float64
		for _, c := range m {
			p := c.count / n
			h -= p * math.Log(p)
		}
		return h
	}
	ha, hb := entropy(rows), entropy(cols)
	if ha+hb == 0 {
		return 1
	}
	var mi float64
	for _, c := range table {
		mi += c.count / n * math.Log(c.count*n/(margin(rows, c.a)*margin(cols, c.b)))
	}
	return 2 * mi / (ha + hb)
}

// AdjustedRand returns the adjusted Rand index of two partitions of the
// same units (Hubert and Arabie 1985; igraph compare(method =
// "adjusted.rand")):
//
//	ARI = (Σ_ij C(n_ij, 2) − E) / (½[Σ_i C(a_i, 2) + Σ_j C(b_j, 2)] − E),
//	E = Σ_i C(a_i, 2) Σ_j C(b_j, 2) / C(n, 2)
//
// 1 for identical partitions, about 0 for random ones, possibly negative.
// When the denominator is 0 (both partitions trivial in the same way)
// ARI is 1 if the partitions are identical and 0 otherwise. NaN for fewer
// than 2 units. AdjustedRand panics if the lengths differ.
func AdjustedRand(a, b []int) float64 {
	if len(a) != len(b) {
		panic("network: partitions of different lengths")
	}
	if len(a) < 2 {
		return math.NaN()
	}
	pairs := func(x float64) float64 { return x * (x - 1) / 2 }
	table, rows, cols := contingency(a, b)
	var sij, sa, sb float64
	for _, c := range table {
		sij += pairs(c.count)
	}
	for _, c := range rows {
		sa += pairs(c.count)
	}
	for _, c := range cols {
		sb += pairs(c.count)
	}
	expected := sa * sb / pairs(float64(len(a)))
	den := (sa+sb)/2 - expected
	if den == 0 {
		ca, _ := canonical(a)
		cb, _ := canonical(b)
		if slices.Equal(ca, cb) {
			return 1
		}
		return 0
	}
	return (sij - expected) / den
}
