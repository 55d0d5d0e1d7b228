package server

import (
	"bytes"
	"crypto/subtle"
	"net/http"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
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

func isWrite(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return false
	}
	return true
}

// guardWrites checks every write: it must come from the dashboard's own
// origin (or a non-browser client) and carry the token when one is set.
func (s *Server) guardWrites(next http.Handler) http.Handler {
	cop := http.NewCrossOriginProtection()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !isWrite(r.Method) {
			next.ServeHTTP(w, r)
			return
		}
		if err := cop.Check(r); err != nil {
			s.fail(w, r, errf(http.StatusForbidden, codeForbidden, "", "拒绝跨站写请求", "cross-origin write refused"))
			return
		}
		if s.cfg.Token != "" && !s.tokenOK(r) {
			s.fail(w, r, errf(http.StatusUnauthorized, codeUnauthorized, "Authorization",
				"写操作需要令牌（请求头 Authorization: Bearer 令牌 或 X-Agglo-Token）",
				"this write needs the token (header Authorization: Bearer TOKEN or X-Agglo-Token)"))
			return
		}
		next.ServeHTTP(w, r)
	})
}

func (s *Server) tokenOK(r *http.Request) bool {
	got := r.Header.Get("X-Agglo-Token")
	if a := r.Header.Get("Authorization"); got == "" && a != "" {
		if t, ok := strings.CutPrefix(a, "Bearer "); ok {
			got = strings.TrimSpace(t)
		}
	}
	return got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(s.cfg.Token)) == 1
}

// responseCache keeps successful GET responses of pure handlers, keyed by
// URL and language; any write clears it.
type responseCache struct {
	mu      sync.RWMutex
	max     int
	entries map[string]cachedResponse
}

type cachedResponse struct {
	contentType string
	body        []byte
}

func newResponseCache(max int) *responseCache {
	return &responseCache{max: max, entries: map[string]cachedResponse{}}
}

func (c *responseCache) clear() {
	c.mu.Lock()
	c.entries = map[string]cachedResponse{}
	c.mu.Unlock()
}

// recorder buffers a response.
type recorder struct {
	h      http.Header
	status int
	buf    bytes.Buffer
}

func (r *recorder) Header() http.Header { return r.h }
func (r *recorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
}
func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.buf.Write(b)
}

// cached serves h through the response cache.
func (s *Server) cached(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		key := r.URL.Path + "?" + r.URL.Query().Encode() + "#" + lang(r)
		s.cache.mu.RLock()
		e, ok := s.cache.entries[key]
		s.cache.mu.RUnlock()
		if ok {
			w.Header().Set("Content-Type", e.contentType)
			w.Header().Set("Content-Length", strconv.Itoa(len(e.body)))
			w.Header().Set("X-Agglo-Cache", "hit")
			_, _ = w.Write(e.body)
			return
		}
		rec := &recorder{h: http.Header{}}
		h(rec, r)
		for k, v := range rec.h {
			w.Header()[k] = v
		}
		if rec.status == 0 {
			rec.status = http.StatusOK
		}
		w.WriteHeader(rec.status)
		_, _ = w.Write(rec.buf.Bytes())
		if rec.status != http.StatusOK {
			return
		}
		s.cache.mu.Lock()
		if len(s.cache.entries) >= s.cache.max {
			s.cache.entries = map[string]cachedResponse{}
		}
		s.cache.entries[key] = cachedResponse{contentType: rec.h.Get("Content-Type"), body: append([]byte(nil), rec.buf.Bytes()...)}
		s.cache.mu.Unlock()
	}
}
