package cpe

import "strings"

// Name is a well-formed CPE name (WFN) with its 11 attributes, each ANY,
// NA or a value (unescaped and lowercase; see Attr). The zero Name is ANY in
// every attribute. Name is comparable with ==.
type Name struct {
	Part      Attr // "a" application, "o" operating system, "h" hardware, or ANY
	Vendor    Attr
	Product   Attr
	Version   Attr
	Update    Attr
	Edition   Attr // the CPE 2.2 edition; CPE 2.3 uses the four below instead
	Language  Attr // an RFC 5646 tag; not checked
	SwEdition Attr
	TargetSw  Attr
	TargetHw  Attr
	Other     Attr
}

// attrNames are the WFN attribute names in formatted-string order, used in
// error messages so that a bad component is named as the standard names it.
var attrNames = [11]string{
	"part", "vendor", "product", "version", "update", "edition",
	"language", "sw_edition", "target_sw", "target_hw", "other",
}

// attrs returns pointers to n's attributes in formatted-string order.
func (n *Name) attrs() [11]*Attr {
	return [11]*Attr{
		&n.Part, &n.Vendor, &n.Product, &n.Version, &n.Update, &n.Edition,
		&n.Language, &n.SwEdition, &n.TargetSw, &n.TargetHw, &n.Other,
	}
}

// String returns n as a CPE 2.3 formatted string
// ("cpe:2.3:a:vendor:product:1.0:*:*:*:*:*:*:*"), always with all 13
// components. See the package comment for how it normalises.
func (n Name) String() string {
	var b strings.Builder
	b.Grow(64)
	b.WriteString(prefixFS)
	for i, a := range n.attrs() {
		if i > 0 {
			b.WriteByte(':')
		}
		b.WriteString(a.String())
	}
	return b.String()
}

// Key returns "part:vendor:product" with each value unescaped and lowercase
// ("a:bsdutils:bsdutils"), the key under which criteria and inventory
// names are indexed for lookup. ANY is written "*" and NA "-", and
// wildcards are kept, so a criterion with a wildcard in one of these three
// attributes has a key that no candidate shares: index those separately.
// Key is for lookups only: a value holding ":" makes it ambiguous to split.
func (n Name) Key() string {
	return keyPart(n.Part) + ":" + keyPart(n.Vendor) + ":" + keyPart(n.Product)
}

func keyPart(a Attr) string {
	switch a.kind {
	case kindAny:
		return "*"
	case kindNA:
		return "-"
	}
	return a.Value()
}
