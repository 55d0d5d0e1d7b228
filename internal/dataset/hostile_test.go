package dataset

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"agglo/internal/i18n"
)

// These tests replay attacks on the importers: each failed on the importer
// before it counted rows and cells while reading, bounded what an XLSX
// file may unpack, and cut quoted cells in messages.

func importError(t *testing.T, err error) (*ImportError, string) {
	t.Helper()
	if err == nil {
		t.Fatal("accepted")
	}
	var ie *ImportError
	if !errors.As(err, &ie) {
		t.Fatalf("%T is not an *ImportError: %v", err, err)
	}
	return ie, i18n.Message(err, "en")
}

// TestLongCellIsClipped: a 10 MB cell once gave a 31 MB message (the
// cell three times). Messages quote at most 80 characters of a cell, with
// an ellipsis and the cell's length.
func TestLongCellIsClipped(t *testing.T) {
	cell := strings.Repeat("9x", 5<<20) // 10,485,760 characters
	for name, file := range map[string]string{
		"number": "地区,地区生产总值(亿元)\n北京," + cell + "\n",
		"year":   "地区,年份,地区生产总值(亿元)\n北京," + cell + ",1\n",
		"region": "地区,地区生产总值(亿元)\n北京,1\n" + cell + ",2\n",
		"extra":  "地区,地区生产总值(亿元)\n北京,1," + cell + "\n",
	} {
		_, err := readString(t, file)
		ie, en := importError(t, err)
		zh := i18n.Message(err, "zh")
		if len(en) > 600 || len(zh) > 600 {
			t.Errorf("%s: message of %d bytes", name, len(en))
		}
		if !strings.Contains(en, "…") || !strings.Contains(en, "10485760 characters") || !strings.Contains(zh, "10485760") {
			t.Errorf("%s: %q", name, en)
		}
		_ = ie
	}
}

// TestShortRowsAreNamed: a row with fewer cells than the header was read
// with missing values and a note that named no row. The note now names
// the rows; with Strict the rows are refused.
func TestShortRowsAreNamed(t *testing.T) {
	file := "地区,地区生产总值(亿元),常住人口(万人)\n北京,1,2\n天津,3\n河北,4,5\n山西,6\n"
	ds, err := readString(t, file)
	if err != nil {
		t.Fatal(i18n.Message(err, "en"))
	}
	found := false
	for _, n := range ds.Notes {
		if en := n.Localized("en"); strings.Contains(en, "rows 3, 5 have fewer cells than the header") {
			found = true
			if zh := n.Localized("zh"); !strings.Contains(zh, "第 3, 5 行") {
				t.Errorf("zh note %q", zh)
			}
		}
	}
	if !found {
		t.Errorf("notes %+v name no short rows", ds.Notes)
	}
	opts := testOpts(t)
	opts.Strict = true
	_, err = Read(strings.NewReader(file), "t.csv", CSV, opts)
	ie, en := importError(t, err)
	if len(ie.Issues) != 2 || ie.Issues[0].Row != 3 || ie.Issues[1].Row != 5 || !strings.Contains(en, "the row has 2 cells but the header has 3") {
		t.Errorf("strict: %q", en)
	}
}

// TestInvisibleCharactersInRegionNames: a right-to-left override or a
// zero-width space in a region name makes two names that look alike
// differ (or reorders a table's text); they were accepted.
func TestInvisibleCharactersInRegionNames(t *testing.T) {
	for name, region := range map[string]string{
		"RTL override":    "北\u202e京",
		"zero-width":      "北京\u200b",
		"word joiner":     "Atl\u2060antis",
		"isolate":         "\u2066Springfield",
		"left-right mark": "Shelbyville\u200e",
	} {
		_, err := readString(t, "地区,地区生产总值(亿元)\n"+region+",1\n")
		_, en := importError(t, err)
		if !strings.Contains(en, "row 2") || !strings.Contains(en, "invisible or direction-changing character") {
			t.Errorf("%s: %q", name, en)
		}
	}
}

// TestRowAndCellLimits: the command line had none of the server's limits
// (a 1e6-column header took 21 s and 1.9 GB). Rows, cells and columns are
// counted while reading.
func TestRowAndCellLimits(t *testing.T) {
	var many strings.Builder
	many.WriteString("地区,年份,地区生产总值(亿元)\n")
	for i := 0; i < 100; i++ {
		fmt.Fprintf(&many, "北京,%d,1\n", 1901+i)
	}
	cases := []struct {
		name string
		lim  Limits
		file string
		want []string
	}{
		{"rows", Limits{MaxRows: 50}, many.String(), []string{"more than 50 data rows", "--max-rows"}},
		{"cells", Limits{MaxCells: 150}, many.String(), []string{"more than 150 cells", "--max-cells"}},
		{"columns", Limits{}, "地区" + strings.Repeat(",x", 20000) + "\n北京,1\n", []string{"more than 16384 cells"}},
		{"bytes", Limits{MaxBytes: 1000}, many.String(), []string{"exceeds the limit"}},
		// Regions and indicators: the row (and column) where the limit
		// was passed. Long layout: the 4th region opens row 5; the 3rd
		// indicator (c, column 2) row 4.
		{"regions", Limits{MaxRegions: 3}, "region,indicator,year,value\nA,a,2020,1\nB,a,2020,1\nC,a,2020,1\nD,a,2020,1\n", []string{"row 5: the file names more than 3 regions", "--max-regions"}},
		{"indicators long", Limits{MaxIndicators: 2}, "region,indicator,year,value\nA,a,2020,1\nA,b,2020,1\nA,c,2020,1\n", []string{"row 4, column 2: the file names more than 2 indicators", "--max-indicators"}},
		// Wide layout: counted in the header; the 3rd indicator column is
		// column 5 of row 1.
		{"indicators wide", Limits{MaxIndicators: 2}, "region,year,a,b,c\nA,2020,1,2,3\n", []string{"row 1, column 5 (c): the file names more than 2 indicators", "--max-indicators"}},
		{"regions fit", Limits{MaxRegions: 4}, "region,indicator,year,value\nA,a,2020,1\nB,a,2020,1\nC,a,2020,1\nD,a,2020,1\n", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			opts := testOpts(t)
			opts.Limits = c.lim
			opts.blockSize = 256
			_, err := Read(strings.NewReader(c.file), "t.csv", CSV, opts)
			if c.want == nil {
				if err != nil {
					t.Errorf("refused within the limit: %v", err)
				}
				return
			}
			ie, en := importError(t, err)
			if !ie.TooLarge {
				t.Errorf("TooLarge not set: %q", en)
			}
			for _, w := range c.want {
				if !strings.Contains(en, w) {
					t.Errorf("%q lacks %q", en, w)
				}
			}
		})
	}
	// The defaults admit the national table: 6.96 million rows of 6 cells.
	d := DefaultLimits()
	if d.MaxRows < 6_960_000 || d.MaxCells < 6*6_960_001 || d.MaxRegions < 2900 || d.MaxIndicators < 120 {
		t.Errorf("default limits %+v refuse the national table", d)
	}
}

// endless is a CSV text without end: a header, then the same row again
// and again.
type endless struct{ off int }

func (e *endless) Read(p []byte) (int, error) {
	const header, row = "region,indicator,year,value\n", "SYN-0001,syn_001,2001,1.5\n"
	n := 0
	for n < len(p) {
		var k int
		if e.off < len(header) {
			k = copy(p[n:], header[e.off:])
		} else {
			k = copy(p[n:], row[(e.off-len(header))%len(row):])
		}
		e.off += k
		n += k
	}
	return n, nil
}

// TestImportStopsWhenCancelled: SIGTERM during an import took effect only
// when the import ended. The importer checks its context while it reads.
func TestImportStopsWhenCancelled(t *testing.T) {
	opts := testOpts(t)
	opts.Limits = Limits{MaxBytes: 1 << 40, MaxRows: 1 << 40 / 2, MaxCells: 1 << 50}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := ReadContext(ctx, &endless{}, "endless.csv", CSV, opts)
		done <- err
	}()
	time.Sleep(200 * time.Millisecond)
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("error %v, want context.Canceled", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the import did not stop")
	}
}

// rezip rewrites an XLSX file: edit may change an entry's content, and
// extra entries are added.
func rezip(t testing.TB, b []byte, edit func(name string, data []byte) []byte, extra map[string][]byte) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, _ := io.ReadAll(rc)
		rc.Close()
		if edit != nil {
			data = edit(f.Name, data)
		}
		w, _ := zw.Create(f.Name)
		w.Write(data)
	}
	for name, data := range extra {
		w, _ := zw.Create(name)
		w.Write(data)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

func smallWorkbook(t testing.TB, rows int) []byte {
	return xlsxBytes(t, func(f *excelize.File) {
		_ = f.SetSheetRow("Sheet1", "A1", &[]any{"unit", "year", "x"})
		for i := 0; i < rows; i++ {
			cell, _ := excelize.CoordinatesToCellName(1, i+2)
			_ = f.SetSheetRow("Sheet1", cell, &[]any{fmt.Sprintf("U%d", i), 2019, 1.5})
		}
	})
}

// TestXLSXManyMidSizeEntries: 500 entries of exactly 1 MiB of zeros (0.6
// MB compressed) passed the old check, which looked at the ratio of
// entries over 1 MiB only, and inflated to 1.2 GB. Only the parts needed
// to read the sheet are inflated now.
func TestXLSXManyMidSizeEntries(t *testing.T) {
	extra := map[string][]byte{}
	zeros := make([]byte, 1<<20)
	for i := 0; i < 500; i++ {
		extra[fmt.Sprintf("xl/media/image%d.bin", i)] = zeros
	}
	b := rezip(t, smallWorkbook(t, 3), nil, extra)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	ds, err := Read(bytes.NewReader(b), "bomb.xlsx", XLSX, testOpts(t))
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(i18n.Message(err, "en"))
	}
	if ds.Len() != 3 {
		t.Errorf("%d observations", ds.Len())
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 100<<20 {
		t.Errorf("the import allocated %d MiB: the junk entries were inflated", alloc>>20)
	}
}

// TestXLSXEntryLimits: a part that would be read and unpacks beyond the
// limits is refused before it is inflated.
func TestXLSXEntryLimits(t *testing.T) {
	b := smallWorkbook(t, 200)
	opts := testOpts(t)
	opts.Limits = Limits{MaxEntryBytes: 2048}
	_, err := Read(bytes.NewReader(b), "big.xlsx", XLSX, opts)
	ie, en := importError(t, err)
	if !ie.TooLarge || !strings.Contains(en, "unpacks to") {
		t.Errorf("%q", en)
	}
	opts.Limits = Limits{MaxUnzipped: 4096}
	_, err = Read(bytes.NewReader(b), "big.xlsx", XLSX, opts)
	if _, en := importError(t, err); !strings.Contains(en, "unpack to") {
		t.Errorf("%q", en)
	}
}

// TestXLSXDeclaredSizeIsNotTrusted: a sheet that declares 2 rows and holds
// 3,000 slipped past the row limit. Rows are counted as they are read.
func TestXLSXDeclaredSizeIsNotTrusted(t *testing.T) {
	b := rezip(t, smallWorkbook(t, 3000), func(name string, data []byte) []byte {
		if name == "xl/worksheets/sheet1.xml" {
			s := string(data)
			if i := strings.Index(s, "<dimension ref=\""); i >= 0 {
				j := strings.Index(s[i+16:], "\"")
				s = s[:i+16] + "A1:C2" + s[i+16+j:]
			} else {
				s = strings.Replace(s, "<sheetData>", `<dimension ref="A1:C2"/><sheetData>`, 1)
			}
			return []byte(s)
		}
		return data
	}, nil)
	opts := testOpts(t)
	opts.Limits = Limits{MaxRows: 1000}
	_, err := Read(bytes.NewReader(b), "lie.xlsx", XLSX, opts)
	ie, en := importError(t, err)
	if !ie.TooLarge || !strings.Contains(en, "more than 1000 rows") {
		t.Errorf("%q", en)
	}
}

// TestXLSXEncrypted: a password-protected workbook was reported as "not a
// valid zip"; it is reported as encrypted.
func TestXLSXEncrypted(t *testing.T) {
	f := excelize.NewFile()
	_ = f.SetSheetRow("Sheet1", "A1", &[]any{"地区", "地区生产总值(亿元)"})
	var buf bytes.Buffer
	if err := f.Write(&buf, excelize.Options{Password: "secret"}); err != nil {
		t.Fatal(err)
	}
	_, err := Read(&buf, "locked.xlsx", XLSX, testOpts(t))
	_, en := importError(t, err)
	if !strings.Contains(en, "encrypted") || strings.Contains(en, "zip") {
		t.Errorf("%q", en)
	}
	if zh := i18n.Message(err, "zh"); !strings.Contains(zh, "加密") {
		t.Errorf("%q", zh)
	}
}
