package web

import (
	"net/http"
	"strconv"

	"mamori/internal/store"
)

// systemRow is one line of the register table.
type systemRow struct {
	Code, URL, Name          string
	OrgCode, OrgName, OrgURL string
	Class, Status, SystemID  string
	Segment                  string
	InRegister               bool
}

// listView is the data of the register page.
type listView struct {
	Query, Org, OrgName string // OrgName is "" when org names no organization
	ClearOrgURL         string
	Total               string
	From, To            string
	Rows                []systemRow
	Page, Pages         int
	PrevURL, NextURL    string
}

// systemList renders the register: one page of systems, searched by q and
// filtered by org.
func (s *server) systemList(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	params := r.URL.Query()
	q, err := textParam(params, "q")
	if err != nil {
		return err
	}
	org, err := textParam(params, "org")
	if err != nil {
		return err
	}
	page, err := parsePage(params.Get("page"))
	if err != nil {
		return err
	}
	f := store.Filter{Search: q, Limit: pageSize, Offset: (page - 1) * pageSize}
	if org != "" {
		f.Where = map[string]string{"org_code": org}
	}
	if orgs := orgFilter(r); orgs != nil {
		f.In = map[string][]string{"org_code": orgs}
	}
	recs, total, err := s.store.Find(ctx, systems, f)
	if err != nil {
		return err
	}
	codes := []string{org}
	for _, rec := range recs {
		codes = append(codes, str(systems, rec, "org_code"))
	}
	orgNames, err := s.names(ctx, organizations, codes...)
	if err != nil {
		return err
	}

	v := listView{Query: q, Org: org, OrgName: orgNames[org], ClearOrgURL: listURL(q, "", 1),
		Total: groupDigits(int64(total)), Page: page, Pages: max(1, (total+pageSize-1)/pageSize)}
	for _, rec := range recs {
		oc := str(systems, rec, "org_code")
		on := orgNames[oc]
		if on == "" {
			on = oc
		}
		code := str(systems, rec, "code")
		v.Rows = append(v.Rows, systemRow{
			Code: code, URL: systemURL(code), Name: str(systems, rec, "name"),
			OrgCode: oc, OrgName: on, OrgURL: orgURL(oc),
			Class:      show(systems, rec, "class"),
			Status:     show(systems, rec, "status"),
			SystemID:   str(systems, rec, "system_id"),
			Segment:    show(systems, rec, "network_segment"),
			InRegister: field(systems, rec, "in_register") == true,
		})
	}
	if len(recs) > 0 {
		v.From = groupDigits(int64(f.Offset + 1))
		v.To = groupDigits(int64(f.Offset + len(recs)))
	}
	if page > 1 {
		v.PrevURL = listURL(q, org, min(page-1, v.Pages))
	}
	if page < v.Pages {
		v.NextURL = listURL(q, org, page+1)
	}
	title := "情報システム台帳"
	if page > 1 {
		title += "（" + strconv.Itoa(page) + "ページ）"
	}
	return s.render(w, r, http.StatusOK, "systems.html", title, "systems", v)
}
