package dataset

import (
	"bytes"
	"context"
	"errors"
	"math"
	"slices"
	"strings"
	"testing"
)

// TestBuiltinFresh checks that each embedded binary form is what importing
// its CSV copy gives today: a change of the catalogue or the registry
// makes it stale, and go generate ./internal/dataset rebuilds it.
func TestBuiltinFresh(t *testing.T) {
	for _, src := range BuiltinSources() {
		if src.File == "" {
			continue
		}
		want, err := BuildBuiltin(src.ID)
		if err != nil {
			t.Fatalf("%s: %v", src.ID, err)
		}
		got, err := gunzipFile(builtinFiles, "data/builtin/"+src.ID+".agglo.gz")
		if err != nil {
			t.Fatal(err)
		}
		wantRaw, err := gunzipBytes(want)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, wantRaw) {
			t.Errorf("%s: data/builtin/%s.agglo.gz is stale: run go generate ./internal/dataset", src.ID, src.ID)
		}
	}
}

// TestBuiltinValues checks values of each built-in data set against the
// source files they were copied from (testdata/SOURCE.md names them).
func TestBuiltinValues(t *testing.T) {
	var e Embedded
	ctx := context.Background()
	cases := []struct {
		id, region, indicator string
		year                  int
		want                  float64
		why                   string
	}{
		// city_census_2010_2020.csv row 成都市: popu_2020 = 20937757 persons = 2093.7757 万人.
		{BuiltinCensus, "510100", "population", 2020, 2093.7757, "census Chengdu 2020"},
		// popu_2010 = 15118840 persons.
		{BuiltinCensus, "510100", "population", 2010, 1511.884, "census Chengdu 2010"},
		// Beijing is keyed 110100 in the census: the registry's alias of 110000.
		{BuiltinCensus, "110000", "urban_population", 2020, 1916.6433, "census Beijing urban 2020 (19166433)"},
		// province_2019_long.csv: 重庆 (code written 5e+05), R&D经费 2019 = 469.6 亿元
		// (2019 R&D bulletin) = 4,696,000 万元, the catalogue's unit; the
		// panel's 2019 value is the same number.
		{BuiltinProvince201, "500000", "rd_expenditure", 2019, 4696000, "Chongqing R&D 2019"},
		{BuiltinProvinceST, "500000", "rd_expenditure", 2019, 4696000, "panel Chongqing R&D 2019"},
		// city_intercity_connectivity_liang2024.csv: 北京市 专利数 2017 =
		// 106499 件; 城际合作论文网络度 2017 = 35119 篇; 苏州市 GDP (urban
		// districts) 2016 = 80084500 万元 = 8008.45 亿元, kept apart from the
		// whole-city gdp; 户籍人口 3480000 人 = 348 万人.
		{BuiltinConnectivity, "110000", "patents", 2017, 106499, "Beijing patents 2017"},
		{BuiltinConnectivity, "110000", "copublication_degree", 2017, 35119, "Beijing co-publication degree"},
		{BuiltinConnectivity, "320500", "gdp_district", 2016, 8008.45, "Suzhou urban-district GDP 2016"},
		{BuiltinConnectivity, "320500", "registered_population_district", 2016, 348, "Suzhou registered population 2016"},
		// city_2019.csv: 北京市 地区生产总值(全市) 2015 = 230145900 万元 =
		// 23014.59 亿元 (the official 2015 value); 苏州市 145040700 万元.
		{BuiltinCityGDP, "110000", "gdp", 2015, 23014.59, "Beijing whole-city GDP 2015"},
		{BuiltinCityGDP, "320500", "gdp", 2015, 14504.07, "Suzhou whole-city GDP 2015"},
	}
	for _, c := range cases {
		ds, err := e.Builtin(ctx, c.id)
		if err != nil {
			t.Fatalf("%s: %v", c.id, err)
		}
		got, ok := ds.Value(c.region, c.indicator, c.year)
		if !ok || math.Abs(got-c.want) > 1e-6*math.Abs(c.want) {
			t.Errorf("%s: %s/%s/%d = %v (%v), want %v", c.why, c.region, c.indicator, c.year, got, ok, c.want)
		}
	}
	// The urban-district series never mix with the whole-city ones: the
	// connectivity file has no gdp or population, the GDP file no other
	// year than 2015, and 莱芜 (merged into 济南 in 2019) is left out.
	conn, _ := e.Builtin(ctx, BuiltinConnectivity)
	for _, code := range []string{"gdp", "population"} {
		if _, ok := conn.IndicatorIndex(code); ok {
			t.Errorf("city-connectivity holds %s: urban-district values mixed with whole-city ones", code)
		}
	}
	if n := len(conn.Regions); n != 274 {
		t.Errorf("city-connectivity has %d cities, want 274", n)
	}
	gdp, _ := e.Builtin(ctx, BuiltinCityGDP)
	if ys := gdp.YearsOf("gdp", nil); len(ys) != 1 || ys[0] != 2015 {
		t.Errorf("city GDP years %v, want 2015 only", ys)
	}
	if n := len(gdp.Regions); n != 118 {
		t.Errorf("city GDP covers %d units, want 118", n)
	}
	st, _ := e.Builtin(ctx, BuiltinProvinceST)
	if ys := st.YearsOf("rd_expenditure", nil); len(ys) == 0 || ys[0] > 2011 || ys[len(ys)-1] < 2023 {
		t.Errorf("panel rd_expenditure years %v, want 2011..2023", ys)
	}
	again, _ := e.Builtin(ctx, BuiltinProvinceST)
	if again != st {
		t.Error("Builtin read the panel twice")
	}
	if _, err := e.Builtin(ctx, "nope"); err == nil {
		t.Error("unknown id accepted")
	}
	if _, err := e.Builtin(ctx, BuiltinPaper); err == nil {
		t.Error("the paper's data are not the dataset package's to build")
	}
}

// TestConnectivityRollup: city patents roll up to the agglomerations by
// their sum, with coverage; network degrees do not, and the notes say why.
// By hand from testdata/china_panel/city_intercity_connectivity_liang2024.csv
// (专利数, 2017), BTH's 13 members: 106499 + 41459 + 7453 + 3647 + 2990 +
// 2426 + 2805 + 5422 + 978 + 762 + 3020 + 3472 + 2068 = 183001. 成都 has no
// row, so CC is covered 15 of 16.
func TestConnectivityRollup(t *testing.T) {
	var e Embedded
	conn, err := e.Builtin(context.Background(), BuiltinConnectivity)
	if err != nil {
		t.Fatal(err)
	}
	ds, err := conn.WithRollups(RollupOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if v, ok := ds.Value("BTH", "patents", 2017); !ok || v != 183001 {
		t.Errorf("BTH patents %v (%v), want 183001", v, ok)
	}
	o, ok := ds.Lookup("CC", "patents", 2017)
	if !ok {
		t.Fatal("no CC patents")
	}
	if r := ds.Provenance(o).Rollup; r == nil || r.Covered != 15 || r.Members != 16 || !slices.Contains(r.Missing, "510100") {
		t.Errorf("CC patents roll-up %+v", r)
	}
	if _, ok := ds.Value("BTH", "copublication_degree", 2017); ok {
		t.Error("a network degree was rolled up")
	}
	found := false
	for _, n := range ds.Notes {
		found = found || strings.Contains(n.Localized("en"), "counts the links among them twice") && strings.Contains(n.Localized("zh"), "城际合作论文网络度")
	}
	if !found {
		t.Errorf("no note says why degrees are not rolled up: %v", ds.Notes)
	}
}

// TestBuiltinCancelledIsNotKept: a first call with a cancelled context
// fails with its error, and a later call still gets the data set (the
// error is not kept for the life of the Embedded value).
func TestBuiltinCancelledIsNotKept(t *testing.T) {
	var e Embedded
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := e.Builtin(ctx, BuiltinCityGDP); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled: %v", err)
	}
	ds, err := e.Builtin(context.Background(), BuiltinCityGDP)
	if err != nil || ds == nil || ds.Len() == 0 {
		t.Fatalf("after a cancelled call: %v", err)
	}
}
