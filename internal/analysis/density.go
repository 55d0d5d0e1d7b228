package analysis

import (
	"fmt"
	"math"

	"agglo/internal/dataset"
	"agglo/internal/i18n"
	"agglo/internal/jsonnum"
	"agglo/internal/measure"
)

// MaxDensityPoints bounds the grid of a kernel density.
const MaxDensityPoints = 10_000

// Density is the kernel density estimate of one year's distribution on a
// grid (the same grid for every year of a panel), with its bandwidth and
// the locations of its peaks.
type Density struct {
	Year      int   `json:"year"`
	N         int   `json:"n"`
	Bandwidth *Num  `json:"bandwidth"`
	Peaks     []Num `json:"peaks"`
	X         []Num `json:"x"`
	Y         []Num `json:"y"`
}

// peaks returns the grid points where the density has a local maximum of
// at least a tenth of its highest value, in ascending order.
func peaks(x, y []float64) []float64 {
	top := 0.0
	for _, v := range y {
		top = math.Max(top, v)
	}
	var out []float64
	for k := range y {
		left := k == 0 || y[k] > y[k-1]
		right := k == len(y)-1 || y[k] >= y[k+1]
		if left && right && y[k] >= top/10 && y[k] > 0 {
			out = append(out, x[k])
		}
	}
	return out
}

// kernelMeasure estimates the density of an indicator's distribution in
// one year, or in every year with --panel on a common grid.
func kernelMeasure(ds *dataset.Dataset, req MeasureRequest) (*MeasureResult, error) {
	if err := needIndicator(req); err != nil {
		return nil, err
	}
	if !(req.Bandwidth >= 0) || math.IsInf(req.Bandwidth, 0) {
		return nil, fieldError("bandwidth", i18n.Errorf("带宽必须是非负数（0 表示 Silverman 经验法则）", "the bandwidth must be a non-negative number (0: Silverman's rule)"))
	}
	points := req.Points
	if points == 0 {
		points = measure.DensityPoints
	}
	if points < 2 || points > MaxDensityPoints {
		return nil, fieldError("points", i18n.Errorf("网格点数须在 2 到 %d 之间（收到 %d）", "the number of grid points must lie between 2 and %d (got %d)", MaxDensityPoints, points))
	}
	last, err := CrossSection(ds, Selection{Indicators: []string{req.Indicator}, Year: req.Year, Lang: req.Lang})
	if err != nil {
		return nil, err
	}
	code := last.Indicators[0]
	years := []int{last.Year}
	if req.Panel {
		years = ds.YearsOf(code, nil)
	}
	res := &MeasureResult{Method: "kernel", Indicator: code, Year: last.Year, Level: string(last.Level),
		Formula: "f(g) = Σ_i p_i φ((g − x_i)/h)/h, Gaussian kernel, exact sums; h = 0.9·min(s, IQR/1.34)·n^(−1/5) (Silverman 1986, R bw.nrd0) unless given; grid of 512 points from min − 3h to max + 3h, shared by all years (docs/methods.md, kernel-density)"}
	if req.Panel {
		res.Year = 0
	}
	type sample struct {
		year int
		x, w []float64
		h    float64
	}
	var samples []sample
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, y := range years {
		u, err := CrossSection(ds, Selection{Indicators: []string{code}, Year: y, Level: last.Level, Lang: req.Lang})
		if err != nil {
			continue
		}
		w, wcode, err := readWeights(ds, u, req, "kernel")
		if err != nil {
			return nil, err
		}
		res.Weight = wcode
		if err := validate("kernel", u, u.Values[0], measure.AllowMissing); err != nil {
			return nil, err
		}
		s := sample{year: y}
		for i, v := range u.Values[0] {
			if math.IsNaN(v) || (w != nil && math.IsNaN(w[i])) {
				continue
			}
			s.x = append(s.x, v)
			if w != nil {
				s.w = append(s.w, w[i])
			}
		}
		s.h = req.Bandwidth
		if s.h == 0 {
			s.h = measure.SilvermanBandwidth(s.x)
		}
		if len(s.x) == 0 || math.IsNaN(s.h) {
			res.note(req.Lang, fmt.Sprintf("%d 年的值太少，无法估计密度", y), fmt.Sprintf("%d: too few values to estimate a density", y))
			continue
		}
		for _, v := range s.x {
			lo, hi = math.Min(lo, v-3*s.h), math.Max(hi, v+3*s.h)
		}
		samples = append(samples, s)
		res.N = max(res.N, len(s.x))
	}
	if len(samples) == 0 {
		return nil, i18n.Errorf("核密度估计：没有足够的数值来估计密度（至少需要 2 个）", "kernel: not enough values to estimate a density (at least 2 are needed)")
	}
	grid := make([]float64, points)
	for k := range grid {
		grid[k] = lo + (hi-lo)*float64(k)/float64(points-1)
	}
	for _, s := range samples {
		d := measure.KernelDensity(s.x, s.w, s.h, grid)
		res.Densities = append(res.Densities, Density{Year: s.year, N: d.N, Bandwidth: nump(d.Bandwidth), Peaks: jsonnum.Slice(peaks(d.X, d.Y)), X: jsonnum.Slice(d.X), Y: jsonnum.Slice(d.Y)})
	}
	first, lastD := res.Densities[0], res.Densities[len(res.Densities)-1]
	describe := func(d Density, lang string) string {
		if len(d.Peaks) == 1 {
			return i18n.Tf("%d 年单峰（峰值位于 %.4g）", "%d: one peak (at %.4g)", d.Year, float64(d.Peaks[0])).In(lang)
		}
		return i18n.Tf("%d 年有 %d 个峰（主峰外的峰表明分化）", "%d: %d peaks (more than one suggests polarisation)", d.Year, len(d.Peaks)).In(lang)
	}
	if len(res.Densities) == 1 {
		res.summary(req.Lang, describe(first, i18n.ZH)+"。", describe(first, i18n.EN)+".")
	} else {
		res.summary(req.Lang, describe(first, i18n.ZH)+"；"+describe(lastD, i18n.ZH)+"。", describe(first, i18n.EN)+"; "+describe(lastD, i18n.EN)+".")
	}
	return res, nil
}
