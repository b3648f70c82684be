package web

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"mamori"
	"mamori/internal/match"
	"mamori/internal/store"
)

// fieldRow is one line of a system's field table.
type fieldRow struct {
	JA, EN    string
	Value     string // "" shows as 「—」
	URL       string // a link for the value, when there is a page for it
	Badge     string // a warning shown next to the value
	Multiline bool
}

type componentRow struct {
	Code, Kind, Name, Hostname, Image, PatchedOn, AVDefinitionsOn string
}

type costRow struct{ Year, Kind, Amount string }

type contractRow struct{ Code, Title, Vendor, Kind string }

// softwareRow is one installed product and where it is installed.
type softwareRow struct{ Product, Version, Where, Identifier string }

// vulnRow is one open vulnerability of the system.
type vulnRow struct {
	ID, Title, Score, Severity, KEVDue, Software, Path, FirstSeen, Countermeasure string
	Confidence                                                                    int
	Alert                                                                         bool // KEV, or no countermeasure
}

// findingRow is one open finding of the system or one of its components.
type findingRow struct {
	Control, Title, Target, Severity, FirstSeen, Evidence string
}

// planRow is one plan covering the system.
type planRow struct{ Code, Kind, Year, Title string }

// systemView is the data of a system's page.
type systemView struct {
	Software            []softwareRow
	SoftwareTruncated   bool
	Vulns               []vulnRow
	Findings            []findingRow
	Plans               []planRow
	Code, Name          string
	InRegister          bool
	Fields              []fieldRow
	Components          []componentRow
	ComponentTotal      string
	ComponentsTruncated bool
	Costs               []costRow
	Contracts           []contractRow
	ContractTotal       string
	ContractsTruncated  bool
}

// sectionLimit is how many components or contracts a system's page lists.
const sectionLimit = 100

// systemPage renders one system: every field of the register, then its
// components, costs and contracts.
func (s *server) systemPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	code := r.PathValue("code")
	rec, err := s.store.Get(ctx, systems, code)
	if err != nil {
		return err
	}
	if !mayView(r, str(systems, rec, "org_code")) {
		// The same answer as for a code that does not exist.
		return mamori.Errorf(mamori.NotFound, "%s「%s」は見つかりません", "%s %q not found", systems.JA, code)
	}
	v := systemView{Code: code, Name: str(systems, rec, "name"), InRegister: field(systems, rec, "in_register") == true}

	for i := range systems.Fields {
		f := &systems.Fields[i]
		row := fieldRow{JA: f.JA, EN: f.EN, Value: display(f, rec[i]), Multiline: f.Type == mamori.Text}
		if ref, _ := rec[i].(string); f.Ref != "" && ref != "" {
			names, err := s.names(ctx, mustEntity(f.Ref), ref)
			if err != nil {
				return err
			}
			if n := names[ref]; n != "" {
				row.Value = n + "（" + ref + "）"
			}
			if f.Ref == "organizations" {
				row.URL = orgURL(ref)
			}
		}
		switch {
		case f.Column == "system_id" && row.Value == "":
			row.Badge = "未付番"
		case f.Column == "in_register" && !v.InRegister:
			row.Badge = "台帳未記載"
		}
		v.Fields = append(v.Fields, row)
	}

	bySystem := map[string]string{"system_code": code}
	comps, total, err := s.store.Find(ctx, components, store.Filter{Where: bySystem, Limit: sectionLimit})
	if err != nil {
		return err
	}
	v.ComponentTotal, v.ComponentsTruncated = groupDigits(int64(total)), total > len(comps)
	for _, c := range comps {
		v.Components = append(v.Components, componentRow{
			Code:            str(components, c, "code"),
			Kind:            show(components, c, "kind"),
			Name:            str(components, c, "name"),
			Hostname:        str(components, c, "hostname"),
			Image:           str(components, c, "image_code"),
			PatchedOn:       str(components, c, "patched_on"),
			AVDefinitionsOn: str(components, c, "av_definitions_on"),
		})
	}

	costs, _, err := s.store.Find(ctx, systemCosts, store.Filter{Where: bySystem})
	if err != nil {
		return err
	}
	for _, c := range costs {
		v.Costs = append(v.Costs, costRow{
			Year:   show(systemCosts, c, "fiscal_year"),
			Kind:   show(systemCosts, c, "kind"),
			Amount: show(systemCosts, c, "amount"),
		})
	}

	links, total, err := s.store.Find(ctx, contractSystems, store.Filter{Where: bySystem, Limit: sectionLimit})
	if err != nil {
		return err
	}
	v.ContractTotal, v.ContractsTruncated = groupDigits(int64(total)), total > len(links)
	for _, l := range links {
		cc := str(contractSystems, l, "contract_code")
		c, err := s.store.Get(ctx, contracts, cc)
		if err != nil {
			return err
		}
		v.Contracts = append(v.Contracts, contractRow{
			Code:   cc,
			Title:  str(contracts, c, "title"),
			Vendor: str(contracts, c, "vendor"),
			Kind:   show(contracts, c, "kind"),
		})
	}
	if err := s.systemExtras(ctx, code, &v); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "system.html", v.Name+" | 情報システム台帳", "systems", v)
}

// systemExtras fills the software, vulnerabilities, findings and plans of
// a system's page.
func (s *server) systemExtras(ctx context.Context, code string, v *systemView) error {
	seen := map[[2]string]int{}
	err := s.store.Inventory(ctx, code, func(it store.InventoryItem) {
		k := [2]string{it.Product, it.Version}
		where := "標準イメージ " + it.OwnerCode
		if it.OwnerKind == store.OwnerComponent {
			where = "SBOM " + it.OwnerCode
		}
		if i, ok := seen[k]; ok {
			if !strings.Contains(v.Software[i].Where, where) {
				v.Software[i].Where += "、" + where
			}
			return
		}
		if len(v.Software) >= sectionLimit {
			v.SoftwareTruncated = true
			return
		}
		id := it.PURL
		if id == "" {
			id, _, _ = strings.Cut(it.CPE, " ")
		}
		seen[k] = len(v.Software)
		v.Software = append(v.Software, softwareRow{Product: it.Product, Version: it.Version, Where: where, Identifier: id})
	})
	if err != nil {
		return err
	}
	rep, err := match.BuildReport(ctx, s.store, match.Scope{System: code})
	if err != nil {
		return err
	}
	for _, e := range rep.Exposures {
		row := vulnRow{ID: e.VulnID, Title: e.Title, Severity: e.Severity, KEVDue: e.KEVDue, Software: strings.Join(e.Software, "、"),
			Path: e.Path, Confidence: e.Confidence, FirstSeen: e.FirstSeen, Countermeasure: countermeasureJA(e.Countermeasure)}
		switch {
		case e.CVSS3 > 0:
			row.Score = fmt.Sprintf("%.1f", e.CVSS3)
		case e.CVSS4 > 0:
			row.Score = fmt.Sprintf("%.1f (v4)", e.CVSS4)
		}
		if e.DueOn != "" {
			row.Countermeasure += "（期限 " + e.DueOn + "）"
		}
		row.Alert = e.KEVDue != "" || e.Countermeasure == ""
		v.Vulns = append(v.Vulns, row)
	}
	fs, err := s.store.SystemFindings(ctx, code)
	if err != nil {
		return err
	}
	for _, f := range fs {
		row := findingRow{Control: f.ControlID, Title: s.controlTitle(f.ControlID), Target: f.TargetCode, Severity: f.Severity,
			FirstSeen: f.FirstSeen, Evidence: f.Evidence}
		v.Findings = append(v.Findings, row)
	}
	links, _, err := s.store.Find(ctx, planSystems, store.Filter{Where: map[string]string{"system_code": code}})
	if err != nil {
		return err
	}
	for _, l := range links {
		pc := str(planSystems, l, "plan_code")
		p, err := s.store.Get(ctx, plans, pc)
		if err != nil {
			return err
		}
		v.Plans = append(v.Plans, planRow{Code: pc, Kind: show(plans, p, "kind"), Year: show(plans, p, "fiscal_year"), Title: str(plans, p, "title")})
	}
	return nil
}

// countermeasureJA names a countermeasure kind for the page.
func countermeasureJA(kind string) string {
	switch kind {
	case "patched":
		return "修正済み"
	case "mitigated":
		return "緩和策"
	case "planned":
		return "対策計画"
	case "accepted":
		return "リスク受容"
	}
	return "未対応"
}

// controlTitle is a built-in control's Japanese title, or "" for others.
func (s *server) controlTitle(id string) string {
	for _, c := range s.catalogs {
		for _, ctl := range c.Controls {
			if ctl.ID == id {
				return ctl.Title
			}
		}
	}
	return ""
}

// healthz reports whether the store answers a cheap query, as JSON for
// load balancers and monitoring.
func (s *server) healthz(w http.ResponseWriter, r *http.Request) error {
	ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
	defer cancel()
	_, err := s.store.Count(ctx, organizations)
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Cache-Control", "no-store")
	if err != nil {
		s.log.LogAttrs(r.Context(), slog.LevelWarn, "health check failed",
			slog.String("request_id", requestID(r.Context())), slog.Any("error", err))
		w.WriteHeader(http.StatusServiceUnavailable)
		io.WriteString(w, `{"status":"unavailable"}`+"\n")
		return nil
	}
	io.WriteString(w, `{"status":"ok"}`+"\n")
	return nil
}

// static serves an embedded asset by its hashed name; the name changes with
// the content, so the response may be cached for good.
func (s *server) static(w http.ResponseWriter, r *http.Request) error {
	a, ok := s.assets[r.PathValue("file")]
	if !ok {
		return mamori.Errorf(mamori.NotFound, "ファイルが見つかりません", "file not found")
	}
	h := w.Header()
	h.Set("Content-Type", a.contentType)
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	h.Set("ETag", `"`+a.hash+`"`)
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(a.data))
	return nil
}
