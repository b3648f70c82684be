package store_test

import (
	"context"
	"database/sql"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"mamori"
	"mamori/internal/audit"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// sampleEntry is a fixed entry whose hash is pinned below.
func sampleEntry() store.AuditEntry {
	return store.AuditEntry{Seq: 7, At: time.Date(2026, 11, 23, 9, 0, 0, 123_000_000, time.UTC), Actor: "cli:alice",
		Action: "import", Target: "register.xlsx", OrgCode: "MIC", Detail: `{"rows":12}`, PrevHash: store.AuditGenesis}
}

// TestAuditHash pins the encoding (a change would break every stored chain)
// and checks that each field, and each boundary between fields, counts.
func TestAuditHash(t *testing.T) {
	// Computed independently from the encoding documented on AuditHash.
	const golden = "e087e7124ce26f53863d28c7179d94e58668dbd08199f67b9cfbec3d9a8d77eb"
	if got := store.AuditHash(sampleEntry()); got != golden {
		t.Fatalf("AuditHash(sample) = %s, want %s", got, golden)
	}
	if got := store.AuditHash(sampleEntry()); got != golden {
		t.Fatalf("AuditHash is not deterministic: %s", got)
	}
	// The Hash field itself is not covered.
	e := sampleEntry()
	e.Hash = golden
	if got := store.AuditHash(e); got != golden {
		t.Errorf("AuditHash depends on Hash: %s", got)
	}
	for _, tc := range []struct {
		name   string
		change func(*store.AuditEntry)
	}{
		{"seq", func(e *store.AuditEntry) { e.Seq++ }},
		{"at", func(e *store.AuditEntry) { e.At = e.At.Add(time.Millisecond) }},
		{"actor", func(e *store.AuditEntry) { e.Actor = "cli:bob" }},
		{"action", func(e *store.AuditEntry) { e.Action = "export" }},
		{"target", func(e *store.AuditEntry) { e.Target = "" }},
		{"org_code", func(e *store.AuditEntry) { e.OrgCode = "" }},
		{"detail", func(e *store.AuditEntry) { e.Detail = `{"rows":13}` }},
		{"prev_hash", func(e *store.AuditEntry) { e.PrevHash = strings.Repeat("1", 64) }},
		{"actor|action boundary", func(e *store.AuditEntry) { e.Actor, e.Action = "cli:alicei", "mport" }},
		{"target|org boundary", func(e *store.AuditEntry) { e.Target, e.OrgCode = "register.xlsxMIC", "" }},
		{"org|detail boundary", func(e *store.AuditEntry) { e.OrgCode, e.Detail = "", `MIC{"rows":12}` }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := sampleEntry()
			tc.change(&e)
			if got := store.AuditHash(e); got == golden {
				t.Errorf("AuditHash with %s changed = %s, the same as before", tc.name, got)
			}
		})
	}
}

// FuzzAuditHash checks that the encoding is unambiguous: moving the boundary
// between two adjacent fields, with the bytes unchanged, changes the hash.
func FuzzAuditHash(f *testing.F) {
	f.Add("cli:alice", "import", "register.xlsx", uint8(3))
	f.Add("", "", "", uint8(0))
	f.Add("a", "bc", "\x00\x00\x00\x00\x00\x00\x00\x01", uint8(1))
	f.Fuzz(func(t *testing.T, a, b, c string, cut uint8) {
		e1 := store.AuditEntry{Seq: 1, Actor: a, Action: b, Target: c, PrevHash: store.AuditGenesis}
		joined := a + b
		k := int(cut) % (len(joined) + 1)
		e2 := e1
		e2.Actor, e2.Action = joined[:k], joined[k:]
		same := e1.Actor == e2.Actor && e1.Action == e2.Action
		if h1, h2 := store.AuditHash(e1), store.AuditHash(e2); (h1 == h2) != same {
			t.Errorf("AuditHash(%q|%q) = %s, AuditHash(%q|%q) = %s", e1.Actor, e1.Action, h1, e2.Actor, e2.Action, h2)
		}
		// The same bytes moved across target and detail.
		e3 := e1
		e3.Target, e3.Detail = "", c
		if c != "" && store.AuditHash(e1) == store.AuditHash(e3) {
			t.Errorf("AuditHash ignores the target|detail boundary for %q", c)
		}
	})
}

// auditDB is a migrated store and a plain connection to the same database,
// through which tests tamper as someone with database access would.
type auditDB struct {
	st  *store.Store
	raw *sql.DB
}

// eachAuditDB runs fn per available database with a fresh auditDB.
func eachAuditDB(t *testing.T, fn func(t *testing.T, db auditDB)) {
	t.Helper()
	for _, name := range []string{"sqlite", "postgres"} {
		t.Run(name, func(t *testing.T) {
			var dsn string
			if name == "sqlite" {
				dsn = filepath.Join(t.TempDir(), "mamori.db")
			} else {
				dsn = storetest.PostgresDSN(t) // skips without a server
			}
			ctx := context.Background()
			st, err := store.Open(ctx, dsn)
			if err != nil {
				t.Fatalf("store.Open: %v", err)
			}
			t.Cleanup(func() { st.Close() })
			if err := st.Migrate(ctx); err != nil {
				t.Fatalf("Migrate: %v", err)
			}
			driver, rawDSN := "pgx", dsn
			if name == "sqlite" {
				driver, rawDSN = "sqlite", "file:"+(&url.URL{Path: dsn}).EscapedPath()+"?_pragma=busy_timeout(10000)"
			}
			raw, err := sql.Open(driver, rawDSN)
			if err != nil {
				t.Fatalf("sql.Open: %v", err)
			}
			t.Cleanup(func() { raw.Close() })
			fn(t, auditDB{st, raw})
		})
	}
}

// allAudit reads the whole log in seq order.
func allAudit(t *testing.T, st *store.Store) []store.AuditEntry {
	t.Helper()
	var out []store.AuditEntry
	if err := st.EachAudit(t.Context(), func(e store.AuditEntry) error {
		out = append(out, e)
		return nil
	}); err != nil {
		t.Fatalf("EachAudit: %v", err)
	}
	return out
}

var cmpAudit = cmp.AllowUnexported(store.AuditEntry{})

// keyedHash is the hash e should carry under st's keyring.
func keyedHash(st *store.Store, e store.AuditEntry) string {
	h, _ := st.AuditKeyring().Hash(e)
	return h
}

func testAppendAudit(t *testing.T, st *store.Store) {
	inputs := []store.AuditEntry{
		{Actor: "alice", Action: "login"},
		{Actor: "cli:bob", Action: "import", Target: "register.xlsx", OrgCode: "MIC", Detail: `{"rows":12}`},
		// Seq, At and hashes given by the caller are ignored: no backdating.
		{Actor: "system", Action: "write", Target: "systems/S-001", Detail: "日本語の詳細\n二行目",
			Seq: 99, At: time.Date(2001, 1, 1, 0, 0, 0, 0, time.UTC), PrevHash: "x", Hash: "y"},
	}
	before := time.Now().UTC().Truncate(time.Millisecond)
	var got []store.AuditEntry
	prev := store.AuditGenesis
	for i, in := range inputs {
		e, err := st.AppendAudit(t.Context(), in)
		if err != nil {
			t.Fatalf("AppendAudit(%d): %v", i, err)
		}
		if e.Seq != int64(i+1) || e.PrevHash != prev || e.KeyID != st.AuditKeyring().CurrentID() || e.Hash != keyedHash(st, e) {
			t.Errorf("AppendAudit(%d) = seq %d prev %s key %s hash %s; want seq %d prev %s key %s hash %s",
				i, e.Seq, e.PrevHash, e.KeyID, e.Hash, i+1, prev, st.AuditKeyring().CurrentID(), keyedHash(st, e))
		}
		if e.At.Before(before) || e.At.After(time.Now()) || (i > 0 && e.At.Before(got[i-1].At)) {
			t.Errorf("AppendAudit(%d).At = %v, want between %v and now, not before the previous entry", i, e.At, before)
		}
		if e.Actor != in.Actor || e.Action != in.Action || e.Target != in.Target || e.OrgCode != in.OrgCode || e.Detail != in.Detail {
			t.Errorf("AppendAudit(%d) = %+v, want the fields of %+v", i, e, in)
		}
		prev = e.Hash
		got = append(got, e)
	}
	if diff := cmp.Diff(got, allAudit(t, st), cmpAudit); diff != "" {
		t.Errorf("EachAudit differs from what AppendAudit returned (-appended +read):\n%s", diff)
	}
}

func testAppendAuditInvalid(t *testing.T, st *store.Store) {
	cases := []struct {
		name  string
		entry store.AuditEntry
		field string
	}{
		{"no actor", store.AuditEntry{Action: "login"}, "actor"},
		{"blank actor", store.AuditEntry{Actor: "  ", Action: "login"}, "actor"},
		{"no action", store.AuditEntry{Actor: "alice"}, "action"},
		{"NUL in detail", store.AuditEntry{Actor: "alice", Action: "write", Detail: "a\x00b"}, "detail"},
		{"bad UTF-8 in target", store.AuditEntry{Actor: "alice", Action: "write", Target: "\xff"}, "target"},
		{"bad UTF-8 in org", store.AuditEntry{Actor: "alice", Action: "write", OrgCode: "\xc3"}, "org_code"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := st.AppendAudit(t.Context(), tc.entry)
			if mamori.KindOf(err) != mamori.Invalid || !strings.Contains(err.Error(), tc.field) {
				t.Errorf("AppendAudit(%+v) = %v, want an invalid error naming %s", tc.entry, err, tc.field)
			}
			if n := len(allAudit(t, st)); n != 0 {
				t.Errorf("after a refused append the log has %d entries, want 0", n)
			}
		})
	}
}

// testAppendAudits appends several entries in one call after a single
// one: they chain on in order; a batch with one invalid entry adds none.
func testAppendAudits(t *testing.T, st *store.Store) {
	first, err := st.AppendAudit(t.Context(), store.AuditEntry{Actor: "alice", Action: "login"})
	if err != nil {
		t.Fatal(err)
	}
	batch := []store.AuditEntry{
		{Actor: "cli:bob", Action: "import", Target: "component_software/C1", Detail: `{"packages":3}`},
		{Actor: "cli:bob", Action: "import", Target: "component_software/C2", OrgCode: "MIC", Detail: `{"packages":5}`},
		{Actor: "cli:bob", Action: "import", Target: "component_software/C3"},
	}
	got, err := st.AppendAudits(t.Context(), batch)
	if err != nil {
		t.Fatalf("AppendAudits: %v", err)
	}
	prev := first.Hash
	for i, e := range got {
		if e.Seq != int64(i+2) || e.PrevHash != prev || e.Hash != keyedHash(st, e) || e.Target != batch[i].Target || e.OrgCode != batch[i].OrgCode {
			t.Errorf("AppendAudits[%d] = %+v, want seq %d after %s with the fields of %+v", i, e, i+2, prev, batch[i])
		}
		if e.At.Before(first.At) {
			t.Errorf("AppendAudits[%d].At = %v, before the previous entry's %v", i, e.At, first.At)
		}
		prev = e.Hash
	}
	if diff := cmp.Diff(append([]store.AuditEntry{first}, got...), allAudit(t, st), cmpAudit); diff != "" {
		t.Errorf("EachAudit differs from what was appended (-appended +read):\n%s", diff)
	}
	bad := []store.AuditEntry{{Actor: "cli:bob", Action: "import", Target: "C4"}, {Actor: "cli:bob", Action: "import", Detail: "a\x00b"}}
	if _, err := st.AppendAudits(t.Context(), bad); mamori.KindOf(err) != mamori.Invalid {
		t.Errorf("AppendAudits with an invalid entry = %v, want an invalid error", err)
	}
	if n := len(allAudit(t, st)); n != 4 {
		t.Errorf("after a refused batch the log has %d entries, want 4", n)
	}
	if out, err := st.AppendAudits(t.Context(), nil); err != nil || len(out) != 0 {
		t.Errorf("AppendAudits(nil) = %v, %v", out, err)
	}
}

// testAuditConcurrent appends from 20 goroutines at once: the chain must
// come out whole, with seq 1..20 and every link intact.
func testAuditConcurrent(t *testing.T, st *store.Store) {
	const n = 20
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Go(func() {
			_, err := st.AppendAudit(t.Context(), store.AuditEntry{Actor: "alice", Action: "write", Target: "t" + string(rune('a'+i))})
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("AppendAudit: %v", err)
		}
	}
	res, err := audit.Verify(t.Context(), st)
	if err != nil || !res.Intact() || res.Entries != n || res.LastSeq != n {
		t.Fatalf("Verify after %d concurrent appends = %+v, %v; want intact with %d entries", n, res, err, n)
	}
	entries := allAudit(t, st)
	targets := map[string]bool{}
	for i, e := range entries {
		targets[e.Target] = true
		if i > 0 && e.At.Before(entries[i-1].At) {
			t.Errorf("seq %d at %v is before seq %d at %v", e.Seq, e.At, entries[i-1].Seq, entries[i-1].At)
		}
	}
	if len(targets) != n {
		t.Errorf("%d distinct targets stored, want %d", len(targets), n)
	}
}

func testAuditEntries(t *testing.T, st *store.Store) {
	inputs := []store.AuditEntry{
		{Actor: "alice", Action: "login"},
		{Actor: "alice", Action: "write", OrgCode: "MIC"},
		{Actor: "bob", Action: "login"},
		{Actor: "cli:root", Action: "import", OrgCode: "MIC"},
		{Actor: "bob", Action: "export", OrgCode: "MOF"},
		{Actor: "alice", Action: "logout"},
	}
	var at []time.Time
	for _, in := range inputs {
		e, err := st.AppendAudit(t.Context(), in)
		if err != nil {
			t.Fatal(err)
		}
		at = append(at, e.At)
		// Distinct milliseconds, so time filters have exact answers.
		time.Sleep(2 * time.Millisecond)
	}
	for _, tc := range []struct {
		name      string
		f         store.AuditFilter
		wantSeq   []int64
		wantTotal int
	}{
		{"all, newest first", store.AuditFilter{}, []int64{6, 5, 4, 3, 2, 1}, 6},
		{"actor", store.AuditFilter{Actor: "alice"}, []int64{6, 2, 1}, 3},
		{"action", store.AuditFilter{Action: "login"}, []int64{3, 1}, 2},
		{"org", store.AuditFilter{OrgCode: "MIC"}, []int64{4, 2}, 2},
		{"actor and action", store.AuditFilter{Actor: "bob", Action: "login"}, []int64{3}, 1},
		{"from", store.AuditFilter{From: at[3]}, []int64{6, 5, 4}, 3},
		{"to", store.AuditFilter{To: at[2]}, []int64{2, 1}, 2},
		{"from and to", store.AuditFilter{From: at[1], To: at[4]}, []int64{4, 3, 2}, 3},
		{"page", store.AuditFilter{Limit: 2, Offset: 1}, []int64{5, 4}, 6},
		{"offset alone", store.AuditFilter{Offset: 4}, []int64{2, 1}, 6},
		{"no match", store.AuditFilter{Actor: "mallory"}, nil, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, total, err := st.AuditEntries(t.Context(), tc.f)
			if err != nil {
				t.Fatalf("AuditEntries(%+v): %v", tc.f, err)
			}
			var seqs []int64
			for _, e := range got {
				seqs = append(seqs, e.Seq)
			}
			if !slices.Equal(seqs, tc.wantSeq) || total != tc.wantTotal {
				t.Errorf("AuditEntries(%+v) = seqs %v total %d, want %v total %d", tc.f, seqs, total, tc.wantSeq, tc.wantTotal)
			}
		})
	}
	if _, _, err := st.AuditEntries(t.Context(), store.AuditFilter{Limit: -1}); mamori.KindOf(err) != mamori.Invalid {
		t.Errorf("AuditEntries(Limit -1) = %v, want an invalid error", err)
	}
}

// checkAppendOnly checks that the database itself refuses to change or
// remove entries, so only someone who drops the triggers can. It needs a log
// with an entry of seq 1.
func checkAppendOnly(t *testing.T, db auditDB) {
	t.Helper()
	before := allAudit(t, db.st)
	for _, q := range []string{
		"UPDATE audit_log SET detail = 'x' WHERE seq = 1",
		"DELETE FROM audit_log WHERE seq = 1",
		"DELETE FROM audit_log",
	} {
		if _, err := db.raw.ExecContext(t.Context(), q); err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s = %v, want refused as append-only", q, err)
		}
	}
	if diff := cmp.Diff(before, allAudit(t, db.st), cmpAudit); diff != "" {
		t.Errorf("log changed by refused statements (-before +after):\n%s", diff)
	}
}

// dropAuditTriggers removes the append-only triggers, as an attacker with
// DDL rights could, so the hash chain is the last line of defence.
func dropAuditTriggers(t *testing.T, db auditDB) {
	t.Helper()
	qs := []string{"DROP TRIGGER audit_log_no_update", "DROP TRIGGER audit_log_no_delete",
		"DROP TRIGGER audit_entry_orgs_no_update", "DROP TRIGGER audit_entry_orgs_no_delete"}
	if db.st.Dialect() == store.Postgres {
		qs = []string{"DROP TRIGGER audit_log_no_change ON audit_log", "DROP TRIGGER audit_entry_orgs_no_change ON audit_entry_orgs"}
	}
	for _, q := range qs {
		if _, err := db.raw.ExecContext(t.Context(), q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

// TestAudit runs the audit store tests against one database per dialect:
// a fresh schema per test would spend most of the run migrating. It first
// checks that the database refuses edits, then drops that guard (as an
// attacker with DDL rights could) and empties the log before each test.
func TestAudit(t *testing.T) {
	eachAuditDB(t, func(t *testing.T, db auditDB) {
		if _, err := db.st.AppendAudit(t.Context(), store.AuditEntry{Actor: "alice", Action: "login"}); err != nil {
			t.Fatal(err)
		}
		checkAppendOnly(t, db)
		dropAuditTriggers(t, db)
		for _, tc := range []struct {
			name string
			fn   func(t *testing.T, db auditDB)
		}{
			{"append", func(t *testing.T, db auditDB) { testAppendAudit(t, db.st) }},
			{"invalid", func(t *testing.T, db auditDB) { testAppendAuditInvalid(t, db.st) }},
			{"batch", func(t *testing.T, db auditDB) { testAppendAudits(t, db.st) }},
			{"concurrent", func(t *testing.T, db auditDB) { testAuditConcurrent(t, db.st) }},
			{"entries", func(t *testing.T, db auditDB) { testAuditEntries(t, db.st) }},
			{"tamper", testAuditTamper},
		} {
			t.Run(tc.name, func(t *testing.T) {
				emptyAudit(t, db)
				tc.fn(t, db)
			})
		}
	})
}

// emptyAudit deletes every entry; the triggers must be gone.
func emptyAudit(t *testing.T, db auditDB) {
	t.Helper()
	if _, err := db.raw.ExecContext(t.Context(), "DELETE FROM audit_entry_orgs"); err != nil {
		t.Fatalf("empty audit_entry_orgs: %v", err)
	}
	if _, err := db.raw.ExecContext(t.Context(), "DELETE FROM audit_log"); err != nil {
		t.Fatalf("empty audit_log: %v", err)
	}
}

// testAuditTamper changes the stored log behind the store's back, by raw
// SQL, and checks that Verify names the first broken seq and why.
func testAuditTamper(t *testing.T, db auditDB) {
	type tamper func(t *testing.T, db auditDB, entries []store.AuditEntry)
	exec := func(q string, args ...any) tamper {
		return func(t *testing.T, db auditDB, _ []store.AuditEntry) {
			if _, err := db.raw.ExecContext(t.Context(), q, args...); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
	}
	// rehash edits an entry and stores a matching hash for it, as someone
	// holding the key could: the edit then shows as a broken link at the
	// next entry.
	rehash := func(seq int, change func(*store.AuditEntry)) tamper {
		return func(t *testing.T, db auditDB, entries []store.AuditEntry) {
			e := entries[seq-1]
			change(&e)
			e.Hash = keyedHash(db.st, e)
			exec("UPDATE audit_log SET detail = $1, prev_hash = $2, hash = $3 WHERE seq = $4",
				e.Detail, e.PrevHash, e.Hash, seq)(t, db, entries)
			entries[seq-1] = e
		}
	}
	cases := []struct {
		name   string
		tamper tamper
		want   audit.Result // Entries, FirstBad, Reason, Next, LastSeq
	}{
		{"untouched", nil, audit.Result{Entries: 5, LastSeq: 5}},
		{"detail edited", exec("UPDATE audit_log SET detail = 'nothing happened' WHERE seq = 3"),
			audit.Result{Entries: 3, LastSeq: 2, FirstBad: 3, Reason: audit.Tampered}},
		{"actor edited", exec("UPDATE audit_log SET actor = 'bob' WHERE seq = 1"),
			audit.Result{Entries: 1, LastSeq: 0, FirstBad: 1, Reason: audit.Tampered}},
		{"org set on a row without one", exec("UPDATE audit_log SET org_code = 'MOF' WHERE seq = 4"),
			audit.Result{Entries: 4, LastSeq: 3, FirstBad: 4, Reason: audit.Tampered}},
		{"at unparsable", exec("UPDATE audit_log SET at = 'yesterday at noon, 12:00' WHERE seq = 2"),
			audit.Result{Entries: 2, LastSeq: 1, FirstBad: 2, Reason: audit.Tampered}},
		{"last row edited", exec("UPDATE audit_log SET target = 'x' WHERE seq = 5"),
			audit.Result{Entries: 5, LastSeq: 4, FirstBad: 5, Reason: audit.Tampered}},
		{"middle row deleted", exec("DELETE FROM audit_log WHERE seq = 3"),
			audit.Result{Entries: 3, LastSeq: 2, FirstBad: 3, Reason: audit.Missing, Next: 4}},
		{"first row deleted", exec("DELETE FROM audit_log WHERE seq = 1"),
			audit.Result{Entries: 1, LastSeq: 0, FirstBad: 1, Reason: audit.Missing, Next: 2}},
		{"edited and rehashed", rehash(3, func(e *store.AuditEntry) { e.Detail = "rewritten" }),
			audit.Result{Entries: 4, LastSeq: 3, FirstBad: 4, Reason: audit.Relinked}},
		{"first prev_hash rewritten and rehashed", rehash(1, func(e *store.AuditEntry) { e.PrevHash = strings.Repeat("f", 64) }),
			audit.Result{Entries: 1, LastSeq: 0, FirstBad: 1, Reason: audit.Relinked}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			emptyAudit(t, db)
			var entries []store.AuditEntry
			for i := range 5 {
				in := store.AuditEntry{Actor: "alice", Action: "write", Target: "systems/S-00" + string(rune('1'+i)), Detail: `{"n":1}`}
				if i == 1 {
					in.OrgCode = "MIC"
				}
				e, err := db.st.AppendAudit(t.Context(), in)
				if err != nil {
					t.Fatal(err)
				}
				entries = append(entries, e)
			}
			if tc.tamper != nil {
				tc.tamper(t, db, entries)
			}
			got, err := audit.Verify(t.Context(), db.st)
			if err != nil {
				t.Fatalf("Verify: %v", err)
			}
			want := tc.want
			want.LastHash = store.AuditGenesis
			if want.LastSeq > 0 {
				want.LastHash = entries[want.LastSeq-1].Hash
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("Verify after %s (-want +got):\n%s", tc.name, diff)
			}
			if err := got.Err(); (err != nil) != (tc.want.FirstBad != 0) {
				t.Errorf("Result.Err() = %v for %+v", err, got)
			}
		})
	}
}
