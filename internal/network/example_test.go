package network_test

import (
	"fmt"

	"agglo/internal/network"
)

// Two triangles of strong flows joined by one weak link: unit 2 and unit 3
// carry every path between the triangles (betweenness 3·2 = 6 pairs), and
// Louvain recovers them: Q = 2(15/31 − (31/62)²) = 0.4677 by hand.
func ExampleGraph_Communities() {
	edges := []network.Edge{
		{From: 0, To: 1, Value: 5}, {From: 1, To: 2, Value: 5}, {From: 0, To: 2, Value: 5},
		{From: 3, To: 4, Value: 5}, {From: 4, To: 5, Value: 5}, {From: 3, To: 5, Value: 5},
		{From: 2, To: 3, Value: 1},
	}
	g, err := network.FromEdges(6, edges, network.UndirectedMax)
	if err != nil {
		panic(err)
	}
	c := g.Centrality()
	fmt.Println("betweenness", c.Betweenness)
	fmt.Printf("density %.3f\n", g.Density())
	p := g.Communities(1, 1)
	fmt.Printf("communities %v, Q = %.4f\n", p.Membership, p.Q)
	given := []int{1, 1, 1, 1, 2, 2}
	fmt.Printf("NMI %.4f, ARI %.4f\n", network.NMI(given, p.Membership), network.AdjustedRand(given, p.Membership))
	// Output:
	// betweenness [0 0 6 6 0 0]
	// density 0.467
	// communities [0 0 0 1 1 1], Q = 0.4677
	// NMI 0.4787, ARI 0.3243
}
