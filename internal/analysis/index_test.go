package analysis

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"

	"agglo/internal/composite"
	"agglo/internal/i18n"
)

func builtin(t *testing.T, code string) *composite.Framework {
	t.Helper()
	fw, err := composite.Builtin(code)
	if err != nil {
		t.Fatal(err)
	}
	return fw
}

func TestIndexCRICReproducesTable3(t *testing.T) {
	ds := load(t, "")
	res, err := Index(context.Background(), ds, IndexRequest{Framework: builtin(t, "cric")})
	if err != nil {
		t.Fatal(i18n.Message(err, "en"))
	}
	if res.Level != "province" || len(res.Units) != 13 || res.Year != 2019 {
		t.Fatalf("level %s, %d units, year %d", res.Level, len(res.Units), res.Year)
	}
	// Paper Table 3 composites ("综合值"); the recomputation from the printed
	// two-decimal dimensions agrees within the rounding of inputs and output
	// (0.005 + Σw·0.005 = 0.01).
	printed := map[string]float64{"110000": 53.22, "120000": 28.83, "130000": 21.86, "310000": 45.63, "320000": 49.58, "330000": 38.8, "340000": 28.7,
		"440000": 59.49, "420000": 29.21, "430000": 26.82, "360000": 23.31, "510000": 28.03, "500000": 30.87}
	for _, u := range res.Units {
		if d := math.Abs(float64(u.Index) - printed[u.Code]); d > 0.01 {
			t.Errorf("%s: %v vs printed %v", u.Code, float64(u.Index), printed[u.Code])
		}
	}
	// Ranks by the printed composites: Guangdong 59.49 first, Hebei 21.86 last.
	for _, u := range res.Units {
		if (u.Code == "440000" && u.Rank != 1) || (u.Code == "130000" && u.Rank != 13) {
			t.Errorf("%s rank %d", u.Code, u.Rank)
		}
	}
	if res.Groups["110000"] != "BTH" || len(res.Methods) != 1 || res.Methods[0].Aggregation.Method != "arithmetic" {
		t.Errorf("groups %v methods %+v", res.Groups, res.Methods)
	}
}

func TestParseOverrides(t *testing.T) {
	cases := []struct {
		text OverrideText
		step Step // "" = success
	}{
		{OverrideText{Normalisation: "minmax:1,100", Weights: "entropy", Aggregation: "geometric"}, ""},
		{OverrideText{Normalisation: "zscore:10,2", Treatment: "coinr", Imputation: "group_mean"}, ""},
		{OverrideText{Normalisation: "dist2ref:110000", Weights: "entropy:shift", Aggregation: "generalised:0.5"}, ""},
		{OverrideText{Treatment: "percentile:0.1,0.9", Aggregation: "gra:0.3"}, ""},
		{OverrideText{Normalisation: "minmax:0"}, StepNormalisation},
		{OverrideText{Normalisation: "minmax:a,b"}, StepNormalisation},
		{OverrideText{Normalisation: "minmax:100,0"}, StepNormalisation},
		{OverrideText{Normalisation: "zscore:10,0"}, StepNormalisation},
		{OverrideText{Normalisation: "rank:3"}, StepNormalisation},
		{OverrideText{Treatment: "magic"}, StepTreatment},
		{OverrideText{Treatment: "winsorise:0"}, StepTreatment},
		{OverrideText{Aggregation: "bogus"}, StepAggregation},
		{OverrideText{Aggregation: "generalised"}, StepAggregation},
		{OverrideText{Weights: "magic"}, StepWeights},
		{OverrideText{Weights: "entropy:wild"}, StepWeights},
		{OverrideText{Imputation: "guess"}, StepImputation},
	}
	for _, c := range cases {
		_, err := ParseOverrides(c.text)
		var oe *OverrideError
		switch {
		case c.step == "" && err != nil:
			t.Errorf("%+v: %v", c.text, i18n.Message(err, "en"))
		case c.step != "" && (!errors.As(err, &oe) || oe.Step != c.step):
			t.Errorf("%+v: error %v, want one naming %s", c.text, err, c.step)
		case err != nil && i18n.Message(err, "zh") == i18n.Message(err, "en"):
			t.Errorf("%+v: no Chinese message", c.text)
		}
	}
	// Min-max without bounds is [0, 100] on every edge (COINr's default).
	o, err := ParseOverrides(OverrideText{Normalisation: "minmax", Treatment: "coinr"})
	if err != nil || o.Normalisation.Lower != 0 || o.Normalisation.Upper != 100 || o.Treatment.WinMax != 5 {
		t.Errorf("defaults: %+v %+v %v", o.Normalisation, o.Treatment, err)
	}
}

func TestIndexErrors(t *testing.T) {
	ds := load(t, "")
	ctx := context.Background()
	over := func(t OverrideText) Overrides {
		o, err := ParseOverrides(t)
		if err != nil {
			panic(err)
		}
		return o
	}
	cases := []struct {
		req   IndexRequest
		field string
		want  string
	}{
		// Min-max to [0,100] gives Jiangxi's knowledge creation (16, the
		// minimum of Table 3) a 0, which a geometric mean refuses, as COINr does.
		{IndexRequest{Framework: builtin(t, "cric"), Overrides: over(OverrideText{Normalisation: "minmax", Aggregation: "geometric"})}, FieldSteps, "positive"},
		{IndexRequest{Framework: builtin(t, "io")}, FieldFramework, "lack 7 of the 7 indicators"},
		{IndexRequest{Framework: builtin(t, "cric"), Year: 1990}, FieldYear, "no data in 1990"},
		{IndexRequest{}, FieldFramework, "no framework"},
	}
	for _, c := range cases {
		_, err := Index(ctx, ds, c.req)
		var re *RequestError
		if !errors.As(err, &re) || re.Field != c.field || !strings.Contains(i18n.Message(err, "en"), c.want) {
			t.Errorf("error %v, want field %s with %q", err, c.field, c.want)
		}
	}
	if _, err := Index(ctx, ds, IndexRequest{Framework: builtin(t, "cric"), Overrides: over(OverrideText{Normalisation: "minmax:1,100", Aggregation: "geometric", Weights: "entropy"})}); err != nil {
		t.Error(i18n.Message(err, "en"))
	}
}

// A three-level framework whose YAML lists no levels.
const threeLevels = `code: t3
name_zh: 三层
name_en: three levels
indicators:
  - {code: a, parent: g1, weight: 1}
  - {code: b, parent: g1, weight: 3}
  - {code: c, parent: g2}
aggregates:
  - {code: g1, parent: idx}
  - {code: g2, parent: idx, weight: 2}
  - {code: idx}
`

func TestOverridesReachEveryLevelAndUnitsMissingTheFirstIndicatorStay(t *testing.T) {
	// Unit C has no value of the framework's first indicator a; B lacks b.
	// Year 2020 is the latest in which any indicator has data (c only).
	ds := load(t, writeCSV(t, "unit,year,a,b,c\nA,2019,1,2,3\nB,2019,2,,5\nC,2019,,4,1\nD,2019,4,8,9\nA,2020,,,7\n"))
	fw, err := composite.ParseFramework(strings.NewReader(threeLevels))
	if err != nil {
		t.Fatal(err)
	}
	u, err := CrossSection(ds, Selection{Indicators: []string{"a", "b", "c"}})
	if err != nil || u.Year != 2020 || len(u.Codes) != 1 {
		t.Fatalf("default year: %+v %v", u, err)
	}
	o, err := ParseOverrides(OverrideText{Normalisation: "zscore:10,1", Aggregation: "geometric", Weights: "equal"})
	if err != nil {
		t.Fatal(err)
	}
	res, err := Index(context.Background(), ds, IndexRequest{Framework: fw, Year: 2019, Overrides: o})
	if err != nil {
		t.Fatal(i18n.Message(err, "en"))
	}
	if len(res.Methods) != 2 {
		t.Fatalf("methods %+v", res.Methods)
	}
	for _, m := range res.Methods {
		if m.Aggregation.Method != "geometric" || m.Weights.Method != "equal" {
			t.Errorf("level %d used %+v", m.Level, m)
		}
	}
	// Hand calculation (COINr: z-scores with the sample sd over the values
	// present, then weighted geometric means that skip missing children and
	// rescale the weights over those present).
	z := func(x []float64) []float64 {
		var s, n float64
		for _, v := range x {
			if !math.IsNaN(v) {
				s, n = s+v, n+1
			}
		}
		m, ss := s/n, 0.0
		for _, v := range x {
			if !math.IsNaN(v) {
				ss += (v - m) * (v - m)
			}
		}
		sd := math.Sqrt(ss / (n - 1))
		out := make([]float64, len(x))
		for i, v := range x {
			out[i] = (v-m)/sd*1 + 10
		}
		return out
	}
	nan := math.NaN()
	za, zb, zc := z([]float64{1, 2, nan, 4}), z([]float64{2, nan, 4, 8}), z([]float64{3, 5, 1, 9})
	geo := func(x ...float64) float64 { // equal weights over the values present
		s, n := 0.0, 0.0
		for _, v := range x {
			if !math.IsNaN(v) {
				s, n = s+math.Log(v), n+1
			}
		}
		return math.Exp(s / n)
	}
	for i, code := range []string{"A", "B", "C", "D"} {
		want := geo(geo(za[i], zb[i]), zc[i])
		var got *composite.UnitResult
		for k := range res.Units {
			if res.Units[k].Code == code {
				got = &res.Units[k]
			}
		}
		if got == nil {
			t.Errorf("unit %s dropped", code)
			continue
		}
		if math.Abs(float64(got.Index)-want) > 1e-12 {
			t.Errorf("%s: index %v, want %v", code, float64(got.Index), want)
		}
	}
}

// The same data give the same diagnosis to the last bit (sums over map
// iteration once changed the last digits from run to run, so that the
// command line and the API disagreed).
func TestDiagnosisIsDeterministic(t *testing.T) {
	ds := load(t, "")
	var first []byte
	for i := 0; i < 8; i++ {
		res, err := Diagnose(ds, DiagnosisRequest{})
		if err != nil {
			t.Fatal(err)
		}
		b, err := json.Marshal(res)
		if err != nil {
			t.Fatal(err)
		}
		if first == nil {
			first = b
		} else if !bytes.Equal(b, first) {
			t.Fatalf("run %d differs", i)
		}
	}
}

// When no choice moves any rank, the Sobol indices are 0/0: undefined,
// written as null rather than failing the JSON encoding.
func TestUncertaintyUndefinedIndicesAreNull(t *testing.T) {
	// Unit A leads on every indicator, so every run ranks it first.
	ds := load(t, writeCSV(t, "unit,a,b,c\nA,9,8,7\nB,1,2,3\nC,0.5,1,2\n"))
	fw, err := composite.ParseFramework(strings.NewReader(threeLevels))
	if err != nil {
		t.Fatal(err)
	}
	spec := DefaultUncertaintySpec()
	spec.Sensitivity = true
	res, err := Uncertainty(context.Background(), ds, UncertaintyRequest{Index: IndexRequest{Framework: fw}, Spec: spec, N: 16, Seed: 3})
	if err != nil {
		t.Fatal(i18n.Message(err, "en"))
	}
	if len(res.Sensitivity) == 0 || !math.IsNaN(float64(res.Sensitivity[0].FirstOrder)) {
		t.Fatalf("sensitivity %+v, want undefined indices", res.Sensitivity)
	}
	b, err := json.Marshal(res)
	if err != nil || !bytes.Contains(b, []byte(`"first_order":null`)) {
		t.Errorf("%v: %s", err, b)
	}
}
