package cli

import (
	"fmt"
	"io"
	"os"
	"strconv"

	"github.com/spf13/cobra"

	"agglo/internal/analysis"
	"agglo/internal/strategy"
)

func newRulesCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "rules",
		Short: "检查或导出战略规则库 / check or export the strategy rulebook",
	}
	cmd.AddCommand(newRulesCheckCmd(g), newRulesDefaultCmd(g))
	return cmd
}

// rulesReport is the result of agglo rules check.
type rulesReport struct {
	File   string           `json:"file"`
	Valid  bool             `json:"valid"`
	Rules  int              `json:"rules"`
	Issues []strategy.Issue `json:"issues"`
	// Notes and Contradictions do not make a rulebook invalid: the
	// contradictions its priorities resolve, measures without indicators.
	Notes          []strategy.Issue         `json:"notes"`
	Contradictions []strategy.Contradiction `json:"contradictions"`
}

func newRulesCheckCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "check FILE",
		Short: "检查规则库：未知事实、语法错误、永不触发的规则（附行号）/ check a rulebook: unknown facts, syntax errors, rules that never fire (with line numbers)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			b, err := os.ReadFile(args[0])
			if err != nil {
				return usagef("无法读取规则库：%v", "cannot read the rulebook: %v", err)
			}
			issues, rb := analysis.CheckRulebook(b, args[0])
			rep := rulesReport{File: args[0], Valid: len(issues) == 0, Issues: issues}
			if rep.Issues == nil {
				rep.Issues = []strategy.Issue{}
			}
			if rb != nil {
				rep.Rules = len(rb.Rules)
				rep.Notes, rep.Contradictions = rb.Notes, rb.Contradictions
			}
			t := &table{header: []string{g.t("位置", "location"), g.t("规则", "rule"), g.t("问题", "issue")}}
			for _, is := range issues {
				loc := args[0] + ":" + strconv.Itoa(is.Line)
				if is.Column > 0 {
					loc += ":" + strconv.Itoa(is.Column)
				}
				t.add(loc, is.Rule, is.Message.In(g.lang))
			}
			if rep.Valid && g.format == "table" {
				fmt.Fprintln(g.stdout, g.t(fmt.Sprintf("%s：有效，%d 条规则", args[0], rep.Rules), fmt.Sprintf("%s: valid, %d rules", args[0], rep.Rules)))
				for _, n := range rep.Notes {
					fmt.Fprintf(g.stdout, "%s:%d: %s\n", args[0], n.Line, n.Message.In(g.lang))
				}
				return nil
			}
			if err := g.emit(rep, t); err != nil {
				return err
			}
			if !rep.Valid {
				return exitStatus(exitInvalid)
			}
			return nil
		},
	}
}

func newRulesDefaultCmd(g *globals) *cobra.Command {
	var out string
	var force bool
	cmd := &cobra.Command{
		Use:   "default",
		Short: "打印内置规则库（可另存后修改）/ print the embedded rulebook (save and edit it)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if out == "" || out == "-" {
				_, err := g.stdout.Write(analysis.EmbeddedRulebook())
				return err
			}
			return writeFileAtomic(out, force, func(w io.Writer) error {
				_, err := w.Write(analysis.EmbeddedRulebook())
				return err
			})
		},
	}
	cmd.Flags().StringVarP(&out, "output", "o", "", "输出文件（默认标准输出）/ output file (default stdout)")
	cmd.Flags().BoolVar(&force, "force", false, forceFlagUsage)
	return cmd
}
