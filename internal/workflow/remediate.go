package workflow

// Remediation to closure (issue 14, item 2): an item opened for one
// finding (or one vulnerability on a system), due by its severity as the
// catalog's table says, with milestones, aged in buckets, escalated up the
// organization tree when overdue, reopened by mamori when a re-check finds
// the finding failing again, and its people told through package notify.

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/mail"
	"slices"
	"strconv"
	"strings"
	"time"

	"mamori"
	"mamori/internal/auth"
	"mamori/internal/catalog"
	"mamori/internal/notify"
	"mamori/internal/store"
)

// LatestDue returns the latest due date the catalog's table allows for an
// item of severity opened on day today (YYYY-MM-DD).
func LatestDue(severity, today string) (string, error) {
	days, err := catalog.RemediationDue(severity)
	if err != nil {
		return "", mamori.Errorf(mamori.Invalid, "重大度「%s」の是正期限が定められていません", "no remediation period for severity %q", severity)
	}
	t, err := time.Parse(time.DateOnly, today)
	if err != nil {
		return "", err
	}
	return t.AddDate(0, 0, days).Format(time.DateOnly), nil
}

// OpenFinding is what opening an item for a finding takes.
type OpenFinding struct {
	Control, Target string
	// DueOn is the due date: "" for the latest the catalog's table allows
	// for the finding's severity; an earlier date is kept, a later one
	// refused.
	DueOn   string
	Comment string
}

// linkKey identifies what an item is about: a finding (control, target)
// or a vulnerability on a system (vuln, target); "" for an item about
// neither.
func linkKey(it store.WorkflowItem) string {
	d := it.Details
	if d[DetailTarget] == "" {
		return ""
	}
	return d[DetailControl] + "\x00" + d[DetailVuln] + "\x00" + d[DetailTarget]
}

// Linked returns the remediation items about the same finding or
// vulnerability as details, oldest first.
func (s *Service) Linked(ctx context.Context, details map[string]string) ([]store.WorkflowItem, error) {
	items, err := s.Store.WorkflowItems(ctx, store.WorkflowFilter{Kind: Remediation.Kind})
	if err != nil {
		return nil, err
	}
	want := linkKey(store.WorkflowItem{Details: details})
	var out []store.WorkflowItem
	for _, it := range items {
		if want != "" && linkKey(it) == want {
			out = append(out, it)
		}
	}
	return out, nil
}

// OpenForFinding opens a remediation item for the open finding of
// o.Control on o.Target, on behalf of u: filed under the finding's
// organization, of the finding's severity (its control's), due by the
// catalog's table. A finding another user may not see answers as a
// missing one; a finding that already has an item not yet closed is
// refused, naming that item.
func (s *Service) OpenForFinding(ctx context.Context, u store.User, o OpenFinding) (store.WorkflowItem, error) {
	missing := mamori.Errorf(mamori.NotFound, "管理策 %s・対象 %s の所見はありません",
		"no finding of control %s on target %s", mamori.Excerpt(o.Control), mamori.Excerpt(o.Target))
	if o.Control == "" || o.Target == "" || !texts(o.Control, o.Target) {
		return store.WorkflowItem{}, missing
	}
	f, err := s.Store.Finding(ctx, o.Control, o.Target)
	if mamori.KindOf(err) == mamori.NotFound {
		return store.WorkflowItem{}, missing
	} else if err != nil {
		return store.WorkflowItem{}, err
	}
	if ok, err := s.sees(ctx, u, f.OrgCode); err != nil {
		return store.WorkflowItem{}, err
	} else if !ok {
		return store.WorkflowItem{}, missing
	}
	if f.Status != "open" {
		return store.WorkflowItem{}, mamori.Errorf(mamori.Conflict, "管理策 %s・対象 %s の所見は解消済みです（%s）。是正の案件は開けません",
			"the finding of control %s on target %s was resolved on %s: there is nothing to remediate", f.ControlID, f.TargetCode, f.ResolvedOn)
	}
	return s.openLinked(ctx, u, NewItem{Subject: f.ControlID + " " + f.TargetCode, OrgCode: f.OrgCode, Severity: f.Severity,
		DueOn: o.DueOn, Comment: o.Comment, Details: map[string]string{DetailControl: f.ControlID, DetailTarget: f.TargetCode}})
}

// dueBySeverity gives a remediation item n, however it is opened (for a
// finding or a vulnerability, or by hand), the due date of its severity
// by the catalog's table when it has none, and refuses a later one: the
// table is the organization's commitment, and a later date would hide an
// overdue item.
func dueBySeverity(n *NewItem, today string) error {
	latest, err := LatestDue(n.Severity, today)
	if err != nil {
		return err
	}
	if n.DueOn == "" {
		n.DueOn = latest
	} else if _, err := time.Parse(time.DateOnly, n.DueOn); err != nil {
		return nil // not a date: Create says so
	} else if n.DueOn > latest {
		days, _ := catalog.RemediationDue(n.Severity)
		return mamori.Errorf(mamori.Invalid,
			"期限 %s は重大度 %s の是正期限（%d 日、%s まで）より後です。早めることはできますが、延ばすことはできません",
			"due date %s is later than severity %s allows (%d days, until %s): a due date may be earlier, never later",
			mamori.Excerpt(n.DueOn), n.Severity, days, latest)
	}
	return nil
}

// openLinked opens n, an item about one finding or vulnerability, due by
// its severity.
func (s *Service) openLinked(ctx context.Context, u store.User, n NewItem) (store.WorkflowItem, error) {
	if err := dueBySeverity(&n, s.Today()); err != nil {
		return store.WorkflowItem{}, err
	}
	dup := func() error {
		linked, err := s.Linked(ctx, n.Details)
		if err != nil {
			return err
		}
		for _, it := range linked {
			if it.State != Closed {
				return mamori.Errorf(mamori.Conflict, "%s には是正の案件 %d（状態「%s」）が既にあります",
					"%s already has remediation item %d (state %q)", n.Subject, it.ID, it.State)
			}
		}
		return nil
	}
	if err := dup(); err != nil {
		return store.WorkflowItem{}, err
	}
	n.linked = true
	it, err := s.Create(ctx, u, Remediation.Kind, n)
	if mamori.KindOf(err) == mamori.Conflict {
		// Someone opened one in the meantime (the store's unique index).
		if derr := dup(); derr != nil {
			return store.WorkflowItem{}, derr
		}
	}
	return it, err
}

// OpenVuln is what opening an item for a vulnerability on a system takes.
type OpenVuln struct {
	System, Vuln string
	DueOn        string // as OpenFinding's
	Comment      string
}

// VulnSeverity grades a vulnerability for remediation: critical when it
// is known to be exploited (KEV) or scores 9.0 or more, high from 7.0,
// medium from 4.0, low below (CVSS v3 qualitative ratings).
func VulnSeverity(cvss float64, kev bool) string {
	switch {
	case kev || cvss >= 9:
		return CriticalSeverity
	case cvss >= 7:
		return HighSeverity
	case cvss >= 4:
		return "medium"
	}
	return "low"
}

// OpenForVuln opens a remediation item for an open match of vulnerability
// o.Vuln on system o.System: the countermeasure the vulnerability register
// records (patched, mitigated, planned, accepted) becomes this workflow,
// set when the item is resolved.
func (s *Service) OpenForVuln(ctx context.Context, u store.User, o OpenVuln) (store.WorkflowItem, error) {
	missing := mamori.Errorf(mamori.NotFound, "情報システム %s に脆弱性 %s の該当はありません",
		"system %s has no open match of vulnerability %s", mamori.Excerpt(o.System), mamori.Excerpt(o.Vuln))
	if o.System == "" || o.Vuln == "" || !texts(o.System, o.Vuln) {
		return store.WorkflowItem{}, missing
	}
	sys, err := s.Store.Get(ctx, mamori.EntityByName("systems"), o.System)
	if mamori.KindOf(err) == mamori.NotFound {
		return store.WorkflowItem{}, missing
	} else if err != nil {
		return store.WorkflowItem{}, err
	}
	org, _ := sys[mamori.EntityByName("systems").FieldIndex("org_code")].(string)
	if ok, err := s.sees(ctx, u, org); err != nil {
		return store.WorkflowItem{}, err
	} else if !ok {
		return store.WorkflowItem{}, missing
	}
	matches, err := s.Store.OpenMatchesOf(ctx, []string{o.Vuln})
	if err != nil {
		return store.WorkflowItem{}, err
	}
	owners, err := s.Store.OwnerUses(ctx, o.System)
	if err != nil {
		return store.WorkflowItem{}, err
	}
	found := false
	for _, m := range matches {
		for _, ow := range owners {
			found = found || (m.OwnerKind == ow.OwnerKind && m.OwnerCode == ow.OwnerCode)
		}
	}
	if !found {
		return store.WorkflowItem{}, missing
	}
	facts, err := s.Store.Facts(ctx, []string{o.Vuln})
	if err != nil {
		return store.WorkflowItem{}, err
	}
	sev := "medium" // no score known: neither waved through nor made urgent
	if f := facts[o.Vuln]; f != nil {
		sev = VulnSeverity(float64(max(f.CVSS3, f.CVSS4))/10, f.KEVAdded != "")
	}
	return s.openLinked(ctx, u, NewItem{Subject: o.Vuln + " " + o.System, OrgCode: org, Severity: sev, DueOn: o.DueOn,
		Comment: o.Comment, Details: map[string]string{DetailVuln: o.Vuln, DetailTarget: o.System}})
}

// validateRemediation checks a remediation item's details as a whole: an
// item is about a finding or a vulnerability, not both, and names its
// target; a countermeasure is one the vulnerability register knows, and
// only a vulnerability's item records one.
func validateRemediation(it store.WorkflowItem) *mamori.Error {
	d := it.Details
	if d[DetailControl] != "" && d[DetailVuln] != "" {
		return bi(mamori.Invalid, "是正の案件は所見か脆弱性のどちらか一方についてのものです", "a remediation item is about a finding or a vulnerability, not both")
	}
	if (d[DetailControl] != "" || d[DetailVuln] != "") != (d[DetailTarget] != "") {
		return bi(mamori.Invalid, "所見・脆弱性には対象が、対象には所見か脆弱性が必要です", "a finding or vulnerability needs a target, and a target a finding or vulnerability")
	}
	if c := d[DetailCountermeasure]; c != "" {
		if d[DetailVuln] == "" {
			return bi(mamori.Invalid, "対策を記録するのは脆弱性の案件だけです", "only a vulnerability's item records a countermeasure")
		}
		if !slices.Contains(store.CountermeasureKinds, c) {
			return bi(mamori.Invalid, fmt.Sprintf("対策「%s」は %s のいずれかです", mamori.Excerpt(c), strings.Join(store.CountermeasureKinds, "・")),
				fmt.Sprintf("countermeasure %q must be one of %s", mamori.Excerpt(c), strings.Join(store.CountermeasureKinds, ", ")))
		}
	}
	return nil
}

// MaxMilestones bounds an item's milestones; MaxMilestoneTitle a title, in
// characters.
const (
	MaxMilestones     = 50
	MaxMilestoneTitle = 200
)

// planRoles may add and tick an item's milestones, besides its assignee.
var planRoles = []auth.Role{auth.OrgSecurity, auth.CentralAdmin}

// mayPlan decides whether u may change cur's milestones.
func (s *Service) mayPlan(ctx context.Context, u store.User, cur store.WorkflowItem, seen int64) error {
	if ok, err := s.sees(ctx, u, cur.OrgCode); err != nil {
		return err
	} else if !ok {
		return mamori.Errorf(mamori.NotFound, "案件 %d はありません", "no workflow item %d", cur.ID)
	}
	if cur.Version != seen {
		return store.StaleVersionError(cur, seen)
	}
	if cur.Kind != Remediation.Kind {
		return refusal(mamori.Invalid, cur, "milestone", "マイルストーンは是正の案件だけにあります", "only remediation items have milestones")
	}
	if cur.State == Closed {
		return refusal(mamori.Conflict, cur, "milestone", "完了確認済みの案件のマイルストーンは変えられません", "a closed item's milestones are final")
	}
	if u.Name == cur.Assignee {
		return nil
	}
	if ok, err := s.covers(ctx, u, cur.OrgCode, planRoles); err != nil {
		return err
	} else if !ok {
		ja, en := roleNames(planRoles)
		return refusal(mamori.Forbidden, cur, "milestone", fmt.Sprintf("担当者と組織「%s」の %s だけが行えます", cur.OrgCode, ja),
			fmt.Sprintf("only the assignee and %s of organization %s may change milestones", en, cur.OrgCode))
	}
	return nil
}

// AddMilestone adds a milestone (title, due on YYYY-MM-DD) to item id on
// behalf of u, who saw version seen. It is recorded in the history and
// the audit trail; the item's version goes up.
func (s *Service) AddMilestone(ctx context.Context, u store.User, id, seen int64, title, due string) (store.WorkflowItem, error) {
	title = strings.TrimSpace(title)
	due = strings.TrimSpace(due)
	if title == "" {
		return store.WorkflowItem{}, mamori.Errorf(mamori.Invalid, "マイルストーンの内容が空です", "the milestone has no title")
	}
	if strings.IndexFunc(title, func(r rune) bool { return r < ' ' }) >= 0 {
		return store.WorkflowItem{}, mamori.Errorf(mamori.Invalid, "マイルストーンの内容に改行などの制御文字があります", "the milestone title holds a line break or other control character")
	}
	if n := len([]rune(title)); n > MaxMilestoneTitle {
		return store.WorkflowItem{}, mamori.Errorf(mamori.Invalid, "マイルストーンの内容が長すぎます（%d 文字、上限 %d 文字）",
			"the milestone title is too long (%d characters, at most %d)", n, MaxMilestoneTitle)
	}
	if _, err := time.Parse(time.DateOnly, due); err != nil {
		return store.WorkflowItem{}, mamori.Errorf(mamori.Invalid, "マイルストーンの期日「%s」は YYYY-MM-DD の日付ではありません",
			"milestone date %q is not a YYYY-MM-DD date", mamori.Excerpt(due))
	}
	if seen <= 0 {
		return store.WorkflowItem{}, mamori.Errorf(mamori.Invalid, "操作には表示した案件の版が必要です", "an action must name the version of the item it saw")
	}
	now := s.now()
	it, ev, err := s.Store.ChangeWorkflowItem(ctx, id, 0, func(cur store.WorkflowItem, _ store.WorkflowFacts) (store.WorkflowChange, error) {
		if err := s.mayPlan(ctx, u, cur, seen); err != nil {
			return store.WorkflowChange{}, err
		}
		ms, err := s.Store.WorkflowMilestones(ctx, cur.ID)
		if err != nil {
			return store.WorkflowChange{}, err
		}
		if len(ms[cur.ID]) >= MaxMilestones {
			return store.WorkflowChange{}, refusal(mamori.Invalid, cur, "milestone", fmt.Sprintf("マイルストーンは %d 件までです", MaxMilestones),
				fmt.Sprintf("an item has at most %d milestones", MaxMilestones))
		}
		next := cur
		next.UpdatedAt = now
		return store.WorkflowChange{Item: next, Bump: true,
			Milestone: &store.MilestoneChange{Add: &store.WorkflowMilestone{Title: title, DueOn: due, AddedBy: u.Name, AddedAt: now}},
			Event: store.WorkflowEvent{At: now, Actor: u.Name, Event: store.WorkflowComment,
				Comment: fmt.Sprintf("マイルストーン追加「%s」（期日 %s）／ milestone added: %s (by %s)", title, due, title, due)}}, nil
	})
	if err != nil {
		return store.WorkflowItem{}, err
	}
	return it, s.record(ctx, u.Name, it, ev, map[string]any{"milestone": title, "milestone_due_on": due})
}

// TickMilestone marks milestone mid of item id done (or, with done
// false, not done) on behalf of u, who saw version seen.
func (s *Service) TickMilestone(ctx context.Context, u store.User, id, seen, mid int64, done bool) (store.WorkflowItem, error) {
	if seen <= 0 {
		return store.WorkflowItem{}, mamori.Errorf(mamori.Invalid, "操作には表示した案件の版が必要です", "an action must name the version of the item it saw")
	}
	now := s.now()
	var title string
	it, ev, err := s.Store.ChangeWorkflowItem(ctx, id, 0, func(cur store.WorkflowItem, _ store.WorkflowFacts) (store.WorkflowChange, error) {
		if err := s.mayPlan(ctx, u, cur, seen); err != nil {
			return store.WorkflowChange{}, err
		}
		ms, err := s.Store.WorkflowMilestones(ctx, cur.ID)
		if err != nil {
			return store.WorkflowChange{}, err
		}
		i := slices.IndexFunc(ms[cur.ID], func(m store.WorkflowMilestone) bool { return m.ID == mid })
		if i < 0 {
			return store.WorkflowChange{}, mamori.Errorf(mamori.NotFound, "案件 %d にマイルストーン %d はありません", "workflow item %d has no milestone %d", cur.ID, mid)
		}
		m := ms[cur.ID][i]
		title = m.Title
		if (m.DoneOn != "") == done {
			ja, en := "既に完了しています", "it is done already"
			if !done {
				ja, en = "まだ完了していません", "it is not done"
			}
			return store.WorkflowChange{}, refusal(mamori.Conflict, cur, "milestone", fmt.Sprintf("マイルストーン「%s」は%s", m.Title, ja),
				fmt.Sprintf("milestone %q: %s", m.Title, en))
		}
		ch := &store.MilestoneChange{Done: mid}
		comment := fmt.Sprintf("マイルストーン未完了に戻す「%s」／ milestone not done: %s", m.Title, m.Title)
		if done {
			ch.DoneOn, ch.DoneBy = s.Today(), u.Name
			comment = fmt.Sprintf("マイルストーン完了「%s」／ milestone done: %s", m.Title, m.Title)
		}
		next := cur
		next.UpdatedAt = now
		return store.WorkflowChange{Item: next, Bump: true, Milestone: ch,
			Event: store.WorkflowEvent{At: now, Actor: u.Name, Event: store.WorkflowComment, Comment: comment}}, nil
	})
	if err != nil {
		return store.WorkflowItem{}, err
	}
	return it, s.record(ctx, u.Name, it, ev, map[string]any{"milestone": title, "milestone_done": done})
}

// The ageing buckets of unsettled items, by days since they were opened.
var AgeBuckets = []struct {
	Name     string
	From, To int // To -1: no upper bound
}{{"0-30", 0, 30}, {"31-90", 31, 90}, {"91-180", 91, 180}, {">180", 181, -1}}

// AgeDays is how many days it has been open on day today (YYYY-MM-DD), by
// the calendar in Japan.
func AgeDays(it store.WorkflowItem, today string) int {
	t, err := time.Parse(time.DateOnly, today)
	if err != nil {
		return 0
	}
	opened, _ := time.Parse(time.DateOnly, jstDate(it.CreatedAt))
	return max(0, int(t.Sub(opened).Hours()/24))
}

// AgeBucket names the bucket of an item open for days.
func AgeBucket(days int) string {
	for _, b := range AgeBuckets {
		if days >= b.From && (b.To < 0 || days <= b.To) {
			return b.Name
		}
	}
	return AgeBuckets[0].Name
}

// AgeingRow counts the unsettled items of one severity ("" for the total)
// by ageing bucket, with how many of them are overdue.
type AgeingRow struct {
	Severity string
	Buckets  []int // by AgeBuckets
	Overdue  int
	Total    int
}

// Ageing summarizes the unsettled items of d among items on day today: one
// row per severity of d (most severe first) that has any, then the total.
func (d *Definition) Ageing(items []store.WorkflowItem, today string) []AgeingRow {
	rows := map[string]*AgeingRow{}
	total := &AgeingRow{Buckets: make([]int, len(AgeBuckets))}
	for _, it := range items {
		if it.Kind != d.Kind || slices.Contains(d.Settled, it.State) {
			continue
		}
		r := rows[it.Severity]
		if r == nil {
			r = &AgeingRow{Severity: it.Severity, Buckets: make([]int, len(AgeBuckets))}
			rows[it.Severity] = r
		}
		b := slices.IndexFunc(AgeBuckets, func(b struct {
			Name     string
			From, To int
		}) bool {
			return b.Name == AgeBucket(AgeDays(it, today))
		})
		for _, x := range []*AgeingRow{r, total} {
			x.Buckets[b]++
			x.Total++
			if d.Overdue(it, today) {
				x.Overdue++
			}
		}
	}
	var out []AgeingRow
	sevs := slices.Clone(d.Severities)
	slices.Reverse(sevs)
	for _, sev := range append(sevs, "") {
		if r := rows[sev]; r != nil {
			out = append(out, *r)
		}
	}
	return append(out, *total)
}

// systemChange applies a change mamori makes by itself to item id: change
// returns the item as it is to be (or errSkip when there is nothing to do
// any more) and the comment the history records under SystemActor.
func (s *Service) systemChange(ctx context.Context, id int64, bump bool,
	change func(cur store.WorkflowItem) (store.WorkflowItem, string, error)) (store.WorkflowItem, store.WorkflowEvent, error) {
	now := s.now()
	return s.Store.ChangeWorkflowItem(ctx, id, 0, func(cur store.WorkflowItem, _ store.WorkflowFacts) (store.WorkflowChange, error) {
		next, comment, err := change(cur)
		if err != nil {
			return store.WorkflowChange{}, err
		}
		next.UpdatedAt = now
		return store.WorkflowChange{Item: next, Bump: bump, Event: store.WorkflowEvent{At: now, Actor: SystemActor,
			Event: store.WorkflowComment, Comment: comment}}, nil
	})
}

// errSkip tells systemChange's caller that the item no longer needs the
// change.
var errSkip = errors.New("nothing to do")

// EscalateEvery is how many days overdue an item stays at one level of
// escalation before it goes one organization further up.
const EscalateEvery = 14

// Escalation is one item escalated.
type Escalation struct {
	Item  store.WorkflowItem
	Level int
	To    string // the organization escalated to
}

// escalationChain is the organizations an overdue item of org goes to, in
// order: its parent, the parent's parent, … up to the top. A top-level
// organization's items go to the organization itself.
func escalationChain(parents map[string]string, org string) []string {
	var chain []string
	seen := map[string]bool{org: true}
	for p := parents[org]; p != "" && !seen[p]; p = parents[p] {
		seen[p] = true
		chain = append(chain, p)
	}
	if len(chain) == 0 {
		chain = []string{org}
	}
	return chain
}

// daysBetween counts the days from a to b (both YYYY-MM-DD).
func daysBetween(a, b string) int {
	ta, err1 := time.Parse(time.DateOnly, a)
	tb, err2 := time.Parse(time.DateOnly, b)
	if err1 != nil || err2 != nil {
		return 0
	}
	return int(tb.Sub(ta).Hours() / 24)
}

// Escalate escalates the overdue remediation items up the organization
// tree: an item overdue goes to its organization's parent (level 1), and
// after every further EscalateEvery days to the next organization up. The
// level is recorded in the item's details, its history (as mamori) and
// the audit trail, and the org_security of the organization escalated to
// is told. It is idempotent: an item already at the level its lateness
// calls for, or escalated today, is left alone.
func (s *Service) Escalate(ctx context.Context) ([]Escalation, error) {
	parents, err := s.Store.OrgParents(ctx)
	if err != nil {
		return nil, err
	}
	items, err := s.Store.WorkflowItems(ctx, store.WorkflowFilter{Kind: Remediation.Kind})
	if err != nil {
		return nil, err
	}
	today := s.Today()
	want := func(it store.WorkflowItem) (int, string, bool) {
		if !Remediation.Overdue(it, today) || it.Details[DetailEscalatedOn] == today {
			return 0, "", false
		}
		chain := escalationChain(parents, it.OrgCode)
		level := min(len(chain), 1+(daysBetween(it.DueOn, today)-1)/EscalateEvery)
		cur, _ := strconv.Atoi(it.Details[DetailEscalation])
		if level <= cur {
			return 0, "", false
		}
		return level, chain[level-1], true
	}
	var out []Escalation
	for _, it := range items {
		if _, _, ok := want(it); !ok {
			continue
		}
		var level int
		var to string
		next, ev, err := s.systemChange(ctx, it.ID, true, func(cur store.WorkflowItem) (store.WorkflowItem, string, error) {
			var ok bool
			if level, to, ok = want(cur); !ok {
				return cur, "", errSkip
			}
			next := cur
			next.Details = map[string]string{}
			for k, v := range cur.Details {
				next.Details[k] = v
			}
			next.Details[DetailEscalation] = strconv.Itoa(level)
			next.Details[DetailEscalatedTo] = to
			next.Details[DetailEscalatedOn] = today
			return next, fmt.Sprintf("期限（%s）超過のため組織「%s」へエスカレーション（段階 %d）／ overdue since %s: escalated to organization %s (level %d)",
				cur.DueOn, to, level, cur.DueOn, to, level), nil
		})
		if errors.Is(err, errSkip) {
			continue
		}
		if err != nil {
			return out, err
		}
		if err := s.record(ctx, SystemActor, next, ev, map[string]any{"escalation_level": level, "escalated_to": to}); err != nil {
			return out, err
		}
		out = append(out, Escalation{Item: next, Level: level, To: to})
		people, err := s.holders(ctx, auth.OrgSecurity, to)
		if err != nil {
			return out, err
		}
		var events []notify.Event
		for _, p := range people {
			events = append(events, s.event(notify.Escalation, next, p))
		}
		s.Notifier.Notify(ctx, events...)
	}
	return out, nil
}

// holders returns the enabled users granted role on exactly org.
func (s *Service) holders(ctx context.Context, role auth.Role, org string) ([]store.User, error) {
	users, err := s.Store.Users(ctx)
	if err != nil {
		return nil, err
	}
	var out []store.User
	for _, u := range users {
		if !u.Disabled && slices.ContainsFunc(u.Grants, func(g store.RoleGrant) bool { return g.Role == string(role) && g.OrgCode == org }) {
			out = append(out, u)
		}
	}
	return out, nil
}

// EmailOf is where a user's notifications are mailed: the account name
// when it is an e-mail address (as single sign-on names usually are), else
// none (the webhooks still hear of the event).
func EmailOf(u store.User) string {
	a, err := mail.ParseAddress(u.Name)
	if err != nil || a.Name != "" || a.Address != u.Name {
		return ""
	}
	return u.Name
}

// event is the notification of kind about it for person p.
func (s *Service) event(kind notify.Kind, it store.WorkflowItem, p store.User) notify.Event {
	e := notify.Event{Kind: kind, ItemID: strconv.FormatInt(it.ID, 10), ItemKind: it.Kind, Subject: mamori.Excerpt(it.Subject),
		Org: it.OrgCode, RecipientUser: p.Name, RecipientEmail: EmailOf(p), At: s.now()}
	if s.BaseURL != "" {
		e.URL = strings.TrimSuffix(s.BaseURL, "/") + "/workflows/" + e.ItemID
	}
	if due, err := time.ParseInLocation(time.DateOnly, it.DueOn, japanTime); err == nil {
		e.Due = due
	}
	return e
}

// afterAct is what follows a user's transition: the new assignee is told,
// and a vulnerability's item resolved with a countermeasure records it in
// the vulnerability register.
func (s *Service) afterAct(ctx context.Context, u store.User, it store.WorkflowItem, ev store.WorkflowEvent, assignee store.User) error {
	if assignee.Name != "" {
		s.Notifier.Notify(ctx, s.event(notify.Assignment, it, assignee))
	}
	// A countermeasure goes into the vulnerability register when the
	// assignee resolves the item, except a risk acceptance: that is the
	// assignee's proposal until someone else closes the item, who is
	// then its approver (closeCheck keeps the assignee from closing it).
	cm := it.Details[DetailCountermeasure]
	record := ev.Transition == "resolve" && cm != "accepted" || ev.Transition == "close" && cm == "accepted"
	if record && it.Details[DetailVuln] != "" && cm != "" {
		c := store.Countermeasure{SystemCode: it.Details[DetailTarget], VulnID: it.Details[DetailVuln], Kind: it.Details[DetailCountermeasure],
			Note: fmt.Sprintf("是正の案件 %d ／ remediation item %d", it.ID, it.ID), RecordedOn: s.Today()}
		switch c.Kind {
		case "planned":
			c.DueOn = it.DueOn
		case "accepted":
			c.Approver = u.Name
		}
		if err := s.Store.PutCountermeasure(ctx, c); err != nil {
			return err
		}
	}
	return nil
}

// DueSoonDays are the days before its due date an item's assignee is
// reminded of it: once per threshold, on the first daily run within it
// (a day the job did not run is caught up on the next), never twice.
var DueSoonDays = []int{7, 1}

// dueSoonThreshold is the tightest of DueSoonDays an item due in left
// days is within; false when none (or when it is overdue: escalation
// takes over).
func dueSoonThreshold(left int) (int, bool) {
	best, ok := 0, false
	for _, d := range DueSoonDays {
		if left >= 0 && left <= d && (!ok || d < best) {
			best, ok = d, true
		}
	}
	return best, ok
}

// reminderNote is the history's record that it was reminded of for the
// threshold of days before its due date; its English half is how remind
// knows a reminder was sent (a due date moved since asks anew).
func reminderNote(days int, due string) (ja, en string) {
	return fmt.Sprintf("期限 %s の %d 日前の通知を担当者へ送信", due, days),
		fmt.Sprintf("due-soon reminder sent to the assignee: %d day(s) before %s", days, due)
}

// remind records in it's history, as mamori, that its assignee is
// reminded for the threshold of days, unless that was recorded before (or
// a tighter threshold's): then it answers false and nothing is sent. The
// record is written before the reminder is queued, so a reminder is never
// sent twice.
func (s *Service) remind(ctx context.Context, it store.WorkflowItem, days int) (bool, error) {
	hist, err := s.Store.WorkflowEvents(ctx, it.ID)
	if err != nil {
		return false, err
	}
	for _, ev := range hist {
		for _, d := range DueSoonDays {
			if _, en := reminderNote(d, it.DueOn); d <= days && ev.Actor == SystemActor && strings.HasSuffix(ev.Comment, en) {
				return false, nil
			}
		}
	}
	ja, en := reminderNote(days, it.DueOn)
	next, ev, err := s.systemChange(ctx, it.ID, false, func(cur store.WorkflowItem) (store.WorkflowItem, string, error) {
		return cur, ja + "／ " + en, nil
	})
	if err != nil {
		return false, err
	}
	return true, s.record(ctx, SystemActor, next, ev, map[string]any{"due_soon_days": days, "due_on": it.DueOn})
}

// DailyJob names the remediation's daily run in the store.
const DailyJob = "remediation"

// DailyReport is what Daily did.
type DailyReport struct {
	Escalated []Escalation
	// Ran: the day's reminders and digests were made by this call (false
	// when an earlier call made them today).
	Ran      bool
	DueSoon  int // reminders queued for
	Digests  int // digests queued
	Reopened int
}

// Daily does the remediation's daily work: it escalates the overdue items
// (idempotent), and, once a day however often it is called, reminds
// assignees of the items due within DueSoonDays days (once per threshold,
// see remind) and sends each person
// the digest of their unsettled items (their own, and those escalated to
// their organization today). Nothing is queued where notifications are
// not configured; the escalations still happen.
func (s *Service) Daily(ctx context.Context) (DailyReport, error) {
	var r DailyReport
	var err error
	if r.Escalated, err = s.Escalate(ctx); err != nil {
		return r, err
	}
	today := s.Today()
	if r.Ran, err = s.Store.ClaimDailyRun(ctx, DailyJob, today, s.now()); err != nil || !r.Ran {
		return r, err
	}
	items, err := s.Store.WorkflowItems(ctx, store.WorkflowFilter{Kind: Remediation.Kind})
	if err != nil {
		return r, err
	}
	users := map[string]store.User{}
	all, err := s.Store.Users(ctx)
	if err != nil {
		return r, err
	}
	for _, u := range all {
		if !u.Disabled {
			users[u.Name] = u
		}
	}
	// An assignee who no longer sees the item (moved to another ministry
	// since) is told nothing more of it; each one's subtrees read once.
	seen := map[string]map[string]bool{}
	sees := func(p store.User, org string) (bool, error) {
		sub, ok := seen[p.Name]
		if !ok {
			var roots []string
			for _, g := range p.Grants {
				roots = append(roots, g.OrgCode)
			}
			if len(roots) > 0 {
				var err error
				if sub, _, err = s.Store.Subtrees(ctx, roots...); err != nil {
					return false, err
				}
			}
			seen[p.Name] = sub
		}
		return sub[org], nil
	}
	var digest, soon []notify.Event
	for _, it := range items {
		p, ok := users[it.Assignee]
		if !ok || slices.Contains(Remediation.Settled, it.State) {
			continue
		}
		if ok, err := sees(p, it.OrgCode); err != nil {
			return r, err
		} else if !ok {
			continue
		}
		kind := notify.Assignment
		switch left := daysBetween(today, it.DueOn); {
		case it.DueOn == "":
		case left < 0:
			kind = notify.Escalation
		case left <= slices.Max(DueSoonDays):
			kind = notify.DueSoon
			if days, ok := dueSoonThreshold(left); ok && s.Notifier.Enabled() {
				sent, err := s.remind(ctx, it, days)
				if err != nil {
					return r, err
				}
				if sent {
					soon = append(soon, s.event(notify.DueSoon, it, p))
				}
			}
		}
		digest = append(digest, s.event(kind, it, p))
	}
	for _, e := range r.Escalated {
		people, err := s.holders(ctx, auth.OrgSecurity, e.To)
		if err != nil {
			return r, err
		}
		for _, p := range people {
			digest = append(digest, s.event(notify.Escalation, e.Item, p))
		}
	}
	r.DueSoon = len(soon)
	s.Notifier.Notify(ctx, soon...)
	if r.Digests, err = s.Notifier.EnqueueDigests(ctx, notify.Digests(digest, s.now(), japanTime)); err != nil {
		return r, err
	}
	return r, nil
}

// RecheckReport is what a re-check did to the remediation items.
type RecheckReport struct {
	Reopened []int64 // items reopened: their finding fails again
	Passed   []int64 // items noted: their finding passes now
}

// Recheck follows assessment a (just stored) into the remediation items:
// an item whose finding a judged still failing (or still without evidence:
// absence of evidence is not compliance), and that was resolved or closed
// before a started, is reopened by mamori (transition recheck_failed); an
// item whose finding a resolved has it noted in its history. Only the
// newest item of each finding is considered, and only findings a judged.
func (s *Service) Recheck(ctx context.Context, a store.Assessment) (RecheckReport, error) {
	var r RecheckReport
	items, err := s.Store.WorkflowItems(ctx, store.WorkflowFilter{Kind: Remediation.Kind})
	if err != nil {
		return r, err
	}
	newest := map[string]store.WorkflowItem{}
	for _, it := range items {
		if it.Details[DetailControl] == "" {
			continue
		}
		k := linkKey(it)
		if cur, ok := newest[k]; !ok || it.ID > cur.ID {
			newest[k] = it
		}
	}
	ordered := make([]store.WorkflowItem, 0, len(newest))
	for _, it := range newest {
		ordered = append(ordered, it)
	}
	slices.SortFunc(ordered, func(x, y store.WorkflowItem) int { return cmp.Compare(x.ID, y.ID) })
	for _, it := range ordered {
		f, err := s.Store.Finding(ctx, it.Details[DetailControl], it.Details[DetailTarget])
		if mamori.KindOf(err) == mamori.NotFound {
			continue
		} else if err != nil {
			return r, err
		}
		if f.AssessmentID != a.ID {
			continue
		}
		failing := f.Status == "open" && (f.Result == store.ResultFail || f.Result == store.ResultUnknown || f.Result == "")
		switch {
		case failing && (it.State == Resolved || it.State == Closed) && it.UpdatedAt.Before(a.StartedAt):
			what := "再び不適合"
			if f.Result == store.ResultUnknown {
				what = "証跡がなく未確認"
			}
			if _, err := s.System(ctx, it.ID, RecheckFailed, fmt.Sprintf("再点検（評価 %s）で%s／ the re-check (assessment %s) found it %s",
				a.ID, what, a.ID, map[bool]string{true: "unknown: its evidence is missing", false: "failing again"}[f.Result == store.ResultUnknown])); err != nil {
				return r, err
			}
			r.Reopened = append(r.Reopened, it.ID)
		case f.Status == "resolved" && it.State != Closed:
			next, ev, err := s.systemChange(ctx, it.ID, false, func(cur store.WorkflowItem) (store.WorkflowItem, string, error) {
				return cur, fmt.Sprintf("再点検（評価 %s、%s）で適合／ the re-check (assessment %s, %s) found it passing", a.ID, f.ResolvedOn, a.ID, f.ResolvedOn), nil
			})
			if err != nil {
				return r, err
			}
			if err := s.record(ctx, SystemActor, next, ev, map[string]any{"recheck": "passed", "assessment": a.ID}); err != nil {
				return r, err
			}
			r.Passed = append(r.Passed, it.ID)
		}
	}
	return r, nil
}

// MayPlan returns nil when u may add and tick milestones of it now, else
// the refusal AddMilestone and TickMilestone give.
func (s *Service) MayPlan(ctx context.Context, u store.User, it store.WorkflowItem) error {
	return s.mayPlan(ctx, u, it, it.Version)
}

// LinkedItems maps every remediation item about a finding or a
// vulnerability by what it is about ("control\x00\x00target" or
// "\x00vuln\x00target"), the newest of each.
func (s *Service) LinkedItems(ctx context.Context) (map[string]store.WorkflowItem, error) {
	items, err := s.Store.WorkflowItems(ctx, store.WorkflowFilter{Kind: Remediation.Kind})
	if err != nil {
		return nil, err
	}
	out := map[string]store.WorkflowItem{}
	for _, it := range items {
		if k := linkKey(it); k != "" {
			out[k] = it // by id: the newest last
		}
	}
	return out, nil
}

// FindingKey and VulnKey are LinkedItems' keys.
func FindingKey(control, target string) string { return control + "\x00\x00" + target }

// VulnKey is LinkedItems' key of a vulnerability on a system.
func VulnKey(vuln, system string) string { return "\x00" + vuln + "\x00" + system }

// systemDetails are the remediation details only mamori sets: what an
// item is about (set by OpenForFinding and OpenForVuln, which take the
// severity and the due date from the finding) and its escalation.
var systemDetails = []string{DetailControl, DetailVuln, DetailTarget, DetailEscalation, DetailEscalatedTo, DetailEscalatedOn}

// guardLinked refuses a remediation item created with a detail only
// mamori sets, except by OpenForFinding and OpenForVuln.
func guardLinked(d *Definition, n NewItem) *mamori.Error {
	if d.Kind != Remediation.Kind || n.linked {
		return nil
	}
	for _, name := range systemDetails {
		if n.Details[name] != "" {
			det, _ := d.Detail(name)
			return bi(mamori.Invalid, fmt.Sprintf("項目「%s」は所見・脆弱性から起票するときに mamori が設定します（所見一覧、workflow open）", det.JA),
				fmt.Sprintf("field %q is set by mamori when an item is opened for a finding or a vulnerability (the findings page, workflow open)", det.EN))
		}
	}
	return nil
}
