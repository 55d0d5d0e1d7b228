package store

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// Rulebook is a user's strategy rulebook, kept as its text.
type Rulebook struct {
	ID        int64     `json:"id"`
	Name      string    `json:"name"`
	Content   string    `json:"content,omitempty"`
	CreatedAt time.Time `json:"created_at"`
}

// CreateRulebook stores a rulebook; ErrConflict when the name is taken.
func (s *Store) CreateRulebook(ctx context.Context, r *Rulebook) error {
	created := now()
	res, err := s.db.ExecContext(ctx, `INSERT INTO rulebooks (name, content, created_at) VALUES (?, ?, ?)`, r.Name, r.Content, created)
	if err != nil {
		if isUnique(err) {
			return ErrConflict
		}
		return err
	}
	r.ID, _ = res.LastInsertId()
	r.CreatedAt = parseTime(created)
	return nil
}

// Rulebooks lists the stored rulebooks (without their content).
func (s *Store) Rulebooks(ctx context.Context) ([]Rulebook, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, name, created_at FROM rulebooks ORDER BY name`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Rulebook{}
	for rows.Next() {
		var r Rulebook
		var created string
		if err := rows.Scan(&r.ID, &r.Name, &created); err != nil {
			return nil, err
		}
		r.CreatedAt = parseTime(created)
		out = append(out, r)
	}
	return out, rows.Err()
}

// RulebookByName returns a stored rulebook with its content.
func (s *Store) RulebookByName(ctx context.Context, name string) (*Rulebook, error) {
	var r Rulebook
	var created string
	err := s.db.QueryRowContext(ctx, `SELECT id, name, content, created_at FROM rulebooks WHERE name = ?`, name).Scan(&r.ID, &r.Name, &r.Content, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	r.CreatedAt = parseTime(created)
	return &r, nil
}

// DeleteRulebook removes a stored rulebook.
func (s *Store) DeleteRulebook(ctx context.Context, name string) error {
	res, err := s.db.ExecContext(ctx, `DELETE FROM rulebooks WHERE name = ?`, name)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return nil
}
