package spatial

import (
	"context"
	"testing"
)

// The benchmarks use 2,900 seeded synthetic units (randomUnits: points in
// eastern China and a spatially trending variable), the size of China's
// county-level units, with 8 nearest neighbours, row-standardised.
const benchUnits = 2900

func benchWeights(b *testing.B) (*Weights, []float64) {
	b.Helper()
	lon, lat, y := randomUnits(benchUnits, 2026)
	w, err := KNN(lon, lat, 8, RowStandardized)
	if err != nil {
		b.Fatal(err)
	}
	return w, y
}

// BenchmarkKNNWeights2900 builds knn:8 weights for 2,900 units.
func BenchmarkKNNWeights2900(b *testing.B) {
	lon, lat, _ := randomUnits(benchUnits, 2026)
	for b.Loop() {
		if _, err := KNN(lon, lat, 8, RowStandardized); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkMoran999 is global Moran's I with 999 permutations (target
// < 0.5 s on 2 cores).
func BenchmarkMoran999(b *testing.B) {
	w, y := benchWeights(b)
	for b.Loop() {
		if _, err := Moran(context.Background(), y, w, Options{Permutations: 999, Seed: 1}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkGeary999 is global Geary's C with 999 permutations.
func BenchmarkGeary999(b *testing.B) {
	w, y := benchWeights(b)
	for b.Loop() {
		if _, err := Geary(context.Background(), y, w, Options{Permutations: 999, Seed: 1}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLISA999 is the local Moran of every unit with 999 conditional
// permutations (target < 2 s on 2 cores).
func BenchmarkLISA999(b *testing.B) {
	w, y := benchWeights(b)
	for b.Loop() {
		if _, err := LISA(context.Background(), y, w, Options{Permutations: 999, Seed: 1}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkGetisOrdStar is Gi* with analytical z.
func BenchmarkGetisOrdStar(b *testing.B) {
	w, y := benchWeights(b)
	for i := range y {
		y[i] += 10
	}
	for b.Loop() {
		if _, err := GetisOrd(y, w, true); err != nil {
			b.Fatal(err)
		}
	}
}
