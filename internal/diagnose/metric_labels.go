package diagnose

import (
	"strings"

	"agglo/internal/i18n"
)

// MetricName is the user-visible name of an evidence metric (Evidence.
// Metric); an unknown metric is returned as it is.
func MetricName(metric string) i18n.Text {
	if t, ok := metricNames[metric]; ok {
		return t
	}
	if st, ok := strings.CutPrefix(metric, "development_index_"); ok && ValidStage(st) {
		n := StageName(st)
		return i18n.T("发展指数（"+n.ZH+"门槛）", "development index ("+n.EN+" cut-off)")
	}
	return i18n.T(metric, metric)
}

var metricNames = map[string]i18n.Text{
	"between_cores_capacity_ratio":           i18n.T("两核之间城市与两核的能力之比", "capacity between the cores relative to the cores"),
	"core_share_change":                      i18n.T("核心份额变化", "change in the core's share"),
	"cv":                                     i18n.T("成员能力的变异系数", "coefficient of variation of the members"),
	"core_share":                             i18n.T("核心份额", "the cores' share"),
	"development_index":                      i18n.T("发展指数", "development index"),
	"dual_core_ratio":                        i18n.T("第二与第三成员之比（双核）", "second to third member (dual core)"),
	"enterprise_innovation_z":                i18n.T("企业创新标准分", "enterprise innovation z-score"),
	"knowledge_acquisition_minus_creation_z": i18n.T("知识获取减知识创造（标准分）", "knowledge acquisition minus creation (z)"),
	"knowledge_acquisition_z":                i18n.T("知识获取标准分", "knowledge acquisition z-score"),
	"linkage_network_density":                i18n.T("引力联系网络密度", "linkage network density"),
	"max_member_capacity_z":                  i18n.T("最强成员能力标准分", "strongest member's capacity z-score"),
	"mean_capacity_ratio":                    i18n.T("成员平均能力与比较集之比", "members' mean capacity relative to the comparison set"),
	"mean_structure_similarity":              i18n.T("平均产业结构相似系数", "mean structural similarity"),
	"openness_score":                         i18n.T("开放度得分", "openness score"),
	"primacy_s2":                             i18n.T("首位度 S2", "primacy S2"),
	"rank_size_q":                            i18n.T("位序-规模指数 q", "rank-size exponent q"),
	"relative_growth_core_periphery":         i18n.T("核心与外围的相对增速", "growth of the core relative to the periphery"),
	"patents_per_rd_expenditure_z":           i18n.T("单位研发经费专利数标准分", "patents per unit of R&D expenditure (z)"),
	"rd_personnel_per_project_z":             i18n.T("单个研发项目人员数标准分", "R&D personnel per project (z)"),
}
