// Command load measures the web UI's latency and throughput under a bounded
// load: it signs in once through the login form, then for each target page
// runs a fixed number of requests (or runs for a fixed time) from a few
// concurrent workers on one keep-alive connection pool, and prints p50, p90,
// p99 and max latency and the throughput per page against a p99 target.
//
//	go run ./bench/load -url http://127.0.0.1:8080 -user demo -password …
//
// The load is closed-loop (each worker sends its next request when the
// previous one is answered), so a slow server is measured rather than
// flooded. The exit status is 0 when every request was answered with 200,
// whether or not the p99 target was met; it is a measuring tool, not a gate.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"text/tabwriter"
	"time"
)

// sessionCookie is the web UI's session cookie (internal/web/session.go).
// The cookie is carried by hand rather than with a cookie jar so that the
// tool keeps working if the server marks it Secure behind a TLS proxy.
const sessionCookie = "mamori_session"

// systemPlaceholder in a target path is replaced by the code of the first
// system on the register's first page, so the default list needs no
// knowledge of the data set.
const systemPlaceholder = "{system}"

// defaultTargets are the pages the speed issue names: the dashboard, the
// register list's first page and a deep page (offset paging is the usual
// trap), one system, and the findings list with a deep page.
const defaultTargets = "dashboard=/dashboard,list-first=/systems,list-deep=/systems?page=2000," +
	"system=/systems/" + systemPlaceholder + ",findings=/findings,findings-deep=/findings?page=500"

type target struct {
	Name, Path string
}

// result is one target's measurement.
type result struct {
	Target    target
	Latencies []time.Duration // successful and failed requests alike
	Errors    int
	FirstErr  string
	Elapsed   time.Duration
}

type config struct {
	base      *url.URL
	user      string
	password  string
	workers   int
	requests  int
	duration  time.Duration
	warmup    int
	targets   []target
	targetP99 time.Duration
	timeout   time.Duration
}

func main() {
	cfg, err := parseFlags(os.Args[1:], os.Getenv)
	if err != nil {
		fmt.Fprintln(os.Stderr, "load:", err)
		os.Exit(2)
	}
	ok, err := run(context.Background(), cfg, os.Stdout, os.Stderr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "load:", err)
		os.Exit(1)
	}
	if !ok {
		os.Exit(1)
	}
}

func parseFlags(args []string, getenv func(string) string) (config, error) {
	fs := flag.NewFlagSet("load", flag.ContinueOnError)
	base := fs.String("url", "http://127.0.0.1:8080", "base URL of the mamori server")
	user := fs.String("user", "demo", "account to sign in as (a viewer: no second factor)")
	password := fs.String("password", "", "password (default: env MAMORI_LOAD_PASSWORD)")
	workers := fs.Int("c", 4, "concurrent workers")
	requests := fs.Int("n", 200, "requests per target")
	duration := fs.Duration("d", 0, "run each target for this long instead of -n requests")
	warmup := fs.Int("warmup", 0, "unmeasured requests per target before measuring")
	targets := fs.String("targets", defaultTargets, "comma-separated name=path list; "+systemPlaceholder+" is a system code from the register's first page")
	targetP99 := fs.Duration("target-p99", 100*time.Millisecond, "p99 latency target per page")
	timeout := fs.Duration("timeout", 2*time.Minute, "per-request timeout")
	if err := fs.Parse(args); err != nil {
		return config{}, err
	}
	if fs.NArg() > 0 {
		return config{}, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	cfg := config{user: *user, password: *password, workers: *workers, requests: *requests, duration: *duration,
		warmup: *warmup, targetP99: *targetP99, timeout: *timeout}
	if cfg.password == "" {
		cfg.password = getenv("MAMORI_LOAD_PASSWORD")
	}
	if cfg.password == "" {
		return config{}, errors.New("no password: give -password or set MAMORI_LOAD_PASSWORD")
	}
	u, err := url.Parse(strings.TrimRight(*base, "/"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return config{}, fmt.Errorf("-url %q: want http://host:port", *base)
	}
	cfg.base = u
	switch {
	case cfg.workers < 1:
		return config{}, fmt.Errorf("-c %d: want at least 1", cfg.workers)
	case cfg.duration < 0:
		return config{}, fmt.Errorf("-d %s: want a positive duration", cfg.duration)
	case cfg.duration == 0 && cfg.requests < 1:
		return config{}, fmt.Errorf("-n %d: want at least 1", cfg.requests)
	case cfg.warmup < 0:
		return config{}, fmt.Errorf("-warmup %d: want 0 or more", cfg.warmup)
	case cfg.targetP99 <= 0:
		return config{}, fmt.Errorf("-target-p99 %s: want a positive duration", cfg.targetP99)
	}
	if cfg.targets, err = parseTargets(*targets); err != nil {
		return config{}, err
	}
	return cfg, nil
}

// parseTargets reads "name=path,name=path"; names must be unique and paths
// absolute, so a typo fails before any load is sent.
func parseTargets(s string) ([]target, error) {
	var out []target
	seen := map[string]bool{}
	for item := range strings.SplitSeq(s, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		name, path, ok := strings.Cut(item, "=")
		name, path = strings.TrimSpace(name), strings.TrimSpace(path)
		switch {
		case !ok || name == "":
			return nil, fmt.Errorf("target %q: want name=path", item)
		case !strings.HasPrefix(path, "/"):
			return nil, fmt.Errorf("target %q: the path must start with /", item)
		case seen[name]:
			return nil, fmt.Errorf("target %q: name %q given twice", item, name)
		}
		seen[name] = true
		out = append(out, target{Name: name, Path: path})
	}
	if len(out) == 0 {
		return nil, errors.New("-targets: no targets")
	}
	return out, nil
}

// systemLink matches a link to one system's page in the register list.
var systemLink = regexp.MustCompile(`href="/systems/([A-Za-z0-9][A-Za-z0-9._-]*)"`)

// firstSystemCode returns the first system code linked from a register
// list page.
func firstSystemCode(html []byte) (string, bool) {
	m := systemLink.FindSubmatch(html)
	if m == nil {
		return "", false
	}
	return string(m[1]), true
}

// percentile is the nearest-rank percentile of sorted latencies: the
// smallest value with at least p% of the values at or below it.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(math.Ceil(p / 100 * float64(len(sorted))))
	return sorted[min(max(rank, 1), len(sorted))-1]
}

// ms formats a duration in milliseconds with one decimal.
func ms(d time.Duration) string {
	return fmt.Sprintf("%.1f", float64(d)/float64(time.Millisecond))
}

type client struct {
	http   *http.Client
	base   *url.URL
	cookie string
}

func newClient(cfg config) *client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = cfg.workers
	tr.MaxConnsPerHost = cfg.workers
	return &client{base: cfg.base, http: &http.Client{
		Transport: tr,
		Timeout:   cfg.timeout,
		// A redirect is an answer to measure (and, for a page, an error:
		// usually the session was lost), never something to follow.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

func (c *client) url(path string) string { return c.base.String() + path }

// signIn posts the login form once and keeps the session cookie.
func (c *client) signIn(ctx context.Context, user, password string) error {
	form := url.Values{"name": {user}, "password": {password}, "next": {"/"}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url("/login"), strings.NewReader(form.Encode()))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := c.http.Do(req)
	if err != nil {
		return fmt.Errorf("sign in: %w", err)
	}
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	for _, ck := range resp.Cookies() {
		if ck.Name == sessionCookie && ck.Value != "" {
			c.cookie = ck.Value
		}
	}
	if resp.StatusCode != http.StatusSeeOther || c.cookie == "" {
		return fmt.Errorf("sign in as %q: status %d, session cookie %t: %s", user, resp.StatusCode, c.cookie != "", snippet(body))
	}
	if loc := resp.Header.Get("Location"); strings.HasPrefix(loc, "/enrol") {
		return fmt.Errorf("sign in as %q: the account must enrol a second factor first; use a viewer account", user)
	}
	return nil
}

// get fetches a path with the session and reads the whole body, as a
// browser would, so the time includes rendering and transfer.
func (c *client) get(ctx context.Context, path string) (int, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.url(path), nil)
	if err != nil {
		return 0, nil, err
	}
	req.AddCookie(&http.Cookie{Name: sessionCookie, Value: c.cookie})
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return resp.StatusCode, body, err
}

// snippet is the start of a response body for an error message.
func snippet(body []byte) string {
	s := strings.Join(strings.Fields(string(body)), " ")
	if len(s) > 300 {
		s = s[:300] + "…"
	}
	return s
}

func run(ctx context.Context, cfg config, stdout, stderr io.Writer) (bool, error) {
	c := newClient(cfg)
	if err := c.signIn(ctx, cfg.user, cfg.password); err != nil {
		return false, err
	}
	targets, err := resolve(ctx, c, cfg.targets)
	if err != nil {
		return false, err
	}
	// Every target must answer once before any load is sent, so a wrong
	// path or a lost session fails at once instead of as 200 errors.
	for _, t := range targets {
		start := time.Now()
		status, body, err := c.get(ctx, t.Path)
		if err != nil {
			return false, fmt.Errorf("%s (%s): %w", t.Name, t.Path, err)
		}
		if status != http.StatusOK {
			return false, fmt.Errorf("%s (%s): status %d, want 200: %s", t.Name, t.Path, status, snippet(body))
		}
		fmt.Fprintf(stderr, "load: %-14s %s answers 200 (%s ms, %d bytes)\n", t.Name, t.Path, ms(time.Since(start)), len(body))
	}
	mode := fmt.Sprintf("%d requests", cfg.requests)
	if cfg.duration > 0 {
		mode = cfg.duration.String()
	}
	fmt.Fprintf(stdout, "%s as %s: %d workers, %s per target, %d warm-up, p99 target %s ms\n",
		cfg.base, cfg.user, cfg.workers, mode, cfg.warmup, ms(cfg.targetP99))
	var results []result
	for _, t := range targets {
		if cfg.warmup > 0 {
			load(ctx, c, t, cfg.workers, cfg.warmup, 0)
		}
		r := load(ctx, c, t, cfg.workers, cfg.requests, cfg.duration)
		fmt.Fprintf(stderr, "load: %-14s %d requests in %.1f s\n", t.Name, len(r.Latencies), r.Elapsed.Seconds())
		results = append(results, r)
	}
	ok := report(stdout, results, cfg.targetP99)
	return ok, nil
}

// resolve fills in the system placeholder from the register's first page.
func resolve(ctx context.Context, c *client, targets []target) ([]target, error) {
	if !slices.ContainsFunc(targets, func(t target) bool { return strings.Contains(t.Path, systemPlaceholder) }) {
		return targets, nil
	}
	status, body, err := c.get(ctx, "/systems")
	if err != nil {
		return nil, fmt.Errorf("register list: %w", err)
	}
	if status != http.StatusOK {
		return nil, fmt.Errorf("register list: status %d: %s", status, snippet(body))
	}
	code, ok := firstSystemCode(body)
	if !ok {
		return nil, errors.New("register list: no system on the first page to fill " + systemPlaceholder)
	}
	out := make([]target, len(targets))
	for i, t := range targets {
		out[i] = target{Name: t.Name, Path: strings.ReplaceAll(t.Path, systemPlaceholder, url.PathEscape(code))}
	}
	return out, nil
}

// load runs n requests (or, when d > 0, requests for d) from workers
// concurrent workers against one target.
func load(ctx context.Context, c *client, t target, workers, n int, d time.Duration) result {
	var (
		next     atomic.Int64
		mu       sync.Mutex
		res      = result{Target: t}
		wg       sync.WaitGroup
		deadline time.Time
	)
	start := time.Now()
	if d > 0 {
		deadline = start.Add(d)
	}
	more := func() bool {
		if d > 0 {
			return time.Now().Before(deadline)
		}
		return next.Add(1) <= int64(n)
	}
	for range workers {
		wg.Go(func() {
			var lat []time.Duration
			var errs int
			var first string
			for more() {
				t0 := time.Now()
				status, _, err := c.get(ctx, t.Path)
				lat = append(lat, time.Since(t0))
				if err != nil || status != http.StatusOK {
					errs++
					if first == "" {
						first = fmt.Sprintf("status %d", status)
						if err != nil {
							first = err.Error()
						}
					}
				}
			}
			mu.Lock()
			defer mu.Unlock()
			res.Latencies = append(res.Latencies, lat...)
			res.Errors += errs
			if res.FirstErr == "" {
				res.FirstErr = first
			}
		})
	}
	wg.Wait()
	res.Elapsed = time.Since(start)
	slices.Sort(res.Latencies)
	return res
}

// report prints the table and says whether every request succeeded.
func report(w io.Writer, results []result, targetP99 time.Duration) bool {
	// Numbers align right; the name and path are padded here so that they
	// still read left-aligned.
	nw, pw := len("target"), len("path")
	for _, r := range results {
		nw, pw = max(nw, len(r.Target.Name)), max(pw, len(r.Target.Path))
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "%-*s\t%-*s\trequests\terrors\tp50 ms\tp90 ms\tp99 ms\tmax ms\treq/s\tp99\t\n", nw, "target", pw, "path")
	ok := true
	for _, r := range results {
		l := r.Latencies
		verdict := "PASS"
		if percentile(l, 99) > targetP99 {
			verdict = "OVER"
		}
		var rate float64
		if r.Elapsed > 0 {
			rate = float64(len(l)) / r.Elapsed.Seconds()
		}
		maxL := time.Duration(0)
		if len(l) > 0 {
			maxL = l[len(l)-1]
		}
		fmt.Fprintf(tw, "%-*s\t%-*s\t%d\t%d\t%s\t%s\t%s\t%s\t%.1f\t%s\t\n", nw, r.Target.Name, pw, r.Target.Path, len(l), r.Errors,
			ms(percentile(l, 50)), ms(percentile(l, 90)), ms(percentile(l, 99)), ms(maxL), rate, verdict)
		if r.Errors > 0 {
			ok = false
		}
	}
	tw.Flush()
	for _, r := range results {
		if r.Errors > 0 {
			fmt.Fprintf(w, "%s: %d of %d requests failed; first: %s\n", r.Target.Name, r.Errors, len(r.Latencies), r.FirstErr)
		}
	}
	return ok
}
