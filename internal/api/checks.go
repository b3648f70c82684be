package api

import (
	"net/http"
	"time"

	"mamori"
	"mamori/internal/catalog"
	"mamori/internal/report"
)

// ControlCount is one control's open findings within the caller's organizations.
type ControlCount struct {
	Control       string         `json:"control"`
	Open          int            `json:"open"`
	Organizations int            `json:"organizations"`
	ByTier        map[string]int `json:"by_tier"`
	// Open split by result: failures, unknowns (未確認) and errors.
	Failed  int `json:"failed"`
	Unknown int `json:"unknown"`
	Errors  int `json:"errors"`
}

// CheckSummary is the latest assessment and the open findings it left, by control.
type CheckSummary struct {
	Assessment    string         `json:"assessment"`
	ReferenceDate string         `json:"reference_date"`
	FinishedAt    string         `json:"finished_at"`
	Controls      []ControlCount `json:"controls"`
}

// checks summarises the latest check within the caller's scope: the same
// counts as the dashboard, for scripts.
func (s *server) checks(w http.ResponseWriter, r *http.Request, c *caller) (any, error) {
	a, ok, err := s.st.LatestAssessment(r.Context(), "", "")
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, mamori.Errorf(mamori.NotFound, "評価がありません。先に mamori check を実行してください", "no assessment: run mamori check first")
	}
	orgs := c.scope.Orgs()
	if c.scope.Whole() {
		orgs = nil // the whole government: no list of 1,800 codes to send
	}
	counts, err := s.st.OpenFindingCounts(r.Context(), orgs)
	if err != nil {
		return nil, err
	}
	out := CheckSummary{Assessment: a.ID, ReferenceDate: a.ReferenceDate, FinishedAt: a.FinishedAt.UTC().Format(time.RFC3339), Controls: []ControlCount{}}
	at := map[string]int{}
	for _, k := range counts {
		i, ok := at[k.ControlID]
		if !ok {
			i = len(out.Controls)
			at[k.ControlID] = i
			out.Controls = append(out.Controls, ControlCount{Control: k.ControlID, ByTier: map[string]int{}})
		}
		cc := &out.Controls[i]
		cc.Open += k.Open
		cc.Organizations += k.Orgs
		cc.ByTier[k.Tier] += k.Open
		cc.Failed += k.Failed
		cc.Unknown += k.Unknown
		cc.Errors += k.Errors
	}
	return out, nil
}

// auditReport is the Board-of-Audit report of the latest whole-register
// assessment. It is a whole-government document, so only a caller whose
// grants cover every organization may read it.
func (s *server) auditReport(w http.ResponseWriter, r *http.Request, c *caller) (any, error) {
	if !c.scope.Whole() {
		return nil, mamori.Errorf(mamori.Forbidden, "政府全体の集計は、全組織を対象とする権限の利用者のみ閲覧できます",
			"the whole-government views need a role over every organization")
	}
	cats, err := catalog.Builtin()
	if err != nil {
		return nil, err
	}
	return report.Build(r.Context(), s.st, cats, report.Options{})
}
