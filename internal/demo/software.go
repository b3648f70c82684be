package demo

import (
	_ "embed"
	"fmt"
	"slices"
	"strings"
	"sync"
)

// softwareTSV is a sample of real product/version pairs with their CPE 2.3
// names and purls (see SOFTWARE_SOURCES.md). Images draw their software from
// it, so the vulnerability matcher meets real identifiers.
//
//go:embed software.tsv
var softwareTSV string

// swRow is one row of the sample, with its values boxed once so that the
// 200,000 image_software records of the national scale share them.
type swRow struct {
	vendor, product, version, cpe, purl any // string, or nil for an empty cpe or purl
	key                                 string
	eco                                 string
}

// softwareSample holds the parsed sample, grouped by ecosystem.
type softwareSample struct {
	rows  []swRow
	byEco map[string][]int // indexes into rows; read only
	os    []string         // operating-system package ecosystems present, sorted
	app   []string         // application ecosystems present, sorted
}

// loadSoftware parses the embedded sample once.
var loadSoftware = sync.OnceValues(func() (*softwareSample, error) {
	lines := strings.Split(strings.TrimRight(softwareTSV, "\n"), "\n")
	if len(lines) < 2 || lines[0] != "vendor\tproduct\tversion\tcpe23\tpurl\tecosystem\tsource" {
		return nil, fmt.Errorf("demo: software.tsv: unexpected header")
	}
	s := &softwareSample{byEco: map[string][]int{}}
	for i, line := range lines[1:] {
		f := strings.Split(line, "\t")
		if len(f) != 7 || f[1] == "" {
			return nil, fmt.Errorf("demo: software.tsv: line %d: malformed", i+2)
		}
		r := swRow{vendor: f[0], product: f[1], version: f[2], key: f[0] + "\t" + f[1] + "\t" + f[2], eco: f[5]}
		if f[3] != "" {
			r.cpe = f[3]
		}
		if f[4] != "" {
			r.purl = f[4]
		}
		if _, ok := s.byEco[r.eco]; !ok {
			switch r.eco {
			case "deb", "rpm", "alpine":
				s.os = append(s.os, r.eco)
			default:
				s.app = append(s.app, r.eco)
			}
		}
		s.byEco[r.eco] = append(s.byEco[r.eco], len(s.rows))
		s.rows = append(s.rows, r)
	}
	if len(s.os) == 0 || len(s.app) == 0 {
		return nil, fmt.Errorf("demo: software.tsv: needs both OS and application packages")
	}
	slices.Sort(s.os)
	slices.Sort(s.app)
	return s, nil
})
