package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

func open(t *testing.T) *Store {
	t.Helper()
	s, err := Open(context.Background(), filepath.Join(t.TempDir(), "ws.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestOpenMigratesAndUsesWAL(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "ws.db")
	s, err := Open(context.Background(), path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	mode, err := s.JournalMode(context.Background())
	if err != nil || mode != "wal" {
		t.Errorf("journal mode %q, %v; want wal", mode, err)
	}
	var v int
	if err := s.db.QueryRow(`SELECT version FROM schema_version`).Scan(&v); err != nil || v != SchemaVersion() {
		t.Errorf("schema version %d, %v; want %d", v, err, SchemaVersion())
	}
	s.Close()
	// Reopening is a no-op migration.
	s, err = Open(context.Background(), path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var n int
	s.db.QueryRow(`SELECT COUNT(*) FROM schema_version`).Scan(&n)
	if n != 1 {
		t.Errorf("%d schema_version rows, want 1", n)
	}
	// A newer schema is refused.
	if _, err := s.db.Exec(`UPDATE schema_version SET version = ?`, SchemaVersion()+1); err != nil {
		t.Fatal(err)
	}
	s.Close()
	_, err = Open(context.Background(), path, Options{})
	var se *SchemaError
	if !errors.As(err, &se) || se.Found != SchemaVersion()+1 {
		t.Fatalf("opening a newer schema: %v, want SchemaError", err)
	}
	if se.Localized("zh") == se.Localized("en") {
		t.Error("schema error not localised")
	}
}

func TestDatasetLifecycle(t *testing.T) {
	s := open(t)
	ctx := context.Background()
	d := &Dataset{Name: "a", FileName: "a.csv", Format: "csv", Size: 3, SHA256: "x", Regions: 2, Indicators: 1, Observations: 2, Years: []int{2019}}
	if err := s.CreateDataset(ctx, d, []byte("abc")); err != nil {
		t.Fatal(err)
	}
	if d.ID == 0 || d.CreatedAt.IsZero() {
		t.Fatalf("created %+v", d)
	}
	list, err := s.Datasets(ctx)
	if err != nil || len(list) != 1 || list[0].Name != "a" || list[0].Years[0] != 2019 || list[0].Observations != 2 || string(list[0].Notes) != "[]" {
		t.Fatalf("list %+v, %v", list, err)
	}
	b, err := s.DatasetContent(ctx, d.ID)
	if err != nil || string(b) != "abc" {
		t.Fatalf("content %q, %v", b, err)
	}
	if err := s.DeleteDataset(ctx, d.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Dataset(ctx, d.ID); !errors.Is(err, ErrNotFound) {
		t.Fatalf("after delete: %v", err)
	}
	if _, err := s.DatasetContent(ctx, d.ID); !errors.Is(err, ErrNotFound) {
		t.Fatalf("content after delete: %v", err)
	}
	if err := s.DeleteDataset(ctx, d.ID); !errors.Is(err, ErrNotFound) {
		t.Fatalf("second delete: %v", err)
	}
}

// TestCreateDatasetIsAtomic cancels an insert before it commits: no
// dataset row may remain.
func TestCreateDatasetIsAtomic(t *testing.T) {
	s := open(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := s.CreateDataset(ctx, &Dataset{Name: "y", FileName: "y.csv", Format: "csv"}, []byte("y"))
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("insert: %v, want context.Canceled", err)
	}
	if list, _ := s.Datasets(context.Background()); len(list) != 0 {
		t.Errorf("a failed insert left %d dataset rows", len(list))
	}
}

// openVersion makes a workspace of schema version v at path, as an agglo
// of that version left it (CreateAtVersion), and opens it with plain
// database/sql.
func openVersion(t *testing.T, path string, v int) *sql.DB {
	t.Helper()
	if err := CreateAtVersion(context.Background(), path, v); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", "file:"+filepath.ToSlash(path)+"?_pragma=foreign_keys(1)")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// TestMigrationDropsObservations opens a workspace of schema version 1,
// whose uploads also wrote an observations table: the migration drops the
// table and keeps the datasets with their files.
func TestMigrationDropsObservations(t *testing.T) {
	path := filepath.Join(t.TempDir(), "v1.db")
	old := openVersion(t, path, 1)
	res, err := old.Exec(`INSERT INTO datasets (name, file_name, format, size, sha256, content, regions, indicators, observations, created_at)
		VALUES ('old', 'old.csv', 'csv', 18, '', ?, 1, 1, 1, '2026-01-01T00:00:00Z')`, []byte("region,gdp\n北京,1\n"))
	if err != nil {
		t.Fatal(err)
	}
	id, _ := res.LastInsertId()
	if _, err := old.Exec(`INSERT INTO observations (dataset_id, region, indicator, year, value) VALUES (?, '110000', 'gdp', 2019, 1)`, id); err != nil {
		t.Fatal(err)
	}
	old.Close()
	s, err := Open(context.Background(), path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var n int
	if err := s.db.QueryRow(`SELECT COUNT(*) FROM sqlite_master WHERE name IN ('observations', 'observations_dataset')`).Scan(&n); err != nil || n != 0 {
		t.Errorf("%d observations objects left (%v)", n, err)
	}
	if b, err := s.DatasetContent(context.Background(), id); err != nil || string(b) != "region,gdp\n北京,1\n" {
		t.Errorf("content %q %v", b, err)
	}
	if d, err := s.Dataset(context.Background(), id); err != nil || d.Stored != StoredFile {
		t.Errorf("old dataset %+v, %v: want stored as its file", d, err)
	}
	var v int
	if err := s.db.QueryRow(`SELECT version FROM schema_version`).Scan(&v); err != nil || v != SchemaVersion() {
		t.Errorf("schema version %d (%v), want %d", v, err, SchemaVersion())
	}
}

func TestReadersDuringWrite(t *testing.T) {
	s := open(t)
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make(chan error, 100)
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; i < 5; i++ {
			if err := s.CreateDataset(ctx, &Dataset{Name: fmt.Sprint(i), FileName: "f.csv", Format: "csv"}, []byte(fmt.Sprint("file ", i))); err != nil {
				errs <- err
			}
		}
	}()
	for r := 0; r < 4; r++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 30; i++ {
				list, err := s.Datasets(ctx)
				if err != nil {
					errs <- err
					return
				}
				for _, d := range list {
					if b, err := s.DatasetContent(ctx, d.ID); err != nil || string(b) != "file "+d.Name {
						errs <- fmt.Errorf("reader saw dataset %d with content %q (%v)", d.ID, b, err)
					}
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestFrameworksRulebooksAnalyses(t *testing.T) {
	s := open(t)
	ctx := context.Background()
	f := &Framework{Code: "my", NameZH: "我的", NameEN: "Mine", YAML: "code: my"}
	if err := s.CreateFramework(ctx, f); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateFramework(ctx, &Framework{Code: "my", YAML: "x"}); !errors.Is(err, ErrConflict) {
		t.Errorf("duplicate framework: %v", err)
	}
	got, err := s.FrameworkByCode(ctx, "my")
	if err != nil || got.YAML != "code: my" {
		t.Fatalf("framework %+v, %v", got, err)
	}
	if l, _ := s.Frameworks(ctx); len(l) != 1 || l[0].YAML != "" {
		t.Errorf("frameworks %+v", l)
	}
	if err := s.DeleteFramework(ctx, "my"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.FrameworkByCode(ctx, "my"); !errors.Is(err, ErrNotFound) {
		t.Errorf("deleted framework: %v", err)
	}

	r := &Rulebook{Name: "rb", Content: "rules: []"}
	if err := s.CreateRulebook(ctx, r); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateRulebook(ctx, &Rulebook{Name: "rb"}); !errors.Is(err, ErrConflict) {
		t.Errorf("duplicate rulebook: %v", err)
	}
	if got, err := s.RulebookByName(ctx, "rb"); err != nil || got.Content != "rules: []" {
		t.Errorf("rulebook %+v, %v", got, err)
	}
	if l, _ := s.Rulebooks(ctx); len(l) != 1 {
		t.Errorf("rulebooks %+v", l)
	}
	if err := s.DeleteRulebook(ctx, "rb"); err != nil {
		t.Fatal(err)
	}

	a := &Analysis{Kind: "composite", Dataset: "paper", Params: json.RawMessage(`{"framework":"cric"}`), Result: json.RawMessage(`{"ok":true}`)}
	if err := s.CreateAnalysis(ctx, a); err != nil {
		t.Fatal(err)
	}
	got2, err := s.Analysis(ctx, a.ID)
	if err != nil || string(got2.Result) != `{"ok":true}` || string(got2.Params) != `{"framework":"cric"}` {
		t.Fatalf("analysis %+v, %v", got2, err)
	}
	if l, _ := s.Analyses(ctx); len(l) != 1 || l[0].Result != nil {
		t.Errorf("analyses %+v", l)
	}
	if err := s.DeleteAnalysis(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteAnalysis(ctx, a.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("second delete: %v", err)
	}
	if ok, err := s.IntegrityCheck(ctx); err != nil || ok != "ok" {
		t.Errorf("integrity %q, %v", ok, err)
	}
}

// The workspace quota counts the pages in use: a write that would go over
// it fails with a *QuotaError and stores nothing; space freed by a delete
// counts again.
func TestQuota(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "ws.db"), Options{MaxBytes: 500 << 10})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	base, err := s.Usage(ctx)
	if err != nil || base <= 0 || base > 200<<10 {
		t.Fatalf("empty workspace uses %d bytes, %v", base, err)
	}
	content := make([]byte, 250<<10)
	a := &Dataset{Name: "a", FileName: "a.csv", Format: "csv"}
	if err := s.CreateDataset(ctx, a, content); err != nil {
		t.Fatal(err)
	}
	used, _ := s.Usage(ctx)
	if used < 250<<10 {
		t.Errorf("after 250 KiB the workspace uses %d bytes (empty %d)", used, base)
	}
	b := &Dataset{Name: "b", FileName: "b.csv", Format: "csv"}
	err = s.CreateDataset(ctx, b, content)
	var qe *QuotaError
	if !errors.As(err, &qe) || qe.Limit != 500<<10 || qe.Adding < 250<<10 || qe.Used != used {
		t.Fatalf("second 250 KiB: %v (%+v)", err, qe)
	}
	if list, _ := s.Datasets(ctx); len(list) != 1 {
		t.Errorf("%d datasets after the refused write", len(list))
	}
	if err := s.CreateAnalysis(ctx, &Analysis{Kind: "composite", Result: json.RawMessage(`"` + strings.Repeat("x", 400<<10) + `"`)}); !errors.As(err, &qe) {
		t.Errorf("an analysis over the quota: %v", err)
	}
	if err := s.DeleteDataset(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateDataset(ctx, b, content); err != nil {
		t.Errorf("after the delete: %v", err)
	}
	unlimited := open(t)
	for range 3 {
		if err := unlimited.CreateDataset(ctx, &Dataset{Name: "x", FileName: "x.csv", Format: "csv"}, content); err != nil {
			t.Fatal(err)
		}
	}
}

func TestAgglomerationSets(t *testing.T) {
	s := open(t)
	ctx := context.Background()
	a := &AgglomerationSet{Name: "west", FileName: "west.csv", Content: "code,name_zh,member\nWX,西部,成都\n", Codes: []string{"WX"}}
	if err := s.CreateAgglomerationSet(ctx, a); err != nil || a.ID == 0 {
		t.Fatalf("create: %v", err)
	}
	if err := s.CreateAgglomerationSet(ctx, &AgglomerationSet{Name: "west", Codes: []string{}}); !errors.Is(err, ErrConflict) {
		t.Errorf("same name: %v", err)
	}
	list, err := s.AgglomerationSets(ctx)
	if err != nil || len(list) != 1 || list[0].Codes[0] != "WX" || list[0].Content != a.Content {
		t.Errorf("list %+v %v", list, err)
	}
	got, err := s.AgglomerationSetByName(ctx, "west")
	if err != nil || got.FileName != "west.csv" {
		t.Errorf("by name %+v %v", got, err)
	}
	if err := s.DeleteAgglomerationSet(ctx, "west"); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteAgglomerationSet(ctx, "west"); !errors.Is(err, ErrNotFound) {
		t.Errorf("second delete: %v", err)
	}
	if _, err := s.AgglomerationSetByName(ctx, "west"); !errors.Is(err, ErrNotFound) {
		t.Errorf("deleted set found: %v", err)
	}
}

// CreateAtVersion makes only schema versions agglo has written, and never
// over an existing file.
func TestCreateAtVersionRefuses(t *testing.T) {
	dir := t.TempDir()
	for _, v := range []int{0, -1, SchemaVersion() + 1} {
		if err := CreateAtVersion(context.Background(), filepath.Join(dir, "v.db"), v); err == nil {
			t.Errorf("version %d: no error", v)
		}
	}
	path := filepath.Join(dir, "v2.db")
	if err := CreateAtVersion(context.Background(), path, 2); err != nil {
		t.Fatal(err)
	}
	if err := CreateAtVersion(context.Background(), path, 2); err == nil {
		t.Error("an existing workspace was made again")
	}
}
