package analysis

import (
	"regexp"

	"agglo/internal/i18n"
	"agglo/internal/measure"
)

// inputReasons are the Chinese words of the reasons that packages measure,
// spatial and network give in measure.InputError.Reason (in English, for
// their Go callers). TestInputReasonsTranslated checks that every literal
// reason of those packages is here.
var inputReasons = map[string]string{
	measure.ReasonMissing:                                                     "不允许缺失值",
	measure.ReasonInfinite:                                                    "不允许无穷值",
	measure.ReasonNotPositive:                                                 "值必须为正",
	measure.ReasonNegative:                                                    "不允许负值",
	measure.ReasonUnitInterval:                                                "值必须在 [0, 1] 内",
	"all values of the unit are zero":                                         "该单元的值全为零",
	"at least 2 units are needed":                                             "至少需要 2 个单元",
	"at least 3 units are needed":                                             "至少需要 3 个单元",
	"at least one input and one output are needed":                            "至少需要一个投入和一个产出",
	"flows must be finite and not negative":                                   "流量必须是有限的非负数",
	"latitude must be a number in [-90, 90]":                                  "纬度必须是 [-90, 90] 内的数",
	"longitude must be a number in [-180, 180]":                               "经度必须是 [-180, 180] 内的数",
	"no decision-making units":                                                "没有决策单元",
	"the distance cut-off must be positive (use +Inf for all pairs)":          "距离上限必须为正（全部成对单元用正无穷）",
	"the distance power must be a positive number":                            "距离幂必须为正数",
	"the distance threshold must be a positive number of kilometres":          "距离阈值必须是正的千米数",
	"the span between the two years must be positive":                         "两个年份之间的间隔必须为正",
	"the threshold must not be negative":                                      "阈值不能为负",
	"the variable is zero for every unit; drop it":                            "该变量对所有单元都为零，请去掉它",
	"the weights sum to zero":                                                 "权重之和为零",
	"values must be positive and finite (their logarithm is taken)":           "值必须是有限的正数（要取对数）",
	"weights must be finite and positive":                                     "权重必须是有限的正数",
	"a unit cannot be its own neighbour":                                      "单元不能是自己的邻居",
	"missing values are not allowed (a spatial statistic cannot drop a unit)": "不允许缺失值（空间统计量不能舍去单元）",
	"weights must be finite and not negative":                                 "权重必须是有限的非负数",
	"the positive values of this variable span more than six orders of magnitude; check its units or drop the unit": "该变量的正值跨越六个数量级以上，请检查其单位或去掉该单元",
}

// inputReasonPatterns word the reasons that carry a number.
var inputReasonPatterns = []struct {
	re *regexp.Regexp
	zh string // with $1, $2 for the numbers
}{
	{regexp.MustCompile(`^(\d+) units are too few for (\d+) coefficients$`), "$1 个单元不足以估计 $2 个系数"},
	{regexp.MustCompile(`^k must be at least 1 and less than the number of units \((\d+)\)$`), "k 必须至少为 1 且小于单元数（$1）"},
	{regexp.MustCompile(`^neighbour index (\d+) is out of range \[0, (\d+)\)$`), "邻居序号 $1 超出范围 [0, $2)"},
	{regexp.MustCompile(`^neighbour (\d+) is listed twice$`), "邻居 $1 列出了两次"},
	{regexp.MustCompile(`^unit index must lie in \[0, (\d+)\)$`), "单元序号必须在 [0, $1) 内"},
	{regexp.MustCompile(`^unit (\d+) is at the same place: the inverse distance is infinite$`), "第 $1 个单元位于同一地点，反距离为无穷大"},
}

// reasonText gives a measure.InputError's reason in both languages; a
// reason without Chinese words gets a general one in Chinese rather than
// English words.
func reasonText(r string) i18n.Text {
	if zh, ok := inputReasons[r]; ok {
		return i18n.T(zh, r)
	}
	for _, p := range inputReasonPatterns {
		if p.re.MatchString(r) {
			return i18n.T(p.re.ReplaceAllString(r, p.zh), r)
		}
	}
	return i18n.T("该值不可用", r)
}
