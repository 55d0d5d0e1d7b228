package server

import (
	"net/http"
	"sort"
	"strings"
)

// apiRoutes registers every route of the JSON API. Each is also listed in
// the OpenAPI document (openapi.json); a test keeps the two in step. A
// cached route names the query parameters its handler reads (see cached).
func (s *Server) apiRoutes(mux *http.ServeMux) {
	handle := func(pattern string, h http.HandlerFunc) {
		s.routes = append(s.routes, pattern)
		mux.HandleFunc(pattern, h)
	}
	// dsParam is the one query parameter of routes that read only a
	// dataset; measureParams are those of measureRequest.
	dsParam := []string{"dataset"}
	measureParams := []string{"dataset", "indicator", "indicators", "weight", "group", "inputs", "outputs", "year", "top",
		"exponent", "threshold", "orientation", "returns", "sample", "panel",
		"controls", "coupling", "epsilon", "flows", "framework", "mode", "spatial-weights", "transform", "permutations", "seed",
		"star", "from", "to", "robust", "bandwidth", "points", "resolution", "normalise", "aggregate", "weights", "treat", "impute"}
	handle("GET /api/v1/openapi.json", s.openAPI)
	handle("GET /api/v1/status", s.status)

	handle("GET /api/v1/agglomerations", s.cached([]string{"dataset", "all"}, s.listAgglomerations))
	handle("GET /api/v1/agglomerations/{code}", s.cached(dsParam, s.showAgglomeration))
	handle("GET /api/v1/regions", s.cached([]string{"dataset", "level"}, s.listRegions))
	handle("GET /api/v1/regions/{code}", s.cached(dsParam, s.showRegion))
	handle("GET /api/v1/indicators", s.cached(dsParam, s.listIndicators))
	handle("GET /api/v1/observations", s.cached([]string{"dataset", "format", "year", "regions", "members", "indicators"}, s.observations))

	handle("GET /api/v1/datasets", s.listDatasets)
	handle("POST /api/v1/datasets", s.createDataset)
	handle("GET /api/v1/datasets/{id}", s.showDataset)
	handle("DELETE /api/v1/datasets/{id}", s.deleteDataset)
	handle("GET /api/v1/datasets/{id}/export", s.exportDataset)

	handle("GET /api/v1/replication", s.cached(dsParam, s.replication))
	handle("GET /api/v1/measures", s.cached([]string{"dataset", "indicator", "level", "year"}, s.measures))
	handle("GET /api/v1/measures/{method}", s.cached(measureParams, s.measure))

	handle("GET /api/v1/frameworks", s.listFrameworks)
	handle("POST /api/v1/frameworks", s.createFramework)
	handle("GET /api/v1/frameworks/{code}", s.showFramework)
	handle("DELETE /api/v1/frameworks/{code}", s.deleteFramework)
	handle("POST /api/v1/composite", s.runComposite)
	handle("POST /api/v1/composite/audit", s.runAudit)

	handle("POST /api/v1/uncertainty", s.startUncertainty)
	handle("GET /api/v1/uncertainty/{id}", s.showUncertainty)
	handle("GET /api/v1/uncertainty/{id}/events", s.uncertaintyEvents)
	handle("DELETE /api/v1/uncertainty/{id}", s.cancelUncertainty)

	handle("GET /api/v1/diagnosis", s.cached([]string{"dataset", "agglomeration"}, s.diagnosis))
	handle("GET /api/v1/agglomeration-sets", s.listAgglomerationSets)
	handle("POST /api/v1/agglomeration-sets", s.createAgglomerationSet)
	handle("GET /api/v1/agglomeration-sets/{name}", s.showAgglomerationSet)
	handle("DELETE /api/v1/agglomeration-sets/{name}", s.deleteAgglomerationSet)
	handle("GET /api/v1/rulebooks", s.listRulebooks)
	handle("POST /api/v1/rulebooks", s.createRulebook)
	handle("GET /api/v1/rulebooks/{name}", s.showRulebook)
	handle("DELETE /api/v1/rulebooks/{name}", s.deleteRulebook)
	handle("POST /api/v1/strategy", s.strategy)
	handle("GET /api/v1/report", s.report)

	handle("GET /api/v1/analyses", s.listAnalyses)
	handle("GET /api/v1/analyses/{id}", s.showAnalysis)
	handle("DELETE /api/v1/analyses/{id}", s.deleteAnalysis)

	// A known path with another method is a 405 naming the allowed
	// methods; anything else under /api/ is a JSON 404, not the dashboard.
	paths := http.NewServeMux()
	allowed := map[string][]string{}
	for _, p := range s.routes {
		method, path, _ := strings.Cut(p, " ")
		if _, seen := allowed[path]; !seen {
			paths.HandleFunc(path, func(http.ResponseWriter, *http.Request) {})
		}
		allowed[path] = append(allowed[path], method)
	}
	mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		if _, pattern := paths.Handler(r); pattern != "" {
			methods := append([]string(nil), allowed[pattern]...)
			sort.Strings(methods)
			w.Header().Set("Allow", strings.Join(methods, ", "))
			s.fail(w, r, errf(http.StatusMethodNotAllowed, codeMethodNotAllowed, "", "该接口不支持 %s（可用：%s）", "%s is not allowed here (allowed: %s)", r.Method, strings.Join(methods, ", ")))
			return
		}
		s.fail(w, r, notFound("", "没有这个接口：%s %s", "no such endpoint: %s %s", r.Method, clip(r.URL.Path)))
	})
}
