package analysis

import (
	"context"

	"agglo/internal/composite"
	"agglo/internal/dataset"
	"agglo/internal/i18n"
)

// ReportRequest sets what the report's analyses use.
type ReportRequest struct {
	// Lang is the language of unit names.
	Lang string
	// UncertaintyRuns and Seed set the uncertainty and sensitivity
	// analysis of the composite index (0: 500 runs, seed 1).
	UncertaintyRuns int
	Seed            uint64
	// Framework is the framework of the national picture (nil: a
	// built-in one whose indicators are all in the data, else one
	// inferred from the data; see NationalFramework).
	Framework *composite.Framework
	// NationalRuns are the uncertainty runs of the national picture (0:
	// NationalRuns).
	NationalRuns int
	// KeepAgglomerations diagnoses the registry's default agglomerations
	// (the paper's five, or those the user chose); without it a report
	// with a national picture diagnoses every agglomeration with members
	// among its units.
	KeepAgglomerations bool
}

// ReportInputs are the results of every analysis the report shows.
type ReportInputs struct {
	Replication *ReplicationResult
	// Capacity is the indicator the regional measures read ("" when the
	// data have none); Profile and Theil are its measures per
	// agglomeration.
	Capacity string
	Profile  *MeasureResult
	Theil    *MeasureResult
	// Index is the CRIC composite rebuilt from Table 3's dimensions, with
	// its uncertainty and sensitivity; nil when the data lack them.
	Index       *IndexResult
	Uncertainty *UncertaintyResult
	// UncertaintyRuns and Seed are those used.
	UncertaintyRuns int
	Seed            uint64
	Diagnosis       *DiagnosisResult
	Strategy        *StrategyResult
	// Profiles are the agglomerations' key indicators against their
	// average, strengths, weaknesses and trends.
	Profiles *Profiles
	// Structure is the spatial structure, convergence and inequality
	// decomposition of the members.
	Structure *Structure
	// National is the national picture of every unit of the user's data;
	// NationalSkip says why it is missing when it was asked for.
	National     *National
	NationalSkip i18n.Text
	// Diagnosed are the codes of the agglomerations diagnosed.
	Diagnosed []string
}

// importedAgglomerations reports whether a user's file gave values of
// agglomerations, which the paper's analyses use.
func importedAgglomerations(ds *dataset.Dataset) bool {
	for o := range ds.All() {
		if ds.Regions[o.Region].Level == dataset.LevelAgglomeration && ds.Provenance(o).Kind == dataset.Imported {
			return true
		}
	}
	return false
}

// capacityIndicator picks the members' capacity measured by the regional
// measures: Table 3's composite where present, else GDP, else R&D
// expenditure or patents granted; it needs at least two members at
// province, city or county level.
func capacityIndicator(ds *dataset.Dataset) (string, bool) {
	for _, c := range []string{"cric_composite", "gdp", "rd_expenditure", "patent_grants"} {
		if _, ok := ds.IndicatorIndex(c); !ok {
			continue
		}
		u, err := CrossSection(ds, Selection{Indicators: []string{c}, Lang: i18n.ZH})
		if err == nil && len(u.Codes) >= 2 && (u.Level == dataset.LevelProvince || u.Level == dataset.LevelCity || u.Level == dataset.LevelCounty) {
			return c, true
		}
	}
	return "", false
}

// Report runs the analyses of the report on ds. With a national picture
// (req.Framework or a user's data), every unit of the data
// gets the composite index, its rank intervals and distributions
// (ReportNational) and the diagnosis covers every agglomeration with
// members among them. Free units (not Chinese regions) belong to no
// agglomeration: their report is the national picture and the spatial
// structure, convergence and distribution analyses, without the paper's
// analyses of the agglomerations; free units without any unit the national
// picture can use are an error for which IsNoUnits holds, and so are a
// user's data with neither such units nor values of agglomerations.
func Report(ctx context.Context, ds *dataset.Dataset, req ReportRequest) (*ReportInputs, error) {
	out := &ReportInputs{UncertaintyRuns: req.UncertaintyRuns, Seed: req.Seed}
	if out.UncertaintyRuns == 0 {
		out.UncertaintyRuns = 500
	}
	if out.Seed == 0 {
		out.Seed = 1
	}
	if req.KeepAgglomerations {
		// The agglomerations were chosen: they must have data.
		if err := diagnosable(ds); err != nil {
			return nil, err
		}
	}
	if req.Framework != nil || HasUserData(ds) {
		n, err := ReportNational(ctx, ds, NationalRequest{Framework: req.Framework, Lang: req.Lang, Runs: req.NationalRuns, Seed: out.Seed})
		switch {
		case err == nil:
			out.National = n
		case cancelled(ctx, err) || ds.FreeUnits || req.Framework != nil:
			return nil, err
		case IsNoUnits(err) && HasUserData(ds) && !importedAgglomerations(ds):
			// The user's data hold no unit the report can use (neither
			// units of the national picture nor agglomerations): saying so
			// beats a report of the built-in data alone.
			return nil, err
		default:
			out.NationalSkip = reasonOf(err)
		}
	}
	if ds.FreeUnits {
		var err error
		if out.Structure, err = ReportStructure(ctx, ds, StructureRequest{Lang: req.Lang, Seed: out.Seed, Index: structureIndex(req.Lang)}); err != nil {
			return nil, err
		}
		return out, nil
	}
	// The diagnosis covers every agglomeration with members among the
	// national picture's units; the other analyses keep the default set
	// (the paper's five, or those chosen).
	diag := ds
	if out.National != nil && !req.KeepAgglomerations && len(out.National.Agglomerations) > 0 {
		reg, err := ds.Registry.WithDefaults(out.National.Agglomerations)
		if err != nil {
			return nil, err
		}
		diag = ds.WithRegistry(reg)
	}
	var err error
	if out.Replication, err = Replicate(ds); err != nil {
		return nil, err
	}
	if c, ok := capacityIndicator(ds); ok {
		out.Capacity = c
		if out.Profile, err = Measure(ds, MeasureRequest{Method: "all", Indicator: c, Group: GroupAgglomeration, Lang: req.Lang}); err != nil {
			return nil, err
		}
		// The decomposition needs every value positive; without it the
		// report leaves the table out.
		out.Theil, _ = Measure(ds, MeasureRequest{Method: "theil", Indicator: c, Group: GroupAgglomeration, Lang: req.Lang})
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	fw, err := composite.Builtin("cric")
	if err != nil {
		return nil, err
	}
	ix := IndexRequest{Framework: fw, Lang: req.Lang}
	if _, err := PrepareIndex(ds, ix); err == nil {
		spec := DefaultUncertaintySpec()
		spec.Sensitivity, spec.Bootstrap = true, 100
		ua, err := Uncertainty(ctx, ds, UncertaintyRequest{Index: ix, Spec: spec, N: out.UncertaintyRuns, Seed: out.Seed})
		if err != nil {
			return nil, err
		}
		out.Index, out.Uncertainty = ua.Nominal, ua
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	switch out.Strategy, err = Strategy(diag, StrategyRequest{Scenario: BaselineScenario()}); {
	case err == nil:
		out.Diagnosis = out.Strategy.Diagnosis
		for _, a := range diag.Registry.Agglomerations() {
			out.Diagnosed = append(out.Diagnosed, a.Code)
		}
	case IsNoUnits(err):
		// No agglomeration has data: the report has no diagnosis.
		out.Strategy = nil
	default:
		return nil, err
	}
	if out.Profiles, err = Profile(ds, ProfileRequest{}); err != nil {
		return nil, err
	}
	if out.Structure, err = ReportStructure(ctx, ds, StructureRequest{Lang: req.Lang, Seed: out.Seed, Index: structureIndex(req.Lang)}); err != nil {
		return nil, err
	}
	return out, nil
}
