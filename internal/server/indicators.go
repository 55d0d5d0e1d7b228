package server

import (
	"net/http"

	"agglo/internal/dataset"
	"agglo/internal/format"
)

type indicatorJSON struct {
	dataset.Indicator
	Name string `json:"name"`
	// UnitText is the unit in the request's language.
	UnitText     string `json:"unit_text"`
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
			out = append(out, indicatorJSON{Indicator: ind, Name: ind.Name(l), UnitText: format.Unit(ind.Unit).In(l), Observations: counts[i], Years: ys})
		}
		return nil
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.ok(w, out)
}
