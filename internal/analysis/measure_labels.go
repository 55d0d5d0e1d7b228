package analysis

import "agglo/internal/i18n"

// MeasureName is the user-visible name of a measure method (one of
// MeasureMethods); an unknown method is returned as it is.
func MeasureName(method string) i18n.Text {
	if n, ok := methodNames[method]; ok {
		return i18n.T(n[0], n[1])
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

// MeasureFormula states a method's formula in words and notation for a
// reader (subscripts as Unicode, no code); the result's Formula keeps the
// reference text. Methods without one give an empty text.
func MeasureFormula(method string) i18n.Text {
	switch method {
	case "gini":
		return i18n.T("基尼系数 G = ΣᵢΣⱼ pᵢpⱼ|yᵢ − yⱼ| / (2μ)，pᵢ 为权重（不加权时 1/n），μ 为均值；0 表示完全均等，1 表示全部集中于一个单元。",
			"Gini G = ΣᵢΣⱼ pᵢpⱼ|yᵢ − yⱼ| / (2μ), pᵢ the weights (1/n unweighted), μ the mean; 0 is equality, 1 all in one unit.")
	case "cv":
		return i18n.T("变异系数 CV = σ / μ（总体标准差除以均值）。", "Coefficient of variation CV = σ / μ (population standard deviation over the mean).")
	case "williamson":
		return i18n.T("威廉姆森系数 Vw = √(Σ pᵢ(yᵢ − μ)²) / μ，pᵢ 为人口份额（Williamson 1965）。", "Williamson Vw = √(Σ pᵢ(yᵢ − μ)²) / μ with population shares pᵢ (Williamson 1965).")
	case "theil":
		return i18n.T("泰尔指数 T = Σ pᵢ (yᵢ/μ) ln(yᵢ/μ)；分组时 T = 组间 + 组内，组内部分为各组泰尔指数按其份额加权之和，贡献率为各部分占总值的比例。",
			"Theil T = Σ pᵢ (yᵢ/μ) ln(yᵢ/μ); with groups T = between + within, the within part being the groups' indices weighted by their shares; a share is a part's proportion of the total.")
	case "theil-l":
		return i18n.T("泰尔指数 L（平均对数离差）L = Σ pᵢ ln(μ/yᵢ)，可分解为组间与组内。", "Theil L (mean log deviation) L = Σ pᵢ ln(μ/yᵢ), decomposed into between and within groups.")
	case "primacy":
		return i18n.T("首位度 S2 = P₁/P₂，S4 = P₁/(P₂+P₃+P₄)，S11 = 2P₁/(P₂+…+P₁₁)，Pₖ 为第 k 大单元的规模。",
			"Primacy S2 = P₁/P₂, S4 = P₁/(P₂+P₃+P₄), S11 = 2P₁/(P₂+…+P₁₁), Pₖ the k-th largest unit.")
	case "top-share":
		return i18n.T("头部份额 = 最大的 k 个单元之和 / 总量。", "Top share = sum of the k largest units / total.")
	case "hhi":
		return i18n.T("赫芬达尔-赫希曼指数 H = Σ sᵢ²，sᵢ 为份额；1/H 为等效单元数。", "Herfindahl-Hirschman H = Σ sᵢ², sᵢ the shares; 1/H is the equivalent number of units.")
	case "rank-size":
		return i18n.T("位序-规模回归 ln Pᵣ = a + b ln r（前 k 个单元，最小二乘）；齐夫指数 q = −b，q = 1 为齐夫法则。",
			"Rank-size fit ln Pᵣ = a + b ln r (top k units, least squares); Zipf exponent q = −b, q = 1 being Zipf's law.")
	case "dea":
		return i18n.T("数据包络分析：对每个地区求 min θ，使 Σλⱼxⱼ ≤ θx₀、Σλⱼyⱼ ≥ y₀、λ ≥ 0（可变规模报酬另加 Σλ = 1）；θ = 1 为有效，规模效率 = 不变规模效率 / 可变规模效率（Charnes、Cooper、Rhodes 1978；Banker 等 1984）。",
			"Data envelopment analysis: for each region min θ such that Σλⱼxⱼ ≤ θx₀, Σλⱼyⱼ ≥ y₀, λ ≥ 0 (plus Σλ = 1 for variable returns); θ = 1 is efficient; scale efficiency = CRS / VRS efficiency (Charnes, Cooper and Rhodes 1978; Banker et al. 1984).")
	}
	return i18n.T("", "")
}
