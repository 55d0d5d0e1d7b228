package measure

import "math"

// checkRect panics unless every row of e has the length of the first.
func checkRect(e [][]float64) int {
	if len(e) == 0 {
		return 0
	}
	k := len(e[0])
	for _, row := range e {
		if len(row) != k {
			panic(errRagged)
		}
	}
	return k
}

// shares returns v/Σv, or nil when the total is zero or v holds a NaN,
// negative or infinite value.
func shares(v []float64) []float64 {
	var t float64
	for _, x := range v {
		if math.IsNaN(x) || x < 0 || math.IsInf(x, 0) {
			return nil
		}
		t += x
	}
	if t == 0 {
		return nil
	}
	s := make([]float64, len(v))
	for i, x := range v {
		s[i] = x / t
	}
	return s
}

// rest returns the column sums of e without row i.
func rest(e [][]float64, i int) []float64 {
	k := len(e[i])
	r := make([]float64, k)
	for j, row := range e {
		if j == i {
			continue
		}
		for c := range k {
			r[c] += row[c]
		}
	}
	return r
}

// Cosine returns the UNIDO structural similarity coefficient of two sector
// vectors (raw values or shares; the cosine is scale-invariant):
//
//	S_ij = Σ_k x_ik x_jk / sqrt(Σ_k x_ik² · Σ_k x_jk²) ∈ [0, 1]
//
// 1 means identical structure (产业同构), 0 disjoint sectors. Returns NaN when
// either vector is all zero or holds a NaN, negative or infinite value.
// Panics if the lengths differ. Source: UNIDO (1979);
// docs/methods.md#similarity.
func Cosine(a, b []float64) float64 {
	if len(a) != len(b) {
		panic(errLength)
	}
	var ab, aa, bb float64
	for k := range a {
		x, y := a[k], b[k]
		if math.IsNaN(x) || math.IsNaN(y) || x < 0 || y < 0 || math.IsInf(x, 0) || math.IsInf(y, 0) {
			return math.NaN()
		}
		ab += x * y
		aa += x * x
		bb += y * y
	}
	if aa == 0 || bb == 0 {
		return math.NaN()
	}
	return ab / math.Sqrt(aa*bb)
}

// Similarity returns the matrix of UNIDO similarity coefficients S_ij (see
// Cosine) between the rows of e (units × sectors, e.g. value added or
// employment, sectors aligned). S_ii = 1 except for invalid rows, whose row
// and column are NaN. Panics on a ragged matrix. Source:
// docs/methods.md#similarity.
func Similarity(e [][]float64) [][]float64 {
	checkRect(e)
	n := len(e)
	s := make([][]float64, n)
	for i := range s {
		s[i] = make([]float64, n)
	}
	for i := range n {
		for j := i; j < n; j++ {
			v := Cosine(e[i], e[j])
			if i == j && !math.IsNaN(v) {
				v = 1
			}
			s[i][j], s[j][i] = v, v
		}
	}
	return s
}

// MeanOffDiagonal returns the mean of the finite off-diagonal entries of a
// symmetric pairwise matrix m over the n(n−1)/2 pairs i < j, for example the
// agglomeration's homogeneity (mean UNIDO similarity) or mean Krugman
// index. NaN when there is no finite pair. Source:
// docs/methods.md#similarity.
func MeanOffDiagonal(m [][]float64) float64 {
	var s float64
	n := 0
	for i := range m {
		if len(m[i]) != len(m) {
			panic(errRagged)
		}
		for j := i + 1; j < len(m); j++ {
			if v := m[i][j]; !math.IsNaN(v) && !math.IsInf(v, 0) {
				s += v
				n++
			}
		}
	}
	if n == 0 {
		return math.NaN()
	}
	return s / float64(n)
}

// SimilarityToRest returns, for each unit i, the UNIDO coefficient between
// its sector vector and the summed sector vector of all other units:
//
//	S_i = cos(e_i, Σ_{j≠i} e_j)
//
// NaN for invalid rows or an all-zero rest. Source:
// docs/methods.md#similarity.
func SimilarityToRest(e [][]float64) []float64 {
	checkRect(e)
	out := make([]float64, len(e))
	for i := range e {
		out[i] = Cosine(e[i], rest(e, i))
	}
	return out
}

// Krugman returns the Krugman dissimilarity of two sector vectors, computed
// on their shares:
//
//	K_ij = Σ_k |x_ik − x_jk|,  x_ik = e_ik / Σ_k e_ik,  K ∈ [0, 2]
//
// 0 means identical structure, 2 completely different. NaN when either
// vector is all zero or holds a NaN, negative or infinite value. Panics if
// the lengths differ. Source: Krugman (1991); docs/methods.md#krugman
// (REAT::krugman.spec).
func Krugman(a, b []float64) float64 {
	if len(a) != len(b) {
		panic(errLength)
	}
	sa, sb := shares(a), shares(b)
	if sa == nil || sb == nil {
		return math.NaN()
	}
	var k float64
	for i := range sa {
		k += math.Abs(sa[i] - sb[i])
	}
	return k
}

// KrugmanMatrix returns K_ij (see Krugman) between all rows of e; the
// diagonal is 0 for valid rows and invalid rows are NaN. Source:
// docs/methods.md#krugman.
func KrugmanMatrix(e [][]float64) [][]float64 {
	checkRect(e)
	n := len(e)
	sh := make([][]float64, n)
	for i := range e {
		sh[i] = shares(e[i])
	}
	m := make([][]float64, n)
	for i := range m {
		m[i] = make([]float64, n)
	}
	for i := range n {
		for j := i; j < n; j++ {
			v := math.NaN()
			if sh[i] != nil && sh[j] != nil {
				v = 0
				for k := range sh[i] {
					v += math.Abs(sh[i][k] - sh[j][k])
				}
			}
			m[i][j], m[j][i] = v, v
		}
	}
	return m
}

// KrugmanToRest returns, for each unit i, the Krugman index against the
// sector shares of the rest of the group (the other units' summed values):
//
//	K_i = Σ_k |x_ik − x̄_k|,  x̄_k = Σ_{j≠i} e_jk / Σ_{j≠i} Σ_k e_jk
//
// Source: docs/methods.md#krugman (city vs rest of the agglomeration;
// REAT krugman.spec2 instead averages the comparison regions' shares).
func KrugmanToRest(e [][]float64) []float64 {
	checkRect(e)
	out := make([]float64, len(e))
	for i := range e {
		out[i] = Krugman(e[i], rest(e, i))
	}
	return out
}

// LocationQuotient returns the location quotient of sector k in unit i:
//
//	LQ = (e_ik / e_i) / (E_k / E)
//
// with e_ik the unit's sector value, e_i its total, E_k the reference's
// sector value and E the reference total. NaN when a denominator is zero or
// an operand is NaN. Source: Isard (1960); docs/methods.md#location-quotient
// (REAT::locq(e_ij, e_j, e_i, e)).
func LocationQuotient(eik, ei, ek, e float64) float64 {
	if ei == 0 || ek == 0 || e == 0 {
		return math.NaN()
	}
	return (eik / ei) / (ek / e)
}

// LocationQuotients returns the location-quotient matrix of e (units ×
// sectors). The reference is ref (sector totals of, say, the nation) or,
// when ref is nil, the column totals of e (the agglomeration):
//
//	LQ_ik = (e_ik / Σ_k e_ik) / (E_k / Σ_k E_k)
//
// LQ > 1 means the unit is specialised in the sector. A unit with an
// all-zero row, a sector with E_k = 0, or NaN data gives NaN entries;
// negative values are not checked here (validate with CheckMatrix and
// NonNegative). An empty e gives an empty result.
// Panics on a ragged matrix or a ref of the wrong length. Source:
// docs/methods.md#location-quotient.
func LocationQuotients(e [][]float64, ref []float64) [][]float64 {
	k := checkRect(e)
	if ref == nil {
		ref = make([]float64, k)
		for _, row := range e {
			for c, v := range row {
				ref[c] += v
			}
		}
	} else if len(e) > 0 && len(ref) != k {
		panic(errLength)
	}
	var total float64
	for _, v := range ref {
		total += v
	}
	out := make([][]float64, len(e))
	for i, row := range e {
		var ei float64
		for _, v := range row {
			ei += v
		}
		out[i] = make([]float64, k)
		for c, v := range row {
			out[i][c] = LocationQuotient(v, ei, ref[c], total)
		}
	}
	return out
}
