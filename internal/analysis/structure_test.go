package analysis

import (
	"context"
	"encoding/csv"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"agglo/internal/analysis/reftest"
	"agglo/internal/i18n"
)

// TestReportStructureCities: on the 95 reference cities (census population
// 2010 and 2020, seat coordinates) the report's structure part reads the
// population of 2020 with the stated defaults, and its numbers are those of
// R: Moran's I and Geary's C with the 6 nearest neighbours row-standardised
// (spdep 1.2-7, spatial/gen_spdep_panel.R), Gi* z with the 6 nearest
// neighbours binary and the city itself (spdep localG on include.self,
// spatial/gen_spdep.R; z does not depend on gen_spdep.R's 10^4 scaling),
// and β-convergence 2010-2020 with clubs by agglomeration (R 4.2.2 lm,
// convergence/gen_cities_beta.R).
func TestReportStructureCities(t *testing.T) {
	ds := load(t, ref+"spatial/cities.csv")
	s, err := ReportStructure(context.Background(), ds, StructureRequest{Lang: i18n.EN, Index: structureIndex(i18n.EN)})
	if err != nil {
		t.Fatal(err)
	}
	if s.Indicator != "pop" || s.Year != 2020 || s.Level != "city" || s.PanelIndicator != "pop" {
		t.Fatalf("indicator %s %d %s, panel %s; want pop 2020 city, panel pop", s.Indicator, s.Year, s.Level, s.PanelIndicator)
	}
	if s.Weights == nil || s.Weights.String() != "knn:6" || s.Weights.Transform != TransformRow || s.Permutations != 999 || s.Seed != 1 {
		t.Fatalf("defaults %+v, %d permutations, seed %d; want knn:6 row, 999, 1", s.Weights, s.Permutations, s.Seed)
	}
	sp := reftest.JSON(t, ref+"spatial/spdep_panel.json")
	near(t, "Moran's I", val(s.Moran.Value), num(t, sp, "pop2020", "moran_I"), 1e-10)
	near(t, "Geary's C", val(s.Geary.Value), num(t, sp, "pop2020", "geary_C"), 1e-10)
	if s.Moran.Permutations != 999 || s.Moran.PSim == nil || s.LISA.Permutations != 999 {
		t.Error("the global and local statistics did not run 999 permutations")
	}
	// Gi*: binary weights with the city itself, as spdep.
	if s.GetisOrd.SpatialWeights.Transform != TransformBinary || s.GetisOrd.Stats["star"] != 1 {
		t.Errorf("Gi* weights %+v, star %v; want binary Gi*", s.GetisOrd.SpatialWeights, s.GetisOrd.Stats["star"])
	}
	gz := nums(reftest.JSON(t, ref+"spatial/spdep.json"), "localGstar_pop_knn6_binary")
	if len(s.GetisOrd.Units) != len(gz) {
		t.Fatalf("%d Gi* units, want %d", len(s.GetisOrd.Units), len(gz))
	}
	hot := 0
	for i, u := range s.GetisOrd.Units {
		near(t, "Gi* z "+u.Unit, val(u.Z), gz[i], 1e-8)
		want := "ns"
		if gz[i] >= HotSpotZ {
			want, hot = "hot", hot+1
		} else if gz[i] <= -HotSpotZ {
			want = "cold"
		}
		if u.Cluster != want || u.Lon == nil || u.Lat == nil {
			t.Errorf("%s: cluster %q (lon %v), want %q with coordinates", u.Unit, u.Cluster, u.Lon, want)
		}
	}
	if hot == 0 {
		t.Error("the reference has no hot spot: the check of the classes would see nothing")
	}
	for _, u := range s.LISA.Units {
		if (u.Cluster == "ns") != (val(u.PSim) > SignificanceLevel) || (u.Cluster != "ns" && u.Cluster != u.Quadrant) {
			t.Errorf("LISA %s: cluster %q, quadrant %s, p %v", u.Unit, u.Cluster, u.Quadrant, val(u.PSim))
		}
	}
	// Convergence with clubs by agglomeration.
	cb := reftest.JSON(t, ref+"convergence/cities_beta.json")
	c := s.Convergence
	if c == nil || c.Beta == nil || c.From != 2010 || c.To != 2020 {
		t.Fatalf("convergence %+v", c)
	}
	checkBeta := func(what string, b *Beta, want any) {
		t.Helper()
		near(t, what+" β", val(b.Coefficient), num(t, want, "coefficient"), 1e-9)
		near(t, what+" se", val(b.SE), num(t, want, "se"), 1e-9)
		near(t, what+" p", val(b.P), num(t, want, "p"), 1e-8)
		near(t, what+" R²", val(b.R2), num(t, want, "r2"), 1e-9)
		near(t, what+" rate", val(b.Rate), num(t, want, "rate"), 1e-9)
		if hl, ok := at(want, "half_life").(float64); ok {
			near(t, what+" half-life", val(b.HalfLife), hl, 1e-8)
		} else if b.HalfLife != nil {
			t.Errorf("%s: half-life %v where the rate is not positive", what, val(b.HalfLife))
		}
	}
	checkBeta("all", c.Beta, at(cb, "beta"))
	if len(c.Clubs) != 5 {
		t.Fatalf("%d clubs, want the five agglomerations", len(c.Clubs))
	}
	for _, cl := range c.Clubs {
		if cl.Beta == nil {
			t.Errorf("club %s not estimated: %s", cl.Group, cl.Error)
			continue
		}
		checkBeta("club "+cl.Group, cl.Beta, at(cb, "clubs", cl.Group))
	}
	near(t, "σ 2010", val(c.Sigma[0].Value), num(t, cb, "sigma", "2010"), 1e-12)
	near(t, "σ 2020", val(c.Sigma[1].Value), num(t, cb, "sigma", "2020"), 1e-12)
	// Dagum over the agglomerations: the parts sum to G.
	d := s.Dagum
	if d == nil || len(d.Groups) != 5 {
		t.Fatalf("Dagum %+v", d)
	}
	near(t, "G_w + G_nb + G_t", val(d.Within)+val(d.Between)+val(d.Transvariation), val(d.Value), 1e-12)
	if s.DagumPanel == nil || len(s.DagumPanel.Panel) != 2 || s.Kernel == nil || len(s.Kernel.Densities) != 2 {
		t.Error("no decomposition or density for each of the two years")
	}
	// The cities have no composite index: the obstacle degree says why.
	if why, ok := s.Skip(PartObstacle); !ok || !strings.Contains(why.EN, "composite index") || s.Obstacle != nil {
		t.Errorf("obstacle: %v %q", ok, why.EN)
	}
}

// TestReportStructureProvinces: on the province panel's R&D intensity
// (2011-2023) the convergence and the yearly Dagum decomposition are those
// of statsmodels 0.13.5 and numpy 1.24.2
// (convergence/gen_province_panel.py): β over the 31 provinces, clubs of
// the agglomerations with at least 3 provinces, σ per year, and the
// decomposition of 2019 over the 13 member provinces.
func TestReportStructureProvinces(t *testing.T) {
	ds := load(t, intensityFile(t))
	s, err := ReportStructure(context.Background(), ds, StructureRequest{Lang: i18n.ZH})
	if err != nil {
		t.Fatal(err)
	}
	if s.Indicator != "rd_intensity" || s.Level != "province" || s.Year != 2023 || s.PanelIndicator != "rd_intensity" {
		t.Fatalf("indicator %s %s %d, panel %s", s.Indicator, s.Level, s.Year, s.PanelIndicator)
	}
	pp := reftest.JSON(t, ref+"convergence/province_panel.json")
	c := s.Convergence
	near(t, "β", val(c.Beta.Coefficient), nums(pp, "beta", "params")[1], 1e-9)
	near(t, "β se", val(c.Beta.SE), nums(pp, "beta", "bse")[1], 1e-9)
	near(t, "β p", val(c.Beta.P), nums(pp, "beta", "pvalues")[1], 1e-8)
	for _, cl := range c.Clubs {
		want, ok := at(pp, "clubs").(map[string]any)[cl.Group]
		if !ok {
			if cl.Beta != nil {
				t.Errorf("club %s (%d provinces) estimated; the reference has it only with 3 or more", cl.Group, cl.N)
			}
			continue
		}
		near(t, "club "+cl.Group+" β", val(cl.Beta.Coefficient), nums(want, "params")[1], 1e-9)
	}
	sig := nums(pp, "sigma", "sd")
	if len(c.Sigma) != len(sig) {
		t.Fatalf("%d σ years, want %d", len(c.Sigma), len(sig))
	}
	for i := range sig {
		near(t, "σ", val(c.Sigma[i].Value), sig[i], 1e-12)
	}
	dg := at(pp, "dagum_rd_intensity_2019_agglomeration")
	var y2019 *PanelYear
	for i := range s.DagumPanel.Panel {
		if s.DagumPanel.Panel[i].Year == 2019 {
			y2019 = &s.DagumPanel.Panel[i]
		}
	}
	if y2019 == nil {
		t.Fatal("no Dagum decomposition of 2019")
	}
	near(t, "Dagum G 2019", val(y2019.Value), num(t, dg, "G"), 1e-12)
	near(t, "Dagum Gw 2019", val(y2019.Within), num(t, dg, "Gw"), 1e-12)
	near(t, "Dagum Gnb 2019", val(y2019.Between), num(t, dg, "Gnb"), 1e-12)
	near(t, "Dagum Gt 2019", val(y2019.Transvariation), num(t, dg, "Gt"), 1e-12)
	// Provinces are drawn as polygons: every unit has its coordinates.
	for _, u := range s.LISA.Units {
		if u.Lon == nil || u.Lat == nil {
			t.Errorf("%s has no coordinates", u.Unit)
		}
	}
}

// intensityFile writes the province panel's R&D intensity rows alone.
func intensityFile(t *testing.T) string {
	t.Helper()
	f, err := os.Open("../../testdata/china_panel/province_st_techme_2010_2023.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	out := [][]string{rows[0]}
	for _, r := range rows[1:] {
		if r[2] == "R&D经费投入强度" {
			out = append(out, r)
		}
	}
	p := filepath.Join(t.TempDir(), "intensity.csv")
	w, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	cw := csv.NewWriter(w)
	cw.WriteAll(out)
	if err := cw.Error(); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestReportStructurePaper: the paper's data (one year, 13 provinces with
// Table 3) run the cross-section methods and the obstacle degree, and say
// plainly that convergence and the evolution of the distribution need
// several years.
func TestReportStructurePaper(t *testing.T) {
	s, err := ReportStructure(context.Background(), load(t, ""), StructureRequest{Lang: i18n.ZH, Index: structureIndex(i18n.ZH)})
	if err != nil {
		t.Fatal(err)
	}
	if s.Indicator != "cric_composite" || s.Level != "province" || s.Moran == nil || s.Moran.N != 13 || s.Dagum == nil {
		t.Fatalf("cross-section %s %s, Moran %+v", s.Indicator, s.Level, s.Moran)
	}
	for _, part := range []string{PartConvergence, PartKernel} {
		why, ok := s.Skip(part)
		if !ok || !strings.Contains(why.ZH, "只有一个年份（2019 年）") || !strings.Contains(why.EN, "one year only (2019)") {
			t.Errorf("%s: skipped %v, %q / %q", part, ok, why.ZH, why.EN)
		}
	}
	if s.Convergence != nil || s.Kernel == nil || len(s.Kernel.Densities) != 1 {
		t.Error("one year: no convergence, one density")
	}
	// Obstacle degrees of the rebuilt CRIC index: each member's degrees
	// sum to 100 and the members carry their agglomeration.
	if s.Obstacle == nil || len(s.Obstacle.Units) != 13 {
		t.Fatalf("obstacle %+v", s.Obstacle)
	}
	for _, u := range s.Obstacle.Units {
		sum := 0.0
		for _, o := range u.Obstacles {
			sum += val(o.Degree)
		}
		if math.Abs(sum-100) > 1e-9 || u.Group == "" {
			t.Errorf("%s: degrees sum to %g, group %q", u.Unit, sum, u.Group)
		}
	}
	// The Dagum parts sum to G (Dagum 1997, eq. 11).
	near(t, "G_w + G_nb + G_t", val(s.Dagum.Within)+val(s.Dagum.Between)+val(s.Dagum.Transvariation), val(s.Dagum.Value), 1e-12)
}

// TestReportStructureWithoutCoordinates: free units without coordinates
// or agglomerations get the reasons, not an error; a cancelled context is
// an error.
func TestReportStructureWithoutCoordinates(t *testing.T) {
	p := writeCSV(t, "unit,output_2019,output_2020\nA,1,2\nB,2,3\nC,3,5\nD,4,4\nE,6,7\n")
	ds := load(t, p)
	s, err := ReportStructure(context.Background(), ds, StructureRequest{Lang: i18n.EN})
	if err != nil {
		t.Fatal(err)
	}
	if why, ok := s.Skip(PartSpatial); !ok || !strings.Contains(why.EN, "coordinates") || s.Moran != nil {
		t.Errorf("spatial: %v %q", ok, why.EN)
	}
	if why, ok := s.Skip(PartDagum); !ok || !strings.Contains(why.EN, "at least 2 agglomerations") {
		t.Errorf("dagum: %v %q", ok, why.EN)
	}
	if why, ok := s.Skip(PartObstacle); !ok || why.EN == "" {
		t.Error("no reason for the missing obstacle degree")
	}
	if s.Convergence == nil || s.Convergence.N != 5 {
		t.Errorf("convergence of the free units: %+v", s.Convergence)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := ReportStructure(ctx, load(t, ""), StructureRequest{}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}
