package spatial

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"agglo/internal/measure"
)

// ring returns binary neighbour lists of n units on a ring (i−1, i+1).
func ring(n int) [][]int {
	nb := make([][]int, n)
	for i := range nb {
		nb[i] = []int{(i + n - 1) % n, (i + 1) % n}
	}
	return nb
}

func mustWeights(t testing.TB, nb [][]int, v [][]float64, tr Transform) *Weights {
	t.Helper()
	w, err := FromNeighbors(nb, v, tr)
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// TestSums checks S0, S1, S2 of an asymmetric 3-unit matrix by hand:
// W = [[0,1,2],[0,0,3],[4,0,0]] (rows i, columns j).
// S0 = 10; (w_ij + w_ji)² over ordered pairs: (0,1) 1, (0,2) 36, (1,2) 9,
// each twice → S1 = ½·2·46 = 46; row sums 3, 3, 4 and column sums 4, 1, 5
// → S2 = 7² + 4² + 9² = 146.
func TestSums(t *testing.T) {
	w := mustWeights(t, [][]int{{1, 2}, {2}, {0}}, [][]float64{{1, 2}, {3}, {4}}, Raw)
	s0, s1, s2 := w.Sums()
	if s0 != 10 || s1 != 46 || s2 != 146 {
		t.Errorf("S0, S1, S2 = %v, %v, %v, want 10, 46, 146", s0, s1, s2)
	}
	r := w.WithTransform(RowStandardized).Dense()
	want := [][]float64{{0, 1. / 3, 2. / 3}, {0, 0, 1}, {1, 0, 0}}
	for i := range want {
		checkSlice(t, "row-standardised", r[i], want[i], 1e-15)
	}
	if w.Transform() != Raw || w.Dense()[0][2] != 2 {
		t.Error("WithTransform changed the receiver")
	}
}

// TestMoranHand: Moran's I of y = (1, 2, 3, 4) on a path 0-1-2-3 with binary
// weights, by hand: z = (−1.5, −0.5, 0.5, 1.5), Σz² = 5, Σ_ij w_ij z_i z_j
// = 2(0.75 − 0.25 + 0.75) = 2.5, S0 = 6, I = (4/6)(2.5/5) = 1/3.
// Geary: Σ w (y_i − y_j)² = 6, C = 3·6/(2·6·5) = 0.3.
func TestMoranHand(t *testing.T) {
	w := mustWeights(t, [][]int{{1}, {0, 2}, {1, 3}, {2}}, nil, Binary)
	y := []float64{1, 2, 3, 4}
	m, err := Moran(context.Background(), y, w, Options{})
	if err != nil {
		t.Fatal(err)
	}
	checkNear(t, "I", m.I, 1.0/3, 1e-15)
	checkNear(t, "E[I]", m.Expected, -1.0/3, 1e-15)
	g, err := Geary(context.Background(), y, w, Options{})
	if err != nil {
		t.Fatal(err)
	}
	checkNear(t, "C", g.C, 0.3, 1e-15)
}

// TestUndefined: a constant variable makes Moran's I, Geary's C, the local
// Moran and Getis-Ord statistics undefined: NaN values and ErrConstant,
// never a panic. Missing or infinite values and weights without links are
// reported as errors too.
func TestUndefined(t *testing.T) {
	ctx := context.Background()
	w := mustWeights(t, ring(5), nil, RowStandardized)
	for _, y := range [][]float64{{3, 3, 3, 3, 3}, {0.1, 0.1, 0.1, 0.1, 0.1}} {
		m, err := Moran(ctx, y, w, Options{Permutations: 99})
		if !errors.Is(err, ErrConstant) || !math.IsNaN(m.I) || !math.IsNaN(m.ZNorm) || !math.IsNaN(m.Sim.PSim) {
			t.Errorf("Moran of a constant: %+v, %v", m, err)
		}
		g, err := Geary(ctx, y, w, Options{})
		if !errors.Is(err, ErrConstant) || !math.IsNaN(g.C) {
			t.Errorf("Geary of a constant: %+v, %v", g, err)
		}
		l, err := LISA(ctx, y, w, Options{Permutations: 9})
		if !errors.Is(err, ErrConstant) || !math.IsNaN(l[0].I) {
			t.Errorf("LISA of a constant: %+v, %v", l[0], err)
		}
		if _, err := GetisOrd(y, w, true); !errors.Is(err, ErrConstant) {
			t.Errorf("Gi* of a constant: %v", err)
		}
	}
	var ie *measure.InputError
	_, err := Moran(ctx, []float64{1, 2, math.NaN(), 4, 5}, w, Options{})
	if !errors.As(err, &ie) || ie.Unit != 2 {
		t.Errorf("NaN: %v", err)
	}
	_, err = LISA(ctx, []float64{1, math.Inf(1), 3, 4, 5}, w, Options{})
	if !errors.As(err, &ie) || ie.Unit != 1 {
		t.Errorf("Inf: %v", err)
	}
	isolated := mustWeights(t, make([][]int, 5), nil, RowStandardized)
	if len(isolated.Islands()) != 5 {
		t.Errorf("islands = %v", isolated.Islands())
	}
	if _, err := Moran(ctx, []float64{1, 2, 3, 4, 5}, isolated, Options{}); !errors.Is(err, ErrNoLinks) {
		t.Errorf("no links: %v", err)
	}
	one := mustWeights(t, [][]int{nil}, nil, RowStandardized)
	if _, err := Moran(ctx, []float64{1}, one, Options{}); !errors.As(err, &ie) {
		t.Errorf("one unit: %v", err)
	}
}

// TestWeightsErrors: user mistakes in coordinates and specifications are
// errors naming the unit or the value, not panics.
func TestWeightsErrors(t *testing.T) {
	lon := []float64{116.4, 121.5, 113.3, 104.1}
	lat := []float64{39.9, 31.2, 23.1, 30.7}
	var ie *measure.InputError
	for name, err := range map[string]error{
		"k = n":          second(KNN(lon, lat, 4, RowStandardized)),
		"k = 0":          second(KNN(lon, lat, 0, RowStandardized)),
		"bad latitude":   second(KNN(lon, []float64{39.9, 95, 23.1, 30.7}, 2, RowStandardized)),
		"NaN longitude":  second(DistanceBand([]float64{116.4, math.NaN(), 113.3, 104.1}, lat, 100, Binary)),
		"zero band":      second(DistanceBand(lon, lat, 0, Binary)),
		"negative power": second(InverseDistance(lon, lat, -1, math.Inf(1), RowStandardized)),
		"same place":     second(InverseDistance([]float64{1, 1, 2}, []float64{1, 1, 2}, 1, math.Inf(1), RowStandardized)),
		"self link":      second(FromNeighbors([][]int{{0}}, nil, Binary)),
		"out of range":   second(FromNeighbors([][]int{{1}}, nil, Binary)),
		"duplicate":      second(FromNeighbors([][]int{{1, 1}, {0}}, nil, Binary)),
		"zero weight":    second(FromNeighbors([][]int{{1}, {0}}, [][]float64{{0}, {1}}, Binary)),
	} {
		if !errors.As(err, &ie) {
			t.Errorf("%s: got %v, want an *InputError", name, err)
		}
	}
	_, err := KNN(lon, []float64{39.9, 95, 23.1, 30.7}, 2, RowStandardized)
	if errors.As(err, &ie); ie.Unit != 1 || ie.Column != 1 {
		t.Errorf("bad latitude error %+v", ie)
	}
}

func second(_ *Weights, err error) error { return err }

// TestDistanceWeights checks bands and inverse distances against
// measure.Haversine on four cities (Beijing, Shanghai, Guangzhou, Chengdu):
// Beijing-Shanghai is about 1,067 km.
func TestDistanceWeights(t *testing.T) {
	lon := []float64{116.4, 121.5, 113.3, 104.1}
	lat := []float64{39.9, 31.2, 23.1, 30.7}
	d01 := measure.Haversine(lon[0], lat[0], lon[1], lat[1])
	w, err := DistanceBand(lon, lat, d01, Binary)
	if err != nil {
		t.Fatal(err)
	}
	if nb, _ := w.Neighbors(0); !slices.Equal(nb, []int{1}) {
		t.Errorf("band at exactly d01: neighbours of 0 = %v, want [1]", nb)
	}
	if !slices.Equal(w.Islands(), []int{2, 3}) {
		t.Errorf("islands = %v, want [2 3]", w.Islands())
	}
	iw, err := InverseDistance(lon, lat, 2, math.Inf(1), Raw)
	if err != nil {
		t.Fatal(err)
	}
	checkNear(t, "1/d²", iw.Dense()[0][1], 1/(d01*d01), 1e-14)
	if iw.Links() != 12 {
		t.Errorf("links = %d, want 12", iw.Links())
	}
	cut, _ := InverseDistance(lon, lat, 1, d01+1, RowStandardized)
	if cut.Links() >= 12 || cut.Dense()[0][1] != 1 {
		t.Errorf("cut-off: %d links, w01 = %v", cut.Links(), cut.Dense()[0][1])
	}
}

// TestWithSelf: the G* self weight is added in order, or replaces one.
func TestWithSelf(t *testing.T) {
	w := mustWeights(t, [][]int{{2}, {0, 2}, {0}}, [][]float64{{5}, {1, 2}, {3}}, Raw)
	s := w.withSelf(RowStandardized)
	want := [][]float64{{1. / 6, 0, 5. / 6}, {0.25, 0.25, 0.5}, {0.75, 0, 0.25}}
	d := s.Dense()
	for i := range want {
		checkSlice(t, "with self", d[i], want[i], 1e-15)
	}
	again := s.withSelf(Raw).Dense()
	if again[0][0] != 1 || again[0][2] != 5 || s.Links() != 7 {
		t.Errorf("second self weight: %v (links %d)", again, s.Links())
	}
}

// randomUnits returns n seeded synthetic points in eastern China and a
// spatially trending variable.
func randomUnits(n int, seed uint64) (lon, lat, y []float64) {
	rng := rand.New(rand.NewPCG(seed, seed+1))
	lon, lat, y = make([]float64, n), make([]float64, n), make([]float64, n)
	for i := range n {
		lon[i] = 100 + 22*rng.Float64()
		lat[i] = 20 + 22*rng.Float64()
		y[i] = 0.1*lon[i] + 0.05*lat[i] + rng.NormFloat64()
	}
	return lon, lat, y
}

// TestWorkersReproducible: the same seed gives identical permutation
// p-values for 1, 3 and 4 workers, and another seed gives other draws.
func TestWorkersReproducible(t *testing.T) {
	lon, lat, y := randomUnits(300, 9)
	w, err := KNN(lon, lat, 5, RowStandardized)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	run := func(workers int, seed uint64) (MoranResult, GearyResult, []LocalMoran) {
		opt := Options{Permutations: 499, Seed: seed, Workers: workers}
		m, err := Moran(ctx, y, w, opt)
		if err != nil {
			t.Fatal(err)
		}
		g, err := Geary(ctx, y, w, opt)
		if err != nil {
			t.Fatal(err)
		}
		l, err := LISA(ctx, y, w, opt)
		if err != nil {
			t.Fatal(err)
		}
		return m, g, l
	}
	m1, g1, l1 := run(1, 42)
	for _, workers := range []int{3, 4} {
		m, g, l := run(workers, 42)
		if m.Sim != m1.Sim || g.Sim != g1.Sim {
			t.Errorf("%d workers: %+v %+v, want %+v %+v", workers, m.Sim, g.Sim, m1.Sim, g1.Sim)
		}
		for i := range l {
			if l[i].PSim != l1[i].PSim {
				t.Fatalf("%d workers: unit %d p_sim %v, want %v", workers, i, l[i].PSim, l1[i].PSim)
			}
		}
	}
	m2, _, l2 := run(2, 43)
	if m2.Sim.Mean == m1.Sim.Mean {
		t.Error("another seed gave the same simulated mean")
	}
	same := 0
	for i := range l2 {
		if l2[i].PSim == l1[i].PSim {
			same++
		}
	}
	if same == len(l2) {
		t.Error("another seed gave the same LISA p-values")
	}
}

// TestPermutationExact compares p_sim with the exact permutation
// distribution of a small example, enumerated here: Moran's I over all
// 7! = 5040 arrangements of y on a ring of 7, and the local Moran of unit
// 0 over all 6·5 = 30 ordered draws of its two neighbours. With P = 20000
// permutations p_sim must lie within 5 binomial standard errors of the
// exact folded tail probability (min(q, 1 − q), q = P(stat ≥ observed),
// plus the 1/(P+1) correction).
func TestPermutationExact(t *testing.T) {
	y := []float64{3.1, 4.7, 2.2, 5.9, 1.3, 0.8, 2.6}
	n := len(y)
	w := mustWeights(t, ring(n), nil, RowStandardized)
	ctx := context.Background()
	const P = 20000
	m, err := Moran(ctx, y, w, Options{Permutations: P, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	// Exact distribution by enumeration (Heap's algorithm).
	perm := slices.Clone(y)
	ge, total := 0, 0
	var heap func(k int)
	heap = func(k int) {
		if k == 1 {
			mm, _ := Moran(ctx, perm, w, Options{})
			total++
			if mm.I >= m.I-1e-12 {
				ge++
			}
			return
		}
		for i := range k - 1 {
			heap(k - 1)
			if k%2 == 0 {
				perm[i], perm[k-1] = perm[k-1], perm[i]
			} else {
				perm[0], perm[k-1] = perm[k-1], perm[0]
			}
		}
		heap(k - 1)
	}
	heap(n)
	if total != 5040 {
		t.Fatalf("enumerated %d permutations", total)
	}
	q := float64(ge) / float64(total)
	exact := math.Min(q, 1-q)
	se := math.Sqrt(exact * (1 - exact) / P)
	if math.Abs(m.Sim.PSim-exact) > 5*se+1.0/P {
		t.Errorf("Moran p_sim = %v, exact %v (se %v)", m.Sim.PSim, exact, se)
	}

	l, err := LISA(ctx, y, w, Options{Permutations: P, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	mean := 0.0
	for _, v := range y {
		mean += v / float64(n)
	}
	var ss float64
	for _, v := range y {
		ss += (v - mean) * (v - mean)
	}
	sd := math.Sqrt(ss / float64(n))
	z := func(i int) float64 { return (y[i] - mean) / sd }
	scale := float64(n-1) / float64(n) // (n−1)/Σz² with Σz² = n
	for _, unit := range []int{0, 3} {
		var others []int
		for j := range n {
			if j != unit {
				others = append(others, j)
			}
		}
		ge := 0
		for _, a := range others {
			for _, b := range others {
				if a != b && scale*z(unit)*(0.5*z(a)+0.5*z(b)) >= l[unit].I-1e-12 {
					ge++
				}
			}
		}
		q := float64(ge) / 30
		exact := math.Min(q, 1-q)
		se := math.Sqrt(exact * (1 - exact) / P)
		if math.Abs(l[unit].PSim-exact) > 5*se+1.0/P {
			t.Errorf("LISA unit %d p_sim = %v, exact %v (se %v)", unit, l[unit].PSim, exact, se)
		}
	}
}

// TestLISAProperties: Σ I_i = (n − 1)/n · S0 · I (esda scaling), quadrants
// from the signs, inputs unchanged, a cancelled context is reported.
func TestLISAProperties(t *testing.T) {
	lon, lat, y := randomUnits(200, 11)
	w, err := DistanceBand(lon, lat, 150, RowStandardized)
	if err != nil {
		t.Fatal(err)
	}
	yc := slices.Clone(y)
	ctx := context.Background()
	m, err := Moran(ctx, y, w, Options{})
	if err != nil {
		t.Fatal(err)
	}
	l, err := LISA(ctx, y, w, Options{Permutations: 99, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(y, yc) {
		t.Error("input mutated")
	}
	s0, _, _ := w.Sums()
	var sum float64
	for _, u := range l {
		sum += u.I
		if u.Quadrant != QuadrantOf(u.Z, u.Lag) {
			t.Fatal("quadrant does not follow the signs")
		}
		if !u.Island && !(u.PSim > 0 && u.PSim <= 0.5+1e-12) {
			t.Fatalf("p_sim %v out of (0, 0.5]", u.PSim)
		}
	}
	n := float64(len(y))
	checkNear(t, "Σ I_i", sum, (n-1)/n*s0*m.I, 1e-10)

	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := LISA(cancelled, y, w, Options{Permutations: 99}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled LISA: %v", err)
	}
	if _, err := Moran(cancelled, y, w, Options{Permutations: 99}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled Moran: %v", err)
	}
	if QuadrantOf(0, 0) != LL || QuadrantOf(1, 0) != HL || QuadrantOf(0, 1) != LH || QuadrantOf(1, 1) != HH {
		t.Error("zero is not counted as low")
	}
	if HH.String() != "HH" || LH.String() != "LH" || LL.String() != "LL" || HL.String() != "HL" {
		t.Error("quadrant names")
	}
}

// TestGetisOrdGeneralEqualsBinary: the general Ord–Getis z (Raw weights)
// equals the binary z for binary links, with and without star, and G* sums
// its row to the unit's own share for row-standardised weights with one
// neighbour.
func TestGetisOrdGeneralEqualsBinary(t *testing.T) {
	lon, lat, y := randomUnits(60, 5)
	for i := range y {
		y[i] = math.Exp(y[i] / 4)
	}
	w, err := DistanceBand(lon, lat, 250, Binary)
	if err != nil {
		t.Fatal(err)
	}
	for _, star := range []bool{false, true} {
		b, err := GetisOrd(y, w, star)
		if err != nil {
			t.Fatal(err)
		}
		r, err := GetisOrd(y, w.WithTransform(Raw), star)
		if err != nil {
			t.Fatal(err)
		}
		for i := range b {
			if !near(r[i].Z, b[i].Z, 1e-10) {
				t.Fatalf("star %v unit %d: general z %v, binary z %v", star, i, r[i].Z, b[i].Z)
			}
		}
	}
}
