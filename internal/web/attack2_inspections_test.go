package web_test

import (
	"fmt"
	"log/slog"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"mamori"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
	"mamori/internal/web"
	"mamori/internal/workflow"
)

// TestAttack2LongAnswersSaved: the questionnaire is one form with every
// question, and each answer may carry a note of workflow.MaxDetail
// characters, so a form the service accepts is far larger than the 64 KiB
// every other form is bounded by. Before, six full notes in Japanese
// (about 110 KB encoded) were cut off unread and the save refused as a
// form without a version; the bound now follows the round's questions.
// A body beyond even that, or a large one from anyone but the inspector,
// is refused as too large, and nothing is saved.
func TestAttack2LongAnswersSaved(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		treeFixture(t, s)
		importSelfInspection(t, s)
		ctx := t.Context()
		err := s.Load(ctx, store.LoadOptions{}, func(l *store.Loader) error {
			if err := l.Put(mamori.EntityByName("projects"), []mamori.Record{rec("projects", map[string]any{"code": "PJ-MA", "org_code": "MA-1", "name": "甲省共通基盤"})}); err != nil {
				return err
			}
			return l.Put(mamori.EntityByName("project_reviews"), []mamori.Record{rec("project_reviews", map[string]any{"project_code": "PJ-MA", "stage": "requirements"})})
		})
		if err != nil {
			t.Fatal(err)
		}
		h := web.New(s, slog.New(slog.DiscardHandler), "test")
		pjmo := grantedSession(t, s, "pjmo", "system_officer@MA-1")
		r := do(h, "POST", "/inspections", pjmo, url.Values{"scope": {"stage"}, "project": {"PJ-MA"}, "stage": {"requirements"}})
		wantCode(t, r, 303, "open")
		page := strings.TrimSuffix(r.Header().Get("Location"), "?done=created")
		id, _ := strconv.ParseInt(strings.TrimPrefix(page, "/inspections/"), 10, 64)

		note := strings.Repeat("記", workflow.MaxDetail)
		form := url.Values{"version": {"1"}}
		for n := 1; n <= 6; n++ {
			form.Set(fmt.Sprintf("answer-%d", n), "yes")
			form.Set(fmt.Sprintf("note-%d", n), note)
		}
		if len(form.Encode()) <= 64<<10 {
			t.Fatalf("the form is only %d bytes", len(form.Encode()))
		}
		r = do(h, "POST", page+"/answers", pjmo, form)
		wantCode(t, r, 303, "six answers with full notes")
		got, err := s.InspectionAnswers(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range got {
			if a.Answer != "yes" || a.Note != note {
				t.Errorf("answer %s: %q with a note of %d characters", a.ControlID, a.Answer, len([]rune(a.Note)))
			}
		}

		// Only the inspector gets the larger bound: anyone else's large form
		// is refused unread.
		pmo := grantedSession(t, s, "pmo", "org_security@MA")
		wantCode(t, do(h, "POST", page+"/answers", pmo, form), 413, "the PMO's large answers form")

		// Far beyond what six questions can hold: refused, nothing saved.
		form.Set("version", strconv.FormatInt(mustItem(t, s, id).Version, 10))
		form.Set("answer-1", "no")
		form.Set("padding", strings.Repeat("x", 4<<20))
		r = do(h, "POST", page+"/answers", pjmo, form)
		wantCode(t, r, 413, "an oversized form")
		if got, _ := s.InspectionAnswers(ctx, id); got[0].Answer != "yes" {
			t.Errorf("an oversized form saved %+v", got[0])
		}
	})
}
