package oscal

import (
	"fmt"
	"regexp"
	"testing"
)

// oscalUUID is the schema's UUIDDatatype pattern.
var oscalUUID = regexp.MustCompile(`^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[45][0-9A-Fa-f]{3}-[89ABab][0-9A-Fa-f]{3}-[0-9A-Fa-f]{12}$`)

func TestNewUUID(t *testing.T) {
	seen := map[string]bool{}
	for range 1000 {
		u := NewUUID()
		if !oscalUUID.MatchString(u) || u[14] != '4' {
			t.Fatalf("NewUUID() = %q, want a lower-case version 4 UUID", u)
		}
		if seen[u] {
			t.Fatalf("NewUUID() repeated %q", u)
		}
		seen[u] = true
	}
}

func TestUUIDv5(t *testing.T) {
	tests := []struct {
		ns, name, want string
	}{
		// Python: uuid.uuid5(uuid.NAMESPACE_DNS, "python.org"), as in its documentation.
		{NamespaceDNS, "python.org", "886313e1-3b8a-5372-9b90-0c9aee199e5d"},
		// Python: uuid.uuid5(uuid.NAMESPACE_DNS, "日本") (UTF-8 name bytes).
		{NamespaceDNS, "日本", "c545f148-2f1e-5792-8646-ecd64f3bb671"},
		// The namespace may be given in upper case.
		{"6BA7B810-9DAD-11D1-80B4-00C04FD430C8", "python.org", "886313e1-3b8a-5372-9b90-0c9aee199e5d"},
		// mamori's own name space, and a name in it (Python's uuid5 agrees).
		{NamespaceURL, MamoriNamespace, MamoriUUIDNamespace},
		{MamoriUUIDNamespace, "control/REG-01", "b91d5c98-af21-5c2d-bde1-05f41b01213d"},
	}
	for _, tt := range tests {
		if got := UUIDv5(tt.ns, tt.name); got != tt.want {
			t.Errorf("UUIDv5(%q, %q) = %q, want %q", tt.ns, tt.name, got, tt.want)
		}
		if got := UUIDv5(tt.ns, tt.name); !oscalUUID.MatchString(got) {
			t.Errorf("UUIDv5(%q, %q) = %q does not match OSCAL's UUID pattern", tt.ns, tt.name, got)
		}
	}
	if UUIDv5(MamoriUUIDNamespace, "a") == UUIDv5(MamoriUUIDNamespace, "b") {
		t.Error("UUIDv5 gave the same UUID for different names")
	}
}

func TestUUIDv5BadNamespace(t *testing.T) {
	for _, ns := range []string{"", "mamori", "6ba7b810-9dad-11d1-80b4-00c04fd430cZ", "6ba7b810x9dad-11d1-80b4-00c04fd430c8"} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("UUIDv5(%q, ...) did not panic", ns)
				}
			}()
			UUIDv5(ns, "x")
		}()
	}
}

func ExampleUUIDv5() {
	// The same control and target always give the same finding UUID, so a
	// re-export of unchanged data is byte-for-byte the same.
	fmt.Println(UUIDv5(MamoriUUIDNamespace, "control/REG-01"))
	// Output: b91d5c98-af21-5c2d-bde1-05f41b01213d
}
