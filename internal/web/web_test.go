package web_test

import (
	"bytes"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"mamori"
	"mamori/internal/auth"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
	"mamori/internal/web"
)

// rec builds a record of the named entity from column values; unnamed columns are nil.
func rec(entity string, vals map[string]any) mamori.Record {
	e := mamori.EntityByName(entity)
	r := make(mamori.Record, len(e.Fields))
	for col, v := range vals {
		i := e.FieldIndex(col)
		if i < 0 {
			panic("no column " + entity + "." + col)
		}
		r[i] = v
	}
	return r
}

// escapedName is a system name with every HTML-special character.
const escapedName = `電子申請 <b>"特急"</b> & '受付'`

// fixture loads a small register: three organizations, a person, systems
// (one not in the register, one without a SystemID, one whose code needs
// escaping in a URL, and 61 more to make two pages), components, costs and a
// contract linked to a system.
func fixture(t *testing.T, s *store.Store) {
	t.Helper()
	put := func(l *store.Loader, entity string, recs ...mamori.Record) error {
		return l.Put(mamori.EntityByName(entity), recs)
	}
	sys := func(code, org, name string, vals map[string]any) mamori.Record {
		m := map[string]any{"code": code, "org_code": org, "name": name, "in_register": true,
			"class": "information_system", "status": "operating"}
		for k, v := range vals {
			m[k] = v
		}
		return rec("systems", m)
	}
	err := s.Load(t.Context(), store.LoadOptions{}, func(l *store.Loader) error {
		if err := put(l, "organizations",
			rec("organizations", map[string]any{"code": "ORG-A", "kind": "ministry", "name": "総務省"}),
			rec("organizations", map[string]any{"code": "ORG-B", "parent_code": "ORG-A", "kind": "central", "name": "情報流通行政局"}),
			rec("organizations", map[string]any{"code": "ORG-C", "kind": "ministry", "name": "デジタル庁"}),
		); err != nil {
			return err
		}
		if err := put(l, "people",
			rec("people", map[string]any{"code": "P1", "org_code": "ORG-A", "name": "山田太郎", "status": "active"}),
		); err != nil {
			return err
		}
		systems := []mamori.Record{
			sys("S001", "ORG-A", "人事給与システム", map[string]any{"system_id": "SID-0001",
				"network_segment": "lgwan", "security_officer_code": "P1", "personal_info": true,
				"specific_personal_info": false, "confidentiality": int64(2), "go_live_on": "2019-05-01",
				"discovered_from": "register", "configuration": "AP×2\nDB×1"}),
			sys("S002", "ORG-B", escapedName, map[string]any{"status": "planned"}),
			sys("S003", "ORG-C", "通話録音装置", map[string]any{"system_id": "SID-0003", "in_register": false,
				"discovered_from": "contract", "class": "office_equipment"}),
			sys("S004/X", "ORG-C", "スラッシュ入りシステム", map[string]any{"system_id": "SID-0004"}),
		}
		for i := 100; i <= 160; i++ {
			systems = append(systems, sys(fmt.Sprintf("S%03d", i), "ORG-C", fmt.Sprintf("業務システム%03d", i),
				map[string]any{"system_id": fmt.Sprintf("SID-%04d", i)}))
		}
		if err := put(l, "systems", systems...); err != nil {
			return err
		}
		var comps []mamori.Record
		for i := 1; i <= 105; i++ {
			comps = append(comps, rec("components", map[string]any{"code": fmt.Sprintf("K%04d", i), "system_code": "S001",
				"kind": "server", "name": fmt.Sprintf("APサーバ%d", i), "hostname": fmt.Sprintf("ap%03d", i),
				"patched_on": "2025-03-01", "av_definitions_on": "2025-03-02"}))
		}
		comps = append(comps, rec("components", map[string]any{"code": "K9001", "system_code": "S003", "kind": "recorder"}))
		if err := put(l, "components", comps...); err != nil {
			return err
		}
		// K0001 runs an SBOM's package with a known, exploited vulnerability
		// and no countermeasure.
		if err := put(l, "component_software", rec("component_software", map[string]any{"component_code": "K0001",
			"vendor": "apache", "product": "log4j-core", "version": "2.14.1", "purl": "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1"})); err != nil {
			return err
		}
		if err := l.Put(store.VulnMatchesTable, []mamori.Record{{store.OwnerComponent, "K0001", "CVE-2021-44228", "log4j-core 2.14.1",
			"purl", int64(100), "CVE-2021-44228 GHSA-jfh8-c2jp-5v3q", nil, "2025-02-01", "2025-03-01", nil, "GHSA-jfh8-c2jp-5v3q"}}); err != nil {
			return err
		}
		if err := l.Put(store.KEVTable, []mamori.Record{{"CVE-2021-44228", "Apache", "Log4j2", "Apache Log4j2 RCE", "2021-12-10", "2021-12-24", nil, "Known", nil, nil}}); err != nil {
			return err
		}
		if err := put(l, "system_costs",
			rec("system_costs", map[string]any{"system_code": "S001", "fiscal_year": int64(2025), "kind": "operation", "amount": int64(12345678)}),
			rec("system_costs", map[string]any{"system_code": "S001", "fiscal_year": int64(2024), "kind": "development", "amount": int64(1000000)}),
		); err != nil {
			return err
		}
		if err := put(l, "contracts",
			rec("contracts", map[string]any{"code": "CT-01", "org_code": "ORG-A", "kind": "maintenance",
				"title": "人事給与システム保守業務", "vendor": "株式会社テスト"}),
		); err != nil {
			return err
		}
		return put(l, "contract_systems", rec("contract_systems", map[string]any{"contract_code": "CT-01", "system_code": "S001"}))
	})
	if err != nil {
		t.Fatalf("Load fixture: %v", err)
	}
	// An assessment: S001 fails REG-03, its component K0002 fails LG-01.
	at := time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
	err = s.SaveAssessment(t.Context(), store.Assessment{ID: "A1", StartedAt: at, FinishedAt: at, ReferenceDate: "2025-03-01",
		Catalogs: "{}", Params: "{}", Scope: `{"org":"","system":""}`},
		[]store.ControlResult{{ControlID: "REG-03", Fail: 1}, {ControlID: "LG-01", Fail: 1}}, nil,
		store.FindingScope{Controls: []string{"REG-03", "LG-01"}},
		[]store.FindingInput{
			{ControlID: "REG-03", TargetType: store.TargetSystem, TargetCode: "S001", OrgCode: "ORG-A", Severity: "medium", Evidence: `{"failed":[""],"values":{"status":"operating"}}`},
			{ControlID: "LG-01", TargetType: store.TargetComponent, TargetCode: "K0002", OrgCode: "ORG-A", Severity: "high", Evidence: `{"component.second_factor":false}`},
		})
	if err != nil {
		t.Fatalf("save assessment: %v", err)
	}
}

// signIn creates a user with a viewer grant on each of orgs and a live
// session, and returns a handler that sends its cookie with every request
// that carries no cookie of its own.
func signIn(t *testing.T, s *store.Store, h http.Handler, name string, orgs ...string) http.Handler {
	t.Helper()
	var grants []string
	for _, o := range orgs {
		grants = append(grants, "viewer@"+o)
	}
	return withSession(h, grantedSession(t, s, name, grants...))
}

// syncBuffer is a log sink safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// scenario is one request against the real handler tree and what the
// response must hold (in the manner of pocketbase's ApiScenario).
type scenario struct {
	name            string
	method          string
	url             string
	header          map[string]string // request headers
	wantStatus      int
	wantContains    []string
	wantNotContains []string
	wantHeaders     map[string]string // response headers, compared exactly
}

func (sc scenario) run(t *testing.T, h http.Handler) {
	t.Helper()
	method := sc.method
	if method == "" {
		method = http.MethodGet
	}
	req := httptest.NewRequest(method, sc.url, nil)
	for k, v := range sc.header {
		req.Header.Set(k, v)
	}
	rr := httptest.NewRecorder()
	h.ServeHTTP(rr, req)
	res := rr.Result()
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != sc.wantStatus {
		t.Errorf("%s %s: status = %d, want %d\n%s", method, sc.url, res.StatusCode, sc.wantStatus, body)
	}
	for _, want := range sc.wantContains {
		if !bytes.Contains(body, []byte(want)) {
			t.Errorf("%s %s: body does not contain %q\n%s", method, sc.url, want, body)
		}
	}
	for _, nope := range sc.wantNotContains {
		if bytes.Contains(body, []byte(nope)) {
			t.Errorf("%s %s: body contains %q, want it absent", method, sc.url, nope)
		}
	}
	for k, want := range sc.wantHeaders {
		if got := res.Header.Get(k); got != want {
			t.Errorf("%s %s: header %s = %q, want %q", method, sc.url, k, got, want)
		}
	}
}

// cssURL finds the hashed stylesheet URL in a rendered page.
func cssURL(t *testing.T, h http.Handler) string {
	t.Helper()
	rr := httptest.NewRecorder()
	h.ServeHTTP(rr, httptest.NewRequest(http.MethodGet, "/systems", nil))
	m := regexp.MustCompile(`href="(/static/style\.[0-9a-f]{10}\.css)"`).FindStringSubmatch(rr.Body.String())
	if m == nil {
		t.Fatalf("no hashed stylesheet link in /systems:\n%s", rr.Body.String())
	}
	return m[1]
}

func TestPages(t *testing.T) {
	s := storetest.OpenSQLite(t)
	fixture(t, s)
	h := signIn(t, s, web.New(s, slog.New(slog.DiscardHandler), "v1.2.3-test"), "admin", "ORG-A", "ORG-C")
	css := cssURL(t, h)

	html := map[string]string{"Content-Type": "text/html; charset=utf-8"}
	scenarios := []scenario{
		{
			name: "root redirects to the register", url: "/",
			wantStatus:  http.StatusSeeOther,
			wantHeaders: map[string]string{"Location": "/systems"},
		},
		{
			name: "register first page", url: "/systems",
			wantStatus: http.StatusOK,
			wantContains: []string{
				`<html lang="ja">`, "mamori 情報セキュリティ管理", "v1.2.3-test",
				"<h1>情報システム台帳</h1>",
				"台帳番号", "情報システム名", "所管組織", "区分", "稼働状況", "情報システムID", "ネットワーク領域", "台帳記載",
				"全65件中 1〜50件目を表示（1/2ページ）",
				`<a href="/systems/S001">S001</a>`, "人事給与システム",
				`<a href="/systems?org=ORG-A" title="ORG-A">総務省</a>`,
				`<a href="/systems?org=ORG-B" title="ORG-B">情報流通行政局</a>`,
				"情報システム", "事務機器", "稼働中", "計画中", "LGWAN接続系",
				`<span class="badge badge-warn">未付番</span>`,
				`<span class="badge badge-alert">台帳未記載</span>`,
				`<a href="/systems/S004%2FX">S004/X</a>`,
				`<a rel="next" href="/systems?page=2">`,
				`<form class="search filters" method="get" action="/systems" role="search">`,
				`name="q"`,
			},
			wantNotContains: []string{"S160", `rel="prev"`, "<script"},
			wantHeaders:     html,
		},
		{
			name: "register second page", url: "/systems?page=2",
			wantStatus:      http.StatusOK,
			wantContains:    []string{"全65件中 51〜65件目を表示（2/2ページ）", "S160", `<a rel="prev" href="/systems">`},
			wantNotContains: []string{">S001<", `rel="next"`},
		},
		{
			name: "page beyond the end is empty, not an error", url: "/systems?page=9",
			wantStatus:   http.StatusOK,
			wantContains: []string{"全65件", "該当する情報システムはありません", `<a rel="prev" href="/systems?page=2">`},
		},
		{
			name: "search by name", url: "/systems?q=" + "%E7%B5%A6%E4%B8%8E", // 給与
			wantStatus:      http.StatusOK,
			wantContains:    []string{"全1件中 1〜1件目", "人事給与システム", `value="給与"`, "条件をクリア"},
			wantNotContains: []string{"通話録音装置", "業務システム100"},
		},
		{
			name: "search by code", url: "/systems?q=s003",
			wantStatus:      http.StatusOK,
			wantContains:    []string{"全1件", "通話録音装置"},
			wantNotContains: []string{"人事給与システム"},
		},
		{
			name: "search with no hit", url: "/systems?q=%E5%AD%98%E5%9C%A8%E3%81%97%E3%81%AA%E3%81%84",
			wantStatus:   http.StatusOK,
			wantContains: []string{"全0件", "該当する情報システムはありません"},
		},
		{
			name: "organization filter", url: "/systems?org=ORG-A",
			wantStatus:      http.StatusOK,
			wantContains:    []string{"全1件", "所管組織「総務省」（ORG-A）で絞り込んでいます", `name="org" value="ORG-A"`, "人事給与システム"},
			wantNotContains: []string{"情報流通行政局</a>", "通話録音装置"},
		},
		{
			name: "organization filter does not include child organizations", url: "/systems?org=ORG-B",
			wantStatus:      http.StatusOK,
			wantContains:    []string{"全1件", "S002"},
			wantNotContains: []string{"人事給与システム"},
		},
		{
			name: "organization filter with search keeps both in paging links", url: "/systems?org=ORG-C&q=%E6%A5%AD%E5%8B%99",
			wantStatus:   http.StatusOK,
			wantContains: []string{"全61件中 1〜50件目", `href="/systems?org=ORG-C&amp;page=2&amp;q=%E6%A5%AD%E5%8B%99"`},
		},
		{
			name: "unknown organization", url: "/systems?org=NOPE",
			wantStatus:   http.StatusOK,
			wantContains: []string{"全0件", "所管組織コード「NOPE」で絞り込んでいます"},
		},
		{
			name: "bad page parameter", url: "/systems?page=abc",
			wantStatus:   http.StatusBadRequest,
			wantContains: []string{"リクエストに誤りがあります", "パラメータ「page」の値「abc」は不正です", `parameter page: &#34;abc&#34;`},
			wantHeaders:  html,
		},
		{
			name: "zero page", url: "/systems?page=0",
			wantStatus:   http.StatusBadRequest,
			wantContains: []string{"パラメータ「page」"},
		},
		{
			name: "huge page", url: "/systems?page=99999999999999999999",
			wantStatus:   http.StatusBadRequest,
			wantContains: []string{"パラメータ「page」"},
		},
		{
			name: "over-long search", url: "/systems?q=" + strings.Repeat("a", 201),
			wantStatus:   http.StatusBadRequest,
			wantContains: []string{"パラメータ「q」が長すぎます"},
		},
		{
			name: "system page", url: "/systems/S001",
			wantStatus: http.StatusOK,
			wantContains: []string{
				"<h1>人事給与システム</h1>", "<title>人事給与システム | 情報システム台帳 | mamori</title>",
				`<a href="/systems">情報システム台帳</a>`,
				// Japanese headers with the English one as a secondary label.
				`台帳番号<span class="en" lang="en">Register number</span>`,
				`個人情報<span class="en" lang="en">Personal information</span>`,
				// Every field is listed.
				"稼働開始日", "廃止日", "クラウドサービスコード", "設置形態",
				// Enum labels, yes/no, empty.
				"情報システム", "稼働中", "LGWAN接続系", "台帳",
				`<td>はい</td>`, `<td>いいえ</td>`, `<span class="none">—</span>`,
				// References: organization linked to the filter, officer by name.
				`<a href="/systems?org=ORG-A">総務省（ORG-A）</a>`, "山田太郎（P1）",
				"SID-0001", "2019-05-01", `<td class="multiline">AP×2` + "\nDB×1</td>",
				// Components: the first 100 of 105, in key order.
				"構成要素", "全105件中 1〜100件目（1/2ページ）", "機器番号", "種別", "名称", "ホスト名", "イメージコード",
				"最終パッチ適用日", "定義ファイル更新日", "K0001", "K0100", "サーバ", "ap001", "2025-03-01", "2025-03-02",
				// Costs.
				"経費", "2024年度", "2025年度", "運用経費", "整備経費", "1234万5678円", "100万円",
				// Contracts.
				"契約番号", "件名", "契約相手方", "CT-01", "人事給与システム保守業務", "株式会社テスト", "保守",
				// Software, its vulnerability (KEV, no countermeasure: marked), no findings.
				"ソフトウェア", "log4j-core", "SBOM K0001", "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1",
				`<tr class="alert"><td class="code">CVE-2021-44228`, "別名: GHSA-jfh8-c2jp-5v3q", "2021-12-24", "purl 100%", "未対応",
				"この情報システムを対象とする計画はありません",
				// Its findings and its component's.
				"未解決 2件", "二要素認証未導入", "K0002",
			},
			// Codes never show through (evidence of findings may say false).
			wantNotContains: []string{"K0101", "information_system", "operating", "lgwan", `badge-warn">未付番`, "台帳未記載", "<td>true</td>", "<td>false</td>"},
			wantHeaders:     html,
		},
		{
			name: "system page of a system outside the register", url: "/systems/S003",
			wantStatus: http.StatusOK,
			wantContains: []string{
				"通話録音装置", "事務機器", "契約", `いいえ <span class="badge badge-alert">台帳未記載</span>`,
				"全1件", "録音装置", "登録された経費はありません", "関連する契約はありません",
			},
		},
		{
			name: "system page of a system without a SystemID", url: "/systems/S002",
			wantStatus:   http.StatusOK,
			wantContains: []string{`<span class="none">—</span> <span class="badge badge-warn">未付番</span>`, "計画中", "全0件", "登録された構成要素はありません"},
		},
		{
			name: "dashboard", url: "/dashboard",
			wantStatus: http.StatusOK,
			wantContains: []string{"<h1>ダッシュボード <span class=\"scope\">政府全体</span></h1>", `<svg xmlns="http://www.w3.org/2000/svg" class="chart"`,
				"本府省庁等", `<a href="/findings?control=REG-03">`, "LG-01 二要素認証未導入",
				"重大な指摘の多い情報システム", `<a href="/systems/S001">S001</a>`, "人事給与システム"},
			wantNotContains: []string{"<script"},
		},
		{
			name: "audit report", url: "/report",
			wantStatus:   http.StatusOK,
			wantContains: []string{"REG-03", `<a href="#`, "本府省庁等"},
		},
		{
			name: "audit report of a year without a census", url: "/report?fy=2019",
			wantStatus: http.StatusNotFound,
		},
		{
			name: "audit report with a bad year", url: "/report?fy=R7",
			wantStatus: http.StatusBadRequest,
		},
		{
			name: "findings list", url: "/findings",
			wantStatus: http.StatusOK,
			wantContains: []string{"<h1>指摘事項</h1>", "全2件中 1〜2件目を表示（1/1ページ）",
				// The control's title from the catalog; the component's finding links to its system.
				"REG-03", "LG-01", "二要素認証未導入", `<a href="/systems/S001">S001</a>`, `<a href="/systems/S001">K0002</a>`,
				"構成要素", "総務省", `<option value="VUL-01">`,
				// Evidence in words: the control's sentence, or (evidence of
				// another shape) its fields and values, never JSON.
				`<td class="evidence">情報システムIDが付番されていません</td>`, `<td class="evidence">component.second_factor：いいえ</td>`},
			wantNotContains: []string{`{&#34;`, "&#34;failed&#34;"},
		},
		{
			name: "findings of one control", url: "/findings?control=LG-01",
			wantStatus:      http.StatusOK,
			wantContains:    []string{"全1件中", "K0002", `<option value="LG-01" selected>`},
			wantNotContains: []string{">S001</a>"},
		},
		{
			name: "findings with a bad status", url: "/findings?status=closed",
			wantStatus: http.StatusBadRequest,
		},
		{
			name: "system page with an escaped code", url: "/systems/S004%2FX",
			wantStatus:   http.StatusOK,
			wantContains: []string{"<h1>スラッシュ入りシステム</h1>"},
		},
		{
			name: "HTML in a system name is escaped", url: "/systems/S002",
			wantStatus:      http.StatusOK,
			wantContains:    []string{"電子申請 &lt;b&gt;&#34;特急&#34;&lt;/b&gt; &amp; &#39;受付&#39;"},
			wantNotContains: []string{escapedName, "<b>"},
		},
		{
			name: "HTML in a system name is escaped in the list", url: "/systems?org=ORG-B",
			wantStatus:      http.StatusOK,
			wantContains:    []string{"電子申請 &lt;b&gt;&#34;特急&#34;&lt;/b&gt; &amp; &#39;受付&#39;"},
			wantNotContains: []string{escapedName},
		},
		{
			name: "HTML in the search box is escaped", url: "/systems?q=%22%3E%3Cscript%3Ealert(1)%3C%2Fscript%3E",
			wantStatus:      http.StatusOK,
			wantContains:    []string{`value="&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"`},
			wantNotContains: []string{"<script>"},
		},
		{
			name: "unknown system", url: "/systems/NOPE",
			wantStatus:   http.StatusNotFound,
			wantContains: []string{`<html lang="ja">`, "ページが見つかりません", "情報システム「NOPE」は見つかりません"},
			wantHeaders:  html,
		},
		{
			name: "unknown path", url: "/nowhere",
			wantStatus:   http.StatusNotFound,
			wantContains: []string{"ページが見つかりません", "お探しのページは見つかりませんでした"},
			wantHeaders:  html,
		},
		{
			name: "wrong method", method: http.MethodDelete, url: "/systems",
			wantStatus:  http.StatusMethodNotAllowed,
			wantHeaders: map[string]string{"Allow": "GET, HEAD"},
		},
		{
			name: "cross-origin POST refused", method: http.MethodPost, url: "/systems",
			header:       map[string]string{"Sec-Fetch-Site": "cross-site"},
			wantStatus:   http.StatusForbidden,
			wantContains: []string{"アクセスが許可されていません", "他のサイトからのリクエストは受け付けられません"},
			wantHeaders:  html,
		},
		{
			name: "health", url: "/healthz",
			wantStatus:   http.StatusOK,
			wantContains: []string{`{"status":"ok"}`},
			wantHeaders:  map[string]string{"Content-Type": "application/json", "Cache-Control": "no-store"},
		},
		{
			name: "stylesheet", url: css,
			wantStatus:      http.StatusOK,
			wantContains:    []string{`"Hiragino Sans"`, `"Noto Sans JP"`, `"Yu Gothic"`, "sans-serif"},
			wantNotContains: []string{"http://", "https://", "@import", "@font-face"},
			wantHeaders: map[string]string{
				"Content-Type":  "text/css; charset=utf-8",
				"Cache-Control": "public, max-age=31536000, immutable",
			},
		},
		{
			name: "stylesheet without its hash", url: "/static/style.css",
			wantStatus: http.StatusNotFound,
		},
		{
			name: "stylesheet with a stale hash", url: "/static/style.0000000000.css",
			wantStatus: http.StatusNotFound,
		},
	}
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) { sc.run(t, h) })
	}
}

// TestSecurityHeaders checks every kind of response carries the security headers.
// TestMetrics: /metrics speaks Prometheus' text format, counts requests
// by route pattern (never by path) and reports the open counts.
func TestMetrics(t *testing.T) {
	s := storetest.OpenSQLite(t)
	fixture(t, s)
	h := signIn(t, s, web.New(s, slog.New(slog.DiscardHandler), "v9"), "admin", "ORG-A", "ORG-C")
	for _, u := range []string{"/systems/S001", "/systems/S002", "/nowhere"} {
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", u, nil))
	}
	scrape := func(token string) (int, string) {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest("GET", "/metrics", nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		h.ServeHTTP(rec, req)
		return rec.Code, rec.Body.String()
	}
	whole, err := auth.IssueToken(t.Context(), s, "admin", "scrape", []string{auth.ScopeRead}, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if err := auth.CreateUser(t.Context(), s, auth.NewUser{Name: "ministry-a", Password: "correct horse battery staple",
		Grants: []store.RoleGrant{{Role: "viewer", OrgCode: "ORG-A"}}}, time.Now()); err != nil {
		t.Fatal(err)
	}
	one, err := auth.IssueToken(t.Context(), s, "ministry-a", "scrape", []string{auth.ScopeRead}, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	code, body := scrape(whole)
	for _, want := range []string{
		`mamori_http_requests_total{code="200",method="GET",route="GET /systems/{code}"} 2`,
		`mamori_http_requests_total{code="404",method="GET",route="GET /"} 1`,
		`mamori_http_request_duration_seconds_bucket{route="GET /systems/{code}",le="+Inf"} 2`,
		`mamori_build_info{version="v9"} 1`, "mamori_open_findings 2", "mamori_open_vulnerability_matches 1", "go_goroutines",
	} {
		if code != 200 || !strings.Contains(body, want) {
			t.Errorf("/metrics with a whole-government token = %d, lacks %q", code, want)
		}
	}
	if strings.Contains(body, "S001") {
		t.Errorf("/metrics labels a path")
	}
	// Without a token, or with one ministry's, no government-wide figure.
	for name, token := range map[string]string{"anonymous": "", "one ministry": one} {
		code, body := scrape(token)
		if code != 200 || !strings.Contains(body, "go_goroutines") || strings.Contains(body, "mamori_open_") {
			t.Errorf("/metrics %s = %d, open counts shown: %v", name, code, strings.Contains(body, "mamori_open_"))
		}
	}
	if code, body := scrape("mmr_forged"); code != 401 || strings.Contains(body, "mamori_") {
		t.Errorf("/metrics with a forged token = %d", code)
	}
}

func TestSecurityHeaders(t *testing.T) {
	s := storetest.OpenSQLite(t)
	fixture(t, s)
	h := signIn(t, s, web.New(s, nil, "test"), "admin", "ORG-A", "ORG-C")
	want := map[string]string{
		"X-Content-Type-Options": "nosniff",
		"Referrer-Policy":        "same-origin",
		"X-Frame-Options":        "DENY",
	}
	for _, u := range []string{"/", "/systems", "/systems/S001", "/systems/NOPE", "/systems?page=x", "/healthz", cssURL(t, h)} {
		rr := httptest.NewRecorder()
		h.ServeHTTP(rr, httptest.NewRequest(http.MethodGet, u, nil))
		for k, v := range want {
			if got := rr.Header().Get(k); got != v {
				t.Errorf("GET %s: %s = %q, want %q", u, k, got, v)
			}
		}
		if csp := rr.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") {
			t.Errorf("GET %s: Content-Security-Policy = %q, want default-src 'self'", u, csp)
		}
		if rr.Header().Get("X-Request-Id") == "" {
			t.Errorf("GET %s: no X-Request-Id", u)
		}
	}
}

// TestInternalErrors checks a failing store gives a generic 500 page whose
// detail is logged with the request ID and never shown, and a 503 health check.
func TestInternalErrors(t *testing.T) {
	s := storetest.OpenSQLite(t)
	var logs syncBuffer
	h := signIn(t, s, web.New(s, slog.New(slog.NewJSONHandler(&logs, nil)), "test"), "admin")
	s.Close()

	rr := httptest.NewRecorder()
	h.ServeHTTP(rr, httptest.NewRequest(http.MethodGet, "/systems", nil))
	body := rr.Body.String()
	if rr.Code != http.StatusInternalServerError {
		t.Errorf("GET /systems on a closed store: status = %d, want 500", rr.Code)
	}
	id := rr.Header().Get("X-Request-Id")
	if id == "" || !strings.Contains(body, id) {
		t.Errorf("500 page does not show the request ID %q:\n%s", id, body)
	}
	for _, secret := range []string{"closed", "sql", "store:"} {
		if strings.Contains(body, secret) {
			t.Errorf("500 page shows internal detail %q:\n%s", secret, body)
		}
	}
	if !strings.Contains(body, "サーバでエラーが発生しました") {
		t.Errorf("500 page lacks the generic heading:\n%s", body)
	}
	log := logs.String()
	if !strings.Contains(log, `"msg":"request failed"`) || !strings.Contains(log, `"request_id":"`+id+`"`) ||
		!strings.Contains(log, "closed") {
		t.Errorf("log lacks the error detail with request ID %s:\n%s", id, log)
	}

	scenario{
		name: "health on a closed store", url: "/healthz",
		wantStatus:   http.StatusServiceUnavailable,
		wantContains: []string{`{"status":"unavailable"}`},
		wantHeaders:  map[string]string{"Content-Type": "application/json"},
	}.run(t, h)
}

// TestAccessLog checks one line per request with the method, the matched
// pattern, the status and the duration.
func TestAccessLog(t *testing.T) {
	s := storetest.OpenSQLite(t)
	fixture(t, s)
	var logs syncBuffer
	h := signIn(t, s, web.New(s, slog.New(slog.NewJSONHandler(&logs, nil)), "test"), "admin", "ORG-A", "ORG-C")
	for _, u := range []string{"/systems/S001", "/systems/NOPE"} {
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, u, nil))
	}
	lines := strings.Split(strings.TrimSpace(logs.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("access log has %d lines, want 2:\n%s", len(lines), logs.String())
	}
	for i, want := range []string{`"status":200`, `"status":404`} {
		for _, part := range []string{`"msg":"http request"`, `"method":"GET"`, `"pattern":"GET /systems/{code}"`, want, `"duration":`, `"request_id":"`} {
			if !strings.Contains(lines[i], part) {
				t.Errorf("access log line %d = %s, want it to contain %s", i, lines[i], part)
			}
		}
	}
}

// TestNewTemplatesParse checks New itself does not panic with the embedded templates.
func TestNewTemplatesParse(t *testing.T) {
	defer func() {
		if p := recover(); p != nil {
			t.Fatalf("New panicked: %v", p)
		}
	}()
	web.New(storetest.OpenSQLite(t), nil, "test")
}
