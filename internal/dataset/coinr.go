package dataset

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"

	"agglo/internal/coinr"
	"agglo/internal/i18n"
)

// ReadCOINr imports the input tables of COINr (the JRC's composite
// indicator package): iData (uCode, uName, optional Time, group columns,
// one column per indicator) and iMeta (iCode, iName, Level, Parent,
// Direction, Weight, Type, optional Unit and Target).
//
// Units become registry regions when every uCode (or uName) matches the
// region registry, free units when none does; a partial match is an error,
// as for any import. Every iMeta row of Type Indicator or Denominator that
// has an iData column becomes an indicator: code iCode, name iName, unit
// Unit (converted to the catalogue unit when iCode is a catalogue code; an
// unknown unit is an error), polarity Direction. Time is the year. Empty
// and NA cells are missing values. Weights, levels and aggregates are the
// framework, not data: the composite package reads them.
//
// Errors are *ImportError values whose issues name the file (iData or
// iMeta), row and column.
func ReadCOINr(dataPath, metaPath string, opts ReadOptions) (*Dataset, error) {
	open := func(p string) ([]byte, error) {
		b, err := os.ReadFile(p)
		if err != nil {
			return nil, i18n.Errorf("无法打开文件 %s：%v", "cannot open %s: %v", p, err)
		}
		return b, nil
	}
	data, err := open(dataPath)
	if err != nil {
		return nil, err
	}
	meta, err := open(metaPath)
	if err != nil {
		return nil, err
	}
	return readCOINr(data, filepath.Base(dataPath), meta, filepath.Base(metaPath), opts)
}

// coinrIssue turns a coinr.Error into an issue.
func coinrIssue(err error, file string) Issue {
	var ce *coinr.Error
	if errors.As(err, &ce) {
		return Issue{File: ce.File, Row: ce.Row, Col: ce.Column, Text: i18n.T(ce.ZH, ce.EN)}
	}
	return Issue{File: file, Text: textOf(err)}
}

// decodeAll returns a CSV file's text as UTF-8 (see decodeText).
func decodeAll(b []byte, name string) ([]byte, error) {
	r, _, err := decodeText(bytes.NewReader(b))
	if err != nil {
		return nil, fileError(name, "", err)
	}
	out, err := io.ReadAll(r)
	if err != nil {
		return nil, fileError(name, "", err)
	}
	return out, nil
}

func readCOINr(data []byte, dataName string, meta []byte, metaName string, opts ReadOptions) (*Dataset, error) {
	if opts.Registry == nil || opts.Catalogue == nil {
		return nil, errors.New("dataset.ReadCOINr: registry and catalogue are required")
	}
	meta, err := decodeAll(meta, metaName)
	if err != nil {
		return nil, err
	}
	data, err = decodeAll(data, dataName)
	if err != nil {
		return nil, err
	}
	m, err := coinr.ReadIMeta(bytes.NewReader(meta), metaName)
	if err != nil {
		return nil, &ImportError{File: metaName, Issues: []Issue{coinrIssue(err, metaName)}}
	}
	d, err := coinr.ReadIData(bytes.NewReader(data), dataName, m.GroupCodes()...)
	if err != nil {
		return nil, &ImportError{File: dataName, Issues: []Issue{coinrIssue(err, dataName)}}
	}
	// ReadIData accepted the header, so it parses; find the columns.
	head, _ := csv.NewReader(bytes.NewReader(data)).Read()
	colOf := map[string]int{}
	for j, h := range head {
		colOf[strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))] = j + 1
	}

	im := newImporter(dataName, "", opts)
	im.ds.Sources[0].Note = "COINr iData; iMeta " + metaName
	byCode := map[string]*coinr.IMetaRow{}
	for i := range m.Rows {
		byCode[m.Rows[i].ICode] = &m.Rows[i]
	}
	slots := make([]*indicatorSlot, len(d.Indicators))
	inData := map[string]bool{}
	var skipped []string
	for j, code := range d.Indicators {
		inData[code] = true
		col := colOf[code]
		mr, ok := byCode[code]
		if !ok {
			im.iss.add(Issue{File: dataName, Row: 1, Col: col, Column: code, Text: i18n.Tf("列“%s”不在 iMeta 中（每个指标列都要在 iMeta 里有一行）", "column %q is not in iMeta (every indicator column needs an iMeta row)", code)})
			continue
		}
		switch mr.Type {
		case "Indicator", "Denominator":
			slots[j] = im.coinrIndicator(mr, metaName)
		case "Aggregate":
			im.iss.add(Issue{File: dataName, Row: 1, Col: col, Column: code, Text: i18n.Tf("列“%s”在 iMeta 中是聚合项（Aggregate），不能出现在 iData 中", "column %q is an Aggregate in iMeta and cannot be an iData column", code)})
		default:
			skipped = append(skipped, code)
		}
	}
	for _, mr := range m.Rows {
		if mr.Type == "Indicator" && !inData[mr.ICode] {
			im.iss.add(Issue{File: metaName, Row: mr.Row, Column: "iCode", Text: i18n.Tf("指标“%s”在 iData 中没有对应的列", "indicator %q has no column in iData", mr.ICode)})
		}
	}
	if err := im.iss.err(dataName); err != nil {
		return nil, err
	}

	regionCols := []column{{index: 0, header: "uCode", role: roleRegionCode}, {index: 1, header: "uName", role: roleRegionName}}
	timeCol := colOf["Time"]
	for i := range d.UCodes {
		row := i + 2 // coinr numbers records from the header's line 1
		k := im.regionOf(regionCols, []string{d.UCodes[i], d.UNames[i]}, row)
		year := im.opts.Year
		if len(d.Time) > 0 && d.Time[i] != "" {
			y, ok := parseYear(d.Time[i])
			if !ok {
				im.issue(row, timeCol, "Time", i18n.Tf("年份格式错误“%s”", "malformed year %q", d.Time[i]))
				continue
			}
			year = y
		}
		if k < 0 {
			continue
		}
		for j, s := range slots {
			if s == nil {
				continue
			}
			v := d.Values[i][j]
			if math.IsNaN(v) {
				im.missing++
				continue
			}
			col := colOf[d.Indicators[j]]
			v *= s.factor
			if !im.checkDomain(s, v, row, col, d.Indicators[j]) {
				continue
			}
			im.addValue(k, s, year, v, row, col)
		}
		if len(im.iss.list) >= maxIssues {
			break
		}
	}
	if len(im.iss.list) == 0 {
		im.resolveRegions()
	}
	if len(im.iss.list) == 0 {
		im.checkDuplicates()
	}
	if err := im.iss.err(dataName); err != nil {
		return nil, err
	}
	if im.ds.Len() == 0 {
		return nil, &ImportError{File: dataName, Issues: []Issue{{File: dataName, Text: i18n.T("没有任何数值（所有指标单元格都为空）", "no values at all (every indicator cell is empty)")}}}
	}
	if im.missing > 0 {
		im.ds.Notes = append(im.ds.Notes, Issue{File: dataName, Text: i18n.Tf("%d 个空单元格按缺失值处理", "%d empty cells treated as missing values", im.missing)})
	}
	if len(d.GroupNames) > 0 || len(skipped) > 0 {
		cols := strings.Join(append(append([]string(nil), d.GroupNames...), skipped...), ", ")
		im.ds.Notes = append(im.ds.Notes, Issue{File: dataName, Text: i18n.Tf("分组及其他非指标列未作为数据导入：%s", "group and other non-indicator columns not imported as data: %s", cols)})
	}
	return im.ds, nil
}

// coinrIndicator makes the dataset indicator of an iMeta row, or records
// an issue at that row and returns nil.
func (im *importer) coinrIndicator(mr *coinr.IMetaRow, metaName string) *indicatorSlot {
	bad := func(column string, t i18n.Text) *indicatorSlot {
		im.iss.add(Issue{File: metaName, Row: mr.Row, Column: column, Text: t})
		return nil
	}
	u, err := ParseUnit(mr.Unit)
	if err != nil {
		return bad("Unit", textOf(err))
	}
	pol := HigherBetter
	if mr.Direction == -1 {
		pol = LowerBetter
	}
	if ind, ok := im.ds.Catalogue.Lookup(mr.ICode); ok {
		if mr.Unit == "" && ind.Unit != "" {
			return bad("Unit", i18n.Tf("“%s”是目录中的指标，单位为 %s：请在 Unit 列注明单位", "%q is a catalogue indicator in %s: give its unit in the Unit column", mr.ICode, ind.Unit))
		}
		f, err := Factor(u, ind.ParsedUnit())
		if err != nil {
			return bad("Unit", i18n.Tf("指标“%s”的单位“%s”不能换算为“%s”", "indicator %q: unit %q cannot be converted to %q", mr.ICode, mr.Unit, ind.Unit))
		}
		if mr.Direction != 0 && pol != ind.Polarity {
			return bad("Direction", i18n.Tf("指标“%s”的方向 %d 与目录（%d）相反", "indicator %q: Direction %d contradicts the catalogue (%d)", mr.ICode, mr.Direction, ind.Polarity))
		}
		return &indicatorSlot{idx: im.ds.addIndicator(*ind), factor: f, domain: ind.Domain, unit: ind.Unit}
	}
	name := mr.IName
	if name == "" {
		name = mr.ICode
	}
	ind := Indicator{Code: mr.ICode, NameZH: name, NameEN: name, Unit: u.Symbol, Polarity: pol, Dimension: mr.Parent}
	if err := im.ds.Catalogue.add(ind); err != nil {
		return bad("iCode", textOf(err))
	}
	stored, _ := im.ds.Catalogue.Lookup(mr.ICode)
	return &indicatorSlot{idx: im.ds.addIndicator(*stored), factor: 1, unit: stored.Unit}
}
