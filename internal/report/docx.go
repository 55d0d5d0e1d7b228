package report

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/gomutex/godocx"
	"github.com/gomutex/godocx/common/units"
	"github.com/gomutex/godocx/docx"
	"github.com/gomutex/godocx/wml/ctypes"
	"github.com/gomutex/godocx/wml/stypes"

	"agglo/internal/format"
	"agglo/internal/i18n"
)

// docxWriter renders a report as a Word document in one language, with
// github.com/gomutex/godocx (MIT): real headings (Heading 1 for parts,
// Heading 2 for subsections), real tables with a header row, the bar and
// rank-interval charts as PNG images drawn in Go (chartpng.go), and the
// footnotes of derived values after each part.
type docxWriter struct {
	doc   *docx.RootDoc
	lang  string
	notes footnotes
	fonts chartFonts
	// tmp holds the chart images while the document is built (godocx
	// reads pictures from files).
	tmp    string
	images int
	// skipped counts charts that could not be drawn (no CJK font).
	skipped int
}

func (d *docxWriter) t(x i18n.Text) string { return x.In(d.lang) }

// WriteDOCX writes the report in r.Lang as a Word document (A4, portrait).
func (r *Report) WriteDOCX(w io.Writer) error {
	doc, err := godocx.NewDocument()
	if err != nil {
		return fmt.Errorf("report: new Word document: %w", err)
	}
	tmp, err := os.MkdirTemp("", "agglo-docx-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	fs, err := loadFonts()
	if err != nil {
		return err
	}
	d := &docxWriter{doc: doc, lang: r.Lang, tmp: tmp, fonts: fs}
	d.page()
	d.header(r)
	for _, s := range r.Sections {
		if err := d.section(s); err != nil {
			return err
		}
	}
	d.heading(i18n.T("许可", "Licences"), 1)
	for _, l := range r.Licences {
		d.para(i18n.T(l.Component+" "+l.Version+" — "+l.Licence+"。"+l.Note.ZH, l.Component+" "+l.Version+" — "+l.Licence+". "+l.Note.EN), "")
	}
	if d.skipped > 0 {
		d.para(i18n.Tf("本机没有中文字体，%d 幅图未能绘制，其数值见相应的表。", "No Chinese font on this computer: %d charts could not be drawn; their numbers are in the tables.", d.skipped), "Quote")
	}
	if _, err := doc.WriteTo(w); err != nil {
		return fmt.Errorf("report: write Word document: %w", err)
	}
	return nil
}

// page sets an A4 page with 2 cm margins.
func (d *docxWriter) page() {
	w, h := uint64(11906), uint64(16838)
	m := 1134
	hm := 567
	d.doc.Document.Body.SectPr = &ctypes.SectionProp{
		PageSize:   &ctypes.PageSize{Width: &w, Height: &h},
		PageMargin: &ctypes.PageMargin{Left: &m, Right: &m, Top: &m, Bottom: &m, Header: &hm, Footer: &hm},
	}
}

func (d *docxWriter) heading(t i18n.Text, level uint) {
	_, _ = d.doc.AddHeading(d.t(t), level)
}

// para adds a paragraph in a style ("" for the normal one).
func (d *docxWriter) para(t i18n.Text, style string) *docx.Paragraph {
	p := d.doc.AddParagraph(d.t(t))
	if style != "" {
		p.Style(style)
	}
	return p
}

// small adds a note in small grey type.
func (d *docxWriter) small(text string) {
	p := d.doc.AddEmptyParagraph()
	p.AddText(text).Size(9).Color("5B6B7B")
}

func (d *docxWriter) header(r *Report) {
	d.heading(r.Title, 0)
	d.para(r.Subtitle, "Subtitle")
	meta := d.t(i18n.T("数据：", "Data: ")) + d.t(datasetName(r.Dataset))
	if len(r.Claims) > 0 {
		meta += " · " + d.t(verdictShort(r.Verdict))
	}
	d.small(meta)
	d.small(d.t(i18n.T("斜体数字由 agglo 推算，†号指向说明推算方法的脚注；每张表注明数据来源。", "Italic numbers are derived by agglo and † points to the footnote that says how; every table names its source.")))
	d.heading(i18n.T("目录", "Contents"), 1)
	for _, s := range r.Sections {
		d.para(s.Title, "ListParagraph")
	}
}

func (d *docxWriter) section(s Section) error {
	if s.Appendix || s.ID != "summary" {
		d.doc.AddPageBreak()
	}
	d.heading(s.Title, 1)
	for _, blk := range s.Blocks {
		switch v := blk.(type) {
		case *Heading:
			d.flushNotes()
			d.heading(v.Text, 2)
		case *Paragraph:
			switch {
			case v.Note:
				d.para(v.Text, "Quote")
			default:
				d.para(v.Text, "")
			}
		case *List:
			for _, it := range v.Items {
				d.para(it, "ListBullet")
			}
		case *Table:
			d.table(v)
		case *Chart:
			if err := d.chart(v); err != nil {
				return err
			}
		case *Map:
			if err := d.mapBlock(v); err != nil {
				return err
			}
		case *StrategyDiagram:
			d.diagram(v)
		}
	}
	d.flushNotes()
	return nil
}

func (d *docxWriter) flushNotes() {
	for _, n := range d.notes.flush() {
		d.small("†" + strconv.Itoa(n) + " " + d.t(d.notes.list[n-1].Text()))
	}
}

// cellText writes a table cell: right-aligned numbers, derived ones in
// italics with their mark.
func (d *docxWriter) cellText(cell *docx.Cell, c Cell, markCell bool, header bool) {
	if c.Shade != "" {
		cell.BackgroundColor(strings.TrimPrefix(c.Shade, "#"))
	}
	p := cell.AddEmptyPara()
	if c.Value == nil {
		run := p.AddText(d.t(c.Text))
		run.Size(9)
		if header {
			run.Bold(true)
		}
		switch c.Class {
		case "match":
			run.Color("1D7A3A").Bold(true)
		case "mismatch":
			run.Color("B0302A").Bold(true)
		case "mixed", "uncertain":
			run.Color("8A5A00")
		case "constraint", "not-assessable", "not-checkable":
			run.Color("6B7280")
		}
		return
	}
	p.Justification(stypes.JustificationRight)
	run := p.AddText(format.Number(*c.Value, c.Decimals)).Size(9)
	if c.Prov.Derived() {
		run.Italic(true).Color("7A4F00")
		if markCell {
			if n := d.notes.mark(c.Prov); n > 0 {
				p.AddText("†" + strconv.Itoa(n)).Size(7).Color("7A4F00")
			}
		}
	}
}

func (d *docxWriter) table(t *Table) {
	if t.DataOnly {
		return
	}
	d.para(t.Caption, "Caption")
	tbl := d.doc.AddTable()
	tbl.Style("TableGrid")
	tbl.Width(5000, stypes.TableWidthPct)
	marks := columnMarks(t)
	hr := tbl.AddRow()
	for i, c := range t.Columns {
		cell := hr.AddCell()
		cell.BackgroundColor("F4F6F9")
		label := d.t(c.Label)
		if u := d.t(c.Unit); u != "" {
			label += " (" + u + ")"
		}
		if marks[i] == markHeader {
			for _, p := range headerProvs(t, i) {
				label += " †" + strconv.Itoa(d.notes.mark(p))
			}
		}
		d.cellText(cell, Cell{Text: i18n.T(label, label)}, false, true)
	}
	for _, row := range t.Rows {
		r := tbl.AddRow()
		for i, c := range row {
			d.cellText(r.AddCell(), c, i < len(marks) && marks[i] == markCells, i == 0)
		}
	}
	if src := d.t(tableSource(t)); src != "" {
		d.small(d.t(i18n.T("数据来源：", "Source: ")) + src)
	}
	for _, n := range t.Notes {
		d.small(d.t(n))
	}
}

// chart inserts a chart as an image 16 cm wide; a radar chart, whose
// numbers are in a table, is left out.
func (d *docxWriter) chart(c *Chart) error {
	var img []byte
	var h int
	var err error
	switch c.Kind {
	case ChartBar, ChartRange:
		img, h, err = d.fonts.chartPNG(c, d.lang)
	case ChartLine:
		img, h, err = d.fonts.linePNG(c, d.lang)
	default:
		return nil
	}
	if errors.Is(err, errNoCJKFont) {
		d.skipped++
		return nil
	}
	if err != nil {
		return err
	}
	if err := d.picture(c.ID, c.Caption, img, h); err != nil {
		return err
	}
	if c.Note.ZH != "" || c.Note.EN != "" {
		d.small(d.t(c.Note))
	}
	return nil
}

// picture inserts a PNG image of height h (pixels of chartPNGWidth) 16 cm
// wide under its caption.
func (d *docxWriter) picture(id string, caption i18n.Text, img []byte, h int) error {
	d.images++
	path := filepath.Join(d.tmp, fmt.Sprintf("chart%d.png", d.images))
	if err := os.WriteFile(path, img, 0o600); err != nil {
		return err
	}
	d.para(caption, "Caption")
	width := 6.3
	if _, err := d.doc.AddPicture(path, units.Inch(width), units.Inch(width*float64(h)/chartPNGWidth)); err != nil {
		return fmt.Errorf("report: chart %s: %w", id, err)
	}
	return nil
}

// mapBlock inserts a cluster map as an image drawn in Go (its units are
// listed in the table that follows it), and the member map as a table of
// the members.
func (d *docxWriter) mapBlock(m *Map) error {
	if m.Kind == MapClusters {
		img, h, err := d.fonts.mapPNG(m, d.lang)
		if errors.Is(err, errNoCJKFont) {
			d.skipped++
			return nil
		}
		if err != nil {
			return err
		}
		if err := d.picture(m.ID, m.Caption, img, h); err != nil {
			return err
		}
		d.small(d.t(m.Note))
		return nil
	}
	d.memberTable(m)
	return nil
}

func (d *docxWriter) memberTable(m *Map) {
	t := &Table{ID: m.ID, Caption: m.Caption, Columns: []Column{regionColumn(), {Label: i18n.T("成员数", "Members")}, {Label: i18n.T("成员城市", "Member cities")}}}
	for _, g := range m.Groups {
		all := g.memberList(d.lang)
		t.Rows = append(t.Rows, []Cell{{Text: g.Name}, {Text: i18n.T(strconv.Itoa(len(g.Points)), strconv.Itoa(len(g.Points)))}, {Text: i18n.T(all, all)}})
	}
	t.Notes = []i18n.Text{i18n.T("* 部分区域属于该城市群。", "* only part of the unit belongs to the agglomeration.")}
	d.table(t)
}

func (d *docxWriter) diagram(g *StrategyDiagram) {
	d.para(g.Caption, "Caption")
	d.para(g.Centre, "")
	for _, m := range g.Modes {
		line := i18n.T(m.Condition.ZH+" → "+m.Name.ZH, m.Condition.EN+" → "+m.Name.EN)
		if len(m.Assigned) > 0 {
			line = i18n.T(line.ZH+"（论文第四节："+joinNames(m.Assigned, i18n.ZH)+"）", line.EN+" (the paper's section IV: "+joinNames(m.Assigned, i18n.EN)+")")
		}
		if len(m.Placed) > 0 {
			line = i18n.T(line.ZH+"（agglo 基准情景："+joinNames(m.Placed, i18n.ZH)+"）", line.EN+" (agglo, baseline scenario: "+joinNames(m.Placed, i18n.EN)+")")
		}
		d.para(line, "ListBullet")
	}
	d.small(d.t(g.Source))
}
