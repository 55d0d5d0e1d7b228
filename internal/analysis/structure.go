package analysis

import (
	"context"
	"errors"
	"math"
	"strings"

	"agglo/internal/composite"
	"agglo/internal/dataset"
	"agglo/internal/i18n"
)

// Defaults of the report's spatial structure, convergence and inequality
// decomposition: k nearest neighbours (row-standardised), permutations of
// the spatial statistics, and the grid of the kernel densities.
const (
	StructureNeighbours   = 6
	StructurePermutations = 999
	StructureKernelPoints = 256
)

// Parts of the structure analysis, named in StructureSkip.
const (
	PartSpatial     = "spatial"     // global Moran's I and Geary's C, LISA, Gi*
	PartConvergence = "convergence" // σ and β convergence, clubs
	PartClubs       = "clubs"       // club β by agglomeration
	PartDagum       = "dagum"       // Dagum Gini decomposition
	PartDagumPanel  = "dagum-panel" // the decomposition in every year
	PartKernel      = "kernel"      // kernel densities by year
	PartObstacle    = "obstacle"    // obstacle degree of the composite index
)

// StructureRequest sets the structure analysis of the report.
type StructureRequest struct {
	// Lang is the language of unit names in the results.
	Lang string
	// Permutations (0: StructurePermutations) and Seed (0: 1) of the
	// spatial statistics' permutation inference.
	Permutations int
	Seed         uint64
	// Index is the composite index whose obstacles are reported; nil
	// leaves the obstacle degree out.
	Index *IndexRequest
}

// StructureSkip says why a part of the structure analysis could not run
// on the data.
type StructureSkip struct {
	Part   string    `json:"part"`
	Reason i18n.Text `json:"reason"`
}

// Structure is the report's part on spatial structure, convergence and
// inequality decomposition: each method's result where the data allow it,
// and for each part that could not run, why.
type Structure struct {
	// Indicator is measured across the members (provinces or cities) in
	// Year at Level by the spatial statistics and the Dagum decomposition.
	Indicator string `json:"indicator,omitempty"`
	Year      int    `json:"year,omitempty"`
	Level     string `json:"level,omitempty"`
	// Weights, Permutations and Seed are those of the spatial statistics.
	Weights      *WeightsSpec   `json:"spatial_weights,omitempty"`
	Permutations int            `json:"permutations,omitempty"`
	Seed         uint64         `json:"seed,omitempty"`
	Moran        *MeasureResult `json:"moran,omitempty"`
	Geary        *MeasureResult `json:"geary,omitempty"`
	LISA         *MeasureResult `json:"lisa,omitempty"`
	// GetisOrd is Gi* (self weight included).
	GetisOrd *MeasureResult `json:"getis_ord,omitempty"`
	// PanelIndicator has several years: convergence, the kernel densities
	// and the decomposition by year read it.
	PanelIndicator string         `json:"panel_indicator,omitempty"`
	Convergence    *MeasureResult `json:"convergence,omitempty"`
	Dagum          *MeasureResult `json:"dagum,omitempty"`
	// DagumPanel is the decomposition in every year of PanelIndicator.
	DagumPanel *MeasureResult `json:"dagum_panel,omitempty"`
	Kernel     *MeasureResult `json:"kernel,omitempty"`
	Obstacle   *MeasureResult `json:"obstacle,omitempty"`
	// Network is the gravity linkage network among the members of the
	// agglomerations (population and GDP, see PartNetwork).
	Network *MeasureResult  `json:"network,omitempty"`
	Skipped []StructureSkip `json:"skipped,omitempty"`
	// Notes qualify the spatial statistics (regions left out for lack of
	// coordinates), in both languages.
	Notes []i18n.Text `json:"notes,omitempty"`
}

// Skip returns why part could not run, if it did not.
func (s *Structure) Skip(part string) (i18n.Text, bool) {
	for _, k := range s.Skipped {
		if k.Part == part {
			return k.Reason, true
		}
	}
	return i18n.Text{}, false
}

func (s *Structure) skip(part string, reason i18n.Text) {
	s.Skipped = append(s.Skipped, StructureSkip{Part: part, Reason: reason})
}

// structureCandidates are the indicators the structure analysis prefers,
// in order: the composite innovation index, R&D expenditure and intensity,
// patents granted, GDP and population.
var structureCandidates = []string{"cric_composite", "rd_expenditure", "rd_intensity", "patent_grants", "gdp", "population", "popu"}

// unitLevel reports whether units at level l are members of
// agglomerations (provinces, cities, counties) or a file's free units.
func unitLevel(l dataset.Level) bool {
	return l == dataset.LevelProvince || l == dataset.LevelCity || l == dataset.LevelCounty || l == dataset.LevelUnit
}

// coordinateCode reports whether an indicator holds coordinates: its code,
// Chinese or English name is one of the names coordinateColumn looks for.
// It looks at the one indicator, so that loops over a file's indicators
// stay linear.
func coordinateCode(ds *dataset.Dataset, code string) bool {
	ind, ok := ds.Indicator(code)
	if !ok {
		return false
	}
	for _, names := range [][]string{lonColumns, latColumns} {
		for _, n := range names {
			if strings.EqualFold(ind.Code, n) || ind.NameZH == n || strings.EqualFold(ind.NameEN, n) {
				return true
			}
		}
	}
	return false
}

// structureUnits is the latest cross-section of code when it has at least
// three members with a value.
func structureUnits(ds *dataset.Dataset, code string) (*Units, bool) {
	if _, ok := ds.IndicatorIndex(code); !ok || coordinateCode(ds, code) {
		return nil, false
	}
	u, err := CrossSection(ds, Selection{Indicators: []string{code}, Lang: i18n.ZH})
	if err != nil || !unitLevel(u.Level) {
		return nil, false
	}
	n := 0
	for _, v := range u.Values[0] {
		if !math.IsNaN(v) {
			n++
		}
	}
	return u, n >= 3
}

// structureIndicator picks the indicator of the cross-section methods: the
// first of structureCandidates with three members, else the data's first
// indicator with three members.
func structureIndicator(ds *dataset.Dataset) (string, *Units) {
	for _, c := range structureCandidates {
		if u, ok := structureUnits(ds, c); ok {
			return c, u
		}
	}
	for _, ind := range ds.Indicators {
		if u, ok := structureUnits(ds, ind.Code); ok {
			return ind.Code, u
		}
	}
	return "", nil
}

// panelIndicator picks the indicator of the methods over years: the
// cross-section's own when it has two years or more, else the first
// candidate (then the first indicator of the data) with two years and
// three members at the cross-section's level.
func panelIndicator(ds *dataset.Dataset, first string, level dataset.Level) string {
	ok := func(c string) bool {
		if _, has := ds.IndicatorIndex(c); !has || coordinateCode(ds, c) || len(ds.YearsOf(c, nil)) < 2 {
			return false
		}
		u, good := structureUnits(ds, c)
		return good && (level == "" || u.Level == level)
	}
	if first != "" && ok(first) {
		return first
	}
	for _, c := range structureCandidates {
		if ok(c) {
			return c
		}
	}
	for _, ind := range ds.Indicators {
		if ok(ind.Code) {
			return ind.Code
		}
	}
	return ""
}

// reasonOf words an error of a method as a reason in both languages.
func reasonOf(err error) i18n.Text {
	return i18n.T(i18n.Message(err, i18n.ZH), i18n.Message(err, i18n.EN))
}

// cancelled reports whether err ends the analysis (the context is done).
func cancelled(ctx context.Context, err error) bool {
	return ctx.Err() != nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}

// ReportStructure runs the report's spatial structure, convergence and
// inequality decomposition on ds: global Moran's I and Geary's C, LISA
// clusters and Getis-Ord Gi* hot and cold spots of a size or innovation
// indicator across the members (k = 6 nearest neighbours by great-circle
// distance, row-standardised, 999 permutations, seed 1); σ- and
// β-convergence with clubs by agglomeration, the Dagum decomposition by
// year and kernel densities over the years of a panel indicator; the
// Dagum Gini decomposition by agglomeration; the gravity linkage network
// among the members from population and GDP (centrality, density,
// communities against the agglomerations); and the obstacle degree of the
// composite index. A part the data cannot support is recorded in
// Skipped with the reason; only a cancelled context is an error.
func ReportStructure(ctx context.Context, ds *dataset.Dataset, req StructureRequest) (*Structure, error) {
	perms, seed := req.Permutations, req.Seed
	if perms == 0 {
		perms = StructurePermutations
	}
	if seed == 0 {
		seed = 1
	}
	out := &Structure{Permutations: perms, Seed: seed}
	code, u := structureIndicator(ds)
	if code == "" {
		out.skip(PartSpatial, i18n.T("数据中没有至少 3 个省份或城市都有数值的指标，无法计算空间自相关。", "No indicator has values for at least 3 provinces or cities, so spatial autocorrelation cannot be computed."))
		out.skip(PartDagum, i18n.T("数据中没有至少 3 个省份或城市都有数值的指标，无法做达格姆基尼系数分解。", "No indicator has values for at least 3 provinces or cities, so the Dagum Gini decomposition cannot be computed."))
	} else {
		out.Indicator, out.Year, out.Level = code, u.Year, string(u.Level)
		if err := out.spatial(ctx, ds, u, req.Lang); err != nil {
			return nil, err
		}
		out.dagum(ds, req.Lang)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var level dataset.Level
	if u != nil {
		level = u.Level
	}
	out.PanelIndicator = panelIndicator(ds, code, level)
	out.panel(ds, req.Lang)
	if err := out.network(ctx, ds, req.Lang); err != nil {
		return nil, err
	}
	if err := out.obstacle(ctx, ds, req); err != nil {
		return nil, err
	}
	return out, nil
}

// spatial runs the global and local spatial statistics on the units of u
// that have coordinates.
func (s *Structure) spatial(ctx context.Context, ds *dataset.Dataset, u *Units, lang string) error {
	lon, lat, _ := unitCoordinates(ds, u.Codes, u.Year)
	n := 0
	var zh, en []string
	for i, c := range u.Codes {
		switch {
		case math.IsNaN(u.Values[0][i]):
		case math.IsNaN(lon[i]) || math.IsNaN(lat[i]):
			z, e := c, c
			if r, ok := ds.Region(c); ok {
				z, e = r.Name(i18n.ZH), r.Name(i18n.EN)
			}
			zh, en = append(zh, z), append(en, e)
		default:
			n++
		}
	}
	if len(zh) > 0 && n >= 4 {
		s.Notes = append(s.Notes, i18n.T("没有坐标的地区不参与空间统计："+listNames(zh, i18n.ZH), "Regions without coordinates are left out of the spatial statistics: "+listNames(en, i18n.EN)))
	}
	if n < 4 {
		s.skip(PartSpatial, i18n.Tf("只有 %d 个有数值的地区有坐标（至少需要 4 个）：中国的省份和城市取登记表中的坐标，其他单元需要在数据中加入经度、纬度两列。",
			"Only %d regions with a value have coordinates (at least 4 are needed): Chinese provinces and cities take the registry's coordinates, other units need longitude and latitude columns in the data.", n))
		return nil
	}
	spec := WeightsSpec{Kind: WeightsKNN, K: min(StructureNeighbours, n-1), Transform: TransformRow}
	s.Weights = &spec
	base := MeasureRequest{Indicator: s.Indicator, Year: s.Year, SpatialWeights: spec, Permutations: s.Permutations, Seed: s.Seed, Lang: lang}
	run := func(method string, star bool) (*MeasureResult, error) {
		r := base
		r.Method, r.Star = method, star
		if star {
			// Gi* on binary weights, as Getis and Ord (1992) and spdep's
			// localG: esda's moments for row-standardised weights treat
			// the neighbours' mean as one draw, which makes hot spots rare.
			r.SpatialWeights.Transform = TransformBinary
		}
		return MeasureContext(ctx, ds, r)
	}
	var err error
	for _, m := range []struct {
		method string
		star   bool
		to     **MeasureResult
	}{{"moran", false, &s.Moran}, {"geary", false, &s.Geary}, {"lisa", false, &s.LISA}, {"getis-ord", true, &s.GetisOrd}} {
		if *m.to, err = run(m.method, m.star); err != nil {
			if cancelled(ctx, err) {
				return err
			}
			s.Moran, s.Geary, s.LISA, s.GetisOrd = nil, nil, nil, nil
			s.skip(PartSpatial, reasonOf(err))
			return nil
		}
	}
	return nil
}

// groupCount counts the agglomerations with a member among codes.
func groupCount(ds *dataset.Dataset, codes []string, level dataset.Level) int {
	g, _ := AgglomerationGroups(ds, codes, level)
	seen := map[int]bool{}
	for _, x := range g {
		if x >= 0 {
			seen[x] = true
		}
	}
	return len(seen)
}

// dagum decomposes the Gini coefficient of the indicator by agglomeration.
func (s *Structure) dagum(ds *dataset.Dataset, lang string) {
	u, err := CrossSection(ds, Selection{Indicators: []string{s.Indicator}, Year: s.Year, Lang: lang})
	if err == nil {
		var codes []string
		for i, c := range u.Codes {
			if !math.IsNaN(u.Values[0][i]) {
				codes = append(codes, c)
			}
		}
		if k := groupCount(ds, codes, u.Level); k < 2 {
			s.skip(PartDagum, i18n.Tf("有数值的地区只属于 %d 个城市群：组间分解至少需要 2 个城市群的成员。", "The regions with a value belong to %d agglomeration(s): the decomposition needs members of at least 2 agglomerations.", k))
			return
		}
	}
	if s.Dagum, err = Measure(ds, MeasureRequest{Method: "dagum", Indicator: s.Indicator, Year: s.Year, Group: GroupAgglomeration, Lang: lang}); err != nil {
		s.skip(PartDagum, reasonOf(err))
	}
}

// panel runs convergence with clubs by agglomeration, the Dagum
// decomposition in every year and the kernel densities by year on the
// panel indicator.
func (s *Structure) panel(ds *dataset.Dataset, lang string) {
	code := s.PanelIndicator
	if code == "" {
		years := []int{}
		if s.Indicator != "" {
			years = ds.YearsOf(s.Indicator, nil)
		}
		why := i18n.T("数据中没有跨越两个以上年份的指标，无法分析收敛与分布演变。", "No indicator spans two years or more, so convergence and the evolution of the distribution cannot be analysed.")
		if len(years) == 1 {
			why = i18n.Tf("数据只有一个年份（%d 年），无法分析收敛与分布演变：需要至少两个年份的面板数据（如 2010—2023 年各省科技统计）。",
				"The data cover one year only (%d), so convergence and the evolution of the distribution cannot be analysed: a panel of at least two years is needed (such as the provinces' science and technology statistics for 2010-2023).", years[0])
		}
		s.skip(PartConvergence, why)
		s.skip(PartKernel, why)
		if s.Indicator != "" {
			// One year still has a distribution.
			if k, err := Measure(ds, MeasureRequest{Method: "kernel", Indicator: s.Indicator, Year: s.Year, Points: StructureKernelPoints, Lang: lang}); err == nil {
				s.Kernel = k
			}
		}
		return
	}
	var err error
	if s.Convergence, err = Measure(ds, MeasureRequest{Method: "convergence", Indicator: code, Group: GroupAgglomeration, Lang: lang}); err != nil {
		s.skip(PartConvergence, reasonOf(err))
	} else if len(s.Convergence.Clubs) == 0 {
		s.skip(PartClubs, i18n.T("数据中的地区不属于任何城市群，无法按城市群估计俱乐部收敛。", "No region of the data belongs to an agglomeration, so club convergence by agglomeration cannot be estimated."))
	}
	if s.Kernel, err = Measure(ds, MeasureRequest{Method: "kernel", Indicator: code, Panel: true, Points: StructureKernelPoints, Lang: lang}); err != nil {
		s.skip(PartKernel, reasonOf(err))
	}
	if s.Dagum != nil && code == s.Indicator {
		if s.DagumPanel, err = Measure(ds, MeasureRequest{Method: "dagum", Indicator: code, Group: GroupAgglomeration, Panel: true, Lang: lang}); err != nil {
			s.DagumPanel = nil
			s.skip(PartDagumPanel, reasonOf(err))
		}
	}
}

// obstacle runs the obstacle degree model on the composite index.
func (s *Structure) obstacle(ctx context.Context, ds *dataset.Dataset, req StructureRequest) error {
	if req.Index == nil || req.Index.Framework == nil {
		s.skip(PartObstacle, i18n.T("没有可用的综合指数，无法计算障碍度。", "There is no composite index, so obstacle degrees cannot be computed."))
		return nil
	}
	if _, err := PrepareIndex(ds, *req.Index); err != nil {
		s.skip(PartObstacle, i18n.T("数据缺少综合指数框架的分项指标，无法计算障碍度（障碍度方法可指定其他框架）。",
			"The data lack the indicators of the composite index's framework, so obstacle degrees cannot be computed (agglo measure obstacle takes other frameworks)."))
		return nil
	}
	r, err := MeasureContext(ctx, ds, MeasureRequest{Method: "obstacle", Index: req.Index, Lang: req.Lang})
	if err != nil {
		if cancelled(ctx, err) {
			return err
		}
		s.skip(PartObstacle, reasonOf(err))
		return nil
	}
	s.Obstacle = r
	return nil
}

// structureIndex is the index whose obstacles the report shows: the CRIC
// framework rebuilt from Table 3's dimensions.
func structureIndex(lang string) *IndexRequest {
	fw, err := composite.Builtin("cric")
	if err != nil {
		return nil
	}
	return &IndexRequest{Framework: fw, Lang: lang}
}
