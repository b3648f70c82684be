package web

import (
	"errors"
	"net/http"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"mamori"
	"mamori/internal/cloudlist"
	"mamori/internal/store"
)

// The cloud service list page (issue 15, item 6): the imported ISMAP and
// ISMAP-LIU snapshots, what the newest say of each register cloud service
// (listed, expired, dropped off, not listed, unconfirmed), and one
// snapshot's services. Everyone signed in may read it: the lists are
// public and the cloud services shared register data. The import form is
// for a central administrator of the whole government only, as the lists
// are what every ministry is checked against.

func (s *server) cloudListRoutes(mux *http.ServeMux) {
	mux.Handle("GET /cloud-lists", s.handle(s.cloudListsPage))
	mux.Handle("POST /cloud-lists", s.handle(s.cloudListUpload))
	mux.Handle("GET /cloud-lists/{id}", s.handle(s.cloudListPage))
}

// cloudListField is the file input of the import form.
const cloudListField = "list"

// maxCloudListUpload bounds an uploaded list: the published list is a few
// hundred rows.
const maxCloudListUpload = 16 << 20

type cloudListsView struct {
	Snapshots []cloudSnapshotRow
	Services  []cloudServiceRow
	Counts    map[string]int
	MayImport bool
	Kinds     []cloudKindOption
	AsOf      string
	Message   string // why the last upload was refused
	Done      *cloudSnapshotRow
	Today     string
}

type cloudKindOption struct {
	Value, Label string
	Selected     bool
}

type cloudSnapshotRow struct {
	ID                  int64
	URL                 string
	Kind, AsOf          string
	File, SHA256, By    string
	Entries             int
	Newest              bool
	ImportedAt          string
	KindLabel, SHAShort string
}

type cloudServiceRow struct {
	store.CloudListStatus
	State      string
	KindLabel  string
	ClaimLabel string // "" for a claim of being listed nowhere
	Differs    bool
}

type cloudListView struct {
	Snapshot cloudSnapshotRow
	Entries  []store.CloudListEntry
}

func listKindLabel(kind string) string {
	if kind == store.CloudListLIU {
		return "ISMAP-LIU"
	}
	if kind == store.CloudListISMAP {
		return "ISMAP"
	}
	return ""
}

func snapshotRows(snaps []store.CloudListSnapshot) []cloudSnapshotRow {
	var out []cloudSnapshotRow
	seen := map[string]bool{}
	for _, sn := range snaps {
		out = append(out, cloudSnapshotRow{ID: sn.ID, URL: "/cloud-lists/" + strconv.FormatInt(sn.ID, 10), Kind: sn.Kind, AsOf: sn.AsOf,
			File: sn.FileName, SHA256: sn.SHA256, By: sn.ImportedBy, Entries: sn.EntryCount, Newest: !seen[sn.Kind],
			ImportedAt: sn.ImportedAt.In(mamori.Japan).Format("2006-01-02 15:04"), KindLabel: listKindLabel(sn.Kind), SHAShort: sn.SHA256[:min(12, len(sn.SHA256))]})
		seen[sn.Kind] = true
	}
	return out
}

func (s *server) cloudListsView(r *http.Request) (cloudListsView, error) {
	ctx := r.Context()
	v := cloudListsView{Counts: map[string]int{}, Today: time.Now().In(mamori.Japan).Format(time.DateOnly)}
	snaps, err := s.store.CloudListSnapshots(ctx)
	if err != nil {
		return v, err
	}
	v.Snapshots = snapshotRows(snaps)
	st, err := s.store.CloudListStatuses(ctx)
	if err != nil {
		return v, err
	}
	for _, c := range st {
		row := cloudServiceRow{CloudListStatus: c, State: c.State(v.Today), KindLabel: listKindLabel(c.Kind),
			ClaimLabel: listKindLabel(c.Claim), Differs: c.ClaimDiffers != ""}
		v.Counts[row.State]++
		v.Services = append(v.Services, row)
	}
	// The services that need attention first, then by code.
	order := map[string]int{"dropped": 0, "expired": 1, "not_listed": 2, "unconfirmed": 3, "listed": 4}
	slices.SortFunc(v.Services, func(a, b cloudServiceRow) int {
		if d := order[a.State] - order[b.State]; d != 0 {
			return d
		}
		return strings.Compare(a.Code, b.Code)
	})
	if vw := viewerOf(ctx); vw != nil {
		if v.MayImport, err = cloudlist.MayImport(ctx, s.store, vw.user); err != nil {
			return v, err
		}
	}
	v.Kinds = []cloudKindOption{{"ismap", "ISMAP", true}, {"ismap-liu", "ISMAP-LIU", false}}
	return v, nil
}

func (s *server) cloudListsPage(w http.ResponseWriter, r *http.Request) error {
	v, err := s.cloudListsView(r)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "cloudlists.html", s.loc(r).MustT("cloudlist.title"), "cloudlists", v)
}

// cloudListUpload imports one list file; only MayImport users get past
// the first check, before the upload is read.
func (s *server) cloudListUpload(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	l := s.loc(r)
	vw := viewerOf(ctx)
	if vw == nil {
		return mamori.Errorf(mamori.Unauthenticated, "ログインしてください", "sign in first")
	}
	ok, err := cloudlist.MayImport(ctx, s.store, vw.user)
	if err != nil {
		return err
	}
	if !ok {
		_, err := cloudlist.ImportAs(ctx, s.store, vw.user, cloudlist.Request{Kind: r.FormValue("kind")})
		return err
	}
	refuse := func(status int, msg string) error {
		v, err := s.cloudListsView(r)
		if err != nil {
			return err
		}
		v.Message = msg
		return s.render(w, r, status, "cloudlists.html", l.MustT("cloudlist.title"), "cloudlists", v)
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxCloudListUpload+formOverhead)
	if err := r.ParseMultipartForm(maxCloudListUpload + formOverhead); err != nil {
		if _, over := errors.AsType[*http.MaxBytesError](err); over {
			return refuse(http.StatusRequestEntityTooLarge, l.MustT("cloudlist.error.toobig"))
		}
		return refuse(http.StatusBadRequest, l.MustT("cloudlist.error.nofile"))
	}
	defer r.MultipartForm.RemoveAll()
	f, hdr, err := r.FormFile(cloudListField)
	if err != nil {
		return refuse(http.StatusBadRequest, l.MustT("cloudlist.error.nofile"))
	}
	defer f.Close()
	name := mamori.Excerpt(filepath.Base(strings.ReplaceAll(hdr.Filename, `\`, "/")))
	data, err := (mamori.Limits{FileBytes: maxCloudListUpload}).ReadAll(f)
	if errors.Is(err, mamori.ErrLimit) {
		return refuse(http.StatusRequestEntityTooLarge, l.MustT("cloudlist.error.toobig"))
	}
	if err != nil {
		return err
	}
	snap, err := cloudlist.ImportAs(ctx, s.store, vw.user, cloudlist.Request{FileName: name, Data: data, Kind: r.FormValue("kind"),
		AsOf: r.FormValue("as_of"), Limits: mamori.Limits{FileBytes: maxCloudListUpload}})
	if err != nil {
		var me *mamori.Error
		if k := mamori.KindOf(err); (k == mamori.Invalid || k == mamori.Conflict) && errors.As(err, &me) {
			status := http.StatusUnprocessableEntity
			if k == mamori.Conflict {
				status = http.StatusConflict
			}
			ja := me.MessageJA
			if loc := me.Loc.Japanese(); loc != "" {
				ja = loc + ": " + ja
			}
			return refuse(status, l.Pick(ja, me.Error()))
		}
		return err
	}
	http.Redirect(w, r, "/cloud-lists/"+strconv.FormatInt(snap.ID, 10), http.StatusSeeOther)
	return nil
}

func (s *server) cloudListPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	notFound := mamori.Errorf(mamori.NotFound, "そのリストのスナップショットはありません", "no such cloud list snapshot")
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return notFound
	}
	snaps, err := s.store.CloudListSnapshots(ctx)
	if err != nil {
		return err
	}
	rows := snapshotRows(snaps)
	i := slices.IndexFunc(rows, func(x cloudSnapshotRow) bool { return x.ID == id })
	if i < 0 {
		return notFound
	}
	entries, err := s.store.CloudListEntries(ctx, id)
	if err != nil {
		return err
	}
	v := cloudListView{Snapshot: rows[i], Entries: entries}
	return s.render(w, r, http.StatusOK, "cloudlist.html", s.loc(r).MustT("cloudlist.snapshot.title", "Kind", v.Snapshot.KindLabel, "AsOf", v.Snapshot.AsOf), "cloudlists", v)
}
