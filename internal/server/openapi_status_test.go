package server

import (
	"encoding/json"
	"maps"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// documentedOp is what the OpenAPI document says an operation answers:
// its statuses and, per error status, the error codes of the body.
type documentedOp struct {
	statuses map[int][]string
}

// documentedOps reads the OpenAPI document h serves, by route pattern
// ("GET /api/v1/regions/{code}"), with a mux that finds an operation's
// pattern for a request.
func documentedOps(t *testing.T, h http.Handler) (map[string]documentedOp, *http.ServeMux) {
	t.Helper()
	req := httptest.NewRequest("GET", "/api/v1/openapi.json", nil)
	req.Host = "127.0.0.1"
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != 200 {
		t.Fatalf("openapi.json: status %d", rec.Code)
	}
	var doc struct {
		Paths map[string]map[string]struct {
			Responses map[string]struct {
				Codes []string `json:"x-error-codes"`
			} `json:"responses"`
		} `json:"paths"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	ops := map[string]documentedOp{}
	mux := http.NewServeMux()
	for path, methods := range doc.Paths {
		for method, op := range methods {
			pattern := strings.ToUpper(method) + " " + path
			d := documentedOp{statuses: map[int][]string{}}
			for st, resp := range op.Responses {
				n, err := strconv.Atoi(st)
				if err != nil {
					t.Fatalf("%s: response %q", pattern, st)
				}
				d.statuses[n] = resp.Codes
			}
			ops[pattern] = d
			mux.HandleFunc(pattern, func(http.ResponseWriter, *http.Request) {})
		}
	}
	return ops, mux
}

// statusRecorder notes the status and the start of the body of an answer
// while passing it on (flushes included, for progress streams).
type statusRecorder struct {
	http.ResponseWriter
	status int
	head   []byte
}

func (w *statusRecorder) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusRecorder) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	if n := 512 - len(w.head); n > 0 {
		w.head = append(w.head, b[:min(n, len(b))]...)
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusRecorder) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (w *statusRecorder) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

var errorCodeRE = regexp.MustCompile(`^\{"error":\{"code":"([a-z_]+)"`)

// documentedStatuses is srv's handler for a test server: every answer of
// an API operation must have a status the OpenAPI document lists for it,
// and an error's code must be among those the document gives for the
// status, so that every status a test provokes (421 on a wrong Host, 401
// without the token, 413, 422 too_costly, 429 and 503 on progress
// streams, 507 beyond the quota ...) is checked against the document.
// Requests that match no operation (pages, static files, an unknown path
// or method under /api/) are not checked.
func documentedStatuses(t *testing.T, srv *Server) http.Handler {
	h := srv.Handler()
	ops, mux := documentedOps(t, h)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.URL.Path, "/api/") {
			h.ServeHTTP(w, r)
			return
		}
		_, pattern := mux.Handler(r)
		rec := &statusRecorder{ResponseWriter: w}
		h.ServeHTTP(rec, r)
		op, ok := ops[pattern]
		if !ok {
			return
		}
		status := rec.status
		if status == 0 {
			status = http.StatusOK
		}
		codes, documented := op.statuses[status]
		if !documented {
			t.Errorf("%s %.80s answered %d, which openapi.json does not list for %s (it lists %v)", r.Method, r.URL.RequestURI(), status, pattern, slices.Sorted(maps.Keys(op.statuses)))
			return
		}
		if status < 400 {
			return
		}
		m := errorCodeRE.FindSubmatch(rec.head)
		if m == nil {
			t.Errorf("%s %.80s answered %d without an error code: %.200q", r.Method, r.URL.RequestURI(), status, rec.head)
			return
		}
		if !slices.Contains(codes, string(m[1])) {
			t.Errorf("%s %.80s answered %d with code %s; openapi.json lists %v for %s", r.Method, r.URL.RequestURI(), status, m[1], codes, pattern)
		}
	})
}
