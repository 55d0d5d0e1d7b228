package measure

import (
	"encoding/binary"
	"math"
	"testing"
)

// floatsFromBytes decodes b as little-endian float64 values (at most max).
func floatsFromBytes(b []byte, max int) []float64 {
	n := min(len(b)/8, max)
	x := make([]float64, n)
	for i := range x {
		x[i] = math.Float64frombits(binary.LittleEndian.Uint64(b[8*i:]))
	}
	return x
}

func bytesFromFloats(x ...float64) []byte {
	b := make([]byte, 8*len(x))
	for i, v := range x {
		binary.LittleEndian.PutUint64(b[8*i:], math.Float64bits(v))
	}
	return b
}

// FuzzGini: for any input the function must not panic; on the validated
// path (Check passes) the result is NaN or lies in [0, 1].
func FuzzGini(f *testing.F) {
	f.Add(bytesFromFloats(20, 12, 10, 7.5, 5), bytesFromFloats(1000, 500, 300, 200, 100))
	f.Add(bytesFromFloats(0, 0, 0), bytesFromFloats(1, 1, 1))
	f.Add(bytesFromFloats(1, math.NaN(), -1), bytesFromFloats(0, 1, 2))
	f.Add(bytesFromFloats(math.Inf(1), 1e308, 1e-308), bytesFromFloats(1e308, 1, 5e-324))
	f.Add([]byte{}, []byte{})
	f.Fuzz(func(t *testing.T, xb, wb []byte) {
		x := floatsFromBytes(xb, 64)
		w := floatsFromBytes(wb, 64)
		if len(w) != len(x) {
			w = nil
		}
		g := Gini(x, w) // must not panic on anything
		if Check("Gini", nil, x, NonNegative|AllowMissing) != nil ||
			(w != nil && Check("Gini weights", nil, w, NonNegative|AllowMissing) != nil) {
			return
		}
		if math.IsNaN(g) {
			return // empty, zero total or overflowing sums
		}
		// G < 1 holds mathematically, but with weights spanning dozens of
		// orders of magnitude 1 − G is below the float64 resolution and
		// the correctly rounded result is 1 (see the committed corpus).
		if g < 0 || g > 1 {
			t.Fatalf("Gini(%v, %v) = %v outside [0, 1]", x, w, g)
		}
	})
}

// FuzzTheil: no panic; on validated input between + within = total when
// the total is finite, and T ≥ 0 up to round-off.
func FuzzTheil(f *testing.F) {
	f.Add(bytesFromFloats(20, 12, 10, 7.5, 5), bytesFromFloats(1000, 500, 300, 200, 100), []byte{1, 1, 2, 2, 2})
	f.Add(bytesFromFloats(0, 0, 0, 10, 10, 10), []byte{}, []byte{0, 0, 0, 1, 1, 1})
	f.Add(bytesFromFloats(0, math.NaN(), 3), bytesFromFloats(1, 1, 0), []byte{0, 1, 1})
	f.Fuzz(func(t *testing.T, yb, wb, gb []byte) {
		y := floatsFromBytes(yb, 64)
		w := floatsFromBytes(wb, 64)
		if len(w) != len(y) {
			w = nil
		}
		var g []int
		if len(gb) >= len(y) {
			g = make([]int, len(y))
			for i := range g {
				g[i] = int(gb[i] % 5)
			}
		}
		for _, idx := range []TheilIndex{TheilT, TheilL} {
			r := TheilDecompose(idx, y, w, g)
			if Check("Theil", nil, y, NonNegative|AllowMissing) != nil ||
				(w != nil && Check("Theil weights", nil, w, NonNegative|AllowMissing) != nil) {
				continue
			}
			if math.IsNaN(r.Total) || math.IsInf(r.Total, 0) || math.IsInf(r.Between, 0) || math.IsNaN(r.Between) {
				continue
			}
			scale := math.Max(1, math.Abs(r.Total))
			if math.Abs(r.Between+r.Within-r.Total) > 1e-9*scale {
				t.Fatalf("%v: B %v + W %v != T %v", idx, r.Between, r.Within, r.Total)
			}
			if r.Total < -1e-9 {
				t.Fatalf("%v: negative total %v", idx, r.Total)
			}
		}
	})
}

// FuzzDEA: DEA never panics on a rectangular matrix and returns either an
// error or efficiencies in (0, 1]. The committed corpus holds the badly
// conditioned inputs found while developing the solver.
func FuzzDEA(f *testing.F) {
	f.Add(bytesFromFloats(4, 3, 7, 3, 8, 1, 4, 2, 2, 4, 10, 1), bytesFromFloats(1, 1, 1, 1, 1, 1), uint8(2), uint8(0))
	f.Add(bytesFromFloats(100, 200, 300, 500, 100, 200, 600), bytesFromFloats(75, 100, 300, 400, 25, 50, 400), uint8(1), uint8(3))
	f.Add(bytesFromFloats(1, 0, 0, 1), bytesFromFloats(0, 1, 1, 0), uint8(2), uint8(1))
	f.Add(bytesFromFloats(1, -1, math.NaN(), 2), bytesFromFloats(1, 1), uint8(1), uint8(2))
	f.Fuzz(func(t *testing.T, xb, yb []byte, m, mode uint8) {
		mi := int(m%3) + 1
		x := floatsFromBytes(xb, 60)
		y := floatsFromBytes(yb, 60)
		n := min(len(x)/mi, len(y), 12)
		if n == 0 {
			return
		}
		xs := make([][]float64, n)
		ys := make([][]float64, n)
		for j := range n {
			xs[j] = x[j*mi : (j+1)*mi]
			// Keep magnitudes sane: the fuzzer's 1e300 values are valid but
			// not what this target is about.
			ys[j] = []float64{y[j]}
			for i, v := range xs[j] {
				if math.Abs(v) > 1e6 || (v != 0 && math.Abs(v) < 1e-6) {
					xs[j][i] = math.Mod(math.Abs(v), 1000) + 1
				}
			}
			if v := ys[j][0]; math.Abs(v) > 1e6 || (v != 0 && math.Abs(v) < 1e-6) {
				ys[j][0] = math.Mod(math.Abs(v), 1000) + 1
			}
		}
		opt := DEAOptions{Orientation: Orientation(mode % 2), Returns: Returns(mode / 2 % 2)}
		r, err := DEA(xs, ys, opt)
		if err != nil {
			// Invalid data gives an *InputError; an LP that cannot be
			// solved to a verified solution (badly conditioned data, values
			// equal to about seven significant digits) gives a plain
			// error. Neither may panic.
			return
		}
		for o, e := range r.Efficiency {
			if !(e > 0 && e <= 1+1e-9) {
				t.Fatalf("DMU %d efficiency %v (θ %v) for x=%v y=%v %+v", o, e, r.Theta[o], xs, ys, opt)
			}
		}
	})
}
