package composite

import (
	"math"
	"math/rand/v2"
	"slices"
	"sync"

	"agglo/internal/measure"
)

// SobolIndex is a sensitivity index pair without a choice name attached.
type SobolIndex = SensitivityIndex

// SobolIndices estimates first-order (Saltelli 2010) and total (Jansen 1999)
// indices from the outputs of a Saltelli design: yA and yB (N each) and
// yAB[i] (A with column i from B). V = sample variance of yA ∪ yB.
//
//	S_i  = mean(yB·(yABi − yA))/V
//	S_Ti = Σ(yA − yABi)²/(2N·V)
//
// With nboot > 0 the 5th and 95th percentiles (type 7) of nboot bootstrap
// estimates are given as intervals. The bootstrap weights each row by an
// independent Poisson(1) count (PCG(seed ⊕ c, row)), the streaming form of
// the bootstrap that needs no stored rows (Hanley & MacGibbon 2006, "Creating
// non-parametric bootstrap samples using Poisson frequencies"; Chamandy et al.
// 2012), so that Uncertainty can fold rows as they are produced: each
// replicate recomputes V, S_i and S_Ti with the rows weighted by their
// counts. Rows with a non-finite value are left out. When V = 0 (the
// output never varies) every index is 0/0 and every index and interval is
// NaN (undefined; null in JSON), as with fewer than 2 rows (V is then NaN).
//
// SobolIndices returns the indices and V.
func SobolIndices(yA, yB []float64, yAB [][]float64, nboot int, seed uint64) ([]SobolIndex, float64) {
	acc := newSobolAcc(len(yAB), nboot, seed)
	row := make([]float64, len(yAB))
	for j := range yA {
		for i := range yAB {
			row[i] = yAB[i][j]
		}
		acc.add(j, yA[j], yB[j], row)
	}
	idx, v, _ := acc.result()
	return idx, v
}

// sobolAcc accumulates the Saltelli-design sums row by row: the point
// estimates with Welford's mean and variance of y_A ∪ y_B, and for each
// bootstrap replicate the same sums weighted by the row's Poisson count
// (shifted by the first row's y_A against cancellation).
type sobolAcc struct {
	d, nboot int
	seed     uint64

	rows       int
	mean, m2   float64
	nv         int
	s1, st     []float64
	shift      float64
	bw, by, bq []float64 // per replicate: Σc, Σc·(y−shift), Σc·(y−shift)² over A and B
	bs1, bst   []float64 // per replicate × d
	counts     []float64
}

func newSobolAcc(d, nboot int, seed uint64) *sobolAcc {
	return &sobolAcc{d: d, nboot: nboot, seed: seed, s1: make([]float64, d), st: make([]float64, d),
		bw: make([]float64, nboot), by: make([]float64, nboot), bq: make([]float64, nboot),
		bs1: make([]float64, nboot*d), bst: make([]float64, nboot*d), counts: make([]float64, nboot)}
}

// poisson1 draws from Poisson(1) by inversion.
func poisson1(rng *rand.Rand) float64 {
	u := rng.Float64()
	p := math.Exp(-1)
	cdf := p
	k := 0
	for u > cdf && k < 40 {
		k++
		p /= float64(k)
		cdf += p
	}
	return float64(k)
}

// add folds row j (yA, yB and yAB[i] for each choice); rows must come in
// the same order whatever the schedule for the sums to be reproducible.
func (a *sobolAcc) add(j int, yA, yB float64, yAB []float64) bool {
	if !finite(yA) || !finite(yB) {
		return false
	}
	for _, y := range yAB {
		if !finite(y) {
			return false
		}
	}
	if a.rows == 0 {
		a.shift = yA
	}
	a.rows++
	for _, y := range [2]float64{yA, yB} {
		a.nv++
		dl := y - a.mean
		a.mean += dl / float64(a.nv)
		a.m2 += dl * (y - a.mean)
	}
	for i, y := range yAB {
		a.s1[i] += yB * (y - yA)
		dd := yA - y
		a.st[i] += dd * dd
	}
	if a.nboot == 0 {
		return true
	}
	rng := rand.New(rand.NewPCG(a.seed^0x5851f42d4c957f2d, uint64(j)))
	for b := range a.counts {
		a.counts[b] = poisson1(rng)
	}
	ya, yb := yA-a.shift, yB-a.shift
	for b, c := range a.counts {
		if c == 0 {
			continue
		}
		a.bw[b] += c
		a.by[b] += c * (ya + yb)
		a.bq[b] += c * (ya*ya + yb*yb)
		s1, st := a.bs1[b*a.d:(b+1)*a.d], a.bst[b*a.d:(b+1)*a.d]
		for i, y := range yAB {
			s1[i] += c * yB * (y - yA)
			dd := yA - y
			st[i] += c * dd * dd
		}
	}
	return true
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

// result returns the indices, V and the number of rows used.
func (a *sobolAcc) result() ([]SobolIndex, float64, int) {
	out := make([]SobolIndex, a.d)
	undefined := func() []SobolIndex {
		nan := math.NaN()
		for i := range out {
			out[i] = SobolIndex{FirstOrder: nan, Total: nan, FirstCI: [2]float64{nan, nan}, TotalCI: [2]float64{nan, nan}}
		}
		return out
	}
	if a.rows < 2 {
		return undefined(), math.NaN(), a.rows
	}
	v := a.m2 / float64(a.nv-1)
	if !(v > 0) {
		// The output does not vary: every index is 0/0, undefined (the
		// JSON writes null), not 0.
		return undefined(), 0, a.rows
	}
	n := float64(a.rows)
	for i := range out {
		out[i].FirstOrder = a.s1[i] / n / v
		out[i].Total = a.st[i] / (2 * n * v)
	}
	if a.nboot == 0 {
		return out, v, a.rows
	}
	f1 := make([][]float64, a.d)
	ft := make([][]float64, a.d)
	for b := 0; b < a.nboot; b++ {
		w := a.bw[b]
		w2 := 2 * w
		if w2 < 2 {
			continue
		}
		vb := (a.bq[b] - a.by[b]*a.by[b]/w2) / (w2 - 1)
		if !(vb > 0) {
			continue
		}
		for i := 0; i < a.d; i++ {
			f1[i] = append(f1[i], a.bs1[b*a.d+i]/w/vb)
			ft[i] = append(ft[i], a.bst[b*a.d+i]/(2*w*vb))
		}
	}
	for i := range out {
		if len(f1[i]) == 0 { // no replicate with a variance
			out[i].FirstCI = [2]float64{out[i].FirstOrder, out[i].FirstOrder}
			out[i].TotalCI = [2]float64{out[i].Total, out[i].Total}
			continue
		}
		slices.Sort(f1[i])
		slices.Sort(ft[i])
		out[i].FirstCI = [2]float64{measure.Quantile7(f1[i], 0.05), measure.Quantile7(f1[i], 0.95)}
		out[i].TotalCI = [2]float64{measure.Quantile7(ft[i], 0.05), measure.Quantile7(ft[i], 0.95)}
	}
	return out, v, a.rows
}

// sobolRows gathers the d+2 outputs of each row of the design as runs
// finish in any order, and folds complete rows into acc in row order. It
// holds only the rows in flight (about as many as there are workers).
type sobolRows struct {
	mu      sync.Mutex
	d       int
	next    int
	pending map[int]*sobolRow
	acc     *sobolAcc
}

type sobolRow struct {
	y      []float64
	done   int
	failed bool
}

func newSobolRows(d int, acc *sobolAcc) *sobolRows {
	return &sobolRows{d: d, pending: map[int]*sobolRow{}, acc: acc}
}

// put records output y of part (0 A, 1 B, 2+i AB_i) of row j.
func (s *sobolRows) put(j, part int, y float64, failed bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.pending[j]
	if r == nil {
		r = &sobolRow{y: make([]float64, s.d+2)}
		s.pending[j] = r
	}
	r.y[part] = y
	r.failed = r.failed || failed
	r.done++
	for {
		r := s.pending[s.next]
		if r == nil || r.done < s.d+2 {
			return
		}
		if !r.failed {
			s.acc.add(s.next, r.y[0], r.y[1], r.y[2:])
		}
		delete(s.pending, s.next)
		s.next++
	}
}
