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

// This file holds the adapters between the labels and texts of the
// analysis packages and the report. The diagnosis and the rulebook own
// their labels and sentences (diagnose.Label, Finding.Brief, Narrative,
// strategy.SourceText, Monitor.Text ...); the report lays them out.

// modeLabel names a mode, level or stage code.
func modeLabel(code string) i18n.Text { return diagnose.Label(code) }

// problemLabel names a problem id (a problem's name, not the flow label
// that shares its code: "siphon" is 中心城市虹吸效应 here, not 虹吸).
func problemLabel(id string) i18n.Text {
	for _, p := range diagnose.Problems() {
		if p.ID == id {
			return p.Name
		}
	}
	return diagnose.Label(id)
}

// stageLabel names a development stage ("" and "auto" read as undetermined).
func stageLabel(code string) i18n.Text { return diagnose.Label(code) }

// percentText writes a confidence share (0.83) as "83%".
func percentText(share float64) string { return format.Number(100*share, 0) + "%" }

// finding is the finding of an axis of a diagnosis (diagnose.AxisSpatial,
// …, diagnose.ProblemAxis(id)); an axis the diagnosis did not judge reads
// as not assessable.
func finding(a *diagnose.Agglomeration, axis string) diagnose.Finding {
	if f, ok := a.Finding(axis); ok {
		return f
	}
	na := diagnose.StatusName(diagnose.StatusNotAssessable)
	return diagnose.Finding{Axis: axis, Value: diagnose.Undetermined, Status: diagnose.StatusNotAssessable, Text: na, Brief: na}
}

// findingCell shows a finding in a table: the label with its confidence,
// "不确定：低水平 7 / 高水平 8", or "无法评估", styled by its status.
func findingCell(f diagnose.Finding) Cell {
	return Cell{Text: f.Brief, Class: findingClass(f.Status)}
}

// findingClass is the style of a finding's status.
func findingClass(status string) string {
	switch status {
	case diagnose.StatusUncertain:
		return "uncertain"
	case diagnose.StatusNotAssessable:
		return "not-assessable"
	}
	return ""
}

// stageCell is the stage a diagnosis holds: a stage the user set is shown
// as such, else the stage's finding.
func stageCell(a *diagnose.Agglomeration) Cell {
	if a.StageSource == "override" {
		l := stageLabel(a.Stage)
		return Cell{Text: i18n.T(l.ZH+"（用户指定）", l.EN+" (set by the user)")}
	}
	return findingCell(finding(a, diagnose.AxisStage))
}

// recommendedMode names a recommended mode; no rule pushing the axis reads
// as "no direction", not as an undetermined label.
func recommendedMode(code string) i18n.Text {
	if code == diagnose.Undetermined || code == "" {
		return i18n.T("无明确方向", "no direction")
	}
	return modeLabel(code)
}

// recommendationTitle is a recommendation's title.
func recommendationTitle(r strategy.Recommendation) i18n.Text { return i18n.T(r.TitleZH, r.TitleEN) }

// recommendationHead is a recommendation's title with its source and
// priority: "……（论文四.3，优先级 1）".
func recommendationHead(r strategy.Recommendation) i18n.Text {
	t, src := recommendationTitle(r), strategy.SourceText(r.Source)
	return i18n.T(fmt.Sprintf("%s（%s，优先级 %d）", t.ZH, src.ZH, r.Priority), fmt.Sprintf("%s (%s, priority %d)", t.EN, src.EN, r.Priority))
}

// measureText is a measure with the indicators that would show it
// working: "……（监测：国外资金占R&D经费比重（应上升））".
func measureText(m strategy.MeasureOut) i18n.Text {
	if len(m.Monitor) == 0 {
		return m.Text
	}
	var ts []i18n.Text
	for _, mo := range m.Monitor {
		t := mo.Text()
		ts = append(ts, i18n.T(t.ZH, lowerFirst(t.EN)))
	}
	l := joinTexts(ts, "、", "; ")
	return i18n.T(strings.TrimRight(m.Text.ZH, "。")+"（监测："+l.ZH+"）", strings.TrimRight(m.Text.EN, ".")+" (monitor: "+l.EN+")")
}

// recommendationRationale is a recommendation's rationale, with the
// paper's sections it rests on.
func recommendationRationale(r strategy.Recommendation) i18n.Text {
	return i18n.T(r.RationaleZH, r.RationaleEN)
}

// recommendationByID finds a fired rule of an agglomeration, recommended
// or set aside.
func recommendationByID(a strategy.Agglomeration, id string) (strategy.Recommendation, bool) {
	for _, list := range [][]strategy.Recommendation{a.Recommendations, a.Alternatives} {
		for _, r := range list {
			if r.ID == id {
				return r, true
			}
		}
	}
	return strategy.Recommendation{}, false
}

// factAxis is the diagnosis axis a fact of the rules reads ("level",
// "problems.siphon" → "problem:siphon").
func factAxis(fact string) string {
	if id, ok := strings.CutPrefix(fact, "problems."); ok {
		return diagnose.ProblemAxis(id)
	}
	return fact
}

// shakyFacts lists, in words, the facts a recommendation rests on that
// the diagnosis holds uncertain, and those taken from the paper because
// the data cannot settle them.
func shakyFacts(r strategy.Recommendation, d *diagnose.Agglomeration) (uncertain, paper []i18n.Text) {
	for _, e := range r.Evidence {
		switch e.Source {
		case strategy.SourcePaper:
			paper = append(paper, e.Text)
		case strategy.SourceComputed:
			if d == nil {
				continue
			}
			if f, ok := d.Finding(factAxis(e.Fact)); ok && f.Status == diagnose.StatusUncertain {
				n := diagnose.AxisName(f.Axis)
				uncertain = append(uncertain, i18n.T(n.ZH+"（"+f.Brief.ZH+"）", n.EN+" ("+f.Brief.EN+")"))
			}
		}
	}
	return uncertain, paper
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
