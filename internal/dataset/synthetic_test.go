package dataset

import (
	"bytes"
	"strconv"
	"strings"
	"testing"

	"agglo/internal/bench"
	"agglo/internal/i18n"
)

func TestSyntheticRoundTrip(t *testing.T) {
	// 30 regions × 40 indicators × 2 years = 2,400 rows: more than the
	// 1,024 rows after which the importer sizes the observation slice.
	spec := bench.SyntheticSpec{Regions: 30, Indicators: 40, Years: 2, Layout: bench.LayoutLong, Seed: 3}
	var buf bytes.Buffer
	if err := bench.WriteSynthetic(&buf, spec, bench.CSV); err != nil {
		t.Fatal(err)
	}
	text := buf.String()
	var again bytes.Buffer
	if err := bench.WriteSynthetic(&again, spec, bench.CSV); err != nil || again.String() != text {
		t.Fatal("the same seed gave different output")
	}
	ds, err := Read(bytes.NewReader(buf.Bytes()), "syn.csv", CSV, testOpts(t))
	if err != nil {
		t.Fatal(i18n.Message(err, "en"))
	}
	if len(ds.Obs) != 2400 || !ds.FreeUnits || len(ds.Regions) != 30 || len(ds.Indicators) != 40 {
		t.Fatalf("%d observations, %d regions, %d indicators", len(ds.Obs), len(ds.Regions), len(ds.Indicators))
	}
	if c := cap(ds.Obs); c < 2400 || c > 2400*11/10+16 {
		t.Errorf("capacity %d for 2,400 observations", c)
	}
	// Every value equals the text of its row: the file is the reference.
	lines := strings.Split(strings.TrimSpace(text), "\n")
	if lines[0] != "region,indicator,year,value,unit,source" {
		t.Fatalf("header %q", lines[0])
	}
	for i, line := range lines[1:] {
		f := strings.Split(line, ",")
		if len(f) != 6 || f[5] != "synthetic" || !strings.HasPrefix(f[0], "SYN-") || !strings.HasPrefix(f[1], "syn_") {
			t.Fatalf("line %d: %q", i+2, line)
		}
		want, _ := strconv.ParseFloat(f[3], 64)
		year, _ := strconv.Atoi(f[2])
		if v, ok := ds.Value(f[0], f[1], year); !ok || v != want {
			t.Fatalf("line %d: %s %s %d = %v, want %v", i+2, f[0], f[1], year, v, want)
		}
	}
	// Years end in 2020.
	if y := ds.Years(); len(y) != 2 || y[0] != 2019 || y[1] != 2020 {
		t.Errorf("years %v", y)
	}
}

type fakeOffset struct {
	rowSource
	off int64
}

func (f fakeOffset) InputOffset() int64 { return f.off }

func TestPresize(t *testing.T) {
	// 1,024 rows read in 51,200 bytes (50 bytes a row), one observation
	// each, of a 500,000-byte file: 10,000 rows expected; capacity
	// 10,000 × 1.05 + 16 = 10,516.
	im := newImporter("f.csv", "", ReadOptions{Catalogue: &Catalogue{}, sizeHint: 500000})
	im.ds.Obs = make([]Observation, 1024)
	im.ds.Obs[1023].Value = 7
	im.presize(fakeOffset{off: 51200}, 1024)
	if c := cap(im.ds.Obs); c != 10516 {
		t.Errorf("capacity %d, want 10,516", c)
	}
	if len(im.ds.Obs) != 1024 || im.ds.Obs[1023].Value != 7 {
		t.Error("observations lost in presize")
	}
	// Without a size, or a source that cannot tell its offset, nothing
	// changes.
	im2 := newImporter("f.csv", "", ReadOptions{Catalogue: &Catalogue{}})
	im2.ds.Obs = make([]Observation, 1024)
	im2.presize(fakeOffset{off: 51200}, 1024)
	if cap(im2.ds.Obs) != 1024 {
		t.Errorf("capacity %d without a size hint", cap(im2.ds.Obs))
	}
}
