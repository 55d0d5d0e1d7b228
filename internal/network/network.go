// Package network analyses weighted networks of units built from a flow or
// linkage matrix (a gravity matrix of measure.Gravity, or a user's
// city-pair flows): degree and strength, betweenness, closeness and
// eigenvector centrality, density, and communities by modularity with their
// comparison to a given membership (normalised mutual information, adjusted
// Rand index). Shortest paths and communities come from gonum's graph
// packages.
//
// Weights are interaction strengths (larger = closer). Where a measure
// needs a distance, the length of an edge is 1/weight (Newman 2001; Opsahl,
// Agneessens and Skvoretz 2010), so the strongest links form the shortest
// paths. The method reference is docs/methods.md.
package network

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/graph"
	"gonum.org/v1/gonum/graph/simple"

	"agglo/internal/measure"
)

// Mode says how a flow matrix becomes a graph.
type Mode int

const (
	// Directed keeps every flow i → j as a directed edge.
	Directed Mode = iota
	// UndirectedSum links i and j with weight m_ij + m_ji, the total
	// interaction (igraph mode "plus").
	UndirectedSum
	// UndirectedMax links i and j with weight max(m_ij, m_ji); for a
	// symmetric matrix this is the matrix itself (igraph mode "max",
	// "undirected").
	UndirectedMax
)

// String returns "directed", "sum" or "max".
func (m Mode) String() string {
	switch m {
	case UndirectedSum:
		return "sum"
	case UndirectedMax:
		return "max"
	}
	return "directed"
}

// Graph is a weighted network of n units (nodes 0 … n−1). It is
// immutable once built.
type Graph struct {
	n        int
	directed bool
	// w[i][j] > 0 is the weight of the edge i → j (for undirected graphs
	// w is symmetric); 0 means no edge.
	w [][]float64
}

// N returns the number of units.
func (g *Graph) N() int { return g.n }

// Directed reports whether the graph is directed.
func (g *Graph) Directed() bool { return g.directed }

// Weight returns the weight of the edge i → j (0 when there is none).
func (g *Graph) Weight(i, j int) float64 { return g.w[i][j] }

// Edges returns the number of edges (each undirected edge once).
func (g *Graph) Edges() int {
	e := 0
	for i := range g.n {
		for j := range g.n {
			if g.w[i][j] > 0 && (g.directed || j > i) {
				e++
			}
		}
	}
	return e
}

// FromMatrix builds a graph from a square matrix of flows or linkages m
// (m[i][j] from unit i to unit j), for example measure.Gravity. An entry
// is an edge when it is positive and at least threshold (0 keeps every
// positive entry; measure.MeanThreshold gives the common mean rule); the
// diagonal, zeros and NaN entries are not edges. With an undirected mode
// the two directions are combined first (see Mode), then thresholded.
//
// Errors: a negative or infinite entry (an *measure.InputError naming the
// row as Unit and the column), or a negative or NaN threshold. FromMatrix
// panics if m is not square.
func FromMatrix(m [][]float64, mode Mode, threshold float64) (*Graph, error) {
	n := len(m)
	for _, row := range m {
		if len(row) != n {
			panic("network: matrix is not square")
		}
	}
	if !(threshold >= 0) {
		return nil, &measure.InputError{Method: "network", Unit: -1, Column: -1, Value: threshold,
			Reason: "the threshold must not be negative"}
	}
	for i, row := range m {
		for j, v := range row {
			if i != j && (v < 0 || math.IsInf(v, 0)) {
				return nil, &measure.InputError{Method: "network", Unit: i, Column: j, Value: v,
					Reason: "flows must be finite and not negative"}
			}
		}
	}
	at := func(i, j int) float64 {
		if v := m[i][j]; v > 0 {
			return v
		}
		return 0 // zero or NaN
	}
	g := newGraph(n, mode == Directed)
	for i := range n {
		for j := range n {
			if i == j {
				continue
			}
			v := at(i, j)
			switch mode {
			case UndirectedSum:
				v += at(j, i)
			case UndirectedMax:
				v = math.Max(v, at(j, i))
			}
			if v > 0 && v >= threshold {
				g.w[i][j] = v
			}
		}
	}
	return g, nil
}

// Edge is one flow of an edge list.
type Edge struct {
	From, To int
	Value    float64
}

// FromEdges builds a graph of n units from a list of flows (from, to,
// value), for example a user's city-pair file. Repeated pairs are summed
// (flows add up); with an undirected mode the directions are then combined
// as in FromMatrix. Self loops (from = to) and zero values are ignored.
//
// Errors: a unit index outside [0, n), or a value that is NaN, negative or
// infinite (an *measure.InputError whose Unit is the index of the edge in
// the list and Column 0 (from), 1 (to) or 2 (value)).
func FromEdges(n int, edges []Edge, mode Mode) (*Graph, error) {
	m := make([][]float64, n)
	for i := range m {
		m[i] = make([]float64, n)
	}
	for k, e := range edges {
		switch {
		case e.From < 0 || e.From >= n:
			return nil, edgeError(k, 0, float64(e.From), fmt.Sprintf("unit index must lie in [0, %d)", n))
		case e.To < 0 || e.To >= n:
			return nil, edgeError(k, 1, float64(e.To), fmt.Sprintf("unit index must lie in [0, %d)", n))
		case !(e.Value >= 0) || math.IsInf(e.Value, 0):
			return nil, edgeError(k, 2, e.Value, "flows must be finite and not negative")
		}
		if e.From != e.To {
			m[e.From][e.To] += e.Value
		}
	}
	return FromMatrix(m, mode, 0)
}

func edgeError(k, col int, v float64, reason string) error {
	return &measure.InputError{Method: "network edge list", Unit: k, Column: col, Value: v, Reason: reason}
}

func newGraph(n int, directed bool) *Graph {
	g := &Graph{n: n, directed: directed, w: make([][]float64, n)}
	cells := make([]float64, n*n)
	for i := range g.w {
		g.w[i] = cells[i*n : (i+1)*n : (i+1)*n]
	}
	return g
}

// Density returns the share of possible edges present:
//
//	Δ = E / (n(n − 1))  directed,   Δ = E / (n(n − 1)/2)  undirected
//
// NaN for n < 2 (igraph edge_density).
func (g *Graph) Density() float64 {
	if g.n < 2 {
		return math.NaN()
	}
	possible := float64(g.n * (g.n - 1))
	if !g.directed {
		possible /= 2
	}
	return float64(g.Edges()) / possible
}

// gonumGraph returns the graph in gonum form with edge weights f(w):
// identity for strengths and modularity, 1/w for path lengths.
func (g *Graph) gonumGraph(f func(float64) float64) graph.Weighted {
	if g.directed {
		d := simple.NewWeightedDirectedGraph(0, math.Inf(1))
		for i := range g.n {
			d.AddNode(simple.Node(i))
		}
		for i := range g.n {
			for j := range g.n {
				if v := g.w[i][j]; v > 0 {
					d.SetWeightedEdge(d.NewWeightedEdge(simple.Node(i), simple.Node(j), f(v)))
				}
			}
		}
		return d
	}
	u := simple.NewWeightedUndirectedGraph(0, math.Inf(1))
	for i := range g.n {
		u.AddNode(simple.Node(i))
	}
	for i := range g.n {
		for j := i + 1; j < g.n; j++ {
			if v := g.w[i][j]; v > 0 {
				u.SetWeightedEdge(u.NewWeightedEdge(simple.Node(i), simple.Node(j), f(v)))
			}
		}
	}
	return u
}

func identity(v float64) float64 { return v }
func length(v float64) float64   { return 1 / v }
