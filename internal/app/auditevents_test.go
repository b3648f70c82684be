package app_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"mamori/internal/store/storetest"
)

// TestAuditEventsCLI runs each command that decides findings or takes data
// out, and each kind of refused import, and checks that every one left its
// entry, filed under every organization (or the one it concerned), and
// that the chain verifies.
func TestAuditEventsCLI(t *testing.T) {
	for dialect, db := range storetest.DSNs(t) {
		t.Run(dialect, func(t *testing.T) {
			dir := t.TempDir()
			mamori := func(code int, args ...string) result {
				t.Helper()
				r := run(t, map[string]string{"USER": "op"}, append([]string{"--db", db}, args...)...)
				if r.code != code {
					t.Fatalf("mamori %v = %+v, want exit %d", args, r, code)
				}
				return r
			}
			write := func(name, text string) string {
				p := filepath.Join(dir, name)
				if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
					t.Fatal(err)
				}
				return p
			}
			mamori(0, "demo", "--scale", "small", "--no-serve")
			mamori(0, "catalog", "set", "unified", "LOG-02", "days", "30")
			mamori(0, "catalog", "unset", "unified", "LOG-02", "days")
			mamori(1, "catalog", "import", write("broken-catalog.json", `{"catalog":`))
			mamori(0, "check", "--today", "2026-11-01")
			mamori(1, "vuln", "import", write("broken-feed.json", `{"vulnerabilities": [`))
			mamori(0, "vuln", "match")
			mamori(0, "vuln", "report", "--format", "json")
			mamori(0, "report", "audit", "--format", "md")
			mamori(0, "report", "oscal", "--kind", "poam")
			mamori(1, "import", write("systems.csv", "台帳番号,所管組織コード,情報システム名\nZ1,NO-SUCH-ORG,x\n"))

			r := mamori(0, "audit", "list", "--format", "json", "--limit", "0")
			var got struct {
				Entries []struct {
					Actor, Action, Target, Detail string
					Orgs                          []string
				} `json:"entries"`
			}
			if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
				t.Fatal(err)
			}
			var seen []string
			for _, e := range got.Entries {
				seen = append(seen, e.Action+"|"+e.Target+"|"+strings.Join(e.Orgs, " ")+"|"+e.Detail)
			}
			for _, want := range []struct {
				action, target string
				has            []string
			}{
				{"catalog", "catalog/unified", []string{"|*|", `"event":"set"`, `"value":"30"`}},
				{"catalog", "catalog/unified", []string{"|*|", `"event":"unset"`}},
				{"import_refused", "catalog/broken-catalog.json", []string{"*", `"problems":1`}},
				{"check", "assessment/", []string{"|*|", `"findings":`}},
				{"import_refused", "broken-feed.json", []string{"*", `"reasons":`}},
				{"match", "match", []string{"*", `"matches":`}},
				{"export", "vuln report", []string{"*", `"format":"json"`}},
				{"export", "report/audit", []string{"*", `"format":"md"`}},
				{"export", "oscal/poam", []string{"*", `"out":"stdout"`}},
				{"import_refused", "systems.csv", []string{"*", `"problems":3`, "required column"}},
			} {
				found := false
				for _, v := range seen {
					if !strings.HasPrefix(v, want.action+"|"+want.target) {
						continue
					}
					ok := true
					for _, h := range want.has {
						ok = ok && strings.Contains(v, h)
					}
					found = found || ok
				}
				if !found {
					t.Errorf("no %s entry for %q holding %v among %v", want.action, want.target, want.has, seen)
				}
			}
			if r := mamori(0, "audit", "verify"); !strings.Contains(r.stdout, "intact") {
				t.Errorf("audit verify = %+v", r)
			}
		})
	}
}
