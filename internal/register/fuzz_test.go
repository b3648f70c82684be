package register_test

import (
	"bytes"
	"errors"
	"testing"

	"mamori"
	"mamori/internal/register"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// fuzzImport feeds arbitrary bytes to the importer as a file of the given
// name. Whatever the input, Import must not panic, and it either writes
// everything or, with problems, leaves the store exactly as it was.
func fuzzImport(f *testing.F, name string, seeds [][]byte) {
	for _, s := range seeds {
		f.Add(s)
	}
	s := storetest.OpenSQLite(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		// Row counts, not a full snapshot: cheap enough to run per input,
		// and a refused import that wrote anything changes some count.
		before, err := s.Counts(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		_, err = register.Import(t.Context(), s, []register.Input{{Name: name, Data: data}})
		if err != nil {
			if _, ok := errors.AsType[mamori.Problems](err); !ok && mamori.KindOf(err) == mamori.Internal {
				t.Fatalf("Import: internal error %v", err)
			}
			after, cerr := s.Counts(t.Context())
			if cerr != nil {
				t.Fatal(cerr)
			}
			for k := range before {
				if before[k] != after[k] {
					t.Fatalf("refused import changed %s: %d -> %d rows", k, before[k], after[k])
				}
			}
		}
	})
}

func seedStore(f *testing.F) *store.Store {
	s := storetest.OpenSQLite(f)
	err := s.Load(f.Context(), store.LoadOptions{}, func(l *store.Loader) error {
		for _, e := range mamori.Entities {
			if err := l.Put(e, fixture(1)[e.Name]); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		f.Fatal(err)
	}
	return s
}

func FuzzImportCSV(f *testing.F) {
	s := seedStore(f)
	var buf bytes.Buffer
	dir := f.TempDir()
	if err := register.ExportCSV(f.Context(), s, dir); err != nil {
		f.Fatal(err)
	}
	_ = buf
	seeds := [][]byte{
		[]byte("組織コード,種別,名称\nA,府省庁,総務省\n"),
		[]byte("組織コード,種別,名称\nA,nonsense,\n\"unterminated"),
		{0x82, 0xa0, ',', 0x82, 0xa2, '\n'}, // Shift_JIS bytes
	}
	fuzzImport(f, "organizations.csv", seeds)
}

func FuzzImportJSON(f *testing.F) {
	s := seedStore(f)
	var buf bytes.Buffer
	if err := register.Export(f.Context(), s, register.JSON, &buf); err != nil {
		f.Fatal(err)
	}
	fuzzImport(f, "bundle.json", [][]byte{
		buf.Bytes(),
		[]byte(`{"format":"mamori-register","version":1,"organizations":[{"code":"A","kind":"府省庁","name":"x","policy_revised_on":"平成32年4月1日"}]}`),
		[]byte(`{"format":"mamori-register","version":1,"systems":[{"code":1}]}`),
	})
}

func FuzzImportXLSX(f *testing.F) {
	s := seedStore(f)
	var full, tmpl bytes.Buffer
	if err := register.Export(f.Context(), s, register.XLSX, &full); err != nil {
		f.Fatal(err)
	}
	if err := register.Template(&tmpl); err != nil {
		f.Fatal(err)
	}
	fuzzImport(f, "book.xlsx", [][]byte{full.Bytes(), tmpl.Bytes(), []byte("PK\x03\x04 not really a zip")})
}
