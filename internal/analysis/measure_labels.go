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
	// Spatial statistics, decompositions and the Atkinson index.
	"var_norm":             i18n.T("方差（正态假设）", "variance (normality)"),
	"var_rand":             i18n.T("方差（随机化假设）", "variance (randomisation)"),
	"z_rand":               i18n.T("z 值（随机化假设）", "z (randomisation)"),
	"p_rand":               i18n.T("p 值（随机化假设）", "p (randomisation)"),
	"sim_mean":             i18n.T("置换分布均值", "mean of the permutations"),
	"sim_sd":               i18n.T("置换分布标准差", "standard deviation of the permutations"),
	"z_sim":                i18n.T("z 值（置换分布）", "z (permutations)"),
	"star":                 i18n.T("含自身（Gi*）", "self included (Gi*)"),
	"within_share":         i18n.T("组内贡献率", "within share"),
	"between_share":        i18n.T("组间净贡献率", "net between share"),
	"transvariation_share": i18n.T("超变密度贡献率", "transvariation share"),
	"epsilon":              i18n.T("不平等厌恶系数 ε", "inequality aversion ε"),
	"mean":                 i18n.T("均值", "mean"),
	"population_share":     i18n.T("人口份额", "population share"),
	"income_share":         i18n.T("总量份额", "share of the total"),
	// Networks.
	"communities":          i18n.T("社区数", "communities"),
	"modularity":           i18n.T("模块度 Q", "modularity Q"),
	"group_modularity":     i18n.T("按分组计算的模块度", "modularity of the grouping"),
	"resolution":           i18n.T("模块度分辨率", "modularity resolution"),
	"units_compared":       i18n.T("参与比较的单元数", "units compared"),
	"nmi":                  i18n.T("标准化互信息（与分组）", "normalised mutual information (with the grouping)"),
	"ari":                  i18n.T("调整兰德指数（与分组）", "adjusted Rand index (with the grouping)"),
	"degree":               i18n.T("度", "degree"),
	"strength":             i18n.T("强度", "strength"),
	"strength_share":       i18n.T("联系强度占比（%）", "share of total strength (%)"),
	"isolated":             i18n.T("孤立单元（没有连边）", "isolated units (no edge)"),
	"in_strength":          i18n.T("入强度", "in-strength"),
	"out_strength":         i18n.T("出强度", "out-strength"),
	"betweenness":          i18n.T("介数中心性", "betweenness"),
	"weighted_betweenness": i18n.T("加权介数中心性", "weighted betweenness"),
	"closeness":            i18n.T("接近中心性", "closeness"),
	"weighted_closeness":   i18n.T("加权接近中心性", "weighted closeness"),
	"eigenvector":          i18n.T("特征向量中心性", "eigenvector centrality"),
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
	case "atkinson":
		return i18n.T("阿特金森指数 A(ε) = 1 − (Σ pᵢ yᵢ^(1−ε))^(1/(1−ε)) / μ，ε = 1 时 A = 1 − exp(Σ pᵢ ln yᵢ) / μ；ε 越大越重视低值地区（Atkinson 1970）。",
			"Atkinson A(ε) = 1 − (Σ pᵢ yᵢ^(1−ε))^(1/(1−ε)) / μ, with A = 1 − exp(Σ pᵢ ln yᵢ) / μ at ε = 1; a larger ε weighs the low values more (Atkinson 1970).")
	case "moran":
		return i18n.T("全局莫兰指数 I = (n/S₀) ΣᵢΣⱼ wᵢⱼ zᵢ zⱼ / Σ zᵢ²，zᵢ 为离均差，wᵢⱼ 为空间权重，S₀ 为权重之和；期望值 −1/(n−1)，高于期望值为正空间自相关。p 值取正态近似（双侧）与置换检验。",
			"Global Moran's I = (n/S₀) ΣᵢΣⱼ wᵢⱼ zᵢ zⱼ / Σ zᵢ², zᵢ the deviations from the mean, wᵢⱼ the spatial weights, S₀ their sum; expectation −1/(n−1), above it positive spatial autocorrelation. p-values under normality (two-sided) and by permutation.")
	case "geary":
		return i18n.T("吉尔里指数 C = (n−1) ΣᵢΣⱼ wᵢⱼ (yᵢ − yⱼ)² / (2S₀ Σ zᵢ²)；期望值 1，小于 1 为正空间自相关，大于 1 为负空间自相关。",
			"Geary's C = (n−1) ΣᵢΣⱼ wᵢⱼ (yᵢ − yⱼ)² / (2S₀ Σ zᵢ²); expectation 1, below 1 positive and above 1 negative spatial autocorrelation.")
	case "lisa":
		return i18n.T("局部莫兰指数 Iᵢ = (n−1) zᵢ Σⱼ wᵢⱼ zⱼ / Σ zₖ²；按 zᵢ 与邻居均值的符号分为高-高、低-低、低-高、高-低，条件置换的伪 p 值不超过 0.05 为显著集聚（Anselin 1995）。",
			"Local Moran Iᵢ = (n−1) zᵢ Σⱼ wᵢⱼ zⱼ / Σ zₖ²; the signs of zᵢ and of its neighbours' mean give high-high, low-low, low-high and high-low; a conditional-permutation pseudo p-value up to 0.05 is a significant cluster (Anselin 1995).")
	case "getis-ord":
		return i18n.T("局部 Gi = Σⱼ wᵢⱼ yⱼ / Σⱼ yⱼ（Gi* 含地区自身）；z 值不低于 1.96 为热点，不高于 −1.96 为冷点（Getis 与 Ord 1992；Ord 与 Getis 1995）。",
			"Local Gi = Σⱼ wᵢⱼ yⱼ / Σⱼ yⱼ (Gi* includes the region itself); a z-value of at least 1.96 is a hot spot, at most −1.96 a cold spot (Getis and Ord 1992; Ord and Getis 1995).")
	case "convergence":
		return i18n.T("σ 收敛：各年对数值的标准差 σ 随时间下降；β 收敛：(ln xₜ − ln x₀)/T = a + β ln x₀ 的最小二乘回归，β 显著为负即收敛，收敛速度 λ = −ln(1 + βT)/T，半衰期 ln 2/λ；按城市群分组估计即俱乐部收敛。",
			"σ-convergence: the standard deviation σ of the logarithms falls over the years; β-convergence: least squares of (ln xₜ − ln x₀)/T = a + β ln x₀, a significantly negative β being convergence, at the rate λ = −ln(1 + βT)/T with half-life ln 2/λ; by agglomeration, club convergence.")
	case "dagum":
		return i18n.T("达格姆基尼系数分解：G = 组内差异 Gw + 组间净差异 Gnb + 超变密度 Gt；超变密度是不同组成员之间交叠造成的差异（Dagum 1997）。",
			"Dagum Gini decomposition: G = within Gw + net between Gnb + transvariation Gt, the last being the gap from members of different groups overlapping (Dagum 1997).")
	case "gini-sources":
		return i18n.T("基尼系数来源分解：G = Σₖ Sₖ Gₖ Rₖ，Sₖ 为来源份额，Gₖ 为来源的基尼系数，Rₖ 为基尼相关系数；来源对不平等的贡献率为 Sₖ Gₖ Rₖ / G（Lerman 与 Yitzhaki 1985）。",
			"Gini decomposition by source: G = Σₖ Sₖ Gₖ Rₖ, Sₖ the source's share, Gₖ its Gini, Rₖ the Gini correlation; its contribution is Sₖ Gₖ Rₖ / G (Lerman and Yitzhaki 1985).")
	case "kernel":
		return i18n.T("核密度估计 f(x) = (1/nh) Σ φ((x − xᵢ)/h)，高斯核，带宽 h 按 Silverman 经验法则；各年曲线画在同一网格上，主峰移动与峰数变化反映分布的演变。",
			"Kernel density f(x) = (1/nh) Σ φ((x − xᵢ)/h), Gaussian kernel, bandwidth h by Silverman's rule of thumb; the years share one grid, and the moves of the main peak and the number of peaks show how the distribution evolves.")
	case "network":
		return i18n.T("网络分析：联系矩阵中不低于阈值的元素为边（引力联系矩阵默认以平均值为阈值）；度为相连单元数，强度为边权之和，介数为经过该单元的最短路径数，接近中心性为 (r − 1)/(n − 1) × (r − 1)/Σ d（r 为可到达的单元数），特征向量中心性为权重矩阵的主特征向量（最大者为 1）；密度为实际边数占可能边数的比例；社区用卢万算法使模块度 Q 最大，并以标准化互信息与调整兰德指数与分组比较。",
			"Network analysis: an entry of the linkage matrix at least the threshold is an edge (the mean by default for the gravity matrix); degree counts the linked units, strength sums the edge weights, betweenness counts the shortest paths through the unit, closeness is (r − 1)/(n − 1) × (r − 1)/Σ d (r the units reachable), eigenvector centrality is the leading eigenvector of the weights (largest 1); density is the share of possible edges present; Louvain communities maximise modularity Q and are compared with the grouping by normalised mutual information and the adjusted Rand index.")
	case "obstacle":
		return i18n.T("障碍度模型：偏离度 Iᵢⱼ = 1 − xᵢⱼ（xᵢⱼ 为综合指数中标准化到 [0, 1] 的值），障碍度 Oᵢⱼ = wⱼ Iᵢⱼ / Σⱼ wⱼ Iᵢⱼ × 100%，wⱼ 为指标在指数中的权重。",
			"Obstacle degree model: deviation Iᵢⱼ = 1 − xᵢⱼ (xᵢⱼ the index's value normalised to [0, 1]), obstacle degree Oᵢⱼ = wⱼ Iᵢⱼ / Σⱼ wⱼ Iᵢⱼ × 100%, wⱼ the indicator's weight in the index.")
	}
	return i18n.T("", "")
}
