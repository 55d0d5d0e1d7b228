// Package report builds agglo's report of the paper's analysis and renders
// it as a self-contained HTML page (inline ECharts, bilingual with a
// language switch), as Markdown or as JSON.
//
// A report is a list of sections; a section is a self-contained list of
// blocks (paragraphs, tables, charts, a map, a diagram). The paper's
// sections are built from a dataset by Build; later capabilities (measures,
// composite index, diagnosis, strategy) contribute their own sections
// through Input.Extra, built from the same block types.
package report

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"strconv"

	"agglo/internal/analysis"
	"agglo/internal/dataset"
	"agglo/internal/format"
	"agglo/internal/i18n"
	"agglo/internal/replicate"
)

// Input is what a report is built from.
type Input struct {
	// Data is the dataset analysed (analysis.PaperData() for the paper's
	// data).
	Data *dataset.Dataset
	// Lang is the language shown first ("zh" or "en"); HTML carries both.
	Lang string
	// Analyses are the results the report shows; nil runs them with
	// analysis.Report and Request (whose Lang is set from Lang).
	Analyses *analysis.ReportInputs
	Request  analysis.ReportRequest
	// Extra are sections provided by other packages; they are placed after
	// the paper's sections and before the replication section.
	Extra []Section
}

// Report is a built report, ready to render.
type Report struct {
	Title    i18n.Text         `json:"title"`
	Subtitle i18n.Text         `json:"subtitle"`
	Lang     string            `json:"lang"`
	Dataset  string            `json:"dataset"`
	Sections []Section         `json:"sections"`
	Verdict  replicate.Verdict `json:"verdict"`
	Claims   []replicate.Claim `json:"claims"`
	Licences []Licence         `json:"licences"`
}

// Licence names a third-party component embedded in the HTML output.
type Licence struct {
	Component string    `json:"component"`
	Version   string    `json:"version"`
	Licence   string    `json:"licence"`
	Note      i18n.Text `json:"note"`
}

// Section is one self-contained part of the report.
type Section struct {
	ID     string    `json:"id"`
	Title  i18n.Text `json:"title"`
	Blocks []Block   `json:"blocks"`
	// Appendix numbers the section as an appendix (附录A, Appendix A).
	Appendix bool `json:"appendix,omitempty"`
}

// Block is one element of a section: *Heading, *Paragraph, *Table,
// *Chart, *Map, *StrategyDiagram or *List.
type Block interface {
	kind() string
}

// Heading opens a subsection (one agglomeration's profile, one of the
// paper's tables).
type Heading struct {
	ID   string    `json:"id"`
	Text i18n.Text `json:"text"`
}

// Paragraph is a piece of running text.
type Paragraph struct {
	Text i18n.Text `json:"text"`
	// Note marks a remark set apart from the text (a caveat, a data gap).
	Note bool `json:"note,omitempty"`
	// Interprets is the ID of the table or chart whose numbers the
	// paragraph reads out; every number it states is shown there.
	Interprets string `json:"interprets,omitempty"`
}

// List is a bulleted list.
type List struct {
	Items []i18n.Text `json:"items"`
}

// Prov is the provenance of a number shown in the report.
type Prov struct {
	Kind string `json:"kind"` // published, derived, imported, computed
	// Label says in words how a derived value was obtained; footnotes show
	// it, the formula stays in the data.
	Label   i18n.Text `json:"label,omitzero"`
	Ref     string    `json:"ref,omitempty"`
	Formula string    `json:"formula,omitempty"`
	Inputs  []string  `json:"inputs,omitempty"`
	Note    string    `json:"note,omitempty"`
	// File and Row locate the value in the file it was read from.
	File string `json:"file,omitempty"`
	Row  int    `json:"row,omitempty"`
}

// Derived reports whether the number was computed rather than printed in a
// source; derived numbers are marked in every output.
func (p *Prov) Derived() bool {
	return p != nil && (p.Kind == string(dataset.Derived) || p.Kind == "computed")
}

// Text says in both languages where a number comes from: its published
// source, its file, or how agglo derived it.
func (p *Prov) Text() i18n.Text {
	if p == nil {
		return i18n.Text{}
	}
	var t i18n.Text
	switch p.Kind {
	case string(dataset.Published):
		src := sourceText(p.Ref)
		t = i18n.T("来源："+src.ZH, "source: "+src.EN)
	case string(dataset.Imported):
		t = i18n.T("导入自 "+p.Ref, "imported from "+p.Ref)
	case "missing":
		return i18n.T("数据中没有此数值", "not in the data")
	default:
		switch {
		case p.Label.ZH != "" || p.Label.EN != "":
			t = i18n.T("agglo 推算："+p.Label.ZH, "derived by agglo: "+p.Label.EN)
		case p.Formula != "":
			// A formula from the analysis packages is notation and English
			// prose: the data (JSON) keep it, the text names where it is.
			t = i18n.T("agglo 推算（公式见报告的数据导出）", "derived by agglo (formula in agglo report --format json)")
			if !cjk.MatchString(p.Formula) {
				t.EN = "derived by agglo: " + p.Formula
			}
		default:
			t = i18n.T("agglo 推算", "derived by agglo")
		}
	}
	if p.File != "" && p.Row > 0 && p.Kind == string(dataset.Imported) {
		loc := fmt.Sprintf(" (%s:%d)", p.File, p.Row)
		t = i18n.T(t.ZH+loc, t.EN+loc)
	}
	return t
}

// cjk finds Chinese characters and punctuation.
var cjk = regexp.MustCompile(`[\p{Han}\x{3000}-\x{303F}\x{FF00}-\x{FFEF}]`)

// Cell is one table cell: a text, or a number with its provenance.
type Cell struct {
	Text     i18n.Text `json:"text,omitzero"`
	Value    *float64  `json:"value,omitempty"`
	Decimals int       `json:"decimals,omitempty"`
	Prov     *Prov     `json:"prov,omitempty"`
	// Class styles the cell: "match", "mismatch", "published-only",
	// "not-checkable" for replication statuses, "group" for a group label.
	Class string `json:"class,omitempty"`
	// Shade is the background colour (#rrggbb) of a heat-table cell.
	Shade string `json:"shade,omitempty"`
}

// Column is a table column; Unit is shown in the header.
type Column struct {
	Label i18n.Text `json:"label"`
	Unit  i18n.Text `json:"unit,omitzero"`
}

// Table is a table with units in its header.
type Table struct {
	ID      string      `json:"id"`
	Caption i18n.Text   `json:"caption"`
	Columns []Column    `json:"columns"`
	Rows    [][]Cell    `json:"rows"`
	Notes   []i18n.Text `json:"notes,omitempty"`
	// Source names where the table's numbers come from; empty, the
	// sources are collected from its cells.
	Source i18n.Text `json:"source,omitzero"`
	// DataOnly keeps a table too long to read (one row per unit of a
	// national file) for the data exports (XLSX, JSON); the page and the
	// documents leave it out.
	DataOnly bool `json:"data_only,omitempty"`
}

// Point is one value of a chart series.
type Point struct {
	Value *float64 `json:"value"`
	Prov  *Prov    `json:"prov,omitempty"`
}

// Series is one series of a chart.
type Series struct {
	Name   i18n.Text `json:"name"`
	Points []Point   `json:"points"`
}

// Chart kinds.
const (
	ChartBar   = "bar"
	ChartRadar = "radar"
	ChartLine  = "line"
)

// Chart is an ECharts chart described by its data; the HTML page turns it
// into an ECharts option in the current language.
type Chart struct {
	ID      string    `json:"id"`
	Kind    string    `json:"chart"` // ChartBar or ChartRadar
	Caption i18n.Text `json:"caption"`
	// Categories are the x-axis categories of a bar chart or the axes of a
	// radar chart.
	Categories []i18n.Text `json:"categories"`
	Series     []Series    `json:"series"`
	// Unit is the value axis' unit; all series of a chart share it.
	Unit i18n.Text `json:"unit,omitzero"`
	// Max is the radar axes' maximum (0 for automatic).
	Max float64 `json:"max,omitempty"`
	// Horizontal draws the categories down the side (long names, many
	// categories); Reference draws a line at that value (a benchmark).
	Horizontal bool     `json:"horizontal,omitempty"`
	Reference  *float64 `json:"reference,omitempty"`
	// Decimals of the values shown on the chart (the same as its table).
	Decimals int `json:"decimals"`
	// Table is the ID of a table of the report holding the same numbers.
	Table string    `json:"table,omitempty"`
	Note  i18n.Text `json:"note,omitzero"`
	// X are the numeric x values of a line chart drawn over a value axis
	// (a density's grid), in XUnit; without them a line chart runs over
	// its categories (years).
	X     []float64 `json:"x,omitempty"`
	XUnit i18n.Text `json:"x_unit,omitzero"`
	// HideValues leaves the value axis without numbers (a density's
	// height, whose scale carries no meaning of its own).
	HideValues bool `json:"hide_values,omitempty"`
}

// MapPoint is one located member of a map group.
type MapPoint struct {
	Code    string    `json:"code"`
	Name    i18n.Text `json:"name"`
	Lon     float64   `json:"lon"`
	Lat     float64   `json:"lat"`
	Partial bool      `json:"partial,omitempty"`
}

// MapGroup is an agglomeration and its members on the map.
type MapGroup struct {
	Code   string     `json:"code"`
	Name   i18n.Text  `json:"name"`
	Color  string     `json:"color"`
	Points []MapPoint `json:"points"`
}

// rowLabels names the rows of a chart's data: its categories, or on a
// value axis its x values, headed by XUnit.
func (c *Chart) rowLabels() (head i18n.Text, labels []i18n.Text) {
	if len(c.Categories) > 0 || len(c.X) == 0 {
		return i18n.Text{}, c.Categories
	}
	dec := 0
	for _, x := range c.X {
		if x != math.Trunc(x) {
			dec = format.Decimals("", c.X...)
			break
		}
	}
	labels = make([]i18n.Text, len(c.X))
	for i, x := range c.X {
		v := format.Number(x, dec)
		labels[i] = i18n.T(v, v)
	}
	return c.XUnit, labels
}

// memberList names a group's members in lang, a star marking a member
// that belongs to the agglomeration in part.
func (g MapGroup) memberList(lang string) string {
	names := make([]i18n.Text, len(g.Points))
	for i, p := range g.Points {
		names[i] = p.Name
		if p.Partial {
			names[i] = i18n.T(p.Name.ZH+"*", p.Name.EN+"*")
		}
	}
	return joinNames(names, lang)
}

// MapClusters is the kind of a map that classifies units (LISA cluster
// types, hot and cold spots).
const MapClusters = "clusters"

// Map is a map of China with highlighted member cities, or with units
// coloured by class (Kind MapClusters: each group is a class).
type Map struct {
	ID      string     `json:"id"`
	Caption i18n.Text  `json:"caption"`
	Groups  []MapGroup `json:"groups"`
	Note    i18n.Text  `json:"note"`
	Kind    string     `json:"kind,omitempty"`
	// Regions colours provinces (the points' codes) rather than drawing
	// points.
	Regions bool `json:"regions,omitempty"`
	// Table is the ID of the table listing the units of each class.
	Table string `json:"table,omitempty"`
}

// Mode is one of the paper's four innovation modes.
type Mode struct {
	Code string    `json:"code"`
	Name i18n.Text `json:"name"`
	// Axis is "stage" (development stage) or "environment" (domestic and
	// international environment).
	Axis      string    `json:"axis"`
	Condition i18n.Text `json:"condition"`
	// Examples are the agglomerations the paper's section III gives for the
	// mode; Assigned those section IV characterises by it.
	Examples []i18n.Text `json:"examples"`
	Assigned []i18n.Text `json:"assigned"`
	// Placed are the agglomerations agglo's strategy rules put in this mode
	// under the baseline scenario.
	Placed  []i18n.Text `json:"placed,omitempty"`
	Problem i18n.Text   `json:"problem"`
}

// StrategyDiagram is the paper's Figure 5: the development-stage axis and
// the domestic/international environment axis, each selecting one of two
// innovation modes, around dual circulation.
type StrategyDiagram struct {
	ID      string    `json:"id"`
	Caption i18n.Text `json:"caption"`
	Centre  i18n.Text `json:"centre"`
	Modes   []Mode    `json:"modes"`
	Source  i18n.Text `json:"source"`
}

func (*Heading) kind() string         { return "heading" }
func (*Paragraph) kind() string       { return "paragraph" }
func (*List) kind() string            { return "list" }
func (*Table) kind() string           { return "table" }
func (*Chart) kind() string           { return "chart" }
func (*Map) kind() string             { return "map" }
func (*StrategyDiagram) kind() string { return "diagram" }

// MarshalJSON writes each block with its kind.
func (s Section) MarshalJSON() ([]byte, error) {
	blocks := make([]json.RawMessage, len(s.Blocks))
	for i, b := range s.Blocks {
		body, err := json.Marshal(b)
		if err != nil {
			return nil, err
		}
		// Prepend the kind to the block's own object.
		k, _ := json.Marshal(b.kind())
		if len(body) < 2 || body[0] != '{' {
			return nil, fmt.Errorf("report: block %d of section %s is not an object", i, s.ID)
		}
		sep := ","
		if string(body) == "{}" {
			sep = ""
		}
		blocks[i] = json.RawMessage(`{"kind":` + string(k) + sep + string(body[1:]))
	}
	return json.Marshal(struct {
		ID     string            `json:"id"`
		Title  i18n.Text         `json:"title"`
		Blocks []json.RawMessage `json:"blocks"`
	}{s.ID, s.Title, blocks})
}

// Build builds the report on in.Data: a one-page summary, one profile per
// agglomeration, the state of the agglomerations (the paper's figures and
// tables), their modes, diagnosis and strategy, the methods and measures,
// and as appendices the replication of the paper and the sources.
func Build(ctx context.Context, in Input) (*Report, error) {
	if in.Data == nil {
		return nil, fmt.Errorf("report: no dataset")
	}
	lang := i18n.Normalize(in.Lang)
	a := in.Analyses
	if a == nil {
		var err error
		req := in.Request
		req.Lang = lang
		if a, err = analysis.Report(ctx, in.Data, req); err != nil {
			return nil, fmt.Errorf("report: %w", err)
		}
	}
	b := &builder{ds: in.Data}
	if in.Data.FreeUnits {
		return b.freeUnitsReport(ctx, in, a, lang)
	}
	r := &Report{
		Title:    i18n.T("中国城市群创新发展分析报告", "Innovation development of China's urban agglomerations: analysis report"),
		Subtitle: i18n.T("依据张秋凤、牟绍波《新发展格局下中国五大城市群创新发展战略研究》的框架，由 agglo 计算", "After the framework of Zhang Qiufeng and Mou Shaobo's study of the five urban agglomerations under the new development pattern, computed by agglo"),
		Lang:     lang,
		Dataset:  in.Data.Name,
		Claims:   a.Replication.Claims,
		Verdict:  a.Replication.Verdict,
		Licences: licences(),
	}
	// The state of the agglomerations: the paper's sections II and III.
	status := Section{ID: "status", Title: i18n.T("发展现状", "State of the agglomerations")}
	for _, step := range []func() (Section, error){b.overview, b.table1, b.industry, b.rdInputsOutputs, b.table2, b.table3} {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		sub, err := step()
		if err != nil {
			return nil, err
		}
		status.Blocks = append(status.Blocks, &Heading{ID: sub.ID, Text: sub.Title})
		status.Blocks = append(status.Blocks, sub.Blocks...)
	}
	modes, err := b.modes()
	if err != nil {
		return nil, err
	}
	strat := Section{ID: "strategy", Title: i18n.T("创新模式、诊断与战略", "Innovation modes, diagnosis and strategy")}
	strat.Blocks = append(strat.Blocks, &Heading{ID: "modes", Text: modes.Title})
	strat.Blocks = append(strat.Blocks, modes.Blocks...)
	if a.Diagnosis != nil {
		strat.Blocks = append(strat.Blocks, &Heading{ID: "diagnosis", Text: i18n.T("计算的诊断与战略", "Computed diagnosis and strategy")})
		strat.Blocks = append(strat.Blocks, b.diagnosisSection(a.Diagnosis, a.Strategy)...)
	}
	methods := Section{ID: "methods", Title: i18n.T("方法与测度", "Methods and measures")}
	for _, sub := range []Section{b.measures(a), b.compositeIndex(a)} {
		methods.Blocks = append(methods.Blocks, &Heading{ID: sub.ID, Text: sub.Title})
		methods.Blocks = append(methods.Blocks, sub.Blocks...)
	}
	if a.Diagnosis != nil {
		if ev := b.evidenceCharts(a.Diagnosis); len(ev) > 0 {
			methods.Blocks = append(methods.Blocks, &Heading{ID: "diagnosis-evidence", Text: i18n.T("诊断指标与阈值", "Diagnosis metrics and thresholds")},
				&Paragraph{Text: i18n.T("各城市群诊断所用的指标与阈值（虚线）。阈值的含义与出处见诊断命令的帮助与方法文档。",
					"The metrics the diagnosis used for each agglomeration, with their thresholds (dashed). The thresholds' meaning and sources are in agglo diagnose --help and docs/methods.md.")})
			methods.Blocks = append(methods.Blocks, ev...)
		}
	}
	r.Sections = []Section{b.summarySection(a)}
	if a.National != nil || a.NationalSkip.ZH != "" {
		r.Sections = append(r.Sections, b.nationalSection(a))
	}
	r.Sections = append(r.Sections, b.profilesSection(a), status, strat, methods, b.structureSection(a))
	r.Sections = append(r.Sections, in.Extra...)
	r.Sections = append(r.Sections, replicationSection(r.Claims, r.Verdict))
	if a.Strategy != nil {
		placeOnDiagram(r.Sections, a.Strategy, b.name)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	r.Sections = append(r.Sections, provenanceSection(r))
	numberSections(r.Sections)
	return r, nil
}

// freeUnitsReport is the report of free units (not Chinese regions): the
// national picture and the spatial structure, convergence and
// distribution of the units, without the paper's analyses of the
// agglomerations, to which free units do not belong.
func (b *builder) freeUnitsReport(ctx context.Context, in Input, a *analysis.ReportInputs, lang string) (*Report, error) {
	n := 0
	if a.National != nil {
		n = a.National.Units
	}
	r := &Report{
		Title:    i18n.T("agglo 分析报告：全部单元的综合指数与分布", "agglo report: composite index and distribution of every unit"),
		Subtitle: i18n.Tf("数据 %[1]s 的 %[2]d 个单元（自由单元，不属于中国的城市群），由 agglo 计算", "The %[2]d units of %[1]s (free units, not in any of China's agglomerations), computed by agglo", in.Data.Name, n),
		Lang:     lang,
		Dataset:  in.Data.Name,
		Licences: licences(),
	}
	r.Sections = []Section{b.nationalSection(a), b.structureSection(a)}
	r.Sections = append(r.Sections, in.Extra...)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	r.Sections = append(r.Sections, provenanceSection(r))
	numberSections(r.Sections)
	return r, nil
}

// numberSections numbers the sections and the appendices.
func numberSections(sections []Section) {
	n, app := 0, 0
	for i := range sections {
		if sections[i].Appendix {
			app++
			sections[i].Title = appendixTitle(app, sections[i].Title)
		} else {
			n++
			sections[i].Title = numbered(n, sections[i].Title)
		}
	}
}

// appendixTitle prefixes an appendix title: "附录A " / "Appendix A. ".
func appendixTitle(n int, t i18n.Text) i18n.Text {
	l := string(rune('A' + n - 1))
	return i18n.T("附录"+l+" "+t.ZH, "Appendix "+l+". "+t.EN)
}

// provenanceSection is the appendix of sources: where each table's
// numbers come from and how agglo derived the rest.
func provenanceSection(r *Report) Section {
	s := Section{ID: "provenance", Title: i18n.T("数据来源与推算说明", "Sources and derivations"), Appendix: true}
	s.Blocks = append(s.Blocks, &Paragraph{Text: i18n.T(
		"每张表下注明其数值来源；agglo 推算的数值以斜体显示，表头或数值旁的†号对应本节脚注中的推算方法。悬停在数值上可看到其来源。所有数值及其来源、公式与输入都包含在报告的数据导出中。",
		"Every table names the source of its numbers; values derived by agglo are in italics, and the † by a column header or a value points to the derivation in that section's footnotes. Hovering over a number shows its source. Every number with its source, formula and inputs is exported by agglo report --format json.")})
	t := &Table{ID: "provenance-sources", Caption: i18n.T("各表的数值来源", "Sources of each table's numbers"),
		Columns: []Column{{Label: i18n.T("表", "Table")}, {Label: i18n.T("来源", "Source")}}}
	for _, sec := range r.Sections {
		for _, blk := range sec.Blocks {
			tb, ok := blk.(*Table)
			if !ok {
				continue
			}
			src := tableSource(tb)
			if src.ZH == "" && src.EN == "" {
				continue
			}
			t.Rows = append(t.Rows, []Cell{{Text: tb.Caption}, {Text: src}})
		}
	}
	s.Blocks = append(s.Blocks, t)
	if len(r.Claims) == 0 {
		// A report without the paper's analyses (free units) cites no paper.
		return s
	}
	d := &Paragraph{Text: i18n.T("论文：张秋凤、牟绍波《新发展格局下中国五大城市群创新发展战略研究》。", "Paper: Zhang Qiufeng and Mou Shaobo, Research on Innovation and Development Strategy of China's Five Urban Agglomerations under the New Development Pattern.")}
	s.Blocks = append(s.Blocks, d)
	return s
}

// numbered prefixes a section title with its number: "一、" in Chinese,
// "1. " in English.
func numbered(n int, t i18n.Text) i18n.Text {
	return i18n.T(chineseNumeral(n)+"、"+t.ZH, strconv.Itoa(n)+". "+t.EN)
}

// chineseNumeral writes 1-99 in Chinese numerals (十一, 二十 ...).
func chineseNumeral(n int) string {
	digits := []string{"", "一", "二", "三", "四", "五", "六", "七", "八", "九"}
	switch {
	case n <= 0 || n >= 100:
		return strconv.Itoa(n)
	case n < 10:
		return digits[n]
	case n == 10:
		return "十"
	case n < 20:
		return "十" + digits[n%10]
	}
	return digits[n/10] + "十" + digits[n%10]
}
