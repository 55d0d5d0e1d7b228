package analysis

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"

	"agglo/internal/composite"
	"agglo/internal/dataset"
	"agglo/internal/i18n"
	"agglo/internal/measure"
)

// Obstacle is one indicator's obstacle degree for a unit: its deviation
// from the ideal, 1 − x, and its share (in percent) of the unit's weighted
// deviations.
type Obstacle struct {
	Indicator string `json:"indicator"`
	Name      string `json:"name,omitempty"`
	Dimension string `json:"dimension,omitempty"`
	Degree    *Num   `json:"degree"`
	Deviation *Num   `json:"deviation"`
}

// parents maps every node of a framework to its parent.
func parents(fw *composite.Framework) map[string]string {
	p := map[string]string{}
	for _, in := range fw.Indicators {
		p[in.Code] = in.Parent
	}
	for _, ag := range fw.Aggregates {
		p[ag.Code] = ag.Parent
	}
	return p
}

// effectiveWeights returns each indicator's weight in the index: the
// product of the within-group weights on its path to the index.
func effectiveWeights(fw *composite.Framework, within map[string]float64) []float64 {
	par := parents(fw)
	index := fw.IndexCode()
	codes := fw.LevelCodes(1)
	out := make([]float64, len(codes))
	for j, c := range codes {
		w := within[c]
		for p := par[c]; p != "" && p != index; p = par[p] {
			w *= within[p]
		}
		out[j] = w
	}
	return out
}

// obstacleMeasure runs the obstacle degree model on a composite index:
// for every unit, which indicators hold it back most, from the index's
// normalised values (rescaled to [0, 1] over the units) and the
// indicators' effective weights.
func obstacleMeasure(ctx context.Context, ds *dataset.Dataset, req MeasureRequest) (*MeasureResult, error) {
	if req.Index == nil || req.Index.Framework == nil {
		return nil, fieldError(FieldFramework, i18n.Errorf("障碍度模型需要一个综合指数框架（--framework）", "obstacle needs a composite-index framework (--framework)"))
	}
	ir := *req.Index
	if ir.Year == 0 {
		ir.Year = req.Year
	}
	if ir.Lang == "" {
		ir.Lang = req.Lang
	}
	ix, err := Index(ctx, ds, ir)
	if err != nil {
		return nil, err
	}
	fw := ix.Input.Framework
	codes := fw.LevelCodes(1)
	norm := ix.Normalised()
	weights := effectiveWeights(fw, ix.Weights)
	par := parents(fw)
	index := fw.IndexCode()
	// Rescale each indicator's normalised values to [0, 1] over the units.
	n := len(ix.Units)
	x := make([][]float64, len(codes))
	var constant []string
	for j := range codes {
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, v := range norm[j] {
			if !math.IsNaN(v) {
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
		}
		x[j] = make([]float64, n)
		for i, v := range norm[j] {
			switch {
			case math.IsNaN(v):
				x[j][i] = math.NaN()
			case hi > lo:
				x[j][i] = (v - lo) / (hi - lo)
			default:
				x[j][i] = 1 // every unit alike: no gap to the best
			}
		}
		if !(hi > lo) && !math.IsInf(hi, 0) {
			constant = append(constant, codes[j])
		}
	}
	res := &MeasureResult{Method: "obstacle", Indicators: codes, Year: ix.Year, Level: string(ix.Level), N: n,
		Formula: "I_ij = 1 − x_ij with x_ij the index's normalised value rescaled to [0, 1] over the units (1 = best); O_ij = w_j I_ij / Σ_j w_j I_ij × 100% with w_j the indicator's effective weight in the index (product of the weights on its path); dimensions sum their indicators' O_ij (docs/methods.md, obstacle)"}
	if len(constant) > 0 {
		names := func(lang string) []string {
			out := make([]string, len(constant))
			for i, c := range constant {
				out[i] = fw.Name(c, lang)
			}
			return out
		}
		res.note(req.Lang, "以下指标各单元取值相同，不构成障碍："+listNames(names(i18n.ZH), i18n.ZH), "these indicators are the same for every unit and hold none back: "+listNames(names(i18n.EN), i18n.EN))
	}
	res.IndicatorWeights = map[string]Num{}
	for j, c := range codes {
		res.IndicatorWeights[c] = Num(weights[j])
	}
	mainCount := map[string]int{}
	dimSum := map[string]float64{}
	partial, counted := 0, 0
	for i, unit := range ix.Units {
		var cols []int
		for j := range codes {
			if !math.IsNaN(x[j][i]) && weights[j] > 0 {
				cols = append(cols, j)
			}
		}
		uv := UnitValue{Unit: unit.Code, Name: unit.Name, Group: ix.Groups[unit.Code], Dimensions: map[string]Num{}}
		if len(cols) < len(codes) {
			partial++
		}
		if len(cols) == 0 {
			res.Units = append(res.Units, uv)
			continue
		}
		row := make([]float64, len(cols))
		w := make([]float64, len(cols))
		for k, j := range cols {
			row[k], w[k] = x[j][i], weights[j]
		}
		o, err := measure.Obstacle([][]float64{row}, w)
		if err != nil {
			return nil, i18n.Errorf("障碍度模型：%v", "obstacle: %v", err)
		}
		for _, k := range o.Rank[0] {
			j := cols[k]
			ob := Obstacle{Indicator: codes[j], Name: fw.Name(codes[j], req.Lang), Degree: nump(o.Degree[0][k]), Deviation: nump(o.Deviation[0][k])}
			if dim := par[codes[j]]; dim != index {
				ob.Dimension = dim
				if d := o.Degree[0][k]; !math.IsNaN(d) {
					uv.Dimensions[dim] += Num(d)
				}
				if res.DimensionNames == nil {
					res.DimensionNames = map[string]string{}
				}
				res.DimensionNames[dim] = fw.Name(dim, req.Lang)
			}
			uv.Obstacles = append(uv.Obstacles, ob)
		}
		if d := o.Degree[0][o.Rank[0][0]]; !math.IsNaN(d) {
			mainCount[codes[cols[o.Rank[0][0]]]]++
		}
		for k, v := range uv.Dimensions {
			dimSum[k] += float64(v)
		}
		counted++
		res.Units = append(res.Units, uv)
	}
	if partial > 0 {
		res.note(req.Lang, strconv.Itoa(partial)+" 个单元缺少部分指标，障碍度只在其有值的指标间分配", strconv.Itoa(partial)+" units lack some indicators; their obstacle degrees are shared among the indicators they have")
	}
	// The most frequent main obstacle and the heaviest dimension.
	best := ""
	for _, c := range codes {
		if mainCount[c] > mainCount[best] {
			best = c
		}
	}
	dims := make([]string, 0, len(dimSum))
	for k := range dimSum {
		dims = append(dims, k)
	}
	slices.Sort(dims)
	heavy := ""
	for _, k := range dims {
		if heavy == "" || dimSum[k] > dimSum[heavy] {
			heavy = k
		}
	}
	if best != "" && counted > 0 {
		zh := fmt.Sprintf("最常见的首要障碍是“%s”（%d/%d 个单元）", fw.Name(best, i18n.ZH), mainCount[best], n)
		en := fmt.Sprintf("The most common main obstacle is %q (%d of %d units)", fw.Name(best, i18n.EN), mainCount[best], n)
		if heavy != "" {
			zh += fmt.Sprintf("；按维度，“%s”的平均障碍度最高（%.1f%%）", fw.Name(heavy, i18n.ZH), dimSum[heavy]/float64(counted))
			en += fmt.Sprintf("; by dimension, %q holds units back most (mean obstacle degree %.1f%%)", fw.Name(heavy, i18n.EN), dimSum[heavy]/float64(counted))
		}
		res.summary(req.Lang, zh+"。", en+".")
	}
	return res, nil
}
