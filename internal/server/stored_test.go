package server

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"math"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"agglo/internal/bench"
	"agglo/internal/dataset"
	"agglo/internal/store"
)

// obsKey names an observation independently of a dataset's numbering.
type obsKey struct {
	region, indicator string
	year              int32
}

// obsVal is what an observation holds besides its key: the value's bits
// (so that NaN, -0 and the last bit count) and its provenance.
type obsVal struct {
	bits     uint64
	row, col int32
	prov     string // kind, reference, file, sheet, note, formula
}

func observations(ds *dataset.Dataset) map[obsKey]obsVal {
	out := make(map[obsKey]obsVal, ds.Len())
	for o := range ds.All() {
		p := ds.Provenance(o)
		out[obsKey{ds.Regions[o.Region].Code, ds.Indicators[o.Indicator].Code, o.Year}] = obsVal{math.Float64bits(o.Value), o.Row, o.Col,
			strings.Join([]string{string(p.Kind), p.Ref, p.File, p.Sheet, p.Note, p.Formula}, "|")}
	}
	return out
}

// sameDataset requires got to hold exactly what want holds: regions,
// indicators (with units), years, notes and every observation with its
// value to the bit and its provenance.
func sameDataset(t *testing.T, got, want *dataset.Dataset) {
	t.Helper()
	codes := func(ds *dataset.Dataset) (regions, indicators []string) {
		for _, r := range ds.Regions {
			regions = append(regions, fmt.Sprintf("%s|%s|%s|%s|%g|%g", r.Code, r.NameZH, r.NameEN, r.Level, r.Lon, r.Lat))
		}
		for _, ind := range ds.Indicators {
			indicators = append(indicators, ind.Code+"|"+ind.Unit)
		}
		return
	}
	gr, gi := codes(got)
	wr, wi := codes(want)
	if !slices.Equal(gr, wr) || !slices.Equal(gi, wi) || !slices.Equal(got.Years(), want.Years()) || got.FreeUnits != want.FreeUnits {
		t.Fatalf("regions %v, indicators %v, years %v; want %v, %v, %v", gr, gi, got.Years(), wr, wi, want.Years())
	}
	if len(got.Notes) != len(want.Notes) {
		t.Errorf("%d notes, want %d", len(got.Notes), len(want.Notes))
	}
	for i := range min(len(got.Notes), len(want.Notes)) {
		if got.Notes[i].Text != want.Notes[i].Text {
			t.Errorf("note %d: %v, want %v", i, got.Notes[i].Text, want.Notes[i].Text)
		}
	}
	g, w := observations(got), observations(want)
	if len(g) != len(w) || got.Len() != want.Len() {
		t.Fatalf("%d observations, want %d", len(g), len(w))
	}
	bad := 0
	for k, wv := range w {
		if gv, ok := g[k]; !ok || gv != wv {
			if bad++; bad <= 5 {
				t.Errorf("%v: %+v, want %+v", k, gv, wv)
			}
		}
	}
	if bad > 0 {
		t.Fatalf("%d of %d observations differ", bad, len(w))
	}
}

// loaded returns the dataset the server serves for id, loaded from the
// store (nothing kept in memory first).
func loaded(t *testing.T, e *testEnv, id string) *dataset.Dataset {
	t.Helper()
	evictDatasets(e.srv)
	en, err := e.srv.data.get(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return en.ds
}

func imported(t *testing.T, name string, content []byte) *dataset.Dataset {
	t.Helper()
	opts, err := readOptions()
	if err != nil {
		t.Fatal(err)
	}
	format, _ := dataset.FormatOf(name)
	ds, err := dataset.Read(bytes.NewReader(content), name, format, opts)
	if err != nil {
		t.Fatal(err)
	}
	return ds
}

// An upload is stored in its binary form and loads back with exactly the
// values and provenance that importing the file gives: a Chinese long
// table with notes, a wide table of free units, an XLSX file, and
// synthetic tables large enough to fill several blocks.
func TestUploadStoredInBinaryFormRoundTrips(t *testing.T) {
	e := newEnv(t, Config{})
	xlsx := func() []byte {
		var buf bytes.Buffer
		if err := imported(t, "ok.csv", []byte(okCSV)).WriteXLSX(&buf); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}()
	for _, f := range []struct {
		name    string
		content []byte
	}{
		{"ok.csv", []byte(okCSV)},
		// A short row (a note names it) and a missing value.
		{"notes.csv", []byte("region,year,常住人口(万人),地区生产总值(亿元)\n北京市,2019,2154,35371\n天津市,2019,1562\n河北省,2019,,35104\n")},
		{"ok.xlsx", xlsx},
		{"free.csv", []byte("unit,year,score,weight\nAlpha,2020,1.5,-0\nBeta,2020,2.25e-300,7\nGamma,2021,0.1,1e300\n")},
		{"long.csv", synthetic(t, bench.SyntheticSpec{Regions: 3000, Indicators: 30, Years: 4, Layout: bench.LayoutLong, Seed: 4}, bench.CSV)},
		{"wide.csv", synthetic(t, bench.SyntheticSpec{Regions: 2900, Indicators: 40, Years: 3, Layout: bench.LayoutWide, Seed: 5}, bench.CSV)},
	} {
		id := e.uploadID(f.name, f.content)
		n, _ := parseDatasetID(id)
		rec, err := e.st.Dataset(context.Background(), n)
		if err != nil || rec.Stored != store.StoredBinary || rec.StoredSize == 0 {
			t.Fatalf("%s stored as %+v, %v", f.name, rec, err)
		}
		if content, _ := e.st.DatasetContent(context.Background(), n); len(content) != 0 {
			t.Errorf("%s: the file (%d bytes) stored besides the binary form", f.name, len(content))
		}
		// The server gives every dataset it loads the workspace's
		// registry and the agglomeration values rolled up from the
		// members: the imported file must match after the same step.
		want, err := e.srv.data.prepare(context.Background(), imported(t, f.name, f.content))
		if err != nil {
			t.Fatal(err)
		}
		sameDataset(t, loaded(t, e, id), want)
		t.Logf("%s: %d bytes uploaded, %d stored, %d observations", f.name, len(f.content), rec.StoredSize, want.Len())
	}
	// Nothing of the uploads is left in the workspace's folder.
	left, _ := filepath.Glob(filepath.Join(filepath.Dir(e.st.Path()), uploadPattern))
	if len(left) != 0 {
		t.Errorf("upload files left behind: %v", left)
	}
}

// The limits are counted while the file is read: a file beyond the rows or
// cells of the server's limits is refused with 413, naming the flag that
// raises the limit, and nothing is stored or left on disk.
func TestUploadLimitsCountedWhileReading(t *testing.T) {
	e := newEnv(t, Config{Limits: Limits{MaxRows: 100, MaxCells: 250}})
	rows := "region,year,常住人口(万人)\n" + strings.Repeat("北京市,2019,1\n", 101)
	r := e.upload("rows.csv", []byte(rows), "Accept-Language", "en")
	want(t, r, 413)
	if eb := r.errBody(t); eb.Code != codeTooLarge || !strings.Contains(eb.Message, "--max-rows") {
		t.Errorf("too many rows: %+v", eb)
	}
	cells := "region,year,常住人口(万人),地区生产总值(亿元)\n" + strings.Repeat("北京市,2019,1,2\n", 70)
	r = e.upload("cells.csv", []byte(cells), "Accept-Language", "en")
	want(t, r, 413)
	if eb := r.errBody(t); eb.Code != codeTooLarge || !strings.Contains(eb.Message, "--max-cells") {
		t.Errorf("too many cells: %+v", eb)
	}
	// Regions and indicators, counted as the file is read.
	e2 := newEnv(t, Config{Limits: Limits{MaxRegions: 2, MaxIndicators: 1}})
	for _, c := range []struct{ file, body, flag string }{
		{"regions.csv", "region,indicator,year,value\nA,a,2020,1\nB,a,2020,1\nC,a,2020,1\n", "--max-regions"},
		{"indicators.csv", "region,indicator,year,value\nA,a,2020,1\nA,b,2020,1\n", "--max-indicators"},
	} {
		r := e2.upload(c.file, []byte(c.body), "Accept-Language", "en")
		want(t, r, 413)
		if eb := r.errBody(t); eb.Code != codeTooLarge || !strings.Contains(eb.Message, c.flag) || !strings.Contains(eb.Message, "row ") {
			t.Errorf("%s: %+v", c.file, eb)
		}
	}
	fits := "region,year,常住人口(万人)\n"
	for y := 1971; y <= 2020; y++ {
		fits += fmt.Sprintf("北京市,%d,1\n", y)
	}
	want(t, e.upload("fits.csv", []byte(fits)), 201)
	if list, _ := e.st.Datasets(context.Background()); len(list) != 1 {
		t.Errorf("%d datasets stored, want the one that fits", len(list))
	}
	left, _ := filepath.Glob(filepath.Join(filepath.Dir(e.st.Path()), uploadPattern))
	if len(left) != 0 {
		t.Errorf("upload files left behind: %v", left)
	}
}

// openRaw opens a workspace file with plain database/sql, as another
// program (or damage) would touch it.
func openRaw(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+filepath.ToSlash(path)+"?_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// A stored binary form that is damaged (a flipped byte, a block cut
// short, a block missing) gives a 500 that says what to do and nothing of
// the cause; the server goes on serving, and the dataset can be deleted.
func TestDamagedStoredDatasetIsA500(t *testing.T) {
	for _, damage := range []struct {
		name, sql string
	}{
		{"flipped byte", `UPDATE dataset_blocks SET data = substr(data, 1, 99) || x'ff' || substr(data, 101) WHERE dataset_id = ? AND seq = 0`},
		{"short block", `UPDATE dataset_blocks SET data = substr(data, 1, 1000) WHERE dataset_id = ? AND seq = 0`},
		{"missing block", `DELETE FROM dataset_blocks WHERE dataset_id = ? AND seq = 0`},
		{"no signature", `UPDATE dataset_blocks SET data = x'00' || substr(data, 2) WHERE dataset_id = ? AND seq = 0`},
	} {
		t.Run(damage.name, func(t *testing.T) {
			e := newEnv(t, Config{})
			id := e.uploadID("d.csv", synthetic(t, bench.SyntheticSpec{Regions: 300, Indicators: 5, Years: 2, Layout: bench.LayoutLong, Seed: 6}, bench.CSV))
			n, _ := parseDatasetID(id)
			if _, err := openRaw(t, e.st.Path()).Exec(damage.sql, n); err != nil {
				t.Fatal(err)
			}
			evictDatasets(e.srv)
			for _, lang := range []string{"en", "zh"} {
				r := e.get("/api/v1/indicators?dataset="+id+"&lang="+lang, "Accept-Language", lang)
				want(t, r, 500)
				eb := r.errBody(t)
				if eb.Code != codeStoredData {
					t.Errorf("code %q", eb.Code)
				}
				for _, leak := range []string{"checksum", "crc", "signature", "store:", "block", "sqlite", "agglo data file"} {
					if strings.Contains(strings.ToLower(string(r.body)), leak) {
						t.Errorf("the 500 tells of %q: %s", leak, r.body)
					}
				}
				if lang == "en" && !strings.Contains(eb.Message, "upload its file again") {
					t.Errorf("message %q", eb.Message)
				}
			}
			want(t, e.get("/api/v1/indicators"), 200)
			want(t, e.get("/api/v1/datasets/"+id), 200)
			want(t, e.do("DELETE", "/api/v1/datasets/"+id, "", nil), 204)
		})
	}
}

// A workspace of the schema before the binary form opens, and its datasets
// (a CSV and an XLSX file) load with the values their files give; the
// first load converts each to its binary form, which a restarted server
// loads, and one whose file no longer validates is a 422 naming its
// problem.
func TestOldWorkspaceOpensAndLoads(t *testing.T) {
	// Schema version 2 is the one agglo wrote before datasets were stored
	// in binary form: a dataset is its uploaded file, in datasets.content.
	path := filepath.Join(t.TempDir(), "old.db")
	if err := store.CreateAtVersion(context.Background(), path, 2); err != nil {
		t.Fatal(err)
	}
	old := openRaw(t, path)
	long := synthetic(t, bench.SyntheticSpec{Regions: 500, Indicators: 8, Years: 3, Layout: bench.LayoutLong, Seed: 7}, bench.CSV)
	xlsx := synthetic(t, bench.SyntheticSpec{Regions: 200, Indicators: 6, Years: 2, Layout: bench.LayoutWide, Seed: 8}, bench.XLSX)
	files := []struct {
		name, format string
		content      []byte
	}{{"old.csv", "csv", long}, {"old.xlsx", "xlsx", xlsx}, {"bad.csv", "csv", []byte(badCSV)}}
	for _, f := range files {
		if _, err := old.Exec(`INSERT INTO datasets (name, file_name, format, size, sha256, content, regions, indicators, observations, years, notes, created_at)
			VALUES (?, ?, ?, ?, '', ?, 0, 0, 0, '[]', '[]', '2026-11-01T00:00:00Z')`, f.name, f.name, f.format, len(f.content), f.content); err != nil {
			t.Fatal(err)
		}
	}
	old.Close()

	st, err := store.Open(context.Background(), path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	e := newEnvOn(t, st)
	var list []DatasetInfo
	e.get("/api/v1/datasets").json(t, &list)
	if len(list) != 4 {
		t.Fatalf("datasets %+v", list)
	}
	for i, f := range files[:2] {
		id := fmt.Sprint(i + 1)
		sameDataset(t, loaded(t, e, id), imported(t, f.name, f.content))
		rec, _ := st.Dataset(context.Background(), int64(i+1))
		if rec.Stored != store.StoredBinary {
			t.Errorf("%s still stored as %q after its first load", f.name, rec.Stored)
		}
		if content, _ := st.DatasetContent(context.Background(), int64(i+1)); len(content) != 0 {
			t.Errorf("%s: its file (%d bytes) kept after the conversion", f.name, len(content))
		}
	}
	r := e.get("/api/v1/indicators?dataset=3", "Accept-Language", "en")
	want(t, r, 422)
	if eb := r.errBody(t); len(eb.Issues) != 1 || eb.Issues[0].Row != 3 {
		t.Errorf("old invalid file: %+v", eb)
	}
	// A new server on the converted workspace loads the binary forms.
	e2 := newEnvOn(t, st)
	for i, f := range files[:2] {
		sameDataset(t, loaded(t, e2, fmt.Sprint(i+1)), imported(t, f.name, f.content))
	}
	want(t, e2.get("/api/v1/indicators?dataset=1"), 200)
}

// newEnvOn serves an open store (closed with the test).
func newEnvOn(t *testing.T, st *store.Store) *testEnv {
	t.Helper()
	srv, err := New(Config{Addr: "127.0.0.1:0"}, st)
	if err != nil {
		t.Fatal(err)
	}
	ts := newTestServer(t, srv)
	t.Cleanup(func() { st.Close() })
	return &testEnv{t: t, srv: srv, st: st, ts: ts}
}

// Upload files left by a server that was killed while receiving them are
// removed when a server starts, once they are an hour old.
func TestStaleUploadFilesRemoved(t *testing.T) {
	dir := t.TempDir()
	stale := filepath.Join(dir, ".agglo-upload-1")
	fresh := filepath.Join(dir, ".agglo-upload-2")
	other := filepath.Join(dir, "keep.csv")
	for _, p := range []string{stale, fresh, other} {
		if err := os.WriteFile(p, []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	old := mustTime(t, "2026-01-01T00:00:00Z")
	os.Chtimes(stale, old, old)
	os.Chtimes(other, old, old)
	st, err := store.Open(context.Background(), filepath.Join(dir, "ws.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := New(Config{Addr: "127.0.0.1:0"}, st); err != nil {
		t.Fatal(err)
	}
	for p, want := range map[string]bool{stale: false, fresh: true, other: true} {
		if _, err := os.Stat(p); (err == nil) != want {
			t.Errorf("%s: exists %v, want %v", filepath.Base(p), err == nil, want)
		}
	}
}

func newTestServer(t *testing.T, srv *Server) *httptest.Server {
	t.Helper()
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(func() {
		ts.Close()
		srv.Close()
	})
	return ts
}

func mustTime(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// An XLSX file, which the importer holds whole in memory, may take at most
// half the upload budget; a larger one is refused with 413 before it is
// parsed, and nothing is left on disk.
func TestUploadXLSXBoundedByBudget(t *testing.T) {
	xlsx := synthetic(t, bench.SyntheticSpec{Regions: 300, Indicators: 20, Years: 2, Layout: bench.LayoutWide, Seed: 9}, bench.XLSX)
	e := newEnv(t, Config{Limits: Limits{UploadBytes: int64(len(xlsx))}})
	r := e.upload("big.xlsx", xlsx, "Accept-Language", "en")
	want(t, r, 413)
	if eb := r.errBody(t); eb.Code != codeTooLarge || !strings.Contains(eb.Message, "save it as CSV") {
		t.Errorf("large XLSX: %+v", eb)
	}
	left, _ := filepath.Glob(filepath.Join(filepath.Dir(e.st.Path()), uploadPattern))
	if len(left) != 0 {
		t.Errorf("upload files left behind: %v", left)
	}
	e = newEnv(t, Config{Limits: Limits{UploadBytes: 2*int64(len(xlsx)) + 1}})
	want(t, e.upload("fits.xlsx", xlsx), 201)
}

// A file within every size limit can still need more memory than the
// server has: each distinct indicator (or region) costs kilobytes to
// import. Its parse is stopped when the live heap passes MaxLiveHeap, and
// the file refused with 413 naming --max-memory; nothing is stored, and a
// later upload goes through.
func TestUploadStoppedAtHeapLimit(t *testing.T) {
	var b strings.Builder
	b.WriteString("region,indicator,year,value\n")
	for i := range 200000 {
		fmt.Fprintf(&b, "110000,x%d,2020,1\n", i)
	}
	hostile := []byte(b.String())
	runtime.GC()
	limit := liveHeap() + 64<<20
	e := newEnv(t, Config{Limits: Limits{MaxLiveHeap: limit}})
	start := time.Now()
	r := e.upload("many-indicators.csv", hostile, "Accept-Language", "en")
	want(t, r, 413)
	if eb := r.errBody(t); eb.Code != codeTooLarge || !strings.Contains(eb.Message, "--max-memory") {
		t.Errorf("refused with %+v", eb)
	}
	t.Logf("%d-byte file refused after %v at a live heap over %d MiB", len(hostile), time.Since(start).Round(time.Millisecond), limit>>20)
	if list, _ := e.st.Datasets(context.Background()); len(list) != 0 {
		t.Errorf("%d datasets stored", len(list))
	}
	runtime.GC()
	want(t, e.upload("ok.csv", []byte(okCSV)), 201)
}
