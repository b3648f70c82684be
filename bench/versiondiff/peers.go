package main

import (
	"errors"
	"strings"

	"github.com/Masterminds/semver/v3"
	gem "github.com/aquasecurity/go-gem-version"
	npm "github.com/aquasecurity/go-npm-version/pkg"
	pep440 "github.com/aquasecurity/go-pep440-version"
	apk "github.com/knqyf263/go-apk-version"
	deb "github.com/knqyf263/go-deb-version"
	rpm "github.com/knqyf263/go-rpm-version"
	mvn "github.com/masahiro331/go-mvn-version"
	gosemver "golang.org/x/mod/semver"

	"mamori/internal/version"
)

// peer is an established implementation of one ecosystem's order.
type peer struct {
	module  string // the Go module that implements it
	parse   func(string) (any, error)
	compare func(a, b any) int
}

// ecosystem is one of mamori's schemes beside its peer.
type ecosystem struct {
	name   string
	scheme version.Scheme
	peer   peer
	// inDomain, when set, limits the comparison to the versions whose
	// meaning the peer shares (Composer against a semver library); the
	// others are counted as out of domain and not compared.
	inDomain func(string) bool
}

// ecosystems lists the schemes compared, in report order. NuGet and
// Generic have no peer here and are not compared.
var ecosystems = []*ecosystem{
	{name: "Go", scheme: version.Go, peer: goPeer},
	{name: "npm", scheme: version.NPM, peer: npmPeer},
	{name: "SemVer", scheme: version.SemVer, peer: mastermindsPeer},
	{name: "PyPI", scheme: version.PEP440, peer: pep440Peer},
	{name: "Maven", scheme: version.Maven, peer: mavenPeer},
	{name: "Debian", scheme: version.Debian, peer: debianPeer},
	{name: "RPM", scheme: version.RPM, peer: rpmPeer},
	{name: "Alpine", scheme: version.APK, peer: apkPeer},
	{name: "RubyGems", scheme: version.RubyGems, peer: gemPeer},
	{name: "Composer", scheme: version.Composer, peer: composerPeer, inDomain: composerPlain},
}

// ecosystemFor returns the compared ecosystem whose scheme is s, or nil.
func ecosystemFor(s version.Scheme) *ecosystem {
	for _, e := range ecosystems {
		if e.scheme == s {
			return e
		}
	}
	return nil
}

// goPeer is the go command's own order (golang.org/x/mod/semver), which
// wants the "v" that OSV's Go records leave out.
var goPeer = peer{
	module: "golang.org/x/mod/semver",
	parse: func(s string) (any, error) {
		if !strings.HasPrefix(s, "v") {
			s = "v" + s
		}
		if !gosemver.IsValid(s) {
			return nil, errors.New("not a valid semantic version")
		}
		return s, nil
	},
	compare: func(a, b any) int { return gosemver.Compare(a.(string), b.(string)) },
}

var npmPeer = peer{
	module: "github.com/aquasecurity/go-npm-version",
	parse: func(s string) (any, error) {
		v, err := npm.NewVersion(s)
		return v, err
	},
	compare: func(a, b any) int { return a.(npm.Version).Compare(b.(npm.Version)) },
}

var mastermindsPeer = peer{
	module: "github.com/Masterminds/semver/v3",
	parse: func(s string) (any, error) {
		v, err := semver.NewVersion(s)
		return v, err
	},
	compare: func(a, b any) int { return a.(*semver.Version).Compare(b.(*semver.Version)) },
}

// composerPeer is Masterminds on Composer's plain releases, with the "v"
// or "V" that Composer's VersionParser drops (case-insensitively) removed.
var composerPeer = peer{
	module: "github.com/Masterminds/semver/v3",
	parse: func(s string) (any, error) {
		if strings.HasPrefix(s, "v") || strings.HasPrefix(s, "V") {
			s = s[1:]
		}
		return mastermindsPeer.parse(s)
	},
	compare: mastermindsPeer.compare,
}

var pep440Peer = peer{
	module: "github.com/aquasecurity/go-pep440-version",
	parse: func(s string) (any, error) {
		v, err := pep440.Parse(s)
		return v, err
	},
	compare: func(a, b any) int { return a.(pep440.Version).Compare(b.(pep440.Version)) },
}

var mavenPeer = peer{
	module: "github.com/masahiro331/go-mvn-version",
	parse: func(s string) (any, error) {
		v, err := mvn.NewVersion(s)
		return v, err
	},
	compare: func(a, b any) int { return a.(mvn.Version).Compare(b.(mvn.Version)) },
}

var debianPeer = peer{
	module: "github.com/knqyf263/go-deb-version",
	parse: func(s string) (any, error) {
		v, err := deb.NewVersion(s)
		return v, err
	},
	compare: func(a, b any) int {
		v := a.(deb.Version)
		return v.Compare(b.(deb.Version))
	},
}

// rpmPeer never refuses a string.
var rpmPeer = peer{
	module:  "github.com/knqyf263/go-rpm-version",
	parse:   func(s string) (any, error) { return rpm.NewVersion(s), nil },
	compare: func(a, b any) int { return a.(rpm.Version).Compare(b.(rpm.Version)) },
}

var apkPeer = peer{
	module: "github.com/knqyf263/go-apk-version",
	parse: func(s string) (any, error) {
		v, err := apk.NewVersion(s)
		return v, err
	},
	compare: func(a, b any) int { return a.(apk.Version).Compare(b.(apk.Version)) },
}

var gemPeer = peer{
	module: "github.com/aquasecurity/go-gem-version",
	parse: func(s string) (any, error) {
		v, err := gem.NewVersion(s)
		return v, err
	},
	compare: func(a, b any) int { return a.(gem.Version).Compare(b.(gem.Version)) },
}

// composerPlain reports whether a Composer version is a plain release,
// "v"? and up to three numbers, whose order Composer and semantic
// versioning share. Composer's stability words (beta1, RC1, patch1, -dev)
// and fourth number are its own and have no semver equivalent.
func composerPlain(s string) bool {
	s = strings.TrimPrefix(strings.TrimPrefix(s, "v"), "V")
	parts := strings.Split(s, ".")
	if len(parts) > 3 {
		return false
	}
	for _, p := range parts {
		if p == "" || strings.Trim(p, "0123456789") != "" {
			return false
		}
	}
	return true
}
