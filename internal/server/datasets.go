package server

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"time"

	"agglo/internal/store"
)

// paperID is the id of the embedded paper dataset, always present and
// read-only.
const paperID = "paper"

// DatasetInfo describes a dataset in the API.
type DatasetInfo struct {
	ID           string          `json:"id"`
	Name         string          `json:"name"`
	FileName     string          `json:"file_name,omitempty"`
	Format       string          `json:"format,omitempty"`
	Size         int64           `json:"size,omitempty"`
	SHA256       string          `json:"sha256,omitempty"`
	ReadOnly     bool            `json:"read_only"`
	Regions      int             `json:"regions"`
	Indicators   int             `json:"indicators"`
	Observations int             `json:"observations"`
	Years        []int           `json:"years"`
	Notes        json.RawMessage `json:"notes"`
	CreatedAt    *time.Time      `json:"created_at,omitempty"`
}

func infoOf(d *store.Dataset) DatasetInfo {
	t := d.CreatedAt
	return DatasetInfo{ID: strconv.FormatInt(d.ID, 10), Name: d.Name, FileName: d.FileName, Format: d.Format, Size: d.Size, SHA256: d.SHA256,
		Regions: d.Regions, Indicators: d.Indicators, Observations: d.Observations, Years: d.Years, Notes: d.Notes, CreatedAt: &t}
}

func parseDatasetID(id string) (int64, error) {
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil || n <= 0 {
		return 0, notFound("dataset", "没有数据集“%s”", "no dataset %q", clip(id))
	}
	return n, nil
}

// ---- handlers ----

func (s *Server) listDatasets(w http.ResponseWriter, r *http.Request) {
	recs, err := s.store.Datasets(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := []DatasetInfo{s.data.paper.info}
	for i := range recs {
		out = append(out, infoOf(&recs[i]))
	}
	s.ok(w, out)
}

func (s *Server) showDataset(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if id == paperID {
		s.ok(w, s.data.paper.info)
		return
	}
	n, err := parseDatasetID(id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rec, err := s.store.Dataset(r.Context(), n)
	if errors.Is(err, store.ErrNotFound) {
		s.fail(w, r, notFound("id", "没有数据集“%s”", "no dataset %q", id))
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.ok(w, infoOf(rec))
}

func (s *Server) deleteDataset(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if id == paperID {
		s.fail(w, r, errf(http.StatusForbidden, codeForbidden, "id", "内置论文数据只读，不能删除", "the embedded paper dataset is read-only"))
		return
	}
	n, err := parseDatasetID(id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.store.DeleteDataset(r.Context(), n); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			err = notFound("id", "没有数据集“%s”", "no dataset %q", id)
		}
		s.fail(w, r, err)
		return
	}
	s.data.forget(n)
	s.cache.invalidate(strconv.FormatInt(n, 10))
	w.WriteHeader(http.StatusNoContent)
}

// uploadResult is the answer to a successful upload.
type uploadResult struct {
	Dataset DatasetInfo `json:"dataset"`
}

// maxFileName is the longest file name an upload may carry, in bytes (the
// limit of common file systems).
const maxFileName = 255
