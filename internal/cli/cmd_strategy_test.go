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
