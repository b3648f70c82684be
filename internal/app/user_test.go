package app_test

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"mamori/internal/app"
	"mamori/internal/auth"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// runStdin is run with standard input.
func runStdin(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	e := &app.Env{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb, Getenv: testGetenv(nil, args)}
	err := app.Run(t.Context(), e, args)
	if err != nil && !errors.Is(err, flag.ErrHelp) {
		errb.WriteString(app.Describe(err))
	}
	return result{app.ExitCode(err), out.String(), errb.String()}
}

// listRow returns the cells of a user's row in mamori user list.
func listRow(t *testing.T, db, name string) []string {
	t.Helper()
	r := run(t, nil, "--db", db, "user", "list")
	if r.code != 0 {
		t.Fatalf("user list = %+v", r)
	}
	for _, line := range strings.Split(r.stdout, "\n") {
		cells := regexp.MustCompile(`\s{2,}`).Split(strings.TrimSpace(line), -1)
		if cells[0] == name {
			return cells
		}
	}
	t.Fatalf("user list has no row for %s:\n%s", name, r.stdout)
	return nil
}

func TestUserCLI(t *testing.T) {
	for dialect, db := range storetest.DSNs(t) {
		t.Run(dialect, func(t *testing.T) {
			orgs := filepath.Join(t.TempDir(), "organizations.csv")
			if err := os.WriteFile(orgs, []byte("組織コード,上位組織コード,種別,名称\nM01,,府省庁,総務省\nM01-C,M01,本府省庁等,総務省本省\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			if r := run(t, nil, "--db", db, "import", orgs); r.code != 0 {
				t.Fatalf("import = %+v", r)
			}
			for _, tc := range []struct {
				name  string
				stdin string
				args  []string
				code  int
				want  string // in stdout when code is 0, else in stderr
			}{
				{"generated password", "", []string{"user", "add", "admin", "--role", "central_admin", "--org", "M01", "--generate-password"},
					0, "initial password (shown once): "},
				{"password from stdin, flags first", "correct horse battery\n", []string{"user", "add", "--role", "viewer", "--org", "M01-C", "--display", "佐藤 花子", "sato"},
					0, "created user sato (viewer@M01-C)"},
				{"officer", "correct horse battery\r\n", []string{"user", "add", "officer", "--role", "org_security", "--org", "M01"}, 0, "second factor"},
				{"duplicate", "correct horse battery\n", []string{"user", "add", "sato", "--role", "viewer", "--org", "M01"}, 1, "cannot be used"},
				{"short password", "short\n", []string{"user", "add", "kato", "--role", "viewer", "--org", "M01"}, 1, "パスワードは 12 文字以上"},
				{"password is the name", "administrator\n", []string{"user", "add", "administrator", "--role", "viewer", "--org", "M01"}, 1, "must not be the user name"},
				{"no password", "", []string{"user", "add", "kato", "--role", "viewer", "--org", "M01"}, 2, "--generate-password"},
				{"unknown role", "", []string{"user", "add", "kato", "--role", "root", "--org", "M01", "--generate-password"}, 1, `unknown role "root"`},
				{"unknown organization", "", []string{"user", "add", "kato", "--role", "viewer", "--org", "X9", "--generate-password"}, 1, `no organization "X9"`},
				{"no role", "", []string{"user", "add", "kato", "--org", "M01"}, 2, "needs --role and --org"},
				{"two names", "", []string{"user", "add", "a", "b", "--role", "viewer", "--org", "M01"}, 2, "exactly one"},
				{"grant", "", []string{"user", "grant", "sato", "--role", "auditor", "--org", "M01"}, 0, "granted auditor@M01"},
				{"grant to unknown user", "", []string{"user", "grant", "nobody", "--role", "auditor", "--org", "M01"}, 1, `no user "nobody"`},
				{"disable", "", []string{"user", "disable", "sato"}, 0, "disabled (sessions ended, API tokens revoked)"},
				{"disable unknown user", "", []string{"user", "disable", "nobody"}, 1, `no user "nobody"`},
				{"unknown command", "", []string{"user", "frobnicate"}, 2, `unknown user command "frobnicate"`},
				{"no command", "", []string{"user"}, 2, "user needs a command"},
				{"token without a name", "", []string{"user", "token", "admin"}, 2, "needs --name"},
				{"token with a bad scope", "", []string{"user", "token", "admin", "--name", "x", "--scope", "admin"}, 1, `unknown scope "admin"`},
			} {
				r := runStdin(t, tc.stdin, append([]string{"--db", db}, tc.args...)...)
				out := r.stdout
				if tc.code != 0 {
					out = r.stderr
				}
				if r.code != tc.code || !strings.Contains(out, tc.want) {
					t.Errorf("%s: mamori %v = exit %d\nstdout %s\nstderr %s\nwant exit %d with %q", tc.name, tc.args, r.code, r.stdout, r.stderr, tc.code, tc.want)
				}
			}

			s, err := store.Open(t.Context(), db)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			ctx := context.Background()
			// The stored accounts sign in with the password given.
			if _, err := auth.Authenticate(ctx, s, "officer", "correct horse battery", "", time.Now()); !errors.Is(err, auth.ErrEnrolmentRequired) {
				t.Errorf("officer sign-in = %v, want the enrolment-only answer", err)
			}
			if _, err := auth.Authenticate(ctx, s, "sato", "correct horse battery", "", time.Now()); !errors.Is(err, auth.ErrDisabled) {
				t.Errorf("disabled sato sign-in = %v", err)
			}

			if got, want := listRow(t, db, "sato"), []string{"sato", "佐藤 花子", "auditor@M01, viewer@M01-C", "required", "yes", "-"}; strings.Join(got, "|") != strings.Join(want, "|") {
				t.Errorf("user list row = %q, want %q", got, want)
			}
			if got := listRow(t, db, "admin"); got[2] != "central_admin@M01" || got[3] != "required" || got[4] != "-" {
				t.Errorf("user list row = %q", got)
			}

			// reset-2fa after an enrolment.
			e, err := auth.BeginTOTP(ctx, s, "officer")
			if err != nil {
				t.Fatal(err)
			}
			if got := listRow(t, db, "officer"); got[3] != "pending" {
				t.Errorf("after BeginTOTP: 2FA = %q, want pending", got[3])
			}
			now := time.Now()
			code, err := totp.GenerateCodeCustom(e.Secret, now, totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := auth.ConfirmTOTP(ctx, s, "officer", code, now); err != nil {
				t.Fatalf("ConfirmTOTP: %v", err)
			}
			if got := listRow(t, db, "officer"); got[3] != now.Format(time.DateOnly) {
				t.Errorf("after enrolment: 2FA = %q, want the date", got[3])
			}
			if r := run(t, nil, "--db", db, "user", "reset-2fa", "officer"); r.code != 0 || !strings.Contains(r.stdout, "second factor removed") {
				t.Errorf("reset-2fa = %+v", r)
			}
			if got := listRow(t, db, "officer"); got[3] != "required" {
				t.Errorf("after reset-2fa: 2FA = %q, want required", got[3])
			}

			// A token printed once works, and stops working when revoked.
			r := run(t, nil, "--db", db, "user", "token", "admin", "--name", "nightly", "--scope", "read", "--scope", "write", "--ttl", "24h")
			m := regexp.MustCompile(`token ID: ([0-9a-f]{12}) [^\n]*\n[^\n]*\n(mmr_[A-Z2-7]{52})\n$`).FindStringSubmatch(r.stdout)
			if r.code != 0 || m == nil {
				t.Fatalf("user token = %+v", r)
			}
			u, scopes, err := auth.CheckToken(ctx, s, m[2], time.Now())
			if err != nil || u.Name != "admin" || !auth.HasScope(scopes, auth.ScopeWrite) {
				t.Errorf("CheckToken(printed secret) = %q, %v, %v", u.Name, scopes, err)
			}
			if r := run(t, nil, "--db", db, "user", "revoke-token", m[1]); r.code != 0 {
				t.Errorf("revoke-token = %+v", r)
			}
			if _, _, err := auth.CheckToken(ctx, s, m[2], time.Now()); !errors.Is(err, auth.ErrTokenRevoked) {
				t.Errorf("CheckToken(revoked) = %v", err)
			}
			if r := run(t, nil, "--db", db, "user", "revoke-token", "nope"); r.code != 1 || !strings.Contains(r.stderr, `no API token "nope"`) {
				t.Errorf("revoke-token nope = %+v", r)
			}
		})
	}
}

// TestUserPasswd: "mamori user passwd NAME" changes a password given the
// current one and the new one on standard input (a wrong current one is
// refused); "--reset" prints a one-time password once, which must be
// changed at the next sign-in and expires; both end the account's
// sessions and are recorded with the operator as the actor.
func TestUserPasswd(t *testing.T) {
	for dialect, db := range storetest.DSNs(t) {
		t.Run(dialect, func(t *testing.T) {
			orgs := filepath.Join(t.TempDir(), "organizations.csv")
			if err := os.WriteFile(orgs, []byte("組織コード,上位組織コード,種別,名称\nM01,,府省庁,総務省\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			if r := run(t, nil, "--db", db, "import", orgs); r.code != 0 {
				t.Fatalf("import = %+v", r)
			}
			if r := runStdin(t, "correct horse battery\n", "--db", db, "user", "add", "sato", "--role", "viewer", "--org", "M01"); r.code != 0 {
				t.Fatalf("user add = %+v", r)
			}
			s, err := store.Open(t.Context(), db)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			ctx := t.Context()
			session := func(hash string) {
				now := time.Now()
				if err := s.CreateSession(ctx, store.Session{IDHash: hash, UserName: "sato", CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(time.Hour)}); err != nil {
					t.Fatal(err)
				}
			}
			alive := func(hash string) bool {
				_, err := s.SessionByHash(ctx, hash)
				return err == nil
			}
			session("s1")
			for _, tc := range []struct {
				name, stdin string
				args        []string
				code        int
				want        string
			}{
				{"wrong current", "not the password\nnew pass phrase!\n", []string{"user", "passwd", "sato"}, 1, "今のパスワードが正しくありません"},
				{"no new password", "correct horse battery\n", []string{"user", "passwd", "sato"}, 2, "two lines"},
				{"short", "correct horse battery\nshort\n", []string{"user", "passwd", "sato"}, 1, "12 文字以上"},
				{"unknown user", "correct horse battery\nnew pass phrase!\n", []string{"user", "passwd", "nobody"}, 1, `no user "nobody"`},
			} {
				r := runStdin(t, tc.stdin, append([]string{"--db", db}, tc.args...)...)
				out := r.stdout
				if tc.code != 0 {
					out = r.stderr
				}
				if r.code != tc.code || !strings.Contains(out, tc.want) {
					t.Errorf("%s: exit %d\nstdout %s\nstderr %s\nwant exit %d with %q", tc.name, r.code, r.stdout, r.stderr, tc.code, tc.want)
				}
			}
			if !alive("s1") {
				t.Errorf("a refused change ended the session")
			}
			r := runStdin(t, "correct horse battery\nnew pass phrase!\n", "--db", db, "user", "passwd", "sato")
			if r.code != 0 || !strings.Contains(r.stdout, "password changed") {
				t.Fatalf("user passwd = %+v", r)
			}
			if _, err := auth.Authenticate(ctx, s, "sato", "new pass phrase!", "", time.Now()); err != nil {
				t.Errorf("the new password does not sign in: %v", err)
			}
			if alive("s1") {
				t.Errorf("the session survives the change")
			}

			session("s2")
			r = run(t, nil, "--db", db, "user", "passwd", "sato", "--reset")
			m := regexp.MustCompile(`one-time password \(shown once\): (\S+)\n`).FindStringSubmatch(r.stdout)
			if r.code != 0 || m == nil {
				t.Fatalf("user passwd --reset = %+v", r)
			}
			if alive("s2") {
				t.Errorf("the session survives the reset")
			}
			u, err := auth.Authenticate(ctx, s, "sato", m[1], "", time.Now())
			if err != nil || !u.PasswordChangeRequired {
				t.Errorf("the one-time password: %v, change required %v", err, u.PasswordChangeRequired)
			}
			if _, err := auth.Authenticate(ctx, s, "sato", m[1], "", time.Now().Add(auth.OneTimePasswordTTL+time.Minute)); !errors.Is(err, auth.ErrPasswordExpired) {
				t.Errorf("the one-time password after %s: %v", auth.OneTimePasswordTTL, err)
			}
			entries, _, err := s.AuditEntries(ctx, store.AuditFilter{})
			if err != nil {
				t.Fatal(err)
			}
			var events []string
			for _, e := range entries {
				if e.Target == "users/sato" {
					events = append(events, e.Detail)
				}
			}
			if got := strings.Join(events, " "); !strings.Contains(got, `"event":"passwd"`) || !strings.Contains(got, `"event":"reset-password"`) {
				t.Errorf("audit entries for sato: %s", got)
			}
		})
	}
}
