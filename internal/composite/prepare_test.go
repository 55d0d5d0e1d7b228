package composite

import (
	"context"
	"math"
	"slices"
	"strings"
	"testing"
)

// prepFramework: x1 (denominated by pop) and x2 in pillar P1, x3 in P2,
// P1 and P2 in the index I.
const prepFramework = `code: prep
name_zh: 测试
name_en: test
denominate: true
indicators:
  - {code: x1, name_zh: 一, name_en: one, weight: 1, parent: P1, denominator: pop}
  - {code: x2, name_zh: 二, name_en: two, weight: 1, parent: P1}
  - {code: x3, name_zh: 三, name_en: three, weight: 1, parent: P2}
aggregates:
  - {code: P1, name_zh: 甲, name_en: P one, weight: 1, parent: I}
  - {code: P2, name_zh: 乙, name_en: P two, weight: 1, parent: I}
  - {code: I, name_zh: 指数, name_en: index}
`

func prepData() *Data {
	nan := math.NaN()
	return &Data{
		Units:      []Unit{{Code: "A"}, {Code: "B"}, {Code: "C"}, {Code: "D"}},
		Indicators: []string{"x1", "x2", "x3", "pop"},
		Values: [][]float64{
			{10, 1, 0, 2},
			{30, nan, 5, 10},
			{8, nan, nan, 4},
			{6, 0, 0, 0},
		},
	}
}

// TestPrepareDataHand: denomination and screening worked by hand, with
// COINr's definitions (Denominate: x/denominator; Screen: data
// availability = 1 − #NA/#indicators, non-zero share = 1 − #zeros/#values,
// a unit is removed when below the threshold; defaults 2/3 and 0.05).
// Source: COINr, bluefoxr/COINr@0889f05c R/screen_units.R,
// get_data_avail.data.frame (Prc_nonzero = 1 − zeros/(ncol − NAs)) and
// Screen.data.frame; R/denominate.R for Denominate.
func TestPrepareDataHand(t *testing.T) {
	fw, err := ParseFramework(strings.NewReader(prepFramework))
	if err != nil {
		t.Fatal(err)
	}
	d := prepData()
	orig := d.Values[0][0]
	out, recs, err := PrepareData(fw, d, Steps{Denominate: true})
	if err != nil {
		t.Fatal(err)
	}
	if d.Values[0][0] != orig {
		t.Fatal("input mutated")
	}
	// x1/pop: 10/2 = 5, 30/10 = 3, 8/4 = 2, 6/0 → missing.
	want := []float64{5, 3, 2, math.NaN()}
	for i, w := range want {
		if got := out.Values[i][0]; !(got == w || (math.IsNaN(got) && math.IsNaN(w))) {
			t.Errorf("unit %d: x1/pop = %v, want %v", i, got, w)
		}
	}
	if len(recs) != 1 || recs[0].Step != "denomination" {
		t.Errorf("records %+v", recs)
	}
	// After denomination: A has 3/3 values (one zero: non-zero 2/3), B 2/3
	// (no zero), C 1/3, D 2/3 values, both zero (non-zero 0).
	for _, c := range []struct {
		sc   Screening
		keep []string
	}{
		{Screening{Method: ScreenByNA, DatThresh: 2.0 / 3}, []string{"A", "B", "D"}}, // 2/3 is not below 2/3
		{Screening{Method: ScreenByNA, DatThresh: 0.7}, []string{"A"}},
		{Screening{Method: ScreenByNA}, []string{"A", "B", "D"}},                   // COINr's default 2/3
		{Screening{Method: ScreenByZeros, NonzeroThresh: 0.7}, []string{"B", "C"}}, // C: 1 value, non-zero
		{Screening{Method: ScreenByNAAndZeros}, []string{"A", "B"}},                // defaults 2/3 and 0.05
		{Screening{Method: ScreenNone}, []string{"A", "B", "C", "D"}},
	} {
		out, recs, err := PrepareData(fw, d, Steps{Denominate: true, Screening: c.sc})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, u := range out.Units {
			got = append(got, u.Code)
		}
		if !slices.Equal(got, c.keep) {
			t.Errorf("%+v: kept %v, want %v", c.sc, got, c.keep)
		}
		if c.sc.Method != ScreenNone && recs[len(recs)-1].Step != "screening" {
			t.Errorf("%+v: records %+v", c.sc, recs)
		}
		// The steps table names both steps, their methods and thresholds
		// in Chinese.
		for _, r := range recs {
			for _, zh := range []string{StepName(r.Step).ZH, MethodName(r.Method).ZH, DescribeStep(r.Params).ZH} {
				if strings.ContainsAny(zh, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") {
					t.Errorf("%s: Chinese name %q", r.Step, zh)
				}
			}
		}
	}
	// No unit left: the error names the screening and its thresholds.
	if _, _, err := PrepareData(fw, d, Steps{Denominate: true, Screening: Screening{Method: ScreenByNAAndZeros, DatThresh: 1, NonzeroThresh: 1}}); err == nil ||
		!strings.Contains(err.Error(), "availability at least 1, non-zero share at least 1") || !strings.Contains(err.(*Error).Localized("zh"), "按数据可得率或非零值比例筛选后没有单元") {
		t.Errorf("no unit left: %v", err)
	}
	if _, _, err := PrepareData(fw, d, Steps{Screening: Screening{Method: ScreenByNA, DatThresh: 1.01}}); err == nil {
		t.Error("no error, but no unit can have more than all its data")
	}
	// Without the denominator column the error names it.
	d.Indicators[3] = "population"
	if _, _, err := PrepareData(fw, d, Steps{Denominate: true}); err == nil || !strings.Contains(err.Error(), "pop") {
		t.Errorf("missing denominator: %v", err)
	}
}

// TestBuildDenominatedScreened: Build applies both steps from the
// framework and returns the data it built on; the screened-out unit is not
// ranked.
func TestBuildDenominatedScreened(t *testing.T) {
	fw, err := ParseFramework(strings.NewReader(prepFramework + "screening: {method: byNA, dat_thresh: 0.5}\n"))
	if err != nil {
		t.Fatal(err)
	}
	res, err := Build(context.Background(), fw, prepData(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Units) != 3 || len(res.Data().Units) != 3 || res.Units[2].Code != "D" {
		t.Fatalf("units %+v", res.Units)
	}
	if res.Steps[0].Step != "denomination" || res.Steps[1].Step != "screening" || !res.Spec.Denominate {
		t.Errorf("steps %+v", res.Steps[:2])
	}
	// x1/pop over A, B, D: 5, 3, missing: min-max 100, 0; A's P1 = mean(100,
	// x2 100) = 100.
	if got := float64(res.Units[0].Levels["P1"]); got != 100 {
		t.Errorf("A P1 = %v", got)
	}
}

// TestWeightSet: a weight set replaces the framework weights of the nodes
// it names. P1:P2 = 3:1 and x1:x2 = 1:3 in pillar P1, worked by hand on
// normalised values A (x1 100, x2 100, x3 0) and B (x1 0, x2 0, x3 100):
// A = 0.75·100 + 0.25·0 = 75, B = 0.75·0 + 0.25·100 = 25.
func TestWeightSet(t *testing.T) {
	fw, err := ParseFramework(strings.NewReader(strings.Replace(prepFramework, "denominate: true\n", "", 1)))
	if err != nil {
		t.Fatal(err)
	}
	d := &Data{Units: []Unit{{Code: "A"}, {Code: "B"}}, Indicators: []string{"x1", "x2", "x3"},
		Values: [][]float64{{2, 9, 1}, {1, 4, 7}}}
	set := WeightSet{"P1": 3, "P2": 1, "x1": 1, "x2": 3}
	steps := Steps{Levels: []LevelStep{{Level: 2, Weights: WeightSpec{Method: WeightsFramework, Set: &set}}, {Level: 3, Weights: WeightSpec{Method: WeightsFramework, Set: &set}}}}
	res, err := Build(context.Background(), fw, d, Options{Steps: &steps})
	if err != nil {
		t.Fatal(err)
	}
	if a, b := float64(res.Units[0].Index), float64(res.Units[1].Index); math.Abs(a-75) > 1e-12 || math.Abs(b-25) > 1e-12 {
		t.Errorf("index %v %v, want 75 25", a, b)
	}
	if math.Abs(res.Weights["x2"]-0.75) > 1e-15 || math.Abs(res.Weights["P1"]-0.75) > 1e-15 {
		t.Errorf("weights %v", res.Weights)
	}
	bad := WeightSet{"nope": 1}
	steps.Levels[0].Weights.Set = &bad
	if _, err := Build(context.Background(), fw, d, Options{Steps: &steps}); err == nil {
		t.Error("a set naming an unknown node was accepted")
	}
	// The uncertainty analysis samples the sets: with the sets {P1 3, P2 1}
	// and {P1 1, P2 3} every run ranks A first or B first, so each unit's
	// ranks span 1 to 2 and the nominal (equal weights: A = 50 + 0·… ) is
	// one of them.
	sets := []WeightSet{{"P1": 3, "P2": 1}, {"P1": 1, "P2": 3}}
	spec := &UASpec{Choices: []Choice{WeightSetsChoice("sets", sets)}}
	ua, err := Uncertainty(context.Background(), fw, d, spec, UAOptions{N: 200, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range ua.Units {
		if u.P05Rank != 1 || u.P95Rank != 2 {
			t.Errorf("%s: ranks %v–%v, want 1–2", u.Code, u.P05Rank, u.P95Rank)
		}
	}
}
