package dataset

import (
	"errors"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"agglo/internal/i18n"
)

// missingMarks are the cell texts yearbooks use for "no value" (compared
// after lower-casing).
var missingMarks = map[string]bool{"": true, "na": true, "n/a": true, "#n/a": true, "null": true, "-": true, "—": true, "–": true, "--": true, "…": true, "...": true, "——": true, "无": true}

// notFinite are the spellings of NaN and infinity that strconv.ParseFloat
// accepts; they get their own message.
var notFinite = map[string]bool{"nan": true, "inf": true, "+inf": true, "-inf": true, "infinity": true, "+infinity": true, "-infinity": true}

// pow10 are the powers of ten that float64 holds exactly.
var pow10 = [...]float64{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22}

// numberFormat is the number convention of a file.
type numberFormat struct {
	// decimalComma: "3,14" is 3.14 and "1.234.567,8" is 1234567.8; else
	// "." is the decimal point and "," may group thousands (1,234,567.8).
	decimalComma bool
	// csv: the hint about --decimal-comma applies (CSV input).
	csv bool
}

// parseValue parses a trimmed numeric cell. It returns present=false for a
// missing mark, and a problem for anything that is not a plain decimal
// number in the file's convention:
//
//   - digits with an optional sign, decimal point and exponent (12, -3.5,
//     .5, 1e6, 2.5E-3); full-width digits and signs as Chinese input methods
//     type them (１２３．４) count as their ASCII forms;
//   - thousands separators only in complete groups of three digits
//     (1,234,567.5; with a decimal comma 1.234.567,5), never with an
//     exponent; 3,14 or 1,2,3 are errors, not 314 or 123;
//   - no underscores, hexadecimal, percent signs or inner spaces;
//   - a number beyond ±1.8e308 is out of range and one that rounds to zero
//     although it has non-zero digits (1e-400) underflows: both are errors;
//   - NaN and infinity are errors.
//
// Ordinary numbers (ASCII, at most 19 significant digits, exponent within
// ±22) are converted without allocating, exactly as strconv.ParseFloat
// would (the product or quotient of two exactly representable numbers is
// correctly rounded); anything else goes through strconv.ParseFloat.
func (nf numberFormat) parseValue(b []byte) (v float64, present bool, problem *i18n.Text) {
	if v, ok := fastFloat(b, nf.decimalComma); ok {
		return v, true, nil
	}
	if len(b) == 0 {
		return 0, false, nil
	}
	s := string(b)
	if (s[0] < '0' || s[0] > '9') && missingMarks[strings.ToLower(s)] {
		return 0, false, nil
	}
	t := halfWidth(s)
	if notFinite[strings.ToLower(t)] {
		p := cellTf("数值不能为 NaN 或无穷大（“%s”）", "a value cannot be NaN or infinite (%q)", s)
		return 0, false, &p
	}
	plain, ok := nf.normalise(t)
	if !ok {
		p := cellTf("数值格式错误“%s”", "malformed number %q", s)
		if nf.csv && !nf.decimalComma && strings.Contains(t, ",") {
			p.ZH += "（千位分隔符须每三位一组；若逗号是小数点，请加 --decimal-comma）"
			p.EN += " (thousands separators must group three digits; if the comma is a decimal point, add --decimal-comma)"
		}
		return 0, false, &p
	}
	v, err := strconv.ParseFloat(plain, 64)
	if errors.Is(err, strconv.ErrRange) {
		p := cellTf("数值超出范围“%s”", "number out of range %q", s)
		return 0, false, &p
	}
	if err != nil {
		p := cellTf("数值格式错误“%s”", "malformed number %q", s)
		return 0, false, &p
	}
	if v == 0 && hasNonZeroDigit(plain) {
		p := cellTf("数值过小，会下溢为 0（“%s”）", "number too small: %q underflows to 0", s)
		return 0, false, &p
	}
	return v, true, nil
}

// hasNonZeroDigit reports whether the mantissa of a plain number has a
// digit other than 0.
func hasNonZeroDigit(s string) bool {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == 'e' || c == 'E':
			return false
		case c >= '1' && c <= '9':
			return true
		}
	}
	return false
}

// normalise checks a number against the grammar of parseValue and returns
// it as strconv.ParseFloat reads it (grouping removed, decimal point '.').
func (nf numberFormat) normalise(t string) (string, bool) {
	group, point := byte(','), byte('.')
	if nf.decimalComma {
		group, point = '.', ','
	}
	i := 0
	if i < len(t) && (t[i] == '+' || t[i] == '-') {
		i++
	}
	// Integer part: digits, possibly grouped.
	start := i
	for i < len(t) && isDigit(t[i]) {
		i++
	}
	intDigits := i - start
	grouped := false
	if i < len(t) && t[i] == group {
		if intDigits < 1 || intDigits > 3 {
			return "", false
		}
		for i < len(t) && t[i] == group {
			j := i + 1
			for j < len(t) && isDigit(t[j]) {
				j++
			}
			if j-(i+1) != 3 {
				return "", false
			}
			i = j
		}
		grouped = true
	}
	fracDigits := 0
	if i < len(t) && t[i] == point {
		i++
		for i < len(t) && isDigit(t[i]) {
			i++
			fracDigits++
		}
	}
	if intDigits+fracDigits == 0 {
		return "", false
	}
	if i < len(t) && (t[i] == 'e' || t[i] == 'E') {
		if grouped {
			return "", false
		}
		i++
		if i < len(t) && (t[i] == '+' || t[i] == '-') {
			i++
		}
		e := i
		for i < len(t) && isDigit(t[i]) {
			i++
		}
		if i == e {
			return "", false
		}
	}
	if i != len(t) {
		return "", false
	}
	if !grouped && point == '.' {
		return t, true
	}
	out := make([]byte, 0, len(t))
	for k := 0; k < len(t); k++ {
		switch c := t[k]; c {
		case group:
		case point:
			out = append(out, '.')
		default:
			out = append(out, c)
		}
	}
	return string(out), true
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// fastFloat parses an ASCII number of the form [sign]digits[.digits]
// [e[sign]digits] (with ',' for '.' when decimalComma) whose value float64
// represents exactly before one final multiplication or division by an
// exact power of ten, so that the result is correctly rounded (Clinger's
// fast path). It reports false for anything else, including the empty
// string, which the caller then parses in full.
func fastFloat(b []byte, decimalComma bool) (float64, bool) {
	point := byte('.')
	if decimalComma {
		point = ','
	}
	i, neg := 0, false
	if len(b) > 0 && (b[0] == '-' || b[0] == '+') {
		neg = b[0] == '-'
		i++
	}
	var mant uint64
	digits, exp := 0, 0
	sawDigit := false
	for ; i < len(b) && isDigit(b[i]); i++ {
		sawDigit = true
		if mant == 0 && b[i] == '0' {
			continue
		}
		if digits >= 19 {
			return 0, false
		}
		mant = mant*10 + uint64(b[i]-'0')
		digits++
	}
	if i < len(b) && b[i] == point {
		i++
		for ; i < len(b) && isDigit(b[i]); i++ {
			sawDigit = true
			exp--
			if mant == 0 && b[i] == '0' {
				continue
			}
			if digits >= 19 {
				return 0, false
			}
			mant = mant*10 + uint64(b[i]-'0')
			digits++
		}
	}
	if !sawDigit {
		return 0, false
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		eneg := false
		if i < len(b) && (b[i] == '-' || b[i] == '+') {
			eneg = b[i] == '-'
			i++
		}
		if i == len(b) {
			return 0, false
		}
		e := 0
		for ; i < len(b) && isDigit(b[i]); i++ {
			if e > 1000 {
				return 0, false
			}
			e = e*10 + int(b[i]-'0')
		}
		if eneg {
			e = -e
		}
		exp += e
	}
	if i != len(b) || mant >= 1<<53 {
		return 0, false
	}
	f := float64(mant)
	switch {
	case mant == 0:
	case exp == 0:
	case exp > 0 && exp <= 22:
		f *= pow10[exp]
	case exp < 0 && exp >= -22:
		f /= pow10[-exp]
	default:
		return 0, false
	}
	if neg {
		f = -f
	}
	return f, true
}

// fullWidth maps the full-width digits and signs that Chinese input
// methods produce (１２３．４, －５, １，２３４) to ASCII; such numbers are
// accepted.
var fullWidth = strings.NewReplacer("０", "0", "１", "1", "２", "2", "３", "3", "４", "4", "５", "5", "６", "6", "７", "7", "８", "8", "９", "9",
	"．", ".", "，", ",", "－", "-", "＋", "+", "ｅ", "e", "Ｅ", "E")

// halfWidth returns s with full-width digits and signs in ASCII; ASCII
// text is returned as is without allocating.
func halfWidth(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return fullWidth.Replace(s)
		}
	}
	return s
}

// parseYear parses "2019", "2019年" or "2019.0" (also in full-width digits).
func parseYear(s string) (int, bool) {
	t := halfWidth(strings.TrimSuffix(strings.TrimSpace(s), "年"))
	if f, err := strconv.ParseFloat(t, 64); err == nil && f == math.Trunc(f) && f >= 1800 && f <= 2200 {
		return int(f), true
	}
	return 0, false
}

// parseYearBytes is parseYear with a fast path for four ASCII digits.
func parseYearBytes(b []byte) (int, bool) {
	if len(b) == 4 && isDigit(b[0]) && isDigit(b[1]) && isDigit(b[2]) && isDigit(b[3]) {
		y := int(b[0]-'0')*1000 + int(b[1]-'0')*100 + int(b[2]-'0')*10 + int(b[3]-'0')
		return y, y >= 1800 && y <= 2200
	}
	return parseYear(string(b))
}
