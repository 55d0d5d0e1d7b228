package diagnose

import (
	"fmt"
	"slices"
	"strings"

	"agglo/internal/dataset"
	"agglo/internal/i18n"
)

// input is one indicator a reading used, at a spatial unit and a year.
type input struct {
	ind  string
	unit dataset.Level
	year int
}

// Resolution of an axis read from both city and province data.
const ResolutionMixed = "mixed"

// AxisInput is one indicator an axis of the diagnosis was read from, with
// its spatial unit (city or province data) and the years used.
type AxisInput struct {
	Indicator  string    `json:"indicator"`
	Name       i18n.Text `json:"name"`
	Resolution string    `json:"resolution"`
	Years      []int     `json:"years"`
}

// AxisData says which data one axis of the diagnosis was read from: its
// spatial unit (city, province or mixed), every indicator with its years,
// and the whole in words ("空间模式：城市数据（专利数 2017；常住人口 2020）").
type AxisData struct {
	Axis       string      `json:"axis"`
	Resolution string      `json:"resolution"`
	Inputs     []AxisInput `json:"inputs"`
	Text       i18n.Text   `json:"text"`
}

// resolutions lists the data behind each assessed axis of agg: the
// spatial mode (member-city size readings), the siphon or spread, the
// level, the openness mode and the knowledge-flow problem.
func (rn *runner) resolutions(a *Agglomeration, agg *dataset.Region) []AxisData {
	var out []AxisData
	add := func(axis string, ins []input) {
		if f, ok := a.Finding(axis); !ok || f.Status == StatusNotAssessable || len(ins) == 0 {
			return
		}
		out = append(out, rn.axisData(axis, ins))
	}
	var ins []input
	for _, v := range rn.sizeVariants(agg) {
		ins = append(ins, input{v.ind, dataset.LevelCity, v.year})
	}
	add(AxisSpatial, ins)
	ins = nil
	for _, v := range rn.flowVariants(agg) {
		ins = append(ins, input{v.ind, dataset.LevelCity, v.y0}, input{v.ind, dataset.LevelCity, v.y1})
	}
	add(AxisFlow, ins)
	ins = nil
	for _, v := range rn.levelVariants(agg) {
		ins = append(ins, input(v))
	}
	add(AxisLevel, ins)
	ins = nil
	for _, it := range rn.openItems(agg) {
		ins = append(ins, it.inputs...)
	}
	add(AxisOpenness, ins)
	ins = nil
	for _, it := range rn.flowItems(agg) {
		ins = append(ins, it.inputs...)
	}
	add(ProblemAxis(ProblemLowKnowledgeFlow), ins)
	return out
}

// axisData groups the inputs of an axis by indicator (in first-use order,
// years ascending) and says them in words.
func (rn *runner) axisData(axis string, ins []input) AxisData {
	d := AxisData{Axis: axis, Inputs: []AxisInput{}}
	units := map[dataset.Level]bool{}
	for _, in := range ins {
		units[in.unit] = true
		res := unitName(in.unit)
		i := slices.IndexFunc(d.Inputs, func(x AxisInput) bool { return x.Indicator == in.ind && x.Resolution == res })
		if i < 0 {
			d.Inputs = append(d.Inputs, AxisInput{Indicator: in.ind, Name: rn.indicatorName(in.ind), Resolution: res})
			i = len(d.Inputs) - 1
		}
		if !slices.Contains(d.Inputs[i].Years, in.year) {
			d.Inputs[i].Years = append(d.Inputs[i].Years, in.year)
			slices.Sort(d.Inputs[i].Years)
		}
	}
	switch {
	case len(units) > 1:
		d.Resolution = ResolutionMixed
	case units[dataset.LevelCity]:
		d.Resolution = ResolutionCity
	default:
		d.Resolution = ResolutionProvince
	}
	// Within a mixed axis each unit's inputs are listed under its name.
	part := func(res string) (zh, en string) {
		var z, e []string
		for _, in := range d.Inputs {
			if in.Resolution != res {
				continue
			}
			ys := make([]string, len(in.Years))
			for k, y := range in.Years {
				ys[k] = fmt.Sprint(y)
			}
			z = append(z, in.Name.ZH+" "+strings.Join(ys, "、"))
			e = append(e, lowerFirst(in.Name.EN)+" "+strings.Join(ys, ", "))
		}
		n := ResolutionName(res)
		return n.ZH + "（" + strings.Join(z, "；") + "）", n.EN + " (" + strings.Join(e, "; ") + ")"
	}
	an := AxisName(axis)
	if axis == ProblemAxis(ProblemLowKnowledgeFlow) {
		an = i18n.T("知识流动", "knowledge flow")
	}
	var zh, en []string
	for _, res := range []string{ResolutionCity, ResolutionProvince} {
		if slices.ContainsFunc(d.Inputs, func(x AxisInput) bool { return x.Resolution == res }) {
			z, e := part(res)
			zh, en = append(zh, z), append(en, e)
		}
	}
	d.Text = i18n.T(an.ZH+"："+strings.Join(zh, "与"), an.EN+": "+strings.Join(en, " and "))
	return d
}

// dataText joins the axes' data in one sentence for a table or a report.
func dataText(ds []AxisData) i18n.Text {
	var zh, en []string
	for _, d := range ds {
		zh, en = append(zh, d.Text.ZH), append(en, d.Text.EN)
	}
	return i18n.T(strings.Join(zh, "；"), strings.Join(en, "; "))
}
