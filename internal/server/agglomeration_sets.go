package server

import (
	"bytes"
	"context"
	"errors"
	"io"
	"mime"
	"net/http"
	"path/filepath"
	"strings"

	"agglo/internal/analysis"
	"agglo/internal/dataset"
	"agglo/internal/i18n"
	"agglo/internal/store"
)

// Agglomeration sets: a workspace keeps user-defined agglomerations
// (CSV or YAML membership files, as agglo --agglomerations reads them),
// added to the built-in ones. Every dataset the server analyses carries
// the registry with them; a change of the sets rebuilds it and clears
// the loaded datasets and the cached answers.

// agglomerationSetJSON is a stored set with its agglomerations.
type agglomerationSetJSON struct {
	store.AgglomerationSet
	Agglomerations []agglomerationJSON `json:"agglomerations,omitempty"`
}

// workspaceRegistry returns the embedded registry with the workspace's
// sets added, built once and kept until the sets change.
func (d *datasets) workspaceRegistry(ctx context.Context) (*dataset.Registry, error) {
	d.regMu.Lock()
	defer d.regMu.Unlock()
	if d.reg != nil {
		return d.reg, nil
	}
	base, err := d.emb.Registry()
	if err != nil {
		return nil, err
	}
	reg := base
	if d.st != nil {
		sets, err := d.st.AgglomerationSets(ctx)
		if err != nil {
			return nil, err
		}
		for _, rec := range sets {
			if reg, err = withSet(reg, rec.FileName, rec.Content); err != nil {
				return nil, err
			}
		}
	}
	// The paper's entry carries the registry too: rebuilt when the sets
	// differ from those it was built with (paperReg nil: the embedded
	// registry, as newDatasets built it).
	if (reg != base || d.paperReg != nil) && d.paperReg != reg {
		if err := d.rebuildPaper(reg); err != nil {
			return nil, err
		}
		d.paperReg = reg
	}
	d.reg = reg
	return reg, nil
}

// withSet adds the agglomerations of a membership file to reg.
func withSet(reg *dataset.Registry, fileName, content string) (*dataset.Registry, error) {
	set, err := dataset.ReadAgglomerations(strings.NewReader(content), fileName, reg)
	if err != nil {
		return nil, err
	}
	return reg.WithAgglomerations(set, false)
}

// rebuildPaper makes the paper's entry again with reg, and forgets the
// other loaded datasets (they are read again with reg).
func (d *datasets) rebuildPaper(reg *dataset.Registry) error {
	ds, err := analysis.PaperData()
	if err != nil {
		return err
	}
	ds = ds.WithRegistry(reg)
	if ds, err = ds.WithRollups(dataset.RollupOptions{}); err != nil {
		return err
	}
	d.mu.Lock()
	info := d.paper.info
	d.paper = newEntry(ds, info)
	d.builtin = nil
	d.gen++ // a load under way was read with the old registry
	for d.lru.Len() > 0 {
		d.drop(d.lru.Back())
	}
	d.mu.Unlock()
	return nil
}

// invalidate forgets the registry after the sets changed and builds it
// again from the store, with the paper's entry; the other loaded datasets
// are read again on next use.
func (d *datasets) invalidate(ctx context.Context) error {
	d.regMu.Lock()
	d.reg = nil
	d.regMu.Unlock()
	_, err := d.workspaceRegistry(ctx)
	return err
}

// withWorkspace gives ds the workspace's registry.
func (d *datasets) withWorkspace(ctx context.Context, ds *dataset.Dataset) (*dataset.Dataset, error) {
	reg, err := d.workspaceRegistry(ctx)
	if err != nil || ds.FreeUnits || ds.Registry == reg {
		return ds, err
	}
	return ds.WithRegistry(reg), nil
}

func (s *Server) listAgglomerationSets(w http.ResponseWriter, r *http.Request) {
	recs, err := s.store.AgglomerationSets(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for i := range recs {
		recs[i].Content = ""
	}
	s.ok(w, recs)
}

func (s *Server) showAgglomerationSet(w http.ResponseWriter, r *http.Request) {
	rec, err := s.store.AgglomerationSetByName(r.Context(), r.PathValue("name"))
	if errors.Is(err, store.ErrNotFound) {
		err = notFound("name", "没有城市群集合“%s”", "no agglomeration set %q", clip(r.PathValue("name")))
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := agglomerationSetJSON{AgglomerationSet: *rec}
	reg, err := s.data.workspaceRegistry(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, c := range rec.Codes {
		if a, ok := reg.Agglomeration(c); ok {
			out.Agglomerations = append(out.Agglomerations, agglomerationOf(reg, a, lang(r)))
		}
	}
	s.ok(w, out)
}

// createAgglomerationSet stores a membership file: a multipart upload
// (field file, optional name) or a CSV or YAML body with ?name= and
// ?file_name=. Every problem (unknown member, taken code) is a located
// 422; nothing is stored then.
func (s *Server) createAgglomerationSet(w http.ResponseWriter, r *http.Request) {
	var content []byte
	name, fileName := r.URL.Query().Get("name"), r.URL.Query().Get("file_name")
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	r.Body = http.MaxBytesReader(w, r.Body, s.cfg.Limits.MaxJSONBody)
	if mt == "multipart/form-data" {
		b, fn, n, err := readSmallUpload(r)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		content, fileName = b, fn
		if n != "" {
			name = n
		}
	} else {
		text, err := s.readText(w, r)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		content = []byte(text)
		if fileName == "" {
			fileName = name + ".csv"
			if mt != "text/plain" && mt != "text/csv" {
				fileName = name + ".yaml"
			}
		}
	}
	if name == "" {
		name = strings.TrimSuffix(fileName, filepath.Ext(fileName))
	}
	if !nameRE.MatchString(name) {
		s.fail(w, r, badRequest("name", "请用 ?name= 给城市群集合命名（1–64 个字母、数字、_.-）", "name the agglomeration set with ?name= (1-64 letters, digits or _.-)"))
		return
	}
	if _, err := s.store.AgglomerationSetByName(r.Context(), name); err == nil {
		s.fail(w, r, errf(http.StatusConflict, codeConflict, "name", "城市群集合“%s”已存在", "agglomeration set %q exists already", name))
		return
	}
	cur, err := s.data.workspaceRegistry(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	set, err := dataset.ReadAgglomerations(bytes.NewReader(content), fileName, cur)
	var reg *dataset.Registry
	if err == nil {
		reg, err = cur.WithAgglomerations(set, false)
	}
	if err != nil {
		var ie *dataset.ImportError
		if errors.As(err, &ie) {
			s.fail(w, r, &apiError{status: http.StatusUnprocessableEntity, code: codeValidation, field: "file",
				text: i18n.T(summaryZH(ie), summaryEN(ie)), issues: ie.Issues, more: ie.More})
			return
		}
		s.fail(w, r, invalidInput("file", err))
		return
	}
	rec := &store.AgglomerationSet{Name: name, FileName: fileName, Content: string(content), Codes: set.Codes()}
	if err := s.store.CreateAgglomerationSet(r.Context(), rec); err != nil {
		if errors.Is(err, store.ErrConflict) {
			err = errf(http.StatusConflict, codeConflict, "name", "城市群集合“%s”已存在", "agglomeration set %q exists already", name)
		}
		s.fail(w, r, err)
		return
	}
	if err := s.data.invalidate(r.Context()); err != nil {
		s.fail(w, r, err)
		return
	}
	s.cache.clear()
	w.Header().Set("Location", "/api/v1/agglomeration-sets/"+name)
	rec.Content = ""
	out := agglomerationSetJSON{AgglomerationSet: *rec}
	for _, a := range set.Agglomerations {
		if ra, ok := reg.Agglomeration(a.Code); ok {
			out.Agglomerations = append(out.Agglomerations, agglomerationOf(reg, ra, lang(r)))
		}
	}
	s.created(w, out)
}

func (s *Server) deleteAgglomerationSet(w http.ResponseWriter, r *http.Request) {
	if err := s.store.DeleteAgglomerationSet(r.Context(), r.PathValue("name")); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			err = notFound("name", "没有城市群集合“%s”", "no agglomeration set %q", clip(r.PathValue("name")))
		}
		s.fail(w, r, err)
		return
	}
	// Rebuild the registry from the sets that remain.
	if err := s.data.invalidate(r.Context()); err != nil {
		s.fail(w, r, err)
		return
	}
	s.cache.clear()
	w.WriteHeader(http.StatusNoContent)
}

// readSmallUpload reads a multipart request with a small file (field
// file, its body already bounded by the caller) and an optional name.
func readSmallUpload(r *http.Request) (content []byte, fileName, name string, err error) {
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, "", "", badRequest("Content-Type", "multipart 请求无效：%v", "invalid multipart request: %v", err)
	}
	name, err = readParts(mr, func(fn string, body io.Reader) error {
		fileName = fn
		b, err := io.ReadAll(body)
		if err != nil {
			return uploadReadError(err)
		}
		content = b
		return nil
	})
	if err != nil {
		return nil, "", "", err
	}
	if len(content) == 0 {
		return nil, "", "", errf(http.StatusUnprocessableEntity, codeValidation, "file", "文件为空", "the file is empty")
	}
	return content, fileName, name, nil
}
