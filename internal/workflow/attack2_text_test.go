package workflow_test

import (
	"testing"

	"mamori"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
	"mamori/internal/workflow"
)

// TestAttack2CodesThatAreNoText: a finding, a vulnerability or a project
// named by bytes that are not UTF-8 (a form field can carry any) is
// missing, on both stores, as a code that exists nowhere; before,
// PostgreSQL failed on the look-up and the pages answered 500.
func TestAttack2CodesThatAreNoText(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := t.Context()
		f := inspectionSetup(t, st, true)
		bad := "SYS-\xff"
		_, err := f.svc.OpenForFinding(ctx, f.users["sec"], workflow.OpenFinding{Control: "ACC-01", Target: bad})
		wantKind(t, "a finding's target", err, mamori.NotFound, "no finding")
		_, err = f.svc.OpenForFinding(ctx, f.users["sec"], workflow.OpenFinding{Control: bad, Target: "SYS-B"})
		wantKind(t, "a finding's control", err, mamori.NotFound, "no finding")
		_, err = f.svc.OpenForVuln(ctx, f.users["sec"], workflow.OpenVuln{System: bad, Vuln: "CVE-2021-44228"})
		wantKind(t, "a vulnerability's system", err, mamori.NotFound, "no open match")
		vulnOnSystem(t, st)
		_, err = f.svc.OpenForVuln(ctx, f.users["sec"], workflow.OpenVuln{System: "SYS-V", Vuln: "CVE-\xff"})
		wantKind(t, "a vulnerability's id", err, mamori.NotFound, "no open match")
		for _, code := range []string{"PJ-\xff", "PJ-SZ\x00"} {
			_, err = f.svc.OpenInspection(ctx, f.users["alice"], workflow.Round{ProjectCode: code, Stage: "requirements"})
			wantKind(t, "a round's project", err, mamori.Invalid, "lists no project")
		}
		_, err = f.svc.OpenForFinding(ctx, f.users["sec"], workflow.OpenFinding{Control: "ACC-01", Target: "SYS-B\x00"})
		wantKind(t, "a finding's target with a NUL", err, mamori.NotFound, "no finding")
	})
}
