package cli

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"unicode"

	"agglo/internal/composite"
	"agglo/internal/dataset"
)

// languageCommands are the commands whose default table output is scanned
// for the wrong language, each run with --lang zh and --lang en.
func languageCommands(t *testing.T) [][]string {
	dir := t.TempDir()
	rules := filepath.Join(dir, "rules.yaml")
	code, out, errs := run(t, "rules", "default")
	if code != 0 {
		t.Fatalf("rules default: %s", errs)
	}
	if err := os.WriteFile(rules, []byte(out), 0o644); err != nil {
		t.Fatal(err)
	}
	return [][]string{
		{"data", "list"},
		{"data", "list", "--level", "agglomeration"},
		{"data", "show", "BTH"},
		{"data", "show", "北京市", "--dataset", "census,city-connectivity,city-gdp-2015"},
		{"data", "sources"},
		{"replicate"},
		{"measure", "gini", "--indicator", "cric_composite", "--group", "agglomeration"},
		{"measure", "theil", "--dataset", "census", "--indicator", "population", "--group", "agglomeration", "--agglomeration", "all"},
		{"measure", "top-share", "--dataset", "census", "--indicator", "population", "--group", "agglomeration", "--panel"},
		{"measure", "rank-size", "--dataset", "census", "--indicator", "population"},
		{"measure", "moran", "--dataset", "census", "--indicator", "population", "--year", "2020", "--spatial-weights", "knn:6", "--permutations", "99", "--seed", "1"},
		{"measure", "dagum", "--dataset", "province-2019", "--indicator", "rd_intensity", "--group", "agglomeration"},
		{"measure", "convergence", "--dataset", "province-st", "--indicator", "rd_intensity", "--group", "agglomeration"},
		{"measure", "all", "--dataset", "census", "--indicator", "population", "--group", "agglomeration"},
		{"measure", "gini", "--dataset", "city-connectivity", "--indicator", "patents", "--group", "agglomeration"},
		{"measure", "lisa", "--dataset", "census", "--indicator", "population", "--year", "2020", "--spatial-weights", "knn:6", "--permutations", "99", "--seed", "1"},
		{"measure", "getis-ord", "--dataset", "census", "--indicator", "population", "--year", "2020", "--spatial-weights", "knn:6", "--star"},
		{"measure", "kernel", "--dataset", "census", "--indicator", "population", "--panel"},
		{"measure", "network", "--data", "../../testdata/reference/spatial/cities.csv", "--flows", "../../testdata/reference/network/flows_undirected.csv", "--mode", "max"},
		{"measure", "obstacle", "--framework", "cric"},
		{"measure", "dea", "--dataset", "province-2019", "--inputs", "rd_expenditure,rd_personnel_fte", "--outputs", "patent_grants"},
		{"index"},
		{"index", "audit"},
		{"index", "uncertainty", "--n", "20", "--seed", "1"},
		{"diagnose"},
		{"strategy"},
		{"rules", "check", rules},
	}
}

var (
	// Tokens of Latin script, with the characters that join a symbol or a
	// code (R&D, S2, R², knn-6).
	latinWord = regexp.MustCompile(`[A-Za-z][A-Za-z0-9&'’²_-]*`)
	// Identifiers: snake_case and key=value.
	snakeCase = regexp.MustCompile(`\b[a-z][a-z0-9]*_[a-z0-9_]+\b`)
	keyValue  = regexp.MustCompile(`\b[A-Za-z_]+=[A-Za-z0-9_]+`)
	// What a table may show whatever its language: repository ids
	// (owner/repo@commit and a path), file names and paths, flags with a
	// value, commands (agglo data show), numbers in e-notation.
	neutral = []*regexp.Regexp{
		regexp.MustCompile(`[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+(@[0-9a-f]{7,40})?(:[^\s，；（）]+)?(\s+[A-Za-z0-9_./-]+\.(csv|md|rda|xlsx|gz))?`),
		regexp.MustCompile(`\b[A-Za-z0-9_.-]+\.(csv|md|rda|xlsx|gz|yaml|json)\b`),
		regexp.MustCompile(`--[a-z][a-z-]*( [a-z]+\b)?`),
		regexp.MustCompile(`\bagglo( (data|measure|index|diagnose|strategy|rules|replicate|report|serve)\b( [a-z]+\b)?)?`),
		regexp.MustCompile(`\b\d+(\.\d+)?e[+-]?\d+\b`),
	}
	// Symbols, units, abbreviations and proper names a Chinese table may
	// carry: licence names, statistical symbols, the program's name, the
	// names of people, journals and organisations cited as sources.
	zhAllowed = map[string]bool{
		"MIT": true, "GDP": true, "R&D": true, "CV": true, "HHI": true, "DEA": true, "km": true, "km²": true, "R²": true,
		"S2": true, "S4": true, "S11": true, "PC1": true, "IMF": true, "agglo": true, "CRIC": true, "UNIDO": true, "Sobol": true,
		"Hu": true, "Huaping": true, "Lei": true, "Dong": true, "Xiaofan": true, "Liang": true, "Hidalgo": true, "Balland": true, "QuantUrban": true,
		"Computers": true, "Environment": true, "and": true, "Urban": true, "Systems": true, "Scientific": true, "Data": true, "c": true,
		"Gini": true, "Theil": true, "Moran": true, "Gi": true, "Geary": true, "Dagum": true, "Zipf": true, "Cronbach": true,
	}
	// The paper's title and authors may stand in English output.
	enAllowedCJK = []string{"新发展格局下中国五大城市群创新发展战略研究", "张秋凤", "牟绍波"}
)

// languageNames are the names a table may show in either language: the
// registry's place names (Chinese and English) with the titles of the
// plans that define the agglomerations (cited documents, like the paper's
// title), the agglomeration codes (anywhere, as region codes are), and the
// codes of indicators, framework nodes and built-in data sets, which may
// open a table row (a code column beside the name).
func languageNames(t *testing.T) (zhPlaces, enPlaces []string, codes, columnCodes map[string]bool) {
	reg, err := dataset.LoadRegistry()
	if err != nil {
		t.Fatal(err)
	}
	cat, err := dataset.LoadCatalogue()
	if err != nil {
		t.Fatal(err)
	}
	codes = map[string]bool{"CN": true, "FIVE": true, "SET": true}
	columnCodes = map[string]bool{}
	for _, id := range dataset.BuiltinIDs() {
		columnCodes[id] = true
	}
	for _, ind := range cat.List() {
		columnCodes[ind.Code] = true
	}
	for _, c := range composite.BuiltinCodes() {
		fw, err := composite.Builtin(c)
		if err != nil {
			t.Fatal(err)
		}
		for _, ind := range fw.Indicators {
			columnCodes[ind.Code] = true
		}
		for _, a := range fw.Aggregates {
			columnCodes[a.Code] = true
		}
	}
	for _, r := range reg.Regions() {
		zhPlaces = append(zhPlaces, r.NameZH, r.ShortZH)
		enPlaces = append(enPlaces, r.NameEN)
		if r.Level == dataset.LevelAgglomeration {
			codes[r.Code] = true
			if r.Agglomeration != nil {
				zhPlaces = append(zhPlaces, r.Agglomeration.Plan)
			}
		}
	}
	byLen := func(s []string) {
		sort.Slice(s, func(i, j int) bool { return len(s[i]) > len(s[j]) })
	}
	byLen(zhPlaces)
	byLen(enPlaces)
	return zhPlaces, enPlaces, codes, columnCodes
}

// formulaLine reports whether a line states a formula (its label says so):
// formulas keep their symbols and words in both languages.
func formulaLine(line string) bool {
	s := strings.TrimSpace(line)
	return strings.HasPrefix(s, "公式") || strings.HasPrefix(s, "推算公式") || strings.HasPrefix(s, "formula") || strings.HasPrefix(s, "derivation")
}

// TestOutputLanguage runs the default table output of every command in
// Chinese and English and scans it: no identifiers (snake_case, key=value)
// in either language; no English words in Chinese (licence names,
// repository ids, units, statistical symbols, abbreviations such as GDP
// and R&D, the names of people and journals cited, place names and the
// codes of agglomerations and data sets excepted, and formula lines); no
// Chinese in English (place names and the paper's title excepted).
func TestOutputLanguage(t *testing.T) {
	zhPlaces, enPlaces, codes, columnCodes := languageNames(t)
	for _, args := range languageCommands(t) {
		for _, lang := range []string{"zh", "en"} {
			code, out, errs := run(t, append(slices.Clone(args), "--lang", lang)...)
			if code != 0 {
				t.Errorf("%v --lang %s: exit %d: %s", args, lang, code, errs)
				continue
			}
			if strings.TrimSpace(out) == "" {
				t.Errorf("%v --lang %s: no output", args, lang)
			}
			// Results on stdout, warnings and progress on stderr: both
			// are the user's.
			for _, p := range scanLanguage(out+"\n"+errs, lang, zhPlaces, enPlaces, codes, columnCodes) {
				t.Errorf("%v --lang %s: %s", args, lang, p)
			}
		}
	}
}

// scanLanguage lists the problems of one output in lang.
func scanLanguage(out, lang string, zhPlaces, enPlaces []string, codes, columnCodes map[string]bool) []string {
	var probs []string
	seen := map[string]bool{}
	report := func(kind, tok, line string) {
		if key := kind + tok; !seen[key] {
			seen[key] = true
			probs = append(probs, kind+" "+tok+" in: "+strings.TrimSpace(line))
		}
	}
	for _, line := range strings.Split(out, "\n") {
		if formulaLine(line) {
			continue
		}
		s := line
		// A code opening a row is the row's code column.
		if f := strings.Fields(s); len(f) > 0 && columnCodes[f[0]] {
			s = strings.Replace(s, f[0], " ", 1)
		}
		for _, re := range neutral {
			s = re.ReplaceAllString(s, " ")
		}
		for _, id := range snakeCase.FindAllString(s, -1) {
			report("identifier", id, line)
		}
		for _, kv := range keyValue.FindAllString(s, -1) {
			report("key=value", kv, line)
		}
		if lang == "zh" {
			for _, p := range enPlaces {
				if p != "" {
					s = strings.ReplaceAll(s, p, " ")
				}
			}
			for _, w := range latinWord.FindAllString(s, -1) {
				w = strings.TrimRight(w, "-'’")
				if len([]rune(w)) == 1 || zhAllowed[w] || codes[w] {
					continue // a symbol (z, p, n, q, I), an allowed word or a code
				}
				report("English word", w, line)
			}
			continue
		}
		for _, a := range enAllowedCJK {
			s = strings.ReplaceAll(s, a, " ")
		}
		for _, p := range zhPlaces {
			if p != "" {
				s = strings.ReplaceAll(s, p, " ")
			}
		}
		for _, r := range s {
			if unicode.Is(unicode.Han, r) || r >= 0x3000 && r <= 0x303f || r >= 0xff00 && r <= 0xffef {
				report("Chinese", string(r), line)
			}
		}
	}
	return probs
}

// TestScanLanguage checks the scanner itself on made-up lines.
func TestScanLanguage(t *testing.T) {
	zh, en, codes, cols := []string{"北京市"}, []string{"Beijing"}, map[string]bool{"BTH": true}, map[string]bool{"cric_composite": true}
	for _, c := range []struct {
		out, lang string
		want      int
	}{
		{"京津冀城市群（BTH） R&D 经费，z = 1.2，MIT 许可", "zh", 0},
		{"来源 leiii/census@0ba0f1efae092f4aa6569ef38e53b3bb4d2f0087 data/census/census_city_2010-2020_v1.csv", "zh", 0},
		{"开放模式 openness_mode=balanced", "zh", 4}, // identifier, key=value, two English words
		{"cric_composite  综合值  0.94", "zh", 0},   // a code column
		{"组 cric_composite", "zh", 2},            // a code in running text
		{"facts quoted from a publication", "zh", 4},
		{"公式: T = Σ p_i between/within decomposition", "zh", 0},
		{"Beijing (北京市) has 2 cores", "en", 0},
		{"the cores' share：51.6%", "en", 1},
		{"data: city data (专利数 2017)", "en", 3},
	} {
		if got := scanLanguage(c.out, c.lang, zh, en, codes, cols); len(got) != c.want {
			t.Errorf("%q (%s): %d problems %v, want %d", c.out, c.lang, len(got), got, c.want)
		}
	}
}

// TestUsageErrorsChinese: cobra's and pflag's own messages (wrong number
// of arguments, unknown command or flag, a bad flag value) read in
// Chinese under --lang zh and stay English under --lang en.
func TestUsageErrorsChinese(t *testing.T) {
	zhPlaces, enPlaces, codes, columnCodes := languageNames(t)
	for _, c := range []struct {
		args []string
		zh   string
	}{
		{[]string{"rules", "check"}, "需要 1 个参数（收到 0 个）"},
		{[]string{"diagnose", "extra"}, "未知命令“extra”（agglo diagnose）"},
		{[]string{"nosuch"}, "未知命令“nosuch”（agglo）"},
		{[]string{"measure", "gini", "--nosuch"}, "未知参数 --nosuch"},
		{[]string{"measure", "gini", "--year", "abc"}, "参数 --year 的取值“abc”无效"},
		{[]string{"index", "uncertainty", "--n"}, "参数 --n 需要取值"},
	} {
		code, _, errs := run(t, c.args...)
		if code != exitUsage || !strings.Contains(errs, c.zh) {
			t.Errorf("%v: exit %d, %q, want %q", c.args, code, errs, c.zh)
		}
		// What the user typed is echoed in quotes.
		quoted := regexp.MustCompile(`“[^”]*”`).ReplaceAllString(errs, "“”")
		for _, p := range scanLanguage(quoted, "zh", zhPlaces, enPlaces, codes, columnCodes) {
			t.Errorf("%v: %s", c.args, p)
		}
		if _, _, en := run(t, append(slices.Clone(c.args), "--lang", "en")...); strings.Contains(en, c.zh) {
			t.Errorf("%v --lang en: %q", c.args, en)
		}
	}
}
