package jvn

import "testing"

func TestCPE22To23(t *testing.T) {
	tests := map[string]string{
		"cpe:/a:lg:simple_editor":      "cpe:2.3:a:lg:simple_editor:*:*:*:*:*:*:*:*",
		"cpe:/o:contiki-ng:contiki-ng": "cpe:2.3:o:contiki-ng:contiki-ng:*:*:*:*:*:*:*:*",
		"cpe:/a:rockwellautomation:industrial_data_center_%28idc%29_with_veeam": `cpe:2.3:a:rockwellautomation:industrial_data_center_\(idc\)_with_veeam:*:*:*:*:*:*:*:*`,
		"cpe:/a:apache:tomcat:5.5.25":                                           "cpe:2.3:a:apache:tomcat:5.5.25:*:*:*:*:*:*:*",
		"cpe:/h:cisco:rv320":                                                    "cpe:2.3:h:cisco:rv320:*:*:*:*:*:*:*:*",
		// Upper case is folded; "-" stays NA; empty components are ANY.
		"CPE:/A:Microsoft:Internet_Explorer:8::-:ja": "cpe:2.3:a:microsoft:internet_explorer:8:*:-:ja:*:*:*:*",
		// NISTIR 7695 example 6.1.3.5-style: escaped characters and a packed edition.
		"cpe:/a:hp:insight_diagnostics:7.4.0.1570:-:~~online~win2003~x64~": "cpe:2.3:a:hp:insight_diagnostics:7.4.0.1570:-:*:*:online:win2003:x64:*",
		"cpe:/a:foo%5cbar:big%24money_manager_2010":                        `cpe:2.3:a:foo\\bar:big\$money_manager_2010:*:*:*:*:*:*:*:*`,
		"cpe:/a:microsoft:visual_c%2b%2b:2008":                             `cpe:2.3:a:microsoft:visual_c\+\+:2008:*:*:*:*:*:*:*`,
		"cpe:/a:sun:jre:1.6.0:update_10":                                   "cpe:2.3:a:sun:jre:1.6.0:update_10:*:*:*:*:*:*",
		"cpe:/a:example:wild%02":                                           "cpe:2.3:a:example:wild*:*:*:*:*:*:*:*:*",
		"cpe:/a:example:trailing~tilde":                                    `cpe:2.3:a:example:trailing\~tilde:*:*:*:*:*:*:*:*`,
		"cpe:/":                                                            "cpe:2.3:*:*:*:*:*:*:*:*:*:*:*",
	}
	for in, want := range tests {
		got, err := cpe22To23(in)
		if err != nil {
			t.Errorf("cpe22To23(%q): %v", in, err)
			continue
		}
		if got != want {
			t.Errorf("cpe22To23(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCPE22To23Errors(t *testing.T) {
	for _, in := range []string{
		"",
		"cpe:2.3:a:lg:simple_editor:*:*:*:*:*:*:*:*",
		"a:lg:simple_editor",
		"cpe:/x:lg:simple_editor",               // bad part
		"cpe:/a:lg:editor:1:2:3:4:5",            // too many components
		"cpe:/a:lg:editor%2",                    // truncated escape
		"cpe:/a:lg:editor%zz",                   // bad escape
		"cpe:/a:lg:ed%01itor",                   // embedded wildcard
		"cpe:/a:lg:simple editor",               // space
		"cpe:/a:lg:エディタ",                        // not ASCII
		"cpe:/a:lg:editor%00",                   // control character
		"cpe:/a:hp:diag:7.4:-:~online~win2003~", // packed edition with too few fields
	} {
		if got, err := cpe22To23(in); err == nil {
			t.Errorf("cpe22To23(%q) = %q, want an error", in, got)
		}
	}
}
