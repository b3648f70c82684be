package store

// User catalogs and parameter overrides. The store keeps an imported
// catalog as its OSCAL source text and does not interpret it: package
// catalog loads and validates it, so a catalog stored here always reloads
// with the loader of the running binary.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"mamori"
)

// StoredCatalog is a user catalog as stored.
type StoredCatalog struct {
	ID, Title, Version string
	Source             string // the OSCAL catalog JSON, as imported
	ImportedAt         time.Time
}

// ParamOverride is a deployment's value for one control parameter.
type ParamOverride struct {
	CatalogID, ControlID, ParamID, Value string
}

// catalogTS renders a timestamp the way the dialect's column wants it.
func (s *Store) catalogTS(t time.Time) any {
	if s.dialect == Postgres {
		return t.UTC()
	}
	return t.UTC().Format(time.RFC3339Nano)
}

// catalogTime reads a timestamp column: time.Time from pgx, RFC 3339 text from SQLite.
func catalogTime(v any) (time.Time, error) {
	switch x := v.(type) {
	case time.Time:
		return x.UTC(), nil
	case string:
		return time.Parse(time.RFC3339Nano, x)
	case []byte:
		return time.Parse(time.RFC3339Nano, string(x))
	}
	return time.Time{}, fmt.Errorf("unexpected %T timestamp", v)
}

// ImportCatalog stores c, replacing a catalog of the same ID (a re-import
// is idempotent), and deletes the overrides in drop (those the new version
// no longer accepts) in the same transaction: on error nothing changes.
func (s *Store) ImportCatalog(ctx context.Context, c StoredCatalog, drop []ParamOverride) (err error) {
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	defer func() {
		if err != nil {
			tx.Rollback()
			return
		}
		err = translate(tx.Commit(), "commit catalog")
	}()
	if _, err = tx.ExecContext(ctx, `DELETE FROM catalogs WHERE id = $1`, c.ID); err != nil {
		return translate(err, "delete catalogs")
	}
	if _, err = tx.ExecContext(ctx, `INSERT INTO catalogs (id, title, version, source, imported_at) VALUES ($1, $2, $3, $4, $5)`,
		c.ID, c.Title, c.Version, c.Source, s.catalogTS(c.ImportedAt)); err != nil {
		return translate(err, "insert catalogs")
	}
	for _, p := range drop {
		if _, err = tx.ExecContext(ctx, `DELETE FROM control_params WHERE catalog_id = $1 AND control_id = $2 AND param_id = $3`,
			p.CatalogID, p.ControlID, p.ParamID); err != nil {
			return translate(err, "delete control_params")
		}
	}
	return nil
}

// StoredCatalogs returns the user catalogs, by ID.
func (s *Store) StoredCatalogs(ctx context.Context) ([]StoredCatalog, error) {
	return s.catalogs(ctx, `SELECT id, title, version, source, imported_at FROM catalogs ORDER BY id`)
}

// StoredCatalogByID returns one user catalog, or an error of kind NotFound.
func (s *Store) StoredCatalogByID(ctx context.Context, id string) (StoredCatalog, error) {
	cs, err := s.catalogs(ctx, `SELECT id, title, version, source, imported_at FROM catalogs WHERE id = $1`, id)
	if err != nil {
		return StoredCatalog{}, err
	}
	if len(cs) == 0 {
		return StoredCatalog{}, mamori.Errorf(mamori.NotFound, "カタログ「%s」はありません", "no catalog %q", id)
	}
	return cs[0], nil
}

func (s *Store) catalogs(ctx context.Context, q string, args ...any) ([]StoredCatalog, error) {
	rows, err := s.read.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: catalogs: %w", err)
	}
	defer rows.Close()
	var out []StoredCatalog
	for rows.Next() {
		var c StoredCatalog
		var at any
		if err := rows.Scan(&c.ID, &c.Title, &c.Version, &c.Source, &at); err != nil {
			return nil, fmt.Errorf("store: catalogs: %w", err)
		}
		if c.ImportedAt, err = catalogTime(at); err != nil {
			return nil, fmt.Errorf("store: catalogs: %s: %w", c.ID, err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: catalogs: %w", err)
	}
	return out, nil
}

// SetParam stores an override, replacing the previous value. The caller
// has checked it against the catalog.
func (s *Store) SetParam(ctx context.Context, p ParamOverride) error {
	_, err := s.write.ExecContext(ctx, `INSERT INTO control_params (catalog_id, control_id, param_id, value) VALUES ($1, $2, $3, $4)
		ON CONFLICT (catalog_id, control_id, param_id) DO UPDATE SET value = excluded.value`,
		p.CatalogID, p.ControlID, p.ParamID, p.Value)
	return translate(err, "upsert control_params")
}

// UnsetParam deletes an override, so the catalog's default applies again.
// An override that is not set is an error of kind NotFound.
func (s *Store) UnsetParam(ctx context.Context, catalogID, controlID, paramID string) error {
	res, err := s.write.ExecContext(ctx, `DELETE FROM control_params WHERE catalog_id = $1 AND control_id = $2 AND param_id = $3`,
		catalogID, controlID, paramID)
	if err != nil {
		return translate(err, "delete control_params")
	}
	if n, err := res.RowsAffected(); err == nil && n == 0 {
		return mamori.Errorf(mamori.NotFound, "カタログ %s 管理策 %s のパラメータ %s は上書きされていません",
			"catalog %s, control %s: parameter %s is not overridden", catalogID, controlID, paramID)
	}
	return nil
}

// ParamOverrides returns every override, by catalog, control and parameter.
func (s *Store) ParamOverrides(ctx context.Context) ([]ParamOverride, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT catalog_id, control_id, param_id, value FROM control_params
		ORDER BY catalog_id, control_id, param_id`)
	if err != nil {
		return nil, fmt.Errorf("store: control_params: %w", err)
	}
	defer rows.Close()
	var out []ParamOverride
	for rows.Next() {
		var p ParamOverride
		if err := rows.Scan(&p.CatalogID, &p.ControlID, &p.ParamID, &p.Value); err != nil {
			return nil, fmt.Errorf("store: control_params: %w", err)
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("store: control_params: %w", err)
	}
	return out, nil
}
