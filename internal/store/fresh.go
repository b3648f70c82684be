package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// A fresh load (the demo generator filling an empty database) is fastest
// when the database checks and indexes everything once at the end rather
// than row by row: secondary indexes are dropped and rebuilt by sorting,
// and on PostgreSQL foreign keys are dropped and re-added, which validates
// every reference in one join per constraint. All of it happens inside the
// load's transaction, so a failure (a dangling reference included) leaves
// the schema and data as they were.

// execer is what the fresh-load helpers need from a *sql.Tx or *sql.Conn.
type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// deferredDDL is the schema to restore when a fresh load ends.
type deferredDDL []string

func queryStrings(ctx context.Context, db execer, q string) ([]string, error) {
	rows, err := db.QueryContext(ctx, q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// dropForFreshLoad removes what slows a bulk load down and returns the DDL
// that puts it back.
func dropForFreshLoad(ctx context.Context, d Dialect, db execer) (deferredDDL, error) {
	var restore, drops []string
	if d == SQLite {
		defs, err := queryStrings(ctx, db, `SELECT sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND name LIKE '%\_idx' ESCAPE '\' ORDER BY name`)
		if err != nil {
			return nil, fmt.Errorf("store: fresh load: %w", err)
		}
		names, err := queryStrings(ctx, db, `SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND name LIKE '%\_idx' ESCAPE '\' ORDER BY name`)
		if err != nil {
			return nil, fmt.Errorf("store: fresh load: %w", err)
		}
		for _, n := range names {
			drops = append(drops, "DROP INDEX "+n)
		}
		restore = defs
	} else {
		fks, err := queryStrings(ctx, db, `
			SELECT format('ALTER TABLE %I ADD CONSTRAINT %I %s', c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid))
			FROM pg_constraint c
			WHERE c.contype = 'f' AND c.connamespace = current_schema()::regnamespace
			ORDER BY c.conname`)
		if err != nil {
			return nil, fmt.Errorf("store: fresh load: %w", err)
		}
		fkDrops, err := queryStrings(ctx, db, `
			SELECT format('ALTER TABLE %I DROP CONSTRAINT %I', c.conrelid::regclass::text, c.conname)
			FROM pg_constraint c
			WHERE c.contype = 'f' AND c.connamespace = current_schema()::regnamespace
			ORDER BY c.conname`)
		if err != nil {
			return nil, fmt.Errorf("store: fresh load: %w", err)
		}
		idx, err := queryStrings(ctx, db, `SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() AND indexname LIKE '%\_idx' ORDER BY indexname`)
		if err != nil {
			return nil, fmt.Errorf("store: fresh load: %w", err)
		}
		idxNames, err := queryStrings(ctx, db, `SELECT format('DROP INDEX %I', indexname) FROM pg_indexes WHERE schemaname = current_schema() AND indexname LIKE '%\_idx' ORDER BY indexname`)
		if err != nil {
			return nil, fmt.Errorf("store: fresh load: %w", err)
		}
		drops = append(fkDrops, idxNames...)
		restore = append(idx, fks...) // indexes first: they speed up the FK validation
	}
	for _, q := range drops {
		if _, err := db.ExecContext(ctx, q); err != nil {
			return nil, fmt.Errorf("store: fresh load: %s: %w", q, err)
		}
	}
	return restore, nil
}

// restore re-creates what dropForFreshLoad removed. A dangling reference
// makes re-adding its foreign key fail, and with it the whole load.
func (r deferredDDL) restore(ctx context.Context, db execer) error {
	for _, q := range r {
		if _, err := db.ExecContext(ctx, q); err != nil {
			name := q
			if i := strings.Index(q, " ADD CONSTRAINT "); i >= 0 {
				name = q[i+len(" ADD CONSTRAINT "):]
				name, _, _ = strings.Cut(name, " ")
			}
			return translate(err, "fresh load "+name)
		}
	}
	return nil
}
