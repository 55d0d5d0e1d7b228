package server

import (
	"math"
	"net/url"
	"os"
	"testing"
)

// TestMeasureMethods16: the methods of the spatial, convergence and
// decomposition family through GET /api/v1/measures/{method} on real data,
// with numbers from the reference scripts (testdata/reference/spatial/
// gen_spdep_panel.R: R spdep 1.2-7; convergence/gen_province_panel.py:
// statsmodels 0.13.5), and 400 naming the field for parameters that do not
// parse.
func TestMeasureMethods16(t *testing.T) {
	e := newEnv(t, Config{})
	upload := func(path string) string {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		r := e.upload("data.csv", b)
		want(t, r, 201)
		var d struct{ Dataset DatasetInfo }
		r.json(t, &d)
		return d.Dataset.ID
	}
	cities := upload("../../testdata/reference/spatial/cities.csv")
	panel := upload("../../testdata/china_panel/province_st_techme_2010_2023.csv")

	r := e.get("/api/v1/measures/moran?dataset=" + cities + "&indicator=pop&year=2020&spatial-weights=knn:6&permutations=99")
	want(t, r, 200)
	var m struct {
		Method, Summary string
		Value, Expected float64
		N               int
		PSim            *float64 `json:"p_sim"`
	}
	r.json(t, &m)
	// spdep moran.test(pop2020, knn6 "W"): I = 0.0461582633338895.
	if m.Method != "moran" || m.N != 95 || math.Abs(m.Value-0.0461582633338895) > 1e-10 || m.PSim == nil || m.Summary == "" {
		t.Errorf("moran %+v", m)
	}
	r = e.get("/api/v1/measures/convergence?dataset=" + panel + "&indicator=rd_intensity")
	want(t, r, 200)
	var c struct {
		Beta struct{ Coefficient, SE float64 }
	}
	r.json(t, &c)
	// statsmodels OLS: b = -0.008881830491957659, se 0.005475256707182284.
	if math.Abs(c.Beta.Coefficient+0.008881830491957659) > 1e-12 || math.Abs(c.Beta.SE-0.005475256707182284) > 1e-12 {
		t.Errorf("beta %+v", c.Beta)
	}
	flows := "from,to,value\n110000,120000,5\n120000,130100,5\n"
	want(t, e.get("/api/v1/measures/network?flows="+url.QueryEscape(flows)), 200)

	for _, bad := range []struct{ query, field string }{
		{"moran?spatial-weights=knn:0", "spatial-weights"},
		{"moran?transform=sideways", "transform"},
		{"moran?permutations=-1", "permutations"},
		{"lisa?seed=x", "seed"},
		{"atkinson?epsilon=-2", "epsilon"},
		{"network?mode=both", "mode"},
		{"network?flows=" + url.QueryEscape("from,to\na,b\n"), "flows"},
		{"kernel?points=1", "points"},
		{"convergence?from=x", "from"},
		{"obstacle?normalise=bogus", "normalise"},
		{"getis-ord?star=maybe", "star"},
		{"dea?inputs=pop,pop&outputs=gdp", "inputs"},
		{"similarity?indicators=pop,gdp,pop", "indicators"},
		{"network?indicators=pop,gdp&exponent=11", "exponent"},
		{"network?indicators=pop,gdp&resolution=101", "resolution"},
	} {
		r := e.get("/api/v1/measures/" + bad.query + "&indicator=pop")
		if r.status != 400 || r.errBody(t).Field != bad.field {
			t.Errorf("%s: %d %s, want 400 naming %s", bad.query, r.status, r.body, bad.field)
		}
	}
	// A request the data refuse names its field (422).
	r = e.get("/api/v1/measures/dagum?dataset=" + cities + "&indicator=pop")
	if r.status != 422 || r.errBody(t).Field != "group" {
		t.Errorf("dagum without group: %d %s", r.status, r.body)
	}
}
