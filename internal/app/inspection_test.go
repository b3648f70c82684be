package app_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"mamori/internal/auth"
	"mamori/internal/demo"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// TestInspectionCommands: inspection open, answer, list and show, on both
// stores; an answer by someone other than the inspector, a mistyped one and
// one to a control the round does not ask are refused and change nothing.
func TestInspectionCommands(t *testing.T) {
	for dialect, db := range storetest.DSNs(t) {
		t.Run(dialect, func(t *testing.T) {
			dir := t.TempDir()
			files := map[string]string{
				"organizations.csv":    "code,parent_code,kind,name\nGOV,,government,政府\nM01,GOV,ministry,総務省\n",
				"projects.csv":         "code,org_code,name\nPJ-SZ,M01,セキュアゾーン\n",
				"project_reviews.csv":  "project_code,stage\nPJ-SZ,requirements\n",
				"self-inspection.json": string(demo.SelfInspectionCatalog()),
			}
			for name, body := range files {
				if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			if r := run(t, nil, "--db", db, "import", filepath.Join(dir, "organizations.csv"), filepath.Join(dir, "projects.csv"),
				filepath.Join(dir, "project_reviews.csv")); r.code != 0 {
				t.Fatalf("import = %+v", r)
			}
			if r := run(t, nil, "--db", db, "catalog", "import", filepath.Join(dir, "self-inspection.json")); r.code != 0 {
				t.Fatalf("catalog import = %+v", r)
			}
			st, err := store.Open(t.Context(), db)
			if err != nil {
				t.Fatal(err)
			}
			for name, grant := range map[string]string{"pjmo": "system_officer", "pmo": "org_security"} {
				if err := auth.CreateUser(t.Context(), st, auth.NewUser{Name: name, Password: "correct horse battery staple",
					Grants: []store.RoleGrant{{Role: grant, OrgCode: "M01"}}}, time.Now()); err != nil {
					t.Fatal(err)
				}
			}
			st.Close()
			r := run(t, nil, "--db", db, "inspection", "open", "--as", "pjmo", "--project", "PJ-SZ", "--stage", "requirements")
			if r.code != 0 || r.stdout != "1\n" || !strings.Contains(r.stderr, "opened self-inspection 1 (PJ-SZ requirements, organization M01): 6 questions") {
				t.Fatalf("inspection open = %+v", r)
			}
			if r := run(t, nil, "--db", db, "inspection", "answer", "--as", "pmo", "1", "SI-01", "yes"); r.code == 0 || !strings.Contains(r.stderr, "only the inspector") {
				t.Errorf("an answer by the PMO = %+v", r)
			}
			if r := run(t, nil, "--db", db, "inspection", "answer", "--as", "pjmo", "1", "SI-01", "maybe"); r.code == 0 || !strings.Contains(r.stderr, `"maybe" is not allowed`) {
				t.Errorf("a mistyped answer = %+v", r)
			}
			if r := run(t, nil, "--db", db, "inspection", "answer", "--as", "pjmo", "1", "AC-2", "yes"); r.code == 0 || !strings.Contains(r.stderr, "asks nothing") {
				t.Errorf("a control not asked = %+v", r)
			}
			if r := run(t, nil, "--db", db, "inspection", "answer", "--as", "pjmo", "--note", "計画書 p.3", "1", "si-04", "no"); r.code != 0 {
				t.Errorf("answer = %+v", r)
			}
			r = run(t, nil, "--db", db, "inspection", "list")
			if r.code != 0 || !strings.Contains(r.stdout, "PJ-SZ requirements") || !strings.Contains(r.stdout, "5/6") || !strings.Contains(r.stdout, "1 rounds") {
				t.Errorf("inspection list = %+v", r)
			}
			r = run(t, nil, "--db", db, "inspection", "show", "1")
			for _, w := range []string{"project PJ-SZ, stage requirements", "state drafted, inspector pjmo, version 2", "SI-04", "計画書 p.3"} {
				if r.code != 0 || !strings.Contains(r.stdout, w) {
					t.Errorf("inspection show lacks %q: %+v", w, r)
				}
			}
			if r := run(t, nil, "--db", db, "inspection", "show", "9"); r.code == 0 {
				t.Errorf("show of a missing round = %+v", r)
			}
		})
	}
}
