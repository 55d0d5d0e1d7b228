package diagnose

import "agglo/internal/i18n"

// Label returns the user-visible name of a label this package assigns: a
// spatial or openness mode, a level, a development stage or a problem.
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
	case High:
		return i18n.T("高水平", "high")
	case Low:
		return i18n.T("低水平", "low")
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

// Labels returns the names of every mode, level, stage and problem code,
// for clients that show labels (the dashboard receives them with each
// diagnosis and strategy).
func Labels() map[string]i18n.Text {
	out := map[string]i18n.Text{}
	for _, c := range []string{CoreLed, MultiPoint, ExternalCooperation, InternalCreation, Balanced, High, Low, Undetermined} {
		out[c] = Label(c)
	}
	for _, s := range Stages() {
		out[s] = StageName(s)
	}
	for _, p := range Problems() {
		out[p.ID] = p.Name
	}
	return out
}
