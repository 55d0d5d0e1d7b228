package network

import (
	"slices"
	"testing"
)

// TestBetweennessReproducible: betweenness is summed in unit order, so
// repeated runs agree to the last bit (the command line and the API must
// print identical numbers); gonum's network.Betweenness sums in map order
// and did not.
func TestBetweennessReproducible(t *testing.T) {
	for _, c := range []struct {
		file string
		mode Mode
	}{{"flows_undirected.csv", UndirectedMax}, {"flows_directed.csv", Directed}} {
		g, err := FromEdges(cities, readFlows(t, c.file), c.mode)
		if err != nil {
			t.Fatal(err)
		}
		first := g.Centrality()
		for range 5 {
			c2 := g.Centrality()
			if !slices.Equal(first.Betweenness, c2.Betweenness) || !slices.Equal(first.WeightedBetweenness, c2.WeightedBetweenness) {
				t.Fatalf("%s: betweenness differs between runs", c.file)
			}
		}
	}
}
