package cli

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"agglo/internal/dataset"
)

// readFlags are the global flags that control how --data files are read.
type readFlags struct {
	maxRows      int
	maxCells     int64
	maxRegions   int
	maxInds      int
	strict       bool
	decimalComma bool
	sheet        string
	headerRow    int
	regionCol    string
}

// addReadFlags registers the read flags on the root's persistent flags.
func addReadFlags(pf *pflag.FlagSet, r *readFlags) {
	def := dataset.DefaultLimits()
	pf.IntVar(&r.maxRows, "max-rows", def.MaxRows, "导入文件的最多数据行数 / most data rows an imported file may have")
	pf.Int64Var(&r.maxCells, "max-cells", def.MaxCells, "导入文件的最多单元格数 / most cells an imported file may have")
	pf.IntVar(&r.maxRegions, "max-regions", def.MaxRegions, "导入文件的最多地区数 / most regions an imported file may name")
	pf.IntVar(&r.maxInds, "max-indicators", def.MaxIndicators, "导入文件的最多指标数 / most indicators an imported file may name")
	pf.BoolVar(&r.strict, "strict", false, "拒绝单元格比表头少的 CSV 行 / refuse CSV rows with fewer cells than the header")
	pf.StringVar(&r.sheet, "sheet", "", "XLSX 工作表（默认：observations、数据 或第一个）/ XLSX sheet (default: observations, 数据 or the first)")
	pf.IntVar(&r.headerRow, "header-row", 0, "表头所在行（默认自动识别，跳过标题行）/ row of the header (default: found below any title rows)")
	pf.StringVar(&r.regionCol, "region-col", "", "地区列的表头（默认：地区、地市、城市、region、city、code 等）/ header of the region column (default: 地区, 城市, region, city, code ...)")
	pf.BoolVar(&r.decimalComma, "decimal-comma", false, "以分号或制表符分隔的 CSV 中数值用小数逗号（3,14）/ numbers use a decimal comma (3,14) in a CSV separated by semicolons or tabs")
}

// validate checks the read flags.
func (r readFlags) validate() error {
	if r.maxRows < 1 {
		return usagef("--max-rows 须为正数（收到 %d）", "--max-rows must be positive (got %d)", r.maxRows)
	}
	if r.headerRow < 0 {
		return usagef("--header-row 须为正数（收到 %d）", "--header-row must be positive (got %d)", r.headerRow)
	}
	if r.maxCells < 1 {
		return usagef("--max-cells 须为正数（收到 %d）", "--max-cells must be positive (got %d)", r.maxCells)
	}
	if r.maxRegions < 1 {
		return usagef("--max-regions 须为正数（收到 %d）", "--max-regions must be positive (got %d)", r.maxRegions)
	}
	if r.maxInds < 1 {
		return usagef("--max-indicators 须为正数（收到 %d）", "--max-indicators must be positive (got %d)", r.maxInds)
	}
	return nil
}

// readOptions returns opts with the read flags applied.
func (g *globals) readOptions(opts dataset.ReadOptions) dataset.ReadOptions {
	opts.Limits.MaxRows = g.read.maxRows
	opts.Limits.MaxCells = g.read.maxCells
	opts.Limits.MaxRegions = g.read.maxRegions
	opts.Limits.MaxIndicators = g.read.maxInds
	opts.Strict = g.read.strict
	opts.DecimalComma = g.read.decimalComma
	if opts.Sheet == "" {
		opts.Sheet = g.read.sheet
	}
	opts.HeaderRow = g.read.headerRow
	opts.RegionCol = g.read.regionCol
	return opts
}

// ---- data save ----

type dataSaveOptions struct {
	force bool
}

func newDataSaveCmd(g *globals) *cobra.Command {
	var o dataSaveOptions
	cmd := &cobra.Command{
		Use:   "save FILE.agglo",
		Short: "把载入的数据保存为 agglo 二进制文件，之后可快速载入 / save the loaded data as an agglo binary file that loads fast",
		Long: `把 --data 载入的数据（默认：内置论文数据）保存为 agglo 的二进制列式文件；之后 --data FILE.agglo 直接载入，不必再次导入。
Save the data loaded by --data (default: the embedded paper data) in agglo's binary columnar form; --data FILE.agglo then loads it without importing again.

  agglo --data national.csv data save national.agglo
  agglo --data national.agglo index`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error { return runDataSave(cmd, g, args[0], o) },
	}
	cmd.Flags().BoolVar(&o.force, "force", false, forceFlagUsage)
	return cmd
}

func runDataSave(cmd *cobra.Command, g *globals, path string, o dataSaveOptions) error {
	if f, ok := dataset.FormatOf(path); !ok || f != dataset.Binary {
		return usagef("保存的文件名须以 .agglo 结尾（收到“%s”）", "the file to save must end in .agglo (got %q)", path)
	}
	if slices.ContainsFunc(g.dataflags.files, func(f string) bool { return strings.TrimSpace(f) != "" && samePath(f, path) }) {
		return usagef("不能把数据保存到它自己的文件 %s", "cannot save the data over its own file %s", path)
	}
	ds, err := g.loadData(cmd)
	if err != nil {
		return err
	}
	if err := writeFileAtomic(path, o.force, func(w io.Writer) error { return dataset.Save(w, ds) }); err != nil {
		return err
	}
	fmt.Fprintf(g.stderr, "%s %s (%d %s)\n", g.t("已写入", "wrote"), path, ds.Len(), g.t("个观测值", "observations"))
	return nil
}

// samePath reports whether two paths name the same file.
func samePath(a, b string) bool {
	sa, err1 := os.Stat(a)
	sb, err2 := os.Stat(b)
	if err1 == nil && err2 == nil {
		return os.SameFile(sa, sb)
	}
	aa, err1 := filepath.Abs(a)
	ab, err2 := filepath.Abs(b)
	return err1 == nil && err2 == nil && aa == ab
}
