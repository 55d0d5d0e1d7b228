package report

import (
	"math"
	"strings"

	"agglo/internal/format"
	"agglo/internal/i18n"
)

// This file writes the interpretation paragraphs: templated, factual
// sentences read from a table's cells, so that every number a sentence
// states is the same string the table shows.

// cellString is how a numeric cell is printed in every output.
func cellString(c Cell) string {
	if c.Value == nil {
		return ""
	}
	return format.Number(*c.Value, c.Decimals)
}

// colExtremes returns the rows holding the largest and smallest value of
// a column (ties: the first), and the number of values.
func colExtremes(t *Table, col int) (hi, lo, n int) {
	hi, lo = -1, -1
	for r, row := range t.Rows {
		if col >= len(row) || row[col].Value == nil || math.IsNaN(*row[col].Value) {
			continue
		}
		n++
		v := *row[col].Value
		if hi < 0 || v > *t.Rows[hi][col].Value {
			hi = r
		}
		if lo < 0 || v < *t.Rows[lo][col].Value {
			lo = r
		}
	}
	return hi, lo, n
}

// rowName is the label of a row: the last text cell before its first
// number (the province, not its group, in Table 3).
func rowName(t *Table, r int) i18n.Text {
	var group *i18n.Text
	for _, c := range t.Rows[r] {
		if c.Value != nil || c.Text.ZH == "" && c.Text.EN == "" {
			continue
		}
		if c.Class != "group" {
			return c.Text
		}
		if group == nil {
			group = &c.Text
		}
	}
	if group != nil {
		return *group
	}
	return i18n.T("—", "—")
}

// withUnit writes a value and its unit in each language.
func withUnit(v string, u i18n.Text) i18n.Text {
	if u.ZH == "" && u.EN == "" {
		return i18n.T(v, v)
	}
	sep := " "
	switch {
	case u.EN == "%":
		sep = ""
	case u.EN[0] >= '0' && u.EN[0] <= '9':
		// A unit with a multiplier: 15.00 × 10 million people.
		sep = " × "
	}
	zsep := ""
	if u.ZH != "%" && !strings.HasPrefix(u.ZH, "万") && !strings.HasPrefix(u.ZH, "亿") && !strings.HasPrefix(u.ZH, "千") && !strings.HasPrefix(u.ZH, "百") && isASCIIStart(u.ZH) {
		zsep = " "
	}
	return i18n.T(v+zsep+u.ZH, v+sep+u.EN)
}

func isASCIIStart(s string) bool { return s != "" && s[0] < 0x80 }

// lowerFirst lowercases an English label's first letter for use inside a
// sentence, unless it is an acronym (GDP, R&D, CRIC).
func lowerFirst(s string) string {
	if len(s) < 2 || s[1] < 'a' || s[1] > 'z' {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

// upperFirst capitalises a sentence.
func upperFirst(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// highLow says which row has the largest and which the smallest value of
// a column: "人口密度最高的是珠三角（1,163.6 人/km²），最低的是长江中游（398.7 人/km²）".
// It returns false when the column has fewer than two values.
func highLow(t *Table, col int) (i18n.Text, bool) {
	hi, lo, n := colExtremes(t, col)
	lab, u := t.Columns[col].Label, t.Columns[col].Unit
	if n == 1 {
		v, name := withUnit(cellString(t.Rows[hi][col]), u), rowName(t, hi)
		return i18n.T(lab.ZH+"只有"+name.ZH+"的数值（"+v.ZH+"），无法比较",
			upperFirst(lowerFirst(lab.EN))+" is known only for "+theName(name.EN)+" ("+v.EN+"), so it cannot be compared"), true
	}
	if n < 2 || hi == lo {
		return i18n.Text{}, false
	}
	hv, lv := withUnit(cellString(t.Rows[hi][col]), u), withUnit(cellString(t.Rows[lo][col]), u)
	hn, ln := rowName(t, hi), rowName(t, lo)
	return i18n.T(
		lab.ZH+"最高的是"+hn.ZH+"（"+hv.ZH+"），最低的是"+ln.ZH+"（"+lv.ZH+"）",
		upperFirst(lowerFirst(lab.EN))+" is highest in "+theName(hn.EN)+" ("+hv.EN+") and lowest in "+theName(ln.EN)+" ("+lv.EN+")"), true
}

// theName puts "the" before agglomeration names that take it in English
// (the Yangtze River Delta, the Pearl River Delta, the Middle Reaches ...).
func theName(s string) string {
	for _, p := range []string{"Yangtze River Delta", "Pearl River Delta", "Middle Reaches", "Middle Yangtze", "Beijing-Tianjin-Hebei region", "Central Plains", "Shandong Peninsula", "Liaodong", "Harbin-Changchun", "Guanzhong", "Beibu Gulf", "West Coast"} {
		if strings.HasPrefix(s, p) {
			return "the " + s
		}
	}
	return s
}

// sentences joins clauses into sentences: "。" in Chinese, ". " in English.
func sentences(parts ...i18n.Text) i18n.Text {
	var zh, en []string
	for _, p := range parts {
		if p.ZH == "" && p.EN == "" {
			continue
		}
		z := strings.TrimRight(p.ZH, "。")
		e := strings.TrimRight(p.EN, ". ")
		zh = append(zh, z+"。")
		en = append(en, upperFirst(e)+".")
	}
	return i18n.T(strings.Join(zh, ""), strings.Join(en, " "))
}

// interpretColumns reads out the extremes of each numeric column of a
// table.
func interpretColumns(t *Table, cols ...int) *Paragraph {
	var parts []i18n.Text
	for _, c := range cols {
		if s, ok := highLow(t, c); ok {
			parts = append(parts, s)
		}
	}
	if len(parts) == 0 {
		return nil
	}
	return &Paragraph{Text: sentences(parts...), Interprets: t.ID}
}

// numericColumns lists the columns of a table that hold numbers.
func numericColumns(t *Table) []int {
	var out []int
	for c := range t.Columns {
		for _, row := range t.Rows {
			if c < len(row) && row[c].Value != nil {
				out = append(out, c)
				break
			}
		}
	}
	return out
}
