package spatial

import (
	"context"
	"fmt"
	"math"
	"sync"
	"sync/atomic"
)

// Quadrant is the Moran scatterplot quadrant of a unit.
type Quadrant int

// Quadrants, numbered as esda's Moran_Local.q (not GeoDa's order).
const (
	// HH: the unit and its neighbours are above the mean (hot spot).
	HH Quadrant = 1
	// LH: a low unit surrounded by high neighbours.
	LH Quadrant = 2
	// LL: the unit and its neighbours are at or below the mean (cold spot).
	LL Quadrant = 3
	// HL: a high unit surrounded by low neighbours.
	HL Quadrant = 4
)

// String returns "HH", "LH", "LL" or "HL".
func (q Quadrant) String() string {
	switch q {
	case HH:
		return "HH"
	case LH:
		return "LH"
	case LL:
		return "LL"
	case HL:
		return "HL"
	}
	return fmt.Sprintf("Quadrant(%d)", int(q))
}

// QuadrantOf returns the quadrant of a unit from the sign of its deviation
// z_i and of its spatial lag (Wz)_i; zero counts as low (esda).
func QuadrantOf(z, lag float64) Quadrant {
	switch {
	case z > 0 && lag > 0:
		return HH
	case z <= 0 && lag > 0:
		return LH
	case z <= 0:
		return LL
	}
	return HL
}

// LocalMoran is the local Moran statistic of one unit.
type LocalMoran struct {
	// I is the local Moran statistic I_i (esda scaling, n − 1).
	I float64
	// Z is the deviation y_i − ȳ divided by the standard deviation of y
	// (divisor n), and Lag its spatial lag (Wz)_i.
	Z, Lag float64
	// Quadrant from the signs of Z and Lag.
	Quadrant Quadrant
	// PSim is the conditional-permutation pseudo p-value (esda's folded
	// rule); NaN without permutations and for islands.
	PSim float64
	// Island is true when the unit has no neighbour.
	Island bool
}

// LISA returns the local Moran statistic of every unit of y under the
// weights w (as given) with quadrants and, when opt.Permutations > 0,
// conditional-permutation pseudo p-values:
//
//	I_i = (n − 1) · z_i · Σ_j w_ij z_j / Σ_k z_k²,  z = y − ȳ
//
// The scale n − 1 is esda's (Moran_Local); spdep localmoran and GeoDa use
// n, so their I_i equal these times n/(n − 1). Σ_i I_i = (n − 1) S0 I / n
// for Moran's I of Moran.
//
// Quadrant: HH when z_i > 0 and (Wz)_i > 0, LH when z_i ≤ 0 < (Wz)_i, LL
// when both ≤ 0, HL when z_i > 0 ≥ (Wz)_i (zero counted as low, esda's
// numbering).
//
// Conditional permutation (Anselin 1995; esda crand): y_i is held fixed and
// its |N(i)| neighbour values are drawn without replacement from the other
// n − 1 units. As in esda, permutation p draws one ordered sample of
// max_i |N(i)| indices from {0, …, n − 2} and every unit uses its first
// |N(i)| entries, index m mapping to unit m for m < i and m + 1 otherwise;
// permutation p's sample comes from its own stream (seed, p), so the
// p-values are the same for any opt.Workers. The pseudo p-value is esda's
// folded rule p_sim = (min(m_i, P − m_i) + 1)/(P + 1), m_i = #{I_i,sim ≥
// I_i}.
//
// Edge cases: an island has I_i = 0, a zero lag, quadrant LL or HL and
// PSim NaN (esda would report 1/(P + 1) from ties at zero, which means
// nothing). A unit with z_i = 0 has I_i = 0 and every simulated value 0;
// its PSim is 1 (esda would again report 1/(P + 1)).
//
// Errors: as in Moran (NaN or infinite values, fewer than 2 units, a
// constant y with ErrConstant and every I_i NaN, a cancelled context).
// LISA panics if len(y) differs from w.N().
//
// Sources: Anselin (1995), Local indicators of spatial association—LISA,
// Geographical Analysis 27(2):93–115; esda.Moran_Local and esda.crand
// (pysal/esda moran.py, crand.py).
func LISA(ctx context.Context, y []float64, w *Weights, opt Options) ([]LocalMoran, error) {
	n := len(y)
	out := make([]LocalMoran, n)
	nan := math.NaN()
	for i := range out {
		out[i] = LocalMoran{I: nan, Z: nan, Lag: nan, PSim: nan}
	}
	z, ss, err := checkValues("local Moran", y, w)
	if err != nil {
		return out, err
	}
	sd := math.Sqrt(ss / float64(n))
	for i := range z {
		z[i] /= sd
	}
	den := ss / (sd * sd) // Σ z_k² of the standardised z (= n up to rounding)
	scale := float64(n-1) / den
	lag := w.Lag(nil, z)
	for i := range out {
		out[i] = LocalMoran{I: scale * z[i] * lag[i], Z: z[i], Lag: lag[i],
			Quadrant: QuadrantOf(z[i], lag[i]), PSim: nan, Island: w.Cardinality(i) == 0}
	}
	if opt.Permutations <= 0 || n < 2 {
		return out, nil
	}
	ids, maxCard, err := conditionalSamples(ctx, opt, n, w)
	if err != nil {
		return out, err
	}
	// Units in parallel; each unit's p-value depends only on the table.
	perms := opt.Permutations
	var next atomic.Int64
	var wg sync.WaitGroup
	const chunk = 32
	for range opt.workers((n + chunk - 1) / chunk) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				lo := int(next.Add(chunk) - chunk)
				if lo >= n || ctx.Err() != nil {
					return
				}
				for i := lo; i < min(lo+chunk, n); i++ {
					u := &out[i]
					if u.Island {
						continue
					}
					if z[i] == 0 {
						u.PSim = 1
						continue
					}
					a, b := w.start[i], w.start[i+1]
					wi := w.w[a:b]
					zi := scale * z[i]
					larger := 0
					for p := range perms {
						row := ids[p*maxCard : p*maxCard+len(wi)]
						var s float64
						for m, id := range row {
							j := int(id)
							if j >= i {
								j++
							}
							s += wi[m] * z[j]
						}
						if zi*s >= u.I {
							larger++
						}
					}
					u.PSim = foldedP(larger, perms)
				}
			}
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return out, err
	}
	return out, nil
}

// conditionalSamples draws, for every permutation p, an ordered sample of
// max_i |N(i)| distinct indices from {0, …, n − 2} (partial Fisher-Yates)
// from stream (seed, p). The table is row-major, P × maxCard.
func conditionalSamples(ctx context.Context, opt Options, n int, w *Weights) ([]int32, int, error) {
	maxCard := 0
	for i := range n {
		maxCard = max(maxCard, w.Cardinality(i))
	}
	maxCard = min(maxCard, n-1)
	perms := opt.Permutations
	ids := make([]int32, perms*maxCard)
	if maxCard == 0 {
		return ids, 0, nil
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range opt.workers(perms) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			pool := make([]int32, n-1)
			for k := range pool {
				pool[k] = int32(k)
			}
			swaps := make([]int, maxCard)
			for {
				p := int(next.Add(1) - 1)
				if p >= perms || (p%64 == 0 && ctx.Err() != nil) {
					return
				}
				src := stream(opt.Seed, p)
				row := ids[p*maxCard : (p+1)*maxCard]
				for m := range row {
					j := m + int(below(src, uint64(n-1-m)))
					pool[m], pool[j] = pool[j], pool[m]
					swaps[m] = j
					row[m] = pool[m]
				}
				for m := maxCard - 1; m >= 0; m-- { // restore the identity
					j := swaps[m]
					pool[m], pool[j] = pool[j], pool[m]
				}
			}
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, 0, err
	}
	return ids, maxCard, nil
}
