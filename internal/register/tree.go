package register

import (
	"context"
	"fmt"

	"mamori"
	"mamori/internal/store"
)

// checkTree refuses organizations the input would make their own ancestor:
// through stored organizations or through the input's rows alone. It
// reads the tree as stored, lays the input's parents over it and reports
// each cycle once, at the parent code of its first row in input order.
// The store refuses such a load too (issue 12, item 1); here the refusal
// names the row. Rows already refused (outside the importer's scope) are
// left alone, so the message cannot describe a part of the tree the
// importer may not see.
func (b *batch) checkTree(ctx context.Context, st *store.Store) error {
	e := mamori.EntityByName("organizations")
	items := b.items[e.Name]
	if len(items) == 0 {
		return nil
	}
	parents, err := st.OrgParents(ctx)
	if err != nil {
		return err
	}
	ki, pi := e.FieldIndex("code"), e.FieldIndex("parent_code")
	moved := make([]bool, len(items))
	for i := range items {
		it := &items[i]
		code, _ := it.rec[ki].(string)
		_, stored := parents[code]
		if stored && it.update != nil && !it.update[pi] {
			continue // the input leaves the parent as it is
		}
		parent, _ := it.rec[pi].(string)
		parents[code] = parent
		moved[i] = true
	}
	refused := map[[3]any]bool{}
	for _, p := range b.problems {
		refused[[3]any{p.Loc.File, p.Loc.Sheet, p.Loc.Row}] = true
	}
	reported := map[string]bool{}
	for i := range items {
		it := &items[i]
		code, _ := it.rec[ki].(string)
		if !moved[i] || reported[code] || refused[[3]any{it.loc.File, it.loc.Sheet, it.loc.Row}] {
			continue
		}
		cycle := store.CycleFrom(parents, code)
		if cycle == nil {
			continue
		}
		for _, c := range cycle {
			reported[c] = true
		}
		loc := it.loc
		loc.Column = e.Fields[pi].Column
		if it.labels != nil && it.labels[pi] != "" {
			loc.Column = it.labels[pi]
		}
		loc.Value, _ = it.rec[pi].(string)
		path := store.CyclePath(cycle)
		b.problemText(loc, fmt.Sprintf("この上位組織では組織「%s」が自らの下位になり、親子関係が循環します（%s）", code, path),
			fmt.Sprintf("this parent makes organization %q its own descendant: the tree would have a cycle (%s)", code, path))
	}
	return nil
}
