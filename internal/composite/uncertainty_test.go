package composite

import (
	"agglo/internal/measure"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"sync"
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
		// Workers, and the cache bound (1 byte: no level is cached), must
		// not change a number.
		for _, c := range []struct {
			workers int
			cache   int64
		}{{1, 0}, {2, 0}, {8, 0}, {2, 1}, {1, 1}} {
			w := c.workers
			var last [2]int
			res, err := Uncertainty(context.Background(), fw, d, spec, UAOptions{N: 60, Seed: 42, Workers: w, CacheMemory: c.cache,
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
				t.Errorf("sensitivity=%v: results with %d workers, cache bound %d differ from 1 worker", sa, w, c.cache)
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

// replay rebuilds UA run r of an analysis with Build, from the
// configuration the run's input selects.
func replay(t *testing.T, fw *Framework, d *Data, spec *UASpec, o UAOptions, runs int) [][]int {
	t.Helper()
	ctx := context.Background()
	nominal, err := Build(ctx, fw, d, o.Build)
	if err != nil {
		t.Fatal(err)
	}
	u, err := newUARunner(fw, d, spec, o, nominal)
	if err != nil {
		t.Fatal(err)
	}
	ws := u.newWorkspace()
	in := make([]float64, u.dim)
	out := make([][]int, runs)
	for r := 0; r < runs; r++ {
		u.input(r, 0, in)
		u.configure(in, ws)
		steps := ws.steps
		steps.Levels = slices.Clone(ws.steps.Levels)
		b, err := Build(ctx, fw, d, Options{Steps: &steps, Weights: o.Build.Weights})
		if err != nil {
			continue // a failed run: out[r] stays nil
		}
		for _, ur := range b.Units {
			out[r] = append(out[r], ur.Rank)
		}
	}
	return out
}

// bruteStats computes a unit's statistics from all its ranks kept in full:
// R type-7 quantiles (quantile7 on the sorted ranks), mean, and the
// mid-distribution percentile of the nominal rank.
func bruteStats(ranks []float64, nominal int) (mean, med, p05, p95, pct float64) {
	s := slices.Clone(ranks)
	slices.Sort(s)
	var sum, below, equal float64
	for _, r := range s {
		sum += r
		if r < float64(nominal) {
			below++
		} else if r == float64(nominal) {
			equal++
		}
	}
	n := float64(len(s))
	return sum / n, measure.Quantile7(s, 0.5), measure.Quantile7(s, 0.05), measure.Quantile7(s, 0.95), 100 * (below + 0.5*equal) / n
}

// TestUncertaintyMatchesBuild checks the optimised runs (cached prepared
// indicators, cached level outputs, transforms, radix ranking) against a
// brute-force computation: every run rebuilt with Build from the
// configuration it sampled gives exactly the same ranks (and fails exactly
// when Build fails: min-max [0, 100] meets geometric means), and the running
// rank statistics equal those computed from all ranks kept in full.
func TestUncertaintyMatchesBuild(t *testing.T) {
	fw, d := synthetic(t, 40, []int{3, 4, 3, 5}, 5)
	spec := parseSpec(t, `
choices:
  - {name: winsorisation, step: treatment, winmax: [1, 3]}
  - name: normalisation
    step: normalisation
    alternatives: [{method: minmax, lower: 1, upper: 100}, {method: zscore, mean: 100, sd: 5}, {method: rank}, {method: minmax}]
  - name: aggregation
    step: aggregation
    alternatives: [{method: arithmetic}, {method: geometric}, {method: harmonic}, {method: generalised, p: 0.5}]
  - {name: weights, step: weights, level: 2, alternatives: [{method: framework}, {method: equal}, {method: entropy}]}
  - {name: pillar weights, step: weights, level: 3, alternatives: [{method: framework}, {method: critic}]}
  - {name: top, step: aggregation, level: 4, alternatives: [{method: arithmetic}, {method: topsis}]}
`)
	for _, c := range []struct {
		name       string
		n          int
		rankMemory int64
		exactForm  string
		cache      int64
	}{
		{"histogram", 150, 0, "hist", 0},
		{"histogram, no level cached", 150, 0, "hist", 1},
		{"samples", 30, 40 * 30 * 4, "samples", 0}, // n·runs fits, n·n (40·40·4) does not
	} {
		t.Run(c.name, func(t *testing.T) {
			o := UAOptions{N: c.n, Seed: 11, Build: Options{Steps: nominalSteps()}, RankMemory: c.rankMemory, CacheMemory: c.cache}
			kept := keepRanks(&o)
			res, err := Uncertainty(context.Background(), fw, d, spec, o)
			if err != nil {
				t.Fatal(err)
			}
			lay := planRanks(len(d.Units), c.n, c.rankMemory+DefaultRankMemory*b2i(c.rankMemory == 0))
			if got := map[bool]string{true: "samples", false: "hist"}[lay.samples]; got != c.exactForm {
				t.Fatalf("layout %+v, want %s", lay, c.exactForm)
			}
			want := replay(t, fw, d, spec, o, c.n)
			failed := 0
			for r, w := range want {
				got, ok := kept[r]
				if w == nil {
					failed++
					if ok {
						t.Errorf("run %d: Build fails, the analysis did not", r)
					}
					continue
				}
				for i := range w {
					if int(got[i]) != w[i] {
						t.Fatalf("run %d unit %d: rank %d, Build gives %d", r, i, got[i], w[i])
					}
				}
			}
			if failed == 0 || failed == c.n {
				t.Errorf("%d of %d runs fail: the test needs some of both", failed, c.n)
			}
			if failed != res.Failed || res.RankQuantiles != "exact" || res.RankError != 0 {
				t.Errorf("failed %d (Build %d), quantiles %s ± %v", res.Failed, failed, res.RankQuantiles, res.RankError)
			}
			for i, u := range res.Units {
				var rs []float64
				for r := range want {
					if want[r] != nil && want[r][i] > 0 {
						rs = append(rs, float64(want[r][i]))
					}
				}
				mean, med, p05, p95, pct := bruteStats(rs, u.NominalRank)
				if u.Runs != len(rs) || u.MeanRank != mean || u.MedianRank != med || u.P05Rank != p05 || u.P95Rank != p95 || u.NominalPercentile != pct {
					t.Errorf("unit %s: %+v, brute force runs %d mean %v median %v p05 %v p95 %v pct %v", u.Code, u, len(rs), mean, med, p05, p95, pct)
				}
				outside := float64(u.NominalRank) < p05 || float64(u.NominalRank) > p95
				if u.NominalOutside != outside {
					t.Errorf("unit %s: outside %v", u.Code, u.NominalOutside)
				}
			}
		})
	}
}

// keepRanks makes the analysis run with o keep a copy of every run's ranks
// in the returned map (read it after the analysis returns).
func keepRanks(o *UAOptions) map[int][]int32 {
	var mu sync.Mutex
	kept := map[int][]int32{}
	o.onRanks = func(run int, r []int32) {
		mu.Lock()
		kept[run] = slices.Clone(r)
		mu.Unlock()
	}
	return kept
}

func b2i(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// TestUncertaintyNominalReproduced: with every choice reduced to the
// nominal method, every run is the nominal build, so every rank statistic
// equals the nominal rank and its percentile is 50 (hand reasoning: all N
// ranks equal the nominal, below = 0, equal = N).
func TestUncertaintyNominalReproduced(t *testing.T) {
	fw, d := synthetic(t, 60, asemPillars, 3)
	for _, agg := range []string{AggArithmetic, AggGeometric} {
		steps := nominalSteps()
		steps.Levels = []LevelStep{{Level: 2, Aggregation: Aggregation{Method: agg}}, {Level: 3, Aggregation: Aggregation{Method: agg}}, {Level: 4, Aggregation: Aggregation{Method: agg}}}
		spec := parseSpec(t, `
choices:
  - {name: t, step: treatment, winmax: [5]}
  - {name: n, step: normalisation, alternatives: [{method: minmax, lower: 1, upper: 100}]}
  - {name: w, step: weights, alternatives: [{method: framework}]}
  - {name: a, step: aggregation, alternatives: [{method: `+agg+`}]}
`)
		res, err := Uncertainty(context.Background(), fw, d, spec, UAOptions{N: 20, Seed: 1, Build: Options{Steps: steps}})
		if err != nil {
			t.Fatal(err)
		}
		if !res.NominalInSpec || res.NominalOutside != 0 || res.Failed != 0 {
			t.Errorf("%s: in spec %v, outside %d, failed %d", agg, res.NominalInSpec, res.NominalOutside, res.Failed)
		}
		for _, u := range res.Units {
			nr := float64(u.NominalRank)
			if u.MeanRank != nr || u.MedianRank != nr || u.P05Rank != nr || u.P95Rank != nr || u.NominalPercentile != 50 || u.Runs != 20 {
				t.Errorf("%s: %+v", agg, u)
			}
		}
	}
}

// TestUncertaintyFailedRuns: geometric means of min-max [0, 100] scores
// meet the 0 of every indicator's minimum, so every run that draws the
// geometric alternative fails; it is counted, not fatal. The expected
// failures are derived here from the design's definition (input i of UA run
// r is the i-th draw of PCG(seed, r); alternative ⌊u·k⌋).
func TestUncertaintyFailedRuns(t *testing.T) {
	fw, d := synthetic(t, 30, []int{3, 3, 4}, 9)
	steps := &Steps{Normalisation: Normalisation{Method: NormMinMax, Lower: 0, Upper: 100}}
	spec := parseSpec(t, `
choices:
  - {name: agg, step: aggregation, level: 2, alternatives: [{method: arithmetic}, {method: geometric}]}
  - {name: noise, step: weight_noise, level: 3, factor: 0.2}
`)
	const n, seed = 80, 5
	var wantFailed []int
	for r := 0; r < n; r++ {
		rng := rand.New(rand.NewPCG(seed, uint64(r)))
		if int(rng.Float64()*2) == 1 {
			wantFailed = append(wantFailed, r)
		}
	}
	res, err := Uncertainty(context.Background(), fw, d, spec, UAOptions{N: n, Seed: seed, Build: Options{Steps: steps}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Failed != len(wantFailed) || len(res.Failures) != maxUAFailures {
		t.Fatalf("failed %d (want %d), %d listed", res.Failed, len(wantFailed), len(res.Failures))
	}
	for k, f := range res.Failures {
		if f.Run != wantFailed[k] || !strings.Contains(f.ErrorEN, "geometric aggregation needs positive values") ||
			!strings.Contains(f.ErrorZH, "geometric 聚合要求正值") || !strings.Contains(f.ErrorZH, `"u00`) {
			t.Errorf("failure %d: %+v, want run %d", k, f, wantFailed[k])
		}
	}
	for _, u := range res.Units {
		if u.Runs != n-len(wantFailed) {
			t.Errorf("unit %s: %d runs, want %d", u.Code, u.Runs, n-len(wantFailed))
		}
	}

	// Sensitivity: a row of the design is left out when any of its runs
	// fails: A (column 0 of the first d draws), B (column 0 of the next d)
	// or AB_0 (B's column 0) draws geometric; AB_1 has A's column 0.
	sa := parseSpec(t, `
sensitivity: true
choices:
  - {name: agg, step: aggregation, level: 2, alternatives: [{method: arithmetic}, {method: geometric}]}
  - {name: noise, step: weight_noise, level: 3, factor: 0.2}
`)
	complete := 0
	for j := 0; j < n; j++ {
		rng := rand.New(rand.NewPCG(seed, uint64(j)))
		a0, _, b0 := rng.Float64(), rng.Float64(), rng.Float64()
		if int(a0*2) == 0 && int(b0*2) == 0 {
			complete++
		}
	}
	res, err = Uncertainty(context.Background(), fw, d, sa, UAOptions{N: n, Seed: seed, Build: Options{Steps: steps}})
	if err != nil {
		t.Fatal(err)
	}
	if res.SobolRows != complete || len(res.Sensitivity) != 2 {
		t.Errorf("Sobol rows %d, want %d", res.SobolRows, complete)
	}

	// Every run failing is an error that says so.
	all := parseSpec(t, `
choices:
  - {name: agg, step: aggregation, level: 2, alternatives: [{method: geometric}]}
`)
	_, err = Uncertainty(context.Background(), fw, d, all, UAOptions{N: 10, Seed: 1, Build: Options{Steps: steps}})
	if err == nil || !strings.Contains(err.Error(), "all 10 runs failed") {
		t.Errorf("err = %v", err)
	}
}

// TestValidateUA: N and the spec's bounds fail at once, naming the field,
// with the YAML line and column when the spec is parsed.
func TestValidateUA(t *testing.T) {
	spec := parseSpec(t, benchSpec)
	for _, c := range []struct {
		n     int
		field string
	}{{1, "n"}, {0, "n"}, {-3, "n"}, {MaxUAN + 1, "n"}, {2, ""}} {
		err := ValidateUA(spec, c.n)
		var fe *FieldError
		if c.field == "" {
			if err != nil {
				t.Errorf("n=%d: %v", c.n, err)
			}
			continue
		}
		if !errors.As(err, &fe) || fe.Field != c.field || !strings.Contains(fe.Localized("zh"), "重复次数") {
			t.Errorf("n=%d: %v", c.n, err)
		}
	}
	sa := parseSpec(t, benchSpec)
	sa.Sensitivity = true
	if err := ValidateUA(sa, MaxUARuns/7+1); err == nil {
		t.Error("over MaxUARuns accepted")
	}
	// Uncertainty refuses n = 1 before building anything: a nil framework
	// would panic if it got that far.
	var fe *FieldError
	if _, err := Uncertainty(context.Background(), nil, nil, spec, UAOptions{N: 1}); !errors.As(err, &fe) || fe.Field != "n" {
		t.Errorf("Uncertainty with n=1: %v", err)
	}
	for _, c := range []struct {
		yaml      string
		field     string
		line, col int
		en        string
	}{
		{"bootstrap: -1\nchoices:\n  - {step: treatment, winmax: [1]}\n", "bootstrap", 1, 12, "bootstrap must lie between"},
		{"bootstrap: 20000\nchoices:\n  - {step: treatment, winmax: [1]}\n", "bootstrap", 1, 12, "bootstrap must lie between"},
		{"sensitivity: true\nchoices:\n  - {step: treatment, winmax: [1]}\n", "sensitivity", 1, 14, "needs at least two choices"},
	} {
		_, err := ParseUASpec(strings.NewReader(c.yaml))
		var fe *FieldError
		if !errors.As(err, &fe) || fe.Field != c.field || fe.Err.Line != c.line || fe.Err.Column != c.col || !strings.Contains(err.Error(), c.en) {
			t.Errorf("%q: %v (%+v)", c.yaml, err, fe)
		}
	}
}

// TestSobolPoissonBootstrap compares the streaming (Poisson-weighted)
// bootstrap intervals of SobolIndices with the classical bootstrap (rows
// resampled with replacement, computed here) on the linear model of
// TestSobolLinear: the two are estimates of the same sampling
// distribution, so their interval widths should agree to within the
// bootstraps' own noise (here 35 %), and both intervals should overlap.
func TestSobolPoissonBootstrap(t *testing.T) {
	const n, nboot = 4000, 400
	a := []float64{1, 2, 3}
	f := func(x []float64) float64 { return a[0]*x[0] + a[1]*x[1] + a[2]*x[2] }
	yA, yB := make([]float64, n), make([]float64, n)
	yAB := [][]float64{make([]float64, n), make([]float64, n), make([]float64, n)}
	for j := 0; j < n; j++ {
		rng := rand.New(rand.NewPCG(21, uint64(j)))
		xa := []float64{rng.Float64(), rng.Float64(), rng.Float64()}
		xb := []float64{rng.Float64(), rng.Float64(), rng.Float64()}
		yA[j], yB[j] = f(xa), f(xb)
		for i := range 3 {
			x := slices.Clone(xa)
			x[i] = xb[i]
			yAB[i][j] = f(x)
		}
	}
	idx, _ := SobolIndices(yA, yB, yAB, nboot, 3)
	// Classical bootstrap: the same estimators on rows drawn with
	// replacement; V from the resampled yA ∪ yB.
	rng := rand.New(rand.NewPCG(99, 1))
	s1 := make([][]float64, 3)
	st := make([][]float64, 3)
	rows := make([]int, n)
	for b := 0; b < nboot; b++ {
		var all []float64
		for k := range rows {
			rows[k] = rng.IntN(n)
			all = append(all, yA[rows[k]], yB[rows[k]])
		}
		_, sd, _ := meanSD(all)
		v := sd * sd
		for i := range 3 {
			var a1, at float64
			for _, j := range rows {
				a1 += yB[j] * (yAB[i][j] - yA[j])
				d := yA[j] - yAB[i][j]
				at += d * d
			}
			s1[i] = append(s1[i], a1/n/v)
			st[i] = append(st[i], at/(2*n*v))
		}
	}
	for i := range 3 {
		for _, c := range []struct {
			name   string
			stream [2]float64
			boot   []float64
		}{{"first order", idx[i].FirstCI, s1[i]}, {"total", idx[i].TotalCI, st[i]}} {
			slices.Sort(c.boot)
			lo, hi := measure.Quantile7(c.boot, 0.05), measure.Quantile7(c.boot, 0.95)
			ws, wc := c.stream[1]-c.stream[0], hi-lo
			if ws/wc < 0.65 || ws/wc > 1.35 || c.stream[0] > hi || c.stream[1] < lo {
				t.Errorf("x%d %s: streaming CI %v, classical [%v, %v]", i+1, c.name, c.stream, lo, hi)
			}
		}
	}
}

// TestSensitivityConstantOutput: when no choice changes a rank, the output
// y never varies (V = 0); the indices are 0/0, undefined (NaN), and the
// result encodes as JSON with null for them.
func TestSensitivityConstantOutput(t *testing.T) {
	fw, d := synthetic(t, 20, []int{3, 3}, 4)
	spec := parseSpec(t, `
sensitivity: true
choices:
  - {name: t, step: treatment, alternatives: [{method: none}]}
  - {name: w, step: weights, alternatives: [{method: framework}]}
`)
	res, err := Uncertainty(context.Background(), fw, d, spec, UAOptions{N: 10, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if res.Variance != 0 || res.SobolRows != 10 {
		t.Errorf("variance %v, rows %d", res.Variance, res.SobolRows)
	}
	for _, s := range res.Sensitivity {
		if !math.IsNaN(s.FirstOrder) || !math.IsNaN(s.Total) || !math.IsNaN(s.FirstCI[0]) || !math.IsNaN(s.TotalCI[1]) {
			t.Errorf("%+v, want undefined indices", s)
		}
	}
	if b, err := json.Marshal(res); err != nil || !strings.Contains(string(b), `"first_order":null`) {
		t.Errorf("%v: %s", err, b)
	}
}

// TestUncertaintyHeavyMissing: most units miss some indicators and a few
// miss a whole pillar or every indicator (no index, rank 0); the runs
// still equal Build's, and units without an index have no statistics.
func TestUncertaintyHeavyMissing(t *testing.T) {
	fw, d := synthetic(t, 50, []int{3, 4, 3, 2}, 12)
	rng := rand.New(rand.NewPCG(12, 12))
	for i, row := range d.Values {
		for j := range row {
			if rng.IntN(10) < 3 {
				row[j] = math.NaN()
			}
		}
		if i < 3 {
			for j := range row {
				row[j] = math.NaN()
			}
		}
		if i >= 3 && i < 8 {
			copy(row[:3], []float64{math.NaN(), math.NaN(), math.NaN()})
		}
	}
	spec := parseSpec(t, `
choices:
  - {name: normalisation, step: normalisation, alternatives: [{method: minmax, lower: 1, upper: 100}, {method: zscore, mean: 100, sd: 5}]}
  - {name: aggregation, step: aggregation, alternatives: [{method: arithmetic}, {method: geometric}]}
  - {name: weights, step: weights, level: 2, alternatives: [{method: framework}, {method: equal}]}
`)
	for _, cache := range []int64{0, 1} {
		o := UAOptions{N: 40, Seed: 3, Build: Options{Steps: nominalSteps()}, CacheMemory: cache}
		kept := keepRanks(&o)
		res, err := Uncertainty(context.Background(), fw, d, spec, o)
		if err != nil {
			t.Fatal(err)
		}
		want := replay(t, fw, d, spec, o, o.N)
		for r, w := range want {
			for i := range w {
				if int(kept[r][i]) != w[i] {
					t.Fatalf("cache %d, run %d unit %d: rank %d, Build %d", cache, r, i, kept[r][i], w[i])
				}
			}
		}
		for i, u := range res.Units[:3] {
			if u.NominalRank != 0 || u.Runs != 0 || u.MedianRank != 0 || u.NominalPercentile != 0 || u.NominalOutside {
				t.Errorf("unit %d without data: %+v", i, u)
			}
		}
		if _, err := json.Marshal(res); err != nil {
			t.Error(err)
		}
	}
}

// TestUncertaintyBinnedRanks: with RankMemory too small for an exact form,
// every reported quantile lies within RankError of the exact quantile of
// all ranks kept in full, and the running mean and percentile stay exact.
func TestUncertaintyBinnedRanks(t *testing.T) {
	fw, d := synthetic(t, 150, []int{4, 4, 4}, 13)
	spec := parseSpec(t, benchSpec)
	o := UAOptions{N: 200, Seed: 4, Build: Options{Steps: nominalSteps()}, RankMemory: 1}
	kept := keepRanks(&o)
	res, err := Uncertainty(context.Background(), fw, d, spec, o)
	if err != nil {
		t.Fatal(err)
	}
	if res.RankQuantiles != "binned" || res.BinnedUnits == 0 || res.RankError <= 0 {
		t.Fatalf("quantiles %s, %d binned units, error %v", res.RankQuantiles, res.BinnedUnits, res.RankError)
	}
	binned := 0
	for i, u := range res.Units {
		var rs []float64
		for _, r := range kept {
			if r[i] > 0 {
				rs = append(rs, float64(r[i]))
			}
		}
		mean, med, p05, p95, pct := bruteStats(rs, u.NominalRank)
		if u.MeanRank != mean || u.NominalPercentile != pct || u.Runs != len(rs) {
			t.Errorf("unit %s: mean %v pct %v, want %v %v", u.Code, u.MeanRank, u.NominalPercentile, mean, pct)
		}
		exact := true
		for _, q := range [][2]float64{{u.MedianRank, med}, {u.P05Rank, p05}, {u.P95Rank, p95}} {
			if math.Abs(q[0]-q[1]) > res.RankError+1e-9 {
				t.Errorf("unit %s: quantile %v, exact %v, bound %v", u.Code, q[0], q[1], res.RankError)
			}
			exact = exact && q[0] == q[1]
		}
		if !exact {
			binned++
		}
	}
	if binned > res.BinnedUnits {
		t.Errorf("%d units differ from the exact quantiles, %d reported binned", binned, res.BinnedUnits)
	}
}
