package server

import (
	"bytes"
	"errors"
	"io"
	"mime"
	"net/http"
	"regexp"
	"strings"
	"unicode/utf8"

	"agglo/internal/composite"
	"agglo/internal/store"
)

// readText reads a text body (YAML) of at most MaxJSONBody bytes; JSON
// clients may instead send {"name": ..., "content": ...}.
func (s *Server) readText(w http.ResponseWriter, r *http.Request) (string, error) {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch mt {
	case "application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml", "text/plain":
	default:
		return "", errf(http.StatusUnsupportedMediaType, codeMediaType, "Content-Type", "请求体须为 YAML（application/yaml）", "the request body must be YAML (application/yaml)")
	}
	b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.cfg.Limits.MaxJSONBody))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return "", tooLarge("", "请求体超过 %d KB 的上限", "the request body exceeds the %d KB limit", mbe.Limit>>10)
		}
		return "", badRequest("", "读取请求体失败", "could not read the request body")
	}
	if !utf8.Valid(b) {
		return "", badRequest("", "请求体不是有效的 UTF-8 文本", "the request body is not valid UTF-8")
	}
	if len(bytes.TrimSpace(b)) == 0 {
		return "", badRequest("", "请求体为空", "the request body is empty")
	}
	return string(b), nil
}

var nameRE = regexp.MustCompile(`^[A-Za-z0-9_.-]{1,64}$`)

// ---- frameworks ----

type frameworkJSON struct {
	frameworkBrief
	Indicators []composite.Indicator `json:"indicators,omitempty"`
	Aggregates []composite.Aggregate `json:"aggregates,omitempty"`
	Steps      *composite.Steps      `json:"steps,omitempty"`
	YAML       string                `json:"yaml,omitempty"`
}

func (s *Server) listFrameworks(w http.ResponseWriter, r *http.Request) {
	l := lang(r)
	out := []frameworkBrief{}
	for _, c := range composite.BuiltinCodes() {
		fw, err := composite.Builtin(c)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		out = append(out, frameworkBrief{Code: c, Name: pick(l, fw.NameZH, fw.NameEN), NameZH: fw.NameZH, NameEN: fw.NameEN, Builtin: true})
	}
	recs, err := s.store.Frameworks(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, f := range recs {
		out = append(out, frameworkBrief{Code: f.Code, Name: pick(l, f.NameZH, f.NameEN), NameZH: f.NameZH, NameEN: f.NameEN})
	}
	s.ok(w, out)
}

func (s *Server) createFramework(w http.ResponseWriter, r *http.Request) {
	text, err := s.readText(w, r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	fw, err := composite.ParseFramework(strings.NewReader(text))
	if err != nil {
		s.fail(w, r, invalidInput("yaml", err))
		return
	}
	if !nameRE.MatchString(fw.Code) {
		s.fail(w, r, errf(http.StatusUnprocessableEntity, codeInvalidInput, "code", "框架代码须为 1–64 个字母、数字、_.-", "the framework code must be 1-64 letters, digits or _.-"))
		return
	}
	for _, c := range composite.BuiltinCodes() {
		if c == fw.Code {
			s.fail(w, r, errf(http.StatusConflict, codeConflict, "code", "“%s”是内置框架的代码", "%q is a built-in framework's code", fw.Code))
			return
		}
	}
	rec := &store.Framework{Code: fw.Code, NameZH: fw.NameZH, NameEN: fw.NameEN, YAML: text}
	if err := s.store.CreateFramework(r.Context(), rec); err != nil {
		if errors.Is(err, store.ErrConflict) {
			err = errf(http.StatusConflict, codeConflict, "code", "框架“%s”已存在", "framework %q exists already", fw.Code)
		}
		s.fail(w, r, err)
		return
	}
	s.cache.clear()
	w.Header().Set("Location", "/api/v1/frameworks/"+fw.Code)
	s.created(w, frameworkJSON{frameworkBrief: frameworkBrief{Code: fw.Code, Name: pick(lang(r), fw.NameZH, fw.NameEN), NameZH: fw.NameZH, NameEN: fw.NameEN},
		Indicators: fw.Indicators, Aggregates: fw.Aggregates, Steps: &fw.Steps, YAML: text})
}

func (s *Server) showFramework(w http.ResponseWriter, r *http.Request) {
	fw, builtin, err := s.framework(r.Context(), r.PathValue("code"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	l := lang(r)
	s.ok(w, frameworkJSON{frameworkBrief: frameworkBrief{Code: fw.Code, Name: pick(l, fw.NameZH, fw.NameEN), NameZH: fw.NameZH, NameEN: fw.NameEN, Builtin: builtin},
		Indicators: fw.Indicators, Aggregates: fw.Aggregates, Steps: &fw.Steps})
}

func (s *Server) deleteFramework(w http.ResponseWriter, r *http.Request) {
	code := r.PathValue("code")
	for _, c := range composite.BuiltinCodes() {
		if c == code {
			s.fail(w, r, errf(http.StatusForbidden, codeForbidden, "code", "内置框架不能删除", "built-in frameworks cannot be deleted"))
			return
		}
	}
	if err := s.store.DeleteFramework(r.Context(), code); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			err = notFound("code", "没有框架“%s”", "no framework %q", clip(code))
		}
		s.fail(w, r, err)
		return
	}
	s.cache.clear()
	w.WriteHeader(http.StatusNoContent)
}

// ---- rulebooks ----

func (s *Server) listRulebooks(w http.ResponseWriter, r *http.Request) {
	recs, err := s.store.Rulebooks(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.ok(w, recs)
}

// createRulebook stores a rulebook sent as YAML; ?name= names it.
func (s *Server) createRulebook(w http.ResponseWriter, r *http.Request) {
	name := r.URL.Query().Get("name")
	if !nameRE.MatchString(name) {
		s.fail(w, r, badRequest("name", "请用 ?name= 给规则库命名（1–64 个字母、数字、_.-）", "name the rulebook with ?name= (1-64 letters, digits or _.-)"))
		return
	}
	text, err := s.readText(w, r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := validateRulebook(name, text); err != nil {
		s.fail(w, r, err)
		return
	}
	rec := &store.Rulebook{Name: name, Content: text}
	if err := s.store.CreateRulebook(r.Context(), rec); err != nil {
		if errors.Is(err, store.ErrConflict) {
			err = errf(http.StatusConflict, codeConflict, "name", "规则库“%s”已存在", "rulebook %q exists already", name)
		}
		s.fail(w, r, err)
		return
	}
	s.cache.clear()
	w.Header().Set("Location", "/api/v1/rulebooks/"+name)
	s.created(w, rec)
}

func (s *Server) showRulebook(w http.ResponseWriter, r *http.Request) {
	rec, err := s.store.RulebookByName(r.Context(), r.PathValue("name"))
	if errors.Is(err, store.ErrNotFound) {
		err = notFound("name", "没有规则库“%s”", "no rulebook %q", clip(r.PathValue("name")))
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.ok(w, rec)
}

func (s *Server) deleteRulebook(w http.ResponseWriter, r *http.Request) {
	if err := s.store.DeleteRulebook(r.Context(), r.PathValue("name")); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			err = notFound("name", "没有规则库“%s”", "no rulebook %q", clip(r.PathValue("name")))
		}
		s.fail(w, r, err)
		return
	}
	s.cache.clear()
	w.WriteHeader(http.StatusNoContent)
}

// ---- saved analyses ----

func (s *Server) listAnalyses(w http.ResponseWriter, r *http.Request) {
	recs, err := s.store.Analyses(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.ok(w, recs)
}

func (s *Server) showAnalysis(w http.ResponseWriter, r *http.Request) {
	id, err := parseID(r.PathValue("id"), "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	a, err := s.store.Analysis(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		err = notFound("id", "没有编号为“%d”的分析", "no analysis %d", id)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.ok(w, a)
}

func (s *Server) deleteAnalysis(w http.ResponseWriter, r *http.Request) {
	id, err := parseID(r.PathValue("id"), "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.store.DeleteAnalysis(r.Context(), id); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			err = notFound("id", "没有编号为“%d”的分析", "no analysis %d", id)
		}
		s.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
