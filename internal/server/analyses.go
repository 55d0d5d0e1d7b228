package server

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"

	"agglo/internal/store"
)

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

// save stores a result as a saved analysis.
func (s *Server) save(ctx context.Context, kind, ds string, params, result any) (int64, error) {
	p, err := json.Marshal(params)
	if err != nil {
		return 0, err
	}
	res, err := json.Marshal(result)
	if err != nil {
		return 0, err
	}
	a := &store.Analysis{Kind: kind, Dataset: ds, Params: p, Result: res}
	if err := s.store.CreateAnalysis(ctx, a); err != nil {
		var qe *store.QuotaError
		if errors.As(err, &qe) {
			return 0, errf(http.StatusInsufficientStorage, codeQuota, "save",
				"工作区已用 %.1f MB，保存这个分析（%.1f MB）将超过 %.0f MB 的上限（--max-workspace-mb）：请先删除不需要的数据集或分析，或不保存",
				"the workspace holds %.1f MB; saving this analysis (%.1f MB) would take it over its %.0f MB limit (--max-workspace-mb): delete datasets or analyses you no longer need first, or do not save",
				mb(qe.Used), mb(qe.Adding), mb(qe.Limit))
		}
		return 0, err
	}
	return a.ID, nil
}
