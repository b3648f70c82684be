package auth

import (
	"errors"
	"regexp"
	"strings"
	"testing"

	"mamori"
)

func TestHashAndCheckPassword(t *testing.T) {
	const pw = "correct horse battery staple"
	hash, err := HashPassword(pw)
	if err != nil {
		t.Fatal(err)
	}
	phc := regexp.MustCompile(`^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$`)
	if !phc.MatchString(hash) {
		t.Errorf("HashPassword = %q, not a PHC argon2id string with the documented parameters", hash)
	}
	if again, _ := HashPassword(pw); again == hash {
		t.Errorf("two hashes of one password are equal: the salt is not random")
	}
	for _, tc := range []struct {
		pw   string
		want bool
	}{
		{pw, true},
		{"correct horse battery stapl", false},
		{"Correct horse battery staple", false},
		{"", false},
		{strings.Repeat("x", MaxPasswordLen+1), false},
	} {
		if got, err := CheckPassword(hash, tc.pw); got != tc.want || err != nil {
			t.Errorf("CheckPassword(hash, %.30q) = %v, %v; want %v", tc.pw, got, err, tc.want)
		}
	}
	if NeedsRehash(hash) {
		t.Errorf("NeedsRehash(fresh hash) = true")
	}
}

// TestCheckPasswordOtherParameters: a hash made with other (cheaper)
// parameters still verifies, and is flagged for rehashing.
func TestCheckPasswordOtherParameters(t *testing.T) {
	h := argonHash{time: 1, memory: 64, threads: 2, salt: []byte("0123456789abcdef")}
	h.key = []byte("wrong key, 32 bytes long........")
	if ok, err := CheckPassword(h.String(), "pw"); ok || err != nil {
		t.Errorf("CheckPassword(wrong key) = %v, %v", ok, err)
	}
	good, _ := decodeHash(h.String())
	good.key = argonKey("pw", good)
	if ok, err := CheckPassword(good.String(), "pw"); !ok || err != nil {
		t.Errorf("CheckPassword(cheap hash) = %v, %v; want true", ok, err)
	}
	if !NeedsRehash(good.String()) {
		t.Errorf("NeedsRehash(cheap hash) = false")
	}
}

func TestDecodeHashRejects(t *testing.T) {
	salt, key := "MDEyMzQ1Njc4OWFiY2RlZg", "d3Jvbmcga2V5LCAzMiBieXRlcyBsb25nLi4uLi4uLi4"
	for _, bad := range []string{
		"",
		"plaintext",
		"$argon2i$v=19$m=64,t=1,p=1$" + salt + "$" + key,
		"$argon2id$v=16$m=64,t=1,p=1$" + salt + "$" + key,
		"$argon2id$v=19$m=64,t=0,p=1$" + salt + "$" + key,
		"$argon2id$v=19$m=64,t=1,p=0$" + salt + "$" + key,
		"$argon2id$v=19$m=4,t=1,p=1$" + salt + "$" + key,
		"$argon2id$v=19$m=99999999,t=1,p=1$" + salt + "$" + key,
		"$argon2id$v=19$m=64,t=99,p=1$" + salt + "$" + key,
		"$argon2id$v=19$m=64,t=1,p=1,x=2$" + salt + "$" + key,
		"$argon2id$v=19$m=+64,t=1,p=1$" + salt + "$" + key,
		"$argon2id$v=19$m=64,t=1,p=1$" + salt + "=$" + key,
		"$argon2id$v=19$m=64,t=1,p=1$" + salt + "$" + key + "$",
		"$argon2id$v=19$m=64,t=1,p=1$$" + key,
		"$argon2id$v=19$m=64,t=1,p=1$" + salt + "$AAAA",
	} {
		if _, err := decodeHash(bad); err == nil {
			t.Errorf("decodeHash(%q) = nil error", bad)
		}
		if ok, err := CheckPassword(bad, "pw"); ok || err == nil {
			t.Errorf("CheckPassword(%q) = %v, %v; want an error", bad, ok, err)
		}
	}
}

// FuzzDecodeHash: the parser never panics, and what it accepts is within
// the bounds and encodes back to the same string.
func FuzzDecodeHash(f *testing.F) {
	f.Add("$argon2id$v=19$m=19456,t=2,p=1$MDEyMzQ1Njc4OWFiY2RlZg$d3Jvbmcga2V5LCAzMiBieXRlcyBsb25nLi4uLi4uLi4")
	f.Add("$argon2id$v=19$m=64,t=1,p=1$$")
	f.Add("$argon2id$v=19$m=1,t=1,p=1$AA$AA")
	f.Fuzz(func(t *testing.T, s string) {
		h, err := decodeHash(s)
		if err != nil {
			return
		}
		if h.time < 1 || h.time > maxArgonTime || h.threads < 1 || h.memory > maxArgonMemory {
			t.Errorf("decodeHash(%q) accepted out-of-bounds %+v", s, h)
		}
		if h.String() != s {
			t.Errorf("decodeHash(%q).String() = %q", s, h.String())
		}
	})
}

func TestValidatePassword(t *testing.T) {
	for _, tc := range []struct {
		name, pw string
		ok       bool
	}{
		{"sato", "correct horse", true},
		{"sato", "short", false},
		{"sato", "elevenchars", false},
		{"sato", "パスワードは十二文字以上です", true}, // characters, not bytes
		{"sato", "パスワード五文字", false},
		{"administrator", "Administrator", false},
		{"administrator1", " administrator1 ", false},
		{"sato", strings.Repeat("x", MaxPasswordLen+1), false},
	} {
		err := ValidatePassword(tc.name, tc.pw)
		if (err == nil) != tc.ok {
			t.Errorf("ValidatePassword(%q, %.20q) = %v, want ok %v", tc.name, tc.pw, err, tc.ok)
		}
		var me *mamori.Error
		if err != nil && (!errors.As(err, &me) || me.Kind != mamori.Invalid || me.MessageJA == "" || !strings.HasPrefix(me.Message, "password")) {
			t.Errorf("ValidatePassword(%q, %.20q) = %#v, want a bilingual Invalid error naming the password", tc.name, tc.pw, err)
		}
	}
}

func TestGeneratePassword(t *testing.T) {
	a, b := GeneratePassword(), GeneratePassword()
	if a == b || len(a) != 20 || ValidatePassword("x", a) != nil || strings.ContainsAny(a, "0O1lI") {
		t.Errorf("GeneratePassword = %q, %q", a, b)
	}
}
