package replicate

import (
	"errors"
	"math"

	"gonum.org/v1/gonum/mat"
)

// nnls solves min ||A x − b||₂ subject to x ≥ 0 by the active-set method of
// Lawson and Hanson (Solving Least Squares Problems, 1974, ch. 23), the
// algorithm behind scipy.optimize.nnls and R's nnls package.
func nnls(a *mat.Dense, b []float64) ([]float64, error) {
	m, n := a.Dims()
	if len(b) != m {
		return nil, errors.New("nnls: dimension mismatch")
	}
	x := make([]float64, n)
	passive := make([]bool, n)
	bv := mat.NewVecDense(m, b)
	grad := func() []float64 {
		// w = Aᵀ(b − A x)
		var ax, r, w mat.VecDense
		ax.MulVec(a, mat.NewVecDense(n, x))
		r.SubVec(bv, &ax)
		w.MulVec(a.T(), &r)
		return w.RawVector().Data
	}
	solvePassive := func() ([]float64, error) {
		var idx []int
		for j := range passive {
			if passive[j] {
				idx = append(idx, j)
			}
		}
		sub := mat.NewDense(m, len(idx), nil)
		for k, j := range idx {
			for i := 0; i < m; i++ {
				sub.Set(i, k, a.At(i, j))
			}
		}
		var z mat.VecDense
		if err := z.SolveVec(sub, bv); err != nil {
			return nil, err
		}
		out := make([]float64, n)
		for k, j := range idx {
			out[j] = z.AtVec(k)
		}
		return out, nil
	}
	const tol = 1e-12
	for iter := 0; iter < 30*n; iter++ {
		w := grad()
		best, bj := tol, -1
		for j := range w {
			if !passive[j] && w[j] > best {
				best, bj = w[j], j
			}
		}
		if bj < 0 {
			return x, nil
		}
		passive[bj] = true
		for inner := 0; inner < 30*n; inner++ {
			z, err := solvePassive()
			if err != nil {
				return nil, err
			}
			feasible := true
			for j := range z {
				if passive[j] && z[j] <= 0 {
					feasible = false
				}
			}
			if feasible {
				x = z
				break
			}
			alpha := math.Inf(1)
			for j := range z {
				if passive[j] && z[j] <= 0 {
					alpha = math.Min(alpha, x[j]/(x[j]-z[j]))
				}
			}
			for j := range x {
				x[j] += alpha * (z[j] - x[j])
				if passive[j] && math.Abs(x[j]) < tol {
					passive[j] = false
					x[j] = 0
				}
			}
		}
	}
	return nil, errors.New("nnls: no convergence")
}
