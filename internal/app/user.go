package app

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"strings"
	"time"

	"mamori"
	"mamori/internal/audit"
	"mamori/internal/auth"
	"mamori/internal/store"
)

const userSynopsis = `user COMMAND [flags]

Commands:
  add NAME --role ROLE --org CODE [--display NAME] [--generate-password]
                          create a user; the password is read from the first line of
                          standard input, or generated and printed once
                          (generated: a one-time password, see passwd --reset)
  list                    users with their roles, second factor, disabled and locked state
  passwd NAME             change a password: the current one and the new one are read
                          from the first two lines of standard input
  passwd NAME --reset     set a one-time password and print it once: it signs in only to
                          choose a new one, within 72 hours; ends the user's sessions
  disable NAME            refuse sign-in, end the sessions, revoke the API tokens (nothing
                          is deleted)
  enable NAME             allow a disabled user again (revoked tokens stay revoked)
  unlock NAME             clear failed sign-ins and the lock
  reset-2fa NAME          remove the second factor and recovery codes (lost device) and
                          end the user's sessions
  grant NAME --role ROLE --org CODE
                          add a role over the organization subtree rooted at CODE
  token NAME --name LABEL [--scope read|write]... [--ttl 720h]
                          issue an API token and print its secret once
  revoke-token ID         revoke an API token (IDs are shown when issued)

Roles: viewer 閲覧者, system_officer システム担当, org_security 組織セキュリティ担当,
auditor 監査担当, central_admin 中央管理者. org_security, auditor and central_admin
must enrol a TOTP second factor at their first sign-in. The command line is the
server's operator: it is not limited to the roles of any account.`

func runUser(ctx context.Context, env *Env, args []string) error {
	args, done, err := subcommand(env, "user", userSynopsis, args, true)
	if done {
		return err
	}
	sub, rest := args[0], args[1:]
	switch sub {
	case "add":
		return runUserAdd(ctx, env, rest)
	case "list":
		return runUserList(ctx, env, rest)
	case "passwd":
		return runUserPasswd(ctx, env, rest)
	case "disable", "enable", "unlock", "reset-2fa", "revoke-token":
		return runUserSimple(ctx, env, sub, rest)
	case "grant":
		return runUserGrant(ctx, env, rest)
	case "token":
		return runUserToken(ctx, env, rest)
	}
	return unknownSubcommand(env, "user", userSynopsis, sub)
}

// parseWithArgs parses flags that may come before or after the positional
// arguments ("add NAME --role R" as well as "add --role R NAME"): the flag
// package stops at the first positional one.
func parseWithArgs(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := parse(fs, args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return pos, nil
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

// oneName parses a subcommand that takes exactly one positional argument.
func oneName(fs *flag.FlagSet, args []string, what string) (string, error) {
	pos, err := parseWithArgs(fs, args)
	if err != nil {
		return "", err
	}
	if len(pos) != 1 {
		fs.Usage()
		return "", &UsageError{fmt.Sprintf("%s needs exactly one %s", fs.Name(), what)}
	}
	return pos[0], nil
}

// readPassword reads the first line of standard input: a password piped
// in, or typed (it is not echo-suppressed; use --generate-password on a
// shared screen).
func readPassword(env *Env) (string, error) {
	sc := bufio.NewScanner(env.Stdin)
	sc.Buffer(make([]byte, 0, 64), auth.MaxPasswordLen+2)
	if !sc.Scan() {
		if err := sc.Err(); err != nil {
			return "", mamori.Errorf(mamori.Invalid, "パスワードを読めません: %v", "password: cannot read standard input: %v", err)
		}
		return "", &UsageError{"no password on standard input: pipe one in, or use --generate-password"}
	}
	return strings.TrimRight(sc.Text(), "\r"), nil
}

func runUserAdd(ctx context.Context, env *Env, args []string) error {
	fs, db := flags(env, "user add", "user add [--db DB] NAME --role ROLE --org CODE [--display NAME] [--generate-password]")
	role := fs.String("role", "", "role: viewer, system_officer, org_security, auditor, central_admin")
	org := fs.String("org", "", "code of the organization at the root of the role's subtree")
	display := fs.String("display", "", "display name (the person's name)")
	generate := fs.Bool("generate-password", false, "generate a password and print it once instead of reading standard input")
	name, err := oneName(fs, args, "user name")
	if err != nil {
		return err
	}
	if *role == "" || *org == "" {
		fs.Usage()
		return &UsageError{"user add needs --role and --org"}
	}
	r, err := auth.ParseRole(*role)
	if err != nil {
		return err
	}
	var password string
	if *generate {
		password = auth.GeneratePassword()
	} else if password, err = readPassword(env); err != nil {
		return err
	}
	s, err := openStore(ctx, env, dsn(env, *db, DefaultDB))
	if err != nil {
		return err
	}
	defer s.Close()
	err = auth.CreateUser(ctx, s, auth.NewUser{Name: name, DisplayName: *display, Password: password,
		Grants: []store.RoleGrant{{Role: string(r), OrgCode: *org}}, OneTime: *generate}, time.Now())
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "利用者 %s を作成しました / created user %s (%s@%s)\n", name, name, r, *org)
	if *generate {
		fmt.Fprintf(env.Stdout, "初期パスワード(一度だけ表示) / initial password (shown once): %s\n", password)
		fmt.Fprintf(env.Stdout, "一時パスワードです。%s 以内の初回サインインで本人が変更します / a one-time password: the user changes it at the first sign-in, within %s\n",
			auth.OneTimePasswordTTL, auth.OneTimePasswordTTL)
	}
	if ri, _ := r.Info(); ri.StrongAuth {
		fmt.Fprintf(env.Stdout, "初回サインイン時に二要素認証の登録が必要です / must enrol a second factor at the first sign-in\n")
	}
	return record(ctx, env, s, audit.Write, "users/"+name, map[string]string{"event": "add", "role": string(r), "org": *org})
}

func runUserList(ctx context.Context, env *Env, args []string) error {
	fs, db := flags(env, "user list", "user list [--db DB]")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return &UsageError{"user list takes no arguments"}
	}
	s, err := openStore(ctx, env, dsn(env, *db, DefaultDB))
	if err != nil {
		return err
	}
	defer s.Close()
	users, err := s.Users(ctx)
	if err != nil {
		return err
	}
	now := time.Now()
	tw := newTextTable(env.Stdout)
	fmt.Fprintln(tw, "利用者/user\t表示名/display\t役割@組織/roles@org\t二要素/2FA\t無効/disabled\tロック/locked until")
	for _, u := range users {
		var roles []string
		for _, g := range u.Grants {
			roles = append(roles, g.Role+"@"+g.OrgCode)
		}
		tfa := "no"
		switch {
		case u.TOTPEnrolled():
			tfa = u.TOTPEnrolledOn
		case u.TOTPSecret != "":
			tfa = "pending"
		}
		if tfa == "no" && auth.RequiresTOTP(u) {
			tfa = "required"
		}
		disabled, locked := "-", "-"
		if u.Disabled {
			disabled = "yes"
		}
		if auth.Locked(u, now) {
			locked = u.LockedUntil.UTC().Format(time.RFC3339)
		}
		display := u.DisplayName
		if display == "" {
			display = "-"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", u.Name, display, cellOrDash(strings.Join(roles, ", ")), tfa, disabled, locked)
	}
	return tw.Flush()
}

func cellOrDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// runUserSimple runs the subcommands that take one name and no flags.
func runUserSimple(ctx context.Context, env *Env, sub string, args []string) error {
	what := "user name"
	if sub == "revoke-token" {
		what = "token ID"
	}
	fs, db := flags(env, "user "+sub, "user "+sub+" [--db DB] "+strings.ToUpper(strings.ReplaceAll(what, " ", "_")))
	name, err := oneName(fs, args, what)
	if err != nil {
		return err
	}
	s, err := openStore(ctx, env, dsn(env, *db, DefaultDB))
	if err != nil {
		return err
	}
	defer s.Close()
	var done string
	switch sub {
	case "disable":
		err, done = auth.SetDisabled(ctx, s, name, true), "無効にしました(セッションを終了し、APIトークンを失効させました) / disabled (sessions ended, API tokens revoked)"
	case "enable":
		err, done = auth.SetDisabled(ctx, s, name, false), "有効にしました / enabled"
	case "unlock":
		err, done = auth.Unlock(ctx, s, name), "ロックを解除しました / unlocked"
	case "reset-2fa":
		err, done = auth.ResetTOTP(ctx, s, name), "二要素認証を解除し、セッションを終了しました(次回サインイン時に再登録) / second factor removed and sessions ended (enrol again at the next sign-in)"
	case "revoke-token":
		err, done = auth.RevokeToken(ctx, s, name), "失効させました / revoked"
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "%s: %s\n", name, done)
	return record(ctx, env, s, audit.Write, "users/"+name, map[string]string{"event": sub})
}

// readPasswords reads the current and the new password from the first two
// lines of standard input.
func readPasswords(env *Env) (string, string, error) {
	sc := bufio.NewScanner(env.Stdin)
	sc.Buffer(make([]byte, 0, 64), auth.MaxPasswordLen+2)
	var lines []string
	for len(lines) < 2 && sc.Scan() {
		lines = append(lines, strings.TrimRight(sc.Text(), "\r"))
	}
	if err := sc.Err(); err != nil {
		return "", "", mamori.Errorf(mamori.Invalid, "パスワードを読めません: %v", "password: cannot read standard input: %v", err)
	}
	if len(lines) < 2 {
		return "", "", &UsageError{"user passwd needs two lines on standard input: the current password, then the new one (or --reset)"}
	}
	return lines[0], lines[1], nil
}

// runUserPasswd changes a password with the current one, or, with
// --reset, sets a one-time password and prints it once.
func runUserPasswd(ctx context.Context, env *Env, args []string) error {
	fs, db := flags(env, "user passwd", "user passwd [--db DB] NAME [--reset]")
	reset := fs.Bool("reset", false, "set a one-time password, print it once, and end the user's sessions")
	name, err := oneName(fs, args, "user name")
	if err != nil {
		return err
	}
	var current, next string
	if !*reset {
		if current, next, err = readPasswords(env); err != nil {
			return err
		}
	}
	s, err := openStore(ctx, env, dsn(env, *db, DefaultDB))
	if err != nil {
		return err
	}
	defer s.Close()
	if *reset {
		password, err := auth.ResetPassword(ctx, s, name, time.Now())
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "%s: パスワードを再設定し、セッションを終了しました / password reset, sessions ended\n", name)
		fmt.Fprintf(env.Stdout, "一時パスワード(一度だけ表示) / one-time password (shown once): %s\n", password)
		fmt.Fprintf(env.Stdout, "%s 以内の次回サインインで本人が変更します / the user changes it at the next sign-in, within %s\n",
			auth.OneTimePasswordTTL, auth.OneTimePasswordTTL)
		return record(ctx, env, s, audit.Write, "users/"+name, map[string]string{"event": "reset-password"})
	}
	if err := auth.ChangePassword(ctx, s, name, current, next, time.Now()); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "%s: パスワードを変更し、セッションを終了しました / password changed, sessions ended\n", name)
	return record(ctx, env, s, audit.Write, "users/"+name, map[string]string{"event": "passwd"})
}

func runUserGrant(ctx context.Context, env *Env, args []string) error {
	fs, db := flags(env, "user grant", "user grant [--db DB] NAME --role ROLE --org CODE")
	role := fs.String("role", "", "role: viewer, system_officer, org_security, auditor, central_admin")
	org := fs.String("org", "", "code of the organization at the root of the role's subtree")
	name, err := oneName(fs, args, "user name")
	if err != nil {
		return err
	}
	if *role == "" || *org == "" {
		fs.Usage()
		return &UsageError{"user grant needs --role and --org"}
	}
	r, err := auth.ParseRole(*role)
	if err != nil {
		return err
	}
	s, err := openStore(ctx, env, dsn(env, *db, DefaultDB))
	if err != nil {
		return err
	}
	defer s.Close()
	if err := auth.Grant(ctx, s, name, r, *org); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "%s: %s@%s を付与しました / granted %s@%s\n", name, r, *org, r, *org)
	return record(ctx, env, s, audit.Write, "users/"+name, map[string]string{"event": "grant", "role": string(r), "org": *org})
}

// scopeFlag collects --scope values; each may hold several scopes.
type scopeFlag []string

func (f *scopeFlag) String() string     { return strings.Join(*f, " ") }
func (f *scopeFlag) Set(v string) error { *f = append(*f, v); return nil }

func runUserToken(ctx context.Context, env *Env, args []string) error {
	fs, db := flags(env, "user token", "user token [--db DB] NAME --name LABEL [--scope read|write]... [--ttl 720h]")
	label := fs.String("name", "", "what the token is for (shown in lists)")
	var scopes scopeFlag
	fs.Var(&scopes, "scope", "read or write (repeatable; write includes read); default read")
	ttl := fs.Duration("ttl", 720*time.Hour, fmt.Sprintf("lifetime (at most %s)", auth.MaxTokenTTL))
	name, err := oneName(fs, args, "user name")
	if err != nil {
		return err
	}
	if *label == "" {
		fs.Usage()
		return &UsageError{"user token needs --name"}
	}
	if len(scopes) == 0 {
		scopes = scopeFlag{auth.ScopeRead}
	}
	s, err := openStore(ctx, env, dsn(env, *db, DefaultDB))
	if err != nil {
		return err
	}
	defer s.Close()
	secret, err := auth.IssueToken(ctx, s, name, *label, scopes, *ttl)
	if err != nil {
		return err
	}
	exp := time.Now().Add(*ttl).UTC().Format(time.RFC3339)
	fmt.Fprintf(env.Stdout, "トークン ID / token ID: %s (%s; %s; %s まで有効 / expires %s)\n", auth.TokenID(secret), *label,
		strings.Join(scopes, " "), exp, exp)
	fmt.Fprintf(env.Stdout, "シークレット(一度だけ表示) / secret (shown once):\n%s\n", secret)
	// The token's ID, never its secret, goes into the trail.
	return record(ctx, env, s, audit.Write, "users/"+name, map[string]string{"event": "token", "token": auth.TokenID(secret), "scopes": strings.Join(scopes, " ")})
}
