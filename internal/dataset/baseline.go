package dataset

import (
	"bufio"
	"encoding/csv"
	"errors"
	"io"
	"strconv"
)

// ReferenceCSVRead is the yardstick for the importer's speed: a bare
// encoding/csv loop that reads every record of r and parses its values
// with strconv.ParseFloat, doing nothing else. The values are the column
// headed "value" of a long table, or every column after the first two
// (region and year) of a wide one; cells that do not parse are skipped.
// It returns the number of data records and the sum of the values (so
// that the work cannot be optimised away). `agglo bench import --compare`
// and BenchmarkImportVsCSV run it beside the importer on the same file.
func ReferenceCSVRead(r io.Reader) (rows int, sum float64, err error) {
	cr := csv.NewReader(bufio.NewReaderSize(r, 1<<16))
	cr.ReuseRecord = true
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		return 0, 0, err
	}
	first, last := 2, len(header)
	for i, h := range header {
		if h == "value" {
			first, last = i, i+1
		}
	}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return rows, sum, nil
		}
		if err != nil {
			return rows, sum, err
		}
		rows++
		for _, f := range rec[min(first, len(rec)):min(last, len(rec))] {
			if v, err := strconv.ParseFloat(f, 64); err == nil {
				sum += v
			}
		}
	}
}
