package composite

import (
	"context"
	"fmt"
	"runtime"
	"testing"
)

// benchUA runs Uncertainty b.N times and reports the peak heap (HeapAlloc,
// garbage included, sampled every tenth progress call) in MB as peak-MB,
// EstimateUA's bytes as est-MB, the largest error bound of a rank
// quantile as rank-err (0: exact) and the units with a binned quantile as
// binned-units.
func benchUA(b *testing.B, fw *Framework, d *Data, spec *UASpec, o UAOptions) {
	est, err := EstimateUA(fw, d, spec, o)
	if err != nil {
		b.Fatal(err)
	}
	var res *UAResult
	var peak uint64
	calls := 0
	o.Progress = func(done, total int) {
		calls++
		if calls%10 != 0 {
			return
		}
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		peak = max(peak, m.HeapAlloc)
	}
	b.ResetTimer()
	for b.Loop() {
		if res, err = Uncertainty(context.Background(), fw, d, spec, o); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(peak)/1e6, "peak-MB")
	b.ReportMetric(float64(est.Bytes)/1e6, "est-MB")
	b.ReportMetric(res.RankError, "rank-err")
	b.ReportMetric(float64(res.BinnedUnits), "binned-units")
}

// BenchmarkUncertaintyASEM: 51 units × 49 indicators (the shape of COINr's
// ASEM example, synthetic), 1,000 replications of benchSpec.
func BenchmarkUncertaintyASEM(b *testing.B) {
	fw, d := synthetic(b, 51, asemPillars, 1)
	benchUA(b, fw, d, parseSpec(b, benchSpec), UAOptions{N: 1000, Seed: 1, Build: Options{Steps: nominalSteps()}})
}

// BenchmarkSensitivityASEM: the Saltelli design of benchSpec, N = 143
// (1,001 runs).
func BenchmarkSensitivityASEM(b *testing.B) {
	fw, d := synthetic(b, 51, asemPillars, 1)
	spec := parseSpec(b, benchSpec)
	spec.Sensitivity = true
	benchUA(b, fw, d, spec, UAOptions{N: 1000 / 7, Seed: 1, Build: Options{Steps: nominalSteps()}})
}

// national returns the synthetic national-scale data: 2,900 units × 120
// indicators in 12 pillars of 10, two sub-indices and the index.
func national(b *testing.B) (*Framework, *Data) {
	pillars := make([]int, 12)
	for i := range pillars {
		pillars[i] = 10
	}
	return synthetic(b, 2900, pillars, 2)
}

// BenchmarkUncertaintyLarge: 2,900 × 120, benchSpec (COINr-like: treatment,
// normalisation, aggregation and indicator-weight alternatives, noise on
// the pillar weights), N = 1,000 and 10,000.
func BenchmarkUncertaintyLarge(b *testing.B) {
	fw, d := national(b)
	spec := parseSpec(b, benchSpec)
	for _, n := range []int{1000, 10_000} {
		b.Run(fmt.Sprintf("N=%d", n), func(b *testing.B) {
			benchUA(b, fw, d, spec, UAOptions{N: n, Seed: 1, Build: Options{Steps: nominalSteps()}})
		})
	}
}

// BenchmarkUncertaintyLargeDefault: 2,900 × 120 with DefaultUASpec (noise
// on the indicator weights: every run aggregates all 348,000 values), N =
// 1,000 and 10,000, agglo's default build as the nominal.
func BenchmarkUncertaintyLargeDefault(b *testing.B) {
	fw, d := national(b)
	for _, n := range []int{1000, 10_000} {
		b.Run(fmt.Sprintf("N=%d", n), func(b *testing.B) {
			benchUA(b, fw, d, DefaultUASpec(), UAOptions{N: n, Seed: 1})
		})
	}
}

// BenchmarkSensitivityLargeDefault: the Saltelli design of DefaultUASpec at
// 2,900 × 120, N = 250 (1,500 runs).
func BenchmarkSensitivityLargeDefault(b *testing.B) {
	fw, d := national(b)
	spec := DefaultUASpec()
	spec.Sensitivity = true
	benchUA(b, fw, d, spec, UAOptions{N: 250, Seed: 1})
}

// BenchmarkUncertaintyHuge: 20,000 units × 120 indicators (synthetic), the
// default spec, N = 1,000 and 10,000: the ranks of every run no longer fit
// the default RankMemory at N = 10,000 and the binned form bounds them.
// About 2 and 20 CPU-seconds per op on the reference machine; run it alone:
//
//	go test -run XXX -bench UncertaintyHuge -benchtime 1x -benchmem ./internal/composite/
func BenchmarkUncertaintyHuge(b *testing.B) {
	pillars := make([]int, 12)
	for i := range pillars {
		pillars[i] = 10
	}
	fw, d := synthetic(b, 20_000, pillars, 3)
	for _, n := range []int{1000, 10_000} {
		b.Run(fmt.Sprintf("N=%d", n), func(b *testing.B) {
			benchUA(b, fw, d, DefaultUASpec(), UAOptions{N: n, Seed: 1})
		})
	}
}
