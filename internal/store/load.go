package store

import (
	"context"
	"database/sql"
	"slices"

	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"mamori"
)

// Loader writes register records inside one transaction opened by Store.Load.
// Records are upserted on their natural key, so loading the same input twice
// leaves the store as loading it once.
type Loader struct {
	ctx     context.Context
	dialect Dialect
	tx      *sql.Tx   // SQLite
	conn    *sql.Conn // PostgreSQL: a pinned connection running BEGIN … COMMIT
	stmts   map[string]*sql.Stmt
	temps   map[string]bool
	fresh   bool
	written map[string]int64
	failed  error // the first failed Put: the transaction may no longer commit
	// orgs holds the codes of the organizations written, whose parents are
	// checked for a cycle before the commit.
	orgs map[string]bool
}

// LoadOptions tune a load.
type LoadOptions struct {
	// Fresh promises that the tables are empty, so PostgreSQL can COPY straight
	// into them instead of through a staging table, and both databases can
	// build indexes and check references once at the end (see fresh.go).
	// Demo generation sets it.
	Fresh bool
}

// sqliteBatchRows bounds a multi-row INSERT: large enough to amortise the
// statement, small enough to stay under SQLite's 32,766 bound parameters.
const sqliteBatchRows = 256

// Load runs fn with a Loader in a single transaction: either everything fn
// writes is committed, or (on any error, or cancellation) nothing is.
func (s *Store) Load(ctx context.Context, opts LoadOptions, fn func(*Loader) error) (err error) {
	// Whatever the outcome, cached list counts may no longer hold.
	defer s.loads.Add(1)
	l := &Loader{ctx: ctx, dialect: s.dialect, stmts: map[string]*sql.Stmt{}, temps: map[string]bool{},
		fresh: opts.Fresh, written: map[string]int64{}}
	if s.dialect == SQLite {
		if opts.Fresh {
			// In WAL mode every page of a bulk load is written twice: to the
			// log, then into the file at checkpoint. Filling an empty database
			// with a rollback journal writes new pages once (there is nothing
			// to journal), and the commit is just as atomic. WAL comes back
			// when the load ends, whatever its outcome.
			// Leaving WAL needs every other connection closed: drop the idle
			// readers. If another process still has the file open the switch
			// fails, and the load simply runs in WAL mode.
			s.read.SetMaxIdleConns(0)
			var mode string
			if err := s.write.QueryRowContext(ctx, "PRAGMA journal_mode = DELETE").Scan(&mode); err == nil && mode == "delete" {
				defer s.write.ExecContext(context.WithoutCancel(ctx), "PRAGMA journal_mode = WAL")
			}
			defer s.read.SetMaxIdleConns(readPoolSize())
		}
		tx, berr := s.write.BeginTx(ctx, nil)
		if berr != nil {
			return fmt.Errorf("store: begin: %w", berr)
		}
		l.tx = tx
		var restore deferredDDL
		if opts.Fresh {
			if restore, err = dropForFreshLoad(ctx, SQLite, tx); err != nil {
				tx.Rollback()
				return err
			}
		}
		defer func() {
			for _, st := range l.stmts {
				st.Close()
			}
			if err == nil && l.failed != nil {
				err = l.failed
			}
			if err == nil {
				err = restore.restore(ctx, tx)
			}
			if err == nil {
				err = l.checkOrgTree(tx)
			}
			if err != nil {
				tx.Rollback()
				return
			}
			err = translate(tx.Commit(), "commit")
		}()
		return fn(l)
	}
	conn, cerr := s.write.Conn(ctx)
	if cerr != nil {
		return fmt.Errorf("store: connection: %w", cerr)
	}
	defer conn.Close()
	if _, cerr := conn.ExecContext(ctx, "BEGIN"); cerr != nil {
		return fmt.Errorf("store: begin: %w", cerr)
	}
	l.conn = conn
	var restore deferredDDL
	if opts.Fresh {
		if restore, err = dropForFreshLoad(ctx, Postgres, conn); err != nil {
			conn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK")
			return err
		}
	}
	defer func() {
		// A failed statement aborts a PostgreSQL transaction, and COMMIT then
		// quietly rolls back: never let a caller that ignored a Put error
		// believe its data was written.
		if err == nil && l.failed != nil {
			err = l.failed
		}
		if err == nil {
			err = restore.restore(ctx, conn)
		}
		if err == nil {
			err = l.checkOrgTree(conn)
		}
		if err != nil {
			// The request context may be the reason we are here; roll back regardless.
			conn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK")
			return
		}
		_, err = conn.ExecContext(ctx, "COMMIT")
		err = translate(err, "commit")
		if err == nil {
			var tables []string
			for t, n := range l.written {
				if n >= analyzeAfter {
					tables = append(tables, t)
				}
			}
			s.analyze(ctx, tables...)
		}
	}()
	return fn(l)
}

// analyzeAfter is how many rows written to a PostgreSQL table make its
// planner statistics worth refreshing at once.
const analyzeAfter = 10000

// analyze refreshes PostgreSQL's planner statistics of tables after a bulk
// write. Autovacuum would get there, but only later: until then a freshly
// loaded national register is planned as if empty, and the pages read it
// with sequential scans. A failure only leaves the statistics stale, so it
// is not an error of the write that succeeded.
func (s *Store) analyze(ctx context.Context, tables ...string) {
	if s.dialect != Postgres {
		return
	}
	slices.Sort(tables)
	for _, t := range tables {
		s.write.ExecContext(context.WithoutCancel(ctx), "ANALYZE "+quoteIdent(t))
	}
}

// quoteIdent quotes a table name for PostgreSQL.
func quoteIdent(name string) string {
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}

// Written reports how many records of each entity this loader has written.
func (l *Loader) Written() map[string]int64 { return l.written }

// Put upserts records of entity e. Each record holds a value per field of
// e; on a natural key already stored, every field is replaced.
func (l *Loader) Put(e *mamori.Entity, recs []mamori.Record) error {
	return l.PutColumns(e, nil, recs)
}

// PutColumns is Put for input that carries only some of e's columns (a
// spreadsheet without the optional ones): new records get every value, but
// a stored record keeps the fields that update is false for. A nil update
// means every field.
func (l *Loader) PutColumns(e *mamori.Entity, update []bool, recs []mamori.Record) error {
	if l.failed != nil {
		return l.failed
	}
	if len(recs) == 0 {
		return nil
	}
	if update != nil && len(update) != len(e.Fields) {
		return fmt.Errorf("store: %s: update mask has %d fields, want %d", e.Name, len(update), len(e.Fields))
	}
	if e.Name == "organizations" {
		if err := l.noteOrgs(e, recs); err != nil {
			l.failed = err
			return err
		}
	}
	var err error
	if l.dialect == SQLite {
		err = l.putSQLite(e, update, recs)
	} else {
		err = l.putPostgres(e, update, recs)
	}
	if err != nil {
		l.failed = err
		return err
	}
	l.written[e.Name] += int64(len(recs))
	return nil
}

func columns(e *mamori.Entity) []string {
	cols := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		cols[i] = f.Column
	}
	return cols
}

// conflictClause is the ON CONFLICT tail shared by both dialects: on a natural
// key already present, every non-key column takes the new value.
func conflictClause(e *mamori.Entity, update []bool) string {
	var keys, sets []string
	for i, f := range e.Fields {
		if f.Key {
			keys = append(keys, f.Column)
		} else if update == nil || update[i] {
			sets = append(sets, fmt.Sprintf("%s = excluded.%s", f.Column, f.Column))
		}
	}
	if len(sets) == 0 {
		return fmt.Sprintf(" ON CONFLICT (%s) DO NOTHING", strings.Join(keys, ", "))
	}
	return fmt.Sprintf(" ON CONFLICT (%s) DO UPDATE SET %s", strings.Join(keys, ", "), strings.Join(sets, ", "))
}

// maskName renders an update mask for a statement-cache key.
func maskName(update []bool) string {
	if update == nil {
		return "all"
	}
	b := make([]byte, len(update))
	for i, u := range update {
		b[i] = '0'
		if u {
			b[i] = '1'
		}
	}
	return string(b)
}

func (l *Loader) sqliteStmt(e *mamori.Entity, update []bool, rows int) (*sql.Stmt, error) {
	name := fmt.Sprintf("%s/%d/%s", e.Name, rows, maskName(update))
	if st, ok := l.stmts[name]; ok {
		return st, nil
	}
	// Anonymous "?" parameters: the driver looks each numbered "$n" up by
	// name, which is quadratic in a statement with thousands of them.
	n := len(e.Fields)
	one := "(" + strings.TrimSuffix(strings.Repeat("?, ", n), ", ") + ")"
	var b strings.Builder
	fmt.Fprintf(&b, "INSERT INTO %s (%s) VALUES ", e.Name, strings.Join(columns(e), ", "))
	for r := range rows {
		if r > 0 {
			b.WriteString(", ")
		}
		b.WriteString(one)
	}
	b.WriteString(conflictClause(e, update))
	st, err := l.tx.PrepareContext(l.ctx, b.String())
	if err != nil {
		return nil, fmt.Errorf("store: prepare %s: %w", e.Name, err)
	}
	l.stmts[name] = st
	return st, nil
}

func (l *Loader) putSQLite(e *mamori.Entity, update []bool, recs []mamori.Record) error {
	n := len(e.Fields)
	args := make([]any, 0, sqliteBatchRows*n)
	for start := 0; start < len(recs); start += sqliteBatchRows {
		end := min(start+sqliteBatchRows, len(recs))
		st, err := l.sqliteStmt(e, update, end-start)
		if err != nil {
			return err
		}
		args = args[:0]
		for _, r := range recs[start:end] {
			if len(r) != n {
				return fmt.Errorf("store: %s record has %d values, want %d", e.Name, len(r), n)
			}
			args = append(args, r...)
		}
		if _, err := st.ExecContext(l.ctx, args...); err != nil {
			return translate(err, "insert "+e.Name)
		}
	}
	return nil
}

// putPostgres streams records with COPY: straight into the table on a fresh
// load, otherwise into a per-transaction staging table that is then merged
// with INSERT … ON CONFLICT, since COPY itself cannot upsert.
func (l *Loader) putPostgres(e *mamori.Entity, update []bool, recs []mamori.Record) error {
	target := e.Name
	if !l.fresh {
		target = "staging_" + e.Name
		if !l.temps[target] {
			q := fmt.Sprintf("CREATE TEMP TABLE %s (LIKE %s INCLUDING DEFAULTS) ON COMMIT DROP", target, e.Name)
			if _, err := l.conn.ExecContext(l.ctx, q); err != nil {
				return fmt.Errorf("store: staging %s: %w", e.Name, err)
			}
			l.temps[target] = true
		}
	}
	dates := make([]bool, len(e.Fields))
	for i, f := range e.Fields {
		dates[i] = f.Type == mamori.Date
	}
	src := &copySource{recs: recs, dates: dates, n: len(e.Fields), i: -1}
	err := l.conn.Raw(func(dc any) error {
		pc := dc.(*stdlib.Conn).Conn()
		_, err := pc.CopyFrom(l.ctx, pgx.Identifier{target}, columns(e), src)
		return err
	})
	if err == nil {
		err = src.err
	}
	if err != nil {
		return translate(err, "copy "+e.Name)
	}
	if l.fresh {
		return nil
	}
	cols := strings.Join(columns(e), ", ")
	q := fmt.Sprintf("INSERT INTO %s (%s) SELECT %s FROM %s%s", e.Name, cols, cols, target, conflictClause(e, update))
	if _, err := l.conn.ExecContext(l.ctx, q); err != nil {
		return translate(err, "merge "+e.Name)
	}
	if _, err := l.conn.ExecContext(l.ctx, "TRUNCATE "+target); err != nil {
		return fmt.Errorf("store: staging %s: %w", e.Name, err)
	}
	return nil
}

// copySource feeds records to pgx's COPY, turning ISO date strings into
// time.Time, which the binary COPY protocol needs for DATE columns.
type copySource struct {
	recs  []mamori.Record
	dates []bool
	n     int
	i     int
	row   []any
	err   error
}

func (c *copySource) Next() bool {
	c.i++
	return c.i < len(c.recs) && c.err == nil
}

func (c *copySource) Values() ([]any, error) {
	r := c.recs[c.i]
	if len(r) != c.n {
		c.err = fmt.Errorf("store: record has %d values, want %d", len(r), c.n)
		return nil, c.err
	}
	if c.row == nil {
		c.row = make([]any, c.n)
	}
	copy(c.row, r)
	for i, d := range c.dates {
		if d && r[i] != nil {
			s, ok := r[i].(string)
			if !ok {
				c.err = fmt.Errorf("store: date value %v is not a string", r[i])
				return nil, c.err
			}
			t, err := time.Parse(time.DateOnly, s)
			if err != nil {
				c.err = fmt.Errorf("store: date value %q: %w", s, err)
				return nil, c.err
			}
			c.row[i] = t
		}
	}
	return c.row, nil
}

func (c *copySource) Err() error { return c.err }

// noteOrgs remembers the organizations a Put writes, the first time taking
// the lock that keeps concurrent loads from closing a cycle together.
func (l *Loader) noteOrgs(e *mamori.Entity, recs []mamori.Record) error {
	if l.orgs == nil {
		l.orgs = map[string]bool{}
		var q execer = l.tx
		if l.conn != nil {
			q = l.conn
		}
		if err := lockOrganizations(l.ctx, l.dialect, q); err != nil {
			return err
		}
	}
	ki := e.FieldIndex("code")
	for _, r := range recs {
		if c, ok := r[ki].(string); ok {
			l.orgs[c] = true
		}
	}
	return nil
}

// checkOrgTree refuses, before the commit, a load that made one of the
// organizations it wrote its own ancestor: every entry point that writes
// organizations (register import from the web or the command line, demo
// generation) goes through here.
func (l *Loader) checkOrgTree(q queryer) error {
	if len(l.orgs) == 0 {
		return nil
	}
	parents, err := readParents(l.ctx, q)
	if err != nil {
		return err
	}
	codes := make([]string, 0, len(l.orgs))
	for c := range l.orgs {
		codes = append(codes, c)
	}
	if cycles := cyclesThrough(parents, codes); len(cycles) > 0 {
		return cycleError(cycles)
	}
	return nil
}
