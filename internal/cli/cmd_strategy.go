package cli

import (
	"os"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"agglo/internal/analysis"
	"agglo/internal/diagnose"
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
	res, err := analysis.Strategy(ds, analysis.StrategyRequest{Diagnosis: dr, Scenario: sc, Rulebook: rb})
	return res, g.noUnits(err)
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

// strategyTable lays the strategies out for a terminal: per
// agglomeration its stage and recommended modes, then the engine's
// resolved recommendations in order (priority, title, source), each
// measure with the indicators to monitor and their direction, and the
// recommendations set aside because they pushed the other way, with the
// reason. CSV keeps one row per recommendation or alternative.
func strategyTable(g *globals, res *analysis.StrategyResult) *table {
	label := func(code string) string {
		if t, ok := res.Labels[code]; ok {
			return t.In(g.lang)
		}
		return code
	}
	mode := func(code string) string {
		if code == diagnose.Undetermined || code == "" {
			return g.t("无明确方向", "no direction")
		}
		return label(code)
	}
	stage := func(a strategy.Agglomeration) string {
		if a.Stage == diagnose.Undetermined || a.Stage == "" {
			return g.t("无法评估", "not assessable")
		}
		return label(a.Stage)
	}
	title := func(r strategy.Recommendation) string { return g.t(r.TitleZH, r.TitleEN) }
	measure := func(m strategy.MeasureOut) string {
		text := m.Text.In(g.lang)
		if len(m.Monitor) == 0 {
			return text
		}
		var ms []string
		for _, mo := range m.Monitor {
			ms = append(ms, mo.Text().In(g.lang))
		}
		return text + g.t("（监测：", " (monitor: ") + strings.Join(ms, g.t("、", "; ")) + g.t("）", ")")
	}
	if g.format == "csv" {
		t := &table{header: []string{g.t("代码", "code"), g.t("城市群", "agglomeration"), g.t("发展阶段", "stage"), g.t("建议空间模式", "spatial mode"), g.t("建议开放模式", "openness mode"),
			g.t("状态", "status"), g.t("优先级", "priority"), g.t("建议", "recommendation"), g.t("出处", "source"), g.t("措施与监测指标", "measures and indicators to monitor"), g.t("依据", "because")}}
		for _, a := range res.Agglomerations {
			for k, list := range [][]strategy.Recommendation{a.Recommendations, a.Alternatives} {
				st := g.t("推荐", "recommended")
				if k == 1 {
					st = g.t("未采纳（备选）", "set aside")
				}
				for _, r := range list {
					var ms []string
					for _, m := range r.Measures {
						ms = append(ms, measure(m))
					}
					t.add(a.Code, g.t(a.NameZH, a.NameEN), stage(a), mode(a.RecommendedSpatialMode), mode(a.RecommendedOpennessMode),
						st, strconv.Itoa(r.Priority), title(r), strategy.SourceText(r.Source).In(g.lang), strings.Join(ms, " | "), r.Because.In(g.lang))
				}
			}
		}
		return t
	}
	t := &table{header: []string{g.t("优先级", "priority"), g.t("建议", "recommendation"), g.t("出处", "source")}}
	for i, a := range res.Agglomerations {
		if i > 0 {
			t.addTitle("")
		}
		head := g.t(a.NameZH, a.NameEN) + g.t("　发展阶段：", " · stage: ") + stage(a) + g.t("　推荐：空间上", " · recommended: ") + mode(a.RecommendedSpatialMode) +
			g.t("，开放上", " in space, ") + mode(a.RecommendedOpennessMode) + g.t("", " in openness")
		for k, l := range wrapCell(head, tableCols-2) {
			if k > 0 {
				l = "  " + l
			}
			t.addTitle(l)
		}
		if len(a.Recommendations) == 0 {
			t.addTitle("  " + g.t("在此情景下没有规则触发。", "No rule fires under this scenario."))
		}
		for _, r := range a.Recommendations {
			for k, l := range wrapCell(title(r), 60) {
				if k == 0 {
					t.add("  "+strconv.Itoa(r.Priority), l, strategy.SourceText(r.Source).In(g.lang))
				} else {
					t.add("", l, "")
				}
			}
			for _, m := range r.Measures {
				t.addWrapped("          ", "        · ", measure(m), tableCols)
			}
		}
		for _, c := range a.Conflicts {
			t.addWrapped("      ", "    "+g.t("未采纳：", "set aside: "), c.Reason.In(g.lang), tableCols)
		}
	}
	return t
}
