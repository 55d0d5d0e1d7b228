package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestDiagnoseJSON(t *testing.T) {
	// The paper's data alone (the default adds the census).
	code, out, errs := run(t, "diagnose", "--dataset", "paper", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var res struct {
		Agglomerations []struct {
			Code           string `json:"code"`
			SpatialMode    string `json:"spatial_mode"`
			OpennessMode   string `json:"openness_mode"`
			Level          string `json:"level"`
			Stage          string `json:"stage"`
			DataResolution string `json:"data_resolution"`
			Problems       []struct {
				ID       string `json:"id"`
				Evidence []struct {
					Metric    string   `json:"metric"`
					Value     *float64 `json:"value"`
					Threshold *float64 `json:"threshold"`
				} `json:"evidence"`
			} `json:"problems"`
			Confidence map[string]any `json:"confidence"`
			Published  struct {
				SpatialMode string `json:"spatial_mode"`
			} `json:"published"`
			Agreement map[string]any `json:"agreement"`
		} `json:"agglomerations"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	if len(res.Agglomerations) != 5 {
		t.Fatalf("%d agglomerations", len(res.Agglomerations))
	}
	// Paper: MYR low-level multi-point (IV.4); the published label is
	// shown beside the computed one. The paper's data are province data:
	// the spatial mode is not assessable at that unit.
	for _, a := range res.Agglomerations {
		if a.DataResolution != "province" || a.Confidence == nil || a.Agreement == nil {
			t.Errorf("%s: %+v", a.Code, a)
		}
		for _, p := range a.Problems {
			if len(p.Evidence) == 0 || p.Evidence[0].Value == nil || p.Evidence[0].Threshold == nil {
				t.Errorf("%s %s: evidence %+v", a.Code, p.ID, p.Evidence)
			}
		}
		if a.Code == "MYR" && (a.SpatialMode != "undetermined" || a.Level != "low" || a.Published.SpatialMode != "multi-point") {
			t.Errorf("MYR: %+v", a)
		}
	}
}

func TestStrategyBaselineJSON(t *testing.T) {
	start := time.Now()
	code, out, errs := run(t, "strategy", "--format", "json")
	elapsed := time.Since(start)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var res struct {
		Scenario       map[string]string `json:"scenario"`
		Agglomerations []struct {
			Code                    string `json:"code"`
			RecommendedSpatialMode  string `json:"recommended_spatial_mode"`
			RecommendedOpennessMode string `json:"recommended_openness_mode"`
			Recommendations         []struct {
				ID         string   `json:"id"`
				TitleZH    string   `json:"title_zh"`
				TitleEN    string   `json:"title_en"`
				MeasuresZH []string `json:"measures_zh"`
				MeasuresEN []string `json:"measures_en"`
				Source     string   `json:"source"`
				Priority   int      `json:"priority"`
				Evidence   []any    `json:"evidence"`
			} `json:"recommendations"`
		} `json:"agglomerations"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	if res.Scenario["domestic"] != "stable" || res.Scenario["international"] != "turbulent" || res.Scenario["stage"] != "auto" {
		t.Errorf("scenario %v", res.Scenario)
	}
	// Paper section IV: YRD IV.1, PRD IV.2, BTH IV.3, MYR IV.4, CC IV.5.
	want := map[string]string{"YRD": "paper:IV.1", "PRD": "paper:IV.2", "BTH": "paper:IV.3", "MYR": "paper:IV.4", "CC": "paper:IV.5"}
	for _, a := range res.Agglomerations {
		var srcs []string
		for _, r := range a.Recommendations {
			srcs = append(srcs, r.Source)
		}
		if !slices.Contains(srcs, want[a.Code]) {
			t.Errorf("%s: %v", a.Code, srcs)
		}
	}
	t.Logf("agglo strategy in-process: %v", elapsed)
}

func TestStrategyScenarios(t *testing.T) {
	// Figure 5 by scenario, for agglomerations whose own evidence does not
	// push the other way (others get the Figure 5 rule as an alternative,
	// with a conflict entry).
	for _, c := range []struct{ scenario, code, field, want string }{
		{"stage=embryonic", "MYR", "recommended_spatial_mode", "core-led"}, // Figure 5: early stage
		{"stage=mature", "YRD", "recommended_spatial_mode", "multi-point"}, // Figure 5: middle and late stages
		{"domestic=stable,international=turbulent", "MYR", "recommended_openness_mode", "internal-creation"},
		{"international=stable,resources=limited", "YRD", "recommended_openness_mode", "external-cooperation"},
		{"stage=embryonic", "CC", "recommended_spatial_mode", "multi-point"}, // IV.5 (siphon) outranks the early stage
	} {
		code, out, errs := run(t, "strategy", "--format", "json", "--scenario", c.scenario)
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", c.scenario, code, errs)
		}
		var res struct {
			Agglomerations []map[string]any `json:"agglomerations"`
		}
		if err := json.Unmarshal([]byte(out), &res); err != nil {
			t.Fatal(err)
		}
		for _, a := range res.Agglomerations {
			if a["code"] == c.code && a[c.field] != c.want {
				t.Errorf("%s: %v %s = %v, want %s", c.scenario, a["code"], c.field, a[c.field], c.want)
			}
		}
	}
}

func TestStrategyErrors(t *testing.T) {
	code, _, errs := run(t, "strategy", "--scenario", "weather=sunny", "--lang", "en")
	if code != exitUsage || !strings.Contains(errs, "domestic, international, resources, stage") {
		t.Errorf("exit %d: %s", code, errs)
	}
	code, _, errs = run(t, "strategy", "--scenario", "international=calm", "--lang", "en")
	if code != exitUsage || !strings.Contains(errs, "stable, turbulent") {
		t.Errorf("exit %d: %s", code, errs)
	}
	bad := filepath.Join(t.TempDir(), "bad.yaml")
	os.WriteFile(bad, []byte("rules:\n  - id: x\n    when: problems.traffic\n    priority: 1\n    title: {zh: a, en: a}\n    rationale: {zh: a, en: a}\n    source: s\n    measures: [{zh: a, en: a}]\n"), 0o600)
	code, _, errs = run(t, "strategy", "--rules", bad, "--lang", "en")
	if code != exitUsage || !strings.Contains(errs, "bad.yaml:3") {
		t.Errorf("bad rules: exit %d: %s", code, errs)
	}
	code, out, _ := run(t, "rules", "check", bad, "--lang", "en")
	if code != exitInvalid || !strings.Contains(out, "bad.yaml:3") || !strings.Contains(out, "unknown fact") {
		t.Errorf("rules check: exit %d: %s", code, out)
	}
	code, _, errs = run(t, "diagnose", "--stage", "BTH=old")
	if code != exitUsage {
		t.Errorf("bad --stage: exit %d %s", code, errs)
	}
}

func TestRulesCheckDefault(t *testing.T) {
	f := filepath.Join(t.TempDir(), "rb.yaml")
	code, out, _ := run(t, "rules", "default")
	if code != 0 || !strings.Contains(out, "paper:IV.5") {
		t.Fatalf("rules default: %d", code)
	}
	os.WriteFile(f, []byte(out), 0o600)
	code, out, errs := run(t, "rules", "check", f, "--lang", "en")
	if code != 0 || !strings.Contains(out, "valid") {
		t.Errorf("exit %d: %s %s", code, out, errs)
	}
}

// TestFigure5ScenariosOnDefaultData: on the default data (the paper's with
// the census and the city data), for each of the five agglomerations,
// Figure 5's rule for the scenario fires: domestic stable and
// international turbulent → internal creation; domestic resources limited
// and international stable → external cooperation; early stage →
// core-led; middle and late stages → multi-point. It is either recommended
// (and then, when no recommendation of higher priority pushes that axis,
// it sets the recommended mode) or set aside with a conflict naming the
// agglomeration's own strategy (section IV, a smaller priority number)
// that outranks it. And every agglomeration's recommendations change
// between the paper's scenario and a stable world with limited resources.
func TestFigure5ScenariosOnDefaultData(t *testing.T) {
	type push struct {
		Axis   string `json:"axis"`
		Toward string `json:"toward"`
	}
	type rec struct {
		ID       string `json:"id"`
		Priority int    `json:"priority"`
		Pushes   []push `json:"pushes"`
	}
	type conflict struct {
		Chosen      string `json:"chosen"`
		Alternative string `json:"alternative"`
	}
	type agg struct {
		Code            string     `json:"code"`
		Spatial         string     `json:"recommended_spatial_mode"`
		Openness        string     `json:"recommended_openness_mode"`
		Recommendations []rec      `json:"recommendations"`
		Alternatives    []rec      `json:"alternatives"`
		Conflicts       []conflict `json:"conflicts"`
	}
	strategy := func(sc string) map[string]agg {
		code, out, errs := run(t, "strategy", "--format", "json", "--scenario", sc)
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", sc, code, errs)
		}
		var res struct {
			Agglomerations []agg `json:"agglomerations"`
		}
		if err := json.Unmarshal([]byte(out), &res); err != nil {
			t.Fatal(err)
		}
		m := map[string]agg{}
		for _, a := range res.Agglomerations {
			m[a.Code] = a
		}
		if len(m) != 5 {
			t.Fatalf("%s: %d agglomerations", sc, len(m))
		}
		return m
	}
	cases := []struct {
		scenario, rule, axis, field, mode string
	}{
		{"domestic=stable,international=turbulent", "fig5-internal-creation", "openness", "openness", "internal-creation"},
		{"domestic=stable,international=stable,resources=limited", "fig5-external-cooperation", "openness", "openness", "external-cooperation"},
		{"stage=embryonic", "fig5-early-core-led", "spatial", "spatial", "core-led"},
		{"stage=rapid", "fig5-early-core-led", "spatial", "spatial", "core-led"},
		{"stage=maturing", "fig5-late-multi-point", "spatial", "spatial", "multi-point"},
		{"stage=mature", "fig5-late-multi-point", "spatial", "spatial", "multi-point"},
	}
	for _, c := range cases {
		for code, a := range strategy(c.scenario) {
			i := slices.IndexFunc(a.Recommendations, func(r rec) bool { return r.ID == c.rule })
			if i < 0 {
				k := slices.IndexFunc(a.Conflicts, func(x conflict) bool { return x.Alternative == c.rule })
				if k < 0 {
					t.Errorf("%s %s: %s neither recommended nor set aside with a reason", c.scenario, code, c.rule)
					continue
				}
				chosen := slices.IndexFunc(a.Recommendations, func(r rec) bool { return r.ID == a.Conflicts[k].Chosen })
				if chosen < 0 || a.Recommendations[chosen].Priority >= 3 {
					t.Errorf("%s %s: %s set aside for %s, not a strategy of higher priority", c.scenario, code, c.rule, a.Conflicts[k].Chosen)
				}
				continue
			}
			earlier := false
			for _, r := range a.Recommendations[:i] {
				earlier = earlier || slices.ContainsFunc(r.Pushes, func(p push) bool { return p.Axis == c.axis })
			}
			got := map[string]string{"spatial": a.Spatial, "openness": a.Openness}[c.field]
			if !earlier && got != c.mode {
				t.Errorf("%s %s: %s recommended but the mode is %s, want %s", c.scenario, code, c.rule, got, c.mode)
			}
		}
	}
	base, stable := strategy("domestic=stable,international=turbulent"), strategy("domestic=stable,international=stable,resources=limited")
	ids := func(a agg) string {
		var s []string
		for _, r := range a.Recommendations {
			s = append(s, r.ID)
		}
		return strings.Join(s, ",") + "|" + a.Spatial + "|" + a.Openness
	}
	for code := range base {
		if ids(base[code]) == ids(stable[code]) {
			t.Errorf("%s: the same recommendations in the paper's scenario and in a stable world with limited resources: %s", code, ids(base[code]))
		}
	}
	// A stable world with limited resources: no agglomeration's own
	// strategy pushes against external cooperation, so it is every one's
	// openness mode (Figure 5).
	for code, a := range stable {
		if a.Openness != "external-cooperation" {
			t.Errorf("%s: openness %s in a stable world with limited resources", code, a.Openness)
		}
	}
}
