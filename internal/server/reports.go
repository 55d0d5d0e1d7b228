package server

import (
	"bytes"
	"net/http"

	"agglo/internal/dataset"
	"agglo/internal/report"
)

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
	err := s.withDataset(r.Context(), orAnalysisDefault(r.URL.Query().Get("dataset")), func(ds *dataset.Dataset, info DatasetInfo) error {
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
