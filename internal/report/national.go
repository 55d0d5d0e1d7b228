package report

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"

	"agglo/internal/analysis"
	"agglo/internal/composite"
	"agglo/internal/dataset"
	"agglo/internal/format"
	"agglo/internal/i18n"
)

// nationalClasses are the map's classes: fifths of the units by index.
var nationalClasses = []struct {
	name  i18n.Text
	color string
}{
	{i18n.T("前 20%", "top 20%"), "#b2182b"},
	{i18n.T("20%–40%", "20%-40%"), "#ef8a62"},
	{i18n.T("40%–60%", "40%-60%"), "#9e9e9e"},
	{i18n.T("60%–80%", "60%-80%"), "#67a9cf"},
	{i18n.T("后 20%", "bottom 20%"), "#2166ac"},
}

// nationalSection is the national picture: the composite index of every
// unit of the user's data, its distribution and that of key indicators,
// the map (or a ranked chart), the top and bottom units with their rank
// intervals, and what the diagnosis covers. The table of every unit is
// kept for the XLSX and JSON exports (Table.DataOnly).
func (b *builder) nationalSection(a *analysis.ReportInputs) Section {
	s := Section{ID: "national", Title: i18n.T("全部单元概览：综合指数与分布", "The national picture: composite index and distributions")}
	n := a.National
	if n == nil {
		if a.NationalSkip.ZH != "" || a.NationalSkip.EN != "" {
			s.Blocks = append(s.Blocks, &Paragraph{Note: true, Text: i18n.T("无法为全部单元构建综合指数："+a.NationalSkip.ZH, "No composite index of all units could be built: "+a.NationalSkip.EN)})
		}
		return s
	}
	ix := n.Index
	lv := nationalLevel(n.Level)
	count := format.Number(float64(n.Units), 0)
	s.Blocks = append(s.Blocks, &Paragraph{Text: sentences(
		i18n.T(fmt.Sprintf("本部分覆盖数据中的全部 %s 个%s（%d 年）", count, lv.ZH, n.Year), fmt.Sprintf("This part covers all %s %s of the data (%d)", count, lv.EN, n.Year)),
		n.FrameworkNote)})

	// Distributions.
	s.Blocks = append(s.Blocks, &Heading{ID: "national-distribution", Text: i18n.T("分布与不平等", "Distribution and inequality")})
	s.Blocks = append(s.Blocks, b.distributionTable(n))
	if p := distributionReading(n); p != nil {
		s.Blocks = append(s.Blocks, p)
	}
	for k, d := range n.Distributions {
		if d.Density == nil {
			continue
		}
		c := &Chart{ID: "national-density-" + strconv.Itoa(k), Kind: ChartLine, Decimals: 2, HideValues: true, Table: "national-distribution-table",
			Caption: i18n.T(d.Name.ZH+"的核密度（"+strconv.Itoa(n.Year)+" 年）", "Kernel density of "+lowerFirst(d.Name.EN)+" ("+strconv.Itoa(n.Year)+")"),
			XUnit:   unitText(d.Unit), Unit: i18n.T("密度", "density")}
		c.X = make([]float64, len(d.Density.X))
		pts := make([]Point, len(d.Density.Y))
		for i := range d.Density.X {
			c.X[i] = float64(d.Density.X[i])
			pts[i] = numPoint(float64(d.Density.Y[i]), nil)
		}
		c.Series = []Series{{Name: i18n.T("密度", "density"), Points: pts}}
		c.Note = i18n.Tf("高斯核，Silverman 带宽 h = %s，%d 个网格点。", "Gaussian kernel, Silverman's bandwidth h = %s, %d grid points.", format.Number(float64(*d.Density.Bandwidth), 4), len(d.Density.X))
		s.Blocks = append(s.Blocks, c)
	}

	// The ranking: map or ranked chart, top and bottom.
	s.Blocks = append(s.Blocks, &Heading{ID: "national-ranking", Text: i18n.T("排名与位次区间", "Ranking and rank intervals")})
	units := slices.Clone(ix.Units)
	sort.SliceStable(units, func(i, j int) bool { return rankKey(units[i].Rank) < rankKey(units[j].Rank) })
	if n.Lon != nil {
		s.Blocks = append(s.Blocks, b.nationalMap(n, units))
	} else {
		c := rankedChart(n, units)
		s.Blocks = append(s.Blocks, &Paragraph{Note: true, Text: n.MapNote}, c)
		if p := rankedReading(c); p != nil {
			s.Blocks = append(s.Blocks, p)
		}
	}
	uaBy := map[string]analysis.UncertaintyUnit{}
	if n.Uncertainty != nil {
		for _, u := range n.Uncertainty.Units {
			uaBy[u.Code] = u
		}
	}
	top := min(analysis.NationalTop, len(units))
	s.Blocks = append(s.Blocks, b.rankTable(n, "national-top", i18n.Tf("指数最高的 %d 个单元", "The %d units with the highest index", top), units[:top], uaBy))
	s.Blocks = append(s.Blocks, b.rankReading("national-top", units[0], uaBy))
	if len(units) > top {
		bottom := min(analysis.NationalTop, len(units)-top)
		s.Blocks = append(s.Blocks, b.rankTable(n, "national-bottom", i18n.Tf("指数最低的 %d 个单元", "The %d units with the lowest index", bottom), units[len(units)-bottom:], uaBy))
		s.Blocks = append(s.Blocks, b.rankReading("national-bottom", units[len(units)-1], uaBy))
	}
	s.Blocks = append(s.Blocks, uncertaintyBlocks(n, units, uaBy)...)
	s.Blocks = append(s.Blocks, b.diagnosisCoverage(a))
	s.Blocks = append(s.Blocks, b.unitsTable(n, units, uaBy),
		&Paragraph{Note: true, Text: i18n.Tf("全部 %[1]s 个单元的指数、分项得分与位次区间见报告的电子表格与数据导出，网页中只列前后 %[2]d 名。",
			"The index, sub-scores and rank intervals of all %[1]s units are in the Excel and JSON exports (agglo report -o report.xlsx; agglo report --format json); the page lists the top and bottom %[2]d only.",
			format.Number(float64(n.Units), 0), analysis.NationalTop)})
	return s
}

// rankKey orders ranks with the units without an index (rank 0) last.
func rankKey(r int) int {
	if r <= 0 {
		return math.MaxInt
	}
	return r
}

// nationalLevel names the units of a level in running text.
func nationalLevel(l dataset.Level) i18n.Text {
	switch l {
	case dataset.LevelProvince:
		return i18n.T("省级单元", "provinces")
	case dataset.LevelCity:
		return i18n.T("城市", "cities")
	case dataset.LevelCounty:
		return i18n.T("县级单元", "counties")
	}
	return i18n.T("单元", "units")
}

// unitText is an indicator's unit as shown on an axis.
func unitText(u string) i18n.Text {
	if u == "" {
		return i18n.Text{}
	}
	return format.Unit(u)
}

var (
	nationalIndexProv = &Prov{Kind: "computed", Formula: "composite index", Label: i18n.T("综合指数（框架与方法见正文）", "composite index (framework and methods in the text)")}
	nationalRankProv  = &Prov{Kind: "computed", Formula: "rank", Label: i18n.T("综合指数的位次（并列取最小）", "rank of the composite index (ties share the lowest)")}
	nationalDistProv  = &Prov{Kind: "computed", Formula: "G = Σ_i Σ_j |y_i − y_j| / (2n²ȳ); T = (1/n) Σ (y_i/ȳ) ln(y_i/ȳ); CV = σ/ȳ; CS_k = Σ_{i≤k} y_(i) / Σ y",
		Label: i18n.T("基尼系数、泰尔指数 T、变异系数（总体标准差）与最大单元的份额，R 第 7 类分位数", "Gini, Theil T, coefficient of variation (population standard deviation) and shares of the largest units; R type-7 quantiles")}
)

// distributionTable lists the distribution measures of the index and the
// key indicators.
func (b *builder) distributionTable(n *analysis.National) *Table {
	t := &Table{ID: "national-distribution-table", Caption: i18n.Tf("综合指数与关键指标的分布（%d 年）", "Distribution of the composite index and key indicators (%d)", n.Year),
		Columns: []Column{{Label: i18n.T("变量", "Variable")}, {Label: i18n.T("单元数", "Units")},
			{Label: i18n.T("均值", "Mean")}, {Label: i18n.T("中位数", "Median")},
			{Label: i18n.T("基尼系数", "Gini")}, {Label: i18n.T("泰尔指数 T", "Theil T")}, {Label: i18n.T("变异系数", "CV")},
			{Label: i18n.T("前 1% 单元份额", "Share of the top 1%"), Unit: i18n.T("%", "%")}, {Label: i18n.T("前 10% 单元份额", "Share of the top 10%"), Unit: i18n.T("%", "%")},
			{Label: i18n.T("核密度峰数", "Peaks of the kernel density")}}}
	p := nationalDistProv
	var whys []i18n.Text
	for _, d := range n.Distributions {
		name := d.Name
		if u := unitText(d.Unit); u.ZH != "" {
			name = i18n.T(name.ZH+"（"+u.ZH+"）", name.EN+" ("+u.EN+")")
		}
		if !d.Index && (d.Why.ZH != "" || d.Why.EN != "") {
			whys = append(whys, i18n.T(d.Name.ZH+"："+d.Why.ZH, d.Name.EN+": "+d.Why.EN))
		}
		// The mean of counts is no count: the rule by magnitude only.
		dec := format.Decimals("", float64(d.Mean), float64(d.Median))
		t.Rows = append(t.Rows, []Cell{{Text: name}, numCell(float64(d.N), 0, p),
			numCell(float64(d.Mean), dec, p), numCell(float64(d.Median), dec, p),
			numCell(float64(d.Gini), 3, p), numCell(float64(d.TheilT), 3, p), numCell(float64(d.CV), 3, p),
			numCell(100*float64(d.Top1Share), 1, p), numCell(100*float64(d.Top10Share), 1, p), numCell(peakCount(d), 0, p)})
		for _, note := range d.Notes {
			t.Notes = append(t.Notes, i18n.T(d.Name.ZH+"："+note.ZH, d.Name.EN+": "+note.EN))
		}
	}
	if len(whys) > 0 {
		t.Notes = append(t.Notes, i18n.T("关键指标依次取目录中的规模指标（若单元有其数值），再取与指数相关最强的框架指标。"+joinTexts(whys, "；", "; ").ZH+"。",
			"Key indicators: the catalogue's measures of size the units have, then the framework's indicators most correlated with the index. "+joinTexts(whys, "；", "; ").EN+"."))
	}
	if len(n.Distributions) > 0 {
		d := n.Distributions[0]
		t.Notes = append(t.Notes, i18n.Tf("前 1%% 与前 10%% 分别为按数值最大的 %d 个与 %d 个单元。", "The top 1%% and 10%% are the %d and %d units with the largest values.", d.Top1Units, d.Top10Units))
	}
	return t
}

// peakCount is the number of peaks of a distribution's kernel density
// (NaN without a density).
func peakCount(d analysis.Distribution) float64 {
	if d.Density == nil {
		return math.NaN()
	}
	return float64(len(d.Density.Peaks))
}

// distributionReading reads the index's distribution out in a sentence.
func distributionReading(n *analysis.National) *Paragraph {
	if len(n.Distributions) == 0 || !n.Distributions[0].Index {
		return nil
	}
	d := n.Distributions[0]
	if math.IsNaN(float64(d.Gini)) {
		return nil
	}
	g, top := format.Number(float64(d.Gini), 3), format.Number(100*float64(d.Top10Share), 1)
	t := i18n.Tf("综合指数的基尼系数为 %[1]s，指数最高的 %[3]d 个单元（前 10%%）占指数总和的 %[2]s%%",
		"The composite index has a Gini coefficient of %[1]s; the %[3]d units with the highest index (the top 10%%) hold %[2]s%% of its total", g, top, d.Top10Units)
	if d.Density != nil {
		k := len(d.Density.Peaks)
		if k == 1 {
			t = sentences(t, i18n.T("其核密度为单峰", "its kernel density has one peak"))
		} else if k > 1 {
			t = sentences(t, i18n.Tf("其核密度有 %d 个峰，提示单元分化为不同的群体", "its kernel density has %d peaks, which suggests the units split into distinct groups", k))
		}
	}
	return &Paragraph{Interprets: "national-distribution-table", Text: t}
}

// nationalMap draws every unit on the map of China, coloured by its fifth
// of the ranking.
func (b *builder) nationalMap(n *analysis.National, units []composite.UnitResult) *Map {
	m := &Map{ID: "national-map", Kind: MapClusters, Caption: i18n.Tf("全部单元的综合指数（按五分位着色，%d 年）", "Composite index of every unit, coloured by fifths of the ranking (%d)", n.Year)}
	pos := make(map[string]int, len(n.Index.Units))
	for i, u := range n.Index.Units {
		pos[u.Code] = i
	}
	ranked := 0
	for _, u := range units {
		if u.Rank > 0 {
			ranked++
		}
	}
	for _, c := range nationalClasses {
		m.Groups = append(m.Groups, MapGroup{Name: c.name, Color: c.color})
	}
	for k, u := range units {
		i := pos[u.Code]
		lon, lat := float64(n.Lon[i]), float64(n.Lat[i])
		if u.Rank <= 0 || math.IsNaN(lon) || math.IsNaN(lat) {
			continue
		}
		class := min(k*5/ranked, 4)
		m.Groups[class].Points = append(m.Groups[class].Points, MapPoint{Code: u.Code, Name: b.name(u.Code), Lon: lon, Lat: lat})
	}
	located := 0
	for _, g := range m.Groups {
		located += len(g.Points)
	}
	if located != ranked {
		m.Note = i18n.Tf("%[2]d 个有指数的单元中 %[1]d 个有坐标并画在图上；坐标取登记表，或数据中的经度、纬度两列。", "%[1]d of the %[2]d units with an index have coordinates and are drawn; coordinates come from the registry or from the data's longitude and latitude columns.", located, ranked)
	} else {
		m.Note = i18n.Tf("全部 %d 个有指数的单元都画在图上；坐标取登记表，或数据中的经度、纬度两列。", "All %d units with an index are drawn; coordinates come from the registry or from the data's longitude and latitude columns.", ranked)
	}
	return m
}

// rankedChart draws the index of every unit against its rank, where no map
// can be drawn.
func rankedChart(n *analysis.National, units []composite.UnitResult) *Chart {
	c := &Chart{ID: "national-ranked", Kind: ChartLine, Decimals: 2, XUnit: i18n.T("位次", "rank"), Unit: i18n.T("指数", "index"),
		Caption: i18n.Tf("全部单元按综合指数排序（%d 年）", "Every unit ranked by the composite index (%d)", n.Year)}
	var pts []Point
	for _, u := range units {
		if u.Rank <= 0 {
			continue
		}
		c.X = append(c.X, float64(u.Rank))
		pts = append(pts, numPoint(float64(u.Index), nil))
	}
	c.Series = []Series{{Name: i18n.T("综合指数", "composite index"), Points: pts}}
	return c
}

// rankedReading reads the ranked chart out: the index of the first and
// of the last rank, as the chart's data show them.
func rankedReading(c *Chart) *Paragraph {
	pts := c.Series[0].Points
	if len(pts) < 2 || pts[0].Value == nil || pts[len(pts)-1].Value == nil {
		return nil
	}
	_, ranks := c.rowLabels()
	hi, lo := format.Number(*pts[0].Value, c.Decimals), format.Number(*pts[len(pts)-1].Value, c.Decimals)
	return &Paragraph{Interprets: c.ID, Text: sentences(i18n.Tf("综合指数从第 %[1]s 位的 %[2]s 降至第 %[3]s 位的 %[4]s",
		"the composite index falls from %[2]s at rank %[1]s to %[4]s at rank %[3]s", ranks[0].ZH, hi, ranks[len(ranks)-1].ZH, lo))}
}

// rankTable lists units with their index and rank interval.
func (b *builder) rankTable(n *analysis.National, id string, caption i18n.Text, units []composite.UnitResult, uaBy map[string]analysis.UncertaintyUnit) *Table {
	t := &Table{ID: id, Caption: caption, Columns: []Column{{Label: i18n.T("位次", "Rank")}, {Label: i18n.T("单元", "Unit")}}}
	withAgg := len(n.Agglomerations) > 0
	if withAgg {
		t.Columns = append(t.Columns, Column{Label: i18n.T("城市群", "Agglomeration")})
	}
	t.Columns = append(t.Columns, Column{Label: i18n.T("综合指数", "Composite index")})
	withUA := n.Uncertainty != nil
	if withUA {
		t.Columns = append(t.Columns, Column{Label: i18n.T("中位位次", "Median rank")}, Column{Label: i18n.T("5%–95% 位次区间", "5th-95th percentile rank")})
	}
	uaf := uaProv(n)
	for _, u := range units {
		row := []Cell{numCell(float64(u.Rank), 0, nationalRankProv), {Text: b.name(u.Code)}}
		if withAgg {
			row = append(row, Cell{Text: b.aggName(n.Members[u.Code])})
		}
		row = append(row, numCell(float64(u.Index), 2, nationalIndexProv))
		if withUA {
			q := uaBy[u.Code]
			row = append(row, numCell(float64(q.MedianRank), 1, uaf),
				Cell{Text: i18n.T(format.Number(float64(q.P05Rank), 0)+"–"+format.Number(float64(q.P95Rank), 0), format.Number(float64(q.P05Rank), 0)+"-"+format.Number(float64(q.P95Rank), 0))})
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

// rankReading reads out the first (top table) or last (bottom table) unit
// of a ranking table: its rank, index and rank interval as the table shows
// them.
func (b *builder) rankReading(table string, u composite.UnitResult, uaBy map[string]analysis.UncertaintyUnit) *Paragraph {
	name := b.name(u.Code)
	rank, ix := format.Number(float64(u.Rank), 0), format.Number(float64(u.Index), 2)
	t := i18n.Tf("%[1]s居第 %[3]s 位，综合指数为 %[4]s", "%[2]s ranks %[3]s with an index of %[4]s", name.ZH, name.EN, rank, ix)
	if q, ok := uaBy[u.Code]; ok && !math.IsNaN(float64(q.P05Rank)) {
		lo, hi := format.Number(float64(q.P05Rank), 0), format.Number(float64(q.P95Rank), 0)
		t = i18n.T(t.ZH+"，5%–95% 位次区间为 "+lo+"–"+hi, t.EN+"; its 5th-95th percentile rank lies between "+lo+" and "+hi)
	}
	return &Paragraph{Interprets: table, Text: sentences(t)}
}

// aggName names an agglomeration code, or a dash.
func (b *builder) aggName(code string) i18n.Text {
	if code == "" {
		return i18n.T("—", "—")
	}
	return b.name(code)
}

func uaProv(n *analysis.National) *Prov {
	if n.Uncertainty == nil {
		return nil
	}
	runs, seed := n.Uncertainty.N, n.Uncertainty.Seed
	return &Prov{Kind: "computed", Formula: fmt.Sprintf("rank quantiles (R type 7), N = %d, seed = %d", runs, seed),
		Label: i18n.Tf("%d 次蒙特卡罗模拟（种子 %d）中位次的分位数", "rank quantiles over %d Monte Carlo runs (seed %d)", runs, seed)}
}

// uncertaintyBlocks are the chart of every unit's rank interval against its
// nominal rank and the reading of the uncertainty analysis.
func uncertaintyBlocks(n *analysis.National, units []composite.UnitResult, uaBy map[string]analysis.UncertaintyUnit) []Block {
	ua := n.Uncertainty
	if ua == nil {
		return []Block{&Paragraph{Note: true, Text: i18n.T("没有做不确定性分析："+n.UncertaintySkip.ZH, "No uncertainty analysis: "+n.UncertaintySkip.EN)}}
	}
	c := &Chart{ID: "national-rank-intervals", Kind: ChartLine, Decimals: 0, Table: "national-uncertainty", XUnit: i18n.T("名义位次", "nominal rank"), Unit: i18n.T("位次", "rank"),
		Caption: i18n.T("全部单元的位次区间：5%、中位与 95% 位次（按名义位次排列）", "Rank intervals of every unit: 5th percentile, median and 95th percentile rank, by nominal rank")}
	var p05, med, p95 []Point
	var widths []float64
	for _, u := range units {
		q, ok := uaBy[u.Code]
		if u.Rank <= 0 || !ok {
			continue
		}
		c.X = append(c.X, float64(u.Rank))
		p05 = append(p05, numPoint(float64(q.P05Rank), nil))
		med = append(med, numPoint(float64(q.MedianRank), nil))
		p95 = append(p95, numPoint(float64(q.P95Rank), nil))
		if w := float64(q.P95Rank - q.P05Rank); !math.IsNaN(w) {
			widths = append(widths, w)
		}
	}
	c.Series = []Series{{Name: i18n.T("5% 位次", "5th percentile"), Points: p05}, {Name: i18n.T("中位位次", "median"), Points: med}, {Name: i18n.T("95% 位次", "95th percentile"), Points: p95}}
	out := []Block{c}
	slices.Sort(widths)
	if len(widths) == 0 {
		return out
	}
	mw := widths[len(widths)/2]
	if len(widths)%2 == 0 {
		mw = (widths[len(widths)/2-1] + widths[len(widths)/2]) / 2
	}
	spec := i18n.T("默认不确定性设定（异常值处理：无或缩尾；标准化：极差或标准分；指标权重：框架或等权，另加 ±25% 扰动；每项选择都含名义方法）",
		"agglo's default uncertainty specification (outliers: none or winsorised; normalisation: min-max or z-scores; indicator weights: the framework's or equal, with ±25% noise; every choice includes the nominal method)")
	p := uaProv(n)
	t := &Table{ID: "national-uncertainty", Caption: i18n.T("位次区间的摘要", "Summary of the rank intervals"),
		Columns: []Column{{Label: i18n.T("项目", "Item")}, {Label: i18n.T("数值", "Value")}},
		Rows: [][]Cell{
			{{Text: i18n.T("蒙特卡罗模拟次数", "Monte Carlo runs")}, numCell(float64(ua.N), 0, p)},
			{{Text: i18n.T("随机种子", "Seed")}, numCell(float64(ua.Seed), 0, p)},
			{{Text: i18n.T("有位次区间的单元", "Units with a rank interval")}, numCell(float64(len(widths)), 0, p)},
			{{Text: i18n.T("5%–95% 位次区间宽度的中位数（位次）", "Median width of the 5th-95th percentile rank interval (ranks)")}, numCell(mw, 0, p)},
			{{Text: i18n.T("名义位次落在自身区间之外的单元", "Units with the nominal rank outside their own interval")}, numCell(float64(ua.NominalOutside), 0, p)},
		},
		Notes: []i18n.Text{i18n.T("抽样按"+spec.ZH+"。", "Sampled from "+spec.EN+".")}}
	text := i18n.Tf("位次区间来自 %[1]s 次蒙特卡罗模拟（种子 %[2]s）。%[4]s 个单元中，5%%–95%% 位次区间宽度的中位数为 %[3]s 个位次；%[5]s 个单元的名义位次落在自身区间之外。",
		"The rank intervals come from %[1]s Monte Carlo runs (seed %[2]s). Across the %[4]s units the median width of the 5th-95th percentile rank interval is %[3]s ranks; %[5]s units have their nominal rank outside their own interval.",
		format.Number(float64(ua.N), 0), format.Number(float64(ua.Seed), 0), format.Number(mw, 0), format.Number(float64(len(widths)), 0), format.Number(float64(ua.NominalOutside), 0))
	out = append(out, t, &Paragraph{Interprets: "national-uncertainty", Text: text},
		&Paragraph{Note: true, Text: i18n.Tf("模拟次数按单元数与指标数选取（单元数 × 指标数不少于 10 万时为 %[1]d 次，否则 %[2]d 次）：%[1]d 次时 5%% 与 95%% 分位数的二项标准误约为 1.5 个百分点。需要更多次数时，可在综合指数的不确定性分析中指定模拟次数。",
			"The number of runs follows the size of the data (%[1]d from 100,000 units × indicators on, else %[2]d): with %[1]d runs the 5th and 95th percentiles have a binomial standard error of about 1.5 percentage points. Use agglo index uncertainty --n for more runs.",
			analysis.NationalRunsLarge, analysis.NationalRunsSmall)})
	return out
}

// diagnosisCoverage says which agglomerations the report diagnoses, or
// plainly that free units have none.
func (b *builder) diagnosisCoverage(a *analysis.ReportInputs) *Paragraph {
	n := a.National
	switch {
	case n.FreeUnits:
		return &Paragraph{Note: true, Text: i18n.T("数据中的单元是自由单元（不是中国的行政区），不属于任何城市群，因此本报告没有城市群的诊断与战略，也不含论文对五大城市群的分析。",
			"The data's units are free units (not Chinese administrative regions): they belong to no agglomeration, so this report has no diagnosis or strategy of agglomerations and leaves out the paper's analyses of the five agglomerations.")}
	case len(n.Agglomerations) == 0:
		return &Paragraph{Note: true, Text: i18n.T("数据中的单元不属于任何城市群，因此没有按这些单元做城市群诊断；“创新模式、诊断与战略”一节诊断的是默认的城市群。",
			"None of the data's units belongs to an agglomeration, so no agglomeration is diagnosed from them; the section on modes, diagnosis and strategy covers the default agglomerations.")}
	}
	var names []i18n.Text
	for _, c := range a.Diagnosed {
		names = append(names, b.name(c))
	}
	return &Paragraph{Text: i18n.Tf("数据中的单元属于 %[1]d 个城市群；“创新模式、诊断与战略”一节诊断了其中 %[2]d 个：%[3]s。",
		"The data's units belong to %[1]d agglomerations; the section on modes, diagnosis and strategy diagnoses %[2]d of them: %[4]s.",
		len(n.Agglomerations), len(a.Diagnosed), joinTexts(names, "、", ", ").ZH, joinTexts(names, "、", ", ").EN)}
}

// unitsTable is the table of every unit, for the XLSX and JSON exports.
func (b *builder) unitsTable(n *analysis.National, units []composite.UnitResult, uaBy map[string]analysis.UncertaintyUnit) *Table {
	fw := n.Framework
	t := &Table{ID: "national-units", DataOnly: true, Caption: i18n.Tf("全部单元的综合指数与位次区间（%d 年）", "Composite index and rank intervals of every unit (%d)", n.Year),
		Source: i18n.T("agglo 推算：综合指数（框架与方法见正文）与蒙特卡罗位次分位数", "derived by agglo: composite index (framework and methods in the text) and Monte Carlo rank quantiles"),
		Columns: []Column{{Label: i18n.T("位次", "Rank")}, {Label: i18n.T("代码", "Code")}, {Label: i18n.T("单元", "Unit")}, {Label: i18n.T("城市群", "Agglomeration")},
			{Label: i18n.T("综合指数", "Composite index")}}}
	var subs []string
	if fw.NumLevels() > 2 {
		subs = fw.LevelCodes(2)
		for _, c := range subs {
			t.Columns = append(t.Columns, Column{Label: i18n.T(fw.Name(c, "zh"), fw.Name(c, "en"))})
		}
	}
	if n.Uncertainty != nil {
		t.Columns = append(t.Columns, Column{Label: i18n.T("5% 位次", "5th percentile rank")}, Column{Label: i18n.T("中位位次", "Median rank")},
			Column{Label: i18n.T("95% 位次", "95th percentile rank")}, Column{Label: i18n.T("名义位次的百分位", "Percentile of the nominal rank")})
	}
	for _, u := range units {
		row := []Cell{numCell(float64(u.Rank), 0, nil), {Text: i18n.T(u.Code, u.Code)}, {Text: b.name(u.Code)}, {Text: b.aggName(n.Members[u.Code])},
			numCell(float64(u.Index), 4, nil)}
		for _, c := range subs {
			row = append(row, numCell(float64(u.Levels[c]), 4, nil))
		}
		if n.Uncertainty != nil {
			q := uaBy[u.Code]
			row = append(row, numCell(float64(q.P05Rank), 1, nil), numCell(float64(q.MedianRank), 1, nil), numCell(float64(q.P95Rank), 1, nil), numCell(float64(q.NominalPercentile), 1, nil))
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}
