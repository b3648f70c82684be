// Package sbom reads software bills of materials (CycloneDX 1.2–1.6 JSON and
// XML, SPDX 2.2–2.3 JSON) into a flat list of installed packages, keyed the
// way vulnerability feeds key them. It only parses: it must not import the
// store, the matcher or any feed package, so that it can be fuzzed and reused
// on its own.
//
// Decisions worth knowing when reading the results:
//
//   - The matching name always comes from the purl, never from the display
//     name. osv-scanner looks the CycloneDX component
//     pkg:composer/symfony/http-foundation up as "http-foundation" and so
//     misses every Packagist advisory, which is keyed "symfony/http-foundation".
//   - CycloneDX: only software component types are inventory (library,
//     application, framework, operating-system, container, firmware,
//     platform, device-driver, and components without a type). Files, data,
//     hardware devices, ML models and cryptographic assets are skipped, but
//     their nested components are still walked. metadata.component is the
//     subject of the BOM, not something installed in it, so it is left out.
//     Syft writes its extra guessed CPEs as "syft:cpe23" properties; they are
//     collected with the cpe field.
//   - SPDX: every package is inventory except a root that newer syft releases
//     add for the scanned image or directory (DESCRIBES target whose SPDXID
//     starts with "SPDXRef-DocumentRoot-" or whose primaryPackagePurpose is
//     CONTAINER). Syft 0.57, which wrote the real SBOMs in the test corpus,
//     emits no such root. Other described packages (the SPDX 2.3 example
//     describes glibc) are real software and are kept.
//   - Go module paths keep their case: packageurl-go lowercases golang
//     purls, but module paths are case-sensitive and OSV keys them as
//     written (github.com/BurntSushi/toml).
//   - A record with a broken purl or with neither purl nor name is skipped
//     and reported as a Problem; falling back to the display name would
//     bring back the wrong-name false negative above. A malformed CPE is
//     dropped and reported; its package is kept.
//   - Packages with the same (Ecosystem, Name, Version) are merged and their
//     CPEs united, because syft lists one module once per binary it was
//     found in (mongo: 292 packages, 173 distinct).
package sbom
