package replicate

import (
	"fmt"
	"math"
	"strings"

	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"

	"agglo/internal/dataset"
	"agglo/internal/i18n"
)

// statusOf combines the readings of a claim: match when every reading
// holds, mismatch when none does, mixed otherwise.
func statusOf(rs []Reading) Status {
	holds := 0
	for _, r := range rs {
		if r.Holds {
			holds++
		}
	}
	switch holds {
	case len(rs):
		return Match
	case 0:
		return Mismatch
	}
	return Mixed
}

func reasonOf(rs []Reading) (string, string) {
	var zh, en []string
	for _, r := range rs {
		okZH, okEN := "不成立", "does not hold"
		if r.Holds {
			okZH, okEN = "成立", "holds"
		}
		zh = append(zh, fmt.Sprintf("%s：%s（%s）", r.Name.ZH, okZH, r.Detail.ZH))
		en = append(en, fmt.Sprintf("%s: %s (%s)", r.Name.EN, okEN, r.Detail.EN))
	}
	return strings.Join(zh, "；"), strings.Join(en, "; ")
}

// agglomerationNames names the five in both languages, in the order of
// dataset.AgglomerationCodes.
func agglomerationNames(ds *dataset.Dataset) []i18n.Text {
	var out []i18n.Text
	for _, c := range dataset.AgglomerationCodes() {
		if r, ok := ds.Registry.Lookup(c); ok {
			out = append(out, i18n.T(r.ShortZH, c))
		} else {
			out = append(out, i18n.T(c, c))
		}
	}
	return out
}

func listValues(ds *dataset.Dataset, x []float64, format string) (string, string) {
	names := agglomerationNames(ds)
	var zh, en []string
	for i, v := range x {
		zh = append(zh, names[i].ZH+" "+fmt.Sprintf(format, v))
		en = append(en, names[i].EN+" "+fmt.Sprintf(format, v))
	}
	return strings.Join(zh, "、"), strings.Join(en, ", ")
}

// profileZ returns, for each Table 3 dimension, the agglomeration's mean
// over its member provinces as a z-score against every province of the
// data with that dimension (population standard deviation).
func profileZ(ds *dataset.Dataset, code string) map[string]float64 {
	a, ok := ds.Registry.Lookup(code)
	if !ok {
		return nil
	}
	out := map[string]float64{}
	for _, d := range Table3Dimensions() {
		var all []float64
		for i := range ds.Regions {
			r := &ds.Regions[i]
			if r.Level != dataset.LevelProvince {
				continue
			}
			if v, ok := ds.Value(r.Code, "cric_"+d, year); ok {
				all = append(all, v)
			}
		}
		var sum float64
		n := 0
		for _, p := range a.MemberCodes(dataset.LevelProvince) {
			if v, ok := ds.Value(p, "cric_"+d, year); ok {
				sum += v
				n++
			}
		}
		if n == 0 || len(all) < 3 {
			return nil
		}
		m, sd := stat.PopMeanStdDev(all, nil)
		if !(sd > 0) {
			return nil
		}
		out[d] = (sum/float64(n) - m) / sd
	}
	return out
}

// lowClaim checks a "low" claim of section III two ways, the same for
// every agglomeration: (1) among the five, low = 4th or 5th of the five
// agglomeration means; (2) against the agglomeration's own profile, low =
// the dimension's z-score (against every province) below the mean z of its
// five dimensions.
func lowClaim(ds *dataset.Dataset, pos map[string]int, id, zh, en, source, dim, code string) Claim {
	means := AgglomerationMeans(ds, dim)
	c := Claim{ID: id, Group: "claims", ClaimZH: zh, ClaimEN: en, Unit: "rank", Source: source,
		Formula: "two readings: rank of the agglomeration means of Table 3 (low = 4th or 5th of five); the dimension's z against every province below the agglomeration's mean z over the five dimensions"}
	i := pos[code]
	z := profileZ(ds, code)
	if math.IsNaN(means[i]) || z == nil {
		c.Status, c.ReasonZH, c.ReasonEN = NotCheckable, "载入的数据缺少表3的省级数值", "the loaded data lack Table 3's province values"
		return c
	}
	r := rankDesc(means)[i]
	c.Computed = ptr(float64(r))
	lz, le := listValues(ds, means, "%.2f")
	rank := Reading{ID: "rank_among_five", Name: i18n.T("在五大城市群中的位次", "rank among the five"), Computed: ptr(float64(r)), Holds: r >= 4,
		Detail: i18n.T(fmt.Sprintf("各城市群成员省均值：%s；第 %d 位，“较低”按第4或第5位读", lz, r), fmt.Sprintf("member-province means: %s; rank %d, \"low\" read as 4th or 5th", le, r))}
	var zs []float64
	weakest := true
	for _, d := range Table3Dimensions() {
		zs = append(zs, z[d])
		if z[d] < z[dim] {
			weakest = false
		}
	}
	own := mean(zs)
	dn := dimNames[dim]
	detZH := fmt.Sprintf("%s的 z 分数为 %.2f，本城市群五个维度的平均 z 分数为 %.2f", dn[0], z[dim], own)
	detEN := fmt.Sprintf("z of %s %.2f, the agglomeration's mean z over the five dimensions %.2f", dn[1], z[dim], own)
	if weakest {
		detZH += "；是其最弱的维度"
		detEN += "; its weakest dimension"
	}
	profile := Reading{ID: "own_profile", Name: i18n.T("相对本城市群自身的结构", "against its own profile"), Computed: ptr(z[dim] - own), Holds: z[dim] < own,
		Detail: i18n.T(detZH, detEN)}
	c.Readings = []Reading{rank, profile}
	c.Status = statusOf(c.Readings)
	c.ReasonZH, c.ReasonEN = reasonOf(c.Readings)
	return c
}

func mean(xs []float64) float64 {
	var s float64
	for _, x := range xs {
		s += x
	}
	return s / float64(len(xs))
}

// shanghaiClaim checks "区域内知识获取指标位列全国第1名" (III.3) on
// Shanghai among the provinces of the data and on the agglomeration among
// the five.
func shanghaiClaim(ds *dataset.Dataset, pos map[string]int) Claim {
	c := Claim{ID: "claim.shanghai_first_knowledge_acquisition", Group: "claims", ClaimZH: "长三角区域内知识获取指标位列全国第1名", ClaimEN: "The Yangtze River Delta ranks first nationally on knowledge acquisition",
		Published: ptr(1), Unit: "rank", Tolerance: ptr(0), Source: "paper III.3, Table 3",
		Formula: "two readings: Shanghai's rank among the provinces of the data; the rank of YRD's member-province mean among the five"}
	var x []float64
	at := -1
	for i := range ds.Regions {
		r := &ds.Regions[i]
		if r.Level != dataset.LevelProvince {
			continue
		}
		if v, ok := ds.Value(r.Code, "cric_knowledge_acquisition", year); ok {
			if r.Code == "310000" {
				at = len(x)
			}
			x = append(x, v)
		}
	}
	means := AgglomerationMeans(ds, "knowledge_acquisition")
	if at < 0 || math.IsNaN(means[pos["YRD"]]) {
		c.Status = NotCheckable
		c.ReasonZH, c.ReasonEN = "载入的数据缺少表3的知识获取指标", "the loaded data lack Table 3's knowledge acquisition"
		return c
	}
	rs := rankAt(x, at)
	ra := rankDesc(means)[pos["YRD"]]
	lz, le := listValues(ds, means, "%.2f")
	c.Readings = []Reading{
		{ID: "shanghai_among_provinces", Name: i18n.T("上海在各省中的位次", "Shanghai among the provinces"), Computed: ptr(float64(rs)), Holds: rs == 1,
			Detail: i18n.T(fmt.Sprintf("上海 %.2f，在数据中的 %d 个省级单位中第 %d 位（表3只列出 13 个，不是全国 31 个）", x[at], len(x), rs),
				fmt.Sprintf("Shanghai %.2f, rank %d among the %d provinces of the data (Table 3 lists 13, not all 31)", x[at], rs, len(x)))},
		{ID: "agglomeration_among_five", Name: i18n.T("长三角城市群在五大城市群中的位次", "YRD among the five"), Computed: ptr(float64(ra)), Holds: ra == 1,
			Detail: i18n.T(fmt.Sprintf("成员省均值：%s；长三角第 %d 位", lz, ra), fmt.Sprintf("member-province means: %s; YRD rank %d", le, ra))},
	}
	c.Computed = ptr(float64(ra))
	c.Status = statusOf(c.Readings)
	c.ReasonZH, c.ReasonEN = reasonOf(c.Readings)
	return c
}

// densityGDPClaim checks "城市群人口密度和当地年度GDP总值呈明显正相关"
// (II.1) with the Pearson correlation of Table 1's densities and Figure 1's
// GDP (derived from Table 1 and the II.1 totals; YRD the derived value
// 19.695万亿元), against the two-sided 5% critical value for n = 5:
//
//	r_c = t_{0.975, n−2} / sqrt(t² + n − 2)
func densityGDPClaim(ds *dataset.Dataset, fig1 dataset.Check, hasFig1 bool) Claim {
	c := Claim{ID: "claim.density_gdp_correlation", Group: "claims", ClaimZH: "城市群人口密度和当地年度GDP总值呈明显正相关", ClaimEN: "Population density and GDP are clearly positively correlated across the agglomerations",
		Unit: "r", Source: "paper II.1, Table 1, Figure 1",
		Formula: "Pearson r of Table 1 density and Figure 1 GDP (derived) over the five; 'clearly positive' read as r above the two-sided 5% critical value for n = 5"}
	var d, g []float64
	for _, code := range dataset.AgglomerationCodes() {
		dv, ok1 := ds.Value(code, "population_density", year)
		gv, ok2 := ds.Value(code, "gdp", year)
		if code == "YRD" && hasFig1 {
			gv, ok2 = fig1.Derived, true
		}
		if !ok1 || !ok2 {
			c.Status, c.ReasonZH, c.ReasonEN = NotCheckable, "载入的数据缺少表1密度或图1的GDP推算值", "the loaded data lack Table 1's densities or Figure 1's derived GDP"
			return c
		}
		d, g = append(d, dv), append(g, gv)
	}
	r := stat.Correlation(d, g, nil)
	n := float64(len(d))
	t := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: n - 2}.Quantile(0.975)
	rc := t / math.Sqrt(t*t+n-2)
	c.Computed = ptr(r)
	c.Status = map[bool]Status{true: Match, false: Mismatch}[r >= rc]
	c.ReasonZH = fmt.Sprintf("表1密度与图1推算GDP的相关系数 r = %.2f，五个样本在5%%显著水平下需 r ≥ %.3f 才算明显正相关；论文自己的数字不支持这一说法", r, rc)
	c.ReasonEN = fmt.Sprintf("the correlation of Table 1's densities with Figure 1's derived GDP is r = %.2f; with five observations a clear positive correlation needs r ≥ %.3f at the 5%% level: the paper's own numbers do not support the claim", r, rc)
	if c.Status == Match {
		c.ReasonZH = fmt.Sprintf("相关系数 r = %.2f ≥ %.3f（五个样本、5%%显著水平）", r, rc)
		c.ReasonEN = fmt.Sprintf("r = %.2f ≥ %.3f (five observations, 5%% level)", r, rc)
	}
	return c
}

// table2Magnitudes sets Table 2's patents per unit of R&D expenditure
// (件/万元) against the member provinces' patent applications over their
// R&D expenditure in the province statistics, when loaded.
func table2Magnitudes(ds *dataset.Dataset) []Claim {
	var out []Claim
	var ratios []float64
	names := agglomerationNames(ds)
	for i, code := range dataset.AgglomerationCodes() {
		zh, en := names[i].ZH, names[i].EN
		c := Claim{ID: "table2.magnitude." + code, Group: "table2", Unit: "件/万元", Source: "paper Table 2; province statistics (China Statistical Yearbook on Science and Technology 2020)",
			ClaimZH:  fmt.Sprintf("%s城市群单位R&D投资产出专利数的量级（与省级统计对照）", zh),
			ClaimEN:  fmt.Sprintf("%s patents per unit of R&D expenditure: magnitude against the province statistics", en),
			Formula:  "Σ patent applications / Σ R&D expenditure (万元) over the member provinces; grants as a second reading",
			Status:   NotCheckable,
			ReasonZH: "需要省级的专利申请数与R&D经费（例如 2019 年各省科技统计）", ReasonEN: "needs the provinces' patent applications and R&D expenditure (for example the 2019 province science and technology statistics)"}
		pub, ok := ds.Value(code, "patents_per_rd_expenditure", year)
		a, _ := ds.Registry.Lookup(code)
		if ok {
			c.Published = ptr(pub)
		}
		members := a.ProvinceMembers
		apps, ok1 := ds.RollUp(members, "patent_applications", year, false)
		gr, ok2 := ds.RollUp(members, "patent_grants", year, false)
		rd, ok3 := ds.RollUp(members, "rd_expenditure", year, false)
		if !ok || !ok1 || !ok3 || len(apps.Missing)+len(rd.Missing) > 0 || !(rd.Value > 0) {
			out = append(out, c)
			continue
		}
		perApp := apps.Value / rd.Value
		c.Computed = ptr(perApp)
		c.Tolerance = ptr(halfUnit(2))
		c.Status = closeTo(pub, perApp, halfUnit(2))
		ratios = append(ratios, pub/perApp)
		c.Readings = []Reading{{ID: "applications", Name: i18n.T("专利申请数 / R&D经费", "applications over R&D expenditure"), Computed: ptr(perApp), Holds: c.Status == Match,
			Detail: i18n.Tf("%.4f 件/万元，论文值是其 %.1f 倍", "%.4f per 万元; the paper's value is %.1f times it", perApp, pub/perApp)}}
		if ok2 && len(gr.Missing) == 0 {
			perGrant := gr.Value / rd.Value
			c.Readings = append(c.Readings, Reading{ID: "grants", Name: i18n.T("专利授权数 / R&D经费", "grants over R&D expenditure"), Computed: ptr(perGrant), Holds: math.Abs(pub-perGrant) <= halfUnit(2)+1e-12,
				Detail: i18n.Tf("%.4f 件/万元，论文值是其 %.1f 倍", "%.4f per 万元; the paper's value is %.1f times it", perGrant, pub/perGrant)})
		}
		out = append(out, c)
	}
	if len(ratios) == 0 {
		return out
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, r := range ratios {
		lo, hi = math.Min(lo, r), math.Max(hi, r)
	}
	for i := range out {
		if out[i].Computed == nil || out[i].Status != Mismatch {
			continue
		}
		rz, re := reasonOf(out[i].Readings)
		out[i].ReasonZH = fmt.Sprintf("%s。五个城市群的论文值是成员省合计值的 %.0f—%.0f 倍，相差约一个数量级；城市群只是成员省的一部分，口径差异不会造成这样的差距，很可能是单位错误（例如把万元当作十万元），按单位错误处理", rz, lo, hi)
		out[i].ReasonEN = fmt.Sprintf("%s. Across the five the paper's values are %.0f to %.0f times the member-province values, about an order of magnitude; the agglomerations are parts of their provinces, which cannot make such a gap: most likely a unit slip (for example 万元 for 十万元), reported as such", re, lo, hi)
	}
	return out
}

// rdPersonnelClaim checks the personnel half of "京津冀城市群在R&D机构和
// 从业人员数量上位居五大城市群首位" (II.3) with the member provinces' R&D
// personnel in full-time equivalent, when the province statistics are
// loaded.
func rdPersonnelClaim(ds *dataset.Dataset, pos map[string]int) Claim {
	c := Claim{ID: "claim.bth_first_rd_personnel_fte", Group: "claims", ClaimZH: "京津冀城市群R&D从业人员数量位居五大城市群首位（以R&D人员全时当量核对）",
		ClaimEN: "BTH is first of the five on R&D personnel (checked with R&D personnel in full-time equivalent)", Published: ptr(1), Unit: "rank", Tolerance: ptr(0),
		Source: "paper II.3, Figure 3; province statistics", Formula: "rank of Σ R&D personnel (FTE) over the member provinces among the five",
		Status: NotCheckable, ReasonZH: "需要省级的R&D人员全时当量", ReasonEN: "needs the provinces' R&D personnel in full-time equivalent"}
	x := make([]float64, len(dataset.AgglomerationCodes()))
	for i, code := range dataset.AgglomerationCodes() {
		a, _ := ds.Registry.Lookup(code)
		r, ok := ds.RollUp(a.ProvinceMembers, "rd_personnel_fte", year, false)
		if !ok || len(r.Missing) > 0 {
			return c
		}
		x[i] = r.Value / 1e4
	}
	rank := rankDesc(x)[pos["BTH"]]
	c.Computed = ptr(float64(rank))
	c.Status = closeTo(1, float64(rank), 0)
	lz, le := listValues(ds, x, "%.1f")
	c.ReasonZH = fmt.Sprintf("成员省R&D人员全时当量合计（万人年）：%s；京津冀第 %d 位。全时当量不等于从业人数，省的范围也大于城市群；R&D机构数未核对", lz, rank)
	c.ReasonEN = fmt.Sprintf("member provinces' R&D personnel, full-time equivalent (10,000 person-years): %s; BTH rank %d. Full-time equivalents are not headcounts and the provinces are wider than the agglomerations; R&D institutions are not checked", le, rank)
	return c
}
