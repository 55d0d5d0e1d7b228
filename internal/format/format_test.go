package format

import (
	"fmt"
	"math"
	"testing"
)

// Expected strings are written by hand from the rule in the package
// comment; the issue's examples (212014.1343 km², 6399.8287 万人) are the
// first cases.
func TestDecimalsAndNumber(t *testing.T) {
	for _, c := range []struct {
		unit   string
		values []float64
		want   string // the first value printed with the column's decimals
	}{
		{"km²", []float64{212014.1343, 99310}, "212,014"},
		{"万人", []float64{6399.8287, 1500}, "6,399.8"},
		{"人/km²", []float64{1163.6, 398.7}, "1,163.6"},
		{"万元/人", []float64{13.58, 6.51}, "13.58"},
		{"件/万元", []float64{0.42, 0.10}, "0.42"},
		{"", []float64{0.029, 0.0162}, "0.029"},
		{"", []float64{0.51, 0.09}, "0.510"}, // 0.09 would keep one significant digit with 2 decimals
		{"件", []float64{173891.4}, "173,891"},
		{"%", []float64{52.03, 8.1}, "52.03"},
		{"", []float64{0.0012}, "0.0012"},
		{"", []float64{math.NaN()}, "—"},
		{"", nil, ""},
	} {
		d := Decimals(c.unit, c.values...)
		if len(c.values) == 0 {
			if d != 2 {
				t.Errorf("empty column: %d decimals, want 2", d)
			}
			continue
		}
		if got := Number(c.values[0], d); got != c.want {
			t.Errorf("%s %v: %s (%d decimals), want %s", c.unit, c.values, got, d, c.want)
		}
	}
}

func TestNumber(t *testing.T) {
	for _, c := range []struct {
		v    float64
		d    int
		want string
	}{{1163.6, 1, "1,163.6"}, {990865, 0, "990,865"}, {-0.0001, 2, "0.00"}, {12345.678, 2, "12,345.68"}, {-52.5, 1, "-52.5"}, {999.96, 1, "1,000.0"},
		{-1234567, 0, "-1,234,567"}, {math.Inf(1), 2, "—"}, {0.5, -1, "0"}} {
		if got := Number(c.v, c.d); got != c.want {
			t.Errorf("Number(%g, %d) = %s, want %s", c.v, c.d, got, c.want)
		}
	}
	if got := Percent(0.327); got != "32.7%" {
		t.Errorf("Percent(0.327) = %s, want 32.7%%", got)
	}
}

// English unit names follow the issue: 10,000 km², 100 million people,
// trillion yuan.
func TestUnit(t *testing.T) {
	for _, c := range []struct{ in, zh, en string }{
		{"万km²", "万km²", "10,000 km²"},
		{"亿人", "亿人", "100 million people"},
		{"万亿元", "万亿元", "trillion yuan"},
		{"千万人", "千万人", "10 million people"},
		{"人/km²", "人/km²", "people per km²"},
		{"人/平方千米", "人/km²", "people per km²"},
		{"万元/人", "万元/人", "10,000 yuan per person"},
		{"件/万元", "件/万元", "items per 10,000 yuan"},
		{"百人", "百人", "100 people"},
		{"%", "%", "%"},
		{"分", "分", "points"},
		{"", "", ""},
		{"furlongs", "furlongs", "furlongs"},
	} {
		got := Unit(c.in)
		if got.ZH != c.zh || got.EN != c.en {
			t.Errorf("Unit(%q) = %q/%q, want %q/%q", c.in, got.ZH, got.EN, c.zh, c.en)
		}
	}
}

func ExampleNumber() {
	fmt.Println(Number(212014.1343, Decimals("km²", 212014.1343)))
	fmt.Println(Number(6399.8287, Decimals("万人", 6399.8287)))
	// Output:
	// 212,014
	// 6,399.8
}
