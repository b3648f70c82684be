package mamori

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"
)

// Limits bounds what one upload or import may make mamori read, hold and
// do, so that a crafted file (a zip bomb, a 200 MB line, JSON nested a
// million deep) is refused early instead of exhausting the server (issue 12,
// item 6). A zero field means the default.
type Limits struct {
	FileBytes     int64         // one file as sent or named on the command line
	UnzippedBytes int64         // an .xlsx workbook's parts once decompressed, all together
	ZipEntries    int           // entries of an .xlsx workbook's zip
	Rows          int           // rows of one sheet or CSV file, records of one JSON array
	Cells         int           // cells of one row, fields of one JSON record
	CellChars     int           // characters of one cell or JSON string
	Depth         int           // nesting of JSON arrays and objects
	Time          time.Duration // wall time of one import
}

// DefaultLimits are the limits unless configured: a ministry's register as
// a workbook is a few megabytes, and Excel itself holds at most 1,048,576
// rows of a sheet and 32,767 characters in a cell. A workbook's zip has
// tens of entries (a few per sheet).
func DefaultLimits() Limits {
	return Limits{
		FileBytes:     64 << 20,
		UnzippedBytes: 200 << 20,
		ZipEntries:    10_000,
		Rows:          1_048_576,
		Cells:         1_000,
		CellChars:     32_767,
		Depth:         64,
		Time:          10 * time.Minute,
	}
}

// OrDefault returns l with each unset field at its default.
func (l Limits) OrDefault() Limits {
	d := DefaultLimits()
	if l.FileBytes <= 0 {
		l.FileBytes = d.FileBytes
	}
	if l.UnzippedBytes <= 0 {
		l.UnzippedBytes = d.UnzippedBytes
	}
	if l.ZipEntries <= 0 {
		l.ZipEntries = d.ZipEntries
	}
	if l.Rows <= 0 {
		l.Rows = d.Rows
	}
	if l.Cells <= 0 {
		l.Cells = d.Cells
	}
	if l.CellChars <= 0 {
		l.CellChars = d.CellChars
	}
	if l.Depth <= 0 {
		l.Depth = d.Depth
	}
	if l.Time <= 0 {
		l.Time = d.Time
	}
	return l
}

// ErrLimit is in the chain of every refusal for a limit of Limits, so that
// a handler can answer 413 rather than 422.
var ErrLimit = errors.New("limit exceeded")

// The refusals, one per limit. Each names the limit, its value and the
// flag that sets it.

// FileTooLarge refuses a file larger than l.FileBytes.
func (l Limits) FileTooLarge() *Error {
	return limitError("ファイルのサイズが上限 %s を超えています(--max-file-size)",
		"file size exceeds the limit of %s (--max-file-size)", Bytes(l.FileBytes))
}

// UnzippedTooLarge refuses a workbook that decompresses to more than l.UnzippedBytes.
func (l Limits) UnzippedTooLarge() *Error {
	return limitError("展開後のサイズが上限 %s を超えています(--max-unzipped-size)",
		"decompressed size exceeds the limit of %s (--max-unzipped-size)", Bytes(l.UnzippedBytes))
}

// TooManyZipEntries refuses a workbook whose zip has more than l.ZipEntries entries.
func (l Limits) TooManyZipEntries() *Error {
	return limitError("ブックの zip のエントリ数が上限 %s を超えています(--max-zip-entries)",
		"more entries in the workbook's zip than the limit of %s (--max-zip-entries)", count(l.ZipEntries))
}

// TooManyRows refuses a sheet, CSV file or JSON array of more than l.Rows rows.
func (l Limits) TooManyRows() *Error {
	return limitError("行数が上限 %s 行を超えています(--max-rows)",
		"more rows than the limit of %s (--max-rows)", count(l.Rows))
}

// TooManyCells refuses a row or JSON record of more than l.Cells cells.
func (l Limits) TooManyCells() *Error {
	return limitError("1行のセル数が上限 %s を超えています(--max-cells)",
		"more cells in one row than the limit of %s (--max-cells)", count(l.Cells))
}

// CellTooLong refuses a cell or JSON string longer than l.CellChars characters.
func (l Limits) CellTooLong() *Error {
	return limitError("セルの文字数が上限 %s 文字を超えています(--max-cell-chars)",
		"a cell longer than the limit of %s characters (--max-cell-chars)", count(l.CellChars))
}

// TooDeep refuses JSON nested deeper than l.Depth.
func (l Limits) TooDeep() *Error {
	return limitError("JSON の入れ子が上限 %s 段を超えています(--max-depth)",
		"JSON nested deeper than the limit of %s (--max-depth)", count(l.Depth))
}

// TooLong is the cause of an import stopped at l.Time.
func (l Limits) TooLong() *Error {
	return limitError("処理時間が上限 %s を超えました(--max-time)",
		"took longer than the limit of %s (--max-time)", l.Time.String())
}

func limitError(ja, en, value string) *Error {
	return &Error{Kind: Invalid, MessageJA: fmt.Sprintf(ja, value), Message: fmt.Sprintf(en, value), Err: ErrLimit}
}

// WithTimeLimit returns a context that ends after l.Time with the time
// limit's refusal as its cause (context.Cause), and within ctx, so that the
// work also stops when the request it serves ends.
func (l Limits) WithTimeLimit(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeoutCause(ctx, l.OrDefault().Time, l.OrDefault().TooLong())
}

// Stopped returns nil while ctx is live, else why it ended: the time
// limit's refusal, or the cancellation (a client gone, Ctrl-C).
func Stopped(ctx context.Context) error {
	if ctx.Err() == nil {
		return nil
	}
	return context.Cause(ctx)
}

// ReadAll reads r to its end, or refuses once it gives more than
// l.FileBytes: a file is never held whole beyond the limit.
func (l Limits) ReadAll(r io.Reader) ([]byte, error) {
	max := l.OrDefault().FileBytes
	data, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > max {
		return nil, l.OrDefault().FileTooLarge()
	}
	return data, nil
}

// CheckJSONDepth refuses JSON text whose arrays and objects nest deeper
// than l.Depth. It only counts brackets outside strings, so it runs at the
// speed of a byte loop, before any decoder builds the nested values.
func (l Limits) CheckJSONDepth(data []byte) error {
	max := l.OrDefault().Depth
	depth := 0
	inString, escaped := false, false
	for _, c := range data {
		switch {
		case inString:
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			}
		case c == '"':
			inString = true
		case c == '[' || c == '{':
			depth++
			if depth > max {
				return l.OrDefault().TooDeep()
			}
		case c == ']' || c == '}':
			depth--
		}
	}
	return nil
}

// Bytes renders a byte count as people read limits: 64 MiB, 1.5 GiB, 512 KiB.
func Bytes(n int64) string {
	units := []string{"B", "KiB", "MiB", "GiB", "TiB"}
	f, u := float64(n), 0
	for f >= 1024 && u < len(units)-1 {
		f /= 1024
		u++
	}
	if f == float64(int64(f)) {
		return strconv.FormatInt(int64(f), 10) + " " + units[u]
	}
	return strconv.FormatFloat(f, 'f', 1, 64) + " " + units[u]
}

// count renders a whole number with thousands separators: 1,048,576.
func count(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
