package analysis

import (
	"errors"
	"math"
	"slices"
	"strconv"

	"agglo/internal/dataset"
	"agglo/internal/i18n"
	"agglo/internal/measure"
)

// SigmaYear is σ-convergence in one year: the standard deviation of ln x
// (divisor n) and the coefficient of variation of x over the units with a
// value.
type SigmaYear struct {
	Year  int  `json:"year"`
	N     int  `json:"n"`
	Value *Num `json:"value"`
	CV    *Num `json:"cv"`
}

// Beta is a β-convergence regression (ln x_T − ln x_0)/T = a + b·ln x_0
// (+ controls) by OLS: the coefficient b with its standard error, t and
// two-tailed p, R², the rate λ = −ln(1 + bT)/T and the half-life ln 2/λ
// (null unless λ > 0).
type Beta struct {
	Coefficient *Num      `json:"coefficient"`
	SE          *Num      `json:"se"`
	T           *Num      `json:"t"`
	P           *Num      `json:"p"`
	R2          *Num      `json:"r2"`
	AdjR2       *Num      `json:"adj_r2"`
	Rate        *Num      `json:"rate"`
	HalfLife    *Num      `json:"half_life"`
	N           int       `json:"n"`
	Dropped     int       `json:"dropped,omitempty"`
	Span        int       `json:"span"`
	Robust      bool      `json:"robust"`
	Intercept   *Num      `json:"intercept"`
	InterceptSE *Num      `json:"intercept_se"`
	Controls    []Control `json:"controls,omitempty"`
}

// Control is the coefficient of a control variable of conditional β.
type Control struct {
	Indicator   string `json:"indicator"`
	Coefficient *Num   `json:"coefficient"`
	SE          *Num   `json:"se"`
	T           *Num   `json:"t"`
	P           *Num   `json:"p"`
}

// Club is the absolute β-convergence within one group (a convergence
// club such as an agglomeration); Error says why it could not be
// estimated.
type Club struct {
	Group string `json:"group"`
	Name  string `json:"name,omitempty"`
	N     int    `json:"n"`
	Beta  *Beta  `json:"beta,omitempty"`
	Error string `json:"error,omitempty"`
}

func betaOf(r measure.BetaResult) *Beta {
	b := &Beta{Coefficient: nump(r.Slope.Estimate), SE: nump(r.Slope.SE), T: nump(r.Slope.T), P: nump(r.Slope.P),
		R2: nump(r.R2), AdjR2: nump(r.AdjR2), Rate: nump(r.Rate), N: r.N, Dropped: r.Dropped, Span: int(r.Span), Robust: r.Robust,
		Intercept: nump(r.Intercept.Estimate), InterceptSE: nump(r.Intercept.SE)}
	if !math.IsNaN(r.HalfLife) {
		b.HalfLife = nump(r.HalfLife)
	}
	return b
}

// resolveIndicator returns the dataset's code of an indicator code or
// catalogue name, or the error CrossSection gives for it.
func resolveIndicator(ds *dataset.Dataset, code, lang string) (string, error) {
	if _, ok := ds.IndicatorIndex(code); ok {
		return code, nil
	}
	if ind, found := ds.Catalogue.Match(code); found {
		if _, ok := ds.IndicatorIndex(ind.Code); ok {
			return ind.Code, nil
		}
	}
	_, err := CrossSection(ds, Selection{Indicators: []string{code}, Lang: lang})
	if err == nil {
		err = notFound(FieldIndicator, i18n.Errorf("数据中没有指标“%s”", "indicator %q is not in the data", code))
	}
	return "", err
}

// panelUnits returns the units (at one level) with a value of the
// indicator in any of the years, ordered as the dataset lists them.
func panelUnits(ds *dataset.Dataset, code string, years []int, lang string) (*Units, error) {
	last, err := CrossSection(ds, Selection{Indicators: []string{code}, Year: years[len(years)-1], Lang: lang})
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	type unit struct {
		idx        int
		code, name string
	}
	var all []unit
	for _, y := range years {
		u, err := CrossSection(ds, Selection{Indicators: []string{code}, Year: y, Level: last.Level, Lang: lang})
		if err != nil {
			continue // no data at this level in that year
		}
		for i, c := range u.Codes {
			if !seen[c] {
				seen[c] = true
				k, _ := ds.RegionIndex(c)
				all = append(all, unit{k, c, u.Names[i]})
			}
		}
	}
	slices.SortFunc(all, func(a, b unit) int { return a.idx - b.idx })
	out := &Units{Indicators: []string{code}, Level: last.Level, Year: years[0]}
	for _, x := range all {
		out.Codes, out.Names = append(out.Codes, x.code), append(out.Names, x.name)
	}
	return out, nil
}

// convergenceMeasure computes σ-convergence for every year from From to To
// and absolute (or conditional) β-convergence between them, with clubs by
// group.
func convergenceMeasure(ds *dataset.Dataset, req MeasureRequest) (*MeasureResult, error) {
	if err := needIndicator(req); err != nil {
		return nil, err
	}
	code, err := resolveIndicator(ds, req.Indicator, req.Lang)
	if err != nil {
		return nil, err
	}
	all := ds.YearsOf(code, nil)
	if len(all) < 2 {
		return nil, fieldError(FieldIndicator, i18n.Errorf("收敛分析需要至少两个年份的数据（指标“%[1]s”只有 %[3]d 个年份）", "convergence needs data in at least two years (indicator %[2]q has %[3]d)",
			indicatorName(ds, code, i18n.ZH), indicatorName(ds, code, i18n.EN), len(all)))
	}
	from, to := req.From, req.To
	if from == 0 {
		from = all[0]
	}
	if to == 0 {
		to = all[len(all)-1]
	}
	if !slices.Contains(all, from) {
		return nil, fieldError(FieldFromYear, i18n.Errorf("指标“%[1]s”在 %[3]d 年没有数据（有数据的年份：%[4]s）", "indicator %[2]q has no data in %[3]d (years with data: %[4]s)",
			indicatorName(ds, code, i18n.ZH), indicatorName(ds, code, i18n.EN), from, yearList(all)))
	}
	if !slices.Contains(all, to) {
		return nil, fieldError(FieldToYear, i18n.Errorf("指标“%[1]s”在 %[3]d 年没有数据（有数据的年份：%[4]s）", "indicator %[2]q has no data in %[3]d (years with data: %[4]s)",
			indicatorName(ds, code, i18n.ZH), indicatorName(ds, code, i18n.EN), to, yearList(all)))
	}
	if from >= to {
		return nil, fieldError(FieldFromYear, i18n.Errorf("起始年份 %d 必须早于终止年份 %d", "the first year %d must come before the last year %d", from, to))
	}
	var years []int
	for _, y := range all {
		if y >= from && y <= to {
			years = append(years, y)
		}
	}
	u, err := panelUnits(ds, code, years, req.Lang)
	if err != nil {
		return nil, err
	}
	res := &MeasureResult{Method: "convergence", Indicator: code, Level: string(u.Level), N: len(u.Codes), From: from, To: to,
		Formula: "σ_t = sqrt((1/n) Σ_i (ln x_it − mean ln x_t)²) and CV_t per year with OLS trends; β: (ln x_iT − ln x_i0)/T = a + b·ln x_i0 (+ controls at year 0) by OLS, λ = −ln(1 + bT)/T, half-life = ln 2/λ (docs/methods.md, sigma-convergence, beta-convergence)"}
	// σ-convergence over the units present in each year.
	panel := make([][]float64, len(years))
	ty := make([]float64, len(years))
	nonPositive := false
	balanced := true
	for t, y := range years {
		panel[t] = ds.Column(u.Codes, code, y)
		ty[t] = float64(y)
		for _, v := range panel[t] {
			if math.IsNaN(v) {
				balanced = false
			} else if v <= 0 {
				nonPositive = true
			}
		}
	}
	sig := measure.SigmaConvergence(ty, panel)
	for _, p := range sig.Points {
		res.Sigma = append(res.Sigma, SigmaYear{Year: int(p.Year), N: p.N, Value: nump(p.SD), CV: nump(p.CV)})
	}
	sd := Trend{Slope: nump(sig.SDTrend.Slope), Intercept: nump(sig.SDTrend.Intercept), R2: nump(sig.SDTrend.R2), N: sig.SDTrend.N}
	cv := Trend{Slope: nump(sig.CVTrend.Slope), Intercept: nump(sig.CVTrend.Intercept), R2: nump(sig.CVTrend.R2), N: sig.CVTrend.N}
	first, last := sig.Points[0], sig.Points[len(sig.Points)-1]
	sd.Start, sd.End, sd.Change = nump(first.SD), nump(last.SD), nump(last.SD-first.SD)
	cv.Start, cv.End, cv.Change = nump(first.CV), nump(last.CV), nump(last.CV-first.CV)
	res.SigmaTrend, res.CVTrend = &sd, &cv
	if !balanced {
		res.note(req.Lang, "面板不平衡：每年的 σ 只用当年有数据的地区", "unbalanced panel: each year's σ uses the regions with a value in that year")
	}
	if nonPositive {
		res.warn(req.Lang, "有零或负值的年份无法取对数，其 σ 为空（变异系数照常计算）", "years with a zero or negative value have no σ (the logarithm is undefined); their CV is still given")
	}
	// β-convergence between from and to.
	x0, xT := panel[0], panel[len(panel)-1]
	var controls [][]float64
	for _, c := range req.Controls {
		cc, err := resolveIndicator(ds, c, req.Lang)
		if err != nil {
			return nil, fieldError(FieldControls, err)
		}
		col := staticColumn(ds, u.Codes, cc, from)
		if controls == nil {
			controls = make([][]float64, len(u.Codes))
		}
		for i := range controls {
			controls[i] = append(controls[i], col[i])
		}
	}
	opt := measure.BetaOptions{Robust: req.Robust}
	span := float64(to - from)
	br, err := measure.BetaConvergence(x0, xT, span, controls, opt)
	if err != nil {
		return nil, betaError(err, u.Names, from, to, req.Controls)
	}
	res.Beta = betaOf(br)
	for k, c := range req.Controls {
		cf := br.Controls[k]
		res.Beta.Controls = append(res.Beta.Controls, Control{Indicator: c, Coefficient: nump(cf.Estimate), SE: nump(cf.SE), T: nump(cf.T), P: nump(cf.P)})
	}
	if br.Dropped > 0 {
		res.note(req.Lang, strconv.Itoa(br.Dropped)+" 个地区在起止年份缺少数据，未进入 β 回归", strconv.Itoa(br.Dropped)+" regions lack a value in the first or last year and are left out of the β regression")
	}
	// Clubs.
	if req.Group != "" {
		gu := &Units{Codes: u.Codes, Names: u.Names, Level: u.Level, Year: from}
		groups, gnames, err := groupsFor(ds, gu, req)
		if err != nil && !IsNoUnits(err) {
			return nil, fieldError(FieldGroup, err)
		}
		// Units of no agglomeration give no clubs; σ and β stand.
		var a, b []float64
		var g []int
		for i, gi := range groups {
			if gi >= 0 {
				a, b, g = append(a, x0[i]), append(b, xT[i]), append(g, gi)
			}
		}
		for _, gb := range measure.BetaByGroup(a, b, span, g, opt) {
			c := Club{Group: gnames[gb.Group], N: gb.Result.N}
			if r, ok := ds.Registry.Lookup(c.Group); ok {
				c.Name = r.Name(req.Lang)
			}
			if gb.Err != nil {
				c.Error = i18n.Message(betaError(gb.Err, nil, from, to, nil), req.Lang)
			} else {
				c.Beta = betaOf(gb.Result)
			}
			res.Clubs = append(res.Clubs, c)
		}
	}
	res.summary(req.Lang, convergenceSummary(res, i18n.ZH), convergenceSummary(res, i18n.EN))
	return res, nil
}

func yearList(years []int) string {
	s := ""
	for i, y := range years {
		if i > 0 {
			s += ", "
		}
		s += strconv.Itoa(y)
	}
	return s
}

// betaError words an error of measure.BetaConvergence.
func betaError(err error, names []string, from, to int, controls []string) error {
	var ie *measure.InputError
	switch {
	case errors.Is(err, measure.ErrSingular):
		return fieldError(FieldControls, i18n.Errorf("β 回归的解释变量共线，无法估计（检查 --controls）", "the regressors of the β regression are collinear (check the controls)"))
	case errors.As(err, &ie) && ie.Unit >= 0 && ie.Unit < len(names):
		if ie.Method == "β-convergence control" && ie.Column >= 0 && ie.Column < len(controls) {
			return fieldError(FieldControls, i18n.Errorf("控制变量 %s：地区“%s”的值无效", "control %s: region %q has an invalid value", controls[ie.Column], names[ie.Unit]))
		}
		year := from
		if ie.Column == 1 {
			year = to
		}
		return i18n.Errorf("地区“%[1]s”在 %[2]d 年的值为 %[3]g：β 收敛要取对数，值必须为正", "region %[1]q has value %[3]g in %[2]d: β-convergence takes logarithms, so values must be positive", names[ie.Unit], year, ie.Value)
	case errors.As(err, &ie) && ie.Unit < 0:
		return i18n.Errorf("地区太少（%g 个），无法估计 β 回归", "too few regions (%g) to estimate the β regression", ie.Value)
	}
	return err
}

// convergenceSummary words σ's trend and β's sign and significance.
func convergenceSummary(r *MeasureResult, lang string) string {
	t := func(zh, en string, args ...any) string { return i18n.Tf(zh, en, args...).In(lang) }
	s := ""
	if r.SigmaTrend != nil && r.SigmaTrend.Start != nil && !math.IsNaN(float64(*r.SigmaTrend.Start)) && !math.IsNaN(float64(*r.SigmaTrend.End)) {
		a, b := float64(*r.SigmaTrend.Start), float64(*r.SigmaTrend.End)
		if b < a {
			s = t("σ 从 %.4f（%d 年）降至 %.4f（%d 年）：存在 σ 收敛。", "σ fell from %.4f (%d) to %.4f (%d): σ-convergence. ", a, r.From, b, r.To)
		} else {
			s = t("σ 从 %.4f（%d 年）升至 %.4f（%d 年）：没有 σ 收敛（差距扩大）。", "σ rose from %.4f (%d) to %.4f (%d): no σ-convergence (the gaps widened). ", a, r.From, b, r.To)
		}
	}
	if r.Beta == nil {
		return s
	}
	b, p := float64(*r.Beta.Coefficient), float64(*r.Beta.P)
	kind := t("绝对", "absolute")
	if len(r.Beta.Controls) > 0 {
		kind = t("条件", "conditional")
	}
	szh, sen, sig := significance(p)
	switch {
	case b < 0 && sig:
		s += t("β = %.4g（p = %.3g，%s）：存在%s β 收敛，起点低的地区增长更快", "β = %.4g (p = %.3g, %s): %s β-convergence, regions that started lower grew faster", b, p, pick(lang, szh, sen), kind)
		if r.Beta.HalfLife != nil {
			s += t("，收敛速度 %.2f%%/年，半衰期 %.1f 年。", ", at %.2f%% a year (half-life %.1f years).", 100*float64(*r.Beta.Rate), float64(*r.Beta.HalfLife))
		} else {
			s += t("。", ".")
		}
	case b > 0 && sig:
		s += t("β = %.4g（p = %.3g，%s）：β 发散，起点高的地区增长更快。", "β = %.4g (p = %.3g, %s): β-divergence, regions that started higher grew faster.", b, p, pick(lang, szh, sen))
	default:
		s += t("β = %.4g（p = %.3g，%s）：没有显著的%s β 收敛。", "β = %.4g (p = %.3g, %s): no significant %s β-convergence.", b, p, pick(lang, szh, sen), kind)
	}
	return s
}

func pick(lang, zh, en string) string { return i18n.T(zh, en).In(lang) }
