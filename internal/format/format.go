// Package format is agglo's one rule for showing numbers and units to
// users: how many decimals a value gets (by its unit and the magnitude of
// the values shown beside it), thousands separators, and the names of
// Chinese statistical units in Chinese and English.
//
// The rule, applied per column so that a column never mixes precisions:
//
//	counts (件 个 项 所 篇 人 户 家 人年, no prefix)  0 decimals
//	largest |v| ≥ 10,000                              0 decimals
//	largest |v| ≥ 100                                 1 decimal
//	largest |v| ≥ 1                                   2 decimals
//	largest |v| < 1                                   1 − ⌊log10 |v|⌋ decimals, at least 2
//
// then, in columns below 100, one more decimal (at most 4) while the
// smallest non-zero value would show a single significant digit. Integer parts of four or more
// digits carry thousands separators (1,163.6; 212,014).
package format

import (
	"math"
	"strconv"
	"strings"
)

// maxDecimals bounds every rule.
const maxDecimals = 4

// countUnits are units of counted things: their values are whole numbers.
var countUnits = map[string]bool{"件": true, "个": true, "项": true, "所": true, "篇": true, "人": true, "户": true, "家": true, "人年": true}

// IsCount reports whether unit counts whole things (件, 个, 人 ... without a
// multiplier).
func IsCount(unit string) bool { return countUnits[strings.TrimSpace(unit)] }

// Decimals returns the decimals of a column of values in unit, by the rule
// of the package comment. NaN and infinite values are ignored; an empty
// column gets 2.
func Decimals(unit string, values ...float64) int {
	if IsCount(unit) {
		return 0
	}
	maxAbs, minAbs := 0.0, math.Inf(1)
	n := 0
	for _, v := range values {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			continue
		}
		a := math.Abs(v)
		n++
		maxAbs = math.Max(maxAbs, a)
		if a > 0 {
			minAbs = math.Min(minAbs, a)
		}
	}
	if n == 0 {
		return 2
	}
	var d int
	switch {
	case maxAbs >= 10000:
		d = 0
	case maxAbs >= 100:
		d = 1
	case maxAbs >= 1:
		d = 2
	case maxAbs == 0:
		return 2
	default:
		d = max(2, 1-int(math.Floor(math.Log10(maxAbs))))
	}
	// A non-zero value must keep two significant digits when the column
	// allows fractions at all.
	for maxAbs < 100 && d < maxDecimals && !math.IsInf(minAbs, 1) && minAbs < 10*math.Pow(10, -float64(d)) {
		d++
	}
	return min(d, maxDecimals)
}

// Number writes v with the given decimals and thousands separators ("—"
// for NaN or infinite values). Negative zero prints as zero.
func Number(v float64, decimals int) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "—"
	}
	s := strconv.FormatFloat(v, 'f', max(decimals, 0), 64)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	intPart, frac, hasFrac := strings.Cut(s, ".")
	if len(intPart) > 3 {
		var b strings.Builder
		for i, c := range intPart {
			if i > 0 && (len(intPart)-i)%3 == 0 {
				b.WriteByte(',')
			}
			b.WriteRune(c)
		}
		intPart = b.String()
	}
	if hasFrac {
		intPart += "." + frac
	}
	if neg && strings.Trim(intPart, "0.,") != "" {
		intPart = "-" + intPart
	}
	return intPart
}

// Value writes one value in unit with the decimals the rule gives it
// alone.
func Value(v float64, unit string) string { return Number(v, Decimals(unit, v)) }

// Percent writes a share (0.327) as a percentage with one decimal
// ("32.7%").
func Percent(share float64) string {
	if math.IsNaN(share) || math.IsInf(share, 0) {
		return "—"
	}
	return Number(100*share, 1) + "%"
}
