package server

import (
	"net/http"
	"sort"
	"strings"
)

// apiRoutes registers every route of the JSON API with the query
// parameters its handler reads: a handler sees only those (and lang), and
// the OpenAPI document (openapi.json) lists them; a test keeps the routes
// and the document in step. A cached route keys its answers by them (see
// cached).
func (s *Server) apiRoutes(mux *http.ServeMux) {
	handle := func(pattern string, query []string, h http.HandlerFunc) {
		s.routes = append(s.routes, pattern)
		s.query[pattern] = query
		mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) { h(w, withQuery(r, query)) })
	}
	cache := func(pattern string, query []string, h http.HandlerFunc) { handle(pattern, query, s.cached(h)) }
	// dsParam is the one query parameter of routes that read only a
	// dataset; measureParams are those of measureRequest.
	dsParam := []string{"dataset"}
	measureParams := []string{"dataset", "indicator", "indicators", "weight", "group", "inputs", "outputs", "year", "top",
		"exponent", "threshold", "orientation", "returns", "sample", "panel",
		"controls", "coupling", "epsilon", "flows", "framework", "mode", "spatial-weights", "transform", "permutations", "seed",
		"star", "from", "to", "robust", "bandwidth", "points", "resolution", "normalise", "aggregate", "weights", "treat", "impute"}
	handle("GET /api/v1/openapi.json", nil, s.openAPI)
	handle("GET /api/v1/status", nil, s.status)

	cache("GET /api/v1/agglomerations", []string{"dataset", "all"}, s.listAgglomerations)
	cache("GET /api/v1/agglomerations/{code}", dsParam, s.showAgglomeration)
	cache("GET /api/v1/regions", []string{"dataset", "level"}, s.listRegions)
	cache("GET /api/v1/regions/{code}", dsParam, s.showRegion)
	cache("GET /api/v1/indicators", dsParam, s.listIndicators)
	cache("GET /api/v1/observations", []string{"dataset", "format", "year", "regions", "members", "indicators"}, s.observations)

	handle("GET /api/v1/datasets", nil, s.listDatasets)
	handle("POST /api/v1/datasets", nil, s.createDataset)
	handle("GET /api/v1/datasets/{id}", nil, s.showDataset)
	handle("DELETE /api/v1/datasets/{id}", nil, s.deleteDataset)
	handle("GET /api/v1/datasets/{id}/export", []string{"format"}, s.exportDataset)

	cache("GET /api/v1/replication", dsParam, s.replication)
	cache("GET /api/v1/measures", []string{"dataset", "indicator", "level", "year"}, s.measures)
	cache("GET /api/v1/measures/{method}", measureParams, s.measure)

	handle("GET /api/v1/frameworks", nil, s.listFrameworks)
	handle("POST /api/v1/frameworks", nil, s.createFramework)
	handle("GET /api/v1/frameworks/{code}", nil, s.showFramework)
	handle("DELETE /api/v1/frameworks/{code}", nil, s.deleteFramework)
	handle("POST /api/v1/composite", nil, s.runComposite)
	handle("POST /api/v1/composite/audit", nil, s.runAudit)

	handle("POST /api/v1/uncertainty", nil, s.startUncertainty)
	handle("GET /api/v1/uncertainty/{id}", nil, s.showUncertainty)
	handle("GET /api/v1/uncertainty/{id}/events", nil, s.uncertaintyEvents)
	handle("DELETE /api/v1/uncertainty/{id}", nil, s.cancelUncertainty)

	cache("GET /api/v1/diagnosis", []string{"dataset", "agglomeration"}, s.diagnosis)
	handle("GET /api/v1/agglomeration-sets", nil, s.listAgglomerationSets)
	handle("POST /api/v1/agglomeration-sets", []string{"name", "file_name"}, s.createAgglomerationSet)
	handle("GET /api/v1/agglomeration-sets/{name}", nil, s.showAgglomerationSet)
	handle("DELETE /api/v1/agglomeration-sets/{name}", nil, s.deleteAgglomerationSet)
	handle("GET /api/v1/rulebooks", nil, s.listRulebooks)
	handle("POST /api/v1/rulebooks", []string{"name"}, s.createRulebook)
	handle("GET /api/v1/rulebooks/{name}", nil, s.showRulebook)
	handle("DELETE /api/v1/rulebooks/{name}", nil, s.deleteRulebook)
	handle("POST /api/v1/strategy", nil, s.strategy)
	handle("GET /api/v1/report", []string{"dataset", "format", "download"}, s.report)

	handle("GET /api/v1/analyses", nil, s.listAnalyses)
	handle("GET /api/v1/analyses/{id}", nil, s.showAnalysis)
	handle("DELETE /api/v1/analyses/{id}", nil, s.deleteAnalysis)

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
