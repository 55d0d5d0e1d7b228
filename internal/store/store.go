// Package store keeps agglo's workspace in SQLite (modernc.org/sqlite, no
// cgo): uploaded datasets (their records and binary columnar forms, in
// blocks), frameworks, rulebooks and saved analyses. The schema is created by an ordered list of migrations,
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
	busy     time.Duration
	writer   chan struct{} // one writer at a time (see inTx)
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
//
// The write-ahead log is truncated to 16 MiB whenever it is reset, and
// after every large write (see checkpoint), so that it does not keep a
// large upload's size on disk. The pages a deleted dataset held are
// reused by later writes.
func Open(ctx context.Context, path string, o Options) (*Store, error) {
	return openAt(ctx, path, o, len(migrations))
}

// CreateAtVersion creates a workspace at path with schema version v
// (1 ≤ v ≤ SchemaVersion()), as the agglo that wrote version v left it: its
// first v migrations applied, nothing else. Open then migrates it as it
// would that agglo's workspace; tests of the migrations start from it.
func CreateAtVersion(ctx context.Context, path string, v int) error {
	if v < 1 || v > len(migrations) {
		return fmt.Errorf("create workspace: schema version %d is not one of 1 to %d", v, len(migrations))
	}
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("create workspace: %s exists", path)
	}
	s, err := openAt(ctx, path, Options{}, v)
	if err != nil {
		return err
	}
	return s.Close()
}

// openAt opens the workspace at path and migrates it to schema version
// version.
func openAt(ctx context.Context, path string, o Options, version int) (*Store, error) {
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
	q.Add("_pragma", fmt.Sprintf("journal_size_limit(%d)", walLimit))
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
	s := &Store{db: db, path: path, maxBytes: o.MaxBytes, busy: o.BusyTimeout, writer: make(chan struct{}, 1)}
	if err := s.migrate(ctx, version); err != nil {
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

// walLimit is the size to which the write-ahead log is truncated when it
// is reset; largeWrite is the size of a write after which the log is
// checkpointed and truncated at once.
const (
	walLimit   = 16 << 20
	largeWrite = 8 << 20
)

// checkpoint copies the write-ahead log into the database and truncates
// it, after a large write: the log would otherwise keep the write's size
// on disk until the next write resets it. It waits at most a moment for
// readers of older snapshots (the log is then truncated at a later
// reset, to walLimit) and never fails the write that called it.
func (s *Store) checkpoint(ctx context.Context) {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "PRAGMA busy_timeout = 200"); err != nil {
		return
	}
	var busy, logPages, done int
	_ = conn.QueryRowContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)").Scan(&busy, &logPages, &done)
	_, _ = conn.ExecContext(ctx, fmt.Sprintf("PRAGMA busy_timeout = %d", s.busy.Milliseconds()))
}

func now() string { return time.Now().UTC().Format(time.RFC3339) }

func parseTime(s string) time.Time {
	t, _ := time.Parse(time.RFC3339, s)
	return t
}

// inTx runs f in a transaction, committing on success. The writers of
// this process take turns before they begin (SQLite lets one write at a
// time): one waiting for the write lock would otherwise hold a connection
// of the pool, sleeping in SQLite's busy handler, while readers wait for
// connections. Writers of other processes are still waited for by the
// busy timeout.
func (s *Store) inTx(ctx context.Context, f func(tx *sql.Tx) error) error {
	select {
	case s.writer <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-s.writer }()
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
