package sbom

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"

	packageurl "github.com/package-url/packageurl-go"

	"mamori"
)

// Purl types that need more than the plain name to match OSV's package
// names. "alpine" is the type syft 0.57 still writes for Alpine packages.
const (
	typeAlpineLegacy = "alpine"
	typeApk          = "apk"
	typeComposer     = "composer"
	typeGolang       = "golang"
	typeMaven        = "maven"
	typeNPM          = "npm"
	typePyPI         = "pypi"
	typeSwift        = "swift"
	typeGitHub       = "github"
	typeBitbucket    = "bitbucket"
)

// pep503Separators is the run of separators PEP 503 folds into one "-".
var pep503Separators = regexp.MustCompile(`[-_.]+`)

// applyPURL parses raw and fills p's matching fields from it. fallbackVersion
// is the record's own version, used when the purl has none.
func applyPURL(p *Package, raw, fallbackVersion string) error {
	parsed, err := packageurl.FromString(raw)
	if err != nil {
		return err
	}
	if parsed.Type == typeGolang {
		// packageurl-go lowercases golang purls, but module paths are
		// case-sensitive and OSV keys them as written.
		parsed.Namespace, parsed.Name, err = rawNamespaceName(raw)
		if err != nil {
			return err
		}
	}
	if parsed.Type == typeAlpineLegacy {
		parsed.Type = typeApk
	}
	qualifiers := parsed.Qualifiers.Map()
	p.Ecosystem = parsed.Type
	p.Namespace = parsed.Namespace
	p.Name = matchingName(parsed.Type, parsed.Namespace, parsed.Name)
	p.Version = withEpoch(parsed.Version, qualifiers["epoch"])
	if p.Version == "" {
		p.Version = fallbackVersion
	}
	p.Distro = qualifiers["distro"]
	p.PURL = parsed.ToString()
	return nil
}

// matchingName returns the package name the vulnerability feeds use for the
// ecosystem.
func matchingName(ecosystem, namespace, name string) string {
	switch ecosystem {
	case typeMaven:
		return join(namespace, ":", name)
	case typeGolang, typeComposer, typeNPM, typeSwift, typeGitHub, typeBitbucket:
		// Path-like ecosystems: the namespace is part of the name
		// ("@angular/core", "symfony/http-foundation").
		return join(namespace, "/", name)
	case typePyPI:
		return strings.ToLower(pep503Separators.ReplaceAllString(name, "-"))
	}
	// deb, rpm, apk (namespace = distro vendor), gem, cargo, nuget and the
	// rest are keyed by the bare name.
	return name
}

// join joins namespace and name with sep, or returns name alone when there
// is no namespace.
func join(namespace, sep, name string) string {
	if namespace == "" {
		return name
	}
	return namespace + sep + name
}

// withEpoch folds an rpm "epoch" qualifier into the version as
// "epoch:version", the form rpm and distro advisories compare, unless the
// version already carries one (deb purls write "1:2.36.1-8+deb11u1").
func withEpoch(version, epoch string) string {
	if epoch == "" || version == "" || hasEpoch(version) {
		return version
	}
	return epoch + ":" + version
}

// hasEpoch reports whether version starts with "digits:".
func hasEpoch(version string) bool {
	i := strings.IndexByte(version, ':')
	if i <= 0 {
		return false
	}
	for _, c := range version[:i] {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// rawNamespaceName splits a purl that packageurl-go has already accepted into
// its unescaped namespace and name without changing their case, following
// the same steps as the purl specification's parsing rules.
func rawNamespaceName(raw string) (namespace, name string, err error) {
	rest := strings.TrimLeft(raw[len("pkg:"):], "/")
	rest, _, _ = strings.Cut(rest, "#")
	rest, _, _ = strings.Cut(rest, "?")
	_, rest, _ = strings.Cut(rest, "/")
	if i := strings.LastIndexByte(rest, '@'); i > 0 {
		rest = rest[:i]
	}
	var encodedName string
	if i := strings.LastIndexByte(rest, '/'); i >= 0 {
		rest, encodedName = rest[:i], rest[i+1:]
	} else {
		rest, encodedName = "", rest
	}
	if name, err = url.PathUnescape(encodedName); err != nil {
		return "", "", fmt.Errorf("unescape name %q: %w", mamori.Excerpt(encodedName), err)
	}
	var segments []string
	for segment := range strings.SplitSeq(rest, "/") {
		if segment == "" {
			continue
		}
		decoded, err := url.PathUnescape(segment)
		if err != nil {
			return "", "", fmt.Errorf("unescape namespace %q: %w", mamori.Excerpt(segment), err)
		}
		segments = append(segments, decoded)
	}
	return strings.Join(segments, "/"), name, nil
}

// FromPURL reads one purl as the matcher needs it: ecosystem, namespace,
// matching name and version, with the same normalisation as an SBOM's
// packages get (so hand-entered software matches like imported software).
func FromPURL(raw string) (Package, error) {
	var p Package
	if err := applyPURL(&p, raw, ""); err != nil {
		return Package{}, fmt.Errorf("sbom: purl %q: %w", mamori.Excerpt(raw), err)
	}
	return p, nil
}
