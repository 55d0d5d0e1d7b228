package analysis

import (
	"fmt"
	"math"
	"strconv"

	"agglo/internal/dataset"
	"agglo/internal/i18n"
	"agglo/internal/measure"
)

// readWeights reads the weight indicator of req (nil without one) for the
// units of u in their year, checking that the weights are positive.
func readWeights(ds *dataset.Dataset, u *Units, req MeasureRequest, method string) ([]float64, string, error) {
	if req.Weight == "" {
		return nil, "", nil
	}
	wu, err := CrossSection(ds, Selection{Indicators: []string{req.Weight}, Year: u.Year, Level: u.Level, Lang: req.Lang})
	if err != nil {
		return nil, "", fieldError(FieldWeight, err)
	}
	w := ds.Column(u.Codes, wu.Indicators[0], u.Year)
	if err := validate(method+" weights", u, w, measure.Positive|measure.AllowMissing); err != nil {
		return nil, "", fieldError(FieldWeight, err)
	}
	return w, wu.Indicators[0], nil
}

// indicatorName is an indicator's name in lang (its code when unknown).
func indicatorName(ds *dataset.Dataset, code, lang string) string {
	if ind, ok := ds.Indicator(code); ok {
		return ind.Name(lang)
	}
	return code
}

// groupName is a group's display name: the registry's name of an
// agglomeration code, else the label itself.
func groupName(ds *dataset.Dataset, label, lang string) string {
	if r, ok := ds.Registry.Lookup(label); ok {
		return r.Name(lang)
	}
	return label
}

// dagumMeasure decomposes the Gini coefficient by group (Dagum 1997).
func dagumMeasure(ds *dataset.Dataset, req MeasureRequest) (*MeasureResult, error) {
	if err := needIndicator(req); err != nil {
		return nil, err
	}
	if req.Group == "" {
		return nil, fieldError(FieldGroup, i18n.Errorf("dagum 需要分组（例如 agglomeration 或一个分组列）", "dagum needs a grouping (agglomeration or a group-label column)"))
	}
	u, err := CrossSection(ds, Selection{Indicators: []string{req.Indicator}, Year: req.Year, Lang: req.Lang})
	if err != nil {
		return nil, err
	}
	y := u.Values[0]
	w, wcode, err := readWeights(ds, u, req, "dagum")
	if err != nil {
		return nil, err
	}
	if err := validate("dagum", u, y, measure.NonNegative|measure.AllowMissing); err != nil {
		return nil, err
	}
	groups, gnames, err := groupsFor(ds, u, req)
	if err != nil {
		return nil, fieldError(FieldGroup, err)
	}
	yy, ww, gg := dropUngrouped(y, w, groups)
	res := &MeasureResult{Method: "dagum", Indicator: u.Indicators[0], Weight: wcode, Year: u.Year, Level: string(u.Level),
		Formula: "G = Σ_j Σ_h Σ_i Σ_r |y_ji − y_hr| / (2n²μ) = G_w + G_nb + G_t; G_w = Σ_j G_jj p_j s_j, G_nb = Σ_{j<h} G_jh (p_j s_h + p_h s_j) D_jh, G_t = the same with (1 − D_jh); weights as frequencies (Dagum 1997; docs/methods.md, dagum)"}
	if u.Dropped > 0 {
		res.note(req.Lang, "已忽略其他层级的 "+strconv.Itoa(u.Dropped)+" 个地区", strconv.Itoa(u.Dropped)+" regions at other levels left out")
	}
	if len(yy) < len(y) {
		res.note(req.Lang, strconv.Itoa(len(y)-len(yy))+" 个不属于任何组的地区已忽略", strconv.Itoa(len(y)-len(yy))+" regions outside every group left out")
	}
	r := measure.Dagum(yy, ww, gg)
	if r.N == 0 || math.IsNaN(r.Gini) {
		return nil, i18n.Errorf("dagum：没有可用的数值（全为零或缺失）", "dagum: no usable values (all zero or missing)")
	}
	res.N = r.N
	res.Value, res.Within, res.Between, res.Transvariation = nump(r.Gini), nump(r.Within), nump(r.NetBetween), nump(r.Transvariation)
	res.Stats = map[string]Num{"within_share": Num(r.Within / r.Gini), "between_share": Num(r.NetBetween / r.Gini), "transvariation_share": Num(r.Transvariation / r.Gini)}
	worst := -1
	for k, g := range r.Groups {
		gv := GroupValue{Group: gnames[g.Group], N: g.N, Value: nump(g.Gini), Contribution: nump(g.Contribution), Share: nump(g.Contribution / r.Gini),
			Measures: map[string]Num{"mean": Num(g.Mean), "population_share": Num(g.PopulationShare), "income_share": Num(g.IncomeShare)}}
		gv.Name = groupName(ds, gv.Group, req.Lang)
		if gv.Name == gv.Group {
			gv.Name = ""
		}
		res.Groups = append(res.Groups, gv)
		if !math.IsNaN(g.Gini) && (worst < 0 || g.Gini > r.Groups[worst].Gini) {
			worst = k
		}
	}
	widest := -1
	for k, p := range r.Pairs {
		res.Pairs = append(res.Pairs, PairValue{A: gnames[p.A], B: gnames[p.B], Value: nump(p.Gini), Affluence: nump(p.Affluence),
			NetBetween: nump(p.NetBetween), Transvariation: nump(p.Transvariation)})
		if widest < 0 || p.Gini > r.Pairs[widest].Gini {
			widest = k
		}
	}
	pct := func(v float64) float64 { return 100 * v / r.Gini }
	zh := fmt.Sprintf("总体基尼系数 %.4f：组内差异占 %.1f%%，组间净差异占 %.1f%%，超变密度（组间交叠）占 %.1f%%。", r.Gini, pct(r.Within), pct(r.NetBetween), pct(r.Transvariation))
	en := fmt.Sprintf("Gini %.4f: within-group %.1f%%, net between-group %.1f%%, transvariation (overlap of the groups) %.1f%%.", r.Gini, pct(r.Within), pct(r.NetBetween), pct(r.Transvariation))
	if worst >= 0 {
		g := res.Groups[worst]
		zh += fmt.Sprintf("组内差异最大的是%s（%.4f）", groupName(ds, g.Group, i18n.ZH), float64(*g.Value))
		en += fmt.Sprintf(" The most unequal group is %s (%.4f)", groupName(ds, g.Group, i18n.EN), float64(*g.Value))
	}
	if widest >= 0 {
		p := res.Pairs[widest]
		zh += fmt.Sprintf("，组间差异最大的是%s与%s（%.4f）", groupName(ds, p.A, i18n.ZH), groupName(ds, p.B, i18n.ZH), float64(*p.Value))
		en += fmt.Sprintf("; the widest gap lies between %s and %s (%.4f)", groupName(ds, p.A, i18n.EN), groupName(ds, p.B, i18n.EN), float64(*p.Value))
	}
	res.summary(req.Lang, zh+"。", en+".")
	return res, nil
}

// Source is one source of a Gini source decomposition (Lerman and
// Yitzhaki 1985).
type Source struct {
	Source            string `json:"source"`
	Name              string `json:"name,omitempty"`
	Mean              *Num   `json:"mean"`
	Share             *Num   `json:"share"`
	Gini              *Num   `json:"gini"`
	Correlation       *Num   `json:"correlation"`
	Contribution      *Num   `json:"contribution"`
	ContributionShare *Num   `json:"contribution_share"`
	MarginalEffect    *Num   `json:"marginal_effect"`
}

// giniSourcesMeasure decomposes the Gini coefficient of the sum of the
// indicators by source.
func giniSourcesMeasure(ds *dataset.Dataset, req MeasureRequest) (*MeasureResult, error) {
	if err := needIndicators(req, req.Indicators, "--indicators", 2); err != nil {
		return nil, fieldError(FieldIndicators, err)
	}
	u, err := CrossSection(ds, Selection{Indicators: req.Indicators, Year: req.Year, Lang: req.Lang})
	if err != nil {
		return nil, err
	}
	u, dropped := completeRows(u)
	for k := range u.Values {
		if err := validate("gini-sources", u, u.Values[k], 0); err != nil {
			return nil, err
		}
	}
	r := measure.GiniSources(rows(u))
	if r.N < 2 || math.IsNaN(r.Gini) {
		return nil, i18n.Errorf("gini-sources 需要至少 2 个数据完整的地区，且各来源之和的均值为正", "gini-sources needs at least 2 regions with complete data and a positive mean total")
	}
	res := &MeasureResult{Method: "gini-sources", Indicators: u.Indicators, Year: u.Year, Level: string(u.Level), N: r.N, Value: nump(r.Gini),
		Stats:   map[string]Num{"mean": Num(r.Mean)},
		Formula: "G = Σ_k S_k G_k R_k, S_k = μ_k/μ, G_k = 2 cov(x_k, F_k)/μ_k, R_k = cov(x_k, F)/cov(x_k, F_k); contribution share S_k G_k R_k / G, marginal effect share_k − S_k (Lerman and Yitzhaki 1985; docs/methods.md, gini-sources)"}
	res.noteIncomplete(req.Lang, dropped)
	top := 0
	for k, s := range r.Sources {
		res.Sources = append(res.Sources, Source{Source: u.Indicators[k], Name: indicatorName(ds, u.Indicators[k], req.Lang), Mean: nump(s.Mean), Share: nump(s.Share),
			Gini: nump(s.Gini), Correlation: nump(s.Correlation), Contribution: nump(s.Contribution), ContributionShare: nump(s.ContributionShare), MarginalEffect: nump(s.MarginalEffect)})
		if s.ContributionShare > r.Sources[top].ContributionShare {
			top = k
		}
	}
	var upZH, upEN []string
	for k, s := range r.Sources {
		if s.MarginalEffect > 0 {
			upZH, upEN = append(upZH, indicatorName(ds, u.Indicators[k], i18n.ZH)), append(upEN, indicatorName(ds, u.Indicators[k], i18n.EN))
		}
	}
	t := r.Sources[top]
	zh := fmt.Sprintf("总量基尼系数 %.4f；贡献最大的来源是%s（占总量 %.1f%%，贡献 %.1f%% 的不平等）。", r.Gini, indicatorName(ds, u.Indicators[top], i18n.ZH), 100*t.Share, 100*t.ContributionShare)
	en := fmt.Sprintf("Gini of the total %.4f; the largest contributor is %s (%.1f%% of the total, %.1f%% of the inequality).", r.Gini, indicatorName(ds, u.Indicators[top], i18n.EN), 100*t.Share, 100*t.ContributionShare)
	if len(upZH) > 0 {
		zh += "各地区同比例增加后会扩大不平等的来源：" + listNames(upZH, i18n.ZH) + "。"
		en += " Sources that would raise inequality if they grew by 1% everywhere: " + listNames(upEN, i18n.EN) + "."
	}
	res.summary(req.Lang, zh, en)
	return res, nil
}
