// Package jsonnum holds the one number type that agglo's JSON results use
// for values that may be undefined: a float64 written as null when it is
// NaN or infinite (JSON has neither).
package jsonnum

import (
	"bytes"
	"encoding/json"
	"math"
	"strconv"
)

// Float is a float64 that encodes NaN and ±Inf as JSON null and decodes
// null as NaN.
type Float float64

// Ptr returns a pointer to v as a Float (for optional fields).
func Ptr(v float64) *Float { f := Float(v); return &f }

// MarshalJSON implements json.Marshaler.
func (f Float) MarshalJSON() ([]byte, error) {
	v := float64(f)
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return []byte("null"), nil
	}
	return strconv.AppendFloat(nil, v, 'g', -1, 64), nil
}

// UnmarshalJSON implements json.Unmarshaler.
func (f *Float) UnmarshalJSON(b []byte) error {
	if bytes.Equal(bytes.TrimSpace(b), []byte("null")) {
		*f = Float(math.NaN())
		return nil
	}
	var v float64
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*f = Float(v)
	return nil
}

// Slice converts values to Floats.
func Slice(x []float64) []Float {
	out := make([]Float, len(x))
	for i, v := range x {
		out[i] = Float(v)
	}
	return out
}
