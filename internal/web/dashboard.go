package web

import (
	"html/template"
	"net/http"
	"strconv"

	"mamori"
	"mamori/internal/chart"
	"mamori/internal/report"
	"mamori/internal/store"
)

type dashboardControl struct {
	ID, Title, Sentence, URL string
	Targets, Orgs            int
	Share                    string
}

type worstSystem struct {
	Code, URL, Name, OrgName string
	Open, High               int
}

type dashboardView struct {
	HasAssessment        bool
	Assessment, RefDate  string
	FiscalYearJA         string
	Chart                template.HTML
	Controls             []dashboardControl
	Worst                []worstSystem
	OpenFindings, Orgs   string
	ControlsWithFindings int
}

// seriesOf are the chart's tiers and their colour classes.
var seriesOf = func() []chart.Series {
	var out []chart.Series
	for i, t := range store.Tiers {
		out = append(out, chart.Series{Label: t.JA, Class: "s" + strconv.Itoa(i+1)})
	}
	return out
}()

// dashboard summarises the latest assessment for the whole government:
// each control with failures and its count by tier (the Board of Audit's
// form, as a chart and a table linking to the findings), and the systems
// with the most serious open findings.
func (s *server) dashboard(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	if err := requireAll(r); err != nil {
		return err
	}
	var v dashboardView
	rep, err := report.Build(ctx, s.store, s.catalogs, report.Options{})
	if mamori.KindOf(err) == mamori.NotFound {
		// No assessment yet: the page says how to make one.
		return s.render(w, r, http.StatusOK, "dashboard.html", "ダッシュボード", "dashboard", v)
	}
	if err != nil {
		return err
	}
	v.HasAssessment, v.Assessment, v.RefDate, v.FiscalYearJA = true, rep.Assessment, rep.ReferenceDate, rep.FiscalYearJA
	c := chart.Stacked{Title: "管理策ごとの不適合（区分別）", Series: seriesOf}
	open := 0
	for _, ctl := range rep.Controls {
		vals := make([]int, len(store.Tiers))
		for _, tc := range ctl.Tiers {
			for i, t := range store.Tiers {
				if t.Key == tc.Tier {
					vals[i] = tc.Targets
				}
			}
		}
		url := findingsURL(ctl.ID, "", "open", 1)
		c.Bars = append(c.Bars, chart.Bar{Label: ctl.ID + " " + ctl.Title, Title: ctl.Sentence, URL: url, Values: vals})
		v.Controls = append(v.Controls, dashboardControl{ID: ctl.ID, Title: ctl.Title, Sentence: ctl.Sentence, URL: url,
			Targets: ctl.Targets, Orgs: ctl.Orgs, Share: strconv.FormatFloat(ctl.Share*100, 'f', 1, 64) + "%"})
		open += int(ctl.Fail)
	}
	v.ControlsWithFindings = len(rep.Controls)
	v.OpenFindings = groupDigits(int64(open))
	if v.Chart, err = c.SVG("chart-controls"); err != nil {
		return err
	}
	worst, err := s.store.WorstSystems(ctx, 10)
	if err != nil {
		return err
	}
	var codes, orgs []string
	for _, x := range worst {
		codes = append(codes, x.SystemCode)
		orgs = append(orgs, x.OrgCode)
	}
	sysNames, err := s.names(ctx, systems, codes...)
	if err != nil {
		return err
	}
	orgNames, err := s.names(ctx, organizations, orgs...)
	if err != nil {
		return err
	}
	for _, x := range worst {
		v.Worst = append(v.Worst, worstSystem{Code: x.SystemCode, URL: systemURL(x.SystemCode), Name: sysNames[x.SystemCode],
			OrgName: orgNames[x.OrgCode], Open: x.Open, High: x.High})
	}
	return s.render(w, r, http.StatusOK, "dashboard.html", "ダッシュボード", "dashboard", v)
}
