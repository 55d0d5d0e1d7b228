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
	return analysis.Diagnose(ds, req)
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

func pct(v float64) string { return fmt.Sprintf("%.0f%%", 100*v) }

// diagnoseTable lays the diagnosis out for a terminal: one block per
// agglomeration, one line per label (computed value with its stability,
// the paper's label and whether they agree), so that it reads in 100
// columns in either language. CSV keeps one row per agglomeration.
func diagnoseTable(g *globals, res *analysis.DiagnosisResult) *table {
	label := func(code string) string {
		if t, ok := res.Labels[code]; ok {
			return t.In(g.lang)
		}
		return diagnose.Label(code).In(g.lang)
	}
	if g.format == "csv" {
		t := &table{header: []string{g.t("代码", "code"), g.t("城市群", "agglomeration"), g.t("数据", "data"), g.t("空间模式", "spatial mode"), g.t("水平", "level"),
			g.t("开放模式", "openness mode"), g.t("发展阶段", "stage"), g.t("问题", "problems")}}
		for _, a := range res.Agglomerations {
			var probs []string
			for _, p := range a.Problems {
				probs = append(probs, label(p.ID))
			}
			t.add(a.Code, g.t(a.NameZH, a.NameEN), diagnose.ResolutionName(a.DataResolution).In(g.lang), label(a.SpatialMode), label(a.Level),
				label(a.OpennessMode), label(a.Stage), strings.Join(probs, g.t("；", "; ")))
		}
		return t
	}
	t := &table{header: []string{g.t("方面", "axis"), g.t("诊断（稳定度）", "diagnosis (stability)"), g.t("论文的判断", "the paper")}}
	for i, a := range res.Agglomerations {
		if i > 0 {
			t.addTitle("")
		}
		t.addTitle(g.t(a.NameZH, a.NameEN) + g.t("（", " (") + diagnose.ResolutionName(a.DataResolution).In(g.lang) + g.t("）", ")"))
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
		t.add("  "+g.t("空间模式", "spatial mode"), fmt.Sprintf("%s (%s)", label(a.SpatialMode), pct(a.Confidence.SpatialMode)), paper(pub.SpatialMode, a.Agreement.SpatialMode))
		t.add("  "+g.t("水平", "level"), fmt.Sprintf("%s (%s)", label(a.Level), pct(a.Confidence.Level)), paper(pub.Level, a.Agreement.Level))
		t.add("  "+g.t("开放模式", "openness mode"), fmt.Sprintf("%s (%s)", label(a.OpennessMode), pct(a.Confidence.OpennessMode)), paper(pub.OpennessMode, a.Agreement.OpennessMode))
		t.add("  "+g.t("发展阶段", "stage"), fmt.Sprintf("%s (%s)", label(a.Stage), pct(a.Confidence.Stage)), "")
		if len(a.Problems) == 0 {
			t.add("  "+g.t("问题", "problems"), g.t("无", "none"), "")
		}
		for j, p := range a.Problems {
			head := ""
			if j == 0 {
				head = "  " + g.t("问题", "problems")
			}
			t.add(head, label(p.ID), "")
		}
	}
	return t
}
