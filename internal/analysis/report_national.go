package analysis

import (
	"context"
	"math"
	"slices"
	"sort"
	"strings"

	"agglo/internal/composite"
	"agglo/internal/dataset"
	"agglo/internal/i18n"
	"agglo/internal/jsonnum"
	"agglo/internal/measure"
)

// Defaults of the report's national picture.
const (
	// NationalTop is the number of units listed at the top and at the
	// bottom of the ranking.
	NationalTop = 20
	// NationalKeyIndicators bounds the indicators whose distribution is
	// shown beside the index's.
	NationalKeyIndicators = 5
	// NationalRunsSmall and NationalRunsLarge are the uncertainty runs of
	// the national picture (see NationalRuns).
	NationalRunsSmall = 1000
	NationalRunsLarge = 200
	// nationalLargeCells is the size (units × indicators) from which the
	// national picture makes NationalRunsLarge runs.
	nationalLargeCells = 100_000
)

// Where the national picture's framework comes from.
const (
	FrameworkGiven    = "given"    // the user's --framework
	FrameworkBuiltin  = "builtin"  // a built-in framework whose indicators are all in the data
	FrameworkInferred = "inferred" // every indicator of the data in one group
)

// InferredFrameworkCode is the code of the framework inferred from the
// data (see NationalFramework).
const InferredFrameworkCode = "all_indicators"

// NationalRuns is the number of uncertainty runs the national picture
// makes on n units × k indicators: NationalRunsSmall, or NationalRunsLarge
// from 100,000 cells on. With N runs the 5th and 95th rank percentiles are
// estimated with a binomial standard error of √(0.05·0.95/N) in
// probability: 0.007 at N = 1,000 and 0.015 at N = 200 (the 5 % quantile
// read somewhere between the 3.5 % and 6.5 % ones), enough for intervals
// drawn as bars; agglo index uncertainty --n sets any N.
func NationalRuns(n, k int) int {
	if n*k >= nationalLargeCells {
		return NationalRunsLarge
	}
	return NationalRunsSmall
}

// NationalRequest sets the report's national picture.
type NationalRequest struct {
	// Framework is the index's framework; nil takes a built-in framework
	// whose indicators are all among the data's own, else one inferred
	// from the data (NationalFramework).
	Framework *composite.Framework
	// Lang is the language of unit names.
	Lang string
	// Runs (0: NationalRuns) and Seed (0: 1) of the uncertainty analysis.
	Runs int
	Seed uint64
}

// Distribution is the distribution of one variable across the units: the
// composite index or an indicator, with its inequality and concentration
// measures and its kernel density.
type Distribution struct {
	// Code is the indicator's code, or the index node's code for the
	// index (Index true).
	Code  string    `json:"code"`
	Index bool      `json:"index,omitempty"`
	Name  i18n.Text `json:"name"`
	Unit  string    `json:"unit,omitempty"`
	// Why says why the indicator is shown.
	Why i18n.Text `json:"why,omitzero"`
	// N units have a value; the rest are the summary statistics (R type-7
	// quantiles), measure.Inequality's Gini, Theil T and coefficient of
	// variation (population form), the shares of the largest 1 % and 10 %
	// of the units (Top1Units and Top10Units units, rounded up) in the
	// total, and the kernel density (Gaussian, Silverman's bandwidth).
	N          int         `json:"n"`
	Mean       Num         `json:"mean"`
	Median     Num         `json:"median"`
	Min        Num         `json:"min"`
	Max        Num         `json:"max"`
	P10        Num         `json:"p10"`
	P90        Num         `json:"p90"`
	Gini       Num         `json:"gini"`
	TheilT     Num         `json:"theil_t"`
	CV         Num         `json:"cv"`
	Top1Share  Num         `json:"top1_share"`
	Top10Share Num         `json:"top10_share"`
	Top1Units  int         `json:"top1_units"`
	Top10Units int         `json:"top10_units"`
	Density    *Density    `json:"density,omitempty"`
	Notes      []i18n.Text `json:"notes,omitempty"`
}

// National is the report's national picture: a composite index of all
// units of the data with its rank intervals, the distribution of the index
// and of key indicators, the units' coordinates for a map and the
// agglomerations with members among the units.
type National struct {
	Units     int           `json:"units"`
	Level     dataset.Level `json:"level"`
	Year      int           `json:"year"`
	FreeUnits bool          `json:"free_units"`
	// Framework is the index's framework, FrameworkFrom where it came
	// from (FrameworkGiven, FrameworkBuiltin, FrameworkInferred) and
	// FrameworkNote how it was chosen, in words.
	Framework     *composite.Framework `json:"framework"`
	FrameworkFrom string               `json:"framework_from"`
	FrameworkNote i18n.Text            `json:"framework_note"`
	// Dropped are indicators of the data left out of an inferred
	// framework (no spread across the units in the year).
	Dropped []string     `json:"dropped,omitempty"`
	Index   *IndexResult `json:"index"`
	// Uncertainty holds the rank intervals of the default uncertainty
	// specification; UncertaintySkip says why it is missing.
	Uncertainty     *UncertaintyResult `json:"uncertainty,omitempty"`
	UncertaintySkip i18n.Text          `json:"uncertainty_skip,omitzero"`
	Distributions   []Distribution     `json:"distributions"`
	// Lon and Lat are the units' coordinates in the order of Index's
	// units (null where unknown); nil when no unit has any. InChina says
	// every located unit lies within China's extent (the report's base
	// map); MapNote says why there is no map.
	Lon     []Num     `json:"lon,omitempty"`
	Lat     []Num     `json:"lat,omitempty"`
	Located int       `json:"located"`
	InChina bool      `json:"in_china"`
	MapNote i18n.Text `json:"map_note,omitzero"`
	// Agglomerations are the codes of the agglomerations with a member
	// among the units (every agglomeration of the registry, not only the
	// default set); Members maps each unit that belongs to one to the
	// first of them in registry order.
	Agglomerations []string          `json:"agglomerations"`
	Members        map[string]string `json:"members,omitempty"`
}

// HasUserData reports whether ds holds values read from a user's file
// (imported), as opposed to agglo's built-in data only.
func HasUserData(ds *dataset.Dataset) bool {
	for _, s := range ds.Sources {
		if s.Kind == dataset.Imported {
			return true
		}
	}
	return false
}

// userIndicators are the indicators with values read from a user's file
// (coordinates excepted), in the data's order; all indicators when none
// was imported.
func userIndicators(ds *dataset.Dataset) []string {
	counts, years := ds.IndicatorYears()
	var out, all []string
	for i, ind := range ds.Indicators {
		if counts[i] == 0 || coordinateCode(ds, ind.Code) {
			continue
		}
		all = append(all, ind.Code)
		if ind.Dimension == "user" {
			out = append(out, ind.Code)
			continue
		}
		// A catalogue indicator is the user's when its latest values were
		// imported.
		y := years[i][len(years[i])-1]
		for r, v := range ds.Slice(ind.Code, y) {
			if math.IsNaN(v) {
				continue
			}
			if o, ok := ds.Lookup(ds.Regions[r].Code, ind.Code, y); ok && ds.Provenance(o).Kind == dataset.Imported {
				out = append(out, ind.Code)
			}
			break
		}
	}
	if len(out) == 0 {
		return all
	}
	return out
}

// NationalFramework chooses the framework of the national picture when
// the user gives none: a built-in framework (cric, io) whose indicators
// are all among the data's own (userIndicators), else one inferred from
// the data: every indicator with a spread across the units of the latest
// year in one group under the index, equal weights, min-max to [0, 100],
// arithmetic mean, each indicator's direction from its polarity in the
// catalogue (higher is better for a file's own indicators). It returns
// the framework, where it came from, and the indicators left out.
func NationalFramework(ds *dataset.Dataset, lang string) (*composite.Framework, string, []string, error) {
	own := userIndicators(ds)
	if len(own) == 0 {
		return nil, "", nil, noUnitsError(i18n.T("数据中没有任何指标", "the data hold no indicator"))
	}
	for _, code := range composite.BuiltinCodes() {
		fw, err := composite.Builtin(code)
		if err != nil {
			continue
		}
		all := true
		for _, ind := range fw.Indicators {
			all = all && slices.Contains(own, ind.Code)
		}
		if all {
			return fw, FrameworkBuiltin, nil, nil
		}
	}
	u, err := CrossSection(ds, Selection{Indicators: own, Lang: lang})
	if err != nil {
		return nil, "", nil, err
	}
	if !unitLevel(u.Level) {
		return nil, "", nil, noUnitsError(i18n.Tf("数据的指标只有城市群或全国层级的数值（%d 年），没有省份、城市、区县或自由单元", "the data's indicators have values only for agglomerations or the nation (%d), not for provinces, cities, counties or free units", u.Year))
	}
	fw := &composite.Framework{Code: InferredFrameworkCode, NameZH: "全部指标等权指数", NameEN: "Equal-weight index of all indicators",
		Steps: composite.Steps{Normalisation: composite.Normalisation{Method: "minmax", Lower: 0, Upper: 100},
			Levels: []composite.LevelStep{{Level: 2, Weights: composite.WeightSpec{Method: "equal"}, Aggregation: composite.Aggregation{Method: "arithmetic"}}}},
		Aggregates: []composite.Aggregate{{Code: InferredFrameworkCode, NameZH: "全部指标等权指数", NameEN: "Equal-weight index of all indicators", Weight: 1}}}
	var dropped []string
	for k, code := range u.Indicators {
		lo, hi, n := math.Inf(1), math.Inf(-1), 0
		for _, v := range u.Values[k] {
			if !math.IsNaN(v) {
				lo, hi, n = math.Min(lo, v), math.Max(hi, v), n+1
			}
		}
		if n < 2 || !(hi > lo) {
			dropped = append(dropped, code)
			continue
		}
		ind, _ := ds.Indicator(code)
		dir := 1
		if ind.Polarity == dataset.LowerBetter {
			dir = -1
		}
		fw.Indicators = append(fw.Indicators, composite.Indicator{Code: code, NameZH: ind.Name(i18n.ZH), NameEN: ind.Name(i18n.EN), Unit: ind.Unit,
			Direction: dir, Weight: 1, Parent: InferredFrameworkCode})
	}
	if len(fw.Indicators) == 0 {
		return nil, "", nil, noUnitsError(i18n.Tf("%d 年没有一个指标在至少两个单元之间有差异，无法构建指数", "no indicator varies across at least two units in %d, so no index can be built", u.Year))
	}
	if err := fw.Validate(); err != nil {
		return nil, "", nil, err
	}
	return fw, FrameworkInferred, dropped, nil
}

// frameworkNote says in words where the framework comes from and how the
// index is built, naming the indicators left out by their names in ds.
func frameworkNote(ds *dataset.Dataset, fw *composite.Framework, from string, dropped []string) i18n.Text {
	switch from {
	case FrameworkGiven:
		return i18n.Tf("指数按用户给出的框架“%[1]s”构建（%[3]d 个指标）。", "The index follows the framework given, “%[2]s” (%[3]d indicators).",
			fw.NameZH, fw.NameEN, len(fw.Indicators))
	case FrameworkBuiltin:
		return i18n.Tf("数据包含内置框架“%[1]s”的全部 %[3]d 个指标，指数按该框架及其方法构建。", "The data hold all %[3]d indicators of the built-in framework “%[2]s”, so the index follows that framework and its methods.",
			fw.NameZH, fw.NameEN, len(fw.Indicators))
	}
	t := i18n.Tf("数据的指标不构成已知框架，指数由数据推定：全部 %d 个指标归为一组，等权重，极差标准化到 0–100，算术平均（负向指标按目录反向）。要用自己的框架，请另行给出框架。",
		"The data's indicators are not a known framework, so the index is inferred from the data: all %d indicators in one group with equal weights, min-max normalised to 0-100 and averaged arithmetically (indicators where lower is better reversed, as the catalogue says). Give --framework to use your own.", len(fw.Indicators))
	if len(dropped) > 0 {
		zh, en := make([]string, len(dropped)), make([]string, len(dropped))
		for i, code := range dropped {
			zh[i], en[i] = indicatorName(ds, code, i18n.ZH), indicatorName(ds, code, i18n.EN)
		}
		t = i18n.T(t.ZH+"没有差异的指标未纳入："+strings.Join(zh, "、")+"。", t.EN+" Indicators without any spread are left out: "+strings.Join(en, ", ")+".")
	}
	return t
}

// sizeIndicators are catalogue indicators of size shown beside the index
// when the units have them.
var sizeIndicators = []string{"gdp", "population", "rd_expenditure", "patent_grants"}

// ReportNational builds the national picture of ds: the composite index of
// every unit at the level with the most units (req.Framework, else
// NationalFramework), its rank intervals under the default uncertainty
// specification (composite.DefaultUASpec, NationalRuns runs), the
// distribution of the index and of up to NationalKeyIndicators key
// indicators (the catalogue's size indicators the units have, then the
// framework's indicators most correlated with the index), the units'
// coordinates and the agglomerations with members among them. Data
// without such units give an error for which IsNoUnits holds.
func ReportNational(ctx context.Context, ds *dataset.Dataset, req NationalRequest) (*National, error) {
	fw, from := req.Framework, FrameworkGiven
	var dropped []string
	if fw == nil {
		var err error
		if fw, from, dropped, err = NationalFramework(ds, req.Lang); err != nil {
			return nil, err
		}
	}
	seed := req.Seed
	if seed == 0 {
		seed = 1
	}
	ix := IndexRequest{Framework: fw, Lang: req.Lang}
	in, err := PrepareIndex(ds, ix)
	if err != nil {
		return nil, err
	}
	if !unitLevel(in.Level) {
		return nil, noUnitsError(i18n.Tf("框架“%[1]s”的指标在 %[3]d 年只有城市群或全国层级的数值，没有省份、城市、区县或自由单元",
			"the indicators of the framework “%[2]s” have values only for agglomerations or the nation in %[3]d, not for provinces, cities, counties or free units",
			fw.NameZH, fw.NameEN, in.Year))
	}
	out := &National{Units: len(in.Data.Units), Level: in.Level, Year: in.Year, FreeUnits: ds.FreeUnits, Framework: fw, FrameworkFrom: from,
		FrameworkNote: frameworkNote(ds, fw, from, dropped), Dropped: dropped}
	runs := req.Runs
	if runs == 0 {
		runs = NationalRuns(len(in.Data.Units), len(fw.Indicators))
	}
	ua, err := Uncertainty(ctx, ds, UncertaintyRequest{Index: ix, N: runs, Seed: seed})
	switch {
	case err == nil:
		out.Index, out.Uncertainty = ua.Nominal, ua
	case cancelled(ctx, err):
		return nil, err
	default:
		out.UncertaintySkip = reasonOf(err)
		if out.Index, err = in.build(ctx); err != nil {
			return nil, err
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	codes := make([]string, len(out.Index.Units))
	scores := make([]float64, len(out.Index.Units))
	for i, u := range out.Index.Units {
		codes[i], scores[i] = u.Code, float64(u.Index)
	}
	idx := distributionOf(scores)
	idx.Code, idx.Index = fw.IndexCode(), true
	idx.Name = i18n.T(fw.Name(fw.IndexCode(), i18n.ZH), fw.Name(fw.IndexCode(), i18n.EN))
	out.Distributions = append(out.Distributions, idx)
	out.Distributions = append(out.Distributions, keyDistributions(ds, out.Index, codes, scores)...)
	out.locate(ds, codes)
	out.Agglomerations, out.Members = presentAgglomerations(ds, codes, in.Level)
	return out, nil
}

// keyDistributions are the distributions of the key indicators: the
// catalogue's size indicators the units have, then the framework's
// indicators most correlated with the index.
func keyDistributions(ds *dataset.Dataset, ix *IndexResult, codes []string, scores []float64) []Distribution {
	var out []Distribution
	add := func(code string, x []float64, why i18n.Text) {
		d := distributionOf(x)
		d.Code, d.Why = code, why
		d.Name = i18n.T(indicatorName(ds, code, i18n.ZH), indicatorName(ds, code, i18n.EN))
		if ind, ok := ds.Indicator(code); ok {
			d.Unit = ind.Unit
		}
		out = append(out, d)
	}
	for _, code := range sizeIndicators {
		if len(out) == NationalKeyIndicators {
			return out
		}
		if _, ok := ds.IndicatorIndex(code); !ok {
			continue
		}
		x := ds.Column(codes, code, ix.Year)
		if finiteCount(x) >= 3 {
			add(code, x, i18n.T("规模指标", "a measure of size"))
		}
	}
	data := ix.Data()
	type cand struct {
		k int
		r float64
	}
	var cands []cand
	for k, code := range data.Indicators {
		if slices.ContainsFunc(out, func(d Distribution) bool { return d.Code == code }) || !slices.ContainsFunc(ix.Input.Framework.Indicators, func(in composite.Indicator) bool { return in.Code == code }) {
			continue
		}
		x := make([]float64, len(data.Units))
		for i := range data.Units {
			x[i] = data.Values[i][k]
		}
		if r := pearson(x, scores); !math.IsNaN(r) {
			cands = append(cands, cand{k, r})
		}
	}
	sort.SliceStable(cands, func(a, b int) bool { return math.Abs(cands[a].r) > math.Abs(cands[b].r) })
	for _, c := range cands {
		if len(out) == NationalKeyIndicators {
			break
		}
		x := make([]float64, len(data.Units))
		for i := range data.Units {
			x[i] = data.Values[i][c.k]
		}
		add(data.Indicators[c.k], x, i18n.Tf("与指数的相关系数 r = %.2f", "correlation with the index r = %.2f", c.r))
	}
	return out
}

// pearson is the correlation of x and y over the pairs where both are
// present (measure.PearsonN); NaN with fewer than three pairs.
func pearson(x, y []float64) float64 {
	if r, n := measure.PearsonN(x, y); n >= 3 {
		return r
	}
	return math.NaN()
}

func finiteCount(x []float64) int {
	n := 0
	for _, v := range x {
		if !math.IsNaN(v) && !math.IsInf(v, 0) {
			n++
		}
	}
	return n
}

// distributionOf summarises the finite values of x.
func distributionOf(x []float64) Distribution {
	v := make([]float64, 0, len(x))
	for _, a := range x {
		if !math.IsNaN(a) && !math.IsInf(a, 0) {
			v = append(v, a)
		}
	}
	nan := Num(math.NaN())
	d := Distribution{N: len(v), Mean: nan, Median: nan, Min: nan, Max: nan, P10: nan, P90: nan, Gini: nan, TheilT: nan, CV: nan, Top1Share: nan, Top10Share: nan}
	if len(v) == 0 {
		return d
	}
	s := slices.Clone(v)
	slices.Sort(s)
	d.Min, d.Max = Num(s[0]), Num(s[len(s)-1])
	d.Median, d.P10, d.P90 = Num(measure.Quantile7(s, 0.5)), Num(measure.Quantile7(s, 0.1)), Num(measure.Quantile7(s, 0.9))
	if s[0] < 0 {
		var sum float64
		for _, a := range v {
			sum += a
		}
		d.Mean = Num(sum / float64(len(v)))
		d.Notes = append(d.Notes, i18n.T("有负值：基尼系数、泰尔指数、变异系数与头部份额只对非负数值有定义", "negative values: the Gini, Theil and variation coefficients and the top shares are defined for non-negative values only"))
	} else {
		ineq := measure.Inequality(v, nil)
		d.Mean, d.Gini, d.TheilT, d.CV = Num(ineq.Mean), Num(ineq.Gini), Num(ineq.TheilT), Num(ineq.CV)
		d.Top1Units, d.Top10Units = (len(v)+99)/100, (len(v)+9)/10
		d.Top1Share, d.Top10Share = Num(measure.TopShare(v, d.Top1Units)), Num(measure.TopShare(v, d.Top10Units))
	}
	if h := measure.SilvermanBandwidth(v); len(v) >= 2 && !math.IsNaN(h) {
		grid := make([]float64, StructureKernelPoints)
		lo, hi := s[0]-3*h, s[len(s)-1]+3*h
		for k := range grid {
			grid[k] = lo + (hi-lo)*float64(k)/float64(len(grid)-1)
		}
		r := measure.KernelDensity(v, nil, h, grid)
		d.Density = &Density{N: r.N, Bandwidth: nump(r.Bandwidth), Peaks: jsonnum.Slice(peaks(r.X, r.Y)), X: jsonnum.Slice(r.X), Y: jsonnum.Slice(r.Y)}
	}
	return d
}

// chinaExtent is the longitude and latitude range of the report's base
// map of China.
var chinaExtent = [4]float64{73, 136, 3, 54}

// locate records the units' coordinates (the registry's, else the data's
// longitude and latitude columns) and whether they lie in China.
func (n *National) locate(ds *dataset.Dataset, codes []string) {
	lon, lat, _ := unitCoordinates(ds, codes, n.Year)
	n.InChina = true
	for i := range codes {
		if math.IsNaN(lon[i]) || math.IsNaN(lat[i]) {
			continue
		}
		n.Located++
		if lon[i] < chinaExtent[0] || lon[i] > chinaExtent[1] || lat[i] < chinaExtent[2] || lat[i] > chinaExtent[3] {
			n.InChina = false
		}
	}
	switch {
	case n.Located == 0:
		n.InChina = false
		n.MapNote = i18n.T("数据中的单元没有坐标（不是登记表中的中国省份或城市，数据中也没有经度、纬度两列），因此不画地图，改为按指数排序的图。",
			"The units have no coordinates (they are not Chinese provinces or cities of the registry, and the data have no longitude and latitude columns), so there is no map: a chart of the units ranked by the index takes its place.")
	case !n.InChina:
		n.MapNote = i18n.T("有单元的坐标在中国底图范围之外，因此不画地图，改为按指数排序的图。",
			"Some units lie outside the base map of China, so there is no map: a chart of the units ranked by the index takes its place.")
	default:
		n.Lon, n.Lat = jsonnum.Slice(lon), jsonnum.Slice(lat)
	}
}

// presentAgglomerations are the codes of the registry's agglomerations
// (all of them, in registry order) with a member among codes, and the
// first of them each unit belongs to.
func presentAgglomerations(ds *dataset.Dataset, codes []string, level dataset.Level) ([]string, map[string]string) {
	out, members := []string{}, map[string]string{}
	if ds.FreeUnits || ds.Registry == nil {
		return out, members
	}
	in := make(map[string]bool, len(codes))
	for _, c := range codes {
		in[c] = true
	}
	for _, a := range ds.Registry.AllAgglomerations() {
		found := false
		for _, l := range []dataset.Level{level, dataset.LevelCity} {
			for _, m := range a.MemberCodes(l) {
				if !in[m] {
					continue
				}
				found = true
				if _, ok := members[m]; !ok {
					members[m] = a.Code
				}
			}
		}
		if found {
			out = append(out, a.Code)
		}
	}
	return out, members
}
