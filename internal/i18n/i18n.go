// Package i18n holds mamori's message catalogs, Japanese and English, and the
// formatting of dates, fiscal years, money and counts for each. Japanese is
// the default: a government office reads its register in Japanese, and the
// English catalog exists for the people who work with them.
//
// Catalogs are JSON files embedded from locales/, one pair per area of the
// product (locales/web.ja.json and locales/web.en.json, say), so each page's
// strings live beside each other. New refuses catalogs whose Japanese and
// English keys differ, so a string cannot exist in one language only.
package i18n

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"maps"
	"path"
	"slices"
	"strconv"
	"time"

	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"

	"mamori/internal/wareki"
	"mamori/internal/yen"
)

//go:embed locales/*.json
var localeFS embed.FS

// The languages mamori speaks, by their BCP 47 tags. JA is the default.
const (
	JA = "ja"
	EN = "en"
)

// Langs lists the supported languages, the default first.
var Langs = []string{JA, EN}

// Bundle is the parsed set of catalogs. It is safe for concurrent use.
type Bundle struct {
	bundle     *goi18n.Bundle
	localizers map[string]*Localizer
}

// New parses the embedded catalogs. It fails if a catalog does not parse or if
// a message exists in one language and not in the other.
func New() (*Bundle, error) {
	b := goi18n.NewBundle(language.Japanese)
	b.RegisterUnmarshalFunc("json", json.Unmarshal)
	files, err := fs.Glob(localeFS, "locales/*.json")
	if err != nil {
		return nil, err
	}
	keys := map[string]map[string]bool{} // by language
	for _, f := range files {
		data, err := localeFS.ReadFile(f)
		if err != nil {
			return nil, err
		}
		mf, err := b.ParseMessageFileBytes(data, f)
		if err != nil {
			return nil, fmt.Errorf("i18n: %s: %w", path.Base(f), err)
		}
		lang := mf.Tag.String()
		if keys[lang] == nil {
			keys[lang] = map[string]bool{}
		}
		for _, m := range mf.Messages {
			if keys[lang][m.ID] {
				return nil, fmt.Errorf("i18n: %s: message %q is defined twice", path.Base(f), m.ID)
			}
			keys[lang][m.ID] = true
		}
	}
	for _, id := range slices.Sorted(maps.Keys(keys[JA])) {
		if !keys[EN][id] {
			return nil, fmt.Errorf("i18n: message %q has no English text", id)
		}
	}
	for _, id := range slices.Sorted(maps.Keys(keys[EN])) {
		if !keys[JA][id] {
			return nil, fmt.Errorf("i18n: message %q has no Japanese text", id)
		}
	}
	out := &Bundle{bundle: b, localizers: map[string]*Localizer{}}
	for _, l := range Langs {
		out.localizers[l] = &Localizer{Lang: l, loc: goi18n.NewLocalizer(b, l)}
	}
	return out, nil
}

// MustNew is New for package-level use; it panics on a broken catalog, which
// the package's tests rule out.
func MustNew() *Bundle {
	b, err := New()
	if err != nil {
		panic(err)
	}
	return b
}

// For returns the localizer of lang, or the Japanese one for an unsupported
// language.
func (b *Bundle) For(lang string) *Localizer {
	if l, ok := b.localizers[lang]; ok {
		return l
	}
	return b.localizers[JA]
}

// Negotiate picks the language for a request: an explicit choice (a query
// parameter or cookie value) if it is supported, else the first supported
// language of an Accept-Language header, else Japanese. A browser asking for
// English gets English; anything else gets the default.
func Negotiate(choice, acceptLanguage string) string {
	if slices.Contains(Langs, choice) {
		return choice
	}
	tags, _, err := language.ParseAcceptLanguage(acceptLanguage)
	if err == nil {
		for _, t := range tags {
			base, _ := t.Base()
			if slices.Contains(Langs, base.String()) {
				return base.String()
			}
		}
	}
	return JA
}

// Localizer renders messages and values in one language.
type Localizer struct {
	Lang string
	loc  *goi18n.Localizer
}

// T returns the message id, its {{.Name}} placeholders filled from args,
// which alternate names and values ("Count", 3). An integer is written with
// thousands separators (「1,234件」), as every number shown is; pass an
// identifier that happens to be a number (a sequence number) as a string.
// A message missing from the catalog is an error, so a page that uses one
// fails its tests.
func (l *Localizer) T(id string, args ...any) (string, error) {
	if len(args)%2 != 0 {
		return "", fmt.Errorf("i18n: %s: odd number of arguments", id)
	}
	data := map[string]any{}
	var count any
	for i := 0; i < len(args); i += 2 {
		k, ok := args[i].(string)
		if !ok {
			return "", fmt.Errorf("i18n: %s: argument %d is not a name", id, i)
		}
		data[k] = l.grouped(args[i+1])
		if k == "Count" {
			count = args[i+1]
		}
	}
	s, err := l.loc.Localize(&goi18n.LocalizeConfig{MessageID: id, TemplateData: data, PluralCount: count})
	if err != nil {
		return "", fmt.Errorf("i18n: %s (%s): %w", id, l.Lang, err)
	}
	return s, nil
}

// grouped writes an integer with thousands separators and returns any
// other value as it is.
func (l *Localizer) grouped(v any) any {
	switch n := v.(type) {
	case int:
		return l.Number(int64(n))
	case int32:
		return l.Number(int64(n))
	case int64:
		return l.Number(n)
	case uint32:
		return l.Number(int64(n))
	}
	return v
}

// MustT is T for messages the tests prove present; a missing one yields its ID.
func (l *Localizer) MustT(id string, args ...any) string {
	s, err := l.T(id, args...)
	if err != nil {
		return id
	}
	return s
}

// Pick returns ja or en, whichever is this localizer's language: for texts
// that come in both languages from elsewhere (register headers, enum labels,
// the Board of Audit's sentences, error messages).
func (l *Localizer) Pick(ja, en string) string {
	if l.Lang == EN && en != "" {
		return en
	}
	return ja
}

// Date writes a date in both calendars: 「令和7年4月1日（2025-04-01）」 in
// Japanese, "2025-04-01 (Reiwa 7)" in English.
func (l *Localizer) Date(t time.Time) string {
	iso := t.Format(time.DateOnly)
	if l.Lang == EN {
		e, n := wareki.EraOf(t)
		if e == 0 {
			return iso
		}
		return fmt.Sprintf("%s (%s %d)", iso, eraRomaji[e], n)
	}
	return wareki.FormatDate(t) + "（" + iso + "）"
}

// DateString is Date for a stored YYYY-MM-DD string; other strings are
// returned as they are, and "" stays "".
func (l *Localizer) DateString(s string) string {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return s
	}
	return l.Date(t)
}

// eraRomaji names the eras in English.
var eraRomaji = map[wareki.Era]string{
	wareki.Meiji: "Meiji", wareki.Taisho: "Taishō", wareki.Showa: "Shōwa",
	wareki.Heisei: "Heisei", wareki.Reiwa: "Reiwa",
}

// FiscalYear writes a fiscal year: 「令和7年度（2025年度）」 or "FY2025 (Reiwa 7)".
// A fiscal year is named after the newest era begun by its first calendar
// year, as wareki does: FY2019 is 令和元年度.
func (l *Localizer) FiscalYear(fy int) string {
	f := wareki.FiscalYear(fy)
	if l.Lang == EN {
		for e := wareki.Reiwa; e >= wareki.Meiji; e-- {
			if start := e.Start().Year(); fy >= start {
				return fmt.Sprintf("%s (%s %d)", f, eraRomaji[e], fy-start+1)
			}
		}
		return f.String()
	}
	return f.Japanese() + "（" + strconv.Itoa(fy) + "年度）"
}

// Money writes an amount of yen: in Japanese with the units 億 and 万 as the
// Board of Audit writes them (「8億5639万円」), in English with separators
// ("¥856,390,000").
func (l *Localizer) Money(yenAmount int64) string {
	if l.Lang == EN {
		return "¥" + yen.FormatPlain(yenAmount)
	}
	return yen.Format(yen.Amount{Yen: yenAmount})
}

// Number writes a count with thousands separators.
func (l *Localizer) Number(n int64) string { return yen.FormatPlain(n) }

// Percent writes a share (0.125) as a percentage with one decimal ("12.5%");
// a share above nought that would show as 0.0% is 「0.1%未満」 ("under 0.1%").
func (l *Localizer) Percent(share float64) string {
	s := strconv.FormatFloat(share*100, 'f', 1, 64) + "%"
	if share > 0 && s == "0.0%" {
		return l.Pick("0.1%未満", "under 0.1%")
	}
	return s
}

// Paren writes s in brackets after the word it qualifies (a name's code,
// say): full-width and close up in Japanese, 「岐阜県（P21）」, after a space in
// English, "Gifu (P21)".
func (l *Localizer) Paren(s string) string {
	if l.Lang == EN {
		return " (" + s + ")"
	}
	return "（" + s + "）"
}

// ListSep separates the items of a list: 「、」 in Japanese, ", " in English.
func (l *Localizer) ListSep() string {
	if l.Lang == EN {
		return ", "
	}
	return "、"
}

// YesNo writes a boolean.
func (l *Localizer) YesNo(b bool) string {
	if b {
		return l.Pick("はい", "Yes")
	}
	return l.Pick("いいえ", "No")
}

// Keys lists the message IDs of the catalogs, sorted, for tests that check
// every key is used or every used key exists.
func Keys() ([]string, error) {
	files, err := fs.Glob(localeFS, "locales/*.ja.json")
	if err != nil {
		return nil, err
	}
	var out []string
	for _, f := range files {
		data, err := localeFS.ReadFile(f)
		if err != nil {
			return nil, err
		}
		var m map[string]any
		if err := json.Unmarshal(data, &m); err != nil {
			return nil, fmt.Errorf("i18n: %s: %w", f, err)
		}
		for k := range m {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}
