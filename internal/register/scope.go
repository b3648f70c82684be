package register

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"mamori"
	"mamori/internal/store"
)

// Options restrict an import.
type Options struct {
	// Allow reports whether the importing user may write the data of an
	// organization. With Allow set, every record must belong to allowed
	// organizations: through its organization code, or through the record
	// it hangs from (a component through its system, a contract amount
	// through its contract). Records that belong to no organization (the
	// cloud service catalogue, the clause list and other shared
	// vocabularies) are refused, since they are everyone's. Every
	// reference, optional ones included (a system's security officer or
	// project, a component's standard image), must lead to a record of
	// allowed organizations or to such shared data; one that leads to
	// another organization's record gets the problem of a code that does
	// not exist. nil allows everything: an administrator over the whole
	// government.
	Allow func(org string) bool
	// AllowOrganizations, when set, narrows what Allow permits for the
	// organizations sheet itself: creating, changing or moving an
	// organization needs it for the organization (and its new parent). The
	// organization tree decides every administrator's scope, so a system
	// officer who may load systems must not reshape it. nil: Allow decides.
	AllowOrganizations func(org string) bool
	// Limits bounds what the import reads and how long it may take; zero
	// fields are mamori.DefaultLimits.
	Limits mamori.Limits
}

// ownerFields lists, per entity, the fields through which its records
// belong to an organization: the organization code where the entity has
// one, else the references (keys and required ones) to records that belong
// to one. Entities absent from the map (and organizations itself, which
// scope.go treats apart) belong to no organization.
var ownerFields = func() map[string][]int {
	out := map[string][]int{}
	owned := func(name string) bool { return name == "organizations" || out[name] != nil }
	// Entities are in load order: a referenced entity comes first.
	for _, e := range mamori.Entities {
		if e.Name == "organizations" {
			continue
		}
		if fi := e.FieldIndex("org_code"); fi >= 0 {
			out[e.Name] = []int{fi}
			continue
		}
		for fi := range e.Fields {
			f := &e.Fields[fi]
			if f.Ref != "" && f.Ref != e.Name && (f.Key || f.Required) && owned(f.Ref) {
				out[e.Name] = append(out[e.Name], fi)
			}
		}
	}
	return out
}()

// owner is one organization a record belongs to, and how it was found.
type owner struct {
	org   string
	field int    // the record's field that leads to it
	value string // that field's value, as given
	// stored: the way to the organization went through a stored record,
	// so its code was not in the input and must not be shown.
	stored bool
}

// scope checks that every decoded record belongs to organizations the
// importer may write, and (through visible, for checkRefs) that every
// reference leads to a record the importer may see. check runs after
// checkRefs, so a reference that leads nowhere has been reported already
// and is skipped here.
type scope struct {
	b     *batch
	allow func(string) bool
	// allowOrgs decides the organizations sheet (Options.AllowOrganizations,
	// else allow).
	allowOrgs func(string) bool
	input     map[string]map[string]*item         // single-key entities: by code
	stored    map[string]map[string]mamori.Record // looked up in the store: by code
	newOrg    map[string]bool                     // organizations of the input not yet stored, once approved
}

// storeChunk bounds the codes looked up in one query.
const storeChunk = 500

// newScope reads what the scope check needs from the store. Its visible
// serves checkRefs; check then checks every record.
func (b *batch) newScope(ctx context.Context, st *store.Store, allow, allowOrgs func(string) bool) (*scope, error) {
	if narrow := allowOrgs; narrow == nil {
		allowOrgs = allow
	} else {
		allowOrgs = func(o string) bool { return allow(o) && narrow(o) }
	}
	s := &scope{b: b, allow: allow, allowOrgs: allowOrgs, input: map[string]map[string]*item{}, stored: map[string]map[string]mamori.Record{},
		newOrg: map[string]bool{}}
	for _, e := range mamori.Entities {
		if len(e.KeyFields()) != 1 {
			continue
		}
		ki := e.FieldIndex(e.KeyFields()[0].Column)
		m := map[string]*item{}
		for i := range b.items[e.Name] {
			it := &b.items[e.Name][i]
			if c, ok := it.rec[ki].(string); ok {
				m[c] = it
			}
		}
		s.input[e.Name] = m
	}
	if err := s.fetch(ctx, st); err != nil {
		return nil, err
	}
	s.approveNewOrgs()
	return s, nil
}

// check checks that every record of the input belongs to organizations
// the importer may write. It runs after checkRefs.
func (s *scope) check() {
	for _, e := range mamori.Entities {
		for i := range s.b.items[e.Name] {
			it := &s.b.items[e.Name][i]
			if e.Name == "organizations" {
				s.checkOrg(e, it)
			} else {
				s.checkRecord(e, it)
			}
		}
	}
}

// visible reports whether the importer may refer to a stored record: every
// organization it belongs to is in the importer's scope, or it belongs to
// none (shared data: the cloud service catalogue, the clause list, a
// standard image without an organization). A record of another ministry is
// not visible, whichever field refers to it: a key, a required or an
// optional reference (a security officer, a project, a standard image, a
// system). Organizations are always visible here: the tree is public and
// checkOrg and refuse decide what may be written under them. Records not
// stored (in the input, or nowhere) are left to the other checks.
func (s *scope) visible(entity, code string) bool {
	r := s.stored[entity][code]
	if entity == "organizations" || r == nil {
		return true
	}
	owners, ok := s.owners(mamori.EntityByName(entity), r, true)
	if !ok {
		return false
	}
	for _, o := range owners {
		if !s.allowed(o.org) {
			return false
		}
	}
	return true
}

// fetch reads from the store the records the check needs: those the input
// refers to (through any reference), and the stored versions of the
// input's single-key records (an upsert must not take over another's
// record), following owner references level by level. Each level queries
// the owners' entities whether or not the level before found anything, so
// a reference to another ministry's record costs the same queries as one
// to no record.
func (s *scope) fetch(ctx context.Context, st *store.Store) error {
	want := map[string]map[string]bool{}
	need := func(entity, code string) {
		if code == "" || s.stored[entity] != nil && s.stored[entity][code] != nil {
			return
		}
		if want[entity] == nil {
			want[entity] = map[string]bool{}
		}
		want[entity][code] = true
	}
	orgs := mamori.EntityByName("organizations")
	pi := orgs.FieldIndex("parent_code")
	for _, it := range s.b.items[orgs.Name] {
		if p, ok := it.rec[pi].(string); ok && s.input[orgs.Name][p] == nil {
			need(orgs.Name, p) // whether a parent is stored, for checkOrg
		}
	}
	for _, e := range mamori.Entities {
		for code := range s.input[e.Name] {
			need(e.Name, code)
		}
		for _, it := range s.b.items[e.Name] {
			for fi := range e.Fields {
				f := &e.Fields[fi]
				if f.Ref == "" || e.Name == "organizations" {
					continue // an organization's parent is read above
				}
				if c, ok := it.rec[fi].(string); ok && s.input[f.Ref][c] == nil {
					need(f.Ref, c)
				}
			}
		}
	}
	seen := map[string]map[string]bool{}
	for len(want) > 0 {
		next := want
		want = map[string]map[string]bool{}
		for _, name := range slices.Sorted(maps.Keys(next)) {
			e := mamori.EntityByName(name)
			if seen[name] == nil {
				seen[name] = map[string]bool{}
			}
			var codes []string
			for c := range next[name] {
				if !seen[name][c] {
					seen[name][c] = true
					codes = append(codes, c)
				}
			}
			slices.Sort(codes)
			key := e.KeyFields()[0].Column
			ki := e.FieldIndex(key)
			if s.stored[name] == nil {
				s.stored[name] = map[string]mamori.Record{}
			}
			for _, fi := range ownerFields[name] {
				// The next level reads the owners' entities even when
				// nothing is found at this one.
				if ref := e.Fields[fi].Ref; want[ref] == nil {
					want[ref] = map[string]bool{}
				}
			}
			for start := 0; start == 0 || start < len(codes); start += storeChunk {
				part := codes[start:min(start+storeChunk, len(codes))]
				if len(part) == 0 {
					part = []string{""} // no code is empty: the same query, finding nothing
				}
				recs, _, err := st.Find(ctx, e, store.Filter{In: map[string][]string{key: part}})
				if err != nil {
					return err
				}
				for _, r := range recs {
					c, _ := r[ki].(string)
					s.stored[name][c] = r
					for _, fi := range ownerFields[name] {
						f := &e.Fields[fi]
						if rc, ok := r[fi].(string); ok && s.input[f.Ref][rc] == nil && !seen[f.Ref][rc] {
							need(f.Ref, rc)
						}
					}
				}
			}
		}
	}
	return nil
}

// allowed reports whether the importer may write the organization's data:
// it is in their scope, or it is a new organization of the input under one
// that is.
func (s *scope) allowed(org string) bool { return s.allow(org) || s.newOrg[org] }

// approveNewOrgs finds the input's new organizations whose parent the
// importer may write, parents given in the same input included.
func (s *scope) approveNewOrgs() {
	e := mamori.EntityByName("organizations")
	pi := e.FieldIndex("parent_code")
	for changed := true; changed; {
		changed = false
		for code, it := range s.input["organizations"] {
			if s.newOrg[code] || s.stored["organizations"][code] != nil {
				continue
			}
			if p, ok := it.rec[pi].(string); ok && p != "" && (s.allowOrgs(p) || s.newOrg[p]) {
				s.newOrg[code] = true
				changed = true
			}
		}
	}
}

// checkOrg: an organization of the input must be in scope when it is
// stored already (and a new parent as well), or have its parent in scope
// when it is new.
func (s *scope) checkOrg(e *mamori.Entity, it *item) {
	ki, pi := e.FieldIndex("code"), e.FieldIndex("parent_code")
	code, _ := it.rec[ki].(string)
	parent, _ := it.rec[pi].(string)
	old := s.stored["organizations"][code]
	if old == nil {
		if s.newOrg[code] {
			return
		}
		if parent == "" {
			s.refuse(it, e, ki, code)
		} else if s.exists("organizations", parent) {
			s.refuse(it, e, pi, parent)
		}
		return
	}
	if !s.allowOrgs(code) {
		s.refuse(it, e, ki, code)
		return
	}
	if it.update != nil && !it.update[pi] {
		return // the input leaves the parent as it is
	}
	if oldParent, _ := old[pi].(string); parent != oldParent {
		// Only an organization strictly inside the scope may move: the
		// top of the scope is placed by whoever holds its parent, or an
		// administrator could lift their ministry out of the government's
		// tree, or under its own bureau (issue 12, item 1).
		if !s.allowOrgs(oldParent) {
			s.topOfScope(it, e, pi, code)
			return
		}
		// Moving an organization means writing into its new parent.
		if parent == "" {
			s.refuse(it, e, ki, code)
		} else if !s.allowOrgs(parent) && !s.newOrg[parent] && s.exists("organizations", parent) {
			s.refuse(it, e, pi, parent)
		}
	}
}

// checkRecord checks a record of any other entity: each organization it
// belongs to, now and as stored, must be allowed.
func (s *scope) checkRecord(e *mamori.Entity, it *item) {
	if s.b.badRef[it] {
		return // an owner reference leads nowhere the importer may see, reported by checkRefs
	}
	fields := ownerFields[e.Name]
	if len(fields) == 0 {
		s.unowned(it, e)
		return
	}
	// A record hanging from shared data (the software of a standard image
	// without an organization) changes what every ministry using it is
	// matched on, whatever organization the input gives that record.
	for _, fi := range fields {
		f := &e.Fields[fi]
		if c, ok := it.rec[fi].(string); ok && f.Ref != "organizations" && s.shared(f.Ref, c) {
			s.sharedRecord(it, e, fi, c)
			return
		}
	}
	owners, ok := s.owners(e, it.rec, false)
	if !ok {
		return // a dangling reference, reported by checkRefs
	}
	if len(owners) == 0 {
		s.unowned(it, e)
		return
	}
	for _, o := range owners {
		if s.allowed(o.org) {
			continue
		}
		if o.stored {
			s.hidden(it, e, o.field, o.value)
		} else {
			s.refuse(it, e, o.field, o.org)
		}
		return
	}
	// An upsert of a stored record must not take over another's record.
	if len(e.KeyFields()) != 1 {
		return // the owner fields are part of the key: same record, same owner
	}
	ki := e.FieldIndex(e.KeyFields()[0].Column)
	code, _ := it.rec[ki].(string)
	old := s.stored[e.Name][code]
	if old == nil {
		return
	}
	if s.shared(e.Name, code) {
		// Giving shared data an organization would take it from every
		// other ministry.
		s.sharedRecord(it, e, ki, code)
		return
	}
	before, _ := s.owners(e, old, true)
	for _, o := range before {
		if !s.allowed(o.org) {
			s.taken(it, e, ki, code)
			return
		}
	}
}

// owners resolves the organizations a record belongs to. ok is false when
// a reference leads to no record; a record with an empty optional
// organization code has none.
func (s *scope) owners(e *mamori.Entity, rec mamori.Record, stored bool) (out []owner, ok bool) {
	for _, fi := range ownerFields[e.Name] {
		f := &e.Fields[fi]
		c, isStr := rec[fi].(string)
		if !isStr || c == "" {
			continue
		}
		if f.Ref == "organizations" {
			if !s.exists("organizations", c) {
				return nil, false
			}
			out = append(out, owner{org: c, field: fi, value: c, stored: stored})
			continue
		}
		ref := mamori.EntityByName(f.Ref)
		next, fromStore := mamori.Record(nil), false
		if it := s.input[f.Ref][c]; it != nil {
			next = it.rec
		} else if r := s.stored[f.Ref][c]; r != nil {
			next, fromStore = r, true
		} else {
			return nil, false
		}
		up, ok := s.owners(ref, next, stored || fromStore)
		if !ok {
			return nil, false
		}
		for _, o := range up {
			out = append(out, owner{org: o.org, field: fi, value: c, stored: o.stored})
		}
	}
	return out, true
}

// shared reports whether a stored record of an entity that can belong to
// an organization belongs to none: shared data such as a standard image of
// the central catalogue, which every ministry may refer to and only an
// import over the whole government (Allow nil) may change, or hang records
// from.
func (s *scope) shared(entity, code string) bool {
	r := s.stored[entity][code]
	if r == nil || len(ownerFields[entity]) == 0 {
		return false
	}
	owners, ok := s.owners(mamori.EntityByName(entity), r, true)
	return ok && len(owners) == 0
}

// exists reports whether a record is in the input or the store.
func (s *scope) exists(entity, code string) bool {
	return s.input[entity][code] != nil || s.stored[entity][code] != nil
}

// column is the location of a field of an input record.
func (s *scope) column(it *item, e *mamori.Entity, fi int) mamori.Loc {
	loc := it.loc
	loc.Column = e.Fields[fi].Column
	if it.labels != nil && it.labels[fi] != "" {
		loc.Column = it.labels[fi]
	}
	if c, ok := it.rec[fi].(string); ok {
		loc.Value = c
	}
	return loc
}

// refuse reports a record written into an organization outside the scope,
// named by a code the input itself gave.
func (s *scope) refuse(it *item, e *mamori.Entity, fi int, org string) {
	s.b.problemText(s.column(it, e, fi), fmt.Sprintf("組織「%s」への取込み権限がありません", mamori.Excerpt(org)),
		fmt.Sprintf("you may not import into organization %q", mamori.Excerpt(org)))
}

// topOfScope reports a move of an organization at the top of the
// importer's scope: only an administrator over its parent may move it.
func (s *scope) topOfScope(it *item, e *mamori.Entity, fi int, org string) {
	s.b.problemText(s.column(it, e, fi), fmt.Sprintf("組織「%s」は取込み権限の範囲の最上位のため、上位組織を変更できません", org),
		fmt.Sprintf("organization %q is at the top of your scope: only an administrator over its parent may change its parent", org))
}

// hidden reports a reference to a stored record of an organization outside
// the scope exactly as a reference to no record: another organization's
// data is not shown to exist.
func (s *scope) hidden(it *item, e *mamori.Entity, fi int, code string) {
	f := &e.Fields[fi]
	ref := mamori.EntityByName(f.Ref)
	s.b.problemText(s.column(it, e, fi), fmt.Sprintf("%s「%s」に該当する%sがありません", f.JA, mamori.Excerpt(code), ref.JA),
		fmt.Sprintf("%s: no %s record with code %q", f.EN, strings.ToLower(ref.EN), mamori.Excerpt(code)))
}

// taken reports a record whose code is already used by a record of an
// organization outside the scope. The code is global, so its being in use
// cannot be hidden; whose it is can.
func (s *scope) taken(it *item, e *mamori.Entity, fi int, code string) {
	f := &e.Fields[fi]
	s.b.problemText(s.column(it, e, fi), fmt.Sprintf("%s「%s」は取込み権限のない組織で使われています", f.JA, mamori.Excerpt(code)),
		fmt.Sprintf("%s %q is in use by an organization you may not import into", f.EN, mamori.Excerpt(code)))
}

// sharedRecord reports a change to shared data (a stored record that
// belongs to no organization), or a record hanging from it. Shared data is
// visible to everyone, so saying so reveals nothing.
func (s *scope) sharedRecord(it *item, e *mamori.Entity, fi int, code string) {
	ref := e
	if f := &e.Fields[fi]; f.Ref != "" && f.Ref != e.Name {
		ref = mamori.EntityByName(f.Ref)
	}
	s.b.problemText(s.column(it, e, fi), fmt.Sprintf("%s「%s」はどの組織にも属さない共有のデータのため、全組織の管理者のみ変更できます", ref.JA, mamori.Excerpt(code)),
		fmt.Sprintf("the %s record %q is shared (it belongs to no organization): only an administrator over every organization may change it", strings.ToLower(ref.EN), mamori.Excerpt(code)))
}

// unowned reports a record that belongs to no organization, which only an
// administrator over every organization may import.
func (s *scope) unowned(it *item, e *mamori.Entity) {
	s.b.problemText(it.loc, fmt.Sprintf("%sはどの組織にも属さないため、全組織の管理者のみ取り込めます", e.JA),
		fmt.Sprintf("%s belong to no organization: only an administrator over every organization may import them", strings.ToLower(e.EN)))
}
