package composite

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
)

// synthetic returns a clearly synthetic framework and data set with the
// shape of COINr's ASEM example when units = 51, groups = pillar sizes
// {5,6,6,7,6,6,7,6} (49 indicators, 8 pillars, 2 sub-indices, 1 index: 4
// levels). Values are log-normal (skewed, so winsorisation acts) from a seeded
// PCG; 2 % are missing.
func synthetic(t testing.TB, units int, pillars []int, seed uint64) (*Framework, *Data) {
	fw := &Framework{Code: "synthetic", NameEN: "synthetic test index"}
	rng := rand.New(rand.NewPCG(seed, 7))
	half := (len(pillars) + 1) / 2
	for p, k := range pillars {
		pc := fmt.Sprintf("p%d", p)
		parent := "sub0"
		if p >= half {
			parent = "sub1"
		}
		fw.Aggregates = append(fw.Aggregates, Aggregate{Code: pc, Weight: 1, Parent: parent})
		for j := 0; j < k; j++ {
			dir := 1
			if rng.IntN(6) == 0 {
				dir = -1
			}
			fw.Indicators = append(fw.Indicators, Indicator{Code: fmt.Sprintf("%s_i%d", pc, j), Direction: dir,
				Weight: 0.5 + rng.Float64(), Parent: pc})
		}
	}
	fw.Aggregates = append(fw.Aggregates, Aggregate{Code: "sub0", Weight: 1, Parent: "index"},
		Aggregate{Code: "sub1", Weight: 1, Parent: "index"}, Aggregate{Code: "index", Weight: 1})
	if err := fw.Validate(); err != nil {
		t.Fatal(err)
	}
	d := &Data{Indicators: fw.LevelCodes(1)}
	latent := make([]float64, units)
	for i := range latent {
		latent[i] = rng.NormFloat64()
	}
	for i := 0; i < units; i++ {
		d.Units = append(d.Units, Unit{Code: fmt.Sprintf("u%04d", i), Groups: map[string]string{"g": fmt.Sprint(i % 4)}})
		row := make([]float64, len(d.Indicators))
		for j := range row {
			row[j] = math.Exp(0.6*latent[i]*float64(fw.Indicators[j].Direction) + 0.7*rng.NormFloat64())
			if rng.IntN(50) == 0 {
				row[j] = math.NaN()
			}
		}
		d.Values = append(d.Values, row)
	}
	return fw, d
}

var asemPillars = []int{5, 6, 6, 7, 6, 6, 7, 6}

const benchSpec = `
sensitivity: false
choices:
  - {name: winsorisation, step: treatment, winmax: [1, 2, 3, 4, 5]}
  - name: normalisation
    step: normalisation
    alternatives: [{method: minmax, lower: 1, upper: 100}, {method: zscore, mean: 100, sd: 5}]
  - name: aggregation
    step: aggregation
    alternatives: [{method: arithmetic}, {method: geometric}]
  - name: weights
    step: weights
    level: 2
    alternatives: [{method: framework}, {method: equal}, {method: entropy}]
  - {name: noise, step: weight_noise, level: 3, factor: 0.25}
`

func parseSpec(t testing.TB, s string) *UASpec {
	spec, err := ParseUASpec(strings.NewReader(s))
	if err != nil {
		t.Fatal(err)
	}
	return spec
}

func nominalSteps() *Steps {
	return &Steps{Treatment: Treatment{Method: TreatWinsorise}, Normalisation: Normalisation{Method: NormMinMax, Lower: 1, Upper: 100}}
}

func TestUncertaintyWorkersIdentical(t *testing.T) {
	fw, d := synthetic(t, 51, asemPillars, 1)
	for _, sa := range []bool{false, true} {
		spec := parseSpec(t, benchSpec)
		spec.Sensitivity = sa
		var first *UAResult
		for _, w := range []int{1, 2, 8} {
			var last [2]int
			res, err := Uncertainty(context.Background(), fw, d, spec, UAOptions{N: 60, Seed: 42, Workers: w,
				Build: Options{Steps: nominalSteps()}, Progress: func(done, total int) { last = [2]int{done, total} }})
			if err != nil {
				t.Fatal(err)
			}
			if last[0] != res.Runs || last[1] != res.Runs {
				t.Errorf("progress ended at %v, runs %d", last, res.Runs)
			}
			if first == nil {
				first = res
				continue
			}
			if !reflect.DeepEqual(first, res) {
				t.Errorf("sensitivity=%v: results with %d workers differ from 1 worker", sa, w)
			}
		}
		if sa && (len(first.Sensitivity) != 5 || first.Runs != 60*7) {
			t.Errorf("SA: %d indices, %d runs", len(first.Sensitivity), first.Runs)
		}
		for _, u := range first.Units {
			if !(u.P05Rank <= u.MedianRank && u.MedianRank <= u.P95Rank) || u.NominalRank < 1 {
				t.Errorf("unit %+v", u)
			}
		}
	}
}

func TestUncertaintyInertChoice(t *testing.T) {
	// Aggregation alternatives at a level where every group has one child
	// cannot change ranks, so its total index is exactly 0; the weight noise
	// at the index level is the only other input, so its first-order and
	// total indices are equal and near 1 (hand reasoning: y depends on it
	// alone).
	fw := &Framework{Code: "t", Indicators: []Indicator{
		{Code: "a", Direction: 1, Weight: 1, Parent: "ga"}, {Code: "b", Direction: 1, Weight: 1, Parent: "gb"}},
		Aggregates: []Aggregate{{Code: "ga", Weight: 1, Parent: "idx"}, {Code: "gb", Weight: 1, Parent: "idx"}, {Code: "idx", Weight: 1}}}
	if err := fw.Validate(); err != nil {
		t.Fatal(err)
	}
	d := &Data{Indicators: []string{"a", "b"}}
	rng := rand.New(rand.NewPCG(3, 3))
	for i := 0; i < 30; i++ {
		d.Units = append(d.Units, Unit{Code: fmt.Sprint(i)})
		d.Values = append(d.Values, []float64{1 + rng.Float64(), 1 + rng.Float64()})
	}
	spec := parseSpec(t, `
sensitivity: true
choices:
  - {name: inert, step: aggregation, level: 2, alternatives: [{method: arithmetic}, {method: geometric}, {method: harmonic}]}
  - {name: noise, step: weight_noise, level: 3, factor: 0.5}
`)
	res, err := Uncertainty(context.Background(), fw, d, spec, UAOptions{N: 200, Seed: 1, Build: Options{Steps: nominalSteps()}})
	if err != nil {
		t.Fatal(err)
	}
	s := res.Sensitivity
	if s[0].Total != 0 || s[0].FirstOrder != 0 {
		t.Errorf("inert choice: %+v", s[0])
	}
	if math.Abs(s[1].Total-1) > 0.1 || math.Abs(s[1].FirstOrder-1) > 0.25 {
		t.Errorf("noise: %+v", s[1])
	}
}

func TestSobolLinear(t *testing.T) {
	// y = x1 + 2·x2 + 3·x3, x_i ~ U(0,1) independent (COINr SA_estimate
	// example). Analytic: V_i = a_i²/12, so S_i = S_Ti = a_i²/Σa² =
	// 1/14, 4/14, 9/14.
	const n = 20000
	a := []float64{1, 2, 3}
	f := func(x []float64) float64 { return a[0]*x[0] + a[1]*x[1] + a[2]*x[2] }
	yA, yB := make([]float64, n), make([]float64, n)
	yAB := [][]float64{make([]float64, n), make([]float64, n), make([]float64, n)}
	for j := 0; j < n; j++ {
		rng := rand.New(rand.NewPCG(9, uint64(j)))
		xa := []float64{rng.Float64(), rng.Float64(), rng.Float64()}
		xb := []float64{rng.Float64(), rng.Float64(), rng.Float64()}
		yA[j], yB[j] = f(xa), f(xb)
		for i := range 3 {
			x := append([]float64(nil), xa...)
			x[i] = xb[i]
			yAB[i][j] = f(x)
		}
	}
	idx, _ := SobolIndices(yA, yB, yAB, 200, 1)
	want := []float64{1.0 / 14, 4.0 / 14, 9.0 / 14}
	for i, s := range idx {
		if math.Abs(s.FirstOrder-want[i]) > 0.03 || math.Abs(s.Total-want[i]) > 0.03 {
			t.Errorf("x%d: S %.4f ST %.4f, want %.4f", i+1, s.FirstOrder, s.Total, want[i])
		}
		if !(s.TotalCI[0] <= s.Total && s.Total <= s.TotalCI[1]) {
			t.Errorf("x%d: total %.4f outside CI %v", i+1, s.Total, s.TotalCI)
		}
	}
}

func TestUncertaintyCancel(t *testing.T) {
	fw, d := synthetic(t, 51, asemPillars, 1)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Uncertainty(ctx, fw, d, parseSpec(t, benchSpec), UAOptions{N: 100, Seed: 1})
	if err == nil {
		t.Fatal("cancelled context: no error")
	}
}

func TestRankStoreModes(t *testing.T) {
	// Histogram (n ≤ runs) and sample storage give the same statistics.
	ranks := [][]int32{{1, 2, 3}, {2, 1, 3}, {1, 3, 2}, {3, 1, 2}}
	h := newRankStore(3, 4)
	s := &rankStore{n: 3, runs: 4, samples: make([]int32, 12)}
	for r, rk := range ranks {
		h.add(r, rk)
		s.add(r, rk)
	}
	for i := 0; i < 3; i++ {
		if h.stats(i) != s.stats(i) {
			t.Errorf("unit %d: %v vs %v", i, h.stats(i), s.stats(i))
		}
	}
	// Hand: unit 0 ranks {1,2,1,3} sorted 1,1,2,3: median 1.5, type-7 p05 =
	// 1 + 0.15·0 = 1, p95 at h = 2.85 → 2 + 0.85·1 = 2.85.
	if st := h.stats(0); st[1] != 1.5 || st[2] != 1 || math.Abs(st[3]-2.85) > 1e-12 {
		t.Errorf("stats %v", st)
	}
}

func BenchmarkUncertaintyASEM(b *testing.B) {
	fw, d := synthetic(b, 51, asemPillars, 1)
	spec := parseSpec(b, benchSpec)
	b.ResetTimer()
	for b.Loop() {
		if _, err := Uncertainty(context.Background(), fw, d, spec, UAOptions{N: 1000, Seed: 1, Build: Options{Steps: nominalSteps()}}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSensitivityASEM(b *testing.B) {
	fw, d := synthetic(b, 51, asemPillars, 1)
	spec := parseSpec(b, benchSpec)
	spec.Sensitivity = true
	b.ResetTimer()
	for b.Loop() {
		if _, err := Uncertainty(context.Background(), fw, d, spec, UAOptions{N: 1000 / 7, Seed: 1, Build: Options{Steps: nominalSteps()}}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkUncertaintyLarge(b *testing.B) {
	pillars := make([]int, 12)
	for i := range pillars {
		pillars[i] = 10
	}
	fw, d := synthetic(b, 2900, pillars, 2)
	spec := parseSpec(b, benchSpec)
	b.ResetTimer()
	for b.Loop() {
		if _, err := Uncertainty(context.Background(), fw, d, spec, UAOptions{N: 1000, Seed: 1, Build: Options{Steps: nominalSteps()}}); err != nil {
			b.Fatal(err)
		}
	}
}
