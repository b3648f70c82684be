package workflow

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"mime"
	"net/http"
	"strings"
	"unicode/utf8"

	"mamori"
	"mamori/internal/store"
)

// DefaultMaxAttachment bounds one piece of evidence when the service sets
// no other limit: 10 MiB, enough for a scanned report.
const DefaultMaxAttachment = 10 << 20

// The media types evidence may have.
const (
	PDF  = "application/pdf"
	PNG  = "image/png"
	JPEG = "image/jpeg"
	Text = "text/plain"
	CSV  = "text/csv"
	XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
)

// Allowed lists the media types evidence may have.
var Allowed = []string{PDF, PNG, JPEG, Text, CSV, XLSX, DOCX}

// maxName bounds an attachment's file name in characters.
const maxName = 200

// Sniff returns the media type of content by what it holds, not by what
// anyone claims: net/http's content sniffing, and for a ZIP archive the
// Office Open XML part that makes it a workbook or a document. It returns
// "" for content of no allowed type.
func Sniff(content []byte) string {
	t, _, _ := mime.ParseMediaType(http.DetectContentType(content))
	switch t {
	case PDF, PNG, JPEG:
		return t
	case Text:
		if utf8.Valid(content) {
			return Text
		}
	case "application/zip":
		zr, err := zip.NewReader(bytes.NewReader(content), int64(len(content)))
		if err != nil {
			return ""
		}
		var types, workbook, document bool
		for _, f := range zr.File {
			switch f.Name {
			case "[Content_Types].xml":
				types = true
			case "xl/workbook.xml":
				workbook = true
			case "word/document.xml":
				document = true
			}
		}
		switch {
		case types && workbook && !document:
			return XLSX
		case types && document && !workbook:
			return DOCX
		}
	}
	return ""
}

// Evidence checks one file to be attached and returns it ready to store,
// with its SHA-256, size and media type: the sniffed type, or text/csv for
// plain text declared as CSV (CSV has no signature of its own). It refuses
// an empty or oversized file, a name that is empty, too long or a path, a
// type not allowed, and a declared type the content contradicts.
func Evidence(name, declared string, content []byte, limit int64) (store.WorkflowAttachment, error) {
	name = strings.TrimSpace(name)
	switch {
	case name == "":
		return store.WorkflowAttachment{}, mamori.Errorf(mamori.Invalid, "添付ファイルの名前がありません", "the attachment has no name")
	case utf8.RuneCountInString(name) > maxName || !utf8.ValidString(name):
		return store.WorkflowAttachment{}, mamori.Errorf(mamori.Invalid, "添付ファイルの名前「%s」が長すぎるか壊れています（上限 %d 文字）",
			"attachment name %q is too long or not valid text (at most %d characters)", mamori.Excerpt(name), maxName)
	case strings.ContainsAny(name, "/\\\x00") || strings.ContainsFunc(name, func(r rune) bool { return r < 0x20 || r == 0x7f }):
		return store.WorkflowAttachment{}, mamori.Errorf(mamori.Invalid, "添付ファイルの名前「%s」に使えない文字があります",
			"attachment name %q holds a path separator or a control character", mamori.Excerpt(name))
	}
	if len(content) == 0 {
		return store.WorkflowAttachment{}, mamori.Errorf(mamori.Invalid, "添付ファイル「%s」が空です", "attachment %q is empty", name)
	}
	if int64(len(content)) > limit {
		return store.WorkflowAttachment{}, mamori.Errorf(mamori.Invalid, "添付ファイル「%s」が大きすぎます（%d バイト、上限 %d バイト）",
			"attachment %q is too large (%d bytes, at most %d)", name, len(content), limit)
	}
	sniffed := Sniff(content)
	if sniffed == "" {
		return store.WorkflowAttachment{}, mamori.Errorf(mamori.Invalid,
			"添付ファイル「%s」の内容は受け付ける形式ではありません（PDF・PNG・JPEG・テキスト・CSV・xlsx・docx）",
			"attachment %q: its content is not of an allowed type (PDF, PNG, JPEG, plain text, CSV, xlsx, docx)", name)
	}
	got := sniffed
	if declared != "" {
		d, _, err := mime.ParseMediaType(declared)
		if err != nil {
			d = declared
		}
		d = strings.ToLower(d)
		switch {
		case d == sniffed:
		case d == CSV && sniffed == Text:
			got = CSV
		case d == "application/octet-stream":
			// The uploader did not know: the content decides.
		default:
			return store.WorkflowAttachment{}, mamori.Errorf(mamori.Invalid,
				"添付ファイル「%s」は %s とされていますが、内容は %s です",
				"attachment %q is declared as %s but its content is %s", name, mamori.Excerpt(d), sniffed)
		}
	}
	sum := sha256.Sum256(content)
	return store.WorkflowAttachment{Name: name, MediaType: got, Size: int64(len(content)),
		SHA256: hex.EncodeToString(sum[:]), Content: bytes.Clone(content)}, nil
}
