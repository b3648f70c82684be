package web

import (
	"context"
	"strings"

	"mamori"
	"mamori/internal/catalog"
	"mamori/internal/i18n"
	"mamori/internal/store"
)

// clauseDefs is the deployment's clause list, whose codes a contract
// finding names (OUT-01: the vendor items its specification lacks).
var clauseDefs = mustEntity("clause_defs")

// findingNames reads the names of the codes a finding's sentence may name
// that only the deployment's data knows: its clause list. A few dozen rows,
// read once per page.
func (s *server) findingNames(ctx context.Context) (catalog.Names, error) {
	clauses := map[string]mamori.EnumValue{}
	err := s.store.Dump(ctx, clauseDefs, func(rec mamori.Record) error {
		v := mamori.EnumValue{Code: str(clauseDefs, rec, "code"), JA: str(clauseDefs, rec, "name"), EN: str(clauseDefs, rec, "name_en")}
		clauses[v.Code] = v
		return nil
	})
	if err != nil {
		return nil, err
	}
	return catalog.Names{"clause": clauses}, nil
}

// control returns the control with the ID in the catalogs the pages know,
// or nil.
func (s *server) control(id string) *catalog.Control {
	for _, c := range s.catalogs {
		if ctl := c.Control(id); ctl != nil {
			return ctl
		}
	}
	return nil
}

// findingSentence states a stored finding in l's language: the control's
// sentence filled from the evidence, or its fields and values; never the
// evidence's JSON, which the API and OSCAL give whole.
func (s *server) findingSentence(l *i18n.Localizer, names catalog.Names, f store.Finding) string {
	return s.control(f.ControlID).Sentence(l, names, catalog.Finding{Result: f.Result, TargetType: f.TargetType,
		TargetCode: f.TargetCode, Evidence: f.Evidence})
}

// criteriaText names a finding's criteria in l's language (a criterion
// still undecided is stored as "?key" and shown with a "?").
func (s *server) criteriaText(l *i18n.Localizer, controlID string, keys []string) string {
	ctl := s.control(controlID)
	var out []string
	for _, k := range keys {
		key, undecided := strings.CutPrefix(k, "?")
		if ctl != nil {
			if cr := ctl.CriterionByKey(key); cr != nil {
				key = l.Pick(cr.Title, cr.TitleEN)
			}
		}
		if undecided {
			key += "?"
		}
		out = append(out, key)
	}
	return strings.Join(out, l.Pick("、", ", "))
}

// auditDetail writes an audit entry's detail (JSON as recorded) as "key:
// value" pairs, each key named in l's language where the catalogs or the
// register name it (an import's counts are by entity); other text stays as
// recorded.
func auditDetail(l *i18n.Localizer, detail string) string {
	return catalog.DescribeWith(l, detail, func(k string) string {
		if s, err := l.T("auditlog.detail." + k); err == nil {
			return s
		}
		if e := mamori.EntityByName(k); e != nil {
			return l.Pick(e.JA, e.EN)
		}
		return k
	})
}
