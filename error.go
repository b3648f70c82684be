package mamori

import (
	"errors"
	"fmt"
	"strings"
)

// Kind classifies an error by what the caller can do about it. The list is
// append-only: codes are mapped to HTTP statuses and exit codes elsewhere, and
// reordering would change those mappings.
type Kind int

// The kinds of error.
const (
	Internal        Kind = iota // a bug or an unavailable dependency; details go to the log
	Invalid                     // bad input: the caller must correct it
	NotFound                    // the thing asked for does not exist
	Conflict                    // the request clashes with stored state
	Forbidden                   // authenticated, but not allowed
	Unauthenticated             // who is asking is not known
)

func (k Kind) String() string {
	switch k {
	case Invalid:
		return "invalid"
	case NotFound:
		return "not found"
	case Conflict:
		return "conflict"
	case Forbidden:
		return "forbidden"
	case Unauthenticated:
		return "unauthenticated"
	}
	return "internal"
}

// Loc names the place in an input where a problem was found. Every field is
// optional; Row is 1-based as a spreadsheet user counts rows (the header is row 1).
type Loc struct {
	File  string
	Sheet string
	// Array is the JSON array a record came from, in place of a sheet;
	// Row is then the record's place in the array (1-based) and Column
	// its field.
	Array  string
	Row    int
	Column string
	Value  string
}

// ExcerptLength is how many characters of a value a message quotes.
const ExcerptLength = 64

// Excerpt returns s, or its first ExcerptLength characters and "…" when it
// is longer. Every message that quotes a value from the input goes through
// it: a 200 MB cell must not come back as 400 MB of error text (issue 12,
// item 7). A character cut in two by the input's own damage is dropped.
func Excerpt(s string) string {
	if len(s) <= ExcerptLength {
		return s // at most ExcerptLength bytes, so at most as many characters
	}
	n := 0
	for i := range s {
		if n == ExcerptLength {
			return strings.ToValidUTF8(s[:i], "") + "…"
		}
		n++
	}
	return s
}

// Excerpted returns the location with each part bounded by Excerpt: a sheet
// name, a column (a JSON key) and a value all come from the input.
func (l Loc) Excerpted() Loc {
	l.File, l.Sheet, l.Array, l.Column, l.Value = Excerpt(l.File), Excerpt(l.Sheet), Excerpt(l.Array), Excerpt(l.Column), Excerpt(l.Value)
	return l
}

// String renders the location the way a spreadsheet user reads it:
// file, sheet, row, column and the offending value, each quoted by its
// first ExcerptLength characters at most.
func (l Loc) String() string {
	l = l.Excerpted()
	var parts []string
	if l.File != "" {
		parts = append(parts, l.File)
	}
	if l.Sheet != "" {
		parts = append(parts, "sheet "+l.Sheet)
	}
	if l.Array != "" {
		parts = append(parts, "array "+l.Array)
		if l.Row > 0 {
			parts = append(parts, fmt.Sprintf("record %d", l.Row))
		}
		if l.Column != "" {
			parts = append(parts, "field "+l.Column)
		}
	} else {
		if l.Row > 0 {
			parts = append(parts, fmt.Sprintf("row %d", l.Row))
		}
		if l.Column != "" {
			parts = append(parts, "column "+l.Column)
		}
	}
	if l.Value != "" {
		parts = append(parts, fmt.Sprintf("value %q", l.Value))
	}
	return strings.Join(parts, ", ")
}

// Japanese renders the location in Japanese.
func (l Loc) Japanese() string {
	l = l.Excerpted()
	var parts []string
	if l.File != "" {
		parts = append(parts, l.File)
	}
	if l.Sheet != "" {
		parts = append(parts, "シート「"+l.Sheet+"」")
	}
	if l.Array != "" {
		parts = append(parts, "配列「"+l.Array+"」")
		if l.Row > 0 {
			parts = append(parts, fmt.Sprintf("%d件目", l.Row))
		}
		if l.Column != "" {
			parts = append(parts, "項目「"+l.Column+"」")
		}
	} else {
		if l.Row > 0 {
			parts = append(parts, fmt.Sprintf("%d行目", l.Row))
		}
		switch {
		case strings.Contains(l.Column, "「"):
			parts = append(parts, "列"+l.Column) // already quoted: G「稼働開始日」
		case l.Column != "":
			parts = append(parts, "列「"+l.Column+"」")
		}
	}
	if l.Value != "" {
		parts = append(parts, fmt.Sprintf("値「%s」", l.Value))
	}
	return strings.Join(parts, " ")
}

// Error is mamori's one error type. Message and MessageJA are safe to show a
// user; Err carries internal detail for the log only.
type Error struct {
	Kind      Kind
	Loc       Loc
	Message   string // English, lowercase, no trailing punctuation
	MessageJA string // Japanese
	Err       error
}

// Errorf returns an *Error of the given kind with an English and a Japanese message.
func Errorf(kind Kind, ja, en string, args ...any) *Error {
	return &Error{Kind: kind, Message: fmt.Sprintf(en, args...), MessageJA: fmt.Sprintf(ja, args...)}
}

func (e *Error) Error() string {
	var b strings.Builder
	if loc := e.Loc.String(); loc != "" {
		b.WriteString(loc)
		b.WriteString(": ")
	}
	b.WriteString(e.Message)
	if e.Err != nil && e.Kind == Internal {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Bilingual renders the error for a person in both languages: the location and
// message in Japanese, then in English.
func (e *Error) Bilingual() string {
	ja := e.MessageJA
	if loc := e.Loc.Japanese(); loc != "" {
		ja = loc + ": " + ja
	}
	if ja == "" {
		return e.Error()
	}
	return ja + " / " + e.Error()
}

func (e *Error) Unwrap() error { return e.Err }

// KindOf reports the Kind of err: the Kind of the first *Error in its chain,
// or Internal when there is none.
func KindOf(err error) Kind {
	if e, ok := errors.AsType[*Error](err); ok {
		return e.Kind
	}
	return Internal
}

// Problems is a list of input errors collected while validating a whole input,
// so that a user sees every bad place at once rather than one per attempt.
type Problems []*Error

func (p Problems) Error() string {
	lines := make([]string, len(p))
	for i, e := range p {
		lines[i] = e.Error()
	}
	return fmt.Sprintf("%d problem(s):\n%s", len(p), strings.Join(lines, "\n"))
}
