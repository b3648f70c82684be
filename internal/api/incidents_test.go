package api_test

import (
	"encoding/json"
	"strings"
	"testing"

	"mamori/internal/api"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// TestIncidentAPI records an incident through the API and tries to cross
// the organization tree on every path: another ministry's token neither
// reads the incident (404 like a missing one) nor records one for the
// ministry, nor names another ministry's system or a timeline out of order;
// every response is checked against openapi.yaml.
func TestIncidentAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		h, tokens := wfFixture(t, st)
		router := validator(t)
		do := func(who, method, path, body string, want int, has ...string) answer {
			t.Helper()
			ct := ""
			if body != "" {
				ct = "application/json"
			}
			a := call(t, h, router, tokens[who], method, path, ct, []byte(body))
			if a.code != want {
				t.Errorf("%s %s %s = %d, want %d\n%s", who, method, path, a.code, want, a.body)
			}
			for _, s := range has {
				if !strings.Contains(a.body, s) {
					t.Errorf("%s %s %s lacks %q\n%s", who, method, path, s, a.body)
				}
			}
			return a
		}
		good := `{"org_code": "A-C", "class": "malware", "severity": "high", "occurred_on": "2026-11-29", "detected_on": "2026-11-30", "detected_time": "10:05", "system_code": "SA1", "summary": "マルウェア検知"}`
		do("abe-read", "POST", "/api/v1/incidents", good, 403)
		do("kato", "POST", "/api/v1/incidents", good, 403)
		do("abe", "POST", "/api/v1/incidents", strings.Replace(good, `"SA1"`, `"SB1"`, 1), 400, "another organization")
		do("abe", "POST", "/api/v1/incidents", strings.Replace(good, `"2026-11-29"`, `"2026-12-01"`, 1), 400, "detected_on")
		do("abe", "POST", "/api/v1/incidents", strings.Replace(good, `"malware"`, `"nope"`, 1), 400, "class")
		do("abe", "POST", "/api/v1/incidents", `{"org_code": "A-C", "class": "malware", "detected_on": "2026-11-30", "orgs": ["MIN-B"]}`, 400)
		a := do("abe", "POST", "/api/v1/incidents", good, 201, `"state": "detected"`)
		var in api.Incident
		if err := json.Unmarshal([]byte(a.body), &in); err != nil {
			t.Fatal(err)
		}
		if in.Code != "A-C-IN20261130-1" || in.DetectedTime != "10:05" || len(in.Systems) != 1 || in.Workflow == 0 {
			t.Errorf("created %+v", in)
		}
		do("abe", "GET", "/api/v1/incidents/"+in.Code, "", 200, "マルウェア検知")
		do("kato", "GET", "/api/v1/incidents/"+in.Code, "", 404)
		do("kato", "GET", "/api/v1/incidents/NO-SUCH", "", 404)
		do("kato", "GET", "/api/v1/incidents?org=A-C", "", 404)
		if l := do("kato", "GET", "/api/v1/incidents", "", 200); strings.Contains(l.body, in.Code) {
			t.Errorf("another ministry lists the incident:\n%s", l.body)
		}
		l := do("tanaka", "GET", "/api/v1/incidents", "", 200, in.Code, `"open": 1`)
		_ = l
	})
}
