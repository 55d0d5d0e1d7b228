package measure

import (
	"math"

	"gonum.org/v1/gonum/mat"
)

// lpError is an error of the dense simplex solver.
type lpError string

func (e lpError) Error() string { return string(e) }

// Errors of the dense simplex solver.
const (
	errInfeasible lpError = "linear program is infeasible"
	errUnbounded  lpError = "linear program is unbounded"
	errIterations lpError = "simplex iteration limit reached"
	errResidual   lpError = "solution fails the constraints (data too badly scaled)"
)

const (
	lpCostTol = 1e-9 // reduced costs above −lpCostTol count as optimal
	lpStall   = 50   // degenerate pivots before switching to Bland's rule
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
	// bland selects Bland's rule from the first pivot (slower, but a
	// different pivot path for a retry on badly conditioned problems).
	bland bool
	// bounded declares the program bounded (true for DEA): an entering
	// column without a positive pivot is then round-off, not a ray.
	bounded bool
	// pivotTol is the smallest usable pivot element and feasTol the
	// relative phase-1 objective accepted as zero.
	pivotTol, feasTol float64
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
	bland := tb.bland
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
			if a <= tb.pivotTol {
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
			if tb.bounded {
				// The DEA programs are bounded, so a column without a
				// positive pivot only has a round-off reduced cost.
				obj[enter] = 0
				continue
			}
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
//
// Every solution is verified against the original constraints. On badly
// scaled data, pivots on tiny elements can make the first attempt report
// infeasibility or return a point that fails the check; the LP is then
// solved again with a coarser pivot tolerance (treating tiny entries as
// zero) and with Bland's rule from the start, which follow other pivot
// paths. The last error is returned when every attempt fails.
func (tb *tableau) solveLP(c, a, b []float64, rows, cols int) ([]float64, error) {
	var err error
	for _, at := range [...]struct {
		tol   float64
		bland bool
	}{{1e-9, false}, {1e-7, false}, {1e-9, true}, {1e-7, true}} {
		tb.pivotTol, tb.feasTol, tb.bland = at.tol, at.tol, at.bland
		var x []float64
		x, err = tb.solve(c, a, b, rows, cols)
		if err == nil {
			err = residual(a, b, x, rows, cols)
		}
		if err != errInfeasible && err != errResidual {
			return x, err
		}
	}
	return nil, err
}

// residual verifies x against the constraints: |A x − b| must be small
// relative to the largest term of each row.
func residual(a, b, x []float64, rows, cols int) error {
	for i := range rows {
		r := a[i*cols : (i+1)*cols]
		sum, mag := -b[i], math.Abs(b[i])
		for j, v := range r {
			sum += v * x[j]
			mag = math.Max(mag, math.Abs(v*x[j]))
		}
		if math.Abs(sum) > 1e-6*math.Max(1, mag) {
			return errResidual
		}
	}
	return nil
}

func (tb *tableau) solve(c, a, b []float64, rows, cols int) ([]float64, error) {
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
	phase1 := make([]float64, cols) // structural costs of phase 1 are zero
	if err := tb.optimise(a, b, phase1, 1, cols+rows, maxIter); err != nil {
		if err == errUnbounded {
			err = errInfeasible // cannot happen in phase 1 in exact arithmetic
		}
		return nil, err
	}
	if -obj[tb.width-1] > tb.feasTol*(1+absMax(b)) {
		return nil, errInfeasible
	}
	// Drive artificials out of the basis.
	for i := range rows {
		if tb.basis[i] < cols {
			continue
		}
		r := tb.row(i)
		best, bj := tb.pivotTol, -1
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
	// Phase 2 on the structural columns, from a refactored tableau.
	if err := tb.refactor(a, b, c, 0); err != nil {
		return nil, err
	}
	if err := tb.optimise(a, b, c, 0, cols, maxIter); err != nil {
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

// optimise iterates to optimality on columns [0, ncols), then rebuilds the
// tableau from the final basis and the original data to remove the
// round-off accumulated by the pivots, and continues if the accurate
// reduced costs show that the basis is not optimal after all. A basis that
// is primal infeasible after refactoring is reported as errResidual. c
// holds the structural costs and art the cost of every artificial.
func (tb *tableau) optimise(a, b, c []float64, art float64, ncols, maxIter int) error {
	for range 4 {
		if err := tb.iterate(ncols, maxIter); err != nil {
			return err
		}
		if err := tb.refactor(a, b, c, art); err != nil {
			return err
		}
		tol := tb.feasTol * (1 + absMax(b))
		for i := range tb.rows {
			if tb.at(i, tb.width-1) < -tol {
				return errResidual
			}
		}
		obj := tb.row(tb.rows)
		optimal := true
		// A bound relative to the costs, looser than iterate's, avoids
		// ping-pong on reduced costs that are zero up to round-off.
		costTol := 1e-7 * (1 + math.Max(absMax(c), math.Abs(art)))
		for j := range ncols {
			optimal = optimal && obj[j] >= -costTol
		}
		if optimal {
			return nil
		}
	}
	return errIterations
}

// refactor rebuilds the tableau for the current basis from the original
// data, T = B⁻¹[A | I | b] with the row signs of reset, and the objective
// row for structural costs c and artificial cost art. It returns
// errResidual when the basis matrix is numerically singular.
func (tb *tableau) refactor(a, b, c []float64, art float64) error {
	rows, cols, w := tb.rows, tb.cols, tb.width
	r := mat.NewDense(rows, w, nil)
	for i := range rows {
		sign := 1.0
		if b[i] < 0 {
			sign = -1
		}
		for j := range cols {
			r.Set(i, j, sign*a[i*cols+j])
		}
		r.Set(i, cols+i, 1)
		r.Set(i, w-1, sign*b[i])
	}
	basis := mat.NewDense(rows, rows, nil)
	for k, bj := range tb.basis {
		for i := range rows {
			basis.Set(i, k, r.At(i, bj))
		}
	}
	var lu mat.LU
	lu.Factorize(basis)
	if lu.Cond() > 1e12 {
		return errResidual
	}
	var x mat.Dense
	if err := lu.SolveTo(&x, false, r); err != nil {
		return errResidual
	}
	for i := range rows {
		copy(tb.row(i), x.RawRowView(i))
	}
	obj := tb.row(rows)
	clear(obj)
	copy(obj, c)
	for j := cols; j < w-1; j++ {
		obj[j] = art
	}
	for i, bj := range tb.basis {
		cb := art
		if bj < cols {
			cb = c[bj]
		}
		if cb == 0 {
			continue
		}
		for k, v := range tb.row(i) {
			obj[k] -= cb * v
		}
	}
	return nil
}

func absMax(v []float64) float64 {
	m := 0.0
	for _, x := range v {
		m = math.Max(m, math.Abs(x))
	}
	return m
}
