package cli

import (
	"agglo/internal/analysis"
	"bytes"
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"agglo/internal/dataset"
	"agglo/internal/i18n"
)

const testData = "../../testdata/"

// run calls Main in-process and returns the exit code, stdout and stderr.
func run(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Main(context.Background(), args, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

func TestDataListAgglomerationsJSON(t *testing.T) {
	code, out, errs := run(t, "data", "list", "--level", "agglomeration", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var items []struct {
		Code     string `json:"code"`
		NameZH   string `json:"name_zh"`
		NameEN   string `json:"name_en"`
		Plan     string `json:"plan"`
		PlanYear int    `json:"plan_year"`
		Tier     string `json:"tier"`
		Source   string `json:"source"`
		Default  bool   `json:"default"`
		Members  []struct {
			Code    string `json:"code"`
			Partial bool   `json:"partial"`
			Core    bool   `json:"core"`
		} `json:"members"`
		Sourcing struct {
			Grade string            `json:"grade"`
			Note  map[string]string `json:"note"`
		} `json:"sourcing"`
	}
	if err := json.Unmarshal([]byte(out), &items); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	// The State Council plans: YRD 2016 plan 26 cities, MYR 2015 plan 31
	// units, CC 2016 plan 16 units, the 13-city BTH and the 9 PRD cities
	// (95 rows of agglomerations.csv in all); the Shandong Peninsula plan
	// (2017) 16 cities. The 13th/14th Five-Year Plans name 19
	// agglomerations (agglomerations_19.csv).
	want := map[string]int{"YRD": 26, "MYR": 31, "CC": 16, "BTH": 13, "PRD": 9, "SDP": 16}
	if len(items) != 19 {
		t.Fatalf("%d agglomerations, want 19", len(items))
	}
	total, defaults := 0, 0
	for _, it := range items {
		if it.NameZH == "" || it.NameEN == "" || it.Plan == "" || it.Tier == "" || it.Sourcing.Grade == "" || it.Sourcing.Note["en"] == "" {
			t.Errorf("%s: incomplete %+v", it.Code, it)
		}
		if it.Default {
			defaults++
		}
		n, ok := want[it.Code]
		if !ok {
			continue
		}
		if len(it.Members) != n {
			t.Errorf("%s: %d members, want %d", it.Code, len(it.Members), n)
		}
		if it.Code != "SDP" {
			total += len(it.Members)
		}
		if it.Code == "CC" {
			// Chongqing is partly inside CC and one of its two cores.
			for _, m := range it.Members {
				if m.Code == "500000" && (!m.Partial || !m.Core) {
					t.Errorf("CC Chongqing: %+v", m)
				}
			}
		}
	}
	if total != 95 {
		t.Errorf("%d members in the five, want the README's 95 rows", total)
	}
	if defaults != 5 {
		t.Errorf("%d agglomerations in the default set, want the paper's five", defaults)
	}
}

func TestDataShowYRDFigure1Check(t *testing.T) {
	// Hand calculation (paper section II.1 and Table 1): YRD population
	// 1.5亿人 = 15,000万人 × GDP per capita 13.13万元/人 = 196,950亿元 =
	// 19.695万亿元, against the printed 19.7万亿元 = 197,000亿元: residual
	// 196,950 − 197,000 = −50亿元.
	const derived, published = 15000 * 13.13, 197000.0
	code, out, errs := run(t, "data", "show", "YRD")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, w := range []string{"fig1.check.yrd_gdp", "发表值 197000", "推算值 196950", "残差 -50"} {
		if !strings.Contains(out, w) {
			t.Errorf("table output lacks %q:\n%s", w, out)
		}
	}
	code, out, errs = run(t, "data", "show", "YRD", "--format", "json", "--lang", "en")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var res struct {
		Checks []dataset.Check `json:"checks"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	if len(res.Checks) != 1 {
		t.Fatalf("checks: %+v", res.Checks)
	}
	c := res.Checks[0]
	if c.ID != "fig1.check.yrd_gdp" || math.Abs(c.Derived-derived) > 1e-6 || c.Published != published || math.Abs(c.Residual-(derived-published)) > 1e-6 {
		t.Errorf("check = %+v, want derived %v, published %v, residual −50", c, derived, published)
	}
}

func TestDataValidateSharedFiles(t *testing.T) {
	files, err := filepath.Glob(testData + "china2019/*.csv")
	if err != nil || len(files) == 0 {
		t.Fatalf("no test files: %v", err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			code, out, errs := run(t, "data", "validate", f, "--format", "json")
			if code != 0 {
				t.Fatalf("exit %d\n%s", code, errs)
			}
			var res validateResult
			if err := json.Unmarshal([]byte(out), &res); err != nil {
				t.Fatal(err)
			}
			if !res.Valid || res.Observations == 0 {
				t.Errorf("%+v", res)
			}
			// testdata/SOURCE.md: "31 provinces × 54 ... indicators for
			// 2019", four cells missing in the source.
			if filepath.Base(f) == "province_2019_long.csv" && (res.Regions != 31 || res.Indicators != 54 || res.Observations != 31*54-4) {
				t.Errorf("province file: %d regions, %d indicators, %d observations; want 31, 54, %d", res.Regions, res.Indicators, res.Observations, 31*54-4)
			}
		})
	}
}

func TestDataValidateMalformed(t *testing.T) {
	dir := t.TempDir()
	cases := []struct {
		name, content string
		zh, en        []string // substrings of stderr
	}{
		{"number.csv", "地区,地区生产总值(亿元)\n北京,1\n天津,12a\n",
			[]string{"number.csv", "第3行", "第2列", "数值格式错误“12a”"}, []string{"number.csv", "row 3", "column 2", `malformed number "12a"`}},
		{"region.csv", "地区,地区生产总值(亿元)\n北京,1\n北晶,2\n",
			[]string{"第3行", "未知地区“北晶”"}, []string{"row 3", `unknown region "北晶"`}},
		{"unit.csv", "地区,地区生产总值(吨)\n北京,1\n",
			[]string{"第2列", "未知单位“吨”"}, []string{"column 2", `unknown unit "吨"`}},
		{"dup.csv", "地区,年份,地区生产总值(亿元)\n北京,2019,1\n北京市,2019,2\n",
			[]string{"第3行", "重复数据"}, []string{"row 3", "duplicate"}},
		{"ragged.csv", "地区,x\n\"北京,1\n",
			[]string{"CSV 格式错误"}, []string{"malformed CSV"}},
		{"empty.csv", "",
			[]string{"文件为空"}, []string{"the file is empty"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(dir, c.name)
			if err := os.WriteFile(path, []byte(c.content), 0o644); err != nil {
				t.Fatal(err)
			}
			for _, lang := range []struct {
				flag string
				want []string
			}{{"zh", c.zh}, {"en", c.en}} {
				code, _, errs := run(t, "data", "validate", path, "--lang", lang.flag)
				if code != exitInvalid {
					t.Errorf("--lang %s: exit %d, want %d; stderr %s", lang.flag, code, exitInvalid, errs)
				}
				for _, w := range lang.want {
					if !strings.Contains(errs, w) {
						t.Errorf("--lang %s: stderr lacks %q:\n%s", lang.flag, w, errs)
					}
				}
			}
			// zh is the default.
			_, _, def := run(t, "data", "validate", path)
			if !strings.Contains(def, c.zh[0]) || !strings.Contains(def, "未导入任何数据") {
				t.Errorf("default language is not zh: %s", def)
			}
			// JSON mode prints the issues on stdout, still exit 3.
			code, out, _ := run(t, "data", "validate", path, "--format", "json")
			var res validateResult
			if code != exitInvalid || json.Unmarshal([]byte(out), &res) != nil || res.Valid || len(res.Issues) == 0 {
				t.Errorf("json: exit %d, %s", code, out)
			}
		})
	}
}

func TestUsageErrors(t *testing.T) {
	dir := t.TempDir()
	existing := filepath.Join(dir, "x.csv")
	if err := os.WriteFile(existing, []byte("keep"), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		args []string
		want string // in stderr (English)
	}{
		{[]string{"data", "list", "--no-such-flag"}, "unknown flag"},
		{[]string{"data", "nosuch"}, `unknown command "nosuch" for "agglo data"`},
		{[]string{"bench", "nosuch"}, `unknown command "nosuch" for "agglo bench"`},
		{[]string{"nosuchcommand"}, "unknown command"},
		{[]string{"data", "list", "--format", "yaml"}, `--format must be table, json or csv (got "yaml")`},
		// An invalid --lang falls back to the default language, zh.
		{[]string{"data", "list", "--lang", "fr"}, "--lang 只能是 zh 或 en（收到“fr”）"},
		{[]string{"data", "list", "--level", "planet"}, `invalid --level "planet"`},
		{[]string{"data", "show"}, "accepts 1 arg"},
		{[]string{"data", "show", "ZZZ"}, `unknown region "ZZZ"`},
		{[]string{"data", "validate"}, "accepts 1 arg"},
		{[]string{"data", "export"}, "give the output file with -o"},
		{[]string{"data", "export", "-o", filepath.Join(dir, "a.out")}, "cannot tell the format"},
		{[]string{"data", "export", "-o", filepath.Join(dir, "a.csv"), "--format", "xml"}, `--format must be csv, xlsx or json (got "xml")`},
		{[]string{"data", "export", "-o", existing}, "exists; use --force to overwrite it"},
		{[]string{"bench", "generate", "-o", filepath.Join(dir, "b.csv"), "--layout", "diagonal"}, `the layout must be long or wide (got "diagonal")`},
		{[]string{"bench", "generate", "-o", filepath.Join(dir, "b.json")}, "--format must be csv or xlsx"},
		{[]string{"bench", "generate", "-o", filepath.Join(dir, "b.csv"), "--regions", "0"}, "number of regions"},
		// 2,900 × 120 × 20 = 6,960,000 rows, beyond a sheet's 1,048,576.
		{[]string{"bench", "generate", "-o", filepath.Join(dir, "b.xlsx")}, "at most 1,048,576 rows"},
	}
	for _, c := range cases {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			args := c.args
			if !strings.Contains(strings.Join(args, " "), "--lang") {
				args = append(args, "--lang", "en")
			}
			code, _, errs := run(t, args...)
			if code != exitUsage {
				t.Errorf("exit %d, want %d; stderr %s", code, exitUsage, errs)
			}
			if !strings.Contains(errs, c.want) {
				t.Errorf("stderr lacks %q:\n%s", c.want, errs)
			}
		})
	}
	if b, _ := os.ReadFile(existing); string(b) != "keep" {
		t.Error("export without --force changed an existing file")
	}
	// The Chinese message names the value too.
	if code, _, errs := run(t, "data", "list", "--format", "yaml"); code != exitUsage || !strings.Contains(errs, "--format 只能是") {
		t.Errorf("zh: exit %d: %s", code, errs)
	}
}

func TestDataExportRoundTrip(t *testing.T) {
	ds, err := analysis.PaperData()
	if err != nil {
		t.Fatal(err)
	}
	reg, err := dataset.LoadRegistry()
	if err != nil {
		t.Fatal(err)
	}
	cat, err := dataset.LoadCatalogue()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, format := range []string{"csv", "xlsx", "json"} {
		t.Run(format, func(t *testing.T) {
			path := filepath.Join(dir, "paper2019."+format)
			if code, _, errs := run(t, "data", "export", "-o", path); code != 0 {
				t.Fatalf("exit %d: %s", code, errs)
			}
			if code, _, errs := run(t, "data", "export", "-o", path); code != exitUsage || !strings.Contains(errs, "--force") {
				t.Errorf("second export without --force: exit %d: %s", code, errs)
			}
			if code, _, errs := run(t, "data", "export", "-o", path, "--force"); code != 0 {
				t.Errorf("--force: exit %d: %s", code, errs)
			}
			got := map[[3]string]float64{}
			if format == "json" {
				b, err := os.ReadFile(path)
				if err != nil {
					t.Fatal(err)
				}
				var v dataset.JSONView
				if err := json.Unmarshal(b, &v); err != nil {
					t.Fatal(err)
				}
				for _, o := range v.Observations {
					got[[3]string{o.Region, o.Indicator, strconv.Itoa(o.Year)}] = o.Value
				}
			} else {
				back, err := dataset.ReadFile(path, dataset.ReadOptions{Registry: reg, Catalogue: cat})
				if err != nil {
					t.Fatal(i18n.Message(err, "en"))
				}
				for o := range back.All() {
					got[[3]string{back.Regions[o.Region].Code, back.Indicators[o.Indicator].Code, strconv.Itoa(int(o.Year))}] = o.Value
				}
			}
			if len(got) != ds.Len() {
				t.Errorf("%d values re-imported, want %d", len(got), ds.Len())
			}
			for o := range ds.All() {
				k := [3]string{ds.Regions[o.Region].Code, ds.Indicators[o.Indicator].Code, strconv.Itoa(int(o.Year))}
				v, ok := got[k]
				// Excel keeps 15 significant digits; CSV and JSON are exact.
				if !ok || math.Abs(v-o.Value) > 1e-14*math.Abs(o.Value) {
					t.Errorf("%v: %v (%v), want %v", k, v, ok, o.Value)
				}
			}
		})
	}
	// "-o -" writes to stdout.
	code, out, _ := run(t, "data", "export", "-o", "-", "--format", "csv")
	if code != 0 || !strings.Contains(out, "region_code") {
		t.Errorf("stdout export: exit %d, %.100q", code, out)
	}
}

func TestDataFolderMerges(t *testing.T) {
	dir := t.TempDir()
	// Two files about Beijing: GDP 35,371.3亿元 and population 2,153.6万人
	// (values as written in the files).
	files := map[string]string{
		"a_gdp.csv": "地区,年份,地区生产总值(亿元)\n北京,2019,35371.3\n",
		"b_pop.csv": "地区,年份,常住人口(万人)\n北京,2019,2153.6\n",
		"notes.md":  "not data",
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	code, out, errs := run(t, "--data", dir, "--data-only", "data", "show", "110000", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var res showResult
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	vals := map[string]float64{}
	for _, o := range res.Observations {
		vals[o.Indicator] = o.Value
	}
	if len(vals) != 2 || vals["gdp"] != 35371.3 || vals["population"] != 2153.6 {
		t.Errorf("merged values %v", vals)
	}
	// The same value in two files is refused, naming both.
	if err := os.WriteFile(filepath.Join(dir, "c_gdp.csv"), []byte("地区,年份,地区生产总值(亿元)\n北京市,2019,1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errs = run(t, "--data", dir, "data", "list", "--lang", "en")
	if code != exitError || !strings.Contains(errs, "a_gdp.csv") || !strings.Contains(errs, "c_gdp.csv") {
		t.Errorf("conflicting folder: exit %d: %s", code, errs)
	}
	// A folder without data files.
	empty := t.TempDir()
	if code, _, errs := run(t, "--data", empty, "data", "list", "--lang", "en"); code != exitError || !strings.Contains(errs, "no CSV or XLSX") {
		t.Errorf("empty folder: exit %d: %s", code, errs)
	}
	// A malformed file in the folder: exit 3 naming it.
	bad := t.TempDir()
	if err := os.WriteFile(filepath.Join(bad, "x.csv"), []byte("地区,地区生产总值(亿元)\n北京,x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, errs := run(t, "--data", bad, "data", "list"); code != exitInvalid || !strings.Contains(errs, "x.csv 第2行") {
		t.Errorf("bad folder: exit %d: %s", code, errs)
	}
}

func TestDataValidateCOINr(t *testing.T) {
	dir := t.TempDir()
	meta := filepath.Join(dir, "iMeta.csv")
	data := filepath.Join(dir, "iData.csv")
	write := func(p, s string) {
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(meta, "iCode,iName,Level,Parent,Direction,Weight,Type\nFlights,International flights,1,Conn,1,1,Indicator\nConn,Connectivity,2,,1,1,Aggregate\n")
	write(data, "uCode,uName,Time,Flights\nAUT,Austria,2019,29.01\nBEL,Belgium,2019,31.88\n")
	code, out, errs := run(t, "data", "validate", "--coinr-meta", meta, data, "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var res validateResult
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	// Two units (AUT, BEL), one indicator, two values, year 2019.
	if !res.FreeUnits || res.Regions != 2 || res.Indicators != 1 || res.Observations != 2 || len(res.Years) != 1 || res.Years[0] != 2019 {
		t.Errorf("%+v", res)
	}
	write(data, "uCode,uName,Time,Flights\nAUT,Austria,2019,29.01\nBEL,Belgium,2019,lots\n")
	code, _, errs = run(t, "data", "validate", "--coinr-meta", meta, data, "--lang", "en")
	if code != exitInvalid || !strings.Contains(errs, "iData.csv, row 3, column 4") {
		t.Errorf("exit %d: %s", code, errs)
	}
	if code, _, _ := run(t, "data", "validate", "--coinr-meta", meta, data, "--sheet", "x"); code != exitUsage {
		t.Errorf("--sheet with --coinr-meta: exit %d", code)
	}
}

func TestBenchGenerateIsDeterministicAndLabelled(t *testing.T) {
	dir := t.TempDir()
	gen := func(name string, extra ...string) []byte {
		p := filepath.Join(dir, name)
		args := append([]string{"bench", "generate", "--regions", "3", "--indicators", "4", "--years", "2", "-o", p}, extra...)
		if code, _, errs := run(t, args...); code != 0 {
			t.Fatalf("exit %d: %s", code, errs)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	a, b, c := gen("a.csv", "--seed", "7"), gen("b.csv", "--seed", "7"), gen("c.csv", "--seed", "8")
	if !bytes.Equal(a, b) {
		t.Error("the same seed gave different files")
	}
	if bytes.Equal(a, c) {
		t.Error("different seeds gave the same file")
	}
	// 3 regions × 4 indicators × 2 years = 24 rows plus the header.
	if n := bytes.Count(a, []byte("\n")); n != 25 {
		t.Errorf("%d lines, want 25", n)
	}
	for _, w := range []string{"SYN-0001", "SYN-0003", "syn_004", ",synthetic\n"} {
		if !bytes.Contains(a, []byte(w)) {
			t.Errorf("file lacks %q", w)
		}
	}
	// The generated files import as free units with every value.
	for _, f := range []struct {
		name string
		args []string
		obs  int
	}{{"a.csv", nil, 24}, {"w.xlsx", []string{"--layout", "wide"}, 24}, {"l.xlsx", []string{"--layout", "long"}, 24}, {"w.csv", []string{"--layout", "wide"}, 24}} {
		if f.name != "a.csv" {
			gen(f.name, f.args...)
		}
		code, out, errs := run(t, "data", "validate", filepath.Join(dir, f.name), "--format", "json")
		var res validateResult
		if code != 0 || json.Unmarshal([]byte(out), &res) != nil {
			t.Fatalf("%s: exit %d: %s", f.name, code, errs)
		}
		if !res.FreeUnits || res.Regions != 3 || res.Indicators != 4 || res.Observations != f.obs {
			t.Errorf("%s: %+v", f.name, res)
		}
	}
	code, out, errs := run(t, "bench", "import", filepath.Join(dir, "a.csv"), "--format", "json")
	var res benchImportResult
	if code != 0 || json.Unmarshal([]byte(out), &res) != nil || res.Observations != 24 {
		t.Errorf("bench import: exit %d %s %s", code, out, errs)
	}
}
