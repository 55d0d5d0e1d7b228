package measure

import "math"

// lpError is an error of the dense simplex solver.
type lpError string

func (e lpError) Error() string { return string(e) }

// Errors of the dense simplex solver.
const (
	errInfeasible lpError = "linear program is infeasible"
	errUnbounded  lpError = "linear program is unbounded"
	errIterations lpError = "simplex iteration limit reached"
)

const (
	lpPivotTol = 1e-9  // smallest usable pivot element
	lpCostTol  = 1e-10 // reduced costs above −lpCostTol count as optimal
	lpFeasTol  = 1e-8  // phase-1 objective accepted as zero
	lpStall    = 50    // degenerate pivots before switching to Bland's rule
)

// tableau is a dense simplex tableau for min cᵀx, Ax = b, x ≥ 0 with
// rows rows, cols structural columns followed by one artificial column per
// row, and the right-hand side last. Row rows holds the reduced costs and
// −z in the right-hand-side cell.
type tableau struct {
	rows, cols int
	width      int // cols + rows + 1
	t          []float64
	basis      []int
	dead       []bool // redundant rows (artificial stuck at zero)
}

func (tb *tableau) at(i, j int) float64 { return tb.t[i*tb.width+j] }
func (tb *tableau) row(i int) []float64 {
	return tb.t[i*tb.width : (i+1)*tb.width : (i+1)*tb.width]
}

// reset loads A (row-major rows×cols) and b into the tableau, making the
// right-hand side non-negative, with the artificial basis.
func (tb *tableau) reset(a []float64, b []float64, rows, cols int) {
	tb.rows, tb.cols, tb.width = rows, cols, cols+rows+1
	need := (rows + 1) * tb.width
	if cap(tb.t) < need {
		tb.t = make([]float64, need)
	}
	tb.t = tb.t[:need]
	clear(tb.t)
	if cap(tb.basis) < rows {
		tb.basis = make([]int, rows)
		tb.dead = make([]bool, rows)
	}
	tb.basis, tb.dead = tb.basis[:rows], tb.dead[:rows]
	for i := range rows {
		r := tb.row(i)
		sign := 1.0
		if b[i] < 0 {
			sign = -1
		}
		for j := range cols {
			r[j] = sign * a[i*cols+j]
		}
		r[cols+i] = 1
		r[tb.width-1] = sign * b[i]
		tb.basis[i] = cols + i
		tb.dead[i] = false
	}
}

// pivot makes column j basic in row p.
func (tb *tableau) pivot(p, j int) {
	w := tb.width
	pr := tb.row(p)
	inv := 1 / pr[j]
	for k := range pr {
		pr[k] *= inv
	}
	pr[j] = 1
	for i := 0; i <= tb.rows; i++ {
		if i == p {
			continue
		}
		r := tb.t[i*w : (i+1)*w : (i+1)*w]
		f := r[j]
		if f == 0 {
			continue
		}
		for k, v := range pr {
			if v != 0 {
				r[k] -= f * v
			}
		}
		r[j] = 0
	}
	tb.basis[p] = j
}

// iterate runs simplex pivots on columns [0, ncols) until optimality.
// Dantzig's rule is used until lpStall consecutive degenerate pivots, then
// Bland's rule, which cannot cycle; maxIter bounds the work in any case.
func (tb *tableau) iterate(ncols, maxIter int) error {
	obj := tb.row(tb.rows)
	rhs := tb.width - 1
	bland := false
	stall := 0
	for it := 0; it < maxIter; it++ {
		// Entering column.
		enter := -1
		best := -lpCostTol
		for j := range ncols {
			if d := obj[j]; d < best {
				enter = j
				if bland {
					break
				}
				best = d
			}
		}
		if enter < 0 {
			return nil
		}
		// Ratio test.
		leave := -1
		var ratio, piv float64
		for i := range tb.rows {
			if tb.dead[i] {
				continue
			}
			a := tb.at(i, enter)
			if a <= lpPivotTol {
				continue
			}
			r := tb.at(i, rhs) / a
			switch {
			case leave < 0 || r < ratio-1e-12:
				leave, ratio, piv = i, r, a
			case r <= ratio+1e-12:
				if bland {
					if tb.basis[i] < tb.basis[leave] {
						leave, ratio, piv = i, r, a
					}
				} else if a > piv {
					leave, ratio, piv = i, r, a
				}
			}
		}
		if leave < 0 {
			return errUnbounded
		}
		if ratio <= 1e-12 {
			stall++
			if stall >= lpStall {
				bland = true
			}
		} else {
			stall = 0
		}
		tb.pivot(leave, enter)
	}
	return errIterations
}

// solveLP minimises cᵀx subject to Ax = b, x ≥ 0 with the two-phase dense
// simplex method. a is row-major rows×cols. It returns x (length cols).
// The tableau is reused between calls to save allocations.
func (tb *tableau) solveLP(c, a, b []float64, rows, cols int) ([]float64, error) {
	tb.reset(a, b, rows, cols)
	maxIter := 50 * (rows + cols + 10)
	// Phase 1: minimise the sum of the artificials.
	obj := tb.row(rows)
	for i := range rows {
		r := tb.row(i)
		for j := range cols {
			obj[j] -= r[j]
		}
		obj[tb.width-1] -= r[tb.width-1]
	}
	if err := tb.iterate(cols+rows, maxIter); err != nil {
		if err == errUnbounded {
			err = errInfeasible // cannot happen in phase 1 in exact arithmetic
		}
		return nil, err
	}
	if -obj[tb.width-1] > lpFeasTol*(1+absMax(b)) {
		return nil, errInfeasible
	}
	// Drive artificials out of the basis.
	for i := range rows {
		if tb.basis[i] < cols {
			continue
		}
		r := tb.row(i)
		best, bj := lpPivotTol, -1
		for j := range cols {
			if v := math.Abs(r[j]); v > best {
				best, bj = v, j
			}
		}
		if bj < 0 {
			tb.dead[i] = true // redundant constraint
			continue
		}
		tb.pivot(i, bj)
	}
	// Phase 2: reduced costs of c for the current basis.
	clear(obj)
	copy(obj, c)
	for i := range rows {
		bj := tb.basis[i]
		if bj >= cols || c[bj] == 0 {
			continue
		}
		f := c[bj]
		r := tb.row(i)
		for k, v := range r {
			obj[k] -= f * v
		}
	}
	if err := tb.iterate(cols, maxIter); err != nil {
		return nil, err
	}
	x := make([]float64, cols)
	for i := range rows {
		if bj := tb.basis[i]; bj < cols {
			x[bj] = math.Max(0, tb.at(i, tb.width-1))
		}
	}
	return x, nil
}

func absMax(v []float64) float64 {
	m := 0.0
	for _, x := range v {
		m = math.Max(m, math.Abs(x))
	}
	return m
}
