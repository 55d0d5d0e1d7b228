package i18n

import (
	"fmt"
	"testing"
)

func TestNormalize(t *testing.T) {
	cases := map[string]string{"": ZH, "zh": ZH, "zh-CN": ZH, "en": EN, "en-US,en;q=0.9": EN, "EN": EN, "fr": ZH}
	for in, want := range cases {
		if got := Normalize(in); got != want {
			t.Errorf("Normalize(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestMessageKeepsContext(t *testing.T) {
	inner := Errorf("第%d行有误", "row %d is wrong", 3)
	err := fmt.Errorf("read a.csv: %w", inner)
	if got := Message(err, ZH); got != "read a.csv: 第3行有误" {
		t.Errorf("zh: got %q", got)
	}
	if got := Message(err, EN); got != "read a.csv: row 3 is wrong" {
		t.Errorf("en: got %q", got)
	}
	if got := Message(fmt.Errorf("plain"), ZH); got != "plain" {
		t.Errorf("plain: got %q", got)
	}
}

func TestTextFallback(t *testing.T) {
	if got := T("", "only en").In(ZH); got != "only en" {
		t.Errorf("got %q", got)
	}
}

func TestHasLatinWord(t *testing.T) {
	for _, c := range []struct {
		s       string
		allowed []string
		want    bool
	}{
		{"成员城市的人口", nil, false},
		{"第 3 行 x 列", nil, false},             // a single letter is not a word
		{"地区生产总值 gdp", nil, true},             // an identifier
		{"人均 GDP 增长", []string{"GDP"}, false}, // an allowed abbreviation
		{"R&D 经费与 5G", []string{"R&D", "5G"}, false},
		{"R&D 经费与 key", []string{"R&D"}, true},
	} {
		if got := HasLatinWord(c.s, c.allowed...); got != c.want {
			t.Errorf("HasLatinWord(%q, %q) = %v, want %v", c.s, c.allowed, got, c.want)
		}
	}
}
