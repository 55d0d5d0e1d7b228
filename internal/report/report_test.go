package report

import (
	"bytes"
	"context"
	"encoding/json"
	"html"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"agglo/internal/analysis"
	"agglo/internal/format"
	"agglo/internal/i18n"
	"agglo/internal/replicate"
)

func buildDefault(t testing.TB, lang string, extra ...Section) *Report {
	t.Helper()
	ds, err := analysis.PaperData()
	if err != nil {
		t.Fatal(err)
	}
	r, err := Build(context.Background(), Input{Data: ds, Lang: lang, Extra: extra})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func findTable(t *testing.T, r *Report, id string) *Table {
	t.Helper()
	for _, s := range r.Sections {
		for _, b := range s.Blocks {
			if tb, ok := b.(*Table); ok && tb.ID == id {
				return tb
			}
		}
	}
	t.Fatalf("no table %s", id)
	return nil
}

// value returns the number in the row whose label (column labelCol) is
// label, in column col.
func value(t *testing.T, tb *Table, labelCol int, label string, col int) Cell {
	t.Helper()
	for _, row := range tb.Rows {
		if row[labelCol].Text.ZH == label {
			return row[col]
		}
	}
	t.Fatalf("table %s: no row %s", tb.ID, label)
	return Cell{}
}

// The expected numbers are the paper's, as printed (seed text
// 000_e43a210d52a6a204.txt, line numbers given per case).
func TestPaperNumbers(t *testing.T) {
	r := buildDefault(t, "zh")
	cases := []struct {
		table    string
		labelCol int
		label    string
		col      int
		want     float64
		tol      float64
		derived  bool
		cite     string
	}{
		{"overview-totals", 0, "土地面积", 1, 99.31, 0.005, false, "II.1, line 145: 99.31万平方千米"},
		{"overview-totals", 0, "占全国陆地面积比重", 1, 10.34, 0.005, false, "II.1, line 146: 10.34%"},
		{"overview-totals", 0, "常住人口", 1, 5.57, 0.005, false, "II.1, line 148: 5.57亿人"},
		{"overview-totals", 0, "地区生产总值", 1, 52.76, 0.005, false, "II.1, line 150: 52.76万亿元"},
		{"overview-totals", 0, "占全国GDP比重", 1, 53.25, 0.005, false, "II.1, line 151: 53.25%"},
		{"figure1", 0, "长三角", 1, 15.0, 1e-9, false, "II.1, line 149: 长三角常住人口1.5亿人 (= 15 千万人)"},
		{"figure1", 0, "长江中游", 2, 32.61, 1e-9, false, "II.1, line 147: 长江中游占地32.61万平方千米"},
		{"figure1", 0, "长三角", 3, 19.7, 0.05, false, "II.1, line 151: 长三角GDP 19.7万亿元 (printed to 0.1)"},
		{"figure1", 0, "京津冀", 1, 11.31, 0.01, true, "derived from Table 1 and II.1 totals"},
		{"table1", 0, "京津冀", 1, 525.6, 1e-9, false, "Table 1, line 221"},
		{"table1", 0, "长三角", 1, 707.5, 1e-9, false, "Table 1, line 222"},
		{"table1", 0, "长江中游", 1, 398.7, 1e-9, false, "Table 1, line 223"},
		{"table1", 0, "珠三角", 1, 1163.6, 1e-9, false, "Table 1, line 225"},
		{"table1", 0, "成渝", 1, 540.5, 1e-9, false, "Table 1, line 226"},
		{"table1", 0, "京津冀", 2, 7.49, 1e-9, false, "Table 1, line 230"},
		{"table1", 0, "长三角", 2, 13.13, 1e-9, false, "Table 1, line 231"},
		{"table1", 0, "长江中游", 2, 7.23, 1e-9, false, "Table 1, line 232"},
		{"table1", 0, "珠三角", 2, 13.58, 1e-9, false, "Table 1, line 234"},
		{"table1", 0, "成渝", 2, 6.51, 1e-9, false, "Table 1, line 235"},
		{"figure2", 0, "京津冀", 3, 52.03, 1e-9, false, "II.2, line 197: 京津冀第三产业占比52.03%"},
		{"table2", 0, "京津冀", 1, 0.85, 1e-9, false, "Table 2, line 477"},
		{"table2", 0, "长三角", 1, 0.32, 1e-9, false, "Table 2, line 478"},
		{"table2", 0, "长江中游", 1, 0.21, 1e-9, false, "Table 2, line 479"},
		{"table2", 0, "珠三角", 1, 0.27, 1e-9, false, "Table 2, line 480"},
		{"table2", 0, "成渝", 1, 0.52, 1e-9, false, "Table 2, line 481"},
		{"table2", 0, "京津冀", 2, 0.10, 1e-9, false, "Table 2, line 486"},
		{"table2", 0, "长三角", 2, 0.23, 1e-9, false, "Table 2, line 487"},
		{"table2", 0, "长江中游", 2, 0.10, 1e-9, false, "Table 2, line 488"},
		{"table2", 0, "珠三角", 2, 0.42, 1e-9, false, "Table 2, line 489"},
		{"table2", 0, "成渝", 2, 0.16, 1e-9, false, "Table 2, line 490"},
		{"table3", 1, "北京", 2, 53.22, 1e-9, false, "Table 3 综合值, line 649"},
		{"table3", 1, "广东", 2, 59.49, 1e-9, false, "Table 3 综合值, line 656"},
		{"table3", 1, "重庆", 2, 30.87, 1e-9, false, "Table 3 综合值, line 661"},
		{"table3", 1, "北京", 3, 74.4, 1e-9, false, "Table 3 知识创造, line 667"},
		{"table3", 1, "安徽", 4, 9.06, 1e-9, false, "Table 3 知识获取"},
		{"table3", 1, "广东", 5, 75.98, 1e-9, false, "Table 3 企业创新"},
		{"table3", 1, "江西", 7, 33.87, 1e-9, false, "Table 3 创新绩效"},
		{"table3-means", 0, "京津冀", 1, 41.31, 1e-9, false, "III.4, line 880"},
		{"table3-means", 0, "京津冀", 2, 41.31, 0.005, true, "III.4, line 880: mean of Table 3 rows"},
		{"table3-means", 0, "长三角", 2, 47.93, 0.005, true, "III.3, line 793"},
		{"table3-means", 0, "长江中游", 2, 36.54, 0.005, true, "III.2, line 561"},
		{"table3-means", 0, "成渝", 2, 42.25, 0.005, true, "III.1, line 448"},
	}
	for _, c := range cases {
		cell := value(t, findTable(t, r, c.table), c.labelCol, c.label, c.col)
		if cell.Value == nil {
			t.Errorf("%s %s col %d: no value, want %g (%s)", c.table, c.label, c.col, c.want, c.cite)
			continue
		}
		if math.Abs(*cell.Value-c.want) > c.tol {
			t.Errorf("%s %s col %d = %g, want %g ± %g (%s)", c.table, c.label, c.col, *cell.Value, c.want, c.tol, c.cite)
		}
		if got := cell.Prov.Derived(); got != c.derived {
			t.Errorf("%s %s col %d: derived = %v, want %v", c.table, c.label, c.col, got, c.derived)
		}
		// The printed number rounds to the paper's.
		printed := format.Number(*cell.Value, cell.Decimals)
		if c.tol < 0.01 && !c.derived && printed != trimNum(c.want, cell.Decimals) {
			t.Errorf("%s %s col %d printed %s, want %s", c.table, c.label, c.col, printed, trimNum(c.want, cell.Decimals))
		}
	}
}

func trimNum(v float64, d int) string { return format.Number(v, d) }

// The composite weights recovered from Table 3 are those of the CRIC
// framework (0.15, 0.15, 0.25, 0.25, 0.20).
func TestRecoveredWeights(t *testing.T) {
	r := buildDefault(t, "en")
	tb := findTable(t, r, "table3-weights")
	if len(tb.Rows) != 5 {
		t.Fatalf("%d weight rows, want 5", len(tb.Rows))
	}
	for _, row := range tb.Rows {
		if row[1].Value == nil || row[2].Value == nil {
			t.Fatalf("row %s lacks a weight", row[0].Text.EN)
		}
		if math.Abs(*row[1].Value-*row[2].Value) > 0.005 {
			t.Errorf("%s: recovered %g, framework %g", row[0].Text.EN, *row[1].Value, *row[2].Value)
		}
	}
}

// Every claim of the replication appears in every output, and every group
// the paper's replication needs is there.
func TestReplicationTableComplete(t *testing.T) {
	r := buildDefault(t, "zh")
	ds, _ := analysis.PaperData()
	claims, err := replicate.Run(ds)
	if err != nil {
		t.Fatal(err)
	}
	groups := map[string]int{}
	for _, c := range claims {
		groups[c.Group]++
	}
	for _, g := range []string{"overview", "fig1", "table1", "table2", "table3", "claims"} {
		if groups[g] == 0 {
			t.Errorf("replication has no claim of group %s", g)
		}
	}
	required := []string{"overview.area_share", "overview.gdp_share", "fig1.check.yrd_gdp", "fig1.gdp.YRD"}
	outputs := map[string]string{}
	for _, f := range []string{FormatHTML, FormatMarkdown, FormatJSON} {
		var b bytes.Buffer
		if err := r.Write(&b, f); err != nil {
			t.Fatal(err)
		}
		outputs[f] = b.String()
	}
	checked, unchecked := findTable(t, r, "replication"), findTable(t, r, "replication-unchecked")
	texts := map[string]bool{}
	for _, tb := range []*Table{checked, unchecked} {
		for _, row := range tb.Rows {
			texts[row[0].Text.ZH] = true
		}
	}
	byID := map[string]replicate.Claim{}
	for _, c := range claims {
		byID[c.ID] = c
		if !texts[c.ClaimZH] {
			t.Errorf("replication tables lack %s (%s)", c.ID, c.ClaimZH)
		}
		// Ids stay in the data (JSON), not in the reader's text.
		if !strings.Contains(outputs[FormatJSON], `"id": "`+c.ID+`"`) {
			t.Errorf("JSON lacks claim %s", c.ID)
		}
		if !strings.Contains(outputs[FormatMarkdown], mdEsc(c.ClaimZH)) || !strings.Contains(outputs[FormatHTML], html.EscapeString(c.ClaimZH)) {
			t.Errorf("Markdown or HTML lacks claim %s", c.ID)
		}
	}
	for _, id := range required {
		if _, ok := byID[id]; !ok {
			t.Errorf("replication lacks required claim %s", id)
		}
	}
	v := replicate.Summarise(claims)
	if r.Verdict != v || v.Total != len(checked.Rows)+len(unchecked.Rows) || len(checked.Rows) != v.Match+v.Mismatch+v.Mixed+v.Constraint {
		t.Errorf("verdict %+v, rows %d + %d; want %+v", r.Verdict, len(checked.Rows), len(unchecked.Rows), v)
	}
}

// Every number in a table or chart carries its provenance.
func TestEveryNumberTraceable(t *testing.T) {
	r := buildDefault(t, "zh")
	for _, s := range r.Sections {
		for _, b := range s.Blocks {
			switch v := b.(type) {
			case *Table:
				for i, row := range v.Rows {
					for j, c := range row {
						if c.Value != nil && (c.Prov == nil || c.Prov.Kind == "" || (c.Prov.Ref == "" && c.Prov.Formula == "")) {
							t.Errorf("%s row %d col %d: %g has no provenance", v.ID, i, j, *c.Value)
						}
					}
				}
			case *Chart:
				for _, se := range v.Series {
					for k, p := range se.Points {
						if p.Value != nil && (p.Prov == nil || p.Prov.Kind == "") {
							t.Errorf("chart %s %s point %d has no provenance", v.ID, se.Name.EN, k)
						}
					}
				}
			}
		}
	}
}

func TestHTMLSelfContainedAndMarked(t *testing.T) {
	r := buildDefault(t, "zh")
	var b bytes.Buffer
	if err := r.WriteHTML(&b); err != nil {
		t.Fatal(err)
	}
	html := b.String()
	for _, bad := range []string{"http://", "https://", "<link rel=\"stylesheet\"", "src=\""} {
		// The ECharts bundle mentions URLs in strings; look outside it.
		outside := html[:strings.Index(html, `<script type="application/json"`)]
		if strings.Contains(outside, bad) {
			t.Errorf("HTML outside the scripts contains %q", bad)
		}
	}
	for _, want := range []string{
		`id="lang-switch"`, `data-lang="zh"`, `echarts.registerMap`, `class="num derived"`, `†1`,
		`<span class="zh" lang="zh">一、摘要</span><span class="en" lang="en">1. Summary`,
		`<h3 id="overview"><span class="zh" lang="zh">城市群基本概况（图1）</span>`,
		`title="来源：论文表1"`, `1,163.6`, `Apache-2.0`, `4.9.0`, `id="figure5"`, `id="map-members"`, `class="interp"`,
	} {
		if !strings.Contains(html, want) {
			t.Errorf("HTML lacks %q", want)
		}
	}
	if strings.Count(html, "<script") != 4 || strings.Contains(html, "<script src") {
		t.Errorf("want exactly 4 inline scripts (data, map, echarts, app)")
	}
}

func TestMarkdown(t *testing.T) {
	r := buildDefault(t, "zh")
	var b bytes.Buffer
	if err := r.WriteMarkdown(&b); err != nil {
		t.Fatal(err)
	}
	md := b.String()
	for _, want := range []string{
		"| 珠三角 | 1,163.6 | 13.58 |",                                    // Table 1
		"| 京津冀 | *11.31*†",                                             // Figure 1, derived
		"| 京津冀 | 北京 | 53.22 | 74.40 | 49.36 | 44.53 | 52.01 | 52.61 |", // Table 3
		"## 一、摘要", "## 二、各城市群画像", "### 京津冀城市群", "## 三、发展现状", "## 四、创新模式、诊断与战略", "## 五、方法与测度",
		"### 区域测度：不平衡、集中度与多中心性", "### 综合指数：重建、不确定性与敏感性", "## 附录A 论文的复现核对", "## 附录B 数据来源与推算说明", "核心引领模式", "Apache-2.0",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("Markdown lacks %q", want)
		}
	}
	r.Lang = i18n.EN
	b.Reset()
	if err := r.WriteMarkdown(&b); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "| Pearl River Delta | 1,163.6 | 13.58 |") {
		t.Error("English Markdown lacks Table 1's PRD row")
	}
}

func TestJSONAndExtraSections(t *testing.T) {
	extra := Section{ID: "extra", Title: i18n.T("附加", "Extra"), Blocks: []Block{&Paragraph{Text: i18n.T("甲", "A")}}}
	r := buildDefault(t, "en", extra)
	n := len(r.Sections)
	if r.Sections[n-3].ID != "extra" || r.Sections[n-2].ID != "replication" || r.Sections[n-1].ID != "provenance" {
		t.Fatalf("extra section not placed before the appendices: %s, %s, %s", r.Sections[n-3].ID, r.Sections[n-2].ID, r.Sections[n-1].ID)
	}
	if r.Sections[0].ID != "summary" || r.Sections[1].ID != "profiles" {
		t.Fatalf("the report does not open with the summary and the profiles: %s, %s", r.Sections[0].ID, r.Sections[1].ID)
	}
	var b bytes.Buffer
	if err := r.WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	var got struct {
		Sections []struct {
			ID     string `json:"id"`
			Blocks []struct {
				Kind string `json:"kind"`
			} `json:"blocks"`
		} `json:"sections"`
		Claims []replicate.Claim `json:"claims"`
	}
	if err := json.Unmarshal(b.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	kinds := map[string]bool{}
	for _, s := range got.Sections {
		for _, bl := range s.Blocks {
			if bl.Kind == "" {
				t.Errorf("section %s: block without kind", s.ID)
			}
			kinds[bl.Kind] = true
		}
	}
	for _, k := range []string{"heading", "paragraph", "table", "chart", "map", "diagram"} {
		if !kinds[k] {
			t.Errorf("JSON has no %s block", k)
		}
	}
	if len(got.Claims) == 0 {
		t.Error("JSON has no claims")
	}
}

// BenchmarkReport builds the report on the embedded data and writes the
// HTML page, as agglo report does.
func BenchmarkReport(b *testing.B) {
	for b.Loop() {
		ds, err := analysis.PaperData()
		if err != nil {
			b.Fatal(err)
		}
		r, err := Build(context.Background(), Input{Data: ds, Lang: "zh"})
		if err != nil {
			b.Fatal(err)
		}
		var buf bytes.Buffer
		if err := r.WriteHTML(&buf); err != nil {
			b.Fatal(err)
		}
	}
}

func TestAnalysisSections(t *testing.T) {
	ds, err := analysis.PaperData()
	if err != nil {
		t.Fatal(err)
	}
	r, err := Build(context.Background(), Input{Data: ds, Lang: "zh"})
	if err != nil {
		t.Fatal(err)
	}
	measures, comp := subsection(r, "measures"), subsection(r, "composite")
	if measures == nil || comp == nil {
		t.Fatal("measures or composite subsection missing")
	}
	var tbl *Table
	for _, b := range measures {
		if x, ok := b.(*Table); ok && x.ID == "measures-table" {
			tbl = x
		}
	}
	if tbl == nil {
		t.Fatal("no measures table")
	}
	// Table 3 composites, hand calculation: BTH core share 53.22/(53.22 +
	// 28.83 + 21.86) = 0.51217; primacy 53.22/28.83 = 1.84600. PRD has one
	// province: no value.
	got := map[string][]Cell{}
	for _, row := range tbl.Rows {
		got[row[0].Text.EN] = row
	}
	bth := got["Beijing-Tianjin-Hebei"]
	if bth == nil || math.Abs(*bth[3].Value-53.22/(53.22+28.83+21.86)) > 1e-12 || math.Abs(*bth[4].Value-53.22/28.83) > 1e-12 {
		t.Errorf("BTH row: %+v", bth)
	}
	if prd := got["Pearl River Delta"]; prd == nil || prd[3].Value != nil {
		t.Errorf("PRD row should have no value: %+v", prd)
	}
	if len(tbl.Notes) == 0 || !strings.Contains(tbl.Notes[0].EN, "city-level data") {
		t.Errorf("notes: %+v", tbl.Notes)
	}
	// The composite section ranks Guangdong first (Table 3: 59.49, the
	// highest composite) and carries a rank-interval chart.
	var ranks *Table
	var rng *Chart
	for _, b := range comp {
		switch x := b.(type) {
		case *Table:
			if ranks == nil {
				ranks = x
			}
		case *Chart:
			if x.Kind == ChartRange {
				rng = x
			}
		}
	}
	if ranks == nil || ranks.Rows[0][1].Text.ZH != "广东" || rng == nil || len(rng.Series) != 4 || len(rng.Categories) != 13 {
		t.Errorf("composite section: ranks %v, range %v", ranks != nil, rng != nil)
	}
}

func TestXLSX(t *testing.T) {
	ds, err := analysis.PaperData()
	if err != nil {
		t.Fatal(err)
	}
	r, err := Build(context.Background(), Input{Data: ds, Lang: "zh"})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := r.Write(&buf, FormatXLSX); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	// Chinese sheet names in a Chinese report.
	const t3 = "表3 2019年五大城市群创新能力综合指标"
	if sheets[0] != "目录" || !slices.Contains(sheets, t3) {
		t.Fatalf("sheets %v: want 目录 first and a sheet %s", sheets, t3)
	}
	for _, s := range sheets {
		if !hasHan(s) {
			t.Errorf("sheet %q has no Chinese name", s)
		}
	}
	// The contents list every other sheet by its name in the workbook.
	contents, err := f.GetRows(sheets[0])
	if err != nil {
		t.Fatal(err)
	}
	listed := map[string]bool{}
	for _, row := range contents {
		if len(row) > 0 {
			listed[row[0]] = true
		}
	}
	for _, s := range sheets[1:] {
		if !listed[s] {
			t.Errorf("sheet %q is not in the contents", s)
		}
	}
	rows, err := f.GetRows(t3, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	// Paper Table 3: Guangdong's composite is 59.49, stored as a number
	// with its source in the next column.
	found := false
	for _, row := range rows {
		for j, c := range row {
			if c == "59.49" && j+1 < len(row) && strings.Contains(row[j+1], "论文表3") {
				found = true
			}
		}
	}
	if !found {
		t.Errorf("Guangdong's 59.49 with its source not found in sheet table3: %v", rows[:min(4, len(rows))])
	}
}

// subsection returns the blocks of a subsection: those after the heading
// with the id, up to the next heading.
func subsection(r *Report, id string) []Block {
	for _, s := range r.Sections {
		for i, b := range s.Blocks {
			if h, ok := b.(*Heading); ok && h.ID == id {
				var out []Block
				for _, b2 := range s.Blocks[i+1:] {
					if _, ok := b2.(*Heading); ok {
						break
					}
					out = append(out, b2)
				}
				return out
			}
		}
	}
	return nil
}
