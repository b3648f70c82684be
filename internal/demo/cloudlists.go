package demo

// The published cloud service lists as the demo's operator would have
// imported them (issue 15, item 6): two snapshots of the ISMAP list, half
// a year apart, and one of the ISMAP-LIU list. The register's services
// that claim a listing are on them, with the validity the register
// records (so the expired ones stay expired), except one service the
// demo's contracts use that is on the older ISMAP snapshot only: it
// dropped off, and CLD-03 raises a finding on every contract using it;
// and one used service whose listing the lists show as run out. Some
// numbers are printed in full width, as on the published lists.

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"mamori"
	"mamori/internal/store"
)

// cloudLists stores the snapshots after the register is loaded.
func (w *world) cloudLists(ctx context.Context, s *store.Store) error {
	used := map[int32]int{}
	for i := range w.contracts {
		if c := w.contracts[i].cloud; c >= 0 {
			used[c]++
		}
	}
	// The service that drops off: the most used fictitious ISMAP service
	// (the real providers stay listed), else the most used ISMAP one.
	dropped := int32(-1)
	for _, fictitious := range []bool{true, false} {
		for i := range w.clouds {
			c := &w.clouds[i]
			if c.status != "ismap" || c.reg == "" || used[int32(i)] == 0 || fictitious && i < len(realClouds) {
				continue
			}
			if dropped < 0 || used[int32(i)] > used[dropped] {
				dropped = int32(i)
			}
		}
		if dropped >= 0 {
			break
		}
	}
	// And one used service whose listing the lists show as run out,
	// unless a used one has already.
	expired := int32(-1)
	for i := range w.clouds {
		c := &w.clouds[i]
		if c.status == "none" || c.reg == "" || used[int32(i)] == 0 || int32(i) == dropped {
			continue
		}
		if c.valid != noDay && c.valid < 0 {
			expired = -1
			break
		}
		if expired < 0 || used[int32(i)] > used[expired] {
			expired = int32(i)
		}
	}
	today := w.dates.today
	newer := time.Date(today.Year(), today.Month(), 1, 0, 0, 0, 0, time.UTC)
	older := newer.AddDate(0, -6, 0)
	lists := []struct {
		kind, status string
		asOf         time.Time
		withDropped  bool
	}{
		{store.CloudListISMAP, "ismap", older, true},
		{store.CloudListISMAP, "ismap", newer, false},
		{store.CloudListLIU, "ismap_liu", newer, false},
	}
	for _, l := range lists {
		var entries []store.CloudListEntry
		seen := map[string]bool{}
		for i := range w.clouds {
			c := &w.clouds[i]
			if c.status != l.status || c.reg == "" || seen[mamori.ListKey(c.reg)] || int32(i) == dropped && !l.withDropped {
				continue
			}
			seen[mamori.ListKey(c.reg)] = true
			e := store.CloudListEntry{Row: len(entries) + 6, RegistrationNumber: c.reg, Service: c.name, Provider: c.provider}
			if v, ok := w.date(c.listed).(string); ok {
				e.RegisteredOn = v
			}
			valid := c.valid
			if int32(i) == expired {
				valid = -45
			}
			v, ok := w.date(valid).(string)
			if !ok {
				continue
			}
			e.ValidUntil = v
			if len(entries)%5 == 4 {
				// The lists mix full-width numbers in; matching folds them.
				e.RegistrationNumber = wide(c.reg)
			}
			entries = append(entries, e)
		}
		if len(entries) == 0 {
			continue
		}
		asOf := l.asOf.Format(time.DateOnly)
		sum := sha256.New()
		for _, e := range entries {
			fmt.Fprintf(sum, "%s,%s,%s,%s,%s\n", e.RegistrationNumber, e.Service, e.Provider, e.RegisteredOn, e.ValidUntil)
		}
		snap := store.CloudListSnapshot{Kind: l.kind, AsOf: asOf, FileName: l.kind + "-" + asOf + ".xlsx",
			SHA256: hex.EncodeToString(sum.Sum(nil)), ImportedBy: "demo", ImportedAt: l.asOf.AddDate(0, 0, 3)}
		if _, err := s.AddCloudList(ctx, snap, entries); err != nil {
			return err
		}
	}
	return nil
}

// wide writes a registration number in full-width characters.
func wide(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '-':
			b.WriteRune('－')
		case r >= '!' && r <= '~':
			b.WriteRune(r - '!' + '！')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
