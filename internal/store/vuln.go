package store

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"mamori"
)

// The vulnerability tables (migration 5) as entities, so feed imports and
// match runs write through the Loader's bulk upserts like register data.
// They are not part of the register: no sheet, no template.
var (
	AdvisoriesTable = table("advisories",
		kcol("id", mamori.Code), kcol("source", mamori.Code), col("published", mamori.Date), col("modified", mamori.Date),
		col("withdrawn", mamori.Date), col("title", mamori.Text), col("description", mamori.Text), col("aliases", mamori.Text),
		col("cvss3_score", mamori.Integer), col("cvss3_vector", mamori.Text), col("cvss4_score", mamori.Integer),
		col("cvss4_vector", mamori.Text), col("severity", mamori.Code), col("cwes", mamori.Text), col("refs", mamori.Text),
		col("feed", mamori.Integer))
	AdvisoryAliasesTable = table("advisory_aliases", kcol("alias", mamori.Code), kcol("id", mamori.Code), kcol("source", mamori.Code))
	CPECriteriaTable     = table("cpe_criteria",
		kcol("id", mamori.Code), kcol("source", mamori.Code), kcol("config", mamori.Integer), kcol("node", mamori.Integer),
		kcol("seq", mamori.Integer), col("config_operator", mamori.Code), col("config_negate", mamori.Bool),
		col("node_operator", mamori.Code), col("node_negate", mamori.Bool), col("vulnerable", mamori.Bool),
		col("criteria", mamori.Text), col("cpe_key", mamori.Text), col("start_including", mamori.Text),
		col("start_excluding", mamori.Text), col("end_including", mamori.Text), col("end_excluding", mamori.Text))
	AffectedPackagesTable = table("affected_packages",
		kcol("id", mamori.Code), kcol("source", mamori.Code), kcol("seq", mamori.Integer), col("ecosystem", mamori.Text),
		col("name", mamori.Text), col("purl", mamori.Text), col("ranges", mamori.Text), col("versions", mamori.Text))
	AffectedProductsTable = table("affected_products",
		kcol("id", mamori.Code), kcol("source", mamori.Code), kcol("seq", mamori.Integer), col("cpe", mamori.Text),
		col("cpe_key", mamori.Text), col("vendor", mamori.Text), col("product", mamori.Text), col("version_text", mamori.Text))
	KEVTable = table("kev_entries",
		kcol("cve", mamori.Code), col("vendor_project", mamori.Text), col("product", mamori.Text), col("name", mamori.Text),
		col("date_added", mamori.Date), col("due_date", mamori.Date), col("required_action", mamori.Text),
		col("ransomware", mamori.Code), col("notes", mamori.Text), col("cwes", mamori.Text))
	EPSSTable        = table("epss_scores", kcol("cve", mamori.Code), col("score", mamori.Integer), col("percentile", mamori.Integer), col("model", mamori.Text), col("score_date", mamori.Date))
	FeedImportsTable = table("feed_imports",
		kcol("seq", mamori.Integer), col("kind", mamori.Code), col("name", mamori.Text), col("format", mamori.Code),
		col("records", mamori.Integer), col("sha256", mamori.Code), col("imported_at", mamori.Text), col("feed_date", mamori.Date))
	VulnMatchesTable = table("vuln_matches",
		kcol("owner_kind", mamori.Code), kcol("owner_code", mamori.Code), kcol("vuln_id", mamori.Code),
		col("software", mamori.Text), col("path", mamori.Code), col("confidence", mamori.Integer), col("advisories", mamori.Text),
		col("detail", mamori.Text), col("first_seen", mamori.Date), col("last_seen", mamori.Date), col("closed_on", mamori.Date),
		col("aliases", mamori.Text))
	MatchRunsTable = table("match_runs",
		kcol("seq", mamori.Integer), col("ran_at", mamori.Text), col("ran_on", mamori.Date), col("scope", mamori.Text),
		col("items", mamori.Integer), col("matches", mamori.Integer), col("opened", mamori.Integer), col("closed", mamori.Integer),
		col("fingerprint", mamori.Text))
	CountermeasuresTable = table("countermeasures",
		kcol("system_code", mamori.Code), kcol("vuln_id", mamori.Code), col("kind", mamori.Code), col("note", mamori.Text),
		col("due_on", mamori.Date), col("approver", mamori.Text), col("recorded_on", mamori.Date))
)

func table(name string, fields ...mamori.Field) *mamori.Entity {
	return &mamori.Entity{Name: name, JA: name, EN: name, Fields: fields}
}

func col(name string, t mamori.FieldType) mamori.Field { return mamori.Field{Column: name, Type: t} }
func kcol(name string, t mamori.FieldType) mamori.Field {
	return mamori.Field{Column: name, Type: t, Key: true, Required: true}
}

// advisoryTables hold one feed's statements about an advisory; a re-import
// of the advisory replaces all of them.
var advisoryTables = []string{"advisories", "advisory_aliases", "cpe_criteria", "affected_packages", "affected_products"}

// deleteBatch bounds the ids of one DELETE … IN (…).
const deleteBatch = 500

// exec runs a statement inside the load's transaction.
func (l *Loader) exec(q string, args ...any) error {
	if l.failed != nil {
		return l.failed
	}
	var err error
	if l.tx != nil {
		_, err = l.tx.ExecContext(l.ctx, q, args...)
	} else {
		_, err = l.conn.ExecContext(l.ctx, q, args...)
	}
	if err != nil {
		l.failed = translate(err, "exec")
		return l.failed
	}
	return nil
}

// queryInt runs a one-value query inside the load's transaction.
func (l *Loader) queryInt(q string, args ...any) (int64, error) {
	var n int64
	var err error
	if l.tx != nil {
		err = l.tx.QueryRowContext(l.ctx, q, args...).Scan(&n)
	} else {
		err = l.conn.QueryRowContext(l.ctx, q, args...).Scan(&n)
	}
	return n, err
}

// placeholders writes "$from, $from+1, …" for n arguments.
func placeholders(from, n int) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "$%d", from+i)
	}
	return b.String()
}

// DeleteAdvisories removes what source said about ids, so that the
// advisories written next replace it rather than add to it.
func (l *Loader) DeleteAdvisories(source string, ids []string) error {
	for start := 0; start < len(ids); start += deleteBatch {
		batch := ids[start:min(start+deleteBatch, len(ids))]
		args := make([]any, 0, len(batch)+1)
		args = append(args, source)
		for _, id := range batch {
			args = append(args, id)
		}
		for _, t := range advisoryTables {
			if err := l.exec(fmt.Sprintf("DELETE FROM %s WHERE source = $1 AND id IN (%s)", t, placeholders(2, len(batch))), args...); err != nil {
				return fmt.Errorf("store: delete advisories: %w", err)
			}
		}
	}
	return nil
}

// NextSeq returns one more than the largest seq of a table with an integer
// seq key (feed_imports, match_runs), inside the load's transaction.
func (l *Loader) NextSeq(e *mamori.Entity) (int64, error) {
	n, err := l.queryInt("SELECT coalesce(max(seq), 0) + 1 FROM " + e.Name)
	if err != nil {
		return 0, fmt.Errorf("store: next %s: %w", e.Name, err)
	}
	return n, nil
}

// ReplaceComponentSoftware replaces a component's installed software (from
// an SBOM) with recs, which are component_software records.
func (l *Loader) ReplaceComponentSoftware(component string, recs []mamori.Record) error {
	if err := l.exec("DELETE FROM component_software WHERE component_code = $1", component); err != nil {
		return fmt.Errorf("store: replace software of %s: %w", component, err)
	}
	return l.Put(mamori.EntityByName("component_software"), recs)
}

// CPECriterion is one row of cpe_criteria.
type CPECriterion struct {
	ID, Source                   string
	Config, Node, Seq            int
	ConfigOperator, NodeOperator string
	ConfigNegate, NodeNegate     bool
	Vulnerable                   bool
	Criteria, CPEKey             string
	StartIncluding               string
	StartExcluding               string
	EndIncluding                 string
	EndExcluding                 string
}

const criteriaCols = `id, source, config, node, seq, config_operator, config_negate, node_operator, node_negate, vulnerable,
	criteria, cpe_key, start_including, start_excluding, end_including, end_excluding`

func criterionOf(r []any) CPECriterion {
	return CPECriterion{ID: str(r[0]), Source: str(r[1]), Config: int(i64(r[2])), Node: int(i64(r[3])), Seq: int(i64(r[4])),
		ConfigOperator: str(r[5]), ConfigNegate: boolean(r[6]) == true, NodeOperator: str(r[7]), NodeNegate: boolean(r[8]) == true,
		Vulnerable: boolean(r[9]) == true, Criteria: str(r[10]), CPEKey: str(r[11]), StartIncluding: str(r[12]),
		StartExcluding: str(r[13]), EndIncluding: str(r[14]), EndExcluding: str(r[15])}
}

// CriteriaByKeys calls fn with every criterion whose part:vendor:product
// key is one of keys: the index lookup of the CPE match path.
func (s *Store) CriteriaByKeys(ctx context.Context, keys []string, fn func(CPECriterion)) error {
	return s.eachIn(ctx, "SELECT "+criteriaCols+" FROM cpe_criteria WHERE cpe_key IN (%s)", keys, func(r []any) { fn(criterionOf(r)) })
}

// CriteriaByIDs calls fn with every criterion of the given advisories (all
// sources): the platform nodes of AND configurations live under other keys.
func (s *Store) CriteriaByIDs(ctx context.Context, ids []string, fn func(CPECriterion)) error {
	return s.eachIn(ctx, "SELECT "+criteriaCols+" FROM cpe_criteria WHERE id IN (%s)", ids, func(r []any) { fn(criterionOf(r)) })
}

// eachIn runs q with its "%s" replaced by batches of placeholders for vals.
func (s *Store) eachIn(ctx context.Context, q string, vals []string, fn func([]any)) error {
	vals = slices.Compact(slices.Sorted(slices.Values(vals)))
	for start := 0; start < len(vals); start += deleteBatch {
		batch := vals[start:min(start+deleteBatch, len(vals))]
		args := make([]any, len(batch))
		for i, v := range batch {
			args[i] = v
		}
		if err := s.each(ctx, fmt.Sprintf(q, placeholders(1, len(batch))), args, fn); err != nil {
			return fmt.Errorf("store: %w", err)
		}
	}
	return nil
}

// AffectedPackage is one row of affected_packages.
type AffectedPackage struct {
	ID, Source               string
	Seq                      int
	Ecosystem, Name, PURL    string
	Ranges, Versions         string // encoded by package match (see vuln.EncodeRanges)
	ecosystemLower, nameNorm string
}

// PackagesByNames calls fn with every affected package whose name is one
// of names (any ecosystem; the caller compares ecosystems).
func (s *Store) PackagesByNames(ctx context.Context, names []string, fn func(AffectedPackage)) error {
	return s.eachIn(ctx, "SELECT id, source, seq, ecosystem, name, purl, ranges, versions FROM affected_packages WHERE name IN (%s)", names, func(r []any) {
		fn(AffectedPackage{ID: str(r[0]), Source: str(r[1]), Seq: int(i64(r[2])), Ecosystem: str(r[3]), Name: str(r[4]),
			PURL: str(r[5]), Ranges: str(r[6]), Versions: str(r[7])})
	})
}

// AffectedProduct is one row of affected_products (JVN).
type AffectedProduct struct {
	ID, Source                            string
	Seq                                   int
	CPE, CPEKey, Vendor, Product, Version string
}

// ProductsByKeys calls fn with every JVN affected product under keys.
func (s *Store) ProductsByKeys(ctx context.Context, keys []string, fn func(AffectedProduct)) error {
	return s.eachIn(ctx, "SELECT id, source, seq, cpe, cpe_key, vendor, product, version_text FROM affected_products WHERE cpe_key IN (%s)", keys, func(r []any) {
		fn(AffectedProduct{ID: str(r[0]), Source: str(r[1]), Seq: int(i64(r[2])), CPE: str(r[3]), CPEKey: str(r[4]),
			Vendor: str(r[5]), Product: str(r[6]), Version: str(r[7])})
	})
}

// Alias links an advisory to another identifier of the same vulnerability.
type Alias struct{ Alias, ID, Source string }

// AliasesOf calls fn with the aliases of ids, and the advisories that name
// any of ids as an alias: both directions, to group one vulnerability's
// records (a CVE, its GHSA, its JVNDB entry).
func (s *Store) AliasesOf(ctx context.Context, ids []string, fn func(Alias)) error {
	f := func(r []any) { fn(Alias{Alias: str(r[0]), ID: str(r[1]), Source: str(r[2])}) }
	if err := s.eachIn(ctx, "SELECT alias, id, source FROM advisory_aliases WHERE id IN (%s)", ids, f); err != nil {
		return err
	}
	return s.eachIn(ctx, "SELECT alias, id, source FROM advisory_aliases WHERE alias IN (%s)", ids, f)
}

// InventoryItem is one installed product on an owner: a standard image
// (every component built from it) or a single component (its SBOM).
type InventoryItem struct {
	OwnerKind string // "image" or "component"
	OwnerCode string
	Vendor    string
	Product   string
	Version   string
	CPE       string // CPE 2.3, several separated by spaces
	PURL      string
}

// Owner kinds of inventory and matches.
const (
	OwnerImage     = "image"
	OwnerComponent = "component"
)

// Inventory calls fn with the installed software: of the whole register,
// or (system non-empty) of the images and components one system uses.
func (s *Store) Inventory(ctx context.Context, system string, fn func(InventoryItem)) error {
	imgQ := `SELECT image_code, vendor, product, version, cpe, purl FROM image_software`
	compQ := `SELECT component_code, vendor, product, version, cpe, purl FROM component_software`
	var args []any
	if system != "" {
		imgQ += ` WHERE image_code IN (SELECT image_code FROM components WHERE system_code = $1 AND image_code IS NOT NULL)`
		compQ += ` WHERE component_code IN (SELECT code FROM components WHERE system_code = $1)`
		args = []any{system}
	}
	for _, q := range []struct{ kind, q string }{{OwnerImage, imgQ}, {OwnerComponent, compQ}} {
		err := s.each(ctx, q.q+" ORDER BY 1, 2, 3, 4", args, func(r []any) {
			fn(InventoryItem{OwnerKind: q.kind, OwnerCode: str(r[0]), Vendor: str(r[1]), Product: str(r[2]), Version: str(r[3]), CPE: str(r[4]), PURL: str(r[5])})
		})
		if err != nil {
			return fmt.Errorf("store: inventory: %w", err)
		}
	}
	return nil
}

// OwnerUse says that Components components of a system run on an owner.
type OwnerUse struct {
	SystemCode, OwnerKind, OwnerCode string
	Components                       int
}

// OwnerUses lists which systems use which images, and which components
// carry their own software (of one system when system is non-empty).
func (s *Store) OwnerUses(ctx context.Context, system string) ([]OwnerUse, error) {
	var out []OwnerUse
	q1, args := sysCond(`SELECT system_code, image_code, count(*) FROM components WHERE image_code IS NOT NULL {{sys}} GROUP BY image_code, system_code`, "system_code", system)
	if err := s.each(ctx, q1, args, func(r []any) {
		out = append(out, OwnerUse{SystemCode: str(r[0]), OwnerKind: OwnerImage, OwnerCode: str(r[1]), Components: int(i64(r[2]))})
	}); err != nil {
		return nil, fmt.Errorf("store: owner uses: %w", err)
	}
	// Everything: driven from the few components with an SBOM, not the
	// 3,000,000. One system: from its components.
	q2 := `SELECT c.system_code, c.code FROM (SELECT DISTINCT component_code FROM component_software) cs
		JOIN components c ON c.code = cs.component_code`
	args = nil
	if system != "" {
		q2 = `SELECT DISTINCT c.system_code, c.code FROM components c JOIN component_software cs ON cs.component_code = c.code
			WHERE c.system_code = $1`
		args = []any{system}
	}
	if err := s.each(ctx, q2, args, func(r []any) {
		out = append(out, OwnerUse{SystemCode: str(r[0]), OwnerKind: OwnerComponent, OwnerCode: str(r[1]), Components: 1})
	}); err != nil {
		return nil, fmt.Errorf("store: owner uses: %w", err)
	}
	return out, nil
}

// OwnerUsesOf is OwnerUses for the given owners only: the systems whose
// components run those images or carry those SBOMs. A report driven by its
// matches reads these rather than every component of the country.
func (s *Store) OwnerUsesOf(ctx context.Context, owners [][2]string) ([]OwnerUse, error) {
	var images, comps []string
	for _, o := range owners {
		if o[0] == OwnerImage {
			images = append(images, o[1])
		} else {
			comps = append(comps, o[1])
		}
	}
	var out []OwnerUse
	if err := s.eachIn(ctx, `SELECT system_code, image_code, count(*) FROM components WHERE image_code IN (%s) GROUP BY image_code, system_code`, images, func(r []any) {
		out = append(out, OwnerUse{SystemCode: str(r[0]), OwnerKind: OwnerImage, OwnerCode: str(r[1]), Components: int(i64(r[2]))})
	}); err != nil {
		return nil, fmt.Errorf("store: owner uses: %w", err)
	}
	if err := s.eachIn(ctx, `SELECT system_code, code FROM components WHERE code IN (%s)`, comps, func(r []any) {
		out = append(out, OwnerUse{SystemCode: str(r[0]), OwnerKind: OwnerComponent, OwnerCode: str(r[1]), Components: 1})
	}); err != nil {
		return nil, fmt.Errorf("store: owner uses: %w", err)
	}
	return out, nil
}

// SystemNames returns the name and organization of each of the systems
// codes, by code; a code with no system is absent.
func (s *Store) SystemNames(ctx context.Context, codes []string) (map[string][2]string, error) {
	out := make(map[string][2]string, len(codes))
	err := s.eachIn(ctx, `SELECT code, name, org_code FROM systems WHERE code IN (%s)`, codes, func(r []any) {
		out[str(r[0])] = [2]string{str(r[1]), str(r[2])}
	})
	if err != nil {
		return nil, fmt.Errorf("store: system names: %w", err)
	}
	return out, nil
}

// OpenMatchesOf lists the open matches named by any of vulnIDs.
func (s *Store) OpenMatchesOf(ctx context.Context, vulnIDs []string) ([]Match, error) {
	var out []Match
	err := s.eachIn(ctx, "SELECT "+matchCols+" FROM vuln_matches WHERE closed_on IS NULL AND vuln_id IN (%s)", vulnIDs, func(r []any) { out = append(out, matchOf(r)) })
	if err != nil {
		return nil, fmt.Errorf("store: matches: %w", err)
	}
	return out, nil
}

// CountermeasuresOf lists the countermeasures of the given systems.
func (s *Store) CountermeasuresOf(ctx context.Context, systems []string) ([]Countermeasure, error) {
	var out []Countermeasure
	err := s.eachIn(ctx, `SELECT system_code, vuln_id, kind, note, due_on, approver, recorded_on FROM countermeasures WHERE system_code IN (%s)`, systems, func(r []any) {
		out = append(out, Countermeasure{SystemCode: str(r[0]), VulnID: str(r[1]), Kind: str(r[2]), Note: str(r[3]), DueOn: str(r[4]), Approver: str(r[5]), RecordedOn: str(r[6])})
	})
	if err != nil {
		return nil, fmt.Errorf("store: countermeasures: %w", err)
	}
	return out, nil
}

// Match is one vulnerability found on one owner's software.
type Match struct {
	OwnerKind, OwnerCode string
	VulnID               string // a CVE when the vulnerability has one, else the advisory's own ID
	Software             string // "openssl 1.0.2k", for people
	Path                 string // cpe, purl, jvn
	Confidence           int    // percent
	Advisories           string // every advisory ID that led here, space-separated
	// Aliases are every other identifier of the vulnerability: the
	// advisories and what they alias (a GO- record's second CVE, a
	// GHSA), space-separated and sorted. A search, a KEV entry or a
	// countermeasure under any of them is about this match.
	Aliases             string
	Detail              string // the criterion or range that matched
	FirstSeen, LastSeen string
	ClosedOn            string // "" while open
}

// IDs returns every identifier the match answers to, its VulnID first.
func (m Match) IDs() []string {
	return append([]string{m.VulnID}, strings.Fields(m.Aliases)...)
}

func (m Match) record() mamori.Record {
	opt := func(s string) any {
		if s == "" {
			return nil
		}
		return s
	}
	return mamori.Record{m.OwnerKind, m.OwnerCode, m.VulnID, m.Software, m.Path, int64(m.Confidence), opt(m.Advisories),
		opt(m.Detail), m.FirstSeen, m.LastSeen, opt(m.ClosedOn), opt(m.Aliases)}
}

func matchOf(r []any) Match {
	return Match{OwnerKind: str(r[0]), OwnerCode: str(r[1]), VulnID: str(r[2]), Software: str(r[3]), Path: str(r[4]),
		Confidence: int(i64(r[5])), Advisories: str(r[6]), Detail: str(r[7]), FirstSeen: str(r[8]), LastSeen: str(r[9]), ClosedOn: str(r[10]), Aliases: str(r[11])}
}

const matchCols = "owner_kind, owner_code, vuln_id, software, path, confidence, advisories, detail, first_seen, last_seen, closed_on, aliases"

// MatchRun describes one run of the matcher.
type MatchRun struct {
	Seq             int64
	RanAt           string // RFC 3339
	RanOn           string // YYYY-MM-DD: first_seen, last_seen and closed_on of what it changes
	Scope           string // "" for everything, else the system code
	Items           int    // inventory items matched
	Matches         int
	Opened, Closed  int
	Reopened, Known int
	// Fingerprint digests what a full run matched (inventory, feed
	// imports, matcher); "" for a scoped run.
	Fingerprint string
}

// runRecord is the match_runs row of run.
func (run *MatchRun) record() mamori.Record {
	var fp any
	if run.Fingerprint != "" {
		fp = run.Fingerprint
	}
	return mamori.Record{run.Seq, run.RanAt, run.RanOn, run.Scope, int64(run.Items), int64(run.Matches),
		int64(run.Opened + run.Reopened), int64(run.Closed), fp}
}

// LastMatchRun returns the latest match run, scoped or not.
func (s *Store) LastMatchRun(ctx context.Context) (MatchRun, bool, error) {
	var run MatchRun
	found := false
	err := s.each(ctx, `SELECT seq, ran_on, scope, items, matches, fingerprint FROM match_runs ORDER BY seq DESC LIMIT 1`, nil, func(r []any) {
		run = MatchRun{Seq: i64(r[0]), RanOn: str(r[1]), Scope: str(r[2]), Items: int(i64(r[3])), Matches: int(i64(r[4])), Fingerprint: str(r[5])}
		found = true
	})
	if err != nil {
		return MatchRun{}, false, fmt.Errorf("store: match runs: %w", err)
	}
	return run, found, nil
}

// FeedState names the state of the vulnerability index: the feed imports
// so far. Every change to the index is an import, which adds a row.
func (s *Store) FeedState(ctx context.Context) (string, error) {
	var n, last int64
	if err := s.read.QueryRowContext(ctx, `SELECT count(*), coalesce(max(seq), 0) FROM feed_imports`).Scan(&n, &last); err != nil {
		return "", fmt.Errorf("store: feed state: %w", err)
	}
	return fmt.Sprintf("%d/%d", n, last), nil
}

// RepeatMatches records a full run that found exactly what the last one
// found: every open match is seen again on the run's date, and nothing
// opens or closes. One transaction.
func (s *Store) RepeatMatches(ctx context.Context, run *MatchRun) error {
	var open int64
	if err := s.read.QueryRowContext(ctx, `SELECT count(*) FROM vuln_matches WHERE closed_on IS NULL`).Scan(&open); err != nil {
		return fmt.Errorf("store: repeat matches: %w", err)
	}
	run.Matches, run.Known = int(open), int(open)
	return s.Load(ctx, LoadOptions{}, func(l *Loader) error {
		if err := l.exec(`UPDATE vuln_matches SET last_seen = $1 WHERE closed_on IS NULL AND last_seen < $1`, run.RanOn); err != nil {
			return err
		}
		seq, err := l.NextSeq(MatchRunsTable)
		if err != nil {
			return err
		}
		run.Seq = seq
		return l.Put(MatchRunsTable, []mamori.Record{run.record()})
	})
}

// SaveMatches stores a run's matches: for the owners it covered (all when
// owners is nil), a match found again keeps its first_seen, one found anew
// (or again after being closed) opens on the run's date, and an open match
// not found any more is closed (patched: the software changed). One
// transaction; the run is recorded in match_runs.
func (s *Store) SaveMatches(ctx context.Context, run *MatchRun, owners map[[2]string]bool, found []Match) error {
	existing := map[[3]string]Match{}
	keep := func(r []any) {
		m := matchOf(r)
		if owners == nil || owners[[2]string{m.OwnerKind, m.OwnerCode}] {
			existing[[3]string{m.OwnerKind, m.OwnerCode, m.VulnID}] = m
		}
	}
	var err error
	if owners == nil {
		err = s.each(ctx, "SELECT "+matchCols+" FROM vuln_matches", nil, keep)
	} else {
		// A scoped run reads only its owners' matches (by the key's
		// owner_code prefix), not the whole table.
		codes := make([]string, 0, len(owners))
		for o := range owners {
			codes = append(codes, o[1])
		}
		err = s.eachIn(ctx, "SELECT "+matchCols+" FROM vuln_matches WHERE owner_kind IN ('component', 'image') AND owner_code IN (%s)", codes, keep)
	}
	if err != nil {
		return fmt.Errorf("store: save matches: %w", err)
	}
	var write []mamori.Record
	seen := make(map[[3]string]bool, len(found))
	for _, m := range found {
		k := [3]string{m.OwnerKind, m.OwnerCode, m.VulnID}
		if seen[k] {
			return fmt.Errorf("store: save matches: %s on %s %s twice", m.VulnID, m.OwnerKind, m.OwnerCode)
		}
		seen[k] = true
		old, ok := existing[k]
		m.LastSeen, m.ClosedOn = run.RanOn, ""
		switch {
		case !ok:
			m.FirstSeen = run.RanOn
			run.Opened++
		case old.ClosedOn != "":
			m.FirstSeen = run.RanOn
			run.Reopened++
		default:
			m.FirstSeen = old.FirstSeen
			run.Known++
			if old.LastSeen == m.LastSeen && old.Software == m.Software && old.Path == m.Path &&
				old.Confidence == m.Confidence && old.Advisories == m.Advisories && old.Detail == m.Detail && old.Aliases == m.Aliases {
				continue // nothing to write
			}
		}
		write = append(write, m.record())
	}
	for k, old := range existing {
		if !seen[k] && old.ClosedOn == "" {
			old.ClosedOn = run.RanOn
			write = append(write, old.record())
			run.Closed++
		}
	}
	run.Matches = len(found)
	return s.Load(ctx, LoadOptions{}, func(l *Loader) error {
		if err := l.Put(VulnMatchesTable, write); err != nil {
			return err
		}
		seq, err := l.NextSeq(MatchRunsTable)
		if err != nil {
			return err
		}
		run.Seq = seq
		return l.Put(MatchRunsTable, []mamori.Record{run.record()})
	})
}

// MatchFilter narrows Matches.
type MatchFilter struct {
	OwnerKind, OwnerCode string
	VulnID               string // the match's own name
	// AnyID finds the match by any of its identifiers: its VulnID, an
	// advisory or an alias, case-insensitively.
	AnyID    string
	OpenOnly bool
}

// likeEscaper escapes LIKE's wildcards (and its escape character) so an
// identifier is searched for literally.
var likeEscaper = strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`)

// Matches lists stored matches in key order.
func (s *Store) Matches(ctx context.Context, f MatchFilter) ([]Match, error) {
	q := "SELECT " + matchCols + " FROM vuln_matches WHERE 1 = 1"
	var args []any
	add := func(col, v string) {
		if v != "" {
			args = append(args, v)
			q += fmt.Sprintf(" AND %s = $%d", col, len(args))
		}
	}
	add("owner_kind", f.OwnerKind)
	add("owner_code", f.OwnerCode)
	add("vuln_id", f.VulnID)
	if id := strings.ToLower(strings.TrimSpace(f.AnyID)); id != "" {
		args = append(args, id, "% "+likeEscaper.Replace(id)+" %")
		q += fmt.Sprintf(` AND (lower(vuln_id) = $%d OR lower(' ' || aliases || ' ') LIKE $%d ESCAPE '\')`, len(args)-1, len(args))
	}
	if f.OpenOnly {
		q += " AND closed_on IS NULL"
	}
	var out []Match
	err := s.each(ctx, q+" ORDER BY owner_kind, owner_code, vuln_id", args, func(r []any) { out = append(out, matchOf(r)) })
	if err != nil {
		return nil, fmt.Errorf("store: matches: %w", err)
	}
	return out, nil
}

// VulnFacts are what a report shows about one vulnerability: its best
// score, KEV entry and EPSS.
type VulnFacts struct {
	ID          string
	Title       string
	CVSS3       int // tenths; 0 when unknown
	CVSS4       int
	Severity    string
	KEVAdded    string
	KEVDue      string
	Ransomware  string
	EPSS        int // 1e-5 units; -1 when unknown
	EPSSPercent int
}

// Facts returns the facts of ids, by ID. An ID with no stored advisory
// still gets KEV and EPSS when those know it.
func (s *Store) Facts(ctx context.Context, ids []string) (map[string]*VulnFacts, error) {
	out := make(map[string]*VulnFacts, len(ids))
	get := func(id string) *VulnFacts {
		f := out[id]
		if f == nil {
			f = &VulnFacts{ID: id, EPSS: -1, EPSSPercent: -1}
			out[id] = f
		}
		return f
	}
	// NVD's scores first, then whatever another source adds.
	err := s.eachIn(ctx, `SELECT id, source, title, cvss3_score, cvss4_score, severity FROM advisories WHERE id IN (%s)
		ORDER BY id, CASE source WHEN 'nvd' THEN 0 WHEN 'nvd-override' THEN 1 WHEN 'osv' THEN 2 ELSE 3 END`, ids, func(r []any) {
		f := get(str(r[0]))
		if f.Title == "" {
			f.Title = str(r[2])
		}
		if f.CVSS3 == 0 {
			f.CVSS3 = int(i64(r[3]))
		}
		if f.CVSS4 == 0 {
			f.CVSS4 = int(i64(r[4]))
		}
		if f.Severity == "" {
			f.Severity = str(r[5])
		}
	})
	if err != nil {
		return nil, err
	}
	if err := s.eachIn(ctx, `SELECT cve, date_added, due_date, ransomware FROM kev_entries WHERE cve IN (%s)`, ids, func(r []any) {
		f := get(str(r[0]))
		f.KEVAdded, f.KEVDue, f.Ransomware = str(r[1]), str(r[2]), str(r[3])
	}); err != nil {
		return nil, err
	}
	if err := s.eachIn(ctx, `SELECT cve, score, percentile FROM epss_scores WHERE cve IN (%s)`, ids, func(r []any) {
		f := get(str(r[0]))
		f.EPSS, f.EPSSPercent = int(i64(r[1])), int(i64(r[2]))
	}); err != nil {
		return nil, err
	}
	return out, nil
}

// Countermeasure is what a system did about one vulnerability.
type Countermeasure struct {
	SystemCode, VulnID string
	Kind               string // patched, mitigated, planned, accepted
	Note               string
	DueOn              string // planned: the ぜい弱性対策計画's deadline
	Approver           string // accepted: who accepted the risk
	RecordedOn         string
}

// Countermeasure kinds.
var CountermeasureKinds = []string{"patched", "mitigated", "planned", "accepted"}

// PutCountermeasure records (or replaces) a system's countermeasure.
func (s *Store) PutCountermeasure(ctx context.Context, c Countermeasure) error {
	opt := func(s string) any {
		if s == "" {
			return nil
		}
		return s
	}
	return s.Load(ctx, LoadOptions{}, func(l *Loader) error {
		n, err := l.queryInt("SELECT count(*) FROM systems WHERE code = $1", c.SystemCode)
		if err != nil {
			return err
		}
		if n == 0 {
			return mamori.Errorf(mamori.NotFound, "情報システム「%s」はありません", "no system %q", c.SystemCode)
		}
		return l.Put(CountermeasuresTable, []mamori.Record{{c.SystemCode, c.VulnID, c.Kind, opt(c.Note), opt(c.DueOn), opt(c.Approver), c.RecordedOn}})
	})
}

// FeedImport is one imported feed file.
type FeedImport struct {
	Seq        int64
	Kind       string // nvd, jvn, osv, kev, epss
	Name       string
	Format     string
	Records    int
	SHA256     string
	ImportedAt string
	FeedDate   string
}

// FeedImports lists the imported feed files, newest first.
func (s *Store) FeedImports(ctx context.Context) ([]FeedImport, error) {
	var out []FeedImport
	err := s.each(ctx, `SELECT seq, kind, name, format, records, sha256, imported_at, feed_date FROM feed_imports ORDER BY seq DESC`, nil, func(r []any) {
		out = append(out, FeedImport{Seq: i64(r[0]), Kind: str(r[1]), Name: str(r[2]), Format: str(r[3]), Records: int(i64(r[4])),
			SHA256: str(r[5]), ImportedAt: str(r[6]), FeedDate: str(r[7])})
	})
	if err != nil {
		return nil, fmt.Errorf("store: feed imports: %w", err)
	}
	return out, nil
}

// RecordFeedImport adds an import to feed_imports inside a load.
func (l *Loader) RecordFeedImport(f *FeedImport) error {
	seq, err := l.NextSeq(FeedImportsTable)
	if err != nil {
		return err
	}
	f.Seq = seq
	var date any
	if f.FeedDate != "" {
		date = f.FeedDate
	}
	return l.Put(FeedImportsTable, []mamori.Record{{seq, f.Kind, f.Name, f.Format, int64(f.Records), f.SHA256, f.ImportedAt, date}})
}

// AdvisoryCounts counts stored advisories by source.
func (s *Store) AdvisoryCounts(ctx context.Context) (map[string]int64, error) {
	out := map[string]int64{}
	err := s.each(ctx, `SELECT source, count(*) FROM advisories GROUP BY source`, nil, func(r []any) { out[str(r[0])] = i64(r[1]) })
	for _, t := range []string{"cpe_criteria", "affected_packages", "affected_products", "kev_entries", "epss_scores"} {
		if err != nil {
			break
		}
		err = s.each(ctx, "SELECT count(*) FROM "+t, nil, func(r []any) { out[t] = i64(r[0]) })
	}
	if err != nil {
		return nil, fmt.Errorf("store: advisory counts: %w", err)
	}
	return out, nil
}

// vulnFields are the system view's vulnerability fields, computed together.
var vulnFields = []string{"software_count", "open_vulns", "unhandled_vulns", "unhandled_sample", "earliest_plan_due",
	"earliest_kev_due", "vuln_matched_on", "feed_updated_on"}

// vulnDerived computes, per system, what VUL-01…03 read: the software it
// runs, its open matches (over the images and SBOMs of its components),
// which of them have no countermeasure, the earliest deadline of its plans
// and of the KEV entries it has not handled, and when its software was
// last matched against which feeds.
func (s *Store) vulnDerived(ctx context.Context, d *viewData, system string) error {
	if !slices.ContainsFunc(vulnFields, d.need) {
		return nil
	}
	uses, err := s.OwnerUses(ctx, system)
	if err != nil {
		return err
	}
	type owner = [2]string
	// One system's check reads only its own owners' rows: a re-check of
	// one system must not scan the national tables.
	var imgCodes, compCodes []string
	for _, u := range uses {
		if u.OwnerKind == OwnerImage {
			imgCodes = append(imgCodes, u.OwnerCode)
		} else {
			compCodes = append(compCodes, u.OwnerCode)
		}
	}
	scoped := func(q, col string, codes []string, fn func([]any)) error {
		if system == "" {
			return s.each(ctx, fmt.Sprintf(q, "1 = 1"), nil, fn)
		}
		return s.eachIn(ctx, fmt.Sprintf(q, col+" IN (%s)"), codes, fn)
	}
	items := map[owner]int64{}
	if err := scoped(`SELECT image_code, count(*) FROM image_software WHERE %s GROUP BY image_code`, "image_code", imgCodes, func(r []any) {
		items[owner{OwnerImage, str(r[0])}] = i64(r[1])
	}); err != nil {
		return err
	}
	if err := scoped(`SELECT component_code, count(*) FROM component_software WHERE %s GROUP BY component_code`, "component_code", compCodes, func(r []any) {
		items[owner{OwnerComponent, str(r[0])}] = i64(r[1])
	}); err != nil {
		return err
	}
	type openMatch struct {
		vuln, lastSeen string
	}
	open := map[owner][]openMatch{}
	vulnIDs := map[string]bool{}
	aliases := map[string][]string{} // a vulnerability's other identifiers
	if err := scoped(`SELECT owner_kind, owner_code, vuln_id, last_seen, aliases FROM vuln_matches WHERE closed_on IS NULL AND %s`, "owner_kind IN ('component', 'image') AND owner_code",
		append(slices.Clone(imgCodes), compCodes...), func(r []any) {
			k := owner{str(r[0]), str(r[1])}
			v := str(r[2])
			open[k] = append(open[k], openMatch{v, str(r[3])})
			vulnIDs[v] = true
			// The same vulnerability on two owners may carry different
			// aliases (an NVD match on one, a GO- record's on the other):
			// it answers to all of them.
			for _, id := range strings.Fields(str(r[4])) {
				if !slices.Contains(aliases[v], id) {
					aliases[v] = append(aliases[v], id)
				}
				vulnIDs[id] = true
			}
		}); err != nil {
		return err
	}
	kevDue := map[string]string{}
	if len(vulnIDs) > 0 {
		if err := s.each(ctx, `SELECT cve, due_date FROM kev_entries WHERE due_date IS NOT NULL`, nil, func(r []any) {
			if vulnIDs[str(r[0])] {
				kevDue[str(r[0])] = str(r[1])
			}
		}); err != nil {
			return err
		}
	}
	// A vulnerability's KEV deadline is the earliest of any of its
	// identifiers' (a GO- record's second CVE may be the one in KEV).
	for v, as := range aliases {
		slices.Sort(as) // the order countermeasures are looked up in, as the report does
		for _, a := range as {
			if due := kevDue[a]; due != "" && (kevDue[v] == "" || due < kevDue[v]) {
				kevDue[v] = due
			}
		}
	}
	cmOf, err := s.countermeasureIndex(ctx, system)
	if err != nil {
		return err
	}
	var lastFull string
	lastScoped := map[string]string{}
	if err := s.each(ctx, `SELECT scope, max(ran_on) FROM match_runs GROUP BY scope`, nil, func(r []any) {
		if str(r[0]) == "" {
			lastFull = str(r[1])
		} else {
			lastScoped[str(r[0])] = str(r[1])
		}
	}); err != nil {
		return err
	}
	var feedDay string
	if err := s.each(ctx, `SELECT max(imported_at) FROM feed_imports`, nil, func(r []any) {
		if t := str(r[0]); len(t) >= 10 {
			feedDay = t[:10]
		}
	}); err != nil {
		return err
	}

	bySystem := map[string][]owner{}
	for _, u := range uses {
		bySystem[u.SystemCode] = append(bySystem[u.SystemCode], owner{u.OwnerKind, u.OwnerCode})
	}
	for sys, owners := range bySystem {
		var software int64
		// One vulnerability on several owners counts once; last_seen is
		// the latest of them.
		seen := map[string]string{}
		for _, o := range owners {
			software += items[o]
			for _, m := range open[o] {
				if m.lastSeen > seen[m.vuln] {
					seen[m.vuln] = m.lastSeen
				}
			}
		}
		d.set(sys, "software_count", software)
		if software > 0 {
			matched := lastFull
			if sc := lastScoped[sys]; sc > matched {
				matched = sc
			}
			if matched != "" {
				d.set(sys, "vuln_matched_on", matched)
			}
			if feedDay != "" {
				d.set(sys, "feed_updated_on", feedDay)
			}
		}
		if len(seen) == 0 {
			continue
		}
		ids := make([]string, 0, len(seen))
		for v := range seen {
			ids = append(ids, v)
		}
		slices.Sort(ids)
		var unhandled int64
		var planDue, kevEarliest string
		for _, v := range ids {
			c, ok := cmOf[sys+"\x00"+v]
			for _, a := range aliases[v] { // sorted once, below the scan
				// A countermeasure recorded under another identifier of
				// the vulnerability is about it too, unless that
				// identifier is an open vulnerability of the system itself
				// (the report's rule).
				if ok {
					break
				}
				if _, own := seen[a]; !own {
					c, ok = cmOf[sys+"\x00"+a]
				}
			}
			// A patch recorded before the latest run that still found the
			// vulnerability is contradicted by the inventory: unhandled.
			if !ok || (c.kind == "patched" && seen[v] > c.recordedOn) {
				unhandled++
				if unhandled <= 5 {
					d.appendString(sys, "unhandled_sample", v)
				}
				if due := kevDue[v]; due != "" && (kevEarliest == "" || due < kevEarliest) {
					kevEarliest = due
				}
				continue
			}
			if c.kind == "planned" && c.dueOn != "" && (planDue == "" || c.dueOn < planDue) {
				planDue = c.dueOn
			}
		}
		d.set(sys, "open_vulns", int64(len(ids)))
		d.set(sys, "unhandled_vulns", unhandled)
		if planDue != "" {
			d.set(sys, "earliest_plan_due", planDue)
		}
		if kevEarliest != "" {
			d.set(sys, "earliest_kev_due", kevEarliest)
		}
	}
	return nil
}

// DeleteAll empties a vulnerability side table (KEV and EPSS files are
// complete lists: each import replaces the last).
func (l *Loader) DeleteAll(e *mamori.Entity) error {
	if e != KEVTable && e != EPSSTable {
		return fmt.Errorf("store: refusing to empty %s", e.Name)
	}
	return l.exec("DELETE FROM " + e.Name)
}

// Withdrawn returns which of ids some feed has withdrawn (OSV "withdrawn",
// an NVD record rejected).
func (s *Store) Withdrawn(ctx context.Context, ids []string) (map[string]bool, error) {
	out := map[string]bool{}
	err := s.eachIn(ctx, "SELECT id FROM advisories WHERE withdrawn IS NOT NULL AND id IN (%s)", ids, func(r []any) { out[str(r[0])] = true })
	return out, err
}

// WithCriteria returns which of ids have CPE criteria from any source.
func (s *Store) WithCriteria(ctx context.Context, ids []string) (map[string]bool, error) {
	out := map[string]bool{}
	err := s.eachIn(ctx, "SELECT DISTINCT id FROM cpe_criteria WHERE id IN (%s)", ids, func(r []any) { out[str(r[0])] = true })
	return out, err
}

// cmLite is what the check view needs of a countermeasure.
type cmLite struct{ kind, dueOn, recordedOn string }

// countermeasureIndex reads every countermeasure (of one system when
// system is non-empty) keyed by system and vulnerability. A national
// register holds about a million, so the rows are scanned into strings
// directly rather than through the generic row reader.
func (s *Store) countermeasureIndex(ctx context.Context, system string) (map[string]cmLite, error) {
	q, args := sysCond(`SELECT system_code, vuln_id, kind, coalesce(CAST(due_on AS TEXT), ''), CAST(recorded_on AS TEXT)
		FROM countermeasures WHERE 1 = 1 {{sys}}`, "system_code", system)
	rows, err := s.read.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: countermeasures: %w", err)
	}
	defer rows.Close()
	out := map[string]cmLite{}
	kinds := map[string]string{} // one string per kind, not one per row
	for rows.Next() {
		var sys, vuln, kind string
		var c cmLite
		if err := rows.Scan(&sys, &vuln, &kind, &c.dueOn, &c.recordedOn); err != nil {
			return nil, fmt.Errorf("store: countermeasures: %w", err)
		}
		if k, ok := kinds[kind]; ok {
			c.kind = k
		} else {
			kinds[kind], c.kind = kind, kind
		}
		out[sys+"\x00"+vuln] = c
	}
	return out, rows.Err()
}

// OpenCounts counts open findings and open vulnerability matches, for
// monitoring.
func (s *Store) OpenCounts(ctx context.Context) (findings, matches int64, err error) {
	if err = s.read.QueryRowContext(ctx, `SELECT count(*) FROM findings WHERE status = 'open'`).Scan(&findings); err != nil {
		return 0, 0, fmt.Errorf("store: open counts: %w", err)
	}
	if err = s.read.QueryRowContext(ctx, `SELECT count(*) FROM vuln_matches WHERE closed_on IS NULL`).Scan(&matches); err != nil {
		return 0, 0, fmt.Errorf("store: open counts: %w", err)
	}
	return findings, matches, nil
}
