package coinr

import (
	"context"
	"math"
	"strings"
	"testing"

	"agglo/internal/analysis"
	"agglo/internal/composite"
	"agglo/internal/i18n"
)

func readBoth(t *testing.T, data, meta string) (*IData, *IMeta) {
	t.Helper()
	m, err := ReadIMeta(strings.NewReader(meta), "iMeta.csv")
	if err != nil {
		t.Fatal(err)
	}
	d, err := ReadIData(strings.NewReader(data), "iData.csv", m.GroupCodes()...)
	if err != nil {
		t.Fatal(err)
	}
	return d, m
}

func TestFrameworkAndTable(t *testing.T) {
	meta := `iCode,iName,Level,Parent,Direction,Weight,Type,Unit,Target
a,A,1,g1,1,1,Indicator,,
b,B,1,g1,-1,3,Indicator,,
c,C,1,g2,1,1,Indicator,,
g1,G1,2,Index,1,1,Aggregate,,
g2,G2,2,Index,1,1,Aggregate,,
Index,Index,3,,1,,Aggregate,,
`
	data := `uCode,uName,Group_X,Time,a,b,c
u1,U1,x,2020,0,0,5
u2,U2,y,2020,10,10,NA
u1,U1,x,2021,1,1,1
u2,U2,y,2021,2,2,2
`
	d, m := readBoth(t, data, meta)
	fw, err := Framework(m)
	if err != nil {
		t.Fatal(i18n.Message(err, "en"))
	}
	// The framework knows both aggregation levels though iMeta lists no
	// methods.
	if fw.NumLevels() != 3 || len(fw.Steps.Levels) != 2 {
		t.Fatalf("levels %d, steps %+v", fw.NumLevels(), fw.Steps.Levels)
	}
	if _, err := Table(d, ""); err == nil {
		t.Fatal("panel data without time accepted")
	}
	tab, err := Table(d, "2020")
	if err != nil {
		t.Fatal(err)
	}
	res, err := composite.Build(context.Background(), fw, tab, composite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	// Hand calculation (min-max 0-100, direction applied first, b is
	// multiplied by −1 so u1 (b=0) is its best): u1: a=0, b=100 (reversed);
	// c has one value, so min = max and COINr returns NaN; g1 = (0·1 +
	// 100·3)/4 = 75, g2 = NaN skipped, index 75. u2: a=100, b=0 → g1 = 25,
	// index 25.
	if got := float64(res.Units[0].Index); got != 75 || float64(res.Units[1].Index) != 25 || !math.IsNaN(float64(res.Units[0].Levels["g2"])) {
		t.Errorf("units %+v", res.Units)
	}
	if tab.Units[1].Groups["Group_X"] != "y" || Period(d, "2020") != "2020" {
		t.Errorf("groups %+v", tab.Units)
	}
	bad := strings.Replace(meta, "g1,G1,2,Index", "g1,G1,3,Index", 1)
	_, m2 := readBoth(t, data, bad)
	if _, err := Framework(m2); err == nil || !strings.Contains(err.Error(), "row 5") {
		t.Errorf("level mismatch: %v", err)
	}
	// An unknown parent is reported at its iMeta row.
	bad = strings.Replace(meta, "c,C,1,g2", "c,C,1,g9", 1)
	_, m3 := readBoth(t, data, bad)
	if _, err := Framework(m3); err == nil || !strings.Contains(i18n.Message(err, "en"), "iMeta.csv row 4") || !strings.Contains(i18n.Message(err, "zh"), "第 4 行") {
		t.Errorf("unknown parent: %v", err)
	}
}

// The path of agglo index --coinr-data --coinr-meta --normalise zscore:10,1
// --aggregate geometric, on a table written out here. COINr 1.1.14's ASEM
// example (ASEM_iData, ASEM_iMeta) is stored as .rda files that this
// repository does not hold, so the same path is checked against a hand
// calculation instead: z-scores with the sample standard deviation
// (COINr n_zscore), then weighted geometric means (COINr a_gmean) that skip
// a missing child and rescale the weights over the children present.
func TestZScoreGeometricAsCOINr(t *testing.T) {
	meta := `iCode,iName,Level,Parent,Direction,Weight,Type
x1,X1,1,P1,1,1,Indicator
x2,X2,1,P1,-1,2,Indicator
x3,X3,1,P2,1,1,Indicator
x4,X4,1,P2,1,3,Indicator
P1,Pillar 1,2,Index,1,1,Aggregate
P2,Pillar 2,2,Index,1,2,Aggregate
Index,Index,3,,1,1,Aggregate
`
	// Unit U3 lacks x1, the framework's first indicator; U5 lacks x4.
	data := `uCode,uName,x1,x2,x3,x4
U1,One,3,10,5,2
U2,Two,7,4,1,6
U3,Three,NA,8,4,4
U4,Four,1,2,9,8
U5,Five,5,6,2,NA
`
	d, m := readBoth(t, data, meta)
	fw, err := Framework(m)
	if err != nil {
		t.Fatal(err)
	}
	tab, err := Table(d, "")
	if err != nil {
		t.Fatal(err)
	}
	o, err := analysis.ParseOverrides(analysis.OverrideText{Normalisation: "zscore:10,1", Aggregation: "geometric"})
	if err != nil {
		t.Fatal(err)
	}
	res, err := analysis.Index(context.Background(), nil, analysis.IndexRequest{Framework: fw, Table: tab, Overrides: o})
	if err != nil {
		t.Fatal(i18n.Message(err, "en"))
	}
	nan := math.NaN()
	cols := [][]float64{{3, 7, nan, 1, 5}, {-10, -4, -8, -2, -6}, {5, 1, 4, 9, 2}, {2, 6, 4, 8, nan}} // x2 reversed (Direction −1)
	z := make([][]float64, len(cols))
	for k, c := range cols {
		var s, n float64
		for _, v := range c {
			if !math.IsNaN(v) {
				s, n = s+v, n+1
			}
		}
		mean, ss := s/n, 0.0
		for _, v := range c {
			if !math.IsNaN(v) {
				ss += (v - mean) * (v - mean)
			}
		}
		sd := math.Sqrt(ss / (n - 1))
		z[k] = make([]float64, len(c))
		for i, v := range c {
			z[k][i] = (v-mean)/sd + 10
		}
	}
	gmean := func(x, w []float64) float64 {
		var s, sw float64
		for i, v := range x {
			if !math.IsNaN(v) {
				s, sw = s+w[i]*math.Log(v), sw+w[i]
			}
		}
		return math.Exp(s / sw)
	}
	for i, u := range res.Units {
		p1 := gmean([]float64{z[0][i], z[1][i]}, []float64{1.0 / 3, 2.0 / 3})
		p2 := gmean([]float64{z[2][i], z[3][i]}, []float64{0.25, 0.75})
		want := gmean([]float64{p1, p2}, []float64{1.0 / 3, 2.0 / 3})
		if math.IsNaN(float64(u.Index)) || math.Abs(float64(u.Index)-want) > 1e-12 {
			t.Errorf("%s: %v, want %v", u.Code, float64(u.Index), want)
		}
	}
	if len(res.Units) != 5 {
		t.Errorf("%d units: a unit missing an indicator was dropped", len(res.Units))
	}
	for _, lm := range res.Methods {
		if lm.Aggregation.Method != "geometric" {
			t.Errorf("level %d aggregated by %s", lm.Level, lm.Aggregation.Method)
		}
	}
}

// FuzzFramework checks that no iMeta makes the conversion to a framework
// panic, and that a framework it returns is complete.
func FuzzFramework(f *testing.F) {
	f.Add("iCode,iName,Level,Parent,Direction,Weight,Type\nx,X,1,I,1,1,Indicator\nI,Index,2,,1,,Aggregate\n")
	f.Add("iCode,iName,Level,Parent,Direction,Weight,Type\nx,\"a\"\"b: c\",1,I,-1,2,Indicator\nI,I,3,,1,1,Aggregate\n")
	f.Add("iCode,iName,Level,Parent,Direction,Weight,Type\nx,X,1,x,1,1,Indicator\n")
	f.Fuzz(func(t *testing.T, s string) {
		m, err := ReadIMeta(strings.NewReader(s), "iMeta.csv")
		if err != nil {
			return
		}
		fw, err := Framework(m)
		if err != nil {
			if i18n.Message(err, "zh") == "" || i18n.Message(err, "en") == "" {
				t.Fatalf("empty message: %v", err)
			}
			return
		}
		if fw.NumLevels() < 2 || len(fw.Steps.Levels) != fw.NumLevels()-1 {
			t.Fatalf("framework with %d levels and %d level steps", fw.NumLevels(), len(fw.Steps.Levels))
		}
	})
}
