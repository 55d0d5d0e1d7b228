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

// confidenceCell shows a label's confidence in percent.
func confidenceCell(share float64) Cell {
	return numCell(100*share, 0, &Prov{Kind: "computed", Formula: "share of variants", Label: i18n.T("阈值与能力指标变动时给出同一结论的变体比例", "share of the variants (thresholds and capacity indicator varied) that give the same label")})
}

// diagnosisSection sets the computed modes beside the paper's, and the
// recommended modes and strategy of each agglomeration under the paper's
// scenario; the evidence is in each agglomeration's profile.
func (b *builder) diagnosisSection(d *analysis.DiagnosisResult, sr *analysis.StrategyResult) []Block {
	var out []Block
	out = append(out, &Paragraph{Text: i18n.T(
		"诊断由数据按明示的阈值计算（阈值及其依据见 agglo diagnose 与阈值文件），与论文第三、四节的判断并列。阈值不为迎合论文而调整：有理由的不一致本身就是发现。置信度是阈值与能力指标在合理范围内变动时给出同一结论的比例。",
		"The diagnosis is computed from the data with stated thresholds (see agglo diagnose and the thresholds file) and set beside the paper's sections III and IV. Thresholds are not tuned to copy the paper: an explained disagreement is a finding. Confidence is the share of variants (thresholds and capacity indicator varied within reasonable ranges) that give the same label.")})
	t := &Table{ID: "diagnosis-table", Caption: i18n.T("计算的创新模式与论文的判断", "Computed innovation modes and the paper's labels"),
		Columns: []Column{regionColumn(), {Label: i18n.T("空间模式", "Spatial mode")}, {Label: i18n.T("置信度", "Confidence"), Unit: format.Unit("%")}, {Label: i18n.T("论文判断", "Paper")},
			{Label: i18n.T("开放模式", "Openness mode")}, {Label: i18n.T("置信度", "Confidence"), Unit: format.Unit("%")}, {Label: i18n.T("论文判断", "Paper")},
			{Label: i18n.T("水平", "Level")}, {Label: i18n.T("发展阶段", "Stage")}}}
	var agreeS, disagreeS, unassessedS []i18n.Text
	for _, a := range d.Agglomerations {
		var pub diagnose.Published
		if a.Published != nil {
			pub = *a.Published
		}
		t.Rows = append(t.Rows, []Cell{{Text: b.name(a.Code)},
			{Text: modeLabel(a.SpatialMode)}, confidenceCell(a.Confidence.SpatialMode), paperLabel(pub.SpatialMode, a.Agreement.SpatialMode),
			{Text: modeLabel(a.OpennessMode)}, confidenceCell(a.Confidence.OpennessMode), paperLabel(pub.OpennessMode, a.Agreement.OpennessMode),
			{Text: modeLabel(a.Level)}, {Text: stageLabel(a.Stage)}})
		switch a.Agreement.SpatialMode.Status {
		case diagnose.Agree:
			agreeS = append(agreeS, b.name(a.Code))
		case diagnose.Disagree:
			disagreeS = append(disagreeS, b.name(a.Code))
		case diagnose.NotAssessable:
			unassessedS = append(unassessedS, b.name(a.Code))
		}
	}
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
	if len(unassessedS) > 0 {
		n := joinTexts(unassessedS, "、", ", ")
		parts = append(parts, i18n.T(n.ZH+"的空间模式无法由现有数据判断（需要成员城市的规模数据），原因见各城市群画像", "the data cannot settle the spatial mode of "+n.EN+" (it needs the member cities' sizes); the reasons are in each agglomeration's profile"))
	}
	if len(parts) > 0 {
		out = append(out, &Paragraph{Interprets: t.ID, Text: sentences(parts...)})
	}
	if sr != nil {
		out = append(out, b.strategyTable(sr)...)
	}
	return out
}

// topRecommendation is the recommendation of highest priority (lowest
// number) that names a strategy of the paper's section IV for this
// agglomeration, else the first.
func topRecommendation(a strategy.Agglomeration) (strategy.Recommendation, bool) {
	if len(a.Recommendations) == 0 {
		return strategy.Recommendation{}, false
	}
	best := a.Recommendations[0]
	for _, r := range a.Recommendations[1:] {
		if r.Priority < best.Priority {
			best = r
		}
	}
	return best, true
}

// strategyTable lists the recommended modes and the first strategy of each
// agglomeration under the scenario.
func (b *builder) strategyTable(sr *analysis.StrategyResult) []Block {
	sc := scenarioText(sr.Scenario)
	out := []Block{&Paragraph{Text: i18n.T(
		"战略建议按论文的基准情景给出："+sc.ZH+"。规则库编码了图5的选择逻辑与第四节的五项战略；agglo strategy 的 --scenario 与 --rules 选项可改变情景与规则。",
		"The strategies follow the paper's baseline scenario: "+sc.EN+". The rulebook encodes Figure 5's selection logic and section IV's five strategies; agglo strategy's --scenario and --rules options change the scenario and the rules.")}}
	t := &Table{ID: "strategy-modes", Caption: i18n.T("推荐的创新模式与首要战略", "Recommended innovation modes and first strategy"),
		Columns: []Column{regionColumn(), {Label: i18n.T("发展阶段", "Stage")}, {Label: i18n.T("推荐空间模式", "Recommended spatial mode")}, {Label: i18n.T("推荐开放模式", "Recommended openness mode")}, {Label: i18n.T("首要战略", "First strategy")}}}
	for _, a := range sr.Agglomerations {
		first := i18n.T("—", "—")
		if r, ok := topRecommendation(a); ok {
			first = recommendationTitle(r)
		}
		t.Rows = append(t.Rows, []Cell{{Text: b.name(a.Code)}, {Text: stageLabel(a.Stage)}, {Text: modeLabel(a.RecommendedSpatialMode)}, {Text: modeLabel(a.RecommendedOpennessMode)}, {Text: first}})
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
	var parts []i18n.Text
	for _, m := range modes {
		if m == diagnose.Undetermined || m == "" {
			continue
		}
		n, l := joinTexts(by[m], "、", ", "), modeLabel(m)
		parts = append(parts, i18n.T("在此情景下，"+n.ZH+"宜选择"+l.ZH+"模式", "under this scenario "+n.EN+" should choose "+l.EN))
	}
	if len(parts) > 0 {
		out = append(out, &Paragraph{Interprets: t.ID, Text: sentences(parts...)})
	}
	return out
}

// evidenceCharts draws one bar chart per metric that the diagnosis used
// for several agglomerations, with the threshold as a reference line.
func (b *builder) evidenceCharts(d *analysis.DiagnosisResult) []Block {
	type cell struct {
		value     float64
		threshold float64
		op        string
	}
	by := map[string]map[string]cell{}
	var order []string
	for _, a := range d.Agglomerations {
		evs := append(append([]diagnose.Evidence(nil), a.SpatialEvidence...), a.OpennessEvidence...)
		for _, e := range evs {
			if by[e.Metric] == nil {
				by[e.Metric] = map[string]cell{}
				order = append(order, e.Metric)
			}
			by[e.Metric][a.Code] = cell{e.Value, e.Threshold, e.Op}
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
		lab := metricLabel(m, b.indicatorLabel)
		id := "diagnosis-" + strings.NewReplacer("_", "-", ".", "-", " ", "-").Replace(m)
		ch := &Chart{ID: id, Kind: ChartBar, Decimals: 2}
		ser := Series{Name: lab}
		var all []float64
		for _, c := range vals {
			all = append(all, c.value)
		}
		ch.Decimals = max(2, format.Decimals("", all...))
		pv := &Prov{Kind: "computed", Formula: m, Label: i18n.T("诊断证据："+lab.ZH, "diagnosis evidence: "+lab.EN)}
		for _, a := range d.Agglomerations {
			ch.Categories = append(ch.Categories, b.name(a.Code))
			c, ok := vals[a.Code]
			if !ok {
				ser.Points = append(ser.Points, Point{})
				continue
			}
			thr = c
			ser.Points = append(ser.Points, numPoint(c.value, pv))
		}
		ch.Series = []Series{ser}
		ch.Reference = ptr(thr.threshold)
		w := opWords(thr.op, true)
		th := format.Number(thr.threshold, evidenceDecimals(thr.threshold))
		ch.Caption = i18n.T(fmt.Sprintf("诊断指标：%s（%s%s时成立；虚线为阈值）", lab.ZH, w.ZH, th), fmt.Sprintf("Diagnosis metric: %s (holds %s %s; the dashed line is the threshold)", lab.EN, w.EN, th))
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
