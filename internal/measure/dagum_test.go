package measure

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"
)

// inequalityRef is testdata/reference/inequality/inequality.json, written
// by gen_inequality.py (numpy 1.24.2, scipy 1.10.1, Debian) from the
// published formulas evaluated literally.
type dagumRef struct {
	G, Gw, Gnb, Gt float64
	Groups         []struct {
		Group      int
		Gini, P, S float64
		Mean       float64
	}
	Pairs []struct {
		A, B    int
		Gini, D float64
	}
}

type inequalityRef struct {
	Dagum1940    dagumRef           `json:"dagum_mexico_1940_hanson98"`
	Dagum2000    dagumRef           `json:"dagum_mexico_2000_hanson98"`
	CityCodes    []string           `json:"city_groups_sorted_codes"`
	DagumCities  dagumRef           `json:"dagum_cities_popratio_weighted_pop2010"`
	Atkinson1940 map[string]float64 `json:"atkinson_mexico_1940"`
	AtkinsonCity map[string]float64 `json:"atkinson_cities_popratio_weighted"`
	GiniSources  struct {
		Provinces []string `json:"provinces"`
		Names     []string `json:"source_names"`
		G         float64  `json:"G"`
		Sources   []struct {
			S, G, R, Share, Marginal float64
		} `json:"sources"`
	} `json:"gini_sources_rd_funds_2019"`
}

// cityRatio returns pop2020/pop2010, pop2010 and the agglomeration group
// (1-based index of the sorted codes) of testdata/reference/spatial/cities.csv.
func cityRatio(t *testing.T, codes []string) (ratio, pop2010 []float64, group []int) {
	_, rows := readCSV(t, refDir+"spatial/cities.csv")
	for _, r := range rows {
		p10, err1 := strconv.ParseFloat(r[5], 64)
		p20, err2 := strconv.ParseFloat(r[6], 64)
		if err1 != nil || err2 != nil {
			t.Fatal(err1, err2)
		}
		ratio = append(ratio, p20/p10)
		pop2010 = append(pop2010, p10)
		group = append(group, slices.Index(codes, r[2])+1)
	}
	return ratio, pop2010, group
}

func checkDagum(t *testing.T, name string, r DagumResult, want dagumRef) {
	t.Helper()
	const tol = 1e-12
	checkNear(t, name+" G", r.Gini, want.G, tol)
	checkNear(t, name+" G_w", r.Within, want.Gw, tol)
	checkNear(t, name+" G_nb", r.NetBetween, want.Gnb, tol)
	checkNear(t, name+" G_t", r.Transvariation, want.Gt, tol)
	if len(r.Groups) != len(want.Groups) || len(r.Pairs) != len(want.Pairs) {
		t.Fatalf("%s: %d groups %d pairs, want %d and %d", name, len(r.Groups), len(r.Pairs), len(want.Groups), len(want.Pairs))
	}
	for k, g := range want.Groups {
		got := r.Groups[k]
		if got.Group != g.Group {
			t.Fatalf("%s: group %d, want %d", name, got.Group, g.Group)
		}
		checkNear(t, fmt.Sprint(name, " G_jj ", g.Group), got.Gini, g.Gini, tol)
		checkNear(t, fmt.Sprint(name, " p_j ", g.Group), got.PopulationShare, g.P, tol)
		checkNear(t, fmt.Sprint(name, " s_j ", g.Group), got.IncomeShare, g.S, tol)
		checkNear(t, fmt.Sprint(name, " μ_j ", g.Group), got.Mean, g.Mean, tol)
	}
	for k, p := range want.Pairs {
		got := r.Pairs[k]
		if got.A != p.A || got.B != p.B {
			t.Fatalf("%s: pair %d-%d, want %d-%d", name, got.A, got.B, p.A, p.B)
		}
		checkNear(t, fmt.Sprint(name, " G_jh ", p.A, p.B), got.Gini, p.Gini, tol)
		checkNear(t, fmt.Sprint(name, " D_jh ", p.A, p.B), got.Affluence, p.D, 1e-11)
	}
}

// TestDagumReference: the decomposition of the Mexican states' per-capita
// GDP (1940, 2000) over the hanson98 regions and the population-weighted
// decomposition of the cities' population growth ratio over the five
// agglomerations, against the literal O(n²) evaluation of Dagum's (1997)
// formulas in gen_inequality.py. The total also equals PySAL's Gini of
// 1940 (0.35372371173452849, TestGini).
func TestDagumReference(t *testing.T) {
	var ref inequalityRef
	readRefJSON(t, "inequality/inequality.json", &ref)
	_, panel, regime := mexicoPanel(t)
	y := panel[0]
	yc, gc := slices.Clone(y), slices.Clone(regime)
	r := Dagum(y, nil, regime)
	if !slices.Equal(y, yc) || !slices.Equal(regime, gc) {
		t.Error("input mutated")
	}
	checkDagum(t, "1940", r, ref.Dagum1940)
	checkNear(t, "1940 G = PySAL Gini", r.Gini, 0.35372371173452849, 1e-14)
	checkDagum(t, "2000", Dagum(panel[6], nil, regime), ref.Dagum2000)
	ratio, pop, group := cityRatio(t, ref.CityCodes)
	rw := Dagum(ratio, pop, group)
	checkDagum(t, "cities weighted", rw, ref.DagumCities)
	checkNear(t, "weighted G = Gini(y, w)", rw.Gini, Gini(ratio, pop), 1e-12)
}

// TestDagumProperties: on random data the parts sum to G, G equals the
// plain Gini (n², no correction; weighted: Gini(y, w)), each group's G_jj
// is the group's own Gini, unit weights give the unweighted result, one
// group puts everything within, and missing values are counted.
func TestDagumProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 22))
	for trial := range 200 {
		n := 2 + rng.IntN(60)
		y := make([]float64, n)
		w := make([]float64, n)
		g := make([]int, n)
		ones := make([]float64, n)
		for i := range y {
			y[i] = math.Floor(rng.ExpFloat64() * 20) // ties
			w[i] = 0.1 + rng.Float64()*5
			g[i] = rng.IntN(4) * 3
			ones[i] = 1
		}
		if floatsSum(y) == 0 {
			continue
		}
		for _, weights := range [][]float64{nil, w} {
			r := Dagum(y, weights, g)
			sum := r.Within + r.NetBetween + r.Transvariation
			if math.Abs(sum-r.Gini) > 1e-12 {
				t.Fatalf("trial %d: parts sum to %v, G = %v", trial, sum, r.Gini)
			}
			if !near(r.Gini, Gini(y, weights), 1e-12) {
				t.Fatalf("trial %d: G = %v, Gini = %v", trial, r.Gini, Gini(y, weights))
			}
			var within float64
			for _, gr := range r.Groups {
				within += gr.Contribution
				var yy, ww []float64
				for i := range y {
					if g[i] == gr.Group {
						yy = append(yy, y[i])
						if weights != nil {
							ww = append(ww, weights[i])
						}
					}
				}
				if weights == nil {
					ww = nil
				}
				if !near(gr.Gini, Gini(yy, ww), 1e-12) {
					t.Fatalf("trial %d: G_jj %v, group Gini %v", trial, gr.Gini, Gini(yy, ww))
				}
			}
			if math.Abs(within-r.Within) > 1e-14 {
				t.Fatal("group contributions do not sum to G_w")
			}
			for _, p := range r.Pairs {
				if p.Affluence < 0 || p.Affluence > 1+1e-12 || p.Transvariation < -1e-15 {
					t.Fatalf("pair %+v out of range", p)
				}
			}
		}
		u := Dagum(y, ones, g)
		if !near(u.Gini, Dagum(y, nil, g).Gini, 1e-12) || !near(u.Transvariation, Dagum(y, nil, g).Transvariation, 1e-12) {
			t.Fatal("unit weights differ from the unweighted form")
		}
		one := Dagum(y, nil, make([]int, n))
		if one.NetBetween != 0 || one.Transvariation != 0 || !near(one.Within, one.Gini, 1e-15) {
			t.Fatalf("one group: %+v", one)
		}
	}
	// Hand: groups {1, 3} and {5, 7} do not overlap: G_t = 0, D = 1.
	// |differences| between groups: 4, 6, 2, 4 → Σ = 16; G_jh = 16/(2·2·(2 + 6)) = 0.5.
	r := Dagum([]float64{1, 3, 5, 7}, nil, []int{0, 0, 1, 1})
	checkNear(t, "G_t", r.Transvariation, 0, 1e-15)
	checkNear(t, "D", r.Pairs[0].Affluence, 1, 1e-15)
	checkNear(t, "G_jh", r.Pairs[0].Gini, 0.5, 1e-15)
	// Gini(1, 3, 5, 7) = Σ|d|/(2n²μ) = 40/(2·16·4) = 0.3125.
	checkNear(t, "G", r.Gini, 0.3125, 1e-15)
	r = Dagum([]float64{1, math.NaN(), 3}, nil, []int{1, 1, 2})
	if r.N != 2 || r.Dropped != 1 {
		t.Errorf("NaN: %+v", r)
	}
	if r := Dagum([]float64{1, -1}, nil, []int{1, 2}); !math.IsNaN(r.Gini) || r.Groups != nil {
		t.Errorf("negative: %+v", r)
	}
	if r := Dagum([]float64{0, 0}, nil, []int{1, 2}); !math.IsNaN(r.Gini) {
		t.Errorf("zero total: %+v", r)
	}
}
