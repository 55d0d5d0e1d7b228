package analysis

import (
	"context"
	"strings"
	"testing"

	"agglo/internal/composite"
)

// TestOverrideVariants: every variant a YAML framework can choose has a
// flag spelling that parses to the same typed value.
func TestOverrideVariants(t *testing.T) {
	o, err := ParseOverrides(OverrideText{Denominate: "true", Screening: "byNA:0.75", Imputation: "group-mean:EurAsia_group",
		Treatment: "winsorise:4,2.5,3,none", Normalisation: "dist2ref:110000,cap", Weights: "combined:entropy:shift,0.3"})
	if err != nil {
		t.Fatal(err)
	}
	if !*o.Denominate || *o.Screening != (composite.Screening{Method: composite.ScreenByNA, DatThresh: 0.75}) {
		t.Errorf("denominate %v screening %+v", *o.Denominate, *o.Screening)
	}
	if *o.Imputation != (composite.Imputation{Method: composite.ImputeGroupMean, Group: "EurAsia_group"}) {
		t.Errorf("imputation %+v", *o.Imputation)
	}
	if tr := *o.Treatment; tr.WinMax != 4 || tr.SkewThresh != 2.5 || tr.KurtThresh != 3 || tr.Fallback != "none" {
		t.Errorf("treatment %+v", tr)
	}
	if n := *o.Normalisation; n.Reference != "110000" || !n.CapMax {
		t.Errorf("normalisation %+v", n)
	}
	if w := *o.Weights; w.Method != composite.WeightsCombined || w.Objective != composite.WeightsEntropy || w.Entropy != composite.EntropyShift || w.Alpha != 0.3 || w.Combine != composite.CombineLinear {
		t.Errorf("weights %+v", w)
	}
	w, err := ParseWeights("combined:critic,multiplicative")
	if err != nil || w.Combine != composite.CombineMultiplicative || w.Objective != composite.WeightsCRITIC {
		t.Errorf("multiplicative %+v %v", w, err)
	}
	sc, err := ParseScreening("byNAandzeros:0.5,0.1")
	if err != nil || sc.DatThresh != 0.5 || sc.NonzeroThresh != 0.1 {
		t.Errorf("byNAandzeros %+v %v", sc, err)
	}
	for _, c := range []struct {
		text OverrideText
		step Step
	}{
		{OverrideText{Screening: "byNA:1.5"}, StepScreening},
		{OverrideText{Screening: "bycount"}, StepScreening},
		{OverrideText{Denominate: "yes please"}, StepDenomination},
		{OverrideText{Weights: "combined:framework"}, StepWeights},
		{OverrideText{Weights: "combined:entropy,2"}, StepWeights},
		{OverrideText{Treatment: "winsorise:5,2"}, StepTreatment},
		{OverrideText{Normalisation: "dist2ref:110000,floor"}, StepNormalisation},
	} {
		_, err := ParseOverrides(c.text)
		oe, ok := err.(*OverrideError)
		if !ok || oe.Step != c.step {
			t.Errorf("%+v: %v, want an error of step %s", c.text, err, c.step)
		}
	}
}

// TestIndexScreenAndDenominate: the overrides reach a COINr build; a unit
// below the data availability threshold is left out (COINr Screen), and
// denomination divides by the iMeta denominator.
func TestIndexScreenAndDenominate(t *testing.T) {
	fw, err := composite.ParseFramework(strings.NewReader(`code: t
name_zh: 测试
name_en: test
indicators:
  - {code: x1, name_zh: 一, name_en: one, parent: I, denominator: size}
  - {code: x2, name_zh: 二, name_en: two, parent: I}
aggregates:
  - {code: I, name_zh: 指数, name_en: index}
`))
	if err != nil {
		t.Fatal(err)
	}
	ds := load(t, writeCSV(t, "unit,x1,x2,size\nA,10,1,5\nB,12,2,2\nC,,3,1\n"))
	on, sc := true, composite.Screening{Method: composite.ScreenByNA, DatThresh: 0.75}
	res, err := Index(context.Background(), ds, IndexRequest{Framework: fw, Overrides: Overrides{Denominate: &on, Screening: &sc}})
	if err != nil {
		t.Fatal(err)
	}
	// C has 1 of 2 indicators (availability 0.5 < 0.75): screened out. x1
	// per area: A 2, B 6 → min-max A 0, B 100; x2: A 0, B 100.
	if len(res.Units) != 2 || float64(res.Units[0].Index) != 0 || float64(res.Units[1].Index) != 100 {
		t.Errorf("units %+v", res.Units)
	}
	audit, err := Audit(context.Background(), ds, AuditRequest{Index: IndexRequest{Framework: fw, Overrides: Overrides{Denominate: &on, Screening: &sc}}})
	if err != nil {
		t.Fatal(err)
	}
	if n := audit.Indicators[0].N; n != 2 {
		t.Errorf("audit reads %d units, want the 2 screened ones", n)
	}
}

// TestCouplingWang: --coupling wang uses Wang, Kong, Ren et al.'s (2021)
// corrected C. By hand for U = (0.6, 0.4, 0.5): Σ|U_i − U_j| = 0.4 over 3
// pairs, 1 − 0.4/3 = 0.86667; Π U_i/max U = 0.55556, its square root
// 0.74536; C = sqrt(0.86667·0.74536) = 0.803726; T = 0.5, D = sqrt(C·T) =
// 0.633927.
func TestCouplingWang(t *testing.T) {
	ds := load(t, writeCSV(t, "unit,u1,u2,u3\nA,0.6,0.4,0.5\nB,0.2,0.9,0.3\n"))
	m, err := ParseCoupling("wang")
	if err != nil {
		t.Fatal(err)
	}
	r, err := Measure(ds, MeasureRequest{Method: "coupling", Indicators: []string{"u1", "u2", "u3"}, Coupling: m})
	if err != nil {
		t.Fatal(err)
	}
	near(t, "C", float64(r.Units[0].Values["c"]), 0.803725819853972, 1e-12)
	near(t, "D", float64(r.Units[0].Values["d"]), 0.6339265808648396, 1e-12)
	if _, err := ParseCoupling("modified"); err == nil {
		t.Error("unknown coupling model accepted")
	}
}
