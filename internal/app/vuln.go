package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"mamori"
	"mamori/internal/audit"
	"mamori/internal/feed"
	"mamori/internal/match"
	"mamori/internal/store"
)

const vulnSynopsis = `vuln COMMAND [flags]

Commands:
  import FILE...          import feed files: NVD (2.0 pages or year files, 1.1 year files,
                          override JSON Lines; .gz too), JVN (JVNRSS, VULDEF), OSV (a record,
                          a folder or a .zip), CISA KEV (JSON), FIRST EPSS (CSV, .gz too)
  sync --from URL...      fetch feed files over HTTP and import them (NVD API pages are
                          followed to the end)
  match [--system CODE]   match the installed software against the imported feeds
  report [--org CODE] [--system CODE] [--format table|json]
                          open matches per system with CVSS, KEV, EPSS and countermeasure
  countermeasure --system CODE --vuln ID --kind patched|mitigated|planned|accepted
                 [--due YYYY-MM-DD] [--approver NAME] [--note TEXT]
                          record what a system does about a vulnerability
  status                  imported feeds, index size and the last match run

This product uses data from the NVD API but is not endorsed or certified by the NVD.`

func runVuln(ctx context.Context, env *Env, args []string) error {
	args, done, err := subcommand(env, "vuln", vulnSynopsis, args, false)
	if done {
		return err
	}
	sub, rest := args[0], args[1:]
	switch sub {
	case "import":
		return runVulnImport(ctx, env, rest)
	case "sync":
		return runVulnSync(ctx, env, rest)
	case "match":
		return runVulnMatch(ctx, env, rest)
	case "report":
		return runVulnReport(ctx, env, rest)
	case "countermeasure":
		return runCountermeasure(ctx, env, rest)
	case "status":
		return runVulnStatus(ctx, env, rest)
	}
	return unknownSubcommand(env, "vuln", vulnSynopsis, sub)
}

// progress draws a one-line progress bar on a terminal, and nothing when
// stderr is a file or a pipe.
func progress(env *Env, name string) func(done, total int64) {
	f, ok := env.Stderr.(*os.File)
	if !ok {
		return nil
	}
	if st, err := f.Stat(); err != nil || st.Mode()&os.ModeCharDevice == 0 {
		return nil
	}
	start := time.Now()
	base := filepath.Base(name)
	return func(done, total int64) {
		mb := float64(done) / (1 << 20)
		rate := mb / max(time.Since(start).Seconds(), 1e-3)
		if total > 0 {
			const width = 30
			n := int(float64(width) * float64(done) / float64(total))
			fmt.Fprintf(f, "\r%-32s [%s%s] %3d%% %6.1f MB/s", base, strings.Repeat("#", n), strings.Repeat(".", width-n), done*100/total, rate)
		} else {
			fmt.Fprintf(f, "\r%-32s %8.1f MB %6.1f MB/s", base, mb, rate)
		}
		if total > 0 && done >= total {
			fmt.Fprintln(f)
		}
	}
}

func runVulnImport(ctx context.Context, env *Env, args []string) error {
	fs, db := flags(env, "vuln import", "vuln import [--db DB] FILE...")
	maxUnzipped := int64(feed.DefaultMaxUnzipped)
	fs.Var(byteSize{&maxUnzipped}, "max-unzipped-size", "largest a gzip feed may decompress to (KiB, MiB, GiB)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return &UsageError{"vuln import needs at least one file"}
	}
	s, err := openStore(ctx, env, dsn(env, *db, DefaultDB))
	if err != nil {
		return err
	}
	defer s.Close()
	var failed []error
	for _, p := range fs.Args() {
		res, err := feed.ImportPath(ctx, s, p, feed.Options{Progress: progress(env, p), MaxUnzipped: maxUnzipped})
		if err != nil {
			fmt.Fprintf(env.Stderr, "%s: 取り込みませんでした / not imported: %s\n", p, Describe(err))
			failed = append(failed, err)
			if ctx.Err() == nil {
				if err := recordEvery(ctx, env, s, audit.ImportRefused, filepath.Base(p), audit.Reasons(err)); err != nil {
					return err
				}
			}
			continue
		}
		printFeedResult(env, res)
		if err := res.Err(); err != nil {
			failed = append(failed, err)
		}
		if err := recordEvery(ctx, env, s, audit.Import, filepath.Base(p), map[string]any{"kind": res.Kind, "records": res.Records, "problems": len(res.Problems)}); err != nil {
			return err
		}
	}
	return joinFailures(failed)
}

func printFeedResult(env *Env, res *feed.Result) {
	rate := ""
	if res.Bytes > 0 && res.Duration > 0 {
		rate = fmt.Sprintf(", %.1f MB/s", float64(res.Bytes)/(1<<20)/res.Duration.Seconds())
	}
	fmt.Fprintf(env.Stdout, "%s: %s %s, %d records in %s%s\n", res.Name, res.Kind, res.Format, res.Records, res.Duration.Round(time.Millisecond), rate)
	for _, p := range res.Problems {
		fmt.Fprintf(env.Stderr, "  問題 / problem: %v\n", p)
	}
}

func joinFailures(failed []error) error {
	switch len(failed) {
	case 0:
		return nil
	case 1:
		return failed[0]
	}
	return mamori.Errorf(mamori.Invalid, "%d 件のファイルに問題がありました(上記)", "%d files had problems (above)", len(failed))
}

// maxFeedDownload bounds one downloaded feed file.
const maxFeedDownload = 2 << 30

func runVulnSync(ctx context.Context, env *Env, args []string) error {
	fs, db := flags(env, "vuln sync", "vuln sync [--db DB] --from URL [--from URL...]")
	var froms multiFlag
	fs.Var(&froms, "from", "URL of a feed file or an NVD CVE API 2.0 endpoint (repeatable)")
	timeout := fs.Duration("timeout", 5*time.Minute, "timeout per request")
	if err := parse(fs, args); err != nil {
		return err
	}
	if len(froms) == 0 || fs.NArg() > 0 {
		fs.Usage()
		return &UsageError{"vuln sync needs --from URL"}
	}
	s, err := openStore(ctx, env, dsn(env, *db, DefaultDB))
	if err != nil {
		return err
	}
	defer s.Close()
	client := &http.Client{Timeout: *timeout}
	var failed []error
	for _, u := range froms {
		err := syncOne(ctx, env, s, client, u)
		if err != nil {
			fmt.Fprintf(env.Stderr, "%s: %s\n", u, Describe(err))
			failed = append(failed, err)
		}
		// Feeds decide every organization's exposures: each source fetched,
		// and whether it went in, is recorded under every organization.
		detail := map[string]any{"ok": err == nil}
		if err != nil {
			detail = audit.Reasons(err)
			detail["ok"] = false
		}
		if ctx.Err() == nil {
			if rerr := recordEvery(ctx, env, s, audit.Sync, clipText(u, 500), detail); rerr != nil {
				return errors.Join(joinFailures(failed), rerr)
			}
		}
	}
	return joinFailures(failed)
}

// syncOne fetches one URL into a temporary file and imports it. An NVD
// API page that says more results follow is followed by the next page
// (startIndex), each page its own import.
func syncOne(ctx context.Context, env *Env, s *store.Store, client *http.Client, raw string) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return &UsageError{fmt.Sprintf("--from %q: want an http:// or https:// URL", raw)}
	}
	for page := 0; ; page++ {
		tmp, err := os.CreateTemp("", "mamori-feed-*")
		if err != nil {
			return err
		}
		name := path.Base(u.Path)
		if u.RawQuery != "" {
			name += "?" + u.RawQuery
		}
		err = download(ctx, client, u.String(), tmp)
		if err == nil {
			_, err = tmp.Seek(0, io.SeekStart)
		}
		var res *feed.Result
		var size int64
		if err == nil {
			if st, serr := tmp.Stat(); serr == nil {
				size = st.Size()
			}
			res, err = feed.Import(ctx, s, tmp, size, name, feed.Options{Progress: progress(env, name)})
		}
		var next *url.URL
		if err == nil {
			printFeedResult(env, res)
			err = res.Err()
			if _, serr := tmp.Seek(0, io.SeekStart); serr == nil {
				next = nextNVDPage(u, tmp)
			}
		}
		tmp.Close()
		os.Remove(tmp.Name())
		if err != nil || next == nil {
			return err
		}
		u = next
	}
}

func download(ctx context.Context, client *http.Client, u string, w io.Writer) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	req.Header.Set("User-Agent", "mamori/"+Version)
	resp, err := client.Do(req)
	if err != nil {
		return mamori.Errorf(mamori.Invalid, "取得できません: %v", "fetch failed: %v", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return mamori.Errorf(mamori.Invalid, "取得できません: HTTP %d", "fetch failed: HTTP %d", resp.StatusCode)
	}
	n, err := io.Copy(w, io.LimitReader(resp.Body, maxFeedDownload+1))
	if err != nil {
		return mamori.Errorf(mamori.Invalid, "取得が途中で切れました: %v", "fetch cut short: %v", err)
	}
	if n > maxFeedDownload {
		return mamori.Errorf(mamori.Invalid, "ファイルが大きすぎます", "the file is larger than %d bytes", int64(maxFeedDownload))
	}
	return nil
}

// nextNVDPage reads an NVD API 2.0 page's header and returns the URL of
// the next page, or nil when this was the last (or not an API page).
func nextNVDPage(u *url.URL, r io.Reader) *url.URL {
	var head struct {
		ResultsPerPage *int `json:"resultsPerPage"`
		StartIndex     *int `json:"startIndex"`
		TotalResults   *int `json:"totalResults"`
	}
	dec := json.NewDecoder(r)
	tok, err := dec.Token()
	if err != nil || tok != json.Delim('{') {
		return nil
	}
	for dec.More() {
		k, err := dec.Token()
		if err != nil {
			return nil
		}
		var dst any
		switch k {
		case "resultsPerPage":
			dst = &head.ResultsPerPage
		case "startIndex":
			dst = &head.StartIndex
		case "totalResults":
			dst = &head.TotalResults
		case "vulnerabilities":
			goto done
		default:
			var skip json.RawMessage
			dst = &skip
		}
		if err := dec.Decode(dst); err != nil {
			return nil
		}
	}
done:
	if head.ResultsPerPage == nil || head.StartIndex == nil || head.TotalResults == nil || *head.ResultsPerPage <= 0 {
		return nil
	}
	next := *head.StartIndex + *head.ResultsPerPage
	if next >= *head.TotalResults {
		return nil
	}
	n := *u
	q := n.Query()
	q.Set("startIndex", strconv.Itoa(next))
	n.RawQuery = q.Encode()
	return &n
}

type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

func runVulnMatch(ctx context.Context, env *Env, args []string) error {
	fs, db := flags(env, "vuln match", "vuln match [--db DB] [--system CODE] [--again]")
	system := fs.String("system", "", "match only this system's software")
	again := fs.Bool("again", false, "match everything anew even if the inventory, the feeds and the matcher are those of the last full run")
	if err := parse(fs, args); err != nil {
		return err
	}
	s, err := openStore(ctx, env, dsn(env, *db, DefaultDB))
	if err != nil {
		return err
	}
	defer s.Close()
	if *system != "" {
		if _, err := s.Get(ctx, mamori.EntityByName("systems"), *system); err != nil {
			return err
		}
	}
	res, err := match.Run(ctx, s, match.Options{System: *system, Again: *again})
	if err != nil {
		return err
	}
	target := "match"
	if *system != "" {
		target = "systems/" + *system
	}
	if err := recordUnder(ctx, env, s, audit.Match, target, scopeOrgs(ctx, s, "", *system), map[string]any{
		"run": res.Run.Seq, "items": res.Items, "matches": res.Run.Matches, "new": res.Run.Opened, "reopened": res.Run.Reopened,
		"closed": res.Run.Closed, "again": *again, "repeats": res.Repeats}); err != nil {
		return err
	}
	// The remediation items follow the matches: a vulnerability still
	// matched reopens its item resolved without a countermeasure that
	// settles it.
	rc, err := recheckRemediationVulns(ctx, s, res.Run)
	if err != nil {
		return err
	}
	for _, p := range res.Problems {
		fmt.Fprintf(env.Stderr, "warning: %s\n", p)
	}
	r := res.Run
	fmt.Fprintf(env.Stdout, "matched %d installed products (%d distinct) in %s (matching %s): %d matches; %d new, %d reopened, %d closed\n",
		res.Items, res.Distinct, res.Elapsed.Round(time.Millisecond), res.MatchElapsed.Round(time.Millisecond), r.Matches, r.Opened, r.Reopened, r.Closed)
	if res.Repeats != 0 {
		fmt.Fprintf(env.Stdout, "inventory, feeds and matcher unchanged since match run %d: its matches were seen again, nothing was matched anew (--again matches anyway)\n", res.Repeats)
	}
	if len(rc.Reopened) > 0 {
		fmt.Fprintf(env.Stdout, "remediation: %d item(s) reopened (still matched, no countermeasure settles it)\n", len(rc.Reopened))
	}
	return nil
}

func runCountermeasure(ctx context.Context, env *Env, args []string) error {
	fs, db := flags(env, "vuln countermeasure", "vuln countermeasure [--db DB] --system CODE --vuln ID --kind patched|mitigated|planned|accepted [--due YYYY-MM-DD] [--approver NAME] [--note TEXT]")
	system := fs.String("system", "", "system code")
	vulnID := fs.String("vuln", "", "vulnerability (CVE-…, GHSA-…, JVNDB-…)")
	kind := fs.String("kind", "", "patched, mitigated (with --note), planned (with --due) or accepted (with --approver)")
	due := fs.String("due", "", "planned: the plan's deadline YYYY-MM-DD")
	approver := fs.String("approver", "", "accepted: who accepted the risk")
	note := fs.String("note", "", "what was done")
	on := fs.String("on", "", "date recorded (default today)")
	if err := parse(fs, args); err != nil {
		return err
	}
	c := store.Countermeasure{SystemCode: *system, VulnID: strings.TrimSpace(*vulnID), Kind: *kind, Note: *note, DueOn: *due, Approver: *approver, RecordedOn: *on}
	if c.RecordedOn == "" {
		c.RecordedOn = time.Now().Format(time.DateOnly)
	}
	switch {
	case c.SystemCode == "" || c.VulnID == "":
		return &UsageError{"--system and --vuln are required"}
	case !slices.Contains(store.CountermeasureKinds, c.Kind):
		return &UsageError{fmt.Sprintf("--kind %q: want one of %s", c.Kind, strings.Join(store.CountermeasureKinds, ", "))}
	case c.Kind == "planned" && c.DueOn == "":
		return &UsageError{"--kind planned needs --due (the ぜい弱性対策計画's deadline)"}
	case c.Kind == "accepted" && c.Approver == "":
		return &UsageError{"--kind accepted needs --approver"}
	case c.Kind == "mitigated" && c.Note == "":
		return &UsageError{"--kind mitigated needs --note saying how"}
	}
	for _, d := range []struct{ flag, v string }{{"--due", c.DueOn}, {"--on", c.RecordedOn}} {
		if _, err := time.Parse(time.DateOnly, d.v); d.v != "" && err != nil {
			return &UsageError{fmt.Sprintf("%s %q: want YYYY-MM-DD", d.flag, d.v)}
		}
	}
	s, err := openStore(ctx, env, dsn(env, *db, DefaultDB))
	if err != nil {
		return err
	}
	defer s.Close()
	if err := s.PutCountermeasure(ctx, c); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "recorded: %s %s %s\n", c.SystemCode, c.VulnID, c.Kind)
	return record(ctx, env, s, audit.Write, "countermeasures/"+c.SystemCode+"/"+c.VulnID, c)
}

func runVulnStatus(ctx context.Context, env *Env, args []string) error {
	fs, db := flags(env, "vuln status", "vuln status [--db DB]")
	if err := parse(fs, args); err != nil {
		return err
	}
	s, err := openStore(ctx, env, dsn(env, *db, DefaultDB))
	if err != nil {
		return err
	}
	defer s.Close()
	imports, err := s.FeedImports(ctx)
	if err != nil {
		return err
	}
	counts, err := s.AdvisoryCounts(ctx)
	if err != nil {
		return err
	}
	tw := newTextTable(env.Stdout)
	fmt.Fprintln(tw, "imported at\tkind\tfile\tformat\trecords\tfeed date")
	for _, f := range imports {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%s\n", f.ImportedAt, f.Kind, f.Name, f.Format, f.Records, f.FeedDate)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(counts)) {
		parts = append(parts, fmt.Sprintf("%s %d", k, counts[k]))
	}
	fmt.Fprintf(env.Stdout, "\nindex: %s\n", strings.Join(parts, ", "))
	fmt.Fprintln(env.Stdout, "This product uses data from the NVD API but is not endorsed or certified by the NVD.")
	return nil
}

func runVulnReport(ctx context.Context, env *Env, args []string) error {
	fs, db := flags(env, "vuln report", "vuln report [--db DB] [--org CODE] [--system CODE] [--vuln ID] [--min-confidence N] [--format table|json]")
	org := fs.String("org", "", "an organization: it and its descendants")
	system := fs.String("system", "", "one system")
	vulnID := fs.String("vuln", "", "one vulnerability, by any of its identifiers (CVE-…, GHSA-…, GO-…, JVNDB-…)")
	minConf := fs.Int("min-confidence", 0, "leave out matches below this confidence (percent; 80 leaves out CPE matches through unstated attributes, 70, and below)")
	format := fs.String("format", "table", "table or json")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *format != "table" && *format != "json" {
		return &UsageError{fmt.Sprintf("--format %q: want table or json", *format)}
	}
	if *minConf < 0 || *minConf > 100 {
		return &UsageError{fmt.Sprintf("--min-confidence %d: want a percentage from 0 to 100", *minConf)}
	}
	s, err := openStore(ctx, env, dsn(env, *db, DefaultDB))
	if err != nil {
		return err
	}
	defer s.Close()
	rep, err := match.BuildReport(ctx, s, match.Scope{Org: *org, System: *system, Vuln: *vulnID, MinConfidence: *minConf})
	if err != nil {
		return err
	}
	// The exposures leave mamori on standard output: an export.
	if err := recordUnder(ctx, env, s, audit.Export, "vuln report", scopeOrgs(ctx, s, *org, *system), map[string]any{
		"format": *format, "org": *org, "system": *system, "vuln": *vulnID, "min_confidence": *minConf}); err != nil {
		return err
	}
	if *format == "json" {
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	tw := newTextTable(env.Stdout)
	fmt.Fprintln(tw, "system\tname\topen\tno countermeasure\tKEV\tCVSS>=9")
	for _, sm := range rep.Systems {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%d\n", sm.SystemCode, sm.SystemName, sm.Open, sm.Unhandled, sm.KEV, sm.Critical)
	}
	fmt.Fprintln(tw)
	fmt.Fprintln(tw, "system\tvulnerability\talso known as\tCVSS\tKEV due\tEPSS\tsoftware\tpath\tconfidence\tfirst seen\tcountermeasure")
	for _, e := range rep.Exposures {
		score := ""
		if e.CVSS3 > 0 {
			score = strconv.FormatFloat(e.CVSS3, 'f', 1, 64)
		} else if e.CVSS4 > 0 {
			score = strconv.FormatFloat(e.CVSS4, 'f', 1, 64) + " (v4)"
		}
		epss := ""
		if e.EPSS > 0 {
			epss = strconv.FormatFloat(e.EPSS, 'f', 4, 64)
		}
		cm := e.Countermeasure
		if cm == "" {
			cm = "なし / none"
		} else if e.DueOn != "" {
			cm += " " + e.DueOn
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%d%%\t%s\t%s\n", e.SystemCode, e.VulnID, strings.Join(e.Aliases, " "), score, e.KEVDue, epss,
			strings.Join(e.Software, ", "), e.Path, e.Confidence, e.FirstSeen, cm)
	}
	return tw.Flush()
}
