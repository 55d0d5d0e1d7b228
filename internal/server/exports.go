package server

import (
	"bytes"
	"mime"
	"net/http"
	"strconv"

	"agglo/internal/dataset"
)

// exportDataset sends a dataset as csv, xlsx or json.
func (s *Server) exportDataset(w http.ResponseWriter, r *http.Request) {
	format := r.URL.Query().Get("format")
	if format == "" {
		format = "xlsx"
	}
	if format != "csv" && format != "xlsx" && format != "json" {
		s.fail(w, r, badRequest("format", "format 只能是 csv、xlsx 或 json", "format must be csv, xlsx or json"))
		return
	}
	var buf bytes.Buffer
	name := ""
	err := s.withDataset(r.Context(), r.PathValue("id"), func(ds *dataset.Dataset, info DatasetInfo) error {
		name = "agglo-dataset-" + info.ID
		switch format {
		case "csv":
			return ds.WriteCSV(&buf)
		case "json":
			return ds.WriteJSON(&buf)
		}
		return ds.WriteXLSX(&buf)
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	sendFile(w, name+"."+format, format, buf.Bytes())
}

var contentTypes = map[string]string{
	"csv":  "text/csv; charset=utf-8",
	"json": "application/json; charset=utf-8",
	"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	"md":   "text/markdown; charset=utf-8",
	"html": "text/html; charset=utf-8",
}

func sendFile(w http.ResponseWriter, name, format string, b []byte) {
	w.Header().Set("Content-Type", contentTypes[format])
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	_, _ = w.Write(b)
}
