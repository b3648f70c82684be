package forum_test

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"mamori/internal/forum"
)

// FuzzText: whatever a form or a JSON body carries, CheckText either
// refuses it or accepts only valid UTF-8 without control characters (line
// breaks and tabs in a body), within its bound; Fold and Snippet never
// panic and keep valid text valid (what the pages, the index and a search
// result show).
func FuzzText(f *testing.F) {
	for _, s := range []string{"二要素認証を導入しました", "ﾏｲﾅﾝﾊﾞｰ", "ＬＧＷＡＮ接続系", "a\x00b", "\xff\xfe", "行1\n行2\t", "\u202e", "%_\\\""} {
		f.Add(s, "要素")
	}
	f.Fuzz(func(t *testing.T, s, q string) {
		for _, multi := range []bool{false, true} {
			if err := forum.CheckText("本文", "body", s, 50, multi); err == nil {
				if !utf8.ValidString(s) || utf8.RuneCountInString(s) > 50 || strings.TrimSpace(s) == "" {
					t.Fatalf("accepted %q", s)
				}
				for _, r := range s {
					if unicode.IsControl(r) && !(multi && (r == '\n' || r == '\r' || r == '\t')) {
						t.Fatalf("accepted control %q in %q", r, s)
					}
				}
			} else if !strings.Contains(err.Error(), "body") {
				t.Fatalf("refusal does not name the field: %v", err)
			}
		}
		folded := forum.Fold(s)
		if utf8.ValidString(s) && !utf8.ValidString(folded) {
			t.Fatalf("Fold(%q) = %q is not UTF-8", s, folded)
		}
		sn := forum.Snippet(s, q, 20)
		if utf8.ValidString(s) && !utf8.ValidString(sn) {
			t.Fatalf("Snippet(%q, %q) = %q is not UTF-8", s, q, sn)
		}
	})
}
