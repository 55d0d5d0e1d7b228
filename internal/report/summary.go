package report

import (
	"agglo/internal/analysis"
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
		"置信度是阈值与能力指标在合理范围内变动时给出同一结论的比例；诊断与战略的依据见各城市群画像，方法见“方法与测度”，论文复现与数据来源见附录。",
		"Confidence is the share of variants (thresholds and capacity indicator varied within reasonable ranges) that give the same label; the evidence behind each diagnosis and strategy is in the agglomeration profiles, the methods under Methods and measures, the replication of the paper and the data sources in the appendices.")})
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

// summaryItem says one agglomeration's findings in two sentences.
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
			first = append(first, i18n.T(
				modePhrase(d.SpatialMode, "空间", "spatial", d.Confidence.SpatialMode).ZH+"，"+modePhrase(d.OpennessMode, "开放", "openness", d.Confidence.OpennessMode).ZH,
				modePhrase(d.SpatialMode, "空间", "spatial", d.Confidence.SpatialMode).EN+" and "+modePhrase(d.OpennessMode, "开放", "openness", d.Confidence.OpennessMode).EN))
			if d.SpatialMode == diagnose.Undetermined && d.OpennessMode == diagnose.Undetermined {
				first = []i18n.Text{i18n.T("数据不足以判定其创新模式", "the data cannot tell its innovation modes")}
			}
			if pr, ok := mainProblem(*d); ok {
				n := problemLabel(pr.ID)
				ev := i18n.Text{}
				if len(pr.Evidence) > 0 {
					ev = evidenceText(pr.Evidence[0], b.indicatorLabel)
				}
				line := i18n.T("主要问题是"+n.ZH, "its main problem is "+n.EN)
				if ev.ZH != "" {
					line = i18n.T(line.ZH+"（"+ev.ZH+"）", line.EN+" ("+ev.EN+")")
				}
				first = append(first, line)
			} else {
				first = append(first, i18n.T("数据未显示突出问题", "the data show no marked problem"))
			}
		}
	}
	if a.Strategy != nil {
		for _, sa := range a.Strategy.Agglomerations {
			if sa.Code != code {
				continue
			}
			if r, ok := topRecommendation(sa); ok {
				t := recommendationTitle(r)
				second = append(second, i18n.T("建议战略："+t.ZH, "Recommended strategy: "+t.EN))
			}
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

// modePhrase says a mode with its confidence: "空间上为多点并行模式（置信度
// 100%）", or "空间模式未定" when undetermined.
func modePhrase(code, axisZH, axisEN string, conf float64) i18n.Text {
	c := percentText(conf)
	if code == diagnose.Undetermined || code == "" {
		return i18n.T(axisZH+"模式未定（置信度"+c+"）", "its "+axisEN+" mode is undetermined (confidence "+c+")")
	}
	l := modeLabel(code)
	suffix := ""
	if code != diagnose.Balanced {
		suffix = "模式"
	}
	return i18n.T(axisZH+"上为"+l.ZH+suffix+"（置信度"+c+"）", "its "+axisEN+" mode is "+l.EN+" (confidence "+c+")")
}
