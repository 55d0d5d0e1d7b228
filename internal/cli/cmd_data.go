package cli

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"agglo/internal/coinr"
	"agglo/internal/dataset"
	"agglo/internal/format"
	"agglo/internal/i18n"
)

func newDataCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "data",
		Short: "查看、校验和导出数据 / list, show, validate and export data",
		Args:  cobra.ArbitraryArgs,
		RunE:  helpOrUnknown,
	}
	cmd.AddCommand(newDataListCmd(g), newDataShowCmd(g), newDataValidateCmd(g), newDataExportCmd(g), newDataSaveCmd(g), newDataSourcesCmd(g))
	return cmd
}

// helpOrUnknown is the RunE of a command that only groups subcommands:
// without arguments it prints help, with one it reports an unknown
// subcommand as a usage error (cobra would print help and exit 0).
func helpOrUnknown(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return usagef("未知命令“%s”（属于“%s”）", "unknown command %q for %q", args[0], cmd.CommandPath())
	}
	return cmd.Help()
}

// ---- data list ----

type dataListOptions struct{ level string }

type regionItem struct {
	Code    string   `json:"code"`
	NameZH  string   `json:"name_zh"`
	NameEN  string   `json:"name_en"`
	Level   string   `json:"level"`
	Parent  string   `json:"parent,omitempty"`
	Members []string `json:"members,omitempty"`
	// ProvinceMembers are an agglomeration's provinces (for province data).
	ProvinceMembers []string `json:"province_members,omitempty"`
	Observations    int      `json:"observations"`
}

func newDataListCmd(g *globals) *cobra.Command {
	var o dataListOptions
	cmd := &cobra.Command{
		Use:   "list",
		Short: "列出地区 / list regions",
		Long: `列出数据中的地区；--level 列出区划库中该层级的全部地区。--level agglomeration 列出全部城市群
（国家规划的19个及 --agglomerations 定义的），含规划、层级、成员（部分、核心）、来源与来源可靠程度。
List the regions in the data; --level lists every registry region of that level. --level agglomeration lists
every agglomeration (the 19 of the national plans and those of --agglomerations) with plan, tier, members
(partial, core), source and how well the member list is sourced.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return runDataList(cmd, g, o) },
	}
	cmd.Flags().StringVar(&o.level, "level", "", "agglomeration|province|city|county|unit")
	return cmd
}

func runDataList(cmd *cobra.Command, g *globals, o dataListOptions) error {
	var level dataset.Level
	if o.level != "" {
		l, ok := dataset.ParseLevel(o.level)
		if !ok {
			return usagef("--level 取值无效“%s”（可选 agglomeration、province、city、county、unit）", "invalid --level %q (use agglomeration, province, city, county or unit)", o.level)
		}
		level = l
	}
	ds, err := g.loadData(cmd)
	if err != nil {
		return err
	}
	counts := map[string]int{}
	for i, n := range ds.RegionObservationCounts() {
		counts[ds.Regions[i].Code] = n
	}
	if level == dataset.LevelAgglomeration && ds.Registry != nil {
		return listAgglomerations(g, ds, counts)
	}
	var regions []*dataset.Region
	switch {
	case level == "":
		for i := range ds.Regions {
			regions = append(regions, &ds.Regions[i])
		}
	case level == dataset.LevelUnit:
		for i := range ds.Regions {
			if ds.Regions[i].Level == dataset.LevelUnit {
				regions = append(regions, &ds.Regions[i])
			}
		}
	default:
		regions = ds.Registry.Level(level)
	}
	items := make([]regionItem, 0, len(regions))
	t := &table{header: []string{g.t("代码", "code"), g.t("名称", "name"), g.t("层级", "level"), g.t("成员", "members"), g.t("观测数", "observations")}}
	for _, r := range regions {
		it := regionItem{Code: r.Code, NameZH: r.NameZH, NameEN: r.NameEN, Level: string(r.Level), Parent: r.Parent,
			Members: r.MemberCodes(dataset.LevelCity), ProvinceMembers: r.MemberCodes(dataset.LevelProvince), Observations: counts[r.Code]}
		if it.Members == nil {
			it.Members = []string{}
		}
		items = append(items, it)
		members := ""
		if len(r.Members) > 0 {
			members = fmt.Sprintf("%d", len(r.Members))
		}
		t.add(r.Code, r.Name(g.lang), levelName(g, r.Level), members, strconv.Itoa(counts[r.Code]))
	}
	return g.emit(items, t)
}

// agglomerationItem is one agglomeration of agglo data list --level
// agglomeration.
type agglomerationItem struct {
	Code            string           `json:"code"`
	NameZH          string           `json:"name_zh"`
	NameEN          string           `json:"name_en"`
	Plan            string           `json:"plan"`
	PlanYear        int              `json:"plan_year,omitempty"`
	Tier            string           `json:"tier,omitempty"`
	Members         []memberItem     `json:"members"`
	ProvinceMembers []memberItem     `json:"province_members"`
	Source          string           `json:"source,omitempty"`
	Sourcing        dataset.Sourcing `json:"sourcing"`
	UserDefined     bool             `json:"user_defined,omitempty"`
	File            string           `json:"file,omitempty"`
	// Default is true for the agglomerations analyses cover when none is
	// named (the paper's five, or --agglomeration).
	Default      bool `json:"default"`
	Observations int  `json:"observations"`
}

// memberItem is a member of an agglomeration.
type memberItem struct {
	Code    string `json:"code"`
	NameZH  string `json:"name_zh"`
	NameEN  string `json:"name_en"`
	Partial bool   `json:"partial"`
	Core    bool   `json:"core"`
	Note    string `json:"note,omitempty"`
}

func memberItems(reg *dataset.Registry, ms []dataset.Member) []memberItem {
	out := make([]memberItem, 0, len(ms))
	for _, m := range ms {
		it := memberItem{Code: m.Code, Partial: m.Partial, Core: m.Core, Note: m.Note}
		if r, ok := reg.Lookup(m.Code); ok {
			it.NameZH, it.NameEN = r.NameZH, r.NameEN
		}
		out = append(out, it)
	}
	return out
}

// listAgglomerations lists every agglomeration of the registry.
func listAgglomerations(g *globals, ds *dataset.Dataset, counts map[string]int) error {
	reg := ds.Registry
	defaults := map[string]bool{}
	for _, a := range reg.Agglomerations() {
		defaults[a.Code] = true
	}
	var items []agglomerationItem
	t := &table{header: []string{g.t("代码", "code"), g.t("名称", "name"), g.t("层级", "tier"), g.t("成员", "members"), g.t("核心城市", "cores"),
		g.t("来源", "sourcing"), g.t("观测数", "observations")}}
	for _, a := range reg.AllAgglomerations() {
		it := agglomerationItem{Code: a.Code, NameZH: a.NameZH, NameEN: a.NameEN, Members: memberItems(reg, a.Members),
			ProvinceMembers: memberItems(reg, a.ProvinceMembers), Default: defaults[a.Code], Observations: counts[a.Code]}
		if info := a.Agglomeration; info != nil {
			it.Plan, it.PlanYear, it.Tier, it.Source, it.Sourcing, it.UserDefined, it.File = info.Plan, info.PlanYear, info.Tier, info.Source, info.Sourcing, info.UserDefined, info.File
		}
		items = append(items, it)
		var cores []string
		for _, c := range a.Cores() {
			if r, ok := reg.Lookup(c); ok {
				cores = append(cores, r.Name(g.lang))
			}
		}
		grade := dataset.GradeName(it.Sourcing.Grade).In(g.lang)
		t.add(a.Code, a.Name(g.lang), dataset.TierName(it.Tier).In(g.lang), strconv.Itoa(len(a.Members)), strings.Join(cores, g.t("、", ", ")), grade, strconv.Itoa(counts[a.Code]))
	}
	return g.emit(items, t)
}

// ---- data sources ----

func newDataSourcesCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "sources",
		Short: "列出内置数据集（名称、说明、年份、单元、许可、来源）/ list the built-in data sets (name, description, years, units, licence, source)",
		Long: `列出随 agglo 发布的数据集，可用 --dataset ID 选用（默认：论文数据；diagnose、strategy、report 另加人口普查、
城市专利与城际联系、城市地区生产总值）。
List the data sets that ship with agglo, selected with --dataset ID (default: the paper's data; diagnose,
strategy and report add the census, city patents and intercity connectivity, and city GDP).

  agglo data sources
  agglo measure theil --dataset province-st --indicator rd_expenditure --group agglomeration --panel`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			srcs := dataset.BuiltinSources()
			t := &table{header: []string{g.t("代码", "ID"), g.t("名称", "name"), g.t("年份", "years"), g.t("单元", "units"), g.t("许可", "licence"), g.t("来源", "source")}}
			type item struct {
				dataset.BuiltinSource
				Default []string `json:"default_for"`
			}
			var items []item
			for _, s := range srcs {
				var uses []string
				for _, c := range []string{"data", "measure", "index", "replicate", "diagnose", "strategy", "report"} {
					if ids, ok := defaultDatasets[c]; ok && slices.Contains(ids, s.ID) || !ok && s.ID == dataset.BuiltinPaper {
						uses = append(uses, c)
					}
				}
				items = append(items, item{s, uses})
				t.add(s.ID, s.Name.In(g.lang)+g.t("：", ": ")+s.Description.In(g.lang), s.Years, s.Units.In(g.lang), s.Licence.In(g.lang), s.Source.In(g.lang))
			}
			return g.emit(items, t)
		},
	}
}

func levelName(g *globals, l dataset.Level) string { return l.Text().In(g.lang) }

// ---- data show ----

type showObservation struct {
	Indicator  string             `json:"indicator"`
	NameZH     string             `json:"name_zh"`
	NameEN     string             `json:"name_en"`
	Year       int                `json:"year,omitempty"`
	Value      float64            `json:"value"`
	Unit       string             `json:"unit"`
	Provenance dataset.Provenance `json:"provenance"`
}

type showResult struct {
	Region       dataset.Region    `json:"region"`
	Observations []showObservation `json:"observations"`
	Checks       []dataset.Check   `json:"checks,omitempty"`
	Notes        []dataset.Issue   `json:"notes,omitempty"`
	// Attributes are the region's text attributes (a wide file's text
	// columns) by column name.
	Attributes map[string]string `json:"attributes,omitempty"`
}

func newDataShowCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "show CODE",
		Short: "显示地区及其数据和来源 / show a region with its observations and provenance",
		Args:  cobra.ExactArgs(1),
		RunE:  func(cmd *cobra.Command, args []string) error { return runDataShow(cmd, g, args[0]) },
	}
}

func runDataShow(cmd *cobra.Command, g *globals, code string) error {
	ds, err := g.loadData(cmd)
	if err != nil {
		return err
	}
	r, ok := ds.Region(code)
	if !ok {
		if m := ds.Registry.ByName(code); len(m) == 1 {
			r = m[0]
		} else {
			return usagef("未知地区“%s”（用 agglo data list 查看可用代码）", "unknown region %q (see agglo data list)", code)
		}
	}
	res := showResult{Region: *r}
	for _, a := range ds.Attributes {
		if v, ok := a.Values[r.Code]; ok {
			if res.Attributes == nil {
				res.Attributes = map[string]string{}
			}
			res.Attributes[a.Name] = v
		}
	}
	t := &table{header: []string{g.t("指标", "indicator"), g.t("年份", "year"), g.t("数值", "value"), g.t("单位", "unit"), g.t("来源", "provenance")}}
	for _, o := range ds.ObservationsOf(r.Code) {
		ind := ds.Indicators[o.Indicator]
		p := ds.Provenance(o)
		res.Observations = append(res.Observations, showObservation{Indicator: ind.Code, NameZH: ind.NameZH, NameEN: ind.NameEN, Year: int(o.Year), Value: o.Value, Unit: ind.Unit, Provenance: p})
		t.add(ind.Name(g.lang), yearText(int(o.Year)), num(o.Value), format.Unit(ind.Unit).In(g.lang), provenanceText(g, p))
	}
	for _, c := range ds.Checks {
		if c.Region == r.Code {
			res.Checks = append(res.Checks, c)
		}
	}
	if r.Level == dataset.LevelAgglomeration || r.Level == dataset.LevelGroup {
		res.Notes = ds.Notes
	}
	if g.format != "table" {
		return g.emit(res, t)
	}
	w := g.stdout
	fmt.Fprintf(w, "%s  %s / %s  [%s]\n", r.Code, r.NameZH, r.NameEN, levelName(g, r.Level))
	if len(r.Members) > 0 {
		fmt.Fprintf(w, "%s: %s\n", g.t("成员城市", "member cities"), memberText(ds, r.Members, g.lang))
		fmt.Fprintf(w, "%s: %s\n", g.t("所含省份", "provinces"), memberText(ds, r.ProvinceMembers, g.lang))
	}
	if info := r.Agglomeration; info != nil {
		fmt.Fprintf(w, "%s: %s %s", g.t("规划", "plan"), info.Plan, yearText(info.PlanYear))
		if t := dataset.TierName(info.Tier).In(g.lang); t != "" {
			fmt.Fprintf(w, "; %s", t)
		}
		fmt.Fprintf(w, "\n%s: %s\n", dataset.GradeName(info.Sourcing.Grade).In(g.lang), info.Sourcing.Note.In(g.lang))
	}
	for _, a := range ds.Attributes {
		if v, ok := a.Values[r.Code]; ok {
			fmt.Fprintf(w, "%s: %s\n", a.Name, v)
		}
	}
	fmt.Fprintln(w)
	if err := t.writeText(w); err != nil {
		return err
	}
	for _, c := range res.Checks {
		fmt.Fprintf(w, "\n%s %s: %s %s, %s %s, %s %s\n  %s\n", g.t("核对", "check"), c.ID, g.t("发表值", "published"), num(c.Published),
			g.t("推算值", "derived"), num(c.Derived), g.t("残差", "residual"), num(c.Residual), c.Formula)
	}
	for _, n := range res.Notes {
		fmt.Fprintf(w, "\n%s: %s\n", g.t("说明", "note"), n.Localized(g.lang))
	}
	derived := false
	for _, o := range res.Observations {
		if o.Provenance.Kind == dataset.Derived {
			if !derived {
				derived = true
				fmt.Fprintf(w, "\n%s: %s\n", g.t("推算公式", "derivation"), o.Provenance.Formula)
			}
		}
	}
	return nil
}

func yearText(y int) string {
	if y == 0 {
		return "—"
	}
	return strconv.Itoa(y)
}

func memberText(ds *dataset.Dataset, ms []dataset.Member, lang string) string {
	parts := make([]string, len(ms))
	for i, m := range ms {
		name := m.Code
		if r, ok := ds.Registry.Lookup(m.Code); ok {
			name = r.Name(lang)
		}
		if m.Partial {
			if lang == i18n.EN {
				name += " (partial)"
			} else {
				name += "（部分）"
			}
		}
		parts[i] = name
	}
	return strings.Join(parts, ", ")
}

func provenanceText(g *globals, p dataset.Provenance) string {
	switch p.Kind {
	case dataset.Derived:
		if p.Rollup != nil {
			return g.t("推算：", "derived: ") + p.Rollup.Text().In(g.lang)
		}
		return g.t("推算", "derived")
	case dataset.Imported:
		s := p.File
		if p.Sheet != "" {
			s += "[" + p.Sheet + "]"
		}
		return fmt.Sprintf("%s R%dC%d", s, p.Row, p.Col)
	default:
		return paperSource(p.Ref).In(g.lang)
	}
}

// ---- data validate ----

type validateResult struct {
	File         string          `json:"file"`
	Valid        bool            `json:"valid"`
	Regions      int             `json:"regions"`
	FreeUnits    bool            `json:"free_units"`
	Indicators   int             `json:"indicators"`
	Observations int             `json:"observations"`
	Years        []int           `json:"years"`
	Issues       []dataset.Issue `json:"issues,omitempty"`
	Notes        []dataset.Issue `json:"notes,omitempty"`
}

type dataValidateOptions struct {
	sheet     string
	coinrMeta string // COINr iMeta file: FILE is then a COINr iData table
}

func newDataValidateCmd(g *globals) *cobra.Command {
	var o dataValidateOptions
	cmd := &cobra.Command{
		Use:   "validate FILE",
		Short: "校验数据文件（有效时退出码 0）/ validate a data file (exit 0 when valid)",
		Long: `校验一个 CSV/XLSX 数据文件；加 --coinr-meta iMeta.csv 时 FILE 是 COINr 的 iData 表。有效时退出码 0，无效时 3 并列出每个问题的位置。
Validate a CSV/XLSX data file; with --coinr-meta iMeta.csv, FILE is a COINr iData table. Exit 0 when valid, 3 with every problem located when not.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runDataValidate(cmd, g, args[0], o)
		},
	}
	cmd.Flags().StringVar(&o.sheet, "sheet", "", "XLSX 工作表 / XLSX sheet")
	cmd.Flags().StringVar(&o.coinrMeta, "coinr-meta", "", "COINr iMeta 文件（FILE 为 iData）/ COINr iMeta file (FILE is then iData)")
	return cmd
}

func runDataValidate(cmd *cobra.Command, g *globals, path string, o dataValidateOptions) error {
	reg, err := dataset.LoadRegistry()
	if err != nil {
		return err
	}
	cat, err := dataset.LoadCatalogue()
	if err != nil {
		return err
	}
	opts := g.readOptions(dataset.ReadOptions{Registry: reg, Catalogue: cat, Sheet: o.sheet})
	var ds *dataset.Dataset
	if o.coinrMeta != "" {
		if o.sheet != "" {
			return usagef("--sheet 不能与 --coinr-meta 同用（COINr 表是 CSV）", "--sheet cannot be used with --coinr-meta (COINr tables are CSV)")
		}
		ds, err = coinr.ReadDataset(path, o.coinrMeta, opts)
	} else {
		ds, err = dataset.ReadFileContext(cmd.Context(), path, opts)
	}
	res := validateResult{File: path, Valid: err == nil}
	if err != nil {
		ie, ok := err.(*dataset.ImportError)
		if !ok {
			return err
		}
		res.Issues = ie.Issues
		if g.format == "json" {
			if err := g.emit(res, nil); err != nil {
				return err
			}
			return exitStatus(exitInvalid)
		}
		return err
	}
	res.Regions, res.FreeUnits, res.Indicators, res.Observations, res.Years, res.Notes = len(ds.Regions), ds.FreeUnits, len(ds.Indicators), ds.Len(), ds.Years(), ds.Notes
	t := &table{header: []string{g.t("项目", "item"), g.t("结果", "result")}}
	t.add(g.t("文件", "file"), path)
	t.add(g.t("状态", "status"), g.t("有效", "valid"))
	kind := g.t("区划库地区", "registry regions")
	if ds.FreeUnits {
		kind = g.t("自由单元（未匹配区划库）", "free units (not in the region registry)")
	}
	t.add(g.t("地区", "regions"), fmt.Sprintf("%d %s", len(ds.Regions), kind))
	t.add(g.t("指标", "indicators"), strconv.Itoa(len(ds.Indicators)))
	t.add(g.t("观测值", "observations"), strconv.Itoa(ds.Len()))
	years := make([]string, len(res.Years))
	for i, y := range res.Years {
		years[i] = yearText(y)
	}
	t.add(g.t("年份", "years"), strings.Join(years, ", "))
	for _, n := range ds.Notes {
		t.add(g.t("提示", "note"), n.Localized(g.lang))
	}
	return g.emit(res, t)
}

// ---- data export ----

type dataExportOptions struct {
	format string
	out    string
	force  bool
}

func newDataExportCmd(g *globals) *cobra.Command {
	var o dataExportOptions
	cmd := &cobra.Command{
		Use:   "export -o FILE",
		Short: "导出数据为 CSV、XLSX 或 JSON / export data as CSV, XLSX or JSON",
		Args:  cobra.NoArgs,
		RunE:  func(cmd *cobra.Command, args []string) error { return runDataExport(cmd, g, o) },
	}
	cmd.Flags().StringVar(&o.format, "format", "", "csv|xlsx|json（默认按文件扩展名 / default: from the file extension）")
	cmd.Flags().StringVarP(&o.out, "output", "o", "", "输出文件（- 表示标准输出）/ output file (- for stdout)")
	cmd.Flags().BoolVar(&o.force, "force", false, forceFlagUsage)
	return cmd
}

func runDataExport(cmd *cobra.Command, g *globals, o dataExportOptions) error {
	if o.out == "" {
		return usagef("请用 -o 指定输出文件", "give the output file with -o")
	}
	format := dataset.Format(strings.ToLower(o.format))
	if format == "" {
		f, ok := dataset.FormatOf(o.out)
		if !ok {
			return usagef("无法从“%s”判断格式，请加 --format csv|xlsx|json", "cannot tell the format from %q: add --format csv|xlsx|json", o.out)
		}
		format = f
	}
	if format != dataset.CSV && format != dataset.XLSX && format != dataset.JSON {
		return usagef("--format 只能是 csv、xlsx 或 json（收到“%s”）", "--format must be csv, xlsx or json (got %q)", o.format)
	}
	ds, err := g.loadData(cmd)
	if err != nil {
		return err
	}
	write := func(w io.Writer) error {
		switch format {
		case dataset.XLSX:
			return ds.WriteXLSX(w)
		case dataset.JSON:
			return ds.WriteJSON(w)
		default:
			return ds.WriteCSV(w)
		}
	}
	if o.out == "-" {
		return write(g.stdout)
	}
	if err := writeFileAtomic(o.out, o.force, write); err != nil {
		return err
	}
	fmt.Fprintf(g.stderr, "%s %s (%d %s)\n", g.t("已写入", "wrote"), o.out, ds.Len(), g.t("个观测值", "observations"))
	return nil
}
