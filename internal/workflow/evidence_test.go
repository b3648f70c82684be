package workflow_test

import (
	"archive/zip"
	"bytes"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"mamori"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
	"mamori/internal/workflow"
)

// ooxml builds a ZIP archive holding the named parts, as an Office file is.
func ooxml(t *testing.T, parts ...string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, p := range parts {
		w, err := zw.Create(p)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(`<?xml version="1.0" encoding="UTF-8"?><x/>`))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

var (
	png  = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01")
	jpeg = []byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01")
	gif  = []byte("GIF89a\x01\x00\x01\x00")
	exe  = []byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00")
	html = []byte("<!DOCTYPE html><html><script>alert(1)</script></html>")
)

// TestSniff: the content decides the type, and a ZIP is an xlsx or a docx
// only by the parts it holds.
func TestSniff(t *testing.T) {
	for name, c := range map[string]struct {
		content []byte
		want    string
	}{
		"pdf":       {pdf, workflow.PDF},
		"png":       {png, workflow.PNG},
		"jpeg":      {jpeg, workflow.JPEG},
		"text":      {[]byte("対応完了。パッチ適用済み\n"), workflow.Text},
		"csv":       {[]byte("host,patched\nweb01,2026-11-30\n"), workflow.Text},
		"xlsx":      {ooxml(t, "[Content_Types].xml", "xl/workbook.xml", "xl/worksheets/sheet1.xml"), workflow.XLSX},
		"docx":      {ooxml(t, "[Content_Types].xml", "word/document.xml"), workflow.DOCX},
		"plain zip": {ooxml(t, "readme.txt"), ""},
		"gif":       {gif, ""},
		"exe":       {exe, ""},
		"html":      {html, ""},
		"latin1":    {[]byte("caf\xe9 cr\xe8me\n"), ""},
	} {
		if got := workflow.Sniff(c.content); got != c.want {
			t.Errorf("Sniff(%s) = %q, want %q", name, got, c.want)
		}
	}
}

// TestEvidenceChecks: what Evidence refuses and accepts, before any store.
func TestEvidenceChecks(t *testing.T) {
	xlsx := ooxml(t, "[Content_Types].xml", "xl/workbook.xml")
	for _, c := range []struct {
		name, file, declared string
		content              []byte
		limit                int64
		want                 string // media type, or a word of the refusal
		ok                   bool
	}{
		{"pdf", "r.pdf", "application/pdf", pdf, 1 << 20, workflow.PDF, true},
		{"undeclared png", "s.png", "", png, 1 << 20, workflow.PNG, true},
		{"csv declared", "h.csv", "text/csv; charset=utf-8", []byte("a,b\n1,2\n"), 1 << 20, workflow.CSV, true},
		{"octet-stream xlsx", "l.xlsx", "application/octet-stream", xlsx, 1 << 20, workflow.XLSX, true},
		{"png claiming pdf", "r.pdf", "application/pdf", png, 1 << 20, "declared as application/pdf but its content is image/png", false},
		{"html claiming text", "r.txt", "text/plain", html, 1 << 20, "not of an allowed type", false},
		{"exe", "r.pdf", "application/pdf", exe, 1 << 20, "not of an allowed type", false},
		{"oversized", "big.pdf", "application/pdf", pdf, 16, "too large", false},
		{"empty", "e.txt", "", nil, 1 << 20, "empty", false},
		{"path", "../../etc/passwd", "", []byte("x"), 1 << 20, "path separator", false},
		{"no name", " ", "", pdf, 1 << 20, "no name", false},
	} {
		a, err := workflow.Evidence(c.file, c.declared, c.content, c.limit)
		if c.ok {
			if err != nil || a.MediaType != c.want || a.Size != int64(len(c.content)) || len(a.SHA256) != 64 {
				t.Errorf("%s: %v, %+v", c.name, err, a)
			}
			continue
		}
		e, isErr := err.(*mamori.Error)
		if !isErr || e.Kind != mamori.Invalid || !strings.Contains(e.Message, c.want) || e.MessageJA == "" {
			t.Errorf("%s: err = %v, want an Invalid refusal with %q", c.name, err, c.want)
		}
	}
}

// TestAttachRefused: on a store, an oversized or mistyped file is refused
// with a clear message and nothing is stored: no attachment, no history,
// no audit entry, and the item is not touched.
func TestAttachRefused(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := t.Context()
		f := setup(t, st)
		f.svc.MaxAttachment = 64
		it := f.create(t, "alice", "low")
		before := snapshot(t, st, it.ID)
		for _, c := range []struct {
			name, declared string
			content        []byte
			en, ja         string
		}{
			{"big.pdf", "application/pdf", append(bytes.Clone(pdf), make([]byte, 64)...), "too large", "大きすぎます"},
			{"fake.pdf", "application/pdf", png, "declared as application/pdf", "内容は image/png"},
			{"tool.exe", "", exe, "not of an allowed type", "受け付ける形式ではありません"},
		} {
			_, err := f.svc.Attach(ctx, f.users["alice"], it.ID, c.name, c.declared, c.content)
			e, ok := err.(*mamori.Error)
			if !ok || !strings.Contains(e.Message, c.name) || !strings.Contains(e.Message, c.en) || !strings.Contains(e.MessageJA, c.ja) {
				t.Errorf("Attach(%s) = %v, want a refusal naming the file and %q / %q", c.name, err, c.en, c.ja)
			}
		}
		// Within the limit it goes in; the limit is the service's, not the default.
		if _, err := f.svc.Attach(ctx, f.users["alice"], it.ID, "ok.txt", "text/plain", []byte("fixed\n")); err != nil {
			t.Fatalf("Attach within the limit: %v", err)
		}
		after := snapshot(t, st, it.ID)
		if len(after.Evidence) != 1 || len(after.Events) != len(before.Events)+1 || after.Audit != before.Audit+1 {
			t.Errorf("after one accepted file: %d attachments, %d new events, %d new audit entries",
				len(after.Evidence), len(after.Events)-len(before.Events), after.Audit-before.Audit)
		}
		if diff := cmp.Diff(before.Item.Version, after.Item.Version); diff != "" {
			t.Errorf("evidence moved the version: %s", diff)
		}
		// A viewer of the organization may read but not add evidence.
		if _, err := f.svc.Attach(ctx, f.users["view"], it.ID, "v.txt", "", []byte("x\n")); mamori.KindOf(err) != mamori.Forbidden {
			t.Errorf("viewer attaches: %v", err)
		}
	})
}
