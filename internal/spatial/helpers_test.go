package spatial

import (
	"encoding/csv"
	"encoding/json"
	"math"
	"os"
	"strconv"
	"testing"
)

// refDir holds the reference data and the scripts that produced them
// (testdata/reference/spatial/, see its gen_*.R and gen_*.py).
const refDir = "../../testdata/reference/spatial/"

// cities is testdata/reference/spatial/cities.csv: the 95 member cities of
// the five agglomerations with seat coordinates and census populations.
type cities struct {
	lon, lat, pop2010, pop2020 []float64
	group                      []string
}

func readCities(t testing.TB) cities {
	t.Helper()
	f, err := os.Open(refDir + "cities.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var c cities
	num := func(s string) float64 {
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	for _, r := range recs[1:] {
		c.group = append(c.group, r[2])
		c.lon = append(c.lon, num(r[3]))
		c.lat = append(c.lat, num(r[4]))
		c.pop2010 = append(c.pop2010, num(r[5]))
		c.pop2020 = append(c.pop2020, num(r[6]))
	}
	return c
}

// growth is ln(pop2020/pop2010), pop is pop2020 in 10^4 people: the
// variables of gen_spdep.R and gen_pysal.py.
func (c cities) growth() []float64 {
	g := make([]float64, len(c.lon))
	for i := range g {
		g[i] = math.Log(c.pop2020[i] / c.pop2010[i])
	}
	return g
}

func (c cities) pop() []float64 {
	p := make([]float64, len(c.lon))
	for i := range p {
		p[i] = c.pop2020[i] / 1e4
	}
	return p
}

func readJSON(t testing.TB, name string, v any) {
	t.Helper()
	b, err := os.ReadFile(refDir + name)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
}

func near(got, want, tol float64) bool {
	if math.IsNaN(want) {
		return math.IsNaN(got)
	}
	return math.Abs(got-want) <= tol*math.Max(1, math.Abs(want))
}

func checkNear(t *testing.T, name string, got, want, tol float64) {
	t.Helper()
	if !near(got, want, tol) {
		t.Errorf("%s = %.17g, want %.17g (tol %g)", name, got, want, tol)
	}
}

func checkSlice(t *testing.T, name string, got, want []float64, tol float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: len %d, want %d", name, len(got), len(want))
	}
	bad := 0
	for i := range want {
		if !near(got[i], want[i], tol) {
			if bad < 5 {
				t.Errorf("%s[%d] = %.17g, want %.17g (tol %g)", name, i, got[i], want[i], tol)
			}
			bad++
		}
	}
	if bad > 5 {
		t.Errorf("%s: %d values differ", name, bad)
	}
}

// neighborSets returns the neighbour lists of w.
func neighborSets(w *Weights) [][]int {
	out := make([][]int, w.N())
	for i := range out {
		idx, _ := w.Neighbors(i)
		out[i] = append([]int{}, idx...)
	}
	return out
}
