package analysis

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// benchSpatialFile writes 2,900 synthetic free units (SYN-0001…) with
// 经度/纬度 columns in eastern China and a spatially trending variable,
// seeded, the size of China's county-level units.
func benchSpatialFile(b *testing.B) string {
	b.Helper()
	r := rand.New(rand.NewPCG(2026, 16))
	var sb strings.Builder
	sb.WriteString("unit,x,经度,纬度\n")
	for i := range 2900 {
		lon, lat := 100+22*r.Float64(), 20+22*r.Float64()
		fmt.Fprintf(&sb, "SYN-%04d,%.6f,%.6f,%.6f\n", i+1, 10+math.Sin(lon/5)+lat/10+r.NormFloat64(), lon, lat)
	}
	p := filepath.Join(b.TempDir(), "syn.csv")
	if err := os.WriteFile(p, []byte(sb.String()), 0o644); err != nil {
		b.Fatal(err)
	}
	return p
}

// BenchmarkMeasureSpatial2900 runs agglo measure's path (cross-section,
// coordinates, knn:8 weights, the statistic with 999 permutations) on
// 2,900 units; the file is imported once, outside the loop.
func BenchmarkMeasureSpatial2900(b *testing.B) {
	ds := load(b, benchSpatialFile(b))
	for _, m := range []string{"moran", "lisa", "getis-ord"} {
		b.Run(m, func(b *testing.B) {
			req := MeasureRequest{Method: m, Indicator: "x", SpatialWeights: WeightsSpec{Kind: WeightsKNN, K: 8, Transform: TransformRow}, Permutations: 999, Seed: 1}
			for b.Loop() {
				r, err := Measure(ds, req)
				if err != nil || r.N != 2900 {
					b.Fatal(err)
				}
			}
		})
	}
}
