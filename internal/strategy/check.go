package strategy

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/expr-lang/expr"

	"agglo/internal/dataset"
	"agglo/internal/diagnose"
	"agglo/internal/i18n"
)

// builtin holds the built-in agglomerations and the catalogue, loaded once
// for rulebook checks.
var builtin struct {
	once  sync.Once
	codes []string
	names map[string]i18n.Text
	cat   *dataset.Catalogue
}

func loadBuiltin() {
	builtin.once.Do(func() {
		builtin.names = map[string]i18n.Text{}
		if reg, err := dataset.LoadRegistry(); err == nil {
			for _, a := range reg.AllAgglomerations() {
				builtin.codes = append(builtin.codes, a.Code)
				builtin.names[a.Code] = i18n.T(a.NameZH, a.NameEN)
			}
		}
		builtin.cat, _ = dataset.LoadCatalogue()
	})
}

// builtinCodes lists the built-in agglomeration codes.
func builtinCodes() []string {
	loadBuiltin()
	return builtin.codes
}

func builtinName(code string) (i18n.Text, bool) {
	loadBuiltin()
	n, ok := builtin.names[code]
	return n, ok
}

func knownAgglomeration(code string) bool { return slices.Contains(builtinCodes(), code) }

// monitorName names an indicator to monitor: a catalogue indicator or a
// diagnosis metric.
func monitorName(code string) (i18n.Text, bool) {
	loadBuiltin()
	if builtin.cat != nil {
		if ind, ok := builtin.cat.Lookup(code); ok {
			return i18n.T(ind.NameZH, ind.NameEN), true
		}
	}
	return diagnose.MetricName(code)
}

// pushesOf converts the older recommend form to pushes.
func pushesOf(m ModeChoice, bad func(i18n.Text)) []Push {
	var out []Push
	switch m.SpatialMode {
	case "":
	case diagnose.CoreLed:
		out = append(out, Push{AxisSpatial, TowardCore})
	case diagnose.MultiPoint:
		out = append(out, Push{AxisSpatial, TowardPeriphery})
	default:
		bad(i18n.Tf("recommend.spatial_mode“%s”无效（可用 core-led、multi-point）", "invalid recommend.spatial_mode %q (use core-led, multi-point)", m.SpatialMode))
	}
	switch m.OpennessMode {
	case "":
	case diagnose.ExternalCooperation:
		out = append(out, Push{AxisOpenness, TowardExternal})
	case diagnose.InternalCreation:
		out = append(out, Push{AxisOpenness, TowardInternal})
	case diagnose.Balanced, diagnose.DomesticCirculation:
		out = append(out, Push{AxisOpenness, TowardDomestic})
	default:
		bad(i18n.Tf("recommend.openness_mode“%s”无效（可用 external-cooperation、internal-creation、domestic-circulation）", "invalid recommend.openness_mode %q (use external-cooperation, internal-creation, domestic-circulation)", m.OpennessMode))
	}
	return out
}

func validPush(p Push) bool {
	switch p.Axis {
	case AxisSpatial:
		return p.Toward == TowardCore || p.Toward == TowardPeriphery
	case AxisOpenness:
		return p.Toward == TowardExternal || p.Toward == TowardInternal || p.Toward == TowardDomestic
	}
	return false
}

// PushName names a push in both languages, e.g. 空间：向核心城市集中.
func PushName(p Push) i18n.Text {
	switch p.Toward {
	case TowardCore:
		return i18n.T("空间上向核心城市集中", "spatially toward the cores")
	case TowardPeriphery:
		return i18n.T("空间上向周边城市扩散", "spatially toward the other members")
	case TowardExternal:
		return i18n.T("开放上面向外部合作", "toward external cooperation")
	case TowardInternal:
		return i18n.T("开放上依靠内部创造", "toward internal creation")
	case TowardDomestic:
		return i18n.T("开放上以国内循环为主", "toward the domestic circulation")
	}
	return i18n.T(p.Axis+"/"+p.Toward, p.Axis+"/"+p.Toward)
}

// AxisName names a push axis.
func AxisName(axis string) i18n.Text {
	if axis == AxisSpatial {
		return i18n.T("空间结构", "spatial structure")
	}
	return i18n.T("开放方向", "openness")
}

// Contradiction is a pair of rules that can fire together for one
// agglomeration and push one axis in opposite directions, with an example
// of facts under which both fire and the rule the priorities choose.
type Contradiction struct {
	Axis    string      `json:"axis"`
	Rule    string      `json:"rule"`
	Toward  string      `json:"toward"`
	Other   string      `json:"other"`
	OtherTo string      `json:"other_toward"`
	Winner  string      `json:"winner,omitempty"` // "" when the priorities tie
	Example []FactValue `json:"example"`
	// Proven is false when the facts had too many combinations to try and
	// the pair was assumed able to fire together.
	Proven bool      `json:"proven"`
	Text   i18n.Text `json:"text"`
}

// contradictions finds every pair of rules with opposite pushes that can
// fire together (by enumerating the finite domains of the facts both
// conditions read). A pair with the same priority is an error: the engine
// could not choose. Other pairs are notes, resolved by priority.
func contradictions(rb *Rulebook, domains map[string]factDomain, add func(int, int, string, i18n.Text), note func(int, string, i18n.Text)) {
	rb.Contradictions = []Contradiction{}
	for i := range rb.Rules {
		for j := i + 1; j < len(rb.Rules); j++ {
			a, b := &rb.Rules[i], &rb.Rules[j]
			for _, p := range a.Pushes {
				for _, q := range b.Pushes {
					if !opposite(p, q) {
						continue
					}
					example, proven, possible := coFire(a, b, domains)
					if !possible {
						continue
					}
					c := Contradiction{Axis: p.Axis, Rule: a.ID, Toward: p.Toward, Other: b.ID, OtherTo: q.Toward, Example: example, Proven: proven}
					exZH, exEN := examplesText(example)
					head := i18n.T(fmt.Sprintf("规则“%s”与“%s”可以同时触发（例如%s），却分别推动%s与%s", a.Title.ZH, b.Title.ZH, exZH, PushName(p).ZH, PushName(q).ZH),
						fmt.Sprintf("rules %s and %s can fire together (for example when %s) and push %s and %s", a.ID, b.ID, exEN, PushName(p).EN, PushName(q).EN))
					switch {
					case a.Priority == b.Priority:
						c.Text = i18n.T(head.ZH+"，且优先级相同（均为 "+fmt.Sprint(a.Priority)+"）：请改变其中一条的优先级或使条件互斥",
							head.EN+", with the same priority ("+fmt.Sprint(a.Priority)+"): change one priority or make the conditions exclusive")
						add(b.Line, 0, b.ID, c.Text)
					default:
						win, lose := a, b
						if b.Priority < a.Priority {
							win, lose = b, a
						}
						c.Winner = win.ID
						c.Text = i18n.T(fmt.Sprintf("%s；按优先级（%d 优先于 %d）采用“%s”，“%s”列为备选", head.ZH, win.Priority, lose.Priority, win.Title.ZH, lose.Title.ZH),
							fmt.Sprintf("%s; by priority (%d before %d) %s is chosen and %s shown as the alternative", head.EN, win.Priority, lose.Priority, win.ID, lose.ID))
						note(lose.Line, lose.ID, c.Text)
					}
					rb.Contradictions = append(rb.Contradictions, c)
				}
			}
		}
	}
}

// coFire looks for facts under which both rules fire.
func coFire(a, b *Rule, domains map[string]factDomain) (example []FactValue, proven, possible bool) {
	if a.program == nil || b.program == nil {
		return nil, false, false
	}
	var fs []string
	for _, f := range append(append([]string{}, a.facts...), b.facts...) {
		if !slices.Contains(fs, f) {
			fs = append(fs, f)
		}
	}
	sort.Strings(fs)
	total := 1
	for _, f := range fs {
		total *= len(domains[f].values)
		if total > maxEnumeration {
			return nil, false, true
		}
	}
	facts := Facts{}
	idx := make([]int, len(fs))
	for range total {
		for k, f := range fs {
			domains[f].set(&facts, domains[f].values[idx[k]])
		}
		if fires(a, facts) && fires(b, facts) {
			for k, f := range fs {
				v := domains[f].values[idx[k]]
				example = append(example, FactValue{Fact: f, Value: valueText(v), Text: factText(f, v)})
			}
			return example, true, true
		}
		for k := range idx {
			idx[k]++
			if idx[k] < len(domains[fs[k]].values) {
				break
			}
			idx[k] = 0
		}
	}
	return nil, true, false
}

func fires(r *Rule, f Facts) bool {
	out, err := expr.Run(r.program, f)
	b, ok := out.(bool)
	return err == nil && ok && b
}

// factText says a fact and its value, e.g. 情景中的国际环境：动荡.
func factText(fact string, v any) i18n.Text {
	n, val := FactName(fact), ValueName(fact, v)
	return i18n.T(n.ZH+"："+val.ZH, n.EN+": "+val.EN)
}

func examplesText(ex []FactValue) (string, string) {
	var z, e []string
	for _, f := range ex {
		z = append(z, f.Text.ZH)
		e = append(e, f.Text.EN)
	}
	return strings.Join(z, "，"), strings.Join(e, "; ")
}
