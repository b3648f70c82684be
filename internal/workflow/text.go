package workflow

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"mamori"
)

// MaxSubject bounds an item's subject in characters: a finding, a system
// code or a short title, shown on every list.
const MaxSubject = 500

// maxUserName bounds a user's name as an action names it (an assignee).
const maxUserName = 200

// checkText refuses a value of the named field (ja, en) that is not
// valid UTF-8, holds a control character (a NUL, an escape; line breaks
// and tabs only where multiline) or is longer than limit characters. The
// same refusal on both stores: PostgreSQL rejects a NUL or broken UTF-8
// that SQLite would store, and answered with no field's name.
func checkText(ja, en, v string, limit int, multiline bool) *mamori.Error {
	if !utf8.ValidString(v) || strings.ContainsFunc(v, func(r rune) bool {
		return unicode.IsControl(r) && !(multiline && (r == '\n' || r == '\r' || r == '\t'))
	}) {
		if multiline {
			return bi(mamori.Invalid, fmt.Sprintf("%sに使えない文字（制御文字や UTF-8 でない文字）があります", ja),
				fmt.Sprintf("the %s holds a control character or text that is not UTF-8", en))
		}
		return bi(mamori.Invalid, fmt.Sprintf("%sに使えない文字（改行・制御文字や UTF-8 でない文字）があります", ja),
			fmt.Sprintf("the %s holds a line break, a control character or text that is not UTF-8", en))
	}
	if n := utf8.RuneCountInString(v); n > limit {
		return bi(mamori.Invalid, fmt.Sprintf("%sが長すぎます（%d 文字、上限 %d 文字）", ja, n, limit),
			fmt.Sprintf("the %s is too long (%d characters, at most %d)", en, n, limit))
	}
	return nil
}

// checkComment checks a comment kept in an item's history.
func checkComment(text string) *mamori.Error {
	return checkText("コメント", "comment", text, MaxComment, true)
}

// texts reports whether every value can be a stored code: UTF-8 without
// a NUL. A look-up by anything else finds nothing on SQLite and fails on
// PostgreSQL, so the callers answer as for a code that exists nowhere.
func texts(vs ...string) bool {
	for _, v := range vs {
		if !utf8.ValidString(v) || strings.ContainsRune(v, 0) {
			return false
		}
	}
	return true
}
