// Package bench generates clearly labelled synthetic data for benchmarks
// of agglo's import and analyses.
package bench

import (
	"bufio"
	"fmt"
	"io"
	"iter"
	"math"
	"math/rand/v2"
	"strconv"

	"agglo/internal/i18n"
	"agglo/internal/xlsx"
)

// Formats a synthetic table can be written in.
const (
	CSV  = "csv"
	XLSX = "xlsx"
)

// Layouts of a table.
const (
	LayoutLong = "long"
	LayoutWide = "wide"
)

// SyntheticSpec describes a synthetic benchmark table. Synthetic data are
// labelled as such: regions are named SYN-0001, SYN-0002 ..., indicators
// syn_001, syn_002 ..., and every file says "synthetic" (a source column in
// long layout, a note column and an "about" sheet in wide layout).
type SyntheticSpec struct {
	Regions    int
	Indicators int
	Years      int    // consecutive years ending in 2020
	Layout     string // LayoutLong or LayoutWide
	Seed       uint64
	// Codes, when given, name the regions in place of SYN-0001...: the
	// first Regions of them (real region codes, so that a benchmark runs
	// the analyses of agglomerations; the values stay synthetic and the
	// file says so).
	Codes []string
}

// SyntheticNote is the label written into every synthetic file.
const SyntheticNote = "synthetic data (agglo bench generate), not statistics"

// syntheticUnits are the units the synthetic indicators cycle through, so
// that an import exercises unit parsing.
var syntheticUnits = []string{"亿元", "万人", "%", "件", "km²", "元", "人年", ""}

// Validate checks the spec's sizes.
func (s SyntheticSpec) Validate() error {
	switch {
	case s.Regions < 1 || s.Regions > 999999:
		return i18n.Errorf("地区数须在 1 到 999999 之间（收到 %d）", "the number of regions must lie between 1 and 999999 (got %d)", s.Regions)
	case s.Indicators < 1 || s.Indicators > 9999:
		return i18n.Errorf("指标数须在 1 到 9999 之间（收到 %d）", "the number of indicators must lie between 1 and 9999 (got %d)", s.Indicators)
	case s.Years < 1 || s.Years > 200:
		return i18n.Errorf("年数须在 1 到 200 之间（收到 %d）", "the number of years must lie between 1 and 200 (got %d)", s.Years)
	case s.Codes != nil && s.Regions > len(s.Codes):
		return i18n.Errorf("地区数 %d 超过可用的地区代码数 %d", "%d regions asked for, but only %d region codes are available", s.Regions, len(s.Codes))
	case s.Layout != LayoutLong && s.Layout != LayoutWide:
		return i18n.Errorf("布局只能是 long 或 wide（收到“%s”）", "the layout must be long or wide (got %q)", s.Layout)
	}
	return nil
}

// FitsXLSX checks Excel's limits: 1,048,576 rows and 16,384 columns a
// sheet.
func (s SyntheticSpec) FitsXLSX() error {
	if s.Rows()+1 > xlsx.MaxRows || (s.Layout == LayoutWide && s.Indicators+3 > xlsx.MaxColumns) {
		return i18n.Errorf("XLSX 工作表最多 1048576 行、16384 列：%d 行 × %d 列太多，请用 csv 或减少地区、指标、年数", "an XLSX sheet holds at most 1,048,576 rows and 16,384 columns: %d rows × %d columns is too many; use csv or fewer regions, indicators or years", s.Rows()+1, s.columns())
	}
	return nil
}

func (s SyntheticSpec) columns() int {
	if s.Layout == LayoutWide {
		return s.Indicators + 3
	}
	return 6
}

// Rows returns the number of data rows the spec produces.
func (s SyntheticSpec) Rows() int64 {
	if s.Layout == LayoutWide {
		return int64(s.Regions) * int64(s.Years)
	}
	return int64(s.Regions) * int64(s.Indicators) * int64(s.Years)
}

// region names region i.
func (s SyntheticSpec) region(i int) string {
	if s.Codes != nil {
		return s.Codes[i]
	}
	return fmt.Sprintf("SYN-%04d", i+1)
}

func synIndicator(j int) string { return fmt.Sprintf("syn_%03d", j+1) }
func synUnit(j int) string      { return syntheticUnits[j%len(syntheticUnits)] }
func synYear(s SyntheticSpec, k int) int {
	return 2020 - s.Years + 1 + k
}

// synValue is the value of indicator j for one region and year: a
// region level times a trend, with noise; percentages stay in 0-100.
type synGen struct {
	rng   *rand.Rand
	level []float64 // per region
	scale []float64 // per indicator
}

func newSynGen(s SyntheticSpec) *synGen {
	g := &synGen{rng: rand.New(rand.NewPCG(s.Seed, 0x5e7e71c))}
	g.level = make([]float64, s.Regions)
	for i := range g.level {
		g.level[i] = math.Exp(g.rng.NormFloat64())
	}
	g.scale = make([]float64, s.Indicators)
	for j := range g.scale {
		g.scale[j] = math.Pow(10, float64(g.rng.IntN(6)))
	}
	return g
}

func (g *synGen) value(i, j, k int) float64 {
	v := g.level[i] * g.scale[j] * (1 + 0.03*float64(k)) * (1 + 0.1*g.rng.Float64())
	if synUnit(j) == "%" {
		v = math.Mod(v, 100)
	}
	return math.Round(v*100) / 100
}

// WriteSynthetic writes a deterministic synthetic table (the same seed
// gives the same bytes) as CSV or XLSX (format "csv" or "xlsx").
func WriteSynthetic(w io.Writer, s SyntheticSpec, format string) error {
	if err := s.Validate(); err != nil {
		return err
	}
	switch format {
	case CSV:
		return writeSyntheticCSV(w, s)
	case XLSX:
		if err := s.FitsXLSX(); err != nil {
			return err
		}
		return writeSyntheticXLSX(w, s)
	}
	return i18n.Errorf("合成数据只能写成 csv 或 xlsx（收到“%s”）", "synthetic data can be written as csv or xlsx only (got %q)", format)
}

func writeSyntheticCSV(w io.Writer, s SyntheticSpec) error {
	bw := bufio.NewWriterSize(w, 1<<20)
	g := newSynGen(s)
	var line []byte
	if s.Layout == LayoutLong {
		bw.WriteString("region,indicator,year,value,unit,source\n")
		for i := 0; i < s.Regions; i++ {
			reg := s.region(i)
			for j := 0; j < s.Indicators; j++ {
				ind, unit := synIndicator(j), synUnit(j)
				for k := 0; k < s.Years; k++ {
					line = append(line[:0], reg...)
					line = append(line, ',')
					line = append(line, ind...)
					line = append(line, ',')
					line = strconv.AppendInt(line, int64(synYear(s, k)), 10)
					line = append(line, ',')
					line = strconv.AppendFloat(line, g.value(i, j, k), 'f', -1, 64)
					line = append(line, ',')
					line = append(line, unit...)
					line = append(line, ",synthetic\n"...)
					if _, err := bw.Write(line); err != nil {
						return err
					}
				}
			}
		}
		return bw.Flush()
	}
	line = append(line, "region,year"...)
	for j := 0; j < s.Indicators; j++ {
		line = append(line, ',')
		line = append(line, wideHeader(j)...)
	}
	line = append(line, ",note\n"...)
	bw.Write(line)
	for i := 0; i < s.Regions; i++ {
		for k := 0; k < s.Years; k++ {
			line = append(line[:0], s.region(i)...)
			line = append(line, ',')
			line = strconv.AppendInt(line, int64(synYear(s, k)), 10)
			for j := 0; j < s.Indicators; j++ {
				line = append(line, ',')
				line = strconv.AppendFloat(line, g.value(i, j, k), 'f', -1, 64)
			}
			line = append(line, ',')
			line = append(line, "synthetic"...)
			line = append(line, '\n')
			if _, err := bw.Write(line); err != nil {
				return err
			}
		}
	}
	return bw.Flush()
}

func wideHeader(j int) string {
	if u := synUnit(j); u != "" {
		return synIndicator(j) + "(" + u + ")"
	}
	return synIndicator(j)
}

func writeSyntheticXLSX(w io.Writer, s SyntheticSpec) error {
	g := newSynGen(s)
	var rows iter.Seq[[]any]
	if s.Layout == LayoutLong {
		rows = func(yield func([]any) bool) {
			if !yield([]any{"region", "indicator", "year", "value", "unit", "source"}) {
				return
			}
			cells := make([]any, 6)
			for i := 0; i < s.Regions; i++ {
				for j := 0; j < s.Indicators; j++ {
					for k := 0; k < s.Years; k++ {
						cells[0], cells[1], cells[2], cells[3], cells[4], cells[5] = s.region(i), synIndicator(j), synYear(s, k), g.value(i, j, k), synUnit(j), "synthetic"
						if !yield(cells) {
							return
						}
					}
				}
			}
		}
	} else {
		rows = func(yield func([]any) bool) {
			hdr := []any{"region", "year"}
			for j := 0; j < s.Indicators; j++ {
				hdr = append(hdr, wideHeader(j))
			}
			if !yield(append(hdr, "note")) {
				return
			}
			cells := make([]any, s.Indicators+3)
			for i := 0; i < s.Regions; i++ {
				for k := 0; k < s.Years; k++ {
					cells[0], cells[1] = s.region(i), synYear(s, k)
					for j := 0; j < s.Indicators; j++ {
						cells[2+j] = g.value(i, j, k)
					}
					cells[len(cells)-1] = "synthetic"
					if !yield(cells) {
						return
					}
				}
			}
		}
	}
	about := [][]any{{SyntheticNote}, {fmt.Sprintf("regions=%d indicators=%d years=%d layout=%s seed=%d", s.Regions, s.Indicators, s.Years, s.Layout, s.Seed)}}
	return xlsx.Write(w, xlsx.Sheet{Name: "数据", Rows: rows}, xlsx.Sheet{Name: "about", Rows: xlsx.Rows(about)})
}
