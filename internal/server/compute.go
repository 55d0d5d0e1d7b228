package server

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"agglo/internal/composite"
	"agglo/internal/dataset"
	"agglo/internal/measure"
	"agglo/internal/replicate"
	"agglo/internal/store"
)

type replicationJSON struct {
	Dataset string            `json:"dataset"`
	Verdict replicate.Verdict `json:"verdict"`
	Claims  []replicate.Claim `json:"claims"`
}

func (s *Server) replication(w http.ResponseWriter, r *http.Request) {
	var out replicationJSON
	err := s.withDataset(r.Context(), r.URL.Query().Get("dataset"), func(ds *dataset.Dataset, info DatasetInfo) error {
		claims, err := safeRun(func() ([]replicate.Claim, error) { return replicate.Run(ds) })
		if err != nil {
			return invalidInput("dataset", err)
		}
		out = replicationJSON{Dataset: info.ID, Verdict: replicate.Summarise(claims), Claims: claims}
		return nil
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.ok(w, out)
}

// safeRun calls f, turning a panic (a computation that did not expect this
// data) into an error so that user data never crashes a request.
func safeRun[T any](f func() (T, error)) (res T, err error) {
	defer func() {
		if v := recover(); v != nil {
			err = errf(http.StatusUnprocessableEntity, codeInvalidInput, "dataset",
				"该数据集不足以完成这项计算", "this dataset cannot support this computation")
		}
	}()
	return f()
}

// ---- measures ----

type groupMeasures struct {
	Code     string   `json:"code"`
	Name     string   `json:"name"`
	Level    string   `json:"level"`
	Units    []string `json:"units"`
	Values   []num    `json:"values"`
	N        int      `json:"n"`
	Mean     num      `json:"mean"`
	Gini     num      `json:"gini"`
	CV       num      `json:"cv"`
	TheilT   num      `json:"theil_t"`
	HHI      num      `json:"hhi"`
	TopShare num      `json:"top_share"`
}

type measuresJSON struct {
	Dataset   string         `json:"dataset"`
	Indicator indicatorBrief `json:"indicator"`
	Year      int            `json:"year"`
	// Within has one entry per agglomeration: the inequality and
	// concentration of the indicator over its members.
	Within []groupMeasures `json:"within"`
	// Across is the same over the five agglomerations themselves.
	Across  groupMeasures `json:"across"`
	Methods []methodNote  `json:"methods"`
}

type methodNote struct {
	Name    string `json:"name"`
	Formula string `json:"formula"`
	Source  string `json:"source"`
}

var measureNotes = []methodNote{
	{"gini", "G = Σ_i Σ_j |x_i − x_j| / (2 n² μ)", "measure.Gini (METHODS.md §1)"},
	{"cv", "CV = σ / μ (population σ)", "measure.CV"},
	{"theil_t", "T = (1/n) Σ (x_i/μ) ln(x_i/μ)", "measure.Theil"},
	{"hhi", "HHI = Σ s_i², s_i = x_i / Σ x", "measure.HHI"},
	{"top_share", "s_max = max x_i / Σ x", "measure.TopShare(x, 1)"},
}

func measureGroup(code, name, level string, units []string, vals []float64) groupMeasures {
	g := groupMeasures{Code: code, Name: name, Level: level, Units: units, Values: make([]num, len(vals))}
	for i, v := range vals {
		g.Values[i] = num(v)
	}
	sum := measure.Inequality(vals, nil)
	g.N, g.Mean, g.Gini, g.CV, g.TheilT = sum.N, num(sum.Mean), num(sum.Gini), num(sum.CV), num(sum.TheilT)
	g.HHI = num(measure.HHI(vals))
	g.TopShare = num(math.NaN())
	if sum.N >= 1 {
		g.TopShare = num(measure.TopShare(vals, 1))
	}
	return g
}

func (s *Server) measures(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	l := lang(r)
	code := q.Get("indicator")
	if code == "" {
		s.fail(w, r, badRequest("indicator", "请用 indicator=代码 选择指标", "choose an indicator with indicator=code"))
		return
	}
	levelParam := q.Get("level")
	if levelParam != "" && levelParam != "province" && levelParam != "city" {
		s.fail(w, r, badRequest("level", "level 只能是 province 或 city", "level must be province or city"))
		return
	}
	var out measuresJSON
	err := s.withDataset(r.Context(), q.Get("dataset"), func(ds *dataset.Dataset, info DatasetInfo) error {
		ind, ok := ds.Indicator(code)
		if !ok {
			return notFound("indicator", "数据集中没有指标“%s”", "the dataset has no indicator %q", clip(code))
		}
		year, err := yearParam(r, ds)
		if err != nil {
			return err
		}
		out = measuresJSON{Dataset: info.ID, Indicator: indicatorBrief{Code: ind.Code, Name: ind.Name(l), Unit: ind.Unit}, Year: year,
			Within: []groupMeasures{}, Methods: measureNotes}
		present := func(ms []dataset.Member) ([]string, []float64) {
			var codes []string
			var vals []float64
			for _, m := range ms {
				if v, ok := ds.Value(m.Code, code, year); ok && !math.IsNaN(v) {
					codes = append(codes, m.Code)
					vals = append(vals, v)
				}
			}
			return codes, vals
		}
		for _, a := range ds.Registry.Agglomerations() {
			// Members at the level with more values: province statistics
			// (Table 3) also match the municipalities among the cities.
			cu, cv := present(a.Members)
			pu, pv := present(a.ProvinceMembers)
			level, units, vals := "city", cu, cv
			if levelParam == "province" || levelParam == "" && len(pu) > len(cu) {
				level, units, vals = "province", pu, pv
			}
			out.Within = append(out.Within, measureGroup(a.Code, a.Name(l), level, nonNil(units), vals))
		}
		var units []string
		var vals []float64
		for _, c := range dataset.AgglomerationCodes() {
			if v, ok := ds.Value(c, code, year); ok && !math.IsNaN(v) {
				units = append(units, c)
				vals = append(vals, v)
			}
		}
		out.Across = measureGroup("FIVE", map[bool]string{true: "Five agglomerations", false: "五大城市群"}[l == "en"], "agglomeration", nonNil(units), vals)
		return nil
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.ok(w, out)
}

// ---- composite index ----

// compositeRequest chooses a framework, the data and the methods of an
// index. Normalisation, Weights and Aggregation are shortcuts that replace
// the framework's methods at every level; Steps replaces them all.
type compositeRequest struct {
	Dataset       string             `json:"dataset"`
	Framework     string             `json:"framework"`
	Year          *int               `json:"year,omitempty"`
	Level         string             `json:"level,omitempty"`
	Normalisation string             `json:"normalisation,omitempty"`
	Weights       string             `json:"weights,omitempty"`
	Aggregation   string             `json:"aggregation,omitempty"`
	Steps         *composite.Steps   `json:"steps,omitempty"`
	ManualWeights map[string]float64 `json:"manual_weights,omitempty"`
	Save          bool               `json:"save,omitempty"`
}

type compositeUnit struct {
	composite.UnitResult
	Group string `json:"group,omitempty"`
}

type compositeJSON struct {
	Dataset    string            `json:"dataset"`
	Framework  frameworkBrief    `json:"framework"`
	Year       int               `json:"year"`
	Units      []compositeUnit   `json:"units"`
	Result     *composite.Result `json:"result"`
	Nodes      []nodeJSON        `json:"nodes"`
	AnalysisID int64             `json:"analysis_id,omitempty"`
}

type frameworkBrief struct {
	Code    string `json:"code"`
	Name    string `json:"name"`
	NameZH  string `json:"name_zh"`
	NameEN  string `json:"name_en"`
	Builtin bool   `json:"builtin"`
}

type nodeJSON struct {
	Code  string `json:"code"`
	Name  string `json:"name"`
	Level int    `json:"level"`
}

// framework resolves a built-in or stored framework.
func (s *Server) framework(ctx context.Context, code string) (*composite.Framework, bool, error) {
	if code == "" {
		code = "cric"
	}
	if slices.Contains(composite.BuiltinCodes(), code) {
		fw, err := composite.Builtin(code)
		return fw, true, err
	}
	rec, err := s.store.FrameworkByCode(ctx, code)
	if errors.Is(err, store.ErrNotFound) {
		return nil, false, notFound("framework", "没有框架“%s”（内置：%s）", "no framework %q (built in: %s)", clip(code), strings.Join(composite.BuiltinCodes(), ", "))
	}
	if err != nil {
		return nil, false, err
	}
	fw, err := composite.ParseFramework(strings.NewReader(rec.YAML))
	if err != nil {
		return nil, false, invalidInput("framework", err)
	}
	return fw, false, nil
}

// steps applies the request's method choices to the framework's steps.
func (req *compositeRequest) steps(fw *composite.Framework) *composite.Steps {
	if req.Steps != nil {
		return req.Steps
	}
	if req.Normalisation == "" && req.Weights == "" && req.Aggregation == "" {
		return nil
	}
	st := fw.Steps
	if req.Normalisation != "" {
		st.Normalisation = composite.Normalisation{Method: req.Normalisation}
		if req.Normalisation == composite.NormMinMax {
			st.Normalisation.Lower, st.Normalisation.Upper = 1, 100
		}
	}
	var levels []composite.LevelStep
	for l := 2; l <= fw.NumLevels(); l++ {
		ls := composite.LevelStep{Level: l}
		for _, x := range fw.Steps.Levels {
			if x.Level == l {
				ls = x
			}
		}
		if req.Weights != "" {
			ls.Weights = composite.WeightSpec{Method: req.Weights}
		}
		if req.Aggregation != "" {
			ls.Aggregation = composite.Aggregation{Method: req.Aggregation}
		}
		levels = append(levels, ls)
	}
	st.Levels = levels
	return &st
}

// compositeData builds the index input from a dataset: the regions that
// have a value of at least one framework indicator in year (of level, when
// given), grouped by agglomeration.
func compositeData(ds *dataset.Dataset, fw *composite.Framework, year int, level, l string) (*composite.Data, error) {
	d := &composite.Data{}
	for _, ind := range fw.Indicators {
		d.Indicators = append(d.Indicators, ind.Code)
	}
	if level == "" {
		level = bestLevel(ds, d.Indicators, year)
	}
	groups := map[dataset.Level]map[string]string{}
	for _, rg := range ds.Regions {
		if level != "" && string(rg.Level) != level {
			continue
		}
		row := make([]float64, len(d.Indicators))
		any := false
		for j, c := range d.Indicators {
			v, ok := ds.Value(rg.Code, c, year)
			if !ok {
				v = math.NaN()
			} else {
				any = true
			}
			row[j] = v
		}
		if !any {
			continue
		}
		if groups[rg.Level] == nil {
			groups[rg.Level] = ds.Registry.AgglomerationOf(rg.Level)
		}
		u := composite.Unit{Code: rg.Code, Name: rg.Name(l)}
		if g := groups[rg.Level][rg.Code]; g != "" {
			u.Groups = map[string]string{"agglomeration": g}
		}
		d.Units = append(d.Units, u)
		d.Values = append(d.Values, row)
	}
	if len(d.Units) < 2 {
		return nil, errf(http.StatusUnprocessableEntity, codeInvalidInput, "framework",
			"数据集在 %d 年中只有 %d 个地区有该框架的指标，至少需要 2 个", "the dataset has %[2]d region(s) with this framework's indicators in %[1]d; at least 2 are needed", year, len(d.Units))
	}
	return d, nil
}

// bestLevel is the region level with the most regions that have every
// indicator (ties: the most regions with any), so that a dataset mixing
// province and agglomeration values indexes the provinces.
func bestLevel(ds *dataset.Dataset, inds []string, year int) string {
	complete, some := map[dataset.Level]int{}, map[dataset.Level]int{}
	for _, rg := range ds.Regions {
		n := 0
		for _, c := range inds {
			if _, ok := ds.Value(rg.Code, c, year); ok {
				n++
			}
		}
		if n > 0 {
			some[rg.Level]++
		}
		if n == len(inds) {
			complete[rg.Level]++
		}
	}
	best := dataset.Level("")
	for l := range some {
		if best == "" || complete[l] > complete[best] || complete[l] == complete[best] && (some[l] > some[best] || some[l] == some[best] && l < best) {
			best = l
		}
	}
	return string(best)
}

// prepareComposite resolves the request into framework, data and options.
func (s *Server) prepareComposite(ctx context.Context, req *compositeRequest, l string) (*composite.Framework, *composite.Data, composite.Options, compositeJSON, error) {
	var out compositeJSON
	fw, builtin, err := s.framework(ctx, req.Framework)
	if err != nil {
		return nil, nil, composite.Options{}, out, err
	}
	if req.Level != "" {
		if _, ok := dataset.ParseLevel(req.Level); !ok {
			return nil, nil, composite.Options{}, out, badRequest("level", "level 取值无效“%s”", "invalid level %q", clip(req.Level))
		}
	}
	var d *composite.Data
	err = s.withDataset(ctx, req.Dataset, func(ds *dataset.Dataset, info DatasetInfo) error {
		year := latestYear(ds)
		if req.Year != nil {
			year = *req.Year
		}
		out.Dataset, out.Year = info.ID, year
		var err error
		d, err = compositeData(ds, fw, year, req.Level, l)
		return err
	})
	if err != nil {
		return nil, nil, composite.Options{}, out, err
	}
	out.Framework = frameworkBrief{Code: fw.Code, Name: pick(l, fw.NameZH, fw.NameEN), NameZH: fw.NameZH, NameEN: fw.NameEN, Builtin: builtin}
	for lv := 1; lv <= fw.NumLevels(); lv++ {
		for _, c := range fw.LevelCodes(lv) {
			out.Nodes = append(out.Nodes, nodeJSON{Code: c, Name: fw.Name(c, l), Level: lv})
		}
	}
	return fw, d, composite.Options{Steps: req.steps(fw), Weights: req.ManualWeights}, out, nil
}

func pick(l, zh, en string) string {
	if l == "en" && en != "" {
		return en
	}
	return zh
}

func (s *Server) runComposite(w http.ResponseWriter, r *http.Request) {
	var req compositeRequest
	if err := s.decodeJSON(w, r, &req); err != nil {
		s.fail(w, r, err)
		return
	}
	l := lang(r)
	fw, d, opts, out, err := s.prepareComposite(r.Context(), &req, l)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	res, err := safeRun(func() (*composite.Result, error) { return composite.Build(r.Context(), fw, d, opts) })
	if err != nil {
		s.fail(w, r, invalidInput("steps", err))
		return
	}
	out.Result = res
	for i, u := range res.Units {
		cu := compositeUnit{UnitResult: u}
		if i < len(d.Units) && d.Units[i].Code == u.Code {
			cu.Group = d.Units[i].Groups["agglomeration"]
		}
		out.Units = append(out.Units, cu)
	}
	if req.Save {
		id, err := s.save(r.Context(), "composite", out.Dataset, req, out)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		out.AnalysisID = id
	}
	s.ok(w, out)
}

func (s *Server) save(ctx context.Context, kind, ds string, params, result any) (int64, error) {
	p, err := json.Marshal(params)
	if err != nil {
		return 0, err
	}
	res, err := json.Marshal(result)
	if err != nil {
		return 0, err
	}
	a := &store.Analysis{Kind: kind, Dataset: ds, Params: p, Result: res}
	if err := s.store.CreateAnalysis(ctx, a); err != nil {
		return 0, err
	}
	return a.ID, nil
}

type auditJSON struct {
	Dataset   string                 `json:"dataset"`
	Framework frameworkBrief         `json:"framework"`
	Year      int                    `json:"year"`
	Audit     *composite.AuditReport `json:"audit"`
}

func (s *Server) runAudit(w http.ResponseWriter, r *http.Request) {
	var req compositeRequest
	if err := s.decodeJSON(w, r, &req); err != nil {
		s.fail(w, r, err)
		return
	}
	fw, d, opts, out, err := s.prepareComposite(r.Context(), &req, lang(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rep, err := safeRun(func() (*composite.AuditReport, error) {
		res, err := composite.Build(r.Context(), fw, d, opts)
		if err != nil {
			return nil, err
		}
		return composite.Audit(fw, d, res, 5)
	})
	if err != nil {
		s.fail(w, r, invalidInput("steps", err))
		return
	}
	s.ok(w, auditJSON{Dataset: out.Dataset, Framework: out.Framework, Year: out.Year, Audit: rep})
}

func parseID(v, field string) (int64, error) {
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n <= 0 {
		return 0, notFound(field, "没有编号为“%s”的记录", "no record %q", clip(v))
	}
	return n, nil
}
