package web

import (
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"mamori"
	"mamori/internal/audit"
	"mamori/internal/i18n"
	"mamori/internal/sheet"
	"mamori/internal/store"
)

// systemRow is one line of the register table.
type systemRow struct {
	Code, URL, Name          string
	OrgCode, OrgName, OrgURL string
	Class, Status, SystemID  string
	Segment                  string
	InRegister               bool
}

// registerQuery is what the register page was asked for: search, filters,
// order and page. Every link on the page is built from it, so paging keeps
// the filters and sorting keeps the search.
type registerQuery struct {
	Q, Org                 string
	Class, Status, Segment string // enum codes
	InRegister             string // "yes", "no" or ""
	NoSystemID             bool   // only systems without a SystemID (未付番)
	Vuln                   string // only systems with an open match of this vulnerability (CVE, GHSA, GO-, JVNDB-)
	Sort                   string // one of sortColumns, "" for the register number
	Desc                   bool
	Page                   int
}

// sortColumns are the columns the register can be sorted by; each has an index.
var sortColumns = []string{"code", "name", "org_code", "class", "status", "system_id"}

// url returns the register URL for q, changed by fn.
func (q registerQuery) url(fn func(*registerQuery)) string {
	if fn != nil {
		fn(&q)
	}
	v := url.Values{}
	set := func(k, val string) {
		if val != "" {
			v.Set(k, val)
		}
	}
	set("q", q.Q)
	set("org", q.Org)
	set("class", q.Class)
	set("status", q.Status)
	set("segment", q.Segment)
	set("in_register", q.InRegister)
	set("vuln", q.Vuln)
	if q.NoSystemID {
		v.Set("no_system_id", "1")
	}
	set("sort", q.Sort)
	if q.Desc {
		v.Set("dir", "desc")
	}
	if q.Page > 1 {
		v.Set("page", strconv.Itoa(q.Page))
	}
	if len(v) == 0 {
		return "/systems"
	}
	return "/systems?" + v.Encode()
}

// sortHeader is one sortable column header.
type sortHeader struct {
	Column, Label, URL string
	Sorted             string // "ascending", "descending" or "" (aria-sort)
}

// option is an enum value in a filter's select.
type option struct {
	Code, Label string
	Selected    bool
}

// listView is the data of the register page.
type listView struct {
	registerQuery
	OrgName          string // "" when org names no organization
	ClearURL         string
	ClearOrgURL      string
	Filtered         bool
	Total            int
	From, To         int
	Rows             []systemRow
	Pages            int
	PrevURL, NextURL string
	FirstURL         string
	LastURL          string
	CSVURL           string // the whole filtered list as CSV
	Headers          []sortHeader
	Classes          []option
	Statuses         []option
	Segments         []option
}

// readRegisterQuery parses and checks the register page's parameters.
func readRegisterQuery(params url.Values) (registerQuery, error) {
	var q registerQuery
	var err error
	for _, p := range []struct {
		name string
		dst  *string
	}{{"q", &q.Q}, {"org", &q.Org}, {"class", &q.Class}, {"status", &q.Status}, {"segment", &q.Segment},
		{"in_register", &q.InRegister}, {"vuln", &q.Vuln}, {"sort", &q.Sort}} {
		if *p.dst, err = textParam(params, p.name); err != nil {
			return q, err
		}
	}
	if q.Page, err = parsePage(params.Get("page")); err != nil {
		return q, err
	}
	for _, e := range []struct{ param, value, column string }{
		{"class", q.Class, "class"}, {"status", q.Status, "status"}, {"segment", q.Segment, "network_segment"},
	} {
		if e.value == "" {
			continue
		}
		if _, ok := systems.Field(e.column).EnumByCode(e.value); !ok {
			return q, mamori.Errorf(mamori.Invalid, "パラメータ %s の値「%s」は使えません", "parameter %s: unknown value %q", e.param, clip(e.value, 40))
		}
	}
	if q.InRegister != "" && q.InRegister != "yes" && q.InRegister != "no" {
		return q, mamori.Errorf(mamori.Invalid, "パラメータ in_register は yes か no です", "parameter in_register: want yes or no")
	}
	if q.Sort != "" && !slices.Contains(sortColumns, q.Sort) {
		return q, mamori.Errorf(mamori.Invalid, "「%s」では並べ替えできません", "parameter sort: cannot sort by %q", clip(q.Sort, 40))
	}
	switch d := params.Get("dir"); d {
	case "", "asc":
	case "desc":
		q.Desc = true
	default:
		return q, mamori.Errorf(mamori.Invalid, "パラメータ dir は asc か desc です", "parameter dir: want asc or desc")
	}
	q.NoSystemID = params.Get("no_system_id") != ""
	return q, nil
}

// filter is the store query for rq within the user's organizations, unpaged.
func (rq registerQuery) filter(r *http.Request) store.Filter {
	f := store.Filter{Search: rq.Q, Vuln: rq.Vuln, Sort: rq.Sort, Desc: rq.Desc, Where: map[string]string{}}
	if f.Sort == "" && f.Desc {
		f.Sort = "code"
	}
	for col, v := range map[string]string{"org_code": rq.Org, "class": rq.Class, "status": rq.Status, "network_segment": rq.Segment} {
		if v != "" {
			f.Where[col] = v
		}
	}
	if rq.InRegister != "" {
		f.Bool = map[string]bool{"in_register": rq.InRegister == "yes"}
	}
	if rq.NoSystemID {
		f.Null = []string{"system_id"}
	}
	if orgs := orgFilter(r); orgs != nil {
		f.In = map[string][]string{"org_code": orgs}
	}
	return f
}

// exportChunk is how many systems the CSV export reads at a time.
const exportChunk = 5000

// systemsCSV downloads the register list as filtered (every page, every
// field) as CSV for Excel, within the user's organizations. Data leaving
// mamori is an export, so it is recorded in the audit trail with the query.
func (s *server) systemsCSV(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	l := s.loc(r)
	rq, err := readRegisterQuery(r.URL.Query())
	if err != nil {
		return err
	}
	f := rq.filter(r)
	f.Limit = exportChunk
	_, total, err := s.store.Find(ctx, systems, store.Filter{Where: f.Where, In: f.In, Bool: f.Bool, Null: f.Null, Search: f.Search, Vuln: f.Vuln, Limit: 1})
	if err != nil {
		return err
	}
	v := viewerOf(ctx)
	q := r.URL.Query()
	q.Del("lang")
	// The entry belongs to the organization exported, when the user may
	// see it; a request naming another ministry exports nothing of it and
	// must not appear in that ministry's log. Otherwise the export holds
	// what the user may see, and is filed under the top of that.
	ev := audit.Event{Target: "systems.csv", Detail: map[string]string{"query": q.Encode(), "rows": strconv.Itoa(total)}}
	if rq.Org != "" && mayView(r, rq.Org) {
		ev.Org = rq.Org
	} else {
		ev.Orgs = audit.FiledOrgs(v.all, v.user, v.scope.Allows)
	}
	if _, err := audit.RecordAll(ctx, s.store, v.user.Name, audit.Export, []audit.Event{ev}); err != nil {
		return err
	}
	header := make([]string, len(systems.Fields))
	for i, fd := range systems.Fields {
		header[i] = l.Pick(fd.JA, fd.EN)
	}
	h := w.Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Content-Disposition", `attachment; filename="systems.csv"`)
	h.Set("Cache-Control", "no-store")
	// Once the first byte is out an error can only be logged: the status is sent.
	err = sheet.WriteCSV(w, header, func(yield func([]string) error) error {
		for f.Offset = 0; ; f.Offset += exportChunk {
			recs, _, err := s.store.Find(ctx, systems, f)
			if err != nil {
				return err
			}
			for _, rec := range recs {
				cells := make([]string, len(systems.Fields))
				for i := range systems.Fields {
					cells[i] = cellText(rec[i])
				}
				if err := yield(cells); err != nil {
					return err
				}
			}
			if len(recs) < exportChunk {
				return nil
			}
		}
	})
	if err != nil {
		s.log.LogAttrs(ctx, slog.LevelWarn, "export systems.csv", slog.String("request_id", requestID(ctx)), slog.Any("error", err))
	}
	return nil
}

// cellText writes a stored value as the register's import accepts it, so
// an exported list can be edited and imported back.
func cellText(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case bool:
		if x {
			return "true"
		}
		return "false"
	case int64:
		return strconv.FormatInt(x, 10)
	}
	return fmt.Sprint(v)
}

// options lists an enum field's values for a select, in l's language.
func options(l *i18n.Localizer, column, selected string) []option {
	var out []option
	for _, ev := range systems.Field(column).Enum {
		out = append(out, option{Code: ev.Code, Label: l.Pick(ev.JA, ev.EN), Selected: ev.Code == selected})
	}
	return out
}

// systemList renders the register: one page of systems, searched, filtered
// and sorted as asked, within the user's organizations.
func (s *server) systemList(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	l := s.loc(r)
	rq, err := readRegisterQuery(r.URL.Query())
	if err != nil {
		return err
	}
	f := rq.filter(r)
	f.Limit, f.Offset = pageSize, (rq.Page-1)*pageSize
	recs, total, err := s.store.Find(ctx, systems, f)
	if err != nil {
		return err
	}
	codes := []string{rq.Org}
	for _, rec := range recs {
		codes = append(codes, str(systems, rec, "org_code"))
	}
	orgNames, err := s.names(ctx, organizations, codes...)
	if err != nil {
		return err
	}
	v := listView{registerQuery: rq, Total: total, Pages: max(1, (total+pageSize-1)/pageSize),
		ClearURL: "/systems", ClearOrgURL: rq.url(func(q *registerQuery) { q.Org, q.Page = "", 1 }),
		Classes: options(l, "class", rq.Class), Statuses: options(l, "status", rq.Status), Segments: options(l, "network_segment", rq.Segment)}
	if mayView(r, rq.Org) {
		// A name is shown only for an organization the user may see, so the
		// filter does not tell whether another ministry's code exists.
		v.OrgName = orgNames[rq.Org]
	}
	v.CSVURL = strings.Replace(rq.url(func(q *registerQuery) { q.Page = 1 }), "/systems", "/systems.csv", 1)
	v.Filtered = rq.Q != "" || rq.Org != "" || rq.Class != "" || rq.Status != "" || rq.Segment != "" || rq.InRegister != "" || rq.NoSystemID || rq.Vuln != ""
	for _, rec := range recs {
		oc := str(systems, rec, "org_code")
		on := orgNames[oc]
		if on == "" {
			on = oc
		}
		code := str(systems, rec, "code")
		row := systemRow{
			Code: code, URL: systemURL(code), Name: str(systems, rec, "name"),
			OrgCode: oc, OrgName: on, OrgURL: rq.url(func(q *registerQuery) { q.Org, q.Page = oc, 1 }),
			SystemID:   str(systems, rec, "system_id"),
			InRegister: field(systems, rec, "in_register") == true,
		}
		row.Class = enumLabel(l, "class", str(systems, rec, "class"))
		row.Status = enumLabel(l, "status", str(systems, rec, "status"))
		row.Segment = enumLabel(l, "network_segment", str(systems, rec, "network_segment"))
		v.Rows = append(v.Rows, row)
	}
	if len(recs) > 0 {
		v.From, v.To = f.Offset+1, f.Offset+len(recs)
	}
	if rq.Page > 1 {
		v.PrevURL = rq.url(func(q *registerQuery) { q.Page = min(q.Page-1, v.Pages) })
		v.FirstURL = rq.url(func(q *registerQuery) { q.Page = 1 })
	}
	if rq.Page < v.Pages {
		v.NextURL = rq.url(func(q *registerQuery) { q.Page++ })
		v.LastURL = rq.url(func(q *registerQuery) { q.Page = v.Pages })
	}
	for _, col := range sortColumns {
		h := sortHeader{Column: col}
		if col == "org_code" {
			h.Label = l.MustT("systems.col.org")
		} else {
			h.Label = l.Pick(systems.Field(col).JA, systems.Field(col).EN)
		}
		current := rq.Sort == col || (rq.Sort == "" && col == "code")
		if current {
			h.Sorted = "ascending"
			if rq.Desc {
				h.Sorted = "descending"
			}
		}
		h.URL = rq.url(func(q *registerQuery) {
			q.Sort, q.Page = col, 1
			q.Desc = current && !rq.Desc
			if col == "code" && !q.Desc {
				q.Sort = ""
			}
		})
		v.Headers = append(v.Headers, h)
	}
	title := l.MustT("systems.title")
	if rq.Page > 1 {
		title = l.MustT("systems.title.page", "Page", rq.Page)
	}
	return s.render(w, r, http.StatusOK, "systems.html", title, "systems", v)
}

// enumLabel names an enum value of a systems column in l's language.
func enumLabel(l *i18n.Localizer, column, code string) string {
	if code == "" {
		return ""
	}
	if ev, ok := systems.Field(column).EnumByCode(code); ok {
		return l.Pick(ev.JA, ev.EN)
	}
	return code
}
