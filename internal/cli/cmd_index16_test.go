package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestIndexCOINrSteps: denomination by iMeta's Denominator column,
// screening by data availability, imputation and exact weight sets from
// the command line, on a COINr pair worked by hand.
func TestIndexCOINrSteps(t *testing.T) {
	dir := t.TempDir()
	data, meta := filepath.Join(dir, "iData.csv"), filepath.Join(dir, "iMeta.csv")
	// x1 per pop: U1 10/2 = 5, U2 12/4 = 3, U3 4/1 = 4; U4 lacks x1 and x2
	// (availability 1/3).
	os.WriteFile(data, []byte("uCode,uName,x1,x2,x3,pop\nU1,One,10,1,3,2\nU2,Two,12,2,1,4\nU3,Three,4,3,2,1\nU4,Four,NA,NA,5,1\n"), 0o644)
	os.WriteFile(meta, []byte("iCode,iName,Level,Parent,Direction,Weight,Type,Denominator\n"+
		"x1,X1,1,Index,1,1,Indicator,pop\nx2,X2,1,Index,1,1,Indicator,NA\nx3,X3,1,Index,1,1,Indicator,NA\npop,Population,NA,NA,NA,NA,Denominator,NA\nIndex,Index,2,NA,1,1,Aggregate,NA\n"), 0o644)
	run := func(args ...string) map[string]any {
		t.Helper()
		code, out, errs := runCLI(t, append([]string{"index", "--coinr-data", data, "--coinr-meta", meta, "--format", "json"}, args...)...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, errs)
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(out), &m); err != nil {
			t.Fatal(err)
		}
		return m
	}
	score := func(m map[string]any, code string) float64 {
		for _, u := range m["units"].([]any) {
			if u.(map[string]any)["code"] == code {
				v, _ := u.(map[string]any)["index"].(float64)
				return v
			}
		}
		t.Fatalf("no unit %s", code)
		return 0
	}
	m := run("--denominate", "--dat-thresh", "0.5")
	if n := len(m["units"].([]any)); n != 3 {
		t.Errorf("%d units after screening, want 3 (U4 has 1 of 3 indicators)", n)
	}
	// min-max over U1..U3: x1/pop 5,3,4 → 100,0,50; x2 1,2,3 → 0,50,100;
	// x3 3,1,2 → 100,0,50; U1 = (100+0+100)/3.
	if got := score(m, "U1"); got < 66.66666 || got > 66.66667 {
		t.Errorf("U1 = %v, want 200/3", got)
	}
	// Without denomination x1 is 10,12,4 → 75,100,0 for U1..U3.
	m = run("--dat-thresh", "0.5")
	if got := score(m, "U1"); got < 58.33333 || got > 58.33334 {
		t.Errorf("U1 without denomination = %v, want 175/3", got)
	}
	// Mean imputation keeps U4: x1 = mean(10,12,4) = 26/3, x2 = 2.
	m = run("--impute", "mean")
	if n := len(m["units"].([]any)); n != 4 {
		t.Errorf("%d units with imputation, want 4", n)
	}
	for _, c := range []struct {
		args []string
		flag string
	}{
		{[]string{"--dat-thresh", "1.5"}, "--dat-thresh"},
		{[]string{"--dat-thresh", "x"}, "--dat-thresh"},
		{[]string{"--screen", "bycount"}, "--screen"},
		{[]string{"--impute", "group-mode"}, "--impute"},
		{[]string{"--weights", "combined:framework"}, "--weights"},
	} {
		code, _, errs := runCLI(t, append([]string{"index", "--coinr-data", data, "--coinr-meta", meta, "--lang", "en"}, c.args...)...)
		if code != 2 || !strings.Contains(errs, c.flag) {
			t.Errorf("%v: exit %d %q", c.args, code, errs)
		}
	}
	// Exact weight sets: every run uses one of the two sets.
	sets := filepath.Join(dir, "sets.csv")
	os.WriteFile(sets, []byte("set,code,weight\nA,x1,1\nA,x2,0\nA,x3,0\nB,x1,0\nB,x2,1\nB,x3,0\n"), 0o644)
	code, out, errs := runCLI(t, "index", "uncertainty", "--coinr-data", data, "--coinr-meta", meta, "--dat-thresh", "0.5", "--weight-sets", sets, "--n", "100", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var ua struct {
		Units []struct {
			Code    string
			P05Rank float64 `json:"p05_rank"`
			P95Rank float64 `json:"p95_rank"`
		}
	}
	json.Unmarshal([]byte(out), &ua)
	// Set A ranks by x1 (10, 12, 4: U2, U1, U3), set B by x2 (1, 2, 3:
	// U3, U2, U1): U1 is 2nd or 3rd, U2 1st or 2nd, U3 1st or 3rd.
	want := map[string][2]float64{"U1": {2, 3}, "U2": {1, 2}, "U3": {1, 3}}
	for _, u := range ua.Units {
		if w := want[u.Code]; u.P05Rank != w[0] || u.P95Rank != w[1] {
			t.Errorf("%s ranks %v–%v, want %v–%v", u.Code, u.P05Rank, u.P95Rank, w[0], w[1])
		}
	}
	os.WriteFile(sets, []byte("set,code,weight\nA,x9,1\n"), 0o644)
	code, _, errs = runCLI(t, "index", "uncertainty", "--coinr-data", data, "--coinr-meta", meta, "--weight-sets", sets, "--n", "10", "--lang", "en")
	if code != 2 || !strings.Contains(errs, "x9") {
		t.Errorf("unknown node in a set: exit %d %q", code, errs)
	}
}
