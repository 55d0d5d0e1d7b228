package composite

import (
	"context"
	"math"
	"testing"
)

func TestCronbachAlphaHand(t *testing.T) {
	// Hand calculation: x1 = (1,2,3), x2 = (2,4,6): var 1 and 4, total
	// (3,6,9) var 9; alpha = 2·(1 − 5/9) = 8/9.
	a, n := CronbachAlpha([][]float64{{1, 2, 3}, {2, 4, 6}})
	if n != 3 || math.Abs(a-8.0/9) > 1e-15 {
		t.Errorf("alpha %v n %d", a, n)
	}
}

func TestCorrP(t *testing.T) {
	// Hand calculation: r = 0.5, n = 6 → t = 0.5·sqrt(4/0.75) = 1.1547;
	// t with 4 df: two-sided p = 1 − |t|/sqrt(t² + 4)... for ν = 4 the CDF
	// is closed form: P(|T| > t) = 1 − (3/2·s − 1/2·s³) with
	// s = t/sqrt(t²+4) = 0.5 → 1 − (0.75 − 0.0625) = 0.3125.
	if p := corrP(0.5, 6); math.Abs(p-0.3125) > 1e-12 {
		t.Errorf("p = %v, want 0.3125", p)
	}
}

func TestAuditTable3(t *testing.T) {
	fw, _ := Builtin("cric")
	d := table3Data()
	res, err := Build(context.Background(), fw, d, Options{})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := Audit(fw, d, res, 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Indicators) != 5 || rep.Indicators[0].N != 13 || rep.Indicators[0].Max != 74.4 {
		t.Errorf("stats %+v", rep.Indicators[0])
	}
	c := rep.Correlations
	if len(c.Codes) != 5 || c.Pearson[1][1] != 1 || c.Pearson[0][2] != c.Pearson[2][0] {
		t.Errorf("correlations %v", c.Codes)
	}
	// Spearman of a variable with itself is 1.
	if math.Abs(float64(c.Spearman[3][3])-1) > 1e-12 {
		t.Errorf("spearman %v", c.Spearman[3][3])
	}
	if len(rep.Groups) != 1 || rep.Groups[0].PCA == nil || len(rep.Groups[0].PCA.VarianceExplained) != 5 {
		t.Fatalf("groups %+v", rep.Groups)
	}
	var s float64
	for _, v := range rep.Groups[0].PCA.VarianceExplained {
		s += v
	}
	if math.Abs(s-1) > 1e-12 {
		t.Errorf("variance explained sums to %v", s)
	}
	// Beijing is first of 13 on knowledge creation (74.4).
	if p := rep.Units[0]; p.Strengths[0] != "cric_knowledge_creation" {
		t.Errorf("Beijing profile %+v", p)
	}
}
