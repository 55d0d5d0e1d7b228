package server

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"

	"agglo/internal/composite"
	"agglo/internal/i18n"
	"agglo/internal/store"
)

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
		out = append(out, frameworkBrief{Code: c, Name: i18n.T(fw.NameZH, fw.NameEN).In(l), NameZH: fw.NameZH, NameEN: fw.NameEN, Builtin: true})
	}
	if !s.readAllowed(r) {
		s.ok(w, out) // stored frameworks are listed to token holders only
		return
	}
	recs, err := s.store.Frameworks(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, f := range recs {
		out = append(out, frameworkBrief{Code: f.Code, Name: i18n.T(f.NameZH, f.NameEN).In(l), NameZH: f.NameZH, NameEN: f.NameEN})
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
	w.Header().Set("Location", "/api/v1/frameworks/"+fw.Code)
	s.created(w, frameworkJSON{frameworkBrief: frameworkBrief{Code: fw.Code, Name: i18n.T(fw.NameZH, fw.NameEN).In(lang(r)), NameZH: fw.NameZH, NameEN: fw.NameEN},
		Indicators: fw.Indicators, Aggregates: fw.Aggregates, Steps: &fw.Steps, YAML: text})
}

func (s *Server) showFramework(w http.ResponseWriter, r *http.Request) {
	fw, builtin, err := s.framework(r.Context(), r.PathValue("code"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	l := lang(r)
	s.ok(w, frameworkJSON{frameworkBrief: frameworkBrief{Code: fw.Code, Name: i18n.T(fw.NameZH, fw.NameEN).In(l), NameZH: fw.NameZH, NameEN: fw.NameEN, Builtin: builtin},
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
	w.WriteHeader(http.StatusNoContent)
}

type frameworkBrief struct {
	Code    string `json:"code"`
	Name    string `json:"name"`
	NameZH  string `json:"name_zh"`
	NameEN  string `json:"name_en"`
	Builtin bool   `json:"builtin"`
}

func briefOf(fw *composite.Framework, builtin bool, l string) frameworkBrief {
	return frameworkBrief{Code: fw.Code, Name: i18n.T(fw.NameZH, fw.NameEN).In(l), NameZH: fw.NameZH, NameEN: fw.NameEN, Builtin: builtin}
}

// framework resolves a built-in or stored framework.
func (s *Server) framework(ctx context.Context, code string) (*composite.Framework, bool, error) {
	if code == "" {
		code = "cric"
	}
	if slices.Contains(composite.BuiltinCodes(), code) {
		fw, err := composite.Builtin(code)
		return fw, true, err
	}
	rec, err := s.store.FrameworkByCode(ctx, code)
	if errors.Is(err, store.ErrNotFound) {
		return nil, false, notFound("framework", "没有框架“%s”（内置：%s）", "no framework %q (built in: %s)", clip(code), strings.Join(composite.BuiltinCodes(), ", "))
	}
	if err != nil {
		return nil, false, err
	}
	fw, err := composite.ParseFramework(strings.NewReader(rec.YAML))
	if err != nil {
		return nil, false, invalidInput("framework", err)
	}
	return fw, false, nil
}
