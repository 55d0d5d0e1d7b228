package server

import (
	"bytes"
	"container/list"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"

	"agglo/internal/analysis"
	"agglo/internal/dataset"
	"agglo/internal/store"
)

// datasetEntry is a loaded dataset. A *dataset.Dataset builds its lookup
// indices lazily, so one goroutine at a time may use it: mu guards ds.
type datasetEntry struct {
	mu   sync.Mutex
	ds   *dataset.Dataset
	info DatasetInfo
	size int64 // datasetBytes(ds)
}

// datasets loads uploaded datasets from the store on demand and keeps the
// most recently used ones in memory within a byte budget. One load per
// dataset runs at a time: requests for a dataset being loaded wait for
// that load (single flight), however many arrive.
type datasets struct {
	st     *store.Store
	log    *slog.Logger
	opts   dataset.ReadOptions // registry and catalogue, loaded once (the importer copies the catalogue it extends)
	paper  *datasetEntry
	budget int64
	pool   *parsePool
	base   context.Context // loads run under it, not under the request that started them

	mu    sync.Mutex
	bytes int64
	lru   *list.List // of *datasetEntry ids (int64), most recent first
	byID  map[int64]*list.Element
	calls map[int64]*loadCall
	// gen counts forgets: a load that overlapped one is not kept (its
	// record may be gone, and its id reused).
	gen uint64

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

type cachedDataset struct {
	id int64
	e  *datasetEntry
}

type loadCall struct {
	done chan struct{}
	e    *datasetEntry
	err  error
}

func newDatasets(base context.Context, st *store.Store, budget int64, pool *parsePool, log *slog.Logger) (*datasets, error) {
	ds, err := analysis.PaperData()
	if err != nil {
		return nil, err
	}
	if ds, err = ds.WithRollups(dataset.RollupOptions{}); err != nil {
		return nil, err
	}
	opts, err := readOptions()
	if err != nil {
		return nil, err
	}
	info := DatasetInfo{ID: paperID, Name: ds.Name, ReadOnly: true, Regions: len(ds.Regions), Indicators: len(ds.Indicators),
		Observations: ds.Len(), Years: ds.Years(), Notes: json.RawMessage("[]")}
	return &datasets{st: st, log: log, opts: opts, paper: &datasetEntry{ds: ds, info: info}, budget: budget, pool: pool, base: base,
		lru: list.New(), byID: map[int64]*list.Element{}, calls: map[int64]*loadCall{}}, nil
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
	if el, ok := d.byID[n]; ok {
		d.lru.MoveToFront(el)
		d.mu.Unlock()
		return el.Value.(*cachedDataset).e, nil
	}
	call, ok := d.calls[n]
	if !ok {
		call = &loadCall{done: make(chan struct{})}
		d.calls[n] = call
		gen := d.gen
		go d.load(n, call, gen)
	}
	d.mu.Unlock()
	select {
	case <-call.done:
		return call.e, call.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// load reads dataset n from the store for every request waiting on call,
// and keeps it unless a forget happened meanwhile.
func (d *datasets) load(n int64, call *loadCall, gen uint64) {
	e, err := d.loadStored(d.base, n)
	d.mu.Lock()
	delete(d.calls, n)
	if err == nil && gen == d.gen {
		d.keep(n, e)
	}
	d.mu.Unlock()
	call.e, call.err = e, err
	close(call.done)
}

// loadStored reads a stored dataset into memory: its record, then its
// binary form (dataset.Load, in the parse pool). This is the one place
// that turns stored bytes into a *dataset.Dataset, for uploads too (an
// upload is stored, not kept, and its first use loads it), so what is
// served is always what is stored. A dataset stored as its file by an
// older agglo is imported once, with the validation of an upload, and
// converted to its binary form (convert). A binary form that does not
// load (a damaged workspace, or a form of another agglo) is a 500 that
// says so, without the details, which are logged.
func (d *datasets) loadStored(ctx context.Context, n int64) (*datasetEntry, error) {
	rec, err := d.st.Dataset(ctx, n)
	if errors.Is(err, store.ErrNotFound) {
		return nil, notFound("dataset", "没有数据集“%d”", "no dataset %d", n)
	}
	if err != nil {
		return nil, err
	}
	if rec.Stored != store.StoredBinary {
		e, err := d.convert(ctx, rec)
		if err != nil || e != nil {
			return e, err
		}
		if rec, err = d.st.Dataset(ctx, n); err != nil {
			return nil, err
		}
	}
	release, err := d.pool.acquire(ctx, rec.StoredSize, true)
	if err != nil {
		return nil, err
	}
	defer release()
	rc, err := d.st.DatasetBinary(ctx, n)
	if errors.Is(err, store.ErrNotFound) {
		return nil, notFound("dataset", "没有数据集“%d”", "no dataset %d", n)
	}
	if err != nil {
		return nil, err
	}
	ds, err := dataset.Load(rc, d.opts)
	rc.Close()
	if err != nil {
		return nil, unreadable(n, err)
	}
	if ds, err = d.prepare(ctx, ds); err != nil {
		return nil, err
	}
	return newEntry(ds, infoOf(rec)), nil
}

// unreadable is the error of a stored dataset that does not load: a 500
// that tells the user what to do; the cause is logged, not sent.
func unreadable(n int64, cause error) error {
	e := errf(http.StatusInternalServerError, codeStoredData, "dataset",
		"数据集 %d 的存储内容无法读取（已损坏，或由其他版本的 agglo 写入）：请删除它并重新上传原文件",
		"the stored form of dataset %d cannot be read (it is damaged, or was written by another version of agglo): delete it and upload its file again", n)
	e.cause = cause
	return e
}

// convert imports a dataset stored as its uploaded file (every dataset of a
// workspace from before the binary form) and stores its binary form in
// place of the file. It returns (nil, nil) when the binary form is stored
// and should be loaded; when storing it fails (the workspace quota, a
// busy database) the dataset just imported, which serves this time.
func (d *datasets) convert(ctx context.Context, rec *store.Dataset) (*datasetEntry, error) {
	release, err := d.pool.acquire(ctx, rec.Size, true)
	if err != nil {
		return nil, err
	}
	defer release()
	content, err := d.st.DatasetContent(ctx, rec.ID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, notFound("dataset", "没有数据集“%d”", "no dataset %d", rec.ID)
	}
	if err != nil {
		return nil, err
	}
	ds, err := dataset.ReadContext(ctx, bytes.NewReader(content), rec.FileName, dataset.Format(rec.Format), d.opts)
	content = nil
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		var ie *dataset.ImportError
		if errors.As(err, &ie) {
			return nil, importError(ie, "dataset")
		}
		return nil, unreadable(rec.ID, err)
	}
	err = d.st.ConvertDataset(ctx, rec.ID, func(w io.Writer) error { return dataset.Save(w, ds) })
	switch {
	case err == nil:
		return nil, nil
	case errors.Is(err, store.ErrNotFound):
		return nil, notFound("dataset", "没有数据集“%d”", "no dataset %d", rec.ID)
	case ctx.Err() != nil:
		return nil, ctx.Err()
	}
	d.log.Warn("dataset kept in its file form", "dataset", rec.ID, "err", err)
	if ds, err = d.prepare(ctx, ds); err != nil {
		return nil, err
	}
	e := newEntry(ds, infoOf(rec))
	e.size *= 2 // columns that grew while the file was read
	return e, nil
}

// prepare gives a dataset read from the store or an upload the
// workspace's registry (its agglomeration sets) and the agglomeration
// values rolled up from the members.
func (d *datasets) prepare(ctx context.Context, ds *dataset.Dataset) (*dataset.Dataset, error) {
	ds, err := d.withWorkspace(ctx, ds)
	if err != nil {
		return nil, err
	}
	return ds.WithRollups(dataset.RollupOptions{})
}

// analysisDataset is the data the diagnosis, the strategy and the report
// use when the request names none: the paper's data and the city data, as
// on the command line (agglo diagnose; dataset.AnalysisBuiltins).
var analysisDataset = strings.Join(dataset.AnalysisBuiltins(), "+")

// orAnalysisDefault returns id, or analysisDataset when it is empty.
func orAnalysisDefault(id string) string {
	if id == "" {
		return analysisDataset
	}
	return id
}

// builtinEntry returns the built-in data set id (agglo data sources), or
// several joined by "+" and combined; ok is false when id names none.
// Built-in entries are kept for the life of the server: they are few
// (the ids a client asks for) and each is read once.
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
	if ds, err = d.prepare(ctx, ds); err != nil {
		return nil, true, err
	}
	e = newEntry(ds, DatasetInfo{ID: id, Name: id, ReadOnly: true, Regions: len(ds.Regions), Indicators: len(ds.Indicators),
		Observations: ds.Len(), Years: ds.Years(), Notes: json.RawMessage("[]")})
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

func newEntry(ds *dataset.Dataset, info DatasetInfo) *datasetEntry {
	return &datasetEntry{ds: ds, info: info, size: datasetBytes(ds)}
}

// keep adds e under the budget, evicting the least recently used; a
// dataset larger than the whole budget is not kept. d.mu is held.
func (d *datasets) keep(n int64, e *datasetEntry) {
	if _, ok := d.byID[n]; ok || e.size > d.budget {
		return
	}
	d.byID[n] = d.lru.PushFront(&cachedDataset{id: n, e: e})
	d.bytes += e.size
	for d.bytes > d.budget {
		d.drop(d.lru.Back())
	}
}

func (d *datasets) drop(el *list.Element) {
	c := d.lru.Remove(el).(*cachedDataset)
	delete(d.byID, c.id)
	d.bytes -= c.e.size
}

// forget drops dataset n (deleted).
func (d *datasets) forget(n int64) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.gen++
	if el, ok := d.byID[n]; ok {
		d.drop(el)
	}
}

// evictAll drops every loaded dataset (the paper's stays).
func (d *datasets) evictAll() {
	d.mu.Lock()
	defer d.mu.Unlock()
	for d.lru.Len() > 0 {
		d.drop(d.lru.Back())
	}
}

// size returns the estimated bytes and the number of loaded datasets.
func (d *datasets) size() (int64, int) {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.bytes, d.lru.Len()
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
