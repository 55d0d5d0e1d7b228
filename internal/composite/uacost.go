package composite

import "runtime"

// UACost is the estimated cost of an uncertainty analysis (EstimateUA).
type UACost struct {
	// Runs is the number of rebuilds of the index.
	Runs int64 `json:"runs"`
	// Bytes estimates the peak live heap of the analysis in bytes, besides
	// the caller's Framework and Data: the nominal build, the shared
	// prepared indicators and cached levels (CacheBytes), the workers'
	// scratch, the rank statistics (RankBytes) and the result. It does not
	// grow with N once the rank statistics reach their bound
	// (UAOptions.RankMemory). Between collections the Go heap holds garbage
	// too, up to about Bytes again with the default GOGC; a server that
	// admits jobs by Bytes should also set a memory limit
	// (debug.SetMemoryLimit) so that the collector keeps the total near the
	// live bytes.
	Bytes      int64 `json:"bytes"`
	CacheBytes int64 `json:"cache_bytes"`
	RankBytes  int64 `json:"rank_bytes"`
	// ExactRanks is true when the rank quantiles will be exact (their
	// exact form fits in RankMemory).
	ExactRanks bool `json:"exact_ranks"`
	// Work estimates the element operations (multiply-adds, comparisons,
	// about UAWorkNanos nanoseconds each on one core of the reference
	// machine): per run a weighted sum over every unit × indicator and
	// unit × node above, and the ranking; per prepared combination the
	// treatment, normalisation and transforms.
	Work int64 `json:"work"`
}

// UAWorkNanos is about the time of one unit of UACost.Work on one core of
// the reference machine (2-core AMD EPYC, see BENCHMARKS.md; measured 0.5
// to 1.5 ns over the benchmarks), for turning Work into an expected
// duration: Work·UAWorkNanos/cores ns.
const UAWorkNanos = 1.0

// EstimateUA estimates the memory and work of Uncertainty(ctx, fw, d, spec,
// o) without running it, from the number of units n, indicators m, the
// nodes of each level, the runs and the choices, so that a server can
// refuse an analysis over its memory budget before starting it. It checks
// the same settings as ValidateUA and returns its errors.
//
// The count is an upper bound for the parts it models (matrices of n·m
// float64 per prepared combination of imputation × treatment ×
// normalisation alternatives, plus one per logarithm, reciprocal or power
// transform a level-2 mean may need; n·nodes float64 per level per worker;
// the rank layout chosen for RankMemory); small maps and the Go runtime's
// own overhead are not counted.
func EstimateUA(fw *Framework, d *Data, spec *UASpec, o UAOptions) (UACost, error) {
	if err := ValidateUA(spec, o.N); err != nil {
		return UACost{}, err
	}
	if fw.plan == nil {
		if err := fw.Validate(); err != nil {
			return UACost{}, err
		}
	}
	if d == nil || len(d.Units) == 0 {
		return UACost{}, errorf("没有数据单元", "the data have no units")
	}
	n, m := int64(len(d.Units)), int64(len(fw.Indicators))
	nodes := fw.plan.nodes
	levels := len(nodes)
	steps := fw.Steps
	if o.Build.Steps != nil {
		steps = *o.Build.Steps
	}
	nominal := steps.resolved(levels)
	choices, _ := resolveChoices(spec, nominal)

	workers := int64(o.Workers)
	if workers <= 0 {
		workers = int64(runtime.GOMAXPROCS(0))
	}
	runs := uaRunCount(spec, o.N)
	uaRuns := int64(o.N)
	if spec.Sensitivity {
		uaRuns = 2 * int64(o.N)
	}
	workers = min(workers, runs)
	budget := o.RankMemory
	if budget <= 0 {
		budget = DefaultRankMemory
	}

	// Prepared combinations and the transforms a level-2 mean may need.
	combos := prepCombos(choices)
	trans, generic := levelTransforms(nominal, choices, 0)
	matrix := n * m * 8
	perCombo := matrix + m*((n+63)/64)*8 + int64(len(trans))*matrix
	cache := satMul(combos, perCombo)
	cacheLevel, levelBytes := planLevelCache(nodes, int(n), choices, nominal, o.CacheMemory)
	cache += levelBytes

	// Scratch of each worker: the levels above the indicators, weights,
	// ranking buffers and a batch of ranks; a NaN copy of a level's input
	// for TOPSIS and GRA.
	var above, aboveNodes int64
	for li := 1; li < levels; li++ {
		above += int64(len(nodes[li])) * n * 8
		aboveNodes += int64(len(nodes[li]))
	}
	for li := 1; li+1 < levels; li++ {
		if _, g := levelTransforms(nominal, choices, li); g {
			generic = true
		}
	}
	batch := newRankBatch(int(n))
	scratch := above + n*(8+8+8+4+4+4) + int64(batch.size)*n*4
	if generic {
		scratch += matrix
	}
	// A worker preparing a combination holds the imputed, treated and
	// normalised copies, and a NaN copy for the level-2 weights.
	transient := min(workers, combos) * 3 * matrix
	// The nominal build: its engine, prepared copies and every level's
	// values, and per unit a result with a map of the aggregates.
	nominalBuild := 3*matrix + aboveNodes*n*8 + n*(160+aboveNodes*64)
	lay := planRanks(int(n), int(uaRuns), budget)
	rank := lay.bytes(int(n), int(uaRuns))
	var sobol int64
	if spec.Sensitivity {
		nb := int64(spec.Bootstrap)
		if nb == 0 {
			nb = DefaultUABootstrap
		}
		d := int64(len(choices))
		sobol = nb*(4+2*d)*8 + workers*4*(d+2)*8
	}
	result := n * 160
	engine := matrix + n*64

	cost := UACost{Runs: runs, CacheBytes: cache, RankBytes: rank, ExactRanks: lay.samples || lay.w == 1}
	cost.Bytes = engine + cache + workers*scratch + transient + nominalBuild + rank + sobol + result

	// Work: per run the aggregations not cached (n × children each) and
	// the ranking; once per cached output its aggregation; per prepared
	// combination the treatment, normalisation, transforms and weights.
	perRun := 25*n + 10_000 // ranking; a run's fixed cost (drawing, configuring, recording)
	keys := combos
	var cachedWork int64
	for li := 0; li+1 < levels; li++ {
		children := int64(len(nodes[li]))
		if cacheLevel[li] {
			keys = satMul(keys, satMul(levelAlts(choices, ChoiceWeights, li), levelAlts(choices, ChoiceAggregation, li)))
			cachedWork += satMul(keys, n*children*2)
			continue
		}
		perRun += n * children * 2
	}
	objective := int64(1)
	for i := range choices {
		if c := &choices[i]; c.Step == ChoiceWeights {
			objective += int64(c.count())
		}
	}
	prepWork := n * m * (12 + 20*int64(len(trans)) + 5*objective)
	cost.Work = satMul(runs, perRun) + cachedWork + satMul(combos, prepWork)
	return cost, nil
}

// DefaultUACacheMemory is the default bound, in bytes, on the cached
// outputs of aggregation levels (UAOptions.CacheMemory).
const DefaultUACacheMemory int64 = 128 << 20

// satMul multiplies without overflow, saturating at 1<<62.
func satMul(a, b int64) int64 {
	if a == 0 || b == 0 {
		return 0
	}
	if a > (1<<62)/b {
		return 1 << 62
	}
	return a * b
}

// prepCombos bounds the prepared combinations: the product of the numbers
// of imputation, treatment and normalisation alternatives.
func prepCombos(choices []Choice) int64 {
	k := int64(1)
	for i := range choices {
		switch c := &choices[i]; c.Step {
		case ChoiceImputation, ChoiceTreatment, ChoiceNormalisation:
			k = satMul(k, int64(c.count()))
		}
	}
	return k
}

// levelAlts is the product of the numbers of alternatives of the choices of
// step that apply to aggregation li (level li+2).
func levelAlts(choices []Choice, step string, li int) int64 {
	k := int64(1)
	for i := range choices {
		if c := &choices[i]; c.Step == step && (c.Level == 0 || c.Level == li+2) {
			k = satMul(k, int64(c.count()))
		}
	}
	return k
}

// levelTransforms returns the transforms the means possible at aggregation
// li may need, and whether TOPSIS or GRA is possible there.
func levelTransforms(base Steps, choices []Choice, li int) (map[transKey]bool, bool) {
	trans := map[transKey]bool{}
	generic := false
	add := func(a Aggregation) {
		a = a.withDefaults()
		method, p := a.mean()
		switch method {
		case AggTOPSIS, AggGRA:
			generic = true
		case AggGeometric, AggHarmonic:
			trans[transKey{method: method}] = true
		case AggGeneralised:
			trans[transKey{method: method, p: p}] = true
		}
	}
	if li < len(base.Levels) {
		add(base.Levels[li].Aggregation)
	}
	for i := range choices {
		if c := &choices[i]; c.Step == ChoiceAggregation && (c.Level == 0 || c.Level == li+2) {
			for _, a := range c.aggs {
				add(a)
			}
		}
	}
	return trans, generic
}

// planLevelCache decides which aggregation outputs the runs share: those of
// the levels below the first with weight noise, while their bytes (one
// n × nodes matrix per combination of the alternatives up to the level,
// plus its transforms for the next level's means) fit in budget. It
// returns the decision per aggregation and the bytes.
func planLevelCache(nodes [][]node, n int, choices []Choice, base Steps, budget int64) ([]bool, int64) {
	if budget <= 0 {
		budget = DefaultUACacheMemory
	}
	out := make([]bool, len(nodes)-1)
	keys := prepCombos(choices)
	var total int64
	for li := 0; li+1 < len(nodes); li++ {
		for i := range choices {
			if c := &choices[i]; c.Step == ChoiceWeightNoise && c.Level == li+2 {
				return out, total
			}
		}
		keys = satMul(keys, satMul(levelAlts(choices, ChoiceWeights, li), levelAlts(choices, ChoiceAggregation, li)))
		copies := int64(1)
		if li+2 < len(nodes) {
			trans, _ := levelTransforms(base, choices, li+1)
			copies += int64(len(trans))
		}
		b := satMul(satMul(keys, int64(len(nodes[li+1]))*int64(n)*8), copies)
		if total+b > budget {
			return out, total
		}
		total += b
		out[li] = true
	}
	return out, total
}
