package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"strings"
	"testing"
)

func runCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Main(context.Background(), args, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

func TestReplicateJSON(t *testing.T) {
	code, out, stderr := runCLI(t, "replicate", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var claims []struct {
		ID        string   `json:"id"`
		Published *float64 `json:"published"`
		Computed  *float64 `json:"computed"`
		Status    string   `json:"status"`
		Tolerance *float64 `json:"tolerance"`
		ClaimZH   string   `json:"claim_zh"`
		ClaimEN   string   `json:"claim_en"`
		Source    string   `json:"source"`
		Unit      *string  `json:"unit"`
	}
	if err := json.Unmarshal([]byte(out), &claims); err != nil {
		t.Fatal(err)
	}
	byID := map[string]int{}
	for i, c := range claims {
		byID[c.ID] = i
		if c.Unit == nil || c.Source == "" || c.ClaimZH == "" || c.ClaimEN == "" {
			t.Errorf("%s: a required field is missing", c.ID)
		}
	}
	// Paper III.1: CC's mean innovation performance 42.25, third of five.
	c := claims[byID["table3.mean.innovation_performance.CC"]]
	if c.Published == nil || *c.Published != 42.25 || c.Status != "match" {
		t.Errorf("CC mean: %+v", c)
	}
	code, out, _ = runCLI(t, "replicate", "--lang", "en")
	if code != 0 || !strings.Contains(out, "Verdict:") || !strings.Contains(out, "== Table 3 ==") {
		t.Errorf("table output: exit %d\n%s", code, out)
	}
}

func TestMeasureCommand(t *testing.T) {
	code, out, stderr := runCLI(t, "measure", "gini", "--data", "../../testdata/reference/mexico.csv", "--indicator", "pcgdp", "--year", "1940", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var r struct {
		Method string  `json:"method"`
		Value  float64 `json:"value"`
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	// PySAL (inequality) test_gini.py: mexico pcgdp1940 Gini 0.35372371173452849.
	if r.Method != "gini" || math.Abs(r.Value-0.35372371173452849) > 1e-12 {
		t.Errorf("%+v", r)
	}
	// Decomposition shape from the issue: between, within, groups.
	code, out, _ = runCLI(t, "measure", "theil", "--indicator", "cric_composite", "--group", "agglomeration", "--format", "json")
	var th struct {
		Between *float64 `json:"between"`
		Within  *float64 `json:"within"`
		Groups  []struct {
			Group        string   `json:"group"`
			Value        *float64 `json:"value"`
			Contribution *float64 `json:"contribution"`
		} `json:"groups"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &th) != nil || th.Between == nil || len(th.Groups) != 5 {
		t.Fatalf("theil: exit %d %s", code, out)
	}
	// Bad input: exit 2 with the method and region named.
	code, _, stderr = runCLI(t, "measure", "gini", "--indicator", "nothing", "--lang", "en")
	if code != 2 || !strings.Contains(stderr, `"nothing"`) {
		t.Errorf("unknown indicator: exit %d %s", code, stderr)
	}
	code, _, stderr = runCLI(t, "measure", "nomethod", "--indicator", "x")
	if code != 2 || !strings.Contains(stderr, "未知测度方法") {
		t.Errorf("unknown method: exit %d %s", code, stderr)
	}
}

func TestIndexCommands(t *testing.T) {
	code, out, stderr := runCLI(t, "index", "--framework", "cric", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var r struct {
		Units []struct {
			Code  string  `json:"code"`
			Index float64 `json:"index"`
			Rank  int     `json:"rank"`
		} `json:"units"`
		Weights map[string]float64 `json:"weights"`
		Steps   []any              `json:"steps"`
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	// CRIC first-level weights (《中国区域创新能力评价报告》; docs/methods.md, cric): enterprise innovation 0.25.
	if len(r.Units) != 13 || r.Weights["cric_enterprise_innovation"] != 0.25 || len(r.Steps) == 0 {
		t.Errorf("index json: %+v", r)
	}
	run := func() string {
		code, out, stderr := runCLI(t, "index", "uncertainty", "--n", "100", "--seed", "7", "--format", "json")
		if code != 0 {
			t.Fatalf("uncertainty exit %d: %s", code, stderr)
		}
		return out
	}
	a, b := run(), run()
	if a != b {
		t.Error("the same seed gave different results")
	}
	var ua struct {
		Units []struct {
			Code        string   `json:"code"`
			NominalRank int      `json:"nominal_rank"`
			MedianRank  *float64 `json:"median_rank"`
			P05         *float64 `json:"p05_rank"`
			P95         *float64 `json:"p95_rank"`
		} `json:"units"`
	}
	if err := json.Unmarshal([]byte(a), &ua); err != nil || len(ua.Units) != 13 || ua.Units[0].P05 == nil {
		t.Errorf("uncertainty json: %v %s", err, a[:min(200, len(a))])
	}
	code, _, stderr = runCLI(t, "index", "--normalise", "minmax:x", "--lang", "en")
	if code != 2 || !strings.Contains(stderr, "--normalise") {
		t.Errorf("bad flag: exit %d %s", code, stderr)
	}
	code, _, _ = runCLI(t, "index", "audit", "--format", "json")
	if code != 0 {
		t.Errorf("audit exit %d", code)
	}
}

// The cases: with COINr input (no levels: in any file) the step
// flags reach every level, and an unknown method is a usage error naming
// its flag.
func TestIndexCOINrStepFlags(t *testing.T) {
	data, meta := "../../examples/coinr/iData.csv", "../../examples/coinr/iMeta.csv"
	code, out, stderr := runCLI(t, "index", "--coinr-data", data, "--coinr-meta", meta, "--normalise", "zscore:10,1", "--aggregate", "geometric", "--weights", "equal", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var r struct {
		Units   []struct{ Code string } `json:"units"`
		Methods []struct {
			Level       int
			Weights     struct{ Method string }
			Aggregation struct{ Method string }
		} `json:"methods"`
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	if len(r.Methods) != 2 || len(r.Units) != 5 {
		t.Fatalf("methods %+v, %d units", r.Methods, len(r.Units))
	}
	for _, m := range r.Methods {
		if m.Aggregation.Method != "geometric" || m.Weights.Method != "equal" {
			t.Errorf("level %d: %+v", m.Level, m)
		}
	}
	for _, c := range []struct{ flag, value string }{{"--aggregate", "bogus"}, {"--weights", "magic"}, {"--normalise", "minmax:0"}, {"--treat", "x"}, {"--impute", "guess"}} {
		code, _, stderr := runCLI(t, "index", "--coinr-data", data, "--coinr-meta", meta, c.flag, c.value, "--lang", "en")
		if code != 2 || !strings.Contains(stderr, c.flag) {
			t.Errorf("%s %s: exit %d %s", c.flag, c.value, code, stderr)
		}
	}
}
