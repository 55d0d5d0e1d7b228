package replicate

import (
	"fmt"
	"math"
	"sort"

	"gonum.org/v1/gonum/mat"

	"agglo/internal/dataset"
)

const year = 2019

// Table3Dimensions are the five CRIC dimensions in the order of Table 3.
func Table3Dimensions() []string {
	return []string{"knowledge_creation", "knowledge_acquisition", "enterprise_innovation", "innovation_environment", "innovation_performance"}
}

var dimNames = map[string][2]string{
	"composite":              {"综合值", "composite"},
	"knowledge_creation":     {"知识创造", "knowledge creation"},
	"knowledge_acquisition":  {"知识获取", "knowledge acquisition"},
	"enterprise_innovation":  {"企业创新", "enterprise innovation"},
	"innovation_environment": {"创新环境", "innovation environment"},
	"innovation_performance": {"创新绩效", "innovation performance"},
}

func ptr(v float64) *float64 { return &v }

// halfUnit is half a unit of the last printed digit of a number printed with
// the given decimals.
func halfUnit(decimals int) float64 { return 0.5 * math.Pow(10, -float64(decimals)) }

// Table3Weights recovers the weights of Table 3's composite from its five
// dimensions by non-negative least squares without intercept over the
// provinces of Table 3:
//
//	min_w Σ_p (composite_p − Σ_d w_d·dim_{p,d})²,  w ≥ 0
//
// It returns the weights by dimension and the largest absolute residual of
// the refit composite.
func Table3Weights(ds *dataset.Dataset) (map[string]float64, float64, error) {
	provs := table3Provinces(ds)
	if len(provs) < 5 {
		return nil, math.NaN(), fmt.Errorf("table 3: %d provinces with all dimensions, need at least 5", len(provs))
	}
	dims := Table3Dimensions()
	a := mat.NewDense(len(provs), len(dims), nil)
	b := make([]float64, len(provs))
	for i, p := range provs {
		for j, d := range dims {
			v, _ := ds.Value(p, "cric_"+d, year)
			a.Set(i, j, v)
		}
		b[i], _ = ds.Value(p, "cric_composite", year)
	}
	w, err := nnls(a, b)
	if err != nil {
		return nil, math.NaN(), err
	}
	out := map[string]float64{}
	maxRes := 0.0
	for j, d := range dims {
		out[d] = w[j]
	}
	for i := range provs {
		fit := 0.0
		for j := range dims {
			fit += w[j] * a.At(i, j)
		}
		maxRes = math.Max(maxRes, math.Abs(fit-b[i]))
	}
	return out, maxRes, nil
}

// table3Provinces lists the provinces with the composite and all five
// dimensions, in the order of the paper's five agglomerations' province
// members (whatever agglomerations the analyses cover).
func table3Provinces(ds *dataset.Dataset) []string {
	var out []string
	for _, c := range dataset.AgglomerationCodes() {
		a, ok := ds.Registry.Agglomeration(c)
		if !ok {
			continue
		}
		for _, p := range a.MemberCodes(dataset.LevelProvince) {
			ok := true
			for _, d := range append([]string{"composite"}, Table3Dimensions()...) {
				if _, has := ds.Value(p, "cric_"+d, year); !has {
					ok = false
				}
			}
			if ok {
				out = append(out, p)
			}
		}
	}
	return out
}

// AgglomerationMeans returns, for one Table 3 dimension, each agglomeration's
// mean over its member provinces (NaN where none has data), in the order of
// dataset.AgglomerationCodes.
func AgglomerationMeans(ds *dataset.Dataset, dim string) []float64 {
	codes := dataset.AgglomerationCodes()
	out := make([]float64, len(codes))
	for i, c := range codes {
		a, _ := ds.Registry.Lookup(c)
		sum, n := 0.0, 0
		for _, p := range a.MemberCodes(dataset.LevelProvince) {
			if v, ok := ds.Value(p, "cric_"+dim, year); ok {
				sum += v
				n++
			}
		}
		out[i] = math.NaN()
		if n > 0 {
			out[i] = sum / float64(n)
		}
	}
	return out
}

// rankDesc returns the rank of each value, highest = 1, ties sharing the
// lowest rank (R's rank(-x, ties.method = "min")). NaN gets rank 0.
func rankDesc(x []float64) []int {
	r := make([]int, len(x))
	for i, v := range x {
		if math.IsNaN(v) {
			continue
		}
		r[i] = 1
		for _, u := range x {
			if !math.IsNaN(u) && u > v {
				r[i]++
			}
		}
	}
	return r
}

// rankAsc is rankDesc from the bottom: lowest = 1.
func rankAsc(x []float64) []int {
	neg := make([]float64, len(x))
	for i, v := range x {
		neg[i] = -v
	}
	return rankDesc(neg)
}

func closeTo(pub, comp, tol float64) Status {
	if math.Abs(pub-comp) <= tol+1e-12 {
		return Match
	}
	return Mismatch
}

// Run lists the paper's checkable numbers and claims with agglo's
// computation of each from ds (normally the embedded dataset).
func Run(ds *dataset.Dataset) ([]Claim, error) {
	var out []Claim
	val := func(r, ind string) (float64, bool) { return ds.Value(r, ind, year) }
	fig1, hasFig1 := figure1Check(ds)
	codes := dataset.AgglomerationCodes()
	name := func(code string) (string, string) {
		r, ok := ds.Registry.Lookup(code)
		if !ok {
			return code, code
		}
		return r.ShortZH, r.NameEN
	}

	// ---- overview (section II.1) ----
	type total struct {
		id, ind, unit string
		scale         float64 // canonical unit → printed unit
		decimals      int
		zh, en        string
	}
	for _, t := range []total{
		{"overview.area_total", "area", "万km²", 1e-4, 2, "五大城市群累计占地面积99.31万平方千米", "The five agglomerations cover 993,100 km² in total"},
		{"overview.population_total", "population", "亿人", 1e-4, 2, "五大城市群累计常住人口5.57亿人", "The five agglomerations have 557 million residents"},
		{"overview.gdp_total", "gdp", "万亿元", 1e-4, 2, "2019年五大城市群GDP总量52.76万亿元", "The five agglomerations' 2019 GDP is 52.76 trillion yuan"},
	} {
		pub, _ := val("FIVE", t.ind)
		sum := 0.0
		for _, c := range codes {
			v, ok := val(c, t.ind)
			if t.ind == "gdp" && c == "YRD" && hasFig1 {
				v = fig1.Derived
			}
			if !ok {
				v = math.NaN()
			}
			sum += v
		}
		out = append(out, Claim{ID: t.id, Group: "overview", ClaimZH: t.zh, ClaimEN: t.en, Published: ptr(pub * t.scale), Unit: t.unit, Tolerance: ptr(halfUnit(t.decimals)),
			Status: Constraint, Source: "paper II.1",
			ReasonZH: fmt.Sprintf("论文未给出可独立重算的数据；该值是图1推算的约束条件（五城市群推算值之和为 %.4f）", sum*t.scale),
			ReasonEN: fmt.Sprintf("the paper gives no independent inputs; the value is a constraint of the Figure 1 derivation (the derived values sum to %.4f)", sum*t.scale)})
	}
	cnArea, _ := val("CN", "area")
	cnGDP, _ := val("CN", "gdp")
	fiveArea, _ := val("FIVE", "area")
	fiveGDP, _ := val("FIVE", "gdp")
	pubAreaShare, _ := val("FIVE", "area_share_national")
	pubGDPShare, _ := val("FIVE", "gdp_share_national")
	for _, s := range []struct {
		id        string
		pub, comp float64
		zh, en    string
		formula   string
	}{
		{"overview.area_share", pubAreaShare, 100 * fiveArea / cnArea, "五大城市群占全国陆地总面积的10.34%", "The five agglomerations cover 10.34% of China's land area",
			"99.31万km² / 960万km² (national land area, NBS) × 100"},
		{"overview.gdp_share", pubGDPShare, 100 * fiveGDP / cnGDP, "五大城市群GDP约占全国的53.25%", "The five agglomerations produce about 53.25% of national GDP",
			"52.76万亿元 / 99.0865万亿元 (2019 GDP, NBS 2019 Statistical Communiqué) × 100"},
	} {
		tol := halfUnit(2)
		out = append(out, Claim{ID: s.id, Group: "overview", ClaimZH: s.zh, ClaimEN: s.en, Published: ptr(s.pub), Computed: ptr(s.comp), Unit: "%",
			Tolerance: ptr(tol), Status: closeTo(s.pub, s.comp, tol), Source: "paper II.1", Formula: s.formula})
	}

	// ---- Figure 1 (derived from Table 1 and the overview) ----
	fig := []struct {
		ind, unit string
		scale     float64
		zh, en    string
		decimals  int
	}{
		{"population", "亿人", 1e-4, "常住人口", "resident population", 2},
		{"area", "万km²", 1e-4, "土地面积", "land area", 2},
		{"gdp", "万亿元", 1e-4, "GDP", "GDP", 2},
	}
	for _, f := range fig {
		for _, c := range codes {
			zh, en := name(c)
			cl := Claim{ID: fmt.Sprintf("fig1.%s.%s", f.ind, c), Group: "fig1", Unit: f.unit, Source: "paper Figure 1 (values derived from Table 1 and II.1)",
				ClaimZH: fmt.Sprintf("图1：%s城市群%s", zh, f.zh), ClaimEN: fmt.Sprintf("Figure 1: %s %s", en, f.en)}
			o, ok := ds.Lookup(c, f.ind, year)
			if !ok {
				cl.Status, cl.ReasonZH, cl.ReasonEN = NotCheckable, "数据中没有该值", "the value is not in the data"
				out = append(out, cl)
				continue
			}
			p := ds.Provenance(o)
			comp := o.Value
			if c == "YRD" && f.ind == "gdp" && hasFig1 {
				comp = fig1.Derived
			}
			cl.Computed = ptr(comp * f.scale)
			cl.Formula = "P_A from the linear system of Table 1 densities and GDP per capita with the II.1 totals; area = P/density; GDP = P × GDP per capita"
			if p.Kind == dataset.Published || (c == "YRD" && f.ind == "gdp") {
				pub := o.Value * f.scale
				if c == "YRD" && f.ind == "gdp" {
					pub, _ = val("YRD", "gdp")
					pub *= f.scale
				}
				decimals := 2
				if pub == math.Trunc(pub*10)/10 {
					decimals = 1
				}
				tol := halfUnit(decimals)
				cl.Published, cl.Tolerance = ptr(pub), ptr(tol)
				cl.Status = closeTo(pub, comp*f.scale, tol)
				if !(c == "YRD" && f.ind == "gdp") {
					cl.Status = Constraint
					cl.ReasonZH, cl.ReasonEN = "该值是推算的约束条件，一致性为恒等，不算核对", "the value is a constraint of the derivation: agreement is by construction and is not a check"
				}
			} else {
				cl.Status = NotCheckable
				cl.ReasonZH, cl.ReasonEN = "图1未以数字印出，此为由表1与总量推算的值", "Figure 1 is not printed as numbers; this is the value derived from Table 1 and the totals"
			}
			out = append(out, cl)
		}
	}
	if hasFig1 {
		ck := fig1
		out = append(out, Claim{ID: "fig1.check.yrd_gdp", Group: "fig1", ClaimZH: "长三角城市群GDP总量最高，为19.7万亿元（与表1推算值核对）",
			ClaimEN: "YRD GDP is 19.7 trillion yuan (checked against the value derived from Table 1)", Published: ptr(ck.Published * 1e-4), Computed: ptr(ck.Derived * 1e-4),
			Unit: "万亿元", Tolerance: ptr(halfUnit(1)), Status: closeTo(ck.Published*1e-4, ck.Derived*1e-4, halfUnit(1)), Source: "paper II.1, Table 1", Formula: ck.Formula})
	} else {
		out = append(out, Claim{ID: "fig1.check.yrd_gdp", Group: "fig1", ClaimZH: "长三角城市群GDP总量最高，为19.7万亿元（与表1推算值核对）",
			ClaimEN: "YRD GDP is 19.7 trillion yuan (checked against the value derived from Table 1)", Unit: "万亿元", Status: NotCheckable, Source: "paper II.1, Table 1",
			ReasonZH: "载入的数据没有图1的推算（需要表1与概况总量）", ReasonEN: "the loaded data have no Figure 1 derivation (it needs Table 1 and the overview totals)"})
	}

	// ---- Tables 1 and 2: published only ----
	reasons := map[string][2]string{
		"table1": {"论文未印出表1所依据的人口与面积（图1的数值本身由表1推算）", "the paper does not print the population and area behind Table 1 (Figure 1's values are themselves derived from Table 1)"},
		"table2": {"论文未印出R&D人员、项目、经费与专利数", "the paper does not print the R&D staff, projects, expenditure or patents behind Table 2"},
	}
	for _, t := range []struct {
		table, ind, key, unit, zh, en string
		decimals                      int
	}{
		{"table1", "population_density", "density", "人/km²", "人口密度", "population density", 1},
		{"table1", "gdp_per_capita", "gdp_per_capita", "万元", "人均GDP", "GDP per capita", 2},
		{"table2", "rd_personnel_per_project", "rd_personnel_per_project", "人/项", "单个R&D项目从业人数", "R&D personnel per R&D project", 2},
		{"table2", "patents_per_rd_expenditure", "patents_per_rd_expenditure", "件/万元", "单位R&D投资产出专利数", "patents per unit of R&D expenditure", 2},
	} {
		for _, c := range codes {
			zh, en := name(c)
			v, ok := val(c, t.ind)
			cl := Claim{ID: fmt.Sprintf("%s.%s.%s", t.table, t.key, c), Group: t.table, Unit: t.unit, Source: "paper " + map[string]string{"table1": "Table 1", "table2": "Table 2"}[t.table],
				ClaimZH: fmt.Sprintf("%s城市群%s", zh, t.zh), ClaimEN: fmt.Sprintf("%s %s", en, t.en), Status: PublishedOnly, Tolerance: ptr(halfUnit(t.decimals)),
				ReasonZH: reasons[t.table][0], ReasonEN: reasons[t.table][1]}
			if ok {
				cl.Published = ptr(v)
			}
			out = append(out, cl)
		}
	}

	// ---- Table 3: agglomeration means and ranks ----
	printedMean := map[string]map[string][2]float64{ // dimension → agglomeration → (mean, rank), from the text of section III
		"innovation_performance": {"CC": {42.25, 3}, "MYR": {36.54, 5}, "YRD": {47.93, 2}, "BTH": {41.31, 4}},
	}
	sections := map[string]string{"CC": "III.1", "MYR": "III.2", "YRD": "III.3", "BTH": "III.4"}
	for _, d := range append([]string{"composite"}, Table3Dimensions()...) {
		means := AgglomerationMeans(ds, d)
		ranks := rankDesc(means)
		dn := dimNames[d]
		for i, c := range codes {
			zh, en := name(c)
			a, _ := ds.Registry.Lookup(c)
			members := a.MemberCodes(dataset.LevelProvince)
			mean := Claim{ID: fmt.Sprintf("table3.mean.%s.%s", d, c), Group: "table3", Unit: "score", Tolerance: ptr(halfUnit(2)), Source: "paper Table 3",
				ClaimZH: fmt.Sprintf("%s城市群%s平均值（%d个省级单位）", zh, dn[0], len(members)), ClaimEN: fmt.Sprintf("%s mean %s over its %d provinces", en, dn[1], len(members)),
				Formula: "mean of the member provinces' Table 3 values"}
			rank := Claim{ID: fmt.Sprintf("table3.rank.%s.%s", d, c), Group: "table3", Unit: "rank", Tolerance: ptr(0), Source: "paper Table 3",
				ClaimZH: fmt.Sprintf("%s城市群%s平均值在五大城市群中的位次", zh, dn[0]), ClaimEN: fmt.Sprintf("%s rank of mean %s among the five", en, dn[1]),
				Formula: "rank of the agglomeration means, highest = 1, ties share the lowest rank"}
			if !math.IsNaN(means[i]) {
				mean.Computed, rank.Computed = ptr(means[i]), ptr(float64(ranks[i]))
			}
			if pm, ok := printedMean[d][c]; ok {
				mean.Published, rank.Published = ptr(pm[0]), ptr(pm[1])
				mean.Source, rank.Source = "paper "+sections[c]+", Table 3", "paper "+sections[c]+", Table 3"
				mean.Status = closeTo(pm[0], means[i], halfUnit(2))
				rank.Status = closeTo(pm[1], float64(ranks[i]), 0)
			} else {
				for _, cl := range []*Claim{&mean, &rank} {
					cl.Status = NotCheckable
					cl.ReasonZH, cl.ReasonEN = "论文正文未印出该值，此为由表3计算的值", "the text prints no value for this; computed from Table 3"
				}
			}
			out = append(out, mean, rank)
		}
	}
	w, resMax, err := Table3Weights(ds)
	if err != nil {
		w = map[string]float64{}
		for _, d := range Table3Dimensions() {
			w[d] = math.NaN()
		}
	}
	cric := map[string]float64{"knowledge_creation": 0.15, "knowledge_acquisition": 0.15, "enterprise_innovation": 0.25, "innovation_environment": 0.25, "innovation_performance": 0.20}
	for _, d := range Table3Dimensions() {
		dn := dimNames[d]
		out = append(out, Claim{ID: "table3.weight." + d, Group: "table3", Unit: "weight", Published: ptr(cric[d]), Computed: ptr(w[d]), Tolerance: ptr(halfUnit(2)),
			Status: closeTo(cric[d], w[d], halfUnit(2)), Source: "paper Table 3; weights of the CRIC 2019 report (not printed in the paper)",
			ClaimZH: fmt.Sprintf("表3综合值是各维度的固定加权：%s的权重", dn[0]), ClaimEN: fmt.Sprintf("Table 3's composite is a fixed weighting of its dimensions: weight of %s", dn[1]),
			Formula: "non-negative least squares of the composite on the five dimensions, no intercept, over the 13 provinces"})
	}
	tolRes := 0.01 // printed composite ±0.005 plus the weighted rounding of five printed dimensions (Σw·0.005 = 0.005)
	out = append(out, Claim{ID: "table3.weight.residual_max", Group: "table3", Unit: "score", Computed: ptr(resMax), Tolerance: ptr(tolRes),
		Status: map[bool]Status{true: Match, false: Mismatch}[resMax <= tolRes], Source: "paper Table 3",
		ClaimZH: "按回归权重重算的综合值与表3的最大绝对残差（不超过四舍五入误差即说明综合值是固定加权）", ClaimEN: "Largest absolute residual of the composite refit with the recovered weights (within rounding means the composite is a fixed weighting)",
		Formula: "max_p |composite_p − Σ_d w_d·dim_{p,d}|", ReasonZH: "容差为印刷舍入误差 0.005 + Σw·0.005", ReasonEN: "tolerance is the printing rounding 0.005 + Σw·0.005"})

	out = append(out, claims(ds, name, fig1, hasFig1)...)
	for i := range out {
		settle(&out[i])
	}
	sort.SliceStable(out, func(i, j int) bool { return groupOrder(out[i].Group) < groupOrder(out[j].Group) })
	return out, nil
}

func groupOrder(g string) int {
	for i, x := range []string{"overview", "fig1", "table1", "table2", "table3", "claims"} {
		if g == x {
			return i
		}
	}
	return 99
}

// figure1Check finds the Figure 1 consistency check among the dataset's
// checks (present for the embedded paper data).
func figure1Check(ds *dataset.Dataset) (dataset.Check, bool) {
	for _, c := range ds.Checks {
		if c.ID == "fig1.check.yrd_gdp" {
			return c, true
		}
	}
	return dataset.Check{}, false
}

// settle turns values the loaded data could not provide into explicit
// gaps: a NaN is no value, and a comparison without both values cannot be
// checked.
func settle(c *Claim) {
	if c.Published != nil && (math.IsNaN(*c.Published) || math.IsInf(*c.Published, 0)) {
		c.Published = nil
	}
	if c.Computed != nil && (math.IsNaN(*c.Computed) || math.IsInf(*c.Computed, 0)) {
		c.Computed = nil
	}
	if (c.Status == Match || c.Status == Mismatch) && c.Computed == nil {
		c.Status = NotCheckable
		c.ReasonZH = "载入的数据缺少核对所需的数值（不带 --data 运行可核对论文数据）"
		c.ReasonEN = "the loaded data lack the values this check needs (run without --data to check the paper's data)"
	}
	// Statements (group "claims") may be published-only without a number
	// (the paper states an order that its figures do not print); a table
	// value without its number means the loaded data lack it.
	if c.Status == Constraint && c.Published == nil {
		c.Status = NotCheckable
		c.ReasonZH = "载入的数据中没有论文的这一数值（不带 --data 运行可查看）"
		c.ReasonEN = "the loaded data do not contain this number of the paper (run without --data to see it)"
	}
	if c.Status == PublishedOnly && c.Published == nil && c.Group != "claims" {
		c.Status = NotCheckable
		c.ReasonZH = "载入的数据中没有论文的这一数值（不带 --data 运行可查看）"
		c.ReasonEN = "the loaded data do not contain this number of the paper (run without --data to see it)"
	}
}
