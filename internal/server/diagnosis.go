package server

import (
	"net/http"

	"agglo/internal/analysis"
	"agglo/internal/dataset"
	"agglo/internal/diagnose"
)

type diagnosisJSON struct {
	Dataset string                    `json:"dataset"`
	Result  *analysis.DiagnosisResult `json:"result"`
	// MetricNames names every evidence metric of the result in the
	// request's language.
	MetricNames map[string]string `json:"metric_names"`
	// AxisNames names the axis of every finding (spatial mode, level,
	// a problem …) in the request's language.
	AxisNames map[string]string `json:"axis_names"`
}

// axisNames names the axes of the findings of res in lang.
func axisNames(res *analysis.DiagnosisResult, l string) map[string]string {
	out := map[string]string{}
	for _, a := range res.Agglomerations {
		for _, f := range a.Findings {
			out[f.Axis] = diagnose.AxisName(f.Axis).In(l)
		}
	}
	return out
}

// metricNames names the evidence metrics of res in lang, as the diagnosis
// named each piece of evidence.
func metricNames(res *analysis.DiagnosisResult, l string) map[string]string {
	out := map[string]string{}
	add := func(evs []diagnose.Evidence) {
		for _, e := range evs {
			out[e.Metric] = e.Name.In(l)
		}
	}
	for _, a := range res.Agglomerations {
		add(a.SpatialEvidence)
		add(a.LevelEvidence)
		add(a.OpennessEvidence)
		add(a.StageEvidence)
		for _, p := range a.Problems {
			add(p.Evidence)
		}
	}
	return out
}

// diagnosis answers GET /api/v1/diagnosis: modes, problems and stage of
// the agglomerations (or of ?agglomeration=), with their evidence and the
// names of every label.
func (s *Server) diagnosis(w http.ResponseWriter, r *http.Request) {
	var out diagnosisJSON
	err := s.withDataset(r.Context(), orAnalysisDefault(r.URL.Query().Get("dataset")), func(ds *dataset.Dataset, info DatasetInfo) error {
		res, err := safeRun(func() (*analysis.DiagnosisResult, error) {
			return analysis.Diagnose(ds, analysis.DiagnosisRequest{Agglomeration: r.URL.Query().Get("agglomeration")})
		})
		if err != nil {
			return analysisError(err, "dataset", nil)
		}
		out = diagnosisJSON{Dataset: info.ID, Result: res, MetricNames: metricNames(res, lang(r)), AxisNames: axisNames(res, lang(r))}
		return nil
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.ok(w, out)
}
