package strategy

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"agglo/internal/dataset"
	"agglo/internal/diagnose"
	"agglo/internal/i18n"
)

func diagnoseDataset(t testing.TB, ds *dataset.Dataset, codes ...string) *diagnose.Result {
	t.Helper()
	cfg, err := diagnose.DefaultConfig()
	if err != nil {
		t.Fatal(err)
	}
	cfg.Agglomerations = codes
	d, err := diagnose.Run(ds, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// diagnosis diagnoses the embedded paper data.
func diagnosis(t testing.TB) *diagnose.Result {
	t.Helper()
	ds, err := dataset.Default()
	if err != nil {
		t.Fatal(err)
	}
	return diagnoseDataset(t, ds)
}

// withData is the embedded data plus the built-in 2010/2020 census of every city
// (testdata/china2019/city_census_2010_2020.csv, leiii/census, as
// resident and urban population) and the 2019 province file (techme).
func withData(t testing.TB) *dataset.Dataset {
	t.Helper()
	base, err := dataset.Default()
	if err != nil {
		t.Fatal(err)
	}
	census, err := (&dataset.Embedded{}).Builtin(context.Background(), dataset.BuiltinCensus)
	if err != nil {
		t.Fatal(err)
	}
	opts := dataset.ReadOptions{Registry: base.Registry, Catalogue: base.Catalogue}
	prov, err := dataset.ReadFile("../../testdata/china2019/province_2019_long.csv", opts)
	if err != nil {
		t.Fatal(err)
	}
	ds, err := dataset.Merge("embedded + census + provinces", base, census, prov)
	if err != nil {
		t.Fatal(err)
	}
	return ds
}

func recommendOn(t testing.TB, d *diagnose.Result, scenario string) *Result {
	t.Helper()
	sc, err := ParseScenario(scenario)
	if err != nil {
		t.Fatal(err)
	}
	rb, err := DefaultRulebook()
	if err != nil {
		t.Fatal(err)
	}
	r, err := Recommend(d, sc, rb)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func recommend(t *testing.T, scenario string) *Result {
	t.Helper()
	return recommendOn(t, diagnosis(t), scenario)
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

func byCode(r *Result) map[string]Agglomeration {
	out := map[string]Agglomeration{}
	for _, a := range r.Agglomerations {
		out[a.Code] = a
	}
	return out
}

// TestBaselinePaperStrategies: under the paper's scenario each
// agglomeration gets its own section IV strategy (YRD IV.1, PRD IV.2, BTH
// IV.3, MYR IV.4, CC IV.5), and the openness recommendation follows each
// one's profile (因地制宜): BTH and PRD, internal creation in the paper,
// open up (IV.3); YRD and CC, external cooperation in the paper, turn to
// the domestic circulation (IV.1); MYR, without an openness label, takes
// Figure 5's internal creation for a turbulent world.
func TestBaselinePaperStrategies(t *testing.T) {
	r := recommend(t, "")
	if r.Scenario != Baseline() || r.ScenarioText.ZH == "" {
		t.Fatalf("scenario %+v", r.Scenario)
	}
	want := map[string]string{"YRD": "paper:IV.1", "PRD": "paper:IV.2", "BTH": "paper:IV.3", "MYR": "paper:IV.4", "CC": "paper:IV.5"}
	open := map[string]string{"BTH": diagnose.ExternalCooperation, "PRD": diagnose.ExternalCooperation, "YRD": diagnose.DomesticCirculation,
		"CC": diagnose.DomesticCirculation, "MYR": diagnose.InternalCreation}
	if len(r.Agglomerations) != 5 {
		t.Fatalf("%d agglomerations", len(r.Agglomerations))
	}
	for _, a := range r.Agglomerations {
		if !slices.Contains(sources(a), want[a.Code]) {
			t.Errorf("%s: sources %v lack %s", a.Code, sources(a), want[a.Code])
		}
		if a.RecommendedOpennessMode != open[a.Code] {
			t.Errorf("%s: openness %s, want %s", a.Code, a.RecommendedOpennessMode, open[a.Code])
		}
		for _, rec := range a.Recommendations {
			if len(rec.MeasuresZH) != len(rec.MeasuresEN) || len(rec.Measures) != len(rec.MeasuresZH) || rec.TitleZH == "" || rec.Because.ZH == "" {
				t.Errorf("%s %s: incomplete recommendation %+v", a.Code, rec.ID, rec)
			}
			for _, m := range rec.Measures {
				if len(m.Monitor) == 0 {
					t.Errorf("%s %s: measure without an indicator to monitor: %s", a.Code, rec.ID, m.Text.ZH)
				}
				for _, mo := range m.Monitor {
					if mo.Name.ZH == "" || (mo.Direction != Up && mo.Direction != Down && mo.Direction != StableTrend) {
						t.Errorf("%s %s: monitor %+v", a.Code, rec.ID, mo)
					}
				}
			}
		}
	}
	// The contradictions of the first build are gone: PRD is not told to
	// shift to the domestic market (IV.1) while leaning outward (IV.3); CC
	// is not told to build a world-class core (IV.4) while its cores
	// siphon (IV.5).
	bc := byCode(r)
	if _, ok := find(bc["PRD"], "iv1-policy-guidance"); ok {
		t.Error("PRD got IV.1")
	}
	if _, ok := find(bc["CC"], "iv4-world-class-core"); ok {
		t.Error("CC got IV.4")
	}
}

// TestPlaceSpecificMeasures: IV.2's Hong Kong–Macau quadrilateral only for
// PRD; IV.5's Chengdu–Chongqing–Mianyang triangle only for CC; IV.1's
// Shanghai bridgehead only for YRD; the "central collapse" measure only
// where the collapse is found (CC, the paper's III.1), not for BTH.
func TestPlaceSpecificMeasures(t *testing.T) {
	bc := byCode(recommend(t, ""))
	has := func(code, id, text string) bool {
		rec, ok := find(bc[code], id)
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
	for _, c := range []struct {
		code, id, text string
		want           bool
	}{
		{"PRD", "iv2-expand-cooperation", "香港", true},
		{"CC", "iv5-reshape-chains", "绵阳", true},
		{"CC", "iv5-reshape-chains", "中部塌陷", true},
		{"BTH", "iv5-reshape-chains", "中部塌陷", false},
		{"BTH", "iv5-reshape-chains", "绵阳", false},
		{"BTH", "iv5-reshape-chains", "带动效应", true},
		{"YRD", "iv1-policy-guidance", "上海", true},
		{"CC", "iv1-policy-guidance", "上海", false},
	} {
		if got := has(c.code, c.id, c.text); got != c.want {
			t.Errorf("%s %s contains %q: %v, want %v", c.code, c.id, c.text, got, c.want)
		}
	}
	for code, id := range map[string]string{"YRD": "iv1-policy-guidance", "PRD": "iv2-expand-cooperation", "BTH": "iv3-open-innovation", "MYR": "iv4-world-class-core", "CC": "iv5-reshape-chains"} {
		if rec, _ := find(bc[code], id); len(rec.MeasuresZH) < 3 {
			t.Errorf("%s %s: %d measures", code, id, len(rec.MeasuresZH))
		}
	}
	// The paper's missing measures: new-economy empowerment of traditional
	// industries (IV.1) and platforms for talent and finance (IV.2).
	if _, ok := find(bc["MYR"], "new-economy-empowerment"); !ok {
		t.Error("MYR (weak enterprise innovation) lacks the new-economy measure")
	}
	if _, ok := find(bc["CC"], "talent-finance-platform"); !ok {
		t.Error("CC (siphon) lacks the talent and finance platform")
	}
}

// TestFigure5Branches covers every branch of Figure 5 (paper IV,
// introduction): early stage → core-led; middle and late → multi-point;
// domestic stable + international turbulent → internal creation;
// resources limited + international stable → external cooperation; other
// scenarios → domestic circulation first (project reading). The Figure 5
// rule fires for every agglomeration; where an agglomeration's own
// evidence pushes the other way, it is the alternative with a conflict
// entry.
func TestFigure5Branches(t *testing.T) {
	cases := []struct{ scenario, spatialRule, opennessRule string }{
		{"stage=embryonic", "fig5-early-core-led", "fig5-internal-creation"},
		{"stage=雏形发育期", "fig5-early-core-led", "fig5-internal-creation"},
		{"stage=rapid", "fig5-early-core-led", "fig5-internal-creation"},
		{"stage=maturing", "fig5-late-multi-point", "fig5-internal-creation"},
		{"stage=mature", "fig5-late-multi-point", "fig5-internal-creation"},
		{"international=stable,resources=limited,stage=embryonic", "fig5-early-core-led", "fig5-external-cooperation"},
		{"domestic=unstable,international=stable,resources=limited,stage=embryonic", "fig5-early-core-led", "fig5-external-cooperation"},
		{"domestic=unstable,international=turbulent,stage=embryonic", "fig5-early-core-led", "fig5-dual-circulation-domestic"},
		{"international=stable,resources=abundant,stage=mature", "fig5-late-multi-point", "fig5-dual-circulation-domestic"},
	}
	for _, c := range cases {
		r := recommend(t, c.scenario)
		for _, a := range r.Agglomerations {
			if a.StageSource != "scenario" {
				t.Errorf("%s %s: stage source %s", c.scenario, a.Code, a.StageSource)
			}
			for _, id := range []string{c.spatialRule, c.opennessRule} {
				if _, ok := find(a, id); ok {
					continue
				}
				if !slices.ContainsFunc(a.Conflicts, func(x Conflict) bool { return x.Alternative == id }) {
					t.Errorf("%s %s: %s neither recommended nor set aside with a reason", c.scenario, a.Code, id)
				}
			}
		}
	}
	// MYR has no evidence against either Figure 5 rule.
	myr := byCode(recommend(t, "stage=embryonic"))["MYR"]
	if myr.RecommendedSpatialMode != diagnose.CoreLed || myr.RecommendedOpennessMode != diagnose.InternalCreation {
		t.Errorf("MYR embryonic: %s/%s", myr.RecommendedSpatialMode, myr.RecommendedOpennessMode)
	}
	// CC's siphon (IV.5) outranks the early-stage concentration.
	cc := byCode(recommend(t, "stage=embryonic"))["CC"]
	if cc.RecommendedSpatialMode != diagnose.MultiPoint || len(cc.Conflicts) == 0 || cc.Conflicts[0].Reason.ZH == "" {
		t.Errorf("CC embryonic: %s, conflicts %+v", cc.RecommendedSpatialMode, cc.Conflicts)
	}
}

// TestNoSilentContradiction: for every agglomeration and every scenario,
// on the paper's data and on the census and province data, no two
// recommendations push one axis in opposite directions, and every rule
// set aside has a conflict entry explaining the choice.
func TestNoSilentContradiction(t *testing.T) {
	full := withData(t)
	diags := []*diagnose.Result{diagnosis(t), diagnoseDataset(t, full), diagnoseDataset(t, full, full.Registry.AllAgglomerationCodes()...)}
	n := 0
	for _, d := range diags {
		for _, dom := range []string{Stable, Unstable} {
			for _, intl := range []string{Stable, Turbulent} {
				for _, res := range []string{Abundant, Limited} {
					for _, st := range append([]string{StageAuto}, diagnose.Stages()...) {
						for _, view := range []string{ViewComputed, ViewPaper} {
							sc := fmt.Sprintf("domestic=%s,international=%s,resources=%s,stage=%s,view=%s", dom, intl, res, st, view)
							for _, a := range recommendOn(t, d, sc).Agglomerations {
								n++
								for i, x := range a.Recommendations {
									for _, y := range a.Recommendations[i+1:] {
										for _, p := range x.Pushes {
											for _, q := range y.Pushes {
												if opposite(p, q) {
													t.Errorf("%s %s: %s and %s push %s opposite ways", sc, a.Code, x.ID, y.ID, p.Axis)
												}
											}
										}
									}
								}
								for _, alt := range a.Alternatives {
									if !slices.ContainsFunc(a.Conflicts, func(c Conflict) bool { return c.Alternative == alt.ID && c.Reason.ZH != "" && c.Reason.EN != "" }) {
										t.Errorf("%s %s: %s set aside without a conflict entry", sc, a.Code, alt.ID)
									}
								}
							}
						}
					}
				}
			}
		}
	}
	if n != 160*5+80*19 {
		t.Errorf("%d agglomeration-scenario pairs checked", n)
	}
}

// TestOpennessByProfile: the same scenario gives different openness
// recommendations to different profiles, and one profile changes with the
// scenario.
func TestOpennessByProfile(t *testing.T) {
	modes := map[string]bool{}
	for _, a := range recommend(t, "").Agglomerations {
		modes[a.RecommendedOpennessMode] = true
	}
	if len(modes) < 3 {
		t.Errorf("baseline openness modes %v: the same advice for every profile", modes)
	}
	yrd := byCode(recommend(t, "international=stable,resources=limited"))["YRD"]
	if yrd.RecommendedOpennessMode != diagnose.ExternalCooperation {
		t.Errorf("YRD with a stable world and limited resources: %s", yrd.RecommendedOpennessMode)
	}
}

// TestViews: computed evidence first by default; the paper's view puts the
// paper's labels first. With census and province data PRD's openness is
// computed (not internal creation), so IV.3 does not fire; in the paper's
// view it does (paper III.4).
func TestViews(t *testing.T) {
	d := diagnoseDataset(t, withData(t))
	prd := byCode(recommendOn(t, d, ""))["PRD"]
	if _, ok := find(prd, "iv3-open-innovation"); ok {
		t.Errorf("PRD computed view: IV.3 fired on %+v", prd.Facts)
	}
	for _, f := range prd.Facts {
		if f.Fact == "openness_mode" && f.Source != SourceComputed {
			t.Errorf("PRD openness from %s", f.Source)
		}
	}
	prd = byCode(recommendOn(t, d, "view=论文"))["PRD"]
	if _, ok := find(prd, "iv3-open-innovation"); !ok {
		t.Error("PRD paper view: IV.3 did not fire")
	}
	// CC's spatial mode is computed from its cities: core-led, with the
	// siphon from the census, so IV.5 fires on computed evidence.
	cc := byCode(recommendOn(t, d, ""))["CC"]
	rec, ok := find(cc, "iv5-reshape-chains")
	if !ok {
		t.Fatal("CC: no IV.5")
	}
	for _, e := range rec.Evidence {
		if (e.Fact == "spatial_mode" || e.Fact == "problems.siphon") && e.Source != SourceComputed {
			t.Errorf("CC %s from %s", e.Fact, e.Source)
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
		{"weather=sunny", "domestic, international, resources, stage, view"},
		{"domestic=calm", "stable, unstable"},
		{"international=unstable", "stable, turbulent"},
		{"resources=many", "abundant, limited"},
		{"stage=old", "auto, embryonic, rapid, maturing, mature"},
		{"view=mine", "computed, paper"},
		{"domestic", "key=value"},
	} {
		_, err := ParseScenario(c.in)
		if err == nil || !strings.Contains(err.Error(), c.mention) {
			t.Errorf("%q: %v (want mention of %q)", c.in, err, c.mention)
		}
	}
	sc, err := ParseScenario(" Domestic=unstable , stage=趋于成熟期, view=论文")
	if err != nil || sc.Domestic != Unstable || sc.Stage != diagnose.StageMaturing || sc.International != Turbulent || sc.View != ViewPaper {
		t.Errorf("%+v %v", sc, err)
	}
	if sc.String() != "domestic=unstable,international=turbulent,resources=abundant,stage=maturing,view=paper" {
		t.Errorf("String %s", sc.String())
	}
}

const goodRule = `name: test
rules:
  - id: ok
    when: spatial_mode == "core-led"
    priority: 1
    title: {zh: 标题, en: title}
    measures:
      - {zh: 措施, en: measure, monitor: [{indicator: core_share, direction: down}]}
    rationale: {zh: 理由, en: reason}
    source: test
`

const pushRules = `name: push
rules:
  - id: a
    when: spatial_mode == "core-led"
    pushes: [{axis: spatial, toward: core}]
    priority: 1
    title: {zh: 集中, en: concentrate}
    measures: [{zh: 措施, en: measure, monitor: [{indicator: gdp, direction: up}]}]
    rationale: {zh: 理由, en: reason}
    source: test
  - id: b
    when: problems.siphon
    pushes: [{axis: spatial, toward: periphery}]
    priority: 2
    title: {zh: 扩散, en: spread}
    measures: [{zh: 措施, en: measure, monitor: [{indicator: gdp, direction: up}]}]
    rationale: {zh: 理由, en: reason}
    source: test
`

func TestRulebookCheck(t *testing.T) {
	if issues, rb := CheckRulebook([]byte(goodRule), "good.yaml"); len(issues) != 0 || len(rb.Rules) != 1 || len(rb.Notes) != 0 {
		t.Fatalf("good rulebook: %v %v", issues, rb.Notes)
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
		{"duplicate", goodRule + goodRule[strings.Index(goodRule, "  - id"):], "duplicate", 11},
		{"priority", strings.Replace(goodRule, "priority: 1", "priority: 0", 1), "priority", 3},
		{"bad yaml", "rules: [\n  - id: x\n", "YAML", 1},
		{"bad monitor", strings.Replace(goodRule, "core_share", "happiness", 1), "happiness", 3},
		{"bad direction", strings.Replace(goodRule, "direction: down", "direction: sideways", 1), "sideways", 3},
		{"bad push", strings.Replace(goodRule, "    priority: 1", "    pushes: [{axis: spatial, toward: up}]\n    priority: 1", 1), "invalid push", 3},
		{"measure condition", strings.Replace(goodRule, "{zh: 措施, en: measure,", "{zh: 措施, en: measure, when: 'problems.nope',", 1), "condition error", 3},
		{"same priority", strings.Replace(pushRules, "priority: 2", "priority: 1", 1), "same priority", 11},
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
	// Different priorities: a contradiction the priorities resolve, with an
	// example of facts under which both rules fire.
	issues, rb := CheckRulebook([]byte(pushRules), "p.yaml")
	if len(issues) != 0 || len(rb.Contradictions) != 1 {
		t.Fatalf("push rules: %v %+v", issues, rb)
	}
	c := rb.Contradictions[0]
	if c.Winner != "a" || !c.Proven || len(c.Example) != 2 || !strings.Contains(c.Text.ZH, "按优先级") || len(rb.Notes) != 1 || rb.Notes[0].Line != 11 {
		t.Errorf("contradiction %+v notes %+v", c, rb.Notes)
	}
	// Notes that do not stop a rulebook: a measure for a code that is not
	// built in, a measure without an indicator to monitor.
	_, rb = CheckRulebook([]byte(strings.Replace(goodRule, "monitor: [{indicator: core_share, direction: down}]", "only: [NJ]", 1)), "n.yaml")
	if rb == nil || len(rb.Notes) != 2 {
		t.Errorf("notes %+v", rb)
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
	for _, n := range rb.Notes {
		if !strings.Contains(n.Message.EN, "by priority") {
			t.Errorf("note other than a resolved contradiction: %s", n.Message.EN)
		}
	}
	if len(rb.Contradictions) == 0 {
		t.Error("the Figure 5 rules and the section IV rules can contradict: expected resolved contradictions")
	}
	for _, c := range rb.Contradictions {
		if c.Winner == "" || i18n.HasLatinWord(c.Text.ZH, "GDP", "R&D", "5G") {
			t.Errorf("contradiction %+v", c)
		}
	}
}

// TestStrategyChineseText: titles, measures, rationales, reasons and facts
// in Chinese have no English words or key=value (GDP, R&D and 5G, as the
// paper writes them, excepted).
func TestStrategyChineseText(t *testing.T) {
	d := diagnoseDataset(t, withData(t))
	for _, sc := range []string{"", "stage=embryonic", "international=stable,resources=limited,view=paper"} {
		r := recommendOn(t, d, sc)
		check := func(s string) {
			if i18n.HasLatinWord(s, "GDP", "R&D", "5G") || strings.Contains(s, "=") {
				t.Errorf("%q: Chinese text with English: %s", sc, s)
			}
		}
		check(r.ScenarioText.ZH)
		check(r.Priority.ZH)
		for _, a := range r.Agglomerations {
			for _, rec := range append(append([]Recommendation{}, a.Recommendations...), a.Alternatives...) {
				check(rec.TitleZH)
				check(rec.RationaleZH)
				check(rec.Because.ZH)
				for _, m := range rec.Measures {
					check(m.Text.ZH)
					for _, mo := range m.Monitor {
						check(mo.Name.ZH)
					}
				}
			}
			for _, c := range a.Conflicts {
				check(c.Reason.ZH)
			}
			for _, f := range a.Facts {
				check(f.Text.ZH)
			}
		}
	}
}

func FuzzParseRulebook(f *testing.F) {
	f.Add(DefaultRulebookYAML())
	f.Add([]byte(goodRule))
	f.Add([]byte(pushRules))
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

// A monitored indicator reads with the direction it should move.
func TestMonitorText(t *testing.T) {
	for _, c := range []struct {
		m      Monitor
		zh, en string
	}{
		{Monitor{Indicator: "foreign_rd_share", Direction: Up, Name: i18n.T("国外资金占R&D经费比重", "Foreign share of R&D expenditure")}, "国外资金占R&D经费比重（应上升）", "Foreign share of R&D expenditure (should go up)"},
		{Monitor{Indicator: "cv", Direction: Down, Name: i18n.T("变异系数", "coefficient of variation")}, "变异系数（应下降）", "coefficient of variation (should go down)"},
		{Monitor{Indicator: "trade", Direction: StableTrend, Name: i18n.T("外贸依存度", "trade dependence")}, "外贸依存度（应保持稳定）", "trade dependence (should hold steady)"},
	} {
		if got := c.m.Text(); got.ZH != c.zh || got.EN != c.en {
			t.Errorf("%+v: %+v", c.m, got)
		}
	}
}
