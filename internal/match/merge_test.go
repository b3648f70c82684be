package match_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"mamori/internal/feed"
	"mamori/internal/match"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// A Go advisory that affects two modules of one image (as GO-2024-2605
// affects pgx v3 and pgx/v4), and a package whose version has no place in
// Go's order.
const twoModules = `{"schema_version":"1.3.1","id":"GO-2099-0001","modified":"2026-01-01T00:00:00Z","aliases":["CVE-2099-7777"],
"affected":[
 {"package":{"ecosystem":"Go","name":"github.com/jackc/pgx"},"ranges":[{"type":"SEMVER","events":[{"introduced":"0"}]}]},
 {"package":{"ecosystem":"Go","name":"github.com/jackc/pgx/v4"},"ranges":[{"type":"SEMVER","events":[{"introduced":"0"},{"fixed":"4.18.2"}]}]},
 {"package":{"ecosystem":"Go","name":"github.com/example/devel"},"ranges":[{"type":"SEMVER","events":[{"introduced":"0"},{"fixed":"1.0.0"}]}]}
]}`

// TestMatchNamesEveryPackage: one vulnerability on two packages of an
// image is one match naming both, so upgrading one does not hide the
// other; a version that cannot be ordered is reported, not called safe.
func TestMatchNamesEveryPackage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := t.Context()
		c := &truthCase{name: "pgx", rows: []truthRow{
			{product: "github.com/jackc/pgx", version: "v3.3.0+incompatible", purl: "pkg:golang/github.com/jackc/pgx@v3.3.0%2Bincompatible"},
			{product: "github.com/jackc/pgx/v4", version: "v4.17.0", purl: "pkg:golang/github.com/jackc/pgx/v4@v4.17.0"},
			{product: "github.com/example/devel", version: "(devel)", purl: "pkg:golang/github.com/example/devel@%28devel%29"},
		}}
		loadCases(t, st, []*truthCase{c})
		path := filepath.Join(t.TempDir(), "GO-2099-0001.json")
		if err := os.WriteFile(path, []byte(twoModules), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := feed.ImportPath(ctx, st, path, feed.Options{}); err != nil {
			t.Fatal(err)
		}
		res, err := match.Run(ctx, st, match.Options{Now: truthDay(0)})
		if err != nil {
			t.Fatal(err)
		}
		ms, err := st.Matches(ctx, store.MatchFilter{OwnerCode: "I-pgx", VulnID: "CVE-2099-7777"})
		if err != nil {
			t.Fatal(err)
		}
		if len(ms) != 1 || ms[0].Software != "github.com/jackc/pgx v3.3.0+incompatible, github.com/jackc/pgx/v4 v4.17.0" {
			t.Fatalf("matches %+v, want one naming both modules", ms)
		}
		if len(res.Problems) != 1 || !strings.Contains(res.Problems[0], "(devel)") {
			t.Errorf("problems %q, want the (devel) version reported", res.Problems)
		}
	})
}
