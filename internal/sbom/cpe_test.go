package sbom

import "testing"

func TestCheckCPE(t *testing.T) {
	tests := []struct {
		cpe string
		ok  bool
	}{
		{"cpe:2.3:a:apache:log4j:2.14.1:*:*:*:*:*:*:*", true},
		{`cpe:2.3:a:bsdutils:bsdutils:1\:2.36.1-8\+deb11u1:*:*:*:*:*:*:*`, true}, // syft, escaped epoch colon
		{"cpe:2.3:h:nec:univerge_ix2215:-:*:*:*:*:*:*:*", true},
		{"cpe:2.3:*:*:openssl:*:*:*:*:*:*:*:*", true},
		{"cpe:/a:openssl:openssl:3.0.7", true},
		{"cpe:/o:nec:univerge_ix2215_firmware", true},
		{"cpe:2.3:a:openssl:openssl", false},                                  // too few fields
		{"cpe:2.3:a:apache:log4j:2.14.1:*:*:*:*:*:*:*:*", false},              // too many
		{"cpe:2.3:x:apache:log4j:2.14.1:*:*:*:*:*:*:*", false},                // bad part
		{"cpe:2.3:a::log4j:2.14.1:*:*:*:*:*:*:*", false},                      // empty vendor
		{"cpe:2.3:a:apache:log4j:2.14.1:*:*:*:*:*:*:*\\", false},              // lone backslash
		{"cpe:2.3:a:apache:log 4j:2.14.1:*:*:*:*:*:*:*", false},               // whitespace
		{"CPE:2.3:a:apache:log4j:2.14.1:*:*:*:*:*:*:*", false},                // prefix case
		{"cpe:/x:openssl:openssl", false},                                     // bad 2.2 part
		{"cpe:/a:openssl:openssl:3.0.7:update:edition:language:extra", false}, // too many 2.2 components
		{"openssl 3.0.7", false},
		{"", false},
	}
	for _, tt := range tests {
		err := checkCPE(tt.cpe)
		if (err == nil) != tt.ok {
			t.Errorf("checkCPE(%q) = %v, want ok %v", tt.cpe, err, tt.ok)
		}
	}
}
