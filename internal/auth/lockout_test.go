package auth

import (
	"testing"
	"time"

	"mamori/internal/store"
)

func TestLockFor(t *testing.T) {
	for _, tc := range []struct {
		n    int
		want time.Duration
	}{
		{5, 15 * time.Minute},
		{6, 30 * time.Minute},
		{7, time.Hour},
		{11, 16 * time.Hour},
		{12, MaxLockout},
		{1000, MaxLockout},
	} {
		if got := lockFor(tc.n); got != tc.want {
			t.Errorf("lockFor(%d) = %v, want %v", tc.n, got, tc.want)
		}
	}
}

// TestRecordFailure follows the failure count through the window, the
// back-off and its reset.
func TestRecordFailure(t *testing.T) {
	t0 := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name       string
		before     store.User
		at         time.Time
		wantN      int
		wantLocked time.Time
	}{
		{"first failure", store.User{}, t0, 1, time.Time{}},
		{"within the window", store.User{FailedLogins: 3, FailedSince: t0}, t0.Add(10 * time.Minute), 4, time.Time{}},
		{"fifth within the window locks", store.User{FailedLogins: 4, FailedSince: t0}, t0.Add(14 * time.Minute), 5, t0.Add(29 * time.Minute)},
		{"after the window starts again", store.User{FailedLogins: 4, FailedSince: t0}, t0.Add(16 * time.Minute), 1, time.Time{}},
		{"after a lock: twice as long", store.User{FailedLogins: 5, FailedSince: t0, LockedUntil: t0.Add(15 * time.Minute)},
			t0.Add(20 * time.Minute), 6, t0.Add(50 * time.Minute)},
		{"a day after the last lock: forgiven", store.User{FailedLogins: 7, FailedSince: t0, LockedUntil: t0.Add(time.Hour)},
			t0.Add(26 * time.Hour), 1, time.Time{}},
	} {
		u := tc.before
		recordFailure(&u, tc.at)
		if u.FailedLogins != tc.wantN || !u.LockedUntil.Equal(tc.wantLocked) {
			t.Errorf("%s: failures %d, locked until %v; want %d, %v", tc.name, u.FailedLogins, u.LockedUntil, tc.wantN, tc.wantLocked)
		}
	}
}
