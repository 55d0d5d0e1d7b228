package composite

import (
	"math"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
)

// TestRadixRanks: the radix ranking gives Ranks's ranks (highest = 1, ties
// "min", NaN → 0), including −0 = +0, infinities and negative numbers.
func TestRadixRanks(t *testing.T) {
	cases := [][]float64{
		{3, 1, 2},
		{1, 1, 2, math.NaN(), 2, -5},
		{math.Copysign(0, -1), 0, -1e-300, 1e-300, math.Inf(1), math.Inf(-1), math.NaN()},
		{math.NaN(), math.NaN()},
		{},
	}
	rng := rand.New(rand.NewPCG(1, 2))
	big := make([]float64, 3000)
	for i := range big {
		big[i] = math.Round(rng.NormFloat64()*50) / 4 // many ties
	}
	cases = append(cases, big)
	for _, c := range cases {
		want := Ranks(c)
		rs := newRankScratch(len(c))
		got := make([]int32, len(c))
		rs.rank(c, got)
		for i := range c {
			if int(got[i]) != want[i] {
				t.Fatalf("%v: unit %d rank %d, Ranks %d", c[:min(len(c), 8)], i, got[i], want[i])
			}
		}
	}
	// Hand: {1, 1, 2, NaN, 2, −5} → 2 and 2 share rank 1, 1 and 1 share 3, −5 is 5.
	got := make([]int32, 6)
	rs := newRankScratch(6)
	rs.rank(cases[1], got)
	if !slices.Equal(got, []int32{3, 3, 1, 0, 1, 5}) {
		t.Errorf("hand case: %v", got)
	}
}

// TestRankStoreHand: unit 0's ranks {1, 2, 1, 3} sorted 1, 1, 2, 3: type-7
// median at h = 1.5 → 1 + 0.5·(2 − 1) = 1.5; p05 at h = 0.15 → 1; p95 at
// h = 2.85 → 2 + 0.85·(3 − 2) = 2.85; mean 7/4; with nominal rank 2: one
// below, one equal: percentile 100·(2 + 0.5)/4 = 62.5.
func TestRankStoreHand(t *testing.T) {
	ranks := [][]int32{{1, 2, 3}, {2, 1, 3}, {1, 3, 2}, {3, 1, 2}}
	h := newRankStore(3, 4, []int32{2, 1, 1}, DefaultRankMemory) // an exact histogram
	b := newRankBatch(3)
	for r, rk := range ranks {
		b.add(r, rk)
	}
	h.addBatch(&b)
	if st := h.stats(0); h.lay.w != 1 || st.median != 1.5 || st.p05 != 1 || math.Abs(st.p95-2.85) > 1e-12 || st.mean != 1.75 || st.pct != 62.5 || st.err != 0 || st.runs != 4 {
		t.Errorf("histogram: %+v", st)
	}
	s := &rankStore{n: 3, runs: 4, lay: rankLayout{samples: true}, nominal: []int32{2, 1, 1}, samples: make([]int32, 12),
		count: make([]uint32, 3), below: make([]uint32, 3), equal: make([]uint32, 3), sum: make([]uint64, 3), locks: make([]sync.Mutex, 1)}
	for r, rk := range ranks {
		b.add(r, rk)
	}
	s.addBatch(&b)
	if st := s.stats(0); st.median != 1.5 || st.p05 != 1 || math.Abs(st.p95-2.85) > 1e-12 || st.pct != 62.5 {
		t.Errorf("samples: %+v", st)
	}
}

// TestRankStoreBinned compares the bounded (binned) form with exact
// quantiles of the same ranks kept in full: every quantile lies within its
// reported error bound, quantiles inside the exact window are exact, and
// the mean and the nominal percentile (running counts) are exact.
func TestRankStoreBinned(t *testing.T) {
	const n, runs = 400, 700
	rng := rand.New(rand.NewPCG(4, 4))
	nominal := make([]int32, n)
	spread := make([]float64, n)
	for i := range nominal {
		nominal[i] = int32(1 + rng.IntN(n))
		spread[i] = []float64{0.5, 3, 20, 150}[i%4] // narrow units stay in the window, wide ones do not
	}
	budget := int64(4 * n * 80) // K = 80 counts per unit: bins of width 10, window ±19
	s := newRankStore(n, runs, nominal, budget)
	if s.lay.samples || s.lay.w == 1 || s.lay.h == 0 {
		t.Fatalf("layout %+v is not binned", s.lay)
	}
	if got := s.lay.bytes(n, runs); got > budget+20*n {
		t.Errorf("binned store takes %d bytes, budget %d", got, budget)
	}
	all := make([][]float64, n)
	b := newRankBatch(n)
	row := make([]int32, n)
	for r := 0; r < runs; r++ {
		for i := range row {
			v := math.Round(float64(nominal[i]) + rng.NormFloat64()*spread[i])
			if rng.IntN(50) == 0 {
				v = 0 // a run without a rank for this unit
			}
			row[i] = int32(min(max(v, 0), n))
			if row[i] > 0 {
				all[i] = append(all[i], float64(row[i]))
			}
		}
		if b.add(r, row) {
			s.addBatch(&b)
		}
	}
	s.addBatch(&b)
	exactUnits := 0
	for i := 0; i < n; i++ {
		st := s.stats(i)
		mean, med, p05, p95, pct := bruteStats(all[i], int(nominal[i]))
		if st.runs != len(all[i]) || st.mean != mean || st.pct != pct {
			t.Fatalf("unit %d: %+v, want runs %d mean %v pct %v", i, st, len(all[i]), mean, pct)
		}
		for _, q := range [][2]float64{{st.median, med}, {st.p05, p05}, {st.p95, p95}} {
			if math.Abs(q[0]-q[1]) > st.err+1e-9 {
				t.Errorf("unit %d (spread %v): quantile %v, exact %v, bound %v", i, spread[i], q[0], q[1], st.err)
			}
		}
		if st.err > float64(s.lay.w-1) {
			t.Errorf("unit %d: bound %v over the bin width %d", i, st.err, s.lay.w)
		}
		if st.err == 0 {
			exactUnits++
			if st.median != med || st.p05 != p05 || st.p95 != p95 {
				t.Errorf("unit %d reported exact: %v %v %v, want %v %v %v", i, st.median, st.p05, st.p95, med, p05, p95)
			}
		}
	}
	// The narrow half of the units (spread 0.5 and 3) lie in their windows.
	if exactUnits < n/2 {
		t.Errorf("%d of %d units exact", exactUnits, n)
	}
}

func TestEstimateIn(t *testing.T) {
	// Hand: 4 values in [11, 20]: the 0th sits at 11 + 0.5/4·10 − 0.5 = 11.75,
	// at most 8.25 from either end.
	if v, e := estimateIn(11, 20, 4, 0); v != 11.75 || e != 8.25 {
		t.Errorf("estimateIn = %v ± %v", v, e)
	}
}
