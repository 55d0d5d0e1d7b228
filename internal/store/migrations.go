package store

import (
	"context"
	"database/sql"
	"fmt"
)

// migrations are applied in order; migration i brings the schema to version
// i+1. Never edit a released migration: append a new one.
var migrations = []func(tx *sql.Tx) error{
	func(tx *sql.Tx) error {
		_, err := tx.Exec(`
CREATE TABLE datasets (
	id           INTEGER PRIMARY KEY,
	name         TEXT NOT NULL,
	file_name    TEXT NOT NULL,
	format       TEXT NOT NULL,
	size         INTEGER NOT NULL,
	sha256       TEXT NOT NULL,
	content      BLOB NOT NULL,
	regions      INTEGER NOT NULL,
	indicators   INTEGER NOT NULL,
	observations INTEGER NOT NULL,
	years        TEXT NOT NULL DEFAULT '[]',
	notes        TEXT NOT NULL DEFAULT '[]',
	created_at   TEXT NOT NULL
);
CREATE TABLE observations (
	dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
	region     TEXT NOT NULL,
	indicator  TEXT NOT NULL,
	year       INTEGER NOT NULL,
	value      REAL NOT NULL,
	row        INTEGER NOT NULL DEFAULT 0,
	col        INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX observations_dataset ON observations(dataset_id, region, indicator);
CREATE TABLE frameworks (
	id         INTEGER PRIMARY KEY,
	code       TEXT NOT NULL UNIQUE,
	name_zh    TEXT NOT NULL,
	name_en    TEXT NOT NULL,
	yaml       TEXT NOT NULL,
	created_at TEXT NOT NULL
);
CREATE TABLE rulebooks (
	id         INTEGER PRIMARY KEY,
	name       TEXT NOT NULL UNIQUE,
	content    TEXT NOT NULL,
	created_at TEXT NOT NULL
);
CREATE TABLE analyses (
	id         INTEGER PRIMARY KEY,
	kind       TEXT NOT NULL,
	dataset    TEXT NOT NULL,
	params     TEXT NOT NULL,
	result     TEXT NOT NULL,
	created_at TEXT NOT NULL
);
CREATE INDEX analyses_kind ON analyses(kind, id);
`)
		return err
	},
	// 2: the observations table was written on every upload and never
	// read; a dataset is re-read from its stored file (datasets.content).
	func(tx *sql.Tx) error {
		_, err := tx.Exec(`DROP INDEX IF EXISTS observations_dataset; DROP TABLE IF EXISTS observations;`)
		return err
	},
	// 3: user-defined agglomeration sets (agglomeration_sets.go).
	func(tx *sql.Tx) error {
		_, err := tx.Exec(`
CREATE TABLE agglomeration_sets (
	id         INTEGER PRIMARY KEY,
	name       TEXT NOT NULL UNIQUE,
	file_name  TEXT NOT NULL,
	content    TEXT NOT NULL,
	codes      TEXT NOT NULL DEFAULT '[]',
	created_at TEXT NOT NULL
);`)
		return err
	},
	// 4: a dataset is stored in its binary columnar form (dataset.Save),
	// in blocks of dataset_blocks, and reopened without importing its file
	// again. datasets.stored says which form a row holds: 'file' (the
	// uploaded file in content, as every dataset stored before this
	// migration; converted when it is first loaded) or 'agglo' (the
	// blocks; content is empty). stored_size is the size of the binary
	// form.
	func(tx *sql.Tx) error {
		_, err := tx.Exec(`
ALTER TABLE datasets ADD COLUMN stored TEXT NOT NULL DEFAULT 'file';
ALTER TABLE datasets ADD COLUMN stored_size INTEGER NOT NULL DEFAULT 0;
CREATE TABLE dataset_blocks (
	dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
	seq        INTEGER NOT NULL,
	data       BLOB NOT NULL,
	PRIMARY KEY (dataset_id, seq)
);`)
		return err
	},
}

// SchemaVersion is the schema version this build of agglo writes.
func SchemaVersion() int { return len(migrations) }

// migrate applies the migrations that bring the schema to version to
// (len(migrations) but in CreateAtVersion).
func (s *Store) migrate(ctx context.Context, to int) error {
	if _, err := s.db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)`); err != nil {
		return fmt.Errorf("open workspace: %w", err)
	}
	var v int
	err := s.db.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_version`).Scan(&v)
	if err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	if v > len(migrations) {
		return &SchemaError{Found: v, Known: len(migrations)}
	}
	for i := v; i < to; i++ {
		err := s.inTx(ctx, func(tx *sql.Tx) error {
			// Re-check inside the write lock: another process may have
			// migrated meanwhile.
			var cur int
			if err := tx.QueryRow(`SELECT COALESCE(MAX(version), 0) FROM schema_version`).Scan(&cur); err != nil {
				return err
			}
			if cur > i {
				return nil
			}
			if err := migrations[i](tx); err != nil {
				return err
			}
			if _, err := tx.Exec(`DELETE FROM schema_version`); err != nil {
				return err
			}
			_, err := tx.Exec(`INSERT INTO schema_version (version) VALUES (?)`, i+1)
			return err
		})
		if err != nil {
			return fmt.Errorf("migration %d: %w", i+1, err)
		}
	}
	return nil
}

// SchemaError reports a workspace written by a newer agglo.
type SchemaError struct{ Found, Known int }

func (e *SchemaError) Error() string {
	return fmt.Sprintf("workspace schema version %d is newer than this agglo knows (%d); use a newer agglo or another --db", e.Found, e.Known)
}

// Localized implements i18n.Localizer.
func (e *SchemaError) Localized(lang string) string {
	if lang == "en" {
		return e.Error()
	}
	return fmt.Sprintf("工作区数据库的结构版本 %d 高于本程序支持的版本 %d；请使用更新的 agglo 或换一个 --db", e.Found, e.Known)
}
