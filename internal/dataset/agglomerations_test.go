package dataset

import (
	"bytes"
	"encoding/csv"
	"errors"
	"os"
	"slices"
	"sort"
	"strings"
	"testing"

	"agglo/internal/i18n"
)

// readTestCSV reads a fixture of testdata/ into maps keyed by header,
// independently of the code under test.
func readTestCSV(t *testing.T, path string) []map[string]string {
	t.Helper()
	b, err := os.ReadFile("../../testdata/" + path)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]string
	for _, r := range recs[1:] {
		m := map[string]string{}
		for i, h := range recs[0] {
			m[h] = r[i]
		}
		out = append(out, m)
	}
	return out
}

// TestBuiltinAgglomerations checks the registry's 19 agglomerations against
// testdata/agglomerations/agglomerations_19.csv, read here row by row:
// every member with its partial and core flags, in file order.
func TestBuiltinAgglomerations(t *testing.T) {
	reg, err := LoadRegistry()
	if err != nil {
		t.Fatal(err)
	}
	rows := readTestCSV(t, "agglomerations/agglomerations_19.csv")
	if len(rows) != 246 {
		t.Fatalf("fixture has %d rows, want 246", len(rows))
	}
	type want struct {
		members       []Member
		plan, tier    string
		nameZH, nameE string
	}
	byCode := map[string]*want{}
	var fileOrder []string
	for _, r := range rows {
		c := r["agglomeration_code"]
		if byCode[c] == nil {
			// The English name is shown in English output: the built-in
			// copy drops the Chinese name the source adds to one of them
			// (WTS: ", 粤闽浙沿海").
			nameEN := strings.Replace(r["agglomeration_en"], ", 粤闽浙沿海", "", 1)
			byCode[c] = &want{plan: r["plan_zh"], tier: r["level"], nameZH: r["agglomeration_zh"], nameE: nameEN}
			fileOrder = append(fileOrder, c)
		}
		byCode[c].members = append(byCode[c].members, Member{Code: r["adcode"], Partial: r["partial"] == "true", Core: r["core"] == "true"})
	}
	all := reg.AllAgglomerations()
	if len(all) != 19 {
		t.Fatalf("%d agglomerations, want 19", len(all))
	}
	// The five first in the paper's order, then the file's order.
	wantOrder := append([]string(nil), AgglomerationCodes()...)
	for _, c := range fileOrder {
		if !slices.Contains(wantOrder, c) {
			wantOrder = append(wantOrder, c)
		}
	}
	if got := reg.AllAgglomerationCodes(); !slices.Equal(got, wantOrder) {
		t.Errorf("order %v, want %v", got, wantOrder)
	}
	for _, a := range all {
		w := byCode[a.Code]
		if w == nil {
			t.Errorf("%s not in the fixture", a.Code)
			continue
		}
		if a.NameZH != w.nameZH || a.NameEN != w.nameE || a.Agglomeration == nil || a.Agglomeration.Plan != w.plan {
			t.Errorf("%s: names or plan %q %q %+v", a.Code, a.NameZH, a.NameEN, a.Agglomeration)
			continue
		}
		if tn := TierName(a.Agglomeration.Tier).ZH; tn != w.tier {
			t.Errorf("%s tier %q, want %q", a.Code, tn, w.tier)
		}
		if len(a.Members) != len(w.members) {
			t.Errorf("%s: %d members, want %d", a.Code, len(a.Members), len(w.members))
			continue
		}
		for i, m := range a.Members {
			if m.Code != w.members[i].Code || m.Partial != w.members[i].Partial || m.Core != w.members[i].Core {
				t.Errorf("%s member %d: %+v, want %+v", a.Code, i, m, w.members[i])
			}
		}
		if a.Agglomeration.Sourcing.Note.ZH == "" || a.Agglomeration.Sourcing.Note.EN == "" {
			t.Errorf("%s: sourcing note missing", a.Code)
		}
	}
	if got := reg.Agglomerations(); len(got) != 5 || got[0].Code != "BTH" || got[4].Code != "CC" {
		t.Errorf("default set %v, want the paper's five", codesOf(got))
	}
	// Spot checks from the fixture: Shandong Peninsula's cores, the
	// agglomeration without a core, the partial coastal cities of WTS.
	sdp, ok := reg.Agglomeration("sdp")
	if !ok || !slices.Equal(sdp.Cores(), []string{"370100", "370200"}) || len(sdp.Members) != 16 {
		t.Errorf("SDP cores %v, %d members", sdp.Cores(), len(sdp.Members))
	}
	if hbey, _ := reg.Agglomeration("HBEY"); len(hbey.Cores()) != 0 {
		t.Errorf("HBEY cores %v, the sources name none", hbey.Cores())
	}
	cc, _ := reg.Agglomeration("CC")
	if !slices.Equal(cc.Cores(), []string{"500000", "510100"}) {
		t.Errorf("CC cores %v, want Chongqing and Chengdu", cc.Cores())
	}
	if m, _ := cc.Member("500000"); !m.Partial {
		t.Error("Chongqing must be a partial member of CC")
	}
	// Names find the new agglomerations (agglo data show 山东半岛城市群).
	if got := reg.ByName("山东半岛城市群"); len(got) != 1 || got[0].Code != "SDP" {
		t.Errorf("ByName(山东半岛城市群) = %v", got)
	}
	if a, _ := reg.Agglomeration("GZP"); a.Parent != "CN" || a.ShortZH != "关中平原" {
		t.Errorf("GZP parent %q short %q", a.Parent, a.ShortZH)
	}
}

func codesOf(rs []*Region) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.Code
	}
	return out
}

// TestFiveUnchanged: the five's 95 members are exactly those of their
// earlier membership file, which stays embedded unchanged.
func TestFiveUnchanged(t *testing.T) {
	reg, err := LoadRegistry()
	if err != nil {
		t.Fatal(err)
	}
	five := readTestCSV(t, "agglomerations/agglomerations.csv")
	if len(five) != 95 {
		t.Fatalf("fixture has %d rows, want 95", len(five))
	}
	embedded, err := EmbeddedFile("agglomerations.csv")
	if err != nil {
		t.Fatal(err)
	}
	fixture, _ := os.ReadFile("../../testdata/agglomerations/agglomerations.csv")
	if !bytes.Equal(embedded, fixture) {
		t.Error("the embedded agglomerations.csv differs from testdata/agglomerations/agglomerations.csv")
	}
	at := map[string]int{}
	for _, r := range five {
		c := r["agglomeration_code"]
		a, ok := reg.Agglomeration(c)
		if !ok {
			t.Fatalf("no %s", c)
		}
		i := at[c]
		at[c]++
		if i >= len(a.Members) || a.Members[i].Code != r["adcode"] || a.Members[i].Partial != (r["partial"] == "true") {
			t.Errorf("%s member %d: registry %+v, file %s partial=%s", c, i, a.Members[i], r["adcode"], r["partial"])
		}
		if a.Parent != "FIVE" || a.NameZH != r["agglomeration_zh"] {
			t.Errorf("%s parent %q name %q", c, a.Parent, a.NameZH)
		}
	}
	for c, n := range at {
		a, _ := reg.Agglomeration(c)
		if len(a.Members) != n {
			t.Errorf("%s: %d members, the five's file has %d", c, len(a.Members), n)
		}
	}
}

// TestSharedMembers: the eight cities of two agglomerations, found in the
// fixture by hand: 邯郸 130400 and 邢台 130500 (BTH, CP), 运城 140800 (CP,
// GZP), 聊城 371500 and 菏泽 371700 (SDP, CP), 鹰潭 360600, 抚州 361000 and
// 上饶 361100 (MYR, WTS).
func TestSharedMembers(t *testing.T) {
	reg, err := LoadRegistry()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{
		"130400": {"BTH", "CP"}, "130500": {"BTH", "CP"}, "140800": {"CP", "GZP"},
		"371500": {"SDP", "CP"}, "371700": {"SDP", "CP"},
		"360600": {"MYR", "WTS"}, "361000": {"MYR", "WTS"}, "361100": {"MYR", "WTS"},
	}
	got := reg.SharedMembers()
	if len(got) != len(want) {
		t.Fatalf("%d shared members %+v, want 8", len(got), got)
	}
	for _, s := range got {
		w := append([]string(nil), want[s.Code]...)
		g := append([]string(nil), s.Agglomerations...)
		sort.Strings(w)
		sort.Strings(g)
		if !slices.Equal(g, w) {
			t.Errorf("%s in %v, want %v", s.Code, s.Agglomerations, want[s.Code])
		}
	}
	// 246 member rows, 8 of them repeated: 238 distinct cities.
	if n := len(reg.DistinctMembers()); n != 238 {
		t.Errorf("%d distinct members, want 246 − 8 = 238", n)
	}
	// The paper's five share no member.
	if s := reg.SharedMembers(AgglomerationCodes()...); len(s) != 0 {
		t.Errorf("the five share %v", s)
	}
	if s := reg.SharedMembers("BTH", "CP"); len(s) != 2 {
		t.Errorf("BTH and CP share %v, want 邯郸 and 邢台", s)
	}
	if m := reg.MembershipOf(LevelCity)["140800"]; !slices.Equal(m, []string{"CP", "GZP"}) {
		t.Errorf("运城 in %v", m)
	}
}

// TestSourcingGrades follows the sourcing column of the compilation's notes
// (testdata/SOURCE.md): four lists without an issued plan or member list are
// weak, two are fair.
func TestSourcingGrades(t *testing.T) {
	reg, err := LoadRegistry()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"CSL": SourcingWeak, "CGZ": SourcingWeak, "NXYH": SourcingWeak, "TSNP": SourcingWeak, "WTS": SourcingFair, "HBEY": SourcingFair}
	for _, a := range reg.AllAgglomerations() {
		g := a.Agglomeration.Sourcing.Grade
		w, ok := want[a.Code]
		if !ok {
			w = SourcingGood
		}
		if g != w {
			t.Errorf("%s sourcing %q, want %q", a.Code, g, w)
		}
		if GradeName(g).ZH == "" || i18n.HasLatinWord(a.Agglomeration.Sourcing.Note.ZH) {
			t.Errorf("%s: Chinese sourcing note has Latin words: %s", a.Code, a.Agglomeration.Sourcing.Note.ZH)
		}
	}
}

func TestReadAgglomerationsCSV(t *testing.T) {
	reg, err := LoadRegistry()
	if err != nil {
		t.Fatal(err)
	}
	in := "城市群代码,城市群,英文名,成员,部分,核心\n" +
		"NJ,南京都市圈,Nanjing metropolitan area,南京,,是\n" +
		"NJ,,,镇江市,否,\n" +
		"NJ,,,341100,true,\n" + // 滁州
		"XA,西安都市圈,,Xi'an,,1\n" +
		"XA,,,咸阳,,\n"
	set, err := ReadAgglomerations(strings.NewReader(in), "mine.csv", reg)
	if err != nil {
		t.Fatal(i18n.Message(err, "zh"))
	}
	if got := set.Codes(); !slices.Equal(got, []string{"NJ", "XA"}) {
		t.Fatalf("codes %v", got)
	}
	nj := set.Agglomerations[0]
	if nj.NameZH != "南京都市圈" || nj.NameEN != "Nanjing metropolitan area" || len(nj.Members) != 3 {
		t.Fatalf("NJ %+v", nj)
	}
	if nj.Members[0] != (Member{Code: "320100", Core: true}) || nj.Members[2] != (Member{Code: "341100", Partial: true}) {
		t.Errorf("NJ members %+v", nj.Members)
	}
	// Province members derive from the cities: Jiangsu (2 of 13 cities) and
	// Anhui (1 of 16), both partial.
	if len(nj.ProvinceMembers) != 2 || nj.ProvinceMembers[0].Code != "320000" || !nj.ProvinceMembers[0].Partial || nj.ProvinceMembers[1].Code != "340000" {
		t.Errorf("NJ province members %+v", nj.ProvinceMembers)
	}
	if !nj.Agglomeration.UserDefined || nj.Agglomeration.File != "mine.csv" {
		t.Errorf("NJ info %+v", nj.Agglomeration)
	}
	if xa := set.Agglomerations[1]; !slices.Equal(xa.Cores(), []string{"610100"}) || xa.NameEN != "XA" {
		t.Errorf("XA %+v", xa)
	}
	// The built-in file's own columns work too.
	b, _ := os.ReadFile("../../testdata/agglomerations/agglomerations_19.csv")
	all, err := ReadAgglomerations(bytes.NewReader(b), "agglomerations_19.csv", reg)
	if err != nil {
		t.Fatal(i18n.Message(err, "en"))
	}
	if len(all.Agglomerations) != 19 {
		t.Errorf("%d agglomerations from the built-in file", len(all.Agglomerations))
	}
}

func TestReadAgglomerationsErrors(t *testing.T) {
	reg, err := LoadRegistry()
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, in string
		row, col int
		zh, en   string
	}{
		{"unknown name", "code,name_zh,member\nNJ,南京圈,南京\nNJ,,南景\n", 3, 3, "未知地区“南景”", `unknown place "南景"`},
		{"ambiguous", "code,name_zh,member\nSZ,苏州圈,Suzhou\n", 2, 3, "有歧义", "ambiguous"},
		{"province", "code,name_zh,member\nJS,江苏,江苏\n", 2, 3, "省级单位", "a province"},
		{"unknown code", "code,name_zh,member\nJS,江苏,329900\n", 2, 3, "未知的行政区划代码", "unknown division code"},
		{"duplicate", "code,name_zh,member\nNJ,南京圈,南京\nNJ,,320100\n", 3, 3, "重复", "appears twice"},
		{"bad boolean", "code,name_zh,member,partial\nNJ,南京圈,南京,maybe\n", 2, 4, "不是是/否值", "not a yes/no value"},
		{"bad code", "code,name_zh,member\n1NJ,南京圈,南京\n", 2, 1, "城市群代码“1NJ”无效", `invalid agglomeration code "1NJ"`},
		{"no name", "code,member\nNJ,南京\n", 2, 0, "缺少中文名称", "no Chinese name"},
		{"contradicting name", "code,name_zh,member\nNJ,南京圈,南京\nNJ,宁镇扬,镇江\n", 3, 2, "不一致", "names it"},
		// A quote inside the unquoted cell 南"京 of line 2.
		{"bare quote", "code,name_zh,member\nNJ,南京圈,南\"京\n", 2, 0, "未加引号的单元格中有引号", `bare " in non-quoted-field`},
		{"no member column", "code,name_zh\nNJ,南京圈\n", 1, 0, "成员列", "member column"},
		{"yaml unknown member", "- code: NJ\n  name_zh: 南京圈\n  members:\n    - 南京\n    - 南景\n", 5, 0, "未知地区“南景”", `unknown place "南景"`},
		{"yaml core not member", "agglomerations:\n  - code: NJ\n    name_zh: 南京圈\n    members: [南京, 镇江]\n    cores: [扬州]\n", 5, 0, "不是城市群 NJ 的成员", "not a member of agglomeration NJ"},
		// name_zh is a list where a text is expected (line 2).
		{"yaml wrong type", "- code: NJ\n  name_zh: [南京圈]\n  members: [南京]\n", 2, 0, "结构错误：值的类型不对", "cannot unmarshal"},
		// A tab may not indent YAML (line 2).
		{"yaml syntax", "- code: NJ\n\tname_zh: 南京圈\n", 2, 0, "第2行：YAML 语法错误", "YAML syntax error: yaml: line 2"},
		{"yaml unknown field", "- code: NJ\n  name_zh: 南京圈\n  memebrs: [南京]\n", 3, 0, "结构错误", "structure error"},
	}
	for _, c := range cases {
		name := "set.csv"
		if strings.HasPrefix(c.name, "yaml") {
			name = "set.yaml"
		}
		_, err := ReadAgglomerations(strings.NewReader(c.in), name, reg)
		var ie *ImportError
		if !errors.As(err, &ie) || len(ie.Issues) == 0 {
			t.Errorf("%s: error %v, want an ImportError", c.name, err)
			continue
		}
		is := ie.Issues[0]
		if is.File != name || is.Row != c.row || is.Col != c.col {
			t.Errorf("%s: located at %s row %d col %d, want row %d col %d (%s)", c.name, is.File, is.Row, is.Col, c.row, c.col, is.Localized("en"))
		}
		// yaml.v3's English words (yaml: line 2, !!seq) stay out of the
		// Chinese message.
		if zh, en := is.Localized("zh"), is.Localized("en"); !strings.Contains(zh, c.zh) || !strings.Contains(en, c.en) || strings.Contains(zh, "yaml:") || strings.Contains(zh, "!!") {
			t.Errorf("%s: messages\n  %s\n  %s", c.name, zh, en)
		}
	}
}

func TestReadAgglomerationsYAML(t *testing.T) {
	reg, err := LoadRegistry()
	if err != nil {
		t.Fatal(err)
	}
	in := `agglomerations:
  - code: cz
    name_zh: 长株潭都市圈
    name_en: Changsha-Zhuzhou-Xiangtan
    plan: 长株潭都市圈发展规划
    plan_year: 2022
    members:
      - 长沙
      - {member: 430200}
      - {member: 湘潭, partial: false, note: 全域}
    cores: [长沙市]
`
	set, err := ReadAgglomerations(strings.NewReader(in), "cz.yml", reg)
	if err != nil {
		t.Fatal(i18n.Message(err, "zh"))
	}
	a := set.Agglomerations[0]
	if a.Code != "CZ" || a.Agglomeration.PlanYear != 2022 || len(a.Members) != 3 || !slices.Equal(a.Cores(), []string{"430100"}) || a.Members[2].Note != "全域" {
		t.Errorf("%+v %+v", a, a.Agglomeration)
	}
}

func TestWithAgglomerations(t *testing.T) {
	reg, err := LoadRegistry()
	if err != nil {
		t.Fatal(err)
	}
	set, err := ReadAgglomerations(strings.NewReader("code,name_zh,member,core\nNJ,南京都市圈,南京,true\nNJ,,镇江,\n"), "nj.csv", reg)
	if err != nil {
		t.Fatal(err)
	}
	added, err := reg.WithAgglomerations(set, false)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(added.AllAgglomerations()); n != 20 {
		t.Errorf("added: %d agglomerations, want 20", n)
	}
	if got := codesOf(added.Agglomerations()); !slices.Equal(got, []string{"BTH", "YRD", "MYR", "PRD", "CC", "NJ"}) {
		t.Errorf("added default set %v", got)
	}
	if m := added.MembershipOf(LevelCity)["320100"]; !slices.Equal(m, []string{"YRD", "NJ"}) {
		t.Errorf("Nanjing in %v after adding NJ", m)
	}
	if n := len(reg.AllAgglomerations()); n != 19 {
		t.Errorf("the original registry changed: %d agglomerations", n)
	}
	replaced, err := reg.WithAgglomerations(set, true)
	if err != nil {
		t.Fatal(err)
	}
	if got := replaced.AllAgglomerationCodes(); !slices.Equal(got, []string{"NJ"}) {
		t.Errorf("replaced: %v", got)
	}
	if _, ok := replaced.Lookup("110000"); !ok {
		t.Error("replacing the agglomerations dropped a province")
	}
	// Adding a code the registry has is an error located at the file's
	// row and column, under the header the file gives it.
	clash, err := ReadAgglomerations(strings.NewReader("成员,城市群代码,name_zh\n上海,YRD,我的长三角\n"), "mine.csv", reg)
	if err != nil {
		t.Fatal(err)
	}
	_, err = reg.WithAgglomerations(clash, false)
	var ie *ImportError
	if !errors.As(err, &ie) || ie.Issues[0].Row != 2 || !strings.Contains(ie.Issues[0].Localized("zh"), "mine.csv 第2行 第2列（城市群代码）：城市群代码“YRD”已被占用") {
		t.Errorf("clash error %v", err)
	}
	if r, err := reg.WithAgglomerations(clash, true); err != nil || len(r.AllAgglomerations()) != 1 {
		t.Errorf("replace with a reused code: %v", err)
	}
}

// FuzzReadAgglomerations: any input gives a set or a located error, never
// a panic.
func FuzzReadAgglomerations(f *testing.F) {
	reg, err := LoadRegistry()
	if err != nil {
		f.Fatal(err)
	}
	f.Add("code,name_zh,member\nNJ,南京圈,南京\n", "a.csv")
	f.Add("- code: NJ\n  name_zh: 南京圈\n  members: [南京, {member: 5}]\n  cores: [{a: 1}]\n", "a.yaml")
	f.Add("agglomerations: 3\n", "a.yml")
	f.Fuzz(func(t *testing.T, in, name string) {
		set, err := ReadAgglomerations(strings.NewReader(in), name, reg)
		if err == nil && (set == nil || len(set.Agglomerations) == 0) {
			t.Fatal("no error and no agglomeration")
		}
	})
}
