package dataset

import (
	"math"
	"strings"

	"agglo/internal/i18n"
)

// Unit is a measurement unit of Chinese statistics, such as 万人, 亿元,
// 万km², %, 件 or a ratio of two of them (人/平方千米, 件/万元).
//
// A value v in unit u equals v·u.Scale base units of u.Dim; two units convert
// into each other when they share Dim:
//
//	v_to = v_from · from.Scale / to.Scale
type Unit struct {
	Symbol string  // the spelling used in agglo's catalogue and outputs
	Dim    string  // dimension: "person", "yuan", "km2", "ratio", "件", "人/km2" ...
	Scale  float64 // multiple of the dimension's base unit
}

// Dimensionless is the unit of scores and indices (综合值, 指标值).
var dimensionless = Unit{Symbol: "", Dim: "1", Scale: 1}

// multipliers are the Chinese numeric prefixes of statistical units, longest
// first so that 万亿 wins over 万 and 亿.
var multipliers = []struct {
	prefix string
	scale  float64
}{
	{"万亿", 1e12}, {"千万", 1e7}, {"百万", 1e6}, {"十万", 1e5},
	{"亿", 1e8}, {"万", 1e4}, {"千", 1e3}, {"百", 1e2}, {"十", 10},
}

// baseUnits lists the units without prefix. Counts of different things (件,
// 项, 个 ...) are separate dimensions: patents and projects do not convert.
var baseUnits = map[string]Unit{
	"人":    {Symbol: "人", Dim: "person", Scale: 1},
	"元":    {Symbol: "元", Dim: "yuan", Scale: 1},
	"平方千米": {Symbol: "km²", Dim: "km2", Scale: 1},
	"平方公里": {Symbol: "km²", Dim: "km2", Scale: 1},
	"km²":  {Symbol: "km²", Dim: "km2", Scale: 1},
	"km2":  {Symbol: "km²", Dim: "km2", Scale: 1},
	"公顷":   {Symbol: "公顷", Dim: "km2", Scale: 0.01},
	"平方米":  {Symbol: "m²", Dim: "km2", Scale: 1e-6},
	"件":    {Symbol: "件", Dim: "件", Scale: 1},
	"项":    {Symbol: "项", Dim: "项", Scale: 1},
	"个":    {Symbol: "个", Dim: "个", Scale: 1},
	"家":    {Symbol: "家", Dim: "个", Scale: 1},
	"所":    {Symbol: "所", Dim: "所", Scale: 1},
	"篇":    {Symbol: "篇", Dim: "篇", Scale: 1},
	"户":    {Symbol: "户", Dim: "户", Scale: 1},
	"人年":   {Symbol: "人年", Dim: "人年", Scale: 1},
	"次":    {Symbol: "次", Dim: "次", Scale: 1},
	"人次":   {Symbol: "人次", Dim: "人次", Scale: 1},
	"%":    {Symbol: "%", Dim: "ratio", Scale: 0.01},
	"％":    {Symbol: "%", Dim: "ratio", Scale: 0.01},
	"‰":    {Symbol: "‰", Dim: "ratio", Scale: 0.001},
}

// englishUnits maps common English spellings to the Chinese symbol.
var englishUnits = map[string]string{
	"person": "人", "persons": "人", "people": "人", "10k persons": "万人", "10,000 persons": "万人",
	"10k people": "万人", "100 million persons": "亿人", "100m persons": "亿人",
	"yuan": "元", "cny": "元", "rmb": "元", "10k yuan": "万元", "10,000 yuan": "万元",
	"100 million yuan": "亿元", "100m yuan": "亿元", "trillion yuan": "万亿元", "billion yuan": "十亿元",
	"million yuan": "百万元", "sq km": "km²", "square km": "km²", "square kilometres": "km²",
	"square kilometers": "km²", "10k km2": "万km²", "10k km²": "万km²", "hectare": "公顷", "ha": "公顷",
	"percent": "%", "pct": "%", "per mille": "‰", "pieces": "件", "items": "项", "projects": "项",
	"units": "个", "person-years": "人年", "person-year": "人年", "fte": "人年", "papers": "篇",
	"score": "", "index": "", "分": "", "指数": "",
}

// ParseUnit parses a unit as written in a header, a unit column or the
// catalogue: an optional Chinese multiplier (十 百 千 万 十万 百万 千万 亿 万亿)
// before a base unit, or a ratio "A/B" of two such units. An empty string is
// the dimensionless unit of scores. An unknown unit is an error, never a guess.
func ParseUnit(s string) (Unit, error) {
	t := strings.TrimSpace(s)
	t = strings.ReplaceAll(t, "·", "")
	t = strings.ReplaceAll(t, " ", " ")
	if t == "" {
		return dimensionless, nil
	}
	if zh, ok := englishUnits[strings.ToLower(t)]; ok {
		if zh == "" {
			return dimensionless, nil
		}
		t = zh
	}
	for _, sep := range []string{"/", "／", " per "} {
		if i := strings.Index(t, sep); i > 0 {
			num, err := ParseUnit(t[:i])
			if err != nil {
				return Unit{}, unknownUnit(s)
			}
			den, err := ParseUnit(t[i+len(sep):])
			if err != nil || den.Dim == "1" {
				return Unit{}, unknownUnit(s)
			}
			return Unit{Symbol: num.Symbol + "/" + den.Symbol, Dim: num.Dim + "/" + den.Dim, Scale: num.Scale / den.Scale}, nil
		}
	}
	if u, ok := baseUnits[t]; ok {
		return u, nil
	}
	for _, m := range multipliers {
		rest, ok := strings.CutPrefix(t, m.prefix)
		if !ok {
			continue
		}
		if u, ok := baseUnits[rest]; ok && u.Dim != "ratio" {
			return Unit{Symbol: m.prefix + u.Symbol, Dim: u.Dim, Scale: m.scale * u.Scale}, nil
		}
	}
	return Unit{}, unknownUnit(s)
}

func unknownUnit(s string) error {
	return i18n.Errorf("未知单位“%s”（可用：人/万人/亿人、元/万元/亿元/万亿元、km²/万km²、%%、‰、件、项、个、人年、篇，或两者之比如 人/km²）",
		"unknown unit %q (known: 人/万人/亿人, 元/万元/亿元/万亿元, km²/万km², %%, ‰, 件, 项, 个, 人年, 篇, or a ratio such as 人/km²)", s)
}

// Factor returns the multiplier that converts values in from into values in
// to, or an error when the two units measure different things.
func Factor(from, to Unit) (float64, error) {
	if from.Dim != to.Dim {
		return math.NaN(), i18n.Errorf("单位“%s”不能换算为“%s”", "unit %q cannot be converted to %q", from.Symbol, to.Symbol)
	}
	return from.Scale / to.Scale, nil
}
