package version

import "testing"

// mustParse parses s or fails the test.
func mustParse(t testing.TB, s Scheme, v string) Version {
	t.Helper()
	p, err := s.Parse(v)
	if err != nil {
		t.Fatalf("%s.Parse(%q): %v", s.Name(), v, err)
	}
	return p
}

// checkAscending asserts that versions are strictly ascending: every earlier
// one compares below every later one, in both directions.
func checkAscending(t *testing.T, s Scheme, versions []string) {
	t.Helper()
	parsed := make([]Version, len(versions))
	for i, v := range versions {
		parsed[i] = mustParse(t, s, v)
	}
	for i := range parsed {
		if got := parsed[i].Compare(parsed[i]); got != 0 {
			t.Errorf("%s: %q vs itself = %d, want 0", s.Name(), versions[i], got)
		}
		for j := i + 1; j < len(parsed); j++ {
			if got := parsed[i].Compare(parsed[j]); got != -1 {
				t.Errorf("%s: %q vs %q = %d, want -1", s.Name(), versions[i], versions[j], got)
			}
			if got := parsed[j].Compare(parsed[i]); got != 1 {
				t.Errorf("%s: %q vs %q = %d, want 1", s.Name(), versions[j], versions[i], got)
			}
		}
	}
}

// checkEqual asserts that all versions in each group compare equal.
func checkEqual(t *testing.T, s Scheme, groups [][]string) {
	t.Helper()
	for _, group := range groups {
		for _, a := range group {
			for _, b := range group {
				if got := mustParse(t, s, a).Compare(mustParse(t, s, b)); got != 0 {
					t.Errorf("%s: %q vs %q = %d, want 0", s.Name(), a, b, got)
				}
			}
		}
	}
}

// checkInvalid asserts that Parse rejects every string.
func checkInvalid(t *testing.T, s Scheme, bad []string) {
	t.Helper()
	for _, v := range bad {
		if p, err := s.Parse(v); err == nil {
			t.Errorf("%s.Parse(%q) = %#v, want an error", s.Name(), v, p)
		}
	}
}

// checkPairs asserts Compare(a, b) for explicit cases.
func checkPairs(t *testing.T, s Scheme, cases []pair) {
	t.Helper()
	for _, c := range cases {
		got, err := Compare(s, c.a, c.b)
		if err != nil {
			t.Errorf("%s: Compare(%q, %q): %v", s.Name(), c.a, c.b, err)
			continue
		}
		if got != c.want {
			t.Errorf("%s: Compare(%q, %q) = %d, want %d", s.Name(), c.a, c.b, got, c.want)
		}
		if back, _ := Compare(s, c.b, c.a); back != -c.want {
			t.Errorf("%s: Compare(%q, %q) = %d, want %d", s.Name(), c.b, c.a, back, -c.want)
		}
	}
}

type pair struct {
	a, b string
	want int
}

// checkProperties asserts what every scheme's order must satisfy, for use
// in fuzz tests: no panic, String returns the input, Compare is reflexive,
// antisymmetric and transitive. Maven is exempt from transitivity because
// ComparableVersion itself is not transitive on odd input: "A" < "0rC"
// (a qualifier sorts below a sub-list) and "0rC" < "0" (rc is before the
// release) but "A" > "0" (an unknown qualifier is after the release).
func checkProperties(t *testing.T, s Scheme, inputs ...string) {
	var parsed []Version
	for _, in := range inputs {
		v, err := s.Parse(in)
		if err != nil {
			if v != nil {
				t.Fatalf("%s.Parse(%q) returned both %#v and error %v", s.Name(), in, v, err)
			}
			continue
		}
		if v.String() != in {
			t.Fatalf("%s.Parse(%q).String() = %q", s.Name(), in, v.String())
		}
		if c := v.Compare(v); c != 0 {
			t.Fatalf("%s: %q vs itself = %d", s.Name(), in, c)
		}
		parsed = append(parsed, v)
	}
	for _, a := range parsed {
		for _, b := range parsed {
			ab, ba := a.Compare(b), b.Compare(a)
			if ab != -ba || ab < -1 || ab > 1 {
				t.Fatalf("%s: %q vs %q = %d but reverse = %d", s.Name(), a, b, ab, ba)
			}
			if s == Maven {
				continue
			}
			for _, c := range parsed {
				if ab <= 0 && b.Compare(c) <= 0 && a.Compare(c) > 0 {
					t.Fatalf("%s: not transitive: %q <= %q <= %q but %q > %q", s.Name(), a, b, c, a, c)
				}
			}
		}
	}
}
