package dataset

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"

	"github.com/xuri/excelize/v2"

	"agglo/internal/csvsafe"
)

// exportColumns are the columns of a long-layout export, bilingual so that
// the file reads in either language and imports back unchanged.
var exportColumns = [][2]string{
	{"地区代码", "region_code"}, {"地区", "region_zh"}, {"地区英文名", "region_en"}, {"层级", "level"},
	{"指标代码", "indicator"}, {"指标中文名", "indicator_name_zh"}, {"指标英文名", "indicator_en"}, {"单位", "unit"},
	{"年份", "year"}, {"数值", "value"}, {"来源类型", "kind"}, {"来源", "source"}, {"公式", "formula"},
}

func header(bilingual bool) []string {
	out := make([]string, len(exportColumns))
	for i, c := range exportColumns {
		if bilingual {
			out[i] = c[0] + " / " + c[1]
		} else {
			out[i] = c[1]
		}
	}
	return out
}

// formatValue writes a float in the shortest form that reads back exactly.
func formatValue(v float64) string {
	if math.IsNaN(v) {
		return ""
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

// byRegion yields the observations ordered by region, indicator and year,
// without sorting: for each region, one lookup in each column.
//
// Agglomeration values rolled up from members (WithRollups) are left out:
// they are not data of the file but are computed again, with the
// membership in force, whenever the data are loaded.
func (ds *Dataset) byRegion() func(yield func(Observation) bool) {
	return func(yield func(Observation) bool) {
		for r := range ds.Regions {
			for i, s := range ds.series {
				for _, c := range s {
					p := c.pos(int32(r))
					if p < 0 {
						continue
					}
					if src := c.src.get(p); int(src) < len(ds.Sources) && ds.Sources[src].Rollup != nil {
						continue
					}
					if !yield(c.obs(p, int32(r), int32(i))) {
						return
					}
				}
			}
		}
	}
}

func (ds *Dataset) record(o Observation) []string {
	r, ind := ds.Regions[o.Region], ds.Indicators[o.Indicator]
	p := ds.Provenance(o)
	src := p.Ref
	if p.Kind == Imported {
		src = p.File
		if p.Sheet != "" {
			src += " [" + p.Sheet + "]"
		}
		if p.Row > 0 {
			src += fmt.Sprintf(" R%dC%d", p.Row, p.Col)
		}
		if p.Note != "" {
			src += " · " + p.Note
		}
	}
	year := ""
	if o.Year != 0 {
		year = strconv.Itoa(int(o.Year))
	}
	return []string{r.Code, r.NameZH, r.NameEN, string(r.Level), ind.Code, ind.NameZH, ind.NameEN, ind.Unit, year, formatValue(o.Value), string(p.Kind), src, p.Formula}
}

// WriteCSV writes the dataset in long layout (UTF-8 with byte-order mark so
// that Excel opens Chinese text correctly), one row per observation.
func (ds *Dataset) WriteCSV(w io.Writer) error {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return err
	}
	cw := csvsafe.NewWriter(w)
	if err := cw.Write(header(false)); err != nil {
		return err
	}
	for o := range ds.byRegion() {
		if err := cw.Write(ds.record(o)); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteXLSX writes a workbook with one sheet per table: observations (long
// layout, bilingual headers), regions, indicators, and checks.
func (ds *Dataset) WriteXLSX(w io.Writer) error {
	f := excelize.NewFile()
	defer f.Close()
	obsSheet := "observations"
	if err := f.SetSheetName("Sheet1", obsSheet); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(obsSheet)
	if err != nil {
		return err
	}
	bold, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	row := 1
	writeRow := func(sw *excelize.StreamWriter, vals []any, style int) error {
		cells := make([]any, len(vals))
		for i, v := range vals {
			if style != 0 {
				cells[i] = excelize.Cell{StyleID: style, Value: v}
			} else {
				cells[i] = v
			}
		}
		cell, _ := excelize.CoordinatesToCellName(1, row)
		row++
		return sw.SetRow(cell, cells)
	}
	hdr := header(true)
	if err := writeRow(sw, toAny(hdr), bold); err != nil {
		return err
	}
	for o := range ds.byRegion() {
		rec := ds.record(o)
		vals := toAny(rec)
		vals[9] = o.Value
		if o.Year != 0 {
			vals[8] = int(o.Year)
		}
		if err := writeRow(sw, vals, 0); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	tables := []struct {
		name string
		hdr  []string
		rows [][]any
	}{
		{"regions", []string{"代码 / code", "中文名 / name_zh", "英文名 / name_en", "层级 / level", "上级 / parent", "经度 / lon", "纬度 / lat"}, nil},
		{"indicators", []string{"代码 / code", "中文名 / name_zh", "英文名 / name_en", "单位 / unit", "方向 / polarity", "维度 / dimension"}, nil},
		{"checks", []string{"编号 / id", "地区 / region", "指标 / indicator", "年份 / year", "发表值 / published", "推算值 / derived", "残差 / residual", "公式 / formula"}, nil},
	}
	for _, r := range ds.Regions {
		tables[0].rows = append(tables[0].rows, []any{r.Code, r.NameZH, r.NameEN, string(r.Level), r.Parent, nanBlank(r.Lon), nanBlank(r.Lat)})
	}
	for _, ind := range ds.Indicators {
		tables[1].rows = append(tables[1].rows, []any{ind.Code, ind.NameZH, ind.NameEN, ind.Unit, int(ind.Polarity), ind.Dimension})
	}
	for _, c := range ds.Checks {
		tables[2].rows = append(tables[2].rows, []any{c.ID, c.Region, c.Indicator, c.Year, c.Published, c.Derived, c.Residual, c.Formula})
	}
	for _, t := range tables {
		if len(t.rows) == 0 {
			continue
		}
		if _, err := f.NewSheet(t.name); err != nil {
			return err
		}
		sw, err := f.NewStreamWriter(t.name)
		if err != nil {
			return err
		}
		row = 1
		if err := writeRow(sw, toAny(t.hdr), bold); err != nil {
			return err
		}
		for _, r := range t.rows {
			if err := writeRow(sw, r, 0); err != nil {
				return err
			}
		}
		if err := sw.Flush(); err != nil {
			return err
		}
	}
	return f.Write(w)
}

func nanBlank(v float64) any {
	if math.IsNaN(v) {
		return ""
	}
	return v
}

func toAny(s []string) []any {
	out := make([]any, len(s))
	for i, v := range s {
		out[i] = v
	}
	return out
}

// jsonObservation is one observation in JSON output.
type jsonObservation struct {
	Region     string     `json:"region"`
	Indicator  string     `json:"indicator"`
	Year       int        `json:"year,omitempty"`
	Value      float64    `json:"value"`
	Unit       string     `json:"unit"`
	Provenance Provenance `json:"provenance"`
}

// JSONView is the dataset as written to JSON.
type JSONView struct {
	Name         string            `json:"name"`
	FreeUnits    bool              `json:"free_units"`
	Regions      []Region          `json:"regions"`
	Indicators   []Indicator       `json:"indicators"`
	Observations []jsonObservation `json:"observations"`
	Checks       []Check           `json:"checks,omitempty"`
}

// View returns the dataset's JSON form.
func (ds *Dataset) View() JSONView {
	v := JSONView{Name: ds.Name, FreeUnits: ds.FreeUnits, Regions: ds.Regions, Indicators: ds.Indicators, Checks: ds.Checks}
	for o := range ds.byRegion() {
		ind := ds.Indicators[o.Indicator]
		v.Observations = append(v.Observations, jsonObservation{Region: ds.Regions[o.Region].Code, Indicator: ind.Code, Year: int(o.Year), Value: o.Value, Unit: ind.Unit, Provenance: ds.Provenance(o)})
	}
	return v
}

// WriteJSON writes the dataset as JSON.
func (ds *Dataset) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(ds.View())
}
