package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"mamori"
)

// The register editor (issue 14): one record read by its whole natural
// key, before and inside the transaction that saves it, and the lists of
// an entity within an organization scope.

// keyWhere is the WHERE clause and arguments selecting one record of e by
// its natural key (values in Record form, one per key field, in order).
func keyWhere(d Dialect, e *mamori.Entity, key []any) (string, []any, error) {
	keys := e.KeyFields()
	if len(key) != len(keys) {
		return "", nil, fmt.Errorf("store: %s: key has %d values, want %d", e.Name, len(key), len(keys))
	}
	conds := make([]string, len(keys))
	args := make([]any, len(keys))
	for i, f := range keys {
		conds[i] = fmt.Sprintf("%s = $%d", f.Column, i+1)
		args[i] = key[i]
		if s, ok := key[i].(string); ok && f.Type == mamori.Date && d == Postgres {
			t, err := time.Parse(time.DateOnly, s)
			if err != nil {
				return "", nil, fmt.Errorf("store: %s: date key %q: %w", e.Name, s, err)
			}
			args[i] = t
		}
	}
	return strings.Join(conds, " AND "), args, nil
}

// getByKey reads one record of e by its natural key through q; nil when
// there is none.
func getByKey(ctx context.Context, d Dialect, q queryer, e *mamori.Entity, key []any) (mamori.Record, error) {
	where, args, err := keyWhere(d, e, key)
	if err != nil {
		return nil, err
	}
	rows, err := q.QueryContext(ctx, fmt.Sprintf("SELECT %s FROM %s WHERE %s", strings.Join(columns(e), ", "), e.Name, where), args...)
	if err != nil {
		return nil, fmt.Errorf("store: read %s: %w", e.Name, err)
	}
	defer rows.Close()
	raw, ptrs := make([]any, len(e.Fields)), make([]any, len(e.Fields))
	var rec mamori.Record
	if rows.Next() {
		if rec, err = scanRecord(e, rows, raw, ptrs); err != nil {
			return nil, fmt.Errorf("store: read %s: %w", e.Name, err)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: read %s: %w", e.Name, err)
	}
	return rec, nil
}

// GetByKey returns the record of e with the given natural key (one value
// per key field, in Record form), or nil when there is none.
func (s *Store) GetByKey(ctx context.Context, e *mamori.Entity, key []any) (mamori.Record, error) {
	return getByKey(ctx, s.dialect, s.read, e, key)
}

// Current reads, inside the load's transaction, the stored record of e with
// the given natural key (nil when there is none), after locking e's table
// against other writers until the commit: what the caller then compares
// and writes cannot be changed by another transaction in between. Reads
// go on. SQLite writes one transaction at a time already.
func (l *Loader) Current(e *mamori.Entity, key []any) (mamori.Record, error) {
	if l.failed != nil {
		return nil, l.failed
	}
	var q interface {
		queryer
		ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	} = l.tx
	if l.conn != nil {
		q = l.conn
	}
	if l.dialect == Postgres {
		if _, err := q.ExecContext(l.ctx, "LOCK TABLE "+quoteIdent(e.Name)+" IN SHARE ROW EXCLUSIVE MODE"); err != nil {
			l.failed = fmt.Errorf("store: lock %s: %w", e.Name, err)
			return nil, l.failed
		}
	}
	rec, err := getByKey(l.ctx, l.dialect, q, e, key)
	if err != nil {
		l.failed = err
	}
	return rec, err
}

// Owned restricts a Find to the records that belong to the organizations
// orgs, following owners: for an entity, the fields through which its
// records belong to an organization (its org_code, or the references to
// the records it hangs from); an entity without owner fields is shared and
// not restricted. A record belongs to orgs when every owner field leads
// there, or to no organization at all (an optional org_code left empty, a
// standard image of the central catalogue). orgs nil: no restriction.
type Owned struct {
	Orgs   []string
	Owners func(e *mamori.Entity) []int
}

// ownedCond renders the condition of o for e, numbering its parameters
// after those in args.
func (o *Owned) cond(e *mamori.Entity, args []any, depth int) (string, []any) {
	fields := o.Owners(e)
	if len(fields) == 0 || depth > 8 {
		return "", args
	}
	var conds []string
	for n, fi := range fields {
		f := &e.Fields[fi]
		col := f.Column
		if n > 0 {
			// With two owners (a contract's system), SQLite would probe
			// the key index with every pair of the two lists; checking the
			// second against its list row by row is far cheaper.
			col = "(" + col + " || '')"
		}
		if f.Ref == "organizations" {
			if len(o.Orgs) == 0 {
				conds = append(conds, "1 = 0")
			} else {
				ph := make([]string, len(o.Orgs))
				for i, org := range o.Orgs {
					args = append(args, org)
					ph[i] = fmt.Sprintf("$%d", len(args))
				}
				conds = append(conds, fmt.Sprintf("%s IN (%s)", col, strings.Join(ph, ", ")))
			}
		} else {
			ref := mamori.EntityByName(f.Ref)
			var inner string
			inner, args = o.cond(ref, args, depth+1)
			if inner == "" {
				continue
			}
			conds = append(conds, fmt.Sprintf("%s IN (SELECT %s FROM %s WHERE %s)", col, ref.KeyFields()[0].Column, ref.Name, inner))
		}
		if !f.Required && !f.Key {
			conds[len(conds)-1] = fmt.Sprintf("(%s IS NULL OR %s)", col, conds[len(conds)-1])
		}
	}
	if len(conds) == 0 {
		return "", args
	}
	return "(" + strings.Join(conds, " AND ") + ")", args
}

// CountUpTo counts the records of e that f selects (its Limit and Offset
// ignored), stopping past limit: a page that shows how many records each
// entity holds reads at most limit+1 keys of each, not the whole of a
// national register's millions. It reports whether there are more.
func (s *Store) CountUpTo(ctx context.Context, e *mamori.Entity, f Filter, limit int) (n int, more bool, err error) {
	where, args, err := s.where(e, f)
	if err != nil {
		return 0, false, err
	}
	q := fmt.Sprintf("SELECT count(*) FROM (SELECT 1 FROM %s%s LIMIT %d) AS sub", e.Name, where, limit+1)
	if err := s.read.QueryRowContext(ctx, q, args...).Scan(&n); err != nil {
		return 0, false, fmt.Errorf("store: count %s: %w", e.Name, err)
	}
	if n > limit {
		return limit, true, nil
	}
	return n, false, nil
}
