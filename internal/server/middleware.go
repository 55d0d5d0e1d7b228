package server

import (
	"net/http"
	"runtime/debug"
	"strings"
)

// contentSecurityPolicy keeps the dashboard to its own origin: no page may
// load anything from the network.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
	"connect-src 'self'; font-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"

func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Frame-Options", "DENY")
		next.ServeHTTP(w, r)
	})
}

// recoverPanics turns a panic into a 500 that does not echo it.
func (s *Server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.Error("panic", "method", r.Method, "path", r.URL.Path, "panic", v, "stack", string(debug.Stack()))
				s.fail(w, r, &apiError{status: http.StatusInternalServerError, code: codeInternal})
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// noDirListings answers 404 for a directory of the static files
// (/static/, /vendor/ and folders under them), which http.FileServer
// would otherwise list.
func (s *Server) noDirListings(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := r.URL.Path
		if (strings.HasPrefix(p, "/static/") || strings.HasPrefix(p, "/vendor/")) && strings.HasSuffix(p, "/") {
			http.Error(w, "404 page not found / 页面不存在", http.StatusNotFound)
			return
		}
		next.ServeHTTP(w, r)
	})
}
