package register_test

import (
	"errors"
	"strings"
	"testing"

	"mamori"
	"mamori/internal/register"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// TestImportCannotTakeOverSharedImage: a standard image without an
// organization is the central catalogue, shared by every ministry (README,
// "References stay inside the importer's scope"). A system officer of one
// ministry must not re-own it by importing it with their organization's
// code: that hides its software and vulnerabilities from every other
// ministry whose components use it, and lets the officer edit the software
// those components are matched on. Found while attacking issue 12: the
// upsert check compares the stored record's owners, and a shared image has
// none, so nothing is refused.
func TestImportCannotTakeOverSharedImage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		fixture := map[string]string{
			"organizations.csv": "code,parent_code,kind,name\n" +
				"GOV,,government,政府\nMA,GOV,ministry,甲省\nMB,GOV,ministry,乙省\n",
			"systems.csv":        "code,org_code,name,in_register,class,status\nSB,MB,乙システム,true,information_system,operating\n",
			"images.csv":         "code,name\nCENTRAL,政府共通標準イメージ\n",
			"image_software.csv": "image_code,vendor,product,version\nCENTRAL,Apache,Tomcat,9.0.98\n",
			"components.csv":     "code,system_code,kind,image_code\nKB,SB,server,CENTRAL\n",
		}
		if _, err := register.Import(t.Context(), s, inputs(fixture)); err != nil {
			t.Fatalf("load the fixture: %v", err)
		}
		inA := func(org string) bool { return org == "MA" }
		for name, files := range map[string]map[string]string{
			"re-own the image": {"images.csv": "code,org_code,name\nCENTRAL,MA,甲省のイメージ\n"},
			"re-own and add software": {
				"images.csv":         "code,org_code,name\nCENTRAL,MA,甲省のイメージ\n",
				"image_software.csv": "image_code,vendor,product,version\nCENTRAL,Apache,Tomcat,11.0.0\n",
			},
			"add software": {"image_software.csv": "image_code,vendor,product,version\nCENTRAL,Apache,Tomcat,11.0.0\n"},
		} {
			t.Run(name, func(t *testing.T) {
				_, err := register.ImportScoped(t.Context(), s, inputs(files), register.Options{Allow: inA})
				if _, ok := errors.AsType[mamori.Problems](err); !ok {
					t.Errorf("a system officer of MA re-owned the shared image CENTRAL: ImportScoped = %v, want problems", err)
				} else if !strings.Contains(err.Error(), "shared") {
					t.Errorf("the refusal does not say the image is shared: %v", err)
				}
				recs, _, err := s.Find(t.Context(), mamori.EntityByName("images"), store.Filter{In: map[string][]string{"code": {"CENTRAL"}}})
				if err != nil || len(recs) != 1 {
					t.Fatalf("find CENTRAL: %v %v", recs, err)
				}
				if org := recs[0][mamori.EntityByName("images").FieldIndex("org_code")]; org != nil && org != "" {
					t.Errorf("the shared image now belongs to %v", org)
				}
			})
		}
	})
}
