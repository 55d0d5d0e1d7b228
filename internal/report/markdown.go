package report

import (
	"io"
	"strconv"
	"strings"

	"agglo/internal/format"
	"agglo/internal/i18n"
)

// mdWriter renders a report as Markdown in one language.
type mdWriter struct {
	b     strings.Builder
	lang  string
	notes footnotes
}

func mdEsc(s string) string {
	s = strings.ReplaceAll(s, "|", `\|`)
	return strings.ReplaceAll(s, "\n", " ")
}

// WriteMarkdown writes the report in r.Lang as Markdown: the same tables as
// the HTML page, charts as tables of their data or a pointer to the table
// that holds it, derived numbers in italics with † footnotes.
func (r *Report) WriteMarkdown(w io.Writer) error {
	m := &mdWriter{lang: r.Lang}
	t := func(x i18n.Text) string { return x.In(m.lang) }
	m.w("# ", t(r.Title), "\n\n", t(r.Subtitle), "\n\n")
	m.w(t(i18n.T("数据：", "Data: ")), t(datasetName(r.Dataset)), "  \n")
	if len(r.Claims) > 0 {
		m.w(t(verdictShort(r.Verdict)), "  \n")
	}
	m.w(t(i18n.T("斜体数字由 agglo 推算，†号指向说明推算方法的脚注；每张表注明数据来源。", "Italic numbers are derived by agglo and † points to the footnote that says how; every table names its source.")), "\n\n")
	for _, s := range r.Sections {
		m.section(s)
	}
	m.w("## ", t(i18n.T("许可", "Licences")), "\n\n")
	for _, l := range r.Licences {
		m.w("- **", l.Component, " ", l.Version, "** — ", l.Licence, ". ", t(l.Note), "\n")
	}
	_, err := io.WriteString(w, m.b.String())
	return err
}

func (m *mdWriter) w(parts ...string) {
	for _, p := range parts {
		m.b.WriteString(p)
	}
}

func (m *mdWriter) t(x i18n.Text) string { return x.In(m.lang) }

func (m *mdWriter) section(s Section) {
	m.w("## ", m.t(s.Title), "\n\n")
	for _, blk := range s.Blocks {
		switch v := blk.(type) {
		case *Heading:
			m.flushNotes()
			m.w("### ", m.t(v.Text), "\n\n")
		case *Paragraph:
			if v.Note {
				m.w("> ", m.t(v.Text), "\n\n")
			} else {
				m.w(m.t(v.Text), "\n\n")
			}
		case *List:
			for _, it := range v.Items {
				m.w("- ", m.t(it), "\n")
			}
			m.w("\n")
		case *Table:
			m.table(v)
		case *Chart:
			m.chart(v)
		case *Map:
			m.mapBlock(v)
		case *StrategyDiagram:
			m.diagram(v)
		}
	}
	m.flushNotes()
}

func (m *mdWriter) flushNotes() {
	if ns := m.notes.flush(); len(ns) > 0 {
		for _, n := range ns {
			pv := m.notes.list[n-1]
			m.w("†", strconv.Itoa(n), " ", mdEsc(m.t(pv.Text())), "  \n")
		}
		m.w("\n")
	}
}

func (m *mdWriter) cell(c Cell, markCell bool) string {
	if c.Value == nil {
		return mdEsc(m.t(c.Text))
	}
	s := format.Number(*c.Value, c.Decimals)
	if !c.Prov.Derived() {
		return s
	}
	if markCell {
		if n := m.notes.mark(c.Prov); n > 0 {
			return "*" + s + "*†" + strconv.Itoa(n)
		}
	}
	return "*" + s + "*"
}

func (m *mdWriter) grid(header []string, rows [][]string, numeric []bool) {
	m.w("|")
	for _, h := range header {
		m.w(" ", mdEsc(h), " |")
	}
	m.w("\n|")
	for i := range header {
		if i < len(numeric) && numeric[i] {
			m.w("---:|")
		} else {
			m.w("---|")
		}
	}
	m.w("\n")
	for _, r := range rows {
		m.w("|")
		for _, c := range r {
			m.w(" ", c, " |")
		}
		m.w("\n")
	}
	m.w("\n")
}

func (m *mdWriter) table(t *Table) {
	if t.DataOnly {
		return
	}
	m.w("**", m.t(t.Caption), "**\n\n")
	header := make([]string, len(t.Columns))
	numeric := make([]bool, len(t.Columns))
	marks := columnMarks(t)
	for i, c := range t.Columns {
		header[i] = m.t(c.Label)
		if u := m.t(c.Unit); u != "" {
			header[i] += " (" + u + ")"
		}
		if marks[i] == markHeader {
			for _, p := range headerProvs(t, i) {
				header[i] += " †" + strconv.Itoa(m.notes.mark(p))
			}
		}
	}
	var rows [][]string
	for _, row := range t.Rows {
		var cells []string
		for i, c := range row {
			if c.Value != nil && i < len(numeric) {
				numeric[i] = true
			}
			cells = append(cells, m.cell(c, i < len(marks) && marks[i] == markCells))
		}
		rows = append(rows, cells)
	}
	m.grid(header, rows, numeric)
	if src := m.t(tableSource(t)); src != "" {
		m.w(m.t(i18n.T("数据来源：", "Source: ")), mdEsc(src), "  \n")
	}
	for _, n := range t.Notes {
		m.w(m.t(n), "  \n")
	}
	m.w("\n")
}

// chart writes a chart's data as a plain table.
func (m *mdWriter) chart(c *Chart) {
	if c.Table != "" {
		m.w("*", m.t(c.Caption), "* ", m.t(i18n.T("（图见网页版或文档版报告，数据见上表）", "(the chart is in the HTML and Word reports; its data are in the table above)")), "\n\n")
		return
	}
	m.w("**", m.t(c.Caption), "** ", m.t(i18n.T("（图的数据；图见网页版或文档版报告）", "(the chart's data; the chart is in the HTML and Word reports)")), "\n\n")
	head, labels := c.rowLabels()
	header := []string{mdEsc(m.t(head))}
	for _, s := range c.Series {
		header = append(header, m.t(s.Name))
	}
	numeric := make([]bool, len(header))
	for i := range numeric {
		numeric[i] = i > 0 || len(c.Categories) == 0
	}
	var rows [][]string
	for i, cat := range labels {
		row := []string{mdEsc(m.t(cat))}
		for _, s := range c.Series {
			cell := Cell{Text: i18n.T("—", "—")}
			if i < len(s.Points) && s.Points[i].Value != nil {
				cell = Cell{Value: s.Points[i].Value, Decimals: c.Decimals, Prov: s.Points[i].Prov}
			}
			row = append(row, m.cell(cell, false))
		}
		rows = append(rows, row)
	}
	m.grid(header, rows, numeric)
}

func (m *mdWriter) mapBlock(mp *Map) {
	if mp.Kind == MapClusters {
		m.w("*", m.t(mp.Caption), "* ", m.t(i18n.T("（地图见网页版或文档版报告，各类地区见下表）", "(the map is in the HTML and Word reports; the regions of each class are in the table below)")), "\n\n")
		return
	}
	m.w("**", m.t(mp.Caption), "**\n\n")
	var rows [][]string
	for _, g := range mp.Groups {
		rows = append(rows, []string{mdEsc(m.t(g.Name)), strconv.Itoa(len(g.Points)), mdEsc(g.memberList(m.lang))})
	}
	m.grid([]string{m.t(i18n.T("城市群", "Agglomeration")), m.t(i18n.T("成员数", "Members")), m.t(i18n.T("成员城市", "Member cities"))}, rows, []bool{false, true, false})
	m.w(m.t(mp.Note), " ", m.t(i18n.T("* 部分区域属于该城市群。", "* only part of the unit belongs to the agglomeration.")), "\n\n")
}

func (m *mdWriter) diagram(d *StrategyDiagram) {
	m.w("**", m.t(d.Caption), "**\n\n")
	m.w(m.t(d.Centre), "\n\n")
	axes := []struct {
		code  string
		label i18n.Text
	}{{"stage", i18n.T("发展阶段", "Development stage")}, {"environment", i18n.T("国内国际环境", "Domestic and international environment")}}
	for _, a := range axes {
		m.w("- ", m.t(a.label), "\n")
		for _, mo := range d.Modes {
			if mo.Axis != a.code {
				continue
			}
			m.w("  - ", m.t(mo.Condition), " → **", m.t(mo.Name), "**")
			if len(mo.Placed) > 0 {
				m.w(" (", m.t(i18n.T("agglo 基准情景：", "agglo baseline: ")), joinNames(mo.Placed, m.lang), ")")
			}
			if len(mo.Assigned) > 0 {
				m.w(" (", m.t(i18n.T("第四节：", "section IV: ")), joinNames(mo.Assigned, m.lang), ")")
			}
			m.w("\n")
		}
	}
	m.w("\n", m.t(d.Source), "\n\n")
}
