// Package api serves mamori's REST API under /api/v1: the register,
// findings, vulnerabilities and workflow items as JSON, and the workflow
// actions (a token with the write scope), described by the OpenAPI 3.1
// document embedded beside it (served at /api/v1/openapi.yaml). Callers
// authenticate with an API token (Authorization: Bearer mmr_…) and see only
// the organizations under their role grants; anything outside answers 404,
// exactly like a code that does not exist.
package api

import (
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"mamori"
	"mamori/internal/audit"
	"mamori/internal/auth"
	"mamori/internal/authz"
	"mamori/internal/forum"
	"mamori/internal/match"
	"mamori/internal/store"
	"mamori/internal/workflow"
)

//go:embed openapi.yaml
var openAPI []byte

// OpenAPI returns the API's OpenAPI 3.1 document.
func OpenAPI() []byte { return openAPI }

type server struct {
	st  *store.Store
	log *slog.Logger
	now func() time.Time
	wf  *workflow.Service // the workflows the workflow routes serve
	// forum is the support forum the forum routes serve.
	forum *forum.Service
}

// Option configures the API handler.
type Option func(*server)

// WithWorkflows serves the workflows of wf (its clock, its attachment
// limit) instead of a service of every workflow.All() on the store.
func WithWorkflows(wf *workflow.Service) Option {
	return func(s *server) { s.wf = wf }
}

// New returns the API handler; mount it at /api/v1/.
func New(st *store.Store, logger *slog.Logger, opts ...Option) http.Handler {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	s := &server{st: st, log: logger, now: time.Now}
	for _, o := range opts {
		o(s)
	}
	if s.wf == nil {
		wf, err := workflow.New(st, workflow.All()...)
		if err != nil {
			panic(fmt.Sprintf("api: workflows: %v", err))
		}
		s.wf = wf
	}
	s.forum = forum.New(st)
	s.forum.Notifier, s.forum.BaseURL = s.wf.Notifier, s.wf.BaseURL
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/v1/openapi.yaml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/yaml")
		w.Write(openAPI)
	})
	mux.Handle("GET /api/v1/systems", s.authed(s.systems))
	mux.Handle("GET /api/v1/systems/{code}", s.authed(s.system))
	mux.Handle("GET /api/v1/findings", s.authed(s.findings))
	mux.Handle("GET /api/v1/vulnerabilities", s.authed(s.vulnerabilities))
	mux.Handle("GET /api/v1/checks", s.authed(s.checks))
	mux.Handle("GET /api/v1/report", s.authed(s.auditReport))
	s.workflowRoutes(mux)
	s.inspectionRoutes(mux)
	s.projectRoutes(mux)
	s.incidentRoutes(mux)
	s.trainingRoutes(mux)
	s.forumRoutes(mux)
	s.registerRoutes(mux)
	s.cloudListRoutes(mux)
	mux.HandleFunc("/api/v1/", func(w http.ResponseWriter, r *http.Request) {
		s.fail(w, r, mamori.Errorf(mamori.NotFound, "そのAPIはありません", "no such API route"))
	})
	return mux
}

type caller struct {
	user  store.User
	scope authz.Scope
}

type handler func(w http.ResponseWriter, r *http.Request, c *caller) (any, error)

// authed checks the bearer token (read scope), resolves the caller's
// organization scope and writes the handler's result as JSON.
func (s *server) authed(h handler) http.Handler { return s.scoped(auth.ScopeRead, h) }

// writes is authed for a route that changes something: the token needs
// the write scope.
func (s *server) writes(h handler) http.Handler { return s.scoped(auth.ScopeWrite, h) }

// bearer checks the request's bearer token for scope need and its
// parameters; on any refusal it answers (401 without a usable token, 403
// without the scope, 400 for a parameter checkParams refuses) and returns
// false. It returns the token's user and its secret.
func (s *server) bearer(w http.ResponseWriter, r *http.Request, need string) (store.User, string, bool) {
	secret, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || secret == "" {
		w.Header().Set("WWW-Authenticate", `Bearer realm="mamori"`)
		s.fail(w, r, mamori.Errorf(mamori.Unauthenticated, "APIトークンが必要です", "an API token is required"))
		return store.User{}, "", false
	}
	secret = strings.TrimSpace(secret)
	u, scopes, err := auth.CheckToken(r.Context(), s.st, secret, s.now())
	if err != nil {
		w.Header().Set("WWW-Authenticate", `Bearer realm="mamori", error="invalid_token"`)
		s.fail(w, r, err)
		return store.User{}, "", false
	}
	if !auth.HasScope(scopes, auth.ScopeRead) {
		s.fail(w, r, mamori.Errorf(mamori.Forbidden, "このトークンには読み取りの権限がありません", "the token lacks the read scope"))
		return store.User{}, "", false
	}
	if need == auth.ScopeWrite && !auth.HasScope(scopes, auth.ScopeWrite) {
		s.fail(w, r, mamori.Errorf(mamori.Forbidden, "このトークンには書き込みの権限がありません", "the token lacks the write scope"))
		return store.User{}, "", false
	}
	if err := checkParams(r); err != nil {
		s.fail(w, r, err)
		return store.User{}, "", false
	}
	return u, secret, true
}

func (s *server) scoped(need string, h handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u, secret, ok := s.bearer(w, r, need)
		if !ok {
			return
		}
		sc, err := authz.Of(r.Context(), s.st, u)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		out, err := h(w, r, &caller{user: u, scope: sc})
		if err != nil {
			s.fail(w, r, err)
			return
		}
		// Data leaving through the API: one entry per request (not per
		// row), before the answer goes out, filed under what the caller
		// sees. checkParams has bounded the query and the path's code.
		if _, err := audit.RecordAll(r.Context(), s.st, u.Name, audit.APIRead, []audit.Event{{Target: r.Pattern,
			Orgs: audit.FiledOrgs(sc.Whole(), u, sc.Allows), Detail: map[string]string{
				"token": auth.TokenID(secret), "path": r.URL.Path, "query": r.URL.RawQuery}}}); err != nil {
			s.fail(w, r, err)
			return
		}
		w.Header().Set("Cache-Control", "no-store")
		status := http.StatusOK
		switch o := out.(type) {
		case download:
			h := w.Header()
			h.Set("Content-Type", o.mediaType)
			h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": o.name}))
			h.Set("X-Content-Type-Options", "nosniff")
			h.Set("Content-Length", strconv.Itoa(len(o.content)))
			w.Write(o.content)
			return
		case created:
			w.Header().Set("Location", o.location)
			status, out = http.StatusCreated, o.body
		}
		writeJSON(w, status, out)
	})
}

// writeJSON writes v as an indented JSON answer with status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.Encode(v)
}

// maxParamLen bounds every query parameter and path value, in characters:
// codes, identifiers and searches are far shorter, and an unbounded search
// reached the database (a 50,001-character one failed there with a 500).
const maxParamLen = 200

// checkParams refuses a request whose parameters are not bounded, valid
// UTF-8 text. The refusal names the parameter, never its value.
func checkParams(r *http.Request) error {
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return mamori.Errorf(mamori.Invalid, "クエリ文字列を読めません", "the query string cannot be read")
	}
	if len(q) > 20 {
		return mamori.Errorf(mamori.Invalid, "パラメータが多すぎます(20個まで)", "too many parameters (20 at most)")
	}
	for name, vals := range q {
		if len(vals) > 1 {
			return mamori.Errorf(mamori.Invalid, "パラメータ「%s」が複数あります", "parameter %s is given more than once", clip(name))
		}
		for _, v := range vals {
			if !utf8.ValidString(v) {
				return mamori.Errorf(mamori.Invalid, "パラメータ「%s」に不正な文字が含まれています", "parameter %s is not valid UTF-8", clip(name))
			}
			if strings.ContainsFunc(v, unicode.IsControl) {
				// PostgreSQL fails on a NUL where SQLite matches nothing.
				return mamori.Errorf(mamori.Invalid, "パラメータ「%s」に制御文字が含まれています", "parameter %s holds a control character", clip(name))
			}
			if utf8.RuneCountInString(v) > maxParamLen {
				return mamori.Errorf(mamori.Invalid, "パラメータ「%s」が長すぎます(%d文字まで)", "parameter %s is longer than %d characters", clip(name), maxParamLen)
			}
		}
	}
	if code := r.PathValue("code"); utf8.RuneCountInString(code) > maxParamLen || !utf8.ValidString(code) {
		return mamori.Errorf(mamori.Invalid, "コードが長すぎるか不正です(%d文字まで)", "the code is too long or not valid UTF-8 (%d characters at most)", maxParamLen)
	} else if strings.ContainsFunc(code, unicode.IsControl) {
		return mamori.Errorf(mamori.Invalid, "コードに制御文字が含まれています", "the code holds a control character")
	}
	return nil
}

// clip shortens a name quoted in an error to a short, valid prefix.
func clip(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "?")
	}
	if r := []rune(s); len(r) > 40 {
		return string(r[:40]) + "…"
	}
	return s
}

// errorBody is every error response.
type errorBody struct {
	Error struct {
		Code      string `json:"code"`
		Message   string `json:"message"`
		MessageJA string `json:"message_ja"`
		// Version is a workflow item's current version, with a conflict
		// over it (a stale version): reload and try again.
		Version int64 `json:"version,omitempty"`
	} `json:"error"`
}

// fail writes an error: the kind decides the status; internal detail goes
// to the log only.
func (s *server) fail(w http.ResponseWriter, r *http.Request, err error) {
	var body errorBody
	status := http.StatusInternalServerError
	kind := mamori.KindOf(err)
	switch kind {
	case mamori.Invalid:
		status = http.StatusBadRequest
	case mamori.NotFound:
		status = http.StatusNotFound
	case mamori.Unauthenticated:
		status = http.StatusUnauthorized
	case mamori.Forbidden:
		status = http.StatusForbidden
	case mamori.Conflict:
		status = http.StatusConflict
	}
	if a, ok := errors.AsType[*answered](err); ok {
		if a.status != 0 {
			status = a.status
		}
		body.Error.Version = a.version
	}
	body.Error.Code = strings.ReplaceAll(kind.String(), " ", "_")
	var me *mamori.Error
	if kind != mamori.Internal && errors.As(err, &me) {
		body.Error.Message, body.Error.MessageJA = me.Message, me.MessageJA
	} else {
		s.log.LogAttrs(r.Context(), slog.LevelError, "api request failed", slog.String("path", r.URL.Path), slog.Any("error", err))
		body.Error.Code, body.Error.Message, body.Error.MessageJA = "internal", "internal error", "内部エラーが発生しました"
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(body)
}

// pageSize bounds a list response.
const pageSize = 100

func page(r *http.Request) (int, error) {
	v := r.URL.Query().Get("page")
	if v == "" {
		return 1, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > 1_000_000 {
		return 0, mamori.Errorf(mamori.Invalid, "パラメータ「page」は1以上の整数です", "parameter page must be a positive integer")
	}
	return n, nil
}

// System is a register entry as the API lists it.
type System struct {
	Code           string `json:"code"`
	Name           string `json:"name"`
	OrgCode        string `json:"org_code"`
	SystemID       string `json:"system_id,omitempty"`
	Class          string `json:"class"`
	Status         string `json:"status"`
	NetworkSegment string `json:"network_segment,omitempty"`
	InRegister     bool   `json:"in_register"`
}

var systemsEntity = mamori.EntityByName("systems")

func systemOf(rec mamori.Record) System {
	e := systemsEntity
	s := func(col string) string { v, _ := rec[e.FieldIndex(col)].(string); return v }
	in, _ := rec[e.FieldIndex("in_register")].(bool)
	return System{Code: s("code"), Name: s("name"), OrgCode: s("org_code"), SystemID: s("system_id"), Class: s("class"),
		Status: s("status"), NetworkSegment: s("network_segment"), InRegister: in}
}

// SystemList is one page of systems.
type SystemList struct {
	Total   int      `json:"total"`
	Page    int      `json:"page"`
	Systems []System `json:"systems"`
}

func (s *server) systems(w http.ResponseWriter, r *http.Request, c *caller) (any, error) {
	p, err := page(r)
	if err != nil {
		return nil, err
	}
	f := store.Filter{Search: strings.TrimSpace(r.URL.Query().Get("q")), Limit: pageSize, Offset: (p - 1) * pageSize,
		In: map[string][]string{"org_code": c.scope.Orgs()}}
	if org := r.URL.Query().Get("org"); org != "" {
		f.Where = map[string]string{"org_code": org}
	}
	recs, total, err := s.st.Find(r.Context(), systemsEntity, f)
	if err != nil {
		return nil, err
	}
	out := SystemList{Total: total, Page: p, Systems: []System{}}
	for _, rec := range recs {
		out.Systems = append(out.Systems, systemOf(rec))
	}
	return out, nil
}

// SystemDetail is one system with its open findings and vulnerabilities.
type SystemDetail struct {
	System
	Findings        []Finding        `json:"findings"`
	Vulnerabilities []match.Exposure `json:"vulnerabilities"`
}

// Finding is a finding as the API shows it.
type Finding struct {
	Control    string `json:"control"`
	TargetType string `json:"target_type"`
	Target     string `json:"target"`
	OrgCode    string `json:"org_code"`
	Status     string `json:"status"`
	Severity   string `json:"severity"`
	FirstSeen  string `json:"first_seen"`
	ResolvedOn string `json:"resolved_on,omitempty"`
	// Result says why the target does not conform: it fails, its evidence
	// is missing (unknown, 未確認), or the check could not be evaluated.
	Result   string          `json:"result"`
	Criteria []string        `json:"criteria,omitempty"`
	Amount   *int64          `json:"amount,omitempty"`
	Evidence json.RawMessage `json:"evidence"`
}

func findingOf(f store.Finding) Finding {
	ev := json.RawMessage(f.Evidence)
	if !json.Valid(ev) {
		ev, _ = json.Marshal(f.Evidence)
	}
	return Finding{Control: f.ControlID, TargetType: f.TargetType, Target: f.TargetCode, OrgCode: f.OrgCode, Status: f.Status,
		Severity: f.Severity, FirstSeen: f.FirstSeen, ResolvedOn: f.ResolvedOn, Result: f.Result, Criteria: f.Criteria,
		Amount: f.Amount, Evidence: ev}
}

func (s *server) system(w http.ResponseWriter, r *http.Request, c *caller) (any, error) {
	ctx := r.Context()
	code := r.PathValue("code")
	notFound := mamori.Errorf(mamori.NotFound, "情報システム「%s」はありません", "no system %q", code)
	rec, err := s.st.Get(ctx, systemsEntity, code)
	if mamori.KindOf(err) == mamori.NotFound {
		return nil, notFound
	}
	if err != nil {
		return nil, err
	}
	sys := systemOf(rec)
	if !c.scope.Allows(sys.OrgCode) {
		return nil, notFound // the same answer as a code that does not exist
	}
	out := SystemDetail{System: sys, Findings: []Finding{}, Vulnerabilities: []match.Exposure{}}
	fs, err := s.st.SystemFindings(ctx, code)
	if err != nil {
		return nil, err
	}
	for _, f := range fs {
		out.Findings = append(out.Findings, findingOf(f))
	}
	// Within the caller's scope: another ministry's standard image that a
	// component names adds nothing.
	rep, err := match.BuildReport(ctx, s.st, match.Scope{System: code, Orgs: c.scope.Orgs()})
	if err != nil {
		return nil, err
	}
	out.Vulnerabilities = append(out.Vulnerabilities, rep.Exposures...)
	return out, nil
}

// VulnerabilityList is one page of open vulnerabilities on systems.
type VulnerabilityList struct {
	Total           int              `json:"total"`
	Page            int              `json:"page"`
	Vulnerabilities []match.Exposure `json:"vulnerabilities"`
}

// vulnerabilities lists the open vulnerabilities of the caller's systems,
// worst first within each system: one vulnerability by any of its
// identifiers (id), one organization's subtree (org), a least confidence.
func (s *server) vulnerabilities(w http.ResponseWriter, r *http.Request, c *caller) (any, error) {
	p, err := page(r)
	if err != nil {
		return nil, err
	}
	q := r.URL.Query()
	sc := match.Scope{Org: q.Get("org"), Vuln: strings.TrimSpace(q.Get("id")), Orgs: c.scope.Orgs()}
	if v := q.Get("min_confidence"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > 100 {
			return nil, mamori.Errorf(mamori.Invalid, "パラメータ「min_confidence」は0から100の整数です", "parameter min_confidence must be an integer from 0 to 100")
		}
		sc.MinConfidence = n
	}
	if sc.Vuln == "" && sc.Org == "" && c.scope.Whole() {
		// Every open vulnerability of the country is a million rows
		// (50 s and 3.6 GB to gather): a page of it answers no question.
		return nil, mamori.Errorf(mamori.Invalid, "政府全体の一覧は出せません。脆弱性(id)か組織(org)を指定してください", "name a vulnerability (id) or an organization (org): the whole government's list is too large to page")
	}
	if sc.Org != "" && !c.scope.Allows(sc.Org) {
		// Another ministry's organization answers like one that does not exist.
		return nil, mamori.Errorf(mamori.NotFound, "組織「%s」はありません", "no organization %q", sc.Org)
	}
	rep, err := match.BuildReport(r.Context(), s.st, sc)
	if err != nil {
		return nil, err
	}
	out := VulnerabilityList{Total: len(rep.Exposures), Page: p, Vulnerabilities: []match.Exposure{}}
	if from := (p - 1) * pageSize; from < len(rep.Exposures) {
		out.Vulnerabilities = append(out.Vulnerabilities, rep.Exposures[from:min(from+pageSize, len(rep.Exposures))]...)
	}
	return out, nil
}

// FindingList is one page of findings.
type FindingList struct {
	Total    int       `json:"total"`
	Page     int       `json:"page"`
	Findings []Finding `json:"findings"`
}

func (s *server) findings(w http.ResponseWriter, r *http.Request, c *caller) (any, error) {
	p, err := page(r)
	if err != nil {
		return nil, err
	}
	q := r.URL.Query()
	status := q.Get("status")
	switch status {
	case "", "open", "resolved":
	default:
		return nil, mamori.Errorf(mamori.Invalid, "パラメータ「status」は open か resolved です", "parameter status must be open or resolved")
	}
	result := q.Get("result")
	switch result {
	case "", store.ResultFail, store.ResultUnknown, store.ResultError:
	default:
		return nil, mamori.Errorf(mamori.Invalid, "パラメータ「result」は fail、unknown、error のいずれかです", "parameter result must be fail, unknown or error")
	}
	fs, total, err := s.st.FindFindings(r.Context(), store.FindingPage{ControlID: q.Get("control"), Status: status, OrgCode: q.Get("org"),
		Result: result, OrgIn: c.scope.Orgs(), Limit: pageSize, Offset: (p - 1) * pageSize})
	if err != nil {
		return nil, err
	}
	out := FindingList{Total: total, Page: p, Findings: []Finding{}}
	for _, f := range fs {
		out.Findings = append(out.Findings, findingOf(f))
	}
	return out, nil
}
