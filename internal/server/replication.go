package server

import (
	"net/http"

	"agglo/internal/analysis"
	"agglo/internal/dataset"
	"agglo/internal/replicate"
)

type replicationJSON struct {
	Dataset string `json:"dataset"`
	*analysis.ReplicationResult
	// UnitNames writes the claims' catalogue units in the request's
	// language; StatusNames names every status.
	UnitNames   map[string]string `json:"unit_names"`
	StatusNames map[string]string `json:"status_names"`
}

// replication answers GET /api/v1/replication: the paper's checkable
// numbers and claims against agglo's computation.
func (s *Server) replication(w http.ResponseWriter, r *http.Request) {
	var out replicationJSON
	err := s.withDataset(r.Context(), r.URL.Query().Get("dataset"), func(ds *dataset.Dataset, info DatasetInfo) error {
		res, err := safeRun(func() (*analysis.ReplicationResult, error) { return analysis.Replicate(ds) })
		if err != nil {
			return analysisError(err, "dataset", nil)
		}
		out = replicationJSON{Dataset: info.ID, ReplicationResult: res, UnitNames: map[string]string{}, StatusNames: map[string]string{}}
		for _, st := range []replicate.Status{replicate.Match, replicate.Mismatch, replicate.Mixed, replicate.Constraint, replicate.PublishedOnly, replicate.NotCheckable} {
			out.StatusNames[string(st)] = replicate.StatusName(st).In(lang(r))
		}
		for _, c := range res.Claims {
			out.UnitNames[c.Unit] = replicate.UnitText(c.Unit).In(lang(r))
		}
		return nil
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.ok(w, out)
}
