package diagnose

import (
	"fmt"
	"strings"
	"unicode"

	"agglo/internal/dataset"
	"agglo/internal/i18n"
)

// Value formats of metrics.
const (
	fmtShare  = "share"  // a share, shown in per cent
	fmtPoints = "points" // a change of shares, in percentage points
	fmtRatio  = "ratio"
	fmtZ      = "z"
	fmtNumber = "number"
)

// metricInfo names a metric and how to show its values.
type metricInfo struct {
	name    i18n.Text
	format  string
	thLabel i18n.Text // what the threshold is (default: 阈值 / threshold)
}

var metricTable = map[string]metricInfo{
	"core_primacy":                 {i18n.T("核心首位度（最小核心 / 最大非核心成员）", "core primacy (smallest core over the largest non-core member)"), fmtRatio, i18n.Text{}},
	"core_share":                   {i18n.T("核心城市合计份额", "the cores' combined share"), fmtShare, i18n.T("齐普夫分布下的预期份额", "the share expected under Zipf's law")},
	"rank_size_q":                  {i18n.T("位序—规模指数 q", "rank-size exponent q"), fmtRatio, i18n.Text{}},
	"second_tier_ratio":            {i18n.T("第二梯队规模 / 位序—规模预期", "second tier over its rank-size prediction"), fmtRatio, i18n.Text{}},
	"core_share_change":            {i18n.T("核心城市合计份额的变化", "change of the cores' combined share"), fmtPoints, i18n.Text{}},
	"relative_growth":              {i18n.T("核心城市相对其余成员的增长倍数", "the cores' growth relative to the other members"), fmtRatio, i18n.Text{}},
	"level_ratio":                  {i18n.T("成员平均 / 全国同类单元平均", "members' mean over the national mean"), fmtRatio, i18n.Text{}},
	"cv":                           {i18n.T("成员发展水平的变异系数", "coefficient of variation of the members' level"), fmtRatio, i18n.Text{}},
	"openness_score":               {i18n.T("开放度得分", "openness score"), fmtZ, i18n.Text{}},
	"acquisition_minus_creation_z": {i18n.T("知识获取减知识创造的 z 分数", "z of knowledge acquisition minus z of knowledge creation"), fmtZ, i18n.Text{}},
	"knowledge_acquisition_z":      {i18n.T("知识获取的 z 分数", "z of knowledge acquisition"), fmtZ, i18n.Text{}},
	"enterprise_innovation_z":      {i18n.T("企业创新的 z 分数", "z of enterprise innovation"), fmtZ, i18n.Text{}},
	"linkage_network_density":      {i18n.T("成员城市引力联系网络密度", "density of the member cities' gravity linkage network"), fmtRatio, i18n.Text{}},
	"copublication_degree_z":       {i18n.T("成员城市合作论文网络度（对数）相对全国城市的平均 z 分数", "members' mean z of log co-publication degree against the nation's cities"), fmtZ, i18n.Text{}},
	"core_percentile":              {i18n.T("最大核心城市规模在全国城市中的百分位", "the largest core's size percentile among the nation's cities"), fmtShare, i18n.Text{}},
	"mean_structure_similarity":    {i18n.T("成员产业结构的平均相似系数", "mean similarity of the members' sector structures"), fmtRatio, i18n.Text{}},
	"patents_per_rd_expenditure_z": {i18n.T("单位R&D投资产出专利数的 z 分数", "z of patents per R&D expenditure"), fmtZ, i18n.Text{}},
	"rd_personnel_per_project_z":   {i18n.T("单个R&D项目从业人数的 z 分数", "z of R&D personnel per project"), fmtZ, i18n.Text{}},
}

// MetricName names a diagnosis metric in both languages; an openness
// indicator's z-score is "<indicator>_z".
func (rn *runner) metricName(metric string) metricInfo {
	if m, ok := metricTable[metric]; ok {
		return m
	}
	if ind, ok := strings.CutSuffix(metric, "_z"); ok {
		n := rn.indicatorName(ind)
		return metricInfo{name: i18n.T(n.ZH+"的 z 分数", "z of "+lowerFirst(n.EN)), format: fmtZ}
	}
	return metricInfo{name: i18n.T(metric, metric), format: fmtNumber}
}

// MetricIDs lists the fixed metric ids of the diagnosis (strategy
// measures may name them as indicators to monitor).
func MetricIDs() []string {
	out := make([]string, 0, len(metricTable))
	for k := range metricTable {
		out = append(out, k)
	}
	return out
}

// MetricName names a fixed diagnosis metric in both languages.
func MetricName(metric string) (i18n.Text, bool) {
	m, ok := metricTable[metric]
	return m.name, ok
}

func formatValue(v float64, format string) (zh, en string) {
	switch format {
	case fmtShare:
		s := fmt.Sprintf("%.1f%%", 100*v)
		return s, s
	case fmtPoints:
		return fmt.Sprintf("%+.1f 个百分点", 100*v), fmt.Sprintf("%+.1f percentage points", 100*v)
	case fmtZ, fmtRatio:
		s := fmt.Sprintf("%.2f", v)
		return s, s
	}
	s := fmt.Sprintf("%.3g", v)
	return s, s
}

// ev builds an evidence item with its text.
func (rn *runner) ev(metric string, v, th float64, op string) Evidence {
	m := rn.metricName(metric)
	e := Evidence{Metric: metric, Name: m.name, Value: v, Threshold: th, Op: op, Met: met(v, th, op)}
	vz, ve := formatValue(v, m.format)
	tz, te := formatValue(th, m.format)
	if m.format == fmtPoints {
		tz, te = formatValue(th, fmtPoints)
	}
	thZH, thEN := "阈值", "threshold"
	if m.thLabel.ZH != "" {
		thZH, thEN = m.thLabel.ZH, m.thLabel.EN
	}
	okZH, okEN := "未满足", "not met"
	if e.Met {
		okZH, okEN = "满足", "met"
	}
	e.Text = i18n.T(fmt.Sprintf("%s为 %s（%s %s %s，%s）", m.name.ZH, vz, thZH, op, tz, okZH),
		fmt.Sprintf("%s %s (%s %s %s: %s)", m.name.EN, ve, thEN, op, te, okEN))
	return e
}

// evidenceText joins the texts of evidence items.
func evidenceText(evs []Evidence, zh, en string) i18n.Text {
	var z, e []string
	for _, x := range evs {
		z = append(z, x.Text.ZH)
		e = append(e, x.Text.EN)
	}
	return i18n.T(zh+strings.Join(z, "；"), en+strings.Join(e, "; "))
}

// listNames joins the names of members.
func listNames(ms []MemberRef, limit int) (zh, en string) {
	var z, e []string
	for i, m := range ms {
		if limit > 0 && i == limit {
			z = append(z, fmt.Sprintf("等 %d 个", len(ms)))
			e = append(e, fmt.Sprintf("and %d more", len(ms)-limit))
			break
		}
		z = append(z, m.NameZH)
		e = append(e, m.NameEN)
	}
	return strings.Join(z, "、"), strings.Join(e, ", ")
}

func pct(v float64) string {
	if !isFinite(v) {
		return "—"
	}
	return fmt.Sprintf("%.1f%%", 100*v)
}

// narrative writes the diagnosis of one agglomeration as an analyst's
// sentences, in Chinese and English.
func (rn *runner) narrative(a *Agglomeration) []i18n.Text {
	var out []i18n.Text
	add := func(zh, en string) { out = append(out, i18n.T(zh, en)) }
	name := i18n.T(a.NameZH, a.NameEN)
	if a.Sourcing != nil && a.Sourcing.Grade != "" {
		g := dataset.GradeName(a.Sourcing.Grade)
		add(fmt.Sprintf("%s的成员名单%s：%s", name.ZH, g.ZH, a.Sourcing.Note.ZH), fmt.Sprintf("%s: the member list is %s: %s", name.EN, g.EN, a.Sourcing.Note.EN))
	}
	for _, axis := range []struct {
		id     string
		zh, en string
		evs    []Evidence
	}{
		{AxisSpatial, "空间结构", "Spatial structure", a.SpatialEvidence},
		{AxisFlow, "核心城市的虹吸与扩散", "Siphon or spread of the cores", nil},
		{AxisLevel, "发展水平", "Level", a.LevelEvidence},
		{AxisOpenness, "开放模式", "Openness", a.OpennessEvidence},
		{AxisStage, "发展阶段", "Development stage", nil},
	} {
		f, ok := a.Finding(axis.id)
		if !ok {
			continue
		}
		line := i18n.T(axis.zh+"："+f.Text.ZH+"。", axis.en+": "+f.Text.EN+".")
		if len(axis.evs) > 0 && f.Status != StatusNotAssessable {
			e := evidenceText(axis.evs, "依据：", "Evidence: ")
			line = i18n.T(line.ZH+e.ZH+"。", line.EN+" "+e.EN+".")
		}
		if axis.id == AxisSpatial && a.SizeIndicator != "" && f.Status != StatusNotAssessable {
			n := rn.indicatorName(a.SizeIndicator)
			cz, ce := listNames(coreRefs(a), 0)
			line = i18n.T(fmt.Sprintf("%s（以 %d 年%s计，核心城市：%s）", line.ZH, a.SizeYear, n.ZH, cz), fmt.Sprintf("%s (by %s in %d; cores: %s)", line.EN, lowerFirst(n.EN), a.SizeYear, ce))
		}
		if axis.id == AxisFlow && a.Flow != nil {
			line = i18n.T(line.ZH+a.Flow.Text.ZH, line.EN+" "+a.Flow.Text.EN)
		}
		if f.Status == StatusUncertain && f.Reason.ZH != "" {
			line = i18n.T(line.ZH+"（"+f.Reason.ZH+"）", line.EN+" ("+f.Reason.EN+")")
		}
		if f.Status == StatusNotAssessable && f.Needs.ZH != "" {
			line = i18n.T(line.ZH+"所需数据："+f.Needs.ZH+"。", line.EN+" Data needed: "+f.Needs.EN+".")
		}
		out = append(out, line)
	}
	for _, p := range a.Problems {
		f, _ := a.Finding(ProblemAxis(p.ID))
		// All the evidence checked, met or not: where pieces disagree the
		// reader sees which.
		evs := p.Evidence
		if all := a.checks[p.ID]; len(all) > len(evs) {
			evs = all
		}
		e := evidenceText(evs, "", "")
		conf := ""
		confE := ""
		if f.Variants > 0 {
			conf = fmt.Sprintf("，置信度 %.0f%%", 100*f.Confidence)
			confE = fmt.Sprintf(", confidence %.0f%%", 100*f.Confidence)
			if f.Status == StatusUncertain {
				conf, confE = "，不确定", ", uncertain"
			}
		}
		add(fmt.Sprintf("问题：%s（%s%s）。", p.Name.ZH, e.ZH, conf), fmt.Sprintf("Problem: %s (%s%s).", p.Name.EN, e.EN, confE))
	}
	for _, u := range a.Unassessed {
		info, _ := problemInfo(u.ID)
		add("无法评估（"+info.Name.ZH+"）："+u.Reason.ZH+"。所需数据："+u.Needs.ZH+"。", "Cannot assess "+info.Name.EN+": "+u.Reason.EN+". Data needed: "+u.Needs.EN+".")
	}
	if a.Published != nil {
		for _, c := range []struct {
			zh, en string
			cmp    Comparison
		}{{"空间模式", "spatial mode", a.Agreement.SpatialMode}, {"开放模式", "openness mode", a.Agreement.OpennessMode}} {
			if c.cmp.Status == Disagree {
				add(fmt.Sprintf("与论文不一致（%s：论文为%s，计算为%s）：%s。", c.zh, Label(c.cmp.Paper).ZH, Label(c.cmp.Computed).ZH, c.cmp.Reason.ZH),
					fmt.Sprintf("Disagrees with the paper (%s: paper %s, computed %s): %s.", c.en, Label(c.cmp.Paper).EN, Label(c.cmp.Computed).EN, c.cmp.Reason.EN))
			}
		}
	}
	return append(out, a.Notes...)
}

func coreRefs(a *Agglomeration) []MemberRef {
	var out []MemberRef
	for _, m := range a.Members {
		if m.Core {
			out = append(out, MemberRef{Code: m.Code, NameZH: m.Name, NameEN: m.NameE})
		}
	}
	return out
}

// lowerFirst lowers the first letter of an English name to run in a
// sentence ("Population" → "population"), keeping acronyms ("GDP",
// "R&D expenditure").
func lowerFirst(s string) string {
	r := []rune(s)
	if len(r) == 0 || !unicode.IsUpper(r[0]) || len(r) > 1 && (unicode.IsUpper(r[1]) || r[1] == '&') {
		return s
	}
	r[0] = unicode.ToLower(r[0])
	return string(r)
}
