package web_test

import (
	"log/slog"
	"maps"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"mamori"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
	"mamori/internal/web"
)

// TestImportCannotCutOrganizationTree is issue 12, item 1, as reported: the
// security administrator of a ministry imports the ministry as a child of
// its own bureau. The import is refused and writes nothing; afterwards the
// whole-government administrator still sees the ministry and /report still
// answers. The whole-government administrator's own attempt closes a cycle
// and is refused as well.
func TestImportCannotCutOrganizationTree(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		err := s.Load(t.Context(), store.LoadOptions{}, func(l *store.Loader) error {
			return l.Put(mamori.EntityByName("organizations"), []mamori.Record{
				rec("organizations", map[string]any{"code": "GOV", "kind": "government", "name": "政府"}),
				rec("organizations", map[string]any{"code": "MIN", "parent_code": "GOV", "kind": "ministry", "name": "甲省"}),
				rec("organizations", map[string]any{"code": "MIN-B", "parent_code": "MIN", "kind": "central", "name": "甲省第一局"}),
				rec("organizations", map[string]any{"code": "OTHER", "parent_code": "GOV", "kind": "ministry", "name": "乙省"}),
			})
		})
		if err != nil {
			t.Fatal(err)
		}
		// A census, so that /report has something to show.
		at := time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
		if err := s.SaveAssessment(t.Context(), store.Assessment{ID: "A1", StartedAt: at, FinishedAt: at, ReferenceDate: "2025-03-01",
			Catalogs: "{}", Params: "{}", Scope: `{"org":"","system":""}`}, nil, nil, store.FindingScope{}, nil); err != nil {
			t.Fatal(err)
		}
		h := web.New(s, slog.New(slog.DiscardHandler), "test")
		sec := importSession(t, s, h, "min-sec", "org_security@MIN")
		gov := importSession(t, s, h, "gov-admin", "central_admin@GOV")
		before := storetest.Snapshot(t, s)
		cut := []byte("code,parent_code,kind,name\nMIN,MIN-B,ministry,甲省\n")
		for _, tc := range []struct {
			who  string
			h    http.Handler
			want []string
		}{
			{"ministry administrator", sec, []string{"組織「MIN」は取込み権限の範囲の最上位のため、上位組織を変更できません"}},
			{"whole-government administrator", gov, []string{"MIN → MIN-B → MIN", "循環"}},
		} {
			rec := upload(t, tc.h, "/import", "organizations.csv", cut)
			body := rec.Body.String()
			if rec.Code != http.StatusUnprocessableEntity {
				t.Fatalf("%s: upload = %d, want 422\n%s", tc.who, rec.Code, clipBody(body))
			}
			rows := problemRows(t, body)
			if len(rows) != 1 {
				t.Fatalf("%s: problems %q, want one", tc.who, rows)
			}
			for _, w := range tc.want {
				if !strings.Contains(rows[0], w) {
					t.Errorf("%s: problem %q lacks %q", tc.who, rows[0], w)
				}
			}
			if after := storetest.Snapshot(t, s); !maps.EqualFunc(before, after, slices.Equal) {
				t.Errorf("%s: a refused import changed the store", tc.who)
			}
		}
		for _, target := range []string{"/admin/organizations?root=MIN", "/report"} {
			if rec := do(gov, "GET", target, "", nil); rec.Code != http.StatusOK {
				t.Errorf("whole-government administrator: GET %s = %d, want 200\n%s", target, rec.Code, clipBody(rec.Body.String()))
			}
		}
	})
}
