package web_test

import (
	"bytes"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"mamori/internal/store"
	"mamori/internal/store/storetest"
	"mamori/internal/web"
)

// uploadList posts a list file as the /cloud-lists form does.
func uploadList(t *testing.T, h http.Handler, name, kind string, data []byte) *httptest.ResponseRecorder {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("kind", kind)
	fw, err := mw.CreateFormFile("list", name)
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(data)
	mw.Close()
	req := httptest.NewRequest("POST", "/cloud-lists", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// TestCloudListsPage: every signed-in user reads the lists; the import
// form is shown to, and accepted from, a central administrator of the
// whole government only; another ministry's administrator is refused and
// nothing is stored; a bad row is named and nothing is stored.
func TestCloudListsPage(t *testing.T) {
	sample, err := os.ReadFile("../../testdata/cloudlists/ismap-sample.csv")
	if err != nil {
		t.Fatal(err)
	}
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		fixture(t, s)
		h := web.New(s, slog.New(slog.DiscardHandler), "test")
		central := withSession(h, grantedSession(t, s, "central", "central_admin@ORG-A", "central_admin@ORG-C"))
		minister := withSession(h, grantedSession(t, s, "minister", "central_admin@ORG-A"))
		viewer := withSession(h, grantedSession(t, s, "viewer", "viewer@ORG-C"))

		rec := do(viewer, "GET", "/cloud-lists", "", nil)
		if rec.Code != 200 || !strings.Contains(rec.Body.String(), "ISMAPクラウドサービスリスト") || strings.Contains(rec.Body.String(), `action="/cloud-lists"`) {
			t.Fatalf("viewer GET /cloud-lists = %d\n%s", rec.Code, clipBody(rec.Body.String()))
		}
		if body := do(central, "GET", "/cloud-lists", "", nil).Body.String(); !strings.Contains(body, `action="/cloud-lists"`) || !strings.Contains(body, `<label for="list-file">`) {
			t.Errorf("central administrator sees no import form\n%s", clipBody(body))
		}
		for name, hh := range map[string]http.Handler{"minister": minister, "viewer": viewer} {
			if rec := uploadList(t, hh, "ismap-sample.csv", "ismap", sample); rec.Code != http.StatusForbidden {
				t.Errorf("%s uploads: %d", name, rec.Code)
			}
		}
		if snaps, _ := s.CloudListSnapshots(t.Context()); len(snaps) != 0 {
			t.Fatalf("refused uploads stored %v", snaps)
		}
		bad := bytes.Replace(sample, []byte("2026-09-30"), []byte("いつか"), 1)
		rec = uploadList(t, central, "ismap-sample.csv", "ismap", bad)
		if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), "8行目") || !strings.Contains(rec.Body.String(), "有効期限") {
			t.Errorf("bad row = %d\n%s", rec.Code, clipBody(rec.Body.String()))
		}
		rec = uploadList(t, central, "ismap-sample.csv", "ismap", sample)
		if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/cloud-lists/1" {
			t.Fatalf("central uploads = %d %v\n%s", rec.Code, rec.Header(), clipBody(rec.Body.String()))
		}
		body := do(viewer, "GET", "/cloud-lists/1", "", nil).Body.String()
		for _, want := range []string{"C22-0104-1", "見本文書管理サービス", "ismap-sample.csv", "4645975c55e2"} {
			if !strings.Contains(body, want) {
				t.Errorf("snapshot page lacks %q\n%s", want, clipBody(body))
			}
		}
		en := do(viewer, "GET", "/cloud-lists?lang=en", "", nil).Body.String()
		for _, want := range []string{"ISMAP cloud service lists", "Imported lists", "newest"} {
			if !strings.Contains(en, want) {
				t.Errorf("English page lacks %q", want)
			}
		}
		if rec := do(viewer, "GET", "/cloud-lists/abc", "", nil); rec.Code != 404 {
			t.Errorf("GET /cloud-lists/abc = %d", rec.Code)
		}
	})
}
