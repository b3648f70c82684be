package web

import (
	"cmp"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"mamori"
	"mamori/internal/catalog"
	"mamori/internal/i18n"
	"mamori/internal/store"
)

// findingListRow is one finding in the list.
type findingListRow struct {
	Control, Title, Target, TargetURL, TargetType, OrgCode, OrgName, Severity, Status, FirstSeen, ResolvedOn, Evidence string
	Result, Criteria                                                                                                   string
	Remedy                                                                                                             findingRemedy
	Forum                                                                                                              findingForum
}

type findingsView struct {
	Control, ControlTitle, Org, OrgName, Status string
	Result                                      string // fail, unknown, error or "" for any
	Target, Severity, Age                       string // a target code, a severity, a number of days
	Severities                                  []option
	OrgOptions                                  []orgOption // suggestions for the organization field
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
	return findingsResultURL(control, org, status, "", page)
}

// findingsResultURL narrows the list to one result: fail, unknown (未確認)
// or error.
func findingsResultURL(control, org, status, result string, page int) string {
	v := url.Values{}
	if control != "" {
		v.Set("control", control)
	}
	if result != "" {
		v.Set("result", result)
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

// targetTypes are the finding target types the list names; the label of
// each is the message findings.target.<type>.
var targetTypes = []string{store.TargetSystem, store.TargetComponent, store.TargetContract, store.TargetOrganization,
	store.TargetOrganizationFY, store.TargetCloud, store.TargetProject, store.TargetAudit, store.TargetBudget}

// targetLabel names a finding's target type in l's language; an unknown
// type shows as it is.
func targetLabel(l *i18n.Localizer, typ string) string {
	if !slices.Contains(targetTypes, typ) {
		return typ
	}
	return l.MustT("findings.target." + typ)
}

// maxAgeDays bounds the age filter: a hundred years.
const maxAgeDays = 36500

// findingList lists findings, open ones by default, filtered by control,
// organization, target, severity, result and age (first seen at least so
// many days ago), fifty to a page.
func (s *server) findingList(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	l := s.loc(r)
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
	result := params.Get("result")
	switch result {
	case "", store.ResultFail, store.ResultUnknown, store.ResultError:
	default:
		return mamori.Errorf(mamori.Invalid, "パラメータ「result」は fail、unknown、error のいずれかです", "parameter result must be fail, unknown or error")
	}
	target, err := textParam(params, "target")
	if err != nil {
		return err
	}
	sev := params.Get("severity")
	if sev != "" && !slices.Contains(catalog.Severities, sev) {
		return mamori.Errorf(mamori.Invalid, "パラメータ「severity」は low、medium、high、critical のいずれかです",
			"parameter severity must be low, medium, high or critical")
	}
	// age keeps the findings first seen at least so many days ago.
	age := strings.TrimSpace(params.Get("age"))
	seenBefore := ""
	if age != "" {
		days, err := strconv.Atoi(age)
		if err != nil || days < 0 || days > maxAgeDays {
			return mamori.Errorf(mamori.Invalid, "パラメータ「age」は0以上36500以下の日数です", "parameter age must be a number of days from 0 to 36500")
		}
		seenBefore = time.Now().UTC().AddDate(0, 0, -days).Format(time.DateOnly)
	}
	page, err := parsePage(params.Get("page"))
	if err != nil {
		return err
	}
	f := store.FindingPage{ControlID: control, Status: status, OrgCode: org, Result: result, Target: target, Severity: sev,
		SeenBefore: seenBefore, OrgIn: orgFilter(r), Limit: pageSize, Offset: (page - 1) * pageSize}
	if status == "all" {
		f.Status = ""
	}
	fs, total, err := s.store.FindFindings(ctx, f)
	if err != nil {
		return err
	}
	// The filter names its organization only to a user who may see it, so
	// a guessed code does not reveal another organization's name.
	var codes []string
	if mayView(r, org) {
		codes = append(codes, org)
	}
	for _, x := range fs {
		codes = append(codes, x.OrgCode)
	}
	orgNames, err := s.names(ctx, organizations, codes...)
	if err != nil {
		return err
	}
	v := findingsView{Control: control, ControlTitle: s.controlTitle(l, control), Org: org, OrgName: orgNames[org], Status: status, Result: result,
		Target: target, Severity: sev, Age: age, Total: l.Number(int64(total)), Page: page, Pages: max(1, (total+pageSize-1)/pageSize)}
	for _, code := range catalog.Severities {
		v.Severities = append(v.Severities, option{Code: code, Label: severity(l, code), Selected: code == sev})
	}
	if vw := viewerOf(ctx); vw != nil {
		if v.OrgOptions, err = s.dashboardOrgs(ctx, vw, org); err != nil {
			return err
		}
	}
	for _, c := range s.catalogs {
		for _, ctl := range c.Controls {
			if !ctl.Manual() {
				v.Controls = append(v.Controls, controlOption{ID: ctl.ID, Title: l.Pick(ctl.Title, ctl.TitleEN), Selected: ctl.ID == control})
			}
		}
	}
	findingNames, err := s.findingNames(ctx)
	if err != nil {
		return err
	}
	remedies, err := s.findingRemedies(r, fs)
	if err != nil {
		return err
	}
	forums, err := s.findingForums(r, fs)
	if err != nil {
		return err
	}
	systemOf := map[string]string{}
	for i, x := range fs {
		row := findingListRow{Control: x.ControlID, Title: s.controlTitle(l, x.ControlID), Target: x.TargetCode,
			TargetType: targetLabel(l, x.TargetType), OrgCode: x.OrgCode, OrgName: orgNames[x.OrgCode], Severity: severity(l, x.Severity),
			Status: x.Status, FirstSeen: l.DateString(x.FirstSeen), ResolvedOn: l.DateString(x.ResolvedOn), Evidence: s.findingSentence(l, findingNames, x),
			Result: l.MustT("findings.result." + cmp.Or(x.Result, store.ResultFail)), Criteria: s.criteriaText(l, x.ControlID, x.Criteria),
			Remedy: remedies[i], Forum: forums[i]}
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
		v.From = l.Number(int64(f.Offset + 1))
		v.To = l.Number(int64(f.Offset + len(fs)))
	}
	// The pages keep every filter of the request.
	link := func(p int) string {
		u := url.Values{}
		for k, vs := range params {
			if k != "page" && k != "lang" {
				u[k] = vs
			}
		}
		if p > 1 {
			u.Set("page", strconv.Itoa(p))
		}
		if len(u) == 0 {
			return "/findings"
		}
		return "/findings?" + u.Encode()
	}
	if page > 1 {
		v.PrevURL = link(min(page-1, v.Pages))
	}
	if page < v.Pages {
		v.NextURL = link(page + 1)
	}
	return s.render(w, r, http.StatusOK, "findings.html", l.MustT("findings.title"), "findings", v)
}
