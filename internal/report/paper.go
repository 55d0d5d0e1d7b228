package report

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"agglo/internal/analysis"
	"agglo/internal/composite"
	"agglo/internal/dataset"
	"agglo/internal/format"
	"agglo/internal/i18n"
	"agglo/internal/replicate"
)

// year is the year of the paper's data.
const year = 2019

// agglomerationColors are the map and chart colours of the five
// agglomerations, in the order of dataset.AgglomerationCodes.
const agglomerationColors = "#c23531,#2f4554,#61a0a8,#d48265,#749f83"

// builder builds the paper's sections from one dataset.
type builder struct {
	ds *dataset.Dataset
}

func ptr(v float64) *float64 { return &v }

// name returns an agglomeration's or province's short name.
func (b *builder) name(code string) i18n.Text {
	r, ok := b.ds.Region(code)
	if !ok {
		return i18n.T(code, code)
	}
	zh := r.ShortZH
	if zh == "" {
		zh = r.NameZH
	}
	return i18n.T(zh, r.NameEN)
}

// prov returns the provenance of one observation.
func (b *builder) prov(o dataset.Observation) *Prov {
	p := b.ds.Provenance(o)
	out := &Prov{Kind: string(p.Kind), Ref: p.Ref, Formula: p.Formula, Note: p.Note, File: p.File, Row: p.Row}
	if out.Ref == "" {
		out.Ref = p.File
	}
	for _, in := range p.Inputs {
		out.Inputs = append(out.Inputs, fmt.Sprintf("%s/%s/%d", in.Region, in.Indicator, in.Year))
	}
	if out.Derived() && strings.HasPrefix(p.Ref, "paper Figure 1") {
		out.Label = i18n.T("由表1的人口密度、人均GDP与第二节第1部分的五大城市群合计联立求解（论文图1未印出数值）",
			"solved from Table 1's density and GDP per capita together with the five-group totals of section II.1 (the paper's Figure 1 prints no numbers)")
	}
	return out
}

// point returns one observation divided by scale, or an empty point.
func (b *builder) point(region, indicator string, scale float64) Point {
	o, ok := b.ds.Lookup(region, indicator, year)
	if !ok {
		return Point{}
	}
	return Point{Value: ptr(o.Value / scale), Prov: b.prov(o)}
}

// missingCell is the dash of a value the data do not have.
func missingCell() Cell {
	return Cell{Text: i18n.T("—", "—"), Prov: &Prov{Kind: "missing"}}
}

// cell returns one observation divided by scale, printed with decimals, or
// a dash.
func (b *builder) cell(region, indicator string, scale float64, decimals int) Cell {
	p := b.point(region, indicator, scale)
	if p.Value == nil {
		return missingCell()
	}
	return Cell{Value: p.Value, Decimals: decimals, Prov: p.Prov}
}

// indicatorLabel returns the catalogue name of an indicator.
func (b *builder) indicatorLabel(code string) i18n.Text {
	if ind, ok := b.ds.Catalogue.Lookup(code); ok {
		return i18n.T(ind.NameZH, ind.NameEN)
	}
	if ind, ok := b.ds.Indicator(code); ok {
		return i18n.T(ind.NameZH, ind.Name(i18n.EN))
	}
	return i18n.T(code, code)
}

func regionColumn() Column { return Column{Label: i18n.T("城市群", "Agglomeration")} }

// measure is an indicator shown in a table and a chart, in display units.
type measure struct {
	code  string
	unit  string  // display unit (Chinese symbol; English from format.Unit)
	scale float64 // stored value / scale = displayed value
}

// panel is a table of measures by agglomeration and, when every value is
// present, one bar chart per unit (indicators of different units never
// share an axis); otherwise a note names what is missing. The table is
// read out in an interpretation paragraph.
func (b *builder) panel(id string, caption i18n.Text, ms []measure, chartNeeded bool) []Block {
	codes := dataset.AgglomerationCodes()
	t := &Table{ID: id, Caption: caption, Columns: []Column{regionColumn()}}
	for _, m := range ms {
		t.Columns = append(t.Columns, Column{Label: b.indicatorLabel(m.code), Unit: format.Unit(m.unit)})
	}
	complete := true
	var missing []i18n.Text
	points := make([][]Point, len(ms))
	for k, m := range ms {
		var vals []float64
		n := 0
		for _, c := range codes {
			p := b.point(c, m.code, m.scale)
			if p.Value != nil {
				n++
				vals = append(vals, *p.Value)
			}
			points[k] = append(points[k], p)
		}
		if n < len(codes) {
			complete = false
			missing = append(missing, b.indicatorLabel(m.code))
		}
		dec := format.Decimals(m.unit, vals...)
		for i := range codes {
			if len(t.Rows) <= i {
				t.Rows = append(t.Rows, []Cell{{Text: b.name(codes[i])}})
			}
			p := points[k][i]
			if p.Value == nil {
				t.Rows[i] = append(t.Rows[i], missingCell())
			} else {
				t.Rows[i] = append(t.Rows[i], Cell{Value: p.Value, Decimals: dec, Prov: p.Prov})
			}
		}
	}
	out := []Block{t}
	if p := interpretColumns(t, numericColumns(t)...); p != nil {
		out = append(out, p)
	}
	switch {
	case complete:
		// One chart per unit, in the order the units first appear.
		var units []string
		for _, m := range ms {
			if !slices.Contains(units, m.unit) {
				units = append(units, m.unit)
			}
		}
		for ui, u := range units {
			ch := &Chart{ID: id + "-chart", Kind: ChartBar, Caption: caption, Table: id, Unit: format.Unit(u)}
			if len(units) > 1 {
				ch.ID = fmt.Sprintf("%s-chart-%d", id, ui+1)
			}
			for _, c := range codes {
				ch.Categories = append(ch.Categories, b.name(c))
			}
			var labs []i18n.Text
			for k, m := range ms {
				if m.unit != u {
					continue
				}
				lab := b.indicatorLabel(m.code)
				labs = append(labs, lab)
				ch.Series = append(ch.Series, Series{Name: lab, Points: points[k]})
				ch.Decimals = t.Rows[0][k+1].Decimals
			}
			if len(units) > 1 {
				l := joinTexts(labs, "、", ", ")
				ch.Caption = i18n.T(caption.ZH+"："+l.ZH, caption.EN+": "+lowerFirst(l.EN))
			}
			out = append(out, ch)
		}
	case chartNeeded:
		l := joinTexts(missing, "、", ", ")
		out = append(out, &Paragraph{Note: true, Text: i18n.T(
			"论文的图只以图形给出，未印出数值；绘制此图需要以下指标在五个城市群的数值："+l.ZH+"。可另行载入含这些指标的数据文件（格式同数据导出命令的输出）。",
			"The paper gives this figure as a picture only and prints no numbers; drawing it needs these indicators for all five agglomerations: "+lowerFirst(l.EN)+". Supply a file with them through --data (the format of agglo data export).")})
	}
	return out
}

func (b *builder) overview() (Section, error) {
	s := Section{ID: "overview", Title: i18n.T("城市群基本概况（图1）", "Overview of the agglomerations (Figure 1)")}
	totals := &Table{ID: "overview-totals", Caption: i18n.T("五大城市群合计（论文第二节第1部分）", "The five agglomerations together (paper section II.1)"),
		Columns: []Column{{Label: i18n.T("指标", "Indicator")}, {Label: i18n.T("数值", "Value")}, {Label: i18n.T("单位", "Unit")}}}
	for _, r := range []struct {
		ind   string
		scale float64
		unit  string
	}{
		{"area", 1e4, "万km²"}, {"area_share_national", 1, "%"}, {"population", 1e4, "亿人"},
		{"gdp", 1e4, "万亿元"}, {"gdp_share_national", 1, "%"},
	} {
		c := b.cell("FIVE", r.ind, r.scale, 2)
		totals.Rows = append(totals.Rows, []Cell{{Text: b.indicatorLabel(r.ind)}, c, {Text: format.Unit(r.unit)}})
	}
	s.Blocks = append(s.Blocks, &Paragraph{Text: i18n.T(
		"论文选取京津冀、长三角、珠三角、长江中游和成渝五大国家级城市群，从基本概况、产业结构、创新投入与产出三方面分析其创新发展现状。",
		"The paper studies China's five national urban agglomerations (Beijing-Tianjin-Hebei, Yangtze River Delta, Pearl River Delta, Middle Reaches of the Yangtze River, Chengdu-Chongqing) through their overview, industry structure, and innovation inputs and outputs.")},
		totals)
	if v := totals.Rows; len(v) == 5 && v[0][1].Value != nil && v[1][1].Value != nil && v[2][1].Value != nil && v[3][1].Value != nil && v[4][1].Value != nil {
		s.Blocks = append(s.Blocks, &Paragraph{Interprets: totals.ID, Text: i18n.T(
			fmt.Sprintf("结果显示，五大城市群合计占地%s万km²，占全国陆地面积的%s%%；常住人口%s亿人；地区生产总值%s万亿元，占全国的%s%%：以约十分之一的国土承载了过半的经济总量。",
				cellString(v[0][1]), cellString(v[1][1]), cellString(v[2][1]), cellString(v[3][1]), cellString(v[4][1])),
			fmt.Sprintf("Together the five agglomerations cover %s × 10,000 km², %s%% of China's land area, with %s × 100 million residents and a GDP of %s trillion yuan, %s%% of the national total: about a tenth of the land carries more than half of the economy.",
				cellString(v[0][1]), cellString(v[1][1]), cellString(v[2][1]), cellString(v[3][1]), cellString(v[4][1])))})
	}
	ms := []measure{{"population", "千万人", 1e3}, {"area", "万km²", 1e4}, {"gdp", "万亿元", 1e4}}
	fig := b.panel("figure1", i18n.T("图1 五大城市群基本情况（常住人口、土地面积、GDP，2019）", "Figure 1 Population, land area and GDP of the five agglomerations, 2019"), ms, true)
	if t, ok := fig[0].(*Table); ok {
		t.Notes = append(t.Notes, i18n.T(
			"论文图1未印出各城市群数值；斜体加†的值由表1的人口密度、人均GDP与正文合计值联立求解（只有长三角人口1.5亿人、长江中游面积32.61万km²为论文印出的原值）。",
			"The paper's Figure 1 prints no per-agglomeration numbers; the italic values marked † are solved from Table 1's density and GDP per capita together with the totals in the text (only the Yangtze River Delta's population, 150 million, and the Middle Yangtze's area, 326,100 km², are printed)."))
	}
	for _, blk := range fig[1:] {
		if ch, ok := blk.(*Chart); ok {
			ch.Note = i18n.T("浅色斜纹柱为推算值（†），深色为论文印出值。", "Light hatched bars are derived values (†); solid bars are printed in the paper.")
		}
	}
	s.Blocks = append(s.Blocks, fig...)
	for _, c := range b.ds.Checks {
		if c.ID == "fig1.check.yrd_gdp" {
			d, p, r := format.Number(c.Derived/1e4, 3), format.Number(c.Published/1e4, 1), format.Number(c.Residual, 1)
			s.Blocks = append(s.Blocks, &Paragraph{Note: true, Text: i18n.T(
				"校验：由表1推算的长三角GDP为"+d+"万亿元，正文印出"+p+"万亿元（差"+r+"亿元）。",
				"Check: the Yangtze River Delta's GDP derived from Table 1 is "+d+" trillion yuan against "+p+" trillion yuan printed in the text (a difference of "+r+" (100 million yuan)).")})
		}
	}
	s.Blocks = append(s.Blocks, b.memberMap())
	return s, nil
}

// memberMap locates the agglomerations' member cities.
func (b *builder) memberMap() *Map {
	colors := strings.Split(agglomerationColors, ",")
	m := &Map{ID: "map-members", Caption: i18n.T("五大城市群成员城市分布", "Member cities of the five agglomerations"),
		Note: i18n.T("圆点为成员城市的行政中心（坐标来自 agglo 区划库），只标出城市群所含城市，不涂满所在省份；底图为 Apache ECharts 4.9.0 自带的中国省级地图（约2015年），边界仅为示意，不具权威性。",
			"Dots are the member cities' administrative seats (coordinates from agglo's region registry): only the cities an agglomeration includes are marked, never whole provinces. Base map: the China province map shipped with Apache ECharts 4.9.0 (about 2015); boundaries are indicative only, not authoritative.")}
	for i, a := range b.ds.Registry.Agglomerations() {
		g := MapGroup{Code: a.Code, Name: b.name(a.Code), Color: colors[i%len(colors)]}
		for _, mem := range a.Members {
			r, ok := b.ds.Region(mem.Code)
			if !ok || !r.HasCoord() {
				continue
			}
			g.Points = append(g.Points, MapPoint{Code: r.Code, Name: i18n.T(r.NameZH, r.NameEN), Lon: r.Lon, Lat: r.Lat, Partial: mem.Partial})
		}
		m.Groups = append(m.Groups, g)
	}
	if len(m.Groups) != len(dataset.AgglomerationCodes()) {
		m.Caption = i18n.T("城市群成员城市分布", "Member cities of the agglomerations")
	}
	return m
}

func (b *builder) table1() (Section, error) {
	s := Section{ID: "table1", Title: i18n.T("人口密度与人均GDP（表1）", "Population density and GDP per capita (Table 1)")}
	ms := []measure{{"population_density", "人/km²", 1}, {"gdp_per_capita", "万元/人", 1}}
	blocks := b.panel("table1", i18n.T("表1 2019年五大城市群人口密度及人均GDP", "Table 1 Population density and GDP per capita of the five agglomerations, 2019"), ms, false)
	t := blocks[0].(*Table)
	t.Source = i18n.T("《中国统计年鉴2020》《中国城市统计年鉴2020》（论文表1）", "China Statistical Yearbook 2020 and China City Statistical Yearbook 2020 (the paper's Table 1)")
	s.Blocks = append(s.Blocks, blocks...)
	s.Blocks = append(s.Blocks, &Paragraph{Text: i18n.T(
		"论文据此指出：珠三角人口密度最大、人均GDP最高，整体经济发展水平高于其他城市群；长三角人口密度相对较低而人均GDP较高，论文归因于更高水平的对外交流合作、高校科研机构与高新技术。",
		"The paper reads this as: the Pearl River Delta has the highest density and GDP per capita and the highest overall level of development; the Yangtze River Delta combines a lower density with a high GDP per capita, which the paper attributes to its external cooperation, universities and high technology.")})
	return s, nil
}

func (b *builder) industry() (Section, error) {
	s := Section{ID: "industry", Title: i18n.T("产业结构（图2）", "Industry structure (Figure 2)")}
	s.Blocks = append(s.Blocks, &Paragraph{Text: i18n.T(
		"论文称五大城市群总体呈第三产业＞第二产业＞第一产业；京津冀第三产业占比居五大城市群首位，达52.03%；长三角第二、第三产业相对均衡，分别位列第2、第3位；成渝为第二产业＞第三产业＞第一产业。",
		"The paper states that overall the tertiary share exceeds the secondary, which exceeds the primary; Beijing-Tianjin-Hebei has the highest tertiary share of the five, 52.03%; the Yangtze River Delta's secondary and tertiary shares are balanced, ranking 2nd and 3rd; Chengdu-Chongqing has secondary > tertiary > primary.")})
	ms := []measure{{"primary_share", "%", 1}, {"secondary_share", "%", 1}, {"tertiary_share", "%", 1}}
	s.Blocks = append(s.Blocks, b.panel("figure2", i18n.T("图2 五大城市群三次产业占比", "Figure 2 Industry structure of the five agglomerations (share of GDP)"), ms, true)...)
	return s, nil
}

func (b *builder) rdInputsOutputs() (Section, error) {
	s := Section{ID: "rd", Title: i18n.T("创新投入与产出（图3、图4）", "R&D inputs and innovation outputs (Figures 3 and 4)")}
	s.Blocks = append(s.Blocks, &Paragraph{Text: i18n.T(
		"论文称：2019年京津冀R&D机构和从业人员数量居五大城市群首位；长三角R&D项目和经费投入居首位，专利申请、专利授权和发明授权均居第1位；珠三角R&D指标低于平均水平，但创新成果居第2位，专利授权申请比居第1位。",
		"The paper states that in 2019 Beijing-Tianjin-Hebei led the five in R&D institutions and personnel; the Yangtze River Delta led in R&D projects and expenditure and ranked first in patent applications, patents granted and invention patents; the Pearl River Delta was below average on R&D inputs but second in outputs and first in the ratio of grants to applications.")})
	in := []measure{{"rd_personnel", "百人", 100}, {"rd_institutions", "个", 1}, {"rd_projects", "百项", 100}, {"rd_expenditure", "千万元", 1e3}}
	out := []measure{{"patent_applications", "件", 1}, {"patent_grants", "件", 1}, {"invention_grants", "件", 1}}
	s.Blocks = append(s.Blocks, b.panel("figure3", i18n.T("图3 五大城市群R&D产业发展情况", "Figure 3 R&D activity of the five agglomerations"), in, true)...)
	s.Blocks = append(s.Blocks, b.panel("figure4", i18n.T("图4 五大城市群创新成果", "Figure 4 Innovation outputs of the five agglomerations"), out, true)...)
	return s, nil
}

func (b *builder) table2() (Section, error) {
	s := Section{ID: "table2", Title: i18n.T("创新效率（表2）", "Innovation efficiency (Table 2)")}
	ms := []measure{{"rd_personnel_per_project", "人/项", 1}, {"patents_per_rd_expenditure", "件/万元", 1}}
	blocks := b.panel("table2", i18n.T("表2 2019年五大城市群单个R&D项目从业人数及单位R&D投资专利产出", "Table 2 R&D personnel per R&D project and patents per unit of R&D expenditure, 2019"), ms, false)
	blocks[0].(*Table).Source = i18n.T("《中国科技统计年鉴2020》《中国城市统计年鉴2020》（论文表2）", "China Statistical Yearbook on Science and Technology 2020 and China City Statistical Yearbook 2020 (the paper's Table 2)")
	s.Blocks = append(s.Blocks, blocks...)
	s.Blocks = append(s.Blocks, &Paragraph{Text: i18n.T(
		"论文据此指出：长江中游这两项指标均处于五大城市群末位（单位R&D投资产出专利数与京津冀并列），原因是区域内创新人才差异较大、缺乏具有国际影响力的核心城市；珠三角单位R&D投资产出专利数最高。",
		"The paper reads this as: the Middle Yangtze is last of the five on both measures (tied with Beijing-Tianjin-Hebei on patents per R&D expenditure), because its innovation talent is uneven and it lacks a core city of international influence; the Pearl River Delta has the most patents per unit of R&D expenditure.")})
	return s, nil
}

// table3Order is the order of Table 3's agglomerations.
func table3Order() []string { return []string{"BTH", "YRD", "PRD", "MYR", "CC"} }

// cricCodes are the composite and the five dimensions of Table 3.
func cricCodes() []string {
	out := []string{"cric_composite"}
	for _, d := range analysis.Table3Dimensions() {
		out = append(out, "cric_"+d)
	}
	return out
}

// table3Provinces returns the provinces of an agglomeration with Table 3
// data.
func (b *builder) table3Provinces(agg string) []string {
	a, ok := b.ds.Region(agg)
	if !ok {
		return nil
	}
	var out []string
	for _, p := range a.MemberCodes(dataset.LevelProvince) {
		if _, ok := b.ds.Value(p, "cric_composite", year); ok {
			out = append(out, p)
		}
	}
	return out
}

func (b *builder) table3() (Section, error) {
	s := Section{ID: "table3", Title: i18n.T("区域创新能力综合指标（表3）", "Regional innovation capability (Table 3)")}
	t := &Table{ID: "table3", Caption: i18n.T("表3 2019年五大城市群创新能力综合指标", "Table 3 Innovation capability scores of the five agglomerations' provinces, 2019"),
		Columns: []Column{{Label: i18n.T("区域", "Agglomeration")}, {Label: i18n.T("省市", "Province")}}}
	for _, c := range cricCodes() {
		t.Columns = append(t.Columns, Column{Label: b.indicatorLabel(c), Unit: format.Unit("分")})
	}
	var dims []i18n.Text
	for _, c := range cricCodes()[1:] {
		dims = append(dims, b.indicatorLabel(c))
	}
	var charts []Block
	for _, agg := range table3Order() {
		provs := b.table3Provinces(agg)
		if len(provs) == 0 {
			continue
		}
		ch := &Chart{ID: "table3-radar-" + strings.ToLower(agg), Kind: ChartRadar, Max: 80, Categories: dims, Table: "table3",
			Caption: i18n.T(b.name(agg).ZH+"：各省市五项分指标", b.name(agg).EN+": the five dimension scores of its provinces")}
		for i, p := range provs {
			label := Cell{Class: "group"}
			if i == 0 {
				label.Text = b.name(agg)
			}
			row := []Cell{label, {Text: b.name(p)}}
			for _, c := range cricCodes() {
				row = append(row, b.cell(p, c, 1, 2))
			}
			t.Rows = append(t.Rows, row)
			ser := Series{Name: b.name(p)}
			for _, c := range cricCodes()[1:] {
				ser.Points = append(ser.Points, b.point(p, c, 1))
			}
			ch.Series = append(ch.Series, ser)
		}
		charts = append(charts, ch)
	}
	t.Source = i18n.T("作者结合《中国区域创新能力评价报告2019》整理（论文表3）", "compiled by the paper's authors from the China Regional Innovation Capability Evaluation Report 2019 (the paper's Table 3)")
	s.Blocks = append(s.Blocks, t)
	if p := interpretColumns(t, 2); p != nil {
		s.Blocks = append(s.Blocks, p)
	}
	s.Blocks = append(s.Blocks, charts...)
	pm := b.performanceMeans()
	s.Blocks = append(s.Blocks, pm)
	if p := interpretColumns(pm, 2); p != nil {
		p.Text = sentences(p.Text, i18n.T("论文以这一均值为城市群排序（第三节）", "the paper ranks the agglomerations by this mean (section III)"))
		s.Blocks = append(s.Blocks, p)
	}
	w, err := b.weights()
	if err != nil {
		return s, err
	}
	s.Blocks = append(s.Blocks, w...)
	return s, nil
}

// performanceMeans sets the agglomeration means of innovation performance
// that the paper's section III prints against Table 3.
func (b *builder) performanceMeans() *Table {
	t := &Table{ID: "table3-means", Caption: i18n.T("各城市群平均创新绩效综合指标（论文第三节）", "Mean innovation performance score by agglomeration (paper section III)"),
		Columns: []Column{regionColumn(), {Label: i18n.T("论文印出", "Printed in the paper"), Unit: format.Unit("分")}, {Label: i18n.T("由表3计算", "Computed from Table 3"), Unit: format.Unit("分")}, {Label: i18n.T("计算排名", "Computed rank")}}}
	codes := dataset.AgglomerationCodes()
	means := analysis.AgglomerationMeans(b.ds, "innovation_performance")
	rank := make([]int, len(means))
	for i, v := range means {
		for _, u := range means {
			if !math.IsNaN(v) && !math.IsNaN(u) && u > v {
				rank[i]++
			}
		}
		rank[i]++
	}
	pos := map[string]int{}
	for i, c := range codes {
		pos[c] = i
	}
	for _, agg := range table3Order() {
		i := pos[agg]
		row := []Cell{{Text: b.name(agg)}, b.cell(agg, "cric_innovation_performance", 1, 2)}
		if math.IsNaN(means[i]) {
			row = append(row, Cell{Text: i18n.T("—", "—")}, Cell{Text: i18n.T("—", "—")})
		} else {
			var inputs []string
			for _, p := range b.table3Provinces(agg) {
				inputs = append(inputs, p+"/cric_innovation_performance/2019")
			}
			row = append(row, Cell{Value: ptr(means[i]), Decimals: 2, Prov: &Prov{Kind: "computed", Formula: "mean_p performance_p", Inputs: inputs, Ref: "paper Table 3",
				Label: i18n.T("表3中成员省份创新绩效综合指标的平均", "mean of the member provinces' innovation performance in Table 3")}},
				Cell{Text: i18n.Tf("第%d位", "#%d", rank[i])})
		}
		t.Rows = append(t.Rows, row)
	}
	t.Notes = append(t.Notes, i18n.T("论文未给出珠三角的平均值（表3中珠三角只有广东一行）。", "The paper prints no mean for the Pearl River Delta (Table 3 has one row for it, Guangdong)."))
	return t
}

// weights sets the CRIC composite weights recovered from Table 3 against
// the CRIC framework's first-level weights.
func (b *builder) weights() ([]Block, error) {
	w, res, err := analysis.Table3Weights(b.ds)
	if err != nil {
		return []Block{&Paragraph{Note: true, Text: i18n.Tf("无法由表3反推综合值权重：%v", "The composite weights cannot be recovered from Table 3: %v", err)}}, nil
	}
	fw, err := composite.Builtin("cric")
	if err != nil {
		return nil, err
	}
	fwW := map[string]float64{}
	for _, ind := range fw.Indicators {
		fwW[strings.TrimPrefix(ind.Code, "cric_")] = ind.Weight
	}
	t := &Table{ID: "table3-weights", Caption: i18n.T("综合值权重：由表3反推与CRIC框架", "Composite weights: recovered from Table 3 and the CRIC framework"),
		Columns: []Column{{Label: i18n.T("分指标", "Dimension")}, {Label: i18n.T("反推权重", "Recovered weight")}, {Label: i18n.T("CRIC框架权重", "CRIC framework weight")}}}
	sum := 0.0
	for _, d := range analysis.Table3Dimensions() {
		sum += w[d]
		row := []Cell{{Text: b.indicatorLabel("cric_" + d)},
			{Value: ptr(w[d]), Decimals: 3, Prov: &Prov{Kind: "computed", Formula: "min_w Σ_p (composite_p − Σ_d w_d·dim_{p,d})², w ≥ 0", Ref: "paper Table 3",
				Label: i18n.T("非负最小二乘：使表3各省的加权分指标最接近其综合值的权重", "non-negative least squares: the weights that bring the weighted dimensions closest to each province's composite in Table 3")}}}
		if fw, ok := fwW[d]; ok {
			row = append(row, Cell{Value: ptr(fw), Decimals: 2, Prov: &Prov{Kind: "published", Ref: "agglo built-in framework cric (CRIC first-level weights)"}})
		} else {
			row = append(row, Cell{Text: i18n.T("—", "—")})
		}
		t.Rows = append(t.Rows, row)
	}
	t.Source = i18n.T("论文表3；CRIC框架权重取自《中国区域创新能力评价报告》一级权重（论文未印出）", "the paper's Table 3; the CRIC framework weights are the first-level weights of the China Regional Innovation Capability Evaluation Report (not printed in the paper)")
	t.Notes = append(t.Notes, i18n.Tf(
		"反推权重之和为 %.3f；以反推权重重算的综合值与表3综合值的最大绝对偏差为 %.2f 分。",
		"The recovered weights sum to %.3f; the composite refit with them differs from Table 3's composite by at most %.2f points.", sum, res))
	out := []Block{t}
	if p := interpretColumns(t, 1); p != nil {
		out = append(out, p)
	}
	return out, nil
}

// modeList returns the paper's four innovation modes (section III) and the
// conditions under which section IV recommends each.
func (b *builder) modeList() []Mode {
	names := func(codes ...string) []i18n.Text {
		var out []i18n.Text
		for _, c := range codes {
			out = append(out, b.name(c))
		}
		return out
	}
	return []Mode{
		{Code: "core_led", Name: i18n.T("核心引领模式", "Core-led mode"), Axis: "stage",
			Condition: i18n.T("创新发展初期", "early stage of innovation development"),
			Examples:  names("BTH", "CC"), Assigned: names("CC"),
			Problem: i18n.T("中心城市虹吸效应突出，区域发展非均衡程度较高", "strong siphoning by the central cities; unbalanced regional development")},
		{Code: "multi_point", Name: i18n.T("多点并行模式", "Multi-point parallel mode"), Axis: "stage",
			Condition: i18n.T("创新发展中后期", "middle and late stages of innovation development"),
			Examples:  names("PRD", "MYR"), Assigned: names("PRD", "MYR"),
			Problem: i18n.T("核心城市引领性不足，区域产业同质问题突出", "weak lead by core cities; homogeneous regional industries")},
		{Code: "internal_creation", Name: i18n.T("内部创造模式", "Internal creation mode"), Axis: "environment",
			Condition: i18n.T("国内环境稳定、国外环境动荡", "domestic environment stable, international environment turbulent"),
			Examples:  names("BTH", "PRD"), Assigned: names("BTH"),
			Problem: i18n.T("知识流动程度较低，企业创新实践能力较差", "little knowledge flow; weak innovation practice in firms")},
		{Code: "external_cooperation", Name: i18n.T("外部合作模式", "External cooperation mode"), Axis: "environment",
			Condition: i18n.T("国内创新资源有限、国外环境稳定", "domestic innovation resources limited, international environment stable"),
			Examples:  names("YRD", "CC"), Assigned: names("YRD"),
			Problem: i18n.T("国际局势影响程度较高，抗风险能力较低", "exposed to the international situation; low resilience to risk")},
	}
}

func joinNames(ts []i18n.Text, lang string) string {
	var parts []string
	for _, t := range ts {
		parts = append(parts, t.In(lang))
	}
	sep := "、"
	if lang == i18n.EN {
		sep = ", "
	}
	return strings.Join(parts, sep)
}

func (b *builder) modes() (Section, error) {
	s := Section{ID: "modes", Title: i18n.T("创新模式与战略选择（图5）", "Innovation modes and strategy choice (Figure 5)")}
	modes := b.modeList()
	t := &Table{ID: "modes", Caption: i18n.T("四种创新模式（论文第三、四节）", "The four innovation modes (paper sections III and IV)"),
		Columns: []Column{{Label: i18n.T("模式", "Mode")}, {Label: i18n.T("适用情形", "When to choose it")}, {Label: i18n.T("第三节举例", "Examples in section III")},
			{Label: i18n.T("第四节归类", "Assigned in section IV")}, {Label: i18n.T("突出问题", "Main problem")}}}
	for _, m := range modes {
		t.Rows = append(t.Rows, []Cell{{Text: m.Name}, {Text: m.Condition},
			{Text: i18n.T(joinNames(m.Examples, i18n.ZH), joinNames(m.Examples, i18n.EN))},
			{Text: i18n.T(joinNames(m.Assigned, i18n.ZH), joinNames(m.Assigned, i18n.EN))}, {Text: m.Problem}})
	}
	s.Blocks = append(s.Blocks, t, &StrategyDiagram{ID: "figure5", Modes: modes,
		Caption: i18n.T("图5 “双循环”新发展格局下的创新发展模式", "Figure 5 Innovation development modes under the dual-circulation new development pattern"),
		Centre:  i18n.T("“双循环”：以国内大循环为主、国际循环为辅", "Dual circulation: the domestic circulation primary, the international supplementary"),
		Source: i18n.T("资料来源：论文第四节图5（作者根据2020年9月1日中央全面深化改革委员会第十五次会议相关讲话内容绘制）。",
			"Source: the paper's section IV, Figure 5 (drawn by the authors after the 15th meeting of the Central Commission for Comprehensively Deepening Reform, 1 September 2020).")})
	st := &Table{ID: "strategies", Caption: i18n.T("各城市群的战略建议（论文第四节）", "Recommended strategy by agglomeration (paper section IV)"),
		Columns: []Column{regionColumn(), {Label: i18n.T("当前模式", "Current mode")}, {Label: i18n.T("战略建议", "Recommendation")}}}
	for _, r := range []struct {
		code      string
		mode, rec i18n.Text
	}{
		{"YRD", i18n.T("以外部合作为主", "mainly external cooperation"), i18n.T("强化区域政策引导作用，维持区域创新稳定发展", "strengthen regional policy guidance to keep innovation stable")},
		{"PRD", i18n.T("高水平的多点并行", "high-level multi-point parallel"), i18n.T("扩大合作交流影响范围，保障区域高质量创新发展", "widen the reach of cooperation and exchange to secure high-quality innovation")},
		{"BTH", i18n.T("以内部创造为主", "mainly internal creation"), i18n.T("优化区域内外开放合作战略，促进开放式创新发展（“内部创造+外部合作”）", "optimise open cooperation inside and outside the region for open innovation (internal creation + external cooperation)")},
		{"MYR", i18n.T("低水平的多点并行", "low-level multi-point parallel"), i18n.T("培育世界级核心城市，推动区域创新跨越式发展", "cultivate a world-class core city for leapfrog innovation")},
		{"CC", i18n.T("核心引领", "core-led"), i18n.T("重塑产业链价值链结构，实现区域创新协同发展", "reshape the industrial and value chains for coordinated innovation")},
	} {
		st.Rows = append(st.Rows, []Cell{{Text: b.name(r.code)}, {Text: r.mode}, {Text: r.rec}})
	}
	s.Blocks = append(s.Blocks, st)
	return s, nil
}

// replicationSection is the appendix that sets every checkable number and
// claim of the paper against agglo's computation: the checked claims in
// one compact table (constraints of a derivation named as such, never as
// matches), the claims read two ways side by side, and those the data
// cannot check in another table.
func replicationSection(claims []replicate.Claim, v replicate.Verdict) Section {
	s := Section{ID: "replication", Title: i18n.T("论文的复现核对", "Replication of the paper"), Appendix: true}
	s.Blocks = append(s.Blocks, &Paragraph{Text: verdictText(v)})
	cols := func() []Column {
		return []Column{{Label: i18n.T("论断", "Claim")}, {Label: i18n.T("原文", "Published")}, {Label: i18n.T("计算", "Computed")},
			{Label: i18n.T("单位", "Unit")}, {Label: i18n.T("结果", "Result")}, {Label: i18n.T("说明", "Note")}}
	}
	checked := &Table{ID: "replication", Caption: i18n.T("可核对的论文数值与论断", "The paper's numbers and claims that can be checked"), Columns: cols()}
	unchecked := &Table{ID: "replication-unchecked", Caption: i18n.T("无法由数据核对的论断", "Claims the data cannot check"), Columns: cols()}
	readings := &Table{ID: "replication-readings", Caption: i18n.T("两种读法并列的论断", "Claims read two ways, side by side"),
		Columns: []Column{{Label: i18n.T("论断", "Claim")}, {Label: i18n.T("读法一", "First reading")}, {Label: i18n.T("读法二", "Second reading")}, {Label: i18n.T("结果", "Result")}}}
	order := map[replicate.Status]int{replicate.Mismatch: 0, replicate.Mixed: 1, replicate.Match: 2, replicate.Constraint: 3, replicate.PublishedOnly: 4, replicate.NotCheckable: 5}
	sorted := append([]replicate.Claim(nil), claims...)
	slices.SortStableFunc(sorted, func(a, b replicate.Claim) int { return order[a.Status] - order[b.Status] })
	for _, c := range sorted {
		pub := Cell{Text: i18n.T("—", "—")}
		if c.Published != nil {
			pub = Cell{Value: c.Published, Decimals: decimalsFor(*c.Published, c.Tolerance), Prov: &Prov{Kind: "published", Ref: c.Source}}
		}
		comp := Cell{Text: i18n.T("—", "—")}
		if c.Computed != nil {
			comp = Cell{Value: c.Computed, Decimals: min(decimalsFor(*c.Computed, c.Tolerance)+1, 4), Prov: &Prov{Kind: "computed", Formula: c.Formula, Ref: c.Source, Note: "replication",
				Label: i18n.T("agglo 依据内置数据重算（各项的公式见复现核对命令的输出与报告的数据导出）", "recomputed by agglo from its data (each formula is in agglo replicate and agglo report --format json)")}}
		}
		note := i18n.T(c.ReasonZH, c.ReasonEN)
		if note.ZH == "" && note.EN == "" {
			note = sourceText(c.Source)
		}
		status := Cell{Text: replicate.StatusName(c.Status), Class: string(c.Status)}
		row := []Cell{{Text: i18n.T(c.ClaimZH, c.ClaimEN)}, pub, comp, {Text: replicate.UnitText(c.Unit)}, status, {Text: note}}
		if c.Status == replicate.NotCheckable || c.Status == replicate.PublishedOnly {
			unchecked.Rows = append(unchecked.Rows, row)
		} else {
			checked.Rows = append(checked.Rows, row)
		}
		if len(c.Readings) >= 2 {
			rr := []Cell{{Text: i18n.T(c.ClaimZH, c.ClaimEN)}}
			for _, r := range c.Readings[:2] {
				rr = append(rr, Cell{Text: readingText(r)})
			}
			readings.Rows = append(readings.Rows, append(rr, status))
		}
	}
	for _, t := range []*Table{checked, readings, unchecked} {
		if len(t.Rows) > 0 {
			t.Source = i18n.T("论文各表与正文；计算值由 agglo 依据内置数据重算", "the paper's tables and text; computed values recomputed by agglo from its data")
			s.Blocks = append(s.Blocks, t)
		}
	}
	return s
}

// readingText says one reading of a claim: its name, whether the claim
// holds that way, and what was computed.
func readingText(r replicate.Reading) i18n.Text {
	holds := i18n.T("不成立", "does not hold")
	if r.Holds {
		holds = i18n.T("成立", "holds")
	}
	return i18n.T(r.Name.ZH+"："+holds.ZH+"（"+r.Detail.ZH+"）", r.Name.EN+": "+holds.EN+" ("+r.Detail.EN+")")
}

// verdictText states the replication's counts fairly: the claims that
// could be recomputed and how they came out (matching, not matching,
// depending on the reading), the constraints of a derivation (true by
// construction, so not counted as checks), and how many cannot be checked
// at all.
func verdictText(v replicate.Verdict) i18n.Text {
	checked := v.Match + v.Mismatch + v.Mixed
	zh := fmt.Sprintf("论文共有 %d 项可核对的数值与论断。其中 %d 项可由数据重算：%d 项与论文一致，%d 项不一致", v.Total, checked, v.Match, v.Mismatch)
	en := fmt.Sprintf("The paper makes %d checkable numbers and claims. %d of them can be recomputed from the data: %d match the paper and %d do not", v.Total, checked, v.Match, v.Mismatch)
	if v.Mixed > 0 {
		zh += fmt.Sprintf("，%d 项因读法不同而结论不同（两种读法并列列出）", v.Mixed)
		en += fmt.Sprintf(", and %d hold under one reading but not the other (both readings are shown side by side)", v.Mixed)
	}
	if v.Constraint > 0 {
		zh += fmt.Sprintf("；%d 项是推算的约束条件，按构造成立，不计为核对", v.Constraint)
		en += fmt.Sprintf("; %d are constraints of a derivation, true by construction and not counted as checks", v.Constraint)
	}
	if v.PublishedOnly > 0 {
		zh += fmt.Sprintf("；%d 项论文未给出可重算的输入", v.PublishedOnly)
		en += fmt.Sprintf("; for %d the paper gives no inputs to recompute them", v.PublishedOnly)
	}
	if v.NotCheckable > 0 {
		zh += fmt.Sprintf("；%d 项无法由现有数据核对", v.NotCheckable)
		en += fmt.Sprintf("; %d cannot be checked from the data", v.NotCheckable)
	}
	return i18n.T(zh+"。", en+".")
}

// verdictShort is the one-line verdict of the page header.
func verdictShort(v replicate.Verdict) i18n.Text {
	checked := v.Match + v.Mismatch + v.Mixed
	zh := fmt.Sprintf("复现：可重算的 %d 项中 %d 项与论文一致、%d 项不一致", checked, v.Match, v.Mismatch)
	en := fmt.Sprintf("Replication: of the %d recomputable claims %d match the paper and %d do not", checked, v.Match, v.Mismatch)
	if v.Mixed > 0 {
		zh += fmt.Sprintf("、%d 项因读法而异", v.Mixed)
		en += fmt.Sprintf("; %d depend on the reading", v.Mixed)
	}
	return i18n.T(zh, en)
}

// decimalsFor prints a replication number with enough decimals to show the
// tolerance.
func decimalsFor(v float64, tol *float64) int {
	if tol != nil && *tol > 0 {
		// A tolerance of half a unit of the last printed digit gives
		// that digit's decimals: 0.005 → 2.
		d := int(math.Ceil(-math.Log10(2**tol) - 1e-9))
		return max(0, min(d, 4))
	}
	if v == math.Trunc(v) {
		return 0
	}
	return 2
}
