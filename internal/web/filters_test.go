package web_test

import (
	"log/slog"
	"testing"

	"mamori/internal/store"
	"mamori/internal/store/storetest"
	"mamori/internal/web"
)

// TestSystemComponentsPaged: a system page lists every component, a
// hundred at a time (?cpage=N), filtered by code or name, kind and open
// vulnerability, each paging link keeping the filter (issue 13: the first
// 100 of 1,471 only).
func TestSystemComponentsPaged(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		fixture(t, s)
		h := signIn(t, s, web.New(s, slog.New(slog.DiscardHandler), "test"), "viewer", "ORG-A", "ORG-C")
		for _, sc := range []scenario{
			{
				name: "second page", url: "/systems/S001?cpage=2",
				wantStatus: 200,
				wantContains: []string{"全105件中 101〜105件目（2/2ページ）", `<td class="code">K0101</td>`, `<td class="code">K0105</td>`,
					`<a href="/systems/S001#components">« 最初</a>`, `<a rel="prev" href="/systems/S001#components">`},
				wantNotContains: []string{`<td class="code">K0100</td>`, `rel="next"`},
			},
			{
				name: "first page links to the second", url: "/systems/S001",
				wantStatus:      200,
				wantContains:    []string{"全105件中 1〜100件目（1/2ページ）", `<a rel="next" href="/systems/S001?cpage=2#components">`, `<a href="/systems/S001?cpage=2#components">最後 »</a>`},
				wantNotContains: []string{`<td class="code">K0101</td>`},
			},
			{
				name: "by name, the filter kept in the form", url: "/systems/S001?cq=AP%E3%82%B5%E3%83%BC%E3%83%9010",
				wantStatus: 200,
				// APサーバ10 and APサーバ100 to 105.
				wantContains: []string{"全7件中 1〜7件目（1/1ページ）", `<td class="code">K0010</td>`, `<td class="code">K0105</td>`,
					`<input type="search" id="cq" name="cq" value="APサーバ10"`, `<label for="cq">機器番号・名称</label>`,
					`<a href="/systems/S001#components">条件をクリア</a>`},
				wantNotContains: []string{`<td class="code">K0011</td>`},
			},
			{
				name: "by code", url: "/systems/S001?cq=K0042",
				wantStatus:   200,
				wantContains: []string{"全1件中 1〜1件目（1/1ページ）", `<td class="code">K0042</td>`},
			},
			{
				name: "with an open vulnerability", url: "/systems/S001?cvuln=1",
				wantStatus:      200,
				wantContains:    []string{"全1件中 1〜1件目", `<td class="code">K0001</td>`, `<input type="checkbox" id="cvuln" name="cvuln" value="1" checked>`},
				wantNotContains: []string{`<td class="code">K0003</td>`},
			},
			{
				name: "by kind, none", url: "/systems/S001?ckind=recorder",
				wantStatus:   200,
				wantContains: []string{"条件に合う構成要素はありません。", `<option value="recorder" selected>`},
			},
			{
				name: "paging keeps the filter", url: "/systems/S001?ckind=server&cpage=2",
				wantStatus:   200,
				wantContains: []string{"全105件中 101〜105件目", `<a rel="prev" href="/systems/S001?ckind=server#components">`},
			},
			{
				name: "in English", url: "/systems/S001?cpage=2&lang=en",
				wantStatus:   200,
				wantContains: []string{"101–105 of 105 (page 2 of 2)", `<label for="cq">Code or name</label>`, "Only those with an open vulnerability"},
			},
			{name: "an unknown kind", url: "/systems/S001?ckind=spaceship", wantStatus: 400},
			{name: "a bad page", url: "/systems/S001?cpage=0", wantStatus: 400},
		} {
			t.Run(sc.name, func(t *testing.T) { sc.run(t, h) })
		}
	})
}

// TestFindingsForm: the findings form offers every filter the list takes
// (control, organization, target, severity, age, state, result), labelled
// in the page's language and keeping the values asked; the list applies
// them, and its pages keep them.
func TestFindingsForm(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		fixture(t, s)
		h := signIn(t, s, web.New(s, slog.New(slog.DiscardHandler), "test"), "viewer", "ORG-A", "ORG-C")
		for _, sc := range []scenario{
			{
				name: "the form", url: "/findings",
				wantStatus: 200,
				wantContains: []string{`<label for="org">組織コード（配下を含まない）</label>`, `<input type="search" id="org" name="org" value="" maxlength="200" list="org-options">`,
					`<option value="ORG-A">総務省</option>`, `<label for="target">対象コード</label>`, `<label for="severity">重要度</label>`,
					`<option value="critical">緊急</option>`, `<label for="age">初回検出から（日以上）</label>`, `<input type="number" id="age" name="age"`},
			},
			{
				name: "in English", url: "/findings?lang=en",
				wantStatus: 200,
				wantContains: []string{`<label for="org">Organization code (not its subtree)</label>`, `<label for="target">Target code</label>`,
					`<label for="age">First seen at least (days ago)</label>`},
			},
			{
				name: "by severity", url: "/findings?severity=high",
				wantStatus:      200,
				wantContains:    []string{"全1件中 1〜1件目", `>K0002</a>`, `<option value="high" selected>高</option>`},
				wantNotContains: []string{`>S001</a><br>`},
			},
			{
				name: "by target", url: "/findings?target=S001",
				wantStatus:      200,
				wantContains:    []string{"全1件中 1〜1件目", `>S001</a>`, `<input type="search" id="target" name="target" value="S001"`},
				wantNotContains: []string{`>K0002</a>`},
			},
			{
				name: "by organization", url: "/findings?org=ORG-A",
				wantStatus:   200,
				wantContains: []string{"全2件中", `value="ORG-A" maxlength="200" list="org-options"`},
			},
			{
				name: "by age: open for a day or more", url: "/findings?age=1",
				wantStatus:   200,
				wantContains: []string{"全2件中", `<input type="number" id="age" name="age" value="1"`},
			},
			{
				name: "by age: none open for a hundred years", url: "/findings?age=36500",
				wantStatus:   200,
				wantContains: []string{"全0件", "該当する指摘事項はありません。"},
			},
			{
				name: "pages keep the filters", url: "/findings?severity=high&target=K0002&age=1&page=2",
				wantStatus:   200,
				wantContains: []string{`<a rel="prev" href="/findings?age=1&amp;severity=high&amp;target=K0002">`},
			},
			{name: "an unknown severity", url: "/findings?severity=dire", wantStatus: 400},
			{name: "a bad age", url: "/findings?age=-3", wantStatus: 400},
		} {
			t.Run(sc.name, func(t *testing.T) { sc.run(t, h) })
		}
	})
}
