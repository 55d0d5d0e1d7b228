package measure

import (
	"math"
	"slices"
	"strconv"
	"testing"
)

// rdFunds reads the 2019 R&D intramural expenditure of the provinces by
// source of funds from testdata/china2019/province_2019_long.csv, in file
// order of the provinces; a missing cell is NaN.
func rdFunds(t *testing.T, sources []string) (names []string, x [][]float64) {
	head, rows := readCSV(t, "../../testdata/china2019/province_2019_long.csv")
	col := func(name string) int {
		k := slices.Index(head, name)
		if k < 0 {
			t.Fatalf("no column %s", name)
		}
		return k
	}
	cp, ci, cv := col("province_zh"), col("indicator_zh"), col("value")
	row := map[string][]float64{}
	for _, r := range rows {
		k := slices.Index(sources, r[ci])
		if k < 0 {
			continue
		}
		if _, ok := row[r[cp]]; !ok {
			names = append(names, r[cp])
			row[r[cp]] = []float64{math.NaN(), math.NaN(), math.NaN(), math.NaN()}
		}
		if r[cv] != "" {
			v, err := strconv.ParseFloat(r[cv], 64)
			if err != nil {
				t.Fatal(err)
			}
			row[r[cp]][k] = v
		}
	}
	for _, n := range names {
		x = append(x, row[n])
	}
	return names, x
}

// TestGiniSourcesReference: Lerman-Yitzhaki decomposition of the 2019 R&D
// expenditure of the provinces by source of funds (government, business,
// foreign, other), against numpy/scipy (gen_inequality.py). Two provinces
// lack a source and are dropped, as in the script.
func TestGiniSourcesReference(t *testing.T) {
	var ref inequalityRef
	readRefJSON(t, "inequality/inequality.json", &ref)
	g := ref.GiniSources
	names, x := rdFunds(t, g.Names)
	xc := cloneMatrix(x)
	r := GiniSources(x)
	if !slices.EqualFunc(x, xc, func(a, b []float64) bool { return slices.EqualFunc(a, b, sameFloat) }) {
		t.Error("input mutated")
	}
	if r.N != len(g.Provinces) || r.Dropped != len(names)-len(g.Provinces) {
		t.Fatalf("N %d dropped %d, want %d and %d", r.N, r.Dropped, len(g.Provinces), len(names)-len(g.Provinces))
	}
	checkNear(t, "G", r.Gini, g.G, 1e-12)
	var share, marginal float64
	for k, want := range g.Sources {
		s := r.Sources[k]
		checkNear(t, "S_k", s.Share, want.S, 1e-12)
		checkNear(t, "G_k", s.Gini, want.G, 1e-12)
		checkNear(t, "R_k", s.Correlation, want.R, 1e-11)
		checkNear(t, "share", s.ContributionShare, want.Share, 1e-11)
		checkNear(t, "marginal", s.MarginalEffect, want.Marginal, 1e-11)
		share += s.ContributionShare
		marginal += s.MarginalEffect
	}
	checkNear(t, "Σ shares", share, 1, 1e-12)
	checkNear(t, "Σ marginal effects", marginal, 0, 1e-12)
	// G of the total equals the plain Gini.
	var total []float64
	for _, row := range x {
		var s float64
		for _, v := range row {
			s += v
		}
		if !math.IsNaN(s) {
			total = append(total, s)
		}
	}
	checkNear(t, "G = Gini(total)", r.Gini, Gini(total, nil), 1e-12)
}

// TestGiniSourcesHand: two sources over three units, by hand.
// x = [[1, 0], [2, 2], [3, 4]]: y = (1, 4, 7), μ = 4, F = (1, 2, 3)/3.
// cov(y, F) = (1·1 + 4·2 + 7·3)/9 − 4·(2/3) = 30/9 − 8/3 = 2/3 → G = 1/3
// (= Σ|d|/(2n²μ) = 24/72). Source 1: μ = 2, cov(x1, F) = (1 + 4 + 9)/9 −
// 2·2/3 = 2/9, R = 1, G_1 = 2(2/9)/2 = 2/9, contribution 2(2/9)/4 = 1/9.
// Source 2: contribution 2·cov(x2, F)/μ = 2·(4/9)/4 = 2/9. Shares 1/3,
// 2/3; marginal effects 1/3 − 1/2, 2/3 − 1/2.
func TestGiniSourcesHand(t *testing.T) {
	r := GiniSources([][]float64{{1, 0}, {2, 2}, {3, 4}})
	checkNear(t, "G", r.Gini, 1.0/3, 1e-15)
	checkNear(t, "G_1", r.Sources[0].Gini, 2.0/9, 1e-15)
	checkNear(t, "R_1", r.Sources[0].Correlation, 1, 1e-15)
	checkNear(t, "share 1", r.Sources[0].ContributionShare, 1.0/3, 1e-15)
	checkNear(t, "share 2", r.Sources[1].ContributionShare, 2.0/3, 1e-15)
	checkNear(t, "marginal 1", r.Sources[0].MarginalEffect, 1.0/3-0.5, 1e-15)
	// A negative source (a tax) is allowed; ties get mid-ranks.
	r = GiniSources([][]float64{{5, -1}, {5, -1}, {9, -3}})
	checkNear(t, "with tax", r.Gini, Gini([]float64{4, 4, 6}, nil), 1e-15)
	if r := GiniSources([][]float64{{1, -1}, {2, -2}}); !math.IsNaN(r.Gini) {
		t.Errorf("zero total mean: %v", r.Gini)
	}
	if r := GiniSources([][]float64{{1, math.Inf(1)}}); !math.IsNaN(r.Gini) || len(r.Sources) != 2 {
		t.Errorf("infinite: %+v", r)
	}
	if r := GiniSources(nil); !math.IsNaN(r.Gini) || len(r.Sources) != 0 {
		t.Errorf("empty: %+v", r)
	}
}
