package cpe

import (
	"strconv"
	"strings"
)

// Relation is the NISTIR 7696 relation between a source attribute value
// (the criterion) and a target attribute value (the candidate). The zero
// Relation is Disjoint, so an unset result never counts as a match.
type Relation int

// The relations of NISTIR 7696 §6.1 Table 6-2.
const (
	Disjoint  Relation = iota // the source and target share no name
	Subset                    // the source is a proper subset of the target (e.g. value against ANY)
	Superset                  // the source is a proper superset of the target (e.g. ANY against value)
	Equal                     // the same value
	Undefined                 // the target has wildcards; NISTIR 7696 does not compare those
)

// String returns the relation's name in lowercase, as NISTIR 7696 spells
// it.
func (r Relation) String() string {
	switch r {
	case Disjoint:
		return "disjoint"
	case Subset:
		return "subset"
	case Superset:
		return "superset"
	case Equal:
		return "equal"
	case Undefined:
		return "undefined"
	}
	return "relation(" + strconv.Itoa(int(r)) + ")"
}

// CompareAttr returns the relation of source (criteria) to target
// (candidate) per NISTIR 7696 §6.1 Table 6-2 and its compare function:
//
//	source \ target  ANY        NA         value      value with wildcards
//	ANY              Equal      Superset   Superset   Undefined
//	NA               Subset     Equal      Disjoint   Undefined
//	value            Subset     Disjoint   Equal or Disjoint  Undefined
//	value+wildcards  Subset     Disjoint   Superset or Disjoint  Undefined
//
// Values are compared case-insensitively (both are lowercase already).
func CompareAttr(source, target Attr) Relation {
	if target.HasWildcards() {
		return Undefined
	}
	if source == target {
		return Equal
	}
	if source.kind == kindAny {
		return Superset
	}
	if target.kind == kindAny {
		return Subset
	}
	if source.kind == kindNA || target.kind == kindNA || !source.HasWildcards() {
		return Disjoint
	}
	if wildcardMatch(source, target.body) {
		return Superset
	}
	return Disjoint
}

// wildcardMatch reports whether pattern, a value with wildcards, matches
// the literal value s, as NISTIR 7696 compare_strings does: the body must
// occur in s with at most lead characters before it (any number for "*")
// and at most trail characters after it.
func wildcardMatch(pattern Attr, s string) bool {
	body := pattern.body
	for from := 0; from+len(body) <= len(s); from++ {
		i := strings.Index(s[from:], body)
		if i < 0 {
			return false
		}
		i += from
		if pattern.lead != star && i > pattern.lead {
			// Later occurrences start even further in.
			return false
		}
		after := len(s) - i - len(body)
		if pattern.trail == star || after <= pattern.trail {
			return true
		}
		from = i
	}
	return false
}

// matches reports whether every attribute of criteria is a superset of,
// or equal to, the same attribute of candidate, skipping the version when
// withVersion is false. Product and vendor go first: they are where
// unrelated names differ, so most calls stop there.
func matches(criteria, candidate *Name, withVersion bool) bool {
	if !supersetOrEqual(&criteria.Product, &candidate.Product) ||
		!supersetOrEqual(&criteria.Vendor, &candidate.Vendor) ||
		!supersetOrEqual(&criteria.Part, &candidate.Part) {
		return false
	}
	if withVersion && !supersetOrEqual(&criteria.Version, &candidate.Version) {
		return false
	}
	return supersetOrEqual(&criteria.Update, &candidate.Update) &&
		supersetOrEqual(&criteria.Edition, &candidate.Edition) &&
		supersetOrEqual(&criteria.Language, &candidate.Language) &&
		supersetOrEqual(&criteria.SwEdition, &candidate.SwEdition) &&
		supersetOrEqual(&criteria.TargetSw, &candidate.TargetSw) &&
		supersetOrEqual(&criteria.TargetHw, &candidate.TargetHw) &&
		supersetOrEqual(&criteria.Other, &candidate.Other)
}

// supersetOrEqual reports whether CompareAttr(*source, *target) is
// Superset or Equal. It is CompareAttr unrolled for the hot path of
// matching, where most attributes are ANY or plain values; a test checks
// the two agree.
func supersetOrEqual(source, target *Attr) bool {
	if target.HasWildcards() {
		return false // Undefined
	}
	switch source.kind {
	case kindAny:
		return true
	case kindNA:
		return target.kind == kindNA
	}
	if target.kind != kindValue {
		return false
	}
	if !source.HasWildcards() {
		return source.body == target.body
	}
	return wildcardMatch(*source, target.body)
}

// Matches reports whether criteria (an NVD match string, which may hold
// ANY, NA and wildcards) matches candidate (an inventory name) on every
// attribute except the version: each of the other ten attributes of
// criteria must be a superset of, or equal to, the candidate's (NISTIR
// 7696 CPE name matching). In particular:
//
//   - vendor and product must both match; the same product name under
//     another vendor is Disjoint;
//   - a criteria attribute that is ANY matches anything, NA matches only NA;
//   - a candidate attribute that is ANY does not match a criteria value
//     (Subset), and a candidate with wildcards never matches (Undefined).
//
// The version is left out because NVD states most affected versions as a
// range on a criterion whose version is ANY, and ranges need a version
// comparator this package does not have. Call Matches when criteria's
// version is ANY and the caller then checks the candidate's version against
// the criterion's range bounds; when criteria carries a version of its own
// (an exact "10.2.12" or NA "-"), call MatchesIncludingVersion instead, or
// a candidate of any version would match.
func Matches(criteria, candidate Name) bool {
	return matches(&criteria, &candidate, false)
}

// MatchesIncludingVersion is Matches with the version attribute held to
// the same superset-or-equal rule: criteria
// cpe:2.3:o:paloaltonetworks:pan-os:10.2.12:h1:*:*:*:*:*:* matches a
// candidate with version 10.2.12 and update h1, not one with version ANY
// or update ANY, and a criteria version of NA matches only a candidate
// whose version is NA.
func MatchesIncludingVersion(criteria, candidate Name) bool {
	return matches(&criteria, &candidate, true)
}
