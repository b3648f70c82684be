package osv

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"mamori/internal/vuln"
)

// maxRecordSize bounds one record read from a zip member. The largest
// real records (distro advisories listing thousands of versions) are a
// few MB; the bound stops a crafted archive from exhausting memory.
const maxRecordSize = 64 << 20

// maxReportedErrors bounds how many bad records one walk reports, so a
// corrupt archive yields a readable error rather than a huge one.
const maxReportedErrors = 50

// Walk reads OSV records from path: a single .json file, a directory
// (recursively, every *.json file in lexical order), or a .zip archive
// like osv.dev's all.zip. fn is called once per valid record.
//
// A bad record does not stop the walk: the others are still delivered and
// the bad ones are returned together at the end (errors.Join of
// *vuln.RecordError, each naming the file, the zip member and the record
// id when known), so one malformed advisory cannot hide the rest of a
// feed. An error returned by fn stops the walk and is returned as is.
func Walk(path string, fn func(*vuln.Advisory) error) error {
	info, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("osv: %w", err)
	}
	switch {
	case info.IsDir():
		return walkDir(path, fn)
	case strings.EqualFold(filepath.Ext(path), ".zip"):
		f, err := os.Open(path)
		if err != nil {
			return fmt.Errorf("osv: %w", err)
		}
		defer f.Close()
		return WalkReader(f, info.Size(), path, fn)
	default:
		data, err := os.ReadFile(path)
		if err != nil {
			return fmt.Errorf("osv: %w", err)
		}
		var c collector
		return c.deliver(data, path, fn)
	}
}

func walkDir(root string, fn func(*vuln.Advisory) error) error {
	var c collector
	var fnErr error
	// WalkDir visits entries in lexical order, which keeps the order of
	// fn calls and of reported errors stable between runs.
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !strings.EqualFold(filepath.Ext(p), ".json") {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if fnErr = c.deliver(data, p, fn); fnErr != nil {
			return fs.SkipAll
		}
		return nil
	})
	if fnErr != nil {
		return fnErr
	}
	if err != nil {
		return fmt.Errorf("osv: walk %s: %w", root, err)
	}
	return c.err()
}

// WalkReader reads OSV records from a zip archive already opened, such as
// an all.zip being downloaded to a temporary file. name labels errors
// (the URL or file name); members are read in name order and only *.json
// members are records. Errors are reported as for Walk.
func WalkReader(r io.ReaderAt, size int64, name string, fn func(*vuln.Advisory) error) error {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return fmt.Errorf("osv: %s: open zip: %w", name, err)
	}
	files := slices.Clone(zr.File)
	slices.SortFunc(files, func(a, b *zip.File) int { return strings.Compare(a.Name, b.Name) })
	var c collector
	for _, zf := range files {
		if zf.FileInfo().IsDir() || !strings.EqualFold(filepath.Ext(zf.Name), ".json") {
			continue
		}
		member := name + ":" + zf.Name
		data, err := readMember(zf)
		if err != nil {
			c.add(&vuln.RecordError{File: member, Err: err})
			continue
		}
		if err := c.deliver(data, member, fn); err != nil {
			return err
		}
	}
	return c.err()
}

func readMember(zf *zip.File) ([]byte, error) {
	rc, err := zf.Open()
	if err != nil {
		return nil, fmt.Errorf("osv: open member: %w", err)
	}
	defer rc.Close()
	data, err := io.ReadAll(io.LimitReader(rc, maxRecordSize+1))
	if err != nil {
		return nil, fmt.Errorf("osv: read member: %w", err)
	}
	if len(data) > maxRecordSize {
		return nil, fmt.Errorf("osv: member larger than %d bytes", maxRecordSize)
	}
	return data, nil
}

// WalkJSON reads OSV records from a JSON stream already opened: one
// record, an array of records, or several records one after another
// (JSON Lines). name labels errors (the URL or file name).
// Errors are reported as for Walk.
func WalkJSON(r io.Reader, name string, fn func(*vuln.Advisory) error) error {
	dec := json.NewDecoder(r)
	var c collector
	for n := 1; ; n++ {
		var raw json.RawMessage
		err := dec.Decode(&raw)
		if err == io.EOF {
			return c.err()
		}
		if err != nil {
			// The stream cannot be resynchronised after a syntax error.
			c.add(&vuln.RecordError{File: name, Record: fmt.Sprintf("value %d", n), Err: fmt.Errorf("osv: decode: %w", err)})
			return c.err()
		}
		if t := bytes.TrimLeft(raw, " \t\r\n"); len(t) > 0 && t[0] == '[' {
			var items []json.RawMessage
			if err := json.Unmarshal(raw, &items); err != nil {
				c.add(&vuln.RecordError{File: name, Record: fmt.Sprintf("value %d", n), Err: fmt.Errorf("osv: decode: %w", err)})
				continue
			}
			for _, item := range items {
				if err := c.deliver(item, name, fn); err != nil {
					return err
				}
			}
			continue
		}
		if err := c.deliver(raw, name, fn); err != nil {
			return err
		}
	}
}

// collector gathers record errors during a walk.
type collector struct {
	errs    []error
	dropped int
}

// deliver decodes one record and hands it to fn. A decode error is
// collected; only fn's error is returned, to stop the walk.
func (c *collector) deliver(data []byte, name string, fn func(*vuln.Advisory) error) error {
	a, err := DecodeRecord(data, name)
	if err != nil {
		c.add(err)
		return nil
	}
	return fn(a)
}

func (c *collector) add(err error) {
	if len(c.errs) < maxReportedErrors {
		c.errs = append(c.errs, err)
		return
	}
	c.dropped++
}

func (c *collector) err() error {
	switch {
	case len(c.errs) == 0:
		return nil
	case len(c.errs) == 1:
		return c.errs[0]
	}
	errs := c.errs
	if c.dropped > 0 {
		errs = append(errs, fmt.Errorf("osv: and %d more bad records", c.dropped))
	}
	return errors.Join(errs...)
}
