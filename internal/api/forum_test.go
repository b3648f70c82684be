package api_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"mamori/internal/api"
	"mamori/internal/auth"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// TestAttackForumLimitedThread: ministry A's notice limited to A's tree is
// read, answered and found by A's users; ministry B's user gets 404 for it
// exactly as for an id that does not exist, on every route, and finds
// nothing of it in lists and searches. Every response matches openapi.yaml.
func TestAttackForumLimitedThread(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		fixture(t, st)
		h := api.New(st, nil)
		router := validator(t)
		tok := map[string]string{}
		for _, u := range []string{"alice", "bob"} {
			s, err := auth.IssueToken(t.Context(), st, u, "forum", []string{auth.ScopeRead, auth.ScopeWrite}, time.Hour)
			if err != nil {
				t.Fatal(err)
			}
			tok[u] = s
		}
		rec := send(t, h, router, tok["alice"], "POST", "/api/v1/forum/threads",
			`{"kind":"notice","title":"甲省内限定：不審メールの注意喚起","body":"請求書を装う添付ファイル付きメールが届いています。","limit_org":"MIN-A","controls":["REG-03"]}`, nil)
		if rec.Code != 201 {
			t.Fatalf("open = %d %s", rec.Code, rec.Body)
		}
		var th api.ForumThreadDetail
		if err := json.Unmarshal(rec.Body.Bytes(), &th); err != nil || th.ID == 0 || th.LimitOrg != "MIN-A" || th.AuthorOrg != "MIN-A" {
			t.Fatalf("opened %+v, %v", th, err)
		}
		id := strings.TrimPrefix(th.URL, "/api/v1/forum/threads/")
		if rec := send(t, h, router, tok["alice"], "POST", "/api/v1/forum/threads/"+id+"/posts", `{"body":"甲省本省でも確認しました。"}`, nil); rec.Code != 201 {
			t.Fatalf("answer = %d %s", rec.Code, rec.Body)
		}
		if rec := send(t, h, router, tok["alice"], "GET", "/api/v1/forum/search?q="+"%E6%B7%BB%E4%BB%98%E3%83%95", "", nil); rec.Code != 200 || !strings.Contains(rec.Body.String(), `"total": 1`) {
			t.Errorf("alice's search = %d %s", rec.Code, rec.Body)
		}
		// Ministry B: the thread and a missing one answer alike.
		for _, path := range []string{"/api/v1/forum/threads/" + id, "/api/v1/forum/threads/99999"} {
			got := send(t, h, router, tok["bob"], "GET", path, "", nil)
			post := send(t, h, router, tok["bob"], "POST", path+"/posts", `{"body":"横から回答"}`, nil)
			if got.Code != 404 || post.Code != 404 {
				t.Errorf("bob %s: GET %d, POST %d; want 404", path, got.Code, post.Code)
			}
			for _, b := range []string{got.Body.String(), post.Body.String()} {
				if strings.Contains(b, "甲省") || strings.Contains(b, "不審") || strings.Contains(b, "MIN-A") {
					t.Errorf("bob's 404 tells the thread: %s", b)
				}
			}
		}
		for _, path := range []string{"/api/v1/forum/threads", "/api/v1/forum/threads?control=REG-03", "/api/v1/forum/threads?kind=notice",
			"/api/v1/forum/search?q=%E4%B8%8D%E5%AF%A9", "/api/v1/forum/search?q=%E7%94%B2"} {
			rec := send(t, h, router, tok["bob"], "GET", path, "", nil)
			if rec.Code != 200 || !strings.Contains(rec.Body.String(), `"total": 0`) || strings.Contains(rec.Body.String(), "甲省内") {
				t.Errorf("bob %s = %d %s", path, rec.Code, rec.Body)
			}
		}
		// Bob's post wrote nothing; a read-only token may not post at all.
		v, _, err := st.ForumThread(t.Context(), store.ForumAudience{All: true}, th.ID)
		if err != nil || v.Answers != 1 {
			t.Errorf("thread after bob: %+v, %v", v, err)
		}
		if rec := send(t, h, router, tokens(t, st)["bob"], "POST", "/api/v1/forum/threads", `{"kind":"question","title":"t","body":"b"}`, nil); rec.Code != 403 {
			t.Errorf("read-only open = %d", rec.Code)
		}
		// Bad input names the field.
		rec = send(t, h, router, tok["bob"], "POST", "/api/v1/forum/threads", `{"kind":"question","title":"件名","body":"本文\u0000"}`, nil)
		if rec.Code != 400 || !strings.Contains(rec.Body.String(), "body") {
			t.Errorf("NUL in body = %d %s", rec.Code, rec.Body)
		}
	})
}

// tokens issues read-only tokens of the fixture's users again.
func tokens(t *testing.T, st *store.Store) map[string]string {
	t.Helper()
	s, err := auth.IssueToken(t.Context(), st, "bob", "ro", []string{auth.ScopeRead}, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	return map[string]string{"bob": s}
}
