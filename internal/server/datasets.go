package server

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"agglo/internal/analysis"
	"agglo/internal/dataset"
	"agglo/internal/i18n"
	"agglo/internal/store"
)

// paperID is the id of the embedded paper dataset, always present and
// read-only.
const paperID = "paper"

// datasetEntry is a loaded dataset. A *dataset.Dataset builds its lookup
// indices lazily, so one goroutine at a time may use it: mu guards ds.
type datasetEntry struct {
	mu   sync.Mutex
	ds   *dataset.Dataset
	info DatasetInfo
}

// DatasetInfo describes a dataset in the API.
type DatasetInfo struct {
	ID           string          `json:"id"`
	Name         string          `json:"name"`
	FileName     string          `json:"file_name,omitempty"`
	Format       string          `json:"format,omitempty"`
	Size         int64           `json:"size,omitempty"`
	SHA256       string          `json:"sha256,omitempty"`
	ReadOnly     bool            `json:"read_only"`
	Regions      int             `json:"regions"`
	Indicators   int             `json:"indicators"`
	Observations int             `json:"observations"`
	Years        []int           `json:"years"`
	Notes        json.RawMessage `json:"notes"`
	CreatedAt    *time.Time      `json:"created_at,omitempty"`
}

// datasets loads datasets from the store on demand and keeps the most
// recently used ones in memory.
type datasets struct {
	st    *store.Store
	paper *datasetEntry
	mu    sync.Mutex
	cache map[int64]*datasetEntry
	order []int64 // least recently used first
	max   int

	// emb holds the built-in data sets, each read on first use; builtin
	// the entries of built-in ids and their combinations ("paper+census").
	emb     dataset.Embedded
	builtin map[string]*datasetEntry
	// reg is the registry with the workspace's agglomeration sets (nil
	// until first needed; agglomeration_sets.go); regMu guards it.
	regMu    sync.Mutex
	reg      *dataset.Registry
	paperReg *dataset.Registry // the registry paper was rebuilt with (nil: embedded)
}

func newDatasets(st *store.Store) (*datasets, error) {
	ds, err := analysis.PaperData()
	if err != nil {
		return nil, err
	}
	if ds, err = ds.WithRollups(dataset.RollupOptions{}); err != nil {
		return nil, err
	}
	info := DatasetInfo{ID: paperID, Name: ds.Name, ReadOnly: true, Regions: len(ds.Regions), Indicators: len(ds.Indicators),
		Observations: ds.Len(), Years: ds.Years(), Notes: json.RawMessage("[]")}
	return &datasets{st: st, paper: &datasetEntry{ds: ds, info: info}, cache: map[int64]*datasetEntry{}, max: 8}, nil
}

func infoOf(d *store.Dataset) DatasetInfo {
	t := d.CreatedAt
	return DatasetInfo{ID: strconv.FormatInt(d.ID, 10), Name: d.Name, FileName: d.FileName, Format: d.Format, Size: d.Size, SHA256: d.SHA256,
		Regions: d.Regions, Indicators: d.Indicators, Observations: d.Observations, Years: d.Years, Notes: d.Notes, CreatedAt: &t}
}

func parseDatasetID(id string) (int64, error) {
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil || n <= 0 {
		return 0, notFound("dataset", "没有数据集“%s”", "no dataset %q", clip(id))
	}
	return n, nil
}

func readOptions() (dataset.ReadOptions, error) {
	reg, err := dataset.LoadRegistry()
	if err != nil {
		return dataset.ReadOptions{}, err
	}
	cat, err := dataset.LoadCatalogue()
	if err != nil {
		return dataset.ReadOptions{}, err
	}
	return dataset.ReadOptions{Registry: reg, Catalogue: cat}, nil
}

// get returns the dataset with id ("" and "paper" are the paper's data).
func (d *datasets) get(ctx context.Context, id string) (*datasetEntry, error) {
	if _, err := d.workspaceRegistry(ctx); err != nil {
		return nil, err
	}
	if id == "" || id == paperID {
		d.mu.Lock()
		defer d.mu.Unlock()
		return d.paper, nil
	}
	if e, ok, err := d.builtinEntry(ctx, id); ok {
		return e, err
	}
	n, err := parseDatasetID(id)
	if err != nil {
		return nil, err
	}
	d.mu.Lock()
	if e, ok := d.cache[n]; ok {
		d.touch(n)
		d.mu.Unlock()
		return e, nil
	}
	d.mu.Unlock()
	rec, err := d.st.Dataset(ctx, n)
	if errors.Is(err, store.ErrNotFound) {
		return nil, notFound("dataset", "没有数据集“%s”", "no dataset %q", id)
	}
	if err != nil {
		return nil, err
	}
	content, err := d.st.DatasetContent(ctx, n)
	if err != nil {
		return nil, err
	}
	opts, err := readOptions()
	if err != nil {
		return nil, err
	}
	ds, err := dataset.Read(bytes.NewReader(content), rec.FileName, dataset.Format(rec.Format), opts)
	if err != nil {
		// It validated when uploaded; a failure now is the program's.
		return nil, err
	}
	if ds, err = d.withWorkspace(ctx, ds); err != nil {
		return nil, err
	}
	if ds, err = ds.WithRollups(dataset.RollupOptions{}); err != nil {
		return nil, err
	}
	e := &datasetEntry{ds: ds, info: infoOf(rec)}
	d.put(n, e)
	return e, nil
}

// analysisDataset is the data the diagnosis, the strategy and the report
// use when the request names none: the paper's data and the census, as on
// the command line (agglo diagnose).
const analysisDataset = "paper+census"

// orAnalysisDefault returns id, or analysisDataset when it is empty.
func orAnalysisDefault(id string) string {
	if id == "" {
		return analysisDataset
	}
	return id
}

// builtinEntry returns the built-in data set id (agglo data sources), or
// several joined by "+" and combined; ok is false when id names none.
func (d *datasets) builtinEntry(ctx context.Context, id string) (*datasetEntry, bool, error) {
	ids := strings.Split(id, "+")
	for _, p := range ids {
		if _, known := dataset.BuiltinSourceOf(p); !known {
			return nil, false, nil
		}
	}
	d.mu.Lock()
	e, ok := d.builtin[id]
	d.mu.Unlock()
	if ok {
		return e, true, nil
	}
	var parts []*dataset.Dataset
	for _, p := range ids {
		if p == paperID {
			d.mu.Lock()
			parts = append(parts, d.paper.ds)
			d.mu.Unlock()
			continue
		}
		ds, err := d.emb.Builtin(ctx, p)
		if err != nil {
			return nil, true, err
		}
		parts = append(parts, ds)
	}
	ds := parts[0]
	var err error
	if len(parts) > 1 {
		if ds, err = dataset.Combine(id, dataset.CombineOptions{Prefer: -1}, parts...); err != nil {
			return nil, true, err
		}
	}
	if ds, err = d.withWorkspace(ctx, ds); err != nil {
		return nil, true, err
	}
	if ds, err = ds.WithRollups(dataset.RollupOptions{}); err != nil {
		return nil, true, err
	}
	e = &datasetEntry{ds: ds, info: DatasetInfo{ID: id, Name: id, ReadOnly: true, Regions: len(ds.Regions), Indicators: len(ds.Indicators),
		Observations: ds.Len(), Years: ds.Years(), Notes: json.RawMessage("[]")}}
	d.mu.Lock()
	if d.builtin == nil {
		d.builtin = map[string]*datasetEntry{}
	}
	if old, ok := d.builtin[id]; ok {
		e = old
	} else {
		d.builtin[id] = e
	}
	d.mu.Unlock()
	return e, true, nil
}

func (d *datasets) put(n int64, e *datasetEntry) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if _, ok := d.cache[n]; ok {
		return
	}
	d.cache[n] = e
	d.order = append(d.order, n)
	for len(d.order) > d.max {
		delete(d.cache, d.order[0])
		d.order = d.order[1:]
	}
}

func (d *datasets) touch(n int64) {
	for i, v := range d.order {
		if v == n {
			d.order = append(append(d.order[:i:i], d.order[i+1:]...), n)
			return
		}
	}
}

func (d *datasets) forget(n int64) {
	d.mu.Lock()
	defer d.mu.Unlock()
	delete(d.cache, n)
	for i, v := range d.order {
		if v == n {
			d.order = append(d.order[:i:i], d.order[i+1:]...)
			return
		}
	}
}

// withDataset runs f on the dataset named by id while holding its lock.
func (s *Server) withDataset(ctx context.Context, id string, f func(ds *dataset.Dataset, info DatasetInfo) error) error {
	e, err := s.data.get(ctx, id)
	if err != nil {
		return err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	return f(e.ds, e.info)
}

// ---- handlers ----

func (s *Server) listDatasets(w http.ResponseWriter, r *http.Request) {
	recs, err := s.store.Datasets(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := []DatasetInfo{s.data.paper.info}
	for i := range recs {
		out = append(out, infoOf(&recs[i]))
	}
	s.ok(w, out)
}

func (s *Server) showDataset(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if id == paperID {
		s.ok(w, s.data.paper.info)
		return
	}
	n, err := parseDatasetID(id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rec, err := s.store.Dataset(r.Context(), n)
	if errors.Is(err, store.ErrNotFound) {
		s.fail(w, r, notFound("id", "没有数据集“%s”", "no dataset %q", id))
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.ok(w, infoOf(rec))
}

func (s *Server) deleteDataset(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if id == paperID {
		s.fail(w, r, errf(http.StatusForbidden, codeForbidden, "id", "内置论文数据只读，不能删除", "the embedded paper dataset is read-only"))
		return
	}
	n, err := parseDatasetID(id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.store.DeleteDataset(r.Context(), n); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			err = notFound("id", "没有数据集“%s”", "no dataset %q", id)
		}
		s.fail(w, r, err)
		return
	}
	s.data.forget(n)
	s.cache.clear()
	w.WriteHeader(http.StatusNoContent)
}

// uploadResult is the answer to a successful upload.
type uploadResult struct {
	Dataset DatasetInfo `json:"dataset"`
}

// createDataset imports an uploaded CSV or XLSX file (multipart field
// "file"). The file is validated completely before anything is stored, and
// stored in one transaction.
func (s *Server) createDataset(w http.ResponseWriter, r *http.Request) {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt != "multipart/form-data" {
		s.fail(w, r, errf(http.StatusUnsupportedMediaType, codeMediaType, "Content-Type",
			"上传须为 multipart/form-data，文件放在字段 file 中", "upload as multipart/form-data with the file in field \"file\""))
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, s.cfg.Limits.MaxBody)
	content, fileName, name, err := s.readUpload(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	format, ok := dataset.FormatOf(fileName)
	if !ok || format == dataset.JSON {
		s.fail(w, r, errf(http.StatusUnprocessableEntity, codeValidation, "file", "不支持的文件类型“%s”（请用 .csv 或 .xlsx）",
			"unsupported file type %q (use .csv or .xlsx)", clip(filepath.Ext(fileName))))
		return
	}
	if err := checkShape(content, format, s.cfg.Limits); err != nil {
		s.fail(w, r, err)
		return
	}
	// One import at a time: parsing a large file takes memory, and the
	// store serialises writers anyway.
	select {
	case s.uploadSlot <- struct{}{}:
		defer func() { <-s.uploadSlot }()
	case <-r.Context().Done():
		return
	}
	opts, err := readOptions()
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ds, err := dataset.Read(bytes.NewReader(content), fileName, format, opts)
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
	if name == "" {
		name = strings.TrimSuffix(fileName, filepath.Ext(fileName))
	}
	sum := sha256.Sum256(content)
	notes, _ := json.Marshal(nonNilIssues(ds.Notes))
	rec := &store.Dataset{Name: name, FileName: fileName, Format: string(format), Size: int64(len(content)), SHA256: hex.EncodeToString(sum[:]),
		Regions: len(ds.Regions), Indicators: len(ds.Indicators), Observations: ds.Len(), Years: ds.Years(), Notes: notes}
	if err := s.store.CreateDataset(r.Context(), rec, content); err != nil {
		if r.Context().Err() != nil {
			return // the client went away; the transaction rolled back
		}
		s.fail(w, r, err)
		return
	}
	info := infoOf(rec)
	if ws, err := s.data.withWorkspace(r.Context(), ds); err == nil {
		if rolled, err := ws.WithRollups(dataset.RollupOptions{}); err == nil {
			s.data.put(rec.ID, &datasetEntry{ds: rolled, info: info})
		}
	}
	s.cache.clear()
	w.Header().Set("Location", "/api/v1/datasets/"+info.ID)
	s.created(w, uploadResult{Dataset: info})
}

func nonNilIssues(v []dataset.Issue) []dataset.Issue {
	if v == nil {
		return []dataset.Issue{}
	}
	return v
}

func summaryZH(ie *dataset.ImportError) string {
	return strings.SplitN(ie.Localized(i18n.ZH), "\n", 2)[0]
}

func summaryEN(ie *dataset.ImportError) string {
	return strings.SplitN(ie.Localized(i18n.EN), "\n", 2)[0]
}

// readUpload reads the multipart body: the file in field "file" and an
// optional display name in field "name".
func (s *Server) readUpload(r *http.Request) (content []byte, fileName, name string, err error) {
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, "", "", badRequest("Content-Type", "multipart 请求无效：%v", "invalid multipart request: %v", err)
	}
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, "", "", uploadReadError(err)
		}
		switch part.FormName() {
		case "file":
			if content != nil {
				return nil, "", "", badRequest("file", "只能上传一个文件", "upload one file at a time")
			}
			fileName = filepath.Base(strings.ReplaceAll(part.FileName(), "\\", "/"))
			b, err := io.ReadAll(part)
			if err != nil {
				return nil, "", "", uploadReadError(err)
			}
			content = b
		case "name":
			b, err := io.ReadAll(io.LimitReader(part, 1024))
			if err != nil {
				return nil, "", "", uploadReadError(err)
			}
			name = strings.TrimSpace(string(b))
			if !utf8.ValidString(name) {
				return nil, "", "", badRequest("name", "名称不是有效的 UTF-8 文本", "the name is not valid UTF-8")
			}
		}
		part.Close()
	}
	if content == nil {
		return nil, "", "", badRequest("file", "请求中没有文件（字段 file）", "no file in the request (field \"file\")")
	}
	if fileName == "" || fileName == "." || fileName == "/" {
		return nil, "", "", badRequest("file", "上传的文件没有文件名", "the uploaded file has no file name")
	}
	if len(content) == 0 {
		return nil, "", "", errf(http.StatusUnprocessableEntity, codeValidation, "file", "文件为空", "the file is empty")
	}
	return content, fileName, name, nil
}

func uploadReadError(err error) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return errf(http.StatusRequestEntityTooLarge, codeTooLarge, "file", "文件超过 %d MB 的上限", "the file exceeds the %d MB limit", mbe.Limit>>20)
	}
	return badRequest("file", "读取上传内容失败", "could not read the upload")
}
