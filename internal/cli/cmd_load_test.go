package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestDataCombines: --data adds to the built-in data, --data-only uses the
// file alone, conflicts name both files and rows unless --prefer, --dataset
// chooses built-in data, --year cuts later years.
func TestDataCombines(t *testing.T) {
	dir := t.TempDir()
	// Beijing's 2019 population, 2153.6万人 (NBS), beside the paper's data.
	a := filepath.Join(dir, "a.csv")
	os.WriteFile(a, []byte("地区,年份,常住人口(万人)\n北京,2019,2153.6\n"), 0o644)
	b := filepath.Join(dir, "b.csv")
	os.WriteFile(b, []byte("地区,年份,常住人口(万人)\n天津,2019,1561.8\n北京,2019,2154\n"), 0o644)
	show := func(args ...string) (int, map[string]float64, string) {
		t.Helper()
		code, out, errs := run(t, append(args, "data", "show", "110000", "--format", "json", "--lang", "en")...)
		var res showResult
		_ = json.Unmarshal([]byte(out), &res)
		vals := map[string]float64{}
		for _, o := range res.Observations {
			vals[o.Indicator] = o.Value
		}
		return code, vals, errs
	}
	// Added: the paper's Table 3 score of Beijing stays beside the file's value.
	code, vals, errs := show("--data", a)
	if code != 0 || vals["population"] != 2153.6 || vals["cric_composite"] == 0 {
		t.Errorf("--data adds: exit %d %v %s", code, vals, errs)
	}
	code, vals, _ = show("--data", a, "--data-only")
	if code != 0 || len(vals) != 1 {
		t.Errorf("--data-only: %v", vals)
	}
	// Two files disagree on Beijing: both named with their rows.
	code, _, errs = show("--data", a, "--data", b)
	for _, w := range []string{"a.csv (row 2)", "b.csv (row 3)", "--prefer"} {
		if code != exitError || !strings.Contains(errs, w) {
			t.Errorf("conflict: exit %d, %q lacks %q", code, errs, w)
		}
	}
	code, vals, errs = show("--data", a, "--data", b, "--prefer", b)
	if code != 0 || vals["population"] != 2154 {
		t.Errorf("--prefer b: exit %d %v %s", code, vals, errs)
	}
	if code, _, errs = show("--data", a, "--prefer", "nothing.csv"); code != exitUsage || !strings.Contains(errs, "--prefer") {
		t.Errorf("unknown --prefer: exit %d %s", code, errs)
	}
	// Built-in data sets: the census has Beijing's 2010 and 2020
	// population (19,612,368 and 21,893,095 persons).
	code, out, errs := run(t, "--dataset", "census", "data", "show", "110000", "--format", "json")
	if code != 0 || !strings.Contains(out, "1961.2368") || !strings.Contains(out, "2189.3095") {
		t.Errorf("--dataset census: exit %d %s", code, errs)
	}
	code, out, _ = run(t, "--dataset", "census", "--year", "2015", "data", "show", "110000", "--format", "json")
	if code != 0 || !strings.Contains(out, "1961.2368") || strings.Contains(out, "2189.3095") {
		t.Errorf("--year 2015 keeps 2010 and drops 2020: exit %d", code)
	}
	if code, _, errs = run(t, "--dataset", "nope", "data", "list"); code != exitUsage || !strings.Contains(errs, "nope") {
		t.Errorf("unknown --dataset: exit %d %s", code, errs)
	}
	code, out, _ = run(t, "data", "sources", "--format", "json")
	var srcs []struct {
		ID, Years string
		Licence   struct{ ZH, EN string }
		Default   []string `json:"default_for"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &srcs) != nil || len(srcs) != 6 || srcs[2].ID != "census" || srcs[2].Licence.EN == "" || srcs[2].Licence.ZH == "" {
		t.Errorf("data sources: exit %d %s", code, out)
	}
	// The city data sets are listed with what they are for.
	for _, s := range srcs[4:] {
		if !slices.Contains(s.Default, "diagnose") || !strings.HasPrefix(s.Licence.EN, "MIT") {
			t.Errorf("data sources: %s %+v", s.ID, s)
		}
	}
}

// TestPanelOnBuiltinData runs the README's panel measure on the built-in
// province panel: the Theil index of R&D expenditure within and between
// the five agglomerations, one row per year.
func TestPanelOnBuiltinData(t *testing.T) {
	code, out, errs := run(t, "measure", "theil", "--dataset", "province-st", "--indicator", "rd_expenditure", "--group", "agglomeration", "--panel", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if !strings.Contains(out, "2011") || !strings.Contains(out, "2023") {
		t.Errorf("panel years missing: %.300s", out)
	}
}

// TestUserAgglomerations: --agglomerations adds a user's set (or replaces
// the built-in one) and every command takes its codes.
func TestUserAgglomerations(t *testing.T) {
	dir := t.TempDir()
	set := filepath.Join(dir, "cdx.yaml")
	os.WriteFile(set, []byte("- code: CDX\n  name_zh: 成德眉资\n  name_en: Chengdu metropolitan area\n  members: [成都, 德阳, 眉山, 资阳]\n  cores: [成都]\n"), 0o644)
	code, out, errs := run(t, "--agglomerations", set, "data", "list", "--level", "agglomeration", "--format", "json")
	if code != 0 || !strings.Contains(out, `"CDX"`) || !strings.Contains(out, `"SDP"`) {
		t.Fatalf("added: exit %d %s", code, errs)
	}
	code, out, _ = run(t, "--agglomerations", set, "--agglomerations-replace", "data", "list", "--level", "agglomeration", "--format", "json")
	if code != 0 || !strings.Contains(out, `"CDX"`) || strings.Contains(out, `"SDP"`) {
		t.Errorf("replaced: exit %d", code)
	}
	// The census rolls up to the new agglomeration and the diagnosis
	// reads its members.
	code, out, errs = run(t, "--agglomerations", set, "--agglomeration", "CDX", "diagnose", "--format", "json")
	if code != 0 || !strings.Contains(out, `"code": "CDX"`) || !strings.Contains(out, `"cores": [`) {
		t.Errorf("diagnose CDX: exit %d %s", code, errs)
	}
	code, out, _ = run(t, "--agglomerations", set, "--dataset", "census", "data", "show", "CDX", "--format", "json")
	if code != 0 || !strings.Contains(out, `"rollup"`) {
		t.Errorf("no rolled-up value for CDX: exit %d %.400s", code, out)
	}
	// A member that is no place: located, exit 3.
	bad := filepath.Join(dir, "bad.csv")
	os.WriteFile(bad, []byte("code,name_zh,member\nXX,某圈,南景\n"), 0o644)
	if code, _, errs := run(t, "--agglomerations", bad, "data", "list", "--lang", "en"); code != exitInvalid || !strings.Contains(errs, "row 2") {
		t.Errorf("bad set: exit %d %s", code, errs)
	}
	if code, _, errs := run(t, "--agglomeration", "NOPE", "diagnose"); code != exitUsage || !strings.Contains(errs, "NOPE") {
		t.Errorf("unknown --agglomeration: exit %d %s", code, errs)
	}
}
