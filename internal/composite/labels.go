package composite

import (
	"strconv"
	"strings"

	"agglo/internal/i18n"
)

// StepName is the user-visible name of a build step (denomination,
// screening, imputation, treatment, normalisation, weights, aggregation).
func StepName(step string) i18n.Text {
	switch step {
	case "denomination":
		return i18n.T("分母折算", "denomination")
	case "screening":
		return i18n.T("单元筛选", "unit screening")
	case "imputation":
		return i18n.T("缺失值插补", "imputation")
	case "treatment":
		return i18n.T("异常值处理", "outlier treatment")
	case "normalisation":
		return i18n.T("标准化", "normalisation")
	case "weights":
		return i18n.T("权重", "weights")
	case "aggregation":
		return i18n.T("聚合", "aggregation")
	}
	return i18n.T(step, step)
}

var methodNames = map[string]i18n.Text{
	"none":                i18n.T("不处理", "none"),
	"divide":              i18n.T("除以分母", "divided by the denominator"),
	ScreenByNA:            i18n.T("按数据可得率", "by data availability"),
	ScreenByZeros:         i18n.T("按非零值比例", "by share of non-zero values"),
	ScreenByNAAndZeros:    i18n.T("按数据可得率或非零值比例", "by data availability or non-zero share"),
	ImputeMean:            i18n.T("均值插补", "mean"),
	ImputeMedian:          i18n.T("中位数插补", "median"),
	ImputeGroupMean:       i18n.T("组内均值插补", "group mean"),
	ImputeGroupMedian:     i18n.T("组内中位数插补", "group median"),
	TreatWinsorise:        i18n.T("缩尾（COINr 规则）", "winsorisation (COINr rule)"),
	TreatPercentile:       i18n.T("百分位缩尾", "percentile clamp"),
	NormMinMax:            i18n.T("最小-最大", "min-max"),
	NormZScore:            i18n.T("z 分数", "z-score"),
	NormRank:              i18n.T("排序", "rank"),
	NormPRank:             i18n.T("百分位排序", "percentile rank"),
	NormDist2Max:          i18n.T("距最大值", "distance to maximum"),
	NormDist2Ref:          i18n.T("距参照单元", "distance to a reference"),
	NormGoalposts:         i18n.T("目标值区间", "goalposts"),
	NormFracMax:           i18n.T("最大值占比", "fraction of maximum"),
	WeightsFramework:      i18n.T("框架权重", "framework weights"),
	WeightsEqual:          i18n.T("等权", "equal"),
	WeightsEntropy:        i18n.T("熵权法", "entropy"),
	WeightsCRITIC:         i18n.T("CRITIC 法", "CRITIC"),
	WeightsCV:             i18n.T("变异系数法", "coefficient of variation"),
	WeightsPCA:            i18n.T("主成分分析法", "PCA"),
	WeightsCombined:       i18n.T("主客观组合", "combined"),
	AggArithmetic:         i18n.T("算术平均", "arithmetic mean"),
	AggGeometric:          i18n.T("几何平均", "geometric mean"),
	AggHarmonic:           i18n.T("调和平均", "harmonic mean"),
	AggGeneralised:        i18n.T("广义平均", "generalised mean"),
	AggTOPSIS:             i18n.T("TOPSIS 贴近度", "TOPSIS closeness"),
	AggGRA:                i18n.T("灰色关联度", "grey relational grade"),
	EntropyStrict:         i18n.T("严格", "strict"),
	EntropyShift:          i18n.T("平移", "shifted"),
	EntropyEpsilon:        i18n.T("缩放", "rescaled"),
	EntropyRaw:            i18n.T("原始值", "raw"),
	CombineLinear:         i18n.T("线性组合", "linear"),
	CombineMultiplicative: i18n.T("乘法组合", "multiplicative"),
	"log_ct":              i18n.T("对数变换", "log transform"),
}

// MethodName is the user-visible name of a method of any step; an unknown
// method is returned as it is.
func MethodName(method string) i18n.Text {
	if t, ok := methodNames[method]; ok {
		return t
	}
	return i18n.T(method, method)
}

// DescribeStep says in words how a step's method was set (the params of a
// StepRecord): "下限 1、上限 100", "entropy variant strict". It is empty
// when the method has no settings.
func DescribeStep(params any) i18n.Text {
	var zh, en []string
	add := func(z, e string) { zh, en = append(zh, z), append(en, e) }
	f := func(v float64) string { return strconv.FormatFloat(v, 'g', 6, 64) }
	switch p := params.(type) {
	case Screening:
		if p.Method == ScreenByNA || p.Method == ScreenByNAAndZeros {
			add("数据可得率下限 "+f(p.DatThresh), "data availability at least "+f(p.DatThresh))
		}
		if p.Method == ScreenByZeros || p.Method == ScreenByNAAndZeros {
			add("非零值比例下限 "+f(p.NonzeroThresh), "non-zero share at least "+f(p.NonzeroThresh))
		}
	case Imputation:
		if p.Group != "" {
			add("分组 "+p.Group, "group "+p.Group)
		}
	case Treatment:
		switch p.Method {
		case TreatWinsorise:
			add("最多缩尾 "+strconv.Itoa(p.WinMax)+" 个点", "at most "+strconv.Itoa(p.WinMax)+" points")
			add("偏度阈值 "+f(p.SkewThresh), "skewness threshold "+f(p.SkewThresh))
			add("峰度阈值 "+f(p.KurtThresh), "kurtosis threshold "+f(p.KurtThresh))
			if p.Fallback != "" {
				fb := MethodName(p.Fallback)
				add("仍不满足时："+fb.ZH, "otherwise: "+fb.EN)
			}
		case TreatPercentile:
			add("分位 "+f(p.Lower)+"–"+f(p.Upper), "quantiles "+f(p.Lower)+"-"+f(p.Upper))
		}
	case Normalisation:
		switch p.Method {
		case NormMinMax:
			add("区间 ["+f(p.Lower)+", "+f(p.Upper)+"]", "range ["+f(p.Lower)+", "+f(p.Upper)+"]")
		case NormZScore:
			add("均值 "+f(p.Mean)+"、标准差 "+f(p.SD), "mean "+f(p.Mean)+", sd "+f(p.SD))
		case NormDist2Ref:
			add("参照 "+p.Reference, "reference "+p.Reference)
		case NormGoalposts:
			add("倍数 "+f(p.Scale), "scale "+f(p.Scale))
		}
	case WeightSpec:
		if p.Entropy != "" && (p.Method == WeightsEntropy || p.Objective == WeightsEntropy) {
			e := MethodName(p.Entropy)
			add("熵权变体："+e.ZH, "entropy variant: "+e.EN)
		}
		if p.Method == WeightsCombined {
			o, c := MethodName(p.Objective), MethodName(p.Combine)
			add("客观方法："+o.ZH+"，"+c.ZH+"，主观份额 "+f(p.Alpha), "objective: "+o.EN+", "+c.EN+", subjective share "+f(p.Alpha))
		}
	case Aggregation:
		switch p.Method {
		case AggGeneralised:
			add("幂 "+f(p.P), "power "+f(p.P))
		case AggGRA:
			add("分辨系数 "+f(p.Rho), "distinguishing coefficient "+f(p.Rho))
		}
	}
	return i18n.T(strings.Join(zh, "，"), strings.Join(en, ", "))
}

// DescribeChoice says what an uncertain choice of an uncertainty
// specification varies, with its alternatives: "标准化：最小-最大（区间 [1,
// 100]）或 z 分数（均值 100、标准差 10）".
func DescribeChoice(c *Choice) i18n.Text {
	var zh, en []string
	alt := func(method string, params any) {
		m, d := MethodName(method), DescribeStep(params)
		if d.ZH != "" {
			zh, en = append(zh, m.ZH+"（"+d.ZH+"）"), append(en, m.EN+" ("+d.EN+")")
			return
		}
		zh, en = append(zh, m.ZH), append(en, m.EN)
	}
	step := StepName(c.Step)
	switch c.Step {
	case ChoiceImputation:
		for _, a := range c.imputations {
			alt(a.Method, a)
		}
	case ChoiceTreatment:
		var limits []string
		for _, a := range c.treatments {
			if a.Method == TreatWinsorise {
				limits = append(limits, strconv.Itoa(a.WinMax))
				continue
			}
			alt(a.Method, a)
		}
		if len(limits) > 0 {
			zh = append(zh, "缩尾上限 "+strings.Join(limits, "、")+" 点")
			en = append(en, "winsorisation of up to "+strings.Join(limits, ", ")+" points")
		}
	case ChoiceNormalisation:
		for _, a := range c.norms {
			alt(a.Method, a)
		}
	case ChoiceWeights:
		for _, a := range c.weights {
			alt(a.Method, a)
		}
	case ChoiceAggregation:
		for _, a := range c.aggs {
			alt(a.Method, a)
		}
	case ChoiceWeightNoise:
		pct := strconv.FormatFloat(c.Factor*100, 'g', 4, 64)
		step = i18n.T("权重扰动", "weight noise")
		zh = append(zh, "第 "+strconv.Itoa(c.Level)+" 层权重各乘以 1±"+pct+"% 内的均匀随机数")
		en = append(en, "level-"+strconv.Itoa(c.Level)+" weights each times a uniform factor within 1±"+pct+"%")
	}
	return i18n.T(step.ZH+"："+strings.Join(zh, " 或 "), step.EN+": "+strings.Join(en, " or "))
}
