package oscal

// Catalog is an OSCAL catalog: the body of {"catalog": {...}}. UUID and
// Metadata are required.
type Catalog struct {
	UUID       string      `json:"uuid"`
	Metadata   Metadata    `json:"metadata"`
	Params     []Param     `json:"params,omitempty"`
	Controls   []Control   `json:"controls,omitempty"`
	Groups     []Group     `json:"groups,omitempty"`
	BackMatter *BackMatter `json:"back-matter,omitempty"`
}

// Group is a group of controls (a family in SP 800-53). Groups nest. Title is
// required; ID is optional in OSCAL.
type Group struct {
	ID       string     `json:"id,omitempty"`
	Class    string     `json:"class,omitempty"`
	Title    string     `json:"title"`
	Params   []Param    `json:"params,omitempty"`
	Props    []Property `json:"props,omitempty"`
	Links    []Link     `json:"links,omitempty"`
	Parts    []Part     `json:"parts,omitempty"`
	Groups   []Group    `json:"groups,omitempty"`
	Controls []Control  `json:"controls,omitempty"`
}

// Control is an OSCAL control. Controls holds its enhancements, which are
// controls too and may nest further. ID and Title are required.
type Control struct {
	ID       string     `json:"id"`
	Class    string     `json:"class,omitempty"`
	Title    string     `json:"title"`
	Params   []Param    `json:"params,omitempty"`
	Props    []Property `json:"props,omitempty"`
	Links    []Link     `json:"links,omitempty"`
	Parts    []Part     `json:"parts,omitempty"`
	Controls []Control  `json:"controls,omitempty"`
}

// Param is a control parameter (an organization-defined value, ODP). ID is
// required. Values holds its value or default; Select offers a choice
// instead.
type Param struct {
	ID          string            `json:"id"`
	Class       string            `json:"class,omitempty"`
	DependsOn   string            `json:"depends-on,omitempty"`
	Props       []Property        `json:"props,omitempty"`
	Links       []Link            `json:"links,omitempty"`
	Label       string            `json:"label,omitempty"`
	Usage       string            `json:"usage,omitempty"`
	Constraints []ParamConstraint `json:"constraints,omitempty"`
	Guidelines  []ParamGuideline  `json:"guidelines,omitempty"`
	Values      []string          `json:"values,omitempty"`
	Select      *ParamSelection   `json:"select,omitempty"`
	Remarks     string            `json:"remarks,omitempty"`
}

// ParamConstraint is a constraint on a parameter's value, in prose and as
// test expressions.
type ParamConstraint struct {
	Description string           `json:"description,omitempty"`
	Tests       []ConstraintTest `json:"tests,omitempty"`
}

// ConstraintTest is a test expression that a parameter value must satisfy.
type ConstraintTest struct {
	Expression string `json:"expression"`
	Remarks    string `json:"remarks,omitempty"`
}

// ParamGuideline is prose guidance on choosing a parameter value.
type ParamGuideline struct {
	Prose string `json:"prose"`
}

// ParamSelection offers a parameter's allowed values. HowMany is "one" or
// "one-or-more"; absent means one.
type ParamSelection struct {
	HowMany string   `json:"how-many,omitempty"`
	Choice  []string `json:"choice,omitempty"`
}

// Part is a piece of a control's text (statement, guidance, assessment
// objective...). Name is required; parts nest.
type Part struct {
	ID    string     `json:"id,omitempty"`
	Name  string     `json:"name"`
	NS    string     `json:"ns,omitempty"`
	Class string     `json:"class,omitempty"`
	Title string     `json:"title,omitempty"`
	Props []Property `json:"props,omitempty"`
	Prose string     `json:"prose,omitempty"`
	Parts []Part     `json:"parts,omitempty"`
	Links []Link     `json:"links,omitempty"`
}

// AllControls returns every control of the catalog, enhancements included,
// depth first in document order: the catalog's own controls, then each group
// in turn (its controls, then its subgroups); every control is followed by
// its enhancements. The pointers point into c.
func (c *Catalog) AllControls() []*Control {
	var all []*Control
	var walkControls func([]Control)
	walkControls = func(cs []Control) {
		for i := range cs {
			all = append(all, &cs[i])
			walkControls(cs[i].Controls)
		}
	}
	var walkGroups func([]Group)
	walkGroups = func(gs []Group) {
		for i := range gs {
			walkControls(gs[i].Controls)
			walkGroups(gs[i].Groups)
		}
	}
	walkControls(c.Controls)
	walkGroups(c.Groups)
	return all
}

// ControlByID returns the control (or enhancement) with the given ID, or
// nil. IDs are compared exactly: NIST's are lower case ("ac-2", "ac-2.1").
func (c *Catalog) ControlByID(id string) *Control {
	for _, ctl := range c.AllControls() {
		if ctl.ID == id {
			return ctl
		}
	}
	return nil
}

// Prop returns the value of the control's first property with the given
// namespace and name. An empty ns means OSCAL's default namespace, as does
// OSCALNamespace.
func (c *Control) Prop(ns, name string) (string, bool) {
	return propValue(c.Props, ns, name)
}

// PropValues returns the values of all of the control's properties with the
// given namespace and name, in document order. (It cannot be called Props:
// that is the field.)
func (c *Control) PropValues(ns, name string) []string {
	return propValues(c.Props, ns, name)
}

// Param returns the control's own parameter with the given ID, or nil.
func (c *Control) Param(id string) *Param {
	for i := range c.Params {
		if c.Params[i].ID == id {
			return &c.Params[i]
		}
	}
	return nil
}

// Prop returns the value of the group's first property with the given
// namespace and name (see [Control.Prop]).
func (g *Group) Prop(ns, name string) (string, bool) {
	return propValue(g.Props, ns, name)
}

// Prop returns the value of the parameter's first property with the given
// namespace and name (see [Control.Prop]).
func (p *Param) Prop(ns, name string) (string, bool) {
	return propValue(p.Props, ns, name)
}

// Prop returns the value of the part's first property with the given
// namespace and name (see [Control.Prop]).
func (p *Part) Prop(ns, name string) (string, bool) {
	return propValue(p.Props, ns, name)
}
