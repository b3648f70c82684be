package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"mamori"
)

// incidentDerived fills the organization views' incident-register fields
// (DESIGN C7; seeds 002 and 004):
//
//   - organization: csirt_record_documented, present only when the body
//     has a CSIRT record: true when the record gives the date its staff and
//     functions were documented and names at least one member, false
//     otherwise (LG-14). Without a record the body's yes/no answers decide,
//     and blank answers leave LG-14 未確認.
//   - organization-fy: incident_free_years, the fiscal years the body
//     declared without incidents (GOV-05: a declared quiet year is not an
//     unrecorded one), and drills, the emergency drills it held, each with
//     its fiscal year and scenario (LG-15).
func (s *Store) incidentDerived(ctx context.Context, d *viewData, perFY bool) error {
	if !perFY {
		if !d.need("csirt_record_documented") {
			return nil
		}
		return s.each(ctx, `SELECT c.org_code, c.documented_on, (SELECT count(*) FROM csirt_members m WHERE m.org_code = c.org_code)
			FROM csirts c`, nil, func(r []any) {
			d.set(str(r[0]), "csirt_record_documented", r[1] != nil && i64(r[2]) > 0)
		})
	}
	if d.need("incident_free_years") {
		err := s.each(ctx, `SELECT org_code, fiscal_year FROM incident_declarations ORDER BY org_code, fiscal_year`, nil, func(r []any) {
			d.appendString(str(r[0]), "incident_free_years", strconv.FormatInt(i64(r[1]), 10))
		})
		if err != nil {
			return err
		}
	}
	if !d.need("drills") {
		return nil
	}
	return s.each(ctx, `SELECT org_code, held_on, scenario, plan_code FROM drills ORDER BY org_code, held_on, code`, nil, func(r []any) {
		fy, ok := mamori.FiscalYearOf(str(r[1]))
		if !ok {
			return
		}
		m := map[string]any{"fiscal_year": fy, "held_on": str(r[1]), "scenario": str(r[2])}
		if r[3] != nil {
			m["plan_code"] = str(r[3])
		}
		d.appendMap(str(r[0]), "drills", m)
	})
}

// Incident is one incident of the register with what it affected.
type Incident struct {
	Code, OrgCode, SystemCode, Class, Severity string
	OccurredOn, OccurredTime                   string
	DetectedOn, DetectedTime                   string
	ReportedOn, ReportedTime, ReportedTo       string
	ContainedOn, ContainedTime                 string
	RecoveredOn, RecoveredTime                 string
	ClosedOn                                   string
	Summary, Cause, Measures                   string
	Systems, Orgs                              []string // affected, besides OrgCode and SystemCode
}

// incidentColumns are the incidents columns in the order Incident's
// fields are scanned and written.
const incidentColumns = `code, org_code, system_code, category, severity, occurred_on, occurred_time, detected_on, detected_time,
	reported_on, reported_time, reported_to, contained_on, contained_time, recovered_on, recovered_time, closed_on,
	summary, cause, measures`

func (in *Incident) fields() []*string {
	return []*string{&in.Code, &in.OrgCode, &in.SystemCode, &in.Class, &in.Severity, &in.OccurredOn, &in.OccurredTime,
		&in.DetectedOn, &in.DetectedTime, &in.ReportedOn, &in.ReportedTime, &in.ReportedTo, &in.ContainedOn, &in.ContainedTime,
		&in.RecoveredOn, &in.RecoveredTime, &in.ClosedOn, &in.Summary, &in.Cause, &in.Measures}
}

// Incidents returns the incidents of the given organizations (all of them
// for nil), newest detection first, with what they affected.
func (s *Store) Incidents(ctx context.Context, orgs []string) ([]Incident, error) {
	return s.incidents(ctx, orgs, "")
}

// IncidentByCode returns one incident; NotFound when there is none.
func (s *Store) IncidentByCode(ctx context.Context, code string) (Incident, error) {
	out, err := s.incidents(ctx, nil, code)
	if err != nil {
		return Incident{}, err
	}
	if len(out) == 0 {
		return Incident{}, mamori.Errorf(mamori.NotFound, "インシデント「%s」はありません", "no incident %q", mamori.Excerpt(code))
	}
	return out[0], nil
}

// IncidentIn returns one incident of orgs (nil: any); NotFound when there
// is none there. Another organization's incident costs the one query a
// missing one does, so the time of the answer does not tell it exists.
func (s *Store) IncidentIn(ctx context.Context, code string, orgs []string) (Incident, error) {
	out, err := s.incidents(ctx, orgs, code)
	if err != nil {
		return Incident{}, err
	}
	if len(out) == 0 {
		return Incident{}, mamori.Errorf(mamori.NotFound, "インシデント「%s」はありません", "no incident %q", mamori.Excerpt(code))
	}
	return out[0], nil
}

func (s *Store) incidents(ctx context.Context, orgs []string, code string) ([]Incident, error) {
	in := map[string]bool{}
	for _, o := range orgs {
		in[o] = true
	}
	q, args := `SELECT `+incidentColumns+` FROM incidents`, []any(nil)
	if code != "" {
		q, args = q+` WHERE code = $1`, []any{code}
	}
	var out []Incident
	idx := map[string]int{}
	err := s.each(ctx, q+` ORDER BY detected_on DESC, code`, args, func(r []any) {
		var x Incident
		for i, p := range x.fields() {
			*p = str(r[i])
		}
		if orgs != nil && !in[x.OrgCode] {
			return
		}
		idx[x.Code] = len(out)
		out = append(out, x)
	})
	if err != nil {
		return nil, fmt.Errorf("store: incidents: %w", err)
	}
	if len(out) == 0 {
		return out, nil
	}
	for _, side := range []struct{ q string }{
		{`SELECT incident_code, system_code FROM incident_systems ORDER BY incident_code, system_code`},
		{`SELECT incident_code, org_code FROM incident_orgs ORDER BY incident_code, org_code`},
	} {
		q, args := side.q, []any(nil)
		if code != "" {
			q = strings.Replace(q, " ORDER BY", " WHERE incident_code = $1 ORDER BY", 1)
			args = []any{code}
		}
		systems := strings.Contains(q, "system_code")
		err := s.each(ctx, q, args, func(r []any) {
			i, ok := idx[str(r[0])]
			if !ok {
				return
			}
			if systems {
				out[i].Systems = append(out[i].Systems, str(r[1]))
			} else {
				out[i].Orgs = append(out[i].Orgs, str(r[1]))
			}
		})
		if err != nil {
			return nil, fmt.Errorf("store: incidents: %w", err)
		}
	}
	return out, nil
}

// IncidentClass is one class of the reference list.
type IncidentClass struct{ Code, Name, NameEN string }

// IncidentClasses returns the classes incidents are recorded by.
func (s *Store) IncidentClasses(ctx context.Context) ([]IncidentClass, error) {
	var out []IncidentClass
	err := s.each(ctx, `SELECT code, name, name_en FROM incident_classes ORDER BY code`, nil, func(r []any) {
		out = append(out, IncidentClass{str(r[0]), str(r[1]), str(r[2])})
	})
	if err != nil {
		return nil, fmt.Errorf("store: incident classes: %w", err)
	}
	return out, nil
}

// NextIncidentCode returns a free code for an incident of org detected on
// date: ORG-INyyyymmdd-n.
func (s *Store) NextIncidentCode(ctx context.Context, org, date string) (string, error) {
	prefix := org + "-IN" + strings.ReplaceAll(date, "-", "") + "-"
	var n int64
	err := s.each(ctx, `SELECT count(*) FROM incidents WHERE code LIKE $1`, []any{prefix + "%"}, func(r []any) { n = i64(r[0]) })
	if err != nil {
		return "", fmt.Errorf("store: incident code: %w", err)
	}
	return prefix + strconv.FormatInt(n+1, 10), nil
}

// nullable turns "" into NULL.
func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// InsertIncident records a new incident with what it affected, in the
// transaction of the workflow item that follows it.
func (t WorkflowTx) InsertIncident(ctx context.Context, in Incident) error {
	vals := []any{}
	ph := []string{}
	for i, p := range in.fields() {
		vals = append(vals, nullable(*p))
		ph = append(ph, "$"+strconv.Itoa(i+1))
	}
	if _, err := t.tx.ExecContext(ctx, `INSERT INTO incidents (`+incidentColumns+`) VALUES (`+strings.Join(ph, ", ")+`)`, vals...); err != nil {
		return translate(err, "insert incidents")
	}
	for _, sc := range in.Systems {
		if _, err := t.tx.ExecContext(ctx, `INSERT INTO incident_systems (incident_code, system_code) VALUES ($1, $2)`, in.Code, sc); err != nil {
			return translate(err, "insert incident_systems")
		}
	}
	for _, o := range in.Orgs {
		if _, err := t.tx.ExecContext(ctx, `INSERT INTO incident_orgs (incident_code, org_code) VALUES ($1, $2)`, in.Code, o); err != nil {
			return translate(err, "insert incident_orgs")
		}
	}
	return nil
}

// incidentStepColumns are the columns a workflow step may write.
var incidentStepColumns = map[string]bool{
	"reported_on": true, "reported_time": true, "reported_to": true, "contained_on": true, "contained_time": true,
	"recovered_on": true, "recovered_time": true, "closed_on": true, "cause": true, "measures": true,
}

// SetIncidentFields writes what a workflow step records on incident code
// (a stamped date and time, whom it was reported to, cause, measures) in
// the step's transaction, and refuses a timeline the change would put out
// of order.
func (t WorkflowTx) SetIncidentFields(ctx context.Context, code string, fields map[string]string) error {
	var in Incident
	ptrs := make([]any, len(in.fields()))
	raw := make([]any, len(ptrs))
	for i := range ptrs {
		ptrs[i] = &raw[i]
	}
	if err := t.tx.QueryRowContext(ctx, `SELECT `+incidentColumns+` FROM incidents WHERE code = $1`, code).Scan(ptrs...); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return mamori.Errorf(mamori.NotFound, "インシデント「%s」はありません", "no incident %q", mamori.Excerpt(code))
		}
		return fmt.Errorf("store: incident %s: %w", code, err)
	}
	cur := map[string]string{}
	cols := strings.Fields(strings.ReplaceAll(incidentColumns, ",", " "))
	for i, c := range cols {
		cur[c] = str(dateString(raw[i]))
	}
	var sets []string
	var args []any
	for _, c := range slices.Sorted(maps.Keys(fields)) {
		if !incidentStepColumns[c] {
			return fmt.Errorf("store: incident step may not set %s", c)
		}
		cur[c] = fields[c]
		args = append(args, nullable(fields[c]))
		sets = append(sets, c+" = $"+strconv.Itoa(len(args)))
	}
	if p := mamori.CheckIncidentTimeline(func(c string) string { return cur[c] }); p != nil {
		return &mamori.Error{Kind: mamori.Invalid, Message: p.EN, MessageJA: p.JA}
	}
	if len(sets) == 0 {
		return nil
	}
	args = append(args, code)
	if _, err := t.tx.ExecContext(ctx, `UPDATE incidents SET `+strings.Join(sets, ", ")+` WHERE code = $`+strconv.Itoa(len(args)), args...); err != nil {
		return translate(err, "update incidents")
	}
	return nil
}

// IncidentOrg returns the organization of incident code, and false when
// there is no such incident.
func (s *Store) IncidentOrg(ctx context.Context, code string) (string, bool, error) {
	var org string
	found := false
	err := s.each(ctx, `SELECT org_code FROM incidents WHERE code = $1`, []any{code}, func(r []any) { org, found = str(r[0]), true })
	return org, found, err
}

// SystemsOutside returns the systems among codes that are not filed under
// org or an organization below it (or do not exist), in order.
func (s *Store) SystemsOutside(ctx context.Context, org string, codes []string) ([]string, error) {
	if len(codes) == 0 {
		return nil, nil
	}
	parents, err := s.OrgParents(ctx)
	if err != nil {
		return nil, err
	}
	var bad []string
	for _, c := range codes {
		var sysOrg string
		found := false
		if err := s.each(ctx, `SELECT org_code FROM systems WHERE code = $1`, []any{c}, func(r []any) { sysOrg, found = str(r[0]), true }); err != nil {
			return nil, err
		}
		if !found || !filedAbove(parents, org, sysOrg) {
			bad = append(bad, c)
		}
	}
	return bad, nil
}

// IncidentFY are the outcome metrics of one fiscal year (seed 004:
// incidents by class and how they were handled), by the year each
// incident was detected in.
type IncidentFY struct {
	FY      int64
	Total   int
	ByClass map[string]int
	// Open counts those not yet recovered.
	Open int
	// Detect, Report and Recover are the median hours from occurrence to
	// detection, from detection to report and from detection to recovery,
	// over the incidents that record both ends (N of them).
	Detect, Report, Recover Duration
}

// Duration is a median over N incidents, in hours.
type Duration struct {
	N      int
	Median float64
}

// Days is the median in days, for display.
func (d Duration) Days() float64 { return d.Median / 24 }

// IncidentMetrics computes the metrics of incs per fiscal year, oldest
// year first.
func IncidentMetrics(incs []Incident) []IncidentFY {
	by := map[int64]*IncidentFY{}
	spans := map[int64]*[3][]float64{}
	for _, in := range incs {
		fy, ok := mamori.FiscalYearOf(in.DetectedOn)
		if !ok {
			continue
		}
		m := by[fy]
		if m == nil {
			m = &IncidentFY{FY: fy, ByClass: map[string]int{}}
			by[fy], spans[fy] = m, &[3][]float64{}
		}
		m.Total++
		m.ByClass[in.Class]++
		if in.RecoveredOn == "" {
			m.Open++
		}
		sp := spans[fy]
		if h, ok := hoursBetween(in.OccurredOn, in.OccurredTime, in.DetectedOn, in.DetectedTime); ok {
			sp[0] = append(sp[0], h)
		}
		if h, ok := hoursBetween(in.DetectedOn, in.DetectedTime, in.ReportedOn, in.ReportedTime); ok {
			sp[1] = append(sp[1], h)
		}
		if h, ok := hoursBetween(in.DetectedOn, in.DetectedTime, in.RecoveredOn, in.RecoveredTime); ok {
			sp[2] = append(sp[2], h)
		}
	}
	var out []IncidentFY
	for _, fy := range slices.Sorted(maps.Keys(by)) {
		m, sp := by[fy], spans[fy]
		m.Detect, m.Report, m.Recover = median(sp[0]), median(sp[1]), median(sp[2])
		out = append(out, *m)
	}
	return out
}

// hoursBetween is the time from one step to another: to the minute when
// both give a time, else by whole days.
func hoursBetween(d1, t1, d2, t2 string) (float64, bool) {
	if d1 == "" || d2 == "" {
		return 0, false
	}
	if t1 == "" || t2 == "" {
		t1, t2 = "00:00", "00:00"
	}
	a, err1 := time.Parse("2006-01-02 15:04", d1+" "+t1)
	b, err2 := time.Parse("2006-01-02 15:04", d2+" "+t2)
	if err1 != nil || err2 != nil || b.Before(a) {
		return 0, false
	}
	return b.Sub(a).Hours(), true
}

func median(xs []float64) Duration {
	if len(xs) == 0 {
		return Duration{}
	}
	slices.Sort(xs)
	n := len(xs)
	m := xs[n/2]
	if n%2 == 0 {
		m = (xs[n/2-1] + xs[n/2]) / 2
	}
	return Duration{N: n, Median: m}
}
