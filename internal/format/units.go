package format

import (
	"strings"

	"agglo/internal/i18n"
)

// prefixes are the Chinese multipliers of statistical units with their
// English wording, longest first so that 万亿 wins over 万 and 亿.
var prefixes = []struct{ zh, en string }{
	{"万亿", "trillion"}, {"千万", "10 million"}, {"百万", "million"}, {"十万", "100,000"},
	{"亿", "100 million"}, {"万", "10,000"}, {"千", "1,000"}, {"百", "100"}, {"十", "10"},
}

// bases are the units without multiplier: the English name of an amount
// and of one unit (after "per").
var bases = map[string]struct{ amount, one string }{
	"人": {"people", "person"}, "元": {"yuan", "yuan"}, "km²": {"km²", "km²"}, "平方千米": {"km²", "km²"},
	"件": {"items", "item"}, "个": {"units", "unit"}, "项": {"projects", "project"}, "所": {"institutions", "institution"},
	"篇": {"papers", "paper"}, "户": {"households", "household"}, "家": {"firms", "firm"}, "人年": {"person-years", "person-year"},
	"%": {"%", "%"}, "‰": {"‰", "‰"}, "分": {"points", "point"}, "m²": {"m²", "m²"}, "公顷": {"hectares", "hectare"},
	"次": {"times", "time"}, "人次": {"person-trips", "person-trip"},
}

// amount names a possibly prefixed unit in English: 万km² → "10,000 km²",
// 亿人 → "100 million people".
func amount(u string, per bool) (string, bool) {
	pre := ""
	for _, p := range prefixes {
		if strings.HasPrefix(u, p.zh) {
			if _, ok := bases[strings.TrimPrefix(u, p.zh)]; ok {
				pre, u = p.en, strings.TrimPrefix(u, p.zh)
			}
			break
		}
	}
	b, ok := bases[u]
	if !ok {
		return "", false
	}
	name := b.amount
	if per && pre == "" {
		name = b.one
	}
	if pre == "" {
		return name, true
	}
	return pre + " " + name, true
}

// Unit names a unit of agglo's catalogue (万人, km², 万元/人, 件/万元, %)
// in Chinese and English: 万km² is "10,000 km²", 亿人 "100 million people",
// 万亿元 "trillion yuan", 人/km² "people per km²". A unit it does not know
// keeps its spelling in both languages.
func Unit(u string) i18n.Text {
	u = strings.TrimSpace(u)
	if u == "" {
		return i18n.Text{}
	}
	zh := strings.ReplaceAll(u, "平方千米", "km²")
	if num, den, ok := strings.Cut(zh, "/"); ok {
		a, ok1 := amount(num, false)
		b, ok2 := amount(den, true)
		if ok1 && ok2 {
			return i18n.T(zh, a+" per "+b)
		}
		return i18n.T(zh, zh)
	}
	if en, ok := amount(zh, false); ok {
		return i18n.T(zh, en)
	}
	return i18n.T(zh, zh)
}
