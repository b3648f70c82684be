package version

import "testing"

func TestAPKOrder(t *testing.T) {
	checkAscending(t, APK, []string{
		"1.0_alpha", "1.0_alpha1", "1.0_alpha2", "1.0_beta", "1.0_beta1", "1.0_pre1", "1.0_rc1",
		"1.0", "1.0-r1", "1.0-r2", "1.0-r10", "1.0_cvs", "1.0_svn", "1.0_git20230101",
		"1.0_hg", "1.0_p1", "1.0_p1-r1", "1.0_p2", "1.0a", "1.0b", "1.0.1_alpha", "1.0.1", "1.1",
	})
	checkAscending(t, APK, []string{
		"1.2.3-r0", "1.2.3-r9", "1.2.3-r10", "1.2.9", "1.2.10", "1.2.10-r1", "1.10", "2",
	})
	// Real Alpine packages: openssl, busybox, musl, zlib.
	checkAscending(t, APK, []string{"3.1.4-r0", "3.1.4-r1", "3.1.4-r5", "3.1.5-r0", "3.3.0-r0"})
	checkAscending(t, APK, []string{"1.36.1-r5", "1.36.1-r15", "1.36.1-r29", "1.37.0-r0"})
	checkAscending(t, APK, []string{"1.2.4_git20230717-r4", "1.2.4_git20230717-r5", "1.2.5-r0"})
	checkPairs(t, APK, []pair{
		{"1.0", "1.0", 0}, {"1.0", "1.0-r0", -1}, {"1", "1.0", -1},
		// A dotted part with a leading zero compares as a string.
		{"1.01", "1.1", -1}, {"1.001", "1.01", -1}, {"1.09", "1.1", -1}, {"1.10", "1.09", 1},
		{"1.0", "1.00", -1}, {"01", "1", 0},
		// apk-tools 3's test/unit/version.data.
		{"8.2.0", "8.2.001", -1}, {"8.2.0015", "8.2.002", -1},
		{"2.0_rc1-r0", "2.0-r0", -1}, {"1.0_p1", "1.0-r5", 1},
	})
}

// TestAPKNumberAfterLetter covers versions such as libretls 3.3.3p1-r3
// (Alpine 3.14): apk-tools 2's next_token (src/version.c) lets a digit
// follow the letter (TOKEN_LETTER -> TOKEN_DIGIT) and get_token reads it as
// a plain number, so "p2" < "p10" and "p01" == "p1". Such a number is a
// different kind from a dotted one: "3.3.3p1" < "3.3.3.1" as "3.3.3a" is.
func TestAPKNumberAfterLetter(t *testing.T) {
	checkAscending(t, APK, []string{
		"3.3.3", "3.3.3-r3", "3.3.3a", "3.3.3p", "3.3.3p1", "3.3.3p1-r3", "3.3.3p2", "3.3.3p10",
		"3.3.3p10a", "3.3.3p10.1", "3.3.3.1", "3.3.4",
	})
	checkPairs(t, APK, []pair{
		{"3.3.3p01", "3.3.3p1", 0}, {"3.3.3p1_rc1", "3.3.3p1", -1}, {"3.3.3p1_p1", "3.3.3p1-r9", 1},
	})
}

func TestAPKInvalid(t *testing.T) {
	checkInvalid(t, APK, []string{
		"", " ", "abc", "1.0-foo", "1.0_foo", "1.0A", "1.0-r1.2", "1.2a.3", "1.0-r1a", "v1.0",
		"1.0_alpha_foo", "1.0 1", "1.0-1", "1.0__alpha", "1.0-rr", "1.", "1.0_", "1.0-r",
		"1.0ab", "1.0a.1", "1.0-r1_p1", "1.0-r1-r2", ".1", "1.0_alphax",
	})
}
