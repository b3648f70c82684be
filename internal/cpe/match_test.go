package cpe

import "testing"

func TestCompareAttr(t *testing.T) {
	v := func(s string) Attr { return MustParse("cpe:2.3:a:v:p:" + s + ":*:*:*:*:*:*:*").Version }
	tests := []struct {
		source, target Attr
		want           Relation
	}{
		// NISTIR 7696 Table 6-2, rows 1-16 in order (i = value,
		// m + wild = value with wildcards).
		{Any(), Any(), Equal},
		{Any(), NA(), Superset},
		{Any(), v("10.2"), Superset},
		{Any(), v("10.*"), Undefined},
		{NA(), Any(), Subset},
		{NA(), NA(), Equal},
		{NA(), v("10.2"), Disjoint},
		{NA(), v("10.*"), Undefined},
		{v("10.2"), v("10.2"), Equal},
		{v("10.2"), v("10.3"), Disjoint},
		{v("10.2"), Any(), Subset},
		{v("10.2"), NA(), Disjoint},
		{v("10.2"), v("10.*"), Undefined},
		{v("10.*"), v("10.2"), Superset},
		{v("10.*"), v("11.2"), Disjoint},
		{v("10.*"), Any(), Subset},
		{v("10.*"), NA(), Disjoint},
		{v("10.*"), v("10.*"), Undefined},
		{v("10.*"), v("1*"), Undefined},

		// Wildcards in the source.
		{v("10.*"), v("100"), Disjoint},
		{v("10.*"), v("10."), Superset},
		{v("*.2"), v("10.2"), Superset},
		{v("*.2"), v("10.20"), Disjoint},
		{v("*0.2*"), v("10.20"), Superset},
		{v("1.?"), v("1.2"), Superset},
		{v("1.?"), v("1."), Superset}, // "?" matches at most one character (compare_strings)
		{v("1.?"), v("1.23"), Disjoint},
		{v("??"), v("12"), Superset},
		{v("??"), v("123"), Disjoint},
		{v("?.2"), v("1.2"), Superset},
		{v("?.2"), v("11.2"), Disjoint},
		{v("??.2?"), v("11.23"), Superset},
		{v("*1*"), v("a1a1a"), Superset},
		{v("1*"), v("21"), Disjoint},
		{v("*12"), v("1212"), Superset}, // only the second occurrence fits
		{v("12?"), v("1212"), Disjoint},
		{v("12?"), v("1123"), Disjoint},
		{v("?12?"), v("1123"), Superset},
		{v("*sp?"), v("xp2sp3"), Superset},

		// Quoted wildcard characters are literal.
		{v(`10.\*`), v("10.2"), Disjoint},
		{v(`10.\*`), v(`10.\*`), Equal},
		{v("10.*"), v(`10.\*`), Superset},

		// Case and escaping do not matter once read.
		{MustParse("cpe:2.3:a:Azure:p:*:*:*:*:*:*:*:*").Vendor, MustParse("cpe:2.3:a:azure:p:*:*:*:*:*:*:*:*").Vendor, Equal},
		{v(`1\:2.36.1-8\+deb11u1`), MustParse("cpe:/a:v:p:1%3a2.36.1-8%2bdeb11u1").Version, Equal},
		{v(`1\.0`), v("1.0"), Equal},
	}
	for _, tt := range tests {
		if got := CompareAttr(tt.source, tt.target); got != tt.want {
			t.Errorf("CompareAttr(%s, %s) = %v, want %v", tt.source, tt.target, got, tt.want)
		}
	}
	// The matching fast path must agree with CompareAttr on every pair.
	for _, s := range tests {
		for _, tg := range tests {
			for _, pair := range [][2]Attr{{s.source, tg.target}, {s.source, tg.source}, {s.target, tg.target}} {
				r := CompareAttr(pair[0], pair[1])
				if got, want := supersetOrEqual(&pair[0], &pair[1]), r == Superset || r == Equal; got != want {
					t.Errorf("supersetOrEqual(%s, %s) = %v, but CompareAttr = %v", pair[0], pair[1], got, r)
				}
			}
		}
	}
}

func TestMatches(t *testing.T) {
	tests := []struct {
		name                string
		criteria, candidate string
		want, wantVersion   bool // Matches, MatchesIncludingVersion
	}{
		// anchore/grype#342: the vendor must not be ignored.
		{"other vendor's product", "cpe:2.3:a:mobileiron:core:*:*:*:*:*:*:*:*", "cpe:2.3:a:core:core:1.0:*:*:*:*:*:*:*", false, false},
		// anchore/grype#580: npm nx against Siemens NX.
		{"same product, other vendor", "cpe:2.3:a:siemens:nx:*:*:*:*:*:*:*:*", "cpe:2.3:a:nrwl:nx:15.0.0:*:*:*:*:*:*:*", false, false},
		{"same vendor and product", "cpe:2.3:a:siemens:nx:*:*:*:*:*:*:*:*", "cpe:2.3:a:siemens:nx:1899:*:*:*:*:*:*:*", true, true},
		{"other product", "cpe:2.3:a:apache:soap:*:*:*:*:*:*:*:*", "cpe:2.3:a:apache:cxf-rt-bindings-soap:3.5.5:*:*:*:*:*:*:*", false, false},
		// DependencyTrack#3268: NVD version "-" must not match real versions.
		{"NA version against a version", "cpe:2.3:o:apple:macos:-:*:*:*:*:*:*:*", "cpe:2.3:o:apple:macos:14.0:*:*:*:*:*:*:*", true, false},
		{"NA version against NA", "cpe:2.3:o:apple:macos:-:*:*:*:*:*:*:*", "cpe:2.3:o:apple:macos:-:*:*:*:*:*:*:*", true, true},
		{"NA version against ANY", "cpe:2.3:o:apple:macos:-:*:*:*:*:*:*:*", "cpe:2.3:o:apple:macos:*:*:*:*:*:*:*:*", true, false},
		// CVE-2024-0012: exact hotfix criteria.
		{"hotfix exact", "cpe:2.3:o:paloaltonetworks:pan-os:10.2.12:h1:*:*:*:*:*:*", "cpe:2.3:o:paloaltonetworks:pan-os:10.2.12:h1:*:*:*:*:*:*", true, true},
		{"hotfix, candidate update unknown", "cpe:2.3:o:paloaltonetworks:pan-os:10.2.12:h1:*:*:*:*:*:*", "cpe:2.3:o:paloaltonetworks:pan-os:10.2.12:*:*:*:*:*:*:*", false, false},
		{"hotfix, candidate version unknown", "cpe:2.3:o:paloaltonetworks:pan-os:10.2.12:h1:*:*:*:*:*:*", "cpe:2.3:o:paloaltonetworks:pan-os:*:h1:*:*:*:*:*:*", true, false},
		{"hotfix, other hotfix", "cpe:2.3:o:paloaltonetworks:pan-os:10.2.12:h1:*:*:*:*:*:*", "cpe:2.3:o:paloaltonetworks:pan-os:10.2.12:h2:*:*:*:*:*:*", false, false},
		{"hotfix, other version", "cpe:2.3:o:paloaltonetworks:pan-os:10.2.12:h1:*:*:*:*:*:*", "cpe:2.3:o:paloaltonetworks:pan-os:10.2.13:h1:*:*:*:*:*:*", true, false},
		{"range criteria, any update", "cpe:2.3:o:paloaltonetworks:pan-os:*:*:*:*:*:*:*:*", "cpe:2.3:o:paloaltonetworks:pan-os:10.2.12:h1:*:*:*:*:*:*", true, true},
		// target_sw pinned by the criteria.
		{"target_sw, candidate unknown", "cpe:2.3:a:wpmet:elements_kit_elementor_addons:*:*:*:*:*:wordpress:*:*", "cpe:2.3:a:wpmet:elements_kit_elementor_addons:3.0.0:*:*:*:*:*:*:*", false, false},
		{"target_sw equal", "cpe:2.3:a:wpmet:elements_kit_elementor_addons:*:*:*:*:*:wordpress:*:*", "cpe:2.3:a:wpmet:elements_kit_elementor_addons:3.0.0:*:*:*:*:wordpress:*:*", true, true},
		// anchore/grype#2770: a "running on" platform is another product.
		{"platform CPE", "cpe:2.3:o:linux:linux_kernel:*:*:*:*:*:*:*:*", "cpe:2.3:a:google:chrome:120.0:*:*:*:*:*:*:*", false, false},
		{"part differs", "cpe:2.3:o:cisco:ios:12.1\\(22\\)ea4:*:*:*:*:*:*:*", "cpe:2.3:a:cisco:ios:12.1\\(22\\)ea4:*:*:*:*:*:*:*", false, false},
		{"part ANY", "cpe:2.3:*:cisco:ios:12.1\\(22\\)ea4:*:*:*:*:*:*:*", "cpe:2.3:o:cisco:ios:12.1\\(22\\)ea4:*:*:*:*:*:*:*", true, true},
		// Escaping and the CPE 2.2 form.
		{"escaped epoch", `cpe:2.3:a:bsdutils:bsdutils:1\:2.36.1-8\+deb11u1:*:*:*:*:*:*:*`, "cpe:/a:bsdutils:bsdutils:1%3a2.36.1-8%2bdeb11u1", true, true},
		{"case", "cpe:2.3:a:azure:go-autorest\\/autorest:*:*:*:*:*:*:*:*", "cpe:2.3:a:Azure:go-autorest\\/autorest:v0.11.24:*:*:*:*:*:*:*", true, true},
		// Wildcards in the criteria and in the candidate.
		{"wildcard version", "cpe:2.3:a:apache:http_server:2.4.*:*:*:*:*:*:*:*", "cpe:2.3:a:apache:http_server:2.4.57:*:*:*:*:*:*:*", true, true},
		{"wildcard version, other branch", "cpe:2.3:a:apache:http_server:2.4.*:*:*:*:*:*:*:*", "cpe:2.3:a:apache:http_server:2.5.0:*:*:*:*:*:*:*", true, false},
		{"wildcard product", "cpe:2.3:o:qualcomm:*_firmware:-:*:*:*:*:*:*:*", "cpe:2.3:o:qualcomm:sd820a_firmware:-:*:*:*:*:*:*:*", true, true},
		{"wildcard candidate", "cpe:2.3:a:apache:http_server:*:*:*:*:*:*:*:*", "cpe:2.3:a:apache:http_server:2.4.*:*:*:*:*:*:*:*", true, false},
		{"wildcard candidate vendor", "cpe:2.3:a:apache:http_server:*:*:*:*:*:*:*:*", "cpe:2.3:a:apach?:http_server:2.4.1:*:*:*:*:*:*:*", false, false},
		// JVN gives vendor and product only: ANY criteria version.
		{"JVN criteria", "cpe:/a:cybozu:garoon", "cpe:2.3:a:cybozu:garoon:5.0.0:*:*:*:*:*:*:*", true, true},
	}
	for _, tt := range tests {
		criteria, candidate := MustParse(tt.criteria), MustParse(tt.candidate)
		if got := Matches(criteria, candidate); got != tt.want {
			t.Errorf("%s: Matches(%s, %s) = %v, want %v", tt.name, tt.criteria, tt.candidate, got, tt.want)
		}
		if got := MatchesIncludingVersion(criteria, candidate); got != tt.wantVersion {
			t.Errorf("%s: MatchesIncludingVersion(%s, %s) = %v, want %v", tt.name, tt.criteria, tt.candidate, got, tt.wantVersion)
		}
	}
}

func TestRelationString(t *testing.T) {
	tests := []struct {
		r    Relation
		want string
	}{
		{Disjoint, "disjoint"}, {Subset, "subset"}, {Superset, "superset"},
		{Equal, "equal"}, {Undefined, "undefined"}, {Relation(42), "relation(42)"},
	}
	for _, tt := range tests {
		if got := tt.r.String(); got != tt.want {
			t.Errorf("Relation(%d).String() = %q, want %q", int(tt.r), got, tt.want)
		}
	}
}
