package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"regexp"
	"strconv"

	"mamori"
	"mamori/internal/audit"
	"mamori/internal/report"
	"mamori/internal/wareki"
)

// styleBlock finds the audit report's own stylesheet, which travels inside
// the document so the file works when saved or mailed.
var styleBlock = regexp.MustCompile(`(?s)<style>(.*?)</style>`)

// auditReport serves the Board-of-Audit report of the latest census (or of
// the fiscal year ?fy=2025) as the same standalone HTML document that
// mamori report audit --format html writes: each number links to the list
// behind it. Its inline stylesheet is allowed by its hash, not by relaxing
// the policy for inline content in general.
func (s *server) auditReport(w http.ResponseWriter, r *http.Request) error {
	if err := requireAll(r); err != nil {
		return err
	}
	opts := report.Options{}
	if fy := r.URL.Query().Get("fy"); fy != "" {
		n, err := strconv.Atoi(fy)
		if err != nil || n < 2000 || n > 2100 {
			return mamori.Errorf(mamori.Invalid, "パラメータ「fy」は西暦の年度です（例: 2025）", "parameter fy must be a fiscal year such as 2025")
		}
		opts.FiscalYear = wareki.FiscalYear(n)
	}
	rep, err := report.Build(r.Context(), s.store, s.catalogs, opts)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := rep.HTML(&buf); err != nil {
		return err
	}
	// The report is a whole-government document leaving mamori: recorded
	// as an export, filed under every organization.
	if _, err := audit.RecordAll(r.Context(), s.store, viewerOf(r.Context()).user.Name, audit.Export, []audit.Event{{Target: "report",
		Orgs: []string{audit.EveryOrg}, Detail: map[string]any{"format": "html", "fiscal_year": int(opts.FiscalYear)}}}); err != nil {
		return err
	}
	csp := "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
	if m := styleBlock.FindSubmatch(buf.Bytes()); m != nil {
		sum := sha256.Sum256(m[1])
		csp += "; style-src 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
	}
	h := w.Header()
	h.Set("Content-Security-Policy", csp)
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	_, err = w.Write(buf.Bytes())
	return err
}
