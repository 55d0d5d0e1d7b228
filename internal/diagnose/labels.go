package diagnose

import "agglo/internal/i18n"

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
