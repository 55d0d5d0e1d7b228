package server

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"agglo/internal/analysis"
	"agglo/internal/coinr"
	"agglo/internal/composite"
	"agglo/internal/dataset"
	"agglo/internal/i18n"
)

// compositeRequest chooses a framework, the data and the methods of an
// index. Normalisation, Weights, Aggregation, Treatment, Imputation and
// Screening are written as on the command line ("zscore:10,1",
// "geometric", "byNA:0.75") and replace the framework's methods at every
// level, Denominate switches denomination; Steps replaces them all first.
// COINr, when given, holds COINr's iData and iMeta tables (CSV text): the
// framework and the units come from them instead of framework and dataset.
type compositeRequest struct {
	Dataset       string             `json:"dataset"`
	Framework     string             `json:"framework"`
	COINr         *coinrTables       `json:"coinr,omitempty"`
	Year          *int               `json:"year,omitempty"`
	Level         string             `json:"level,omitempty"`
	Normalisation string             `json:"normalisation,omitempty"`
	Weights       string             `json:"weights,omitempty"`
	Aggregation   string             `json:"aggregation,omitempty"`
	Treatment     string             `json:"treatment,omitempty"`
	Imputation    string             `json:"imputation,omitempty"`
	Screening     string             `json:"screening,omitempty"`
	Denominate    *bool              `json:"denominate,omitempty"`
	Steps         *composite.Steps   `json:"steps,omitempty"`
	ManualWeights map[string]float64 `json:"manual_weights,omitempty"`
	Save          bool               `json:"save,omitempty"`
}

// coinrTables are COINr's input tables as CSV text.
type coinrTables struct {
	IData string `json:"idata"`
	IMeta string `json:"imeta"`
	Time  string `json:"time,omitempty"`
}

// coinrDataset names the input of a COINr request in results.
const coinrDataset = "coinr"

type compositeUnit struct {
	composite.UnitResult
	Group string `json:"group,omitempty"`
}

type nodeJSON struct {
	Code  string `json:"code"`
	Name  string `json:"name"`
	Level int    `json:"level"`
}

type compositeJSON struct {
	Dataset   string                  `json:"dataset"`
	Framework frameworkBrief          `json:"framework"`
	Year      int                     `json:"year"`
	Period    string                  `json:"period,omitempty"`
	Level     string                  `json:"level,omitempty"`
	Units     []compositeUnit         `json:"units"`
	Result    *composite.Result       `json:"result"`
	Methods   []analysis.LevelMethods `json:"methods"`
	Nodes     []nodeJSON              `json:"nodes"`
	// Notes tell what a reader must know about the result (aggregates
	// built from fewer indicators than the framework lists).
	Notes      []i18n.Text `json:"notes,omitempty"`
	AnalysisID int64       `json:"analysis_id,omitempty"`
}

// compositeFields renames the analysis's fields to the request's.
var compositeFields = map[string]string{analysis.FieldDataset: "dataset"}

// indexRequest parses req into an analysis request: the method fields
// (400 naming the field), the framework (404 when unknown) or the COINr
// tables (422 naming the table), the level.
func (s *Server) indexRequest(ctx context.Context, req *compositeRequest, l string) (analysis.IndexRequest, bool, error) {
	out := analysis.IndexRequest{Lang: l, Steps: req.Steps, Weights: req.ManualWeights}
	var err error
	text := analysis.OverrideText{Imputation: req.Imputation, Treatment: req.Treatment, Screening: req.Screening,
		Normalisation: req.Normalisation, Weights: req.Weights, Aggregation: req.Aggregation}
	if req.Denominate != nil {
		text.Denominate = strconv.FormatBool(*req.Denominate)
	}
	out.Overrides, err = analysis.ParseOverrides(text)
	if err != nil {
		var oe *analysis.OverrideError
		field := ""
		if errors.As(err, &oe) {
			field = string(oe.Step)
		}
		return out, false, requestError(http.StatusBadRequest, field, err)
	}
	if req.Year != nil {
		out.Year = *req.Year
	}
	if req.Level != "" {
		lv, ok := dataset.ParseLevel(req.Level)
		if !ok {
			return out, false, badRequest("level", "level 取值无效“%s”", "invalid level %q", clip(req.Level))
		}
		out.Level = lv
	}
	if req.COINr != nil {
		if req.Framework != "" || req.Dataset != "" {
			return out, false, badRequest("coinr", "coinr 不能与 framework 或 dataset 同用", "coinr cannot be combined with framework or dataset")
		}
		fw, tab, period, err := readCOINrTables(req.COINr)
		if err != nil {
			return out, false, err
		}
		out.Framework, out.Table, out.Period = fw, tab, period
		return out, false, nil
	}
	fw, builtin, err := s.framework(ctx, req.Framework)
	if err != nil {
		return out, false, err
	}
	out.Framework = fw
	return out, builtin, nil
}

// readCOINrTables parses COINr's tables into a framework and the table of
// the chosen Time.
func readCOINrTables(t *coinrTables) (*composite.Framework, *composite.Data, string, error) {
	meta, err := coinr.ReadIMeta(strings.NewReader(t.IMeta), "iMeta")
	if err != nil {
		return nil, nil, "", invalidInput("coinr.imeta", err)
	}
	data, err := coinr.ReadIData(strings.NewReader(t.IData), "iData", meta.GroupCodes()...)
	if err != nil {
		return nil, nil, "", invalidInput("coinr.idata", err)
	}
	fw, err := coinr.Framework(meta)
	if err != nil {
		return nil, nil, "", invalidInput("coinr.imeta", err)
	}
	tab, err := coinr.Table(data, t.Time)
	if err != nil {
		return nil, nil, "", invalidInput("coinr.time", err)
	}
	return fw, tab, coinr.Period(data, t.Time), nil
}

// withIndexData runs f on the request's dataset, or without one for COINr
// input.
func (s *Server) withIndexData(ctx context.Context, req *compositeRequest, f func(ds *dataset.Dataset, id string) error) error {
	if req.COINr != nil {
		return f(nil, coinrDataset)
	}
	return s.withDataset(ctx, req.Dataset, func(ds *dataset.Dataset, info DatasetInfo) error { return f(ds, info.ID) })
}

// compositeOf lays an index result out for the API.
func compositeOf(res *analysis.IndexResult, id string, builtin bool, l string) compositeJSON {
	fw := res.Input.Framework
	out := compositeJSON{Dataset: id, Framework: briefOf(fw, builtin, l), Year: res.Year, Period: res.Period, Level: string(res.Level),
		Result: res.Result, Methods: res.Methods, Notes: res.Notes}
	for _, u := range res.Units {
		out.Units = append(out.Units, compositeUnit{UnitResult: u, Group: res.Groups[u.Code]})
	}
	for lv := 1; lv <= fw.NumLevels(); lv++ {
		for _, c := range fw.LevelCodes(lv) {
			out.Nodes = append(out.Nodes, nodeJSON{Code: c, Name: fw.Name(c, l), Level: lv})
		}
	}
	return out
}

func (s *Server) runComposite(w http.ResponseWriter, r *http.Request) {
	var req compositeRequest
	if err := s.decodeJSON(w, r, &req); err != nil {
		s.fail(w, r, err)
		return
	}
	l := lang(r)
	ir, builtin, err := s.indexRequest(r.Context(), &req, l)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var out compositeJSON
	err = s.withIndexData(r.Context(), &req, func(ds *dataset.Dataset, id string) error {
		res, err := safeRun(func() (*analysis.IndexResult, error) { return analysis.Index(r.Context(), ds, ir) })
		if err != nil {
			return analysisError(err, "framework", compositeFields)
		}
		out = compositeOf(res, id, builtin, l)
		return nil
	})
	if err != nil {
		s.fail(w, r, err)
		return
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

// auditRequest is a composite request with the number of strengths and
// weaknesses per unit.
type auditRequest struct {
	compositeRequest
	Top int `json:"top,omitempty"`
}

type auditJSON struct {
	Dataset   string                 `json:"dataset"`
	Framework frameworkBrief         `json:"framework"`
	Year      int                    `json:"year"`
	Period    string                 `json:"period,omitempty"`
	Level     string                 `json:"level,omitempty"`
	Audit     *composite.AuditReport `json:"audit"`
}

func (s *Server) runAudit(w http.ResponseWriter, r *http.Request) {
	var req auditRequest
	if err := s.decodeJSON(w, r, &req); err != nil {
		s.fail(w, r, err)
		return
	}
	if req.Top < 0 || req.Top > 100 {
		s.fail(w, r, badRequest("top", "top 须在 0 到 100 之间", "top must lie between 0 and 100"))
		return
	}
	l := lang(r)
	ir, builtin, err := s.indexRequest(r.Context(), &req.compositeRequest, l)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var out auditJSON
	err = s.withIndexData(r.Context(), &req.compositeRequest, func(ds *dataset.Dataset, id string) error {
		rep, err := safeRun(func() (*analysis.AuditResult, error) {
			return analysis.Audit(r.Context(), ds, analysis.AuditRequest{Index: ir, Top: req.Top})
		})
		if err != nil {
			return analysisError(err, "framework", compositeFields)
		}
		out = auditJSON{Dataset: id, Framework: briefOf(rep.Index.Input.Framework, builtin, l), Year: rep.Year, Period: rep.Period, Level: string(rep.Level), Audit: rep.AuditReport}
		return nil
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.ok(w, out)
}
