package measure

import (
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"testing"
)

// benchData returns n log-normal per-capita values, populations and 300
// group labels, from a fixed seed.
func benchData(n int) (y, p []float64, g []int) {
	rng := rand.New(rand.NewPCG(11, 12))
	y = make([]float64, n)
	p = make([]float64, n)
	g = make([]int, n)
	for i := range y {
		y[i] = math.Exp(rng.NormFloat64()*0.6 + 2)
		p[i] = math.Exp(rng.NormFloat64() + 5)
		g[i] = rng.IntN(300)
	}
	return y, p, g
}

const benchN = 1_000_000

func BenchmarkGini1e6(b *testing.B) {
	y, _, _ := benchData(benchN)
	for b.Loop() {
		Gini(y, nil)
	}
}

func BenchmarkGiniWeighted1e6(b *testing.B) {
	y, p, _ := benchData(benchN)
	for b.Loop() {
		Gini(y, p)
	}
}

// BenchmarkSortFloat64s1e6 is the baseline for Gini: copy and sort the
// same data with sort.Float64s.
func BenchmarkSortFloat64s1e6(b *testing.B) {
	y, _, _ := benchData(benchN)
	buf := make([]float64, len(y))
	for b.Loop() {
		copy(buf, y)
		sort.Float64s(buf)
	}
}

// BenchmarkSlicesSort1e6 is the same baseline with slices.Sort.
func BenchmarkSlicesSort1e6(b *testing.B) {
	y, _, _ := benchData(benchN)
	buf := make([]float64, len(y))
	for b.Loop() {
		copy(buf, y)
		slices.Sort(buf)
	}
}

func BenchmarkTheilDecompose1e6(b *testing.B) {
	y, p, g := benchData(benchN)
	for b.Loop() {
		TheilDecompose(TheilT, y, p, g)
	}
}

func BenchmarkTheilLDecompose1e6(b *testing.B) {
	y, p, g := benchData(benchN)
	for b.Loop() {
		TheilDecompose(TheilL, y, p, g)
	}
}

// cities returns n random cities in eastern China with population and
// patent counts.
func cities(n int) (lon, lat, pop, pat []float64) {
	rng := rand.New(rand.NewPCG(13, 14))
	lon, lat, pop, pat = make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
	for i := range lon {
		lon[i] = 105 + rng.Float64()*17
		lat[i] = 22 + rng.Float64()*18
		pop[i] = math.Exp(rng.NormFloat64()*0.7 + 6)
		pat[i] = math.Exp(rng.NormFloat64()*1.2 + 8)
	}
	return lon, lat, pop, pat
}

// BenchmarkGravityNetwork300 covers the gravity matrix and the network
// measures for 300 cities (90,000 ordered pairs) from a distance matrix.
func BenchmarkGravityNetwork300(b *testing.B) {
	lon, lat, pop, pat := cities(300)
	d := DistanceMatrix(lon, lat)
	for b.Loop() {
		r := Gravity(pop, pat, d, 2)
		Linkage(r)
		Network(r, MeanThreshold(r))
		CoreLinkage(r, 0)
	}
}

// BenchmarkDistanceGravityNetwork300 adds the haversine distance matrix.
func BenchmarkDistanceGravityNetwork300(b *testing.B) {
	lon, lat, pop, pat := cities(300)
	for b.Loop() {
		d := DistanceMatrix(lon, lat)
		r := Gravity(pop, pat, d, 2)
		Linkage(r)
		Network(r, MeanThreshold(r))
	}
}

// deaData returns n DMUs with 4 inputs and 3 outputs generated from a
// Cobb–Douglas frontier with random inefficiency.
func deaData(n int) (x, y [][]float64) {
	rng := rand.New(rand.NewPCG(15, 16))
	x = make([][]float64, n)
	y = make([][]float64, n)
	for j := range n {
		x[j] = make([]float64, 4)
		for i := range x[j] {
			x[j][i] = math.Exp(rng.NormFloat64()*0.8 + 3)
		}
		f := math.Pow(x[j][0], 0.3) * math.Pow(x[j][1], 0.25) * math.Pow(x[j][2], 0.2) * math.Pow(x[j][3], 0.15)
		eff := math.Exp(-math.Abs(rng.NormFloat64()) * 0.3)
		y[j] = make([]float64, 3)
		for r := range y[j] {
			y[j][r] = f * eff * math.Exp(rng.NormFloat64()*0.3)
		}
	}
	return x, y
}

// BenchmarkDEA300 solves input-oriented CCR and BCC with slacks for 300
// DMUs × 4 inputs × 3 outputs (1,200 LPs).
func BenchmarkDEA300(b *testing.B) {
	x, y := deaData(300)
	for b.Loop() {
		if _, err := DEA(x, y, DEAOptions{Orientation: InputOriented, Returns: CRS}); err != nil {
			b.Fatal(err)
		}
		if _, err := DEA(x, y, DEAOptions{Orientation: InputOriented, Returns: VRS}); err != nil {
			b.Fatal(err)
		}
	}
}
