package oscal

import (
	"crypto/rand"
	"crypto/sha1"
	"encoding/hex"
	"fmt"

	"mamori"
)

// Name-space UUIDs of RFC 4122 (RFC 9562) appendix A, for UUIDv5.
const (
	NamespaceDNS = "6ba7b810-9dad-11d1-80b4-00c04fd430c8"
	NamespaceURL = "6ba7b811-9dad-11d1-80b4-00c04fd430c8"
)

// MamoriUUIDNamespace is the name-space UUID for mamori's deterministic
// UUIDs: UUIDv5(NamespaceURL, MamoriNamespace). Exports derive document,
// observation and finding UUIDs from it and a stable name (for example
// "finding/" + control ID + "/" + target ID), so the same data exports to
// the same bytes.
const MamoriUUIDNamespace = "5cfa6d4e-aff2-54fa-9eb0-7136954c0a96"

// NewUUID returns a random (version 4) UUID from crypto/rand, in the
// lower-case 8-4-4-4-12 form OSCAL's UUID datatype requires.
func NewUUID() string {
	var u [16]byte
	// crypto/rand.Read never returns an error: it crashes the program
	// instead, which is what a UUID generator without entropy should do.
	rand.Read(u[:])
	u[6] = u[6]&0x0f | 0x40 // version 4
	u[8] = u[8]&0x3f | 0x80 // RFC 4122 variant
	return format(u)
}

// UUIDv5 returns the name-based (version 5, SHA-1) UUID of name in the
// given name-space UUID, as RFC 4122 section 4.3 defines it: the same inputs
// always give the same UUID. It panics if namespace is not a UUID, which is
// a programming error: namespaces are constants such as MamoriUUIDNamespace.
func UUIDv5(namespace, name string) string {
	ns, err := parseUUID(namespace)
	if err != nil {
		panic(fmt.Sprintf("oscal: UUIDv5: namespace: %v", err))
	}
	h := sha1.New()
	h.Write(ns[:])
	h.Write([]byte(name))
	var u [16]byte
	copy(u[:], h.Sum(nil))
	u[6] = u[6]&0x0f | 0x50 // version 5
	u[8] = u[8]&0x3f | 0x80 // RFC 4122 variant
	return format(u)
}

func format(u [16]byte) string {
	var b [36]byte
	hex.Encode(b[0:8], u[0:4])
	b[8] = '-'
	hex.Encode(b[9:13], u[4:6])
	b[13] = '-'
	hex.Encode(b[14:18], u[6:8])
	b[18] = '-'
	hex.Encode(b[19:23], u[8:10])
	b[23] = '-'
	hex.Encode(b[24:], u[10:])
	return string(b[:])
}

// parseUUID parses the 8-4-4-4-12 hexadecimal form, in either case.
func parseUUID(s string) ([16]byte, error) {
	var u [16]byte
	if len(s) != 36 || s[8] != '-' || s[13] != '-' || s[18] != '-' || s[23] != '-' {
		return u, fmt.Errorf("%q is not a UUID", mamori.Excerpt(s))
	}
	h := s[0:8] + s[9:13] + s[14:18] + s[19:23] + s[24:]
	if _, err := hex.Decode(u[:], []byte(h)); err != nil {
		return u, fmt.Errorf("%q is not a UUID", mamori.Excerpt(s))
	}
	return u, nil
}
