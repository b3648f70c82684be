package chart

import (
	"strings"

	"golang.org/x/text/width"
)

// FontSize is the size of the charts' text in SVG user units. The site's
// stylesheet sets `svg.chart text` to the same size: the layout below
// measures text at this size.
const FontSize = 12

// asciiAdvance holds the advance widths of the printable ASCII characters
// (U+0020 to U+007E) in thousandths of an em: for each, the larger of
// DejaVu Sans (the widest of the common sans-serif faces, and the one a
// Debian browser picks for system-ui) and Noto Sans CJK JP's proportional
// Latin. A text laid out with these widths is no narrower than the browser
// draws it in either face, nor in the narrower Helvetica, Arial, Yu Gothic
// or Hiragino Latin.
var asciiAdvance = [95]int{
	318, 401, 474, 838, 637, 951, 780, 278, 391, 391, 500, 838, 318, 361, 318, 392,
	637, 637, 637, 637, 637, 637, 637, 637, 637, 637, 337, 337, 838, 838, 838, 531,
	1000, 685, 687, 699, 771, 632, 576, 775, 752, 295, 535, 656, 558, 863, 749, 788,
	633, 788, 695, 635, 611, 732, 685, 989, 686, 611, 686, 391, 392, 391, 838, 559,
	606, 613, 635, 550, 635, 616, 353, 635, 634, 278, 278, 580, 284, 975, 634, 612,
	635, 635, 412, 521, 393, 634, 592, 818, 592, 592, 525, 637, 337, 637, 838,
}

// runeAdvance is r's width in thousandths of an em. Outside ASCII it errs
// wide: full-width and ambiguous-width characters (kanji, kana, 「」、。,
// accented Latin, dashes) count a whole em, half-width katakana and other
// narrow characters seven tenths.
func runeAdvance(r rune) int {
	if r >= 0x20 && r <= 0x7e {
		return asciiAdvance[r-0x20]
	}
	if r < 0x20 || r == 0x7f {
		return 0
	}
	switch width.LookupRune(r).Kind() {
	case width.EastAsianNarrow, width.EastAsianHalfwidth:
		return 700
	}
	return 1000
}

// TextWidth is a width, in SVG user units, that s drawn at FontSize does not
// exceed.
func TextWidth(s string) float64 {
	em := 0
	for _, r := range s {
		em += runeAdvance(r)
	}
	return float64(em) * FontSize / 1000
}

// wrap breaks s into lines no wider than max: at spaces, and inside a
// Japanese phrase (which has no spaces) between any two characters except
// before closing punctuation and small kana. A Latin word or a code such as
// "A03-K0001" moves whole to the next line; only one wider than a line
// alone is cut.
func wrap(s string, max float64) []string {
	if TextWidth(s) <= max {
		return []string{s}
	}
	var lines []string
	line := []rune{}
	fits := func(r []rune) bool { return TextWidth(string(r)) <= max }
	// put adds r to the line, starting a new one if it would overflow.
	put := func(r rune) {
		if len(line) > 0 && !fits(append(line, r)) {
			carry := []rune{}
			if noLineStart(r) && len(line) > 1 {
				carry, line = []rune{line[len(line)-1]}, line[:len(line)-1]
			}
			lines = append(lines, string(line))
			line = carry
		}
		line = append(line, r)
	}
	for _, word := range splitWords(s) {
		w := []rune(word)
		if len(line) > 0 && fits(append(append(line[:len(line):len(line)], ' '), w...)) {
			line = append(append(line, ' '), w...)
			continue
		}
		if wide(word) {
			if len(line) > 0 {
				put(' ')
			}
			for _, r := range w {
				put(r)
			}
			continue
		}
		if len(line) > 0 {
			lines = append(lines, string(line))
			line = line[:0:0]
		}
		for _, r := range w {
			put(r)
		}
	}
	if len(line) > 0 {
		lines = append(lines, string(line))
	}
	for i := range lines {
		lines[i] = strings.TrimSpace(lines[i])
	}
	return lines
}

// wide reports whether word holds full-width characters: Japanese text,
// which may break between characters.
func wide(word string) bool {
	for _, r := range word {
		if k := width.LookupRune(r).Kind(); k == width.EastAsianWide || k == width.EastAsianFullwidth {
			return true
		}
	}
	return false
}

// noLineStart reports whether r may not begin a line (JIS X 4051's closing
// brackets, punctuation, prolonged sound mark and small kana).
func noLineStart(r rune) bool {
	return strings.ContainsRune("、。，．・：；？！）」』】〕〉》ーぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ々", r)
}

// splitWords splits s at spaces (an ideographic space too), dropping empty words.
func splitWords(s string) []string {
	return strings.Fields(s)
}
