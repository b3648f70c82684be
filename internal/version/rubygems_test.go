package version

import "testing"

// Cases after RubyGems' test/rubygems/test_gem_version.rb.
func TestRubyGemsOrder(t *testing.T) {
	checkAscending(t, RubyGems, []string{
		"0.beta.1", "0.0.beta.2", "1.0.a", "1.0.a.2", "1.0.a.10", "1.0.b1", "1.0.0.pre.rc1",
		"1.0.0.rc1", "1.0.0.rc2", "1.0", "1.0.1", "1.0.10", "1.1.a", "1.1", "2",
	})
	// Rails releases.
	checkAscending(t, RubyGems, []string{
		"6.1.7.6", "7.0.0.alpha1", "7.0.0.rc1", "7.0.0", "7.0.8.1", "7.1.0.beta1", "7.1.0", "7.1.3.4",
	})
	checkPairs(t, RubyGems, []pair{
		{"1.0.0", "1.0.0.a", 1}, {"5.a", "5.0.0.rc2", -1}, {"5.x", "5.0.0.rc2", 1},
		{"1.0.A", "1.0.a", -1}, {"1.8.2.a10", "1.8.2.a9", 1},
	})
	checkEqual(t, RubyGems, [][]string{
		{"1.0", "1.0.0", "1", " 1.0 ", "1.00"},
		{"1.2.b1", "1.2.b.1", "1.2.0.b.1"},
		{"1.0.a", "1.0.a.0", "1.a"},
		{"0.beta.1", "0.0.beta.1"},
		{"1.0.0-rc1", "1.0.0.pre.rc1", "1-rc1", "1.pre.rc.1"},
	})
	checkInvalid(t, RubyGems, []string{"", "junk", "1.0\n2.0", "1..2", "1.2 3.4", "1.2-", "-1", "a.1", "1.0_1"})
}
