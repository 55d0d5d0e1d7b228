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
	"strconv"

	"agglo/internal/analysis"
	"agglo/internal/dataset"
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
	// analysis.Report.
	Analyses *analysis.ReportInputs
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
}

// Block is one element of a section: *Paragraph, *Table, *Chart, *Map,
// *StrategyDiagram or *List.
type Block interface {
	kind() string
}

// Paragraph is a piece of running text.
type Paragraph struct {
	Text i18n.Text `json:"text"`
	// Note marks a remark set apart from the text (a caveat, a data gap).
	Note bool `json:"note,omitempty"`
}

// List is a bulleted list.
type List struct {
	Items []i18n.Text `json:"items"`
}

// Prov is the provenance of a number shown in the report.
type Prov struct {
	Kind    string   `json:"kind"` // published, derived, imported, computed
	Ref     string   `json:"ref,omitempty"`
	Formula string   `json:"formula,omitempty"`
	Inputs  []string `json:"inputs,omitempty"`
	Note    string   `json:"note,omitempty"`
	// File and Row locate the value in the file it was read from.
	File string `json:"file,omitempty"`
	Row  int    `json:"row,omitempty"`
}

// Derived reports whether the number was computed rather than printed in a
// source; derived numbers are marked in every output.
func (p *Prov) Derived() bool {
	return p != nil && (p.Kind == string(dataset.Derived) || p.Kind == "computed")
}

// Describe returns a one-line description of the provenance in lang.
func (p *Prov) Describe(lang string) string {
	if p == nil {
		return ""
	}
	var s string
	switch p.Kind {
	case string(dataset.Published):
		s = i18n.T("已发表：", "published: ").In(lang) + p.Ref
	case string(dataset.Imported):
		s = i18n.T("导入：", "imported: ").In(lang) + p.Ref
	default:
		s = i18n.T("推算值：", "derived: ").In(lang) + p.Formula
		if p.Ref != "" {
			s += " [" + p.Ref + "]"
		}
	}
	if p.Note != "" {
		s += " (" + p.Note + ")"
	}
	if p.File != "" && p.Row > 0 {
		s += fmt.Sprintf(" [%s:%d]", p.File, p.Row)
	}
	return s
}

// Cell is one table cell: a text, or a number with its provenance.
type Cell struct {
	Text     i18n.Text `json:"text,omitzero"`
	Value    *float64  `json:"value,omitempty"`
	Decimals int       `json:"decimals,omitempty"`
	Prov     *Prov     `json:"prov,omitempty"`
	// Class styles the cell: "match", "mismatch", "published-only",
	// "not-checkable" for replication statuses, "group" for a group label.
	Class string `json:"class,omitempty"`
}

// Column is a table column; Unit is shown in the header.
type Column struct {
	Label i18n.Text `json:"label"`
	Unit  string    `json:"unit,omitempty"`
}

// Table is a table with units in its header.
type Table struct {
	ID      string      `json:"id"`
	Caption i18n.Text   `json:"caption"`
	Columns []Column    `json:"columns"`
	Rows    [][]Cell    `json:"rows"`
	Notes   []i18n.Text `json:"notes,omitempty"`
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
	Unit       string      `json:"unit,omitempty"`
	// Max is the radar axes' maximum (0 for automatic).
	Max float64 `json:"max,omitempty"`
	// Table is the ID of a table of the report holding the same numbers.
	Table string    `json:"table,omitempty"`
	Note  i18n.Text `json:"note,omitzero"`
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

// Map is a map of China with highlighted member cities.
type Map struct {
	ID      string     `json:"id"`
	Caption i18n.Text  `json:"caption"`
	Groups  []MapGroup `json:"groups"`
	Note    i18n.Text  `json:"note"`
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
	Source  string    `json:"source"`
}

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

// Build builds the report of the paper's analysis on in.Data.
func Build(ctx context.Context, in Input) (*Report, error) {
	if in.Data == nil {
		return nil, fmt.Errorf("report: no dataset")
	}
	lang := i18n.Normalize(in.Lang)
	a := in.Analyses
	if a == nil {
		var err error
		if a, err = analysis.Report(ctx, in.Data, analysis.ReportRequest{Lang: lang}); err != nil {
			return nil, fmt.Errorf("report: %w", err)
		}
	}
	b := &builder{ds: in.Data}
	r := &Report{
		Title:    i18n.T("新发展格局下中国五大城市群创新发展战略研究：复现报告", "Innovation development strategy of China's five urban agglomerations under the new development pattern: replication report"),
		Subtitle: i18n.T("张秋凤、牟绍波论文的分析在 agglo 数据上的复现（2019 年数据）", "The analysis of the paper by Zhang Qiufeng and Mou Shaobo, reproduced by agglo (2019 data)"),
		Lang:     lang,
		Dataset:  in.Data.Name,
		Claims:   a.Replication.Claims,
		Verdict:  a.Replication.Verdict,
		Licences: licences(),
	}
	steps := []func() (Section, error){
		b.overview, b.table1, b.industry, b.rdInputsOutputs, b.table2, b.table3, b.modes,
		func() (Section, error) { return b.measures(a), nil },
		func() (Section, error) { return b.compositeIndex(a), nil },
		func() (Section, error) { return b.diagnosisSection(a.Diagnosis), nil },
		func() (Section, error) { return b.strategySection(a.Strategy), nil },
	}
	for _, step := range steps {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		s, err := step()
		if err != nil {
			return nil, err
		}
		r.Sections = append(r.Sections, s)
	}
	r.Sections = append(r.Sections, in.Extra...)
	r.Sections = append(r.Sections, replicationSection(r.Claims, r.Verdict))
	placeOnDiagram(r.Sections, a.Strategy, b.name)
	for i := range r.Sections {
		r.Sections[i].Title = numbered(i+1, r.Sections[i].Title)
	}
	return r, nil
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
