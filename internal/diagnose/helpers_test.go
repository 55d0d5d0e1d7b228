package diagnose

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"os"
	"strings"
	"testing"

	"agglo/internal/dataset"
)

// embedded loads the embedded paper data.
func embedded(t testing.TB) *dataset.Dataset {
	t.Helper()
	ds, err := dataset.Default()
	if err != nil {
		t.Fatal(err)
	}
	return ds
}

// readData reads a test file with the embedded registry and catalogue.
func readData(t testing.TB, path string) *dataset.Dataset {
	t.Helper()
	reg, err := dataset.LoadRegistry()
	if err != nil {
		t.Fatal(err)
	}
	cat, err := dataset.LoadCatalogue()
	if err != nil {
		t.Fatal(err)
	}
	ds, err := dataset.ReadFile(path, dataset.ReadOptions{Registry: reg, Catalogue: cat})
	if err != nil {
		t.Fatal(err)
	}
	return ds
}

// censusLong rewrites testdata/china2019/city_census_2010_2020.csv
// (leiii/census, MIT) as a long table of the catalogue's population and
// urban population in persons (人; the importer converts to 万人), the
// mapping the built-in census data will use. Municipalities keep their
// xx0100 codes, which the registry resolves.
func censusLong(t testing.TB) []byte {
	t.Helper()
	b, err := os.ReadFile("../../testdata/china2019/city_census_2010_2020.csv")
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	var out strings.Builder
	out.WriteString("region,indicator,year,value,unit\n")
	for _, r := range recs[1:] {
		for _, y := range []string{"2010", "2020"} {
			for _, c := range []struct{ col, ind string }{{"popu_", "常住人口"}, {"popu_urban_", "城镇常住人口"}} {
				if v := r[col[c.col+y]]; v != "" {
					fmt.Fprintf(&out, "%s,%s,%s,%s,人\n", r[col["city_code"]], c.ind, y, v)
				}
			}
		}
	}
	return []byte(out.String())
}

// withCensus is the embedded data plus the 2010/2020 census of every
// prefecture-level city.
func withCensus(t testing.TB, extra ...string) *dataset.Dataset {
	t.Helper()
	base := embedded(t)
	census, err := dataset.Read(bytes.NewReader(censusLong(t)), "census.csv", dataset.CSV, dataset.ReadOptions{Registry: base.Registry, Catalogue: base.Catalogue})
	if err != nil {
		t.Fatal(err)
	}
	parts := []*dataset.Dataset{base, census}
	for _, p := range extra {
		parts = append(parts, readData(t, p))
	}
	ds, err := dataset.Merge("embedded + census", parts...)
	if err != nil {
		t.Fatal(err)
	}
	return ds
}

func runOn(t testing.TB, ds *dataset.Dataset, codes ...string) *Result {
	t.Helper()
	cfg, err := DefaultConfig()
	if err != nil {
		t.Fatal(err)
	}
	cfg.Agglomerations = codes
	res, err := Run(ds, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func get(t testing.TB, res *Result, code string) *Agglomeration {
	t.Helper()
	a, ok := res.Agglomeration(code)
	if !ok {
		t.Fatalf("no %s in result", code)
	}
	return a
}

func evidence(a []Evidence, metric string) (Evidence, bool) {
	for _, e := range a {
		if e.Metric == metric {
			return e, true
		}
	}
	return Evidence{}, false
}
