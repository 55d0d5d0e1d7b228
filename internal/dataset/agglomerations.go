package dataset

import (
	"embed"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"agglo/internal/i18n"
)

// The membership of the 19 national urban agglomerations of the 13th and
// 14th Five-Year Plan outlines, compiled by the agglo project from the plans
// and reference pages named in each row's source column, and a note per
// agglomeration on how well its list is sourced (data/SOURCES.md).
//
//go:embed data/agglomerations_19.csv data/agglomeration_sourcing.csv
var agglomerationFiles embed.FS

// Sourcing grades of an agglomeration's member list.
const (
	SourcingGood = "good" // an issued plan or its quoted range
	SourcingFair = "fair" // parts of the list depend on a definition or were not retrieved
	SourcingWeak = "weak" // no issued plan or member list found
)

// Sourcing says how well an agglomeration's member list is sourced: a
// grade (good, fair, weak) and a note in both languages that the product
// shows with the agglomeration.
type Sourcing struct {
	Grade string    `json:"grade"`
	Note  i18n.Text `json:"note"`
}

// GradeName names a sourcing grade in both languages.
func GradeName(grade string) i18n.Text {
	switch grade {
	case SourcingGood:
		return i18n.T("来源可靠", "well sourced")
	case SourcingFair:
		return i18n.T("来源一般", "fairly sourced")
	case SourcingWeak:
		return i18n.T("来源薄弱", "weakly sourced")
	}
	return i18n.T("用户定义", "user-defined")
}

// 14th Five-Year Plan tiers of the agglomerations.
const (
	TierOptimise  = "optimise"  // 优化提升
	TierExpand    = "expand"    // 发展壮大
	TierCultivate = "cultivate" // 培育发展
)

// TierName names a tier in both languages ("" for none).
func TierName(tier string) i18n.Text {
	switch tier {
	case TierOptimise:
		return i18n.T("优化提升", "optimise and upgrade")
	case TierExpand:
		return i18n.T("发展壮大", "develop and expand")
	case TierCultivate:
		return i18n.T("培育发展", "cultivate")
	}
	return i18n.Text{}
}

// ParseTier accepts a tier code or its Chinese name; "" is no tier.
func ParseTier(s string) (string, bool) {
	switch strings.TrimSpace(s) {
	case "":
		return "", true
	case TierOptimise, "优化提升":
		return TierOptimise, true
	case TierExpand, "发展壮大":
		return TierExpand, true
	case TierCultivate, "培育发展":
		return TierCultivate, true
	}
	return "", false
}

// AgglomerationInfo describes an agglomeration beyond its members: the plan
// that defines it, the 14th Five-Year Plan tier, the sources of its member
// list and how good they are. UserDefined is true for agglomerations read
// with ReadAgglomerations; File names their file.
type AgglomerationInfo struct {
	Plan        string   `json:"plan"`
	PlanYear    int      `json:"plan_year,omitempty"`
	Tier        string   `json:"tier,omitempty"`
	Source      string   `json:"source,omitempty"`
	Sourcing    Sourcing `json:"sourcing"`
	UserDefined bool     `json:"user_defined,omitempty"`
	File        string   `json:"file,omitempty"`
}

// Cores returns the codes of the agglomeration's designated core cities,
// in member order (none when the region is not an agglomeration or its
// sources name no core).
func (r *Region) Cores() []string {
	var out []string
	for _, m := range r.Members {
		if m.Core {
			out = append(out, m.Code)
		}
	}
	return out
}

// Member returns the agglomeration's member with the given code.
func (r *Region) Member(code string) (Member, bool) {
	for _, m := range r.Members {
		if m.Code == code {
			return m, true
		}
	}
	return Member{}, false
}

// builtinAgglomerations builds the 19 national agglomerations from the
// embedded membership file: the paper's five first (in the order of
// AgglomerationCodes, under the group FIVE), then the others in file
// order (under the nation). base resolves the members' codes.
func builtinAgglomerations(base *Registry) ([]Region, error) {
	rows, err := readCSVTable(agglomerationFiles, "agglomerations_19.csv")
	if err != nil {
		return nil, err
	}
	srcRows, err := readCSVTable(agglomerationFiles, "agglomeration_sourcing.csv")
	if err != nil {
		return nil, err
	}
	sourcing := map[string]Sourcing{}
	for _, s := range srcRows {
		sourcing[s["code"]] = Sourcing{Grade: s["grade"], Note: i18n.T(s["note_zh"], s["note_en"])}
	}
	aggs := map[string]*Region{}
	var order []string
	for i, m := range rows {
		code := m["agglomeration_code"]
		where := fmt.Sprintf("embedded agglomerations_19.csv row %d (%s %s)", i+2, code, m["city_zh"])
		a, ok := aggs[code]
		if !ok {
			tier, ok := ParseTier(m["level"])
			if !ok {
				return nil, fmt.Errorf("%s: unknown tier %q", where, m["level"])
			}
			year := 0
			if m["plan_year"] != "" {
				if year, err = strconv.Atoi(m["plan_year"]); err != nil {
					return nil, fmt.Errorf("%s: bad plan_year %q", where, m["plan_year"])
				}
			}
			src, ok := sourcing[code]
			if !ok {
				return nil, fmt.Errorf("embedded agglomeration_sourcing.csv: no row for %s", code)
			}
			short := agglomerationShort[code]
			if short == "" {
				short = strings.TrimSuffix(m["agglomeration_zh"], "城市群")
			}
			parent := "CN"
			if slices.Contains(AgglomerationCodes(), code) {
				parent = "FIVE"
			}
			a = &Region{Code: code, NameZH: m["agglomeration_zh"], ShortZH: short, NameEN: m["agglomeration_en"], Level: LevelAgglomeration,
				Parent: parent, CoordSource: "mean of member coordinates",
				Agglomeration: &AgglomerationInfo{Plan: m["plan_zh"], PlanYear: year, Tier: tier, Sourcing: src}}
			aggs[code] = a
			order = append(order, code)
		}
		city, ok := base.Lookup(m["adcode"])
		if !ok {
			return nil, fmt.Errorf("%s: adcode %s not in the registry", where, m["adcode"])
		}
		a.Members = append(a.Members, Member{Code: city.Code, Partial: m["partial"] == "true", Core: m["core"] == "true", Note: m["note"], Source: m["source"]})
		if a.Agglomeration.Source == "" {
			first, _, _ := strings.Cut(m["source"], " | ")
			a.Agglomeration.Source = first
		}
	}
	if len(sourcing) != len(order) {
		return nil, fmt.Errorf("embedded agglomeration_sourcing.csv: %d rows for %d agglomerations", len(sourcing), len(order))
	}
	// The paper's five first, in the order of its tables.
	var sorted []string
	for _, c := range AgglomerationCodes() {
		if aggs[c] != nil {
			sorted = append(sorted, c)
		}
	}
	for _, c := range order {
		if !slices.Contains(sorted, c) {
			sorted = append(sorted, c)
		}
	}
	out := make([]Region, 0, len(sorted))
	for _, c := range sorted {
		if err := provinceMembers(base, aggs[c]); err != nil {
			return nil, err
		}
		out = append(out, *aggs[c])
	}
	return out, nil
}

// AllAgglomerations returns every agglomeration the registry knows, in
// registry order: in the built-in registry the paper's five, then the other
// national agglomerations, then any user-defined ones.
func (r *Registry) AllAgglomerations() []*Region { return r.Level(LevelAgglomeration) }

// AllAgglomerationCodes returns the codes of AllAgglomerations.
func (r *Registry) AllAgglomerationCodes() []string {
	all := r.AllAgglomerations()
	out := make([]string, len(all))
	for i, a := range all {
		out[i] = a.Code
	}
	return out
}

// Agglomeration returns the agglomeration with the given code (case
// insensitive).
func (r *Registry) Agglomeration(code string) (*Region, bool) {
	a, ok := r.Lookup(code)
	if !ok || a.Level != LevelAgglomeration {
		return nil, false
	}
	return a, true
}

// MembershipOf returns, for each member code at the given level
// (LevelProvince for province members, anything else for cities), the codes
// of every agglomeration of AllAgglomerations it belongs to, in registry
// order.
func (r *Registry) MembershipOf(level Level) map[string][]string {
	out := map[string][]string{}
	for _, a := range r.AllAgglomerations() {
		for _, c := range a.MemberCodes(level) {
			out[c] = append(out[c], a.Code)
		}
	}
	return out
}

// SharedMember is a city that belongs to more than one agglomeration.
type SharedMember struct {
	Code           string   `json:"code"`
	Agglomerations []string `json:"agglomerations"`
}

// SharedMembers returns the member cities that belong to more than one of
// the named agglomerations (all agglomerations when none is named), in
// registry order. A sum over those agglomerations counts each of them
// once per agglomeration; DistinctMembers gives the union without repeats.
func (r *Registry) SharedMembers(codes ...string) []SharedMember {
	in := r.selectAgglomerations(codes)
	seen := map[string][]string{}
	var order []string
	for _, a := range in {
		for _, c := range a.MemberCodes(LevelCity) {
			if _, ok := seen[c]; !ok {
				order = append(order, c)
			}
			seen[c] = append(seen[c], a.Code)
		}
	}
	var out []SharedMember
	for _, c := range order {
		if len(seen[c]) > 1 {
			out = append(out, SharedMember{Code: c, Agglomerations: seen[c]})
		}
	}
	return out
}

// DistinctMembers returns the union of the member cities of the named
// agglomerations (all when none is named), each once, in registry order.
func (r *Registry) DistinctMembers(codes ...string) []string {
	var out []string
	seen := map[string]bool{}
	for _, a := range r.selectAgglomerations(codes) {
		for _, c := range a.MemberCodes(LevelCity) {
			if !seen[c] {
				seen[c] = true
				out = append(out, c)
			}
		}
	}
	return out
}

func (r *Registry) selectAgglomerations(codes []string) []*Region {
	if len(codes) == 0 {
		return r.AllAgglomerations()
	}
	var out []*Region
	for _, c := range codes {
		if a, ok := r.Agglomeration(c); ok {
			out = append(out, a)
		}
	}
	return out
}

// WithAgglomerations returns a new registry with a user-defined set of
// agglomerations: added to the registry's agglomerations, or, with replace,
// instead of all of them. The new registry's default set (Agglomerations)
// is the user's set after the previous default set, or the user's set
// alone when it replaces. The receiver is not changed. Adding an
// agglomeration whose code the registry already has is an error naming the
// file and row; with replace any code may be reused.
func (r *Registry) WithAgglomerations(set *AgglomerationSet, replace bool) (*Registry, error) {
	if set == nil || len(set.Agglomerations) == 0 {
		return nil, i18n.Errorf("城市群集合为空", "the agglomeration set is empty")
	}
	regions := make([]Region, 0, len(r.regions)+len(set.Agglomerations))
	for _, reg := range r.regions {
		if replace && reg.Level == LevelAgglomeration {
			continue
		}
		regions = append(regions, reg)
	}
	var errs issues
	for _, a := range set.Agglomerations {
		if !replace {
			if old, taken := r.Lookup(a.Code); taken {
				what := i18n.Tf("城市群代码“%s”已被占用（%s）：请换一个代码，或用用户集合替换内置城市群",
					"agglomeration code %q is taken (%s): choose another code, or replace the built-in agglomerations with the user's set", a.Code, old.NameZH)
				at := set.codeAt[a.Code]
				errs.add(Issue{File: set.File, Row: at.row, Col: at.col, Column: at.header, Text: what})
				continue
			}
		}
		regions = append(regions, a)
	}
	if err := errs.err(set.File); err != nil {
		return nil, err
	}
	out := NewRegistry(regions)
	var defaults []string
	if !replace {
		for _, a := range r.Agglomerations() {
			defaults = append(defaults, a.Code)
		}
	}
	for _, a := range set.Agglomerations {
		defaults = append(defaults, a.Code)
	}
	out.defaults = defaults
	return out, nil
}
