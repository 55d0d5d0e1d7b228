package dataset

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"agglo/internal/i18n"
)

// FuzzReadCSV checks that no input makes the CSV importer panic, that it
// returns either a dataset or an *ImportError, never both, and that
// several workers reading blocks of a few bytes give what one worker
// reading the whole text gives.
func FuzzReadCSV(f *testing.F) {
	seeds := []string{
		"地区,年份,地区生产总值(亿元)\n北京,2019,35371.3\n",
		"region,indicator,year,value,unit\n110000,gdp,2019,1,亿元\n",
		"state,pcgdp1940\nAguascalientes,10384\n",
		"地区,常住人口(万人)\n北京,0\n",
		"\ufeff地区\t人口密度(人/km²)\n河北,\"1,234\"\n",
		"a,b\n\"x,1\n",
		"popu_2010,popu_2020,city\n1,2,成都\n",
		"",
		"地区;地区生产总值(亿元)\n北京;3,14\n天津;1,234\n",
		"region,indicator,year,value,unit,source\n\"北\n京\",gdp,2019,\"1,5\",亿元,\"a, b\"\n河北,gdp,2019,1e-400,亿元,\n",
		"地区,地区生产总值(亿元),常住人口(万人)\n北京,1\n北\u202e京,2,3\n",
		"region,year,x\r\nA,2019,1_000\r\nB,2019,0x10\r\n\r\n",
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	opts := testOpts(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		one := opts
		one.Workers = 1
		ds, err := Read(bytes.NewReader(data), "fuzz.csv", CSV, one)
		many := opts
		many.Workers, many.blockSize = 3, 1+len(data)%13
		if a, b := importSummary(ds, err), importSummary(Read(bytes.NewReader(data), "fuzz.csv", CSV, many)); a != b {
			t.Fatalf("one worker:\n%s\nthree workers, blocks of %d bytes:\n%s", a, many.blockSize, b)
		}
		if err != nil {
			if ds != nil {
				t.Fatal("dataset returned with an error")
			}
			var ie *ImportError
			if !errors.As(err, &ie) {
				t.Fatalf("error is %T, not *ImportError: %v", err, err)
			}
			_ = ie.Localized("zh")
			return
		}
		for o := range ds.All() {
			if int(o.Region) >= len(ds.Regions) || int(o.Indicator) >= len(ds.Indicators) {
				t.Fatal("observation index out of range")
			}
		}
	})
}

// FuzzReadXLSX feeds the XLSX importer with cell texts.
func FuzzReadXLSX(f *testing.F) {
	f.Add("地区", "地区生产总值(亿元)", "北京", "1")
	f.Add("region", "x", "", "NaN")
	f.Add("", "", "吉林", "-1")
	f.Add("region", "x", "A\u200b", "1,5")
	f.Add("地区", "数据", strings.Repeat("长", 200), "1e-400")
	opts := testOpts(f)
	f.Fuzz(func(t *testing.T, h1, h2, c1, c2 string) {
		x := excelize.NewFile()
		if err := x.SetSheetRow("Sheet1", "A1", &[]any{h1, h2}); err != nil {
			return
		}
		if err := x.SetSheetRow("Sheet1", "A2", &[]any{c1, c2}); err != nil {
			return
		}
		var buf bytes.Buffer
		if err := x.Write(&buf); err != nil {
			return
		}
		ds, err := Read(&buf, "fuzz.xlsx", XLSX, opts)
		if (ds == nil) == (err == nil) {
			t.Fatalf("dataset %v with error %v", ds != nil, err)
		}
		var ie *ImportError
		if err != nil && !errors.As(err, &ie) {
			t.Fatalf("error is %T, not *ImportError: %v", err, err)
		}
		if err != nil && len(i18n.Message(err, "en")) > 2000 {
			t.Fatalf("message of %d bytes", len(i18n.Message(err, "en")))
		}
	})
}

// FuzzReadXLSXParts replaces one part of a small workbook (the workbook,
// its relationships, the content types, the sheet, the shared strings)
// with the fuzzer's bytes, or, for part 5, gives the fuzzer's bytes as the
// whole file. The parts are what openWorkbook reads itself before
// excelize does; no input may panic, and each gives a dataset or an
// *ImportError.
func FuzzReadXLSXParts(f *testing.F) {
	base := smallWorkbook(f, 2)
	parts := []string{"xl/workbook.xml", "xl/_rels/workbook.xml.rels", "[Content_Types].xml", "xl/worksheets/sheet1.xml", "xl/sharedStrings.xml"}
	for i, p := range parts {
		rezip(f, base, func(name string, data []byte) []byte {
			if name == p {
				f.Add(byte(i), bytes.Clone(data))
			}
			return data
		}, nil)
	}
	f.Add(byte(5), base)
	f.Add(byte(5), append(bytes.Clone(oleMagic), utf16le("EncryptedPackage")...))
	opts := testOpts(f)
	f.Fuzz(func(t *testing.T, part byte, data []byte) {
		file := data
		if int(part) < len(parts) {
			file = rezip(t, base, func(name string, old []byte) []byte {
				if name == parts[part] {
					return data
				}
				return old
			}, nil)
		}
		ds, err := Read(bytes.NewReader(file), "fuzz.xlsx", XLSX, opts)
		if (ds == nil) == (err == nil) {
			t.Fatalf("dataset %v with error %v", ds != nil, err)
		}
		var ie *ImportError
		if err != nil && !errors.As(err, &ie) {
			t.Fatalf("error is %T, not *ImportError: %v", err, err)
		}
	})
}
