package cli

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"agglo/internal/analysis"
	"agglo/internal/replicate"
)

func newReplicateCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "replicate",
		Short: "核对论文中可检验的数字与论断 / check every checkable number and claim of the paper",
		Long: `列出论文中每个可由数据检验的数字与定量论断，以及 agglo 的计算结果与结论（match、mismatch、published-only、not-checkable）。
List every number and quantitative claim of the paper that data can check, with agglo's computation and status
(match, mismatch, published-only, not-checkable).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return runReplicate(cmd, g) },
	}
}

func runReplicate(cmd *cobra.Command, g *globals) error {
	ds, err := g.loadData(cmd)
	if err != nil {
		return err
	}
	res, err := analysis.Replicate(ds)
	if err != nil {
		return err
	}
	claims := res.Claims
	if g.format == "json" {
		return g.emit(claims, nil)
	}
	t := &table{header: []string{"id", g.t("论断", "claim"), g.t("发表值", "published"), g.t("计算值", "computed"), g.t("单位", "unit"), g.t("结论", "status"), g.t("出处", "source")}}
	ptrNum := func(p *float64) string {
		if p == nil {
			return "—"
		}
		return num(*p)
	}
	statusText := map[replicate.Status][2]string{
		replicate.Match: {"一致", "match"}, replicate.Mismatch: {"不一致", "mismatch"},
		replicate.PublishedOnly: {"仅发表值", "published-only"}, replicate.NotCheckable: {"无法核对", "not-checkable"},
	}
	group := ""
	groupTitle := map[string][2]string{
		"overview": {"概况（第二部分第1节）", "Overview (section II.1)"}, "fig1": {"图1（由表1推算）", "Figure 1 (derived from Table 1)"},
		"table1": {"表1", "Table 1"}, "table2": {"表2", "Table 2"}, "table3": {"表3", "Table 3"}, "claims": {"论断", "Statements"},
	}
	if g.format == "csv" {
		for _, c := range claims {
			t.add(c.ID, g.t(c.ClaimZH, c.ClaimEN), ptrNum(c.Published), ptrNum(c.Computed), c.Unit, string(c.Status), c.Source)
		}
		return g.emit(claims, t)
	}
	w := g.stdout
	for _, c := range claims {
		if c.Group != group {
			if group != "" {
				if err := t.writeText(w); err != nil {
					return err
				}
				fmt.Fprintln(w)
			}
			group = c.Group
			fmt.Fprintf(w, "== %s ==\n", g.t(groupTitle[group][0], groupTitle[group][1]))
			t = &table{header: t.header}
		}
		st := statusText[c.Status]
		claim := g.t(c.ClaimZH, c.ClaimEN)
		if r := g.t(c.ReasonZH, c.ReasonEN); r != "" && c.Status != replicate.Match {
			claim += " — " + r
		}
		t.add(c.ID, claim, ptrNum(c.Published), ptrNum(c.Computed), c.Unit, g.t(st[0], st[1]), c.Source)
	}
	if err := t.writeText(w); err != nil {
		return err
	}
	v := res.Verdict
	fmt.Fprintln(w)
	fmt.Fprintln(w, strings.TrimSpace(g.t(
		fmt.Sprintf("结论：共 %d 项，一致 %d，不一致 %d，仅发表值 %d，无法核对 %d", v.Total, v.Match, v.Mismatch, v.PublishedOnly, v.NotCheckable),
		fmt.Sprintf("Verdict: %d claims: %d match, %d mismatch, %d published-only, %d not-checkable", v.Total, v.Match, v.Mismatch, v.PublishedOnly, v.NotCheckable))))
	return nil
}
