package analysis

import (
	"math"
	"strconv"

	"agglo/internal/dataset"
	"agglo/internal/i18n"
	"agglo/internal/jsonnum"
	"agglo/internal/measure"
)

func needIndicators(req MeasureRequest, list []string, flag string, min int) error {
	if len(list) < min {
		return i18n.Errorf("方法 %s 需要 %s（至少 %d 个指标，用逗号分隔）", "method %s needs %s (at least %d indicators, comma-separated)", req.Method, flag, min)
	}
	return nil
}

// rows turns the units' columns into a units × indicators matrix.
func rows(u *Units) [][]float64 {
	n := len(u.Codes)
	out := make([][]float64, n)
	for i := range out {
		out[i] = make([]float64, len(u.Values))
		for k := range u.Values {
			out[i][k] = u.Values[k][i]
		}
	}
	return out
}

func toNum(m [][]float64) [][]Num {
	out := make([][]Num, len(m))
	for i, r := range m {
		out[i] = jsonnum.Slice(r)
	}
	return out
}

// completeRows drops units with a missing value in any column.
func completeRows(u *Units) (*Units, int) {
	keep := []int{}
	for i := range u.Codes {
		ok := true
		for k := range u.Values {
			if math.IsNaN(u.Values[k][i]) {
				ok = false
			}
		}
		if ok {
			keep = append(keep, i)
		}
	}
	if len(keep) == len(u.Codes) {
		return u, 0
	}
	out := &Units{Indicators: u.Indicators, Level: u.Level, Year: u.Year, Values: make([][]float64, len(u.Values))}
	for _, i := range keep {
		out.Codes = append(out.Codes, u.Codes[i])
		out.Names = append(out.Names, u.Names[i])
	}
	for k := range u.Values {
		for _, i := range keep {
			out.Values[k] = append(out.Values[k], u.Values[k][i])
		}
	}
	return out, len(u.Codes) - len(keep)
}

func matrixMeasure(ds *dataset.Dataset, m string, req MeasureRequest) (*MeasureResult, error) {
	if err := needIndicators(req, req.Indicators, "--indicators", 2); err != nil {
		return nil, err
	}
	u, err := CrossSection(ds, Selection{Indicators: req.Indicators, Year: req.Year, Lang: req.Lang})
	if err != nil {
		return nil, err
	}
	u, dropped := completeRows(u)
	if len(u.Codes) < 2 && m != "lq" {
		return nil, i18n.Errorf("方法 %s 至少需要 2 个地区有完整数据", "method %s needs at least 2 regions with complete data", m)
	}
	for k := range u.Values {
		if err := validate(m, u, u.Values[k], measure.NonNegative); err != nil {
			return nil, err
		}
	}
	e := rows(u)
	res := &MeasureResult{Method: m, Indicators: req.Indicators, Year: u.Year, Level: string(u.Level), N: len(u.Codes), Labels: u.Names}
	res.noteIncomplete(req.Lang, dropped)
	switch m {
	case "similarity":
		s := measure.Similarity(e)
		res.Matrix = toNum(s)
		res.Value = nump(measure.MeanOffDiagonal(s))
		res.Formula = "S_ij = Σ_k x_ik x_jk / sqrt(Σ_k x_ik² Σ_k x_jk²) (UNIDO structural similarity); value = mean over pairs (homogeneity) (docs/methods.md, similarity)"
		rest := measure.SimilarityToRest(e)
		for i, c := range u.Codes {
			res.Units = append(res.Units, UnitValue{Unit: c, Name: u.Names[i], Values: map[string]Num{"similarity_to_rest": Num(rest[i])}})
		}
	case "krugman":
		k := measure.KrugmanMatrix(e)
		res.Matrix = toNum(k)
		res.Value = nump(measure.MeanOffDiagonal(k))
		res.Formula = "K_ij = Σ_k |x_ik − x_jk| on sector shares; value = mean over pairs (docs/methods.md, krugman)"
		rest := measure.KrugmanToRest(e)
		for i, c := range u.Codes {
			res.Units = append(res.Units, UnitValue{Unit: c, Name: u.Names[i], Values: map[string]Num{"krugman_to_rest": Num(rest[i])}})
		}
	case "lq":
		res.Matrix = toNum(measure.LocationQuotients(e, nil))
		res.Columns = req.Indicators
		res.Formula = "LQ_ik = (e_ik/e_i)/(E_k/E), reference = the units' total (docs/methods.md, lq)"
	}
	return res, nil
}

// coordinates returns each unit's lon/lat (see unitCoordinates); a unit
// without any is an error naming it.
func coordinates(ds *dataset.Dataset, u *Units) ([]float64, []float64, error) {
	lon, lat, _ := unitCoordinates(ds, u.Codes, u.Year)
	for i := range u.Codes {
		if math.IsNaN(lon[i]) || math.IsNaN(lat[i]) {
			return nil, nil, i18n.Errorf("地区“%s”没有坐标，无法计算距离（可在数据中加入“经度”“纬度”两列）", "region %q has no coordinates, so distances cannot be computed (add lon and lat columns, longitude and latitude in degrees, to the data)", u.Names[i])
		}
	}
	return lon, lat, nil
}

func gravityMeasure(ds *dataset.Dataset, req MeasureRequest) (*MeasureResult, error) {
	u, r, b, dropped, err := gravityMatrix(ds, req)
	if err != nil {
		return nil, err
	}
	tau := req.Threshold.of(r, "mean")
	net := measure.Network(r, tau)
	tot := measure.Linkage(r)
	res := &MeasureResult{Method: "gravity", Indicators: req.Indicators, Year: u.Year, Level: string(u.Level), N: len(u.Codes), Labels: u.Names, Matrix: toNum(r),
		Value:   nump(net.Density),
		Stats:   map[string]Num{"threshold": Num(tau), "edges": Num(net.Edges), "density": Num(net.Density), "undirected_density": Num(net.UndirectedDensity), "exponent": Num(b)},
		Formula: "R_ij = k_ij·sqrt(P_i G_i)·sqrt(P_j G_j)/D_ij^b, k_ij = G_i/(G_i+G_j), D great-circle km; network a_ij = 1[R_ij ≥ τ] (docs/methods.md, gravity)"}
	res.noteIncomplete(req.Lang, dropped)
	for i, c := range u.Codes {
		res.Units = append(res.Units, UnitValue{Unit: c, Name: u.Names[i], Values: map[string]Num{
			"out": Num(tot.Out[i]), "in": Num(tot.In[i]), "total": Num(tot.Total[i]), "out_share": Num(tot.OutShare[i]),
			"out_degree": Num(net.OutDegree[i]), "in_degree": Num(net.InDegree[i]), "out_degree_norm": Num(net.OutDegreeNorm[i])}})
	}
	return res, nil
}

func couplingMeasure(ds *dataset.Dataset, req MeasureRequest) (*MeasureResult, error) {
	if err := needIndicators(req, req.Indicators, "--indicators", 2); err != nil {
		return nil, err
	}
	u, err := CrossSection(ds, Selection{Indicators: req.Indicators, Year: req.Year, Lang: req.Lang})
	if err != nil {
		return nil, err
	}
	u, dropped := completeRows(u)
	for k := range u.Values {
		if err := validate("coupling", u, u.Values[k], measure.UnitInterval); err != nil {
			return nil, &i18n.Error{Text: i18n.T(i18n.Message(err, i18n.ZH)+"（耦合协调度要求各子系统指数在 [0,1] 内，请先标准化）",
				i18n.Message(err, i18n.EN)+" (coupling needs subsystem indices in [0,1]: normalise first)")}
		}
	}
	model, formula := measure.StandardCoupling, "C = n·(Π U_i)^{1/n}/Σ U_i"
	if req.Coupling == CouplingWang {
		model, formula = measure.WangCoupling, "C = sqrt([1 − Σ_{i<j} |U_i − U_j|/(n(n−1)/2)]·(Π_i U_i/max U)^(1/(n−1))) (Wang, Kong, Ren et al. 2021)"
	}
	res := &MeasureResult{Method: "coupling", Indicators: req.Indicators, Year: u.Year, Level: string(u.Level), N: len(u.Codes),
		Formula: formula + ", T = Σ α_i U_i (equal α), D = sqrt(C·T); levels 极度失调 … 优质协调 (docs/methods.md, coupling)"}
	res.noteIncomplete(req.Lang, dropped)
	for i, c := range u.Codes {
		uu := make([]float64, len(u.Values))
		for k := range u.Values {
			uu[k] = u.Values[k][i]
		}
		cr := measure.CouplingCoordination(uu, nil, model)
		res.Units = append(res.Units, UnitValue{Unit: c, Name: u.Names[i], Values: map[string]Num{"c": Num(cr.C), "t": Num(cr.T), "d": Num(cr.D)},
			LevelZH: cr.Level.ZH(), LevelEN: cr.Level.EN()})
	}
	return res, nil
}

func deaMeasure(ds *dataset.Dataset, req MeasureRequest) (*MeasureResult, error) {
	if len(req.Inputs) == 0 || len(req.Outputs) == 0 {
		return nil, i18n.Errorf("dea 需要 --inputs 和 --outputs", "dea needs --inputs and --outputs")
	}
	opt := req.DEA
	cols := append(append([]string(nil), req.Inputs...), req.Outputs...)
	u, err := CrossSection(ds, Selection{Indicators: cols, Year: req.Year, Lang: req.Lang})
	if err != nil {
		return nil, err
	}
	u, dropped := completeRows(u)
	if len(u.Codes) < 2 {
		return nil, i18n.Errorf("dea 至少需要 2 个决策单元有完整数据", "dea needs at least 2 units with complete data")
	}
	for k := range u.Values {
		if err := validate("dea", u, u.Values[k], measure.NonNegative); err != nil {
			return nil, err
		}
	}
	m := len(req.Inputs)
	x := make([][]float64, len(u.Codes))
	y := make([][]float64, len(u.Codes))
	for i := range u.Codes {
		for k := range u.Values {
			if k < m {
				x[i] = append(x[i], u.Values[k][i])
			} else {
				y[i] = append(y[i], u.Values[k][i])
			}
		}
	}
	main, err := measure.DEA(x, y, opt)
	if err != nil {
		return nil, i18n.Errorf("dea 求解失败：%v", "dea failed: %v", err)
	}
	crsOpt, vrsOpt := opt, opt
	crsOpt.Returns, vrsOpt.Returns = measure.CRS, measure.VRS
	crsOpt.SkipSlacks, vrsOpt.SkipSlacks = true, true
	crs, err1 := measure.DEA(x, y, crsOpt)
	vrs, err2 := measure.DEA(x, y, vrsOpt)
	var se []float64
	if err1 == nil && err2 == nil {
		se = measure.ScaleEfficiency(crs.Efficiency, vrs.Efficiency)
	}
	res := &MeasureResult{Method: "dea", Indicators: cols, Year: u.Year, Level: string(u.Level), N: len(u.Codes),
		Formula: "envelopment LP: min θ s.t. Σλx ≤ θx_o, Σλy ≥ y_o, λ ≥ 0 (+Σλ = 1 for VRS); output orientation max φ, efficiency 1/φ; slacks from a second phase; scale efficiency = CRS/VRS (docs/methods.md, dea)"}
	res.noteIncomplete(req.Lang, dropped)
	for i, c := range u.Codes {
		uv := UnitValue{Unit: c, Name: u.Names[i], Efficiency: nump(main.Efficiency[i]), Slacks: map[string]Num{}}
		if se != nil {
			uv.ScaleEfficiency = nump(se[i])
		}
		if main.InputSlacks != nil {
			for k, name := range req.Inputs {
				uv.Slacks[name] = Num(main.InputSlacks[i][k])
			}
		}
		if main.OutputSlacks != nil {
			for k, name := range req.Outputs {
				uv.Slacks[name] = Num(main.OutputSlacks[i][k])
			}
		}
		res.Units = append(res.Units, uv)
	}
	return res, nil
}

// noteIncomplete records how many units were left out for missing values.
func (r *MeasureResult) noteIncomplete(lang string, dropped int) {
	if dropped > 0 {
		r.note(lang, strconv.Itoa(dropped)+" 个单元数据不完整，已忽略", strconv.Itoa(dropped)+" units with incomplete data left out")
	}
}
