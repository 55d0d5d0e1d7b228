package dataset

import (
	"bytes"
	"context"
	"math"
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
