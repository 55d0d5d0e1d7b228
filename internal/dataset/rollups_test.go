package dataset

import (
	"context"
	"math"
	"strings"
	"testing"
)

// TestWithRollupsCensus rolls the built-in 2010/2020 census up to the
// agglomerations. Expected values are sums of the source file's rows
// (testdata/china2019/city_census_2010_2020.csv, popu_2020 and
// popu_urban_2020, persons), computed by hand over the members of
// data/agglomerations_19.csv:
//   - SDP, 16 cities: 101,527,453 residents, 64,014,254 urban: 10152.7453
//     万人 and an urbanisation rate of 100 × 64,014,254 / 101,527,453 =
//     63.0512%;
//   - CC, 16 members of which 4 partial (重庆, 绵阳, 达州, 雅安): 102,709,894
//     counted whole, 58,967,467 without the partial ones.
func TestWithRollupsCensus(t *testing.T) {
	var e Embedded
	ds, err := e.Builtin(context.Background(), BuiltinCensus)
	if err != nil {
		t.Fatal(err)
	}
	n := ds.Len()
	out, err := ds.WithRollups(RollupOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if ds.Len() != n {
		t.Error("the input changed")
	}
	cases := []struct {
		agg, ind string
		want     float64
	}{
		{"SDP", "population", 10152.7453},
		{"SDP", "urbanization_rate", 100 * 64014254.0 / 101527453},
		{"CC", "population", 10270.9894},
	}
	for _, c := range cases {
		o, ok := out.Lookup(c.agg, c.ind, 2020)
		if !ok || math.Abs(o.Value-c.want) > 1e-9*c.want {
			t.Errorf("%s %s 2020 = %v (%v), want %v", c.agg, c.ind, o.Value, ok, c.want)
			continue
		}
		p := out.Provenance(o)
		if p.Kind != Derived || p.Rollup == nil || p.Rollup.Level != LevelCity || p.Rollup.Covered != 16 || p.Rollup.Members != 16 {
			t.Errorf("%s %s provenance %+v %+v", c.agg, c.ind, p, p.Rollup)
		}
	}
	o, _ := out.Lookup("CC", "population", 2020)
	if r := out.Provenance(o).Rollup; len(r.Partial) != 4 || r.PartialExcluded || !strings.Contains(r.Text().EN, "4 partial members counted whole") {
		t.Errorf("CC partial members: %+v", r)
	}
	excl, err := ds.WithRollups(RollupOptions{ExcludePartial: true})
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := excl.Value("CC", "population", 2020); math.Abs(v-5896.7467) > 1e-6 {
		t.Errorf("CC without partial members = %v, want 5896.7467", v)
	}
	// Shared members are named, never summed twice silently.
	// 邯郸 is a member of both BTH (京津冀) and CP (中原) in
	// data/agglomerations_19.csv; the notes name them, not their codes.
	notes, notesZH := "", ""
	for _, n := range out.Notes {
		notes += n.Text.EN + "\n"
		notesZH += n.Text.ZH + "\n"
	}
	if !strings.Contains(notes, "Handan belongs to Beijing-Tianjin-Hebei, Central Plains") {
		t.Errorf("shared members not named:\n%s", notes)
	}
	if !strings.Contains(notesZH, "邯郸市 同属 京津冀城市群、中原城市群") || strings.Contains(notesZH, "BTH") {
		t.Errorf("shared members not named in Chinese:\n%s", notesZH)
	}
}

// TestWithRollupsProvinceData: province data stand for an agglomeration
// only with the note that the unit is wider, and index scores are never
// rolled up.
func TestWithRollupsProvinceData(t *testing.T) {
	opts := testOpts(t)
	ds, err := Read(strings.NewReader("地区,年份,R&D经费(万元),创新能力综合值\n山东,2019,1,50\n北京,2019,2,60\n天津,2019,3,55\n河北,2019,4,30\n"), "p.csv", CSV, opts)
	if err != nil {
		t.Fatal(err)
	}
	out, err := ds.WithRollups(RollupOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// SDP covers all of Shandong: not wider. BTH: Beijing, Tianjin and
	// the whole of Hebei (all 11 cities are members): 2+3+4 = 9, not wider.
	// CP has members in Hebei (邯郸, 邢台) and Shandong (聊城, 菏泽) besides
	// Henan, Shanxi and Anhui: 4+1 = 5 from the two provinces with data,
	// both only partly inside: wider.
	for _, c := range []struct {
		agg   string
		want  float64
		wider bool
	}{{"SDP", 1, false}, {"BTH", 9, false}, {"CP", 5, true}} {
		o, ok := out.Lookup(c.agg, "rd_expenditure", 2019)
		if !ok || o.Value != c.want {
			t.Errorf("%s = %v (%v), want %v", c.agg, o.Value, ok, c.want)
			continue
		}
		if r := out.Provenance(o).Rollup; r.Level != LevelProvince || r.Wider != c.wider {
			t.Errorf("%s rollup %+v, wider want %v", c.agg, r, c.wider)
		}
	}
	// The note on wider units names CP, the one agglomeration rolled up
	// from partly covered provinces above, by its name.
	wider := false
	for _, n := range out.Notes {
		wider = wider || strings.HasPrefix(n.Text.ZH, "中原城市群 的部分数值由省级数据汇总") && strings.HasPrefix(n.Text.EN, "some values of Central Plains are")
	}
	if !wider {
		t.Errorf("no note on wider units naming 中原城市群: %v", out.Notes)
	}
	for _, ind := range out.Indicators {
		if strings.HasPrefix(ind.Code, "cric_") {
			if _, ok := out.Value("BTH", ind.Code, 2019); ok {
				t.Errorf("index score %s rolled up", ind.Code)
			}
		}
	}
}
