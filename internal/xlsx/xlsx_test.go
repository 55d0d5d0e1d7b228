package xlsx

import (
	"bytes"
	"math"
	"slices"
	"testing"

	"github.com/xuri/excelize/v2"
)

func TestWriteReadBack(t *testing.T) {
	var buf bytes.Buffer
	long := "a very long sheet name that Excel would refuse: [x]"
	err := Write(&buf,
		Sheet{Name: "数据", HeaderRows: 1, Rows: Rows([][]any{{"code", "value"}, {"A", 1.5}, {"B", math.NaN()}, {"C", nil}})},
		Sheet{Name: long, Rows: Rows([][]any{{"x"}})},
		Sheet{Name: long, Rows: Rows([][]any{{"y"}})},
	)
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	names := f.GetSheetList()
	if len(names) != 3 || names[0] != "数据" || len([]rune(names[1])) > 31 || names[1] == names[2] {
		t.Fatalf("sheets %q", names)
	}
	rows, err := f.GetRows("数据")
	if err != nil {
		t.Fatal(err)
	}
	// NaN and nil are empty cells; numbers stay numbers.
	if len(rows) != 4 || rows[1][1] != "1.5" || len(rows[2]) != 1 || len(rows[3]) != 1 {
		t.Errorf("rows %q", rows)
	}
	typ, err := f.GetCellType("数据", "B2")
	if err != nil || typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString {
		t.Errorf("B2 stored as %v %v, want a number", typ, err)
	}
	style, _ := f.GetCellStyle("数据", "A1")
	plain, _ := f.GetCellStyle("数据", "A2")
	if style == plain {
		t.Error("header not styled")
	}
	if err := Write(&bytes.Buffer{}); err == nil {
		t.Error("a workbook without sheets was written")
	}
}

// A name UniqueName made is kept by Write, which applies it again: a
// table of contents can name the sheets beforehand.
func TestUniqueNameKept(t *testing.T) {
	used := map[string]bool{}
	var names []string
	for _, n := range []string{"表1 人口：2020", "表1 人口：2020", "a/b?c*[d]", "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三"} {
		names = append(names, UniqueName(n, used))
	}
	var sheets []Sheet
	for _, n := range names {
		sheets = append(sheets, Sheet{Name: n, Rows: Rows([][]any{{1.0}})})
	}
	var buf bytes.Buffer
	if err := Write(&buf, sheets...); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); !slices.Equal(got, names) {
		t.Errorf("sheets %q, made beforehand %q", got, names)
	}
}
