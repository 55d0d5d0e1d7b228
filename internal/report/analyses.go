package report

import (
	"fmt"
	"math"
	"sort"

	"agglo/internal/analysis"
	"agglo/internal/composite"
	"agglo/internal/dataset"
	"agglo/internal/i18n"
)

// ChartRange is a rank-interval (whisker) chart: per category the series
// are the 5th percentile, the median, the 95th percentile and the nominal
// value, in that order.
const ChartRange = "range"

func computed(formula string) *Prov { return &Prov{Kind: "computed", Formula: formula} }

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

func levelText(l string) i18n.Text {
	switch l {
	case "province":
		return i18n.T("省级", "province")
	case "city":
		return i18n.T("地级市", "city")
	case "county":
		return i18n.T("县级", "county")
	}
	return i18n.T(l, l)
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
	lab, lv := b.indicatorLabel(ind), levelText(all.Level)
	s.Blocks = append(s.Blocks, &Paragraph{Text: i18n.T(
		fmt.Sprintf("以下测度以成员单位的“%s”（%s，%d年）衡量城市群内部的不平衡与集中：核心份额 P1/ΣP、首位度 S2 = P1/P2（按位序-规模法则约为 2，高于 2 视为首位型）、变异系数（总体标准差）、基尼系数、泰尔指数 T、HHI 与位序-规模斜率 b（q = −b ≥ 1 为单中心）。", lab.ZH, lv.ZH, all.Year),
		fmt.Sprintf("The measures below use the members' %s (%s level, %d) to gauge imbalance and concentration within each agglomeration: core share P1/ΣP, primacy S2 = P1/P2 (about 2 under the rank-size rule; above 2 reads as primate), coefficient of variation (population σ), Gini, Theil T, HHI and the rank-size slope b (q = −b ≥ 1 reads as mono-centric).", lab.EN, lv.EN, all.Year))})
	cols := []struct {
		key      string
		label    i18n.Text
		decimals int
		formula  string
	}{
		{"top1_share", i18n.T("核心份额", "Core share"), 3, "core share = P1/ΣP"},
		{"primacy_s2", i18n.T("首位度 S2", "Primacy S2"), 2, "S2 = P1/P2"},
		{"cv", i18n.T("变异系数", "CV"), 3, "CV = σ/ȳ (population σ)"},
		{"gini", i18n.T("基尼系数", "Gini"), 3, "G = Σ_i Σ_j |y_i − y_j| / (2n²ȳ)"},
		{"theil", i18n.T("泰尔指数 T", "Theil T"), 4, "T = (1/n) Σ (y_i/ȳ) ln(y_i/ȳ)"},
		{"hhi", i18n.T("HHI", "HHI"), 3, "H = Σ s_i²"},
		{"rank_size_slope", i18n.T("位序-规模斜率 b", "Rank-size slope b"), 2, "OLS ln P_r = a + b ln r"},
	}
	t := &Table{ID: "measures-table", Caption: i18n.T("各城市群成员的不平衡与集中测度", "Imbalance and concentration of each agglomeration's members"),
		Columns: []Column{regionColumn(), {Label: i18n.T("成员数", "Members")}, {Label: i18n.T("最大成员", "Largest member")}}}
	for _, c := range cols {
		t.Columns = append(t.Columns, Column{Label: c.label})
	}
	ch := &Chart{ID: "measures-chart", Kind: ChartBar, Table: "measures-table", Caption: i18n.T("核心份额与变异系数", "Core share and coefficient of variation")}
	share := Series{Name: i18n.T("核心份额", "Core share")}
	cv := Series{Name: i18n.T("变异系数", "CV")}
	var single []string
	for _, g := range all.Groups {
		members := b.membersWith(g.Group, ind, all.Year)
		largest := i18n.T("—", "—")
		if len(members) > 0 {
			largest = b.name(members[0])
		}
		n := float64(g.N)
		row := []Cell{{Text: b.name(g.Group)}, numCell(n, 0, computed("members of the agglomeration with a value of "+ind)), {Text: largest}}
		for _, c := range cols {
			v := math.NaN()
			if g.N >= 2 {
				v = float64(g.Measures[c.key])
			}
			row = append(row, numCell(v, c.decimals, computed(c.formula+" over the members' "+ind)))
		}
		t.Rows = append(t.Rows, row)
		ch.Categories = append(ch.Categories, b.name(g.Group))
		sv, cvv := math.NaN(), math.NaN()
		if g.N >= 2 {
			sv, cvv = float64(g.Measures["top1_share"]), float64(g.Measures["cv"])
		} else {
			single = append(single, g.Group)
		}
		share.Points = append(share.Points, numPoint(sv, computed("P1/ΣP")))
		cv.Points = append(cv.Points, numPoint(cvv, computed("σ/ȳ")))
	}
	ch.Series = []Series{share, cv}
	for _, g := range single {
		t.Notes = append(t.Notes, i18n.T(
			fmt.Sprintf("%s在这些数据中只有一个成员单位，无法计算内部离散与首位度：需要其成员城市的城市级数据（如《中国城市统计年鉴》各市 GDP、R&D 经费、专利授权数）。", b.name(g).ZH),
			fmt.Sprintf("%s has a single member in these data, so its internal dispersion and primacy cannot be computed: city-level data for its member cities are needed (e.g. each city's GDP, R&D expenditure and patents granted from the China City Statistical Yearbook).", b.name(g).EN)))
	}
	if all.Level == "province" {
		t.Notes = append(t.Notes, i18n.T("省级数据看不到省内的核心城市：例如成渝的成都、重庆“双核”与四川其他城市之间的落差，只有城市级数据才能衡量。",
			"Province-level data cannot see core cities inside a province: for example the gap between Chengdu-Chongqing's two cores and the rest of Sichuan needs city-level data."))
	}
	s.Blocks = append(s.Blocks, t, ch)
	if th := a.Theil; th != nil && th.Between != nil {
		tt := &Table{ID: "measures-theil", Caption: i18n.T("泰尔指数 T 的组间—组内分解（按城市群分组）", "Theil T decomposed between and within agglomerations"),
			Columns: []Column{regionColumn(), {Label: i18n.T("组内泰尔指数", "Within-group Theil")}, {Label: i18n.T("贡献", "Contribution")}, {Label: i18n.T("贡献率", "Share of total")}}}
		f := "T = T_B + T_W, T_B = Σ_g s_g ln(s_g/p_g), T_W = Σ_g s_g T_g (docs/methods.md, theil)"
		for _, g := range th.Groups {
			tt.Rows = append(tt.Rows, []Cell{{Text: b.name(g.Group)}, numCell(numOf(g.Value), 4, computed(f)), numCell(numOf(g.Contribution), 4, computed(f)), numCell(numOf(g.Share), 3, computed(f))})
		}
		tt.Rows = append(tt.Rows, []Cell{{Text: i18n.T("组间", "Between groups"), Class: "group"}, {Text: i18n.T("", "")}, numCell(numOf(th.Between), 4, computed(f)), numCell(numOf(th.Between)/numOf(th.Value), 3, computed(f))})
		tt.Rows = append(tt.Rows, []Cell{{Text: i18n.T("合计", "Total"), Class: "group"}, {Text: i18n.T("", "")}, numCell(numOf(th.Value), 4, computed(f)), numCell(1, 3, computed("T/T"))})
		s.Blocks = append(s.Blocks, tt)
	}
	s.Blocks = append(s.Blocks, &Paragraph{Note: true, Text: i18n.T(
		"方法说明：各测度的公式与出处见 agglo measure 的输出与源码注释；“agglo measure all --indicator "+ind+" --group agglomeration”可复现本表。",
		"Method note: every measure's formula and source are in agglo measure's output and the code's doc comments; \"agglo measure all --indicator "+ind+" --group agglomeration\" reproduces this table.")})
	return s
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

// compositeIndex is the composite-index section: the CRIC framework rebuilt
// from Table 3's dimensions, its uncertainty and sensitivity.
func (b *builder) compositeIndex(a *analysis.ReportInputs) Section {
	s := Section{ID: "composite", Title: i18n.T("综合指数：重建、不确定性与敏感性", "Composite index: rebuild, uncertainty and sensitivity")}
	res, ua := a.Index, a.Uncertainty
	if res == nil || ua == nil {
		s.Blocks = append(s.Blocks, &Paragraph{Note: true, Text: i18n.T("数据中没有表3的五项分指标，无法重建综合指数（可用 agglo index 指定其他框架）。",
			"The data lack Table 3's five dimensions, so the composite cannot be rebuilt (agglo index takes other frameworks).")})
		return s
	}
	n, seed := a.UncertaintyRuns, a.Seed
	s.Blocks = append(s.Blocks, &Paragraph{Text: i18n.T(
		"按《中国区域创新能力评价报告》一级权重（知识创造 0.15、知识获取 0.15、企业创新 0.25、创新环境 0.25、创新绩效 0.20）对表3的五项分指标加权平均，重建各省综合值与位次；再对缩尾上限（1-5）、标准化（min-max 或 z 分数）、集成方法（算术或几何）和权重（±25% 噪声）做蒙特卡罗不确定性分析与 Sobol 敏感性分析。",
		"Table 3's five dimensions are averaged with the CRIC first-level weights (knowledge creation 0.15, knowledge acquisition 0.15, enterprise innovation 0.25, innovation environment 0.25, innovation performance 0.20) to rebuild each province's composite and rank; a Monte Carlo uncertainty analysis and a Sobol sensitivity analysis then vary the winsorisation limit (1-5), the normalisation (min-max or z-score), the aggregation (arithmetic or geometric) and the weights (±25% noise).")})
	uaBy := map[string]analysis.UncertaintyUnit{}
	year := res.Year
	for _, u := range ua.Units {
		uaBy[u.Code] = u
	}
	units := append([]composite.UnitResult(nil), res.Units...)
	sort.SliceStable(units, func(i, j int) bool { return units[i].Rank < units[j].Rank })
	t := &Table{ID: "composite-ranks", Caption: i18n.T("重建的综合值、位次与位次区间", "Rebuilt composite, rank and rank interval"),
		Columns: []Column{{Label: i18n.T("位次", "Rank")}, {Label: i18n.T("省市", "Province")}, {Label: i18n.T("重建综合值", "Rebuilt composite")}, {Label: i18n.T("表3综合值", "Table 3 composite")},
			{Label: i18n.T("中位位次", "Median rank")}, {Label: i18n.T("5%位次", "5th pct rank")}, {Label: i18n.T("95%位次", "95th pct rank")}}}
	fw := "Σ_d w_d·dim_d with the CRIC weights"
	uaf := fmt.Sprintf("rank quantiles over %d Monte Carlo replications, seed %d", n, seed)
	rng := &Chart{ID: "composite-uncertainty", Kind: ChartRange, Table: "composite-ranks", Caption: i18n.T("位次的不确定性（5%-95% 区间、中位数与名义位次）", "Rank uncertainty (5th-95th percentile, median and nominal rank)")}
	p05, med, p95, nom := Series{Name: i18n.T("5%", "5th pct")}, Series{Name: i18n.T("中位位次", "Median rank")}, Series{Name: i18n.T("95%", "95th pct")}, Series{Name: i18n.T("名义位次", "Nominal rank")}
	for _, u := range units {
		pub, _ := b.ds.Value(u.Code, "cric_composite", year)
		o, _ := b.ds.Lookup(u.Code, "cric_composite", year)
		q := uaBy[u.Code]
		t.Rows = append(t.Rows, []Cell{numCell(float64(u.Rank), 0, computed("rank of the rebuilt composite, ties share the lowest rank")), {Text: b.name(u.Code)},
			numCell(float64(u.Index), 2, computed(fw)), numCell(pub, 2, b.prov(o)), numCell(float64(q.MedianRank), 1, computed(uaf)), numCell(float64(q.P05Rank), 1, computed(uaf)), numCell(float64(q.P95Rank), 1, computed(uaf))})
		rng.Categories = append(rng.Categories, b.name(u.Code))
		p05.Points = append(p05.Points, numPoint(float64(q.P05Rank), computed(uaf)))
		med.Points = append(med.Points, numPoint(float64(q.MedianRank), computed(uaf)))
		p95.Points = append(p95.Points, numPoint(float64(q.P95Rank), computed(uaf)))
		nom.Points = append(nom.Points, numPoint(float64(q.NominalRank), computed("rank of the rebuilt composite")))
	}
	rng.Series = []Series{p05, med, p95, nom}
	s.Blocks = append(s.Blocks, t, rng)
	if len(ua.Sensitivity) > 0 {
		sens := &Chart{ID: "composite-sensitivity", Kind: ChartBar, Caption: i18n.T("各选择对位次的 Sobol 敏感性指数", "Sobol sensitivity indices of each choice on the ranks")}
		first, total := Series{Name: i18n.T("一阶指数", "First order")}, Series{Name: i18n.T("总效应指数", "Total")}
		sf := fmt.Sprintf("Saltelli 2010 first order, Jansen total, on the mean absolute rank shift; N = %d, seed %d", n, seed)
		for _, si := range ua.Sensitivity {
			sens.Categories = append(sens.Categories, i18n.T(si.Choice, si.Choice))
			first.Points = append(first.Points, numPoint(float64(si.FirstOrder), computed(sf)))
			total.Points = append(total.Points, numPoint(float64(si.Total), computed(sf)))
		}
		sens.Series = []Series{first, total}
		s.Blocks = append(s.Blocks, sens)
	}
	s.Blocks = append(s.Blocks, &Paragraph{Note: true, Text: i18n.T(
		fmt.Sprintf("方法说明：标准化、缩尾、集成与位次规则与 COINr 一致（z 分数用样本标准差；并列位次取最小）；不确定性分析 N = %d，种子 %d，同一种子在任何机器、任何线程数下结果相同。复现：agglo index --framework cric；agglo index uncertainty --n %d --seed %d（默认设定加 sensitivity: true 与 bootstrap: 100）。", n, seed, n, seed),
		fmt.Sprintf("Method note: normalisation, winsorisation, aggregation and ranking follow COINr (z-scores with the sample standard deviation; ties share the lowest rank); uncertainty analysis with N = %d and seed %d gives the same result on any machine and any number of workers. Reproduce with agglo index --framework cric and agglo index uncertainty --n %d --seed %d with the default spec plus sensitivity: true and bootstrap: 100.", n, seed, n, seed))})
	return s
}
