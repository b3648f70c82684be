package nvd

import (
	"errors"
	"fmt"
	"io"

	"mamori/internal/vuln"

	"mamori"
)

// annotation is the "_annotation" object Anchore puts beside each override:
// the cve object it wraps carries only configurations (and sometimes
// references), so id, dates and description come from here.
type annotation struct {
	CVEID       string   `json:"cve_id"`
	Description string   `json:"description"`
	Published   string   `json:"published"`
	Modified    string   `json:"modified"`
	References  []string `json:"references"`
}

// line20 is one JSON Lines record in any of the accepted spellings:
// {"_annotation":{…},"cve":{…}}, {"cve":{…}}, or a bare cve object (whose
// fields land in the embedded cve20).
type line20 struct {
	Annotation *annotation `json:"_annotation"`
	CVE        *cve20      `json:"cve"`
	cve20
}

// lines reads a stream of cve objects. It decodes value after value rather
// than splitting on newlines, so a single pretty-printed per-CVE file (as in
// NVD mirrors) reads as a one-record stream too.
func (d *decoder) lines() error {
	for {
		var l line20
		err := d.dec.Decode(&l)
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			if err := d.unusable(d.decodeError(err)); err != nil {
				return err
			}
			continue
		}
		a, err := d.convertLine(&l)
		if err != nil {
			if err := d.unusable(err); err != nil {
				return err
			}
			continue
		}
		if err := d.emit(a); err != nil {
			return err
		}
	}
}

// convertLine converts one record. Annotated records are Anchore overrides;
// plain cve objects are taken as NVD's own.
func (d *decoder) convertLine(l *line20) (*vuln.Advisory, error) {
	c := &l.cve20
	if l.CVE != nil {
		c = l.CVE
	}
	if l.Annotation == nil {
		return d.convert20(c, vuln.SourceNVD, true)
	}
	ann := l.Annotation
	if c.ID == "" {
		c.ID = ann.CVEID
	} else if ann.CVEID != "" && ann.CVEID != c.ID {
		return nil, &vuln.RecordError{File: d.name, Record: c.ID, Field: "_annotation.cve_id",
			Err: fmt.Errorf("nvd: annotation names %q, cve names %q", mamori.Excerpt(ann.CVEID), mamori.Excerpt(c.ID))}
	}
	if c.Published == "" {
		c.Published = ann.Published
	}
	if c.LastModified == "" {
		c.LastModified = ann.Modified
	}
	a, err := d.convert20(c, vuln.SourceNVDOverride, false)
	if err != nil {
		return nil, err
	}
	if a.Description == "" {
		a.Description = ann.Description
	}
	for _, ref := range ann.References {
		a.References = appendUnique(a.References, ref)
	}
	return a, nil
}
