package bench

import (
	"bytes"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

func TestSyntheticSpecValidate(t *testing.T) {
	for _, s := range []SyntheticSpec{
		{Regions: 0, Indicators: 1, Years: 1, Layout: LayoutLong},
		{Regions: 1, Indicators: 0, Years: 1, Layout: LayoutLong},
		{Regions: 1, Indicators: 1, Years: 0, Layout: LayoutLong},
		{Regions: 1, Indicators: 1, Years: 1, Layout: "diagonal"},
	} {
		if err := WriteSynthetic(&bytes.Buffer{}, s, CSV); err == nil {
			t.Errorf("%+v accepted", s)
		}
	}
	// 2,900 × 120 × 20 = 6,960,000 rows exceed an XLSX sheet's 1,048,576.
	if err := WriteSynthetic(&bytes.Buffer{}, SyntheticSpec{Regions: 2900, Indicators: 120, Years: 20, Layout: LayoutLong}, XLSX); err == nil {
		t.Error("7 million XLSX rows accepted")
	}
	if err := WriteSynthetic(&bytes.Buffer{}, SyntheticSpec{Regions: 1, Indicators: 1, Years: 1, Layout: LayoutLong}, "json"); err == nil {
		t.Error("JSON accepted")
	}
}

func TestSyntheticXLSX(t *testing.T) {
	spec := SyntheticSpec{Regions: 3, Indicators: 2, Years: 1, Layout: LayoutWide, Seed: 5}
	var a, b bytes.Buffer
	if err := WriteSynthetic(&a, spec, CSV); err != nil {
		t.Fatal(err)
	}
	if err := WriteSynthetic(&b, spec, XLSX); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&b)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("数据")
	if err != nil {
		t.Fatal(err)
	}
	// The workbook holds the rows of the CSV with the same seed: a header
	// and 3 regions, the header naming the unit of each indicator.
	if len(rows) != 4 || rows[0][2] != "syn_001(亿元)" || rows[1][0] != "SYN-0001" || rows[1][len(rows[1])-1] != "synthetic" {
		t.Errorf("rows %q", rows)
	}
	if !bytes.Contains(a.Bytes(), []byte(rows[1][2]+",")) {
		t.Errorf("XLSX value %s not in the CSV %s", rows[1][2], a.String())
	}
	if about, _ := f.GetRows("about"); len(about) != 2 || about[0][0] != SyntheticNote {
		t.Errorf("about %q", about)
	}
}

// TestSyntheticCodes: given codes name the regions in order, the file
// still says synthetic, and more regions than codes is refused.
func TestSyntheticCodes(t *testing.T) {
	spec := SyntheticSpec{Regions: 2, Indicators: 1, Years: 1, Layout: LayoutLong, Codes: []string{"110100", "120100", "130100"}}
	var b bytes.Buffer
	if err := WriteSynthetic(&b, spec, CSV); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[1], "110100,syn_001,2020,") || !strings.HasPrefix(lines[2], "120100,") || !strings.HasSuffix(lines[2], ",synthetic") {
		t.Errorf("file %q", lines)
	}
	spec.Regions = 4
	if err := spec.Validate(); err == nil {
		t.Error("4 regions from 3 codes accepted")
	}
}
