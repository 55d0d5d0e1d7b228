package report

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"math"
	"strings"
	"testing"

	"agglo/internal/analysis"
	"agglo/internal/dataset"
	"agglo/internal/format"
	"agglo/internal/i18n"
)

// buildConnectivity builds the report on the built-in city connectivity
// data (urban-district population and GDP of 2016 for 274 cities).
func buildConnectivity(t *testing.T, lang string) (*Report, *analysis.Structure, *dataset.Dataset) {
	t.Helper()
	var e dataset.Embedded
	ds, err := e.Builtin(context.Background(), dataset.BuiltinConnectivity)
	if err != nil {
		t.Fatal(err)
	}
	r, err := Build(context.Background(), Input{Data: ds, Lang: lang})
	if err != nil {
		t.Fatal(err)
	}
	st, err := analysis.ReportStructure(context.Background(), ds, analysis.StructureRequest{Lang: lang})
	if err != nil {
		t.Fatal(err)
	}
	return r, st, ds
}

// The network section shows the network's statistics as analysis computed
// them, lists at most three members of each agglomeration by strength,
// with shares of linkage that are the members' strengths over the total
// (hand division here), reads only numbers it shows, keeps to the
// report's language and appears in every output format.
func TestStructureNetworkSection(t *testing.T) {
	for _, lang := range []string{i18n.ZH, i18n.EN} {
		r, st, ds := buildConnectivity(t, lang)
		b := &builder{ds: ds}
		net := st.Network
		if net == nil {
			t.Fatalf("%s: no network: %+v", lang, st.Skipped)
		}
		s := section(t, r, "structure")
		sum, ok := blockByID(s, "structure-network").(*Table)
		if !ok {
			t.Fatalf("%s: no network table", lang)
		}
		for i, c := range []struct {
			key string
			dec int
		}{{"", 0}, {"edges", 0}, {"density", 3}, {"communities", 0}, {"modularity", 3}, {"group_modularity", 3}, {"nmi", 3}, {"ari", 3}} {
			want := float64(net.N)
			if c.key != "" {
				want = float64(net.Stats[c.key])
			}
			if got := cellString(sum.Rows[i][1]); got != format.Number(want, c.dec) {
				t.Errorf("%s: row %d (%s) shows %s, want %s", lang, i, c.key, got, format.Number(want, c.dec))
			}
		}
		// The isolated members: those the analysis gives degree 0,
		// counted here from its units; every one of them is a community
		// of its own, so communities ≥ isolated + 1.
		iso := 0
		for _, u := range net.Units {
			if u.Values["degree"] == 0 {
				iso++
			}
		}
		if got := cellString(sum.Rows[8][1]); got != format.Number(float64(iso), 0) || float64(net.Stats["communities"]) < float64(iso+1) {
			t.Errorf("%s: isolated members shown %s, counted %d (communities %v)", lang, got, iso, net.Stats["communities"])
		}
		members, ok := blockByID(s, "structure-network-members").(*Table)
		if !ok {
			t.Fatalf("%s: no members table", lang)
		}
		total := 0.0
		strength := map[string]float64{}
		for _, u := range net.Units {
			total += float64(u.Values["strength"])
			strength[b.unitName(u.Unit, u.Name).In(lang)] = float64(u.Values["strength"])
		}
		groups, listed := 0, 0
		var last float64
		for _, row := range members.Rows {
			if row[0].Class == "group" {
				groups, last = groups+1, math.Inf(1)
				continue
			}
			listed++
			name := row[0].Text.In(lang)
			share := 100 * strength[name] / total
			if row[2].Value == nil || math.Abs(*row[2].Value-share) > 1e-9 || *row[2].Value > last {
				t.Errorf("%s: %s share %v, want %v, not above the previous %v", lang, name, row[2].Value, share, last)
			}
			last = *row[2].Value
		}
		if groups != 5 || listed != 15 {
			t.Errorf("%s: %d agglomerations, %d members listed; want 5 and 15", lang, groups, listed)
		}
		checkInterpretations(t, r, "connectivity "+lang)
		// The section in every format, and in the report's language.
		only := *r
		only.Sections = []Section{s}
		only.Dataset = ""
		var md, doc, html, xl, js bytes.Buffer
		for _, w := range []struct {
			f   func(io.Writer) error
			buf *bytes.Buffer
		}{{only.WriteMarkdown, &md}, {only.WriteDOCX, &doc}, {only.WriteHTML, &html}, {only.WriteXLSX, &xl}, {only.WriteJSON, &js}} {
			if err := w.f(w.buf); err != nil {
				t.Fatal(err)
			}
		}
		caption := sum.Caption.In(lang)
		word := docxText(t, doc.Bytes())
		mcap := members.Caption.In(lang)
		for name, text := range map[string]string{"Markdown": md.String(), "Word": word, "HTML": html.String(), "Excel": xlsxText(t, xl.Bytes())} {
			if !strings.Contains(text, caption) || !strings.Contains(text, mcap) {
				t.Errorf("%s %s: no network tables", lang, name)
			}
		}
		if !strings.Contains(js.String(), `"structure-network"`) || !strings.Contains(js.String(), `"structure-network-members"`) {
			t.Errorf("%s JSON: no network tables", lang)
		}
		for name, text := range map[string]string{"Markdown": md.String(), "Word": word} {
			if !strings.Contains(text, caption) {
				t.Errorf("%s %s: no caption %q", lang, name, caption)
			}
			for i, l := range languageLeaks(text, lang) {
				if i == 20 {
					break
				}
				t.Errorf("%s %s: %s", lang, name, l)
			}
		}
	}
}

// xlsxText returns the XML of a workbook's parts (its strings are inline
// in the sheets).
func xlsxText(t *testing.T, b []byte) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	var sb strings.Builder
	for _, f := range zr.File {
		if strings.HasPrefix(f.Name, "xl/") && strings.HasSuffix(f.Name, ".xml") {
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			x, _ := io.ReadAll(rc)
			rc.Close()
			sb.Write(x)
		}
	}
	return sb.String()
}

// Data without population and GDP (the paper's) say so in the section.
func TestStructureNetworkSkipped(t *testing.T) {
	s := section(t, buildDefault(t, i18n.ZH), "structure")
	found := false
	for _, b := range s.Blocks {
		if p, ok := b.(*Paragraph); ok && p.Note && strings.Contains(p.Text.ZH, "无法计算引力联系网络") && strings.Contains(p.Text.EN, "gravity linkage network cannot be computed") {
			found = true
		}
	}
	if !found || blockByID(s, "structure-network") != nil {
		t.Errorf("paper: no reason for the missing network, or a network table")
	}
}
