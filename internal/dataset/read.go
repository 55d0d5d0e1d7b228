package dataset

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"

	"agglo/internal/i18n"
)

// Format is a file format agglo reads or writes.
type Format string

// Formats.
const (
	CSV  Format = "csv"
	XLSX Format = "xlsx"
	JSON Format = "json"
	// Binary is agglo's own columnar form of a dataset (see Save).
	Binary Format = "agglo"
)

// FormatOf guesses a file's format from its extension.
func FormatOf(path string) (Format, bool) {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".csv", ".txt", ".tsv":
		return CSV, true
	case ".xlsx", ".xlsm":
		return XLSX, true
	case ".json":
		return JSON, true
	case ".agglo":
		return Binary, true
	}
	return "", false
}

// ReadOptions controls an import.
type ReadOptions struct {
	Registry  *Registry  // regions to match; required
	Catalogue *Catalogue // known indicators; required
	Sheet     string     // XLSX sheet; default: "observations"/"数据" or the first
	// RegionCol is the header of the region column (--region-col); by
	// default a column with a region header (地区, 地市, 城市, region,
	// city, code ...) is the region.
	RegionCol string
	// HeaderRow is the 1-based row of the header (--header-row); 0 finds
	// it: the first non-blank row of a CSV file, the first row below any
	// title rows of an XLSX sheet.
	HeaderRow int
	Year      int // year of a wide table without a year column (0: not stated)
	// Published marks the file as a published source (the embedded paper
	// data): its "source" column becomes the provenance reference.
	Published bool
	// DecimalComma reads numbers with a decimal comma (3,14 and
	// 1.234.567,5) in a CSV file whose cells are separated by semicolons
	// or tabs. Without it a comma may only group thousands.
	DecimalComma bool
	// Strict refuses CSV rows with fewer cells than the header; otherwise
	// their missing cells are missing values and a note names the rows.
	Strict bool
	// Limits bound what a file may hold; zero fields take the values of
	// DefaultLimits.
	Limits Limits
	// Workers is the number of goroutines that parse a CSV file (0: one per
	// processor).
	Workers int
	// blockSize is the size of the blocks of a CSV file that workers scan
	// (0: the default); tests make it small.
	blockSize int
	// sizeHint is the input's size in bytes when known (0 otherwise), so
	// that a small file gets a small buffer.
	sizeHint int64
}

// Limits bound an import, so that a file cannot take unbounded time or
// memory; they are counted while the file is read, never taken from what a
// file declares. The command line applies them (--max-rows and --max-cells
// raise two of them); a server passes its own, possibly lower, values. A
// file beyond a limit is refused with an *ImportError whose TooLarge is set
// and whose message names the limit and, where there is one, the flag that
// raises it.
type Limits struct {
	MaxBytes   int64 // size of the file (for CSV, of its text)
	MaxRows    int   // data rows
	MaxColumns int   // cells in one row
	MaxCells   int64 // cells in all rows, the header included
	// MaxRegions bounds the distinct regions a file names (by code, name
	// and parent) and MaxIndicators its distinct indicators (names and
	// units in long layout, indicator columns in wide layout).
	MaxRegions    int
	MaxIndicators int
	// XLSX: entries in the zip archive, and the uncompressed size of one
	// entry that is read and of all of them. Entries that are not read
	// (other sheets, images) are never inflated.
	MaxZipEntries int
	MaxEntryBytes int64
	MaxUnzipped   int64
}

// DefaultLimits are limits that admit a national table (2,900 units × 120
// indicators × 20 years in long layout: 6.96 million rows, 41.8 million
// cells, 303 MB) with room to spare.
func DefaultLimits() Limits {
	return Limits{
		MaxBytes:      2 << 30,
		MaxRows:       20_000_000,
		MaxColumns:    16_384,
		MaxCells:      100_000_000,
		MaxRegions:    1_000_000,
		MaxIndicators: 100_000,
		MaxZipEntries: 10_000,
		MaxEntryBytes: 1 << 30,
		MaxUnzipped:   2 << 30,
	}
}

// withDefaults fills zero (or negative) fields from DefaultLimits.
func (l Limits) withDefaults() Limits {
	d := DefaultLimits()
	l.MaxBytes = positiveOr(l.MaxBytes, d.MaxBytes)
	l.MaxRows = positiveOr(l.MaxRows, d.MaxRows)
	l.MaxColumns = positiveOr(l.MaxColumns, d.MaxColumns)
	l.MaxCells = positiveOr(l.MaxCells, d.MaxCells)
	l.MaxRegions = positiveOr(l.MaxRegions, d.MaxRegions)
	l.MaxIndicators = positiveOr(l.MaxIndicators, d.MaxIndicators)
	l.MaxZipEntries = positiveOr(l.MaxZipEntries, d.MaxZipEntries)
	l.MaxEntryBytes = positiveOr(l.MaxEntryBytes, d.MaxEntryBytes)
	l.MaxUnzipped = positiveOr(l.MaxUnzipped, d.MaxUnzipped)
	return l
}

// positiveOr returns v when it is positive, else def.
func positiveOr[T int | int64](v, def T) T {
	if v > 0 {
		return v
	}
	return def
}

// ReadFile imports a CSV or XLSX file in wide or long layout, or loads a
// dataset saved by Save (.agglo). Import is all-or-nothing: on error no
// dataset is returned, and the error (an *ImportError for content
// problems) names file, sheet, row and column.
//
// The text cells of a CSV or TSV file (regions, indicator names and
// units, sources, the header) are read without the single quote agglo's
// CSV writers put before a cell a spreadsheet would take for a formula:
// a cell that is a quote followed by =, +, -, @, a tab or a carriage
// return (or by further quotes and then one of these) loses its first
// quote unless the rest is a plain number, so that WriteCSV's output
// reads back with its original text; every other quote ('abc, '-3) is
// kept (csvsafe.Unquote). Numbers and XLSX cells are read as they are. In
// a long table, a column indicator_name_zh (指标中文名) beside the
// indicator column gives the Chinese name of an indicator the catalogue
// does not know, whose code is then the indicator column's value.
func ReadFile(path string, opts ReadOptions) (*Dataset, error) {
	return ReadFileContext(context.Background(), path, opts)
}

// ReadFileContext is ReadFile that stops, returning ctx.Err(), soon after
// ctx is cancelled.
func ReadFileContext(ctx context.Context, path string, opts ReadOptions) (*Dataset, error) {
	format, ok := FormatOf(path)
	if !ok {
		return nil, i18n.Errorf("%s：不支持的文件类型（请用 .csv、.xlsx 或 .agglo）", "%s: unsupported file type (use .csv, .xlsx or .agglo)", path)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, errorWithDetail(err, "无法打开文件 %s", "cannot open %s", path)
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.Mode().IsRegular() {
		opts.sizeHint = st.Size()
	}
	return ReadContext(ctx, f, filepath.Base(path), format, opts)
}

// Read imports a table from r; name is used in messages and provenance.
func Read(r io.Reader, name string, format Format, opts ReadOptions) (*Dataset, error) {
	return ReadContext(context.Background(), r, name, format, opts)
}

// ReadContext is Read that stops, returning ctx.Err(), soon after ctx is
// cancelled.
func ReadContext(ctx context.Context, r io.Reader, name string, format Format, opts ReadOptions) (*Dataset, error) {
	if opts.Registry == nil || opts.Catalogue == nil {
		return nil, errors.New("dataset.Read: registry and catalogue are required")
	}
	name, _, _ = clipTo(name, maxName)
	opts.Limits = opts.Limits.withDefaults()
	if sz, ok := r.(interface{ Size() int64 }); ok && opts.sizeHint == 0 {
		opts.sizeHint = sz.Size() // bytes.Reader, strings.Reader
	}
	if opts.Workers <= 0 {
		opts.Workers = runtime.GOMAXPROCS(0)
	}
	switch format {
	case CSV:
		return readCSV(ctx, r, name, opts)
	case XLSX:
		return readXLSX(ctx, r, name, opts)
	case Binary:
		ds, err := Load(r, opts)
		if err != nil {
			return nil, &i18n.Error{Text: i18n.T(name+"："+i18n.Message(err, i18n.ZH), name+": "+i18n.Message(err, i18n.EN))}
		}
		return ds, nil
	}
	return nil, i18n.Errorf("%s：不支持的格式 %s", "%s: unsupported format %s", name, format)
}

// fileError wraps a whole-file problem as an ImportError.
func fileError(file, sheet string, err error) error {
	var ie *ImportError
	if errors.As(err, &ie) {
		return err
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	var le *LimitError
	return &ImportError{File: file, Issues: []Issue{{File: file, Sheet: sheet, Text: textOf(err)}}, TooLarge: errors.As(err, &le)}
}

func textOf(err error) i18n.Text {
	var l i18n.Localizer
	if errors.As(err, &l) {
		return i18n.T(l.Localized(i18n.ZH), l.Localized(i18n.EN))
	}
	return i18n.T(err.Error(), err.Error())
}

// LimitError says that a file exceeds one of the import Limits.
type LimitError struct{ Text i18n.Text }

func (e *LimitError) Error() string { return e.Text.EN }

// Localized implements i18n.Localizer.
func (e *LimitError) Localized(lang string) string { return e.Text.In(lang) }

// limitError is the message for a file beyond a limit; flag names the
// command-line flag that raises it ("" when none does).
func limitError(zh, en, flag string, args ...any) error {
	t := i18n.Tf(zh, en, args...)
	if flag != "" {
		t.ZH += "（可用 " + flag + " 提高上限）"
		t.EN += " (raise the limit with " + flag + ")"
	}
	return &LimitError{Text: t}
}

// SortedRegionCodes returns the dataset's region codes sorted.
func (ds *Dataset) SortedRegionCodes() []string {
	out := make([]string, len(ds.Regions))
	for i, r := range ds.Regions {
		out[i] = r.Code
	}
	sort.Strings(out)
	return out
}
