package web_test

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"mamori/internal/audit"
	"mamori/internal/auth"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
	"mamori/internal/web"
)

// auditLogDB is a store with the register fixture and a raw connection to
// its database, for tampering with the log as someone with database
// rights could.
type auditLogDB struct {
	st      *store.Store
	raw     *sql.DB
	dialect string
}

// eachAuditLogDB runs fn per available database.
func eachAuditLogDB(t *testing.T, fn func(t *testing.T, db auditLogDB)) {
	t.Helper()
	for _, dialect := range []string{"sqlite", "postgres"} {
		t.Run(dialect, func(t *testing.T) {
			var dsn string
			if dialect == "sqlite" {
				dsn = filepath.Join(t.TempDir(), "mamori.db")
			} else {
				dsn = storetest.PostgresDSN(t) // skips without a server
			}
			st, err := store.Open(context.Background(), dsn)
			if err != nil {
				t.Fatalf("store.Open: %v", err)
			}
			t.Cleanup(func() { st.Close() })
			if err := st.Migrate(context.Background()); err != nil {
				t.Fatalf("Migrate: %v", err)
			}
			driver, rawDSN := "pgx", dsn
			if dialect == "sqlite" {
				driver, rawDSN = "sqlite", "file:"+(&url.URL{Path: dsn}).EscapedPath()+"?_pragma=busy_timeout(10000)"
			}
			raw, err := sql.Open(driver, rawDSN)
			if err != nil {
				t.Fatalf("sql.Open: %v", err)
			}
			t.Cleanup(func() { raw.Close() })
			fixture(t, st)
			fn(t, auditLogDB{st: st, raw: raw, dialect: dialect})
		})
	}
}

// tamper drops the append-only triggers and runs q on the log.
func (db auditLogDB) tamper(t *testing.T, q string) {
	t.Helper()
	drops := []string{"DROP TRIGGER IF EXISTS audit_log_no_change ON audit_log"}
	if db.dialect == "sqlite" {
		drops = []string{"DROP TRIGGER IF EXISTS audit_log_no_update", "DROP TRIGGER IF EXISTS audit_log_no_delete"}
	}
	for _, s := range append(drops, q) {
		if _, err := db.raw.ExecContext(t.Context(), s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

// auditLogUser creates a user holding role on each of orgs with a live
// session, as signIn does for viewers. The session is made in the store,
// so the second factor an auditor needs at sign-in is not in the way.
func auditLogUser(t *testing.T, s *store.Store, h http.Handler, name, role string, orgs ...string) http.Handler {
	t.Helper()
	var grants []string
	for _, o := range orgs {
		grants = append(grants, role+"@"+o)
	}
	return withSession(h, grantedSession(t, s, name, grants...))
}

// auditLogSeed appends entries of both ministries and some with no
// organization, and returns their seqs by a short name.
func auditLogSeed(t *testing.T, s *store.Store) map[string]int64 {
	t.Helper()
	seqs := map[string]int64{}
	for _, e := range []struct{ name, actor, action, target, org, detail string }{
		{"a-write", "clerk-a", audit.Write, "systems/S001", "ORG-A", `{"field":"secret-of-a"}`},
		{"b-write", "clerk-b", audit.Write, "systems/S002", "ORG-B", ""},
		{"c-export", "clerk-c", audit.Export, "systems.csv", "ORG-C", `{"rows":"secret-of-c"}`},
		{"login", "stranger", audit.Login, "web", "", `{"ip":"192.0.2.7"}`},
		{"a-odd", "clerk-a", "frobnicate", "plans/P9", "ORG-A", "tab\there"},
	} {
		got, err := audit.Record(t.Context(), s, e.actor, e.action, e.target, e.org, e.detail)
		if err != nil {
			t.Fatal(err)
		}
		seqs[e.name] = got.Seq
	}
	return seqs
}

var auditLogSeqRE = regexp.MustCompile(`<td class="num">(\d+)</td>`)

// auditLogSeqs lists the seqs of the rows of a page, in page order.
func auditLogSeqs(body string) []int64 {
	var out []int64
	for _, m := range auditLogSeqRE.FindAllStringSubmatch(body, -1) {
		n, _ := strconv.ParseInt(m[1], 10, 64)
		out = append(out, n)
	}
	return out
}

// TestAuditLogScope: a ministry's auditor sees its tree's entries and
// nothing of another ministry's nor entries without an organization; a
// government-wide auditor sees everything; a viewer is refused.
func TestAuditLogScope(t *testing.T) {
	eachAuditLogDB(t, func(t *testing.T, db auditLogDB) {
		s := db.st
		base := web.New(s, slog.New(slog.DiscardHandler), "test")
		audA := auditLogUser(t, s, base, "aud-a", "auditor", "ORG-A")
		audC := auditLogUser(t, s, base, "aud-c", "auditor", "ORG-C")
		central := auditLogUser(t, s, base, "central", "central_admin", "ORG-A", "ORG-C")
		// A viewer of every ministry who audits one audits one.
		mixed := auditLogUser(t, s, base, "mixed", "auditor", "ORG-A")
		if err := auth.Grant(t.Context(), s, "mixed", auth.Viewer, "ORG-C"); err != nil {
			t.Fatal(err)
		}
		viewer := signIn(t, s, base, "viewer-a", "ORG-A")
		seq := auditLogSeed(t, s)

		for _, tc := range []struct {
			who    string
			h      http.Handler
			url    string
			want   []int64
			has    []string
			hasNot []string
		}{
			{"aud-a", audA, "/audit-log", []int64{seq["a-odd"], seq["b-write"], seq["a-write"]},
				[]string{"systems/S001", "systems/S002", "総務省", "情報流通行政局", "全3件"},
				[]string{"secret-of-c", "ORG-C", "デジタル庁", "stranger", "192.0.2.7", "clerk-c"}},
			{"mixed", mixed, "/audit-log", []int64{seq["a-odd"], seq["b-write"], seq["a-write"]}, nil,
				[]string{"secret-of-c", "stranger"}},
			{"aud-c", audC, "/audit-log", []int64{seq["c-export"]}, []string{"secret-of-c"},
				[]string{"systems/S001", "secret-of-a", "stranger", "総務省"}},
			{"aud-a", audA, "/audit-log?org=ORG-C", nil, []string{"全0件"}, []string{"secret-of-c", "デジタル庁"}},
			{"aud-a", audA, "/audit-log?q=secret-of-c", nil, []string{"全0件"}, []string{"clerk-c"}},
			{"aud-a", audA, "/audit-log?action=export", nil, []string{"全0件"}, []string{"secret-of-c"}},
			{"aud-a", audA, "/audit-log?actor=stranger", nil, []string{"全0件"}, []string{"192.0.2.7"}},
			{"aud-a", audA, "/audit-log?org=ORG-B", []int64{seq["b-write"]}, []string{"情報流通行政局"}, nil},
			{"central", central, "/audit-log?actor=stranger", []int64{seq["login"]}, []string{"192.0.2.7", "サインイン"}, nil},
			{"central", central, "/audit-log?org=ORG-C", []int64{seq["c-export"]}, []string{"デジタル庁"}, nil},
		} {
			rec := do(tc.h, "GET", tc.url, "", nil)
			body := rec.Body.String()
			if rec.Code != http.StatusOK {
				t.Errorf("%s GET %s = %d\n%s", tc.who, tc.url, rec.Code, body)
				continue
			}
			if got := auditLogSeqs(body); !slices.Equal(got, tc.want) {
				t.Errorf("%s GET %s: seqs %v, want %v", tc.who, tc.url, got, tc.want)
			}
			for _, x := range tc.has {
				if !strings.Contains(body, x) {
					t.Errorf("%s GET %s lacks %q", tc.who, tc.url, x)
				}
			}
			for _, x := range tc.hasNot {
				if strings.Contains(body, x) {
					t.Errorf("%s GET %s leaks %q", tc.who, tc.url, x)
				}
			}
		}
		// The whole-government auditor sees everything, the other
		// auditors' reviews included.
		rec := do(central, "GET", "/audit-log", "", nil)
		got := auditLogSeqs(rec.Body.String())
		for _, name := range []string{"a-write", "b-write", "c-export", "login", "a-odd"} {
			if !slices.Contains(got, seq[name]) {
				t.Errorf("central: %s (seq %d) missing from %v", name, seq[name], got)
			}
		}
		if !strings.Contains(rec.Body.String(), "aud-a") {
			t.Errorf("central does not see aud-a's reviews")
		}
		for _, u := range []struct {
			name string
			h    http.Handler
		}{{"viewer", viewer}} {
			for _, req := range []struct{ method, url string }{{"GET", "/audit-log"}, {"POST", "/audit-log/verify"}} {
				var form url.Values
				if req.method == "POST" {
					form = url.Values{}
				}
				if rec := do(u.h, req.method, req.url, "", form); rec.Code != http.StatusForbidden {
					t.Errorf("%s %s %s = %d, want 403", u.name, req.method, req.url, rec.Code)
				}
			}
		}
		// The menu shows the page to auditors only.
		if !strings.Contains(do(audA, "GET", "/systems", "", nil).Body.String(), `href="/audit-log"`) {
			t.Errorf("an auditor's menu lacks the audit log")
		}
		if strings.Contains(do(viewer, "GET", "/systems", "", nil).Body.String(), `href="/audit-log"`) {
			t.Errorf("a viewer's menu shows the audit log")
		}
	})
}

// TestAuditLogFilters: each filter, paging and bad parameters, for a
// government-wide auditor (filtered in SQL where it can be) and a
// ministry's (filtered by the page).
func TestAuditLogFilters(t *testing.T) {
	s := storetest.OpenSQLite(t)
	fixture(t, s)
	base := web.New(s, slog.New(slog.DiscardHandler), "test")
	central := auditLogUser(t, s, base, "central", "central_admin", "ORG-A", "ORG-C")
	audA := auditLogUser(t, s, base, "aud-a", "auditor", "ORG-A")
	seq := auditLogSeed(t, s)
	jst := time.FixedZone("JST", 9*60*60)
	today := time.Now().In(jst)
	day := func(d int) string { return today.AddDate(0, 0, d).Format(time.DateOnly) }

	for _, tc := range []struct {
		h    http.Handler
		who  string
		url  string
		want []int64
	}{
		{central, "central", "/audit-log?actor=clerk-a", []int64{seq["a-odd"], seq["a-write"]}},
		{central, "central", "/audit-log?action=export", []int64{seq["c-export"]}},
		{central, "central", "/audit-log?action=frobnicate", []int64{seq["a-odd"]}},
		{central, "central", "/audit-log?target=s00", []int64{seq["b-write"], seq["a-write"]}},
		{central, "central", "/audit-log?org=ORG-A", []int64{seq["a-odd"], seq["b-write"], seq["a-write"]}},
		{central, "central", "/audit-log?org=ORG-B", []int64{seq["b-write"]}},
		{central, "central", "/audit-log?q=SECRET-OF", []int64{seq["c-export"], seq["a-write"]}},
		{central, "central", "/audit-log?q=192.0.2", []int64{seq["login"]}},
		{central, "central", "/audit-log?actor=clerk-a&action=write", []int64{seq["a-write"]}},
		{central, "central", "/audit-log?actor=clerk&from=" + day(-1), nil}, // actor is exact
		{central, "central", "/audit-log?actor=clerk-a&from=" + day(0) + "&to=" + day(0), []int64{seq["a-odd"], seq["a-write"]}},
		{central, "central", "/audit-log?actor=clerk-a&from=" + day(1), nil},
		{central, "central", "/audit-log?actor=clerk-a&to=" + day(-1), nil},
		{audA, "aud-a", "/audit-log?target=S00", []int64{seq["b-write"], seq["a-write"]}},
		{audA, "aud-a", "/audit-log?actor=clerk-a&from=" + day(0), []int64{seq["a-odd"], seq["a-write"]}},
		{audA, "aud-a", "/audit-log?actor=clerk-a&from=" + day(1), nil},
		{audA, "aud-a", "/audit-log?q=tab", []int64{seq["a-odd"]}},
	} {
		rec := do(tc.h, "GET", tc.url, "", nil)
		if rec.Code != http.StatusOK {
			t.Errorf("%s GET %s = %d\n%s", tc.who, tc.url, rec.Code, rec.Body.String())
			continue
		}
		if got := auditLogSeqs(rec.Body.String()); !slices.Equal(got, tc.want) {
			t.Errorf("%s GET %s: seqs %v, want %v", tc.who, tc.url, got, tc.want)
		}
	}
	// An action outside the vocabulary shows as itself and stays selectable;
	// a known one shows its label.
	body := do(central, "GET", "/audit-log?action=frobnicate", "", nil).Body.String()
	if !strings.Contains(body, `<option value="frobnicate" selected>frobnicate</option>`) || !strings.Contains(body, `>frobnicate</a>`) {
		t.Errorf("an unknown action is not shown as itself:\n%s", body)
	}
	if !strings.Contains(do(central, "GET", "/audit-log?action=export", "", nil).Body.String(), ">データの持ち出し</a>") {
		t.Errorf("a known action is not labelled")
	}
	// The detail is one line: the tab of a-odd is a space.
	if !strings.Contains(body, "tab here") {
		t.Errorf("detail not flattened to one line")
	}
	// A detail recorded as JSON reads as fields and values in the page's
	// language, never as JSON.
	body = do(central, "GET", "/audit-log?action="+audit.Login, "", nil).Body.String()
	if !strings.Contains(body, "接続元IPアドレス：192.0.2.7") || strings.Contains(body, "{&#34;") {
		t.Errorf("the login's detail is not in words:\n%s", body)
	}
	body = do(central, "GET", "/audit-log?action="+audit.Login+"&lang=en", "", nil).Body.String()
	if !strings.Contains(body, "IP address: 192.0.2.7") {
		t.Errorf("the login's detail is not in English words:\n%s", body)
	}
	for _, bad := range []string{"/audit-log?from=2025-13-01", "/audit-log?to=yesterday", "/audit-log?page=0",
		"/audit-log?from=" + day(1) + "&to=" + day(0)} {
		if rec := do(central, "GET", bad, "", nil); rec.Code != http.StatusBadRequest {
			t.Errorf("GET %s = %d, want 400", bad, rec.Code)
		}
	}

	// Paging: 60 more entries of ORG-B, newest first, 50 a page, and the
	// links keep the filter.
	var more []int64
	for i := range 60 {
		e, err := audit.Record(t.Context(), s, "bulk", audit.Write, fmt.Sprintf("systems/B%02d", i), "ORG-B", "")
		if err != nil {
			t.Fatal(err)
		}
		more = append(more, e.Seq)
	}
	slices.Reverse(more)
	for _, u := range []struct {
		who string
		h   http.Handler
	}{{"central", central}, {"aud-a", audA}} {
		rec := do(u.h, "GET", "/audit-log?actor=bulk", "", nil)
		body := rec.Body.String()
		if got := auditLogSeqs(body); !slices.Equal(got, more[:50]) {
			t.Errorf("%s page 1 = %v, want %v", u.who, got, more[:50])
		}
		if !strings.Contains(body, `rel="next" href="/audit-log?actor=bulk&amp;page=2"`) || strings.Contains(body, `rel="prev"`) {
			t.Errorf("%s page 1: wrong pager\n%s", u.who, body)
		}
		if !strings.Contains(body, "全60件中 1〜50件目") {
			t.Errorf("%s page 1: wrong summary", u.who)
		}
		rec = do(u.h, "GET", "/audit-log?actor=bulk&page=2", "", nil)
		body = rec.Body.String()
		if got := auditLogSeqs(body); !slices.Equal(got, more[50:]) {
			t.Errorf("%s page 2 = %v, want %v", u.who, got, more[50:])
		}
		if !strings.Contains(body, `rel="prev" href="/audit-log?actor=bulk"`) || strings.Contains(body, `rel="next"`) {
			t.Errorf("%s page 2: wrong pager", u.who)
		}
	}
}

// reviews returns the review entries of actor, newest first.
func auditLogReviews(t *testing.T, s *store.Store, actor string) []store.AuditEntry {
	t.Helper()
	got, _, err := s.AuditEntries(t.Context(), store.AuditFilter{Actor: actor, Action: audit.Review})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// TestAuditLogReview: reading the log records a review with the filter,
// once per filter while the reader pages through it.
func TestAuditLogReview(t *testing.T) {
	s := storetest.OpenSQLite(t)
	fixture(t, s)
	base := web.New(s, slog.New(slog.DiscardHandler), "test")
	audA := auditLogUser(t, s, base, "aud-a", "auditor", "ORG-A")
	auditLogSeed(t, s)

	if got := auditLogReviews(t, s, "aud-a"); len(got) != 0 {
		t.Fatalf("reviews before reading: %v", got)
	}
	do(audA, "GET", "/audit-log", "", nil)
	got := auditLogReviews(t, s, "aud-a")
	if len(got) != 1 || got[0].Target != "audit_log" || got[0].OrgCode != "" ||
		got[0].Detail != `{"filter":{},"page":"audit-log","via":"web"}` {
		t.Fatalf("after one reading: %+v", got)
	}
	// The same filter again, another page of it, or another language: no new entry.
	do(audA, "GET", "/audit-log", "", nil)
	do(audA, "GET", "/audit-log?page=2", "", nil)
	do(audA, "GET", "/audit-log?lang=en", "", nil)
	if got := auditLogReviews(t, s, "aud-a"); len(got) != 1 {
		t.Errorf("paging recorded %d reviews, want 1", len(got))
	}
	// A new filter is a new review, and says what was looked at.
	do(audA, "GET", "/audit-log?actor=clerk-a&org=ORG-A&q=secret", "", nil)
	got = auditLogReviews(t, s, "aud-a")
	if len(got) != 2 || got[0].Detail != `{"filter":{"actor":"clerk-a","org":"ORG-A","q":"secret"},"page":"audit-log","via":"web"}` {
		t.Errorf("after a filtered reading: %+v", got)
	}
	// A refused reading is not a review.
	viewer := signIn(t, s, base, "viewer-a", "ORG-A")
	do(viewer, "GET", "/audit-log", "", nil)
	if got := auditLogReviews(t, s, "viewer-a"); len(got) != 0 {
		t.Errorf("a refused reading was recorded: %+v", got)
	}
}

// TestAuditLogVerify: the chain check reports an intact chain, then the
// first broken seq once a row is edited behind mamori's back; both checks
// are recorded.
func TestAuditLogVerify(t *testing.T) {
	eachAuditLogDB(t, func(t *testing.T, db auditLogDB) {
		s := db.st
		base := web.New(s, slog.New(slog.DiscardHandler), "test")
		central := auditLogUser(t, s, base, "central", "central_admin", "ORG-A", "ORG-C")
		audA := auditLogUser(t, s, base, "aud-a", "auditor", "ORG-A")
		seq := auditLogSeed(t, s)

		rec := do(central, "POST", "/audit-log/verify", "", url.Values{})
		body := rec.Body.String()
		if rec.Code != http.StatusOK || !strings.Contains(body, "監査証跡は完全です") || !strings.Contains(body, "記録5件") {
			t.Fatalf("verify intact = %d\n%s", rec.Code, body)
		}
		last, _, err := s.AuditEntries(t.Context(), store.AuditFilter{Limit: 1})
		if err != nil {
			t.Fatal(err)
		}
		if len(last) != 1 || !strings.Contains(last[0].Detail, `"intact":true`) || last[0].Actor != "central" || last[0].Action != audit.Review {
			t.Fatalf("verify not recorded: %+v", last)
		}
		// A ministry's auditor learns whether the chain holds, not its length.
		rec = do(audA, "POST", "/audit-log/verify", "", url.Values{})
		if body := rec.Body.String(); rec.Code != http.StatusOK || !strings.Contains(body, "監査証跡は完全です") || strings.Contains(body, "最後の記録のハッシュ") {
			t.Errorf("aud-a verify = %d\n%s", rec.Code, body)
		}

		db.tamper(t, fmt.Sprintf("UPDATE audit_log SET detail = '{}' WHERE seq = %d", seq["b-write"]))
		rec = do(central, "POST", "/audit-log/verify", "", url.Values{})
		body = rec.Body.String()
		want := fmt.Sprintf("連番 %d の記録の内容がハッシュと一致しません", seq["b-write"])
		if rec.Code != http.StatusOK || !strings.Contains(body, want) || strings.Contains(body, "監査証跡は完全です") {
			t.Errorf("verify after tampering = %d, want %q\n%s", rec.Code, want, body)
		}
		// tamper dropped the append-only triggers: the page names them.
		trigger := "audit_log_no_update"
		if db.dialect == "postgres" {
			trigger = "audit_log_no_change"
		}
		if !strings.Contains(body, trigger) {
			t.Errorf("verify after dropping the triggers does not name %s\n%s", trigger, body)
		}
		last, _, err = s.AuditEntries(t.Context(), store.AuditFilter{Limit: 1})
		if err != nil {
			t.Fatal(err)
		}
		if len(last) != 1 || !strings.Contains(last[0].Detail, `"intact":false`) ||
			!strings.Contains(last[0].Detail, fmt.Sprintf(`"first_bad":%d`, seq["b-write"])) || !strings.Contains(last[0].Detail, `"reason":"tampered"`) {
			t.Errorf("failed verify not recorded: %+v", last)
		}
		rec = do(central, "POST", "/audit-log/verify?lang=en", "", url.Values{})
		if want := fmt.Sprintf("The content of seq %d does not match its hash", seq["b-write"]); !strings.Contains(rec.Body.String(), want) {
			t.Errorf("English verify lacks %q\n%s", want, rec.Body.String())
		}
		db.tamper(t, fmt.Sprintf("DELETE FROM audit_log WHERE seq = %d", seq["a-write"]))
		rec = do(central, "POST", "/audit-log/verify", "", url.Values{})
		if want := fmt.Sprintf("連番 %d の記録がありません", seq["a-write"]); !strings.Contains(rec.Body.String(), want) {
			t.Errorf("verify after deleting lacks %q\n%s", want, rec.Body.String())
		}
		// The page still lists a log whose chain is broken.
		if rec := do(central, "GET", "/audit-log", "", nil); rec.Code != http.StatusOK {
			t.Errorf("list after tampering = %d", rec.Code)
		}
	})
}

// TestAuditLogEnglish: ?lang=en shows the page in English.
func TestAuditLogEnglish(t *testing.T) {
	s := storetest.OpenSQLite(t)
	fixture(t, s)
	base := web.New(s, slog.New(slog.DiscardHandler), "test")
	central := auditLogUser(t, s, base, "central", "central_admin", "ORG-A", "ORG-C")
	auditLogSeed(t, s)
	rec := do(central, "GET", "/audit-log?lang=en", "", nil)
	body := rec.Body.String()
	if rec.Code != http.StatusOK {
		t.Fatalf("GET ?lang=en = %d\n%s", rec.Code, body)
	}
	for _, want := range []string{`<html lang="en">`, "<h1>Audit log</h1>", "Entries 1–5 of 5", ">Sign-in</a>", ">Export</a>",
		"Verify the hash chain", "Search all columns"} {
		if !strings.Contains(body, want) {
			t.Errorf("English page lacks %q", want)
		}
	}
	for _, ja := range []string{"監査証跡", "操作者", "サインイン</a>", "件"} {
		if strings.Contains(body, ja) {
			t.Errorf("English page holds %q", ja)
		}
	}
	// Dates in both calendars, the era in English.
	if !regexp.MustCompile(`\d{4}-\d{2}-\d{2} \(Reiwa \d+\)<br>\d{2}:\d{2}:\d{2}`).MatchString(body) {
		t.Errorf("English page lacks a dated time\n%s", body)
	}
	ja := do(central, "GET", "/audit-log", "", nil).Body.String()
	// Every action of the select has its label in both languages: a
	// missing message would show as its ID.
	for _, page := range []string{body, ja} {
		if strings.Contains(page, "auditlog.") {
			t.Errorf("a message ID shows on the page:\n%s", page)
		}
	}
	for _, label := range []string{">Failed sign-in<", ">Sign-out<", ">Change<", ">Import<", ">Audit log review<"} {
		if !strings.Contains(body, label) {
			t.Errorf("English page lacks the action label %q", label)
		}
	}
	if !regexp.MustCompile(`令和\d+年\d+月\d+日（\d{4}-\d{2}-\d{2}）<br>\d{2}:\d{2}:\d{2}`).MatchString(ja) {
		t.Errorf("Japanese page lacks a dated time")
	}
	// Each row shows its seq and the start of its hash.
	entries, _, err := s.AuditEntries(t.Context(), store.AuditFilter{Limit: 1, Offset: 1})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(ja, ">"+entries[0].Hash[:12]+"<") {
		t.Errorf("hash prefix %s not shown", entries[0].Hash[:12])
	}
}
