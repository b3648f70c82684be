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

// standardTSV lists the products of the standard images by role, with their
// CPE 2.3 names as the NVD's CPE dictionary spells them: the client OS,
// office suite and browser of a staff terminal, and the server OS and
// middleware of a server (see SOFTWARE_SOURCES.md). Its ecosystem column is
// the role class: client-os, office, browser, server-os,
// windows-middleware, middleware.
//
//go:embed standard.tsv
var standardTSV string

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
	s := &softwareSample{byEco: map[string][]int{}}
	if err := s.parse("software.tsv", softwareTSV, false); err != nil {
		return nil, err
	}
	if err := s.parse("standard.tsv", standardTSV, true); err != nil {
		return nil, err
	}
	if len(s.os) == 0 || len(s.app) == 0 {
		return nil, fmt.Errorf("demo: software.tsv: needs both OS and application packages")
	}
	for _, class := range standardClasses {
		if len(s.byEco[class]) == 0 {
			return nil, fmt.Errorf("demo: standard.tsv: no %s", class)
		}
	}
	slices.Sort(s.os)
	slices.Sort(s.app)
	return s, nil
})

// standardClasses are the role classes of standard.tsv.
var standardClasses = []string{"client-os", "office", "browser", "server-os", "windows-middleware", "middleware"}

// parse adds the rows of one TSV file; a standard file's classes are kept
// out of the OS and application ecosystem lists.
func (s *softwareSample) parse(file, text string, standard bool) error {
	lines := strings.Split(strings.TrimRight(text, "\n"), "\n")
	if len(lines) < 2 || lines[0] != "vendor\tproduct\tversion\tcpe23\tpurl\tecosystem\tsource" {
		return fmt.Errorf("demo: %s: unexpected header", file)
	}
	for i, line := range lines[1:] {
		f := strings.Split(line, "\t")
		if len(f) != 7 || f[1] == "" {
			return fmt.Errorf("demo: %s: line %d: malformed", file, i+2)
		}
		r := swRow{vendor: f[0], product: f[1], version: f[2], key: f[0] + "\t" + f[1] + "\t" + f[2], eco: f[5]}
		if f[3] != "" {
			r.cpe = f[3]
		}
		if f[4] != "" {
			r.purl = f[4]
		}
		if _, ok := s.byEco[r.eco]; !ok && !standard {
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
	return nil
}
