package version

import (
	"fmt"
	"slices"

	"mamori"
)

// Bound is an NVD cpeMatch version range; empty strings mean unbounded.
type Bound struct {
	StartIncluding, StartExcluding, EndIncluding, EndExcluding string
}

// CompiledBound is a Bound with its versions parsed; the zero value
// contains every version.
type CompiledBound struct {
	startIncluding, startExcluding, endIncluding, endExcluding Version
}

// Compile parses the bound's versions in scheme s. The error names the bad
// field and value.
func (b Bound) Compile(s Scheme) (CompiledBound, error) {
	var c CompiledBound
	fields := []struct {
		name  string
		value string
		dst   *Version
	}{
		{"versionStartIncluding", b.StartIncluding, &c.startIncluding},
		{"versionStartExcluding", b.StartExcluding, &c.startExcluding},
		{"versionEndIncluding", b.EndIncluding, &c.endIncluding},
		{"versionEndExcluding", b.EndExcluding, &c.endExcluding},
	}
	for _, f := range fields {
		if f.value == "" {
			continue
		}
		v, err := s.Parse(f.value)
		if err != nil {
			return CompiledBound{}, fmt.Errorf("version: bound %s %q: %w", f.name, mamori.Excerpt(f.value), err)
		}
		*f.dst = v
	}
	return c, nil
}

// Contains reports whether v satisfies every bound that is set.
func (c CompiledBound) Contains(v Version) bool {
	return (c.startIncluding == nil || v.Compare(c.startIncluding) >= 0) &&
		(c.startExcluding == nil || v.Compare(c.startExcluding) > 0) &&
		(c.endIncluding == nil || v.Compare(c.endIncluding) <= 0) &&
		(c.endExcluding == nil || v.Compare(c.endExcluding) < 0)
}

// Event is an OSV range event; exactly one field is set.
type Event struct {
	Introduced, Fixed, LastAffected, Limit string
}

// Event kinds. At equal versions they sort in this order, which keeps
// adjacent ranges ([1, 2) then [2, 3)) and single-version ranges
// (introduced 2, last_affected 2) right.
const (
	eventFixed = iota
	eventIntroduced
	eventLastAffected
)

type compiledEvent struct {
	kind    int
	version Version // nil for introduced "0"
}

// CompiledEvents is one OSV range (type ECOSYSTEM or SEMVER) ready to be
// evaluated many times.
type CompiledEvents struct {
	events []compiledEvent // sorted by version, see eventFixed
	limits []Version
}

// CompileEvents parses and sorts the events of one OSV range, following the
// evaluation algorithm of the OSV schema: "introduced: 0" is before every
// version, and "limit: *" means no limit. The error names the event index,
// field and value.
func CompileEvents(s Scheme, events []Event) (CompiledEvents, error) {
	var c CompiledEvents
	for i, e := range events {
		set := 0
		for _, f := range []string{e.Introduced, e.Fixed, e.LastAffected, e.Limit} {
			if f != "" {
				set++
			}
		}
		if set != 1 {
			return CompiledEvents{}, fmt.Errorf("version: event %d: want exactly one of introduced, fixed, last_affected, limit, got %d", i, set)
		}
		parse := func(field, value string) (Version, error) {
			v, err := s.Parse(value)
			if err != nil {
				return nil, fmt.Errorf("version: event %d %s %q: %w", i, field, mamori.Excerpt(value), err)
			}
			return v, nil
		}
		switch {
		case e.Introduced == "0":
			c.events = append(c.events, compiledEvent{kind: eventIntroduced})
		case e.Introduced != "":
			v, err := parse("introduced", e.Introduced)
			if err != nil {
				return CompiledEvents{}, err
			}
			c.events = append(c.events, compiledEvent{kind: eventIntroduced, version: v})
		case e.Fixed != "":
			v, err := parse("fixed", e.Fixed)
			if err != nil {
				return CompiledEvents{}, err
			}
			c.events = append(c.events, compiledEvent{kind: eventFixed, version: v})
		case e.LastAffected != "":
			v, err := parse("last_affected", e.LastAffected)
			if err != nil {
				return CompiledEvents{}, err
			}
			c.events = append(c.events, compiledEvent{kind: eventLastAffected, version: v})
		case e.Limit == "*":
		default:
			v, err := parse("limit", e.Limit)
			if err != nil {
				return CompiledEvents{}, err
			}
			c.limits = append(c.limits, v)
		}
	}
	slices.SortStableFunc(c.events, func(a, b compiledEvent) int {
		switch {
		case a.version == nil && b.version == nil:
		case a.version == nil:
			return -1
		case b.version == nil:
			return 1
		default:
			if c := a.version.Compare(b.version); c != 0 {
				return c
			}
		}
		return a.kind - b.kind
	})
	return c, nil
}

// Contains reports whether v is affected: replaying the sorted events, an
// introduced at or below v turns "affected" on, a fixed at or below v or a
// last_affected below v turns it off, and v must be below some limit when
// any is given.
func (c CompiledEvents) Contains(v Version) bool {
	if len(c.limits) > 0 && !slices.ContainsFunc(c.limits, func(l Version) bool { return v.Compare(l) < 0 }) {
		return false
	}
	// The last event that applies to v decides; walk backwards to stop early.
	for i := len(c.events) - 1; i >= 0; i-- {
		e := c.events[i]
		switch e.kind {
		case eventIntroduced:
			if e.version == nil || v.Compare(e.version) >= 0 {
				return true
			}
		case eventFixed:
			if v.Compare(e.version) >= 0 {
				return false
			}
		case eventLastAffected:
			if v.Compare(e.version) > 0 {
				return false
			}
		}
	}
	return false
}
