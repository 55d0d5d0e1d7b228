package measure

import (
	"math"
	"slices"
	"testing"
)

// gravityToy returns the gravity toy (docs/methods.md#toy-data).
func gravityToy() (p, g []float64, d [][]float64) {
	return []float64{1000, 500, 300, 200}, []float64{50000, 12000, 6000, 2000},
		[][]float64{{0, 100, 150, 200}, {100, 0, 80, 160}, {150, 80, 0, 90}, {200, 160, 90, 0}}
}

func TestGravityToy(t *testing.T) {
	p, g, d := gravityToy()
	pc, gc, dc := slices.Clone(p), slices.Clone(g), cloneMatrix(d)
	r := Gravity(p, g, d, 2)
	if !slices.Equal(p, pc) || !slices.Equal(g, gc) || !equalMatrix(d, dc) {
		t.Fatal("input mutated")
	}
	// R (row i → column j) evaluated independently in Python, printed to 4
	// decimals. Hand for A→B: 50000/62000 · sqrt(1000·50000)·sqrt(500·12000)/100².
	want := [][]float64{
		{0, 1396.8152, 376.4616, 107.5033},
		{335.2356, 0, 342.3266, 51.8703},
		{45.1754, 171.1633, 0, 78.5674},
		{4.3001, 8.6451, 26.1891, 0},
	}
	for i := range want {
		for j := range want {
			if math.Abs(r[i][j]-want[i][j]) > 5e-5 {
				t.Errorf("R[%d][%d] = %.6f, want %.4f", i, j, r[i][j], want[i][j])
			}
		}
	}
	sym := SymmetricGravity(p, g, d, 2)
	checkNear(t, "R_sym AB", sym[0][1], 1732.0508, 5e-8) // hand: sqrt(5e7·6e6)/100²
	checkNear(t, "R_AB + R_BA", r[0][1]+r[1][0], sym[0][1], 1e-14)
	checkNear(t, "R_AB/R_BA", r[0][1]/r[1][0], g[0]/g[1], 1e-14)

	l := Linkage(r)
	// Row sums, column sums and row-sum shares of R, evaluated independently
	// in Python.
	checkAbs(t, "L_out", l.Out, []float64{1880.7801, 729.4326, 294.9061, 39.1343}, 5e-5)
	checkAbs(t, "L_in", l.In, []float64{384.7112, 1576.6235, 744.9774, 237.9410}, 5e-5)
	checkSlice(t, "share", l.OutShare, []float64{0.638797, 0.247748, 0.100163, 0.013292}, 1e-6)
	for i := range l.Total {
		checkNear(t, "total", l.Total[i], l.Out[i]+l.In[i], 1e-15)
	}
	if !slices.Equal(l.Primary, []int{1, 2, 1, 2}) { // hand: argmax of each row of R
		t.Errorf("primary = %v", l.Primary)
	}

	tau := MeanThreshold(r)
	// τ = mean of the 12 off-diagonal R, evaluated independently in Python;
	// the network measures agree with R igraph edge_density and degree.
	checkNear(t, "τ", tau, 245.35442086841832, 1e-13)
	nw := Network(r, tau)
	if nw.Edges != 4 {
		t.Errorf("edges = %d, want 4", nw.Edges)
	}
	checkNear(t, "density", nw.Density, 0.3333333333333333, 1e-15)
	if !slices.Equal(nw.OutDegree, []int{2, 2, 0, 0}) || !slices.Equal(nw.InDegree, []int{1, 1, 2, 0}) {
		t.Errorf("degrees out %v in %v", nw.OutDegree, nw.InDegree)
	}
	checkSlice(t, "out norm", nw.OutDegreeNorm, []float64{2. / 3, 2. / 3, 0, 0}, 1e-15)
	checkNear(t, "undirected density", nw.UndirectedDensity, 0.5, 1e-15)
	if nw.UndirectedEdges != 3 || !slices.Equal(nw.UndirectedDegree, []int{2, 2, 2, 0}) {
		t.Errorf("undirected %d %v", nw.UndirectedEdges, nw.UndirectedDegree)
	}
	// Median threshold (hand): the 12 off-diagonal values sorted have
	// 6th and 7th values 78.5674 and 107.5033.
	checkNear(t, "median", MedianThreshold(r), (78.5674+107.5033)/2, 1e-6)

	c := CoreLinkage(r, 0)
	checkAbs(t, "core out/in", []float64{c.Out, c.In}, []float64{1880.7801, 384.7112}, 5e-5)
	var all float64
	for _, v := range l.Out {
		all += v
	}
	checkNear(t, "core total", c.Total, all, 1e-14)
	checkNear(t, "core share", c.CoreShare, (c.Out+c.In)/all, 1e-15)
}

func TestGravityEdgeCases(t *testing.T) {
	nan := math.NaN()
	// Edge cases (docs/methods.md#gravity): D = 0 or missing → NaN;
	// G_i = G_j = 0 → 0.
	r := Gravity([]float64{1, 1, 1}, []float64{0, 0, 4}, [][]float64{{0, 2, 0}, {2, 0, nan}, {0, nan, 0}}, 2)
	checkNear(t, "G=0 pair", r[0][1], 0, 0)
	checkNear(t, "D=0", r[0][2], nan, 0)
	checkNear(t, "D NaN", r[1][2], nan, 0)
	// b = 1 (hand): R_01 = 1/2 · sqrt(1·2)·sqrt(1·2) / 4 = 0.25.
	r1 := Gravity([]float64{1, 1}, []float64{2, 2}, [][]float64{{0, 4}, {4, 0}}, 1)
	checkNear(t, "b=1", r1[0][1], 0.25, 1e-15)
	r3 := Gravity([]float64{1, 1}, []float64{2, 2}, [][]float64{{0, 4}, {4, 0}}, 1.5)
	checkNear(t, "b=1.5", r3[0][1], 1/8.0, 1e-15) // hand: 1/2·2/4^1.5
	nw := Network([][]float64{{0}}, 1)
	if !math.IsNaN(nw.Density) {
		t.Error("n = 1 density should be NaN")
	}
	checkNear(t, "threshold empty", MeanThreshold([][]float64{{0}}), nan, 0)
}

func TestHaversine(t *testing.T) {
	// Hand: a quarter meridian is πR/2.
	checkNear(t, "pole", Haversine(0, 0, 0, 90), math.Pi*EarthRadiusKm/2, 1e-12)
	// Hand: one degree of longitude on the equator is πR/180 = 111.19508 km.
	checkNear(t, "1° equator", Haversine(116, 0, 117, 0), math.Pi*EarthRadiusKm/180, 1e-12)
	// Beijing (116.4074 E, 39.9042 N) – Shanghai (121.4737 E, 31.2304 N):
	// 1067.3116451587232 km by the spherical law of cosines
	// R·acos(sin φ1 sin φ2 + cos φ1 cos φ2 cos Δλ), evaluated independently
	// in Python with R = 6371.0088.
	d := Haversine(116.4074, 39.9042, 121.4737, 31.2304)
	checkNear(t, "Beijing–Shanghai", d, 1067.3116451587232, 1e-12)
	m := DistanceMatrix([]float64{116.4074, 121.4737}, []float64{39.9042, 31.2304})
	checkNear(t, "matrix", m[0][1], d, 1e-15)
	checkNear(t, "symmetric", m[1][0], d, 1e-15)
}
