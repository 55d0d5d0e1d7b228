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

// mainProblem is the problem the diagnosis is most sure of (catalogue
// order among equals).
func mainProblem(a diagnose.Agglomeration) (diagnose.Problem, bool) {
	if len(a.Problems) == 0 {
		return diagnose.Problem{}, false
	}
	best := a.Problems[0]
	for _, p := range a.Problems[1:] {
		if a.Confidence.Problems[p.ID] > a.Confidence.Problems[best.ID] {
			best = p
		}
	}
	return best, true
}

// evidenceList says a label's evidence in words.
func (b *builder) evidenceList(evs []diagnose.Evidence) i18n.Text {
	var ts []i18n.Text
	for _, e := range evs {
		if strings.HasSuffix(e.Metric, "_scaled") {
			continue
		}
		ts = append(ts, evidenceText(e, b.indicatorLabel))
	}
	return joinTexts(ts, "；", "; ")
}

// profileDiagnosis lists one agglomeration's modes, stage and problems
// with their evidence and confidence.
func (b *builder) profileDiagnosis(a *analysis.ReportInputs, code string) []Block {
	if a.Diagnosis == nil {
		return nil
	}
	d, ok := a.Diagnosis.Agglomeration(code)
	if !ok {
		return nil
	}
	var items []i18n.Text
	label := func(head i18n.Text, l string, conf float64, evs []diagnose.Evidence) {
		ml := modeLabel(l)
		line := i18n.T(head.ZH+"："+ml.ZH+"（置信度"+percentText(conf)+"）", head.EN+": "+ml.EN+" (confidence "+percentText(conf)+")")
		if len(evs) > 0 {
			ev := b.evidenceList(evs)
			line = i18n.T(line.ZH+"。依据："+ev.ZH+"。", line.EN+". Evidence: "+ev.EN+".")
		}
		items = append(items, line)
	}
	label(i18n.T("空间模式", "Spatial mode"), d.SpatialMode, d.Confidence.SpatialMode, d.SpatialEvidence)
	label(i18n.T("开放模式", "Openness mode"), d.OpennessMode, d.Confidence.OpennessMode, d.OpennessEvidence)
	label(i18n.T("发展阶段", "Development stage"), d.Stage, d.Confidence.Stage, d.StageEvidence)
	for _, p := range d.Problems {
		n := problemLabel(p.ID)
		conf := d.Confidence.Problems[p.ID]
		ev := b.evidenceList(p.Evidence)
		items = append(items, i18n.T("问题："+n.ZH+"（置信度"+percentText(conf)+"）。依据："+ev.ZH+"。", "Problem: "+n.EN+" (confidence "+percentText(conf)+"). Evidence: "+ev.EN+"."))
	}
	if len(d.Unassessed) > 0 {
		var ns []i18n.Text
		for _, u := range d.Unassessed {
			ns = append(ns, problemLabel(u.ID))
		}
		n := joinTexts(ns, "、", ", ")
		items = append(items, i18n.T("现有数据无法评估："+n.ZH+"（所需数据见 agglo diagnose）。", "Not assessable with these data: "+n.EN+" (agglo diagnose names the data needed)."))
	}
	if c := d.Agreement.SpatialMode; c.Status == diagnose.Disagree && d.Published != nil {
		pl := modeLabel(d.Published.SpatialMode)
		items = append(items, i18n.T("论文将其空间模式判为"+pl.ZH+"，与计算结果不一致。", "The paper labels its spatial mode "+pl.EN+", which the computation does not confirm."))
	}
	if c := d.Agreement.OpennessMode; c.Status == diagnose.Disagree && d.Published != nil {
		pl := modeLabel(d.Published.OpennessMode)
		items = append(items, i18n.T("论文将其开放模式判为"+pl.ZH+"，与计算结果不一致。", "The paper labels its openness mode "+pl.EN+", which the computation does not confirm."))
	}
	for _, n := range d.Notes {
		if t, ok := clean(b.regionNames(n)); ok {
			items = append(items, t)
		}
	}
	return []Block{&Paragraph{Text: i18n.T("诊断", "Diagnosis")}, &List{Items: items}}
}

// profileStrategy gives the recommended modes, the first strategy with its
// measures and reasons, and the indicators to monitor it.
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
	var items []i18n.Text
	sm, om := modeLabel(sa.RecommendedSpatialMode), modeLabel(sa.RecommendedOpennessMode)
	items = append(items, i18n.T("推荐模式：空间上"+sm.ZH+"，开放上"+om.ZH+"。", "Recommended modes: "+sm.EN+" in space, "+om.EN+" in openness."))
	if r, ok := topRecommendation(*sa); ok {
		title := recommendationTitle(r)
		ms := recommendationMeasures(r)
		if len(ms) > 3 {
			ms = ms[:3]
		}
		line := i18n.T("首要战略："+title.ZH+"。", "First strategy: "+title.EN+".")
		if len(ms) > 0 {
			m := joinTexts(ms, "；", "; ")
			line = i18n.T(line.ZH+"主要举措："+m.ZH+"。", line.EN+" Main measures: "+m.EN+".")
		}
		if why, ok := clean(recommendationRationale(r)); ok && why.ZH != "" {
			line = i18n.T(line.ZH+"理由："+strings.TrimRight(why.ZH, "。")+"。", line.EN+" Why: "+strings.TrimRight(why.EN, ".")+".")
		}
		items = append(items, line)
		var others []i18n.Text
		for _, o := range sa.Recommendations {
			if o.ID != r.ID {
				others = append(others, recommendationTitle(o))
			}
		}
		if len(others) > 0 {
			o := joinTexts(others, "；", "; ")
			items = append(items, i18n.T("其他建议："+o.ZH+"。", "Other recommendations: "+o.EN+"."))
		}
	}
	// Indicators to monitor: the weaknesses, then the main problem's
	// metrics.
	var mon []i18n.Text
	for _, c := range p.Weaknesses {
		r := rows[c]
		lab := b.indicatorLabel(c)
		mon = append(mon, i18n.T(lab.ZH+"（当前"+cellString(r.value)+"，平均"+cellString(r.bench)+"）", lowerFirst(lab.EN)+" (now "+cellString(r.value)+", average "+cellString(r.bench)+")"))
	}
	if d, ok := a.Diagnosis.Agglomeration(p.Code); ok {
		if pr, ok := mainProblem(*d); ok {
			for _, e := range pr.Evidence {
				m := metricLabel(e.Metric, b.indicatorLabel)
				v, th := format.Number(e.Value, evidenceDecimals(e.Value)), format.Number(e.Threshold, evidenceDecimals(e.Threshold))
				mon = append(mon, i18n.T(m.ZH+"（当前"+v+"，阈值"+th+"）", m.EN+" (now "+v+", threshold "+th+")"))
			}
		}
	}
	if len(mon) > 0 {
		m := joinTexts(mon, "；", "; ")
		items = append(items, i18n.T("监测指标："+m.ZH+"。", "Indicators to monitor: "+m.EN+"."))
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
