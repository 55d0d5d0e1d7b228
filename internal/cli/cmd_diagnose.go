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
			if !ok || !valid || !slices.Contains(dataset.AgglomerationCodes(), code) {
				return cfg, usagef("--stage 的“%s”无效：写作 城市群=阶段，城市群为 %s，阶段为 %s",
					"invalid --stage %q: write AGGLOMERATION=STAGE with one of %s and one of %s", part, strings.Join(dataset.AgglomerationCodes(), ", "), strings.Join(diagnose.Stages(), ", "))
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

func diagnoseTable(g *globals, res *analysis.DiagnosisResult) *table {
	t := &table{header: []string{
		g.t("城市群", "agglomeration"), g.t("数据", "data"), g.t("空间模式", "spatial mode"), g.t("水平", "level"),
		g.t("开放模式", "openness mode"), g.t("发展阶段", "stage"), g.t("问题", "problems"),
		g.t("论文", "paper"), g.t("一致性", "agreement")}}
	for _, a := range res.Agglomerations {
		var probs []string
		for _, p := range a.Problems {
			probs = append(probs, p.ID)
		}
		paper, agree := "", ""
		if p := a.Published; p != nil {
			paper = strings.Trim(fmt.Sprintf("%s/%s/%s", dash(p.SpatialMode), dash(p.Level), dash(p.OpennessMode)), "/")
			agree = fmt.Sprintf("%s/%s/%s", a.Agreement.SpatialMode.Status, a.Agreement.Level.Status, a.Agreement.OpennessMode.Status)
		}
		label := func(code string) string { return res.Labels[code].In(g.lang) }
		t.add(a.Code+" "+g.t(a.NameZH, a.NameEN), a.DataResolution,
			fmt.Sprintf("%s (%s)", label(a.SpatialMode), pct(a.Confidence.SpatialMode)),
			fmt.Sprintf("%s (%s)", label(a.Level), pct(a.Confidence.Level)),
			fmt.Sprintf("%s (%s)", label(a.OpennessMode), pct(a.Confidence.OpennessMode)),
			fmt.Sprintf("%s (%s)", label(a.Stage), pct(a.Confidence.Stage)),
			strings.Join(probs, ", "), paper, agree)
	}
	return t
}

func dash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}
