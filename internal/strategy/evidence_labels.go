package strategy

import (
	"strings"

	"agglo/internal/diagnose"
	"agglo/internal/i18n"
)

// EvidenceText says in words what a rule read (an Evidence's fact and
// value): "论文判断·空间模式：核心引领", "problems.siphon = false" as
// "虹吸效应：否". Unknown facts keep their names.
func EvidenceText(fact, value string) i18n.Text {
	prefix := i18n.T("", "")
	name := fact
	if rest, ok := strings.CutPrefix(name, "paper."); ok {
		prefix, name = i18n.T("论文判断·", "the paper's "), rest
	}
	var subject i18n.Text
	switch {
	case strings.HasPrefix(name, "problems."):
		subject = diagnose.Label(strings.TrimPrefix(name, "problems."))
	case strings.HasPrefix(name, "scenario."):
		subject = scenarioKeyName(strings.TrimPrefix(name, "scenario."))
	default:
		subject = factName(name)
	}
	return i18n.T(prefix.ZH+subject.ZH+"："+evidenceValue(value).ZH, prefix.EN+subject.EN+": "+evidenceValue(value).EN)
}

func factName(f string) i18n.Text {
	switch f {
	case "spatial_mode":
		return i18n.T("空间模式", "spatial mode")
	case "openness_mode":
		return i18n.T("开放模式", "openness mode")
	case "level":
		return i18n.T("水平", "level")
	case "stage":
		return i18n.T("发展阶段", "stage")
	case "data_resolution":
		return i18n.T("数据层级", "data level")
	case "code":
		return i18n.T("城市群", "agglomeration")
	}
	return i18n.T(f, f)
}

func scenarioKeyName(k string) i18n.Text {
	switch k {
	case "domestic":
		return i18n.T("国内环境", "domestic environment")
	case "international":
		return i18n.T("国际环境", "international environment")
	case "resources":
		return i18n.T("国内创新资源", "domestic innovation resources")
	case "stage":
		return i18n.T("发展阶段", "stage")
	}
	return i18n.T(k, k)
}

func evidenceValue(v string) i18n.Text {
	switch v {
	case "true":
		return i18n.T("是", "yes")
	case "false":
		return i18n.T("否", "no")
	case "", `""`:
		return i18n.T("未给出", "not stated")
	case Stable, Unstable, Turbulent, Abundant, Limited, StageAuto:
		return ScenarioValueName(v)
	case diagnose.ResolutionProvince, diagnose.ResolutionCity:
		return diagnose.ResolutionName(v)
	}
	return diagnose.Label(v)
}

// DirectionName names the direction a monitored indicator should move (Up,
// Down, StableTrend).
func DirectionName(dir string) i18n.Text {
	switch dir {
	case Up:
		return i18n.T("上升", "up")
	case Down:
		return i18n.T("下降", "down")
	case StableTrend:
		return i18n.T("保持稳定", "stable")
	}
	return i18n.T(dir, dir)
}

// Text says what to watch: the indicator and the direction it should
// move, e.g. 国外资金占R&D经费比重（应上升）.
func (m Monitor) Text() i18n.Text {
	d := DirectionName(m.Direction)
	name := m.Name
	if name.ZH == "" {
		name = i18n.T(m.Indicator, m.Indicator)
	}
	switch m.Direction {
	case StableTrend:
		return i18n.T(name.ZH+"（应保持稳定）", name.EN+" (should hold steady)")
	case Up, Down:
		return i18n.T(name.ZH+"（应"+d.ZH+"）", name.EN+" (should go "+d.EN+")")
	}
	return i18n.T(name.ZH+"（"+d.ZH+"）", name.EN+" ("+d.EN+")")
}
