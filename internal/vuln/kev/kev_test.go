package kev

import (
	"bytes"
	"compress/gzip"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"mamori/internal/vuln"
)

func readSample(t testing.TB) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "kev_sample.json"))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func decodeAll(input, name string) (Catalog, []*vuln.KEV, error) {
	var got []*vuln.KEV
	cat, err := Decode(strings.NewReader(input), name, func(k *vuln.KEV) error {
		got = append(got, k)
		return nil
	})
	return cat, got, err
}

func TestDecodeSample(t *testing.T) {
	cat, got, err := decodeAll(readSample(t), "kev_sample.json")
	if err != nil {
		t.Fatalf("Decode() error: %v", err)
	}
	wantCat := Catalog{
		Title:    "CISA Catalog of Known Exploited Vulnerabilities",
		Version:  "2025.08.25",
		Released: time.Date(2025, 8, 25, 17, 4, 19, 979600000, time.UTC),
		Count:    8,
	}
	if diff := cmp.Diff(wantCat, cat); diff != "" {
		t.Errorf("Decode() catalog (-want +got):\n%s", diff)
	}
	wantWindows := &vuln.KEV{
		CVE:            "CVE-2018-8639",
		VendorProject:  "Microsoft",
		Product:        "Windows",
		Name:           "Microsoft Windows Win32k Improper Resource Shutdown or Release Vulnerability",
		DateAdded:      "2025-03-03",
		DueDate:        "2025-03-24",
		RequiredAction: "Apply mitigations per vendor instructions, follow applicable BOD 22-01 guidance for cloud services, or discontinue use of the product if mitigations are unavailable.",
		Ransomware:     "Known",
		Notes:          "https://msrc.microsoft.com/update-guide/en-US/advisory/CVE-2018-8639 ; https://nvd.nist.gov/vuln/detail/CVE-2018-8639",
		CWEs:           []string{"CWE-404"},
	}
	if len(got) != 8 {
		t.Fatalf("Decode() gave %d entries, want 8", len(got))
	}
	if diff := cmp.Diff(wantWindows, got[3]); diff != "" {
		t.Errorf("entry 4 (-want +got):\n%s", diff)
	}
	if got[0].CVE != "CVE-2025-48384" || !cmp.Equal(got[0].CWEs, []string{"CWE-59", "CWE-436"}) {
		t.Errorf("entry 1 = %s %v, want CVE-2025-48384 [CWE-59 CWE-436]", got[0].CVE, got[0].CWEs)
	}
	if got[4].CVE != "CVE-2018-19410" || got[4].CWEs != nil {
		t.Errorf("entry 5 = %s %#v, want CVE-2018-19410 with nil CWEs for \"cwes\": []", got[4].CVE, got[4].CWEs)
	}
}

func TestDecodeGzip(t *testing.T) {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write([]byte(readSample(t)))
	zw.Close()
	cat, got, err := decodeAll(buf.String(), "kev.json.gz")
	if err != nil || cat.Count != 8 || len(got) != 8 {
		t.Errorf("Decode(gzip) = %+v, %d entries, %v, want 8 entries", cat, len(got), err)
	}
}

func TestDecodeErrors(t *testing.T) {
	sample := readSample(t)
	replace := func(old, new string) string {
		if !strings.Contains(sample, old) {
			t.Fatalf("sample does not contain %q", old)
		}
		return strings.Replace(sample, old, new, 1)
	}
	tests := []struct {
		name          string
		input         string
		want          string // substring of the error
		record, field string // set when a *vuln.RecordError is expected
	}{
		{name: "count too high", input: replace(`"count": 8`, `"count": 9`), want: "count says 9, file holds 8 entries"},
		{name: "count too low", input: replace(`"count": 8`, `"count": 7`), want: "count says 7, file holds 8 entries"},
		{name: "bad cve id", input: replace(`"cveID": "CVE-2024-8068"`, `"cveID": "CVE-24-8068"`),
			want: `bad CVE id "CVE-24-8068"`, record: "CVE-24-8068", field: "cveID"},
		{name: "empty cve id", input: replace(`"cveID": "CVE-2024-8068"`, `"cveID": ""`),
			want: `bad CVE id ""`, record: "entry 2", field: "cveID"},
		{name: "bad dateAdded", input: replace(`"dateAdded": "2025-03-03"`, `"dateAdded": "03/03/2025"`),
			want: `bad date "03/03/2025"`, record: "CVE-2018-8639", field: "dateAdded"},
		{name: "missing dueDate", input: replace(`"dueDate": "2025-03-24",`, ``),
			want: `bad date ""`, record: "CVE-2018-8639", field: "dueDate"},
		{name: "cwes not a list", input: replace(`"cwes": [
                "CWE-404"
            ]`, `"cwes": "CWE-404"`), record: "entry 4", field: "cwes"},
		{name: "bad dateReleased", input: replace(`"dateReleased": "2025-08-25T17:04:19.9796Z"`, `"dateReleased": "2025-08-25"`),
			want: `dateReleased "2025-08-25" is not an RFC 3339 time`},
		{name: "missing count", input: replace(`"count": 8,`, ``), want: "missing count"},
		{name: "truncated", input: sample[:len(sample)/2], want: "truncated after entry"},
		{name: "trailing garbage", input: sample + "]", want: "trailing garbage after entry 8 (CVE-2025-49704)"},
		{name: "empty", input: "", want: "malformed before the first entry"},
		{name: "array", input: "[]", want: "malformed before the first entry"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := decodeAll(tt.input, "kev.json")
			if err == nil {
				t.Fatal("Decode() error = nil, want one")
			}
			if !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "kev.json") {
				t.Errorf("Decode() error = %q, want it to name kev.json and contain %q", err, tt.want)
			}
			if tt.record == "" {
				return
			}
			var re *vuln.RecordError
			if !errors.As(err, &re) || re.Record != tt.record || re.Field != tt.field {
				t.Errorf("Decode() error = %#v, want RecordError for %s field %s", err, tt.record, tt.field)
			}
		})
	}
}

func TestDecodeCallbackError(t *testing.T) {
	stop := errors.New("stop")
	cat, err := Decode(strings.NewReader(readSample(t)), "kev.json", func(*vuln.KEV) error { return stop })
	if err != stop || cat.Count != 0 {
		t.Errorf("Decode() = %+v, %v, want the callback's error as is", cat, err)
	}
}

// TestDecodeReal reads the full shared catalog snapshot (SOURCES.md:
// catalogVersion 2025.08.25, 1,404 entries, 87 of them CVE-2018).
func TestDecodeReal(t *testing.T) {
	f, err := os.Open("../../../../shared/data/vuln/kev/known_exploited_vulnerabilities.json")
	if os.IsNotExist(err) {
		t.Skip("shared KEV catalog not present")
	}
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	y2018, ransomware := 0, 0
	cat, err := Decode(f, "known_exploited_vulnerabilities.json", func(k *vuln.KEV) error {
		if strings.HasPrefix(k.CVE, "CVE-2018-") {
			y2018++
		}
		if k.Ransomware == "Known" {
			ransomware++
		}
		return nil
	})
	if err != nil {
		t.Fatalf("Decode() error: %v", err)
	}
	if cat.Version != "2025.08.25" || cat.Count != 1404 || y2018 != 87 || ransomware != 293 {
		t.Errorf("Decode() = %+v, %d CVE-2018, %d ransomware, want 2025.08.25, 1404, 87, 293", cat, y2018, ransomware)
	}
}
