// Package csvsafe keeps CSV and TSV files that agglo writes from being read
// as formulas by a spreadsheet ("CSV injection", or formula injection).
//
// A spreadsheet that opens a CSV file evaluates a cell beginning with "=",
// "+", "-" or "@" as a formula, and a leading tab or carriage return can
// hide such a prefix. Cell neutralises a text cell with one of these first
// characters by prefixing a single quote, which spreadsheets show as text
// and do not evaluate; this is the mitigation the OWASP Foundation
// recommends (OWASP, "CSV Injection",
// https://owasp.org/www-community/attacks/CSV_Injection). The full-width
// forms ＝ ＋ － ＠, which some spreadsheet versions convert to their ASCII
// forms on input, are neutralised too.
//
// A cell that is a plain decimal number (an optional sign, digits with an
// optional decimal point, an optional exponent: -3.5, +2, 1e-3) is left
// as it is: a negative number is a number, not a formula, and the file
// must read back to the same values.
//
// Unquote reverses Cell when agglo reads a CSV or TSV file, so that an
// exported file imports with its original text: a single quote is taken
// away only where Cell would have put it (before a formula character, or
// before further quotes that precede one), never from a cell such as 'abc
// or '-3 that Cell leaves alone. Unquote(Cell(s)) == s for every s.
package csvsafe

import (
	"encoding/csv"
	"io"
	"strings"
	"unicode/utf8"
)

// Cell returns s, neutralised when a spreadsheet would take it for a
// formula: a text cell whose first character is =, +, -, @, a tab, a
// carriage return or a full-width ＝ ＋ － ＠ gets a leading single quote.
// So does a cell made of single quotes followed by such a text ('=x gets
// a second quote), so that Unquote can tell it from a neutralised =x.
// Empty cells and plain numbers are returned unchanged.
func Cell(s string) string {
	if !quotable(s) {
		return s
	}
	return "'" + s
}

// quotable reports whether Cell quotes s: after any leading single quotes,
// s holds a text that begins with a formula character and is not a plain
// number.
func quotable(s string) bool {
	t := strings.TrimLeft(s, "'")
	return t != "" && risky(t) && !isNumber(t)
}

// risky reports whether s begins with a character that starts a formula.
func risky(s string) bool {
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return true
	}
	if s[0] < utf8.RuneSelf {
		return false
	}
	r, _ := utf8.DecodeRuneInString(s)
	switch r {
	case '＝', '＋', '－', '＠':
		return true
	}
	return false
}

// isNumber reports whether s is a plain decimal number:
//
//	[+-]? ( digits [. digits?] | . digits ) ( [eE] [+-]? digits )?
//
// Nothing else (no spaces, hexadecimal, Inf or NaN, no operators).
func isNumber(s string) bool {
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	digits := func() int {
		n := 0
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
			n++
		}
		return n
	}
	mant := digits()
	if i < len(s) && s[i] == '.' {
		i++
		mant += digits()
	}
	if mant == 0 {
		return false
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if digits() == 0 {
			return false
		}
	}
	return i == len(s)
}

// Record returns rec with every cell passed through Cell. rec itself is not
// changed; when no cell needs neutralising rec is returned as it is.
func Record(rec []string) []string {
	for i, c := range rec {
		if Cell(c) != c {
			out := make([]string, len(rec))
			copy(out, rec[:i])
			for j := i; j < len(rec); j++ {
				out[j] = Cell(rec[j])
			}
			return out
		}
	}
	return rec
}

// Writer is a csv.Writer whose Write and WriteAll neutralise every cell
// (see Cell). Set Comma to '\t' for TSV.
type Writer struct {
	*csv.Writer
}

// NewWriter returns a Writer that writes to w.
func NewWriter(w io.Writer) *Writer { return &Writer{Writer: csv.NewWriter(w)} }

// Write writes one record, neutralised.
func (w *Writer) Write(rec []string) error { return w.Writer.Write(Record(rec)) }

// WriteAll writes the records, neutralised, and flushes.
func (w *Writer) WriteAll(recs [][]string) error {
	for _, rec := range recs {
		if err := w.Write(rec); err != nil {
			return err
		}
	}
	w.Flush()
	return w.Error()
}

// Unquote undoes Cell for a text cell read back from a CSV or TSV file: a
// single quote followed by a character that starts a formula (=, +, -, @,
// a tab, a carriage return or a full-width ＝ ＋ － ＠, possibly after
// further quotes) is removed, unless what follows is a plain number (Cell
// never quotes one). Every other cell is returned unchanged, so that a
// quote a user wrote stays: 'abc, '-3 and ' =1 read as they are written.
//
// The rule applies to any CSV file, not only to agglo's own: a
// spreadsheet that exports a cell typed as '=x writes =x, so a leading '=
// in a CSV file is, in practice, the neutralisation of this package or of
// another tool that follows OWASP, and means =x.
func Unquote(s string) string {
	if rest, ok := strings.CutPrefix(s, "'"); ok && quotable(rest) {
		return rest
	}
	return s
}

// UnquoteBytes is Unquote for a cell held as bytes: it returns b without
// its first byte when Unquote would remove the quote, and b itself
// otherwise. It does not allocate unless b starts with a quote.
func UnquoteBytes(b []byte) []byte {
	if len(b) < 2 || b[0] != '\'' {
		return b
	}
	if quotable(string(b[1:])) {
		return b[1:]
	}
	return b
}
