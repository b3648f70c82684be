package chart

import (
	"encoding/xml"
	"fmt"
	"strconv"
	"strings"
	"testing"
)

func TestStackedSVG(t *testing.T) {
	c := Stacked{Title: "不適合 <区分別>", Series: []Series{{"本府省庁等", "s1"}, {"市区町村", "s4"}},
		Bars: []Bar{
			{Label: `REG-03 "ID" & <b>`, URL: "/findings?control=REG-03&org=A", Values: []int{3, 1}},
			{Label: "LG-01", Values: []int{0, 8}},
			{Label: "empty", Values: []int{0, 0}},
		}}
	out, err := c.SVG("c1")
	if err != nil {
		t.Fatal(err)
	}
	s := string(out)
	// Well-formed XML, labels escaped, links kept, one rect per non-zero value plus the legend.
	dec := xml.NewDecoder(strings.NewReader(s))
	for {
		if _, err := dec.Token(); err != nil {
			if err.Error() != "EOF" {
				t.Fatalf("not well-formed: %v\n%s", err, s)
			}
			break
		}
	}
	for _, want := range []string{`aria-labelledby="c1"`, "不適合 &lt;区分別&gt;", "REG-03 &#34;ID&#34; &amp; &lt;b&gt;",
		`href="/findings?control=REG-03&amp;org=A"`, `>4</text>`, `>8</text>`, `>0</text>`, "本府省庁等: 3", "市区町村: 8"} {
		if !strings.Contains(s, want) {
			t.Errorf("missing %q in\n%s", want, s)
		}
	}
	if n := strings.Count(s, "<rect"); n != 2+3 {
		t.Errorf("%d rects, want 2 legend + 3 bars", n)
	}
	// The longest bar spans the bar area; the others are in proportion.
	if !strings.Contains(s, `width="420.0"`) && !strings.Contains(s, `width="315.0"`) {
		t.Errorf("bars not scaled to the longest:\n%s", s)
	}
}

func TestStackedEmpty(t *testing.T) {
	out, err := Stacked{Title: "空"}.SVG("e")
	if err != nil || !strings.Contains(string(out), "<title id=\"e\">空</title>") {
		t.Fatalf("empty chart = %q, %v", out, err)
	}
}

// svgText is a text element of a rendered chart, with its lines.
type svgText struct {
	X      float64 `xml:"x,attr"`
	Y      float64 `xml:"y,attr"`
	Anchor string  `xml:"text-anchor,attr"`
	Class  string  `xml:"class,attr"`
	Text   string  `xml:",chardata"`
	Spans  []struct {
		X    float64 `xml:"x,attr"`
		Y    float64 `xml:"y,attr"`
		Text string  `xml:",chardata"`
	} `xml:"tspan"`
}

// texts parses a chart and returns its viewBox size and every text in it,
// links' texts included.
func texts(t *testing.T, out string) (w, h float64, all []svgText) {
	t.Helper()
	var doc struct {
		ViewBox string    `xml:"viewBox,attr"`
		Texts   []svgText `xml:"text"`
		Groups  []struct {
			Texts []svgText `xml:"text"`
			Links []struct {
				Texts []svgText `xml:"text"`
			} `xml:"a"`
		} `xml:"g"`
	}
	if err := xml.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("not well-formed: %v\n%s", err, out)
	}
	var x, y float64
	if _, err := fmt.Sscanf(doc.ViewBox, "%g %g %g %g", &x, &y, &w, &h); err != nil {
		t.Fatalf("viewBox %q: %v", doc.ViewBox, err)
	}
	all = doc.Texts
	for _, g := range doc.Groups {
		all = append(all, g.Texts...)
		for _, a := range g.Links {
			all = append(all, a.Texts...)
		}
	}
	return w, h, all
}

// TestStackedLongLabels lays out labels and legend entries far longer than
// the dashboard's usual ones, in English and Japanese: every line of text,
// measured as TextWidth measures it, lies inside the drawing, long labels
// wrap without losing a character, and the legend wraps onto more rows
// rather than running off the right edge.
func TestStackedLongLabels(t *testing.T) {
	series := []Series{{"Central offices", "s1"}, {"Regional branches", "s2"}, {"Prefectures", "s3"},
		{"Municipalities", "s4"}, {"Incorporated administrative agencies", "s5"}, {"Other", "s6"}}
	seriesJA := []Series{{"本府省庁等", "s1"}, {"地方支分部局", "s2"}, {"都道府県", "s3"}, {"市区町村", "s4"}, {"独立行政法人等", "s5"}, {"その他", "s6"}}
	labels := []string{
		"IAM-05 Multi-factor authentication for privileged accounts and remote access across the whole organization",
		"OUT-01 Outsourcing contracts state confidentiality, incident handling and the right to audit",
		"LG-01 特権アカウントの多要素認証及びリモートアクセスの管理に関する規定の整備と運用状況の確認",
		"WWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWW",
		"A03-K0001",
	}
	for _, tc := range []struct {
		name   string
		series []Series
		labels []string
	}{
		{"en", series, labels},
		{"ja", seriesJA, labels[2:]},
		{"short labels, long legend", series, []string{"FY2025", "FY2026"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := Stacked{Title: "t", Series: tc.series}
			for i, l := range tc.labels {
				c.Bars = append(c.Bars, Bar{Label: l, URL: "/findings?control=" + strconv.Itoa(i), Values: []int{1234, 5, 6, 7, 8, 99999 * i}})
			}
			out, err := c.SVG("c")
			if err != nil {
				t.Fatal(err)
			}
			w, h, all := texts(t, string(out))
			var got []string
			legendRows := map[float64]bool{}
			for _, tx := range all {
				lines := []svgText{tx}
				if len(tx.Spans) > 0 {
					lines = nil
					var joined []string
					for _, s := range tx.Spans {
						lines = append(lines, svgText{X: s.X, Y: s.Y, Anchor: tx.Anchor, Text: s.Text})
						joined = append(joined, s.Text)
					}
					tx.Text = strings.Join(joined, " ")
				}
				switch tx.Class {
				case "label":
					got = append(got, tx.Text)
				case "legend":
					legendRows[tx.Y] = true
				}
				for _, l := range lines {
					tw := TextWidth(l.Text)
					left := l.X
					if l.Anchor == "end" {
						left -= tw
					}
					if tx.Class == "label" && tw > maxLabelWidth && strings.Contains(l.Text, " ") {
						t.Errorf("line %q is %.0f wide, more than %d", l.Text, tw, maxLabelWidth)
					}
					// Ascent and descent of CJK faces: 1.16 and 0.29 em.
					if left < 0 || left+tw > w || l.Y-1.16*FontSize < 0 || l.Y+0.29*FontSize > h {
						t.Errorf("%s %q spans x %.1f–%.1f, y %.1f–%.1f: outside the drawing 0–%g × 0–%g",
							tx.Class, l.Text, left, left+tw, l.Y-1.16*FontSize, l.Y+0.29*FontSize, w, h)
					}
				}
			}
			// Wrapping loses nothing: the lines, joined, give the label back
			// (a Japanese phrase broken between characters gains a space).
			for i, l := range tc.labels {
				if i >= len(got) || strings.ReplaceAll(got[i], " ", "") != strings.ReplaceAll(l, " ", "") {
					t.Errorf("label %d = %q, want %q", i, got[i], l)
				}
			}
			if tc.name == "short labels, long legend" && len(legendRows) < 2 {
				t.Errorf("legend on %d row(s) in a %g-wide chart: want it wrapped", len(legendRows), w)
			}
		})
	}
}

// TestTextWidth checks that the width table errs wide: no narrower than
// DejaVu Sans, a whole em for full-width characters.
func TestTextWidth(t *testing.T) {
	for _, tc := range []struct {
		s    string
		want float64 // at least, in user units at FontSize
	}{
		{"M", 0.863 * FontSize},
		{"W", 0.989 * FontSize},
		{"i", 0.278 * FontSize},
		{"0123456789", 10 * 0.636 * FontSize},
		{"漢字かな", 4 * FontSize},
		{"「、」", 3 * FontSize},
		{"ｱｲｳ", 3 * 0.5 * FontSize},
		{"é—…", 3 * 0.6 * FontSize},
	} {
		if got := TextWidth(tc.s); got < tc.want {
			t.Errorf("TextWidth(%q) = %.2f, want at least %.2f", tc.s, got, tc.want)
		}
	}
}

// TestStackedThousands: the numbers a chart prints, at the bars' ends and
// in their tooltips, carry thousands separators.
func TestStackedThousands(t *testing.T) {
	out, err := Stacked{Title: "t", Series: []Series{{"本府省庁等", "s1"}, {"市区町村", "s4"}},
		Bars: []Bar{{Label: "IAM-05", Values: []int{6000, 471}}, {Label: "LG-01", Values: []int{1234567, 0}}}}.SVG("k")
	if err != nil {
		t.Fatal(err)
	}
	s := string(out)
	for _, want := range []string{`>6,471</text>`, `>1,234,567</text>`, "本府省庁等: 6,000", "市区町村: 471", "本府省庁等: 1,234,567"} {
		if !strings.Contains(s, want) {
			t.Errorf("missing %q in\n%s", want, s)
		}
	}
	if strings.Contains(s, ">6471<") {
		t.Errorf("a total without separators:\n%s", s)
	}
	for n, want := range map[int]string{0: "0", 999: "999", 1000: "1,000", -1234: "-1,234", 100000: "100,000"} {
		if got := grouped(n); got != want {
			t.Errorf("grouped(%d) = %q, want %q", n, got, want)
		}
	}
}

// TestStackedLegendDrawnOnly: the legend names only the series that have a
// bar somewhere (a ministry's chart has no prefectures or municipalities),
// and each keeps its colour.
func TestStackedLegendDrawnOnly(t *testing.T) {
	out, err := Stacked{Title: "t", Series: []Series{{"本府省庁等", "s1"}, {"地方支分部局", "s2"}, {"都道府県", "s3"}, {"市区町村", "s4"}},
		Bars: []Bar{{Label: "A", Values: []int{3, 0, 0, 0}}, {Label: "B", Values: []int{0, 2, 0}}}}.SVG("l")
	if err != nil {
		t.Fatal(err)
	}
	s := string(out)
	for _, want := range []string{`class="legend">本府省庁等<`, `class="legend">地方支分部局<`, `height="12" class="s1"`, `height="12" class="s2"`} {
		if !strings.Contains(s, want) {
			t.Errorf("missing %q in\n%s", want, s)
		}
	}
	for _, nope := range []string{"都道府県", "市区町村", `class="s3"`, `class="s4"`} {
		if strings.Contains(s, nope) {
			t.Errorf("the legend names %q, which has no bar:\n%s", nope, s)
		}
	}
}

// TestStackedAllZeroNamesItsSeries: a chart whose every bar is zero (the
// secure zone's months of use: nobody used it) still says what its zeros
// count when asked to, so it does not read as a bare list of labels and
// noughts; without NameNoughts the legend names only what is drawn.
func TestStackedAllZeroNamesItsSeries(t *testing.T) {
	out, err := Stacked{Title: "t", Series: []Series{{"本来の目的で利用した組織", "s1"}},
		Bars: []Bar{{Label: "2024-06", Values: []int{0}}, {Label: "2024-07", Values: []int{0}}}, NameNoughts: true}.SVG("z")
	if err != nil {
		t.Fatal(err)
	}
	if s := string(out); !strings.Contains(s, `class="legend">本来の目的で利用した組織<`) {
		t.Errorf("an all-zero chart names no series:\n%s", s)
	}
	out, err = Stacked{Title: "t", Series: []Series{{"都道府県", "s3"}}, Bars: []Bar{{Label: "A", Values: []int{0}}}}.SVG("z")
	if err != nil || strings.Contains(string(out), "都道府県") {
		t.Errorf("a chart not asked to name its noughts names them: %v\n%s", err, out)
	}
}
