package replicate

import (
	"testing"

	"gonum.org/v1/gonum/mat"
)

func nnlsRows(t *testing.T, rows [][]float64, b []float64) []float64 {
	t.Helper()
	a := mat.NewDense(len(rows), len(rows[0]), nil)
	for i, r := range rows {
		a.SetRow(i, r)
	}
	w, err := nnls(a, b)
	if err != nil {
		t.Fatal(err)
	}
	return w
}
