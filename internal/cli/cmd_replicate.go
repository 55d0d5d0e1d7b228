package cli

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"agglo/internal/analysis"
	"agglo/internal/i18n"
	"agglo/internal/replicate"
)

// claimCol is the width of the claim column of agglo replicate (English
// status names are longer).
var claimCol = map[string]int{i18n.ZH: 44, i18n.EN: 34}

func newReplicateCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "replicate",
		Short: "核对论文中可检验的数字与论断 / check every checkable number and claim of the paper",
		Long: `列出论文中每个可由数据检验的数字与定量论断，以及 agglo 的计算结果与结论：一致、不一致、读法不同结论不同
（“较低”“较高”一类论断按五大城市群中的位次与按本城市群自身的结构两种读法并列核对）、推算的约束条件（按构造成立，
不计为核对）、仅发表值、无法核对。
List every number and quantitative claim of the paper that data can check, with agglo's computation and status:
match, mismatch, depends on the reading ("low"/"high" claims are checked both as a rank among the five and against
the agglomeration's own profile, side by side), constraint of the derivation (true by construction, not counted as a
check), published only, not checkable.`,
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
	t := &table{header: []string{g.t("论断", "claim"), g.t("发表值", "published"), g.t("计算值", "computed"), g.t("单位", "unit"), g.t("结论", "status")}}
	ptrNum := func(p *float64) string {
		if p == nil {
			return "—"
		}
		return num(*p)
	}
	group := ""
	groupTitle := map[string][2]string{
		"overview": {"概况（第二部分第1节）", "Overview (section II.1)"}, "fig1": {"图1（由表1推算）", "Figure 1 (derived from Table 1)"},
		"table1": {"表1", "Table 1"}, "table2": {"表2", "Table 2"}, "table3": {"表3", "Table 3"}, "claims": {"论断", "Statements"},
	}
	if g.format == "csv" {
		t.header = append(append([]string{"id"}, t.header...), g.t("出处", "source"))
		for _, c := range claims {
			t.add(c.ID, g.t(c.ClaimZH, c.ClaimEN), ptrNum(c.Published), ptrNum(c.Computed), c.Unit, replicate.StatusName(c.Status).In(g.lang), c.Source)
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
		// The claim wraps in its column; its source and the reason of its
		// status follow on lines of their own, so that the table reads in
		// about 100 columns.
		for k, l := range wrapCell(g.t(c.ClaimZH, c.ClaimEN), claimCol[g.lang]) {
			if k == 0 {
				t.add(l, ptrNum(c.Published), ptrNum(c.Computed), replicate.UnitText(c.Unit).In(g.lang), replicate.StatusName(c.Status).In(g.lang))
			} else {
				t.add(l, "", "", "", "")
			}
		}
		note := g.t("出处：", "source: ") + paperSource(c.Source).In(g.lang)
		if r := g.t(c.ReasonZH, c.ReasonEN); r != "" && c.Status != replicate.Match && len(c.Readings) < 2 {
			note += g.t("；", "; ") + r
		}
		t.addWrapped("      ", "    ", note, tableCols)
		// A claim read two ways shows both readings, side by side.
		for k, rd := range c.Readings {
			holds := g.t("不成立", "does not hold")
			if rd.Holds {
				holds = g.t("成立", "holds")
			}
			head := fmt.Sprintf(g.t("    读法%s　%s：%s", "    reading %s, %s: %s"), g.t([]string{"一", "二", "三", "四"}[min(k, 3)], fmt.Sprint(k+1)), rd.Name.In(g.lang), holds)
			t.addWrapped("        ", head+g.t("（", " ("), rd.Detail.In(g.lang)+g.t("）", ")"), tableCols)
		}
	}
	if err := t.writeText(w); err != nil {
		return err
	}
	v := res.Verdict
	n := func(s replicate.Status) string { return replicate.StatusName(s).In(g.lang) }
	fmt.Fprintln(w)
	fmt.Fprintln(w, strings.TrimSpace(g.t(
		fmt.Sprintf("结论：共 %d 项。可由数据重算的 %d 项中，%s %d，%s %d，%s %d；%s %d（按构造成立，不计为核对）；%s %d；%s %d",
			v.Total, v.Match+v.Mismatch+v.Mixed, n(replicate.Match), v.Match, n(replicate.Mismatch), v.Mismatch, n(replicate.Mixed), v.Mixed,
			n(replicate.Constraint), v.Constraint, n(replicate.PublishedOnly), v.PublishedOnly, n(replicate.NotCheckable), v.NotCheckable),
		fmt.Sprintf("Verdict: %d claims. Of the %d recomputable from the data: %s %d, %s %d, %s %d; %s %d (true by construction, not counted as checks); %s %d; %s %d",
			v.Total, v.Match+v.Mismatch+v.Mixed, n(replicate.Match), v.Match, n(replicate.Mismatch), v.Mismatch, n(replicate.Mixed), v.Mixed,
			n(replicate.Constraint), v.Constraint, n(replicate.PublishedOnly), v.PublishedOnly, n(replicate.NotCheckable), v.NotCheckable))))
	return nil
}

// sourceRemarks are the remarks in brackets of the paper data's sources,
// in Chinese.
var sourceRemarks = map[string]string{
	"overview":                   "概述",
	"text on Figure 2":           "图2正文",
	"mean over member provinces": "成员省份均值",
	"citing China City Statistical Yearbook 2020": "引《中国城市统计年鉴2020》",
	"China City Statistical Yearbook 2020":        "《中国城市统计年鉴2020》",
	"IMF, 2020-07":                                "国际货币基金组织，2020年7月",
	"values derived from Table 1 and II.1":        "由表1与二.1推算",
}

// paperSource writes a source of the paper's data or claims for readers:
// "paper III.1, Table 3" reads 论文三.1、表3 in Chinese, "paper III.2
// (mean over member provinces)" 论文三.2（成员省份均值）; a remark in
// brackets the table does not know is kept in English only. Other sources
// (files, repositories) are kept as they are.
func paperSource(src string) i18n.Text {
	rest, ok := strings.CutPrefix(src, "paper ")
	if !ok {
		return i18n.T(src, src)
	}
	main, remark, _ := strings.Cut(rest, " (")
	main, extra, _ := strings.Cut(main, "; ")
	var zh []string
	for _, part := range strings.Split(main, ", ") {
		switch {
		case strings.HasPrefix(part, "Table "):
			zh = append(zh, "表"+strings.TrimPrefix(part, "Table "))
		case strings.HasPrefix(part, "Figure "):
			zh = append(zh, "图"+strings.TrimPrefix(part, "Figure "))
		default:
			head, sub, _ := strings.Cut(part, ".")
			if n, ok := map[string]string{"I": "一", "II": "二", "III": "三", "IV": "四"}[head]; ok {
				part = n
				if sub != "" {
					part += "." + sub
				}
			}
			zh = append(zh, part)
		}
	}
	z := "论文" + strings.Join(zh, "、")
	if r, ok := sourceRemarks[strings.TrimSuffix(remark, ")")]; ok {
		z += "（" + r + "）"
	}
	if extra == "province statistics" {
		z += "；省级统计"
	}
	return i18n.T(z, src)
}
