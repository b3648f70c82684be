package forum_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"mamori"
	"mamori/internal/auth"
	"mamori/internal/forum"
	"mamori/internal/notify"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

var now = time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)

type fixture struct {
	st    *store.Store
	svc   *forum.Service
	users map[string]store.User
}

func org(code, parent, kind string) mamori.Record {
	e := mamori.EntityByName("organizations")
	r := make(mamori.Record, len(e.Fields))
	r[e.FieldIndex("code")] = code
	if parent != "" {
		r[e.FieldIndex("parent_code")] = parent
	}
	r[e.FieldIndex("kind")] = kind
	r[e.FieldIndex("name")] = "組織 " + code
	return r
}

// setup: G (government) above the prefectures P21 (with the city C21201)
// and P13 (with C13101), and the ministry M01.
func setup(t testing.TB, st *store.Store) *fixture {
	t.Helper()
	ctx := t.Context()
	err := st.Load(ctx, store.LoadOptions{}, func(l *store.Loader) error {
		return l.Put(mamori.EntityByName("organizations"), []mamori.Record{org("G", "", "government"),
			org("P21", "G", "prefecture"), org("C21201", "P21", "municipality"), org("P13", "G", "prefecture"),
			org("C13101", "P13", "municipality"), org("M01", "G", "ministry")})
	})
	if err != nil {
		t.Fatal(err)
	}
	grants := map[string][]store.RoleGrant{
		"gifu":   {{Role: string(auth.OrgSecurity), OrgCode: "P21"}},
		"city":   {{Role: string(auth.SystemOfficer), OrgCode: "C21201"}},
		"tokyo":  {{Role: string(auth.OrgSecurity), OrgCode: "P13"}},
		"tcity":  {{Role: string(auth.SystemOfficer), OrgCode: "C13101"}},
		"min":    {{Role: string(auth.OrgSecurity), OrgCode: "M01"}},
		"centre": {{Role: string(auth.CentralAdmin), OrgCode: "G"}},
		"nobody": nil,
	}
	f := &fixture{st: st, svc: forum.New(st), users: map[string]store.User{}}
	f.svc.Now = func() time.Time { return now }
	for name, gs := range grants {
		if err := st.CreateUser(ctx, store.User{Name: name, PasswordHash: "$argon2id$fake", CreatedAt: now, Grants: gs}); err != nil {
			t.Fatal(err)
		}
		u, err := st.User(ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		f.users[name] = u
	}
	return f
}

func (f *fixture) open(t *testing.T, who string, n forum.NewThread) int64 {
	t.Helper()
	id, err := f.svc.Open(t.Context(), f.users[who], n)
	if err != nil {
		t.Fatalf("Open by %s: %v", who, err)
	}
	return id
}

func wantKind(t *testing.T, what string, err error, k mamori.Kind) {
	t.Helper()
	if mamori.KindOf(err) != k {
		t.Errorf("%s: %v (kind %v), want kind %v", what, err, mamori.KindOf(err), k)
	}
}

// TestSearchJapanese: any three characters of a Japanese sentence find
// its thread on both stores, across kanji and kana, in full-width or
// half-width forms; one or two characters fall back to a bounded scan.
func TestSearchJapanese(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := setup(t, st)
		ctx := t.Context()
		id := f.open(t, "city", forum.NewThread{Kind: "question", Title: "マイナンバー利用事務系の二要素認証について",
			Body: "LGWAN接続系の端末で、生体認証とパスワードの二要素認証を導入しましたが、予備のパスワードを事前に設定してよいでしょうか。"})
		other := f.open(t, "gifu", forum.NewThread{Kind: "advice", Title: "メール無害化の設定例",
			Body: "インターネット接続系から届く添付ファイルは、画像化して取り込む方式が確実です。"})
		for _, c := range []struct {
			q    string
			want []int64
		}{
			{"二要素", []int64{id}},
			{"ー利用", []int64{id}},     // katakana into kanji
			{"導入しま", []int64{id}},    // kanji into hiragana
			{"ﾏｲﾅﾝﾊﾞｰ", []int64{id}}, // half-width katakana
			{"ｌｇｗａｎ", []int64{id}},   // full-width letters, lower case
			{"lgwan接続", []int64{id}},
			{"画像化", []int64{other}},
			{"接続系", []int64{other, id}}, // both; the newer match first
			{"端末", []int64{id}},         // two characters: the bounded scan
			{"系", []int64{other, id}},
			{"要素二", nil},
			{`"引用`, nil},
			{"100%", nil},
		} {
			hits, total, err := f.svc.Search(ctx, f.users["tokyo"], c.q, 1)
			if err != nil {
				t.Fatalf("Search(%q): %v", c.q, err)
			}
			var got []int64
			for _, h := range hits {
				got = append(got, h.Thread.ID)
			}
			if !slices.Equal(got, c.want) || total != len(c.want) {
				t.Errorf("Search(%q) = %v (total %d), want %v", c.q, got, total, c.want)
			}
		}
		// An answer is found too, and an edit moves what is found.
		ans, err := f.svc.Answer(ctx, f.users["tokyo"], id, "事前設定の予備パスワードは共有されやすいので避けてください。", "")
		if err != nil {
			t.Fatal(err)
		}
		if hits, _, _ := f.svc.Search(ctx, f.users["city"], "共有され", 1); len(hits) != 1 || hits[0].PostID != ans {
			t.Errorf("answer not found: %+v", hits)
		}
		if err := f.svc.Edit(ctx, f.users["tokyo"], id, ans, "予備パスワードの事前設定は避け、管理者が都度発行してください。"); err != nil {
			t.Fatal(err)
		}
		if hits, _, _ := f.svc.Search(ctx, f.users["city"], "共有され", 1); len(hits) != 0 {
			t.Errorf("edited-away text still found: %+v", hits)
		}
		if hits, _, _ := f.svc.Search(ctx, f.users["city"], "都度発行", 1); len(hits) != 1 {
			t.Errorf("edited text not found: %+v", hits)
		}
		// Bad queries name the parameter.
		_, _, err = f.svc.Search(ctx, f.users["city"], "a\x00b", 1)
		wantKind(t, "NUL in query", err, mamori.Invalid)
		_, _, err = f.svc.Search(ctx, f.users["city"], strings.Repeat("あ", forum.MaxQuery+1), 1)
		wantKind(t, "long query", err, mamori.Invalid)
	})
}

// TestThreadLife: ask, answer from another organization, accept; edits
// keep history until an answer; a moderator hides; refusals name fields.
func TestThreadLife(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := setup(t, st)
		ctx := t.Context()
		id := f.open(t, "city", forum.NewThread{Kind: "question", Title: "持出し禁止の例外期間", Body: "一か月を超える例外は認められますか。", Controls: []string{"LG-05"}})
		if err := f.svc.Edit(ctx, f.users["city"], id, mustFirst(t, f, id), "一か月以上の持出し例外は認められますか。"); err != nil {
			t.Fatalf("edit before answers: %v", err)
		}
		ans, err := f.svc.Answer(ctx, f.users["gifu"], id, "期限なしや一か月以上の例外は指摘の対象です。", "")
		if err != nil {
			t.Fatal(err)
		}
		err = f.svc.Edit(ctx, f.users["city"], id, mustFirst(t, f, id), "書き換え")
		wantKind(t, "edit after an answer", err, mamori.Conflict)
		wantKind(t, "accept by another", f.svc.Accept(ctx, f.users["gifu"], id, ans), mamori.Forbidden)
		wantKind(t, "accept the question itself", f.svc.Accept(ctx, f.users["city"], id, mustFirst(t, f, id)), mamori.Invalid)
		if err := f.svc.Accept(ctx, f.users["city"], id, ans); err != nil {
			t.Fatal(err)
		}
		v, err := f.svc.Thread(ctx, f.users["min"], id)
		if err != nil || v.AcceptedPostID != ans || len(v.Posts) != 2 || v.Posts[1].AuthorOrg != "P21" || !slices.Equal(v.Controls, []string{"LG-05"}) {
			t.Fatalf("thread = %+v, %v", v, err)
		}
		rel, err := f.svc.Related(ctx, f.users["tcity"], []string{"LG-05", "LG-01"})
		if err != nil || len(rel["LG-05"]) != 1 || len(rel["LG-01"]) != 0 {
			t.Errorf("related = %v, %v", rel, err)
		}
		// Bad input names the field; nothing is written.
		for _, c := range []struct {
			n    forum.NewThread
			want string
		}{
			{forum.NewThread{Kind: "question", Title: "件名\x1b", Body: "本文"}, "title"},
			{forum.NewThread{Kind: "question", Title: "件名", Body: "本文\xff"}, "body"},
			{forum.NewThread{Kind: "question", Title: "件名", Body: strings.Repeat("字", forum.MaxBody+1)}, "body"},
			{forum.NewThread{Kind: "rumour", Title: "件名", Body: "本文"}, "kind"},
			{forum.NewThread{Kind: "question", Title: "件名", Body: "本文", Controls: []string{"XX-99"}}, "control"},
			{forum.NewThread{Kind: "notice", Title: "件名", Body: "本文", Limit: "P13"}, "audience"},
			{forum.NewThread{Kind: "notice", Title: "件名", Body: "本文", As: "P13"}, "P13"},
		} {
			_, err := f.svc.Open(ctx, f.users["city"], c.n)
			if mamori.KindOf(err) != mamori.Invalid || !strings.Contains(err.Error(), c.want) {
				t.Errorf("Open(%+v) = %v, want Invalid naming %s", c.n, err, c.want)
			}
		}
		if ts, total, _ := f.svc.List(ctx, f.users["centre"], "", "", 1); total != 1 || len(ts) != 1 {
			t.Errorf("refusals wrote threads: %d", total)
		}
		// Moderation: only the central administrator hides; a hidden
		// opening post takes the thread from every list.
		err = f.svc.Hide(ctx, f.users["gifu"], id, ans, "不適切")
		wantKind(t, "hide by a prefecture", err, mamori.Forbidden)
		if err := f.svc.Hide(ctx, f.users["centre"], id, ans, "個人名が含まれるため"); err != nil {
			t.Fatal(err)
		}
		v, _ = f.svc.Thread(ctx, f.users["city"], id)
		if v.Posts[1].Body != "" || v.Posts[1].HiddenBy != "centre" || v.AcceptedPostID != 0 {
			t.Errorf("hidden answer = %+v", v.Posts[1])
		}
		if err := f.svc.Hide(ctx, f.users["centre"], id, mustFirst(t, f, id), "重複"); err != nil {
			t.Fatal(err)
		}
		_, err = f.svc.Thread(ctx, f.users["city"], id)
		wantKind(t, "hidden thread", err, mamori.NotFound)
		var audits []string
		st.EachAudit(ctx, func(e store.AuditEntry) error { audits = append(audits, e.Action); return nil })
		if n := countOf(audits, forum.ActionHide); n != 2 {
			t.Errorf("%d hide audits, want 2: %v", n, audits)
		}
	})
}

func countOf(xs []string, x string) (n int) {
	for _, y := range xs {
		if y == x {
			n++
		}
	}
	return n
}

func mustFirst(t *testing.T, f *fixture, id int64) int64 {
	t.Helper()
	v, err := f.svc.Thread(t.Context(), f.users["centre"], id)
	if err != nil {
		t.Fatal(err)
	}
	return v.Posts[0].ID
}

// TestAttackLimitedThread: a notice limited to a prefecture reaches its
// municipalities, the government above it and its author, and nobody of
// another prefecture or ministry through any path: read, list, search,
// related, answer, accept, edit, guessed ids. Each answers as for a
// thread that does not exist.
func TestAttackLimitedThread(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := setup(t, st)
		ctx := t.Context()
		// The city limits its notice to its prefecture (above it).
		id := f.open(t, "city", forum.NewThread{Kind: "notice", Title: "標的型メール攻撃の発生について",
			Body: "県内の複数団体に同じ差出人から不審メールが届いています。", Limit: "P21", Controls: []string{"LG-05"}})
		open := f.open(t, "tcity", forum.NewThread{Kind: "question", Title: "公開の質問", Body: "どなたでも読めます。"})
		for _, who := range []string{"city", "gifu", "centre"} {
			if _, err := f.svc.Thread(ctx, f.users[who], id); err != nil {
				t.Errorf("%s cannot read the notice: %v", who, err)
			}
		}
		missing := id + 1000
		for _, who := range []string{"tokyo", "tcity", "min"} {
			u := f.users[who]
			for _, tid := range []int64{id, missing} {
				_, err := f.svc.Thread(ctx, u, tid)
				wantKind(t, who+" reads", err, mamori.NotFound)
				_, err = f.svc.Answer(ctx, u, tid, "回答", "")
				wantKind(t, who+" answers", err, mamori.NotFound)
				wantKind(t, who+" accepts", f.svc.Accept(ctx, u, tid, 1), mamori.NotFound)
				wantKind(t, who+" edits", f.svc.Edit(ctx, u, tid, 1, "x"), mamori.NotFound)
			}
			if _, err := f.svc.Thread(ctx, u, id); err == nil || strings.Contains(err.Error(), "標的型") {
				t.Errorf("%s: the refusal tells the title: %v", who, err)
			}
			ts, total, _ := f.svc.List(ctx, u, "", "", 1)
			if total != 1 || len(ts) != 1 || ts[0].ID != open {
				t.Errorf("%s lists %v (%d)", who, ts, total)
			}
			for _, q := range []string{"標的型", "不審", "県"} {
				if hits, n, _ := f.svc.Search(ctx, u, q, 1); len(hits) != 0 || n != 0 {
					t.Errorf("%s finds %q: %v", who, q, hits)
				}
			}
			if rel, _ := f.svc.Related(ctx, u, []string{"LG-05"}); len(rel) != 0 {
				t.Errorf("%s sees related %v", who, rel)
			}
		}
		// The answer of a stranger wrote nothing.
		v, _ := f.svc.Thread(ctx, f.users["centre"], id)
		if len(v.Posts) != 1 {
			t.Errorf("the notice has %d posts", len(v.Posts))
		}
		// An author may not limit to a branch beside theirs.
		_, err := f.svc.Open(ctx, f.users["gifu"], forum.NewThread{Kind: "notice", Title: "x", Body: "y", Limit: "C13101"})
		wantKind(t, "limit to another prefecture's city", err, mamori.Invalid)
		// No account without a grant reads anything.
		_, err = f.svc.Thread(ctx, f.users["nobody"], open)
		wantKind(t, "no grant", err, mamori.Forbidden)
	})
}

// TestAttackTimingNoOracle: a limited thread and a missing id answer a
// stranger in the same time (one query each), so ids cannot be probed.
func TestAttackTimingNoOracle(t *testing.T) {
	if testing.Short() {
		t.Skip("timing")
	}
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := setup(t, st)
		ctx := t.Context()
		id := f.open(t, "gifu", forum.NewThread{Kind: "notice", Title: "県内限定", Body: "本文", Limit: "P21"})
		u := f.users["tokyo"]
		const n = 301
		var a, b time.Duration
		for try := 0; try < 3; try++ {
			var theirs, none []time.Duration
			for range n {
				t0 := time.Now()
				_, err1 := f.svc.Thread(ctx, u, id)
				theirs = append(theirs, time.Since(t0))
				t0 = time.Now()
				_, err2 := f.svc.Thread(ctx, u, id+999)
				none = append(none, time.Since(t0))
				if mamori.KindOf(err1) != mamori.NotFound || mamori.KindOf(err2) != mamori.NotFound {
					t.Fatalf("%v and %v", err1, err2)
				}
			}
			slices.Sort(theirs)
			slices.Sort(none)
			a, b = theirs[n/10], none[n/10]
			if diff := max(a, b) - min(a, b); diff*100 <= max(a, b)*15 {
				break
			} else if try == 2 {
				t.Errorf("a limited thread answers in %v, a missing one in %v", a, b)
			}
		}
	})
}

// TestUsage counts per organization and month and lists those that never
// used the forum; a prefecture sees its own tree only.
func TestUsage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := setup(t, st)
		ctx := t.Context()
		id := f.open(t, "city", forum.NewThread{Kind: "question", Title: "質問", Body: "本文です"})
		if _, err := f.svc.Answer(ctx, f.users["gifu"], id, "回答です", ""); err != nil {
			t.Fatal(err)
		}
		for range 3 { // one reader however often
			f.svc.Thread(ctx, f.users["tcity"], id)
		}
		u, err := f.svc.Usage(ctx, f.users["centre"])
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]forum.OrgUsage{}
		for _, o := range u.Orgs {
			got[o.Code] = o
		}
		if c := got["C21201"]; c.Threads != 1 || c.Posts != 1 || c.Answers != 0 {
			t.Errorf("C21201 = %+v", c)
		}
		if p := got["P21"]; p.Answers != 1 || p.Threads != 0 {
			t.Errorf("P21 = %+v", p)
		}
		if c := got["C13101"]; c.Readers != 1 || c.Posts != 0 {
			t.Errorf("C13101 = %+v", c)
		}
		if u.Total != 6 || u.Used != 3 || u.NeverTotal != 3 || u.Never["prefecture"] != 1 {
			t.Errorf("usage = total %d used %d never %v", u.Total, u.Used, u.Never)
		}
		if len(u.Months) != 1 || u.Months[0].Month != "2026-11" || u.Months[0].Orgs != 3 {
			t.Errorf("months = %+v", u.Months)
		}
		pu, err := f.svc.Usage(ctx, f.users["tokyo"])
		if err != nil || pu.Total != 2 {
			t.Errorf("prefecture's usage = %d orgs, %v", pu.Total, err)
		}
		_, err = f.svc.Usage(ctx, f.users["city"])
		wantKind(t, "a city officer's usage", err, mamori.Forbidden)
	})
}

// TestAskerTold: an answer queues one notification to the asker (the
// thread's title and link, never the answer's text); the asker's own
// follow-up and an answer to a notice queue none.
func TestAskerTold(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := setup(t, st)
		ctx := t.Context()
		n, err := notify.New(st, notify.Config{Webhooks: notify.Webhooks{URLs: []string{"https://hooks.example.go.jp/mamori"}, Secret: []byte("a-signing-secret-of-32-bytes....")}})
		if err != nil {
			t.Fatal(err)
		}
		f.svc.Notifier, f.svc.BaseURL = n, "https://mamori.example.go.jp/"
		q := f.open(t, "city", forum.NewThread{Kind: "question", Title: "二要素認証の予備パスワード", Body: "質問です"})
		notice := f.open(t, "gifu", forum.NewThread{Kind: "notice", Title: "通知", Body: "本文", Limit: "P21"})
		if _, err := f.svc.Answer(ctx, f.users["gifu"], q, "秘密の回答本文", ""); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Answer(ctx, f.users["city"], q, "補足です", ""); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Answer(ctx, f.users["city"], notice, "了解しました", ""); err != nil {
			t.Fatal(err)
		}
		rows, err := st.FindOutbox(ctx, "", 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 1 || rows[0].Kind != string(notify.Answered) || !strings.Contains(rows[0].Payload, "二要素認証の予備パスワード") ||
			!strings.Contains(rows[0].Payload, "https://mamori.example.go.jp/forum/") || strings.Contains(rows[0].Payload, "秘密の回答本文") {
			t.Errorf("outbox = %+v", rows)
		}
	})
}

// TestUsageMonthInJapan: a post at 00:30 on 1 December in Japan (15:30 UTC
// the day before) and its reading count in December, the month its users
// lived it, on both stores.
func TestUsageMonthInJapan(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := setup(t, st)
		ctx := t.Context()
		f.svc.Now = func() time.Time { return time.Date(2026, 11, 30, 15, 30, 0, 0, time.UTC) }
		id := f.open(t, "city", forum.NewThread{Kind: "question", Title: "質問", Body: "本文です"})
		if _, err := f.svc.Thread(ctx, f.users["tcity"], id); err != nil {
			t.Fatal(err)
		}
		u, err := f.svc.Usage(ctx, f.users["centre"])
		if err != nil {
			t.Fatal(err)
		}
		if len(u.Months) != 1 || u.Months[0].Month != "2026-12" {
			t.Errorf("months = %+v, want the post and its reader in 2026-12", u.Months)
		}
	})
}
