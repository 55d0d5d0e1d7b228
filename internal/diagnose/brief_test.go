package diagnose

import (
	"testing"

	"agglo/internal/i18n"
)

// A finding's brief, for a table cell: the label with its confidence; an
// uncertain one with the split of its variants, the nominal label first
// (issue 12's example: BTH's "低水平" held by 9 variants against 11 for
// "高水平"); a unanimous one on thin evidence as leaning; and not
// assessable.
func TestFindingBrief(t *testing.T) {
	for _, c := range []struct {
		f    Finding
		want i18n.Text
	}{
		{Finding{Axis: AxisLevel, Value: Low, Status: StatusUncertain, Confidence: 0.45, Variants: 20, Split: map[string]int{High: 11, Low: 9}},
			i18n.T("不确定：低水平 9 / 高水平 11", "uncertain: low 9 / high 11")},
		{Finding{Axis: AxisFlow, Value: Siphon, Status: StatusUncertain, Confidence: 0.3, Variants: 10, Split: map[string]int{Siphon: 3, Spread: 5, Stable: 2}},
			i18n.T("不确定：虹吸 3 / 扩散 5 / 基本稳定 2", "uncertain: siphon 3 / spread 5 / stable 2")},
		{Finding{Axis: AxisOpenness, Value: Balanced, Status: StatusUncertain, Confidence: 1, Variants: 5, Split: map[string]int{Balanced: 5}},
			i18n.T("不确定：倾向内外均衡（依据不足）", "uncertain: leaning balanced (thin evidence)")},
		{Finding{Axis: AxisSpatial, Value: CoreLed, Status: StatusAssessed, Confidence: 0.84, Variants: 25, Split: map[string]int{CoreLed: 21, MultiPoint: 4}},
			i18n.T("核心引领（置信度 84%）", "core-led (confidence 84%)")},
		{Finding{Axis: AxisStage, Value: Undetermined, Status: StatusNotAssessable},
			i18n.T("无法评估", "not assessable")},
	} {
		if got := findingBrief(c.f); got != c.want {
			t.Errorf("%s %s: %+v, want %+v", c.f.Axis, c.f.Status, got, c.want)
		}
	}
}

// A finding the data cannot assess names the data that would settle it.
func TestNotAssessableNeeds(t *testing.T) {
	for _, axis := range []string{AxisSpatial, AxisFlow, AxisLevel, AxisOpenness, AxisStage, ProblemAxis(ProblemSiphon)} {
		f := notAssessable(axis, i18n.T("原因", "reason"))
		if f.Needs.ZH == "" || f.Needs.EN == "" || f.Brief != StatusName(StatusNotAssessable) {
			t.Errorf("%s: %+v", axis, f)
		}
	}
}

func TestLowerFirst(t *testing.T) {
	for in, want := range map[string]string{"Population": "population", "GDP": "GDP", "R&D expenditure": "R&D expenditure", "CRIC knowledge": "CRIC knowledge", "": "", "a": "a"} {
		if got := lowerFirst(in); got != want {
			t.Errorf("lowerFirst(%q) = %q, want %q", in, got, want)
		}
	}
}
