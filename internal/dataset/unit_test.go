package dataset

import (
	"math"
	"testing"
)

func TestParseUnitAndFactor(t *testing.T) {
	// Factors are the definitions of the Chinese multipliers: 万 = 1e4, 亿 = 1e8.
	cases := []struct {
		from, to string
		factor   float64
	}{
		{"人", "万人", 1e-4},
		{"亿人", "万人", 1e4},
		{"万亿元", "亿元", 1e4},
		{"元", "万元", 1e-4},
		{"万km²", "km²", 1e4},
		{"万平方千米", "平方公里", 1e4},
		{"%", "‰", 10},
		{"人/平方千米", "人/km²", 1},
		{"元/人", "万元/人", 1e-4},
		{"件/亿元", "件/万元", 1e-4},
		{"10k persons", "人", 1e4},
		{"100 million yuan", "亿元", 1},
		{"千万人", "亿人", 0.1},
		{"", "分", 1},
	}
	for _, c := range cases {
		f, err := ParseUnit(c.from)
		if err != nil {
			t.Fatalf("ParseUnit(%q): %v", c.from, err)
		}
		to, err := ParseUnit(c.to)
		if err != nil {
			t.Fatalf("ParseUnit(%q): %v", c.to, err)
		}
		got, err := Factor(f, to)
		if err != nil {
			t.Fatalf("Factor(%q,%q): %v", c.from, c.to, err)
		}
		if math.Abs(got-c.factor) > 1e-12*math.Abs(c.factor) {
			t.Errorf("Factor(%q,%q) = %g, want %g", c.from, c.to, got, c.factor)
		}
	}
}

func TestParseUnitRejects(t *testing.T) {
	for _, s := range []string{"吨", "miles", "万%", "人/", "/人", "abc/def", "万"} {
		if u, err := ParseUnit(s); err == nil {
			t.Errorf("ParseUnit(%q) = %+v, want error", s, u)
		}
	}
	a, _ := ParseUnit("件")
	b, _ := ParseUnit("项")
	if _, err := Factor(a, b); err == nil {
		t.Error("件 and 项 must not convert")
	}
}
