package server

import (
	"crypto/subtle"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"agglo/internal/composite"
	"agglo/internal/dataset"
)

// tokenCookie is the cookie the dashboard sets when the user enters the
// token, so that page loads and event streams (which cannot send headers)
// can read datasets. It is accepted for reads only: a write needs the
// token in a header, which another site cannot make a browser send.
const tokenCookie = "agglo_token"

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
		if s.cfg.Token != "" && !s.headerTokenOK(r) {
			s.fail(w, r, errf(http.StatusUnauthorized, codeUnauthorized, "Authorization",
				"写操作需要令牌（请求头 Authorization: Bearer 令牌 或 X-Agglo-Token）",
				"this write needs the token (header Authorization: Bearer TOKEN or X-Agglo-Token)"))
			return
		}
		next.ServeHTTP(w, r)
	})
}

// guardReads checks reads of the workspace when a token is set and reads
// are not public (Config.PublicReads): what users put into the workspace
// and what it keeps for them (see privateRead) needs the token, in a
// header or the dashboard's cookie. The built-in data, the built-in
// frameworks, the status, the API description and the static files stay
// open. A dashboard page asked for with ?dataset=ID of an upload is
// answered, without the token, by a page that asks for it (tokenPage);
// the API answers 401.
func (s *Server) guardReads(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if isWrite(r.Method) || s.readAllowed(r) || !privateRead(r) {
			next.ServeHTTP(w, r)
			return
		}
		if !strings.HasPrefix(r.URL.Path, "/api/") {
			s.tokenPage(w, r)
			return
		}
		s.fail(w, r, errf(http.StatusUnauthorized, codeUnauthorized, "Authorization",
			"读取上传的数据需要令牌（请求头 Authorization: Bearer 令牌 或 X-Agglo-Token；仪表盘中在“数据”页输入令牌）",
			"reading uploaded data needs the token (header Authorization: Bearer TOKEN or X-Agglo-Token; in the dashboard, enter it on the Data page)"))
	})
}

// readAllowed reports whether r may read the workspace: no token is set,
// reads are public, or r carries the token.
func (s *Server) readAllowed(r *http.Request) bool {
	if s.cfg.Token == "" || s.cfg.PublicReads || s.headerTokenOK(r) {
		return true
	}
	c, err := r.Cookie(tokenCookie)
	if err != nil {
		return false
	}
	v, err := url.QueryUnescape(c.Value)
	return err == nil && s.tokenMatches(v)
}

// privatePrefixes are the API paths of the workspace: uploaded datasets,
// saved analyses, uncertainty jobs, stored rulebooks and the agglomeration
// sets' files. Every read under them needs the token.
var privatePrefixes = []string{"/api/v1/datasets", "/api/v1/analyses", "/api/v1/uncertainty", "/api/v1/rulebooks", "/api/v1/agglomeration-sets"}

// privatePath reports whether an API path (or an OpenAPI path template)
// lies under privatePrefixes.
func privatePath(p string) bool {
	for _, prefix := range privatePrefixes {
		if p == prefix || strings.HasPrefix(p, prefix+"/") {
			return true
		}
	}
	return false
}

// privateRead reports whether a read concerns the workspace rather than
// the built-in data: a path under privatePrefixes, a stored framework
// (/api/v1/frameworks/CODE), or a request naming an uploaded dataset
// (?dataset=ID, pages included) or a stored framework (?framework=CODE).
// The framework list is open; it lists stored frameworks to token
// holders only (listFrameworks).
func privateRead(r *http.Request) bool {
	p := r.URL.Path
	if privatePath(p) {
		return true
	}
	if code, ok := strings.CutPrefix(p, "/api/v1/frameworks/"); ok && !builtinFramework(code) {
		return true
	}
	q := r.URL.Query()
	for _, id := range q["dataset"] {
		if id != "" && !builtinDataset(id) {
			return true
		}
	}
	for _, code := range q["framework"] {
		if code != "" && !builtinFramework(code) {
			return true
		}
	}
	return false
}

// builtinDataset reports whether a dataset id names built-in data only:
// the paper's data or built-in data sets, alone or joined with "+"
// (census, paper+census).
func builtinDataset(id string) bool {
	for part := range strings.SplitSeq(id, "+") {
		if _, ok := dataset.BuiltinSourceOf(part); !ok {
			return false
		}
	}
	return true
}

// builtinFramework reports whether code names a built-in framework.
func builtinFramework(code string) bool {
	return slices.Contains(composite.BuiltinCodes(), code)
}

// headerTokenOK reports whether r carries the token in a header:
// Authorization with the Bearer scheme (case-insensitive, RFC 9110
// section 11.1) or X-Agglo-Token.
func (s *Server) headerTokenOK(r *http.Request) bool {
	got := r.Header.Get("X-Agglo-Token")
	if a := r.Header.Get("Authorization"); got == "" && a != "" {
		if scheme, t, ok := strings.Cut(strings.TrimSpace(a), " "); ok && strings.EqualFold(scheme, "Bearer") {
			got = strings.TrimSpace(t)
		}
	}
	return s.tokenMatches(got)
}

func (s *Server) tokenMatches(got string) bool {
	return got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(s.cfg.Token)) == 1
}
