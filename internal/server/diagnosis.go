package server

import (
	"net/http"

	"agglo/internal/analysis"
	"agglo/internal/dataset"
)

type diagnosisJSON struct {
	Dataset string                    `json:"dataset"`
	Result  *analysis.DiagnosisResult `json:"result"`
}

// diagnosis answers GET /api/v1/diagnosis: modes, problems and stage of
// the agglomerations (or of ?agglomeration=), with their evidence and the
// names of every label.
func (s *Server) diagnosis(w http.ResponseWriter, r *http.Request) {
	var out diagnosisJSON
	err := s.withDataset(r.Context(), r.URL.Query().Get("dataset"), func(ds *dataset.Dataset, info DatasetInfo) error {
		res, err := safeRun(func() (*analysis.DiagnosisResult, error) {
			return analysis.Diagnose(ds, analysis.DiagnosisRequest{Agglomeration: r.URL.Query().Get("agglomeration")})
		})
		if err != nil {
			return analysisError(err, "dataset", nil)
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
