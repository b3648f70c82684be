package main

import (
	"bytes"
	"os"
	"testing"
)

// TestAgreesWithPeers runs the whole comparison: every version string of
// the shared data (when present beside the repository) and of the
// repository's fixtures, every pair per ecosystem. Any difference not in
// acceptedList fails, and so does an accepted difference that no longer
// occurs.
func TestAgreesWithPeers(t *testing.T) {
	const data = "../../../shared/data"
	if _, err := os.Stat(data); err != nil {
		t.Logf("%s is absent: the repository's fixtures only", data)
	}
	var out bytes.Buffer
	ok, err := run(&out, data, "../..", -1, false)
	if err != nil {
		t.Fatal(err)
	}
	if !ok {
		t.Fatalf("mamori and the peers disagree:\n%s", out.String())
	}
	if testing.Verbose() {
		t.Log("\n" + out.String())
	}
}

func TestPurlVersion(t *testing.T) {
	cases := []struct{ purl, typ, version string }{
		{"pkg:deb/debian/bsdutils@1:2.36.1-8+deb11u1?arch=amd64&upstream=util-linux%402.36.1-8+deb11u1", "deb", "1:2.36.1-8+deb11u1"},
		{"pkg:rpm/ol/gmp@6.1.2-10.el8?arch=x86_64&epoch=1&upstream=gmp-6.1.2-10.el8.src.rpm", "rpm", "1:6.1.2-10.el8"},
		{"pkg:rpm/redhat/bash@5.1.8-6.el9", "rpm", "5.1.8-6.el9"},
		{"pkg:npm/%40angular/core@9.1.0", "npm", "9.1.0"},
		{"pkg:npm/@babel/core@7.9.0#lib", "npm", "7.9.0"},
		{"pkg:maven/org.keycloak/keycloak-core@10.0.2?type=jar", "maven", "10.0.2"},
		{"pkg:golang/github.com/foo/bar@v0.0.0-20201130134442-10cb98267c6c", "golang", "v0.0.0-20201130134442-10cb98267c6c"},
		{"pkg:pypi/django@1.11.1%2Bubuntu1", "pypi", "1.11.1+ubuntu1"},
	}
	for _, c := range cases {
		typ, v, ok := purlVersion(c.purl)
		if !ok || typ != c.typ || v != c.version {
			t.Errorf("purlVersion(%q) = %q, %q, %v; want %q, %q", c.purl, typ, v, ok, c.typ, c.version)
		}
	}
	if _, _, ok := purlVersion("pkg:golang/./api"); ok {
		t.Error(`purlVersion("pkg:golang/./api") found a version`)
	}
}
