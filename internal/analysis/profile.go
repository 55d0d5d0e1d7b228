package analysis

import (
	"math"
	"sort"
	"strings"

	"agglo/internal/dataset"
)

// ProfileRequest asks for the profile of every agglomeration the data
// cover: its key indicators against the average of the agglomerations,
// its strengths and weaknesses, and the trend of each indicator where the
// data have several years.
type ProfileRequest struct {
	// Strengths is the most strengths and weaknesses listed (0: 3).
	Strengths int
}

// Value sources of a profile value.
const (
	// ProfileOwn is a value of the agglomeration itself.
	ProfileOwn = "own"
	// ProfileMemberMean is the unweighted mean over the agglomeration's
	// member provinces (or member cities when no province has one): how
	// the paper reads Table 3.
	ProfileMemberMean = "member_mean"
)

// ProfileValue is one key indicator of one agglomeration.
type ProfileValue struct {
	Indicator string `json:"indicator"`
	Year      int    `json:"year"`
	Value     Num    `json:"value"`
	// Source is ProfileOwn or ProfileMemberMean; Members counts the
	// members averaged.
	Source  string   `json:"source"`
	Members []string `json:"members,omitempty"`
	// Benchmark is the mean of the covered agglomerations' values of the
	// indicator in the year; Relative is 100·Value/Benchmark.
	Benchmark Num `json:"benchmark"`
	Relative  Num `json:"relative"`
	// Score is Relative − 100 signed by the indicator's polarity: positive
	// is better than the benchmark.
	Score Num `json:"score"`
	// Rank among the agglomerations with a value (1 is the best by the
	// indicator's polarity), of Of.
	Rank int `json:"rank"`
	Of   int `json:"of"`
}

// TrendPoint is one year of a trend.
type TrendPoint struct {
	Year  int `json:"year"`
	Value Num `json:"value"`
}

// ProfileTrend is the series of one indicator of one agglomeration over
// the years the data have, with its compound annual growth
//
//	g = (v_last / v_first)^(1/(y_last − y_first)) − 1
//
// (NaN when either end is not positive).
type ProfileTrend struct {
	Indicator    string       `json:"indicator"`
	Points       []TrendPoint `json:"points"`
	AnnualGrowth Num          `json:"annual_growth"`
}

// AgglomerationProfile is the profile of one agglomeration.
type AgglomerationProfile struct {
	Code   string         `json:"code"`
	Values []ProfileValue `json:"values"`
	// Strengths and Weaknesses are indicator codes, the furthest above
	// (below) the benchmark first.
	Strengths  []string       `json:"strengths"`
	Weaknesses []string       `json:"weaknesses"`
	Trends     []ProfileTrend `json:"trends"`
	// Rank is the agglomeration's place by RankIndicator (0 when it has
	// no value of it).
	Rank int `json:"rank"`
}

// Value returns the profile's value of an indicator.
func (p AgglomerationProfile) Value(indicator string) (ProfileValue, bool) {
	for _, v := range p.Values {
		if v.Indicator == indicator {
			return v, true
		}
	}
	return ProfileValue{}, false
}

// Profiles are the profiles of every covered agglomeration.
type Profiles struct {
	// Indicators are the key indicators: those measured per unit (a rate,
	// a share, a density, a score) that at least two agglomerations have.
	// Totals (population, GDP, counts) compare sizes, not performance, and
	// are left out.
	Indicators []string `json:"indicators"`
	// RankIndicator orders the agglomerations in Ranking (best first).
	RankIndicator  string                 `json:"rank_indicator"`
	Ranking        []string               `json:"ranking"`
	Agglomerations []AgglomerationProfile `json:"agglomerations"`
	// FiveGroup is true when the covered agglomerations are exactly the
	// paper's five, so that the benchmark is the five-group average.
	FiveGroup bool `json:"five_group"`
}

// intensive reports whether an indicator is measured per unit (a ratio, a
// share, a score) rather than a total.
func intensive(ind *dataset.Indicator) bool {
	if ind.Dimension == "scale" || strings.HasSuffix(ind.Code, "_share_national") {
		return false
	}
	u := strings.TrimSpace(ind.Unit)
	return strings.Contains(u, "/") || u == "%" || u == "‰" || u == "" || u == "分"
}

// profileValue returns an agglomeration's value of an indicator in a year:
// its own, else the mean over its member provinces, else over its member
// cities.
func profileValue(ds *dataset.Dataset, agg *dataset.Region, ind string, year int) (float64, string, []string, bool) {
	if v, ok := ds.Value(agg.Code, ind, year); ok && !math.IsNaN(v) {
		return v, ProfileOwn, nil, true
	}
	for _, ms := range [][]dataset.Member{agg.ProvinceMembers, agg.Members} {
		sum, n := 0.0, 0
		var used []string
		for _, m := range ms {
			if v, ok := ds.Value(m.Code, ind, year); ok && !math.IsNaN(v) {
				sum += v
				n++
				used = append(used, m.Code)
			}
		}
		if n > 0 {
			return sum / float64(n), ProfileMemberMean, used, true
		}
	}
	return math.NaN(), "", nil, false
}

// Profile builds the profiles of ds's agglomerations. Each key indicator
// is read in the latest year in which at least two agglomerations have it;
// the benchmark is the mean over the agglomerations that have it then.
func Profile(ds *dataset.Dataset, req ProfileRequest) (*Profiles, error) {
	if req.Strengths <= 0 {
		req.Strengths = 3
	}
	out := &Profiles{Indicators: []string{}, Ranking: []string{}, Agglomerations: []AgglomerationProfile{}}
	if ds == nil || ds.Registry == nil {
		return out, nil
	}
	aggs := ds.Registry.Agglomerations()
	type cell struct {
		v       float64
		src     string
		members []string
	}
	// values[ind][year][agg]
	values := map[string]map[int]map[string]cell{}
	years := map[string]int{}
	for i := range ds.Indicators {
		ind := &ds.Indicators[i]
		if !intensive(ind) {
			continue
		}
		byYear := map[int]map[string]cell{}
		for _, y := range ds.YearsOf(ind.Code, nil) {
			m := map[string]cell{}
			for _, a := range aggs {
				if v, src, mem, ok := profileValue(ds, a, ind.Code, y); ok {
					m[a.Code] = cell{v, src, mem}
				}
			}
			if len(m) > 0 {
				byYear[y] = m
			}
		}
		latest, found := 0, false
		for y, m := range byYear {
			if len(m) >= 2 && (!found || y > latest) {
				latest, found = y, true
			}
		}
		if !found {
			continue
		}
		values[ind.Code] = byYear
		years[ind.Code] = latest
		out.Indicators = append(out.Indicators, ind.Code)
	}
	covered := map[string]bool{}
	for _, c := range out.Indicators {
		for a := range values[c][years[c]] {
			covered[a] = true
		}
	}
	five := len(covered) == len(dataset.AgglomerationCodes())
	for _, c := range dataset.AgglomerationCodes() {
		five = five && covered[c]
	}
	out.FiveGroup = five
	profiles := map[string]*AgglomerationProfile{}
	for _, a := range aggs {
		if covered[a.Code] {
			out.Agglomerations = append(out.Agglomerations, AgglomerationProfile{Code: a.Code, Values: []ProfileValue{}, Strengths: []string{}, Weaknesses: []string{}, Trends: []ProfileTrend{}})
		}
	}
	for i := range out.Agglomerations {
		profiles[out.Agglomerations[i].Code] = &out.Agglomerations[i]
	}
	for _, c := range out.Indicators {
		ind, _ := ds.Indicator(c)
		pol := float64(ind.Polarity)
		if pol == 0 {
			pol = 1
		}
		y := years[c]
		m := values[c][y]
		sum := 0.0
		for _, v := range m {
			sum += v.v
		}
		bench := sum / float64(len(m))
		codes := make([]string, 0, len(m))
		for a := range m {
			codes = append(codes, a)
		}
		sort.Slice(codes, func(i, j int) bool {
			if m[codes[i]].v != m[codes[j]].v {
				return pol*m[codes[i]].v > pol*m[codes[j]].v
			}
			return codes[i] < codes[j]
		})
		for k, a := range codes {
			v := m[a]
			rel, score := math.NaN(), math.NaN()
			if bench > 0 {
				rel = 100 * v.v / bench
				score = pol * (rel - 100)
			}
			// Ties share the better rank.
			rank := k + 1
			for k2 := k - 1; k2 >= 0 && m[codes[k2]].v == v.v; k2-- {
				rank = k2 + 1
			}
			profiles[a].Values = append(profiles[a].Values, ProfileValue{Indicator: c, Year: y, Value: Num(v.v), Source: v.src, Members: v.members,
				Benchmark: Num(bench), Relative: Num(rel), Score: Num(score), Rank: rank, Of: len(m)})
		}
		// Trends: every agglomeration with two or more years.
		ys := make([]int, 0, len(values[c]))
		for y := range values[c] {
			ys = append(ys, y)
		}
		sort.Ints(ys)
		for _, a := range out.Agglomerations {
			var pts []TrendPoint
			for _, y := range ys {
				if v, ok := values[c][y][a.Code]; ok {
					pts = append(pts, TrendPoint{Year: y, Value: Num(v.v)})
				}
			}
			if len(pts) < 2 {
				continue
			}
			first, last := pts[0], pts[len(pts)-1]
			g := math.NaN()
			if first.Value > 0 && last.Value > 0 && last.Year > first.Year {
				g = math.Pow(float64(last.Value)/float64(first.Value), 1/float64(last.Year-first.Year)) - 1
			}
			p := profiles[a.Code]
			p.Trends = append(p.Trends, ProfileTrend{Indicator: c, Points: pts, AnnualGrowth: Num(g)})
		}
	}
	for i := range out.Agglomerations {
		p := &out.Agglomerations[i]
		vals := append([]ProfileValue(nil), p.Values...)
		sort.SliceStable(vals, func(i, j int) bool { return float64(vals[i].Score) > float64(vals[j].Score) })
		for _, v := range vals {
			if s := float64(v.Score); s > 0 && len(p.Strengths) < req.Strengths {
				p.Strengths = append(p.Strengths, v.Indicator)
			}
		}
		for k := len(vals) - 1; k >= 0; k-- {
			if s := float64(vals[k].Score); s < 0 && len(p.Weaknesses) < req.Strengths {
				p.Weaknesses = append(p.Weaknesses, vals[k].Indicator)
			}
		}
	}
	out.RankIndicator = rankIndicator(out.Indicators)
	if out.RankIndicator != "" {
		type ranked struct {
			code string
			rank int
		}
		var rs []ranked
		for i := range out.Agglomerations {
			p := &out.Agglomerations[i]
			if v, ok := p.Value(out.RankIndicator); ok {
				p.Rank = v.Rank
				rs = append(rs, ranked{p.Code, v.Rank})
			}
		}
		sort.SliceStable(rs, func(i, j int) bool { return rs[i].rank < rs[j].rank })
		for _, r := range rs {
			out.Ranking = append(out.Ranking, r.code)
		}
	}
	return out, nil
}

// rankIndicator picks the indicator that orders the agglomerations: the
// CRIC composite where present, then innovation performance, R&D
// intensity, GDP per capita, else the first key indicator.
func rankIndicator(inds []string) string {
	for _, c := range []string{"cric_composite", "cric_innovation_performance", "rd_intensity", "gdp_per_capita"} {
		for _, have := range inds {
			if have == c {
				return c
			}
		}
	}
	if len(inds) > 0 {
		return inds[0]
	}
	return ""
}

// RankAmong returns code's rank by indicator ind in year among peers with
// a value, and their number: 1 is the best by the indicator's polarity
// (the highest value unless lower is better), and ties share the better
// rank, as Profile ranks. A code without a value has rank 0 of 0.
func RankAmong(ds *dataset.Dataset, code string, peers []string, ind *dataset.Indicator, year int) (rank, of int) {
	v, ok := ds.Value(code, ind.Code, year)
	if !ok || math.IsNaN(v) {
		return 0, 0
	}
	rank = 1
	for _, p := range peers {
		pv, ok := ds.Value(p, ind.Code, year)
		if !ok || math.IsNaN(pv) {
			continue
		}
		of++
		better := pv > v
		if ind.Polarity == dataset.LowerBetter {
			better = pv < v
		}
		if better {
			rank++
		}
	}
	return rank, of
}
