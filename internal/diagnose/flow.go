package diagnose

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"agglo/internal/dataset"
	"agglo/internal/i18n"
)

// ShareChange is one member's share of the members' total in two years.
type ShareChange struct {
	Code    string  `json:"code"`
	NameZH  string  `json:"name_zh"`
	NameEN  string  `json:"name_en"`
	From    float64 `json:"from"`
	To      float64 `json:"to"`
	Delta   float64 `json:"delta"`
	Partial bool    `json:"partial,omitempty"`
}

// Flow is the siphon or spread of the designated cores between two years
// (docs/methods.md#siphon): the cores' combined share of the members' total
// in both years and its change, the cores' growth relative to the other
// members, each core's share, and the other members that gained or lost
// share. Members without data in either year and partial members are
// listed, never dropped silently.
type Flow struct {
	Label          string        `json:"label"`
	Indicator      string        `json:"indicator"`
	FromYear       int           `json:"from_year"`
	ToYear         int           `json:"to_year"`
	CoreShareFrom  float64       `json:"core_share_from"`
	CoreShareTo    float64       `json:"core_share_to"`
	DeltaCoreShare float64       `json:"delta_core_share"`
	RelativeGrowth float64       `json:"relative_growth"`
	Cores          []ShareChange `json:"cores"`
	Gained         []ShareChange `json:"gained"`
	Lost           []ShareChange `json:"lost"`
	Missing        []MemberRef   `json:"missing"`
	Partial        []MemberRef   `json:"partial"`
	Evidence       []Evidence    `json:"evidence"`
	Text           i18n.Text     `json:"text"`
}

type flowVariant struct {
	ind     string
	y0, y1  int
	exclude bool
}

// flowVariants lists the pairs of years the data allow for each size
// indicator, the nominal one first: the first size indicator, its first
// and last year with at least min_members members in both, partial members
// counted whole.
func (rn *runner) flowVariants(agg *dataset.Region) []flowVariant {
	if vs, ok := rn.flowV[agg.Code]; ok {
		return vs
	}
	var out []flowVariant
	defer func() { rn.flowV[agg.Code] = out }()
	hasPartial := slices.ContainsFunc(agg.Members, func(m dataset.Member) bool { return m.Partial })
	for _, ind := range rn.cfg.Size.FlowIndicators {
		if !rn.has(ind) || !rn.sizeIndicator(ind) {
			continue
		}
		ys := rn.yearsOf(ind, dataset.LevelCity)
		var pairs [][2]int
		for i := 0; i < len(ys); i++ {
			for j := len(ys) - 1; j > i; j-- {
				d := rn.flowData(agg, flowVariant{ind: ind, y0: ys[i], y1: ys[j]})
				if len(d.both) >= rn.cfg.Size.MinMembers {
					pairs = append(pairs, [2]int{ys[i], ys[j]})
				}
			}
		}
		// The widest span first.
		sort.SliceStable(pairs, func(a, b int) bool { return pairs[a][1]-pairs[a][0] > pairs[b][1]-pairs[b][0] })
		for _, p := range pairs {
			out = append(out, flowVariant{ind: ind, y0: p[0], y1: p[1]})
			// Leaving the partial members out is a variant only when the
			// cores and enough other members remain (as for the spatial
			// readings).
			if ex := (flowVariant{ind: ind, y0: p[0], y1: p[1], exclude: true}); hasPartial && rn.flowReadable(agg, ex) {
				out = append(out, ex)
			}
		}
	}
	return out
}

// flowReadable reports whether a variant has min_members members with a
// value in both years, a core and another member among them.
func (rn *runner) flowReadable(agg *dataset.Region, v flowVariant) bool {
	d := rn.flowData(agg, v)
	cores, others := 0, 0
	for _, m := range d.both {
		if m.Core {
			cores++
		} else {
			others++
		}
	}
	return len(d.both) >= rn.cfg.Size.MinMembers && cores > 0 && others > 0
}

// flowData are the members with a value in both years.
type flowData struct {
	v          flowVariant
	both       []flowMember
	missing    []MemberRef
	designated bool
}

type flowMember struct {
	MemberValue
	v0, v1 float64
}

func (rn *runner) flowData(agg *dataset.Region, v flowVariant) flowData {
	d := flowData{v: v, designated: len(agg.Cores()) > 0}
	a, miss0 := rn.memberValues(agg.Members, v.ind, v.y0, v.exclude)
	b, miss1 := rn.memberValues(agg.Members, v.ind, v.y1, v.exclude)
	at := map[string]float64{}
	for _, m := range b {
		at[m.Code] = m.Value
	}
	for _, m := range a {
		if v1, ok := at[m.Code]; ok {
			d.both = append(d.both, flowMember{MemberValue: m, v0: m.Value, v1: v1})
		}
	}
	seen := map[string]bool{}
	for _, m := range append(miss0, miss1...) {
		if !seen[m.Code] {
			seen[m.Code] = true
			d.missing = append(d.missing, m)
		}
	}
	if !d.designated && len(d.both) > 0 {
		big := 0
		for i, m := range d.both {
			if m.v0 > d.both[big].v0 {
				big = i
			}
		}
		d.both[big].Core = true
	}
	return d
}

// flowOf computes the cores' share change and relative growth and labels
// them (docs/methods.md#siphon):
//
//	CS_t = Σ_cores P_t / Σ_members P_t,   ΔCS = CS_1 − CS_0
//	RG   = (Σ_cores P_1 / Σ_cores P_0) / (Σ_rest P_1 / Σ_rest P_0)
//
// Siphon when ΔCS > siphon_delta_cs and RG > siphon_relative_growth;
// spread when ΔCS < −siphon_delta_cs and RG < 1/siphon_relative_growth;
// stable otherwise.
func (rn *runner) flowOf(d flowData, th func(string) float64) (string, []Evidence, float64, float64, float64, float64) {
	var c0, c1, r0, r1 float64
	for _, m := range d.both {
		if m.Core {
			c0, c1 = c0+m.v0, c1+m.v1
		} else {
			r0, r1 = r0+m.v0, r1+m.v1
		}
	}
	if len(d.both) < rn.cfg.Size.MinMembers || c0 <= 0 || r0 <= 0 || c1 <= 0 || r1 <= 0 {
		return Undetermined, nil, 0, 0, 0, 0
	}
	cs0, cs1 := c0/(c0+r0), c1/(c1+r1)
	dcs := cs1 - cs0
	rg := (c1 / c0) / (r1 / r0)
	t, g := th(thSiphonDCS), th(thSiphonRG)
	var evs []Evidence
	label := Stable
	switch {
	case dcs > t && rg > g:
		label = Siphon
		evs = []Evidence{rn.ev("core_share_change", dcs, t, ">"), rn.ev("relative_growth", rg, g, ">")}
	case dcs < -t && rg < 1/g:
		label = Spread
		evs = []Evidence{rn.ev("core_share_change", dcs, -t, "<"), rn.ev("relative_growth", rg, 1/g, "<")}
	default:
		evs = []Evidence{rn.ev("core_share_change", dcs, t, ">"), rn.ev("relative_growth", rg, g, ">")}
	}
	return label, evs, cs0, cs1, dcs, rg
}

// flow sets the siphon-or-spread finding, the siphon problem and Flow.
func (rn *runner) flow(a *Agglomeration, agg *dataset.Region, th func(string) float64) {
	variants := rn.flowVariants(agg)
	if len(variants) == 0 {
		why := i18n.T("只有一个年份的成员城市规模数据：虹吸或扩散需要两个以上年份核心份额的变化，不能由截面判断",
			"member-city size in one year only: a siphon or spread needs the cores' share in two or more years and cannot be read from one cross-section")
		if len(rn.sizeVariants(agg)) == 0 {
			why = i18n.T("数据没有成员城市两个以上年份的规模（人口、GDP 等）", "the data have no member-city size (population, GDP …) in two or more years")
		}
		a.Findings = append(a.Findings, notAssessable(AxisFlow, why))
		a.addProblem(ProblemSiphon, nil, false, why)
		a.Findings = append(a.Findings, notAssessable(ProblemAxis(ProblemSiphon), why))
		return
	}
	nom := rn.flowData(agg, variants[0])
	label, evs, cs0, cs1, dcs, rg := rn.flowOf(nom, th)
	fl := &Flow{Label: label, Indicator: nom.v.ind, FromYear: nom.v.y0, ToYear: nom.v.y1, CoreShareFrom: cs0, CoreShareTo: cs1, DeltaCoreShare: dcs, RelativeGrowth: rg,
		Cores: []ShareChange{}, Gained: []ShareChange{}, Lost: []ShareChange{}, Missing: nonNil(nom.missing), Partial: []MemberRef{}, Evidence: nonNil(evs)}
	var t0, t1 float64
	for _, m := range nom.both {
		t0, t1 = t0+m.v0, t1+m.v1
	}
	for _, m := range nom.both {
		sc := ShareChange{Code: m.Code, NameZH: m.Name, NameEN: m.NameE, From: m.v0 / t0, To: m.v1 / t1, Partial: m.Partial}
		sc.Delta = sc.To - sc.From
		if m.Partial {
			fl.Partial = append(fl.Partial, MemberRef{Code: m.Code, NameZH: m.Name, NameEN: m.NameE})
		}
		switch {
		case m.Core:
			fl.Cores = append(fl.Cores, sc)
		case sc.Delta > 0:
			fl.Gained = append(fl.Gained, sc)
		case sc.Delta < 0:
			fl.Lost = append(fl.Lost, sc)
		}
	}
	sort.SliceStable(fl.Gained, func(i, j int) bool { return fl.Gained[i].Delta > fl.Gained[j].Delta })
	sort.SliceStable(fl.Lost, func(i, j int) bool { return fl.Lost[i].Delta < fl.Lost[j].Delta })
	fl.Text = rn.flowText(fl, nom.designated)
	a.Flow = fl
	varied := []string{VaryThresholds}
	inds, pairs, partial := map[string]bool{}, map[[2]int]bool{}, false
	for _, v := range variants {
		inds[v.ind], pairs[[2]int{v.y0, v.y1}], partial = true, true, partial || v.exclude
	}
	if len(inds) > 1 {
		varied = append(varied, VaryIndicator)
	}
	if len(pairs) > 1 {
		varied = append(varied, VaryYear)
	}
	if partial {
		varied = append(varied, VaryPartial)
	}
	var outF, outS []string
	for _, v := range variants {
		d := rn.flowData(agg, v)
		for _, f := range rn.cfg.Confidence.Factors {
			l, _, _, _, _, _ := rn.flowOf(d, rn.scaled(f))
			outF = append(outF, l)
			outS = append(outS, boolOutcome(l == Siphon, l != Undetermined))
		}
	}
	if label == Undetermined {
		why := i18n.T("核心城市或其余成员缺少两个年份的数据", "the cores or the other members lack data in one of the years")
		a.Findings = append(a.Findings, notAssessable(AxisFlow, why))
		a.addProblem(ProblemSiphon, nil, false, why)
		a.Findings = append(a.Findings, notAssessable(ProblemAxis(ProblemSiphon), why))
		return
	}
	a.Findings = append(a.Findings, rn.judge(AxisFlow, label, outF, varied, i18n.Text{}))
	a.setProblem(ProblemSiphon, label == Siphon, evs)
	a.Findings = append(a.Findings, rn.judge(ProblemAxis(ProblemSiphon), boolOutcome(label == Siphon, true), outS, varied, i18n.Text{}))
}

// flowText says the flow in sentences.
func (rn *runner) flowText(fl *Flow, designated bool) i18n.Text {
	n := rn.indicatorName(fl.Indicator)
	var zh, en strings.Builder
	fmt.Fprintf(&zh, "%d—%d 年，按%s计，核心城市合计份额由 %s 变为 %s（%+.1f 个百分点），核心城市的增长倍数是其余成员的 %.2f 倍",
		fl.FromYear, fl.ToYear, n.ZH, pct(fl.CoreShareFrom), pct(fl.CoreShareTo), 100*fl.DeltaCoreShare, fl.RelativeGrowth)
	fmt.Fprintf(&en, "From %d to %d, by %s, the cores' combined share went from %s to %s (%+.1f percentage points); their growth factor was %.2f times that of the other members",
		fl.FromYear, fl.ToYear, lowerFirst(n.EN), pct(fl.CoreShareFrom), pct(fl.CoreShareTo), 100*fl.DeltaCoreShare, fl.RelativeGrowth)
	if !designated {
		zh.WriteString("（资料没有指明核心城市，以起始年规模最大的成员代替）")
		en.WriteString(" (the sources name no core: the largest member in the first year stands in)")
	}
	zh.WriteString("。")
	en.WriteString(".")
	var cz, ce []string
	for _, c := range fl.Cores {
		cz = append(cz, fmt.Sprintf("%s %s → %s", c.NameZH, pct(c.From), pct(c.To)))
		ce = append(ce, fmt.Sprintf("%s %s → %s", c.NameEN, pct(c.From), pct(c.To)))
	}
	fmt.Fprintf(&zh, "各核心城市的份额：%s。", strings.Join(cz, "，"))
	fmt.Fprintf(&en, " Each core's share: %s.", strings.Join(ce, ", "))
	top := func(list []ShareChange) (string, string) {
		var z, e []string
		for i, s := range list {
			if i == 3 {
				break
			}
			z = append(z, fmt.Sprintf("%s（%+.1f 个百分点）", s.NameZH, 100*s.Delta))
			e = append(e, fmt.Sprintf("%s (%+.1f points)", s.NameEN, 100*s.Delta))
		}
		return strings.Join(z, "、"), strings.Join(e, ", ")
	}
	if len(fl.Gained) > 0 {
		z, e := top(fl.Gained)
		fmt.Fprintf(&zh, "份额上升的其他成员 %d 个，最多的是%s。", len(fl.Gained), z)
		fmt.Fprintf(&en, " %d other members gained share, most %s.", len(fl.Gained), e)
	}
	if len(fl.Lost) > 0 {
		z, e := top(fl.Lost)
		fmt.Fprintf(&zh, "份额下降的成员 %d 个，最多的是%s。", len(fl.Lost), z)
		fmt.Fprintf(&en, " %d members lost share, most %s.", len(fl.Lost), e)
	}
	if len(fl.Missing) > 0 {
		z, e := listNames(fl.Missing, 8)
		fmt.Fprintf(&zh, "缺少两个年份数据、未计入的成员：%s。", z)
		fmt.Fprintf(&en, " Members without data in both years, not counted: %s.", e)
	}
	if len(fl.Partial) > 0 {
		z, e := listNames(fl.Partial, 0)
		fmt.Fprintf(&zh, "按全域计入的部分成员：%s。", z)
		fmt.Fprintf(&en, " Partial members counted whole: %s.", e)
	}
	return i18n.T(zh.String(), en.String())
}
