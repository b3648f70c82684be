package report

import "testing"

// TestMarkdownEscapesValues: a value from the register prints as text in
// any Markdown renderer: no raw HTML, no link, no table cell broken by a
// bar or by a trailing backslash.
func TestMarkdownEscapesValues(t *testing.T) {
	for in, want := range map[string]string{
		`<script>alert(1)</script>`:    `&lt;script&gt;alert(1)&lt;/script&gt;`,
		`<img src=x onerror=alert(1)>`: `&lt;img src=x onerror=alert(1)&gt;`,
		`[会計](javascript:alert(1))`:    `\[会計\](javascript:alert(1))`,
		`A&B`:                          `A&amp;B`,
		`名称\`:                          `名称\\`,
		"a|b\nc":                       `a\|b c`,
		"*強調* _下線_ `code`":             "\\*強調\\* \\_下線\\_ \\`code\\`",
		"人事給与システム":                     "人事給与システム",
	} {
		if got := md(in); got != want {
			t.Errorf("md(%q) = %q, want %q", in, got, want)
		}
	}
}
