package cli

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"agglo/internal/analysis"
	"agglo/internal/dataset"
	"agglo/internal/i18n"
)

// dataFlags are the global flags that choose the data: built-in data sets,
// the user's files, how they combine, the year and the agglomerations.
type dataFlags struct {
	files      []string // --data, repeatable
	only       bool     // --data-only
	prefer     string   // --prefer FILE or built-in id
	datasets   []string // --dataset
	year       int      // --year
	aggFile    string   // --agglomerations
	aggReplace bool     // --agglomerations-replace
	aggs       []string // --agglomeration
	// exclPartial leaves partial members out of roll-ups
	// (--exclude-partial); by default they count whole and are flagged.
	exclPartial bool
}

func addDataFlags(pf *pflag.FlagSet, d *dataFlags) {
	pf.StringArrayVar(&d.files, "data", nil, "数据文件或文件夹，可重复；默认加到内置数据之上 / data file or folder, repeatable; added to the built-in data by default")
	pf.BoolVar(&d.only, "data-only", false, "只用 --data 的数据，不加内置数据 / use the --data files alone, without the built-in data")
	pf.StringVar(&d.prefer, "prefer", "", "数值冲突时以此文件（或内置数据集）为准 / on conflicting values keep those of this file (or built-in data set)")
	pf.StringSliceVar(&d.datasets, "dataset", nil, "内置数据集："+strings.Join(dataset.BuiltinIDs(), "|")+"（见 agglo data sources）/ built-in data set(s) (see agglo data sources)")
	pf.IntVar(&d.year, "year", 0, "分析年份：只用该年及以前的数据（默认：全部年份）/ year of the analysis: data of that year and before (default: all years)")
	pf.StringVar(&d.aggFile, "agglomerations", "", "用户定义的城市群（CSV 或 YAML），加到内置城市群中 / user-defined agglomerations (CSV or YAML), added to the built-in ones")
	pf.BoolVar(&d.aggReplace, "agglomerations-replace", false, "用 --agglomerations 的城市群替换内置城市群 / replace the built-in agglomerations with those of --agglomerations")
	pf.BoolVar(&d.exclPartial, "exclude-partial", false, "汇总城市群数值时不计部分属于城市群的成员（默认按整体计入并标出）/ leave partial members out of agglomeration roll-ups (default: counted whole and flagged)")
	pf.StringSliceVar(&d.aggs, "agglomeration", nil, "分析的城市群代码（默认：论文的五个；all 为全部）/ agglomeration codes to analyse (default: the paper's five; all for every one)")
}

// validate checks the data flags that need no data.
func (d *dataFlags) validate() error {
	if d.only && len(d.files) == 0 {
		return usagef("--data-only 需要至少一个 --data 文件", "--data-only needs at least one --data file")
	}
	if d.only && len(d.datasets) > 0 {
		return usagef("--data-only 与 --dataset 不能同时使用", "--data-only and --dataset cannot be used together")
	}
	for _, id := range d.datasets {
		if _, ok := dataset.BuiltinSourceOf(id); !ok {
			return usagef("--dataset 的“%s”不是内置数据集（可选 %s；见 agglo data sources）", "--dataset %q is not a built-in data set (use %s; see agglo data sources)", id, strings.Join(dataset.BuiltinIDs(), ", "))
		}
	}
	if d.aggReplace && d.aggFile == "" {
		return usagef("--agglomerations-replace 需要 --agglomerations 文件", "--agglomerations-replace needs an --agglomerations file")
	}
	if d.year < 0 {
		return usagef("--year 须为正数（收到 %d）", "--year must be positive (got %d)", d.year)
	}
	return nil
}

// defaultDatasets are the built-in data sets a command uses when no
// --dataset is given: the paper's data everywhere, and for the diagnosis,
// the strategy and the report also the city data
// (dataset.AnalysisBuiltins: census, city patents and intercity networks,
// city GDP), which let the diagnosis judge the spatial structure on member
// cities, the siphon effect over time and knowledge flow.
var defaultDatasets = map[string][]string{
	"diagnose": dataset.AnalysisBuiltins(),
	"strategy": dataset.AnalysisBuiltins(),
	"report":   dataset.AnalysisBuiltins(),
}

// builtinsFor returns the built-in data sets cmd uses.
func (d *dataFlags) builtinsFor(cmd *cobra.Command) []string {
	if len(d.datasets) > 0 {
		return d.datasets
	}
	if d.only || (cmd.Name() == "save" && len(d.files) > 0) {
		// agglo data save keeps the user's data as they are.
		return nil
	}
	if ids, ok := defaultDatasets[cmd.Name()]; ok {
		return ids
	}
	return []string{dataset.BuiltinPaper}
}

// loadData loads the data a command works on (see dataFlags).
func (g *globals) loadData(cmd *cobra.Command) (*dataset.Dataset, error) {
	return g.loadDataWith(cmd.Context(), g.dataflags.builtinsFor(cmd))
}

// registry returns the embedded registry with --agglomerations applied.
func (g *globals) registry() (*dataset.Registry, error) {
	reg, err := g.embedded.Registry()
	if err != nil {
		return nil, err
	}
	d := g.dataflags
	if d.aggFile == "" {
		return reg, nil
	}
	f, err := os.Open(d.aggFile)
	if err != nil {
		return nil, usagef("无法读取 --agglomerations 文件：%v", "cannot read the --agglomerations file: %v", err)
	}
	defer f.Close()
	set, err := dataset.ReadAgglomerations(f, filepath.Base(d.aggFile), reg)
	if err != nil {
		return nil, err
	}
	return reg.WithAgglomerations(set, d.aggReplace)
}

// loadDataWith loads the built-in data sets ids and the --data files and
// combines them, the built-in ones first; a --prefer names the part whose
// values win conflicts. It then applies --agglomeration and --year.
func (g *globals) loadDataWith(ctx context.Context, ids []string) (*dataset.Dataset, error) {
	d := g.dataflags
	reg, err := g.registry()
	if err != nil {
		return nil, err
	}
	cat, err := g.embedded.Catalogue()
	if err != nil {
		return nil, err
	}
	opts := g.readOptions(dataset.ReadOptions{Registry: reg, Catalogue: cat})
	var parts []*dataset.Dataset
	var names []string // what --prefer may name, per part
	for _, id := range ids {
		var ds *dataset.Dataset
		if id == dataset.BuiltinPaper {
			ds, err = analysis.PaperData()
		} else {
			ds, err = g.embedded.Builtin(ctx, id)
		}
		if err != nil {
			return nil, err
		}
		parts = append(parts, ds)
		names = append(names, id)
	}
	for _, path := range d.files {
		ds, err := loadDataset(ctx, path, opts)
		if err != nil {
			return nil, err
		}
		parts = append(parts, ds)
		names = append(names, path)
	}
	if len(d.datasets) == 0 && len(parts) > len(ids) && slices.ContainsFunc(parts[len(ids):], func(p *dataset.Dataset) bool { return p.FreeUnits }) {
		// Free units (another country's regions, firms) do not combine
		// with China's built-in data: the user's files stand alone.
		parts, names = parts[len(ids):], names[len(ids):]
	}
	if len(parts) == 0 {
		return nil, usagef("没有数据：请给出 --data 或 --dataset", "no data: give --data or --dataset")
	}
	prefer := -1
	if d.prefer != "" {
		for i, n := range names {
			if n == d.prefer || samePath(n, d.prefer) || filepath.Base(n) == d.prefer {
				prefer = i
			}
		}
		if prefer < 0 {
			return nil, usagef("--prefer 的“%s”不是所用的数据（可选 %s）", "--prefer %q is none of the data used (use one of %s)", d.prefer, strings.Join(names, ", "))
		}
	}
	ds := parts[0]
	if len(parts) > 1 {
		ds, err = dataset.Combine(combinedName(names), dataset.CombineOptions{Prefer: prefer}, parts...)
		if err != nil {
			return nil, err
		}
		if note, ok := yearsNote(names, parts); ok {
			ds.Notes = append(ds.Notes, note)
		}
	}
	if ds.Registry != reg && !ds.FreeUnits {
		ds = ds.WithRegistry(reg)
	}
	// Agglomeration values the members' data give (sums, ratios of
	// sums), marked derived with their coverage.
	if ds, err = ds.WithRollups(dataset.RollupOptions{ExcludePartial: d.exclPartial}); err != nil {
		return nil, err
	}
	if len(d.aggs) > 0 && ds.Registry != nil {
		codes := d.aggs
		if len(codes) == 1 && strings.EqualFold(codes[0], "all") {
			codes = ds.Registry.AllAgglomerationCodes()
		}
		r, err := ds.Registry.WithDefaults(codes)
		if err != nil {
			return nil, usageError{err}
		}
		ds = ds.WithRegistry(r)
	}
	return ds.AsOf(d.year), nil
}

// combinedName names a combination of data sets by its parts.
func combinedName(names []string) string {
	short := make([]string, len(names))
	for i, n := range names {
		short[i] = filepath.Base(n)
	}
	return strings.Join(short, " + ")
}

// loadDataset returns the dataset at path: a CSV, XLSX or .agglo file, or
// a folder of CSV and XLSX files (combined as several --data are).
func loadDataset(ctx context.Context, path string, opts dataset.ReadOptions) (*dataset.Dataset, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, i18n.Errorf("找不到数据 %s：%v", "cannot find data %s: %v", path, err)
	}
	if !st.IsDir() {
		return dataset.ReadFileContext(ctx, path, opts)
	}
	entries, err := os.ReadDir(path)
	if err != nil {
		return nil, i18n.Errorf("无法读取文件夹 %s：%v", "cannot read folder %s: %v", path, err)
	}
	var files []string
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		if f, ok := dataset.FormatOf(e.Name()); ok && f != dataset.JSON {
			files = append(files, filepath.Join(path, e.Name()))
		}
	}
	sort.Strings(files)
	if len(files) == 0 {
		return nil, i18n.Errorf("文件夹 %s 中没有 CSV 或 XLSX 文件", "folder %s has no CSV or XLSX file", path)
	}
	var parts []*dataset.Dataset
	for _, f := range files {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		ds, err := dataset.ReadFileContext(ctx, f, opts)
		if err != nil {
			return nil, err
		}
		parts = append(parts, ds)
	}
	if len(parts) == 1 {
		return parts[0], nil
	}
	return dataset.Combine(filepath.Base(path), dataset.CombineOptions{Prefer: -1}, parts...)
}

// builtinAgglomerationCodes are the codes of the 19 built-in
// agglomerations (the paper's five first), for flags checked before the
// data are loaded.
func builtinAgglomerationCodes() []string {
	reg, err := dataset.LoadRegistry()
	if err != nil {
		return dataset.AgglomerationCodes()
	}
	return reg.AllAgglomerationCodes()
}

// yearsNote says which years each combined data set holds when they
// differ: results then combine values of different years (the 2019 paper
// with the 2020 census), each stated with its year.
func yearsNote(names []string, parts []*dataset.Dataset) (dataset.Issue, bool) {
	var zh, en []string
	differ := false
	for i, p := range parts {
		ys := p.Years()
		if i > 0 && !slices.Equal(ys, parts[0].Years()) {
			differ = true
		}
		text := make([]string, len(ys))
		for k, y := range ys {
			text[k] = yearText(y)
		}
		zh = append(zh, filepath.Base(names[i])+"："+strings.Join(text, "、"))
		en = append(en, filepath.Base(names[i])+": "+strings.Join(text, ", "))
	}
	if !differ {
		return dataset.Issue{}, false
	}
	return dataset.Issue{Text: i18n.T("合并的数据年份不同（"+strings.Join(zh, "；")+"）：结果可能组合不同年份的数值，每个数值注明其年份",
		"the combined data are of different years ("+strings.Join(en, "; ")+"): results may combine values of different years, each stated with its year")}, true
}
