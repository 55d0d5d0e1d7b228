package server

import (
	"bytes"
	"html/template"
	"net/http"

	"agglo/internal/i18n"
)

// tokenPageData is what web/templates/token.html receives.
type tokenPageData struct {
	Lang string
	// Home is the overview of the built-in data in the page's language.
	Home string
}

// T picks the text in the page's language.
func (d tokenPageData) T(zh, en string) string { return i18n.T(zh, en).In(d.Lang) }

// tokenPage answers a dashboard page that would show uploaded data
// (?dataset=ID) to a browser that has not sent the token: 401 with a page
// that asks for it. Its script (web/static/token.js) first tries a token
// this browser saved before, as in a new browser session, whose cookie is
// gone; a token the server accepts is saved and sent as the cookie, and
// the page asked for is loaded again. The page shows no uploaded data.
func (s *Server) tokenPage(w http.ResponseWriter, r *http.Request) {
	d := tokenPageData{Lang: pageLang(r), Home: "/"}
	if d.Lang == i18n.EN {
		d.Home = "/?lang=en"
	}
	t, err := template.ParseFS(webFS, "web/templates/token.html")
	var buf bytes.Buffer
	if err == nil {
		err = t.Execute(&buf, d)
	}
	if err != nil {
		s.log.Error("render token page", "err", err)
		http.Error(w, "internal error / 内部错误", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("WWW-Authenticate", `Bearer realm="agglo"`)
	w.WriteHeader(http.StatusUnauthorized)
	_, _ = w.Write(buf.Bytes())
}
