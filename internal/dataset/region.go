package dataset

import (
	"encoding/json"
	"math"
	"slices"
	"strconv"
	"strings"

	"agglo/internal/i18n"
)

// Level is a region's place in the hierarchy nation > agglomeration >
// province > city > county. Free units (another country's regions, firms)
// have level LevelUnit.
type Level string

// Region levels.
const (
	LevelNation        Level = "nation"
	LevelGroup         Level = "group" // a set of agglomerations, e.g. the five
	LevelAgglomeration Level = "agglomeration"
	LevelProvince      Level = "province"
	LevelCity          Level = "city"
	LevelCounty        Level = "county"
	LevelUnit          Level = "unit"
)

// Text names the level in both languages ("地级", "city"); an unknown
// level is named by itself.
func (l Level) Text() i18n.Text {
	zh := map[Level]string{LevelNation: "全国", LevelGroup: "城市群组", LevelAgglomeration: "城市群", LevelProvince: "省级",
		LevelCity: "地级", LevelCounty: "县级", LevelUnit: "自由单元"}[l]
	if zh == "" {
		zh = string(l)
	}
	return i18n.T(zh, string(l))
}

// ParseLevel accepts a level name in English or Chinese.
func ParseLevel(s string) (Level, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "nation", "全国", "国家":
		return LevelNation, true
	case "group", "组":
		return LevelGroup, true
	case "agglomeration", "城市群":
		return LevelAgglomeration, true
	case "province", "省", "省级":
		return LevelProvince, true
	case "city", "市", "地级市", "城市":
		return LevelCity, true
	case "county", "县", "县级":
		return LevelCounty, true
	case "unit", "单元":
		return LevelUnit, true
	}
	return "", false
}

// Member is one member of an agglomeration: a province or a city, possibly
// only partly inside the agglomeration. Core marks a designated core or
// centre city (中心/核心城市) named by the plan or a later State Council
// document; sub-centres are not flagged.
type Member struct {
	Code    string `json:"code"`
	Partial bool   `json:"partial"`
	Core    bool   `json:"core,omitempty"`
	Note    string `json:"note,omitempty"`
	Source  string `json:"source,omitempty"`
}

// Region is a nation, agglomeration, province, city, county or free unit.
type Region struct {
	Code    string `json:"code"`             // adcode for administrative units, BTH/YRD/... for agglomerations
	Adcode  string `json:"adcode,omitempty"` // GB/T 2260 code where one exists
	NameZH  string `json:"name_zh"`          // full Chinese name, e.g. 石家庄市
	ShortZH string `json:"short_zh"`         // without suffix, e.g. 石家庄
	NameEN  string `json:"name_en"`          // English name
	Level   Level  `json:"level"`            // hierarchy level
	Parent  string `json:"parent,omitempty"` // code of the parent region
	// Alias is an alternative code under which files often key the region
	// (municipalities: 110100 for 110000).
	Alias string `json:"alias,omitempty"`
	// Lon and Lat locate the region (administrative seat or map centre); NaN
	// when unknown. CoordSource names where they come from.
	Lon         float64 `json:"lon"`
	Lat         float64 `json:"lat"`
	CoordSource string  `json:"coord_source,omitempty"`
	// Members of an agglomeration, at city level (from its plan) and at
	// province level (for province statistics such as Table 3).
	Members         []Member `json:"members,omitempty"`
	ProvinceMembers []Member `json:"province_members,omitempty"`
	// Agglomeration describes an agglomeration's plan, tier and how well
	// its member list is sourced (nil for other levels).
	Agglomeration *AgglomerationInfo `json:"agglomeration,omitempty"`
}

// IsMunicipality reports whether the region is one of the four
// municipalities (北京, 天津, 上海, 重庆), which are provinces and
// prefecture-level cities at once.
func (r *Region) IsMunicipality() bool { return r.Level == LevelProvince && r.Alias != "" }

// HasCoord reports whether the region has coordinates.
func (r *Region) HasCoord() bool { return !math.IsNaN(r.Lon) && !math.IsNaN(r.Lat) }

// Name returns the region's name in lang.
func (r *Region) Name(lang string) string {
	if lang == "en" && r.NameEN != "" {
		return r.NameEN
	}
	return r.NameZH
}

// MemberCodes returns the codes of the agglomeration's members at the given
// level (LevelProvince for province members, anything else for cities).
func (r *Region) MemberCodes(level Level) []string {
	ms := r.Members
	if level == LevelProvince {
		ms = r.ProvinceMembers
	}
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.Code
	}
	return out
}

// nameSuffixes are the administrative suffixes dropped when names are
// matched, longest first.
var nameSuffixes = []string{
	"维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区", "自治区", "自治州", "自治县",
	"城市群", "地区", "省", "市", "盟", "区", "县",
}

// normName folds a region name for matching: spaces, case and an
// administrative suffix are ignored (北京市 = 北京 = beijing).
func normName(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	s = strings.Join(strings.Fields(s), "")
	for _, suf := range nameSuffixes {
		if t, ok := strings.CutSuffix(s, suf); ok && t != "" {
			return t
		}
	}
	return s
}

// normCode folds a code as spreadsheets write it: "110000.0", "1.1e+05" and
// " 110000 " all become "110000". Non-numeric codes are upper-cased.
func normCode(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil && f >= 0 && f < 1e12 && f == math.Trunc(f) {
		return strconv.FormatInt(int64(f), 10)
	}
	return strings.ToUpper(s)
}

// Registry is the set of known regions: the nation, the agglomerations,
// China's provinces, prefecture-level cities and directly administered
// counties, with lookups by code and by name.
type Registry struct {
	regions []Region
	byCode  map[string]int
	byName  map[string][]int
	// defaults are the codes of the agglomerations analyses cover when
	// none is named (see Agglomerations); nil means every agglomeration.
	defaults []string
}

// NewRegistry indexes regions. Codes must be unique.
func NewRegistry(regions []Region) *Registry {
	r := &Registry{regions: regions, byCode: make(map[string]int), byName: make(map[string][]int)}
	for i := range r.regions {
		reg := &r.regions[i]
		r.byCode[normCode(reg.Code)] = i
		if reg.Adcode != "" {
			r.byCode[normCode(reg.Adcode)] = i
		}
		if reg.Alias != "" {
			if _, taken := r.byCode[normCode(reg.Alias)]; !taken {
				r.byCode[normCode(reg.Alias)] = i
			}
		}
		seen := map[string]bool{}
		for _, n := range []string{reg.NameZH, reg.ShortZH, reg.NameEN} {
			k := normName(n)
			if k == "" || seen[k] {
				continue
			}
			seen[k] = true
			r.byName[k] = append(r.byName[k], i)
		}
	}
	return r
}

// Regions returns all regions in registry order.
func (r *Registry) Regions() []Region { return r.regions }

// Lookup finds a region by code, adcode or alias.
func (r *Registry) Lookup(code string) (*Region, bool) {
	i, ok := r.byCode[normCode(code)]
	if !ok {
		return nil, false
	}
	return &r.regions[i], true
}

// ByName returns the regions whose Chinese or English name, with or without
// administrative suffix, equals name.
func (r *Registry) ByName(name string) []*Region {
	idx := r.byName[normName(name)]
	out := make([]*Region, len(idx))
	for i, j := range idx {
		out[i] = &r.regions[j]
	}
	return out
}

// Level returns the regions of one level, in registry order.
func (r *Registry) Level(l Level) []*Region {
	var out []*Region
	for i := range r.regions {
		if r.regions[i].Level == l {
			out = append(out, &r.regions[i])
		}
	}
	return out
}

// Agglomerations returns the registry's default set of agglomerations, the
// ones analyses cover when no agglomeration is named: in the built-in
// registry the paper's five (AgglomerationCodes, in that order); after
// WithAgglomerations the user's set, alone or after the previous default
// set. A registry built by NewRegistry has every agglomeration as its
// default set. AllAgglomerations lists every agglomeration the registry
// knows (the 19 national ones and any user-defined ones).
func (r *Registry) Agglomerations() []*Region {
	if r.defaults == nil {
		return r.AllAgglomerations()
	}
	out := make([]*Region, 0, len(r.defaults))
	for _, c := range r.defaults {
		if a, ok := r.Agglomeration(c); ok {
			out = append(out, a)
		}
	}
	return out
}

// AgglomerationCodes returns the paper's five national urban agglomerations
// in the order of its tables. It is the paper's comparison set, not the
// list of every agglomeration: use Registry.AllAgglomerations or
// Registry.AgglomerationCodes for those.
func AgglomerationCodes() []string { return []string{"BTH", "YRD", "MYR", "PRD", "CC"} }

// AgglomerationOf returns, for each member code at the given level, the code
// of the agglomeration of the default set (Agglomerations) it belongs to.
// A member of two agglomerations of the default set keeps the first; the
// paper's five share no member. Use MembershipOf or SharedMembers when
// agglomerations may overlap.
func (r *Registry) AgglomerationOf(level Level) map[string]string {
	out := map[string]string{}
	for _, a := range r.Agglomerations() {
		for _, c := range a.MemberCodes(level) {
			if _, taken := out[c]; !taken {
				out[c] = a.Code
			}
		}
	}
	return out
}

// MarshalJSON writes unknown coordinates as null (JSON has no NaN).
func (r Region) MarshalJSON() ([]byte, error) {
	type plain Region
	out := struct {
		plain
		Lon *float64 `json:"lon"`
		Lat *float64 `json:"lat"`
	}{plain: plain(r)}
	if !math.IsNaN(r.Lon) && !math.IsNaN(r.Lat) {
		out.Lon, out.Lat = &r.Lon, &r.Lat
	}
	return json.Marshal(out)
}

// WithDefaults returns a registry with the same regions whose default set
// (Agglomerations) is the named agglomerations, in that order: what
// analyses cover when no agglomeration is named. An unknown code is an
// error listing the known ones. The receiver is not changed.
func (r *Registry) WithDefaults(codes []string) (*Registry, error) {
	out := *r
	out.defaults = nil
	for _, c := range codes {
		a, ok := r.Agglomeration(c)
		if !ok {
			return nil, i18n.Errorf("没有代码为“%s”的城市群（可选 %s）", "no agglomeration %q (use %s)", c, strings.Join(r.AllAgglomerationCodes(), ", "))
		}
		if !slices.Contains(out.defaults, a.Code) {
			out.defaults = append(out.defaults, a.Code)
		}
	}
	return &out, nil
}
