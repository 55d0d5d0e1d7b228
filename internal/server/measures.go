package server

import (
	"net/http"
	"strconv"

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
// parameters are the flags of agglo measure.
func measureRequest(r *http.Request) (analysis.MeasureRequest, error) {
	q := r.URL.Query()
	req := analysis.MeasureRequest{Indicator: q.Get("indicator"), Indicators: splitList(q.Get("indicators")), Weight: q.Get("weight"),
		Group: q.Get("group"), Inputs: splitList(q.Get("inputs")), Outputs: splitList(q.Get("outputs")), Lang: lang(r)}
	var err error
	if req.Method, err = analysis.ParseMeasureMethod(r.PathValue("method")); err != nil {
		return req, requestError(http.StatusNotFound, "method", err)
	}
	if req.Year, err = yearParam(r); err != nil {
		return req, err
	}
	if req.Top, err = intParam(r, "top", 0, 0, 1_000_000); err != nil {
		return req, err
	}
	if v := q.Get("exponent"); v != "" {
		if req.Exponent, err = strconv.ParseFloat(v, 64); err != nil || !(req.Exponent > 0) || req.Exponent > 10 {
			return req, badRequest("exponent", "exponent 须为 0 到 10 之间的正数（收到“%s”）", "exponent must be a positive number up to 10 (got %q)", clip(v))
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
	return req, nil
}

// measure answers GET /api/v1/measures/{method}: one method of the
// regional-measures library, as agglo measure METHOD computes it.
func (s *Server) measure(w http.ResponseWriter, r *http.Request) {
	req, err := measureRequest(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var out measureJSON
	err = s.withDataset(r.Context(), r.URL.Query().Get("dataset"), func(ds *dataset.Dataset, info DatasetInfo) error {
		res, err := safeRun(func() (*analysis.MeasureResult, error) { return analysis.Measure(ds, req) })
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
