package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
	"golang.org/x/term"

	"agglo/internal/analysis"
	"agglo/internal/coinr"
	"agglo/internal/composite"
	"agglo/internal/dataset"
	"agglo/internal/i18n"
)

// indexOptions are the flags of agglo index and its subcommands.
type indexOptions struct {
	framework string
	coinrData string
	coinrMeta string
	time      string
	year      int
	methods   analysis.OverrideText
	denom     bool
	datThresh string
	format    string
	out       string
	force     bool

	overrides analysis.Overrides // parsed by validate
}

// overrideFlags names the flag of each step that --normalise and its
// siblings override.
var overrideFlags = map[analysis.Step]string{
	analysis.StepDenomination:  "--denominate",
	analysis.StepScreening:     "--screen",
	analysis.StepImputation:    "--impute",
	analysis.StepTreatment:     "--treat",
	analysis.StepNormalisation: "--normalise",
	analysis.StepWeights:       "--weights",
	analysis.StepAggregation:   "--aggregate",
}

func addIndexFlags(cmd *cobra.Command, o *indexOptions) {
	f := cmd.PersistentFlags()
	f.StringVar(&o.framework, "framework", "cric", "框架：cric、io 或 YAML 文件 / framework: cric, io or a YAML file")
	f.StringVar(&o.coinrData, "coinr-data", "", "COINr iData CSV")
	f.StringVar(&o.coinrMeta, "coinr-meta", "", "COINr iMeta CSV")
	f.StringVar(&o.time, "time", "", "COINr 面板数据的 Time 值 / COINr panel Time value")
	f.IntVar(&o.year, "year", 0, "年份（默认：任一指标有数据的最近一年）/ year (default: the latest in which any indicator has data)")
	f.StringVar(&o.methods.Normalisation, "normalise", "", "minmax（= minmax:0,100）| minmax:l,u | zscore:m,s | rank | prank | dist2max | dist2ref:CODE[,cap] | fracmax | goalposts[:scale] | none")
	f.StringVar(&o.methods.Aggregation, "aggregate", "", "arithmetic | geometric | harmonic | generalised:p | topsis | gra[:rho]")
	f.StringVar(&o.methods.Weights, "weights", "", "framework | equal | entropy[:strict|shift|epsilon|raw] | critic | cv | pca | combined:OBJECTIVE[,alpha|,multiplicative]")
	f.StringVar(&o.methods.Treatment, "treat", "", "none | coinr | winsorise:5[,skew,kurt[,log_ct|none]] | percentile:0.05,0.95")
	f.StringVar(&o.methods.Imputation, "impute", "", "none | mean | median | group-mean[:GROUP] | group-median[:GROUP]（GROUP 默认 agglomeration，COINr 为分组列 / default agglomeration, COINr: a group column）")
	f.BoolVar(&o.denom, "denominate", false, "按框架或 iMeta 的分母（Denominator）除 / divide indicators by their denominators (framework or iMeta Denominator)")
	f.StringVar(&o.methods.Screening, "screen", "", "按数据可得性筛选单元 / screen units by data availability: none | byNA[:0.66] | byzeros[:0.05] | byNAandzeros[:0.66,0.05]")
	f.StringVar(&o.datThresh, "dat-thresh", "", "数据可得性阈值（= --screen byNA:X）/ data availability threshold (= --screen byNA:X)")
	f.StringVar(&o.format, "format", "", "table|json|csv|xlsx（xlsx 需 -o）")
	f.StringVarP(&o.out, "output", "o", "", "输出文件，格式按扩展名（.xlsx、.csv、.json，其余为文本表格）/ output file, format from the extension (.xlsx, .csv, .json, else a text table)")
	f.BoolVar(&o.force, "force", false, forceFlagUsage)
}

func newIndexCmd(g *globals) *cobra.Command {
	o := &indexOptions{}
	cmd := &cobra.Command{
		Use:   "index",
		Short: "构建综合指数（框架、标准化、权重、集成）/ build a composite index",
		Long: `构建综合指数：内置框架 cric（《中国区域创新能力评价报告》一级权重 0.15/0.15/0.25/0.25/0.20）与 io（创新投入产出），
或 YAML 框架文件，或 COINr 的 iData/iMeta。步骤参数（--normalise、--aggregate、--weights、--treat、--impute）覆盖框架在每一层的设置；
结果记录年份、全部步骤与每层实际使用的方法，以便复现。单元为在该年有任一框架指标数据的全部地区，缺失的指标在集成时跳过并按其余权重重新归一（与 COINr 相同）。
Build a composite index from a built-in framework (cric: the CRIC first-level weights; io: innovation input-output),
a YAML framework file, or COINr's iData/iMeta. The step flags (--normalise, --aggregate, --weights, --treat, --impute)
replace the framework's methods at every level; the result records the year, every step and the methods used at each
level. The units are all regions with any of the framework's indicators in the year; a missing indicator is skipped in
the aggregation and the weights rescaled over those present, as COINr does. minmax without bounds means [0, 100].
Steps in order: --denominate, --screen (or --dat-thresh), --impute, --treat, --normalise, then --weights and
--aggregate at every level.

层级编号 / Level numbering (as COINr's iMeta Level): 1 = indicators, 2 = their first aggregates (COINr's pillars),
…, the highest = the index. agglo's framework "levels: {level: L}" and the uncertainty spec's "level: L" name the
level being built (its weights are those of the level L−1 nodes), so agglo level L = COINr's Aggregate at Level L,
and agglo weight_noise at level L = COINr noise on the weights of Level L−1 (get_noisy_weights). See
docs/methods.md, "COINr input".`,
		Example: `  agglo index --framework cric
  agglo index --framework cric --weights entropy --format json
  agglo index --coinr-data examples/coinr/iData.csv --coinr-meta examples/coinr/iMeta.csv --normalise zscore:10,1 --aggregate geometric
  agglo index --coinr-data examples/coinr/iData.csv --coinr-meta examples/coinr/iMeta.csv --dat-thresh 0.75 --impute mean --weights combined:entropy,0.5
  agglo index audit --framework cric
  agglo index uncertainty --framework cric --n 1000 --seed 1`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return runIndex(cmd, g, o) },
	}
	addIndexFlags(cmd, o)
	cmd.AddCommand(newIndexAuditCmd(g, o), newIndexUncertaintyCmd(g, o))
	return cmd
}

// validate settles the format and parses the method flags: an unknown
// method is a usage error naming its flag.
func (o *indexOptions) validate(g *globals) (string, error) {
	format, err := g.resolveTableFormat(o.format, o.out)
	if err != nil {
		return "", err
	}
	if (o.coinrData == "") != (o.coinrMeta == "") {
		return "", usagef("COINr 输入需要同时给出 --coinr-data 和 --coinr-meta", "COINr input needs both --coinr-data and --coinr-meta")
	}
	t := o.methods
	if o.denom {
		t.Denominate = "true"
	}
	if o.datThresh != "" {
		if t.Screening != "" {
			return "", usagef("--dat-thresh 与 --screen 只能选一个", "use --dat-thresh or --screen, not both")
		}
		if _, err := strconv.ParseFloat(o.datThresh, 64); err != nil {
			return "", usagef("--dat-thresh 须为 0 到 1 之间的数（收到“%s”）", "--dat-thresh must be a number from 0 to 1 (got %q)", o.datThresh)
		}
		t.Screening = composite.ScreenByNA + ":" + o.datThresh
	}
	o.overrides, err = parseOverrideFlags(t)
	if err != nil {
		if o.datThresh != "" && strings.HasPrefix(err.Error(), "--screen") {
			return "", usagef("--dat-thresh 须为 0 到 1 之间的数（收到“%s”）", "--dat-thresh must be a number from 0 to 1 (got %q)", o.datThresh)
		}
		return "", err
	}
	return format, nil
}

// parseOverrideFlags parses the step flags; an unknown method is a usage
// error naming its flag.
func parseOverrideFlags(t analysis.OverrideText) (analysis.Overrides, error) {
	ov, err := analysis.ParseOverrides(t)
	if err != nil {
		var oe *analysis.OverrideError
		if errors.As(err, &oe) {
			return ov, flagError(overrideFlags[oe.Step], err)
		}
		return ov, usageError{err}
	}
	return ov, nil
}

// resolveTableFormat settles a command's own --format (table, json, csv or
// xlsx, defaulting to the global one): xlsx needs an output file; the
// others become the global format used by emit.
func (g *globals) resolveTableFormat(format, out string) (string, error) {
	if format == "" && out != "" && out != "-" {
		switch strings.ToLower(filepath.Ext(out)) {
		case ".xlsx":
			format = "xlsx"
		case ".csv":
			format = "csv"
		case ".json":
			format = "json"
		}
	}
	if format == "" {
		format = g.format
	}
	switch format {
	case "table", "json", "csv":
		g.format = format
	case "xlsx":
		if out == "" {
			return "", usagef("--format xlsx 需要 -o 文件名", "--format xlsx needs -o FILE")
		}
	default:
		return "", usagef("--format 只能是 table、json、csv 或 xlsx（收到“%s”）", "--format must be table, json, csv or xlsx (got %q)", format)
	}
	return format, nil
}

// readFramework reads --framework: a built-in code or a YAML file.
func readFramework(name string) (*composite.Framework, error) {
	if name == "" {
		name = "cric"
	}
	for _, code := range composite.BuiltinCodes() {
		if name == code {
			return composite.Builtin(code)
		}
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, usagef("框架“%s”既不是内置框架（%s）也无法作为文件打开：%v", "framework %q is neither built in (%s) nor a readable file: %v",
			name, strings.Join(composite.BuiltinCodes(), ", "), err)
	}
	defer f.Close()
	fw, err := composite.ParseFramework(f)
	if err != nil {
		return nil, usageError{&i18n.Error{Text: i18n.T(name+"："+i18n.Message(err, i18n.ZH), name+": "+i18n.Message(err, i18n.EN))}}
	}
	return fw, nil
}

// readCOINr reads --coinr-data and --coinr-meta as a framework and the
// table of --time.
func readCOINr(dataPath, metaPath, time string) (*composite.Framework, *composite.Data, string, error) {
	open := func(p string) (*os.File, error) {
		f, err := os.Open(p)
		if err != nil {
			return nil, usagef("无法打开 %s：%v", "cannot open %s: %v", p, err)
		}
		return f, nil
	}
	mf, err := open(metaPath)
	if err != nil {
		return nil, nil, "", err
	}
	defer mf.Close()
	meta, err := coinr.ReadIMeta(mf, metaPath)
	if err != nil {
		return nil, nil, "", err
	}
	df, err := open(dataPath)
	if err != nil {
		return nil, nil, "", err
	}
	defer df.Close()
	data, err := coinr.ReadIData(df, dataPath, meta.GroupCodes()...)
	if err != nil {
		return nil, nil, "", err
	}
	fw, err := coinr.Framework(meta)
	if err != nil {
		return nil, nil, "", err
	}
	tab, err := coinr.Table(data, time)
	if err != nil {
		return nil, nil, "", usageError{err}
	}
	return fw, tab, coinr.Period(data, time), nil
}

// request reads the framework (or COINr tables) and the data of an index
// run.
func (o *indexOptions) request(cmd *cobra.Command, g *globals) (analysis.IndexRequest, *dataset.Dataset, error) {
	req := analysis.IndexRequest{Year: o.year, Overrides: o.overrides, Lang: g.lang}
	if o.coinrData != "" {
		fw, tab, period, err := readCOINr(o.coinrData, o.coinrMeta, o.time)
		if err != nil {
			return req, nil, err
		}
		req.Framework, req.Table, req.Period = fw, tab, period
		return req, nil, nil
	}
	fw, err := readFramework(o.framework)
	if err != nil {
		return req, nil, err
	}
	req.Framework = fw
	ds, err := g.loadData(cmd)
	return req, ds, err
}

// indexError makes a request error a usage error (exit 2), except the
// methods the data refuse, which are errors of the run (exit 1).
func indexError(err error) error {
	var re *analysis.RequestError
	if errors.As(err, &re) && re.Field != analysis.FieldSteps && re.Field != analysis.FieldSpec {
		return usageError{err}
	}
	return err
}

func runIndex(cmd *cobra.Command, g *globals, o *indexOptions) error {
	format, err := o.validate(g)
	if err != nil {
		return err
	}
	req, ds, err := o.request(cmd, g)
	if err != nil {
		return err
	}
	res, err := analysis.Index(cmd.Context(), ds, req)
	if analysis.IsNoUnits(err) {
		return g.noUnits(err)
	}
	if err != nil {
		return indexError(err)
	}
	tables := indexTables(g, res)
	if format == "xlsx" {
		return writeFileAtomic(o.out, o.force, func(w io.Writer) error { return writeTablesXLSX(w, tables) })
	}
	return g.toOutput(o.out, o.force, func() error {
		if g.format == "json" {
			return g.emit(res, nil)
		}
		if err := g.emitTables(tables); err != nil {
			return err
		}
		if g.format == "table" {
			for _, n := range res.Notes {
				fmt.Fprintf(g.stdout, "%s%s\n", g.t("注意：", "Note: "), n.In(g.lang))
			}
		}
		return nil
	})
}

// toOutput runs print with stdout sent to the file out (through
// writeFileAtomic), or to stdout when out is "" or "-".
func (g *globals) toOutput(out string, force bool, print func() error) error {
	if out == "" || out == "-" {
		return print()
	}
	stdout := g.stdout
	defer func() { g.stdout = stdout }()
	return writeFileAtomic(out, force, func(w io.Writer) error {
		g.stdout = w
		return print()
	})
}

// emitTables prints several named tables (table or CSV format).
func (g *globals) emitTables(tables []namedTable) error {
	for i, nt := range tables {
		if g.format == "table" {
			if i > 0 {
				fmt.Fprintln(g.stdout)
			}
			fmt.Fprintf(g.stdout, "== %s ==\n", nt.name)
		}
		if err := g.emit(nil, nt.t); err != nil {
			return err
		}
	}
	return nil
}

// periodText states the year (or COINr Time) of a result.
func periodText(year int, period string) string {
	if period != "" {
		return period
	}
	return yearText(year)
}

func indexTables(g *globals, res *analysis.IndexResult) []namedTable {
	var aggs []string
	for l := 2; l < res.Input.Framework.NumLevels(); l++ {
		aggs = append(aggs, res.Input.Framework.LevelCodes(l)...)
	}
	hdr := []string{g.t("位次", "rank"), g.t("代码", "code"), g.t("名称", "name"), res.Name(res.Index, g.lang)}
	for _, a := range aggs {
		hdr = append(hdr, res.Name(a, g.lang))
	}
	units := append([]composite.UnitResult(nil), res.Units...)
	sort.SliceStable(units, func(i, j int) bool {
		ri, rj := units[i].Rank, units[j].Rank
		if ri == 0 {
			return false
		}
		return rj == 0 || ri < rj
	})
	scores := &table{header: hdr}
	for _, u := range units {
		row := []string{fmt.Sprint(u.Rank), u.Code, u.Name, num(float64(u.Index))}
		for _, a := range aggs {
			row = append(row, num(float64(u.Levels[a])))
		}
		scores.add(row...)
	}
	weights := &table{header: []string{g.t("节点", "node"), g.t("名称", "name"), g.t("权重", "weight")}}
	keys := make([]string, 0, len(res.Weights))
	for k := range res.Weights {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		weights.add(k, res.Name(k, g.lang), num(res.Weights[k]))
	}
	steps := &table{header: []string{g.t("步骤", "step"), g.t("层级", "level"), g.t("方法", "method"), g.t("说明", "detail")}}
	for _, s := range res.Steps {
		level := g.t("指标", "indicators")
		if s.Level > 0 {
			level = fmt.Sprint(s.Level)
		}
		steps.add(composite.StepName(s.Step).In(g.lang), level, composite.MethodName(s.Method).In(g.lang), composite.DescribeStep(s.Params).In(g.lang))
	}
	title := g.t("得分与位次", "scores and ranks") + " · " + g.t("年份 ", "year ") + periodText(res.Year, res.Period)
	return []namedTable{{title, scores}, {g.t("权重", "weights"), weights}, {g.t("步骤", "steps"), steps}}
}

func newIndexAuditCmd(g *globals, o *indexOptions) *cobra.Command {
	var top int
	cmd := &cobra.Command{
		Use:   "audit",
		Short: "指数统计审计：描述统计、相关、Cronbach α、PCA、优势与短板 / statistical audit",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if _, err := o.validate(g); err != nil {
				return err
			}
			req, ds, err := o.request(cmd, g)
			if err != nil {
				return err
			}
			rep, err := analysis.Audit(cmd.Context(), ds, analysis.AuditRequest{Index: req, Top: top})
			if analysis.IsNoUnits(err) {
				return g.noUnits(err)
			}
			if err != nil {
				return indexError(err)
			}
			if g.format == "json" {
				return g.emit(rep, nil)
			}
			// Codes stand beside their names, as in agglo index.
			name := func(code string) string {
				if rep.Index != nil {
					return rep.Index.Name(code, g.lang)
				}
				return code
			}
			stats := &table{header: []string{g.t("指标", "indicator"), g.t("名称", "name"), "n", g.t("缺失", "missing"), g.t("均值", "mean"), g.t("标准差", "sd"), g.t("最小值", "min"), g.t("最大值", "max"), g.t("偏度", "skew"), g.t("峰度", "kurt")}}
			for _, s := range rep.Indicators {
				stats.add(s.Code, name(s.Code), fmt.Sprint(s.N), fmt.Sprint(s.Missing), num(float64(s.Mean)), num(float64(s.SD)), num(float64(s.Min)), num(float64(s.Max)), num(float64(s.Skew)), num(float64(s.Kurt)))
			}
			groups := &table{header: []string{g.t("组", "group"), g.t("名称", "name"), g.t("克龙巴赫 α", "Cronbach's α"), g.t("第一主成分解释方差", "PC1 variance explained")}}
			for _, gr := range rep.Groups {
				pc1 := "—"
				if gr.PCA != nil && len(gr.PCA.VarianceExplained) > 0 {
					pc1 = num(gr.PCA.VarianceExplained[0])
				}
				groups.add(gr.Code, name(gr.Code), num(float64(gr.Alpha)), pc1)
			}
			title := g.t("指标统计", "indicator statistics") + " · " + g.t("年份 ", "year ") + periodText(rep.Year, rep.Period)
			return g.emitTables([]namedTable{{title, stats}, {g.t("分组", "groups"), groups}})
		},
	}
	cmd.Flags().IntVar(&top, "top", 3, "每个单元列出的优势/短板数 / strengths and weaknesses per unit")
	return cmd
}

func newIndexUncertaintyCmd(g *globals, o *indexOptions) *cobra.Command {
	var spec, weightSets string
	var n int
	var seed uint64
	var workers int
	cmd := &cobra.Command{
		Use:   "uncertainty",
		Short: "不确定性与敏感性分析（蒙特卡罗、Sobol 指数）/ uncertainty and sensitivity analysis",
		Long: `按 --spec 列出的不确定选择（缩尾上限、标准化、集成方法、权重噪声……）做 N 次蒙特卡罗重建，报告每个单元的名义位次、中位位次与 5%-95% 位次区间；spec 中 sensitivity: true 时给出一阶与总 Sobol 指数。相同种子在任何机器、任何线程数下结果相同。
Monte Carlo over the uncertain choices of --spec: nominal, median and 5th-95th percentile ranks per unit; with
sensitivity: true in the spec, first-order and total Sobol indices. The same seed gives the same result on any machine
and any number of workers. Without --spec the default spec is used (as by the server and the report): winsorisation
limit 1-5, min-max [1,100] or z-score (100, 10), arithmetic or geometric, ±25% noise on the first-level weights.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if _, err := o.validate(g); err != nil {
				return err
			}
			if n <= 0 || n > 10_000_000 {
				return usagef("--n 必须在 1 到 10000000 之间（收到 %d）", "--n must be between 1 and 10,000,000 (got %d)", n)
			}
			var sp *composite.UASpec // nil: the default
			if spec != "" {
				f, err := os.Open(spec)
				if err != nil {
					return usagef("无法打开 --spec 文件 %s：%v", "cannot open --spec file %s: %v", spec, err)
				}
				defer f.Close()
				sp, err = composite.ParseUASpec(f)
				if err != nil {
					return &i18n.Error{Text: i18n.T(spec+"："+i18n.Message(err, i18n.ZH), spec+": "+i18n.Message(err, i18n.EN))}
				}
			}
			var sets []composite.WeightSet
			if weightSets != "" {
				f, err := os.Open(weightSets)
				if err != nil {
					return usagef("无法打开 --weight-sets 文件 %s：%v", "cannot open --weight-sets file %s: %v", weightSets, err)
				}
				sets, err = analysis.ParseWeightSets(f, weightSets)
				f.Close()
				if err != nil {
					return flagError("--weight-sets", err)
				}
			}
			req, ds, err := o.request(cmd, g)
			if err != nil {
				return err
			}
			ur := analysis.UncertaintyRequest{Index: req, Spec: sp, WeightSets: sets, N: n, Seed: seed, Workers: workers}
			if f, ok := g.stderr.(*os.File); ok && term.IsTerminal(int(f.Fd())) && g.format != "json" {
				bar := progressbar.NewOptions(1, progressbar.OptionSetWriter(g.stderr), progressbar.OptionSetDescription(g.t("蒙特卡罗", "Monte Carlo")),
					progressbar.OptionShowCount(), progressbar.OptionClearOnFinish())
				ur.Progress = func(done, total int) {
					bar.ChangeMax(total)
					_ = bar.Set(done)
				}
				defer bar.Finish()
			}
			res, err := analysis.Uncertainty(cmd.Context(), ds, ur)
			if analysis.IsNoUnits(err) {
				return g.noUnits(err)
			}
			if err != nil {
				return indexError(err)
			}
			if g.format == "json" {
				return g.emit(res, nil)
			}
			if sp == nil {
				sp = analysis.DefaultUncertaintySpec()
			}
			units := &table{header: []string{g.t("代码", "code"), g.t("名称", "name"), g.t("名义位次", "nominal"), g.t("中位位次", "median"), g.t("5% 分位", "5th pct"), g.t("95% 分位", "95th pct")}}
			for _, u := range sortByNominalRank(res.Units) {
				units.add(u.Code, res.Names[u.Code], fmt.Sprint(u.NominalRank), num(float64(u.MedianRank)), num(float64(u.P05Rank)), num(float64(u.P95Rank)))
			}
			tables := []namedTable{{g.t("位次区间", "rank intervals") + " · " + g.t("年份 ", "year ") + periodText(res.Year, res.Period), units}}
			if len(res.Sensitivity) > 0 {
				sens := &table{header: []string{g.t("选择", "choice"), g.t("一阶", "first order"), g.t("总效应", "total")}}
				for _, s := range res.Sensitivity {
					sens.add(choiceName(sp, s.Choice).In(g.lang), num(float64(s.FirstOrder)), num(float64(s.Total)))
				}
				tables = append(tables, namedTable{g.t("敏感性（Sobol）", "sensitivity (Sobol)"), sens})
			}
			if err := g.emitTables(tables); err != nil {
				return err
			}
			if g.format == "table" {
				fmt.Fprintf(g.stdout, "\n%s\n", g.t(fmt.Sprintf("蒙特卡罗 %d 次，成功重建 %d 次，随机种子 %d。不确定的选择：", res.N, res.Runs, res.Seed),
					fmt.Sprintf("%d Monte Carlo draws, %d rebuilt, seed %d. Uncertain choices:", res.N, res.Runs, res.Seed)))
				for i := range sp.Choices {
					fmt.Fprintf(g.stdout, "  - %s\n", composite.DescribeChoice(&sp.Choices[i]).In(g.lang))
				}
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&spec, "spec", "", "不确定性设定 YAML（默认：内置设定）/ uncertainty spec YAML (default: the built-in spec)")
	f.StringVar(&weightSets, "weight-sets", "", "精确权重集 CSV（set,code,weight），作为一个不确定选择；无 --spec 时只变动权重集 / exact weight sets (set,code,weight) as one uncertain choice; without --spec the only one")
	f.IntVar(&n, "n", analysis.DefaultUncertaintyRuns, "重复次数 / replications")
	f.Uint64Var(&seed, "seed", 1, "随机种子 / random seed")
	f.IntVar(&workers, "workers", 0, "并行数（0 = CPU 数；结果与之无关）/ workers (0 = CPUs; results do not depend on it)")
	return cmd
}

// sortByNominalRank orders uncertainty results as the index ranks them
// (unranked units last, ties by code).
func sortByNominalRank(units []analysis.UncertaintyUnit) []analysis.UncertaintyUnit {
	out := append([]analysis.UncertaintyUnit(nil), units...)
	sort.SliceStable(out, func(i, j int) bool {
		ri, rj := out[i].NominalRank, out[j].NominalRank
		if (ri == 0) != (rj == 0) {
			return rj == 0
		}
		if ri != rj {
			return ri < rj
		}
		return out[i].Code < out[j].Code
	})
	return out
}

// choiceName names an uncertain choice of spec by the step it varies.
func choiceName(spec *composite.UASpec, name string) i18n.Text {
	for _, c := range spec.Choices {
		if c.Name == name {
			if c.Step == composite.ChoiceWeightNoise {
				return i18n.T("权重扰动", "weight noise")
			}
			return composite.StepName(c.Step)
		}
	}
	return i18n.T(name, name)
}
