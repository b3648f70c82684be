package forum

import (
	"context"
	"slices"

	"mamori"
	"mamori/internal/auth"
	"mamori/internal/authz"
	"mamori/internal/store"
)

// usageRoles may see the usage page, each over its subtree: a central
// administrator over the government, a prefecture's security officer
// over its municipalities, and auditors.
var usageRoles = []string{string(auth.CentralAdmin), string(auth.OrgSecurity), string(auth.Auditor)}

// OrgUsage is one organization's use of the forum, in total and by month.
type OrgUsage struct {
	Code, Name, Kind                 string
	Threads, Posts, Answers, Readers int
	Months                           []store.ForumUsage
}

// Used reports whether anyone of the organization ever wrote or read.
func (o OrgUsage) Used() bool { return o.Posts > 0 || o.Readers > 0 }

// MonthUsage is one month's use over the organizations shown.
type MonthUsage struct {
	Month                            string
	Threads, Posts, Answers, Readers int
	Orgs                             int // organizations that wrote or read
}

// Usage is the usage page: every organization of the viewer's scope.
type Usage struct {
	Orgs   []OrgUsage // used ones first (most posts first), then the rest by code
	Months []MonthUsage
	// Never counts the organizations that never wrote nor read, by kind
	// (store kinds: municipality, prefecture, …) and in all.
	Never       map[string]int
	NeverTotal  int
	Total, Used int
}

// Usage counts the forum's use by the organizations u oversees.
func (s *Service) Usage(ctx context.Context, u store.User) (Usage, error) {
	sc, err := authz.OfRoles(ctx, s.Store, u, usageRoles...)
	if err != nil {
		return Usage{}, err
	}
	if sc.Len() == 0 {
		return Usage{}, bi(mamori.Forbidden, "利用状況は、中央の管理者・組織のセキュリティ担当・監査担当が見られます",
			"the usage page is for central administrators, organizations' security officers and auditors")
	}
	var filter []string
	if !sc.Whole() {
		filter = sc.Orgs()
	}
	rows, err := s.Store.ForumUsageByMonth(ctx, filter)
	if err != nil {
		return Usage{}, err
	}
	e := mamori.EntityByName("organizations")
	ni, ki := e.FieldIndex("name"), e.FieldIndex("kind")
	by := map[string]*OrgUsage{}
	var orgs []*OrgUsage
	err = s.Store.Dump(ctx, e, func(r mamori.Record) error {
		code, _ := r[e.FieldIndex("code")].(string)
		if !sc.Allows(code) {
			return nil
		}
		o := &OrgUsage{Code: code}
		o.Name, _ = r[ni].(string)
		o.Kind, _ = r[ki].(string)
		by[code] = o
		orgs = append(orgs, o)
		return nil
	})
	if err != nil {
		return Usage{}, err
	}
	months := map[string]*MonthUsage{}
	monthOrgs := map[string]map[string]bool{}
	for _, r := range rows {
		o := by[r.OrgCode]
		if o == nil {
			continue
		}
		o.Threads += r.Threads
		o.Posts += r.Posts
		o.Answers += r.Answers
		o.Readers += r.Readers
		o.Months = append(o.Months, r)
		m := months[r.Month]
		if m == nil {
			m = &MonthUsage{Month: r.Month}
			months[r.Month] = m
			monthOrgs[r.Month] = map[string]bool{}
		}
		m.Threads += r.Threads
		m.Posts += r.Posts
		m.Answers += r.Answers
		m.Readers += r.Readers
		monthOrgs[r.Month][r.OrgCode] = true
	}
	out := Usage{Never: map[string]int{}, Total: len(orgs)}
	for _, o := range orgs {
		slices.SortFunc(o.Months, func(a, b store.ForumUsage) int { return cmpString(a.Month, b.Month) })
		if o.Used() {
			out.Used++
		} else {
			out.Never[o.Kind]++
			out.NeverTotal++
		}
		out.Orgs = append(out.Orgs, *o)
	}
	slices.SortStableFunc(out.Orgs, func(a, b OrgUsage) int {
		if a.Used() != b.Used() {
			if a.Used() {
				return -1
			}
			return 1
		}
		if a.Posts != b.Posts {
			return b.Posts - a.Posts
		}
		return cmpString(a.Code, b.Code)
	})
	for k, m := range months {
		m.Orgs = len(monthOrgs[k])
		out.Months = append(out.Months, *m)
	}
	slices.SortFunc(out.Months, func(a, b MonthUsage) int { return cmpString(a.Month, b.Month) })
	return out, nil
}

func cmpString(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
