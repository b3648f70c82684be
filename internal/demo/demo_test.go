package demo

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"mamori"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// dumpAll reads every record of every entity back from the store.
func dumpAll(t testing.TB, s *store.Store) map[string][]mamori.Record {
	t.Helper()
	out := map[string][]mamori.Record{}
	for _, e := range mamori.Entities {
		err := s.Dump(t.Context(), e, func(r mamori.Record) error {
			out[e.Name] = append(out[e.Name], slices.Clone(r))
			return nil
		})
		if err != nil {
			t.Fatalf("Dump(%s): %v", e.Name, err)
		}
	}
	return out
}

func within(n, want int64, tol float64) bool {
	return math.Abs(float64(n-want)) <= tol*float64(want)
}

// checkDataSet checks a generated data set read back from the store: every
// record valid for its entity, every reference resolving, nothing lost to a
// duplicate key, and the seeded defects present.
func checkDataSet(t *testing.T, s *store.Store, st Stats) map[string][]mamori.Record {
	t.Helper()
	all := dumpAll(t, s)
	stored, err := s.Counts(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range mamori.Entities {
		// Loads upsert, so a duplicate natural key would silently merge two
		// generated records: the counts written and stored must agree.
		if st.Counts[e.Name] != stored[e.Name] && !e.Reference {
			t.Errorf("%s: wrote %d records, store holds %d (duplicate keys?)", e.Name, st.Counts[e.Name], stored[e.Name])
		}
		if len(all[e.Name]) == 0 {
			t.Errorf("%s: no records generated", e.Name)
		}
	}
	// Keys of every entity with a single-column key, for the references.
	keys := map[string]map[any]bool{}
	for _, e := range mamori.Entities {
		if k := e.KeyFields(); len(k) == 1 {
			set := map[any]bool{}
			i := e.FieldIndex(k[0].Column)
			for _, r := range all[e.Name] {
				set[r[i]] = true
			}
			keys[e.Name] = set
		}
	}
	bad := 0
	for _, e := range mamori.Entities {
		for _, r := range all[e.Name] {
			if err := validateRecord(e, r); err != nil {
				if bad++; bad <= 10 {
					t.Errorf("%v in %v", err, r)
				}
			}
			for i, f := range e.Fields {
				if f.Ref != "" && r[i] != nil && !keys[f.Ref][r[i]] {
					if bad++; bad <= 10 {
						t.Errorf("%s.%s = %v: no such %s", e.Name, f.Column, r[i], f.Ref)
					}
				}
			}
		}
	}
	return all
}

// col returns the values of one column of an entity's records.
func col(all map[string][]mamori.Record, entity, column string) []any {
	i := mamori.EntityByName(entity).FieldIndex(column)
	var out []any
	for _, r := range all[entity] {
		out = append(out, r[i])
	}
	return out
}

func count(vs []any, v any) int {
	n := 0
	for _, x := range vs {
		if x == v {
			n++
		}
	}
	return n
}

func TestGenerateSmall(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		st, err := Generate(t.Context(), s, Options{Scale: Small, Seed: 1})
		if err != nil {
			t.Fatalf("Generate: %v", err)
		}
		t.Logf("small generated in %v: %v", st.Elapsed, st.Counts)
		for _, c := range []struct {
			entity string
			want   int64
		}{{"organizations", 10}, {"systems", 60}, {"components", 600}} {
			if n := st.Counts[c.entity]; !within(n, c.want, 0.10) {
				t.Errorf("%s: %d records, want %d ± 10%%", c.entity, n, c.want)
			}
		}
		all := checkDataSet(t, s, st)

		// The seeded defects are there for the checks to find.
		if n := count(col(all, "systems", "in_register"), false); n == 0 {
			t.Error("no unregistered system (REG-01)")
		}
		if n := count(col(all, "systems", "class"), "office_equipment"); n == 0 {
			t.Error("no system filed as office equipment (REG-04)")
		}
		if n := count(col(all, "log_sources", "collected"), false); n == 0 {
			t.Error("no uncollected log source (LOG-01)")
		}
		if n := count(col(all, "audits", "kind"), "out_of_plan"); n == 0 {
			t.Error("no out-of-plan audit (PLN-03)")
		}
		if n := count(col(all, "components", "second_factor"), false); n == 0 {
			t.Error("no terminal without a second factor (LG-01)")
		}
		if n := count(col(all, "cloud_services", "ismap_status"), "none"); n == 0 {
			t.Error("no cloud service off the ISMAP lists (CLD-03)")
		}
		// Software lives on images, and every (image, product, version) once.
		if n := len(all["image_software"]); n < 3*len(all["images"]) || n > 42*len(all["images"]) {
			t.Errorf("%d software rows for %d images, want 3–42 each", n, len(all["images"]))
		}
		// Every vendor-7 clause set is incomplete at the seed's rate, so most
		// outsourcing contracts miss at least one item (OUT-01).
		clauses := map[any]int{}
		for _, r := range all["contract_clauses"] {
			if strings.HasPrefix(r[1].(string), "V") {
				clauses[r[0]]++
			}
		}
		complete := 0
		for _, n := range clauses {
			if n == 7 {
				complete++
			}
		}
		if complete == len(clauses) {
			t.Error("every contract has all seven vendor items (OUT-01)")
		}
	})
}

func TestDeterministic(t *testing.T) {
	gen := func(seed uint64) map[string][]string {
		s := storetest.OpenSQLite(t)
		if _, err := Generate(t.Context(), s, Options{Scale: Small, Seed: seed}); err != nil {
			t.Fatalf("Generate: %v", err)
		}
		return storetest.Snapshot(t, s)
	}
	a, b := gen(42), gen(42)
	if diff := cmp.Diff(a, b); diff != "" {
		t.Errorf("two generations with the same seed differ (-first +second):\n%.2000s", diff)
	}
	if c := gen(43); cmp.Equal(a, c) {
		t.Error("a different seed gave identical data")
	}
}

func TestTodayMovesDates(t *testing.T) {
	s := storetest.OpenSQLite(t)
	today := time.Date(2030, 5, 20, 15, 4, 5, 0, time.Local)
	if _, err := Generate(t.Context(), s, Options{Scale: Small, Seed: 1, Today: today}); err != nil {
		t.Fatalf("Generate: %v", err)
	}
	all := dumpAll(t, s)
	// Most patches are recent relative to Today, and nothing is patched after it.
	var recent, total int
	for _, v := range col(all, "components", "patched_on") {
		if v == nil {
			continue
		}
		total++
		if v.(string) > "2030-05-20" {
			t.Fatalf("patched_on %v after Today", v)
		}
		if v.(string) >= "2030-04-20" {
			recent++
		}
	}
	if recent*10 < total*7 {
		t.Errorf("%d of %d components patched in the 30 days before Today, want most", recent, total)
	}
	// Plans cover Today's fiscal year (FY2030) and the two before it.
	fys := map[any]bool{}
	for _, v := range col(all, "plans", "fiscal_year") {
		fys[v] = true
	}
	if !fys[int64(2028)] || !fys[int64(2030)] || fys[int64(2031)] || fys[int64(2027)] {
		t.Errorf("plan fiscal years %v, want 2028–2030", fys)
	}
}

func TestRefusesNonEmptyStore(t *testing.T) {
	s := storetest.OpenSQLite(t)
	if _, err := Generate(t.Context(), s, Options{Scale: Small, Seed: 1}); err != nil {
		t.Fatalf("Generate: %v", err)
	}
	before := storetest.Snapshot(t, s)
	_, err := Generate(t.Context(), s, Options{Scale: Small, Seed: 2})
	if mamori.KindOf(err) != mamori.Conflict {
		t.Fatalf("second Generate: err = %v, want kind conflict", err)
	}
	if diff := cmp.Diff(before, storetest.Snapshot(t, s)); diff != "" {
		t.Errorf("refused generation changed the store:\n%.1000s", diff)
	}
}

func TestCancelWritesNothing(t *testing.T) {
	s := storetest.OpenSQLite(t)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := Generate(ctx, s, Options{Scale: Small, Seed: 1}); !errors.Is(err, context.Canceled) {
		t.Fatalf("Generate with a cancelled context: err = %v, want context.Canceled", err)
	}
	counts, err := s.Counts(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	for name, n := range counts {
		if n != 0 && !mamori.EntityByName(name).Reference {
			t.Errorf("%s: %d records after a cancelled generation", name, n)
		}
	}
}

func TestParseScale(t *testing.T) {
	for in, want := range map[string]Scale{"small": Small, " City ": City, "NATIONAL": National} {
		if got, err := ParseScale(in); err != nil || got != want {
			t.Errorf("ParseScale(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"", "tiny", "national2"} {
		if _, err := ParseScale(in); mamori.KindOf(err) != mamori.Invalid {
			t.Errorf("ParseScale(%q) err = %v, want kind invalid", in, err)
		}
	}
	if _, err := Generate(t.Context(), storetest.OpenSQLite(t), Options{Scale: "huge"}); mamori.KindOf(err) != mamori.Invalid {
		t.Errorf("Generate(huge) err = %v, want kind invalid", err)
	}
}

// TestScaleSizes checks the model of each scale against its targets without
// writing it anywhere.
func TestScaleSizes(t *testing.T) {
	for _, sc := range []Scale{Small, City, National} {
		if sc == National && testing.Short() {
			continue
		}
		t.Run(string(sc), func(t *testing.T) {
			sw, err := loadSoftware()
			if err != nil {
				t.Fatal(err)
			}
			w := &world{scale: sc, seed: 7, dates: newDateCache(defaultToday()), sw: sw, curFY: 2026}
			w.build()
			var comps int64
			for i := range w.systems {
				comps += int64(w.systems[i].components())
			}
			want := map[Scale][3]int64{Small: {10, 60, 600}, City: {60, 3000, 40000}, National: {1800, 200000, 3000000}}[sc]
			got := [3]int64{int64(len(w.orgs)), int64(len(w.systems)), comps}
			for i, what := range []string{"organizations", "systems", "components"} {
				if !within(got[i], want[i], 0.10) {
					t.Errorf("%s: %d, want %d ± 10%%", what, got[i], want[i])
				}
			}
			t.Logf("%s: %d organizations, %d systems, %d components, %d contracts, %d projects, %d cloud services",
				sc, got[0], got[1], got[2], len(w.contracts), len(w.projects), len(w.clouds))
		})
	}
}

func BenchmarkGenerateCity(b *testing.B) {
	var comps int64
	var elapsed time.Duration
	for b.Loop() {
		b.StopTimer()
		s := storetest.OpenSQLite(b)
		b.StartTimer()
		st, err := Generate(b.Context(), s, Options{Scale: City, Seed: 1})
		if err != nil {
			b.Fatal(err)
		}
		comps += st.Counts["components"]
		elapsed += st.Elapsed
	}
	b.ReportMetric(float64(comps)/elapsed.Seconds(), "components/s")
}

func ExampleParseScale() {
	sc, err := ParseScale("city")
	fmt.Println(sc, err)
	// Output: city <nil>
}

// discard is a loader that drops what it is given, to time the generator alone.
type discard struct{ n int64 }

func (d *discard) Put(_ *mamori.Entity, recs []mamori.Record) error {
	d.n += int64(len(recs))
	return nil
}

// BenchmarkGenerateOnly measures the generator without a store: building the
// model and producing every record of the city scale.
func BenchmarkGenerateOnly(b *testing.B) {
	sw, err := loadSoftware()
	if err != nil {
		b.Fatal(err)
	}
	var recs int64
	for b.Loop() {
		w := &world{scale: City, seed: 1, dates: newDateCache(defaultToday()), sw: sw, curFY: 2026}
		w.build()
		d := &discard{}
		if err := w.emit(b.Context(), d); err != nil {
			b.Fatal(err)
		}
		recs += d.n
	}
	b.ReportMetric(float64(recs)/b.Elapsed().Seconds(), "records/s")
}

// softwareClass classifies one installed product by its identifiers alone
// (purl type, CPE part, vendor and product), independently of how the
// generator chose it.
func softwareClass(cpe, purl string) string {
	if typ, _, ok := strings.Cut(strings.TrimPrefix(purl, "pkg:"), "/"); ok && purl != "" {
		switch typ {
		case "deb", "rpm", "apk", "alpine":
			return "os-package:" + typ
		case "npm", "maven", "golang", "composer", "pypi", "gem", "nuget", "cargo":
			return "language:" + typ
		}
	}
	f := strings.Split(cpe, ":")
	if len(f) < 6 {
		return "unknown"
	}
	part, vp := f[2], f[3]+":"+f[4]
	switch {
	case part == "o" && strings.HasPrefix(f[4], "windows_server"):
		return "server-os"
	case part == "o" && strings.HasPrefix(f[4], "windows_1"):
		return "client-os"
	case vp == "microsoft:365_apps" || strings.HasPrefix(vp, "microsoft:office") || vp == "libreoffice:libreoffice":
		return "office"
	case vp == "google:chrome" || vp == "microsoft:edge_chromium" || strings.HasPrefix(vp, "mozilla:firefox"):
		return "browser"
	case vp == "apache:tomcat" || vp == "apache:http_server" || vp == "postgresql:postgresql" || vp == "f5:nginx" ||
		vp == "microsoft:internet_information_services" || vp == "microsoft:.net_framework" || strings.HasPrefix(vp, "microsoft:sql_server"):
		return "middleware"
	}
	return "unknown"
}

// TestImageRoles checks that every standard image carries what its role
// does (issue 13, item 9): a staff terminal an OS, an office suite and a
// browser and nothing else; a server an OS (one distribution's packages)
// and middleware, never language packages; an application's SBOM one
// ecosystem.
func TestImageRoles(t *testing.T) {
	s := storetest.OpenSQLite(t)
	if _, err := Generate(t.Context(), s, Options{Scale: Small, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	all := dumpAll(t, s)
	names := map[any]string{}
	for _, r := range all["images"] {
		names[r[0]] = r[2].(string)
	}
	ie := mamori.EntityByName("image_software")
	ic, icpe, ipurl := ie.FieldIndex("image_code"), ie.FieldIndex("cpe"), ie.FieldIndex("purl")
	classes := map[any]map[string]int{}
	for _, r := range all["image_software"] {
		cpe, _ := r[icpe].(string)
		purl, _ := r[ipurl].(string)
		if classes[r[ic]] == nil {
			classes[r[ic]] = map[string]int{}
		}
		classes[r[ic]][softwareClass(cpe, purl)]++
	}
	roles := map[string]int{}
	for code, name := range names {
		got := classes[code]
		var role string
		var want, allowed []string
		osPackages := 0
		for c := range got {
			if strings.HasPrefix(c, "os-package:") {
				osPackages++
			}
		}
		switch {
		case strings.Contains(name, "端末"):
			role, want, allowed = "terminal", []string{"client-os", "office", "browser"}, []string{"client-os", "office", "browser"}
		case strings.Contains(name, "Windows Server"):
			role, want, allowed = "windows-server", []string{"server-os", "middleware"}, []string{"server-os", "middleware"}
		case strings.Contains(name, "サーバ"):
			role, want, allowed = "linux-server", []string{"middleware"}, []string{"middleware"}
			if osPackages != 1 {
				t.Errorf("%s (%s): OS packages of %d distributions, want 1: %v", code, name, osPackages, got)
			}
		default:
			t.Errorf("%s: cannot tell the role of %q", code, name)
			continue
		}
		roles[role]++
		for _, c := range want {
			if got[c] == 0 {
				t.Errorf("%s (%s, %s): no %s: %v", code, name, role, c, got)
			}
		}
		for c := range got {
			if !slices.Contains(allowed, c) && !(role == "linux-server" && strings.HasPrefix(c, "os-package:")) {
				t.Errorf("%s (%s, %s) carries %s: %v", code, name, role, c, got)
			}
		}
	}
	if roles["terminal"] == 0 || roles["linux-server"] == 0 {
		t.Errorf("roles %v: want terminal and server images", roles)
	}
	// An application's own SBOM lists one ecosystem.
	ce := mamori.EntityByName("component_software")
	cc, cpurl := ce.FieldIndex("component_code"), ce.FieldIndex("purl")
	ecos := map[any]map[string]bool{}
	for _, r := range all["component_software"] {
		purl, _ := r[cpurl].(string)
		typ, _, _ := strings.Cut(strings.TrimPrefix(purl, "pkg:"), "/")
		if ecos[r[cc]] == nil {
			ecos[r[cc]] = map[string]bool{}
		}
		ecos[r[cc]][typ] = true
	}
	for comp, set := range ecos {
		if len(set) != 1 {
			t.Errorf("component %s: application SBOM spans %v, want one ecosystem", comp, slices.Sorted(maps.Keys(set)))
		}
	}
	t.Logf("images by role: %v; %d application SBOMs", roles, len(ecos))
}
