package server

import (
	"bytes"
	"errors"
	"net/http"
	"strings"

	"agglo/internal/dataset"
	"agglo/internal/diagnose"
	"agglo/internal/report"
	"agglo/internal/store"
	"agglo/internal/strategy"
)

// capabilities says which analyses this build offers; the dashboard shows
// a "not yet available" note for the others.
type capabilities struct {
	Diagnosis bool `json:"diagnosis"`
	Strategy  bool `json:"strategy"`
	Report    bool `json:"report"`
}

func currentCapabilities() capabilities {
	return capabilities{Diagnosis: true, Strategy: true, Report: true}
}

type diagnosisJSON struct {
	Dataset string           `json:"dataset"`
	Result  *diagnose.Result `json:"result"`
}

func (s *Server) diagnosis(w http.ResponseWriter, r *http.Request) {
	code := strings.ToUpper(r.URL.Query().Get("agglomeration"))
	var out diagnosisJSON
	err := s.withDataset(r.Context(), r.URL.Query().Get("dataset"), func(ds *dataset.Dataset, info DatasetInfo) error {
		cfg, err := diagnose.DefaultConfig()
		if err != nil {
			return err
		}
		res, err := safeRun(func() (*diagnose.Result, error) { return diagnose.Run(ds, cfg) })
		if err != nil {
			return invalidInput("dataset", err)
		}
		if code != "" {
			a, ok := res.Agglomeration(code)
			if !ok {
				return notFound("agglomeration", "没有代码为“%s”的城市群", "no agglomeration %q", clip(code))
			}
			res = &diagnose.Result{Thresholds: res.Thresholds, StageSource: res.StageSource, Agglomerations: []diagnose.Agglomeration{*a}}
		}
		out = diagnosisJSON{Dataset: info.ID, Result: res}
		return nil
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.ok(w, out)
}

// strategyRequest asks for the strategies of one agglomeration (or all)
// under a scenario, with the embedded or a stored rulebook.
type strategyRequest struct {
	Dataset       string           `json:"dataset"`
	Agglomeration string           `json:"agglomeration,omitempty"`
	Scenario      *scenarioRequest `json:"scenario,omitempty"`
	Rulebook      string           `json:"rulebook,omitempty"`
	Save          bool             `json:"save,omitempty"`
}

// scenarioRequest holds the scenario keys; omitted keys take the paper's
// baseline (domestic stable, international turbulent, resources abundant,
// stage from the diagnosis).
type scenarioRequest struct {
	Domestic      string `json:"domestic,omitempty"`
	International string `json:"international,omitempty"`
	Resources     string `json:"resources,omitempty"`
	Stage         string `json:"stage,omitempty"`
}

type strategyJSON struct {
	Dataset    string           `json:"dataset"`
	Result     *strategy.Result `json:"result"`
	AnalysisID int64            `json:"analysis_id,omitempty"`
}

func (sr *scenarioRequest) scenario() (strategy.Scenario, error) {
	if sr == nil {
		return strategy.Baseline(), nil
	}
	var parts []string
	for _, kv := range [][2]string{{"domestic", sr.Domestic}, {"international", sr.International}, {"resources", sr.Resources}, {"stage", sr.Stage}} {
		if kv[1] != "" {
			if strings.ContainsAny(kv[1], ",=") {
				return strategy.Scenario{}, badRequest("scenario."+kv[0], "情景取值无效“%s”", "invalid scenario value %q", clip(kv[1]))
			}
			parts = append(parts, kv[0]+"="+kv[1])
		}
	}
	sc, err := strategy.ParseScenario(strings.Join(parts, ","))
	if err != nil {
		return strategy.Scenario{}, invalidInput("scenario", err)
	}
	return sc, nil
}

func (s *Server) rulebook(r *http.Request, name string) (*strategy.Rulebook, error) {
	if name == "" {
		return strategy.DefaultRulebook()
	}
	rec, err := s.store.RulebookByName(r.Context(), name)
	if errors.Is(err, store.ErrNotFound) {
		return nil, notFound("rulebook", "没有规则库“%s”", "no rulebook %q", clip(name))
	}
	if err != nil {
		return nil, err
	}
	rb, err := strategy.ParseRulebook([]byte(rec.Content), rec.Name)
	if err != nil {
		return nil, invalidInput("rulebook", err)
	}
	return rb, nil
}

func (s *Server) strategy(w http.ResponseWriter, r *http.Request) {
	var req strategyRequest
	if err := s.decodeJSON(w, r, &req); err != nil {
		s.fail(w, r, err)
		return
	}
	sc, err := req.Scenario.scenario()
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rb, err := s.rulebook(r, req.Rulebook)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	code := strings.ToUpper(req.Agglomeration)
	var out strategyJSON
	err = s.withDataset(r.Context(), req.Dataset, func(ds *dataset.Dataset, info DatasetInfo) error {
		cfg, err := diagnose.DefaultConfig()
		if err != nil {
			return err
		}
		res, err := safeRun(func() (*strategy.Result, error) {
			diag, err := diagnose.Run(ds, cfg)
			if err != nil {
				return nil, err
			}
			return strategy.Recommend(diag, sc, rb)
		})
		if err != nil {
			return invalidInput("dataset", err)
		}
		if code != "" {
			var keep []strategy.Agglomeration
			for _, a := range res.Agglomerations {
				if a.Code == code {
					keep = append(keep, a)
				}
			}
			if keep == nil {
				return notFound("agglomeration", "没有代码为“%s”的城市群", "no agglomeration %q", clip(req.Agglomeration))
			}
			res.Agglomerations = keep
		}
		out = strategyJSON{Dataset: info.ID, Result: res}
		return nil
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if req.Save {
		id, err := s.save(r.Context(), "strategy", out.Dataset, req, out)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		out.AnalysisID = id
	}
	s.ok(w, out)
}

// validateRulebook checks a rulebook before it is stored: 422 lists every
// located issue.
func validateRulebook(name, text string) error {
	issues, _ := strategy.CheckRulebook([]byte(text), name)
	if len(issues) == 0 {
		return nil
	}
	ae := errf(http.StatusUnprocessableEntity, codeValidation, "rulebook", "规则库有 %d 个问题", "the rulebook has %d problem(s)", len(issues))
	for _, is := range issues {
		ae.issues = append(ae.issues, dataset.Issue{File: is.File, Row: is.Line, Col: is.Column, Column: is.Rule, Text: is.Message})
	}
	return ae
}

// report renders the paper report as html, md, json or xlsx (one sheet per
// table).
func (s *Server) report(w http.ResponseWriter, r *http.Request) {
	format := r.URL.Query().Get("format")
	if format == "" {
		format = "html"
	}
	switch format {
	case "html", "md", "json", "xlsx":
	default:
		s.fail(w, r, badRequest("format", "format 只能是 html、md、json 或 xlsx", "format must be html, md, json or xlsx"))
		return
	}
	l := lang(r)
	var buf bytes.Buffer
	id := ""
	err := s.withDataset(r.Context(), r.URL.Query().Get("dataset"), func(ds *dataset.Dataset, info DatasetInfo) error {
		id = info.ID
		rep, err := safeRun(func() (*report.Report, error) { return report.Build(r.Context(), report.Input{Data: ds, Lang: l}) })
		if err != nil {
			return invalidInput("dataset", err)
		}
		return rep.Write(&buf, format)
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	name := "agglo-report-" + id + "-" + l + "." + format
	if format == "html" {
		// The report is self-contained with inline scripts and styles.
		w.Header().Set("Content-Security-Policy", "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'")
		if r.URL.Query().Get("download") == "" {
			w.Header().Set("Content-Type", contentTypes["html"])
			_, _ = w.Write(buf.Bytes())
			return
		}
	}
	sendFile(w, name, format, buf.Bytes())
}
