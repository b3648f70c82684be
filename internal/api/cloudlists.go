package api

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"time"

	"mamori"
	"mamori/internal/cloudlist"
	"mamori/internal/store"
)

// The cloud service list routes (issue 15, item 6): the imported ISMAP and
// ISMAP-LIU snapshots and what they say of the register's cloud services,
// readable by every caller (the lists are public and the services shared
// register data), and an import for a central administrator of the whole
// government only (package cloudlist decides and audits).

func (s *server) cloudListRoutes(mux *http.ServeMux) {
	mux.Handle("GET /api/v1/cloud-lists", s.authed(s.cloudLists))
	mux.Handle("POST /api/v1/cloud-lists", s.writes(s.cloudListImport))
	mux.Handle("GET /api/v1/cloud-lists/{id}", s.authed(s.cloudList))
}

// maxCloudListBody bounds an uploaded list: the published ISMAP list is a
// few hundred rows, well under a megabyte.
const maxCloudListBody = 16 << 20

// CloudListSnapshot is one imported list file.
type CloudListSnapshot struct {
	ID         int64  `json:"id"`
	Kind       string `json:"kind"`
	AsOf       string `json:"as_of"`
	File       string `json:"file"`
	SHA256     string `json:"sha256"`
	ImportedBy string `json:"imported_by"`
	ImportedAt string `json:"imported_at"`
	Entries    int    `json:"entries"`
	Newest     bool   `json:"newest"`
	URL        string `json:"url"`
}

// CloudServiceListing is what the lists say of one register cloud service.
type CloudServiceListing struct {
	Code     string `json:"code"`
	Provider string `json:"provider"`
	Name     string `json:"name"`
	Number   string `json:"registration_number,omitempty"`
	Claim    string `json:"claimed_status"`
	// State: listed, expired, dropped, not_listed or unconfirmed.
	State        string `json:"state"`
	MatchedBy    string `json:"matched_by,omitempty"`
	Kind         string `json:"list,omitempty"`
	AsOf         string `json:"list_as_of,omitempty"`
	ValidUntil   string `json:"valid_until,omitempty"`
	LastListedOn string `json:"last_listed_on,omitempty"`
	ClaimDiffers bool   `json:"claim_differs"`
}

// CloudLists is the answer of GET /cloud-lists.
type CloudLists struct {
	Snapshots []CloudListSnapshot   `json:"snapshots"`
	Services  []CloudServiceListing `json:"services"`
}

// CloudListEntry is one service on a snapshot.
type CloudListEntry struct {
	Row          int    `json:"row"`
	Number       string `json:"registration_number"`
	Service      string `json:"service"`
	Provider     string `json:"provider"`
	RegisteredOn string `json:"registered_on,omitempty"`
	ValidUntil   string `json:"valid_until"`
}

// CloudListDetail is a snapshot with its services.
type CloudListDetail struct {
	CloudListSnapshot
	Services []CloudListEntry `json:"services"`
}

func cloudListURL(id int64) string { return "/api/v1/cloud-lists/" + strconv.FormatInt(id, 10) }

func snapshotsOf(snaps []store.CloudListSnapshot) []CloudListSnapshot {
	out := []CloudListSnapshot{}
	seen := map[string]bool{}
	for _, sn := range snaps {
		out = append(out, CloudListSnapshot{ID: sn.ID, Kind: sn.Kind, AsOf: sn.AsOf, File: sn.FileName, SHA256: sn.SHA256,
			ImportedBy: sn.ImportedBy, ImportedAt: sn.ImportedAt.UTC().Format(time.RFC3339), Entries: sn.EntryCount,
			Newest: !seen[sn.Kind], URL: cloudListURL(sn.ID)})
		seen[sn.Kind] = true
	}
	return out
}

func (s *server) cloudLists(w http.ResponseWriter, r *http.Request, c *caller) (any, error) {
	ctx := r.Context()
	snaps, err := s.st.CloudListSnapshots(ctx)
	if err != nil {
		return nil, err
	}
	st, err := s.st.CloudListStatuses(ctx)
	if err != nil {
		return nil, err
	}
	day := s.now().In(mamori.Japan).Format(time.DateOnly)
	out := CloudLists{Snapshots: snapshotsOf(snaps), Services: []CloudServiceListing{}}
	for _, cs := range st {
		out.Services = append(out.Services, CloudServiceListing{Code: cs.Code, Provider: cs.Provider, Name: cs.Name, Number: cs.Number,
			Claim: cs.Claim, State: cs.State(day), MatchedBy: cs.MatchedBy, Kind: cs.Kind, AsOf: cs.AsOf, ValidUntil: cs.ValidUntil,
			LastListedOn: cs.LastListedOn, ClaimDiffers: cs.ClaimDiffers != ""})
	}
	slices.SortFunc(out.Services, func(a, b CloudServiceListing) int {
		if a.Code < b.Code {
			return -1
		}
		return 1
	})
	return out, nil
}

func (s *server) cloudList(w http.ResponseWriter, r *http.Request, c *caller) (any, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	notFound := mamori.Errorf(mamori.NotFound, "そのリストのスナップショットはありません", "no such cloud list snapshot")
	if err != nil || id <= 0 {
		return nil, notFound
	}
	snaps, err := s.st.CloudListSnapshots(r.Context())
	if err != nil {
		return nil, err
	}
	all := snapshotsOf(snaps)
	i := slices.IndexFunc(all, func(x CloudListSnapshot) bool { return x.ID == id })
	if i < 0 {
		return nil, notFound
	}
	entries, err := s.st.CloudListEntries(r.Context(), id)
	if err != nil {
		return nil, err
	}
	out := CloudListDetail{CloudListSnapshot: all[i], Services: []CloudListEntry{}}
	for _, e := range entries {
		out.Services = append(out.Services, CloudListEntry{e.Row, e.RegistrationNumber, e.Service, e.Provider, e.RegisteredOn, e.ValidUntil})
	}
	return out, nil
}

// cloudListImport takes a list file as the body (its Content-Type, with
// ?filename=NAME.xlsx|csv) or as field "file" of a multipart/form-data
// body, with ?kind=ismap|ismap-liu and optionally ?as_of=DATE.
func (s *server) cloudListImport(w http.ResponseWriter, r *http.Request, c *caller) (any, error) {
	// Who may not import is told so before the upload is read.
	if ok, err := cloudlist.MayImport(r.Context(), s.st, c.user); err != nil {
		return nil, err
	} else if !ok {
		_, err := cloudlist.ImportAs(r.Context(), s.st, c.user, cloudlist.Request{FileName: r.URL.Query().Get("filename"), Kind: r.URL.Query().Get("kind")})
		return nil, err
	}
	over := func() error {
		return &answered{status: http.StatusRequestEntityTooLarge, err: mamori.Errorf(mamori.Invalid,
			"リストのファイルが大きすぎます（上限 %d バイト）", "the list file is too large (at most %d bytes)", maxCloudListBody)}
	}
	if r.ContentLength > maxCloudListBody+uploadOverhead {
		return nil, over()
	}
	q := r.URL.Query()
	name := q.Get("filename")
	var data []byte
	mediaType, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mediaType == "multipart/form-data" {
		r.Body = http.MaxBytesReader(w, r.Body, maxCloudListBody+uploadOverhead)
		if err := r.ParseMultipartForm(maxCloudListBody + uploadOverhead); err != nil {
			if _, big := errors.AsType[*http.MaxBytesError](err); big {
				return nil, over()
			}
			return nil, mamori.Errorf(mamori.Invalid, "multipart の本文を読めません", "the multipart body cannot be read")
		}
		defer r.MultipartForm.RemoveAll()
		f, hdr, err := r.FormFile("file")
		if err != nil {
			return nil, mamori.Errorf(mamori.Invalid, "本文にファイル（項目 file）がありません", "the body holds no file (field file)")
		}
		defer f.Close()
		if data, err = io.ReadAll(io.LimitReader(f, maxCloudListBody+1)); err != nil {
			return nil, err
		}
		if name == "" {
			name = hdr.Filename
		}
	} else {
		var err error
		if data, err = io.ReadAll(io.LimitReader(r.Body, maxCloudListBody+1)); err != nil {
			return nil, mamori.Errorf(mamori.Invalid, "本文を読めません", "the body cannot be read")
		}
	}
	if len(data) > maxCloudListBody {
		return nil, over()
	}
	if name == "" {
		return nil, mamori.Errorf(mamori.Invalid, "ファイル名（?filename=）を指定してください", "name the file (?filename=)")
	}
	snap, err := cloudlist.ImportAs(r.Context(), s.st, c.user, cloudlist.Request{FileName: name, Data: data, Kind: q.Get("kind"),
		AsOf: q.Get("as_of"), Limits: mamori.Limits{FileBytes: maxCloudListBody}})
	if err != nil {
		return nil, err
	}
	return created{location: cloudListURL(snap.ID), body: snapshotsOf([]store.CloudListSnapshot{snap})[0]}, nil
}
