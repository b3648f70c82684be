package version

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestBound(t *testing.T) {
	cases := []struct {
		name   string
		scheme Scheme
		bound  Bound
		in     []string
		out    []string
	}{
		{
			name: "start including, end excluding", scheme: Generic,
			bound: Bound{StartIncluding: "4.0", EndExcluding: "4.0.6"},
			in:    []string{"4.0", "4.0.0", "4.0.5", "4.0.5a"},
			out:   []string{"3.9.9", "4.0.6", "4.1.3", "4.0-rc1"},
		},
		{
			name: "start excluding, end including", scheme: Generic,
			bound: Bound{StartExcluding: "2.8.123", EndIncluding: "2.8.123e"},
			in:    []string{"2.8.123a", "2.8.123e"},
			out:   []string{"2.8.123", "2.8.123f", "2.8.124"},
		},
		{
			name: "end only, PAN-OS hotfix", scheme: Generic,
			bound: Bound{EndExcluding: "10.2.12-h2"},
			in:    []string{"9.1", "10.2.12", "10.2.12-h1"},
			out:   []string{"10.2.12-h2", "10.2.13"},
		},
		{
			name: "unbounded", scheme: Generic, bound: Bound{},
			in: []string{"0", "1.0", "99999"},
		},
		{
			name: "semver pre-release at the start", scheme: SemVer,
			bound: Bound{StartIncluding: "2.0.0-rc.1", EndExcluding: "2.3.1"},
			in:    []string{"2.0.0-rc.1", "2.0.0", "2.3.1-beta"},
			out:   []string{"2.0.0-beta", "1.9.9", "2.3.1"},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b, err := c.bound.Compile(c.scheme)
			if err != nil {
				t.Fatal(err)
			}
			for _, v := range c.in {
				if !b.Contains(mustParse(t, c.scheme, v)) {
					t.Errorf("%q not in %+v", v, c.bound)
				}
			}
			for _, v := range c.out {
				if b.Contains(mustParse(t, c.scheme, v)) {
					t.Errorf("%q in %+v", v, c.bound)
				}
			}
		})
	}
	var zero CompiledBound
	if !zero.Contains(mustParse(t, Generic, "1")) {
		t.Error("zero CompiledBound does not contain 1")
	}
}

func TestBoundCompileError(t *testing.T) {
	_, err := Bound{StartIncluding: "1.0", EndExcluding: "*"}.Compile(Generic)
	if err == nil || !strings.Contains(err.Error(), `versionEndExcluding "*"`) {
		t.Errorf("error = %v, want one naming versionEndExcluding", err)
	}
	_, err = Bound{StartExcluding: "x.y"}.Compile(SemVer)
	if err == nil || !strings.Contains(err.Error(), `versionStartExcluding "x.y"`) {
		t.Errorf("error = %v, want one naming versionStartExcluding", err)
	}
}

func TestEvents(t *testing.T) {
	intro := func(v string) Event { return Event{Introduced: v} }
	fixed := func(v string) Event { return Event{Fixed: v} }
	last := func(v string) Event { return Event{LastAffected: v} }
	limit := func(v string) Event { return Event{Limit: v} }
	cases := []struct {
		name   string
		scheme Scheme
		events []Event
		in     []string
		out    []string
	}{
		{
			name: "introduced 0", scheme: SemVer,
			events: []Event{intro("0"), fixed("1.6.0")},
			in:     []string{"0.0.0", "0.1.0-alpha", "1.5.9", "1.6.0-rc.1"},
			out:    []string{"1.6.0", "1.6.1", "2.0.0"},
		},
		{
			name: "several pairs", scheme: SemVer,
			events: []Event{intro("1.0.0"), fixed("1.5.0"), intro("2.0.0"), fixed("2.3.0")},
			in:     []string{"1.0.0", "1.2.0", "2.0.0", "2.2.9"},
			out:    []string{"0.9.0", "1.5.0", "1.7.0", "2.0.0-rc.1", "2.3.0", "3.0.0"},
		},
		{
			name: "several pairs out of order", scheme: SemVer,
			events: []Event{fixed("2.3.0"), intro("2.0.0"), fixed("1.5.0"), intro("1.0.0")},
			in:     []string{"1.0.0", "1.2.0", "2.0.0", "2.2.9"},
			out:    []string{"0.9.0", "1.5.0", "1.7.0", "2.3.0"},
		},
		{
			name: "adjacent ranges", scheme: SemVer,
			events: []Event{intro("1.0.0"), fixed("2.0.0"), intro("2.0.0"), fixed("3.0.0")},
			in:     []string{"1.0.0", "2.0.0", "2.9.9"},
			out:    []string{"3.0.0", "0.1.0"},
		},
		{
			name: "last_affected", scheme: PEP440,
			events: []Event{intro("1.0"), last("1.4")},
			in:     []string{"1.0", "1.4", "1.4.0", "1.4rc1"},
			out:    []string{"0.9", "1.0rc1", "1.4.post1", "1.4.1", "1.5"},
		},
		{
			name: "a single affected version", scheme: PEP440,
			events: []Event{intro("1.4"), last("1.4")},
			in:     []string{"1.4", "1.4.0"},
			out:    []string{"1.3", "1.4.1", "1.4.post1"},
		},
		{
			name: "introduced only", scheme: Maven,
			events: []Event{intro("2.0-beta9")},
			in:     []string{"2.0-beta9", "2.0", "2.14.1", "3"},
			out:    []string{"2.0-beta8", "2.0-alpha1", "1.2.17"},
		},
		{
			name: "limit", scheme: SemVer,
			events: []Event{intro("0"), limit("2.0.0")},
			in:     []string{"0.1.0", "1.9.9"},
			out:    []string{"2.0.0", "2.1.0"},
		},
		{
			name: "limit caps an open range", scheme: SemVer,
			events: []Event{intro("1.0.0"), limit("1.5.0"), limit("1.4.0")},
			in:     []string{"1.0.0", "1.4.9"},
			out:    []string{"0.9.0", "1.5.0"},
		},
		{
			name: "limit star", scheme: SemVer,
			events: []Event{intro("1.0.0"), limit("*")},
			in:     []string{"1.0.0", "99.0.0"},
			out:    []string{"0.9.0"},
		},
		{
			name: "no events", scheme: SemVer, events: nil,
			out: []string{"0.0.0", "1.0.0"},
		},
		{
			name: "debian epoch", scheme: Debian,
			events: []Event{intro("0"), fixed("1:2.36.1-8+deb11u2")},
			in:     []string{"2.38.1-5", "1:2.36.1-8", "1:2.36.1-8+deb11u1"},
			out:    []string{"1:2.36.1-8+deb11u2", "1:2.37-1"},
		},
		{
			name: "alpine", scheme: APK,
			events: []Event{intro("0"), fixed("3.1.4-r5")},
			in:     []string{"3.0.8-r0", "3.1.4-r4", "3.1.4_rc1-r0"},
			out:    []string{"3.1.4-r5", "3.1.5-r0"},
		},
		{
			name: "rpm", scheme: RPM,
			events: []Event{intro("0"), fixed("1:1.1.1k-12.el8_9")},
			in:     []string{"1:1.1.1k-5.el8_5", "1.1.1w-1"},
			out:    []string{"1:1.1.1k-12.el8_9", "1:3.0.7-27.el9"},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, err := CompileEvents(c.scheme, c.events)
			if err != nil {
				t.Fatal(err)
			}
			for _, v := range c.in {
				if !r.Contains(mustParse(t, c.scheme, v)) {
					t.Errorf("%q not affected by %+v", v, c.events)
				}
			}
			for _, v := range c.out {
				if r.Contains(mustParse(t, c.scheme, v)) {
					t.Errorf("%q affected by %+v", v, c.events)
				}
			}
		})
	}
}

func TestEventsCompileError(t *testing.T) {
	cases := []struct {
		events []Event
		want   string
	}{
		{[]Event{{Introduced: "0"}, {Fixed: "1.0.0", Introduced: "0.5.0"}}, "event 1: want exactly one"},
		{[]Event{{}}, "event 0: want exactly one"},
		{[]Event{{Introduced: "0"}, {Fixed: "one"}}, `event 1 fixed "one"`},
		{[]Event{{Introduced: "x"}}, `event 0 introduced "x"`},
		{[]Event{{Introduced: "0"}, {LastAffected: "1.0.0.0"}}, `event 1 last_affected "1.0.0.0"`},
		{[]Event{{Introduced: "0"}, {Limit: "v"}}, `event 1 limit "v"`},
	}
	for _, c := range cases {
		_, err := CompileEvents(SemVer, c.events)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("CompileEvents(%+v) error = %v, want %q", c.events, err, c.want)
		}
	}
}

// osvRecord is the part of an OSV record the range test needs.
type osvRecord struct {
	ID       string `json:"id"`
	Affected []struct {
		Package struct {
			Ecosystem string `json:"ecosystem"`
		} `json:"package"`
		Ranges []struct {
			Type   string `json:"type"`
			Events []struct {
				Introduced   string `json:"introduced"`
				Fixed        string `json:"fixed"`
				LastAffected string `json:"last_affected"`
				Limit        string `json:"limit"`
			} `json:"events"`
		} `json:"ranges"`
	} `json:"affected"`
}

// checkOSVDir compiles every SEMVER/ECOSYSTEM range of every OSV record in
// dir and checks that each introduced version is affected and each fixed
// version is not. It returns the number of versions checked.
func checkOSVDir(t *testing.T, dir string) int {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		var rec osvRecord
		if err := json.Unmarshal(data, &rec); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		for _, a := range rec.Affected {
			scheme := For(a.Package.Ecosystem)
			for _, r := range a.Ranges {
				if r.Type != "SEMVER" && r.Type != "ECOSYSTEM" {
					continue
				}
				events := make([]Event, len(r.Events))
				for i, e := range r.Events {
					events[i] = Event(e)
				}
				compiled, err := CompileEvents(scheme, events)
				if err != nil {
					t.Errorf("%s: %v", rec.ID, err)
					continue
				}
				for _, e := range events {
					if e.Introduced != "" && e.Introduced != "0" {
						if !compiled.Contains(mustParse(t, scheme, e.Introduced)) {
							t.Errorf("%s: introduced %q is not affected", rec.ID, e.Introduced)
						}
						checked++
					}
					if e.Fixed != "" {
						if compiled.Contains(mustParse(t, scheme, e.Fixed)) {
							t.Errorf("%s: fixed %q is affected", rec.ID, e.Fixed)
						}
						checked++
					}
				}
			}
		}
	}
	return checked
}

func TestOSVGoSample(t *testing.T) {
	if n := checkOSVDir(t, filepath.Join("testdata", "osv-go")); n < 20 {
		t.Errorf("checked %d versions, want at least 20", n)
	}
}

func TestOSVGoDatabase(t *testing.T) {
	dir := filepath.Join("..", "..", "..", "shared", "data", "osv-go")
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("Go vulnerability database not present: %v", err)
	}
	n := checkOSVDir(t, dir)
	t.Logf("checked %d introduced/fixed versions", n)
}
