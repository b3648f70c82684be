// Package chart draws the dashboard's charts as SVG on the server: no
// script, no external library, printable, and readable without colour
// (every bar carries its number, and each series a text label).
package chart

import (
	"bytes"
	"fmt"
	"html/template"
	"math"
)

// Series is one stacked part of every bar (a tier of government, say).
type Series struct {
	Label string
	Class string // CSS class for its colour: s1 … s6
}

// Bar is one labelled bar; Values line up with the chart's Series.
type Bar struct {
	Label  string
	Title  string // tooltip text
	URL    string // where the bar's label links, if anywhere
	Values []int
}

// Stacked is a horizontal stacked bar chart.
type Stacked struct {
	Title  string
	Series []Series
	Bars   []Bar
}

// Layout, in SVG user units.
const (
	labelWidth = 260
	barArea    = 420
	rowHeight  = 22
	barHeight  = 14
	totalWidth = labelWidth + barArea + 70
	legendRow  = 24
)

type rect struct {
	X, Y, W, H float64
	Class      string
	Title      string
}

type row struct {
	Y      float64
	TextY  float64
	Label  string
	Title  string
	URL    string
	Rects  []rect
	Total  int
	TotalX float64
}

type legend struct {
	X     float64
	Label string
	Class string
}

var svg = template.Must(template.New("stacked").Parse(`<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" aria-labelledby="{{.ID}}" viewBox="0 0 {{.Width}} {{.Height}}" width="100%">
<title id="{{.ID}}">{{.Title}}</title>
{{- range .Legend}}
<rect x="{{.X}}" y="4" width="12" height="12" class="{{.Class}}"/><text x="{{printf "%.0f" .X}}" dx="16" y="15" class="legend">{{.Label}}</text>
{{- end}}
{{- range .Rows}}
<g>
{{- if .URL}}<a href="{{.URL}}"><text x="{{$.LabelRight}}" y="{{.TextY}}" text-anchor="end" class="label">{{.Label}}</text></a>
{{- else}}<text x="{{$.LabelRight}}" y="{{.TextY}}" text-anchor="end" class="label">{{.Label}}</text>{{end}}
<title>{{.Title}}</title>
{{- range .Rects}}
<rect x="{{printf "%.1f" .X}}" y="{{.Y}}" width="{{printf "%.1f" .W}}" height="{{.H}}" class="{{.Class}}"><title>{{.Title}}</title></rect>
{{- end}}
<text x="{{printf "%.1f" .TotalX}}" y="{{.TextY}}" class="value">{{.Total}}</text>
</g>
{{- end}}
</svg>`))

// SVG renders the chart; id names its title element for screen readers.
func (c Stacked) SVG(id string) (template.HTML, error) {
	max := 0
	for _, b := range c.Bars {
		t := 0
		for _, v := range b.Values {
			t += v
		}
		max = int(math.Max(float64(max), float64(t)))
	}
	scale := 0.0
	if max > 0 {
		scale = barArea / float64(max)
	}
	data := struct {
		ID, Title     string
		Width, Height int
		LabelRight    int
		Legend        []legend
		Rows          []row
	}{ID: id, Title: c.Title, Width: totalWidth, Height: legendRow + len(c.Bars)*rowHeight + 4, LabelRight: labelWidth - 8}
	x := float64(labelWidth)
	for _, s := range c.Series {
		data.Legend = append(data.Legend, legend{X: x, Label: s.Label, Class: s.Class})
		x += 20 + float64(len([]rune(s.Label)))*13
	}
	for i, b := range c.Bars {
		y := float64(legendRow + i*rowHeight)
		r := row{Y: y, TextY: y + barHeight - 2, Label: b.Label, Title: b.Title, URL: b.URL}
		x := float64(labelWidth)
		for j, v := range b.Values {
			if v <= 0 || j >= len(c.Series) {
				continue
			}
			w := float64(v) * scale
			r.Rects = append(r.Rects, rect{X: x, Y: y, W: math.Max(w, 1), H: barHeight, Class: c.Series[j].Class,
				Title: fmt.Sprintf("%s: %d", c.Series[j].Label, v)})
			x += w
			r.Total += v
		}
		r.TotalX = x + 6
		data.Rows = append(data.Rows, r)
	}
	var buf bytes.Buffer
	if err := svg.Execute(&buf, data); err != nil {
		return "", fmt.Errorf("chart: %w", err)
	}
	return template.HTML(buf.String()), nil
}
