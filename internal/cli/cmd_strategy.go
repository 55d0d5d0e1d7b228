package cli

import (
	"os"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"agglo/internal/analysis"
	"agglo/internal/i18n"
	"agglo/internal/strategy"
)

type strategyOptions struct {
	diagnoseOptions
	scenario string
	rules    string
}

func newStrategyCmd(g *globals) *cobra.Command {
	var o strategyOptions
	cmd := &cobra.Command{
		Use:   "strategy",
		Short: "按情景为城市群推荐创新发展战略 / recommend innovation strategies under a scenario",
		Long: `先诊断，再用规则库（默认内置：论文图 5 与第四部分五项战略；--rules 可替换）为每个城市群推荐空间模式、开放模式与具体措施。
情景 --scenario 键=值，逗号分隔：domestic=stable|unstable，international=stable|turbulent，resources=abundant|limited，
stage=auto|embryonic|rapid|maturing|mature（雏形发育期、快速发育期、趋于成熟期、成熟发展期）。基准为论文情景：
domestic=stable,international=turbulent,resources=abundant,stage=auto。

Diagnose, then apply the rulebook (default embedded: the paper's Figure 5 and the five strategies of its section IV;
replace it with --rules) to recommend a spatial mode, an openness mode and concrete measures for each agglomeration.
--scenario takes key=value pairs separated by commas: domestic=stable|unstable, international=stable|turbulent,
resources=abundant|limited, stage=auto|embryonic|rapid|maturing|mature. The baseline is the paper's scenario:
domestic=stable,international=turbulent,resources=abundant,stage=auto.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			res, err := runStrategy(cmd, g, o)
			if err != nil {
				return err
			}
			return g.emit(res, strategyTable(g, res))
		},
	}
	o.addFlags(cmd)
	cmd.Flags().StringVar(&o.scenario, "scenario", analysis.BaselineScenario().String(), "情景 / scenario")
	cmd.Flags().StringVar(&o.rules, "rules", "", "规则库 YAML 文件（默认：内置）/ rulebook YAML (default: embedded)")
	return cmd
}

func runStrategy(cmd *cobra.Command, g *globals, o strategyOptions) (*analysis.StrategyResult, error) {
	sc, err := analysis.ParseScenario(o.scenario)
	if err != nil {
		return nil, flagError("--scenario", err)
	}
	rb, err := loadRulebook(o.rules)
	if err != nil {
		return nil, err
	}
	dr, ds, err := o.request(cmd, g)
	if err != nil {
		return nil, err
	}
	return analysis.Strategy(ds, analysis.StrategyRequest{Diagnosis: dr, Scenario: sc, Rulebook: rb})
}

// loadRulebook reads --rules (nil: the embedded rulebook).
func loadRulebook(path string) (*strategy.Rulebook, error) {
	if path == "" {
		return nil, nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, usagef("无法读取 --rules 文件：%v", "cannot read the --rules file: %v", err)
	}
	rb, err := analysis.ParseRulebook(b, path)
	if err != nil {
		return nil, usageError{err}
	}
	return rb, nil
}

func strategyTable(g *globals, res *analysis.StrategyResult) *table {
	t := &table{header: []string{
		g.t("城市群", "agglomeration"), g.t("阶段", "stage"), g.t("建议空间模式", "spatial mode"), g.t("建议开放模式", "openness mode"),
		g.t("优先级", "priority"), g.t("规则", "rule"), g.t("出处", "source"), g.t("建议", "recommendation"), g.t("措施", "measures")}}
	for _, a := range res.Agglomerations {
		for i, r := range a.Recommendations {
			code, stage, sm, om := "", "", "", ""
			if i == 0 {
				code, stage, sm, om = a.Code, res.Labels[a.Stage].In(g.lang), res.Labels[a.RecommendedSpatialMode].In(g.lang), res.Labels[a.RecommendedOpennessMode].In(g.lang)
			}
			title, measures := r.TitleZH, r.MeasuresZH
			if g.lang == i18n.EN {
				title, measures = r.TitleEN, r.MeasuresEN
			}
			t.add(code, stage, sm, om, strconv.Itoa(r.Priority), r.ID, r.Source, title, strconv.Itoa(len(measures))+": "+strings.Join(measures, " | "))
		}
	}
	return t
}
