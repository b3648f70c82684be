package web_test

import (
	"log/slog"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"mamori/internal/audit"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
	"mamori/internal/web"
)

// TestAuditLogIsNoExistenceOracle: an import that refers to another
// ministry's record is refused exactly like one that refers to no record
// (issue 12, item 2), but its audit entry is filed under the other
// ministry's organization too, and the importer's own auditor sees the
// difference on /audit-log: depending on the other organizations the
// import touched, the entry naming the other ministry's record is missing
// from the page (filed under that ministry alone), or its organization
// cell shows a code where the other shows name and code. An officer
// and an auditor of ORG-A (or one account holding both roles) can so
// learn which of ORG-C's sequential codes exist. Found while attacking
// issue 12.
func TestAuditLogIsNoExistenceOracle(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		fixture(t, s)
		base := web.New(s, slog.New(slog.DiscardHandler), "test")
		officer := importSession(t, s, base, "officer", "system_officer@ORG-A")
		for _, code := range []string{"S003", "S999"} { // ORG-C's system; no system
			rec := upload(t, officer, "/import", "components.csv", []byte("code,system_code,kind\nKX,"+code+",server\n"))
			if rec.Code != 422 {
				t.Fatalf("upload referring to %s = %d, want 422", code, rec.Code)
			}
		}
		ref := auditOf(t, s, "officer", audit.ImportRefused) // newest first
		if len(ref) != 2 {
			t.Fatalf("refused imports %+v, want 2", ref)
		}
		if strings.Join(ref[0].Orgs, ",") != strings.Join(ref[1].Orgs, ",") {
			t.Errorf("the refusal naming ORG-C's system is filed under %v, the one naming no system under %v", ref[1].Orgs, ref[0].Orgs)
		}
		auditor := importSession(t, s, base, "auditor", "auditor@ORG-A")
		rec := do(auditor, "GET", "/audit-log?action=import_refused", "", nil)
		if rec.Code != 200 {
			t.Fatalf("/audit-log = %d", rec.Code)
		}
		cells := map[string]string{}
		row := regexp.MustCompile(`(?s)<tr>\s*<td class="num">(\d+)</td>.*?</tr>`)
		for _, m := range row.FindAllStringSubmatch(rec.Body.String(), -1) {
			tds := regexp.MustCompile(`(?s)<td[^>]*>(.*?)</td>`).FindAllStringSubmatch(m[0], -1)
			if len(tds) >= 6 {
				cells[m[1]] = tds[5][1] // the organization column
			}
		}
		a, b := cells[strconv.FormatInt(ref[1].Seq, 10)], cells[strconv.FormatInt(ref[0].Seq, 10)]
		if (a == "") != (b == "") {
			t.Errorf("ORG-A's auditor sees the refusal naming ORG-C's system: %v, the one naming no system: %v (organization cells by seq: %v)", a != "", b != "", cells)
		} else if a != b {
			t.Errorf("ORG-A's auditor sees the organization cell %q for the refusal naming ORG-C's system and %q for the one naming no system", a, b)
		}
	})
}
