package cli

import (
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"agglo/internal/analysis"
	"agglo/internal/dataset"
	"agglo/internal/diagnose"
)

// diagnoseOptions are the flags of agglo diagnose (shared by agglo
// strategy).
type diagnoseOptions struct {
	thresholds string
	stages     string
}

func (o *diagnoseOptions) addFlags(cmd *cobra.Command) {
	cmd.Flags().StringVar(&o.thresholds, "thresholds", "", "阈值与发展阶段规则 YAML 文件（默认：内置）/ thresholds and stage rules YAML (default: embedded)")
	cmd.Flags().StringVar(&o.stages, "stage", "", "指定发展阶段，如 BTH=mature,CC=rapid / set stages, e.g. BTH=mature,CC=rapid")
}

// config loads the thresholds and the stage overrides.
func (o *diagnoseOptions) config() (diagnose.Config, error) {
	var cfg diagnose.Config
	var err error
	if o.thresholds == "" {
		cfg, err = diagnose.DefaultConfig()
		if err != nil {
			return cfg, err
		}
	} else {
		b, rerr := os.ReadFile(o.thresholds)
		if rerr != nil {
			return cfg, usagef("无法读取 --thresholds 文件：%v", "cannot read the --thresholds file: %v", rerr)
		}
		cfg, err = diagnose.ParseConfig(b, o.thresholds)
		if err != nil {
			return cfg, usageError{err}
		}
	}
	if o.stages != "" {
		cfg.StageOverride = map[string]string{}
		for _, part := range strings.Split(o.stages, ",") {
			code, st, ok := strings.Cut(strings.TrimSpace(part), "=")
			stage, valid := diagnose.ParseStage(strings.TrimSpace(st))
			code = strings.ToUpper(strings.TrimSpace(code))
			if codes := builtinAgglomerationCodes(); !ok || !valid || !slices.Contains(codes, code) {
				return cfg, usagef("--stage 的“%s”无效：写作 城市群=阶段，城市群为 %s，阶段为 %s",
					"invalid --stage %q: write AGGLOMERATION=STAGE with one of %s and one of %s", part, strings.Join(codes, ", "), strings.Join(diagnose.Stages(), ", "))
			}
			cfg.StageOverride[code] = stage
		}
	}
	return cfg, nil
}

// diagnosisRequest loads the data and builds the request of agglo
// diagnose.
func (o *diagnoseOptions) request(cmd *cobra.Command, g *globals) (analysis.DiagnosisRequest, *dataset.Dataset, error) {
	cfg, err := o.config()
	if err != nil {
		return analysis.DiagnosisRequest{}, nil, err
	}
	ds, err := g.loadData(cmd)
	if err != nil {
		return analysis.DiagnosisRequest{}, nil, err
	}
	return analysis.DiagnosisRequest{Config: &cfg}, ds, nil
}

// runDiagnosis loads the data and diagnoses it.
func runDiagnosis(cmd *cobra.Command, g *globals, o diagnoseOptions) (*analysis.DiagnosisResult, error) {
	req, ds, err := o.request(cmd, g)
	if err != nil {
		return nil, err
	}
	res, err := analysis.Diagnose(ds, req)
	return res, g.noUnits(err)
}

func newDiagnoseCmd(g *globals) *cobra.Command {
	var o diagnoseOptions
	cmd := &cobra.Command{
		Use:   "diagnose",
		Short: "诊断城市群的创新模式、问题与发展阶段 / diagnose innovation modes, problems and stage",
		Long: `按成员（省或城市）的创新能力诊断每个城市群的空间模式（核心引领/多点并行）与水平、开放模式（外部合作/内部创造/均衡）、
突出问题（附触发的指标、数值与阈值）、发展阶段与各标签的稳健度，并与论文的判断对照。阈值见 --thresholds（默认内置，附出处）。

Diagnose each agglomeration from its members' (provinces' or cities') capacity: spatial mode (core-led or multi-point)
and level, openness mode (external cooperation, internal creation or balanced), problems with the metrics, values and
thresholds that triggered them, development stage, and the stability of each label; set beside the paper's own
assessment. Thresholds: --thresholds (default embedded, each with its source).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			res, err := runDiagnosis(cmd, g, o)
			if err != nil {
				return err
			}
			return g.emit(res, diagnoseTable(g, res))
		},
	}
	o.addFlags(cmd)
	return cmd
}

// tableCols is the width the terminal tables are laid out for;
// diagnosisCol and paperCol the widths of the diagnosis and the paper's
// columns of agglo diagnose.
const (
	tableCols    = 100
	diagnosisCol = 40
	paperCol     = 34
)

// diagnoseTable lays the diagnosis out for a terminal: one block per
// agglomeration, one line per label (the label with its confidence,
// "不确定：低水平 7 / 高水平 8" below the documented level, or 无法评估;
// the paper's label and whether they agree), then why the uncertain and
// unassessable labels are so and what data would settle them, so that it
// reads in 100 columns in either language. CSV keeps one row per
// agglomeration.
func diagnoseTable(g *globals, res *analysis.DiagnosisResult) *table {
	label := func(code string) string {
		if t, ok := res.Labels[code]; ok {
			return t.In(g.lang)
		}
		return diagnose.Label(code).In(g.lang)
	}
	brief := func(a *diagnose.Agglomeration, axis string) string {
		if axis == diagnose.AxisStage && a.StageSource == "override" {
			return label(a.Stage) + g.t("（用户指定）", " (set by the user)")
		}
		if f, ok := a.Finding(axis); ok {
			return f.Brief.In(g.lang)
		}
		return diagnose.StatusName(diagnose.StatusNotAssessable).In(g.lang)
	}
	problem := func(a *diagnose.Agglomeration, p diagnose.Problem) string {
		f, ok := a.Finding(diagnose.ProblemAxis(p.ID))
		switch {
		case !ok:
			return label(p.ID)
		case f.Status == diagnose.StatusUncertain:
			return label(p.ID) + g.t("（", " (") + f.Brief.In(g.lang) + g.t("）", ")")
		}
		return label(p.ID) + g.t(fmt.Sprintf("（置信度 %s）", pct(f.Confidence)), fmt.Sprintf(" (confidence %s)", pct(f.Confidence)))
	}
	axes := []struct{ axis, zh, en string }{
		{diagnose.AxisSpatial, "空间模式", "spatial mode"}, {diagnose.AxisFlow, "虹吸与扩散", "siphon or spread"},
		{diagnose.AxisLevel, "发展水平", "level"}, {diagnose.AxisOpenness, "开放模式", "openness mode"}, {diagnose.AxisStage, "发展阶段", "stage"}}
	if g.format == "csv" {
		t := &table{header: []string{g.t("代码", "code"), g.t("城市群", "agglomeration"), g.t("数据", "data")}}
		for _, x := range axes {
			t.header = append(t.header, g.t(x.zh, x.en))
		}
		t.header = append(t.header, g.t("问题", "problems"))
		for i := range res.Agglomerations {
			a := &res.Agglomerations[i]
			row := []string{a.Code, g.t(a.NameZH, a.NameEN), a.DataText.In(g.lang)}
			for _, x := range axes {
				row = append(row, brief(a, x.axis))
			}
			var probs []string
			for _, p := range a.Problems {
				probs = append(probs, problem(a, p))
			}
			t.add(append(row, strings.Join(probs, g.t("；", "; ")))...)
		}
		return t
	}
	t := &table{header: []string{g.t("方面", "axis"), g.t("诊断（置信度）", "diagnosis (confidence)"), g.t("论文的判断", "the paper")}}
	for i := range res.Agglomerations {
		a := &res.Agglomerations[i]
		if i > 0 {
			t.addTitle("")
		}
		t.addTitle(g.t(a.NameZH, a.NameEN))
		// Which data each axis was read from (city or province data, the
		// indicators and their years).
		if a.DataText.ZH != "" {
			t.addWrapped("      ", "    "+g.t("数据：", "data: "), a.DataText.In(g.lang), tableCols)
		}
		paper := func(code string, c diagnose.Comparison) string {
			if a.Published == nil {
				return ""
			}
			s := g.t("未给出", "not stated")
			if code != "" {
				s = label(code)
			}
			switch c.Status {
			case diagnose.Agree:
				s += g.t("（一致）", " (agrees)")
			case diagnose.Disagree:
				s += g.t("（不一致）", " (differs)")
			case diagnose.NotAssessable:
				s += g.t("（数据无法判断）", " (data cannot tell)")
			}
			return s
		}
		var pub diagnose.Published
		if a.Published != nil {
			pub = *a.Published
		}
		papers := map[string]string{diagnose.AxisSpatial: paper(pub.SpatialMode, a.Agreement.SpatialMode), diagnose.AxisLevel: paper(pub.Level, a.Agreement.Level),
			diagnose.AxisOpenness: paper(pub.OpennessMode, a.Agreement.OpennessMode)}
		// The diagnosis column wraps so that the table keeps to 100
		// columns.
		add := func(head, text, paper string) {
			d, p := wrapCell(text, diagnosisCol), wrapCell(paper, paperCol)
			for k := 0; k < max(len(d), len(p)); k++ {
				cell := func(ls []string) string {
					if k < len(ls) {
						return ls[k]
					}
					return ""
				}
				if k > 0 {
					head = ""
				}
				t.add(head, cell(d), cell(p))
			}
		}
		for _, x := range axes {
			add("  "+g.t(x.zh, x.en), brief(a, x.axis), papers[x.axis])
		}
		if len(a.Problems) == 0 {
			add("  "+g.t("问题", "problems"), g.t("无", "none"), "")
		}
		for j, p := range a.Problems {
			head := ""
			if j == 0 {
				head = "  " + g.t("问题", "problems")
			}
			add(head, problem(a, p), "")
		}
		// Why a label is uncertain or cannot be assessed, and what would
		// settle it.
		for _, x := range axes {
			f, ok := a.Finding(x.axis)
			if !ok || x.axis == diagnose.AxisStage && a.StageSource == "override" {
				continue
			}
			name := g.t(x.zh, x.en)
			switch f.Status {
			case diagnose.StatusUncertain:
				t.addWrapped("      ", "    "+name+g.t("不确定：", " uncertain: "), f.Reason.In(g.lang), tableCols)
			case diagnose.StatusNotAssessable:
				text := f.Reason.In(g.lang)
				if f.Needs.ZH != "" {
					text += g.t("；所需数据：", "; data needed: ") + f.Needs.In(g.lang)
				}
				t.addWrapped("      ", "    "+name+g.t("无法评估：", " not assessable: "), text, tableCols)
			}
		}
		if len(a.SpatialReadings) > 1 {
			var rs []string
			for _, r := range a.SpatialReadings {
				rs = append(rs, r.Text.In(g.lang))
			}
			t.addWrapped("      ", "    "+g.t("空间模式各读数：", "spatial mode by reading: "), strings.Join(rs, g.t("；", "; ")), tableCols)
		}
		if a.Flow != nil {
			t.addWrapped("      ", "    "+g.t("核心城市份额：", "cores' share: "), a.Flow.Text.In(g.lang), tableCols)
		}
		if len(a.Unassessed) > 0 {
			var ns []string
			for _, u := range a.Unassessed {
				ns = append(ns, label(u.ID))
			}
			t.addWrapped("      ", "    "+g.t("无法评估的问题：", "problems not assessable: "),
				strings.Join(ns, g.t("、", ", "))+g.t("（原因与所需数据见 --format json）", " (reasons and the data needed: --format json)"), tableCols)
		}
		if s := a.Sourcing; s != nil && (s.Grade == dataset.SourcingFair || s.Grade == dataset.SourcingWeak) {
			t.addWrapped("      ", "    "+g.t("成员名单", "member list ")+dataset.GradeName(s.Grade).In(g.lang)+g.t("：", ": "), s.Note.In(g.lang), tableCols)
		}
	}
	return t
}

func pct(v float64) string { return fmt.Sprintf("%.0f%%", 100*v) }
