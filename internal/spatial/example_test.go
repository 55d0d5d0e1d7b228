package spatial_test

import (
	"context"
	"fmt"

	"agglo/internal/spatial"
)

// Six cities of the Pearl River Delta (approximate seat coordinates:
// Guangzhou, Shenzhen, Foshan, Zhongshan, Dongguan, Huizhou) and an
// illustrative indicator; the three nearest neighbours of each city,
// row-standardised.
func ExampleMoran() {
	lon := []float64{113.26, 114.06, 113.12, 113.39, 113.75, 114.42}
	lat := []float64{23.13, 22.54, 23.02, 22.52, 23.02, 23.11}
	y := []float64{9.1, 5.2, 8.7, 7.9, 6.3, 4.8}
	w, err := spatial.KNN(lon, lat, 3, spatial.RowStandardized)
	if err != nil {
		panic(err)
	}
	m, err := spatial.Moran(context.Background(), y, w, spatial.Options{Permutations: 999, Seed: 1})
	if err != nil {
		panic(err)
	}
	fmt.Printf("I = %.4f, E[I] = %.4f, z = %.3f, p_norm = %.3f, p_sim = %.3f\n",
		m.I, m.Expected, m.ZNorm, m.PNorm, m.Sim.PSim)
	l, _ := spatial.LISA(context.Background(), y, w, spatial.Options{Permutations: 999, Seed: 1})
	for i, u := range l {
		fmt.Printf("unit %d: I_i = %+.3f %v\n", i, u.I, u.Quadrant)
	}
	_, err = spatial.Moran(context.Background(), []float64{1, 1, 1, 1, 1, 1}, w, spatial.Options{})
	fmt.Println(err)
	// Output:
	// I = 0.2050, E[I] = -0.2000, z = 2.387, p_norm = 0.017, p_sim = 0.016
	// unit 0: I_i = +0.399 HH
	// unit 1: I_i = +0.360 LL
	// unit 2: I_i = +0.391 HH
	// unit 3: I_i = -0.072 HL
	// unit 4: I_i = -0.140 LH
	// unit 5: I_i = +0.088 LL
	// spatial: Moran's I: the variable is constant: the statistic is undefined
}
