package coinr

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"agglo/internal/dataset"
	"agglo/internal/i18n"
)

// ReadDataset imports COINr's input tables from files (see Dataset).
func ReadDataset(dataPath, metaPath string, opts dataset.ReadOptions) (*dataset.Dataset, error) {
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
	return Dataset(data, filepath.Base(dataPath), meta, filepath.Base(metaPath), opts)
}

// Dataset imports the input tables of COINr as a dataset: iData (uCode,
// uName, optional Time, group columns, one column per indicator) and
// iMeta (iCode, iName, Level, Parent, Direction, Weight, Type, optional
// Unit and Target).
//
// Units become registry regions when every uCode (or uName) matches the
// region registry, free units when none does; a partial match is an error,
// as for any import. Every iMeta row of Type Indicator or Denominator that
// has an iData column becomes an indicator: code iCode, name iName, unit
// Unit (converted to the catalogue unit when iCode is a catalogue code; an
// unknown unit is an error), polarity Direction, dimension Parent. Time is
// the year. Empty and NA cells are missing values. Weights, levels and
// aggregates are the framework, not data (see Framework).
//
// The tables are checked against each other here; the values are then
// read by dataset.Read, so that regions, units, domains and provenance
// (file, row and column of every value) are handled as for any CSV file.
// Errors are *dataset.ImportError values whose issues name the file (iData
// or iMeta), row and column.
func Dataset(data []byte, dataName string, meta []byte, metaName string, opts dataset.ReadOptions) (*dataset.Dataset, error) {
	if opts.Registry == nil || opts.Catalogue == nil {
		return nil, errors.New("coinr.Dataset: registry and catalogue are required")
	}
	meta, err := decodeAll(meta, metaName)
	if err != nil {
		return nil, err
	}
	data, err = decodeAll(data, dataName)
	if err != nil {
		return nil, err
	}
	m, err := ReadIMeta(bytes.NewReader(meta), metaName)
	if err != nil {
		return nil, importError(metaName, issueOf(err, metaName))
	}
	d, err := ReadIData(bytes.NewReader(data), dataName, m.GroupCodes()...)
	if err != nil {
		return nil, importError(dataName, issueOf(err, dataName))
	}
	// ReadIData accepted the table, so it parses again.
	recs, _ := csvRecords(data)
	head := recs[0]
	colOf := map[string]int{}
	for j, h := range head {
		colOf[strings.TrimSpace(h)] = j
	}
	byCode := map[string]*IMetaRow{}
	for i := range m.Rows {
		byCode[m.Rows[i].ICode] = &m.Rows[i]
	}

	var issues []dataset.Issue
	extra := []dataset.Indicator{}
	headers := make([]string, len(head)) // "" leaves a column out
	headers[colOf["uCode"]], headers[colOf["uName"]] = "uCode", "uName"
	if j, ok := colOf["Time"]; ok {
		headers[j] = "Time"
	}
	inData := map[string]bool{}
	var skipped []string
	for _, code := range d.Indicators {
		inData[code] = true
		col := colOf[code]
		mr, ok := byCode[code]
		if !ok {
			issues = append(issues, dataset.Issue{File: dataName, Row: 1, Col: col + 1, Column: code, Text: i18n.Tf("列“%s”不在 iMeta 中（每个指标列都要在 iMeta 里有一行）", "column %q is not in iMeta (every indicator column needs an iMeta row)", code)})
			continue
		}
		switch mr.Type {
		case "Indicator", "Denominator":
			ind, issue := indicatorOf(mr, metaName, opts.Catalogue)
			if issue != nil {
				issues = append(issues, *issue)
				continue
			}
			if ind != nil {
				extra = append(extra, *ind)
			}
			headers[col] = code + "(" + mr.Unit + ")"
		case "Aggregate":
			issues = append(issues, dataset.Issue{File: dataName, Row: 1, Col: col + 1, Column: code, Text: i18n.Tf("列“%s”在 iMeta 中是聚合项（Aggregate），不能出现在 iData 中", "column %q is an Aggregate in iMeta and cannot be an iData column", code)})
		default:
			skipped = append(skipped, code)
		}
	}
	for _, mr := range m.Rows {
		if mr.Type == "Indicator" && !inData[mr.ICode] {
			issues = append(issues, dataset.Issue{File: metaName, Row: mr.Row, Column: "iCode", Text: i18n.Tf("指标“%s”在 iData 中没有对应的列", "indicator %q has no column in iData", mr.ICode)})
		}
	}
	if len(issues) > 0 {
		return nil, &dataset.ImportError{File: dataName, Issues: issues}
	}
	cat, err := dataset.NewCatalogue(append(append([]dataset.Indicator(nil), opts.Catalogue.List()...), extra...))
	if err != nil {
		return nil, importError(metaName, dataset.Issue{File: metaName, Text: textOf(err)})
	}
	opts.Catalogue = cat

	// The table dataset.Read reads: iData's columns in place (so that rows
	// and columns stay those of the file), indicator headers carrying the
	// iMeta unit, every other column blank.
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	_, hasTime := colOf["Time"]
	addYear := !hasTime && opts.Year != 0
	row := append([]string(nil), headers...)
	if addYear {
		row = append(row, "Time")
	}
	_ = w.Write(row)
	for _, rec := range recs[1:] {
		row = row[:0]
		for j, h := range headers {
			if h == "" || j >= len(rec) {
				row = append(row, "")
				continue
			}
			row = append(row, rec[j])
		}
		if addYear {
			row = append(row, strconv.Itoa(opts.Year))
		}
		_ = w.Write(row)
	}
	w.Flush()
	ds, err := dataset.Read(&buf, dataName, dataset.CSV, opts)
	if err != nil {
		return nil, err
	}
	if ds.Len() == 0 {
		return nil, importError(dataName, dataset.Issue{File: dataName, Text: i18n.T("没有任何数值（所有指标单元格都为空）", "no values at all (every indicator cell is empty)")})
	}
	if len(ds.Sources) > 0 {
		ds.Sources[0].Note = "COINr iData; iMeta " + metaName
	}
	if len(d.GroupNames) > 0 || len(skipped) > 0 {
		cols := strings.Join(append(append([]string(nil), d.GroupNames...), skipped...), ", ")
		ds.Notes = append(ds.Notes, dataset.Issue{File: dataName, Text: i18n.Tf("分组及其他非指标列未作为数据导入：%s", "group and other non-indicator columns not imported as data: %s", cols)})
	}
	return ds, nil
}

// indicatorOf checks an iMeta indicator row against the catalogue. A
// catalogue code needs a unit convertible to the catalogue's and a
// direction that agrees with it; any other code becomes a new indicator
// (returned).
func indicatorOf(mr *IMetaRow, metaName string, cat *dataset.Catalogue) (*dataset.Indicator, *dataset.Issue) {
	bad := func(column string, t i18n.Text) (*dataset.Indicator, *dataset.Issue) {
		return nil, &dataset.Issue{File: metaName, Row: mr.Row, Column: column, Text: t}
	}
	u, err := dataset.ParseUnit(mr.Unit)
	if err != nil {
		return bad("Unit", textOf(err))
	}
	pol := dataset.HigherBetter
	if mr.Direction == -1 {
		pol = dataset.LowerBetter
	}
	if ind, ok := cat.Lookup(mr.ICode); ok {
		if mr.Unit == "" && ind.Unit != "" {
			return bad("Unit", i18n.Tf("“%s”是目录中的指标，单位为 %s：请在 Unit 列注明单位", "%q is a catalogue indicator in %s: give its unit in the Unit column", mr.ICode, ind.Unit))
		}
		if _, err := dataset.Factor(u, ind.ParsedUnit()); err != nil {
			return bad("Unit", i18n.Tf("指标“%s”的单位“%s”不能换算为“%s”", "indicator %q: unit %q cannot be converted to %q", mr.ICode, mr.Unit, ind.Unit))
		}
		if mr.Direction != 0 && pol != ind.Polarity {
			return bad("Direction", i18n.Tf("指标“%s”的方向 %d 与目录（%d）相反", "indicator %q: Direction %d contradicts the catalogue (%d)", mr.ICode, mr.Direction, ind.Polarity))
		}
		return nil, nil
	}
	name := mr.IName
	if name == "" {
		name = mr.ICode
	}
	return &dataset.Indicator{Code: mr.ICode, NameZH: name, NameEN: name, Unit: u.Symbol, Polarity: pol, Dimension: mr.Parent}, nil
}

// decodeAll returns a CSV file's text as UTF-8 (see dataset.DecodeText).
func decodeAll(b []byte, name string) ([]byte, error) {
	r, err := dataset.DecodeText(bytes.NewReader(b))
	if err != nil {
		return nil, importError(name, dataset.Issue{File: name, Text: textOf(err)})
	}
	out, err := io.ReadAll(r)
	if err != nil {
		return nil, importError(name, dataset.Issue{File: name, Text: textOf(err)})
	}
	return out, nil
}

func csvRecords(b []byte) ([][]string, error) {
	cr := csv.NewReader(bytes.NewReader(b))
	cr.FieldsPerRecord = -1
	recs, err := cr.ReadAll()
	if err == nil && len(recs) > 0 && len(recs[0]) > 0 {
		recs[0][0] = strings.TrimPrefix(recs[0][0], "\ufeff")
	}
	return recs, err
}

func importError(file string, is dataset.Issue) error {
	return &dataset.ImportError{File: file, Issues: []dataset.Issue{is}}
}

// issueOf turns an *Error into an issue.
func issueOf(err error, file string) dataset.Issue {
	var ce *Error
	if errors.As(err, &ce) {
		return dataset.Issue{File: ce.File, Row: ce.Row, Col: ce.Column, Text: i18n.T(ce.ZH, ce.EN)}
	}
	return dataset.Issue{File: file, Text: textOf(err)}
}

func textOf(err error) i18n.Text {
	return i18n.T(i18n.Message(err, i18n.ZH), i18n.Message(err, i18n.EN))
}
