package check

import "mamori/internal/store"

// Target is the target type a program is evaluated over.
func (p *Program) Target() string { return p.view.Target }

// Fields names the view fields the program's expressions read, so a caller
// can load just those (store.ViewScope.Fields).
func (p *Program) Fields() []string {
	out := make([]string, len(p.fields))
	for i, f := range p.fields {
		out[i] = p.view.Fields[f].Name
	}
	return out
}

// Eval evaluates the program on one target row, without the engine's memo:
// what a side-by-side benchmark compares against another policy engine.
func (p *Program) Eval(today string, row *store.ViewRow) Status {
	return p.eval(today, row).status
}
