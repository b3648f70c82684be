package register

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"unicode/utf8"

	"mamori"
	"mamori/internal/store"
)

// BundleFormat and BundleVersion identify mamori's JSON register bundle.
const (
	BundleFormat  = "mamori-register"
	BundleVersion = 1
)

// decodeJSON reads a bundle: an object with "format", "version" and an array
// of records per entity, each record an object keyed by column name.
func (b *batch) decodeJSON(in Input) {
	base := mamori.Loc{File: in.Name}
	if b.refused(in.Name, b.lim.CheckJSONDepth(in.Data)) {
		return
	}
	dec := json.NewDecoder(bytes.NewReader(in.Data))
	dec.UseNumber()
	var top map[string]json.RawMessage
	if err := dec.Decode(&top); err != nil {
		if se, ok := errors.AsType[*json.SyntaxError](err); ok {
			b.problemText(base, fmt.Sprintf("JSONとして読めません(%d バイト目)", se.Offset), fmt.Sprintf("not valid JSON: %v", err))
		} else if _, ok := errors.AsType[*json.UnmarshalTypeError](err); ok {
			b.problemText(base, "JSONのオブジェクト({ ... })ではありません", fmt.Sprintf("not a JSON object: %v", err))
		} else {
			b.problemText(base, "JSONとして読めません(途中で終わっています)", fmt.Sprintf("not valid JSON: %v", err))
		}
		return
	}
	var format string
	if raw, ok := top["format"]; !ok || json.Unmarshal(raw, &format) != nil || format != BundleFormat {
		b.problemText(base, fmt.Sprintf("「format」が「%s」ではありません", BundleFormat), fmt.Sprintf("\"format\" is not %q", BundleFormat))
		return
	}
	var version int
	if raw, ok := top["version"]; !ok || json.Unmarshal(raw, &version) != nil || version != BundleVersion {
		b.problemText(base, fmt.Sprintf("「version」は %d のみ対応しています", BundleVersion), fmt.Sprintf("only \"version\" %d is supported", BundleVersion))
		return
	}
	for name := range top {
		if name != "format" && name != "version" && name != "$schema" && mamori.EntityByName(name) == nil {
			loc := base
			loc.Array = name
			b.problem(loc, "不明な台帳項目です", "unknown register entity")
		}
	}
	for _, e := range mamori.Entities {
		raw, ok := top[e.Name]
		if !ok {
			continue
		}
		loc := base
		loc.Array = e.Name
		var objs []map[string]json.RawMessage
		if err := json.Unmarshal(raw, &objs); err != nil {
			b.problem(loc, "レコードの配列ではありません", "not an array of records")
			continue
		}
		if len(objs) > b.lim.Rows {
			b.refused(in.Name, at(b.lim.TooManyRows(), loc))
			continue
		}
		// A record updates the fields it names and keeps the others, as a
		// sheet without a column does: records naming the same fields
		// share one update mask, so that they are written together.
		masks := map[string][]bool{}
		maskKey := make([]byte, len(e.Fields))
		for i, obj := range objs {
			if i%256 == 0 && b.ctx.Err() != nil {
				return
			}
			rowLoc := loc
			rowLoc.Row = i + 1
			if len(obj) > b.lim.Cells {
				b.refused(in.Name, at(b.lim.TooManyCells(), rowLoc))
				continue
			}
			rec := make(mamori.Record, len(e.Fields))
			update := make([]bool, len(e.Fields))
			ok := true
			failed := map[int]bool{}
			cols := make([]string, 0, len(obj))
			for col := range obj {
				cols = append(cols, col)
			}
			slices.Sort(cols) // problems in a stable order
			for _, col := range cols {
				rv := obj[col]
				fl := rowLoc
				fl.Column = col
				fi := e.FieldIndex(col)
				if fi < 0 {
					b.problem(fl, "不明な項目です", "unknown field")
					ok = false
					continue
				}
				update[fi] = true
				v, warns, perr := jsonValue(&e.Fields[fi], rv, b.lim.CellChars)
				if perr != nil {
					fl.Value = jsonText(rv)
				}
				if !b.take(rec, fi, v, warns, perr, fl) {
					ok = false
					failed[fi] = true
				}
			}
			if !b.checkMandatory(e, rec, rowLoc, failed, func(fi int) string { return e.Fields[fi].Column }) {
				ok = false
			}
			if ok {
				for fi, u := range update {
					maskKey[fi] = '0'
					if u {
						maskKey[fi] = '1'
					}
				}
				mask, seen := masks[string(maskKey)]
				if !seen {
					mask = update
					masks[string(maskKey)] = mask
				}
				b.items[e.Name] = append(b.items[e.Name], item{rec: rec, loc: rowLoc, update: mask})
			} else {
				b.reject(e, rec, rowLoc)
			}
		}
	}
}

// jsonText renders a JSON value for a problem's location: a string as its
// text (quoted once, by the location), anything else as written.
func jsonText(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	return string(bytes.TrimSpace(raw))
}

// jsonValue converts one JSON value to the Record value of f. Numbers and
// booleans are taken as such; strings go through the same parser as cells,
// so a hand-written bundle may say "令和7年度" or "はい".
func jsonValue(f *mamori.Field, raw json.RawMessage, maxChars int) (any, []warning, *mamori.Error) {
	// Dispatch on the first byte instead of decoding into an interface:
	// this runs once per value of a bundle that may hold millions.
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return nil, nil, mamori.Errorf(mamori.Invalid, "値が読めません", "unreadable value")
	}
	switch c := raw[0]; {
	case c == 'n' && string(raw) == "null":
		return nil, nil, nil
	case c == '"':
		var x string
		if err := json.Unmarshal(raw, &x); err != nil {
			return nil, nil, mamori.Errorf(mamori.Invalid, "値が読めません", "unreadable value")
		}
		if x == "" {
			return nil, nil, nil
		}
		if len(x) > maxChars && utf8.RuneCountInString(x) > maxChars {
			return nil, nil, mamori.Limits{CellChars: maxChars}.CellTooLong()
		}
		return parseCell(f, x, false)
	case c == 't' || c == 'f':
		if string(raw) != "true" && string(raw) != "false" {
			return nil, nil, mamori.Errorf(mamori.Invalid, "値が読めません", "unreadable value")
		}
		if f.Type != mamori.Bool {
			return nil, nil, mamori.Errorf(mamori.Invalid, "真偽値は指定できません", "a boolean is not allowed here")
		}
		return string(raw) == "true", nil, nil
	case c == '-' || (c >= '0' && c <= '9'):
		switch f.Type {
		case mamori.Integer, mamori.Money, mamori.FiscalYear:
			if _, err := strconv.ParseInt(string(raw), 10, 64); err != nil {
				return nil, nil, mamori.Errorf(mamori.Invalid, "整数ではありません", "not a whole number")
			}
			return parseCell(f, string(raw), false)
		}
		return nil, nil, mamori.Errorf(mamori.Invalid, "数値は指定できません(文字列で指定してください)", "a number is not allowed here (give a string)")
	}
	return nil, nil, mamori.Errorf(mamori.Invalid, "配列やオブジェクトは指定できません", "arrays and objects are not allowed here")
}

// writeJSON writes the whole store as a bundle: one record per line, columns
// in register order, absent values omitted, so the output is stable and
// reads well in a diff.
func writeJSON(ctx context.Context, st *store.Store, w io.Writer) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	fmt.Fprintf(bw, "{\n\"format\": %q,\n\"version\": %d", BundleFormat, BundleVersion)
	var line []byte
	for _, e := range mamori.Entities {
		fmt.Fprintf(bw, ",\n%q: [", e.Name)
		n := 0
		err := st.Dump(ctx, e, func(r mamori.Record) error {
			line = line[:0]
			if n > 0 {
				line = append(line, ',')
			}
			line = append(line, "\n  {"...)
			first := true
			for i, f := range e.Fields {
				if r[i] == nil {
					continue
				}
				if !first {
					line = append(line, ',')
				}
				first = false
				line = strconv.AppendQuote(line, f.Column)
				line = append(line, ':')
				vb, err := json.Marshal(r[i])
				if err != nil {
					return err
				}
				line = append(line, vb...)
			}
			line = append(line, '}')
			n++
			_, err := bw.Write(line)
			return err
		})
		if err != nil {
			return err
		}
		if n > 0 {
			bw.WriteString("\n")
		}
		bw.WriteString("]")
	}
	bw.WriteString("\n}\n")
	return bw.Flush()
}

// at places a limit's refusal at loc.
func at(e *mamori.Error, loc mamori.Loc) *mamori.Error {
	e.Loc = loc
	return e
}
