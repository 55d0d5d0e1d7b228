package cli

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// Group tables print only the columns some group fills: primacy and the
// profile have no contribution or share (issue: empty 值/贡献/贡献率).
func TestMeasureGroupColumnsNotEmpty(t *testing.T) {
	for _, method := range []string{"primacy", "all"} {
		_, out, errs := run(t, "measure", method, "--indicator", "cric_composite", "--group", "agglomeration")
		if errs != "" {
			t.Fatalf("%s: %s", method, errs)
		}
		hdr := ""
		for _, line := range strings.Split(out, "\n") {
			if strings.HasPrefix(line, "组 ") {
				hdr = line
			}
		}
		if hdr == "" {
			t.Fatalf("%s: no group table:\n%s", method, out)
		}
		for _, col := range []string{"贡献", "贡献率"} {
			if strings.Contains(hdr, col) {
				t.Errorf("%s: empty column %s in %q", method, col, hdr)
			}
		}
		if method == "all" && strings.Contains(hdr, " 值 ") {
			t.Errorf("all: empty column 值 in %q", hdr)
		}
		if regexp.MustCompile(`[a-z]+_[a-z0-9]+|\bs11\b|\bmethod\b`).MatchString(out) {
			t.Errorf("%s: identifiers in the Chinese output:\n%s", method, out)
		}
	}
	// Theil keeps its contributions.
	_, out, _ := run(t, "measure", "theil", "--indicator", "cric_composite", "--group", "agglomeration")
	if !strings.Contains(out, "贡献率") {
		t.Errorf("theil lost its contributions:\n%s", out)
	}
}

// The steps table names methods and settings in words, not JSON.
func TestIndexStepsReadable(t *testing.T) {
	_, out, _ := run(t, "index", "--normalise", "minmax:1,100", "--weights", "entropy")
	for _, want := range []string{"标准化", "最小-最大", "区间 [1, 100]", "熵权法", "算术平均"} {
		if !strings.Contains(out, want) {
			t.Errorf("lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, `{"method"`) {
		t.Errorf("raw JSON in the steps:\n%s", out)
	}
}

// Uncertainty rows follow the nominal ranks, and the seed and the choices
// are stated.
func TestUncertaintySortedByNominalRank(t *testing.T) {
	_, out, errs := run(t, "index", "uncertainty", "--n", "50", "--seed", "7", "--lang", "en")
	var ranks []int
	for _, line := range strings.Split(out, "\n") {
		f := strings.Fields(line)
		if len(f) >= 3 && regexp.MustCompile(`^\d{6}$`).MatchString(f[0]) {
			// code, name (one word for provinces in English), nominal rank
			for _, x := range f[1:] {
				if n, err := strconv.Atoi(x); err == nil {
					ranks = append(ranks, n)
					break
				}
			}
		}
	}
	if len(ranks) != 13 {
		t.Fatalf("%d rows (stderr %s):\n%s", len(ranks), errs, out)
	}
	for i := 1; i < len(ranks); i++ {
		if ranks[i] < ranks[i-1] {
			t.Errorf("row %d: nominal rank %d after %d", i, ranks[i], ranks[i-1])
		}
	}
	for _, want := range []string{"seed 7", "weight noise", "z-score"} {
		if !strings.Contains(out, want) {
			t.Errorf("lacks %q:\n%s", want, out)
		}
	}
}

// agglo diagnose reads in 100 terminal columns in Chinese, with names and
// labels instead of codes.
func TestDiagnoseTableFits(t *testing.T) {
	_, out, _ := run(t, "diagnose")
	for _, line := range strings.Split(out, "\n") {
		if w := width(line); w > 100 {
			t.Errorf("line %d columns wide: %q", w, line)
		}
	}
	if m := regexp.MustCompile(`[A-Za-z][a-z]+[-_][a-z]+|\b(BTH|YRD|province|agree|disagree)\b`).FindString(out); m != "" {
		t.Errorf("identifier %q in the Chinese table:\n%s", m, out)
	}
	for _, want := range []string{"京津冀城市群", "空间模式", "论文的判断"} {
		if !strings.Contains(out, want) {
			t.Errorf("lacks %q", want)
		}
	}
}
