// Package auth signs people in to mamori: local accounts with argon2id
// password hashes, a TOTP second factor with single-use recovery codes,
// lockout after repeated failures, and API tokens. It also holds the role
// vocabulary. It decides; package store only keeps what it decides. It
// imports mamori and store, never web or app.
package auth

import (
	"errors"

	"mamori"
)

// Why a sign-in failed. The user is shown one message for all of them, so
// that an attacker cannot tell an unknown name from a wrong password or a
// locked account; the reason travels in mamori.Error.Err, for the log and
// for errors.Is.
var (
	ErrUnknownUser  = errors.New("auth: unknown user")
	ErrBadPassword  = errors.New("auth: wrong password")
	ErrBadCode      = errors.New("auth: wrong second-factor code")
	ErrReplayedCode = errors.New("auth: second-factor code already used")
	ErrLocked       = errors.New("auth: account locked")
	ErrDisabled     = errors.New("auth: account disabled")
	ErrBadToken     = errors.New("auth: unknown API token")
	ErrTokenExpired = errors.New("auth: API token expired")
	ErrTokenRevoked = errors.New("auth: API token revoked")
)

// ErrPasswordExpired says the password was right but it is a one-time
// password set by an administrator and it has expired: only a new reset
// helps. Unlike the other failures it has its own message, since whoever
// gets it has just proved they know the password.
var ErrPasswordExpired = errors.New("auth: one-time password expired")

// ErrCodeRequired says the password was right and the account has a
// second factor: ask for its code and try again.
var ErrCodeRequired = errors.New("auth: second-factor code required")

// ErrEnrolmentRequired says the password was right but the account's role
// demands a second factor it has not enrolled: the session may be used
// for enrolment only. Authenticate returns it with a mamori.Error of kind
// Forbidden (every other sign-in failure is Unauthenticated).
var ErrEnrolmentRequired = errors.New("auth: second factor must be enrolled")

// signInFailed is the one message every failed sign-in shows.
func signInFailed(reason error) error {
	return &mamori.Error{Kind: mamori.Unauthenticated,
		Message:   "sign-in failed: check the user name, password and code; after repeated failures the account is locked for a while",
		MessageJA: "サインインできませんでした。利用者名・パスワード・確認コードを確かめてください。失敗が続くと一定時間ロックされます",
		Err:       reason}
}

func passwordExpired() error {
	return &mamori.Error{Kind: mamori.Unauthenticated,
		Message:   "the one-time password has expired: ask your administrator to reset your password again",
		MessageJA: "一時パスワードの有効期限が切れています。管理者にパスワードの再設定を依頼してください",
		Err:       ErrPasswordExpired}
}

func codeRequired() error {
	return &mamori.Error{Kind: mamori.Unauthenticated,
		Message:   "enter the code from the authenticator app or a recovery code",
		MessageJA: "認証アプリの確認コードまたはリカバリーコードを入力してください",
		Err:       ErrCodeRequired}
}

func enrolmentRequired() error {
	return &mamori.Error{Kind: mamori.Forbidden,
		Message:   "this role requires a second factor: enrol an authenticator app before using mamori",
		MessageJA: "この役割には二要素認証が必要です。認証アプリを登録してから利用してください",
		Err:       ErrEnrolmentRequired}
}

func badToken(reason error) error {
	return &mamori.Error{Kind: mamori.Unauthenticated,
		Message: "invalid API token", MessageJA: "APIトークンが無効です", Err: reason}
}
