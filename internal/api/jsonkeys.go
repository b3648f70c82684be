package api

import (
	"bytes"
	"encoding/json"
	"unicode"
	"unicode/utf8"
)

// repeatedKey returns the first key that an object of the JSON text data
// names twice, and false when none does (or the text is not JSON: the
// decoder says so then). Keys compare as encoding/json matches them to
// fields, without regard to case: {"comment": "a", "Comment": "b"} sets
// one field twice. Go keeps the last value where other readers keep the
// first, so a repeat is refused rather than guessed at.
func repeatedKey(data []byte) (string, bool) {
	type frame struct {
		object, wantKey bool
		keys            map[string]bool
	}
	var stack []*frame
	dec := json.NewDecoder(bytes.NewReader(data))
	for {
		tok, err := dec.Token()
		if err != nil {
			return "", false
		}
		var top *frame
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		switch tok {
		case json.Delim('{'), json.Delim('['):
			if top != nil && top.object {
				top.wantKey = true // after this value, a key
			}
			f := &frame{object: tok == json.Delim('{'), wantKey: true}
			if f.object {
				f.keys = map[string]bool{}
			}
			stack = append(stack, f)
			continue
		case json.Delim('}'), json.Delim(']'):
			stack = stack[:len(stack)-1]
			if len(stack) == 0 {
				return "", false
			}
			continue
		}
		switch {
		case top == nil:
			return "", false // a bare value
		case top.object && top.wantKey:
			key, _ := tok.(string)
			folded := foldKey(key)
			if top.keys[folded] {
				return key, true
			}
			top.keys[folded], top.wantKey = true, false
		case top.object:
			top.wantKey = true
		}
	}
}

// foldKey folds a key as encoding/json does when it matches a field.
func foldKey(s string) string {
	out := make([]rune, 0, utf8.RuneCountInString(s))
	for _, r := range s {
		for {
			r2 := unicode.SimpleFold(r)
			if r2 <= r {
				r = r2
				break
			}
			r = r2
		}
		out = append(out, r)
	}
	return string(out)
}
