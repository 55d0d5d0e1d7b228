package analysis

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"agglo/internal/dataset"
	"agglo/internal/i18n"
	"agglo/internal/jsonnum"
	"agglo/internal/measure"
)

// Num is a float64 that writes NaN and ±Inf as JSON null: agglo's one
// such type (jsonnum.Float).
type Num = jsonnum.Float

func nump(v float64) *Num { return jsonnum.Ptr(v) }

// MeasureMethods lists the methods of `agglo measure`.
func MeasureMethods() []string {
	return []string{"gini", "cv", "williamson", "theil", "theil-l", "atkinson", "primacy", "hhi", "top-share", "rank-size", "similarity", "krugman", "lq", "gravity", "coupling", "dea", "all",
		"dagum", "gini-sources", "kernel", "convergence", "moran", "geary", "lisa", "getis-ord", "network", "obstacle"}
}

// methodNames are the methods' names in Chinese and English.
var methodNames = map[string][2]string{
	"gini":         {"基尼系数", "Gini coefficient"},
	"cv":           {"变异系数", "coefficient of variation"},
	"williamson":   {"威廉森指数", "Williamson index"},
	"theil":        {"泰尔指数 T", "Theil T index"},
	"theil-l":      {"泰尔指数 L（平均对数偏差）", "Theil L index (mean log deviation)"},
	"atkinson":     {"阿特金森指数", "Atkinson index"},
	"primacy":      {"首位度", "primacy"},
	"hhi":          {"赫芬达尔-赫希曼指数", "Herfindahl-Hirschman index"},
	"top-share":    {"头部份额", "top share"},
	"rank-size":    {"位序-规模法则", "rank-size rule"},
	"similarity":   {"产业结构相似系数", "structural similarity"},
	"krugman":      {"克鲁格曼专业化指数", "Krugman dissimilarity index"},
	"lq":           {"区位熵", "location quotient"},
	"gravity":      {"引力模型创新联系", "gravity linkage"},
	"coupling":     {"耦合协调度", "coupling coordination degree"},
	"dea":          {"数据包络分析效率", "DEA efficiency"},
	"all":          {"城市群测度概况", "agglomeration profile"},
	"dagum":        {"达格姆基尼系数分解", "Dagum Gini decomposition"},
	"gini-sources": {"基尼系数来源分解", "Gini decomposition by source"},
	"kernel":       {"核密度估计", "kernel density estimate"},
	"convergence":  {"σ 收敛与 β 收敛", "σ- and β-convergence"},
	"moran":        {"全局莫兰指数", "global Moran's I"},
	"geary":        {"吉尔里指数", "Geary's C"},
	"lisa":         {"局部莫兰指数（局部空间自相关）", "local Moran (LISA)"},
	"getis-ord":    {"局部热点统计量 Gi / Gi*", "Getis-Ord Gi / Gi*"},
	"network":      {"网络分析：中心性、密度与社区", "network analysis: centrality, density and communities"},
	"obstacle":     {"障碍度模型", "obstacle degree model"},
}

// MeasureRequest selects a method and its data.
type MeasureRequest struct {
	Method     string   // one of MeasureMethods
	Indicator  string   // the measured indicator
	Indicators []string // several columns: sectors, subsystems, gravity masses
	Weight     string   // population or size weights
	Group      string   // "", "agglomeration", or an indicator holding group labels
	Year       int      // 0: latest year with data
	Exponent   float64  // gravity distance exponent in (0, 10] (0: 2)
	Top        int      // top-share and rank-size: number of units
	Threshold  Threshold
	DEA        measure.DEAOptions // orientation and returns to scale
	Coupling   string             // coupling model: "standard" (default) or "wang"
	Inputs     []string           // dea inputs
	Outputs    []string           // dea outputs
	Sample     bool               // cv with the n−1 divisor
	// Panel computes a one-indicator measure for every year with data and
	// its OLS trend over the years.
	Panel bool
	Lang  string

	// Spatial statistics (moran, geary, lisa, getis-ord): the weights, Gi*
	// (Star) and permutation inference. Permutations 0 means none; the
	// command line and the API default to 999 and seed 1. Workers (0:
	// GOMAXPROCS) does not change the results.
	SpatialWeights WeightsSpec
	Star           bool
	Permutations   int
	Seed           uint64
	Workers        int
	// Convergence: the first and last years (0: the panel's), control
	// indicators of conditional β (read in the first year) and HC1
	// standard errors. Group (agglomeration or a label column) gives
	// convergence clubs.
	From, To int
	Controls []string
	Robust   bool
	// Epsilon is Atkinson's inequality aversion ε ≥ 0 (the command line
	// and the API default to 0.5, R ineq's default).
	Epsilon float64
	// Kernel density: the bandwidth (0: Silverman's rule) and the number of
	// grid points (0: 512).
	Bandwidth float64
	Points    int
	// Network: a user's flows (nil: the gravity matrix of Indicators),
	// how directions combine, and the modularity resolution (0: 1).
	Flows      []Flow
	Mode       string
	Resolution float64
	// Index is the composite index whose obstacles obstacle reports.
	Index *IndexRequest
}

// PanelYear is one year of a panel measure: the value and, where the
// method has them, its decomposition (Theil, Dagum) or its inference
// (Moran, Geary).
type PanelYear struct {
	Year           int          `json:"year"`
	N              int          `json:"n"`
	Value          *Num         `json:"value"`
	Between        *Num         `json:"between,omitempty"`
	Within         *Num         `json:"within,omitempty"`
	Transvariation *Num         `json:"transvariation,omitempty"`
	Z              *Num         `json:"z,omitempty"`
	PNorm          *Num         `json:"p_norm,omitempty"`
	PSim           *Num         `json:"p_sim,omitempty"`
	Groups         []GroupValue `json:"groups,omitempty"`
	// Coverage is each agglomeration's members with data in this year
	// (grouped by agglomeration only).
	Coverage []GroupCoverage `json:"coverage,omitempty"`
}

// Trend is an OLS trend of a measure over the years.
type Trend struct {
	Group     string `json:"group,omitempty"`
	Slope     *Num   `json:"slope"`
	Intercept *Num   `json:"intercept"`
	R2        *Num   `json:"r2"`
	N         int    `json:"n"`
	Start     *Num   `json:"start"`
	End       *Num   `json:"end"`
	Change    *Num   `json:"change"`
}

// GroupValue is one group's result.
type GroupValue struct {
	Group        string         `json:"group"`
	Name         string         `json:"name,omitempty"`
	N            int            `json:"n"`
	Value        *Num           `json:"value"`
	Contribution *Num           `json:"contribution,omitempty"`
	Share        *Num           `json:"share,omitempty"`
	Measures     map[string]Num `json:"measures,omitempty"`
}

// UnitValue is one unit's result (DEA, coupling, linkage totals, local
// spatial statistics, centrality, obstacles).
type UnitValue struct {
	Unit   string         `json:"unit"`
	Name   string         `json:"name,omitempty"`
	Values map[string]Num `json:"values,omitempty"`
	// Local statistics: LISA's I_i with its quadrant (HH, LH, LL, HL),
	// pseudo p-value, standardised value z and spatial lag; Gi's G_i with
	// z and one-tailed p. Cluster is the quadrant where p_sim ≤ 0.05 (else
	// "ns") for LISA, hot or cold where |z| ≥ 1.96 (else "ns") for Gi.
	Value    *Num   `json:"value,omitempty"`
	Quadrant string `json:"quadrant,omitempty"`
	PSim     *Num   `json:"p_sim,omitempty"`
	Z        *Num   `json:"z,omitempty"`
	P        *Num   `json:"p,omitempty"`
	Lag      *Num   `json:"lag,omitempty"`
	Cluster  string `json:"cluster,omitempty"`
	Island   bool   `json:"island,omitempty"`
	// Lon and Lat locate a unit of a local statistic (degrees), for maps.
	Lon *Num `json:"lon,omitempty"`
	Lat *Num `json:"lat,omitempty"`
	// Group is the unit's group (agglomeration) and Community the
	// network community it was placed in.
	Group     string `json:"group,omitempty"`
	Community *int   `json:"community,omitempty"`
	// Obstacles lists the unit's indicators by obstacle degree, the main
	// obstacle first; Dimensions sums them by first-level aggregate.
	Obstacles  []Obstacle     `json:"obstacles,omitempty"`
	Dimensions map[string]Num `json:"dimensions,omitempty"`
	// DEA
	Efficiency      *Num           `json:"efficiency,omitempty"`
	ScaleEfficiency *Num           `json:"scale_efficiency,omitempty"`
	Slacks          map[string]Num `json:"slacks,omitempty"`
	// Coupling
	LevelZH string `json:"level_zh,omitempty"`
	LevelEN string `json:"level_en,omitempty"`
}

// MeasureResult is the JSON result of `agglo measure`.
type MeasureResult struct {
	Method     string         `json:"method"`
	NameZH     string         `json:"name_zh"`
	NameEN     string         `json:"name_en"`
	Indicator  string         `json:"indicator,omitempty"`
	Indicators []string       `json:"indicators,omitempty"`
	Weight     string         `json:"weight,omitempty"`
	Year       int            `json:"year,omitempty"`
	Level      string         `json:"level,omitempty"`
	N          int            `json:"n"`
	Value      *Num           `json:"value,omitempty"`
	Stats      map[string]Num `json:"stats,omitempty"`
	Between    *Num           `json:"between,omitempty"`
	Within     *Num           `json:"within,omitempty"`
	Groups     []GroupValue   `json:"groups,omitempty"`
	Labels     []string       `json:"labels,omitempty"`
	Columns    []string       `json:"columns,omitempty"`
	Matrix     [][]Num        `json:"matrix,omitempty"`
	Units      []UnitValue    `json:"units,omitempty"`
	// Rank-size fit (also in Stats), at the top level as the CLI documents.
	Slope     *Num `json:"slope,omitempty"`
	Intercept *Num `json:"intercept,omitempty"`
	R2        *Num `json:"r2,omitempty"`
	// Spatial statistics: the weights used, E[I] (or E[C] = 1), the z
	// and p under normality, the permutation p_sim, and the islands.
	SpatialWeights *WeightsSpec `json:"spatial_weights,omitempty"`
	Expected       *Num         `json:"expected,omitempty"`
	Z              *Num         `json:"z,omitempty"`
	PNorm          *Num         `json:"p_norm,omitempty"`
	PSim           *Num         `json:"p_sim,omitempty"`
	Permutations   int          `json:"permutations,omitempty"`
	Seed           *uint64      `json:"seed,omitempty"`
	Islands        []string     `json:"islands,omitempty"`
	// Dagum: the transvariation G_t (Between is the net between-group
	// G_nb) and the between-group Gini of every pair of groups.
	Transvariation *Num        `json:"transvariation,omitempty"`
	Pairs          []PairValue `json:"pairs,omitempty"`
	// Convergence.
	From       int         `json:"from,omitempty"`
	To         int         `json:"to,omitempty"`
	Sigma      []SigmaYear `json:"sigma,omitempty"`
	SigmaTrend *Trend      `json:"sigma_trend,omitempty"`
	CVTrend    *Trend      `json:"cv_trend,omitempty"`
	Beta       *Beta       `json:"beta,omitempty"`
	Clubs      []Club      `json:"clubs,omitempty"`
	// Gini source decomposition.
	Sources []Source `json:"sources,omitempty"`
	// IndicatorWeights are the indicators' effective weights in an index
	// (obstacle).
	IndicatorWeights map[string]Num `json:"indicator_weights,omitempty"`
	// DimensionNames name the first-level aggregates of an index
	// (obstacle degrees by dimension).
	DimensionNames map[string]string `json:"dimension_names,omitempty"`
	// Kernel densities, one per year.
	Densities []Density `json:"densities,omitempty"`
	// Panel results: the measure per year and its trends.
	Panel   []PanelYear `json:"panel,omitempty"`
	Trends  []Trend     `json:"trends,omitempty"`
	Formula string      `json:"formula"`
	// Summary states the result in words, in the request's language.
	Summary string `json:"summary,omitempty"`
	// Coverage says, when the measure is grouped by agglomeration, which
	// members each group counted (members with data / members, the
	// members without data, the members shared with another
	// agglomeration); a panel's is its last year's, each year's is in
	// Panel.
	Coverage []GroupCoverage `json:"coverage,omitempty"`
	Notes    []string        `json:"notes,omitempty"`
	// Warnings are notes that may change the reading of the result
	// (islands, units left out for lack of coordinates).
	Warnings []string `json:"warnings,omitempty"`
}

// PairValue is one pair of groups (Dagum's between-group Gini G_jh, the
// relative economic affluence D_jh and the pair's net between-group and
// transvariation parts).
type PairValue struct {
	A              string `json:"a"`
	B              string `json:"b"`
	Value          *Num   `json:"value"`
	Affluence      *Num   `json:"affluence"`
	NetBetween     *Num   `json:"net_between"`
	Transvariation *Num   `json:"transvariation"`
}

func unknownMethod(m string) error {
	return fieldError(FieldMethod, i18n.Errorf("未知测度方法“%s”（可选：%s）", "unknown measure method %q (use one of: %s)", m, strings.Join(MeasureMethods(), ", ")))
}

// ParseMeasureMethod checks a method name (case-insensitive) and returns
// it as MeasureMethods spells it.
func ParseMeasureMethod(s string) (string, error) {
	m := strings.ToLower(strings.TrimSpace(s))
	if !slices.Contains(MeasureMethods(), m) {
		return "", unknownMethod(s)
	}
	return m, nil
}

// Threshold is the cut-off of a gravity linkage network: the mean or the
// median of the linkages, or a value. The zero value is the method's
// default: the mean for the gravity network, no cut-off for a user's flows.
type Threshold struct {
	Rule  string  `json:"rule"` // "", "mean", "median" or "value"
	Value float64 `json:"value,omitempty"`
}

// ParseThreshold parses mean, median or a non-negative number.
func ParseThreshold(s string) (Threshold, error) {
	switch t := strings.ToLower(strings.TrimSpace(s)); t {
	case "":
		return Threshold{}, nil // the method's default
	case "mean":
		return Threshold{Rule: "mean"}, nil
	case "median":
		return Threshold{Rule: "median"}, nil
	default:
		v, err := strconv.ParseFloat(t, 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
			return Threshold{}, i18n.Errorf("阈值应为 mean、median 或非负数（收到“%s”）", "the threshold must be mean, median or a non-negative number (got %q)", s)
		}
		return Threshold{Rule: "value", Value: v}, nil
	}
}

// Coupling models of the coupling coordination degree.
const (
	CouplingStandard = "standard" // C = n·(Π U_i)^{1/n}/Σ U_i
	CouplingWang     = "wang"     // Wang, Kong, Ren et al.'s corrected C
)

// ParseCoupling parses a coupling model: standard (the default, for "")
// or wang.
func ParseCoupling(s string) (string, error) {
	switch m := strings.ToLower(strings.TrimSpace(s)); m {
	case "", CouplingStandard:
		return CouplingStandard, nil
	case CouplingWang:
		return m, nil
	}
	return "", i18n.Errorf("耦合模型只能是 standard 或 wang（收到“%s”）", "the coupling model must be standard or wang (got %q)", s)
}

// DefaultEpsilon is Atkinson's inequality aversion when none is given (R
// ineq's default).
const DefaultEpsilon = 0.5

// ParseEpsilon parses Atkinson's ε, a non-negative number; "" is
// DefaultEpsilon.
func ParseEpsilon(s string) (float64, error) {
	if strings.TrimSpace(s) == "" {
		return DefaultEpsilon, nil
	}
	v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || !(v >= 0) || v > 1000 {
		return 0, i18n.Errorf("ε 须为 0 到 1000 之间的数（收到“%s”）", "ε must be a number from 0 to 1000 (got %q)", s)
	}
	return v, nil
}

// ParseOrientation parses a DEA orientation: input (in) or output (out).
func ParseOrientation(s string) (measure.Orientation, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "input", "in":
		return measure.InputOriented, nil
	case "output", "out":
		return measure.OutputOriented, nil
	}
	return 0, i18n.Errorf("导向只能是 input 或 output（收到“%s”）", "the orientation must be input or output (got %q)", s)
}

// ParseReturns parses DEA returns to scale: crs (ccr) or vrs (bcc).
func ParseReturns(s string) (measure.Returns, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "crs", "ccr":
		return measure.CRS, nil
	case "vrs", "bcc":
		return measure.VRS, nil
	}
	return 0, i18n.Errorf("规模报酬只能是 crs 或 vrs（收到“%s”）", "returns to scale must be crs or vrs (got %q)", s)
}

// Measure runs one method of the regional-measures library on ds.
func Measure(ds *dataset.Dataset, req MeasureRequest) (*MeasureResult, error) {
	return MeasureContext(context.Background(), ds, req)
}

// MeasureContext is Measure with a context that cancels long work
// (permutations, an index).
func MeasureContext(ctx context.Context, ds *dataset.Dataset, req MeasureRequest) (*MeasureResult, error) {
	m, err := ParseMeasureMethod(req.Method)
	if err != nil {
		return nil, err
	}
	req.Method = m
	res, err := runMeasure(ctx, ds, m, req)
	if err != nil {
		return nil, err
	}
	res.NameZH, res.NameEN = methodNames[m][0], methodNames[m][1]
	addCoverage(ds, req, res)
	return res, nil
}

func runMeasure(ctx context.Context, ds *dataset.Dataset, m string, req MeasureRequest) (*MeasureResult, error) {
	if req.Panel && !panelMethod(m) {
		return nil, fieldError("panel", i18n.Errorf("--panel 不适用于%[1]s", "--panel does not apply to %[2]s", MeasureName(m).ZH, m))
	}
	switch m {
	case "lisa":
		return lisaMeasure(ctx, ds, req)
	case "getis-ord":
		return getisOrdMeasure(ds, req)
	case "convergence":
		return convergenceMeasure(ds, req)
	case "gini-sources":
		return giniSourcesMeasure(ds, req)
	case "kernel":
		return kernelMeasure(ds, req)
	case "network":
		return networkMeasure(ds, req)
	case "obstacle":
		return obstacleMeasure(ctx, ds, req)
	case "similarity", "krugman", "lq":
		return matrixMeasure(ds, m, req)
	case "gravity":
		return gravityMeasure(ds, req)
	case "coupling":
		return couplingMeasure(ds, req)
	case "dea":
		return deaMeasure(ds, req)
	}
	if req.Panel {
		return panelMeasure(ctx, ds, m, req)
	}
	return oneYear(ctx, ds, m, req)
}

// panelMethod reports whether method m has a value per year that --panel
// can follow (kernel draws one density per year; all refuses it with its
// own message).
func panelMethod(m string) bool {
	switch m {
	case "lisa", "getis-ord", "convergence", "gini-sources", "network", "obstacle",
		"similarity", "krugman", "lq", "gravity", "coupling", "dea":
		return false
	}
	return true
}

// oneYear computes a method that has a value per year (the scalar
// measures, Dagum, Moran and Geary) in one year.
func oneYear(ctx context.Context, ds *dataset.Dataset, m string, req MeasureRequest) (*MeasureResult, error) {
	switch m {
	case "moran", "geary":
		return globalSpatial(ctx, ds, m, req)
	case "dagum":
		return dagumMeasure(ds, req)
	}
	r, err := scalarMeasure(ds, m, req)
	if err == nil && m == "rank-size" && r.Stats != nil {
		r.Slope, r.Intercept, r.R2 = nump(float64(r.Stats["slope"])), nump(float64(r.Stats["intercept"])), nump(float64(r.Stats["r2"]))
	}
	return r, err
}

// panelMeasure computes a one-indicator measure for each year in which
// the indicator has data, and the OLS trend of the value (and of each
// group's value) over the years. A rising core share (top-share) while the
// rest falls is the paper's siphon effect.
func panelMeasure(ctx context.Context, ds *dataset.Dataset, m string, req MeasureRequest) (*MeasureResult, error) {
	if m == "all" {
		return nil, i18n.Errorf("--panel 不适用于 all，请指定单项测度", "--panel does not apply to all: name one measure")
	}
	if err := needIndicator(req); err != nil {
		return nil, err
	}
	_, ok := ds.IndicatorIndex(req.Indicator)
	if !ok {
		if ind, found := ds.Catalogue.Match(req.Indicator); found {
			req.Indicator = ind.Code
			_, ok = ds.IndicatorIndex(ind.Code)
		}
	}
	if !ok {
		_, err := CrossSection(ds, Selection{Indicators: []string{req.Indicator}, Lang: req.Lang})
		return nil, err
	}
	years := ds.YearsOf(req.Indicator, nil)
	res := &MeasureResult{Method: m, Indicator: req.Indicator, Weight: req.Weight}
	byGroup := map[string][][2]float64{}
	var order []string
	var ts, vs []float64
	for _, y := range years {
		r := req
		r.Year, r.Panel = y, false
		one, err := oneYear(ctx, ds, m, r)
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			return nil, i18n.Errorf("%[1]d 年：%[2]s", "year %[1]d: %[3]s", y, i18n.Message(err, i18n.ZH), i18n.Message(err, i18n.EN))
		}
		res.Level, res.N, res.Formula = one.Level, max(res.N, one.N), one.Formula+"; trend: OLS value = a + b·year"
		py := PanelYear{Year: y, N: one.N, Value: one.Value, Groups: one.Groups, Between: one.Between, Within: one.Within,
			Transvariation: one.Transvariation, Z: one.Z, PNorm: one.PNorm, PSim: one.PSim}
		res.SpatialWeights, res.Permutations, res.Seed = one.SpatialWeights, one.Permutations, one.Seed
		res.Warnings = appendNew(res.Warnings, one.Warnings, y)
		res.Panel = append(res.Panel, py)
		if one.Value != nil {
			ts, vs = append(ts, float64(y)), append(vs, float64(*one.Value))
		}
		for _, g := range one.Groups {
			if g.Value == nil {
				continue
			}
			if _, ok := byGroup[g.Group]; !ok {
				order = append(order, g.Group)
			}
			byGroup[g.Group] = append(byGroup[g.Group], [2]float64{float64(y), float64(*g.Value)})
		}
	}
	if len(years) < 2 {
		res.note(req.Lang, "只有一个年份，无法计算趋势", "a single year: no trend can be computed")
	}
	trend := func(group string, t, v []float64) Trend {
		tr := measure.Trend(t, v)
		out := Trend{Group: group, Slope: nump(tr.Slope), Intercept: nump(tr.Intercept), R2: nump(tr.R2), N: tr.N}
		if len(v) > 0 {
			out.Start, out.End, out.Change = nump(v[0]), nump(v[len(v)-1]), nump(v[len(v)-1]-v[0])
		}
		return out
	}
	if len(vs) > 0 {
		tr := trend("", ts, vs)
		res.Trends = append(res.Trends, tr)
		name := methodNames[m]
		if len(vs) >= 2 {
			res.summary(req.Lang, fmt.Sprintf("%s 从 %.4g（%d 年）变为 %.4g（%d 年），线性趋势每年 %+.4g。", name[0], vs[0], int(ts[0]), vs[len(vs)-1], int(ts[len(ts)-1]), float64(*tr.Slope)),
				fmt.Sprintf("The %s went from %.4g (%d) to %.4g (%d), a linear trend of %+.4g a year.", name[1], vs[0], int(ts[0]), vs[len(vs)-1], int(ts[len(ts)-1]), float64(*tr.Slope)))
		}
	}
	for _, g := range order {
		var t, v []float64
		for _, p := range byGroup[g] {
			t, v = append(t, p[0]), append(v, p[1])
		}
		res.Trends = append(res.Trends, trend(g, t, v))
	}
	if m == "top-share" {
		res.note(req.Lang, "核心份额上升而其余成员份额下降即论文所说的“虹吸效应”；单一截面不能判断虹吸。", "A rising core share while the other members' share falls is the paper's siphon effect; one cross-section cannot show it.")
	}
	return res, nil
}

// validate checks a column with measure.Check and names the region.
func validate(method string, u *Units, x []float64, rule measure.Rule) error {
	if err := measure.Check(method, u.Names, x, rule); err != nil {
		return unitInputError(method, u.Names, err)
	}
	return nil
}

func needIndicator(req MeasureRequest) error {
	if req.Indicator == "" {
		return i18n.Errorf("方法 %s 需要 --indicator", "method %s needs --indicator", req.Method)
	}
	return nil
}

// groupsFor returns group labels for the units, or nil without grouping.
func groupsFor(ds *dataset.Dataset, u *Units, req MeasureRequest) ([]int, []string, error) {
	switch {
	case req.Group == "":
		return nil, nil, nil
	case isAgglomerationGroup(req.Group):
		g, names := AgglomerationGroups(ds, u.Codes, u.Level)
		if !slices.ContainsFunc(g, func(x int) bool { return x >= 0 }) {
			return g, names, noMembers(ds, u, names)
		}
		return g, names, nil
	}
	return GroupsFromIndicator(ds, u.Codes, req.Group, u.Year)
}

// noMembers is the error of a grouping by agglomeration in which no unit
// belongs to any of the agglomerations looked for.
func noMembers(ds *dataset.Dataset, u *Units, aggs []string) error {
	if ds.FreeUnits {
		return noUnitsError(i18n.Tf("数据中的 %d 个单元是自由单元（不是中国的行政区），不属于任何城市群，无法按城市群分组",
			"the %d units of the data are free units (not Chinese administrative regions) and belong to no agglomeration, so they cannot be grouped by agglomeration", len(u.Codes)))
	}
	lv := u.Level.Text()
	return noUnitsError(i18n.Tf("%[1]d 个单元（%[2]s，%[4]d 年）都不属于所查的城市群（%[5]s）：没有可按城市群分组的单元",
		"none of the %[1]d units (%[3]s, %[4]d) belongs to the agglomerations looked for (%[6]s): no unit can be grouped by agglomeration",
		len(u.Codes), lv.ZH, lv.EN, u.Year, agglomerationNames(ds, aggs, i18n.ZH), agglomerationNames(ds, aggs, i18n.EN)))
}

// agglomerationNames lists the names of agglomeration codes in lang.
func agglomerationNames(ds *dataset.Dataset, codes []string, lang string) string {
	names := make([]string, len(codes))
	for i, c := range codes {
		names[i] = groupName(ds, c, lang)
	}
	return listNames(names, lang)
}

func (r *MeasureResult) note(lang, zh, en string) {
	r.Notes = append(r.Notes, i18n.T(zh, en).In(lang))
}

func (r *MeasureResult) warn(lang, zh, en string) {
	r.Warnings = append(r.Warnings, i18n.T(zh, en).In(lang))
}

func (r *MeasureResult) summary(lang, zh, en string) {
	r.Summary = i18n.T(zh, en).In(lang)
}

// appendNew adds one year's warnings to a panel's, each prefixed with the
// year.
func appendNew(to, warnings []string, year int) []string {
	for _, w := range warnings {
		to = append(to, strconv.Itoa(year)+": "+w)
	}
	return to
}

func scalarMeasure(ds *dataset.Dataset, m string, req MeasureRequest) (*MeasureResult, error) {
	if err := needIndicator(req); err != nil {
		return nil, err
	}
	// The units are those with the measured indicator; weights are read
	// for them in the same year.
	u, err := CrossSection(ds, Selection{Indicators: []string{req.Indicator}, Year: req.Year, Lang: req.Lang})
	if err != nil {
		return nil, err
	}
	y := u.Values[0]
	w, wcode, err := readWeights(ds, u, req, m)
	if err != nil {
		return nil, err
	}
	req.Weight = wcode
	if m == "atkinson" && (!(req.Epsilon >= 0) || math.IsInf(req.Epsilon, 0)) {
		return nil, fieldError(FieldEpsilon, i18n.Errorf("ε 必须是非负数（收到 %g）", "ε must be a non-negative number (got %g)", req.Epsilon))
	}
	if m == "williamson" && w == nil {
		return nil, i18n.Errorf("williamson 需要 --weight（人口）", "williamson needs --weight (population)")
	}
	rule := measure.NonNegative | measure.AllowMissing
	if m == "theil-l" || m == "rank-size" {
		rule = measure.Positive | measure.AllowMissing
	}
	if err := validate(m, u, y, rule); err != nil {
		return nil, err
	}
	groups, gnames, err := groupsFor(ds, u, req)
	if err != nil {
		return nil, err
	}
	res := &MeasureResult{Method: m, Indicator: u.Indicators[0], Weight: req.Weight, Year: u.Year, Level: string(u.Level), N: countFinite(y, w)}
	if u.Dropped > 0 {
		res.note(req.Lang, "已忽略其他层级的 "+strconv.Itoa(u.Dropped)+" 个地区", strconv.Itoa(u.Dropped)+" regions at other levels left out")
	}
	if m == "theil" || m == "theil-l" {
		idx, name := measure.TheilT, "Theil T"
		if m == "theil-l" {
			idx, name = measure.TheilL, "Theil L"
		}
		g := groups
		if g == nil {
			g = make([]int, len(y))
		}
		yy, ww, gg := dropUngrouped(y, w, g)
		if len(yy) < len(y) {
			res.note(req.Lang, "不属于任何组的地区已忽略", "regions outside every group left out")
		}
		tr := measure.TheilDecompose(idx, yy, ww, gg)
		res.N = tr.N
		res.Value = nump(tr.Total)
		res.Formula = name + ": T = Σ p_i (y_i/μ) ln(y_i/μ), L = Σ p_i ln(μ/y_i); between/within decomposition over groups (docs/methods.md, theil)"
		if groups != nil {
			res.Between, res.Within = nump(tr.Between), nump(tr.Within)
			for _, gr := range tr.Groups {
				gv := GroupValue{Group: gnames[gr.Group], N: gr.N, Value: nump(gr.Value), Contribution: nump(gr.Contribution), Share: nump(gr.Share)}
				if r, ok := ds.Registry.Lookup(gv.Group); ok {
					gv.Name = r.Name(req.Lang)
				}
				res.Groups = append(res.Groups, gv)
			}
		}
		return res, nil
	}
	if m == "all" {
		return profile(ds, u, y, w, groups, gnames, req, res)
	}
	one := func(y, w []float64) (float64, map[string]Num) {
		switch m {
		case "gini":
			extra := map[string]Num{}
			if w == nil {
				extra["normalized"] = Num(measure.NormalizedGini(y))
			}
			return measure.Gini(y, w), extra
		case "cv":
			if req.Sample {
				if w != nil {
					return math.NaN(), nil
				}
				return measure.SampleCV(y), nil
			}
			return measure.CV(y, w), nil
		case "williamson":
			return measure.Williamson(y, w), nil
		case "atkinson":
			return measure.Atkinson(y, w, req.Epsilon), map[string]Num{"epsilon": Num(req.Epsilon)}
		case "primacy":
			s2, s4, s11 := measure.Primacy(y)
			return s2, map[string]Num{"s2": Num(s2), "s4": Num(s4), "s11": Num(s11)}
		case "hhi":
			return measure.HHI(y), map[string]Num{"normalized": Num(measure.NormalizedHHI(y)), "equivalent_number": Num(measure.EquivalentNumber(y))}
		case "top-share":
			k := req.Top
			if k <= 0 {
				k = 1
			}
			return measure.TopShare(y, k), map[string]Num{"top": Num(k)}
		case "rank-size":
			rs := measure.RankSize(y, req.Top)
			return rs.Slope, map[string]Num{"slope": Num(rs.Slope), "intercept": Num(rs.Intercept), "r2": Num(rs.R2), "q": Num(rs.Q), "k": Num(rs.K)}
		}
		return math.NaN(), nil
	}
	res.Formula = formulas[m]
	if groups == nil {
		v, extra := one(y, w)
		res.Value, res.Stats = nump(v), extra
		if m == "atkinson" && !math.IsNaN(v) {
			res.summary(req.Lang, fmt.Sprintf("阿特金森指数（ε = %g）为 %.4f：若分布完全均等，只需现有均值的 %.1f%% 即可达到同样的社会福利。", req.Epsilon, v, 100*(1-v)),
				fmt.Sprintf("Atkinson index (ε = %g) = %.4f: an equal distribution with %.1f%% of the current mean would give the same social welfare.", req.Epsilon, v, 100*(1-v)))
		}
		return res, nil
	}
	for gi, name := range gnames {
		var yy, ww []float64
		for i := range y {
			if groups[i] == gi {
				yy = append(yy, y[i])
				if w != nil {
					ww = append(ww, w[i])
				}
			}
		}
		gv := GroupValue{Group: name, N: countFinite(yy, ww)}
		if r, ok := ds.Registry.Lookup(name); ok {
			gv.Name = r.Name(req.Lang)
		}
		if m == "primacy" && gv.N < 2 {
			res.Groups = append(res.Groups, gv) // value null: fewer than two members
			continue
		}
		if gv.N == 0 {
			continue
		}
		v, extra := one(yy, ww)
		gv.Value, gv.Measures = nump(v), extra
		res.Groups = append(res.Groups, gv)
	}
	return res, nil
}

var formulas = map[string]string{
	"gini":       "G = Σ_i Σ_j p_i p_j |y_i − y_j| / (2μ); unweighted: p_i = 1/n (docs/methods.md, gini)",
	"cv":         "CV = σ/ȳ with the population σ (÷n); --sample uses ÷(n−1) (docs/methods.md, cv)",
	"williamson": "V_w = sqrt(Σ p_i (y_i − μ)²)/μ, μ = Σ p_i y_i (Williamson 1965; docs/methods.md, williamson)",
	"primacy":    "S2 = P1/P2, S4 = P1/(P2+P3+P4), S11 = 2P1/(P2+…+P11) (docs/methods.md, primacy)",
	"hhi":        "H = Σ s_i², H* = (H − 1/n)/(1 − 1/n), 1/H equivalent number (docs/methods.md, hhi)",
	"top-share":  "share of the k largest units in the total (docs/methods.md, top-share)",
	"rank-size":  "OLS ln P_r = a + b ln r over the top k units; q = −b (docs/methods.md, rank-size)",
	"all":        "profile: Gini, CV, Theil T, core share, top-2 share, primacy S2, HHI, rank-size slope per group (docs/methods.md)",
	"atkinson":   "A_ε = 1 − (Σ p_i y_i^(1−ε))^(1/(1−ε))/μ, A_1 = 1 − exp(Σ p_i ln y_i)/μ; p_i = 1/n or w_i/Σw (Atkinson 1970; docs/methods.md, atkinson)",
}

func countFinite(y, w []float64) int {
	n := 0
	for i, v := range y {
		if math.IsNaN(v) || (w != nil && (math.IsNaN(w[i]) || w[i] == 0)) {
			continue
		}
		n++
	}
	return n
}

func dropUngrouped(y, w []float64, g []int) ([]float64, []float64, []int) {
	var yy, ww []float64
	var gg []int
	for i := range y {
		if g[i] < 0 {
			continue
		}
		yy = append(yy, y[i])
		if w != nil {
			ww = append(ww, w[i])
		}
		gg = append(gg, g[i])
	}
	if w == nil {
		ww = nil
	}
	return yy, ww, gg
}

// profile computes the measures of an agglomeration profile per group.
func profile(ds *dataset.Dataset, u *Units, y, w []float64, groups []int, gnames []string, req MeasureRequest, res *MeasureResult) (*MeasureResult, error) {
	res.Formula = formulas["all"]
	if groups == nil {
		groups = make([]int, len(y))
		gnames = []string{"all"}
	}
	for gi, name := range gnames {
		var yy, ww []float64
		for i := range y {
			if groups[i] == gi && !math.IsNaN(y[i]) {
				yy = append(yy, y[i])
				if w != nil {
					ww = append(ww, w[i])
				}
			}
		}
		if w == nil {
			ww = nil
		}
		gv := GroupValue{Group: name, N: len(yy)}
		if r, ok := ds.Registry.Lookup(name); ok {
			gv.Name = r.Name(req.Lang)
		}
		if len(yy) == 0 {
			continue
		}
		s2, _, _ := measure.Primacy(yy)
		rs := measure.RankSize(yy, 0)
		gv.Measures = map[string]Num{
			"gini": Num(measure.Gini(yy, ww)), "cv": Num(measure.CV(yy, ww)), "theil": Num(measure.Theil(yy, ww)),
			"top1_share": Num(measure.TopShare(yy, 1)), "top2_share": Num(measure.TopShare(yy, 2)), "primacy_s2": Num(s2),
			"hhi": Num(measure.HHI(yy)), "rank_size_slope": Num(rs.Slope),
		}
		if len(yy) < 2 {
			res.note(req.Lang, name+"：只有一个单元，离散与首位度无意义（需要城市级数据）", name+": a single unit, so dispersion and primacy are undefined (city-level data needed)")
		}
		res.Groups = append(res.Groups, gv)
	}
	return res, nil
}
