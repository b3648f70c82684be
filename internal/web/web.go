// Package web serves mamori's server-rendered HTML register pages: the
// information-system register (情報システム台帳), one page per system, the
// embedded stylesheet and a health check. That is its one job. It imports
// package mamori, internal/store and the standard library only; it must not
// import the JSON API, the importers or any other internal adapter.
//
// Every page is rendered on the server from html/template files embedded in
// the binary and parsed once, in New; nothing needs JavaScript, and nothing is
// loaded from outside the server, so the pages work on a closed network.
package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"mime"
	"net/http"
	"path"
	"strings"

	"mamori"
	"mamori/internal/catalog"
	"mamori/internal/forum"
	"mamori/internal/i18n"
	"mamori/internal/store"
	"mamori/internal/workflow"
)

//go:embed templates
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// pageSize is the number of systems on one page of the register.
const pageSize = 50

// The entities the pages read.
var (
	organizations   = mustEntity("organizations")
	systems         = mustEntity("systems")
	components      = mustEntity("components")
	systemCosts     = mustEntity("system_costs")
	contracts       = mustEntity("contracts")
	contractSystems = mustEntity("contract_systems")
	plans           = mustEntity("plans")
	planSystems     = mustEntity("plan_systems")
)

func mustEntity(name string) *mamori.Entity {
	e := mamori.EntityByName(name)
	if e == nil {
		panic("web: no register entity " + name)
	}
	return e
}

// server holds what the handlers share. It is immutable after New.
type server struct {
	store   *store.Store
	log     *slog.Logger
	version string
	// pages are the parsed templates by language, then by page file name,
	// each joined with the layout. Each language has its own parse so that
	// the template functions (t, date, money…) are bound to its localizer.
	pages  map[string]map[string]*template.Template
	i18n   *i18n.Bundle
	assets map[string]asset  // by hashed file name, as in the URL
	urls   map[string]string // asset URL by plain file name
	// catalogs name the controls in findings (the built-in ones; a
	// control of an imported catalog shows its ID alone).
	catalogs []*catalog.Catalog
	metrics  *metrics
	oidc     *oidcLogin // single sign-on, when configured (WithOIDC)
	// dashboards caches computed dashboards until the next assessment.
	dashboards dashboardCache
	// limits bound an upload and its import (WithLimits).
	limits mamori.Limits
	// reports caches built audit reports by assessment.
	reports reportCache
	// wf runs the workflows (remediation, …) the workflow pages show.
	wf *workflow.Service
	// forum is the support forum across organizations.
	forum *forum.Service
}

// pager is what the layout's "pager" template draws: the links to the
// first, previous, next and last pages of a list, each "" when absent.
type pager struct{ First, Prev, Next, Last string }

// Option configures the web UI beyond its defaults.
type Option func(*server)

// WithLimits bounds what an upload may make the server read and do: its
// size, an .xlsx's decompressed size, rows, cells, depth and time. Zero
// fields keep mamori.DefaultLimits.
func WithLimits(l mamori.Limits) Option {
	return func(s *server) { s.limits = l.OrDefault() }
}

// asset is one embedded static file.
type asset struct {
	data        []byte
	hash        string
	contentType string
}

// New returns the handler tree of the web UI reading from s. logger receives
// one line per request and the detail of every internal error; version is
// shown in the page footer. New panics if an embedded template does not parse,
// so a broken template stops the program at start-up rather than on a request.
func New(s *store.Store, logger *slog.Logger, version string, opts ...Option) http.Handler {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	srv := &server{store: s, log: logger, version: version, metrics: newMetrics(version, s), i18n: i18n.MustNew(),
		limits: mamori.DefaultLimits()}
	// The embedded catalogs are tested to load; without them the pages
	// still work, naming controls by ID.
	srv.catalogs, _ = catalog.Builtin()
	wf, err := workflow.New(s, workflow.All()...)
	if err != nil {
		panic(fmt.Sprintf("web: workflows: %v", err))
	}
	srv.wf = wf
	for _, o := range opts {
		o(srv)
	}
	// The forum tells askers through the workflows' notifier.
	srv.forum = forum.New(s)
	srv.forum.Notifier, srv.forum.BaseURL = srv.wf.Notifier, srv.wf.BaseURL
	srv.loadAssets()
	srv.parseTemplates()

	mux := http.NewServeMux()
	srv.routes(mux)

	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(srv.handle(func(w http.ResponseWriter, r *http.Request) error {
		return mamori.Errorf(mamori.Forbidden, "他のサイトからのリクエストは受け付けられません",
			"cross-origin request refused")
	}))
	return srv.accessLog(securityHeaders(cop.Handler(srv.requireSession(limitBody(mux)))))
}

// loadAssets reads the embedded static files and names each by a short hash
// of its content ("style.css" becomes "style.1a2b3c4d5e.css"), so a changed
// file gets a new URL and an unchanged one can be cached for good.
func (s *server) loadAssets() {
	s.assets, s.urls = map[string]asset{}, map[string]string{}
	err := fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := staticFS.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(data)
		hash := hex.EncodeToString(sum[:])[:10]
		name := path.Base(p)
		ext := path.Ext(name)
		hashed := strings.TrimSuffix(name, ext) + "." + hash + ext
		ctype := mime.TypeByExtension(ext)
		if ctype == "" {
			ctype = "application/octet-stream"
		}
		s.assets[hashed] = asset{data: data, hash: hash, contentType: ctype}
		s.urls[name] = "/static/" + hashed
		return nil
	})
	if err != nil {
		panic(fmt.Sprintf("web: static assets: %v", err))
	}
}

// parseTemplates parses every page together with the shared layout, once per
// language.
func (s *server) parseTemplates() {
	pages, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		panic(fmt.Sprintf("web: templates: %v", err))
	}
	s.pages = map[string]map[string]*template.Template{}
	for _, lang := range i18n.Langs {
		funcs := s.templateFuncs(s.i18n.For(lang))
		s.pages[lang] = map[string]*template.Template{}
		for _, p := range pages {
			name := path.Base(p)
			if name == "layout.html" {
				continue
			}
			t := template.New(name).Funcs(funcs).Option("missingkey=error")
			s.pages[lang][name] = template.Must(t.ParseFS(templateFS, "templates/layout.html", p))
		}
		for _, want := range []string{"systems.html", "system.html", "error.html"} {
			if s.pages[lang][want] == nil {
				panic("web: missing template " + want)
			}
		}
	}
}

// templateFuncs are the functions every template may call, bound to one
// language: t looks a message up in the catalog, header names a register
// field, and the rest format values as that language writes them.
func (s *server) templateFuncs(l *i18n.Localizer) template.FuncMap {
	return template.FuncMap{
		"asset": func(name string) (string, error) {
			u, ok := s.urls[name]
			if !ok {
				return "", fmt.Errorf("no static asset %q", name)
			}
			return u, nil
		},
		"t":     l.T,
		"lang":  func() string { return l.Lang },
		"pick":  l.Pick,
		"date":  l.DateString,
		"fy":    l.FiscalYear,
		"money": l.Money,
		// num writes a count with thousands separators.
		"num": func(n any) (string, error) {
			switch n := n.(type) {
			case int:
				return l.Number(int64(n)), nil
			case int64:
				return l.Number(n), nil
			}
			return "", fmt.Errorf("num: %T is not a count", n)
		},
		"yesno": l.YesNo,
		// paren brackets a qualifier as the language does: 「（P21）」 or " (P21)".
		"paren": l.Paren,
		// listsep separates the items of a list: 「、」 or ", ".
		"listsep": l.ListSep,
		// named writes a name with its code, the code kept on one line:
		// 「岐阜県（P21）」 in Japanese, "Gifu (P21)" in English.
		"named": func(name, code string) template.HTML {
			c := `<span class="code">` + template.HTMLEscapeString(code) + `</span>`
			if name == "" {
				return template.HTML(c)
			}
			return template.HTML(template.HTMLEscapeString(name) + l.Paren(c))
		},
		// pages gathers a list's paging links for the shared "pager"
		// template of the layout; "" leaves a link out.
		"pages": func(first, prev, next, last string) pager {
			return pager{First: first, Prev: prev, Next: next, Last: last}
		},
		// header returns the header of a register field in the page's
		// language, so the pages stay in step with the register definition.
		"header": func(entity, column string) (string, error) {
			e := mamori.EntityByName(entity)
			if e == nil {
				return "", fmt.Errorf("no entity %q", entity)
			}
			f := e.Field(column)
			if f == nil {
				return "", fmt.Errorf("no field %s.%s", entity, column)
			}
			return l.Pick(f.JA, f.EN), nil
		},
	}
}

// layout is what the shared layout template reads; Data is the page's own view.
type layout struct {
	User    string // the signed-in user's display name, "" on the sign-in page
	Menu    menu   // the menu entries the user's roles open
	Path    string // the request's path and query, for the language switch
	Title   string
	Section string // the navigation entry to mark as current
	Version string
	Data    any

	// Confined is a session that may reach one page only (enrol a second
	// factor, or replace a one-time password): the header offers no page
	// it would be sent back from.
	Confined bool
}

// render executes a page into a buffer and only then writes it, so a template
// error becomes an error page rather than half a page.
func (s *server) render(w http.ResponseWriter, r *http.Request, status int, page, title, section string, data any) error {
	t, ok := s.pages[langOf(r.Context())][page]
	if !ok {
		return fmt.Errorf("web: no page template %q", page)
	}
	var buf bytes.Buffer
	l := layout{Title: title, Section: section, Version: s.version, Data: data, Path: switchBack(r)}
	if v := viewerOf(r.Context()); v != nil {
		l.Menu, l.Confined = menuOf(v.user), v.enrolOnly || v.user.PasswordChangeRequired
		l.Menu.Report = v.all
		l.User = v.user.DisplayName
		if l.User == "" {
			l.User = v.user.Name
		}
	}
	err := t.ExecuteTemplate(&buf, "layout", l)
	if err != nil {
		return fmt.Errorf("web: render %s: %w", page, err)
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	// Register pages hold internal data; keep them out of shared and disk caches.
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	if _, err := w.Write(buf.Bytes()); err != nil {
		// The client has gone; the status is already sent, so only log it.
		s.log.LogAttrs(r.Context(), slog.LevelDebug, "write response", slog.String("request_id", requestID(r.Context())),
			slog.Any("error", err))
	}
	return nil
}
