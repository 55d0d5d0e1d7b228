package cli

import (
	"encoding/json"
	"math"
	"slices"
	"strings"
	"testing"
)

// TestDiagnoseBuiltinCensus runs agglo diagnose on the built-in data as a
// user gets them (the paper's data and the 2010/2020 census) and checks
// what the census makes assessable. Expected shares are computed by hand
// from testdata/china2019/city_census_2010_2020.csv (popu_2010, popu_2020):
//   - CC: Chengdu 15,118,840 of the 16 members' 95,758,968 in 2010 (15.8%),
//     20,937,757 of 102,709,894 in 2020 (20.4%): its share rises.
//   - YRD: Shanghai 23,019,196 of the 26 members' 147,367,415 in 2010
//     (15.6%), 24,870,895 of 165,085,566 in 2020 (15.1%): the core loses
//     share.
func TestDiagnoseBuiltinCensus(t *testing.T) {
	code, out, errs := run(t, "diagnose", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var res struct {
		Agglomerations []struct {
			Code        string                `json:"code"`
			SpatialMode string                `json:"spatial_mode"`
			Cores       []string              `json:"cores"`
			Confidence  map[string]any        `json:"confidence"`
			Problems    []struct{ ID string } `json:"problems"`
			Flow        struct {
				Label string `json:"label"`
				Cores []struct {
					Code string  `json:"code"`
					From float64 `json:"from"`
					To   float64 `json:"to"`
				} `json:"cores"`
			} `json:"flow"`
		} `json:"agglomerations"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	if len(res.Agglomerations) != 5 {
		t.Fatalf("%d agglomerations", len(res.Agglomerations))
	}
	for _, a := range res.Agglomerations {
		if a.Confidence == nil || a.Confidence["spatial_mode"] == nil {
			t.Errorf("%s: no confidence", a.Code)
		}
		problems := []string{}
		for _, p := range a.Problems {
			problems = append(problems, p.ID)
		}
		switch a.Code {
		case "CC":
			if a.SpatialMode != "core-led" || !slices.Contains(a.Cores, "510100") || !slices.Contains(a.Cores, "500000") {
				t.Errorf("CC: %s with cores %v, want core-led with Chengdu and Chongqing", a.SpatialMode, a.Cores)
			}
		case "YRD":
			if slices.Contains(problems, "siphon") || a.Flow.Label == "siphon" {
				t.Errorf("YRD: siphon fires (%s, %v)", a.Flow.Label, problems)
			}
		case "PRD":
			if slices.Contains(problems, "central_collapse") {
				t.Errorf("PRD: central collapse fires")
			}
		}
	}
	// The cores' shares of the census, read from the flow evidence.
	share := func(agg, core string) (float64, float64) {
		for _, a := range res.Agglomerations {
			if a.Code != agg {
				continue
			}
			for _, c := range a.Flow.Cores {
				if c.Code == core {
					return c.From, c.To
				}
			}
		}
		return math.NaN(), math.NaN()
	}
	if from, to := share("CC", "510100"); math.Abs(from-0.158) > 0.001 || math.Abs(to-0.204) > 0.001 {
		t.Errorf("Chengdu's share %.4f → %.4f, want 0.158 → 0.204", from, to)
	}
	if from, to := share("YRD", "310000"); math.Abs(from-0.156) > 0.001 || math.Abs(to-0.151) > 0.001 || to >= from {
		t.Errorf("Shanghai's share %.4f → %.4f, want 0.156 → 0.151", from, to)
	}
	// The paper's data alone cannot say it: no two years.
	code, out, _ = run(t, "diagnose", "--dataset", "paper", "--format", "json", "--lang", "en")
	if code != 0 || strings.Contains(out, `"label": "spread"`) || strings.Contains(out, `"label": "siphon"`) {
		t.Errorf("paper alone: exit %d", code)
	}
}
