package diagnose

import "agglo/internal/i18n"

// Problem ids. The first nine are the issues the paper names in its
// abstract and section III; the last two are PRD's (IV.2).
const (
	ProblemSiphon                   = "siphon"
	ProblemImbalance                = "imbalance"
	ProblemWeakCore                 = "weak_core"
	ProblemHomogeneity              = "homogeneity"
	ProblemExternalDependence       = "external_dependence"
	ProblemLowKnowledgeFlow         = "low_knowledge_flow"
	ProblemWeakEnterpriseInnovation = "weak_enterprise_innovation"
	ProblemRDConversionLow          = "rd_conversion_low"
	ProblemCentralCollapse          = "central_collapse"
	ProblemLackOfMomentum           = "lack_of_momentum"
	ProblemWeakInternational        = "weak_international_influence"
)

// ProblemInfo names a problem and says which data would assess it.
type ProblemInfo struct {
	ID   string    `json:"id"`
	Name i18n.Text `json:"name"`
	// Needs names the data that assess the problem.
	Needs i18n.Text `json:"needs"`
}

// Problems returns the problem catalogue in a stable order.
func Problems() []ProblemInfo {
	return []ProblemInfo{
		{ProblemSiphon, i18n.T("中心城市虹吸效应", "siphon effect of the core"),
			i18n.T("成员城市两个以上年份的规模（人口、GDP 等）与指定的核心城市", "the member cities' size (population, GDP …) in two or more years and the designated cores")},
		{ProblemImbalance, i18n.T("区域发展非均衡程度较高", "high imbalance among members"),
			i18n.T("至少 3 个成员的发展水平指标", "the development level of at least three members")},
		{ProblemWeakCore, i18n.T("核心城市引领性不足", "weak core"),
			i18n.T("核心城市与全国城市的规模数据", "the size of the cores and of the nation's cities")},
		{ProblemHomogeneity, i18n.T("区域产业同质", "industrial homogeneity"),
			i18n.T("成员城市的第一、二、三产业占比", "the member cities' primary, secondary and tertiary sector shares")},
		{ProblemExternalDependence, i18n.T("对外依赖、抗风险能力较低", "external dependence and low risk resistance"),
			i18n.T("外资研发经费、技术市场吸纳与输出、外贸依存度或知识获取与知识创造指标", "foreign R&D funds, technology bought and sold, trade dependence, or knowledge acquisition and creation")},
		{ProblemLowKnowledgeFlow, i18n.T("知识流动程度较低", "low knowledge flow"),
			i18n.T("成员的知识获取指标，或成员城市的人口、创新规模与坐标", "the members' knowledge acquisition, or the member cities' population, innovation mass and coordinates")},
		{ProblemWeakEnterpriseInnovation, i18n.T("企业创新实践能力较差", "weak enterprise innovation"),
			i18n.T("成员的企业创新指标", "the members' enterprise innovation")},
		{ProblemRDConversionLow, i18n.T("R&D 投入未有效转化为产出", "R&D input not turning into output"),
			i18n.T("表 2 的单位 R&D 投资产出专利数、单个 R&D 项目从业人数", "Table 2's patents per R&D expenditure and R&D personnel per project")},
		{ProblemCentralCollapse, i18n.T("“中部塌陷”", "central collapse below the cores"),
			i18n.T("成员城市的规模（人口、GDP 等）与指定的核心城市", "the member cities' size (population, GDP …) and the designated cores")},
		{ProblemLackOfMomentum, i18n.T("发展后动力不足", "lack of momentum"),
			i18n.T("成员多年创新能力的增长序列", "the members' capacity growth over several years")},
		{ProblemWeakInternational, i18n.T("国际影响力较弱", "weak international influence"),
			i18n.T("国际合作与影响力指标（国际合作论文、国际专利申请、外资研发中心等）", "international indicators (international co-publications, PCT patents, foreign R&D centres)")},
	}
}

// ProblemIDs returns the ids of Problems.
func ProblemIDs() []string {
	ps := Problems()
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.ID
	}
	return out
}

func problemInfo(id string) (ProblemInfo, bool) {
	for _, p := range Problems() {
		if p.ID == id {
			return p, true
		}
	}
	return ProblemInfo{}, false
}
