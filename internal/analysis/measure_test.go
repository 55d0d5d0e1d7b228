package analysis

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"agglo/internal/dataset"
	"agglo/internal/i18n"
)

func load(t testing.TB, path string) *dataset.Dataset {
	t.Helper()
	if path == "" {
		ds, err := PaperData()
		if err != nil {
			t.Fatal(err)
		}
		return ds
	}
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
		t.Fatal(i18n.Message(err, "en"))
	}
	return ds
}

func writeCSV(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "in.csv")
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func val(n *Num) float64 {
	if n == nil {
		return math.NaN()
	}
	return float64(*n)
}

func TestMeasureMexico(t *testing.T) {
	ds := load(t, "../../testdata/reference/mexico.csv")
	// PySAL (giddy/inequality) test_gini.py: mexico pcgdp1940 Gini 0.35372371173452849.
	r, err := Measure(ds, MeasureRequest{Method: "gini", Indicator: "pcgdp", Year: 1940})
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(val(r.Value)-0.35372371173452849) > 1e-12 {
		t.Errorf("gini = %v", val(r.Value))
	}
	// PySAL (inequality) test_theil.py: TheilD(pcgdp1940, hanson98):
	// T 0.20894344, bg 0.0345889, wg 0.17435454.
	r, err = Measure(ds, MeasureRequest{Method: "theil", Indicator: "pcgdp", Year: 1940, Group: "hanson98"})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		got, want float64
	}{{val(r.Value), 0.20894344}, {val(r.Between), 0.0345889}, {val(r.Within), 0.17435454}} {
		if math.Abs(c.got-c.want) > 1e-7 {
			t.Errorf("theil: got %v, want %v", c.got, c.want)
		}
	}
}

func TestMeasureEmbeddedTable3(t *testing.T) {
	ds := load(t, "")
	r, err := Measure(ds, MeasureRequest{Method: "primacy", Indicator: "cric_composite", Group: "agglomeration"})
	if err != nil {
		t.Fatal(err)
	}
	// Paper Table 3, hand calculation: BTH S2 = 53.22/28.83 = 1.84599; YRD
	// 49.58/45.63 = 1.08656; PRD has one province → null (the rule).
	want := map[string]float64{"BTH": 53.22 / 28.83, "YRD": 49.58 / 45.63, "PRD": math.NaN()}
	for _, g := range r.Groups {
		w, ok := want[g.Group]
		if !ok {
			continue
		}
		if math.IsNaN(w) {
			if g.Value != nil {
				t.Errorf("%s: value %v, want null", g.Group, val(g.Value))
			}
		} else if math.Abs(val(g.Value)-w) > 1e-12 {
			t.Errorf("%s: S2 %v, want %v", g.Group, val(g.Value), w)
		}
	}
	if r.Level != "province" || r.N != 13 {
		t.Errorf("level %s n %d", r.Level, r.N)
	}
}

func TestMeasureMultiColumn(t *testing.T) {
	// docs/methods.md, similarity and krugman (toy employment, hand
	// calculation): S_AB 0.9172750729299459, mean pairwise
	// 0.951627132823884; K_AB 0.45.
	ds := load(t, writeCSV(t, "unit,manuf,ict,finance,other\nA,120,80,60,140\nB,200,30,20,150\nC,90,20,10,80\n"))
	r, err := Measure(ds, MeasureRequest{Method: "similarity", Indicators: []string{"manuf", "ict", "finance", "other"}})
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(float64(r.Matrix[0][1])-0.9172750729299459) > 1e-12 || math.Abs(val(r.Value)-0.951627132823884) > 1e-12 {
		t.Errorf("similarity: %v %v", r.Matrix[0][1], val(r.Value))
	}
	r, err = Measure(ds, MeasureRequest{Method: "krugman", Indicators: []string{"manuf", "ict", "finance", "other"}})
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(float64(r.Matrix[0][1])-0.45) > 1e-12 {
		t.Errorf("krugman AB = %v", r.Matrix[0][1])
	}
	// docs/methods.md, coupling: U = (0.6, 0.4): C = 2·sqrt(0.24)/1 =
	// 0.9797958971132712, T 0.5,
	// D 0.6999271023161167 (初级协调).
	ds = load(t, writeCSV(t, "unit,u1,u2\nX,0.6,0.4\n"))
	r, err = Measure(ds, MeasureRequest{Method: "coupling", Indicators: []string{"u1", "u2"}})
	if err != nil {
		t.Fatal(err)
	}
	if u := r.Units[0]; math.Abs(float64(u.Values["d"])-0.6999271023161167) > 1e-12 || u.LevelZH != "初级协调" {
		t.Errorf("coupling: %+v", u)
	}
	// R package Benchmarking, ?dea example (docs/methods.md, dea): CRS [0.75, 0.5, 1, 0.8,
	// 0.25, 0.25, 0.666667]; SE [0.75, 0.818182, 1, 0.8, 0.25, 0.5, 0.8].
	ds = load(t, writeCSV(t, "unit,x,y\nA,100,75\nB,200,100\nC,300,300\nD,500,400\nE,100,25\nF,200,50\nG,600,400\n"))
	r, err = Measure(ds, MeasureRequest{Method: "dea", Inputs: []string{"x"}, Outputs: []string{"y"}})
	if err != nil {
		t.Fatal(err)
	}
	crs := []float64{0.75, 0.5, 1, 0.8, 0.25, 0.25, 2.0 / 3}
	se := []float64{0.75, 0.818182, 1, 0.8, 0.25, 0.5, 0.8}
	for i, u := range r.Units {
		if math.Abs(val(u.Efficiency)-crs[i]) > 1e-6 || math.Abs(val(u.ScaleEfficiency)-se[i]) > 1e-6 {
			t.Errorf("dea %s: %v %v", u.Unit, val(u.Efficiency), val(u.ScaleEfficiency))
		}
	}
}

func TestMeasureErrors(t *testing.T) {
	ds := load(t, writeCSV(t, "unit,v,w\nA,1,2\nB,-3,1\n"))
	cases := []struct {
		req  MeasureRequest
		want string
	}{
		{MeasureRequest{Method: "ginny", Indicator: "v"}, "unknown measure method"},
		{MeasureRequest{Method: "gini"}, "needs --indicator"},
		{MeasureRequest{Method: "gini", Indicator: "zz"}, `indicator "zz" is not in the data`},
		{MeasureRequest{Method: "gini", Indicator: "v"}, `region "B" has value -3`},
		{MeasureRequest{Method: "williamson", Indicator: "w"}, "needs --weight"},
		{MeasureRequest{Method: "gravity", Indicators: []string{"w", "w"}}, "no coordinates"},
		{MeasureRequest{Method: "dea", Inputs: []string{"w"}}, "needs --inputs and --outputs"},
		{MeasureRequest{Method: "coupling", Indicators: []string{"w", "w"}}, "[0,1]"},
		{MeasureRequest{Method: "gravity", Indicators: []string{"w", "w"}, Exponent: -1}, "distance exponent must be a positive number up to 10 (got -1)"},
		{MeasureRequest{Method: "network", Indicators: []string{"w", "w"}, Exponent: math.NaN()}, "distance exponent must be a positive number up to 10 (got NaN)"},
		// --panel is refused, not ignored, by methods without a value per year.
		{MeasureRequest{Method: "lisa", Indicator: "w", Panel: true}, "--panel does not apply to lisa"},
		{MeasureRequest{Method: "getis-ord", Indicator: "w", Panel: true}, "--panel does not apply to getis-ord"},
		{MeasureRequest{Method: "dea", Inputs: []string{"w"}, Outputs: []string{"w"}, Panel: true}, "--panel does not apply to dea"},
		{MeasureRequest{Method: "network", Indicators: []string{"w", "w"}, Panel: true}, "--panel does not apply to network"},
	}
	// The resolution is refused beyond MaxResolution on every path.
	flows, err := ParseFlows(strings.NewReader("from,to,value\nA,B,1\n"), "flows")
	if err != nil {
		t.Fatal(err)
	}
	cases = append(cases, struct {
		req  MeasureRequest
		want string
	}{MeasureRequest{Method: "network", Flows: flows, Resolution: 101}, "modularity resolution must be a positive number up to 100 (got 101)"})
	if _, err := ParseReturns("drs"); err == nil || !strings.Contains(i18n.Message(err, "en"), "crs or vrs") {
		t.Errorf("returns drs: %v", err)
	}
	if _, err := ParseOrientation("sideways"); err == nil {
		t.Error("orientation sideways accepted")
	}
	if th, err := ParseThreshold("median"); err != nil || th.Rule != "median" {
		t.Errorf("threshold median: %+v %v", th, err)
	}
	if _, err := ParseThreshold("-1"); err == nil {
		t.Error("negative threshold accepted")
	}
	for _, c := range cases {
		_, err := Measure(ds, c.req)
		if err == nil || !strings.Contains(i18n.Message(err, "en"), c.want) {
			t.Errorf("%+v: error %v, want %q", c.req, err, c.want)
		}
		if err != nil && i18n.Message(err, "zh") == i18n.Message(err, "en") {
			t.Errorf("%+v: no Chinese message", c.req)
		}
	}
}

func TestMeasurePanelCoreShare(t *testing.T) {
	ds := load(t, "../../testdata/china2019/city_census_2010_2020.csv")
	r, err := Measure(ds, MeasureRequest{Method: "top-share", Indicator: "popu", Group: "agglomeration", Panel: true})
	if err != nil {
		t.Fatal(i18n.Message(err, "en"))
	}
	// Hand calculation from the census file: Beijing (a municipality, keyed
	// 110100) over the 13 BTH members (北京, 天津 and Hebei's 11 cities):
	// 2010 19,612,368 / 102,078,001 = 0.192131; 2020 21,893,095 /
	// 108,067,913 = 0.202586. Beijing must count as a city here.
	want := map[int]float64{2010: 19612368.0 / 102078001, 2020: 21893095.0 / 108067913}
	if len(r.Panel) != 2 {
		t.Fatalf("panel years: %+v", r.Panel)
	}
	for _, py := range r.Panel {
		for _, g := range py.Groups {
			if g.Group == "BTH" && math.Abs(val(g.Value)-want[py.Year]) > 1e-12 {
				t.Errorf("%d BTH core share %v, want %v", py.Year, val(g.Value), want[py.Year])
			}
		}
	}
	for _, tr := range r.Trends {
		if tr.Group == "BTH" && math.Abs(val(tr.Change)-(want[2020]-want[2010])) > 1e-12 {
			t.Errorf("BTH change %v", val(tr.Change))
		}
	}
	if _, err := Measure(ds, MeasureRequest{Method: "all", Indicator: "popu", Panel: true}); err == nil {
		t.Error("--panel with all should be refused")
	}
}

func TestRankSizeTopLevel(t *testing.T) {
	// docs/methods.md, rank-size (toy UA-11, all 11 cities; OLS by hand): slope −1.4349467269275558,
	// intercept 7.241024592936867, R² 0.9772817195610325.
	ds := load(t, writeCSV(t, "unit,p\nA,1200\nB,450\nC,380\nD,260\nE,150\nF,90\nG,80\nH,70\nI,60\nJ,50\nK,40\n"))
	r, err := Measure(ds, MeasureRequest{Method: "rank-size", Indicator: "p"})
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(val(r.Slope)+1.4349467269275558) > 1e-12 || math.Abs(val(r.Intercept)-7.241024592936867) > 1e-12 ||
		math.Abs(val(r.R2)-0.9772817195610325) > 1e-12 || val(r.Value) != val(r.Slope) {
		t.Errorf("rank-size: %v %v %v %v", val(r.Slope), val(r.Intercept), val(r.R2), val(r.Value))
	}
}

func TestMeasureProvinceFile(t *testing.T) {
	ds := load(t, "../../testdata/china2019/province_2019_long.csv")
	r, err := Measure(ds, MeasureRequest{Method: "gini", Indicator: "rd_expenditure"})
	if err != nil {
		t.Fatal(i18n.Message(err, "en"))
	}
	// Independent check: the pairwise formula Σ_i Σ_j |y_i − y_j| / (2n²ȳ)
	// over the 31 provinces' R&D经费 rows of province_2019_long.csv, computed
	// with a few lines of plain Python: 0.5568683939260982.
	if r.N != 31 || math.Abs(val(r.Value)-0.5568683939260982) > 1e-12 {
		t.Errorf("gini = %v over %d provinces", val(r.Value), r.N)
	}
}
