package analysis

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"agglo/internal/dataset"
	"agglo/internal/i18n"
	"agglo/internal/measure"
	"agglo/internal/spatial"
)

// Spatial weights kinds of a WeightsSpec.
const (
	WeightsKNN      = "knn"      // K nearest neighbours
	WeightsDistance = "distance" // distance band of D km
	WeightsIDW      = "idw"      // inverse distance to the power P, all pairs
)

// Transforms of spatial weights.
const (
	TransformRow    = "row"    // row-standardised (the default)
	TransformBinary = "binary" // every link 1
	TransformNone   = "none"   // the raw weights (1, or d^−P for idw)
)

// DefaultSpatialWeights is the weights specification used when none is
// given: the 6 nearest neighbours, row-standardised.
const DefaultSpatialWeights = "knn:6"

// MaxPermutations bounds the permutations of a spatial statistic.
const MaxPermutations = 99_999

// WeightsSpec is a parsed spatial weights specification (knn:K,
// distance:D, idw:P) with its transform.
type WeightsSpec struct {
	Kind      string  `json:"kind"`
	K         int     `json:"k,omitempty"`
	Km        float64 `json:"km,omitempty"`
	Power     float64 `json:"power,omitempty"`
	Transform string  `json:"transform"`
}

// String writes the specification as it is parsed (knn:6).
func (w WeightsSpec) String() string {
	switch w.Kind {
	case WeightsKNN:
		return "knn:" + strconv.Itoa(w.K)
	case WeightsDistance:
		return "distance:" + strconv.FormatFloat(w.Km, 'g', -1, 64)
	case WeightsIDW:
		return "idw:" + strconv.FormatFloat(w.Power, 'g', -1, 64)
	}
	return ""
}

// ParseSpatialWeights parses knn:K (K ≥ 1 an integer), distance:D (D > 0
// km) or idw:P (P > 0); "" is DefaultSpatialWeights. The transform is
// row-standardised; ParseTransform gives another.
func ParseSpatialWeights(s string) (WeightsSpec, error) {
	if strings.TrimSpace(s) == "" {
		s = DefaultSpatialWeights
	}
	kind, arg, has := split(s)
	spec := WeightsSpec{Kind: kind, Transform: TransformRow}
	bad := func() (WeightsSpec, error) {
		return WeightsSpec{}, i18n.Errorf("空间权重“%s”无效（可写 knn:6、distance:300 或 idw:1；距离单位为千米）",
			"invalid spatial weights %q (write knn:6, distance:300 or idw:1; distances in km)", s)
	}
	if !has {
		return bad()
	}
	switch kind {
	case WeightsKNN:
		k, err := strconv.Atoi(arg)
		if err != nil || k < 1 || k > 1000 {
			return bad()
		}
		spec.K = k
	case WeightsDistance, WeightsIDW:
		v, ok := numbers(arg, 1)
		if !ok || !(v[0] > 0) {
			return bad()
		}
		if kind == WeightsDistance {
			spec.Km = v[0]
		} else {
			if v[0] > 10 {
				return bad()
			}
			spec.Power = v[0]
		}
	default:
		return bad()
	}
	return spec, nil
}

// ParseTransform parses a transform of spatial weights: row (the default,
// for ""), binary or none.
func ParseTransform(s string) (string, error) {
	switch t := strings.ToLower(strings.TrimSpace(s)); t {
	case "", TransformRow, "r", "w":
		return TransformRow, nil
	case TransformBinary, "b":
		return TransformBinary, nil
	case TransformNone, "raw":
		return TransformNone, nil
	}
	return "", i18n.Errorf("变换只能是 row（行标准化）、binary（二值）或 none（原始权重）（收到“%s”）",
		"the transform must be row, binary or none (got %q)", s)
}

// ParsePermutations parses a number of permutations, 0 to MaxPermutations.
func ParsePermutations(s string) (int, error) {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || n < 0 || n > MaxPermutations {
		return 0, i18n.Errorf("置换次数须为 0 到 %d 之间的整数（收到“%s”）", "the number of permutations must be an integer from 0 to %d (got %q)", MaxPermutations, s)
	}
	return n, nil
}

func (w WeightsSpec) transform() spatial.Transform {
	switch w.Transform {
	case TransformBinary:
		return spatial.Binary
	case TransformNone:
		return spatial.Raw
	}
	return spatial.RowStandardized
}

// coordinateColumns are the indicator codes read as coordinates when a
// region has none in the registry: a user's lon/lat columns that the
// importer keeps as indicators.
var (
	lonColumns = []string{"经度", "lon", "lng", "longitude", "x_lon"}
	latColumns = []string{"纬度", "lat", "latitude", "y_lat"}
)

// coordinateColumn finds the first indicator named in names.
func coordinateColumn(ds *dataset.Dataset, names []string) string {
	for _, n := range names {
		for _, ind := range ds.Indicators {
			if strings.EqualFold(ind.Code, n) || ind.NameZH == n || strings.EqualFold(ind.NameEN, n) {
				return ind.Code
			}
		}
	}
	return ""
}

// staticColumn reads an indicator that does not change over time (a
// coordinate, a group label): the value in year, else in a file's undated
// column, else the latest year with a value.
func staticColumn(ds *dataset.Dataset, codes []string, indicator string, year int) []float64 {
	out := ds.Column(codes, indicator, year)
	var years []int
	for i, v := range out {
		if !math.IsNaN(v) {
			continue
		}
		if v, ok := ds.Value(codes[i], indicator, 0); ok {
			out[i] = v
			continue
		}
		if years == nil {
			years = ds.YearsOf(indicator, nil)
		}
		for k := len(years) - 1; k >= 0; k-- {
			if v, ok := ds.Value(codes[i], indicator, years[k]); ok && !math.IsNaN(v) {
				out[i] = v
				break
			}
		}
	}
	return out
}

// unitCoordinates returns each unit's longitude and latitude: the region's
// own (the registry's seat for Chinese units), else the dataset's lon/lat
// (经度/纬度) columns; NaN where neither has one.
func unitCoordinates(ds *dataset.Dataset, codes []string, year int) (lon, lat []float64, fromColumns bool) {
	lon = make([]float64, len(codes))
	lat = make([]float64, len(codes))
	var lonCol, latCol []float64
	for i, c := range codes {
		lon[i], lat[i] = math.NaN(), math.NaN()
		if r, ok := ds.Region(c); ok && r.HasCoord() {
			lon[i], lat[i] = r.Lon, r.Lat
			continue
		}
		if lonCol == nil {
			lc, ac := coordinateColumn(ds, lonColumns), coordinateColumn(ds, latColumns)
			lonCol, latCol = make([]float64, len(codes)), make([]float64, len(codes))
			for k := range lonCol {
				lonCol[k], latCol[k] = math.NaN(), math.NaN()
			}
			if lc != "" && ac != "" {
				lonCol, latCol = staticColumn(ds, codes, lc, year), staticColumn(ds, codes, ac, year)
			}
		}
		if !math.IsNaN(lonCol[i]) && !math.IsNaN(latCol[i]) {
			lon[i], lat[i] = lonCol[i], latCol[i]
			fromColumns = true
		}
	}
	return lon, lat, fromColumns
}

// spatialUnits is the cross-section of a spatial statistic: the units
// with a value and coordinates, their values and weights.
type spatialUnits struct {
	*Units
	y        []float64
	w        *spatial.Weights
	lon, lat []float64
}

// keep restricts u to the units at positions idx.
func (u *Units) keep(idx []int) *Units {
	out := &Units{Indicators: u.Indicators, Level: u.Level, Year: u.Year, Dropped: u.Dropped, Values: make([][]float64, len(u.Values))}
	for _, i := range idx {
		out.Codes = append(out.Codes, u.Codes[i])
		out.Names = append(out.Names, u.Names[i])
	}
	for k := range u.Values {
		for _, i := range idx {
			out.Values[k] = append(out.Values[k], u.Values[k][i])
		}
	}
	return out
}

// listNames joins up to five names and counts the rest.
func listNames(names []string, lang string) string {
	if len(names) <= 5 {
		return strings.Join(names, i18n.T("、", ", ").In(lang))
	}
	return strings.Join(names[:5], i18n.T("、", ", ").In(lang)) + i18n.Tf("等 %d 个", " and %d more", len(names)-5).In(lang)
}

// prepareSpatial selects the units of a spatial statistic, leaves out
// (with a note) those without a value or coordinates, and builds the
// weights.
func prepareSpatial(ds *dataset.Dataset, req MeasureRequest, res *MeasureResult) (*spatialUnits, error) {
	if err := needIndicator(req); err != nil {
		return nil, err
	}
	u, err := CrossSection(ds, Selection{Indicators: []string{req.Indicator}, Year: req.Year, Lang: req.Lang})
	if err != nil {
		return nil, err
	}
	lon, lat, fromCols := unitCoordinates(ds, u.Codes, u.Year)
	var keep []int
	var noValue, noCoord []string
	for i := range u.Codes {
		switch {
		case math.IsNaN(u.Values[0][i]):
			noValue = append(noValue, u.Names[i])
		case math.IsNaN(lon[i]) || math.IsNaN(lat[i]):
			noCoord = append(noCoord, u.Names[i])
		default:
			keep = append(keep, i)
		}
	}
	res.Indicator, res.Year, res.Level = u.Indicators[0], u.Year, string(u.Level)
	if u.Dropped > 0 {
		res.note(req.Lang, "已忽略其他层级的 "+strconv.Itoa(u.Dropped)+" 个地区", strconv.Itoa(u.Dropped)+" regions at other levels left out")
	}
	if len(noValue) > 0 {
		res.note(req.Lang, "没有数值的地区已忽略："+listNames(noValue, i18n.ZH), "regions without a value left out: "+listNames(noValue, i18n.EN))
	}
	if len(noCoord) > 0 {
		res.warn(req.Lang, "没有坐标的地区已忽略（可在数据中加入“经度”“纬度”两列）："+listNames(noCoord, i18n.ZH),
			"regions without coordinates left out (add lon and lat columns, longitude and latitude in degrees, to the data): "+listNames(noCoord, i18n.EN))
	}
	if fromCols {
		res.note(req.Lang, "部分地区的坐标取自数据中的经度、纬度列", "coordinates of some regions come from the data's longitude and latitude columns")
	}
	su := &spatialUnits{Units: u.keep(keep)}
	su.y = su.Values[0]
	for _, i := range keep {
		su.lon, su.lat = append(su.lon, lon[i]), append(su.lat, lat[i])
	}
	res.N = len(su.Codes)
	spec := req.SpatialWeights
	if spec.Kind == "" {
		spec, _ = ParseSpatialWeights(DefaultSpatialWeights)
	}
	if spec.Transform == "" {
		spec.Transform = TransformRow
	}
	need := 3
	if spec.Kind == WeightsKNN {
		need = max(3, spec.K+1)
	}
	if len(su.Codes) < need {
		if spec.Kind == WeightsKNN && len(su.Codes) >= 3 {
			return nil, fieldError(FieldSpatialWeights, i18n.Errorf("knn:%d 需要至少 %d 个有坐标和数值的地区（现有 %d 个）",
				"knn:%d needs at least %d regions with coordinates and a value (there are %d)", spec.K, spec.K+1, len(su.Codes)))
		}
		if len(noCoord) > 0 {
			return nil, i18n.Errorf("空间统计至少需要 3 个有坐标和数值的地区（现有 %d 个）；%d 个地区没有坐标：中国地区取登记表中的坐标，其他单元请在数据中加入“经度”“纬度”两列",
				"a spatial statistic needs at least 3 regions with coordinates and a value (there are %d); %d regions have no coordinates: Chinese regions take the registry's, other units need lon and lat columns (longitude and latitude in degrees) in the data", len(su.Codes), len(noCoord))
		}
		return nil, i18n.Errorf("空间统计至少需要 3 个有坐标和数值的地区（现有 %d 个）", "a spatial statistic needs at least 3 regions with coordinates and a value (there are %d)", len(su.Codes))
	}
	t := spec.transform()
	switch spec.Kind {
	case WeightsKNN:
		su.w, err = spatial.KNN(su.lon, su.lat, spec.K, t)
	case WeightsDistance:
		su.w, err = spatial.DistanceBand(su.lon, su.lat, spec.Km, t)
	case WeightsIDW:
		su.w, err = spatial.InverseDistance(su.lon, su.lat, spec.Power, math.Inf(1), t)
	default:
		return nil, fieldError(FieldSpatialWeights, i18n.Errorf("未知的空间权重类型“%s”", "unknown spatial weights kind %q", spec.Kind))
	}
	if err != nil {
		return nil, fieldError(FieldSpatialWeights, unitInputError("weights", su.Names, err))
	}
	res.SpatialWeights = &spec
	if isl := su.w.Islands(); len(isl) > 0 {
		var names []string
		for _, i := range isl {
			res.Islands = append(res.Islands, su.Codes[i])
			names = append(names, su.Names[i])
		}
		res.warn(req.Lang, fmt.Sprintf("%d 个孤岛（在 %s 内没有邻居，空间滞后记为 0）：%s", len(isl), spec, listNames(names, i18n.ZH)),
			fmt.Sprintf("%d islands (no neighbour within %s; their spatial lag is 0): %s", len(isl), spec, listNames(names, i18n.EN)))
	}
	return su, nil
}

// unitInputError names the unit of a *measure.InputError.
func unitInputError(method string, names []string, err error) error {
	var ie *measure.InputError
	if errors.As(err, &ie) {
		r, m := reasonText(ie.Reason), MeasureName(method)
		if ie.Unit >= 0 && ie.Unit < len(names) {
			return i18n.Errorf("%[1]s：地区“%[3]s”的值 %[4]g 不可用（%[5]s）", "%[2]s: region %[3]q has value %[4]g, which the method cannot use (%[6]s)", m.ZH, m.EN, names[ie.Unit], ie.Value, r.ZH, r.EN)
		}
		return i18n.Errorf("%[1]s：参数 %[3]g 不可用（%[4]s）", "%[2]s: %[3]g cannot be used (%[5]s)", m.ZH, m.EN, ie.Value, r.ZH, r.EN)
	}
	return err
}

// spatialError turns an error of package spatial into a user message.
func spatialError(method string, names []string, err error) error {
	switch {
	case errors.Is(err, spatial.ErrConstant):
		return i18n.Errorf("%s：各地区的值都相同，统计量没有定义", "%s: every region has the same value, so the statistic is undefined", method)
	case errors.Is(err, spatial.ErrNoLinks):
		return fieldError(FieldSpatialWeights, i18n.Errorf("%s：空间权重没有任何连接（每个地区都是孤岛），请放大距离", "%s: the spatial weights have no links (every region is an island): use a larger distance", method))
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return err
	}
	return unitInputError(method, names, err)
}

func (req MeasureRequest) spatialOptions() (spatial.Options, error) {
	if req.Permutations < 0 || req.Permutations > MaxPermutations {
		return spatial.Options{}, fieldError(FieldPermutations, i18n.Errorf("置换次数须在 0 到 %d 之间（收到 %d）", "the number of permutations must lie between 0 and %d (got %d)", MaxPermutations, req.Permutations))
	}
	return spatial.Options{Permutations: req.Permutations, Seed: req.Seed, Workers: req.Workers}, nil
}

// significance words a p-value at the 1%, 5% and 10% levels.
func significance(p float64) (zh, en string, sig bool) {
	switch {
	case math.IsNaN(p):
		return "无法检验", "cannot be tested", false
	case p < 0.01:
		return "在 1% 水平上显著", "significant at the 1% level", true
	case p < 0.05:
		return "在 5% 水平上显著", "significant at the 5% level", true
	case p < 0.1:
		return "仅在 10% 水平上显著", "significant only at the 10% level", false
	}
	return "不显著", "not significant", false
}

// inferenceP is the p-value a summary relies on: the permutation p_sim
// when permutations ran, else the normal p.
func inferenceP(pSim, pNorm float64, perms int) (float64, string, string) {
	if perms > 0 && !math.IsNaN(pSim) {
		return pSim, fmt.Sprintf("置换检验 p = %.4g，%d 次", pSim, perms), fmt.Sprintf("permutation p = %.4g, %d permutations", pSim, perms)
	}
	return pNorm, fmt.Sprintf("正态近似 p = %.4g", pNorm), fmt.Sprintf("normal p = %.4g", pNorm)
}

// globalSpatial computes Moran's I or Geary's C of one year.
func globalSpatial(ctx context.Context, ds *dataset.Dataset, m string, req MeasureRequest) (*MeasureResult, error) {
	res := &MeasureResult{Method: m}
	opt, err := req.spatialOptions()
	if err != nil {
		return nil, err
	}
	su, err := prepareSpatial(ds, req, res)
	if err != nil {
		return nil, err
	}
	res.Permutations = opt.Permutations
	if opt.Permutations > 0 {
		res.Seed = &req.Seed
	}
	var value, expected, z, pNorm, pSim float64
	var stats map[string]Num
	var sim spatial.Simulation
	if m == "moran" {
		r, err := spatial.Moran(ctx, su.y, su.w, opt)
		if err != nil {
			return nil, spatialError(i18n.T("莫兰指数", "Moran's I").In(req.Lang), su.Names, err)
		}
		value, expected, z, pNorm, sim = r.I, r.Expected, r.ZNorm, r.PNorm, r.Sim
		stats = map[string]Num{"var_norm": Num(r.VarNorm), "var_rand": Num(r.VarRand), "z_rand": Num(r.ZRand), "p_rand": Num(r.PRand)}
		res.Formula = "I = (n/S0)·Σ_i Σ_j w_ij z_i z_j / Σ_i z_i², E[I] = −1/(n−1); z and two-tailed p_norm under normality; p_sim = (min(m, P−m)+1)/(P+1), m = #{I_sim ≥ I} (esda; docs/methods.md, moran)"
	} else {
		r, err := spatial.Geary(ctx, su.y, su.w, opt)
		if err != nil {
			return nil, spatialError(i18n.T("吉尔里指数", "Geary's C").In(req.Lang), su.Names, err)
		}
		value, expected, z, pNorm, sim = r.C, r.Expected, r.ZNorm, r.PNorm, r.Sim
		stats = map[string]Num{"var_norm": Num(r.VarNorm), "var_rand": Num(r.VarRand), "z_rand": Num(r.ZRand), "p_rand": Num(r.PRand)}
		res.Formula = "C = (n−1)·Σ_i Σ_j w_ij (y_i − y_j)² / (2 S0 Σ_i z_i²), E[C] = 1; z = (C − 1)/se under normality (negative for positive autocorrelation), p_norm one-tailed in the direction of z; p_sim folded as esda (docs/methods.md, geary)"
	}
	pSim = sim.PSim
	if opt.Permutations > 0 {
		stats["sim_mean"], stats["sim_sd"], stats["z_sim"] = Num(sim.Mean), Num(sim.SD), Num(sim.Z)
	}
	res.Value, res.Expected, res.Z, res.PNorm = nump(value), nump(expected), nump(z), nump(pNorm)
	if opt.Permutations > 0 {
		res.PSim = nump(pSim)
	}
	res.Stats = stats
	p, pzh, pen := inferenceP(pSim, pNorm, opt.Permutations)
	szh, sen, sig := significance(p)
	positive := value > expected
	if m == "geary" {
		positive = value < expected
	}
	name := map[string][2]string{"moran": {"莫兰指数 I", "Moran's I"}, "geary": {"吉尔里指数 C", "Geary's C"}}[m]
	dirZH, dirEN := "负空间自相关：相邻地区的值倾向于相异", "negative spatial autocorrelation: neighbouring regions tend to differ"
	if positive {
		dirZH, dirEN = "正空间自相关：相近的值在空间上集聚", "positive spatial autocorrelation: similar values cluster in space"
	}
	if sig {
		res.summary(req.Lang, fmt.Sprintf("%s = %.4f（期望 %.4f，z = %.2f，%s），%s，%s。", name[0], value, expected, z, pzh, szh, dirZH),
			fmt.Sprintf("%s = %.4f (expected %.4f, z = %.2f, %s): %s, %s.", name[1], value, expected, z, pen, sen, dirEN))
	} else {
		res.summary(req.Lang, fmt.Sprintf("%s = %.4f（期望 %.4f，z = %.2f，%s），%s：不能认为存在空间自相关，空间分布与随机分布无显著差别。", name[0], value, expected, z, pzh, szh),
			fmt.Sprintf("%s = %.4f (expected %.4f, z = %.2f, %s): %s; no evidence of spatial autocorrelation, the pattern does not differ significantly from a random one.", name[1], value, expected, z, pen, sen))
	}
	return res, nil
}

// SignificanceLevel is the p-value below which local statistics count as
// significant in their cluster labels and summaries.
const SignificanceLevel = 0.05

// lisaMeasure computes local Moran statistics.
func lisaMeasure(ctx context.Context, ds *dataset.Dataset, req MeasureRequest) (*MeasureResult, error) {
	res := &MeasureResult{Method: "lisa"}
	opt, err := req.spatialOptions()
	if err != nil {
		return nil, err
	}
	su, err := prepareSpatial(ds, req, res)
	if err != nil {
		return nil, err
	}
	res.Permutations = opt.Permutations
	if opt.Permutations > 0 {
		res.Seed = &req.Seed
	}
	loc, err := spatial.LISA(ctx, su.y, su.w, opt)
	if err != nil {
		return nil, spatialError(i18n.T("局部莫兰指数", "local Moran").In(req.Lang), su.Names, err)
	}
	counts := map[string]int{}
	for i, l := range loc {
		uv := UnitValue{Unit: su.Codes[i], Name: su.Names[i], Value: nump(l.I), Quadrant: l.Quadrant.String(), Z: nump(l.Z), Lag: nump(l.Lag), Island: l.Island,
			Lon: nump(su.lon[i]), Lat: nump(su.lat[i])}
		if opt.Permutations > 0 {
			uv.PSim = nump(l.PSim)
			if l.PSim <= SignificanceLevel {
				uv.Cluster = uv.Quadrant
				counts[uv.Cluster]++
			} else {
				uv.Cluster = "ns"
			}
		}
		res.Units = append(res.Units, uv)
	}
	res.Formula = "I_i = (n − 1)·z_i·Σ_j w_ij z_j / Σ_k z_k² (esda; spdep and GeoDa use n); quadrant from the signs of z_i and (Wz)_i, zero counted as low; p_sim by conditional permutation, folded; cluster = quadrant where p_sim ≤ 0.05 (docs/methods.md, lisa)"
	if opt.Permutations > 0 {
		res.summary(req.Lang, fmt.Sprintf("在 5%% 水平上显著的局部集聚：高-高（热点）%d 个，低-低（冷点）%d 个，低-高 %d 个，高-低 %d 个（共 %d 个地区，%d 次条件置换）。",
			counts["HH"], counts["LL"], counts["LH"], counts["HL"], len(loc), opt.Permutations),
			fmt.Sprintf("Local clusters significant at 5%%: %d high-high (hot spots), %d low-low (cold spots), %d low-high and %d high-low outliers (of %d regions, %d conditional permutations).",
				counts["HH"], counts["LL"], counts["LH"], counts["HL"], len(loc), opt.Permutations))
	} else {
		res.summary(req.Lang, "未做置换检验（--permutations 0），只给出局部莫兰指数与象限，不能判断显著性。",
			"No permutation test (permutations 0): local Moran values and quadrants only, without significance.")
	}
	return res, nil
}

// HotSpotZ is the |z| of Getis-Ord Gi above which a unit is a hot (or
// cold) spot: the two-sided 95% normal quantile.
const HotSpotZ = 1.959963984540054

// getisOrdMeasure computes local Getis-Ord Gi or Gi*.
func getisOrdMeasure(ds *dataset.Dataset, req MeasureRequest) (*MeasureResult, error) {
	res := &MeasureResult{Method: "getis-ord"}
	su, err := prepareSpatial(ds, req, res)
	if err != nil {
		return nil, err
	}
	if err := validate("getis-ord", su.Units, su.y, measure.NonNegative); err != nil {
		return nil, err
	}
	g, err := spatial.GetisOrd(su.y, su.w, req.Star)
	if err != nil {
		return nil, spatialError("Gi", su.Names, err)
	}
	hot, cold := 0, 0
	for i, l := range g {
		uv := UnitValue{Unit: su.Codes[i], Name: su.Names[i], Value: nump(l.G), Z: nump(l.Z), P: nump(l.P), Island: l.Island,
			Lon: nump(su.lon[i]), Lat: nump(su.lat[i])}
		switch {
		case l.Z >= HotSpotZ:
			uv.Cluster = "hot"
			hot++
		case l.Z <= -HotSpotZ:
			uv.Cluster = "cold"
			cold++
		default:
			uv.Cluster = "ns"
		}
		res.Units = append(res.Units, uv)
	}
	res.Stats = map[string]Num{"star": 0}
	if req.Star {
		res.Stats["star"] = 1
	}
	star := "Gi"
	if req.Star {
		star = "Gi*"
	}
	res.Formula = "G_i = Σ_j w_ij y_j / Σ_j y_j (Gi* with star: self weight 1 added before the transform, sums over all j); z = (G − E[G])/√Var[G] as esda G_Local, equal to spdep localG with --transform binary; p one-tailed; hot/cold spot where |z| ≥ 1.96 (docs/methods.md, getis-ord)"
	res.summary(req.Lang, fmt.Sprintf("%s：热点（z ≥ 1.96）%d 个，冷点（z ≤ −1.96）%d 个，共 %d 个地区。", star, hot, cold, len(g)),
		fmt.Sprintf("%s: %d hot spots (z ≥ 1.96) and %d cold spots (z ≤ −1.96) among %d regions.", star, hot, cold, len(g)))
	return res, nil
}
