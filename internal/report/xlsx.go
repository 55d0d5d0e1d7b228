package report

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"agglo/internal/i18n"
	"agglo/internal/xlsx"
)

// FormatXLSX writes the report's tables as a workbook.
const FormatXLSX = "xlsx"

// WriteXLSX writes every table of the report (and the data of every chart
// that has no table of its own) as one sheet each, with bilingual headers
// and units, numbers as numbers, and a provenance column per numeric column
// so that each value stays traceable; a first sheet lists the contents and
// the replication verdict.
func (r *Report) WriteXLSX(w io.Writer) error {
	contents := [][]any{
		{bi(r.Title), ""},
		{"数据集 / dataset", r.Dataset},
		{"复现核对 / replication", fmt.Sprintf("%d: %d match, %d mismatch, %d published-only, %d not-checkable", r.Verdict.Total, r.Verdict.Match, r.Verdict.Mismatch, r.Verdict.PublishedOnly, r.Verdict.NotCheckable)},
		{},
		{"工作表 / sheet", "内容 / content"},
	}
	sheets := []xlsx.Sheet{{Name: "contents", HeaderRows: 1}}
	for _, s := range r.Sections {
		for _, b := range s.Blocks {
			var rows [][]any
			var caption i18n.Text
			var id string
			switch t := b.(type) {
			case *Table:
				id, caption, rows = t.ID, t.Caption, tableRows(t)
			case *Chart:
				if t.Table != "" {
					continue
				}
				id, caption, rows = t.ID, t.Caption, chartRows(t)
			default:
				continue
			}
			if len(rows) == 0 {
				continue
			}
			// Sheet names are the block ids cut to 28 characters (unique
			// in practice; the writer makes them so).
			name := id
			if utf8.RuneCountInString(name) > 28 {
				name = string([]rune(name)[:28])
			}
			sheets = append(sheets, xlsx.Sheet{Name: name, HeaderRows: 2, Rows: xlsx.Rows(append([][]any{{bi(caption)}}, rows...))})
			contents = append(contents, []any{name, bi(s.Title) + " — " + bi(caption)})
		}
	}
	sheets[0].Rows = xlsx.Rows(contents)
	return xlsx.Write(w, sheets...)
}

// bi writes a text in both languages, "中文 / English".
func bi(t i18n.Text) string {
	switch {
	case t.ZH == "" || t.ZH == t.EN:
		return t.EN
	case t.EN == "":
		return t.ZH
	}
	return t.ZH + " / " + t.EN
}

// tableRows lays a table out with a provenance column after every column
// that holds a number with a source.
func tableRows(t *Table) [][]any {
	withProv := make([]bool, len(t.Columns))
	for _, row := range t.Rows {
		for j, c := range row {
			if j < len(withProv) && c.Prov != nil {
				withProv[j] = true
			}
		}
	}
	var header []any
	for j, c := range t.Columns {
		h := bi(c.Label)
		if c.Unit != "" {
			h += " (" + c.Unit + ")"
		}
		header = append(header, h)
		if withProv[j] {
			header = append(header, "来源 / source: "+bi(c.Label))
		}
	}
	out := [][]any{header}
	for _, row := range t.Rows {
		var cells []any
		for j, c := range row {
			if c.Value != nil {
				cells = append(cells, *c.Value)
			} else {
				cells = append(cells, bi(c.Text))
			}
			if j < len(withProv) && withProv[j] {
				cells = append(cells, c.Prov.Describe(i18n.EN))
			}
		}
		out = append(out, cells)
	}
	for _, n := range t.Notes {
		out = append(out, []any{bi(n)})
	}
	return out
}

// chartRows writes a chart's series as columns by category.
func chartRows(c *Chart) [][]any {
	header := []any{""}
	for _, s := range c.Series {
		header = append(header, bi(s.Name))
	}
	out := [][]any{header}
	for i, cat := range c.Categories {
		row := []any{bi(cat)}
		for _, s := range c.Series {
			if i < len(s.Points) && s.Points[i].Value != nil {
				row = append(row, *s.Points[i].Value)
			} else {
				row = append(row, "")
			}
		}
		out = append(out, row)
	}
	if c.Note.ZH != "" || c.Note.EN != "" {
		out = append(out, []any{bi(c.Note)})
	}
	if src := chartSources(c); src != "" {
		out = append(out, []any{"来源 / source: " + src})
	}
	return out
}

func chartSources(c *Chart) string {
	seen := map[string]bool{}
	var out []string
	for _, s := range c.Series {
		for _, p := range s.Points {
			if d := p.Prov.Describe(i18n.EN); d != "" && !seen[d] {
				seen[d] = true
				out = append(out, d)
			}
		}
	}
	return strings.Join(out, "; ")
}
