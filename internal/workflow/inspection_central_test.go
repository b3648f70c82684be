package workflow_test

import (
	"testing"

	"mamori"
	"mamori/internal/auth"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
	"mamori/internal/workflow"
)

// TestCentralReviewIsTheCentres: the central review (中央レビュー) is the
// centre's (デジタル庁's), so only an auditor or central administrator
// granted on the whole government takes it, returns the round or raises a
// finding then; one granted on the round's ministry alone, who covers
// the round, is refused and offered nothing.
func TestCentralReviewIsTheCentres(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := t.Context()
		f := inspectionSetup(t, st, true)
		// A central administrator granted on the ministry alone.
		if err := st.CreateUser(ctx, store.User{Name: "m-admin", PasswordHash: "$argon2id$fake", CreatedAt: today,
			Grants: []store.RoleGrant{{Role: string(auth.CentralAdmin), OrgCode: "M01"}}}); err != nil {
			t.Fatal(err)
		}
		u, err := st.User(ctx, "m-admin")
		if err != nil {
			t.Fatal(err)
		}
		f.users["m-admin"] = u
		it, err := f.svc.OpenInspection(ctx, f.users["alice"], workflow.Round{ProjectCode: "PJ-SZ", Stage: "requirements"})
		if err != nil {
			t.Fatal(err)
		}
		it = answerAll(t, f, "alice", it, 0)
		it = f.act(t, "alice", it, "submit")
		it = f.act(t, "sec", it, "pmo_review")
		for _, who := range []string{"aud", "m-admin"} {
			for _, tr := range []string{"central_review", "central_return"} {
				_, err := f.svc.Act(ctx, f.users[who], it.ID, workflow.Step{Transition: tr, Version: it.Version})
				wantRefusal(t, tr+" by "+who, err, mamori.Forbidden, "whole government")
			}
			if ok, err := f.svc.MayRaiseFinding(ctx, f.users[who], it); ok || err != nil {
				t.Errorf("%s may raise a central finding: %v %v", who, ok, err)
			}
			if avail, err := f.svc.Available(ctx, f.users[who], it); err != nil || len(avail) != 0 {
				t.Errorf("%s is offered %v (%v)", who, avail, err)
			}
		}
		if ok, err := f.svc.MayRaiseFinding(ctx, f.users["gaud"], it); !ok || err != nil {
			t.Errorf("the centre's auditor may not raise a central finding: %v %v", ok, err)
		}
		it = f.act(t, "gaud", it, "central_return")
		it = f.act(t, "alice", it, "submit")
		it = f.act(t, "sec", it, "pmo_review")
		it = f.act(t, "centre", it, "central_review")
		if it.State != workflow.CentrallyReviewed {
			t.Errorf("reviewed by the centre: %s", it.State)
		}
	})
}
