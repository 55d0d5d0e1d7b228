package server

import (
	"crypto/subtle"
	"net/http"
	"net/url"
	"strings"
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
// are not public (Config.PublicReads): the list, records and exports of
// uploaded datasets, anything asked of an uploaded dataset (?dataset=ID,
// pages included), saved analyses and uncertainty jobs need the token, in
// a header or the dashboard's cookie. The embedded paper data, the status,
// the API description, the pages themselves and the static files stay
// open, so that the dashboard loads and asks for the token.
func (s *Server) guardReads(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if isWrite(r.Method) || s.readAllowed(r) || !privateRead(r) {
			next.ServeHTTP(w, r)
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

// privateRead reports whether a read concerns the workspace rather than
// the embedded paper data.
func privateRead(r *http.Request) bool {
	p := r.URL.Path
	for _, prefix := range []string{"/api/v1/datasets", "/api/v1/analyses", "/api/v1/uncertainty"} {
		if p == prefix || strings.HasPrefix(p, prefix+"/") {
			return true
		}
	}
	if id := r.URL.Query().Get("dataset"); id != "" && id != paperID {
		return true
	}
	return false
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
