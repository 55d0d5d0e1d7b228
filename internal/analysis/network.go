package analysis

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"agglo/internal/dataset"
	"agglo/internal/i18n"
	"agglo/internal/measure"
	"agglo/internal/network"
)

// Flow is one flow of a user's flows table: from a unit to another (codes
// or names), with a non-negative value. Line is its line in the file.
type Flow struct {
	From, To string
	Value    float64
	Line     int
}

// Limits of a network analysis.
const (
	// MaxFlows bounds the rows of a flows table.
	MaxFlows = 1_000_000
	// MaxNetworkUnits bounds the units of a network (centrality needs n²
	// memory and an n³ eigendecomposition).
	MaxNetworkUnits = 2_000
)

// Network modes: how the two directions of a flow combine.
const (
	NetworkDirected = "directed"
	NetworkSum      = "sum"
	NetworkMax      = "max"
)

// ParseNetworkMode parses directed (the default, for ""), sum or max.
func ParseNetworkMode(s string) (string, error) {
	switch m := strings.ToLower(strings.TrimSpace(s)); m {
	case "", NetworkDirected:
		return NetworkDirected, nil
	case NetworkSum, NetworkMax:
		return m, nil
	}
	return "", i18n.Errorf("网络模式只能是 directed（有向）、sum（双向相加）或 max（取较大者）（收到“%s”）", "the network mode must be directed, sum or max (got %q)", s)
}

var (
	fromHeaders  = []string{"from", "origin", "source", "o", "起点", "出发地", "来源地", "流出地"}
	toHeaders    = []string{"to", "destination", "target", "d", "终点", "目的地", "流入地"}
	valueHeaders = []string{"value", "flow", "weight", "volume", "count", "流量", "数值", "值", "联系强度"}
)

func headerIndex(header []string, names []string) int {
	for i, h := range header {
		k := strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		for _, n := range names {
			if k == n {
				return i
			}
		}
	}
	return -1
}

// ParseFlows reads a flows table: CSV (UTF-8 or GBK) with a header naming
// the from, to and value columns (from/origin/起点, to/destination/终点,
// value/flow/流量). Errors name the file (name), the line and the column.
func ParseFlows(r io.Reader, name string) ([]Flow, error) {
	text, err := dataset.DecodeText(r)
	if err != nil {
		return nil, i18n.Errorf("%s：无法读取：%v", "%s: cannot read: %v", name, err)
	}
	cr := csv.NewReader(text)
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	header, err := cr.Read()
	if err != nil {
		return nil, i18n.Errorf("%s：没有表头（需要 from,to,value 三列）", "%s: no header (the from, to and value columns are needed)", name)
	}
	fi, ti, vi := headerIndex(header, fromHeaders), headerIndex(header, toHeaders), headerIndex(header, valueHeaders)
	if fi < 0 || ti < 0 || vi < 0 {
		return nil, i18n.Errorf("%s：表头须有 from（起点）、to（终点）和 value（流量）三列（收到：%s）", "%s: the header needs from, to and value columns (got: %s)", name, strings.Join(header, ", "))
	}
	var out []Flow
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, i18n.Errorf("%s 第 %d 行：%v", "%s line %d: %v", name, line, err)
		}
		if len(out) >= MaxFlows {
			return nil, i18n.Errorf("%s：流量超过 %d 行", "%s: more than %d flows", name, MaxFlows)
		}
		cell := func(i int) string {
			if i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		if strings.Join(rec, "") == "" {
			continue
		}
		f := Flow{From: cell(fi), To: cell(ti), Line: line}
		if f.From == "" || f.To == "" {
			return nil, i18n.Errorf("%s 第 %d 行：起点或终点为空", "%s line %d: empty from or to", name, line)
		}
		v, err := strconv.ParseFloat(cell(vi), 64)
		if err != nil || !(v >= 0) || math.IsInf(v, 0) {
			return nil, i18n.Errorf("%s 第 %d 行 %s 列：流量“%s”不是非负数", "%s line %d, column %s: flow %q is not a non-negative number", name, line, header[vi], cell(vi))
		}
		f.Value = v
		out = append(out, f)
	}
	if len(out) == 0 {
		return nil, i18n.Errorf("%s：没有流量数据", "%s: no flows", name)
	}
	return out, nil
}

// flowUnit resolves a unit label of a flows table: a region of the
// dataset, a registry code, or a registry name (a city before a province);
// otherwise the label itself is a free unit.
func flowUnit(ds *dataset.Dataset, label, lang string) (code, name string, level dataset.Level) {
	if r, ok := ds.Region(label); ok {
		return r.Code, r.Name(lang), r.Level
	}
	if ds.Registry != nil {
		if r, ok := ds.Registry.Lookup(label); ok {
			return r.Code, r.Name(lang), r.Level
		}
		var pick *dataset.Region
		for _, r := range ds.Registry.ByName(label) {
			if pick == nil || (r.Level == dataset.LevelCity && pick.Level != dataset.LevelCity) {
				pick = r
			}
		}
		if pick != nil {
			return pick.Code, pick.Name(lang), pick.Level
		}
	}
	return label, label, dataset.LevelUnit
}

// flowMatrix turns flows into a matrix over the units they name, in order
// of first appearance.
func flowMatrix(ds *dataset.Dataset, flows []Flow, lang string) (*Units, [][]float64, error) {
	pos := map[string]int{}
	u := &Units{}
	levels := map[dataset.Level]int{}
	index := func(label string) (int, error) {
		code, name, lv := flowUnit(ds, label, lang)
		if k, ok := pos[code]; ok {
			return k, nil
		}
		if len(u.Codes) >= MaxNetworkUnits {
			return 0, fieldError(FieldFlows, i18n.Errorf("网络单元超过 %d 个", "more than %d units in the network", MaxNetworkUnits))
		}
		pos[code] = len(u.Codes)
		u.Codes, u.Names = append(u.Codes, code), append(u.Names, name)
		levels[lv]++
		return len(u.Codes) - 1, nil
	}
	type edge struct {
		a, b int
		v    float64
	}
	var edges []edge
	for _, f := range flows {
		a, err := index(f.From)
		if err != nil {
			return nil, nil, err
		}
		b, err := index(f.To)
		if err != nil {
			return nil, nil, err
		}
		edges = append(edges, edge{a, b, f.Value})
	}
	n := len(u.Codes)
	m := make([][]float64, n)
	for i := range m {
		m[i] = make([]float64, n)
	}
	for _, e := range edges {
		if e.a != e.b {
			m[e.a][e.b] += e.v
		}
	}
	for lv, c := range levels {
		if c > levels[u.Level] || (c == levels[u.Level] && lv < u.Level) {
			u.Level = lv
		}
	}
	return u, m, nil
}

// gravityMatrix computes the gravity linkage matrix of req (two
// indicators, P and G) over the units with complete data and coordinates.
func gravityMatrix(ds *dataset.Dataset, req MeasureRequest) (*Units, [][]float64, float64, int, error) {
	if len(req.Indicators) != 2 {
		return nil, nil, 0, 0, fieldError(FieldIndicators, i18n.Errorf("%s 需要 --indicators P,G（人的质量与创新/经济质量两个指标）", "%s needs --indicators P,G (a human mass and an innovation or economic mass)", req.Method))
	}
	u, err := CrossSection(ds, Selection{Indicators: req.Indicators, Year: req.Year, Lang: req.Lang})
	if err != nil {
		return nil, nil, 0, 0, err
	}
	u, dropped := completeRows(u)
	if len(u.Codes) < 2 {
		return nil, nil, 0, 0, i18n.Errorf("%s 至少需要 2 个地区有完整数据", "%s needs at least 2 regions with complete data", req.Method)
	}
	for k := range u.Values {
		if err := validate(req.Method, u, u.Values[k], measure.NonNegative); err != nil {
			return nil, nil, 0, 0, err
		}
	}
	b := req.Exponent
	if b == 0 {
		b = 2
	}
	if !(b > 0) || b > 10 {
		return nil, nil, 0, 0, fieldError("exponent", i18n.Errorf("距离指数须为 0 到 10 之间的正数（收到 %g）", "the distance exponent must be a positive number up to 10 (got %g)", b))
	}
	lon, lat, err := coordinates(ds, u)
	if err != nil {
		return nil, nil, 0, 0, err
	}
	d := measure.DistanceMatrix(lon, lat)
	return u, measure.Gravity(u.Values[0], u.Values[1], d, b), b, dropped, nil
}

// threshold returns the cut-off of rule t on matrix r; def is the rule of
// the zero Threshold.
func (t Threshold) of(r [][]float64, def string) float64 {
	rule := t.Rule
	if rule == "" {
		rule = def
	}
	switch rule {
	case "mean":
		return measure.MeanThreshold(r)
	case "median":
		return measure.MedianThreshold(r)
	case "value":
		return t.Value
	}
	return 0
}

// networkMeasure analyses the network of a user's flows or of the gravity
// matrix: centrality, density, communities and their agreement with the
// agglomerations (or another grouping).
func networkMeasure(ds *dataset.Dataset, req MeasureRequest) (*MeasureResult, error) {
	mode, err := ParseNetworkMode(req.Mode)
	if err != nil {
		return nil, fieldError("mode", err)
	}
	res := &MeasureResult{Method: "network"}
	var u *Units
	var m [][]float64
	var tau float64
	if req.Flows != nil {
		if u, m, err = flowMatrix(ds, req.Flows, req.Lang); err != nil {
			return nil, err
		}
		tau = req.Threshold.of(m, "none")
		res.note(req.Lang, fmt.Sprintf("网络来自 %d 条流量记录", len(req.Flows)), fmt.Sprintf("network of %d flows", len(req.Flows)))
	} else {
		var b float64
		var dropped int
		if u, m, b, dropped, err = gravityMatrix(ds, req); err != nil {
			return nil, err
		}
		if len(u.Codes) > MaxNetworkUnits {
			return nil, i18n.Errorf("网络单元超过 %d 个", "more than %d units in the network", MaxNetworkUnits)
		}
		tau = req.Threshold.of(m, "mean")
		res.Indicators, res.Year = req.Indicators, u.Year
		res.noteIncomplete(req.Lang, dropped)
		res.Stats = map[string]Num{"exponent": Num(b)}
	}
	return networkOf(ds, req, res, u, m, mode, tau)
}

// networkOf analyses the network of matrix m over the units u (edges at
// least tau, directions combined by mode) into res: centrality, density,
// communities and their agreement with req's grouping (the agglomerations
// by default).
func networkOf(ds *dataset.Dataset, req MeasureRequest, res *MeasureResult, u *Units, m [][]float64, mode string, tau float64) (*MeasureResult, error) {
	if len(u.Codes) < 2 {
		return nil, i18n.Errorf("网络至少需要 2 个单元", "a network needs at least 2 units")
	}
	g, err := network.FromMatrix(m, networkModes[mode], tau)
	if err != nil {
		return nil, unitInputError("network", u.Names, err)
	}
	res.Level, res.N = string(u.Level), len(u.Codes)
	resolution := req.Resolution
	if resolution == 0 {
		resolution = 1
	}
	if !(resolution > 0) || resolution > MaxResolution {
		return nil, fieldError("resolution", i18n.Errorf("模块度分辨率须为 0 到 %[1]g 之间的正数（收到 %[2]g）", "the modularity resolution must be a positive number up to %[1]g (got %[2]g)", float64(MaxResolution), resolution))
	}
	c := g.Centrality()
	part := g.Communities(resolution, req.Seed)
	if res.Stats == nil {
		res.Stats = map[string]Num{}
	}
	res.Stats["threshold"], res.Stats["edges"], res.Stats["density"] = Num(tau), Num(g.Edges()), Num(g.Density())
	res.Stats["communities"], res.Stats["modularity"], res.Stats["resolution"] = Num(part.Communities), Num(part.Q), Num(resolution)
	res.Value = nump(g.Density())
	res.Seed = &req.Seed
	// The grouping the communities are compared with.
	greq := req
	if greq.Group == "" {
		greq.Group = GroupAgglomeration
	}
	groups, gnames, err := groupsFor(ds, u, greq)
	if err != nil && (req.Group != "" || !IsNoUnits(err)) {
		return nil, fieldError(FieldGroup, err)
	}
	var a, b []int
	member := make([]int, len(u.Codes))
	for i := range u.Codes {
		member[i] = len(gnames) + i // an ungrouped unit is a group of its own
		if groups[i] >= 0 {
			member[i] = groups[i]
			a, b = append(a, groups[i]), append(b, part.Membership[i])
		}
	}
	res.Stats["units_compared"] = Num(len(a))
	nmi, ari := math.NaN(), math.NaN()
	if len(a) >= 2 {
		nmi, ari = network.NMI(a, b), network.AdjustedRand(a, b)
		res.Stats["nmi"], res.Stats["ari"] = Num(nmi), Num(ari)
		res.Stats["group_modularity"] = Num(g.Modularity(member, resolution))
	} else {
		res.note(req.Lang, "少于 2 个单元有分组，无法与社区比较", "fewer than 2 units have a group: no comparison with the communities")
	}
	// Members without an edge (each a community of its own) and the sum
	// of the strengths, of which each unit's share is given.
	isolated, total := 0, 0.0
	for i := range u.Codes {
		if c.Degree[i] == 0 {
			isolated++
		}
		total += c.Strength[i]
	}
	res.Stats["isolated"] = Num(isolated)
	for i, code := range u.Codes {
		k := part.Membership[i]
		share := math.NaN()
		if total > 0 {
			share = 100 * c.Strength[i] / total
		}
		uv := UnitValue{Unit: code, Name: u.Names[i], Community: &k, Values: map[string]Num{
			"strength_share": Num(share),
			"degree":         Num(c.Degree[i]), "in_degree": Num(c.InDegree[i]), "out_degree": Num(c.OutDegree[i]),
			"strength": Num(c.Strength[i]), "in_strength": Num(c.InStrength[i]), "out_strength": Num(c.OutStrength[i]),
			"betweenness": Num(c.Betweenness[i]), "weighted_betweenness": Num(c.WeightedBetweenness[i]),
			"closeness": Num(c.Closeness[i]), "weighted_closeness": Num(c.WeightedCloseness[i]), "eigenvector": Num(c.Eigenvector[i])}}
		if groups[i] >= 0 {
			uv.Group = gnames[groups[i]]
		}
		res.Units = append(res.Units, uv)
	}
	res.Formula = "edges: entries ≥ threshold (" + mode + "); degree, strength, betweenness and closeness by steps and with length 1/weight, eigenvector of W (W + Wᵀ when directed); density E/(n(n−1)) (÷2 undirected); Louvain communities maximising modularity Q; NMI = 2I(A;B)/(H(A)+H(B)) and ARI against the grouping (docs/methods.md, network, communities)"
	top := 0
	for i := range u.Codes {
		if c.Strength[i] > c.Strength[top] {
			top = i
		}
	}
	zh := fmt.Sprintf("%d 个单元、%d 条边，密度 %.3f；联系总量最大的是%s。发现 %d 个社区（模块度 Q = %.3f）", len(u.Codes), g.Edges(), g.Density(), u.Names[top], part.Communities, part.Q)
	en := fmt.Sprintf("%d units and %d edges, density %.3f; %s has the largest total linkage. %d communities found (modularity Q = %.3f)", len(u.Codes), g.Edges(), g.Density(), u.Names[top], part.Communities, part.Q)
	if !math.IsNaN(nmi) {
		agree := [2]string{"与分组差别较大", "they differ markedly from the grouping"}
		switch CommunityAgreement(nmi) {
		case AgreementHigh:
			agree = [2]string{"与分组高度一致", "they largely coincide with the grouping"}
		case AgreementPartial:
			agree = [2]string{"与分组部分一致", "they partly coincide with the grouping"}
		}
		gzh, gen := greq.Group, greq.Group
		if isAgglomerationGroup(greq.Group) {
			gzh, gen = "城市群", "agglomeration"
		}
		zh += fmt.Sprintf("，与“%s”分组相比，标准化互信息为 %.3f、调整兰德指数为 %.3f：%s", gzh, nmi, ari, agree[0])
		en += fmt.Sprintf("; against the %s grouping NMI = %.3f and ARI = %.3f: %s", gen, nmi, ari, agree[1])
	}
	res.summary(req.Lang, zh+"。", en+".")
	return res, nil
}

var networkModes = map[string]network.Mode{NetworkDirected: network.Directed, NetworkSum: network.UndirectedSum, NetworkMax: network.UndirectedMax}

// MaxResolution is the largest modularity resolution a network analysis
// takes: far beyond it every unit is a community of its own.
const MaxResolution = 100

// Agreement grades how far communities coincide with a grouping.
type Agreement int

const (
	AgreementLow Agreement = iota
	AgreementPartial
	AgreementHigh
)

// CommunityAgreement grades the normalised mutual information of the
// communities and the grouping: high from 0.8, partial from 0.5, low
// below (the project's reading of the scale, where 1 is identical and 0
// independent partitions; docs/methods.md, network).
func CommunityAgreement(nmi float64) Agreement {
	switch {
	case nmi >= 0.8:
		return AgreementHigh
	case nmi >= 0.5:
		return AgreementPartial
	}
	return AgreementLow
}
