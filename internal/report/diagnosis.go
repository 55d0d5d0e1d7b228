package report

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"agglo/internal/analysis"
	"agglo/internal/diagnose"
	"agglo/internal/format"
	"agglo/internal/i18n"
	"agglo/internal/strategy"
)

// agreementText names the status of a comparison with the paper.
func agreementText(s string) (i18n.Text, string) {
	switch s {
	case diagnose.Agree:
		return i18n.T("一致", "agrees"), "match"
	case diagnose.Disagree:
		return i18n.T("不一致", "disagrees"), "mismatch"
	case diagnose.NotAssessable:
		return i18n.T("数据不足", "not assessable"), "not-checkable"
	case diagnose.NotStated:
		return i18n.T("论文未述", "not stated"), "published-only"
	case diagnose.ComputedOnly:
		return i18n.T("仅计算发现", "computed only"), "published-only"
	}
	return i18n.T("—", "—"), ""
}

// paperLabel is the paper's label with its agreement: "核心引领（不一致）".
func paperLabel(code string, c diagnose.Comparison) Cell {
	if code == "" {
		return Cell{Text: i18n.T("论文未述", "not stated"), Class: "published-only"}
	}
	l := modeLabel(code)
	st, cls := agreementText(c.Status)
	return Cell{Text: i18n.T(l.ZH+"（"+st.ZH+"）", l.EN+" ("+st.EN+")"), Class: cls}
}

// confidenceNote says what a confidence is and where a label turns
// uncertain.
func confidenceNote(d *analysis.DiagnosisResult) i18n.Text {
	lvl := percentText(d.UncertainBelow)
	return i18n.T(
		"置信度是阈值、指标、空间单元、年份与部分成员的处理在合理范围内变动时给出同一结论的变体比例。低于 "+lvl+" 的结论标为“不确定”，并列出各变体给出的结论及其个数（如“不确定：低水平 7 / 高水平 8”）；证据单薄时即使各变体一致也标为不确定。“无法评估”表示现有数据看不到该方面，原因与所需数据见各城市群画像。",
		"Confidence is the share of variants (thresholds, indicators, spatial unit, years and the handling of partial members varied within reasonable ranges) that give the same label. A label below "+lvl+" is shown as uncertain with the labels the variants give and their numbers (e.g. \"uncertain: low 7 / high 8\"); thin evidence makes a label uncertain even when every variant agrees. \"Not assessable\" means the data at hand cannot see it; the reasons and the data needed are in each agglomeration's profile.")
}

// diagnosisAxes are the axes of the diagnosis table, in its order.
var diagnosisAxes = []string{diagnose.AxisSpatial, diagnose.AxisFlow, diagnose.AxisLevel, diagnose.AxisOpenness, diagnose.AxisStage}

// diagnosisSection sets the computed modes (each with its confidence, or
// uncertain with the split of its variants, or not assessable) beside the
// paper's, then the recommended modes and strategies of each
// agglomeration under the paper's scenario; the evidence is in each
// agglomeration's profile.
func (b *builder) diagnosisSection(d *analysis.DiagnosisResult, sr *analysis.StrategyResult) []Block {
	var out []Block
	out = append(out, &Paragraph{Text: i18n.T(
		"诊断由数据按明示的阈值计算（阈值及其依据见诊断命令的说明与阈值文件），与论文第三、四节的判断并列。阈值不为迎合论文而调整：有理由的不一致本身就是发现。",
		"The diagnosis is computed from the data with stated thresholds (see agglo diagnose and the thresholds file) and set beside the paper's sections III and IV. Thresholds are not tuned to copy the paper: an explained disagreement is a finding.")})
	t := &Table{ID: "diagnosis-table", Caption: i18n.T("计算的创新模式（含置信度）与论文的判断", "Computed innovation modes (with their confidence) and the paper's labels"),
		Columns: []Column{regionColumn(), {Label: i18n.T("空间模式", "Spatial mode")}, {Label: i18n.T("论文判断", "Paper")},
			{Label: i18n.T("虹吸与扩散", "Siphon or spread")}, {Label: i18n.T("发展水平", "Level")},
			{Label: i18n.T("开放模式", "Openness mode")}, {Label: i18n.T("论文判断", "Paper")}, {Label: i18n.T("发展阶段", "Stage")}}}
	var agreeS, disagreeS []i18n.Text
	uncertain := map[string][]i18n.Text{}
	unassessed := map[string][]i18n.Text{}
	for i := range d.Agglomerations {
		a := &d.Agglomerations[i]
		var pub diagnose.Published
		if a.Published != nil {
			pub = *a.Published
		}
		t.Rows = append(t.Rows, []Cell{{Text: b.name(a.Code)},
			findingCell(finding(a, diagnose.AxisSpatial)), paperLabel(pub.SpatialMode, a.Agreement.SpatialMode),
			findingCell(finding(a, diagnose.AxisFlow)), findingCell(finding(a, diagnose.AxisLevel)),
			findingCell(finding(a, diagnose.AxisOpenness)), paperLabel(pub.OpennessMode, a.Agreement.OpennessMode),
			stageCell(a)})
		switch a.Agreement.SpatialMode.Status {
		case diagnose.Agree:
			agreeS = append(agreeS, b.name(a.Code))
		case diagnose.Disagree:
			disagreeS = append(disagreeS, b.name(a.Code))
		}
		for _, axis := range diagnosisAxes {
			if axis == diagnose.AxisStage && a.StageSource == "override" {
				continue
			}
			f := finding(a, axis)
			switch f.Status {
			case diagnose.StatusUncertain:
				uncertain[axis] = append(uncertain[axis], i18n.T(b.name(a.Code).ZH+"（"+strings.TrimPrefix(f.Brief.ZH, "不确定：")+"）",
					theName(b.name(a.Code).EN)+" ("+strings.TrimPrefix(f.Brief.EN, "uncertain: ")+")"))
			case diagnose.StatusNotAssessable:
				unassessed[axis] = append(unassessed[axis], b.name(a.Code))
			}
		}
	}
	t.Notes = append(t.Notes, confidenceNote(d))
	t.Source = i18n.T("agglo 按阈值文件计算；论文判断取自论文第三、四节", "computed by agglo with its thresholds file; the paper's labels from its sections III and IV")
	out = append(out, t)
	var parts []i18n.Text
	if len(agreeS) > 0 {
		n := joinTexts(agreeS, "、", ", ")
		parts = append(parts, i18n.T("空间模式与论文一致的是"+n.ZH, "the spatial mode agrees with the paper for "+n.EN))
	}
	if len(disagreeS) > 0 {
		n := joinTexts(disagreeS, "、", ", ")
		parts = append(parts, i18n.T("与论文不一致的是"+n.ZH+"，原因见各城市群画像中的证据", "it disagrees for "+n.EN+"; the reasons are in each agglomeration's profile"))
	}
	all := len(d.Agglomerations)
	var nowhere []i18n.Text
	for _, axis := range diagnosisAxes {
		an := diagnose.AxisName(axis)
		if us := uncertain[axis]; len(us) > 0 {
			n := joinTexts(us, "；", "; ")
			parts = append(parts, i18n.T(an.ZH+"不确定、不作为结论的是："+n.ZH, "the "+an.EN+" is uncertain, and not stated as a finding, for "+n.EN))
		}
		if ns := unassessed[axis]; len(ns) > 0 {
			if len(ns) == all && all > 1 {
				nowhere = append(nowhere, an)
				continue
			}
			n := joinTexts(ns, "、", ", ")
			parts = append(parts, i18n.T(n.ZH+"的"+an.ZH+"无法由现有数据评估", "the data cannot assess the "+an.EN+" of "+n.EN))
		}
	}
	if len(nowhere) > 0 {
		n := joinTexts(nowhere, "、", ", ")
		parts = append(parts, i18n.T("现有数据无法评估任何城市群的"+n.ZH, "the data cannot assess the "+n.EN+" of any agglomeration"))
	}
	if len(parts) > 0 {
		out = append(out, &Paragraph{Interprets: t.ID, Text: sentences(parts...)})
	}
	if sr != nil {
		out = append(out, b.strategyTable(sr)...)
	}
	return out
}

// strategyTable lists the recommended modes and the engine's first
// strategy of each agglomeration under the scenario, and the
// recommendations set aside because they pushed the other way.
func (b *builder) strategyTable(sr *analysis.StrategyResult) []Block {
	sc := sr.ScenarioText
	out := []Block{&Paragraph{Text: i18n.T(
		"战略建议按论文的基准情景给出："+sc.ZH+"。规则库编码了图5的选择逻辑与第四节的各项战略；战略命令的情景与规则选项可改变情景与规则。"+sr.Priority.ZH+"。",
		"The strategies follow the paper's baseline scenario: "+sc.EN+". The rulebook encodes Figure 5's selection logic and section IV's strategies; agglo strategy's --scenario and --rules options change the scenario and the rules. "+upperFirst(sr.Priority.EN)+".")}}
	t := &Table{ID: "strategy-modes", Caption: i18n.T("推荐的创新模式与首要战略", "Recommended innovation modes and first strategy"),
		Columns: []Column{regionColumn(), {Label: i18n.T("推荐空间模式", "Recommended spatial mode")}, {Label: i18n.T("推荐开放模式", "Recommended openness mode")},
			{Label: i18n.T("首要战略", "First strategy")}, {Label: i18n.T("未采纳的备选", "Set aside")}}}
	var conflicts [][]Cell
	var withConflicts []i18n.Text
	for _, a := range sr.Agglomerations {
		first := i18n.T("—", "—")
		if len(a.Recommendations) > 0 {
			first = recommendationTitle(a.Recommendations[0])
		}
		alt := i18n.T("无", "none")
		if len(a.Alternatives) > 0 {
			var ts []i18n.Text
			for _, r := range a.Alternatives {
				ts = append(ts, recommendationTitle(r))
			}
			alt = joinTexts(ts, "；", "; ")
		}
		if len(a.Conflicts) > 0 {
			withConflicts = append(withConflicts, b.name(a.Code))
		}
		t.Rows = append(t.Rows, []Cell{{Text: b.name(a.Code)}, {Text: recommendedMode(a.RecommendedSpatialMode)}, {Text: recommendedMode(a.RecommendedOpennessMode)}, {Text: first}, {Text: alt}})
		for _, c := range a.Conflicts {
			chosen, _ := recommendationByID(a, c.Chosen)
			other, _ := recommendationByID(a, c.Alternative)
			cp, op := strategy.PushName(strategy.Push{Axis: c.Axis, Toward: c.ChosenTo}), strategy.PushName(strategy.Push{Axis: c.Axis, Toward: c.AltTo})
			ct, ot := recommendationTitle(chosen), recommendationTitle(other)
			conflicts = append(conflicts, []Cell{{Text: b.name(a.Code)}, {Text: strategy.AxisName(c.Axis)},
				{Text: i18n.T(fmt.Sprintf("%s（%s，优先级 %d）", ct.ZH, cp.ZH, chosen.Priority), fmt.Sprintf("%s (%s, priority %d)", ct.EN, cp.EN, chosen.Priority))},
				{Text: i18n.T(fmt.Sprintf("%s（%s，优先级 %d）", ot.ZH, op.ZH, other.Priority), fmt.Sprintf("%s (%s, priority %d)", ot.EN, op.EN, other.Priority))}})
		}
	}
	t.Source = i18n.T("agglo 内置规则库（依据论文第四节与图5）", "agglo's built-in rulebook (after the paper's section IV and Figure 5)")
	out = append(out, t)
	// Agglomerations sharing a recommended openness mode.
	by := map[string][]i18n.Text{}
	var modes []string
	for _, a := range sr.Agglomerations {
		m := a.RecommendedOpennessMode
		if _, ok := by[m]; !ok {
			modes = append(modes, m)
		}
		by[m] = append(by[m], b.name(a.Code))
	}
	var parts, choices []i18n.Text
	for _, m := range modes {
		if m == diagnose.Undetermined || m == "" {
			continue
		}
		n, l := joinTexts(by[m], "、", ", "), modeLabel(m)
		choices = append(choices, i18n.T(n.ZH+"宜选择"+l.ZH+"模式", n.EN+" should choose "+l.EN))
	}
	if len(choices) > 0 {
		c := joinTexts(choices, "；", "; ")
		parts = append(parts, i18n.T("在此情景下，"+c.ZH, "under this scenario "+c.EN))
	}
	if len(withConflicts) > 0 {
		n := joinTexts(withConflicts, "、", ", ")
		parts = append(parts, i18n.T(n.ZH+"有方向相反的建议，规则库按优先级取舍，未采纳的一方列为备选（见下表与各城市群画像）",
			"for "+n.EN+" some recommendations push opposite ways; the rulebook's priorities settle each, and the one set aside is listed as the alternative (see the table below and each profile)"))
	} else {
		parts = append(parts, i18n.T("在此情景下没有方向相反的建议", "no recommendations push opposite ways under this scenario"))
	}
	out = append(out, &Paragraph{Interprets: t.ID, Text: sentences(parts...)})
	if len(conflicts) > 0 {
		ct := &Table{ID: "strategy-conflicts", Caption: i18n.T("方向相反的建议及取舍", "Recommendations pushing opposite ways, and the choice"),
			Columns: []Column{regionColumn(), {Label: i18n.T("方面", "Axis")}, {Label: i18n.T("采纳", "Recommended")}, {Label: i18n.T("未采纳（备选）", "Set aside (alternative)")}},
			Rows:    conflicts, Source: i18n.T("agglo 内置规则库（依据论文第四节与图5）", "agglo's built-in rulebook (after the paper's section IV and Figure 5)")}
		out = append(out, ct)
	}
	return out
}

// evidenceCharts draws one bar chart per metric (and comparison) that the
// diagnosis used for several agglomerations, with the threshold as a
// reference line where it is the same for all.
func (b *builder) evidenceCharts(d *analysis.DiagnosisResult) []Block {
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
			key := e.Metric + " " + e.Op
			if by[key] == nil {
				by[key] = map[string]cell{}
				order = append(order, key)
			}
			by[key][a.Code] = cell{e.Value, e.Threshold, e.Op}
			names[key] = e.Name
		}
	}
	sort.SliceStable(order, func(i, j int) bool { return len(by[order[i]]) > len(by[order[j]]) })
	var out []Block
	for k, key := range order {
		vals := by[key]
		if len(vals) < 2 {
			continue
		}
		metric, _, _ := strings.Cut(key, " ")
		lab := names[key]
		id := "diagnosis-" + strings.NewReplacer("_", "-", ".", "-", " ", "-").Replace(metric) + fmt.Sprintf("-%d", k+1)
		ch := &Chart{ID: id, Kind: ChartBar, Decimals: 2}
		ser := Series{Name: lab}
		var all []float64
		for _, c := range vals {
			all = append(all, c.value)
		}
		ch.Decimals = max(2, format.Decimals("", all...))
		pv := &Prov{Kind: "computed", Formula: metric, Label: i18n.T("诊断证据："+lab.ZH, "diagnosis evidence: "+lab.EN)}
		var thr *cell
		same := true
		for _, a := range d.Agglomerations {
			ch.Categories = append(ch.Categories, b.name(a.Code))
			c, ok := vals[a.Code]
			if !ok {
				ser.Points = append(ser.Points, Point{})
				continue
			}
			if thr != nil && c.threshold != thr.threshold {
				same = false
			}
			thr = &c
			ser.Points = append(ser.Points, numPoint(c.value, pv))
		}
		ch.Series = []Series{ser}
		w := opWords(thr.op, true)
		if same {
			ch.Reference = ptr(thr.threshold)
			th := format.Number(thr.threshold, evidenceDecimals(thr.threshold))
			ch.Caption = i18n.T(fmt.Sprintf("诊断指标：%s（%s%s时成立；虚线为阈值）", lab.ZH, w.ZH, th), fmt.Sprintf("Diagnosis metric: %s (holds %s %s; the dashed line is the threshold)", lab.EN, w.EN, th))
		} else {
			ch.Caption = i18n.T(fmt.Sprintf("诊断指标：%s（%s各城市群自身的阈值时成立；阈值因城市群而异，见各城市群画像）", lab.ZH, w.ZH), fmt.Sprintf("Diagnosis metric: %s (holds %s each agglomeration's own threshold, which differs by agglomeration: see the profiles)", lab.EN, w.EN))
		}
		out = append(out, ch)
		if p := chartInterpretation(ch); p != nil {
			out = append(out, p)
		}
	}
	return out
}

// chartInterpretation names the largest and smallest value of a
// one-series chart, formatted as the chart shows them.
func chartInterpretation(ch *Chart) *Paragraph {
	if len(ch.Series) != 1 {
		return nil
	}
	hi, lo := -1, -1
	pts := ch.Series[0].Points
	for i, p := range pts {
		if p.Value == nil || math.IsNaN(*p.Value) {
			continue
		}
		if hi < 0 || *p.Value > *pts[hi].Value {
			hi = i
		}
		if lo < 0 || *p.Value < *pts[lo].Value {
			lo = i
		}
	}
	if hi < 0 || hi == lo {
		return nil
	}
	lab := ch.Series[0].Name
	hv, lv := format.Number(*pts[hi].Value, ch.Decimals), format.Number(*pts[lo].Value, ch.Decimals)
	return &Paragraph{Interprets: ch.ID, Text: i18n.T(
		lab.ZH+"最高的是"+ch.Categories[hi].ZH+"（"+hv+"），最低的是"+ch.Categories[lo].ZH+"（"+lv+"）。",
		upperFirst(lowerFirst(lab.EN))+" is highest in "+theName(ch.Categories[hi].EN)+" ("+hv+") and lowest in "+theName(ch.Categories[lo].EN)+" ("+lv+").")}
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
