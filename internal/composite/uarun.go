package composite

import (
	"context"
	"math"
	"math/bits"
	"math/rand/v2"
	"runtime"
	"slices"
	"sort"
	"sync"
	"sync/atomic"
)

// uaRunner holds what the runs of one uncertainty analysis share.
type uaRunner struct {
	e       *engine
	spec    *UASpec
	choices []Choice // spec.Choices, with the nominal added when asked
	o       UAOptions
	base    Steps
	nominal []int32
	dim     int
	runs    int
	uaRuns  int
	nomIn   bool
	store   *rankStore
	// noise[li] lists the weight_noise choices of level li+2.
	noise [][]int
	// cacheLevel[li]: the output of aggregation li (level li+2) is cached
	// per combination of discrete choices up to it (planLevelCache).
	cacheLevel []bool

	// normAlts are the normalisations a run may use: the alternatives of
	// the last normalisation choice, or the nominal's.
	normAlts []Normalisation

	mu    sync.Mutex
	cache map[[2]int]*treatGroup
	fixed map[[2]int]*weightEntry // weights that do not read the values, per level and alternative
}

func newUARunner(fw *Framework, d *Data, spec *UASpec, o UAOptions, nominal *Result) (*uaRunner, error) {
	e, err := newEngine(fw, d)
	if err != nil {
		return nil, err
	}
	levels := len(e.p.nodes)
	for i := range spec.Choices {
		c := &spec.Choices[i]
		if c.Level > levels {
			return nil, &FieldError{Field: "choices", Err: errorf("选择 %q 的层级 %d 超出框架的 %d 层", "choice %q: level %d, but the framework has %d levels", c.Name, c.Level, levels)}
		}
		for _, w := range c.weights {
			if err := e.checkSet(w); err != nil {
				return nil, &FieldError{Field: "choices", Err: errorf("选择 %[1]q:%[2]s", "choice %[1]q: %[3]s", c.Name, err.ZH, err.EN)}
			}
		}
	}
	choices, nomIn := resolveChoices(spec, nominal.Spec)
	dim := len(choices)
	u := &uaRunner{e: e, spec: spec, choices: choices, o: o, base: nominal.Spec, nominal: make([]int32, e.n), dim: dim,
		nomIn: nomIn, cache: map[[2]int]*treatGroup{}, fixed: map[[2]int]*weightEntry{}, noise: make([][]int, levels-1)}
	u.runs, u.uaRuns = o.N, o.N
	if spec.Sensitivity {
		u.runs, u.uaRuns = o.N*(dim+2), 2*o.N
	}
	for i, r := range nominal.Units {
		u.nominal[i] = int32(r.Rank)
	}
	u.normAlts = []Normalisation{nominal.Spec.Normalisation}
	for ci := range choices {
		switch c := &choices[ci]; c.Step {
		case ChoiceWeightNoise:
			u.noise[c.Level-2] = append(u.noise[c.Level-2], ci)
		case ChoiceNormalisation:
			u.normAlts = c.norms
		}
	}
	budget := o.RankMemory
	if budget <= 0 {
		budget = DefaultRankMemory
	}
	u.store = newRankStore(e.n, u.uaRuns, u.nominal, budget)
	u.cacheLevel, _ = planLevelCache(e.p.nodes, e.n, choices, nominal.Spec, o.CacheMemory)
	return u, nil
}

// slot maps run r to the row j of the design and its part: 0 for A (or the
// UA run), 1 for B, 2+i for AB_i. SA runs go row by row so that rows complete
// (and fold into the Sobol sums) in order.
func (u *uaRunner) slot(r int) (j, part int) {
	if !u.spec.Sensitivity {
		return r, 0
	}
	return r / (u.dim + 2), r % (u.dim + 2)
}

// uaIndex is the index of run (j, part) among the runs whose ranks are
// kept, or -1.
func (u *uaRunner) uaIndex(j, part int) int {
	switch part {
	case 0:
		return j
	case 1:
		return u.o.N + j
	}
	return -1
}

// failLog counts failed runs and keeps those of the lowest run numbers.
type failLog struct {
	mu    sync.Mutex
	count int
	first []UAFailure
}

func (f *failLog) add(run int, err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.count++
	if len(f.first) == maxUAFailures && run > f.first[len(f.first)-1].Run {
		return
	}
	fl := UAFailure{Run: run, ErrorZH: err.Error(), ErrorEN: err.Error()}
	if ce, ok := err.(interface{ Localized(string) string }); ok {
		fl.ErrorZH, fl.ErrorEN = ce.Localized("zh"), ce.Localized("en")
	}
	k := sort.Search(len(f.first), func(i int) bool { return f.first[i].Run > run })
	f.first = slices.Insert(f.first, k, fl)
	if len(f.first) > maxUAFailures {
		f.first = f.first[:maxUAFailures]
	}
}

func (u *uaRunner) execute(ctx context.Context) (*UAResult, error) {
	o := u.o
	workers := o.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = min(workers, u.runs)
	var rows *sobolRows
	if u.spec.Sensitivity {
		nb := u.spec.Bootstrap
		if nb == 0 {
			nb = DefaultUABootstrap
		}
		rows = newSobolRows(u.dim, newSobolAcc(u.dim, nb, o.Seed))
	}
	fails := &failLog{}
	var next, done atomic.Int64
	var progMu sync.Mutex
	step := max(1, u.runs/200)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ws := u.newWorkspace()
			defer u.store.addBatch(&ws.batch)
			in := make([]float64, u.dim)
			for ctx.Err() == nil {
				r := int(next.Add(1) - 1)
				if r >= u.runs {
					return
				}
				j, part := u.slot(r)
				u.input(j, part, in)
				y, err := u.run(in, ws)
				if err != nil {
					fails.add(r, err)
				} else if k := u.uaIndex(j, part); k >= 0 {
					if ws.batch.add(k, ws.ranks) {
						u.store.addBatch(&ws.batch)
					}
					if o.onRanks != nil {
						o.onRanks(k, ws.ranks)
					}
				}
				if rows != nil {
					rows.put(j, part, y, err != nil)
				}
				dn := int(done.Add(1))
				if o.Progress != nil && (dn%step == 0 || dn == u.runs) {
					progMu.Lock()
					o.Progress(dn, u.runs)
					progMu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if fails.count == u.runs {
		f := fails.first[0]
		return nil, errorf("全部 %[1]d 次重建均失败;第一次(第 %[2]d 次):%[3]s", "all %[1]d runs failed; the first (run %[2]d): %[4]s", u.runs, f.Run, f.ErrorZH, f.ErrorEN)
	}
	res := &UAResult{N: o.N, Runs: u.runs, Seed: o.Seed, Output: "mean absolute rank change", Failed: fails.count,
		Failures: fails.first, NominalInSpec: u.nomIn, RankQuantiles: "exact"}
	for i, unit := range u.e.units {
		st := u.store.stats(i)
		uu := UAUnit{Code: unit.Code, NominalRank: int(u.nominal[i]), Runs: st.runs, MeanRank: st.mean, MedianRank: st.median,
			P05Rank: st.p05, P95Rank: st.p95, NominalPercentile: st.pct}
		if st.runs > 0 && uu.NominalRank > 0 {
			nr := float64(uu.NominalRank)
			uu.NominalOutside = nr < st.p05 || nr > st.p95
		}
		if uu.NominalOutside {
			res.NominalOutside++
		}
		if st.err > 0 {
			res.BinnedUnits++
			res.RankError = max(res.RankError, st.err)
		}
		res.Units = append(res.Units, uu)
	}
	if res.RankError > 0 {
		res.RankQuantiles = "binned"
	}
	if rows != nil {
		idx, v, n := rows.acc.result()
		if n < 2 {
			return nil, errorf("敏感性分析只有 %d 行完整(每行的 %d 次重建都成功),至少需要 2 行", "the sensitivity analysis has %d complete rows (all %d runs of a row succeeded); it needs at least 2",
				n, u.dim+2)
		}
		for i := range idx {
			idx[i].Choice = u.choices[i].Name
		}
		res.Variance, res.Sensitivity, res.SobolRows = v, idx, n
	}
	return res, nil
}

// input writes the point of the design of row j, part part into in.
func (u *uaRunner) input(j, part int, in []float64) {
	d := u.dim
	if !u.spec.Sensitivity {
		rng := rand.New(rand.NewPCG(u.o.Seed, uint64(j)))
		for i := range in {
			in[i] = rng.Float64()
		}
		return
	}
	rng := rand.New(rand.NewPCG(u.o.Seed, uint64(j)))
	var ab [2 * MaxUAChoices]float64
	buf := ab[:2*d]
	for k := range buf {
		buf[k] = rng.Float64()
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
	levels     [][][]float64 // per-run outputs of levels 2, 3, ...
	sw         []float64
	wbuf       [][]float64 // noisy weights per level
	nan        [][]float64 // NaN copy of a level's input, for TOPSIS and GRA
	sub        [][]float64 // one group's children
	subW       []float64
	score      []float64
	wAlt, aAlt []int // the weight and aggregation alternative of each level
	rank       rankScratch
	ranks      []int32
	batch      rankBatch
	steps      Steps
}

func (u *uaRunner) newWorkspace() *workspace {
	n := u.e.n
	nl := len(u.e.p.nodes) - 1
	ws := &workspace{sw: make([]float64, 2*n), ranks: make([]int32, n), score: make([]float64, n), rank: newRankScratch(n),
		wAlt: make([]int, nl), aAlt: make([]int, nl), batch: newRankBatch(n)}
	for li := 1; li < len(u.e.p.nodes); li++ {
		lv := make([][]float64, len(u.e.p.nodes[li]))
		for j := range lv {
			lv[j] = make([]float64, n)
		}
		ws.levels = append(ws.levels, lv)
		ws.wbuf = append(ws.wbuf, make([]float64, len(u.e.p.nodes[li-1])))
	}
	ws.steps = u.base
	ws.steps.Levels = slices.Clone(u.base.Levels)
	return ws
}

// run rebuilds the index for input in and returns the mean absolute rank
// change; ranks are left in ws.ranks.
//
// The levels are built from shared, cached data while the run's choices up
// to them are discrete (u.cacheLevel); from the first level with weight
// noise on, into the workspace.
func (u *uaRunner) run(in []float64, ws *workspace) (float64, error) {
	s := &ws.steps
	prepKey := u.configure(in, ws)
	ld, err := u.prepared(prepKey, s)
	if err != nil {
		return 0, err
	}
	return u.build(ld, in, ws)
}

// configure sets ws.steps, ws.wAlt and ws.aAlt to the configuration of
// input in and returns the key of its prepared indicators.
func (u *uaRunner) configure(in []float64, ws *workspace) [3]int {
	s := &ws.steps
	s.Imputation, s.Treatment, s.Normalisation = u.base.Imputation, u.base.Treatment, u.base.Normalisation
	copy(s.Levels, u.base.Levels)
	for li := range ws.wAlt {
		ws.wAlt[li], ws.aAlt[li] = -1, -1
	}
	var prepKey [3]int
	for ci := range u.choices {
		c := &u.choices[ci]
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
					ws.wAlt[li] = ci<<16 | k
				}
			}
		case ChoiceAggregation:
			for li := range s.Levels {
				if c.Level == 0 || c.Level == li+2 {
					s.Levels[li].Aggregation = c.aggs[k]
					ws.aAlt[li] = ci<<16 | k
				}
			}
		}
	}
	return prepKey
}

// build aggregates the prepared indicators ld up to the index and ranks it.
func (u *uaRunner) build(ld *levelData, in []float64, ws *workspace) (float64, error) {
	s := &ws.steps
	e := u.e
	var err error
	var vals [][]float64
	for li := 0; li+1 < len(e.p.nodes); li++ {
		ls := s.Levels[li]
		if ld != nil && u.cacheLevel[li] {
			if ld, err = ld.child(u, ws.wAlt[li], ws.aAlt[li], ls); err != nil {
				return 0, err
			}
			continue
		}
		out := ws.levels[li]
		if ld != nil {
			w, err := ld.levelWeights(u, ws.wAlt[li], ls.Weights)
			if err != nil {
				return 0, err
			}
			if err := u.aggregateFrom(ld, u.noisy(li, w, in, ws), ls.Aggregation, out, ws.sw, &ws.nan); err != nil {
				return 0, err
			}
			ld = nil
		} else {
			var w []float64
			if weightsReadData(ls.Weights) {
				w, err = e.weights(li, vals, ls.Weights, u.o.Build.Weights)
			} else {
				w, err = u.fixedWeights(li, ws.wAlt[li], ls.Weights)
			}
			if err != nil {
				return 0, err
			}
			if err := u.aggregateLevel(li, vals, u.noisy(li, w, in, ws), ls.Aggregation, out, ws); err != nil {
				return 0, err
			}
		}
		vals = out
	}
	scores := ws.score
	if ld != nil {
		ld.column(0, scores)
	} else {
		scores = vals[0]
	}
	ws.rank.rank(scores, ws.ranks)
	var sum float64
	m := 0
	for i, r := range ws.ranks {
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

// fixedWeights returns the weights of level li+2 for a weight alternative
// that does not read the values (framework, equal), computed once.
func (u *uaRunner) fixedWeights(li, alt int, ws WeightSpec) ([]float64, error) {
	ent := onceEntry(&u.mu, u.fixed, [2]int{li, alt})
	ent.once.Do(func() {
		ent.w, ent.err = u.e.weights(li, make([][]float64, len(u.e.p.nodes[li])), ws, u.o.Build.Weights)
	})
	return ent.w, ent.err
}

// aggregateLevel is engine.aggregate (the same calls of aggregateGroup)
// with the workspace's buffers.
func (u *uaRunner) aggregateLevel(li int, vals [][]float64, w []float64, a Aggregation, out [][]float64, ws *workspace) error {
	e := u.e
	for g, pn := range e.p.nodes[li+1] {
		ws.sub, ws.subW = ws.sub[:0], ws.subW[:0]
		for _, c := range pn.children {
			ws.sub = append(ws.sub, vals[c])
			ws.subW = append(ws.subW, w[c])
		}
		err := aggregateGroup(a, ws.sub, ws.subW, out[g], ws.sw, func(child, unit int) error {
			return e.positiveError(li, pn.children[child], unit, ws.sub[child][unit], a.Method)
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// noisy applies the weight_noise choices of level li+2 to w, w·(1 + U(−f, f))
// per weight from a PCG seeded by the run's input of the choice.
func (u *uaRunner) noisy(li int, w []float64, in []float64, ws *workspace) []float64 {
	if len(u.noise[li]) == 0 {
		return w
	}
	out := ws.wbuf[li]
	copy(out, w)
	for _, ci := range u.noise[li] {
		f := u.choices[ci].Factor
		rng := rand.New(rand.NewPCG(u.o.Seed^0x9e3779b97f4a7c15, math.Float64bits(in[ci])^uint64(ci)))
		for j := range out {
			out[j] *= 1 + (rng.Float64()*2-1)*f
		}
	}
	return out
}

// levelData is the input of one aggregation (the values of the nodes of
// level li, 0 = the normalised indicators), shared by every run whose
// discrete choices up to it agree. It holds the values in the form the
// weighted means read: missing values replaced by 0 (a missing child then
// adds w·0 = 0, exactly as skipping it) with a bitset of the missing ones,
// and per parent group the units with a missing child (whose weight sum
// differs from the group's) with a mask of their present children. It
// caches its transforms (ln x, 1/x, x^p), its weights per weight
// alternative and its outputs per weight and aggregation alternative.
type levelData struct {
	once sync.Once
	err  error
	li   int
	n    int
	z    [][]float64
	miss [][]uint64 // per column, nil when complete
	// firstNonPos and firstNeg are the first unit with a present value ≤ 0
	// (< 0) per column, or -1.
	firstNonPos, firstNeg []int32
	groupMiss             [][]int32
	groupMask             [][]uint64 // present children of groupMiss's units, when a group has ≤ 64

	mu    sync.Mutex
	trans map[transKey]*transEntry
	wts   map[int]*weightEntry
	next  map[[2]int]*levelData
}

type transKey struct {
	method string
	p      float64
}

type transEntry struct {
	once sync.Once
	cols [][]float64
}

type weightEntry struct {
	once sync.Once
	w    []float64
	err  error
}

// treatGroup holds the normalised indicators of one combination of the
// imputation and treatment alternatives, one per normalisation
// alternative: the treated values are computed once and normalised every
// way at once, then dropped.
type treatGroup struct {
	once  sync.Once
	norms []*levelData
}

// prepared returns the normalised indicators of the combination key of
// imputation, treatment and normalisation alternatives (k+1 of the last
// choice of each step, 0 for the nominal's), computed once.
func (u *uaRunner) prepared(key [3]int, s *Steps) (*levelData, error) {
	tg := onceEntry(&u.mu, u.cache, [2]int{key[0], key[1]})
	tg.once.Do(func() {
		cols, _ := u.e.treated(*s, false)
		for _, ns := range u.normAlts {
			ld := &levelData{}
			out, err := u.e.normalised(cols, ns)
			if err != nil {
				ld.err = err
			} else {
				ld.init(u.e, 0, out)
			}
			tg.norms = append(tg.norms, ld)
		}
	})
	ld := tg.norms[max(key[2]-1, 0)]
	return ld, ld.err
}

// child returns the output of aggregating ld with weight alternative wAlt
// and aggregation alternative aAlt (-1: the nominal's) as the input of the
// next level, computed once.
func (ld *levelData) child(u *uaRunner, wAlt, aAlt int, ls LevelStep) (*levelData, error) {
	key := [2]int{wAlt, aAlt}
	c := onceEntry(&ld.mu, ld.next, key)
	c.once.Do(func() {
		w, err := ld.levelWeights(u, wAlt, ls.Weights)
		if err != nil {
			c.err = err
			return
		}
		out := make([][]float64, len(u.e.p.nodes[ld.li+1]))
		for g := range out {
			out[g] = make([]float64, ld.n)
		}
		var nan [][]float64
		if err := u.aggregateFrom(ld, w, ls.Aggregation, out, make([]float64, 2*ld.n), &nan); err != nil {
			c.err = err
			return
		}
		c.init(u.e, ld.li+1, out)
	})
	return c, c.err
}

// init takes cols (the values of the nodes of level li) over, replacing
// missing values by 0.
func (ld *levelData) init(e *engine, li int, cols [][]float64) {
	n := e.n
	words := (n + 63) / 64
	ld.li, ld.n, ld.z = li, n, cols
	ld.miss = make([][]uint64, len(cols))
	ld.firstNonPos = make([]int32, len(cols))
	ld.firstNeg = make([]int32, len(cols))
	ld.trans = map[transKey]*transEntry{}
	ld.wts = map[int]*weightEntry{}
	ld.next = map[[2]int]*levelData{}
	for j, c := range cols {
		ld.firstNonPos[j], ld.firstNeg[j] = -1, -1
		for i, x := range c {
			if x != x {
				if ld.miss[j] == nil {
					ld.miss[j] = make([]uint64, words)
				}
				ld.miss[j][i/64] |= 1 << (i % 64)
				c[i] = 0
				continue
			}
			if x <= 0 && ld.firstNonPos[j] < 0 {
				ld.firstNonPos[j] = int32(i)
			}
			if x < 0 && ld.firstNeg[j] < 0 {
				ld.firstNeg[j] = int32(i)
			}
		}
	}
	if li+1 >= len(e.p.nodes) {
		return
	}
	groups := e.p.nodes[li+1]
	ld.groupMiss = make([][]int32, len(groups))
	ld.groupMask = make([][]uint64, len(groups))
	acc := make([]uint64, words)
	for g, pn := range groups {
		clear(acc)
		any := false
		for _, c := range pn.children {
			if m := ld.miss[c]; m != nil {
				any = true
				for k := range acc {
					acc[k] |= m[k]
				}
			}
		}
		if !any {
			continue
		}
		for k, wd := range acc {
			for wd != 0 {
				b := bits.TrailingZeros64(wd)
				ld.groupMiss[g] = append(ld.groupMiss[g], int32(k*64+b))
				wd &= wd - 1
			}
		}
		if len(pn.children) <= 64 {
			masks := make([]uint64, len(ld.groupMiss[g]))
			for t, i := range ld.groupMiss[g] {
				for k, c := range pn.children {
					if !ld.missing(c, int(i)) {
						masks[t] |= 1 << k
					}
				}
			}
			ld.groupMask[g] = masks
		}
	}
}

func (ld *levelData) missing(c, i int) bool {
	m := ld.miss[c]
	return m != nil && m[i/64]&(1<<(i%64)) != 0
}

// column writes column j with its missing values as NaN into buf.
func (ld *levelData) column(j int, buf []float64) {
	copy(buf, ld.z[j])
	if m := ld.miss[j]; m != nil {
		for k, wd := range m {
			for wd != 0 {
				buf[k*64+bits.TrailingZeros64(wd)] = math.NaN()
				wd &= wd - 1
			}
		}
	}
}

// withNaN writes the columns with their missing values as NaN into buf
// (allocated when nil).
func (ld *levelData) withNaN(buf [][]float64) [][]float64 {
	if buf == nil {
		buf = make([][]float64, len(ld.z))
		for j := range buf {
			buf[j] = make([]float64, ld.n)
		}
	}
	for j := range ld.z {
		ld.column(j, buf[j])
	}
	return buf
}

// transformed returns f(x) of every present value (0 for missing ones): ln x
// for geometric, 1/x for harmonic and x^p for a generalised mean.
func (ld *levelData) transformed(k transKey) [][]float64 {
	t := onceEntry(&ld.mu, ld.trans, k)
	t.once.Do(func() {
		t.cols = make([][]float64, len(ld.z))
		for j, c := range ld.z {
			out := make([]float64, len(c))
			switch k.method {
			case AggGeometric:
				for i, x := range c {
					out[i] = math.Log(x)
				}
			case AggHarmonic:
				for i, x := range c {
					out[i] = 1 / x
				}
			default:
				for i, x := range c {
					out[i] = math.Pow(x, k.p)
				}
			}
			if m := ld.miss[j]; m != nil {
				for kk, wd := range m {
					for wd != 0 {
						out[kk*64+bits.TrailingZeros64(wd)] = 0
						wd &= wd - 1
					}
				}
			}
			t.cols[j] = out
		}
	})
	return t.cols
}

// levelWeights returns the weights of ld's nodes for weight alternative alt
// (-1: the nominal's), computed once.
func (ld *levelData) levelWeights(u *uaRunner, alt int, ws WeightSpec) ([]float64, error) {
	ent := onceEntry(&ld.mu, ld.wts, alt)
	ent.once.Do(func() {
		cols := ld.z // framework and equal weights do not read the values
		if weightsReadData(ws) {
			cols = ld.withNaN(nil)
		}
		ent.w, ent.err = u.e.weights(ld.li, cols, ws, u.o.Build.Weights)
	})
	return ent.w, ent.err
}

// aggregateFrom aggregates ld into out (the nodes of level ld.li+1) with
// weights w. For the weighted means it gives the same numbers as
// engine.aggregate (the same sums in the same order) from the cached
// transforms; TOPSIS, GRA and non-finite weights go through
// engine.aggregate itself on a NaN copy kept in *nan. sw is scratch of 2n.
func (u *uaRunner) aggregateFrom(ld *levelData, w []float64, a Aggregation, out [][]float64, sw []float64, nan *[][]float64) error {
	e := u.e
	method, pw := a.mean()
	generic := method == AggTOPSIS || method == AggGRA
	for _, x := range w {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			generic = true
		}
	}
	if generic {
		if *nan != nil && len(*nan) != len(ld.z) {
			*nan = nil
		}
		*nan = ld.withNaN(*nan)
		_, err := e.aggregate(ld.li, *nan, w, a, out, sw)
		return err
	}
	cols := ld.z
	if method != AggArithmetic {
		// The first value the mean refuses, in engine.aggregate's order.
		for _, pn := range e.p.nodes[ld.li+1] {
			for _, c := range pn.children {
				bad := ld.firstNonPos[c]
				if method == AggGeneralised && pw > 0 {
					bad = ld.firstNeg[c]
				}
				if bad >= 0 {
					return e.positiveError(ld.li, c, int(bad), ld.z[c][bad], a.Method)
				}
			}
		}
		cols = ld.transformed(transKey{method: method, p: pw})
	}
	for g, pn := range e.p.nodes[ld.li+1] {
		ch := pn.children
		o := out[g]
		weightedSum(o, cols, ch, w)
		var swAll float64
		for _, c := range ch {
			swAll += w[c]
		}
		// Units with a missing child: keep their sums, and their own weight
		// sums (over the children present, in the same order), in sw.
		miss, masks := ld.groupMiss[g], ld.groupMask[g]
		raw, own := sw[:len(miss)], sw[len(miss):2*len(miss)]
		for t, i := range miss {
			raw[t] = o[i]
			var s float64
			if masks != nil {
				for mk := masks[t]; mk != 0; mk &= mk - 1 {
					s += w[ch[bits.TrailingZeros64(mk)]]
				}
			} else {
				for _, c := range ch {
					if !ld.missing(c, int(i)) {
						s += w[c]
					}
				}
			}
			own[t] = s
		}
		finishMean(method, pw, o, swAll)
		for t, i := range miss {
			o[i] = raw[t]
			finishMean(method, pw, o[i:i+1], own[t])
		}
	}
	return nil
}

// finishMean turns weighted sums o (of x, ln x, 1/x or x^p) with weight sum
// sw into the mean, as aggregateGroup does.
func finishMean(method string, p float64, o []float64, sw float64) {
	switch method {
	case AggArithmetic:
		for i := range o {
			o[i] /= sw
		}
	case AggGeometric:
		for i := range o {
			o[i] = math.Exp(o[i] / sw)
		}
	case AggHarmonic:
		for i := range o {
			o[i] = sw / o[i]
		}
	default:
		for i := range o {
			o[i] = math.Pow(o[i]/sw, 1/p)
		}
	}
}

// weightedSum sets o[i] = Σ_k w[ch[k]]·cols[ch[k]][i], adding the terms in
// the order of ch (four columns per pass over o).
func weightedSum(o []float64, cols [][]float64, ch []int, w []float64) {
	n := len(o)
	clear(o)
	k := 0
	for ; k+4 <= len(ch); k += 4 {
		a, b, c, d := cols[ch[k]][:n], cols[ch[k+1]][:n], cols[ch[k+2]][:n], cols[ch[k+3]][:n]
		wa, wb, wc, wd := w[ch[k]], w[ch[k+1]], w[ch[k+2]], w[ch[k+3]]
		for i := range o {
			o[i] = o[i] + wa*a[i] + wb*b[i] + wc*c[i] + wd*d[i]
		}
	}
	for ; k < len(ch); k++ {
		a, wa := cols[ch[k]][:n], w[ch[k]]
		for i := range o {
			o[i] += wa * a[i]
		}
	}
}

// weightsReadData reports whether the weights of ws depend on the values.
func weightsReadData(ws WeightSpec) bool {
	m := ws.Method
	if m == WeightsCombined {
		m = ws.Objective
	}
	return m != WeightsFramework && m != WeightsEqual && m != ""
}

// onceEntry returns m[k], adding a zero entry under mu when there is none;
// the caller fills it through the entry's sync.Once, so that concurrent
// runs compute each shared value once.
func onceEntry[K comparable, V any](mu *sync.Mutex, m map[K]*V, k K) *V {
	mu.Lock()
	defer mu.Unlock()
	e, ok := m[k]
	if !ok {
		e = new(V)
		m[k] = e
	}
	return e
}
