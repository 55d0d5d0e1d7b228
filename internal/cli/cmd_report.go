package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"agglo/internal/dataset"
	"agglo/internal/report"
)

// reportOptions are the flags of agglo report.
type reportOptions struct {
	output string
	// format is the command's own --format (html|md|json); it shadows the
	// global table|json|csv flag.
	format string
}

func newReportCmd(g *globals) *cobra.Command {
	var o reportOptions
	cmd := &cobra.Command{
		Use:   "report",
		Short: "生成论文分析报告（HTML/Markdown/JSON）/ write the report of the paper's analysis",
		Long: `生成论文分析的自包含报告：概况（图1）、表1至表3、产业结构、创新投入产出、综合值权重、
创新模式与战略框架（图5）以及复现核对。HTML 内嵌图表、地图与中英文切换，可离线打开。

Write a self-contained report of the paper's analysis: overview (Figure 1), Tables 1-3,
industry structure, R&D inputs and outputs, the composite weights, the innovation modes and
strategy framework (Figure 5), and the replication table. The HTML page embeds its charts,
the map and a zh/en language switch, and opens offline.

  agglo report                          # → report.html
  agglo report --format md -o report.md
  agglo report --format json -o -       # the data behind every table and chart, to stdout`,
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
	f.StringVar(&o.format, "format", "", "报告格式 html|md|json|xlsx（默认按 -o 的扩展名，否则 html）/ report format (default from -o's extension, else html)")
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
		default:
			o.format = report.FormatHTML
		}
	}
	switch o.format {
	case "markdown":
		o.format = report.FormatMarkdown
	case report.FormatHTML, report.FormatMarkdown, report.FormatJSON, report.FormatXLSX:
	default:
		return usagef("agglo report 的 --format 只能是 html、md、json 或 xlsx（收到“%s”）", "--format of agglo report must be html, md, json or xlsx (got %q)", o.format)
	}
	if o.output == "" {
		o.output = "report." + o.format
	}
	return nil
}

// runReport builds the report on ds and writes it.
func runReport(ctx context.Context, g *globals, o reportOptions, ds *dataset.Dataset) error {
	r, err := report.Build(ctx, report.Input{Data: ds, Lang: g.lang})
	if err != nil {
		return err
	}
	if o.output == "-" {
		return r.Write(g.stdout, o.format)
	}
	var n countingWriter
	if err := writeFileAtomic(o.output, true, func(w io.Writer) error {
		n.w = w
		return r.Write(&n, o.format)
	}); err != nil {
		return err
	}
	// A report is meant to be shared: readable by others like any document.
	if err := os.Chmod(o.output, 0o644); err != nil {
		return err
	}
	fmt.Fprintln(g.stderr, g.t(fmt.Sprintf("已写入 %s（%s，%.1f KB）", o.output, o.format, float64(n.n)/1024),
		fmt.Sprintf("wrote %s (%s, %.1f KB)", o.output, o.format, float64(n.n)/1024)))
	return nil
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
