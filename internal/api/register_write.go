package api

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"mamori"
	"mamori/internal/auth"
	"mamori/internal/authz"
	"mamori/internal/register"
	"mamori/internal/store"
)

// The register through the API (issue 14): read any entity's records
// within the caller's scope, and, with a token of the write scope, create
// and change them through the same save as the browser's editor
// (register.Save: the import's validation and scope, all or nothing).
// A change names the version it was made against in If-Match (the
// record's ETag): without one it is refused (428), and against a version
// that is no longer current (someone changed the record since) it is
// refused (412), so two clients cannot overwrite each other unseen.

func (s *server) registerRoutes(mux *http.ServeMux) {
	mux.Handle("GET /api/v1/register/{entity}", s.authed(s.registerList))
	mux.Handle("GET /api/v1/register/{entity}/{key...}", s.authed(s.registerGet))
	mux.Handle("POST /api/v1/register/{entity}", s.writeAuthed(s.registerCreate))
	mux.Handle("PUT /api/v1/register/{entity}/{key...}", s.writeAuthed(s.registerPut))
}

// maxRecordBody bounds a record's JSON: a record's texts are far shorter.
const maxRecordBody = 1 << 20

// writeRoles may write the register (the web import's and editor's roles);
// adminRoles also reshape the organization tree.
var (
	writeRoles = []string{string(auth.SystemOfficer), string(auth.OrgSecurity), string(auth.CentralAdmin)}
	adminRoles = []string{string(auth.OrgSecurity), string(auth.CentralAdmin)}
)

// RegisterRecord is one record as the API shows it: its key parts, its
// version (also its ETag) and every field's value, null when empty.
type RegisterRecord struct {
	Entity  string         `json:"entity"`
	Key     []string       `json:"key"`
	Version string         `json:"version"`
	Values  map[string]any `json:"values"`
}

// RegisterList is one page of an entity's records.
type RegisterList struct {
	Entity  string           `json:"entity"`
	Total   int              `json:"total"`
	Page    int              `json:"page"`
	Records []RegisterRecord `json:"records"`
}

func recordOf(e *mamori.Entity, rec mamori.Record) RegisterRecord {
	out := RegisterRecord{Entity: e.Name, Key: register.KeyParts(e, rec), Version: register.Version(e, rec), Values: map[string]any{}}
	for i, f := range e.Fields {
		out.Values[f.Column] = rec[i]
	}
	return out
}

// apiEntity reads the entity of the path.
func apiEntity(r *http.Request) (*mamori.Entity, error) {
	name := r.PathValue("entity")
	e := mamori.EntityByName(name)
	if e == nil {
		return nil, mamori.Errorf(mamori.NotFound, "台帳項目「%s」はありません", "no register entity %q", clip(name))
	}
	return e, nil
}

// apiKey reads a record's key from the escaped path: its parts in key
// order, one segment each, percent-encoded, "~" for an empty part.
func apiKey(r *http.Request, e *mamori.Entity) ([]string, error) {
	rest, _ := strings.CutPrefix(r.URL.EscapedPath(), "/api/v1/register/"+e.Name+"/")
	if utf8.RuneCountInString(rest) > 4*maxParamLen {
		return nil, mamori.Errorf(mamori.Invalid, "キーが長すぎます", "the key is too long")
	}
	parts := strings.Split(rest, "/")
	for i, p := range parts {
		if p == "~" {
			parts[i] = ""
			continue
		}
		u, err := url.PathUnescape(p)
		if err != nil || !utf8.ValidString(u) {
			return nil, mamori.Errorf(mamori.Invalid, "キーを読めません", "the key cannot be read")
		}
		parts[i] = u
	}
	return parts, nil
}

// ownedBy restricts a list to a caller's scope; nil over the whole government.
func ownedBy(sc authz.Scope) *store.Owned {
	if sc.Whole() {
		return nil
	}
	return &store.Owned{Orgs: sc.Orgs(), Owners: register.OwnerFields}
}

func (s *server) registerList(w http.ResponseWriter, r *http.Request, c *caller) (any, error) {
	e, err := apiEntity(r)
	if err != nil {
		return nil, err
	}
	p, err := page(r)
	if err != nil {
		return nil, err
	}
	f := store.Filter{Owned: ownedBy(c.scope), Limit: pageSize, Offset: (p - 1) * pageSize}
	if e.Name == "organizations" && f.Owned != nil {
		// The caller's own organizations, as every other answer names them.
		f.In = map[string][]string{"code": f.Owned.Orgs}
	}
	if q := strings.TrimSpace(r.URL.Query().Get("q")); q != "" {
		if e.Field("name") != nil || e.Field("title") != nil {
			f.Search = q
		} else {
			f.Where = map[string]string{e.KeyFields()[0].Column: q}
		}
	}
	recs, total, err := s.st.Find(r.Context(), e, f)
	if err != nil {
		return nil, err
	}
	out := RegisterList{Entity: e.Name, Total: total, Page: p, Records: []RegisterRecord{}}
	for _, rec := range recs {
		out.Records = append(out.Records, recordOf(e, rec))
	}
	return out, nil
}

// visibleRecord reads the record of the path if the caller may see it: every
// organization it belongs to is in their scope (an organization belongs to
// itself), or it is shared data. Anything else is 404, like a missing key.
func (s *server) visibleRecord(r *http.Request, sc authz.Scope) (*mamori.Entity, mamori.Record, []string, error) {
	e, err := apiEntity(r)
	if err != nil {
		return nil, nil, nil, err
	}
	parts, err := apiKey(r, e)
	if err != nil {
		return nil, nil, nil, err
	}
	k := clip(strings.Join(parts, "/"))
	missing := &mamori.Error{Kind: mamori.NotFound, MessageJA: e.JA + "「" + k + "」はありません",
		Message: "no " + strings.ToLower(e.EN) + " record " + strconv.Quote(k)}
	key, err := register.ParseKey(e, parts)
	if err != nil {
		return nil, nil, nil, missing
	}
	rec, err := s.st.GetByKey(r.Context(), e, key)
	if err != nil {
		return nil, nil, nil, err
	}
	if rec == nil {
		return nil, nil, nil, missing
	}
	owners, err := register.Owners(r.Context(), s.st, e, rec)
	if err != nil {
		return nil, nil, nil, err
	}
	if !sc.Whole() {
		for _, o := range owners {
			if !sc.Allows(o) {
				return nil, nil, nil, missing
			}
		}
	}
	return e, rec, owners, nil
}

func (s *server) registerGet(w http.ResponseWriter, r *http.Request, c *caller) (any, error) {
	e, rec, _, err := s.visibleRecord(r, c.scope)
	if err != nil {
		return nil, err
	}
	out := recordOf(e, rec)
	w.Header().Set("ETag", strconv.Quote(out.Version))
	return out, nil
}

// writer is a caller with a write token: their user and scopes.
type writer struct {
	user  store.User
	read  authz.Scope // what they may see
	write authz.Scope // where they may write (writeRoles)
	admin authz.Scope // where they may reshape the tree (adminRoles)
	token string
}

type writeHandler func(w http.ResponseWriter, r *http.Request, c *writer) (int, any, error)

// writeAuthed checks the bearer token, which must carry the write scope
// (403 with a read-only one), resolves the caller's scopes and writes the
// handler's answer as JSON with its status. The save itself is audited by
// register.Save; a request refused before it is not a write.
func (s *server) writeAuthed(h writeHandler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u, secret, ok := s.bearer(w, r, auth.ScopeWrite)
		if !ok {
			return
		}
		c := &writer{user: u, token: auth.TokenID(secret)}
		var err error
		if c.read, err = authz.Of(r.Context(), s.st, u); err == nil {
			if c.write, err = authz.OfRoles(r.Context(), s.st, u, writeRoles...); err == nil {
				c.admin, err = authz.OfRoles(r.Context(), s.st, u, adminRoles...)
			}
		}
		if err != nil {
			s.fail(w, r, err)
			return
		}
		status, out, err := h(w, r, c)
		if err != nil {
			s.failWrite(w, r, err)
			return
		}
		w.Header().Set("Cache-Control", "no-store")
		writeJSON(w, status, out)
	})
}

// Problem is one reason a record was refused, placed at its field.
type Problem struct {
	Field     string `json:"field,omitempty"`
	Value     string `json:"value,omitempty"`
	Message   string `json:"message"`
	MessageJA string `json:"message_ja"`
}

// problemsBody is the answer to a refused record (422): the error, and
// every problem.
type problemsBody struct {
	errorBody
	Problems []Problem `json:"problems"`
}

// errNoPrecondition marks a change sent without If-Match (428); a stale
// one is register.ErrStale (412).
var errNoPrecondition = errors.New("api: no If-Match")

// failWrite answers a refused write: problems (422) with every one placed
// at its field, a stale version (412), a missing If-Match (428), else as
// fail does.
func (s *server) failWrite(w http.ResponseWriter, r *http.Request, err error) {
	if ps, ok := errors.AsType[mamori.Problems](err); ok {
		var body problemsBody
		body.Error.Code = "invalid"
		body.Error.Message = "the record was refused; nothing was written"
		body.Error.MessageJA = "記録に誤りがあるため、何も書き込んでいません"
		status := http.StatusUnprocessableEntity
		for _, p := range ps {
			if errors.Is(p, mamori.ErrLimit) {
				status = http.StatusRequestEntityTooLarge
			}
			body.Problems = append(body.Problems, Problem{Field: p.Loc.Column, Value: p.Loc.Value, Message: p.Message, MessageJA: p.MessageJA})
		}
		writeJSON(w, status, body)
		return
	}
	status := 0
	switch {
	case errors.Is(err, register.ErrStale):
		status = http.StatusPreconditionFailed
	case errors.Is(err, errNoPrecondition):
		status = http.StatusPreconditionRequired
	case errors.Is(err, mamori.ErrLimit):
		status = http.StatusRequestEntityTooLarge
	}
	if status == 0 {
		s.fail(w, r, err)
		return
	}
	var body errorBody
	me, _ := errors.AsType[*mamori.Error](err)
	body.Error.Code = strings.ReplaceAll(mamori.KindOf(err).String(), " ", "_")
	if me != nil {
		body.Error.Message, body.Error.MessageJA = me.Message, me.MessageJA
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(body)
}

// recordBody reads a request's record: a JSON object of values by column.
func recordBody(r *http.Request, w http.ResponseWriter) (map[string]json.RawMessage, error) {
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxRecordBody))
	if err != nil {
		return nil, &mamori.Error{Kind: mamori.Invalid, Err: mamori.ErrLimit, MessageJA: "記録が大きすぎます(1 MiB まで)", Message: "the record is larger than 1 MiB"}
	}
	var vals map[string]json.RawMessage
	if err := json.Unmarshal(data, &vals); err != nil || vals == nil {
		return nil, mamori.Errorf(mamori.Invalid, "本文は項目名をキーとするJSONオブジェクトでなければなりません", "the body must be a JSON object of values by field")
	}
	return vals, nil
}

func (c *writer) options(via string) register.EditOptions {
	opts := register.EditOptions{Actor: c.user.Name, Via: via}
	for _, g := range c.user.Grants {
		if slices.Contains(writeRoles, g.Role) {
			opts.Home = append(opts.Home, g.OrgCode)
		}
	}
	if !c.write.Whole() {
		opts.Allow = c.write.Allows
		opts.AllowOrganizations = c.admin.Allows
	}
	return opts
}

// mayCreate: a caller with a write role; shared data (entities that belong
// to no organization) only over the whole government; organizations only
// for those who administer some.
func (c *writer) mayCreate(e *mamori.Entity) bool {
	if e.Name == "organizations" {
		return c.write.Whole() || c.write.Len() > 0 && c.admin.Len() > 0
	}
	return c.write.Len() > 0 && (c.write.Whole() || len(register.OwnerFields(e)) > 0)
}

func noWriteRole() error {
	return mamori.Errorf(mamori.Forbidden, "台帳を変更する役割が付与されていません", "your roles do not allow changing the register")
}

func (s *server) registerCreate(w http.ResponseWriter, r *http.Request, c *writer) (int, any, error) {
	e, err := apiEntity(r)
	if err != nil {
		return 0, nil, err
	}
	if !c.mayCreate(e) {
		return 0, nil, noWriteRole()
	}
	vals, err := recordBody(r, w)
	if err != nil {
		return 0, nil, err
	}
	sv, err := register.Save(r.Context(), s.st, register.Edit{Entity: e, Values: vals}, c.options("api"))
	if err != nil {
		return 0, nil, err
	}
	out := recordOf(e, sv.Record)
	w.Header().Set("ETag", strconv.Quote(out.Version))
	w.Header().Set("Location", registerPath(e, out.Key))
	return http.StatusCreated, out, nil
}

// registerPath is a record's path in the API.
func registerPath(e *mamori.Entity, key []string) string {
	parts := make([]string, len(key))
	for i, k := range key {
		if k == "" {
			parts[i] = "~"
		} else {
			parts[i] = strings.ReplaceAll(url.PathEscape(k), "~", "%7E")
		}
	}
	return "/api/v1/register/" + e.Name + "/" + strings.Join(parts, "/")
}

func (s *server) registerPut(w http.ResponseWriter, r *http.Request, c *writer) (int, any, error) {
	e, rec, owners, err := s.visibleRecord(r, c.read)
	if err != nil {
		return 0, nil, err
	}
	if !c.mayWrite(e, owners) {
		return 0, nil, noWriteRole()
	}
	match := strings.TrimSpace(r.Header.Get("If-Match"))
	if match == "" {
		return 0, nil, &mamori.Error{Kind: mamori.Invalid, Err: errNoPrecondition,
			MessageJA: "If-Match に記録の版(ETag)を指定してください。読み込んだ版に対する変更だけを受け付けます",
			Message:   "give the record's version (its ETag) in If-Match: only a change to the version read is accepted"}
	}
	version, _ := strconv.Unquote(strings.TrimPrefix(match, "W/"))
	if version == "" {
		version = match
	}
	vals, err := recordBody(r, w)
	if err != nil {
		return 0, nil, err
	}
	sv, err := register.Save(r.Context(), s.st, register.Edit{Entity: e, Key: register.KeyParts(e, rec), Version: version, Values: vals}, c.options("api"))
	if err != nil {
		return 0, nil, err
	}
	out := recordOf(e, sv.Record)
	w.Header().Set("ETag", strconv.Quote(out.Version))
	return http.StatusOK, out, nil
}

// mayWrite reports whether c may change a record that belongs to owners
// (shared data, none: only over the whole government).
func (c *writer) mayWrite(e *mamori.Entity, owners []string) bool {
	if c.write.Whole() {
		return true
	}
	if c.write.Len() == 0 || len(owners) == 0 {
		return false
	}
	for _, o := range owners {
		if !c.write.Allows(o) || e.Name == "organizations" && !c.admin.Allows(o) {
			return false
		}
	}
	return true
}
