package replicate

import (
	"math"
	"testing"

	"agglo/internal/dataset"
)

func TestFigure1Derivation(t *testing.T) {
	ds, err := Dataset()
	if err != nil {
		t.Fatal(err)
	}
	// The derived values must satisfy the paper's printed totals (section
	// II.1): 5.57亿人 = 55,700万人, 99.31万km² = 993,100 km², 52.76万亿元 =
	// 527,600亿元, YRD 1.5亿人, MYR 32.61万km².
	var pop, area, gdp float64
	for _, a := range dataset.AgglomerationCodes() {
		p, ok1 := ds.Value(a, "population", 2019)
		ar, ok2 := ds.Value(a, "area", 2019)
		g, ok3 := ds.Value(a, "gdp", 2019)
		if !ok1 || !ok2 || !ok3 {
			t.Fatalf("%s: Figure 1 values missing", a)
		}
		pop, area = pop+p, area+ar
		if a == "YRD" {
			// YRD's published GDP stays in the dataset; its derived value
			// is the check below.
			g = 15000 * 13.13
		}
		gdp += g
		// area = population / density and GDP = population × GDP per
		// capita (Table 1) by construction.
		d, _ := ds.Value(a, "population_density", 2019)
		if math.Abs(p*1e4/d-ar) > 1e-6 {
			t.Errorf("%s: area %v ≠ population/density %v", a, ar, p*1e4/d)
		}
	}
	for _, c := range []struct {
		name      string
		got, want float64
	}{{"population", pop, 55700}, {"area", area, 993100}, {"gdp", gdp, 527600}} {
		if math.Abs(c.got-c.want) > 1e-6*c.want {
			t.Errorf("Σ %s = %v, want %v", c.name, c.got, c.want)
		}
	}
	if v, _ := ds.Value("MYR", "area", 2019); v != 326100 {
		t.Errorf("MYR area %v", v)
	}
	// Spare fact: hand calculation 1.5亿人 × 13.13万元 = 19.695万亿元 =
	// 196,950亿元 against the printed 19.7万亿元: residual −50亿元.
	if len(ds.Checks) != 1 {
		t.Fatalf("checks: %+v", ds.Checks)
	}
	c := ds.Checks[0]
	if c.ID != "fig1.check.yrd_gdp" || math.Abs(c.Derived-196950) > 1e-6 || math.Abs(c.Residual+50) > 1e-6 {
		t.Errorf("check = %+v", c)
	}
	o, _ := ds.Lookup("PRD", "area", 2019)
	if p := ds.Provenance(o); p.Kind != dataset.Derived || p.Formula == "" || len(p.Inputs) != 15 {
		t.Errorf("PRD area provenance = %+v", p)
	}
}

func TestEmbeddedPaperTables(t *testing.T) {
	ds, err := Dataset()
	if err != nil {
		t.Fatal(err)
	}
	// Spot values transcribed from the paper: Table 1 (PRD density 1163.6,
	// CC GDP per capita 6.51), Table 2 (MYR 0.21 人/项), Table 3 (Guangdong
	// composite 59.49, Jiangxi knowledge creation 16).
	cases := []struct {
		region, ind string
		want        float64
	}{
		{"PRD", "population_density", 1163.6},
		{"CC", "gdp_per_capita", 6.51},
		{"MYR", "rd_personnel_per_project", 0.21},
		{"440000", "cric_composite", 59.49},
		{"360000", "cric_knowledge_creation", 16},
		{"BTH", "tertiary_share", 52.03},
		{"CN", "gdp", 990865},
	}
	for _, c := range cases {
		if v, ok := ds.Value(c.region, c.ind, 2019); !ok || v != c.want {
			t.Errorf("%s %s = %v, want %v", c.region, c.ind, v, c.want)
		}
	}
	if n := len(ds.Registry.Agglomerations()); n != 5 {
		t.Errorf("%d agglomerations", n)
	}
	// Membership counts from the State Council plans: YRD 26 cities, MYR 31
	// units, CC 16 units, BTH 13, PRD 9.
	want := map[string]int{"YRD": 26, "MYR": 31, "CC": 16, "BTH": 13, "PRD": 9}
	for _, a := range ds.Registry.Agglomerations() {
		if len(a.Members) != want[a.Code] {
			t.Errorf("%s has %d members, want %d", a.Code, len(a.Members), want[a.Code])
		}
	}
}
