package web_test

import (
	"log/slog"
	"slices"
	"strings"
	"testing"

	"mamori/internal/audit"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
	"mamori/internal/web"
)

// seqsFiledUnder returns the seqs of the entries of action an auditor of
// orgs finds (the audit page's filter), newest first.
func seqsFiledUnder(t *testing.T, s *store.Store, action string, orgs ...string) []int64 {
	t.Helper()
	es, _, err := s.AuditEntries(t.Context(), store.AuditFilter{Action: action, OrgIn: orgs})
	if err != nil {
		t.Fatal(err)
	}
	var out []int64
	for _, e := range es {
		out = append(out, e.Seq)
	}
	return out
}

// TestAuditFiledWhereTouched: each entry is filed under every organization
// it touches, so each one's auditor finds it. ORG-B is ORG-A's bureau;
// ORG-C another ministry.
func TestAuditFiledWhereTouched(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		fixture(t, s)
		base := web.New(s, slog.New(slog.DiscardHandler), "test")

		// A system officer of ORG-B and of ORG-C imports into ORG-C only.
		dual := importSession(t, s, base, "dual", "system_officer@ORG-B", "system_officer@ORG-C")
		rec := upload(t, dual, "/import", "c.xlsx", workbook(t, [][]string{{"情報システム"}, systemHeader,
			{"S950", "ORG-C", "庁のシステム", "はい", "情報システム", "稼働中", ""}}))
		if rec.Code != 200 {
			t.Fatalf("upload = %d\n%s", rec.Code, clipBody(rec.Body.String()))
		}
		imp := auditOf(t, s, "dual", audit.Import)
		if len(imp) != 1 || !slices.Equal(imp[0].Orgs, []string{"ORG-C"}) {
			t.Fatalf("import entries %+v, want one filed under ORG-C", imp)
		}
		if got := seqsFiledUnder(t, s, audit.Import, "ORG-C"); !slices.Equal(got, []int64{imp[0].Seq}) {
			t.Errorf("ORG-C's auditor finds imports %v, want %d", got, imp[0].Seq)
		}
		if got := seqsFiledUnder(t, s, audit.Import, "ORG-A", "ORG-B"); len(got) != 0 {
			t.Errorf("ORG-A's auditor finds imports %v of an import into ORG-C only", got)
		}

		// A refused import is recorded with why. This one fails on a value,
		// before any organization is looked at: it is filed under the
		// importer's own organizations.
		rec = upload(t, dual, "/import", "bad.xlsx", workbook(t, [][]string{{"情報システム"}, systemHeader,
			{"S951", "ORG-C", "日付違い", "はい", "情報システム", "稼働中", "2024-13-45"}}))
		if rec.Code != 422 {
			t.Fatalf("bad upload = %d, want 422", rec.Code)
		}
		ref := auditOf(t, s, "dual", audit.ImportRefused)
		if len(ref) != 1 || !slices.Equal(ref[0].Orgs, []string{"ORG-B", "ORG-C"}) || !strings.Contains(ref[0].Detail, `"problems":1`) ||
			!strings.Contains(ref[0].Detail, "2024-13-45") || !strings.Contains(ref[0].Detail, "bad.xlsx") {
			t.Errorf("refused import entries %+v, want one under ORG-B and ORG-C naming the file and the problem", ref)
		}

		// Refused before the import reads it (a file of another kind, an
		// empty file): recorded with why, under the importer's own.
		for _, tc := range []struct{ file, body, reason string }{
			{"notes.txt", "hello", "not .xlsx, .csv or .json"},
			{"empty.csv", "", "empty file"},
		} {
			if rec := upload(t, dual, "/import", tc.file, []byte(tc.body)); rec.Code != 400 {
				t.Fatalf("upload %s = %d, want 400", tc.file, rec.Code)
			}
			ref = auditOf(t, s, "dual", audit.ImportRefused)
			last := ref[0] // newest first
			if last.Target != "register/"+tc.file || !strings.Contains(last.Detail, tc.reason) ||
				!slices.Equal(last.Orgs, []string{"ORG-B", "ORG-C"}) {
				t.Errorf("refusal of %s recorded as %+v, want it under ORG-B and ORG-C saying %q", tc.file, last, tc.reason)
			}
		}

		// A viewer of ORG-A (and so its bureau) exports without a filter:
		// ORG-A's auditor finds it; the other ministry's does not, nor does
		// the bureau's, who is not to learn what ministry-level accounts do.
		va := signIn(t, s, base, "viewer-a", "ORG-A")
		if rec := do(va, "GET", "/systems.csv", "", nil); rec.Code != 200 {
			t.Fatalf("GET /systems.csv = %d", rec.Code)
		}
		exp := auditOf(t, s, "viewer-a", audit.Export)
		if len(exp) != 1 || !slices.Equal(exp[0].Orgs, []string{"ORG-A"}) {
			t.Fatalf("export entries %+v, want one filed under ORG-A", exp)
		}
		if got := seqsFiledUnder(t, s, audit.Export, "ORG-A", "ORG-B"); !slices.Contains(got, exp[0].Seq) {
			t.Errorf("ORG-A's auditor finds exports %v, not %d", got, exp[0].Seq)
		}
		for _, o := range []string{"ORG-B", "ORG-C"} {
			if got := seqsFiledUnder(t, s, audit.Export, o); slices.Contains(got, exp[0].Seq) {
				t.Errorf("%s's auditor finds ORG-A's export %d", o, exp[0].Seq)
			}
		}

		// A user who sees the whole government: filed under every organization.
		all := signIn(t, s, base, "viewer-all", "ORG-A", "ORG-C")
		if rec := do(all, "GET", "/systems.csv", "", nil); rec.Code != 200 {
			t.Fatalf("GET /systems.csv (whole) = %d", rec.Code)
		}
		// The report page is read inside the site; its downloads leave it.
		for _, path := range []string{"/report", "/report.html", "/report.md"} {
			if rec := do(all, "GET", path, "", nil); rec.Code != 200 {
				t.Fatalf("GET %s = %d", path, rec.Code)
			}
		}
		whole := auditOf(t, s, "viewer-all", audit.Export)
		if len(whole) != 3 || whole[0].Target != "report" || !strings.Contains(whole[0].Detail, `"md"`) ||
			whole[1].Target != "report" || !strings.Contains(whole[1].Detail, `"html"`) || whole[2].Target != "systems.csv" {
			t.Fatalf("whole-government exports %+v, want the CSV and the report's two downloads", whole)
		}
		for _, e := range whole {
			if got := seqsFiledUnder(t, s, audit.Export, "ORG-C"); !slices.Contains(got, e.Seq) {
				t.Errorf("ORG-C's auditor does not find the whole-government export %s (seq %d): %v", e.Target, e.Seq, got)
			}
		}
		if res, err := audit.Verify(t.Context(), s); err != nil || !res.Intact() {
			t.Errorf("Verify = %+v, %v", res, err)
		}
	})
}
