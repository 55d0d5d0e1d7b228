package measure

import (
	"encoding/csv"
	"encoding/json"
	"math"
	"os"
	"slices"
	"strconv"
	"testing"
)

// refDir is the reference data directory (testdata/SOURCE.md), relative to this package.
const refDir = "../../testdata/reference/"

// toyUA5 returns Toy UA-5 (docs/methods.md#toy-data): population P (10^4), GDP Y
// (10^8 yuan), GDP per capita y = Y/P and groups g.
func toyUA5() (P, Y, y []float64, g []int) {
	return []float64{1000, 500, 300, 200, 100},
		[]float64{20000, 6000, 3000, 1500, 500},
		[]float64{20, 12, 10, 7.5, 5},
		[]int{1, 1, 2, 2, 2}
}

func near(got, want, tol float64) bool {
	if math.IsNaN(want) {
		return math.IsNaN(got)
	}
	if math.IsInf(want, 0) {
		return got == want
	}
	return math.Abs(got-want) <= tol*math.Max(1, math.Abs(want))
}

func checkNear(t *testing.T, name string, got, want, tol float64) {
	t.Helper()
	if !near(got, want, tol) {
		t.Errorf("%s = %.17g, want %.17g (tol %g)", name, got, want, tol)
	}
}

// readCSV reads a CSV file with a header row and returns the header and the
// rows as strings.
func readCSV(t testing.TB, path string) ([]string, [][]string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("open reference data: %v", err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	return recs[0], recs[1:]
}

// readNumericCSV returns the rows of a CSV file whose cells are all numbers.
func readNumericCSV(t testing.TB, path string) [][]float64 {
	t.Helper()
	_, rows := readCSV(t, path)
	out := make([][]float64, len(rows))
	for i, r := range rows {
		out[i] = make([]float64, len(r))
		for j, c := range r {
			v, err := strconv.ParseFloat(c, 64)
			if err != nil {
				t.Fatalf("%s row %d: %v", path, i, err)
			}
			out[i][j] = v
		}
	}
	return out
}

// mexicoColumn returns a column of mexico.csv (pysal/libpysal example data).
func mexicoColumn(t testing.TB, name string) []float64 {
	t.Helper()
	head, rows := readCSV(t, refDir+"mexico.csv")
	col := slices.Index(head, name)
	if col < 0 {
		t.Fatalf("mexico.csv has no column %q", name)
	}
	v := make([]float64, len(rows))
	for i, r := range rows {
		x, err := strconv.ParseFloat(r[col], 64)
		if err != nil {
			t.Fatal(err)
		}
		v[i] = x
	}
	return v
}

// deaReference is the layout of reference_dea.json (dealib tests):
// orientation ("input", "output") → returns to scale ("crs", "vrs", "drs",
// "irs") → eff (θ for input, φ for output, one per DMU) and slack (per DMU:
// the m input slacks followed by the s output slacks).
type deaReference map[string]map[string]struct {
	Eff   []float64   `json:"eff"`
	Slack [][]float64 `json:"slack"`
}

func readDEAReference(t testing.TB, dir string) (x, y [][]float64, ref deaReference) {
	t.Helper()
	x = readNumericCSV(t, refDir+"dea/"+dir+"/inputs.csv")
	y = readNumericCSV(t, refDir+"dea/"+dir+"/outputs.csv")
	b, err := os.ReadFile(refDir + "dea/" + dir + "/reference_dea.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &ref); err != nil {
		t.Fatal(err)
	}
	return x, y, ref
}

func cloneMatrix(m [][]float64) [][]float64 {
	c := make([][]float64, len(m))
	for i := range m {
		c[i] = slices.Clone(m[i])
	}
	return c
}

func equalMatrix(a, b [][]float64) bool {
	return slices.EqualFunc(a, b, func(x, y []float64) bool { return slices.Equal(x, y) })
}

// checkAbs compares values printed to a fixed number of decimals with an
// absolute tolerance (half a unit of the last printed digit).
func checkAbs(t *testing.T, name string, got, want []float64, tol float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: len %d, want %d", name, len(got), len(want))
	}
	for i := range want {
		if math.Abs(got[i]-want[i]) > tol {
			t.Errorf("%s[%d] = %.10g, want %.10g ± %g", name, i, got[i], want[i], tol)
		}
	}
}
