// Package xlsx writes workbooks of plain tables, one sheet each: the one
// XLSX writer of agglo's exports (reports, command results, the compare
// table, synthetic benchmark data). Sheets are streamed, so a sheet of a
// million rows does not sit in memory.
package xlsx

import (
	"fmt"
	"io"
	"iter"
	"math"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// Sheet is one table of a workbook.
type Sheet struct {
	// Name is the sheet's name; it is cut to Excel's 31 characters, its
	// forbidden characters (: \ / ? * [ ]) replaced, and made unique.
	Name string
	// HeaderRows are the first rows, written in bold.
	HeaderRows int
	// Rows yields the cells of each row: strings, numbers, booleans or
	// nil (an empty cell); NaN and infinite numbers are empty cells.
	Rows iter.Seq[[]any]
}

// Rows yields the rows of a slice.
func Rows(rows [][]any) iter.Seq[[]any] {
	return func(yield func([]any) bool) {
		for _, r := range rows {
			if !yield(r) {
				return
			}
		}
	}
}

// MaxRows and MaxColumns are Excel's limits of a sheet.
const (
	MaxRows    = 1 << 20
	MaxColumns = 1 << 14
)

// Write writes the sheets as a workbook to w.
func Write(w io.Writer, sheets ...Sheet) error {
	f := excelize.NewFile()
	defer f.Close()
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	used := map[string]bool{}
	for i, sh := range sheets {
		name := UniqueName(sh.Name, used)
		if i == 0 {
			if err := f.SetSheetName("Sheet1", name); err != nil {
				return err
			}
		} else if _, err := f.NewSheet(name); err != nil {
			return err
		}
		sw, err := f.NewStreamWriter(name)
		if err != nil {
			return err
		}
		row := 0
		var werr error
		for cells := range sh.Rows {
			row++
			if row > MaxRows {
				return fmt.Errorf("xlsx: sheet %s has more than %d rows", name, MaxRows)
			}
			out := make([]any, len(cells))
			for j, c := range cells {
				out[j] = cellValue(c)
				if row <= sh.HeaderRows {
					out[j] = excelize.Cell{StyleID: bold, Value: out[j]}
				}
			}
			ref, _ := excelize.CoordinatesToCellName(1, row)
			if werr = sw.SetRow(ref, out); werr != nil {
				break
			}
		}
		if werr != nil {
			return werr
		}
		if err := sw.Flush(); err != nil {
			return err
		}
	}
	if len(sheets) == 0 {
		return fmt.Errorf("xlsx: no sheets")
	}
	return f.Write(w)
}

func cellValue(c any) any {
	switch v := c.(type) {
	case float64:
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil
		}
	case float32:
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
			return nil
		}
	}
	return c
}

var forbidden = strings.NewReplacer(":", "_", "\\", "_", "/", "_", "?", "_", "*", "_", "[", "(", "]", ")")

// UniqueName makes a valid sheet name of name, distinct (ignoring case)
// from those in used, and adds it to used: Excel's forbidden characters
// replaced, cut to 31 characters, a suffix _2, _3 ... where taken. Write
// applies it to every sheet, so that a name made by it beforehand (for a
// table of contents) is kept.
func UniqueName(name string, used map[string]bool) string {
	name = strings.Trim(forbidden.Replace(name), "'")
	if name == "" {
		name = "sheet"
	}
	cut := func(s string, n int) string {
		if utf8.RuneCountInString(s) <= n {
			return s
		}
		return string([]rune(s)[:n])
	}
	base := cut(name, 31)
	out := base
	for k := 2; used[strings.ToLower(out)]; k++ {
		suffix := fmt.Sprintf("_%d", k)
		out = cut(base, 31-len(suffix)) + suffix
	}
	used[strings.ToLower(out)] = true
	return out
}
