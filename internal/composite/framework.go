package composite

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io"
	"math"
	"reflect"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"

	"agglo/internal/i18n"
)

//go:embed frameworks/*.yaml
var builtinFS embed.FS

// Indicator is a leaf of the framework (level 1).
type Indicator struct {
	Code   string `yaml:"code" json:"code"`
	NameZH string `yaml:"name_zh" json:"name_zh"`
	NameEN string `yaml:"name_en" json:"name_en"`
	Unit   string `yaml:"unit,omitempty" json:"unit,omitempty"`
	// Direction is +1 (higher is better) or -1 (lower is better).
	Direction int     `yaml:"direction" json:"direction"`
	Weight    float64 `yaml:"weight" json:"weight"`
	Parent    string  `yaml:"parent" json:"parent"`
	// Goalposts are [low, high] in the indicator's own units, used by the
	// goalposts normalisation.
	Goalposts []float64 `yaml:"goalposts,omitempty" json:"goalposts,omitempty"`
	// Denominator is the code of a data column the indicator is divided by
	// when the steps denominate (COINr iMeta's Denominator).
	Denominator string `yaml:"denominator,omitempty" json:"denominator,omitempty"`

	line, col int
}

// Aggregate is an inner node of the framework: a group of indicators or of
// lower aggregates, or the index itself (the one aggregate without a parent).
type Aggregate struct {
	Code   string  `yaml:"code" json:"code"`
	NameZH string  `yaml:"name_zh" json:"name_zh"`
	NameEN string  `yaml:"name_en" json:"name_en"`
	Weight float64 `yaml:"weight" json:"weight"`
	Parent string  `yaml:"parent,omitempty" json:"parent,omitempty"`

	line, col int
}

// LevelStep holds the methods used to build level Level (2 = the first
// aggregation, whose children are indicators).
type LevelStep struct {
	Level       int         `yaml:"level" json:"level"`
	Weights     WeightSpec  `yaml:"weights" json:"weights"`
	Aggregation Aggregation `yaml:"aggregation" json:"aggregation"`
}

// Steps are the methods of one run of the index, in the order they apply:
// denomination (each indicator with a denominator divided by it), screening
// of units by data availability, imputation, treatment, normalisation, and
// per aggregation level the weights and the aggregation.
type Steps struct {
	Denominate    bool          `yaml:"denominate,omitempty" json:"denominate,omitempty"`
	Screening     Screening     `yaml:"screening,omitempty" json:"screening"`
	Imputation    Imputation    `yaml:"imputation" json:"imputation"`
	Treatment     Treatment     `yaml:"treatment" json:"treatment"`
	Normalisation Normalisation `yaml:"normalisation" json:"normalisation"`
	// Levels has one entry per aggregation level, Levels[0] for level 2.
	Levels []LevelStep `yaml:"levels" json:"levels"`
}

// Framework is the hierarchy of an index and its default methods.
type Framework struct {
	Code       string      `yaml:"code" json:"code"`
	NameZH     string      `yaml:"name_zh" json:"name_zh"`
	NameEN     string      `yaml:"name_en" json:"name_en"`
	Steps      Steps       `yaml:",inline" json:"steps"`
	Indicators []Indicator `yaml:"indicators" json:"indicators"`
	Aggregates []Aggregate `yaml:"aggregates" json:"aggregates"`

	plan *plan
}

// plan is the compiled hierarchy. Level 0 holds the indicators, level
// len(nodes)-1 the single index node.
type plan struct {
	nodes [][]node
	index map[string][2]int // code -> (level, position)
}

type node struct {
	code     string
	weight   float64
	children []int // positions in the level below
	parent   int   // position in the level above, -1 for the index
}

// Builtin returns a copy of a built-in framework: "cric" or "io".
func Builtin(code string) (*Framework, error) {
	b, err := builtinFS.ReadFile("frameworks/" + code + ".yaml")
	if err != nil {
		return nil, errorf("没有名为 %q 的内置框架(可用: %s)", "no built-in framework %q (available: %s)",
			code, strings.Join(BuiltinCodes(), ", "))
	}
	return ParseFramework(bytes.NewReader(b))
}

// BuiltinCodes lists the codes of the built-in frameworks.
func BuiltinCodes() []string {
	ents, _ := builtinFS.ReadDir("frameworks")
	var out []string
	for _, e := range ents {
		out = append(out, strings.TrimSuffix(e.Name(), ".yaml"))
	}
	sort.Strings(out)
	return out
}

// ParseFramework reads a framework from YAML. Errors are *Error values
// located by line and column.
//
// Format:
//
//	code: io
//	name_zh: 创新投入产出指数
//	name_en: Innovation input-output index
//	normalisation: {method: minmax, lower: 0, upper: 100}
//	levels:
//	  - {level: 2, weights: {method: equal}, aggregation: {method: arithmetic}}
//	indicators:
//	  - {code: rd_personnel, name_zh: R&D人员, name_en: R&D personnel, unit: 人, direction: 1, weight: 1, parent: io_input}
//	aggregates:
//	  - {code: io_input, name_zh: 创新投入, name_en: Innovation input, weight: 1, parent: io_index}
//	  - {code: io_index, name_zh: 创新投入产出指数, name_en: Innovation input-output index}
//
// Omitted weights are 1, omitted directions +1. Omitted steps are: no
// imputation, no treatment, min-max normalisation to [0, 100], framework
// weights and arithmetic aggregation at every level.
func ParseFramework(r io.Reader) (*Framework, error) {
	var doc yaml.Node
	dec := yaml.NewDecoder(r)
	if err := dec.Decode(&doc); err != nil {
		return nil, yamlError(err)
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, errorAt(doc.Line, doc.Column, "框架必须是 YAML 映射", "a framework must be a YAML mapping")
	}
	root := doc.Content[0]
	if err := checkKeys(root, reflect.TypeOf(Framework{}), "framework", "框架"); err != nil {
		return nil, err
	}
	fw := &Framework{}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		var err error
		switch k.Value {
		case "code":
			err = v.Decode(&fw.Code)
		case "name_zh":
			err = v.Decode(&fw.NameZH)
		case "name_en":
			err = v.Decode(&fw.NameEN)
		case "denominate":
			err = v.Decode(&fw.Steps.Denominate)
		case "screening":
			err = decodeStrict(v, &fw.Steps.Screening, "screening", "筛选")
			if err == nil {
				err = locate(fw.Steps.Screening.validate(), v)
			}
		case "imputation":
			err = decodeStrict(v, &fw.Steps.Imputation, "imputation", "插补")
			if err == nil {
				err = locate(fw.Steps.Imputation.validate(), v)
			}
		case "treatment":
			err = decodeStrict(v, &fw.Steps.Treatment, "treatment", "异常值处理")
			if err == nil {
				err = locate(fw.Steps.Treatment.validate(), v)
			}
		case "normalisation":
			err = decodeStrict(v, &fw.Steps.Normalisation, "normalisation", "标准化")
			if err == nil {
				err = locate(fw.Steps.Normalisation.validate(), v)
			}
		case "levels":
			if v.Kind != yaml.SequenceNode {
				return nil, errorAt(v.Line, v.Column, "levels 必须是列表", "levels must be a list")
			}
			for _, it := range v.Content {
				var ls LevelStep
				if err := decodeStrict(it, &ls, "level", "层级"); err != nil {
					return nil, err
				}
				if ls.Level < 2 {
					return nil, errorAt(it.Line, it.Column, "层级编号必须 ≥ 2(1 为指标层)", "level must be ≥ 2 (level 1 holds the indicators)")
				}
				if err := ls.Weights.validate(); err != nil {
					return nil, locate(err, it)
				}
				if err := ls.Aggregation.validate(); err != nil {
					return nil, locate(err, it)
				}
				fw.Steps.Levels = append(fw.Steps.Levels, ls)
			}
		case "indicators":
			if v.Kind != yaml.SequenceNode {
				return nil, errorAt(v.Line, v.Column, "indicators 必须是列表", "indicators must be a list")
			}
			for _, it := range v.Content {
				ind, err := decodeIndicator(it)
				if err != nil {
					return nil, err
				}
				fw.Indicators = append(fw.Indicators, ind)
			}
		case "aggregates":
			if v.Kind != yaml.SequenceNode {
				return nil, errorAt(v.Line, v.Column, "aggregates 必须是列表", "aggregates must be a list")
			}
			for _, it := range v.Content {
				ag, err := decodeAggregate(it)
				if err != nil {
					return nil, err
				}
				fw.Aggregates = append(fw.Aggregates, ag)
			}
		}
		if err != nil {
			return nil, locate(yamlError(err), v)
		}
	}
	if err := fw.Validate(); err != nil {
		return nil, err
	}
	return fw, nil
}

func decodeIndicator(it *yaml.Node) (Indicator, error) {
	type raw struct {
		Code        string    `yaml:"code"`
		NameZH      string    `yaml:"name_zh"`
		NameEN      string    `yaml:"name_en"`
		Unit        string    `yaml:"unit"`
		Direction   *int      `yaml:"direction"`
		Weight      *float64  `yaml:"weight"`
		Parent      string    `yaml:"parent"`
		Goalposts   []float64 `yaml:"goalposts"`
		Denominator string    `yaml:"denominator"`
	}
	var r raw
	if err := decodeStrict(it, &r, "indicator", "指标"); err != nil {
		return Indicator{}, err
	}
	ind := Indicator{Code: r.Code, NameZH: r.NameZH, NameEN: r.NameEN, Unit: r.Unit, Direction: 1, Weight: 1,
		Parent: r.Parent, Goalposts: r.Goalposts, Denominator: r.Denominator, line: it.Line, col: it.Column}
	if r.Direction != nil {
		ind.Direction = *r.Direction
	}
	if r.Weight != nil {
		ind.Weight = *r.Weight
	}
	return ind, nil
}

func decodeAggregate(it *yaml.Node) (Aggregate, error) {
	type raw struct {
		Code   string   `yaml:"code"`
		NameZH string   `yaml:"name_zh"`
		NameEN string   `yaml:"name_en"`
		Weight *float64 `yaml:"weight"`
		Parent string   `yaml:"parent"`
	}
	var r raw
	if err := decodeStrict(it, &r, "aggregate", "聚合项"); err != nil {
		return Aggregate{}, err
	}
	ag := Aggregate{Code: r.Code, NameZH: r.NameZH, NameEN: r.NameEN, Weight: 1, Parent: r.Parent, line: it.Line, col: it.Column}
	if r.Weight != nil {
		ag.Weight = *r.Weight
	}
	return ag, nil
}

// decodeStrict decodes n into v after checking that n's keys are fields of v.
func decodeStrict(n *yaml.Node, v any, what, whatZH string) error {
	if n.Kind != yaml.MappingNode {
		return errorAt(n.Line, n.Column, "%[1]s 必须是映射", "%[2]s must be a mapping", whatZH, what)
	}
	if err := checkKeys(n, reflect.TypeOf(v).Elem(), what, whatZH); err != nil {
		return err
	}
	if err := n.Decode(v); err != nil {
		return locate(yamlError(err), n)
	}
	return nil
}

func checkKeys(n *yaml.Node, t reflect.Type, what, whatZH string) error {
	allowed := map[string]bool{}
	var collect func(t reflect.Type)
	collect = func(t reflect.Type) {
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			tag := f.Tag.Get("yaml")
			name, opts, _ := strings.Cut(tag, ",")
			if strings.Contains(opts, "inline") {
				collect(f.Type)
				continue
			}
			if name == "-" || (name == "" && !f.IsExported()) {
				continue
			}
			if name == "" {
				name = strings.ToLower(f.Name)
			}
			allowed[name] = true
		}
	}
	collect(t)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		if !allowed[k.Value] {
			keys := make([]string, 0, len(allowed))
			for a := range allowed {
				keys = append(keys, a)
			}
			sort.Strings(keys)
			return errorAt(k.Line, k.Column, "%[1]s 中有未知字段 %[2]q(可用: %[3]s)", "unknown field %[2]q in %[4]s (known: %[3]s)",
				whatZH, k.Value, strings.Join(keys, ", "), what)
		}
	}
	return nil
}

func yamlError(err error) error {
	var ce *Error
	if errors.As(err, &ce) {
		return ce
	}
	var te *yaml.TypeError
	if errors.As(err, &te) {
		return errorf("YAML 类型错误: %s", "YAML type error: %s", strings.Join(te.Errors, "; "))
	}
	return errorf("YAML 语法错误: %v", "YAML syntax error: %v", err)
}

func locate(err error, n *yaml.Node) error {
	if err == nil {
		return nil
	}
	var ce *Error
	if errors.As(err, &ce) {
		if ce.Line == 0 {
			c := *ce
			c.Line, c.Column = n.Line, n.Column
			return &c
		}
		return ce
	}
	return err
}

// Validate checks the hierarchy (unique codes, known parents, no cycles, one
// index, children of a group all on the same level, positive finite weights,
// directions ±1) and the method names, and compiles the hierarchy. It is
// called by ParseFramework; call it after building a Framework in code.
func (fw *Framework) Validate() error {
	if len(fw.Indicators) == 0 {
		return errorf("框架没有指标", "the framework has no indicators")
	}
	if len(fw.Aggregates) == 0 {
		return errorf("框架没有聚合项(至少需要指数本身)", "the framework has no aggregates (it needs at least the index itself)")
	}
	seen := map[string]bool{}
	badWeight := func(w float64) bool { return !(w > 0) || math.IsInf(w, 0) }
	for _, in := range fw.Indicators {
		if in.Code == "" {
			return errorAt(in.line, in.col, "指标缺少代码", "an indicator has no code")
		}
		if seen[in.Code] {
			return errorAt(in.line, in.col, "代码 %q 重复", "duplicate code %q", in.Code)
		}
		seen[in.Code] = true
		if in.Direction != 1 && in.Direction != -1 {
			return errorAt(in.line, in.col, "指标 %q 的方向必须是 1 或 -1,而不是 %d", "indicator %q: direction must be 1 or -1, not %d",
				in.Code, in.Direction)
		}
		if badWeight(in.Weight) {
			return errorAt(in.line, in.col, "指标 %q 的权重必须是正的有限数,而不是 %v", "indicator %q: weight must be positive and finite, not %v",
				in.Code, in.Weight)
		}
		if len(in.Goalposts) != 0 && (len(in.Goalposts) != 2 || !(in.Goalposts[1] != in.Goalposts[0])) {
			return errorAt(in.line, in.col, "指标 %q 的 goalposts 必须是两个不同的数 [低, 高]", "indicator %q: goalposts must be two different numbers [low, high]",
				in.Code)
		}
		if in.Parent == "" {
			return errorAt(in.line, in.col, "指标 %q 缺少上级 (parent)", "indicator %q has no parent", in.Code)
		}
	}
	aggs := map[string]*Aggregate{}
	root := ""
	for i := range fw.Aggregates {
		ag := &fw.Aggregates[i]
		if ag.Code == "" {
			return errorAt(ag.line, ag.col, "聚合项缺少代码", "an aggregate has no code")
		}
		if seen[ag.Code] {
			return errorAt(ag.line, ag.col, "代码 %q 重复", "duplicate code %q", ag.Code)
		}
		seen[ag.Code] = true
		aggs[ag.Code] = ag
		if badWeight(ag.Weight) {
			return errorAt(ag.line, ag.col, "聚合项 %q 的权重必须是正的有限数,而不是 %v", "aggregate %q: weight must be positive and finite, not %v",
				ag.Code, ag.Weight)
		}
		if ag.Parent == "" {
			if root != "" {
				return errorAt(ag.line, ag.col, "有两个没有上级的聚合项 %q 和 %q:只能有一个指数", "two aggregates without parent, %q and %q: there must be exactly one index",
					root, ag.Code)
			}
			root = ag.Code
		}
	}
	if root == "" {
		return errorf("没有顶层指数(所有聚合项都有上级,存在循环)", "no index: every aggregate has a parent (the hierarchy has a cycle)")
	}
	for _, in := range fw.Indicators {
		if aggs[in.Parent] == nil {
			return errorAt(in.line, in.col, "指标 %q 的上级 %q 不存在", "indicator %q: unknown parent %q", in.Code, in.Parent)
		}
	}
	// Cycles and reachability: walk each aggregate's parent chain.
	for _, ag := range fw.Aggregates {
		cur, steps := ag, 0
		for cur.Parent != "" {
			p := aggs[cur.Parent]
			if p == nil {
				return errorAt(cur.line, cur.col, "聚合项 %q 的上级 %q 不存在", "aggregate %q: unknown parent %q", cur.Code, cur.Parent)
			}
			cur = *p
			steps++
			if steps > len(fw.Aggregates) {
				return errorAt(ag.line, ag.col, "聚合项 %q 的上级链存在循环", "aggregate %q: the chain of parents has a cycle", ag.Code)
			}
		}
	}
	// Levels: indicators 0; an aggregate is one above its children, which must agree.
	level := map[string]int{}
	for _, in := range fw.Indicators {
		level[in.Code] = 0
	}
	children := map[string][]string{}
	for _, in := range fw.Indicators {
		children[in.Parent] = append(children[in.Parent], in.Code)
	}
	for _, ag := range fw.Aggregates {
		if ag.Parent != "" {
			children[ag.Parent] = append(children[ag.Parent], ag.Code)
		}
	}
	var levelOf func(code string, depth int) (int, error)
	levelOf = func(code string, depth int) (int, error) {
		if l, ok := level[code]; ok {
			return l, nil
		}
		ag := aggs[code]
		ch := children[code]
		if len(ch) == 0 {
			return 0, errorAt(ag.line, ag.col, "聚合项 %q 没有下级", "aggregate %q has no children", code)
		}
		l0 := -1
		for _, c := range ch {
			l, err := levelOf(c, depth+1)
			if err != nil {
				return 0, err
			}
			if l0 >= 0 && l != l0 {
				return 0, errorAt(ag.line, ag.col, "聚合项 %q 的下级不在同一层(%q 在第 %d 层,%q 在第 %d 层)",
					"aggregate %q: children on different levels (%q on level %d, %q on level %d)",
					code, ch[0], l0+1, c, l+1)
			}
			l0 = l
		}
		level[code] = l0 + 1
		return l0 + 1, nil
	}
	top, err := levelOf(root, 0)
	if err != nil {
		return err
	}
	for _, ag := range fw.Aggregates {
		if _, err := levelOf(ag.Code, 0); err != nil {
			return err
		}
	}
	// Build the plan with nodes in declaration order within each level.
	p := &plan{nodes: make([][]node, top+1), index: map[string][2]int{}}
	for _, in := range fw.Indicators {
		p.index[in.Code] = [2]int{0, len(p.nodes[0])}
		p.nodes[0] = append(p.nodes[0], node{code: in.Code, weight: in.Weight, parent: -1})
	}
	for _, ag := range fw.Aggregates {
		l := level[ag.Code]
		p.index[ag.Code] = [2]int{l, len(p.nodes[l])}
		p.nodes[l] = append(p.nodes[l], node{code: ag.Code, weight: ag.Weight, parent: -1})
	}
	for l := 0; l < top; l++ {
		for i := range p.nodes[l] {
			var parent string
			if l == 0 {
				parent = fw.Indicators[i].Parent
			} else {
				parent = aggs[p.nodes[l][i].code].Parent
			}
			pi := p.index[parent]
			p.nodes[l][i].parent = pi[1]
			p.nodes[l+1][pi[1]].children = append(p.nodes[l+1][pi[1]].children, i)
		}
	}
	// Level methods.
	for _, ls := range fw.Steps.Levels {
		if ls.Level > top+1 {
			return errorf("第 %d 层的方法无效:框架只有 %d 层", "methods for level %d, but the framework has only %d levels",
				ls.Level, top+1)
		}
	}
	if err := fw.Steps.validate(); err != nil {
		return err
	}
	// The framework knows every aggregation level: a level the YAML (or
	// COINr's iMeta) does not list takes framework weights and the
	// arithmetic mean.
	levels := make([]LevelStep, 0, top)
	for l := 2; l <= top+1; l++ {
		levels = append(levels, fw.Steps.levelStep(l))
	}
	fw.Steps.Levels = levels
	fw.plan = p
	return nil
}

// NumLevels returns the number of levels, indicators (level 1) to the index.
func (fw *Framework) NumLevels() int { return len(fw.plan.nodes) }

// IndexCode returns the code of the index (the aggregate without parent).
func (fw *Framework) IndexCode() string { return fw.plan.nodes[len(fw.plan.nodes)-1][0].code }

// LevelCodes returns the codes of the nodes at level l (1 = indicators).
func (fw *Framework) LevelCodes(l int) []string {
	out := make([]string, len(fw.plan.nodes[l-1]))
	for i, n := range fw.plan.nodes[l-1] {
		out[i] = n.code
	}
	return out
}

// Children returns the codes of the children of aggregate code.
func (fw *Framework) Children(code string) []string {
	li, ok := fw.plan.index[code]
	if !ok || li[0] == 0 {
		return nil
	}
	var out []string
	for _, c := range fw.plan.nodes[li[0]][li[1]].children {
		out = append(out, fw.plan.nodes[li[0]-1][c].code)
	}
	return out
}

// Name returns the name of any node of the framework in lang ("zh" or "en").
func (fw *Framework) Name(code, lang string) string {
	for _, in := range fw.Indicators {
		if in.Code == code {
			return pick(lang, in.NameZH, in.NameEN, code)
		}
	}
	for _, ag := range fw.Aggregates {
		if ag.Code == code {
			return pick(lang, ag.NameZH, ag.NameEN, code)
		}
	}
	return code
}

// pick is the name in lang (i18n's choice), or fallback when the node has
// no name.
func pick(lang, zh, en, fallback string) string {
	if s := i18n.T(zh, en).In(lang); s != "" {
		return s
	}
	return fallback
}

// levelStep returns the methods for level l (2-based), defaulting to framework
// weights and arithmetic aggregation.
func (s *Steps) levelStep(l int) LevelStep {
	for _, ls := range s.Levels {
		if ls.Level == l {
			if ls.Weights.Method == "" {
				ls.Weights.Method = WeightsFramework
			}
			if ls.Aggregation.Method == "" {
				ls.Aggregation.Method = AggArithmetic
			}
			return ls
		}
	}
	return LevelStep{Level: l, Weights: WeightSpec{Method: WeightsFramework}, Aggregation: Aggregation{Method: AggArithmetic}}
}

// resolved returns a copy of s with defaults filled in and one LevelStep per
// aggregation level of a framework with nLevels levels.
func (s Steps) resolved(nLevels int) Steps {
	out := s
	if out.Imputation.Method == "" {
		out.Imputation.Method = ImputeNone
	}
	if out.Treatment.Method == "" {
		out.Treatment.Method = TreatNone
	}
	out.Treatment = out.Treatment.withDefaults()
	out.Screening = out.Screening.withDefaults()
	if out.Normalisation.Method == "" {
		out.Normalisation = Normalisation{Method: NormMinMax, Lower: 0, Upper: 100}
	}
	out.Normalisation = out.Normalisation.withDefaults()
	out.Levels = make([]LevelStep, 0, nLevels-1)
	for l := 2; l <= nLevels; l++ {
		ls := s.levelStep(l)
		ls.Weights = ls.Weights.withDefaults()
		ls.Aggregation = ls.Aggregation.withDefaults()
		out.Levels = append(out.Levels, ls)
	}
	return out
}

func (s *Steps) validate() error {
	if err := s.Screening.validate(); err != nil {
		return err
	}
	if err := s.Imputation.validate(); err != nil {
		return err
	}
	if err := s.Treatment.validate(); err != nil {
		return err
	}
	if err := s.Normalisation.validate(); err != nil {
		return err
	}
	for _, ls := range s.Levels {
		if err := ls.Weights.validate(); err != nil {
			return err
		}
		if err := ls.Aggregation.validate(); err != nil {
			return err
		}
	}
	return nil
}

func unknownMethod(step, stepZH, m string, known []string) *Error {
	return errorf("%[1]s 方法 %[2]q 未知(可用: %[3]s)", "unknown %[4]s method %[2]q (known: %[3]s)",
		stepZH, m, strings.Join(known, ", "), step)
}

func oneOf(m string, known []string) bool {
	if m == "" {
		return true
	}
	for _, k := range known {
		if k == m {
			return true
		}
	}
	return false
}

var _ = fmt.Sprintf
