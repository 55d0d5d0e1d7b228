package report

import (
	"strings"

	"agglo/internal/analysis"
	"agglo/internal/dataset"
	"agglo/internal/diagnose"
	"agglo/internal/format"
	"agglo/internal/i18n"
)

// summarySection is the one-page summary that opens the report: the
// ranking, each agglomeration's modes with their confidence, its main
// problem and its recommended strategy, each in a sentence or two with
// its number, and the replication's verdict.
func (b *builder) summarySection(a *analysis.ReportInputs) Section {
	s := Section{ID: "summary", Title: i18n.T("摘要", "Summary")}
	ps := a.Profiles
	var intro i18n.Text
	if ps != nil && ps.RankIndicator != "" && len(ps.Ranking) > 0 {
		lab := b.indicatorLabel(ps.RankIndicator)
		var zs []i18n.Text
		for _, code := range ps.Ranking {
			for _, p := range ps.Agglomerations {
				if p.Code != code {
					continue
				}
				v, _ := p.Value(ps.RankIndicator)
				unit := b.indicatorUnit(ps.RankIndicator)
				num := withUnit(format.Number(float64(v.Value), format.Decimals(unit, float64(v.Value), float64(v.Benchmark))), format.Unit(unit))
				zs = append(zs, i18n.T(b.name(code).ZH+"（"+num.ZH+"）", theName(b.name(code).EN)+" ("+num.EN+")"))
			}
		}
		l := joinTexts(zs, "、", ", ")
		how := i18n.T("", "")
		if v, ok := firstValue(ps, ps.RankIndicator); ok && v.Source == analysis.ProfileMemberMean {
			how = i18n.T("（成员省份平均）", " (mean over the member provinces)")
		}
		intro = i18n.T("按"+lab.ZH+how.ZH+"由高到低依次为："+l.ZH+"。", "Ranked by "+lowerFirst(lab.EN)+how.EN+", from highest: "+l.EN+".")
		s.Blocks = append(s.Blocks, &Paragraph{Text: intro})
	}
	var items []i18n.Text
	for _, p := range profilesOrDiagnosis(a) {
		items = append(items, b.summaryItem(a, p))
	}
	if len(items) > 0 {
		s.Blocks = append(s.Blocks, &List{Items: items})
	}
	if a.Replication != nil {
		s.Blocks = append(s.Blocks, &Paragraph{Text: verdictText(a.Replication.Verdict)})
	}
	s.Blocks = append(s.Blocks, &Paragraph{Note: true, Text: i18n.T(
		"置信度是阈值、指标、空间单元与年份在合理范围内变动时给出同一结论的变体比例；低于 "+b.uncertainLevel(a)+" 的结论只作为“不确定”列出，不作为发现。诊断与战略的依据见各城市群画像，方法见“方法与测度”，论文复现与数据来源见附录。",
		"Confidence is the share of variants (thresholds, indicators, spatial unit and years varied within reasonable ranges) that give the same label; a label below "+b.uncertainLevel(a)+" is listed as uncertain, not as a finding. The evidence behind each diagnosis and strategy is in the agglomeration profiles, the methods under Methods and measures, the replication of the paper and the data sources in the appendices.")})
	return s
}

// firstValue returns the first profile value of an indicator.
func firstValue(ps *analysis.Profiles, ind string) (analysis.ProfileValue, bool) {
	for _, p := range ps.Agglomerations {
		if v, ok := p.Value(ind); ok {
			return v, true
		}
	}
	return analysis.ProfileValue{}, false
}

// profilesOrDiagnosis lists the agglomerations of the summary: in ranking
// order where there is one, then the other diagnosed ones.
func profilesOrDiagnosis(a *analysis.ReportInputs) []string {
	var out []string
	seen := map[string]bool{}
	if a.Profiles != nil {
		for _, c := range a.Profiles.Ranking {
			out = append(out, c)
			seen[c] = true
		}
	}
	if a.Diagnosis != nil {
		for _, d := range a.Diagnosis.Agglomerations {
			if !seen[d.Code] {
				out = append(out, d.Code)
				seen[d.Code] = true
			}
		}
	}
	return out
}

// summaryItem says one agglomeration's findings in two sentences. Only
// assessed labels are stated as findings, with their confidence; an
// uncertain label is said to be uncertain, with the split of its
// variants, and what the data cannot assess is named as such.
func (b *builder) summaryItem(a *analysis.ReportInputs, code string) i18n.Text {
	name := b.name(code)
	head := i18n.T(name.ZH, theName(name.EN))
	if ps := a.Profiles; ps != nil {
		for _, p := range ps.Agglomerations {
			if p.Code != code {
				continue
			}
			if v, ok := p.Value(ps.RankIndicator); ok {
				rk := rankText(v.Rank, v.Of)
				head = i18n.T(head.ZH+"（"+rk.ZH+"）", head.EN+" (ranked "+rk.EN+")")
			}
		}
	}
	var first, second []i18n.Text
	if a.Diagnosis != nil {
		if d, ok := a.Diagnosis.Agglomeration(code); ok {
			first = append(first, b.summaryFindings(d)...)
			if pr, f, ok := mainProblem(d); ok {
				n := problemLabel(pr.ID)
				line := i18n.T("主要问题是"+n.ZH, "its main problem is "+n.EN)
				c := percentText(f.Confidence)
				if len(pr.Evidence) > 0 {
					ev := b.regionNames(pr.Evidence[0].Text)
					line = i18n.T(line.ZH+"（"+ev.ZH+"；置信度 "+c+"）", line.EN+" ("+ev.EN+"; confidence "+c+")")
				} else {
					line = i18n.T(line.ZH+"（置信度 "+c+"）", line.EN+" (confidence "+c+")")
				}
				first = append(first, line)
			} else if un := uncertainProblems(d); len(un) > 0 {
				var ns []i18n.Text
				for _, p := range un {
					ns = append(ns, problemLabel(p.ID))
				}
				n := joinTexts(ns, "、", ", ")
				first = append(first, i18n.T("可能存在"+n.ZH+"，但结论不确定", "it may suffer from "+n.EN+", but this is uncertain"))
			} else {
				first = append(first, i18n.T("数据未显示确定的突出问题", "the data show no marked problem with confidence"))
			}
			if s := d.Sourcing; s != nil && (s.Grade == dataset.SourcingFair || s.Grade == dataset.SourcingWeak) {
				g := dataset.GradeName(s.Grade)
				first = append(first, i18n.T("其成员名单"+g.ZH+"（"+strings.TrimRight(s.Note.ZH, "。")+"）", "its member list is "+g.EN+" ("+strings.TrimRight(s.Note.EN, ".")+")"))
			}
		}
	}
	if a.Strategy != nil {
		for _, sa := range a.Strategy.Agglomerations {
			if sa.Code != code || len(sa.Recommendations) == 0 {
				continue
			}
			t := recommendationTitle(sa.Recommendations[0])
			line := i18n.T("建议战略："+t.ZH, "Recommended strategy: "+t.EN)
			if len(sa.Alternatives) > 0 {
				var ts []i18n.Text
				for _, r := range sa.Alternatives {
					ts = append(ts, i18n.T("“"+r.TitleZH+"”", "\""+r.TitleEN+"\""))
				}
				alt := joinTexts(ts, "、", ", ")
				line = i18n.T(line.ZH+"（与之方向相反的"+alt.ZH+"未采纳，理由见画像）", line.EN+" (the opposite "+alt.EN+" is set aside; the profile says why)")
			}
			second = append(second, line)
		}
	}
	f := joinTexts(first, "；", "; ")
	out := i18n.T(head.ZH+"："+f.ZH+"。", upperFirst(head.EN)+": "+f.EN+".")
	if len(second) > 0 {
		sc := joinTexts(second, "；", "; ")
		out = i18n.T(out.ZH+sc.ZH+"。", out.EN+" "+sc.EN+".")
	}
	return out
}

// summaryFindings says the modes, the siphon or spread of the cores and
// the level: each assessed one with its confidence, each uncertain one as
// uncertain with its split, and the axes the data cannot assess in one
// clause.
func (b *builder) summaryFindings(d *diagnose.Agglomeration) []i18n.Text {
	var out, none []i18n.Text
	for _, axis := range []string{diagnose.AxisSpatial, diagnose.AxisFlow, diagnose.AxisLevel, diagnose.AxisOpenness} {
		f := finding(d, axis)
		an := diagnose.AxisName(axis)
		switch f.Status {
		case diagnose.StatusNotAssessable:
			none = append(none, an)
		case diagnose.StatusUncertain:
			out = append(out, i18n.T(an.ZH+f.Brief.ZH, an.EN+" "+f.Brief.EN))
		default:
			out = append(out, findingPhrase(f))
		}
	}
	if len(none) > 0 {
		n := joinTexts(none, "、", ", ")
		if k := len(none); k > 1 {
			// English: "its spatial mode and siphon or spread".
			n.EN = joinTexts(none[:k-1], "、", ", ").EN + " and " + none[k-1].EN
		}
		out = append(out, i18n.T(n.ZH+"无法由现有数据评估", "the data cannot assess its "+n.EN))
	}
	return out
}

// findingPhrase says an assessed finding in a clause: "空间上为核心引领模式
// （置信度 84%）", "核心城市呈虹吸态势（置信度 80%）".
func findingPhrase(f diagnose.Finding) i18n.Text {
	c := percentText(f.Confidence)
	l := modeLabel(f.Value)
	switch f.Axis {
	case diagnose.AxisSpatial:
		return i18n.T("空间上为"+l.ZH+"模式（置信度 "+c+"）", "its spatial mode is "+l.EN+" (confidence "+c+")")
	case diagnose.AxisOpenness:
		suffix := "模式"
		if f.Value == diagnose.Balanced {
			suffix = ""
		}
		return i18n.T("开放上为"+l.ZH+suffix+"（置信度 "+c+"）", "its openness mode is "+l.EN+" (confidence "+c+")")
	case diagnose.AxisFlow:
		if f.Value == diagnose.Stable {
			return i18n.T("核心城市份额基本稳定（置信度 "+c+"）", "the cores' share is stable (confidence "+c+")")
		}
		return i18n.T("核心城市呈"+l.ZH+"态势（置信度 "+c+"）", "its cores "+l.EN+" (confidence "+c+")")
	case diagnose.AxisLevel:
		return i18n.T("发展水平为"+l.ZH+"（置信度 "+c+"）", "its level is "+l.EN+" (confidence "+c+")")
	}
	an := diagnose.AxisName(f.Axis)
	return i18n.T(an.ZH+"："+f.Text.ZH, an.EN+": "+f.Text.EN)
}

// uncertainLevel is the confidence below which the diagnosis calls a label
// uncertain, in per cent.
func (b *builder) uncertainLevel(a *analysis.ReportInputs) string {
	if a.Diagnosis == nil {
		return "—"
	}
	return percentText(a.Diagnosis.UncertainBelow)
}
