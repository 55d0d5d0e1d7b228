package measure

import (
	"math"
	"slices"
	"testing"
)

// TestKernelDensityR: Silverman's bandwidth and the Gaussian kernel density
// against R 4.2.2 (testdata/reference/inequality/gen_density.R: bw.nrd0
// and exact sums of dnorm) for the Mexican states' per-capita GDP of 2000
// (thousands), unweighted and with weights pcgdp1940/Σ.
func TestKernelDensityR(t *testing.T) {
	var ref struct {
		BW          float64   `json:"bw_nrd0"`
		BW1940      float64   `json:"bw_nrd0_mexico_1940_div1000"`
		BWConstant  float64   `json:"bw_nrd0_constant_5"`
		BWTies      float64   `json:"bw_nrd0_ties"`
		Grid        []float64 `json:"grid"`
		Density     []float64 `json:"density"`
		DensityW    []float64 `json:"density_weighted"`
		DefaultGrid struct {
			From, To float64
			N        int
		} `json:"density_default_grid"`
	}
	readRefJSON(t, "inequality/density.json", &ref)
	scale := func(v []float64) []float64 {
		out := make([]float64, len(v))
		for i := range v {
			out[i] = v[i] / 1000
		}
		return out
	}
	x := scale(mexicoColumn(t, "pcgdp2000"))
	w := mexicoColumn(t, "pcgdp1940")
	xc := slices.Clone(x)
	checkNear(t, "bw.nrd0", SilvermanBandwidth(x), ref.BW, 1e-14)
	checkNear(t, "bw.nrd0 1940", SilvermanBandwidth(scale(mexicoColumn(t, "pcgdp1940"))), ref.BW1940, 1e-14)
	checkNear(t, "bw.nrd0 constant", SilvermanBandwidth([]float64{5, 5, 5, 5}), ref.BWConstant, 1e-14)
	checkNear(t, "bw.nrd0 ties", SilvermanBandwidth([]float64{1, 1, 1, 1, 2, 3}), ref.BWTies, 1e-14)

	d := KernelDensity(x, nil, 0, ref.Grid)
	if !slices.Equal(x, xc) {
		t.Error("input mutated")
	}
	checkNear(t, "bandwidth", d.Bandwidth, ref.BW, 1e-14)
	for k := range ref.Grid {
		checkNear(t, "density", d.Y[k], ref.Density[k], 1e-13)
	}
	dw := KernelDensity(x, w, ref.BW, ref.Grid)
	for k := range ref.Grid {
		checkNear(t, "weighted density", dw.Y[k], ref.DensityW[k], 1e-13)
	}
	def := KernelDensity(x, nil, math.NaN(), nil)
	if len(def.X) != ref.DefaultGrid.N {
		t.Fatalf("default grid has %d points, want %d", len(def.X), ref.DefaultGrid.N)
	}
	checkNear(t, "grid from", def.X[0], ref.DefaultGrid.From, 1e-13)
	checkNear(t, "grid to", def.X[len(def.X)-1], ref.DefaultGrid.To, 1e-13)
	// The density integrates to 1 (trapezoid rule on the default grid; the
	// grid stops 3h beyond the extremes, so a little mass is outside).
	var area float64
	for k := 1; k < len(def.X); k++ {
		area += (def.X[k] - def.X[k-1]) * (def.Y[k] + def.Y[k-1]) / 2
	}
	checkNear(t, "area", area, 1, 1e-3)
}

func TestKernelDensityEdges(t *testing.T) {
	// Hand: one value at 0 with h = 1: f(0) = φ(0) = 1/√(2π).
	d := KernelDensity([]float64{0, math.NaN()}, nil, 1, []float64{0})
	checkNear(t, "φ(0)", d.Y[0], 1/math.Sqrt(2*math.Pi), 1e-15)
	if d.N != 1 {
		t.Errorf("N = %d", d.N)
	}
	if d := KernelDensity([]float64{3}, nil, 0, nil); !math.IsNaN(d.Bandwidth) || d.Y != nil {
		t.Errorf("one value without bandwidth: %+v", d)
	}
	if d := KernelDensity([]float64{1, math.Inf(1)}, nil, 1, nil); d.Y != nil {
		t.Errorf("infinite value: %+v", d)
	}
	if d := KernelDensity([]float64{1, 2}, []float64{1, -1}, 1, nil); d.Y != nil {
		t.Errorf("negative weight: %+v", d)
	}
	if !math.IsNaN(SilvermanBandwidth([]float64{1})) || !math.IsNaN(SilvermanBandwidth(nil)) {
		t.Error("bandwidth of fewer than 2 values")
	}
	// bw.nrd0 fallbacks, by hand: (0, 0) → lo = 1 → 0.9·2^(−0.2).
	checkNear(t, "all zero", SilvermanBandwidth([]float64{0, 0}), 0.9*math.Pow(2, -0.2), 1e-15)
}
