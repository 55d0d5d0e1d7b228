package server

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"agglo/internal/analysis"
	"agglo/internal/dataset"
)

type measuresJSON struct {
	Dataset string `json:"dataset"`
	*analysis.AgglomerationMeasures
}

// measures answers GET /api/v1/measures: the inequality and concentration
// of an indicator within and across the agglomerations.
func (s *Server) measures(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	code := q.Get("indicator")
	if code == "" {
		s.fail(w, r, badRequest("indicator", "请用 indicator=代码 选择指标", "choose an indicator with indicator=code"))
		return
	}
	level := dataset.Level(q.Get("level"))
	if level != "" && level != dataset.LevelProvince && level != dataset.LevelCity {
		s.fail(w, r, badRequest("level", "level 只能是 province 或 city", "level must be province or city"))
		return
	}
	year, err := yearParam(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var out measuresJSON
	err = s.withDataset(r.Context(), q.Get("dataset"), func(ds *dataset.Dataset, info DatasetInfo) error {
		res, err := analysis.MeasureAgglomerations(ds, analysis.AgglomerationMeasuresRequest{Indicator: code, Year: year, Level: level, Lang: lang(r)})
		if err != nil {
			return analysisError(err, "indicator", nil)
		}
		out = measuresJSON{Dataset: info.ID, AgglomerationMeasures: res}
		return nil
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.ok(w, out)
}

type measureJSON struct {
	Dataset string `json:"dataset"`
	*analysis.MeasureResult
	// MethodName and KeyNames name the method and the keys of stats,
	// groups' measures and units' values in the request's language.
	MethodName string            `json:"method_name"`
	KeyNames   map[string]string `json:"key_names"`
	// FormulaText states the formula for a reader in the request's
	// language ("" where only Formula has it).
	FormulaText string `json:"formula_text"`
}

// measureNames names res's method and every key it uses in l.
func measureNames(res *analysis.MeasureResult, l string) (string, map[string]string) {
	keys := map[string]string{}
	add := func(m map[string]analysis.Num) {
		for k := range m {
			keys[k] = analysis.MeasureKeyName(k).In(l)
		}
	}
	add(res.Stats)
	for _, g := range res.Groups {
		add(g.Measures)
	}
	for _, u := range res.Units {
		add(u.Values)
	}
	return analysis.MeasureName(res.Method).In(l), keys
}

// measureRequest reads the query of GET /api/v1/measures/{method}; its
// parameters are the flags of agglo measure (flows holds the text of a
// from,to,value table; framework and the step parameters normalise,
// aggregate, weights, treat and impute choose the index of obstacle).
func (s *Server) measureRequest(r *http.Request) (analysis.MeasureRequest, error) {
	q := r.URL.Query()
	req := analysis.MeasureRequest{Indicator: q.Get("indicator"), Weight: q.Get("weight"), Group: q.Get("group"), Lang: lang(r)}
	var err error
	// A code named twice in a list would only repeat a column: refusing it
	// also bounds each list by the dataset's indicators, so that a long
	// query cannot make a cross-section (units × columns) of any size.
	for _, l := range []struct {
		name string
		dst  *[]string
	}{{"indicators", &req.Indicators}, {"inputs", &req.Inputs}, {"outputs", &req.Outputs}, {"controls", &req.Controls}} {
		if *l.dst, err = codeList(q.Get(l.name), l.name); err != nil {
			return req, err
		}
	}
	if req.Method, err = analysis.ParseMeasureMethod(r.PathValue("method")); err != nil {
		return req, requestError(http.StatusNotFound, "method", err)
	}
	if req.Year, err = yearParam(r); err != nil {
		return req, err
	}
	if req.Top, err = intParam(r, "top", 0, 0, 1_000_000); err != nil {
		return req, err
	}
	floatParam := func(name string, def, lo, hi float64) (float64, error) {
		v := q.Get(name)
		if v == "" {
			return def, nil
		}
		f, err := strconv.ParseFloat(v, 64)
		if err != nil || !(f >= lo && f <= hi) {
			return 0, badRequest(name, "%s 须为 %g 到 %g 之间的数（收到“%s”）", "%s must be a number from %g to %g (got %q)", name, lo, hi, clip(v))
		}
		return f, nil
	}
	if v := q.Get("exponent"); v != "" {
		if req.Exponent, err = strconv.ParseFloat(v, 64); err != nil || !(req.Exponent > 0) || req.Exponent > 10 {
			return req, badRequest("exponent", "距离指数须为 0 到 10 之间的正数（收到“%s”）", "exponent must be a positive number up to 10 (got %q)", clip(v))
		}
	}
	fieldErr := func(field string, err error) error { return requestError(http.StatusBadRequest, field, err) }
	if req.Threshold, err = analysis.ParseThreshold(q.Get("threshold")); err != nil {
		return req, fieldErr("threshold", err)
	}
	if req.DEA.Orientation, err = analysis.ParseOrientation(q.Get("orientation")); err != nil {
		return req, fieldErr("orientation", err)
	}
	if req.DEA.Returns, err = analysis.ParseReturns(q.Get("returns")); err != nil {
		return req, fieldErr("returns", err)
	}
	if req.Sample, err = boolParam(r, "sample"); err != nil {
		return req, err
	}
	if req.Panel, err = boolParam(r, "panel"); err != nil {
		return req, err
	}
	if req.SpatialWeights, err = analysis.ParseSpatialWeights(q.Get("spatial-weights")); err != nil {
		return req, fieldErr("spatial-weights", err)
	}
	if req.SpatialWeights.Transform, err = analysis.ParseTransform(q.Get("transform")); err != nil {
		return req, fieldErr("transform", err)
	}
	if req.Star, err = boolParam(r, "star"); err != nil {
		return req, err
	}
	perms := q.Get("permutations")
	if perms == "" {
		perms = "999"
	}
	if req.Permutations, err = analysis.ParsePermutations(perms); err != nil {
		return req, fieldErr("permutations", err)
	}
	seed, err := intParam(r, "seed", 1, 0, 1<<31-1)
	if err != nil {
		return req, err
	}
	req.Seed = uint64(seed)
	if req.From, err = intParam(r, "from", 0, 0, 9999); err != nil {
		return req, err
	}
	if req.To, err = intParam(r, "to", 0, 0, 9999); err != nil {
		return req, err
	}
	if req.Robust, err = boolParam(r, "robust"); err != nil {
		return req, err
	}
	if req.Epsilon, err = analysis.ParseEpsilon(q.Get("epsilon")); err != nil {
		return req, fieldErr("epsilon", err)
	}
	if req.Bandwidth, err = floatParam("bandwidth", 0, 0, 1e300); err != nil {
		return req, err
	}
	if req.Points, err = intParam(r, "points", 0, 2, analysis.MaxDensityPoints); err != nil {
		return req, err
	}
	if req.Mode, err = analysis.ParseNetworkMode(q.Get("mode")); err != nil {
		return req, fieldErr("mode", err)
	}
	if req.Coupling, err = analysis.ParseCoupling(q.Get("coupling")); err != nil {
		return req, fieldErr("coupling", err)
	}
	if req.Resolution, err = floatParam("resolution", 1, 1e-9, analysis.MaxResolution); err != nil {
		return req, err
	}
	if v := q.Get("flows"); v != "" {
		if req.Flows, err = analysis.ParseFlows(strings.NewReader(v), "flows"); err != nil {
			return req, fieldErr("flows", err)
		}
	}
	if req.Method == "obstacle" {
		ov, err := analysis.ParseOverrides(analysis.OverrideText{Normalisation: q.Get("normalise"), Aggregation: q.Get("aggregate"),
			Weights: q.Get("weights"), Treatment: q.Get("treat"), Imputation: q.Get("impute")})
		if err != nil {
			var oe *analysis.OverrideError
			field := ""
			if errors.As(err, &oe) {
				field = overrideParams[oe.Step]
			}
			return req, fieldErr(field, err)
		}
		fw, _, err := s.framework(r.Context(), q.Get("framework"))
		if err != nil {
			return req, err
		}
		req.Index = &analysis.IndexRequest{Framework: fw, Year: req.Year, Overrides: ov, Lang: req.Lang}
	}
	return req, nil
}

// overrideParams names the query parameter of each step of obstacle's
// index, as agglo measure names its flags.
var overrideParams = map[analysis.Step]string{
	analysis.StepImputation: "impute", analysis.StepTreatment: "treat", analysis.StepNormalisation: "normalise",
	analysis.StepWeights: "weights", analysis.StepAggregation: "aggregate",
}

// measure answers GET /api/v1/measures/{method}: one method of the
// regional-measures library, as agglo measure METHOD computes it.
func (s *Server) measure(w http.ResponseWriter, r *http.Request) {
	req, err := s.measureRequest(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var out measureJSON
	err = s.withDataset(r.Context(), r.URL.Query().Get("dataset"), func(ds *dataset.Dataset, info DatasetInfo) error {
		res, err := safeRun(func() (*analysis.MeasureResult, error) { return analysis.MeasureContext(r.Context(), ds, req) })
		if err != nil {
			return analysisError(err, "indicator", nil)
		}
		out = measureJSON{Dataset: info.ID, MeasureResult: res}
		out.MethodName, out.KeyNames = measureNames(res, req.Lang)
		out.FormulaText = analysis.MeasureFormula(res.Method).In(req.Lang)
		return nil
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.ok(w, out)
}

// codeList splits the comma-separated codes of query parameter name,
// refusing a code named twice.
func codeList(v, name string) ([]string, error) {
	list := splitList(v)
	seen := make(map[string]bool, len(list))
	for _, c := range list {
		if seen[c] {
			return nil, badRequest(name, "%s 中“%s”出现了不止一次", "%s names %q more than once", name, clip(c))
		}
		seen[c] = true
	}
	return list, nil
}
