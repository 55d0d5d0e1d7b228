package server

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// operation describes one API route for the OpenAPI document.
type operation struct {
	method, path, summary string
	body                  string // request media type, "" for none
	ok                    int    // success status
	okType                string // success media type ("" = JSON)
	// errors are the error statuses of the route's handler; statuses adds
	// those every route of its kind may answer.
	errors []int
	// query names the query parameters the route reads, as apiRoutes
	// declares them, and lang.
	query []string
}

// operations lists every API route with the query parameters of query
// (apiRoutes' declarations; every route also reads lang).
// TestOpenAPIMatchesRoutes checks it against the routes registered in
// apiRoutes; the server tests check that every status they provoke is
// among the route's documented ones.
func operations(query map[string][]string) []operation {
	ops := []operation{
		{"GET", "/api/v1/openapi.json", "This OpenAPI document", "", 200, "", nil, nil},
		{"GET", "/api/v1/status", "Version, schema, whether writes need a token, available capabilities", "", 200, "", nil, nil},
		{"GET", "/api/v1/agglomerations", "The agglomerations analyses cover (the paper's five by default; all=true lists every one) with code, name_zh, name_en, members", "", 200, "", nil, nil},
		{"GET", "/api/v1/agglomerations/{code}", "An agglomeration's profile: figures with rank among every agglomeration with a value, members' figures", "", 200, "", []int{404}, nil},
		{"GET", "/api/v1/regions", "Regions of the dataset, or of the registry at a level", "", 200, "", []int{400}, nil},
		{"GET", "/api/v1/regions/{code}", "A region with its observations and provenance", "", 200, "", []int{404}, nil},
		{"GET", "/api/v1/indicators", "Indicators of the dataset", "", 200, "", nil, nil},
		{"GET", "/api/v1/observations", "A region × indicator table (compare view); format=xlsx exports it", "", 200, "", []int{400, 404}, nil},
		{"GET", "/api/v1/datasets", "Datasets: the embedded paper data and uploads", "", 200, "", nil, nil},
		{"POST", "/api/v1/datasets", "Upload a CSV or XLSX file (multipart field file, optional name), parsed as it arrives and stored in agglo's binary columnar form; 422 lists located problems, 413 names the limit (--max-upload-mb, --max-rows, --max-cells, --max-regions, --max-indicators), 507 the workspace quota", "multipart/form-data", 201, "", []int{400, 413, 415, 422, 503, 507}, nil},
		{"GET", "/api/v1/datasets/{id}", "A dataset's record", "", 200, "", []int{404}, nil},
		{"DELETE", "/api/v1/datasets/{id}", "Delete an uploaded dataset", "", 204, "", []int{404}, nil},
		{"GET", "/api/v1/datasets/{id}/export", "Export a dataset as csv, xlsx or json (CSV text cells that begin with =, +, -, @, a tab or a carriage return get a leading ' so that spreadsheets do not run them as formulas; agglo reads them back without it)", "", 200, "application/octet-stream", []int{400, 404, 503}, nil},
		{"GET", "/api/v1/replication", "The paper's checkable numbers and claims against agglo's computation", "", 200, "", []int{422}, nil},
		{"GET", "/api/v1/measures", "Inequality and concentration of an indicator within and across agglomerations", "", 200, "", []int{400, 422}, nil},
		{"GET", "/api/v1/measures/{method}", "One regional measure, as agglo measure METHOD computes it (gini, cv, williamson, theil, theil-l, atkinson, primacy, hhi, top-share, rank-size, similarity, krugman, lq, gravity, coupling, dea, all, dagum, gini-sources, kernel, convergence, moran, geary, lisa, getis-ord, network, obstacle); the parameters are the command's flags, flows the text of a from,to,value table", "", 200, "", []int{400, 404, 422}, nil},
		{"GET", "/api/v1/frameworks", "Composite-index frameworks: built-in and stored (stored ones to token holders only)", "", 200, "", nil, nil},
		{"POST", "/api/v1/frameworks", "Store a framework (YAML body)", "application/yaml", 201, "", []int{400, 409, 413, 415, 422}, nil},
		{"GET", "/api/v1/frameworks/{code}", "A framework's hierarchy and steps", "", 200, "", []int{404, 422}, nil},
		{"DELETE", "/api/v1/frameworks/{code}", "Delete a stored framework", "", 204, "", []int{404}, nil},
		{"POST", "/api/v1/composite", "Build a composite index: scores and ranks, the year and the methods used at each level (framework and dataset, or COINr tables)", "application/json", 200, "", []int{400, 404, 413, 415, 422, 503, 507}, nil},
		{"POST", "/api/v1/composite/audit", "Statistical audit of a composite index", "application/json", 200, "", []int{400, 404, 413, 415, 422, 503}, nil},
		{"POST", "/api/v1/uncertainty", "Start an uncertainty analysis job (202 with the job)", "application/json", 202, "", []int{400, 404, 413, 415, 422, 429, 503}, nil},
		{"GET", "/api/v1/uncertainty/{id}", "Poll a job: state, progress, result", "", 200, "", []int{404}, nil},
		{"GET", "/api/v1/uncertainty/{id}/events", "Server-sent events of a job's progress", "", 200, "text/event-stream", []int{404, 429, 503}, nil},
		{"DELETE", "/api/v1/uncertainty/{id}", "Cancel a job", "", 200, "", []int{404}, nil},
		{"GET", "/api/v1/diagnosis", "Innovation modes, problems and stage with their evidence", "", 200, "", []int{422}, nil},
		{"GET", "/api/v1/agglomeration-sets", "User-defined agglomeration sets of the workspace (added to the 19 built-in agglomerations)", "", 200, "", nil, nil},
		{"POST", "/api/v1/agglomeration-sets", "Store an agglomeration set: a CSV or YAML membership file (multipart field file, or the body with ?name= and ?file_name=); 422 lists located problems", "multipart/form-data", 201, "", []int{400, 409, 413, 415, 422}, nil},
		{"GET", "/api/v1/agglomeration-sets/{name}", "A stored agglomeration set with its agglomerations", "", 200, "", []int{404}, nil},
		{"DELETE", "/api/v1/agglomeration-sets/{name}", "Delete an agglomeration set", "", 204, "", []int{404}, nil},
		{"GET", "/api/v1/rulebooks", "Stored strategy rulebooks", "", 200, "", nil, nil},
		{"POST", "/api/v1/rulebooks", "Store a rulebook (YAML body, ?name=)", "application/yaml", 201, "", []int{400, 409, 413, 415, 422}, nil},
		{"GET", "/api/v1/rulebooks/{name}", "A stored rulebook", "", 200, "", []int{404}, nil},
		{"DELETE", "/api/v1/rulebooks/{name}", "Delete a stored rulebook", "", 204, "", []int{404}, nil},
		{"POST", "/api/v1/strategy", "Recommended modes and strategies for a scenario, with reasons", "application/json", 200, "", []int{400, 404, 413, 415, 422, 503, 507}, nil},
		{"GET", "/api/v1/report", "The report as html, md, json or xlsx", "", 200, "application/octet-stream", []int{400, 422}, nil},
		{"GET", "/api/v1/analyses", "Saved analyses", "", 200, "", nil, nil},
		{"GET", "/api/v1/analyses/{id}", "A saved analysis with parameters and result", "", 200, "", []int{404}, nil},
		{"DELETE", "/api/v1/analyses/{id}", "Delete a saved analysis", "", 204, "", []int{404}, nil},
	}
	for i := range ops {
		ops[i].query = append(append([]string(nil), query[ops[i].method+" "+ops[i].path]...), "lang")
	}
	return ops
}

// private reports whether a read of op needs the token when the server has
// one and reads are not public: the route lies in the workspace, or names
// a dataset or framework, which may be an upload (see privateRead).
func (op operation) private() bool {
	return !isWrite(op.method) && (privatePath(op.path) || strings.HasPrefix(op.path, "/api/v1/frameworks/") ||
		slices.Contains(op.query, "dataset") || slices.Contains(op.query, "framework"))
}

// statuses are the error statuses op may answer: its handler's, 421 and
// 500 for every route, 401 and 403 for writes, 401 for reads of the
// workspace (private), and 404 and 503 for a route that reads a stored
// dataset (?dataset=ID: no such dataset, or the parse pool is full).
func (op operation) statuses() []int {
	out := append([]int{http.StatusMisdirectedRequest, http.StatusInternalServerError}, op.errors...)
	if isWrite(op.method) {
		out = append(out, http.StatusUnauthorized, http.StatusForbidden)
	} else if op.private() {
		out = append(out, http.StatusUnauthorized)
	}
	if slices.Contains(op.query, "dataset") {
		out = append(out, http.StatusNotFound, http.StatusServiceUnavailable)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// errorResponse describes an error status of op: what it means there and
// the error codes its body may carry (x-error-codes).
func errorResponse(op operation, status int) (string, []string) {
	switch status {
	case http.StatusBadRequest:
		return "A parameter or field has an invalid value; field names it", []string{codeBadRequest, codeInvalidJSON}
	case http.StatusUnauthorized:
		if isWrite(op.method) {
			return "The server has a token and the request does not carry it (Authorization: Bearer TOKEN or X-Agglo-Token)", []string{codeUnauthorized}
		}
		return "The server has a token, reads of the workspace are not public (agglo serve --public-reads), and the request does not carry the token " +
			"(Authorization: Bearer TOKEN, X-Agglo-Token or the dashboard's cookie agglo_token)", []string{codeUnauthorized}
	case http.StatusForbidden:
		return "A cross-origin write from a browser, or a change to built-in data or a built-in framework", []string{codeForbidden}
	case http.StatusNotFound:
		return "No such dataset, region, agglomeration, framework, rulebook, set, analysis or job (field names which)", []string{codeNotFound}
	case http.StatusConflict:
		return "The name or code is taken", []string{codeConflict}
	case http.StatusRequestEntityTooLarge:
		return "The body or file exceeds a limit (the message gives it): body size, rows, columns, or the unpacked size of an Excel file", []string{codeTooLarge}
	case http.StatusUnsupportedMediaType:
		return "The Content-Type is not the one the route reads", []string{codeMediaType}
	case http.StatusMisdirectedRequest:
		return "The Host header is not a name the server answers to (a guard against DNS rebinding; agglo serve --allowed-hosts adds names); every route answers so", []string{codeHostNotAllowed}
	case http.StatusUnprocessableEntity:
		if op.path == "/api/v1/uncertainty" && op.method == http.MethodPost {
			return "The request cannot be analysed (invalid_input, validation_failed), or too_costly: the analysis's estimated memory exceeds what --max-memory leaves for analyses beside the running ones (the message gives the limit)",
				[]string{codeValidation, codeInvalidInput, codeTooCostly}
		}
		return "The content is valid JSON or YAML but cannot be used: located problems of a file (validation_failed, issues lists them) or data that do not allow the analysis (invalid_input)", []string{codeValidation, codeInvalidInput}
	case http.StatusTooManyRequests:
		if strings.HasSuffix(op.path, "/events") {
			return "The job has as many progress streams as one job may have; poll GET /api/v1/uncertainty/{id} instead", []string{codeBusy}
		}
		return "As many uncertainty analyses run as the server allows at once; try again later", []string{codeBusy}
	case http.StatusServiceUnavailable:
		return "The server is busy (uploads being read, files being parsed, or as many progress streams open as it allows); try again later", []string{codeBusy}
	case http.StatusInsufficientStorage:
		return "The workspace would exceed its quota (agglo serve --max-workspace-mb); the message gives the sizes", []string{codeQuota}
	case http.StatusInternalServerError:
		if slices.Contains(op.query, "dataset") || strings.HasPrefix(op.path, "/api/v1/datasets/") {
			return "An error of the server; its text is logged, never sent (internal), or a stored dataset that cannot be read back (stored_data_unreadable: the message says to delete it and upload its file again)", []string{codeInternal, codeStoredData}
		}
		return "An error of the server; its text is logged, never sent", []string{codeInternal}
	}
	return http.StatusText(status), nil
}

// openAPIDocument builds the OpenAPI 3 document from operations with the
// query parameters of query (apiRoutes' declarations).
func openAPIDocument(version string, query map[string][]string) map[string]any {
	errSchema := map[string]any{"$ref": "#/components/schemas/Error"}
	paths := map[string]map[string]any{}
	for _, op := range operations(query) {
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
		for _, e := range op.statuses() {
			desc, codes := errorResponse(op, e)
			responses[itoa(e)] = map[string]any{"description": desc, "x-error-codes": codes,
				"content": map[string]any{"application/json": map[string]any{"schema": errSchema}}}
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
		switch {
		case isWrite(op.method):
			o["security"] = []any{map[string]any{"bearer": []string{}}, map[string]any{"token": []string{}}}
		case op.private():
			o["security"] = []any{map[string]any{"bearer": []string{}}, map[string]any{"token": []string{}}, map[string]any{"cookie": []string{}}}
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
			"description": "Innovation analysis of China's urban agglomerations. When the server has a token (agglo serve --token), writes need it, and so do reads of the workspace " +
				"(uploaded datasets and anything asked of them, stored frameworks, rulebooks and agglomeration sets, saved analyses, uncertainty jobs) unless reads are public (--public-reads); " +
				"the built-in data and frameworks are open. Every route answers 421 to a Host header the server does not answer to. Error bodies carry a stable code (each response lists its codes in x-error-codes). " +
				"Messages follow ?lang= or Accept-Language (zh, en)."},
		"servers": []any{map[string]string{"url": "/"}},
		"paths":   paths,
		"components": map[string]any{
			"securitySchemes": map[string]any{
				"bearer": map[string]string{"type": "http", "scheme": "bearer"},
				"token":  map[string]string{"type": "apiKey", "in": "header", "name": "X-Agglo-Token"},
				"cookie": map[string]string{"type": "apiKey", "in": "cookie", "name": tokenCookie, "description": "the token as the dashboard sends it with page loads and progress streams; reads only"},
			},
			"schemas": schemas,
		},
	}
}

func errorSchema() map[string]any {
	return map[string]any{"type": "object", "required": []string{"error"}, "properties": map[string]any{
		"error": map[string]any{"type": "object", "required": []string{"code", "message", "field"}, "properties": map[string]any{
			"code": map[string]any{"type": "string", "enum": []string{codeBadRequest, codeInvalidJSON, codeMediaType, codeTooLarge, codeNotFound, codeMethodNotAllowed,
				codeUnauthorized, codeForbidden, codeValidation, codeInvalidInput, codeConflict, codeBusy, codeHostNotAllowed, codeTooCostly, codeQuota, codeInternal}},
			"message": map[string]string{"type": "string"}, "field": map[string]string{"type": "string"},
			"issues": map[string]any{"type": "array", "items": map[string]any{"type": "object"}},
		}},
	}}
}

func itoa(n int) string { return strconv.Itoa(n) }

func (s *Server) openAPI(w http.ResponseWriter, r *http.Request) {
	s.ok(w, openAPIDocument(s.cfg.Version, s.query))
}
