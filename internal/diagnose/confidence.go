package diagnose

import (
	"fmt"
	"sort"
	"strings"

	"agglo/internal/i18n"
)

// Finding statuses.
const (
	StatusAssessed      = "assessed"
	StatusUncertain     = "uncertain"
	StatusNotAssessable = "not_assessable"
)

// Problem outcomes in findings and variant splits.
const (
	Present = "present"
	Absent  = "absent"
)

// Dimensions a finding's variants vary.
const (
	VaryThresholds = "thresholds"
	VaryIndicator  = "indicator"
	VaryYear       = "year"
	VaryUnit       = "spatial_unit"
	VaryPartial    = "partial_members"
	VaryEvidence   = "evidence"
)

// Finding is one label with its confidence: the nominal value, the share
// of variants that give it, the split of all variants, what the variants
// varied, and its status: assessed; uncertain when the confidence is below
// the configured level (or the evidence is too thin, Reason says why); not
// assessable (Reason says why, Needs names the data that would settle it).
// Text renders it for users in a sentence, Brief in a table cell.
type Finding struct {
	Axis       string         `json:"axis"`
	Value      string         `json:"value"`
	Status     string         `json:"status"`
	Confidence float64        `json:"confidence"`
	Variants   int            `json:"variants"`
	Split      map[string]int `json:"split"`
	Varied     []string       `json:"varied"`
	Text       i18n.Text      `json:"text"`
	Brief      i18n.Text      `json:"brief"`
	Reason     i18n.Text      `json:"reason,omitempty"`
	Needs      i18n.Text      `json:"needs,omitzero"`
}

// judge builds a finding from the nominal label and the labels of every
// variant (the nominal variant included). thin, when not empty, marks the
// evidence as too thin for a confident label whatever the split.
func (rn *runner) judge(axis, nominal string, outcomes []string, varied []string, thin i18n.Text) Finding {
	f := Finding{Axis: axis, Value: nominal, Split: map[string]int{}, Varied: varied, Variants: len(outcomes)}
	if f.Varied == nil {
		f.Varied = []string{}
	}
	agree := 0
	for _, o := range outcomes {
		f.Split[o]++
		if o == nominal {
			agree++
		}
	}
	if len(outcomes) > 0 {
		f.Confidence = float64(agree) / float64(len(outcomes))
	}
	switch {
	case nominal == Undetermined || nominal == "":
		f.Status = StatusNotAssessable
	case f.Confidence < rn.cfg.Confidence.UncertainBelow:
		f.Status = StatusUncertain
		f.Reason = i18n.Tf("只有 %.0f%% 的变体给出该结果（低于 %.0f%%）", "only %.0f%% of the variants give it (below %.0f%%)", 100*f.Confidence, 100*rn.cfg.Confidence.UncertainBelow)
	case thin != (i18n.Text{}):
		f.Status = StatusUncertain
		f.Reason = thin
	default:
		f.Status = StatusAssessed
	}
	f.Text, f.Brief = findingText(f), findingBrief(f)
	return f
}

// notAssessable is the finding of an axis the data cannot assess.
func notAssessable(axis string, why i18n.Text) Finding {
	f := Finding{Axis: axis, Value: Undetermined, Status: StatusNotAssessable, Split: map[string]int{}, Varied: []string{}, Reason: why, Needs: AxisNeeds(axis)}
	f.Text, f.Brief = findingText(f), findingBrief(f)
	return f
}

// findingText renders a finding: the label with its confidence, the split
// of an uncertain one, or why it cannot be assessed.
func findingText(f Finding) i18n.Text {
	name := Label(f.Value)
	switch f.Status {
	case StatusNotAssessable:
		if f.Reason.ZH == "" {
			return i18n.T("无法评估", "not assessable")
		}
		return i18n.T("无法评估："+f.Reason.ZH, "not assessable: "+f.Reason.EN)
	case StatusUncertain:
		zh, en := splitText(f)
		return i18n.T("不确定（"+name.ZH+"；各变体："+zh+"）", "uncertain ("+name.EN+"; variants: "+en+")")
	}
	return i18n.T(fmt.Sprintf("%s（置信度 %.0f%%）", name.ZH, 100*f.Confidence), fmt.Sprintf("%s (confidence %.0f%%)", name.EN, 100*f.Confidence))
}

// findingBrief renders a finding for a table cell: "高水平（置信度 84%）";
// an uncertain one as "不确定：低水平 7 / 高水平 8" (the nominal label
// first, then the others by their number of variants), or, when every
// variant agrees but the evidence is thin, "不确定：倾向高水平（依据不足）";
// "无法评估" when the data cannot assess it.
func findingBrief(f Finding) i18n.Text {
	switch f.Status {
	case StatusNotAssessable:
		return StatusName(StatusNotAssessable)
	case StatusUncertain:
		name := Label(f.Value)
		if len(f.Split) <= 1 {
			return i18n.T("不确定：倾向"+name.ZH+"（依据不足）", "uncertain: leaning "+name.EN+" (thin evidence)")
		}
		keys := make([]string, 0, len(f.Split))
		for k := range f.Split {
			keys = append(keys, k)
		}
		sort.Slice(keys, func(i, j int) bool {
			a, b := keys[i], keys[j]
			if (a == f.Value) != (b == f.Value) {
				return a == f.Value
			}
			if f.Split[a] != f.Split[b] {
				return f.Split[a] > f.Split[b]
			}
			return a < b
		})
		var z, e []string
		for _, k := range keys {
			z = append(z, fmt.Sprintf("%s %d", Label(k).ZH, f.Split[k]))
			e = append(e, fmt.Sprintf("%s %d", Label(k).EN, f.Split[k]))
		}
		return i18n.T("不确定："+strings.Join(z, " / "), "uncertain: "+strings.Join(e, " / "))
	}
	return findingText(f)
}

// splitText lists the variants' labels with their shares, largest first.
func splitText(f Finding) (zh, en string) {
	type kv struct {
		k string
		n int
	}
	var list []kv
	for k, n := range f.Split {
		list = append(list, kv{k, n})
	}
	sort.Slice(list, func(i, j int) bool {
		if list[i].n != list[j].n {
			return list[i].n > list[j].n
		}
		return list[i].k < list[j].k
	})
	var z, e []string
	for _, x := range list {
		p := 100 * float64(x.n) / float64(max(f.Variants, 1))
		z = append(z, fmt.Sprintf("%s %.0f%%", Label(x.k).ZH, p))
		e = append(e, fmt.Sprintf("%s %.0f%%", Label(x.k).EN, p))
	}
	return strings.Join(z, "、"), strings.Join(e, ", ")
}

// summarise fills the per-axis confidence summary from the findings.
func summarise(fs []Finding) Confidence {
	c := Confidence{Problems: map[string]float64{}, Alternatives: map[string]map[string]int{}}
	for _, f := range fs {
		c.Variants = max(c.Variants, f.Variants)
		if f.Status == StatusNotAssessable {
			continue
		}
		c.Alternatives[f.Axis] = f.Split
		switch f.Axis {
		case AxisSpatial:
			c.SpatialMode = f.Confidence
		case AxisLevel:
			c.Level = f.Confidence
		case AxisOpenness:
			c.OpennessMode = f.Confidence
		case AxisFlow:
			c.Flow = f.Confidence
		case AxisStage:
			c.Stage = f.Confidence
		default:
			if id, ok := strings.CutPrefix(f.Axis, "problem:"); ok {
				c.Problems[id] = f.Confidence
			}
		}
	}
	return c
}

// scaled returns the thresholds with every value multiplied by f.
func (rn *runner) scaled(f float64) func(string) float64 {
	return func(id string) float64 { return rn.cfg.th(id) * f }
}

// boolOutcome names a problem's outcome.
func boolOutcome(fired, assessable bool) string {
	switch {
	case !assessable:
		return Undetermined
	case fired:
		return Present
	}
	return Absent
}

func anyMet(evs []Evidence) bool {
	for _, e := range evs {
		if e.Met {
			return true
		}
	}
	return false
}
