package audit_test

import (
	"errors"
	"fmt"
	"iter"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"mamori"
	"mamori/internal/audit"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// chain builds a valid chain of n entries in memory.
func chain(n int) []store.AuditEntry {
	t0 := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	prev := store.AuditGenesis
	var out []store.AuditEntry
	for i := 1; i <= n; i++ {
		e := store.AuditEntry{Seq: int64(i), At: t0.Add(time.Duration(i) * time.Second), Actor: "alice", Action: audit.Write,
			Target: fmt.Sprintf("systems/S-%03d", i), Detail: `{"n":1}`, PrevHash: prev}
		if i%2 == 0 {
			e.OrgCode = "MIC"
		}
		e.Hash = store.AuditHash(e)
		prev = e.Hash
		out = append(out, e)
	}
	return out
}

// testKeys is a fixed keyring: an old key, then the current one.
var testKeys = func() *store.AuditKeyring {
	old, cur := []byte(strings.Repeat("o", 32)), []byte(strings.Repeat("c", 32))
	k, err := store.NewAuditKeyring(store.AuditKey{ID: store.AuditKeyID(old), Secret: old}, store.AuditKey{ID: store.AuditKeyID(cur), Secret: cur})
	if err != nil {
		panic(err)
	}
	return k
}()

// mixedChain builds a valid chain of n entries as a store upgraded twice
// would hold: seq 1 and 2 written before keys (plain SHA-256), seq 3 under
// a retired key, the rest under the current key; entries filed under
// several organizations from seq 3 on.
func mixedChain(n int) []store.AuditEntry {
	es := chain(min(n, 2))
	old := []byte(strings.Repeat("o", 32))
	prev := store.AuditGenesis
	if len(es) > 0 {
		prev = es[len(es)-1].Hash
	}
	for i := 3; i <= n; i++ {
		e := store.AuditEntry{Seq: int64(i), At: time.Date(2026, 11, 24, 0, 0, i, 0, time.UTC), Actor: "bob", Action: audit.Export,
			Target: "systems.csv", OrgCode: "MIC", Orgs: []string{"MIC", "MOF"}, Detail: `{"rows":3}`, PrevHash: prev}
		if i == 3 {
			e.KeyID = store.AuditKeyID(old)
		} else {
			e.KeyID = testKeys.CurrentID()
		}
		e.Hash, _ = testKeys.Hash(e)
		prev = e.Hash
		es = append(es, e)
	}
	return es
}

// TestVerifyKeyedFrom: a log rewritten entirely with the plain SHA-256
// encoding verifies as a log written before keys unless the keyring (kept
// outside the database) says from which seq entries are keyed; then the
// first unkeyed entry at or after that seq is downgraded.
func TestVerifyKeyedFrom(t *testing.T) {
	c := chain(4)
	cur := []byte(strings.Repeat("c", 32))
	for _, tc := range []struct {
		from     int64
		firstBad int64
	}{{0, 0}, {5, 0}, {3, 3}, {1, 1}} {
		k, err := store.NewAuditKeyring(store.AuditKey{ID: store.AuditKeyID(cur), Secret: cur})
		if err != nil {
			t.Fatal(err)
		}
		k.SetKeyedFrom(tc.from)
		got, err := audit.VerifyEntries(k, entriesOf(c, nil))
		if err != nil {
			t.Fatal(err)
		}
		if want := tc.firstBad == 0; got.Intact() != want || got.FirstBad != tc.firstBad || (!want && got.Reason != audit.Downgraded) {
			t.Errorf("VerifyEntries(unkeyed chain, keyed from %d) = %+v, want first bad %d (downgraded)", tc.from, got, tc.firstBad)
		}
	}
}

// TestVerifyKeyed checks the keyed chain: entries of every scheme and key
// verify with the keyring; an entry appended or rewritten without the key,
// with the published SHA-256 encoding or an unknown key id, does not.
func TestVerifyKeyed(t *testing.T) {
	c := mixedChain(6)
	verify := func(keys *store.AuditKeyring, es []store.AuditEntry) audit.Result {
		t.Helper()
		got, err := audit.VerifyEntries(keys, entriesOf(es, nil))
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	if got := verify(testKeys, c); !got.Intact() || got.Entries != 6 {
		t.Fatalf("VerifyEntries(mixed chain) = %+v, want intact", got)
	}
	// Appended with plain SHA-256, correctly chained: the downgrade shows.
	forged := store.AuditEntry{Seq: 7, At: c[5].At, Actor: "bob", Action: audit.Login, PrevHash: c[5].Hash}
	forged.Hash = store.AuditHash(forged)
	if got := verify(testKeys, append(slices.Clone(c), forged)); got.FirstBad != 7 || got.Reason != audit.Downgraded {
		t.Errorf("VerifyEntries(+ unkeyed entry) = %+v, want downgraded at seq 7", got)
	}
	// Appended under the current key id but computed with another secret.
	forged.KeyID = testKeys.CurrentID()
	forged.Hash = store.AuditMAC(forged, []byte(strings.Repeat("x", 32)))
	if got := verify(testKeys, append(slices.Clone(c), forged)); got.FirstBad != 7 || got.Reason != audit.Tampered {
		t.Errorf("VerifyEntries(+ entry under a guessed key) = %+v, want tampered at seq 7", got)
	}
	// Appended under a key of the forger's own.
	own := store.NewAuditKey()
	forged.KeyID = own.ID
	forged.Hash = store.AuditMAC(forged, own.Secret)
	if got := verify(testKeys, append(slices.Clone(c), forged)); got.FirstBad != 7 || got.Reason != audit.UnknownKey || got.KeyID != own.ID {
		t.Errorf("VerifyEntries(+ entry under the forger's key) = %+v, want unknown key %s at seq 7", got, own.ID)
	}
	// A keyed entry rewritten and rehashed with plain SHA-256.
	es := slices.Clone(c)
	es[4].Detail = "{}"
	es[4].Hash = store.AuditHash(es[4])
	if got := verify(testKeys, es); got.FirstBad != 5 || got.Reason != audit.Tampered {
		t.Errorf("VerifyEntries(keyed entry rehashed without key) = %+v, want tampered at seq 5", got)
	}
	// Filed under one more organization: the keyed hash covers the set.
	es = slices.Clone(c)
	es[3].Orgs = []string{"MIC", "MOF", "MOJ"}
	if got := verify(testKeys, es); got.FirstBad != 4 || got.Reason != audit.Tampered {
		t.Errorf("VerifyEntries(organization added) = %+v, want tampered at seq 4", got)
	}
	// A legacy entry given organizations it was never filed under.
	es = slices.Clone(c)
	es[0].Orgs = []string{"MOF"}
	if got := verify(testKeys, es); got.FirstBad != 1 || got.Reason != audit.Tampered {
		t.Errorf("VerifyEntries(legacy entry filed under an organization) = %+v, want tampered at seq 1", got)
	}
	// Rotation: without the retired key the entry it signed cannot be verified.
	cur, _ := store.NewAuditKeyring(store.AuditKey{ID: testKeys.CurrentID(), Secret: []byte(strings.Repeat("c", 32))})
	if got := verify(cur, c); got.FirstBad != 3 || got.Reason != audit.UnknownKey || !strings.Contains(got.Err().Error(), got.KeyID) {
		t.Errorf("VerifyEntries(without the retired key) = %+v (%v), want unknown key at seq 3", got, got.Err())
	}
}

// entriesOf yields es in order, then err if it is not nil.
func entriesOf(es []store.AuditEntry, err error) iter.Seq2[store.AuditEntry, error] {
	return func(yield func(store.AuditEntry, error) bool) {
		for _, e := range es {
			if !yield(e, nil) {
				return
			}
		}
		if err != nil {
			yield(store.AuditEntry{}, err)
		}
	}
}

// rehashed returns e with its hash recomputed after an edit.
func rehashed(e store.AuditEntry) store.AuditEntry {
	e.Hash = store.AuditHash(e)
	return e
}

func TestVerifyEntries(t *testing.T) {
	c := chain(5)
	for _, tc := range []struct {
		name    string
		entries func() []store.AuditEntry
		want    audit.Result
	}{
		{"empty", func() []store.AuditEntry { return nil }, audit.Result{LastHash: store.AuditGenesis}},
		{"intact", func() []store.AuditEntry { return c }, audit.Result{Entries: 5, LastSeq: 5, LastHash: c[4].Hash}},
		{"middle deleted", func() []store.AuditEntry { return append(append([]store.AuditEntry{}, c[:2]...), c[3:]...) },
			audit.Result{Entries: 3, LastSeq: 2, LastHash: c[1].Hash, FirstBad: 3, Reason: audit.Missing, Next: 4}},
		{"first deleted", func() []store.AuditEntry { return c[1:] },
			audit.Result{Entries: 1, LastHash: store.AuditGenesis, FirstBad: 1, Reason: audit.Missing, Next: 2}},
		{"detail edited", func() []store.AuditEntry {
			es := append([]store.AuditEntry{}, c...)
			es[2].Detail = "{}"
			return es
		}, audit.Result{Entries: 3, LastSeq: 2, LastHash: c[1].Hash, FirstBad: 3, Reason: audit.Tampered}},
		{"hash replaced", func() []store.AuditEntry {
			es := append([]store.AuditEntry{}, c...)
			es[0].Hash = strings.Repeat("a", 64)
			return es
		}, audit.Result{Entries: 1, LastHash: store.AuditGenesis, FirstBad: 1, Reason: audit.Tampered}},
		{"edited and rehashed", func() []store.AuditEntry {
			es := append([]store.AuditEntry{}, c...)
			es[1].Actor = "mallory"
			es[1] = rehashed(es[1])
			return es
		}, audit.Result{Entries: 3, LastSeq: 2, LastHash: rehashed(func() store.AuditEntry { e := c[1]; e.Actor = "mallory"; return e }()).Hash,
			FirstBad: 3, Reason: audit.Relinked}},
		{"middle deleted and renumbered", func() []store.AuditEntry {
			// Closing the gap changes seq, which the hash covers.
			es := append(append([]store.AuditEntry{}, c[:2]...), c[3:]...)
			es[2].Seq = 3
			return es
		}, audit.Result{Entries: 3, LastSeq: 2, LastHash: c[1].Hash, FirstBad: 3, Reason: audit.Tampered}},
		{"first prev_hash not genesis", func() []store.AuditEntry {
			es := append([]store.AuditEntry{}, c...)
			es[0].PrevHash = strings.Repeat("1", 64)
			es[0] = rehashed(es[0])
			return es
		}, audit.Result{Entries: 1, LastHash: store.AuditGenesis, FirstBad: 1, Reason: audit.Relinked}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := audit.VerifyEntries(testKeys, entriesOf(tc.entries(), nil))
			if err != nil {
				t.Fatalf("VerifyEntries: %v", err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("VerifyEntries(%s) (-want +got):\n%s", tc.name, diff)
			}
			if got.Intact() != (tc.want.Reason == audit.Intact) || (got.Err() == nil) != got.Intact() {
				t.Errorf("VerifyEntries(%s).Intact() = %v, Err() = %v", tc.name, got.Intact(), got.Err())
			}
		})
	}
	t.Run("read error", func(t *testing.T) {
		boom := errors.New("disk on fire")
		if _, err := audit.VerifyEntries(testKeys, entriesOf(c[:2], boom)); !errors.Is(err, boom) {
			t.Errorf("VerifyEntries with a failing reader = %v, want %v", err, boom)
		}
	})
}

// FuzzVerifyEntries edits one field of one entry of a valid chain to an
// arbitrary value: whatever the edit, verification must report that very
// entry, never an intact chain.
func FuzzVerifyEntries(f *testing.F) {
	for field := range 11 {
		f.Add(uint8(2), uint8(field), "x")
	}
	f.Add(uint8(0), uint8(0), "")
	f.Add(uint8(4), uint8(5), "MIC")
	f.Fuzz(func(t *testing.T, row, field uint8, val string) {
		es := mixedChain(5)
		k := int(row) % len(es)
		e := &es[k]
		before := *e
		before.Orgs = slices.Clone(e.Orgs)
		switch field % 11 {
		case 0:
			e.Seq += int64(len(val)) + 1
		case 1:
			e.At = e.At.Add(time.Duration(len(val)+1) * time.Millisecond)
		case 2:
			e.Actor = val
		case 3:
			e.Action = val
		case 4:
			e.Target = val
		case 5:
			e.OrgCode = val
		case 6:
			e.Detail = val
		case 7:
			e.PrevHash = val
		case 8:
			e.Hash = val
		case 9:
			e.KeyID = val
		case 10:
			e.Orgs = append(e.Orgs, val)
		}
		if cmp.Equal(*e, before, cmp.AllowUnexported(store.AuditEntry{})) {
			return // the "edit" kept the value
		}
		got, err := audit.VerifyEntries(testKeys, entriesOf(es, nil))
		if err != nil {
			t.Fatal(err)
		}
		if got.Intact() || got.FirstBad != int64(k+1) {
			t.Errorf("VerifyEntries after editing field %d of seq %d to %q = %+v, want broken at seq %d", field%11, k+1, val, got, k+1)
		}
	})
}

func TestResultErr(t *testing.T) {
	for _, tc := range []struct {
		res  audit.Result
		want []string
	}{
		{audit.Result{Entries: 3, LastSeq: 2, FirstBad: 3, Reason: audit.Tampered}, []string{"seq 3", "tampered", "改ざん"}},
		{audit.Result{Entries: 3, LastSeq: 2, FirstBad: 3, Reason: audit.Missing, Next: 4}, []string{"seq 3", "missing", "seq 2 is followed by seq 4", "削除"}},
		{audit.Result{Entries: 1, FirstBad: 1, Reason: audit.Missing, Next: 2}, []string{"seq 1", "starts at seq 2"}},
		{audit.Result{Entries: 4, LastSeq: 3, FirstBad: 4, Reason: audit.Relinked}, []string{"seq 4", "prev_hash"}},
		{audit.Result{Entries: 4, LastSeq: 3, FirstBad: 4, Reason: audit.UnknownKey, KeyID: "0123456789abcdef"}, []string{"seq 4", "0123456789abcdef", "監査鍵ファイル"}},
		{audit.Result{Entries: 4, LastSeq: 3, FirstBad: 4, Reason: audit.Downgraded}, []string{"seq 4", "unkeyed", "偽造"}},
	} {
		err := tc.res.Err()
		var me *mamori.Error
		if !errors.As(err, &me) || me.Kind != mamori.Conflict {
			t.Fatalf("Result%+v.Err() = %v, want a conflict *mamori.Error", tc.res, err)
		}
		for _, w := range tc.want {
			if !strings.Contains(me.Bilingual(), w) {
				t.Errorf("Result%+v.Err() = %q, want it to contain %q", tc.res, me.Bilingual(), w)
			}
		}
	}
	if err := (audit.Result{Entries: 2, LastSeq: 2}).Err(); err != nil {
		t.Errorf("intact Result.Err() = %v, want nil", err)
	}
}

func TestCLIActor(t *testing.T) {
	for _, tc := range []struct {
		user, want string
	}{
		{"alice", "cli:alice"},
		{"", "cli"},
	} {
		getenv := func(k string) string {
			if k == "USER" {
				return tc.user
			}
			return ""
		}
		if got := audit.CLIActor(getenv); got != tc.want {
			t.Errorf("CLIActor(USER=%q) = %q, want %q", tc.user, got, tc.want)
		}
	}
}

func TestDetailText(t *testing.T) {
	for _, tc := range []struct {
		in   any
		want string
		kind mamori.Kind // Internal when no error is expected
	}{
		{nil, "", mamori.Internal},
		{"plain text", "plain text", mamori.Internal},
		{[]byte(`{"a":1}`), `{"a":1}`, mamori.Internal},
		{map[string]any{"rows": 12, "file": "台帳.xlsx"}, `{"file":"台帳.xlsx","rows":12}`, mamori.Internal},
		{struct {
			N int `json:"n"`
		}{3}, `{"n":3}`, mamori.Internal},
		{make(chan int), "", mamori.Invalid},
	} {
		got, err := audit.DetailText(tc.in)
		if tc.kind == mamori.Internal && err != nil || tc.kind != mamori.Internal && mamori.KindOf(err) != tc.kind {
			t.Errorf("DetailText(%T) error = %v, want kind %v", tc.in, err, tc.kind)
			continue
		}
		if got != tc.want {
			t.Errorf("DetailText(%T) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestRecord records through the service on both stores, then verifies.
func TestRecord(t *testing.T) {
	type args struct {
		actor, action, target, org string
		detail                     any
	}
	cases := []struct {
		name   string
		in     args
		detail string // stored detail, when accepted
		bad    string // a word the error must contain, when refused
	}{
		{"login", args{"alice", audit.Login, "", "", nil}, "", ""},
		{"import with JSON detail", args{"cli:bob", audit.Import, "register.xlsx", "MIC", map[string]int{"rows": 12}}, `{"rows":12}`, ""},
		{"custom action", args{audit.System, "backup_2", "mamori.db", "", "nightly"}, "nightly", ""},
		{"action with capitals", args{"alice", "Login", "", "", nil}, "", "action"},
		{"action with a space", args{"alice", "log in", "", "", nil}, "", "action"},
		{"action empty", args{"alice", "", "", "", nil}, "", "action"},
		{"action too long", args{"alice", strings.Repeat("a", 65), "", "", nil}, "", "action"},
		{"actor empty", args{"", audit.Login, "", "", nil}, "", "actor"},
		{"detail not JSON-able", args{"alice", audit.Write, "", "", func() {}}, "", "detail"},
	}
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		var seq int64
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				in := tc.in
				e, err := audit.Record(t.Context(), st, in.actor, in.action, in.target, in.org, in.detail)
				if tc.bad != "" {
					if mamori.KindOf(err) != mamori.Invalid || !strings.Contains(err.Error(), tc.bad) {
						t.Errorf("Record(%+v) = %v, want an invalid error naming %s", in, err, tc.bad)
					}
					return
				}
				if err != nil {
					t.Fatalf("Record(%+v): %v", in, err)
				}
				seq++
				want := store.AuditEntry{Seq: seq, Actor: in.actor, Action: in.action, Target: in.target, OrgCode: in.org, Detail: tc.detail}
				got := store.AuditEntry{Seq: e.Seq, Actor: e.Actor, Action: e.Action, Target: e.Target, OrgCode: e.OrgCode, Detail: e.Detail}
				if diff := cmp.Diff(want, got, cmp.AllowUnexported(store.AuditEntry{})); diff != "" {
					t.Errorf("Record(%+v) (-want +got):\n%s", in, diff)
				}
			})
		}
		res, err := audit.Verify(t.Context(), st)
		if err != nil || !res.Intact() || res.Entries != seq {
			t.Errorf("Verify = %+v, %v; want intact with %d entries", res, err, seq)
		}
	})
}
