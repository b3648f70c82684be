package report

import (
	"embed"
	"fmt"
	"html/template"
	"io"
	"strings"
)

//go:embed templates/audit.html
var templates embed.FS

// The template is parsed once; a broken template is a build-time mistake,
// so it panics at start-up rather than on the first report.
var auditHTML = template.Must(template.New("audit.html").Funcs(template.FuncMap{
	"anchor":    anchor,
	"percent":   PercentBoth,
	"orgUnit":   func(c Control) bool { return c.orgUnit() },
	"crosstabs": func(r *Report) []CrossTab { return []CrossTab{r.SystemID, r.Training} },
	"tierKeys":  func(c Control) []string { return c.tierKeys() },
	"tierLabel": tierLabel,
	"pair":      func(c Control, orgs, targets int) string { return c.pair(orgs, targets) },
	"counted":   func(c Control) Count { return Count{Orgs: c.Orgs, Targets: c.Targets, Tiers: c.Tiers} },
	"tierCell": func(c Control, cnt Count, tier string) string {
		for _, t := range cnt.Tiers {
			if t.Tier == tier {
				return c.pair(t.Orgs, t.Targets)
			}
		}
		return "0"
	},
	"join":        func(xs []string) string { return strings.Join(xs, " ") },
	"resultLabel": resultLabel,
	// tierOf is a tier's row of a count, or nil when the tier counts nothing.
	"tierOf": func(tiers []TierCount, tier string) *TierCount {
		for i := range tiers {
			if tiers[i].Tier == tier {
				return &tiers[i]
			}
		}
		return nil
	},
	// listed reports whether a count carries a list for the tier.
	"listed": func(cnt Count, tier string) bool {
		for _, t := range cnt.Tiers {
			if t.Tier == tier && len(t.TargetList) > 0 {
				return true
			}
		}
		return false
	},
	// n writes a count with thousands separators, as the sentences do.
	"n": func(v any) (string, error) {
		switch v := v.(type) {
		case int:
			return digits(v), nil
		case int64:
			return digits(v), nil
		}
		return "", fmt.Errorf("report: n: %T is not a count", v)
	},
}).ParseFS(templates, "templates/audit.html"))

// anchor names the list behind one number: control, tier ("all" for the
// total) and what is counted ("orgs" or "targets").
func anchor(control, tier, what string) string { return control + "-" + tier + "-" + what }

// HTML writes the report as one self-contained, printable page: no
// JavaScript, no external style sheet or font, and every number a link to
// the list behind it.
func (r *Report) HTML(w io.Writer) error { return auditHTML.Execute(w, r) }
