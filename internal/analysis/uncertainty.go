package analysis

import (
	"context"
	"errors"
	"slices"

	"agglo/internal/composite"
	"agglo/internal/dataset"
	"agglo/internal/i18n"
)

// DefaultUncertaintyRuns is the number of Monte Carlo runs when a request
// names none.
const DefaultUncertaintyRuns = 1000

// DefaultUncertaintySpec returns a fresh copy of the one default
// uncertainty specification (composite.DefaultUASpec: every choice holds
// the nominal configuration among its alternatives), used by the command
// line, the server and the report.
func DefaultUncertaintySpec() *composite.UASpec { return composite.DefaultUASpec() }

// UncertaintyRequest asks for a Monte Carlo uncertainty (and, with
// Spec.Sensitivity, sensitivity) analysis of an index.
type UncertaintyRequest struct {
	Index IndexRequest
	// Spec lists the uncertain choices; nil takes DefaultUncertaintySpec.
	Spec *composite.UASpec
	// WeightSets, when given, add a choice among these exact weight sets
	// (by node code; nodes a set does not name keep the framework weight)
	// to Spec, or make up the whole specification when Spec is nil.
	WeightSets []composite.WeightSet
	// N is the number of replications (0: DefaultUncertaintyRuns); Seed
	// makes the result reproducible on any machine and any Workers.
	N       int
	Seed    uint64
	Workers int
	// Progress, when not nil, is called with the runs done and the total.
	Progress func(done, total int)
}

// UncertaintyUnit holds one unit's rank statistics (R type-7 quantiles).
type UncertaintyUnit struct {
	Code        string `json:"code"`
	NominalRank int    `json:"nominal_rank"`
	MeanRank    Num    `json:"mean_rank"`
	MedianRank  Num    `json:"median_rank"`
	P05Rank     Num    `json:"p05_rank"`
	P95Rank     Num    `json:"p95_rank"`
	// Runs is the number of runs in which the unit has a rank.
	Runs int `json:"runs"`
	// NominalPercentile is the percentile of the nominal rank within the
	// unit's own distribution of ranks (50: the median; see
	// composite.UAUnit); NominalOutside says it lies outside [P05, P95].
	NominalPercentile Num  `json:"nominal_percentile"`
	NominalOutside    bool `json:"nominal_outside"`
}

// SensitivityIndex holds the Sobol indices of one choice with bootstrap
// 5–95 % intervals; an index is null when the output does not vary.
type SensitivityIndex struct {
	Choice     string `json:"choice"`
	FirstOrder Num    `json:"first_order"`
	Total      Num    `json:"total"`
	FirstCI    [2]Num `json:"first_order_ci"`
	TotalCI    [2]Num `json:"total_ci"`
}

// UncertaintyStats are the results of composite.Uncertainty (see
// composite.UAResult) with undefined numbers written as null.
type UncertaintyStats struct {
	N           int                `json:"n"`
	Runs        int                `json:"runs"`
	Seed        uint64             `json:"seed"`
	Output      string             `json:"output"`
	Variance    Num                `json:"variance,omitempty"`
	Units       []UncertaintyUnit  `json:"units"`
	Sensitivity []SensitivityIndex `json:"sensitivity,omitempty"`
	// Failed counts the runs that failed (they are left out of every
	// statistic); Failures lists the first few with their reason.
	Failed   int                   `json:"failed"`
	Failures []composite.UAFailure `json:"failures,omitempty"`
	// NominalInSpec says the nominal configuration is one of the sampled
	// ones; NominalOutside counts the units whose nominal rank lies outside
	// their own 5–95 % interval.
	NominalInSpec  bool `json:"nominal_in_spec"`
	NominalOutside int  `json:"nominal_outside"`
	// RankQuantiles is "exact" or "binned" (RankError: the largest error of
	// a binned quantile, in ranks).
	RankQuantiles string `json:"rank_quantiles"`
	RankError     Num    `json:"rank_error"`
	BinnedUnits   int    `json:"binned_units,omitempty"`
}

func statsOf(r *composite.UAResult) UncertaintyStats {
	out := UncertaintyStats{N: r.N, Runs: r.Runs, Seed: r.Seed, Output: r.Output, Variance: Num(r.Variance), Units: make([]UncertaintyUnit, len(r.Units)),
		Failed: r.Failed, Failures: r.Failures, NominalInSpec: r.NominalInSpec, NominalOutside: r.NominalOutside,
		RankQuantiles: r.RankQuantiles, RankError: Num(r.RankError), BinnedUnits: r.BinnedUnits}
	for i, u := range r.Units {
		out.Units[i] = UncertaintyUnit{Code: u.Code, NominalRank: u.NominalRank, MeanRank: Num(u.MeanRank), MedianRank: Num(u.MedianRank), P05Rank: Num(u.P05Rank), P95Rank: Num(u.P95Rank),
			Runs: u.Runs, NominalPercentile: Num(u.NominalPercentile), NominalOutside: u.NominalOutside}
	}
	for _, si := range r.Sensitivity {
		out.Sensitivity = append(out.Sensitivity, SensitivityIndex{Choice: si.Choice, FirstOrder: Num(si.FirstOrder), Total: Num(si.Total),
			FirstCI: [2]Num{Num(si.FirstCI[0]), Num(si.FirstCI[1])}, TotalCI: [2]Num{Num(si.TotalCI[0]), Num(si.TotalCI[1])}})
	}
	return out
}

// UncertaintyResult is the rank statistics and Sobol indices with the
// cross-section and the units' names and groups.
type UncertaintyResult struct {
	UncertaintyStats
	Year   int               `json:"year"`
	Period string            `json:"period,omitempty"`
	Level  dataset.Level     `json:"level,omitempty"`
	Names  map[string]string `json:"names"`
	Groups map[string]string `json:"groups"`
	// Nominal is the index every run varies around.
	Nominal *IndexResult `json:"-"`
}

// UncertaintyRun is an uncertainty analysis checked and ready to run: its
// nominal index is built, so that bad methods or data fail before a long
// run starts.
type UncertaintyRun struct {
	req     UncertaintyRequest
	nominal *IndexResult
}

// PrepareUncertainty checks req and builds its nominal index.
func PrepareUncertainty(ctx context.Context, ds *dataset.Dataset, req UncertaintyRequest) (*UncertaintyRun, error) {
	if req.N == 0 {
		req.N = DefaultUncertaintyRuns
	}
	if len(req.WeightSets) > 0 {
		if fw := req.Index.Framework; fw != nil {
			nodes := map[string]bool{}
			for _, in := range fw.Indicators {
				nodes[in.Code] = true
			}
			for _, ag := range fw.Aggregates {
				nodes[ag.Code] = ag.Parent != ""
			}
			for k, set := range req.WeightSets {
				for code := range set {
					if !nodes[code] {
						return nil, fieldError(FieldWeightSets, i18n.Errorf("第 %d 个权重集：%s 不是框架 %s 的指标或聚合项（指数本身除外）", "weight set %d: %s is not an indicator or aggregate of framework %s (the index excepted)", k+1, code, fw.Code))
					}
				}
			}
		}
		spec := &composite.UASpec{}
		if req.Spec != nil {
			c := *req.Spec
			c.Choices = slices.Clone(c.Choices)
			spec = &c
		}
		spec.Choices = append(spec.Choices, composite.WeightSetsChoice("weight_sets", req.WeightSets))
		req.Spec = spec
	}
	if req.Spec == nil {
		req.Spec = DefaultUncertaintySpec()
	}
	if err := composite.ValidateUA(req.Spec, req.N); err != nil {
		field := FieldSpec
		var fe *composite.FieldError
		if errors.As(err, &fe) && fe.Field == "n" {
			field = "n"
		}
		return nil, fieldError(field, err)
	}
	nominal, err := Index(ctx, ds, req.Index)
	if err != nil {
		return nil, err
	}
	return &UncertaintyRun{req: req, nominal: nominal}, nil
}

// Runs is the number of index builds the analysis makes.
func (u *UncertaintyRun) Runs() int {
	if u.req.Spec.Sensitivity {
		return u.req.N * (len(u.req.Spec.Choices) + 2)
	}
	return u.req.N
}

// Nominal is the nominal index.
func (u *UncertaintyRun) Nominal() *IndexResult { return u.nominal }

// EstimateBytes estimates the peak live heap of the run with the given
// number of workers (composite.EstimateUA), for admitting it against a
// memory budget.
func (u *UncertaintyRun) EstimateBytes(workers int) (int64, error) {
	in := u.nominal.Input
	c, err := composite.EstimateUA(in.Framework, in.Data, u.req.Spec, composite.UAOptions{N: u.req.N, Seed: u.req.Seed, Workers: workers, Build: in.Options})
	if err != nil {
		return 0, err
	}
	return c.Bytes, nil
}

// Run runs the analysis; ctx cancels it.
func (u *UncertaintyRun) Run(ctx context.Context) (*UncertaintyResult, error) {
	in := u.nominal.Input
	o := composite.UAOptions{N: u.req.N, Seed: u.req.Seed, Workers: u.req.Workers, Progress: u.req.Progress, Build: in.Options}
	res, err := composite.Uncertainty(ctx, in.Framework, in.Data, u.req.Spec, o)
	if err != nil {
		if ctx.Err() != nil {
			return nil, err
		}
		return nil, fieldError(FieldSpec, err)
	}
	out := &UncertaintyResult{UncertaintyStats: statsOf(res), Year: in.Year, Period: in.Period, Level: in.Level, Names: map[string]string{}, Groups: map[string]string{}, Nominal: u.nominal}
	for _, unit := range u.nominal.Data().Units {
		out.Names[unit.Code] = unit.Name
		out.Groups[unit.Code] = u.nominal.Groups[unit.Code]
	}
	return out, nil
}

// Uncertainty prepares and runs the analysis of req.
func Uncertainty(ctx context.Context, ds *dataset.Dataset, req UncertaintyRequest) (*UncertaintyResult, error) {
	run, err := PrepareUncertainty(ctx, ds, req)
	if err != nil {
		return nil, err
	}
	return run.Run(ctx)
}
