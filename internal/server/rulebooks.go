package server

import (
	"errors"
	"net/http"

	"agglo/internal/analysis"
	"agglo/internal/dataset"
	"agglo/internal/store"
	"agglo/internal/strategy"
)

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
	w.WriteHeader(http.StatusNoContent)
}

// rulebook resolves the embedded rulebook ("" gives nil, which the
// analysis reads as the embedded one) or a stored one.
func (s *Server) rulebook(r *http.Request, name string) (*strategy.Rulebook, error) {
	if name == "" {
		return nil, nil
	}
	rec, err := s.store.RulebookByName(r.Context(), name)
	if errors.Is(err, store.ErrNotFound) {
		return nil, notFound("rulebook", "没有规则库“%s”", "no rulebook %q", clip(name))
	}
	if err != nil {
		return nil, err
	}
	rb, err := analysis.ParseRulebook([]byte(rec.Content), rec.Name)
	if err != nil {
		return nil, invalidInput("rulebook", err)
	}
	return rb, nil
}

// validateRulebook checks a rulebook before it is stored: 422 lists every
// located issue.
func validateRulebook(name, text string) error {
	issues, _ := analysis.CheckRulebook([]byte(text), name)
	if len(issues) == 0 {
		return nil
	}
	ae := errf(http.StatusUnprocessableEntity, codeValidation, "rulebook", "规则库有 %d 个问题", "the rulebook has %d problem(s)", len(issues))
	for _, is := range issues {
		ae.issues = append(ae.issues, dataset.Issue{File: is.File, Row: is.Line, Col: is.Column, Column: is.Rule, Text: is.Message})
	}
	return ae
}
