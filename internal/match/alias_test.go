package match_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"mamori"
	"mamori/internal/feed"
	"mamori/internal/match"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// A Go advisory carrying two CVEs, as GO-2024-2652 carries CVE-2024-21652
// and CVE-2024-21662; CISA lists only the second.
const twoCVEs = `{"schema_version":"1.3.1","id":"GO-2099-0002","modified":"2026-01-01T00:00:00Z",
"aliases":["CVE-2099-8002","CVE-2099-8001","GHSA-aaaa-bbbb-cccc"],
"affected":[{"package":{"ecosystem":"Go","name":"github.com/example/twocves"},"ranges":[{"type":"SEMVER","events":[{"introduced":"0"},{"fixed":"2.0.0"}]}]}]}`

// TestMatchAnswersToEveryAlias: the match is named by the first CVE, and
// answers to the second, the GHSA and the advisory in the store's search
// and the report's; the second CVE's KEV deadline and a countermeasure
// recorded under it belong to the match.
func TestMatchAnswersToEveryAlias(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := t.Context()
		loadCases(t, st, []*truthCase{{name: "twocves", rows: []truthRow{
			{product: "github.com/example/twocves", version: "v1.9.0", purl: "pkg:golang/github.com/example/twocves@v1.9.0"},
		}}})
		// And a GHSA for each CVE, about another package: the match
		// answers to both, through either CVE.
		dir := t.TempDir()
		for name, rec := range map[string]string{"GO-2099-0002.json": twoCVEs,
			"GHSA-1111-1111-1111.json": `{"schema_version":"1.3.1","id":"GHSA-1111-1111-1111","modified":"2026-01-01T00:00:00Z","aliases":["CVE-2099-8001"],
"affected":[{"package":{"ecosystem":"npm","name":"unrelated-one"},"ranges":[{"type":"SEMVER","events":[{"introduced":"0"}]}]}]}`,
			"GHSA-2222-2222-2222.json": `{"schema_version":"1.3.1","id":"GHSA-2222-2222-2222","modified":"2026-01-01T00:00:00Z","aliases":["CVE-2099-8002"],
"affected":[{"package":{"ecosystem":"npm","name":"unrelated-two"},"ranges":[{"type":"SEMVER","events":[{"introduced":"0"}]}]}]}`,
		} {
			if err := os.WriteFile(filepath.Join(dir, name), []byte(rec), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := feed.ImportPath(ctx, st, dir, feed.Options{}); err != nil {
			t.Fatal(err)
		}
		if _, err := match.Run(ctx, st, match.Options{Now: truthDay(0)}); err != nil {
			t.Fatal(err)
		}
		ms, err := st.Matches(ctx, store.MatchFilter{OpenOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		const wantAliases = "CVE-2099-8002 GHSA-1111-1111-1111 GHSA-2222-2222-2222 GHSA-aaaa-bbbb-cccc GO-2099-0002"
		if len(ms) != 1 || ms[0].VulnID != "CVE-2099-8001" || ms[0].Aliases != wantAliases {
			t.Fatalf("matches %+v, want one named CVE-2099-8001 with aliases %s", ms, wantAliases)
		}
		for _, id := range []string{"CVE-2099-8001", "CVE-2099-8002", "ghsa-AAAA-bbbb-cccc", "GO-2099-0002", "GHSA-2222-2222-2222"} {
			got, err := st.Matches(ctx, store.MatchFilter{AnyID: id, OpenOnly: true})
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 1 {
				t.Errorf("store search %s: %d matches, want 1", id, len(got))
			}
			rep, err := match.BuildReport(ctx, st, match.Scope{Vuln: id})
			if err != nil {
				t.Fatal(err)
			}
			if len(rep.Exposures) != 1 || strings.Join(rep.Exposures[0].Aliases, " ") != wantAliases {
				t.Errorf("report search %s: %+v", id, rep.Exposures)
			}
		}
		for _, id := range []string{"CVE-2099-800", "CVE-2099-8003", "GO-2099-000_", "%"} {
			got, err := st.Matches(ctx, store.MatchFilter{AnyID: id})
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 0 {
				t.Errorf("store search %q: %d matches, want none (a search is for a whole identifier)", id, len(got))
			}
		}

		// CISA lists the second CVE; the countermeasure is recorded under it.
		err = st.Load(ctx, store.LoadOptions{}, func(l *store.Loader) error {
			return l.Put(store.KEVTable, []mamori.Record{{"CVE-2099-8002", "Example", "twocves", "Example twocves", "2026-10-01", "2026-10-22", nil, "Unknown", nil, nil}})
		})
		if err != nil {
			t.Fatal(err)
		}
		if err := st.PutCountermeasure(ctx, store.Countermeasure{SystemCode: "S-twocves", VulnID: "CVE-2099-8002", Kind: "planned", DueOn: "2026-12-01", RecordedOn: "2026-11-02"}); err != nil {
			t.Fatal(err)
		}
		rep, err := match.BuildReport(ctx, st, match.Scope{System: "S-twocves"})
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Exposures) != 1 {
			t.Fatalf("exposures %+v", rep.Exposures)
		}
		if e := rep.Exposures[0]; e.KEVDue != "2026-10-22" || e.Countermeasure != "planned" || e.DueOn != "2026-12-01" {
			t.Errorf("exposure %+v: want the second CVE's KEV deadline 2026-10-22 and its plan due 2026-12-01", e)
		}
		if rep.Systems[0].KEV != 1 || rep.Systems[0].Unhandled != 0 {
			t.Errorf("summary %+v: want 1 KEV, 0 without countermeasure", rep.Systems[0])
		}
		// A purl match (100) stays under any least confidence.
		for conf, want := range map[int]int{100: 1, 80: 1} {
			rep, err := match.BuildReport(ctx, st, match.Scope{MinConfidence: conf})
			if err != nil {
				t.Fatal(err)
			}
			if len(rep.Exposures) != want {
				t.Errorf("min confidence %d: %d exposures, want %d", conf, len(rep.Exposures), want)
			}
		}
	})
}
