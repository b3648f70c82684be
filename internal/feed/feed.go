// Package feed imports vulnerability feed files into the store: NVD (API
// 2.0 pages, 2.0 and 1.1 year files, override JSON Lines), JVN (JVNRSS and
// VULDEF), OSV (a record, a folder or a zip), CISA KEV and FIRST EPSS. The
// kind is detected from the content, not the file name.
//
// Each file is imported in one transaction: a file that cannot be read
// to its end (truncated, broken, trailing garbage, a corrupt gzip) or is
// in the wrong schema version changes nothing, not even the records before
// the damage, and the files imported before it are kept. A record read
// whole that cannot be used is left out and named. What is
// stored is the normalised index the matcher reads (CPE criteria with
// their keys and bounds, package ranges, JVN products), so matching never
// parses a feed again.
package feed

import (
	"archive/zip"
	"bufio"
	"bytes"
	"cmp"
	"compress/flate"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"mamori"
	"mamori/internal/cpe"
	"mamori/internal/store"
	"mamori/internal/vuln"
	"mamori/internal/vuln/epss"
	"mamori/internal/vuln/jvn"
	"mamori/internal/vuln/kev"
	"mamori/internal/vuln/nvd"
	"mamori/internal/vuln/osv"
)

// The kinds of feed.
const (
	KindNVD  = "nvd"
	KindJVN  = "jvn"
	KindOSV  = "osv"
	KindKEV  = "kev"
	KindEPSS = "epss"
)

// Result describes one imported file.
type Result struct {
	Name     string
	Kind     string
	Format   string
	Records  int
	Bytes    int64
	Duration time.Duration
	FeedDate string // the feed's own timestamp, YYYY-MM-DD, when it has one
	// Problems are the records that could not be imported (each names the
	// file and the record); the file's other records were imported whole.
	Problems []error
}

// Err joins the problems into one error naming each bad record, or nil.
func (r *Result) Err() error {
	if len(r.Problems) == 0 {
		return nil
	}
	return wrap(r.Name, errors.Join(r.Problems...))
}

// Options tune an import.
type Options struct {
	// Progress, when set, is called now and then with the bytes read so
	// far and the file's size (0 when unknown).
	Progress func(done, total int64)
	// Now stamps the import; zero means time.Now.
	Now time.Time
	// MaxUnzipped bounds a gzip feed once decompressed; zero means
	// DefaultMaxUnzipped. Past it the file is refused whole.
	MaxUnzipped int64
}

// DefaultMaxUnzipped is the decompressed size a gzip feed may reach unless
// told otherwise: NVD's largest year file is well under a gigabyte.
const DefaultMaxUnzipped = 4 << 30

// ImportPath imports a file, or an OSV folder.
func ImportPath(ctx context.Context, st *store.Store, path string, opts Options) (*Result, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, mamori.Errorf(mamori.Invalid, "フィードを読めません: %v", "cannot read feed: %v", err)
	}
	if info.IsDir() {
		return importOSVDir(ctx, st, path, opts)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, mamori.Errorf(mamori.Invalid, "フィードを読めません: %v", "cannot read feed: %v", err)
	}
	defer f.Close()
	return Import(ctx, st, f, info.Size(), path, opts)
}

// Import imports one feed file read from r (size bytes; 0 when unknown).
// name labels errors and the import record.
func Import(ctx context.Context, st *store.Store, r io.Reader, size int64, name string, opts Options) (*Result, error) {
	start := time.Now()
	sum := sha256.New()
	cr := &countingReader{r: io.TeeReader(r, sum), total: size, progress: opts.Progress}
	br := bufio.NewReaderSize(cr, 1<<16)
	head, _ := br.Peek(2)
	var body io.Reader = br
	var capped *capReader // the decompressed bytes, for a gzip feed
	if len(head) == 2 && head[0] == 0x1f && head[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, badFeed(name, err)
		}
		defer zr.Close()
		max := cmp.Or(opts.MaxUnzipped, DefaultMaxUnzipped)
		capped = &capReader{r: zr, max: max, left: max}
		body = bufio.NewReaderSize(capped, 1<<16)
	} else if len(head) == 2 && head[0] == 'P' && head[1] == 'K' {
		// A zip needs random access: OSV's all.zip.
		data, err := io.ReadAll(br)
		if err != nil {
			return nil, badFeed(name, err)
		}
		return importOSVZip(ctx, st, data, name, sum, start, opts)
	}
	kind, err := detect(body.(*bufio.Reader))
	if err != nil {
		return nil, badFeed(name, err)
	}
	res := &Result{Name: name, Kind: kind}
	err = st.Load(ctx, store.LoadOptions{}, func(l *store.Loader) error {
		var w *writer
		var ferr error
		switch kind {
		case KindNVD:
			w = newWriter(l, opts, name)
			var info nvd.Info
			info, ferr = nvd.Decode(body, name, w.add)
			res.Format, res.FeedDate = string(info.Format), day(info.Timestamp)
		case KindJVN:
			w = newWriter(l, opts, name)
			var f jvn.Format
			f, ferr = jvn.Decode(body, name, w.add)
			res.Format = string(f)
		case KindOSV:
			w = newWriter(l, opts, name)
			res.Format = "osv"
			ferr = osv.WalkJSON(body, name, w.add)
		case KindKEV:
			var c kev.Catalog
			c, ferr = importKEV(l, body, name)
			res.Format, res.Records, res.FeedDate = "kev "+c.Version, c.Count, day(c.Released)
		case KindEPSS:
			var m epss.Model
			m, res.Records, ferr = importEPSS(l, body, name)
			res.Format, res.FeedDate = "epss "+m.Version, day(m.ScoreDate)
		}
		if capped != nil && capped.over {
			return capped.refusal(name) // nothing of a refused file is kept
		}
		if w != nil {
			if w.failed != nil {
				return w.failed // the store failed: nothing is kept
			}
			if err := w.flush(); err != nil {
				return err
			}
			res.Records = w.records
			res.Problems = append(res.Problems, w.problems...)
		}
		if ferr != nil {
			if w == nil || w.records == 0 {
				return ferr // KEV and EPSS are complete lists: all or nothing
			}
			if damaged(ferr) {
				// Cut short, broken or followed by garbage: the records
				// before the damage are rolled back with the rest.
				return &damage{err: ferr}
			}
			// Whole records that could not be used: the others are kept
			// and these are named.
			res.Problems = append(res.Problems, ferr)
		}
		// Drain what the decoder left (a trailing newline) so the digest
		// covers the whole file.
		if _, err := io.Copy(io.Discard, cr); err != nil {
			return err
		}
		format := res.Format
		if len(res.Problems) > 0 {
			format += " (partial)"
		}
		return l.RecordFeedImport(&store.FeedImport{Kind: kind, Name: filepath.Base(name), Format: format, Records: res.Records,
			SHA256: hex.EncodeToString(sum.Sum(nil)), ImportedAt: stamp(opts), FeedDate: res.FeedDate})
	})
	if err != nil {
		if capped != nil && capped.over {
			return nil, capped.refusal(name)
		}
		return nil, wrap(name, err)
	}
	res.Bytes, res.Duration = cr.done, time.Since(start)
	return res, nil
}

func importOSVDir(ctx context.Context, st *store.Store, dir string, opts Options) (*Result, error) {
	res := &Result{Name: dir, Kind: KindOSV, Format: "osv-folder"}
	return importOSV(ctx, st, res, "", time.Now(), opts, func(fn func(*vuln.Advisory) error) error { return osv.Walk(dir, fn) })
}

func importOSVZip(ctx context.Context, st *store.Store, data []byte, name string, sum hash.Hash, start time.Time, opts Options) (*Result, error) {
	res := &Result{Name: name, Kind: KindOSV, Format: "osv-zip", Bytes: int64(len(data))}
	return importOSV(ctx, st, res, hex.EncodeToString(sum.Sum(nil)), start, opts, func(fn func(*vuln.Advisory) error) error {
		return osv.WalkReader(bytes.NewReader(data), int64(len(data)), name, fn)
	})
}

// importOSV writes the records walk delivers in one transaction, keeping
// the whole ones when some are bad (they are reported in res.Problems).
func importOSV(ctx context.Context, st *store.Store, res *Result, sha string, start time.Time, opts Options, walk func(func(*vuln.Advisory) error) error) (*Result, error) {
	err := st.Load(ctx, store.LoadOptions{}, func(l *store.Loader) error {
		w := newWriter(l, opts, res.Name)
		ferr := walk(w.add)
		if w.failed != nil {
			return w.failed
		}
		if err := w.flush(); err != nil {
			return err
		}
		res.Records = w.records
		res.Problems = append(w.problems, res.Problems...)
		if ferr != nil {
			if w.records == 0 {
				return ferr
			}
			if damaged(ferr) {
				return &damage{err: ferr}
			}
			res.Problems = append(res.Problems, ferr)
		}
		return l.RecordFeedImport(&store.FeedImport{Kind: KindOSV, Name: filepath.Base(res.Name), Format: res.Format, Records: w.records,
			SHA256: sha, ImportedAt: stamp(opts)})
	})
	if err != nil {
		return nil, wrap(res.Name, err)
	}
	res.Duration = time.Since(start)
	return res, nil
}

// detect names the kind of feed from its first bytes.
func detect(br *bufio.Reader) (string, error) {
	head, err := br.Peek(8192)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return "", err
	}
	h := string(bytes.TrimPrefix(head, []byte("\xef\xbb\xbf")))
	t := strings.TrimSpace(h)
	switch {
	case t == "":
		return "", errors.New("the file is empty")
	case strings.HasPrefix(t, "<"):
		return KindJVN, nil
	case strings.HasPrefix(t, "#model_version") || strings.HasPrefix(strings.ToLower(t), "cve,epss"):
		return KindEPSS, nil
	case strings.Contains(h, `"catalogVersion"`) && strings.Contains(h, `"vulnerabilities"`) && !strings.Contains(h, `"NVD_CVE"`):
		return KindKEV, nil
	case strings.Contains(h, `"CVE_Items"`) || strings.Contains(h, `"CVE_data_type"`) || strings.Contains(h, `"NVD_CVE"`) ||
		strings.Contains(h, `"_annotation"`) || strings.Contains(h, `"resultsPerPage"`) || strings.Contains(h, `"configurations"`) ||
		strings.Contains(h, `"cve"`):
		return KindNVD, nil
	case strings.Contains(h, `"affected"`) || strings.Contains(h, `"schema_version"`) || strings.Contains(h, `"modified"`):
		return KindOSV, nil
	}
	return "", errors.New("not a feed mamori knows (NVD, JVN, OSV, KEV or EPSS)")
}

// writer turns advisories into index rows and writes them in batches. An
// advisory that cannot be indexed (a criterion that is not a CPE) is left
// out whole and reported; a store error stops the import.
type writer struct {
	l        *store.Loader
	opts     Options
	name     string
	records  int
	rows     rowSet
	ids      map[vuln.Source][]string
	pending  map[[2]string]bool
	problems []error
	failed   error
}

const writeBatch = 1000

func newWriter(l *store.Loader, opts Options, name string) *writer {
	return &writer{l: l, opts: opts, name: name, ids: map[vuln.Source][]string{}, pending: map[[2]string]bool{}}
}

func (w *writer) add(a *vuln.Advisory) error {
	if w.failed != nil {
		return w.failed
	}
	k := [2]string{string(a.Source), a.ID}
	if w.pending[k] {
		// Listed twice in one batch: write what we have first, so the
		// later statement replaces the earlier.
		if err := w.flush(); err != nil {
			return err
		}
	}
	var one rowSet
	if err := one.add(a); err != nil {
		if re, ok := err.(*vuln.RecordError); ok && re.File == "" {
			re.File = w.name
		}
		w.problems = append(w.problems, err)
		return nil
	}
	w.rows.append(&one)
	w.ids[a.Source] = append(w.ids[a.Source], a.ID)
	w.pending[k] = true
	w.records++
	if len(w.pending) >= writeBatch {
		return w.flush()
	}
	return nil
}

func (w *writer) flush() error {
	if w.failed != nil {
		return w.failed
	}
	if len(w.pending) == 0 {
		return nil
	}
	for src, ids := range w.ids {
		if err := w.l.DeleteAdvisories(string(src), ids); err != nil {
			w.failed = err
			return err
		}
	}
	for _, t := range []struct {
		e    *mamori.Entity
		recs []mamori.Record
	}{
		{store.AdvisoriesTable, w.rows.advisories}, {store.AdvisoryAliasesTable, w.rows.aliases},
		{store.CPECriteriaTable, w.rows.criteria}, {store.AffectedPackagesTable, w.rows.packages},
		{store.AffectedProductsTable, w.rows.products}, {store.KEVTable, w.rows.kev},
	} {
		if err := w.l.Put(t.e, t.recs); err != nil {
			w.failed = err
			return err
		}
	}
	w.rows = rowSet{}
	clear(w.ids)
	clear(w.pending)
	return nil
}

// rowSet holds one batch's index rows.
type rowSet struct {
	advisories, aliases, criteria, packages, products, kev []mamori.Record
}

func (rs *rowSet) append(o *rowSet) {
	rs.advisories = append(rs.advisories, o.advisories...)
	rs.aliases = append(rs.aliases, o.aliases...)
	rs.criteria = append(rs.criteria, o.criteria...)
	rs.packages = append(rs.packages, o.packages...)
	rs.products = append(rs.products, o.products...)
	rs.kev = append(rs.kev, o.kev...)
}

func (rs *rowSet) add(a *vuln.Advisory) error {
	src := string(a.Source)
	bad := func(field string, err error) error {
		return &vuln.RecordError{Record: a.ID, Field: field, Err: err}
	}
	if a.ID == "" {
		return bad("id", errors.New("empty advisory id"))
	}
	var v3, v4 *vuln.CVSS
	for i := range a.CVSS {
		c := &a.CVSS[i]
		switch {
		case strings.HasPrefix(c.Version, "3") && (v3 == nil || (c.Primary && !v3.Primary) || (c.Primary == v3.Primary && c.Version > v3.Version)):
			v3 = c
		case strings.HasPrefix(c.Version, "4") && (v4 == nil || (c.Primary && !v4.Primary)):
			v4 = c
		}
	}
	var severity any
	scoreOf := func(c *vuln.CVSS) (any, any) {
		if c == nil {
			return nil, nil
		}
		if c.Severity != "" && severity == nil {
			severity = strings.ToUpper(c.Severity)
		}
		return int64(c.Score), opt(c.Vector)
	}
	s3, vec3 := scoreOf(v3)
	s4, vec4 := scoreOf(v4)
	if severity == nil {
		for _, c := range a.CVSS {
			if c.Severity != "" {
				severity = strings.ToUpper(c.Severity)
				break
			}
		}
	}
	rs.advisories = append(rs.advisories, mamori.Record{a.ID, src, dateOf(a.Published), dateOf(a.Modified), dateOf(a.Withdrawn),
		opt(a.Title), opt(a.Description), opt(strings.Join(a.Aliases, " ")), s3, vec3, s4, vec4, severity,
		opt(strings.Join(a.CWEs, " ")), opt(strings.Join(a.References, "\n")), nil})
	seenAlias := map[string]bool{a.ID: true}
	for _, al := range a.Aliases {
		if al == "" || seenAlias[al] {
			continue
		}
		seenAlias[al] = true
		rs.aliases = append(rs.aliases, mamori.Record{al, a.ID, src})
	}
	for ci, c := range a.Configurations {
		for ni, n := range c.Nodes {
			for mi, m := range n.Matches {
				name, err := cpe.Parse(m.Criteria)
				if err != nil {
					return bad(fmt.Sprintf("configurations[%d].nodes[%d].cpeMatch[%d].criteria", ci, ni, mi), err)
				}
				rs.criteria = append(rs.criteria, mamori.Record{a.ID, src, int64(ci), int64(ni), int64(mi),
					opt(c.Operator), c.Negate, opt(n.Operator), n.Negate, m.Vulnerable, m.Criteria, name.Key(),
					opt(m.StartIncluding), opt(m.StartExcluding), opt(m.EndIncluding), opt(m.EndExcluding)})
			}
		}
	}
	for pi, p := range a.Packages {
		ranges, err := vuln.EncodeRanges(p.Ranges)
		if err != nil {
			return bad(fmt.Sprintf("affected[%d].ranges", pi), err)
		}
		versions, err := vuln.EncodeVersions(p.Versions)
		if err != nil {
			return bad(fmt.Sprintf("affected[%d].versions", pi), err)
		}
		rs.packages = append(rs.packages, mamori.Record{a.ID, src, int64(pi), p.Ecosystem, matchingName(p.Ecosystem, p.Name), opt(p.PURL), opt(ranges), opt(versions)})
	}
	for pi, p := range a.Products {
		name, err := cpe.ParseAny(p.CPE)
		if err != nil {
			return bad(fmt.Sprintf("products[%d].cpe", pi), err)
		}
		rs.products = append(rs.products, mamori.Record{a.ID, src, int64(pi), name.String(), name.Key(), opt(p.Vendor), opt(p.Name), opt(p.Version)})
	}
	if k := a.KEV; k != nil {
		rs.kev = append(rs.kev, kevRecord(k))
	}
	return nil
}

func kevRecord(k *vuln.KEV) mamori.Record {
	return mamori.Record{k.CVE, opt(k.VendorProject), opt(k.Product), opt(k.Name), k.DateAdded, opt(k.DueDate),
		opt(k.RequiredAction), opt(k.Ransomware), opt(k.Notes), opt(strings.Join(k.CWEs, " "))}
}

// importKEV replaces the KEV catalog: each release lists every entry.
func importKEV(l *store.Loader, r io.Reader, name string) (kev.Catalog, error) {
	var recs []mamori.Record
	c, err := kev.Decode(r, name, func(k *vuln.KEV) error {
		recs = append(recs, kevRecord(k))
		return nil
	})
	if err != nil {
		return c, err
	}
	if err := l.DeleteAll(store.KEVTable); err != nil {
		return c, err
	}
	return c, l.Put(store.KEVTable, recs)
}

// importEPSS replaces the EPSS scores: each day's file scores every CVE.
func importEPSS(l *store.Loader, r io.Reader, name string) (epss.Model, int, error) {
	var recs []mamori.Record
	var model any
	m, err := epss.Decode(r, name, func(e vuln.EPSS) error {
		recs = append(recs, mamori.Record{e.CVE, int64(e.Score), int64(e.Percentile), model, nil})
		return nil
	})
	if err != nil {
		return m, 0, err
	}
	date := dateOf(m.ScoreDate)
	for _, rec := range recs {
		rec[3], rec[4] = opt(m.Version), date
	}
	if err := l.DeleteAll(store.EPSSTable); err != nil {
		return m, 0, err
	}
	return m, len(recs), l.Put(store.EPSSTable, recs)
}

func opt(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func dateOf(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC().Format(time.DateOnly)
}

func day(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.DateOnly)
}

func stamp(opts Options) string {
	now := opts.Now
	if now.IsZero() {
		now = time.Now()
	}
	return now.UTC().Format(time.RFC3339)
}

func badFeed(name string, err error) error {
	return &mamori.Error{Kind: mamori.Invalid, Loc: mamori.Loc{File: name},
		Message: err.Error() + "; nothing was written", MessageJA: "フィードを読めません。何も書き込んでいません: " + err.Error(), Err: err}
}

// damage marks a parser's error as one that stopped reading the file
// before its end, so that wrap can say the file is damaged.
type damage struct{ err error }

func (d *damage) Error() string { return d.err.Error() }
func (d *damage) Unwrap() error { return d.err }

// damaged reports whether a parser's error means the file could not be
// read to its end: cut short, broken syntax, garbage after the end, a
// corrupt gzip or zip stream. Records that were read whole but could not
// be used (a bad date, a missing id, an unknown range type) are not
// damage: they are skipped and named, and the rest of the file is kept.
func damaged(err error) bool {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		for _, e := range j.Unwrap() {
			if damaged(e) {
				return true
			}
		}
		return false
	}
	if _, ok := errors.AsType[*vuln.RecordError](err); !ok {
		return true // a parser's own stop: broken XML, a document cut inside its root
	}
	if _, ok := errors.AsType[*json.SyntaxError](err); ok {
		return true
	}
	if _, ok := errors.AsType[*xml.SyntaxError](err); ok {
		return true
	}
	if _, ok := errors.AsType[flate.CorruptInputError](err); ok {
		return true
	}
	return errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, gzip.ErrChecksum) || errors.Is(err, gzip.ErrHeader) ||
		errors.Is(err, zip.ErrChecksum) || errors.Is(err, zip.ErrFormat)
}

// wrap gives a parser's error the file's name as its location; errors
// from the parsers already name the file and record.
func wrap(name string, err error) error {
	var me *mamori.Error
	if errors.As(err, &me) {
		return err
	}
	var re *vuln.RecordError
	if errors.As(err, &re) && re.File == "" {
		re.File = name
	}
	// The parsers' messages name the file and record already.
	msg := err.Error()
	if !strings.Contains(msg, name) {
		msg = name + ": " + msg
	}
	if _, ok := errors.AsType[*damage](err); ok {
		return &mamori.Error{Kind: mamori.Invalid, Message: msg + ": the file is damaged or cut short; nothing was written",
			MessageJA: "フィード「" + filepath.Base(name) + "」は壊れているか途中で切れています。何も書き込んでいません", Err: err}
	}
	return &mamori.Error{Kind: mamori.Invalid, Message: msg + "; nothing was written",
		MessageJA: "フィードを取り込めません(何も書き込んでいません): " + msg, Err: err}
}

// countingReader counts bytes and reports progress every 1 MiB.
type countingReader struct {
	r        io.Reader
	done     int64
	total    int64
	next     int64
	progress func(done, total int64)
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.done += int64(n)
	if c.progress != nil && (c.done >= c.next || err == io.EOF) {
		c.progress(c.done, c.total)
		c.next = c.done + 1<<20
	}
	return n, err
}

// pep503 is the run of separators PEP 503 folds into one "-".
var pep503 = regexp.MustCompile(`[-_.]+`)

// matchingName stores a package under the name the inventory will look it
// up by: PyPI names are case-insensitive and treat -, _ and . alike (PEP
// 503), and advisories write them as pypi.org displays them ("PyYAML").
func matchingName(ecosystem, name string) string {
	base, _, _ := strings.Cut(ecosystem, ":")
	if strings.EqualFold(base, "PyPI") {
		return pep503.ReplaceAllString(strings.ToLower(name), "-")
	}
	return name
}

// capReader reads a decompressed feed up to max bytes, then fails: a gzip
// bomb is stopped as it inflates, not after.
type capReader struct {
	r         io.Reader
	max, left int64
	over      bool
}

func (c *capReader) Read(p []byte) (int, error) {
	if c.over {
		return 0, c.refusal("")
	}
	if int64(len(p)) > c.left+1 {
		p = p[:c.left+1]
	}
	n, err := c.r.Read(p)
	if c.left -= int64(n); c.left < 0 {
		c.over = true
		return 0, c.refusal("")
	}
	return n, err
}

// refusal names the limit (and the file, when given).
func (c *capReader) refusal(file string) *mamori.Error {
	e := mamori.Limits{UnzippedBytes: c.max}.UnzippedTooLarge()
	e.Loc.File = file
	return e
}
