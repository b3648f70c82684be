package sbom

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestApplyPURL(t *testing.T) {
	tests := []struct {
		purl     string
		fallback string
		want     Package
	}{
		{
			purl: "pkg:composer/symfony/http-foundation@v5.4.16",
			want: Package{Ecosystem: "composer", Namespace: "symfony", Name: "symfony/http-foundation", Version: "v5.4.16", PURL: "pkg:composer/symfony/http-foundation@v5.4.16"},
		},
		{
			purl: "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1?type=jar",
			want: Package{Ecosystem: "maven", Namespace: "org.apache.logging.log4j", Name: "org.apache.logging.log4j:log4j-core", Version: "2.14.1", PURL: "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1?type=jar"},
		},
		{
			// No groupId: nothing to join.
			purl: "pkg:maven/junit@4.12",
			want: Package{Ecosystem: "maven", Name: "junit", Version: "4.12", PURL: "pkg:maven/junit@4.12"},
		},
		{
			// Case kept: Go module paths are case-sensitive.
			purl: "pkg:golang/github.com/ProtonMail/go-crypto@v0.0.0-20201208171014-cdb7591792e2",
			want: Package{Ecosystem: "golang", Namespace: "github.com/ProtonMail", Name: "github.com/ProtonMail/go-crypto", Version: "v0.0.0-20201208171014-cdb7591792e2", PURL: "pkg:golang/github.com/ProtonMail/go-crypto@v0.0.0-20201208171014-cdb7591792e2"},
		},
		{
			purl: "pkg:golang/gopkg.in/yaml.v3@v3.0.1",
			want: Package{Ecosystem: "golang", Namespace: "gopkg.in", Name: "gopkg.in/yaml.v3", Version: "v3.0.1", PURL: "pkg:golang/gopkg.in/yaml.v3@v3.0.1"},
		},
		{
			purl: "pkg:npm/%40angular/core@11.0.0",
			want: Package{Ecosystem: "npm", Namespace: "@angular", Name: "@angular/core", Version: "11.0.0", PURL: "pkg:npm/%40angular/core@11.0.0"},
		},
		{
			// An unescaped scope is accepted and canonicalised.
			purl: "pkg:npm/@babel/core@7.10.4",
			want: Package{Ecosystem: "npm", Namespace: "@babel", Name: "@babel/core", Version: "7.10.4", PURL: "pkg:npm/%40babel/core@7.10.4"},
		},
		{
			purl: "pkg:pypi/Django_Rest.Framework@3.14.0",
			want: Package{Ecosystem: "pypi", Name: "django-rest-framework", Version: "3.14.0", PURL: "pkg:pypi/django-rest.framework@3.14.0"},
		},
		{
			purl: "pkg:pypi/zope.interface@5.4.0",
			want: Package{Ecosystem: "pypi", Name: "zope-interface", Version: "5.4.0", PURL: "pkg:pypi/zope.interface@5.4.0"},
		},
		{
			// The epoch is part of the deb version; '+' is kept as written.
			purl: "pkg:deb/debian/bsdutils@1:2.36.1-8+deb11u1?arch=amd64&upstream=util-linux%402.36.1-8+deb11u1&distro=debian-11",
			want: Package{Ecosystem: "deb", Namespace: "debian", Name: "bsdutils", Version: "1:2.36.1-8+deb11u1", Distro: "debian-11", PURL: "pkg:deb/debian/bsdutils@1:2.36.1-8%2Bdeb11u1?arch=amd64&distro=debian-11&upstream=util-linux%402.36.1-8%2Bdeb11u1"},
		},
		{
			// Syft writes rpm epochs as a qualifier.
			purl: "pkg:rpm/ol/gmp@6.1.2-10.el8?arch=x86_64&epoch=1&upstream=gmp-6.1.2-10.el8.src.rpm&distro=ol-8.6",
			want: Package{Ecosystem: "rpm", Namespace: "ol", Name: "gmp", Version: "1:6.1.2-10.el8", Distro: "ol-8.6", PURL: "pkg:rpm/ol/gmp@6.1.2-10.el8?arch=x86_64&distro=ol-8.6&epoch=1&upstream=gmp-6.1.2-10.el8.src.rpm"},
		},
		{
			// An epoch already in the version is not added twice.
			purl: "pkg:rpm/fedora/curl@1:7.50.3-1.fc25?epoch=1",
			want: Package{Ecosystem: "rpm", Namespace: "fedora", Name: "curl", Version: "1:7.50.3-1.fc25", PURL: "pkg:rpm/fedora/curl@1:7.50.3-1.fc25?epoch=1"},
		},
		{
			// Syft 0.57's legacy type.
			purl: "pkg:alpine/musl@1.2.3-r0?arch=x86_64&upstream=musl&distro=alpine-3.16.2",
			want: Package{Ecosystem: "apk", Name: "musl", Version: "1.2.3-r0", Distro: "alpine-3.16.2", PURL: "pkg:apk/musl@1.2.3-r0?arch=x86_64&distro=alpine-3.16.2&upstream=musl"},
		},
		{
			purl: "pkg:apk/alpine/openssl@3.0.5-r0?distro=alpine-3.16.2",
			want: Package{Ecosystem: "apk", Namespace: "alpine", Name: "openssl", Version: "3.0.5-r0", Distro: "alpine-3.16.2", PURL: "pkg:apk/alpine/openssl@3.0.5-r0?distro=alpine-3.16.2"},
		},
		{
			purl: "pkg:gem/rails@7.0.4",
			want: Package{Ecosystem: "gem", Name: "rails", Version: "7.0.4", PURL: "pkg:gem/rails@7.0.4"},
		},
		{
			purl: "pkg:cargo/tokio@1.28.0",
			want: Package{Ecosystem: "cargo", Name: "tokio", Version: "1.28.0", PURL: "pkg:cargo/tokio@1.28.0"},
		},
		{
			purl: "pkg:nuget/Newtonsoft.Json@13.0.1",
			want: Package{Ecosystem: "nuget", Name: "Newtonsoft.Json", Version: "13.0.1", PURL: "pkg:nuget/Newtonsoft.Json@13.0.1"},
		},
		{
			// No version in the purl: the record's own version is used.
			purl: "pkg:npm/lodash", fallback: "4.17.21",
			want: Package{Ecosystem: "npm", Name: "lodash", Version: "4.17.21", PURL: "pkg:npm/lodash"},
		},
	}
	for _, tt := range tests {
		var got Package
		if err := applyPURL(&got, tt.purl, tt.fallback); err != nil {
			t.Errorf("applyPURL(%q) error: %v", tt.purl, err)
			continue
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("applyPURL(%q) (-want +got):\n%s", tt.purl, diff)
		}
	}
}

func TestApplyPURLRejects(t *testing.T) {
	for _, purl := range []string{
		"npm/express@4.18.2",    // no scheme
		"pkg:npm",               // no name
		"pkg:npm/@4.17.21",      // scope without name
		"pkg:maven/@1.0",        // '@' where the name belongs
		"pkg:npm/qs%zz@6.11.0",  // bad escape in the name
		"pkg:1npm/lodash@1.0.0", // type starts with a digit
		"pkg:npm/lodash?a;b=c",  // semicolon in qualifiers
	} {
		var got Package
		if err := applyPURL(&got, purl, ""); err == nil {
			t.Errorf("applyPURL(%q) = %+v, want error", purl, got)
		}
	}
}

func TestHasEpoch(t *testing.T) {
	for _, tt := range []struct {
		version string
		want    bool
	}{
		{"1:2.36.1-8+deb11u1", true},
		{"12:1.0", true},
		{"2.36.1", false},
		{":1.0", false},
		{"a1:1.0", false},
		{"", false},
	} {
		if got := hasEpoch(tt.version); got != tt.want {
			t.Errorf("hasEpoch(%q) = %v, want %v", tt.version, got, tt.want)
		}
	}
}
