package measure

import (
	"errors"
	"math"
	"slices"
	"testing"
)

// TestObstacleHand: two units, three indicators, weights (0.5, 0.3, 0.2),
// by hand.
// Unit 0: x = (0.2, 0.5, 1): I = (0.8, 0.5, 0), w·I = (0.40, 0.15, 0),
// Σ = 0.55 → O = (72.727…, 27.272…, 0)%, rank (0, 1, 2).
// Unit 1: x = (1, 0, 0.5): I = (0, 1, 0.5), w·I = (0, 0.3, 0.1), Σ = 0.4
// → O = (0, 75, 25)%, rank (1, 2, 0).
func TestObstacleHand(t *testing.T) {
	x := [][]float64{{0.2, 0.5, 1}, {1, 0, 0.5}}
	w := []float64{0.5, 0.3, 0.2}
	xc := cloneMatrix(x)
	r, err := Obstacle(x, w)
	if err != nil {
		t.Fatal(err)
	}
	if !equalMatrix(x, xc) {
		t.Error("input mutated")
	}
	checkAbs(t, "unit 0", r.Degree[0], []float64{40.0 / 0.55, 15.0 / 0.55, 0}, 1e-12)
	checkAbs(t, "unit 1", r.Degree[1], []float64{0, 75, 25}, 1e-12)
	checkAbs(t, "deviation", r.Deviation[0], []float64{0.8, 0.5, 0}, 1e-15)
	if !slices.Equal(r.Rank[0], []int{0, 1, 2}) || !slices.Equal(r.Rank[1], []int{1, 2, 0}) {
		t.Errorf("ranks %v", r.Rank)
	}
	// Scale invariance in w.
	r2, _ := Obstacle(x, []float64{5, 3, 2})
	checkAbs(t, "scaled weights", r2.Degree[0], r.Degree[0], 1e-12)
	// Dimensions: indicators 0 and 2 in dimension 7, 1 in dimension 3.
	labels, d := r.ByDimension([]int{7, 3, 7})
	if !slices.Equal(labels, []int{3, 7}) {
		t.Fatalf("labels %v", labels)
	}
	checkAbs(t, "by dimension", d[1], []float64{75, 25}, 1e-12)
	// A unit at the ideal everywhere has NaN degrees.
	r3, err := Obstacle([][]float64{{1, 1}}, []float64{1, 1})
	if err != nil || !math.IsNaN(r3.Degree[0][0]) || !slices.Equal(r3.Rank[0], []int{0, 1}) {
		t.Errorf("ideal unit: %+v %v", r3, err)
	}
	var ie *InputError
	if _, err := Obstacle([][]float64{{0.5, 1.2}}, []float64{1, 1}); !errors.As(err, &ie) || ie.Unit != 0 || ie.Column != 1 {
		t.Errorf("value out of [0, 1]: %v", err)
	}
	if _, err := Obstacle([][]float64{{0.5, math.NaN()}}, []float64{1, 1}); !errors.As(err, &ie) {
		t.Errorf("NaN value: %v", err)
	}
	if _, err := Obstacle([][]float64{{0.5, 0.5}}, []float64{1, -1}); !errors.As(err, &ie) || ie.Column != 1 {
		t.Errorf("negative weight: %v", err)
	}
	if _, err := Obstacle([][]float64{{0.5, 0.5}}, []float64{0, 0}); !errors.As(err, &ie) {
		t.Errorf("zero weights: %v", err)
	}
	// Degrees of every unit sum to 100.
	for i := range r.Degree {
		var s float64
		for _, v := range r.Degree[i] {
			s += v
		}
		checkNear(t, "Σ O_ij", s, 100, 1e-12)
	}
}
