package forum_test

import (
	"testing"

	"mamori/internal/forum"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// TestAttackSearchBoundNoOracle: a search counts at most 1,000 matching
// posts (and a short query scans the newest 5,000), bounds that were
// applied to every post before the reader's audience was: a thread
// limited to Gifu's tree, filling with posts that hold a word, pushed
// Tokyo's own older post with that word out of Tokyo's results, so Tokyo
// could count, from its own hits, the posts of a thread it may not read
// that hold any word it chose. Found while attacking issue 15.
func TestAttackSearchBoundNoOracle(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := setup(t, st)
		ctx := t.Context()
		f.open(t, "tokyo", forum.NewThread{Kind: store.ForumQuestion, Title: "東京の質問", Body: "合言葉はやまびこ"})
		gifu := f.open(t, "gifu", forum.NewThread{Kind: store.ForumNotice, Title: "岐阜県内限定", Body: "県内の連絡", Limit: "P21"})
		a, err := f.svc.Audience(ctx, f.users["gifu"])
		if err != nil {
			t.Fatal(err)
		}
		for range 1000 {
			if _, err := st.AddForumPost(ctx, a, gifu, "gifu", "P21", "合言葉はやまびこ", "合言葉はやまびこ", now); err != nil {
				t.Fatal(err)
			}
		}
		for _, q := range []string{"やまびこ", "やま"} {
			hits, total, err := f.svc.Search(ctx, f.users["tokyo"], q, 1)
			if err != nil {
				t.Fatal(err)
			}
			if total != 1 || len(hits) != 1 {
				t.Errorf("Tokyo's search for %q after Gifu's limited posts = %d hits (total %d), want its own 1", q, len(hits), total)
			}
		}
	})
}
