package nvd

import (
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"mamori/internal/vuln"
)

// decodeFile decodes a testdata file and returns every advisory.
func decodeFile(t *testing.T, name string) (Info, []*vuln.Advisory) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	var got []*vuln.Advisory
	info, err := Decode(bytes.NewReader(data), name, func(a *vuln.Advisory) error {
		got = append(got, a)
		return nil
	})
	if err != nil {
		t.Fatalf("Decode(%s) error: %v", name, err)
	}
	return info, got
}

// byID indexes advisories for lookups in tests.
func byID(list []*vuln.Advisory) map[string]*vuln.Advisory {
	m := make(map[string]*vuln.Advisory, len(list))
	for _, a := range list {
		m[a.ID] = a
	}
	return m
}

func utc(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestDecodePage20(t *testing.T) {
	info, got := decodeFile(t, "page20.json")
	wantInfo := Info{Format: Format20, Records: 4, Timestamp: utc("2025-10-22T08:15:00.123Z")}
	if diff := cmp.Diff(wantInfo, info); diff != "" {
		t.Errorf("Decode(page20.json) info (-want +got):\n%s", diff)
	}
	var ids []string
	for _, a := range got {
		ids = append(ids, a.ID)
	}
	if diff := cmp.Diff([]string{"CVE-2024-0012", "CVE-2024-0082", "CVE-2021-44228", "CVE-2024-0100"}, ids); diff != "" {
		t.Errorf("Decode(page20.json) order (-want +got):\n%s", diff)
	}
	m := byID(got)

	panos := m["CVE-2024-0012"]
	if panos.Source != vuln.SourceNVD || !panos.Published.Equal(utc("2024-11-18T16:15:11.683Z")) ||
		!panos.Modified.Equal(utc("2025-10-21T20:19:49.640Z")) || !panos.Withdrawn.IsZero() {
		t.Errorf("CVE-2024-0012 header = %v %v %v %v", panos.Source, panos.Published, panos.Modified, panos.Withdrawn)
	}
	if !strings.HasPrefix(panos.Description, "An authentication bypass in Palo Alto Networks PAN-OS") {
		t.Errorf("CVE-2024-0012 description = %.60q, want the English text", panos.Description)
	}
	wantCVSS := []vuln.CVSS{
		{Version: "4.0", Score: 93, Vector: "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:L/SI:N/SA:N/E:X/CR:X/IR:X/AR:X/MAV:X/MAC:X/MAT:X/MPR:X/MUI:X/MVC:X/MVI:X/MVA:X/MSC:X/MSI:X/MSA:X/S:X/AU:N/R:U/V:C/RE:H/U:Red", Severity: "CRITICAL", Source: "psirt@paloaltonetworks.com"},
		{Version: "3.1", Score: 98, Vector: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", Severity: "CRITICAL", Source: "nvd@nist.gov", Primary: true},
	}
	if diff := cmp.Diff(wantCVSS, panos.CVSS); diff != "" {
		t.Errorf("CVE-2024-0012 CVSS (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"CWE-306"}, panos.CWEs); diff != "" {
		t.Errorf("CVE-2024-0012 CWEs (-want +got):\n%s", diff)
	}
	if len(panos.References) != 3 {
		t.Errorf("CVE-2024-0012 references = %d, want 3", len(panos.References))
	}
	wantKEV := &vuln.KEV{
		CVE:            "CVE-2024-0012",
		Name:           "Palo Alto Networks PAN-OS Management Interface Authentication Bypass Vulnerability",
		DateAdded:      "2024-11-18",
		DueDate:        "2024-12-09",
		RequiredAction: "Apply mitigations per vendor instructions or discontinue use of the product if mitigations are unavailable. Additionally, management interface for affected devices should not be exposed to untrusted networks, including the internet.",
	}
	if diff := cmp.Diff(wantKEV, panos.KEV); diff != "" {
		t.Errorf("CVE-2024-0012 KEV (-want +got):\n%s", diff)
	}
	if len(panos.Configurations) != 1 || len(panos.Configurations[0].Nodes) != 1 {
		t.Fatalf("CVE-2024-0012 configurations = %+v, want one configuration with one node", panos.Configurations)
	}
	matches := panos.Configurations[0].Nodes[0].Matches
	if len(matches) != 9 {
		t.Fatalf("CVE-2024-0012 cpeMatch = %d, want 9 (4 ranges + 5 hotfix builds)", len(matches))
	}
	wantRange := vuln.CPEMatch{Vulnerable: true, Criteria: "cpe:2.3:o:paloaltonetworks:pan-os:*:*:*:*:*:*:*:*",
		MatchCriteriaID: "7D294CCB-C898-444E-BD41-D423B96F8E23", StartIncluding: "10.2.0", EndExcluding: "10.2.12"}
	if diff := cmp.Diff(wantRange, matches[0]); diff != "" {
		t.Errorf("CVE-2024-0012 first range (-want +got):\n%s", diff)
	}
	wantHotfix := vuln.CPEMatch{Vulnerable: true, Criteria: "cpe:2.3:o:paloaltonetworks:pan-os:10.2.12:h1:*:*:*:*:*:*",
		MatchCriteriaID: "FB95D77F-1263-4D47-A0BB-94A6DA937115"}
	if diff := cmp.Diff(wantHotfix, matches[5]); diff != "" {
		t.Errorf("CVE-2024-0012 hotfix CPE (-want +got):\n%s", diff)
	}

	wantAND := []vuln.Configuration{{
		Operator: "AND",
		Nodes: []vuln.Node{
			{Operator: "OR", Matches: []vuln.CPEMatch{{Vulnerable: true, Criteria: "cpe:2.3:a:nvidia:chatrtx:*:*:*:*:*:*:*:*",
				MatchCriteriaID: "6A5FCF42-F605-42F0-B9A5-02348C8D3B22", EndExcluding: "0.2.1"}}},
			{Operator: "OR", Matches: []vuln.CPEMatch{{Vulnerable: false, Criteria: "cpe:2.3:o:microsoft:windows:-:*:*:*:*:*:*:*",
				MatchCriteriaID: "A2572D17-1DE6-457B-99CC-64AFD54487EA"}}},
		},
	}}
	if diff := cmp.Diff(wantAND, m["CVE-2024-0082"].Configurations); diff != "" {
		t.Errorf("CVE-2024-0082 running-on configuration (-want +got):\n%s", diff)
	}
	if m["CVE-2024-0082"].KEV != nil {
		t.Errorf("CVE-2024-0082 KEV = %+v, want nil", m["CVE-2024-0082"].KEV)
	}

	log4j := m["CVE-2021-44228"]
	wantLog4jCVSS := []vuln.CVSS{
		{Version: "3.1", Score: 100, Vector: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", Severity: "CRITICAL", Source: "nvd@nist.gov", Primary: true},
		{Version: "2.0", Score: 93, Vector: "AV:N/AC:M/Au:N/C:C/I:C/A:C", Severity: "HIGH", Source: "nvd@nist.gov", Primary: true},
	}
	if diff := cmp.Diff(wantLog4jCVSS, log4j.CVSS); diff != "" {
		t.Errorf("CVE-2021-44228 CVSS (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"CWE-20", "CWE-400", "CWE-502", "CWE-917"}, log4j.CWEs); diff != "" {
		t.Errorf("CVE-2021-44228 CWEs (-want +got):\n%s", diff)
	}

	rejected := m["CVE-2024-0100"]
	if !rejected.Withdrawn.Equal(rejected.Modified) || rejected.Withdrawn.IsZero() {
		t.Errorf("CVE-2024-0100 Withdrawn = %v, want lastModified %v", rejected.Withdrawn, rejected.Modified)
	}
	if rejected.CVSS != nil || rejected.Configurations != nil {
		t.Errorf("CVE-2024-0100 = %+v, want no scores or configurations", rejected)
	}
}

func TestDecodeFeed11(t *testing.T) {
	info, got := decodeFile(t, "feed11.json")
	wantInfo := Info{Format: Format11, Records: 4, Timestamp: utc("2021-09-11T07:06:00Z")}
	if diff := cmp.Diff(wantInfo, info); diff != "" {
		t.Errorf("Decode(feed11.json) info (-want +got):\n%s", diff)
	}
	m := byID(got)

	jsnapy := m["CVE-2018-0023"]
	if !jsnapy.Published.Equal(utc("2018-04-11T19:29:00Z")) || jsnapy.Source != vuln.SourceNVD {
		t.Errorf("CVE-2018-0023 published, source = %v, %v", jsnapy.Published, jsnapy.Source)
	}
	wantCVSS := []vuln.CVSS{
		{Version: "3.0", Score: 55, Vector: "CVSS:3.0/AV:L/AC:L/PR:L/UI:N/S:U/C:N/I:H/A:N", Severity: "MEDIUM", Source: "nvd@nist.gov", Primary: true},
		{Version: "2.0", Score: 21, Vector: "AV:L/AC:L/Au:N/C:N/I:P/A:N", Severity: "LOW", Source: "nvd@nist.gov", Primary: true},
	}
	if diff := cmp.Diff(wantCVSS, jsnapy.CVSS); diff != "" {
		t.Errorf("CVE-2018-0023 CVSS (-want +got):\n%s", diff)
	}
	wantOR := []vuln.Configuration{{Nodes: []vuln.Node{{Operator: "OR", Matches: []vuln.CPEMatch{
		{Vulnerable: true, Criteria: "cpe:2.3:a:juniper:jsnapy:*:*:*:*:*:*:*:*", EndExcluding: "1.3.0"},
	}}}}}
	if diff := cmp.Diff(wantOR, jsnapy.Configurations); diff != "" {
		t.Errorf("CVE-2018-0023 configurations (-want +got):\n%s", diff)
	}

	// 1.1 nests the "running on" form as AND{children}; 2.0 writes it as a
	// configuration with operator AND.
	wantChildren := []vuln.Configuration{{Operator: "AND", Nodes: []vuln.Node{
		{Operator: "OR", Matches: []vuln.CPEMatch{{Vulnerable: true, Criteria: "cpe:2.3:o:lantronix:mss_firmware:-:*:*:*:*:*:*:*"}}},
		{Operator: "OR", Matches: []vuln.CPEMatch{{Vulnerable: false, Criteria: "cpe:2.3:h:lantronix:mss:-:*:*:*:*:*:*:*"}}},
	}}}
	if diff := cmp.Diff(wantChildren, m["CVE-2018-12925"].Configurations); diff != "" {
		t.Errorf("CVE-2018-12925 configurations (-want +got):\n%s", diff)
	}

	// The one 2018 AND node without children keeps AND on the node itself.
	spring := m["CVE-2018-1258"].Configurations
	if len(spring) != 3 || spring[0].Operator != "" || len(spring[0].Nodes) != 1 || spring[0].Nodes[0].Operator != "AND" ||
		len(spring[0].Nodes[0].Matches) != 2 {
		t.Errorf("CVE-2018-1258 first configuration = %+v, want one AND node with two matches", spring[0])
	}

	if rejected := m["CVE-2018-0143"]; !rejected.Withdrawn.Equal(rejected.Modified) || rejected.Withdrawn.IsZero() {
		t.Errorf("CVE-2018-0143 Withdrawn = %v, want lastModifiedDate %v", rejected.Withdrawn, rejected.Modified)
	}
	if jsnapy.Withdrawn != (time.Time{}) {
		t.Errorf("CVE-2018-0023 Withdrawn = %v, want zero", jsnapy.Withdrawn)
	}
	if m["CVE-2018-0143"].Configurations != nil || m["CVE-2018-0143"].CVSS != nil {
		t.Errorf("CVE-2018-0143 (rejected, no analysis) = %+v, want no configurations or scores", m["CVE-2018-0143"])
	}
}

func TestDecodeOverrides(t *testing.T) {
	info, got := decodeFile(t, "overrides.jsonl")
	if info.Format != Format20Lines || info.Records != 7 || !info.Timestamp.IsZero() {
		t.Errorf("Decode(overrides.jsonl) info = %+v, want %s with 7 records and no timestamp", info, Format20Lines)
	}
	tests := []struct {
		i         int
		id        string
		source    vuln.Source
		published string
		refs      int
	}{
		{0, "CVE-2024-0072", vuln.SourceNVDOverride, "2024-04-05T17:48:13.286Z", 1},
		{2, "CVE-2024-0082", vuln.SourceNVDOverride, "2024-04-08T22:00:35.763Z", 1},
		{3, "CVE-2024-42010", vuln.SourceNVDOverride, "2024-08-05T00:00:00Z", 0},
		{4, "CVE-2024-0248", vuln.SourceNVDOverride, "", 0},
		{5, "CVE-2024-0082", vuln.SourceNVD, "2024-04-08T22:15:07.993Z", 1},
		{6, "CVE-2024-0012", vuln.SourceNVD, "2024-11-18T16:15:11.683Z", 0},
	}
	for _, tt := range tests {
		a := got[tt.i]
		var want time.Time
		if tt.published != "" {
			want = utc(tt.published)
		}
		if a.ID != tt.id || a.Source != tt.source || !a.Published.Equal(want) {
			t.Errorf("record %d = %s %s %v, want %s %s %v", tt.i, a.ID, a.Source, a.Published, tt.id, tt.source, want)
		}
		if tt.refs > 0 && len(a.References) < tt.refs {
			t.Errorf("record %d (%s) references = %v, want at least %d", tt.i, a.ID, a.References, tt.refs)
		}
	}
	if got[0].Description == "" || len(got[0].Configurations) != 1 {
		t.Errorf("record 0 = %+v, want description from the annotation and one configuration", got[0])
	}
	if got[2].Configurations[0].Operator != "AND" || len(got[2].Configurations[0].Nodes) != 2 {
		t.Errorf("CVE-2024-0082 override configuration = %+v, want AND over two nodes", got[2].Configurations)
	}
	if got[4].References == nil {
		t.Errorf("CVE-2024-0248 references = nil, want the cve.references and _annotation.references URLs")
	}
}

// TestDecodeGzip checks that compressed input gives the same records as the
// plain file.
func TestDecodeGzip(t *testing.T) {
	for _, name := range []string{"page20.json", "feed11.json", "overrides.jsonl"} {
		t.Run(name, func(t *testing.T) {
			plainInfo, plain := decodeFile(t, name)
			data, err := os.ReadFile(filepath.Join("testdata", name))
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			zw := gzip.NewWriter(&buf)
			zw.Write(data)
			zw.Close()
			var got []*vuln.Advisory
			info, err := Decode(&buf, name+".gz", func(a *vuln.Advisory) error {
				got = append(got, a)
				return nil
			})
			if err != nil {
				t.Fatalf("Decode(%s.gz) error: %v", name, err)
			}
			if diff := cmp.Diff(plainInfo, info); diff != "" {
				t.Errorf("Decode(%s.gz) info (-plain +gz):\n%s", name, diff)
			}
			if diff := cmp.Diff(plain, got); diff != "" {
				t.Errorf("Decode(%s.gz) records (-plain +gz):\n%s", name, diff)
			}
		})
	}
}

// TestDecodeSingleObject reads one pretty-printed 2.0 cve object, the shape
// of a per-CVE file in NVD mirrors, as a one-record stream.
func TestDecodeSingleObject(t *testing.T) {
	const file = `{
  "id": "CVE-2024-0082",
  "sourceIdentifier": "psirt@nvidia.com",
  "published": "2024-04-08T22:15:07.993",
  "lastModified": "2024-04-09T12:48:04.090",
  "vulnStatus": "Awaiting Analysis",
  "descriptions": [
    {
      "lang": "en",
      "value": "NVIDIA ChatRTX for Windows contains a vulnerability in the UI."
    }
  ],
  "references": [
    {
      "url": "https://nvidia.custhelp.com/app/answers/detail/a_id/5532",
      "source": "psirt@nvidia.com"
    }
  ]
}
`
	var got []*vuln.Advisory
	info, err := Decode(strings.NewReader(file), "CVE-2024-0082.json", func(a *vuln.Advisory) error {
		got = append(got, a)
		return nil
	})
	if err != nil || info.Format != Format20Lines || len(got) != 1 {
		t.Fatalf("Decode() = %+v, %d records, %v, want one %s record", info, len(got), err, Format20Lines)
	}
	want := &vuln.Advisory{
		ID:          "CVE-2024-0082",
		Source:      vuln.SourceNVD,
		Published:   utc("2024-04-08T22:15:07.993Z"),
		Modified:    utc("2024-04-09T12:48:04.090Z"),
		Description: "NVIDIA ChatRTX for Windows contains a vulnerability in the UI.",
		References:  []string{"https://nvidia.custhelp.com/app/answers/detail/a_id/5532"},
	}
	if diff := cmp.Diff(want, got[0]); diff != "" {
		t.Errorf("Decode() record (-want +got):\n%s", diff)
	}
}
