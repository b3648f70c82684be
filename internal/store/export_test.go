package store

import "context"

// SplitViews makes LoadView read every whole view in parts key ranges
// however small, and returns the function that restores the defaults.
func SplitViews(parts int) func() {
	m, p := splitMin, splitParts
	splitMin, splitParts = 0, parts
	return func() { splitMin, splitParts = m, p }
}

// SecondaryIndexCount counts the indexes a fresh load drops and restores
// (named *_idx), so a test can see that they came back.
func SecondaryIndexCount(ctx context.Context, s *Store) (int, error) {
	q := `SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name LIKE '%\_idx' ESCAPE '\'`
	if s.dialect == Postgres {
		q = `SELECT count(*) FROM pg_indexes WHERE schemaname = current_schema() AND indexname LIKE '%\_idx'`
	}
	var n int
	err := s.read.QueryRowContext(ctx, q).Scan(&n)
	return n, err
}
