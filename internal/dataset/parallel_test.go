package dataset

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"agglo/internal/bench"
	"agglo/internal/i18n"
)

// importSummary is everything an import gives, as comparable text.
func importSummary(ds *Dataset, err error) string {
	if err != nil {
		return "error: " + i18n.Message(err, "en") + "\n" + i18n.Message(err, "zh")
	}
	var b strings.Builder
	fmt.Fprintf(&b, "free %v\n", ds.FreeUnits)
	for _, r := range ds.Regions {
		fmt.Fprintf(&b, "region %s %s\n", r.Code, r.NameZH)
	}
	for _, ind := range ds.Indicators {
		fmt.Fprintf(&b, "indicator %s %s %s\n", ind.Code, ind.NameZH, ind.Unit)
	}
	for _, s := range ds.Sources {
		fmt.Fprintf(&b, "source %+v\n", s)
	}
	for o := range ds.All() {
		fmt.Fprintf(&b, "%d %d %d %v %d %d %d\n", o.Region, o.Indicator, o.Year, o.Value, o.Source, o.Row, o.Col)
	}
	for _, n := range ds.Notes {
		fmt.Fprintf(&b, "note %s\n", n.Localized("en"))
	}
	return b.String()
}

// TestParallelImportMatchesSerial imports random long and wide files (with
// quoted fields across lines, blank lines, bad numbers, duplicates, short
// rows, several sources) with one worker reading the file as one block,
// and with three workers reading blocks of a few bytes: the datasets, or
// the errors, must be the same.
func TestParallelImportMatchesSerial(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	// The first entries of each list are valid; a clean file uses only
	// those.
	regions := []string{"北京", "天津", "河北", "\"山西\"", "110000", "北京市", "Atlantis"}
	indicators := []string{"new_one", "\"multi\nline\"", "other", "gdp", "population"}
	units := []string{"元", "", "\"万元\"", "亿元"}
	values := []string{"1", "2.5", "\"1,234.5\"", "", "NA", "７", "-3", "1,234", "12a", "1e-400", "0"}
	years := []string{"2019", "2020", "2019年", "", "20x9"}
	sources := []string{"", "yearbook", "\"bulletin, 2020\""}
	base := testOpts(t)
	nerr := 0
	defer func() {
		if nerr < 100 || nerr > 250 {
			t.Errorf("%d of 300 files refused: the test should see both outcomes", nerr)
		}
	}()
	for n := 0; n < 300; n++ {
		var b strings.Builder
		long := rng.IntN(2) == 0
		if long {
			b.WriteString("region,indicator,year,value,unit,source\n")
		} else {
			b.WriteString("地区,年份,地区生产总值(亿元),常住人口(万人)\n")
		}
		clean := rng.IntN(2) == 0
		valid := map[*[]string]int{&regions: 4, &indicators: 3, &units: 4, &values: 6, &years: 3, &sources: 3}
		for k := rng.IntN(30); k > 0; k-- {
			if rng.IntN(10) == 0 {
				b.WriteString("\n")
				continue
			}
			pick := func(l *[]string) string {
				if clean {
					return (*l)[rng.IntN(valid[l])]
				}
				return (*l)[rng.IntN(len(*l))]
			}
			year := pick(&years)
			if clean {
				year = fmt.Sprint(1900 + k) // no duplicates
			}
			var cells []string
			if long {
				cells = []string{pick(&regions), pick(&indicators), year, pick(&values), pick(&units), pick(&sources)}
			} else {
				cells = []string{pick(&regions), year, pick(&values), pick(&values)}
			}
			if rng.IntN(8) == 0 {
				if clean && !long {
					cells = cells[:2+rng.IntN(2)]
				} else if !clean {
					cells = cells[:rng.IntN(len(cells))+1]
				}
			}
			b.WriteString(strings.Join(cells, ","))
			b.WriteString("\n")
		}
		text := b.String()
		serial := base
		serial.Workers = 1
		parallel := base
		parallel.Workers = 3
		parallel.blockSize = 1 + rng.IntN(64)
		want := importSummary(readWith(text, serial))
		if strings.HasPrefix(want, "error") {
			nerr++
		}
		got := importSummary(readWith(text, parallel))
		if want != got {
			t.Fatalf("block size %d\n%s\nserial:\n%s\nparallel:\n%s", parallel.blockSize, text, want, got)
		}
	}
}

func readWith(text string, opts ReadOptions) (*Dataset, error) {
	return Read(strings.NewReader(text), "t.csv", CSV, opts)
}

// TestParallelImportLarge compares one worker and several on a synthetic
// file large enough to be cut into many blocks of the default size.
func TestParallelImportLarge(t *testing.T) {
	if testing.Short() {
		t.Skip("large input")
	}
	var b strings.Builder
	spec := bench.SyntheticSpec{Regions: 90, Indicators: 40, Years: 20, Layout: bench.LayoutLong, Seed: 3}
	if err := bench.WriteSynthetic(&b, spec, bench.CSV); err != nil {
		t.Fatal(err)
	}
	opts := testOpts(t)
	opts.Workers = 1
	one, err := readWith(b.String(), opts)
	if err != nil {
		t.Fatal(err)
	}
	opts.Workers = 4
	opts.blockSize = 4096
	many, err := readWith(b.String(), opts)
	if err != nil {
		t.Fatal(err)
	}
	if one.Len() != 72000 || !reflect.DeepEqual(importSummary(one, nil), importSummary(many, nil)) {
		t.Fatalf("%d and %d observations differ", one.Len(), many.Len())
	}
}
