package web

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"mamori"
	"mamori/internal/audit"
	"mamori/internal/authz"
	"mamori/internal/register"
	"mamori/internal/store"
)

// formOverhead is what a multipart body may carry beyond the file itself:
// boundaries, part headers and the file's name.
const formOverhead = 1 << 20

// maxFormBody bounds the body of every request but an import: a sign-in
// or an administrator's form is a few hundred bytes.
const maxFormBody = 64 << 10

// limitBody stops reading a request body past maxFormBody (the import, an
// evidence upload, a round's answers and a register record set their own,
// larger bounds), so a form cannot be made to spill megabytes of
// multipart data to temporary files.
func limitBody(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body != nil && r.URL.Path != "/import" && r.URL.Path != "/cloud-lists" && !isEvidenceUpload(r.URL.Path) && !isInspectionAnswers(r.URL.Path) && !isRecordForm(r) {
			r.Body = http.MaxBytesReader(w, r.Body, maxFormBody)
		}
		next.ServeHTTP(w, r)
	})
}

// importFormField is the name of the file input.
const importFormField = "workbook"

// templateFile is the name the blank workbook downloads as.
const templateFile = "mamori-register-template.xlsx"

const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// importRoutes registers the register import: the upload form, the upload
// and the blank workbook to fill in.
func (s *server) importRoutes(mux *http.ServeMux) {
	mux.Handle("GET /import", s.handle(s.importPage))
	mux.Handle("POST /import", s.handle(s.importUpload))
	mux.Handle("GET /import/template", s.handle(s.importTemplate))
}

// importView is what templates/import.html reads.
type importView struct {
	MaxMiB   int
	File     string         // the uploaded file's name, after an upload
	Message  string         // why the upload could not be read at all
	Problems []problemRow   // why it was refused
	Omitted  int            // problems found beyond those listed
	Written  []writtenCount // what it wrote, once accepted
	Total    int64
	Warnings []problemRow // what it accepted with a doubt
	Done     bool
}

// problemRow is one line of the problems table.
type problemRow struct {
	Where  string // the sheet, or the file when it has no sheets
	Row    int    // 0: the whole sheet or file
	Column string
	Value  string
	Reason string
}

// writtenCount is the records written to one entity.
type writtenCount struct {
	Entity string
	Count  int64
}

// importScope returns what the signed-in user may import: nil for a user
// whose import roles cover every organization, else their organizations.
// A user without an import role gets Forbidden.
func (s *server) importScope(r *http.Request) (allow func(string) bool, err error) {
	sc, err := s.scopeFor(r, importRoles)
	if err != nil {
		return nil, err
	}
	if sc.Whole() {
		return nil, nil
	}
	return sc.Allows, nil
}

func (s *server) importPage(w http.ResponseWriter, r *http.Request) error {
	if _, err := s.importScope(r); err != nil {
		return err
	}
	return s.renderImport(w, r, http.StatusOK, importView{})
}

func (s *server) renderImport(w http.ResponseWriter, r *http.Request, status int, v importView) error {
	v.MaxMiB = int((s.limits.FileBytes + 1<<20 - 1) >> 20)
	return s.render(w, r, status, "import.html", s.loc(r).MustT("import.title"), "import", v)
}

// importUpload reads one uploaded file and imports it within the user's
// organizations: all of it, or, on any problem, nothing.
func (s *server) importUpload(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	l := s.loc(r)
	allow, err := s.importScope(r)
	if err != nil {
		return err
	}
	lim := s.limits
	// refuse answers an upload refused before the register import reads
	// it, and records the refusal, with why, under the importer's own
	// organizations: their auditors see what was attempted.
	refuse := func(status int, name, reason string, v importView) error {
		if ctx.Err() == nil {
			viewer := viewerOf(ctx)
			target := "register/" + name
			if name == "" {
				target = "register"
			}
			ev := (&orgSet{asked: map[string]bool{}}).event(target, viewer.user, allow,
				map[string]any{"file": name, "reason": reason})
			if _, err := audit.RecordAll(ctx, s.store, viewer.user.Name, audit.ImportRefused, []audit.Event{ev}); err != nil {
				return err
			}
		}
		return s.renderImport(w, r, status, v)
	}
	tooBig := func(name string) error {
		return refuse(http.StatusRequestEntityTooLarge, name, fmt.Sprintf("file larger than %d bytes", lim.FileBytes),
			importView{File: name, Message: l.MustT("import.error.toobig", "Size", (lim.FileBytes+1<<20-1)>>20)})
	}
	r.Body = http.MaxBytesReader(w, r.Body, lim.FileBytes+formOverhead)
	// Up to the limit in memory: the file is read whole anyway.
	if err := r.ParseMultipartForm(lim.FileBytes + formOverhead); err != nil {
		if _, over := errors.AsType[*http.MaxBytesError](err); over {
			return tooBig("")
		}
		return refuse(http.StatusBadRequest, "", "no file in the form", importView{Message: l.MustT("import.error.nofile")})
	}
	defer r.MultipartForm.RemoveAll()
	f, hdr, err := r.FormFile(importFormField)
	if err != nil {
		return refuse(http.StatusBadRequest, "", "no file in the form", importView{Message: l.MustT("import.error.nofile")})
	}
	defer f.Close()
	// Browsers send the base name; some older ones the whole client path.
	// The name is the client's to choose: only its start is shown.
	name := mamori.Excerpt(filepath.Base(strings.ReplaceAll(hdr.Filename, `\`, "/")))
	switch strings.ToLower(filepath.Ext(name)) {
	case ".xlsx", ".csv", ".json":
	default:
		return refuse(http.StatusBadRequest, name, "not .xlsx, .csv or .json",
			importView{File: name, Message: l.MustT("import.error.format", "File", name)})
	}
	data, err := lim.ReadAll(f)
	if errors.Is(err, mamori.ErrLimit) {
		return tooBig(name)
	}
	if err != nil {
		return err
	}
	if len(data) == 0 {
		return refuse(http.StatusBadRequest, name, "empty file",
			importView{File: name, Message: l.MustT("import.error.empty", "File", name)})
	}
	// The import runs in the request's context: it stops when the client
	// goes, and at the time limit.
	opts := register.Options{Allow: allow, Limits: lim}
	if allow != nil {
		// Reshaping the organization tree is an administrator's work: a
		// system officer may load systems, not create or move organizations.
		admin, err := authz.OfRoles(ctx, s.store, viewerOf(ctx).user, adminRoles...)
		if err != nil {
			return err
		}
		opts.AllowOrganizations = admin.Allows
	}
	touched := touchedOrgs(&opts)
	res, err := register.ImportScoped(ctx, s.store, []register.Input{{Name: name, Data: data}}, opts)
	viewer := viewerOf(ctx)
	if err != nil && ctx.Err() == nil {
		// A refusal is recorded with why, under the organizations the file
		// reached for, so their auditors see what was attempted.
		detail := audit.Reasons(err)
		detail["file"], detail["bytes"] = name, len(data)
		if _, rerr := audit.RecordAll(ctx, s.store, viewer.user.Name, audit.ImportRefused,
			[]audit.Event{touched.event("register/"+name, viewer.user, allow, detail)}); rerr != nil {
			return rerr
		}
	}
	v := importView{File: name, Omitted: res.Omitted}
	for _, wn := range res.Warnings {
		v.Warnings = append(v.Warnings, problemRowOf(l.Pick(wn.MessageJA, wn.Message), wn))
	}
	if probs, ok := errors.AsType[mamori.Problems](err); ok {
		status := http.StatusUnprocessableEntity
		for _, p := range inReadingOrder(probs) {
			v.Problems = append(v.Problems, problemRowOf(l.Pick(p.MessageJA, p.Message), p))
			if errors.Is(p, mamori.ErrLimit) {
				status = http.StatusRequestEntityTooLarge
			}
		}
		return s.renderImport(w, r, status, v)
	}
	if e, ok := errors.AsType[*mamori.Error](err); ok && errors.Is(err, mamori.ErrLimit) {
		// The time limit: nothing was written.
		v.Message = l.Pick(e.MessageJA, e.Message)
		return s.renderImport(w, r, http.StatusRequestEntityTooLarge, v)
	}
	if err != nil {
		return err
	}
	v.Done = true
	written := map[string]int64{}
	for _, e := range mamori.Entities {
		if n := res.Written[e.Name]; n > 0 {
			v.Written = append(v.Written, writtenCount{Entity: l.Pick(e.JA, e.EN), Count: n})
			v.Total += n
			written[e.Name] = n
		}
	}
	if _, err := audit.RecordAll(ctx, s.store, viewer.user.Name, audit.Import, []audit.Event{touched.event("register/"+name, viewer.user, allow,
		map[string]any{"file": name, "bytes": len(data), "written": written})}); err != nil {
		return err
	}
	return s.renderImport(w, r, http.StatusOK, v)
}

// inReadingOrder sorts problems as the user reads the input: by sheet (or
// file) in the order they first come up, then by row. The import finds them
// in passes (values first, references after), which is no order for a table.
func inReadingOrder(ps mamori.Problems) []*mamori.Error {
	type place struct{ file, sheet string }
	first := map[place]int{}
	for i, p := range ps {
		k := place{p.Loc.File, p.Loc.Sheet + p.Loc.Array}
		if _, seen := first[k]; !seen {
			first[k] = i
		}
	}
	out := slices.Clone([]*mamori.Error(ps))
	slices.SortStableFunc(out, func(a, b *mamori.Error) int {
		return cmp.Or(cmp.Compare(first[place{a.Loc.File, a.Loc.Sheet + a.Loc.Array}], first[place{b.Loc.File, b.Loc.Sheet + b.Loc.Array}]),
			cmp.Compare(a.Loc.Row, b.Loc.Row))
	})
	return out
}

// problemRowOf lays a problem out for the table: the sheet where the input
// has sheets, the array of a JSON bundle, else the file.
func problemRowOf(reason string, e *mamori.Error) problemRow {
	where := cmp.Or(e.Loc.Sheet, e.Loc.Array)
	if where == "" {
		where = e.Loc.File
	}
	return problemRow{Where: where, Row: e.Loc.Row, Column: e.Loc.Column, Value: e.Loc.Value, Reason: reason}
}

// orgSet collects the organizations an import may write and asked to: the
// scope check asks opts.Allow about each one a record belongs to (and each
// a stored record it would replace belongs to). Organizations Allow refuses
// are left out: they are learnt from the store (another ministry's record
// a reference leads to), and filing under them would tell the importer's
// auditor that the record exists.
type orgSet struct {
	mu    sync.Mutex
	asked map[string]bool
}

// touchedOrgs wraps opts.Allow, when set, to collect the organizations asked.
func touchedOrgs(opts *register.Options) *orgSet {
	t := &orgSet{asked: map[string]bool{}}
	if allow := opts.Allow; allow != nil {
		opts.Allow = func(org string) bool {
			ok := allow(org)
			if ok {
				t.mu.Lock()
				t.asked[org] = true
				t.mu.Unlock()
			}
			return ok
		}
	}
	return t
}

// event is an import's audit event, filed under the organizations of the
// importer's scope that the import wrote or asked to write (a user with
// grants in two ministries importing into one is filed under that one);
// when it reached none, under the importer's own (their import grants), so
// their auditors see it. Never under an organization outside the scope:
// which one a refused reference leads to is not to be told. A whole-government import, which the
// scope check does not see, is filed under every organization.
func (t *orgSet) event(target string, u store.User, allow func(string) bool, detail any) audit.Event {
	if allow == nil {
		return audit.Event{Target: target, Orgs: []string{audit.EveryOrg}, Detail: detail}
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	orgs := slices.Sorted(maps.Keys(t.asked))
	if len(orgs) == 0 {
		for _, g := range u.Grants {
			if slices.Contains(importRoles, g.Role) {
				orgs = append(orgs, g.OrgCode)
			}
		}
	}
	ev := audit.Event{Target: target, Orgs: orgs, Detail: detail}
	if len(orgs) == 1 {
		ev.Org = orgs[0]
	}
	return ev
}

// importTemplate sends the blank workbook: one sheet per entity with its
// headers and a row explaining each column. It carries no data, but it
// leaves mamori, so it is recorded as an export like any download.
func (s *server) importTemplate(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	if _, err := s.importScope(r); err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := register.Template(&buf); err != nil {
		return err
	}
	if _, err := audit.Record(ctx, s.store, viewerOf(ctx).user.Name, audit.Export, templateFile, "",
		map[string]string{"kind": "register template"}); err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", xlsxType)
	h.Set("Content-Disposition", `attachment; filename="`+templateFile+`"`)
	h.Set("Cache-Control", "no-store")
	// Once the status is out, a client gone mid-download can only be let go.
	_, _ = w.Write(buf.Bytes())
	return nil
}
