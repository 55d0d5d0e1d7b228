package dataset

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"agglo/internal/i18n"
)

// RollupInfo describes an agglomeration value rolled up from its members
// (Source.Rollup): the rule, the members' level, coverage, the members
// without data and the partial ones.
type RollupInfo struct {
	Rule string `json:"rule"` // sum or ratio
	// Level is the level of the members whose data were rolled up: city
	// (the plan's members) or province. Wider is true when province data
	// stand for the agglomeration and some province is only partly inside
	// it: the spatial unit is wider than the agglomeration.
	Level           Level    `json:"level"`
	Wider           bool     `json:"wider,omitempty"`
	Members         int      `json:"members"`
	Covered         int      `json:"covered"`
	Missing         []string `json:"missing,omitempty"`
	Partial         []string `json:"partial,omitempty"`
	PartialExcluded bool     `json:"partial_excluded,omitempty"`
}

// Coverage is the share of the members with data.
func (r RollupInfo) Coverage() float64 {
	if r.Members == 0 {
		return math.NaN()
	}
	return float64(r.Covered) / float64(r.Members)
}

// Text says in words how the value was rolled up.
func (r RollupInfo) Text() i18n.Text {
	rule := i18n.T("成员求和", "sum over members")
	if r.Rule == RollupRatio {
		rule = i18n.T("由成员分子、分母之和重算的比率", "ratio of the members' summed components")
	}
	level := i18n.T("城市数据", "city data")
	if r.Level == LevelProvince {
		level = i18n.T("省级数据", "province data")
	}
	t := i18n.Tf("%s，%s，覆盖 %d/%d 个成员", "%s, %s, %d of %d members covered", rule.ZH, level.ZH, r.Covered, r.Members)
	t.EN = fmt.Sprintf("%s, %s, %d of %d members covered", rule.EN, level.EN, r.Covered, r.Members)
	if len(r.Partial) > 0 {
		if r.PartialExcluded {
			t.ZH += fmt.Sprintf("，%d 个部分成员未计入", len(r.Partial))
			t.EN += fmt.Sprintf(", %d partial members left out", len(r.Partial))
		} else {
			t.ZH += fmt.Sprintf("，%d 个部分成员按整体计入", len(r.Partial))
			t.EN += fmt.Sprintf(", %d partial members counted whole", len(r.Partial))
		}
	}
	if r.Wider {
		t.ZH += "；省级单元大于城市群，数值偏大"
		t.EN += "; the provinces are wider than the agglomeration"
	}
	return t
}

// RollupOptions control WithRollups.
type RollupOptions struct {
	// ExcludePartial leaves partial members out (default: counted whole
	// and flagged).
	ExcludePartial bool
}

// WithRollups returns the dataset with every agglomeration value that its
// members' data give by the declared rules (RollupRules) and that the
// data do not hold already: for each agglomeration of the registry, each
// indicator with a rule and each year in which members have data. City
// data are rolled up when any member city has a value; otherwise province
// data, flagged as wider when a province is only partly inside. Each
// value is Derived, with its formula, inputs and RollupInfo (coverage,
// missing and partial members). Notes say what was rolled up, which
// indicators were not and why, where province data stand for an
// agglomeration, and which members two agglomerations share (a sum over
// both counts them twice). Index scores and indicators without a rule are
// never rolled up. ds is not changed; free units and datasets without a
// registry are returned as they are.
func (ds *Dataset) WithRollups(opts RollupOptions) (*Dataset, error) {
	if ds.FreeUnits || ds.Registry == nil {
		return ds, nil
	}
	rules, err := RollupRules()
	if err != nil {
		return nil, err
	}
	aggs := ds.Registry.AllAgglomerations()
	if len(aggs) == 0 {
		return ds, nil
	}
	roll := &Dataset{Name: ds.Name, Registry: ds.Registry, Catalogue: ds.Catalogue.clone(), FreeUnits: false}
	roll.ensureIndex()
	type memberIdx struct {
		code    string
		idx     int32 // index in ds.Regions, -1 when absent
		partial bool
		// muni marks a municipality: a province and a city at once,
		// whose province statistics alone do not make city data.
		muni bool
	}
	idxOf := func(ms []Member) []memberIdx {
		out := make([]memberIdx, len(ms))
		for i, m := range ms {
			out[i] = memberIdx{code: m.Code, idx: -1, partial: m.Partial}
			if r, ok := ds.Registry.Lookup(m.Code); ok {
				out[i].muni = r.IsMunicipality()
			}
			if r, ok := ds.RegionIndex(m.Code); ok {
				out[i].idx = int32(r)
			}
		}
		return out
	}
	cities := make([][]memberIdx, len(aggs))
	provs := make([][]memberIdx, len(aggs))
	for k, a := range aggs {
		cities[k], provs[k] = idxOf(a.Members), idxOf(a.ProvinceMembers)
	}
	value := func(c *yearCol, m memberIdx) (float64, bool) {
		if c == nil || m.idx < 0 {
			return math.NaN(), false
		}
		p := c.pos(m.idx)
		if p < 0 {
			return math.NaN(), false
		}
		v := c.vals[p]
		return v, !math.IsNaN(v) && !math.IsInf(v, 0)
	}
	type result struct {
		v      float64
		info   RollupInfo
		inputs []ObsRef
	}
	// rollMembers rolls one indicator up over one member list.
	// partialOf lists a member list's partial members once; the roll-ups
	// of all indicators and years share the list (read-only).
	partialOf := map[*memberIdx][]string{}
	rollMembers := func(rule RollupRule, ind string, year int, ms []memberIdx, level Level, a, b *yearCol) (result, bool) {
		// First the sums, without allocating: most member lists of most
		// indicators have no data (city members of province data).
		var num, den float64
		covered, cities, members := 0, 0, 0 // cities: covered members that are not municipalities
		get := func(m memberIdx) (float64, float64, bool) {
			x, ok := value(a, m)
			y := 1.0
			if ok && rule.Kind == RollupRatio {
				y, ok = value(b, m)
			}
			return x, y, ok
		}
		for _, m := range ms {
			if m.partial && opts.ExcludePartial {
				continue
			}
			members++
			x, y, ok := get(m)
			if !ok {
				continue
			}
			num += x
			den += y
			covered++
			if !m.muni {
				cities++
			}
		}
		if covered == 0 || level == LevelCity && cities == 0 {
			// City data need a city: a municipality's value alone is
			// province data (the province members then say so).
			return result{}, false
		}
		res := result{v: num, info: RollupInfo{Rule: rule.Kind, Level: level, PartialExcluded: opts.ExcludePartial, Members: members, Covered: covered}}
		if rule.Kind == RollupRatio {
			if den == 0 {
				return result{}, false
			}
			res.v = rule.Scale * num / den
		}
		p, ok := partialOf[&ms[0]]
		if !ok {
			for _, m := range ms {
				if m.partial {
					p = append(p, m.code)
				}
			}
			partialOf[&ms[0]] = p
		}
		res.info.Partial = p
		per := 1
		if rule.Kind == RollupRatio {
			per = 2
		}
		res.inputs = make([]ObsRef, 0, per*covered)
		for _, m := range ms {
			if m.partial && opts.ExcludePartial {
				continue
			}
			if _, _, ok := get(m); !ok {
				res.info.Missing = append(res.info.Missing, m.code)
				continue
			}
			if level == LevelProvince && m.partial {
				res.info.Wider = true
			}
			if rule.Kind == RollupSum {
				res.inputs = append(res.inputs, ObsRef{Region: m.code, Indicator: ind, Year: year})
			} else {
				res.inputs = append(res.inputs, ObsRef{Region: m.code, Indicator: rule.Numerator, Year: year}, ObsRef{Region: m.code, Indicator: rule.Denominator, Year: year})
			}
		}
		return res, true
	}
	codes := make([]string, 0, len(rules))
	for c := range rules {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	rolled, widerAggs := 0, map[string]bool{}
	formulas := map[[2]string]string{}
	usedAggs := map[string]bool{}
	var cannot names // indicators of the data without a roll-up rule
	for _, code := range codes {
		rule := rules[code]
		ind, ok := ds.Catalogue.Lookup(code)
		if !ok {
			continue
		}
		src := code
		if rule.Kind == RollupRatio {
			src = rule.Numerator
		}
		ia, okA := ds.IndicatorIndex(src)
		ib := -1
		if rule.Kind == RollupRatio {
			var okB bool
			ib, okB = ds.IndicatorIndex(rule.Denominator)
			okA = okA && okB
		}
		if !okA {
			continue
		}
		for _, c := range ds.series[ia] {
			year := int(c.year)
			var cb *yearCol
			if ib >= 0 {
				if cb = ds.columnOf(ib, year); cb == nil {
					continue
				}
			}
			for k, a := range aggs {
				if _, has := ds.Value(a.Code, code, year); has {
					continue
				}
				res, ok := rollMembers(rule, code, year, cities[k], LevelCity, c, cb)
				if !ok {
					if res, ok = rollMembers(rule, code, year, provs[k], LevelProvince, c, cb); !ok {
						continue
					}
				}
				fk := [2]string{a.Code, code}
				formula, ok := formulas[fk]
				if !ok {
					formula = fmt.Sprintf("%s(%s) = Σ %s", a.Code, code, code)
					if rule.Kind == RollupRatio {
						formula = fmt.Sprintf("%s(%s) = %g × Σ %s / Σ %s", a.Code, code, rule.Scale, rule.Numerator, rule.Denominator)
					}
					formulas[fk] = formula
				}
				ri := roll.addRegion(*a)
				ii := roll.addIndicator(*ind)
				info := res.info
				roll.Sources = append(roll.Sources, Source{Kind: Derived, Formula: formula, Inputs: res.inputs, Rollup: &info})
				roll.insert(ii, int32(year), ri, res.v, int32(len(roll.Sources)-1), 0, 0)
				rolled++
				usedAggs[a.Code] = true
				if res.info.Wider {
					widerAggs[a.Code] = true
				}
			}
		}
	}
	// Indicators not rolled up, by name in both languages; an indicator
	// with a reason of its own (network degrees) gets a note of its own.
	var scores, noParts names
	special := map[i18n.Text]*names{}
	var reasons []i18n.Text
	name := func(code string) i18n.Text {
		if i, ok := ds.Indicator(code); ok {
			return i18n.T(i.NameZH, i.NameEN)
		}
		if i, ok := ds.Catalogue.Lookup(code); ok {
			return i18n.T(i.NameZH, i.NameEN)
		}
		return i18n.T(code, code)
	}
	for _, ind := range ds.Indicators {
		rule, ok := rules[ind.Code]
		switch {
		case strings.HasPrefix(ind.Code, "cric_"):
			scores.add(name(ind.Code))
		case !ok:
			why, own := noRollupReason(ind.Code)
			if !own {
				cannot.add(name(ind.Code))
				continue
			}
			if special[why] == nil {
				special[why] = &names{}
				reasons = append(reasons, why)
			}
			special[why].add(name(ind.Code))
		case rule.Kind == RollupRatio:
			_, a := ds.IndicatorIndex(rule.Numerator)
			_, b := ds.IndicatorIndex(rule.Denominator)
			if !a || !b {
				n, x, y := name(ind.Code), name(rule.Numerator), name(rule.Denominator)
				noParts.add(i18n.T(n.ZH+" = "+x.ZH+" / "+y.ZH, n.EN+" = "+x.EN+" / "+y.EN))
			}
		}
	}
	if rolled == 0 {
		return ds, nil
	}
	roll.refresh()
	out, err := Combine(ds.Name, CombineOptions{Prefer: 0}, ds, roll)
	if err != nil {
		return nil, err
	}
	out.Name = ds.Name
	out.Registry = ds.Registry
	note := func(t i18n.Text) { out.Notes = append(out.Notes, Issue{Text: t}) }
	note(i18n.Tf("由成员数据汇总出 %d 个城市群数值（标为推算）：总量求和，比率由分子、分母之和重算；每个数值的来源注明覆盖的成员数、缺数据和部分属于城市群的成员",
		"%d agglomeration values rolled up from members' data (marked derived): totals summed, ratios recomputed from summed components; each value's provenance gives the members covered, those without data and the partial ones", rolled))
	if !opts.ExcludePartial {
		note(i18n.T("部分属于城市群的成员按整体计入并标出（可选择不计入）", "partial members are counted whole and flagged (they can be left out)"))
	}
	if len(widerAggs) > 0 {
		list := regionNames(ds.Registry, sortedKeys(widerAggs))
		note(i18n.T(list.ZH+" 的部分数值由省级数据汇总：所含省份有城市不属于城市群，空间单元大于城市群",
			"some values of "+list.EN+" are rolled up from province data: the provinces contain cities outside the agglomeration, a wider spatial unit"))
	}
	if len(cannot.zh) > 0 {
		note(cannot.text("未汇总到城市群的指标（没有汇总规则：只有总量和可由总量重算的比率才汇总）：", "indicators not rolled up to agglomerations (no roll-up rule: only totals and ratios of totals roll up): "))
	}
	for _, why := range reasons {
		note(special[why].text("未汇总到城市群的指标（"+why.ZH+"）：", "indicators not rolled up to agglomerations ("+why.EN+"): "))
	}
	if len(noParts.zh) > 0 {
		note(noParts.text("未汇总的比率（数据缺少分子或分母，无法由成员重算）：", "ratios not rolled up (the data lack a component, so they cannot be recomputed from members): "))
	}
	if len(scores.zh) > 0 {
		note(scores.text("指数得分不相加，也不由成员重算：", "index scores are never summed nor recomputed from members: "))
	}
	var used []string
	for _, a := range aggs {
		if usedAggs[a.Code] {
			used = append(used, a.Code)
		}
	}
	for _, sm := range ds.Registry.SharedMembers(used...) {
		name, in := regionNames(ds.Registry, []string{sm.Code}), regionNames(ds.Registry, sm.Agglomerations)
		out.Notes = append(out.Notes, Issue{Text: i18n.Text{
			ZH: fmt.Sprintf("%s 同属 %s：对这些城市群求和会重复计算它", name.ZH, in.ZH),
			EN: fmt.Sprintf("%s belongs to %s: a sum over these agglomerations counts it twice", name.EN, in.EN)}})
	}
	return out, nil
}

// regionNames names the registry's regions of codes (a code the registry
// does not know stands for itself): Chinese names joined by 、, English
// ones by commas.
func regionNames(reg *Registry, codes []string) i18n.Text {
	zh, en := make([]string, len(codes)), make([]string, len(codes))
	for i, c := range codes {
		zh[i], en[i] = c, c
		if r, ok := reg.Lookup(c); ok {
			zh[i], en[i] = r.NameZH, r.NameEN
		}
	}
	return i18n.T(strings.Join(zh, "、"), strings.Join(en, ", "))
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// listSome joins at most n items, with an ellipsis for the rest.
// names collects indicator names in both languages for a note.
type names struct{ zh, en []string }

func (n *names) add(t i18n.Text) { n.zh, n.en = append(n.zh, t.ZH), append(n.en, t.EN) }

// text is a note listing up to 8 of the names after its heads.
func (n *names) text(zh, en string) i18n.Text {
	z, e := listSome(n.zh, 8), listSome(n.en, 8)
	return i18n.T(zh+strings.ReplaceAll(z, ", ", "、"), en+e)
}

func listSome(items []string, n int) string {
	if len(items) > n {
		return strings.Join(items[:n], ", ") + fmt.Sprintf(" … (+%d)", len(items)-n)
	}
	return strings.Join(items, ", ")
}
