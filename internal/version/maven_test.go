package version

import "testing"

// The cases below come from Maven's ComparableVersionTest.
func TestMavenOrder(t *testing.T) {
	checkAscending(t, Maven, []string{
		"1-alpha2snapshot", "1-alpha2", "1-alpha-123", "1-beta-2", "1-beta123", "1-m2", "1-m11",
		"1-rc", "1-cr2", "1-rc123", "1-SNAPSHOT", "1", "1-sp", "1-sp2", "1-sp123", "1-abc",
		"1-def", "1-pom-1", "1-1-snapshot", "1-1", "1-2", "1-123",
	})
	checkAscending(t, Maven, []string{
		"2.0", "2.0.a", "2-1", "2.0.2", "2.0.123", "2.1.0", "2.1-a", "2.1b", "2.1-c", "2.1-1",
		"2.1.0.1", "2.2", "2.123", "11.a2", "11.a11", "11.b2", "11.b11", "11.m2", "11.m11",
		"11", "11.a", "11b", "11c", "11m",
	})
	checkPairs(t, Maven, []pair{
		{"1", "2", -1}, {"1.5", "2", -1}, {"1", "2.5", -1}, {"1.0", "1.1", -1}, {"1.1", "1.2", -1},
		{"1.0.0", "1.1", -1}, {"1.0.1", "1.1", -1}, {"1.1", "1.2.0", -1},
		{"1.0-alpha-1", "1.0", -1}, {"1.0-alpha-1", "1.0-alpha-2", -1}, {"1.0-alpha-1", "1.0-beta-1", -1},
		{"1.0-beta-1", "1.0-SNAPSHOT", -1}, {"1.0-SNAPSHOT", "1.0", -1}, {"1.0-alpha-1-SNAPSHOT", "1.0-alpha-1", -1},
		{"1.0", "1.0-1", -1}, {"1.0-1", "1.0-2", -1}, {"1.0.0", "1.0-1", -1},
		{"2.0-1", "2.0.1", -1}, {"2.0.1-klm", "2.0.1-lmn", -1}, {"2.0.1", "2.0.1-xyz", -1},
		{"2.0.1", "2.0.1-123", -1}, {"2.0.1-xyz", "2.0.1-123", -1},
		// MNG-5568: an edge case that once broke transitivity.
		{"6.1.0rc3", "6.1.0", -1}, {"6.1.0", "6.1H.5-beta", -1}, {"6.1.0rc3", "6.1H.5-beta", -1},
		// MNG-6572: numbers beyond 32 and 64 bits.
		{"20190126.230843", "1234567890.12345", -1}, {"1234567890123456789012345678901", "1234567890123456789012345678902", -1},
		// Real Maven Central versions.
		{"2.14.1", "2.15.0-rc1", -1}, {"2.15.0-rc1", "2.15.0", -1}, {"2.17.0", "2.17.1", -1},
		{"5.3.18", "5.3.20", -1}, {"9.4.44.v20210927", "9.4.45.v20220203", -1},
		{"1.2.3.Final", "1.2.3", 0}, {"5.2.0.RELEASE", "5.2.0", 0}, {"31.0.1-jre", "31.1-jre", -1},
	})
}

func TestMavenEqual(t *testing.T) {
	checkEqual(t, Maven, [][]string{
		{"1", "1.0", "1.0.0", "1-0", "1.0-0", "1ga", "1final", "1GA", "1Final", "1FINAL", "1.release"},
		{"1a", "1.0-a", "1.0.0-a"},
		{"1.0a", "1.0.a"},
		{"1x", "1-x", "1.0-x", "1.0.0-x"},
		{"1cr", "1rc", "1Cr", "1Rc", "1cR"},
		{"1a1", "1alpha1", "1-alpha-1", "1.alpha1"},
		{"1b2", "1beta2", "1B2"},
		{"1m3", "1milestone3", "1Milestone3", "1MILESTONE3"},
		{"1-abcdefghijklmnopqrstuvwxyz", "1-ABCDEFGHIJKLMNOPQRSTUVWXYZ"},
	})
	checkInvalid(t, Maven, []string{"", "  "})
}

// TestMavenMNG7644 is ComparableVersionTest.testMng7644 of Maven 3.9: a
// qualifier after "." is read as after "-" when a digit follows it or it
// ends the version.
func TestMavenMNG7644(t *testing.T) {
	for _, x := range []string{"abc", "alpha", "a", "beta", "b", "def", "milestone", "m", "RC"} {
		checkPairs(t, Maven, []pair{
			{"1.0.0." + x + "1", "1.0.0-" + x + "2", -1},
			{"2-" + x, "2.0." + x, 0}, {"2-" + x, "2.0.0." + x, 0}, {"2.0." + x, "2.0.0." + x, 0},
		})
	}
	// Real versions: Hibernate's and JBoss's ".Alpha2" and ".CR2" are
	// pre-releases of 1.0.0, below "1-1" and "1.0-SP4".
	checkAscending(t, Maven, []string{"1.0.0.Alpha2", "1.0.0.Beta1", "1.0.0-M8", "1.0.0.CR2", "1", "1.0-SP4", "1-1"})
}

func TestMavenIntransitiveLikeMaven(t *testing.T) {
	// ComparableVersion gives exactly these answers; see checkProperties.
	checkPairs(t, Maven, []pair{{"A", "0rC", -1}, {"0rC", "0", -1}, {"A", "0", 1}})
}
