package workflow

import (
	"context"
	"fmt"

	"mamori"
	"mamori/internal/store"
)

// A request naming a contract or a component counts in the checks only
// for one of its own organization's subtree (store.ContractAnswersTo).
// Accepted for any other code, it would count for nothing while its
// approver believed the contract cleared (issue 14 security review), so
// the definitions refuse it when it is made.

// CheckTargetsFunc is a Definition.CheckTargets: it returns a refusal
// (*mamori.Error) for an item naming what it may not, another error when
// the store fails, and nil to accept.
type CheckTargetsFunc func(ctx context.Context, st *store.Store, it store.WorkflowItem) error

// registerTarget returns a CheckTargetsFunc refusing an item whose detail
// names no record (recordJA/EN: 契約, contract) its organization answers
// for. One message for a code that does not exist and one of another
// ministry: a request must not tell what another ministry's register
// holds.
func registerTarget(detail, fieldJA, fieldEN, recordJA, recordEN string, answersTo func(*store.Store, context.Context, string, string) (bool, error)) CheckTargetsFunc {
	return func(ctx context.Context, st *store.Store, it store.WorkflowItem) error {
		code := it.Details[detail]
		if code == "" {
			return nil // a required detail's absence is refused elsewhere
		}
		ok, err := answersTo(st, ctx, it.OrgCode, code)
		if err != nil || ok {
			return err
		}
		return bi(mamori.Invalid,
			fmt.Sprintf("項目「%s」: 「%s」は組織「%s」又はその配下の%sではありません（存在しないか、他の組織のものです）",
				fieldJA, mamori.Excerpt(code), it.OrgCode, recordJA),
			fmt.Sprintf("field %q: %q is not a %s of organization %s or one under it (it does not exist or belongs to another organization)",
				fieldEN, mamori.Excerpt(code), recordEN, it.OrgCode))
	}
}

// contractTarget and componentTarget check the details the checks read.
var (
	contractTarget  = registerTarget(DetailContract, "契約番号", "Contract code", "契約", "contract", (*store.Store).ContractAnswersTo)
	componentTarget = registerTarget(DetailComponent, "機器番号", "Component code", "機器", "component", (*store.Store).ComponentAnswersTo)
)

// checkTargets runs d's CheckTargets on it, if d has one.
func (s *Service) checkTargets(ctx context.Context, d *Definition, it store.WorkflowItem) error {
	if d.CheckTargets == nil {
		return nil
	}
	return d.CheckTargets(ctx, s.Store, it)
}

// setsTarget reports whether a step's details change one of d's target
// details: only then is the item's target checked again, so that an
// export's record of what was taken out is never refused because its
// component has since left the register.
func setsTarget(d *Definition, values map[string]string) bool {
	for name := range values {
		if det, ok := d.Detail(name); ok && det.Target {
			return true
		}
	}
	return false
}
