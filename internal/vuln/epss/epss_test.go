package epss

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

const sample = "epss_scores-2026-09-29.csv"

func readFile(t testing.TB, name string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func decodeAll(input string) (Model, []vuln.EPSS, error) {
	var got []vuln.EPSS
	m, err := Decode(strings.NewReader(input), "scores.csv", func(e vuln.EPSS) error {
		got = append(got, e)
		return nil
	})
	return m, got, err
}

func TestDecodeSample(t *testing.T) {
	m, got, err := decodeAll(readFile(t, sample))
	if err != nil {
		t.Fatalf("Decode() error: %v", err)
	}
	want := Model{Version: "v2026.06.15", ScoreDate: time.Date(2026, 9, 29, 12, 0, 22, 0, time.UTC)}
	if diff := cmp.Diff(want, m); diff != "" {
		t.Errorf("Decode() model (-want +got):\n%s", diff)
	}
	if len(got) != 360 {
		t.Fatalf("Decode() gave %d rows, want 360", len(got))
	}
	first := vuln.EPSS{CVE: "CVE-1999-0150", Score: 8495, Percentile: 93056}
	last := vuln.EPSS{CVE: "CVE-2025-59488", Score: 3966, Percentile: 88056}
	if got[0] != first || got[359] != last {
		t.Errorf("Decode() first, last = %+v, %+v, want %+v, %+v", got[0], got[359], first, last)
	}
	for _, e := range got {
		if e.Score < 0 || e.Score > 100000 || e.Percentile < 0 || e.Percentile > 100000 {
			t.Errorf("row %+v out of range", e)
		}
	}
}

func TestDecodeWithoutComment(t *testing.T) {
	m, got, err := decodeAll(readFile(t, "epss_scores-2021-06-01.csv"))
	if err != nil || m != (Model{}) || len(got) != 20 {
		t.Errorf("Decode() = %+v, %d rows, %v, want an empty model and 20 rows", m, len(got), err)
	}
}

func TestDecodeVariants(t *testing.T) {
	tests := []struct {
		name  string
		input string
		want  []vuln.EPSS
	}{
		{"first model, two columns", "cve,epss\nCVE-2021-44228,0.97565\n", []vuln.EPSS{{CVE: "CVE-2021-44228", Score: 97565}}},
		{"CRLF line ends", "#model_version:v2023.03.01,score_date:2023-03-07T00:00:00+0000\r\ncve,epss,percentile\r\nCVE-2021-44228,0.97565,1.00000\r\n", nil},
		{"byte order mark", "\ufeffcve,epss,percentile\nCVE-1999-0001,0.01297,0.79208\n", []vuln.EPSS{{CVE: "CVE-1999-0001", Score: 1297, Percentile: 79208}}},
		{"no final newline", "cve,epss,percentile\nCVE-1999-0001,0.01297,0.79208", []vuln.EPSS{{CVE: "CVE-1999-0001", Score: 1297, Percentile: 79208}}},
		{"header only", "cve,epss,percentile\n", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, got, err := decodeAll(tt.input)
			if tt.name == "CRLF line ends" {
				// FIRST has written score_date with a +0000 offset, which is
				// not RFC 3339; that must fail on line 1, not pass silently.
				var re *vuln.RecordError
				if !errors.As(err, &re) || re.Record != "line 1" || re.Field != "score_date" {
					t.Errorf("Decode() error = %v, want a RecordError for line 1 score_date", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Decode() error: %v", err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Decode() rows (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDecodeGzip(t *testing.T) {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write([]byte(readFile(t, sample)))
	zw.Close()
	m, got, err := decodeAll(buf.String())
	if err != nil || m.Version != "v2026.06.15" || len(got) != 360 {
		t.Errorf("Decode(gzip) = %+v, %d rows, %v, want v2026.06.15 and 360 rows", m, len(got), err)
	}
}

func TestDecodeErrors(t *testing.T) {
	const head = "#model_version:v2026.06.15,score_date:2026-09-29T12:00:22Z\ncve,epss,percentile\n"
	tests := []struct {
		name          string
		input         string
		record, field string // "" record: a plain error
		want          string
	}{
		{"score above 1", head + "CVE-1999-0001,1.5,0.9\n", "line 3", "epss", `"1.5" is greater than 1`},
		{"negative score", head + "CVE-1999-0001,-0.1,0.9\n", "line 3", "epss", `"-0.1" is not a decimal number`},
		{"bad percentile", head + "CVE-1999-0001,0.1,abc\n", "line 3", "percentile", `"abc" is not a decimal number`},
		{"bad id", head + "CVE-1999-0001,0.1,0.2\ncve-1999-0002,0.1,0.2\n", "line 4", "cve", `bad CVE id "cve-1999-0002"`},
		{"too few fields", head + "CVE-1999-0001,0.1\n", "line 3", "", "2 fields"},
		{"too many fields", head + "CVE-1999-0001,0.1,0.2,0.3\n", "line 3", "", "4 fields"},
		{"empty line", head + "\n", "line 3", "", "empty line"},
		{"wrong header", "#model_version:v1,score_date:2026-09-29T12:00:22Z\ncve,score\n", "line 2", "header", `header "cve,score"`},
		{"bad score_date", "#model_version:v1,score_date:yesterday\n", "line 1", "score_date", `"yesterday"`},
		{"bad comment", "#model_version\n", "line 1", "comment", "not key:value"},
		{"empty model", "#model_version:,score_date:2026-09-29T12:00:22Z\n", "line 1", "model_version", "empty model_version"},
		{"no header", "#model_version:v1,score_date:2026-09-29T12:00:22Z\n", "", "", "no header line"},
		{"empty file", "", "", "", "no header line"},
		{"long line", head + strings.Repeat("9", 5000) + "\n", "", "", "line 3 longer than 4096 bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := decodeAll(tt.input)
			if err == nil {
				t.Fatal("Decode() error = nil, want one")
			}
			if !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "scores.csv") {
				t.Errorf("Decode() error = %q, want it to name scores.csv and contain %q", err, tt.want)
			}
			var re *vuln.RecordError
			isRecord := errors.As(err, &re)
			if tt.record == "" {
				if isRecord {
					t.Errorf("Decode() error = %#v, want a plain error", re)
				}
				return
			}
			if !isRecord || re.Record != tt.record || re.Field != tt.field {
				t.Errorf("Decode() error = %#v, want RecordError %s field %q", err, tt.record, tt.field)
			}
		})
	}
}

func TestDecodeCallbackError(t *testing.T) {
	stop := errors.New("stop")
	calls := 0
	_, err := Decode(strings.NewReader(readFile(t, sample)), "scores.csv", func(vuln.EPSS) error {
		calls++
		return stop
	})
	if err != stop || calls != 1 {
		t.Errorf("Decode() = %v after %d calls, want the callback's error as is after 1", err, calls)
	}
}

func TestProbability(t *testing.T) {
	tests := []struct {
		in      string
		want    int
		wantErr bool
	}{
		{"0.03351", 3351, false},
		{"0.88255", 88255, false},
		{"1.00000", 100000, false},
		{"1", 100000, false},
		{"0", 0, false},
		{"0.00000", 0, false},
		{"0.000005", 1, false}, // half rounds away from zero
		{"0.0000049", 0, false},
		{"0.999996", 100000, false},
		{"0.123456789", 12346, false},
		{"00.5", 50000, false},
		{"4.3e-05", 4, false},
		{"4.3E-05", 4, false},
		{"9.7565e-01", 97565, false},
		{"1e-99", 0, false},
		{"1.000001", 100000, false}, // within rounding of 1
		{"1.00001", 0, true},
		{"2", 0, true},
		{"10", 0, true},
		{"1e5", 0, true},
		{"", 0, true},
		{".5", 0, true},
		{"0.", 0, true},
		{"-0.1", 0, true},
		{"0.5.5", 0, true},
		{"1e", 0, true},
		{"1e123", 0, true},
		{"NaN", 0, true},
	}
	for _, tt := range tests {
		got, err := probability(tt.in)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("probability(%q) = %d, %v, want %d, error %v", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}
