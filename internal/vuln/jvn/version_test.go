package jvn

import "testing"

func TestParseVersionText(t *testing.T) {
	tests := []struct {
		in   string
		want Bounds
		ok   bool
	}{
		{"1.2.3 およびそれ以前", Bounds{EndIncluding: "1.2.3"}, true},
		{"4.0.6 およびそれ以前のバージョン", Bounds{EndIncluding: "4.0.6"}, true},
		{"Ver.2.1.0 およびそれ以前", Bounds{EndIncluding: "2.1.0"}, true},
		{"バージョン 3.4.2 以前", Bounds{EndIncluding: "3.4.2"}, true},
		{"7.1.0以前の全てのバージョン", Bounds{EndIncluding: "7.1.0"}, true},
		{"１．２．３　およびそれ以前", Bounds{EndIncluding: "1.2.3"}, true}, // full-width digits and space
		{"3.5.1 より前のバージョン", Bounds{EndExcluding: "3.5.1"}, true},
		{"v2.4.0 未満", Bounds{EndExcluding: "v2.4.0"}, true},
		{"2.0.0 から 2.3.1 まで", Bounds{StartIncluding: "2.0.0", EndIncluding: "2.3.1"}, true},
		{"2.0.0から2.3.1までのバージョン", Bounds{StartIncluding: "2.0.0", EndIncluding: "2.3.1"}, true},
		{"8.0 以上 8.5.2 未満", Bounds{StartIncluding: "8.0", EndExcluding: "8.5.2"}, true},
		{"5.0 以降 5.4.1 より前", Bounds{StartIncluding: "5.0", EndExcluding: "5.4.1"}, true},
		{"10.2 以降", Bounds{StartIncluding: "10.2"}, true},
		{"10.2 およびそれ以降", Bounds{StartIncluding: "10.2"}, true},
		{"8.1", Bounds{Exact: "8.1"}, true},
		{"  7.7  ", Bounds{Exact: "7.7"}, true},
		{"Ｖ１２．２Ｒ１", Bounds{Exact: "V12.2R1"}, true}, // full-width letters
		{"4.0.0-beta1", Bounds{Exact: "4.0.0-beta1"}, true},
		{"12.2R1 およびそれ以前", Bounds{EndIncluding: "12.2R1"}, true},

		// Left to a person rather than guessed.
		{"", Bounds{}, false},
		{"全てのバージョン", Bounds{}, false},
		{"v6 R4 およびそれ以前のバージョン", Bounds{}, false}, // version with a space
		{"1.0, 1.1", Bounds{}, false},
		{"Windows 版", Bounds{}, false},
		{"beta およびそれ以前", Bounds{}, false},
		{"ファームウェア 1.0.3 およびそれ以前", Bounds{}, false},
		{"2.0.0 - 2.3.1", Bounds{}, false},
		{"latest", Bounds{}, false},
		{"およびそれ以前", Bounds{}, false},
	}
	for _, tt := range tests {
		got, ok := ParseVersionText(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("ParseVersionText(%q) = %+v, %v; want %+v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}
