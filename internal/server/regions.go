package server

import (
	"bytes"
	"math"
	"net/http"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"agglo/internal/dataset"
)

// num is a float64 that encodes NaN and ±Inf as JSON null.
type num float64

func (n num) MarshalJSON() ([]byte, error) {
	f := float64(n)
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return []byte("null"), nil
	}
	return strconv.AppendFloat(nil, f, 'g', -1, 64), nil
}

type memberJSON struct {
	Code    string `json:"code"`
	NameZH  string `json:"name_zh"`
	ShortZH string `json:"short_zh"`
	NameEN  string `json:"name_en"`
	Partial bool   `json:"partial"`
}

type agglomerationJSON struct {
	Code            string       `json:"code"`
	NameZH          string       `json:"name_zh"`
	NameEN          string       `json:"name_en"`
	Name            string       `json:"name"`
	Lon             *float64     `json:"lon"`
	Lat             *float64     `json:"lat"`
	Members         []string     `json:"members"`
	ProvinceMembers []string     `json:"province_members"`
	MemberDetails   []memberJSON `json:"member_details"`
	Provinces       []memberJSON `json:"provinces"`
}

func agglomerationOf(reg *dataset.Registry, a *dataset.Region, l string) agglomerationJSON {
	out := agglomerationJSON{Code: a.Code, NameZH: a.NameZH, NameEN: a.NameEN, Name: a.Name(l),
		Members: nonNil(a.MemberCodes(dataset.LevelCity)), ProvinceMembers: nonNil(a.MemberCodes(dataset.LevelProvince)),
		MemberDetails: []memberJSON{}, Provinces: []memberJSON{}}
	if a.HasCoord() {
		lon, lat := a.Lon, a.Lat
		out.Lon, out.Lat = &lon, &lat
	}
	detail := func(ms []dataset.Member) []memberJSON {
		res := []memberJSON{}
		for _, m := range ms {
			mj := memberJSON{Code: m.Code, Partial: m.Partial}
			if r, ok := reg.Lookup(m.Code); ok {
				mj.NameZH, mj.ShortZH, mj.NameEN = r.NameZH, r.ShortZH, r.NameEN
			}
			res = append(res, mj)
		}
		return res
	}
	out.MemberDetails = detail(a.Members)
	out.Provinces = detail(a.ProvinceMembers)
	return out
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func (s *Server) listAgglomerations(w http.ResponseWriter, r *http.Request) {
	l := lang(r)
	var out []agglomerationJSON
	err := s.withDataset(r.Context(), r.URL.Query().Get("dataset"), func(ds *dataset.Dataset, _ DatasetInfo) error {
		for _, a := range ds.Registry.Agglomerations() {
			out = append(out, agglomerationOf(ds.Registry, a, l))
		}
		return nil
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.ok(w, out)
}

// figure is one indicator value of a region with its rank among peers.
type figure struct {
	Indicator  string             `json:"indicator"`
	Name       string             `json:"name"`
	NameZH     string             `json:"name_zh"`
	NameEN     string             `json:"name_en"`
	Unit       string             `json:"unit"`
	Dimension  string             `json:"dimension,omitempty"`
	Year       int                `json:"year,omitempty"`
	Value      num                `json:"value"`
	Rank       int                `json:"rank,omitempty"`
	Of         int                `json:"of,omitempty"`
	Provenance dataset.Provenance `json:"provenance"`
}

type agglomerationProfile struct {
	agglomerationJSON
	Dataset string   `json:"dataset"`
	Figures []figure `json:"figures"`
	// MemberFigures are the members' values (provinces for province data
	// such as Table 3, cities for city data).
	MemberFigures []memberFigures `json:"member_figures"`
}

type memberFigures struct {
	Code    string   `json:"code"`
	Name    string   `json:"name"`
	Partial bool     `json:"partial"`
	Figures []figure `json:"figures"`
}

// rankAmong returns code's rank (1 = best by the indicator's polarity)
// among peers with a value, and their number.
func rankAmong(ds *dataset.Dataset, code string, peers []string, ind *dataset.Indicator, year int) (int, int) {
	v, ok := ds.Value(code, ind.Code, year)
	if !ok {
		return 0, 0
	}
	rank, n := 1, 0
	for _, p := range peers {
		pv, ok := ds.Value(p, ind.Code, year)
		if !ok || math.IsNaN(pv) {
			continue
		}
		n++
		better := pv > v
		if ind.Polarity == dataset.LowerBetter {
			better = pv < v
		}
		if better {
			rank++
		}
	}
	return rank, n
}

func figuresOf(ds *dataset.Dataset, code string, peers []string, l string) []figure {
	out := []figure{}
	for _, o := range ds.ObservationsOf(code) {
		ind := ds.Indicators[o.Indicator]
		f := figure{Indicator: ind.Code, Name: ind.Name(l), NameZH: ind.NameZH, NameEN: ind.NameEN, Unit: ind.Unit, Dimension: ind.Dimension,
			Year: int(o.Year), Value: num(o.Value), Provenance: ds.Provenance(o)}
		if peers != nil {
			f.Rank, f.Of = rankAmong(ds, code, peers, &ind, int(o.Year))
		}
		out = append(out, f)
	}
	return out
}

func (s *Server) showAgglomeration(w http.ResponseWriter, r *http.Request) {
	code := strings.ToUpper(r.PathValue("code"))
	l := lang(r)
	var out agglomerationProfile
	err := s.withDataset(r.Context(), r.URL.Query().Get("dataset"), func(ds *dataset.Dataset, info DatasetInfo) error {
		a, ok := ds.Registry.Lookup(code)
		if !ok || a.Level != dataset.LevelAgglomeration {
			return notFound("code", "没有代码为“%s”的城市群（可选 %s）", "no agglomeration %q (use %s)", clip(r.PathValue("code")), strings.Join(dataset.AgglomerationCodes(), ", "))
		}
		out.agglomerationJSON = agglomerationOf(ds.Registry, a, l)
		out.Dataset = info.ID
		out.Figures = figuresOf(ds, a.Code, dataset.AgglomerationCodes(), l)
		out.MemberFigures = []memberFigures{}
		for _, group := range [][]dataset.Member{a.ProvinceMembers, a.Members} {
			for _, m := range group {
				if _, ok := ds.RegionIndex(m.Code); !ok {
					continue
				}
				reg, _ := ds.Region(m.Code)
				out.MemberFigures = append(out.MemberFigures, memberFigures{Code: m.Code, Name: reg.Name(l), Partial: m.Partial,
					Figures: figuresOf(ds, m.Code, nil, l)})
			}
		}
		return nil
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.ok(w, out)
}

type regionJSON struct {
	Code         string `json:"code"`
	NameZH       string `json:"name_zh"`
	NameEN       string `json:"name_en"`
	Name         string `json:"name"`
	Level        string `json:"level"`
	Parent       string `json:"parent,omitempty"`
	Observations int    `json:"observations"`
}

func (s *Server) listRegions(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	var level dataset.Level
	if v := q.Get("level"); v != "" {
		lv, ok := dataset.ParseLevel(v)
		if !ok {
			s.fail(w, r, badRequest("level", "level 取值无效“%s”（可选 agglomeration、province、city、county、unit）",
				"invalid level %q (use agglomeration, province, city, county or unit)", clip(v)))
			return
		}
		level = lv
	}
	l := lang(r)
	out := []regionJSON{}
	err := s.withDataset(r.Context(), q.Get("dataset"), func(ds *dataset.Dataset, _ DatasetInfo) error {
		counts := map[string]int{}
		for i, n := range ds.RegionObservationCounts() {
			counts[ds.Regions[i].Code] = n
		}
		var regions []*dataset.Region
		if level == "" {
			for i := range ds.Regions {
				regions = append(regions, &ds.Regions[i])
			}
		} else {
			regions = ds.Registry.Level(level)
			for i := range ds.Regions {
				if ds.Regions[i].Level == level && level == dataset.LevelUnit {
					regions = append(regions, &ds.Regions[i])
				}
			}
		}
		for _, rg := range regions {
			out = append(out, regionJSON{Code: rg.Code, NameZH: rg.NameZH, NameEN: rg.NameEN, Name: rg.Name(l), Level: string(rg.Level),
				Parent: rg.Parent, Observations: counts[rg.Code]})
		}
		return nil
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.ok(w, out)
}

type regionDetail struct {
	Region  dataset.Region `json:"region"`
	Name    string         `json:"name"`
	Figures []figure       `json:"figures"`
}

func (s *Server) showRegion(w http.ResponseWriter, r *http.Request) {
	code := r.PathValue("code")
	l := lang(r)
	var out regionDetail
	err := s.withDataset(r.Context(), r.URL.Query().Get("dataset"), func(ds *dataset.Dataset, _ DatasetInfo) error {
		rg, ok := ds.Region(code)
		if !ok {
			if rg2, ok2 := ds.Region(strings.ToUpper(code)); ok2 {
				rg, ok = rg2, true
			}
		}
		if !ok {
			return notFound("code", "没有代码为“%s”的地区", "no region %q", clip(code))
		}
		out = regionDetail{Region: *rg, Name: rg.Name(l), Figures: figuresOf(ds, rg.Code, nil, l)}
		return nil
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.ok(w, out)
}

type indicatorJSON struct {
	dataset.Indicator
	Name         string `json:"name"`
	Observations int    `json:"observations"`
	Years        []int  `json:"years"`
}

func (s *Server) listIndicators(w http.ResponseWriter, r *http.Request) {
	l := lang(r)
	out := []indicatorJSON{}
	err := s.withDataset(r.Context(), r.URL.Query().Get("dataset"), func(ds *dataset.Dataset, _ DatasetInfo) error {
		counts, years := ds.IndicatorYears()
		for i, ind := range ds.Indicators {
			ys := append([]int{}, years[i]...)
			ind.Aliases = nil
			out = append(out, indicatorJSON{Indicator: ind, Name: ind.Name(l), Observations: counts[i], Years: ys})
		}
		return nil
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.ok(w, out)
}

// latestYear is the most recent year of the dataset (0 when undated).
func latestYear(ds *dataset.Dataset) int {
	ys := ds.Years()
	if len(ys) == 0 {
		return 0
	}
	return ys[len(ys)-1]
}

func yearParam(r *http.Request, ds *dataset.Dataset) (int, error) {
	v := r.URL.Query().Get("year")
	if v == "" {
		return latestYear(ds), nil
	}
	y, err := strconv.Atoi(v)
	if err != nil || y < 0 || y > 9999 {
		return 0, badRequest("year", "year 须为年份数字（收到“%s”）", "year must be a year number (got %q)", clip(v))
	}
	return y, nil
}

func splitList(v string) []string {
	var out []string
	for _, p := range strings.Split(v, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

type compareTable struct {
	Dataset    string           `json:"dataset"`
	Year       int              `json:"year"`
	Regions    []regionJSON     `json:"regions"`
	Indicators []indicatorBrief `json:"indicators"`
	// Values[i][j] is region i's value of indicator j (null when missing).
	Values [][]num `json:"values"`
}

type indicatorBrief struct {
	Code string `json:"code"`
	Name string `json:"name"`
	Unit string `json:"unit"`
}

// observations returns a table of indicators (columns) for regions (rows):
// the five agglomerations by default, or the members of one agglomeration
// (members=CODE), or any regions (regions=a,b). format=xlsx exports it.
func (s *Server) observations(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	l := lang(r)
	format := q.Get("format")
	if format != "" && format != "json" && format != "xlsx" {
		s.fail(w, r, badRequest("format", "format 只能是 json 或 xlsx", "format must be json or xlsx"))
		return
	}
	var out compareTable
	err := s.withDataset(r.Context(), q.Get("dataset"), func(ds *dataset.Dataset, info DatasetInfo) error {
		year, err := yearParam(r, ds)
		if err != nil {
			return err
		}
		out = compareTable{Dataset: info.ID, Year: year, Regions: []regionJSON{}, Indicators: []indicatorBrief{}, Values: [][]num{}}
		var codes []string
		switch {
		case q.Get("regions") != "":
			codes = splitList(q.Get("regions"))
		case q.Get("members") != "":
			a, ok := ds.Registry.Lookup(strings.ToUpper(q.Get("members")))
			if !ok || a.Level != dataset.LevelAgglomeration {
				return notFound("members", "没有代码为“%s”的城市群", "no agglomeration %q", clip(q.Get("members")))
			}
			seen := map[string]bool{}
			for _, m := range append(append([]dataset.Member{}, a.ProvinceMembers...), a.Members...) {
				if _, ok := ds.RegionIndex(m.Code); ok && !seen[m.Code] {
					seen[m.Code] = true
					codes = append(codes, m.Code)
				}
			}
		default:
			codes = dataset.AgglomerationCodes()
		}
		if len(codes) > 5000 {
			return badRequest("regions", "地区过多（最多 5000 个）", "too many regions (at most 5000)")
		}
		inds := splitList(q.Get("indicators"))
		if len(inds) == 0 {
			return badRequest("indicators", "请用 indicators=代码1,代码2 选择指标", "choose indicators with indicators=code1,code2")
		}
		if len(inds) > 200 {
			return badRequest("indicators", "指标过多（最多 200 个）", "too many indicators (at most 200)")
		}
		for _, c := range inds {
			ind, ok := ds.Indicator(c)
			if !ok {
				return notFound("indicators", "数据集中没有指标“%s”", "the dataset has no indicator %q", clip(c))
			}
			out.Indicators = append(out.Indicators, indicatorBrief{Code: ind.Code, Name: ind.Name(l), Unit: ind.Unit})
		}
		for _, c := range codes {
			rg, ok := ds.Region(c)
			if !ok {
				return notFound("regions", "没有代码为“%s”的地区", "no region %q", clip(c))
			}
			out.Regions = append(out.Regions, regionJSON{Code: rg.Code, NameZH: rg.NameZH, NameEN: rg.NameEN, Name: rg.Name(l), Level: string(rg.Level)})
			row := make([]num, len(inds))
			for j, ic := range inds {
				v, ok := ds.Value(rg.Code, ic, year)
				if !ok {
					v = math.NaN()
				}
				row[j] = num(v)
			}
			out.Values = append(out.Values, row)
		}
		return nil
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if format == "xlsx" {
		b, err := compareXLSX(out, l)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		sendFile(w, "agglo-compare.xlsx", "xlsx", b)
		return
	}
	s.ok(w, out)
}

func compareXLSX(t compareTable, l string) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	sheet := "compare"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return nil, err
	}
	head := []any{"地区代码 / code", "地区 / region"}
	for _, ind := range t.Indicators {
		h := ind.Name
		if ind.Unit != "" {
			h += " (" + ind.Unit + ")"
		}
		head = append(head, h)
	}
	if err := f.SetSheetRow(sheet, "A1", &head); err != nil {
		return nil, err
	}
	for i, rg := range t.Regions {
		row := []any{rg.Code, rg.Name}
		for _, v := range t.Values[i] {
			if math.IsNaN(float64(v)) {
				row = append(row, nil)
			} else {
				row = append(row, float64(v))
			}
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := f.SetSheetRow(sheet, cell, &row); err != nil {
			return nil, err
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func fmtFloat(v float64, d int) string { return strconv.FormatFloat(v, 'f', d, 64) }
