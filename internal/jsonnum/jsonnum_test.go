package jsonnum

import (
	"encoding/json"
	"math"
	"testing"
)

func TestFloatJSON(t *testing.T) {
	// NaN and the infinities have no JSON form (RFC 8259 §6): null.
	for _, c := range []struct {
		in   float64
		want string
	}{{1.5, "1.5"}, {0, "0"}, {-2e-300, "-2e-300"}, {math.NaN(), "null"}, {math.Inf(1), "null"}, {math.Inf(-1), "null"}} {
		b, err := json.Marshal(Float(c.in))
		if err != nil || string(b) != c.want {
			t.Errorf("%v: %s %v, want %s", c.in, b, err, c.want)
		}
	}
	var xs []Float
	if err := json.Unmarshal([]byte(`[1.25, null, -3]`), &xs); err != nil {
		t.Fatal(err)
	}
	if len(xs) != 3 || xs[0] != 1.25 || !math.IsNaN(float64(xs[1])) || xs[2] != -3 {
		t.Errorf("decoded %v", xs)
	}
	var bad Float
	if err := json.Unmarshal([]byte(`"x"`), &bad); err == nil {
		t.Error("a string decoded as a number")
	}
	if p := Ptr(2); p == nil || *p != 2 {
		t.Error("Ptr")
	}
}
