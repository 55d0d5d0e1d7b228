package composite

import (
	"math"
	"slices"
	"sync"
)

// rankScratch ranks scores by a radix sort of their bits, the ranks equal
// to Ranks's: 1 for the highest score, ties sharing the lowest rank, 0 for
// a missing score.
type rankScratch struct {
	keys, keys2 []uint64
	idx, idx2   []int32
}

func newRankScratch(n int) rankScratch {
	return rankScratch{keys: make([]uint64, n), keys2: make([]uint64, n), idx: make([]int32, n), idx2: make([]int32, n)}
}

func (r *rankScratch) rank(scores []float64, out []int32) {
	m := 0
	for i, v := range scores {
		if v != v {
			out[i] = 0
			continue
		}
		if v == 0 {
			v = 0 // −0 and +0 are equal scores: one key
		}
		b := math.Float64bits(v)
		if b>>63 != 0 {
			b = ^b
		} else {
			b |= 1 << 63
		}
		r.keys[m], r.idx[m] = ^b, int32(i) // ascending key = descending score
		m++
	}
	if m == 0 {
		return
	}
	keys, idx, k2, i2 := r.keys[:m], r.idx[:m], r.keys2[:m], r.idx2[:m]
	var cnt [256]int
	for shift := uint(0); shift < 64; shift += 8 {
		clear(cnt[:])
		for _, k := range keys {
			cnt[(k>>shift)&255]++
		}
		if cnt[(keys[0]>>shift)&255] == m {
			continue
		}
		sum := 0
		for b, c := range cnt {
			cnt[b] = sum
			sum += c
		}
		for t, k := range keys {
			b := (k >> shift) & 255
			k2[cnt[b]], i2[cnt[b]] = k, idx[t]
			cnt[b]++
		}
		keys, k2, idx, i2 = k2, keys, i2, idx
	}
	for t, k := range keys {
		if t > 0 && k == keys[t-1] {
			out[idx[t]] = out[idx[t-1]]
		} else {
			out[idx[t]] = int32(t + 1)
		}
	}
}

// DefaultRankMemory is the default bound, in bytes, on what an uncertainty
// analysis keeps for its rank quantiles (UAOptions.RankMemory).
const DefaultRankMemory int64 = 64 << 20

// minRankCounts is the least number of counts per unit of the binned form.
const minRankCounts = 64

// rankLayout is the form of the rank store: an exact histogram (w = 1,
// h = 0), the ranks of every run (samples), or bins of width w with an exact
// window of ±h ranks around each unit's nominal rank.
type rankLayout struct {
	samples bool
	w, nc   int
	h       int
}

func planRanks(n, runs int, budget int64) rankLayout {
	n64 := int64(n)
	if n64*n64*4 <= budget {
		return rankLayout{w: 1, nc: n}
	}
	if n64*int64(runs)*4 <= budget {
		return rankLayout{samples: true}
	}
	k := max(budget/(4*n64), minRankCounts)
	if k >= n64 {
		return rankLayout{w: 1, nc: n}
	}
	nc := k / 2
	w := (n64 + nc - 1) / nc
	nc = (n64 + w - 1) / w
	h := (k - nc - 1) / 2
	return rankLayout{w: int(w), nc: int(nc), h: int(h)}
}

// bytes is the memory of the layout for n units and runs runs, with the
// per-unit counters (count, below, equal: 4 bytes; sum: 8 bytes).
func (l rankLayout) bytes(n, runs int) int64 {
	b := int64(n) * 20
	if l.samples {
		return b + int64(n)*int64(runs)*4
	}
	win := 0
	if l.h > 0 {
		win = 2*l.h + 1
	}
	return b + int64(n)*int64(l.nc+win)*4
}

// rankStore accumulates the ranks of the runs (see Uncertainty).
type rankStore struct {
	n, runs int
	lay     rankLayout
	nominal []int32
	centre  []int32

	locks               []sync.Mutex // one per stripe of rankStripe units
	count, below, equal []uint32
	sum                 []uint64
	samples             []int32 // runs × n, run-major; 0 = no rank
	coarse              []uint32
	win                 []uint32
}

func newRankStore(n, runs int, nominal []int32, budget int64) *rankStore {
	s := &rankStore{n: n, runs: runs, lay: planRanks(n, runs, budget), nominal: nominal,
		count: make([]uint32, n), below: make([]uint32, n), equal: make([]uint32, n), sum: make([]uint64, n),
		locks: make([]sync.Mutex, (n+rankStripe-1)/rankStripe)}
	if s.lay.samples {
		s.samples = make([]int32, n*runs)
		return s
	}
	s.coarse = make([]uint32, n*s.lay.nc)
	if s.lay.h > 0 {
		s.win = make([]uint32, n*(2*s.lay.h+1))
		s.centre = make([]int32, n)
		for i, r := range nominal {
			if r <= 0 {
				r = int32((n + 1) / 2)
			}
			s.centre[i] = r
		}
	}
	return s
}

// rankBatch collects the ranks of a worker's runs, so that the store is
// updated unit by unit for many runs at once (one pass over each unit's
// counts instead of one scattered update per run).
type rankBatch struct {
	n     int
	size  int
	runs  []int
	ranks []int32 // len(runs) × n
}

// rankBatchBytes bounds the bytes of a batch.
const rankBatchBytes = 1 << 20

func newRankBatch(n int) rankBatch {
	size := min(max(rankBatchBytes/(4*n), 1), 64)
	return rankBatch{n: n, size: size, ranks: make([]int32, 0, size*n)}
}

// add appends run's ranks and reports whether the batch is full.
func (b *rankBatch) add(run int, ranks []int32) bool {
	b.runs = append(b.runs, run)
	b.ranks = append(b.ranks, ranks...)
	return len(b.runs) >= b.size
}

// rankStripe is the number of units behind one lock of the store.
const rankStripe = 512

// addBatch records the ranks of b's runs (each 0 ≤ run < runs) and empties
// b. Units are locked in stripes, each worker starting at another stripe.
func (s *rankStore) addBatch(b *rankBatch) {
	if len(b.runs) == 0 {
		return
	}
	n, ns := s.n, len(s.locks)
	w, nc, h := s.lay.w, s.lay.nc, s.lay.h
	start := b.runs[0] % ns
	for t := 0; t < ns; t++ {
		st := (start + t) % ns
		lo, hi := st*rankStripe, min((st+1)*rankStripe, n)
		s.locks[st].Lock()
		if s.samples != nil {
			for k, run := range b.runs {
				copy(s.samples[run*n+lo:run*n+hi], b.ranks[k*n+lo:k*n+hi])
			}
		}
		for i := lo; i < hi; i++ {
			nom := s.nominal[i]
			var cnt, below, equal uint32
			var sum uint64
			var hc []uint32
			if s.coarse != nil {
				hc = s.coarse[i*nc : (i+1)*nc]
			}
			var win []uint32
			var centre int32
			if h > 0 {
				win = s.win[i*(2*h+1) : (i+1)*(2*h+1)]
				centre = s.centre[i]
			}
			for k := range b.runs {
				r := b.ranks[k*n+i]
				if r <= 0 {
					continue
				}
				cnt++
				sum += uint64(r)
				if r < nom {
					below++
				} else if r == nom {
					equal++
				}
				if hc == nil {
					continue
				}
				hc[(int(r)-1)/w]++
				if win != nil {
					if d := int(r - centre); d >= -h && d <= h {
						win[d+h]++
					}
				}
			}
			s.count[i] += cnt
			s.sum[i] += sum
			s.below[i] += below
			s.equal[i] += equal
		}
		s.locks[st].Unlock()
	}
	b.runs, b.ranks = b.runs[:0], b.ranks[:0]
}

type rankStats struct {
	runs                   int
	mean, median, p05, p95 float64
	pct                    float64
	err                    float64 // largest error bound of the quantiles
}

// stats returns unit i's statistics: mean, type-7 median, 5th and 95th
// percentiles, the nominal rank's mid-distribution percentile.
func (s *rankStore) stats(i int) rankStats {
	cnt := int(s.count[i])
	st := rankStats{runs: cnt}
	if cnt == 0 {
		return st
	}
	st.mean = float64(s.sum[i]) / float64(cnt)
	if s.nominal[i] > 0 {
		st.pct = 100 * (float64(s.below[i]) + 0.5*float64(s.equal[i])) / float64(cnt)
	}
	probs := [3]float64{0.5, 0.05, 0.95}
	var ks []int
	for _, p := range probs {
		k := int(math.Floor(float64(cnt-1) * p))
		ks = append(ks, k, min(k+1, cnt-1))
	}
	sorted := slices.Clone(ks)
	slices.Sort(sorted)
	sorted = slices.Compact(sorted)
	vals := make([]float64, len(sorted))
	errs := make([]float64, len(sorted))
	s.orderStats(i, sorted, vals, errs)
	at := func(k int) (float64, float64) {
		j, _ := slices.BinarySearch(sorted, k)
		return vals[j], errs[j]
	}
	var q [3]float64
	for pi, p := range probs {
		// quantile7 on the order statistics x_(k), x_(k+1)
		h := float64(cnt-1) * p
		lo := math.Floor(h)
		k := int(lo)
		xk, ek := at(k)
		if k >= cnt-1 {
			q[pi] = xk
			st.err = max(st.err, ek)
			continue
		}
		xk1, ek1 := at(k + 1)
		f := h - lo
		q[pi] = xk + f*(xk1-xk)
		st.err = max(st.err, (1-f)*ek+f*ek1)
	}
	st.median, st.p05, st.p95 = q[0], q[1], q[2]
	return st
}

// orderStats writes the ks-th smallest ranks (0-based, ks ascending) of
// unit i into vals, with an error bound (0 when exact) in errs.
func (s *rankStore) orderStats(i int, ks []int, vals, errs []float64) {
	if s.samples != nil {
		xs := make([]int32, 0, s.count[i])
		for r := 0; r < s.runs; r++ {
			if v := s.samples[r*s.n+i]; v > 0 {
				xs = append(xs, v)
			}
		}
		slices.Sort(xs)
		for t, k := range ks {
			vals[t], errs[t] = float64(xs[k]), 0
		}
		return
	}
	w, nc, h := s.lay.w, s.lay.nc, s.lay.h
	coarse := s.coarse[i*nc : (i+1)*nc]
	var win []uint32
	var centre int
	if h > 0 {
		win = s.win[i*(2*h+1) : (i+1)*(2*h+1)]
		centre = int(s.centre[i])
	}
	t := 0
	cum := 0
	for b := 0; b < nc && t < len(ks); b++ {
		c := int(coarse[b])
		for t < len(ks) && ks[t] < cum+c {
			vals[t], errs[t] = s.inBin(b, w, c, ks[t]-cum, win, centre, h)
			t++
		}
		cum += c
	}
}

// inBin returns the pos-th smallest (0-based) of the c ranks in coarse bin
// b, exactly when the window's counts decide it.
func (s *rankStore) inBin(b, w, c, pos int, win []uint32, centre, h int) (float64, float64) {
	lo, hi := b*w+1, min((b+1)*w, s.n)
	if lo == hi {
		return float64(lo), 0
	}
	if win == nil {
		return estimateIn(lo, hi, c, pos)
	}
	cl, ch := max(lo, centre-h), min(hi, centre+h)
	if cl > ch {
		return estimateIn(lo, hi, c, pos)
	}
	known := 0
	for r := cl; r <= ch; r++ {
		known += int(win[r-centre+h])
	}
	unknown := c - known
	walk := func(p int) float64 {
		for r := cl; r <= ch; r++ {
			p -= int(win[r-centre+h])
			if p < 0 {
				return float64(r)
			}
		}
		return float64(ch)
	}
	switch {
	case unknown == 0:
		return walk(pos), 0
	case cl > lo && ch < hi:
		return estimateIn(lo, hi, c, pos)
	case cl > lo: // unknown ranks below the window
		if pos < unknown {
			return estimateIn(lo, cl-1, unknown, pos)
		}
		return walk(pos - unknown), 0
	default: // unknown ranks above the window
		if pos < known {
			return walk(pos), 0
		}
		return estimateIn(ch+1, hi, unknown, pos-known)
	}
}

// estimateIn places the pos-th of c values known to lie in [a, b] at its
// share of the range, and bounds the error by the distance to the range's
// ends.
func estimateIn(a, b, c, pos int) (float64, float64) {
	est := float64(a) + (float64(pos)+0.5)/float64(c)*float64(b-a+1) - 0.5
	est = math.Min(math.Max(est, float64(a)), float64(b))
	return est, math.Max(est-float64(a), float64(b)-est)
}
