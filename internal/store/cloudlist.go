package store

// The published cloud service lists (migration 29): each import of the
// ISMAP or ISMAP-LIU list is a dated snapshot with its services, and the
// register's cloud services are matched against the newest snapshot of
// each list (CloudListStatuses), which is what CLD-03 reads through the
// contract view's cloud_list_* fields. The officer's typed ismap_status
// stays what it was: a claim, compared with the list, never evidence.

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"time"

	"mamori"
)

// The lists, as cloud_list_snapshots.kind (and as ismap_status codes).
const (
	CloudListISMAP = "ismap"
	CloudListLIU   = "ismap_liu"
)

// CloudListKinds are the lists a check needs before it may say a service
// is on none of them.
var CloudListKinds = []string{CloudListISMAP, CloudListLIU}

// CloudListSnapshot is one imported list file.
type CloudListSnapshot struct {
	ID         int64
	Kind       string // CloudListISMAP or CloudListLIU
	AsOf       string // YYYY-MM-DD: the date the list is as of
	FileName   string
	SHA256     string // hex SHA-256 of the file as imported
	ImportedBy string
	ImportedAt time.Time
	EntryCount int
}

// CloudListEntry is one service on a snapshot.
type CloudListEntry struct {
	SnapshotID         int64
	Row                int // the row of the file it came from
	RegistrationNumber string
	Service, Provider  string
	RegisteredOn       string // "" when the list did not say
	ValidUntil         string
}

// AddCloudList stores a snapshot and its entries in one transaction and
// returns it with its ID. A second snapshot of the same list and date is
// an error of kind Conflict; two entries with one registration number (as
// ListKey folds it), of kind Invalid.
func (s *Store) AddCloudList(ctx context.Context, snap CloudListSnapshot, entries []CloudListEntry) (CloudListSnapshot, error) {
	if !slices.Contains(CloudListKinds, snap.Kind) {
		return snap, mamori.Errorf(mamori.Invalid, "リストの種類「%s」はありません", "no cloud list kind %q", snap.Kind)
	}
	if _, err := time.Parse(time.DateOnly, snap.AsOf); err != nil {
		return snap, mamori.Errorf(mamori.Invalid, "リストの時点「%s」は日付ではありません", "list as-of date %q is not a date", mamori.Excerpt(snap.AsOf))
	}
	if len(entries) == 0 {
		return snap, mamori.Errorf(mamori.Invalid, "リストにサービスがありません", "the list has no services")
	}
	seen := map[string]int{}
	for _, e := range entries {
		k := mamori.ListKey(e.RegistrationNumber)
		if k == "" {
			return snap, &mamori.Error{Kind: mamori.Invalid, Loc: mamori.Loc{File: snap.FileName, Row: e.Row, Column: "登録番号"},
				Message: "registration number is blank", MessageJA: "登録番号が空欄です"}
		}
		if prev, dup := seen[k]; dup {
			return snap, &mamori.Error{Kind: mamori.Invalid, Loc: mamori.Loc{File: snap.FileName, Row: e.Row, Column: "登録番号", Value: e.RegistrationNumber},
				Message: fmt.Sprintf("same registration number as row %d", prev), MessageJA: fmt.Sprintf("%d行目と同じ登録番号です", prev)}
		}
		seen[k] = e.Row
	}
	snap.EntryCount = len(entries)
	if snap.ImportedAt.IsZero() {
		snap.ImportedAt = time.Now()
	}
	snap.ImportedAt = snap.ImportedAt.UTC().Truncate(time.Second)
	err := s.inTx(ctx, "cloud_list_snapshots", func(tx *sql.Tx) error {
		var n int64
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM cloud_list_snapshots WHERE kind = $1 AND as_of = $2", snap.Kind, snap.AsOf).Scan(&n); err != nil {
			return fmt.Errorf("store: cloud_list_snapshots: %w", err)
		}
		if n > 0 {
			return mamori.Errorf(mamori.Conflict, "%s の %s 時点のリストは取込み済みです", "the %s list as of %s is already imported", labelOfList(snap.Kind), snap.AsOf)
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO cloud_list_snapshots (kind, as_of, file_name, sha256, imported_by, imported_at, entry_count)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, snap.Kind, snap.AsOf, snap.FileName, snap.SHA256, snap.ImportedBy,
			snap.ImportedAt.Format(time.RFC3339), snap.EntryCount).Scan(&snap.ID); err != nil {
			return translate(err, "insert cloud_list_snapshots")
		}
		stmt, err := tx.PrepareContext(ctx, `INSERT INTO cloud_list_entries (snapshot_id, row_num, registration_number, number_key,
			service_name, provider, name_key, registered_on, valid_until) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`)
		if err != nil {
			return fmt.Errorf("store: cloud_list_entries: %w", err)
		}
		defer stmt.Close()
		for _, e := range entries {
			if _, err := stmt.ExecContext(ctx, snap.ID, e.Row, e.RegistrationNumber, mamori.ListKey(e.RegistrationNumber), e.Service, e.Provider,
				mamori.ListNameKey(e.Provider, e.Service), nullString(e.RegisteredOn), e.ValidUntil); err != nil {
				return translate(err, "insert cloud_list_entries")
			}
		}
		return nil
	})
	return snap, err
}

func labelOfList(kind string) string {
	if kind == CloudListLIU {
		return "ISMAP-LIU"
	}
	return "ISMAP"
}

// CloudListSnapshots returns every snapshot, by list, newest first.
func (s *Store) CloudListSnapshots(ctx context.Context) ([]CloudListSnapshot, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT id, kind, as_of, file_name, sha256, imported_by, imported_at, entry_count
		FROM cloud_list_snapshots ORDER BY kind, as_of DESC`)
	if err != nil {
		return nil, fmt.Errorf("store: cloud_list_snapshots: %w", err)
	}
	defer rows.Close()
	var out []CloudListSnapshot
	for rows.Next() {
		var c CloudListSnapshot
		var at string
		if err := rows.Scan(&c.ID, &c.Kind, &c.AsOf, &c.FileName, &c.SHA256, &c.ImportedBy, &at, &c.EntryCount); err != nil {
			return nil, fmt.Errorf("store: cloud_list_snapshots: %w", err)
		}
		c.ImportedAt, _ = time.Parse(time.RFC3339, at)
		out = append(out, c)
	}
	return out, rows.Err()
}

// CloudListEntries returns a snapshot's services in the order of the file.
func (s *Store) CloudListEntries(ctx context.Context, snapshot int64) ([]CloudListEntry, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT snapshot_id, row_num, registration_number, service_name, provider,
		coalesce(registered_on, ''), valid_until FROM cloud_list_entries WHERE snapshot_id = $1 ORDER BY row_num`, snapshot)
	if err != nil {
		return nil, fmt.Errorf("store: cloud_list_entries: %w", err)
	}
	defer rows.Close()
	var out []CloudListEntry
	for rows.Next() {
		var e CloudListEntry
		if err := rows.Scan(&e.SnapshotID, &e.Row, &e.RegistrationNumber, &e.Service, &e.Provider, &e.RegisteredOn, &e.ValidUntil); err != nil {
			return nil, fmt.Errorf("store: cloud_list_entries: %w", err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// CloudListStatus is what the lists say of one register cloud service.
type CloudListStatus struct {
	Code, Provider, Name, Number string
	Claim                        string // the register's ismap_status: what the officer says
	// MatchedBy is how it was found: "number", "name" (exact provider and
	// service name, for a service recorded without a number), or "".
	MatchedBy string
	// Listed: true on the newest snapshot of a list; false when it
	// dropped off one, or is on neither list once both are imported and
	// it has a number (or none and the officer records it as unlisted);
	// nil when the lists cannot say (none imported, a list missing, or no
	// number, no exact name match and a claim of being listed): 未確認.
	Listed *bool
	Kind   string // the list it is on, or dropped off
	// AsOf is the date of the newest snapshot it was looked up in (of
	// Kind when set, else the newest of all); "" with no list imported.
	AsOf         string
	ListedNumber string // the number as the list prints it
	ValidUntil   string // the listing's validity, when Listed
	LastListedOn string // the newest older snapshot that listed it, when it dropped off
	// ClaimDiffers is the claim when it disagrees with the lists.
	ClaimDiffers string
}

// Dropped reports whether the service was on an older snapshot of a list
// and is not on its newest.
func (c CloudListStatus) Dropped() bool { return c.LastListedOn != "" }

// The states State names, as the pages, the API and the command line show
// them.
const (
	CloudListed      = "listed"
	CloudExpired     = "expired"
	CloudDropped     = "dropped"
	CloudNotListed   = "not_listed"
	CloudUnconfirmed = "unconfirmed"
)

// State names what the lists say of the service on day (YYYY-MM-DD).
func (c CloudListStatus) State(day string) string {
	switch {
	case c.Dropped():
		return CloudDropped
	case c.Listed == nil:
		return CloudUnconfirmed
	case !*c.Listed:
		return CloudNotListed
	case c.ValidUntil < day:
		return CloudExpired
	}
	return CloudListed
}

type listEntryKey struct {
	snapshot int64
	key      string
}

type listEntryHit struct {
	number, validUntil string
}

// CloudListStatuses matches every register cloud service against the
// snapshots: by registration number (ListKey) where the register has one,
// else by the exact provider and service name (ListNameKey) when exactly
// one entry of a newest snapshot has them. By service code.
func (s *Store) CloudListStatuses(ctx context.Context) (map[string]CloudListStatus, error) {
	snaps, err := s.CloudListSnapshots(ctx)
	if err != nil {
		return nil, err
	}
	newest := map[string]CloudListSnapshot{}
	newestAsOf := ""
	for _, sn := range snaps { // newest first within a kind
		if _, ok := newest[sn.Kind]; !ok {
			newest[sn.Kind] = sn
		}
		newestAsOf = max(newestAsOf, sn.AsOf)
	}
	byNumber := map[listEntryKey]listEntryHit{}
	byName := map[listEntryKey][]listEntryHit{}
	rows, err := s.read.QueryContext(ctx, `SELECT snapshot_id, number_key, name_key, registration_number, valid_until FROM cloud_list_entries`)
	if err != nil {
		return nil, fmt.Errorf("store: cloud_list_entries: %w", err)
	}
	for rows.Next() {
		var id int64
		var nk, namek, num, valid string
		if err := rows.Scan(&id, &nk, &namek, &num, &valid); err != nil {
			rows.Close()
			return nil, fmt.Errorf("store: cloud_list_entries: %w", err)
		}
		hit := listEntryHit{num, valid}
		byNumber[listEntryKey{id, nk}] = hit
		byName[listEntryKey{id, namek}] = append(byName[listEntryKey{id, namek}], hit)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: cloud_list_entries: %w", err)
	}
	find := func(id int64, number, nameKey string) (listEntryHit, string, bool) {
		if number != "" {
			h, ok := byNumber[listEntryKey{id, number}]
			return h, "number", ok
		}
		if hs := byName[listEntryKey{id, nameKey}]; len(hs) == 1 {
			return hs[0], "name", true
		}
		return listEntryHit{}, "", false
	}
	crows, err := s.read.QueryContext(ctx, `SELECT code, provider, name, coalesce(registration_number, ''), ismap_status FROM cloud_services ORDER BY code`)
	if err != nil {
		return nil, fmt.Errorf("store: cloud_services: %w", err)
	}
	defer crows.Close()
	out := map[string]CloudListStatus{}
	for crows.Next() {
		var c CloudListStatus
		if err := crows.Scan(&c.Code, &c.Provider, &c.Name, &c.Number, &c.Claim); err != nil {
			return nil, fmt.Errorf("store: cloud_services: %w", err)
		}
		number, nameKey := mamori.ListKey(c.Number), mamori.ListNameKey(c.Provider, c.Name)
		c.AsOf = newestAsOf
		for _, kind := range CloudListKinds {
			sn, ok := newest[kind]
			if !ok {
				continue
			}
			if h, by, ok := find(sn.ID, number, nameKey); ok {
				yes := true
				c.Listed, c.Kind, c.AsOf, c.MatchedBy, c.ListedNumber, c.ValidUntil = &yes, kind, sn.AsOf, by, h.number, h.validUntil
				break
			}
		}
		if c.Listed == nil {
			// Not on a newest list: was it on an older one?
			for _, sn := range snaps {
				if sn.ID == newest[sn.Kind].ID || sn.AsOf <= c.LastListedOn {
					continue
				}
				if h, by, ok := find(sn.ID, number, nameKey); ok {
					c.Kind, c.LastListedOn, c.MatchedBy, c.ListedNumber = sn.Kind, sn.AsOf, by, h.number
					c.AsOf = newest[sn.Kind].AsOf
				}
			}
			// On neither list: a fail once both lists are in, for a
			// service with a number, or without one where the officer
			// records it as listed nowhere (the claim can confirm a
			// failure, never make a pass). A service said to be listed
			// but recorded without a number stays unconfirmed.
			allLists := len(newest) == len(CloudListKinds)
			if c.Dropped() || (allLists && (number != "" || c.Claim == "none")) {
				no := false
				c.Listed = &no
			}
		}
		switch {
		case c.Listed == nil:
		case *c.Listed && c.Claim != c.Kind, !*c.Listed && c.Claim != "none":
			c.ClaimDiffers = c.Claim
		}
		out[c.Code] = c
	}
	return out, crows.Err()
}

// contractCloudLists sets the contract view's cloud_list_* fields from
// the statuses of the services the contracts use.
func (s *Store) contractCloudLists(ctx context.Context, d *viewData) error {
	fields := []string{"cloud_listed", "cloud_list_kind", "cloud_list_as_of", "cloud_list_valid_until", "cloud_last_listed_on", "cloud_claim_differs"}
	needed := false
	for _, f := range fields {
		needed = needed || d.need(f)
	}
	if !needed {
		return nil
	}
	st, err := s.CloudListStatuses(ctx)
	if err != nil {
		return err
	}
	rows, err := s.read.QueryContext(ctx, `SELECT code, cloud_service_code FROM contracts WHERE cloud_service_code IS NOT NULL`)
	if err != nil {
		return fmt.Errorf("store: contracts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var k, cs string
		if err := rows.Scan(&k, &cs); err != nil {
			return fmt.Errorf("store: contracts: %w", err)
		}
		c, ok := st[cs]
		if !ok {
			continue
		}
		set := func(field string, v string) {
			if v != "" && d.need(field) {
				d.set(k, field, v)
			}
		}
		if c.Listed != nil && d.need("cloud_listed") {
			d.set(k, "cloud_listed", *c.Listed)
		}
		set("cloud_list_kind", c.Kind)
		set("cloud_list_as_of", c.AsOf)
		set("cloud_list_valid_until", c.ValidUntil)
		set("cloud_last_listed_on", c.LastListedOn)
		set("cloud_claim_differs", c.ClaimDiffers)
	}
	return rows.Err()
}
