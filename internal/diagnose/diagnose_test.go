package diagnose

import (
	"encoding/json"
	"math"
	"os"
	"strings"
	"testing"

	"agglo/internal/dataset"
)

func runDefault(t *testing.T) *Result {
	t.Helper()
	ds, err := dataset.Default()
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := DefaultConfig()
	if err != nil {
		t.Fatal(err)
	}
	res, err := Run(ds, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func get(t *testing.T, res *Result, code string) *Agglomeration {
	t.Helper()
	a, ok := res.Agglomeration(code)
	if !ok {
		t.Fatalf("no %s in result", code)
	}
	return a
}

func evidence(a []Evidence, metric string) (Evidence, bool) {
	for _, e := range a {
		if e.Metric == metric {
			return e, true
		}
	}
	return Evidence{}, false
}

// table3 is the paper's Table 3 (2019) in the order BTH (Beijing, Tianjin,
// Hebei), YRD (Shanghai, Jiangsu, Zhejiang, Anhui), PRD (Guangdong), MYR
// (Hubei, Hunan, Jiangxi), CC (Sichuan, Chongqing).
var table3Composite = []float64{53.22, 28.83, 21.86, 45.63, 49.58, 38.8, 28.7, 59.49, 29.21, 26.82, 23.31, 28.03, 30.87}

func popZ(xs []float64, i int) float64 {
	var m float64
	for _, x := range xs {
		m += x
	}
	m /= float64(len(xs))
	var ss float64
	for _, x := range xs {
		ss += (x - m) * (x - m)
	}
	return (xs[i] - m) / math.Sqrt(ss/float64(len(xs)))
}

// TestSpatialModeProvinceLevel checks the spatial labels against hand
// calculations from Table 3's composites (paper, 13 provinces).
func TestSpatialModeProvinceLevel(t *testing.T) {
	res := runDefault(t)
	cases := []struct {
		code, want, why string
	}{
		// Hand, Table 3 (Hubei 29.21, Hunan 26.82, Jiangxi 23.31): max share
		// 29.21/79.34 = 0.37, CV 0.09, primacy 1.09; q from
		// three nearly equal scores is far below 1 → 0 of 4 criteria
		// concentrated. Paper: low-level multi-point (III.2, IV.4).
		{"MYR", MultiPoint, "0/4 concentrated"},
		// Hand, Table 3 (Jiangsu 49.58, Shanghai 45.63, Zhejiang 38.8, Anhui
		// 28.7): max share 0.30, CV 0.19, primacy 1.09 → 0/4.
		// The paper gives no spatial label (II.3 "relatively even").
		{"YRD", MultiPoint, "0/4 concentrated"},
		// Hand, Table 3 (53.22, 28.83, 21.86): BTH primacy 1.85 < 2, max share
		// 0.51 ≥ 0.5, CV 0.39
		// ≥ 0.3; by hand, OLS of ln(53.22, 28.83, 21.86) on ln(1, 2, 3)
		// gives b = −0.818, q = 0.818 < 1 → 2 of 4: undetermined. The
		// paper says core-led (II.3, III.1, III.4).
		{"BTH", Undetermined, "2/4 concentrated"},
		// Table 3: PRD is one province, CC two; no within-agglomeration
		// structure at province level.
		{"PRD", Undetermined, "one province"},
		{"CC", Undetermined, "two provinces"},
	}
	for _, c := range cases {
		a := get(t, res, c.code)
		if a.DataResolution != ResolutionProvince {
			t.Errorf("%s: resolution %s, want province", c.code, a.DataResolution)
		}
		if a.SpatialMode != c.want {
			t.Errorf("%s: spatial mode %s, want %s (%s); evidence %v", c.code, a.SpatialMode, c.want, c.why, a.SpatialEvidence)
		}
	}
	bth := get(t, res, "BTH")
	for metric, want := range map[string]float64{"primacy_s2": 53.22 / 28.83, "core_share": 53.22 / (53.22 + 28.83 + 21.86), "cv": 0.388, "rank_size_q": 0.818} {
		e, ok := evidence(bth.SpatialEvidence, metric)
		if !ok || math.Abs(e.Value-want) > 0.005 {
			t.Errorf("BTH %s = %v, want %.4f", metric, e.Value, want)
		}
	}
	for _, code := range []string{"PRD", "CC"} {
		a := get(t, res, code)
		if a.Agreement.SpatialMode.Status != NotAssessable {
			t.Errorf("%s: spatial agreement %s, want not_assessable", code, a.Agreement.SpatialMode.Status)
		}
		r := a.Agreement.SpatialMode.Reason
		if !strings.Contains(r.EN, "city-level") || !strings.Contains(r.ZH, "城市级") {
			t.Errorf("%s: the reason must name the city-level data that would settle it: %+v", code, r)
		}
	}
	if get(t, res, "MYR").Agreement.SpatialMode.Status != Agree {
		t.Errorf("MYR spatial mode should agree with the paper (III.2, IV.4)")
	}
}

// TestLevel: members' mean composite against the 13-province mean
// (464.35/13 = 35.72, by hand from Table 3). PRD high (IV.2), MYR low
// (IV.4) as the paper says.
func TestLevel(t *testing.T) {
	res := runDefault(t)
	want := map[string]string{"BTH": Low, "YRD": High, "MYR": Low, "PRD": High, "CC": Low}
	ratio := map[string]float64{"BTH": (53.22 + 28.83 + 21.86) / 3 / 35.719, "MYR": (29.21 + 26.82 + 23.31) / 3 / 35.719, "PRD": 59.49 / 35.719}
	for code, w := range want {
		a := get(t, res, code)
		if a.Level != w {
			t.Errorf("%s level %s, want %s", code, a.Level, w)
		}
		if r, ok := ratio[code]; ok {
			e, _ := evidence(a.LevelEvidence, "mean_capacity_ratio")
			if math.Abs(e.Value-r) > 0.001 {
				t.Errorf("%s level ratio %v, want %v", code, e.Value, r)
			}
		}
	}
	for _, code := range []string{"PRD", "MYR"} {
		if s := get(t, res, code).Agreement.Level.Status; s != Agree {
			t.Errorf("%s level agreement %s, want agree", code, s)
		}
	}
}

// TestOpenness uses the members' mean z-score gaps (knowledge acquisition
// minus creation, population σ over the 13 provinces of Table 3, evaluated
// independently in Python): BTH −0.14, YRD 0.00, PRD +0.50, MYR +0.05,
// CC −0.12; with the ±0.25 threshold only PRD leaves "balanced". The paper
// says BTH and PRD internal creation (III.4), YRD and CC external
// cooperation (III.3): four disagreements, each explained.
func TestOpenness(t *testing.T) {
	res := runDefault(t)
	gaps := map[string]float64{"BTH": -0.14, "YRD": 0.00, "PRD": 0.50, "MYR": 0.05, "CC": -0.12}
	modes := map[string]string{"BTH": Balanced, "YRD": Balanced, "PRD": ExternalCooperation, "MYR": Balanced, "CC": Balanced}
	status := map[string]string{"BTH": Disagree, "YRD": Disagree, "PRD": Disagree, "MYR": NotStated, "CC": Disagree}
	for code, g := range gaps {
		a := get(t, res, code)
		e, ok := evidence(a.OpennessEvidence, "openness_score")
		if !ok || math.Abs(e.Value-g) > 0.005 {
			t.Errorf("%s openness score %v, want %v", code, e.Value, g)
		}
		if a.OpennessMode != modes[code] {
			t.Errorf("%s openness %s, want %s", code, a.OpennessMode, modes[code])
		}
		c := a.Agreement.OpennessMode
		if c.Status != status[code] {
			t.Errorf("%s openness agreement %s, want %s", code, c.Status, status[code])
		}
		if c.Status == Disagree && (!strings.Contains(c.Reason.EN, "openness_score") || !strings.Contains(c.Reason.EN, "III.")) {
			t.Errorf("%s: disagreement must give the evidence and the paper's basis: %s", code, c.Reason.EN)
		}
	}
}

// TestProblems checks the problems against hand calculations.
func TestProblems(t *testing.T) {
	res := runDefault(t)
	// MYR (paper III.2, IV.4: weak core). Hubei, the strongest member, has
	// z = (29.21 − 35.72)/σ₁₃ = −0.55 < 0.5.
	myr := get(t, res, "MYR")
	zHubei := popZ(table3Composite, 8)
	if math.Abs(zHubei-(-0.55)) > 0.005 {
		t.Fatalf("hand z of Hubei %v", zHubei)
	}
	if !myr.HasProblem(ProblemWeakCore) {
		t.Errorf("MYR should show a weak core (III.2, IV.4)")
	}
	// Table 2: MYR is last on both ratios (II.3): patents per R&D 0.10
	// (z = −0.86 over the five), staff per project 0.21 (z = −0.96).
	if !myr.HasProblem(ProblemRDConversionLow) {
		t.Errorf("MYR should show R&D conversion low (II.3, Table 2)")
	}
	// BTH: CV 0.39 ≥ 0.3 (hand, Table 3) → imbalance, as III.4 says.
	bth := get(t, res, "BTH")
	if !bth.HasProblem(ProblemImbalance) {
		t.Errorf("BTH should show imbalance (III.4)")
	}
	// A siphon needs two years (docs/methods.md#siphon): the embedded data
	// have one.
	for _, code := range []string{"BTH", "CC"} {
		var found bool
		for _, p := range get(t, res, code).Agreement.Problems {
			if p.ID == ProblemSiphon {
				found = true
				if p.Status != NotAssessable {
					t.Errorf("%s siphon: %s, want not_assessable", code, p.Status)
				}
			}
		}
		if !found {
			t.Errorf("%s: the paper's siphon (III.1/III.4) is missing from the comparison", code)
		}
	}
	// CC's central collapse (III.1, IV.5) needs city data.
	cc := get(t, res, "CC")
	var un bool
	for _, u := range cc.Unassessed {
		if u.ID == ProblemCentralCollapse {
			un = true
		}
	}
	if !un {
		t.Errorf("CC central collapse should be unassessed at province level")
	}
	// CC's knowledge acquisition and enterprise innovation (III.1): member
	// means of z are −0.52 and −0.63 (13-province z, population s.d.).
	for _, id := range []string{ProblemLowKnowledgeFlow, ProblemWeakEnterpriseInnovation} {
		if !cc.HasProblem(id) {
			t.Errorf("CC should show %s (III.1)", id)
		}
	}
	// BTH enterprise innovation: mean z = −0.47, just above −0.5: not
	// flagged, so it disagrees with III.4; the reason must say so.
	for _, p := range bth.Agreement.Problems {
		if p.ID == ProblemWeakEnterpriseInnovation && (p.Status != Disagree || !strings.Contains(p.Reason.EN, "enterprise_innovation_z")) {
			t.Errorf("BTH weak enterprise innovation: %+v", p)
		}
	}
}

func TestEvidenceAndConfidenceWellFormed(t *testing.T) {
	res := runDefault(t)
	b, err := json.Marshal(res)
	if err != nil {
		t.Fatalf("JSON: %v", err)
	}
	var generic struct {
		Agglomerations []map[string]any `json:"agglomerations"`
	}
	if err := json.Unmarshal(b, &generic); err != nil {
		t.Fatal(err)
	}
	for _, a := range generic.Agglomerations {
		for _, k := range []string{"code", "spatial_mode", "openness_mode", "level", "stage", "data_resolution", "problems", "confidence", "published", "agreement"} {
			if _, ok := a[k]; !ok {
				t.Errorf("%v: missing %s", a["code"], k)
			}
		}
	}
	for _, a := range res.Agglomerations {
		for _, v := range []float64{a.Confidence.SpatialMode, a.Confidence.Level, a.Confidence.OpennessMode, a.Confidence.Stage} {
			if v < 0 || v > 1 {
				t.Errorf("%s confidence %v", a.Code, v)
			}
		}
		if a.Confidence.Variants < 5 {
			t.Errorf("%s: %d variants", a.Code, a.Confidence.Variants)
		}
		for _, p := range a.Problems {
			if len(p.Evidence) == 0 {
				t.Errorf("%s %s without evidence", a.Code, p.ID)
			}
		}
		if a.StageSource != "computed" || !ValidStage(a.Stage) {
			t.Errorf("%s stage %s (%s)", a.Code, a.Stage, a.StageSource)
		}
	}
}

// TestStage: the development index with the default goalposts, by hand.
// MYR: GDP per capita 7.23 → (7.23−2)/18 = 0.2906; density 398.7 →
// 298.7/1400 = 0.2134; composite mean 26.447 → 11.447/50 = 0.2289; mean
// 0.2443 < 0.25 → embryonic. PRD: (11.58/18 + 1063.6/1400 + 44.49/50)/3 =
// (0.6433 + 0.7597 + 0.8898)/3 = 0.7643 ≥ 0.75 → mature. These are project
// defaults (docs/methods.md#stage: no published thresholds); the paper gives no
// stage for any agglomeration.
func TestStage(t *testing.T) {
	res := runDefault(t)
	for code, want := range map[string]struct {
		idx   float64
		stage string
	}{"MYR": {0.2443, StageEmbryonic}, "PRD": {0.7643, StageMature}} {
		a := get(t, res, code)
		if a.StageIndex == nil || math.Abs(*a.StageIndex-want.idx) > 0.0005 || a.Stage != want.stage {
			t.Errorf("%s stage %s index %v, want %s %v", code, a.Stage, a.StageIndex, want.stage, want.idx)
		}
	}
}

func TestThresholdsDocumented(t *testing.T) {
	cfg, err := DefaultConfig()
	if err != nil {
		t.Fatal(err)
	}
	for id, th := range cfg.Thresholds {
		if th.ZH == "" || th.EN == "" || th.Source == "" {
			t.Errorf("threshold %s lacks its description or source", id)
		}
	}
	if !strings.Contains(cfg.Thresholds[thPrimacy].Source, "Jefferson (1939)") || !strings.Contains(cfg.Stage.Source, "project default") {
		t.Errorf("sources: %q, %q", cfg.Thresholds[thPrimacy].Source, cfg.Stage.Source)
	}
}

func TestConfigOverrides(t *testing.T) {
	ds, err := dataset.Default()
	if err != nil {
		t.Fatal(err)
	}
	y := strings.Replace(string(DefaultThresholdsYAML()), "  cv:\n    value: 0.3", "  cv:\n    value: 0.5", 1)
	cfg, err := ParseConfig([]byte(y), "test.yaml")
	if err != nil {
		t.Fatal(err)
	}
	cfg.StageOverride = map[string]string{"BTH": StageMature}
	res, err := Run(ds, cfg)
	if err != nil {
		t.Fatal(err)
	}
	bth := get(t, res, "BTH")
	if bth.HasProblem(ProblemImbalance) {
		t.Errorf("CV 0.39 < 0.5 must not flag imbalance")
	}
	if bth.Stage != StageMature || bth.StageSource != "override" {
		t.Errorf("override: %s %s", bth.Stage, bth.StageSource)
	}
	for _, bad := range []string{
		strings.Replace(string(DefaultThresholdsYAML()), "  cv:\n", "  cvv:\n", 1),
		"capacity: [",
		"thresholds: {}",
		strings.Replace(string(DefaultThresholdsYAML()), "rapid: 0.25", "rapid: 0.6", 1),
	} {
		if _, err := ParseConfig([]byte(bad), "bad.yaml"); err == nil {
			t.Errorf("accepted a bad config: %.60q", bad)
		}
	}
}

func readData(t *testing.T, file string) *dataset.Dataset {
	t.Helper()
	reg, err := dataset.LoadRegistry()
	if err != nil {
		t.Fatal(err)
	}
	cat, err := dataset.LoadCatalogue()
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ds, err := dataset.Read(f, file, dataset.CSV, dataset.ReadOptions{Registry: reg, Catalogue: cat})
	if err != nil {
		t.Fatal(err)
	}
	return ds
}

// TestCityLevelDualCore: synthetic GDP of CC's 16 cities
// (testdata/cc_cities_gdp.csv). By hand: S2 = 23606/17013 = 1.39 < 2 but
// P2/P3 = 17013/2856 = 5.96 ≥ 2 (dual core); top-2 share = 40619/65088 =
// 0.624 ≥ 0.5; CV ≫ 0.3 → at least 3 of 4 criteria: core-led with the two
// cores Chongqing and Chengdu, as the paper says (III.1, IV.5). Every
// other city is below 2856, so the cities between the cores average at
// most 2856/20309.5 = 0.14 ≤ 0.25 of the cores: central collapse (III.1).
func TestCityLevelDualCore(t *testing.T) {
	ds := readData(t, "testdata/cc_cities_gdp.csv")
	cfg, _ := DefaultConfig()
	res, err := Run(ds, cfg)
	if err != nil {
		t.Fatal(err)
	}
	cc := get(t, res, "CC")
	if cc.DataResolution != ResolutionCity || cc.Capacity != "gdp" {
		t.Fatalf("resolution %s capacity %s", cc.DataResolution, cc.Capacity)
	}
	if cc.SpatialMode != CoreLed || len(cc.Cores) != 2 || cc.Cores[0] != "500000" || cc.Cores[1] != "510100" {
		t.Errorf("CC: %s cores %v; evidence %v", cc.SpatialMode, cc.Cores, cc.SpatialEvidence)
	}
	e, _ := evidence(cc.SpatialEvidence, "dual_core_share")
	if math.Abs(e.Value-40619.0/65088) > 1e-9 {
		t.Errorf("dual-core share %v", e.Value)
	}
	if !cc.HasProblem(ProblemCentralCollapse) {
		t.Errorf("central collapse not found: %+v", cc.Unassessed)
	}
	if cc.Agreement.SpatialMode.Status != Agree {
		t.Errorf("spatial agreement %+v", cc.Agreement.SpatialMode)
	}
}

// TestSiphonPanel: testdata/bth_gdp_panel.csv (synthetic). By hand:
// CS 2017 = 30000/77000 = 0.38961, CS 2019 = 36000/85000 = 0.42353, ΔCS =
// +0.03392 > 0; CAGR core = (36000/30000)^½ − 1 = 0.095445, periphery
// (47000 → 49000) = (49/47)^½ − 1 = 0.021049, RG = 4.534 > 1 → siphon
// (docs/methods.md#siphon).
func TestSiphonPanel(t *testing.T) {
	ds := readData(t, "testdata/bth_gdp_panel.csv")
	cfg, _ := DefaultConfig()
	res, err := Run(ds, cfg)
	if err != nil {
		t.Fatal(err)
	}
	bth := get(t, res, "BTH")
	if !bth.HasProblem(ProblemSiphon) {
		t.Fatalf("siphon not found")
	}
	for _, p := range bth.Problems {
		if p.ID != ProblemSiphon {
			continue
		}
		d, _ := evidence(p.Evidence, "core_share_change")
		g, _ := evidence(p.Evidence, "relative_growth_core_periphery")
		if math.Abs(d.Value-(36000.0/85000-30000.0/77000)) > 1e-9 || math.Abs(g.Value-4.534) > 0.001 {
			t.Errorf("siphon evidence %v %v", d, g)
		}
	}
}

// TestLinkageDensity: synthetic city data (testdata/linkage_cities.csv)
// with equal masses inside each agglomeration. PRD's three cities are
// 70-105 km apart with masses P·G 10⁶ times CC's, whose cities are
// 100-270 km apart. By hand (docs/methods.md#gravity, b = 2): every PRD link R_ij =
// 0.5·P·G/D² is at least 0.6 of the PRD mean, and the pooled threshold τ
// (the mean of all 12 directed links) is about half the PRD mean because
// CC's links are negligible; so all 6 PRD links exceed τ (density 1) and
// no CC link does (density 0 ≤ 0.2: low knowledge flow).
func TestLinkageDensity(t *testing.T) {
	ds := readData(t, "testdata/linkage_cities.csv")
	cfg, err := DefaultConfig()
	if err != nil {
		t.Fatal(err)
	}
	res, err := Run(ds, cfg)
	if err != nil {
		t.Fatal(err)
	}
	density := func(code string) (float64, bool, bool) {
		a, _ := res.Agglomeration(code)
		for _, p := range a.Problems {
			if p.ID == ProblemLowKnowledgeFlow {
				for _, e := range p.Evidence {
					if e.Metric == "linkage_network_density" {
						return e.Value, true, true
					}
				}
			}
		}
		for _, u := range a.Unassessed {
			if u.ID == ProblemLowKnowledgeFlow {
				return math.NaN(), false, false
			}
		}
		return math.NaN(), false, true
	}
	if d, fired, _ := density("CC"); !fired || d != 0 {
		t.Errorf("CC: density %v, fired %v; want 0 and low knowledge flow", d, fired)
	}
	if _, fired, assessed := density("PRD"); fired || !assessed {
		t.Errorf("PRD: fired %v, assessed %v; want assessed and not fired", fired, assessed)
	}
	if _, _, assessed := density("BTH"); assessed {
		t.Error("BTH has no city data: the problem should be unassessed")
	}
}
