package api_test

import (
	"strings"
	"testing"

	"mamori/internal/api"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// TestAttack2RegisterCrossMinistry: what the write API tells a ministry's
// officer about another ministry's records. Codes are one namespace for
// the whole government, so creating a record under a code another
// ministry uses must be refused, and that it is in use cannot be hidden
// (README, Security): whose it is, and what it holds, can. Everything
// else about another ministry's record answers like a missing one.
func TestAttack2RegisterCrossMinistry(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		fixture(t, st)
		tok := writeTokens(t, st)
		h := api.New(st, nil)
		b := tok["officer-b/write"]
		body := func(code string) string {
			return strings.Replace(systemBody("乙の新システム", "code", code), `"org_code":"A-C"`, `"org_code":"B-C"`, 1)
		}
		// Another ministry's code: refused, naming neither its ministry nor its values.
		res := send(t, h, nil, b, "POST", "/api/v1/register/systems", body("SA1"), nil)
		if res.Code != 422 || !strings.Contains(res.Body.String(), "in use by an organization you may not") {
			t.Errorf("B creating A's code = %d\n%s", res.Code, res.Body.String())
		}
		for _, leak := range []string{"甲", "A-C", "MIN-A"} {
			if strings.Contains(res.Body.String(), leak) {
				t.Errorf("the refusal names %q\n%s", leak, res.Body.String())
			}
		}
		// Changing it, whatever the version: as missing.
		for _, v := range []string{"", `"v1-0"`, "*"} {
			hd := map[string]string{}
			if v != "" {
				hd["If-Match"] = v
			}
			if res := send(t, h, nil, b, "PUT", "/api/v1/register/systems/SA1", body("SA1"), hd); res.Code != 404 {
				t.Errorf("B changing SA1 with If-Match %q = %d, want 404\n%s", v, res.Code, res.Body.String())
			}
		}
		// Hanging records from it: as missing.
		for _, c := range []struct{ path, body string }{
			{"/api/v1/register/components", `{"code":"SB1-X","system_code":"SA1","kind":"server"}`},
			{"/api/v1/register/system_costs", `{"system_code":"SA1","fiscal_year":"2025","kind":"運用経費","amount":"1"}`},
			{"/api/v1/register/components", `{"code":"SB1-Y","system_code":"NOPE","kind":"server"}`},
		} {
			res := send(t, h, nil, b, "POST", c.path, c.body, nil)
			if res.Code != 422 || !strings.Contains(res.Body.String(), "no systems record") {
				t.Errorf("%s %s = %d\n%s", c.path, c.body, res.Code, res.Body.String())
			}
		}
		// Key tricks address no record.
		for _, p := range []string{"SA1%2F..", "..%2FSA1", "~", "SA1/extra", "%53A1%00", "%E3%81"} {
			if res := send(t, h, nil, b, "PUT", "/api/v1/register/systems/"+p, body("SA1"), map[string]string{"If-Match": `"x"`}); res.Code != 404 && res.Code != 400 {
				t.Errorf("PUT systems/%s = %d\n%s", p, res.Code, res.Body.String())
			}
		}
	})
}
