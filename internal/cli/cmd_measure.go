package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
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
	req            analysis.MeasureRequest
	indicators     string
	inputs         string
	outputs        string
	threshold      string
	orientation    string
	returns        string
	spatialWeights string
	transform      string
	permutations   string
	epsilon        string
	controls       string
	flows          string
	mode           string
	coupling       string
	format         string
	out            string
	force          bool
	// The composite index of obstacle.
	framework string
	coinrData string
	coinrMeta string
	time      string
	methods   analysis.OverrideText
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
		Short: "区域测度：不平衡、集中度、空间自相关、收敛、分解、网络、障碍度 / regional measures",
		Long: `计算区域测度。METHOD 为 / METHOD is one of:
  gini cv williamson theil theil-l atkinson primacy hhi top-share rank-size
                        (--indicator, --weight, --group; atkinson --epsilon 0.5; --panel: every year and its trend,
                         theil keeps between/within for every year)
  dagum                 (--indicator --group G [--weight W]: within, net between, transvariation, pairs)
  gini-sources          (--indicators S1,S2,...: the Gini of their sum by source)
  kernel                (--indicator [--panel]: Gaussian kernel density, Silverman bandwidth, one grid for all years)
  convergence           (--indicator [--from Y0 --to YT] [--group agglomeration] [--controls C1,C2] [--robust]: σ and β)
  moran geary lisa getis-ord
                        (--indicator --spatial-weights knn:K|distance:KM|idw:P [--transform row|binary|none]
                         --permutations 999 --seed 1; getis-ord --star for Gi*; moran/geary --panel per year)
  network               (--flows FILE with from,to,value, or --indicators P,G for the gravity matrix;
                         --mode directed|sum|max, --threshold; communities against --group, default agglomeration)
  obstacle              (--framework cric|io|FILE or --coinr-data/--coinr-meta, with the index's step flags)
  similarity krugman lq (--indicators sector1,sector2,...)
  gravity               (--indicators P,G --exponent 2 --threshold mean|median|N)
  coupling              (--indicators U1,U2,... in [0,1], --coupling standard|wang)
  dea                   (--inputs ... --outputs ... --orientation input|output --returns crs|vrs)
  all                   (a profile per agglomeration: --indicator, --group agglomeration)
An indicator whose header carries a year (pop_2020) is --indicator pop --year 2020. Coordinates come from the
registry for Chinese units and from 经度/纬度 (or x_lon/y_lat) columns for others. Results give the formula and a summary
in words; formulas and sources: docs/methods.md.`,
		Example: `  agglo measure theil --indicator cric_composite --group agglomeration
  agglo measure gini --data testdata/reference/mexico.csv --indicator pcgdp --year 1940
  agglo measure theil --data testdata/reference/mexico.csv --indicator pcgdp --group hanson98 --panel
  agglo measure top-share --data testdata/china2019/city_census_2010_2020.csv --indicator popu --group agglomeration --panel
  agglo measure moran --data testdata/reference/spatial/cities.csv --indicator pop --year 2020 --spatial-weights knn:6 --permutations 999 --seed 1 --format json
  agglo measure lisa --data testdata/reference/spatial/cities.csv --indicator pop --year 2020 --spatial-weights knn:6
  agglo measure getis-ord --data testdata/reference/spatial/cities.csv --indicator pop --year 2020 --spatial-weights distance:300 --star --transform binary
  agglo measure convergence --data testdata/china_panel/province_st_techme_2010_2023.csv --indicator rd_intensity --group agglomeration
  agglo measure dagum --data testdata/china2019/province_2019_long.csv --indicator rd_intensity --group agglomeration
  agglo measure gini-sources --data testdata/china2019/province_2019_long.csv --indicators rd_intramural_expenditure_government_funds,rd_intramural_expenditure_business_funds,rd_foreign_funds,rd_intramural_expenditure_other_funds
  agglo measure kernel --data testdata/china2019/city_census_2010_2020.csv --indicator popu --panel --format csv
  agglo measure network --data testdata/reference/spatial/cities.csv --flows testdata/reference/network/flows_undirected.csv --mode max
  agglo measure obstacle --framework cric
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
	f.StringVar(&o.threshold, "threshold", "", "网络阈值 mean|median|数值（引力默认 mean，流量默认 0）/ network threshold (gravity: mean, flows: 0)")
	f.StringVar(&o.orientation, "orientation", "input", "DEA 导向 input|output")
	f.StringVar(&o.returns, "returns", "crs", "DEA 规模报酬 crs|vrs")
	f.StringVar(&o.coupling, "coupling", analysis.CouplingStandard, "耦合度模型 standard | wang（王淑佳等 2021 修正模型）/ coupling model")
	f.StringVar(&o.inputs, "inputs", "", "DEA 投入指标 / DEA inputs")
	f.StringVar(&o.outputs, "outputs", "", "DEA 产出指标 / DEA outputs")
	f.BoolVar(&o.req.Sample, "sample", false, "CV 用样本标准差 (n−1) / sample standard deviation for cv")
	f.BoolVar(&o.req.Panel, "panel", false, "逐年计算并给出趋势（如核心份额变化即虹吸）/ every year with its trend (e.g. core share change: siphon)")
	f.StringVar(&o.spatialWeights, "spatial-weights", analysis.DefaultSpatialWeights, "空间权重 knn:K | distance:千米 | idw:幂 / spatial weights knn:K | distance:KM | idw:P")
	f.StringVar(&o.transform, "transform", analysis.TransformRow, "权重变换 row（行标准化）| binary | none / weights transform")
	f.BoolVar(&o.req.Star, "star", false, "getis-ord：Gi*（含自身）/ Gi* (the unit itself included)")
	f.StringVar(&o.permutations, "permutations", "999", "置换检验次数（0 = 不做）/ permutations (0: none)")
	f.Uint64Var(&o.req.Seed, "seed", 1, "随机种子（置换、社区发现）/ random seed (permutations, communities)")
	f.IntVar(&o.req.Workers, "workers", 0, "并行数（0 = CPU 数；结果与之无关）/ workers (0 = CPUs; results do not depend on it)")
	f.IntVar(&o.req.From, "from", 0, "收敛起始年（默认面板首年）/ first year of convergence (default: the panel's)")
	f.IntVar(&o.req.To, "to", 0, "收敛终止年（默认面板末年）/ last year of convergence (default: the panel's)")
	f.StringVar(&o.controls, "controls", "", "条件 β 收敛的控制变量（起始年取值）/ controls of conditional β (values of the first year)")
	f.BoolVar(&o.req.Robust, "robust", false, "β 回归用 HC1 稳健标准误 / HC1 robust standard errors")
	f.StringVar(&o.epsilon, "epsilon", "", "阿特金森不平等厌恶系数 ε（默认 0.5）/ Atkinson inequality aversion ε (default 0.5)")
	f.Float64Var(&o.req.Bandwidth, "bandwidth", 0, "核密度带宽（0 = Silverman 法则）/ kernel bandwidth (0: Silverman's rule)")
	f.IntVar(&o.req.Points, "points", 0, "核密度网格点数（默认 512）/ kernel grid points (default 512)")
	f.StringVar(&o.flows, "flows", "", "城市对流量文件（from,to,value）/ flows file (from,to,value)")
	f.StringVar(&o.mode, "mode", analysis.NetworkDirected, "网络 directed | sum | max / network mode")
	f.Float64Var(&o.req.Resolution, "resolution", 1, "社区发现的模块度分辨率 / modularity resolution of the communities")
	f.StringVar(&o.framework, "framework", "cric", "obstacle：指数框架 cric、io 或 YAML 文件 / obstacle: index framework")
	f.StringVar(&o.coinrData, "coinr-data", "", "obstacle：COINr iData CSV")
	f.StringVar(&o.coinrMeta, "coinr-meta", "", "obstacle：COINr iMeta CSV")
	f.StringVar(&o.time, "time", "", "obstacle：COINr 面板数据的 Time 值 / COINr panel Time value")
	f.StringVar(&o.methods.Normalisation, "normalise", "", "obstacle：指数的标准化（同 agglo index）/ the index's normalisation (as agglo index)")
	f.StringVar(&o.methods.Aggregation, "aggregate", "", "obstacle：指数的集成方法 / the index's aggregation")
	f.StringVar(&o.methods.Weights, "weights", "", "obstacle：指数的权重方法 / the index's weighting")
	f.StringVar(&o.methods.Treatment, "treat", "", "obstacle：异常值处理 / the index's outlier treatment")
	f.StringVar(&o.methods.Imputation, "impute", "", "obstacle：缺失值插补 / the index's imputation")
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
	if o.req.SpatialWeights, err = analysis.ParseSpatialWeights(o.spatialWeights); err != nil {
		return flagError("--spatial-weights", err)
	}
	if o.req.SpatialWeights.Transform, err = analysis.ParseTransform(o.transform); err != nil {
		return flagError("--transform", err)
	}
	if o.req.Permutations, err = analysis.ParsePermutations(o.permutations); err != nil {
		return flagError("--permutations", err)
	}
	if o.req.Epsilon, err = analysis.ParseEpsilon(o.epsilon); err != nil {
		return flagError("--epsilon", err)
	}
	if o.req.Mode, err = analysis.ParseNetworkMode(o.mode); err != nil {
		return flagError("--mode", err)
	}
	if o.req.Coupling, err = analysis.ParseCoupling(o.coupling); err != nil {
		return flagError("--coupling", err)
	}
	if o.req.Workers < 0 {
		return usagef("--workers 不能为负", "--workers must not be negative")
	}
	if !(o.req.Resolution > 0) || o.req.Resolution > analysis.MaxResolution {
		return usagef("--resolution 须为 0 到 %g 之间的正数", "--resolution must be a positive number up to %g", float64(analysis.MaxResolution))
	}
	if o.req.Bandwidth < 0 {
		return usagef("--bandwidth 不能为负", "--bandwidth must not be negative")
	}
	if o.req.Points != 0 && (o.req.Points < 2 || o.req.Points > analysis.MaxDensityPoints) {
		return usagef("--points 须在 2 到 %d 之间", "--points must lie between 2 and %d", analysis.MaxDensityPoints)
	}
	o.req.Indicators, o.req.Inputs, o.req.Outputs, o.req.Controls = splitList(o.indicators), splitList(o.inputs), splitList(o.outputs), splitList(o.controls)
	return nil
}

// measureFlags names the flag of each field of a measure request.
var measureFlags = map[string]string{
	analysis.FieldSpatialWeights: "--spatial-weights", analysis.FieldPermutations: "--permutations", analysis.FieldGroup: "--group",
	analysis.FieldFromYear: "--from", analysis.FieldToYear: "--to", analysis.FieldControls: "--controls", analysis.FieldEpsilon: "--epsilon",
	analysis.FieldFlows: "--flows", analysis.FieldWeight: "--weight", analysis.FieldIndicators: "--indicators", analysis.FieldIndicator: "--indicator",
	analysis.FieldYear: "--year", analysis.FieldFramework: "--framework", "mode": "--mode", "resolution": "--resolution", "bandwidth": "--bandwidth", "points": "--points",
}

// measureError names the flag of a request error (exit 2); other errors
// of the analysis are usage errors too, as the data refuse the request.
func measureError(err error) error {
	if errors.Is(err, context.Canceled) {
		return err
	}
	var re *analysis.RequestError
	if errors.As(err, &re) {
		if flag, ok := measureFlags[re.Field]; ok {
			return flagError(flag, re.Err)
		}
	}
	return usageError{err}
}

// readFlows reads --flows.
func readFlows(path string) ([]analysis.Flow, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, usagef("--flows：无法打开 %s：%v", "--flows: cannot open %s: %v", path, err)
	}
	defer f.Close()
	flows, err := analysis.ParseFlows(f, path)
	if err != nil {
		return nil, flagError("--flows", err)
	}
	return flows, nil
}

// indexRequest assembles the composite index of obstacle from --framework
// (or COINr input) and the step flags.
func (o *measureOptions) indexRequest(g *globals) (*analysis.IndexRequest, error) {
	if (o.coinrData == "") != (o.coinrMeta == "") {
		return nil, usagef("COINr 输入需要同时给出 --coinr-data 和 --coinr-meta", "COINr input needs both --coinr-data and --coinr-meta")
	}
	ov, err := parseOverrideFlags(o.methods)
	if err != nil {
		return nil, err
	}
	req := &analysis.IndexRequest{Year: o.req.Year, Overrides: ov, Lang: g.lang}
	if o.coinrData != "" {
		fw, tab, period, err := readCOINr(o.coinrData, o.coinrMeta, o.time)
		if err != nil {
			return nil, err
		}
		req.Framework, req.Table, req.Period = fw, tab, period
		return req, nil
	}
	fw, err := readFramework(o.framework)
	if err != nil {
		return nil, err
	}
	req.Framework = fw
	return req, nil
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
	if o.flows != "" {
		if o.req.Flows, err = readFlows(o.flows); err != nil {
			return err
		}
	}
	if o.req.Method == "obstacle" {
		if o.req.Index, err = o.indexRequest(g); err != nil {
			return err
		}
	}
	var ds *dataset.Dataset
	if o.req.Index == nil || o.req.Index.Table == nil {
		if ds, err = g.loadData(cmd); err != nil {
			return err
		}
	}
	res, err := analysis.MeasureContext(cmd.Context(), ds, o.req)
	if analysis.IsNoUnits(err) {
		return g.noUnits(err)
	}
	if err != nil {
		return measureError(err)
	}
	for _, w := range res.Warnings {
		fmt.Fprintf(g.stderr, "%s: %s\n", g.t("警告", "warning"), w)
	}
	tables := measureTables(g, res, ds, format != "table")
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
		if res.Summary != "" {
			fmt.Fprintf(g.stdout, "\n%s: %s\n", g.t("结论", "summary"), res.Summary)
		}
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

// measureTables lays a measure result out as tables; bilingual headers
// ("中文 / english") for CSV and XLSX exports.
func measureTables(g *globals, r *analysis.MeasureResult, ds *dataset.Dataset, bilingual bool) []namedTable {
	h := func(zh, en string) string {
		if bilingual {
			return zh + " / " + en
		}
		return g.t(zh, en)
	}
	var out []namedTable
	sum := &table{header: []string{h("项目", "item"), h("值", "value")}}
	sum.add(g.t("方法", "method"), analysis.MeasureName(r.Method).In(g.lang))
	// Indicators by their names in the data (their codes when unknown).
	name := func(code string) string {
		if ds != nil {
			if ind, ok := ds.Indicator(code); ok {
				return ind.Name(g.lang)
			}
		}
		return code
	}
	if r.Indicator != "" {
		sum.add(g.t("指标", "indicator"), name(r.Indicator))
	}
	if len(r.Indicators) > 0 {
		names := make([]string, len(r.Indicators))
		for i, c := range r.Indicators {
			names[i] = name(c)
		}
		sum.add(g.t("指标", "indicators"), strings.Join(names, g.t("、", ", ")))
	}
	if r.Weight != "" {
		sum.add(g.t("权重", "weight"), r.Weight)
	}
	if r.From != 0 {
		sum.add(g.t("起止年份", "years"), fmt.Sprintf("%d–%d", r.From, r.To))
	} else if len(r.Panel) == 0 && len(r.Densities) <= 1 {
		sum.add(g.t("年份", "year"), yearText(r.Year))
	}
	sum.add(g.t("单元数", "units"), fmt.Sprint(r.N))
	if w := r.SpatialWeights; w != nil {
		sum.add(g.t("空间权重", "spatial weights"), weightsText(g, *w)+g.t("，", ", ")+transformName(g, w.Transform))
	}
	if r.Value != nil {
		sum.add(g.t("值", "value"), numPtr(r.Value))
	}
	if r.Expected != nil {
		sum.add(g.t("期望值", "expected"), numPtr(r.Expected))
	}
	if r.Z != nil {
		sum.add("z", numPtr(r.Z))
	}
	if r.PNorm != nil {
		sum.add(g.t("p 值（正态）", "p (normal)"), pval(r.PNorm))
	}
	if r.PSim != nil {
		sum.add(g.t("p 值（置换）", "p (permutation)"), pval(r.PSim))
	}
	if r.Permutations > 0 {
		sum.add(g.t("置换次数", "permutations"), fmt.Sprint(r.Permutations))
	}
	if r.Seed != nil {
		sum.add(g.t("随机种子", "seed"), fmt.Sprint(*r.Seed))
	}
	if r.Between != nil {
		if r.Method == "dagum" {
			sum.add(g.t("组内", "within"), numPtr(r.Within))
			sum.add(g.t("组间净差异", "net between"), numPtr(r.Between))
			sum.add(g.t("超变密度", "transvariation"), numPtr(r.Transvariation))
		} else {
			sum.add(g.t("组间", "between"), numPtr(r.Between))
			sum.add(g.t("组内", "within"), numPtr(r.Within))
		}
	}
	for _, k := range sortedKeys(r.Stats) {
		sum.add(statLabel(g, k), num(float64(r.Stats[k])))
	}
	if len(r.Islands) > 0 {
		sum.add(g.t("孤岛", "islands"), strings.Join(r.Islands, ", "))
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
		t := &table{header: []string{h("组", "group"), h("名称", "name"), h("单元数", "n")}}
		if hasValue {
			t.header = append(t.header, h("值", "value"))
		}
		if hasContribution {
			t.header = append(t.header, h("贡献", "contribution"))
		}
		if hasShare {
			t.header = append(t.header, h("贡献率", "share"))
		}
		for _, k := range ks {
			t.header = append(t.header, statLabel(g, k))
		}
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
	if len(r.Pairs) > 0 {
		t := &table{header: []string{h("组 A", "group A"), h("组 B", "group B"), h("组间基尼系数", "between-group Gini"), h("相对经济富裕度", "relative affluence"), h("组间净差异", "net between"), h("超变密度", "transvariation")}}
		for _, p := range r.Pairs {
			t.add(p.A, p.B, numPtr(p.Value), numPtr(p.Affluence), numPtr(p.NetBetween), numPtr(p.Transvariation))
		}
		out = append(out, namedTable{g.t("组对", "pairs"), t})
	}
	out = append(out, convergenceTables(g, r, h)...)
	if len(r.Sources) > 0 {
		t := &table{header: []string{h("来源", "source"), h("名称", "name"), h("均值", "mean"), h("份额", "share"), h("来源基尼系数", "source Gini"), h("基尼相关", "Gini correlation"),
			h("贡献", "contribution"), h("贡献率", "contribution share"), h("边际效应", "marginal effect")}}
		for _, x := range r.Sources {
			t.add(x.Source, x.Name, numPtr(x.Mean), numPtr(x.Share), numPtr(x.Gini), numPtr(x.Correlation), numPtr(x.Contribution), numPtr(x.ContributionShare), numPtr(x.MarginalEffect))
		}
		out = append(out, namedTable{g.t("来源分解", "sources"), t})
	}
	if len(r.Densities) > 0 {
		t := &table{header: []string{"x"}}
		for _, d := range r.Densities {
			t.header = append(t.header, h("密度 ", "density ")+fmt.Sprint(d.Year))
		}
		for k := range r.Densities[0].X {
			row := []string{num6(float64(r.Densities[0].X[k]))}
			for _, d := range r.Densities {
				row = append(row, num6(float64(d.Y[k])))
			}
			t.add(row...)
		}
		bw := &table{header: []string{h("年份", "year"), "n", h("带宽", "bandwidth"), h("峰值位置", "peaks")}}
		for _, d := range r.Densities {
			var pk []string
			for _, p := range d.Peaks {
				pk = append(pk, num(float64(p)))
			}
			bw.add(fmt.Sprint(d.Year), fmt.Sprint(d.N), num6(float64(*d.Bandwidth)), strings.Join(pk, ", "))
		}
		out = append(out, namedTable{g.t("带宽与峰值", "bandwidths and peaks"), bw}, namedTable{g.t("核密度", "kernel density"), t})
	}
	if len(r.Panel) > 0 {
		out = append(out, panelTables(g, r, h)...)
	}
	if len(r.Coverage) > 0 {
		out = append(out, coverageTable(g, r, h))
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
		if r.Method == "obstacle" {
			out = append(out, obstacleTable(g, r, h))
		} else {
			out = append(out, unitTable(g, r, h, name))
		}
	}
	return out
}

// coverageTable lists, for a measure grouped by agglomeration, each
// agglomeration's members with data against its members (per year for a
// panel), the members without data and those shared with another
// agglomeration (each counted in one group only).
func coverageTable(g *globals, r *analysis.MeasureResult, h func(zh, en string) string) namedTable {
	t := &table{header: []string{h("组", "group"), h("名称", "name")}}
	years := []int{r.Coverage[0].Year}
	if len(r.Panel) > 1 {
		years = nil
		for _, py := range r.Panel {
			years = append(years, py.Year)
		}
	}
	for _, y := range years {
		t.header = append(t.header, h("有数据/成员 "+yearText(y), "with data/members "+yearText(y)))
	}
	t.header = append(t.header, h("说明", "notes"))
	for i, c := range r.Coverage {
		row := []string{c.Group, c.Name}
		for _, y := range years {
			cell := "—"
			cs := r.Coverage
			if len(r.Panel) > 1 {
				for _, py := range r.Panel {
					if py.Year == y {
						cs = py.Coverage
					}
				}
			}
			if i < len(cs) && cs[i].Group == c.Group {
				cell = fmt.Sprintf("%d/%d", cs[i].Covered, cs[i].Members)
			}
			row = append(row, cell)
		}
		note := c.Text
		if _, rest, ok := strings.Cut(note, g.t("；", "; ")); ok {
			note = rest // the counts are in their own column
		} else {
			note = ""
		}
		t.add(append(row, note)...)
	}
	return namedTable{g.t("成员覆盖", "member coverage"), t}
}

// weightsText says a spatial weights specification in words (knn:6 is
// "6 个最近邻" / "6 nearest neighbours").
func weightsText(g *globals, w analysis.WeightsSpec) string {
	switch w.Kind {
	case analysis.WeightsKNN:
		return fmt.Sprintf(g.t("%d 个最近邻", "%d nearest neighbours"), w.K)
	case analysis.WeightsDistance:
		return fmt.Sprintf(g.t("距离 %g 千米以内", "within %g km"), w.Km)
	case analysis.WeightsIDW:
		return fmt.Sprintf(g.t("反距离权重（幂 %g）", "inverse distance (power %g)"), w.Power)
	}
	return w.String()
}

func transformName(g *globals, t string) string {
	switch t {
	case analysis.TransformBinary:
		return g.t("二值", "binary")
	case analysis.TransformNone:
		return g.t("原始权重", "raw")
	}
	return g.t("行标准化", "row-standardised")
}

// pval formats a p-value with up to 4 significant digits.
func pval(n *analysis.Num) string {
	if n == nil || math.IsNaN(float64(*n)) {
		return "—"
	}
	return strconv.FormatFloat(float64(*n), 'g', 4, 64)
}

// num6 formats a number with 6 significant digits (density grids).
func num6(v float64) string {
	if math.IsNaN(v) {
		return "—"
	}
	return strconv.FormatFloat(v, 'g', 6, 64)
}

func panelTables(g *globals, r *analysis.MeasureResult, h func(zh, en string) string) []namedTable {
	t := &table{header: []string{h("年份", "year"), "n", h("值", "value")}}
	var has struct{ between, trans, z, pn, ps bool }
	var groups []string
	for _, py := range r.Panel {
		has.between = has.between || py.Between != nil
		has.trans = has.trans || py.Transvariation != nil
		has.z = has.z || py.Z != nil
		has.pn = has.pn || py.PNorm != nil
		has.ps = has.ps || py.PSim != nil
		for _, gr := range py.Groups {
			if !slices.Contains(groups, gr.Group) {
				groups = append(groups, gr.Group)
			}
		}
	}
	if has.between {
		t.header = append(t.header, h("组间", "between"), h("组内", "within"))
	}
	if has.trans {
		t.header = append(t.header, h("超变密度", "transvariation"))
	}
	if has.z {
		t.header = append(t.header, "z")
	}
	if has.pn {
		t.header = append(t.header, h("p 值（正态）", "p (normal)"))
	}
	if has.ps {
		t.header = append(t.header, h("p 值（置换）", "p (permutation)"))
	}
	t.header = append(t.header, groups...)
	for _, py := range r.Panel {
		row := []string{fmt.Sprint(py.Year), fmt.Sprint(py.N), numPtr(py.Value)}
		if has.between {
			row = append(row, numPtr(py.Between), numPtr(py.Within))
		}
		if has.trans {
			row = append(row, numPtr(py.Transvariation))
		}
		if has.z {
			row = append(row, numPtr(py.Z))
		}
		if has.pn {
			row = append(row, pval(py.PNorm))
		}
		if has.ps {
			row = append(row, pval(py.PSim))
		}
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
	tr := &table{header: []string{h("组", "group"), h("起点", "start"), h("终点", "end"), h("变化", "change"), h("趋势斜率", "trend slope"), "n"}}
	for _, x := range r.Trends {
		name := x.Group
		if name == "" {
			name = g.t("全部", "all")
		}
		tr.add(name, numPtr(x.Start), numPtr(x.End), numPtr(x.Change), numPtr(x.Slope), fmt.Sprint(x.N))
	}
	return []namedTable{{g.t("逐年", "by year"), t}, {g.t("趋势", "trends"), tr}}
}

func convergenceTables(g *globals, r *analysis.MeasureResult, h func(zh, en string) string) []namedTable {
	if r.Method != "convergence" {
		return nil
	}
	var out []namedTable
	st := &table{header: []string{h("年份", "year"), "n", h("σ（对数标准差）", "σ (sd of ln x)"), h("变异系数", "CV")}}
	for _, s := range r.Sigma {
		st.add(fmt.Sprint(s.Year), fmt.Sprint(s.N), numPtr(s.Value), numPtr(s.CV))
	}
	if r.SigmaTrend != nil {
		st.add(g.t("趋势斜率", "trend slope"), "", numPtr(r.SigmaTrend.Slope), numPtr(r.CVTrend.Slope))
	}
	out = append(out, namedTable{g.t("σ 收敛", "σ-convergence"), st})
	if b := r.Beta; b != nil {
		bt := &table{header: []string{h("项目", "item"), h("值", "value")}}
		bt.add(g.t("β 系数", "β coefficient"), numPtr(b.Coefficient))
		bt.add(g.t("标准误", "standard error"), numPtr(b.SE))
		bt.add("t", numPtr(b.T))
		bt.add("p", pval(b.P))
		bt.add(g.t("常数项", "intercept"), numPtr(b.Intercept))
		bt.add("R²", numPtr(b.R2))
		bt.add(g.t("调整 R²", "adjusted R²"), numPtr(b.AdjR2))
		bt.add(g.t("收敛速度 λ", "rate λ"), numPtr(b.Rate))
		bt.add(g.t("半衰期（年）", "half-life (years)"), numPtr(b.HalfLife))
		bt.add(g.t("单元数", "units"), fmt.Sprint(b.N))
		bt.add(g.t("间隔年数", "span (years)"), fmt.Sprint(b.Span))
		bt.add(g.t("稳健标准误", "robust errors"), map[bool]string{true: "HC1", false: g.t("否", "no")}[b.Robust])
		for _, c := range b.Controls {
			bt.add(g.t("控制变量 ", "control ")+c.Indicator, fmt.Sprintf("%s (se %s, p %s)", numPtr(c.Coefficient), numPtr(c.SE), pval(c.P)))
		}
		out = append(out, namedTable{g.t("β 收敛", "β-convergence"), bt})
	}
	if len(r.Clubs) > 0 {
		ct := &table{header: []string{h("组", "group"), h("名称", "name"), "n", h("β 系数", "β"), h("标准误", "se"), "p", "R²", h("收敛速度", "rate"), h("半衰期", "half-life"), h("说明", "note")}}
		for _, c := range r.Clubs {
			if c.Beta == nil {
				ct.add(c.Group, c.Name, fmt.Sprint(c.N), "—", "—", "—", "—", "—", "—", c.Error)
				continue
			}
			ct.add(c.Group, c.Name, fmt.Sprint(c.N), numPtr(c.Beta.Coefficient), numPtr(c.Beta.SE), pval(c.Beta.P), numPtr(c.Beta.R2), numPtr(c.Beta.Rate), numPtr(c.Beta.HalfLife), "")
		}
		out = append(out, namedTable{g.t("收敛俱乐部", "convergence clubs"), ct})
	}
	return out
}

// unitTable lays out per-unit results: the fields a method fills and its
// named values; name names an indicator (the DEA slacks).
func unitTable(g *globals, r *analysis.MeasureResult, h func(zh, en string) string, name func(code string) string) namedTable {
	keys := map[string]bool{}
	slackKeys := map[string]bool{}
	var has struct{ value, quadrant, z, p, psim, lag, cluster, group, community bool }
	for _, u := range r.Units {
		for k := range u.Values {
			keys[k] = true
		}
		for k := range u.Slacks {
			slackKeys[k] = true
		}
		has.value = has.value || u.Value != nil
		has.quadrant = has.quadrant || u.Quadrant != ""
		has.z = has.z || u.Z != nil
		has.p = has.p || u.P != nil
		has.psim = has.psim || u.PSim != nil
		has.lag = has.lag || u.Lag != nil
		has.cluster = has.cluster || u.Cluster != ""
		has.group = has.group || u.Group != ""
		has.community = has.community || u.Community != nil
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
	hdr := []string{h("单元", "unit"), h("名称", "name")}
	dea := r.Method == "dea"
	if dea {
		hdr = append(hdr, h("效率", "efficiency"), h("规模效率", "scale efficiency"))
	}
	if has.value {
		hdr = append(hdr, h("值", "value"))
	}
	if has.quadrant {
		hdr = append(hdr, h("象限", "quadrant"))
	}
	if has.z {
		hdr = append(hdr, "z")
	}
	if has.lag {
		hdr = append(hdr, h("空间滞后", "spatial lag"))
	}
	if has.p {
		hdr = append(hdr, "p")
	}
	if has.psim {
		hdr = append(hdr, h("p 值（置换）", "p (permutation)"))
	}
	if has.cluster {
		hdr = append(hdr, h("集聚类型", "cluster"))
	}
	if has.group {
		hdr = append(hdr, h("组", "group"))
	}
	if has.community {
		hdr = append(hdr, h("社区", "community"))
	}
	for _, k := range ks {
		hdr = append(hdr, statLabel(g, k))
	}
	for _, k := range sk {
		hdr = append(hdr, g.t("松弛：", "slack: ")+name(k))
	}
	if r.Method == "coupling" {
		hdr = append(hdr, h("协调等级", "level"))
	}
	t := &table{header: hdr}
	for _, u := range r.Units {
		row := []string{u.Unit, u.Name}
		if dea {
			row = append(row, numPtr(u.Efficiency), numPtr(u.ScaleEfficiency))
		}
		if has.value {
			row = append(row, numPtr(u.Value))
		}
		if has.quadrant {
			row = append(row, clusterName(g, u.Quadrant))
		}
		if has.z {
			row = append(row, numPtr(u.Z))
		}
		if has.lag {
			row = append(row, numPtr(u.Lag))
		}
		if has.p {
			row = append(row, pval(u.P))
		}
		if has.psim {
			row = append(row, pval(u.PSim))
		}
		if has.cluster {
			row = append(row, clusterName(g, u.Cluster))
		}
		if has.group {
			row = append(row, u.Group)
		}
		if has.community {
			row = append(row, fmt.Sprint(*u.Community))
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
	return namedTable{g.t("单元", "units"), t}
}

// statLabels name the keys of a result's stats and units' values in the
// table's language; keys not listed are shown as they are.
var statLabels = map[string][2]string{
	"var_norm": {"方差（正态）", "variance (normal)"}, "var_rand": {"方差（随机化）", "variance (randomisation)"},
	"z_rand": {"z（随机化）", "z (randomisation)"}, "p_rand": {"p（随机化）", "p (randomisation)"},
	"sim_mean": {"置换均值", "permutation mean"}, "sim_sd": {"置换标准差", "permutation sd"}, "z_sim": {"z（置换）", "z (permutation)"},
	"within_share": {"组内占比", "within share"}, "between_share": {"组间净差异占比", "net between share"},
	"transvariation_share": {"超变密度占比", "transvariation share"}, "star": {"含自身（Gi*）", "Gi* (star)"},
	"epsilon": {"不平等厌恶系数 ε", "ε"}, "mean": {"均值", "mean"}, "density": {"密度", "density"}, "edges": {"边数", "edges"},
	"modularity": {"社区模块度", "modularity of the communities"}, "communities": {"社区数", "communities"},
	"nmi": {"标准化互信息（与分组）", "NMI against the grouping"}, "ari": {"调整兰德指数（与分组）", "ARI against the grouping"},
	"group_modularity": {"分组的模块度", "modularity of the grouping"}, "units_compared": {"参与比较的单元", "units compared"},
	"threshold": {"阈值", "threshold"}, "resolution": {"分辨率", "resolution"}, "exponent": {"距离指数", "distance exponent"},
	"undirected_density": {"无向密度", "undirected density"},
	"degree":             {"度", "degree"}, "in_degree": {"入度", "in-degree"}, "out_degree": {"出度", "out-degree"},
	"strength": {"强度", "strength"}, "in_strength": {"入强度", "in-strength"}, "out_strength": {"出强度", "out-strength"},
	"betweenness": {"介数", "betweenness"}, "weighted_betweenness": {"加权介数", "weighted betweenness"},
	"closeness": {"接近度", "closeness"}, "weighted_closeness": {"加权接近度", "weighted closeness"}, "eigenvector": {"特征向量中心性", "eigenvector"},
	"population_share": {"人口份额", "population share"}, "income_share": {"数值份额", "value share"},
}

func statLabel(g *globals, key string) string {
	if l, ok := statLabels[key]; ok {
		return g.t(l[0], l[1])
	}
	return analysis.MeasureKeyName(key).In(g.lang)
}

// clusterName words a cluster label in the table's language.
func clusterName(g *globals, c string) string {
	switch c {
	case "HH":
		return g.t("高-高", "high-high")
	case "LL":
		return g.t("低-低", "low-low")
	case "LH":
		return g.t("低-高", "low-high")
	case "HL":
		return g.t("高-低", "high-low")
	case "hot":
		return g.t("热点", "hot spot")
	case "cold":
		return g.t("冷点", "cold spot")
	case "ns":
		return g.t("不显著", "not significant")
	}
	return c
}

// obstacleTable lists each unit's three main obstacles and its obstacle
// degree by dimension.
func obstacleTable(g *globals, r *analysis.MeasureResult, h func(zh, en string) string) namedTable {
	dims := map[string]bool{}
	for _, u := range r.Units {
		for k := range u.Dimensions {
			dims[k] = true
		}
	}
	var ds []string
	for k := range dims {
		ds = append(ds, k)
	}
	sort.Strings(ds)
	hdr := []string{h("单元", "unit"), h("名称", "name"), h("首要障碍", "main obstacle"), h("障碍度 %", "degree %"), h("第二障碍", "second"), h("障碍度 %", "degree %"), h("第三障碍", "third"), h("障碍度 %", "degree %")}
	for _, d := range ds {
		name := r.DimensionNames[d]
		if name == "" {
			name = d
		}
		hdr = append(hdr, name+" %")
	}
	t := &table{header: hdr}
	for _, u := range r.Units {
		row := []string{u.Unit, u.Name}
		for k := range 3 {
			if k < len(u.Obstacles) {
				row = append(row, u.Obstacles[k].Name, numPtr(u.Obstacles[k].Degree))
			} else {
				row = append(row, "—", "—")
			}
		}
		for _, d := range ds {
			v, ok := u.Dimensions[d]
			if !ok {
				v = analysis.Num(math.NaN())
			}
			row = append(row, num(float64(v)))
		}
		t.add(row...)
	}
	return namedTable{g.t("障碍因子", "obstacles"), t}
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
