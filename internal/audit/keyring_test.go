package audit_test

import (
	"encoding/hex"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"mamori"
	"mamori/internal/audit"
	"mamori/internal/store"
)

// TestKeyring: a keyring file is made with one key and mode 0600, rotated
// by adding a key that becomes current while the old one stays, and
// refused, naming the file and line, when a line is not a key.
func TestKeyring(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "audit-key")
	k, err := audit.CreateKeyring(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := audit.CreateKeyring(path); err == nil {
		t.Errorf("CreateKeyring over an existing file succeeded")
	}
	if fi, _ := os.Stat(path); runtime.GOOS != "windows" && fi.Mode().Perm() != 0o600 {
		t.Errorf("mode = %04o, want 0600", fi.Mode().Perm())
	}
	loaded, err := audit.LoadKeyring(path)
	if err != nil || loaded.CurrentID() != k.CurrentID() {
		t.Fatalf("LoadKeyring = %v, %v; want the key made", loaded, err)
	}
	nk, err := audit.RotateKey(path)
	if err != nil {
		t.Fatal(err)
	}
	rotated, err := audit.LoadKeyring(path)
	if err != nil || rotated.CurrentID() != nk.ID || !rotated.Has(k.CurrentID()) || nk.ID == k.CurrentID() {
		t.Fatalf("after RotateKey: current %s, has old %v, %v; want %s current and the old kept", rotated.CurrentID(), rotated.Has(k.CurrentID()), err, nk.ID)
	}
	if fi, _ := os.Stat(path); runtime.GOOS != "windows" && fi.Mode().Perm() != 0o600 {
		t.Errorf("mode after rotation = %04o, want 0600", fi.Mode().Perm())
	}

	secret := []byte(strings.Repeat("s", 32))
	good := store.AuditKeyID(secret) + " " + hex.EncodeToString(secret)
	for _, tc := range []struct {
		name, text, want string
	}{
		{"not hex", "# comment\n" + store.AuditKeyID(secret) + " zz\n", ":2"},
		{"one field", "abc\n", ":1"},
		{"wrong id", "0000000000000000 " + hex.EncodeToString(secret) + "\n", "0000000000000000"},
		{"short", store.AuditKeyID([]byte("short")) + " " + hex.EncodeToString([]byte("short")) + "\n", "too short"},
		{"empty", "# only a comment\n", "no key"},
		{"good then bad", good + "\nx y\n", ":2"},
	} {
		p := filepath.Join(t.TempDir(), "k")
		os.WriteFile(p, []byte(tc.text), 0o600)
		_, err := audit.LoadKeyring(p)
		if mamori.KindOf(err) != mamori.Invalid || !strings.Contains(err.Error(), p) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("LoadKeyring(%s) = %v, want an invalid error naming %s and %q", tc.name, err, p, tc.want)
		}
	}
	if runtime.GOOS != "windows" {
		p := filepath.Join(t.TempDir(), "k")
		os.WriteFile(p, []byte(good+"\n"), 0o640)
		if _, err := audit.LoadKeyring(p); err == nil || !strings.Contains(err.Error(), "0640") {
			t.Errorf("LoadKeyring(mode 0640) = %v, want refused naming the mode", err)
		}
	}
}
