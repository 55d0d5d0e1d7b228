package cli

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"agglo/internal/analysis"
	"agglo/internal/dataset"
	"agglo/internal/report"
)

// reportOptions are the flags of agglo report.
type reportOptions struct {
	output string
	// format is the command's own --format (html|md|json); it shadows the
	// global table|json|csv flag.
	format string
	force  bool
	// framework is --framework: the national picture's framework ("":
	// built in when the data hold all its indicators, else inferred).
	framework string
	// nationalRuns is --national-runs (0: by the size of the data).
	nationalRuns int
}

func newReportCmd(g *globals) *cobra.Command {
	var o reportOptions
	cmd := &cobra.Command{
		Use:   "report",
		Short: "生成分析报告（HTML、Word、Excel、Markdown、JSON）/ write the analysis report (HTML, Word, Excel, Markdown, JSON)",
		Long: `生成城市群创新发展分析报告：一页摘要、每个城市群的画像（关键指标与平均对比、优势与短板、
诊断与置信度、推荐战略与监测指标）、发展现状（论文图1至图4、表1至表3）、创新模式与战略、
方法与测度，以及附录（论文复现核对、数据来源）。HTML 内嵌图表、地图与中英文切换，可离线打开
并按 A4 打印；Word（.docx）含标题、表格与图片。已存在的文件只有加 --force 才会覆盖。

Write the analysis report of the urban agglomerations: a one-page summary, a profile of each
agglomeration (key indicators against the average, strengths and weaknesses, diagnosis with
confidence, recommended strategy and indicators to monitor), the state of the agglomerations
(the paper's Figures 1-4 and Tables 1-3), modes and strategy, methods and measures, and
appendices (replication of the paper, sources). The HTML page embeds its charts, the map and
a zh/en switch, opens offline and prints on A4; the Word file (.docx) has headings, tables and
chart images. An existing file is replaced only with --force.

  agglo report                          # → report.html
  agglo report -o report.docx           # Word
  agglo report --lang en -o report.xlsx # Excel, in English
  agglo report --format json -o -       # the data behind every table and chart, to stdout

用户数据（--data）时，报告先给出全部单元的概览：全部单元的综合指数（--framework 给出的框架；未给出时，
数据含内置框架的全部指标则用该框架，否则由数据推定：全部指标一组、等权、极差标准化、算术平均，报告中注明）、
指数与关键指标的分布（基尼系数、泰尔指数、变异系数、头部份额、核密度）、地图（无坐标时为排序图）、
位次区间，以及数据中出现的每个城市群的诊断。自由单元（非中国行政区）不属于任何城市群，报告如实说明。
With --data, the report opens with the national picture of every unit: a composite index of all units (the
framework of --framework; without it, a built-in framework whose indicators are all in the data, else one
inferred from the data: every indicator in one group, equal weights, min-max, arithmetic, as the report says),
the distribution of the index and key indicators (Gini, Theil, CV, top shares, kernel density), the map (a
ranked chart for units without coordinates), rank intervals, and the diagnosis of every agglomeration present.
Free units (not Chinese regions) belong to no agglomeration, and the report says so.

  agglo report --data national.csv --data-only -o national.html
  agglo report --data national.csv --framework fw.yaml -o national.xlsx`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := o.validate(); err != nil {
				return err
			}
			ds, err := g.loadData(cmd)
			if err != nil {
				return err
			}
			return runReport(cmd.Context(), g, o, ds)
		},
	}
	f := cmd.Flags()
	f.StringVarP(&o.output, "output", "o", "", "输出文件，- 为标准输出（默认 report.html 等）/ output file, - for stdout (default report.html, .md or .json)")
	f.StringVar(&o.format, "format", "", "报告格式 html|docx|xlsx|md|json（默认按 -o 的扩展名，否则 html）/ report format (default from -o's extension, else html)")
	f.BoolVar(&o.force, "force", false, forceFlagUsage)
	f.StringVar(&o.framework, "framework", "", "全部单元综合指数的框架：cric、io 或 YAML 文件（默认按数据选取或推定）/ framework of the index of all units: cric, io or a YAML file (default: chosen or inferred from the data)")
	f.IntVar(&o.nationalRuns, "national-runs", 0, "全部单元位次区间的模拟次数（默认按数据规模：1000 或 200）/ Monte Carlo runs of the rank intervals of all units (default by the size of the data: 1000 or 200)")
	return cmd
}

// validate settles the format and the output path.
func (o *reportOptions) validate() error {
	if o.format == "" {
		switch strings.ToLower(filepath.Ext(o.output)) {
		case ".md", ".markdown":
			o.format = report.FormatMarkdown
		case ".json":
			o.format = report.FormatJSON
		case ".xlsx":
			o.format = report.FormatXLSX
		case ".docx":
			o.format = report.FormatDOCX
		default:
			o.format = report.FormatHTML
		}
	}
	if o.nationalRuns < 0 || o.nationalRuns > 100_000 {
		return usagef("--national-runs 须在 1 到 100000 之间（收到 %d）", "--national-runs must lie between 1 and 100000 (got %d)", o.nationalRuns)
	}
	switch o.format {
	case "markdown":
		o.format = report.FormatMarkdown
	case "word":
		o.format = report.FormatDOCX
	case report.FormatHTML, report.FormatMarkdown, report.FormatJSON, report.FormatXLSX, report.FormatDOCX:
	default:
		return usagef("agglo report 的 --format 只能是 html、docx、xlsx、md 或 json（收到“%s”）", "--format of agglo report must be html, docx, xlsx, md or json (got %q)", o.format)
	}
	if o.output == "" {
		o.output = "report." + o.format
	}
	return nil
}

// runReport builds the report on ds and writes it.
func runReport(ctx context.Context, g *globals, o reportOptions, ds *dataset.Dataset) error {
	// Refuse before the analyses run, not after.
	if err := refuseOverwrite(o.output, o.force); err != nil {
		return err
	}
	req, err := g.reportRequest(o)
	if err != nil {
		return err
	}
	r, err := report.Build(ctx, report.Input{Data: ds, Lang: g.lang, Request: req})
	if err != nil {
		return g.noUnits(err)
	}
	if o.output == "-" {
		return r.Write(g.stdout, o.format)
	}
	var n countingWriter
	if err := writeFileAtomic(o.output, o.force, func(w io.Writer) error {
		n.w = w
		return r.Write(&n, o.format)
	}); err != nil {
		return err
	}
	fmt.Fprintln(g.stderr, g.t(fmt.Sprintf("已写入 %s（%s，%.1f KB）", o.output, o.format, float64(n.n)/1024),
		fmt.Sprintf("wrote %s (%s, %.1f KB)", o.output, o.format, float64(n.n)/1024)))
	return nil
}

// reportRequest is the analysis request of agglo report (and of agglo
// bench report, which times it).
func (g *globals) reportRequest(o reportOptions) (analysis.ReportRequest, error) {
	req := analysis.ReportRequest{NationalRuns: o.nationalRuns, KeepAgglomerations: len(g.dataflags.aggs) > 0}
	if o.framework != "" {
		fw, err := readFramework(o.framework)
		if err != nil {
			return req, err
		}
		req.Framework = fw
	}
	return req, nil
}

// countingWriter counts the bytes written through it.
type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}
