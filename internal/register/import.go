package register

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"mamori"
	"mamori/internal/sheet"
	"mamori/internal/store"
)

// Input is one file to import: its name (shown in error messages; its
// extension decides the format) and its content.
type Input struct {
	Name string
	Data []byte
}

// Result reports what an import wrote and what it accepted with a doubt.
type Result struct {
	Written  map[string]int64 // records upserted, by entity
	Warnings []*mamori.Error
	Omitted  int // problems found beyond MaxProblems and not listed
}

// MaxProblems bounds the problems reported for one import: past it the
// input is plainly the wrong file, and a million lines of errors help no one.
const MaxProblems = 1000

// item is one decoded record with the place it came from.
type item struct {
	rec    mamori.Record
	loc    mamori.Loc
	labels []string // per field, the column it came from as the user names it; shared per table
	update []bool   // per field, whether the input carried it (nil: all); shared per table
}

// batch is everything decoded from the inputs, by entity, in input order.
type batch struct {
	ctx   context.Context // ends at the time limit or with the request
	lim   mamori.Limits
	items map[string][]item
	// rejected holds, by entity, the codes of rows refused while decoding
	// and where they were, so that a row referring to one can say so.
	rejected map[string]map[string]mamori.Loc
	problems mamori.Problems
	warnings []*mamori.Error
	dropped  int
	// badRef marks the items whose owner reference (see ownerFields)
	// checkRefs reported: the scope check then leaves them alone, so a
	// reference gets one problem.
	badRef map[*item]bool
}

// problem records a problem at loc. String and error arguments come from
// the input or carry it, so only their first characters are quoted.
func (b *batch) problem(loc mamori.Loc, ja, en string, args ...any) {
	for i, a := range args {
		switch x := a.(type) {
		case string:
			args[i] = mamori.Excerpt(x)
		case error:
			args[i] = mamori.Excerpt(x.Error())
		}
	}
	e := mamori.Errorf(mamori.Invalid, ja, en, args...)
	e.Loc = loc
	b.add(e)
}

// problemText records a problem whose two messages are already formatted
// (when the Japanese and English texts need different arguments).
func (b *batch) problemText(loc mamori.Loc, ja, en string) {
	b.add(&mamori.Error{Kind: mamori.Invalid, Loc: loc, MessageJA: ja, Message: en})
}

// reject remembers a refused row's code, when its entity has a one-field
// key and the code itself was readable.
func (b *batch) reject(e *mamori.Entity, rec mamori.Record, loc mamori.Loc) {
	keys := e.KeyFields()
	if len(keys) != 1 {
		return
	}
	c, ok := rec[e.FieldIndex(keys[0].Column)].(string)
	if !ok || c == "" {
		return
	}
	if b.rejected == nil {
		b.rejected = map[string]map[string]mamori.Loc{}
	}
	if b.rejected[e.Name] == nil {
		b.rejected[e.Name] = map[string]mamori.Loc{}
	}
	if _, seen := b.rejected[e.Name][c]; !seen {
		b.rejected[e.Name][c] = loc
	}
}

// unreadable reports a file the sheet reader refused. The reader's own
// error is English, so the Japanese half says only what kind of file could
// not be read, unless the error carries a Japanese message of its own.
func (b *batch) unreadable(loc mamori.Loc, ja, en string, err error) {
	if me, ok := errors.AsType[*mamori.Error](err); ok && me.MessageJA != "" {
		ja += ": " + me.MessageJA
	}
	b.problemText(loc, ja, fmt.Sprintf("%s: %v", en, err))
}

func (b *batch) add(e *mamori.Error) {
	if len(b.problems) >= MaxProblems {
		b.dropped++
		return
	}
	// A location keeps the input's value; a copy of its first characters
	// lets the cell itself, perhaps megabytes, be freed.
	e.Loc = e.Loc.Excerpted()
	e.Loc.Value = strings.Clone(e.Loc.Value)
	b.problems = append(b.problems, e)
}

// Import validates every input and, only if all of it is valid, writes it to
// the store in one transaction. When the input is invalid it returns a
// mamori.Problems listing every bad place, and the store is untouched.
func Import(ctx context.Context, st *store.Store, inputs []Input) (Result, error) {
	return ImportScoped(ctx, st, inputs, Options{})
}

// ImportScoped is Import within the limits of opts: a record outside them
// is a problem like any other, so the whole import is refused.
//
// The import stops with the time limit's refusal past opts.Limits.Time, and
// with ctx's error once ctx ends (the request that asked for it has gone).
func ImportScoped(ctx context.Context, st *store.Store, inputs []Input, opts Options) (Result, error) {
	lim := opts.Limits.OrDefault()
	ctx, cancel := lim.WithTimeLimit(ctx)
	defer cancel()
	b := &batch{ctx: ctx, lim: lim, items: map[string][]item{}}
	for _, in := range inputs {
		b.decodeFile(in)
		if err := mamori.Stopped(ctx); err != nil {
			return Result{}, err
		}
	}
	return b.load(ctx, st, opts, nil)
}

// load checks the decoded batch (register items, keys, references, scope,
// the organization tree) and, when nothing is wrong, writes it in one
// transaction. before, when set, runs first inside that transaction: a
// refusal there (a record changed since its editor read it) writes nothing.
func (b *batch) load(ctx context.Context, st *store.Store, opts Options, before func(*store.Loader) error) (Result, error) {
	b.checkRegisterItems()
	b.checkIncidents()
	b.checkKeys()
	var sc *scope
	if opts.Allow != nil {
		var err error
		if sc, err = b.newScope(ctx, st, opts.Allow, opts.AllowOrganizations); err != nil {
			return Result{}, err
		}
	}
	if err := b.checkRefs(ctx, st, sc); err != nil {
		if stop := mamori.Stopped(ctx); stop != nil {
			err = stop
		}
		return Result{}, err
	}
	if sc != nil {
		sc.check()
	}
	if err := b.checkIncidentItems(ctx, st); err != nil {
		return Result{}, err
	}
	if err := b.checkTree(ctx, st); err != nil {
		return Result{}, err
	}
	if len(b.problems) > 0 {
		return Result{Warnings: b.warnings, Omitted: b.dropped}, b.problems
	}
	var written map[string]int64
	err := st.Load(ctx, store.LoadOptions{}, func(l *store.Loader) error {
		if before != nil {
			if err := before(l); err != nil {
				return err
			}
		}
		const chunk = 10000
		for _, e := range mamori.Entities {
			// Items of one table share one update mask: flush whenever it
			// changes, so a sheet without the optional columns does not
			// blank them in records already stored.
			var recs []mamori.Record
			var mask []bool
			flush := func() error {
				if len(recs) == 0 {
					return nil
				}
				err := l.PutColumns(e, mask, recs)
				recs = recs[:0]
				if err != nil {
					return fmt.Errorf("%s: %w", e.JA, err)
				}
				return nil
			}
			for _, it := range b.items[e.Name] {
				if len(recs) == chunk || (len(recs) > 0 && !sameMask(mask, it.update)) {
					if err := flush(); err != nil {
						return err
					}
				}
				mask = it.update
				recs = append(recs, it.rec)
			}
			if err := flush(); err != nil {
				return err
			}
		}
		written = l.Written()
		return nil
	})
	if err != nil {
		if stop := mamori.Stopped(ctx); stop != nil {
			err = stop // the time limit's refusal rather than the driver's "deadline exceeded"
		}
		return Result{Warnings: b.warnings}, err
	}
	return Result{Written: written, Warnings: b.warnings}, nil
}

func sameMask(a, b []bool) bool {
	return len(a) == len(b) && (len(a) == 0 || &a[0] == &b[0])
}

// refused records a file's refusal for a limit of b.lim (a *mamori.Error
// from package sheet), placed in the file, and reports whether err was one.
func (b *batch) refused(file string, err error) bool {
	e, ok := errors.AsType[*mamori.Error](err)
	if !ok || !errors.Is(err, mamori.ErrLimit) {
		return false
	}
	e.Loc.File = file
	b.add(e)
	return true
}

func (b *batch) decodeFile(in Input) {
	loc := mamori.Loc{File: in.Name}
	if int64(len(in.Data)) > b.lim.FileBytes {
		b.refused(in.Name, b.lim.FileTooLarge())
		return
	}
	switch strings.ToLower(filepath.Ext(in.Name)) {
	case ".xlsx":
		tables, err := sheet.ReadXLSX(b.ctx, in.Data, b.lim)
		if b.ctx.Err() != nil || b.refused(in.Name, err) {
			return
		}
		if err != nil {
			b.unreadable(loc, "Excelファイル(.xlsx)として読めません", "cannot read as an Excel workbook", err)
			return
		}
		for _, t := range tables {
			b.decodeTable(in.Name, t, true)
		}
	case ".csv":
		name := strings.TrimSuffix(filepath.Base(in.Name), filepath.Ext(in.Name))
		t, err := sheet.ReadCSV(b.ctx, in.Data, name, b.lim)
		if b.ctx.Err() != nil || b.refused(in.Name, err) {
			return
		}
		if err != nil {
			b.unreadable(loc, "CSVファイルとして読めません(見出し行がないか、UTF-8 でも Shift_JIS でもないか、引用符の閉じ忘れがあります)",
				"cannot read as CSV", err)
			return
		}
		b.decodeTable(in.Name, t, false)
	case ".json":
		b.decodeJSON(in)
	default:
		b.problem(loc, "拡張子から形式がわかりません(.xlsx, .csv, .json)", "unknown file type (want .xlsx, .csv or .json)")
	}
}

// decodeTable turns a sheet or CSV file into records of one entity.
func (b *batch) decodeTable(file string, t sheet.Table, isSheet bool) {
	base := mamori.Loc{File: file}
	if isSheet {
		base.Sheet = t.Name
	}
	e := entityByLabel(t.Name)
	if e == nil {
		var names []string
		for _, e := range mamori.Entities {
			names = append(names, e.JA)
		}
		what, whatEN := "ファイル名", "file name"
		if isSheet {
			what, whatEN = "シート名", "sheet name"
		}
		var codes []string
		for _, e := range mamori.Entities {
			codes = append(codes, e.Name)
		}
		b.problemText(base, fmt.Sprintf("%s「%s」がどの台帳項目にも当たりません(%s のいずれか)", what, mamori.Excerpt(t.Name), strings.Join(names, "、")),
			fmt.Sprintf("%s %q matches no register entity (one of %s)", whatEN, mamori.Excerpt(t.Name), strings.Join(codes, ", ")))
		return
	}
	// Map header cells to fields.
	cols := make([]int, len(t.Header)) // header position -> field index, -1 to ignore
	seen := map[int]int{}
	for i, h := range t.Header {
		cols[i] = -1
		loc := base
		loc.Row, loc.Column, loc.Value = 1, sheet.ColumnName(i), h
		if strings.TrimSpace(h) == "" {
			continue
		}
		fi := fieldByHeader(e, h)
		if fi < 0 {
			b.problem(loc, "不明な列見出しです", "unknown column header")
			continue
		}
		if prev, dup := seen[fi]; dup {
			b.problem(loc, "列「%s」と同じ項目です", "same field as column %s", sheet.ColumnName(prev))
			continue
		}
		seen[fi] = i
		cols[i] = fi
	}
	headerOK := true
	for fi := range e.Fields {
		f := &e.Fields[fi]
		if _, ok := seen[fi]; !ok && f.Mandatory() {
			loc := base
			loc.Row = 1
			b.problemText(loc, fmt.Sprintf("必須の列「%s」がありません", f.JA), fmt.Sprintf("required column %q (%s) is missing", f.JA, f.EN))
			headerOK = false
		}
	}
	if !headerOK {
		return
	}
	labels := make([]string, len(e.Fields))
	update := make([]bool, len(e.Fields))
	for fi := range e.Fields {
		if i, ok := seen[fi]; ok {
			labels[fi] = fmt.Sprintf("%s「%s」", sheet.ColumnName(i), e.Fields[fi].JA)
			update[fi] = true
		}
	}
	for n, row := range t.Rows {
		if n%256 == 0 && b.ctx.Err() != nil {
			return
		}
		if row.Blank() || strings.HasPrefix(strings.TrimSpace(row.Cell(0)), "※") {
			continue // blank, or the template's explanatory row
		}
		rec := make(mamori.Record, len(e.Fields))
		rowLoc := base
		rowLoc.Row = row.Num
		ok := true
		failed := map[int]bool{}
		for i, cell := range row.Cells {
			loc := rowLoc
			loc.Column, loc.Value = sheet.ColumnName(i), cell
			if i >= len(cols) {
				if strings.TrimSpace(cell) != "" {
					b.problem(loc, "見出しのない列に値があります", "value in a column without a header")
					ok = false
				}
				continue
			}
			fi := cols[i]
			if fi < 0 {
				if strings.TrimSpace(cell) != "" && strings.TrimSpace(t.Header[i]) == "" {
					b.problem(loc, "見出しのない列に値があります", "value in a column without a header")
					ok = false
				}
				continue
			}
			f := &e.Fields[fi]
			loc.Column = fmt.Sprintf("%s「%s」", sheet.ColumnName(i), f.JA)
			v, warns, perr := parseCell(f, cell, isSheet)
			if !b.take(rec, fi, v, warns, perr, loc) {
				ok = false
				failed[fi] = true
			}
		}
		if !b.checkMandatory(e, rec, rowLoc, failed, func(fi int) string { return labels[fi] }) {
			ok = false
		}
		if ok {
			b.items[e.Name] = append(b.items[e.Name], item{rec: rec, loc: rowLoc, labels: labels, update: update})
		} else {
			b.reject(e, rec, rowLoc)
		}
	}
}

// take stores a parsed value in rec, or records the problem (or warnings)
// at loc. It reports whether the value was accepted.
func (b *batch) take(rec mamori.Record, fi int, v any, warns []warning, perr *mamori.Error, loc mamori.Loc) bool {
	if perr != nil {
		perr.Loc = loc
		b.add(perr)
		return false
	}
	for _, w := range warns {
		b.warnings = append(b.warnings, &mamori.Error{Kind: mamori.Invalid, Loc: loc, MessageJA: w.ja, Message: w.en})
	}
	rec[fi] = v
	return true
}

// checkMandatory reports each required field a record lacks, and fills
// free-text key parts left empty with "" (their stored "unknown").
func (b *batch) checkMandatory(e *mamori.Entity, rec mamori.Record, loc mamori.Loc, failed map[int]bool, column func(int) string) bool {
	ok := true
	for fi := range e.Fields {
		f := &e.Fields[fi]
		if rec[fi] != nil || failed[fi] {
			continue // present, or already reported as unreadable
		}
		if f.Mandatory() {
			l := loc
			l.Column = column(fi)
			b.problem(l, "必須項目が空です", "required value is empty")
			ok = false
		} else if f.Key {
			rec[fi] = ""
		}
	}
	return ok
}

// checkRegisterItems resolves each register item's field to the systems
// column it names. The field is matched as a sheet's header is (Japanese
// header, English header or column name) and stored as the column's name,
// which is what the checks look up; a name that is no column is refused,
// since an item naming nothing would never be found missing.
func (b *batch) checkRegisterItems() {
	e := mamori.EntityByName("register_items")
	systems := mamori.EntityByName("systems")
	fi := e.FieldIndex("field")
	kept := b.items[e.Name][:0]
	for _, it := range b.items[e.Name] {
		name, _ := it.rec[fi].(string)
		if si := fieldByHeader(systems, name); si >= 0 {
			it.rec[fi] = systems.Fields[si].Column
			kept = append(kept, it)
			continue
		}
		loc := it.loc
		loc.Column = e.Fields[fi].Column
		if it.labels != nil {
			loc.Column = it.labels[fi]
		}
		loc.Value = name
		var ja, en []string
		for _, f := range systems.Fields {
			ja = append(ja, f.JA)
			en = append(en, f.Column)
		}
		b.problemText(loc, fmt.Sprintf("「%s」は%sの項目ではありません。%sの列見出しか列名で指定してください: %s", name, systems.JA, systems.JA, strings.Join(ja, "、")),
			fmt.Sprintf("%q is not a field of %s: give one of its columns (or their headers): %s", name, strings.ToLower(systems.EN), strings.Join(en, ", ")))
	}
	b.items[e.Name] = kept
}

// checkKeys reports records that repeat a natural key already given earlier
// in the input: the second would silently overwrite the first.
func (b *batch) checkKeys() {
	for _, e := range mamori.Entities {
		first := map[string]mamori.Loc{}
		for _, it := range b.items[e.Name] {
			k := keyOf(e, it.rec)
			if prev, dup := first[k]; dup {
				b.problemText(it.loc, fmt.Sprintf("キー「%s」が重複しています(最初の位置: %s)", keyText(e, it.rec), prev.Japanese()),
					fmt.Sprintf("duplicate key %q (first at %s)", keyText(e, it.rec), prev.String()))
				continue
			}
			first[k] = it.loc
		}
	}
}

// checkRefs reports references to records that are neither in the input nor
// already stored. With sc (a scoped import), a stored record outside the
// importer's scope counts as not stored: the reference gets the same
// problem, at the same point, as a code that exists nowhere, so the answer
// does not tell which of another ministry's codes exist.
func (b *batch) checkRefs(ctx context.Context, st *store.Store, sc *scope) error {
	inInput := map[string]map[string]bool{}
	for _, e := range mamori.Entities {
		if len(e.KeyFields()) != 1 {
			continue
		}
		ki := e.FieldIndex(e.KeyFields()[0].Column)
		set := map[string]bool{}
		for _, it := range b.items[e.Name] {
			set[it.rec[ki].(string)] = true
		}
		inInput[e.Name] = set
	}
	// Gather the codes to look up in the store, per referenced entity.
	missing := map[string]map[string]bool{}
	for _, e := range mamori.Entities {
		for fi, f := range e.Fields {
			if f.Ref == "" {
				continue
			}
			for _, it := range b.items[e.Name] {
				if c, ok := it.rec[fi].(string); ok && !inInput[f.Ref][c] {
					if missing[f.Ref] == nil {
						missing[f.Ref] = map[string]bool{}
					}
					missing[f.Ref][c] = true
				}
			}
		}
	}
	stored := map[string]map[string]bool{}
	refNames := make([]string, 0, len(missing))
	for name := range missing {
		refNames = append(refNames, name)
	}
	slices.Sort(refNames)
	for _, name := range refNames {
		codes := make([]string, 0, len(missing[name]))
		for c := range missing[name] {
			codes = append(codes, c)
		}
		slices.Sort(codes)
		found, err := st.ExistingCodes(ctx, mamori.EntityByName(name), codes)
		if err != nil {
			return err
		}
		stored[name] = found
	}
	for _, e := range mamori.Entities {
		for i := range b.items[e.Name] {
			it := &b.items[e.Name][i]
			for fi, f := range e.Fields {
				c, ok := it.rec[fi].(string)
				if f.Ref == "" || !ok || inInput[f.Ref][c] || stored[f.Ref][c] && (sc == nil || sc.visible(f.Ref, c)) {
					continue
				}
				if slices.Contains(ownerFields[e.Name], fi) {
					if b.badRef == nil {
						b.badRef = map[*item]bool{}
					}
					b.badRef[it] = true
				}
				ref := mamori.EntityByName(f.Ref)
				loc := it.loc
				loc.Column = f.Column
				if it.labels != nil {
					loc.Column = it.labels[fi]
				}
				loc.Value = c
				if at, ok := b.rejected[f.Ref][c]; ok {
					b.problemText(loc, fmt.Sprintf("%s「%s」は上で却下された行です(%s)", f.JA, mamori.Excerpt(c), at.Japanese()),
						fmt.Sprintf("%s: refers to %s, rejected above (%s)", f.EN, mamori.Excerpt(c), at.String()))
					continue
				}
				b.problemText(loc, fmt.Sprintf("%s「%s」に該当する%sがありません", f.JA, mamori.Excerpt(c), ref.JA),
					fmt.Sprintf("%s: no %s record with code %q", f.EN, strings.ToLower(ref.EN), mamori.Excerpt(c)))
			}
		}
	}
	return nil
}
