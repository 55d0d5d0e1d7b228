package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"
)

// Framework is a user's composite-index framework, kept as its YAML text.
type Framework struct {
	ID        int64     `json:"id"`
	Code      string    `json:"code"`
	NameZH    string    `json:"name_zh"`
	NameEN    string    `json:"name_en"`
	YAML      string    `json:"yaml,omitempty"`
	CreatedAt time.Time `json:"created_at"`
}

// CreateFramework stores a framework; ErrConflict when the code is taken.
func (s *Store) CreateFramework(ctx context.Context, f *Framework) error {
	created := now()
	res, err := s.db.ExecContext(ctx, `INSERT INTO frameworks (code, name_zh, name_en, yaml, created_at) VALUES (?, ?, ?, ?, ?)`,
		f.Code, f.NameZH, f.NameEN, f.YAML, created)
	if err != nil {
		if isUnique(err) {
			return ErrConflict
		}
		return err
	}
	f.ID, _ = res.LastInsertId()
	f.CreatedAt = parseTime(created)
	return nil
}

// Frameworks lists the stored frameworks (without their YAML).
func (s *Store) Frameworks(ctx context.Context) ([]Framework, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, code, name_zh, name_en, created_at FROM frameworks ORDER BY code`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Framework{}
	for rows.Next() {
		var f Framework
		var created string
		if err := rows.Scan(&f.ID, &f.Code, &f.NameZH, &f.NameEN, &created); err != nil {
			return nil, err
		}
		f.CreatedAt = parseTime(created)
		out = append(out, f)
	}
	return out, rows.Err()
}

// FrameworkByCode returns a stored framework with its YAML.
func (s *Store) FrameworkByCode(ctx context.Context, code string) (*Framework, error) {
	var f Framework
	var created string
	err := s.db.QueryRowContext(ctx, `SELECT id, code, name_zh, name_en, yaml, created_at FROM frameworks WHERE code = ?`, code).
		Scan(&f.ID, &f.Code, &f.NameZH, &f.NameEN, &f.YAML, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	f.CreatedAt = parseTime(created)
	return &f, nil
}

// DeleteFramework removes a stored framework.
func (s *Store) DeleteFramework(ctx context.Context, code string) error {
	res, err := s.db.ExecContext(ctx, `DELETE FROM frameworks WHERE code = ?`, code)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return nil
}

func isUnique(err error) bool {
	return err != nil && strings.Contains(err.Error(), "UNIQUE constraint failed")
}
