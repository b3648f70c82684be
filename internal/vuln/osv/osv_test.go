package osv

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"mamori/internal/vuln"
)

func readTestdata(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestDecodeRecord(t *testing.T) {
	tests := []struct {
		file string
		want *vuln.Advisory
	}{
		{
			file: "GO-2020-0001.json",
			want: &vuln.Advisory{
				ID:          "GO-2020-0001",
				Source:      vuln.SourceOSV,
				Aliases:     []string{"CVE-2020-36567", "GHSA-6vm3-jj99-7229"},
				Published:   time.Date(2021, 4, 14, 20, 4, 52, 0, time.UTC),
				Modified:    time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC),
				Title:       "Arbitrary log line injection in github.com/gin-gonic/gin",
				Description: "The default Formatter for the Logger middleware (LoggerConfig.Formatter), which is included in the Default engine, allows attackers to inject arbitrary log entries by manipulating the request path.",
				References: []string{
					"https://github.com/gin-gonic/gin/pull/2237",
					"https://github.com/gin-gonic/gin/commit/a71af9c144f9579f6dbe945341c1df37aaf09c0d",
				},
				Packages: []vuln.Package{{
					Ecosystem: "Go",
					Name:      "github.com/gin-gonic/gin",
					Ranges: []vuln.Range{{Type: "SEMVER", Events: []vuln.Event{
						{Introduced: "0"}, {Fixed: "1.6.0"},
					}}},
				}},
			},
		},
		{
			file: "GHSA-c2qf-rxjj-qqgw.json",
			want: &vuln.Advisory{
				ID:          "GHSA-c2qf-rxjj-qqgw",
				Source:      vuln.SourceOSV,
				Aliases:     []string{"CVE-2022-25883"},
				Published:   time.Date(2023, 6, 21, 6, 30, 28, 0, time.UTC),
				Modified:    time.Date(2023, 11, 7, 5, 1, 42, 0, time.UTC),
				Title:       "semver vulnerable to Regular Expression Denial of Service",
				Description: "Versions of the package semver before 7.5.2 are vulnerable to Regular Expression Denial of Service (ReDoS) via the function new Range, when untrusted user data is provided as a range.",
				CVSS: []vuln.CVSS{{
					Version: "3.1", Score: 75, Severity: "HIGH", Primary: true,
					Vector: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H",
				}},
				References: []string{"https://nvd.nist.gov/vuln/detail/CVE-2022-25883", "https://github.com/npm/node-semver"},
				Packages: []vuln.Package{
					{Ecosystem: "npm", Name: "semver", PURL: "pkg:npm/semver", Ranges: []vuln.Range{{Type: "ECOSYSTEM", Events: []vuln.Event{{Introduced: "7.0.0"}, {Fixed: "7.5.2"}}}}},
					{Ecosystem: "npm", Name: "semver", PURL: "pkg:npm/semver", Ranges: []vuln.Range{{Type: "ECOSYSTEM", Events: []vuln.Event{{Introduced: "0"}, {Fixed: "5.7.2"}}}}},
					{Ecosystem: "npm", Name: "semver", PURL: "pkg:npm/semver", Ranges: []vuln.Range{{Type: "ECOSYSTEM", Events: []vuln.Event{{Introduced: "6.0.0"}, {Fixed: "6.3.1"}}}}},
				},
			},
		},
		{
			// No schema_version, fractional seconds, a GIT range, a CVSS v4
			// vector (score left at 0) and last_affected.
			file: "PYSEC-2099-0001.json",
			want: &vuln.Advisory{
				ID:          "PYSEC-2099-0001",
				Source:      vuln.SourceOSV,
				Aliases:     []string{"CVE-2021-23336", "GHSA-q2x7-8rv6-6q7h"},
				Published:   time.Date(2021, 2, 10, 17, 15, 0, 0, time.UTC),
				Modified:    time.Date(2021, 8, 27, 3, 22, 8, 993164000, time.UTC),
				Description: "The package python/cpython from 0 and before 3.6.13, from 3.7.0 and before 3.7.10, from 3.8.0 and before 3.8.8, from 3.9.0 and before 3.9.2 are vulnerable to Web Cache Poisoning via urllib.parse.parse_qsl and urllib.parse.parse_qs by using a vector called parameter cloaking.",
				CVSS: []vuln.CVSS{{
					Version: "4.0", Primary: true,
					Vector: "CVSS:4.0/AV:N/AC:H/AT:N/PR:N/UI:P/VC:N/VI:L/VA:L/SC:N/SI:N/SA:N",
				}},
				References: []string{"https://bugs.python.org/issue42967"},
				Packages: []vuln.Package{{
					Ecosystem: "PyPI", Name: "cpython", PURL: "pkg:pypi/cpython",
					Ranges: []vuln.Range{
						{Type: "GIT", Events: []vuln.Event{{Introduced: "0"}, {Fixed: "d9c8e5498e2ba4cf2a42c8e5ddf6ac2f6d2ea1e3"}}},
						{Type: "ECOSYSTEM", Events: []vuln.Event{{Introduced: "0"}, {LastAffected: "3.9.1"}}},
					},
					Versions: []string{"3.9.0", "3.9.1"},
				}},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			got, err := DecodeRecord(readTestdata(t, tt.file), tt.file)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("DecodeRecord mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDecodeRecordWithdrawn(t *testing.T) {
	a, err := DecodeRecord(readTestdata(t, "GO-2022-0617.json"), "GO-2022-0617.json")
	if err != nil {
		t.Fatal(err)
	}
	want := time.Date(2024, 8, 21, 16, 25, 56, 0, time.UTC)
	if !a.Withdrawn.Equal(want) {
		t.Errorf("Withdrawn = %v, want %v", a.Withdrawn, want)
	}
}

func TestDecodeRecordErrors(t *testing.T) {
	tests := []struct {
		file      string
		record    string // RecordError.Record
		field     string // RecordError.Field
		errSubstr string
	}{
		{"bad/ghsa-comparator-fixed.json", "GHSA-5mg8-w23w-74h3", "affected[0].ranges[0].events[1]", `"< 32.0.0" is a comparator expression`},
		{"bad/two-keys.json", "GO-2099-0001", "affected[0].ranges[0].events[0]", "want exactly one"},
		{"bad/range-type.json", "GO-2099-0002", "affected[0].ranges[0].type", `"SEMVERS"`},
		{"bad/schema-2.json", "GO-2099-0003", "schema_version", `"2.0.0"`},
		{"bad/modified.json", "GO-2099-0004", "modified", `"2024-01-01 00:00:00" is not an RFC 3339 time`},
		{"bad/no-id.json", "", "id", "id is empty"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			_, err := DecodeRecord(readTestdata(t, tt.file), tt.file)
			var re *vuln.RecordError
			if !errors.As(err, &re) {
				t.Fatalf("err = %v, want *vuln.RecordError", err)
			}
			if re.File != tt.file || re.Record != tt.record || re.Field != tt.field {
				t.Errorf("RecordError{File:%q Record:%q Field:%q}, want {%q %q %q}", re.File, re.Record, re.Field, tt.file, tt.record, tt.field)
			}
			if !strings.Contains(err.Error(), tt.errSubstr) {
				t.Errorf("err = %q, want it to contain %q", err, tt.errSubstr)
			}
			if !strings.Contains(err.Error(), "osv: ") {
				t.Errorf("err = %q, want the package prefix", err)
			}
		})
	}
}

func TestDecodeRecordMalformed(t *testing.T) {
	tests := map[string]string{
		"not json":            `{"id": "GO-1",`,
		"trailing data":       `{"id": "GO-1", "modified": "2024-01-01T00:00:00Z"} {}`,
		"event not string":    `{"id": "GO-1", "modified": "2024-01-01T00:00:00Z", "affected": [{"ranges": [{"type": "SEMVER", "events": [{"fixed": 1}]}]}]}`,
		"event empty":         `{"id": "GO-1", "modified": "2024-01-01T00:00:00Z", "affected": [{"ranges": [{"type": "SEMVER", "events": [{"fixed": ""}]}]}]}`,
		"unknown event":       `{"id": "GO-1", "modified": "2024-01-01T00:00:00Z", "affected": [{"ranges": [{"type": "SEMVER", "events": [{"patched": "1.0"}]}]}]}`,
		"no events":           `{"id": "GO-1", "modified": "2024-01-01T00:00:00Z", "affected": [{"ranges": [{"type": "SEMVER", "events": []}]}]}`,
		"fixed with spaces":   `{"id": "GO-1", "modified": "2024-01-01T00:00:00Z", "affected": [{"ranges": [{"type": "ECOSYSTEM", "events": [{"fixed": "1.2, 1.3"}]}]}]}`,
		"bad cvss vector":     `{"id": "GO-1", "modified": "2024-01-01T00:00:00Z", "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:X"}]}`,
		"missing modified":    `{"id": "GO-1"}`,
		"published not time":  `{"id": "GO-1", "modified": "2024-01-01T00:00:00Z", "published": "yesterday"}`,
		"id wrong type":       `{"id": 7, "modified": "2024-01-01T00:00:00Z"}`,
		"v4 vector not v4":    `{"id": "GO-1", "modified": "2024-01-01T00:00:00Z", "severity": [{"type": "CVSS_V4", "score": "CVSS:3.1/AV:N"}]}`,
		"not an object":       `[]`,
		"ranges not an array": `{"id": "GO-1", "modified": "2024-01-01T00:00:00Z", "affected": [{"ranges": {}}]}`,
	}
	for name, input := range tests {
		t.Run(name, func(t *testing.T) {
			a, err := DecodeRecord([]byte(input), "x.json")
			if err == nil {
				t.Fatalf("DecodeRecord = %+v, want an error", a)
			}
			var re *vuln.RecordError
			if !errors.As(err, &re) || re.File != "x.json" {
				t.Errorf("err = %#v, want a *vuln.RecordError naming x.json", err)
			}
		})
	}
}

func TestDecodeRecordSkipsUnknownSeverity(t *testing.T) {
	input := `{"id": "USN-1", "modified": "2024-01-01T00:00:00Z", "severity": [{"type": "Ubuntu", "score": "medium"}]}`
	a, err := DecodeRecord([]byte(input), "x.json")
	if err != nil {
		t.Fatal(err)
	}
	if len(a.CVSS) != 0 {
		t.Errorf("CVSS = %+v, want none", a.CVSS)
	}
}
