package report

import (
	"encoding/json"
	"io"

	"agglo/internal/assets"
	"agglo/internal/i18n"
)

// Formats a report can be written in.
const (
	FormatHTML     = "html"
	FormatMarkdown = "md"
	FormatJSON     = "json"
	FormatDOCX     = "docx"
)

// Write renders r in format ("html", "md", "json", "xlsx" or "docx").
func (r *Report) Write(w io.Writer, format string) error {
	switch format {
	case FormatMarkdown:
		return r.WriteMarkdown(w)
	case FormatJSON:
		return r.WriteJSON(w)
	case FormatXLSX:
		return r.WriteXLSX(w)
	case FormatDOCX:
		return r.WriteDOCX(w)
	default:
		return r.WriteHTML(w)
	}
}

// WriteJSON writes the data behind every table and chart as indented JSON.
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(r)
}

func licences() []Licence {
	return []Licence{
		{Component: "Apache ECharts", Version: assets.EChartsVersion(), Licence: "Apache-2.0, BSD-3-Clause (d3)",
			Note: i18n.T("图表由内嵌的 Apache ECharts 绘制；许可证与 NOTICE 见 agglo 源码 internal/assets/vendor/echarts/。",
				"Charts are drawn by the embedded Apache ECharts; its licence and NOTICE are in agglo's source under internal/assets/vendor/echarts/.")},
		{Component: "China map (Apache ECharts 4.9.0)", Version: "4.9.0", Licence: "Apache-2.0",
			Note: i18n.T("中国省级底图取自 Apache ECharts 4.9.0，约2015年，边界仅为示意；许可证见 agglo 源码 internal/assets/vendor/china-map/。",
				"The China province base map comes from Apache ECharts 4.9.0 (about 2015); boundaries are indicative only; licence in agglo's source under internal/assets/vendor/china-map/.")},
	}
}

// footnotes numbers the derived provenances of a report in the order they
// are met.
type footnotes struct {
	index map[string]int
	list  []*Prov
	// pending are the numbers first met in the current section.
	pending []int
}

func (f *footnotes) key(p *Prov) string {
	if p.Label.ZH != "" || p.Label.EN != "" {
		return "\x00" + p.Label.ZH + "\x00" + p.Label.EN
	}
	return p.Formula + "\x00" + p.Ref
}

// mark returns the footnote number of a derived provenance, or 0.
func (f *footnotes) mark(p *Prov) int {
	if !p.Derived() {
		return 0
	}
	if f.index == nil {
		f.index = map[string]int{}
	}
	k := f.key(p)
	if n, ok := f.index[k]; ok {
		return n
	}
	f.list = append(f.list, p)
	n := len(f.list)
	f.index[k] = n
	f.pending = append(f.pending, n)
	return n
}

// flush returns and clears the footnotes first met since the last flush.
func (f *footnotes) flush() []int {
	out := f.pending
	f.pending = nil
	return out
}

// Column marking modes: where a table's † marks go.
const (
	markNone   = iota // no derived value in the column
	markHeader        // every number in the column is derived: one mark in the header
	markCells         // derived and published values mix: a mark on each derived value
)

// columnMarks says, per column, where the marks of derived values go, so
// that markers appear only where a value is derived and never on every
// cell of a computed table.
func columnMarks(t *Table) []int {
	out := make([]int, len(t.Columns))
	for c := range t.Columns {
		derived, other := 0, 0
		for _, row := range t.Rows {
			if c >= len(row) || row[c].Value == nil {
				continue
			}
			if row[c].Prov.Derived() {
				derived++
			} else {
				other++
			}
		}
		switch {
		case derived > 0 && other == 0:
			out[c] = markHeader
		case derived > 0:
			out[c] = markCells
		}
	}
	return out
}

// headerProvs are the distinct derived provenances of a column, in order.
func headerProvs(t *Table, c int) []*Prov {
	seen := map[string]bool{}
	var out []*Prov
	var f footnotes
	for _, row := range t.Rows {
		if c >= len(row) || row[c].Value == nil || !row[c].Prov.Derived() {
			continue
		}
		k := f.key(row[c].Prov)
		if !seen[k] {
			seen[k] = true
			out = append(out, row[c].Prov)
		}
	}
	return out
}

// chartMixed reports whether a chart shows both derived and other values
// (only then are the derived ones drawn apart).
func chartMixed(c *Chart) bool {
	derived, other := false, false
	for _, s := range c.Series {
		for _, p := range s.Points {
			if p.Value == nil {
				continue
			}
			if p.Prov.Derived() {
				derived = true
			} else {
				other = true
			}
		}
	}
	return derived && other
}

// tableSource names where a table's numbers come from: its own Source, or
// the distinct published and imported references of its cells.
func tableSource(t *Table) i18n.Text {
	if t.Source.ZH != "" || t.Source.EN != "" {
		return t.Source
	}
	seen := map[string]bool{}
	var out []i18n.Text
	for _, row := range t.Rows {
		for _, c := range row {
			if c.Value == nil || c.Prov == nil || c.Prov.Derived() || c.Prov.Ref == "" {
				continue
			}
			if !seen[c.Prov.Ref] {
				seen[c.Prov.Ref] = true
				out = append(out, sourceText(c.Prov.Ref))
			}
		}
	}
	return joinTexts(out, "；", "; ")
}
