package web_test

import (
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"

	"mamori/internal/catalog"
	"mamori/internal/check"
	"mamori/internal/register"
	"mamori/internal/replay"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
	"mamori/internal/web"
)

// TestProjectPages: the secure zone of seed 000, imported and checked, on
// the project pages in both languages: the list within the viewer's scope,
// and the project's budget carried over, the lease's share paid after the
// retirement, the unfollowed condition, the usage chart as SVG and the GOV
// findings with their amounts; another ministry's viewer gets a 404.
func TestProjectPages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		if _, err := register.Import(ctx, s, []register.Input{{Name: "seed000.json", Data: replay.Seed000().Bundle}}); err != nil {
			t.Fatal(err)
		}
		cats, err := catalog.Builtin()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := check.Run(ctx, s, cats, check.Options{Today: "2019-09-30"}); err != nil {
			t.Fatal(err)
		}
		h := web.New(s, slog.New(slog.DiscardHandler), "test")
		mic := withSession(h, grantedSession(t, s, "mic", "viewer@MIC"))
		maff := withSession(h, grantedSession(t, s, "maff", "viewer@MAFF"))
		do := func(who string, path string) (int, string) {
			rec := httptest.NewRecorder()
			req := httptest.NewRequest("GET", path, nil)
			if who == "mic" {
				mic.ServeHTTP(rec, req)
			} else {
				maff.ServeHTTP(rec, req)
			}
			return rec.Code, rec.Body.String()
		}
		code, body := do("mic", "/projects")
		for _, want := range []string{"PJ-SZ", "PJ-GCPF", "18億8709万円", "計画書なし"} {
			if code != 200 || !strings.Contains(body, want) {
				t.Errorf("/projects = %d, lacks %q", code, want)
			}
		}
		code, body = do("mic", "/projects/PJ-SZ")
		for _, want := range []string{"<svg", "2019-03", "K-LEASE", "3億5948万円", "2億2222万5000円", "廃止（", "平成27年度", "へ5億5495万5000円",
			"情報をPCへダウンロードできること", "GOV-09", "GOV-04", "未確認", `class="legend">利用組織数<`} {
			if code != 200 || !strings.Contains(body, want) {
				t.Errorf("/projects/PJ-SZ = %d, lacks %q", code, want)
			}
		}
		if code, body = do("mic", "/projects/PJ-SZ?lang=en"); code != 200 || !strings.Contains(body, "Organizations using") || !strings.Contains(body, "paid after retirement") {
			t.Errorf("/projects/PJ-SZ?lang=en = %d:\n%s", code, body)
		}
		if code, body = do("maff", "/projects/PJ-SZ"); code != 404 || strings.Contains(body, "セキュアゾーン") {
			t.Errorf("MAFF's viewer on MIC's project = %d", code)
		}
		if code, body = do("maff", "/projects"); code != 200 || strings.Contains(body, "PJ-SZ") {
			t.Errorf("MAFF's viewer's /projects = %d, shows PJ-SZ", code)
		}
	})
}

// TestProjectListCountsThePageFindings: the findings column of /projects
// (and of `project list` and the API) counts exactly the GOV findings the
// project's page lists, the lease's findings included for the secure zone
// whose system the lease apportions a share to, though the lease is the
// platform's contract.
func TestProjectListCountsThePageFindings(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		if _, err := register.Import(ctx, s, []register.Input{{Name: "seed000.json", Data: replay.Seed000().Bundle}}); err != nil {
			t.Fatal(err)
		}
		cats, err := catalog.Builtin()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := check.Run(ctx, s, cats, check.Options{Today: "2019-09-30"}); err != nil {
			t.Fatal(err)
		}
		ps, err := s.Projects(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		lease := false
		for _, p := range ps {
			d, found, err := s.Project(ctx, p.Code)
			if err != nil || !found {
				t.Fatalf("project %s: %v, found %v", p.Code, err, found)
			}
			if p.OpenFindings != len(d.Findings) {
				t.Errorf("project %s: the list counts %d GOV findings, its page lists %d: %+v", p.Code, p.OpenFindings, len(d.Findings), d.Findings)
			}
			for _, f := range d.Findings {
				if p.Code == "PJ-SZ" && f.TargetCode == "K-LEASE" {
					lease = true
				}
			}
		}
		if !lease {
			t.Error("the secure zone's page lists none of the lease's findings")
		}
	})
}
