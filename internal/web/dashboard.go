package web

import (
	"context"
	"html/template"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"mamori"
	"mamori/internal/chart"
	"mamori/internal/i18n"
	"mamori/internal/report"
	"mamori/internal/store"
)

// dashboardControl is one control with open findings in the dashboard's scope.
type dashboardControl struct {
	ID, Title, TitleEN, URL string
	Sentence, SentenceEN    string // the Board of Audit's sentence, whole-government view only
	Open, Orgs              int
	ByTier                  []int // open findings by store.Tiers
	// Units are what the chart draws and the Board's sentence counts, by
	// store.Tiers: the failing systems (a component counts as its system),
	// organizations or other targets, 未確認 included only where the
	// control counts it as failing. Unit and UnitEN name them.
	Units                []int
	UnitTotal            int
	Unit, UnitEN         string
	UnitText, UnitTextEN string // 「37システム」, "37 systems"
	// Open split by result, each with the list behind it: failures,
	// 未確認 (the evidence is missing) and errors.
	Failed, Unknown, Errors          int
	FailedURL, UnknownURL, ErrorsURL string
}

type worstSystem struct {
	Code, URL, Name, OrgName string
	Open, High               int
}

// trendRow is one fiscal year of the trend table.
type trendRow struct {
	FiscalYear                  int
	Open, Found, Resolved, High int
}

// orgOption is an organization the dashboard can be narrowed to.
type orgOption struct {
	Code, Name string
	Selected   bool
}

// dashboardData is what the dashboard shows for one scope, in both
// languages; it is cached until the next assessment.
type dashboardData struct {
	HasFindings        bool
	Whole              bool // the whole government: the Board's sentences and the report link
	Assessment         string
	RefDate            string
	FiscalYear         int
	Controls           []dashboardControl
	Trend              []trendRow
	Worst              []worstSystem
	OpenFindings, Orgs int
	chartBars          []chart.Bar // labels filled per language
}

// dashboardView is the page's data in the request's language.
type dashboardView struct {
	*dashboardData
	ScopeName   string
	Org         string
	OrgOptions  []orgOption
	Chart       template.HTML
	TrendChart  template.HTML
	WorstLimit  int
	FindingsURL string
}

// dashboardCache keeps computed dashboards by scope, each with the findings
// version it was computed from: at national scale a dashboard reads half a
// million findings and takes seconds, and nothing it shows changes between
// assessments. After an assessment the previous dashboard is served while a
// new one is built in the background (once per scope), so no visitor waits.
type dashboardCache struct {
	mu       sync.Mutex
	byScope  map[string]cachedDashboard
	building map[string]bool
}

type cachedDashboard struct {
	version string
	data    *dashboardData
}

// maxCachedScopes bounds the cache; one entry per distinct scope in use.
const maxCachedScopes = 256

// get returns the scope's dashboard and whether it is of an older version;
// nil when there is none.
func (c *dashboardCache) get(version, key string) (d *dashboardData, stale bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.byScope[key]
	if !ok {
		return nil, false
	}
	return e.data, e.version != version
}

func (c *dashboardCache) put(version, key string, d *dashboardData) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.byScope == nil || len(c.byScope) >= maxCachedScopes {
		// Start afresh, but keep the whole government's: it is the
		// costliest to rebuild and the most visited.
		all, ok := c.byScope["all"]
		c.byScope = map[string]cachedDashboard{}
		if ok {
			c.byScope["all"] = all
		}
	}
	c.byScope[key] = cachedDashboard{version: version, data: d}
}

// startBuild reports whether the caller should rebuild key: false while
// another rebuild of it runs.
func (c *dashboardCache) startBuild(key string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.building == nil {
		c.building = map[string]bool{}
	}
	if c.building[key] {
		return false
	}
	c.building[key] = true
	return true
}

func (c *dashboardCache) doneBuild(key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.building, key)
}

// refresh rebuilds a stale dashboard in the background.
func (s *server) refresh(ctx context.Context, version, key string, orgs []string) {
	if !s.dashboards.startBuild(key) {
		return
	}
	go func() {
		defer s.dashboards.doneBuild(key)
		d, err := s.buildDashboard(ctx, orgs)
		if err != nil {
			s.log.LogAttrs(ctx, slog.LevelWarn, "refresh dashboard", slog.Any("error", err))
			return
		}
		s.dashboards.put(version, key, d)
	}()
}

// WarmDashboard builds the whole-government dashboard in the background when
// the server starts, so the first visitor does not wait for half a million
// findings to be counted.
func WarmDashboard(ctx context.Context) Option {
	return func(s *server) {
		go func() {
			version, err := s.store.FindingsVersion(ctx)
			if err == nil {
				var d *dashboardData
				if d, err = s.buildDashboard(ctx, nil); err == nil {
					s.dashboards.put(version, "all", d)
				}
			}
			if err != nil && ctx.Err() == nil {
				s.log.LogAttrs(ctx, slog.LevelWarn, "warm dashboard", slog.Any("error", err))
			}
		}()
	}
}

// worstLimit is how many systems the dashboard lists.
const worstLimit = 10

// dashboard shows, for the user's scope or one organization's subtree in
// it, the open findings by control and tier of government, their trend by
// fiscal year, and the systems with the most serious open findings. For
// the whole government it adds the Board of Audit's sentence per control.
func (s *server) dashboard(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	v := viewerOf(ctx)
	if v == nil {
		return mamori.Errorf(mamori.Unauthenticated, "サインインしてください", "sign in first")
	}
	l := s.loc(r)
	org, err := textParam(r.URL.Query(), "org")
	if err != nil {
		return err
	}
	orgs := orgFilter(r) // nil for the whole government
	scopeName := l.MustT("dashboard.scope.all")
	if org != "" {
		if !mayView(r, org) {
			return mamori.Errorf(mamori.NotFound, "組織「%s」は見つかりません", "no organization %q", clip(org, 40))
		}
		sub, err := s.store.Subtree(ctx, org)
		if err != nil {
			return err
		}
		orgs = make([]string, 0, len(sub))
		for o := range sub {
			orgs = append(orgs, o)
		}
		slices.Sort(orgs)
		names, err := s.names(ctx, organizations, org)
		if err != nil {
			return err
		}
		scopeName = names[org]
	} else if orgs != nil {
		scopeName = l.MustT("dashboard.scope.mine")
	}
	version, err := s.store.FindingsVersion(ctx)
	if err != nil {
		return err
	}
	key := "all"
	if orgs != nil {
		key = strings.Join(orgs, ",")
	}
	d, stale := s.dashboards.get(version, key)
	if stale {
		// The request's context ends with the request; the rebuild must not.
		s.refresh(context.WithoutCancel(ctx), version, key, orgs)
	}
	if d == nil {
		if d, err = s.buildDashboard(ctx, orgs); err != nil {
			return err
		}
		s.dashboards.put(version, key, d)
	}
	view := dashboardView{dashboardData: d, ScopeName: scopeName, Org: org, WorstLimit: worstLimit,
		FindingsURL: findingsURL("", "", "open", 1)}
	if view.OrgOptions, err = s.dashboardOrgs(ctx, v, org); err != nil {
		return err
	}
	if d.HasFindings {
		if view.Chart, view.TrendChart, err = dashboardCharts(l, d); err != nil {
			return err
		}
	}
	return s.render(w, r, http.StatusOK, "dashboard.html", l.MustT("dashboard.title"), "dashboard", view)
}

// buildDashboard computes a dashboard for orgs (nil: all).
func (s *server) buildDashboard(ctx context.Context, orgs []string) (*dashboardData, error) {
	d := &dashboardData{Whole: orgs == nil}
	a, ok, err := s.store.LatestAssessment(ctx, "", "")
	if err != nil {
		return nil, err
	}
	if !ok {
		return d, nil
	}
	d.Assessment, d.RefDate = a.ID, a.ReferenceDate
	if t, err := time.Parse(time.DateOnly, a.ReferenceDate); err == nil {
		if t.Month() < time.April {
			d.FiscalYear = t.Year() - 1
		} else {
			d.FiscalYear = t.Year()
		}
	}
	counts, err := s.store.OpenFindingCounts(ctx, orgs)
	if err != nil {
		return nil, err
	}
	byID := map[string]*dashboardControl{}
	var ids []string
	for _, c := range counts {
		dc := byID[c.ControlID]
		if dc == nil {
			dc = &dashboardControl{ID: c.ControlID, URL: findingsURL(c.ControlID, "", "open", 1), ByTier: make([]int, len(store.Tiers)),
				Units:      make([]int, len(store.Tiers)),
				FailedURL:  findingsResultURL(c.ControlID, "", "open", store.ResultFail, 1),
				UnknownURL: findingsResultURL(c.ControlID, "", "open", store.ResultUnknown, 1),
				ErrorsURL:  findingsResultURL(c.ControlID, "", "open", store.ResultError, 1)}
			dc.Title, dc.TitleEN = s.controlTitles(c.ControlID)
			byID[c.ControlID] = dc
			ids = append(ids, c.ControlID)
		}
		dc.Open += c.Open
		dc.Orgs += c.Orgs
		dc.Failed += c.Failed
		dc.Unknown += c.Unknown
		dc.Errors += c.Errors
		for i, t := range store.Tiers {
			if t.Key == c.Tier {
				dc.ByTier[i] += c.Open
			}
		}
		d.OpenFindings += c.Open
	}
	slices.Sort(ids)
	// The chart counts what the Board's sentence counts (issue: 457 terminals
	// drawn beside a sentence saying 37 systems).
	var unknownFails []string
	for _, c := range s.catalogs {
		for _, ctl := range c.Controls {
			if ctl.UnknownFails {
				unknownFails = append(unknownFails, ctl.ID)
			}
		}
	}
	units, err := s.store.OpenUnitCounts(ctx, orgs, unknownFails)
	if err != nil {
		return nil, err
	}
	for _, u := range units {
		if dc := byID[u.ControlID]; dc != nil {
			dc.Units[tierIndex(u.Tier)] += u.Units
			dc.UnitTotal += u.Units
		}
	}
	for _, dc := range byID {
		target := ""
		if ctl := s.control(dc.ID); ctl != nil {
			target = ctl.Target
		}
		dc.Unit, dc.UnitEN = report.Unit(target)
	}
	if d.Whole && len(ids) > 0 {
		// The Board's sentences come from the audit report of the latest
		// whole-register assessment.
		rep, err := s.reportFor(ctx, a.ID)
		if err != nil && mamori.KindOf(err) != mamori.NotFound {
			return nil, err
		}
		if rep != nil {
			for _, c := range rep.Controls {
				if dc := byID[c.ID]; dc != nil {
					dc.Sentence, dc.SentenceEN = c.Sentence, c.SentenceEN
					// The sentence's own numbers, so the two agree whatever
					// the assessment covered.
					dc.Units, dc.UnitTotal = make([]int, len(store.Tiers)), c.Targets
					for _, t := range c.Tiers {
						dc.Units[tierIndex(t.Tier)] += t.Targets
					}
				}
			}
		}
	}
	ja, en := s.i18n.For(i18n.JA), s.i18n.For(i18n.EN)
	for _, id := range ids {
		dc := byID[id]
		dc.UnitText, dc.UnitTextEN = unitText(ja, *dc), unitText(en, *dc)
		d.Controls = append(d.Controls, *dc)
	}
	d.HasFindings = len(d.Controls) > 0
	trend, err := s.store.FindingTrend(ctx, orgs, time.Now().UTC())
	if err != nil {
		return nil, err
	}
	for _, t := range trend {
		row := trendRow{FiscalYear: t.FiscalYear, Found: t.Found, Resolved: t.Resolved, High: t.Open[2] + t.Open[3]}
		for _, n := range t.Open {
			row.Open += n
		}
		d.Trend = append(d.Trend, row)
	}
	worst, err := s.store.WorstSystemsIn(ctx, worstLimit, orgs)
	if err != nil {
		return nil, err
	}
	var codes, orgCodes []string
	for _, x := range worst {
		codes = append(codes, x.SystemCode)
		orgCodes = append(orgCodes, x.OrgCode)
	}
	sysNames, err := s.names(ctx, systems, codes...)
	if err != nil {
		return nil, err
	}
	orgNames, err := s.names(ctx, organizations, orgCodes...)
	if err != nil {
		return nil, err
	}
	for _, x := range worst {
		d.Worst = append(d.Worst, worstSystem{Code: x.SystemCode, URL: systemURL(x.SystemCode), Name: sysNames[x.SystemCode],
			OrgName: orgNames[x.OrgCode], Open: x.Open, High: x.High})
	}
	return d, nil
}

// tierIndex is the position of a tier key in store.Tiers.
func tierIndex(key string) int {
	for i, t := range store.Tiers {
		if t.Key == key {
			return i
		}
	}
	return len(store.Tiers) - 1
}

// unitText writes a control's count in its unit as the Board writes it:
// 「37システム」「12機関」「契約5件」, "37 systems", "1 contract".
func unitText(l *i18n.Localizer, c dashboardControl) string {
	n := l.Number(int64(c.UnitTotal))
	if l.Lang == i18n.EN {
		if c.UnitTotal == 1 {
			return n + " " + strings.TrimSuffix(c.UnitEN, "s")
		}
		return n + " " + c.UnitEN
	}
	if c.Unit == "システム" || c.Unit == "機関" {
		return n + c.Unit
	}
	return c.Unit + n + "件"
}

// controlTitles names a control in both languages from the built-in catalogs.
func (s *server) controlTitles(id string) (ja, en string) {
	for _, c := range s.catalogs {
		if ctl := c.Control(id); ctl != nil {
			return ctl.Title, ctl.TitleEN
		}
	}
	return id, id
}

// dashboardCharts draws the control chart and the fiscal-year trend in l's language.
func dashboardCharts(l *i18n.Localizer, d *dashboardData) (controls, trend template.HTML, err error) {
	var series []chart.Series
	for i, t := range store.Tiers {
		series = append(series, chart.Series{Label: l.Pick(t.JA, t.EN), Class: "s" + strconv.Itoa(i+1)})
	}
	c := chart.Stacked{Title: l.MustT("dashboard.chart.controls"), Series: series}
	for _, ctl := range d.Controls {
		title := l.Pick(ctl.Sentence, ctl.SentenceEN)
		if title == "" {
			title = l.Pick(ctl.Title, ctl.TitleEN)
		}
		c.Bars = append(c.Bars, chart.Bar{Label: ctl.ID + " " + l.Pick(ctl.Title, ctl.TitleEN), Title: title + l.Pick("：", ": ") + l.Pick(ctl.UnitText, ctl.UnitTextEN),
			URL: ctl.URL, Values: ctl.Units})
	}
	if controls, err = c.SVG("chart-controls"); err != nil {
		return "", "", err
	}
	tc := chart.Stacked{Title: l.MustT("dashboard.chart.trend"), Series: []chart.Series{
		{Label: l.MustT("dashboard.trend.high"), Class: "s1"},
		{Label: l.MustT("dashboard.trend.other"), Class: "s3"},
	}}
	for _, t := range d.Trend {
		tc.Bars = append(tc.Bars, chart.Bar{Label: l.FiscalYear(t.FiscalYear), Values: []int{t.High, t.Open - t.High}})
	}
	if trend, err = tc.SVG("chart-trend"); err != nil {
		return "", "", err
	}
	return controls, trend, nil
}

// dashboardOrgs lists what the dashboard can be narrowed to: the roots of
// the user's grants and the organizations directly below them.
func (s *server) dashboardOrgs(ctx context.Context, v *viewer, selected string) ([]orgOption, error) {
	var roots []string
	for _, g := range v.user.Grants {
		roots = append(roots, g.OrgCode)
	}
	if len(roots) == 0 {
		return nil, nil
	}
	// Two queries whatever the number of grants: the roots, then their children.
	var out []orgOption
	seen := map[string]bool{}
	for _, col := range []string{"code", "parent_code"} {
		recs, _, err := s.store.Find(ctx, organizations, store.Filter{In: map[string][]string{col: roots}, Limit: 500})
		if err != nil {
			return nil, err
		}
		for _, rec := range recs {
			c := str(organizations, rec, "code")
			if !seen[c] {
				seen[c] = true
				out = append(out, orgOption{Code: c, Name: str(organizations, rec, "name"), Selected: c == selected})
			}
		}
	}
	return out, nil
}
