package server

import "testing"

func TestUnitIn(t *testing.T) {
	for in, want := range map[string]string{
		"万人": "10,000 people", "亿元": "100 million yuan", "人/km²": "people per km²", "万元/人": "10,000 yuan per person",
		"件/万元": "items per 10,000 yuan", "人/项": "people per project", "%": "%", "km²": "km²", "人年": "person-years",
		"万亿元": "trillion yuan", "": "", "吨": "吨",
	} {
		if got := unitIn(in, "en"); got != want {
			t.Errorf("unitIn(%q) = %q, want %q", in, got, want)
		}
		if got := unitIn(in, "zh"); got != in {
			t.Errorf("zh changed %q to %q", in, got)
		}
	}
}
