package dataset

import (
	_ "embed"
	"fmt"
	"math"
	"strconv"
	"strings"
	"sync"

	"agglo/internal/i18n"
)

// rollupCSV declares how an indicator of member regions adds up to the
// agglomeration: extensive quantities are summed; ratios are recomputed
// from their summed components, Value = Scale × ΣNumerator / ΣDenominator
// (density = population / area, GDP per capita = GDP / population, R&D
// intensity = R&D expenditure / GDP, foreign share of R&D = foreign funds /
// R&D expenditure, technology bought over sold, trade dependence = trade /
// GDP). An indicator without a rule is not rolled up: index scores are
// never summed, and a ratio without components cannot be recomputed.
//
//go:embed data/rollup.csv
var rollupCSV string

// Roll-up kinds.
const (
	RollupSum   = "sum"
	RollupRatio = "ratio"
)

// RollupRule is how one indicator rolls up from members.
type RollupRule struct {
	Indicator   string  `json:"indicator"`
	Kind        string  `json:"kind"` // sum or ratio
	Numerator   string  `json:"numerator,omitempty"`
	Denominator string  `json:"denominator,omitempty"`
	Scale       float64 `json:"scale,omitempty"`
}

var (
	rollupOnce  sync.Once
	rollupRules map[string]RollupRule
	rollupErr   error
)

func loadRollupRules() {
	rollupRules = map[string]RollupRule{}
	for i, line := range strings.Split(strings.TrimSpace(rollupCSV), "\n")[1:] {
		f := strings.Split(strings.TrimSpace(line), ",")
		if len(f) != 5 {
			rollupErr = fmt.Errorf("embedded rollup.csv row %d: %d fields, want 5", i+2, len(f))
			return
		}
		r := RollupRule{Indicator: f[0], Kind: f[1], Numerator: f[2], Denominator: f[3]}
		switch r.Kind {
		case RollupSum:
		case RollupRatio:
			s, err := strconv.ParseFloat(f[4], 64)
			if err != nil || !(s > 0) || r.Numerator == "" || r.Denominator == "" {
				rollupErr = fmt.Errorf("embedded rollup.csv row %d: bad ratio rule", i+2)
				return
			}
			r.Scale = s
		default:
			rollupErr = fmt.Errorf("embedded rollup.csv row %d: unknown rule %q", i+2, r.Kind)
			return
		}
		rollupRules[r.Indicator] = r
	}
}

// RollupRules returns every declared roll-up rule by indicator code.
func RollupRules() (map[string]RollupRule, error) {
	rollupOnce.Do(loadRollupRules)
	if rollupErr != nil {
		return nil, rollupErr
	}
	out := make(map[string]RollupRule, len(rollupRules))
	for k, v := range rollupRules {
		out[k] = v
	}
	return out, nil
}

// RollupRuleOf returns the roll-up rule of an indicator; ok is false when
// it has none (see NoRollupReason).
func RollupRuleOf(indicator string) (RollupRule, bool) {
	rollupOnce.Do(loadRollupRules)
	r, ok := rollupRules[indicator]
	return r, ok && rollupErr == nil
}

// NoRollupReason says why an indicator without a rule is not rolled up.
func NoRollupReason(indicator string) i18n.Text {
	if why, ok := noRollupReason(indicator); ok {
		return why
	}
	return i18n.T("没有汇总规则（只有总量和可由总量重算的比率才汇总）", "no roll-up rule (only totals and ratios of totals roll up)")
}

// noRollupReason gives the reason of its own of an indicator that is not
// rolled up (index scores, network degrees, shares without components,
// amounts in foreign currency), ok false for the general one.
func noRollupReason(indicator string) (i18n.Text, bool) {
	if strings.HasPrefix(indicator, "cric_") {
		return i18n.T("指数得分不能相加，也不能由成员重算", "index scores are never summed and cannot be recomputed from members"), true
	}
	switch indicator {
	case "social_media_degree", "mobility_degree", "copublication_degree":
		return i18n.T("网络度是城市与全国其他城市的联系量，成员相加会把成员之间的联系计两次（城际联系的两两数据未公开）",
			"a network degree counts a city's links with every other city: summed over members it counts the links among them twice (the pairwise intercity data are not public)"), true
	case "knowledge_services_employment_share":
		return i18n.T("比重没有可汇总的分子与分母", "a share without its numerator and denominator"), true
	case "fdi_share":
		return i18n.T("外资以美元计、GDP以人民币计，需要汇率", "FDI is in US dollars and GDP in yuan: it needs an exchange rate"), true
	}
	return i18n.Text{}, false
}

// Rollup is an indicator rolled up from an agglomeration's members.
type Rollup struct {
	Indicator string  `json:"indicator"`
	Year      int     `json:"year"`
	Value     float64 `json:"value"`
	Rule      RollupRule
	// Covered are the members with data, Missing those without (never
	// dropped silently); Partial the partial members counted whole, or
	// left out when PartialExcluded.
	Covered         []string `json:"covered"`
	Missing         []string `json:"missing"`
	Partial         []string `json:"partial"`
	PartialExcluded bool     `json:"partial_excluded"`
	Members         int      `json:"members"`
}

// Coverage is the share of the members with data.
func (r Rollup) Coverage() float64 {
	if r.Members == 0 {
		return math.NaN()
	}
	return float64(len(r.Covered)) / float64(r.Members)
}

// RollUp adds up indicator over members in year by its rule: a sum of the
// members' values, or a ratio of the sums of its components over the
// members that have both. Partial members are counted whole unless
// excludePartial. ok is false when the indicator has no rule or no member
// has data; the value is NaN when a ratio's denominator sums to zero.
func (ds *Dataset) RollUp(members []Member, indicator string, year int, excludePartial bool) (Rollup, bool) {
	rule, ok := RollupRuleOf(indicator)
	out := Rollup{Indicator: indicator, Year: year, Value: math.NaN(), Rule: rule, PartialExcluded: excludePartial, Covered: []string{}, Missing: []string{}, Partial: []string{}}
	if !ok {
		return out, false
	}
	var num, den float64
	for _, m := range members {
		if m.Partial {
			out.Partial = append(out.Partial, m.Code)
			if excludePartial {
				continue
			}
		}
		out.Members++
		if rule.Kind == RollupSum {
			v, ok := ds.Value(m.Code, indicator, year)
			if !ok || math.IsNaN(v) || math.IsInf(v, 0) {
				out.Missing = append(out.Missing, m.Code)
				continue
			}
			num += v
		} else {
			a, ok1 := ds.Value(m.Code, rule.Numerator, year)
			b, ok2 := ds.Value(m.Code, rule.Denominator, year)
			if !ok1 || !ok2 || math.IsNaN(a+b) || math.IsInf(a+b, 0) {
				out.Missing = append(out.Missing, m.Code)
				continue
			}
			num += a
			den += b
		}
		out.Covered = append(out.Covered, m.Code)
	}
	if len(out.Covered) == 0 {
		return out, false
	}
	if rule.Kind == RollupSum {
		out.Value = num
	} else if den != 0 {
		out.Value = rule.Scale * num / den
	}
	return out, true
}
