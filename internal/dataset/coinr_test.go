package dataset

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"agglo/internal/i18n"
)

// A small iMeta and iData in the shape COINr documents (COINr's
// "Building coins" vignette: iData has uCode, uName, optionally Time and
// group columns, one column per indicator; iMeta has iCode, iName, Level,
// Parent, Direction, Weight, Type, and optionally Unit). The numbers are
// made up for the test; expected values below are read off these tables.
const (
	testIMeta = `iCode,iName,Level,Parent,Direction,Weight,Type,Unit
Flights,International flights,1,Conn,1,1,Indicator,
CO2,CO2 emissions per capita,1,Sust,-1,1,Indicator,
Pop,Population,1,Size,1,0.5,Indicator,万人
Conn,Connectivity,2,Index,1,1,Aggregate,
Sust,Sustainability,2,Index,1,1,Aggregate,
Size,Size,2,Index,1,1,Aggregate,
Index,Index,3,,1,1,Aggregate,
GDP_group,GDP group,,,,,Group,
`
	testIData = `uCode,uName,Time,GDP_group,Flights,CO2,Pop
AUT,Austria,2019,high,29.01,7.3,889.3
BEL,Belgium,2019,high,31.88,NA,1149.0
BGR,Bulgaria,2019,low,9.84,5.9,
AUT,Austria,2020,high,12.5,6.9,890.1
`
)

func writeCOINr(t *testing.T, data, meta string) (string, string) {
	t.Helper()
	dir := t.TempDir()
	dp, mp := filepath.Join(dir, "iData.csv"), filepath.Join(dir, "iMeta.csv")
	if err := os.WriteFile(dp, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(mp, []byte(meta), 0o644); err != nil {
		t.Fatal(err)
	}
	return dp, mp
}

func TestReadCOINrFreeUnits(t *testing.T) {
	dp, mp := writeCOINr(t, testIData, testIMeta)
	ds, err := ReadCOINr(dp, mp, testOpts(t))
	if err != nil {
		t.Fatal(i18n.Message(err, "en"))
	}
	// Three unit codes (AUT, BEL, BGR), none in the Chinese registry.
	if !ds.FreeUnits || len(ds.Regions) != 3 {
		t.Fatalf("free units %v, %d regions", ds.FreeUnits, len(ds.Regions))
	}
	// Three Indicator rows in iMeta; the Group column is not data.
	if len(ds.Indicators) != 3 {
		t.Fatalf("%d indicators: %+v", len(ds.Indicators), ds.Indicators)
	}
	co2, _ := ds.Indicator("CO2")
	if co2.Polarity != LowerBetter || co2.NameEN != "CO2 emissions per capita" || co2.Dimension != "Sust" {
		t.Errorf("CO2 = %+v (Direction -1 must give LowerBetter)", co2)
	}
	if pop, _ := ds.Indicator("Pop"); pop.Unit != "万人" {
		t.Errorf("Pop unit %q, want 万人 from iMeta", pop.Unit)
	}
	// iData: AUT 2020 Flights = 12.5 on line 5, column 5.
	o, ok := ds.Lookup("AUT", "Flights", 2020)
	if !ok || o.Value != 12.5 {
		t.Fatalf("AUT Flights 2020 = %v %v", o.Value, ok)
	}
	if p := ds.Provenance(o); p.File != "iData.csv" || p.Row != 5 || p.Col != 5 {
		t.Errorf("provenance %+v", p)
	}
	// 4 rows × 3 indicators = 12 cells, of which BEL CO2 (NA) and BGR Pop
	// (empty) are missing: 10 observations.
	if ds.Len() != 10 {
		t.Errorf("%d observations, want 10", ds.Len())
	}
	if _, ok := ds.Value("BEL", "CO2", 2019); ok {
		t.Error("NA imported as a value")
	}
}

func TestReadCOINrRegistryRegionsAndCatalogueUnits(t *testing.T) {
	// uCodes are GB/T 2260 codes, so the units are registry regions;
	// "population" is a catalogue code (unit 万人), given here in 人:
	// Beijing 21,536,000 人 = 2,153.6 万人 (1 万人 = 10,000 人).
	meta := "iCode,iName,Level,Parent,Direction,Weight,Type,Unit\npopulation,常住人口,1,Size,1,1,Indicator,人\nrd,R&D intensity,1,Inno,1,1,Indicator,%\n"
	data := "uCode,uName,Time,population,rd\n110000,北京,2019,21536000,6.31\n310000,上海,2019,24281400,4.00\n"
	dp, mp := writeCOINr(t, data, meta)
	ds, err := ReadCOINr(dp, mp, testOpts(t))
	if err != nil {
		t.Fatal(i18n.Message(err, "en"))
	}
	if ds.FreeUnits {
		t.Fatal("GB/T codes read as free units")
	}
	if v, _ := ds.Value("110000", "population", 2019); math.Abs(v-2153.6) > 1e-9 {
		t.Errorf("Beijing population %v 万人, want 2153.6", v)
	}
	if v, _ := ds.Value("310000", "rd", 2019); v != 4 {
		t.Errorf("Shanghai rd %v", v)
	}
}

func TestReadCOINrErrorsAreLocated(t *testing.T) {
	cases := []struct {
		name, data, meta string
		want             []string // in the English message
	}{
		{"column not in iMeta", "uCode,uName,Flights,Extra\nAUT,Austria,1,2\n", "iCode,iName,Level,Parent,Direction,Weight,Type\nFlights,F,1,,1,1,Indicator\n",
			[]string{"iData.csv", "row 1", "column 4", `"Extra" is not in iMeta`}},
		{"indicator missing from iData", "uCode,uName,Flights\nAUT,Austria,1\n", "iCode,iName,Level,Parent,Direction,Weight,Type\nFlights,F,1,,1,1,Indicator\nCO2,C,1,,-1,1,Indicator\n",
			[]string{"iMeta.csv", "row 3", `"CO2" has no column in iData`}},
		{"bad direction", "uCode,uName,Flights\nAUT,Austria,1\n", "iCode,iName,Level,Parent,Direction,Weight,Type\nFlights,F,1,,2,1,Indicator\n",
			[]string{"iMeta.csv", "row 2", "column 5", "Direction"}},
		{"non-numeric value", "uCode,uName,Flights\nAUT,Austria,1\nBEL,Belgium,many\n", "iCode,iName,Level,Parent,Direction,Weight,Type\nFlights,F,1,,1,1,Indicator\n",
			[]string{"iData.csv", "row 3", "column 3", "not a number"}},
		{"unknown unit", "uCode,uName,Flights\nAUT,Austria,1\n", "iCode,iName,Level,Parent,Direction,Weight,Type,Unit\nFlights,F,1,,1,1,Indicator,furlongs\n",
			[]string{"iMeta.csv", "row 2", "Unit", `unknown unit "furlongs"`}},
		{"bad time", "uCode,uName,Time,Flights\nAUT,Austria,soon,1\n", "iCode,iName,Level,Parent,Direction,Weight,Type\nFlights,F,1,,1,1,Indicator\n",
			[]string{"iData.csv", "row 2", "column 3", `malformed year "soon"`}},
		{"some regions in the registry", "uCode,uName,x\n110000,北京,1\nXYZ,Atlantis,2\n", "iCode,iName,Level,Parent,Direction,Weight,Type\nx,X,1,,1,1,Indicator\n",
			[]string{"row 3", "unknown region", "Atlantis"}},
		{"catalogue indicator without unit", "uCode,uName,population\n110000,北京,2153.6\n", "iCode,iName,Level,Parent,Direction,Weight,Type\npopulation,P,1,,1,1,Indicator\n",
			[]string{"iMeta.csv", "row 2", "Unit", "catalogue"}},
		{"duplicate unit", "uCode,uName,x\nA,a,1\nA,a,2\n", "iCode,iName,Level,Parent,Direction,Weight,Type\nx,X,1,,1,1,Indicator\n",
			[]string{"iData.csv", "row 3", "duplicate unit"}},
		{"aggregate as data", "uCode,uName,x,Agg\nA,a,1,2\n", "iCode,iName,Level,Parent,Direction,Weight,Type\nx,X,1,Agg,1,1,Indicator\nAgg,A,2,,1,1,Aggregate\n",
			[]string{"iData.csv", "column 4", "Aggregate"}},
		{"all empty", "uCode,uName,x\nA,a,NA\n", "iCode,iName,Level,Parent,Direction,Weight,Type\nx,X,1,,1,1,Indicator\n",
			[]string{"no values"}},
		{"binary iData", "uCode\x00,uName\n", "iCode,iName,Level,Parent,Direction,Weight,Type\n", []string{"binary"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dp, mp := writeCOINr(t, c.data, c.meta)
			ds, err := ReadCOINr(dp, mp, testOpts(t))
			if err == nil {
				t.Fatal("no error")
			}
			if ds != nil {
				t.Error("dataset returned with an error")
			}
			var ie *ImportError
			if !errors.As(err, &ie) {
				t.Fatalf("%T is not an *ImportError: %v", err, err)
			}
			en := i18n.Message(err, "en")
			for _, w := range c.want {
				if !strings.Contains(en, w) {
					t.Errorf("%q lacks %q", en, w)
				}
			}
			if zh := i18n.Message(err, "zh"); zh == en {
				t.Errorf("no Chinese message: %q", zh)
			}
		})
	}
	if _, err := ReadCOINr("/nonexistent/iData.csv", "/nonexistent/iMeta.csv", testOpts(t)); err == nil {
		t.Error("missing file accepted")
	}
}
