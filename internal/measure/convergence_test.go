package measure

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"testing"
)

// statsmodelsFit is one regression of
// testdata/reference/convergence/statsmodels.json (gen_statsmodels.py,
// statsmodels 0.13.5, Debian).
type statsmodelsFit struct {
	Params  []float64 `json:"params"`
	BSE     []float64 `json:"bse"`
	TValues []float64 `json:"tvalues"`
	PValues []float64 `json:"pvalues"`
	R2      float64   `json:"rsquared"`
	R2Adj   float64   `json:"rsquared_adj"`
	NObs    int       `json:"nobs"`
}

type statsmodelsRef struct {
	Beta           statsmodelsFit            `json:"beta"`
	BetaHC1        statsmodelsFit            `json:"beta_hc1"`
	Conditional    statsmodelsFit            `json:"conditional"`
	ConditionalHC1 statsmodelsFit            `json:"conditional_hc1"`
	Clubs          map[string]statsmodelsFit `json:"clubs"`
	Sigma          struct {
		SD      []float64 `json:"sd"`
		CV      []float64 `json:"cv"`
		SDTrend []float64 `json:"sd_trend"`
		CVTrend []float64 `json:"cv_trend"`
	} `json:"sigma"`
}

func checkFit(t *testing.T, name string, r BetaResult, want statsmodelsFit) {
	t.Helper()
	coef := append([]Coefficient{r.Intercept, r.Slope}, r.Controls...)
	if len(coef) != len(want.Params) || r.N != want.NObs {
		t.Fatalf("%s: %d coefficients and %d units, want %d and %d", name, len(coef), r.N, len(want.Params), want.NObs)
	}
	const tol = 1e-10
	for j, c := range coef {
		checkNear(t, fmt.Sprintf("%s b%d", name, j), c.Estimate, want.Params[j], tol)
		checkNear(t, fmt.Sprintf("%s se%d", name, j), c.SE, want.BSE[j], tol)
		checkNear(t, fmt.Sprintf("%s t%d", name, j), c.T, want.TValues[j], tol)
		checkNear(t, fmt.Sprintf("%s p%d", name, j), c.P, want.PValues[j], 1e-8)
	}
	checkNear(t, name+" R²", r.R2, want.R2, tol)
	checkNear(t, name+" adj R²", r.AdjR2, want.R2Adj, tol)
}

func mexicoPanel(t *testing.T) (years []float64, panel [][]float64, regime []int) {
	for y := 1940; y <= 2000; y += 10 {
		years = append(years, float64(y))
		panel = append(panel, mexicoColumn(t, fmt.Sprintf("pcgdp%d", y)))
	}
	for _, v := range mexicoColumn(t, "hanson98") {
		regime = append(regime, int(v))
	}
	return years, panel, regime
}

// TestBetaConvergenceStatsmodels reproduces statsmodels OLS (classic and
// cov_type "HC1") on the Mexican states 1940-2000
// (testdata/reference/convergence/gen_statsmodels.py): absolute β, β
// conditional on hanson98 region dummies, and β within each region.
func TestBetaConvergenceStatsmodels(t *testing.T) {
	var ref statsmodelsRef
	readRefJSON(t, "convergence/statsmodels.json", &ref)
	_, panel, regime := mexicoPanel(t)
	x0, xT := panel[0], panel[6]
	x0c := slices.Clone(x0)
	r, err := BetaConvergence(x0, xT, 60, nil, BetaOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(x0, x0c) {
		t.Error("input mutated")
	}
	checkFit(t, "absolute", r, ref.Beta)
	// Rate and half-life by hand from statsmodels' slope b:
	// λ = −ln(1 + 60b)/60, half-life = ln 2/λ.
	b := ref.Beta.Params[1]
	lambda := -math.Log(1+60*b) / 60
	checkNear(t, "rate", r.Rate, lambda, 1e-10)
	checkNear(t, "half-life", r.HalfLife, math.Ln2/lambda, 1e-10)

	r, err = BetaConvergence(x0, xT, 60, nil, BetaOptions{Robust: true})
	if err != nil {
		t.Fatal(err)
	}
	checkFit(t, "absolute HC1", r, ref.BetaHC1)

	controls := make([][]float64, len(x0))
	for i, g := range regime {
		controls[i] = make([]float64, 4)
		for k, label := range []int{2, 3, 4, 5} {
			if g == label {
				controls[i][k] = 1
			}
		}
	}
	r, err = BetaConvergence(x0, xT, 60, controls, BetaOptions{})
	if err != nil {
		t.Fatal(err)
	}
	checkFit(t, "conditional", r, ref.Conditional)
	r, err = BetaConvergence(x0, xT, 60, controls, BetaOptions{Robust: true})
	if err != nil {
		t.Fatal(err)
	}
	checkFit(t, "conditional HC1", r, ref.ConditionalHC1)

	clubs := BetaByGroup(x0, xT, 60, regime, BetaOptions{})
	if len(clubs) != 5 {
		t.Fatalf("%d clubs", len(clubs))
	}
	for _, c := range clubs {
		want, ok := ref.Clubs[fmt.Sprint(c.Group)]
		if !ok {
			// Region 4 has 2 states: too few for a regression.
			var ie *InputError
			if c.Group != 4 || !errors.As(c.Err, &ie) || !math.IsNaN(c.Result.Slope.Estimate) {
				t.Errorf("club %d: %+v %v", c.Group, c.Result, c.Err)
			}
			continue
		}
		if c.Err != nil {
			t.Fatal(c.Err)
		}
		checkFit(t, fmt.Sprint("club ", c.Group), c.Result, want)
	}
}

// TestSigmaConvergenceStatsmodels: σ (sd of ln y, divisor n) and CV per
// year and their OLS trends, against numpy and statsmodels
// (gen_statsmodels.py).
func TestSigmaConvergenceStatsmodels(t *testing.T) {
	var ref statsmodelsRef
	readRefJSON(t, "convergence/statsmodels.json", &ref)
	years, panel, _ := mexicoPanel(t)
	s := SigmaConvergence(years, panel)
	for k, p := range s.Points {
		checkNear(t, fmt.Sprint("sd ", p.Year), p.SD, ref.Sigma.SD[k], 1e-12)
		checkNear(t, fmt.Sprint("cv ", p.Year), p.CV, ref.Sigma.CV[k], 1e-12)
		if p.N != 32 {
			t.Errorf("N = %d", p.N)
		}
	}
	checkNear(t, "sd trend intercept", s.SDTrend.Intercept, ref.Sigma.SDTrend[0], 1e-10)
	checkNear(t, "sd trend slope", s.SDTrend.Slope, ref.Sigma.SDTrend[1], 1e-10)
	checkNear(t, "cv trend slope", s.CVTrend.Slope, ref.Sigma.CVTrend[1], 1e-10)
}

// TestBetaConvergenceEdges: hand examples and error cases.
func TestBetaConvergenceEdges(t *testing.T) {
	// Hand: x0 = (1, e, e²), x_T = (e², e², e²), T = 2: g = (1, 0.5, 0) =
	// 1 − 0.5 ln x0 exactly, so b = −0.5, R² = 1, λ = −ln(1 − 1)/2 = +Inf:
	// 1 + bT = 0 gives NaN rate.
	e := math.E
	r, err := BetaConvergence([]float64{1, e, e * e}, []float64{e * e, e * e, e * e}, 2, nil, BetaOptions{})
	if err != nil {
		t.Fatal(err)
	}
	checkNear(t, "b", r.Slope.Estimate, -0.5, 1e-14)
	checkNear(t, "a", r.Intercept.Estimate, 1, 1e-14)
	checkNear(t, "R²", r.R2, 1, 1e-14)
	if !math.IsNaN(r.Rate) || !math.IsNaN(r.HalfLife) {
		t.Errorf("rate %v half-life %v, want NaN (1 + bT = 0)", r.Rate, r.HalfLife)
	}
	// Divergence (b > 0): λ < 0 and no half-life. x0 = (1, 2, 4, 8),
	// x_T = x0² over T = 1: g = ln x0, b = 1, λ = −ln 2 < 0.
	r, err = BetaConvergence([]float64{1, 2, 4, 8}, []float64{1, 4, 16, 64}, 1, nil, BetaOptions{})
	if err != nil {
		t.Fatal(err)
	}
	checkNear(t, "divergent b", r.Slope.Estimate, 1, 1e-12)
	checkNear(t, "divergent λ", r.Rate, -math.Ln2, 1e-12)
	if !math.IsNaN(r.HalfLife) {
		t.Errorf("half-life %v for divergence", r.HalfLife)
	}
	// Missing values are dropped.
	r, err = BetaConvergence([]float64{1, 2, math.NaN(), 4, 8}, []float64{1, 4, 9, 16, 64}, 1, nil, BetaOptions{})
	if err != nil || r.N != 4 || r.Dropped != 1 {
		t.Errorf("NaN: N %d dropped %d err %v", r.N, r.Dropped, err)
	}
	var ie *InputError
	for name, err := range map[string]error{
		"zero value":  second(BetaConvergence([]float64{1, 0, 3}, []float64{1, 2, 3}, 1, nil, BetaOptions{})),
		"negative xT": second(BetaConvergence([]float64{1, 2, 3}, []float64{1, -2, 3}, 1, nil, BetaOptions{})),
		"span 0":      second(BetaConvergence([]float64{1, 2, 3}, []float64{1, 2, 3}, 0, nil, BetaOptions{})),
		"too few":     second(BetaConvergence([]float64{1, 2}, []float64{1, 2}, 1, nil, BetaOptions{})),
		"inf control": second(BetaConvergence([]float64{1, 2, 3, 4}, []float64{1, 2, 3, 5}, 1, [][]float64{{1}, {math.Inf(1)}, {0}, {1}}, BetaOptions{})),
	} {
		if !errors.As(err, &ie) {
			t.Errorf("%s: %v, want an *InputError", name, err)
		}
	}
	_, err = BetaConvergence([]float64{1, 0, 3}, []float64{1, 2, 3}, 1, nil, BetaOptions{})
	if errors.As(err, &ie); ie.Unit != 1 || ie.Column != 0 {
		t.Errorf("error names unit %d column %d", ie.Unit, ie.Column)
	}
	// A control equal to ln x0 is collinear.
	x0 := []float64{1, 2, 4, 8, 16}
	ctl := make([][]float64, len(x0))
	for i, v := range x0 {
		ctl[i] = []float64{2 * math.Log(v)}
	}
	if _, err := BetaConvergence(x0, []float64{2, 3, 5, 9, 20}, 1, ctl, BetaOptions{}); !errors.Is(err, ErrSingular) {
		t.Errorf("collinear: %v", err)
	}
	// σ: a zero value makes σ NaN but not CV; hand: CV(0, 2) = 1/1,
	// CV(1, 3) = 1/2.
	s := SigmaConvergence([]float64{2000, 2010}, [][]float64{{0, 2}, {1, 3}})
	if !math.IsNaN(s.Points[0].SD) || s.Points[0].CV != 1 {
		t.Errorf("zero value: %+v", s.Points[0])
	}
	checkNear(t, "σ(1, 3)", s.Points[1].SD, math.Log(3)/2, 1e-15) // |ln 3 − 0|/2
	checkNear(t, "CV(1, 3)", s.Points[1].CV, 0.5, 1e-15)
}

func second[T any](_ T, err error) error { return err }
