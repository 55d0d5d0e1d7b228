// Package strategy chooses innovation strategies for diagnosed
// agglomerations with a rulebook: rules whose conditions (expr-lang/expr)
// read the diagnosis and the scenario and whose recommendations carry
// measures, rationale and source. The default rulebook (rulebook.yaml)
// encodes the paper's Figure 5 and the five strategies of its section IV;
// users replace it with their own file.
package strategy

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/file"
	"github.com/expr-lang/expr/vm"
	"gopkg.in/yaml.v3"

	"agglo/internal/i18n"
)

//go:embed rulebook.yaml
var defaultRulebook []byte

// DefaultRulebookYAML returns the embedded rulebook, a starting point for
// --rules.
func DefaultRulebookYAML() []byte { return bytes.Clone(defaultRulebook) }

// Monitor names an indicator that shows a measure working and the
// direction it should move: up, down or stable. Indicator is a catalogue
// indicator or a diagnosis metric (diagnose.MetricIDs).
type Monitor struct {
	Indicator string    `yaml:"indicator" json:"indicator"`
	Direction string    `yaml:"direction" json:"direction"`
	Name      i18n.Text `yaml:"-" json:"name"`
}

// Monitor directions.
const (
	Up          = "up"
	Down        = "down"
	StableTrend = "stable"
)

// Measure is one concrete measure; Only restricts it to the named
// agglomerations and When (an expr condition over the same facts as the
// rule's) to the agglomerations where it holds; Monitor names the
// indicators that would show it working.
type Measure struct {
	ZH      string    `yaml:"zh" json:"zh"`
	EN      string    `yaml:"en" json:"en"`
	Only    []string  `yaml:"only,omitempty" json:"only,omitempty"`
	When    string    `yaml:"when,omitempty" json:"when,omitempty"`
	Monitor []Monitor `yaml:"monitor,omitempty" json:"monitor,omitempty"`

	program *vm.Program
}

// ModeChoice is the mode a rule selects (the older form of Pushes, still
// accepted: core-led → spatial core, multi-point → spatial periphery,
// external-cooperation → openness external, internal-creation → openness
// internal).
type ModeChoice struct {
	SpatialMode  string `yaml:"spatial_mode,omitempty" json:"spatial_mode,omitempty"`
	OpennessMode string `yaml:"openness_mode,omitempty" json:"openness_mode,omitempty"`
}

// Axes and directions a rule can push an agglomeration toward.
const (
	AxisSpatial  = "spatial"
	AxisOpenness = "openness"

	TowardCore      = "core"      // concentrate in the core cities
	TowardPeriphery = "periphery" // steer resources to the other members
	TowardExternal  = "external"  // open to cooperation outside the region and abroad
	TowardInternal  = "internal"  // the region's own knowledge creation
	TowardDomestic  = "domestic"  // domestic circulation first, international supplementary
)

// Push is the direction a rule pushes one axis.
type Push struct {
	Axis   string `yaml:"axis" json:"axis"`
	Toward string `yaml:"toward" json:"toward"`
}

// opposite reports whether two directions of one axis contradict each
// other: core and periphery; external and internal; external and domestic.
func opposite(a, b Push) bool {
	if a.Axis != b.Axis {
		return false
	}
	pair := map[[2]string]bool{
		{TowardCore, TowardPeriphery}: true, {TowardExternal, TowardInternal}: true, {TowardExternal, TowardDomestic}: true,
	}
	return pair[[2]string{a.Toward, b.Toward}] || pair[[2]string{b.Toward, a.Toward}]
}

// Rule is one rule of a rulebook. Pushes declare the axes and directions
// the rule pushes toward; the engine never recommends two rules that push
// one axis in opposite directions for one agglomeration (see Recommend).
type Rule struct {
	ID        string     `yaml:"id" json:"id"`
	When      string     `yaml:"when" json:"when"`
	Recommend ModeChoice `yaml:"recommend,omitempty" json:"recommend"`
	Pushes    []Push     `yaml:"pushes,omitempty" json:"pushes"`
	Priority  int        `yaml:"priority" json:"priority"`
	Title     i18n.Text  `yaml:"title" json:"title"`
	Measures  []Measure  `yaml:"measures" json:"measures"`
	Rationale i18n.Text  `yaml:"rationale" json:"rationale"`
	Source    string     `yaml:"source" json:"source"`
	// Line is the rule's line in its file.
	Line int `yaml:"-" json:"line"`

	program *vm.Program
	facts   []string // leaf facts the condition reads, sorted
}

// Rulebook is a parsed, checked set of rules. Notes are what a check found
// that does not stop the rulebook from working: contradictions the
// priorities resolve, measures without indicators to monitor, measures
// restricted to agglomerations that are not built in.
type Rulebook struct {
	Name  string `yaml:"name" json:"name"`
	Rules []Rule `yaml:"rules" json:"rules"`
	// File is where the rulebook was read from.
	File  string  `yaml:"-" json:"file"`
	Notes []Issue `yaml:"-" json:"notes"`
	// Contradictions are the pairs of rules that can push one axis in
	// opposite directions for one agglomeration, with the rule the
	// priorities choose.
	Contradictions []Contradiction `yaml:"-" json:"contradictions"`
}

// Issue is one located problem of a rulebook.
type Issue struct {
	File    string    `json:"file"`
	Line    int       `json:"line"`
	Column  int       `json:"column,omitempty"`
	Rule    string    `json:"rule,omitempty"`
	Message i18n.Text `json:"message"`
}

func (is Issue) text(lang string) string {
	loc := fmt.Sprintf("%s:%d", is.File, is.Line)
	if is.Column > 0 {
		loc += fmt.Sprintf(":%d", is.Column)
	}
	if is.Rule != "" {
		loc += fmt.Sprintf(": %s", is.Rule)
	}
	return loc + ": " + is.Message.In(lang)
}

// RulebookError lists every issue found in a rulebook.
type RulebookError struct {
	Issues []Issue
}

func (e *RulebookError) Error() string { return e.Localized(i18n.EN) }

// Localized implements i18n.Localizer.
func (e *RulebookError) Localized(lang string) string {
	lines := make([]string, len(e.Issues))
	for i, is := range e.Issues {
		lines[i] = is.text(lang)
	}
	return strings.Join(lines, "\n")
}

// DefaultRulebook parses the embedded rulebook.
func DefaultRulebook() (*Rulebook, error) {
	return ParseRulebook(defaultRulebook, "rulebook.yaml (embedded)")
}

// maxEnumeration bounds the combinations tried when proving that a rule
// can fire.
const maxEnumeration = 1 << 16

// ParseRulebook reads and checks a rulebook. Any issue (YAML syntax,
// unknown field or fact, condition syntax, a rule that can never fire,
// missing text) makes it fail with a *RulebookError listing all of them
// with line numbers. It never panics on bad input.
func ParseRulebook(b []byte, name string) (rb *Rulebook, err error) {
	defer func() {
		if r := recover(); r != nil {
			rb, err = nil, &RulebookError{Issues: []Issue{{File: name, Line: 1, Message: i18n.Tf("无法解析规则库：%v", "cannot parse the rulebook: %v", r)}}}
		}
	}()
	var issues, notes []Issue
	add := func(line, col int, rule string, msg i18n.Text) {
		issues = append(issues, Issue{File: name, Line: line, Column: col, Rule: rule, Message: msg})
	}
	note := func(line int, rule string, msg i18n.Text) {
		notes = append(notes, Issue{File: name, Line: line, Rule: rule, Message: msg})
	}
	var root yaml.Node
	if err := yaml.Unmarshal(b, &root); err != nil {
		add(yamlLine(err), 0, "", i18n.Tf("YAML 语法错误：%v", "YAML syntax error: %v", err))
		return nil, &RulebookError{issues}
	}
	rb = &Rulebook{File: name}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(rb); err != nil {
		var te *yaml.TypeError
		if errors.As(err, &te) {
			for _, e := range te.Errors {
				add(yamlLine(errors.New(e)), 0, "", i18n.Tf("结构错误：%s", "structure error: %s", e))
			}
		} else {
			add(yamlLine(err), 0, "", i18n.Tf("无法读取：%v", "cannot read: %v", err))
		}
		return nil, &RulebookError{issues}
	}
	ruleNodes, whenNodes := locateRules(&root)
	if len(rb.Rules) == 0 {
		add(1, 0, "", i18n.T("规则库没有规则（rules 为空）", "the rulebook has no rules (rules is empty)"))
	}
	seen := map[string]int{}
	domains := factDomains()
	for i := range rb.Rules {
		r := &rb.Rules[i]
		line, whenLine := 1, 1
		if i < len(ruleNodes) {
			line = ruleNodes[i].Line
			whenLine = line
		}
		if i < len(whenNodes) && whenNodes[i] != nil {
			whenLine = whenNodes[i].Line
			if whenNodes[i].Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
				whenLine++
			}
		}
		r.Line = line
		id := r.ID
		switch {
		case id == "":
			add(line, 0, "", i18n.T("规则缺少 id", "rule has no id"))
		case seen[id] > 0:
			add(line, 0, id, i18n.Tf("id 与第 %d 行的规则重复", "duplicate id (first at line %d)", seen[id]))
		default:
			seen[id] = line
		}
		if r.Title.ZH == "" || r.Title.EN == "" {
			add(line, 0, id, i18n.T("title 需要 zh 和 en", "title needs zh and en"))
		}
		if r.Rationale.ZH == "" || r.Rationale.EN == "" {
			add(line, 0, id, i18n.T("rationale 需要 zh 和 en", "rationale needs zh and en"))
		}
		if r.Source == "" {
			add(line, 0, id, i18n.T("缺少 source（出处）", "source is missing"))
		}
		if r.Priority < 1 || r.Priority > 9 {
			add(line, 0, id, i18n.Tf("priority 须在 1–9 之间（收到 %d）", "priority must be 1-9 (got %d)", r.Priority))
		}
		r.Pushes = append(r.Pushes, pushesOf(r.Recommend, func(msg i18n.Text) { add(line, 0, id, msg) })...)
		if len(r.Measures) == 0 && len(r.Pushes) == 0 {
			add(line, 0, id, i18n.T("规则既无措施也无推动方向", "rule has neither measures nor a direction it pushes"))
		}
		for _, p := range r.Pushes {
			if !validPush(p) {
				add(line, 0, id, i18n.Tf("推动方向 %s/%s 无效（空间：core 核心、periphery 外围；开放：external 外部、internal 内部、domestic 国内循环）",
					"invalid push %s/%s (spatial: core, periphery; openness: external, internal, domestic)", p.Axis, p.Toward))
			}
		}
		for k := range r.Measures {
			m := &r.Measures[k]
			if m.ZH == "" || m.EN == "" {
				add(line, 0, id, i18n.Tf("第 %d 条措施需要中英文", "measure %d needs zh and en", k+1))
			}
			for _, c := range m.Only {
				if !knownAgglomeration(c) {
					note(line, id, i18n.Tf("第 %d 条措施只用于“%s”，它不是内置的城市群代码（用户定义的城市群可以）", "measure %d is only for %q, which is not a built-in agglomeration code (a user-defined one may be)", k+1, c))
				}
			}
			if strings.TrimSpace(m.When) != "" {
				prog, err := expr.Compile(m.When, expr.Env(Facts{}), expr.AsBool())
				if err != nil {
					add(line, 0, id, i18n.Tf("第 %d 条措施的条件错误：%s", "measure %d: condition error: %s", k+1, firstLine(err.Error())))
				} else {
					m.program = prog
				}
			}
			if len(m.Monitor) == 0 {
				note(line, id, i18n.Tf("第 %d 条措施没有写明监测指标", "measure %d names no indicator to monitor", k+1))
			}
			for j := range m.Monitor {
				mo := &m.Monitor[j]
				name, ok := monitorName(mo.Indicator)
				if !ok {
					add(line, 0, id, i18n.Tf("第 %d 条措施的监测指标“%s”未知（应为指标目录或诊断中的指标代码）", "measure %d: unknown indicator %q to monitor (use a catalogue indicator or a diagnosis metric)", k+1, mo.Indicator))
				}
				mo.Name = name
				if mo.Direction != Up && mo.Direction != Down && mo.Direction != StableTrend {
					add(line, 0, id, i18n.Tf("第 %d 条措施的监测方向“%s”无效（可用 up 上升、down 下降、stable 稳定）", "measure %d: invalid direction %q (use up, down or stable)", k+1, mo.Direction))
				}
			}
		}
		if strings.TrimSpace(r.When) == "" {
			add(whenLine, 0, id, i18n.T("缺少条件 when", "the condition when is missing"))
			continue
		}
		prog, err := expr.Compile(r.When, expr.Env(Facts{}), expr.AsBool())
		if err != nil {
			l, c := whenLine, 0
			var fe *file.Error
			if errors.As(err, &fe) {
				l += max(fe.Line-1, 0)
				c = fe.Column + 1
			}
			add(l, c, id, i18n.Tf("条件错误（未知事实或语法）：%s", "condition error (unknown fact or syntax): %s", firstLine(err.Error())))
			continue
		}
		r.program = prog
		r.facts = referencedFacts(prog.Node(), domains)
		fires, complete := canFire(r, domains)
		if !fires && complete {
			add(whenLine, 0, id, i18n.Tf("规则永远不会触发（已穷举 %s 的全部取值）；检查字符串取值是否拼写正确", "the rule can never fire (all values of %s tried); check the spelling of string values", strings.Join(r.facts, ", ")))
		}
	}
	if len(issues) == 0 {
		contradictions(rb, domains, add, note)
	}
	if len(issues) > 0 {
		sort.SliceStable(issues, func(i, j int) bool { return issues[i].Line < issues[j].Line })
		return nil, &RulebookError{issues}
	}
	rb.Notes = notes
	if rb.Notes == nil {
		rb.Notes = []Issue{}
	}
	return rb, nil
}

// CheckRulebook returns the issues of a rulebook (none when it is valid).
func CheckRulebook(b []byte, name string) ([]Issue, *Rulebook) {
	rb, err := ParseRulebook(b, name)
	var re *RulebookError
	if errors.As(err, &re) {
		return re.Issues, nil
	}
	return nil, rb
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return s
}

// yamlLine extracts "line N" from a yaml.v3 error message.
func yamlLine(err error) int {
	s := err.Error()
	if i := strings.Index(s, "line "); i >= 0 {
		n := 0
		for _, c := range s[i+5:] {
			if c < '0' || c > '9' {
				break
			}
			n = n*10 + int(c-'0')
			if n > 1<<24 {
				break
			}
		}
		if n > 0 {
			return n
		}
	}
	return 1
}

// locateRules returns the node of each rule and of its when value.
func locateRules(root *yaml.Node) (rules, whens []*yaml.Node) {
	if root.Kind != yaml.DocumentNode || len(root.Content) == 0 {
		return nil, nil
	}
	m := root.Content[0]
	if m.Kind != yaml.MappingNode {
		return nil, nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value != "rules" || m.Content[i+1].Kind != yaml.SequenceNode {
			continue
		}
		for _, rn := range m.Content[i+1].Content {
			rules = append(rules, rn)
			var when *yaml.Node
			if rn.Kind == yaml.MappingNode {
				for j := 0; j+1 < len(rn.Content); j += 2 {
					if rn.Content[j].Value == "when" {
						when = rn.Content[j+1]
					}
				}
			}
			whens = append(whens, when)
		}
	}
	return rules, whens
}

// referencedFacts lists the leaf facts a compiled condition reads.
func referencedFacts(node ast.Node, domains map[string]factDomain) []string {
	v := &factVisitor{seen: map[string]bool{}}
	ast.Walk(&node, v)
	var out []string
	for p := range v.seen {
		if _, ok := domains[p]; ok {
			out = append(out, p)
		}
	}
	sort.Strings(out)
	return out
}

type factVisitor struct{ seen map[string]bool }

func (v *factVisitor) Visit(n *ast.Node) {
	if p, ok := path(*n); ok {
		v.seen[p] = true
	}
}

func path(n ast.Node) (string, bool) {
	switch x := n.(type) {
	case *ast.IdentifierNode:
		return x.Value, true
	case *ast.MemberNode:
		base, ok := path(x.Node)
		if !ok {
			return "", false
		}
		if s, ok := x.Property.(*ast.StringNode); ok {
			return base + "." + s.Value, true
		}
	}
	return "", false
}

// canFire tries every combination of the values of the facts the
// condition reads; complete is false when there are too many to try.
func canFire(r *Rule, domains map[string]factDomain) (fires, complete bool) {
	total := 1
	for _, f := range r.facts {
		total *= len(domains[f].values)
		if total > maxEnumeration {
			return true, false
		}
	}
	facts := Facts{}
	idx := make([]int, len(r.facts))
	for range total {
		for k, f := range r.facts {
			domains[f].set(&facts, domains[f].values[idx[k]])
		}
		out, err := expr.Run(r.program, facts)
		if err == nil {
			if b, ok := out.(bool); ok && b {
				return true, true
			}
		}
		for k := range idx {
			idx[k]++
			if idx[k] < len(domains[r.facts[k]].values) {
				break
			}
			idx[k] = 0
		}
	}
	return false, true
}
