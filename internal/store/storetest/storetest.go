// Package storetest opens real databases for tests: a SQLite file in a
// temporary directory always, and a PostgreSQL schema of its own when
// MAMORI_TEST_POSTGRES holds a DSN. Nothing is mocked. It imports store and
// the testing package only.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"mamori"
	"mamori/internal/store"
)

// EnvPostgres names the environment variable holding the PostgreSQL DSN the
// tests use; CI sets it, and without it the PostgreSQL runs are skipped.
const EnvPostgres = "MAMORI_TEST_POSTGRES"

// Each runs fn once per available database, as subtests "sqlite" and
// "postgres", each with a freshly migrated, empty store.
func Each(t *testing.T, fn func(t *testing.T, s *store.Store)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, OpenSQLite(t)) })
	t.Run("postgres", func(t *testing.T) { fn(t, OpenPostgres(t)) })
}

// DSNs returns a fresh, empty, unmigrated database DSN per available dialect,
// keyed "sqlite" and "postgres", dropped when the test ends.
func DSNs(t testing.TB) map[string]string {
	out := map[string]string{"sqlite": filepath.Join(t.TempDir(), "mamori.db")}
	if os.Getenv(EnvPostgres) != "" {
		out["postgres"] = PostgresDSN(t)
	}
	return out
}

// OpenSQLite returns a migrated store on a new SQLite file.
func OpenSQLite(t testing.TB) *store.Store {
	t.Helper()
	return open(t, filepath.Join(t.TempDir(), "mamori.db"))
}

// OpenPostgres returns a migrated store in a new PostgreSQL schema, or skips
// the test when no server is configured.
func OpenPostgres(t testing.TB) *store.Store {
	t.Helper()
	return open(t, PostgresDSN(t))
}

// PostgresDSN creates an empty schema for this test and returns a DSN whose
// search_path points at it; the schema is dropped when the test ends. It
// skips the test when MAMORI_TEST_POSTGRES is unset.
func PostgresDSN(t testing.TB) string {
	t.Helper()
	base := os.Getenv(EnvPostgres)
	if base == "" {
		t.Skip(EnvPostgres + " not set; PostgreSQL tests skipped")
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("open %s: %v", EnvPostgres, err)
	}
	// Unquoted identifiers fold to lower case in PostgreSQL.
	schema := "t_" + strings.ToLower(rand.Text()[:16])
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		admin.Close()
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		admin.Exec("DROP SCHEMA " + schema + " CASCADE")
		admin.Close()
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("parse %s: %v", EnvPostgres, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

func open(t testing.TB, dsn string) *store.Store {
	t.Helper()
	ctx := context.Background()
	s, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatalf("store.Open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.Migrate(ctx); err != nil {
		t.Fatalf("Migrate: %v", err)
	}
	return s
}

// Snapshot returns every record of every register entity, as text, for
// comparing a store before and after an operation that must not change it.
func Snapshot(t testing.TB, s *store.Store) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	for _, e := range mamori.Entities {
		var rows []string
		err := s.Dump(context.Background(), e, func(r mamori.Record) error {
			rows = append(rows, fmt.Sprint(r))
			return nil
		})
		if err != nil {
			t.Fatalf("Dump %s: %v", e.Name, err)
		}
		out[e.Name] = rows
	}
	return out
}
