package dataset

import (
	"bytes"
	"embed"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"agglo/internal/i18n"
)

//go:embed data/indicators.csv data/agglomerations.csv data/paper2019.csv data/national2019.csv data/registry/regions.csv data/registry_supplement.csv
var embedded embed.FS

// EmbeddedFile returns one of the embedded data files by its name under
// data/ (for export and documentation).
func EmbeddedFile(name string) ([]byte, error) { return embedded.ReadFile("data/" + name) }

// agglomerationShort are the short Chinese names the paper uses.
var agglomerationShort = map[string]string{"BTH": "京津冀", "YRD": "长三角", "PRD": "珠三角", "MYR": "长江中游", "CC": "成渝"}

// readCSVTable reads a small CSV with a header, data/NAME of fsys, into
// maps keyed by header.
func readCSVTable(fsys embed.FS, name string) ([]map[string]string, error) {
	b, err := fsys.ReadFile("data/" + name)
	if err != nil {
		return nil, err
	}
	r := csv.NewReader(bytes.NewReader(b))
	header, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("embedded %s: %w", name, err)
	}
	var out []map[string]string
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("embedded %s: %w", name, err)
		}
		m := make(map[string]string, len(header))
		for i, h := range header {
			m[h] = rec[i]
		}
		out = append(out, m)
	}
	return out, nil
}

// LoadCatalogue returns agglo's indicator catalogue.
func LoadCatalogue() (*Catalogue, error) {
	rows, err := readCSVTable(embedded, "indicators.csv")
	if err != nil {
		return nil, err
	}
	list := make([]Indicator, 0, len(rows))
	for _, r := range rows {
		pol, err := strconv.Atoi(r["polarity"])
		if err != nil || (pol != 1 && pol != -1) {
			return nil, fmt.Errorf("embedded indicators.csv: %s: bad polarity %q", r["code"], r["polarity"])
		}
		var aliases []string
		if r["aliases"] != "" {
			aliases = strings.Split(r["aliases"], "|")
		}
		list = append(list, Indicator{Code: r["code"], NameZH: r["name_zh"], NameEN: r["name_en"], Unit: r["unit"], Polarity: Polarity(pol),
			Domain: r["domain"], Dimension: r["dimension"], Aliases: aliases, DescriptionZH: r["description_zh"], DescriptionEN: r["description_en"]})
	}
	return NewCatalogue(list)
}

func parseCoord(s string) float64 {
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil {
		return math.NaN()
	}
	return f
}

// LoadRegistry returns the region registry: the nation, the 19 national
// agglomerations (with their plan members, designated cores and province
// members; the paper's five are the default set), and China's provinces,
// prefecture-level cities and directly administered county-level units
// (GB/T 2260, 2019 codes).
func LoadRegistry() (*Registry, error) {
	rows, err := readCSVTable(embedded, "registry/regions.csv")
	if err != nil {
		return nil, err
	}
	// Units created after the 2019 code list, so that later files match.
	extra, err := readCSVTable(embedded, "registry_supplement.csv")
	if err != nil {
		return nil, err
	}
	rows = append(rows, extra...)
	regions := []Region{
		{Code: "CN", Adcode: "100000", NameZH: "全国", ShortZH: "全国", NameEN: "China", Level: LevelNation, Lon: math.NaN(), Lat: math.NaN()},
		{Code: "FIVE", NameZH: "五大城市群", ShortZH: "五大城市群", NameEN: "Five agglomerations", Level: LevelGroup, Parent: "CN", Lon: math.NaN(), Lat: math.NaN()},
	}
	for _, r := range rows {
		lv, ok := ParseLevel(r["level"])
		if !ok {
			return nil, fmt.Errorf("embedded regions.csv: %s: bad level %q", r["adcode"], r["level"])
		}
		parent := r["parent_adcode"]
		if parent == "" {
			parent = "CN"
		}
		regions = append(regions, Region{Code: r["adcode"], Adcode: r["adcode"], NameZH: r["name_zh"], ShortZH: r["short_zh"], NameEN: r["name_en"],
			Level: lv, Parent: parent, Alias: r["city_adcode_alias"], Lon: parseCoord(r["lon"]), Lat: parseCoord(r["lat"]), CoordSource: r["coord_source"]})
	}
	base := NewRegistry(regions)
	aggs, err := builtinAgglomerations(base)
	if err != nil {
		return nil, err
	}
	reg := NewRegistry(append(regions, aggs...))
	reg.defaults = AgglomerationCodes()
	return reg, nil
}

// provinceMembers derives an agglomeration's province members from its city
// members: a province is partial when some of its cities (or, for a
// municipality, some of its territory) are outside the agglomeration.
func provinceMembers(reg *Registry, a *Region) error {
	in := map[string]int{}
	var order []string
	partialMunicipality := map[string]bool{}
	var lon, lat float64
	n := 0
	for _, m := range a.Members {
		r, _ := reg.Lookup(m.Code)
		prov := r.Code
		if r.Level != LevelProvince {
			prov = r.Parent
		} else if m.Partial {
			partialMunicipality[prov] = true
		}
		if _, seen := in[prov]; !seen {
			order = append(order, prov)
		}
		in[prov]++
		if r.HasCoord() {
			lon += r.Lon
			lat += r.Lat
			n++
		}
	}
	a.Lon, a.Lat = math.NaN(), math.NaN()
	if n > 0 {
		a.Lon, a.Lat = lon/float64(n), lat/float64(n)
	}
	for _, p := range order {
		pr, ok := reg.Lookup(p)
		if !ok {
			return fmt.Errorf("agglomeration %s: province %s not in the registry", a.Code, p)
		}
		total := 0
		for _, r := range reg.Regions() {
			if r.Parent == p && (r.Level == LevelCity || r.Level == LevelCounty) {
				total++
			}
		}
		partial := partialMunicipality[p] || (total > 0 && in[p] < total)
		note := ""
		if total > 0 {
			note = fmt.Sprintf("%d of %d prefecture- and county-level units", in[p], total)
		}
		a.ProvinceMembers = append(a.ProvinceMembers, Member{Code: pr.Code, Partial: partial, Note: note, Source: "derived from city membership"})
	}
	return nil
}

// Default returns the embedded dataset: the paper's published 2019 numbers
// (overview, Tables 1-3, statements) and the national totals they are
// shares of. replicate.Dataset adds the Figure 1 values derived from them.
func Default() (*Dataset, error) {
	reg, err := LoadRegistry()
	if err != nil {
		return nil, err
	}
	cat, err := LoadCatalogue()
	if err != nil {
		return nil, err
	}
	opts := ReadOptions{Registry: reg, Catalogue: cat, Published: true}
	var parts []*Dataset
	for _, name := range []string{"paper2019.csv", "national2019.csv"} {
		b, err := embedded.ReadFile("data/" + name)
		if err != nil {
			return nil, err
		}
		ds, err := Read(bytes.NewReader(b), name, CSV, opts)
		if err != nil {
			return nil, fmt.Errorf("embedded %s: %w", name, err)
		}
		parts = append(parts, ds)
	}
	ds, err := Merge("agglo embedded data (paper 2019)", parts...)
	if err != nil {
		return nil, err
	}
	ds.Notes = append(ds.Notes, Issue{Text: i18n.T(
		"论文图2（产业结构）、图3（R&D 投入）和图4（创新产出）没有以数字印出：数据集只收录正文给出的数值（京津冀第三产业占比 52.03%），其余不作推测。",
		"The paper's Figures 2 (industry structure), 3 (R&D inputs) and 4 (innovation outputs) are not printed as numbers: the dataset holds only what the text states (BTH tertiary share 52.03%) and invents nothing else.")})
	return ds, nil
}
