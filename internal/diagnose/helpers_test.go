package diagnose

import (
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

// withCensus is the embedded data plus the built-in 2010/2020 census of
// every prefecture-level city (testdata/china2019/city_census_2010_2020.csv,
// leiii/census, MIT) and the files extra.
func withCensus(t testing.TB, extra ...string) *dataset.Dataset {
	t.Helper()
	ds := builtinData(t, dataset.BuiltinCensus)
	if len(extra) == 0 {
		return ds
	}
	parts := []*dataset.Dataset{ds}
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
