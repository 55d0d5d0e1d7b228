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
	must(copyConnectivity())
	must(copyCityGDP())
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
	recs, h, err := readTable(filepath.Join(root, "china2019", "city_census_2010_2020.csv"),
		"city_code", "city", "province_code", "popu_2010", "popu_2020", "popu_urban_2010", "popu_urban_2020")
	if err != nil {
		return err
	}
	out := [][]string{{"city_code", "city_zh", "province_code", "indicator", "year", "value", "unit", "source"}}
	const src = "leiii/census@0ba0f1efae092f4aa6569ef38e53b3bb4d2f0087 data/census/census_city_2010-2020_v1.csv"
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

// connectivityCodes maps the indicator names of the intercity
// connectivity file (Liang et al. 2024) to catalogue codes. GDP and
// population there are the urban-district (市辖区) scope for most cities:
// they get codes of their own so that they never mix with whole-city
// series (gdp, population).
var connectivityCodes = map[string]string{
	"户籍人口(作者口径,多为市辖区)":   "registered_population_district",
	"城区人口+城区暂住人口":        "urban_district_population",
	"地区生产总值(作者口径,多为市辖区)": "gdp_district",
	"信息传输、金融和科研从业人员占比":   "knowledge_services_employment_share",
	"专利数":         "patents",
	"微博城际社交网络度":   "social_media_degree",
	"腾讯城际人口流动网络度": "mobility_degree",
	"城际合作论文网络度":   "copublication_degree",
}

// copyConnectivity copies the intercity connectivity and innovation file
// (275 cities, one year per indicator) in long layout with catalogue
// codes. 莱芜市 (371200), merged into 济南 in 2019, is left out: the
// region registry follows the current codes.
func copyConnectivity() error {
	recs, h, err := readTable(filepath.Join(root, "china_panel", "city_intercity_connectivity_liang2024.csv"),
		"indicator_zh", "adcode", "region_zh", "year", "value", "unit", "source")
	if err != nil {
		return err
	}
	out := [][]string{{"city_code", "city_zh", "indicator", "year", "value", "unit", "source"}}
	dropped := 0
	for _, r := range recs[1:] {
		code, ok := connectivityCodes[r[h["indicator_zh"]]]
		if !ok {
			return fmt.Errorf("city_intercity_connectivity_liang2024.csv: unknown indicator %q", r[h["indicator_zh"]])
		}
		if r[h["adcode"]] == "371200" {
			dropped++
			continue
		}
		out = append(out, []string{r[h["adcode"]], r[h["region_zh"]], code, r[h["year"]], r[h["value"]], r[h["unit"]], r[h["source"]]})
	}
	log.Printf("city_intercity_connectivity_liang2024.csv: %d rows, %d rows of 莱芜市 left out", len(out)-1, dropped)
	return writeCSV("city_connectivity_2015_2017.csv.gz", out)
}

// copyCityGDP copies the whole-city GDP of the five agglomerations' cities
// from city_2019.csv (quanturban/firm; the year is 2015, not 2019: the
// file's rows say so) under the catalogue code gdp; the file's census
// rows are left out (the census data set holds them).
func copyCityGDP() error {
	recs, h, err := readTable(filepath.Join(root, "china2019", "city_2019.csv"),
		"indicator_zh", "year", "unit", "city_adcode", "city_zh", "province_adcode", "value")
	if err != nil {
		return err
	}
	out := [][]string{{"city_code", "city_zh", "province_code", "indicator", "year", "value", "unit", "source"}}
	seen := map[string]bool{}
	for _, r := range recs[1:] {
		if r[h["indicator_zh"]] != "地区生产总值(全市)" {
			continue
		}
		if r[h["year"]] != "2015" || r[h["unit"]] != "万元" {
			return fmt.Errorf("city_2019.csv: %s GDP of %s in %s: want 2015 in 万元", r[h["city_zh"]], r[h["year"]], r[h["unit"]])
		}
		if seen[r[h["city_adcode"]]] {
			continue
		}
		seen[r[h["city_adcode"]]] = true
		const src = "quanturban/firm@67218beaadc916cb26ca968481c91ebd55e6cbd6 yearbook_light.csv"
		out = append(out, []string{r[h["city_adcode"]], r[h["city_zh"]], r[h["province_adcode"]], "gdp", "2015", r[h["value"]], "万元", src})
	}
	log.Printf("city_2019.csv: whole-city GDP 2015 of %d cities", len(out)-1)
	return writeCSV("city_gdp_2015.csv.gz", out)
}

func readCSV(path string) ([][]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(recs) == 0 {
		return nil, fmt.Errorf("%s: empty", path)
	}
	return recs, nil
}

// readTable reads a CSV file and the column index of each of names in its
// header, refusing a file without one of them.
func readTable(path string, names ...string) ([][]string, map[string]int, error) {
	recs, err := readCSV(path)
	if err != nil {
		return nil, nil, err
	}
	h := map[string]int{}
	for i, c := range recs[0] {
		h[c] = i
	}
	for _, n := range names {
		if _, ok := h[n]; !ok {
			return nil, nil, fmt.Errorf("%s: no column %s", path, n)
		}
	}
	return recs, h, nil
}

func writeCSV(name string, recs [][]string) error {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	if err := w.WriteAll(recs); err != nil {
		return err
	}
	return writeGzip(name, buf.Bytes())
}
