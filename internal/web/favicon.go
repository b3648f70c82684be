package web

import (
	"bytes"
	_ "embed"
	"net/http"
	"time"
)

// faviconICO is the site's icon, a shield drawn for mamori (32×32), embedded
// so that nothing is fetched from elsewhere.
//
//go:embed favicon.ico
var faviconICO []byte

// favicon answers the browsers' own request for /favicon.ico. Its URL
// cannot carry a hash as the other assets' do, so it is cached for a long
// time (a year) rather than for good: a new icon reaches a browser when its
// copy expires.
func (s *server) favicon(w http.ResponseWriter, r *http.Request) error {
	h := w.Header()
	h.Set("Content-Type", "image/x-icon")
	h.Set("Cache-Control", "public, max-age=31536000")
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(faviconICO))
	return nil
}
