package dataset

import (
	"bytes"
	"errors"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"agglo/internal/i18n"
)

func testOpts(t testing.TB) ReadOptions {
	t.Helper()
	reg, err := LoadRegistry()
	if err != nil {
		t.Fatal(err)
	}
	cat, err := LoadCatalogue()
	if err != nil {
		t.Fatal(err)
	}
	return ReadOptions{Registry: reg, Catalogue: cat}
}

func readString(t testing.TB, s string) (*Dataset, error) {
	t.Helper()
	return Read(strings.NewReader(s), "t.csv", CSV, testOpts(t))
}

func TestReadWideChineseHeadersAndUnits(t *testing.T) {
	// 地区生产总值 in 亿元 is the catalogue unit; 常住人口 in 人 converts to 万人
	// (1 万人 = 10,000 人).
	ds, err := readString(t, "地区,年份,地区生产总值(亿元),常住人口（人）\n北京市,2019,35371.3,21536000\n天津,2019,14104.28,15618000\n")
	if err != nil {
		t.Fatal(i18n.Message(err, "en"))
	}
	if ds.FreeUnits {
		t.Fatal("regions should match the registry")
	}
	if v, ok := ds.Value("110000", "gdp", 2019); !ok || v != 35371.3 {
		t.Errorf("Beijing GDP = %v, %v", v, ok)
	}
	if v, _ := ds.Value("120000", "population", 2019); math.Abs(v-1561.8) > 1e-9 {
		t.Errorf("Tianjin population = %v 万人, want 1561.8", v)
	}
	o, _ := ds.Lookup("120000", "population", 2019)
	if p := ds.Provenance(o); p.Kind != Imported || p.File != "t.csv" || p.Row != 3 || p.Col != 4 {
		t.Errorf("provenance = %+v", p)
	}
}

func TestReadLongLayoutSharedProvinceFile(t *testing.T) {
	ds, err := ReadFile("../../testdata/china2019/province_2019_long.csv", testOpts(t))
	if err != nil {
		t.Fatal(i18n.Message(err, "en"))
	}
	// data/README.md: "31 provinces x 54 indicators"; the file's R&D经费 of
	// Beijing is 2233.6亿元 (NBS 2019 R&D bulletin), stored in the catalogue
	// unit 万元: 2233.6 × 10,000 = 22,336,000.
	if len(ds.Regions) != 31 || len(ds.Indicators) != 54 {
		t.Errorf("got %d regions, %d indicators", len(ds.Regions), len(ds.Indicators))
	}
	if v, ok := ds.Value("110000", "rd_expenditure", 2019); !ok || math.Abs(v-22336000) > 1e-6 {
		t.Errorf("Beijing R&D expenditure = %v 万元", v)
	}
}

func TestReadGB18030AndBOM(t *testing.T) {
	text := "地区,地区生产总值(亿元)\n河北省,35104.5\n"
	gbk, err := simplifiedchinese.GBK.NewEncoder().String(text)
	if err != nil {
		t.Fatal(err)
	}
	for name, in := range map[string]string{"gbk": gbk, "bom": "\ufeff" + text, "utf8": text} {
		ds, err := readString(t, in)
		if err != nil {
			t.Fatalf("%s: %v", name, i18n.Message(err, "en"))
		}
		if v, _ := ds.Value("130000", "gdp", 0); v != 35104.5 {
			t.Errorf("%s: Hebei GDP = %v", name, v)
		}
	}
}

func TestReadFreeUnits(t *testing.T) {
	ds, err := readString(t, "state,pcgdp1940\nAguascalientes,10384\nBaja California,22361\n")
	if err != nil {
		t.Fatal(i18n.Message(err, "en"))
	}
	if !ds.FreeUnits || len(ds.Regions) != 2 || ds.Regions[0].Level != LevelUnit {
		t.Fatalf("free units: %+v", ds.Regions)
	}
}

func TestReadErrorsAreLocated(t *testing.T) {
	cases := []struct {
		name, in string
		want     []string // substrings of the English message
	}{
		{"malformed number", "地区,地区生产总值(亿元)\n北京,12a\n", []string{"row 2", "column 2", `malformed number "12a"`}},
		{"NaN", "地区,地区生产总值(亿元)\n北京,NaN\n", []string{"row 2", "NaN"}},
		{"Inf", "地区,地区生产总值(亿元)\n北京,+Inf\n", []string{"row 2", "infinite"}},
		{"unknown region among known", "地区,地区生产总值(亿元)\n北京,1\n北晶,2\n", []string{"row 3", "column 1 (地区)", `unknown region "北晶"`}},
		{"duplicate", "地区,年份,地区生产总值(亿元)\n北京,2019,1\n北京市,2019,2\n", []string{"row 3", "column 3 (地区生产总值(亿元))", "duplicate", "row 2"}},
		{"unknown unit", "地区,地区生产总值(吨)\n北京,1\n", []string{"column 2", `unknown unit "吨"`}},
		{"incompatible unit", "地区,地区生产总值(万人)\n北京,1\n", []string{"cannot be converted"}},
		{"zero population", "地区,常住人口(万人)\n北京,0\n", []string{"row 2", "greater than 0"}},
		{"negative area", "地区,土地面积(km²)\n北京,-5\n", []string{"row 2", "greater than 0"}},
		{"negative count", "地区,专利申请数(件)\n北京,-5\n", []string{"negative"}},
		{"percent out of range", "地区,第三产业占比(%)\n北京,120\n", []string{"between 0 and 100"}},
		{"empty region", "地区,地区生产总值(亿元)\n,5\n", []string{"row 2", "empty region"}},
		{"missing unit for known indicator", "地区,地区生产总值\n北京,5\n", []string{"no unit"}},
		{"no header", "", []string{"empty"}},
		{"header only", "地区,地区生产总值(亿元)\n", []string{"no data rows"}},
		{"duplicate header", "地区,a,a\n北京,1,2\n", []string{"duplicate header"}},
		{"long without year", "region,indicator,value\n北京,gdp,1\n", []string{"without a year column"}},
		{"long malformed year", "region,indicator,year,value,unit\n北京,gdp,20x9,1,亿元\n", []string{"row 2", "malformed year"}},
		{"long empty indicator", "region,indicator,year,value,unit\n北京,,2019,1,亿元\n", []string{"row 2", "empty indicator"}},
		{"bad quotes", "地区,x\n\"北京,1\n", []string{"malformed CSV"}},
		{"binary", "地区\x00,x\n", []string{"binary"}},
		{"not gbk", "\xff\xfe\xfd\x80\x81,x\n", []string{}},
		{"ambiguous name", "地区,x\n吉林,1\n", []string{"row 2", "column 1 (地区)", "ambiguous region", "220000", "220200"}},
		{"unknown code in the second column", "名称,region_code,地区生产总值(亿元)\n北京,110000,1\n北晶,990000,2\n", []string{"row 3", "column 2 (region_code)", "unknown region"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ds, err := readString(t, c.in)
			if err == nil {
				t.Fatalf("no error for %q", c.in)
			}
			if ds != nil {
				t.Error("a dataset was returned with an error")
			}
			var ie *ImportError
			if !errors.As(err, &ie) {
				t.Fatalf("error %T is not an *ImportError: %v", err, err)
			}
			msg := i18n.Message(err, "en")
			for _, w := range c.want {
				if !strings.Contains(msg, w) {
					t.Errorf("message %q lacks %q", msg, w)
				}
			}
			if zh := i18n.Message(err, "zh"); zh == msg && len(c.want) > 0 {
				t.Errorf("Chinese message equals English: %q", zh)
			}
		})
	}
}

func TestXLSXRoundTrip(t *testing.T) {
	ds, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := ds.WriteXLSX(&buf); err != nil {
		t.Fatal(err)
	}
	back, err := Read(bytes.NewReader(buf.Bytes()), "out.xlsx", XLSX, testOpts(t))
	if err != nil {
		t.Fatal(i18n.Message(err, "en"))
	}
	if back.Len() != ds.Len() {
		t.Fatalf("round trip: %d observations, want %d", back.Len(), ds.Len())
	}
	for o := range ds.All() {
		r, ind := ds.Regions[o.Region].Code, ds.Indicators[o.Indicator].Code
		// Excel keeps 15 significant digits.
		if v, ok := back.Value(r, ind, int(o.Year)); !ok || math.Abs(v-o.Value) > 1e-14*math.Abs(o.Value) {
			t.Errorf("%s %s: %v, want %v", r, ind, v, o.Value)
		}
	}
	var csvBuf bytes.Buffer
	if err := ds.WriteCSV(&csvBuf); err != nil {
		t.Fatal(err)
	}
	back2, err := Read(&csvBuf, "out.csv", CSV, testOpts(t))
	if err != nil {
		t.Fatal(i18n.Message(err, "en"))
	}
	if back2.Len() != ds.Len() {
		t.Fatalf("csv round trip: %d observations, want %d", back2.Len(), ds.Len())
	}
}

func TestXLSXErrorsNameTheSheet(t *testing.T) {
	f := excelize.NewFile()
	_ = f.SetSheetName("Sheet1", "数据")
	_ = f.SetSheetRow("数据", "A1", &[]any{"地区", "地区生产总值(亿元)"})
	_ = f.SetSheetRow("数据", "A2", &[]any{"北京", "abc"})
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	_, err := Read(&buf, "in.xlsx", XLSX, testOpts(t))
	msg := i18n.Message(err, "en")
	for _, w := range []string{"in.xlsx", "sheet 数据", "row 2", "column 2"} {
		if !strings.Contains(msg, w) {
			t.Errorf("%q lacks %q", msg, w)
		}
	}
	if _, err := Read(strings.NewReader("not a zip"), "bad.xlsx", XLSX, testOpts(t)); err == nil {
		t.Error("garbage accepted as XLSX")
	}
}

func TestHeaderYearSuffix(t *testing.T) {
	ds, err := ReadFile("../../testdata/china2019/city_census_2010_2020.csv", testOpts(t))
	if err != nil {
		t.Fatal(i18n.Message(err, "en"))
	}
	// The file's row for 成都市 gives popu_2010 = 15118840 (2010 census).
	if v, ok := ds.Value("510100", "popu", 2010); !ok || v != 15118840 {
		t.Errorf("Chengdu 2010 = %v %v", v, ok)
	}
}

// TestFileErrorsInChinese: the English text of an error of the standard
// library or archive/zip ("no such file or directory", "zip: not a valid
// zip file") appears in the English message only.
func TestFileErrorsInChinese(t *testing.T) {
	_, err := ReadFile(filepath.Join(t.TempDir(), "missing.csv"), testOpts(t))
	if zh, en := i18n.Message(err, "zh"), i18n.Message(err, "en"); !strings.HasSuffix(zh, "：文件不存在") || !strings.Contains(en, "no such file") {
		t.Errorf("missing file:\n  %s\n  %s", zh, en)
	}
	_, err = Read(strings.NewReader("PK not a zip"), "x.xlsx", XLSX, testOpts(t))
	if zh, en := i18n.Message(err, "zh"), i18n.Message(err, "en"); strings.Contains(zh, "zip:") || !strings.Contains(zh, "不是有效的 .xlsx") || !strings.Contains(en, "zip: not a valid zip file") {
		t.Errorf("not a zip:\n  %s\n  %s", zh, en)
	}
}
