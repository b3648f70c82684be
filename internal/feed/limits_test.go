package feed_test

import (
	"bytes"
	"compress/gzip"
	"errors"
	"maps"
	"strings"
	"testing"

	"mamori"
	"mamori/internal/feed"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// TestImportGzipBomb: a gzip feed that decompresses past the limit is
// refused naming it, and nothing of it is kept (issue 12, item 6).
func TestImportGzipBomb(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		// JSON Lines of OSV records: whole ones first, then the bomb's tail.
		rec := `{"schema_version":"1.6.0","id":"GO-2020-0001","modified":"2021-04-14T20:04:52Z","affected":[{"package":{"name":"github.com/gin-gonic/gin","ecosystem":"Go"},"ranges":[{"type":"SEMVER","events":[{"introduced":"0"},{"fixed":"1.6.0"}]}]}]}` + "\n"
		gzipped := func(n int) []byte {
			var b bytes.Buffer
			zw, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
			for range n {
				zw.Write([]byte(rec))
			}
			zw.Close()
			return b.Bytes()
		}
		bomb := gzipped(20_000) // 4 MiB of records, from 20 KiB
		before, err := st.Counts(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		_, err = feed.Import(t.Context(), st, bytes.NewReader(bomb), int64(len(bomb)), "bomb.jsonl.gz",
			feed.Options{MaxUnzipped: 64 << 10})
		if !errors.Is(err, mamori.ErrLimit) || !strings.Contains(err.Error(), "decompressed size exceeds the limit of 64 KiB") {
			t.Errorf("Import(gzip bomb) = %v, want the decompressed size limit", err)
		}
		after, err := st.Counts(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		if !maps.Equal(before, after) {
			t.Errorf("a refused feed changed the store: %v → %v", before, after)
		}
		ok := gzipped(100)
		if _, err := feed.Import(t.Context(), st, bytes.NewReader(ok), int64(len(ok)), "ok.jsonl.gz",
			feed.Options{MaxUnzipped: 64 << 10}); err != nil {
			t.Errorf("Import(within the limit) = %v", err)
		}
	})
}
