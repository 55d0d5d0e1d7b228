package dataset

import (
	"math"
	"reflect"
	"strings"
	"testing"

	"agglo/internal/i18n"
)

// freeUnits reads a long table of free units: region, indicator, year,
// value. Ten units; "a" has values for all of them in 2019 and 2020 (dense
// columns), "b" for one unit only (a sparse column).
func freeUnits(t *testing.T) *Dataset {
	t.Helper()
	var b strings.Builder
	b.WriteString("region,indicator,year,value\n")
	for _, y := range []string{"2019", "2020"} {
		for u := 0; u < 10; u++ {
			b.WriteString("U" + string(rune('0'+u)) + ",a," + y + "," + string(rune('0'+u)) + "\n")
		}
	}
	b.WriteString("U7,b,2019,70\n")
	ds, err := Read(strings.NewReader(b.String()), "u.csv", CSV, testOpts(t))
	if err != nil {
		t.Fatal(i18n.Message(err, "en"))
	}
	return ds
}

func nanEqual(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] && !(math.IsNaN(a[i]) && math.IsNaN(b[i])) {
			return false
		}
	}
	return true
}

func TestColumnsDenseAndSparse(t *testing.T) {
	ds := freeUnits(t)
	ia, _ := ds.IndicatorIndex("a")
	ib, _ := ds.IndicatorIndex("b")
	if c := ds.columnOf(ia, 2019); c == nil || !c.dense {
		t.Fatal("a/2019 should be dense")
	}
	if c := ds.columnOf(ib, 2019); c == nil || c.dense {
		t.Fatal("b/2019 should be sparse")
	}
	if ds.Len() != 21 || !reflect.DeepEqual(ds.Years(), []int{2019, 2020}) {
		t.Fatalf("%d values, years %v", ds.Len(), ds.Years())
	}
	// Slice: aligned with ds.Regions (U0..U9 in first-seen order).
	want := []float64{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}
	if got := ds.Slice("a", 2020); !nanEqual(got, want) {
		t.Errorf("Slice(a, 2020) = %v", got)
	}
	nan := math.NaN()
	if got := ds.Slice("b", 2019); !nanEqual(got, []float64{nan, nan, nan, nan, nan, nan, nan, 70, nan, nan}) {
		t.Errorf("Slice(b, 2019) = %v", got)
	}
	if got := ds.Slice("b", 2020); len(got) != 10 || !math.IsNaN(got[0]) {
		t.Errorf("Slice(b, 2020) = %v", got)
	}
	if ds.Slice("zzz", 2019) != nil {
		t.Error("unknown indicator gives a slice")
	}
	// The slice belongs to the caller.
	s := ds.Slice("a", 2019)
	s[0] = 99
	if v, _ := ds.Value("U0", "a", 2019); v != 0 {
		t.Errorf("Slice shares the column: %v", v)
	}
	years, values := ds.Panel("a")
	if !reflect.DeepEqual(years, []int{2019, 2020}) || len(values) != 2 || !nanEqual(values[1], want) {
		t.Errorf("Panel = %v %v", years, values)
	}
	if got := ds.UnitsWith([]string{"a", "b"}, 2019); !reflect.DeepEqual(got, []int{7}) {
		t.Errorf("UnitsWith(a, b) = %v", got)
	}
	if got := ds.UnitsWith([]string{"a"}, 2020); len(got) != 10 {
		t.Errorf("UnitsWith(a) = %v", got)
	}
	if got := ds.UnitsWith([]string{"a", "b"}, 2020); got != nil {
		t.Errorf("UnitsWith in a year without b = %v", got)
	}
	if got := ds.YearsOf("a", func(r int) bool { return r == 7 }); !reflect.DeepEqual(got, []int{2019, 2020}) {
		t.Errorf("YearsOf = %v", got)
	}
	if got := ds.YearsOf("b", func(r int) bool { return r == 3 }); got != nil {
		t.Errorf("YearsOf(b, U3) = %v", got)
	}
	counts, ys := ds.IndicatorYears()
	if !reflect.DeepEqual(counts, []int{20, 1}) || !reflect.DeepEqual(ys, [][]int{{2019, 2020}, {2019}}) {
		t.Errorf("IndicatorYears = %v %v", counts, ys)
	}
	if rc := ds.RegionObservationCounts(); rc[7] != 3 || rc[0] != 2 {
		t.Errorf("RegionObservationCounts = %v", rc)
	}
	// All: by indicator, year, region; provenance points at the file row:
	// U7's b is on row 22 (header, 20 rows of a, then it), column 4.
	var seen []Observation
	for o := range ds.All() {
		seen = append(seen, o)
	}
	last := seen[len(seen)-1]
	if len(seen) != 21 || seen[0].Year != 2019 || seen[0].Region != 0 || last.Indicator != int32(ib) || last.Row != 22 || last.Col != 4 {
		t.Errorf("All: first %+v last %+v", seen[0], last)
	}
	if obs := ds.ObservationsOf("U7"); len(obs) != 3 || obs[2].Value != 70 {
		t.Errorf("ObservationsOf(U7) = %+v", obs)
	}
	if got := ds.Column([]string{"U7", "nowhere"}, "b", 2019); got[0] != 70 || !math.IsNaN(got[1]) {
		t.Errorf("Column = %v", got)
	}
}

func TestAddDerived(t *testing.T) {
	ds, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	n := ds.Len()
	var first Observation
	for o := range ds.All() {
		first = o
		break
	}
	r, ind := ds.Regions[first.Region].Code, ds.Indicators[first.Indicator].Code
	if err := ds.AddDerived(r, ind, int(first.Year), 1, "x", nil); err == nil {
		t.Error("a derived value over a published one was accepted")
	}
	if err := ds.AddDerived("130100", "gdp", 1999, math.NaN(), "x", nil); err == nil {
		t.Error("NaN accepted")
	}
	in := []ObsRef{{Region: "110000", Indicator: "gdp", Year: 2019}}
	if err := ds.AddDerived("130100", "gdp", 1999, 42, "2 × 21", in); err != nil {
		t.Fatal(err)
	}
	o, ok := ds.Lookup("130100", "gdp", 1999)
	if !ok || o.Value != 42 || ds.Len() != n+1 {
		t.Fatalf("%+v %v", o, ok)
	}
	if p := ds.Provenance(o); p.Kind != Derived || p.Formula != "2 × 21" || !reflect.DeepEqual(p.Inputs, in) {
		t.Errorf("provenance %+v", p)
	}
	if ys := ds.Years(); ys[0] != 1999 {
		t.Errorf("years %v", ys)
	}
}

func TestMergeColumns(t *testing.T) {
	opts := testOpts(t)
	a, err := Read(strings.NewReader("地区,年份,地区生产总值(亿元)\n北京,2019,1\n天津,2019,2\n"), "a.csv", CSV, opts)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Read(strings.NewReader("地区,年份,地区生产总值(亿元)\n河北,2019,3\n北京,2020,4\n"), "b.csv", CSV, opts)
	if err != nil {
		t.Fatal(err)
	}
	m, err := Merge("ab", a, b)
	if err != nil {
		t.Fatal(err)
	}
	if m.Len() != 4 || len(m.Regions) != 3 {
		t.Fatalf("%d values, %d regions", m.Len(), len(m.Regions))
	}
	o, _ := m.Lookup("130000", "gdp", 2019)
	if p := m.Provenance(o); o.Value != 3 || p.File != "b.csv" || p.Row != 2 {
		t.Errorf("%+v %+v", o, p)
	}
	if a.Len() != 2 || b.Len() != 2 {
		t.Error("inputs changed")
	}
	c, _ := Read(strings.NewReader("地区,年份,地区生产总值(亿元)\n天津,2019,9\n"), "c.csv", CSV, opts)
	_, err = Merge("ac", a, c)
	if err == nil || !strings.Contains(err.Error(), "appears in both a.csv and c.csv") {
		t.Errorf("duplicate: %v", err)
	}
}

func TestEmbeddedParsesOnce(t *testing.T) {
	var e Embedded
	r1, err1 := e.Registry()
	r2, err2 := e.Registry()
	c1, _ := e.Catalogue()
	c2, _ := e.Catalogue()
	if err1 != nil || err2 != nil || r1 != r2 || c1 != c2 || r1 == nil || c1 == nil {
		t.Fatal("Embedded did not keep its registry and catalogue")
	}
	opts, err := e.Fill(ReadOptions{})
	if err != nil || opts.Registry != r1 || opts.Catalogue != c1 {
		t.Fatal("Fill")
	}
	// Reading a file does not change the shared catalogue.
	n := len(c1.List())
	if _, err := Read(strings.NewReader("region,new_thing\nA,1\n"), "n.csv", CSV, opts); err != nil {
		t.Fatal(err)
	}
	if len(c1.List()) != n {
		t.Error("the shared catalogue grew")
	}
}
