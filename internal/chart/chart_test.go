package chart

import (
	"encoding/xml"
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
