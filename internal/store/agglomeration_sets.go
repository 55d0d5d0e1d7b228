package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"time"
)

// AgglomerationSet is a user-defined set of agglomerations kept in the
// workspace: the membership file as uploaded (CSV or YAML), the codes it
// defines, and whether it replaces the built-in agglomerations.
type AgglomerationSet struct {
	ID        int64     `json:"id"`
	Name      string    `json:"name"`
	FileName  string    `json:"file_name"`
	Content   string    `json:"content,omitempty"`
	Codes     []string  `json:"codes"`
	CreatedAt time.Time `json:"created_at"`
}

// CreateAgglomerationSet stores a set; ErrConflict when the name is taken.
func (s *Store) CreateAgglomerationSet(ctx context.Context, a *AgglomerationSet) error {
	codes, err := json.Marshal(a.Codes)
	if err != nil {
		return err
	}
	created := now()
	res, err := s.db.ExecContext(ctx, `INSERT INTO agglomeration_sets (name, file_name, content, codes, created_at) VALUES (?, ?, ?, ?, ?)`,
		a.Name, a.FileName, a.Content, string(codes), created)
	if err != nil {
		if isUnique(err) {
			return ErrConflict
		}
		return err
	}
	a.ID, _ = res.LastInsertId()
	a.CreatedAt = parseTime(created)
	return nil
}

// AgglomerationSets lists the stored sets with their content, oldest
// first (the order in which they are added to the registry).
func (s *Store) AgglomerationSets(ctx context.Context) ([]AgglomerationSet, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, name, file_name, content, codes, created_at FROM agglomeration_sets ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []AgglomerationSet{}
	for rows.Next() {
		var a AgglomerationSet
		var codes, created string
		if err := rows.Scan(&a.ID, &a.Name, &a.FileName, &a.Content, &codes, &created); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(codes), &a.Codes); err != nil {
			return nil, err
		}
		a.CreatedAt = parseTime(created)
		out = append(out, a)
	}
	return out, rows.Err()
}

// AgglomerationSetByName returns a stored set.
func (s *Store) AgglomerationSetByName(ctx context.Context, name string) (*AgglomerationSet, error) {
	var a AgglomerationSet
	var codes, created string
	err := s.db.QueryRowContext(ctx, `SELECT id, name, file_name, content, codes, created_at FROM agglomeration_sets WHERE name = ?`, name).
		Scan(&a.ID, &a.Name, &a.FileName, &a.Content, &codes, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(codes), &a.Codes); err != nil {
		return nil, err
	}
	a.CreatedAt = parseTime(created)
	return &a, nil
}

// DeleteAgglomerationSet removes a set; ErrNotFound when there is none.
func (s *Store) DeleteAgglomerationSet(ctx context.Context, name string) error {
	res, err := s.db.ExecContext(ctx, `DELETE FROM agglomeration_sets WHERE name = ?`, name)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return nil
}
