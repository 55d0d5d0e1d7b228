package replicate

import (
	"fmt"
	"math"

	"agglo/internal/dataset"
)

// claims lists the paper's statements of order and size that carry numbers.
func claims(ds *dataset.Dataset, name func(string) (string, string), fig1 dataset.Check, hasFig1 bool) []Claim {
	codes := dataset.AgglomerationCodes()
	pos := map[string]int{}
	for i, c := range codes {
		pos[c] = i
	}
	column := func(ind string) []float64 {
		out := make([]float64, len(codes))
		for i, c := range codes {
			v, ok := ds.Value(c, ind, year)
			if c == "YRD" && ind == "gdp" && hasFig1 {
				v = fig1.Derived // the derived value, comparable with the others
			}
			if !ok {
				v = math.NaN()
			}
			out[i] = v
		}
		return out
	}
	var out []Claim
	rankClaim := func(id, zh, en, source, ind, code string, want int, fromBottom bool, formula string) {
		x := column(ind)
		r := rankDesc(x)
		unit := "rank"
		if fromBottom {
			r = rankAsc(x)
			unit = "rank from bottom"
		}
		c := Claim{ID: id, Group: "claims", ClaimZH: zh, ClaimEN: en, Published: ptr(float64(want)), Unit: unit, Tolerance: ptr(0), Source: source, Formula: formula}
		if got := r[pos[code]]; got > 0 {
			c.Computed = ptr(float64(got))
			c.Status = closeTo(float64(want), float64(got), 0)
		} else {
			c.Status, c.ReasonZH, c.ReasonEN = NotCheckable, "缺少数据", "data missing"
		}
		// Report ties, which the paper does not mention.
		for i, v := range x {
			if i != pos[code] && v == x[pos[code]] {
				zhO, enO := name(codes[i])
				c.ReasonZH += fmt.Sprintf("与%s并列（%g）", zhO, v)
				c.ReasonEN += fmt.Sprintf("tied with %s (%g)", enO, v)
			}
		}
		out = append(out, c)
	}
	rankClaim("claim.prd_highest_density", "珠三角城市群人口密度最大", "PRD has the highest population density", "paper II.1, Table 1", "population_density", "PRD", 1, false, "rank of Table 1 densities")
	rankClaim("claim.prd_highest_gdp_per_capita", "珠三角城市群人均GDP最高", "PRD has the highest GDP per capita", "paper II.1, Table 1", "gdp_per_capita", "PRD", 1, false, "rank of Table 1 GDP per capita")
	rankClaim("claim.yrd_largest_gdp", "长三角城市群年度GDP总量最高", "YRD has the largest GDP", "paper II.1", "gdp", "YRD", 1, false, "rank of Figure 1 GDP (derived)")
	rankClaim("claim.yrd_largest_population", "长三角城市群常住人口最多", "YRD has the largest resident population", "paper II.1", "population", "YRD", 1, false, "rank of Figure 1 population (derived)")
	rankClaim("claim.myr_largest_area", "长江中游城市群占地面积最大", "MYR has the largest area", "paper II.1", "area", "MYR", 1, false, "rank of Figure 1 area (derived)")
	rankClaim("claim.myr_last_personnel_per_project", "长江中游城市群单个R&D项目从业人数处于五大城市群末位", "MYR is last on R&D personnel per project", "paper II.3, Table 2", "rd_personnel_per_project", "MYR", 1, true, "rank from the bottom of Table 2 values, ties share the lowest rank")
	rankClaim("claim.myr_last_patents_per_rd", "长江中游城市群单位R&D投资产出专利数处于五大城市群末位", "MYR is last on patents per unit of R&D expenditure", "paper II.3, Table 2", "patents_per_rd_expenditure", "MYR", 1, true, "rank from the bottom of Table 2 values, ties share the lowest rank")
	rankClaim("claim.prd_first_patents_per_rd", "珠三角城市群单位R&D投资产出专利数最高", "PRD has the most patents per unit of R&D expenditure", "paper Table 2", "patents_per_rd_expenditure", "PRD", 1, false, "rank of Table 2 values")

	out = append(out, shanghaiClaim(ds, pos))
	// "Low" claims of section III, each read two ways for every
	// agglomeration alike: 4th or 5th of the five, and below the
	// agglomeration's own profile.
	for _, c := range []struct{ id, zh, en, source, dim, code string }{
		{"claim.cc_low_knowledge_acquisition", "成渝城市群整体的知识获取指标较低", "CC's knowledge acquisition is low", "paper III.1, Table 3", "knowledge_acquisition", "CC"},
		{"claim.cc_low_enterprise_innovation", "成渝城市群整体的企业创新指标较低", "CC's enterprise innovation is low", "paper III.1, Table 3", "enterprise_innovation", "CC"},
		{"claim.bth_low_knowledge_acquisition", "京津冀区域整体的知识获取指标较低", "BTH's knowledge acquisition is low", "paper III.4, Table 3", "knowledge_acquisition", "BTH"},
		{"claim.bth_low_enterprise_innovation", "京津冀区域整体的企业创新指标较低", "BTH's enterprise innovation is low", "paper III.4, Table 3", "enterprise_innovation", "BTH"},
	} {
		out = append(out, lowClaim(ds, pos, c.id, c.zh, c.en, c.source, c.dim, c.code))
	}
	out = append(out, densityGDPClaim(ds, fig1, hasFig1))
	out = append(out, table2Magnitudes(ds)...)
	out = append(out, rdPersonnelClaim(ds, pos))

	published := []struct{ id, zh, en, source string }{
		{"claim.bth_highest_tertiary_share", "京津冀第三产业占比位居五大城市群首位，达到52.03%", "BTH has the highest tertiary share of the five, 52.03%", "paper II.2, Figure 2"},
		{"claim.bth_first_rd_institutions_personnel", "京津冀城市群R&D机构和从业人员数量位居五大城市群首位", "BTH is first on R&D institutions and personnel", "paper II.3, Figure 3"},
		{"claim.yrd_first_rd_projects_expenditure", "长三角城市群R&D项目和经费投入位居五大城市群首位", "YRD is first on R&D projects and expenditure", "paper II.3, Figure 3"},
		{"claim.yrd_first_patents", "长三角城市群专利申请、专利授权和发明授权均位居第1位", "YRD is first on patent applications, grants and invention grants", "paper II.3, Figure 4"},
		{"claim.prd_second_innovation_output", "珠三角城市群创新成果产出处于第2位，超过京津冀", "PRD is second on innovation output, ahead of BTH", "paper II.3, Figure 4"},
		{"claim.prd_first_grant_ratio", "珠三角城市群专利申请授权比例位居五大城市群第1位", "PRD is first on the patent grant-to-application ratio", "paper II.3, Figure 4"},
		{"claim.prd_below_average_rd", "珠三角城市群R&D产业发展指标低于五大城市群平均水平", "PRD's R&D indicators are below the five-agglomeration average", "paper II.3, Figure 3"},
	}
	for _, p := range published {
		out = append(out, Claim{ID: p.id, Group: "claims", ClaimZH: p.zh, ClaimEN: p.en, Unit: "", Source: p.source, Status: PublishedOnly,
			ReasonZH: "图2-4未以数字印出，无法重算", ReasonEN: "Figures 2-4 are not printed as numbers, so this cannot be recomputed"})
	}
	if v, ok := ds.Value("BTH", "tertiary_share", year); ok {
		out[len(out)-len(published)].Published = ptr(v)
		out[len(out)-len(published)].Unit = "%"
	}
	uni := Claim{ID: "claim.myr_universities", Group: "claims", ClaimZH: "长江中游城市群内拥有高校、职业学校1175所", ClaimEN: "MYR has 1,175 universities and vocational schools",
		Unit: "所", Source: "paper IV.4 (China City Statistical Yearbook 2020)", Status: PublishedOnly,
		ReasonZH: "需城市统计年鉴的城市数据", ReasonEN: "needs the city yearbook's city data"}
	if v, ok := ds.Value("MYR", "universities", year); ok {
		uni.Published = ptr(v)
	}
	out = append(out, uni)
	out = append(out, Claim{ID: "claim.imf_2020_outlook", Group: "claims", ClaimZH: "IMF预测2020年全球经济收缩4.9%，发达经济体收缩8%", ClaimEN: "The IMF expected the world economy to shrink 4.9% in 2020 and advanced economies 8%",
		Published: ptr(-4.9), Unit: "%", Source: "paper I (IMF, 2020-07)", Status: NotCheckable,
		ReasonZH: "外部预测，与城市群数据无关", ReasonEN: "an external forecast, outside the agglomeration data"})
	return out
}

// rankAt is the descending rank of x[at], or 0 when at is out of range or
// the value is missing.
func rankAt(x []float64, at int) int {
	if at < 0 || at >= len(x) {
		return 0
	}
	return rankDesc(x)[at]
}
