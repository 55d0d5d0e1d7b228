package report

import (
	"regexp"
	"strings"
	"testing"

	"agglo/internal/format"
	"agglo/internal/i18n"
)

// number finds the numbers a sentence states: digits with thousands
// separators and decimals, and a leading minus (a comma after a number
// ends it).
var number = regexp.MustCompile(`-?\d(?:[\d,]*\d)?(?:\.\d+)?`)

// shown collects every string a reader sees in a table or chart: its
// formatted numbers, and the numbers inside its caption, labels, units,
// texts and notes.
func shown(r *Report, id string) (map[string]bool, bool) {
	out := map[string]bool{}
	add := func(t i18n.Text) {
		for _, s := range []string{t.ZH, t.EN} {
			for _, n := range number.FindAllString(s, -1) {
				out[n] = true
			}
		}
	}
	for _, s := range r.Sections {
		for _, b := range s.Blocks {
			switch v := b.(type) {
			case *Table:
				if v.ID != id {
					continue
				}
				add(v.Caption)
				for _, c := range v.Columns {
					add(c.Label)
					add(c.Unit)
				}
				for _, row := range v.Rows {
					for _, c := range row {
						if c.Value != nil {
							out[format.Number(*c.Value, c.Decimals)] = true
						}
						add(c.Text)
					}
				}
				for _, n := range v.Notes {
					add(n)
				}
				return out, true
			case *Chart:
				if v.ID != id {
					continue
				}
				add(v.Caption)
				add(v.Unit)
				// Categories, or the x values the chart's data show.
				_, labels := v.rowLabels()
				for _, c := range labels {
					add(c)
				}
				for _, se := range v.Series {
					add(se.Name)
					for _, p := range se.Points {
						if p.Value != nil {
							out[format.Number(*p.Value, v.Decimals)] = true
						}
					}
				}
				return out, true
			}
		}
	}
	return nil, false
}

// Every number an interpretation states is shown, formatted identically,
// in the table or chart it reads (in both languages); every table and
// every chart without a table of its own is read out by one.
func TestInterpretationsStateOnlyShownNumbers(t *testing.T) {
	r := buildDefault(t, "zh")
	if n := checkInterpretations(t, r, "paper"); n < 20 {
		t.Errorf("%d interpretations, want one per table and chart", n)
	}
}

// checkInterpretations checks the interpretations of a report (see
// TestInterpretationsStateOnlyShownNumbers) and returns their number.
func checkInterpretations(t *testing.T, r *Report, what string) int {
	t.Helper()
	read := map[string]bool{}
	n := 0
	for _, s := range r.Sections {
		for _, b := range s.Blocks {
			p, ok := b.(*Paragraph)
			if !ok || p.Interprets == "" {
				continue
			}
			n++
			read[p.Interprets] = true
			nums, ok := shown(r, p.Interprets)
			if !ok {
				t.Errorf("%s: interpretation of %s: no such table or chart", what, p.Interprets)
				continue
			}
			for _, text := range []string{p.Text.ZH, p.Text.EN} {
				for _, num := range number.FindAllString(text, -1) {
					if !nums[num] && !nums[strings.TrimPrefix(num, "-")] {
						t.Errorf("%s: interpretation of %s states %s, which it does not show: %s", what, p.Interprets, num, text)
					}
				}
			}
		}
	}
	// Tables that list rather than measure need no reading.
	exempt := map[string]bool{"modes": true, "strategies": true, "replication": true, "replication-unchecked": true, "provenance-sources": true,
		"table3-weights": false}
	for _, s := range r.Sections {
		for _, b := range s.Blocks {
			switch v := b.(type) {
			case *Table:
				// A table kept for the data exports only is not on the page.
				if !exempt[v.ID] && !v.DataOnly && !read[v.ID] && len(numericColumns(v)) > 0 {
					t.Errorf("%s: table %s has no interpretation", what, v.ID)
				}
			case *Chart:
				if v.Table == "" && v.Kind != ChartRadar && !read[v.ID] {
					t.Errorf("%s: chart %s has no interpretation", what, v.ID)
				}
			}
		}
	}
	return n
}

// The interpretation of the Theil decomposition reads the index and the
// between-group share as the table prints them (the form of the issue's
// example "泰尔指数为0.029，其中组间差异贡献32.7%").
func TestTheilInterpretation(t *testing.T) {
	r := buildDefault(t, "zh")
	tb := findTable(t, r, "measures-theil")
	n := len(tb.Rows)
	total, share := format.Number(*tb.Rows[n-1][2].Value, tb.Rows[n-1][2].Decimals), format.Number(*tb.Rows[n-2][3].Value, 1)
	for _, s := range r.Sections {
		for _, b := range s.Blocks {
			if p, ok := b.(*Paragraph); ok && p.Interprets == "measures-theil" {
				if !strings.Contains(p.Text.ZH, "泰尔指数为"+total) || !strings.Contains(p.Text.ZH, "贡献"+share+"%") {
					t.Errorf("Theil reading %q lacks 泰尔指数为%s or 贡献%s%%", p.Text.ZH, total, share)
				}
				return
			}
		}
	}
	t.Error("no interpretation of the Theil decomposition")
}
