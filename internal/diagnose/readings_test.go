package diagnose

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"agglo/internal/dataset"
)

// builtinData is the embedded paper data with the built-in data sets ids
// (census, city connectivity, city GDP), as agglo diagnose combines them
// by default.
func builtinData(t testing.TB, ids ...string) *dataset.Dataset {
	t.Helper()
	var e dataset.Embedded
	parts := []*dataset.Dataset{embedded(t)}
	for _, id := range ids {
		ds, err := e.Builtin(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		parts = append(parts, ds)
	}
	ds, err := dataset.Merge("paper + built-in", parts...)
	if err != nil {
		t.Fatal(err)
	}
	return ds
}

func reading(a *Agglomeration, ind string, excluded bool) (SizeReading, bool) {
	for _, r := range a.SpatialReadings {
		if r.Indicator == ind && r.PartialExcluded == excluded {
			return r, true
		}
	}
	return SizeReading{}, false
}

func TestNearestYear(t *testing.T) {
	for _, c := range []struct {
		years []int
		y     int
		want  int
	}{
		{[]int{2010, 2020}, 2017, 2020}, // 3 years against 7
		{[]int{2010, 2020}, 2015, 2020}, // equally near: the later
		{[]int{2010, 2020}, 2014, 2010},
		{[]int{2015}, 2017, 2015},
		{[]int{2016, 2017, 2018}, 2017, 2017},
	} {
		if got := nearestYear(c.years, c.y); got != c.want {
			t.Errorf("nearestYear(%v, %d) = %d, want %d", c.years, c.y, got, c.want)
		}
	}
}

// TestInnovationSizeFirst checks that the spatial mode reads member-city
// patents first, with population and GDP as variants of the confidence
// analysis, each in its year nearest the patents' (2017): population 2020
// (not 2010), GDP 2015. Expected values by hand from
// testdata/china_panel/city_intercity_connectivity_liang2024.csv (专利数,
// 2017) for BTH's 13 members (testdata/agglomerations/agglomerations_19.csv):
//
//	北京 106499, 天津 41459, 石家庄 7453, 唐山 3647, 秦皇岛 2990, 邯郸 2426,
//	邢台 2805, 保定 5422, 张家口 978, 承德 762, 沧州 3020, 廊坊 3472,
//	衡水 2068; total 183001
//	cores' share (北京 + 天津) = 147958/183001 = 0.808509
//	core primacy = smallest core / largest other = 41459/7453 = 5.562727
//	Zipf share of the top 2 of 13 = H_2/H_13 = 1.5/(1145993/360360)
func TestInnovationSizeFirst(t *testing.T) {
	ds := builtinData(t, dataset.BuiltinCensus, dataset.BuiltinConnectivity, dataset.BuiltinCityGDP)
	res := runOn(t, ds)
	bth := get(t, res, "BTH")
	if bth.SizeIndicator != "patents" || bth.SizeYear != 2017 {
		t.Fatalf("BTH nominal size %s %d, want patents 2017", bth.SizeIndicator, bth.SizeYear)
	}
	var got []string
	for _, r := range bth.SpatialReadings {
		got = append(got, r.Indicator+" "+strconv.Itoa(r.Year))
	}
	if strings.Join(got, ", ") != "patents 2017, population 2020, gdp 2015" {
		t.Errorf("BTH readings %v, want patents 2017, population 2020, gdp 2015", got)
	}
	r, _ := reading(bth, "patents", false)
	if !r.Nominal || r.Members != 13 || r.Label != CoreLed {
		t.Errorf("BTH patents reading %+v", r)
	}
	near(t, "BTH patents cores' share", r.CoreShare, 147958.0/183001, 1e-9)
	e, _ := evidence(r.Evidence, "core_primacy")
	near(t, "BTH patents core primacy", e.Value, 41459.0/7453, 1e-9)
	e, _ = evidence(r.Evidence, "core_share")
	near(t, "BTH Zipf share of 2 of 13", e.Threshold, 1.5*360360/1145993, 1e-12)
	if !strings.Contains(r.Text.ZH, "专利数 2017") || !strings.Contains(r.Text.EN, "patents 2017") {
		t.Errorf("reading text %+v", r.Text)
	}
	// Population reads BTH as multi-point (Hebei's populous cities): a
	// variant that disagrees lowers the confidence of the nominal label.
	if p, _ := reading(bth, "population", false); p.Label != MultiPoint {
		t.Errorf("BTH population reading %s, want multi-point", p.Label)
	}
	f, _ := bth.Finding(AxisSpatial)
	if bth.SpatialMode != CoreLed || f.Split[MultiPoint] == 0 || f.Confidence >= 1 {
		t.Errorf("BTH spatial %s %+v: core-led with the population variant against", bth.SpatialMode, f.Split)
	}
	// Each variant is shown with its indicator and year; the data line says
	// the same per axis.
	if !strings.Contains(bth.DataText.ZH, "空间模式：城市数据（专利数 2017；常住人口 2020；地区生产总值 2015）") ||
		!strings.Contains(bth.DataText.ZH, "发展水平：省级数据") ||
		!strings.Contains(bth.DataText.EN, "spatial mode: city data (patents 2017; resident population 2020; GDP 2015)") {
		t.Errorf("BTH data text %+v", bth.DataText)
	}

	// 成都 is absent from the city patent file: a patent reading without
	// one of CC's two cores cannot show their weight and is not used.
	cc := get(t, res, "CC")
	if _, ok := reading(cc, "patents", false); ok || cc.SizeIndicator != "population" {
		t.Errorf("CC read patents without Chengdu (nominal %s)", cc.SizeIndicator)
	}
	if !hasNote(cc, "专利数缺少核心城市成都市的数据") {
		t.Errorf("CC notes %v: no word on the patents left out", cc.Notes)
	}
	if cc.SpatialMode != CoreLed {
		t.Errorf("CC spatial %s, want core-led", cc.SpatialMode)
	}

	// The GDP file holds only the five's cities (118): a GDP reading cannot
	// place a core among the nation's cities, so it has no vote on the
	// weak core (15 variants, 5 of them GDP, leave 10 votes).
	if w, _ := bth.Finding(ProblemAxis(ProblemWeakCore)); w.Variants != 10 {
		t.Errorf("BTH weak-core votes %d, want 10 (patents and population only)", w.Variants)
	}
}

// TestUnreadableVariant: a variant leaving partial members out that keeps
// the core alone reads no structure and is not a variant, for the spatial
// mode, the siphon and the central collapse alike (黔中: 贵阳 and its
// partial members).
func TestUnreadableVariant(t *testing.T) {
	ds := builtinData(t, dataset.BuiltinCensus, dataset.BuiltinConnectivity)
	a := get(t, runOn(t, ds, "CGZ"), "CGZ")
	for _, r := range a.SpatialReadings {
		if r.Label == Undetermined {
			t.Errorf("CGZ: unreadable reading kept: %+v", r)
		}
	}
	for _, axis := range []string{AxisSpatial, AxisFlow, ProblemAxis(ProblemCentralCollapse)} {
		if f, _ := a.Finding(axis); f.Split[Undetermined] != 0 {
			t.Errorf("CGZ %s split %v counts unreadable variants", axis, f.Split)
		}
	}
}

// TestKnowledgeFlowCopublication checks the co-publication evidence: the
// member cities' mean z-score of log co-publication degree against the 274
// cities of testdata/china_panel/city_intercity_connectivity_liang2024.csv
// (城际合作论文网络度, 2017; 莱芜 left out as in the built-in copy). By hand
// (Python, math module, population standard deviation):
//
//	mean of ln(degree) over 274 cities = 4.739044514688498, σ = 2.0143828861913073
//	BTH (13 of 13 members): mean z = 0.63010352798474
//	MYR (28 of 31; 仙桃、潜江、天门 absent): mean z = 0.047775251551848766
//
// Neither is at or below low_z = −0.5. 成都 is absent from the file, so
// CC's co-publication evidence is not used.
func TestKnowledgeFlowCopublication(t *testing.T) {
	ds := builtinData(t, dataset.BuiltinCensus, dataset.BuiltinConnectivity)
	res := runOn(t, ds)
	for _, c := range []struct {
		code string
		want float64
	}{{"BTH", 0.63010352798474}, {"MYR", 0.047775251551848766}} {
		a := get(t, res, c.code)
		e, ok := evidence(a.ProblemChecks[ProblemLowKnowledgeFlow], "copublication_degree_z")
		if !ok {
			t.Fatalf("%s: no co-publication evidence", c.code)
		}
		near(t, c.code+" co-publication z", e.Value, c.want, 1e-9)
		if e.Met || e.Threshold != -0.5 {
			t.Errorf("%s co-publication evidence %+v", c.code, e)
		}
	}
	cc := get(t, res, "CC")
	if _, ok := evidence(cc.ProblemChecks[ProblemLowKnowledgeFlow], "copublication_degree_z"); ok {
		t.Error("CC: co-publication evidence without Chengdu")
	}
	if !hasNote(cc, "城际合作论文网络度缺少核心城市成都市的数据") {
		t.Errorf("CC notes %v", cc.Notes)
	}
	// BTH: the sparse gravity network says low, co-publication and
	// knowledge acquisition say not: the confidence comes from each piece
	// alone and all together, and the finding is uncertain.
	bth := get(t, res, "BTH")
	f, _ := bth.Finding(ProblemAxis(ProblemLowKnowledgeFlow))
	if len(bth.ProblemChecks[ProblemLowKnowledgeFlow]) != 3 || f.Variants != 4*5 || f.Status != StatusUncertain {
		t.Errorf("BTH knowledge flow %+v from %v", f, bth.ProblemChecks[ProblemLowKnowledgeFlow])
	}
	if !strings.Contains(bth.DataText.ZH, "知识流动：城市数据（") || !strings.Contains(bth.DataText.ZH, "城际合作论文网络度 2017") || !strings.Contains(bth.DataText.ZH, "与省级数据（知识获取综合指标 2019）") {
		t.Errorf("BTH data text %s", bth.DataText.ZH)
	}
}

func hasNote(a *Agglomeration, s string) bool {
	for _, n := range a.Notes {
		if strings.Contains(n.ZH, s) {
			return true
		}
	}
	return false
}
