package composite

import (
	"math"

	"agglo/internal/coinr"
)

// FromCOINr converts COINr iData and iMeta tables to a framework and data.
// Rows of iMeta with Type Indicator become indicators and Type Aggregate
// aggregates (the one without Parent is the index; an empty Weight there is
// 1); Group rows and Group_ columns become unit groups; Denominator and Other
// rows are ignored. For panel data (a Time column with several values) time
// selects the rows; it is ignored otherwise. Normalisation defaults to
// min-max [0, 100], weights to the iMeta weights, aggregation to arithmetic
// means, as COINr's defaults.
func FromCOINr(d *coinr.IData, m *coinr.IMeta, time string) (*Framework, *Data, error) {
	fw := &Framework{Code: "coinr", NameEN: "COINr framework", NameZH: "COINr 框架"}
	for _, r := range m.Rows {
		w := r.Weight
		if math.IsNaN(w) {
			w = 1
		}
		switch r.Type {
		case "Indicator":
			fw.Indicators = append(fw.Indicators, Indicator{Code: r.ICode, NameEN: r.IName, Unit: r.Unit, Direction: r.Direction,
				Weight: w, Parent: r.Parent, line: r.Row})
		case "Aggregate":
			fw.Aggregates = append(fw.Aggregates, Aggregate{Code: r.ICode, NameEN: r.IName, Weight: w, Parent: r.Parent, line: r.Row})
		}
	}
	if err := fw.Validate(); err != nil {
		if ce, ok := err.(*Error); ok && ce.Line > 0 {
			ce.EN = m.File + " row " + itoa(ce.Line) + ": " + ce.EN
			ce.ZH = m.File + " 第 " + itoa(ce.Line) + " 行: " + ce.ZH
			ce.Line, ce.Column = 0, 0
		}
		return nil, nil, err
	}
	// COINr checks that iMeta levels agree with the hierarchy.
	for _, r := range m.Rows {
		if r.Type != "Aggregate" {
			continue
		}
		if li := fw.plan.index[r.ICode]; li[0]+1 != r.Level {
			return nil, nil, errorf("%s 第 %d 行: 聚合项 %q 的 Level 为 %d,但按层级结构应为 %d", "%s row %d: aggregate %q has Level %d, but the hierarchy puts it on level %d",
				m.File, r.Row, r.ICode, r.Level, li[0]+1)
		}
	}
	times := map[string]bool{}
	for _, t := range d.Time {
		times[t] = true
	}
	useTime := len(times) > 1
	if useTime && !times[time] {
		return nil, nil, errorf("iData 是面板数据(多个 Time 值),请选择一个存在的 Time,而不是 %q", "iData is panel data (several Time values): choose an existing Time, not %q", time)
	}
	out := &Data{Indicators: d.Indicators}
	for i, code := range d.UCodes {
		if useTime && d.Time[i] != time {
			continue
		}
		u := Unit{Code: code, Name: d.UNames[i], Groups: map[string]string{}}
		for _, g := range d.GroupNames {
			u.Groups[g] = d.Groups[g][i]
		}
		out.Units = append(out.Units, u)
		out.Values = append(out.Values, d.Values[i])
	}
	return fw, out, nil
}

func itoa(i int) string {
	const digits = "0123456789"
	if i == 0 {
		return "0"
	}
	var b []byte
	for ; i > 0; i /= 10 {
		b = append([]byte{digits[i%10]}, b...)
	}
	return string(b)
}
