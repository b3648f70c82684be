package main

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestPercentile(t *testing.T) {
	var l []time.Duration
	for i := 1; i <= 100; i++ {
		l = append(l, time.Duration(i)*time.Millisecond)
	}
	for _, c := range []struct {
		p    float64
		want time.Duration
	}{{50, 50 * time.Millisecond}, {90, 90 * time.Millisecond}, {99, 99 * time.Millisecond}, {100, 100 * time.Millisecond}, {0, time.Millisecond}} {
		if got := percentile(l, c.p); got != c.want {
			t.Errorf("percentile(1..100 ms, %v) = %v, want %v", c.p, got, c.want)
		}
	}
	// Nearest rank on few samples: p99 of three is the largest, p50 the middle.
	three := []time.Duration{1, 2, 3}
	if got := percentile(three, 99); got != 3 {
		t.Errorf("p99 of 1,2,3 = %v, want 3", got)
	}
	if got := percentile(three, 50); got != 2 {
		t.Errorf("p50 of 1,2,3 = %v, want 2", got)
	}
	if got := percentile(nil, 99); got != 0 {
		t.Errorf("p99 of nothing = %v, want 0", got)
	}
}

func TestMs(t *testing.T) {
	if got := ms(1234567 * time.Microsecond); got != "1234.6" {
		t.Errorf("ms(1234.567 ms) = %q", got)
	}
	if got := ms(50 * time.Microsecond); got != "0.1" {
		t.Errorf("ms(0.05 ms) = %q", got)
	}
}

func TestParseTargets(t *testing.T) {
	got, err := parseTargets(" a=/x , b=/y?page=2,")
	if err != nil {
		t.Fatal(err)
	}
	want := []target{{"a", "/x"}, {"b", "/y?page=2"}}
	if !slices.Equal(got, want) {
		t.Errorf("parseTargets = %v, want %v", got, want)
	}
	def, err := parseTargets(defaultTargets)
	if err != nil || len(def) != 6 {
		t.Errorf("default targets: %v, %v", def, err)
	}
	for _, bad := range []string{"", "a", "=/x", "a=x", "a=/x,a=/y", " , "} {
		if _, err := parseTargets(bad); err == nil {
			t.Errorf("parseTargets(%q) accepted", bad)
		}
	}
}

func TestParseFlags(t *testing.T) {
	env := func(k string) string {
		if k == "MAMORI_LOAD_PASSWORD" {
			return "from-env"
		}
		return ""
	}
	cfg, err := parseFlags([]string{"-url", "http://127.0.0.1:9/", "-c", "2", "-d", "3s"}, env)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.password != "from-env" || cfg.base.String() != "http://127.0.0.1:9" || cfg.workers != 2 || cfg.duration != 3*time.Second {
		t.Errorf("config = %+v", cfg)
	}
	if cfg.targetP99 != 100*time.Millisecond || cfg.requests != 200 || len(cfg.targets) != 6 {
		t.Errorf("defaults = %+v", cfg)
	}
	none := func(string) string { return "" }
	for _, args := range [][]string{
		{},                              // no password
		{"-password", "x", "-c", "0"},   // no workers
		{"-password", "x", "-n", "0"},   // no requests
		{"-password", "x", "-url", ":"}, // bad URL
		{"-password", "x", "-targets", "a"},
		{"-password", "x", "extra"},
	} {
		if _, err := parseFlags(args, none); err == nil {
			t.Errorf("parseFlags(%q) accepted", args)
		}
	}
}

func TestFirstSystemCode(t *testing.T) {
	page := `<a href="/systems?sort=code">Code</a><a href="/systems.csv">CSV</a>
<td class="code"><a href="/systems/P13-M0001-S00001">P13-M0001-S00001</a></td>
<td class="code"><a href="/systems/P13-M0001-S00002">P13-M0001-S00002</a></td>`
	if code, ok := firstSystemCode([]byte(page)); !ok || code != "P13-M0001-S00001" {
		t.Errorf("firstSystemCode = %q, %t", code, ok)
	}
	if _, ok := firstSystemCode([]byte(`<a href="/systems?page=2">next</a>`)); ok {
		t.Error("found a system code on a page without one")
	}
}

// TestRun drives the whole tool against a fake server: it must sign in
// with the form, carry the cookie, fill the system code, and count a
// failing page as errors (false) while a slow page is only OVER.
func TestRun(t *testing.T) {
	var logins int
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/login" && r.Method == http.MethodPost {
			if r.PostFormValue("name") != "demo" || r.PostFormValue("password") != "pw" {
				w.WriteHeader(http.StatusUnauthorized)
				return
			}
			logins++
			http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "s1", Path: "/"})
			http.Redirect(w, r, "/", http.StatusSeeOther)
			return
		}
		if c, err := r.Cookie(sessionCookie); err != nil || c.Value != "s1" {
			http.Redirect(w, r, "/login", http.StatusSeeOther)
			return
		}
		switch r.URL.Path {
		case "/systems":
			w.Write([]byte(`<a href="/systems/S-1">S-1</a>`))
		case "/systems/S-1":
			w.Write([]byte("one system"))
		case "/slow":
			time.Sleep(3 * time.Millisecond)
		case "/flaky":
			if r.URL.Query().Get("n") == "" {
				w.Write([]byte("ok"))
				return
			}
			http.Error(w, "no", http.StatusInternalServerError)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	base, _ := url.Parse(srv.URL)
	cfg := config{base: base, user: "demo", password: "pw", workers: 3, requests: 20, warmup: 2,
		targetP99: time.Millisecond, timeout: 5 * time.Second,
		targets: []target{{"list", "/systems"}, {"system", "/systems/{system}"}, {"slow", "/slow"}}}
	var out, errOut bytes.Buffer
	ok, err := run(context.Background(), cfg, &out, &errOut)
	if err != nil || !ok {
		t.Fatalf("run = %t, %v\n%s%s", ok, err, out.String(), errOut.String())
	}
	if logins != 1 {
		t.Errorf("signed in %d times, want once", logins)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 5 {
		t.Fatalf("want a heading, a header and 3 rows:\n%s", out.String())
	}
	for _, want := range []string{"/systems/S-1", "20", "OVER"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	if f := strings.Fields(lines[4]); f[0] != "slow" || f[len(f)-1] != "OVER" || f[3] != "0" {
		t.Errorf("slow row = %q", lines[4])
	}

	// A page that fails under load is an error (exit non-zero); one that
	// fails on the first check stops the run before any load.
	cfg.targets = []target{{"missing", "/nope"}}
	if _, err := run(context.Background(), cfg, &out, &errOut); err == nil || !strings.Contains(err.Error(), "404") {
		t.Errorf("missing page: err = %v, want a 404 error", err)
	}
	cfg.password = "wrong"
	if _, err := run(context.Background(), cfg, &out, &errOut); err == nil || !strings.Contains(err.Error(), "sign in") {
		t.Errorf("wrong password: err = %v", err)
	}
	cfg.password = "pw"
	c := newClient(cfg)
	if err := c.signIn(context.Background(), "demo", "pw"); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	r := load(context.Background(), c, target{"flaky", "/flaky?n=1"}, 2, 10, 0)
	if r.Errors != 10 || len(r.Latencies) != 10 {
		t.Errorf("flaky: %d errors of %d", r.Errors, len(r.Latencies))
	}
	if report(&out, []result{r}, time.Second) {
		t.Errorf("report with errors said ok:\n%s", out.String())
	}
	if !strings.Contains(out.String(), "status 500") {
		t.Errorf("report lacks the first error:\n%s", out.String())
	}
	// Duration mode stops by time, not by count.
	r = load(context.Background(), c, target{"slow", "/slow"}, 2, 1, 50*time.Millisecond)
	if len(r.Latencies) < 2 || r.Errors != 0 {
		t.Errorf("duration mode: %d requests, %d errors", len(r.Latencies), r.Errors)
	}
}
