package register_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"mamori"
	"mamori/internal/auth"
	"mamori/internal/register"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
	"mamori/internal/workflow"
)

// TestIncidentImportScope: a user of ministry MA records its own incident
// register, and every path into ministry MB's is refused with nothing
// written: an incident of MB, MA's incident naming MB's system or MB as
// affected, MB's CSIRT member or drill, a declaration for MB, and the
// classes everyone shares.
func TestIncidentImportScope(t *testing.T) {
	s := scopeStore(t)
	people := "people.csv"
	if _, err := register.Import(t.Context(), s, inputs(map[string]string{
		people: "code,org_code,name,status\nPA,MA,甲 太郎,active\nPB,MB,乙 花子,active\n",
	})); err != nil {
		t.Fatal(err)
	}
	opts := register.Options{Allow: inMA}
	own := map[string]string{
		"incidents.csv":             "code,org_code,category,detected_on,recovered_on\nIA,MA-1,malware,2026-04-02,2026-04-05\n",
		"incident_systems.csv":      "incident_code,system_code\nIA,SA\n",
		"incident_orgs.csv":         "incident_code,org_code\nIA,MA\n",
		"incident_declarations.csv": "org_code,fiscal_year\nMA,2025\n",
		"csirts.csv":                "org_code,established_on,documented_on\nMA,2019-04-01,2019-06-01\n",
		"csirt_members.csv":         "org_code,person_code,role\nMA,PA,lead\n",
		"drills.csv":                "code,org_code,held_on,scenario\nDA,MA,2026-05-01,targeted_attack\n",
	}
	if _, err := register.ImportScoped(t.Context(), s, inputs(own), opts); err != nil {
		t.Fatalf("MA's own incident register: %v", err)
	}
	before := registerCounts(t, s)
	for name, files := range map[string]map[string]string{
		"MB's incident":            {"incidents.csv": "code,org_code,category,detected_on\nIB,MB,malware,2026-04-02\n"},
		"MB's system affected":     {"incident_systems.csv": "incident_code,system_code\nIA,SB\n"},
		"MB affected":              {"incident_orgs.csv": "incident_code,org_code\nIA,MB\n"},
		"MB's declaration":         {"incident_declarations.csv": "org_code,fiscal_year\nMB,2025\n"},
		"MB's CSIRT member":        {"csirt_members.csv": "org_code,person_code,role\nMB,PB,lead\n"},
		"MB's person in MA's team": {"csirt_members.csv": "org_code,person_code,role\nMA,PB,poc\n"},
		"MB's drill":               {"drills.csv": "code,org_code,held_on,scenario\nDB,MB,2026-05-01,other\n"},
		"the shared classes":       {"incident_classes.csv": "code,name\nransomware,ランサムウェア\n"},
	} {
		_, err := register.ImportScoped(t.Context(), s, inputs(files), opts)
		if _, ok := errors.AsType[mamori.Problems](err); !ok {
			t.Errorf("%s: err = %v, want problems", name, err)
		}
	}
	if after := registerCounts(t, s); !equalCounts(before, after) {
		t.Errorf("refused imports wrote: %v -> %v", before, after)
	}
}

func equalCounts(a, b map[string]int64) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// TestIncidentTimelineImport: a timeline out of order is refused with the
// column named, and the whole file with it.
func TestIncidentTimelineImport(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		if _, err := register.Import(t.Context(), s, inputs(map[string]string{
			"organizations.csv": "code,kind,name\nM,ministry,省\n",
		})); err != nil {
			t.Fatal(err)
		}
		_, err := register.Import(t.Context(), s, inputs(map[string]string{
			"incidents.csv": "インシデント番号,組織コード,分類,検知日,復旧日\nI1,M,マルウェア感染,2026-04-02,2026-04-05\nI2,M,malware,2026-04-02,2026-04-01\n",
		}))
		p, ok := errors.AsType[mamori.Problems](err)
		if !ok || len(p) != 1 || !strings.Contains(p[0].Error(), "復旧日") || !strings.Contains(p[0].Error(), "row 3") {
			t.Fatalf("err = %v, want one problem at row 3, column 復旧日", err)
		}
		if incs, err := s.Incidents(t.Context(), nil); err != nil || len(incs) != 0 {
			t.Errorf("after the refusal: %d incidents, %v", len(incs), err)
		}
	})
}

// TestIncidentWorkflowColumns: once a response item has stamped an
// incident's steps, an import may not restate them otherwise (the register
// and the workflow never disagree), while the rest of the record stays
// the register's.
func TestIncidentWorkflowColumns(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		if _, err := register.Import(ctx, s, inputs(map[string]string{"organizations.csv": "code,kind,name\nM,ministry,省\n"})); err != nil {
			t.Fatal(err)
		}
		if err := s.CreateUser(ctx, store.User{Name: "sec", PasswordHash: "$argon2id$fake", CreatedAt: time.Now(),
			Grants: []store.RoleGrant{{Role: string(auth.OrgSecurity), OrgCode: "M"}}}); err != nil {
			t.Fatal(err)
		}
		u, err := s.User(ctx, "sec")
		if err != nil {
			t.Fatal(err)
		}
		svc, err := workflow.New(s, workflow.All()...)
		if err != nil {
			t.Fatal(err)
		}
		svc.Now = func() time.Time { return time.Date(2026, 5, 1, 3, 0, 0, 0, time.UTC) }
		it, err := svc.OpenIncident(ctx, u, workflow.NewIncident{Code: "I1", OrgCode: "M", Class: "malware", DetectedOn: "2026-04-30"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Act(ctx, u, it.ID, workflow.Step{Transition: "report", Version: it.Version, Assignee: "sec",
			Details: map[string]string{"reported_to": "NISC"}}); err != nil {
			t.Fatal(err)
		}
		_, err = register.Import(ctx, s, inputs(map[string]string{
			"incidents.csv": "code,org_code,category,detected_on,reported_on,summary\nI1,M,malware,2026-04-30,2026-04-30,x\n"}))
		if p, ok := errors.AsType[mamori.Problems](err); !ok || !strings.Contains(p.Error(), "response item") {
			t.Errorf("back-dating the report: err = %v, want a problem naming the response item", err)
		}
		if _, err := register.Import(ctx, s, inputs(map[string]string{
			"incidents.csv": "code,org_code,category,detected_on,reported_on,summary\nI1,M,malware,2026-04-30,2026-05-01,要約\n"})); err != nil {
			t.Errorf("restating the stamped date: %v", err)
		}
		if in, err := s.IncidentByCode(ctx, "I1"); err != nil || in.Summary != "要約" || in.ReportedTo != "NISC" {
			t.Errorf("after the import: %+v, %v", in, err)
		}
	})
}
