package store

import (
	"bytes"
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
)

// form is a stand-in for a dataset's binary form: n pseudo-random bytes.
func form(n int, seed uint64) []byte {
	r := rand.New(rand.NewPCG(seed, 1))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

// writeIn writes b in pieces of the given size, as dataset.Save's buffered
// writer does.
func writeIn(b []byte, piece int) func(io.Writer) error {
	return func(w io.Writer) error {
		for len(b) > 0 {
			k := min(piece, len(b))
			if _, err := w.Write(b[:k]); err != nil {
				return err
			}
			b = b[k:]
		}
		return nil
	}
}

func readBinary(t *testing.T, s *Store, id int64) ([]byte, error) {
	t.Helper()
	rc, err := s.DatasetBinary(context.Background(), id)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return io.ReadAll(rc)
}

func countBlocks(t *testing.T, s *Store, id int64) int {
	t.Helper()
	var n int
	if err := s.db.QueryRow(`SELECT COUNT(*) FROM dataset_blocks WHERE dataset_id = ?`, id).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// A binary form is stored in blocks and read back byte for byte, whatever
// its size against the block size and the size of the writes; deleting
// the dataset deletes its blocks.
func TestDatasetBinaryRoundTrip(t *testing.T) {
	s := open(t)
	ctx := context.Background()
	for i, c := range []struct{ size, piece int }{
		{1, 1},
		{blockSize - 1, 4096},
		{blockSize, blockSize},
		{blockSize + 1, 7},
		{2*blockSize + 12345, 3 << 20},
	} {
		want := form(c.size, uint64(i))
		d := &Dataset{Name: "b", FileName: "b.csv", Format: "csv", Size: 99, Observations: 5, Years: []int{2020}}
		if err := s.CreateDatasetBinary(ctx, d, writeIn(want, c.piece)); err != nil {
			t.Fatal(err)
		}
		if d.ID == 0 || d.Stored != StoredBinary || d.StoredSize != int64(c.size) || d.CreatedAt.IsZero() {
			t.Fatalf("created %+v", d)
		}
		rec, err := s.Dataset(ctx, d.ID)
		if err != nil || rec.Stored != StoredBinary || rec.StoredSize != int64(c.size) || rec.Size != 99 || rec.Observations != 5 {
			t.Fatalf("record %+v, %v", rec, err)
		}
		got, err := readBinary(t, s, d.ID)
		if err != nil || !bytes.Equal(got, want) {
			t.Fatalf("size %d in pieces of %d: read %d bytes (%v), want the %d written", c.size, c.piece, len(got), err, len(want))
		}
		if content, err := s.DatasetContent(ctx, d.ID); err != nil || len(content) != 0 {
			t.Errorf("content of a binary dataset: %d bytes, %v", len(content), err)
		}
		wantBlocks := (c.size + blockSize - 1) / blockSize
		if n := countBlocks(t, s, d.ID); n != wantBlocks {
			t.Errorf("size %d: %d blocks, want %d", c.size, n, wantBlocks)
		}
		if err := s.DeleteDataset(ctx, d.ID); err != nil {
			t.Fatal(err)
		}
		if n := countBlocks(t, s, d.ID); n != 0 {
			t.Errorf("%d blocks left after the delete", n)
		}
		if _, err := s.DatasetBinary(ctx, d.ID); !errors.Is(err, ErrNotFound) {
			t.Errorf("binary form after the delete: %v", err)
		}
	}
}

// A write that fails halfway (the dataset does not save, the client went
// away) leaves neither a record nor blocks.
func TestCreateDatasetBinaryIsAtomic(t *testing.T) {
	s := open(t)
	ctx := context.Background()
	boom := errors.New("boom")
	err := s.CreateDatasetBinary(ctx, &Dataset{Name: "x", FileName: "x.csv", Format: "csv"}, func(w io.Writer) error {
		if err := writeIn(form(3*blockSize/2, 1), 4096)(w); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("failed write: %v", err)
	}
	cctx, cancel := context.WithCancel(ctx)
	err = s.CreateDatasetBinary(cctx, &Dataset{Name: "y", FileName: "y.csv", Format: "csv"}, func(w io.Writer) error {
		cancel()
		return writeIn(form(2*blockSize, 2), blockSize)(w)
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled write: %v", err)
	}
	if err := s.CreateDatasetBinary(ctx, &Dataset{Name: "z", FileName: "z.csv", Format: "csv"}, func(io.Writer) error { return nil }); err == nil {
		t.Error("an empty binary form was stored")
	}
	if list, _ := s.Datasets(ctx); len(list) != 0 {
		t.Errorf("%d datasets after failed writes", len(list))
	}
	var n int
	s.db.QueryRow(`SELECT COUNT(*) FROM dataset_blocks`).Scan(&n)
	if n != 0 {
		t.Errorf("%d blocks after failed writes", n)
	}
}

// A binary form counts against the quota by the pages it takes; a refused
// one stores nothing.
func TestDatasetBinaryQuota(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "ws.db"), Options{MaxBytes: 3 << 20})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.CreateDatasetBinary(ctx, &Dataset{Name: "a", FileName: "a.csv", Format: "csv"}, writeIn(form(2<<20, 1), 1<<16)); err != nil {
		t.Fatal(err)
	}
	used, _ := s.Usage(ctx)
	err = s.CreateDatasetBinary(ctx, &Dataset{Name: "b", FileName: "b.csv", Format: "csv"}, writeIn(form(2<<20, 2), 1<<16))
	var qe *QuotaError
	if !errors.As(err, &qe) || qe.Used != used || qe.Adding < 2<<20 || qe.Limit != 3<<20 {
		t.Fatalf("over the quota: %v (%+v), used %d", err, qe, used)
	}
	if list, _ := s.Datasets(ctx); len(list) != 1 {
		t.Errorf("%d datasets after the refused write", len(list))
	}
	if after, _ := s.Usage(ctx); after != used {
		t.Errorf("the refused write left the workspace at %d bytes, was %d", after, used)
	}
}

// A dataset stored as its file (by an older agglo) is converted in place:
// its blocks are stored, its file dropped, and a second conversion does
// nothing.
func TestConvertDataset(t *testing.T) {
	s := open(t)
	ctx := context.Background()
	d := &Dataset{Name: "old", FileName: "old.csv", Format: "csv"}
	if err := s.CreateDataset(ctx, d, form(300<<10, 3)); err != nil {
		t.Fatal(err)
	}
	if d.Stored != StoredFile {
		t.Fatalf("CreateDataset stored %q", d.Stored)
	}
	if _, err := s.DatasetBinary(ctx, d.ID); !errors.Is(err, ErrNoBinary) {
		t.Fatalf("binary form of a file dataset: %v", err)
	}
	want := form(blockSize+5, 4)
	if err := s.ConvertDataset(ctx, d.ID, writeIn(want, 1000)); err != nil {
		t.Fatal(err)
	}
	rec, _ := s.Dataset(ctx, d.ID)
	if rec.Stored != StoredBinary || rec.StoredSize != int64(len(want)) {
		t.Fatalf("after conversion %+v", rec)
	}
	if got, err := readBinary(t, s, d.ID); err != nil || !bytes.Equal(got, want) {
		t.Fatalf("converted form: %d bytes, %v", len(got), err)
	}
	if content, _ := s.DatasetContent(ctx, d.ID); len(content) != 0 {
		t.Errorf("the file (%d bytes) kept after conversion", len(content))
	}
	called := false
	if err := s.ConvertDataset(ctx, d.ID, func(io.Writer) error { called = true; return nil }); err != nil || called {
		t.Errorf("second conversion: %v, write called %v", err, called)
	}
	if err := s.ConvertDataset(ctx, 999, writeIn(want, 1000)); !errors.Is(err, ErrNotFound) {
		t.Errorf("converting a missing dataset: %v", err)
	}
}

// Damaged blocks (one missing, the last cut short) make the reader fail;
// it never returns other bytes as the form.
func TestDatasetBinaryDamaged(t *testing.T) {
	s := open(t)
	ctx := context.Background()
	d := &Dataset{Name: "d", FileName: "d.csv", Format: "csv"}
	if err := s.CreateDatasetBinary(ctx, d, writeIn(form(3*blockSize, 5), blockSize)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.Exec(`UPDATE dataset_blocks SET data = substr(data, 1, 10) WHERE dataset_id = ? AND seq = 2`, d.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := readBinary(t, s, d.ID); err == nil {
		t.Error("a short block read without error")
	}
	if _, err := s.db.Exec(`DELETE FROM dataset_blocks WHERE dataset_id = ? AND seq = 1`, d.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := readBinary(t, s, d.ID); err == nil {
		t.Error("a missing block read without error")
	}
}

// After a large write the write-ahead log is truncated, so that it does
// not keep the write's size on disk; the pages of a deleted dataset are
// reused by the next.
func TestLargeWritesLeaveNoLog(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ws.db")
	ctx := context.Background()
	s, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	size := func(p string) int64 {
		st, err := os.Stat(p)
		if err != nil {
			return 0
		}
		return st.Size()
	}
	var db int64
	for i := range 3 {
		d := &Dataset{Name: "big", FileName: "big.csv", Format: "csv"}
		if err := s.CreateDatasetBinary(ctx, d, writeIn(form(24<<20, uint64(i)), 1<<20)); err != nil {
			t.Fatal(err)
		}
		if wal := size(path + "-wal"); wal > 1<<20 {
			t.Errorf("write-ahead log of %d bytes after a 24 MiB write", wal)
		}
		if db = size(path); db < 24<<20 || db > 26<<20 {
			t.Errorf("database of %d bytes holding one 24 MiB dataset", db)
		}
		if err := s.DeleteDataset(ctx, d.ID); err != nil {
			t.Fatal(err)
		}
	}
}
