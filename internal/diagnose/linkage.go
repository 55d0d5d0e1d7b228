package diagnose

import (
	"math"

	"agglo/internal/dataset"
	"agglo/internal/measure"
)

// linkage holds each agglomeration's gravity linkage matrix among its
// member cities and the threshold pooled over all of them.
type linkage struct {
	matrices map[string][][]float64
	tau      float64
	// mass is the innovation mass's indicator; massYear and popYear the
	// years of the mass and of the population used.
	mass              string
	massYear, popYear int
}

// linkageMasses are the innovation masses G of the gravity model, in order
// of preference (docs/methods.md#gravity: patents, R&D expenditure or GDP);
// the human mass P is the resident population.
func linkageMasses() []string {
	return []string{"patents", "patent_grants", "invention_grants", "rd_expenditure", "gdp"}
}

// buildLinkage computes, for every agglomeration with at least three
// member cities that have population, an innovation mass and coordinates,
// the modified gravity matrix R_ij = k_ij·sqrt(P_i G_i)·sqrt(P_j G_j)/D_ij²
// (docs/methods.md#gravity), and the threshold τ = mean of every off-diagonal R over all
// diagnosed agglomerations, so that densities compare across them.
func (rn *runner) buildLinkage() *linkage {
	l := &linkage{matrices: map[string][][]float64{}, tau: math.NaN()}
	g := ""
	for _, c := range linkageMasses() {
		if _, ok := rn.ds.IndicatorIndex(c); ok {
			g = c
			break
		}
	}
	if _, ok := rn.ds.IndicatorIndex("population"); !ok || g == "" {
		return l
	}
	py, ok1 := rn.latest("population", dataset.LevelCity)
	gy, ok2 := rn.latest(g, dataset.LevelCity)
	if !ok1 || !ok2 {
		return l
	}
	l.mass, l.massYear, l.popYear = g, gy, py
	var sum float64
	var n int
	for _, a := range rn.aggs {
		// A network without one of the designated cores is not the
		// agglomeration's: no linkage evidence then.
		if !rn.coresHave(a, g, gy) || !rn.coresHave(a, "population", py) {
			continue
		}
		var p, m, lon, lat []float64
		for _, code := range a.MemberCodes(dataset.LevelCity) {
			r, ok := rn.ds.Region(code)
			if !ok || !r.HasCoord() {
				continue
			}
			pv, ok1 := rn.ds.Value(code, "population", py)
			gv, ok2 := rn.ds.Value(code, g, gy)
			if !ok1 || !ok2 || !(pv > 0) || !(gv > 0) {
				continue
			}
			p, m, lon, lat = append(p, pv), append(m, gv), append(lon, r.Lon), append(lat, r.Lat)
		}
		if len(p) < 3 {
			continue
		}
		rm := measure.Gravity(p, m, measure.DistanceMatrix(lon, lat), 2)
		l.matrices[a.Code] = rm
		for i := range rm {
			for j, v := range rm[i] {
				if i != j && isFinite(v) {
					sum += v
					n++
				}
			}
		}
	}
	if n > 0 {
		l.tau = sum / float64(n)
	}
	return l
}

// linkageDensity is the directed density of agg's member-city linkage
// network at the pooled threshold, when city data allow it.
func (rn *runner) linkageDensity(agg *dataset.Region) (float64, bool) {
	if rn.links == nil {
		rn.links = rn.buildLinkage()
	}
	m, ok := rn.links.matrices[agg.Code]
	if !ok || !isFinite(rn.links.tau) {
		return math.NaN(), false
	}
	return measure.Network(m, rn.links.tau).Density, true
}

// coresHave reports whether every designated core of agg has a value of
// ind in year.
func (rn *runner) coresHave(agg *dataset.Region, ind string, year int) bool {
	for _, c := range agg.Cores() {
		if _, ok := rn.value(c, ind, year); !ok {
			return false
		}
	}
	return true
}
