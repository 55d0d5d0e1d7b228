package measure_test

import (
	"fmt"

	"agglo/internal/measure"
)

// Toy UA-5 (docs/methods.md#toy-data): GDP per capita and population of five cities.
func ExampleGini() {
	y := []float64{20, 12, 10, 7.5, 5}
	pop := []float64{1000, 500, 300, 200, 100}
	fmt.Printf("unweighted %.6f\n", measure.Gini(y, nil))
	fmt.Printf("population-weighted %.6f\n", measure.Gini(y, pop))
	fmt.Printf("normalised %.6f\n", measure.NormalizedGini(y))
	// Output:
	// unweighted 0.253211
	// population-weighted 0.191244
	// normalised 0.316514
}

func ExampleTheilDecompose() {
	y := []float64{20, 12, 10, 7.5, 5}
	pop := []float64{1000, 500, 300, 200, 100}
	groups := []int{1, 1, 2, 2, 2}
	r := measure.TheilDecompose(measure.TheilT, y, pop, groups)
	fmt.Printf("T %.6f = between %.6f + within %.6f (between share %.3f)\n",
		r.Total, r.Between, r.Within, r.BetweenShare)
	for _, g := range r.Groups {
		fmt.Printf("group %d: s_g %.4f p_g %.4f T_g %.6f contribution %.6f\n",
			g.Group, g.IncomeShare, g.PopulationShare, g.Value, g.Contribution)
	}
	// Output:
	// T 0.067915 = between 0.042458 + within 0.025457 (between share 0.625)
	// group 1: s_g 0.8387 p_g 0.7143 T_g 0.025218 contribution 0.021151
	// group 2: s_g 0.1613 p_g 0.2857 T_g 0.026702 contribution 0.004307
}

// Toy UA-11 (docs/methods.md#toy-data): urban population of eleven cities.
func ExamplePrimacy() {
	p := []float64{1200, 450, 380, 260, 150, 90, 80, 70, 60, 50, 40}
	s2, s4, s11 := measure.Primacy(p)
	fmt.Printf("S2 %.4f S4 %.4f S11 %.4f\n", s2, s4, s11)
	fmt.Printf("HHI %.4f normalised %.4f equivalent cities %.2f\n",
		measure.HHI(p), measure.NormalizedHHI(p), measure.EquivalentNumber(p))
	rs := measure.RankSize(p, 0)
	fmt.Printf("rank-size slope %.4f (q %.3f, R² %.4f)\n", rs.Slope, rs.Q, rs.R2)
	pc := measure.Polycentricity(p)
	fmt.Printf("mean top-2,3,4 slope %.4f score %.3f: %s\n", pc.MeanSlope, pc.Score, pc.Mode)
	// Output:
	// S2 2.6667 S4 1.1009 S11 1.4724
	// HHI 0.2377 normalised 0.1615 equivalent cities 4.21
	// rank-size slope -1.4349 (q 1.435, R² 0.9773)
	// mean top-2,3,4 slope -1.1890 score 0.439: core-led
}

// The gravity toy of docs/methods.md#toy-data.
func ExampleGravity() {
	pop := []float64{1000, 500, 300, 200}
	patents := []float64{50000, 12000, 6000, 2000}
	dist := [][]float64{{0, 100, 150, 200}, {100, 0, 80, 160}, {150, 80, 0, 90}, {200, 160, 90, 0}}
	r := measure.Gravity(pop, patents, dist, 2)
	fmt.Printf("R_AB %.4f R_BA %.4f\n", r[0][1], r[1][0])
	l := measure.Linkage(r)
	fmt.Printf("out-linkage A %.4f, in-linkage B %.4f\n", l.Out[0], l.In[1])
	nw := measure.Network(r, measure.MeanThreshold(r))
	fmt.Printf("τ %.4f edges %d density %.4f out-degree %v in-degree %v\n",
		nw.Threshold, nw.Edges, nw.Density, nw.OutDegree, nw.InDegree)
	// Output:
	// R_AB 1396.8152 R_BA 335.2356
	// out-linkage A 1880.7801, in-linkage B 1576.6235
	// τ 245.3544 edges 4 density 0.3333 out-degree [2 2 0 0] in-degree [1 1 2 0]
}

func ExampleCouplingCoordination() {
	u := []float64{0.6, 0.4} // two subsystem indices in [0, 1]
	r := measure.CouplingCoordination(u, nil, measure.StandardCoupling)
	fmt.Printf("C %.4f T %.4f D %.4f %s (%s)\n", r.C, r.T, r.D, r.Level.ZH(), r.Level.EN())
	w := measure.CouplingCoordination(u, nil, measure.WangCoupling)
	fmt.Printf("Wang et al.: C %.4f D %.4f %s\n", w.C, w.D, w.Level.ZH())
	// Output:
	// C 0.9798 T 0.5000 D 0.6999 初级协调 (primary coordination)
	// Wang et al.: C 0.7303 D 0.6043 初级协调
}

// The two-input example of Cooper, Seiford & Tone (docs/methods.md#dea):
// one unit of output each.
func ExampleDEA() {
	x := [][]float64{{4, 3}, {7, 3}, {8, 1}, {4, 2}, {2, 4}, {10, 1}}
	y := [][]float64{{1}, {1}, {1}, {1}, {1}, {1}}
	crs, err := measure.DEA(x, y, measure.DEAOptions{Orientation: measure.InputOriented, Returns: measure.CRS})
	if err != nil {
		fmt.Println(err)
		return
	}
	vrs, err := measure.DEA(x, y, measure.DEAOptions{Orientation: measure.InputOriented, Returns: measure.VRS})
	if err != nil {
		fmt.Println(err)
		return
	}
	se := measure.ScaleEfficiency(crs.Efficiency, vrs.Efficiency)
	for o, name := range []string{"A", "B", "C", "D", "E", "F"} {
		fmt.Printf("%s θ %.4f SE %.2f slacks %.1f strong %v\n",
			name, crs.Theta[o], se[o], crs.InputSlacks[o], crs.Strong[o])
	}
	// Output:
	// A θ 0.8571 SE 1.00 slacks [0.0 0.0] strong false
	// B θ 0.6316 SE 1.00 slacks [0.0 0.0] strong false
	// C θ 1.0000 SE 1.00 slacks [0.0 0.0] strong true
	// D θ 1.0000 SE 1.00 slacks [0.0 0.0] strong true
	// E θ 1.0000 SE 1.00 slacks [0.0 0.0] strong true
	// F θ 1.0000 SE 1.00 slacks [2.0 0.0] strong false
}

func ExampleCheck() {
	cities := []string{"Hefei", "Wuhu", "Anqing"}
	gdpPerCapita := []float64{12.1, -3, 7.4}
	if err := measure.Check("Gini", cities, gdpPerCapita, measure.NonNegative|measure.AllowMissing); err != nil {
		fmt.Println(err)
	}
	// Output:
	// measure: Gini: unit 1 ("Wuhu"): value -3: negative values are not allowed
}
