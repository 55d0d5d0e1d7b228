package report

import (
	"io"
	"strings"

	"agglo/internal/i18n"
	"agglo/internal/xlsx"
)

// FormatXLSX writes the report's tables as a workbook.
const FormatXLSX = "xlsx"

// WriteXLSX writes every table of the report (and the data of every chart
// that has no table of its own) as one sheet each, in the report's
// language: sheet names from the captions, headers with units, numbers as
// numbers, and a source column after every numeric column so that each
// value stays traceable. A first sheet lists the contents and the
// replication verdict.
func (r *Report) WriteXLSX(w io.Writer) error {
	lang := r.Lang
	t := func(x i18n.Text) string { return x.In(lang) }
	contents := [][]any{
		{t(r.Title), ""},
		{t(i18n.T("数据", "Data")), t(datasetName(r.Dataset))},
	}
	if len(r.Claims) > 0 {
		contents = append(contents, []any{t(i18n.T("复现核对", "Replication")), t(verdictText(r.Verdict))})
	}
	contents = append(contents, []any{}, []any{t(i18n.T("工作表", "Sheet")), t(i18n.T("内容", "Content"))})
	used := map[string]bool{}
	sheets := []xlsx.Sheet{{Name: xlsx.UniqueName(t(i18n.T("目录", "Contents")), used), HeaderRows: 1}}
	for _, s := range r.Sections {
		for _, b := range s.Blocks {
			var rows [][]any
			var caption i18n.Text
			switch tb := b.(type) {
			case *Table:
				caption, rows = tb.Caption, tableRows(tb, lang)
			case *Chart:
				if tb.Table != "" {
					continue
				}
				caption, rows = tb.Caption, chartRows(tb, lang)
			default:
				continue
			}
			if len(rows) == 0 {
				continue
			}
			name := sheetName(t(caption), used)
			sheets = append(sheets, xlsx.Sheet{Name: name, HeaderRows: 2, Rows: xlsx.Rows(append([][]any{{t(caption)}}, rows...))})
			contents = append(contents, []any{name, t(s.Title) + " — " + t(caption)})
		}
	}
	sheets[0].Rows = xlsx.Rows(contents)
	return xlsx.Write(w, sheets...)
}

// sheetName shortens a caption to a unique sheet name, dropping anything
// after a colon or bracket; xlsx.UniqueName makes it valid and unique.
func sheetName(caption string, used map[string]bool) string {
	name := caption
	for _, sep := range []string{"（", "(", "："} {
		if i := strings.Index(name, sep); i > 0 {
			name = name[:i]
		}
	}
	return xlsx.UniqueName(strings.TrimSpace(name), used)
}

// tableRows lays a table out with a source column after every column that
// holds a number with a source.
func tableRows(tb *Table, lang string) [][]any {
	t := func(x i18n.Text) string { return x.In(lang) }
	withProv := make([]bool, len(tb.Columns))
	for _, row := range tb.Rows {
		for j, c := range row {
			if j < len(withProv) && c.Value != nil && c.Prov != nil {
				withProv[j] = true
			}
		}
	}
	var header []any
	for j, c := range tb.Columns {
		h := t(c.Label)
		if u := t(c.Unit); u != "" {
			h += " (" + u + ")"
		}
		header = append(header, h)
		if withProv[j] {
			header = append(header, t(i18n.T("来源：", "Source: "))+t(c.Label))
		}
	}
	out := [][]any{header}
	for _, row := range tb.Rows {
		var cells []any
		for j, c := range row {
			if c.Value != nil {
				cells = append(cells, *c.Value)
			} else {
				cells = append(cells, t(c.Text))
			}
			if j < len(withProv) && withProv[j] {
				cells = append(cells, t(c.Prov.Text()))
			}
		}
		out = append(out, cells)
	}
	if src := t(tableSource(tb)); src != "" {
		out = append(out, []any{t(i18n.T("数据来源：", "Source: ")) + src})
	}
	for _, n := range tb.Notes {
		out = append(out, []any{t(n)})
	}
	return out
}

// chartRows writes a chart's series as columns by category.
func chartRows(c *Chart, lang string) [][]any {
	t := func(x i18n.Text) string { return x.In(lang) }
	head, labels := c.rowLabels()
	header := []any{t(head)}
	for _, s := range c.Series {
		h := t(s.Name)
		if u := t(c.Unit); u != "" {
			h += " (" + u + ")"
		}
		header = append(header, h)
	}
	out := [][]any{header}
	for i, cat := range labels {
		row := []any{t(cat)}
		if i < len(c.X) && len(c.Categories) == 0 {
			row[0] = c.X[i]
		}
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
		out = append(out, []any{t(c.Note)})
	}
	if src := chartSources(c, lang); src != "" {
		out = append(out, []any{t(i18n.T("来源：", "Source: ")) + src})
	}
	return out
}

func chartSources(c *Chart, lang string) string {
	seen := map[string]bool{}
	var out []string
	for _, s := range c.Series {
		for _, p := range s.Points {
			if d := p.Prov.Text().In(lang); d != "" && !seen[d] {
				seen[d] = true
				out = append(out, d)
			}
		}
	}
	return strings.Join(out, "; ")
}
