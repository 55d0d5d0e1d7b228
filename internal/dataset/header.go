package dataset

import (
	"regexp"
	"strconv"
	"strings"
)

// role is what a column of a user's table holds.
type role int

const (
	roleIndicator role = iota // a wide-layout indicator column
	roleRegionCode
	roleRegionName
	roleParentCode // a province column beside city columns: a matching hint
	roleParentName
	roleIndicatorName // long layout: indicator code or Chinese name
	roleIndicatorEN   // long layout: indicator English name
	roleYear
	roleValue
	roleUnit
	roleSource
	roleIgnore
	roleLon // a wide table's longitude column: the unit's coordinate
	roleLat
	// roleIndicatorZH is a long table's column of indicators' Chinese
	// names beside an indicator column of codes (indicator_name_zh in
	// agglo's exports): the name of an indicator the catalogue does not
	// know.
	roleIndicatorZH
)

// headerKey folds a header for role matching.
func headerKey(h string) string {
	h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
	return strings.NewReplacer(" ", "", "_", "", "-", "", ".", "").Replace(h)
}

var (
	codeHeaders = map[string]Level{
		"code": "", "regioncode": "", "adcode": "", "地区代码": "", "行政区划代码": "", "区划代码": "", "代码": "",
		"ucode": "", "unitcode": "", "unitid": "", "id": "",
		"citycode": LevelCity, "cityadcode": LevelCity, "城市代码": LevelCity,
		"provincecode": LevelProvince, "provinceadcode": LevelProvince, "省份代码": LevelProvince, "省代码": LevelProvince,
		"countycode": LevelCounty, "countyadcode": LevelCounty,
	}
	nameHeaders = map[string]Level{
		"region": "", "regionname": "", "name": "", "地区": "", "地区名称": "", "区域": "", "名称": "", "uname": "",
		"unitname": "", "单元": "", "namezh": "", "regionzh": "",
		"city": LevelCity, "cityzh": LevelCity, "cityname": LevelCity, "城市": LevelCity, "地市": LevelCity, "地级市名称": LevelCity, "城市名称": LevelCity, "地级市": LevelCity,
		"province": LevelProvince, "provincezh": LevelProvince, "provincename": LevelProvince, "省份": LevelProvince, "省": LevelProvince, "省区市": LevelProvince,
		"county": LevelCounty, "countyzh": LevelCounty, "区县": LevelCounty, "县": LevelCounty,
	}
	ignoredHeaders = map[string]bool{
		"nameen": true, "regionen": true, "cityen": true, "provinceen": true, "英文名": true, "英文名称": true,
		"agglomeration": true, "agglomerationzh": true, "agglomerationen": true, "agglomerationcode": true, "城市群": true,
		"note": true, "notes": true, "备注": true, "说明": true, "license": true, "sourcerepocommit": true,
		"level": true, "层级": true, "kind": true, "provenance": true, "来源类型": true, "formula": true, "公式": true, "row": true, "col": true, "parent": true, "shortzh": true,
	}
	lonHeaders         = map[string]bool{"lon": true, "lng": true, "longitude": true, "经度": true}
	latHeaders         = map[string]bool{"lat": true, "latitude": true, "纬度": true}
	indicatorHeaders   = map[string]bool{"indicator": true, "indicatorcode": true, "indicatorzh": true, "指标": true, "指标名称": true, "指标代码": true, "variable": true, "变量": true, "icode": true}
	indicatorENHeaders = map[string]bool{"indicatoren": true, "indicatornameen": true, "指标英文名": true}
	indicatorZHHeaders = map[string]bool{"indicatornamezh": true, "指标中文名": true}
	yearHeaders        = map[string]bool{"year": true, "年份": true, "年": true, "time": true, "年度": true}
	valueHeaders       = map[string]bool{"value": true, "数值": true, "值": true, "数据": true, "val": true}
	unitHeaders        = map[string]bool{"unit": true, "单位": true, "units": true, "计量单位": true}
	sourceHeaders      = map[string]bool{"source": true, "来源": true, "数据来源": true, "sourcetable": true, "sourcedataset": true, "出处": true}
)

func knownHeader(k string) bool {
	_, c := codeHeaders[k]
	_, n := nameHeaders[k]
	return c || n || ignoredHeaders[k] || lonHeaders[k] || latHeaders[k] || indicatorHeaders[k] || indicatorENHeaders[k] || indicatorZHHeaders[k] || yearHeaders[k] || valueHeaders[k] || unitHeaders[k] || sourceHeaders[k] || k == "kind" || k == "provenance"
}

// column describes one column of a table after header analysis.
type column struct {
	index  int
	header string
	role   role
	level  Level // for region columns: the level the header names
	// Wide-layout indicator columns: the name and unit parsed from the
	// header, and a year when the header carries one ("popu_2010").
	name string
	unit string
	year int
}

var (
	unitInHeader  = regexp.MustCompile(`^(.*?)\s*[（(\[【]\s*([^()（）\[\]【】]*)\s*[)）\]】]\s*$`)
	yearSuffix    = regexp.MustCompile(`^(.*?)[\s_\-]*((?:18|19|20|21)\d{2})\s*年?$`)
	yearPrefix    = regexp.MustCompile(`^((?:18|19|20|21)\d{2})\s*年?[\s_\-]*(.+)$`)
	parenthesised = regexp.MustCompile(`[（(].*[)）]`)
)

// splitHeader parses "地区生产总值(亿元)" into name and unit, and a year from
// "popu_2010" or "2019年GDP" when allowYear is set.
func splitHeader(h string, allowYear bool) (name, unit string, year int) {
	name = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
	if m := unitInHeader.FindStringSubmatch(name); m != nil && m[1] != "" {
		name, unit = strings.TrimSpace(m[1]), strings.TrimSpace(m[2])
	}
	if allowYear {
		if m := yearSuffix.FindStringSubmatch(name); m != nil && m[1] != "" {
			y, _ := strconv.Atoi(m[2])
			return strings.TrimSpace(m[1]), unit, y
		}
		if m := yearPrefix.FindStringSubmatch(name); m != nil {
			y, _ := strconv.Atoi(m[1])
			return strings.TrimSpace(m[2]), unit, y
		}
	}
	return name, unit, 0
}

// classify assigns roles to a header row. A table is in long layout when it
// has an indicator and a value column.
func classify(header []string) (cols []column, long bool) {
	cols, long, _ = classifyWith(header, "")
	return cols, long
}

// classifyWith is classify with an explicit region column (--region-col):
// the column with that header is the region; other code columns are
// ignored and other name columns are read as text attributes. ok is false
// when no column has that header.
func classifyWith(header []string, regionCol string) (cols []column, long bool, ok bool) {
	cols, long = classifyRoles(header)
	regionCol = strings.TrimSpace(regionCol)
	if regionCol == "" {
		return cols, long, true
	}
	pick := -1
	for i, c := range cols {
		if c.header == regionCol || headerKey(c.header) == headerKey(regionCol) {
			pick = i
			break
		}
	}
	if pick < 0 {
		return cols, long, false
	}
	for i := range cols {
		c := &cols[i]
		switch {
		case i == pick:
			_, isCode := codeHeaders[headerKey(c.header)]
			c.role, c.level = roleRegionName, ""
			if isCode {
				c.role = roleRegionCode
			}
		case c.role == roleRegionCode || c.role == roleParentCode:
			c.role = roleIgnore
		case c.role == roleRegionName || c.role == roleParentName:
			c.role = roleIndicator
			c.name, c.unit, c.year = splitHeader(c.header, false)
		}
	}
	return cols, long, true
}

// provinceOnlyRegion reports the header of the region column when the
// only region column is a province name column (province, 省份): it is
// taken as the region, and a note says so.
func provinceOnlyRegion(cols []column) (string, bool) {
	var region []column
	for _, c := range cols {
		if c.role == roleRegionCode || c.role == roleRegionName {
			region = append(region, c)
		}
	}
	if len(region) == 1 && region[0].role == roleRegionName && region[0].level == LevelProvince {
		return region[0].header, true
	}
	return "", false
}

func classifyRoles(header []string) (cols []column, long bool) {
	cols = make([]column, len(header))
	hasInd, hasVal, hasYear := false, false, false
	for i, h := range header {
		k := headerKey(h)
		// Bilingual headers as agglo writes them: "地区代码 / region_code".
		if zh, en, ok := strings.Cut(h, " / "); ok {
			for _, part := range []string{en, zh} {
				if pk := headerKey(part); knownHeader(pk) {
					k = pk
					break
				}
			}
		}
		c := column{index: i, header: strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")), role: roleIndicator}
		if lv, ok := codeHeaders[k]; ok {
			c.role, c.level = roleRegionCode, lv
		} else if lv, ok := nameHeaders[k]; ok {
			c.role, c.level = roleRegionName, lv
		} else if ignoredHeaders[k] {
			c.role = roleIgnore
		} else if lonHeaders[k] {
			c.role = roleLon
		} else if latHeaders[k] {
			c.role = roleLat
		} else if indicatorHeaders[k] {
			c.role, hasInd = roleIndicatorName, true
		} else if indicatorENHeaders[k] {
			c.role = roleIndicatorEN
		} else if indicatorZHHeaders[k] {
			c.role = roleIndicatorZH
		} else if yearHeaders[k] {
			c.role, hasYear = roleYear, true
		} else if valueHeaders[k] {
			c.role, hasVal = roleValue, true
		} else if unitHeaders[k] {
			c.role = roleUnit
		} else if sourceHeaders[k] {
			c.role = roleSource
		} else if k == "" {
			c.role = roleIgnore
		}
		cols[i] = c
	}
	long = hasInd && hasVal
	if long {
		// A long table repeats a unit's coordinates on every row: they
		// are read from wide tables only.
		for i := range cols {
			if cols[i].role == roleLon || cols[i].role == roleLat {
				cols[i].role = roleIgnore
			}
		}
	}
	if !long {
		for i := range cols {
			switch cols[i].role {
			case roleIndicatorEN, roleIndicatorZH, roleUnit, roleSource, roleIndicatorName, roleValue:
				// In a wide table these are data columns after all.
				cols[i].role = roleIndicator
			}
		}
	}
	// With city and province columns side by side, the city is the region
	// and the province a matching hint.
	// So is a province column beside a general region column (region,
	// name, 地区): the province is then an attribute of the unit.
	finest := LevelProvince
	for _, c := range cols {
		if (c.role == roleRegionCode || c.role == roleRegionName) && (c.level == LevelCity || c.level == LevelCounty || c.level == "") {
			finest = c.level
		}
	}
	for i, c := range cols {
		if (c.role == roleRegionCode || c.role == roleRegionName) && c.level == LevelProvince && finest != LevelProvince {
			if c.role == roleRegionCode {
				cols[i].role = roleParentCode
			} else {
				cols[i].role = roleParentName
			}
		}
	}
	// A wide table with no recognised region header: the first column is
	// the region (code or name), as the documented layout says.
	hasRegion := false
	for _, c := range cols {
		if c.role == roleRegionCode || c.role == roleRegionName {
			hasRegion = true
		}
	}
	if !hasRegion && len(cols) > 0 && !long {
		cols[0].role = roleRegionName
	}
	for i := range cols {
		if cols[i].role == roleIndicator {
			cols[i].name, cols[i].unit, cols[i].year = splitHeader(cols[i].header, !hasYear)
		}
	}
	return cols, long
}

// slug makes an indicator code from a name: lower-case ASCII letters,
// digits and underscores; a name without ASCII letters is kept as is.
func slug(s string) string {
	s = parenthesised.ReplaceAllString(s, "")
	var b strings.Builder
	us := false
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
			us = false
		case r == '&':
			continue
		default:
			if r < 128 && b.Len() > 0 && !us {
				b.WriteByte('_')
				us = true
			} else if r >= 128 {
				b.WriteRune(r)
				us = false
			}
		}
	}
	return strings.Trim(b.String(), "_")
}
