package web

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"sync"

	"mamori"
	"mamori/internal/audit"
	"mamori/internal/i18n"
	"mamori/internal/report"
	"mamori/internal/store"
	"mamori/internal/wareki"
)

// The audit report inside the site: /report shows the Board-of-Audit report
// of one assessment in the viewer's language, inside the layout, with its
// tables only; every number links to /report/list, a paged list of the
// units behind it. The standalone bilingual forms (the document `mamori
// report audit` writes, with every list inline) are downloads:
// /report.html and /report.md.

// reportListSize is the number of rows on one page of a report list, as
// on the other lists.
const reportListSize = pageSize

// reportCache keeps built reports by assessment: nationally a report reads
// half a million findings and takes seconds, and an assessment's report
// never changes. Concurrent requests for one assessment wait for one build.
type reportCache struct {
	mu    sync.Mutex
	byID  map[string]*reportEntry
	order []string // assessment IDs, oldest first
}

type reportEntry struct {
	done chan struct{}
	rep  *report.Report
	err  error
}

// maxCachedReports bounds the cache: the latest assessment and a few
// fiscal years looked back at.
const maxCachedReports = 3

// reportFor returns the report of assessment id, building it once.
func (s *server) reportFor(ctx context.Context, id string) (*report.Report, error) {
	c := &s.reports
	c.mu.Lock()
	e, ok := c.byID[id]
	if !ok {
		if c.byID == nil {
			c.byID = map[string]*reportEntry{}
		}
		e = &reportEntry{done: make(chan struct{})}
		c.byID[id] = e
		c.order = append(c.order, id)
		for len(c.order) > maxCachedReports {
			delete(c.byID, c.order[0])
			c.order = c.order[1:]
		}
	}
	c.mu.Unlock()
	if !ok {
		// The build outlives a request that gives up: others may wait on it.
		e.rep, e.err = report.Build(context.WithoutCancel(ctx), s.store, s.catalogs, report.Options{AssessmentID: id})
		if e.err != nil {
			c.mu.Lock()
			if c.byID[id] == e {
				delete(c.byID, id)
			}
			c.mu.Unlock()
		}
		close(e.done)
	}
	select {
	case <-e.done:
		return e.rep, e.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// requestedReport reads ?assessment=ID or ?fy=2025 and returns that
// assessment's report (the latest, else), and the assessment to name in
// the page's links: "" when the request named none, so that the links
// follow the latest assessment as the page does.
func (s *server) requestedReport(r *http.Request) (*report.Report, string, error) {
	if err := requireAll(r); err != nil {
		return nil, "", err
	}
	q := r.URL.Query()
	opts := report.Options{}
	id, err := textParam(q, "assessment")
	if err != nil {
		return nil, "", err
	}
	opts.AssessmentID = id
	if fy := q.Get("fy"); fy != "" && id == "" {
		n, err := strconv.Atoi(fy)
		if err != nil || n < 2000 || n > 2100 {
			return nil, "", mamori.Errorf(mamori.Invalid, "パラメータ「fy」は西暦の年度です（例: 2025）", "parameter fy must be a fiscal year such as 2025")
		}
		opts.FiscalYear = wareki.FiscalYear(n)
	}
	a, err := report.Resolve(r.Context(), s.store, opts)
	if err != nil {
		return nil, "", err
	}
	rep, err := s.reportFor(r.Context(), a.ID)
	if err != nil {
		return nil, "", err
	}
	if opts == (report.Options{}) {
		return rep, "", nil
	}
	return rep, a.ID, nil
}

// reportCell is one number of a control's table: organizations and, unless
// the control counts organizations only, targets, each linking to its list
// when there is one.
type reportCell struct {
	Orgs, Targets       string
	OrgsURL, TargetsURL string
	OrgUnit             bool
}

type reportRow struct {
	Tier                                                  string
	Applicable, Conforming, Counted, Failed, Unknown, Err reportCell
}

type reportControl struct {
	ID, Title, Sentence string
	Subs                []string // the criteria's and tallies' sentences
	Rows                []reportRow
	Total               reportRow
	Note                string
	Years               []reportYear
	Criteria            []reportCriterion
	Tallies             []reportTally
	Unit                string
	HasMeasure          bool
}

type reportYear struct{ Year, Orgs, Failed, Unknown string }

type reportCriterion struct{ Title, Failed, Unknown, Measure string }

type reportTally struct{ Title, Orgs, Targets, Unknown, Errors string }

type reportCross struct {
	Title, Note string
	Share       bool // the measure is a share missing, not a rate implemented
	Rows        []reportCrossRow
}

type reportCrossRow struct{ Group, Failing, Applicable, Rate string }

// reportView is the report page in one language.
type reportView struct {
	FiscalYear, Assessment, ReferenceDate string
	Whole                                 bool
	Scope                                 string
	Years                                 []string
	Controls                              []reportControl
	Cross                                 []reportCross
	HTMLURL, MarkdownURL                  string
}

// reportListURL is the list behind one number: what is counted, failed,
// unknown or errors; unit orgs or targets; tier a tier key or all.
// assessment is "" for the latest one, which keeps the page's hundreds of
// links short.
func reportListURL(assessment, control, tier, what, unit string, page int) string {
	v := url.Values{"control": {control}, "tier": {tier}, "what": {what}, "unit": {unit}}
	if assessment != "" {
		v.Set("assessment", assessment)
	}
	if page > 1 {
		v.Set("page", strconv.Itoa(page))
	}
	return "/report/list?" + v.Encode()
}

// auditReport shows the Board-of-Audit report of the latest census (or of
// the fiscal year ?fy=2025) inside the site, in the viewer's language.
func (s *server) auditReport(w http.ResponseWriter, r *http.Request) error {
	rep, named, err := s.requestedReport(r)
	if err != nil {
		return err
	}
	l := s.loc(r)
	v := reportView{FiscalYear: l.FiscalYear(rep.FiscalYear), Assessment: rep.Assessment, ReferenceDate: l.DateString(rep.ReferenceDate),
		Whole: rep.WholeScope, Scope: rep.Scope}
	for _, y := range rep.FiscalYears {
		v.Years = append(v.Years, l.FiscalYear(y.FiscalYear))
	}
	dl := url.Values{"assessment": {rep.Assessment}}.Encode()
	v.HTMLURL, v.MarkdownURL = "/report.html?"+dl, "/report.md?"+dl
	for i := range rep.Controls {
		v.Controls = append(v.Controls, reportControlView(l, named, &rep.Controls[i]))
	}
	for _, x := range []report.CrossTab{rep.SystemID, rep.Training} {
		cx := reportCross{Title: l.Pick(x.Title, x.TitleEN), Note: l.Pick(x.Note, x.NoteEN), Share: x.Measure == "failing_share"}
		for _, row := range x.Rows {
			rate := "—"
			if row.Applicable > 0 {
				rate = l.Percent(row.Rate)
			}
			cx.Rows = append(cx.Rows, reportCrossRow{Group: l.Pick(row.JA, row.EN), Failing: l.Number(row.Failing),
				Applicable: l.Number(row.Applicable), Rate: rate})
		}
		v.Cross = append(v.Cross, cx)
	}
	return s.render(w, r, http.StatusOK, "report.html", l.MustT("report.title"), "report", v)
}

// reportControlView lays one control's tables out in l's language, each
// number with the link to its list.
func reportControlView(l *i18n.Localizer, assessment string, c *report.Control) reportControl {
	orgUnit := c.Target == store.TargetOrganization || c.Target == store.TargetOrganizationFY
	n := func(x int) string { return l.Number(int64(x)) }
	plain := func(cnt report.Count, tier string) reportCell {
		orgs, targets := cnt.Orgs, cnt.Targets
		if tier != "all" {
			orgs, targets = 0, 0
			for _, t := range cnt.Tiers {
				if t.Tier == tier {
					orgs, targets = t.Orgs, t.Targets
				}
			}
		}
		return reportCell{Orgs: n(orgs), Targets: n(targets), OrgUnit: orgUnit}
	}
	linked := func(cnt report.Count, tier, what string) reportCell {
		cell := plain(cnt, tier)
		if cell.Orgs != "0" {
			cell.OrgsURL = reportListURL(assessment, c.ID, tier, what, "orgs", 1)
		}
		if cell.Targets != "0" && !orgUnit {
			cell.TargetsURL = reportListURL(assessment, c.ID, tier, what, "targets", 1)
		}
		return cell
	}
	counted := report.Count{Orgs: c.Orgs, Targets: c.Targets, Tiers: c.Tiers}
	row := func(tier, label string) reportRow {
		return reportRow{Tier: label, Applicable: plain(c.Applicable, tier), Conforming: plain(c.Conforming, tier),
			Counted: linked(counted, tier, "counted"), Failed: linked(c.Failed, tier, "failed"),
			Unknown: linked(c.Unknown, tier, "unknown"), Err: linked(c.Errors, tier, "errors")}
	}
	out := reportControl{ID: c.ID, Title: l.Pick(c.Title, c.TitleEN), Sentence: l.Pick(c.Sentence, c.SentenceEN),
		Unit: l.Pick(c.Unit, c.UnitEN), HasMeasure: c.Measure != nil}
	for _, cr := range c.Criteria {
		if cr.Failed.Targets > 0 || cr.Unknown.Targets > 0 {
			out.Subs = append(out.Subs, l.Pick(cr.Sentence, cr.SentenceEN))
		}
	}
	for _, t := range c.Tallies {
		out.Subs = append(out.Subs, l.Pick(t.Sentence, t.SentenceEN))
	}
	for _, t := range store.Tiers {
		if tierPresent(c, t.Key) {
			out.Rows = append(out.Rows, row(t.Key, l.Pick(t.JA, t.EN)))
		}
	}
	out.Total = row("all", l.MustT("report.total"))
	unknowns := l.MustT("report.note.unknownsapart")
	if c.UnknownFails {
		unknowns = l.MustT("report.note.unknownsfail")
	}
	sum := ""
	if c.Measure != nil {
		sum = l.MustT("report.note.sum", "Sum", l.Pick(c.Measure.Text, c.Measure.TextEN))
	}
	out.Note = l.MustT("report.note", "Unit", l.Pick(c.ShareUnit, c.ShareUnitEN), "Counted", l.Number(c.Fail),
		"Applicable", l.Number(c.ApplicableTargets), "Share", l.Percent(c.Share), "Sum", sum, "Severity", severity(l, c.Severity),
		"Target", targetLabel(l, c.Target), "Unknowns", unknowns)
	for _, y := range c.Years {
		out.Years = append(out.Years, reportYear{Year: l.FiscalYear(y.FiscalYear), Orgs: n(y.Orgs), Failed: n(y.Failed), Unknown: n(y.Unknown)})
	}
	pair := func(cnt report.Count) string {
		if orgUnit {
			return n(cnt.Orgs)
		}
		return n(cnt.Orgs) + " / " + n(cnt.Targets)
	}
	for _, cr := range c.Criteria {
		rc := reportCriterion{Title: l.Pick(cr.Title, cr.TitleEN), Failed: pair(cr.Failed), Unknown: pair(cr.Unknown)}
		if cr.Measure != nil {
			rc.Measure = l.Pick(cr.Measure.Text, cr.Measure.TextEN)
		}
		out.Criteria = append(out.Criteria, rc)
	}
	for _, t := range c.Tallies {
		out.Tallies = append(out.Tallies, reportTally{Title: l.Pick(t.Title, t.TitleEN), Orgs: n(t.Orgs), Targets: n(t.Targets),
			Unknown: n(t.Unknown.Targets), Errors: n(t.Errors.Targets)})
	}
	return out
}

// tierPresent reports whether any of a control's counts has the tier.
func tierPresent(c *report.Control, tier string) bool {
	for _, cnt := range [][]report.TierCount{c.Tiers, c.Applicable.Tiers, c.Failed.Tiers, c.Unknown.Tiers, c.Errors.Tiers} {
		for _, t := range cnt {
			if t.Tier == tier {
				return true
			}
		}
	}
	return false
}

// reportListRow is one unit, or one organization, of a report list.
type reportListRow struct {
	OrgCode, OrgName, Code, Name, URL, Result, Criteria, Findings string
}

type reportListView struct {
	ReportURL, ControlID, ControlTitle, Heading string
	Assessment, ReferenceDate                   string
	Orgs                                        bool // a list of organizations, not of targets
	Rows                                        []reportListRow
	Total, From, To                             string
	Page, Pages                                 int
	PrevURL, NextURL, FirstURL, LastURL         string
}

// reportList is the paged list behind one number of the report: the
// organizations or the targets a control counts, fails, could not decide
// or could not evaluate, in one tier or in all.
func (s *server) reportList(w http.ResponseWriter, r *http.Request) error {
	rep, named, err := s.requestedReport(r)
	if err != nil {
		return err
	}
	l := s.loc(r)
	q := r.URL.Query()
	control, err := textParam(q, "control")
	if err != nil {
		return err
	}
	var c *report.Control
	for i := range rep.Controls {
		if rep.Controls[i].ID == control {
			c = &rep.Controls[i]
		}
	}
	if c == nil {
		return mamori.Errorf(mamori.NotFound, "この報告に管理策「%s」の項目はありません", "the report has no entry for control %q", clip(control, 40))
	}
	tier, what, unit := q.Get("tier"), q.Get("what"), q.Get("unit")
	tierName := ""
	if tier == "all" {
		tierName = l.MustT("report.list.alltiers")
	}
	for _, t := range store.Tiers {
		if t.Key == tier {
			tierName = l.Pick(t.JA, t.EN)
		}
	}
	if tierName == "" {
		return mamori.Errorf(mamori.Invalid, "パラメータ「tier」は区分（all または central など）です", "parameter tier must be a tier such as all or central")
	}
	if unit != "orgs" && unit != "targets" {
		return mamori.Errorf(mamori.Invalid, "パラメータ「unit」は orgs か targets です", "parameter unit must be orgs or targets")
	}
	var tiers []report.TierCount
	keep := func(report.Target) bool { return true }
	switch what {
	case "counted":
		tiers = c.Tiers
	case "failed":
		// A counted unit has a failure exactly when its worst result is
		// one: the failures are the counted units that failed.
		tiers = c.Tiers
		keep = func(t report.Target) bool { return t.Result == store.ResultFail }
	case "unknown":
		tiers = c.Unknown.Tiers
	case "errors":
		tiers = c.Errors.Tiers
	default:
		return mamori.Errorf(mamori.Invalid, "パラメータ「what」は counted、failed、unknown、errors のいずれかです",
			"parameter what must be counted, failed, unknown or errors")
	}
	page, err := parsePage(q.Get("page"))
	if err != nil {
		return err
	}
	// each walks the listed units in order without copying them: the
	// largest national list holds tens of thousands.
	each := func(yield func(*report.Target)) {
		for i := range tiers {
			if tier != "all" && tiers[i].Tier != tier {
				continue
			}
			for j := range tiers[i].TargetList {
				if x := &tiers[i].TargetList[j]; keep(*x) {
					yield(x)
				}
			}
		}
	}
	back := "/report"
	if named != "" {
		back += "?" + url.Values{"assessment": {named}}.Encode()
	}
	v := reportListView{ReportURL: back + "#" + url.PathEscape(c.ID), Assessment: rep.Assessment, ReferenceDate: l.DateString(rep.ReferenceDate),
		ControlID: c.ID, ControlTitle: l.Pick(c.Title, c.TitleEN), Orgs: unit == "orgs", Page: page}
	unitName := l.Pick(c.Unit, c.UnitEN)
	if unit == "orgs" {
		unitName = l.MustT("report.list.orgs")
	}
	v.Heading = l.MustT("report.list.heading", "Tier", tierName, "What", l.MustT("report.col."+what), "Unit", unitName)
	// The rows of every page are counted; only this page's are written out.
	var rows []reportListRow
	total, from := 0, (page-1)*reportListSize
	onPage := func(i int) bool { return i >= from && i < from+reportListSize }
	if unit == "orgs" {
		// Units come ordered by tier and organization: each organization's
		// first unit adds it, with how many of its units are listed.
		last, units := "", 0
		each(func(x *report.Target) {
			if total > 0 && x.OrgCode == last {
				units++
			} else {
				if onPage(total - 1) {
					rows[len(rows)-1].Findings = l.Number(int64(units))
				}
				if onPage(total) {
					rows = append(rows, reportListRow{OrgCode: x.OrgCode, OrgName: x.OrgName})
				}
				last, units = x.OrgCode, 1
				total++
			}
		})
		if onPage(total - 1) {
			rows[len(rows)-1].Findings = l.Number(int64(units))
		}
	} else {
		each(func(x *report.Target) {
			if onPage(total) {
				row := reportListRow{OrgCode: x.OrgCode, OrgName: x.OrgName, Code: x.Code, Name: x.Name,
					Result: l.MustT("findings.result." + x.Result), Criteria: s.criteriaText(l, c.ID, x.Criteria), Findings: l.Number(int64(x.Findings))}
				if c.Target == store.TargetSystem || c.Target == store.TargetComponent {
					row.URL = systemURL(x.Code)
				}
				rows = append(rows, row)
			}
			total++
		})
	}
	v.Rows = rows
	v.Total = l.Number(int64(total))
	v.Pages = max(1, (total+reportListSize-1)/reportListSize)
	if len(rows) > 0 {
		v.From, v.To = l.Number(int64(from+1)), l.Number(int64(from+len(rows)))
	}
	link := func(p int) string { return reportListURL(named, c.ID, tier, what, unit, p) }
	if page > 1 {
		v.PrevURL, v.FirstURL = link(min(page-1, v.Pages)), link(1)
	}
	if page < v.Pages {
		v.NextURL, v.LastURL = link(page+1), link(v.Pages)
	}
	return s.render(w, r, http.StatusOK, "report_list.html", fmt.Sprintf("%s %s", c.ID, v.Heading), "report", v)
}

// styleBlock finds the audit report's own stylesheet, which travels inside
// the document so the file works when saved or mailed.
var styleBlock = regexp.MustCompile(`(?s)<style>(.*?)</style>`)

// reportHTML downloads the report as the standalone bilingual document that
// mamori report audit --format html writes, every list inline. Its inline
// stylesheet is allowed by its hash, not by relaxing the policy for inline
// content in general.
func (s *server) reportHTML(w http.ResponseWriter, r *http.Request) error {
	rep, _, err := s.requestedReport(r)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := rep.HTML(&buf); err != nil {
		return err
	}
	if err := s.recordReportExport(r, "html", int(rep.FiscalYear)); err != nil {
		return err
	}
	csp := "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
	if m := styleBlock.FindSubmatch(buf.Bytes()); m != nil {
		sum := sha256.Sum256(m[1])
		csp += "; style-src 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
	}
	h := w.Header()
	h.Set("Content-Security-Policy", csp)
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="audit-report-FY%d.html"`, rep.FiscalYear))
	h.Set("Cache-Control", "no-store")
	_, err = w.Write(buf.Bytes())
	return err
}

// recordReportExport records a download of the report: a whole-government
// document leaving mamori, filed under every organization.
func (s *server) recordReportExport(r *http.Request, format string, fiscalYear int) error {
	_, err := audit.RecordAll(r.Context(), s.store, viewerOf(r.Context()).user.Name, audit.Export, []audit.Event{{Target: "report",
		Orgs: []string{audit.EveryOrg}, Detail: map[string]any{"format": format, "fiscal_year": fiscalYear}}})
	return err
}

// reportMarkdown downloads the report as mamori report audit --format md
// writes it.
func (s *server) reportMarkdown(w http.ResponseWriter, r *http.Request) error {
	rep, _, err := s.requestedReport(r)
	if err != nil {
		return err
	}
	if err := s.recordReportExport(r, "md", int(rep.FiscalYear)); err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := rep.Markdown(&buf); err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "text/markdown; charset=utf-8")
	h.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="audit-report-FY%d.md"`, rep.FiscalYear))
	h.Set("Cache-Control", "no-store")
	_, err = w.Write(buf.Bytes())
	return err
}
