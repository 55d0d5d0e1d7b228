package dataset

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"agglo/internal/i18n"
)

// AgglomerationSet is a user-defined set of agglomerations read by
// ReadAgglomerations, ready for Registry.WithAgglomerations. Each
// agglomeration is a Region of level LevelAgglomeration with its member
// cities (Members, with Partial and Core), the province members derived
// from them, and Agglomeration info marked UserDefined.
type AgglomerationSet struct {
	File           string
	Agglomerations []Region
	// codeAt is where the code of each agglomeration is first given (row
	// of a CSV file or line of a YAML file, column and its header), for
	// errors found later.
	codeAt map[string]fieldAt
}

// fieldAt locates a field of a user's file: its row (or line), column
// (0 in YAML) and the column's header or the field's key.
type fieldAt struct {
	row, col int
	header   string
}

// Codes returns the codes of the set's agglomerations in file order.
func (s *AgglomerationSet) Codes() []string {
	out := make([]string, len(s.Agglomerations))
	for i, a := range s.Agglomerations {
		out[i] = a.Code
	}
	return out
}

// maxAgglomerationFile bounds the size of a membership file.
const maxAgglomerationFile = 4 << 20

// agglomerationCode is the form of a user agglomeration code: a letter,
// then letters, digits, '-' or '_', at most 16 characters.
var agglomerationCode = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_-]{0,15}$`)

// ReadAgglomerations reads a user-defined set of agglomerations from r,
// a CSV or YAML file (by the extension of name: .yaml or .yml is YAML,
// anything else CSV unless the content starts like YAML). reg resolves the
// members, given by GB/T 2260 code or by name (Chinese or English, with or
// without suffix: 南京, 南京市, Nanjing). Members must be prefecture-level
// cities, municipalities or directly administered county-level units.
//
// CSV: one row per member, with a header. Columns (English or Chinese
// headers): code (城市群代码), name_zh (城市群), name_en (英文名), member
// (成员; a code or a name; the built-in file's adcode or city_zh columns
// work too), partial (部分), core (核心), and optionally plan (规划),
// plan_year (规划年份), tier (层级), note (备注), source (来源). The
// agglomeration's fields are taken from its first row; later rows may
// leave them empty but must not contradict them.
//
// YAML: a list (or a map with key agglomerations) of entries with code,
// name_zh, name_en, plan, plan_year, tier, note, source, members (each a
// code, a name, or a map with member, partial, core, note, source) and
// cores (codes or names of members that are designated cores).
//
// Every problem (unknown or ambiguous member, duplicate member, bad code,
// missing name, bad boolean, a core that is not a member) is reported with
// its file, row or line, column or field and what to do, in Chinese and
// English, as an *ImportError; nothing is returned then.
func ReadAgglomerations(r io.Reader, name string, reg *Registry) (*AgglomerationSet, error) {
	if reg == nil {
		return nil, i18n.Errorf("读取城市群集合需要区划库", "reading an agglomeration set needs a region registry")
	}
	b, err := io.ReadAll(io.LimitReader(r, maxAgglomerationFile+1))
	if err != nil {
		return nil, &ImportError{File: name, Issues: []Issue{{File: name, Text: errorWithDetail(err, "无法读取", "cannot read").Text}}}
	}
	if len(b) > maxAgglomerationFile {
		return nil, &ImportError{File: name, Issues: []Issue{{File: name, Text: i18n.Tf("文件超过 %d MB", "the file is larger than %d MB", maxAgglomerationFile>>20)}}}
	}
	lower := strings.ToLower(name)
	isYAML := strings.HasSuffix(lower, ".yaml") || strings.HasSuffix(lower, ".yml")
	if !isYAML && !strings.HasSuffix(lower, ".csv") {
		t := strings.TrimSpace(string(bytes.TrimPrefix(b, []byte{0xEF, 0xBB, 0xBF})))
		isYAML = strings.HasPrefix(t, "-") || strings.HasPrefix(t, "agglomerations:") || strings.HasPrefix(t, "code:")
	}
	p := &setParser{reg: reg, file: name, set: &AgglomerationSet{File: name, codeAt: map[string]fieldAt{}}, byCode: map[string]*Region{}}
	if isYAML {
		p.readYAML(b)
	} else {
		p.readCSV(b)
	}
	p.finish()
	if err := p.errs.err(name); err != nil {
		return nil, err
	}
	return p.set, nil
}

// setParser collects a set and the issues found on the way.
type setParser struct {
	reg    *Registry
	file   string
	set    *AgglomerationSet
	byCode map[string]*Region
	order  []string
	errs   issues
	// cores names cores given apart from the members (YAML cores:), with
	// their line, checked once all members are read.
	cores []pendingCore
}

type pendingCore struct {
	agg, member string
	row         int
}

func (p *setParser) issue(row, col int, column string, t i18n.Text) {
	p.errs.add(Issue{File: p.file, Row: row, Col: col, Column: column, Text: t})
}

// header aliases of the CSV columns, folded by headerKey.
var setColumns = map[string][]string{
	"code":      {"code", "agglomeration_code", "城市群代码", "代码"},
	"name_zh":   {"name_zh", "agglomeration_zh", "城市群", "城市群名称", "名称", "中文名"},
	"name_en":   {"name_en", "agglomeration_en", "英文名", "英文名称"},
	"member":    {"member", "member_code", "adcode", "成员", "成员代码", "城市代码"},
	"member_nm": {"member_name", "city", "city_zh", "城市", "成员名称", "地区"},
	"partial":   {"partial", "部分", "部分成员"},
	"core":      {"core", "核心", "核心城市"},
	"plan":      {"plan", "plan_zh", "规划"},
	"plan_year": {"plan_year", "规划年份"},
	"tier":      {"tier", "level", "层级"},
	"note":      {"note", "备注", "说明"},
	"source":    {"source", "source_url", "来源"},
}

// agglomeration fields taken from an entry.
type aggFields struct {
	code, nameZH, nameEN, plan, planYear, tier, note, source string
}

func (p *setParser) readCSV(b []byte) {
	text, _, err := decodeText(bytes.NewReader(b))
	if err != nil {
		var loc i18n.Localizer
		if errors.As(err, &loc) {
			p.issue(0, 0, "", i18n.T(loc.Localized(i18n.ZH), loc.Localized(i18n.EN)))
		} else {
			p.issue(0, 0, "", errorWithDetail(err, "无法读取", "cannot read").Text)
		}
		return
	}
	cr := csv.NewReader(text)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		p.issue(1, 0, "", i18n.T("读不到表头行", "cannot read the header row"))
		return
	}
	idx := map[string]int{}
	for i, h := range header {
		k := headerKey(strings.TrimPrefix(h, "\uFEFF"))
		for field, aliases := range setColumns {
			for _, a := range aliases {
				if headerKey(a) == k {
					if _, dup := idx[field]; dup {
						p.issue(1, i+1, h, i18n.Tf("列“%s”重复", "column %q appears twice", h))
					}
					idx[field] = i
				}
			}
		}
	}
	_, hasMember := idx["member"]
	_, hasName := idx["member_nm"]
	if _, ok := idx["code"]; !ok || (!hasMember && !hasName) {
		p.issue(1, 0, "", i18n.T("表头须有城市群代码列（code 或 城市群代码）和成员列（member 或 成员）",
			"the header needs an agglomeration code column (code or 城市群代码) and a member column (member or 成员)"))
		return
	}
	get := func(rec []string, field string) (string, int, string) {
		i, ok := idx[field]
		if !ok || i >= len(rec) {
			return "", 0, ""
		}
		return strings.TrimSpace(rec[i]), i + 1, header[i]
	}
	row := 1
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		row++
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				p.issue(pe.Line, 0, "", (&csvSyntaxError{line: pe.Line, col: pe.Column, err: pe.Err}).text())
				return
			}
			p.issue(row, 0, "", i18n.Tf("CSV 格式错误：%v", "CSV syntax error: %v", err))
			return
		}
		if blankRecord(rec) {
			continue
		}
		f := aggFields{}
		var col int
		var hdr string
		f.code, col, hdr = get(rec, "code")
		f.nameZH, _, _ = get(rec, "name_zh")
		f.nameEN, _, _ = get(rec, "name_en")
		f.plan, _, _ = get(rec, "plan")
		f.planYear, _, _ = get(rec, "plan_year")
		f.tier, _, _ = get(rec, "tier")
		a := p.agglomeration(f, row, col, hdr, csvLocator(row, idx, header))
		if a == nil {
			continue
		}
		memberText, mcol, mhdr := get(rec, "member")
		if memberText == "" {
			memberText, mcol, mhdr = get(rec, "member_nm")
		}
		partialText, pcol, phdr := get(rec, "partial")
		coreText, ccol, chdr := get(rec, "core")
		note, _, _ := get(rec, "note")
		source, _, _ := get(rec, "source")
		partial, ok1 := parseBool(partialText)
		if !ok1 {
			p.issue(row, pcol, phdr, badBool(partialText))
		}
		core, ok2 := parseBool(coreText)
		if !ok2 {
			p.issue(row, ccol, chdr, badBool(coreText))
		}
		p.addMember(a, memberText, partial, core, note, source, row, mcol, mhdr)
	}
}

// locator places an agglomeration field in the file: row (or YAML line),
// column (0 for YAML) and header or field name.
type locator func(field string) (row, col int, header string)

// csvLocator locates the fields of one CSV row.
func csvLocator(row int, idx map[string]int, header []string) locator {
	return func(field string) (int, int, string) {
		if i, ok := idx[field]; ok {
			return row, i + 1, header[i]
		}
		return row, 0, field
	}
}

func blankRecord(rec []string) bool {
	for _, c := range rec {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// yamlEntry is one agglomeration of a YAML file.
type yamlEntry struct {
	Code     string      `yaml:"code"`
	NameZH   string      `yaml:"name_zh"`
	NameEN   string      `yaml:"name_en"`
	Plan     string      `yaml:"plan"`
	PlanYear string      `yaml:"plan_year"`
	Tier     string      `yaml:"tier"`
	Note     string      `yaml:"note"`
	Source   string      `yaml:"source"`
	Members  []yaml.Node `yaml:"members"`
	Cores    []yaml.Node `yaml:"cores"`
}

// yamlMember is a member written as a map.
type yamlMember struct {
	Member  string `yaml:"member"`
	Code    string `yaml:"code"`
	Name    string `yaml:"name"`
	Partial *bool  `yaml:"partial"`
	Core    *bool  `yaml:"core"`
	Note    string `yaml:"note"`
	Source  string `yaml:"source"`
}

func (p *setParser) readYAML(b []byte) {
	var root yaml.Node
	if err := yaml.Unmarshal(b, &root); err != nil {
		p.issue(yamlErrorLine(err, 1), 0, "", i18n.T("YAML 语法错误", "YAML syntax error: "+err.Error()))
		return
	}
	if root.Kind != yaml.DocumentNode || len(root.Content) == 0 {
		p.issue(1, 0, "", i18n.T("文件为空", "the file is empty"))
		return
	}
	list := root.Content[0]
	if list.Kind == yaml.MappingNode {
		var found *yaml.Node
		for i := 0; i+1 < len(list.Content); i += 2 {
			if list.Content[i].Value == "agglomerations" {
				found = list.Content[i+1]
			} else {
				p.issue(list.Content[i].Line, 0, list.Content[i].Value, i18n.Tf("未知字段“%s”（顶层只能有 agglomerations）", "unknown field %q (the top level has only agglomerations)", list.Content[i].Value))
			}
		}
		if found == nil {
			p.issue(list.Line, 0, "agglomerations", i18n.T("缺少 agglomerations 列表", "the agglomerations list is missing"))
			return
		}
		list = found
	}
	if list.Kind != yaml.SequenceNode {
		p.issue(list.Line, 0, "", i18n.T("应为城市群列表（每项含 code、name_zh、members）", "expected a list of agglomerations (each with code, name_zh, members)"))
		return
	}
	for i, node := range list.Content {
		var e yamlEntry
		if !p.knownFields(node, fmt.Sprintf("agglomerations[%d]", i+1), "code", "name_zh", "name_en", "plan", "plan_year", "tier", "note", "source", "members", "cores") {
			continue
		}
		if err := node.Decode(&e); err != nil {
			p.issue(yamlErrorLine(err, node.Line), 0, fmt.Sprintf("agglomerations[%d]", i+1), yamlTypeError(err))
			continue
		}
		loc := func(field string) (int, int, string) { return yamlFieldLine(node, field), 0, field }
		a := p.agglomeration(aggFields{code: strings.TrimSpace(e.Code), nameZH: strings.TrimSpace(e.NameZH), nameEN: strings.TrimSpace(e.NameEN),
			plan: e.Plan, planYear: e.PlanYear, tier: e.Tier, note: e.Note, source: e.Source}, node.Line, 0, "code", loc)
		if a == nil {
			continue
		}
		if len(e.Members) == 0 {
			p.issue(node.Line, 0, "members", i18n.Tf("城市群 %s 没有成员（members 为空）", "agglomeration %s has no members (members is empty)", a.Code))
		}
		for j := range e.Members {
			m := &e.Members[j]
			field := fmt.Sprintf("members[%d]", j+1)
			switch m.Kind {
			case yaml.ScalarNode:
				p.addMember(a, strings.TrimSpace(m.Value), false, false, "", "", m.Line, 0, field)
			case yaml.MappingNode:
				var ym yamlMember
				if !p.knownFields(m, field, "member", "code", "name", "partial", "core", "note", "source") {
					continue
				}
				if err := m.Decode(&ym); err != nil {
					p.issue(yamlErrorLine(err, m.Line), 0, field, yamlTypeError(err))
					continue
				}
				text := firstNonEmpty(ym.Member, ym.Code, ym.Name)
				p.addMember(a, strings.TrimSpace(text), ym.Partial != nil && *ym.Partial, ym.Core != nil && *ym.Core, ym.Note, ym.Source, m.Line, 0, field)
			default:
				p.issue(m.Line, 0, field, i18n.T("成员应为代码、名称或含 member 的映射", "a member must be a code, a name or a map with member"))
			}
		}
		for j := range e.Cores {
			c := &e.Cores[j]
			if c.Kind != yaml.ScalarNode {
				p.issue(c.Line, 0, fmt.Sprintf("cores[%d]", j+1), i18n.T("核心城市应为代码或名称", "a core must be a code or a name"))
				continue
			}
			p.cores = append(p.cores, pendingCore{agg: a.Code, member: strings.TrimSpace(c.Value), row: c.Line})
		}
	}
}

// knownFields reports an issue for every key of a mapping node that is not
// one of known (yaml.Node.Decode does not reject unknown fields).
func (p *setParser) knownFields(n *yaml.Node, where string, known ...string) bool {
	if n.Kind != yaml.MappingNode {
		p.issue(n.Line, 0, where, i18n.T("结构错误：应为映射（键: 值）", "structure error: expected a map (key: value)"))
		return false
	}
	ok := true
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		if !slices.Contains(known, k.Value) {
			p.issue(k.Line, 0, where+"."+k.Value, i18n.Tf("结构错误：未知字段“%s”（可用 %s）", "structure error: unknown field %q (use %s)", k.Value, strings.Join(known, ", ")))
			ok = false
		}
	}
	return ok
}

// yamlErrorLine finds "line N" in a yaml error, or returns fallback.
func yamlErrorLine(err error, fallback int) int {
	s := err.Error()
	n := 0
	if i := strings.Index(s, "line "); i >= 0 {
		for _, c := range s[i+5:] {
			if c < '0' || c > '9' || n > 1<<24 {
				break
			}
			n = n*10 + int(c-'0')
		}
	}
	if n == 0 {
		return fallback
	}
	return n
}

// yamlTypeError says that a value has the wrong type (a list where a text
// is expected, ...): yaml.v3's words, which name its tags (!!seq), are
// given in the English message only.
func yamlTypeError(err error) i18n.Text {
	return i18n.T("结构错误：值的类型不对（如应为文字或映射处写了列表）", "structure error: "+firstYAMLError(err))
}

func firstYAMLError(err error) string {
	var te *yaml.TypeError
	if errors.As(err, &te) && len(te.Errors) > 0 {
		s := te.Errors[0]
		if i := strings.Index(s, ": "); i >= 0 && strings.HasPrefix(s, "line ") {
			return s[i+2:]
		}
		return s
	}
	return err.Error()
}

func yamlFieldLine(n *yaml.Node, field string) int {
	if n.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == field {
				return n.Content[i].Line
			}
		}
	}
	return n.Line
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if strings.TrimSpace(v) != "" {
			return v
		}
	}
	return ""
}

// agglomeration returns the agglomeration an entry or row belongs to,
// creating it on first sight; nil (with an issue) when the code is bad or
// the row contradicts the first definition. loc locates its fields.
func (p *setParser) agglomeration(f aggFields, row, col int, hdr string, at locator) *Region {
	if f.code == "" {
		p.issue(row, col, hdr, i18n.T("缺少城市群代码", "the agglomeration code is missing"))
		return nil
	}
	if !agglomerationCode.MatchString(f.code) {
		r, c, h := at("code")
		p.issue(r, c, h, i18n.Tf("城市群代码“%s”无效：须以字母开头，只含字母、数字、- 或 _，最多 16 个字符", "invalid agglomeration code %q: start with a letter and use letters, digits, - or _, at most 16 characters", f.code))
		return nil
	}
	code := strings.ToUpper(f.code)
	a, seen := p.byCode[code]
	if !seen {
		if f.nameZH == "" {
			r, c, h := at("name_zh")
			p.issue(r, c, h, i18n.Tf("城市群 %s 缺少中文名称（name_zh）", "agglomeration %s has no Chinese name (name_zh)", code))
		}
		year := 0
		if f.planYear != "" {
			y, err := strconv.Atoi(strings.TrimSpace(f.planYear))
			if err != nil || y < 1900 || y > 2100 {
				r, c, h := at("plan_year")
				p.issue(r, c, h, i18n.Tf("规划年份“%s”无效（应为 1900—2100 之间的年份）", "invalid plan year %q (a year between 1900 and 2100)", f.planYear))
			}
			year = y
		}
		tier, ok := ParseTier(f.tier)
		if !ok {
			r, c, h := at("tier")
			p.issue(r, c, h, i18n.Tf("层级“%s”无效（可用 优化提升、发展壮大、培育发展）", "invalid tier %q (use optimise, expand or cultivate)", f.tier))
		}
		nameEN := f.nameEN
		if nameEN == "" {
			nameEN = code
		}
		a = &Region{Code: code, NameZH: f.nameZH, ShortZH: strings.TrimSuffix(f.nameZH, "城市群"), NameEN: nameEN, Level: LevelAgglomeration, Parent: "CN",
			CoordSource: "mean of member coordinates",
			Agglomeration: &AgglomerationInfo{Plan: strings.TrimSpace(f.plan), PlanYear: year, Tier: tier, Source: strings.TrimSpace(f.source), UserDefined: true, File: p.file,
				Sourcing: Sourcing{Grade: "user", Note: i18n.Tf("用户定义（%s）", "user-defined (%s)", p.file)}}}
		p.byCode[code] = a
		p.order = append(p.order, code)
		r, c, h := at("code")
		p.set.codeAt[code] = fieldAt{r, c, h}
		return a
	}
	for _, c := range []struct{ field, got, want string }{{"name_zh", f.nameZH, a.NameZH}, {"name_en", f.nameEN, a.NameEN}} {
		if c.got != "" && c.got != c.want {
			r, col, h := at(c.field)
			p.issue(r, col, h, i18n.Tf("城市群 %s 的名称“%s”与第 %d 行的“%s”不一致", "agglomeration %s is named %q here but row %d names it %q", code, c.got, p.set.codeAt[code].row, c.want))
		}
	}
	return a
}

// addMember resolves a member and adds it to a.
func (p *setParser) addMember(a *Region, text string, partial, core bool, note, source string, row, col int, hdr string) {
	if text == "" {
		p.issue(row, col, hdr, i18n.T("成员为空", "the member is empty"))
		return
	}
	r, why := p.resolve(text)
	if r == nil {
		p.issue(row, col, hdr, why)
		return
	}
	for _, m := range a.Members {
		if m.Code == r.Code {
			p.issue(row, col, hdr, i18n.Tf("城市群 %s 中成员“%s”（%s）重复", "member %q (%s) appears twice in agglomeration %s", a.Code, text, r.Code))
			return
		}
	}
	a.Members = append(a.Members, Member{Code: r.Code, Partial: partial, Core: core, Note: strings.TrimSpace(note), Source: strings.TrimSpace(source)})
}

// resolve finds a member city by code or name.
func (p *setParser) resolve(text string) (*Region, i18n.Text) {
	memberLevel := func(r *Region) bool {
		return r.Level == LevelCity || r.Level == LevelCounty || r.IsMunicipality()
	}
	if isDigits(normCode(text)) {
		r, ok := p.reg.Lookup(text)
		if !ok {
			return nil, i18n.Tf("未知的行政区划代码“%s”（应为 GB/T 2260 六位代码，如 320100 南京市）", "unknown division code %q (use a six-digit GB/T 2260 code, e.g. 320100 Nanjing)", text)
		}
		if !memberLevel(r) {
			return nil, notMemberLevel(text, r)
		}
		return r, i18n.Text{}
	}
	cands := p.reg.ByName(text)
	var ok []*Region
	for _, r := range cands {
		if memberLevel(r) {
			ok = append(ok, r)
		}
	}
	switch {
	case len(ok) == 1:
		return ok[0], i18n.Text{}
	case len(ok) > 1:
		var list []string
		for _, r := range ok {
			list = append(list, r.Code+" "+r.NameZH)
		}
		return nil, i18n.Tf("成员名称“%s”有歧义（%s）：请改用代码", "member name %q is ambiguous (%s): use the code", text, strings.Join(list, "、"))
	case len(cands) > 0:
		return nil, notMemberLevel(text, cands[0])
	}
	return nil, i18n.Tf("未知地区“%s”：不是已知的地级市、直辖市或省直辖县级单位的名称（可用代码，如 320100）", "unknown place %q: not the name of a known prefecture-level city, municipality or directly administered county-level unit (a code such as 320100 works too)", text)
}

func notMemberLevel(text string, r *Region) i18n.Text {
	lt := levelText(r.Level)
	return i18n.T(fmt.Sprintf("“%s”是%s（%s %s），不能作为城市群成员：请列出其地级市", text, lt.ZH, r.Code, r.NameZH),
		fmt.Sprintf("%q is %s (%s %s) and cannot be a member: list its prefecture-level cities", text, lt.EN, r.Code, r.NameEN))
}

func levelText(l Level) i18n.Text {
	switch l {
	case LevelNation:
		return i18n.T("国家", "the nation")
	case LevelProvince:
		return i18n.T("省级单位", "a province")
	case LevelAgglomeration:
		return i18n.T("城市群", "an agglomeration")
	case LevelGroup:
		return i18n.T("城市群组", "a group of agglomerations")
	}
	return i18n.T("地区", "a region")
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

func parseBool(s string) (bool, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "false", "0", "no", "n", "否", "假":
		return false, true
	case "true", "1", "yes", "y", "是", "真":
		return true, true
	}
	return false, false
}

func badBool(s string) i18n.Text {
	return i18n.Tf("“%s”不是是/否值（可用 true/false、是/否、1/0）", "%q is not a yes/no value (use true/false, 是/否 or 1/0)", s)
}

// finish applies the YAML cores, checks each agglomeration and derives its
// province members.
func (p *setParser) finish() {
	for _, c := range p.cores {
		a := p.byCode[c.agg]
		r, why := p.resolve(c.member)
		if r == nil {
			p.issue(c.row, 0, "cores", why)
			continue
		}
		found := false
		for i := range a.Members {
			if a.Members[i].Code == r.Code {
				a.Members[i].Core, found = true, true
			}
		}
		if !found {
			p.issue(c.row, 0, "cores", i18n.Tf("核心城市“%s”不是城市群 %s 的成员", "core %q is not a member of agglomeration %s", c.member, a.Code))
		}
	}
	if len(p.order) == 0 && len(p.errs.list) == 0 {
		p.issue(0, 0, "", i18n.T("文件中没有城市群", "the file defines no agglomeration"))
	}
	for _, code := range p.order {
		a := p.byCode[code]
		if len(a.Members) == 0 {
			continue
		}
		if err := provinceMembers(p.reg, a); err != nil {
			p.issue(p.set.codeAt[code].row, 0, "", i18n.Tf("城市群 %s：%v", "agglomeration %s: %v", code, err))
			continue
		}
		p.set.Agglomerations = append(p.set.Agglomerations, *a)
	}
	if !slices.ContainsFunc(p.set.Agglomerations, func(r Region) bool { return len(r.Members) > 0 }) && len(p.errs.list) == 0 {
		p.issue(0, 0, "", i18n.T("文件中没有城市群成员", "the file lists no members"))
	}
}
