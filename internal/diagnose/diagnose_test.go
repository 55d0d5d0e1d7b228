package diagnose

import (
	"encoding/json"
	"math"
	"os"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"agglo/internal/dataset"
	"agglo/internal/i18n"
)

func near(t *testing.T, name string, got, want, tol float64) {
	t.Helper()
	if math.Abs(got-want) > tol || math.IsNaN(got) {
		t.Errorf("%s = %.10g, want %.10g ± %g", name, got, want, tol)
	}
}

func share(fl *Flow, code string) (ShareChange, bool) {
	for _, list := range [][]ShareChange{fl.Cores, fl.Gained, fl.Lost} {
		for _, s := range list {
			if s.Code == code {
				return s, true
			}
		}
	}
	return ShareChange{}, false
}

// TestCensusAcceptance checks the diagnosis on the built-in data with the
// 2010/2020 census of every city (testdata/china2019, leiii/census). The
// expected shares are computed by hand from the census rows of each
// agglomeration's members (testdata/agglomerations/agglomerations_19.csv),
// Chongqing counted whole as the CC plan's partial member:
//
//	CC 2010 total = 28846170 + 15118840 + 2678899 + 4218427 + 3615759 + 4613871 + 3252551 + 3702847
//	              + 3235759 + 6278622 + 2950548 + 4472001 + 3205476 + 5468097 + 1507258 + 2593843 = 95758968
//	CC 2020 total = 32054159 + 20937757 + 2489256 + 4254149 + 3456161 + 4868243 + 2814196 + 3140678
//	              + 3160168 + 5607565 + 2955219 + 4588804 + 3254883 + 5385422 + 1434603 + 2308631 = 102709894
//	Chengdu: 15118840/95758968 = 0.157884 → 20937757/102709894 = 0.203853 (15.8% → 20.4%)
//	cores (Chongqing + Chengdu): 43965010/95758968 = 0.459122 → 52991916/102709894 = 0.515938
//	MYR totals 124649121 (2010) and 126523204 (2020), the sums of its 31 members' rows;
//	Wuhan: 9785388/124649121 = 0.078503 → 12326518/126523204 = 0.097425 (7.9% → 9.7%)
//	YRD totals 147367415 and 165085566 (26 members); Shanghai: 23019196/147367415 = 0.156203
//	→ 24870895/165085566 = 0.150655 (loses share)
func TestCensusAcceptance(t *testing.T) {
	ds := withCensus(t)
	res := runOn(t, ds)
	cc := get(t, res, "CC")
	if cc.SpatialMode != CoreLed || strings.Join(cc.Cores, ",") != "500000,510100" || !cc.CoresDesignated {
		t.Errorf("CC: %s with cores %v, want core-led with Chongqing and Chengdu", cc.SpatialMode, cc.Cores)
	}
	if cc.SizeIndicator != "population" || cc.SizeYear != 2020 || len(cc.Members) != 16 || len(cc.MissingMembers) != 0 {
		t.Errorf("CC size %s %d, %d members, missing %v", cc.SizeIndicator, cc.SizeYear, len(cc.Members), cc.MissingMembers)
	}
	if cc.Flow == nil || cc.Flow.Label != Siphon || cc.Flow.FromYear != 2010 || cc.Flow.ToYear != 2020 {
		t.Fatalf("CC flow %+v", cc.Flow)
	}
	near(t, "CC cores' share 2010", cc.Flow.CoreShareFrom, 43965010.0/95758968, 1e-9)
	near(t, "CC cores' share 2020", cc.Flow.CoreShareTo, 52991916.0/102709894, 1e-9)
	cd, ok := share(cc.Flow, "510100")
	if !ok {
		t.Fatal("no Chengdu in CC's flow")
	}
	near(t, "Chengdu 2010", cd.From, 15118840.0/95758968, 1e-9)
	near(t, "Chengdu 2020", cd.To, 20937757.0/102709894, 1e-9)
	if cq, _ := share(cc.Flow, "500000"); !cq.Partial {
		t.Error("Chongqing must be flagged as a partial member counted whole")
	}
	if !cc.HasProblem(ProblemSiphon) {
		t.Error("CC: the cores' share rises: siphon")
	}

	myr := get(t, res, "MYR")
	wh, ok := share(myr.Flow, "420100")
	if !ok || len(myr.MissingMembers) != 0 || len(myr.Flow.Missing) != 0 {
		t.Fatalf("MYR flow %+v, missing %v", myr.Flow, myr.MissingMembers)
	}
	near(t, "Wuhan 2010", wh.From, 9785388.0/124649121, 1e-9)
	near(t, "Wuhan 2020", wh.To, 12326518.0/126523204, 1e-9)
	if len(myr.Flow.Partial) != 2 {
		t.Errorf("MYR partial members %v, want 抚州 and 吉安", myr.Flow.Partial)
	}

	yrd := get(t, res, "YRD")
	sh, _ := share(yrd.Flow, "310000")
	near(t, "Shanghai 2010", sh.From, 23019196.0/147367415, 1e-9)
	near(t, "Shanghai 2020", sh.To, 24870895.0/165085566, 1e-9)
	if !(sh.Delta < 0) || yrd.Flow.Label == Siphon || yrd.HasProblem(ProblemSiphon) {
		t.Errorf("YRD: Shanghai %+v, flow %s: Shanghai loses share and no siphon may fire", sh, yrd.Flow.Label)
	}

	// PRD: the Dongguan-Foshan corridor is a full second tier. By hand:
	// (10466625 + 9498863) / (17560061 × (2/3 + 2/4)) = 19965488/20486738.2
	// = 0.974557, far above 0.5.
	prd := get(t, res, "PRD")
	if prd.HasProblem(ProblemCentralCollapse) {
		t.Error("PRD shows a central collapse")
	}
	e, ok := evidence(prd.checks[ProblemCentralCollapse], "second_tier_ratio")
	if !ok {
		t.Fatal("PRD: central collapse not checked")
	}
	near(t, "PRD second tier", e.Value, 19965488.0/(17560061*(2.0/3+0.5)), 1e-9)
	// CC 2020 by hand: (5607565 + 5385422) / (20937757 × 7/6) = 0.450027.
	e, _ = evidence(cc.checks[ProblemCentralCollapse], "second_tier_ratio")
	near(t, "CC second tier", e.Value, 10992987.0/(20937757*7.0/6), 1e-9)
	// CC core primacy 20937757/5607565 (Chengdu over Nanchong) and the Zipf
	// share of the top 2 of 16: 1.5/H_16 = 1.5·720720/2436559.
	e, _ = evidence(cc.SpatialEvidence, "core_primacy")
	near(t, "CC core primacy", e.Value, 20937757.0/5607565, 1e-9)
	e, _ = evidence(cc.SpatialEvidence, "core_share")
	near(t, "CC Zipf share", e.Threshold, 1.5*720720/2436559, 1e-12)

	// Every label carries its confidence (or why it is not assessable).
	for _, a := range res.Agglomerations {
		if len(a.Findings) == 0 {
			t.Errorf("%s: no findings", a.Code)
		}
		for _, f := range a.Findings {
			switch f.Status {
			case StatusAssessed, StatusUncertain:
				if f.Variants == 0 || f.Confidence <= 0 || f.Confidence > 1 || f.Text.ZH == "" || f.Text.EN == "" {
					t.Errorf("%s %s: %+v", a.Code, f.Axis, f)
				}
				if f.Status == StatusUncertain && f.Confidence >= res.UncertainBelow && f.Reason.ZH == "" {
					t.Errorf("%s %s uncertain without a reason", a.Code, f.Axis)
				}
			case StatusNotAssessable:
				if f.Reason.ZH == "" || f.Reason.EN == "" {
					t.Errorf("%s %s not assessable without a reason", a.Code, f.Axis)
				}
			default:
				t.Errorf("%s %s: status %q", a.Code, f.Axis, f.Status)
			}
		}
	}
	if _, err := json.Marshal(res); err != nil {
		t.Fatal(err)
	}
}

// TestAllNineteen: on the census every one of the 19 agglomerations has a
// spatial mode and a siphon-or-spread reading.
func TestAllNineteen(t *testing.T) {
	ds := withCensus(t)
	res := runOn(t, ds, ds.Registry.AllAgglomerationCodes()...)
	if len(res.Agglomerations) != 19 {
		t.Fatalf("%d agglomerations", len(res.Agglomerations))
	}
	for _, a := range res.Agglomerations {
		f, _ := a.Finding(AxisFlow)
		s, _ := a.Finding(AxisSpatial)
		if f.Status == StatusNotAssessable || s.Status == StatusNotAssessable || a.Flow == nil {
			t.Errorf("%s: flow %s, spatial %s", a.Code, f.Text.EN, s.Text.EN)
		}
	}
	// Hohhot-Baotou-Ordos-Yulin names no core: the largest member stands in,
	// and the diagnosis says so.
	h := get(t, res, "HBEY")
	if h.CoresDesignated || len(h.Cores) != 1 || !strings.Contains(joinNotes(h.Notes).ZH, "没有指明核心城市") {
		t.Errorf("HBEY cores %v designated %v", h.Cores, h.CoresDesignated)
	}
}

// TestProvinceOnly: with the paper's data alone (Table 3 provinces) the
// spatial structure is not assessable at this spatial unit, the siphon
// needs two years, and the openness from knowledge acquisition and
// creation alone is uncertain.
func TestProvinceOnly(t *testing.T) {
	res := runOn(t, embedded(t))
	for _, a := range res.Agglomerations {
		s, _ := a.Finding(AxisSpatial)
		if s.Status != StatusNotAssessable || !strings.Contains(s.Reason.ZH, "空间单元") || a.SpatialMode != Undetermined {
			t.Errorf("%s spatial: %+v", a.Code, s)
		}
		if f, _ := a.Finding(AxisFlow); f.Status != StatusNotAssessable {
			t.Errorf("%s flow %+v", a.Code, f)
		}
		o, _ := a.Finding(AxisOpenness)
		if o.Status != StatusUncertain || !strings.Contains(o.Reason.EN, "low confidence") {
			t.Errorf("%s openness from CRIC alone: %+v", a.Code, o)
		}
		if l, _ := a.Finding(AxisLevel); l.Status == StatusAssessed {
			t.Errorf("%s level judged against 13 provinces without saying so: %+v", a.Code, l)
		}
		if a.Agreement.SpatialMode.Status == Disagree {
			t.Errorf("%s: a province-level run must not contradict the paper's spatial mode", a.Code)
		}
	}
	// CC's weak core was read from Chongqing as a province: no longer.
	if cc := get(t, res, "CC"); cc.HasProblem(ProblemWeakCore) {
		t.Error("CC: weak core from province data")
	}
}

// TestLevelNational: the level compares the members with every province
// (R&D intensity of the 31 provinces in testdata/china2019, techme). By
// hand: BTH mean (6.31 + 3.28 + 1.61)/3 = 3.733333; national mean 56.33/31
// = 1.817097; ratio 2.054559: high.
func TestLevelNational(t *testing.T) {
	ds := withCensus(t, "../../testdata/china2019/province_2019_long.csv")
	res := runOn(t, ds)
	bth := get(t, res, "BTH")
	e, ok := evidence(bth.LevelEvidence, "level_ratio")
	if !ok || bth.Capacity != "rd_intensity" || bth.DataResolution != ResolutionProvince {
		t.Fatalf("BTH level from %s at %s: %+v", bth.Capacity, bth.DataResolution, bth.LevelEvidence)
	}
	near(t, "BTH level ratio", e.Value, (6.31+3.28+1.61)/3/(56.33/31), 1e-9)
	if bth.Level != High {
		t.Errorf("BTH level %s", bth.Level)
	}
}

// TestOpennessEvidence: openness from openness data. The foreign share of
// R&D funds rolls up from the member provinces (BTH 0.2375%, PRD 0.0141%;
// dataset.TestRollUp), so its z-score is above the national mean for BTH
// and below it for PRD.
func TestOpennessEvidence(t *testing.T) {
	ds := withCensus(t, "../../testdata/china2019/province_2019_long.csv")
	res := runOn(t, ds)
	z := func(code, metric string) float64 {
		e, ok := evidence(get(t, res, code).OpennessEvidence, metric)
		if !ok {
			t.Fatalf("%s: no %s", code, metric)
		}
		return e.Value
	}
	if !(z("BTH", "foreign_rd_share_z") > 0) || !(z("PRD", "foreign_rd_share_z") < 0) {
		t.Errorf("foreign share z: BTH %v PRD %v", z("BTH", "foreign_rd_share_z"), z("PRD", "foreign_rd_share_z"))
	}
	// Beijing sells far more technology than it buys: BTH's bought/sold
	// ratio 42688807/69857296 = 0.611 is below most provinces.
	if !(z("BTH", "tech_market_balance_z") < 0) {
		t.Errorf("BTH technology balance z %v", z("BTH", "tech_market_balance_z"))
	}
	for _, a := range res.Agglomerations {
		o, _ := a.Finding(AxisOpenness)
		if !strings.Contains(strings.Join(o.Varied, ","), VaryEvidence) {
			t.Errorf("%s: openness variants do not leave evidence out: %v", a.Code, o.Varied)
		}
	}
}

// TestSensitivity: each threshold moved alone by ±20%. CC's second tier
// 0.450 is below 0.5 (collapse) and 0.6 but not 0.4.
func TestSensitivity(t *testing.T) {
	res := runOn(t, withCensus(t))
	found := false
	seen := map[string]bool{}
	for _, r := range res.Sensitivity {
		seen[r.Threshold] = true
		if r.Agglomeration == "CC" && r.Threshold == thSecondTier {
			found = true
			if r.Nominal != Present || r.Low != Absent || r.High != Present || !r.Changes {
				t.Errorf("CC second tier row %+v", r)
			}
			if !strings.Contains(r.Text.ZH, "第二梯队") || i18n.HasLatinWord(r.Text.ZH, "GDP", "R&D") {
				t.Errorf("row text %q", r.Text.ZH)
			}
		}
	}
	if !found {
		t.Error("no sensitivity row for CC's second tier")
	}
	for _, id := range []string{thCorePrimacy, thCoreShareZipf, thQ, thSecondTier, thSiphonDCS, thSiphonRG, thWeakCorePct, thLevel, thOpenness, thLowZ} {
		if !seen[id] {
			t.Errorf("no sensitivity row for %s", id)
		}
	}
}

func TestStageMemberships(t *testing.T) {
	// Hand: x = 30 between standards 20 and 40 of stages 2 and 3:
	// μ = (0, (40−30)/(40−20), 0.5, 0) = (0, 0.5, 0.5, 0); a second
	// criterion above its last standard: (0, 0, 0, 1); a third, decreasing
	// (hours: 4, 3, 2, 1), x = 3.5: μ = (0.5, 0.5, 0, 0). Weights 0.2, 0.3,
	// 0.5: B = (0.25, 0.35, 0.1, 0.3), stage 2 (rapid development).
	b := stageMemberships([]float64{0.2, 0.3, 0.5}, []float64{30, 9, 3.5}, [][]float64{{10, 20, 40, 60}, {1, 2, 3, 4}, {4, 3, 2, 1}})
	for j, want := range []float64{0.25, 0.35, 0.1, 0.3} {
		near(t, "B"+Stages()[j], b[j], want, 1e-12)
	}
	// With the classification's standards unknown, the stage is not
	// assessed and the reason names the coverage.
	res := runOn(t, withCensus(t))
	for _, a := range res.Agglomerations {
		if a.Stage != Undetermined || a.StageAssessment.Status != StatusNotAssessable || a.StageAssessment.Reason.ZH == "" {
			t.Errorf("%s stage %s %+v", a.Code, a.Stage, a.StageAssessment)
		}
	}
	// BTH covers urbanisation (0.0534, census), density (0.0755) and GDP
	// per capita (0.0912, Table 1) and its tertiary share (0.0524, II.2):
	// 0.2725 of the total weight 1.0.
	near(t, "BTH coverage", get(t, res, "BTH").StageAssessment.CoveredWeight, (0.0534+0.0755+0.0912+0.0524)/1.0, 1e-9)
	// A user who supplies standards and accepts the coverage gets a stage:
	// BTH density 525.6 (Table 1) against standards 100, 300, 500, 700 gives
	// μ = (0, 0, 0.872, 0.128); GDP per capita 7.49 against 2, 4, 6, 8 gives
	// (0, 0, 0.255, 0.745); urbanisation and tertiary share without
	// standards are left out … so both need standards here.
	cfg, err := DefaultConfig()
	if err != nil {
		t.Fatal(err)
	}
	cfg.Stage.MinWeightShare = 0.1
	for i, c := range cfg.Stage.Criteria {
		switch c.ID {
		case "population_density":
			cfg.Stage.Criteria[i].Standards = []float64{100, 300, 500, 700}
		case "gdp_per_capita":
			cfg.Stage.Criteria[i].Standards = []float64{2, 4, 6, 8}
		case "urbanization_rate", "tertiary_share":
			cfg.Stage.Criteria[i].Indicator = ""
		}
	}
	cfg.Agglomerations = []string{"BTH"}
	r2, err := Run(withCensus(t), cfg)
	if err != nil {
		t.Fatal(err)
	}
	// B = (0.0755·(0,0,0.872,0.128) + 0.0912·(0,0,0.255,0.745))/0.1667:
	// maturing 0.0755·0.872 + 0.0912·0.255 = 0.089092 → /0.1667 = 0.5344;
	// mature 0.0755·0.128 + 0.0912·0.745 = 0.077608 → 0.4656.
	a := get(t, r2, "BTH")
	if a.Stage != StageMaturing || a.StageSource != "computed" {
		t.Fatalf("BTH stage %s (%s) %+v", a.Stage, a.StageSource, a.StageAssessment)
	}
	near(t, "maturing", a.StageAssessment.Memberships[2], (0.0755*(700-525.6)/200+0.0912*(8-7.49)/2)/0.1667, 1e-9)
}

func TestThresholdsDocumented(t *testing.T) {
	cfg, err := DefaultConfig()
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range ThresholdIDs() {
		th := cfg.Thresholds[id]
		if th.Kind == KindProject && !strings.Contains(th.Source, "project's choice") {
			t.Errorf("%s: a project threshold must say so: %q", id, th.Source)
		}
		if th.Kind == KindLiterature && !strings.ContainsAny(th.Source, "0123456789") {
			t.Errorf("%s: a literature threshold needs a dated citation: %q", id, th.Source)
		}
		if len(thresholdAxes[id]) == 0 {
			t.Errorf("%s decides no label", id)
		}
	}
	// Every indicator the settings name is in the catalogue.
	cat, err := dataset.LoadCatalogue()
	if err != nil {
		t.Fatal(err)
	}
	names := append(append(append([]string{}, cfg.Size.Indicators...), cfg.Level.Indicators...), cfg.Openness.Indicators...)
	names = append(names, cfg.Openness.Creation, cfg.Openness.Acquisition, cfg.ProblemIndicators.Enterprise, cfg.ProblemIndicators.PatentsPerRD, cfg.ProblemIndicators.StaffPerProject)
	names = append(names, cfg.Industry.Indicators...)
	for _, c := range cfg.Stage.Criteria {
		if c.Indicator != "" {
			names = append(names, c.Indicator)
		}
	}
	for _, n := range names {
		if _, ok := cat.Lookup(n); !ok {
			t.Errorf("thresholds.yaml names %s, not in the catalogue", n)
		}
	}
	// The criteria weights are those printed in Zhang and Yang (2018),
	// Table 2: the 18 second-level weights sum to 1.0000; their group sums
	// (0.1934, 0.2825, 0.2544, 0.1471, 0.1226) differ from the printed
	// first-level weights 0.19, 0.28, 0.25, 0.15, 0.13 by at most 0.0074,
	// as printed.
	groups := map[string]float64{}
	var total float64
	for _, c := range cfg.Stage.Criteria {
		groups[c.Group] += c.Weight
		total += c.Weight
	}
	near(t, "total weight", total, 1, 1e-9)
	for g, w := range map[string]float64{"overall": 0.1934, "economy": 0.2825, "infrastructure": 0.2544, "internal_linkage": 0.1471, "external_linkage": 0.1226} {
		near(t, "weight of "+g, groups[g], w, 1e-9)
	}
}

func TestConfigErrors(t *testing.T) {
	base := string(DefaultThresholdsYAML())
	for _, c := range []struct{ name, from, to, want string }{
		{"cric size", "indicators: [patents, patent_grants,", "indicators: [cric_composite, patent_grants,", "bounded index score"},
		{"cric flow size", "flow_indicators: [patents,", "flow_indicators: [cric_composite,", "bounded index score"},
		{"no kind", "    kind: project\n    zh: 成员发展水平", "    kind: guess\n    zh: 成员发展水平", "kind must be"},
		{"unknown threshold", "thresholds:\n", "thresholds:\n  primacy_s2: {value: 2, kind: project, zh: a, en: b, source: c}\n", "unknown thresholds"},
		{"bad standards", "{id: urbanization_rate, group: overall, weight: 0.0534,", "{id: urbanization_rate, group: overall, weight: 0.0534, standards: [1, 2],", "four values"},
		{"not monotone", "{id: urbanization_rate, group: overall, weight: 0.0534,", "{id: urbanization_rate, group: overall, weight: 0.0534, standards: [1, 3, 2, 4],", "monotone"},
	} {
		y := strings.Replace(base, c.from, c.to, 1)
		if y == base {
			t.Fatalf("%s: replacement did not apply", c.name)
		}
		_, err := ParseConfig([]byte(y), "mine.yaml")
		if err == nil || !strings.Contains(i18n.Message(err, "en"), c.want) || !strings.Contains(i18n.Message(err, "en"), "mine.yaml") {
			t.Errorf("%s: %v", c.name, err)
		}
	}
	if _, err := Run(embedded(t), Config{}); err == nil {
		t.Error("empty config accepted")
	}
	cfg, _ := DefaultConfig()
	cfg.Agglomerations = []string{"NOPE"}
	if _, err := Run(embedded(t), cfg); err == nil || !strings.Contains(i18n.Message(err, "zh"), "NOPE") {
		t.Errorf("unknown agglomeration: %v", err)
	}
}

// TestChineseText: every label, evidence line, finding, note and narrative
// in Chinese is Chinese: no English words, identifiers or key=value (GDP
// and R&D, written so in the paper, excepted).
func TestChineseText(t *testing.T) {
	for _, ds := range []*dataset.Dataset{embedded(t), withCensus(t, "../../testdata/china2019/province_2019_long.csv")} {
		res := runOn(t, ds, ds.Registry.AllAgglomerationCodes()...)
		var texts []i18n.Text
		for _, a := range res.Agglomerations {
			texts = append(texts, a.Narrative...)
			texts = append(texts, a.Notes...)
			for _, f := range a.Findings {
				texts = append(texts, f.Text, f.Reason)
			}
			for _, e := range append(append(append([]Evidence{}, a.SpatialEvidence...), a.LevelEvidence...), a.OpennessEvidence...) {
				texts = append(texts, e.Text)
			}
			for _, u := range a.Unassessed {
				texts = append(texts, u.Reason, u.Needs)
			}
			for _, c := range []Comparison{a.Agreement.SpatialMode, a.Agreement.Level, a.Agreement.OpennessMode} {
				texts = append(texts, c.Reason)
			}
			for _, p := range a.Agreement.Problems {
				texts = append(texts, p.Reason)
			}
			texts = append(texts, a.StageAssessment.Reason)
		}
		for _, r := range res.Sensitivity {
			texts = append(texts, r.Text)
		}
		for _, x := range texts {
			if i18n.HasLatinWord(x.ZH, "GDP", "R&D") || strings.Contains(x.ZH, "=") {
				t.Errorf("Chinese text with English: %s", x.ZH)
			}
			if (x.ZH == "") != (x.EN == "") {
				t.Errorf("one language missing: %q / %q", x.ZH, x.EN)
			}
		}
	}
	for code, l := range Labels() {
		if i18n.HasLatinWord(l.ZH, "GDP", "R&D") {
			t.Errorf("label %s: %s", code, l.ZH)
		}
	}
}

// TestPublishedYAML checks the paper's assessment file: every problem id is
// known and every quote is in the paper's words (Chinese).
func TestPublishedYAML(t *testing.T) {
	b, err := os.ReadFile("published.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var list []published
	if err := yaml.Unmarshal(b, &list); err != nil {
		t.Fatal(err)
	}
	if len(list) != 5 {
		t.Fatalf("%d entries", len(list))
	}
	for _, p := range list {
		for _, x := range []string{p.SpatialBasis.ZH, p.OpennessBasis.ZH} {
			if i18n.HasLatinWord(x, "GDP", "R&D") {
				t.Errorf("%s: %s", p.Code, x)
			}
		}
	}
	if RefsZH([]string{"II.3", "IV", "Table 3"}) != "二.3、四、Table 3" {
		t.Errorf("RefsZH = %s", RefsZH([]string{"II.3", "IV", "Table 3"}))
	}
}

// TestLinkageDensity keeps the gravity-network check of low knowledge flow
// (synthetic cities in testdata/linkage_cities.csv: three PRD cities close
// together with large masses, three CC cities far apart with small masses;
// by hand every PRD link exceeds the pooled mean and no CC link does:
// densities 1 and 0).
func TestLinkageDensity(t *testing.T) {
	res := runOn(t, readData(t, "testdata/linkage_cities.csv"))
	density := func(code string) (float64, bool) {
		e, ok := evidence(get(t, res, code).checks[ProblemLowKnowledgeFlow], "linkage_network_density")
		return e.Value, ok
	}
	if d, ok := density("CC"); !ok || d != 0 || !get(t, res, "CC").HasProblem(ProblemLowKnowledgeFlow) {
		t.Errorf("CC density %v (%v), want 0 and low knowledge flow", d, ok)
	}
	if d, ok := density("PRD"); !ok || d != 1 || get(t, res, "PRD").HasProblem(ProblemLowKnowledgeFlow) {
		t.Errorf("PRD density %v (%v), want 1 and no problem", d, ok)
	}
	if _, ok := density("BTH"); ok {
		t.Error("BTH has no city data")
	}
}

func TestInputNotMutated(t *testing.T) {
	ds := withCensus(t)
	before := ds.Len()
	reg := ds.Registry
	cc, _ := reg.Agglomeration("CC")
	members := append([]dataset.Member(nil), cc.Members...)
	runOn(t, ds, "CC", "HBEY")
	if ds.Len() != before {
		t.Error("observations changed")
	}
	for i, m := range cc.Members {
		if m != members[i] {
			t.Errorf("member %d changed: %+v", i, m)
		}
	}
	if h, _ := reg.Agglomeration("HBEY"); len(h.Cores()) != 0 {
		t.Error("the stand-in core was written into the registry")
	}
}

// BenchmarkDiagnose19 diagnoses the 19 agglomerations on the embedded data
// with the census and the 2019 province file: every axis, its confidence
// variants and the sensitivity table.
func BenchmarkDiagnose19(b *testing.B) {
	ds := withCensus(b, "../../testdata/china2019/province_2019_long.csv")
	cfg, err := DefaultConfig()
	if err != nil {
		b.Fatal(err)
	}
	cfg.Agglomerations = ds.Registry.AllAgglomerationCodes()
	for b.Loop() {
		if _, err := Run(ds, cfg); err != nil {
			b.Fatal(err)
		}
	}
}
