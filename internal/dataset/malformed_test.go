package dataset

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"agglo/internal/i18n"
)

// TestReadMalformedCSV covers inputs from spreadsheets and hand editing:
// each is either rejected with a located error or accepted as documented.
func TestReadMalformedCSV(t *testing.T) {
	cases := []struct {
		name, in string
		err      []string // substrings of the English error; nil: accepted
		gdp      float64  // accepted: Beijing's gdp (亿元) in year
		year     int
	}{
		// Accepted: encoding/csv reads CRLF line ends.
		{name: "windows line endings", in: "地区,年份,地区生产总值(亿元)\r\n北京,2019,35371.3\r\n天津,2019,14104.28\r\n", gdp: 35371.3, year: 2019},
		// Accepted: a short row lacks its last cells, read as missing.
		{name: "short row", in: "地区,地区生产总值(亿元),常住人口(万人)\n北京,35371.3\n", gdp: 35371.3},
		// Rejected: a long row's extra cell has no header and would be lost.
		{name: "long row", in: "地区,地区生产总值(亿元)\n北京,35371.3,5\n", err: []string{"row 2", "column 3", `a value "5" in a column without a header`}},
		{name: "value under an empty header", in: "地区,地区生产总值(亿元),\n北京,1,7\n", err: []string{"row 2", "column 3", "without a header"}},
		// Accepted: trailing empty columns, as spreadsheets export them.
		{name: "trailing empty column", in: "地区,地区生产总值(亿元),\n北京,35371.3,\n", gdp: 35371.3},
		// Accepted: full-width digits and signs (１２３．４ = 123.4), also
		// in the year; ideographic and no-break spaces around a cell.
		{name: "full-width digits", in: "地区,年份,地区生产总值(亿元)\n北京,２０１９,３５３７１．３\n", gdp: 35371.3, year: 2019},
		{name: "full-width thousands separator", in: "地区,地区生产总值(亿元)\n北京,３５，３７１．３\n", gdp: 35371.3},
		{name: "ideographic spaces", in: "地区,地区生产总值(亿元)\n北京,\u300035371.3\u00a0\n", gdp: 35371.3},
		// Rejected: a space inside a number is ambiguous.
		{name: "inner space", in: "地区,地区生产总值(亿元)\n北京,35 371.3\n", err: []string{"row 2", "column 2", `malformed number "35 371.3"`}},
		{name: "percent sign in a value", in: "地区,地区生产总值(亿元)\n北京,12.5%\n", err: []string{"row 2", `malformed number "12.5%"`}},
		// Huge numbers: 1e400 exceeds float64 (max ≈ 1.8e308); 1e305
		// 万亿元 is 1e309 亿元 after conversion (1 万亿元 = 10^4 亿元).
		{name: "overflow", in: "地区,地区生产总值(亿元)\n北京,1e400\n", err: []string{"row 2", `number out of range "1e400"`}},
		{name: "overflow after conversion", in: "地区,地区生产总值(万亿元)\n北京,1e305\n", err: []string{"row 2", "column 2", "out of range after unit conversion"}},
		// Accepted: 1e300 亿元 is finite.
		{name: "huge but finite", in: "地区,地区生产总值(亿元)\n北京,1e300\n", gdp: 1e300},
		{name: "long layout extra cell", in: "region,indicator,year,value,unit\n北京,gdp,2019,1,亿元,oops\n", err: []string{"row 2", "column 6", "without a header"}},
		{name: "only blank lines", in: "\n\n,,\n", err: []string{"the file is empty"}},
		// UTF-16 without a byte-order mark: "region,x" has NUL bytes.
		{name: "UTF-16 without BOM", in: "r\x00e\x00g\x00i\x00o\x00n\x00,\x00x\x00\n\x00", err: []string{"binary"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ds, err := readString(t, c.in)
			if c.err == nil {
				if err != nil {
					t.Fatal(i18n.Message(err, "en"))
				}
				if v, ok := ds.Value("110000", "gdp", c.year); !ok || v != c.gdp {
					t.Errorf("Beijing gdp = %v (%v), want %v", v, ok, c.gdp)
				}
				return
			}
			if err == nil {
				t.Fatalf("accepted: %d observations", ds.Len())
			}
			var ie *ImportError
			if !errors.As(err, &ie) {
				t.Fatalf("%T is not an *ImportError", err)
			}
			en := i18n.Message(err, "en")
			for _, w := range c.err {
				if !strings.Contains(en, w) {
					t.Errorf("%q lacks %q", en, w)
				}
			}
			if zh := i18n.Message(err, "zh"); zh == en || !strings.Contains(zh, "t.csv") {
				t.Errorf("zh message %q", zh)
			}
		})
	}
}

func xlsxBytes(t testing.TB, build func(f *excelize.File)) []byte {
	t.Helper()
	f := excelize.NewFile()
	build(f)
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestReadMalformedXLSX(t *testing.T) {
	cases := []struct {
		name  string
		build func(f *excelize.File)
		sheet string
		err   []string
	}{
		{"empty sheet", func(f *excelize.File) {}, "", []string{"sheet Sheet1", "the file is empty"}},
		{"sheet that does not exist", func(f *excelize.File) {
			_ = f.SetSheetRow("Sheet1", "A1", &[]any{"地区", "地区生产总值(亿元)"})
		}, "数据2019", []string{`no sheet "数据2019"`, "Sheet1"}},
		{"text in a number cell", func(f *excelize.File) {
			_ = f.SetSheetRow("Sheet1", "A1", &[]any{"地区", "地区生产总值(亿元)"})
			_ = f.SetSheetRow("Sheet1", "A2", &[]any{"北京", "#DIV/0!"})
		}, "", []string{"sheet Sheet1", "row 2", "column 2", `malformed number "#DIV/0!"`}},
		{"header only", func(f *excelize.File) {
			_ = f.SetSheetRow("Sheet1", "A1", &[]any{"地区", "地区生产总值(亿元)"})
		}, "", []string{"sheet Sheet1", "no data rows"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			opts := testOpts(t)
			opts.Sheet = c.sheet
			ds, err := Read(bytes.NewReader(xlsxBytes(t, c.build)), "in.xlsx", XLSX, opts)
			if err == nil {
				t.Fatalf("accepted: %d observations", ds.Len())
			}
			var ie *ImportError
			if !errors.As(err, &ie) {
				t.Fatalf("%T is not an *ImportError: %v", err, err)
			}
			en := i18n.Message(err, "en")
			for _, w := range c.err {
				if !strings.Contains(en, w) {
					t.Errorf("%q lacks %q", en, w)
				}
			}
			if zh := i18n.Message(err, "zh"); zh == en || !strings.Contains(zh, "in.xlsx") {
				t.Errorf("zh message %q", zh)
			}
		})
	}
}
