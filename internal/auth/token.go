package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"time"

	"mamori"
	"mamori/internal/store"
)

// API token scopes.
const (
	ScopeRead  = "read"
	ScopeWrite = "write"
)

// TokenPrefix starts every API token secret, so that secret scanners and
// people recognise one in a log or a commit.
const TokenPrefix = "mmr_"

// MaxTokenTTL bounds a token's lifetime: a token is a password that never
// asks for a second factor, so it must expire.
const MaxTokenTTL = 366 * 24 * time.Hour

var tokenEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// hashToken is the stored form of a secret. A plain SHA-256 is enough: the
// secret is 256 random bits, which no search can reach.
func hashToken(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// TokenID is the public identifier of a token (for listing and revoking):
// the first 12 hex digits of its hash, which reveal nothing of the secret.
func TokenID(secret string) string { return hashToken(secret)[:12] }

// ParseScopes reads scopes separated by spaces or commas; each must be
// read or write. The result is sorted and without duplicates.
func ParseScopes(s string) ([]string, error) {
	fields := strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == ',' })
	if len(fields) == 0 {
		return nil, mamori.Errorf(mamori.Invalid, "スコープを指定してください（read, write）", "scope: none given (read, write)")
	}
	for _, f := range fields {
		if f != ScopeRead && f != ScopeWrite {
			return nil, mamori.Errorf(mamori.Invalid, "スコープ「%s」はありません（read, write）", "scope: unknown scope %q (read, write)", f)
		}
	}
	slices.Sort(fields)
	return slices.Compact(fields), nil
}

// HasScope reports whether scopes allow want. Write includes read: a
// client that changes records must be able to see them.
func HasScope(scopes []string, want string) bool {
	return slices.Contains(scopes, want) || (want == ScopeRead && slices.Contains(scopes, ScopeWrite))
}

// IssueToken creates an API token for user, named name, with scopes, valid
// for ttl from now, and returns its secret: "mmr_" and 32 random bytes in
// base32. Only its hash is stored; the secret cannot be shown again.
func IssueToken(ctx context.Context, st *store.Store, user, name string, scopes []string, ttl time.Duration) (string, error) {
	if strings.TrimSpace(name) == "" {
		return "", mamori.Errorf(mamori.Invalid, "トークン名を指定してください", "token name: empty")
	}
	if ttl <= 0 || ttl > MaxTokenTTL {
		return "", mamori.Errorf(mamori.Invalid, "有効期間は0より長く %s 以内にしてください", "ttl: must be positive and at most %s", MaxTokenTTL)
	}
	sc, err := ParseScopes(strings.Join(scopes, " "))
	if err != nil {
		return "", err
	}
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("auth: token: %w", err)
	}
	secret := TokenPrefix + tokenEncoding.EncodeToString(b)
	now := time.Now()
	err = st.CreateToken(ctx, store.APIToken{ID: TokenID(secret), UserName: user, Name: name, Hash: hashToken(secret),
		Scopes: strings.Join(sc, " "), ExpiresAt: now.Add(ttl), CreatedAt: now})
	if err != nil {
		return "", err
	}
	return secret, nil
}

// CheckToken returns the user and scopes of an API token secret at now,
// and records the use. Unknown, expired and revoked tokens, and tokens of
// disabled users, are refused with one error of kind Unauthenticated whose
// Err tells which (ErrBadToken, ErrTokenExpired, ErrTokenRevoked, ErrDisabled).
func CheckToken(ctx context.Context, st *store.Store, secret string, now time.Time) (store.User, []string, error) {
	if !strings.HasPrefix(secret, TokenPrefix) {
		return store.User{}, nil, badToken(ErrBadToken)
	}
	t, err := st.TokenByHash(ctx, hashToken(secret))
	if err != nil {
		if mamori.KindOf(err) == mamori.NotFound {
			return store.User{}, nil, badToken(ErrBadToken)
		}
		return store.User{}, nil, err
	}
	switch {
	case t.Revoked:
		return store.User{}, nil, badToken(ErrTokenRevoked)
	case !now.Before(t.ExpiresAt):
		return store.User{}, nil, badToken(ErrTokenExpired)
	}
	u, err := st.User(ctx, t.UserName)
	if err != nil {
		return store.User{}, nil, err
	}
	if u.Disabled {
		return store.User{}, nil, badToken(ErrDisabled)
	}
	if err := st.TouchToken(ctx, t.ID, now); err != nil {
		return store.User{}, nil, err
	}
	return u, strings.Fields(t.Scopes), nil
}

// RevokeToken revokes the token with the given ID (see TokenID).
func RevokeToken(ctx context.Context, st *store.Store, id string) error {
	return st.RevokeToken(ctx, id)
}
