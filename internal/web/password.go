package web

import (
	"errors"
	"net/http"
	"time"

	"mamori"
	"mamori/internal/audit"
	"mamori/internal/auth"
	"mamori/internal/store"
)

// The password page: every signed-in user changes their own password here,
// with the current one. After an administrator's reset the account's
// password is a one-time password, and requireSession sends every other
// request here until the user has chosen their own.

type passwordView struct {
	Forced  bool   // the password is a one-time password: a change is required
	Message string // why the last attempt was refused
	Done    bool
	Next    string // where to go once changed
}

// passwordTitle is the page's title.
func (s *server) passwordTitle(r *http.Request) string {
	return s.loc(r).MustT("session.password.title")
}

func (s *server) passwordPage(w http.ResponseWriter, r *http.Request) error {
	v := viewerOf(r.Context())
	return s.render(w, r, http.StatusOK, "password.html", s.passwordTitle(r), "", passwordView{Forced: v.user.PasswordChangeRequired})
}

// accountOrg is the organization a change to one's own account is recorded
// under: the first of its grants.
func accountOrg(u store.User) string {
	if len(u.Grants) > 0 {
		return u.Grants[0].OrgCode
	}
	return ""
}

// changePassword checks the current password and the new one (twice), sets
// it, ends every session of the account and opens a new one for this
// browser.
func (s *server) changePassword(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	l := s.loc(r)
	v := viewerOf(ctx)
	view := passwordView{Forced: v.user.PasswordChangeRequired}
	refuse := func(status int, msg string) error {
		view.Message = msg
		return s.render(w, r, status, "password.html", s.passwordTitle(r), "", view)
	}
	current, next := r.PostFormValue("current"), r.PostFormValue("new")
	if next != r.PostFormValue("confirm") {
		return refuse(http.StatusBadRequest, l.MustT("session.password.mismatch"))
	}
	err := auth.ChangePassword(ctx, s.store, v.user.Name, current, next, time.Now())
	if err != nil {
		me, ok := errors.AsType[*mamori.Error](err)
		if !ok || me.Kind == mamori.Internal {
			return err
		}
		// A wrong current password, and any attempt while the account is
		// locked (or disabled), is a failed sign-in, as on /login.
		if me.Kind == mamori.Unauthenticated {
			if _, err := audit.Record(ctx, s.store, v.user.Name, audit.LoginFailed, "users/"+v.user.Name, accountOrg(v.user),
				map[string]string{"event": "passwd", "ip": clientIP(r)}); err != nil {
				return err
			}
		}
		return refuse(statusOf(me.Kind), l.Pick(me.MessageJA, me.Message))
	}
	if _, err := audit.Record(ctx, s.store, v.user.Name, audit.Write, "users/"+v.user.Name, accountOrg(v.user),
		map[string]string{"event": "passwd"}); err != nil {
		return err
	}
	// The change ended every session of the account, this one included.
	if err := s.startSession(w, r, v.user.Name, v.enrolOnly); err != nil {
		return err
	}
	view.Forced, view.Done, view.Next = false, true, "/dashboard"
	if v.enrolOnly {
		view.Next = "/enrol"
	}
	return s.render(w, r, http.StatusOK, "password.html", s.passwordTitle(r), "", view)
}
