package measure

import (
	"math"
	"slices"
	"testing"
)

func TestCoupling(t *testing.T) {
	for _, tc := range []struct {
		name                   string
		u                      []float64
		c, tt, d, cWang, dWang float64
	}{
		// Hand: C = 2·sqrt(0.24)/1, T = 0.5, D = sqrt(C·T); Wang C =
		// sqrt((1 − 0.2)·0.4/0.6). Agree with mathmodels coupling_degree runs.
		{"U2", []float64{0.6, 0.4}, 0.9797958971132712, 0.5, 0.6999271023161167, 0.7302967433402215, 0.6042750794713536},
		// Evaluated independently in Python; agree with mathmodels
		// coupling_degree (standard and adjusted).
		{"U3", []float64{0.5, 0.7, 0.3}, 0.9435387960633067, 0.5, 0.6868547139182006, 0.6369781098749192, 0.5643483453838237},
	} {
		uc := slices.Clone(tc.u)
		r := CouplingCoordination(tc.u, nil, StandardCoupling)
		checkNear(t, tc.name+" C", r.C, tc.c, 1e-15)
		checkNear(t, tc.name+" T", r.T, tc.tt, 1e-15)
		checkNear(t, tc.name+" D", r.D, tc.d, 1e-15)
		w := CouplingCoordination(tc.u, nil, WangCoupling)
		checkNear(t, tc.name+" C wang", w.C, tc.cWang, 1e-15)
		checkNear(t, tc.name+" D wang", w.D, tc.dWang, 1e-15)
		if !slices.Equal(uc, tc.u) {
			t.Fatal("input mutated")
		}
	}
	// D = 0.6999 lies in (0.6, 0.7]: 初级协调 (docs/methods.md#coupling).
	r := CouplingCoordination([]float64{0.6, 0.4}, nil, StandardCoupling)
	if r.Level != PrimaryCoordination || r.Level.ZH() != "初级协调" || r.Level.EN() != "primary coordination" {
		t.Errorf("level %v %q", r.Level, r.Level.ZH())
	}
	if r.Stage != HighLevelCoupling || r.Stage.ZH() != "高水平耦合" {
		t.Errorf("stage %v", r.Stage)
	}

	// zhjx19/mathmodels@8bf5e8f R/eval_system.R example data, row 1, equal
	// weights, standard model: values of a mathmodels coupling_degree run.
	row1 := CouplingCoordination([]float64{0.0162, 0.272, 0.2655}, nil, StandardCoupling)
	checkNear(t, "mm C", row1.C, 0.5709037283, 5e-10)
	checkNear(t, "mm T", row1.T, 0.1845666667, 5e-10)
	checkNear(t, "mm D", row1.D, 0.3246071443, 5e-10)
	// Same data, w = (0.4, 0.3, 0.3), adjusted (Wang), 6 rows [REF-RUN mathmodels].
	rows := [][]float64{
		{0.0162, 0.272, 0.2655}, {0.1782, 0.6824, 0.3721}, {0.549, 0.0593, 0.5729},
		{0.673, 0.4812, 0.9082}, {0.0207, 0.8891, 0.2017}, {0.9875, 0.5573, 0.8984},
	}
	wantC := []float64{0.4472083481, 0.5005100067, 0.4550910039, 0.6694970279, 0.17493197, 0.7148695715}
	wantD := []float64{0.2738800033, 0.4404687207, 0.4315675431, 0.6777081607, 0.2422667426, 0.7710798735}
	for i, u := range rows {
		r := CouplingCoordination(u, []float64{0.4, 0.3, 0.3}, WangCoupling)
		checkNear(t, "mm adjusted C", r.C, wantC[i], 5e-10)
		checkNear(t, "mm adjusted D", r.D, wantD[i], 5e-10)
	}

	// Edge cases (docs/methods.md#coupling; all zero → 0 as stscl/coupling).
	checkNear(t, "zero U", Coupling([]float64{0, 0.5}), 0, 0)
	checkNear(t, "all zero", Coupling([]float64{0, 0}), 0, 0)
	checkNear(t, "n=1", Coupling([]float64{0.5}), math.NaN(), 0)
	checkNear(t, "outside", Coupling([]float64{0.5, 1.2}), math.NaN(), 0)
	checkNear(t, "NaN", Coupling([]float64{0.5, math.NaN()}), math.NaN(), 0)
	checkNear(t, "wang max 0", ModifiedCoupling([]float64{0, 0, 0}), 0, 0)
	checkNear(t, "wang n=1", ModifiedCoupling([]float64{0.3}), math.NaN(), 0)
	bad := CouplingCoordination([]float64{2, 0.5}, nil, StandardCoupling)
	if !math.IsNaN(bad.D) || bad.Level != -1 || bad.Level.ZH() != "" {
		t.Errorf("invalid U: %+v", bad)
	}
	// Hand: equal U → standard C = 1 for any n.
	checkNear(t, "equal", Coupling([]float64{0.3, 0.3, 0.3, 0.3}), 1, 1e-15)
	// Hand: n = 2 closed form 2·sqrt(U1U2)/(U1+U2).
	checkNear(t, "n=2", Coupling([]float64{0.2, 0.8}), 2*math.Sqrt(0.16)/1.0, 1e-15)
}

func TestCoordinationClasses(t *testing.T) {
	// Ten classes, lower-open and upper-closed, D = 0 → 极度失调 (地理学报
	// 76(4), 2021, Table 1; docs/methods.md#coupling).
	for _, tc := range []struct {
		d    float64
		want CoordinationLevel
		zh   string
	}{
		{0, ExtremeImbalance, "极度失调"},
		{0.1, ExtremeImbalance, "极度失调"},
		{0.1000001, SevereImbalance, "严重失调"},
		{0.2, SevereImbalance, "严重失调"},
		{0.25, ModerateImbalance, "中度失调"},
		{0.3, ModerateImbalance, "中度失调"},
		{0.35, MildImbalance, "轻度失调"},
		{0.45, VergeOfImbalance, "濒临失调"},
		{0.5, VergeOfImbalance, "濒临失调"},
		{0.55, BarelyCoordinated, "勉强协调"},
		{0.6999271023161167, PrimaryCoordination, "初级协调"},
		{0.7, PrimaryCoordination, "初级协调"},
		{0.75, IntermediateCoordination, "中级协调"},
		{0.85, GoodCoordination, "良好协调"},
		{0.9, GoodCoordination, "良好协调"},
		{0.95, HighQualityCoordination, "优质协调"},
		{1, HighQualityCoordination, "优质协调"},
		{-0.1, -1, ""},
		{1.1, -1, ""},
		{math.NaN(), -1, ""},
	} {
		got := ClassifyCoordination(tc.d)
		if got != tc.want || got.ZH() != tc.zh {
			t.Errorf("ClassifyCoordination(%v) = %d %q, want %d %q", tc.d, got, got.ZH(), tc.want, tc.zh)
		}
	}
	if HighQualityCoordination.EN() != "high-quality coordination" || ExtremeImbalance.EN() != "extreme imbalance" {
		t.Error("English names")
	}
	for _, tc := range []struct {
		c    float64
		want CouplingStage
	}{{0, LowCoupling}, {0.3, LowCoupling}, {0.31, Antagonistic}, {0.5, Antagonistic},
		{0.8, RunningIn}, {0.81, HighLevelCoupling}, {1, HighLevelCoupling}, {1.5, -1}} {
		if got := ClassifyCoupling(tc.c); got != tc.want {
			t.Errorf("ClassifyCoupling(%v) = %d, want %d", tc.c, got, tc.want)
		}
	}
	if RunningIn.ZH() != "磨合" || Antagonistic.EN() != "antagonistic" {
		t.Error("stage names")
	}
}
