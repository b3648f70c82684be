package report

import (
	"embed"
	"html/template"
	"io"
)

//go:embed templates/audit.html
var templates embed.FS

// The template is parsed once; a broken template is a build-time mistake,
// so it panics at start-up rather than on the first report.
var auditHTML = template.Must(template.New("audit.html").Funcs(template.FuncMap{
	"anchor":    anchor,
	"percent":   Percent,
	"orgUnit":   func(c Control) bool { return c.orgUnit() },
	"crosstabs": func(r *Report) []CrossTab { return []CrossTab{r.SystemID, r.Training} },
}).ParseFS(templates, "templates/audit.html"))

// anchor names the list behind one number: control, tier ("all" for the
// total) and what is counted ("orgs" or "targets").
func anchor(control, tier, what string) string { return control + "-" + tier + "-" + what }

// HTML writes the report as one self-contained, printable page: no
// JavaScript, no external style sheet or font, and every number a link to
// the list behind it.
func (r *Report) HTML(w io.Writer) error { return auditHTML.Execute(w, r) }
