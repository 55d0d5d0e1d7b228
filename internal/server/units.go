package server

import (
	"strings"

	"agglo/internal/i18n"
)

// unitIn writes a catalogue unit (Chinese symbols: 万人, 亿元, 人/km²) in
// lang: English gets English words and magnitudes ("10,000 people",
// "100 million yuan", "people/km²"); an unknown unit is kept.
func unitIn(unit, lang string) string {
	if lang != i18n.EN || unit == "" {
		return unit
	}
	num, den, ratio := strings.Cut(unit, "/")
	n, ok := unitEN(num, false)
	if !ok {
		return unit
	}
	if !ratio {
		return n
	}
	d, ok := unitEN(den, true)
	if !ok {
		return unit
	}
	return n + " per " + d
}

// unitEN translates one side of a unit; singular for a denominator.
func unitEN(u string, singular bool) (string, bool) {
	prefix := ""
	for _, p := range []struct{ zh, en string }{{"万亿", "trillion "}, {"亿", "100 million "}, {"万", "10,000 "}, {"千", "1,000 "}} {
		if rest, ok := strings.CutPrefix(u, p.zh); ok && rest != "" {
			prefix, u = p.en, rest
			break
		}
	}
	bases := map[string][2]string{
		"人": {"people", "person"}, "元": {"yuan", "yuan"}, "件": {"items", "item"}, "项": {"projects", "project"},
		"所": {"institutions", "institution"}, "个": {"units", "unit"}, "人年": {"person-years", "person-year"},
		"km²": {"km²", "km²"}, "%": {"%", "%"}, "‰": {"‰", "‰"}, "unit": {"units", "unit"}, "公顷": {"hectares", "hectare"},
	}
	b, ok := bases[u]
	if !ok {
		return "", false
	}
	if singular {
		if prefix != "" {
			return prefix + b[0], true
		}
		return b[1], true
	}
	return prefix + b[0], true
}
