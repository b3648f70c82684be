package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"sync"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"

	"mamori"
)

// The argon2id parameters for new hashes: OWASP's Password Storage Cheat
// Sheet's first recommendation (m=19 MiB, t=2, p=1). RFC 9106's second
// recommended option (64 MiB, t=3) costs about four times as much per
// attempt, and a sign-in burst on the two-core servers ministries run
// mamori on would queue behind it; 19 MiB still makes a GPU attack
// memory-bound. Hashes keep their parameters, so raising these later only
// affects new hashes (see NeedsRehash).
const (
	argonTime    = 2
	argonMemory  = 19 * 1024 // KiB
	argonThreads = 1
	argonSaltLen = 16
	argonKeyLen  = 32
)

// Bounds on the parameters CheckPassword accepts from a stored hash, so that
// a corrupted or planted hash cannot make a sign-in allocate gigabytes.
const (
	maxArgonTime    = 16
	maxArgonMemory  = 1 << 20 // KiB: 1 GiB
	maxArgonThreads = 16
)

// Password policy.
const (
	MinPasswordLen = 12   // characters
	MaxPasswordLen = 1024 // bytes: argon2 reads all of it
)

// b64 is strict: one hash has one spelling.
var b64 = base64.RawStdEncoding.Strict()

// argonHash is a decoded PHC string.
type argonHash struct {
	time, memory uint32
	threads      uint8
	salt, key    []byte
}

func (h argonHash) String() string {
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, h.memory, h.time, h.threads,
		b64.EncodeToString(h.salt), b64.EncodeToString(h.key))
}

// HashPassword hashes pw with argon2id and a random salt, in the PHC string
// format "$argon2id$v=19$m=19456,t=2,p=1$salt$hash" (unpadded base64).
func HashPassword(pw string) (string, error) {
	if len(pw) > MaxPasswordLen {
		return "", tooLong()
	}
	salt := make([]byte, argonSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("auth: salt: %w", err)
	}
	h := argonHash{time: argonTime, memory: argonMemory, threads: argonThreads, salt: salt}
	h.key = make([]byte, argonKeyLen) // argonKey derives as many bytes as h.key holds
	h.key = argonKey(pw, h)
	return h.String(), nil
}

// argonKey derives the key for pw with h's parameters, salt and key length.
func argonKey(pw string, h argonHash) []byte {
	return argon2.IDKey([]byte(pw), h.salt, h.time, h.memory, h.threads, uint32(len(h.key)))
}

var errHashFormat = errors.New("auth: password hash: not an argon2id PHC string")

// decodeHash parses a PHC argon2id string and checks its parameters
// against the bounds.
func decodeHash(s string) (argonHash, error) {
	parts := strings.Split(s, "$")
	// "", "argon2id", "v=19", "m=…,t=…,p=…", salt, key
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return argonHash{}, errHashFormat
	}
	var v int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &v); err != nil || parts[2] != fmt.Sprintf("v=%d", v) || v != argon2.Version {
		return argonHash{}, fmt.Errorf("%w: version %q", errHashFormat, parts[2])
	}
	var h argonHash
	var m, t, p uint64
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil || parts[3] != fmt.Sprintf("m=%d,t=%d,p=%d", m, t, p) {
		return argonHash{}, fmt.Errorf("%w: parameters %q", errHashFormat, parts[3])
	}
	if t < 1 || t > maxArgonTime || p < 1 || p > maxArgonThreads || m < 8*p || m > maxArgonMemory {
		return argonHash{}, fmt.Errorf("%w: parameters %q out of bounds", errHashFormat, parts[3])
	}
	h.time, h.memory, h.threads = uint32(t), uint32(m), uint8(p)
	var err error
	// Go's base64 decoder skips CR and LF, so the salt and key must also
	// encode back to exactly what was stored: one hash, one spelling.
	if h.salt, err = b64.DecodeString(parts[4]); err != nil || len(h.salt) < 8 || len(h.salt) > 64 || b64.EncodeToString(h.salt) != parts[4] {
		return argonHash{}, fmt.Errorf("%w: salt", errHashFormat)
	}
	if h.key, err = b64.DecodeString(parts[5]); err != nil || len(h.key) < 16 || len(h.key) > 128 || b64.EncodeToString(h.key) != parts[5] {
		return argonHash{}, fmt.Errorf("%w: hash", errHashFormat)
	}
	return h, nil
}

// CheckPassword reports whether pw matches hash, comparing in constant
// time. The parameters come from the hash itself, so hashes made with
// older parameters still verify. A malformed hash is an error.
func CheckPassword(hash, pw string) (bool, error) {
	h, err := decodeHash(hash)
	if err != nil {
		return false, err
	}
	if len(pw) > MaxPasswordLen {
		return false, nil
	}
	key := argonKey(pw, h)
	return subtle.ConstantTimeCompare(key, h.key) == 1, nil
}

// NeedsRehash reports whether hash was made with other parameters than
// HashPassword uses now: sign-in can then store a fresh hash.
func NeedsRehash(hash string) bool {
	h, err := decodeHash(hash)
	return err != nil || h.time != argonTime || h.memory != argonMemory || h.threads != argonThreads ||
		len(h.salt) != argonSaltLen || len(h.key) != argonKeyLen
}

// dummyHash is verified for unknown users, so that a sign-in takes as long
// whether or not the name exists.
var dummyHash = sync.OnceValue(func() string {
	h, err := HashPassword("mamori-dummy-password-for-timing")
	if err != nil {
		panic(err) // only a broken random source gets here
	}
	return h
})

func tooLong() error {
	return mamori.Errorf(mamori.Invalid, "パスワードは %d バイト以内にしてください", "password: longer than %d bytes", MaxPasswordLen)
}

// ValidatePassword applies the password policy for user name: at least
// MinPasswordLen characters, at most MaxPasswordLen bytes, and not the user
// name itself (in any letter case). Errors are of kind Invalid.
func ValidatePassword(name, pw string) error {
	switch {
	case utf8.RuneCountInString(pw) < MinPasswordLen:
		return mamori.Errorf(mamori.Invalid, "パスワードは %d 文字以上にしてください", "password: shorter than %d characters", MinPasswordLen)
	case len(pw) > MaxPasswordLen:
		return tooLong()
	case strings.EqualFold(strings.TrimSpace(pw), strings.TrimSpace(name)):
		return mamori.Errorf(mamori.Invalid, "パスワードに利用者名をそのまま使うことはできません", "password: must not be the user name")
	}
	return nil
}

// GeneratePassword returns a random password of 20 characters from an
// alphabet without look-alikes (no 0/O, 1/l/I), over 116 bits: it is read
// from a screen once and typed by hand.
func GeneratePassword() string {
	const alphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	b := make([]byte, 20)
	for i := range b {
		b[i] = alphabet[randIntn(len(alphabet))]
	}
	return string(b)
}
