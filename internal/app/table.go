package app

import (
	"bytes"
	"io"
	"strings"

	"golang.org/x/text/width"
)

// textTable aligns tab-separated lines into columns like text/tabwriter, but
// measures cells by their width on a terminal: a Japanese character takes
// two columns, which tabwriter counts as one, so titles in Japanese pushed
// every later column out of line.
type textTable struct {
	w   io.Writer
	buf bytes.Buffer
}

func newTextTable(w io.Writer) *textTable { return &textTable{w: w} }

func (t *textTable) Write(p []byte) (int, error) { return t.buf.Write(p) }

// displayWidth is the number of terminal columns s occupies.
func displayWidth(s string) int {
	n := 0
	for _, r := range s {
		switch width.LookupRune(r).Kind() {
		case width.EastAsianWide, width.EastAsianFullwidth:
			n += 2
		default:
			n++
		}
	}
	return n
}

// Flush writes the buffered lines with every column padded to its widest
// cell plus two spaces; the last column is not padded.
func (t *textTable) Flush() error {
	text := strings.TrimSuffix(t.buf.String(), "\n")
	t.buf.Reset()
	if text == "" {
		return nil
	}
	var rows [][]string
	var widths []int
	for _, line := range strings.Split(text, "\n") {
		cells := strings.Split(line, "\t")
		for i, c := range cells {
			if i == len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], displayWidth(c))
		}
		rows = append(rows, cells)
	}
	var out strings.Builder
	for _, cells := range rows {
		for i, c := range cells {
			out.WriteString(c)
			if i < len(cells)-1 {
				out.WriteString(strings.Repeat(" ", widths[i]-displayWidth(c)+2))
			}
		}
		out.WriteByte('\n')
	}
	_, err := io.WriteString(t.w, out.String())
	return err
}
