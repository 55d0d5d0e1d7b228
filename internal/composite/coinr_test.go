package composite

import (
	"context"
	"math"
	"strings"
	"testing"

	"agglo/internal/coinr"
)

func TestFromCOINr(t *testing.T) {
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
	m, err := coinr.ReadIMeta(strings.NewReader(meta), "iMeta.csv")
	if err != nil {
		t.Fatal(err)
	}
	d, err := coinr.ReadIData(strings.NewReader(data), "iData.csv")
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := FromCOINr(d, m, ""); err == nil {
		t.Fatal("panel data without time accepted")
	}
	fw, dd, err := FromCOINr(d, m, "2020")
	if err != nil {
		t.Fatal(err)
	}
	res, err := Build(context.Background(), fw, dd, Options{})
	if err != nil {
		t.Fatal(err)
	}
	// Hand calculation (min-max 0-100, direction applied first, b is
	// multiplied by −1 so u1 (b=0) is its best): u1: a=0,
	// b=100 (reversed), c=100 (only value... c has one value, so min = max
	// and COINr returns NaN); g1 = (0·1 + 100·3)/4 = 75, g2 = NaN skipped,
	// index 75. u2: a=100, b=0 → g1 = 25, index 25.
	if got := float64(res.Units[0].Index); got != 75 || float64(res.Units[1].Index) != 25 || !math.IsNaN(float64(res.Units[0].Levels["g2"])) {
		t.Errorf("units %+v", res.Units)
	}
	if dd.Units[1].Groups["Group_X"] != "y" {
		t.Errorf("groups %+v", dd.Units)
	}
	bad := strings.Replace(meta, "g1,G1,2,Index", "g1,G1,3,Index", 1)
	m2, _ := coinr.ReadIMeta(strings.NewReader(bad), "iMeta.csv")
	if _, _, err := FromCOINr(d, m2, "2020"); err == nil || !strings.Contains(err.Error(), "row 5") {
		t.Errorf("level mismatch: %v", err)
	}
}
