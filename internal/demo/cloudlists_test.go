package demo_test

import (
	"testing"
	"time"

	"mamori/internal/demo"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// TestDemoCloudLists: the demo imports two ISMAP snapshots and one
// ISMAP-LIU snapshot; a service its contracts use dropped off the newer
// ISMAP one, and some listings have expired.
func TestDemoCloudLists(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		if _, err := demo.Generate(ctx, s, demo.Options{Scale: demo.Small, Today: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)}); err != nil {
			t.Fatal(err)
		}
		snaps, err := s.CloudListSnapshots(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(snaps) != 3 || snaps[0].AsOf != "2026-11-01" || snaps[1].AsOf != "2026-05-01" {
			t.Fatalf("snapshots %+v", snaps)
		}
		st, err := s.CloudListStatuses(ctx)
		if err != nil {
			t.Fatal(err)
		}
		dropped, expired, unlisted := 0, 0, 0
		for _, c := range st {
			switch {
			case c.Dropped():
				dropped++
			case c.Listed != nil && *c.Listed && c.ValidUntil < "2026-11-01":
				expired++
			case c.Listed != nil && !*c.Listed:
				unlisted++
			}
		}
		if dropped != 1 || expired == 0 || unlisted == 0 {
			t.Errorf("dropped %d, expired %d, unlisted %d", dropped, expired, unlisted)
		}
	})
}
