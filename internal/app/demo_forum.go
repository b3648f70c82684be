package app

import (
	"context"
	"fmt"
	"slices"
	"time"

	"mamori"
	"mamori/internal/auth"
	"mamori/internal/forum"
	"mamori/internal/store"
)

// demoForum fills the support forum the way seed 002 found the support
// platform: a handful of organizations use it and most never do. The
// demo's prefecture's security officer (pref) answers and posts a notice
// limited to the prefecture and its municipalities; three municipalities'
// officers (city, city2, city3) ask and read; an expert (expert, viewing
// the whole government) gives advice; the ministry's security officer
// asks about vulnerabilities. One question stays unanswered, one answer is
// hidden by the central administrator (it named a person), one thread
// names no control. Posts are spread over the six months before today.
func demoForum(ctx context.Context, env *Env, s *store.Store, today time.Time) error {
	start := time.Now()
	oe := mamori.EntityByName("organizations")
	ci, pi, ki := oe.FieldIndex("code"), oe.FieldIndex("parent_code"), oe.FieldIndex("kind")
	var root, pref string
	munis := map[string][]string{}
	err := s.Dump(ctx, oe, func(r mamori.Record) error {
		code, _ := r[ci].(string)
		parent, _ := r[pi].(string)
		switch kind, _ := r[ki].(string); {
		case parent == "" && root == "":
			root = code
		case kind == "prefecture" && pref == "":
			pref = code
		case kind == "municipality":
			munis[parent] = append(munis[parent], code)
		}
		return nil
	})
	if err != nil {
		return err
	}
	ms := munis[pref]
	slices.Sort(ms)
	if pref == "" || len(ms) < 3 {
		return nil // no prefecture with municipalities in this data
	}
	people := []struct {
		name, display, role, org string
	}{
		{"pref", "デモ 県セキュリティ担当", string(auth.OrgSecurity), pref},
		{"city", "デモ 市システム担当", string(auth.SystemOfficer), ms[0]},
		{"city2", "デモ 町システム担当", string(auth.SystemOfficer), ms[1]},
		{"city3", "デモ 村システム担当", string(auth.SystemOfficer), ms[2]},
		{"expert", "デモ セキュリティ専門家（政府全体）", string(auth.Viewer), root},
	}
	users := map[string]store.User{}
	for _, p := range people {
		if _, err := s.User(ctx, p.name); mamori.KindOf(err) == mamori.NotFound {
			if err := auth.CreateUser(ctx, s, auth.NewUser{Name: p.name, DisplayName: p.display + "（" + p.org + "）",
				Password: demoPassword, Grants: []store.RoleGrant{{Role: p.role, OrgCode: p.org}}}, time.Now()); err != nil {
				return err
			}
		} else if err != nil {
			return err
		}
	}
	for _, n := range []string{"pref", "city", "city2", "city3", "expert", "admin", "security"} {
		u, err := s.User(ctx, n)
		if mamori.KindOf(err) == mamori.NotFound {
			continue
		} else if err != nil {
			return err
		}
		users[n] = u
	}
	svc := forum.New(s)
	at := func(daysAgo, hour int) {
		t := today.AddDate(0, 0, -daysAgo).Add(time.Duration(hour) * time.Hour)
		svc.Now = func() time.Time { return t }
	}
	open := func(who string, n forum.NewThread) (int64, error) {
		return svc.Open(ctx, users[who], n)
	}
	answer := func(who string, thread int64, body string) (int64, error) {
		return svc.Answer(ctx, users[who], thread, body, "")
	}
	read := func(thread int64, who ...string) error {
		for _, w := range who {
			if _, ok := users[w]; !ok {
				continue
			}
			if _, err := svc.Thread(ctx, users[w], thread); err != nil {
				return err
			}
		}
		return nil
	}
	// The question that got a useful answer.
	at(160, 10)
	q1, err := open("city", forum.NewThread{Kind: store.ForumQuestion, Title: "持出し不可設定の一時解除はどのくらいの期間まで認めていますか",
		Body: "当市ではUSBメモリへの持出しを原則禁止していますが、業務上の必要から解除の申請が多く、期限を設けずに解除したままの端末が残っています。\n" +
			"他の団体では解除期間をどのように決め、期限切れをどう確認していますか。", Controls: []string{"LG-05", "LG-06"}})
	if err != nil {
		return err
	}
	at(158, 14)
	a1, err := answer("pref", q1, "県では解除期間を最長2週間とし、管理者が申請ごとに期限付きで解除しています。\n"+
		"期限を過ぎた端末は資産管理ツールで毎朝一覧にし、担当課に連絡しています。1か月以上の解除は認めていません。")
	if err != nil {
		return err
	}
	at(157, 9)
	if _, err := answer("city2", q1, "当町も同じ課題がありました。解除の申請書に終了日を必須項目として加えたところ、無期限の解除はなくなりました。"); err != nil {
		return err
	}
	at(156, 11)
	if err := svc.Accept(ctx, users["city"], q1, a1); err != nil {
		return err
	}
	if err := read(q1, "city3", "expert"); err != nil {
		return err
	}
	// An incident notice for the prefecture's municipalities only.
	at(95, 8)
	n1, err := open("pref", forum.NewThread{Kind: store.ForumNotice, Title: "【県内限定】請求書を装う不審メールの注意喚起",
		Body: "県内の複数の市町村に、実在する取引先を装った差出人から、請求書を装うマクロ付き文書を添付したメールが届いています。\n" +
			"インターネット接続系で無害化されていない添付ファイルを、LGWAN接続系へ転送しないでください。開いてしまった場合は県のCSIRTへ連絡してください。",
		Limit: pref, Controls: []string{"LG-10"}})
	if err != nil {
		return err
	}
	if err := read(n1, "city", "city2", "city3"); err != nil {
		return err
	}
	// Expert advice, for everyone.
	at(70, 15)
	ad, err := open("expert", forum.NewThread{Kind: store.ForumAdvice, Title: "マイナンバー利用事務系の二要素認証で避けたい運用",
		Body: "生体認証とパスワードを組み合わせる場合でも、認証に失敗したときのために予備のパスワードを事前に設定しておく運用は避けてください。\n" +
			"予備のパスワードが共有されると、実質的に一要素での認証になります。代替手段は管理者がその都度発行し、利用後に無効にしてください。",
		Controls: []string{"LG-01", "LG-02"}})
	if err != nil {
		return err
	}
	if err := read(ad, "city", "pref"); err != nil {
		return err
	}
	// The question nobody answered.
	at(40, 13)
	q2, err := open("city2", forum.NewThread{Kind: store.ForumQuestion, Title: "CSIRTの要員を兼務で文書化してもよいでしょうか",
		Body:     "小規模な町のため専任の職員を置けません。情報政策担当と総務担当の兼務でCSIRTを構成し、要員と役割を文書化する形で問題ないでしょうか。",
		Controls: []string{"LG-14"}})
	if err != nil {
		return err
	}
	if err := read(q2, "city3"); err != nil {
		return err
	}
	// A question without a control, with an answer the administrator hid.
	at(20, 10)
	q3, err := open("city3", forum.NewThread{Kind: store.ForumQuestion, Title: "セキュリティ研修の教材を共有できる団体はありますか",
		Body: "職員向けの標的型メール訓練の教材を探しています。他団体で使っている教材を共有していただけないでしょうか。"})
	if err != nil {
		return err
	}
	at(19, 16)
	hid, err := answer("city", q3, "当市の教材をお送りします。担当の山田（内線1234）までご連絡ください。")
	if err != nil {
		return err
	}
	if admin, ok := users["admin"]; ok {
		at(19, 18)
		if err := svc.Hide(ctx, admin, q3, hid, "職員の氏名と内線番号が含まれるため"); err != nil {
			return err
		}
	}
	at(18, 9)
	if _, err := answer("pref", q3, "県の研修資料を県内向けに公開しています。掲示板の「専門家の助言」にも教材の作り方があります。"); err != nil {
		return err
	}
	// The ministry asks too.
	if _, ok := users["security"]; ok {
		at(7, 11)
		q4, err := open("security", forum.NewThread{Kind: store.ForumQuestion, Title: "脆弱性対策の計画期限はどう決めていますか",
			Body:     "KEVに載った脆弱性は2週間、それ以外は重大度に応じて30日から90日としていますが、他府省の決め方を教えてください。",
			Controls: []string{"VUL-02"}})
		if err != nil {
			return err
		}
		at(6, 10)
		if _, err := answer("expert", q4, "CVSSだけでなくEPSSの値も見て、悪用の可能性が高いものから期限を短くする運用が増えています。"); err != nil {
			return err
		}
	}
	svc.Now = func() time.Time { return time.Now().UTC() }
	fmt.Fprintf(env.Stdout, "mamori: filled the support forum in %s: %d of the prefecture's %d municipalities use it; sign in as pref, city, city2, city3 or expert\n",
		time.Since(start).Round(time.Millisecond), 3, len(ms))
	return nil
}
