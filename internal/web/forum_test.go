package web_test

import (
	"log/slog"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"mamori"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
	"mamori/internal/web"
)

// TestForumPages: a question asked on the form is answered from another
// prefecture, accepted by its asker, found by three characters, and an
// answer is hidden by the central administrator only; a refused post
// keeps what was typed and names the field.
func TestForumPages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		err := s.Load(t.Context(), store.LoadOptions{}, func(l *store.Loader) error {
			return l.Put(mamori.EntityByName("organizations"), []mamori.Record{
				rec("organizations", map[string]any{"code": "G", "kind": "government", "name": "政府"}),
				rec("organizations", map[string]any{"code": "P1", "parent_code": "G", "kind": "prefecture", "name": "甲県"}),
				rec("organizations", map[string]any{"code": "P2", "parent_code": "G", "kind": "prefecture", "name": "乙県"})})
		})
		if err != nil {
			t.Fatal(err)
		}
		h := web.New(s, slog.New(slog.DiscardHandler), "test")
		asker := grantedSession(t, s, "asker", "system_officer@P1")
		other := grantedSession(t, s, "other", "system_officer@P2")
		admin := grantedSession(t, s, "centre", "central_admin@G")
		r := do(h, "POST", "/forum/new", asker, url.Values{"kind": {"question"}, "title": {"二要素認証"}, "body": {"本文\x1b"}, "controls": {"LG-01"}})
		if r.Code != 422 || !strings.Contains(r.Body.String(), "本文") || !strings.Contains(r.Body.String(), "二要素認証") {
			t.Fatalf("refused post = %d\n%s", r.Code, r.Body)
		}
		r = do(h, "POST", "/forum/new", asker, url.Values{"kind": {"question"}, "title": {"二要素認証の予備パスワード"},
			"body": {"予備パスワードを事前に設定してよいですか。"}, "controls": {"LG-01"}})
		if r.Code != 303 {
			t.Fatalf("post = %d\n%s", r.Code, r.Body)
		}
		thread := strings.Split(r.Header().Get("Location"), "?")[0]
		if r = do(h, "POST", thread+"/posts", other, url.Values{"body": {"避けてください。"}}); r.Code != 303 {
			t.Fatalf("answer = %d\n%s", r.Code, r.Body)
		}
		ts, _, err := s.ForumThreads(t.Context(), store.ForumAudience{All: true}, store.ForumFilter{})
		if err != nil || len(ts) != 1 {
			t.Fatal(ts, err)
		}
		_, posts, _ := s.ForumThread(t.Context(), store.ForumAudience{All: true}, ts[0].ID)
		answer := url.Values{"post": {strconv.FormatInt(posts[1].ID, 10)}, "reason": {"氏名を含むため"}}
		if r = do(h, "POST", thread+"/accept", other, answer); r.Code != 403 {
			t.Errorf("accept by the answerer = %d", r.Code)
		}
		if r = do(h, "POST", thread+"/accept", asker, answer); r.Code != 303 {
			t.Errorf("accept = %d\n%s", r.Code, r.Body)
		}
		if r = do(h, "GET", "/forum/search?q="+url.QueryEscape("予備パ"), other, nil); r.Code != 200 || !strings.Contains(r.Body.String(), thread) {
			t.Errorf("search = %d\n%s", r.Code, r.Body)
		}
		if r = do(h, "POST", thread+"/hide", asker, answer); r.Code != 403 {
			t.Errorf("hide by the asker = %d", r.Code)
		}
		if r = do(h, "POST", thread+"/hide", admin, answer); r.Code != 303 || !strings.HasPrefix(r.Header().Get("Location"), thread) {
			t.Errorf("hide = %d %s", r.Code, r.Header().Get("Location"))
		}
		if r = do(h, "GET", thread, other, nil); r.Code != 200 || strings.Contains(r.Body.String(), "避けてください") {
			t.Errorf("the hidden answer shows: %d", r.Code)
		}
		if r = do(h, "GET", "/findings", asker, nil); r.Code != 200 {
			t.Errorf("findings = %d", r.Code)
		}
	})
}

// TestForumDatesInJapan: a post written at 00:30 on 1 December in Japan
// (15:30 UTC the day before) is dated 1 December on the thread and in the
// list, as its readers lived it.
func TestForumDatesInJapan(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		err := s.Load(t.Context(), store.LoadOptions{}, func(l *store.Loader) error {
			return l.Put(mamori.EntityByName("organizations"), []mamori.Record{
				rec("organizations", map[string]any{"code": "G", "kind": "government", "name": "政府"}),
				rec("organizations", map[string]any{"code": "P1", "parent_code": "G", "kind": "prefecture", "name": "甲県"})})
		})
		if err != nil {
			t.Fatal(err)
		}
		id, err := s.CreateForumThread(t.Context(), store.NewForumThread{Kind: "question", Title: "深夜の質問", Body: "本文", SearchText: "本文",
			Author: "asker", AuthorOrg: "P1", At: time.Date(2026, 11, 30, 15, 30, 0, 0, time.UTC)})
		if err != nil {
			t.Fatal(err)
		}
		h := web.New(s, slog.New(slog.DiscardHandler), "test")
		asker := grantedSession(t, s, "asker", "system_officer@P1")
		for _, path := range []string{"/forum/" + strconv.FormatInt(id, 10), "/forum"} {
			r := do(h, "GET", path, asker, nil)
			if body := r.Body.String(); r.Code != 200 || !strings.Contains(body, "2026-12-01") || strings.Contains(body, "2026-11-30") {
				t.Errorf("%s = %d, not dated 2026-12-01:\n%s", path, r.Code, body)
			}
		}
	})
}
