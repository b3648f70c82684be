package version

import "testing"

func TestComposerOrder(t *testing.T) {
	checkAscending(t, Composer, []string{
		"1.0.0-dev", "1.0.0-alpha", "1.0.0-alpha1", "1.0.0-alpha2", "1.0.0-beta1-dev", "1.0.0-beta1",
		"1.0.0-beta.2", "1.0.0-RC1", "1.0.0-RC2", "1.0.0", "1.0.0-patch1", "1.0.0-p2", "1.0.0.1",
		"1.0.1", "1.0.10", "1.1", "2.1.5", "2.1.x-dev", "2.2.0",
	})
	// Real Packagist releases: laravel/framework and symfony/http-kernel.
	checkAscending(t, Composer, []string{"v8.83.27", "v9.0.0-beta.1", "v9.0.0", "v9.52.16", "v10.48.29", "v11.0.0"})
	checkAscending(t, Composer, []string{"v5.4.19", "v5.4.20", "v6.0.0-BETA1", "v6.0.0-RC1", "v6.0.0", "v6.4.0"})
	checkEqual(t, Composer, [][]string{
		{"1.0.0", "v1.0.0", "1.0", "1", "1.0.0.0", "1.0.0+build.1", "1.0.0-stable", "V1.0.0"},
		{"1.0.0-b2", "1.0.0-beta2", "1.0.0beta.2", "1.0.0-BETA2", "1.0.0.beta2"},
		{"1.0.0-pl1", "1.0.0-p1", "1.0.0-patch1", "1.0.0patch1"},
		{"1.0.0-a1", "1.0.0-alpha1", "1.0.0alpha1"},
		{"2.1.x-dev", "2.1.*-dev", "2.1.9999999.9999999-dev"},
	})
	checkInvalid(t, Composer, []string{"", "dev-main", "dev-master", "1.0.0-foo", "abc", "1.0.0.0.0", ">=1.0", "^1.2"})
}
