package osv

import (
	"archive/zip"
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"mamori/internal/vuln"
)

// goDataDir holds the Go vulnerability database in OSV form (see its
// SOURCES.md); it is large, so tests that need it skip when it is absent.
const goDataDir = "../../../../shared/data/osv-go"

var goodRecords = []string{"GHSA-c2qf-rxjj-qqgw.json", "GO-2020-0001.json", "GO-2022-0617.json", "PYSEC-2099-0001.json"}

func collectIDs(t *testing.T, walk func(fn func(*vuln.Advisory) error) error) ([]string, error) {
	t.Helper()
	var ids []string
	err := walk(func(a *vuln.Advisory) error {
		ids = append(ids, a.ID)
		return nil
	})
	return ids, err
}

func TestWalkFile(t *testing.T) {
	ids, err := collectIDs(t, func(fn func(*vuln.Advisory) error) error {
		return Walk(filepath.Join("testdata", "GO-2020-0001.json"), fn)
	})
	if err != nil || !slices.Equal(ids, []string{"GO-2020-0001"}) {
		t.Errorf("Walk = %v, %v", ids, err)
	}
}

func TestWalkDirReportsEveryBadRecord(t *testing.T) {
	ids, err := collectIDs(t, func(fn func(*vuln.Advisory) error) error {
		return Walk("testdata", fn)
	})
	// Good records are delivered in lexical path order although bad ones
	// sit beside them.
	if want := []string{"GHSA-c2qf-rxjj-qqgw", "GO-2020-0001", "GO-2022-0617", "PYSEC-2099-0001"}; !slices.Equal(ids, want) {
		t.Errorf("ids = %v, want %v", ids, want)
	}
	bad, _ := filepath.Glob(filepath.Join("testdata", "bad", "*.json"))
	for _, f := range bad {
		if !strings.Contains(err.Error(), f+": ") {
			t.Errorf("err does not name %s:\n%v", f, err)
		}
	}
	var re *vuln.RecordError
	if !errors.As(err, &re) {
		t.Errorf("err = %v, want *vuln.RecordError inside", err)
	}
	if !strings.Contains(err.Error(), "GHSA-5mg8-w23w-74h3") {
		t.Errorf("err does not name the GHSA record:\n%v", err)
	}
}

func TestWalkStopsOnCallbackError(t *testing.T) {
	stop := errors.New("stop")
	calls := 0
	err := Walk("testdata", func(*vuln.Advisory) error {
		calls++
		return stop
	})
	if err != stop || calls != 1 {
		t.Errorf("Walk = %v after %d calls, want the callback's error after 1", err, calls)
	}
}

func TestWalkMissingPath(t *testing.T) {
	if err := Walk(filepath.Join("testdata", "absent.json"), func(*vuln.Advisory) error { return nil }); err == nil {
		t.Error("Walk of a missing path succeeded")
	}
}

// writeZip builds an all.zip-like archive from testdata files; members
// are stored under the names given, in reverse order to show that the
// walk sorts them.
func writeZip(t *testing.T, members map[string]string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "all.zip")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	names := slices.Sorted(func(yield func(string) bool) {
		for k := range members {
			if !yield(k) {
				return
			}
		}
	})
	slices.Reverse(names)
	for _, name := range names {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(readTestdata(t, members[name])); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestWalkZip(t *testing.T) {
	members := map[string]string{"README.txt": "GO-2020-0001.json"}
	for _, f := range goodRecords {
		members[f] = f
	}
	path := writeZip(t, members)
	ids, err := collectIDs(t, func(fn func(*vuln.Advisory) error) error { return Walk(path, fn) })
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"GHSA-c2qf-rxjj-qqgw", "GO-2020-0001", "GO-2022-0617", "PYSEC-2099-0001"}; !slices.Equal(ids, want) {
		t.Errorf("ids = %v, want %v", ids, want)
	}
}

func TestWalkZipNamesMemberAndRecord(t *testing.T) {
	path := writeZip(t, map[string]string{
		"GO-2020-0001.json":        "GO-2020-0001.json",
		"GHSA-5mg8-w23w-74h3.json": "bad/ghsa-comparator-fixed.json",
	})
	ids, err := collectIDs(t, func(fn func(*vuln.Advisory) error) error { return Walk(path, fn) })
	if !slices.Equal(ids, []string{"GO-2020-0001"}) {
		t.Errorf("ids = %v", ids)
	}
	var re *vuln.RecordError
	if !errors.As(err, &re) {
		t.Fatalf("err = %v, want *vuln.RecordError", err)
	}
	if re.File != path+":GHSA-5mg8-w23w-74h3.json" || re.Record != "GHSA-5mg8-w23w-74h3" {
		t.Errorf("RecordError File=%q Record=%q", re.File, re.Record)
	}
}

func TestWalkReaderNotZip(t *testing.T) {
	data := readTestdata(t, "GO-2020-0001.json")
	err := WalkReader(bytes.NewReader(data), int64(len(data)), "download", func(*vuln.Advisory) error { return nil })
	if err == nil || !strings.Contains(err.Error(), "download") {
		t.Errorf("err = %v, want an error naming the input", err)
	}
}

func TestWalkJSON(t *testing.T) {
	one := string(readTestdata(t, "GO-2020-0001.json"))
	two := string(readTestdata(t, "GHSA-c2qf-rxjj-qqgw.json"))
	tests := []struct {
		name    string
		input   string
		ids     []string
		wantErr bool
	}{
		{"single", one, []string{"GO-2020-0001"}, false},
		{"array", "[" + one + "," + two + "]", []string{"GO-2020-0001", "GHSA-c2qf-rxjj-qqgw"}, false},
		{"lines", one + "\n" + two + "\n", []string{"GO-2020-0001", "GHSA-c2qf-rxjj-qqgw"}, false},
		{"empty", "", nil, false},
		{"bad record kept apart", `{"id": "X-1"}` + "\n" + one, []string{"GO-2020-0001"}, true},
		{"truncated", one + `{"id":`, []string{"GO-2020-0001"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ids, err := collectIDs(t, func(fn func(*vuln.Advisory) error) error {
				return WalkJSON(strings.NewReader(tt.input), "stream", fn)
			})
			if (err != nil) != tt.wantErr || !slices.Equal(ids, tt.ids) {
				t.Errorf("WalkJSON = %v, %v; want %v, error %v", ids, err, tt.ids, tt.wantErr)
			}
		})
	}
}

// TestWalkGoDatabase reads the whole Go vulnerability database snapshot.
// The counts pin the parser's view of real data: a change means records
// are dropped or split.
func TestWalkGoDatabase(t *testing.T) {
	if _, err := os.Stat(goDataDir); err != nil {
		t.Skipf("Go vulnerability data not present: %v", err)
	}
	var records, withdrawn, packages, ranges, events int
	err := Walk(goDataDir, func(a *vuln.Advisory) error {
		records++
		if !a.Withdrawn.IsZero() {
			withdrawn++
		}
		packages += len(a.Packages)
		for _, p := range a.Packages {
			ranges += len(p.Ranges)
			for _, r := range p.Ranges {
				events += len(r.Events)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	got := [5]int{records, withdrawn, packages, ranges, events}
	want := [5]int{4291, 17, 6125, 6125, 12888}
	if got != want {
		t.Errorf("records, withdrawn, packages, ranges, events = %v, want %v", got, want)
	}
}
