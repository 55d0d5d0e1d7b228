package coinr

import (
	"errors"
	"math"
	"strings"
	"testing"
)

// A cut-down iData/iMeta in the layout of COINr's example data (ASEM):
// uCode, uName, group columns, Time, indicators.
const idataCSV = `uCode,uName,GDP_group,Group_EurAsia,Time,Goods,Services,FDI
AUT,Austria,L,Europe,2018,278.8,108.9,5.2
BEL,Belgium,L,Europe,2018,598.3,231.6,NA
CHN,China,XL,Asia,2018,4244.6,719.1,181.3
`

const imetaCSV = `iCode,iName,Level,Parent,Direction,Weight,Type,Unit,Target
Goods,Trade in goods,1,ConEcFin,1,1,Indicator,bn USD,
Services,Trade in services,1,ConEcFin,1,1,Indicator,bn USD,800
FDI,Foreign direct investment,1,ConEcFin,1,0.5,Indicator,bn USD,
ConEcFin,Economic and financial connectivity,2,Index,1,1,Aggregate,,
Index,Index,3,,1,1,Aggregate,,
GDP_group,GDP group,,,,,Group,,
`

func TestReadIDataIMeta(t *testing.T) {
	m, err := ReadIMeta(strings.NewReader(imetaCSV), "iMeta.csv")
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Rows) != 6 || m.Rows[2].Weight != 0.5 || m.Rows[1].Target != 800 || !math.IsNaN(m.Rows[0].Target) || m.Rows[4].Parent != "" {
		t.Errorf("meta %+v", m.Rows)
	}
	d, err := ReadIData(strings.NewReader(idataCSV), "iData.csv", m.GroupCodes()...)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(d.Indicators, ",") != "Goods,Services,FDI" || strings.Join(d.GroupNames, ",") != "GDP_group,Group_EurAsia" {
		t.Errorf("columns %v %v", d.Indicators, d.GroupNames)
	}
	if d.Groups["GDP_group"][2] != "XL" || d.Time[0] != "2018" || !math.IsNaN(d.Values[1][2]) || d.Values[2][0] != 4244.6 {
		t.Errorf("data %+v", d)
	}
}

func TestReadErrorsLocated(t *testing.T) {
	cases := []struct {
		name     string
		data     string
		meta     bool
		row, col int
		want     string
	}{
		{"not a number", "uCode,uName,x\nA,a,1\nB,b,abc\n", false, 3, 3, "not a number"},
		{"no uCode", "code,uName,x\nA,a,1\n", false, 1, 0, "uCode"},
		{"duplicate unit", "uCode,uName,x\nA,a,1\nA,b,2\n", false, 3, 1, "duplicate unit"},
		{"short row", "uCode,uName,x\nA,a\n", false, 2, 0, "fields"},
		{"bad direction", "iCode,iName,Level,Parent,Direction,Weight,Type\nx,X,1,g,2,1,Indicator\n", true, 2, 5, "Direction"},
		{"bad type", "iCode,iName,Level,Parent,Direction,Weight,Type\nx,X,1,g,1,1,Indikator\n", true, 2, 7, "unknown Type"},
		{"bad weight", "iCode,iName,Level,Parent,Direction,Weight,Type\nx,X,1,g,1,-1,Indicator\n", true, 2, 6, "positive"},
		{"missing column", "iCode,iName,Level,Parent,Direction,Type\n", true, 1, 0, "Weight"},
		{"denominator of an aggregate", "iCode,iName,Level,Parent,Direction,Weight,Type,Denominator\nx,X,1,g,1,1,Indicator,NA\ng,G,2,NA,1,1,Aggregate,pop\npop,P,NA,NA,NA,NA,Denominator,NA\n", true, 3, 8, "only an Indicator"},
		{"denominator not a Denominator row", "iCode,iName,Level,Parent,Direction,Weight,Type,Denominator\nx,X,1,g,1,1,Indicator,y\ny,Y,1,g,1,1,Indicator,NA\n", true, 2, 8, "not a row of Type Denominator"},
	}
	for _, c := range cases {
		var err error
		if c.meta {
			_, err = ReadIMeta(strings.NewReader(c.data), "f.csv")
		} else {
			_, err = ReadIData(strings.NewReader(c.data), "f.csv")
		}
		var e *Error
		if !errors.As(err, &e) || e.Row != c.row || e.Column != c.col || !strings.Contains(e.EN, c.want) || e.ZH == "" || e.File != "f.csv" {
			t.Errorf("%s: %v (%+v)", c.name, err, e)
		}
	}
}

func FuzzReadIData(f *testing.F) {
	f.Add(idataCSV)
	f.Add("uCode,uName\n")
	f.Add("uCode,uName,x\nA,a,\"1\n")
	f.Add("\ufeffuCode,uName,Group_g,x\nA,a,g,NA\n")
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ReadIData(strings.NewReader(s), "f.csv")
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error of type %T: %v", err, err)
			}
			return
		}
		for i, row := range d.Values {
			if len(row) != len(d.Indicators) {
				t.Fatalf("row %d: %d values for %d indicators", i, len(row), len(d.Indicators))
			}
		}
		if len(d.UCodes) != len(d.Values) || len(d.UNames) != len(d.Values) {
			t.Fatal("inconsistent lengths")
		}
	})
}

func FuzzReadIMeta(f *testing.F) {
	f.Add(imetaCSV)
	f.Add("iCode,iName,Level,Parent,Direction,Weight,Type\n")
	f.Add("iCode,iName,Level,Parent,Direction,Weight,Type\nx,X,1,g,1,1,Indicator\nx,X,1,g,1,1,Indicator\n")
	f.Fuzz(func(t *testing.T, s string) {
		m, err := ReadIMeta(strings.NewReader(s), "f.csv")
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error of type %T: %v", err, err)
			}
			return
		}
		seen := map[string]bool{}
		for _, r := range m.Rows {
			if seen[r.ICode] || r.ICode == "" {
				t.Fatalf("duplicate or empty code %q", r.ICode)
			}
			seen[r.ICode] = true
			if r.Type == "Indicator" && (r.Level != 1 || (r.Direction != 1 && r.Direction != -1)) {
				t.Fatalf("bad indicator %+v", r)
			}
		}
	})
}
