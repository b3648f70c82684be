package workflow

import (
	"context"

	"mamori"
	"mamori/internal/store"
)

// An item outside the user's grants answers exactly like a missing one,
// in its time too, or the answer's time would tell another ministry's
// item (a read and a check of grants) from none (a read alone).

// absent spends on a missing item the scope check an existing one gets.
func (s *Service) absent(ctx context.Context, u store.User, err error) {
	if mamori.KindOf(err) == mamori.NotFound {
		s.sees(ctx, u, "") // the same query; its answer does not matter
	}
}

// change is Store.ChangeWorkflowItem for an action of u on an item u may
// see. Visibility is decided first by Item, without the transaction: on
// PostgreSQL the transaction locks an existing row and not a missing
// one, which took measurably longer (2.3 ms against 1.2 ms). decide still
// checks it again on the locked item.
func (s *Service) change(ctx context.Context, u store.User, id int64,
	decide func(cur store.WorkflowItem, f store.WorkflowFacts) (store.WorkflowChange, error)) (store.WorkflowItem, store.WorkflowEvent, error) {
	if _, err := s.Item(ctx, u, id); err != nil {
		return store.WorkflowItem{}, store.WorkflowEvent{}, err
	}
	return s.Store.ChangeWorkflowItem(ctx, id, 0, decide)
}
