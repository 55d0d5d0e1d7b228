package composite

import (
	"context"
	"fmt"
	"math"
	"sort"

	"agglo/internal/i18n"
	"agglo/internal/jsonnum"
)

// Unit is one row of the data: a region or city.
type Unit struct {
	Code string `json:"code"`
	Name string `json:"name"`
	// Groups maps a grouping name (e.g. "agglomeration") to the unit's group.
	Groups map[string]string `json:"groups,omitempty"`
}

// Data is the input of an index: Values[i][j] is unit i's value of
// indicator Indicators[j]; NaN marks a missing value. Indicators not in the
// framework are ignored.
type Data struct {
	Units      []Unit      `json:"units"`
	Indicators []string    `json:"indicators"`
	Values     [][]float64 `json:"values"`
}

// Score is a float64 that encodes NaN as JSON null (agglo's one such
// number type).
type Score = jsonnum.Float

// Options adjust one build.
type Options struct {
	// Steps replaces the framework's steps when not nil.
	Steps *Steps
	// Weights overrides framework weights by node code (manual weights).
	Weights map[string]float64
}

// UnitResult is one unit's index, rank and aggregate scores.
type UnitResult struct {
	Code  string `json:"code"`
	Name  string `json:"name"`
	Index Score  `json:"index"`
	// Rank is 1 for the highest index; ties share the lowest rank; 0 when
	// the index is missing.
	Rank   int              `json:"rank"`
	Levels map[string]Score `json:"levels"`
}

// StepRecord records a step of a build so that the run can be reproduced.
type StepRecord struct {
	Step    string `json:"step"`
	Level   int    `json:"level,omitempty"`
	Method  string `json:"method"`
	Params  any    `json:"params,omitempty"`
	Details any    `json:"details,omitempty"`
}

// Result is a built index.
type Result struct {
	Framework string       `json:"framework"`
	Index     string       `json:"index"`
	Units     []UnitResult `json:"units"`
	// Weights are the effective weights of every node within its group
	// (they sum to 1 in each group).
	Weights map[string]float64 `json:"weights"`
	Steps   []StepRecord       `json:"steps"`
	// Spec is the resolved steps; passing it back as Options.Steps (with the
	// same Options.Weights) reproduces the run.
	Spec Steps `json:"spec"`

	// values[l][j][i]: level l (0 = normalised indicators), node j, unit i.
	values [][][]float64
	// data is the input after denomination and screening.
	data *Data
}

// Data returns the table the index was built on: the input after
// denomination and screening (the input itself when neither applies).
func (r *Result) Data() *Data { return r.data }

// Normalised returns the normalised indicator values the build
// aggregated: Normalised()[j][i] is indicator j (in the order of the
// framework's LevelCodes(1)) for unit i (in the order of Units), NaN where
// missing. The slices are shared: do not modify them.
func (r *Result) Normalised() [][]float64 {
	if len(r.values) == 0 {
		return nil
	}
	return r.values[0]
}

type engine struct {
	fw        *Framework
	p         *plan
	n         int
	units     []Unit
	raw       [][]float64 // framework indicator order, columns
	dirs      []int
	goalposts [][]float64
	codes     [][]string // per level
	unitIndex map[string]int
}

func newEngine(fw *Framework, d *Data) (*engine, error) {
	if fw.plan == nil {
		if err := fw.Validate(); err != nil {
			return nil, err
		}
	}
	if d == nil || len(d.Units) == 0 {
		return nil, errorf("没有数据单元", "the data have no units")
	}
	if len(d.Values) != len(d.Units) {
		return nil, errorf("数据有 %d 个单元但有 %d 行数值", "the data have %d units but %d rows of values", len(d.Units), len(d.Values))
	}
	col := map[string]int{}
	for j, c := range d.Indicators {
		col[c] = j
	}
	e := &engine{fw: fw, p: fw.plan, n: len(d.Units), units: d.Units, unitIndex: map[string]int{}}
	for i, u := range d.Units {
		if _, dup := e.unitIndex[u.Code]; dup {
			return nil, errorf("单元代码 %q 重复", "duplicate unit code %q", u.Code)
		}
		e.unitIndex[u.Code] = i
		if len(d.Values[i]) != len(d.Indicators) {
			return nil, errorf("单元 %q 有 %d 个数值,应为 %d 个", "unit %q has %d values, expected %d", u.Code, len(d.Values[i]), len(d.Indicators))
		}
	}
	for _, in := range fw.Indicators {
		j, ok := col[in.Code]
		if !ok {
			return nil, errorf("数据中缺少指标 %q", "the data lack indicator %q", in.Code)
		}
		c := make([]float64, e.n)
		for i := range c {
			v := d.Values[i][j]
			if math.IsInf(v, 0) {
				return nil, errorf("单元 %q 的指标 %q 是无穷大", "unit %q: indicator %q is infinite", d.Units[i].Code, in.Code)
			}
			c[i] = v
		}
		e.raw = append(e.raw, c)
		e.dirs = append(e.dirs, in.Direction)
		e.goalposts = append(e.goalposts, in.Goalposts)
	}
	for _, lv := range e.p.nodes {
		cs := make([]string, len(lv))
		for j, nd := range lv {
			cs[j] = nd.code
		}
		e.codes = append(e.codes, cs)
	}
	return e, nil
}

func (e *engine) groups(name string) []string {
	g := make([]string, e.n)
	for i, u := range e.units {
		g[i] = u.Groups[name]
	}
	return g
}

// prepare runs imputation, treatment and normalisation.
func (e *engine) prepare(s Steps, rec bool) ([][]float64, []StepRecord, error) {
	cols, recs := e.treated(s, rec)
	out, err := e.normalised(cols, s.Normalisation)
	if err != nil {
		return nil, nil, err
	}
	if rec {
		recs = append(recs, StepRecord{Step: "normalisation", Method: s.Normalisation.Method, Params: s.Normalisation})
	}
	return out, recs, nil
}

// treated runs imputation and treatment.
func (e *engine) treated(s Steps, rec bool) ([][]float64, []StepRecord) {
	var recs []StepRecord
	cols, counts := impute(e.raw, s.Imputation, e.groups(s.Imputation.Group))
	if rec {
		det := map[string]int{}
		for j, c := range counts {
			if c > 0 {
				det[e.codes[0][j]] = c
			}
		}
		recs = append(recs, StepRecord{Step: "imputation", Method: s.Imputation.Method, Params: s.Imputation, Details: det})
	}
	cols, trec := treatColumns(cols, e.codes[0], s.Treatment)
	if rec {
		recs = append(recs, StepRecord{Step: "treatment", Method: s.Treatment.Method, Params: s.Treatment, Details: trec})
	}
	return cols, recs
}

// normalised returns the normalised columns (new slices).
func (e *engine) normalised(cols [][]float64, ns Normalisation) ([][]float64, error) {
	ref := -1
	if ns.Method == NormDist2Ref {
		r, ok := e.unitIndex[ns.Reference]
		if !ok {
			return nil, errorf("参照单元 %q 不在数据中", "reference unit %q is not in the data", ns.Reference)
		}
		ref = r
	}
	out := make([][]float64, len(cols))
	for j, c := range cols {
		if ns.Method == NormGoalposts && len(e.goalposts[j]) != 2 {
			return nil, errorf("指标 %q 没有 goalposts", "indicator %q has no goalposts", e.codes[0][j])
		}
		out[j] = Normalise(c, e.dirs[j], ns, ref, e.goalposts[j])
	}
	return out, nil
}

// weights returns the weights of the nodes at level li (0-based) within
// their groups, computed per ws on vals (the values of those nodes), each
// group's weights summing to 1.
func (e *engine) weights(li int, vals [][]float64, ws WeightSpec, manual map[string]float64) ([]float64, error) {
	nodes := e.p.nodes[li]
	w := make([]float64, len(nodes))
	for gi := range e.p.nodes[li+1] {
		ch := e.p.nodes[li+1][gi].children
		sub := make([][]float64, len(ch))
		subCodes := make([]string, len(ch))
		fwW := make([]float64, len(ch))
		for k, c := range ch {
			sub[k] = vals[c]
			subCodes[k] = nodes[c].code
			fwW[k] = nodes[c].weight
			if mw, ok := manual[nodes[c].code]; ok {
				fwW[k] = mw
			}
			if ws.Set != nil {
				if sw, ok := (*ws.Set)[nodes[c].code]; ok {
					fwW[k] = sw
				}
			}
		}
		names := make([]i18n.Text, len(ch))
		for k, c := range subCodes {
			names[k] = i18n.T(e.fw.Name(c, i18n.ZH), e.fw.Name(c, i18n.EN))
		}
		gw, err := groupWeights(ws, sub, subCodes, names, fwW)
		if err != nil {
			g := e.p.nodes[li+1][gi].code
			return nil, withGroup(err, i18n.T(e.fw.Name(g, i18n.ZH), e.fw.Name(g, i18n.EN)))
		}
		for k, c := range ch {
			w[c] = gw[k]
		}
	}
	return w, nil
}

func withGroup(err error, group i18n.Text) error {
	if ce, ok := err.(*Error); ok {
		return &Error{ZH: "“" + group.ZH + "”：" + ce.ZH, EN: "“" + group.EN + "”: " + ce.EN}
	}
	return err
}

func groupWeights(ws WeightSpec, cols [][]float64, codes []string, names []i18n.Text, fwW []float64) ([]float64, error) {
	objective := func(method string) ([]float64, error) {
		switch method {
		case WeightsEqual:
			w := make([]float64, len(cols))
			for i := range w {
				w[i] = 1
			}
			return normaliseSum(w)
		case WeightsEntropy:
			v := ws.Entropy
			if v == "" {
				v = EntropyStrict
			}
			return entropyCols(cols, nil, v, names)
		case WeightsCRITIC:
			return criticCols(cols, nil)
		case WeightsCV:
			return cvCols(cols, codes)
		case WeightsPCA:
			return pcaWeights(cols, codes)
		}
		return normaliseSum(fwW)
	}
	if len(cols) == 1 {
		return []float64{1}, nil
	}
	if ws.Method != WeightsCombined {
		return objective(ws.Method)
	}
	s, err := normaliseSum(fwW)
	if err != nil {
		return nil, err
	}
	o, err := objective(ws.Objective)
	if err != nil {
		return nil, err
	}
	w := make([]float64, len(s))
	for i := range w {
		if ws.Combine == CombineMultiplicative {
			w[i] = s[i] * o[i]
		} else {
			w[i] = ws.Alpha*s[i] + (1-ws.Alpha)*o[i]
		}
	}
	return normaliseSum(w)
}

// aggregate computes the values of level li+1 from vals (level li) with
// weights w into out (allocated when nil).
func (e *engine) aggregate(li int, vals [][]float64, w []float64, a Aggregation, out [][]float64, sw []float64) ([][]float64, error) {
	parents := e.p.nodes[li+1]
	if out == nil {
		out = make([][]float64, len(parents))
		for g := range out {
			out[g] = make([]float64, e.n)
		}
	}
	if sw == nil {
		sw = make([]float64, e.n)
	}
	var subBuf [][]float64
	var wBuf []float64
	for g, pn := range parents {
		subBuf, wBuf = subBuf[:0], wBuf[:0]
		for _, c := range pn.children {
			subBuf = append(subBuf, vals[c])
			wBuf = append(wBuf, w[c])
		}
		err := aggregateGroup(a, subBuf, wBuf, out[g], sw, func(child, unit int) error {
			return e.positiveError(li, pn.children[child], unit, subBuf[child][unit], a.Method)
		})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// positiveError reports value v of node (at level li) for unit, which
// aggregation method refuses.
func (e *engine) positiveError(li, node, unit int, v float64, method string) error {
	return errorf("%[4]s 聚合要求正值:单元 %[1]q 的 %[2]q 为 %[3]v", "%[4]s aggregation needs positive values: unit %[1]q has %[2]q = %[3]v",
		e.units[unit].Code, e.p.nodes[li][node].code, v, method)
}

// checkSet reports a weight set naming a code that is not an indicator or
// an aggregate below the index.
func (e *engine) checkSet(ws WeightSpec) *Error {
	if ws.Set == nil {
		return nil
	}
	codes := make([]string, 0, len(*ws.Set))
	for code := range *ws.Set {
		codes = append(codes, code)
	}
	sort.Strings(codes)
	for _, code := range codes {
		if l, ok := e.p.index[code]; !ok || l[0] == len(e.p.nodes)-1 {
			return errorf("权重集中的 %q 不是框架的指标或聚合项", "%q of a weight set is not an indicator or aggregate of the framework", code)
		}
	}
	return nil
}

// Build builds the index of fw on d: denomination and screening (when the
// steps ask for them, see PrepareData), then imputation, treatment,
// normalisation, and weights and aggregation level by level.
func Build(ctx context.Context, fw *Framework, d *Data, opts Options) (*Result, error) {
	if fw.plan == nil {
		if err := fw.Validate(); err != nil {
			return nil, err
		}
	}
	steps := fw.Steps
	if opts.Steps != nil {
		steps = *opts.Steps
	}
	if err := steps.validate(); err != nil {
		return nil, err
	}
	s := steps.resolved(fw.NumLevels())
	d, prep, err := PrepareData(fw, d, s)
	if err != nil {
		return nil, err
	}
	e, err := newEngine(fw, d)
	if err != nil {
		return nil, err
	}
	for _, ls := range s.Levels {
		if err := e.checkSet(ls.Weights); err != nil {
			return nil, err
		}
	}
	vals, recs, err := e.prepare(s, true)
	if err != nil {
		return nil, err
	}
	res := &Result{Framework: fw.Code, Index: fw.IndexCode(), Weights: map[string]float64{}, Spec: s, Steps: append(prep, recs...), data: d}
	res.values = append(res.values, vals)
	for li := 0; li+1 < len(e.p.nodes); li++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		ls := s.Levels[li]
		w, err := e.weights(li, vals, ls.Weights, opts.Weights)
		if err != nil {
			return nil, err
		}
		for j, c := range e.codes[li] {
			res.Weights[c] = w[j]
		}
		res.Steps = append(res.Steps, StepRecord{Step: "weights", Level: li + 2, Method: ls.Weights.Method, Params: ls.Weights})
		vals, err = e.aggregate(li, vals, w, ls.Aggregation, nil, nil)
		if err != nil {
			return nil, err
		}
		res.Steps = append(res.Steps, StepRecord{Step: "aggregation", Level: li + 2, Method: ls.Aggregation.Method, Params: ls.Aggregation})
		res.values = append(res.values, vals)
	}
	index := vals[0]
	ranks := Ranks(index)
	for i, u := range e.units {
		ur := UnitResult{Code: u.Code, Name: u.Name, Index: Score(index[i]), Rank: ranks[i], Levels: map[string]Score{}}
		for li := 1; li < len(res.values); li++ {
			for j, c := range e.codes[li] {
				ur.Levels[c] = Score(res.values[li][j][i])
			}
		}
		res.Units = append(res.Units, ur)
	}
	return res, nil
}

// PrepareData applies the denomination and the screening of s to d and
// returns the table to build on with the records of both steps (d itself
// when neither applies; d is not modified).
//
// Denomination (COINr Denominate with iMeta's Denominator column): every
// framework indicator with a Denominator is divided by that column of d,
// x/den; a missing or zero denominator makes the value missing (COINr
// would divide by zero). Screening (COINr Screen): see Screening; it reads
// the denominated values, before imputation, and fails when no unit is
// left. Errors name the indicator, the denominator or the threshold.
func PrepareData(fw *Framework, d *Data, s Steps) (*Data, []StepRecord, error) {
	if d == nil {
		return nil, nil, errorf("没有数据单元", "the data have no units")
	}
	col := map[string]int{}
	for j, c := range d.Indicators {
		col[c] = j
	}
	var recs []StepRecord
	out := d
	if s.Denominate {
		denoms := map[string]string{}
		out = &Data{Units: d.Units, Indicators: d.Indicators, Values: make([][]float64, len(d.Values))}
		for i, row := range d.Values {
			out.Values[i] = append([]float64(nil), row...)
		}
		for _, in := range fw.Indicators {
			if in.Denominator == "" {
				continue
			}
			j, ok := col[in.Code]
			k, okd := col[in.Denominator]
			if !ok {
				continue // newEngine reports the missing indicator
			}
			if !okd {
				return nil, nil, errorf("数据中缺少指标 %q 的分母 %q", "the data lack %[2]q, the denominator of indicator %[1]q", in.Code, in.Denominator)
			}
			for i, row := range out.Values {
				den := d.Values[i][k]
				if math.IsNaN(den) || den == 0 {
					row[j] = math.NaN()
				} else {
					row[j] = d.Values[i][j] / den
				}
			}
			denoms[in.Code] = in.Denominator
		}
		recs = append(recs, StepRecord{Step: "denomination", Method: "divide", Details: denoms})
	}
	sc := s.Screening.withDefaults()
	if sc.Method == ScreenNone {
		return out, recs, nil
	}
	var idx []int
	for _, in := range fw.Indicators {
		if j, ok := col[in.Code]; ok {
			idx = append(idx, j)
		}
	}
	keep := &Data{Indicators: out.Indicators}
	var removed []string
	for i, row := range out.Values {
		missing, zeros := 0, 0
		for _, j := range idx {
			switch v := row[j]; {
			case math.IsNaN(v):
				missing++
			case v == 0:
				zeros++
			}
		}
		avail := 1 - float64(missing)/float64(len(idx))
		nonzero := 0.0
		if missing < len(idx) {
			nonzero = 1 - float64(zeros)/float64(len(idx)-missing)
		}
		lowData, lowNonzero := avail < sc.DatThresh, nonzero < sc.NonzeroThresh
		drop := (sc.Method == ScreenByNA && lowData) || (sc.Method == ScreenByZeros && lowNonzero) || (sc.Method == ScreenByNAAndZeros && (lowData || lowNonzero))
		if drop {
			removed = append(removed, out.Units[i].Code)
			continue
		}
		keep.Units = append(keep.Units, out.Units[i])
		keep.Values = append(keep.Values, row)
	}
	if len(keep.Units) == 0 {
		return nil, nil, &Error{ZH: fmt.Sprintf("%s筛选后没有单元（数据可得率下限 %v，非零值比例下限 %v）", MethodName(sc.Method).ZH, sc.DatThresh, sc.NonzeroThresh),
			EN: fmt.Sprintf("screening %s leaves no unit (data availability at least %v, non-zero share at least %v)", MethodName(sc.Method).EN, sc.DatThresh, sc.NonzeroThresh)}
	}
	recs = append(recs, StepRecord{Step: "screening", Method: sc.Method, Params: sc, Details: map[string]any{"removed": nonNilStrings(removed)}})
	return keep, recs, nil
}

func nonNilStrings(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
