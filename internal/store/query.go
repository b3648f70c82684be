package store

import (
	"context"
	"database/sql"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"mamori"
)

// orderBy sorts by the natural key. On PostgreSQL text columns are declared
// COLLATE "C" (see the migrations), so both databases list records in the
// same byte order, an export does not depend on the server's locale, and the
// sort can walk the primary-key index.
func (s *Store) orderBy(e *mamori.Entity) string {
	var keys []string
	for _, f := range e.KeyFields() {
		keys = append(keys, f.Column)
	}
	return strings.Join(keys, ", ")
}

// normalize converts a value as the driver returned it into the Record form
// for its field (see mamori.Record).
func normalize(f *mamori.Field, v any) (any, error) {
	if v == nil {
		return nil, nil
	}
	switch f.Type {
	case mamori.Bool:
		switch x := v.(type) {
		case bool:
			return x, nil
		case int64:
			return x != 0, nil
		}
	case mamori.Integer, mamori.Money, mamori.FiscalYear:
		if x, ok := v.(int64); ok {
			return x, nil
		}
	case mamori.Date:
		switch x := v.(type) {
		case time.Time:
			return x.Format(time.DateOnly), nil
		case string:
			return x, nil
		case []byte:
			return string(x), nil
		}
	default:
		switch x := v.(type) {
		case string:
			return x, nil
		case []byte:
			return string(x), nil
		}
	}
	return nil, fmt.Errorf("store: column %s: unexpected %T value", f.Column, v)
}

func scanRecord(e *mamori.Entity, rows *sql.Rows, raw []any, ptrs []any) (mamori.Record, error) {
	for i := range raw {
		raw[i] = nil
		ptrs[i] = &raw[i]
	}
	if err := rows.Scan(ptrs...); err != nil {
		return nil, err
	}
	rec := make(mamori.Record, len(raw))
	for i := range raw {
		v, err := normalize(&e.Fields[i], raw[i])
		if err != nil {
			return nil, err
		}
		rec[i] = v
	}
	return rec, nil
}

// Dump calls fn with every record of e in natural-key order. It stops at the
// first error fn returns.
func (s *Store) Dump(ctx context.Context, e *mamori.Entity, fn func(mamori.Record) error) error {
	q := fmt.Sprintf("SELECT %s FROM %s ORDER BY %s", strings.Join(columns(e), ", "), e.Name, s.orderBy(e))
	rows, err := s.read.QueryContext(ctx, q)
	if err != nil {
		return fmt.Errorf("store: dump %s: %w", e.Name, err)
	}
	defer rows.Close()
	raw, ptrs := make([]any, len(e.Fields)), make([]any, len(e.Fields))
	for rows.Next() {
		rec, err := scanRecord(e, rows, raw, ptrs)
		if err != nil {
			return fmt.Errorf("store: dump %s: %w", e.Name, err)
		}
		if err := fn(rec); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store: dump %s: %w", e.Name, err)
	}
	return nil
}

// Count returns the number of records of e.
func (s *Store) Count(ctx context.Context, e *mamori.Entity) (int64, error) {
	var n int64
	if err := s.read.QueryRowContext(ctx, "SELECT count(*) FROM "+e.Name).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: count %s: %w", e.Name, err)
	}
	return n, nil
}

// Counts returns the number of records of every register entity.
func (s *Store) Counts(ctx context.Context) (map[string]int64, error) {
	out := make(map[string]int64, len(mamori.Entities))
	for _, e := range mamori.Entities {
		n, err := s.Count(ctx, e)
		if err != nil {
			return nil, err
		}
		out[e.Name] = n
	}
	return out, nil
}

// ExistingCodes returns which of codes are the natural key of a stored record
// of e. e must have a single-column key, as every referenced entity has.
func (s *Store) ExistingCodes(ctx context.Context, e *mamori.Entity, codes []string) (map[string]bool, error) {
	keys := e.KeyFields()
	if len(keys) != 1 {
		return nil, fmt.Errorf("store: %s has a composite key", e.Name)
	}
	found := map[string]bool{}
	const batch = 500
	for start := 0; start < len(codes); start += batch {
		part := codes[start:min(start+batch, len(codes))]
		ph := make([]string, len(part))
		args := make([]any, len(part))
		for i, c := range part {
			ph[i] = fmt.Sprintf("$%d", i+1)
			args[i] = c
		}
		q := fmt.Sprintf("SELECT %s FROM %s WHERE %s IN (%s)", keys[0].Column, e.Name, keys[0].Column, strings.Join(ph, ", "))
		rows, err := s.read.QueryContext(ctx, q, args...)
		if err != nil {
			return nil, fmt.Errorf("store: lookup %s: %w", e.Name, err)
		}
		for rows.Next() {
			var c string
			if err := rows.Scan(&c); err != nil {
				rows.Close()
				return nil, fmt.Errorf("store: lookup %s: %w", e.Name, err)
			}
			found[c] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("store: lookup %s: %w", e.Name, err)
		}
	}
	return found, nil
}

// Get returns the record of e whose single-column natural key is code.
func (s *Store) Get(ctx context.Context, e *mamori.Entity, code string) (mamori.Record, error) {
	recs, total, err := s.Find(ctx, e, Filter{Where: map[string]string{e.KeyFields()[0].Column: code}, Limit: 1})
	if err != nil {
		return nil, err
	}
	if total == 0 {
		return nil, mamori.Errorf(mamori.NotFound, "%s「%s」は見つかりません", "%s %q not found", e.JA, code)
	}
	return recs[0], nil
}

// Filter selects records for Find.
type Filter struct {
	Where map[string]string // column = value, for Code/Text/Enum columns
	// In restricts a column to a set of values (an organization scope); an
	// empty, non-nil set matches nothing.
	In     map[string][]string
	Search string // substring of the "name" (or "title") column
	// Null lists columns that must be empty (a system without a SystemID).
	Null []string
	// Bool restricts Bool columns to a value.
	Bool map[string]bool
	// Vuln restricts systems to those with an open match of a
	// vulnerability, found by any of its identifiers (see MatchFilter.AnyID).
	Vuln string
	// OpenVulns restricts components to those with an open vulnerability
	// match, on the component itself (an SBOM) or on its standard image,
	// except the images in HiddenImages (another organization's, which add
	// nothing to the page of a viewer who may not see them).
	OpenVulns    bool
	HiddenImages []string
	// Owned restricts the records to an organization scope (see Owned).
	Owned *Owned
	// Sort orders by a column before the natural key; "" keeps key order.
	Sort   string
	Desc   bool
	Limit  int // 0 means no limit
	Offset int
}

// deepOffset is the offset from which Find pages by key (see Find).
const deepOffset = 1000

// where renders the WHERE clause (with its leading space, or "") and the
// arguments selecting f's records of e.
func (s *Store) where(e *mamori.Entity, f Filter) (string, []any, error) {
	var conds []string
	var args []any
	for col, v := range f.Where {
		if e.Field(col) == nil {
			return "", nil, mamori.Errorf(mamori.Invalid, "不明な項目: %s", "unknown field %s", col)
		}
		args = append(args, v)
		conds = append(conds, fmt.Sprintf("%s = $%d", col, len(args)))
	}
	for _, col := range slices.Sorted(maps.Keys(f.In)) {
		if e.Field(col) == nil {
			return "", nil, mamori.Errorf(mamori.Invalid, "不明な項目: %s", "unknown field %s", col)
		}
		vals := f.In[col]
		if len(vals) == 0 {
			conds = append(conds, "1 = 0")
			continue
		}
		ph := make([]string, len(vals))
		for i, v := range vals {
			args = append(args, v)
			ph[i] = fmt.Sprintf("$%d", len(args))
		}
		conds = append(conds, fmt.Sprintf("%s IN (%s)", col, strings.Join(ph, ", ")))
	}
	for _, col := range f.Null {
		if e.Field(col) == nil {
			return "", nil, mamori.Errorf(mamori.Invalid, "不明な項目: %s", "unknown field %s", col)
		}
		conds = append(conds, col+" IS NULL")
	}
	for _, col := range slices.Sorted(maps.Keys(f.Bool)) {
		if fd := e.Field(col); fd == nil || fd.Type != mamori.Bool {
			return "", nil, mamori.Errorf(mamori.Invalid, "真偽値の項目ではありません: %s", "not a yes/no field: %s", col)
		}
		args = append(args, f.Bool[col])
		conds = append(conds, fmt.Sprintf("%s = $%d", col, len(args)))
	}
	if id := strings.ToLower(strings.TrimSpace(f.Vuln)); id != "" {
		if e.Name != "systems" {
			return "", nil, mamori.Errorf(mamori.Invalid, "脆弱性で絞り込めるのは情報システムだけです", "only systems can be filtered by vulnerability")
		}
		// The systems whose components carry the match, directly (an SBOM)
		// or through their standard image: two joins driven by the few
		// matching rows, not by the components.
		args = append(args, id, "% "+likeEscaper.Replace(id)+" %")
		m := fmt.Sprintf(`m.closed_on IS NULL AND (lower(m.vuln_id) = $%d OR lower(' ' || m.aliases || ' ') LIKE $%d ESCAPE '\')`, len(args)-1, len(args))
		conds = append(conds, `code IN (SELECT c.system_code FROM vuln_matches m JOIN components c ON m.owner_kind = 'component' AND c.code = m.owner_code WHERE `+m+
			` UNION SELECT c.system_code FROM vuln_matches m JOIN components c ON m.owner_kind = 'image' AND c.image_code = m.owner_code WHERE `+m+`)`)
	}
	if f.OpenVulns {
		if e.Name != "components" {
			return "", nil, mamori.Errorf(mamori.Invalid, "未対応の脆弱性で絞り込めるのは構成要素だけです", "only components can be filtered by open vulnerabilities")
		}
		images := `SELECT owner_code FROM vuln_matches WHERE owner_kind = 'image' AND closed_on IS NULL`
		for _, code := range f.HiddenImages {
			args = append(args, code)
			images += fmt.Sprintf(" AND owner_code <> $%d", len(args))
		}
		conds = append(conds, `(code IN (SELECT owner_code FROM vuln_matches WHERE owner_kind = 'component' AND closed_on IS NULL) OR image_code IN (`+images+`))`)
	}
	if f.Owned != nil && f.Owned.Orgs != nil {
		var c string
		if c, args = f.Owned.cond(e, args, 0); c != "" {
			conds = append(conds, c)
		}
	}
	if f.Search != "" {
		col := "name"
		if e.Field(col) == nil {
			col = "title"
		}
		if e.Field(col) != nil {
			args = append(args, "%"+strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`).Replace(f.Search)+"%")
			// Case-insensitive on both: SQLite's LIKE already is for ASCII.
			like := "LIKE"
			if s.dialect == Postgres {
				like = "ILIKE"
			}
			conds = append(conds, fmt.Sprintf(`(%s %s $%d ESCAPE '\' OR %s %s $%d ESCAPE '\')`, col, like, len(args), e.KeyFields()[0].Column, like, len(args)))
		}
	}
	where := ""
	if len(conds) > 0 {
		// Sorted for a stable statement text (map order is random).
		where = " WHERE " + strings.Join(sortedStrings(conds), " AND ")
	}
	return where, args, nil
}

// Find returns the records of e matching f in natural-key order, one page of
// them, and how many match in all.
func (s *Store) Find(ctx context.Context, e *mamori.Entity, f Filter) ([]mamori.Record, int, error) {
	where, args, err := s.where(e, f)
	if err != nil {
		return nil, 0, err
	}
	// A paged list counts its matches on every page; the count is kept a
	// few seconds (and dropped at once when this process loads data), since
	// counting 200,000 systems costs PostgreSQL 50 ms a page.
	// The key quotes each argument, so ("XA", "B") and ("X", "AB") differ;
	// the load generation is read before counting, so a count taken while a
	// load commits is not kept as the new one.
	countKey := e.Name + where + fmt.Sprintf("%q", args)
	loads := s.loads.Load()
	total, ok := s.listCounts.get(countKey, loads)
	if !ok || f.Limit == 0 {
		if err := s.read.QueryRowContext(ctx, "SELECT count(*) FROM "+e.Name+where, args...).Scan(&total); err != nil {
			return nil, 0, fmt.Errorf("store: find %s: %w", e.Name, err)
		}
		s.listCounts.put(countKey, loads, total)
	}
	order := s.orderBy(e)
	if f.Sort != "" {
		if e.Field(f.Sort) == nil {
			return nil, 0, mamori.Errorf(mamori.Invalid, "並べ替えできない項目: %s", "cannot sort by %s", f.Sort)
		}
		dir := ""
		if f.Desc {
			dir = " DESC"
		}
		if s.dialect == Postgres {
			// SQLite sorts NULL (a system without a SystemID) as the
			// smallest value; PostgreSQL as the largest. Both stores list
			// the same page with PostgreSQL told SQLite's order.
			if f.Desc {
				dir += " NULLS LAST"
			} else {
				dir += " NULLS FIRST"
			}
		}
		order = f.Sort + dir + ", " + order
	}
	q := fmt.Sprintf("SELECT %s FROM %s%s ORDER BY %s", strings.Join(columns(e), ", "), e.Name, where, order)
	if keys := e.KeyFields(); f.Limit > 0 && f.Offset >= deepOffset && len(keys) == 1 {
		// A deep page: skip the offset over the key alone, which a narrow
		// index holds (the sort column's index holds the key too), and read
		// whole rows only for the page itself.
		k := keys[0].Column
		q = fmt.Sprintf("SELECT %s FROM %s WHERE %s IN (SELECT %s FROM %s%s ORDER BY %s LIMIT %d OFFSET %d) ORDER BY %s",
			strings.Join(columns(e), ", "), e.Name, k, k, e.Name, where, order, f.Limit, f.Offset, order)
	} else if f.Limit > 0 {
		q += fmt.Sprintf(" LIMIT %d OFFSET %d", f.Limit, max(0, f.Offset))
	}
	rows, err := s.read.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, 0, fmt.Errorf("store: find %s: %w", e.Name, err)
	}
	defer rows.Close()
	raw, ptrs := make([]any, len(e.Fields)), make([]any, len(e.Fields))
	var out []mamori.Record
	for rows.Next() {
		rec, err := scanRecord(e, rows, raw, ptrs)
		if err != nil {
			return nil, 0, fmt.Errorf("store: find %s: %w", e.Name, err)
		}
		out = append(out, rec)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("store: find %s: %w", e.Name, err)
	}
	return out, total, nil
}

func sortedStrings(ss []string) []string {
	out := append([]string(nil), ss...)
	slices.Sort(out)
	return out
}

// Subtree returns an organization and all its descendants.
func (st *Store) Subtree(ctx context.Context, root string) (map[string]bool, error) {
	sub, _, err := st.Subtrees(ctx, root)
	return sub, err
}

// Subtrees returns the given organizations and all their descendants, or a
// NotFound error naming the first root that does not exist, and how many
// organizations there are in all (so a caller can tell a scope that covers
// the whole government without counting again). It reads only
// the tree's two columns, once for all roots: every request of a signed-in
// user resolves its scope with it, and a national register has 1,800
// organizations.
func (st *Store) Subtrees(ctx context.Context, roots ...string) (map[string]bool, int, error) {
	children := map[string][]string{}
	exists := map[string]bool{}
	err := st.each(ctx, `SELECT code, parent_code FROM organizations`, nil, func(r []any) {
		code := str(r[0])
		exists[code] = true
		if p := str(r[1]); p != "" {
			children[p] = append(children[p], code)
		}
	})
	if err != nil {
		return nil, 0, fmt.Errorf("store: organization tree: %w", err)
	}
	out := map[string]bool{}
	var walk func(string)
	walk = func(c string) {
		out[c] = true
		for _, k := range children[c] {
			if !out[k] {
				walk(k)
			}
		}
	}
	for _, root := range roots {
		if !exists[root] {
			return nil, 0, mamori.Errorf(mamori.NotFound, "組織「%s」は見つかりません", "organization %q not found", root)
		}
		walk(root)
	}
	return out, len(exists), nil
}
