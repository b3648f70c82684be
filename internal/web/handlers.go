package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"mamori"
)

// home sends the visitor to the register.
func (s *server) home(w http.ResponseWriter, r *http.Request) error {
	http.Redirect(w, r, "/systems", http.StatusSeeOther)
	return nil
}

// notFound answers a path no route serves.
func (s *server) notFound(w http.ResponseWriter, r *http.Request) error {
	return mamori.Errorf(mamori.NotFound, "お探しのページは見つかりませんでした", "page not found")
}

// maxPage bounds the page parameter, so the offset cannot overflow.
const maxPage = 1_000_000

// maxQueryLen bounds the search and filter parameters, in characters.
const maxQueryLen = 200

// parsePage reads the 1-based page parameter; empty means the first page.
func parsePage(v string) (int, error) {
	if v == "" {
		return 1, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > maxPage {
		return 0, mamori.Errorf(mamori.Invalid,
			"パラメータ「page」の値「%s」は不正です。1以上1000000以下の整数を指定してください",
			"parameter page: %q is not a whole number from 1 to 1000000", clip(v, 40))
	}
	return n, nil
}

// textParam reads a free-text query parameter, trimmed, rejecting values a
// database could not compare.
func textParam(q url.Values, name string) (string, error) {
	v := strings.TrimSpace(q.Get(name))
	if !utf8.ValidString(v) {
		return "", mamori.Errorf(mamori.Invalid, "パラメータ「%s」に不正な文字が含まれています",
			"parameter %s: not valid UTF-8", name)
	}
	if strings.ContainsFunc(v, unicode.IsControl) {
		// PostgreSQL fails on a NUL where SQLite matches nothing.
		return "", mamori.Errorf(mamori.Invalid, "パラメータ「%s」に制御文字が含まれています",
			"parameter %s: holds a control character", name)
	}
	if utf8.RuneCountInString(v) > maxQueryLen {
		return "", mamori.Errorf(mamori.Invalid, "パラメータ「%s」が長すぎます。%d文字以内で指定してください",
			"parameter %s: longer than %d characters", name, maxQueryLen)
	}
	return v, nil
}

// listURL is the URL of a page of the register with the given search and filter.
func listURL(q, org string, page int) string {
	v := url.Values{}
	if q != "" {
		v.Set("q", q)
	}
	if org != "" {
		v.Set("org", org)
	}
	if page > 1 {
		v.Set("page", strconv.Itoa(page))
	}
	if len(v) == 0 {
		return "/systems"
	}
	return "/systems?" + v.Encode()
}

func systemURL(code string) string { return "/systems/" + url.PathEscape(code) }

func orgURL(code string) string { return listURL("", code, 1) }

// names returns the "name" of the records of e with the given codes, one
// lookup per distinct code (the store has no multi-key lookup). Codes with no
// record are left out.
func (s *server) names(ctx context.Context, e *mamori.Entity, codes ...string) (map[string]string, error) {
	return s.namesIf(ctx, e, nil, codes...)
}

// visibleNames is names for the records the request's user may see (see
// mayViewRecord): a page that shows what a record refers to names another
// ministry's person, project or system by its code only.
func (s *server) visibleNames(r *http.Request, e *mamori.Entity, codes ...string) (map[string]string, error) {
	return s.namesIf(r.Context(), e, func(rec mamori.Record) bool { return mayViewRecord(r, e, rec) }, codes...)
}

// mayViewRecord reports whether the request's user may see a record that
// another refers to. A record with an organization code is theirs to see
// when the organization is in their scope, or when it has none (a standard
// image of the central catalogue). Entities without one are shared when
// they hang from nothing (the cloud service catalogue, the clause list),
// else (a component, a contract's amount) only the whole government's
// viewers see them here. Organizations are the public tree: always.
func mayViewRecord(r *http.Request, e *mamori.Entity, rec mamori.Record) bool {
	if e.Name == "organizations" {
		return true
	}
	if i := e.FieldIndex("org_code"); i >= 0 {
		org, _ := rec[i].(string)
		return org == "" || mayView(r, org)
	}
	for _, f := range e.Fields {
		if f.Ref != "" && (f.Key || f.Required) {
			v := viewerOf(r.Context())
			return v != nil && v.all
		}
	}
	return true
}

// namesIf is names keeping only the records keep accepts (nil: all).
func (s *server) namesIf(ctx context.Context, e *mamori.Entity, keep func(mamori.Record) bool, codes ...string) (map[string]string, error) {
	out := map[string]string{}
	i := e.FieldIndex("name")
	if i < 0 {
		return out, nil
	}
	seen := map[string]bool{}
	for _, c := range codes {
		if c == "" || seen[c] {
			continue
		}
		seen[c] = true
		rec, err := s.store.Get(ctx, e, c)
		if mamori.KindOf(err) == mamori.NotFound {
			continue
		}
		if err != nil {
			return nil, err
		}
		if keep != nil && !keep(rec) {
			continue
		}
		if n, ok := rec[i].(string); ok && n != "" {
			out[c] = n
		}
	}
	return out, nil
}
