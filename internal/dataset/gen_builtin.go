//go:build ignore

// gen_builtin copies the real data sets that ship with agglo from the
// repository's testdata/ into data/builtin/ as gzip'd CSV, then imports
// each copy and saves it in agglo's binary form (NAME.agglo.gz), which
// the binary embeds and loads in about a millisecond (go generate in
// internal/dataset). It changes the files only as the built-in data's
// README says: the census becomes long layout with catalogue codes, and the
// 2019 province file's Chongqing code written "5e+05" becomes 500000.
// The output is byte-for-byte reproducible (no gzip time stamp or name);
// TestBuiltinFresh fails when the binary forms are stale.
package main

import (
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"

	"agglo/internal/dataset"
)

const root = "../../testdata"

func main() {
	must(copyPanel())
	must(copyProvince2019())
	must(copyCensus())
	for _, src := range dataset.BuiltinSources() {
		if src.File == "" {
			continue
		}
		b, err := dataset.BuildBuiltin(src.ID)
		must(err)
		must(os.WriteFile(filepath.Join("data", "builtin", src.ID+".agglo.gz"), b, 0o644))
	}
}

func must(err error) {
	if err != nil {
		log.Fatal(err)
	}
}

// writeGzip writes b compressed to data/builtin/name.
func writeGzip(name string, b []byte) error {
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return err
	}
	if _, err := zw.Write(b); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join("data", "builtin", name), buf.Bytes(), 0o644)
}

// copyPanel copies the province science-and-technology panel unchanged.
func copyPanel() error {
	b, err := os.ReadFile(filepath.Join(root, "china_panel", "province_st_techme_2010_2023.csv"))
	if err != nil {
		return err
	}
	return writeGzip("province_st_2010_2023.csv.gz", b)
}

// copyProvince2019 copies the 2019 province file, writing Chongqing's
// province code as 500000 where the source has "5e+05".
func copyProvince2019() error {
	recs, err := readCSV(filepath.Join(root, "china2019", "province_2019_long.csv"))
	if err != nil {
		return err
	}
	fixed := 0
	for _, r := range recs[1:] {
		if r[1] == "5e+05" {
			r[1] = "500000"
			fixed++
		}
	}
	if fixed == 0 {
		return fmt.Errorf("province_2019_long.csv: no 5e+05 code found: check the cleaning step")
	}
	log.Printf("province_2019_long.csv: %d codes 5e+05 written 500000", fixed)
	return writeCSV("province_2019.csv.gz", recs)
}

// copyCensus turns the census table (one row per city, a column per
// quantity and year) into long layout with the catalogue's indicator codes
// and the unit 人 (persons), which the importer converts to 万人.
func copyCensus() error {
	recs, err := readCSV(filepath.Join(root, "china2019", "city_census_2010_2020.csv"))
	if err != nil {
		return err
	}
	h := map[string]int{}
	for i, c := range recs[0] {
		h[c] = i
	}
	out := [][]string{{"city_code", "city_zh", "province_code", "indicator", "year", "value", "unit", "source"}}
	const src = "leiii/census@0ba0f1efae092f4aa6569ef38e53b3bb4d2f0087 data/census/census_city_2010-2020_v1.csv (第六次、第七次全国人口普查)"
	for _, r := range recs[1:] {
		for _, y := range []string{"2010", "2020"} {
			for _, q := range [][2]string{{"population", "popu_"}, {"urban_population", "popu_urban_"}} {
				v := r[h[q[1]+y]]
				if v == "" {
					continue
				}
				out = append(out, []string{r[h["city_code"]], r[h["city"]], r[h["province_code"]], q[0], y, v, "人", src})
			}
		}
	}
	return writeCSV("city_census_2010_2020.csv.gz", out)
}

func readCSV(path string) ([][]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	var out [][]string
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		out = append(out, rec)
	}
}

func writeCSV(name string, recs [][]string) error {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	if err := w.WriteAll(recs); err != nil {
		return err
	}
	return writeGzip(name, buf.Bytes())
}
