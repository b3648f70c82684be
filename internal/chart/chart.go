// Package chart draws the dashboard's charts as SVG on the server: no
// script, no external library, printable, and readable without colour
// (every bar carries its number, and each series a text label).
package chart

import (
	"bytes"
	"fmt"
	"html/template"
	"math"
	"slices"
	"strconv"
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
	// NameNoughts names every series in the legend when no bar draws any,
	// for a chart whose noughts are its message (months nobody used a
	// system): without it such a chart has no legend at all.
	NameNoughts bool
}

// Layout, in SVG user units. The label column, the value column and the
// legend's rows are sized from the widths of the text they hold
// (TextWidth), so no label, number or legend entry runs off the drawing in
// either language.
const (
	pad           = 4   // margin around the drawing
	labelGap      = 8   // between a label and its bar
	maxLabelWidth = 330 // a longer label wraps onto more lines
	barArea       = 420
	valueGap      = 6 // between a bar and its number
	rowHeight     = 22
	lineHeight    = 15 // between the lines of a wrapped label
	barHeight     = 14
	baseline      = 12 // from a row's top to its first line's baseline
	legendRow     = 20
	swatch        = 12 // a legend entry's colour square
	swatchGap     = 4  // between the square and its label
	legendGap     = 16 // between two legend entries
)

type rect struct {
	X, Y, W, H float64
	Class      string
	Title      string
}

type line struct {
	Y    float64
	Text string
}

type row struct {
	Y          float64
	TextY      float64
	LabelRight float64 // where the label ends (it is right-aligned)
	Label      string
	Lines      []line // the label's lines when it wraps
	Title      string
	URL        string
	Rects      []rect
	Total      int
	TotalX     float64
}

type legend struct {
	X, Y  float64 // the colour square's top left corner
	TextX float64
	TextY float64
	Label string
	Class string
}

var svg = template.Must(template.New("stacked").Funcs(template.FuncMap{"n": grouped}).Parse(`<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="group" aria-labelledby="{{.ID}}" viewBox="0 0 {{.Width}} {{.Height}}" width="100%">
<title id="{{.ID}}">{{.Title}}</title>
{{- range .Legend}}
<rect x="{{.X}}" y="{{.Y}}" width="12" height="12" class="{{.Class}}"/><text x="{{printf "%.0f" .TextX}}" y="{{.TextY}}" class="legend">{{.Label}}</text>
{{- end}}
{{- range .Rows}}
<g>
{{- if .URL}}<a href="{{.URL}}">{{template "label" .}}</a>
{{- else}}{{template "label" .}}{{end}}
<title>{{.Title}}</title>
{{- range .Rects}}
<rect x="{{printf "%.1f" .X}}" y="{{.Y}}" width="{{printf "%.1f" .W}}" height="{{.H}}" class="{{.Class}}"><title>{{.Title}}</title></rect>
{{- end}}
<text x="{{printf "%.1f" .TotalX}}" y="{{.TextY}}" class="value">{{n .Total}}</text>
</g>
{{- end}}
</svg>
{{- define "label"}}<text x="{{.LabelRight}}" y="{{.TextY}}" text-anchor="end" class="label">
{{- if .Lines}}{{$x := .LabelRight}}{{range .Lines}}<tspan x="{{$x}}" y="{{.Y}}">{{.Text}}</tspan>{{end}}{{else}}{{.Label}}{{end}}</text>
{{- end}}`))

// SVG renders the chart; id names its title element for screen readers.
func (c Stacked) SVG(id string) (template.HTML, error) {
	most := 0
	for _, b := range c.Bars {
		t := 0
		for _, v := range b.Values {
			t += v
		}
		most = max(most, t)
	}
	scale := 0.0
	if most > 0 {
		scale = barArea / float64(most)
	}

	// Columns: labels right-aligned to the widest, then the bars, then the
	// numbers (as wide as the largest total, with room for separators).
	labels := make([][]string, len(c.Bars))
	labelCol := 0.0
	for i, b := range c.Bars {
		labels[i] = wrap(b.Label, maxLabelWidth)
		for _, l := range labels[i] {
			labelCol = math.Max(labelCol, TextWidth(l))
		}
	}
	labelRight := pad + math.Ceil(labelCol)
	barsX := labelRight + labelGap
	width := barsX + barArea + valueGap + math.Ceil(TextWidth(grouped(most))) + pad

	// The legend fills rows from the left edge; an entry that does not fit
	// on the current row starts the next one. A single entry wider than the
	// whole chart widens it.
	// The legend explains the colours drawn, and only those: a ministry's
	// chart has no prefectures or municipalities to name.
	drawn := make([]bool, len(c.Series))
	for _, b := range c.Bars {
		for j, v := range b.Values {
			if v > 0 && j < len(drawn) {
				drawn[j] = true
			}
		}
	}
	if c.NameNoughts && len(c.Bars) > 0 && !slices.Contains(drawn, true) {
		for j := range drawn {
			drawn[j] = true
		}
	}
	var entries []legend
	x, rows := float64(pad), 0
	if slices.Contains(drawn, true) {
		rows = 1
	}
	for j, s := range c.Series {
		if !drawn[j] {
			continue
		}
		w := swatch + swatchGap + math.Ceil(TextWidth(s.Label))
		if x > pad && x+w > width-pad {
			x, rows = pad, rows+1
		}
		width = math.Max(width, x+w+pad)
		top := float64((rows-1)*legendRow) + 4
		entries = append(entries, legend{X: x, Y: top, TextX: x + swatch + swatchGap, TextY: top + 11, Label: s.Label, Class: s.Class})
		x += w + legendGap
	}

	data := struct {
		ID, Title     string
		Width, Height int
		Legend        []legend
		Rows          []row
	}{ID: id, Title: c.Title, Width: int(math.Ceil(width)), Legend: entries}
	y := float64(rows*legendRow) + 4
	for i, b := range c.Bars {
		r := row{Y: y, TextY: y + baseline, LabelRight: labelRight, Label: b.Label, Title: b.Title, URL: b.URL}
		if len(labels[i]) > 1 {
			for j, l := range labels[i] {
				r.Lines = append(r.Lines, line{Y: r.TextY + float64(j*lineHeight), Text: l})
			}
		}
		x := barsX
		for j, v := range b.Values {
			if v <= 0 || j >= len(c.Series) {
				continue
			}
			w := float64(v) * scale
			r.Rects = append(r.Rects, rect{X: x, Y: y, W: math.Max(w, 1), H: barHeight, Class: c.Series[j].Class,
				Title: c.Series[j].Label + ": " + grouped(v)})
			x += w
			r.Total += v
		}
		r.TotalX = x + valueGap
		data.Rows = append(data.Rows, r)
		y += rowHeight + float64((max(len(labels[i]), 1)-1)*lineHeight)
	}
	data.Height = int(math.Ceil(y)) + pad
	var buf bytes.Buffer
	if err := svg.Execute(&buf, data); err != nil {
		return "", fmt.Errorf("chart: %w", err)
	}
	return template.HTML(buf.String()), nil
}

// grouped writes n with a separator every three digits ("6,471"): the
// value column is measured for the widest way a number may be printed.
func grouped(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
