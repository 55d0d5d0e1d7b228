package report

import (
	"fmt"
	"sort"
	"strings"

	"agglo/internal/analysis"
	"agglo/internal/diagnose"
	"agglo/internal/i18n"
	"agglo/internal/strategy"
)

func diagStatus(s string) (i18n.Text, string) {
	switch s {
	case diagnose.Agree:
		return i18n.T("一致", "agree"), "match"
	case diagnose.Disagree:
		return i18n.T("不一致", "disagree"), "mismatch"
	case diagnose.NotAssessable:
		return i18n.T("数据不可见", "not assessable"), "not-checkable"
	case diagnose.NotStated:
		return i18n.T("论文未述", "not stated"), "published-only"
	case diagnose.ComputedOnly:
		return i18n.T("仅计算发现", "computed only"), "published-only"
	}
	return i18n.T(s, s), ""
}

func problemNames() map[string]i18n.Text {
	out := map[string]i18n.Text{}
	for _, p := range diagnose.Problems() {
		out[p.ID] = p.Name
	}
	return out
}

// diagnosisSection sets agglo's diagnosis beside the paper's assessment,
// with the evidence of every label and problem.
func (b *builder) diagnosisSection(d *analysis.DiagnosisResult) Section {
	s := Section{ID: "diagnosis", Title: i18n.T("创新模式与问题诊断：计算结果与论文对照", "Diagnosis of modes and problems: computed beside the paper")}
	s.Blocks = append(s.Blocks, &Paragraph{Text: i18n.T(
		"以下诊断由数据按明示阈值计算（阈值及其依据见 agglo diagnose 与阈值文件），与论文第三、四节的判断并列；不一致之处给出原因。阈值不为迎合论文而调整：有理由的不一致本身就是发现。",
		"The diagnosis below is computed from the data with stated thresholds (see agglo diagnose and the thresholds file) and set beside the paper's sections III and IV; every disagreement carries its reason. Thresholds are not tuned to copy the paper: an explained disagreement is a finding.")})
	t := &Table{ID: "diagnosis-table", Caption: i18n.T("计算的模式与论文的判断", "Computed modes and the paper's labels"),
		Columns: []Column{regionColumn(), {Label: i18n.T("数据层级", "Data level")}, {Label: i18n.T("空间模式（计算）", "Spatial mode (computed)")}, {Label: i18n.T("论文", "Paper")}, {Label: i18n.T("对照", "Agreement")},
			{Label: i18n.T("水平（计算/论文）", "Level (computed/paper)")}, {Label: i18n.T("开放模式（计算）", "Openness (computed)")}, {Label: i18n.T("论文", "Paper")}, {Label: i18n.T("对照", "Agreement")},
			{Label: i18n.T("发展阶段", "Stage")}, {Label: i18n.T("置信度（空间/开放）", "Confidence (spatial/openness)")}}}
	for _, a := range d.Agglomerations {
		pubSpatial, pubOpen, pubLevel := "", "", ""
		if a.Published != nil {
			pubSpatial, pubOpen, pubLevel = a.Published.SpatialMode, a.Published.OpennessMode, a.Published.Level
		}
		st1, c1 := diagStatus(a.Agreement.SpatialMode.Status)
		st2, c2 := diagStatus(a.Agreement.OpennessMode.Status)
		level := diagnose.Label(a.Level)
		if pubLevel != "" {
			pl := diagnose.Label(pubLevel)
			level = i18n.T(level.ZH+" / "+pl.ZH, level.EN+" / "+pl.EN)
		}
		res := i18n.T(map[string]string{"province": "省级", "city": "城市级"}[a.DataResolution], a.DataResolution)
		if res.ZH == "" {
			res.ZH = a.DataResolution
		}
		cs, co := findingConfidence(a, diagnose.AxisSpatial), findingConfidence(a, diagnose.AxisOpenness)
		conf := i18n.T(cs.ZH+" / "+co.ZH, cs.EN+" / "+co.EN)
		t.Rows = append(t.Rows, []Cell{{Text: b.name(a.Code)}, {Text: res}, {Text: diagnose.Label(a.SpatialMode)}, {Text: diagnose.Label(pubSpatial)}, {Text: st1, Class: c1},
			{Text: level}, {Text: diagnose.Label(a.OpennessMode)}, {Text: diagnose.Label(pubOpen)}, {Text: st2, Class: c2},
			{Text: diagnose.Label(a.Stage)}, {Text: conf}})
	}
	t.Notes = append(t.Notes, i18n.T(fmt.Sprintf("置信度：在阈值、指标、空间单元、年份与部分成员处理的合理变动下给出同一标签的变体比例；低于 %.0f%% 的标签标为“不确定”，各变体的分布见下文。", 100*d.UncertainBelow),
		fmt.Sprintf("Confidence: the share of variants (thresholds, indicators, spatial unit, years and partial members varied within reasonable ranges) that give the same label; a label below %.0f%% is marked uncertain, with the split of the variants below.", 100*d.UncertainBelow)))
	s.Blocks = append(s.Blocks, t)

	names := problemNames()
	for _, a := range d.Agglomerations {
		var items []i18n.Text
		add := func(label i18n.Text, evs []diagnose.Evidence, reason i18n.Text) {
			var evZH, evEN []string
			for _, e := range evs {
				evZH, evEN = append(evZH, e.Text.ZH), append(evEN, e.Text.EN)
			}
			line := i18n.T(label.ZH+"："+strings.Join(evZH, "；"), label.EN+": "+strings.Join(evEN, "; "))
			if reason.ZH != "" || reason.EN != "" {
				line = i18n.T(line.ZH+"。"+reason.ZH, line.EN+". "+reason.EN)
			}
			items = append(items, line)
		}
		add(i18n.T("空间模式 "+diagnose.Label(a.SpatialMode).ZH, "Spatial mode "+diagnose.Label(a.SpatialMode).EN), a.SpatialEvidence, a.Agreement.SpatialMode.Reason)
		add(i18n.T("开放模式 "+diagnose.Label(a.OpennessMode).ZH, "Openness "+diagnose.Label(a.OpennessMode).EN), a.OpennessEvidence, a.Agreement.OpennessMode.Reason)
		for _, p := range a.Problems {
			add(i18n.T("问题："+names[p.ID].ZH, "Problem: "+names[p.ID].EN), p.Evidence, i18n.Text{})
		}
		for _, u := range a.Unassessed {
			n := names[u.ID]
			items = append(items, i18n.T("无法评估："+n.ZH+"。"+u.Reason.ZH+"；需要："+u.Needs.ZH, "Not assessable: "+n.EN+". "+u.Reason.EN+"; needs: "+u.Needs.EN))
		}
		for _, pc := range a.Agreement.Problems {
			if pc.Status == diagnose.Disagree {
				items = append(items, i18n.T("与论文不一致（"+names[pc.ID].ZH+"，"+diagnose.RefsZH(pc.Refs)+"）："+pc.Reason.ZH,
					"Disagrees with the paper ("+names[pc.ID].EN+", "+strings.Join(pc.Refs, ", ")+"): "+pc.Reason.EN))
			}
		}
		items = append(items, a.Notes...)
		for _, axis := range []string{diagnose.AxisSpatial, diagnose.AxisFlow, diagnose.AxisLevel, diagnose.AxisOpenness, diagnose.AxisStage} {
			if f, ok := a.Finding(axis); ok {
				n := diagnose.AxisName(axis)
				line := i18n.T(n.ZH+"："+f.Text.ZH, n.EN+": "+f.Text.EN)
				if axis == diagnose.AxisFlow && a.Flow != nil {
					line = i18n.T(line.ZH+"。"+a.Flow.Text.ZH, line.EN+". "+a.Flow.Text.EN)
				}
				items = append(items, line)
			}
		}
		s.Blocks = append(s.Blocks, &Paragraph{Text: i18n.T(b.name(a.Code).ZH+"的证据", "Evidence for "+b.name(a.Code).EN)}, &List{Items: items})
	}
	s.Blocks = append(s.Blocks, evidenceCharts(b, d)...)
	return s
}

// measureText writes a measure with the indicators that would show it
// working, e.g. "……（监测：R&D经费上升）".
func measureText(m strategy.MeasureOut) i18n.Text {
	if len(m.Monitor) == 0 {
		return m.Text
	}
	dir := map[string]i18n.Text{strategy.Up: i18n.T("上升", "up"), strategy.Down: i18n.T("下降", "down"), strategy.StableTrend: i18n.T("保持稳定", "stable")}
	var zh, en []string
	for _, mo := range m.Monitor {
		zh = append(zh, mo.Name.ZH+dir[mo.Direction].ZH)
		en = append(en, mo.Name.EN+" "+dir[mo.Direction].EN)
	}
	return i18n.T(m.Text.ZH+"（监测："+strings.Join(zh, "、")+"）", m.Text.EN+" (monitor: "+strings.Join(en, ", ")+")")
}

// findingConfidence shows a label's confidence, "uncertain" below the
// diagnosis' level, or that it cannot be assessed.
func findingConfidence(a diagnose.Agglomeration, axis string) i18n.Text {
	f, ok := a.Finding(axis)
	switch {
	case !ok || f.Status == diagnose.StatusNotAssessable:
		return i18n.T("无法评估", "not assessable")
	case f.Status == diagnose.StatusUncertain:
		return i18n.T(fmt.Sprintf("不确定（%.0f%%）", 100*f.Confidence), fmt.Sprintf("uncertain (%.0f%%)", 100*f.Confidence))
	}
	p := fmt.Sprintf("%.0f%%", 100*f.Confidence)
	return i18n.T(p, p)
}

// evidenceCharts draws one bar chart per metric that the diagnosis used
// for several agglomerations, with the threshold in the caption.
func evidenceCharts(b *builder, d *analysis.DiagnosisResult) []Block {
	type cell struct {
		value     float64
		threshold float64
		op        string
	}
	by := map[string]map[string]cell{}
	names := map[string]i18n.Text{}
	var order []string
	for _, a := range d.Agglomerations {
		evs := append(append([]diagnose.Evidence(nil), a.SpatialEvidence...), a.OpennessEvidence...)
		for _, e := range evs {
			if by[e.Metric] == nil {
				by[e.Metric] = map[string]cell{}
				order = append(order, e.Metric)
			}
			by[e.Metric][a.Code] = cell{e.Value, e.Threshold, e.Op}
			names[e.Metric] = e.Name
		}
	}
	sort.SliceStable(order, func(i, j int) bool { return len(by[order[i]]) > len(by[order[j]]) })
	var out []Block
	for _, m := range order {
		vals := by[m]
		if len(vals) < 2 {
			continue
		}
		var thr cell
		same := true
		ch := &Chart{ID: "diagnosis-" + strings.NewReplacer("_", "-", ".", "-", " ", "-").Replace(m), Kind: ChartBar}
		name := names[m]
		if name.ZH == "" {
			name = i18n.T(m, m)
		}
		ser := Series{Name: name}
		for _, a := range d.Agglomerations {
			ch.Categories = append(ch.Categories, b.name(a.Code))
			c, ok := vals[a.Code]
			if !ok {
				ser.Points = append(ser.Points, Point{})
				continue
			}
			if thr.op != "" && (c.threshold != thr.threshold || c.op != thr.op) {
				same = false
			}
			thr = c
			ser.Points = append(ser.Points, numPoint(c.value, computed(fmt.Sprintf("%s (diagnosis evidence; threshold %s %.3g)", m, c.op, c.threshold))))
		}
		ch.Series = []Series{ser}
		ch.Caption = i18n.T(fmt.Sprintf("诊断指标：%s（阈值 %s %.3g）", name.ZH, thr.op, thr.threshold), fmt.Sprintf("Diagnosis metric: %s (threshold %s %.3g)", name.EN, thr.op, thr.threshold))
		if !same {
			ch.Caption = i18n.T("诊断指标："+name.ZH+"（阈值因城市群而异）", "Diagnosis metric: "+name.EN+" (the threshold differs by agglomeration)")
		}
		out = append(out, ch)
	}
	return out
}

// strategySection lists each agglomeration's recommendations under the
// baseline scenario, with the facts that made each rule fire.
func (b *builder) strategySection(sr *analysis.StrategyResult) Section {
	s := Section{ID: "strategy", Title: i18n.T("“双循环”情景下的战略建议", "Strategies under the dual-circulation scenario")}
	sc := sr.ScenarioText
	s.Blocks = append(s.Blocks, &Paragraph{Text: i18n.T(
		"情景："+sc.ZH+"。规则库编码了图5的选择逻辑与第四部分的各项战略；方向相反的建议按规则库声明的优先级取舍，另一项列为备选并说明理由。",
		"Scenario: "+sc.EN+". The rulebook encodes Figure 5's selection logic and the strategies of section IV; recommendations pushing opposite ways are settled by the rulebook's declared priority and the other is shown as the alternative with the reason.")})
	t := &Table{ID: "strategy-modes", Caption: i18n.T("推荐的创新模式", "Recommended innovation modes"),
		Columns: []Column{regionColumn(), {Label: i18n.T("发展阶段", "Stage")}, {Label: i18n.T("推荐空间模式", "Recommended spatial mode")}, {Label: i18n.T("推荐开放模式", "Recommended openness mode")}, {Label: i18n.T("建议数", "Recommendations")}}}
	for _, a := range sr.Agglomerations {
		n := fmt.Sprint(len(a.Recommendations))
		t.Rows = append(t.Rows, []Cell{{Text: b.name(a.Code)}, {Text: diagnose.Label(a.Stage)}, {Text: diagnose.Label(a.RecommendedSpatialMode)}, {Text: diagnose.Label(a.RecommendedOpennessMode)}, {Text: i18n.T(n, n)}})
	}
	s.Blocks = append(s.Blocks, t)
	for _, a := range sr.Agglomerations {
		for _, r := range a.Recommendations {
			src := strategy.SourceText(r.Source)
			head := i18n.T(fmt.Sprintf("%s · %s（%s，优先级 %d）", b.name(a.Code).ZH, r.TitleZH, src.ZH, r.Priority), fmt.Sprintf("%s · %s (%s, priority %d)", b.name(a.Code).EN, r.TitleEN, src.EN, r.Priority))
			s.Blocks = append(s.Blocks, &Paragraph{Text: head})
			var items []i18n.Text
			for _, m := range r.Measures {
				items = append(items, measureText(m))
			}
			items = append(items, i18n.T("理由："+r.RationaleZH+"（"+r.Because.ZH+"）", "Why: "+r.RationaleEN+" ("+r.Because.EN+")"))
			s.Blocks = append(s.Blocks, &List{Items: items})
		}
		if len(a.Conflicts) > 0 {
			var items []i18n.Text
			for _, c := range a.Conflicts {
				items = append(items, c.Reason)
			}
			s.Blocks = append(s.Blocks, &Paragraph{Text: i18n.T(b.name(a.Code).ZH+" · 方向相反的建议及取舍", b.name(a.Code).EN+" · recommendations pushing opposite ways and the choice")}, &List{Items: items})
		}
	}
	return s
}

// placeOnDiagram adds agglo's recommended modes to Figure 5's boxes.
func placeOnDiagram(sections []Section, sr *analysis.StrategyResult, name func(string) i18n.Text) {
	placed := map[string][]i18n.Text{}
	for _, a := range sr.Agglomerations {
		for _, m := range []string{a.RecommendedSpatialMode, a.RecommendedOpennessMode} {
			code := strings.ReplaceAll(m, "-", "_")
			if code == "multi_point" || code == "core_led" || code == "internal_creation" || code == "external_cooperation" {
				placed[code] = append(placed[code], name(a.Code))
			}
		}
	}
	for i := range sections {
		for _, bl := range sections[i].Blocks {
			if d, ok := bl.(*StrategyDiagram); ok {
				for j := range d.Modes {
					d.Modes[j].Placed = placed[d.Modes[j].Code]
				}
			}
		}
	}
}
