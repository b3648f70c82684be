package audit

// The audit keyring file: the HMAC keys of the chain, kept outside the
// database so that someone who can write the database cannot also compute
// a hash that verifies (store.AuditMAC).

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"

	"mamori"
	"mamori/internal/store"
)

// keyringHeader starts a keyring file written by mamori.
const keyringHeader = `# mamori audit keyring. Keep it outside the database, readable by mamori's
# account only (mode 0600), and back it up apart from the database.
# One key a line: its id, the secret in hex and the seq of the first audit
# entry it signs, separated by spaces. The last line signs new audit entries;
# the lines above it verify older ones: never delete them. Every entry at or
# after the smallest seq here must be keyed ("audit verify" reports one
# without a key as downgraded). Rotate with "mamori audit rotate-key".
`

// LoadKeyring reads the keyring file at path. It refuses a file that
// others than its owner may read or write (on systems with Unix modes), a
// file without keys, and a line that is not "id hex-secret [seq]" with id
// the secret's store.AuditKeyID and seq a positive number, naming the file
// and line. seq, the first entry the key signs, is written by this version
// (files of earlier versions have none); the smallest one in the file is
// the keyring's KeyedFrom.
func LoadKeyring(path string) (*store.AuditKeyring, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, keyringErr(path, 0, " を読めません", " cannot be read", err)
	}
	if runtime.GOOS != "windows" {
		fi, err := os.Stat(path)
		if err != nil {
			return nil, keyringErr(path, 0, " を読めません", " cannot be read", err)
		}
		if m := fi.Mode().Perm(); m&0o077 != 0 {
			return nil, mamori.Errorf(mamori.Invalid,
				"監査鍵ファイル %s の権限が %04o です。所有者だけが読めるように chmod 600 してください",
				"audit key file %s has mode %04o: make it readable by its owner only (chmod 600)", path, m)
		}
	}
	var keys []store.AuditKey
	var from int64
	sc := bufio.NewScanner(bytes.NewReader(b))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Fields(line)
		var secret []byte
		var seq int64
		err := errors.New("fields")
		if len(f) == 2 || len(f) == 3 {
			secret, err = hex.DecodeString(f[1])
		}
		if err == nil && len(f) == 3 {
			seq, err = strconv.ParseInt(f[2], 10, 64)
			if err == nil && seq <= 0 {
				err = errors.New("seq")
			}
		}
		if err != nil {
			return nil, keyringErr(path, n, ": 「鍵ID 16進の鍵 [最初に署名する seq]」の形ではありません", `: not "id hex-secret [first-seq]"`, nil)
		}
		keys = append(keys, store.AuditKey{ID: f[0], Secret: secret})
		if _, err := store.NewAuditKeyring(store.AuditKey{ID: f[0], Secret: secret}); err != nil {
			return nil, keyringErr(path, n, "", "", err)
		}
		if seq > 0 && (from == 0 || seq < from) {
			from = seq
		}
	}
	if len(keys) == 0 {
		return nil, keyringErr(path, 0, " に鍵がありません", " holds no key", nil)
	}
	k, err := store.NewAuditKeyring(keys...)
	if err != nil {
		return nil, err
	}
	k.SetKeyedFrom(from)
	return k, nil
}

// keyringErr names the file (and line, when n > 0) of a keyring problem.
func keyringErr(path string, n int, ja, en string, err error) error {
	where := path
	if n > 0 {
		where = fmt.Sprintf("%s:%d", path, n)
	}
	if ja == "" {
		var me *mamori.Error
		if errors.As(err, &me) {
			return &mamori.Error{Kind: mamori.Invalid, MessageJA: "監査鍵ファイル " + where + ": " + me.MessageJA,
				Message: "audit key file " + where + ": " + me.Message}
		}
	}
	return &mamori.Error{Kind: mamori.Invalid, MessageJA: "監査鍵ファイル " + where + ja,
		Message: "audit key file " + where + en, Err: err}
}

// keyLine renders one key as a line of the file, with from, the seq of the
// first entry it signs.
func keyLine(k store.AuditKey, from int64) string {
	return k.ID + " " + hex.EncodeToString(k.Secret) + " " + strconv.FormatInt(from, 10) + "\n"
}

// CreateKeyring writes a new keyring file at path holding one fresh key
// that signs from seq from on (the newest entry's seq + 1), with mode
// 0600, and returns the keyring. It refuses to overwrite a file.
func CreateKeyring(path string, from int64) (*store.AuditKeyring, error) {
	if from <= 0 {
		return nil, fmt.Errorf("audit: create keyring: first seq %d", from)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, keyringErr(path, 0, " を作れません", " cannot be created", err)
	}
	k := store.NewAuditKey()
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, keyringErr(path, 0, " を作れません", " cannot be created", err)
	}
	_, err = f.WriteString(keyringHeader + keyLine(k, from))
	if err = errors.Join(err, f.Sync(), f.Close()); err != nil {
		os.Remove(path)
		return nil, keyringErr(path, 0, " を書けません", " cannot be written", err)
	}
	kr, err := store.NewAuditKeyring(k)
	if err != nil {
		return nil, err
	}
	kr.SetKeyedFrom(from)
	return kr, nil
}

// KeyringExists reports whether the keyring file at path exists.
func KeyringExists(path string) (bool, error) {
	_, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, keyringErr(path, 0, " を読めません", " cannot be read", err)
	}
	return true, nil
}

// RotateKey adds a fresh key to the end of the keyring file at path, so it
// signs the entries from seq from on (the newest entry's seq + 1) while the
// older keys stay to verify the entries they signed, and returns it. The
// file is replaced atomically (written beside it, then renamed) with mode
// 0600. The new line records from, so a key file of an earlier version
// (whose lines have no seq) learns from where entries are keyed.
func RotateKey(path string, from int64) (store.AuditKey, error) {
	if from <= 0 {
		return store.AuditKey{}, fmt.Errorf("audit: rotate key: first seq %d", from)
	}
	if _, err := LoadKeyring(path); err != nil {
		return store.AuditKey{}, err
	}
	old, err := os.ReadFile(path)
	if err != nil {
		return store.AuditKey{}, keyringErr(path, 0, " を読めません", " cannot be read", err)
	}
	if len(old) > 0 && old[len(old)-1] != '\n' {
		old = append(old, '\n')
	}
	k := store.NewAuditKey()
	tmp, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".*")
	if err != nil {
		return store.AuditKey{}, keyringErr(path, 0, " を書けません", " cannot be written", err)
	}
	defer os.Remove(tmp.Name())
	_, err = tmp.Write(append(old, keyLine(k, from)...))
	err = errors.Join(err, tmp.Chmod(0o600), tmp.Sync(), tmp.Close())
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		return store.AuditKey{}, keyringErr(path, 0, " を書けません", " cannot be written", err)
	}
	return k, nil
}
