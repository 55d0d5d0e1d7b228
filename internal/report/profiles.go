package report

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"

	"agglo/internal/analysis"
	"agglo/internal/diagnose"
	"agglo/internal/format"
	"agglo/internal/i18n"
	"agglo/internal/strategy"
)

// fullName is an agglomeration's full name (京津冀城市群).
func (b *builder) fullName(code string) i18n.Text {
	r, ok := b.ds.Region(code)
	if !ok {
		return i18n.T(code, code)
	}
	return i18n.T(r.NameZH, r.NameEN)
}

// indicatorUnit is an indicator's display unit; scores without a unit
// read as points.
func (b *builder) indicatorUnit(code string) string {
	if ind, ok := b.ds.Indicator(code); ok {
		if ind.Unit == "" && strings.HasPrefix(code, "cric_") {
			return "分"
		}
		return ind.Unit
	}
	return ""
}

// benchmarkName names the benchmark of the profiles.
func benchmarkName(p *analysis.Profiles) i18n.Text {
	if p.FiveGroup {
		return i18n.T("五大城市群平均", "five-agglomeration average")
	}
	return i18n.T("各城市群平均", "average of the agglomerations")
}

// profileTable lays out one agglomeration's key indicators against the
// benchmark.
type profileRow struct {
	value, bench, rel Cell
	v                 analysis.ProfileValue
}

// profileValueProv is the provenance of a profile value: the observation
// itself, or the mean over the members.
func (b *builder) profileValueProv(code string, v analysis.ProfileValue) *Prov {
	if v.Source == analysis.ProfileMemberMean {
		var names []i18n.Text
		for _, m := range v.Members {
			names = append(names, b.name(m))
		}
		n := joinTexts(names, "、", ", ")
		return &Prov{Kind: "computed", Formula: "mean over members", Inputs: v.Members,
			Label: i18n.T("成员（"+n.ZH+"）数值的平均", "mean over the members ("+n.EN+")")}
	}
	if o, ok := b.ds.Lookup(code, v.Indicator, v.Year); ok {
		return b.prov(o)
	}
	return nil
}

// rankText writes a rank "第2/5" or "2 of 5".
func rankText(rank, of int) i18n.Text {
	return i18n.T(fmt.Sprintf("第%d/%d", rank, of), fmt.Sprintf("%d of %d", rank, of))
}

// profileBlocks builds one agglomeration's profile.
func (b *builder) profileBlocks(a *analysis.ReportInputs, p analysis.AgglomerationProfile) []Block {
	ps := a.Profiles
	bench := benchmarkName(ps)
	name := b.fullName(p.Code)
	out := []Block{&Heading{ID: "profile-" + strings.ToLower(p.Code), Text: name}}
	t := &Table{ID: "profile-" + strings.ToLower(p.Code), Caption: i18n.T(name.ZH+"：关键指标与"+bench.ZH, name.EN+": key indicators against the "+bench.EN),
		Columns: []Column{{Label: i18n.T("指标", "Indicator")}, {Label: i18n.T("年份", "Year")}, {Label: i18n.T("数值", "Value")}, {Label: i18n.T("单位", "Unit")},
			{Label: bench}, {Label: i18n.T("相对平均", "Relative to average"), Unit: i18n.T("平均=100", "average = 100")}, {Label: i18n.T("位次", "Rank")}}}
	rows := map[string]profileRow{}
	ch := &Chart{ID: t.ID + "-chart", Kind: ChartBar, Horizontal: true, Table: t.ID, Decimals: 1, Reference: ptr(100),
		Unit:    i18n.T("相对平均（平均=100）", "relative to the average (average = 100)"),
		Caption: i18n.T(name.ZH+"：各指标相对"+bench.ZH+"（=100）", name.EN+": each indicator relative to the "+bench.EN+" (= 100)")}
	ser := Series{Name: i18n.T("相对平均", "Relative to average")}
	relProv := &Prov{Kind: "computed", Formula: "100 · value / benchmark", Label: i18n.T("100 × 数值 ÷ "+bench.ZH, "100 × value ÷ "+bench.EN)}
	benchProv := &Prov{Kind: "computed", Formula: "mean over agglomerations", Label: i18n.T("有该指标的各城市群数值的平均", "mean over the agglomerations that have the indicator")}
	for _, v := range p.Values {
		unit := b.indicatorUnit(v.Indicator)
		dec := format.Decimals(unit, float64(v.Value), float64(v.Benchmark))
		r := profileRow{v: v,
			value: numCell(float64(v.Value), dec, b.profileValueProv(p.Code, v)),
			bench: numCell(float64(v.Benchmark), dec, benchProv),
			rel:   numCell(float64(v.Relative), 1, relProv)}
		rows[v.Indicator] = r
		t.Rows = append(t.Rows, []Cell{{Text: b.indicatorLabel(v.Indicator)}, {Text: i18n.T(strconv.Itoa(v.Year), strconv.Itoa(v.Year))}, r.value, {Text: format.Unit(unit)},
			r.bench, r.rel, {Text: rankText(v.Rank, v.Of)}})
		ch.Categories = append(ch.Categories, b.indicatorLabel(v.Indicator))
		ser.Points = append(ser.Points, numPoint(float64(v.Relative), relProv))
	}
	ch.Series = []Series{ser}
	// Reading: rank, strengths, weaknesses.
	var parts []i18n.Text
	if r, ok := rows[ps.RankIndicator]; ok {
		lab := b.indicatorLabel(ps.RankIndicator)
		rk := rankText(r.v.Rank, r.v.Of)
		parts = append(parts, i18n.T(
			fmt.Sprintf("按%s，%s位列%s（%s，%s为%s）", lab.ZH, b.name(p.Code).ZH, rk.ZH, cellString(r.value), bench.ZH, cellString(r.bench)),
			fmt.Sprintf("by %s, %s ranks %s (%s against a %s of %s)", lowerFirst(lab.EN), theName(b.name(p.Code).EN), rk.EN, cellString(r.value), bench.EN, cellString(r.bench))))
	}
	list := func(codes []string) i18n.Text {
		var items []i18n.Text
		for _, c := range codes {
			r := rows[c]
			lab := b.indicatorLabel(c)
			items = append(items, i18n.T(lab.ZH+"（"+cellString(r.value)+"，相当于平均的"+cellString(r.rel)+"%）", lowerFirst(lab.EN)+" ("+cellString(r.value)+", "+cellString(r.rel)+"% of the average)"))
		}
		return joinTexts(items, "；", "; ")
	}
	if len(p.Strengths) > 0 {
		l := list(p.Strengths)
		parts = append(parts, i18n.T("优势在于"+l.ZH, "its strengths are "+l.EN))
	} else {
		parts = append(parts, i18n.T("没有一项关键指标高于"+bench.ZH, "none of its key indicators is above the "+bench.EN))
	}
	if len(p.Weaknesses) > 0 {
		l := list(p.Weaknesses)
		parts = append(parts, i18n.T("短板在于"+l.ZH, "its weaknesses are "+l.EN))
	}
	interp := &Paragraph{Interprets: t.ID, Text: sentences(parts...)}
	out = append(out, interp, t, ch)
	out = append(out, b.trendBlocks(p)...)
	out = append(out, b.profileDiagnosis(a, p.Code)...)
	out = append(out, b.profileStrategy(a, p, rows)...)
	return out
}

// trendBlocks shows each key indicator's first and latest year where the
// data have several.
func (b *builder) trendBlocks(p analysis.AgglomerationProfile) []Block {
	if len(p.Trends) == 0 {
		return nil
	}
	t := &Table{ID: "profile-" + strings.ToLower(p.Code) + "-trend", Caption: i18n.T(b.name(p.Code).ZH+"：关键指标的变化", b.name(p.Code).EN+": change of the key indicators"),
		Columns: []Column{{Label: i18n.T("指标", "Indicator")}, {Label: i18n.T("起始年", "First year")}, {Label: i18n.T("起始值", "First value")},
			{Label: i18n.T("最新年", "Latest year")}, {Label: i18n.T("最新值", "Latest value")}, {Label: i18n.T("年均增长", "Annual growth"), Unit: format.Unit("%")}}}
	g := &Prov{Kind: "computed", Formula: "(v_last/v_first)^(1/(y_last − y_first)) − 1", Label: i18n.T("年均复合增长率", "compound annual growth rate")}
	best, bestV := -1, math.Inf(-1)
	worst, worstV := -1, math.Inf(1)
	for i, tr := range p.Trends {
		f, l := tr.Points[0], tr.Points[len(tr.Points)-1]
		unit := b.indicatorUnit(tr.Indicator)
		dec := format.Decimals(unit, float64(f.Value), float64(l.Value))
		pv := func(y int) *Prov {
			if o, ok := b.ds.Lookup(p.Code, tr.Indicator, y); ok {
				return b.prov(o)
			}
			return &Prov{Kind: "computed", Formula: "mean over members", Label: i18n.T("成员数值的平均", "mean over the members")}
		}
		t.Rows = append(t.Rows, []Cell{{Text: b.indicatorLabel(tr.Indicator)}, {Text: i18n.T(strconv.Itoa(f.Year), strconv.Itoa(f.Year))}, numCell(float64(f.Value), dec, pv(f.Year)),
			{Text: i18n.T(strconv.Itoa(l.Year), strconv.Itoa(l.Year))}, numCell(float64(l.Value), dec, pv(l.Year)), numCell(100*float64(tr.AnnualGrowth), 1, g)})
		if v := float64(tr.AnnualGrowth); !math.IsNaN(v) {
			if v > bestV {
				best, bestV = i, v
			}
			if v < worstV {
				worst, worstV = i, v
			}
		}
	}
	out := []Block{t}
	if best >= 0 {
		bn, wn := rowName(t, best), rowName(t, worst)
		bv, wv := cellString(t.Rows[best][5]), cellString(t.Rows[worst][5])
		text := i18n.T(fmt.Sprintf("增长最快的是%s（年均%s%%）", bn.ZH, bv), fmt.Sprintf("%s grew fastest (%s%% a year)", upperFirst(bn.EN), bv))
		if worst != best {
			text = sentences(text, i18n.T(fmt.Sprintf("最慢的是%s（年均%s%%）", wn.ZH, wv), fmt.Sprintf("%s grew slowest (%s%% a year)", lowerFirst(wn.EN), wv)))
		}
		out = append(out, &Paragraph{Interprets: t.ID, Text: sentences(text)})
	}
	return out
}

// mainProblem is the fired problem the diagnosis is surest of among those
// it holds assessed (catalogue order among equals); false when no fired
// problem is assessed (none fired, or every one is uncertain).
func mainProblem(a *diagnose.Agglomeration) (diagnose.Problem, diagnose.Finding, bool) {
	var best diagnose.Problem
	var bf diagnose.Finding
	found := false
	for _, p := range a.Problems {
		f := finding(a, diagnose.ProblemAxis(p.ID))
		if f.Status != diagnose.StatusAssessed {
			continue
		}
		if !found || f.Confidence > bf.Confidence {
			best, bf, found = p, f, true
		}
	}
	return best, bf, found
}

// uncertainProblems are the fired problems the diagnosis holds uncertain.
func uncertainProblems(a *diagnose.Agglomeration) []diagnose.Problem {
	var out []diagnose.Problem
	for _, p := range a.Problems {
		if finding(a, diagnose.ProblemAxis(p.ID)).Status == diagnose.StatusUncertain {
			out = append(out, p)
		}
	}
	return out
}

// profileDiagnosis shows one agglomeration's diagnosis: each label with
// its confidence (uncertain with the split of its variants, or not
// assessable) in a table, then the diagnosis' own sentences (evidence,
// siphon or spread of the cores, the sourcing of the member list, what
// the data cannot assess and what would settle it, disagreements with the
// paper), and the stage classification where it applies.
func (b *builder) profileDiagnosis(a *analysis.ReportInputs, code string) []Block {
	if a.Diagnosis == nil {
		return nil
	}
	d, ok := a.Diagnosis.Agglomeration(code)
	if !ok {
		return nil
	}
	t := &Table{ID: "profile-" + strings.ToLower(code) + "-diagnosis", Caption: i18n.T(b.name(code).ZH+"：诊断结论与置信度", b.name(code).EN+": diagnosis and confidence"),
		Columns: []Column{{Label: i18n.T("方面", "Aspect")}, {Label: i18n.T("结论", "Finding")}}}
	for _, axis := range diagnosisAxes {
		c := findingCell(finding(d, axis))
		if axis == diagnose.AxisStage {
			c = stageCell(d)
		}
		t.Rows = append(t.Rows, []Cell{{Text: diagnose.AxisName(axis)}, c})
	}
	for _, p := range d.Problems {
		t.Rows = append(t.Rows, []Cell{{Text: diagnose.AxisName(diagnose.ProblemAxis(p.ID))}, findingCell(finding(d, diagnose.ProblemAxis(p.ID)))})
	}
	lvl := percentText(a.Diagnosis.UncertainBelow)
	t.Notes = append(t.Notes, i18n.T("置信度低于 "+lvl+"（或证据单薄）的结论标为“不确定”，并列出各变体给出的结论及其个数；原因与所需数据见下文。",
		"A label whose confidence is below "+lvl+" (or whose evidence is thin) is shown as uncertain, with the labels the variants give and their numbers; the reasons and the data needed follow."))
	if d.DataText.ZH != "" {
		t.Notes = append(t.Notes, i18n.T("数据："+d.DataText.ZH+"。", "Data: "+d.DataText.EN+"."))
	}
	t.Source = i18n.T("agglo 按阈值文件计算", "computed by agglo with its thresholds file")
	var items []i18n.Text
	for _, n := range d.Narrative {
		n = sentence(b.regionNames(n))
		if !repeats(items, n) {
			items = append(items, n)
		}
	}
	if sa := d.StageAssessment; sa.Status == diagnose.StatusAssessed && len(d.StageEvidence) > 0 && d.StageSource != "override" {
		var ev []i18n.Text
		for _, e := range d.StageEvidence {
			ev = append(ev, e.Text)
		}
		e, w := joinTexts(ev, "，", ", "), percentText(sa.CoveredWeight)
		items = append(items, i18n.T("发展阶段按"+sa.Classification.ZH+"评价，数据覆盖判据权重的 "+w+"；各阶段的隶属度："+e.ZH+"。",
			"The stage follows "+sa.Classification.EN+"; the data cover "+w+" of the criteria's weight; memberships: "+e.EN+"."))
	}
	for _, pc := range d.Agreement.Problems {
		if pc.Status == diagnose.Disagree {
			n := problemLabel(pc.ID)
			items = append(items, i18n.T("与论文不一致（问题："+n.ZH+"）："+strings.TrimRight(pc.Reason.ZH, "。")+"。", "Disagrees with the paper (problem: "+n.EN+"): "+strings.TrimRight(pc.Reason.EN, ".")+"."))
		}
	}
	return []Block{&Paragraph{Text: i18n.T("诊断", "Diagnosis")}, t, &List{Items: items}}
}

// profileStrategy gives the recommended modes and the engine's first
// strategy with its measures, each with the indicators that would show it
// working and their direction; the other recommendations; and the
// recommendations set aside because they pushed the other way, with the
// reason.
func (b *builder) profileStrategy(a *analysis.ReportInputs, p analysis.AgglomerationProfile, rows map[string]profileRow) []Block {
	if a.Strategy == nil {
		return nil
	}
	var sa *strategy.Agglomeration
	for i := range a.Strategy.Agglomerations {
		if a.Strategy.Agglomerations[i].Code == p.Code {
			sa = &a.Strategy.Agglomerations[i]
		}
	}
	if sa == nil {
		return nil
	}
	var d *diagnose.Agglomeration
	if a.Diagnosis != nil {
		d, _ = a.Diagnosis.Agglomeration(p.Code)
	}
	var items []i18n.Text
	sm, om := recommendedMode(sa.RecommendedSpatialMode), recommendedMode(sa.RecommendedOpennessMode)
	items = append(items, i18n.T("推荐模式：空间上"+sm.ZH+"，开放上"+om.ZH+"。", "Recommended modes: "+sm.EN+" in space, "+om.EN+" in openness."))
	if len(sa.Recommendations) == 0 {
		items = append(items, i18n.T("在此情景下没有规则触发。", "No rule fires under this scenario."))
		return []Block{&Paragraph{Text: i18n.T("战略建议", "Strategy")}, &List{Items: items}}
	}
	r := sa.Recommendations[0]
	head, why := recommendationHead(r), recommendationRationale(r)
	line := i18n.T("首要战略："+head.ZH+"。理由："+strings.TrimRight(why.ZH, "。")+"。"+strings.TrimRight(r.Because.ZH, "。")+"。",
		"First strategy: "+head.EN+". Why: "+strings.TrimRight(why.EN, ".")+". "+upperFirst(strings.TrimRight(r.Because.EN, "."))+".")
	unc, pap := shakyFacts(r, d)
	if len(unc) > 0 {
		u := joinTexts(unc, "、", ", ")
		line = i18n.T(line.ZH+"注意：这一建议所依据的"+u.ZH+"不确定。", line.EN+" Note: it rests on the "+u.EN+", which is uncertain.")
	}
	if len(pap) > 0 {
		line = i18n.T(line.ZH+"其中标明“论文”的依据取自论文的判断，因为数据无法评估该方面或结论不确定。", line.EN+" The facts marked \"paper\" are the paper's labels, taken because the data cannot assess them or are uncertain.")
	}
	items = append(items, line)
	for _, m := range r.Measures {
		mt := measureText(m)
		items = append(items, i18n.T("举措："+mt.ZH, "Measure: "+mt.EN))
	}
	// The current values of the indicators to monitor, where the profile
	// shows them.
	var now []i18n.Text
	seen := map[string]bool{}
	for _, m := range r.Measures {
		for _, mo := range m.Monitor {
			row, ok := rows[mo.Indicator]
			if !ok || seen[mo.Indicator] {
				continue
			}
			seen[mo.Indicator] = true
			lab := b.indicatorLabel(mo.Indicator)
			now = append(now, i18n.T(lab.ZH+"当前"+cellString(row.value)+"（平均"+cellString(row.bench)+"）", lowerFirst(lab.EN)+" now "+cellString(row.value)+" (average "+cellString(row.bench)+")"))
		}
	}
	if len(now) > 0 {
		n := joinTexts(now, "；", "; ")
		items = append(items, i18n.T("监测起点："+n.ZH+"。", "Starting point of the monitoring: "+n.EN+"."))
	}
	if len(sa.Recommendations) > 1 {
		var others []i18n.Text
		for _, o := range sa.Recommendations[1:] {
			others = append(others, recommendationHead(o))
		}
		o := joinTexts(others, "；", "; ")
		items = append(items, i18n.T("其他建议："+o.ZH+"。", "Other recommendations: "+o.EN+"."))
	}
	for _, c := range sa.Conflicts {
		items = append(items, i18n.T("未采纳："+strings.TrimRight(c.Reason.ZH, "。")+"。", "Set aside: "+strings.TrimRight(c.Reason.EN, ".")+"."))
	}
	return []Block{&Paragraph{Text: i18n.T("战略建议", "Strategy")}, &List{Items: items}}
}

// profilesSection holds one profile per agglomeration the data cover.
func (b *builder) profilesSection(a *analysis.ReportInputs) Section {
	s := Section{ID: "profiles", Title: i18n.T("各城市群画像", "Agglomeration profiles")}
	ps := a.Profiles
	if ps == nil || len(ps.Agglomerations) == 0 {
		s.Blocks = append(s.Blocks, &Paragraph{Note: true, Text: i18n.T(
			"数据中没有可与平均比较的强度指标（比率、占比、密度或评分）：画像需要至少两个城市群（或其成员）的此类指标。",
			"The data have no per-unit indicator (a ratio, share, density or score) to compare with an average: profiles need such indicators for at least two agglomerations (or their members).")})
		return s
	}
	bench := benchmarkName(ps)
	s.Blocks = append(s.Blocks, &Paragraph{Text: i18n.T(
		"每个城市群一页：关键指标与"+bench.ZH+"的对比（条形图中平均=100），高出与低于平均最多的指标（优势与短板），多年数据时的变化，诊断结论及其置信度，推荐战略与需要监测的指标。关键指标是比率、占比、密度与评分这类强度指标；总量（人口、GDP、件数）反映规模而非绩效，不参与比较。没有城市群自身数值时取其成员省份的平均（斜体加†）。",
		"One page per agglomeration: its key indicators against the "+bench.EN+" (average = 100 in the bar chart), the indicators furthest above and below it (strengths and weaknesses), the change over time where the data have several years, the diagnosis with its confidence, and the recommended strategy with the indicators to monitor. Key indicators are per-unit measures (ratios, shares, densities, scores); totals (population, GDP, counts) measure size rather than performance and are not compared. Where an agglomeration has no value of its own, the mean of its member provinces is used (italic, marked †).")})
	for _, p := range ps.Agglomerations {
		s.Blocks = append(s.Blocks, b.profileBlocks(a, p)...)
	}
	return s
}

var regionCode = regexp.MustCompile(`\b\d{6}\b`)

// regionNames replaces the region codes in a text of the analysis
// packages by the regions' names.
func (b *builder) regionNames(t i18n.Text) i18n.Text {
	repl := func(lang string) func(string) string {
		return func(code string) string {
			if _, ok := b.ds.Region(code); ok {
				return b.name(code).In(lang)
			}
			return code
		}
	}
	return i18n.T(regionCode.ReplaceAllStringFunc(t.ZH, repl(i18n.ZH)), regionCode.ReplaceAllStringFunc(t.EN, repl(i18n.EN)))
}

// repeats reports whether a sentence only repeats one already listed (the
// diagnosis' notes restate reasons its sentences give).
func repeats(items []i18n.Text, t i18n.Text) bool {
	z := strings.TrimRight(strings.TrimSpace(t.ZH), "。")
	if z == "" {
		return true
	}
	for _, it := range items {
		if strings.Contains(it.ZH, z) {
			return true
		}
	}
	return false
}

// sentence ends a text of the analysis packages as a sentence in both
// languages (some are clauses: "比较集只有…", "the comparison set is …").
func sentence(t i18n.Text) i18n.Text {
	z, e := strings.TrimSpace(t.ZH), strings.TrimSpace(t.EN)
	if z != "" && !strings.HasSuffix(z, "。") && !strings.HasSuffix(z, "）") {
		z += "。"
	}
	if e != "" && !strings.HasSuffix(e, ".") && !strings.HasSuffix(e, ")") {
		e += "."
	}
	return i18n.T(z, upperFirst(e))
}
