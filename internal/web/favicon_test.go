package web_test

import (
	"bytes"
	"encoding/binary"
	"image/png"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"mamori/internal/store/storetest"
	"mamori/internal/web"
)

// TestFavicon: /favicon.ico is a small embedded icon for anyone, signed in
// or not, cached for a long time.
func TestFavicon(t *testing.T) {
	s := storetest.OpenSQLite(t)
	h := web.New(s, slog.New(slog.DiscardHandler), "test")
	rec := do(h, "GET", "/favicon.ico", "", nil)
	if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != "image/x-icon" {
		t.Fatalf("GET /favicon.ico = %d %q, want 200 image/x-icon", rec.Code, rec.Header().Get("Content-Type"))
	}
	if cc := rec.Header().Get("Cache-Control"); !strings.Contains(cc, "max-age=31536000") {
		t.Errorf("Cache-Control %q, want a long max-age", cc)
	}
	// An ICO directory of one image whose data is a PNG of the size it states.
	b := rec.Body.Bytes()
	if len(b) < 22 || !bytes.Equal(b[:4], []byte{0, 0, 1, 0}) || binary.LittleEndian.Uint16(b[4:]) != 1 {
		t.Fatalf("not an icon file: % x", b[:min(len(b), 22)])
	}
	size, offset := binary.LittleEndian.Uint32(b[14:]), binary.LittleEndian.Uint32(b[18:])
	img, err := png.Decode(bytes.NewReader(b[offset : offset+size]))
	if err != nil {
		t.Fatalf("the icon's image: %v", err)
	}
	if r := img.Bounds(); r.Dx() != int(b[6]) || r.Dy() != int(b[7]) || r.Dx() < 16 {
		t.Errorf("icon image %v, directory says %d×%d", r, b[6], b[7])
	}
	if len(b) > 4096 {
		t.Errorf("icon of %d bytes; a favicon should be small", len(b))
	}
}
