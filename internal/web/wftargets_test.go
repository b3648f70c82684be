package web_test

import (
	"testing"

	"mamori"
	"mamori/internal/store"
)

// requestTargets adds to treeFixture what the approvals tests name: a
// contract of org and a component of system, which a request must name
// within its own organization's subtree.
func requestTargets(t *testing.T, s *store.Store, org, contract, system, component string) {
	t.Helper()
	err := s.Load(t.Context(), store.LoadOptions{}, func(l *store.Loader) error {
		if err := l.Put(mamori.EntityByName("contracts"), []mamori.Record{rec("contracts", map[string]any{"code": contract, "org_code": org,
			"kind": "outsourcing", "title": "委託" + contract, "vendor": "株式会社テスト"})}); err != nil {
			return err
		}
		return l.Put(mamori.EntityByName("components"), []mamori.Record{rec("components", map[string]any{"code": component,
			"system_code": system, "kind": "terminal"})})
	})
	if err != nil {
		t.Fatal(err)
	}
}
