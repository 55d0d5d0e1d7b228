// Package store keeps agglo's workspace in SQLite (modernc.org/sqlite, no
// cgo): uploaded datasets (their files and records), frameworks, rulebooks and
// saved analyses. The schema is created by an ordered list of migrations,
// each applied in its own transaction; a database written by a newer agglo
// (an unknown schema version) is refused.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// ErrNotFound is returned when a row does not exist.
var ErrNotFound = errors.New("store: not found")

// ErrConflict is returned when a unique name is taken.
var ErrConflict = errors.New("store: already exists")

// Store is an open workspace database. It is safe for concurrent use.
type Store struct {
	db       *sql.DB
	path     string
	maxBytes int64
}

// Options configure Open.
type Options struct {
	// BusyTimeout is how long a writer waits for another writer's lock.
	BusyTimeout time.Duration
	// MaxOpenConns bounds the connection pool (readers run in parallel in
	// WAL mode; writers take turns).
	MaxOpenConns int
	// MaxBytes bounds the data the workspace holds (its used database
	// pages); a write that would take it over fails with a *QuotaError.
	// Zero means no bound.
	MaxBytes int64
}

// Open opens (creating if needed) the workspace at path, switches it to WAL
// mode and applies pending migrations. path ":memory:" is not supported: WAL
// needs a file (tests use a temporary directory).
func Open(ctx context.Context, path string, o Options) (*Store, error) {
	if o.BusyTimeout == 0 {
		o.BusyTimeout = 10 * time.Second
	}
	if o.MaxOpenConns == 0 {
		o.MaxOpenConns = 8
	}
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, fmt.Errorf("create workspace folder: %w", err)
		}
	}
	q := url.Values{}
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", o.BusyTimeout.Milliseconds()))
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Set("_txlock", "immediate")
	dsn := "file:" + filepath.ToSlash(path) + "?" + q.Encode()
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(o.MaxOpenConns)
	db.SetMaxIdleConns(o.MaxOpenConns)
	s := &Store{db: db, path: path, maxBytes: o.MaxBytes}
	if err := s.migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

// Path returns the database file's path.
func (s *Store) Path() string { return s.path }

// IntegrityCheck runs PRAGMA integrity_check and returns its first line
// ("ok" for a sound database).
func (s *Store) IntegrityCheck(ctx context.Context) (string, error) {
	var res string
	err := s.db.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&res)
	return res, err
}

// JournalMode returns the database's journal mode ("wal").
func (s *Store) JournalMode(ctx context.Context) (string, error) {
	var res string
	err := s.db.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&res)
	return res, err
}

// QuotaError is returned by a write that would take the workspace over
// Options.MaxBytes.
type QuotaError struct {
	Used, Adding, Limit int64 // bytes
}

func (e *QuotaError) Error() string {
	return fmt.Sprintf("store: workspace quota: %d bytes used + %d > limit %d", e.Used, e.Adding, e.Limit)
}

// Usage returns the bytes of data the workspace holds: its database pages
// in use (free pages left by deletions are reused, so they do not count).
func (s *Store) Usage(ctx context.Context) (int64, error) {
	return usage(ctx, s.db)
}

type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func usage(ctx context.Context, q querier) (int64, error) {
	var pages, free, size int64
	if err := q.QueryRowContext(ctx, "PRAGMA page_count").Scan(&pages); err != nil {
		return 0, err
	}
	if err := q.QueryRowContext(ctx, "PRAGMA freelist_count").Scan(&free); err != nil {
		return 0, err
	}
	if err := q.QueryRowContext(ctx, "PRAGMA page_size").Scan(&size); err != nil {
		return 0, err
	}
	return (pages - free) * size, nil
}

// checkQuota refuses adding bytes to the workspace, inside the write's
// transaction (which holds the write lock, so that two writers cannot both
// pass the check).
func (s *Store) checkQuota(ctx context.Context, tx *sql.Tx, adding int64) error {
	if s.maxBytes <= 0 {
		return nil
	}
	used, err := usage(ctx, tx)
	if err != nil {
		return err
	}
	if used+adding > s.maxBytes {
		return &QuotaError{Used: used, Adding: adding, Limit: s.maxBytes}
	}
	return nil
}

func now() string { return time.Now().UTC().Format(time.RFC3339) }

func parseTime(s string) time.Time {
	t, _ := time.Parse(time.RFC3339, s)
	return t
}

// inTx runs f in a transaction, committing on success.
func (s *Store) inTx(ctx context.Context, f func(tx *sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := f(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	return tx.Commit()
}
