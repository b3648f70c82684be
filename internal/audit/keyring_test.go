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
	k, err := audit.CreateKeyring(path, 4)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := audit.CreateKeyring(path, 4); err == nil {
		t.Errorf("CreateKeyring over an existing file succeeded")
	}
	if fi, _ := os.Stat(path); runtime.GOOS != "windows" && fi.Mode().Perm() != 0o600 {
		t.Errorf("mode = %04o, want 0600", fi.Mode().Perm())
	}
	loaded, err := audit.LoadKeyring(path)
	if err != nil || loaded.CurrentID() != k.CurrentID() || loaded.KeyedFrom() != 4 {
		t.Fatalf("LoadKeyring = %v, %v; want the key made, keyed from seq 4", loaded, err)
	}
	nk, err := audit.RotateKey(path, 9)
	if err != nil {
		t.Fatal(err)
	}
	rotated, err := audit.LoadKeyring(path)
	if err != nil || rotated.CurrentID() != nk.ID || !rotated.Has(k.CurrentID()) || nk.ID == k.CurrentID() || rotated.KeyedFrom() != 4 {
		t.Fatalf("after RotateKey: current %s, has old %v, keyed from %d, %v; want %s current, the old kept, keyed from 4", rotated.CurrentID(), rotated.Has(k.CurrentID()), rotated.KeyedFrom(), err, nk.ID)
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
		{"seq not a number", good + " x\n", ":1"},
		{"seq zero", good + " 0\n", ":1"},
		{"four fields", good + " 1 2\n", ":1"},
	} {
		p := filepath.Join(t.TempDir(), "k")
		os.WriteFile(p, []byte(tc.text), 0o600)
		_, err := audit.LoadKeyring(p)
		if mamori.KindOf(err) != mamori.Invalid || !strings.Contains(err.Error(), p) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("LoadKeyring(%s) = %v, want an invalid error naming %s and %q", tc.name, err, p, tc.want)
		}
	}
	// A file of an earlier version, whose lines carry no seq, still loads;
	// it does not know from where entries are keyed until a rotation adds
	// a line that does.
	old := filepath.Join(t.TempDir(), "k")
	os.WriteFile(old, []byte(good+"\n"), 0o600)
	if kr, err := audit.LoadKeyring(old); err != nil || kr.KeyedFrom() != 0 {
		t.Errorf("LoadKeyring(two fields) = %v, %v; want loaded, keyed from unknown (0)", kr, err)
	}
	if _, err := audit.RotateKey(old, 12); err != nil {
		t.Fatal(err)
	}
	if kr, err := audit.LoadKeyring(old); err != nil || kr.KeyedFrom() != 12 || !kr.Has(store.AuditKeyID(secret)) {
		t.Errorf("LoadKeyring(two fields, rotated at 12) = %v, %v; want keyed from 12, the old key kept", kr, err)
	}
	if runtime.GOOS != "windows" {
		p := filepath.Join(t.TempDir(), "k")
		os.WriteFile(p, []byte(good+"\n"), 0o640)
		if _, err := audit.LoadKeyring(p); err == nil || !strings.Contains(err.Error(), "0640") {
			t.Errorf("LoadKeyring(mode 0640) = %v, want refused naming the mode", err)
		}
	}
}
