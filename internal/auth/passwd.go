package auth

import (
	"context"
	"errors"
	"time"

	"mamori"
	"mamori/internal/store"
)

// OneTimePasswordTTL is how long a password set by an administrator's
// reset signs in: long enough to reach a user over a weekend, short
// enough that a password read off a screen or a note does not stay usable.
const OneTimePasswordTTL = 72 * time.Hour

// oneTimeExpired reports whether u's password is a one-time password that
// has expired at now.
func oneTimeExpired(u store.User, now time.Time) bool {
	return u.PasswordChangeRequired && !u.PasswordExpiresAt.IsZero() && !now.Before(u.PasswordExpiresAt)
}

// ChangePassword sets the user's own password, given the current one. A
// wrong current password is counted like a failed sign-in (so a stolen
// session cannot guess it faster than the sign-in page can), and a locked
// or disabled account is refused, both as kind Unauthenticated; an expired
// one-time password is ErrPasswordExpired. The new password follows the
// policy and differs from the current one (kind Invalid). The change
// clears a one-time password's state and ends every session of the
// account: the caller opens a new one for the person who changed it.
func ChangePassword(ctx context.Context, st *store.Store, name, current, next string, now time.Time) error {
	if err := ValidatePassword(name, next); err != nil {
		return err
	}
	if current == next {
		return mamori.Errorf(mamori.Invalid, "新しいパスワードは今のパスワードと違うものにしてください",
			"the new password must differ from the current one")
	}
	stored, err := st.User(ctx, name)
	if err != nil {
		return err
	}
	ok, err := CheckPassword(stored.PasswordHash, current)
	if err != nil {
		return &mamori.Error{Kind: mamori.Internal, Message: "change password: stored password hash unusable",
			MessageJA: "保存されたパスワードハッシュが使えません", Err: err}
	}
	hash, err := HashPassword(next)
	if err != nil {
		return err
	}
	var result error
	if !ok {
		err := st.UpdateUser(ctx, name, func(u *store.User) error {
			switch {
			case u.Disabled:
				result = signInFailed(ErrDisabled)
				return errNoWrite
			case Locked(*u, now):
				result = signInFailed(ErrLocked)
				return errNoWrite
			}
			recordFailure(u, now)
			result = currentPasswordWrong()
			return nil
		})
		if err != nil && !errors.Is(err, errNoWrite) {
			return err
		}
		return result
	}
	err = st.UpdateUserEnding(ctx, name, store.EndAccess{Sessions: true}, func(u *store.User) error {
		switch {
		case u.Disabled:
			result = signInFailed(ErrDisabled)
			return errNoWrite
		case Locked(*u, now):
			result = signInFailed(ErrLocked)
			return errNoWrite
		case u.PasswordHash != stored.PasswordHash:
			// Changed meanwhile: the current password was checked
			// against a hash that is gone.
			return mamori.Errorf(mamori.Conflict, "パスワードが同時に変更されました。もう一度やり直してください",
				"the password was changed meanwhile: try again")
		case oneTimeExpired(*u, now):
			result = passwordExpired()
			return errNoWrite
		}
		clearFailures(u)
		u.PasswordHash, u.PasswordChangeRequired, u.PasswordExpiresAt = hash, false, time.Time{}
		return nil
	})
	if err != nil && !errors.Is(err, errNoWrite) {
		return err
	}
	return result
}

func currentPasswordWrong() error {
	return &mamori.Error{Kind: mamori.Unauthenticated,
		Message:   "the current password is wrong; after repeated failures the account is locked for a while",
		MessageJA: "今のパスワードが正しくありません。失敗が続くと一定時間ロックされます",
		Err:       ErrBadPassword}
}

// ResetPassword is an administrator's reset: it sets a generated one-time
// password and returns it, to be given to the user once. The password
// signs in for OneTimePasswordTTL from now, and only to choose a new one
// (User.PasswordChangeRequired). The reset clears the failure count and
// lock, and ends every session of the account, so that whoever had taken
// it over is signed out.
func ResetPassword(ctx context.Context, st *store.Store, name string, now time.Time) (string, error) {
	password := GeneratePassword()
	hash, err := HashPassword(password)
	if err != nil {
		return "", err
	}
	err = st.UpdateUserEnding(ctx, name, store.EndAccess{Sessions: true}, func(u *store.User) error {
		clearFailures(u)
		u.PasswordHash, u.PasswordChangeRequired, u.PasswordExpiresAt = hash, true, now.Add(OneTimePasswordTTL)
		return nil
	})
	if err != nil {
		return "", err
	}
	return password, nil
}
