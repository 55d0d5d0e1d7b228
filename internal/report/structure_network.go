package report

import (
	"math"
	"slices"
	"sort"
	"strconv"

	"agglo/internal/analysis"
	"agglo/internal/format"
	"agglo/internal/i18n"
)

// networkTop is how many members of each agglomeration the network's
// table lists, by strength.
const networkTop = 3

// agreementWords words the agreement of the communities with the
// agglomerations by the normalised mutual information, as the network
// measure's summary does.
func agreementWords(nmi float64) i18n.Text {
	switch analysis.CommunityAgreement(nmi) {
	case analysis.AgreementHigh:
		return i18n.T("社区划分与城市群高度一致", "the communities largely coincide with the agglomerations")
	case analysis.AgreementPartial:
		return i18n.T("社区划分与城市群部分一致", "the communities partly coincide with the agglomerations")
	}
	return i18n.T("社区划分与城市群差别较大，联系紧密的成员跨越了城市群的边界", "the communities differ markedly from the agglomerations: closely linked members cross their boundaries")
}

// structureNetwork is the gravity linkage network among the members:
// its summary statistics and the leading members of each agglomeration.
func (b *builder) structureNetwork(st *analysis.Structure) []Block {
	out := []Block{&Heading{ID: "structure-network", Text: i18n.T("引力联系网络：中心性与社区", "Gravity linkage network: centrality and communities")}}
	if why, ok := st.Skip(analysis.PartNetwork); ok {
		return append(out, &Paragraph{Note: true, Text: why})
	}
	r := st.Network
	if r == nil || len(r.Units) == 0 || len(r.Indicators) != 2 {
		return out
	}
	p, g := b.indicatorLabel(r.Indicators[0]), b.indicatorLabel(r.Indicators[1])
	out = append(out, &Paragraph{Text: i18n.T(
		"本节以 "+strconv.Itoa(r.Year)+" 年城市群各成员的“"+p.ZH+"”为人口规模、“"+g.ZH+"”为经济规模，构建引力联系网络：两地的联系强度等于两地人口与经济规模乘积的平方根之积，除以两地大圆距离的平方（即双向引力之和）；联系强度不低于全部成对联系平均值的两地之间连边，边的权重为联系强度。社区用卢万算法按模块度最大化划分（分辨率 1，随机种子 "+strconv.FormatUint(st.Seed, 10)+"），再与城市群的划分比较。",
		"This section builds the gravity linkage network of the agglomerations' members in "+strconv.Itoa(r.Year)+", with "+lowerFirst(p.EN)+" as the human mass and "+lowerFirst(g.EN)+" as the economic mass: the linkage of two members is the product of the square roots of each one's population times economic mass, divided by the square of their great-circle distance (the sum of the gravity in both directions); two members are linked when their linkage is at least the mean over all pairs, with the linkage as the edge's weight. Communities are found by the Louvain method maximising modularity (resolution 1, seed "+strconv.FormatUint(st.Seed, 10)+") and compared with the agglomerations.")})
	pv := structureProv("引力联系网络（人口与经济规模，距离平方衰减，平均值阈值）", "gravity linkage network (population and economic mass, squared distance decay, mean threshold)", formulaOf(r, "network"))
	stat := func(k string) float64 {
		v, ok := r.Stats[k]
		if !ok {
			return math.NaN()
		}
		return float64(v)
	}
	ts := &Table{ID: "structure-network", Caption: i18n.Tf("城市群成员引力联系网络的整体特征（%d 年）", "The gravity linkage network of the members (%d)", r.Year),
		Columns: []Column{{Label: i18n.T("统计量", "Statistic")}, {Label: i18n.T("数值", "Value")}},
		Notes: []i18n.Text{
			i18n.T("密度 = 实际边数 ÷ 可能的边数 n(n−1)/2。模块度衡量社区内部的联系比随机网络多出多少，高于 0.3 通常视为社区结构明显；“按城市群划分的模块度”把每个城市群当作一个社区计算。",
				"Density = edges ÷ the n(n−1)/2 possible edges. Modularity measures how much denser the links within communities are than in a random network; above 0.3 usually indicates a clear community structure. The modularity of the agglomerations takes each agglomeration as a community."),
			i18n.T("标准化互信息与调整兰德指数衡量社区与城市群划分的一致程度：1 为完全一致，0 左右为与随机划分无异。",
				"Normalised mutual information and the adjusted Rand index measure how far the communities agree with the agglomerations: 1 is identical, around 0 no better than a random partition.")}}
	rows := []struct {
		name i18n.Text
		v    float64
		dec  int
	}{
		{i18n.T("成员数", "Members"), float64(r.N), 0},
		{i18n.T("边数", "Edges"), stat("edges"), 0},
		{i18n.T("密度", "Density"), stat("density"), 3},
		{i18n.T("社区数", "Communities"), stat("communities"), 0},
		{i18n.T("模块度 Q", "Modularity Q"), stat("modularity"), 3},
		{i18n.T("按城市群划分的模块度", "Modularity of the agglomerations"), stat("group_modularity"), 3},
		{i18n.T("标准化互信息", "Normalised mutual information"), stat("nmi"), 3},
		{i18n.T("调整兰德指数", "Adjusted Rand index"), stat("ari"), 3},
		{i18n.T("孤立成员（没有连边）", "Isolated members (no edge)"), stat("isolated"), 0},
	}
	for _, x := range rows {
		ts.Rows = append(ts.Rows, []Cell{{Text: x.name}, numCell(x.v, x.dec, pv)})
	}
	out = append(out, ts)
	c := func(i int) string { return cellString(ts.Rows[i][1]) }
	parts := []i18n.Text{
		i18n.T("网络有 "+c(0)+" 个成员、"+c(1)+" 条边，密度为"+c(2), "the network has "+c(0)+" members and "+c(1)+" edges, a density of "+c(2)),
		i18n.T("卢万算法找到 "+c(3)+" 个社区，模块度 Q 为"+c(4), "the Louvain method finds "+c(3)+" communities with a modularity Q of "+c(4)),
	}
	if nmi := stat("nmi"); !math.IsNaN(nmi) && ts.Rows[6][1].Value != nil {
		q := i18n.T("", "")
		if ts.Rows[5][1].Value != nil {
			q = i18n.T("（按城市群划分的模块度为"+c(5)+"）", " (the agglomerations as communities give "+c(5)+")")
		}
		parts[1] = i18n.T(parts[1].ZH+q.ZH, parts[1].EN+q.EN)
		parts = append(parts, i18n.T("社区与城市群划分相比，标准化互信息为"+c(6)+"、调整兰德指数为"+c(7), "against the agglomerations, the normalised mutual information is "+c(6)+" and the adjusted Rand index "+c(7)),
			agreementWords(nmi))
	}
	if stat("isolated") > 0 {
		parts = append(parts, i18n.T("网络中有 "+c(8)+" 个成员没有连边，各自成为一个社区，社区数和两个一致性指标都计入了它们",
			c(8)+" members have no edge and each forms a community of its own, which the number of communities and both agreement measures include"))
	}
	out = append(out, &Paragraph{Interprets: ts.ID, Text: sentences(parts...)})
	return append(out, b.networkMembers(r, pv)...)
}

// networkMembers lists the leading members of each agglomeration by
// strength, with their centralities and community.
func (b *builder) networkMembers(r *analysis.MeasureResult, pv *Prov) []Block {
	if !slices.ContainsFunc(r.Units, func(u analysis.UnitValue) bool { return u.Values["strength"] > 0 }) {
		return nil // no edge: no member has a share of the linkage
	}
	t := &Table{ID: "structure-network-members", Caption: i18n.Tf("各城市群联系强度居前 %d 位的成员（%d 年）", "The %d members of each agglomeration with the strongest linkage (%d)", networkTop, r.Year),
		Columns: []Column{{Label: i18n.T("地区", "Region")}, {Label: i18n.T("度", "Degree")}, {Label: i18n.T("联系强度占比", "Share of linkage"), Unit: format.Unit("%")},
			{Label: i18n.T("介数", "Betweenness")}, {Label: i18n.T("接近中心性", "Closeness")}, {Label: i18n.T("社区", "Community")}},
		Notes: []i18n.Text{i18n.T("度为相连成员的个数；联系强度占比为该成员各边权重之和占全部成员之和的百分比；介数为经过该成员的最短路径数（按步数）；接近中心性按步数计算，孤立成员为 0。特征向量中心性集中在联系最强的连通部分，其他成员接近 0，故本表不列（网络测度命令与仪表盘的测度页给出）。",
			"Degree counts the linked members; the share of linkage is the sum of the member's edge weights as a percentage of the sum over all members; betweenness counts the shortest paths (by steps) through the member; closeness is by steps, 0 for an isolated member. Eigenvector centrality concentrates on the most strongly linked component, leaving the other members near 0, so the table omits it (agglo measure network and the dashboard's measures page give it).")}}
	var order []string
	byGroup := map[string][]analysis.UnitValue{}
	for _, u := range r.Units {
		if _, ok := byGroup[u.Group]; !ok {
			order = append(order, u.Group)
		}
		byGroup[u.Group] = append(byGroup[u.Group], u)
	}
	empty := i18n.T("", "")
	type lead struct {
		group, name i18n.Text
		row         int
	}
	var leads []lead
	bestB := -1
	for _, gc := range order {
		if gc == "" {
			continue
		}
		us := byGroup[gc]
		sort.SliceStable(us, func(i, j int) bool { return us[i].Values["strength"] > us[j].Values["strength"] })
		gname := b.name(gc)
		row := []Cell{{Text: gname, Class: "group"}}
		for range 5 {
			row = append(row, Cell{Text: empty})
		}
		t.Rows = append(t.Rows, row)
		for k, u := range us[:min(networkTop, len(us))] {
			com := "—"
			if u.Community != nil {
				com = strconv.Itoa(*u.Community + 1)
			}
			name := b.unitName(u.Unit, u.Name)
			t.Rows = append(t.Rows, []Cell{{Text: name}, numCell(float64(u.Values["degree"]), 0, pv), numCell(float64(u.Values["strength_share"]), 1, pv),
				numCell(float64(u.Values["betweenness"]), 1, pv), numCell(float64(u.Values["closeness"]), 3, pv), {Text: i18n.T(com, com)}})
			if k == 0 {
				leads = append(leads, lead{gname, name, len(t.Rows) - 1})
			}
			if bestB < 0 || float64(u.Values["betweenness"]) > *t.Rows[bestB][3].Value {
				bestB = len(t.Rows) - 1
			}
		}
	}
	if len(leads) == 0 {
		return nil
	}
	var parts, zh []i18n.Text
	for _, l := range leads {
		s := cellString(t.Rows[l.row][2])
		zh = append(zh, i18n.T(l.group.ZH+"是"+l.name.ZH+"（"+s+"%）", l.name.EN+" ("+s+"%) in "+theName(l.group.EN)))
	}
	j := joinTexts(zh, "，", ", ")
	parts = append(parts, i18n.T("各城市群中联系强度最高的成员："+j.ZH, "the member with the strongest linkage in each agglomeration: "+j.EN))
	if bestB >= 0 && t.Rows[bestB][3].Value != nil && *t.Rows[bestB][3].Value > 0 {
		x := t.Rows[bestB]
		parts = append(parts, i18n.T("表中介数最高的是"+x[0].Text.ZH+"（"+cellString(x[3])+"），它处在其他成员之间最短路径的枢纽位置",
			"the highest betweenness in the table is "+x[0].Text.EN+"'s ("+cellString(x[3])+"): it lies on the shortest paths between other members, a hub of the network"))
	}
	return []Block{t, &Paragraph{Interprets: t.ID, Text: sentences(parts...)}}
}
