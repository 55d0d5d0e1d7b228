package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"unicode"

	"agglo/internal/csvsafe"
)

// table is a result printed as an aligned text table or as CSV.
type table struct {
	header []string
	rows   [][]string
	// titles are rows printed whole on their own line in text output (a
	// block's title): they do not widen the columns. CSV prints them as
	// rows.
	titles map[int]bool
}

func (t *table) add(cells ...string) { t.rows = append(t.rows, cells) }

// addTitle adds a line that heads the rows after it.
func (t *table) addTitle(text string) {
	if t.titles == nil {
		t.titles = map[int]bool{}
	}
	t.titles[len(t.rows)] = true
	t.add(text)
}

// width is the display width of s on a terminal: East Asian wide characters
// take two columns.
func width(s string) int {
	w := 0
	for _, r := range s {
		switch {
		case r < 32:
		case unicode.Is(unicode.Han, r), r >= 0x3000 && r <= 0x303F, r >= 0xFF00 && r <= 0xFF60, r >= 0xFFE0 && r <= 0xFFE6, r >= 0x2E80 && r <= 0x2FDF:
			w += 2
		default:
			w++
		}
	}
	return w
}

func (t *table) writeText(w io.Writer) error {
	widths := make([]int, len(t.header))
	for i, h := range t.header {
		widths[i] = width(h)
	}
	for ri, r := range t.rows {
		if t.titles[ri] {
			continue
		}
		for i, c := range r {
			if i < len(widths) && width(c) > widths[i] {
				widths[i] = width(c)
			}
		}
	}
	line := func(cells []string) string {
		var b strings.Builder
		for i, c := range cells {
			if i > 0 {
				b.WriteString("  ")
			}
			b.WriteString(c)
			if i < len(cells)-1 {
				b.WriteString(strings.Repeat(" ", widths[i]-width(c)))
			}
		}
		return strings.TrimRight(b.String(), " ")
	}
	if _, err := fmt.Fprintln(w, line(t.header)); err != nil {
		return err
	}
	seps := make([]string, len(widths))
	for i, n := range widths {
		seps[i] = strings.Repeat("-", n)
	}
	fmt.Fprintln(w, line(seps))
	for ri, r := range t.rows {
		if t.titles[ri] {
			if _, err := fmt.Fprintln(w, strings.Join(r, " ")); err != nil {
				return err
			}
			continue
		}
		if _, err := fmt.Fprintln(w, line(r)); err != nil {
			return err
		}
	}
	return nil
}

// writeCSV writes the table as CSV, text cells that a spreadsheet would
// evaluate as formulas neutralised (see csvsafe).
func (t *table) writeCSV(w io.Writer) error {
	cw := csvsafe.NewWriter(w)
	if err := cw.Write(t.header); err != nil {
		return err
	}
	if err := cw.WriteAll(t.rows); err != nil {
		return err
	}
	return cw.Error()
}

// emit prints a result in the chosen format: v as JSON, or t as a table or
// CSV.
func (g *globals) emit(v any, t *table) error {
	switch g.format {
	case "json":
		enc := json.NewEncoder(g.stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(v)
	case "csv":
		return t.writeCSV(g.stdout)
	default:
		return t.writeText(g.stdout)
	}
}

// num formats a number for tables: up to 4 significant decimals, no
// exponent for ordinary magnitudes.
func num(v float64) string {
	if v != v {
		return "—"
	}
	s := fmt.Sprintf("%.4f", v)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	if s == "-0" {
		s = "0"
	}
	return s
}

// addWrapped adds text as title lines of at most cols terminal columns,
// each starting with indent (the first with first instead, when given):
// long sentences (reasons, measures) under a row of a table. English
// breaks between words, Chinese between characters.
func (t *table) addWrapped(indent, first, text string, cols int) {
	if first == "" {
		first = indent
	}
	line := first
	fresh := true // nothing but the indent on the line
	for _, tok := range wrapTokens(text) {
		if tok == " " {
			if !fresh {
				line += " "
			}
			continue
		}
		// The space before tok counts: it stays on the line.
		if !fresh && width(line)+width(tok) > cols {
			t.addTitle(strings.TrimRight(line, " "))
			line, fresh = indent, true
		}
		line += tok
		fresh = false
	}
	if !fresh {
		t.addTitle(strings.TrimRight(line, " "))
	}
}

// wrapTokens splits text into the pieces a line may break between: words
// of Latin script (with their punctuation), single spaces, and single
// wide characters.
func wrapTokens(text string) []string {
	var out []string
	var word strings.Builder
	flush := func() {
		if word.Len() > 0 {
			out = append(out, word.String())
			word.Reset()
		}
	}
	for _, r := range text {
		switch {
		case r == ' ' || r == '\n' || r == '\t':
			flush()
			out = append(out, " ")
		case strings.ContainsRune("）。，；：、”》", r) && (word.Len() > 0 || len(out) > 0 && out[len(out)-1] != " "):
			// Closing punctuation stays with what it closes.
			flush()
			out[len(out)-1] += string(r)
		case width(string(r)) == 2:
			flush()
			out = append(out, string(r))
		default:
			word.WriteRune(r)
		}
	}
	flush()
	return out
}

// wrapCell breaks a cell's text into lines of at most cols terminal
// columns (English between words, Chinese between characters), for a
// column that must stay narrow; the caller adds the lines as rows.
func wrapCell(text string, cols int) []string {
	var out []string
	line := ""
	for _, tok := range wrapTokens(text) {
		if tok == " " {
			if line != "" {
				line += " "
			}
			continue
		}
		if line != "" && width(line)+width(tok) > cols {
			out = append(out, strings.TrimRight(line, " "))
			line = ""
		}
		line += tok
	}
	if line != "" || len(out) == 0 {
		out = append(out, strings.TrimRight(line, " "))
	}
	return out
}
