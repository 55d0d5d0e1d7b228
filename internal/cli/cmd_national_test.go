package cli

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// Fixtures of the national picture (testdata/SOURCE.md): the census of the
// cities (Chinese cities, members of agglomerations), synthetic free units,
// and the national totals of 2019 (one unit: the nation).
const (
	censusFixture   = "../../testdata/china2019/city_census_2010_2020.csv"
	freeFixture     = "../../testdata/synthetic/free_units_30x6x3.csv"
	nationalFixture = "../../testdata/china2019/national_2019_long.csv"
)

// reportJSON is what the national tests read of a report's JSON.
type reportJSON struct {
	Title    struct{ ZH, EN string } `json:"title"`
	Sections []struct {
		ID     string          `json:"id"`
		Blocks json.RawMessage `json:"blocks"`
	} `json:"sections"`
}

func (r reportJSON) ids() []string {
	var out []string
	for _, s := range r.Sections {
		out = append(out, s.ID)
	}
	return out
}

func (r reportJSON) section(id string) string {
	for _, s := range r.Sections {
		if s.ID == id {
			return string(s.Blocks)
		}
	}
	return ""
}

// agglo report --data gives the national picture in every format: the
// census of the cities with the diagnosis of the agglomerations present,
// and free units with the national picture and the structure only, saying
// why.
func TestReportNationalData(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		name, file string
		want, not  []string // section IDs present and absent
		says       string   // text of the national section
	}{
		{"census", censusFixture, []string{"national", "strategy", "structure", "replication"}, nil, "诊断了其中"},
		{"free", freeFixture, []string{"national", "structure", "provenance"}, []string{"strategy", "replication", "status", "summary"}, "不属于任何城市群"},
	} {
		out := filepath.Join(dir, c.name+".json")
		if code, _, errs := run(t, "report", "--data", c.file, "--data-only", "--national-runs", "50", "-o", out); code != 0 {
			t.Fatalf("%s: exit %d: %s", c.name, code, errs)
		}
		b, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		var r reportJSON
		if err := json.Unmarshal(b, &r); err != nil {
			t.Fatal(err)
		}
		for _, id := range c.want {
			if !slices.Contains(r.ids(), id) {
				t.Errorf("%s: no section %s in %v", c.name, id, r.ids())
			}
		}
		for _, id := range c.not {
			if slices.Contains(r.ids(), id) {
				t.Errorf("%s: section %s in a report of free units", c.name, id)
			}
		}
		nat := r.section("national")
		for _, want := range []string{c.says, `"national-distribution-table"`, `"national-top"`, `"national-uncertainty"`, `"national-units"`, "基尼系数"} {
			if !strings.Contains(nat, want) {
				t.Errorf("%s: the national section lacks %s", c.name, want)
			}
		}
		// The census's cities are on the map; free units get a ranked chart.
		chart := map[string]string{"census": `"national-map"`, "free": `"national-ranked"`}[c.name]
		if !strings.Contains(nat, chart) {
			t.Errorf("%s: the national section lacks %s", c.name, chart)
		}
		// Every other format is written.
		for _, f := range []struct{ ext, want string }{{"html", "national-distribution-table"}, {"md", "基尼系数"}, {"docx", "word/document.xml"}, {"xlsx", "xl/workbook.xml"}} {
			path := filepath.Join(dir, c.name+"."+f.ext)
			if code, _, errs := run(t, "report", "--data", c.file, "--data-only", "--national-runs", "50", "-o", path); code != 0 {
				t.Fatalf("%s %s: exit %d: %s", c.name, f.ext, code, errs)
			}
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(b), f.want) {
				t.Errorf("%s %s: lacks %q", c.name, f.ext, f.want)
			}
		}
	}
}

// Commands that find no unit they can use exit 1 and say so, naming the
// file and what was looked for, in the user's language only.
func TestNoUnitsExit(t *testing.T) {
	zhPlaces, enPlaces, codes, columnCodes := languageNames(t)
	dir := t.TempDir()
	fw := filepath.Join(dir, "fw.yaml")
	if err := os.WriteFile(fw, []byte(`code: t
name_zh: 研发指数
name_en: R&D index
normalisation: {method: minmax, lower: 0, upper: 100}
levels:
  - {level: 2, weights: {method: equal}, aggregation: {method: arithmetic}}
indicators:
  - {code: rd_expenditure, name_zh: R&D经费, name_en: R&D expenditure, direction: 1, parent: t_index}
  - {code: rd_intensity, name_zh: R&D经费投入强度, name_en: R&D intensity, direction: 1, parent: t_index}
aggregates:
  - {code: t_index, name_zh: 研发指数, name_en: R&D index}
`), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args   []string
		zh, en string
	}{
		{[]string{"report", "--data", nationalFixture, "-o", filepath.Join(dir, "r.html")}, "没有省份、城市、区县或自由单元", "not for provinces, cities, counties or free units"},
		{[]string{"index", "--data", nationalFixture, "--data-only", "--framework", fw}, "没有一个单元能算出", "no unit gets the index"},
		{[]string{"index", "audit", "--data", nationalFixture, "--data-only", "--framework", fw}, "没有一个单元能算出", "no unit gets the index"},
		{[]string{"index", "uncertainty", "--n", "10", "--data", nationalFixture, "--data-only", "--framework", fw}, "没有一个单元能算出", "no unit gets the index"},
		{[]string{"strategy", "--data", freeFixture, "--data-only"}, "自由单元", "free units"},
		{[]string{"diagnose", "--data", nationalFixture, "--data-only"}, "没有可诊断的城市群", "no agglomeration to diagnose"},
		{[]string{"diagnose", "--data", freeFixture, "--data-only"}, "自由单元", "free units"},
		{[]string{"measure", "all", "--indicator", "rd_expenditure", "--group", "agglomeration", "--data", nationalFixture, "--data-only"}, "没有可按城市群分组的单元", "no unit can be grouped by agglomeration"},
		{[]string{"measure", "gini", "--indicator", "syn_001", "--group", "agglomeration", "--data", freeFixture, "--data-only"}, "无法按城市群分组", "cannot be grouped by agglomeration"},
	} {
		file := filepath.Base(c.args[slices.Index(c.args, "--data")+1])
		for _, lang := range []string{"zh", "en"} {
			code, _, errs := run(t, append(slices.Clone(c.args), "--lang", lang)...)
			if code != 1 {
				t.Errorf("%v --lang %s: exit %d, want 1: %s", c.args, lang, code, errs)
				continue
			}
			want := map[string][]string{"zh": {"数据 " + file, "中没有可用的单元", c.zh}, "en": {"no usable unit in the data " + file, c.en}}[lang]
			for _, w := range want {
				if !strings.Contains(errs, w) {
					t.Errorf("%v --lang %s: %q lacks %q", c.args, lang, errs, w)
				}
			}
			for _, p := range scanLanguage(errs, lang, zhPlaces, enPlaces, codes, columnCodes) {
				t.Errorf("%v --lang %s: %s", c.args, lang, p)
			}
		}
	}
}

// --max-regions and --max-indicators bound an import: the message names
// the file, the row (and column) where the limit was passed and the flag;
// the free fixture has 18 rows a region (6 indicators × 3 years), so its
// 11th region opens row 182, and its 4th indicator row 11, column 2.
func TestRegionAndIndicatorLimits(t *testing.T) {
	for _, c := range []struct {
		args []string
		code int
		want []string
	}{
		{[]string{"data", "validate", freeFixture, "--max-regions", "10"}, 3, []string{"free_units_30x6x3.csv", "row 182: the file names more than 10 regions", "--max-regions"}},
		{[]string{"data", "validate", freeFixture, "--max-indicators", "3"}, 3, []string{"free_units_30x6x3.csv", "row 11, column 2: the file names more than 3 indicators", "--max-indicators"}},
		{[]string{"data", "validate", freeFixture, "--max-regions", "30", "--max-indicators", "6"}, 0, nil},
		{[]string{"data", "validate", freeFixture, "--max-regions", "0"}, 2, []string{"--max-regions must be positive"}},
		{[]string{"data", "validate", freeFixture, "--max-indicators", "-1"}, 2, []string{"--max-indicators must be positive"}},
	} {
		code, out, errs := run(t, append(c.args, "--lang", "en")...)
		if code != c.code {
			t.Errorf("%v: exit %d, want %d: %s", c.args, code, c.code, errs)
		}
		for _, w := range c.want {
			if !strings.Contains(out+errs, w) {
				t.Errorf("%v: %q lacks %q", c.args, out+errs, w)
			}
		}
	}
}

// agglo bench report --compare runs the bare read and the report on a tiny
// file and reports each round's times, ratio and memory in JSON.
func TestBenchReportCompare(t *testing.T) {
	code, out, errs := run(t, "bench", "report", "--compare", "--repeat", "1", "--data-only", "--data", freeFixture, "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var r struct {
		Units  int `json:"units"`
		Rounds []struct {
			Reference float64 `json:"reference_seconds"`
			Report    float64 `json:"report_seconds"`
			Ratio     float64 `json:"ratio"`
			RSS       float64 `json:"peak_rss_mib"`
			HTML      int64   `json:"html_bytes"`
		} `json:"rounds"`
		Median     float64 `json:"median_ratio"`
		GOMAXPROCS int     `json:"gomaxprocs"`
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if r.Units != 30 || len(r.Rounds) != 1 || r.GOMAXPROCS < 1 {
		t.Fatalf("units %d, %d rounds, GOMAXPROCS %d; want 30, 1", r.Units, len(r.Rounds), r.GOMAXPROCS)
	}
	x := r.Rounds[0]
	if !(x.Reference > 0 && x.Report > 0 && x.HTML > 0 && x.RSS > 0) || math.Abs(x.Ratio-x.Report/x.Reference) > 1e-9*x.Ratio || r.Median != x.Ratio {
		t.Errorf("round %+v, median %v", x, r.Median)
	}
	// --compare reads CSV only; one file is needed.
	if code, _, _ := run(t, "bench", "report", "--compare", "--repeat", "1", "a.xlsx"); code != 2 {
		t.Errorf("--compare on XLSX: exit %d, want 2", code)
	}
	if code, _, _ := run(t, "bench", "report", "--repeat", "1"); code != 2 {
		t.Errorf("no file: exit %d, want 2", code)
	}
}

// The national picture of a report in Markdown, as the command writes it,
// has no English words or identifiers in Chinese and no Chinese in English
// (the scanner of TestOutputLanguage), on the census of the cities.
func TestNationalReportLanguage(t *testing.T) {
	zhPlaces, enPlaces, codes, columnCodes := languageNames(t)
	// The census file's own indicator names (its headers) are names of the
	// data, as place names are.
	columnCodes["popu_urban"], columnCodes["popu"] = true, true
	for _, lang := range []string{"zh", "en"} {
		code, out, errs := run(t, "report", "--data", censusFixture, "--data-only", "--national-runs", "50", "--format", "md", "-o", "-", "--lang", lang)
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", lang, code, errs)
		}
		start := strings.Index(out, map[string]string{"zh": "全部单元概览", "en": "The national picture"}[lang])
		if start < 0 {
			t.Fatalf("%s: no national picture in the report", lang)
		}
		part := out[start:]
		if end := strings.Index(part, "\n## "); end > 0 {
			part = part[:end]
		}
		if len(part) < 2000 {
			t.Errorf("%s: only %d bytes of the national picture", lang, len(part))
		}
		part = strings.NewReplacer("popu_urban", "", "popu", "").Replace(part)
		for i, p := range scanLanguage(part, lang, zhPlaces, enPlaces, codes, columnCodes) {
			if i == 20 {
				break
			}
			t.Errorf("%s: %s", lang, p)
		}
	}
}
