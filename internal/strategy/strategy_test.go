package strategy

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"agglo/internal/dataset"
	"agglo/internal/diagnose"
)

func diagnosis(t testing.TB) *diagnose.Result {
	t.Helper()
	ds, err := dataset.Default()
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := diagnose.DefaultConfig()
	if err != nil {
		t.Fatal(err)
	}
	d, err := diagnose.Run(ds, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func recommend(t *testing.T, scenario string) *Result {
	t.Helper()
	sc, err := ParseScenario(scenario)
	if err != nil {
		t.Fatal(err)
	}
	rb, err := DefaultRulebook()
	if err != nil {
		t.Fatal(err)
	}
	r, err := Recommend(diagnosis(t), sc, rb)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func sources(a Agglomeration) []string {
	var out []string
	for _, r := range a.Recommendations {
		out = append(out, r.Source)
	}
	return out
}

func find(a Agglomeration, id string) (Recommendation, bool) {
	for _, r := range a.Recommendations {
		if r.ID == id {
			return r, true
		}
	}
	return Recommendation{}, false
}

// TestBaselinePaperStrategies: under the paper's scenario each
// agglomeration gets its own section IV strategy: YRD IV.1, PRD IV.2, BTH
// IV.3, MYR IV.4, CC IV.5.
func TestBaselinePaperStrategies(t *testing.T) {
	r := recommend(t, "")
	if r.Scenario != Baseline() {
		t.Fatalf("scenario %+v", r.Scenario)
	}
	want := map[string]string{"YRD": "paper:IV.1", "PRD": "paper:IV.2", "BTH": "paper:IV.3", "MYR": "paper:IV.4", "CC": "paper:IV.5"}
	if len(r.Agglomerations) != 5 {
		t.Fatalf("%d agglomerations", len(r.Agglomerations))
	}
	for _, a := range r.Agglomerations {
		if !slices.Contains(sources(a), want[a.Code]) {
			t.Errorf("%s: sources %v lack %s", a.Code, sources(a), want[a.Code])
		}
		for _, rec := range a.Recommendations {
			if len(rec.MeasuresZH) != len(rec.MeasuresEN) || rec.TitleZH == "" || rec.TitleEN == "" || len(rec.Evidence) == 0 && rec.ID != "dual-circulation" {
				t.Errorf("%s %s: incomplete recommendation %+v", a.Code, rec.ID, rec)
			}
		}
		// Figure 5, baseline: domestic stable, international turbulent →
		// internal creation.
		if a.RecommendedOpennessMode != diagnose.InternalCreation {
			t.Errorf("%s: openness %s", a.Code, a.RecommendedOpennessMode)
		}
	}
}

// TestPlaceSpecificMeasures: IV.2's Hong Kong–Macau quadrilateral only for
// PRD; IV.5's Chengdu–Chongqing–Mianyang triangle only for CC; IV.1's
// Shanghai bridgehead only for YRD. Each section IV strategy keeps three
// measures for its own agglomeration (the paper's "首先、其次、最后").
func TestPlaceSpecificMeasures(t *testing.T) {
	r := recommend(t, "")
	byCode := map[string]Agglomeration{}
	for _, a := range r.Agglomerations {
		byCode[a.Code] = a
	}
	has := func(code, id, text string) bool {
		rec, ok := find(byCode[code], id)
		if !ok {
			return false
		}
		for _, m := range rec.MeasuresZH {
			if strings.Contains(m, text) {
				return true
			}
		}
		return false
	}
	checks := []struct {
		code, id, text string
		want           bool
	}{
		{"PRD", "iv2-expand-cooperation", "香港", true},
		{"YRD", "iv2-expand-cooperation", "香港", false}, // YRD's computed profile is high-level multi-point too
		{"CC", "iv5-reshape-chains", "绵阳", true},
		{"BTH", "iv5-reshape-chains", "绵阳", false},
		{"YRD", "iv1-policy-guidance", "上海", true},
		{"CC", "iv1-policy-guidance", "上海", false},
	}
	for _, c := range checks {
		if got := has(c.code, c.id, c.text); got != c.want {
			t.Errorf("%s %s contains %q: %v, want %v", c.code, c.id, c.text, got, c.want)
		}
	}
	for code, id := range map[string]string{"YRD": "iv1-policy-guidance", "PRD": "iv2-expand-cooperation", "BTH": "iv3-open-innovation", "MYR": "iv4-world-class-core", "CC": "iv5-reshape-chains"} {
		rec, _ := find(byCode[code], id)
		if len(rec.MeasuresZH) < 3 {
			t.Errorf("%s %s: %d measures", code, id, len(rec.MeasuresZH))
		}
	}
}

// TestFigure5Branches covers every branch of Figure 5 (paper IV,
// introduction): early stage → core-led; middle and late → multi-point;
// domestic stable + international turbulent → internal creation;
// resources limited + international stable → external cooperation; other
// scenarios → the dual-circulation balance (project reading).
func TestFigure5Branches(t *testing.T) {
	cases := []struct {
		scenario, spatial, openness string
	}{
		{"stage=embryonic", diagnose.CoreLed, diagnose.InternalCreation},
		{"stage=雏形发育期", diagnose.CoreLed, diagnose.InternalCreation},
		{"stage=rapid", diagnose.CoreLed, diagnose.InternalCreation}, // project reading: rapid development is early
		{"stage=maturing", diagnose.MultiPoint, diagnose.InternalCreation},
		{"stage=mature", diagnose.MultiPoint, diagnose.InternalCreation},
		{"domestic=stable,international=turbulent,stage=mature", diagnose.MultiPoint, diagnose.InternalCreation},
		{"international=stable,resources=limited,stage=embryonic", diagnose.CoreLed, diagnose.ExternalCooperation},
		{"domestic=unstable,international=stable,resources=limited,stage=embryonic", diagnose.CoreLed, diagnose.ExternalCooperation},
		{"domestic=unstable,international=turbulent,stage=embryonic", diagnose.CoreLed, diagnose.Balanced},
		{"international=stable,resources=abundant,stage=embryonic", diagnose.CoreLed, diagnose.Balanced},
	}
	for _, c := range cases {
		r := recommend(t, c.scenario)
		for _, a := range r.Agglomerations {
			if a.RecommendedSpatialMode != c.spatial || a.RecommendedOpennessMode != c.openness {
				t.Errorf("%s %s: %s/%s, want %s/%s", c.scenario, a.Code, a.RecommendedSpatialMode, a.RecommendedOpennessMode, c.spatial, c.openness)
			}
			if a.StageSource != "scenario" {
				t.Errorf("%s %s: stage source %s", c.scenario, a.Code, a.StageSource)
			}
			if !slices.Contains(sources(a), "paper:IV (Figure 5)") {
				t.Errorf("%s %s: no Figure 5 rule", c.scenario, a.Code)
			}
		}
	}
}

// TestSameProfileSameAdvice: two agglomerations with the same diagnosis
// get the same rules.
func TestSameProfileSameAdvice(t *testing.T) {
	d := diagnosis(t)
	twin := d.Agglomerations[2] // MYR
	twin.Code, twin.Published = "BTH", nil
	d2 := &diagnose.Result{Agglomerations: []diagnose.Agglomeration{d.Agglomerations[2], twin}}
	d2.Agglomerations[0].Published = nil
	rb, _ := DefaultRulebook()
	r, err := Recommend(d2, Baseline(), rb)
	if err != nil {
		t.Fatal(err)
	}
	var ids [2][]string
	for i, a := range r.Agglomerations {
		for _, rec := range a.Recommendations {
			ids[i] = append(ids[i], rec.ID)
		}
	}
	if !slices.Equal(ids[0], ids[1]) {
		t.Errorf("same profile, different rules: %v vs %v", ids[0], ids[1])
	}
}

func TestParseScenarioErrors(t *testing.T) {
	for _, c := range []struct{ in, mention string }{
		{"weather=sunny", "domestic, international, resources, stage"},
		{"domestic=calm", "stable, unstable"},
		{"international=unstable", "stable, turbulent"},
		{"resources=many", "abundant, limited"},
		{"stage=old", "auto, embryonic, rapid, maturing, mature"},
		{"domestic", "key=value"},
	} {
		_, err := ParseScenario(c.in)
		if err == nil || !strings.Contains(err.Error(), c.mention) {
			t.Errorf("%q: %v (want mention of %q)", c.in, err, c.mention)
		}
	}
	sc, err := ParseScenario(" Domestic=unstable , stage=趋于成熟期")
	if err != nil || sc.Domestic != Unstable || sc.Stage != diagnose.StageMaturing || sc.International != Turbulent {
		t.Errorf("%+v %v", sc, err)
	}
}

const goodRule = `name: test
rules:
  - id: ok
    when: spatial_mode == "core-led"
    priority: 1
    title: {zh: 标题, en: title}
    measures:
      - {zh: 措施, en: measure}
    rationale: {zh: 理由, en: reason}
    source: test
`

func TestRulebookCheck(t *testing.T) {
	if issues, rb := CheckRulebook([]byte(goodRule), "good.yaml"); len(issues) != 0 || len(rb.Rules) != 1 {
		t.Fatalf("good rulebook: %v", issues)
	}
	cases := []struct {
		name, yaml, mention string
		line                int
	}{
		{"unknown fact", strings.Replace(goodRule, `spatial_mode == "core-led"`, `problems.traffic && true`, 1), "unknown fact", 4},
		{"syntax", strings.Replace(goodRule, `spatial_mode == "core-led"`, `spatial_mode == `, 1), "condition error", 4},
		{"never fires", strings.Replace(goodRule, `spatial_mode == "core-led"`, `spatial_mode == "core_led"`, 1), "never fire", 4},
		{"contradiction", strings.Replace(goodRule, `spatial_mode == "core-led"`, `scenario.domestic == "stable" && scenario.domestic == "unstable"`, 1), "never fire", 4},
		{"unknown field", strings.Replace(goodRule, "    priority: 1", "    priority: 1\n    colour: red", 1), "colour", 6},
		{"duplicate", goodRule + strings.TrimPrefix(goodRule[strings.Index(goodRule, "  - id"):], ""), "duplicate", 11},
		{"priority", strings.Replace(goodRule, "priority: 1", "priority: 0", 1), "priority", 3},
		{"bad yaml", "rules: [\n  - id: x\n", "YAML", 1},
		{"bad only", strings.Replace(goodRule, "{zh: 措施, en: measure}", "{zh: 措施, en: measure, only: [XYZ]}", 1), "XYZ", 3},
	}
	for _, c := range cases {
		issues, rb := CheckRulebook([]byte(c.yaml), "r.yaml")
		if rb != nil || len(issues) == 0 {
			t.Errorf("%s: accepted", c.name)
			continue
		}
		var ok bool
		for _, is := range issues {
			if strings.Contains(is.Message.EN, c.mention) && is.Line == c.line {
				ok = true
			}
		}
		if !ok {
			t.Errorf("%s: want %q at line %d, got %+v", c.name, c.mention, c.line, issues)
		}
		_, err := ParseRulebook([]byte(c.yaml), "r.yaml")
		var re *RulebookError
		if !errors.As(err, &re) || !strings.Contains(re.Localized("zh"), "r.yaml:") {
			t.Errorf("%s: error %v", c.name, err)
		}
	}
}

func TestDefaultRulebookValid(t *testing.T) {
	issues, rb := CheckRulebook(DefaultRulebookYAML(), "rulebook.yaml")
	if len(issues) != 0 {
		t.Fatalf("%v", issues)
	}
	for _, r := range rb.Rules {
		if !strings.HasPrefix(r.Source, "paper:IV") {
			t.Errorf("rule %s source %q", r.ID, r.Source)
		}
	}
}

func FuzzParseRulebook(f *testing.F) {
	f.Add(DefaultRulebookYAML())
	f.Add([]byte(goodRule))
	f.Add([]byte("rules:\n  - id: a\n    when: '1 +'\n"))
	f.Add([]byte("rules:\n  - id: a\n    when: problems.siphon ? 1 : 'x'\n"))
	f.Add([]byte("rules:\n  - {id: a, when: \"code matches '('\", priority: 1}\n"))
	f.Add([]byte("rules: {}"))
	f.Add([]byte(""))
	d := diagnosis(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		rb, err := ParseRulebook(b, "fuzz.yaml")
		if err != nil {
			var re *RulebookError
			if !errors.As(err, &re) || len(re.Issues) == 0 {
				t.Fatalf("error without located issues: %v", err)
			}
			return
		}
		if _, err := Recommend(d, Baseline(), rb); err != nil {
			var loc interface{ Localized(string) string }
			if !errors.As(err, &loc) {
				t.Fatalf("unlocalized error: %v", err)
			}
		}
	})
}

// BenchmarkStrategy is the whole of agglo strategy on the embedded data:
// load, diagnose (with its confidence variants) and recommend.
func BenchmarkStrategy(b *testing.B) {
	for b.Loop() {
		ds, err := dataset.Default()
		if err != nil {
			b.Fatal(err)
		}
		cfg, _ := diagnose.DefaultConfig()
		d, err := diagnose.Run(ds, cfg)
		if err != nil {
			b.Fatal(err)
		}
		rb, err := DefaultRulebook()
		if err != nil {
			b.Fatal(err)
		}
		if _, err := Recommend(d, Baseline(), rb); err != nil {
			b.Fatal(err)
		}
	}
}
