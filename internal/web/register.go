package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"mamori"
	"mamori/internal/authz"
	"mamori/internal/register"
	"mamori/internal/store"
)

// The register editor's pages (issue 14): every entity of the register,
// its records within the user's scope, and one record, which the roles
// that may import (importRoles) may also create and change through a form
// generated from the entity's fields. A save is package register's Save: a
// one-record import, with the import's validation and scope and its
// all-or-nothing write, and optimistic locking by the version the form
// carries. A record of another ministry answers exactly like a missing one.

func (s *server) registerRoutes(mux *http.ServeMux) {
	mux.Handle("GET /register", s.handle(s.registerIndex))
	mux.Handle("GET /register/{entity}", s.handle(s.registerList))
	mux.Handle("GET /register/new/{entity}", s.handle(s.registerNew))
	mux.Handle("POST /register/new/{entity}", s.handle(s.registerCreate))
	mux.Handle("GET /register/{entity}/{key...}", s.handle(s.registerRecord))
	mux.Handle("POST /register/{entity}/{key...}", s.handle(s.registerUpdate))
}

// registerPageSize is the number of records on one page of a list.
const registerPageSize = 50

// registerCountLimit bounds the count of each entity the index shows
// (more is shown as "10,000+"): counting a national register's millions of
// rows for every visit to the index would take a minute.
const registerCountLimit = 10000

// registerRefLimit bounds the codes a form offers for a reference.
const registerRefLimit = 200

// registerListURL is the list of an entity's records.
func registerListURL(e *mamori.Entity) string { return "/register/" + e.Name }

// registerNewURL is the form that creates a record of e.
func registerNewURL(e *mamori.Entity) string { return "/register/new/" + e.Name }

// registerRecordURL addresses a record by its key parts, one path segment
// each: escaped, with "~" for an empty part (a free-text key part left
// unknown) and a literal "~" escaped, so every key has one address.
func registerRecordURL(e *mamori.Entity, key []string) string {
	parts := make([]string, len(key))
	for i, k := range key {
		if k == "" {
			parts[i] = "~"
		} else {
			parts[i] = strings.ReplaceAll(url.PathEscape(k), "~", "%7E")
		}
	}
	return "/register/" + e.Name + "/" + strings.Join(parts, "/")
}

// registerKey reads the key parts of a record's path (see
// registerRecordURL) from the escaped path, where an escaped "/" inside a
// part is still one.
func registerKey(r *http.Request, e *mamori.Entity) ([]string, error) {
	rest, ok := strings.CutPrefix(r.URL.EscapedPath(), "/register/"+e.Name+"/")
	if !ok {
		return nil, noRecord(e, r.PathValue("key"))
	}
	parts := strings.Split(rest, "/")
	for i, p := range parts {
		if p == "~" {
			parts[i] = ""
			continue
		}
		u, err := url.PathUnescape(p)
		if err != nil {
			return nil, noRecord(e, r.PathValue("key"))
		}
		parts[i] = u
	}
	return parts, nil
}

// noRecord is the answer for a record that is missing or outside the
// user's scope: the same for both.
func noRecord(e *mamori.Entity, key string) error {
	k := clip(key, 60)
	return &mamori.Error{Kind: mamori.NotFound, MessageJA: fmt.Sprintf("%s「%s」は見つかりません", e.JA, k),
		Message: fmt.Sprintf("%s %q not found", strings.ToLower(e.EN), k)}
}

// registerEntity reads the entity of the path; an unknown one is 404.
func registerEntity(r *http.Request) (*mamori.Entity, error) {
	name := r.PathValue("entity")
	e := mamori.EntityByName(name)
	if e == nil {
		return nil, mamori.Errorf(mamori.NotFound, "台帳項目「%s」はありません", "no register entity %q", clip(name, 40))
	}
	return e, nil
}

// scopedFilter selects the records of e in the viewer's scope: those that
// belong to their organizations (see store.Owned), shared data, and of
// the organizations themselves their own, as every other page shows them.
func scopedFilter(r *http.Request, e *mamori.Entity) store.Filter {
	owned := ownedFilter(r)
	f := store.Filter{Owned: owned}
	if e.Name == "organizations" && owned != nil {
		f.In = map[string][]string{"code": owned.Orgs}
	}
	return f
}

// ownedFilter restricts a list to the viewer's scope; nil for a viewer who
// sees the whole government.
func ownedFilter(r *http.Request) *store.Owned {
	v := viewerOf(r.Context())
	if v == nil {
		return &store.Owned{Orgs: []string{}, Owners: register.OwnerFields}
	}
	if v.all {
		return nil
	}
	return &store.Owned{Orgs: v.scope.Orgs(), Owners: register.OwnerFields}
}

// registerWriter is what the signed-in user may write: their import scope
// (nil allow: the whole government) and, for organizations, their
// administration scope. ok is false for a user without an import role.
type registerWriter struct {
	ok        bool
	allow     func(string) bool
	allowOrgs func(string) bool
	home      []string
	whole     bool
	adminOrgs int // how many organizations they may reshape the tree in
}

func (s *server) writerOf(r *http.Request) (registerWriter, error) {
	v := viewerOf(r.Context())
	if v == nil || !holds(v.user, importRoles) {
		return registerWriter{}, nil
	}
	sc, err := authz.OfRoles(r.Context(), s.store, v.user, importRoles...)
	if err != nil {
		return registerWriter{}, err
	}
	w := registerWriter{ok: true, whole: sc.Whole()}
	for _, g := range v.user.Grants {
		if slices.Contains(importRoles, g.Role) {
			w.home = append(w.home, g.OrgCode)
		}
	}
	if !w.whole {
		w.allow = sc.Allows
		admin, err := authz.OfRoles(r.Context(), s.store, v.user, adminRoles...)
		if err != nil {
			return registerWriter{}, err
		}
		w.allowOrgs = admin.Allows
		w.adminOrgs = admin.Len()
	}
	return w, nil
}

// mayWrite reports whether w may change a record that belongs to owners
// (shared data when none: only the whole government's).
func (w registerWriter) mayWrite(e *mamori.Entity, owners []string) bool {
	if !w.ok {
		return false
	}
	if w.whole {
		return true
	}
	if len(owners) == 0 {
		return false
	}
	for _, o := range owners {
		if !w.allow(o) || e.Name == "organizations" && !w.allowOrgs(o) {
			return false
		}
	}
	return true
}

// mayCreate reports whether w may create records of e anywhere: shared
// entities only over the whole government, organizations only where w
// administers.
func (w registerWriter) mayCreate(e *mamori.Entity) bool {
	if e.Name == "organizations" {
		return w.ok && (w.whole || w.adminOrgs > 0)
	}
	return w.ok && (w.whole || len(register.OwnerFields(e)) > 0)
}

// mayViewOwners reports whether the viewer may see a record that belongs
// to owners: all in their scope, or shared data.
func mayViewOwners(r *http.Request, owners []string) bool {
	v := viewerOf(r.Context())
	if v == nil {
		return false
	}
	if v.all {
		return true
	}
	for _, o := range owners {
		if !v.scope.Allows(o) {
			return false
		}
	}
	return true
}

type registerIndexView struct {
	Rows []registerEntityRow
}

type registerEntityRow struct {
	Name, JA, EN string
	Count        int
	More         bool // there are more than Count
	URL, NewURL  string
}

func (s *server) registerIndex(w http.ResponseWriter, r *http.Request) error {
	wr, err := s.writerOf(r)
	if err != nil {
		return err
	}
	var v registerIndexView
	for _, e := range mamori.Entities {
		n, more, err := s.store.CountUpTo(r.Context(), e, scopedFilter(r, e), registerCountLimit)
		if err != nil {
			return err
		}
		row := registerEntityRow{Name: e.Name, JA: e.JA, EN: e.EN, Count: n, More: more, URL: registerListURL(e)}
		if wr.mayCreate(e) {
			row.NewURL = registerNewURL(e)
		}
		v.Rows = append(v.Rows, row)
	}
	return s.render(w, r, http.StatusOK, "register.html", s.loc(r).MustT("register.title"), "register", v)
}

type registerListView struct {
	Entity       string
	JA, EN       string
	Q            string
	Columns      []registerColumn
	Rows         []registerRow
	Total        int
	Page, Pages  int
	Prev, Next   string
	NewURL       string
	IndexURL     string
	SearchByName bool
}

type registerColumn struct{ JA, EN string }

type registerRow struct {
	URL   string
	Cells []string
}

// listColumns are the fields a list shows: the key, then a name or title,
// the organization, and the first required fields, six at most.
func listColumns(e *mamori.Entity) []int {
	var out []int
	for i, f := range e.Fields {
		if f.Key {
			out = append(out, i)
		}
	}
	for _, col := range []string{"name", "title", "org_code"} {
		if i := e.FieldIndex(col); i >= 0 && !slices.Contains(out, i) {
			out = append(out, i)
		}
	}
	for i, f := range e.Fields {
		if len(out) >= 6 {
			break
		}
		if f.Required && !slices.Contains(out, i) {
			out = append(out, i)
		}
	}
	slices.Sort(out)
	return out
}

func (s *server) registerList(w http.ResponseWriter, r *http.Request) error {
	e, err := registerEntity(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	search, err := textParam(q, "q")
	if err != nil {
		return err
	}
	page, err := parsePage(q.Get("page"))
	if err != nil {
		return err
	}
	f := scopedFilter(r, e)
	f.Limit, f.Offset = registerPageSize, (page-1)*registerPageSize
	byName := e.Field("name") != nil || e.Field("title") != nil
	if search != "" {
		if byName {
			f.Search = search
		} else {
			f.Where = map[string]string{e.KeyFields()[0].Column: search}
		}
	}
	recs, total, err := s.store.Find(r.Context(), e, f)
	if err != nil {
		return err
	}
	wr, err := s.writerOf(r)
	if err != nil {
		return err
	}
	l := s.loc(r)
	v := registerListView{Entity: e.Name, JA: e.JA, EN: e.EN, Q: search, Total: total, Page: page,
		Pages: max(1, (total+registerPageSize-1)/registerPageSize), IndexURL: "/register", SearchByName: byName}
	if wr.mayCreate(e) {
		v.NewURL = registerNewURL(e)
	}
	cols := listColumns(e)
	for _, i := range cols {
		v.Columns = append(v.Columns, registerColumn{JA: e.Fields[i].JA, EN: e.Fields[i].EN})
	}
	for _, rec := range recs {
		row := registerRow{URL: registerRecordURL(e, register.KeyParts(e, rec))}
		for _, i := range cols {
			row.Cells = append(row.Cells, displayValue(l.Pick, l.YesNo, &e.Fields[i], rec[i]))
		}
		v.Rows = append(v.Rows, row)
	}
	pageURL := func(p int) string {
		u := url.Values{}
		if search != "" {
			u.Set("q", search)
		}
		if p > 1 {
			u.Set("page", strconv.Itoa(p))
		}
		if len(u) == 0 {
			return registerListURL(e)
		}
		return registerListURL(e) + "?" + u.Encode()
	}
	if page > 1 {
		v.Prev = pageURL(page - 1)
	}
	if page < v.Pages {
		v.Next = pageURL(page + 1)
	}
	return s.render(w, r, http.StatusOK, "register_list.html", l.Pick(e.JA, e.EN), "register", v)
}

// displayValue renders a stored value for a person.
func displayValue(pick func(ja, en string) string, yesNo func(bool) string, f *mamori.Field, v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case bool:
		return yesNo(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case string:
		if f.Type == mamori.Enum {
			if ev, ok := f.EnumByCode(x); ok {
				return pick(ev.JA, ev.EN)
			}
		}
		return x
	}
	return fmt.Sprint(v)
}

// inputValue renders a stored value as a form input holds it, which Save
// reads back to the same value.
func inputValue(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case bool:
		return strconv.FormatBool(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case string:
		return x
	}
	return fmt.Sprint(v)
}

type registerRecordView struct {
	Entity, JA, EN string
	ListURL        string
	Title          string // the record's key, for a person
	Create         bool
	Editable       bool
	Action         string
	Version        string
	Fields         []registerField
	// A refusal: why (both languages), and the problems not tied to a field.
	Message, MessageEN string
	Problems           []string
	Stale              bool
	ReloadURL          string
	Saved              bool
}

type registerField struct {
	Column, JA, EN string
	Input          string // text, textarea, date, select, number
	Value          string // what the input holds
	Display        string // the value for a person (read-only pages)
	URL            string // a reference's record
	Options        []registerOption
	Required       bool
	Key            bool // a key part of a stored record: shown, not edited
	Error          string
	List           []string // codes offered for a reference
}

type registerOption struct {
	Value, Label string
	Selected     bool
}

// fieldsOf lays out e's fields for the record page: values from rec (a
// stored record) or from typed (the form as posted), errors by column.
func (s *server) fieldsOf(r *http.Request, e *mamori.Entity, rec mamori.Record, typed url.Values, errs map[string]string, create, editable bool) ([]registerField, error) {
	l := s.loc(r)
	var out []registerField
	for i := range e.Fields {
		f := &e.Fields[i]
		rf := registerField{Column: f.Column, JA: f.JA, EN: f.EN, Required: f.Mandatory(), Key: f.Key && !create, Error: errs[f.Column]}
		if typed != nil {
			rf.Value = typed.Get(f.Column)
		} else if rec != nil {
			rf.Value = inputValue(rec[i])
		}
		if rec != nil {
			rf.Display = displayValue(l.Pick, l.YesNo, f, rec[i])
			if c, ok := rec[i].(string); ok && c != "" && f.Ref != "" {
				rf.URL = registerRecordURL(mamori.EntityByName(f.Ref), []string{c})
			}
		}
		switch f.Type {
		case mamori.Enum:
			rf.Input = "select"
			rf.Options = append(rf.Options, registerOption{Value: "", Label: l.MustT("register.form.none")})
			for _, ev := range f.Enum {
				rf.Options = append(rf.Options, registerOption{Value: ev.Code, Label: l.Pick(ev.JA, ev.EN), Selected: ev.Code == rf.Value})
			}
		case mamori.Bool:
			// Three states: no answer is not "no" (absence of evidence is
			// not compliance).
			rf.Input = "select"
			rf.Options = []registerOption{{Value: "", Label: l.MustT("register.form.none")},
				{Value: "true", Label: l.YesNo(true), Selected: rf.Value == "true"},
				{Value: "false", Label: l.YesNo(false), Selected: rf.Value == "false"}}
		case mamori.Date:
			rf.Input = "date"
		case mamori.Integer, mamori.Money, mamori.FiscalYear:
			rf.Input = "number"
		case mamori.Text:
			rf.Input = "text"
			if rf.Value != "" && (len(rf.Value) > 80 || strings.Contains(rf.Value, "\n")) {
				rf.Input = "textarea"
			}
		default:
			rf.Input = "text"
		}
		if f.Ref == "organizations" && editable && !rf.Key {
			// The organizations the user sees, rather than the first of
			// the whole (public) tree.
			if v := viewerOf(r.Context()); v != nil && !v.all {
				rf.List = v.scope.Orgs()[:min(v.scope.Len(), registerRefLimit)]
				out = append(out, rf)
				continue
			}
		}
		if f.Ref != "" && editable && !rf.Key {
			ref := mamori.EntityByName(f.Ref)
			sf := scopedFilter(r, ref)
			sf.Limit = registerRefLimit
			recs, _, err := s.store.Find(r.Context(), ref, sf)
			if err != nil {
				return nil, err
			}
			for _, rr := range recs {
				rf.List = append(rf.List, strings.Join(register.KeyParts(ref, rr), "/"))
			}
		}
		out = append(out, rf)
	}
	return out, nil
}

// registerRecord shows one record: a form to its writers, its values to
// everyone else who may see it.
func (s *server) registerRecord(w http.ResponseWriter, r *http.Request) error {
	e, rec, wr, err := s.visibleRecord(r)
	if err != nil {
		return err
	}
	v, err := s.recordView(r, e, rec, wr, nil, nil)
	if err != nil {
		return err
	}
	v.Saved = r.URL.Query().Get("done") == "saved"
	return s.renderRecord(w, r, http.StatusOK, v)
}

// visibleRecord reads the record of the path, if the viewer may see it,
// with what they may write.
func (s *server) visibleRecord(r *http.Request) (*mamori.Entity, mamori.Record, registerWriter, error) {
	e, err := registerEntity(r)
	if err != nil {
		return nil, nil, registerWriter{}, err
	}
	parts, err := registerKey(r, e)
	if err != nil {
		return nil, nil, registerWriter{}, err
	}
	missing := noRecord(e, strings.Join(parts, " / "))
	key, err := register.ParseKey(e, parts)
	if err != nil {
		return nil, nil, registerWriter{}, missing
	}
	rec, err := s.store.GetByKey(r.Context(), e, key)
	if err != nil {
		return nil, nil, registerWriter{}, err
	}
	if rec == nil {
		return nil, nil, registerWriter{}, missing
	}
	owners, err := register.Owners(r.Context(), s.store, e, rec)
	if err != nil {
		return nil, nil, registerWriter{}, err
	}
	if !mayViewOwners(r, owners) {
		return nil, nil, registerWriter{}, missing
	}
	wr, err := s.writerOf(r)
	if err != nil {
		return nil, nil, registerWriter{}, err
	}
	if !wr.mayWrite(e, owners) {
		wr.ok = false
	}
	return e, rec, wr, nil
}

func (s *server) recordView(r *http.Request, e *mamori.Entity, rec mamori.Record, wr registerWriter, typed url.Values, errs map[string]string) (registerRecordView, error) {
	key := register.KeyParts(e, rec)
	v := registerRecordView{Entity: e.Name, JA: e.JA, EN: e.EN, ListURL: registerListURL(e), Title: strings.Join(key, " / "),
		Editable: wr.ok, Action: registerRecordURL(e, key), Version: register.Version(e, rec), ReloadURL: registerRecordURL(e, key)}
	var err error
	if typed == nil {
		v.Fields, err = s.fieldsOf(r, e, rec, typed, errs, false, wr.ok)
	}
	return v, err
}

func (s *server) renderRecord(w http.ResponseWriter, r *http.Request, status int, v registerRecordView) error {
	title := v.Title
	if v.Create {
		title = s.loc(r).MustT("register.new.title", "Entity", s.loc(r).Pick(v.JA, v.EN))
	}
	return s.render(w, r, status, "register_record.html", title, "register", v)
}

// registerNew is the form that creates a record.
func (s *server) registerNew(w http.ResponseWriter, r *http.Request) error {
	e, wr, err := s.creator(r)
	if err != nil {
		return err
	}
	v := registerRecordView{Entity: e.Name, JA: e.JA, EN: e.EN, ListURL: registerListURL(e), Create: true, Editable: wr.ok, Action: registerNewURL(e)}
	if v.Fields, err = s.fieldsOf(r, e, nil, nil, nil, true, true); err != nil {
		return err
	}
	return s.renderRecord(w, r, http.StatusOK, v)
}

// creator is the entity of a create and what the user may write, or
// Forbidden for a user who may create none of it.
func (s *server) creator(r *http.Request) (*mamori.Entity, registerWriter, error) {
	e, err := registerEntity(r)
	if err != nil {
		return nil, registerWriter{}, err
	}
	wr, err := s.writerOf(r)
	if err != nil {
		return nil, registerWriter{}, err
	}
	if !wr.mayCreate(e) {
		return nil, registerWriter{}, mamori.Errorf(mamori.Forbidden, "この台帳項目を作成する役割が付与されていません", "your roles do not allow creating these records")
	}
	return e, wr, nil
}

// postedValues reads the form's fields as Save takes them: each input's
// text, read as a cell of a workbook would be.
func postedValues(w http.ResponseWriter, r *http.Request, e *mamori.Entity, lim mamori.Limits) (url.Values, map[string]json.RawMessage, error) {
	// A record's texts may each be as long as a workbook's cell, which
	// the import stores: limitBody leaves these forms alone, and they are
	// bounded here, by the entity's fields, once the user may write.
	limit := recordFormLimit(e, lim)
	r.Body = http.MaxBytesReader(w, r.Body, limit)
	if err := r.ParseForm(); err != nil {
		if _, over := errors.AsType[*http.MaxBytesError](err); over {
			return nil, nil, &mamori.Error{Kind: mamori.Invalid, Err: mamori.ErrLimit,
				MessageJA: fmt.Sprintf("フォームが大きすぎます（上限 %d バイト）。保存していません", limit),
				Message:   fmt.Sprintf("the form is too large (at most %d bytes); nothing was saved", limit)}
		}
		return nil, nil, mamori.Errorf(mamori.Invalid, "フォームを読めません(大きすぎるか壊れています)", "the form cannot be read (too large or malformed)")
	}
	typed := url.Values{}
	vals := map[string]json.RawMessage{}
	for _, f := range e.Fields {
		t := r.PostForm.Get(f.Column)
		typed.Set(f.Column, t)
		vals[f.Column], _ = json.Marshal(t)
	}
	return typed, vals, nil
}

// recordFormLimit bounds the editor's form of a record of e: per field a
// cell at its longest (CellChars characters of up to 4 bytes, each
// percent-encoded to 3) and its name, and a form's worth of the rest.
func recordFormLimit(e *mamori.Entity, lim mamori.Limits) int64 {
	return int64(len(e.Fields))*(int64(lim.OrDefault().CellChars)*4*3+256) + maxFormBody
}

// isRecordForm reports whether a request posts the register editor's form.
func isRecordForm(r *http.Request) bool {
	return r.Method == http.MethodPost && strings.HasPrefix(r.URL.Path, "/register/")
}

// registerCreate saves a new record.
func (s *server) registerCreate(w http.ResponseWriter, r *http.Request) error {
	e, wr, err := s.creator(r)
	if err != nil {
		return err
	}
	typed, vals, err := postedValues(w, r, e, s.limits)
	if err != nil && !errors.Is(err, mamori.ErrLimit) {
		return err
	}
	if typed == nil {
		typed = url.Values{} // too large: nothing typed is shown again
	}
	var sv register.Saved
	if err == nil {
		sv, err = register.Save(r.Context(), s.store, register.Edit{Entity: e, Values: vals}, s.editOptions(r, wr))
	}
	if err == nil {
		http.Redirect(w, r, registerRecordURL(e, sv.Key)+"?done=saved", http.StatusSeeOther)
		return nil
	}
	v := registerRecordView{Entity: e.Name, JA: e.JA, EN: e.EN, ListURL: registerListURL(e), Create: true, Editable: true, Action: registerNewURL(e)}
	status, errs, ferr := s.refusal(r, err, &v)
	if ferr != nil {
		return ferr
	}
	if v.Fields, err = s.fieldsOf(r, e, nil, typed, errs, true, true); err != nil {
		return err
	}
	return s.renderRecord(w, r, status, v)
}

// registerUpdate saves a changed record, if it is still as its editor read it.
func (s *server) registerUpdate(w http.ResponseWriter, r *http.Request) error {
	e, rec, wr, err := s.visibleRecord(r)
	if err != nil {
		return err
	}
	if !wr.ok {
		return mamori.Errorf(mamori.Forbidden, "この記録を変更する役割が付与されていません", "your roles do not allow changing this record")
	}
	typed, vals, err := postedValues(w, r, e, s.limits)
	if err != nil && !errors.Is(err, mamori.ErrLimit) {
		return err
	}
	if typed == nil {
		typed = url.Values{} // too large: nothing typed is shown again
	}
	key := register.KeyParts(e, rec)
	var sv register.Saved
	if err == nil {
		// The key is the address: its fields are not inputs of the form.
		for _, f := range e.KeyFields() {
			delete(vals, f.Column)
		}
		sv, err = register.Save(r.Context(), s.store, register.Edit{Entity: e, Key: key, Version: r.PostForm.Get("version"), Values: vals}, s.editOptions(r, wr))
	}
	if err == nil {
		http.Redirect(w, r, registerRecordURL(e, sv.Key)+"?done=saved", http.StatusSeeOther)
		return nil
	}
	v, verr := s.recordView(r, e, rec, wr, url.Values{}, nil)
	if verr != nil {
		return verr
	}
	// The form keeps what was typed, and the version it was typed
	// against: a stale form stays stale until its editor reloads.
	v.Version = r.PostForm.Get("version")
	status, errs, ferr := s.refusal(r, err, &v)
	if ferr != nil {
		return ferr
	}
	for i := range e.Fields {
		if e.Fields[i].Key {
			typed.Set(e.Fields[i].Column, inputValue(rec[i]))
		}
	}
	if v.Fields, err = s.fieldsOf(r, e, rec, typed, errs, false, true); err != nil {
		return err
	}
	return s.renderRecord(w, r, status, v)
}

func (s *server) editOptions(r *http.Request, wr registerWriter) register.EditOptions {
	return register.EditOptions{Options: register.Options{Allow: wr.allow, AllowOrganizations: wr.allowOrgs, Limits: s.limits},
		Actor: viewerOf(r.Context()).user.Name, Via: "web", Home: wr.home}
}

// refusal lays a refused save out on the form: problems by field, the
// rest above it. It returns the status to answer with, or err itself when
// it is no refusal (an internal error).
func (s *server) refusal(r *http.Request, err error, v *registerRecordView) (int, map[string]string, error) {
	l := s.loc(r)
	errs := map[string]string{}
	if ps, ok := errors.AsType[mamori.Problems](err); ok {
		status := http.StatusUnprocessableEntity
		for _, p := range ps {
			msg := l.Pick(p.MessageJA, p.Message)
			if errors.Is(p, mamori.ErrLimit) {
				status = http.StatusRequestEntityTooLarge
			}
			if c := p.Loc.Column; c != "" && v.fieldExists(c) {
				if errs[c] != "" {
					errs[c] += " "
				}
				errs[c] += msg
				continue
			}
			v.Problems = append(v.Problems, msg)
		}
		v.Message, v.MessageEN = l.MustT("register.refused"), ""
		return status, errs, nil
	}
	me, ok := errors.AsType[*mamori.Error](err)
	if !ok {
		return 0, nil, err
	}
	switch me.Kind {
	case mamori.Conflict, mamori.Invalid, mamori.Forbidden:
	default:
		if !errors.Is(err, mamori.ErrLimit) {
			return 0, nil, err
		}
	}
	v.Message, v.MessageEN = me.MessageJA, me.Message
	if langOf(r.Context()) == "en" {
		v.Message, v.MessageEN = me.Message, ""
	}
	v.Stale = errors.Is(err, register.ErrStale)
	status := statusOf(me.Kind)
	if errors.Is(err, mamori.ErrLimit) {
		status = http.StatusRequestEntityTooLarge
	}
	return status, errs, nil
}

func (v *registerRecordView) fieldExists(col string) bool {
	e := mamori.EntityByName(v.Entity)
	return e != nil && e.Field(col) != nil
}
