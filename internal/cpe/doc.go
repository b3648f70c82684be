// Package cpe reads CPE names and decides whether a CPE match string from a
// vulnerability feed applies to a CPE name from the software inventory. That
// is its one job; it imports only the standard library and the root package
// mamori (for Excerpt, which bounds the values its errors quote), and must
// not import any other mamori package.
//
// # Names
//
// A Name is a well-formed CPE name (WFN, NISTIR 7695 §5) with its eleven
// attributes: part, vendor, product, version, update, edition, language,
// sw_edition, target_sw, target_hw and other. Each attribute is ANY ("*"),
// NA ("-") or a value. Two textual forms are read:
//
//   - the CPE 2.3 formatted string, "cpe:2.3:a:vendor:product:1.0:*:*:*:*:*:*:*"
//     (NISTIR 7695 §6.2), with Parse;
//   - the CPE 2.2 URI, "cpe:/a:vendor:product:1.0", as JVN still publishes it
//     (NISTIR 7695 §6.1), with ParseURI.
//
// Name.String writes the formatted string, which is the one form mamori
// stores.
//
// # Normalisation
//
// CPE names are case-insensitive (NISTIR 7696 lowercases both sides before
// comparing), so every value is folded to lowercase when it is read, and
// String writes lowercase. String escapes with a backslash every character
// other than letters, digits, "_", "." and "-", exactly as NISTIR 7695 §6.2
// binds a formatted string. The consequences for a round trip
// Parse(s).String() are therefore:
//
//   - uppercase ASCII letters come back lowercase ("Azure" → "azure");
//   - a needless escape of ".", "-", "_" or a letter or digit is dropped
//     ("1\.0" → "1.0"); the real SBOM and NVD data never has one;
//   - an unescaped punctuation character, which NISTIR 7695's unbinding
//     accepts and quotes, comes back escaped ("1.0+x" → "1.0\+x");
//   - a value that is exactly a literal hyphen is written "\-" so that it is
//     not read back as NA.
//
// Everything else, including the escapes real SBOMs carry such as
// "1\:2.36.1-8\+deb11u1", comes back byte for byte.
//
// Values may hold only printable ASCII without spaces (0x21–0x7e), as the
// WFN grammar requires. The language attribute is not checked against
// RFC 5646. The part attribute must be "a", "o", "h" or ANY.
//
// # Wildcards
//
// In match strings an unquoted "*" or "?" is a wildcard. NISTIR 7695 allows
// them only at the start or end of a value, and that is enforced: a run at
// either end is one "*" (any number of characters) or one or more "?". A
// "?" matches at most one character, which is how NISTIR 7696's
// compare_strings treats it. A quoted "\*" or "\?" is a literal character.
// A value that is a lone "*" is ANY.
//
// # Matching
//
// CompareAttr gives the NISTIR 7696 relation (Table 6-2) between a source
// (criteria) and a target (candidate) attribute. Matches and
// MatchesIncludingVersion apply the CPE name-matching rule "the source is a
// superset of, or equal to, the target" to whole names; see their comments
// for how the version attribute is handled. A candidate attribute that is
// ANY is never matched by a criteria value: an inventory entry that does not
// know its version or update must not match an exact-version criterion.
package cpe
