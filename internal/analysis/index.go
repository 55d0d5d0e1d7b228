package analysis

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"agglo/internal/composite"
	"agglo/internal/dataset"
	"agglo/internal/i18n"
)

// IndexRequest asks for a composite index of a framework. The units come
// from a cross-section of the dataset (all units with any of the
// framework's indicators in Year), or from Table when it is given (a
// table read from COINr's iData).
type IndexRequest struct {
	// Framework is the hierarchy and its default methods (required).
	Framework *composite.Framework
	// Table, when not nil, is the input table; the dataset is not used.
	Table *composite.Data
	// Period labels Table's time (COINr's Time); a year when numeric.
	Period string
	// Year of the cross-section (0: the latest with data) and its level
	// ("": the level with the most units).
	Year  int
	Level dataset.Level
	// Steps, when not nil, replace the framework's steps; Overrides then
	// replace single choices at every level.
	Steps     *composite.Steps
	Overrides Overrides
	// Weights are manual weights by node code (replacing the framework's).
	Weights map[string]float64
	// Lang is the language of unit names.
	Lang string
}

// IndexInput is a prepared framework, table and options: what
// composite.Build receives.
type IndexInput struct {
	Framework *composite.Framework
	Data      *composite.Data
	Options   composite.Options
	Year      int
	Period    string
	Level     dataset.Level
}

// LevelMethods are the methods used at one aggregation level.
type LevelMethods struct {
	Level       int                   `json:"level"`
	Nodes       []string              `json:"nodes"`
	Weights     composite.WeightSpec  `json:"weights"`
	Aggregation composite.Aggregation `json:"aggregation"`
}

// IndexResult is a built index: composite's result (scores, ranks,
// weights, steps, resolved spec) with the cross-section it was built on
// and, per aggregation level, the methods used.
type IndexResult struct {
	*composite.Result
	Year   int           `json:"year"`
	Period string        `json:"period,omitempty"`
	Level  dataset.Level `json:"level,omitempty"`
	// Groups maps a unit code to its agglomeration (dataset input) or to
	// its first group (table input).
	Groups  map[string]string `json:"groups,omitempty"`
	Methods []LevelMethods    `json:"methods"`
	// Notes tell what the reader must know about the result: aggregates
	// built from fewer indicators than the framework lists because some
	// have no data.
	Notes []i18n.Text `json:"notes,omitempty"`
	// Input is what the index was built from.
	Input *IndexInput `json:"-"`
}

// PrepareIndex assembles the framework, table and options of req.
func PrepareIndex(ds *dataset.Dataset, req IndexRequest) (*IndexInput, error) {
	fw := req.Framework
	if fw == nil {
		return nil, fieldError(FieldFramework, i18n.Errorf("没有指定框架", "no framework given"))
	}
	if err := fw.Validate(); err != nil {
		return nil, fieldError(FieldFramework, err)
	}
	in := &IndexInput{Framework: fw, Period: req.Period}
	if req.Table != nil {
		in.Data, in.Level = req.Table, dataset.LevelUnit
		if y, err := strconv.Atoi(req.Period); err == nil {
			in.Year = y
		}
	} else {
		if ds == nil {
			return nil, fieldError(FieldDataset, i18n.Errorf("没有数据", "no data given"))
		}
		d, u, err := frameworkData(ds, fw, req)
		if err != nil {
			return nil, err
		}
		in.Data, in.Year, in.Level = d, u.Year, u.Level
	}
	base := fw.Steps
	if req.Steps != nil {
		base = *req.Steps
	}
	steps := req.Overrides.Apply(base, fw.NumLevels())
	in.Options = composite.Options{Steps: &steps, Weights: req.Weights}
	return in, nil
}

// frameworkData takes the framework's indicators from the dataset's
// cross-section, with each unit's agglomeration as its group.
func frameworkData(ds *dataset.Dataset, fw *composite.Framework, req IndexRequest) (*composite.Data, *Units, error) {
	codes := make([]string, len(fw.Indicators))
	var missing []string
	for i, ind := range fw.Indicators {
		codes[i] = ind.Code
		if _, ok := ds.IndicatorIndex(ind.Code); !ok {
			missing = append(missing, ind.Code)
		}
	}
	if len(missing) > 0 {
		var zh, en []string
		for _, c := range missing {
			zh, en = append(zh, fw.Name(c, i18n.ZH)), append(en, fw.Name(c, i18n.EN))
		}
		return nil, nil, fieldError(FieldFramework, i18n.Errorf("框架“%[1]s”的 %[3]d 个指标中有 %[4]d 个不在数据中：%[5]s。请上传含这些指标的数据，或选择其他框架",
			"the data lack %[4]d of the %[3]d indicators of the framework “%[2]s”: %[6]s. Upload data with them, or choose another framework",
			fw.NameZH, fw.NameEN, len(fw.Indicators), len(missing), strings.Join(zh, "、"), strings.Join(en, ", ")))
	}
	u, err := CrossSection(ds, Selection{Indicators: codes, Year: req.Year, Level: req.Level, Lang: req.Lang})
	if err != nil {
		field := FieldYear
		if req.Level != "" {
			field = FieldLevel
		}
		return nil, nil, fieldError(field, err)
	}
	groups, aggs := AgglomerationGroups(ds, u.Codes, u.Level)
	// Denominators are read for the units the indicators chose.
	cols := slices.Clone(u.Indicators)
	values := slices.Clone(u.Values)
	for _, ind := range fw.Indicators {
		if ind.Denominator == "" || slices.Contains(cols, ind.Denominator) {
			continue
		}
		if _, ok := ds.IndicatorIndex(ind.Denominator); !ok {
			return nil, nil, fieldError(FieldFramework, i18n.Errorf("指标 %s 的分母 %s 不在数据中", "the denominator %[2]s of indicator %[1]s is not in the data", ind.Code, ind.Denominator))
		}
		cols = append(cols, ind.Denominator)
		values = append(values, staticColumn(ds, u.Codes, ind.Denominator, u.Year))
	}
	d := &composite.Data{Indicators: cols, Values: make([][]float64, len(u.Codes))}
	for i, c := range u.Codes {
		unit := composite.Unit{Code: c, Name: u.Names[i]}
		if groups[i] >= 0 {
			unit.Groups = map[string]string{GroupAgglomeration: aggs[groups[i]]}
		}
		d.Units = append(d.Units, unit)
		d.Values[i] = make([]float64, len(cols))
		for k := range cols {
			d.Values[i][k] = values[k][i]
		}
	}
	return d, u, nil
}

// Index builds the composite index of req.
func Index(ctx context.Context, ds *dataset.Dataset, req IndexRequest) (*IndexResult, error) {
	in, err := PrepareIndex(ds, req)
	if err != nil {
		return nil, err
	}
	return in.build(ctx)
}

func (in *IndexInput) build(ctx context.Context) (*IndexResult, error) {
	res, err := composite.Build(ctx, in.Framework, in.Data, in.Options)
	if err != nil {
		if ctx.Err() != nil {
			return nil, err
		}
		return nil, fieldError(FieldSteps, err)
	}
	if !slices.ContainsFunc(res.Units, func(u composite.UnitResult) bool { return u.Rank > 0 }) {
		return nil, noIndexedUnits(in, res.Units)
	}
	out := &IndexResult{Result: res, Year: in.Year, Period: in.Period, Level: in.Level, Groups: map[string]string{}, Input: in,
		Notes: coverageNotes(in.Framework, in.Data, in.Year)}
	for _, u := range in.Data.Units {
		if g := u.Groups[GroupAgglomeration]; g != "" {
			out.Groups[u.Code] = g
		} else if len(u.Groups) > 0 {
			out.Groups[u.Code] = firstGroup(u.Groups)
		}
	}
	if len(out.Groups) == 0 {
		out.Groups = nil
	}
	for _, ls := range res.Spec.Levels {
		out.Methods = append(out.Methods, LevelMethods{Level: ls.Level, Nodes: in.Framework.LevelCodes(ls.Level), Weights: ls.Weights, Aggregation: ls.Aggregation})
	}
	return out, nil
}

// noIndexedUnits is the error of an index that no unit of the data gets
// (too few units with values, or none that differ): it names the units,
// the level and the year.
func noIndexedUnits(in *IndexInput, units []composite.UnitResult) error {
	const listed = 5
	var zh, en []string
	for i, u := range units {
		if i == listed {
			zh, en = append(zh, "……"), append(en, "...")
			break
		}
		zh, en = append(zh, u.Name), append(en, u.Name)
	}
	lv := in.Level.Text()
	fw := in.Framework
	return noUnitsError(i18n.Tf("框架“%[1]s”的指数在 %[3]d 年没有一个单元能算出：%[4]d 个%[5]s单元（%[7]s）中没有至少两个在指标上有数值且数值不同的单元",
		"no unit gets the index of the framework “%[2]s” in %[3]d: among the %[4]d units (%[6]s: %[8]s) no two have values of the indicators that differ",
		fw.NameZH, fw.NameEN, in.Year, len(units), lv.ZH, lv.EN, strings.Join(zh, "、"), strings.Join(en, ", ")))
}

// firstGroup is the value of the alphabetically first grouping.
func firstGroup(g map[string]string) string {
	name := ""
	for k := range g {
		if name == "" || k < name {
			name = k
		}
	}
	return g[name]
}

// Name returns the name of the framework node code in lang.
func (r *IndexResult) Name(code, lang string) string { return r.Input.Framework.Name(code, lang) }

// AuditRequest asks for the statistical audit of an index.
type AuditRequest struct {
	Index IndexRequest
	// Top is the number of strengths and weaknesses per unit (0: 3).
	Top int
}

// AuditResult is the audit of an index (COINr-style statistics,
// correlations, Cronbach's alpha, PCA, strengths and weaknesses) with the
// cross-section it was computed on.
type AuditResult struct {
	*composite.AuditReport
	Year   int           `json:"year"`
	Period string        `json:"period,omitempty"`
	Level  dataset.Level `json:"level,omitempty"`
	// Index is the index the audit reads.
	Index *IndexResult `json:"-"`
}

// Audit builds the index of req.Index and audits it.
func Audit(ctx context.Context, ds *dataset.Dataset, req AuditRequest) (*AuditResult, error) {
	ix, err := Index(ctx, ds, req.Index)
	if err != nil {
		return nil, err
	}
	top := req.Top
	if top <= 0 {
		top = 3
	}
	rep, err := composite.Audit(ix.Input.Framework, ix.Result.Data(), ix.Result, top)
	if err != nil {
		return nil, fieldError(FieldSteps, err)
	}
	return &AuditResult{AuditReport: rep, Year: ix.Year, Period: ix.Period, Level: ix.Level, Index: ix}, nil
}
