package coinr

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"agglo/internal/composite"
	"agglo/internal/i18n"
)

// Framework converts iMeta to a composite-index framework. Rows of Type
// Indicator become indicators and rows of Type Aggregate aggregates (the
// one without Parent is the index; an empty Weight there is 1); Group,
// Denominator and Other rows are not part of the hierarchy; an indicator's
// Denominator becomes its denominator (applied when the index denominates,
// as COINr's Denominate). The methods
// are COINr's defaults: min-max normalisation to [0, 100], the iMeta
// weights and arithmetic means at every level. Errors name the iMeta row.
func Framework(m *IMeta) (*composite.Framework, error) {
	// The framework is written as YAML, one node per line, so that the
	// framework parser's located errors map back to iMeta rows.
	var b strings.Builder
	b.WriteString("code: coinr\nname_zh: COINr 框架\nname_en: COINr framework\n")
	rowOfLine := map[int]int{}
	line := 4
	item := func(v map[string]any, row int) {
		j, _ := json.Marshal(v)
		b.WriteString("  - ")
		b.Write(j)
		b.WriteByte('\n')
		rowOfLine[line] = row
		line++
	}
	weight := func(w float64) float64 {
		if math.IsNaN(w) {
			return 1
		}
		return w
	}
	b.WriteString("indicators:\n")
	line++
	n := 0
	for _, r := range m.Rows {
		if r.Type == "Indicator" {
			v := map[string]any{"code": r.ICode, "name_en": r.IName, "name_zh": r.IName, "unit": r.Unit, "direction": r.Direction,
				"weight": weight(r.Weight), "parent": r.Parent}
			if r.Denominator != "" {
				v["denominator"] = r.Denominator
			}
			item(v, r.Row)
			n++
		}
	}
	if n == 0 {
		b.WriteString("  []\n")
		line++
	}
	b.WriteString("aggregates:\n")
	line++
	n = 0
	for _, r := range m.Rows {
		if r.Type == "Aggregate" {
			v := map[string]any{"code": r.ICode, "name_en": r.IName, "name_zh": r.IName, "weight": weight(r.Weight)}
			if r.Parent != "" {
				v["parent"] = r.Parent
			}
			item(v, r.Row)
			n++
		}
	}
	if n == 0 {
		b.WriteString("  []\n")
	}
	fw, err := composite.ParseFramework(strings.NewReader(b.String()))
	if err != nil {
		var ce *composite.Error
		if errors.As(err, &ce) {
			if row, ok := rowOfLine[ce.Line]; ok {
				return nil, &i18n.Error{Text: i18n.T(fmt.Sprintf("%s 第 %d 行：%s", m.File, row, ce.ZH), fmt.Sprintf("%s row %d: %s", m.File, row, ce.EN))}
			}
			return nil, &i18n.Error{Text: i18n.T(m.File+"："+ce.ZH, m.File+": "+ce.EN)}
		}
		return nil, err
	}
	// COINr checks that iMeta levels agree with the hierarchy.
	level := map[string]int{}
	for l := 1; l <= fw.NumLevels(); l++ {
		for _, c := range fw.LevelCodes(l) {
			level[c] = l
		}
	}
	for _, r := range m.Rows {
		if r.Type == "Aggregate" && level[r.ICode] != r.Level {
			return nil, i18n.Errorf("%s 第 %d 行：聚合项“%s”的 Level 为 %d，但按层级结构应为 %d", "%s row %d: aggregate %q has Level %d, but the hierarchy puts it on level %d",
				m.File, r.Row, r.ICode, r.Level, level[r.ICode])
		}
	}
	return fw, nil
}

// Table returns the rows of d as the input table of an index: for panel
// data (a Time column with several values) the rows of time, otherwise all
// rows. Each unit's groups are its group columns.
func Table(d *IData, time string) (*composite.Data, error) {
	times := map[string]bool{}
	for _, t := range d.Time {
		times[t] = true
	}
	panel := len(times) > 1
	if panel && !times[time] {
		var list []string
		for t := range times {
			list = append(list, t)
		}
		sort.Slice(list, func(i, j int) bool { return less(list[i], list[j]) })
		return nil, i18n.Errorf("iData 是面板数据（多个 Time 值），请用 Time 选择其一（可选：%s），收到“%s”", "iData is panel data (several Time values): choose one Time (%s), not %q",
			strings.Join(list, ", "), time)
	}
	out := &composite.Data{Indicators: d.Indicators}
	for i, code := range d.UCodes {
		if panel && d.Time[i] != time {
			continue
		}
		u := composite.Unit{Code: code, Name: d.UNames[i], Groups: map[string]string{}}
		for _, g := range d.GroupNames {
			u.Groups[g] = d.Groups[g][i]
		}
		out.Units = append(out.Units, u)
		out.Values = append(out.Values, d.Values[i])
	}
	return out, nil
}

// Period returns the Time of a table taken with Table(d, time): time, or
// the one Time value of d, or "".
func Period(d *IData, time string) string {
	if time != "" {
		return time
	}
	for _, t := range d.Time {
		return t
	}
	return ""
}

// less orders numerically when both are numbers.
func less(a, b string) bool {
	x, e1 := strconv.Atoi(a)
	y, e2 := strconv.Atoi(b)
	if e1 == nil && e2 == nil {
		return x < y
	}
	return a < b
}
