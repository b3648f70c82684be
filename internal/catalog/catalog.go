// Package catalog loads control catalogs: OSCAL 1.1.2 catalog documents
// whose controls carry mamori's properties (namespace urn:mamori:oscal) —
// target type, severity, 統一基準 section, seed — and, in parts named
// "applies" and "check", CEL expressions. Two catalogs are embedded; users
// import more (kept by package store, loaded with the same Load), and a
// document without check parts loads as manual controls. Its one
// job is turning documents into Controls, including the sentence each
// control states its findings in (sentence.go); it does not compile or
// evaluate CEL (package check does) and must not import store, check, web
// or app.
package catalog

import (
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"text/template"

	"mamori"
	"mamori/internal/oscal"
)

//go:embed catalogs/*.json
var builtin embed.FS

// The built-in catalog files, in the order they are listed.
var builtinFiles = []string{"catalogs/unified-baseline.json", "catalogs/local-government.json"}

// Targets are the target types a control may name.
var Targets = []string{"organization", "organization-fy", "system", "component", "contract", "cloud-service", "project", "audit", "budget-item"}

// OrganizationKinds are the kinds a control's covers property may name: the
// kinds of organization the standards oblige (mamori.OrganizationKinds).
var OrganizationKinds = func() []string {
	var out []string
	for _, k := range mamori.OrganizationKinds {
		out = append(out, k.Code)
	}
	return out
}()

// Populations a control may extend its targets to: "sightings" adds the
// systems seen outside the register (in a contract, a payment, the SystemID
// list, an inventory) that no register entry matches, which only the
// reconciliation of REG-01 can judge.
var Populations = []string{"sightings"}

// Severities rank controls.
var Severities = []string{"low", "medium", "high", "critical"}

// Catalog is a loaded catalog.
type Catalog struct {
	ID       string // short ID, from the catalog-id property; "unified", "lg"
	Title    string
	Version  string
	Controls []*Control
	// Embedded is true for the catalogs built into mamori, which an import
	// must not replace.
	Embedded bool
	// Named is true when the document names its ID with mamori's
	// catalog-id property; otherwise the ID comes from the file name.
	Named bool
	// Source is the OSCAL document the catalog was loaded from, kept so an
	// export gives back exactly what was imported.
	Source []byte
}

// Control is one control as the engine sees it.
type Control struct {
	ID       string // displayed form, upper case: "REG-01"
	OSCALID  string // OSCAL form, lower case: "reg-01"
	Catalog  string
	Title    string // Japanese
	TitleEN  string
	Target   string
	Severity string
	Section  string
	Seed     string
	Applies  string // CEL; empty means always applicable
	Check    string // CEL; empty means a manual control (or, with Criteria, all of them)
	Params   map[string]Param
	// Criteria are the separate conditions the control judges, each counted
	// on its own as the Board of Audit counts them (LG-05: no expiry, and a
	// month or more). A target conforms when every criterion does. A
	// control without criteria has one, its check.
	Criteria []Criterion
	// Evidence are the view fields the control needs: when one the
	// expressions read is absent, the result is 未確認 (unknown) unless the
	// other values decide it. Absence of evidence is never a pass.
	Evidence []string
	// UnknownFails makes 未確認 count as a failure in the report's numbers,
	// as the Board of Audit counts a system that cannot show its logs.
	UnknownFails bool
	// Covers are the organization kinds the control applies to; a target
	// of another kind is not applicable. Empty means every kind.
	Covers []string
	// Measure is a view field (money in yen, or a count) summed over the
	// failing targets in the report; MeasureUnit says which ("yen" or a
	// counter such as "件").
	Measure     string
	MeasureUnit string
	// Population widens the targets (see Populations); empty means the
	// target type's own rows.
	Population string
	// Shows are view fields recorded in a finding's evidence though no
	// expression reads them (REG-01: where the system was seen).
	Shows []string
	// Tallies are populations the report states beside the failures, as
	// the Board does (「二要素認証を導入していた217市区町村」): each counts the
	// applicable targets for which its expression is true.
	Tallies []Criterion
	// Finding and FindingEN are the sentence a failure is stated in, in
	// Japanese and English: text/template over the evidence's values (see
	// Sentence). Empty means the finding shows its fields and values.
	Finding, FindingEN   string
	findingJA, findingEN *template.Template
}

// Criterion is one condition of a control: a CEL expression that is true
// when the target conforms, with the names the report prints.
type Criterion struct {
	Key     string // short, unique in the control: "unlimited"
	Title   string // Japanese
	TitleEN string
	Expr    string
}

// Keys returns the criteria keys in order.
func (c *Control) Keys() []string {
	out := make([]string, len(c.Criteria))
	for i, k := range c.Criteria {
		out[i] = k.Key
	}
	return out
}

// CriterionByKey returns the criterion with the key, or nil.
func (c *Control) CriterionByKey(key string) *Criterion {
	for i := range c.Criteria {
		if c.Criteria[i].Key == key {
			return &c.Criteria[i]
		}
	}
	return nil
}

// Param is a control parameter with its default and current value.
type Param struct {
	ID      string
	Default string
	Value   string
}

// Manual reports whether the control has no automated check.
func (c *Control) Manual() bool { return c.Check == "" && len(c.Criteria) == 0 }

// Builtin loads the embedded catalogs.
func Builtin() ([]*Catalog, error) {
	var out []*Catalog
	for _, f := range builtinFiles {
		data, err := builtin.ReadFile(f)
		if err != nil {
			return nil, fmt.Errorf("catalog: %w", err)
		}
		c, err := Load(f, data)
		if err != nil {
			return nil, err
		}
		c.Embedded = true
		out = append(out, c)
	}
	return out, nil
}

// BuiltinJSON returns the embedded catalog documents by catalog file name.
func BuiltinJSON(name string) ([]byte, error) { return builtin.ReadFile("catalogs/" + name) }

// bad describes a problem of a catalog's control. The control's ID is
// quoted by its start only, as are the values callers pass through
// mamori.Excerpt.
func bad(catalog, control, field, ja, en string, args ...any) *mamori.Error {
	control = mamori.Excerpt(control)
	e := mamori.Errorf(mamori.Invalid, ja, en, args...)
	e.Loc = mamori.Loc{File: catalog, Column: field, Value: control}
	if control != "" {
		e.Message = "control " + control + ": " + e.Message
		e.MessageJA = "管理策 " + control + ": " + e.MessageJA
	}
	return e
}

// Load reads a catalog document named name (for messages). It validates the
// document against NIST's OSCAL schema, then mamori's properties: every
// problem names the catalog, control and field. A control without a check
// part becomes a manual control.
func Load(name string, data []byte) (*Catalog, error) {
	if err := oscal.Validate(data); err != nil {
		if ve, ok := errors.AsType[*oscal.ValidationError](err); ok && len(ve.Problems) > 0 {
			return nil, schemaProblems(name, data, ve)
		}
		return nil, &mamori.Error{Kind: mamori.Invalid, Loc: mamori.Loc{File: name},
			Message: "not a valid OSCAL catalog: " + err.Error(), MessageJA: "OSCAL カタログとして不正です: " + err.Error(), Err: err}
	}
	oc, err := oscal.DecodeCatalog(bytes.NewReader(data))
	if err != nil {
		return nil, &mamori.Error{Kind: mamori.Invalid, Loc: mamori.Loc{File: name},
			Message: "cannot read catalog: " + err.Error(), MessageJA: "カタログを読めません: " + err.Error(), Err: err}
	}
	c := &Catalog{Title: oc.Metadata.Title, Version: oc.Metadata.Version, Source: data}
	for _, p := range oc.Metadata.Props {
		if p.NS == oscal.MamoriNamespace && p.Name == "catalog-id" {
			c.ID, c.Named = p.Value, true
		}
	}
	if c.ID == "" {
		c.ID = strings.TrimSuffix(name[strings.LastIndex(name, "/")+1:], ".json")
	}
	var problems mamori.Problems
	seen := map[string]bool{}
	for _, oc := range oc.AllControls() {
		ctl, errs := control(name, c.ID, oc)
		problems = append(problems, errs...)
		if ctl == nil {
			continue
		}
		if seen[ctl.ID] {
			problems = append(problems, bad(name, ctl.ID, "id", "管理策IDが重複しています", "duplicate control ID"))
		}
		seen[ctl.ID] = true
		c.Controls = append(c.Controls, ctl)
	}
	if len(problems) > 0 {
		return nil, problems
	}
	return c, nil
}

func control(file, catalogID string, oc *oscal.Control) (*Control, []*mamori.Error) {
	ctl := &Control{ID: strings.ToUpper(oc.ID), OSCALID: oc.ID, Catalog: catalogID, Title: oc.Title, Params: map[string]Param{}}
	var errs []*mamori.Error
	var evidence, covers, unknownFails, shows string
	known := map[string]*string{"target": &ctl.Target, "severity": &ctl.Severity, "section": &ctl.Section,
		"seed": &ctl.Seed, "title-en": &ctl.TitleEN, "evidence": &evidence, "covers": &covers,
		"unknown-fails": &unknownFails, "measure": &ctl.Measure, "measure-unit": &ctl.MeasureUnit,
		"population": &ctl.Population, "shows": &shows, "finding": &ctl.Finding, "finding-en": &ctl.FindingEN}
	for _, p := range oc.Props {
		if p.NS != oscal.MamoriNamespace {
			continue
		}
		dst, ok := known[p.Name]
		if !ok {
			errs = append(errs, bad(file, ctl.ID, p.Name, "不明なプロパティです", "unknown property"))
			continue
		}
		*dst = p.Value
	}
	for _, x := range []struct {
		prop, text string
		dst        **template.Template
	}{{"finding", ctl.Finding, &ctl.findingJA}, {"finding-en", ctl.FindingEN, &ctl.findingEN}} {
		if x.text == "" {
			continue
		}
		t, err := parseSentence(ctl.ID+" "+x.prop, x.text)
		if err != nil {
			errs = append(errs, bad(file, ctl.ID, x.prop, "文のテンプレートが不正です: %v", "the sentence template does not parse: %v", err))
			continue
		}
		*x.dst = t
	}
	ctl.Evidence = fieldList(evidence)
	ctl.Shows = fieldList(shows)
	ctl.Covers = fieldList(covers)
	switch unknownFails {
	case "", "false":
	case "true":
		ctl.UnknownFails = true
	default:
		errs = append(errs, bad(file, ctl.ID, "unknown-fails", "unknown-fails は true か false です: %s", "unknown-fails must be true or false: %s", mamori.Excerpt(unknownFails)))
	}
	for _, k := range ctl.Covers {
		if !slices.Contains(OrganizationKinds, k) {
			errs = append(errs, bad(file, ctl.ID, "covers", "組織の種別「%s」は不正です（%s）", "unknown organization kind %q (want some of %s)",
				mamori.Excerpt(k), strings.Join(OrganizationKinds, ", ")))
		}
	}
	if ctl.Population != "" && !slices.Contains(Populations, ctl.Population) {
		errs = append(errs, bad(file, ctl.ID, "population", "対象範囲「%s」は不正です（%s）", "unknown population %q (want one of %s)",
			mamori.Excerpt(ctl.Population), strings.Join(Populations, ", ")))
	}
	for _, p := range oc.Parts {
		switch p.Name {
		case "check":
			ctl.Check = strings.TrimSpace(p.Prose)
		case "applies":
			ctl.Applies = strings.TrimSpace(p.Prose)
		case "criterion":
			cr, err := criterion(file, ctl, p)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			if ctl.CriterionByKey(cr.Key) != nil {
				errs = append(errs, bad(file, ctl.ID, "criterion", "判定基準「%s」が重複しています", "duplicate criterion %q", mamori.Excerpt(cr.Key)))
				continue
			}
			ctl.Criteria = append(ctl.Criteria, cr)
		case "tally":
			tl, err := criterion(file, ctl, p)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			for _, t := range ctl.Tallies {
				if t.Key == tl.Key {
					errs = append(errs, bad(file, ctl.ID, "tally", "集計「%s」が重複しています", "duplicate tally %q", mamori.Excerpt(tl.Key)))
				}
			}
			ctl.Tallies = append(ctl.Tallies, tl)
		}
	}
	if ctl.Check != "" && len(ctl.Criteria) > 0 {
		errs = append(errs, bad(file, ctl.ID, "check", "check と criterion は併用できません（すべての判定基準を満たせば適合）",
			"a control has either a check or criteria (it conforms when every criterion does), not both"))
	}
	for _, p := range oc.Params {
		v := ""
		if len(p.Values) > 0 {
			v = p.Values[0]
		}
		ctl.Params[p.ID] = Param{ID: p.ID, Default: v, Value: v}
	}
	if ctl.Manual() {
		// Imported catalogs such as NIST SP 800-53 carry no mamori
		// properties: their controls are answered by self-inspection.
		return ctl, errs
	}
	if !slices.Contains(Targets, ctl.Target) {
		errs = append(errs, bad(file, ctl.ID, "target", "対象種別「%s」は不正です（%s）", "unknown target %q (want one of %s)",
			mamori.Excerpt(ctl.Target), strings.Join(Targets, ", ")))
	}
	if !slices.Contains(Severities, ctl.Severity) {
		errs = append(errs, bad(file, ctl.ID, "severity", "重大度「%s」は不正です", "unknown severity %q", mamori.Excerpt(ctl.Severity)))
	}
	return ctl, errs
}

// criterion reads a part named "criterion": its id is the control's OSCAL ID,
// a dot and the criterion's key ("lg-05.unlimited"), its title the Japanese
// name, a title-en property the English one, its prose the CEL expression.
func criterion(file string, ctl *Control, p oscal.Part) (Criterion, *mamori.Error) {
	prefix := ctl.OSCALID + "."
	if !strings.HasPrefix(p.ID, prefix) || len(p.ID) == len(prefix) {
		return Criterion{}, bad(file, ctl.ID, "criterion", "判定基準の id は「%s<キー>」の形にしてください: %q",
			"a criterion's id must be %q followed by its key: %q", mamori.Excerpt(prefix), mamori.Excerpt(p.ID))
	}
	cr := Criterion{Key: p.ID[len(prefix):], Title: p.Title, Expr: strings.TrimSpace(p.Prose)}
	for _, pp := range p.Props {
		if pp.NS == oscal.MamoriNamespace && pp.Name == "title-en" {
			cr.TitleEN = pp.Value
		}
	}
	if cr.Expr == "" {
		return cr, bad(file, ctl.ID, "criterion", "判定基準「%s」に式がありません", "criterion %q has no expression", mamori.Excerpt(cr.Key))
	}
	if cr.Title == "" {
		cr.Title = cr.Key
	}
	if cr.TitleEN == "" {
		cr.TitleEN = cr.Title
	}
	return cr, nil
}

// fieldList splits a property value listing names by spaces or commas.
func fieldList(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == ',' || r == '\t' || r == '\n' })
}

// Override sets a control parameter for this deployment. The value must
// have the default's type: a number stays a number.
func (c *Catalog) Override(controlID, param, value string) error {
	for _, ctl := range c.Controls {
		if ctl.ID != strings.ToUpper(controlID) {
			continue
		}
		p, ok := ctl.Params[param]
		if !ok {
			return bad(c.ID, ctl.ID, param, "パラメータがありません", "no such parameter")
		}
		// The default's type is the only declaration a parameter has; CEL
		// then sees an int or a bool (check.compile), so a value of another
		// type would make the check fail at run time on every target.
		if _, err := strconv.ParseInt(p.Default, 10, 64); err == nil {
			if _, err := strconv.ParseInt(value, 10, 64); err != nil {
				return bad(c.ID, ctl.ID, param, "パラメータは整数です: %s", "parameter must be an integer: %s", mamori.Excerpt(value))
			}
		} else if p.Default == "true" || p.Default == "false" {
			if value != "true" && value != "false" {
				return bad(c.ID, ctl.ID, param, "パラメータは true か false です: %s", "parameter must be true or false: %s", mamori.Excerpt(value))
			}
		}
		p.Value = value
		ctl.Params[param] = p
		return nil
	}
	return bad(c.ID, controlID, "id", "管理策がありません", "no such control")
}

// Control returns the control with the given ID (either case), or nil.
func (c *Catalog) Control(id string) *Control {
	id = strings.ToUpper(id)
	for _, ctl := range c.Controls {
		if ctl.ID == id {
			return ctl
		}
	}
	return nil
}

// Counts returns how many controls are automated (have a check) and how
// many are manual.
func (c *Catalog) Counts() (automated, manual int) {
	for _, ctl := range c.Controls {
		if ctl.Manual() {
			manual++
		} else {
			automated++
		}
	}
	return automated, manual
}

// SetID renames the catalog, for a document without a catalog-id property
// imported under an ID the user chose (or the one it is stored under).
func (c *Catalog) SetID(id string) {
	c.ID = id
	for _, ctl := range c.Controls {
		ctl.Catalog = id
	}
}

// ValidID reports whether id can name a catalog: it appears in file names,
// command lines and the assessment's JSON, so it is kept to a short
// lower-case token.
func ValidID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for i, r := range id {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
		case i > 0 && (r == '-' || r == '_' || r == '.'):
		default:
			return false
		}
	}
	return true
}

// schemaProblems turns the schema's complaints into one problem each, named
// by the control they fall in and the field, as the loader's own problems
// are: a JSON pointer alone ("/catalog/groups/3/controls/7") is no help to
// someone editing a catalog by hand.
func schemaProblems(name string, data []byte, ve *oscal.ValidationError) mamori.Problems {
	var doc any
	_ = json.Unmarshal(data, &doc) // it validated as far as being JSON
	var out mamori.Problems
	for _, p := range ve.Problems {
		control, field := locate(doc, p.Pointer)
		ptr := p.Pointer
		if ptr == "" {
			ptr = "(document)"
		}
		out = append(out, bad(name, strings.ToUpper(control), field, "OSCAL カタログとして不正です: %s: %s",
			"not a valid OSCAL catalog: %s: %s", mamori.Excerpt(ptr), mamori.Excerpt(p.Message)))
	}
	return out
}

// locate walks a JSON pointer through doc and returns the ID of the
// innermost control on the way and the last member name after it.
func locate(doc any, pointer string) (control, field string) {
	if pointer == "" {
		return "", ""
	}
	cur := doc
	inControls := false
	for _, tok := range strings.Split(pointer, "/")[1:] {
		tok = strings.NewReplacer("~1", "/", "~0", "~").Replace(tok)
		switch v := cur.(type) {
		case map[string]any:
			cur = v[tok]
			inControls = tok == "controls"
			field = tok
		case []any:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(v) {
				return control, field
			}
			cur = v[i]
			if m, ok := cur.(map[string]any); ok && inControls {
				if id, ok := m["id"].(string); ok {
					control, field = id, ""
				}
			}
			inControls = false
		default:
			return control, field
		}
	}
	return control, field
}
