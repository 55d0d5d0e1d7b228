package measure

import (
	"errors"
	"fmt"
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/optimize/convex/lp"
)

func column(v []float64) [][]float64 {
	m := make([][]float64, len(v))
	for i, x := range v {
		m[i] = []float64{x}
	}
	return m
}

func ones(n int) [][]float64 {
	m := make([][]float64, n)
	for i := range m {
		m[i] = []float64{1}
	}
	return m
}

func checkSlice(t *testing.T, name string, got, want []float64, tol float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: len %d, want %d", name, len(got), len(want))
	}
	for i := range want {
		if !near(got[i], want[i], tol) {
			t.Errorf("%s[%d] = %.12g, want %.12g", name, i, got[i], want[i])
		}
	}
}

func mustDEA(t *testing.T, x, y [][]float64, opt DEAOptions) DEAResult {
	t.Helper()
	xc, yc := cloneMatrix(x), cloneMatrix(y)
	r, err := DEA(x, y, opt)
	if err != nil {
		t.Fatal(err)
	}
	if !equalMatrix(x, xc) || !equalMatrix(y, yc) {
		t.Fatal("DEA mutated its input")
	}
	return r
}

// TestDEASmall checks small published or hand-checkable examples
// (docs/methods.md#dea). Values printed to 6 decimals are compared at 5e-7.
func TestDEASmall(t *testing.T) {
	crsIn := DEAOptions{Orientation: InputOriented, Returns: CRS}
	vrsIn := DEAOptions{Orientation: InputOriented, Returns: VRS}
	vrsOut := DEAOptions{Orientation: OutputOriented, Returns: VRS}
	crsOut := DEAOptions{Orientation: OutputOriented, Returns: CRS}

	// Benchmarking ?dea example: data from cran/Benchmarking@f9e7d01
	// man/dea.Rd; efficiencies from an independent LP solve (SciPy HiGHS),
	// agreeing with R lpSolve and gonum lp.Simplex.
	bx := column([]float64{100, 200, 300, 500, 100, 200, 600})
	by := column([]float64{75, 100, 300, 400, 25, 50, 400})
	crs := mustDEA(t, bx, by, crsIn)
	vrs := mustDEA(t, bx, by, vrsIn)
	checkSlice(t, "Benchmarking CRS", crs.Theta, []float64{0.75, 0.5, 1, 0.8, 0.25, 0.25, 0.666667}, 5e-7)
	checkSlice(t, "Benchmarking VRS", vrs.Theta, []float64{1, 0.611111, 1, 1, 1, 0.5, 0.833333}, 5e-7)
	checkSlice(t, "Benchmarking SE", ScaleEfficiency(crs.Efficiency, vrs.Efficiency),
		[]float64{0.75, 0.818182, 1, 0.8, 0.25, 0.5, 0.8}, 5e-7)

	// Two-input example of Cooper, Seiford & Tone's textbook (one output of
	// 1 each), solved independently (SciPy HiGHS, R lpSolve, gonum): θ_A = 6/7, θ_B = 12/19; λ_A: D 5/7, E 2/7;
	// λ_B: C 2/19, D 17/19; F has θ = 1 and input slack s₁⁻ = 2.
	sx := [][]float64{{4, 3}, {7, 3}, {8, 1}, {4, 2}, {2, 4}, {10, 1}}
	for _, opt := range []DEAOptions{crsIn, vrsIn} {
		r := mustDEA(t, sx, ones(6), opt)
		checkSlice(t, "store θ", r.Theta, []float64{6. / 7, 12. / 19, 1, 1, 1, 1}, 1e-9)
		if opt.Returns == CRS {
			checkSlice(t, "λ_A", r.Lambda[0], []float64{0, 0, 0, 5. / 7, 2. / 7, 0}, 1e-9)
			checkSlice(t, "λ_B", r.Lambda[1], []float64{0, 0, 2. / 19, 17. / 19, 0, 0}, 1e-9)
		}
		checkSlice(t, "slack F", r.InputSlacks[5], []float64{2, 0}, 1e-9)
		if r.Strong[5] || !r.Strong[2] || r.Strong[0] {
			t.Errorf("Strong = %v; F is only weakly efficient", r.Strong)
		}
	}

	// Bogetoft & Otto (2011) §4.6.1 data (as in dealib example.py);
	// efficiencies from an independent LP solve (SciPy HiGHS), agreeing with
	// R lpSolve.
	ox := column([]float64{20, 40, 40, 60, 70, 50})
	oy := column([]float64{20, 30, 50, 40, 60, 20})
	checkSlice(t, "B&O CRS", mustDEA(t, ox, oy, crsIn).Theta, []float64{0.8, 0.6, 1, 0.533333, 0.685714, 0.32}, 5e-7)
	checkSlice(t, "B&O VRS", mustDEA(t, ox, oy, vrsIn).Theta, []float64{1, 0.666667, 1, 0.555556, 1, 0.4}, 5e-7)
	out := mustDEA(t, ox, oy, vrsOut)
	checkSlice(t, "B&O VRS out φ", out.Theta, []float64{1, 1.666667, 1, 1.416667, 1, 2.666667}, 5e-7)
	for i, phi := range out.Theta {
		checkNear(t, "1/φ", out.Efficiency[i], 1/phi, 1e-15)
	}
	// For CRS, 1/φ* = θ* (Charnes, Cooper & Rhodes 1978).
	co := mustDEA(t, ox, oy, crsOut)
	checkSlice(t, "CRS 1/φ = θ", co.Efficiency, mustDEA(t, ox, oy, crsIn).Theta, 1e-9)
}

// TestDEADealib compares every efficiency and slack with the dealib
// reference sets (ArtyomViryutin/dealib@09f526b
// dealib/tests/reference/dea/{simple,charnes}.json, copied to
// testdata/reference/dea/*/reference_dea.json; see testdata/SOURCE.md). CRS and VRS are
// checked in both orientations; DRS and IRS are not implemented.
func TestDEADealib(t *testing.T) {
	for _, set := range []string{"dealib_simple", "dealib_charnes"} {
		x, y, ref := readDEAReference(t, set)
		m := len(x[0])
		for _, o := range []struct {
			name string
			or   Orientation
		}{{"input", InputOriented}, {"output", OutputOriented}} {
			for _, rts := range []struct {
				name string
				r    Returns
			}{{"crs", CRS}, {"vrs", VRS}} {
				want := ref[o.name][rts.name]
				res := mustDEA(t, x, y, DEAOptions{Orientation: o.or, Returns: rts.r})
				name := fmt.Sprintf("%s %s %s", set, o.name, rts.name)
				if len(want.Eff) != len(x) {
					t.Fatalf("%s: reference has %d DMUs", name, len(want.Eff))
				}
				slackMiss := 0
				for j := range x {
					if !near(res.Theta[j], want.Eff[j], 1e-9) {
						t.Errorf("%s DMU %d: θ = %.15g, want %.15g", name, j, res.Theta[j], want.Eff[j])
					}
					got := append(append([]float64{}, res.InputSlacks[j]...), res.OutputSlacks[j]...)
					for k := range got {
						if math.Abs(got[k]-want.Slack[j][k]) > 1e-6*math.Max(1, math.Abs(want.Slack[j][k])) {
							slackMiss++
							t.Logf("%s DMU %d slack %d (m=%d) = %.10g, want %.10g", name, j, k, m, got[k], want.Slack[j][k])
						}
					}
				}
				if slackMiss > 0 {
					t.Errorf("%s: %d slack values differ", name, slackMiss)
				}
			}
		}
	}
}

// gonumDEA solves the input- or output-oriented envelopment LP for DMU o
// with gonum's lp.Simplex in the standard form of docs/methods.md#dea-solver (columns
// scaled by their means), for cross-checking the dense solver.
func gonumDEA(x, y [][]float64, o int, opt DEAOptions) (float64, error) {
	n, m, s := len(x), len(x[0]), len(y[0])
	xs, ys := cloneMatrix(x), cloneMatrix(y)
	for i := range m {
		var mean float64
		for j := range n {
			mean += x[j][i] / float64(n)
		}
		for j := range n {
			xs[j][i] /= mean
		}
	}
	for r := range s {
		var mean float64
		for j := range n {
			mean += y[j][r] / float64(n)
		}
		for j := range n {
			ys[j][r] /= mean
		}
	}
	rows := m + s
	if opt.Returns == VRS {
		rows++
	}
	cols := 1 + n + m + s
	a := mat.NewDense(rows, cols, nil)
	b := make([]float64, rows)
	c := make([]float64, cols)
	in := opt.Orientation == InputOriented
	if in {
		c[0] = 1
	} else {
		c[0] = -1
	}
	for i := range m {
		for j := range n {
			a.Set(i, 1+j, xs[j][i])
		}
		a.Set(i, 1+n+i, 1)
		if in {
			a.Set(i, 0, -xs[o][i])
		} else {
			b[i] = xs[o][i]
		}
	}
	for r := range s {
		for j := range n {
			a.Set(m+r, 1+j, ys[j][r])
		}
		a.Set(m+r, 1+n+m+r, -1)
		if in {
			b[m+r] = ys[o][r]
		} else {
			a.Set(m+r, 0, -ys[o][r])
		}
	}
	if opt.Returns == VRS {
		for j := range n {
			a.Set(m+s, 1+j, 1)
		}
		b[m+s] = 1
	}
	f, _, err := lp.Simplex(c, a, b, 1e-10, nil)
	if !in {
		f = -f
	}
	return f, err
}

// TestDEAGonumCrossCheck solves every input-oriented Charnes LP with
// gonum's lp.Simplex (see docs/methods.md#dea-solver) and
// compares with DEA. The output-oriented LPs are not cross-checked: gonum
// v0.17.0 did not terminate on the output-oriented VRS LP of DMU 69 even
// with scaled columns (its simplex has no iteration limit), which is why
// DEA uses its own guarded solver.
func TestDEAGonumCrossCheck(t *testing.T) {
	if testing.Short() {
		t.Skip("280 gonum LPs")
	}
	x, y, _ := readDEAReference(t, "dealib_charnes")
	for _, opt := range []DEAOptions{
		{Orientation: InputOriented, Returns: CRS}, {Orientation: InputOriented, Returns: VRS},
	} {
		res := mustDEA(t, x, y, DEAOptions{Orientation: opt.Orientation, Returns: opt.Returns, SkipSlacks: true})
		for o := range x {
			f, err := gonumDEA(x, y, o, opt)
			if err != nil {
				t.Errorf("%+v DMU %d: gonum: %v", opt, o, err)
				continue
			}
			if !near(res.Theta[o], f, 1e-9) {
				t.Errorf("%+v DMU %d: dense %.15g, gonum %.15g", opt, o, res.Theta[o], f)
			}
		}
	}
}

func TestDEAErrors(t *testing.T) {
	var ie *InputError
	for _, tc := range []struct {
		name string
		x, y [][]float64
	}{
		{"empty", nil, nil},
		{"negative", [][]float64{{1}, {-1}}, [][]float64{{1}, {1}}},
		{"NaN", [][]float64{{1}, {math.NaN()}}, [][]float64{{1}, {1}}},
		{"zero column", [][]float64{{1, 0}, {2, 0}}, [][]float64{{1}, {1}}},
		{"zero inputs unit", [][]float64{{1, 1}, {0, 0}}, [][]float64{{1}, {1}}},
		{"zero outputs unit", [][]float64{{1}, {1}}, [][]float64{{1}, {0}}},
		{"spread", [][]float64{{1e7}, {1}}, [][]float64{{1}, {1}}},
	} {
		_, err := DEA(tc.x, tc.y, DEAOptions{})
		if !errors.As(err, &ie) {
			t.Errorf("%s: err = %v, want *InputError", tc.name, err)
			continue
		}
		if ie.Method == "" || ie.Error() == "" {
			t.Errorf("%s: incomplete error %+v", tc.name, ie)
		}
	}
	_, err := DEA([][]float64{{1}, {-3}}, [][]float64{{1}, {1}}, DEAOptions{})
	if want := "measure: DEA inputs: unit 1: column 0: value -3: negative values are not allowed"; err == nil || err.Error() != want {
		t.Errorf("error text %q, want %q", err, want)
	}
	// A single DMU is efficient.
	r := mustDEA(t, [][]float64{{2}}, [][]float64{{3}}, DEAOptions{Returns: VRS})
	checkSlice(t, "single", r.Theta, []float64{1}, 1e-12)
	// Duplicated DMUs are fine (docs/methods.md#dea); hand: θ = 1, 1, 2/4.
	r = mustDEA(t, [][]float64{{2}, {2}, {4}}, [][]float64{{3}, {3}, {3}}, DEAOptions{})
	checkSlice(t, "duplicates", r.Theta, []float64{1, 1, 0.5}, 1e-12)
}

// TestDEAEnvelopmentIdentity checks that lambdas and slacks reproduce the
// reference point of every Charnes DMU in all four modes:
// Σλx + s⁻ = θx_o, Σλy − s⁺ = y_o (input) or Σλx + s⁻ = x_o,
// Σλy − s⁺ = φy_o (output), Σλ = 1 for VRS, and all values ≥ 0.
func TestDEAEnvelopmentIdentity(t *testing.T) {
	x, y, _ := readDEAReference(t, "dealib_charnes")
	for _, opt := range []DEAOptions{
		{Orientation: InputOriented, Returns: CRS}, {Orientation: InputOriented, Returns: VRS},
		{Orientation: OutputOriented, Returns: CRS}, {Orientation: OutputOriented, Returns: VRS},
	} {
		r := mustDEA(t, x, y, opt)
		for o := range x {
			fx, fy := r.Theta[o], 1.0
			if opt.Orientation == OutputOriented {
				fx, fy = 1, r.Theta[o]
			}
			var sum float64
			for j, l := range r.Lambda[o] {
				if l < -1e-12 {
					t.Fatalf("%+v DMU %d: λ_%d = %v", opt, o, j, l)
				}
				sum += l
			}
			if opt.Returns == VRS && math.Abs(sum-1) > 1e-9 {
				t.Errorf("%+v DMU %d: Σλ = %v", opt, o, sum)
			}
			for i := range x[o] {
				var lx float64
				for j, l := range r.Lambda[o] {
					lx += l * x[j][i]
				}
				if got, want := lx+r.InputSlacks[o][i], fx*x[o][i]; math.Abs(got-want) > 1e-8*math.Max(1, want) {
					t.Errorf("%+v DMU %d input %d: %v, want %v", opt, o, i, got, want)
				}
			}
			for k := range y[o] {
				var ly float64
				for j, l := range r.Lambda[o] {
					ly += l * y[j][k]
				}
				if got, want := ly-r.OutputSlacks[o][k], fy*y[o][k]; math.Abs(got-want) > 1e-8*math.Max(1, want) {
					t.Errorf("%+v DMU %d output %d: %v, want %v", opt, o, k, got, want)
				}
			}
		}
	}
}
