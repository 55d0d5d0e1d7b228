package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"time"
)

// Dataset is the stored record of an uploaded file. What is stored of the
// file is either the dataset's binary form (Stored is StoredBinary; see
// CreateDatasetBinary and DatasetBinary) or, for datasets stored before
// the binary form and those made by CreateDataset, the file itself
// (StoredFile; DatasetContent), imported again with the same validation
// when it is loaded. Observations is the number of values it holds.
type Dataset struct {
	ID           int64           `json:"id"`
	Name         string          `json:"name"`
	FileName     string          `json:"file_name"`
	Format       string          `json:"format"`
	Size         int64           `json:"size"`
	SHA256       string          `json:"sha256"`
	Regions      int             `json:"regions"`
	Indicators   int             `json:"indicators"`
	Observations int             `json:"observations"`
	Years        []int           `json:"years"`
	Notes        json.RawMessage `json:"notes"`
	CreatedAt    time.Time       `json:"created_at"`
	// Stored is the form stored (StoredFile or StoredBinary), StoredSize
	// the size of the binary form in bytes (0 for a file).
	Stored     string `json:"-"`
	StoredSize int64  `json:"-"`
}

// Forms in which a dataset is stored (Dataset.Stored).
const (
	// StoredFile is the uploaded file, imported when it is loaded.
	StoredFile = "file"
	// StoredBinary is the dataset's binary columnar form (the bytes that
	// dataset.Save writes), loaded without importing.
	StoredBinary = "agglo"
)

// CreateDataset stores a dataset's record and its file in one
// transaction: either all of it is stored or nothing is. It sets d.ID,
// d.CreatedAt and d.Stored (StoredFile). Beyond the workspace quota it
// fails with a *QuotaError. CreateDatasetBinary stores the binary form
// instead, which loads without importing.
func (s *Store) CreateDataset(ctx context.Context, d *Dataset, content []byte) error {
	years, err := json.Marshal(nonNilInts(d.Years))
	if err != nil {
		return err
	}
	notes := d.Notes
	if len(notes) == 0 {
		notes = json.RawMessage("[]")
	}
	created := now()
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if err := s.checkQuota(ctx, tx, int64(len(content))+int64(len(notes))); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO datasets
			(name, file_name, format, size, sha256, content, regions, indicators, observations, years, notes, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			d.Name, d.FileName, d.Format, d.Size, d.SHA256, content, d.Regions, d.Indicators, d.Observations, string(years), string(notes), created)
		if err != nil {
			return err
		}
		id, err := res.LastInsertId()
		if err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		d.ID = id
		d.CreatedAt = parseTime(created)
		d.Stored, d.StoredSize = StoredFile, 0
		return nil
	})
}

const datasetColumns = `id, name, file_name, format, size, sha256, regions, indicators, observations, years, notes, created_at, stored, stored_size`

func scanDataset(sc interface{ Scan(...any) error }) (*Dataset, error) {
	var d Dataset
	var years, notes, created string
	if err := sc.Scan(&d.ID, &d.Name, &d.FileName, &d.Format, &d.Size, &d.SHA256, &d.Regions, &d.Indicators, &d.Observations, &years, &notes, &created, &d.Stored, &d.StoredSize); err != nil {
		return nil, err
	}
	_ = json.Unmarshal([]byte(years), &d.Years)
	d.Years = nonNilInts(d.Years)
	d.Notes = json.RawMessage(notes)
	d.CreatedAt = parseTime(created)
	return &d, nil
}

// Datasets lists the stored datasets, newest first.
func (s *Store) Datasets(ctx context.Context) ([]Dataset, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+datasetColumns+` FROM datasets ORDER BY id DESC`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Dataset{}
	for rows.Next() {
		d, err := scanDataset(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *d)
	}
	return out, rows.Err()
}

// Dataset returns one stored dataset's record.
func (s *Store) Dataset(ctx context.Context, id int64) (*Dataset, error) {
	d, err := scanDataset(s.db.QueryRowContext(ctx, `SELECT `+datasetColumns+` FROM datasets WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	return d, err
}

// DatasetContent returns the uploaded file of a dataset stored as its file
// (StoredFile); it is empty for one stored in binary form.
func (s *Store) DatasetContent(ctx context.Context, id int64) ([]byte, error) {
	var b []byte
	err := s.db.QueryRowContext(ctx, `SELECT content FROM datasets WHERE id = ?`, id).Scan(&b)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	return b, err
}

// DeleteDataset removes a dataset and what is stored of it (its file or
// its binary form); later writes reuse the pages it held.
func (s *Store) DeleteDataset(ctx context.Context, id int64) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM datasets WHERE id = ?`, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotFound
		}
		return nil
	})
}

func nonNilInts(v []int) []int {
	if v == nil {
		return []int{}
	}
	return v
}
