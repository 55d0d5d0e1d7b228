package measure

import (
	"math"
	"slices"
)

// radixMin is the length from which the radix sorts beat slices.Sort.
const radixMin = 512

// sortNonNegative sorts finite, non-negative x ascending in place. The
// IEEE-754 bit patterns of non-negative floats order like the floats, so a
// least-significant-digit radix sort on the bits is exact. Negative zero
// must have been replaced by zero.
func sortNonNegative(x []float64) {
	n := len(x)
	if n < radixMin {
		slices.Sort(x)
		return
	}
	keys := make([]uint64, n)
	buf := make([]uint64, n)
	var counts [8][256]int
	for i, v := range x {
		k := math.Float64bits(v)
		keys[i] = k
		for b := range 8 {
			counts[b][byte(k>>(8*b))]++
		}
	}
	src, dst := keys, buf
	for b := range 8 {
		c := &counts[b]
		shift := uint(8 * b)
		if c[byte(src[0]>>shift)] == n {
			continue
		}
		sum := 0
		for d := range c {
			sum, c[d] = sum+c[d], sum
		}
		for _, k := range src {
			d := byte(k >> shift)
			dst[c[d]] = k
			c[d]++
		}
		src, dst = dst, src
	}
	for i, k := range src {
		x[i] = math.Float64frombits(k)
	}
}

// weighted is a value with its weight.
type weighted struct {
	x, w float64
}

// sortWeighted sorts pairs by x ascending; the order is stable, so tied
// values keep their input order. x must be finite and non-negative (no
// negative zero).
func sortWeighted(p []weighted) {
	n := len(p)
	if n < radixMin {
		slices.SortStableFunc(p, func(a, b weighted) int {
			switch {
			case a.x < b.x:
				return -1
			case a.x > b.x:
				return 1
			}
			return 0
		})
		return
	}
	buf := make([]weighted, n)
	var counts [8][256]int
	for _, v := range p {
		k := math.Float64bits(v.x)
		for b := range 8 {
			counts[b][byte(k>>(8*b))]++
		}
	}
	src, dst := p, buf
	for b := range 8 {
		c := &counts[b]
		shift := uint(8 * b)
		if c[byte(math.Float64bits(src[0].x)>>shift)] == n {
			continue
		}
		sum := 0
		for d := range c {
			sum, c[d] = sum+c[d], sum
		}
		for _, v := range src {
			d := byte(math.Float64bits(v.x) >> shift)
			dst[c[d]] = v
			c[d]++
		}
		src, dst = dst, src
	}
	if &src[0] != &p[0] {
		copy(p, src)
	}
}
