package version

import "testing"

func TestPEP440Order(t *testing.T) {
	// The ordering example of the packaging library's tests, which spells
	// out PEP 440's summary of permitted suffixes and relative ordering.
	checkAscending(t, PEP440, []string{
		"1.0.dev456", "1.0a1", "1.0a2.dev456", "1.0a12.dev456", "1.0a12",
		"1.0b1.dev456", "1.0b2", "1.0b2.post345.dev456", "1.0b2.post345",
		"1.0b2-346", "1.0c1.dev456", "1.0c1", "1.0rc2", "1.0c3", "1.0",
		"1.0.post456.dev34", "1.0.post456", "1.1.dev1", "1.2+123abc",
		"1.2+123abc456", "1.2+abc", "1.2+abc123", "1.2+abc123def", "1.2+1234.abc",
		"1.2+123456", "1.2.r32+123456", "1.2.rev33+123456",
		"1!1.0.dev456", "1!1.0a1", "1!1.0a2.dev456", "1!1.0a12.dev456", "1!1.0a12",
		"1!1.0b1.dev456", "1!1.0b2", "1!1.0b2.post345.dev456", "1!1.0b2.post345",
		"1!1.0b2-346", "1!1.0c1.dev456", "1!1.0c1", "1!1.0rc2", "1!1.0c3", "1!1.0",
		"1!1.0.post456.dev34", "1!1.0.post456", "1!1.1.dev1", "1!1.2+123abc",
		"1!1.2+123abc456", "1!1.2+abc", "1!1.2+abc123", "1!1.2+abc123def",
		"1!1.2+1234.abc", "1!1.2+123456", "1!1.2.r32+123456", "1!1.2.rev33+123456",
	})
	checkAscending(t, PEP440, []string{"2.9", "2.10", "2.10.1", "2.11a1", "2013.10", "2013.10.1"})
	// A post-release of a pre-release sorts below the next pre-release.
	checkAscending(t, PEP440, []string{"1.0a1", "1.0a1.post1", "1.0a2", "1.0", "1.0+local", "1.0.post1"})
}

func TestPEP440Equal(t *testing.T) {
	checkEqual(t, PEP440, [][]string{
		{"1.0", "1.0.0", "1.0.0.0", "v1.0", "V1.0", " 1.0 ", "0!1.0", "01.00"},
		{"1.0a1", "1.0.alpha.1", "1.0-a1", "1.0ALPHA1", "1.0a.1", "1.0_a_1", "1.0-alpha-1"},
		{"1.0rc1", "1.0c1", "1.0pre1", "1.0preview1", "1.0-RC-1", "1.0.rc.1"},
		{"1.0b2", "1.0beta2", "1.0-b2", "1.0.beta.2"},
		{"1.0a", "1.0a0"},
		{"1.0.post1", "1.0-1", "1.0.rev1", "1.0r1", "1.0post1", "1.0-post1", "1.0_post_1", "1.0.POST1"},
		{"1.0.post", "1.0.post0", "1.0-r"},
		{"1.0.dev", "1.0.dev0", "1.0-dev", "1.0dev0", "1.0_DEV_0"},
		{"1.0+ubuntu-1", "1.0+ubuntu.1", "1.0+ubuntu_1", "1.0+Ubuntu.1"},
		{"1.0+1", "1.0+01"},
	})
}

func TestPEP440Invalid(t *testing.T) {
	checkInvalid(t, PEP440, []string{
		"", " ", "french toast", "1.0-beta-x", "1.0+", "1.0+_foo", "1!", "1.0.", ".1", "1..0",
		"1.0.dev.post1", "1.0a1b2", "1.0 beta", "1.0+local+more", "v", "1.0-", "1!2!3",
	})
}

func FuzzPEP440(f *testing.F) {
	for _, s := range [][3]string{
		{"1.0.dev456", "1.0a1", "1.0b2.post345.dev456"}, {"1!1.0", "1.0+abc.5", "1.0+5.abc"},
		{"1.0-1", "1.0.post1", "1.0.post1.dev0"}, {"1.0", "1.0.0", "1.0.0+0"}, {"", "v", "1!"},
	} {
		f.Add(s[0], s[1], s[2])
	}
	f.Fuzz(func(t *testing.T, a, b, c string) {
		checkProperties(t, PEP440, a, b, c)
	})
}
