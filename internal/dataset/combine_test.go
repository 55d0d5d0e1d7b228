package dataset

import (
	"fmt"
	"strings"
	"testing"
)

func TestCombineEqualValuesConflictsAndPrefer(t *testing.T) {
	opts := testOpts(t)
	read := func(name, text string) *Dataset {
		t.Helper()
		ds, err := Read(strings.NewReader(text), name, CSV, opts)
		if err != nil {
			t.Fatal(err)
		}
		return ds
	}
	a := read("a.csv", "地区,年份,地区生产总值(亿元)\n北京,2019,1\n天津,2019,2\n")
	same := read("same.csv", "地区,年份,地区生产总值(亿元)\n天津,2019,2\n河北,2019,3\n")
	m, err := Combine("a+same", CombineOptions{Prefer: -1}, a, same)
	if err != nil {
		t.Fatalf("equal values are no conflict: %v", err)
	}
	if m.Len() != 3 {
		t.Errorf("%d values, want 3 (天津 once)", m.Len())
	}
	other := read("other.csv", "地区,年份,地区生产总值(亿元)\n河北,2019,3\n天津,2019,9\n")
	_, err = Combine("a+other", CombineOptions{Prefer: -1}, a, other)
	// 天津 is row 3 of a.csv (value 2) and row 3 of other.csv (value 9).
	for _, want := range []string{"a.csv (row 3)", "other.csv (row 3)", "is 2 in", "9 in", "--prefer"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("conflict message %v lacks %q", err, want)
		}
	}
	for _, tc := range []struct {
		prefer int
		want   float64
	}{{0, 2}, {1, 9}} {
		m, err := Combine("a+other", CombineOptions{Prefer: tc.prefer}, a, other)
		if err != nil {
			t.Fatal(err)
		}
		if v, _ := m.Value("120000", "gdp", 2019); v != tc.want {
			t.Errorf("prefer %d: 天津 = %v, want %v", tc.prefer, v, tc.want)
		}
		if len(m.Notes) != 1 || !strings.Contains(m.Notes[0].Text.EN, "1 values of") {
			t.Errorf("prefer %d: notes %v", tc.prefer, m.Notes)
		}
	}
	if a.Len() != 2 || other.Len() != 2 {
		t.Error("inputs changed")
	}
}

// TestCombineSparse covers columns held sparse (few values among many
// regions), where duplicates are found when the column is finished.
func TestCombineSparse(t *testing.T) {
	opts := testOpts(t)
	var wide strings.Builder
	wide.WriteString("code,year,population(万人)\n")
	cities := 0
	for _, r := range opts.Registry.Regions() {
		if r.Level == LevelCity && cities < 200 {
			fmt.Fprintf(&wide, "%s,2010,%d\n", r.Code, 100+cities)
			cities++
		}
	}
	big, err := Read(strings.NewReader(wide.String()), "big.csv", CSV, opts)
	if err != nil {
		t.Fatal(err)
	}
	one, err := Read(strings.NewReader("code,year,population(万人)\n510100,2020,1\n"), "one.csv", CSV, opts)
	if err != nil {
		t.Fatal(err)
	}
	code := big.Regions[150].Code
	clash, err := Read(strings.NewReader("code,year,population(万人)\n"+code+",2010,7\n"), "clash.csv", CSV, opts)
	if err != nil {
		t.Fatal(err)
	}
	// one.csv first, so that big.csv's regions come after it and the 2010
	// column of the result is sparse in its first part's terms.
	if _, err := Combine("x", CombineOptions{Prefer: -1}, one, big, clash); err == nil || !strings.Contains(err.Error(), "clash.csv (row 2)") {
		t.Errorf("sparse conflict: %v", err)
	}
	m, err := Combine("x", CombineOptions{Prefer: 2}, one, big, clash)
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := m.Value(code, "population", 2010); v != 7 {
		t.Errorf("preferred value %v, want 7", v)
	}
	if m.Len() != 201 {
		t.Errorf("%d values, want 201", m.Len())
	}
}
