package demo_test

// TestSelfInspectionCatalogLoads: the demo's questionnaire is a valid
// OSCAL catalog of manual controls only.
import (
	"mamori/internal/catalog"
	"mamori/internal/demo"
	"testing"
)

func TestSelfInspectionCatalogLoads(t *testing.T) {
	c, err := catalog.Load("self-inspection.json", demo.SelfInspectionCatalog())
	if err != nil {
		t.Fatal(err)
	}
	a, m := c.Counts()
	if a != 0 || m != 9 || c.ID != "self-inspection" {
		t.Errorf("%s: %d automated, %d manual", c.ID, a, m)
	}
}
