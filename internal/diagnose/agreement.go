package diagnose

import (
	"fmt"
	"strings"

	"agglo/internal/i18n"
)

// compare sets the computed diagnosis beside the paper's and explains each
// disagreement with the evidence and what the paper's label rests on.
func compare(a *Agglomeration) Agreement {
	p := a.Published
	var ag Agreement
	notes := joinNotes(a.Notes)
	if f, ok := a.Finding(AxisSpatial); ok && f.Status == StatusNotAssessable {
		notes = f.Reason
	}
	ag.SpatialMode = compareLabel(p.SpatialMode, a.SpatialMode, a.SpatialEvidence, p.SpatialBasis, p.SpatialRefs, notes)
	levelBasis := p.SpatialBasis
	if p.Level == "" {
		levelBasis = i18n.T("论文未给出水平（高/低）标签", "the paper gives no level (high/low) label")
	}
	ag.Level = compareLabel(p.Level, a.Level, a.LevelEvidence, levelBasis, p.SpatialRefs, i18n.T("数据没有成员的发展水平指标", "the data have no level indicator for the members"))
	openNotes := notes
	if f, ok := a.Finding(AxisOpenness); ok && f.Status == StatusNotAssessable {
		openNotes = f.Reason
	}
	ag.OpennessMode = compareLabel(p.OpennessMode, a.OpennessMode, a.OpennessEvidence, p.OpennessBasis, p.OpennessRefs, openNotes)
	ag.Problems = []ProblemComparison{}
	inPaper := map[string]bool{}
	for _, pp := range p.Problems {
		inPaper[pp.ID] = true
		pc := ProblemComparison{ID: pp.ID, Paper: true, Computed: a.HasProblem(pp.ID), Refs: pp.Refs}
		why, unassessed := a.unassessed[pp.ID]
		switch {
		case pc.Computed:
			pc.Status = Agree
			pc.Reason = evidenceText(firedEvidence(a, pp.ID), "数据显示：", "the data show: ")
		case unassessed:
			pc.Status = NotAssessable
			info, _ := problemInfo(pp.ID)
			pc.Reason = i18n.T(why.ZH+"；需要："+info.Needs.ZH, why.EN+"; needs: "+info.Needs.EN)
		default:
			pc.Status = Disagree
			r := evidenceText(a.checks[pp.ID], "数据未达阈值：", "the data do not reach the threshold: ")
			r.ZH += fmt.Sprintf("；论文依据（%s）：“%s”", RefsZH(pp.Refs), pp.Quote)
			// The quote is Chinese: English text names only the sections.
			r.EN += fmt.Sprintf("; the paper names it in section %s", RefsEN(pp.Refs))
			pc.Reason = r
		}
		ag.Problems = append(ag.Problems, pc)
	}
	for _, pr := range a.Problems {
		if inPaper[pr.ID] {
			continue
		}
		r := evidenceText(pr.Evidence, "数据显示：", "the data show: ")
		r.ZH += "；论文未就此城市群提出该问题"
		r.EN += "; the paper does not name this problem for this agglomeration"
		ag.Problems = append(ag.Problems, ProblemComparison{ID: pr.ID, Computed: true, Status: ComputedOnly, Reason: r})
	}
	return ag
}

func firedEvidence(a *Agglomeration, id string) []Evidence {
	for _, p := range a.Problems {
		if p.ID == id {
			return p.Evidence
		}
	}
	return nil
}

func compareLabel(paper, computed string, evs []Evidence, basis i18n.Text, refs []string, notes i18n.Text) Comparison {
	c := Comparison{Paper: paper, Computed: computed}
	refZH, refEN := RefsZH(refs), strings.Join(refs, ", ")
	switch {
	case paper == "":
		c.Status = NotStated
		c.Reason = basis
	case computed == Undetermined || computed == "":
		c.Status = NotAssessable
		c.Reason = i18n.T(notes.ZH+"；论文依据："+basis.ZH, notes.EN+"; the paper's basis: "+basis.EN)
	case paper == computed:
		c.Status = Agree
		c.Reason = evidenceText(evs, "数据显示：", "the data show: ")
	default:
		c.Status = Disagree
		r := evidenceText(evs, "数据显示：", "the data show: ")
		r.ZH += fmt.Sprintf("；论文的判断（%s）依据：%s", refZH, basis.ZH)
		r.EN += fmt.Sprintf("; the paper's label (%s) rests on: %s", refEN, basis.EN)
		c.Reason = r
	}
	return c
}

func joinNotes(ns []i18n.Text) i18n.Text {
	var zh, en []string
	for _, n := range ns {
		zh = append(zh, n.ZH)
		en = append(en, n.EN)
	}
	return i18n.T(strings.Join(zh, "；"), strings.Join(en, "; "))
}

// RefsZH writes the paper's section references for Chinese text, with the
// paper's Chinese section numerals: II.3 → 二.3, IV → 四.
func RefsZH(refs []string) string {
	out := make([]string, len(refs))
	for i, r := range refs {
		out[i] = RefZH(r)
	}
	return strings.Join(out, "、")
}

// RefZH writes one section reference with Chinese numerals.
func RefZH(ref string) string {
	head, rest, _ := strings.Cut(ref, ".")
	n, ok := map[string]string{"I": "一", "II": "二", "III": "三", "IV": "四"}[head]
	if !ok {
		return ref
	}
	if rest != "" {
		return n + "." + rest
	}
	return n
}

// RefsEN writes section references for English text with Roman numerals
// (三.4 → III.4), whichever numerals they were recorded with.
func RefsEN(refs []string) string {
	out := make([]string, len(refs))
	for i, r := range refs {
		head, rest, _ := strings.Cut(r, ".")
		if n, ok := map[string]string{"一": "I", "二": "II", "三": "III", "四": "IV"}[head]; ok {
			head = n
		}
		out[i] = head
		if rest != "" {
			out[i] += "." + rest
		}
	}
	return strings.Join(out, ", ")
}
