package auth

import (
	"context"
	"crypto/subtle"
	"errors"
	"regexp"
	"strings"
	"time"

	"mamori"
	"mamori/internal/store"
)

// Lockout. After MaxFailedLogins failures with no more than FailureWindow
// between the first and the last, the account is locked for
// LockoutDuration. Every further failure once the lock has expired locks
// it again for twice as long as the time before, up to MaxLockout, until
// a successful sign-in, or BackoffReset without a failure after the last
// lock, clears the count. Attempts on a locked account are refused without
// being counted, so guessing cannot extend a lock indefinitely. This is
// the rate limiting NIST SP 800-63B-3 §5.2.2 requires of password
// verifiers: online guessing gets a handful of tries per quarter hour,
// while a person who mistypes is back within 15 minutes.
const (
	MaxFailedLogins = 5
	FailureWindow   = 15 * time.Minute
	LockoutDuration = 15 * time.Minute
	MaxLockout      = 24 * time.Hour
	BackoffReset    = 24 * time.Hour
)

// lockFor is how long the n-th consecutive failure (n ≥ MaxFailedLogins) locks.
func lockFor(n int) time.Duration {
	d := LockoutDuration
	for i := MaxFailedLogins; i < n && d < MaxLockout; i++ {
		d *= 2
	}
	return min(d, MaxLockout)
}

// recordFailure counts a failed sign-in at now and locks the account when
// the count reaches MaxFailedLogins.
func recordFailure(u *store.User, now time.Time) {
	switch {
	case u.FailedLogins > 0 && u.FailedLogins < MaxFailedLogins && now.Sub(u.FailedSince) > FailureWindow,
		u.FailedLogins >= MaxFailedLogins && now.Sub(u.LockedUntil) > BackoffReset:
		u.FailedLogins, u.FailedSince, u.LockedUntil = 0, time.Time{}, time.Time{}
	}
	if u.FailedLogins == 0 {
		u.FailedSince = now
	}
	u.FailedLogins++
	if u.FailedLogins >= MaxFailedLogins {
		u.LockedUntil = now.Add(lockFor(u.FailedLogins))
	}
}

func clearFailures(u *store.User) {
	u.FailedLogins, u.FailedSince, u.LockedUntil = 0, time.Time{}, time.Time{}
}

// Locked reports whether the account is locked at now.
func Locked(u store.User, now time.Time) bool { return now.Before(u.LockedUntil) }

// errNoWrite makes UpdateUser roll back when a refused attempt changes nothing.
var errNoWrite = errors.New("auth: nothing to write")

// Authenticate signs name in with password and, when the account has a
// second factor, totpCode: a TOTP code, or one of its recovery codes (each
// usable once). It counts failures and applies the lockout.
//
// Every failure is a mamori.Error of kind Unauthenticated with the same
// message, whatever the reason (unknown user, wrong password or code,
// replayed code, locked or disabled account); the reason is in its Err
// (errors.Is with ErrUnknownUser, ErrLocked…). For an unknown user the
// password is still checked against a dummy hash, so the answer takes
// about as long as for a real one. Two results are not failures:
//   - ErrCodeRequired (kind Unauthenticated): the password was right and
//     totpCode was empty; nothing is counted.
//   - ErrEnrolmentRequired (kind Forbidden): the password was right, but a
//     role requires a second factor that is not enrolled; the user is
//     returned with it, for an enrolment-only session.
func Authenticate(ctx context.Context, st *store.Store, name, password, totpCode string, now time.Time) (store.User, error) {
	stored, err := st.User(ctx, name)
	if err != nil {
		if mamori.KindOf(err) != mamori.NotFound {
			return store.User{}, err
		}
		CheckPassword(dummyHash(), password)
		return store.User{}, signInFailed(ErrUnknownUser)
	}
	ok, err := CheckPassword(stored.PasswordHash, password)
	if err != nil {
		return store.User{}, &mamori.Error{Kind: mamori.Internal, Message: "sign-in: stored password hash unusable",
			MessageJA: "保存されたパスワードハッシュが使えません", Err: err}
	}
	totpCode = strings.TrimSpace(totpCode)
	var out store.User
	var result error
	err = st.UpdateUser(ctx, name, func(u *store.User) error {
		// Decide on the state read under the lock, not the one read
		// before the password check: a concurrent attempt may have locked
		// the account or used the code meanwhile.
		switch {
		case u.Disabled:
			result = signInFailed(ErrDisabled)
			return errNoWrite
		case Locked(*u, now):
			result = signInFailed(ErrLocked)
			return errNoWrite
		case !ok:
			recordFailure(u, now)
			result = signInFailed(ErrBadPassword)
			return nil
		case oneTimeExpired(*u, now):
			result = passwordExpired()
			return errNoWrite
		}
		if u.TOTPEnrolled() {
			if totpCode == "" {
				result = codeRequired()
				return errNoWrite
			}
			if reason := secondFactor(u, totpCode, now); reason != nil {
				recordFailure(u, now)
				result = signInFailed(reason)
				return nil
			}
		} else if RequiresTOTP(*u) {
			clearFailures(u)
			out, result = *u, enrolmentRequired()
			return nil
		}
		clearFailures(u)
		u.LastLoginAt = now
		out = *u
		return nil
	})
	switch {
	case errors.Is(err, errNoWrite):
	case mamori.KindOf(err) == mamori.NotFound: // deleted meanwhile
		return store.User{}, signInFailed(ErrUnknownUser)
	case err != nil:
		return store.User{}, err
	}
	return out, result
}

// secondFactor checks a TOTP or recovery code for u at now, recording its
// use on u, and returns why it failed, or nil.
func secondFactor(u *store.User, code string, now time.Time) error {
	if isTOTPCode(normalizeCode(code)) {
		step, err := ValidateTOTP(u.TOTPSecret, code, now)
		if err != nil {
			return ErrBadCode
		}
		if step <= u.TOTPLastStep {
			return ErrReplayedCode
		}
		u.TOTPLastStep = step
		return nil
	}
	h := hashRecoveryCode(code)
	for i, c := range u.RecoveryCodes {
		if subtle.ConstantTimeCompare([]byte(c.Hash), []byte(h)) == 1 {
			if !c.UsedAt.IsZero() {
				return ErrReplayedCode
			}
			u.RecoveryCodes[i].UsedAt = now
			return nil
		}
	}
	return ErrBadCode
}

// Enrolment is a started TOTP enrolment, to show the user once.
type Enrolment struct {
	Secret string // base32, for typing in by hand
	URL    string // otpauth://
	QRSVG  string // the URL as a QR code
}

// BeginTOTP starts a TOTP enrolment for name: it stores a new key, not yet
// active, and returns it for the authenticator app. Starting again
// replaces an unconfirmed key. An account with a confirmed second factor
// is an error of kind Conflict: it must be reset first (ResetTOTP).
func BeginTOTP(ctx context.Context, st *store.Store, name string) (Enrolment, error) {
	secret, url, err := NewTOTP(name, Issuer)
	if err != nil {
		return Enrolment{}, err
	}
	svg, err := QRSVG(url)
	if err != nil {
		return Enrolment{}, err
	}
	err = st.UpdateUser(ctx, name, func(u *store.User) error {
		if u.TOTPEnrolled() {
			return mamori.Errorf(mamori.Conflict, "利用者「%s」は二要素認証を登録済みです", "user %q: second factor already enrolled", name)
		}
		u.TOTPSecret, u.TOTPEnrolledOn = secret, ""
		return nil
	})
	if err != nil {
		return Enrolment{}, err
	}
	return Enrolment{Secret: secret, URL: url, QRSVG: svg}, nil
}

// ResumeTOTP returns the enrolment in progress: the pending key, not a new
// one, so that reloading the enrolment page (or a browser's stray request
// that lands on it) does not invalidate the key the user is scanning. With
// no key pending it begins one.
func ResumeTOTP(ctx context.Context, st *store.Store, name string) (Enrolment, error) {
	u, err := st.User(ctx, name)
	if err != nil {
		return Enrolment{}, err
	}
	if u.TOTPEnrolled() {
		return Enrolment{}, mamori.Errorf(mamori.Conflict, "利用者「%s」は二要素認証を登録済みです", "user %q: second factor already enrolled", name)
	}
	if u.TOTPSecret == "" {
		return BeginTOTP(ctx, st, name)
	}
	url := totpURL(name, Issuer, u.TOTPSecret)
	svg, err := QRSVG(url)
	if err != nil {
		return Enrolment{}, err
	}
	return Enrolment{Secret: u.TOTPSecret, URL: url, QRSVG: svg}, nil
}

// ConfirmTOTP completes an enrolment with a code from the app, which proves
// the app holds the key, and returns the recovery codes to show once
// (their hashes are stored, and the previous codes are dropped).
func ConfirmTOTP(ctx context.Context, st *store.Store, name, code string, now time.Time) ([]string, error) {
	codes, hashes, err := NewRecoveryCodes()
	if err != nil {
		return nil, err
	}
	err = st.UpdateUser(ctx, name, func(u *store.User) error {
		if u.TOTPSecret == "" || u.TOTPEnrolled() {
			return mamori.Errorf(mamori.Conflict, "利用者「%s」に登録中の二要素認証はありません", "user %q: no second-factor enrolment in progress", name)
		}
		step, err := ValidateTOTP(u.TOTPSecret, code, now)
		if err != nil {
			return err
		}
		if step <= u.TOTPLastStep {
			return badCode()
		}
		u.TOTPLastStep, u.TOTPEnrolledOn = step, now.Format(time.DateOnly)
		u.RecoveryCodes = u.RecoveryCodes[:0]
		for _, h := range hashes {
			u.RecoveryCodes = append(u.RecoveryCodes, store.RecoveryCode{Hash: h})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return codes, nil
}

// ResetTOTP removes the user's second factor and recovery codes (a lost
// phone); the user enrols again at the next sign-in. The last accepted
// step is kept: codes are time-based, so no code of the new key is
// refused because of it.
//
// It ends every session of the account: whoever held one, perhaps with the
// lost phone, signs in and enrols again.
func ResetTOTP(ctx context.Context, st *store.Store, name string) error {
	return st.UpdateUserEnding(ctx, name, store.EndAccess{Sessions: true}, func(u *store.User) error {
		u.TOTPSecret, u.TOTPEnrolledOn, u.RecoveryCodes = "", "", nil
		return nil
	})
}

// SetDisabled disables or re-enables an account. A disabled account cannot
// sign in; nothing is deleted, so that the audit trail keeps its names.
// Disabling ends every session of the account and revokes its API tokens
// (kept, marked revoked): enabling the account again does not bring back
// a token that may have been copied while it was in the wrong hands, and
// the operator issues new ones.
func SetDisabled(ctx context.Context, st *store.Store, name string, disabled bool) error {
	return st.UpdateUserEnding(ctx, name, store.EndAccess{Sessions: disabled, Tokens: disabled}, func(u *store.User) error {
		u.Disabled = disabled
		return nil
	})
}

// Unlock clears the failure count and lock of an account.
func Unlock(ctx context.Context, st *store.Store, name string) error {
	return st.UpdateUser(ctx, name, func(u *store.User) error {
		clearFailures(u)
		return nil
	})
}

// userName is the shape of an account name: a sign-in ID typed on any
// keyboard. The display name carries the person's name in Japanese.
var userName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$`)

// NewUser is an account to create.
type NewUser struct {
	Name, DisplayName, Password string
	Grants                      []store.RoleGrant
	// OneTime: the password was generated and shown to an administrator;
	// the user must choose their own at the first sign-in, within
	// OneTimePasswordTTL, as after a reset.
	OneTime bool
}

// CreateUser checks the name, the password policy and the roles, hashes the
// password and stores the account with its grants. Errors are of kind
// Invalid (bad input), Conflict (the name is taken).
func CreateUser(ctx context.Context, st *store.Store, nu NewUser, now time.Time) error {
	if !userName.MatchString(nu.Name) {
		return mamori.Errorf(mamori.Invalid, "利用者名「%s」は英数字と . _ @ - の64文字以内にしてください",
			"user name %q: use up to 64 letters, digits and . _ @ -", nu.Name)
	}
	if nu.Name == "new" {
		// /admin/users/new is the page that creates accounts.
		return mamori.Errorf(mamori.Invalid, "利用者名「new」は使えません", "user name %q is reserved", nu.Name)
	}
	if err := ValidatePassword(nu.Name, nu.Password); err != nil {
		return err
	}
	for _, g := range nu.Grants {
		if _, err := ParseRole(g.Role); err != nil {
			return err
		}
	}
	hash, err := HashPassword(nu.Password)
	if err != nil {
		return err
	}
	u := store.User{Name: nu.Name, DisplayName: nu.DisplayName, PasswordHash: hash, CreatedAt: now, Grants: nu.Grants}
	if nu.OneTime {
		u.PasswordChangeRequired, u.PasswordExpiresAt = true, now.Add(OneTimePasswordTTL)
	}
	return st.CreateUser(ctx, u)
}

// Grant gives name a role over the organization subtree rooted at org.
func Grant(ctx context.Context, st *store.Store, name string, role Role, org string) error {
	if _, err := ParseRole(string(role)); err != nil {
		return err
	}
	return st.GrantRole(ctx, name, store.RoleGrant{Role: string(role), OrgCode: org})
}
