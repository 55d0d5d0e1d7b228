package analysis

import (
	"math"
	"slices"

	"agglo/internal/dataset"
	"agglo/internal/i18n"
	"agglo/internal/measure"
)

// AgglomerationMeasuresRequest asks for the inequality and concentration
// of one indicator within each of the five agglomerations (over its
// members) and across them.
type AgglomerationMeasuresRequest struct {
	Indicator string
	// Year 0 takes the latest year in which the indicator has data.
	Year int
	// Level is the members' level: province, city, or "" for whichever
	// has more members with a value in each agglomeration.
	Level dataset.Level
	Lang  string
}

// IndicatorInfo names an indicator in the requested language.
type IndicatorInfo struct {
	Code string `json:"code"`
	Name string `json:"name"`
	Unit string `json:"unit"`
}

// GroupMeasures are the measures of one group of units.
type GroupMeasures struct {
	Code     string   `json:"code"`
	Name     string   `json:"name"`
	Level    string   `json:"level"`
	Units    []string `json:"units"`
	Values   []Num    `json:"values"`
	N        int      `json:"n"`
	Mean     Num      `json:"mean"`
	Gini     Num      `json:"gini"`
	CV       Num      `json:"cv"`
	TheilT   Num      `json:"theil_t"`
	HHI      Num      `json:"hhi"`
	TopShare Num      `json:"top_share"`
}

// MethodNote names a measure, its formula and its source.
type MethodNote struct {
	Name    string `json:"name"`
	Formula string `json:"formula"`
	Source  string `json:"source"`
}

// AgglomerationMeasures is the result of an AgglomerationMeasuresRequest.
type AgglomerationMeasures struct {
	Indicator IndicatorInfo `json:"indicator"`
	Year      int           `json:"year"`
	// Within has one entry per agglomeration: the measures over its
	// members.
	Within []GroupMeasures `json:"within"`
	// Across is the same over the five agglomerations themselves.
	Across  GroupMeasures `json:"across"`
	Methods []MethodNote  `json:"methods"`
	// Shared are the member cities that two of the agglomerations across
	// share: their values count in both.
	Shared []dataset.SharedMember `json:"shared,omitempty"`
}

func groupMeasureNotes() []MethodNote {
	return []MethodNote{
		{"gini", "G = Σ_i Σ_j |x_i − x_j| / (2 n² μ)", "Gini 1912; docs/methods.md, gini"},
		{"cv", "CV = σ / μ (population σ)", "docs/methods.md, cv"},
		{"theil_t", "T = (1/n) Σ (x_i/μ) ln(x_i/μ)", "Theil 1967; docs/methods.md, theil"},
		{"hhi", "HHI = Σ s_i², s_i = x_i / Σ x", "Herfindahl 1950; docs/methods.md, hhi"},
		{"top_share", "s_max = max x_i / Σ x", "docs/methods.md, top-share"},
	}
}

func measureGroup(code, name, level string, units []string, vals []float64) GroupMeasures {
	if units == nil {
		units = []string{}
	}
	g := GroupMeasures{Code: code, Name: name, Level: level, Units: units, Values: make([]Num, len(vals))}
	for i, v := range vals {
		g.Values[i] = Num(v)
	}
	sum := measure.Inequality(vals, nil)
	g.N, g.Mean, g.Gini, g.CV, g.TheilT = sum.N, Num(sum.Mean), Num(sum.Gini), Num(sum.CV), Num(sum.TheilT)
	g.HHI = Num(measure.HHI(vals))
	g.TopShare = Num(math.NaN())
	if sum.N >= 1 {
		g.TopShare = Num(measure.TopShare(vals, 1))
	}
	return g
}

// MeasureAgglomerations computes the measures of req.
func MeasureAgglomerations(ds *dataset.Dataset, req AgglomerationMeasuresRequest) (*AgglomerationMeasures, error) {
	ind, ok := ds.Indicator(req.Indicator)
	if !ok {
		return nil, notFound(FieldIndicator, i18n.Errorf("数据集中没有指标“%s”", "the dataset has no indicator %q", req.Indicator))
	}
	if req.Level != "" && req.Level != dataset.LevelProvince && req.Level != dataset.LevelCity {
		return nil, fieldError(FieldLevel, i18n.Errorf("层级只能是 province 或 city", "the level must be province or city"))
	}
	year := req.Year
	if year == 0 {
		if ys := ds.YearsOf(ind.Code, nil); len(ys) > 0 {
			year = ys[len(ys)-1]
		}
	}
	out := &AgglomerationMeasures{Indicator: IndicatorInfo{Code: ind.Code, Name: ind.Name(req.Lang), Unit: ind.Unit}, Year: year,
		Within: []GroupMeasures{}, Methods: groupMeasureNotes()}
	present := func(ms []dataset.Member) ([]string, []float64) {
		var codes []string
		var vals []float64
		for _, m := range ms {
			if v, ok := ds.Value(m.Code, ind.Code, year); ok && !math.IsNaN(v) {
				codes = append(codes, m.Code)
				vals = append(vals, v)
			}
		}
		return codes, vals
	}
	for _, a := range ds.Registry.Agglomerations() {
		// Members at the level with more values: province statistics
		// (Table 3) also match the municipalities among the cities.
		cu, cv := present(a.Members)
		pu, pv := present(a.ProvinceMembers)
		level, units, vals := dataset.LevelCity, cu, cv
		if req.Level == dataset.LevelProvince || req.Level == "" && len(pu) > len(cu) {
			level, units, vals = dataset.LevelProvince, pu, pv
		}
		out.Within = append(out.Within, measureGroup(a.Code, a.Name(req.Lang), string(level), units, vals))
	}
	var units, set []string
	var vals []float64
	for _, a := range ds.Registry.Agglomerations() {
		set = append(set, a.Code)
		if v, ok := ds.Value(a.Code, ind.Code, year); ok && !math.IsNaN(v) {
			units = append(units, a.Code)
			vals = append(vals, v)
		}
	}
	code, name := "FIVE", i18n.T("五大城市群", "Five agglomerations")
	if !slices.Equal(set, dataset.AgglomerationCodes()) {
		code, name = "SET", i18n.T("所选城市群", "The agglomerations chosen")
	}
	out.Across = measureGroup(code, name.In(req.Lang), string(dataset.LevelAgglomeration), units, vals)
	// Members in two of the agglomerations: sums over them count these
	// twice, and the output says so.
	if len(units) > 1 {
		out.Shared = ds.Registry.SharedMembers(units...)
	}
	return out, nil
}

// MemberMeans returns each agglomeration's mean of an indicator over its
// member provinces in year (NaN where none has a value), in the order of
// dataset.AgglomerationCodes: how the paper reads Table 3.
func MemberMeans(ds *dataset.Dataset, indicator string, year int) []float64 {
	codes := dataset.AgglomerationCodes()
	out := make([]float64, len(codes))
	for i, c := range codes {
		out[i] = math.NaN()
		a, ok := ds.Registry.Lookup(c)
		if !ok {
			continue
		}
		sum, n := 0.0, 0
		for _, m := range a.ProvinceMembers {
			if v, ok := ds.Value(m.Code, indicator, year); ok && !math.IsNaN(v) {
				sum += v
				n++
			}
		}
		if n > 0 {
			out[i] = sum / float64(n)
		}
	}
	return out
}
