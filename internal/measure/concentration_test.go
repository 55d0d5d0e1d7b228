package measure

import (
	"math"
	"slices"
	"testing"
)

// toyUA11 returns the Toy UA-11 sizes (docs/methods.md#toy-data).
func toyUA11() []float64 {
	return []float64{1200, 450, 380, 260, 150, 90, 80, 70, 60, 50, 40}
}

func TestPrimacyAndShares(t *testing.T) {
	p := toyUA11()
	// Shuffle order: the functions sort themselves.
	shuffled := []float64{90, 450, 40, 1200, 260, 80, 380, 70, 60, 150, 50}
	for _, x := range [][]float64{p, shuffled} {
		c := slices.Clone(x)
		s2, s4, s11 := Primacy(x)
		// Hand: S2 = 1200/450, S4 = 1200/(450+380+260) = 1200/1090,
		// S11 = 2·1200/1630.
		checkNear(t, "S2", s2, 2.6666666666666665, 1e-15)
		checkNear(t, "S4", s4, 1.1009174311926606, 1e-15)
		checkNear(t, "S11", s11, 1.4723926380368098, 1e-15)
		// Hand: ΣP = 2830; 1200/2830 and 1650/2830.
		checkNear(t, "CS", TopShare(x, 1), 0.42402826855123676, 1e-15)
		checkNear(t, "top2", TopShare(x, 2), 0.5830388692579506, 1e-15)
		// Σ s_i², (H − 1/11)/(1 − 1/11) and 1/H evaluated independently in
		// Python; agree with a run of REAT::herf.
		checkNear(t, "HHI", HHI(x), 0.23774800534405477, 1e-15)
		checkNear(t, "HHI*", NormalizedHHI(x), 0.16152280587846024, 1e-14)
		checkNear(t, "1/H", EquivalentNumber(x), 4.206134131610734, 1e-14)
		if !slices.Equal(c, x) {
			t.Fatal("input mutated")
		}
	}
	checkNear(t, "UnitShare", UnitShare(p, 1), 450.0/2830, 1e-15) // hand: ΣP = 2830
	// REAT 3.0.3 man/herf.Rd: herf(c(20,50,20,10)) = 0.34, coefnorm = TRUE
	// 0.12, output = "eq" 2.94117647058824.
	sales := []float64{20, 50, 20, 10}
	checkNear(t, "REAT herf", HHI(sales), 0.34, 1e-15)
	checkNear(t, "REAT herf norm", NormalizedHHI(sales), 0.12, 1e-14)
	checkNear(t, "REAT herf eq", EquivalentNumber(sales), 2.94117647058824, 1e-14)
	// REAT 3.0.3 man/herf.Rd, German Länder GDP: 0.125 printed,
	// 0.125176299067962 from a REAT run.
	laender := []float64{460.69, 549.19, 124.16, 65.29, 31.59, 109.27, 263.44, 39.87,
		258.53, 645.59, 131.95, 35.03, 112.66, 56.22, 85.61, 56.81}
	checkNear(t, "Länder herf", HHI(laender), 0.125176299067962, 1e-13)
	// PySAL herfindahl_hd doctest (column totals 0, 3, 9) = 0.625 [DOC pysal _indices.py@07dee7c].
	checkNear(t, "pysal herfindahl", HHI([]float64{0, 3, 9}), 0.625, 1e-15)

	// Edge cases (docs/methods.md#primacy): n < 4 → S4 NaN, n < 11 → S11 NaN, P_2 = 0
	// is dropped as a zero size (so S2 needs two positive sizes).
	s2, s4, s11 := Primacy([]float64{10, 5, 1})
	checkNear(t, "S2 n=3", s2, 2, 0)
	if !math.IsNaN(s4) || !math.IsNaN(s11) {
		t.Error("S4/S11 should be NaN for n = 3")
	}
	s2, _, _ = Primacy([]float64{10})
	checkNear(t, "S2 n=1", s2, math.NaN(), 0)
	s2, _, _ = Primacy([]float64{10, -1})
	checkNear(t, "S2 negative", s2, math.NaN(), 0)
	checkNear(t, "HHI zero total", HHI([]float64{0, 0}), math.NaN(), 0)
	checkNear(t, "HHI empty", HHI(nil), math.NaN(), 0)
	checkNear(t, "HHI* single", NormalizedHHI([]float64{3}), math.NaN(), 0)
	checkNear(t, "TopShare too few", TopShare([]float64{3}, 2), math.NaN(), 0)
	// HHI bounds: 1/n for equal sizes, 1 for one non-zero unit (hand).
	checkNear(t, "HHI equal", HHI([]float64{2, 2, 2, 2}), 0.25, 1e-15)
	checkNear(t, "HHI monopoly", HHI([]float64{0, 0, 7}), 1, 0)
}

func TestRankSize(t *testing.T) {
	p := toyUA11()
	// OLS of ln P_r on ln r evaluated independently in Python; agrees with
	// R lm(log(P) ~ log(r)).
	for _, tc := range []struct {
		k    int
		want [3]float64
	}{
		{2, [3]float64{-1.4150374992788464, 7.090076835776088, 1.0}},
		{3, [3]float64{-1.086353666839602, 7.028660046917124, 0.9448903759842135}},
		{4, [3]float64{-1.0655975144998182, 7.0216758912104495, 0.9661714157126656}},
		{0, [3]float64{-1.4349467269275558, 7.241024592936867, 0.9772817195610325}},
		{11, [3]float64{-1.4349467269275558, 7.241024592936867, 0.9772817195610325}},
	} {
		r := RankSize(p, tc.k)
		checkNear(t, "slope", r.Slope, tc.want[0], 1e-13)
		checkNear(t, "intercept", r.Intercept, tc.want[1], 1e-13)
		checkNear(t, "R2", r.R2, tc.want[2], 1e-13)
		checkNear(t, "q", r.Q, -tc.want[0], 1e-13)
	}
	// Hand: through two points the slope is ln(P2/P1)/ln 2 exactly.
	checkNear(t, "top2 identity", RankSize(p, 2).Slope, math.Log(450.0/1200)/math.Ln2, 1e-14)
	// Edge cases: fewer than 2 units → NaN; zero sizes dropped before logs.
	if r := RankSize([]float64{5}, 0); !math.IsNaN(r.Slope) {
		t.Error("n = 1 should give NaN")
	}
	checkNear(t, "zero dropped", RankSize([]float64{8, 0, 4}, 0).Slope, -1, 1e-14) // hand: ln(4/8)/ln 2

	pc := Polycentricity(p)
	// Hand: mean of the top-2, 3 and 4 slopes above (Meijers & Burger 2010
	// style), (−1.4150374992788464 − 1.086353666839602 − 1.0655975144998182)/3.
	checkNear(t, "mean slope", pc.MeanSlope, -1.1889962268727556, 1e-13)
	checkNear(t, "score", pc.Score, math.Exp2(-1.1889962268727556), 1e-13)
	if pc.Mode != CoreLed {
		t.Errorf("mode %q, want %q (q = 1.19 ≥ 1)", pc.Mode, CoreLed)
	}
	// Hand: equal sizes → slopes 0, score 1, multi-point.
	eq := Polycentricity([]float64{5, 5, 5, 5})
	if eq.Score != 1 || eq.Mode != MultiPoint {
		t.Errorf("equal sizes: %+v", eq)
	}
	if e := Polycentricity([]float64{5}); e.Mode != "" || !math.IsNaN(e.Score) {
		t.Errorf("single unit: %+v", e)
	}
}

func TestSiphon(t *testing.T) {
	// Siphon toy (docs/methods.md#toy-data), evaluated independently in
	// Python. Hand: CS_0 = 1000/1900, CS_5 = 1650/2750 = 0.6, CAGR of the
	// core = 1.65^(1/5) − 1, of the periphery (1100/900)^(1/5) − 1.
	core := []float64{1000, 1100, 1225, 1360, 1500, 1650}
	per := [][]float64{
		{400, 420, 438, 455, 470, 486},
		{300, 309, 316, 325, 331, 338},
		{200, 214, 226, 243, 258, 276},
	}
	cc, pc := slices.Clone(core), cloneMatrix(per)
	r := Siphon(core, per)
	if !slices.Equal(cc, core) || !equalMatrix(pc, per) {
		t.Fatal("input mutated")
	}
	checkNear(t, "CS_t0", r.CoreShareStart, 0.5263157894736842, 1e-15)
	checkNear(t, "CS_t5", r.CoreShareEnd, 0.6, 1e-15)
	checkNear(t, "ΔCS", r.DeltaCoreShare, 0.0736842105263158, 1e-14)
	checkNear(t, "CAGR core", r.CAGRCore, 0.10534229649286941, 1e-14)
	checkNear(t, "CAGR periphery", r.CAGRPeriphery, 0.04095039696925684, 1e-14)
	checkNear(t, "RG", r.RelativeGrowth, 2.5724365156204527, 1e-13)
	wantCorr := []float64{0.07621752212485268, 0.05789335385548353, -0.3635561343366806}
	wantBeta := []float64{0.08523273437754683, 0.045660980415549196, -0.4428799924711867}
	for j := range per {
		checkNear(t, "corr", r.Linkage[j].Corr, wantCorr[j], 1e-12)
		checkNear(t, "beta", r.Linkage[j].Beta, wantBeta[j], 1e-12)
		if r.Linkage[j].N != 5 {
			t.Errorf("N = %d, want 5 growth periods", r.Linkage[j].N)
		}
	}
	// The same ΔCS through the panel helper (panel[t][unit]).
	panel := make([][]float64, len(core))
	for t := range core {
		panel[t] = []float64{core[t], per[0][t], per[1][t], per[2][t]}
	}
	sc := CoreShareChange(panel, 0)
	checkNear(t, "panel ΔCS", sc.Delta, 0.0736842105263158, 1e-14)
	// Edge: one period → NaN.
	if one := Siphon([]float64{1}, [][]float64{{2}}); !math.IsNaN(one.DeltaCoreShare) || !math.IsNaN(one.Linkage[0].Beta) {
		t.Errorf("one period: %+v", one)
	}
	// Hand: CAGR(100, 121, 2) = 0.1.
	checkNear(t, "CAGR", CAGR(100, 121, 2), 0.1, 1e-15)
	checkNear(t, "CAGR zero start", CAGR(0, 121, 2), math.NaN(), 0)
}
