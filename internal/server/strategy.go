package server

import (
	"net/http"
	"strings"

	"agglo/internal/analysis"
	"agglo/internal/dataset"
	"agglo/internal/strategy"
)

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
	Dataset    string                   `json:"dataset"`
	Result     *analysis.StrategyResult `json:"result"`
	AnalysisID int64                    `json:"analysis_id,omitempty"`
	// EvidenceText says each fact a rule read in words, keyed
	// "fact=value", in the request's language.
	EvidenceText map[string]string `json:"evidence_text"`
	// SourceText names each rule's source (its section of the paper),
	// MonitorText each indicator to monitor with its direction, keyed
	// "indicator|direction", in the request's language.
	SourceText  map[string]string `json:"source_text"`
	MonitorText map[string]string `json:"monitor_text"`
}

// evidenceText words the facts of every recommendation (and alternative)
// of res in lang.
func evidenceText(res *analysis.StrategyResult, l string) map[string]string {
	out := map[string]string{}
	for _, a := range res.Agglomerations {
		for _, list := range [][]strategy.Recommendation{a.Recommendations, a.Alternatives} {
			for _, rec := range list {
				for _, e := range rec.Evidence {
					out[e.Fact+"="+e.Value] = strategy.EvidenceText(e.Fact, e.Value).In(l)
				}
			}
		}
	}
	return out
}

// ruleTexts names the sources of the rules of res and the indicators
// their measures monitor, with the direction, in lang.
func ruleTexts(res *analysis.StrategyResult, l string) (sources, monitors map[string]string) {
	sources, monitors = map[string]string{}, map[string]string{}
	for _, a := range res.Agglomerations {
		for _, list := range [][]strategy.Recommendation{a.Recommendations, a.Alternatives} {
			for _, rec := range list {
				sources[rec.Source] = strategy.SourceText(rec.Source).In(l)
				for _, m := range rec.Measures {
					for _, mo := range m.Monitor {
						monitors[mo.Indicator+"|"+mo.Direction] = mo.Text().In(l)
					}
				}
			}
		}
	}
	return sources, monitors
}

func (sr *scenarioRequest) scenario() (strategy.Scenario, error) {
	if sr == nil {
		return analysis.BaselineScenario(), nil
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
	sc, err := analysis.ParseScenario(strings.Join(parts, ","))
	if err != nil {
		return strategy.Scenario{}, invalidInput("scenario", err)
	}
	return sc, nil
}

// strategy answers POST /api/v1/strategy: recommended modes and strategies
// with the facts behind each.
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
	var out strategyJSON
	err = s.withDataset(r.Context(), orAnalysisDefault(req.Dataset), func(ds *dataset.Dataset, info DatasetInfo) error {
		res, err := safeRun(func() (*analysis.StrategyResult, error) {
			return analysis.Strategy(ds, analysis.StrategyRequest{Diagnosis: analysis.DiagnosisRequest{Agglomeration: req.Agglomeration}, Scenario: sc, Rulebook: rb})
		})
		if err != nil {
			return analysisError(err, "dataset", nil)
		}
		out = strategyJSON{Dataset: info.ID, Result: res, EvidenceText: evidenceText(res, lang(r))}
		out.SourceText, out.MonitorText = ruleTexts(res, lang(r))
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
