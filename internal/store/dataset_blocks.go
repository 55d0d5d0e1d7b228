package store

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sync"
)

// blockSize is the size of the blocks in which a dataset's binary form is
// stored: large enough that a national dataset (70 MB) is seventy rows,
// small enough that neither writing nor reading holds more than a block
// beyond what the dataset package buffers.
const blockSize = 1 << 20

// CreateDatasetBinary stores a dataset's record and its binary form, which
// write produces (dataset.Save into the writer it is given), in one
// transaction: either all of it is stored or nothing is. The form is
// written in blocks as it is produced, so it is never held whole in
// memory. It sets d.ID, d.CreatedAt, d.Stored (StoredBinary) and
// d.StoredSize. Beyond the workspace quota (measured on the pages the
// write actually took) it fails with a *QuotaError; an error from write
// is returned as it is.
func (s *Store) CreateDatasetBinary(ctx context.Context, d *Dataset, write func(w io.Writer) error) error {
	years, err := json.Marshal(nonNilInts(d.Years))
	if err != nil {
		return err
	}
	notes := d.Notes
	if len(notes) == 0 {
		notes = json.RawMessage("[]")
	}
	created := now()
	var id, size int64
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		before, err := s.usedBefore(ctx, tx, int64(len(notes)))
		if err != nil {
			return err
		}
		row := func(storedSize int64) (int64, error) {
			res, err := tx.ExecContext(ctx, `INSERT INTO datasets
				(name, file_name, format, size, sha256, content, regions, indicators, observations, years, notes, created_at, stored, stored_size)
				VALUES (?, ?, ?, ?, ?, x'', ?, ?, ?, ?, ?, ?, ?, ?)`,
				d.Name, d.FileName, d.Format, d.Size, d.SHA256, d.Regions, d.Indicators, d.Observations, string(years), string(notes), created, StoredBinary, storedSize)
			if err != nil {
				return 0, err
			}
			return res.LastInsertId()
		}
		var recorded bool
		if id, size, recorded, err = writeBlocks(ctx, tx, row, write); err != nil {
			return err
		}
		if !recorded {
			if _, err := tx.ExecContext(ctx, `UPDATE datasets SET stored_size = ? WHERE id = ?`, size, id); err != nil {
				return err
			}
		}
		if err := s.checkGrowth(ctx, tx, before, int64(len(notes))+size); err != nil {
			return err
		}
		return ctx.Err()
	})
	if err != nil {
		return err
	}
	d.ID, d.CreatedAt, d.Stored, d.StoredSize = id, parseTime(created), StoredBinary, size
	if size >= largeWrite {
		s.checkpoint(ctx)
	}
	return nil
}

// ConvertDataset replaces the stored file of dataset id (StoredFile) by
// its binary form, which write produces, in one transaction; a dataset
// already stored in binary form is left as it is. The quota is checked
// only against growth: a conversion that frees more than it adds always
// passes. It returns ErrNotFound when the dataset is gone.
func (s *Store) ConvertDataset(ctx context.Context, id int64, write func(w io.Writer) error) error {
	var size int64
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var stored string
		err := tx.QueryRowContext(ctx, `SELECT stored FROM datasets WHERE id = ?`, id).Scan(&stored)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil || stored == StoredBinary {
			return err
		}
		before, err := s.usedBefore(ctx, tx, 0)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM dataset_blocks WHERE dataset_id = ?`, id); err != nil {
			return err
		}
		row := func(int64) (int64, error) { return id, nil }
		if _, size, _, err = writeBlocks(ctx, tx, row, write); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE datasets SET stored = ?, stored_size = ?, content = x'' WHERE id = ?`, StoredBinary, size, id); err != nil {
			return err
		}
		if err := s.checkGrowth(ctx, tx, before, size); err != nil {
			return err
		}
		return ctx.Err()
	})
	if err == nil && size >= largeWrite {
		s.checkpoint(ctx)
	}
	return err
}

// usedBefore returns the bytes the workspace uses before a write whose
// size is not known in advance, refusing it at once when adding bytes
// would already take it over the quota (0 and no check without a quota).
// checkGrowth checks the write once done.
func (s *Store) usedBefore(ctx context.Context, tx *sql.Tx, adding int64) (int64, error) {
	if s.maxBytes <= 0 {
		return 0, nil
	}
	used, err := usage(ctx, tx)
	if err != nil {
		return 0, err
	}
	if used+adding > s.maxBytes {
		return 0, &QuotaError{Used: used, Adding: adding, Limit: s.maxBytes}
	}
	return used, nil
}

// checkGrowth refuses a write of about wrote bytes that took the
// workspace over its quota and made it larger than it was before the
// write (used bytes before). The pages are counted only when the write
// could have reached the limit: stored in overflow pages, n bytes take
// less than n + n/32 + 256 KiB.
func (s *Store) checkGrowth(ctx context.Context, tx *sql.Tx, before, wrote int64) error {
	if s.maxBytes <= 0 || before+wrote+wrote/32+256<<10 <= s.maxBytes {
		return nil
	}
	after, err := usage(ctx, tx)
	if err != nil {
		return err
	}
	if after > s.maxBytes && after > before {
		return &QuotaError{Used: before, Adding: after - before, Limit: s.maxBytes}
	}
	return nil
}

// writeBlocks stores what write produces as blocks of a dataset and
// returns the dataset's id, the form's size and whether row recorded it.
// row makes the dataset's record (or names it) before its first block;
// it is given the form's size when the whole form is then known (it fits
// in one block, as small datasets do), else 0. write gets a buffered
// writer of blockSize (dataset.Save uses it as its own buffer rather than
// allocating one), so that blocks are whole blockSize pieces but the
// last.
func writeBlocks(ctx context.Context, tx *sql.Tx, row func(size int64) (int64, error), write func(w io.Writer) error) (id, size int64, recorded bool, err error) {
	bw := &blockWriter{ctx: ctx, tx: tx, row: row}
	buf := blockBuffers.Get().(*bufio.Writer)
	buf.Reset(bw)
	defer func() {
		buf.Reset(nil)
		blockBuffers.Put(buf)
	}()
	if err := write(buf); err != nil {
		return 0, 0, false, err
	}
	bw.final = true
	if err := buf.Flush(); err != nil {
		return 0, 0, false, err
	}
	if bw.size == 0 {
		return 0, 0, false, errors.New("store: empty binary form")
	}
	return bw.id, bw.size, bw.recorded, nil
}

// blockBuffers are the buffers of writeBlocks, reused: a small dataset
// need not allocate one.
var blockBuffers = sync.Pool{New: func() any { return bufio.NewWriterSize(nil, blockSize) }}

// blockWriter inserts what is written to it as blocks of at most
// blockSize bytes, after the dataset's record.
type blockWriter struct {
	ctx      context.Context
	tx       *sql.Tx
	row      func(size int64) (int64, error)
	final    bool // the next write is the last
	id       int64
	seq      int64
	size     int64
	recorded bool // row was given the size
}

func (w *blockWriter) Write(p []byte) (int, error) {
	if w.seq == 0 {
		var size int64
		if w.final && len(p) <= blockSize {
			size = int64(len(p))
		}
		id, err := w.row(size)
		if err != nil {
			return 0, w.fail(err)
		}
		w.id, w.recorded = id, size > 0
	}
	n := 0
	for len(p) > 0 {
		k := min(len(p), blockSize)
		if err := w.ctx.Err(); err != nil {
			return n, err
		}
		if _, err := w.tx.ExecContext(w.ctx, `INSERT INTO dataset_blocks (dataset_id, seq, data) VALUES (?, ?, ?)`, w.id, w.seq, p[:k]); err != nil {
			return n, w.fail(err)
		}
		w.seq++
		w.size += int64(k)
		p = p[k:]
		n += k
	}
	return n, nil
}

// fail is err, or the context's error when the transaction was closed
// with its context.
func (w *blockWriter) fail(err error) error {
	if w.ctx.Err() != nil {
		return w.ctx.Err()
	}
	return err
}

// ErrNoBinary is returned by DatasetBinary for a dataset stored as its
// file (StoredFile).
var ErrNoBinary = errors.New("store: dataset not stored in binary form")

// DatasetBinary returns a reader of dataset id's binary form, block by
// block from one snapshot of the workspace; the caller closes it. A
// dataset stored as its file gives ErrNoBinary, a missing one ErrNotFound.
// Blocks that are missing or out of order (a damaged workspace) make the
// reader fail, never return other bytes.
func (s *Store) DatasetBinary(ctx context.Context, id int64) (io.ReadCloser, error) {
	var stored string
	var size int64
	err := s.db.QueryRowContext(ctx, `SELECT stored, stored_size FROM datasets WHERE id = ?`, id).Scan(&stored, &size)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	if stored != StoredBinary {
		return nil, ErrNoBinary
	}
	rows, err := s.db.QueryContext(ctx, `SELECT seq, data FROM dataset_blocks WHERE dataset_id = ? ORDER BY seq`, id)
	if err != nil {
		return nil, err
	}
	return &blockReader{rows: rows, size: size}, nil
}

// blockReader reads the blocks of a dataset in order.
type blockReader struct {
	rows *sql.Rows
	cur  []byte
	seq  int64
	read int64
	size int64
	err  error
}

func (r *blockReader) Read(p []byte) (int, error) {
	for len(r.cur) == 0 {
		if r.err != nil {
			return 0, r.err
		}
		if !r.rows.Next() {
			r.err = r.rows.Err()
			if r.err == nil && r.read != r.size {
				r.err = fmt.Errorf("store: binary form ends after %d of %d bytes", r.read, r.size)
			}
			if r.err == nil {
				r.err = io.EOF
			}
			continue
		}
		var seq int64
		var data []byte
		if err := r.rows.Scan(&seq, &data); err != nil {
			r.err = err
			continue
		}
		if seq != r.seq {
			r.err = fmt.Errorf("store: block %d of the binary form where %d belongs", seq, r.seq)
			continue
		}
		r.seq++
		r.read += int64(len(data))
		r.cur = data
	}
	n := copy(p, r.cur)
	r.cur = r.cur[n:]
	return n, nil
}

func (r *blockReader) Close() error { return r.rows.Close() }
