package report

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"agglo/internal/analysis"
	"agglo/internal/dataset"
	"agglo/internal/format"
	"agglo/internal/i18n"
)

// This file builds the part on spatial structure, convergence and
// inequality decomposition from analysis.Structure: global and local
// spatial autocorrelation with cluster maps, σ- and β-convergence with
// clubs by agglomeration, the Dagum Gini decomposition with its pairwise
// heat table, kernel densities by year and the obstacle degree of the
// composite index. Every reading states only numbers its table shows.

// clusterClass is one class of a cluster map.
type clusterClass struct {
	code  string
	name  i18n.Text
	color string
}

// lisaClasses are the LISA cluster types, significant ones first.
func lisaClasses() []clusterClass {
	return []clusterClass{
		{"HH", i18n.T("高-高（热点）", "High-high (hot spot)"), "#c0392b"},
		{"LL", i18n.T("低-低（冷点）", "Low-low (cold spot)"), "#2166ac"},
		{"LH", i18n.T("低-高（异常值）", "Low-high (outlier)"), "#92c5de"},
		{"HL", i18n.T("高-低（异常值）", "High-low (outlier)"), "#f4a582"},
		{"ns", i18n.T("不显著", "Not significant"), "#c5ccd4"},
	}
}

// hotColdClasses are the Getis-Ord Gi* classes.
func hotColdClasses() []clusterClass {
	return []clusterClass{
		{"hot", i18n.T("热点", "Hot spot"), "#c0392b"},
		{"cold", i18n.T("冷点", "Cold spot"), "#2166ac"},
		{"ns", i18n.T("不显著", "Not significant"), "#c5ccd4"},
	}
}

// structureProv is the provenance of the part's computed numbers: how
// they were obtained in words, and the method that computed them (the
// formula of its result, or its name) for the data.
func structureProv(zh, en, formula string) *Prov {
	return &Prov{Kind: "computed", Label: i18n.T(zh, en), Formula: formula}
}

// formulaOf is a result's formula, or the method's name without one.
func formulaOf(r *analysis.MeasureResult, method string) string {
	if r != nil && r.Formula != "" {
		return r.Formula
	}
	return method
}

// labelf formats a caption that names an indicator: the label comes
// first in both formats (lower case inside an English sentence).
func labelf(zh, en string, lab i18n.Text, args ...any) i18n.Text {
	return i18n.T(fmt.Sprintf(zh, append([]any{lab.ZH}, args...)...), fmt.Sprintf(en, append([]any{lowerFirst(lab.EN)}, args...)...))
}

// significanceNote explains the significance levels the readings use.
func significanceNote() i18n.Text {
	return i18n.T("p 值低于 0.01、0.05、0.1 分别视为在 1%、5%、10% 水平上显著。", "A p-value below 0.01, 0.05 or 0.1 is significant at the 1%, 5% or 10% level.")
}

// shownText is what a cell shows: its number, or its text.
func shownText(c Cell) string {
	if c.Value == nil {
		return c.Text.ZH
	}
	return cellString(c)
}

// pCell shows a p-value with three decimals, or "< 0.001" below that.
func pCell(p float64, pv *Prov) Cell {
	if p < 0.0005 {
		return Cell{Text: i18n.T("< 0.001", "< 0.001")}
	}
	return numCell(p, 3, pv)
}

// significanceWords words a p-value as the readings do.
func significanceWords(p float64) (i18n.Text, bool) {
	switch {
	case math.IsNaN(p):
		return i18n.T("无法检验", "cannot be tested"), false
	case p < 0.01:
		return i18n.T("在 1% 水平上显著", "significant at the 1% level"), true
	case p < 0.05:
		return i18n.T("在 5% 水平上显著", "significant at the 5% level"), true
	case p < 0.1:
		return i18n.T("仅在 10% 水平上显著", "significant only at the 10% level"), false
	}
	return i18n.T("不显著", "not significant"), false
}

// unitName names a unit of a result: the registry's short name, else the
// result's own name.
func (b *builder) unitName(code, name string) i18n.Text {
	if _, ok := b.ds.Region(code); ok {
		return b.name(code)
	}
	if name == "" {
		name = code
	}
	return i18n.T(name, name)
}

// someNames lists up to five names and counts the rest.
func someNames(names []i18n.Text) i18n.Text {
	if len(names) <= 5 {
		return joinTexts(names, "、", ", ")
	}
	j := joinTexts(names[:5], "、", ", ")
	return i18n.T(j.ZH+"等", j.EN+" and others")
}

// structureSection is the part on spatial structure, convergence and
// inequality decomposition.
func (b *builder) structureSection(a *analysis.ReportInputs) Section {
	s := Section{ID: "structure", Title: i18n.T("空间格局、收敛与差异分解", "Spatial structure, convergence and inequality decomposition")}
	st := a.Structure
	if st == nil {
		s.Blocks = append(s.Blocks, &Paragraph{Note: true, Text: i18n.T("本部分没有计算。", "This part was not computed.")})
		return s
	}
	s.Blocks = append(s.Blocks, b.structureIntro(st))
	for _, part := range []func(*analysis.Structure) []Block{b.structureGlobal, b.structureLISA, b.structureHotSpots, b.structureConvergence, b.structureDagum, b.structureKernel, b.structureNetwork, b.structureObstacle} {
		s.Blocks = append(s.Blocks, part(st)...)
	}
	s.Blocks = append(s.Blocks, &Paragraph{Note: true, Text: i18n.T(
		"方法说明：公式与出处见方法文档；区域测度命令的莫兰指数、吉尔里指数、局部莫兰、Gi* 冷热点、收敛、达格姆分解、核密度、联系网络与障碍度各方法，以同样的设置可复现本部分的每张表（引力联系网络对应联系网络方法的双向相加模式，阈值取双向联系之和的平均值）。",
		"Method note: formulas and sources are in docs/methods.md; agglo measure moran, geary, lisa, getis-ord, convergence, dagum, kernel, network and obstacle reproduce every table of this part with the same settings (the gravity linkage network is the network method's sum mode, with the threshold at the mean of the pairs' summed linkage).")})
	return s
}

// structureIntro says what the part measures, on which indicator, and the
// defaults of the spatial statistics.
func (b *builder) structureIntro(st *analysis.Structure) *Paragraph {
	zh := "本部分考察成员之间的空间格局与差异结构：全局与局部空间自相关（莫兰指数、吉尔里指数、LISA 集聚与 Getis-Ord Gi* 冷热点）、σ 收敛与 β 收敛（含按城市群的俱乐部收敛）、达格姆基尼系数分解、核密度估计的分布动态、成员之间的引力联系网络，以及综合指数的障碍度。"
	en := "This part examines the spatial pattern and the structure of the gaps among the members: global and local spatial autocorrelation (Moran's I, Geary's C, LISA clusters and Getis-Ord Gi* hot and cold spots), σ- and β-convergence (with club convergence by agglomeration), the Dagum Gini decomposition, the evolution of the distribution by kernel density, the gravity linkage network among the members, and the obstacle degree of the composite index."
	if st.Indicator != "" {
		lab, lv := b.indicatorLabel(st.Indicator), dataset.Level(st.Level).Text()
		zh += fmt.Sprintf("截面方法以%s单位 %d 年的“%s”为对象。", lv.ZH, st.Year, lab.ZH)
		en += fmt.Sprintf(" The cross-section methods read the %s-level members' %s in %d.", lv.EN, lowerFirst(lab.EN), st.Year)
	}
	if st.PanelIndicator != "" {
		lab := b.indicatorLabel(st.PanelIndicator)
		zh += "跨年方法以“" + lab.ZH + "”的各年数据为对象。"
		en += " The methods over time read the yearly values of " + lowerFirst(lab.EN) + "."
	}
	if w := st.Weights; w != nil {
		zh += fmt.Sprintf("默认设置：空间权重取每个地区最近的 %d 个邻居（按登记表中各地区经纬度的大圆距离）；莫兰指数、吉尔里指数与 LISA 用行标准化权重，Gi* 用含自身的二值权重（与 Getis 和 Ord 1992 年的定义及 spdep 一致）；置换检验 %d 次，随机种子 %d；局部统计量的显著性水平为 5%%。",
			w.K, st.Permutations, st.Seed)
		en += fmt.Sprintf(" Defaults: the spatial weights link each region to its %d nearest neighbours (great-circle distance between the registry's coordinates); Moran's I, Geary's C and LISA use row-standardised weights, Gi* binary weights including the unit itself (as Getis and Ord 1992 define it, and as spdep computes it); %d permutations with seed %d; local statistics are significant at the 5%% level.",
			w.K, st.Permutations, st.Seed)
	}
	return &Paragraph{Text: i18n.T(zh, en)}
}

// structureGlobal is the table of global Moran's I and Geary's C.
func (b *builder) structureGlobal(st *analysis.Structure) []Block {
	out := []Block{&Heading{ID: "structure-global", Text: i18n.T("全局空间自相关", "Global spatial autocorrelation")}}
	if why, ok := st.Skip(analysis.PartSpatial); ok {
		return append(out, &Paragraph{Note: true, Text: why})
	}
	if st.Moran == nil || st.Geary == nil {
		return out
	}
	lab := b.indicatorLabel(st.Indicator)
	pv := structureProv("全局空间自相关统计量（k 近邻行标准化权重，置换检验）", "global spatial autocorrelation (k nearest neighbours, row-standardised, permutation test)", formulaOf(st.Moran, "moran")+"; "+formulaOf(st.Geary, "geary"))
	t := &Table{ID: "structure-global",
		Caption: labelf("%s的全局空间自相关（%d 年，%d 个地区）", "Global spatial autocorrelation of %s (%d, %d regions)", lab, st.Year, st.Moran.N),
		Columns: []Column{{Label: i18n.T("统计量", "Statistic")}, {Label: i18n.T("数值", "Value")}, {Label: i18n.T("期望值", "Expected")},
			{Label: i18n.T("z 值（正态近似）", "z (normal)")}, {Label: i18n.T("p 值（正态近似）", "p (normal)")}, {Label: i18n.T("p 值（置换检验）", "p (permutations)")}},
		Notes: []i18n.Text{
			i18n.Tf("置换检验 %d 次，随机种子 %d。莫兰指数高于期望值 −1/(n−1) 表示正空间自相关（相近的值相邻）；吉尔里指数小于 1 表示正空间自相关，大于 1 表示负空间自相关。", "%d permutations, seed %d. Moran's I above its expectation −1/(n−1) means positive spatial autocorrelation (similar values are neighbours); Geary's C below 1 means positive, above 1 negative spatial autocorrelation.", st.Permutations, st.Seed),
			significanceNote()}}
	row := func(name i18n.Text, r *analysis.MeasureResult) []Cell {
		return []Cell{{Text: name}, numCell(numOf(r.Value), 4, pv), numCell(numOf(r.Expected), 4, pv), numCell(numOf(r.Z), 2, pv), pCell(numOf(r.PNorm), pv), pCell(numOf(r.PSim), pv)}
	}
	t.Rows = append(t.Rows, row(i18n.T("莫兰指数 I", "Moran's I"), st.Moran), row(i18n.T("吉尔里指数 C", "Geary's C"), st.Geary))
	out = append(out, t)
	// Reading: Moran's I against its expectation and its permutation p.
	m, g := t.Rows[0], t.Rows[1]
	i, e, p := numOf(st.Moran.Value), numOf(st.Moran.Expected), numOf(st.Moran.PSim)
	sig, isSig := significanceWords(p)
	var mz, me string
	dir := i18n.T("高于", "above")
	if i < e {
		dir = i18n.T("低于", "below")
	}
	mz = "莫兰指数 I 为" + cellString(m[1]) + "，" + dir.ZH + "其期望值" + cellString(m[2]) + "，置换检验 p 值为" + shownText(m[5]) + "，" + sig.ZH
	me = "Moran's I is " + cellString(m[1]) + ", " + dir.EN + " its expectation of " + cellString(m[2]) + ", with a permutation p-value of " + shownText(m[5]) + ": " + sig.EN
	switch {
	case isSig && i > e:
		mz += "：" + lab.ZH + "在空间上集聚，高值地区与高值地区相邻、低值与低值相邻（正空间自相关）"
		me += ". " + upperFirst(lowerFirst(lab.EN)) + " clusters in space: high values neighbour high values and low values low ones (positive spatial autocorrelation)"
	case isSig:
		mz += "：相邻地区的" + lab.ZH + "倾向于相异（负空间自相关）"
		me += ". Neighbouring regions tend to differ in " + lowerFirst(lab.EN) + " (negative spatial autocorrelation)"
	default:
		mz += "：不能认为存在全局空间自相关，" + lab.ZH + "的空间分布与随机分布无显著差别"
		me += ". There is no evidence of global spatial autocorrelation: the pattern of " + lowerFirst(lab.EN) + " does not differ significantly from a random one"
	}
	gs, gSig := significanceWords(numOf(st.Geary.PSim))
	gz := "吉尔里指数 C 为" + cellString(g[1]) + "（置换检验 p 值" + shownText(g[5]) + "，" + gs.ZH + "）"
	ge := "Geary's C is " + cellString(g[1]) + " (permutation p-value " + shownText(g[5]) + ", " + gs.EN + ")"
	switch c := numOf(st.Geary.Value); {
	case gSig && c < 1:
		gz += "，小于 1，表明正空间自相关"
		ge += ", below 1: positive spatial autocorrelation"
	case gSig:
		gz += "，大于 1，表明负空间自相关"
		ge += ", above 1: negative spatial autocorrelation"
	}
	out = append(out, &Paragraph{Interprets: t.ID, Text: sentences(i18n.T(mz, me), i18n.T(gz, ge))})
	for _, n := range st.Notes {
		out = append(out, &Paragraph{Note: true, Text: n})
	}
	return out
}

// clusterMap draws the units of a local statistic by class: city points,
// or province polygons for province data.
func (b *builder) clusterMap(id string, caption, note i18n.Text, table string, r *analysis.MeasureResult, classes []clusterClass, key func(analysis.UnitValue) string) *Map {
	m := &Map{ID: id, Caption: caption, Note: note, Kind: MapClusters, Regions: r.Level == "province", Table: table}
	for _, c := range classes {
		g := MapGroup{Code: c.code, Name: c.name, Color: c.color}
		for _, u := range r.Units {
			if key(u) != c.code || u.Lon == nil || u.Lat == nil {
				continue
			}
			g.Points = append(g.Points, MapPoint{Code: u.Unit, Name: b.unitName(u.Unit, u.Name), Lon: float64(*u.Lon), Lat: float64(*u.Lat)})
		}
		m.Groups = append(m.Groups, g)
	}
	return m
}

// clusterTable lists the units of each class of a local statistic.
func (b *builder) clusterTable(id string, caption i18n.Text, r *analysis.MeasureResult, classes []clusterClass, key func(analysis.UnitValue) string, notes ...i18n.Text) (*Table, map[string][]i18n.Text) {
	t := &Table{ID: id, Caption: caption, Notes: notes,
		Columns: []Column{{Label: i18n.T("类型", "Type")}, {Label: i18n.T("地区数", "Regions")}, {Label: i18n.T("地区", "Regions in the class")}}}
	pv := structureProv("各类地区的个数", "number of regions in the class", "count; "+formulaOf(r, r.Method))
	members := map[string][]i18n.Text{}
	for _, u := range r.Units {
		members[key(u)] = append(members[key(u)], b.unitName(u.Unit, u.Name))
	}
	for _, c := range classes {
		names := i18n.T("—", "—")
		if c.code != "ns" && len(members[c.code]) > 0 {
			names = joinTexts(members[c.code], "、", ", ")
		} else if c.code == "ns" && len(members[c.code]) > 0 {
			names = i18n.T("（不逐一列出）", "(not listed)")
		}
		t.Rows = append(t.Rows, []Cell{{Text: c.name}, numCell(float64(len(members[c.code])), 0, pv), {Text: names}})
	}
	return t, members
}

// structureLISA is the LISA cluster map with its table and reading.
func (b *builder) structureLISA(st *analysis.Structure) []Block {
	r := st.LISA
	if r == nil {
		return nil
	}
	out := []Block{&Heading{ID: "structure-lisa", Text: i18n.T("局部空间自相关：LISA 集聚图", "Local spatial autocorrelation: LISA cluster map")}}
	lab := b.indicatorLabel(st.Indicator)
	key := func(u analysis.UnitValue) string {
		if u.Cluster == "" {
			return "ns"
		}
		return u.Cluster
	}
	classes := lisaClasses()
	sigNote := i18n.Tf("显著性按 %d 次条件置换的伪 p 值判断，不超过 0.05 即在 5%% 水平上显著。", "Significance is judged by the pseudo p-value of %d conditional permutations: at most 0.05 is significant at the 5%% level.", st.Permutations)
	t, members := b.clusterTable("structure-lisa", labelf("%s的 LISA 集聚类型（%d 年）", "LISA cluster types of %s (%d)", lab, st.Year), r, classes, key,
		sigNote, i18n.T("高-高：自身与邻居都高；低-低：都低；低-高与高-低：与邻居相反的异常值。", "High-high: the region and its neighbours are high; low-low: both low; low-high and high-low: outliers unlike their neighbours."))
	mapNote := i18n.T("颜色表示在 5% 水平上显著的局部集聚类型，灰色为不显著；点为地区驻地位置（省级数据按省着色）。底图边界仅为示意。", "Colours show the local cluster types significant at the 5% level, grey the regions that are not; points are the regions' seats (province data colour whole provinces). Boundaries are indicative only.")
	out = append(out, b.clusterMap("structure-lisa-map", labelf("%s的 LISA 集聚图（%d 年）", "LISA cluster map of %s (%d)", lab, st.Year), mapNote, t.ID, r, classes, key), t)
	count := func(code string) string { return cellString(t.Rows[classIndex(classes, code)][1]) }
	var parts []i18n.Text
	if len(members["HH"])+len(members["LL"])+len(members["LH"])+len(members["HL"]) == 0 {
		parts = append(parts, i18n.T("没有地区在 5% 水平上形成显著的局部集聚（"+count("ns")+" 个地区均不显著），"+lab.ZH+"没有明显的局部热点或冷点",
			"No region forms a local cluster significant at the 5% level (all "+count("ns")+" are not significant): "+lowerFirst(lab.EN)+" shows no clear local hot or cold spot"))
	} else {
		for _, c := range classes[:2] {
			if len(members[c.code]) == 0 {
				continue
			}
			n := someNames(members[c.code])
			parts = append(parts, i18n.T("在 5% 水平上显著的"+c.name.ZH+"有 "+count(c.code)+" 个："+n.ZH, lowerFirst(c.name.EN)+" clusters significant at the 5% level: "+count(c.code)+" ("+n.EN+")"))
		}
		parts = append(parts, i18n.T("低-高与高-低异常值分别为 "+count("LH")+" 个和 "+count("HL")+" 个，其余 "+count("ns")+" 个地区不显著",
			"there are "+count("LH")+" low-high and "+count("HL")+" high-low outliers, and "+count("ns")+" regions are not significant"))
		if len(members["HH"]) > 0 {
			parts = append(parts, i18n.T("高-高集聚是"+lab.ZH+"的高值连片区域，低-低集聚是连片的低值区域", "high-high clusters are contiguous areas of high "+lowerFirst(lab.EN)+", low-low clusters contiguous low areas"))
		}
	}
	out = append(out, &Paragraph{Interprets: t.ID, Text: sentences(parts...)})
	return out
}

// classIndex is the position of a class.
func classIndex(classes []clusterClass, code string) int {
	for i, c := range classes {
		if c.code == code {
			return i
		}
	}
	return len(classes) - 1
}

// structureHotSpots is the Getis-Ord Gi* hot and cold spot map with its
// table and reading.
func (b *builder) structureHotSpots(st *analysis.Structure) []Block {
	r := st.GetisOrd
	if r == nil {
		return nil
	}
	out := []Block{&Heading{ID: "structure-hotspots", Text: i18n.T("冷热点分析：Getis-Ord Gi*", "Hot and cold spots: Getis-Ord Gi*")}}
	lab := b.indicatorLabel(st.Indicator)
	key := func(u analysis.UnitValue) string {
		if u.Cluster == "" {
			return "ns"
		}
		return u.Cluster
	}
	classes := hotColdClasses()
	t, members := b.clusterTable("structure-hotspots", labelf("%s的 Gi* 冷热点（%d 年）", "Gi* hot and cold spots of %s (%d)", lab, st.Year), r, classes, key,
		i18n.T("热点：Gi* 的 z 值不低于 1.96；冷点：不高于 −1.96（5% 水平，双侧）。Gi* 把地区自身与其邻居一起计算：热点是高值集中的区域，冷点是低值集中的区域。",
			"Hot spot: a Gi* z-value of at least 1.96; cold spot: at most −1.96 (5% level, two-sided). Gi* counts the region with its neighbours: a hot spot is an area where high values concentrate, a cold spot one where low values do."))
	mapNote := i18n.T("红色为热点，蓝色为冷点，灰色为不显著（5% 水平）。底图边界仅为示意。", "Red marks hot spots, blue cold spots, grey regions that are not significant (5% level). Boundaries are indicative only.")
	out = append(out, b.clusterMap("structure-hotspots-map", labelf("%s的 Gi* 冷热点图（%d 年）", "Gi* hot and cold spots of %s (%d)", lab, st.Year), mapNote, t.ID, r, classes, key), t)
	count := func(code string) string { return cellString(t.Rows[classIndex(classes, code)][1]) }
	var parts []i18n.Text
	if len(members["hot"])+len(members["cold"]) == 0 {
		parts = append(parts, i18n.T("没有地区是显著的热点或冷点（z 值都在 −1.96 与 1.96 之间）", "no region is a significant hot or cold spot (every z-value lies between −1.96 and 1.96)"))
	} else {
		for _, c := range classes[:2] {
			if len(members[c.code]) == 0 {
				parts = append(parts, i18n.T("没有显著的"+c.name.ZH, "there is no significant "+lowerFirst(c.name.EN)))
				continue
			}
			n := someNames(members[c.code])
			parts = append(parts, i18n.T(c.name.ZH+" "+count(c.code)+" 个："+n.ZH, lowerFirst(c.name.EN)+"s: "+count(c.code)+" ("+n.EN+")"))
		}
		parts = append(parts, i18n.T("其余 "+count("ns")+" 个地区不显著", count("ns")+" regions are not significant"))
	}
	out = append(out, &Paragraph{Interprets: t.ID, Text: sentences(parts...)})
	return out
}

// structureConvergence shows σ-convergence by year and β-convergence with
// its clubs by agglomeration.
func (b *builder) structureConvergence(st *analysis.Structure) []Block {
	out := []Block{&Heading{ID: "structure-convergence", Text: i18n.T("收敛分析：σ 收敛与 β 收敛", "Convergence: σ and β")}}
	if why, ok := st.Skip(analysis.PartConvergence); ok {
		return append(out, &Paragraph{Note: true, Text: why})
	}
	c := st.Convergence
	if c == nil || len(c.Sigma) == 0 {
		return out
	}
	lab := b.indicatorLabel(st.PanelIndicator)
	pvS := structureProv("对数值的标准差（除以 n）与变异系数", "standard deviation of the logarithms (divisor n) and coefficient of variation", formulaOf(c, "convergence"))
	ts := &Table{ID: "structure-sigma", Caption: labelf("%s的 σ 收敛（%d—%d 年）", "σ-convergence of %s (%d-%d)", lab, c.From, c.To),
		Columns: []Column{{Label: i18n.T("年份", "Year")}, {Label: i18n.T("地区数", "Regions")}, {Label: i18n.T("对数标准差 σ", "σ of the logarithms")}, {Label: i18n.T("变异系数", "Coefficient of variation")}},
		Notes:   []i18n.Text{i18n.T("σ 为各地区取对数后的标准差；σ 随时间下降即 σ 收敛，地区间的相对差距缩小。", "σ is the standard deviation of the regions' logarithms; a falling σ is σ-convergence: the relative gaps between regions narrow.")}}
	ch := &Chart{ID: "structure-sigma-chart", Kind: ChartLine, Table: ts.ID, Decimals: 4, Caption: labelf("%s的 σ 与变异系数", "σ and coefficient of variation of %s", lab)}
	sig, cvs := Series{Name: i18n.T("对数标准差 σ", "σ of the logarithms")}, Series{Name: i18n.T("变异系数", "Coefficient of variation")}
	first, last := -1, -1
	for k, y := range c.Sigma {
		yr := strconv.Itoa(y.Year)
		ts.Rows = append(ts.Rows, []Cell{{Text: i18n.T(yr, yr)}, numCell(float64(y.N), 0, pvS), numCell(numOf(y.Value), 4, pvS), numCell(numOf(y.CV), 4, pvS)})
		ch.Categories = append(ch.Categories, i18n.T(yr, yr))
		sig.Points = append(sig.Points, numPoint(numOf(y.Value), pvS))
		cvs.Points = append(cvs.Points, numPoint(numOf(y.CV), pvS))
		if !math.IsNaN(numOf(y.Value)) {
			if first < 0 {
				first = k
			}
			last = k
		}
	}
	ch.Series = []Series{sig, cvs}
	out = append(out, ts, ch)
	if first >= 0 && last > first {
		a, z := ts.Rows[first], ts.Rows[last]
		fall := numOf(c.Sigma[last].Value) < numOf(c.Sigma[first].Value)
		verdict := i18n.T("σ 上升，没有 σ 收敛：地区间的相对差距扩大", "σ rose: no σ-convergence, the relative gaps widened")
		if fall {
			verdict = i18n.T("σ 下降，存在 σ 收敛：地区间的相对差距缩小", "σ fell: σ-convergence, the relative gaps narrowed")
		}
		out = append(out, &Paragraph{Interprets: ts.ID, Text: sentences(
			i18n.T(a[0].Text.ZH+" 年 σ 为"+cellString(a[2])+"，"+z[0].Text.ZH+" 年为"+cellString(z[2])+"（变异系数从"+cellString(a[3])+"变为"+cellString(z[3])+"）",
				"σ was "+cellString(a[2])+" in "+a[0].Text.EN+" and "+cellString(z[2])+" in "+z[0].Text.EN+" (the coefficient of variation went from "+cellString(a[3])+" to "+cellString(z[3])+")"),
			verdict)})
	}
	if c.Beta != nil {
		out = append(out, b.betaTable(st, c)...)
	}
	return out
}

// betaTable shows absolute β-convergence over all regions and within each
// agglomeration (club).
func (b *builder) betaTable(st *analysis.Structure, c *analysis.MeasureResult) []Block {
	lab := b.indicatorLabel(st.PanelIndicator)
	pv := structureProv("β 收敛回归：年均对数增长率对起始年对数值的普通最小二乘回归", "β-convergence: ordinary least squares of the yearly log growth on the first year's logarithm", formulaOf(c, "convergence"))
	t := &Table{ID: "structure-beta", Caption: labelf("%s的绝对 β 收敛（%d—%d 年）", "Absolute β-convergence of %s (%d-%d)", lab, c.From, c.To),
		Columns: []Column{{Label: i18n.T("范围", "Scope")}, {Label: i18n.T("地区数", "Regions")}, {Label: i18n.T("β 系数", "β")}, {Label: i18n.T("标准误", "Standard error")},
			{Label: i18n.T("p 值", "p")}, {Label: i18n.T("R²", "R²")}, {Label: i18n.T("收敛速度", "Rate of convergence"), Unit: i18n.T("%/年", "% a year")}, {Label: i18n.T("半衰期", "Half-life"), Unit: i18n.T("年", "years")}},
		Notes: []i18n.Text{
			i18n.T("β 显著为负即 β 收敛（起点低的地区增长更快），收敛速度 λ = −ln(1 + βT)/T，半衰期 ln 2/λ 只在 λ 为正时给出；β 显著为正即发散。各城市群内部的回归即俱乐部收敛。",
				"A significantly negative β is β-convergence (regions that started lower grew faster); the rate is λ = −ln(1 + βT)/T and the half-life ln 2/λ, given only when λ is positive; a significantly positive β is divergence. The regression within each agglomeration is its club convergence."),
			significanceNote()}}
	type row struct {
		name i18n.Text
		n    int
		beta *analysis.Beta
	}
	rows := []row{{i18n.T("全部地区", "All regions"), c.Beta.N, c.Beta}}
	for _, cl := range c.Clubs {
		rows = append(rows, row{b.unitName(cl.Group, cl.Name), cl.N, cl.Beta})
	}
	var coefs []float64
	for _, r := range rows {
		if r.beta != nil {
			coefs = append(coefs, numOf(r.beta.Coefficient), numOf(r.beta.SE))
		}
	}
	dec := max(4, format.Decimals("", coefs...))
	var few []i18n.Text
	for _, r := range rows {
		cells := []Cell{{Text: r.name}, numCell(float64(r.n), 0, pv)}
		if r.beta == nil {
			cells = append(cells, missingCell(), missingCell(), missingCell(), missingCell(), missingCell(), missingCell())
			few = append(few, r.name)
		} else {
			cells = append(cells, numCell(numOf(r.beta.Coefficient), dec, pv), numCell(numOf(r.beta.SE), dec, pv), pCell(numOf(r.beta.P), pv),
				numCell(numOf(r.beta.R2), 3, pv), numCell(100*numOf(r.beta.Rate), 2, pv), numCell(numOf(r.beta.HalfLife), 1, pv))
		}
		t.Rows = append(t.Rows, cells)
	}
	if len(few) > 0 {
		f := joinTexts(few, "、", ", ")
		t.Notes = append(t.Notes, i18n.T(f.ZH+"的成员太少，无法估计其回归。", f.EN+": too few members to estimate the regression."))
	}
	// Reading: the whole sample, then the clubs by direction.
	all := t.Rows[0]
	bv, p := numOf(c.Beta.Coefficient), numOf(c.Beta.P)
	sw, sig := significanceWords(p)
	head := i18n.T("全部地区的 β 系数为"+cellString(all[2])+"（p 值"+shownText(all[4])+"，"+sw.ZH+"）",
		"over all regions β is "+cellString(all[2])+" (p-value "+shownText(all[4])+", "+sw.EN+")")
	switch {
	case sig && bv < 0:
		head = i18n.T(head.ZH+"：存在绝对 β 收敛，起点低的地区增长更快", head.EN+": absolute β-convergence, regions that started lower grew faster")
		if c.Beta.HalfLife != nil {
			head = i18n.T(head.ZH+"，收敛速度每年 "+cellString(all[6])+"%，半衰期 "+cellString(all[7])+" 年", head.EN+", at "+cellString(all[6])+"% a year (half-life "+cellString(all[7])+" years)")
		}
	case sig:
		head = i18n.T(head.ZH+"：β 发散，起点高的地区增长更快", head.EN+": β-divergence, regions that started higher grew faster")
	default:
		head = i18n.T(head.ZH+"：没有显著的绝对 β 收敛", head.EN+": no significant absolute β-convergence")
	}
	parts := []i18n.Text{head}
	var conv, div []i18n.Text
	for k, r := range rows[1:] {
		if r.beta == nil {
			continue
		}
		if _, s := significanceWords(numOf(r.beta.P)); s {
			if numOf(r.beta.Coefficient) < 0 {
				conv = append(conv, rows[k+1].name)
			} else {
				div = append(div, rows[k+1].name)
			}
		}
	}
	if len(c.Clubs) > 0 {
		switch {
		case len(conv) == 0 && len(div) == 0:
			parts = append(parts, i18n.T("各城市群内部都没有显著的 β 收敛或发散", "no agglomeration shows significant β-convergence or divergence within"))
		default:
			if len(conv) > 0 {
				n := joinTexts(conv, "、", ", ")
				parts = append(parts, i18n.T(n.ZH+"内部存在显著的俱乐部收敛", "club convergence is significant within "+n.EN))
			}
			if len(div) > 0 {
				n := joinTexts(div, "、", ", ")
				parts = append(parts, i18n.T(n.ZH+"内部显著发散", "members diverge significantly within "+n.EN))
			}
		}
	}
	return []Block{t, &Paragraph{Interprets: t.ID, Text: sentences(parts...)}}
}

// heatShade is the background of a heat-table cell: white for the lowest
// value of the table to a mid red for the highest.
func heatShade(v, lo, hi float64) string {
	if math.IsNaN(v) || !(hi > lo) {
		return ""
	}
	f := (v - lo) / (hi - lo)
	mix := func(a, b int) int { return a + int(math.Round(f*float64(b-a))) }
	return fmt.Sprintf("#%02x%02x%02x", mix(0xff, 0xef), mix(0xf7, 0x8a), mix(0xf3, 0x62))
}

// structureDagum shows the Dagum Gini decomposition by agglomeration, the
// pairwise heat table and, over the years, the decomposition's shares.
func (b *builder) structureDagum(st *analysis.Structure) []Block {
	out := []Block{&Heading{ID: "structure-dagum", Text: i18n.T("达格姆基尼系数分解", "Dagum Gini decomposition")}}
	if why, ok := st.Skip(analysis.PartDagum); ok {
		return append(out, &Paragraph{Note: true, Text: why})
	}
	d := st.Dagum
	if d == nil {
		return out
	}
	lab := b.indicatorLabel(st.Indicator)
	pv := structureProv("达格姆（1997）基尼系数分解", "the Dagum (1997) Gini decomposition", formulaOf(d, "dagum"))
	total := numOf(d.Value)
	t := &Table{ID: "structure-dagum", Caption: labelf("%s的达格姆基尼系数分解（%d 年，%d 个城市群成员）", "Dagum Gini decomposition of %s (%d, %d agglomeration members)", lab, d.Year, d.N),
		Columns: []Column{{Label: i18n.T("来源", "Component")}, {Label: i18n.T("数值", "Value")}, {Label: i18n.T("贡献率", "Share"), Unit: format.Unit("%")}},
		Notes: []i18n.Text{i18n.T("组内差异是各城市群内部的差距；组间净差异是城市群之间的差距；超变密度是不同城市群成员之间的交叠（一个城市群的低值地区低于另一个城市群的高值地区）。不属于任何城市群的地区不计入。",
			"Within is the gap inside each agglomeration; net between is the gap between agglomerations; transvariation is the overlap of members of different agglomerations (low members of one below high members of another). Regions outside every agglomeration are left out.")}}
	for _, c := range []struct {
		name i18n.Text
		v    float64
	}{{i18n.T("组内差异", "Within groups"), numOf(d.Within)}, {i18n.T("组间净差异", "Net between groups"), numOf(d.Between)}, {i18n.T("超变密度", "Transvariation"), numOf(d.Transvariation)}} {
		t.Rows = append(t.Rows, []Cell{{Text: c.name}, numCell(c.v, 4, pv), numCell(100*c.v/total, 1, pv)})
	}
	t.Rows = append(t.Rows, []Cell{{Text: i18n.T("总体基尼系数", "Gini coefficient"), Class: "group"}, numCell(total, 4, pv), numCell(100, 1, pv)})
	big := 0
	for k := range 3 {
		if *t.Rows[k][1].Value > *t.Rows[big][1].Value {
			big = k
		}
	}
	r := t.Rows
	out = append(out, t, &Paragraph{Interprets: t.ID, Text: sentences(
		i18n.T("总体基尼系数为"+cellString(r[3][1])+"：组内差异"+cellString(r[0][1])+"（贡献"+cellString(r[0][2])+"%），组间净差异"+cellString(r[1][1])+"（"+cellString(r[1][2])+"%），超变密度"+cellString(r[2][1])+"（"+cellString(r[2][2])+"%）",
			"The Gini coefficient is "+cellString(r[3][1])+": within groups "+cellString(r[0][1])+" ("+cellString(r[0][2])+"%), net between groups "+cellString(r[1][1])+" ("+cellString(r[1][2])+"%), transvariation "+cellString(r[2][1])+" ("+cellString(r[2][2])+"%)"),
		i18n.T(r[big][0].Text.ZH+"是差异的最大来源", lowerFirst(r[big][0].Text.EN)+" is the largest source of the inequality"))})
	out = append(out, b.dagumPairs(d)...)
	out = append(out, b.dagumYears(st)...)
	return out
}

// dagumPairs is the heat table of the within-group (diagonal) and
// between-group Gini coefficients.
func (b *builder) dagumPairs(d *analysis.MeasureResult) []Block {
	if len(d.Groups) < 2 {
		return nil
	}
	pv := structureProv("达格姆（1997）组内与组间基尼系数", "Dagum (1997) within- and between-group Gini coefficients", formulaOf(d, "dagum"))
	idx := map[string]int{}
	for i, g := range d.Groups {
		idx[g.Group] = i
	}
	n := len(d.Groups)
	m := make([][]float64, n)
	var single []i18n.Text
	for i := range m {
		m[i] = make([]float64, n)
		for j := range m[i] {
			m[i][j] = math.NaN()
		}
		// A group of one member has no inequality within.
		if d.Groups[i].N >= 2 {
			m[i][i] = numOf(d.Groups[i].Value)
		} else {
			single = append(single, b.unitName(d.Groups[i].Group, d.Groups[i].Name))
		}
	}
	for _, p := range d.Pairs {
		a, ok1 := idx[p.A]
		c, ok2 := idx[p.B]
		if ok1 && ok2 {
			m[a][c], m[c][a] = numOf(p.Value), numOf(p.Value)
		}
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for i := range m {
		for _, v := range m[i] {
			if !math.IsNaN(v) {
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
		}
	}
	t := &Table{ID: "structure-dagum-pairs", Caption: i18n.T("城市群内与城市群间的基尼系数（对角线为组内，其余为两两之间）", "Gini coefficients within (diagonal) and between agglomerations"),
		Columns: []Column{regionColumn()},
		Notes:   []i18n.Text{i18n.T("颜色越深，差异越大。", "The darker the cell, the larger the gap.")}}
	if len(single) > 0 {
		j := joinTexts(single, "、", ", ")
		t.Notes = append(t.Notes, i18n.T(j.ZH+"在这些数据中只有一个成员，没有组内差异（—）。", j.EN+": a single member in these data, so no inequality within (—)."))
	}
	for _, g := range d.Groups {
		t.Columns = append(t.Columns, Column{Label: b.unitName(g.Group, g.Name)})
	}
	for i, g := range d.Groups {
		row := []Cell{{Text: b.unitName(g.Group, g.Name)}}
		for j := range n {
			c := numCell(m[i][j], 4, pv)
			c.Shade = heatShade(m[i][j], lo, hi)
			row = append(row, c)
		}
		t.Rows = append(t.Rows, row)
	}
	// Reading: the most and least unequal group, the widest and narrowest
	// gap between two groups.
	wHi, wLo, pHi, pLo := -1, -1, [2]int{-1, -1}, [2]int{-1, -1}
	for i := range n {
		v := m[i][i]
		if math.IsNaN(v) {
			continue
		}
		if wHi < 0 || v > m[wHi][wHi] {
			wHi = i
		}
		if wLo < 0 || v < m[wLo][wLo] {
			wLo = i
		}
		for j := i + 1; j < n; j++ {
			v := m[i][j]
			if math.IsNaN(v) {
				continue
			}
			if pHi[0] < 0 || v > m[pHi[0]][pHi[1]] {
				pHi = [2]int{i, j}
			}
			if pLo[0] < 0 || v < m[pLo[0]][pLo[1]] {
				pLo = [2]int{i, j}
			}
		}
	}
	name := func(i int) i18n.Text { return t.Rows[i][0].Text }
	cell := func(i, j int) string { return cellString(t.Rows[i][j+1]) }
	var parts []i18n.Text
	if wHi >= 0 && wLo != wHi {
		parts = append(parts, i18n.T("城市群内部差异最大的是"+name(wHi).ZH+"（"+cell(wHi, wHi)+"），最小的是"+name(wLo).ZH+"（"+cell(wLo, wLo)+"）",
			"inequality within is largest in "+theName(name(wHi).EN)+" ("+cell(wHi, wHi)+") and smallest in "+theName(name(wLo).EN)+" ("+cell(wLo, wLo)+")"))
	}
	if pHi[0] >= 0 {
		s := i18n.T("城市群之间差异最大的是"+name(pHi[0]).ZH+"与"+name(pHi[1]).ZH+"（"+cell(pHi[0], pHi[1])+"）",
			"the widest gap between two agglomerations is between "+theName(name(pHi[0]).EN)+" and "+theName(name(pHi[1]).EN)+" ("+cell(pHi[0], pHi[1])+")")
		if pLo != pHi {
			s = i18n.T(s.ZH+"，最小的是"+name(pLo[0]).ZH+"与"+name(pLo[1]).ZH+"（"+cell(pLo[0], pLo[1])+"）",
				s.EN+", the narrowest between "+theName(name(pLo[0]).EN)+" and "+theName(name(pLo[1]).EN)+" ("+cell(pLo[0], pLo[1])+")")
		}
		parts = append(parts, s)
	}
	out := []Block{t}
	if len(parts) > 0 {
		out = append(out, &Paragraph{Interprets: t.ID, Text: sentences(parts...)})
	}
	return out
}

// dagumYears shows the decomposition's shares in every year of a panel.
func (b *builder) dagumYears(st *analysis.Structure) []Block {
	dp := st.DagumPanel
	if dp == nil || len(dp.Panel) < 2 {
		return nil
	}
	pv := structureProv("达格姆（1997）基尼系数分解，逐年计算", "the Dagum (1997) Gini decomposition, year by year", formulaOf(dp, "dagum"))
	t := &Table{ID: "structure-dagum-years", Caption: i18n.T("达格姆基尼系数分解的逐年变化", "The Dagum decomposition year by year"),
		Columns: []Column{{Label: i18n.T("年份", "Year")}, {Label: i18n.T("地区数", "Regions")}, {Label: i18n.T("总体基尼系数", "Gini coefficient")},
			{Label: i18n.T("组内贡献率", "Within share"), Unit: format.Unit("%")}, {Label: i18n.T("组间净贡献率", "Net between share"), Unit: format.Unit("%")}, {Label: i18n.T("超变密度贡献率", "Transvariation share"), Unit: format.Unit("%")}}}
	ch := &Chart{ID: "structure-dagum-years-chart", Kind: ChartLine, Table: t.ID, Decimals: 1, Unit: format.Unit("%"),
		Caption: i18n.T("达格姆分解各部分的贡献率", "Shares of the Dagum components")}
	series := []Series{{Name: i18n.T("组内", "Within")}, {Name: i18n.T("组间净差异", "Net between")}, {Name: i18n.T("超变密度", "Transvariation")}}
	for _, y := range dp.Panel {
		g := numOf(y.Value)
		yr := strconv.Itoa(y.Year)
		shares := []float64{100 * numOf(y.Within) / g, 100 * numOf(y.Between) / g, 100 * numOf(y.Transvariation) / g}
		row := []Cell{{Text: i18n.T(yr, yr)}, numCell(float64(y.N), 0, pv), numCell(g, 4, pv)}
		for k, s := range shares {
			row = append(row, numCell(s, 1, pv))
			series[k].Points = append(series[k].Points, numPoint(s, pv))
		}
		t.Rows = append(t.Rows, row)
		ch.Categories = append(ch.Categories, i18n.T(yr, yr))
	}
	ch.Series = series
	a, z := t.Rows[0], t.Rows[len(t.Rows)-1]
	text := sentences(
		i18n.T("总体基尼系数从 "+a[0].Text.ZH+" 年的"+cellString(a[2])+"变为 "+z[0].Text.ZH+" 年的"+cellString(z[2]),
			"the Gini coefficient went from "+cellString(a[2])+" in "+a[0].Text.EN+" to "+cellString(z[2])+" in "+z[0].Text.EN),
		i18n.T("组间净差异的贡献率从"+cellString(a[4])+"%变为"+cellString(z[4])+"%，组内从"+cellString(a[3])+"%变为"+cellString(z[3])+"%，超变密度从"+cellString(a[5])+"%变为"+cellString(z[5])+"%",
			"the net between-group share went from "+cellString(a[4])+"% to "+cellString(z[4])+"%, the within share from "+cellString(a[3])+"% to "+cellString(z[3])+"% and transvariation from "+cellString(a[5])+"% to "+cellString(z[5])+"%"))
	return []Block{t, &Paragraph{Interprets: t.ID, Text: text}, ch}
}

// displayUnit shows large amounts counted in 万 (10,000) in 亿 (100
// million): 2,743,140 万元 reads as 274.3 亿元. It returns the unit shown
// and the divisor of the stored values.
func displayUnit(unit string, values ...float64) (string, float64) {
	big := 0.0
	for _, v := range values {
		if !math.IsNaN(v) {
			big = math.Max(big, math.Abs(v))
		}
	}
	if rest, ok := strings.CutPrefix(unit, "万"); ok && rest != "" && !strings.HasPrefix(rest, "亿") && big >= 1e5 {
		return "亿" + rest, 1e4
	}
	return unit, 1
}

// cellValue is a cell's number, NaN for a text.
func cellValue(c Cell) float64 {
	if c.Value == nil {
		return math.NaN()
	}
	return *c.Value
}

// kernelYears picks at most five years of a panel's densities to draw:
// all when there are five or fewer, else the first, the last and three
// evenly spaced between.
func kernelYears(ds []analysis.Density) []int {
	if len(ds) <= 5 {
		out := make([]int, len(ds))
		for i := range ds {
			out[i] = i
		}
		return out
	}
	out := []int{0}
	for k := 1; k <= 3; k++ {
		out = append(out, int(math.Round(float64(k)*float64(len(ds)-1)/4)))
	}
	return append(out, len(ds)-1)
}

// mainPeak is the location of a density's highest peak.
func mainPeak(d analysis.Density) float64 {
	best, at := math.Inf(-1), math.NaN()
	for _, p := range d.Peaks {
		for i, x := range d.X {
			if x == p && float64(d.Y[i]) > best {
				best, at = float64(d.Y[i]), float64(x)
			}
		}
	}
	return at
}

// structureKernel draws the kernel densities by year with their table.
func (b *builder) structureKernel(st *analysis.Structure) []Block {
	out := []Block{&Heading{ID: "structure-kernel", Text: i18n.T("分布动态：核密度估计", "Evolution of the distribution: kernel density")}}
	k := st.Kernel
	why, skipped := st.Skip(analysis.PartKernel)
	if k == nil || len(k.Densities) == 0 {
		if skipped {
			out = append(out, &Paragraph{Note: true, Text: why})
		}
		return out
	}
	code := k.Indicator
	lab, unit := b.indicatorLabel(code), b.indicatorUnit(code)
	var vals []float64
	for _, d := range k.Densities {
		vals = append(vals, numOf(d.Bandwidth), mainPeak(d))
	}
	unit, scale := displayUnit(unit, vals...)
	for i := range vals {
		vals[i] /= scale
	}
	u := format.Unit(unit)
	pv := structureProv("高斯核密度估计，带宽按 Silverman 经验法则", "Gaussian kernel density, Silverman's rule-of-thumb bandwidth", formulaOf(k, "kernel"))
	dec := format.Decimals(unit, vals...)
	t := &Table{ID: "structure-kernel-table", Caption: labelf("%s分布的核密度估计", "Kernel density of the distribution of %s", lab),
		Columns: []Column{{Label: i18n.T("年份", "Year")}, {Label: i18n.T("地区数", "Regions")}, {Label: i18n.T("带宽", "Bandwidth"), Unit: u}, {Label: i18n.T("峰数", "Peaks")}, {Label: i18n.T("主峰位置", "Main peak at"), Unit: u}},
		Notes:   []i18n.Text{i18n.T("峰为高度不低于最高峰十分之一的局部极大值；一个以上的峰表明分布出现分化（多极化）。", "A peak is a local maximum at least a tenth as high as the highest; more than one peak suggests the distribution is splitting (polarisation).")}}
	for _, d := range k.Densities {
		yr := strconv.Itoa(d.Year)
		t.Rows = append(t.Rows, []Cell{{Text: i18n.T(yr, yr)}, numCell(float64(d.N), 0, pv), numCell(numOf(d.Bandwidth)/scale, dec, pv), numCell(float64(len(d.Peaks)), 0, pv), numCell(mainPeak(d)/scale, dec, pv)})
	}
	ch := &Chart{ID: "structure-kernel-chart", Kind: ChartLine, Table: t.ID, Decimals: dec, XUnit: u, HideValues: true,
		Caption: labelf("%s的核密度曲线", "Kernel density curves of %s", lab),
		Unit:    i18n.T("密度", "Density")}
	if len(k.Densities) > 0 {
		for _, x := range k.Densities[0].X {
			ch.X = append(ch.X, float64(x)/scale)
		}
	}
	pick := kernelYears(k.Densities)
	// The curves' points share one short provenance: their method is named
	// in the table's footnote, and a page of curves stays small.
	curve := &Prov{Kind: "computed", Formula: "kernel density"}
	for _, i := range pick {
		d := k.Densities[i]
		yr := strconv.Itoa(d.Year)
		s := Series{Name: i18n.T(yr+" 年", yr)}
		for _, y := range d.Y {
			v := float64(y)
			s.Points = append(s.Points, Point{Value: &v, Prov: curve})
		}
		ch.Series = append(ch.Series, s)
	}
	if len(pick) < len(k.Densities) {
		var ys []string
		for _, i := range pick {
			ys = append(ys, strconv.Itoa(k.Densities[i].Year))
		}
		ch.Note = i18n.T("图中画出 "+strings.Join(ys, "、")+" 年的曲线；各年的带宽与峰见上表。", "The chart draws "+strings.Join(ys, ", ")+"; the bandwidth and peaks of every year are in the table above.")
	}
	out = append(out, t)
	a, z := t.Rows[0], t.Rows[len(t.Rows)-1]
	peaks := func(r []Cell, lang string) string {
		if cellString(r[3]) == "1" {
			return i18n.T("单峰", "one peak").In(lang)
		}
		return i18n.T("有 "+cellString(r[3])+" 个峰", cellString(r[3])+" peaks").In(lang)
	}
	var text i18n.Text
	if len(t.Rows) == 1 {
		text = sentences(i18n.T(a[0].Text.ZH+" 年"+lab.ZH+"的分布"+peaks(a, i18n.ZH)+"，主峰位于"+withUnit(cellString(a[4]), u).ZH,
			"in "+a[0].Text.EN+" the distribution of "+lowerFirst(lab.EN)+" has "+peaks(a, i18n.EN)+", the main one at "+withUnit(cellString(a[4]), u).EN))
	} else {
		move := i18n.T("主峰右移，多数地区的水平整体提高", "the main peak moved right: most regions rose")
		if cellValue(z[4]) < cellValue(a[4]) {
			move = i18n.T("主峰左移", "the main peak moved left")
		} else if cellString(z[4]) == cellString(a[4]) {
			move = i18n.T("主峰位置不变", "the main peak stayed in place")
		}
		split := i18n.T("", "")
		switch n0, n1 := cellValue(a[3]), cellValue(z[3]); {
		case n1 > n0:
			split = i18n.T("峰数增加，分布趋于分化", "more peaks: the distribution is splitting")
		case n1 < n0:
			split = i18n.T("峰数减少，分化减弱", "fewer peaks: less polarisation")
		}
		text = sentences(
			i18n.T(a[0].Text.ZH+" 年"+lab.ZH+"的分布"+peaks(a, i18n.ZH)+"，主峰位于"+withUnit(cellString(a[4]), u).ZH+"；"+z[0].Text.ZH+" 年"+peaks(z, i18n.ZH)+"，主峰位于"+withUnit(cellString(z[4]), u).ZH,
				"in "+a[0].Text.EN+" the distribution of "+lowerFirst(lab.EN)+" has "+peaks(a, i18n.EN)+", the main one at "+withUnit(cellString(a[4]), u).EN+"; in "+z[0].Text.EN+" it has "+peaks(z, i18n.EN)+", the main one at "+withUnit(cellString(z[4]), u).EN),
			move, split)
	}
	out = append(out, &Paragraph{Interprets: t.ID, Text: text}, ch)
	if skipped {
		out = append(out, &Paragraph{Note: true, Text: why})
	}
	return out
}

// structureObstacle lists the three main obstacles of every member of the
// composite index, by agglomeration.
func (b *builder) structureObstacle(st *analysis.Structure) []Block {
	out := []Block{&Heading{ID: "structure-obstacle", Text: i18n.T("障碍度：综合指数的主要障碍", "Obstacle degree: what holds the composite index back")}}
	if why, ok := st.Skip(analysis.PartObstacle); ok {
		return append(out, &Paragraph{Note: true, Text: why})
	}
	o := st.Obstacle
	if o == nil || len(o.Units) == 0 {
		return out
	}
	pv := structureProv("障碍度：指标与最优值的加权差距占全部加权差距的百分比", "obstacle degree: the indicator's weighted gap to the best, as a percentage of all weighted gaps", formulaOf(o, "obstacle"))
	t := &Table{ID: "structure-obstacle", Caption: i18n.Tf("综合指数各成员的前三位障碍因素（%d 年）", "The three main obstacles of each member in the composite index (%d)", o.Year),
		Columns: []Column{{Label: i18n.T("地区", "Region")}, {Label: i18n.T("第一障碍", "First obstacle")}, {Label: i18n.T("障碍度", "Degree"), Unit: format.Unit("%")},
			{Label: i18n.T("第二障碍", "Second obstacle")}, {Label: i18n.T("障碍度", "Degree"), Unit: format.Unit("%")}, {Label: i18n.T("第三障碍", "Third obstacle")}, {Label: i18n.T("障碍度", "Degree"), Unit: format.Unit("%")}},
		Notes: []i18n.Text{i18n.T("障碍度 = 指标权重 × 与最优地区的差距 ÷ 全部指标的加权差距之和 × 100%；各地区的障碍度之和为 100%。",
			"Obstacle degree = the indicator's weight × its gap to the best region ÷ the sum of the weighted gaps of all indicators × 100%; a region's degrees sum to 100%.")}}
	var order []string
	byGroup := map[string][]analysis.UnitValue{}
	for _, u := range o.Units {
		if len(u.Obstacles) == 0 {
			continue
		}
		if _, ok := byGroup[u.Group]; !ok {
			order = append(order, u.Group)
		}
		byGroup[u.Group] = append(byGroup[u.Group], u)
	}
	mainOf := map[string][]i18n.Text{}
	var mainOrder []string
	first := map[int]bool{} // rows of members (not group labels)
	empty := i18n.T("", "")
	for _, g := range order {
		if len(order) > 1 || g != "" {
			gname := i18n.T("其他地区", "Other regions")
			if g != "" {
				gname = b.name(g)
			}
			row := []Cell{{Text: gname, Class: "group"}}
			for range 6 {
				row = append(row, Cell{Text: empty})
			}
			t.Rows = append(t.Rows, row)
		}
		for _, u := range byGroup[g] {
			row := []Cell{{Text: b.unitName(u.Unit, u.Name)}}
			for k := range 3 {
				if k < len(u.Obstacles) {
					ob := u.Obstacles[k]
					row = append(row, Cell{Text: b.indicatorLabel(ob.Indicator)}, numCell(numOf(ob.Degree), 1, pv))
				} else {
					row = append(row, Cell{Text: i18n.T("—", "—")}, Cell{Text: i18n.T("—", "—")})
				}
			}
			first[len(t.Rows)] = true
			t.Rows = append(t.Rows, row)
			m := u.Obstacles[0].Indicator
			if _, ok := mainOf[m]; !ok {
				mainOrder = append(mainOrder, m)
			}
			mainOf[m] = append(mainOf[m], row[0].Text)
		}
	}
	out = append(out, t)
	var parts []i18n.Text
	for _, m := range mainOrder {
		l := b.indicatorLabel(m)
		n := someNames(mainOf[m])
		parts = append(parts, i18n.T("“"+l.ZH+"”是"+n.ZH+"的首要障碍", lowerFirst(l.EN)+" is the main obstacle of "+n.EN))
	}
	hi, lo := -1, -1
	for r := range t.Rows {
		if !first[r] || t.Rows[r][2].Value == nil {
			continue
		}
		v := *t.Rows[r][2].Value
		if hi < 0 || v > *t.Rows[hi][2].Value {
			hi = r
		}
		if lo < 0 || v < *t.Rows[lo][2].Value {
			lo = r
		}
	}
	if hi >= 0 && lo != hi {
		h, l := t.Rows[hi], t.Rows[lo]
		parts = append(parts, i18n.T("首要障碍最突出的是"+h[0].Text.ZH+"的“"+h[1].Text.ZH+"”（"+cellString(h[2])+"%），最不突出的是"+l[0].Text.ZH+"的“"+l[1].Text.ZH+"”（"+cellString(l[2])+"%）",
			"the heaviest main obstacle is "+lowerFirst(h[1].Text.EN)+" in "+theName(h[0].Text.EN)+" ("+cellString(h[2])+"%), the lightest "+lowerFirst(l[1].Text.EN)+" in "+theName(l[0].Text.EN)+" ("+cellString(l[2])+"%)"))
	}
	parts = append(parts, i18n.T("障碍度高的指标是提升综合指数最需补齐的短板", "the indicators with high obstacle degrees are the gaps to close first to raise the composite index"))
	out = append(out, &Paragraph{Interprets: t.ID, Text: sentences(parts...)})
	return out
}
