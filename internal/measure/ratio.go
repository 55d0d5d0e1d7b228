package measure

import "math"

// Ratio returns the element-wise ratio
//
//	r_i = num_i / den_i
//
// used for the paper's own ratios: population density (population / area),
// GDP per capita (GDP / population), R&D personnel per project and patents
// per unit of R&D expenditure. A zero denominator, or a NaN or infinite
// operand, gives NaN for that element (never ±Inf). Ratio panics if the
// lengths differ. Source: docs/methods.md#ratios (y_i = Y_i / P_i).
func Ratio(num, den []float64) []float64 {
	return ScaledRatio(num, den, 1)
}

// ScaledRatio returns scale·num_i/den_i element-wise, for unit changes such
// as patents per 10,000 people (scale = 1e4 when den is in persons). Zero,
// NaN and infinite operands behave as in Ratio.
func ScaledRatio(num, den []float64, scale float64) []float64 {
	if len(num) != len(den) {
		panic(errLength)
	}
	r := make([]float64, len(num))
	for i, n := range num {
		d := den[i]
		if d == 0 || math.IsNaN(n) || math.IsNaN(d) || math.IsInf(n, 0) || math.IsInf(d, 0) {
			r[i] = math.NaN()
			continue
		}
		r[i] = scale * n / d
	}
	return r
}
