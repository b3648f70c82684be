package web

import (
	"net/http"
	"net/url"
	"strconv"

	"mamori"
	"mamori/internal/store"
)

// findingListRow is one finding in the list.
type findingListRow struct {
	Control, Title, Target, TargetURL, TargetType, OrgCode, OrgName, Severity, Status, FirstSeen, ResolvedOn, Evidence string
}

type findingsView struct {
	Control, ControlTitle, Org, OrgName, Status string
	Controls                                    []controlOption
	Rows                                        []findingListRow
	Total, From, To                             string
	Page, Pages                                 int
	PrevURL, NextURL                            string
}

type controlOption struct {
	ID, Title string
	Selected  bool
}

// findingsURL is the list's address for a filter and page; the audit
// report links each of its numbers here.
func findingsURL(control, org, status string, page int) string {
	v := url.Values{}
	if control != "" {
		v.Set("control", control)
	}
	if org != "" {
		v.Set("org", org)
	}
	if status != "open" {
		v.Set("status", status)
	}
	if page > 1 {
		v.Set("page", strconv.Itoa(page))
	}
	if len(v) == 0 {
		return "/findings"
	}
	return "/findings?" + v.Encode()
}

var targetLabels = map[string]string{
	store.TargetSystem: "情報システム", store.TargetComponent: "構成要素", store.TargetContract: "契約",
	store.TargetOrganization: "組織", store.TargetOrganizationFY: "組織・年度", store.TargetCloud: "クラウドサービス",
	store.TargetProject: "プロジェクト",
}

// findingList lists findings, open ones by default, filtered by control
// and organization, fifty to a page.
func (s *server) findingList(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	params := r.URL.Query()
	control, err := textParam(params, "control")
	if err != nil {
		return err
	}
	org, err := textParam(params, "org")
	if err != nil {
		return err
	}
	status := params.Get("status")
	switch status {
	case "":
		status = "open"
	case "open", "resolved", "all":
	default:
		return mamori.Errorf(mamori.Invalid, "パラメータ「status」は open、resolved、all のいずれかです", "parameter status must be open, resolved or all")
	}
	page, err := parsePage(params.Get("page"))
	if err != nil {
		return err
	}
	f := store.FindingPage{ControlID: control, Status: status, OrgCode: org, OrgIn: orgFilter(r), Limit: pageSize, Offset: (page - 1) * pageSize}
	if status == "all" {
		f.Status = ""
	}
	fs, total, err := s.store.FindFindings(ctx, f)
	if err != nil {
		return err
	}
	codes := []string{org}
	for _, x := range fs {
		codes = append(codes, x.OrgCode)
	}
	orgNames, err := s.names(ctx, organizations, codes...)
	if err != nil {
		return err
	}
	v := findingsView{Control: control, ControlTitle: s.controlTitle(control), Org: org, OrgName: orgNames[org], Status: status,
		Total: groupDigits(int64(total)), Page: page, Pages: max(1, (total+pageSize-1)/pageSize)}
	for _, c := range s.catalogs {
		for _, ctl := range c.Controls {
			if ctl.Check != "" {
				v.Controls = append(v.Controls, controlOption{ID: ctl.ID, Title: ctl.Title, Selected: ctl.ID == control})
			}
		}
	}
	systemOf := map[string]string{}
	for _, x := range fs {
		row := findingListRow{Control: x.ControlID, Title: s.controlTitle(x.ControlID), Target: x.TargetCode,
			TargetType: targetLabels[x.TargetType], OrgCode: x.OrgCode, OrgName: orgNames[x.OrgCode], Severity: x.Severity,
			Status: x.Status, FirstSeen: x.FirstSeen, ResolvedOn: x.ResolvedOn, Evidence: x.Evidence}
		switch x.TargetType {
		case store.TargetSystem:
			row.TargetURL = systemURL(x.TargetCode)
		case store.TargetComponent:
			sys, ok := systemOf[x.TargetCode]
			if !ok {
				if c, err := s.store.Get(ctx, components, x.TargetCode); err == nil {
					sys = str(components, c, "system_code")
				}
				systemOf[x.TargetCode] = sys
			}
			if sys != "" {
				row.TargetURL = systemURL(sys)
			}
		}
		if row.OrgName == "" {
			row.OrgName = x.OrgCode
		}
		v.Rows = append(v.Rows, row)
	}
	if len(fs) > 0 {
		v.From = groupDigits(int64(f.Offset + 1))
		v.To = groupDigits(int64(f.Offset + len(fs)))
	}
	if page > 1 {
		v.PrevURL = findingsURL(control, org, status, min(page-1, v.Pages))
	}
	if page < v.Pages {
		v.NextURL = findingsURL(control, org, status, page+1)
	}
	return s.render(w, r, http.StatusOK, "findings.html", "指摘事項", "findings", v)
}
