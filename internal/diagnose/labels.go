package diagnose

import (
	"strings"

	"agglo/internal/i18n"
)

// Label returns the user-visible name of a label this package assigns: a
// spatial or openness mode, a level, a flow (siphon, spread, stable), a
// development stage, a problem or a problem's outcome (present, absent).
// An unknown code is returned as it is.
func Label(code string) i18n.Text {
	switch code {
	case CoreLed:
		return i18n.T("核心引领", "core-led")
	case MultiPoint:
		return i18n.T("多点并行", "multi-point parallel")
	case ExternalCooperation:
		return i18n.T("外部合作", "external cooperation")
	case InternalCreation:
		return i18n.T("内部创造", "internal creation")
	case Balanced:
		return i18n.T("内外均衡", "balanced")
	case DomesticCirculation:
		return i18n.T("国内循环为主", "domestic circulation first")
	case High:
		return i18n.T("高水平", "high")
	case Low:
		return i18n.T("低水平", "low")
	case Siphon:
		return i18n.T("虹吸", "siphon")
	case Spread:
		return i18n.T("扩散", "spread")
	case Stable:
		return i18n.T("基本稳定", "stable")
	case Present:
		return i18n.T("存在", "present")
	case Absent:
		return i18n.T("不存在", "absent")
	case "", Undetermined:
		return i18n.T("未定", "undetermined")
	}
	if ValidStage(code) {
		return StageName(code)
	}
	if p, ok := problemInfo(code); ok {
		return p.Name
	}
	return i18n.T(code, code)
}

// Labels returns the names of every mode, level, flow, stage, problem and
// outcome code, for clients that show labels (the dashboard receives them
// with each diagnosis and strategy).
func Labels() map[string]i18n.Text {
	out := map[string]i18n.Text{}
	for _, c := range []string{CoreLed, MultiPoint, ExternalCooperation, InternalCreation, Balanced, DomesticCirculation, High, Low,
		Siphon, Spread, Stable, Present, Absent, Undetermined} {
		out[c] = Label(c)
	}
	for _, s := range Stages() {
		out[s] = StageName(s)
	}
	for _, p := range Problems() {
		out[p.ID] = p.Name
	}
	for _, s := range []string{StatusAssessed, StatusUncertain, StatusNotAssessable} {
		out[s] = StatusName(s)
	}
	return out
}

// StatusName names a finding's status.
func StatusName(s string) i18n.Text {
	switch s {
	case StatusAssessed:
		return i18n.T("已评估", "assessed")
	case StatusUncertain:
		return i18n.T("不确定", "uncertain")
	case StatusNotAssessable:
		return i18n.T("无法评估", "not assessable")
	}
	return i18n.T(s, s)
}

// AxisName names an axis of the diagnosis.
func AxisName(axis string) i18n.Text {
	switch axis {
	case AxisSpatial:
		return i18n.T("空间模式", "spatial mode")
	case AxisLevel:
		return i18n.T("发展水平", "level")
	case AxisOpenness:
		return i18n.T("开放模式", "openness mode")
	case AxisFlow:
		return i18n.T("虹吸与扩散", "siphon or spread")
	case AxisStage:
		return i18n.T("发展阶段", "development stage")
	}
	if len(axis) > 8 && axis[:8] == "problem:" {
		if p, ok := problemInfo(axis[8:]); ok {
			return i18n.T("问题："+p.Name.ZH, "problem: "+p.Name.EN)
		}
	}
	return i18n.T(axis, axis)
}

// AxisNeeds names the data that would settle an axis of the diagnosis (or
// a problem, ProblemAxis(id)) when the data at hand cannot assess it.
func AxisNeeds(axis string) i18n.Text {
	switch axis {
	case AxisSpatial:
		return i18n.T("成员城市的规模数据（常住人口、GDP 等）与指定的核心城市", "the member cities' size (population, GDP or the like) and the designated cores")
	case AxisFlow:
		return i18n.T("成员城市两个以上年份的规模数据（常住人口、GDP 等）", "the member cities' size (population, GDP or the like) in two or more years")
	case AxisLevel:
		return i18n.T("成员与全国同级单元（各省或各城市）的创新能力或经济规模数据", "innovation capacity or economic size of the members and of every province or city of the nation")
	case AxisOpenness:
		return i18n.T("开放数据：外资占R&D经费比重、技术市场吸纳与输出成交额、外贸依存度或外商直接投资", "openness data: the foreign share of R&D expenditure, technology bought and sold on the technology market, trade dependence or foreign direct investment")
	case AxisStage:
		return i18n.T("发展阶段评价体系各判据的数据（至少覆盖其权重的一半）及各阶段的标准值", "data on the stage classification's criteria (at least half of their weight) and its standard values for each stage")
	}
	if id, ok := strings.CutPrefix(axis, "problem:"); ok {
		if p, ok := problemInfo(id); ok {
			return p.Needs
		}
	}
	return i18n.Text{}
}
