package web_test

import (
	"fmt"
	"log/slog"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	"mamori"
	"mamori/internal/register"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
	"mamori/internal/web"
)

var systemsEntity = mamori.EntityByName("systems")

// recordForm is the editor's form as a browser posts it for rec: every
// field, as its input holds it.
func recordForm(e *mamori.Entity, rec mamori.Record, version string) url.Values {
	f := url.Values{}
	for i, fd := range e.Fields {
		v := ""
		switch x := rec[i].(type) {
		case string:
			v = x
		case int64:
			v = strconv.FormatInt(x, 10)
		case bool:
			v = strconv.FormatBool(x)
		}
		f.Set(fd.Column, v)
	}
	if version != "" {
		f.Set("version", version)
	}
	return f
}

func storedRecord(t *testing.T, s *store.Store, e *mamori.Entity, key ...any) mamori.Record {
	t.Helper()
	rec, err := s.GetByKey(t.Context(), e, key)
	if err != nil {
		t.Fatal(err)
	}
	return rec
}

var versionInput = regexp.MustCompile(`name="version" value="([^"]+)"`)

// pageVersion reads the version a record's form carries.
func pageVersion(t *testing.T, body string) string {
	t.Helper()
	m := versionInput.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no version in the form:\n%s", clipBody(body))
	}
	return m[1]
}

func TestRegisterEditor(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		treeFixture(t, s)
		h := web.New(s, slog.New(slog.DiscardHandler), "test")
		officer := grantedSession(t, s, "officer-ma", "system_officer@MA")
		viewer := grantedSession(t, s, "viewer-ma", "viewer@MA")
		own, other := "/register/systems/SYS-ZZMAZZ", "/register/systems/SYS-ZZMBZZ"

		// The index and the list hold the user's scope only.
		res := do(h, "GET", "/register", officer, nil)
		wantCode(t, res, 200, "index")
		if !strings.Contains(res.Body.String(), `href="/register/new/contracts"`) {
			t.Errorf("the index offers no new contract:\n%s", clipBody(res.Body.String()))
		}
		res = do(h, "GET", "/register/systems", officer, nil)
		wantCode(t, res, 200, "list")
		if b := res.Body.String(); !strings.Contains(b, "SYS-ZZMA1ZZ") || strings.Contains(b, "ZZMBZZ") || !strings.Contains(b, `href="`+own+`"`) {
			t.Errorf("list of systems:\n%s", clipBody(b))
		}
		res = do(h, "GET", "/register/components?q=CMP-ZZMBZZ", officer, nil)
		wantCode(t, res, 200, "search")
		if strings.Contains(res.Body.String(), `href="/register/components/CMP-ZZMBZZ"`) {
			t.Errorf("search finds another ministry's component")
		}

		// Another ministry's record answers as a missing one.
		for _, target := range []string{other, "/register/systems/NO-SUCH"} {
			wantCode(t, do(h, "GET", target, officer, nil), 404, "GET "+target)
		}
		mb := storedRecord(t, s, systemsEntity, "SYS-ZZMBZZ")
		wantCode(t, do(h, "POST", other, officer, recordForm(systemsEntity, mb, register.Version(systemsEntity, mb))), 404, "POST "+other)

		// Edit: the form carries the version; a save changes the record.
		res = do(h, "GET", own, officer, nil)
		wantCode(t, res, 200, "own record")
		v1 := pageVersion(t, res.Body.String())
		rec := storedRecord(t, s, systemsEntity, "SYS-ZZMAZZ")
		form := recordForm(systemsEntity, rec, v1)
		form.Set("name", "改称した業務システム")
		form.Set("go_live_on", "令和6年4月1日")
		res = do(h, "POST", own, officer, form)
		wantCode(t, res, 303, "save")
		saved := storedRecord(t, s, systemsEntity, "SYS-ZZMAZZ")
		if saved[systemsEntity.FieldIndex("name")] != "改称した業務システム" || saved[systemsEntity.FieldIndex("go_live_on")] != "2024-04-01" {
			t.Fatalf("saved %v", saved)
		}
		res = do(h, "GET", res.Header().Get("Location"), officer, nil)
		if !strings.Contains(res.Body.String(), "保存しました") {
			t.Errorf("no confirmation after the save")
		}

		// A second tab still holding the first version: refused, told,
		// nothing changed, and what it typed kept.
		form.Set("name", "古い画面からの変更")
		res = do(h, "POST", own, officer, form)
		wantCode(t, res, 409, "stale save")
		if b := res.Body.String(); !strings.Contains(b, "他の人が変更しました") || !strings.Contains(b, "古い画面からの変更") || !strings.Contains(b, `href="`+own+`"`) {
			t.Errorf("stale page:\n%s", clipBody(b[strings.Index(b, "<main"):]))
		}
		if got := storedRecord(t, s, systemsEntity, "SYS-ZZMAZZ"); register.Version(systemsEntity, got) != register.Version(systemsEntity, saved) {
			t.Errorf("a stale save changed the record")
		}

		// An invalid value: refused next to its field, nothing written,
		// what was typed kept.
		v2 := register.Version(systemsEntity, saved)
		form = recordForm(systemsEntity, saved, v2)
		form.Set("confidentiality", "9")
		form.Set("name", "書き込まれない名称")
		res = do(h, "POST", own, officer, form)
		wantCode(t, res, 422, "invalid save")
		if b := res.Body.String(); !strings.Contains(b, `id="f-confidentiality-err"`) || !strings.Contains(b, "1 から 3 の範囲") || !strings.Contains(b, `value="書き込まれない名称"`) {
			t.Errorf("invalid page:\n%s", clipBody(b[strings.Index(b, "<main"):]))
		}
		if got := storedRecord(t, s, systemsEntity, "SYS-ZZMAZZ"); register.Version(systemsEntity, got) != v2 {
			t.Errorf("an invalid save changed the record")
		}
		// Moving the system to another ministry: refused.
		form = recordForm(systemsEntity, saved, v2)
		form.Set("org_code", "MB")
		wantCode(t, do(h, "POST", own, officer, form), 422, "move to MB")

		// Create, then create again: the second is refused.
		form = recordForm(systemsEntity, saved, "")
		form.Set("code", "SYS-NEW")
		form.Set("org_code", "MA-1")
		res = do(h, "POST", "/register/new/systems", officer, form)
		wantCode(t, res, 303, "create")
		if res.Header().Get("Location") != "/register/systems/SYS-NEW?done=saved" {
			t.Errorf("create went to %s", res.Header().Get("Location"))
		}
		if storedRecord(t, s, systemsEntity, "SYS-NEW") == nil {
			t.Fatal("not created")
		}
		res = do(h, "POST", "/register/new/systems", officer, form)
		wantCode(t, res, 409, "second create")
		if !strings.Contains(res.Body.String(), "既にあります") {
			t.Errorf("second create page:\n%s", clipBody(res.Body.String()))
		}
		// Creating in another ministry: refused, nothing written.
		form.Set("code", "SYS-NEW-B")
		form.Set("org_code", "MB")
		wantCode(t, do(h, "POST", "/register/new/systems", officer, form), 422, "create in MB")
		if storedRecord(t, s, systemsEntity, "SYS-NEW-B") != nil {
			t.Error("created in another ministry")
		}

		// A viewer reads, and may not write.
		res = do(h, "GET", own, viewer, nil)
		wantCode(t, res, 200, "viewer's record")
		if strings.Contains(res.Body.String(), `class="editor"`) || !strings.Contains(res.Body.String(), "改称した業務システム") {
			t.Errorf("viewer's page:\n%s", clipBody(res.Body.String()))
		}
		wantCode(t, do(h, "POST", own, viewer, recordForm(systemsEntity, saved, v2)), 403, "viewer's save")
		if b := do(h, "GET", "/register/components/CMP-ZZMAZZ", viewer, nil).Body.String(); !strings.Contains(b, `<a href="`+own+`">SYS-ZZMAZZ</a>`) {
			t.Errorf("a component's page does not link to its system:\n%s", clipBody(b[strings.Index(b, "<main"):]))
		}
		wantCode(t, do(h, "GET", "/register/new/systems", viewer, nil), 403, "viewer's new form")

		// The system's page links to its editor page.
		if !strings.Contains(do(h, "GET", "/systems/SYS-ZZMAZZ", officer, nil).Body.String(), `href="`+own+`"`) {
			t.Error("the system's page does not link to the editor")
		}
		// Every entity's pages render, empty or not.
		for _, e := range mamori.Entities {
			wantCode(t, do(h, "GET", "/register/"+e.Name, officer, nil), 200, "list "+e.Name)
			res := do(h, "GET", "/register/new/"+e.Name, officer, nil)
			if res.Code != 200 && res.Code != 403 {
				t.Errorf("new %s: %d", e.Name, res.Code)
			}
		}
		wantCode(t, do(h, "GET", "/register/no_such", officer, nil), 404, "unknown entity")

		// Two people save the one record at once from the same version:
		// exactly one wins, the other is told.
		cur := storedRecord(t, s, systemsEntity, "SYS-ZZMAZZ")
		codes := make([]int, 2)
		var wg sync.WaitGroup
		for i := range 2 {
			wg.Go(func() {
				f := recordForm(systemsEntity, cur, register.Version(systemsEntity, cur))
				f.Set("name", fmt.Sprintf("同時の保存 %d", i))
				codes[i] = do(h, "POST", own, officer, f).Code
			})
		}
		wg.Wait()
		if !(codes[0] == 303 && codes[1] == 409 || codes[0] == 409 && codes[1] == 303) {
			t.Errorf("two saves at once answered %v, want one 303 and one 409", codes)
		}
	})
}

// TestRegisterCompositeKeys: records whose key has several parts, some of
// them dates or numbers, are addressed and saved by their parts.
func TestRegisterCompositeKeys(t *testing.T) {
	s := storetest.OpenSQLite(t)
	treeFixture(t, s)
	h := web.New(s, slog.New(slog.DiscardHandler), "test")
	officer := grantedSession(t, s, "officer-ma", "system_officer@MA")
	costs := mamori.EntityByName("system_costs")
	form := url.Values{"system_code": {"SYS-ZZMAZZ"}, "fiscal_year": {"令和7年度"}, "kind": {"operation"}, "amount": {"1億2000万円"}}
	res := do(h, "POST", "/register/new/system_costs", officer, form)
	wantCode(t, res, 303, "create a cost")
	loc := res.Header().Get("Location")
	if loc != "/register/system_costs/SYS-ZZMAZZ/2025/operation?done=saved" {
		t.Fatalf("created at %s", loc)
	}
	rec := storedRecord(t, s, costs, "SYS-ZZMAZZ", int64(2025), "operation")
	if rec == nil || rec[3] != int64(120000000) {
		t.Fatalf("stored %v", rec)
	}
	res = do(h, "GET", strings.TrimSuffix(loc, "?done=saved"), officer, nil)
	wantCode(t, res, 200, "the cost's page")
	form = url.Values{"amount": {"5000"}, "version": {pageVersion(t, res.Body.String())}}
	wantCode(t, do(h, "POST", strings.TrimSuffix(loc, "?done=saved"), officer, form), 303, "save a cost")
	if got := storedRecord(t, s, costs, "SYS-ZZMAZZ", int64(2025), "operation"); got[3] != int64(5000) {
		t.Errorf("after save %v", got)
	}
	for _, bad := range []string{"/register/system_costs/SYS-ZZMAZZ/2025", "/register/system_costs/SYS-ZZMAZZ/x/operation", "/register/system_costs/SYS-ZZMAZZ/2024/operation"} {
		wantCode(t, do(h, "GET", bad, officer, nil), 404, bad)
	}
	// A key with a slash and a tilde in it has one address.
	sys := recordForm(systemsEntity, storedRecord(t, s, systemsEntity, "SYS-ZZMAZZ"), "")
	sys.Set("code", "A/B~C")
	res = do(h, "POST", "/register/new/systems", officer, sys)
	wantCode(t, res, 303, "create A/B~C")
	if want := "/register/systems/A%2FB%7EC?done=saved"; res.Header().Get("Location") != want {
		t.Errorf("created at %s, want %s", res.Header().Get("Location"), want)
	}
	wantCode(t, do(h, "GET", "/register/systems/A%2FB%7EC", officer, nil), 200, "GET A/B~C")
}
