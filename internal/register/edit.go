package register

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"mamori"
	"mamori/internal/audit"
	"mamori/internal/store"
)

// The register editor (issue 14): one record created or changed in the
// browser or through the API. A save is a one-record import: the record
// goes through the import's own decoding, validation and scope checks, so
// the editor cannot accept what a workbook would be refused for, and it is
// written all or nothing by the import's loader. What the editor adds is
// optimistic locking: the editor sends back the version of the record it
// read (a hash of its stored values, see Version), and the save compares
// it with the record as stored inside the writing transaction, under a
// lock, so of two people saving one record at once exactly one wins and
// the other is told, and nothing is overwritten unseen.

// Edit is one record to save.
type Edit struct {
	Entity *mamori.Entity
	// Key is the stored record's natural key (KeyParts) to change it; nil
	// creates a record, which must not exist yet.
	Key []string
	// Version is the record's version as the editor read it (update).
	Version string
	// Values are the record's fields by column, as JSON values (strings
	// are read as a cell is: 令和7年4月1日, はい, an enum's label). A column
	// left out is saved empty: the edit is the whole record.
	Values map[string]json.RawMessage
}

// Saved is a record as a save wrote it.
type Saved struct {
	Key      []string
	Version  string
	Record   mamori.Record
	Created  bool
	Changed  []string // the columns whose value changed
	Warnings []*mamori.Error
}

// EditOptions are an import's Options, who saves and through what.
type EditOptions struct {
	Options
	Actor string // the user name for the audit trail
	Via   string // "web" or "api", for the audit trail
	// Home are the organizations to file a refusal under when the edit
	// reached none of the editor's scope (their own grants).
	Home []string
}

// ErrStale marks a save refused because the record changed (or went) since
// its editor read it; ErrExists one that would create a record whose key
// is taken.
var (
	ErrStale  = errors.New("register: record changed since it was read")
	ErrExists = errors.New("register: record exists")
)

// WriteRefused is the audit action of a refused save, with why.
const WriteRefused = "write_refused"

// Version is the version of a stored record that the editor sends back: a
// hash of its values in their one Record form (the same on SQLite and
// PostgreSQL), so any change to the record by anyone, an import included,
// changes it, without a version column on every table.
func Version(e *mamori.Entity, rec mamori.Record) string {
	b, _ := json.Marshal(append([]any{e.Name}, rec...))
	sum := sha256.Sum256(b)
	return "v1-" + hex.EncodeToString(sum[:16])
}

// KeyParts renders a record's natural key as the editor's pages and the
// API address it: an enum by its code, a number in decimal, a date as
// YYYY-MM-DD; ParseKey reads them back.
func KeyParts(e *mamori.Entity, rec mamori.Record) []string {
	var out []string
	for i := range e.Fields {
		if e.Fields[i].Key {
			out = append(out, keyPart(rec[i]))
		}
	}
	return out
}

func keyPart(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case int64:
		return strconv.FormatInt(x, 10)
	case bool:
		return strconv.FormatBool(x)
	}
	return ""
}

// ParseKey reads a natural key given as KeyParts into Record values, one
// per key field. A key that cannot be one of e's answers NotFound: it
// addresses no record.
func ParseKey(e *mamori.Entity, parts []string) ([]any, error) {
	keys := e.KeyFields()
	k := mamori.Excerpt(strings.Join(parts, "/"))
	notFound := &mamori.Error{Kind: mamori.NotFound, MessageJA: fmt.Sprintf("%s「%s」は見つかりません", e.JA, k), Message: fmt.Sprintf("%s %q not found", strings.ToLower(e.EN), k)}
	if len(parts) != len(keys) {
		return nil, notFound
	}
	for _, p := range parts {
		// No stored key is anything but text; PostgreSQL would fail on
		// the look-up rather than find nothing.
		if !utf8.ValidString(p) {
			return nil, notFound
		}
	}
	out := make([]any, len(keys))
	for i, f := range keys {
		if parts[i] == "" {
			if f.Mandatory() {
				return nil, notFound
			}
			out[i] = ""
			continue
		}
		v, _, err := parseCell(f, parts[i], false)
		if err != nil || v == nil || keyPart(v) != parts[i] && f.Type != mamori.Enum {
			return nil, notFound
		}
		out[i] = v
	}
	return out, nil
}

// Owners returns the organizations a stored record belongs to, following
// its owner references (a component to its system, the system to its
// organization) through the store; none for shared data (the cloud
// service catalogue, a standard image without an organization). An
// organization belongs to itself.
func Owners(ctx context.Context, st *store.Store, e *mamori.Entity, rec mamori.Record) ([]string, error) {
	if e.Name == "organizations" {
		c, _ := rec[e.FieldIndex("code")].(string)
		return []string{c}, nil
	}
	var out []string
	for _, fi := range ownerFields[e.Name] {
		f := &e.Fields[fi]
		c, ok := rec[fi].(string)
		if !ok || c == "" {
			continue
		}
		if f.Ref == "organizations" {
			out = append(out, c)
			continue
		}
		ref := mamori.EntityByName(f.Ref)
		r, err := st.Get(ctx, ref, c)
		if mamori.KindOf(err) == mamori.NotFound {
			continue
		}
		if err != nil {
			return nil, err
		}
		up, err := Owners(ctx, st, ref, r)
		if err != nil {
			return nil, err
		}
		out = append(out, up...)
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

// OwnerFields returns the fields through which records of e belong to an
// organization (see ownerFields); none for shared entities and for
// organizations themselves. It is what store.Owned follows.
func OwnerFields(e *mamori.Entity) []int { return ownerFields[e.Name] }

// Save validates one record exactly as an import of it would be, within
// opts, and writes it in one transaction, refusing a stale version (the
// record changed since its editor read it: ErrStale, kind Conflict), a
// create whose key is taken (ErrExists, kind Conflict) and any problem of
// the import (mamori.Problems, placed by column); nothing is written then.
// Every save and every refusal is recorded in the audit trail.
func Save(ctx context.Context, st *store.Store, ed Edit, opts EditOptions) (Saved, error) {
	e := ed.Entity
	create := ed.Key == nil
	var keyVals []any
	if !create {
		var err error
		if keyVals, err = ParseKey(e, ed.Key); err != nil {
			return Saved{}, err
		}
		if ed.Version == "" {
			return Saved{}, mamori.Errorf(mamori.Invalid, "版(version)が指定されていません。記録を読み直してから保存してください",
				"no version given: read the record again, then save")
		}
	}
	lim := opts.Limits.OrDefault()
	ctx, cancel := lim.WithTimeLimit(ctx)
	defer cancel()
	touched := &touchedSet{asked: map[string]bool{}}
	if allow := opts.Allow; allow != nil {
		opts.Allow = func(org string) bool {
			ok := allow(org)
			if ok {
				touched.add(org)
			}
			return ok
		}
	}
	b := &batch{ctx: ctx, lim: lim, items: map[string][]item{}}
	obj := map[string]json.RawMessage{}
	maps.Copy(obj, ed.Values)
	for _, f := range e.Fields {
		if _, ok := obj[f.Column]; !ok {
			obj[f.Column] = json.RawMessage("null")
		}
	}
	if !create {
		// The key addresses the record: it is not a value to edit.
		for i, f := range e.KeyFields() {
			if v, _, perr := jsonValue(f, obj[f.Column], lim.CellChars); perr == nil && v != nil && keyPart(v) != keyPart(keyVals[i]) {
				b.problemText(mamori.Loc{File: e.Name, Array: e.Name, Row: 1, Column: f.Column, Value: keyPart(v)},
					fmt.Sprintf("%sは変更できません(別の記録になります)", f.JA), fmt.Sprintf("%s cannot be changed (it would be another record)", f.EN))
			}
			obj[f.Column], _ = json.Marshal(keyVals[i])
		}
	}
	bundle, err := json.Marshal(map[string]any{"format": BundleFormat, "version": BundleVersion, e.Name: []any{obj}})
	if err != nil {
		return Saved{}, err
	}
	b.decodeFile(Input{Name: e.Name + ".json", Data: bundle})
	if err := mamori.Stopped(ctx); err != nil {
		return Saved{}, err
	}
	var rec mamori.Record
	if items := b.items[e.Name]; len(items) == 1 {
		rec = items[0].rec
	}
	var prev mamori.Record
	before := func(l *store.Loader) error {
		key := keyVals
		if create {
			key = make([]any, 0, len(keyVals))
			for i := range e.Fields {
				if e.Fields[i].Key {
					key = append(key, rec[i])
				}
			}
		}
		cur, err := l.Current(e, key)
		if err != nil {
			return err
		}
		switch {
		case create && cur != nil:
			return &mamori.Error{Kind: mamori.Conflict, Err: ErrExists,
				MessageJA: fmt.Sprintf("%s「%s」は既にあります。新規作成では上書きしません。既存の記録を開いて編集してください", e.JA, mamori.Excerpt(keyText(e, cur))),
				Message:   fmt.Sprintf("the %s record %q exists already: creating does not overwrite it; open the record and edit it", strings.ToLower(e.EN), mamori.Excerpt(keyText(e, cur)))}
		case !create && cur == nil:
			return &mamori.Error{Kind: mamori.Conflict, Err: ErrStale,
				MessageJA: fmt.Sprintf("%s「%s」は、読み込んだ後に削除されました。保存していません", e.JA, mamori.Excerpt(strings.Join(ed.Key, " / "))),
				Message:   fmt.Sprintf("the %s record %q was deleted after you read it; nothing was saved", strings.ToLower(e.EN), mamori.Excerpt(strings.Join(ed.Key, " / ")))}
		case !create && Version(e, cur) != ed.Version:
			return &mamori.Error{Kind: mamori.Conflict, Err: ErrStale,
				MessageJA: fmt.Sprintf("%s「%s」は、読み込んだ後に他の人が変更しました。保存していません。読み込み直して、変更をやり直してください", e.JA, mamori.Excerpt(keyText(e, cur))),
				Message:   fmt.Sprintf("the %s record %q was changed by someone else after you read it; nothing was saved: reload it and make your change again", strings.ToLower(e.EN), mamori.Excerpt(keyText(e, cur)))}
		}
		prev = cur
		return nil
	}
	if rec == nil && len(b.problems) == 0 {
		// Every decoded record is kept or its problem recorded; guard anyway.
		b.problemText(mamori.Loc{File: e.Name, Array: e.Name, Row: 1}, "記録を読めません", "the record cannot be read")
	}
	res, err := b.load(ctx, st, opts.Options, before)
	key := ed.Key
	if rec != nil {
		key = KeyParts(e, rec)
	}
	if opts.Options.Allow == nil {
		// Over the whole government the scope check asks nothing: the
		// entry is filed under the organizations the record belongs to,
		// as stored and as given, so only their auditors see it; under
		// every organization only for shared data, which is everyone's.
		old := prev // as it was before this save wrote it
		if old == nil && keyVals != nil {
			var ferr error
			if old, ferr = st.GetByKey(ctx, e, keyVals); ferr != nil {
				return Saved{}, ferr
			}
		}
		if ferr := touched.owners(ctx, st, e, rec, old); ferr != nil {
			return Saved{}, ferr
		}
	}
	op := "update"
	if create {
		op = "create"
	}
	target := "register/" + e.Name + "/" + strings.Join(key, "/")
	if err != nil {
		if stop := mamori.Stopped(ctx); stop != nil {
			err = stop
		}
		if ctx.Err() == nil {
			detail := audit.Reasons(err)
			detail["entity"], detail["op"], detail["via"] = e.Name, op, opts.Via
			if !create {
				detail["version"] = ed.Version
			}
			if _, rerr := audit.RecordAll(ctx, st, opts.Actor, WriteRefused, []audit.Event{touched.event(target, opts.Home, detail)}); rerr != nil {
				return Saved{}, rerr
			}
		}
		return Saved{Warnings: res.Warnings}, err
	}
	out := Saved{Key: key, Version: Version(e, rec), Record: rec, Created: prev == nil, Warnings: res.Warnings}
	for i, f := range e.Fields {
		if prev == nil {
			if rec[i] != nil {
				out.Changed = append(out.Changed, f.Column)
			}
		} else if keyPart(prev[i]) != keyPart(rec[i]) || (prev[i] == nil) != (rec[i] == nil) {
			out.Changed = append(out.Changed, f.Column)
		}
	}
	detail := map[string]any{"entity": e.Name, "op": op, "via": opts.Via, "version": out.Version, "changed": out.Changed}
	if prev != nil {
		detail["from"] = ed.Version
	}
	if _, err := audit.RecordAll(ctx, st, opts.Actor, audit.Write, []audit.Event{touched.event(target, opts.Home, detail)}); err != nil {
		return out, err
	}
	return out, nil
}

// touchedSet collects the organizations a save asked the scope about and
// was allowed: the ones its audit entry is filed under (see the web
// import's orgSet, which files an import the same way).
type touchedSet struct {
	mu    sync.Mutex
	asked map[string]bool
}

func (t *touchedSet) add(org string) {
	t.mu.Lock()
	t.asked[org] = true
	t.mu.Unlock()
}

// owners adds the organizations a record belongs to, as given (rec, when
// it could be read) and as it was stored (old, for a change); shared data
// belongs to every organization.
func (t *touchedSet) owners(ctx context.Context, st *store.Store, e *mamori.Entity, rec, old mamori.Record) error {
	for _, r := range []mamori.Record{rec, old} {
		if r == nil {
			continue
		}
		orgs, err := Owners(ctx, st, e, r)
		if err != nil {
			return err
		}
		if len(orgs) == 0 {
			orgs = []string{audit.EveryOrg}
		}
		for _, o := range orgs {
			t.add(o)
		}
	}
	return nil
}

// event files an entry under the organizations touched, else under home.
func (t *touchedSet) event(target string, home []string, detail any) audit.Event {
	t.mu.Lock()
	orgs := slices.Sorted(maps.Keys(t.asked))
	t.mu.Unlock()
	if len(orgs) == 0 {
		orgs = slices.Clone(home)
	}
	ev := audit.Event{Target: target, Orgs: orgs, Detail: detail}
	if len(orgs) == 1 && orgs[0] != audit.EveryOrg {
		ev.Org = orgs[0]
	}
	return ev
}
