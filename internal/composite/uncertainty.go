package composite

import (
	"context"
	"io"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"sort"
	"sync"
	"sync/atomic"

	"gopkg.in/yaml.v3"
)

// Steps that a Choice can vary.
const (
	ChoiceImputation    = "imputation"
	ChoiceTreatment     = "treatment"
	ChoiceNormalisation = "normalisation"
	ChoiceWeights       = "weights"
	ChoiceAggregation   = "aggregation"
	ChoiceWeightNoise   = "weight_noise"
)

var choiceSteps = []string{ChoiceImputation, ChoiceTreatment, ChoiceNormalisation, ChoiceWeights, ChoiceAggregation, ChoiceWeightNoise}

// Choice is one uncertain input of an uncertainty analysis: discrete
// alternatives for a step, sampled uniformly (COINr sample_2_para with
// dist_type "discrete"), or noise on the weights of a level, w·(1 + U(−f, f))
// for each weight (COINr get_noisy_weights).
//
// Level is the aggregation level the choice applies to (2 = indicators into
// their groups, as in the framework's levels); 0 means every aggregation
// level for weights and aggregation. For weight_noise, Level 2 perturbs the
// indicators' weights, Level 3 those of the level-2 aggregates, and so on.
type Choice struct {
	Name  string `yaml:"name" json:"name"`
	Step  string `yaml:"step" json:"step"`
	Level int    `yaml:"level,omitempty" json:"level,omitempty"`
	// WinMax is a shorthand for treatment alternatives: COINr winsorisation
	// with each of these limits.
	WinMax []int `yaml:"winmax,omitempty" json:"winmax,omitempty"`
	// Factor is the noise factor f of weight_noise.
	Factor float64 `yaml:"factor,omitempty" json:"factor,omitempty"`
	// Alternatives are step specifications of the Step's type.
	Alternatives yaml.Node `yaml:"alternatives,omitempty" json:"-"`

	imputations []Imputation
	treatments  []Treatment
	norms       []Normalisation
	weights     []WeightSpec
	aggs        []Aggregation
}

func (c *Choice) count() int {
	switch c.Step {
	case ChoiceImputation:
		return len(c.imputations)
	case ChoiceTreatment:
		return len(c.treatments)
	case ChoiceNormalisation:
		return len(c.norms)
	case ChoiceWeights:
		return len(c.weights)
	case ChoiceAggregation:
		return len(c.aggs)
	}
	return 0
}

// UASpec lists the uncertain choices of an uncertainty analysis.
//
//	sensitivity: true      # Sobol indices (N·(d+2) runs) besides rank statistics
//	bootstrap: 100         # bootstrap samples for the indices' intervals
//	choices:
//	  - {name: winsorisation, step: treatment, winmax: [1, 2, 3, 4, 5]}
//	  - name: normalisation
//	    step: normalisation
//	    alternatives: [{method: minmax, lower: 1, upper: 100}, {method: zscore, mean: 10, sd: 2}]
//	  - {name: aggregation, step: aggregation, alternatives: [{method: arithmetic}, {method: geometric}]}
//	  - {name: weights, step: weights, level: 2, alternatives: [{method: framework}, {method: entropy}]}
//	  - {name: noise, step: weight_noise, level: 3, factor: 0.25}
type UASpec struct {
	Sensitivity bool     `yaml:"sensitivity" json:"sensitivity"`
	Bootstrap   int      `yaml:"bootstrap,omitempty" json:"bootstrap,omitempty"`
	Choices     []Choice `yaml:"choices" json:"choices"`
}

// ParseUASpec reads an uncertainty specification from YAML (see UASpec).
func ParseUASpec(r io.Reader) (*UASpec, error) {
	var doc yaml.Node
	if err := yaml.NewDecoder(r).Decode(&doc); err != nil {
		return nil, yamlError(err)
	}
	if len(doc.Content) == 0 {
		return nil, errorf("不确定性规格为空", "the uncertainty specification is empty")
	}
	root := doc.Content[0]
	spec := &UASpec{}
	if err := decodeStrict(root, spec, "uncertainty specification", "不确定性规格"); err != nil {
		return nil, err
	}
	var chNodes []*yaml.Node
	for i := 0; i+1 < len(root.Content); i += 2 {
		if root.Content[i].Value == "choices" {
			chNodes = root.Content[i+1].Content
		}
	}
	for i := range spec.Choices {
		var n *yaml.Node
		if i < len(chNodes) {
			n = chNodes[i]
			if err := checkKeys(n, reflectChoice, "choice", "选择"); err != nil {
				return nil, err
			}
		}
		if err := spec.Choices[i].compile(); err != nil {
			if n != nil {
				return nil, locate(err, n)
			}
			return nil, err
		}
	}
	return spec, nil
}

func (c *Choice) compile() error {
	if !oneOf(c.Step, choiceSteps) || c.Step == "" {
		return unknownMethod("choice step", "选择步骤", c.Step, choiceSteps)
	}
	if c.Name == "" {
		c.Name = c.Step
	}
	alt := &c.Alternatives
	dec := func(v any) error {
		if alt.Kind == 0 {
			return nil
		}
		if alt.Kind != yaml.SequenceNode {
			return errorAt(alt.Line, alt.Column, "alternatives 必须是列表", "alternatives must be a list")
		}
		if err := alt.Decode(v); err != nil {
			return locate(yamlError(err), alt)
		}
		return nil
	}
	var err error
	switch c.Step {
	case ChoiceImputation:
		err = dec(&c.imputations)
		for _, s := range c.imputations {
			err = firstErr(err, s.validate())
		}
	case ChoiceTreatment:
		err = dec(&c.treatments)
		for _, w := range c.WinMax {
			if w < 1 {
				return errorf("winmax 必须 ≥ 1", "winmax must be ≥ 1")
			}
			c.treatments = append(c.treatments, Treatment{Method: TreatWinsorise, WinMax: w})
		}
		for i, s := range c.treatments {
			err = firstErr(err, s.validate())
			c.treatments[i] = s.withDefaults()
		}
	case ChoiceNormalisation:
		err = dec(&c.norms)
		for i, s := range c.norms {
			err = firstErr(err, s.validate())
			c.norms[i] = s.withDefaults()
		}
	case ChoiceWeights:
		err = dec(&c.weights)
		for i, s := range c.weights {
			err = firstErr(err, s.validate())
			c.weights[i] = s.withDefaults()
		}
	case ChoiceAggregation:
		err = dec(&c.aggs)
		for i, s := range c.aggs {
			err = firstErr(err, s.validate())
			c.aggs[i] = s.withDefaults()
		}
	case ChoiceWeightNoise:
		if !(c.Factor > 0 && c.Factor < 1) {
			return errorf("选择 %q:噪声系数必须在 (0, 1) 内", "choice %q: the noise factor must lie in (0, 1)", c.Name)
		}
		if c.Level < 2 {
			return errorf("选择 %q:权重噪声需要层级 ≥ 2", "choice %q: weight noise needs a level ≥ 2", c.Name)
		}
		return nil
	}
	if err != nil {
		return err
	}
	if c.count() == 0 {
		return errorf("选择 %q 没有备选项", "choice %q has no alternatives", c.Name)
	}
	return nil
}

func firstErr(a, b error) error {
	if a != nil {
		return a
	}
	return b
}

// UAOptions control an uncertainty analysis.
type UAOptions struct {
	// N is the number of replications (UA) or the base sample size of the
	// Sobol design (SA: N·(d+2) runs, d = number of choices).
	N    int
	Seed uint64
	// Workers is the number of goroutines (0 = GOMAXPROCS). Results do not
	// depend on it.
	Workers int
	// Progress, when not nil, is called with the runs done and the total;
	// calls are serialised but may come from any goroutine.
	Progress func(done, total int)
	// Build are the options of the nominal build (base steps, manual weights).
	Build Options
}

// UAUnit holds one unit's rank statistics (R type-7 quantiles).
type UAUnit struct {
	Code        string  `json:"code"`
	NominalRank int     `json:"nominal_rank"`
	MeanRank    float64 `json:"mean_rank"`
	MedianRank  float64 `json:"median_rank"`
	P05Rank     float64 `json:"p05_rank"`
	P95Rank     float64 `json:"p95_rank"`
}

// SensitivityIndex holds the Sobol indices of one choice with bootstrap
// 5–95 % intervals.
type SensitivityIndex struct {
	Choice     string     `json:"choice"`
	FirstOrder float64    `json:"first_order"`
	Total      float64    `json:"total"`
	FirstCI    [2]float64 `json:"first_order_ci"`
	TotalCI    [2]float64 `json:"total_ci"`
}

// UAResult is the result of an uncertainty (and sensitivity) analysis.
type UAResult struct {
	N    int    `json:"n"`
	Runs int    `json:"runs"`
	Seed uint64 `json:"seed"`
	// Output names the sensitivity target.
	Output      string             `json:"output"`
	Variance    float64            `json:"variance,omitempty"`
	Units       []UAUnit           `json:"units"`
	Sensitivity []SensitivityIndex `json:"sensitivity,omitempty"`
}

// Uncertainty runs a Monte Carlo uncertainty analysis of the index of fw on
// d over the choices of spec, and with spec.Sensitivity the variance-based
// sensitivity analysis of COINr get_sensitivity:
//
//   - Each run's input u ∈ [0,1)^d selects an alternative per choice
//     (⌊u·k⌋ of k) or seeds the weight noise of a choice; the index is rebuilt
//     and every unit's rank recorded.
//   - UA: N runs, u from PCG(Seed, run). SA: Saltelli (2010) design, A_j and
//     B_j from PCG(Seed, j), runs A (N), B (N) and AB_i (A with column i from
//     B) for each choice, N·(d+2) runs; the rank statistics use the 2N runs of
//     A and B, as COINr.
//   - Sensitivity output (COINr): y = mean over units of |rank − nominal rank|.
//     First order S_i = mean(y_B·(y_ABi − y_A))/V (Saltelli 2010), total
//     S_Ti = Σ(y_A − y_ABi)²/(2N·V) (Jansen), V = var(y_A ∪ y_B); bootstrap
//     intervals (5th and 95th percentiles) resample the N rows.
//
// Results are identical for any number of workers. Memory is independent of
// N except for the rank samples: per unit a histogram of ranks (n×n counts)
// or the ranks of every run (n×runs int32), whichever is smaller; both give
// exact quantiles.
func Uncertainty(ctx context.Context, fw *Framework, d *Data, spec *UASpec, o UAOptions) (*UAResult, error) {
	nominal, err := Build(ctx, fw, d, o.Build)
	if err != nil {
		return nil, err
	}
	e, err := newEngine(fw, d)
	if err != nil {
		return nil, err
	}
	if spec == nil || len(spec.Choices) == 0 {
		return nil, errorf("不确定性分析没有选择", "the uncertainty analysis has no choices")
	}
	for i := range spec.Choices {
		c := &spec.Choices[i]
		if c.count() == 0 && c.Step != ChoiceWeightNoise {
			if err := c.compile(); err != nil {
				return nil, err
			}
		}
		if c.Level > len(e.p.nodes) {
			return nil, errorf("选择 %q 的层级 %d 超出框架的 %d 层", "choice %q: level %d, but the framework has %d levels", c.Name, c.Level, len(e.p.nodes))
		}
	}
	if o.N < 2 {
		return nil, errorf("重复次数 N 至少为 2", "the number of replications N must be at least 2")
	}
	dim := len(spec.Choices)
	if spec.Sensitivity && dim < 2 {
		return nil, errorf("敏感性分析至少需要两个选择", "a sensitivity analysis needs at least two choices")
	}
	runs := o.N
	uaRuns := o.N
	if spec.Sensitivity {
		runs = o.N * (dim + 2)
		uaRuns = 2 * o.N
	}
	workers := o.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	u := &uaRunner{e: e, spec: spec, o: o, base: nominal.Spec, nominal: make([]int32, e.n), dim: dim,
		cache: map[[3]int]*prepEntry{}, wcache: map[[4]int]*weightEntry{}}
	for i, r := range nominal.Units {
		u.nominal[i] = int32(r.Rank)
	}
	u.store = newRankStore(e.n, uaRuns)
	y := make([]float64, runs)

	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	var next atomic.Int64
	var done atomic.Int64
	var firstErr error
	var errOnce sync.Once
	var progMu sync.Mutex
	step := max(1, runs/200)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ws := u.newWorkspace()
			in := make([]float64, dim)
			for {
				if runCtx.Err() != nil {
					return
				}
				r := int(next.Add(1) - 1)
				if r >= runs {
					return
				}
				u.input(r, in)
				yr, err := u.run(in, ws)
				if err != nil {
					errOnce.Do(func() { firstErr = err; cancel() })
					return
				}
				y[r] = yr
				if r < uaRuns {
					u.store.add(r, ws.ranks)
				}
				dn := int(done.Add(1))
				if o.Progress != nil && (dn%step == 0 || dn == runs) {
					progMu.Lock()
					o.Progress(dn, runs)
					progMu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	res := &UAResult{N: o.N, Runs: runs, Seed: o.Seed, Output: "mean absolute rank change"}
	for i, unit := range e.units {
		st := u.store.stats(i)
		res.Units = append(res.Units, UAUnit{Code: unit.Code, NominalRank: int(u.nominal[i]), MeanRank: st[0],
			MedianRank: st[1], P05Rank: st[2], P95Rank: st[3]})
	}
	if spec.Sensitivity {
		n := o.N
		yab := make([][]float64, dim)
		for i := range yab {
			yab[i] = y[(2+i)*n : (3+i)*n]
		}
		nb := spec.Bootstrap
		if nb == 0 {
			nb = 100
		}
		idx, v := SobolIndices(y[:n], y[n:2*n], yab, nb, o.Seed)
		res.Variance = v
		for i := range idx {
			idx[i].Choice = spec.Choices[i].Name
		}
		res.Sensitivity = idx
	}
	return res, nil
}

// SobolIndices estimates first-order (Saltelli 2010) and total (Jansen)
// indices from the outputs of a Saltelli design: yA and yB (N each) and
// yAB[i] (A with column i from B). V = sample variance of yA ∪ yB.
//
//	S_i  = mean(yB·(yABi − yA))/V
//	S_Ti = Σ(yA − yABi)²/(2N·V)
//
// With nboot > 0 the rows are resampled nboot times (PCG(seed, 2^63+b)) and
// the 5th and 95th percentiles of the estimates given as intervals.
func SobolIndices(yA, yB []float64, yAB [][]float64, nboot int, seed uint64) ([]SobolIndex, float64) {
	n := len(yA)
	all := append(slices.Clone(yA), yB...)
	_, sd, _ := meanSD(all)
	v := sd * sd
	est := func(rows []int, i int) (float64, float64) {
		var s1, st float64
		for _, j := range rows {
			s1 += yB[j] * (yAB[i][j] - yA[j])
			d := yA[j] - yAB[i][j]
			st += d * d
		}
		return s1 / float64(len(rows)) / v, st / (2 * float64(len(rows)) * v)
	}
	rows := make([]int, n)
	for j := range rows {
		rows[j] = j
	}
	out := make([]SobolIndex, len(yAB))
	for i := range yAB {
		out[i].FirstOrder, out[i].Total = est(rows, i)
	}
	if nboot > 0 {
		bs1 := make([][]float64, len(yAB))
		bst := make([][]float64, len(yAB))
		for b := 0; b < nboot; b++ {
			rng := rand.New(rand.NewPCG(seed, 1<<63+uint64(b)))
			for j := range rows {
				rows[j] = rng.IntN(n)
			}
			for i := range yAB {
				s1, st := est(rows, i)
				bs1[i] = append(bs1[i], s1)
				bst[i] = append(bst[i], st)
			}
		}
		for i := range yAB {
			sort.Float64s(bs1[i])
			sort.Float64s(bst[i])
			out[i].FirstCI = [2]float64{quantile7(bs1[i], 0.05), quantile7(bs1[i], 0.95)}
			out[i].TotalCI = [2]float64{quantile7(bst[i], 0.05), quantile7(bst[i], 0.95)}
		}
	}
	return out, v
}

// SobolIndex is a sensitivity index pair without a choice name attached.
type SobolIndex = SensitivityIndex

type uaRunner struct {
	e       *engine
	spec    *UASpec
	o       UAOptions
	base    Steps
	nominal []int32
	dim     int
	store   *rankStore

	mu     sync.Mutex
	cache  map[[3]int]*prepEntry
	wcache map[[4]int]*weightEntry
}

type prepEntry struct {
	once sync.Once
	cols [][]float64
	err  error
}

type weightEntry struct {
	once sync.Once
	w    []float64
	err  error
}

// input writes run r's point of the design into in.
func (u *uaRunner) input(r int, in []float64) {
	n, d := u.o.N, u.dim
	if !u.spec.Sensitivity {
		rng := rand.New(rand.NewPCG(u.o.Seed, uint64(r)))
		for i := range in {
			in[i] = rng.Float64()
		}
		return
	}
	j, part := r%n, r/n
	rng := rand.New(rand.NewPCG(u.o.Seed, uint64(j)))
	var ab [64]float64
	buf := ab[:0]
	if 2*d > len(ab) {
		buf = make([]float64, 0, 2*d)
	}
	for k := 0; k < 2*d; k++ {
		buf = append(buf, rng.Float64())
	}
	switch {
	case part == 0:
		copy(in, buf[:d])
	case part == 1:
		copy(in, buf[d:])
	default:
		copy(in, buf[:d])
		in[part-2] = buf[d+part-2]
	}
}

type workspace struct {
	levels [][][]float64
	sw     []float64
	idx    []int
	ranks  []int32
	ir     []int
	steps  Steps
}

func (u *uaRunner) newWorkspace() *workspace {
	ws := &workspace{sw: make([]float64, u.e.n), idx: make([]int, u.e.n), ranks: make([]int32, u.e.n), ir: make([]int, u.e.n)}
	for li := 1; li < len(u.e.p.nodes); li++ {
		lv := make([][]float64, len(u.e.p.nodes[li]))
		for j := range lv {
			lv[j] = make([]float64, u.e.n)
		}
		ws.levels = append(ws.levels, lv)
	}
	ws.steps = u.base
	ws.steps.Levels = slices.Clone(u.base.Levels)
	return ws
}

// run rebuilds the index for input in and returns the mean absolute rank
// change; ranks are left in ws.ranks.
func (u *uaRunner) run(in []float64, ws *workspace) (float64, error) {
	s := &ws.steps
	s.Imputation, s.Treatment, s.Normalisation = u.base.Imputation, u.base.Treatment, u.base.Normalisation
	copy(s.Levels, u.base.Levels)
	var prepKey [3]int
	wAlt := [8]int{}
	for i := range wAlt {
		wAlt[i] = -1
	}
	for ci := range u.spec.Choices {
		c := &u.spec.Choices[ci]
		if c.Step == ChoiceWeightNoise {
			continue
		}
		k := min(int(in[ci]*float64(c.count())), c.count()-1)
		switch c.Step {
		case ChoiceImputation:
			s.Imputation = c.imputations[k]
			prepKey[0] = k + 1
		case ChoiceTreatment:
			s.Treatment = c.treatments[k]
			prepKey[1] = k + 1
		case ChoiceNormalisation:
			s.Normalisation = c.norms[k]
			prepKey[2] = k + 1
		case ChoiceWeights:
			for li := range s.Levels {
				if c.Level == 0 || c.Level == li+2 {
					s.Levels[li].Weights = c.weights[k]
					if li < len(wAlt) {
						wAlt[li] = ci<<16 | k
					}
				}
			}
		case ChoiceAggregation:
			for li := range s.Levels {
				if c.Level == 0 || c.Level == li+2 {
					s.Levels[li].Aggregation = c.aggs[k]
				}
			}
		}
	}
	vals, err := u.prepared(prepKey, s)
	if err != nil {
		return 0, err
	}
	e := u.e
	for li := 0; li+1 < len(e.p.nodes); li++ {
		ls := s.Levels[li]
		var w []float64
		if li == 0 {
			w, err = u.levelOneWeights(prepKey, wAlt[0], vals, ls.Weights)
		} else {
			w, err = e.weights(li, vals, ls.Weights, u.o.Build.Weights)
		}
		if err != nil {
			return 0, err
		}
		for ci := range u.spec.Choices {
			c := &u.spec.Choices[ci]
			if c.Step == ChoiceWeightNoise && c.Level == li+2 {
				w = slices.Clone(w)
				rng := rand.New(rand.NewPCG(u.o.Seed^0x9e3779b97f4a7c15, math.Float64bits(in[ci])^uint64(ci)))
				for j := range w {
					w[j] *= 1 + (rng.Float64()*2-1)*c.Factor
				}
			}
		}
		out, err := e.aggregate(li, vals, w, ls.Aggregation, ws.levels[li], ws.sw)
		if err != nil {
			return 0, err
		}
		vals = out
	}
	rankDesc(vals[0], ws.idx, ws.ir)
	var sum float64
	m := 0
	for i, r := range ws.ir {
		ws.ranks[i] = int32(r)
		if r > 0 && u.nominal[i] > 0 {
			sum += math.Abs(float64(r) - float64(u.nominal[i]))
			m++
		}
	}
	if m == 0 {
		return math.NaN(), nil
	}
	return sum / float64(m), nil
}

// prepared returns the normalised indicators for the first three steps,
// computed once per combination of their alternatives.
func (u *uaRunner) prepared(key [3]int, s *Steps) ([][]float64, error) {
	u.mu.Lock()
	ent, ok := u.cache[key]
	if !ok {
		ent = &prepEntry{}
		u.cache[key] = ent
	}
	u.mu.Unlock()
	ent.once.Do(func() {
		ent.cols, _, ent.err = u.e.prepare(*s, false)
	})
	return ent.cols, ent.err
}

// levelOneWeights caches the level-2 weights, which depend only on the
// prepared indicators and the weight method.
func (u *uaRunner) levelOneWeights(key [3]int, alt int, vals [][]float64, ws WeightSpec) ([]float64, error) {
	k := [4]int{key[0], key[1], key[2], alt}
	u.mu.Lock()
	ent, ok := u.wcache[k]
	if !ok {
		ent = &weightEntry{}
		u.wcache[k] = ent
	}
	u.mu.Unlock()
	ent.once.Do(func() {
		ent.w, ent.err = u.e.weights(0, vals, ws, u.o.Build.Weights)
	})
	return ent.w, ent.err
}

// rankStore keeps the ranks of the UA runs: a histogram per unit (n×n
// counts) when n ≤ runs, else the ranks of every run (n×runs).
type rankStore struct {
	n, runs int
	hist    []uint32 // n×n, unit-major; rank 0 (missing) not stored
	samples []int32  // n×runs, unit-major
}

func newRankStore(n, runs int) *rankStore {
	s := &rankStore{n: n, runs: runs}
	if n <= runs {
		s.hist = make([]uint32, n*n)
	} else {
		s.samples = make([]int32, n*runs)
	}
	return s
}

func (s *rankStore) add(run int, ranks []int32) {
	if s.hist != nil {
		for i, r := range ranks {
			if r > 0 {
				atomic.AddUint32(&s.hist[i*s.n+int(r)-1], 1)
			}
		}
		return
	}
	for i, r := range ranks {
		s.samples[i*s.runs+run] = r
	}
}

// stats returns mean, median, 5th and 95th percentiles (type 7) of unit i's
// ranks over the runs where it has one.
func (s *rankStore) stats(i int) [4]float64 {
	var sorted []float64
	if s.hist != nil {
		h := s.hist[i*s.n : (i+1)*s.n]
		for r, c := range h {
			for k := uint32(0); k < c; k++ {
				sorted = append(sorted, float64(r+1))
			}
		}
	} else {
		for _, r := range s.samples[i*s.runs : (i+1)*s.runs] {
			if r > 0 {
				sorted = append(sorted, float64(r))
			}
		}
		sort.Float64s(sorted)
	}
	if len(sorted) == 0 {
		nan := math.NaN()
		return [4]float64{nan, nan, nan, nan}
	}
	var sum float64
	for _, v := range sorted {
		sum += v
	}
	return [4]float64{sum / float64(len(sorted)), quantile7(sorted, 0.5), quantile7(sorted, 0.05), quantile7(sorted, 0.95)}
}

var reflectChoice = reflectTypeOf[Choice]()
