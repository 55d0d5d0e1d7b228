package dataset

import (
	"bytes"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"agglo/internal/i18n"
)

// Files as analysts have them: text columns, yearbook sheets, foreign
// units. The values are those written in each test file (2019 GDP and
// resident population of Beijing, Tianjin and Shanxi as the NBS
// yearbook prints them).

func TestWideTextColumnsAreAttributes(t *testing.T) {
	ds, err := readString(t, "地区,地区类型,分组,地区生产总值(亿元)\n北京,东部,BTH,35371.3\n天津,东部,BTH,14104.3\n山西,中部,,17026.7\n")
	if err != nil {
		t.Fatal(i18n.Message(err, "en"))
	}
	if v, ok := ds.Value("110000", "gdp", 0); !ok || v != 35371.3 {
		t.Errorf("Beijing gdp %v %v", v, ok)
	}
	if _, ok := ds.IndicatorIndex("地区类型"); ok || len(ds.Indicators) != 1 {
		t.Errorf("a text column became an indicator: %v", ds.Indicators)
	}
	typ, ok := ds.Attribute("地区类型")
	if !ok || typ.Values["110000"] != "东部" || typ.Values["140000"] != "中部" {
		t.Fatalf("attribute 地区类型: %+v", typ)
	}
	grp, ok := ds.Attribute("分组")
	if !ok || grp.Values["120000"] != "BTH" || grp.Values["140000"] != "" {
		t.Errorf("attribute 分组: %+v", grp)
	}
	// The attributes survive the binary form.
	var buf bytes.Buffer
	if err := Save(&buf, ds); err != nil {
		t.Fatal(err)
	}
	back, err := Load(&buf, testOpts(t))
	if err != nil {
		t.Fatal(err)
	}
	if a, ok := back.Attribute("地区类型"); !ok || a.Values["140000"] != "中部" {
		t.Error("attributes lost in the binary form")
	}
	// Text among numbers is still a located error, and so are malformed
	// numbers and text in a catalogue indicator's column.
	for _, c := range []struct{ in, want string }{
		{"地区,得分\n北京,1\n天津,高\n", "row 3, column 2"},
		{"地区,得分\n北京,12a\n", "row 2, column 2"},
		{"地区,地区生产总值(亿元)\n北京,abc\n", "row 2, column 2"},
		{"地区,得分\n北京,NaN\n", "row 2, column 2"},
	} {
		_, err := readString(t, c.in)
		if err == nil || !strings.Contains(i18n.Message(err, "en"), c.want) {
			t.Errorf("%q: %v, want an error at %s", c.in, err, c.want)
		}
	}
}

func TestRegionColumnIsExplicit(t *testing.T) {
	// A province column alone is the region, and a note says so.
	ds, err := readString(t, "province,gdp(亿元)\n北京,1\n天津,2\n")
	if err != nil {
		t.Fatal(err)
	}
	if len(ds.Notes) == 0 || !strings.Contains(ds.Notes[0].Text.EN, "--region-col") {
		t.Errorf("no note on the province column: %v", ds.Notes)
	}
	// Beside a region column it is an attribute and a matching hint.
	ds, err = readString(t, "city,province,gdp(亿元)\n朝阳,辽宁,1\n")
	if err != nil {
		t.Fatal(i18n.Message(err, "en"))
	}
	if _, ok := ds.Value("211300", "gdp", 0); !ok {
		t.Errorf("朝阳 in 辽宁 is 211300: %v", ds.Regions)
	}
	if a, ok := ds.Attribute("province"); !ok || a.Values["211300"] != "辽宁" {
		t.Errorf("province attribute %+v", a)
	}
	// --region-col names the region column.
	opts := testOpts(t)
	opts.RegionCol = "单位"
	ds, err = Read(strings.NewReader("编号,单位,省份,得分\n1,Alpha,北京,3\n2,Beta,天津,4\n"), "r.csv", CSV, opts)
	if err != nil {
		t.Fatal(i18n.Message(err, "en"))
	}
	if !ds.FreeUnits || len(ds.Regions) != 2 || ds.Regions[0].Code != "Alpha" {
		t.Errorf("regions %v", ds.Regions)
	}
	opts.RegionCol = "nope"
	if _, err := Read(strings.NewReader("a,b\n1,2\n"), "r.csv", CSV, opts); err == nil || !strings.Contains(i18n.Message(err, "en"), "--region-col") {
		t.Errorf("unknown --region-col: %v", err)
	}
}

// yearbookSheet builds a sheet as yearbooks publish them.
func yearbookSheet(t *testing.T, build func(f *excelize.File, sheet string)) *bytes.Buffer {
	t.Helper()
	f := excelize.NewFile()
	_ = f.SetSheetName("Sheet1", "表1")
	build(f, "表1")
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return &buf
}

func TestYearbookSheet(t *testing.T) {
	buf := yearbookSheet(t, func(f *excelize.File, s string) {
		_ = f.SetCellValue(s, "A1", "表1 各地区主要指标（2019年）")
		_ = f.MergeCell(s, "A1", "D1")
		_ = f.SetSheetRow(s, "A3", &[]any{"地区", "地区生产总值", "常住人口", "地区类型"})
		_ = f.SetSheetRow(s, "A4", &[]any{"", "（亿元）", "（万人）", ""})
		_ = f.SetSheetRow(s, "A5", &[]any{"北京", 35371.3, 2153.6, "东部"})
		_ = f.SetSheetRow(s, "A6", &[]any{"天津", 14104.3, 1561.8, "东部"})
		_ = f.SetSheetRow(s, "A7", &[]any{"山西", 17026.7, 3729.2, "中部"})
		_ = f.SetCellValue(s, "A8", "注：本表为示例。")
		_ = f.SetCellValue(s, "A9", "资料来源：国家统计局。")
	})
	opts := testOpts(t)
	opts.Year = 2019
	ds, err := Read(buf, "yearbook.xlsx", XLSX, opts)
	if err != nil {
		t.Fatal(i18n.Message(err, "en"))
	}
	if v, ok := ds.Value("140000", "gdp", 2019); !ok || v != 17026.7 {
		t.Errorf("Shanxi gdp %v %v", v, ok)
	}
	if v, ok := ds.Value("120000", "population", 2019); !ok || v != 1561.8 {
		t.Errorf("Tianjin population %v %v", v, ok)
	}
	if o, _ := ds.Lookup("110000", "gdp", 2019); o.Row != 5 {
		t.Errorf("Beijing's value is on row 5, provenance says %d", o.Row)
	}
	if a, ok := ds.Attribute("地区类型"); !ok || a.Values["140000"] != "中部" {
		t.Errorf("attribute %+v", a)
	}
	notes := ""
	for _, n := range ds.Notes {
		notes += n.Text.EN
	}
	if !strings.Contains(notes, "rows from 8 on are notes") {
		t.Errorf("notes %q", notes)
	}

	// A group header merged over two year columns, a row of years under
	// it and the unit in a title row.
	buf = yearbookSheet(t, func(f *excelize.File, s string) {
		_ = f.SetCellValue(s, "A1", "各地区生产总值")
		_ = f.SetCellValue(s, "A2", "单位：亿元")
		_ = f.SetSheetRow(s, "A3", &[]any{"地区", "地区生产总值"})
		_ = f.MergeCell(s, "B3", "C3")
		_ = f.SetSheetRow(s, "A4", &[]any{"", "2018年", "2019年"})
		_ = f.SetSheetRow(s, "A5", &[]any{"北京", 33106, 35371.3})
	})
	ds, err = Read(buf, "merged.xlsx", XLSX, testOpts(t))
	if err != nil {
		t.Fatal(i18n.Message(err, "en"))
	}
	if v, ok := ds.Value("110000", "gdp", 2018); !ok || v != 33106 {
		t.Errorf("2018: %v %v", v, ok)
	}
	if v, ok := ds.Value("110000", "gdp", 2019); !ok || v != 35371.3 {
		t.Errorf("2019: %v %v", v, ok)
	}

	// A two-row header with the unit in the header and years as numbers
	// (once refused as "a value in a column without a header").
	buf = yearbookSheet(t, func(f *excelize.File, s string) {
		_ = f.SetSheetRow(s, "A1", &[]any{"地区", "地区生产总值(亿元)"})
		_ = f.MergeCell(s, "B1", "C1")
		_ = f.SetSheetRow(s, "A2", &[]any{"", 2018, 2019})
		_ = f.SetSheetRow(s, "A3", &[]any{"北京", 33106, 35371.3})
	})
	ds, err = Read(buf, "merged2.xlsx", XLSX, testOpts(t))
	if err != nil {
		t.Fatal(i18n.Message(err, "en"))
	}
	if v, ok := ds.Value("110000", "gdp", 2018); !ok || v != 33106 {
		t.Errorf("merged with numeric years, 2018: %v %v", v, ok)
	}

	// Only titles: the error names the rows tried and the flags.
	buf = yearbookSheet(t, func(f *excelize.File, s string) {
		_ = f.SetCellValue(s, "A1", "表1 标题")
		_ = f.SetCellValue(s, "A2", "副标题")
	})
	_, err = Read(buf, "titles.xlsx", XLSX, testOpts(t))
	msg := i18n.Message(err, "en")
	for _, want := range []string{"no header found", "1（表1 标题）", "2（副标题）", "--header-row", "--sheet"} {
		if err == nil || !strings.Contains(msg, want) {
			t.Errorf("%q lacks %q", msg, want)
		}
	}

	// --header-row points at the header.
	buf = yearbookSheet(t, func(f *excelize.File, s string) {
		_ = f.SetSheetRow(s, "A1", &[]any{"说明", "这一行有两个单元格"})
		_ = f.SetSheetRow(s, "A2", &[]any{"地区", "常住人口(万人)"})
		_ = f.SetSheetRow(s, "A3", &[]any{"北京", 2153.6})
	})
	opts = testOpts(t)
	opts.HeaderRow = 2
	ds, err = Read(buf, "hr.xlsx", XLSX, opts)
	if err != nil {
		t.Fatal(i18n.Message(err, "en"))
	}
	if v, ok := ds.Value("110000", "population", 0); !ok || v != 2153.6 {
		t.Errorf("--header-row: %v %v", v, ok)
	}
}

func TestForeignFileFreeUnits(t *testing.T) {
	// German Länder (free units): gdp and population are the file's own
	// indicators, with no unit or the header's unit kept as a label.
	ds, err := readString(t, "region,group,lon,lat,gdp,population\nBavaria,South,11.5,48.8,716,13.1\nHesse,West,8.7,50.6,295,6.3\n")
	if err != nil {
		t.Fatal(i18n.Message(err, "en"))
	}
	if !ds.FreeUnits {
		t.Fatal("not free units")
	}
	gdp, ok := ds.Indicator("gdp")
	if !ok || gdp.Unit != "" || gdp.Dimension != "user" {
		t.Errorf("gdp %+v", gdp)
	}
	if v, _ := ds.Value("Hesse", "gdp", 0); v != 295 {
		t.Errorf("Hesse gdp %v (not converted)", v)
	}
	r, _ := ds.Region("Hesse")
	if r.Lon != 8.7 || r.Lat != 50.6 || r.CoordSource != "t.csv" {
		t.Errorf("Hesse coordinates %v %v %q", r.Lon, r.Lat, r.CoordSource)
	}
	if _, ok := ds.IndicatorIndex("lon"); ok {
		t.Error("a coordinate became an indicator")
	}
	if a, ok := ds.Attribute("group"); !ok || a.Values["Bavaria"] != "South" {
		t.Errorf("group %+v", a)
	}
	ds, err = readString(t, "region,gdp(million EUR)\nBavaria,716000\nHesse,295000\n")
	if err != nil {
		t.Fatal(i18n.Message(err, "en"))
	}
	var eur *Indicator
	for i := range ds.Indicators {
		if ds.Indicators[i].Unit == "million EUR" {
			eur = &ds.Indicators[i]
		}
	}
	if eur == nil {
		t.Fatalf("the unit label million EUR is lost: %v", ds.Indicators)
	}
	if v, _ := ds.Value("Bavaria", eur.Code, 0); v != 716000 {
		t.Errorf("Bavaria %s = %v, want 716000 unconverted", eur.Code, v)
	}
	// Chinese regions keep the catalogue strict.
	for _, in := range []string{"地区,gdp\n北京,1\n", "地区,gdp(million EUR)\n北京,1\n"} {
		if _, err := readString(t, in); err == nil {
			t.Errorf("%q accepted", in)
		}
	}
	// Coordinates out of range or half given are located errors.
	for _, in := range []string{"region,lon,lat,x\nA,200,10,1\n", "region,lon,lat,x\nA,10,,1\n"} {
		if _, err := readString(t, in); err == nil || !strings.Contains(i18n.Message(err, "en"), "row 2") {
			t.Errorf("%q: %v", in, err)
		}
	}
}
