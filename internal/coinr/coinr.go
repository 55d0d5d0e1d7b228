// Package coinr reads the input tables of COINr, the JRC's composite
// indicator package: iData (one row per unit, columns uCode, uName, optional
// Time, group columns and one column per indicator) and iMeta (one row per
// indicator or aggregate: iCode, iName, Level, Parent, Direction, Weight,
// Type, optional Unit and Target), as CSV files.
package coinr

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// Error locates a problem in a CSV file. Row is the 1-based line of the
// record (1 = header); Column is 1-based (0 = whole row).
type Error struct {
	File   string
	Row    int
	Column int
	ZH     string
	EN     string
}

// Error returns the English message with its location.
func (e *Error) Error() string { return e.Localized("en") }

// Localized returns the message in lang ("zh" or "en") with its location.
func (e *Error) Localized(lang string) string {
	if lang == "zh" {
		return fmt.Sprintf("%s 第 %d 行第 %d 列: %s", e.File, e.Row, e.Column, e.ZH)
	}
	return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Row, e.Column, e.EN)
}

// IData is a COINr iData table. Values[i][j] is unit i's value of
// Indicators[j]; empty cells and "NA" are NaN.
type IData struct {
	UCodes []string
	UNames []string
	// Time holds the Time column, empty when the table has none.
	Time []string
	// GroupNames are the group columns in file order; Groups[name][i] is
	// unit i's group.
	GroupNames []string
	Groups     map[string][]string
	Indicators []string
	Values     [][]float64
}

// IMetaRow is one row of iMeta.
type IMetaRow struct {
	ICode     string
	IName     string
	Level     int // 0 when empty (allowed for Type other than Indicator/Aggregate)
	Parent    string
	Direction int     // 0 when empty
	Weight    float64 // NaN when empty
	Type      string  // Indicator, Aggregate, Group, Denominator or Other
	Unit      string
	Target    float64 // NaN when empty
	// Denominator is the iCode (of a row of Type Denominator) the
	// indicator is divided by when the index denominates; "" for none.
	Denominator string
	Row         int // line in the file
}

// IMeta is a COINr iMeta table.
type IMeta struct {
	File string
	Rows []IMetaRow
}

// Types of iMeta rows.
var metaTypes = []string{"Indicator", "Aggregate", "Group", "Denominator", "Other"}

// GroupCodes returns the codes of the rows of Type Group.
func (m *IMeta) GroupCodes() []string {
	var out []string
	for _, r := range m.Rows {
		if r.Type == "Group" {
			out = append(out, r.ICode)
		}
	}
	return out
}

func readAll(r io.Reader, file string) ([][]string, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	recs, err := cr.ReadAll()
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return nil, &Error{File: file, Row: pe.Line, Column: pe.Column, ZH: "CSV 格式错误: " + pe.Err.Error(), EN: "CSV syntax: " + pe.Err.Error()}
		}
		return nil, &Error{File: file, ZH: "无法读取: " + err.Error(), EN: "cannot read: " + err.Error()}
	}
	if len(recs) == 0 {
		return nil, &Error{File: file, Row: 1, ZH: "文件为空", EN: "the file is empty"}
	}
	if len(recs[0]) > 0 {
		recs[0][0] = strings.TrimPrefix(recs[0][0], "\ufeff")
	}
	return recs, nil
}

func parseNum(s string) (float64, bool) {
	s = strings.TrimSpace(s)
	if s == "" || s == "NA" || s == "NaN" {
		return math.NaN(), true
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(v, 0) {
		return 0, false
	}
	return v, true
}

// ReadIData reads an iData CSV. Columns uCode and uName are required; Time
// is optional; columns named with the prefix "Group_" or listed in
// groupCols (e.g. IMeta.GroupCodes) are groups; every other column is a
// numeric indicator. Unit codes must be unique within a Time value.
func ReadIData(r io.Reader, file string, groupCols ...string) (*IData, error) {
	recs, err := readAll(r, file)
	if err != nil {
		return nil, err
	}
	head := recs[0]
	isGroup := map[string]bool{}
	for _, g := range groupCols {
		isGroup[g] = true
	}
	d := &IData{Groups: map[string][]string{}}
	iu, in, it := -1, -1, -1
	var indCols, groupIdx []int
	seen := map[string]bool{}
	for j, h := range head {
		h = strings.TrimSpace(h)
		if h == "" {
			return nil, &Error{File: file, Row: 1, Column: j + 1, ZH: "列名为空", EN: "empty column name"}
		}
		if seen[h] {
			return nil, &Error{File: file, Row: 1, Column: j + 1, ZH: fmt.Sprintf("列名 %q 重复", h), EN: fmt.Sprintf("duplicate column %q", h)}
		}
		seen[h] = true
		switch {
		case h == "uCode":
			iu = j
		case h == "uName":
			in = j
		case h == "Time":
			it = j
		case strings.HasPrefix(h, "Group_") || isGroup[h]:
			groupIdx = append(groupIdx, j)
			d.GroupNames = append(d.GroupNames, h)
		default:
			indCols = append(indCols, j)
			d.Indicators = append(d.Indicators, h)
		}
	}
	if iu < 0 {
		return nil, &Error{File: file, Row: 1, ZH: "缺少 uCode 列", EN: "missing column uCode"}
	}
	if in < 0 {
		return nil, &Error{File: file, Row: 1, ZH: "缺少 uName 列", EN: "missing column uName"}
	}
	keys := map[string]int{}
	for ri, rec := range recs[1:] {
		row := ri + 2
		if len(rec) != len(head) {
			return nil, &Error{File: file, Row: row, ZH: fmt.Sprintf("有 %d 个字段,表头有 %d 个", len(rec), len(head)),
				EN: fmt.Sprintf("%d fields, the header has %d", len(rec), len(head))}
		}
		code := strings.TrimSpace(rec[iu])
		if code == "" {
			return nil, &Error{File: file, Row: row, Column: iu + 1, ZH: "uCode 为空", EN: "empty uCode"}
		}
		t := ""
		if it >= 0 {
			t = strings.TrimSpace(rec[it])
		}
		key := code + "\x00" + t
		if prev, dup := keys[key]; dup {
			return nil, &Error{File: file, Row: row, Column: iu + 1, ZH: fmt.Sprintf("单元 %q 重复(第 %d 行已有)", code, prev),
				EN: fmt.Sprintf("duplicate unit %q (already on row %d)", code, prev)}
		}
		keys[key] = row
		d.UCodes = append(d.UCodes, code)
		d.UNames = append(d.UNames, strings.TrimSpace(rec[in]))
		if it >= 0 {
			d.Time = append(d.Time, t)
		}
		for k, j := range groupIdx {
			d.Groups[d.GroupNames[k]] = append(d.Groups[d.GroupNames[k]], strings.TrimSpace(rec[j]))
		}
		vals := make([]float64, len(indCols))
		for k, j := range indCols {
			v, ok := parseNum(rec[j])
			if !ok {
				return nil, &Error{File: file, Row: row, Column: j + 1,
					ZH: fmt.Sprintf("指标 %s 的值 %q 不是数字", head[j], rec[j]),
					EN: fmt.Sprintf("indicator %s: %q is not a number", head[j], rec[j])}
			}
			vals[k] = v
		}
		d.Values = append(d.Values, vals)
	}
	return d, nil
}

// ReadIMeta reads an iMeta CSV. Required columns: iCode, iName, Level,
// Parent, Direction, Weight, Type; optional: Unit, Target, Denominator
// (the iCode of a Type Denominator row that divides the indicator). Indicators and
// aggregates need a Level ≥ 1; indicators need Direction 1 or -1 and a
// Weight; codes are unique.
func ReadIMeta(r io.Reader, file string) (*IMeta, error) {
	recs, err := readAll(r, file)
	if err != nil {
		return nil, err
	}
	col := map[string]int{}
	for j, h := range recs[0] {
		col[strings.TrimSpace(h)] = j
	}
	for _, req := range []string{"iCode", "iName", "Level", "Parent", "Direction", "Weight", "Type"} {
		if _, ok := col[req]; !ok {
			return nil, &Error{File: file, Row: 1, ZH: "缺少列 " + req, EN: "missing column " + req}
		}
	}
	m := &IMeta{File: file}
	seen := map[string]int{}
	for ri, rec := range recs[1:] {
		row := ri + 2
		if len(rec) != len(recs[0]) {
			return nil, &Error{File: file, Row: row, ZH: fmt.Sprintf("有 %d 个字段,表头有 %d 个", len(rec), len(recs[0])),
				EN: fmt.Sprintf("%d fields, the header has %d", len(rec), len(recs[0]))}
		}
		get := func(name string) string {
			if j, ok := col[name]; ok {
				return strings.TrimSpace(rec[j])
			}
			return ""
		}
		bad := func(name, zh, en string) error {
			return &Error{File: file, Row: row, Column: col[name] + 1, ZH: zh, EN: en}
		}
		mr := IMetaRow{ICode: get("iCode"), IName: get("iName"), Parent: get("Parent"), Type: get("Type"), Unit: get("Unit"), Row: row}
		if mr.Parent == "NA" {
			mr.Parent = ""
		}
		if mr.ICode == "" {
			return nil, bad("iCode", "iCode 为空", "empty iCode")
		}
		if prev, dup := seen[mr.ICode]; dup {
			return nil, bad("iCode", fmt.Sprintf("iCode %q 重复(第 %d 行已有)", mr.ICode, prev), fmt.Sprintf("duplicate iCode %q (already on row %d)", mr.ICode, prev))
		}
		seen[mr.ICode] = row
		okType := false
		for _, t := range metaTypes {
			okType = okType || t == mr.Type
		}
		if !okType {
			return nil, bad("Type", fmt.Sprintf("Type %q 未知(可用: %s)", mr.Type, strings.Join(metaTypes, ", ")),
				fmt.Sprintf("unknown Type %q (known: %s)", mr.Type, strings.Join(metaTypes, ", ")))
		}
		structural := mr.Type == "Indicator" || mr.Type == "Aggregate"
		if s := get("Level"); s != "" && s != "NA" {
			l, err := strconv.Atoi(s)
			if err != nil || l < 1 {
				return nil, bad("Level", fmt.Sprintf("Level %q 不是正整数", s), fmt.Sprintf("Level %q is not a positive integer", s))
			}
			mr.Level = l
		} else if structural {
			return nil, bad("Level", "指标和聚合项需要 Level", "indicators and aggregates need a Level")
		}
		if mr.Type == "Indicator" && mr.Level != 1 {
			return nil, bad("Level", "指标的 Level 必须是 1", "an Indicator must have Level 1")
		}
		if s := get("Direction"); s != "" && s != "NA" {
			dv, err := strconv.Atoi(s)
			if err != nil || (dv != 1 && dv != -1) {
				return nil, bad("Direction", fmt.Sprintf("Direction %q 必须是 1 或 -1", s), fmt.Sprintf("Direction %q must be 1 or -1", s))
			}
			mr.Direction = dv
		} else if mr.Type == "Indicator" {
			return nil, bad("Direction", "指标需要 Direction", "an Indicator needs a Direction")
		}
		w, ok := parseNum(get("Weight"))
		if !ok {
			return nil, bad("Weight", fmt.Sprintf("Weight %q 不是数字", get("Weight")), fmt.Sprintf("Weight %q is not a number", get("Weight")))
		}
		if structural && !(w > 0) && !(math.IsNaN(w) && mr.Parent == "") {
			return nil, bad("Weight", fmt.Sprintf("权重必须为正,而不是 %v", w), fmt.Sprintf("Weight must be positive, not %v", w))
		}
		mr.Weight = w
		t, ok := parseNum(get("Target"))
		if !ok {
			return nil, bad("Target", fmt.Sprintf("Target %q 不是数字", get("Target")), fmt.Sprintf("Target %q is not a number", get("Target")))
		}
		mr.Target = t
		if d := get("Denominator"); d != "" && d != "NA" {
			if mr.Type != "Indicator" {
				return nil, bad("Denominator", "只有指标可以有分母", "only an Indicator can have a Denominator")
			}
			mr.Denominator = d
		}
		m.Rows = append(m.Rows, mr)
	}
	// A denominator is a row of Type Denominator (COINr's iMeta).
	types := map[string]string{}
	for _, r := range m.Rows {
		types[r.ICode] = r.Type
	}
	for _, r := range m.Rows {
		if r.Denominator != "" && types[r.Denominator] != "Denominator" {
			return nil, &Error{File: file, Row: r.Row, Column: col["Denominator"] + 1,
				ZH: fmt.Sprintf("分母 %q 不是 Type 为 Denominator 的行", r.Denominator), EN: fmt.Sprintf("denominator %q is not a row of Type Denominator", r.Denominator)}
		}
	}
	return m, nil
}
