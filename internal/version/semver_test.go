package version

import "testing"

func TestSemVerOrder(t *testing.T) {
	// The precedence example of semver.org, section 11.
	checkAscending(t, SemVer, []string{
		"1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2",
		"1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "2.0.0", "2.1.0", "2.1.1",
	})
	checkAscending(t, SemVer, []string{"1.9.0", "1.10.0", "1.11.0", "10.0.0"})
	// Identifiers with hyphens, numeric vs alphanumeric, ASCII order.
	checkAscending(t, SemVer, []string{
		"1.0.0-1", "1.0.0-2", "1.0.0-10", "1.0.0-Alpha", "1.0.0-a-b", "1.0.0-alpha", "1.0.0-alpha-1",
	})
	checkAscending(t, SemVer, []string{"0.0.1", "0.1", "1", "1.2", "1.2.1", "99999999999999999999.0.0"})
}

func TestSemVerEqual(t *testing.T) {
	checkEqual(t, SemVer, [][]string{
		{"1.2.0", "1.2", "v1.2.0", "V1.2", "1.2.0+build.5", "1.2.0+20130313144700"},
		{"1.0.0-rc.1", "1.0.0-rc.1+exp.sha.5114f85", "v1.0.0-rc.1"},
		{"1.0.0-01", "1.0.0-1"},
	})
}

func TestSemVerInvalid(t *testing.T) {
	checkInvalid(t, SemVer, []string{
		"", "v", "1.2.3.4", "a.b.c", "1.0.0-", "1..0", "1.0.", "1.0.0+", "1.0.0-alpha..1",
		"1.0.0-al_pha", "1.0.0+bu$ld", "-1.0.0", "1.2.x", " ", "1.0.0 beta",
	})
}

func TestGoOrder(t *testing.T) {
	// Pseudo-versions sort as pre-releases of the next patch, by timestamp.
	checkAscending(t, Go, []string{
		"v0.0.0-20191109021931-daa7c04131f5",
		"v0.0.0-20201130134442-10cb98267c6c",
		"v0.0.0-20250519205859-65aec10162f6",
		"v0.0.1",
		"v1.2.3",
		"v1.2.4-0.20191109021931-daa7c04131f5",
		"v1.2.4-pre",
		"v1.2.4-pre.0.20191109021931-daa7c04131f5",
		"v1.2.4-pre.1",
		"v1.2.4",
		"v2.0.0+incompatible",
		"v2.0.1",
	})
	// Real fix versions from the Go vulnerability database (GO-2023-1515):
	// "-security1" is a pre-release of the version it names.
	checkAscending(t, Go, []string{
		"0.7.3", "0.7.4-security1", "0.7.4", "0.8.4", "0.8.5-security1", "0.8.5-security2", "0.8.5", "0.8.6",
	})
	checkAscending(t, Go, []string{
		"1.6.0-alpha.0", "1.6.0-beta.0", "1.6.0-beta.0.0.20250730135146-231dc69723f3",
		"1.6.0-beta.1", "1.6.0-rc.0", "1.6.0",
	})
	checkEqual(t, Go, [][]string{
		{"v9.6.1+incompatible", "9.6.1+incompatible", "v9.6.1", "9.6.1"},
		{"v1.2", "v1.2.0"},
	})
	checkInvalid(t, Go, []string{"", "v1.2.3.4", "latest", "master", "v1.0.0-"})
}

func TestNPM(t *testing.T) {
	checkEqual(t, NPM, [][]string{{"1.2.3", "=1.2.3", "v1.2.3", "=v1.2.3", " =1.2.3 ", "1.2.3+build"}})
	checkAscending(t, NPM, []string{"1.2.3-alpha.3", "1.2.3-alpha.7", "1.2.3-beta", "1.2.3", "1.2.4-alpha.1"})
	checkInvalid(t, NPM, []string{"", "=", "1.2.3.4", "^1.2.3", "~1.2", ">=1.0.0"})
}

func TestNuGet(t *testing.T) {
	checkAscending(t, NuGet, []string{
		"1.0.0-alpha", "1.0.0-Beta", "1.0.0-rc.1", "1.0.0", "1.0.0.1", "1.0.1", "1.0.10",
	})
	checkEqual(t, NuGet, [][]string{
		{"1.0", "1.0.0", "1.0.0.0", "1.0.0+git.abc"},
		{"1.0.0-BETA", "1.0.0-beta", "1.0.0-Beta"},
	})
	checkInvalid(t, NuGet, []string{"", "1.0.0.0.0", "1.0.0-"})
}
