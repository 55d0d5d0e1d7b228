package analysis

import (
	"context"
	"math"
	"strings"
	"testing"

	"agglo/internal/dataset"
	"agglo/internal/i18n"
)

// haversineKm is the great-circle distance with R = 6371.0088 km (the
// mean Earth radius of IUGG), written out for the hand calculation.
func haversineKm(lon1, lat1, lon2, lat2 float64) float64 {
	rad := math.Pi / 180
	p1, p2 := lat1*rad, lat2*rad
	h := math.Pow(math.Sin((p2-p1)/2), 2) + math.Cos(p1)*math.Cos(p2)*math.Pow(math.Sin((lon2-lon1)*rad/2), 2)
	return 2 * 6371.0088 * math.Asin(math.Sqrt(math.Min(1, h)))
}

// handARI is the adjusted Rand index of Hubert and Arabie (1985) from the
// contingency table of two labelings:
//
//	ARI = (Σ_ij C(n_ij,2) − Σ_i C(a_i,2) Σ_j C(b_j,2)/C(n,2)) /
//	      (½[Σ_i C(a_i,2) + Σ_j C(b_j,2)] − Σ_i C(a_i,2) Σ_j C(b_j,2)/C(n,2))
func handARI(a, b []string) float64 {
	c2 := func(x int) float64 { return float64(x*(x-1)) / 2 }
	nij, ai, bj := map[[2]string]int{}, map[string]int{}, map[string]int{}
	for k := range a {
		nij[[2]string{a[k], b[k]}]++
		ai[a[k]]++
		bj[b[k]]++
	}
	var sij, sa, sb float64
	for _, v := range nij {
		sij += c2(v)
	}
	for _, v := range ai {
		sa += c2(v)
	}
	for _, v := range bj {
		sb += c2(v)
	}
	exp := sa * sb / c2(len(a))
	return (sij - exp) / ((sa+sb)/2 - exp)
}

// TestStructureNetworkHand: six provinces of two agglomerations with
// population and GDP; the report's gravity network is checked against a
// hand calculation written here: S_ij = sqrt(P_i G_i)·sqrt(P_j G_j)/d_ij²
// with the haversine distance between the registry's coordinates, τ the
// mean of the 15 pairs, an edge where S_ij ≥ τ, density E/15, degree and
// strength (sum of the weights of a unit's edges), and the adjusted Rand
// index of the communities against the agglomerations.
func TestStructureNetworkHand(t *testing.T) {
	// Values of 2019 (population 万人, GDP 亿元), rounded from the
	// provinces' statistical communiqués; only their use matters here.
	ds := load(t, writeCSV(t, "province,population(万人),gdp(亿元)\n北京,2154,35371\n天津,1562,14104\n河北,7592,35105\n上海,2428,38155\n江苏,8070,99632\n浙江,5850,62352\n"))
	s, err := ReportStructure(context.Background(), ds, StructureRequest{Lang: i18n.ZH})
	if err != nil {
		t.Fatal(err)
	}
	r := s.Network
	if r == nil {
		t.Fatalf("no network: %+v", s.Skipped)
	}
	if strings.Join(r.Indicators, ",") != "population,gdp" || r.N != 6 || len(r.Units) != 6 {
		t.Fatalf("network of %v, %d units", r.Indicators, r.N)
	}
	n := len(r.Units)
	var pg, lon, lat []float64
	for _, u := range r.Units {
		reg, ok := ds.Region(u.Unit)
		p, _ := ds.Value(u.Unit, "population", 0)
		g, _ := ds.Value(u.Unit, "gdp", 0)
		if !ok || !reg.HasCoord() {
			t.Fatalf("%s: no coordinates", u.Unit)
		}
		pg, lon, lat = append(pg, math.Sqrt(p*g)), append(lon, reg.Lon), append(lat, reg.Lat)
	}
	S := make([][]float64, n)
	sum := 0.0
	for i := range n {
		S[i] = make([]float64, n)
		for j := range n {
			if i != j {
				d := haversineKm(lon[i], lat[i], lon[j], lat[j])
				S[i][j] = pg[i] * pg[j] / (d * d)
				if j > i {
					sum += S[i][j]
				}
			}
		}
	}
	tau := sum / 15
	edges := 0
	var groups, comms []string
	for i, u := range r.Units {
		deg, str := 0, 0.0
		for j := range n {
			if i != j && S[i][j] >= tau {
				deg++
				str += S[i][j]
				if j > i {
					edges++
				}
			}
		}
		near(t, u.Unit+" degree", float64(u.Values["degree"]), float64(deg), 0)
		near(t, u.Unit+" strength", float64(u.Values["strength"]), str, 1e-9*str)
		groups, comms = append(groups, u.Group), append(comms, string(rune('a'+*u.Community)))
	}
	near(t, "threshold", float64(r.Stats["threshold"]), tau, 1e-9*tau)
	near(t, "density", float64(r.Stats["density"]), float64(edges)/15, 1e-12)
	near(t, "ARI", float64(r.Stats["ari"]), handARI(groups, comms), 1e-12)
	t.Logf("%d edges, τ = %g, groups %v, communities %v, ARI %g", edges, tau, groups, comms, handARI(groups, comms))
	if r.Stats["units_compared"] != 6 || groups[0] == "" {
		t.Errorf("compared %v units, groups %v", r.Stats["units_compared"], groups)
	}
	// docs/methods.md (the report's network): agglo measure network
	// --indicators population,gdp --mode sum --threshold τ on the same
	// members builds the same network (its default mean rule, τ/2 on the
	// directed matrix, would give 7 edges here).
	m, err := Measure(ds, MeasureRequest{Method: "network", Indicators: []string{"population", "gdp"}, Mode: NetworkSum,
		Threshold: Threshold{Rule: "value", Value: float64(r.Stats["threshold"])}, Seed: *r.Seed})
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"threshold", "edges", "density", "communities", "modularity", "nmi", "ari", "group_modularity"} {
		if m.Stats[k] != r.Stats[k] {
			t.Errorf("measure network %s = %v, the report's %v", k, m.Stats[k], r.Stats[k])
		}
	}
	for i, u := range m.Units {
		for k, v := range u.Values {
			if w := r.Units[i].Values[k]; u.Unit != r.Units[i].Unit || v != w {
				t.Errorf("measure network %s %s = %v, the report's %s %v", u.Unit, k, v, r.Units[i].Unit, w)
			}
		}
	}
}

// TestStructureNetworkData: the built-in city connectivity data give the
// network of the five agglomerations' members from the urban-district
// population and GDP of 2016 (13 + 25 + 28 + 9 + 15 = 90 members with
// data, see TestMeasureCoverage); data without population and GDP get the
// reason in both languages.
func TestStructureNetworkData(t *testing.T) {
	var e dataset.Embedded
	conn, err := e.Builtin(context.Background(), dataset.BuiltinConnectivity)
	if err != nil {
		t.Fatal(err)
	}
	s, err := ReportStructure(context.Background(), conn, StructureRequest{Lang: i18n.EN})
	if err != nil {
		t.Fatal(err)
	}
	if r := s.Network; r == nil || r.Year != 2016 || r.N != 90 || strings.Join(r.Indicators, ",") != "registered_population_district,gdp_district" {
		t.Fatalf("network %+v, skipped %+v", r, s.Skipped)
	}
	for _, c := range []struct{ name, path, zh, en string }{
		{"paper", "", "只有 0 个", "Only 0 members"},
		{"census", "../../testdata/china2019/city_census_2010_2020.csv", "没有常住人口和地区生产总值", "lack population and GDP"},
	} {
		s, err := ReportStructure(context.Background(), load(t, c.path), StructureRequest{Lang: i18n.ZH})
		if err != nil {
			t.Fatal(err)
		}
		why, ok := s.Skip(PartNetwork)
		if !ok || s.Network != nil || !strings.Contains(why.ZH, c.zh) || !strings.Contains(why.EN, c.en) {
			t.Errorf("%s: skipped %v %q / %q", c.name, ok, why.ZH, why.EN)
		}
	}
	// Population and GDP in different years (2020 and 2015): no common
	// year, said so.
	ds := load(t, writeCSV(t, "city,population_2020(万人),gdp_2015(亿元)\n北京市,2189,23015\n天津市,1387,16538\n上海市,2487,25123\n"))
	s, err = ReportStructure(context.Background(), ds, StructureRequest{Lang: i18n.ZH})
	if err != nil {
		t.Fatal(err)
	}
	if why, ok := s.Skip(PartNetwork); !ok || !strings.Contains(why.ZH, "只有 0 个") || !strings.Contains(why.EN, "Only 0 members") {
		t.Errorf("no common year: skipped %v %q / %q", ok, why.ZH, why.EN)
	}
}
