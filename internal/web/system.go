package web

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"mamori"
	"mamori/internal/catalog"
	"mamori/internal/i18n"
	"mamori/internal/match"
	"mamori/internal/store"
)

// fieldRow is one line of a system's field table.
type fieldRow struct {
	JA, EN     string
	Value      string // "" shows as 「—」
	URL        string // a link for the value, when there is a page for it
	Badge      string // a warning shown next to the value
	BadgeAlert bool   // the warning is an alert rather than a caution
	Multiline  bool
}

type componentRow struct {
	Code, Kind, Name, Hostname, Image, PatchedOn, AVDefinitionsOn string
}

type costRow struct{ Year, Kind, Amount string }

type contractRow struct{ Code, Title, Vendor, Kind, URL string } // URL: its register editor page, when visible

// softwareRow is one installed product and where it is installed.
type softwareRow struct{ Product, Version, Where, Identifier string }

// vulnRow is one open vulnerability of the system.
type vulnRow struct {
	ID, Title, Score, Severity, KEVDue, Software, Path, FirstSeen, Countermeasure string
	Aliases                                                                       string // the vulnerability's other identifiers
	Approx                                                                        string // why a CPE match is only approximate (attributes unstated, a version written otherwise)
	Confidence                                                                    int
	Alert                                                                         bool // KEV, or no countermeasure
	Remedy                                                                        findingRemedy
}

// findingRow is one open finding of the system or one of its components.
type findingRow struct {
	Control, Title, Target, Severity, FirstSeen, Evidence string
	Forum                                                 findingForum // the threads about its control, and the ask button
}

// planRow is one plan covering the system.
type planRow struct{ Code, Kind, Year, Title, URL string } // URL: its register editor page, when visible

// systemView is the data of a system's page.
type systemView struct {
	Software            []softwareRow
	SoftwareTruncated   bool
	Vulns               []vulnRow
	Findings            []findingRow
	Plans               []planRow
	Code, Name          string
	URL                 string // the page's path
	EditURL             string // the register editor's page of the system
	InRegister          bool
	Fields              []fieldRow
	Components          []componentRow
	ComponentTotal      string
	ComponentsTruncated bool
	Costs               []costRow
	Contracts           []contractRow
	ContractTotal       string
	ContractsTruncated  bool

	// The components' filter and paging: text (code or name), kind, only
	// those with an open vulnerability; ?cpage=N.
	CompQ, CompKind        string
	CompVuln, CompFiltered bool
	CompKinds              []option
	CompFrom, CompTo       string
	CompPage, CompPages    int
	CompPager              pager
	CompAllURL             string
}

// sectionLimit is how many components or contracts a system's page lists.
const sectionLimit = 100

// systemPage renders one system: every field of the register, then its
// components, costs and contracts.
func (s *server) systemPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	l := s.loc(r)
	code := r.PathValue("code")
	var rec mamori.Record
	var err error = mamori.Errorf(mamori.NotFound, "", "") // no code holds a control character; PostgreSQL fails on a NUL
	if utf8.ValidString(code) && !strings.ContainsFunc(code, unicode.IsControl) {
		rec, err = s.store.Get(ctx, systems, code)
	}
	if mamori.KindOf(err) == mamori.NotFound || err == nil && !mayView(r, str(systems, rec, "org_code")) {
		// Another organization's system answers exactly as a code that
		// does not exist, so its existence does not show.
		return &mamori.Error{Kind: mamori.NotFound, MessageJA: fmt.Sprintf("%s「%s」は見つかりません", systems.JA, code),
			Message: fmt.Sprintf("system %q not found", code)}
	}
	if err != nil {
		return err
	}
	v := systemView{Code: code, URL: systemURL(code), EditURL: registerRecordURL(systems, []string{code}), Name: str(systems, rec, "name"), InRegister: field(systems, rec, "in_register") == true}

	for i := range systems.Fields {
		f := &systems.Fields[i]
		row := fieldRow{JA: f.JA, EN: f.EN, Value: displayIn(l, f, rec[i]), Multiline: f.Type == mamori.Text}
		if ref, _ := rec[i].(string); f.Ref != "" && ref != "" {
			names, err := s.visibleNames(r, mustEntity(f.Ref), ref)
			if err != nil {
				return err
			}
			if n := names[ref]; n != "" {
				row.Value = l.MustT("system.ref", "Name", n, "Code", ref)
			}
			if f.Ref == "organizations" {
				row.URL = orgURL(ref)
			}
		}
		switch {
		case f.Column == "system_id" && row.Value == "":
			row.Badge = l.MustT("system.badge.nosystemid")
		case f.Column == "in_register" && !v.InRegister:
			row.Badge, row.BadgeAlert = l.MustT("system.badge.notinregister"), true
		}
		v.Fields = append(v.Fields, row)
	}

	bySystem := map[string]string{"system_code": code}
	if err := s.systemComponents(r, l, code, &v); err != nil {
		return err
	}

	costs, _, err := s.store.Find(ctx, systemCosts, store.Filter{Where: bySystem})
	if err != nil {
		return err
	}
	for _, c := range costs {
		v.Costs = append(v.Costs, costRow{
			Year:   showIn(l, systemCosts, c, "fiscal_year"),
			Kind:   showIn(l, systemCosts, c, "kind"),
			Amount: showIn(l, systemCosts, c, "amount"),
		})
	}

	links, total, err := s.store.Find(ctx, contractSystems, store.Filter{Where: bySystem, Limit: sectionLimit})
	if err != nil {
		return err
	}
	v.ContractTotal, v.ContractsTruncated = l.Number(int64(total)), total > len(links)
	for _, link := range links {
		cc := str(contractSystems, link, "contract_code")
		c, err := s.store.Get(ctx, contracts, cc)
		if err != nil {
			return err
		}
		if !mayViewRecord(r, contracts, c) {
			// Another ministry's contract linked to this system: its code only.
			v.Contracts = append(v.Contracts, contractRow{Code: cc})
			continue
		}
		v.Contracts = append(v.Contracts, contractRow{
			Code:   cc,
			Title:  str(contracts, c, "title"),
			Vendor: str(contracts, c, "vendor"),
			Kind:   showIn(l, contracts, c, "kind"),
			URL:    registerRecordURL(contracts, []string{cc}),
		})
	}
	if err := s.systemExtras(r, l, code, &v); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "system.html", l.MustT("system.title", "Name", v.Name), "systems", v)
}

// systemComponents fills one page of a system's components, filtered by
// ?cq= (a code or name), ?ckind= and ?cvuln=1 (only those with an open
// vulnerability), paged by ?cpage=; each link keeps the request's other
// parameters.
func (s *server) systemComponents(r *http.Request, l *i18n.Localizer, code string, v *systemView) error {
	ctx := r.Context()
	q := r.URL.Query()
	var err error
	if v.CompQ, err = textParam(q, "cq"); err != nil {
		return err
	}
	v.CompKind = q.Get("ckind")
	if v.CompKind != "" && !slices.ContainsFunc(components.Field("kind").Enum, func(ev mamori.EnumValue) bool { return ev.Code == v.CompKind }) {
		return mamori.Errorf(mamori.Invalid, "パラメータ「ckind」は構成要素の種別です", "parameter ckind must be a component kind")
	}
	v.CompVuln = q.Get("cvuln") != ""
	page, err := parsePage(q.Get("cpage"))
	if err != nil {
		return err
	}
	f := store.Filter{Where: map[string]string{"system_code": code}, Search: v.CompQ, OpenVulns: v.CompVuln,
		Limit: sectionLimit, Offset: (page - 1) * sectionLimit}
	if v.CompKind != "" {
		f.Where["kind"] = v.CompKind
	}
	if v.CompVuln {
		// Another ministry's standard image adds no vulnerabilities here,
		// as it adds none to the page's list of them.
		hidden, err := s.hiddenImages(r, code)
		if err != nil {
			return err
		}
		for img := range hidden {
			f.HiddenImages = append(f.HiddenImages, img)
		}
		slices.Sort(f.HiddenImages)
	}
	comps, total, err := s.store.Find(ctx, components, f)
	if err != nil {
		return err
	}
	v.CompFiltered = v.CompQ != "" || v.CompKind != "" || v.CompVuln
	v.ComponentTotal, v.ComponentsTruncated = l.Number(int64(total)), total > len(comps)
	v.CompPage, v.CompPages = page, max(1, (total+sectionLimit-1)/sectionLimit)
	if len(comps) > 0 {
		v.CompFrom, v.CompTo = l.Number(int64(f.Offset+1)), l.Number(int64(f.Offset+len(comps)))
	}
	for _, ev := range components.Field("kind").Enum {
		v.CompKinds = append(v.CompKinds, option{Code: ev.Code, Label: l.Pick(ev.JA, ev.EN), Selected: ev.Code == v.CompKind})
	}
	link := func(p int) string {
		u := url.Values{}
		for k, vs := range q {
			u[k] = vs
		}
		u.Del("cpage")
		if p > 1 {
			u.Set("cpage", strconv.Itoa(p))
		}
		out := systemURL(code)
		if len(u) > 0 {
			out += "?" + u.Encode()
		}
		return out + "#components"
	}
	if page > 1 {
		v.CompPager.First, v.CompPager.Prev = link(1), link(min(page-1, v.CompPages))
	}
	if page < v.CompPages {
		v.CompPager.Next, v.CompPager.Last = link(page+1), link(v.CompPages)
	}
	if v.CompFiltered {
		u := url.Values{}
		for k, vs := range q {
			if k != "cq" && k != "ckind" && k != "cvuln" && k != "cpage" {
				u[k] = vs
			}
		}
		v.CompAllURL = systemURL(code)
		if len(u) > 0 {
			v.CompAllURL += "?" + u.Encode()
		}
		v.CompAllURL += "#components"
	}
	for _, c := range comps {
		v.Components = append(v.Components, componentRow{
			Code:            str(components, c, "code"),
			Kind:            showIn(l, components, c, "kind"),
			Name:            str(components, c, "name"),
			Hostname:        str(components, c, "hostname"),
			Image:           str(components, c, "image_code"),
			PatchedOn:       showIn(l, components, c, "patched_on"),
			AVDefinitionsOn: showIn(l, components, c, "av_definitions_on"),
		})
	}
	return nil
}

// systemExtras fills the software, vulnerabilities, findings and plans of
// a system's page, in l's language. Another ministry's standard image,
// which a component may name (stored before imports kept references in
// scope), adds no software or vulnerabilities, and another ministry's plan
// shows by its code only.
func (s *server) systemExtras(r *http.Request, l *i18n.Localizer, code string, v *systemView) error {
	ctx := r.Context()
	hidden, err := s.hiddenImages(r, code)
	if err != nil {
		return err
	}
	sep := l.MustT("system.sep")
	seen := map[[2]string]int{}
	err = s.store.Inventory(ctx, code, func(it store.InventoryItem) {
		if it.OwnerKind == store.OwnerImage && hidden[it.OwnerCode] {
			return
		}
		k := [2]string{it.Product, it.Version}
		where := l.MustT("system.software.image", "Code", it.OwnerCode)
		if it.OwnerKind == store.OwnerComponent {
			where = l.MustT("system.software.sbom", "Code", it.OwnerCode)
		}
		if i, ok := seen[k]; ok {
			if !strings.Contains(v.Software[i].Where, where) {
				v.Software[i].Where += sep + where
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
	rep, err := match.BuildReport(ctx, s.store, match.Scope{System: code, Orgs: orgFilter(r)})
	if err != nil {
		return err
	}
	for _, e := range rep.Exposures {
		row := vulnRow{ID: e.VulnID, Title: e.Title, Severity: e.Severity, KEVDue: l.DateString(e.KEVDue),
			Software: strings.Join(e.Software, sep), Path: e.Path, Confidence: e.Confidence, FirstSeen: l.DateString(e.FirstSeen),
			Countermeasure: countermeasure(l, e.Countermeasure), Aliases: strings.Join(e.Aliases, " ")}
		if _, why, ok := strings.Cut(e.Detail, match.LowerConfidence); ok {
			row.Approx = strings.TrimSuffix(why, ")")
		}
		switch {
		case e.CVSS3 > 0:
			row.Score = fmt.Sprintf("%.1f", e.CVSS3)
		case e.CVSS4 > 0:
			row.Score = fmt.Sprintf("%.1f (v4)", e.CVSS4)
		}
		if e.DueOn != "" {
			row.Countermeasure = l.MustT("system.cm.due", "Kind", row.Countermeasure, "Date", l.DateString(e.DueOn))
		}
		row.Alert = e.KEVDue != "" || e.Countermeasure == ""
		v.Vulns = append(v.Vulns, row)
	}
	if err := s.vulnRemedies(r, code, v); err != nil {
		return err
	}
	fs, err := s.store.SystemFindings(ctx, code)
	if err != nil {
		return err
	}
	findingNames, err := s.findingNames(ctx)
	if err != nil {
		return err
	}
	forums, err := s.findingForums(r, fs)
	if err != nil {
		return err
	}
	for i, f := range fs {
		row := findingRow{Control: f.ControlID, Title: s.controlTitle(l, f.ControlID), Target: f.TargetCode,
			Severity: severity(l, f.Severity), FirstSeen: l.DateString(f.FirstSeen), Evidence: s.findingSentence(l, findingNames, f),
			Forum: forums[i]}
		v.Findings = append(v.Findings, row)
	}
	links, _, err := s.store.Find(ctx, planSystems, store.Filter{Where: map[string]string{"system_code": code}})
	if err != nil {
		return err
	}
	for _, link := range links {
		pc := str(planSystems, link, "plan_code")
		p, err := s.store.Get(ctx, plans, pc)
		if err != nil {
			return err
		}
		if !mayViewRecord(r, plans, p) {
			v.Plans = append(v.Plans, planRow{Code: pc})
			continue
		}
		v.Plans = append(v.Plans, planRow{Code: pc, Kind: showIn(l, plans, p, "kind"), Year: showIn(l, plans, p, "fiscal_year"),
			Title: str(plans, p, "title"), URL: registerRecordURL(plans, []string{pc})})
	}
	return nil
}

// hiddenImages returns the standard images a system's components run that
// the request's user may not see: none for a viewer of the whole
// government.
func (s *server) hiddenImages(r *http.Request, system string) (map[string]bool, error) {
	if v := viewerOf(r.Context()); v != nil && v.all {
		return nil, nil
	}
	uses, err := s.store.OwnerUses(r.Context(), system)
	if err != nil {
		return nil, err
	}
	images := mustEntity("images")
	out := map[string]bool{}
	for _, u := range uses {
		if u.OwnerKind != store.OwnerImage || out[u.OwnerCode] {
			continue
		}
		rec, err := s.store.Get(r.Context(), images, u.OwnerCode)
		if mamori.KindOf(err) == mamori.NotFound {
			continue
		}
		if err != nil {
			return nil, err
		}
		if !mayViewRecord(r, images, rec) {
			out[u.OwnerCode] = true
		}
	}
	return out, nil
}

// countermeasures are the countermeasure kinds the page names; anything
// else, and no countermeasure, reads as none.
var countermeasures = []string{"patched", "mitigated", "planned", "accepted"}

// countermeasure names a countermeasure kind in l's language.
func countermeasure(l *i18n.Localizer, kind string) string {
	if !slices.Contains(countermeasures, kind) {
		kind = "none"
	}
	return l.MustT("system.cm." + kind)
}

// severity names a control's severity in l's language; one the catalog does
// not know (an imported catalog's own) shows as it is.
func severity(l *i18n.Localizer, code string) string {
	if !slices.Contains(catalog.Severities, code) {
		return code
	}
	return l.MustT("findings.severity." + code)
}

// controlTitle is a built-in control's title in l's language (Japanese when
// it has no English one), or "" for others.
func (s *server) controlTitle(l *i18n.Localizer, id string) string {
	for _, c := range s.catalogs {
		if ctl := c.Control(id); ctl != nil {
			return l.Pick(ctl.Title, ctl.TitleEN)
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
