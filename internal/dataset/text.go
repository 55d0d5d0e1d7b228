package dataset

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"agglo/internal/csvsafe"
	"agglo/internal/i18n"
)

// maxQuote is the most characters of a cell that a message quotes.
const maxQuote = 80

// clip returns s cut to maxQuote characters with an ellipsis, its length
// in characters, and whether it was cut.
func clip(s string) (string, int, bool) { return clipTo(s, maxQuote) }

// maxName is the most characters of a file name kept (file systems allow
// 255 bytes).
const maxName = 255

func clipTo(s string, max int) (string, int, bool) {
	if len(s) <= max {
		return s, len(s), false
	}
	n := utf8.RuneCountInString(s)
	if n <= max {
		return s, n, false
	}
	cut := 0
	for i := range s {
		if cut == max {
			return s[:i] + "…", n, true
		}
		cut++
	}
	return s, n, false
}

// clipped returns s cut to maxQuote characters with an ellipsis, for
// headers and names in a message's location.
func clipped(s string) string {
	c, _, _ := clip(s)
	return c
}

// cellTf builds a message that quotes a cell: cell fills the first verb of
// zh and en, cut to maxQuote characters; a cut cell's length follows the
// message.
func cellTf(zh, en string, cell string, args ...any) i18n.Text {
	c, n, cut := clip(cell)
	t := i18n.Tf(zh, en, append([]any{c}, args...)...)
	if cut {
		t.ZH += fmt.Sprintf("（该单元格共 %d 个字符）", n)
		t.EN += fmt.Sprintf(" (the cell has %d characters)", n)
	}
	return t
}

// invisible returns the first character of s that is invisible or changes
// the direction of text (zero-width spaces and joiners, direction marks,
// embeddings, overrides and isolates, the word joiner and a byte-order
// mark), which would let two region names that look the same differ, or
// reorder a table's text (Unicode TR #9 and TR #36 on bidirectional and
// invisible characters); ok is false when there is none.
func invisible(s []byte) (rune, bool) {
	ascii := true
	for _, c := range s {
		if c >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return 0, false
	}
	for len(s) > 0 {
		r, n := utf8.DecodeRune(s)
		s = s[n:]
		switch {
		case r >= 0x200B && r <= 0x200F, // zero-width space, non-joiner, joiner; LRM, RLM
			r >= 0x202A && r <= 0x202E, // embeddings and overrides
			r >= 0x2060 && r <= 0x2064, // word joiner, invisible operators
			r >= 0x2066 && r <= 0x2069, // isolates
			r == 0x061C,                // Arabic letter mark
			r == 0x180E,                // Mongolian vowel separator
			r == 0xFEFF:                // zero-width no-break space (BOM)
			return r, true
		}
	}
	return 0, false
}

// unquote takes away the single quote that agglo's CSV and TSV exports
// put before a text cell a spreadsheet would take for a formula ('=1+1 is
// read as =1+1; see csvsafe.Unquote for the rule, which leaves 'abc and
// '-3 alone); the rest is trimmed as the cell was. b is a trimmed cell.
func unquote(b []byte) []byte {
	if len(b) < 2 || b[0] != '\'' {
		return b
	}
	return trim(csvsafe.UnquoteBytes(b))
}

// unquoteHeader is unquote for the header cells of a CSV file (a byte-order
// mark before the first is kept).
func unquoteHeader(header []string) []string {
	var out []string
	for i, h := range header {
		bom := ""
		if i == 0 {
			if rest, ok := strings.CutPrefix(h, "\ufeff"); ok {
				bom, h = "\ufeff", rest
			}
		}
		t := strings.TrimSpace(h)
		u := csvsafe.Unquote(t)
		if u == t {
			continue
		}
		if out == nil {
			out = append([]string(nil), header...)
		}
		out[i] = bom + strings.TrimSpace(u)
	}
	if out == nil {
		return header
	}
	return out
}
