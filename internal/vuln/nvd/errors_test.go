package nvd

import (
	"bytes"
	"compress/gzip"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"mamori/internal/vuln"
)

// mutate returns testdata file name with old replaced by new once.
func mutate(t *testing.T, name, old, new string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(data, []byte(old)) {
		t.Fatalf("%s does not contain %q", name, old)
	}
	return strings.Replace(string(data), old, new, 1)
}

func readTestdata(t *testing.T, name string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func TestDecodeErrors(t *testing.T) {
	truncatedGzip := func() string {
		var buf bytes.Buffer
		zw := gzip.NewWriter(&buf)
		zw.Write([]byte(readTestdata(t, "feed11.json")))
		zw.Close()
		return buf.String()[:buf.Len()/2]
	}
	tests := []struct {
		name    string
		input   string
		records int      // records passed to fn; -1: any
		want    []string // substrings of the error text
		// record, when set, means the error must be a *vuln.RecordError
		// for that record and field; decoding goes on past that record,
		// so the others are passed to fn.
		record, field string
	}{
		{name: "truncated page", input: readTestdata(t, "truncated.json"), records: 1,
			want: []string{"x.json", "truncated after item 1 (CVE-2024-0012)", "unexpected EOF"}},
		{name: "truncated gzip", input: truncatedGzip(), records: -1,
			want: []string{"x.json", "after item", "unexpected EOF"}},
		{name: "wrong version", input: readTestdata(t, "wrong_version.json"),
			want: []string{"x.json", `wrong schema version "2.1"`}},
		{name: "wrong 1.1 data version", input: mutate(t, "feed11.json", `"CVE_data_version": "4.0"`, `"CVE_data_version": "5.0"`),
			want: []string{`wrong schema version "5.0"`}},
		{name: "trailing garbage", input: readTestdata(t, "trailing_garbage.json"), records: 4,
			want: []string{"x.json", "trailing garbage after item 4 (CVE-2018-0143)"}},
		{name: "second object", input: readTestdata(t, "page20.json") + "{}", records: 4,
			want: []string{"trailing garbage after item 4 (CVE-2024-0100)"}},
		{name: "empty", input: "", want: []string{"x.json: empty file"}},
		{name: "not json", input: "<?xml version=\"1.0\"?>", want: []string{"x.json: not JSON"}},
		{name: "array", input: "[1,2]", want: []string{"not an NVD file"}},
		{name: "empty object", input: "{}", want: []string{"empty top-level object"}},
		{name: "page without list", input: `{"timestamp": "2025-10-22T08:15:00.123", "cve_items": []}`,
			want: []string{"x.json: no vulnerabilities array"}},
		{name: "feed without list", input: `{"CVE_data_type": "CVE"}`, want: []string{"x.json: no CVE_Items array"}},
		{name: "count mismatch", input: mutate(t, "feed11.json", `"CVE_data_numberOfCVEs": "4"`, `"CVE_data_numberOfCVEs": "5"`), records: 4,
			want: []string{"CVE_data_numberOfCVEs says 5, file holds 4"}},
		{name: "bad published", input: mutate(t, "page20.json", `"2024-11-18T16:15:11.683"`, `"18/11/2024"`), records: 3,
			record: "CVE-2024-0012", field: "published", want: []string{`bad timestamp "18/11/2024"`}},
		{name: "empty id", input: mutate(t, "page20.json", `"id": "CVE-2024-0082"`, `"id": ""`), records: 3,
			record: "item 2", field: "id", want: []string{`bad CVE id ""`}},
		{name: "bad score", input: mutate(t, "page20.json", `"baseScore": 9.8`, `"baseScore": 98`), records: 3,
			record: "CVE-2024-0012", field: "metrics", want: []string{`score "98" out of range`}},
		{name: "score of wrong type", input: mutate(t, "page20.json", `"baseScore": 9.8`, `"baseScore": true`), records: 3,
			record: "item 1", field: "cve.metrics.cvssMetricV31.cvssData.baseScore"},
		{name: "unknown operator", input: mutate(t, "page20.json", `"operator": "AND"`, `"operator": "XOR"`), records: 3,
			record: "CVE-2024-0082", field: "configurations[0]", want: []string{`unknown operator "XOR"`}},
		{name: "criteria not cpe 2.3", input: mutate(t, "page20.json", `cpe:2.3:o:microsoft:windows:-:*:*:*:*:*:*:*`, `cpe:/o:microsoft:windows`), records: 3,
			record: "CVE-2024-0082", field: "configurations[0]", want: []string{`criteria "cpe:/o:microsoft:windows"`}},
		{name: "bad KEV date", input: mutate(t, "page20.json", `"cisaActionDue": "2024-12-09"`, `"cisaActionDue": "soon"`), records: 3,
			record: "CVE-2024-0012", field: "cisaActionDue", want: []string{`bad date "soon"`}},
		{name: "element without cve", input: mutate(t, "page20.json", `"cve": {
        "id": "CVE-2024-0082"`, `"cfe": {
        "id": "CVE-2024-0082"`), records: 3, record: "item 2", field: "cve"},
		{name: "1.1 bad date", input: mutate(t, "feed11.json", `"publishedDate": "2018-04-11T19:29Z"`, `"publishedDate": "2018-04-11 19:29"`), records: 3,
			record: "CVE-2018-0023", field: "publishedDate", want: []string{`bad timestamp "2018-04-11 19:29"`}},
		{name: "1.1 nested too deep", input: mutate(t, "feed11.json", `"operator": "OR",
                "children": [],`, `"operator": "OR",
                "children": [{"operator": "OR", "children": [], "cpe_match": []}],`), records: 3,
			record: "CVE-2018-12925", field: "configurations.nodes[0]", want: []string{"nested deeper than one level"}},
		{name: "override id disagrees", input: `{"_annotation":{"cve_id":"CVE-2024-0001"},"cve":{"id":"CVE-2024-0002"}}`,
			record: "CVE-2024-0002", field: "_annotation.cve_id"},
		{name: "override truncated line", input: readTestdata(t, "overrides.jsonl")[:2000], records: 2,
			want: []string{"truncated after item 2 (CVE-2024-0076)"}},
		{name: "override garbage line", input: readTestdata(t, "overrides.jsonl") + "not json\n", records: 7,
			want: []string{"after item 7 (CVE-2024-0012)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			records := 0
			_, err := Decode(strings.NewReader(tt.input), "x.json", func(*vuln.Advisory) error {
				records++
				return nil
			})
			if err == nil {
				t.Fatalf("Decode() error = nil, want one")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("Decode() error = %q, want it to contain %q", err, w)
				}
			}
			if tt.records >= 0 && records != tt.records {
				t.Errorf("Decode() passed %d records before the error, want %d", records, tt.records)
			}
			if tt.record == "" {
				return
			}
			var re *vuln.RecordError
			if !errors.As(err, &re) {
				t.Fatalf("Decode() error = %T %q, want *vuln.RecordError", err, err)
			}
			if re.File != "x.json" || re.Record != tt.record || re.Field != tt.field {
				t.Errorf("RecordError = {%q %q %q}, want {x.json %q %q}", re.File, re.Record, re.Field, tt.record, tt.field)
			}
		})
	}
}

// TestDecodeCallbackError checks that fn's error comes back unwrapped and
// stops decoding.
func TestDecodeCallbackError(t *testing.T) {
	stop := errors.New("stop")
	calls := 0
	info, err := Decode(strings.NewReader(readTestdata(t, "page20.json")), "page20.json", func(*vuln.Advisory) error {
		calls++
		return stop
	})
	if err != stop || calls != 1 || info.Records != 0 {
		t.Errorf("Decode() = %+v, %v after %d calls, want the callback's error as is after 1 call", info, err, calls)
	}
}
