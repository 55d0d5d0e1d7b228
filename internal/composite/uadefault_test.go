package composite

import (
	"context"
	"reflect"
	"strings"
	"testing"
)

// oldDefaultSpec is the default uncertainty specification agglo used
// before DefaultUASpec: none of its treatments, normalisations or
// aggregations is agglo's default build (no treatment, min-max [0, 100]).
const oldDefaultSpec = `sensitivity: false
choices:
  - {name: winsorisation, step: treatment, winmax: [1, 2, 3, 4, 5]}
  - name: normalisation
    step: normalisation
    alternatives: [{method: minmax, lower: 1, upper: 100}, {method: zscore, mean: 100, sd: 10}]
  - {name: aggregation, step: aggregation, alternatives: [{method: arithmetic}, {method: geometric}]}
  - {name: weight_noise, step: weight_noise, level: 2, factor: 0.25}
`

func TestDefaultUASpecHoldsNominal(t *testing.T) {
	spec := DefaultUASpec()
	if !reflect.DeepEqual(spec, DefaultUASpec()) || spec == DefaultUASpec() {
		t.Fatal("DefaultUASpec must return equal, separate copies")
	}
	if !spec.IncludeNominal || spec.Sensitivity || len(spec.Choices) != 4 {
		t.Fatalf("default spec %+v", spec)
	}
	cric, err := Builtin("cric")
	if err != nil {
		t.Fatal(err)
	}
	io, err := Builtin("io")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name   string
		steps  Steps
		levels int
		added  map[string]int // alternatives after include_nominal
	}{
		// agglo's default build is among the alternatives as written.
		{"default build", Steps{}, 3, map[string]int{"treatment": 2, "normalisation": 2, "weights": 2}},
		// CRIC: normalisation none is added.
		{"cric", cric.Steps, cric.NumLevels(), map[string]int{"treatment": 2, "normalisation": 3, "weights": 2}},
		// io: equal weights at level 2 are already an alternative.
		{"io", io.Steps, io.NumLevels(), map[string]int{"treatment": 2, "normalisation": 2, "weights": 2}},
		// A winsorised, z-scored nominal adds its z-score (winsorise 5 is there).
		{"zscore", Steps{Treatment: Treatment{Method: TreatWinsorise}, Normalisation: Normalisation{Method: NormZScore, Mean: 10, SD: 2}}, 3,
			map[string]int{"treatment": 2, "normalisation": 3, "weights": 2}},
	} {
		nominal := c.steps.resolved(c.levels)
		choices, in := resolveChoices(spec, nominal)
		if !in {
			t.Errorf("%s: the nominal is not in the default spec", c.name)
		}
		for _, ch := range choices {
			if want, ok := c.added[ch.Name]; ok && ch.count() != want {
				t.Errorf("%s: choice %s has %d alternatives, want %d", c.name, ch.Name, ch.count(), want)
			}
		}
		if !reflect.DeepEqual(spec, DefaultUASpec()) {
			t.Errorf("%s: resolving changed the spec", c.name)
		}
	}
	// Without include_nominal nothing is added, and the result says so.
	old := parseSpec(t, oldDefaultSpec)
	if _, in := resolveChoices(old, Steps{}.resolved(3)); in {
		t.Error("the old default spec holds the default nominal")
	}
	if !strings.Contains(DefaultUASpecYAML, "include_nominal: true") {
		t.Error("the YAML text lost include_nominal")
	}
}

// TestDefaultUASpecNotMisleading runs the default and the old default spec
// on the same synthetic data with agglo's default build as the nominal, and
// counts the units whose nominal rank falls outside their own 5–95 %
// interval. Were the nominal rank a random draw from the unit's
// distribution, about 10 % of units would fall outside by the interval's
// definition; with the nominal configuration at the centre of the sampled
// ones (the noise is centred on its weights) there should be no more. The
// old spec never samples the nominal configuration, and more units fall
// outside than a draw from their distribution would.
func TestDefaultUASpecNotMisleading(t *testing.T) {
	fw, d := synthetic(t, 400, []int{10, 10, 10, 10, 10, 10}, 8)
	for _, c := range []struct {
		name string
		spec *UASpec
	}{{"default", DefaultUASpec()}, {"old", parseSpec(t, oldDefaultSpec)}} {
		res, err := Uncertainty(context.Background(), fw, d, c.spec, UAOptions{N: 400, Seed: 3})
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: in spec %v, outside %d of %d, failed %d", c.name, res.NominalInSpec, res.NominalOutside, len(res.Units), res.Failed)
		tenth := len(res.Units) / 10
		switch {
		case c.name == "default" && (!res.NominalInSpec || res.NominalOutside > tenth):
			t.Errorf("default spec: nominal in spec %v, %d of %d units outside their interval", res.NominalInSpec, res.NominalOutside, len(res.Units))
		case c.name == "old" && (res.NominalInSpec || res.NominalOutside <= tenth):
			t.Errorf("old spec: nominal in spec %v, %d of %d units outside (the test no longer tells the specs apart)", res.NominalInSpec, res.NominalOutside, len(res.Units))
		}
		outside := 0
		for _, u := range res.Units {
			if u.NominalOutside {
				outside++
			}
		}
		if outside != res.NominalOutside {
			t.Errorf("%s: summary %d, units %d", c.name, res.NominalOutside, outside)
		}
	}
}
