package server

import (
	"net/http"
	"strconv"
	"strings"
)

// operation describes one API route for the OpenAPI document.
type operation struct {
	method, path, summary string
	query                 []string // query parameter names
	body                  string   // request media type, "" for none
	ok                    int      // success status
	okType                string   // success media type ("" = JSON)
	errors                []int
}

// operations lists every API route. TestOpenAPIMatchesRoutes checks it
// against the routes registered in apiRoutes.
func operations() []operation {
	std := []int{400, 404, 500}
	w := []int{400, 401, 403, 404, 415, 422, 500}
	return []operation{
		{"GET", "/api/v1/openapi.json", "This OpenAPI document", nil, "", 200, "", nil},
		{"GET", "/api/v1/status", "Version, schema, whether writes need a token, available capabilities", nil, "", 200, "", nil},
		{"GET", "/api/v1/agglomerations", "The agglomerations analyses cover (the paper's five by default; all=true lists every one) with code, name_zh, name_en, members", []string{"dataset", "all", "lang"}, "", 200, "", std},
		{"GET", "/api/v1/agglomerations/{code}", "An agglomeration's profile: figures with rank among the five, members' figures", []string{"dataset", "lang"}, "", 200, "", std},
		{"GET", "/api/v1/regions", "Regions of the dataset, or of the registry at a level", []string{"dataset", "level", "lang"}, "", 200, "", std},
		{"GET", "/api/v1/regions/{code}", "A region with its observations and provenance", []string{"dataset", "lang"}, "", 200, "", std},
		{"GET", "/api/v1/indicators", "Indicators of the dataset", []string{"dataset", "lang"}, "", 200, "", std},
		{"GET", "/api/v1/observations", "A region × indicator table (compare view); format=xlsx exports it", []string{"dataset", "indicators", "regions", "members", "year", "format", "lang"}, "", 200, "", std},
		{"GET", "/api/v1/datasets", "Datasets: the embedded paper data and uploads", nil, "", 200, "", std},
		{"POST", "/api/v1/datasets", "Upload a CSV or XLSX file (multipart field file, optional name), parsed as it arrives and stored in agglo's binary columnar form; 422 lists located problems, 413 names the limit (--max-upload-mb, --max-rows, --max-cells), 507 the workspace quota", nil, "multipart/form-data", 201, "", append(w, 413, 503, 507)},
		{"GET", "/api/v1/datasets/{id}", "A dataset's record", nil, "", 200, "", std},
		{"DELETE", "/api/v1/datasets/{id}", "Delete an uploaded dataset", nil, "", 204, "", w},
		{"GET", "/api/v1/datasets/{id}/export", "Export a dataset as csv, xlsx or json", []string{"format"}, "", 200, "application/octet-stream", std},
		{"GET", "/api/v1/replication", "The paper's checkable numbers and claims against agglo's computation", []string{"dataset", "lang"}, "", 200, "", std},
		{"GET", "/api/v1/measures", "Inequality and concentration of an indicator within and across agglomerations", []string{"dataset", "indicator", "year", "level", "lang"}, "", 200, "", std},
		{"GET", "/api/v1/measures/{method}", "One regional measure, as agglo measure METHOD computes it (gini, cv, williamson, theil, theil-l, atkinson, primacy, hhi, top-share, rank-size, similarity, krugman, lq, gravity, coupling, dea, all, dagum, gini-sources, kernel, convergence, moran, geary, lisa, getis-ord, network, obstacle); the parameters are the command's flags, flows the text of a from,to,value table",
			[]string{"dataset", "indicator", "indicators", "weight", "group", "year", "exponent", "top", "threshold", "orientation", "returns", "inputs", "outputs", "sample", "panel",
				"spatial-weights", "transform", "star", "permutations", "seed", "from", "to", "controls", "robust", "epsilon", "bandwidth", "points", "flows", "mode", "resolution", "coupling",
				"framework", "normalise", "aggregate", "weights", "treat", "impute", "lang"}, "", 200, "", append(std, 422)},
		{"GET", "/api/v1/frameworks", "Composite-index frameworks: built-in and stored", nil, "", 200, "", std},
		{"POST", "/api/v1/frameworks", "Store a framework (YAML body)", nil, "application/yaml", 201, "", append(w, 409, 413)},
		{"GET", "/api/v1/frameworks/{code}", "A framework's hierarchy and steps", nil, "", 200, "", std},
		{"DELETE", "/api/v1/frameworks/{code}", "Delete a stored framework", nil, "", 204, "", w},
		{"POST", "/api/v1/composite", "Build a composite index: scores and ranks, the year and the methods used at each level (framework and dataset, or COINr tables)", []string{"lang"}, "application/json", 200, "", append(w, 413)},
		{"POST", "/api/v1/composite/audit", "Statistical audit of a composite index", []string{"lang"}, "application/json", 200, "", append(w, 413)},
		{"POST", "/api/v1/uncertainty", "Start an uncertainty analysis job (202 with the job)", []string{"lang"}, "application/json", 202, "", append(w, 413, 429)},
		{"GET", "/api/v1/uncertainty/{id}", "Poll a job: state, progress, result", []string{"lang"}, "", 200, "", std},
		{"GET", "/api/v1/uncertainty/{id}/events", "Server-sent events of a job's progress", []string{"lang"}, "", 200, "text/event-stream", std},
		{"DELETE", "/api/v1/uncertainty/{id}", "Cancel a job", nil, "", 200, "", w},
		{"GET", "/api/v1/diagnosis", "Innovation modes, problems and stage with their evidence", []string{"dataset", "agglomeration", "lang"}, "", 200, "", std},
		{"GET", "/api/v1/agglomeration-sets", "User-defined agglomeration sets of the workspace (added to the 19 built-in agglomerations)", nil, "", 200, "", std},
		{"POST", "/api/v1/agglomeration-sets", "Store an agglomeration set: a CSV or YAML membership file (multipart field file, or the body with ?name= and ?file_name=); 422 lists located problems", []string{"name", "file_name"}, "multipart/form-data", 201, "", append(w, 409, 413)},
		{"GET", "/api/v1/agglomeration-sets/{name}", "A stored agglomeration set with its agglomerations", []string{"lang"}, "", 200, "", std},
		{"DELETE", "/api/v1/agglomeration-sets/{name}", "Delete an agglomeration set", nil, "", 204, "", w},
		{"GET", "/api/v1/rulebooks", "Stored strategy rulebooks", nil, "", 200, "", std},
		{"POST", "/api/v1/rulebooks", "Store a rulebook (YAML body, ?name=)", []string{"name"}, "application/yaml", 201, "", append(w, 409)},
		{"GET", "/api/v1/rulebooks/{name}", "A stored rulebook", nil, "", 200, "", std},
		{"DELETE", "/api/v1/rulebooks/{name}", "Delete a stored rulebook", nil, "", 204, "", w},
		{"POST", "/api/v1/strategy", "Recommended modes and strategies for a scenario, with reasons", []string{"lang"}, "application/json", 200, "", w},
		{"GET", "/api/v1/report", "The report as html, md, json or xlsx", []string{"dataset", "format", "download", "lang"}, "", 200, "application/octet-stream", std},
		{"GET", "/api/v1/analyses", "Saved analyses", nil, "", 200, "", std},
		{"GET", "/api/v1/analyses/{id}", "A saved analysis with parameters and result", nil, "", 200, "", std},
		{"DELETE", "/api/v1/analyses/{id}", "Delete a saved analysis", nil, "", 204, "", w},
	}
}

// openAPIDocument builds the OpenAPI 3 document from operations.
func openAPIDocument(version string) map[string]any {
	errSchema := map[string]any{"$ref": "#/components/schemas/Error"}
	paths := map[string]map[string]any{}
	for _, op := range operations() {
		params := []any{}
		for _, seg := range strings.Split(op.path, "/") {
			if strings.HasPrefix(seg, "{") {
				params = append(params, map[string]any{"name": strings.Trim(seg, "{}"), "in": "path", "required": true, "schema": map[string]string{"type": "string"}})
			}
		}
		for _, q := range op.query {
			params = append(params, map[string]any{"name": q, "in": "query", "required": false, "schema": map[string]string{"type": "string"}})
		}
		okType := op.okType
		if okType == "" {
			okType = "application/json"
		}
		responses := map[string]any{}
		if op.ok == http.StatusNoContent {
			responses["204"] = map[string]any{"description": "No content"}
		} else {
			responses[itoa(op.ok)] = map[string]any{"description": http.StatusText(op.ok), "content": map[string]any{okType: map[string]any{}}}
		}
		for _, e := range op.errors {
			responses[itoa(e)] = map[string]any{"description": http.StatusText(e), "content": map[string]any{"application/json": map[string]any{"schema": errSchema}}}
		}
		o := map[string]any{"summary": op.summary, "operationId": strings.ToLower(op.method) + strings.NewReplacer("/api/v1", "", "/", "_", "{", "", "}", "", ".", "_").Replace(op.path),
			"parameters": params, "responses": responses}
		if op.body != "" {
			media := map[string]any{}
			if name, ok := bodySchemas[op.path]; ok {
				media["schema"] = map[string]any{"$ref": "#/components/schemas/" + name}
			}
			o["requestBody"] = map[string]any{"required": true, "content": map[string]any{op.body: media}}
		}
		if isWrite(op.method) {
			o["security"] = []any{map[string]any{"bearer": []string{}}, map[string]any{"token": []string{}}}
		}
		if paths[op.path] == nil {
			paths[op.path] = map[string]any{}
		}
		paths[op.path][strings.ToLower(op.method)] = o
	}
	schemas := requestSchemas()
	schemas["Error"] = errorSchema()
	return map[string]any{
		"openapi": "3.0.3",
		"info": map[string]any{"title": "agglo API", "version": version,
			"description": "Innovation analysis of China's five urban agglomerations. Writes need the token when the server has one. Messages follow ?lang= or Accept-Language (zh, en)."},
		"servers": []any{map[string]string{"url": "/"}},
		"paths":   paths,
		"components": map[string]any{
			"securitySchemes": map[string]any{
				"bearer": map[string]string{"type": "http", "scheme": "bearer"},
				"token":  map[string]string{"type": "apiKey", "in": "header", "name": "X-Agglo-Token"},
			},
			"schemas": schemas,
		},
	}
}

func errorSchema() map[string]any {
	return map[string]any{"type": "object", "required": []string{"error"}, "properties": map[string]any{
		"error": map[string]any{"type": "object", "required": []string{"code", "message", "field"}, "properties": map[string]any{
			"code": map[string]string{"type": "string"}, "message": map[string]string{"type": "string"}, "field": map[string]string{"type": "string"},
			"issues": map[string]any{"type": "array", "items": map[string]any{"type": "object"}},
		}},
	}}
}

func itoa(n int) string { return strconv.Itoa(n) }

func (s *Server) openAPI(w http.ResponseWriter, r *http.Request) {
	s.ok(w, openAPIDocument(s.cfg.Version))
}
