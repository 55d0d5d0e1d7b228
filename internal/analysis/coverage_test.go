package analysis

import (
	"context"
	"strings"
	"testing"

	"agglo/internal/dataset"
	"agglo/internal/i18n"
)

func coverageOf(cs []GroupCoverage, group string) (GroupCoverage, bool) {
	for _, c := range cs {
		if c.Group == group {
			return c, true
		}
	}
	return GroupCoverage{}, false
}

// TestMeasureCoverage: a measure grouped by agglomeration says, per
// agglomeration, which members had data and which members it shares.
// Expected counts from the source files: the city patent file
// (testdata/china_panel/city_intercity_connectivity_liang2024.csv) has no
// row for 成都 (CC), 安庆 (YRD) or the county-level 仙桃, 潜江, 天门 (MYR);
// the census (testdata/china2019/city_census_2010_2020.csv) has every
// member of the five in 2010 and 2020. Shared members
// (testdata/agglomerations/agglomerations_19.csv): 上饶, 鹰潭, 抚州 are in
// MYR and WTS, and count in MYR, the first of the set.
func TestMeasureCoverage(t *testing.T) {
	var e dataset.Embedded
	ds, err := e.Builtin(context.Background(), dataset.BuiltinConnectivity)
	if err != nil {
		t.Fatal(err)
	}
	r, err := Measure(ds, MeasureRequest{Method: "gini", Indicator: "patents", Group: "agglomeration", Lang: i18n.ZH})
	if err != nil {
		t.Fatal(i18n.Message(err, "en"))
	}
	for _, c := range []struct {
		group            string
		covered, members int
		missing          string
	}{{"BTH", 13, 13, ""}, {"YRD", 25, 26, "安庆市"}, {"MYR", 28, 31, "仙桃市、潜江市、天门市"}, {"PRD", 9, 9, ""}, {"CC", 15, 16, "成都市"}} {
		got, ok := coverageOf(r.Coverage, c.group)
		if !ok || got.Covered != c.covered || got.Members != c.members || got.Year != 2017 {
			t.Errorf("%s coverage %+v, want %d/%d in 2017", c.group, got, c.covered, c.members)
			continue
		}
		var names []string
		for _, m := range got.Missing {
			names = append(names, m.Name)
		}
		if strings.Join(names, "、") != c.missing || c.missing != "" && !strings.Contains(got.Text, "缺少数据："+c.missing) {
			t.Errorf("%s missing %v (%s), want %s", c.group, names, got.Text, c.missing)
		}
	}

	// All 19 on the census: the three members MYR shares with WTS count in
	// MYR, and WTS names them.
	census, err := e.Builtin(context.Background(), dataset.BuiltinCensus)
	if err != nil {
		t.Fatal(err)
	}
	reg, err := census.Registry.WithDefaults(census.Registry.AllAgglomerationCodes())
	if err != nil {
		t.Fatal(err)
	}
	r, err = Measure(census.WithRegistry(reg), MeasureRequest{Method: "theil", Indicator: "population", Group: "agglomeration", Year: 2020, Lang: i18n.EN})
	if err != nil {
		t.Fatal(i18n.Message(err, "en"))
	}
	wts, _ := coverageOf(r.Coverage, "WTS")
	myr, _ := coverageOf(r.Coverage, "MYR")
	if wts.Counted != wts.Covered-3 || len(wts.Shared) != 3 || myr.Counted != myr.Covered {
		t.Errorf("WTS %+v, MYR %+v", wts, myr)
	}
	for _, s := range wts.Shared {
		if s.CountedIn != "MYR" || !strings.Contains(wts.Text, s.Name+" (counted in Middle Reaches of the Yangtze River)") {
			t.Errorf("WTS shared %+v: %s", s, wts.Text)
		}
	}
	// A measure not grouped by agglomeration has no coverage.
	if r, _ := Measure(ds, MeasureRequest{Method: "gini", Indicator: "patents"}); len(r.Coverage) != 0 {
		t.Errorf("ungrouped coverage %+v", r.Coverage)
	}
}
