package analysis

import (
	"fmt"
	"math"
	"strings"

	"agglo/internal/dataset"
	"agglo/internal/i18n"
)

// GroupCoverage says which members of one agglomeration a grouped measure
// counted in one year: its members at the units' level, those with a
// value of the indicator counted in this group, the members without a
// value, and the members it shares with another agglomeration of the set
// (a unit belongs to one group only: the first agglomeration of the set
// that names it).
type GroupCoverage struct {
	Group   string `json:"group"`
	Name    string `json:"name,omitempty"`
	Year    int    `json:"year,omitempty"`
	Members int    `json:"members"`
	Covered int    `json:"covered"`
	// Counted are the members with data counted in this group (Covered
	// less the shared members counted in another group).
	Counted int            `json:"counted"`
	Missing []MemberName   `json:"missing"`
	Shared  []SharedMember `json:"shared"`
	// Text says it in words, in the request's language: "28/31 个成员有数
	// 据；缺少数据：仙桃市、潜江市、天门市；与其他城市群共有：抚州市（也属于
	// 海峡西岸城市群，计入本城市群）".
	Text string `json:"text"`
}

// MemberName is a member by code and name (in the request's language).
type MemberName struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

// SharedMember is a member of two agglomerations of the set, with the
// group it was counted in.
type SharedMember struct {
	MemberName
	CountedIn string `json:"counted_in"`
	Also      string `json:"also_in"`
}

// isAgglomerationGroup reports whether a measure request's group names
// the agglomerations (GroupAgglomeration, or 城市群).
func isAgglomerationGroup(group string) bool {
	return group == GroupAgglomeration || group == "城市群"
}

// addCoverage fills res.Coverage (and each panel year's) for a measure
// grouped by agglomeration: which members had data in the year measured,
// which did not, and which are shared.
func addCoverage(ds *dataset.Dataset, req MeasureRequest, res *MeasureResult) {
	if !isAgglomerationGroup(req.Group) || ds.Registry == nil || res.Indicator == "" {
		return
	}
	level := dataset.Level(res.Level)
	if level != dataset.LevelProvince && level != dataset.LevelCity {
		return
	}
	switch {
	case len(res.Panel) > 0:
		for i := range res.Panel {
			res.Panel[i].Coverage = coverage(ds, res.Indicator, level, res.Panel[i].Year, req.Lang)
		}
		res.Coverage = res.Panel[len(res.Panel)-1].Coverage
	case res.To != 0:
		res.Coverage = coverage(ds, res.Indicator, level, res.To, req.Lang)
	case res.Year != 0 && (len(res.Groups) > 0 || len(res.Clubs) > 0):
		res.Coverage = coverage(ds, res.Indicator, level, res.Year, req.Lang)
	}
}

// coverage computes each agglomeration's coverage of indicator in year at
// the level, in the order of the registry's set.
func coverage(ds *dataset.Dataset, indicator string, level dataset.Level, year int, lang string) []GroupCoverage {
	of := ds.Registry.AgglomerationOf(level)
	aggs := ds.Registry.Agglomerations()
	name := func(code string) string {
		if r, ok := ds.Registry.Lookup(code); ok {
			return r.Name(lang)
		}
		return code
	}
	// Every agglomeration of the set each member belongs to.
	in := map[string][]string{}
	for _, a := range aggs {
		for _, c := range a.MemberCodes(level) {
			in[c] = append(in[c], a.Code)
		}
	}
	var out []GroupCoverage
	for _, a := range aggs {
		gc := GroupCoverage{Group: a.Code, Name: a.Name(lang), Year: year, Missing: []MemberName{}, Shared: []SharedMember{}}
		for _, c := range a.MemberCodes(level) {
			gc.Members++
			counted := of[c] == a.Code
			v, ok := ds.Value(c, indicator, year)
			has := ok && !math.IsNaN(v) && !math.IsInf(v, 0)
			switch {
			case !has:
				gc.Missing = append(gc.Missing, MemberName{c, name(c)})
			case counted:
				gc.Covered++
				gc.Counted++
			default:
				gc.Covered++
			}
			if len(in[c]) > 1 {
				sm := SharedMember{MemberName: MemberName{c, name(c)}, CountedIn: of[c]}
				for _, o := range in[c] {
					if o != a.Code {
						sm.Also = o
						break
					}
				}
				gc.Shared = append(gc.Shared, sm)
			}
		}
		gc.Text = coverageText(gc, name, lang)
		out = append(out, gc)
	}
	return out
}

// coverageText says a group's coverage in words.
func coverageText(gc GroupCoverage, name func(string) string, lang string) string {
	t := i18n.Tf("%d/%d 个成员有数据", "%d of %d members with data", gc.Covered, gc.Members)
	if gc.Counted < gc.Covered {
		t = i18n.Tf("%d/%d 个成员有数据（本组计入 %d 个）", "%d of %d members with data (%d counted here)", gc.Covered, gc.Members, gc.Counted)
	}
	if len(gc.Missing) > 0 {
		var ns []string
		for _, m := range gc.Missing {
			ns = append(ns, m.Name)
		}
		list := strings.Join(ns, i18n.T("、", ", ").In(lang))
		t = i18n.T(t.ZH+"；缺少数据："+list, t.EN+"; without data: "+list)
	}
	if len(gc.Shared) > 0 {
		var zh, en []string
		for _, s := range gc.Shared {
			if s.CountedIn == gc.Group {
				zh = append(zh, fmt.Sprintf("%s（也属于%s，计入本城市群）", s.Name, name(s.Also)))
				en = append(en, fmt.Sprintf("%s (also in %s, counted here)", s.Name, name(s.Also)))
			} else {
				zh = append(zh, fmt.Sprintf("%s（计入%s）", s.Name, name(s.CountedIn)))
				en = append(en, fmt.Sprintf("%s (counted in %s)", s.Name, name(s.CountedIn)))
			}
		}
		t = i18n.T(t.ZH+"；与其他城市群共有："+strings.Join(zh, "、"), t.EN+"; shared with another agglomeration: "+strings.Join(en, ", "))
	}
	return t.In(lang)
}
