package jvn

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

var jst = time.FixedZone("JST", 9*60*60)

func jstTime(y int, mo time.Month, d, h, mi, s int) time.Time {
	return time.Date(y, mo, d, h, mi, s, 0, jst).UTC()
}

func decodeFile(t *testing.T, name string) (Format, []*vuln.Advisory, error) {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var got []*vuln.Advisory
	format, err := Decode(f, name, func(a *vuln.Advisory) error {
		got = append(got, a)
		return nil
	})
	return format, got, err
}

func TestDecode(t *testing.T) {
	tests := []struct {
		file   string
		format Format
		want   []*vuln.Advisory
	}{
		{
			file:   "getVulnOverviewList_hnd.rdf",
			format: FormatJVNRSS,
			want: []*vuln.Advisory{
				{
					ID:          "JVNDB-2025-002953",
					Source:      vuln.SourceJVN,
					Aliases:     []string{"CVE-2025-31084"},
					Published:   jstTime(2025, 4, 4, 14, 45, 58),
					Modified:    jstTime(2025, 4, 4, 14, 45, 58),
					Title:       "WordPress 用 Sunshine Photo Cart における信頼できないデータのデシリアライゼーションに関する脆弱性",
					Description: "WordPress 用 Sunshine Photo Cart には、信頼できないデータのデシリアライゼーションに関する脆弱性が存在します。",
					CVSS: []vuln.CVSS{{
						Version: "3.0", Score: 98, Severity: "Critical", Source: "JVN", Primary: true,
						Vector: "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
					}},
					CWEs: []string{"CWE-502"},
					References: []string{
						"https://jvndb.jvn.jp/ja/contents/2025/JVNDB-2025-002953.html",
						"https://www.cve.org/CVERecord?id=CVE-2025-31084",
						"https://nvd.nist.gov/vuln/detail/CVE-2025-31084",
						"https://patchstack.com/database/wordpress/plugin/sunshine-photo-cart/vulnerability/wordpress-sunshine-photo-cart-3-4-10-php-object-injection-vulnerability?_s_id=cve",
					},
					Products: []vuln.Product{{
						CPE:    "cpe:2.3:a:sunshinephotocart:sunshine_photo_cart:*:*:*:*:*:*:*:*",
						Vendor: "Sunshine Photo Cart",
						Name:   "Sunshine Photo Cart",
					}},
				},
				{
					ID:          "JVNDB-2025-002884",
					Source:      vuln.SourceJVN,
					Aliases:     []string{"CVE-2025-23120"},
					Published:   jstTime(2025, 4, 3, 12, 27, 9),
					Modified:    jstTime(2025, 4, 3, 12, 27, 9),
					Title:       "複数の Rockwell Automation 製品における信頼できないデータのデシリアライゼーションの脆弱性",
					Description: "Rockwell Automation が提供する複数の製品には、次の脆弱性が存在します。  　* 信頼できないデータのデシリアライゼーション（CWE-502） - CVE-2025-23120",
					CWEs:        []string{"CWE-502"},
					References: []string{
						"https://jvndb.jvn.jp/ja/contents/2025/JVNDB-2025-002884.html",
						"https://www.cve.org/CVERecord?id=CVE-2025-23120",
						"https://www.cisa.gov/news-events/ics-advisories/icsa-25-091-01",
						"https://jvn.jp/vu/JVNVU99709964/index.html",
					},
					Products: []vuln.Product{
						{
							CPE:    `cpe:2.3:a:rockwellautomation:industrial_data_center_\(idc\)_with_veeam:*:*:*:*:*:*:*:*`,
							Vendor: "Rockwell Automation",
							Name:   "Industrial Data Center (IDC) with Veeam",
						},
						{
							CPE:    `cpe:2.3:a:rockwellautomation:versavirtual_appliance_\(vva\)_with_veeam:*:*:*:*:*:*:*:*`,
							Vendor: "Rockwell Automation",
							Name:   "VersaVirtual Appliance (VVA) with Veeam",
						},
					},
				},
			},
		},
		{
			file:   "jvndb_2008_old_namespace.rdf",
			format: FormatJVNRSS,
			want: []*vuln.Advisory{{
				ID:          "JVNDB-2008-900001",
				Source:      vuln.SourceJVN,
				Aliases:     []string{"CVE-2007-5461"},
				Published:   jstTime(2008, 1, 9, 16, 47, 0),
				Modified:    jstTime(2008, 1, 9, 16, 47, 0),
				Title:       "Apache Tomcat におけるクロスサイトスクリプティングの脆弱性",
				Description: "Apache Tomcat には、クロスサイトスクリプティングの脆弱性が存在します。",
				CVSS: []vuln.CVSS{{
					Version: "2.0", Score: 43, Severity: "Medium", Source: "JVN", Primary: true,
					Vector: "AV:N/AC:M/Au:N/C:N/I:P/A:N",
				}},
				References: []string{
					"https://jvndb.jvn.jp/ja/contents/2008/JVNDB-2008-900001.html",
					"https://www.cve.org/CVERecord?id=CVE-2007-5461",
				},
				Products: []vuln.Product{{
					CPE:    "cpe:2.3:a:apache:tomcat:5.5.25:*:*:*:*:*:*:*",
					Vendor: "Apache Software Foundation",
					Name:   "Apache Tomcat",
				}},
			}},
		},
		{
			file:   "getVulnDetailInfo_hnd_JVNDB-2022-000097.xml",
			format: FormatVULDEF,
			want: []*vuln.Advisory{{
				ID:          "JVNDB-2022-000097",
				Source:      vuln.SourceJVN,
				Aliases:     []string{"CVE-2022-41993", "CVE-2022-46287", "CVE-2022-46288"},
				Published:   jstTime(2022, 12, 15, 12, 4, 51),
				Modified:    jstTime(2024, 5, 29, 17, 39, 51),
				Title:       "電子入札コアシステムにおける複数の脆弱性",
				Description: "一般財団法人日本建設情報総合センターが提供する電子入札コアシステムには、次の複数の脆弱性が存在します。<ul><li>クロスサイトスクリプティング (CWE-79) - CVE-2022-41993</li><li>クロスサイトスクリプティング (CWE-79) - CVE-2022-46287</li><li>オープンリダイレクト (CWE-601) - CVE-2022-46288</li></ul>",
				CVSS: []vuln.CVSS{
					{Version: "2.0", Score: 43, Severity: "Medium", Source: "JVN", Vector: "AV:N/AC:M/Au:N/C:N/I:P/A:N"},
					{Version: "3.0", Score: 61, Severity: "Medium", Source: "JVN", Vector: "CVSS:3.0/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N"},
				},
				CWEs: []string{"CWE-79", "CWE-20"},
				References: []string{
					"https://www.cals.jacic.or.jp/coreconso/pdf/coreconsoinfo20221215.pdf",
					"https://www.cve.org/CVERecord?id=CVE-2022-41993",
					"https://www.cve.org/CVERecord?id=CVE-2022-46287",
					"https://www.cve.org/CVERecord?id=CVE-2022-46288",
					"https://jvn.jp/jp/JVN96321933/index.html",
					"https://nvd.nist.gov/vuln/detail/CVE-2022-41993",
				},
				Products: []vuln.Product{{
					CPE:     "cpe:2.3:a:jacic:electronic_bidding_core_system:*:*:*:*:*:*:*:*",
					Vendor:  "一般財団法人日本建設情報総合センター",
					Name:    "電子入札コアシステム",
					Version: "v6 R4 およびそれ以前のバージョン",
				}},
			}},
		},
		{
			// https:// namespace variants; several VersionNumber statements.
			file:   "getVulnDetailInfo_hnd_JVNDB-2018-009328.xml",
			format: FormatVULDEF,
			want: []*vuln.Advisory{{
				ID:          "JVNDB-2018-009328",
				Source:      vuln.SourceJVN,
				Published:   jstTime(2018, 11, 15, 16, 17, 27),
				Modified:    jstTime(2018, 11, 20, 12, 12, 4),
				Title:       "JP1/VERITAS 製品における複数の脆弱性",
				Description: "JP1/VERITAS 製品に複数の脆弱性が存在します。",
				CVSS: []vuln.CVSS{{
					Version: "3.0", Score: 98, Severity: "Critical", Source: "JVN", Primary: true,
					Vector: "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
				}},
				References: []string{"http://www.hitachi.co.jp/Prod/comp/soft1/global/security/info/vuls/hitachi-sec-2018-133/index.html"},
				Products: []vuln.Product{
					{CPE: "cpe:2.3:a:veritas:netbackup:*:*:*:*:*:*:*:*", Vendor: "ベリタス", Name: "Veritas NetBackup", Version: "7.7"},
					{CPE: "cpe:2.3:a:veritas:netbackup:*:*:*:*:*:*:*:*", Vendor: "ベリタス", Name: "Veritas NetBackup", Version: "8.0"},
					{CPE: "cpe:2.3:a:veritas:netbackup:*:*:*:*:*:*:*:*", Vendor: "ベリタス", Name: "Veritas NetBackup", Version: "8.1"},
					{CPE: "cpe:2.3:a:hitachi:jp1_veritas_netbackup:*:*:*:*:*:*:*:*", Vendor: "日立", Name: "JP1/VERITAS NetBackup", Version: "8.1"},
				},
			}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			format, got, err := decodeFile(t, tt.file)
			if err != nil {
				t.Fatal(err)
			}
			if format != tt.format {
				t.Errorf("format = %q, want %q", format, tt.format)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Decode mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDecodeNewFeed(t *testing.T) {
	// jvndb_new.rdf writes times without seconds and lists CWE-Other.
	_, got, err := decodeFile(t, "jvndb_new.rdf")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Fatalf("got %d advisories, want 2", len(got))
	}
	a := got[0]
	if want := jstTime(2025, 4, 11, 23, 52, 0); !a.Published.Equal(want) || !a.Modified.Equal(want) {
		t.Errorf("Published, Modified = %v, %v; want %v", a.Published, a.Modified, want)
	}
	if a.Products[0].CPE != "cpe:2.3:o:contiki-ng:contiki-ng:*:*:*:*:*:*:*:*" {
		t.Errorf("CPE = %q", a.Products[0].CPE)
	}
	if diff := cmp.Diff([]string{"CWE-749"}, got[1].CWEs); diff != "" {
		t.Errorf("CWEs (-want +got):\n%s", diff)
	}
}

func TestDecodeBadItems(t *testing.T) {
	_, got, err := decodeFile(t, "bad-items.rdf")
	if len(got) != 1 || got[0].ID != "JVNDB-2024-000004" {
		t.Errorf("good items = %v, want only JVNDB-2024-000004", got)
	}
	if !got[0].Published.Equal(time.Date(2024, 1, 4, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("Published = %v", got[0].Published)
	}
	for _, want := range []string{
		`bad-items.rdf: JVNDB-2024-000001: sec:cvss[0]: jvn: CVSS score "9.88"`,
		`bad-items.rdf: JVNDB-2024-000002: sec:cpe[0]: jvn: cpe "cpe:/a:vendor:prod%2": truncated percent escape`,
		`bad-items.rdf: item 3: sec:identifier: jvn: JVNDB id is missing`,
	} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("err = %v\nwant it to contain %q", err, want)
		}
	}
	var re *vuln.RecordError
	if !errors.As(err, &re) {
		t.Errorf("err = %v, want *vuln.RecordError inside", err)
	}
}

func TestDecodeSkipsEmptyElements(t *testing.T) {
	input := `<rdf:RDF xmlns="http://purl.org/rss/1.0/" xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:sec="http://jvn.jp/rss/mod_sec/3.0/">` +
		`<item><sec:identifier>JVNDB-2024-000001</sec:identifier><sec:cpe version="2.2" vendor="" product=""></sec:cpe>` +
		`<sec:cvss score="" severity="" vector="" version="3.0" type="Base"/></item></rdf:RDF>`
	var got []*vuln.Advisory
	if _, err := Decode(strings.NewReader(input), "in.rdf", func(a *vuln.Advisory) error {
		got = append(got, a)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || len(got[0].Products) != 0 || len(got[0].CVSS) != 0 {
		t.Errorf("got %+v, want one advisory without products or scores", got)
	}
}

func TestDecodeStatusError(t *testing.T) {
	_, got, err := decodeFile(t, "status-error.xml")
	if err == nil || !strings.Contains(err.Error(), `errCd="1001"`) || len(got) != 0 {
		t.Errorf("Decode = %v, %v; want the MyJVN error", got, err)
	}
}

func TestDecodeMalformed(t *testing.T) {
	const rss = `<rdf:RDF xmlns="http://purl.org/rss/1.0/" xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:sec="http://jvn.jp/rss/mod_sec/3.0/">`
	const vuldef = `<VULDEF-Document xmlns="http://jvn.jp/vuldef/">`
	tests := map[string]string{
		"empty":             ``,
		"text only":         `hello`,
		"unknown root":      `<feed xmlns="http://www.w3.org/2005/Atom"></feed>`,
		"rdf wrong ns":      `<RDF xmlns="urn:x"></RDF>`,
		"truncated":         rss + `<item><sec:identifier>JVNDB-2024-000001</sec:identifier>`,
		"unclosed root":     rss,
		"second root":       rss + `</rdf:RDF><rdf:RDF/>`,
		"bad id":            rss + `<item><sec:identifier>JVN#1234</sec:identifier></item></rdf:RDF>`,
		"bad cve":           rss + `<item><sec:identifier>JVNDB-2024-000001</sec:identifier><sec:references source="CVE" id="CVE-24-1"/></item></rdf:RDF>`,
		"bad cvss version":  rss + `<item><sec:identifier>JVNDB-2024-000001</sec:identifier><sec:cvss score="5.0" version="5.0"/></item></rdf:RDF>`,
		"bad date":          rss + `<item><sec:identifier>JVNDB-2024-000001</sec:identifier><dcterms:issued xmlns:dcterms="http://purl.org/dc/terms/">2024/01/01</dcterms:issued></item></rdf:RDF>`,
		"score above 10":    vuldef + `<Vulinfo><VulinfoID>JVNDB-2024-000001</VulinfoID><VulinfoData><Impact><Cvss version="3.1"><Base>10.1</Base></Cvss></Impact></VulinfoData></Vulinfo></VULDEF-Document>`,
		"cpe not 2.2":       vuldef + `<Vulinfo><VulinfoID>JVNDB-2024-000001</VulinfoID><VulinfoData><Affected><AffectedItem><Cpe>vendor:product</Cpe></AffectedItem></Affected></VulinfoData></Vulinfo></VULDEF-Document>`,
		"vuldef cve":        vuldef + `<Vulinfo><VulinfoID>JVNDB-2024-000001</VulinfoID><VulinfoData><Related><RelatedItem type="advisory"><Name>Common Vulnerabilities and Exposures (CVE)</Name><VulinfoID>CVE-2024</VulinfoID></RelatedItem></Related></VulinfoData></Vulinfo></VULDEF-Document>`,
		"vuldef no id":      vuldef + `<Vulinfo><VulinfoData/></Vulinfo></VULDEF-Document>`,
		"vuldef bad update": vuldef + `<Vulinfo><VulinfoID>JVNDB-2024-000001</VulinfoID><VulinfoData><DateLastUpdated>soon</DateLastUpdated></VulinfoData></Vulinfo></VULDEF-Document>`,
		"unknown charset":   `<?xml version="1.0" encoding="x-unknown"?>` + rss + `</rdf:RDF>`,
	}
	for name, input := range tests {
		t.Run(name, func(t *testing.T) {
			var got []*vuln.Advisory
			_, err := Decode(strings.NewReader(input), "in.xml", func(a *vuln.Advisory) error {
				got = append(got, a)
				return nil
			})
			if err == nil {
				t.Fatalf("Decode succeeded with %d advisories, want an error", len(got))
			}
			if !strings.HasPrefix(err.Error(), "jvn: in.xml") && !strings.HasPrefix(err.Error(), "in.xml: ") {
				t.Errorf("err = %q, want it to name the input", err)
			}
		})
	}
}

func TestDecodeShiftJIS(t *testing.T) {
	// "脆弱性" in Shift_JIS: older exports were not always UTF-8.
	input := "<?xml version=\"1.0\" encoding=\"Shift_JIS\"?>\n" +
		`<rdf:RDF xmlns="http://purl.org/rss/1.0/" xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:sec="http://jvn.jp/rss/mod_sec/">` +
		"<item><title>\x90\xc6\x8e\xe3\x90\xab</title><sec:identifier>JVNDB-2024-000001</sec:identifier></item></rdf:RDF>"
	var got []*vuln.Advisory
	if _, err := Decode(strings.NewReader(input), "sjis.rdf", func(a *vuln.Advisory) error {
		got = append(got, a)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Title != "脆弱性" {
		t.Errorf("got %+v", got)
	}
}

func TestDecodeStopsOnCallbackError(t *testing.T) {
	f, err := os.Open(filepath.Join("testdata", "jvndb_new.rdf"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	stop := errors.New("stop")
	calls := 0
	_, err = Decode(f, "jvndb_new.rdf", func(*vuln.Advisory) error {
		calls++
		return stop
	})
	if err != stop || calls != 1 {
		t.Errorf("Decode = %v after %d calls, want the callback's error after 1", err, calls)
	}
}
