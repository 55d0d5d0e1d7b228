package replicate

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"agglo/internal/dataset"
)

// Figure1 holds the values behind the paper's Figure 1 (population, land
// area and GDP of each agglomeration), derived from Table 1 and the
// overview totals, and the consistency check of the one spare fact.
type Figure1 struct {
	Codes      []string      // agglomeration codes, in the order of the paper's tables
	Population []float64     // 万人
	Area       []float64     // km²
	GDP        []float64     // 亿元
	Check      dataset.Check // YRD GDP published (19.7万亿元) vs derived
}

// figure1Formula is the derivation in symbols (units: P in 10⁴ persons, d
// in persons per km², g in 10⁴ yuan per person, area in km², GDP in 10⁸
// yuan), readable in either language.
const figure1Formula = "ΣP_A = P_five, Σ P_A·10⁴/d_A = area_five, Σ P_A·g_A = GDP_five, P_YRD = 15000, P_MYR·10⁴/d_MYR = 326100 → P_A; " +
	"area_A = P_A·10⁴/d_A; GDP_A = P_A·g_A"

// DeriveFigure1 solves the paper's numbers for Figure 1. Table 1 gives each
// agglomeration's density d_A and GDP per capita g_A; section II.1 gives the
// five agglomerations' total population, area and GDP, YRD's population
// and MYR's area. With P_A the populations (万人) these are five linear
// equations in five unknowns:
//
//	Σ_A P_A            = P_five      (55,700万人)
//	Σ_A P_A·10⁴/d_A    = area_five   (993,100 km²)
//	Σ_A P_A·g_A        = GDP_five    (527,600亿元)
//	P_YRD              = 15,000万人
//	P_MYR·10⁴/d_MYR    = 326,100 km²
//
// whose solution gives area_A = P_A·10⁴/d_A and GDP_A = P_A·g_A. The YRD GDP
// printed in the text (19.7万亿元) is not used and checks the result. The
// derived values are added to ds as derived observations (where the key is
// not already published) and the check is appended to ds.Checks.
// Dataset returns the embedded data with these values derived.
func DeriveFigure1(ds *dataset.Dataset) (*Figure1, error) {
	codes := dataset.AgglomerationCodes()
	get := func(region, ind string) (float64, dataset.ObsRef, error) {
		v, ok := ds.Value(region, ind, year)
		if !ok {
			return 0, dataset.ObsRef{}, fmt.Errorf("missing %s %s %d", region, ind, year)
		}
		return v, dataset.ObsRef{Region: region, Indicator: ind, Year: year}, nil
	}
	var inputs []dataset.ObsRef
	d := make([]float64, len(codes))
	g := make([]float64, len(codes))
	for i, c := range codes {
		var r1, r2 dataset.ObsRef
		var err error
		if d[i], r1, err = get(c, "population_density"); err != nil {
			return nil, err
		}
		if g[i], r2, err = get(c, "gdp_per_capita"); err != nil {
			return nil, err
		}
		inputs = append(inputs, r1, r2)
	}
	rhs := make([]float64, 5)
	var refs [5]dataset.ObsRef
	var err error
	if rhs[0], refs[0], err = get("FIVE", "population"); err != nil {
		return nil, err
	}
	if rhs[1], refs[1], err = get("FIVE", "area"); err != nil {
		return nil, err
	}
	if rhs[2], refs[2], err = get("FIVE", "gdp"); err != nil {
		return nil, err
	}
	if rhs[3], refs[3], err = get("YRD", "population"); err != nil {
		return nil, err
	}
	if rhs[4], refs[4], err = get("MYR", "area"); err != nil {
		return nil, err
	}
	inputs = append(inputs, refs[:]...)
	idx := map[string]int{}
	for i, c := range codes {
		idx[c] = i
	}
	a := mat.NewDense(5, 5, nil)
	for j := range codes {
		a.Set(0, j, 1)
		a.Set(1, j, 1e4/d[j])
		a.Set(2, j, g[j])
	}
	a.Set(3, idx["YRD"], 1)
	a.Set(4, idx["MYR"], 1e4/d[idx["MYR"]])
	var p mat.VecDense
	if err := p.SolveVec(a, mat.NewVecDense(5, rhs)); err != nil {
		return nil, fmt.Errorf("the Figure 1 system: %w", err)
	}
	f := &Figure1{Codes: codes}
	for j, c := range codes {
		pj := p.AtVec(j)
		if !(pj > 0) || math.IsInf(pj, 0) {
			return nil, fmt.Errorf("the Figure 1 system: non-positive population %g for %s", pj, c)
		}
		f.Population = append(f.Population, pj)
		f.Area = append(f.Area, pj*1e4/d[j])
		f.GDP = append(f.GDP, pj*g[j])
	}
	for j, c := range codes {
		for _, v := range []struct {
			ind string
			val float64
		}{{"population", f.Population[j]}, {"area", f.Area[j]}, {"gdp", f.GDP[j]}} {
			if _, published := ds.Lookup(c, v.ind, year); published {
				continue
			}
			if err := ds.AddDerived(c, v.ind, year, v.val, figure1Formula, inputs); err != nil {
				return nil, err
			}
		}
	}
	pub, _ := ds.Value("YRD", "gdp", year)
	j := idx["YRD"]
	f.Check = dataset.Check{ID: "fig1.check.yrd_gdp", Region: "YRD", Indicator: "gdp", Year: year, Published: pub, Derived: f.GDP[j], Residual: f.GDP[j] - pub,
		Formula: "GDP_YRD = P_YRD × g_YRD (Table 1) against the 19.7万亿元 printed in section II.1", Source: "paper II.1, Table 1"}
	ds.Checks = append(ds.Checks, f.Check)
	return f, nil
}

// Dataset returns the embedded dataset of the paper with the Figure 1
// values derived from it (see DeriveFigure1).
func Dataset() (*dataset.Dataset, error) {
	ds, err := dataset.Default()
	if err != nil {
		return nil, err
	}
	if _, err := DeriveFigure1(ds); err != nil {
		return nil, fmt.Errorf("derive Figure 1: %w", err)
	}
	return ds, nil
}
