package auth_test

import (
	"errors"
	"regexp"
	"testing"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"mamori"
	"mamori/internal/auth"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

const pw = "correct horse battery"

var t0 = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

// setup loads an organization and creates users with the given roles
// (name → role) and the password pw.
func setup(t *testing.T, s *store.Store, users map[string]auth.Role) {
	t.Helper()
	orgs := mamori.EntityByName("organizations")
	r := make(mamori.Record, len(orgs.Fields))
	r[orgs.FieldIndex("code")], r[orgs.FieldIndex("kind")], r[orgs.FieldIndex("name")] = "M01", "ministry", "総務省"
	if err := s.Load(t.Context(), store.LoadOptions{}, func(l *store.Loader) error { return l.Put(orgs, []mamori.Record{r}) }); err != nil {
		t.Fatal(err)
	}
	for name, role := range users {
		err := auth.CreateUser(t.Context(), s, auth.NewUser{Name: name, Password: pw,
			Grants: []store.RoleGrant{{Role: string(role), OrgCode: "M01"}}}, t0.Add(-24*time.Hour))
		if err != nil {
			t.Fatalf("CreateUser(%s): %v", name, err)
		}
	}
}

func code(t *testing.T, secret string, at time.Time) string {
	t.Helper()
	c, err := totp.GenerateCodeCustom(secret, at, totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// enrol runs a whole TOTP enrolment and returns the secret and recovery codes.
func enrol(t *testing.T, s *store.Store, name string, at time.Time) (string, []string) {
	t.Helper()
	e, err := auth.BeginTOTP(t.Context(), s, name)
	if err != nil {
		t.Fatalf("BeginTOTP(%s): %v", name, err)
	}
	if _, err := auth.ConfirmTOTP(t.Context(), s, name, "000000x", at); err == nil {
		t.Fatalf("ConfirmTOTP with a malformed code succeeded")
	}
	rc, err := auth.ConfirmTOTP(t.Context(), s, name, code(t, e.Secret, at), at)
	if err != nil {
		t.Fatalf("ConfirmTOTP(%s): %v", name, err)
	}
	return e.Secret, rc
}

// check compares an Authenticate result with the expected reason (nil for
// success) and kind.
func check(t *testing.T, step string, u store.User, err error, want error, kind mamori.Kind) {
	t.Helper()
	if want == nil {
		if err != nil {
			t.Errorf("%s: Authenticate = %v, want success", step, err)
		}
		return
	}
	if !errors.Is(err, want) || mamori.KindOf(err) != kind {
		t.Errorf("%s: Authenticate = %v (kind %v, user %q); want %v of kind %v", step, err, mamori.KindOf(err), u.Name, want, kind)
	}
}

func TestAuthenticate(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		setup(t, s, map[string]auth.Role{"viewer1": auth.Viewer, "admin1": auth.CentralAdmin, "officer": auth.OrgSecurity,
			"gone": auth.Viewer, "enrolled": auth.Viewer})
		if err := auth.SetDisabled(ctx, s, "gone", true); err != nil {
			t.Fatal(err)
		}
		secret, recovery := enrol(t, s, "officer", t0.Add(-time.Hour))
		esecret, _ := enrol(t, s, "enrolled", t0.Add(-time.Hour))
		at := t0
		for _, tc := range []struct {
			step, user, password, code string
			want                       error
			kind                       mamori.Kind
		}{
			{"viewer, password only", "viewer1", pw, "", nil, 0},
			{"wrong password", "viewer1", pw + "!", "", auth.ErrBadPassword, mamori.Unauthenticated},
			{"unknown user", "nobody", pw, "", auth.ErrUnknownUser, mamori.Unauthenticated},
			{"disabled", "gone", pw, "", auth.ErrDisabled, mamori.Unauthenticated},
			{"admin without a second factor", "admin1", pw, "", auth.ErrEnrolmentRequired, mamori.Forbidden},
			{"admin, wrong password", "admin1", "wrong password!", "", auth.ErrBadPassword, mamori.Unauthenticated},
			{"officer, no code", "officer", pw, "", auth.ErrCodeRequired, mamori.Unauthenticated},
			{"officer, wrong code", "officer", pw, "000000", auth.ErrBadCode, mamori.Unauthenticated},
			{"officer, code", "officer", pw, code(t, secret, at), nil, 0},
			{"officer, same code again", "officer", pw, code(t, secret, at), auth.ErrReplayedCode, mamori.Unauthenticated},
			{"officer, previous step's code", "officer", pw, code(t, secret, at.Add(-30*time.Second)), auth.ErrReplayedCode, mamori.Unauthenticated},
			{"officer, next step's code (skew)", "officer", pw, code(t, secret, at.Add(30*time.Second)), nil, 0},
			{"officer, wrong password, right code", "officer", "wrong password!", code(t, secret, at.Add(60*time.Second)), auth.ErrBadPassword, mamori.Unauthenticated},
			{"officer, recovery code", "officer", pw, recovery[0], nil, 0},
			{"officer, recovery code again", "officer", pw, recovery[0], auth.ErrReplayedCode, mamori.Unauthenticated},
			{"officer, another recovery code, typed loosely", "officer", pw, " " + recovery[1][:9] + recovery[1][10:] + " ", nil, 0},
			{"officer, made-up recovery code", "officer", pw, "aaaa-bbbb-cccc-dddd", auth.ErrBadCode, mamori.Unauthenticated},
			{"viewer with a second factor must use it", "enrolled", pw, "", auth.ErrCodeRequired, mamori.Unauthenticated},
			{"viewer with a second factor, code", "enrolled", pw, code(t, esecret, at), nil, 0},
		} {
			u, err := auth.Authenticate(ctx, s, tc.user, tc.password, tc.code, at)
			check(t, tc.step, u, err, tc.want, tc.kind)
			if err == nil && u.Name != tc.user {
				t.Errorf("%s: Authenticate returned user %q", tc.step, u.Name)
			}
		}
		// The enrolment-only answer names the user; the failures do not.
		u, err := auth.Authenticate(ctx, s, "admin1", pw, "", at)
		if u.Name != "admin1" || !errors.Is(err, auth.ErrEnrolmentRequired) {
			t.Errorf("Authenticate(admin1) = %q, %v", u.Name, err)
		}
		// Every failure shows one message: no telling whether a user exists.
		_, e1 := auth.Authenticate(ctx, s, "nobody", pw, "", at)
		_, e2 := auth.Authenticate(ctx, s, "viewer1", "wrong password!", "", at)
		_, e3 := auth.Authenticate(ctx, s, "gone", pw, "", at)
		var m1, m2, m3 *mamori.Error
		if !errors.As(e1, &m1) || !errors.As(e2, &m2) || !errors.As(e3, &m3) || m1.Bilingual() != m2.Bilingual() || m2.Bilingual() != m3.Bilingual() {
			t.Errorf("sign-in failures differ: %v / %v / %v", e1, e2, e3)
		}
		// A successful sign-in is recorded and clears the failures before
		// it: the officer's one failure is the made-up recovery code.
		got, err := s.User(ctx, "officer")
		if err != nil || !got.LastLoginAt.Equal(at) || got.FailedLogins != 1 {
			t.Errorf("officer after sign-in: last login %v, failures %d (%v)", got.LastLoginAt, got.FailedLogins, err)
		}
		// Reset: the officer must enrol again.
		if err := auth.ResetTOTP(ctx, s, "officer"); err != nil {
			t.Fatal(err)
		}
		_, err = auth.Authenticate(ctx, s, "officer", pw, code(t, secret, at.Add(5*time.Minute)), at.Add(5*time.Minute))
		check(t, "officer after reset", store.User{}, err, auth.ErrEnrolmentRequired, mamori.Forbidden)
		if _, err := auth.BeginTOTP(ctx, s, "enrolled"); mamori.KindOf(err) != mamori.Conflict {
			t.Errorf("BeginTOTP on an enrolled account = %v, want a conflict", err)
		}
	})
}

// TestUnknownUserTiming: refusing an unknown user costs about as much as
// refusing a wrong password (an argon2 run), so timing does not tell them apart.
func TestUnknownUserTiming(t *testing.T) {
	s := storetest.OpenSQLite(t)
	setup(t, s, map[string]auth.Role{"viewer1": auth.Viewer})
	fastest := func(name string) time.Duration {
		best := time.Hour
		for range 3 {
			start := time.Now()
			auth.Authenticate(t.Context(), s, name, "wrong password!", "", t0)
			best = min(best, time.Since(start))
		}
		return best
	}
	known, unknown := fastest("viewer1"), fastest("nobody")
	if unknown < known/3 {
		t.Errorf("unknown user refused in %v, wrong password in %v", unknown, known)
	}
}

func TestLockout(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		setup(t, s, map[string]auth.Role{"a": auth.Viewer, "b": auth.Viewer})
		login := func(step, user, password string, at time.Time, want error) {
			t.Helper()
			u, err := auth.Authenticate(ctx, s, user, password, "", at)
			check(t, step, u, err, want, mamori.Unauthenticated)
		}
		// Four failures, then success: the count starts again.
		for i := range auth.MaxFailedLogins - 1 {
			login("failure", "a", "wrong password!", t0.Add(time.Duration(i)*time.Minute), auth.ErrBadPassword)
		}
		login("success before the limit", "a", pw, t0.Add(4*time.Minute), nil)
		// Five failures within the window lock the account.
		for i := range auth.MaxFailedLogins {
			login("failure", "a", "wrong password!", t0.Add(time.Duration(10+i)*time.Minute), auth.ErrBadPassword)
		}
		lockedAt := t0.Add(14 * time.Minute)
		login("right password while locked", "a", pw, lockedAt.Add(time.Minute), auth.ErrLocked)
		login("wrong password while locked (not counted)", "a", "wrong password!", lockedAt.Add(2*time.Minute), auth.ErrLocked)
		if u, _ := s.User(ctx, "a"); !auth.Locked(u, lockedAt.Add(auth.LockoutDuration-time.Second)) || u.FailedLogins != auth.MaxFailedLogins {
			t.Errorf("locked account: failures %d, locked until %v", u.FailedLogins, u.LockedUntil)
		}
		// One more failure after the lock expires locks for twice as long.
		login("failure after the lock", "a", "wrong password!", lockedAt.Add(auth.LockoutDuration+time.Second), auth.ErrBadPassword)
		relock := lockedAt.Add(auth.LockoutDuration + time.Second)
		login("right password during the longer lock", "a", pw, relock.Add(auth.LockoutDuration+time.Second), auth.ErrLocked)
		login("right password after the longer lock", "a", pw, relock.Add(2*auth.LockoutDuration+time.Second), nil)
		if u, _ := s.User(ctx, "a"); u.FailedLogins != 0 || !u.LockedUntil.IsZero() {
			t.Errorf("after success: failures %d, locked until %v", u.FailedLogins, u.LockedUntil)
		}
		// Failures spread wider than the window do not lock.
		for i := range 2 * auth.MaxFailedLogins {
			login("slow failure", "b", "wrong password!", t0.Add(time.Duration(i)*(auth.FailureWindow/3)), auth.ErrBadPassword)
		}
		login("after slow failures", "b", pw, t0.Add(4*auth.FailureWindow), nil)
	})
}

func TestTokens(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		setup(t, s, map[string]auth.Role{"ci": auth.SystemOfficer, "gone": auth.Viewer})
		now := time.Now()
		secret, err := auth.IssueToken(ctx, s, "ci", "nightly export", []string{"read"}, 720*time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		if !regexp.MustCompile(`^mmr_[A-Z2-7]{52}$`).MatchString(secret) {
			t.Errorf("IssueToken secret = %q, want mmr_ and 32 bytes in base32", secret)
		}
		writer, err := auth.IssueToken(ctx, s, "ci", "sync", []string{"write", "read", "write"}, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		goneSecret, err := auth.IssueToken(ctx, s, "gone", "old", []string{"read"}, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		if err := auth.SetDisabled(ctx, s, "gone", true); err != nil {
			t.Fatal(err)
		}
		// Disabling revoked the account's tokens; one issued afterwards
		// is refused because the account is disabled.
		laterSecret, err := auth.IssueToken(ctx, s, "gone", "later", []string{"read"}, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		revoked, err := auth.IssueToken(ctx, s, "ci", "leaked", []string{"read"}, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		if err := auth.RevokeToken(ctx, s, auth.TokenID(revoked)); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			name, secret string
			at           time.Time
			want         error
			read, write  bool
		}{
			{"read token", secret, now.Add(time.Minute), nil, true, false},
			{"write token", writer, now.Add(time.Minute), nil, true, true},
			{"expired", writer, now.Add(time.Hour + time.Second), auth.ErrTokenExpired, false, false},
			{"revoked", revoked, now.Add(time.Minute), auth.ErrTokenRevoked, false, false},
			{"revoked by the disable", goneSecret, now.Add(time.Minute), auth.ErrTokenRevoked, false, false},
			{"user disabled", laterSecret, now.Add(time.Minute), auth.ErrDisabled, false, false},
			{"unknown", "mmr_" + secret[4:10] + "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", now, auth.ErrBadToken, false, false},
			{"not a token", "Bearer xyz", now, auth.ErrBadToken, false, false},
		} {
			u, scopes, err := auth.CheckToken(ctx, s, tc.secret, tc.at)
			if tc.want != nil {
				if !errors.Is(err, tc.want) || mamori.KindOf(err) != mamori.Unauthenticated {
					t.Errorf("%s: CheckToken = %v, want %v", tc.name, err, tc.want)
				}
				continue
			}
			if err != nil || u.Name != "ci" || auth.HasScope(scopes, auth.ScopeRead) != tc.read || auth.HasScope(scopes, auth.ScopeWrite) != tc.write {
				t.Errorf("%s: CheckToken = %q, %v, %v; want read %v write %v", tc.name, u.Name, scopes, err, tc.read, tc.write)
			}
		}
		toks, err := s.Tokens(ctx, "ci")
		if err != nil {
			t.Fatal(err)
		}
		for _, tk := range toks {
			used := tk.ID == auth.TokenID(secret) || tk.ID == auth.TokenID(writer)
			if used != !tk.LastUsedAt.IsZero() {
				t.Errorf("token %s (%s): last used %v", tk.ID, tk.Name, tk.LastUsedAt)
			}
			if tk.Hash == secret || tk.Hash == writer {
				t.Errorf("token %s stored in clear", tk.ID)
			}
		}
		for _, bad := range []struct {
			name   string
			scopes []string
			ttl    time.Duration
		}{
			{"x", []string{"admin"}, time.Hour},
			{"x", nil, time.Hour},
			{"x", []string{"read"}, 0},
			{"x", []string{"read"}, auth.MaxTokenTTL + time.Hour},
			{" ", []string{"read"}, time.Hour},
		} {
			if _, err := auth.IssueToken(ctx, s, "ci", bad.name, bad.scopes, bad.ttl); mamori.KindOf(err) != mamori.Invalid {
				t.Errorf("IssueToken(%q, %v, %v) = %v, want an Invalid error", bad.name, bad.scopes, bad.ttl, err)
			}
		}
		if _, err := auth.IssueToken(ctx, s, "nobody", "x", []string{"read"}, time.Hour); mamori.KindOf(err) != mamori.NotFound {
			t.Errorf("IssueToken(unknown user) = %v", err)
		}
	})
}

func TestCreateUserChecks(t *testing.T) {
	s := storetest.OpenSQLite(t)
	setup(t, s, nil)
	for _, tc := range []struct {
		nu   auth.NewUser
		kind mamori.Kind
	}{
		{auth.NewUser{Name: "bad name", Password: pw}, mamori.Invalid},
		{auth.NewUser{Name: "", Password: pw}, mamori.Invalid},
		{auth.NewUser{Name: "ok", Password: "short"}, mamori.Invalid},
		{auth.NewUser{Name: "ok", Password: pw, Grants: []store.RoleGrant{{Role: "root", OrgCode: "M01"}}}, mamori.Invalid},
		{auth.NewUser{Name: "ok", Password: pw, Grants: []store.RoleGrant{{Role: "viewer", OrgCode: "X"}}}, mamori.Invalid},
	} {
		if err := auth.CreateUser(t.Context(), s, tc.nu, t0); mamori.KindOf(err) != tc.kind {
			t.Errorf("CreateUser(%+v) = %v, want kind %v", tc.nu, err, tc.kind)
		}
	}
	// Every role of the vocabulary is one the schema accepts.
	if err := auth.CreateUser(t.Context(), s, auth.NewUser{Name: "all", Password: pw}, t0); err != nil {
		t.Fatal(err)
	}
	for _, ri := range auth.Roles {
		if err := auth.Grant(t.Context(), s, "all", ri.Role, "M01"); err != nil {
			t.Errorf("Grant(%s): %v", ri.Role, err)
		}
		if ri.JA == "" || ri.EN == "" {
			t.Errorf("role %s lacks a name", ri.Role)
		}
	}
}
