// Package reftest reads the reference values of the tests of analysis and
// cli (testdata/reference: each value comes from a script that names its
// command and package versions, none from agglo) and compares numbers
// with them.
package reftest

import (
	"encoding/json"
	"math"
	"os"
	"testing"
)

// Dir is testdata/reference relative to a package two levels below the
// repository's root (internal/analysis, internal/cli).
const Dir = "../../testdata/reference/"

// JSON decodes the JSON object in the file at path.
func JSON(t testing.TB, path string) map[string]any {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return m
}

// Near reports an error unless |got − want| ≤ tol·max(1, |want|); a NaN
// matches only a NaN.
func Near(t testing.TB, what string, got, want, tol float64) {
	t.Helper()
	if math.IsNaN(want) != math.IsNaN(got) || (!math.IsNaN(want) && math.Abs(got-want) > tol*math.Max(1, math.Abs(want))) {
		t.Errorf("%s = %.15g, want %.15g", what, got, want)
	}
}
