package cli

import (
	"fmt"
	"io"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"agglo/internal/analysis"
	"agglo/internal/dataset"
	"agglo/internal/i18n"
	"agglo/internal/xlsx"
)

type measureOptions struct {
	req         analysis.MeasureRequest
	indicators  string
	inputs      string
	outputs     string
	threshold   string
	orientation string
	returns     string
	format      string
	out         string
	force       bool
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func newMeasureCmd(g *globals) *cobra.Command {
	var o measureOptions
	cmd := &cobra.Command{
		Use:   "measure METHOD",
		Short: "区域测度：不平衡、集中度、产业相似、城际联系、耦合协调、效率 / regional measures",
		Long: `计算区域测度。METHOD 为 / METHOD is one of:
  gini cv williamson theil theil-l primacy hhi top-share rank-size   (--indicator, --weight, --group)
  similarity krugman lq                                                (--indicators sector1,sector2,...)
  gravity                                                              (--indicators P,G --exponent 2 --threshold mean|median|N)
  coupling                                                             (--indicators U1,U2,... in [0,1])
  dea                                                                  (--inputs ... --outputs ... --orientation input|output --returns crs|vrs)
  all                                                                  (a profile per agglomeration: --indicator, --group agglomeration)
Formulas and sources: docs/methods.md; each result carries its formula.`,
		Example: `  agglo measure theil --indicator cric_composite --group agglomeration
  agglo measure primacy --indicator cric_composite --group agglomeration --format json
  agglo measure gini --data testdata/reference/mexico.csv --indicator pcgdp --year 1940
  agglo measure gini --data testdata/reference/mexico.csv --indicator pcgdp --panel
  agglo measure top-share --data testdata/china2019/city_census_2010_2020.csv --indicator popu --group agglomeration --panel
  agglo measure dea --data testdata/china2019/province_2019_long.csv --inputs rd_expenditure,rd_personnel_fte --outputs patent_grants`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.req.Method = args[0]
			return runMeasure(cmd, g, o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.req.Indicator, "indicator", "", "指标代码或名称 / indicator code or name")
	f.StringVar(&o.indicators, "indicators", "", "多个指标，逗号分隔 / several indicators, comma-separated")
	f.StringVar(&o.req.Weight, "weight", "", "权重指标（如人口）/ weight indicator (e.g. population)")
	f.StringVar(&o.req.Group, "group", "", "agglomeration 或分组指标 / agglomeration or a group-label indicator")
	f.IntVar(&o.req.Year, "year", 0, "年份（默认最近一年）/ year (default: latest)")
	f.Float64Var(&o.req.Exponent, "exponent", 2, "引力模型距离指数 / gravity distance exponent")
	f.IntVar(&o.req.Top, "top", 0, "前 N 个单元 / top N units (top-share, rank-size)")
	f.StringVar(&o.threshold, "threshold", "mean", "网络阈值 mean|median|数值 / network threshold")
	f.StringVar(&o.orientation, "orientation", "input", "DEA 导向 input|output")
	f.StringVar(&o.returns, "returns", "crs", "DEA 规模报酬 crs|vrs")
	f.StringVar(&o.inputs, "inputs", "", "DEA 投入指标 / DEA inputs")
	f.StringVar(&o.outputs, "outputs", "", "DEA 产出指标 / DEA outputs")
	f.BoolVar(&o.req.Sample, "sample", false, "CV 用样本标准差 (n−1) / sample standard deviation for cv")
	f.BoolVar(&o.req.Panel, "panel", false, "逐年计算并给出趋势（如核心份额变化即虹吸）/ every year with its trend (e.g. core share change: siphon)")
	f.StringVar(&o.format, "format", "", "table|json|csv|xlsx（xlsx 需 -o）")
	f.StringVarP(&o.out, "output", "o", "", "输出文件，格式按扩展名（.xlsx、.csv、.json，其余为文本表格）/ output file, format from the extension (.xlsx, .csv, .json, else a text table)")
	f.BoolVar(&o.force, "force", false, forceFlagUsage)
	return cmd
}

// flagError names the flag of a value that does not parse.
func flagError(flag string, err error) error {
	return usageError{&i18n.Error{Text: i18n.T(flag+"："+i18n.Message(err, i18n.ZH), flag+": "+i18n.Message(err, i18n.EN))}}
}

// validate parses the method and the flags with a syntax into the request.
func (o *measureOptions) validate() error {
	var err error
	if o.req.Method, err = analysis.ParseMeasureMethod(o.req.Method); err != nil {
		return usageError{err}
	}
	if o.req.Threshold, err = analysis.ParseThreshold(o.threshold); err != nil {
		return flagError("--threshold", err)
	}
	if o.req.DEA.Orientation, err = analysis.ParseOrientation(o.orientation); err != nil {
		return flagError("--orientation", err)
	}
	if o.req.DEA.Returns, err = analysis.ParseReturns(o.returns); err != nil {
		return flagError("--returns", err)
	}
	o.req.Indicators, o.req.Inputs, o.req.Outputs = splitList(o.indicators), splitList(o.inputs), splitList(o.outputs)
	return nil
}

func runMeasure(cmd *cobra.Command, g *globals, o measureOptions) error {
	format, err := g.resolveTableFormat(o.format, o.out)
	if err != nil {
		return err
	}
	if err := o.validate(); err != nil {
		return err
	}
	o.req.Lang = g.lang
	ds, err := g.loadData(cmd)
	if err != nil {
		return err
	}
	res, err := analysis.Measure(ds, o.req)
	if err != nil {
		return usageError{err}
	}
	tables := measureTables(g, res, ds)
	if format == "xlsx" {
		return writeFileAtomic(o.out, o.force, func(w io.Writer) error { return writeTablesXLSX(w, tables) })
	}
	return g.toOutput(o.out, o.force, func() error { return printMeasure(g, res, tables) })
}

func printMeasure(g *globals, res *analysis.MeasureResult, tables []namedTable) error {
	if g.format == "json" {
		return g.emit(res, nil)
	}
	for i, nt := range tables {
		if g.format == "table" {
			if i > 0 {
				fmt.Fprintln(g.stdout)
			}
			fmt.Fprintf(g.stdout, "== %s ==\n", nt.name)
		}
		if err := g.emit(res, nt.t); err != nil {
			return err
		}
	}
	if g.format == "table" {
		fmt.Fprintf(g.stdout, "\n%s: %s\n", g.t("公式", "formula"), res.Formula)
		for _, n := range res.Notes {
			fmt.Fprintf(g.stdout, "%s: %s\n", g.t("说明", "note"), n)
		}
	}
	return nil
}

type namedTable struct {
	name string
	t    *table
}

func numPtr(n *analysis.Num) string {
	if n == nil {
		return "—"
	}
	return num(float64(*n))
}

func sortedKeys(m map[string]analysis.Num) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// measureTables lays a measure result out as tables.
func measureTables(g *globals, r *analysis.MeasureResult, ds *dataset.Dataset) []namedTable {
	var out []namedTable
	keyName := func(k string) string { return analysis.MeasureKeyName(k).In(g.lang) }
	sum := &table{header: []string{g.t("项目", "item"), g.t("值", "value")}}
	sum.add(g.t("方法", "method"), analysis.MeasureName(r.Method).In(g.lang))
	if r.Indicator != "" {
		name := r.Indicator
		if ind, ok := ds.Indicator(r.Indicator); ok {
			name = ind.Name(g.lang)
		}
		sum.add(g.t("指标", "indicator"), name)
	}
	if len(r.Indicators) > 0 {
		sum.add(g.t("指标", "indicators"), strings.Join(r.Indicators, ", "))
	}
	if r.Weight != "" {
		sum.add(g.t("权重", "weight"), r.Weight)
	}
	sum.add(g.t("年份", "year"), yearText(r.Year))
	sum.add(g.t("单元数", "units"), fmt.Sprint(r.N))
	if r.Value != nil {
		sum.add(g.t("值", "value"), numPtr(r.Value))
	}
	if r.Between != nil {
		sum.add(g.t("组间", "between"), numPtr(r.Between))
		sum.add(g.t("组内", "within"), numPtr(r.Within))
	}
	for _, k := range sortedKeys(r.Stats) {
		sum.add(keyName(k), num(float64(r.Stats[k])))
	}
	out = append(out, namedTable{g.t("结果", "result"), sum})
	if len(r.Groups) > 0 {
		keys := map[string]bool{}
		for _, gr := range r.Groups {
			for k := range gr.Measures {
				keys[k] = true
			}
		}
		var ks []string
		for k := range keys {
			ks = append(ks, k)
		}
		sort.Strings(ks)
		// Value, contribution and share are columns only where some group
		// has them (primacy and the profile have none of the last two).
		var hasValue, hasContribution, hasShare bool
		for _, gr := range r.Groups {
			hasValue = hasValue || gr.Value != nil && !math.IsNaN(float64(*gr.Value))
			hasContribution = hasContribution || gr.Contribution != nil && !math.IsNaN(float64(*gr.Contribution))
			hasShare = hasShare || gr.Share != nil && !math.IsNaN(float64(*gr.Share))
		}
		hdr := []string{g.t("组", "group"), g.t("名称", "name"), g.t("单元数", "n")}
		if hasValue {
			hdr = append(hdr, g.t("值", "value"))
		}
		if hasContribution {
			hdr = append(hdr, g.t("贡献", "contribution"))
		}
		if hasShare {
			hdr = append(hdr, g.t("贡献率", "share"))
		}
		for _, k := range ks {
			hdr = append(hdr, keyName(k))
		}
		t := &table{header: hdr}
		for _, gr := range r.Groups {
			row := []string{gr.Group, gr.Name, fmt.Sprint(gr.N)}
			if hasValue {
				row = append(row, numPtr(gr.Value))
			}
			if hasContribution {
				row = append(row, numPtr(gr.Contribution))
			}
			if hasShare {
				row = append(row, numPtr(gr.Share))
			}
			for _, k := range ks {
				v, ok := gr.Measures[k]
				if !ok {
					v = analysis.Num(math.NaN())
				}
				row = append(row, num(float64(v)))
			}
			t.add(row...)
		}
		out = append(out, namedTable{g.t("分组", "groups"), t})
	}
	if len(r.Panel) > 0 {
		t := &table{header: []string{g.t("年份", "year"), "n", g.t("值", "value")}}
		var groups []string
		for _, py := range r.Panel {
			for _, gr := range py.Groups {
				if !slices.Contains(groups, gr.Group) {
					groups = append(groups, gr.Group)
				}
			}
		}
		t.header = append(t.header, groups...)
		for _, py := range r.Panel {
			row := []string{fmt.Sprint(py.Year), fmt.Sprint(py.N), numPtr(py.Value)}
			for _, gname := range groups {
				cell := "—"
				for _, gr := range py.Groups {
					if gr.Group == gname {
						cell = numPtr(gr.Value)
					}
				}
				row = append(row, cell)
			}
			t.add(row...)
		}
		out = append(out, namedTable{g.t("逐年", "by year"), t})
		tr := &table{header: []string{g.t("组", "group"), g.t("起点", "start"), g.t("终点", "end"), g.t("变化", "change"), g.t("趋势斜率", "trend slope"), "n"}}
		for _, x := range r.Trends {
			name := x.Group
			if name == "" {
				name = g.t("全部", "all")
			}
			tr.add(name, numPtr(x.Start), numPtr(x.End), numPtr(x.Change), numPtr(x.Slope), fmt.Sprint(x.N))
		}
		out = append(out, namedTable{g.t("趋势", "trends"), tr})
	}
	if len(r.Matrix) > 0 {
		cols := r.Labels
		if len(r.Columns) > 0 {
			cols = r.Columns
		}
		t := &table{header: append([]string{""}, cols...)}
		for i, row := range r.Matrix {
			cells := []string{r.Labels[i]}
			for _, v := range row {
				cells = append(cells, num(float64(v)))
			}
			t.add(cells...)
		}
		out = append(out, namedTable{g.t("矩阵", "matrix"), t})
	}
	if len(r.Units) > 0 {
		keys := map[string]bool{}
		slackKeys := map[string]bool{}
		for _, u := range r.Units {
			for k := range u.Values {
				keys[k] = true
			}
			for k := range u.Slacks {
				slackKeys[k] = true
			}
		}
		var ks, sk []string
		for k := range keys {
			ks = append(ks, k)
		}
		for k := range slackKeys {
			sk = append(sk, k)
		}
		sort.Strings(ks)
		sort.Strings(sk)
		hdr := []string{g.t("单元", "unit"), g.t("名称", "name")}
		dea := r.Method == "dea"
		if dea {
			hdr = append(hdr, g.t("效率", "efficiency"), g.t("规模效率", "scale efficiency"))
		}
		for _, k := range ks {
			hdr = append(hdr, keyName(k))
		}
		for _, k := range sk {
			hdr = append(hdr, g.t("松弛：", "slack: ")+k)
		}
		if r.Method == "coupling" {
			hdr = append(hdr, g.t("协调等级", "level"))
		}
		t := &table{header: hdr}
		for _, u := range r.Units {
			row := []string{u.Unit, u.Name}
			if dea {
				row = append(row, numPtr(u.Efficiency), numPtr(u.ScaleEfficiency))
			}
			for _, k := range ks {
				row = append(row, num(float64(u.Values[k])))
			}
			for _, k := range sk {
				row = append(row, num(float64(u.Slacks[k])))
			}
			if r.Method == "coupling" {
				row = append(row, i18n.T(u.LevelZH, u.LevelEN).In(g.lang))
			}
			t.add(row...)
		}
		out = append(out, namedTable{g.t("单元", "units"), t})
	}
	return out
}

// writeTablesXLSX writes one sheet per table, numbers as numbers.
func writeTablesXLSX(w io.Writer, tables []namedTable) error {
	sheets := make([]xlsx.Sheet, len(tables))
	for i, nt := range tables {
		rows := [][]any{make([]any, len(nt.t.header))}
		for j, h := range nt.t.header {
			rows[0][j] = h
		}
		for _, row := range nt.t.rows {
			cells := make([]any, len(row))
			for j, c := range row {
				cells[j] = c
				if v, err := strconv.ParseFloat(c, 64); err == nil && strconv.FormatFloat(v, 'f', -1, 64) == c {
					cells[j] = v
				}
			}
			rows = append(rows, cells)
		}
		sheets[i] = xlsx.Sheet{Name: fmt.Sprintf("%d %s", i+1, nt.name), HeaderRows: 1, Rows: xlsx.Rows(rows)}
	}
	return xlsx.Write(w, sheets...)
}
