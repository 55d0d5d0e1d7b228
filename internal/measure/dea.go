package measure

import (
	"fmt"
	"math"
)

// Orientation of a DEA model.
type Orientation int

const (
	// InputOriented minimises the radial input contraction θ.
	InputOriented Orientation = iota
	// OutputOriented maximises the radial output expansion φ.
	OutputOriented
)

// Returns is the returns-to-scale assumption of a DEA model.
type Returns int

const (
	// CRS is constant returns to scale (CCR model).
	CRS Returns = iota
	// VRS is variable returns to scale (BCC model, Σλ = 1).
	VRS
)

// DEAOptions selects the model. The zero value is input-oriented CRS with
// second-phase slacks.
type DEAOptions struct {
	Orientation Orientation
	Returns     Returns
	// SkipSlacks omits the second phase; slacks are then nil and Lambda
	// comes from the first phase.
	SkipSlacks bool
}

// DEAResult holds the envelopment-form solutions for every DMU.
type DEAResult struct {
	Options DEAOptions
	// Theta is θ* (input orientation, ≤ 1) or φ* (output orientation, ≥ 1).
	Theta []float64
	// Efficiency is θ* or 1/φ*, in (0, 1].
	Efficiency []float64
	// InputSlacks[o][i] and OutputSlacks[o][r] are the second-phase slacks
	// s⁻ and s⁺ of DMU o, in the units of the data.
	InputSlacks, OutputSlacks [][]float64
	// Lambda[o][j] is the intensity of DMU j in DMU o's reference point.
	Lambda [][]float64
	// Strong[o] reports Pareto–Koopmans efficiency: θ* = 1 (φ* = 1) and all
	// slacks zero (within 1e-7 relative to the data). Nil with SkipSlacks.
	Strong []bool
}

// DEA solves the envelopment-form DEA model for every DMU. x[j] holds the
// m inputs and y[j] the s outputs of DMU j. Input orientation, for DMU o:
//
//	min θ  s.t.  Σ_j λ_j x_ij + s⁻_i = θ x_io,  Σ_j λ_j y_rj − s⁺_r = y_ro,
//	             λ, s⁻, s⁺ ≥ 0  (VRS: Σ_j λ_j = 1)
//
// Output orientation:
//
//	max φ  s.t.  Σ_j λ_j x_ij + s⁻_i = x_io,  Σ_j λ_j y_rj − s⁺_r = φ y_ro
//
// The second phase fixes θ* (φ*) and maximises Σ s⁻ + Σ s⁺ in the units of
// the data (as Benchmarking::slack and dealib). For CRS, 1/φ* = θ*.
//
// Implementation: every input and output column is divided by its mean
// (efficiency is unit-invariant), each LP row and column by its largest
// coefficient, and each LP is solved in standard form (variables [θ, λ, s⁻, s⁺] ≥ 0,
// docs/methods.md#dea-solver) by a dense two-phase simplex that switches to Bland's
// rule after repeated degenerate pivots and stops at an iteration limit, so
// it always terminates. At optimality the tableau is rebuilt from the basis
// and the original data with an LU factorisation (removing the round-off
// of the pivots) and optimality is re-checked; each solution is verified
// against the constraints, and a failure is retried with other tolerances
// and pivot rules and, if all fail, reported as an error. On the reference
// sets the efficiencies agree to 1e-9; on data whose values differ only in
// the seventh significant digit expect agreement to about 1e-6, or an
// error. gonum's lp.Simplex gives the same values
// on the input-oriented test sets but has no iteration guard and can cycle
// on degenerate DEA problems (gonum/gonum#1914; in the tests it did not
// terminate on an output-oriented Charnes LP), so it is used only as a
// cross-check in the tests.
//
// Errors (*InputError, Method "DEA inputs"/"DEA outputs"/"DEA"): no DMUs,
// a NaN, infinite or negative value, an all-zero input or output column
// (drop it), a DMU whose inputs are all zero or whose outputs are all zero,
// or a variable whose positive values span more than six orders of
// magnitude (max/min > 1e6), which the solver cannot handle reliably. An LP failure is
// returned as an error naming the DMU. Panics if x and y have different
// numbers of rows or are ragged. Source: Charnes, Cooper & Rhodes (1978);
// Banker, Charnes & Cooper (1984); docs/methods.md#dea (references
// Benchmarking::dea, dealib).
func DEA(x, y [][]float64, opt DEAOptions) (DEAResult, error) {
	n := len(x)
	if len(y) != n {
		panic(errLength)
	}
	m, s := checkRect(x), checkRect(y)
	if err := validateDEA(x, y, m, s); err != nil {
		return DEAResult{}, err
	}
	// Column means for scaling.
	xm, ym := make([]float64, m), make([]float64, s)
	for j := range n {
		for i := range m {
			xm[i] += x[j][i]
		}
		for r := range s {
			ym[r] += y[j][r]
		}
	}
	xs := make([]float64, n*m) // scaled, row j = DMU j
	ys := make([]float64, n*s)
	for j := range n {
		for i := range m {
			xs[j*m+i] = x[j][i] / (xm[i] / float64(n))
		}
		for r := range s {
			ys[j*s+r] = y[j][r] / (ym[r] / float64(n))
		}
	}
	for i := range m {
		xm[i] /= float64(n)
	}
	for r := range s {
		ym[r] /= float64(n)
	}
	res := DEAResult{Options: opt, Theta: make([]float64, n), Efficiency: make([]float64, n),
		Lambda: make([][]float64, n)}
	if !opt.SkipSlacks {
		res.InputSlacks = make([][]float64, n)
		res.OutputSlacks = make([][]float64, n)
		res.Strong = make([]bool, n)
	}
	p := deaProblem{n: n, m: m, s: s, xs: xs, ys: ys, xm: xm, ym: ym, opt: opt}
	p.alloc()
	p.tb.bounded = true
	for o := range n {
		theta, lambda, err := p.phase1(o)
		if err != nil {
			return DEAResult{}, fmt.Errorf("measure: DEA: unit %d: %w", o, err)
		}
		// λ_o = 1 is always feasible, so θ* ≤ 1 ≤ φ*; clip round-off.
		if opt.Orientation == OutputOriented {
			theta = math.Max(theta, 1)
		} else {
			theta = math.Min(theta, 1)
		}
		res.Theta[o] = theta
		if opt.Orientation == OutputOriented {
			res.Efficiency[o] = 1 / theta
		} else {
			res.Efficiency[o] = theta
		}
		if opt.SkipSlacks {
			res.Lambda[o] = lambda
			continue
		}
		lambda, sx, sy, err := p.phase2(o, theta)
		// θ* carries round-off from the first phase; on badly scaled data
		// fixing it exactly can make the second phase infeasible by a hair.
		// Relax it towards the feasible side (θ up, φ down) and retry.
		for _, rel := range []float64{1e-10, 1e-8, 1e-6} {
			if err != errInfeasible && err != errResidual {
				break
			}
			f := 1 + rel
			if opt.Orientation == OutputOriented {
				f = 1 - rel
			}
			lambda, sx, sy, err = p.phase2(o, theta*f)
		}
		if err != nil {
			return DEAResult{}, fmt.Errorf("measure: DEA: unit %d: slacks: %w", o, err)
		}
		res.Lambda[o], res.InputSlacks[o], res.OutputSlacks[o] = lambda, sx, sy
		strong := math.Abs(theta-1) <= 1e-9
		for i, v := range sx {
			strong = strong && v <= 1e-7*xm[i]
		}
		for r, v := range sy {
			strong = strong && v <= 1e-7*ym[r]
		}
		res.Strong[o] = strong
	}
	return res, nil
}

// maxDEASpread is the largest accepted ratio of the largest to the smallest
// positive value of one input or output. Beyond it the scaled LP has
// entries below the solver's pivot tolerances and results are unreliable.
const maxDEASpread = 1e6

func validateDEA(x, y [][]float64, m, s int) error {
	n := len(x)
	if n == 0 {
		return &InputError{Method: "DEA", Unit: -1, Column: -1, Value: math.NaN(), Reason: "no decision-making units"}
	}
	if m == 0 || s == 0 {
		return &InputError{Method: "DEA", Unit: -1, Column: -1, Value: math.NaN(), Reason: "at least one input and one output are needed"}
	}
	if err := CheckMatrix("DEA inputs", nil, x, NonNegative); err != nil {
		return err
	}
	if err := CheckMatrix("DEA outputs", nil, y, NonNegative); err != nil {
		return err
	}
	for _, side := range []struct {
		name string
		v    [][]float64
		k    int
	}{{"DEA inputs", x, m}, {"DEA outputs", y, s}} {
		for c := range side.k {
			zero := true
			for j := range n {
				zero = zero && side.v[j][c] == 0
			}
			if zero {
				return &InputError{Method: side.name, Unit: -1, Column: c, Value: 0, Reason: "the variable is zero for every unit; drop it"}
			}
		}
		for c := range side.k {
			lo, hi, at := math.Inf(1), 0.0, 0
			for j := range n {
				if v := side.v[j][c]; v > 0 {
					if v < lo {
						lo, at = v, j
					}
					hi = math.Max(hi, v)
				}
			}
			if hi/lo > maxDEASpread {
				return &InputError{Method: side.name, Unit: at, Column: c, Value: lo,
					Reason: "the positive values of this variable span more than six orders of magnitude; check its units or drop the unit"}
			}
		}
		for j := range n {
			zero := true
			for c := range side.k {
				zero = zero && side.v[j][c] == 0
			}
			if zero {
				return &InputError{Method: side.name, Unit: j, Column: -1, Value: 0, Reason: "all values of the unit are zero"}
			}
		}
	}
	return nil
}

// deaProblem holds the scaled data and reusable LP buffers.
type deaProblem struct {
	n, m, s  int
	xs, ys   []float64 // scaled data, row-major by DMU
	xm, ym   []float64 // column means (scale factors)
	opt      DEAOptions
	a, b, c  []float64
	colScale []float64 // column equilibration factors of the current LP
	tb       tableau
}

func (p *deaProblem) alloc() {
	rows := p.m + p.s + 1
	cols := 1 + p.n + p.m + p.s
	p.a = make([]float64, rows*cols)
	p.b = make([]float64, rows)
	p.c = make([]float64, cols)
	p.colScale = make([]float64, cols)
}

// solve scales the costs like the columns, solves the LP built by build and
// returns the solution in the unscaled variables.
func (p *deaProblem) solve(rows, cols int) ([]float64, error) {
	c := p.c[:cols]
	for j := range c {
		c[j] /= p.colScale[j]
	}
	sol, err := p.tb.solveLP(c, p.a[:rows*cols], p.b[:rows], rows, cols)
	if err != nil {
		return nil, err
	}
	for j := range sol {
		sol[j] /= p.colScale[j]
	}
	return sol, nil
}

// build fills the standard-form LP for DMU o. With radial true, column 0
// is θ (input) or φ (output); otherwise the radial factor is fixed at
// fixed and moved to the right-hand side. Column layout after the optional
// radial column: λ_1..λ_n, s⁻_1..s⁻_m, s⁺_1..s⁺_s.
func (p *deaProblem) build(o int, radial bool, fixed float64) (rows, cols int) {
	n, m, s := p.n, p.m, p.s
	off := 0
	if radial {
		off = 1
	}
	rows = m + s
	if p.opt.Returns == VRS {
		rows++
	}
	cols = off + n + m + s
	a := p.a[:rows*cols]
	clear(a)
	b := p.b[:rows]
	input := p.opt.Orientation == InputOriented
	for i := range m {
		r := a[i*cols : (i+1)*cols]
		for j := range n {
			r[off+j] = p.xs[j*m+i]
		}
		r[off+n+i] = 1
		xo := p.xs[o*m+i]
		switch {
		case input && radial:
			r[0] = -xo
			b[i] = 0
		case input:
			b[i] = fixed * xo
		default:
			b[i] = xo
		}
	}
	for k := range s {
		row := m + k
		r := a[row*cols : (row+1)*cols]
		for j := range n {
			r[off+j] = p.ys[j*s+k]
		}
		r[off+n+m+k] = -1
		yo := p.ys[o*s+k]
		switch {
		case !input && radial:
			r[0] = -yo
			b[row] = 0
		case !input:
			b[row] = fixed * yo
		default:
			b[row] = yo
		}
	}
	if p.opt.Returns == VRS {
		row := m + s
		r := a[row*cols : (row+1)*cols]
		for j := range n {
			r[off+j] = 1
		}
		b[row] = 1
	}
	// Equilibrate: divide each row by its largest coefficient, then each
	// column by its largest coefficient (a change of the variable's unit,
	// undone by unscale), so that DMUs that are small relative to the
	// column means do not leave tiny pivots next to large ones.
	for i := range rows {
		r := a[i*cols : (i+1)*cols]
		mx := absMax(r)
		if mx > 0 {
			for j := range r {
				r[j] /= mx
			}
			b[i] /= mx
		}
	}
	cs := p.colScale[:cols]
	for j := range cols {
		mx := 0.0
		for i := range rows {
			mx = math.Max(mx, math.Abs(a[i*cols+j]))
		}
		if mx == 0 {
			mx = 1
		}
		cs[j] = mx
		for i := range rows {
			a[i*cols+j] /= mx
		}
	}
	return rows, cols
}

func (p *deaProblem) phase1(o int) (float64, []float64, error) {
	rows, cols := p.build(o, true, 0)
	c := p.c[:cols]
	clear(c)
	if p.opt.Orientation == InputOriented {
		c[0] = 1
	} else {
		c[0] = -1
	}
	sol, err := p.solve(rows, cols)
	if err != nil {
		return 0, nil, err
	}
	lambda := make([]float64, p.n)
	copy(lambda, sol[1:1+p.n])
	return sol[0], lambda, nil
}

func (p *deaProblem) phase2(o int, theta float64) (lambda, sx, sy []float64, err error) {
	rows, cols := p.build(o, false, theta)
	c := p.c[:cols]
	clear(c)
	n, m := p.n, p.m
	// Maximise the slack sum in data units: s = s'·mean.
	for i := range m {
		c[n+i] = -p.xm[i]
	}
	for k := range p.s {
		c[n+m+k] = -p.ym[k]
	}
	sol, err := p.solve(rows, cols)
	if err != nil {
		return nil, nil, nil, err
	}
	lambda = make([]float64, n)
	copy(lambda, sol[:n])
	sx = make([]float64, m)
	for i := range m {
		sx[i] = sol[n+i] * p.xm[i]
	}
	sy = make([]float64, p.s)
	for k := range p.s {
		sy[k] = sol[n+m+k] * p.ym[k]
	}
	return lambda, sx, sy, nil
}

// ScaleEfficiency returns SE_o = E_CRS,o / E_VRS,o from the efficiencies
// (θ or 1/φ, not φ) of a CRS and a VRS run with the same orientation;
// SE = 1 means the DMU operates at its most productive scale. NaN where
// the VRS efficiency is zero or either value is NaN. Panics if the lengths
// differ. Source: Banker, Charnes & Cooper (1984); docs/methods.md#dea.
func ScaleEfficiency(crs, vrs []float64) []float64 {
	if len(crs) != len(vrs) {
		panic(errLength)
	}
	se := make([]float64, len(crs))
	for i := range crs {
		if vrs[i] == 0 {
			se[i] = math.NaN()
			continue
		}
		se[i] = crs[i] / vrs[i]
	}
	return se
}
