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
			i18n.T("成员至少两个年份的创新能力（或 GDP、R&D 经费）", "the members' capacity (or GDP, R&D expenditure) in at least two years")},
		{ProblemImbalance, i18n.T("区域发展非均衡程度较高", "high imbalance among members"),
			i18n.T("至少 3 个成员的创新能力", "the capacity of at least three members")},
		{ProblemWeakCore, i18n.T("核心城市引领性不足", "weak core"),
			i18n.T("成员的创新能力及比较集", "the members' capacity and a comparison set")},
		{ProblemHomogeneity, i18n.T("区域产业同质", "industrial homogeneity"),
			i18n.T("成员城市的第一、二、三产业占比", "the member cities' primary, secondary and tertiary sector shares")},
		{ProblemExternalDependence, i18n.T("对外依赖、抗风险能力较低", "external dependence and low risk resistance"),
			i18n.T("知识获取与知识创造指标，或外资 R&D、技术引进、外贸依存度", "knowledge acquisition and creation, or foreign-funded R&D, technology imports, trade dependence")},
		{ProblemLowKnowledgeFlow, i18n.T("知识流动程度较低", "low knowledge flow"),
			i18n.T("成员的知识获取指标", "the members' knowledge acquisition")},
		{ProblemWeakEnterpriseInnovation, i18n.T("企业创新实践能力较差", "weak enterprise innovation"),
			i18n.T("成员的企业创新指标", "the members' enterprise innovation")},
		{ProblemRDConversionLow, i18n.T("R&D 投入未有效转化为产出", "R&D input not turning into output"),
			i18n.T("表 2 的单位 R&D 投资产出专利数、单个 R&D 项目从业人数", "Table 2's patents per R&D expenditure and R&D personnel per project")},
		{ProblemCentralCollapse, i18n.T("“中部塌陷”", "central collapse between two cores"),
			i18n.T("成员城市的创新能力（GDP、R&D 经费或专利）与坐标", "the member cities' capacity (GDP, R&D expenditure or patents) and coordinates")},
		{ProblemLackOfMomentum, i18n.T("发展后动力不足", "lack of momentum"),
			i18n.T("成员多年创新能力的增长序列", "the members' capacity growth over several years")},
		{ProblemWeakInternational, i18n.T("国际影响力较弱", "weak international influence"),
			i18n.T("国际合作与影响力指标（国际合作论文、PCT 专利、外资研发中心等）", "international indicators (international co-publications, PCT patents, foreign R&D centres)")},
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
