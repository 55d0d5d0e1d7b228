package network

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"math"
	"os"
	"slices"
	"strconv"
	"testing"

	"gonum.org/v1/gonum/graph"
	"gonum.org/v1/gonum/graph/community"
	"gonum.org/v1/gonum/graph/simple"

	"agglo/internal/measure"
)

// refDir holds the test networks and reference values
// (testdata/reference/network/: prepare_flows.py, gen_igraph.R,
// gen_networkx.py).
const refDir = "../../testdata/reference/network/"

const cities = 95

func readFlows(t *testing.T, name string) []Edge {
	t.Helper()
	f, err := os.Open(refDir + name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var e []Edge
	for _, r := range recs[1:] {
		from, _ := strconv.Atoi(r[0])
		to, _ := strconv.Atoi(r[1])
		v, err := strconv.ParseFloat(r[2], 64)
		if err != nil {
			t.Fatal(err)
		}
		e = append(e, Edge{from, to, v})
	}
	return e
}

// memberships returns the agglomeration and the province (first two
// digits of the adcode) of each city of testdata/reference/spatial/cities.csv,
// numbered like R's factor levels (sorted codes, 1-based) in gen_igraph.R.
func memberships(t *testing.T) (agg, prov []int) {
	t.Helper()
	f, err := os.Open("../../testdata/reference/spatial/cities.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	level := func(codes []string) []int {
		sorted := slices.Clone(codes)
		slices.Sort(sorted)
		sorted = slices.Compact(sorted)
		out := make([]int, len(codes))
		for i, c := range codes {
			out[i] = slices.Index(sorted, c) + 1
		}
		return out
	}
	var a, p []string
	for _, r := range recs[1:] {
		a = append(a, r[2])
		p = append(p, r[0][:2])
	}
	return level(a), level(p)
}

type igraphMeasures struct {
	Density             float64   `json:"density"`
	Betweenness         []float64 `json:"betweenness"`
	BetweennessWeighted []float64 `json:"betweenness_weighted"`
	ModularityAgg       float64   `json:"modularity_agglomeration"`
	ModularityProv      float64   `json:"modularity_province"`
	Degree              []float64 `json:"degree"`
	Strength            []float64 `json:"strength"`
	Eigenvector         []float64 `json:"eigenvector"`
	YRDVertices         []int     `json:"yrd_vertices"`
	YRDEigenvector      []float64 `json:"yrd_eigenvector"`
	InDegree            []float64 `json:"in_degree"`
	OutDegree           []float64 `json:"out_degree"`
	InStrength          []float64 `json:"in_strength"`
	OutStrength         []float64 `json:"out_strength"`
}

type nxMeasures struct {
	Closeness           []float64 `json:"closeness"`
	ClosenessWeighted   []float64 `json:"closeness_weighted"`
	Betweenness         []float64 `json:"betweenness"`
	BetweennessWeighted []float64 `json:"betweenness_weighted"`
}

func readJSON(t *testing.T, name string, v any) {
	t.Helper()
	b, err := os.ReadFile(refDir + name)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatal(err)
	}
}

func near(got, want, tol float64) bool {
	if math.IsNaN(want) {
		return math.IsNaN(got)
	}
	return math.Abs(got-want) <= tol*math.Max(1, math.Abs(want))
}

func checkSlice(t *testing.T, name string, got, want []float64, tol float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: len %d, want %d", name, len(got), len(want))
	}
	bad := 0
	for i := range want {
		if !near(got[i], want[i], tol) {
			if bad < 5 {
				t.Errorf("%s[%d] = %.17g, want %.17g", name, i, got[i], want[i])
			}
			bad++
		}
	}
}

func ints(v []int) []float64 {
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = float64(x)
	}
	return out
}

// TestReferenceUndirected: the symmetric gravity network of the 95 cities
// within 150 km against R igraph 1.3.5 (gen_igraph.R: degree, strength,
// betweenness unweighted and with lengths 1/w, eigen_centrality, density,
// modularity of the agglomeration and province memberships) and networkx
// 2.8.8 (gen_networkx.py: Wasserman-Faust closeness, betweenness).
func TestReferenceUndirected(t *testing.T) {
	var ig struct {
		Undirected igraphMeasures `json:"undirected"`
	}
	var nx struct {
		Undirected nxMeasures `json:"undirected"`
	}
	readJSON(t, "igraph.json", &ig)
	readJSON(t, "networkx.json", &nx)
	edges := readFlows(t, "flows_undirected.csv")
	g, err := FromEdges(cities, edges, UndirectedMax)
	if err != nil {
		t.Fatal(err)
	}
	want := ig.Undirected
	c := g.Centrality()
	const tol = 1e-10
	checkSlice(t, "degree", ints(c.Degree), want.Degree, 0)
	checkSlice(t, "strength", c.Strength, want.Strength, 1e-12)
	checkSlice(t, "betweenness (igraph)", c.Betweenness, want.Betweenness, tol)
	checkSlice(t, "betweenness (networkx)", c.Betweenness, nx.Undirected.Betweenness, tol)
	checkSlice(t, "weighted betweenness", c.WeightedBetweenness, want.BetweennessWeighted, tol)
	checkSlice(t, "closeness", c.Closeness, nx.Undirected.Closeness, tol)
	checkSlice(t, "weighted closeness", c.WeightedCloseness, nx.Undirected.ClosenessWeighted, tol)
	// The whole graph is disconnected; igraph's leading eigenvector lives on
	// one component, as ours: compare the entries above 1e-9.
	for i, v := range want.Eigenvector {
		if v > 1e-9 && !near(c.Eigenvector[i], v, 1e-8) || v <= 1e-9 && c.Eigenvector[i] > 1e-9 {
			t.Errorf("eigenvector[%d] = %v, want %v", i, c.Eigenvector[i], v)
		}
	}
	if d := g.Density(); !near(d, want.Density, 1e-15) {
		t.Errorf("density %v, want %v", d, want.Density)
	}
	agg, prov := memberships(t)
	if q := g.Modularity(agg, 1); !near(q, want.ModularityAgg, 1e-12) {
		t.Errorf("modularity (agglomeration) %v, want %v", q, want.ModularityAgg)
	}
	if q := g.Modularity(prov, 1); !near(q, want.ModularityProv, 1e-12) {
		t.Errorf("modularity (province) %v, want %v", q, want.ModularityProv)
	}

	// Eigenvector centrality of the connected Yangtze River Delta subgraph.
	yrd := want.YRDVertices
	var sub []Edge
	for _, e := range edges {
		a, b := slices.Index(yrd, e.From), slices.Index(yrd, e.To)
		if a >= 0 && b >= 0 {
			sub = append(sub, Edge{a, b, e.Value})
		}
	}
	sg, err := FromEdges(len(yrd), sub, UndirectedMax)
	if err != nil {
		t.Fatal(err)
	}
	checkSlice(t, "YRD eigenvector", sg.Centrality().Eigenvector, want.YRDEigenvector, 1e-10)
}

// TestReferenceDirected: the directed gravity network (k_ij = P_i/(P_i +
// P_j)) against igraph (in/out degree and strength, betweenness, density,
// directed modularity) and networkx (closeness on outgoing paths).
func TestReferenceDirected(t *testing.T) {
	var ig struct {
		Directed igraphMeasures `json:"directed"`
	}
	var nx struct {
		Directed nxMeasures `json:"directed"`
	}
	readJSON(t, "igraph.json", &ig)
	readJSON(t, "networkx.json", &nx)
	g, err := FromEdges(cities, readFlows(t, "flows_directed.csv"), Directed)
	if err != nil {
		t.Fatal(err)
	}
	want := ig.Directed
	c := g.Centrality()
	const tol = 1e-10
	checkSlice(t, "in-degree", ints(c.InDegree), want.InDegree, 0)
	checkSlice(t, "out-degree", ints(c.OutDegree), want.OutDegree, 0)
	checkSlice(t, "in-strength", c.InStrength, want.InStrength, 1e-12)
	checkSlice(t, "out-strength", c.OutStrength, want.OutStrength, 1e-12)
	checkSlice(t, "betweenness", c.Betweenness, want.Betweenness, tol)
	checkSlice(t, "weighted betweenness", c.WeightedBetweenness, want.BetweennessWeighted, tol)
	checkSlice(t, "closeness", c.Closeness, nx.Directed.Closeness, tol)
	checkSlice(t, "weighted closeness", c.WeightedCloseness, nx.Directed.ClosenessWeighted, tol)
	if d := g.Density(); !near(d, want.Density, 1e-15) {
		t.Errorf("density %v, want %v", d, want.Density)
	}
	agg, prov := memberships(t)
	if q := g.Modularity(agg, 1); !near(q, want.ModularityAgg, 1e-12) {
		t.Errorf("directed modularity (agglomeration) %v, want %v", q, want.ModularityAgg)
	}
	if q := g.Modularity(prov, 1); !near(q, want.ModularityProv, 1e-12) {
		t.Errorf("directed modularity (province) %v, want %v", q, want.ModularityProv)
	}
}

// TestCompareReference: NMI and ARI against igraph compare() for the
// agglomeration and province memberships and a toy pair.
func TestCompareReference(t *testing.T) {
	var ig struct {
		NMI    float64 `json:"nmi_agglomeration_province"`
		ARI    float64 `json:"ari_agglomeration_province"`
		NMIToy float64 `json:"nmi_toy"`
		ARIToy float64 `json:"ari_toy"`
	}
	readJSON(t, "igraph.json", &ig)
	agg, prov := memberships(t)
	if v := NMI(agg, prov); !near(v, ig.NMI, 1e-12) {
		t.Errorf("NMI %v, want %v", v, ig.NMI)
	}
	if v := AdjustedRand(agg, prov); !near(v, ig.ARI, 1e-12) {
		t.Errorf("ARI %v, want %v", v, ig.ARI)
	}
	a, b := []int{1, 1, 2, 2, 3, 3}, []int{1, 1, 1, 2, 2, 2}
	if v := NMI(a, b); !near(v, ig.NMIToy, 1e-12) {
		t.Errorf("toy NMI %v, want %v", v, ig.NMIToy)
	}
	if v := AdjustedRand(a, b); !near(v, ig.ARIToy, 1e-12) {
		t.Errorf("toy ARI %v, want %v", v, ig.ARIToy)
	}
}

// TestCommunities: Louvain on the city network finds a partition at least
// as modular as the agglomerations (igraph modularity 0.7206), the same
// seed gives the same partition, and relabelling does not change NMI/ARI.
func TestCommunities(t *testing.T) {
	g, err := FromEdges(cities, readFlows(t, "flows_undirected.csv"), UndirectedMax)
	if err != nil {
		t.Fatal(err)
	}
	agg, _ := memberships(t)
	p := g.Communities(1, 7)
	if p.Q < g.Modularity(agg, 1)-1e-12 {
		t.Errorf("Louvain Q %v below the agglomerations' %v", p.Q, g.Modularity(agg, 1))
	}
	if q := g.Modularity(p.Membership, 1); q != p.Q {
		t.Errorf("reported Q %v, recomputed %v", p.Q, q)
	}
	again := g.Communities(1, 7)
	if !slices.Equal(p.Membership, again.Membership) {
		t.Error("same seed, different partition")
	}
	if p.Membership[0] != 0 || p.Communities < 5 {
		t.Errorf("membership %v (%d communities)", p.Membership, p.Communities)
	}
	// Units 34 and 35 are isolated: each is alone.
	for _, u := range []int{34, 35} {
		for v, c := range p.Membership {
			if v != u && c == p.Membership[u] {
				t.Errorf("isolated unit %d shares community with %d", u, v)
			}
		}
	}
	nmi, ari := NMI(agg, p.Membership), AdjustedRand(agg, p.Membership)
	relabelled := make([]int, len(agg))
	for i, c := range agg {
		relabelled[i] = 100 - 7*c
	}
	if !near(NMI(relabelled, p.Membership), nmi, 1e-14) || !near(AdjustedRand(relabelled, p.Membership), ari, 1e-14) {
		t.Error("NMI or ARI depends on the labels")
	}
	// Modularity agrees with gonum's community.Q.
	for _, m := range [][]int{agg, p.Membership} {
		groups := map[int][]graph.Node{}
		for i, c := range m {
			groups[c] = append(groups[c], simple.Node(i))
		}
		var comms [][]graph.Node
		for _, c := range groups {
			comms = append(comms, c)
		}
		if q := community.Q(g.gonumGraph(identity), comms, 1); !near(g.Modularity(m, 1), q, 1e-12) {
			t.Errorf("modularity %v, gonum %v", g.Modularity(m, 1), q)
		}
	}
}

// TestCompareHand: hand values and edge cases.
// a = (0,0,1,1), b = (0,0,1,2): H(a) = ln 2, H(b) = 1.5 ln 2 (−½ln½ −
// 2·¼ln¼), I = H(a) (b refines a), NMI = 2 ln2/(2.5 ln 2) = 0.8.
// ARI: Σ C(n_ij,2) = 1, Σ C(a_i,2) = 2, Σ C(b_j,2) = 1, E = 2/6,
// ARI = (1 − 1/3)/(1.5 − 1/3) = 4/7 (scikit-learn documents 0.57 for this pair).
func TestCompareHand(t *testing.T) {
	a, b := []int{0, 0, 1, 1}, []int{0, 0, 1, 2}
	if v := NMI(a, b); !near(v, 0.8, 1e-15) {
		t.Errorf("NMI %v, want 0.8", v)
	}
	if v := AdjustedRand(a, b); !near(v, 4.0/7, 1e-15) {
		t.Errorf("ARI %v, want 4/7", v)
	}
	if NMI([]int{1, 1}, []int{5, 5}) != 1 || AdjustedRand([]int{1, 1}, []int{5, 5}) != 1 {
		t.Error("identical trivial partitions")
	}
	if !math.IsNaN(NMI(nil, nil)) || !math.IsNaN(AdjustedRand([]int{1}, []int{1})) {
		t.Error("empty or single unit should be NaN")
	}
}

// TestBuildErrors: user mistakes in flow lists and matrices are errors,
// zeros and NaN entries are not edges, thresholds apply after combining.
func TestBuildErrors(t *testing.T) {
	var ie *measure.InputError
	for name, err := range map[string]error{
		"from out of range": second(FromEdges(3, []Edge{{0, 1, 1}, {3, 1, 1}}, Directed)),
		"negative value":    second(FromEdges(3, []Edge{{0, 1, -1}}, Directed)),
		"NaN value":         second(FromEdges(3, []Edge{{0, 1, math.NaN()}}, Directed)),
		"infinite entry":    second(FromMatrix([][]float64{{0, math.Inf(1)}, {0, 0}}, Directed, 0)),
		"negative entry":    second(FromMatrix([][]float64{{0, 1}, {-1, 0}}, UndirectedSum, 0)),
		"negative tau":      second(FromMatrix([][]float64{{0, 1}, {1, 0}}, Directed, -1)),
	} {
		if !errors.As(err, &ie) {
			t.Errorf("%s: %v", name, err)
		}
	}
	_, err := FromEdges(3, []Edge{{0, 1, 1}, {3, 1, 1}}, Directed)
	if errors.As(err, &ie); ie.Unit != 1 || ie.Column != 0 {
		t.Errorf("edge error names edge %d column %d", ie.Unit, ie.Column)
	}
	m := [][]float64{{0, 2, math.NaN()}, {1, 0, 0}, {0, 3, 0}}
	sum, _ := FromMatrix(m, UndirectedSum, 0)
	max, _ := FromMatrix(m, UndirectedMax, 0)
	dir, _ := FromMatrix(m, Directed, 2)
	if sum.Weight(0, 1) != 3 || sum.Weight(1, 0) != 3 || max.Weight(0, 1) != 2 || sum.Edges() != 2 {
		t.Errorf("combine: sum %v max %v edges %d", sum.Weight(0, 1), max.Weight(0, 1), sum.Edges())
	}
	if dir.Edges() != 2 || dir.Weight(1, 0) != 0 {
		t.Errorf("threshold 2: %d edges", dir.Edges())
	}
	// Repeated pairs add up; self loops are ignored.
	g, _ := FromEdges(2, []Edge{{0, 1, 1}, {0, 1, 2.5}, {1, 1, 9}}, Directed)
	if g.Weight(0, 1) != 3.5 || g.Weight(1, 1) != 0 {
		t.Errorf("repeated pairs: %v", g.Weight(0, 1))
	}
	empty, _ := FromMatrix([][]float64{{0, 0}, {0, 0}}, UndirectedMax, 0)
	c := empty.Centrality()
	if !math.IsNaN(c.Eigenvector[0]) || c.Closeness[0] != 0 || !math.IsNaN(empty.Communities(1, 1).Q) {
		t.Errorf("graph without edges: %+v", c)
	}
}

func second(_ *Graph, err error) error { return err }
