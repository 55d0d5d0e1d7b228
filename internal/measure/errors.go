package measure

import (
	"fmt"
	"math"
	"strconv"
)

// Panic messages for programmer misuse.
const (
	errLength    = "measure: slice length mismatch"
	errRagged    = "measure: ragged or non-square matrix"
	errNegativeK = "measure: k must not be negative"
)

// InputError reports a unit whose value is not acceptable to a method.
// Unit is the zero-based index of the unit in the input (−1 when the error
// concerns the whole input or a whole column); Label is its name when the
// caller supplied labels (it may be empty). Column is the index of the
// variable for matrix inputs and −1 otherwise. Callers that know the units'
// names may set Label before reporting the error.
type InputError struct {
	Method string
	Unit   int
	Label  string
	Column int
	Value  float64
	Reason string
}

// Error returns a message such as
//
//	measure: Gini: unit 3 ("Hefei"): value -2: negative values are not allowed
func (e *InputError) Error() string {
	msg := "measure: " + e.Method
	if e.Unit >= 0 {
		msg += ": unit " + strconv.Itoa(e.Unit)
		if e.Label != "" {
			msg += fmt.Sprintf(" (%q)", e.Label)
		}
	}
	if e.Column >= 0 {
		msg += ": column " + strconv.Itoa(e.Column)
	}
	if e.Unit >= 0 || e.Column >= 0 {
		msg += fmt.Sprintf(": value %v", e.Value)
	}
	return msg + ": " + e.Reason
}

// Rule is a set of conditions Check applies to every value.
type Rule uint

// Rules for Check; combine them with |.
const (
	// AllowMissing accepts NaN (the methods drop missing values).
	AllowMissing Rule = 1 << iota
	// NonNegative rejects values below zero.
	NonNegative
	// Positive rejects values that are zero or below.
	Positive
	// UnitInterval rejects values outside [0, 1].
	UnitInterval
)

// Check validates x for method and returns an *InputError for the first
// offending value, or nil. Infinite values are always rejected, NaN is
// rejected unless rule contains AllowMissing. labels, if not nil, must have
// the length of x and is used to name the unit in the error.
//
// Use it before calling a pure method on user data: for example
// Check("Gini", names, y, NonNegative|AllowMissing) and
// Check("Gini weights", names, pop, Positive|AllowMissing).
func Check(method string, labels []string, x []float64, rule Rule) error {
	if labels != nil && len(labels) != len(x) {
		panic(errLength)
	}
	for i, v := range x {
		if reason := violates(v, rule); reason != "" {
			e := &InputError{Method: method, Unit: i, Column: -1, Value: v, Reason: reason}
			if labels != nil {
				e.Label = labels[i]
			}
			return e
		}
	}
	return nil
}

// CheckMatrix is Check for a matrix whose rows are units and whose columns
// are variables; the error names the row (unit) and the column.
func CheckMatrix(method string, labels []string, x [][]float64, rule Rule) error {
	if labels != nil && len(labels) != len(x) {
		panic(errLength)
	}
	for i, row := range x {
		for j, v := range row {
			if reason := violates(v, rule); reason != "" {
				e := &InputError{Method: method, Unit: i, Column: j, Value: v, Reason: reason}
				if labels != nil {
					e.Label = labels[i]
				}
				return e
			}
		}
	}
	return nil
}

// The reasons Check gives in InputError.Reason; callers that speak to
// users translate them (analysis.ReasonText).
const (
	ReasonMissing      = "missing values are not allowed"
	ReasonInfinite     = "infinite values are not allowed"
	ReasonNotPositive  = "values must be positive"
	ReasonNegative     = "negative values are not allowed"
	ReasonUnitInterval = "values must lie in [0, 1]"
)

func violates(v float64, rule Rule) string {
	switch {
	case math.IsNaN(v):
		if rule&AllowMissing == 0 {
			return ReasonMissing
		}
		return ""
	case math.IsInf(v, 0):
		return ReasonInfinite
	case rule&Positive != 0 && v <= 0:
		return ReasonNotPositive
	case rule&NonNegative != 0 && v < 0:
		return ReasonNegative
	case rule&UnitInterval != 0 && (v < 0 || v > 1):
		return ReasonUnitInterval
	}
	return ""
}
