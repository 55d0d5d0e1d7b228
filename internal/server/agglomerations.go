package server

import (
	"net/http"
	"strings"

	"agglo/internal/analysis"
	"agglo/internal/dataset"
	"agglo/internal/format"
)

type memberJSON struct {
	Code    string `json:"code"`
	NameZH  string `json:"name_zh"`
	ShortZH string `json:"short_zh"`
	NameEN  string `json:"name_en"`
	Partial bool   `json:"partial"`
	// Lon and Lat place the member on the map (null when the registry has
	// no coordinates).
	Lon *float64 `json:"lon"`
	Lat *float64 `json:"lat"`
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
				if r.HasCoord() {
					lon, lat := r.Lon, r.Lat
					mj.Lon, mj.Lat = &lon, &lat
				}
			}
			res = append(res, mj)
		}
		return res
	}
	out.MemberDetails = detail(a.Members)
	out.Provinces = detail(a.ProvinceMembers)
	return out
}

func (s *Server) listAgglomerations(w http.ResponseWriter, r *http.Request) {
	l := lang(r)
	var out []agglomerationJSON
	all := r.URL.Query().Get("all") == "true"
	err := s.withDataset(r.Context(), r.URL.Query().Get("dataset"), func(ds *dataset.Dataset, _ DatasetInfo) error {
		list := ds.Registry.Agglomerations()
		if all {
			// ?all=true: every agglomeration, not only the default set.
			list = ds.Registry.AllAgglomerations()
		}
		for _, a := range list {
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
	UnitText   string             `json:"unit_text"`
	Dimension  string             `json:"dimension,omitempty"`
	Year       int                `json:"year,omitempty"`
	Value      analysis.Num       `json:"value"`
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

func figuresOf(ds *dataset.Dataset, code string, peers []string, l string) []figure {
	out := []figure{}
	for _, o := range ds.ObservationsOf(code) {
		ind := ds.Indicators[o.Indicator]
		f := figure{Indicator: ind.Code, Name: ind.Name(l), NameZH: ind.NameZH, NameEN: ind.NameEN, Unit: ind.Unit, UnitText: format.Unit(ind.Unit).In(l), Dimension: ind.Dimension,
			Year: int(o.Year), Value: analysis.Num(o.Value), Provenance: ds.Provenance(o)}
		if peers != nil {
			f.Rank, f.Of = analysis.RankAmong(ds, code, peers, &ind, int(o.Year))
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
			return notFound("code", "没有代码为“%s”的城市群（可选 %s）", "no agglomeration %q (use %s)", clip(r.PathValue("code")), strings.Join(ds.Registry.AllAgglomerationCodes(), ", "))
		}
		out.agglomerationJSON = agglomerationOf(ds.Registry, a, l)
		out.Dataset = info.ID
		out.Figures = figuresOf(ds, a.Code, ds.Registry.AllAgglomerationCodes(), l)
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
