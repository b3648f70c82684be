// Package store keeps mamori's data in SQLite (one embedded file, the default)
// or PostgreSQL (by DSN), behind one API and one schema whose versioned
// migrations are embedded in the binary. All SQL lives here; it is written by
// hand in raw strings. It imports package mamori and drivers, never other
// internal adapters.
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"runtime"
	"strings"
	"sync/atomic"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"mamori"
)

//go:embed migrations
var migrations embed.FS

// Dialect names the database engine behind a Store.
type Dialect int

// The dialects.
const (
	SQLite Dialect = iota
	Postgres
)

func (d Dialect) String() string {
	if d == Postgres {
		return "postgres"
	}
	return "sqlite"
}

// Store is an open database. Reads go through a pool; on SQLite, writes go
// through a single connection so writers queue in Go instead of failing with
// SQLITE_BUSY.
type Store struct {
	dialect Dialect
	read    *sql.DB
	write   *sql.DB
	// findingCounts caches the totals of finding lists until the next
	// assessment: counting half a million findings for every page of a
	// list would cost more than the page.
	findingCounts countCache
	// listCounts caches the totals of paged register lists briefly; loads
	// counts the loads this process committed, which invalidates them.
	listCounts ttlCounts
	loads      atomic.Uint64
	// auditKeys signs and verifies the audit chain (SetAuditKeyring).
	auditKeys atomic.Pointer[AuditKeyring]
}

// readPoolSize is how many SQLite readers may run at once.
func readPoolSize() int { return max(4, runtime.GOMAXPROCS(0)) }

// IsPostgresDSN reports whether dsn names a PostgreSQL database rather than a
// SQLite file.
func IsPostgresDSN(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// Open connects to the database named by dsn: a postgres:// URL, or else the
// path of a SQLite file (created if absent). It does not migrate.
func Open(ctx context.Context, dsn string) (*Store, error) {
	if dsn == "" {
		return nil, mamori.Errorf(mamori.Invalid, "データベースが指定されていません", "no database given")
	}
	s := &Store{}
	s.SetAuditKeyring(EphemeralAuditKeyring())
	if IsPostgresDSN(dsn) {
		s.dialect = Postgres
		db, err := sql.Open("pgx", dsn)
		if err != nil {
			return nil, fmt.Errorf("store: open postgres: %w", err)
		}
		db.SetMaxOpenConns(max(4, 2*runtime.GOMAXPROCS(0)))
		s.read, s.write = db, db
	} else {
		s.dialect = SQLite
		path := strings.TrimPrefix(dsn, "file:")
		pragmas := "_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_pragma=busy_timeout(10000)&_pragma=synchronous(NORMAL)"
		u := "file:" + (&url.URL{Path: path}).EscapedPath()
		// The writer gets a larger page cache: bulk loads insert into several
		// indexes at once, and 64 MiB keeps their upper levels in memory.
		// Its temporary files stay in memory too: every multi-row upsert
		// inside a transaction keeps a statement journal, which otherwise
		// goes to a temporary file (saving 351,335 matches spent 1.5 s of
		// its 11 s of processor time writing it).
		w, err := sql.Open("sqlite", u+"?"+pragmas+"&_pragma=cache_size(-65536)&_pragma=temp_store(MEMORY)&_txlock=immediate")
		if err != nil {
			return nil, fmt.Errorf("store: open sqlite: %w", err)
		}
		w.SetMaxOpenConns(1)
		r, err := sql.Open("sqlite", u+"?"+pragmas+"&mode=ro")
		if err != nil {
			w.Close()
			return nil, fmt.Errorf("store: open sqlite: %w", err)
		}
		r.SetMaxOpenConns(readPoolSize())
		r.SetMaxIdleConns(readPoolSize())
		s.read, s.write = r, w
	}
	if err := s.write.PingContext(ctx); err != nil {
		s.Close()
		return nil, &mamori.Error{Kind: mamori.Internal, Message: "cannot connect to the database",
			MessageJA: "データベースに接続できません", Err: err}
	}
	return s, nil
}

// Dialect reports which database engine the store uses.
func (s *Store) Dialect() Dialect { return s.dialect }

// Close releases the connections.
func (s *Store) Close() error {
	err := s.write.Close()
	if s.read != s.write {
		err = errors.Join(err, s.read.Close())
	}
	return err
}

// Migrate brings the schema up to the newest embedded migration. On
// PostgreSQL a session lock keeps two processes from migrating at once.
// It then refuses a store whose organization tree holds a cycle, with an
// error wrapping ErrOrgCycle (the schema is up to date all the same, so
// the repair can run).
func (s *Store) Migrate(ctx context.Context) error {
	p, err := s.provider()
	if err != nil {
		return err
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("store: migrate: %w", err)
	}
	return s.checkOrgTree(ctx)
}

// SchemaVersion reports the current and the newest known migration versions.
func (s *Store) SchemaVersion(ctx context.Context) (current, latest int64, err error) {
	p, err := s.provider()
	if err != nil {
		return 0, 0, err
	}
	current, err = p.GetDBVersion(ctx)
	if err != nil {
		return 0, 0, fmt.Errorf("store: schema version: %w", err)
	}
	srcs := p.ListSources()
	if len(srcs) > 0 {
		latest = srcs[len(srcs)-1].Version
	}
	return current, latest, nil
}

func (s *Store) provider() (*goose.Provider, error) {
	sub, err := fs.Sub(migrations, "migrations/"+s.dialect.String())
	if err != nil {
		return nil, fmt.Errorf("store: migrations: %w", err)
	}
	var opts []goose.ProviderOption
	dialect := goose.DialectSQLite3
	if s.dialect == Postgres {
		dialect = goose.DialectPostgres
		locker, err := lock.NewPostgresSessionLocker()
		if err != nil {
			return nil, fmt.Errorf("store: migration lock: %w", err)
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	opts = append(opts, goose.WithDisableGlobalRegistry(true))
	p, err := goose.NewProvider(dialect, s.write, sub, opts...)
	if err != nil {
		return nil, fmt.Errorf("store: migrations: %w", err)
	}
	return p, nil
}

// translate turns a driver error into a mamori error where it means something
// a user can act on (a duplicate or a dangling reference); the driver's text
// stays in Err for the log.
//
// op names the operation and table ("insert systems"); the message keeps it,
// with the constraint where the driver names one, so the user learns where.
func translate(err error, op string) error {
	if err == nil {
		return nil
	}
	mk := func(kind mamori.Kind, en, ja, detail string) error {
		if detail != "" {
			detail = " (" + detail + ")"
		}
		return &mamori.Error{Kind: kind, Message: fmt.Sprintf("%s: %s%s", op, en, detail),
			MessageJA: fmt.Sprintf("%s: %s%s", op, ja, detail), Err: err}
	}
	if pe, ok := errors.AsType[*pgconn.PgError](err); ok {
		switch pe.Code {
		case "23505":
			return mk(mamori.Conflict, "duplicate key", "キーが重複しています", pe.ConstraintName)
		case "23503":
			return mk(mamori.Invalid, "reference to a record that does not exist", "存在しないレコードを参照しています", pe.ConstraintName)
		case "23514", "23502", "22021", "22P02":
			return mk(mamori.Invalid, "value not allowed", "許されない値です", pe.ConstraintName+pe.ColumnName)
		}
	}
	if se, ok := errors.AsType[*sqlite.Error](err); ok {
		switch se.Code() {
		case sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY, sqlite3.SQLITE_CONSTRAINT_UNIQUE:
			return mk(mamori.Conflict, "duplicate key", "キーが重複しています", "")
		case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
			return mk(mamori.Invalid, "reference to a record that does not exist", "存在しないレコードを参照しています", "")
		case sqlite3.SQLITE_CONSTRAINT_CHECK, sqlite3.SQLITE_CONSTRAINT_NOTNULL:
			return mk(mamori.Invalid, "value not allowed", "許されない値です", "")
		}
	}
	return fmt.Errorf("store: %s: %w", op, err)
}
