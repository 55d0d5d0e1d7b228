package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode"

	"agglo/internal/analysis/reftest"
)

// Expected values come from the reference scripts under
// testdata/reference (each names its command and package versions):
// spatial/gen_spdep_panel.R (R spdep 1.2-7), spatial/gen_pysal.py (esda's
// formulas), convergence/gen_province_panel.py (statsmodels 0.13.5 and a
// literal numpy evaluation of Dagum 1997).

const refDir = reftest.Dir

func jsonOut(t *testing.T, args ...string) map[string]any {
	t.Helper()
	code, out, errs := runCLI(t, append(args, "--format", "json")...)
	if code != 0 {
		t.Fatalf("agglo %s: exit %d: %s", strings.Join(args, " "), code, errs)
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(out), &m); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	return m
}

func fnum(t *testing.T, v any, path ...string) float64 {
	t.Helper()
	for _, p := range path {
		v = v.(map[string]any)[p]
	}
	f, ok := v.(float64)
	if !ok {
		t.Fatalf("no number at %v: %v", path, v)
	}
	return f
}

// closeTo is reftest.Near (a NaN result fails against a number).
var closeTo = reftest.Near

func hasKeys(t *testing.T, what string, v any, keys ...string) {
	t.Helper()
	m, ok := v.(map[string]any)
	if !ok {
		t.Fatalf("%s is not an object: %v", what, v)
	}
	for _, k := range keys {
		if _, ok := m[k]; !ok {
			t.Errorf("%s lacks %q", what, k)
		}
	}
}

// TestMeasureSpatialCLI: the JSON shapes on the 95 cities, with the
// numbers of R spdep (Moran and Geary of the 2020 census population,
// 6 nearest neighbours) and esda (local Moran quadrants).
func TestMeasureSpatialCLI(t *testing.T) {
	cities := refDir + "spatial/cities.csv"
	sp := reftest.JSON(t, refDir+"spatial/spdep_panel.json")
	m := jsonOut(t, "measure", "moran", "--data", cities, "--indicator", "pop", "--year", "2020", "--spatial-weights", "knn:6", "--permutations", "999", "--seed", "1")
	hasKeys(t, "moran", m, "method", "value", "expected", "z", "p_norm", "p_sim", "n", "summary", "name_zh", "name_en")
	closeTo(t, "I", fnum(t, m, "value"), fnum(t, sp, "pop2020", "moran_I"), 1e-10)
	closeTo(t, "p_norm", fnum(t, m, "p_norm"), fnum(t, sp, "pop2020", "moran_p_norm_two_sided"), 1e-8)
	if n := fnum(t, m, "n"); n != 95 {
		t.Errorf("n = %v", n)
	}
	// The same seed gives the same p_sim with one worker or several.
	m1 := jsonOut(t, "measure", "moran", "--data", cities, "--indicator", "pop", "--year", "2020", "--permutations", "999", "--seed", "1", "--workers", "1")
	if m1["p_sim"] != m["p_sim"] {
		t.Errorf("p_sim %v with 1 worker, %v with the default", m1["p_sim"], m["p_sim"])
	}
	g := jsonOut(t, "measure", "geary", "--data", cities, "--indicator", "pop", "--year", "2020")
	hasKeys(t, "geary", g, "method", "value", "expected", "z", "p_norm", "p_sim", "n")
	closeTo(t, "C", fnum(t, g, "value"), fnum(t, sp, "pop2020", "geary_C"), 1e-10)
	closeTo(t, "Geary z", fnum(t, g, "z"), -fnum(t, sp, "pop2020", "geary_deviate_norm"), 1e-8)

	l := jsonOut(t, "measure", "lisa", "--data", cities, "--indicator", "pop", "--year", "2020", "--permutations", "99")
	units := l["units"].([]any)
	if len(units) != 95 {
		t.Fatalf("%d units", len(units))
	}
	for _, u := range units {
		hasKeys(t, "lisa unit", u, "unit", "name", "value", "quadrant", "p_sim")
	}
	gi := jsonOut(t, "measure", "getis-ord", "--data-only", "--data", cities, "--indicator", "pop", "--year", "2020", "--spatial-weights", "distance:300", "--star", "--transform", "binary")
	sd := reftest.JSON(t, refDir+"spatial/spdep.json")
	want := sd["localGstar_pop_d300_binary"].([]any)
	for i, u := range gi["units"].([]any) {
		hasKeys(t, "gi unit", u, "unit", "name", "value", "z")
		closeTo(t, "Gi* z", fnum(t, u, "z"), want[i].(float64), 1e-8)
	}
	// Islands are warned about on stderr, in the language asked for.
	code, _, errs := runCLI(t, "measure", "moran", "--data", cities, "--indicator", "pop", "--year", "2020", "--spatial-weights", "distance:150", "--lang", "en")
	if code != 0 || !strings.Contains(errs, "2 islands") || !strings.Contains(errs, "Zhangjiakou") {
		t.Errorf("exit %d, stderr %q", code, errs)
	}
	code, _, errs = runCLI(t, "measure", "moran", "--data", cities, "--indicator", "pop", "--year", "2020", "--spatial-weights", "distance:150")
	if code != 0 || !strings.Contains(errs, "孤岛") || strings.ContainsFunc(strings.ReplaceAll(errs, "distance:150", ""), isLatinLetter) {
		t.Errorf("exit %d, stderr %q", code, errs)
	}
}

func isLatinLetter(r rune) bool { return r < unicode.MaxASCII && unicode.IsLetter(r) }

// TestMeasureConvergenceDagumCLI: σ/β-convergence of the provinces' R&D
// intensity 2011–2023 and the Dagum decomposition of 2019 by
// agglomeration, against statsmodels and numpy
// (convergence/gen_province_panel.py).
func TestMeasureConvergenceDagumCLI(t *testing.T) {
	pp := reftest.JSON(t, refDir+"convergence/province_panel.json")
	m := jsonOut(t, "measure", "convergence", "--data", "../../testdata/china_panel/province_st_techme_2010_2023.csv", "--indicator", "rd_intensity", "--group", "agglomeration")
	beta := m["beta"]
	hasKeys(t, "beta", beta, "coefficient", "se", "t", "p", "r2", "rate", "half_life", "n")
	b := pp["beta"].(map[string]any)
	closeTo(t, "b", fnum(t, beta, "coefficient"), b["params"].([]any)[1].(float64), 1e-9)
	closeTo(t, "se", fnum(t, beta, "se"), b["bse"].([]any)[1].(float64), 1e-9)
	closeTo(t, "p", fnum(t, beta, "p"), b["pvalues"].([]any)[1].(float64), 1e-8)
	sigma := m["sigma"].([]any)
	sd := pp["sigma"].(map[string]any)["sd"].([]any)
	if len(sigma) != len(sd) {
		t.Fatalf("%d years", len(sigma))
	}
	for i, s := range sigma {
		hasKeys(t, "sigma", s, "year", "value", "cv")
		closeTo(t, "sigma", fnum(t, s, "value"), sd[i].(float64), 1e-10)
	}
	d := jsonOut(t, "measure", "dagum", "--data", "../../testdata/china2019/province_2019_long.csv", "--indicator", "rd_intensity", "--group", "agglomeration")
	hasKeys(t, "dagum", d, "value", "within", "between", "transvariation", "groups", "pairs")
	w := pp["dagum_rd_intensity_2019_agglomeration"].(map[string]any)
	closeTo(t, "G", fnum(t, d, "value"), w["G"].(float64), 1e-12)
	closeTo(t, "Gnb", fnum(t, d, "between"), w["Gnb"].(float64), 1e-12)
	closeTo(t, "Gt", fnum(t, d, "transvariation"), w["Gt"].(float64), 1e-12)
	for _, g := range d["groups"].([]any) {
		hasKeys(t, "group", g, "group", "value")
	}
	for _, p := range d["pairs"].([]any) {
		hasKeys(t, "pair", p, "a", "b", "value")
	}
}

// TestMeasureBadFlags: specifications that do not parse exit 2 and name
// the flag.
func TestMeasureBadFlags(t *testing.T) {
	cities := refDir + "spatial/cities.csv"
	for _, c := range []struct {
		args []string
		flag string
	}{
		{[]string{"moran", "--spatial-weights", "knn:0"}, "--spatial-weights"},
		{[]string{"moran", "--spatial-weights", "queen"}, "--spatial-weights"},
		{[]string{"lisa", "--transform", "standardised"}, "--transform"},
		{[]string{"moran", "--permutations", "-5"}, "--permutations"},
		{[]string{"atkinson", "--epsilon", "-1"}, "--epsilon"},
		{[]string{"network", "--mode", "both"}, "--mode"},
		{[]string{"network", "--flows", "no/such/file.csv"}, "--flows"},
		{[]string{"convergence", "--from", "1999"}, "--from"},
		{[]string{"dagum"}, "--group"},
		{[]string{"obstacle", "--normalise", "bogus"}, "--normalise"},
		{[]string{"moran", "--spatial-weights", "knn:200"}, "--spatial-weights"},
	} {
		args := append([]string{"measure"}, c.args...)
		args = append(args, "--data", cities, "--indicator", "pop", "--lang", "en")
		if c.args[0] == "obstacle" {
			args = []string{"measure", "obstacle", "--normalise", "bogus"}
		}
		code, _, errs := runCLI(t, args...)
		if code != 2 || !strings.Contains(errs, c.flag) {
			t.Errorf("%v: exit %d, %q (want exit 2 naming %s)", c.args, code, errs, c.flag)
		}
	}
}

// TestMeasureFormats: CSV and XLSX exports carry bilingual headers; the
// Chinese table has Chinese headers.
func TestMeasureFormats(t *testing.T) {
	cities := refDir + "spatial/cities.csv"
	code, out, errs := runCLI(t, "measure", "lisa", "--data", cities, "--indicator", "pop", "--year", "2020", "--permutations", "9", "--format", "csv")
	if code != 0 || !strings.Contains(out, "单元 / unit") || !strings.Contains(out, "象限 / quadrant") {
		t.Errorf("exit %d: %s %s", code, out[:min(len(out), 400)], errs)
	}
	code, out, _ = runCLI(t, "measure", "lisa", "--data", cities, "--indicator", "pop", "--year", "2020", "--permutations", "9")
	if code != 0 || !strings.Contains(out, "象限") || !strings.Contains(out, "结论") {
		t.Errorf("table: %s", out[:min(len(out), 400)])
	}
	x := filepath.Join(t.TempDir(), "k.xlsx")
	code, _, errs = runCLI(t, "measure", "kernel", "--data", refDir+"mexico.csv", "--indicator", "pcgdp", "--panel", "--format", "xlsx", "-o", x)
	if st, err := os.Stat(x); code != 0 || err != nil || st.Size() == 0 {
		t.Errorf("xlsx: exit %d %s", code, errs)
	}
}

// TestMeasureHelpExamples runs every example of agglo measure --help from
// the repository's root: they must work as written.
func TestMeasureHelpExamples(t *testing.T) {
	code, out, _ := runCLI(t, "measure", "--help")
	if code != 0 {
		t.Fatal("no help")
	}
	t.Chdir("../..")
	_, examples, ok := strings.Cut(out, "Examples:")
	examples, _, _ = strings.Cut(examples, "Flags:")
	if !ok {
		t.Fatal("no examples")
	}
	re := regexp.MustCompile(`(?m)^\s+agglo (measure .*)$`)
	n := 0
	for _, m := range re.FindAllStringSubmatch(examples, -1) {
		args := strings.Fields(m[1])
		if i := strings.Index(m[1], "--format"); i < 0 {
			args = append(args, "--format", "json")
		}
		code, _, errs := runCLI(t, args...)
		if code != 0 {
			t.Errorf("agglo %s: exit %d: %s", m[1], code, errs)
		}
		n++
	}
	if n < 10 {
		t.Errorf("only %d examples found", n)
	}
}

// TestReadmeMeasureAndIndex runs the README's agglo measure and agglo
// index commands as written, from the repository's root.
func TestReadmeMeasureAndIndex(t *testing.T) {
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir("../..")
	n := 0
	for _, line := range strings.Split(string(b), "\n") {
		cmd, ok := strings.CutPrefix(line, "./agglo ")
		if !ok || !(strings.HasPrefix(cmd, "measure ") || strings.HasPrefix(cmd, "index ")) {
			continue
		}
		if i := strings.Index(cmd, " #"); i >= 0 {
			cmd = cmd[:i]
		}
		code, _, errs := runCLI(t, strings.Fields(cmd)...)
		if code != 0 {
			t.Errorf("agglo %s: exit %d: %s", cmd, code, errs)
		}
		n++
	}
	if n < 15 {
		t.Errorf("only %d commands found", n)
	}
}
