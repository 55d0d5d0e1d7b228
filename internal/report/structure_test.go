package report

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"agglo/internal/analysis"
	"agglo/internal/dataset"
	"agglo/internal/i18n"
)

// The data files of the structure part's tests: the census of the cities
// (2010, 2020; city points) and the province science-and-technology panel
// (2011-2023; province polygons).
const (
	censusFile = "../../testdata/china2019/city_census_2010_2020.csv"
	panelFile  = "../../testdata/china_panel/province_st_techme_2010_2023.csv"
)

// buildFile builds the report on a data file of the repository's testdata.
func buildFile(t testing.TB, path, lang string) *Report {
	t.Helper()
	reg, err := dataset.LoadRegistry()
	if err != nil {
		t.Fatal(err)
	}
	cat, err := dataset.LoadCatalogue()
	if err != nil {
		t.Fatal(err)
	}
	ds, err := dataset.ReadFile(path, dataset.ReadOptions{Registry: reg, Catalogue: cat})
	if err != nil {
		t.Fatal(i18n.Message(err, i18n.EN))
	}
	r, err := Build(context.Background(), Input{Data: ds, Lang: lang})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// section returns a report's section.
func section(t *testing.T, r *Report, id string) Section {
	t.Helper()
	for _, s := range r.Sections {
		if s.ID == id {
			return s
		}
	}
	t.Fatalf("no section %s", id)
	return Section{}
}

// blockByID returns the table, chart or map of a section with the id.
func blockByID(s Section, id string) Block {
	for _, b := range s.Blocks {
		switch v := b.(type) {
		case *Table:
			if v.ID == id {
				return v
			}
		case *Chart:
			if v.ID == id {
				return v
			}
		case *Map:
			if v.ID == id {
				return v
			}
		}
	}
	return nil
}

// The structure part's readings state only numbers their tables show, and
// every table is read, on the census (cities), the province panel and the
// paper's data.
func TestStructureInterpretations(t *testing.T) {
	for _, c := range []struct{ name, path string }{{"census", censusFile}, {"panel", panelFile}, {"free units", freeFile}} {
		r := buildFile(t, c.path, i18n.ZH)
		checkInterpretations(t, r, c.name)
	}
}

// The part in Markdown and Word shows no identifier or English label in
// Chinese and no Chinese in English, on the census and the panel (the
// paper's data are scanned by TestLanguageOfTheText).
func TestStructureLanguage(t *testing.T) {
	checkPartLanguage(t, "structure", 2000, nil, censusFile, panelFile)
}

// The census report maps the cities as points by LISA cluster type and
// Gi* class, the map's classes hold as many cities as the table counts,
// the β table has a row per club, the heat table shades its cells and the
// kernel chart draws at most five years.
func TestStructureCensus(t *testing.T) {
	r := buildFile(t, censusFile, i18n.ZH)
	s := section(t, r, "structure")
	for _, id := range []string{"structure-lisa", "structure-hotspots"} {
		m, ok := blockByID(s, id+"-map").(*Map)
		tb, ok2 := blockByID(s, id).(*Table)
		if !ok || !ok2 {
			t.Fatalf("%s: no map or table", id)
		}
		if m.Kind != MapClusters || m.Regions || m.Table != tb.ID || len(m.Groups) != len(tb.Rows) {
			t.Fatalf("%s map: kind %q, regions %v, table %q, %d groups", id, m.Kind, m.Regions, m.Table, len(m.Groups))
		}
		total := 0
		for i, g := range m.Groups {
			if float64(len(g.Points)) != *tb.Rows[i][1].Value || g.Name != tb.Rows[i][0].Text {
				t.Errorf("%s: class %s has %d points, the table %v", id, g.Code, len(g.Points), *tb.Rows[i][1].Value)
			}
			total += len(g.Points)
		}
		// 357 cities have a 2020 population; 三沙 has no coordinates.
		if total != 356 {
			t.Errorf("%s: %d cities on the map, want 356", id, total)
		}
	}
	// 三沙 has a population but no coordinates: the part says so.
	said := false
	for _, b := range s.Blocks {
		if p, ok := b.(*Paragraph); ok && p.Note && strings.Contains(p.Text.ZH, "没有坐标的地区不参与空间统计：三沙市") {
			said = true
		}
	}
	if !said {
		t.Error("no note on the city left out for lack of coordinates")
	}
	beta := blockByID(s, "structure-beta").(*Table)
	if len(beta.Rows) != 6 || beta.Rows[0][0].Text.ZH != "全部地区" {
		t.Errorf("β table: %d rows, first %q; want all regions and five clubs", len(beta.Rows), beta.Rows[0][0].Text.ZH)
	}
	pairs := blockByID(s, "structure-dagum-pairs").(*Table)
	shaded := 0
	for _, row := range pairs.Rows {
		for _, c := range row[1:] {
			if c.Shade != "" {
				shaded++
			}
		}
	}
	if len(pairs.Rows) != 5 || shaded != 25 {
		t.Errorf("heat table: %d rows, %d shaded cells; want 5 and 25", len(pairs.Rows), shaded)
	}
	k := blockByID(s, "structure-kernel-chart").(*Chart)
	if k.Kind != ChartLine || len(k.Series) != 2 || len(k.X) != analysis.StructureKernelPoints || !k.HideValues {
		t.Errorf("kernel chart: %s, %d series, %d x values", k.Kind, len(k.Series), len(k.X))
	}
}

// The panel report colours provinces, draws five of the thirteen years of
// densities and reads σ from 2011 to 2023; the paper's one year says
// plainly that convergence needs several.
func TestStructurePanelAndPaper(t *testing.T) {
	s := section(t, buildFile(t, panelFile, i18n.EN), "structure")
	if m := blockByID(s, "structure-lisa-map").(*Map); !m.Regions {
		t.Error("province data: the LISA map does not colour provinces")
	}
	k := blockByID(s, "structure-kernel-chart").(*Chart)
	var years []string
	for _, se := range k.Series {
		years = append(years, se.Name.EN)
	}
	if strings.Join(years, ",") != "2011,2014,2017,2020,2023" || k.Note.EN == "" {
		t.Errorf("kernel years %v, note %q", years, k.Note.EN)
	}
	if sig := blockByID(s, "structure-sigma").(*Table); len(sig.Rows) != 13 {
		t.Errorf("σ table: %d years, want 13", len(sig.Rows))
	}
	if blockByID(s, "structure-dagum-years") == nil {
		t.Error("no Dagum decomposition by year")
	}
	p := section(t, buildDefault(t, i18n.ZH), "structure")
	notes := 0
	for _, b := range p.Blocks {
		if par, ok := b.(*Paragraph); ok && par.Note && strings.Contains(par.Text.ZH, "数据只有一个年份（2019 年）") && strings.Contains(par.Text.EN, "one year only (2019)") {
			notes++
		}
	}
	if notes != 2 {
		t.Errorf("%d notes that the paper's data cover one year, want 2 (convergence, distribution)", notes)
	}
	if blockByID(p, "structure-sigma") != nil || blockByID(p, "structure-obstacle") == nil || !blockByID(p, "structure-lisa-map").(*Map).Regions {
		t.Error("paper: σ table without years, or no obstacle table, or no province map")
	}
}

// BenchmarkReportCensus builds the report on the census of the cities
// (357 cities, two years: LISA and the global statistics with 999
// permutations over 356 cities) and writes its HTML page.
func BenchmarkReportCensus(b *testing.B) {
	for b.Loop() {
		r := buildFile(b, censusFile, i18n.ZH)
		var buf bytes.Buffer
		if err := r.WriteHTML(&buf); err != nil {
			b.Fatal(err)
		}
	}
}
