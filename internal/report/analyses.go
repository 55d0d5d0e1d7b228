package report

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"agglo/internal/analysis"
	"agglo/internal/composite"
	"agglo/internal/dataset"
	"agglo/internal/format"
	"agglo/internal/i18n"
)

// ChartRange is a rank-interval (whisker) chart: per category the series
// are the 5th percentile, the median, the 95th percentile and the nominal
// value, in that order.
const ChartRange = "range"

func numCell(v float64, decimals int, p *Prov) Cell {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return Cell{Text: i18n.T("—", "—")}
	}
	return Cell{Value: &v, Decimals: decimals, Prov: p}
}

func numPoint(v float64, p *Prov) Point {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return Point{}
	}
	return Point{Value: &v, Prov: p}
}

// measureColumn is one measure of the regional-measures table.
type measureColumn struct {
	key      string
	label    i18n.Text
	decimals int
	formula  string
	meaning  i18n.Text
}

func measureColumns() []measureColumn {
	return []measureColumn{
		{"top1_share", i18n.T("核心份额", "Core share"), 3, "P1/ΣP", i18n.T("最大成员占总量的份额", "the largest member's share of the total")},
		{"primacy_s2", i18n.T("首位度 S2", "Primacy S2"), 2, "S2 = P1/P2", i18n.T("最大与第二成员之比", "the largest member over the second")},
		{"cv", i18n.T("变异系数", "CV"), 3, "CV = σ/ȳ", i18n.T("总体标准差与均值之比", "population standard deviation over the mean")},
		{"gini", i18n.T("基尼系数", "Gini"), 3, "G = Σ_i Σ_j |y_i − y_j| / (2n²ȳ)", i18n.T("成员两两差距的平均，0 为完全均衡", "the mean gap between members, 0 when all are equal")},
		{"theil", i18n.T("泰尔指数", "Theil T"), 3, "T = (1/n) Σ (y_i/ȳ) ln(y_i/ȳ)", i18n.T("熵指数，0 为完全均衡", "an entropy index, 0 when all are equal")},
		{"hhi", i18n.T("赫芬达尔指数", "HHI"), 3, "H = Σ s_i²", i18n.T("份额平方和，越大越集中", "the sum of squared shares, larger when more concentrated")},
		{"rank_size_slope", i18n.T("位序-规模斜率", "Rank-size slope"), 2, "ln P_r = a + b ln r", i18n.T("位序-规模回归斜率，q = −b ≥ 1 为单中心", "slope of the rank-size regression; q = −b ≥ 1 reads as mono-centric")},
	}
}

// measures is the section of regional measures per agglomeration: the
// dispersion, concentration and polycentricity of its members' capacity.
func (b *builder) measures(a *analysis.ReportInputs) Section {
	s := Section{ID: "measures", Title: i18n.T("区域测度：不平衡、集中度与多中心性", "Regional measures: inequality, concentration and polycentricity")}
	ind, all := a.Capacity, a.Profile
	if ind == "" || all == nil {
		s.Blocks = append(s.Blocks, &Paragraph{Note: true, Text: i18n.T("数据中没有可用于测度的省级或城市级能力指标（表3综合值、GDP、R&D 经费或专利授权数）。",
			"The data have no province- or city-level capacity indicator (Table 3 composite, GDP, R&D expenditure or patents granted) to measure.")})
		return s
	}
	lab, lv := b.indicatorLabel(ind), dataset.Level(all.Level).Text()
	cols := measureColumns()
	var defs []string
	var defsEN []string
	for _, c := range cols {
		defs = append(defs, c.label.ZH+"（"+c.meaning.ZH+"）")
		defsEN = append(defsEN, c.label.EN+" ("+c.meaning.EN+")")
	}
	s.Blocks = append(s.Blocks, &Paragraph{Text: i18n.T(
		fmt.Sprintf("以下测度以成员单位（%s）%d年的“%s”衡量城市群内部的不平衡与集中：%s。", lv.ZH, all.Year, lab.ZH, strings.Join(defs, "；")),
		fmt.Sprintf("The measures below use the members' %s (%s level, %d) to gauge imbalance and concentration within each agglomeration: %s.", lowerFirst(lab.EN), lv.EN, all.Year, strings.Join(defsEN, "; ")))})
	t := &Table{ID: "measures-table", Caption: i18n.T("各城市群成员的不平衡与集中测度", "Imbalance and concentration of each agglomeration's members"),
		Columns: []Column{regionColumn(), {Label: i18n.T("成员数", "Members")}, {Label: i18n.T("最大成员", "Largest member")}}}
	for _, c := range cols {
		t.Columns = append(t.Columns, Column{Label: c.label})
	}
	ch := &Chart{ID: "measures-chart", Kind: ChartBar, Table: "measures-table", Decimals: 3, Caption: i18n.T("核心份额与变异系数", "Core share and coefficient of variation")}
	share := Series{Name: i18n.T("核心份额", "Core share")}
	cv := Series{Name: i18n.T("变异系数", "CV")}
	var single []string
	label := func(c measureColumn) i18n.Text {
		return i18n.T(c.label.ZH+"："+c.meaning.ZH, c.label.EN+": "+c.meaning.EN)
	}
	for _, g := range all.Groups {
		members := b.membersWith(g.Group, ind, all.Year)
		largest := i18n.T("—", "—")
		if len(members) > 0 {
			largest = b.name(members[0])
		}
		n := float64(g.N)
		row := []Cell{{Text: b.name(g.Group)}, numCell(n, 0, &Prov{Kind: "computed", Formula: "n", Label: i18n.T("有该指标数值的成员数", "members with a value of the indicator")}), {Text: largest}}
		for _, c := range cols {
			v := math.NaN()
			if g.N >= 2 {
				v = float64(g.Measures[c.key])
			}
			row = append(row, numCell(v, c.decimals, &Prov{Kind: "computed", Formula: c.formula, Label: label(c)}))
		}
		t.Rows = append(t.Rows, row)
		ch.Categories = append(ch.Categories, b.name(g.Group))
		sv, cvv := math.NaN(), math.NaN()
		if g.N >= 2 {
			sv, cvv = float64(g.Measures["top1_share"]), float64(g.Measures["cv"])
		} else {
			single = append(single, g.Group)
		}
		share.Points = append(share.Points, numPoint(sv, &Prov{Kind: "computed", Formula: cols[0].formula, Label: label(cols[0])}))
		cv.Points = append(cv.Points, numPoint(cvv, &Prov{Kind: "computed", Formula: cols[2].formula, Label: label(cols[2])}))
	}
	ch.Series = []Series{share, cv}
	for _, g := range single {
		t.Notes = append(t.Notes, i18n.T(
			b.name(g).ZH+"在这些数据中只有一个成员单位，无法计算内部离散与首位度：需要其成员城市的城市级数据（如《中国城市统计年鉴》各市 GDP、R&D 经费、专利授权数）。",
			b.name(g).EN+" has a single member in these data, so its internal dispersion and primacy cannot be computed: city-level data for its member cities are needed (such as each city's GDP, R&D expenditure and patents granted from the China City Statistical Yearbook)."))
	}
	if all.Level == "province" {
		t.Notes = append(t.Notes, i18n.T("省级数据看不到省内的核心城市：例如成渝的成都、重庆“双核”与四川其他城市之间的落差，只有城市级数据才能衡量。",
			"Province-level data cannot see core cities inside a province: for example the gap between Chengdu-Chongqing's two cores and the rest of Sichuan needs city-level data."))
	}
	s.Blocks = append(s.Blocks, t)
	if p := interpretColumns(t, 3, 5); p != nil {
		p.Text = sentences(p.Text, i18n.T("核心份额与变异系数越大，说明能力越集中于少数成员", "a larger core share and coefficient of variation mean capacity is held by fewer members"))
		s.Blocks = append(s.Blocks, p)
	}
	s.Blocks = append(s.Blocks, ch)
	if th := a.Theil; th != nil && th.Between != nil {
		s.Blocks = append(s.Blocks, b.theilTable(th)...)
	}
	s.Blocks = append(s.Blocks, &Paragraph{Note: true, Text: i18n.T(
		"方法说明：各测度的公式与出处见区域测度命令的输出与方法文档；以区域测度命令按城市群分组计算全部测度，可复现本表。",
		"Method note: every measure's formula and source are in agglo measure's output and docs/methods.md; agglo measure all --group agglomeration reproduces this table.")})
	return s
}

// theilTable decomposes the Theil index between and within the
// agglomerations, with its reading.
func (b *builder) theilTable(th *analysis.MeasureResult) []Block {
	f := "T = T_B + T_W, T_B = Σ_g s_g ln(s_g/p_g), T_W = Σ_g s_g T_g"
	pv := &Prov{Kind: "computed", Formula: f, Label: i18n.T("泰尔指数的组间—组内分解（Shorrocks 1980）", "the between-within decomposition of the Theil index (Shorrocks 1980)")}
	var vals []float64
	for _, g := range th.Groups {
		vals = append(vals, numOf(g.Value), numOf(g.Contribution))
	}
	vals = append(vals, numOf(th.Between), numOf(th.Within), numOf(th.Value))
	dec := format.Decimals("", vals...)
	tt := &Table{ID: "measures-theil", Caption: i18n.T("泰尔指数的组间—组内分解（按城市群分组）", "Theil index decomposed between and within agglomerations"),
		Columns: []Column{regionColumn(), {Label: i18n.T("组内泰尔指数", "Within-group Theil")}, {Label: i18n.T("贡献", "Contribution")}, {Label: i18n.T("贡献率", "Share of total"), Unit: format.Unit("%")}}}
	total, within, between := numOf(th.Value), numOf(th.Within), numOf(th.Between)
	bestG, best := -1, math.Inf(-1)
	for i, g := range th.Groups {
		tt.Rows = append(tt.Rows, []Cell{{Text: b.name(g.Group)}, numCell(numOf(g.Value), dec, pv), numCell(numOf(g.Contribution), dec, pv), numCell(100*numOf(g.Share), 1, pv)})
		if c := numOf(g.Contribution); c > best {
			bestG, best = i, c
		}
	}
	empty := i18n.T("", "")
	tt.Rows = append(tt.Rows,
		[]Cell{{Text: i18n.T("组内合计", "Within groups"), Class: "group"}, {Text: empty}, numCell(within, dec, pv), numCell(100*within/total, 1, pv)},
		[]Cell{{Text: i18n.T("组间", "Between groups"), Class: "group"}, {Text: empty}, numCell(between, dec, pv), numCell(100*between/total, 1, pv)},
		[]Cell{{Text: i18n.T("合计", "Total"), Class: "group"}, {Text: empty}, numCell(total, dec, pv), numCell(100, 1, pv)})
	n := len(tt.Rows)
	tot, bw, bs, ww, ws := cellString(tt.Rows[n-1][2]), cellString(tt.Rows[n-2][2]), cellString(tt.Rows[n-2][3]), cellString(tt.Rows[n-3][2]), cellString(tt.Rows[n-3][3])
	text := i18n.T(
		fmt.Sprintf("结果显示，成员间泰尔指数为%s，其中城市群之间的差异（组间）为%s，贡献%s%%；城市群内部的差异（组内）合计%s，贡献%s%%。", tot, bw, bs, ww, ws),
		fmt.Sprintf("The Theil index over all members is %s: the gap between the agglomerations contributes %s (%s%%), the gaps within them together %s (%s%%).", tot, bw, bs, ww, ws))
	if bestG >= 0 {
		r := tt.Rows[bestG]
		nm := rowName(tt, bestG)
		text = sentences(text, i18n.T(
			fmt.Sprintf("组内贡献最大的是%s（%s，占%s%%）", nm.ZH, cellString(r[2]), cellString(r[3])),
			fmt.Sprintf("the largest within-group contribution is %s's (%s, %s%%)", theName(nm.EN), cellString(r[2]), cellString(r[3]))))
	}
	text = sentences(text, i18n.T("泰尔指数越接近零越均衡、越大越不均衡；组间贡献高说明差距主要在城市群之间，组内贡献高说明差距主要在城市群内部",
		"the nearer the Theil index is to zero, the more equal the members, and the larger, the less equal; a high between-group share means the gaps lie mainly between agglomerations, a high within-group share that they lie inside them"))
	return []Block{tt, &Paragraph{Text: text, Interprets: tt.ID}}
}

func numOf(n *analysis.Num) float64 {
	if n == nil {
		return math.NaN()
	}
	return float64(*n)
}

// membersWith lists an agglomeration's members that have the indicator,
// largest first.
func (b *builder) membersWith(agg, ind string, year int) []string {
	a, ok := b.ds.Registry.Lookup(agg)
	if !ok {
		return nil
	}
	var out []string
	vals := map[string]float64{}
	for _, lv := range []dataset.Level{dataset.LevelProvince, dataset.LevelCity} {
		for _, c := range a.MemberCodes(lv) {
			if v, ok := b.ds.Value(c, ind, year); ok {
				out = append(out, c)
				vals[c] = v
			}
		}
		if len(out) > 0 {
			break
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return vals[out[i]] > vals[out[j]] })
	return out
}

// choiceLabel names a choice of the uncertainty analysis.
func choiceLabel(c string) i18n.Text {
	switch c {
	case "winsorisation", "winsorization", "treatment":
		return i18n.T("缩尾处理", "Winsorisation")
	case "normalisation", "normalization":
		return i18n.T("标准化方法", "Normalisation")
	case "aggregation":
		return i18n.T("集成方法", "Aggregation")
	case "weight_noise", "weights":
		return i18n.T("权重扰动", "Weight noise")
	case "imputation":
		return i18n.T("缺失值插补", "Imputation")
	}
	return i18n.T("其他选择", "Other choice")
}

// compositeIndex is the composite-index section: the CRIC framework rebuilt
// from Table 3's dimensions, its uncertainty and sensitivity.
func (b *builder) compositeIndex(a *analysis.ReportInputs) Section {
	s := Section{ID: "composite", Title: i18n.T("综合指数：重建、不确定性与敏感性", "Composite index: rebuild, uncertainty and sensitivity")}
	res, ua := a.Index, a.Uncertainty
	if res == nil || ua == nil {
		s.Blocks = append(s.Blocks, &Paragraph{Note: true, Text: i18n.T("数据中没有表3的五项分指标，无法重建综合指数（综合指数命令可指定其他框架）。",
			"The data lack Table 3's five dimensions, so the composite cannot be rebuilt (agglo index takes other frameworks).")})
		return s
	}
	n, seed := a.UncertaintyRuns, a.Seed
	s.Blocks = append(s.Blocks, &Paragraph{Text: i18n.T(
		"按《中国区域创新能力评价报告》一级权重（知识创造0.15、知识获取0.15、企业创新0.25、创新环境0.25、创新绩效0.20）对表3的五项分指标加权平均，重建各省综合值与位次；再对缩尾上限（1至5）、标准化（极差或标准分）、集成方法（算术或几何平均）和权重（±25%扰动）做蒙特卡罗不确定性分析与 Sobol 敏感性分析。",
		"Table 3's five dimensions are averaged with the CRIC first-level weights (knowledge creation 0.15, knowledge acquisition 0.15, enterprise innovation 0.25, innovation environment 0.25, innovation performance 0.20) to rebuild each province's composite and rank; a Monte Carlo uncertainty analysis and a Sobol sensitivity analysis then vary the winsorisation limit (1 to 5), the normalisation (min-max or z-score), the aggregation (arithmetic or geometric mean) and the weights (±25% noise).")})
	uaBy := map[string]analysis.UncertaintyUnit{}
	year := res.Year
	for _, u := range ua.Units {
		uaBy[u.Code] = u
	}
	units := append([]composite.UnitResult(nil), res.Units...)
	sort.SliceStable(units, func(i, j int) bool { return units[i].Rank < units[j].Rank })
	t := &Table{ID: "composite-ranks", Caption: i18n.T("重建的综合值、位次与位次区间", "Rebuilt composite, rank and rank interval"),
		Columns: []Column{{Label: i18n.T("位次", "Rank")}, {Label: i18n.T("省市", "Province")}, {Label: i18n.T("重建综合值", "Rebuilt composite")}, {Label: i18n.T("表3综合值", "Table 3 composite")},
			{Label: i18n.T("中位位次", "Median rank")}, {Label: i18n.T("5%位次", "5th percentile rank")}, {Label: i18n.T("95%位次", "95th percentile rank")}}}
	fw := &Prov{Kind: "computed", Formula: "Σ_d w_d·dim_d", Label: i18n.T("表3五项分指标按CRIC一级权重加权平均", "Table 3's five dimensions averaged with the CRIC first-level weights")}
	rankP := &Prov{Kind: "computed", Formula: "rank", Label: i18n.T("重建综合值的位次（并列取最小）", "rank of the rebuilt composite (ties share the lowest)")}
	uaf := &Prov{Kind: "computed", Formula: fmt.Sprintf("quantiles, N = %d, seed = %d", n, seed),
		Label: i18n.Tf("%d 次蒙特卡罗模拟（种子 %d）中位次的分位数", "rank quantiles over %d Monte Carlo runs (seed %d)", n, seed)}
	rng := &Chart{ID: "composite-uncertainty", Kind: ChartRange, Table: "composite-ranks", Decimals: 1, Horizontal: len(units) > 8,
		Caption: i18n.T("位次的不确定性（5%-95% 区间、中位数与名义位次）", "Rank uncertainty (5th-95th percentile, median and nominal rank)")}
	p05, med, p95, nom := Series{Name: i18n.T("5%位次", "5th pct")}, Series{Name: i18n.T("中位位次", "Median rank")}, Series{Name: i18n.T("95%位次", "95th pct")}, Series{Name: i18n.T("名义位次", "Nominal rank")}
	widest, width := -1, -1.0
	for i, u := range units {
		pub, _ := b.ds.Value(u.Code, "cric_composite", year)
		o, _ := b.ds.Lookup(u.Code, "cric_composite", year)
		q := uaBy[u.Code]
		pubCell := missingCell()
		if !math.IsNaN(pub) && o.Source >= 0 {
			pubCell = numCell(pub, 2, b.prov(o))
		}
		t.Rows = append(t.Rows, []Cell{numCell(float64(u.Rank), 0, rankP), {Text: b.name(u.Code)},
			numCell(float64(u.Index), 2, fw), pubCell, numCell(float64(q.MedianRank), 1, uaf), numCell(float64(q.P05Rank), 1, uaf), numCell(float64(q.P95Rank), 1, uaf)})
		if w := float64(q.P95Rank - q.P05Rank); w > width {
			widest, width = i, w
		}
		rng.Categories = append(rng.Categories, b.name(u.Code))
		p05.Points = append(p05.Points, numPoint(float64(q.P05Rank), uaf))
		med.Points = append(med.Points, numPoint(float64(q.MedianRank), uaf))
		p95.Points = append(p95.Points, numPoint(float64(q.P95Rank), uaf))
		nom.Points = append(nom.Points, numPoint(float64(q.NominalRank), rankP))
	}
	rng.Series = []Series{p05, med, p95, nom}
	s.Blocks = append(s.Blocks, t)
	if p := interpretColumns(t, 2); p != nil {
		if widest >= 0 {
			r := t.Rows[widest]
			nm := rowName(t, widest)
			if width > 0 {
				p.Text = sentences(p.Text, i18n.T(
					fmt.Sprintf("方法选择变化时位次最不稳定的是%s（5%%位次%s至95%%位次%s）；区间越窄，位次越不受方法选择影响", nm.ZH, cellString(r[5]), cellString(r[6])),
					fmt.Sprintf("the rank least robust to the methodological choices is %s's (5th percentile %s to 95th percentile %s); the narrower the interval, the less the rank depends on those choices", nm.EN, cellString(r[5]), cellString(r[6]))))
			} else {
				p.Text = sentences(p.Text, i18n.T("所有省市的位次在方法选择变化时都不变", "no province's rank changes with the methodological choices"))
			}
		}
		s.Blocks = append(s.Blocks, p)
	}
	s.Blocks = append(s.Blocks, rng)
	if len(ua.Sensitivity) > 0 {
		sens := &Chart{ID: "composite-sensitivity", Kind: ChartBar, Decimals: 2, Unit: i18n.T("指数（0-1）", "index (0-1)"),
			Caption: i18n.T("各选择对位次的 Sobol 敏感性指数", "Sobol sensitivity indices of each choice on the ranks")}
		first, total := Series{Name: i18n.T("一阶指数", "First order")}, Series{Name: i18n.T("总效应指数", "Total effect")}
		sf := &Prov{Kind: "computed", Formula: fmt.Sprintf("Saltelli 2010, Jansen; N = %d, seed = %d", n, seed),
			Label: i18n.Tf("平均位次变动的 Sobol 指数（一阶：Saltelli 2010；总效应：Jansen 1999），N = %d，种子 %d", "Sobol indices of the mean absolute rank shift (first order: Saltelli 2010; total: Jansen 1999), N = %d, seed %d", n, seed)}
		top, topV := -1, math.Inf(-1)
		for i, si := range ua.Sensitivity {
			sens.Categories = append(sens.Categories, choiceLabel(si.Choice))
			first.Points = append(first.Points, numPoint(float64(si.FirstOrder), sf))
			total.Points = append(total.Points, numPoint(float64(si.Total), sf))
			if v := float64(si.Total); !math.IsNaN(v) && v > topV {
				top, topV = i, v
			}
		}
		sens.Series = []Series{first, total}
		s.Blocks = append(s.Blocks, sens)
		if top >= 0 {
			c := choiceLabel(ua.Sensitivity[top].Choice)
			v := format.Number(float64(ua.Sensitivity[top].Total), 2)
			v1 := format.Number(float64(ua.Sensitivity[top].FirstOrder), 2)
			s.Blocks = append(s.Blocks, &Paragraph{Interprets: sens.ID, Text: i18n.T(
				fmt.Sprintf("结果显示，对位次影响最大的选择是%s：总效应指数为%s，一阶指数为%s。总效应指数表示该选择（连同它与其他选择的交互）可解释的位次变动份额，越接近零影响越小；总效应明显高于一阶指数说明该选择主要通过与其他选择的交互起作用。", c.ZH, v, v1),
				fmt.Sprintf("The choice that moves the ranks most is %s: its total-effect index is %s and its first-order index %s. The total effect is the share of the rank variation that the choice explains together with its interactions (the nearer zero, the smaller the effect); a total effect well above the first-order index means the choice acts mainly through interactions.", lowerFirst(c.EN), v, v1))})
		}
	}
	s.Blocks = append(s.Blocks, &Paragraph{Note: true, Text: i18n.T(
		fmt.Sprintf("方法说明：标准化、缩尾、集成与位次规则与 COINr 一致（标准分用样本标准差；并列位次取最小）；不确定性分析模拟 %d 次，随机种子 %d，同一种子在任何机器、任何线程数下结果相同。以综合指数命令按 CRIC 框架计算、再以其不确定性分析按 %d 次模拟与种子 %d 运行，可复现本节。", n, seed, n, seed),
		fmt.Sprintf("Method note: normalisation, winsorisation, aggregation and ranking follow COINr (z-scores with the sample standard deviation; ties share the lowest rank); the uncertainty analysis runs %d times with seed %d and gives the same result on any machine and any number of workers. Reproduce with agglo index --framework cric and agglo index uncertainty --n %d --seed %d.", n, seed, n, seed))})
	return s
}
