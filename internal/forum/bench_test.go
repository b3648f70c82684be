package forum_test

import (
	"fmt"
	"testing"
	"time"

	"mamori/internal/forum"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// BenchmarkForum measures the forum's reads over 20,000 threads (each
// with its opening post), a fifth of them limited to a prefecture, as a
// user of another prefecture reads them: a search by a rare and by a
// common three-character fragment, a two-character search (the bounded
// scan), the first page of the list and one thread.
//
//	go test -run '^$' -bench BenchmarkForum -benchtime 20x ./internal/forum
func BenchmarkForum(b *testing.B) {
	const threads = 20000
	for name, open := range map[string]func(testing.TB) *store.Store{"sqlite": storetest.OpenSQLite, "postgres": storetest.OpenPostgres} {
		b.Run(name, func(b *testing.B) {
			st := open(b)
			f := setup(b, st)
			ctx := b.Context()
			sentences := []string{"マイナンバー利用事務系の端末で二要素認証を導入しました。", "持出し不可設定の解除期間を管理しています。",
				"LGWAN接続系のウイルス対策ソフトの定義ファイルを更新しました。", "標的型メールの訓練を実施しました。"}
			start := time.Now()
			for i := range threads {
				limit := ""
				if i%5 == 0 {
					limit = "P21"
				}
				title := fmt.Sprintf("質問 %d 号", i)
				body := sentences[i%len(sentences)] + fmt.Sprintf("整理番号は第%06d号です。", i)
				if _, err := st.CreateForumThread(ctx, store.NewForumThread{Kind: "question", Title: title, Body: body,
					SearchText: forum.Fold(title + "\n" + body), Author: "city", AuthorOrg: "C21201", LimitOrg: limit,
					At: time.Date(2026, 1, 1, 0, 0, i, 0, time.UTC)}); err != nil {
					b.Fatal(err)
				}
			}
			b.Logf("%s: %d threads stored in %s", name, threads, time.Since(start).Round(time.Millisecond))
			u := f.users["tokyo"]
			for _, c := range []struct {
				name string
				run  func() error
			}{
				{"search-rare", func() error { _, _, err := f.svc.Search(ctx, u, "第012345号", 1); return err }},
				{"search-common", func() error { _, _, err := f.svc.Search(ctx, u, "二要素", 1); return err }},
				{"search-2chars", func() error { _, _, err := f.svc.Search(ctx, u, "訓練", 1); return err }},
				{"list", func() error { _, _, err := f.svc.List(ctx, u, "", "", 1); return err }},
				{"thread", func() error { _, err := f.svc.Thread(ctx, u, 2); return err }},
			} {
				b.Run(c.name, func(b *testing.B) {
					for b.Loop() {
						if err := c.run(); err != nil {
							b.Fatal(err)
						}
					}
				})
			}
		})
	}
}
