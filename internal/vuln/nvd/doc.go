// Package nvd reads NVD vulnerability feeds into vuln.Advisory records, one
// record at a time so that memory stays flat however large the file is.
//
// It understands three shapes, told apart by content rather than file name:
// a CVE API 2.0 page (or a 2.0 year file of the same shape), the retired 1.1
// year feed, and JSON Lines files with one 2.0 cve object per line (Anchore's
// nvd-data-overrides, which add configurations for CVEs NVD has not analysed
// yet). Gzip input is decompressed transparently.
//
// The package imports only the standard library, mamori (Excerpt) and mamori/internal/vuln;
// it must never import another feed parser.
//
// NVD data is public domain, but NVD's terms require products to display:
// "This product uses data from the NVD API but is not endorsed or certified
// by the NVD."
package nvd
