package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"time"
)

// Analysis is a saved analysis: its kind (composite, uncertainty,
// diagnosis, strategy ...), the dataset it ran on, its parameters and its
// result, both as JSON.
type Analysis struct {
	ID        int64           `json:"id"`
	Kind      string          `json:"kind"`
	Dataset   string          `json:"dataset"`
	Params    json.RawMessage `json:"params"`
	Result    json.RawMessage `json:"result,omitempty"`
	CreatedAt time.Time       `json:"created_at"`
}

// CreateAnalysis saves an analysis. Beyond the workspace quota it fails
// with a *QuotaError.
func (s *Store) CreateAnalysis(ctx context.Context, a *Analysis) error {
	created := now()
	params, result := a.Params, a.Result
	if len(params) == 0 {
		params = json.RawMessage("{}")
	}
	if len(result) == 0 {
		result = json.RawMessage("null")
	}
	var id int64
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if err := s.checkQuota(ctx, tx, int64(len(params)+len(result))); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO analyses (kind, dataset, params, result, created_at) VALUES (?, ?, ?, ?, ?)`,
			a.Kind, a.Dataset, string(params), string(result), created)
		if err != nil {
			return err
		}
		id, err = res.LastInsertId()
		return err
	})
	if err != nil {
		return err
	}
	a.ID = id
	a.CreatedAt = parseTime(created)
	return nil
}

// Analyses lists saved analyses (without results), newest first.
func (s *Store) Analyses(ctx context.Context) ([]Analysis, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, kind, dataset, params, created_at FROM analyses ORDER BY id DESC`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Analysis{}
	for rows.Next() {
		var a Analysis
		var params, created string
		if err := rows.Scan(&a.ID, &a.Kind, &a.Dataset, &params, &created); err != nil {
			return nil, err
		}
		a.Params = json.RawMessage(params)
		a.CreatedAt = parseTime(created)
		out = append(out, a)
	}
	return out, rows.Err()
}

// Analysis returns one saved analysis with its result.
func (s *Store) Analysis(ctx context.Context, id int64) (*Analysis, error) {
	var a Analysis
	var params, result, created string
	err := s.db.QueryRowContext(ctx, `SELECT id, kind, dataset, params, result, created_at FROM analyses WHERE id = ?`, id).
		Scan(&a.ID, &a.Kind, &a.Dataset, &params, &result, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	a.Params, a.Result = json.RawMessage(params), json.RawMessage(result)
	a.CreatedAt = parseTime(created)
	return &a, nil
}

// DeleteAnalysis removes a saved analysis.
func (s *Store) DeleteAnalysis(ctx context.Context, id int64) error {
	res, err := s.db.ExecContext(ctx, `DELETE FROM analyses WHERE id = ?`, id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return nil
}
