package web

import (
	"context"
	"encoding/json"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"mamori"
	"mamori/internal/audit"
	"mamori/internal/authz"
	"mamori/internal/i18n"
	"mamori/internal/store"
)

// The audit-log page (DESIGN C9): auditors read the hash-chained audit
// trail of their organizations, filter it, and verify the chain. Reading
// the log is itself an event of the log (a "review"), so that mamori keeps
// the evidence of log review it asks of the systems it checks.

// auditLogRoutes registers the audit-log page and its chain check.
func (s *server) auditLogRoutes(mux *http.ServeMux) {
	mux.Handle("GET /audit-log", s.handle(s.auditLog))
	mux.Handle("POST /audit-log/verify", s.handle(s.auditVerify))
}

// auditZone is the zone the page shows and reads times in: the log is
// stored in UTC, its readers are Japanese government bodies, and Japan
// keeps UTC+9 all year.
var auditZone = mamori.Japan

// auditActions are the actions the filter offers, in the order shown;
// each has a label "auditlog.action.<action>" in the catalogs. Others are
// shown and filtered by their raw name.
var auditActions = []string{audit.Login, audit.LoginFailed, audit.Logout, audit.Write, audit.Export, audit.Import, audit.ImportRefused,
	audit.Check, audit.Catalog, audit.Match, audit.Sync, audit.APIRead, audit.Review}

// reviewTarget is the target of the review entries this page records; the
// command line records its reviews under the same name.
const reviewTarget = "audit_log"

// reviewWindow is how long a review of the same filter by the same user
// is not recorded again, so that paging through one result is one review.
const reviewWindow = 10 * time.Minute

// auditQuery is what the page was asked for; every link is built from it.
type auditQuery struct {
	Actor, Action, Target, Org string
	From, To                   string // YYYY-MM-DD, Japan time; To is inclusive
	Q                          string // free text in any column
	Page                       int
	from, to                   time.Time // the range as store bounds: from <= at < to
}

// values are the query parameters of q without the page: the filter.
func (q auditQuery) values() url.Values {
	v := url.Values{}
	for _, p := range []struct{ k, v string }{{"actor", q.Actor}, {"action", q.Action}, {"target", q.Target},
		{"org", q.Org}, {"from", q.From}, {"to", q.To}, {"q", q.Q}} {
		if p.v != "" {
			v.Set(p.k, p.v)
		}
	}
	return v
}

// url is the page URL of q at page n.
func (q auditQuery) url(page int) string {
	v := q.values()
	if page > 1 {
		v.Set("page", strconv.Itoa(page))
	}
	if len(v) == 0 {
		return "/audit-log"
	}
	return "/audit-log?" + v.Encode()
}

// readAuditQuery parses and checks the page's parameters.
func readAuditQuery(params url.Values) (auditQuery, error) {
	var q auditQuery
	var err error
	for _, p := range []struct {
		name string
		dst  *string
	}{{"actor", &q.Actor}, {"action", &q.Action}, {"target", &q.Target}, {"org", &q.Org},
		{"from", &q.From}, {"to", &q.To}, {"q", &q.Q}} {
		if *p.dst, err = textParam(params, p.name); err != nil {
			return q, err
		}
	}
	if q.Page, err = parsePage(params.Get("page")); err != nil {
		return q, err
	}
	if q.From != "" {
		if q.from, err = time.ParseInLocation(time.DateOnly, q.From, auditZone); err != nil {
			return q, mamori.Errorf(mamori.Invalid, "パラメータ「from」の値「%s」は日付（YYYY-MM-DD）ではありません",
				"parameter from: %q is not a date (YYYY-MM-DD)", clip(q.From, 40))
		}
	}
	if q.To != "" {
		t, err := time.ParseInLocation(time.DateOnly, q.To, auditZone)
		if err != nil {
			return q, mamori.Errorf(mamori.Invalid, "パラメータ「to」の値「%s」は日付（YYYY-MM-DD）ではありません",
				"parameter to: %q is not a date (YYYY-MM-DD)", clip(q.To, 40))
		}
		q.to = t.AddDate(0, 0, 1) // the whole of the last day
	}
	if !q.from.IsZero() && !q.to.IsZero() && !q.from.Before(q.to) {
		return q, mamori.Errorf(mamori.Invalid, "期間の開始日（%s）が終了日（%s）より後です",
			"the date range starts (%s) after it ends (%s)", q.From, q.To)
	}
	return q, nil
}

// filtered reports whether any filter is set.
func (q auditQuery) filtered() bool { return len(q.values()) > 0 }

// auditAccess is what an auditor may read of the log.
//
// The rule: an entry that names an organization is shown when that
// organization is in the user's audit scope (the organizations under their
// auditor or central_admin grants; a viewer grant elsewhere does not count).
// An entry that names no organization (sign-ins, sign-outs, account
// administration, reviews of the log, command-line runs) may concern anyone
// in any ministry, so it is shown only when the audit scope is the whole
// government. A ministry's auditor therefore sees their ministry's
// register work and nothing else; the rest of the trail, including the
// sign-ins of their own staff, is for the government-wide auditors.
type auditAccess struct {
	scope authz.Scope
	whole bool // the audit scope holds every organization
}

// auditAccessOf resolves the request's audit scope, or Forbidden for a
// user holding no audit role.
func (s *server) auditAccessOf(r *http.Request) (auditAccess, error) {
	sc, err := s.scopeFor(r, auditRoles)
	if err != nil {
		return auditAccess{}, err
	}
	return auditAccess{scope: sc, whole: sc.Whole()}, nil
}

// auditListing returns page q.Page of the entries of q the access allows,
// newest first, and how many there are in all, paged in SQL: an auditor of
// one ministry reads only the rows of its organizations.
func (s *server) auditListing(ctx context.Context, a auditAccess, q auditQuery) ([]store.AuditEntry, int, error) {
	f := store.AuditFilter{From: q.from, To: q.to, Actor: q.Actor, Action: q.Action, Target: q.Target, Text: q.Q,
		Limit: pageSize, Offset: (q.Page - 1) * pageSize}
	var orgs map[string]bool // nil: any organization the access allows
	if q.Org != "" {
		// An organization stands for its subtree, as a ministry's code
		// stands for its bureaus. A code that is not in the register (an
		// organization removed since) still matches its own entries.
		sub, err := s.store.Subtree(ctx, q.Org)
		if mamori.KindOf(err) == mamori.NotFound {
			sub, err = map[string]bool{q.Org: true}, nil
		}
		if err != nil {
			return nil, 0, err
		}
		orgs = sub
	}
	switch {
	case a.whole && orgs != nil:
		f.OrgIn = slices.Sorted(maps.Keys(orgs))
	case !a.whole:
		// Only the organizations of the audit scope; entries with no
		// organization (sign-ins, account changes) stay out.
		f.OrgIn = []string{}
		for _, o := range a.scope.Orgs() {
			if orgs == nil || orgs[o] {
				f.OrgIn = append(f.OrgIn, o)
			}
		}
	}
	return s.store.AuditEntries(ctx, f)
}

// shownOrgs renders the organizations an entry without a single one is
// filed under, limited to the audit scope so that a ministry's auditor is
// not told which other organizations an export or import reached.
func shownOrgs(l *i18n.Localizer, a auditAccess, e store.AuditEntry) string {
	if e.OrgCode != "" {
		return ""
	}
	var out []string
	for _, o := range e.Orgs {
		switch {
		case o == store.AuditEveryOrg:
			out = append(out, l.MustT("auditlog.org.every"))
		case a.whole || a.scope.Allows(o):
			out = append(out, o)
		}
	}
	return strings.Join(out, ", ")
}

// auditRow is one entry as the page shows it.
type auditRow struct {
	Seq        int64
	Date, Time string // Japan time: YYYY-MM-DD for the date func, HH:MM:SS
	AtText     string // as stored (UTC), the form the hash covers
	Actor      string
	Action     string // the label of a known action, else the action itself
	RawAction  string
	ActionURL  string // the log filtered by this action
	Target     string
	OrgCode    string
	OrgName    string
	// OrgsShown lists, for an entry filed under several organizations
	// and no single one, those of them within the auditor's scope.
	OrgsShown      string
	Detail         string // one line, shortened
	DetailFull     string // for the tooltip, bounded
	HashPrefix     string
	Hash, PrevHash string
}

// auditActionLabel names an action in l's language, or returns it as is.
func auditActionLabel(l *i18n.Localizer, action string) string {
	for _, a := range auditActions {
		if a == action {
			return l.MustT("auditlog.action." + a)
		}
	}
	return action
}

// auditOneLine fits s in a table cell: control characters become spaces,
// and text longer than n characters is cut with "…".
func auditOneLine(s string, n int) string {
	return clip(strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s), n)
}

// auditActionOption is one action in the filter's select.
type auditActionOption struct {
	Value, Label string
	Selected     bool
}

// auditOrgOption is one organization the org filter suggests.
type auditOrgOption struct{ Code, Name string }

// auditLogView is the data of the audit-log page.
type auditLogView struct {
	auditQuery
	Whole            bool
	Filtered         bool
	OrgName          string // the filter's organization, when in scope
	Actions          []auditActionOption
	Orgs             []auditOrgOption
	Rows             []auditRow
	Total            int
	From1, To1       int // the range of entries shown, 1-based
	Pages            int
	PrevURL, NextURL string
	Verify           *auditVerifyView // after POST /audit-log/verify
}

// auditVerifyView is the outcome of a chain check as the page shows it.
type auditVerifyView struct {
	Intact   bool
	Reason   string // an audit.Reason: intact, missing, tampered, relinked, unknown_key, downgraded
	Triggers string // the append-only triggers found missing, disabled or altered
	FirstBad int64
	Entries  int
	LastSeq  int64
	LastHash string // shown to government-wide auditors only
}

// maxAuditOrgOptions bounds the organizations suggested in the filter.
const maxAuditOrgOptions = 1000

// auditOrgOptions lists the organizations of the audit scope for the filter's
// suggestions, with their names.
func (s *server) auditOrgOptions(ctx context.Context, a auditAccess) ([]auditOrgOption, error) {
	f := store.Filter{Limit: maxAuditOrgOptions}
	if !a.whole {
		f.In = map[string][]string{"code": a.scope.Orgs()}
	}
	recs, _, err := s.store.Find(ctx, organizations, f)
	if err != nil {
		return nil, err
	}
	out := make([]auditOrgOption, 0, len(recs))
	for _, rec := range recs {
		out = append(out, auditOrgOption{Code: str(organizations, rec, "code"), Name: str(organizations, rec, "name")})
	}
	return out, nil
}

// auditLog renders one page of the audit trail within the user's audit
// scope, and records the review.
func (s *server) auditLog(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	a, err := s.auditAccessOf(r)
	if err != nil {
		return err
	}
	q, err := readAuditQuery(r.URL.Query())
	if err != nil {
		return err
	}
	entries, total, err := s.auditListing(ctx, a, q)
	if err != nil {
		return err
	}
	// Recorded before the page is sent: a review that cannot be recorded
	// is refused rather than left without evidence. It shows in the next
	// listing, not this one.
	if err := s.recordAuditReview(ctx, viewerOf(ctx).user.Name, q); err != nil {
		return err
	}
	v, err := s.auditLogView(r, a, q, entries, total)
	if err != nil {
		return err
	}
	l := s.loc(r)
	title := l.MustT("auditlog.title")
	if q.Page > 1 {
		title = l.MustT("auditlog.title.page", "Page", q.Page)
	}
	return s.render(w, r, http.StatusOK, "auditlog.html", title, "audit", v)
}

// recordAuditReview appends a review entry for a reading of the log with q's
// filter, unless the same user recorded the same filter within
// reviewWindow: paging through a result, or reloading it, is one review.
func (s *server) recordAuditReview(ctx context.Context, user string, q auditQuery) error {
	filter := map[string]string{}
	for k, vs := range q.values() {
		filter[k] = vs[0]
	}
	b, err := json.Marshal(map[string]any{"via": "web", "page": "audit-log", "filter": filter})
	if err != nil {
		return err
	}
	detail := string(b)
	recent, _, err := s.store.AuditEntries(ctx, store.AuditFilter{Actor: user, Action: audit.Review,
		From: time.Now().Add(-reviewWindow), Limit: 100})
	if err != nil {
		return err
	}
	for _, e := range recent {
		if e.Target == reviewTarget && e.Detail == detail {
			return nil
		}
	}
	_, err = audit.Record(ctx, s.store, user, audit.Review, reviewTarget, "", detail)
	return err
}

// auditLogView builds the page's data.
func (s *server) auditLogView(r *http.Request, a auditAccess, q auditQuery, entries []store.AuditEntry, total int) (auditLogView, error) {
	ctx := r.Context()
	l := s.loc(r)
	v := auditLogView{auditQuery: q, Whole: a.whole, Filtered: q.filtered(), Total: total,
		Pages: max(1, (total+pageSize-1)/pageSize)}
	known := false
	for _, act := range auditActions {
		v.Actions = append(v.Actions, auditActionOption{Value: act, Label: auditActionLabel(l, act), Selected: act == q.Action})
		known = known || act == q.Action
	}
	if q.Action != "" && !known {
		// An action outside the vocabulary stays selectable once asked for.
		v.Actions = append(v.Actions, auditActionOption{Value: q.Action, Label: q.Action, Selected: true})
	}
	var err error
	if v.Orgs, err = s.auditOrgOptions(ctx, a); err != nil {
		return v, err
	}
	codes := []string{q.Org}
	for _, e := range entries {
		codes = append(codes, e.OrgCode)
	}
	names, err := s.names(ctx, organizations, codes...)
	if err != nil {
		return v, err
	}
	if a.whole || a.scope.Allows(q.Org) {
		// Named only within the scope, so the filter does not tell whether
		// another ministry's code exists.
		v.OrgName = names[q.Org]
	}
	for _, e := range entries {
		row := auditRow{Seq: e.Seq, AtText: e.AtText(), Actor: e.Actor, Action: auditActionLabel(l, e.Action), RawAction: e.Action,
			Target: e.Target, OrgCode: e.OrgCode, OrgName: names[e.OrgCode], OrgsShown: shownOrgs(l, a, e),
			Detail: auditOneLine(auditDetail(l, e.Detail), 80), DetailFull: auditOneLine(auditDetail(l, e.Detail), 1000),
			Hash: e.Hash, PrevHash: e.PrevHash, HashPrefix: e.Hash}
		if len(row.HashPrefix) > 12 {
			row.HashPrefix = row.HashPrefix[:12]
		}
		if !e.At.IsZero() {
			t := e.At.In(auditZone)
			row.Date, row.Time = t.Format(time.DateOnly), t.Format(time.TimeOnly)
		}
		aq := q
		aq.Action = e.Action
		row.ActionURL = aq.url(1)
		v.Rows = append(v.Rows, row)
	}
	if len(entries) > 0 {
		v.From1 = (q.Page-1)*pageSize + 1
		v.To1 = v.From1 + len(entries) - 1
	}
	if q.Page > 1 {
		v.PrevURL = q.url(min(q.Page-1, v.Pages))
	}
	if q.Page < v.Pages {
		v.NextURL = q.url(q.Page + 1)
	}
	return v, nil
}

// auditVerify checks the whole hash chain, records the check as a review
// and shows the outcome. A broken chain is a finding, not a failed request,
// so the page answers 200 either way.
//
// The chain is one for the whole government, so any auditor may check it;
// a ministry's auditor is told whether it is intact and where it first
// breaks, but not its length or last hash, which describe everyone's
// activity.
func (s *server) auditVerify(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	a, err := s.auditAccessOf(r)
	if err != nil {
		return err
	}
	res, err := audit.Verify(ctx, s.store)
	if err != nil {
		return err
	}
	triggers, err := s.store.MissingAuditTriggers(ctx)
	if err != nil {
		return err
	}
	detail := map[string]any{"via": "web", "page": "audit-log/verify", "entries": res.Entries, "intact": res.Intact() && len(triggers) == 0}
	if !res.Intact() {
		detail["first_bad"] = res.FirstBad
		detail["reason"] = res.Reason.String()
	}
	if len(triggers) > 0 {
		detail["triggers"] = triggers
	}
	if _, err := audit.Record(ctx, s.store, viewerOf(ctx).user.Name, audit.Review, reviewTarget, "", detail); err != nil {
		return err
	}
	vv := &auditVerifyView{Intact: res.Intact() && len(triggers) == 0, Reason: res.Reason.String(), FirstBad: res.FirstBad,
		Triggers: strings.Join(triggers, ", ")}
	if a.whole {
		vv.Entries, vv.LastSeq, vv.LastHash = int(res.Entries), res.LastSeq, res.LastHash
	}
	v := auditLogView{Whole: a.whole, Verify: vv}
	return s.render(w, r, http.StatusOK, "auditlog.html", s.loc(r).MustT("auditlog.verify.title"), "audit", v)
}
