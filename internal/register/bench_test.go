package register_test

import (
	"bytes"
	"fmt"
	"testing"

	"mamori"
	"mamori/internal/register"
	"mamori/internal/store/storetest"
)

// BenchmarkImport imports 2,000 systems with 10 components each, exported
// in each format from a store holding them, into an empty SQLite store, and
// reports records/s. Parsing and validation are included.
func BenchmarkImport(b *testing.B) {
	src := storetest.OpenSQLite(b)
	data := fixture(1)
	sysE, compE := mamori.EntityByName("systems"), mamori.EntityByName("components")
	base := data["systems"][0]
	for i := range 2000 {
		r := append(mamori.Record(nil), base...)
		r[0] = fmt.Sprintf("S%05d", i)
		data["systems"] = append(data["systems"], r)
		for j := range 10 {
			c := append(mamori.Record(nil), data["components"][0]...)
			c[0] = fmt.Sprintf("S%05d-%02d", i, j)
			c[compE.FieldIndex("system_code")] = r[0]
			data["components"] = append(data["components"], c)
		}
	}
	_ = sysE
	loadFixture(b, src, data)
	for _, f := range []register.Format{register.JSON, register.XLSX} {
		var buf bytes.Buffer
		if err := register.Export(b.Context(), src, f, &buf); err != nil {
			b.Fatal(err)
		}
		b.Run(string(f), func(b *testing.B) {
			recs := 0
			for b.Loop() {
				b.StopTimer()
				dst := storetest.OpenSQLite(b)
				b.StartTimer()
				res, err := register.Import(b.Context(), dst, []register.Input{{Name: "bench." + string(f), Data: buf.Bytes()}})
				if err != nil {
					b.Fatal(err)
				}
				for _, n := range res.Written {
					recs += int(n)
				}
			}
			b.ReportMetric(float64(recs)/b.Elapsed().Seconds(), "records/s")
		})
	}
}
