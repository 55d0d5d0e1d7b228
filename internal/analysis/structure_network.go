package analysis

import (
	"context"
	"math"
	"slices"

	"agglo/internal/dataset"
	"agglo/internal/i18n"
	"agglo/internal/measure"
)

// PartNetwork is the gravity linkage network of the structure analysis.
const PartNetwork = "network"

// StructureGravityExponent is the distance decay exponent b of the
// report's gravity network.
const StructureGravityExponent = 2

// networkMasses are the size indicators of the report's gravity network,
// in order of preference: a population (the human mass P) and a GDP (the
// economic mass G) of the same scope.
var networkMasses = [][2]string{
	{"population", "gdp"},
	{"popu", "gdp"},
	{"registered_population_district", "gdp_district"},
}

// subsetUnits keeps the units at positions keep.
func subsetUnits(u *Units, keep []int) *Units {
	out := &Units{Indicators: u.Indicators, Level: u.Level, Year: u.Year, Values: make([][]float64, len(u.Values))}
	for _, i := range keep {
		out.Codes = append(out.Codes, u.Codes[i])
		out.Names = append(out.Names, u.Names[i])
		for k := range u.Values {
			out.Values[k] = append(out.Values[k], u.Values[k][i])
		}
	}
	return out
}

// networkMembers is the cross-section of the masses pair in year: the
// members of the agglomerations with both masses (finite, non-negative)
// and coordinates.
func networkMembers(ds *dataset.Dataset, pair [2]string, year int, lang string) *Units {
	u, err := CrossSection(ds, Selection{Indicators: pair[:], Year: year, Lang: lang})
	if err != nil || !unitLevel(u.Level) {
		return nil
	}
	groups, _ := AgglomerationGroups(ds, u.Codes, u.Level)
	lon, lat, _ := unitCoordinates(ds, u.Codes, u.Year)
	var keep []int
	for i := range u.Codes {
		ok := groups[i] >= 0 && !math.IsNaN(lon[i]) && !math.IsNaN(lat[i])
		for k := range u.Values {
			v := u.Values[k][i]
			ok = ok && v >= 0 && !math.IsInf(v, 0)
		}
		if ok {
			keep = append(keep, i)
		}
	}
	return subsetUnits(u, keep)
}

// network builds the gravity linkage network among the members of the
// agglomerations from a population and a GDP in the latest year in which
// at least three members have both and coordinates:
//
//	S_ij = R_ij + R_ji = sqrt(P_i G_i) · sqrt(P_j G_j) / D_ij²
//
// (D great-circle km), an edge where S_ij is at least the mean of all
// pairs, then centrality, density, Louvain communities (resolution 1,
// seed s.Seed) and their agreement with the agglomerations (NMI, ARI).
func (s *Structure) network(ctx context.Context, ds *dataset.Dataset, lang string) error {
	var pairs [][2]string
	for _, p := range networkMasses {
		_, okP := ds.IndicatorIndex(p[0])
		_, okG := ds.IndicatorIndex(p[1])
		if okP && okG {
			pairs = append(pairs, p)
		}
	}
	if len(pairs) == 0 {
		s.skip(PartNetwork, i18n.T("数据中没有常住人口和地区生产总值（或市辖区口径的户籍人口和地区生产总值）两个指标，无法计算城市群成员之间的引力联系网络。",
			"The data lack population and GDP (or their urban-district counterparts), so the gravity linkage network among the members of the agglomerations cannot be computed."))
		return nil
	}
	most := 0
	for _, pair := range pairs {
		years := ds.YearsOf(pair[0], nil)
		gy := ds.YearsOf(pair[1], nil)
		for k := len(years) - 1; k >= 0; k-- {
			y := years[k]
			if !slices.Contains(gy, y) {
				continue
			}
			if err := ctx.Err(); err != nil {
				return err
			}
			u := networkMembers(ds, pair, y, lang)
			if u == nil {
				continue
			}
			most = max(most, len(u.Codes))
			if len(u.Codes) < 3 {
				continue
			}
			r, err := gravityNetwork(ds, u, s.Seed, lang)
			if err != nil {
				s.skip(PartNetwork, reasonOf(err))
				return nil
			}
			s.Network = r
			return nil
		}
	}
	s.skip(PartNetwork, i18n.Tf("城市群的成员（省份或城市）中，同一年份同时有人口、地区生产总值和坐标的只有 %d 个（至少需要 3 个），无法计算引力联系网络。",
		"Only %d members (provinces or cities) of the agglomerations have population, GDP and coordinates in the same year (at least 3 are needed), so the gravity linkage network cannot be computed.", most))
	return nil
}

// gravityNetwork analyses the symmetric gravity network of the units u
// (u.Values: population, then GDP).
func gravityNetwork(ds *dataset.Dataset, u *Units, seed uint64, lang string) (*MeasureResult, error) {
	lon, lat, _ := unitCoordinates(ds, u.Codes, u.Year)
	r := measure.Gravity(u.Values[0], u.Values[1], measure.DistanceMatrix(lon, lat), StructureGravityExponent)
	n := len(u.Codes)
	sym := make([][]float64, n)
	for i := range sym {
		sym[i] = make([]float64, n)
		for j := range sym[i] {
			if i != j {
				sym[i][j] = r[i][j] + r[j][i]
			}
		}
	}
	tau := measure.MeanThreshold(sym)
	req := MeasureRequest{Method: "network", Indicators: u.Indicators, Year: u.Year, Mode: NetworkMax, Resolution: 1, Seed: seed, Group: GroupAgglomeration, Lang: lang}
	res := &MeasureResult{Method: "network", Indicators: u.Indicators, Year: u.Year, Stats: map[string]Num{"exponent": Num(StructureGravityExponent)}}
	res, err := networkOf(ds, req, res, u, sym, NetworkMax, tau)
	if err != nil {
		return nil, err
	}
	res.Formula = "S_ij = R_ij + R_ji = sqrt(P_i G_i)·sqrt(P_j G_j)/D_ij^2, D great-circle km; edge where S_ij ≥ τ = mean of the pairs; " + res.Formula
	return res, nil
}
