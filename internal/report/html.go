package report

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"strconv"
	"strings"

	"agglo/internal/assets"
	"agglo/internal/format"
	"agglo/internal/i18n"
)

//go:embed web/report.css
var reportCSS string

//go:embed web/report.js
var reportJS string

// htmlWriter renders a report as one HTML page.
type htmlWriter struct {
	b     strings.Builder
	lang  string
	notes footnotes
	// charts and maps are the specifications the page's script draws.
	charts []any
}

func esc(s string) string { return html.EscapeString(s) }

// bi writes a text in both languages; CSS shows the current one.
func (h *htmlWriter) bi(t i18n.Text) string {
	if t.ZH == t.EN || t.EN == "" || t.ZH == "" {
		return esc(t.In(h.lang))
	}
	return `<span class="zh" lang="zh">` + esc(t.ZH) + `</span><span class="en" lang="en">` + esc(t.EN) + `</span>`
}

// titled returns title and data attributes giving a text in both languages,
// switched by the page's script.
func (h *htmlWriter) titled(t i18n.Text) string {
	return fmt.Sprintf(` title="%s" data-tzh="%s" data-ten="%s"`, esc(t.In(h.lang)), esc(t.In(i18n.ZH)), esc(t.In(i18n.EN)))
}

// datasetName names the dataset: the embedded data in words, a user's file
// by its name.
func datasetName(name string) i18n.Text {
	if name == "" || strings.HasPrefix(name, "agglo embedded") {
		return i18n.T("agglo 内置数据（论文2019年数据）", "agglo's built-in data (the paper's 2019 data)")
	}
	return i18n.T(name, name)
}

// WriteHTML writes the report as a self-contained HTML page: styles,
// scripts, the ECharts library, the map and the data are all inline, so the
// page opens offline and makes no network request.
func (r *Report) WriteHTML(w io.Writer) error {
	h := &htmlWriter{lang: r.Lang}
	h.page(r)
	_, err := io.WriteString(w, h.b.String())
	return err
}

func (h *htmlWriter) w(parts ...string) {
	for _, p := range parts {
		h.b.WriteString(p)
	}
}

func (h *htmlWriter) page(r *Report) {
	h.w(`<!DOCTYPE html>
<html lang="`, esc(r.Lang), `" data-lang="`, esc(r.Lang), `">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">
<title>`, esc(r.Title.In(r.Lang)), `</title>
<style>`, reportCSS, `</style>
</head>
<body>
<header class="top">
<div class="bar"><span class="brand">agglo</span>
<button type="button" id="lang-switch" class="lang-switch" aria-label="切换语言 / switch language"><span class="zh" translate="no">English</span><span class="en" translate="no" lang="zh">中文</span></button></div>
<h1>`, h.bi(r.Title), `</h1>
<p class="subtitle">`, h.bi(r.Subtitle), `</p>
<p class="meta">`, h.bi(i18n.T("数据：", "Data: ")), `<span translate="no">`, h.bi(datasetName(r.Dataset)), `</span>`)
	if len(r.Claims) > 0 {
		h.w(` · `, h.bi(verdictShort(r.Verdict)))
	}
	h.w(`</p>
<p class="legend-note">`, h.bi(i18n.T("悬停在数字上可看到其来源；斜体数字由 agglo 推算，†号指向说明推算方法的脚注。", "Hover over a number to see its source; italic numbers are derived by agglo, and † points to the footnote that says how.")), `</p>
<nav class="toc"><ol>`)
	for _, s := range r.Sections {
		h.w(`<li><a href="#`, esc(s.ID), `">`, h.bi(s.Title), `</a>`)
		var subs []*Heading
		for _, b := range s.Blocks {
			if hd, ok := b.(*Heading); ok {
				subs = append(subs, hd)
			}
		}
		if len(subs) > 0 {
			h.w(`<ol class="sub">`)
			for _, hd := range subs {
				h.w(`<li><a href="#`, esc(hd.ID), `">`, h.bi(hd.Text), `</a></li>`)
			}
			h.w(`</ol>`)
		}
		h.w(`</li>`)
	}
	h.w("</ol></nav>\n</header>\n<main>\n")
	for _, s := range r.Sections {
		h.section(s)
	}
	h.w("</main>\n")
	h.footer(r)
	h.scripts(r)
	h.w("</body>\n</html>\n")
}

func (h *htmlWriter) section(s Section) {
	cls := ""
	if s.Appendix {
		cls = ` class="appendix"`
	}
	h.w(`<section id="`, esc(s.ID), `"`, cls, `>`, "\n<h2>", h.bi(s.Title), "</h2>\n")
	inGrid := false
	for _, blk := range s.Blocks {
		radar := false
		if c, ok := blk.(*Chart); ok && c.Kind == ChartRadar {
			radar = true
		}
		if radar != inGrid {
			if radar {
				h.w(`<div class="radar-grid">`)
			} else {
				h.w("</div>\n")
			}
			inGrid = radar
		}
		switch v := blk.(type) {
		case *Heading:
			h.flushNotes()
			h.w(`<h3 id="`, esc(v.ID), `">`, h.bi(v.Text), "</h3>\n")
		case *Paragraph:
			cls := ""
			switch {
			case v.Note:
				cls = ` class="note"`
			case v.Interprets != "":
				cls = ` class="interp" data-for="` + esc(v.Interprets) + `"`
			}
			h.w("<p", cls, ">", h.bi(v.Text), "</p>\n")
		case *List:
			h.w("<ul>")
			for _, it := range v.Items {
				h.w("<li>", h.bi(it), "</li>")
			}
			h.w("</ul>\n")
		case *Table:
			h.table(v)
		case *Chart:
			h.chart(v)
		case *Map:
			h.mapBlock(v)
		case *StrategyDiagram:
			h.diagram(v)
		}
	}
	if inGrid {
		h.w("</div>\n")
	}
	h.flushNotes()
	h.w("</section>\n")
}

// flushNotes writes the footnotes first met since the last flush.
func (h *htmlWriter) flushNotes() {
	if ns := h.notes.flush(); len(ns) > 0 {
		h.w(`<ol class="footnotes">`)
		for _, n := range ns {
			p := h.notes.list[n-1]
			h.w(`<li id="fn`, strconv.Itoa(n), `" value="`, strconv.Itoa(n), `">† `, h.bi(p.Text()), "</li>")
		}
		h.w("</ol>\n")
	}
}

func (h *htmlWriter) cell(c Cell, tag string, markCell bool) {
	cls := []string{}
	if c.Class != "" {
		cls = append(cls, "st-"+c.Class)
	}
	if c.Value == nil {
		attr := ""
		if c.Prov != nil && c.Prov.Kind == "missing" {
			cls = append(cls, "missing")
			attr = h.titled(i18n.T("论文未给出此数值", "not printed in the paper"))
		}
		h.w("<", tag, classAttr(cls), attr, ">", h.bi(c.Text), "</", tag, ">")
		return
	}
	cls = append(cls, "num")
	style := ""
	if c.Shade != "" {
		style = ` style="background:` + esc(c.Shade) + `"`
	}
	mark := 0
	if markCell {
		mark = h.notes.mark(c.Prov)
	}
	if c.Prov.Derived() {
		cls = append(cls, "derived")
	}
	h.w("<", tag, classAttr(cls), style, h.titled(c.Prov.Text()), ">", esc(format.Number(*c.Value, c.Decimals)))
	if mark > 0 {
		n := strconv.Itoa(mark)
		h.w(`<sup><a href="#fn`, n, `">†`, n, `</a></sup>`)
	}
	h.w("</", tag, ">")
}

func classAttr(cls []string) string {
	if len(cls) == 0 {
		return ""
	}
	return ` class="` + strings.Join(cls, " ") + `"`
}

func (h *htmlWriter) table(t *Table) {
	if t.DataOnly {
		return
	}
	h.w(`<figure class="table-wrap" id="tbl-`, esc(t.ID), `"><figcaption>`, h.bi(t.Caption), "</figcaption>\n<div class=\"scroll\"><table>\n<thead><tr>")
	numeric := make([]bool, len(t.Columns))
	for _, row := range t.Rows {
		for i, c := range row {
			if i > 0 && i < len(numeric) && c.Value != nil {
				numeric[i] = true
			}
		}
	}
	marks := columnMarks(t)
	for i, c := range t.Columns {
		if numeric[i] {
			h.w(`<th class="num">`, h.bi(c.Label))
		} else {
			h.w("<th>", h.bi(c.Label))
		}
		if marks[i] == markHeader {
			for _, p := range headerProvs(t, i) {
				n := strconv.Itoa(h.notes.mark(p))
				h.w(`<sup class="derived"><a href="#fn`, n, `">†`, n, `</a></sup>`)
			}
		}
		if c.Unit.ZH != "" || c.Unit.EN != "" {
			h.w(`<br><span class="unit">`, h.bi(c.Unit), "</span>")
		}
		h.w("</th>")
	}
	h.w("</tr></thead>\n<tbody>\n")
	for _, row := range t.Rows {
		h.w("<tr>")
		for i, c := range row {
			tag := "td"
			if i == 0 {
				tag = "th"
			}
			h.cell(c, tag, i < len(marks) && marks[i] == markCells)
		}
		h.w("</tr>\n")
	}
	h.w("</tbody></table></div>\n")
	var notes []string
	if src := tableSource(t); src.ZH != "" || src.EN != "" {
		notes = append(notes, h.bi(i18n.T("数据来源：", "Source: "))+`<span class="src">`+h.bi(src)+"</span>")
	}
	for _, n := range t.Notes {
		notes = append(notes, h.bi(n))
	}
	for _, n := range notes {
		h.w(`<p class="table-note">`, n, "</p>\n")
	}
	h.w("</figure>\n")
}

// chartSpec is what the page's script needs to draw a chart.
type chartSpec struct {
	Type  string `json:"type"`
	ID    string `json:"id"`
	Chart any    `json:"chart"`
	// Mixed marks a chart whose derived values are drawn apart.
	Mixed bool `json:"mixed,omitempty"`
}

func (h *htmlWriter) chart(c *Chart) {
	cls, wrap := "chart", "chart-wrap"
	if c.Kind == ChartRadar {
		cls += " radar"
		wrap += " radar-wrap"
	}
	style := ""
	if c.Horizontal {
		// Enough height for every category label.
		style = fmt.Sprintf(` style="height:%dpx"`, max(260, 90+len(c.Categories)*chartRowHeight(c)))
	}
	h.w(`<figure class="`, wrap, `"><figcaption>`, h.bi(c.Caption), "</figcaption>\n", `<div class="`, cls, `" id="`, esc(c.ID), `" role="img"`, style, `></div>`, "\n")
	if c.Note.ZH != "" || c.Note.EN != "" {
		h.w(`<p class="table-note">`, h.bi(c.Note), "</p>\n")
	}
	h.w("</figure>\n")
	mixed := chartMixed(c)
	if mixed && c.Table == "" {
		for _, s := range c.Series {
			for _, p := range s.Points {
				h.notes.mark(p.Prov)
			}
		}
	}
	h.charts = append(h.charts, chartSpec{Type: "chart", ID: c.ID, Chart: c, Mixed: mixed})
}

func (h *htmlWriter) mapBlock(m *Map) {
	if m.Kind == MapClusters {
		// The units of each class are listed in the map's table.
		h.w(`<figure class="chart-wrap"><figcaption>`, h.bi(m.Caption), "</figcaption>\n", `<div class="chart map" id="`, esc(m.ID), `" role="img"></div>`, "\n",
			`<p class="table-note">`, h.bi(m.Note), "</p>\n</figure>\n")
		h.charts = append(h.charts, chartSpec{Type: "map", ID: m.ID, Chart: m})
		return
	}
	h.w(`<figure class="chart-wrap"><figcaption>`, h.bi(m.Caption), "</figcaption>\n", `<div class="chart map" id="`, esc(m.ID), `" role="img"></div>`, "\n",
		`<p class="table-note">`, h.bi(m.Note), "</p>\n")
	h.w(`<details><summary>`, h.bi(i18n.T("成员城市列表", "List of member cities")), "</summary><ul class=\"members\">")
	for _, g := range m.Groups {
		n := strconv.Itoa(len(g.Points))
		h.w(`<li><b style="color:`, esc(g.Color), `">`, h.bi(g.Name), "</b>", h.bi(i18n.T("（"+n+"）：", " ("+n+"): ")))
		for i, p := range g.Points {
			if i > 0 {
				h.w(h.bi(i18n.T("、", ", ")))
			}
			h.w(h.bi(p.Name))
			if p.Partial {
				h.w("*")
			}
		}
		h.w("</li>")
	}
	h.w("</ul><p class=\"table-note\">", h.bi(i18n.T("* 部分区域属于该城市群。", "* only part of the unit belongs to the agglomeration.")), "</p></details>\n</figure>\n")
	h.charts = append(h.charts, chartSpec{Type: "map", ID: m.ID, Chart: m})
}

func (h *htmlWriter) diagram(d *StrategyDiagram) {
	box := func(m Mode, pos string) {
		h.w(`<div class="mode `, pos, `" data-mode="`, esc(m.Code), `"><div class="cond">`, h.bi(m.Condition), `</div><div class="name">`, h.bi(m.Name), "</div>")
		if len(m.Assigned) > 0 {
			h.w(`<div class="who">`, h.bi(i18n.T("第四节：", "Section IV: ")), h.bi(i18n.T(joinNames(m.Assigned, i18n.ZH), joinNames(m.Assigned, i18n.EN))), "</div>")
		}
		if len(m.Placed) > 0 {
			h.w(`<div class="who placed">`, h.bi(i18n.T("agglo（基准情景）：", "agglo (baseline): ")), h.bi(i18n.T(joinNames(m.Placed, i18n.ZH), joinNames(m.Placed, i18n.EN))), "</div>")
		}
		h.w("</div>")
	}
	byCode := map[string]Mode{}
	for _, m := range d.Modes {
		byCode[m.Code] = m
	}
	h.w(`<figure class="diagram-wrap" id="`, esc(d.ID), `"><figcaption>`, h.bi(d.Caption), "</figcaption>\n<div class=\"diagram\">",
		`<svg class="axes" viewBox="0 0 100 100" preserveAspectRatio="none" aria-hidden="true">`,
		`<defs><marker id="arr" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="5" markerHeight="5" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#5b6b7b"/></marker></defs>`,
		`<line x1="3" y1="50" x2="97" y2="50" marker-end="url(#arr)"/><line x1="50" y1="3" x2="50" y2="97" marker-start="url(#arr)" marker-end="url(#arr)"/></svg>`)
	h.w(`<div class="axis-label stage">`, h.bi(i18n.T("发展阶段：初期 → 中后期", "Development stage: early → middle/late")), "</div>")
	h.w(`<div class="axis-label env">`, h.bi(i18n.T("国内国际环境", "Domestic and international environment")), "</div>")
	box(byCode["internal_creation"], "top")
	box(byCode["core_led"], "left")
	h.w(`<div class="centre">`, h.bi(d.Centre), "</div>")
	box(byCode["multi_point"], "right")
	box(byCode["external_cooperation"], "bottom")
	h.w("</div>\n", `<p class="table-note">`, h.bi(i18n.T("按论文第四节绘制：横轴为发展阶段（初期宜核心引领，中后期宜多点并行），纵轴为国内国际环境（国内稳定、国外动荡宜内部创造；国内资源有限、国外稳定宜外部合作）。",
		"Drawn from the paper's section IV: the horizontal axis is the development stage (core-led early, multi-point parallel in the middle and late stages); the vertical axis is the environment (internal creation when the domestic environment is stable and the international one turbulent; external cooperation when domestic resources are limited and the international environment stable).")),
		" ", h.bi(d.Source), "</p>\n</figure>\n")
}

func (h *htmlWriter) footer(r *Report) {
	h.w(`<footer><h2>`, h.bi(i18n.T("许可", "Licences")), "</h2>\n<ul>")
	for _, l := range r.Licences {
		h.w(`<li><b translate="no">`, esc(l.Component), " ", esc(l.Version), "</b> — ", esc(l.Licence), ". ", h.bi(l.Note), "</li>")
	}
	h.w("</ul>\n<p class=\"table-note\">", h.bi(i18n.T("本页完全自包含，可离线打开与打印。", "This page is self-contained: it opens offline and prints.")), "</p></footer>\n")
}

// scriptSafe makes JSON or JavaScript safe inside a <script> element.
func scriptSafe(b []byte) []byte {
	return bytes.ReplaceAll(b, []byte("</script"), []byte(`<\/script`))
}

func (h *htmlWriter) scripts(r *Report) {
	data, err := json.Marshal(struct {
		Lang   string `json:"lang"`
		Charts []any  `json:"charts"`
	}{r.Lang, h.charts})
	if err != nil {
		data = []byte(`{"charts":[]}`)
	}
	var mapJSON bytes.Buffer
	json.HTMLEscape(&mapJSON, assets.ChinaMapJSON())
	h.w(`<script type="application/json" id="agglo-data">`, string(data), "</script>\n")
	h.w(`<script type="application/json" id="china-map">`, mapJSON.String(), "</script>\n")
	h.w("<script>", string(scriptSafe(assets.EChartsJS())), "</script>\n")
	h.w("<script>", reportJS, "</script>\n")
}

// chartRowHeight is the height in pixels a horizontal chart gives each
// category: room for two lines of label and up to two bars.
func chartRowHeight(c *Chart) int {
	if c.Kind == ChartRange || len(c.Series) <= 1 {
		return 36
	}
	return 24 * min(len(c.Series), 3)
}
