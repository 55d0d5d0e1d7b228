package server

import (
	"net/http"
	"strings"

	"agglo/internal/dataset"
)

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
