package report_test

import (
	"strings"
	"testing"
	"time"

	"mamori/internal/report"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// TestSmallShares: a share above nought never reads as 0.0%: one decimal
// would round it away, so it is 「0.1%未満」 / "under 0.1%", in the sentences
// the report and the dashboard print.
func TestSmallShares(t *testing.T) {
	for _, c := range []struct {
		x         float64
		ja, en    string
		bilingual string
	}{
		{0, "0.0%", "0.0%", "0.0%"},
		{1.0 / 3000, "0.1%未満", "under 0.1%", "0.1%未満 / under 0.1%"},
		{0.0004999, "0.1%未満", "under 0.1%", "0.1%未満 / under 0.1%"},
		{0.0006, "0.1%", "0.1%", "0.1%"},
		{0.123, "12.3%", "12.3%", "12.3%"},
		{1, "100.0%", "100.0%", "100.0%"},
	} {
		if got := report.Percent(c.x); got != c.ja {
			t.Errorf("Percent(%v) = %q, want %q", c.x, got, c.ja)
		}
		if got := report.PercentEN(c.x); got != c.en {
			t.Errorf("PercentEN(%v) = %q, want %q", c.x, got, c.en)
		}
		if got := report.PercentBoth(c.x); got != c.bilingual {
			t.Errorf("PercentBoth(%v) = %q, want %q", c.x, got, c.bilingual)
		}
	}
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		seed(t, s)
		ctx := t.Context()
		// Three failing terminals among 9,003: 0.033%.
		at := time.Date(2026, 11, 15, 9, 0, 0, 0, time.UTC)
		a := store.Assessment{ID: "A9", StartedAt: at, FinishedAt: at, ReferenceDate: "2026-11-15", Catalogs: "{}", Params: "{}", Scope: "{}"}
		fail := func(code, org string) store.FindingInput {
			return store.FindingInput{ControlID: "IAM-05", TargetType: "component", TargetCode: code, OrgCode: org, Severity: "medium", Evidence: "{}"}
		}
		if err := s.SaveAssessment(ctx, a, []store.ControlResult{{ControlID: "IAM-05", Pass: 9000, Fail: 3}}, nil,
			store.FindingScope{Controls: []string{"IAM-05"}}, []store.FindingInput{fail("K1", "C1"), fail("K2", "C1"), fail("K3", "M1-B1")}); err != nil {
			t.Fatal(err)
		}
		r, err := report.Build(ctx, s, builtin(t), report.Options{AssessmentID: "A9"})
		if err != nil {
			t.Fatal(err)
		}
		c := control(t, r, "IAM-05")
		if !strings.HasSuffix(c.Sentence, "該当構成要素9,003件中3件（0.1%未満）") || !strings.HasSuffix(c.SentenceEN, "3 of 9,003 applicable components (under 0.1%)") {
			t.Errorf("IAM-05 sentences:\n%s\n%s\nwant the share as 0.1%%未満 / under 0.1%%", c.Sentence, c.SentenceEN)
		}
	})
}
