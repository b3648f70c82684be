// Package cloudlist imports the published ISMAP and ISMAP-LIU cloud
// service lists into the store, for the command line, the web page and the
// API alike: it decides who may import (the lists are government-wide, so
// only a central administrator whose grant covers the whole government),
// reads the file with package ismaplist, stores it as a dated snapshot
// with the file's SHA-256, and records the import, or its refusal, in the
// audit trail.
package cloudlist

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"mamori"
	"mamori/internal/audit"
	"mamori/internal/auth"
	"mamori/internal/authz"
	"mamori/internal/ismaplist"
	"mamori/internal/store"
	"mamori/internal/wareki"
)

// Request is one list file to import.
type Request struct {
	FileName string
	Data     []byte
	Kind     string // ismap or ismap-liu (ismaplist.ParseKind)
	// AsOf is the date the list is as of; "" takes it from the notes above
	// the header (「令和8年10月1日時点」), and a file that gives none is
	// refused.
	AsOf   string
	Limits mamori.Limits
}

// MayImport reports whether u may import a list: a central_admin grant
// whose subtree is the whole government.
func MayImport(ctx context.Context, s *store.Store, u store.User) (bool, error) {
	if u.Disabled {
		return false, nil
	}
	sc, err := authz.OfRoles(ctx, s, u, string(auth.CentralAdmin))
	if err != nil {
		return false, err
	}
	return sc.Whole(), nil
}

// ImportAs is Import for a signed-in user, refused with an error of kind
// Forbidden unless MayImport.
func ImportAs(ctx context.Context, s *store.Store, u store.User, req Request) (store.CloudListSnapshot, error) {
	ok, err := MayImport(ctx, s, u)
	if err != nil {
		return store.CloudListSnapshot{}, err
	}
	if !ok {
		// An attempt on the government-wide lists is worth an entry, filed
		// under the user's own organizations: another ministry's auditor
		// must not learn of the account.
		var orgs []string
		for _, g := range u.Grants {
			orgs = append(orgs, g.OrgCode)
		}
		return store.CloudListSnapshot{}, refused(ctx, s, u.Name, "cloud_lists", req.FileName, orgs, mamori.Errorf(mamori.Forbidden,
			"クラウドサービスリストは政府全体の中央管理者だけが取り込めます",
			"only a central administrator of the whole government may import a cloud service list"))
	}
	return Import(ctx, s, u.Name, req)
}

// Import reads and stores one list as actor (a user name, or
// audit.CLIActor for the command line's operator), all or nothing, and
// records it in the audit trail; a refused file is recorded too, with why.
func Import(ctx context.Context, s *store.Store, actor string, req Request) (store.CloudListSnapshot, error) {
	snap, err := importList(ctx, s, actor, req)
	target := "cloud_lists/" + strings.ReplaceAll(strings.ToLower(req.Kind), "-", "_")
	if err != nil {
		return snap, refused(ctx, s, actor, target, req.FileName, []string{audit.EveryOrg}, err)
	}
	_, err = audit.RecordAll(ctx, s, actor, audit.Import, []audit.Event{{Target: fmt.Sprintf("cloud_lists/%s/%d", snap.Kind, snap.ID),
		Orgs: []string{audit.EveryOrg}, Detail: map[string]any{"file": mamori.Excerpt(snap.FileName), "kind": snap.Kind, "as_of": snap.AsOf,
			"sha256": snap.SHA256, "entries": snap.EntryCount}}})
	return snap, err
}

func importList(ctx context.Context, s *store.Store, actor string, req Request) (store.CloudListSnapshot, error) {
	kind, err := ismaplist.ParseKind(req.Kind)
	if err != nil {
		return store.CloudListSnapshot{}, err
	}
	asOf := ""
	if strings.TrimSpace(req.AsOf) != "" {
		t, _, err := wareki.ParseDate(req.AsOf)
		if err != nil {
			return store.CloudListSnapshot{}, mamori.Errorf(mamori.Invalid, "リストの時点「%s」を日付として読めません(例: 2026-10-01、令和8年10月1日)",
				"as-of date %q is not a date (e.g. 2026-10-01 or 令和8年10月1日)", mamori.Excerpt(req.AsOf))
		}
		asOf = t.Format(time.DateOnly)
	}
	l, err := ismaplist.Parse(ctx, req.FileName, req.Data, req.Limits)
	if err != nil {
		return store.CloudListSnapshot{}, oneError(err)
	}
	if asOf == "" {
		asOf = l.AsOf
	}
	if asOf == "" {
		return store.CloudListSnapshot{}, &mamori.Error{Kind: mamori.Invalid, Loc: mamori.Loc{File: req.FileName},
			Message:   "the file does not say the date the list is as of: give it (--as-of)",
			MessageJA: "ファイルにリストの時点の記載がありません。時点（--as-of）を指定してください"}
	}
	sum := sha256.Sum256(req.Data)
	entries := make([]store.CloudListEntry, len(l.Entries))
	for i, e := range l.Entries {
		entries[i] = store.CloudListEntry{Row: e.Row, RegistrationNumber: e.RegistrationNumber, Service: e.Service,
			Provider: e.Provider, RegisteredOn: e.RegisteredOn, ValidUntil: e.ValidUntil}
	}
	return s.AddCloudList(ctx, store.CloudListSnapshot{Kind: string(kind), AsOf: asOf, FileName: req.FileName,
		SHA256: hex.EncodeToString(sum[:]), ImportedBy: actor}, entries)
}

// refused records a refused import with its reasons and returns err.
func refused(ctx context.Context, s *store.Store, actor, target, file string, orgs []string, err error) error {
	d := audit.Reasons(err)
	d["file"] = mamori.Excerpt(file)
	if _, aerr := audit.RecordAll(ctx, s, actor, audit.ImportRefused, []audit.Event{{Target: target, Orgs: orgs, Detail: d}}); aerr != nil {
		return errors.Join(err, aerr)
	}
	return err
}

// maxListed is how many of a file's problems one error quotes.
const maxListed = 10

// oneError turns the problems of a file into one error of kind Invalid
// that quotes the first of them with their places, in both languages, so
// that every caller (a page, the API, the command line) shows them alike.
func oneError(err error) error {
	ps, ok := errors.AsType[mamori.Problems](err)
	if !ok || len(ps) == 0 {
		return err
	}
	var en, ja []string
	for i, p := range ps {
		if i == maxListed {
			en = append(en, fmt.Sprintf("and %d more", len(ps)-maxListed))
			ja = append(ja, fmt.Sprintf("ほか%d件", len(ps)-maxListed))
			break
		}
		en = append(en, p.Error())
		j := p.MessageJA
		if loc := p.Loc.Japanese(); loc != "" {
			j = loc + ": " + j
		}
		ja = append(ja, j)
	}
	return &mamori.Error{Kind: mamori.Invalid, Err: err,
		Message:   fmt.Sprintf("%d problem(s), nothing imported: %s", len(ps), strings.Join(en, "; ")),
		MessageJA: fmt.Sprintf("%d件の誤りがあり、取り込んでいません: %s", len(ps), strings.Join(ja, "; "))}
}
