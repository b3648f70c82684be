package app

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"

	"mamori"
	"mamori/internal/audit"
	"mamori/internal/cpe"
	"mamori/internal/sbom"
	"mamori/internal/store"
)

// sbomSet is the SBOMs whose packages go onto one component.
type sbomSet struct {
	component string
	paths     []string
}

// sbomRecords is what a component's SBOMs hold, ready to write.
type sbomRecords struct {
	recs     []mamori.Record // component_software
	names    []string        // "file (format version, n packages)"
	problems []string        // records left out, each naming its file
}

// sbomSuffixes are the file name endings --sboms reads, longest first: the
// rest of the name is the component's code.
var sbomSuffixes = []string{".cdx.json", ".spdx.json", ".cdx.xml", ".json", ".xml"}

// componentOfFile returns the component code a file name stands for, and
// whether the name ends in an SBOM suffix.
func componentOfFile(name string) (string, bool) {
	for _, suf := range sbomSuffixes {
		if code, ok := strings.CutSuffix(name, suf); ok && code != "" {
			return code, true
		}
	}
	return "", false
}

// sbomDir maps the SBOM files of dir to components: dir/CODE.cdx.json
// (.spdx.json, .cdx.xml, .json, .xml) goes onto component CODE, and so
// does every SBOM file of a subfolder dir/CODE/. Names that start with "."
// are passed over; any other file, or a deeper folder, is refused, so that
// nothing is left out unseen.
func sbomDir(dir string) ([]sbomSet, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, mamori.Errorf(mamori.Invalid, "フォルダを読めません: %s", "cannot read folder: %s", dir)
	}
	byCode := map[string][]string{}
	var bad mamori.Problems
	refuse := func(path string) {
		bad = append(bad, mamori.Errorf(mamori.Invalid,
			"%s: SBOM のファイル名ではありません(機器番号.cdx.json、.spdx.json、.cdx.xml、.json、.xml、または 機器番号/ フォルダ内のこれらのファイル)",
			"%s: not an SBOM file name (want CODE.cdx.json, .spdx.json, .cdx.xml, .json or .xml, or such files in a folder CODE/)", path))
	}
	for _, e := range entries {
		name, path := e.Name(), filepath.Join(dir, e.Name())
		if strings.HasPrefix(name, ".") {
			continue
		}
		if e.IsDir() {
			sub, err := os.ReadDir(path)
			if err != nil {
				return nil, mamori.Errorf(mamori.Invalid, "フォルダを読めません: %s", "cannot read folder: %s", path)
			}
			for _, f := range sub {
				p := filepath.Join(path, f.Name())
				switch _, ok := componentOfFile(f.Name()); {
				case strings.HasPrefix(f.Name(), "."):
				case f.IsDir() || !ok:
					refuse(p)
				default:
					byCode[name] = append(byCode[name], p)
				}
			}
			continue
		}
		code, ok := componentOfFile(name)
		if !ok {
			refuse(path)
			continue
		}
		byCode[code] = append(byCode[code], path)
	}
	if len(bad) > 0 {
		return nil, bad
	}
	sets := make([]sbomSet, 0, len(byCode))
	for _, code := range slices.Sorted(func(yield func(string) bool) {
		for c := range byCode {
			if !yield(c) {
				return
			}
		}
	}) {
		paths := byCode[code]
		slices.Sort(paths)
		sets = append(sets, sbomSet{component: code, paths: paths})
	}
	if len(sets) == 0 {
		return nil, mamori.Errorf(mamori.Invalid, "%s に SBOM がありません", "no SBOM in %s", dir)
	}
	return sets, nil
}

// readSBOMs decodes a component's SBOMs into component_software records.
// Records the SBOM names wrongly (a broken purl or CPE) are listed in
// problems and left out; a file that cannot be read or decoded is an error
// naming it.
func readSBOMs(set sbomSet, lim mamori.Limits) (*sbomRecords, error) {
	e := mamori.EntityByName("component_software")
	iCode, iVendor, iProduct, iVersion := e.FieldIndex("component_code"), e.FieldIndex("vendor"), e.FieldIndex("product"), e.FieldIndex("version")
	iCPE, iPURL, iSource := e.FieldIndex("cpe"), e.FieldIndex("purl"), e.FieldIndex("source")
	out := &sbomRecords{}
	byKey := map[[3]string]int{}
	for _, p := range set.paths {
		data, err := readLimited(p, lim)
		if err != nil {
			return nil, err
		}
		bom, probs, err := sbom.Decode(bytes.NewReader(data), p)
		if err != nil {
			return nil, &mamori.Error{Kind: mamori.Invalid, Message: err.Error(), MessageJA: "SBOM を読めません: " + err.Error(), Err: err}
		}
		for _, pr := range probs {
			out.problems = append(out.problems, pr.Error())
		}
		source := filepath.Base(p)
		for _, pkg := range bom.Packages {
			var cpes []string
			for _, c := range pkg.CPEs {
				if _, err := cpe.ParseAny(c); err != nil {
					out.problems = append(out.problems, fmt.Sprintf("%s: %s: cpe %q: %v", p, mamori.Excerpt(pkg.Ref), mamori.Excerpt(c), err))
					continue
				}
				cpes = append(cpes, c)
			}
			k := [3]string{pkg.Namespace, pkg.Name, pkg.Version}
			if i, ok := byKey[k]; ok {
				// Two ecosystems with one name and version: keep the first
				// purl, all CPEs.
				if len(cpes) > 0 {
					old, _ := out.recs[i][iCPE].(string)
					out.recs[i][iCPE] = strings.TrimSpace(old + " " + strings.Join(cpes, " "))
				}
				continue
			}
			rec := make(mamori.Record, len(e.Fields))
			rec[iCode] = set.component
			rec[iVendor] = pkg.Namespace
			rec[iProduct] = pkg.Name
			rec[iVersion] = pkg.Version
			if len(cpes) > 0 {
				rec[iCPE] = strings.Join(cpes, " ")
			}
			if pkg.PURL != "" {
				rec[iPURL] = pkg.PURL
			}
			rec[iSource] = source
			byKey[k] = len(out.recs)
			out.recs = append(out.recs, rec)
		}
		out.names = append(out.names, fmt.Sprintf("%s (%s %s, %d packages)", source, bom.Format, bom.SpecVersion, len(bom.Packages)))
	}
	return out, nil
}

// decodeSBOMs reads the sets on every processor, at most two per processor
// ahead of the caller, and calls use with each in the order given. It stops
// at the first error, a file's or use's.
func decodeSBOMs(ctx context.Context, sets []sbomSet, lim mamori.Limits, use func(sbomSet, *sbomRecords) error) error {
	type result struct {
		r   *sbomRecords
		err error
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	ahead := make(chan struct{}, 2*runtime.GOMAXPROCS(0))
	results := make([]chan result, len(sets))
	for i := range results {
		results[i] = make(chan result, 1)
	}
	go func() {
		for i, set := range sets {
			select {
			case ahead <- struct{}{}:
			case <-ctx.Done():
				return
			}
			go func() {
				r, err := readSBOMs(set, lim)
				results[i] <- result{r, err}
			}()
		}
	}()
	for i, set := range sets {
		var res result
		select {
		case res = <-results[i]:
		case <-ctx.Done():
			return mamori.Stopped(ctx) // the time limit's refusal, or the interruption
		}
		<-ahead
		if res.err != nil {
			return res.err
		}
		if err := use(set, res.r); err != nil {
			return err
		}
	}
	return nil
}

// importSBOMs puts each set's SBOM packages on its component, replacing
// what an earlier import put there. Every component must exist and every
// file must decode, or nothing is written: all components are replaced in
// one transaction. Records an SBOM names wrongly (a broken purl or CPE)
// are reported and left out; the rest is imported, and the command fails
// at the end. Each component gets its own audit entry.
func importSBOMs(ctx context.Context, env *Env, s *store.Store, sets []sbomSet, lim mamori.Limits) error {
	if err := checkComponents(ctx, s, sets); err != nil {
		return err
	}
	type written struct {
		component string
		packages  int
		names     []string
		problems  []string
	}
	var done []written
	err := s.Load(ctx, store.LoadOptions{}, func(l *store.Loader) error {
		return decodeSBOMs(ctx, sets, lim, func(set sbomSet, r *sbomRecords) error {
			if err := l.ReplaceComponentSoftware(set.component, r.recs); err != nil {
				return err
			}
			done = append(done, written{set.component, len(r.recs), r.names, r.problems})
			return nil
		})
	})
	if err != nil {
		return err
	}
	events := make([]audit.Event, len(done))
	for i, w := range done {
		events[i] = audit.Event{Target: "component_software/" + w.component, Orgs: componentOrgs(ctx, s, w.component),
			Detail: map[string]any{"files": w.names, "packages": w.packages, "skipped": len(w.problems)}}
	}
	if _, err := audit.RecordAll(ctx, s, audit.CLIActor(env.Getenv), audit.Import, events); err != nil {
		return err
	}
	problems := 0
	for _, w := range done {
		fmt.Fprintf(env.Stdout, "component %s: %d packages from %s\n", w.component, w.packages, strings.Join(w.names, ", "))
		for _, p := range w.problems {
			fmt.Fprintf(env.Stderr, "  skipped: %s\n", p)
		}
		problems += len(w.problems)
	}
	if len(done) > 1 {
		packages := 0
		for _, w := range done {
			packages += w.packages
		}
		fmt.Fprintf(env.Stdout, "%d components, %d packages\n", len(done), packages)
	}
	if problems > 0 {
		return mamori.Errorf(mamori.Invalid, "%d 件の記録を読めず、取り込みませんでした(上記)", "%d records could not be read and were left out (above)", problems)
	}
	return nil
}

// checkComponents makes sure every set's component exists: one unknown
// component is its "not found" error; several are listed together, each
// with its files.
func checkComponents(ctx context.Context, s *store.Store, sets []sbomSet) error {
	e := mamori.EntityByName("components")
	if len(sets) == 1 {
		_, err := s.Get(ctx, e, sets[0].component)
		return err
	}
	codes := make([]string, len(sets))
	for i, set := range sets {
		codes[i] = set.component
	}
	known := map[string]bool{}
	key := e.FieldIndex("code")
	const batch = 500
	for start := 0; start < len(codes); start += batch {
		part := codes[start:min(start+batch, len(codes))]
		recs, _, err := s.Find(ctx, e, store.Filter{In: map[string][]string{"code": part}})
		if err != nil {
			return err
		}
		for _, r := range recs {
			if c, ok := r[key].(string); ok {
				known[c] = true
			}
		}
	}
	var missing mamori.Problems
	for _, set := range sets {
		if !known[set.component] {
			missing = append(missing, mamori.Errorf(mamori.NotFound, "%s: 機器「%s」は見つかりません", "%s: component %q not found",
				strings.Join(set.paths, ", "), set.component))
		}
	}
	if len(missing) > 0 {
		return missing
	}
	return nil
}
