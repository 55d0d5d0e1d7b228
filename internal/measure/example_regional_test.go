package measure_test

import (
	"fmt"

	"agglo/internal/measure"
)

// Dagum's decomposition of Toy UA-5's GDP per capita over its two groups:
// the groups do not overlap, so the transvariation is 0 and D_jh = 1.
func ExampleDagum() {
	y := []float64{20, 12, 10, 7.5, 5}
	groups := []int{1, 1, 2, 2, 2}
	r := measure.Dagum(y, nil, groups)
	fmt.Printf("G %.4f = within %.4f + net between %.4f + transvariation %.4f\n",
		r.Gini, r.Within, r.NetBetween, r.Transvariation)
	for _, g := range r.Groups {
		fmt.Printf("group %d: G_jj %.4f\n", g.Group, g.Gini)
	}
	for _, p := range r.Pairs {
		fmt.Printf("groups %d-%d: G_jh %.4f, D_jh %.4f\n", p.A, p.B, p.Gini, p.Affluence)
	}
	// Output:
	// G 0.2532 = within 0.0661 + net between 0.1872 + transvariation 0.0000
	// group 1: G_jj 0.1250
	// group 2: G_jj 0.1481
	// groups 1-2: G_jh 0.3617, D_jh 1.0000
}

// Absolute β-convergence of four regions over 10 years.
func ExampleBetaConvergence() {
	x0 := []float64{10, 20, 40, 80}
	xT := []float64{25, 36, 60, 100}
	r, err := measure.BetaConvergence(x0, xT, 10, nil, measure.BetaOptions{})
	if err != nil {
		panic(err)
	}
	fmt.Printf("b = %.5f (se %.5f, p %.4f), R² = %.3f\n", r.Slope.Estimate, r.Slope.SE, r.Slope.P, r.R2)
	fmt.Printf("λ = %.4f per year, half-life %.1f years\n", r.Rate, r.HalfLife)
	// Output:
	// b = -0.03263 (se 0.00365, p 0.0123), R² = 0.976
	// λ = 0.0395 per year, half-life 17.5 years
}
