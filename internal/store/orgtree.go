package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

	"mamori"
)

// ErrOrgCycle marks an error about an organization that is its own
// ancestor. Such a tree has no root above the organizations of the cycle:
// every grant's subtree stops short of them or holds them all, so the
// whole-government administrator loses them and no account covers every
// organization any more (issue 12, item 1). Loads refuse to write one, and
// Migrate refuses a store that holds one.
var ErrOrgCycle = errors.New("organization tree has a cycle")

// readParents reads every organization's parent ("" for none).
func readParents(ctx context.Context, q queryer) (map[string]string, error) {
	rows, err := q.QueryContext(ctx, `SELECT code, parent_code FROM organizations`)
	if err != nil {
		return nil, fmt.Errorf("store: organization tree: %w", err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var code string
		var parent sql.NullString
		if err := rows.Scan(&code, &parent); err != nil {
			return nil, fmt.Errorf("store: organization tree: %w", err)
		}
		out[code] = parent.String
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: organization tree: %w", err)
	}
	return out, nil
}

// OrgParents returns every organization's parent code ("" for a top-level
// organization), keyed by code.
func (s *Store) OrgParents(ctx context.Context) (map[string]string, error) {
	return readParents(ctx, s.read)
}

// CycleFrom returns the organizations met going up from code through
// parents when that walk comes back to code, starting with code; nil when
// code is not its own ancestor (the walk ends at the top, at an unknown
// parent, or in a cycle that does not hold code).
func CycleFrom(parents map[string]string, code string) []string {
	path := []string{code}
	seen := map[string]bool{code: true}
	for p := parents[code]; p != ""; p = parents[p] {
		if p == code {
			return path
		}
		if seen[p] {
			return nil
		}
		seen[p] = true
		path = append(path, p)
	}
	return nil
}

// CyclePath renders a cycle as read going up the tree: "A → B → A".
func CyclePath(cycle []string) string {
	return strings.Join(append(slices.Clip(cycle), cycle[0]), " → ")
}

// cyclesThrough lists the cycles holding any of the given organizations,
// each once, starting at its first code in sorted order.
func cyclesThrough(parents map[string]string, codes []string) [][]string {
	var out [][]string
	inCycle := map[string]bool{}
	for _, c := range slices.Sorted(slices.Values(codes)) {
		if inCycle[c] {
			continue
		}
		if cyc := CycleFrom(parents, c); cyc != nil {
			out = append(out, cyc)
			for _, o := range cyc {
				inCycle[o] = true
			}
		}
	}
	return out
}

// OrgCycles lists the cycles of the organization tree, each as the codes
// met going up from its first code in sorted order; none in a sound store.
func (s *Store) OrgCycles(ctx context.Context) ([][]string, error) {
	parents, err := readParents(ctx, s.read)
	if err != nil {
		return nil, err
	}
	var codes []string
	for c := range parents {
		codes = append(codes, c)
	}
	return cyclesThrough(parents, codes), nil
}

func cyclePaths(cycles [][]string) string {
	var paths []string
	for _, c := range cycles {
		paths = append(paths, CyclePath(c))
	}
	return strings.Join(paths, ", ")
}

// cycleError refuses a write that would close cycles.
func cycleError(cycles [][]string) error {
	p := cyclePaths(cycles)
	return &mamori.Error{Kind: mamori.Conflict, Err: ErrOrgCycle,
		MessageJA: fmt.Sprintf("組織の親子関係が循環するため書き込みません（%s）", p),
		Message:   fmt.Sprintf("the organization tree would have a cycle (%s); nothing was written", p)}
}

// checkOrgTree is Migrate's last step: a store whose tree holds a cycle
// (written before cycles were refused) is not put into service, and the
// error says how to repair it.
func (s *Store) checkOrgTree(ctx context.Context) error {
	cycles, err := s.OrgCycles(ctx)
	if err != nil || len(cycles) == 0 {
		return err
	}
	p := cyclePaths(cycles)
	c := cycles[0][0]
	return &mamori.Error{Kind: mamori.Conflict, Err: ErrOrgCycle,
		MessageJA: fmt.Sprintf("組織の親子関係が循環しています（%s）。循環する組織は全組織の管理者からも見えません。"+
			"「mamori org set-parent %s 上位組織コード」で上位組織を設定し直してから起動してください", p, c),
		Message: fmt.Sprintf("the organization tree has a cycle (%s), which hides those organizations even from the whole-government administrator; "+
			"set a parent with \"mamori org set-parent %s PARENT\", then start again", p, c)}
}

// lockOrganizations keeps two PostgreSQL transactions from each moving an
// organization under the other: each would see a tree without a cycle,
// and their commits would close one. The lock lets plain reads through.
// SQLite writes one transaction at a time already.
func lockOrganizations(ctx context.Context, d Dialect, q execer) error {
	if d != Postgres {
		return nil
	}
	if _, err := q.ExecContext(ctx, `LOCK TABLE organizations IN SHARE ROW EXCLUSIVE MODE`); err != nil {
		return fmt.Errorf("store: lock organizations: %w", err)
	}
	return nil
}

// SetOrgParent sets an organization's parent ("" for none): the operator's
// repair of a tree that holds a cycle. It refuses an unknown organization
// or parent, and a parent that would make the organization its own ancestor.
func (s *Store) SetOrgParent(ctx context.Context, code, parent string) error {
	defer s.loads.Add(1)
	return s.inTx(ctx, "organizations", func(tx *sql.Tx) error {
		if err := lockOrganizations(ctx, s.dialect, tx); err != nil {
			return err
		}
		if code == "" {
			return mamori.Errorf(mamori.Invalid, "組織コードが指定されていません", "no organization code given")
		}
		parents, err := readParents(ctx, tx)
		if err != nil {
			return err
		}
		for _, c := range []string{code, parent} {
			if _, ok := parents[c]; c != "" && !ok {
				return mamori.Errorf(mamori.NotFound, "組織「%s」は見つかりません", "organization %q not found", c)
			}
		}
		parents[code] = parent
		if cyc := CycleFrom(parents, code); cyc != nil {
			return cycleError([][]string{cyc})
		}
		if _, err := tx.ExecContext(ctx, `UPDATE organizations SET parent_code = $1 WHERE code = $2`, nullString(parent), code); err != nil {
			return translate(err, "update organizations")
		}
		return nil
	})
}
