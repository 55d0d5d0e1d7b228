package cli

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/metrics"
	"runtime/pprof"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"agglo/internal/bench"
	"agglo/internal/dataset"
	"agglo/internal/i18n"
	"agglo/internal/report"
)

func newBenchCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "bench",
		Short: "生成合成基准数据，测量导入与报告 / generate synthetic benchmark data, measure imports and reports",
		Args:  cobra.ArbitraryArgs,
		RunE:  helpOrUnknown,
	}
	cmd.AddCommand(newBenchGenerateCmd(g), newBenchImportCmd(g), newBenchReportCmd(g))
	return cmd
}

// ---- bench generate ----

type benchGenerateOptions struct {
	spec   bench.SyntheticSpec
	format string
	out    string
	force  bool
	// cities names the regions by the registry's prefecture-level cities.
	cities bool
}

func newBenchGenerateCmd(g *globals) *cobra.Command {
	var o benchGenerateOptions
	cmd := &cobra.Command{
		Use:   "generate -o FILE",
		Short: "生成带“合成”标记的基准数据 / write clearly labelled synthetic benchmark data",
		Long: `生成合成数据（地区 SYN-0001…，指标 syn_001…，来源列或备注写明 synthetic），同一 --seed 得到相同文件。
Write synthetic data (regions SYN-0001..., indicators syn_001..., a source column or note saying synthetic); the same --seed gives the same file.

  agglo bench generate --regions 2900 --indicators 120 --years 20 --layout long --format csv -o long.csv
  agglo bench generate --regions 300 --indicators 120 --years 1 --layout wide --format xlsx -o wide.xlsx

加 --cities：地区用登记表中地级及以上城市的代码（默认全部城市），数值仍是合成的，使报告的城市群诊断也参与计时。
With --cities the regions are the registry's prefecture-level cities (all of them unless --regions is given); the values
stay synthetic, and the report's diagnosis of agglomerations is part of what is timed.

  agglo bench generate --cities --indicators 980 --years 20 -o cities.csv`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if o.cities {
				reg, err := dataset.LoadRegistry()
				if err != nil {
					return err
				}
				for _, r := range reg.Level(dataset.LevelCity) {
					o.spec.Codes = append(o.spec.Codes, r.Code)
				}
				if !cmd.Flags().Changed("regions") {
					o.spec.Regions = len(o.spec.Codes)
				}
			}
			return runBenchGenerate(g, o)
		},
	}
	f := cmd.Flags()
	f.IntVar(&o.spec.Regions, "regions", 2900, "地区数 / number of regions")
	f.IntVar(&o.spec.Indicators, "indicators", 120, "指标数 / number of indicators")
	f.IntVar(&o.spec.Years, "years", 20, "年数（截至 2020）/ number of years (ending 2020)")
	f.StringVar(&o.spec.Layout, "layout", bench.LayoutLong, "long|wide")
	f.Uint64Var(&o.spec.Seed, "seed", 1, "随机种子 / random seed")
	f.StringVar(&o.format, "format", "", "csv|xlsx（默认按文件扩展名 / default: from the file extension）")
	f.StringVarP(&o.out, "output", "o", "", "输出文件（- 表示标准输出）/ output file (- for stdout)")
	f.BoolVar(&o.force, "force", false, forceFlagUsage)
	f.BoolVar(&o.cities, "cities", false, "地区用登记表中的地级及以上城市代码 / name the regions by the registry's prefecture-level cities")
	return cmd
}

func runBenchGenerate(g *globals, o benchGenerateOptions) error {
	if o.out == "" {
		return usagef("请用 -o 指定输出文件", "give the output file with -o")
	}
	format := dataset.Format(strings.ToLower(o.format))
	if format == "" {
		f, ok := dataset.FormatOf(o.out)
		if !ok {
			return usagef("无法从“%s”判断格式，请加 --format csv|xlsx", "cannot tell the format from %q: add --format csv|xlsx", o.out)
		}
		format = f
	}
	if format != dataset.CSV && format != dataset.XLSX {
		return usagef("--format 只能是 csv 或 xlsx（收到“%s”）", "--format must be csv or xlsx (got %q)", format)
	}
	if err := o.spec.Validate(); err != nil {
		return usageError{err}
	}
	if format == dataset.XLSX {
		if err := o.spec.FitsXLSX(); err != nil {
			return usageError{err}
		}
	}
	write := func(w io.Writer) error { return bench.WriteSynthetic(w, o.spec, string(format)) }
	if o.out == "-" {
		return write(g.stdout)
	}
	if err := writeFileAtomic(o.out, o.force, write); err != nil {
		return err
	}
	fmt.Fprintf(g.stderr, "%s %s (%d %s)\n", g.t("已写入合成数据", "wrote synthetic data"), o.out, o.spec.Rows(), g.t("行", "rows"))
	return nil
}

// ---- bench import ----

type benchImportResult struct {
	File         string  `json:"file"`
	Observations int     `json:"observations"`
	Regions      int     `json:"regions"`
	Indicators   int     `json:"indicators"`
	Seconds      float64 `json:"seconds"`
	// PeakRSSMiB is the process's peak resident set (VmHWM of
	// /proc/self/status, reset before the import where the kernel allows);
	// 0 where /proc is not available.
	PeakRSSMiB float64 `json:"peak_rss_mib"`
	// PeakRSSReset says whether the peak was reset before the import, so
	// that it covers the import alone.
	PeakRSSReset bool `json:"peak_rss_reset"`
	// HeapMiB is the Go heap in use right after the import (before the
	// dataset is dropped); TotalAllocMiB all bytes allocated by it.
	HeapMiB       float64 `json:"heap_mib"`
	TotalAllocMiB float64 `json:"total_alloc_mib"`
	GCCycles      uint64  `json:"gc_cycles"`
	GOMAXPROCS    int     `json:"gomaxprocs"`
}

type benchImportOptions struct {
	sheet   string
	compare bool
	repeat  int
}

func newBenchImportCmd(g *globals) *cobra.Command {
	var o benchImportOptions
	cmd := &cobra.Command{
		Use:   "import FILE",
		Short: "测量导入一个文件的时间和内存峰值 / time one import and report its peak memory",
		Long: `导入 FILE（与 agglo data validate 相同的代码），报告耗时、峰值常驻内存（/proc/self/status 的 VmHWM）和 Go 堆分配。
加 --compare：在同一进程中交替运行一个只用 encoding/csv 读取该文件并解析数值列的循环和导入，各 --repeat 次，报告每次的时间比（导入 / encoding/csv）。
Import FILE (the same code as agglo data validate) and report the time, the peak resident memory (VmHWM from /proc/self/status) and Go heap allocation.
With --compare: run a bare encoding/csv loop that reads the file and parses its value column, and the import, alternately in one process, --repeat times each, and report each ratio (import / encoding/csv).

  agglo bench import --compare --repeat 5 long.csv`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if o.compare {
				return runBenchCompare(cmd.Context(), g, args[0], o)
			}
			return runBenchImport(cmd.Context(), g, args[0], o.sheet)
		},
	}
	cmd.Flags().StringVar(&o.sheet, "sheet", "", "XLSX 工作表 / XLSX sheet")
	cmd.Flags().BoolVar(&o.compare, "compare", false, "与 encoding/csv 循环对比 / compare with a bare encoding/csv loop")
	cmd.Flags().IntVar(&o.repeat, "repeat", 3, "--compare 的轮数 / rounds of --compare")
	return cmd
}

func runBenchImport(ctx context.Context, g *globals, path, sheet string) error {
	reg, err := dataset.LoadRegistry()
	if err != nil {
		return err
	}
	cat, err := dataset.LoadCatalogue()
	if err != nil {
		return err
	}
	runtime.GC()
	reset := resetPeakRSS()
	samples := []metrics.Sample{{Name: "/gc/heap/allocs:bytes"}, {Name: "/gc/cycles/total:gc-cycles"}}
	metrics.Read(samples)
	alloc0, gc0 := samples[0].Value.Uint64(), samples[1].Value.Uint64()
	start := time.Now()
	ds, err := dataset.ReadFileContext(ctx, path, g.readOptions(dataset.ReadOptions{Registry: reg, Catalogue: cat, Sheet: sheet}))
	elapsed := time.Since(start)
	if err != nil {
		return err
	}
	metrics.Read(samples)
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	res := benchImportResult{File: path, Observations: ds.Len(), Regions: len(ds.Regions), Indicators: len(ds.Indicators),
		Seconds: elapsed.Seconds(), PeakRSSMiB: float64(peakRSS()) / (1 << 20), PeakRSSReset: reset,
		HeapMiB: float64(ms.HeapAlloc) / (1 << 20), TotalAllocMiB: float64(samples[0].Value.Uint64()-alloc0) / (1 << 20),
		GCCycles: samples[1].Value.Uint64() - gc0, GOMAXPROCS: runtime.GOMAXPROCS(0)}
	runtime.KeepAlive(ds)
	t := &table{header: []string{g.t("项目", "item"), g.t("结果", "result")}}
	t.add(g.t("文件", "file"), path)
	t.add(g.t("观测值", "observations"), strconv.Itoa(res.Observations))
	t.add(g.t("地区 / 指标", "regions / indicators"), fmt.Sprintf("%d / %d", res.Regions, res.Indicators))
	t.add(g.t("耗时", "time"), fmt.Sprintf("%.2f s", res.Seconds))
	peak := fmt.Sprintf("%.0f MiB", res.PeakRSSMiB)
	if !reset {
		peak += g.t("（含导入前的进程峰值）", " (includes the process peak before the import)")
	}
	t.add(g.t("峰值常驻内存", "peak RSS"), peak)
	t.add(g.t("导入后 Go 堆", "Go heap after import"), fmt.Sprintf("%.0f MiB", res.HeapMiB))
	t.add(g.t("累计分配", "allocated"), g.t(fmt.Sprintf("%.0f MiB，%d 次垃圾回收", res.TotalAllocMiB, res.GCCycles), fmt.Sprintf("%.0f MiB, %d GC", res.TotalAllocMiB, res.GCCycles)))
	t.add("GOMAXPROCS", strconv.Itoa(res.GOMAXPROCS))
	return g.emit(res, t)
}

// benchRound is one round of --compare: wall-clock and CPU seconds
// (user and system, all threads) of each side.
type benchRound struct {
	ReferenceSeconds    float64 `json:"reference_seconds"`
	ImportSeconds       float64 `json:"import_seconds"`
	Ratio               float64 `json:"ratio"`
	ReferenceCPUSeconds float64 `json:"reference_cpu_seconds"`
	ImportCPUSeconds    float64 `json:"import_cpu_seconds"`
}

type benchCompareResult struct {
	File         string       `json:"file"`
	Observations int          `json:"observations"`
	Rounds       []benchRound `json:"rounds"`
	// MinRatio, MedianRatio and MaxRatio summarise the rounds' ratios.
	MinRatio    float64 `json:"min_ratio"`
	MedianRatio float64 `json:"median_ratio"`
	MaxRatio    float64 `json:"max_ratio"`
	// LoadAverage is the one-minute load average before and after
	// (/proc/loadavg; 0 where unknown).
	LoadBefore float64 `json:"load_average_before"`
	LoadAfter  float64 `json:"load_average_after"`
	GOMAXPROCS int     `json:"gomaxprocs"`
}

// runBenchCompare times dataset.ReferenceCSVRead (a bare encoding/csv
// loop) and the import of the same file alternately in one process.
func runBenchCompare(ctx context.Context, g *globals, path string, o benchImportOptions) error {
	if o.repeat < 1 || o.repeat > 100 {
		return usagef("--repeat 须在 1 到 100 之间", "--repeat must lie between 1 and 100")
	}
	if f, ok := dataset.FormatOf(path); !ok || f != dataset.CSV {
		return usagef("--compare 只用于 CSV 文件", "--compare works on CSV files only")
	}
	reg, err := dataset.LoadRegistry()
	if err != nil {
		return err
	}
	cat, err := dataset.LoadCatalogue()
	if err != nil {
		return err
	}
	opts := g.readOptions(dataset.ReadOptions{Registry: reg, Catalogue: cat})
	res := benchCompareResult{File: path, LoadBefore: loadAverage(), GOMAXPROCS: runtime.GOMAXPROCS(0)}
	for range o.repeat {
		ref, refCPU, err := timeReferenceRead(path)
		if err != nil {
			return err
		}
		runtime.GC()
		cpu0 := cpuSeconds()
		start := time.Now()
		ds, err := dataset.ReadFileContext(ctx, path, opts)
		if err != nil {
			return err
		}
		imp := time.Since(start).Seconds()
		impCPU := cpuSeconds() - cpu0
		res.Observations = ds.Len()
		res.Rounds = append(res.Rounds, benchRound{ReferenceSeconds: ref, ImportSeconds: imp, Ratio: imp / ref,
			ReferenceCPUSeconds: refCPU, ImportCPUSeconds: impCPU})
	}
	res.LoadAfter = loadAverage()
	ratios := make([]float64, len(res.Rounds))
	for i, r := range res.Rounds {
		ratios[i] = r.Ratio
	}
	res.MinRatio, res.MedianRatio, res.MaxRatio = ratioSummary(ratios)
	t := &table{header: []string{g.t("轮", "round"), "encoding/csv", g.t("导入", "import"), g.t("比值", "ratio"), g.t("CPU 时间（csv / 导入）", "CPU time (csv / import)")}}
	for i, r := range res.Rounds {
		t.add(strconv.Itoa(i+1), fmt.Sprintf("%.3f s", r.ReferenceSeconds), fmt.Sprintf("%.3f s", r.ImportSeconds), fmt.Sprintf("%.3f", r.Ratio),
			fmt.Sprintf("%.2f s / %.2f s", r.ReferenceCPUSeconds, r.ImportCPUSeconds))
	}
	t.add(g.t("比值 最小/中位/最大", "ratio min/median/max"), "", "", fmt.Sprintf("%.3f / %.3f / %.3f", res.MinRatio, res.MedianRatio, res.MaxRatio), "")
	t.add(g.t("负载（前/后）", "load average (before/after)"), "", "", fmt.Sprintf("%.2f / %.2f", res.LoadBefore, res.LoadAfter), "")
	t.add("GOMAXPROCS", "", "", strconv.Itoa(res.GOMAXPROCS), "")
	return g.emit(res, t)
}

// ratioSummary returns the smallest, the median (the mean of the two
// middle values for an even count) and the largest of the rounds' ratios
// (at least one); it sorts ratios.
func ratioSummary(ratios []float64) (lo, median, hi float64) {
	sort.Float64s(ratios)
	n := len(ratios)
	median = ratios[n/2]
	if n%2 == 0 {
		median = (ratios[n/2-1] + ratios[n/2]) / 2
	}
	return ratios[0], median, ratios[n-1]
}

// loadAverage returns the one-minute load average, or 0.
func loadAverage() float64 {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return 0
	}
	f := strings.Fields(string(b))
	if len(f) == 0 {
		return 0
	}
	v, _ := strconv.ParseFloat(f[0], 64)
	return v
}

// resetPeakRSS resets the kernel's peak-RSS counter of this process
// (Linux ≥ 4.0: writing 5 to /proc/self/clear_refs); it reports whether
// that worked.
func resetPeakRSS() bool {
	return os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) == nil
}

// peakRSS returns VmHWM from /proc/self/status in bytes, or 0.
func peakRSS() int64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			if err != nil {
				return 0
			}
			return kb << 10
		}
	}
	return 0
}

// ---- bench report ----

type benchReportOptions struct {
	compare    bool
	repeat     int
	cpuProfile string
	memProfile string
}

// benchReportRound is one round of bench report: the bare read (with
// --compare) and the report, wall-clock and CPU seconds and the peak
// resident memory of the report side.
type benchReportRound struct {
	ReferenceSeconds    float64 `json:"reference_seconds,omitempty"`
	ReportSeconds       float64 `json:"report_seconds"`
	Ratio               float64 `json:"ratio,omitempty"`
	ReferenceCPUSeconds float64 `json:"reference_cpu_seconds,omitempty"`
	ReportCPUSeconds    float64 `json:"report_cpu_seconds"`
	// Phases of the report side: loading the data (import, combination
	// with the built-in data, roll-ups), the analyses and writing the
	// HTML page.
	LoadSeconds     float64 `json:"load_seconds"`
	AnalysesSeconds float64 `json:"analyses_seconds"`
	WriteSeconds    float64 `json:"write_seconds"`
	PeakRSSMiB      float64 `json:"peak_rss_mib"`
	HTMLBytes       int64   `json:"html_bytes"`
}

type benchReportResult struct {
	File   string             `json:"file"`
	Units  int                `json:"units"`
	Rounds []benchReportRound `json:"rounds"`
	// MinRatio, MedianRatio and MaxRatio summarise the rounds' ratios
	// (report / encoding/csv) with --compare.
	MinRatio     float64 `json:"min_ratio,omitempty"`
	MedianRatio  float64 `json:"median_ratio,omitempty"`
	MaxRatio     float64 `json:"max_ratio,omitempty"`
	PeakRSSReset bool    `json:"peak_rss_reset"`
	LoadBefore   float64 `json:"load_average_before"`
	LoadAfter    float64 `json:"load_average_after"`
	GOMAXPROCS   int     `json:"gomaxprocs"`
}

func newBenchReportCmd(g *globals) *cobra.Command {
	var o benchReportOptions
	cmd := &cobra.Command{
		Use:   "report FILE",
		Short: "测量从导入到 HTML 报告的全过程 / time the report from import to HTML page",
		Long: `运行 agglo report --data FILE 的全过程（导入、与内置数据合并、综合指数、位次区间、分布测度、诊断、HTML 报告），
报告耗时、CPU 时间、各阶段耗时和峰值常驻内存（VmHWM）；页面写入后丢弃。加 --compare：在同一进程中交替运行只用
encoding/csv 读取该文件并解析数值列的循环和报告，各 --repeat 次，报告每轮的时间比（报告 / encoding/csv）与负载。
文件也可用 --data 给出（加 --data-only 时须如此）；其他全局参数同 agglo report。--cpuprofile、--memprofile 只记录报告部分。
Run what agglo report --data FILE does (import, combination with the built-in data, composite index, rank intervals,
distribution measures, diagnosis, HTML page) and report its time, CPU time, phases and peak resident memory (VmHWM);
the page is written and discarded. With --compare: run a bare encoding/csv loop that reads the file and parses its
value column, and the report, alternately in one process, --repeat times each, and report each round's ratio
(report / encoding/csv) and the load average. FILE may be given with --data instead (as --data-only needs); the
other global flags work as for agglo report.
--cpuprofile and --memprofile record the report side only.

  agglo bench report --compare --repeat 5 long.csv
  agglo bench report --data-only --data long.csv --cpuprofile cpu.prof`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			files := append(args, g.dataflags.files...)
			if len(files) != 1 {
				return usagef("需要一个数据文件（FILE 或 --data，收到 %d 个）", "needs one data file (FILE or --data; got %d)", len(files))
			}
			return runBenchReport(cmd, g, files[0], o)
		},
	}
	f := cmd.Flags()
	f.BoolVar(&o.compare, "compare", false, "与 encoding/csv 循环对比 / compare with a bare encoding/csv loop")
	f.IntVar(&o.repeat, "repeat", 3, "轮数 / rounds")
	f.StringVar(&o.cpuProfile, "cpuprofile", "", "把报告部分的 CPU 剖析写入此文件 / write a CPU profile of the report side to this file")
	f.StringVar(&o.memProfile, "memprofile", "", "把最后一轮报告后的堆剖析写入此文件 / write a heap profile after the last report to this file")
	return cmd
}

func runBenchReport(cmd *cobra.Command, g *globals, path string, o benchReportOptions) error {
	if o.repeat < 1 || o.repeat > 100 {
		return usagef("--repeat 须在 1 到 100 之间", "--repeat must lie between 1 and 100")
	}
	if f, ok := dataset.FormatOf(path); o.compare && (!ok || f != dataset.CSV) {
		return usagef("--compare 只用于 CSV 文件", "--compare works on CSV files only")
	}
	if _, err := os.Stat(path); err != nil {
		return i18n.Errorf("找不到数据 %s：%v", "cannot find data %s: %v", path, err)
	}
	ctx := cmd.Context()
	g.dataflags.files = []string{path}
	// The command is named report: it loads what agglo report loads.
	ids := g.dataflags.builtinsFor(cmd)
	req, err := g.reportRequest(reportOptions{})
	if err != nil {
		return err
	}
	var cpuFile *os.File
	if o.cpuProfile != "" {
		if cpuFile, err = os.Create(o.cpuProfile); err != nil {
			return usagef("无法写入 --cpuprofile 文件：%v", "cannot write the --cpuprofile file: %v", err)
		}
		defer cpuFile.Close()
	}
	res := benchReportResult{File: path, LoadBefore: loadAverage(), GOMAXPROCS: runtime.GOMAXPROCS(0)}
	for range o.repeat {
		var r benchReportRound
		if o.compare {
			var err error
			if r.ReferenceSeconds, r.ReferenceCPUSeconds, err = timeReferenceRead(path); err != nil {
				return err
			}
		}
		runtime.GC()
		res.PeakRSSReset = resetPeakRSS()
		if cpuFile != nil {
			if err := pprof.StartCPUProfile(cpuFile); err != nil {
				return err
			}
		}
		cpu0, start := cpuSeconds(), time.Now()
		ds, err := g.loadDataWith(ctx, ids)
		if err != nil {
			pprof.StopCPUProfile()
			return err
		}
		t1 := time.Now()
		rep, err := report.Build(ctx, report.Input{Data: ds, Lang: g.lang, Request: req})
		if err != nil {
			pprof.StopCPUProfile()
			return err
		}
		t2 := time.Now()
		var n countingWriter
		n.w = io.Discard
		if err := rep.Write(&n, report.FormatHTML); err != nil {
			pprof.StopCPUProfile()
			return err
		}
		end := time.Now()
		if cpuFile != nil {
			pprof.StopCPUProfile()
			cpuFile = nil // one profile: the first round
		}
		r.ReportSeconds, r.ReportCPUSeconds = end.Sub(start).Seconds(), cpuSeconds()-cpu0
		r.LoadSeconds, r.AnalysesSeconds, r.WriteSeconds = t1.Sub(start).Seconds(), t2.Sub(t1).Seconds(), end.Sub(t2).Seconds()
		r.PeakRSSMiB, r.HTMLBytes = float64(peakRSS())/(1<<20), n.n
		if r.ReferenceSeconds > 0 {
			r.Ratio = r.ReportSeconds / r.ReferenceSeconds
		}
		res.Units = len(ds.Regions)
		res.Rounds = append(res.Rounds, r)
		runtime.KeepAlive(rep)
	}
	res.LoadAfter = loadAverage()
	if o.memProfile != "" {
		if err := writeHeapProfile(o.memProfile); err != nil {
			return err
		}
	}
	if o.compare {
		ratios := make([]float64, len(res.Rounds))
		for i, r := range res.Rounds {
			ratios[i] = r.Ratio
		}
		res.MinRatio, res.MedianRatio, res.MaxRatio = ratioSummary(ratios)
	}
	t := &table{header: []string{g.t("轮", "round"), "encoding/csv", g.t("报告", "report"), g.t("比值", "ratio"), g.t("CPU 时间（csv / 报告）", "CPU time (csv / report)"),
		g.t("载入 / 分析 / 写出", "load / analyses / write"), g.t("峰值常驻内存", "peak RSS")}}
	for i, r := range res.Rounds {
		ref, ratio, cpu := "—", "—", fmt.Sprintf("— / %.2f s", r.ReportCPUSeconds)
		if o.compare {
			ref, ratio, cpu = fmt.Sprintf("%.3f s", r.ReferenceSeconds), fmt.Sprintf("%.3f", r.Ratio), fmt.Sprintf("%.2f s / %.2f s", r.ReferenceCPUSeconds, r.ReportCPUSeconds)
		}
		t.add(strconv.Itoa(i+1), ref, fmt.Sprintf("%.3f s", r.ReportSeconds), ratio, cpu,
			fmt.Sprintf("%.2f / %.2f / %.2f s", r.LoadSeconds, r.AnalysesSeconds, r.WriteSeconds), fmt.Sprintf("%.0f MiB", r.PeakRSSMiB))
	}
	if o.compare {
		t.add(g.t("比值 最小/中位/最大", "ratio min/median/max"), "", "", fmt.Sprintf("%.3f / %.3f / %.3f", res.MinRatio, res.MedianRatio, res.MaxRatio), "", "", "")
	}
	t.add(g.t("负载（前/后）", "load average (before/after)"), "", "", fmt.Sprintf("%.2f / %.2f", res.LoadBefore, res.LoadAfter), "", "", "")
	t.add("GOMAXPROCS", "", "", strconv.Itoa(res.GOMAXPROCS), "", "", "")
	if !res.PeakRSSReset {
		t.add(g.t("峰值常驻内存", "peak RSS"), "", "", g.t("含报告前的进程峰值", "includes the process peak before the report"), "", "", "")
	}
	return g.emit(res, t)
}

// writeHeapProfile writes a heap profile (after a collection) to path.
func writeHeapProfile(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return usagef("无法写入 --memprofile 文件：%v", "cannot write the --memprofile file: %v", err)
	}
	defer f.Close()
	runtime.GC()
	return pprof.WriteHeapProfile(f)
}

// timeReferenceRead runs the bare encoding/csv read of path
// (dataset.ReferenceCSVRead) after a collection, and returns its
// wall-clock and CPU seconds.
func timeReferenceRead(path string) (wall, cpu float64, err error) {
	runtime.GC()
	cpu0, start := cpuSeconds(), time.Now()
	f, err := os.Open(path)
	if err != nil {
		return 0, 0, err
	}
	defer f.Close()
	if _, _, err := dataset.ReferenceCSVRead(f); err != nil {
		return 0, 0, err
	}
	return time.Since(start).Seconds(), cpuSeconds() - cpu0, nil
}
