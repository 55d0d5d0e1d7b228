package analysis

import "agglo/internal/i18n"

// MeasureName is the user-visible name of a measure method (one of
// MeasureMethods); an unknown method is returned as it is.
func MeasureName(method string) i18n.Text {
	switch method {
	case "gini":
		return i18n.T("基尼系数", "Gini coefficient")
	case "cv":
		return i18n.T("变异系数", "coefficient of variation")
	case "williamson":
		return i18n.T("威廉姆森系数", "Williamson index")
	case "theil":
		return i18n.T("泰尔指数（T）", "Theil index (T)")
	case "theil-l":
		return i18n.T("泰尔指数（L，平均对数离差）", "Theil index (L, mean log deviation)")
	case "primacy":
		return i18n.T("首位度", "primacy")
	case "hhi":
		return i18n.T("赫芬达尔-赫希曼指数", "Herfindahl-Hirschman index")
	case "top-share":
		return i18n.T("头部份额", "top share")
	case "rank-size":
		return i18n.T("位序-规模法则", "rank-size rule")
	case "similarity":
		return i18n.T("结构相似系数", "structural similarity")
	case "krugman":
		return i18n.T("克鲁格曼专业化指数", "Krugman specialisation index")
	case "lq":
		return i18n.T("区位熵", "location quotient")
	case "gravity":
		return i18n.T("引力模型联系强度", "gravity linkage")
	case "coupling":
		return i18n.T("耦合协调度", "coupling coordination")
	case "dea":
		return i18n.T("数据包络分析（DEA）效率", "DEA efficiency")
	case "all":
		return i18n.T("综合概况", "profile")
	}
	return i18n.T(method, method)
}

// MeasureKeyName names a key of a measure result's Stats, Measures or
// Values maps (as MeasureResult prints them); an unknown key is returned
// as it is.
func MeasureKeyName(key string) i18n.Text {
	if n, ok := measureKeys[key]; ok {
		return n
	}
	if m := MeasureName(key); m.EN != key {
		return m
	}
	return i18n.T(key, key)
}

var measureKeys = map[string]i18n.Text{
	"normalized":         i18n.T("标准化值", "normalised"),
	"equivalent_number":  i18n.T("等效单元数", "equivalent number"),
	"top":                i18n.T("头部单元数", "top units"),
	"slope":              i18n.T("斜率", "slope"),
	"intercept":          i18n.T("截距", "intercept"),
	"r2":                 i18n.T("拟合优度 R²", "R²"),
	"q":                  i18n.T("齐夫指数 q", "Zipf exponent q"),
	"k":                  i18n.T("拟合单元数", "units fitted"),
	"s2":                 i18n.T("两城市指数 S2", "two-city index S2"),
	"s4":                 i18n.T("四城市指数 S4", "four-city index S4"),
	"s11":                i18n.T("十一城市指数 S11", "eleven-city index S11"),
	"top1_share":         i18n.T("首位份额", "top-1 share"),
	"top2_share":         i18n.T("前两位份额", "top-2 share"),
	"primacy_s2":         i18n.T("首位度 S2", "primacy S2"),
	"rank_size_slope":    i18n.T("位序-规模斜率", "rank-size slope"),
	"similarity_to_rest": i18n.T("与其余单元的相似系数", "similarity to the rest"),
	"krugman_to_rest":    i18n.T("与其余单元的克鲁格曼指数", "Krugman index to the rest"),
	"threshold":          i18n.T("网络阈值", "network threshold"),
	"edges":              i18n.T("连边数", "edges"),
	"density":            i18n.T("网络密度", "network density"),
	"undirected_density": i18n.T("无向网络密度", "undirected density"),
	"exponent":           i18n.T("距离衰减指数", "distance exponent"),
	"out":                i18n.T("对外联系", "outgoing linkage"),
	"in":                 i18n.T("对内联系", "incoming linkage"),
	"total":              i18n.T("联系总量", "total linkage"),
	"out_share":          i18n.T("对外联系份额", "outgoing share"),
	"out_degree":         i18n.T("出度", "out-degree"),
	"in_degree":          i18n.T("入度", "in-degree"),
	"out_degree_norm":    i18n.T("标准化出度", "normalised out-degree"),
	"c":                  i18n.T("耦合度 C", "coupling C"),
	"t":                  i18n.T("综合发展指数 T", "development T"),
	"d":                  i18n.T("耦合协调度 D", "coordination D"),
	"lq":                 i18n.T("区位熵", "location quotient"),
}
