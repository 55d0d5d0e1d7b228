package report

import (
	"fmt"
	"regexp"
	"strings"

	"agglo/internal/diagnose"
	"agglo/internal/format"
	"agglo/internal/i18n"
	"agglo/internal/strategy"
)

// This file holds the adapters between the labels of the analysis packages
// and the report's text. The diagnosis and the rulebook own their labels
// (diagnose.Label ...); the report reaches them only through these small
// functions, so that richer fields (a confidence on every label, analyst
// sentences, conflicts between recommendations) can be rendered by
// changing one function.

// modeLabel names a mode, level or stage code.
func modeLabel(code string) i18n.Text { return diagnose.Label(code) }

// problemLabel names a problem id.
func problemLabel(id string) i18n.Text { return diagnose.Label(id) }

// stageLabel names a development stage ("" and "auto" read as undetermined).
func stageLabel(code string) i18n.Text { return diagnose.Label(code) }

// percentText writes a confidence share (0.83) as "83%".
func percentText(share float64) string { return format.Number(100*share, 0) + "%" }

// scenarioValue names a value of the strategy scenario. The rulebook has
// no label function for them yet; these follow the paper's wording (IV).
func scenarioValue(v string) i18n.Text {
	switch v {
	case strategy.Stable:
		return i18n.T("稳定", "stable")
	case strategy.Unstable:
		return i18n.T("不稳定", "unstable")
	case strategy.Turbulent:
		return i18n.T("动荡", "turbulent")
	case strategy.Abundant:
		return i18n.T("充足", "abundant")
	case strategy.Limited:
		return i18n.T("有限", "limited")
	case strategy.StageAuto:
		return i18n.T("按诊断结果", "as diagnosed")
	}
	return stageLabel(v)
}

// scenarioText says a scenario in a sentence.
func scenarioText(sc strategy.Scenario) i18n.Text {
	d, in, r, st := scenarioValue(sc.Domestic), scenarioValue(sc.International), scenarioValue(sc.Resources), scenarioValue(sc.Stage)
	return i18n.T(
		"国内环境"+d.ZH+"、国际环境"+in.ZH+"、国内创新资源"+r.ZH+"，发展阶段"+st.ZH,
		"domestic environment "+d.EN+", international environment "+in.EN+", domestic innovation resources "+r.EN+", development stage "+st.EN)
}

// recommendationTitle is a recommendation's title.
func recommendationTitle(r strategy.Recommendation) i18n.Text { return i18n.T(r.TitleZH, r.TitleEN) }

// recommendationMeasures are a recommendation's measures.
func recommendationMeasures(r strategy.Recommendation) []i18n.Text {
	var out []i18n.Text
	for i, zh := range r.MeasuresZH {
		en := zh
		if i < len(r.MeasuresEN) {
			en = r.MeasuresEN[i]
		}
		out = append(out, i18n.T(zh, en))
	}
	return out
}

// recommendationRationale is a recommendation's rationale without the
// rulebook's references to paper sections in brackets ("（IV 引言）").
func recommendationRationale(r strategy.Recommendation) i18n.Text {
	return i18n.T(stripRefs(r.RationaleZH), stripRefs(r.RationaleEN))
}

var refBrackets = regexp.MustCompile(`\s*[（(][^（()）]*(?:IV|III|II|图\s?5|Figure 5|IV\.\d|III\.\d)[^（()）]*[)）]`)

func stripRefs(s string) string { return strings.TrimSpace(refBrackets.ReplaceAllString(s, "")) }

// metricNames name the metrics of the diagnosis evidence.
var metricNames = map[string]i18n.Text{
	"primacy_s2":                             i18n.T("两城首位度", "two-city primacy"),
	"dual_core_ratio":                        i18n.T("第二与第三成员之比", "ratio of the second to the third member"),
	"rank_size_q":                            i18n.T("位序-规模指数", "rank-size exponent"),
	"core_share":                             i18n.T("核心成员份额", "core member's share"),
	"dual_core_share":                        i18n.T("两核份额", "share of the two cores"),
	"cv":                                     i18n.T("变异系数", "coefficient of variation"),
	"mean_capacity_ratio":                    i18n.T("成员平均能力与比较平均之比", "members' mean capacity against the comparison mean"),
	"max_member_capacity_z":                  i18n.T("最强成员能力的标准分", "standard score of the strongest member"),
	"core_share_change":                      i18n.T("核心份额变化", "change in the core's share"),
	"relative_growth_core_periphery":         i18n.T("核心相对外围的增速", "growth of the core relative to the periphery"),
	"knowledge_acquisition_minus_creation_z": i18n.T("知识获取与知识创造标准分之差", "knowledge acquisition minus knowledge creation (standard scores)"),
	"knowledge_acquisition_z":                i18n.T("知识获取标准分", "standard score of knowledge acquisition"),
	"linkage_network_density":                i18n.T("联系网络密度", "density of the linkage network"),
	"enterprise_innovation_z":                i18n.T("企业创新标准分", "standard score of enterprise innovation"),
	"openness_score":                         i18n.T("开放度得分", "openness score"),
	"mean_structure_similarity":              i18n.T("产业结构平均相似系数", "mean similarity of industry structures"),
	"development_index":                      i18n.T("发展指数", "development index"),
	"between_cores_capacity_ratio":           i18n.T("两核之间成员能力与两核之比", "capacity between the two cores relative to the cores"),
	"patents_per_rd_expenditure_z":           i18n.T("单位R&D投资产出专利数标准分", "standard score of patents per R&D expenditure"),
	"rd_personnel_per_project_z":             i18n.T("单个R&D项目从业人数标准分", "standard score of R&D personnel per project"),
}

// metricLabel names a diagnosis metric; indicator standard scores
// ("<indicator>_z") are named through the catalogue by name.
func metricLabel(metric string, name func(indicator string) i18n.Text) i18n.Text {
	if t, ok := metricNames[metric]; ok {
		return t
	}
	if st, ok := strings.CutPrefix(metric, "development_index_"); ok {
		l := stageLabel(st)
		return i18n.T("发展指数（"+l.ZH+"）", "development index ("+l.EN+")")
	}
	if ind, ok := strings.CutSuffix(metric, "_member_mean"); ok && name != nil {
		if n := name(ind); n.ZH != ind {
			return i18n.T(n.ZH+"（成员平均）", lowerFirst(n.EN)+" (members' mean)")
		}
	}
	if name != nil {
		if n := name(metric); n.ZH != metric {
			return i18n.T(n.ZH, lowerFirst(n.EN))
		}
	}
	if ind, ok := strings.CutSuffix(metric, "_z"); ok && name != nil {
		n := name(ind)
		if n.ZH != ind {
			return i18n.T(n.ZH+"标准分", "standard score of "+strings.ToLower(n.EN[:1])+n.EN[1:])
		}
	}
	return i18n.T("判据", "criterion")
}

// opWords says a comparison in words: "≥" met reads "不低于"/"at or above".
func opWords(op string, met bool) i18n.Text {
	if !met {
		switch op {
		case "≥":
			op = "<"
		case "≤":
			op = ">"
		case ">":
			op = "≤"
		case "<":
			op = "≥"
		}
	}
	switch op {
	case "≥":
		return i18n.T("不低于", "at or above")
	case "≤":
		return i18n.T("不高于", "at or below")
	case ">":
		return i18n.T("高于", "above")
	case "<":
		return i18n.T("低于", "below")
	}
	return i18n.T("对照", "against")
}

// evidenceText says one piece of diagnosis evidence in words: "两城首位度
// 为 2.6，不低于阈值 2".
func evidenceText(e diagnose.Evidence, name func(string) i18n.Text) i18n.Text {
	m := metricLabel(e.Metric, name)
	v, th := format.Number(e.Value, evidenceDecimals(e.Value)), format.Number(e.Threshold, evidenceDecimals(e.Threshold))
	if e.Op == "goalposts" {
		// A stage indicator: its value (the scaled value is not repeated).
		return i18n.T(m.ZH+"为"+v, m.EN+" "+v)
	}
	w := opWords(e.Op, e.Met)
	return i18n.T(fmt.Sprintf("%s为%s，%s阈值%s", m.ZH, v, w.ZH, th), fmt.Sprintf("%s %s, %s the threshold %s", m.EN, v, w.EN, th))
}

// evidenceDecimals shows evidence values with two decimals, three below
// 0.1.
func evidenceDecimals(v float64) int {
	if v != 0 && v > -0.1 && v < 0.1 {
		return 3
	}
	return 2
}

// joinTexts joins texts with the language's list separator.
func joinTexts(ts []i18n.Text, zhSep, enSep string) i18n.Text {
	var zh, en []string
	for _, t := range ts {
		zh = append(zh, t.ZH)
		en = append(en, t.EN)
	}
	return i18n.T(strings.Join(zh, zhSep), strings.Join(en, enSep))
}

// identifier finds text a reader should never see: snake_case
// identifiers, key=value pairs, "paper:IV"-style references.
var identifier = regexp.MustCompile(`\b[A-Za-z][A-Za-z0-9]*_[A-Za-z0-9_]+\b|\b[A-Za-z_.]+=[A-Za-z0-9_."-]+|\bpaper[:.][A-Z]`)

// clean returns t when neither language shows an identifier, and false
// otherwise: text from the analysis packages that still carries rule-engine
// facts is left out rather than shown.
func clean(t i18n.Text) (i18n.Text, bool) {
	if identifier.MatchString(t.ZH) || identifier.MatchString(t.EN) {
		return i18n.Text{}, false
	}
	return t, true
}

var paperSection = regexp.MustCompile(`^(?:section )?(IV|III|II|I)(?:\.(\d+))?$`)

var romanZH = map[string]string{"I": "一", "II": "二", "III": "三", "IV": "四"}

// sourceText turns a provenance reference of agglo's data ("paper Table 3",
// "paper II.1 (overview)", "paper III.2, Table 3") into words in both
// languages. Remarks in brackets are kept in English only; a reference that
// is not the paper's (a user's file) is returned as it is.
func sourceText(ref string) i18n.Text {
	rest, ok := strings.CutPrefix(strings.TrimSpace(ref), "paper ")
	if !ok {
		return i18n.T(ref, ref)
	}
	remark := ""
	if i := strings.Index(rest, " ("); i >= 0 {
		remark, rest = strings.TrimSpace(rest[i:]), rest[:i]
	}
	if i := strings.Index(rest, ";"); i >= 0 {
		if remark == "" {
			remark = strings.TrimSpace(rest[i+1:])
		}
		rest = rest[:i]
	}
	var zh, en []string
	for _, part := range strings.Split(rest, ",") {
		part = strings.TrimSpace(part)
		switch {
		case strings.HasPrefix(part, "Table "):
			zh = append(zh, "表"+strings.TrimPrefix(part, "Table "))
			en = append(en, part)
		case strings.HasPrefix(part, "Figure "):
			zh = append(zh, "图"+strings.TrimPrefix(part, "Figure "))
			en = append(en, part)
		default:
			if m := paperSection.FindStringSubmatch(part); m != nil {
				z := "第" + romanZH[m[1]] + "节"
				e := "section " + m[1]
				if m[2] != "" {
					z += "第" + m[2] + "部分"
					e += "." + m[2]
				}
				zh = append(zh, z)
				en = append(en, e)
			} else {
				zh = append(zh, part)
				en = append(en, part)
			}
		}
	}
	z, e := "论文"+strings.Join(zh, "、"), "the paper, "+strings.Join(en, ", ")
	if remark != "" {
		e += " " + remark
		if !strings.HasPrefix(remark, "(") {
			e = "the paper, " + strings.Join(en, ", ") + "; " + remark
		}
	}
	return i18n.T(z, e)
}
