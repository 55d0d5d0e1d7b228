package analysis

import (
	"context"
	"math"
	"os"
	"strconv"
	"strings"

	"agglo/internal/coinr"
	"agglo/internal/composite"
	"agglo/internal/dataset"
	"agglo/internal/i18n"
)

// IndexRequest describes a composite-index run: a framework (built-in code
// or YAML file) over a dataset, or COINr iData/iMeta files, with optional
// step overrides written as the CLI flags are.
type IndexRequest struct {
	Framework string // cric, io, or a YAML file path
	COINrData string // iData CSV (with COINrMeta instead of Framework and dataset)
	COINrMeta string
	Time      string // COINr panel: the Time value to use
	Year      int    // dataset year, 0 = latest
	Normalise string // e.g. minmax:0,100  zscore:10,2  rank  none
	Aggregate string // arithmetic|geometric|harmonic|generalised:p|topsis|gra
	Weights   string // framework|equal|entropy|critic|cv|pca
	Treat     string // none|coinr|winsorise:N|percentile:lo,hi
	Lang      string
}

// IndexInput is a prepared framework, data and options.
type IndexInput struct {
	Framework *composite.Framework
	Data      *composite.Data
	Options   composite.Options
	Year      int
	Level     dataset.Level
}

// PrepareIndex loads the framework and assembles the data of an index run.
func PrepareIndex(ds *dataset.Dataset, req IndexRequest) (*IndexInput, error) {
	in := &IndexInput{}
	if req.COINrData != "" || req.COINrMeta != "" {
		if req.COINrData == "" || req.COINrMeta == "" {
			return nil, i18n.Errorf("COINr 输入需要同时给出 --coinr-data 和 --coinr-meta", "COINr input needs both --coinr-data and --coinr-meta")
		}
		fw, d, err := readCOINr(req.COINrData, req.COINrMeta, req.Time)
		if err != nil {
			return nil, err
		}
		in.Framework, in.Data, in.Level = fw, d, dataset.LevelUnit
	} else {
		fw, err := loadFramework(req.Framework)
		if err != nil {
			return nil, err
		}
		d, year, level, err := frameworkData(ds, fw, req.Year, req.Lang)
		if err != nil {
			return nil, err
		}
		in.Framework, in.Data, in.Year, in.Level = fw, d, year, level
	}
	steps := in.Framework.Steps
	changed, err := applyStepFlags(&steps, req)
	if err != nil {
		return nil, err
	}
	if changed {
		in.Options.Steps = &steps
	}
	return in, nil
}

func loadFramework(name string) (*composite.Framework, error) {
	if name == "" {
		name = "cric"
	}
	for _, code := range composite.BuiltinCodes() {
		if name == code {
			return composite.Builtin(code)
		}
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, i18n.Errorf("框架“%s”既不是内置框架（%s）也无法作为文件打开：%v", "framework %q is neither built in (%s) nor a readable file: %v",
			name, strings.Join(composite.BuiltinCodes(), ", "), err)
	}
	defer f.Close()
	fw, err := composite.ParseFramework(f)
	if err != nil {
		return nil, fileContext(name, err)
	}
	return fw, nil
}

// fileContext prefixes a localized error with a file name.
func fileContext(file string, err error) error {
	return &i18n.Error{Text: i18n.T(file+"："+i18n.Message(err, i18n.ZH), file+": "+i18n.Message(err, i18n.EN))}
}

func readCOINr(dataPath, metaPath, time string) (*composite.Framework, *composite.Data, error) {
	mf, err := os.Open(metaPath)
	if err != nil {
		return nil, nil, i18n.Errorf("无法打开 %s：%v", "cannot open %s: %v", metaPath, err)
	}
	defer mf.Close()
	meta, err := coinr.ReadIMeta(mf, metaPath)
	if err != nil {
		return nil, nil, err
	}
	df, err := os.Open(dataPath)
	if err != nil {
		return nil, nil, i18n.Errorf("无法打开 %s：%v", "cannot open %s: %v", dataPath, err)
	}
	defer df.Close()
	data, err := coinr.ReadIData(df, dataPath, meta.GroupCodes()...)
	if err != nil {
		return nil, nil, err
	}
	return composite.FromCOINr(data, meta, time)
}

// frameworkData takes the framework's indicators from the dataset at the
// level that carries them, with each unit's agglomeration as its group.
func frameworkData(ds *dataset.Dataset, fw *composite.Framework, year int, lang string) (*composite.Data, int, dataset.Level, error) {
	codes := make([]string, len(fw.Indicators))
	var missing []string
	for i, ind := range fw.Indicators {
		codes[i] = ind.Code
		if _, ok := ds.IndicatorIndex(ind.Code); !ok {
			missing = append(missing, ind.Code)
		}
	}
	if len(missing) > 0 {
		return nil, 0, "", i18n.Errorf("框架 %s 需要的指标不在数据中：%s", "the data lack indicators that framework %s needs: %s", fw.Code, strings.Join(missing, ", "))
	}
	u, err := CrossSection(ds, codes, year, lang)
	if err != nil {
		return nil, 0, "", err
	}
	groups, aggs := AgglomerationGroups(ds, u.Codes, u.Level)
	d := &composite.Data{Indicators: codes, Values: make([][]float64, len(u.Codes))}
	for i, c := range u.Codes {
		unit := composite.Unit{Code: c, Name: u.Names[i]}
		if groups[i] >= 0 {
			unit.Groups = map[string]string{"agglomeration": aggs[groups[i]]}
		}
		d.Units = append(d.Units, unit)
		d.Values[i] = make([]float64, len(codes))
		for k := range codes {
			d.Values[i][k] = u.Values[k][i]
		}
	}
	return d, u.Year, u.Level, nil
}

// applyStepFlags overrides steps from the CLI-style flags; it reports
// whether anything changed.
func applyStepFlags(s *composite.Steps, req IndexRequest) (bool, error) {
	changed := false
	if req.Normalise != "" {
		method, args := splitArgs(req.Normalise)
		n := composite.Normalisation{Method: method}
		switch method {
		case composite.NormMinMax:
			if len(args) > 0 {
				if len(args) != 2 {
					return false, flagError("--normalise", req.Normalise, "minmax:l,u")
				}
				n.Lower, n.Upper = args[0], args[1]
			}
		case composite.NormZScore:
			if len(args) > 0 {
				if len(args) != 2 {
					return false, flagError("--normalise", req.Normalise, "zscore:mean,sd")
				}
				n.Mean, n.SD = args[0], args[1]
			}
		case composite.NormDist2Ref:
			_, ref, _ := strings.Cut(req.Normalise, ":")
			n.Reference = ref
		}
		if args == nil && strings.Contains(req.Normalise, ":") && method != composite.NormDist2Ref {
			return false, flagError("--normalise", req.Normalise, "minmax:0,100")
		}
		s.Normalisation, changed = n, true
	}
	if req.Treat != "" {
		method, args := splitArgs(req.Treat)
		t := composite.Treatment{}
		switch method {
		case "none":
			t.Method = composite.TreatNone
		case "coinr", "winsorise":
			t.Method = composite.TreatWinsorise
			if len(args) == 1 {
				t.WinMax = int(args[0])
			}
		case "percentile":
			t.Method = composite.TreatPercentile
			if len(args) == 2 {
				t.Lower, t.Upper = args[0], args[1]
			}
		default:
			return false, flagError("--treat", req.Treat, "none|coinr|winsorise:5|percentile:0.05,0.95")
		}
		s.Treatment, changed = t, true
	}
	if req.Aggregate != "" || req.Weights != "" {
		for i := range s.Levels {
			if req.Aggregate != "" {
				method, args := splitArgs(req.Aggregate)
				a := composite.Aggregation{Method: method}
				if method == composite.AggGeneralised && len(args) == 1 {
					a.P = args[0]
				}
				s.Levels[i].Aggregation = a
			}
			if req.Weights != "" {
				s.Levels[i].Weights = composite.WeightSpec{Method: req.Weights}
			}
		}
		changed = true
	}
	return changed, nil
}

// splitArgs splits "method:a,b" into the method and numbers; args is nil
// when a number does not parse.
func splitArgs(s string) (string, []float64) {
	method, rest, ok := strings.Cut(strings.TrimSpace(s), ":")
	method = strings.ToLower(method)
	if !ok || rest == "" {
		return method, []float64{}
	}
	var out []float64
	for _, p := range strings.Split(rest, ",") {
		v, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			return method, nil
		}
		out = append(out, v)
	}
	return method, out
}

func flagError(flag, got, example string) error {
	return i18n.Errorf("%s 取值无效“%s”（例如 %s）", "invalid %s %q (for example %s)", flag, got, example)
}

// Index builds a composite index.
func Index(ctx context.Context, ds *dataset.Dataset, req IndexRequest) (*composite.Result, *IndexInput, error) {
	in, err := PrepareIndex(ds, req)
	if err != nil {
		return nil, nil, err
	}
	res, err := composite.Build(ctx, in.Framework, in.Data, in.Options)
	if err != nil {
		return nil, nil, err
	}
	return res, in, nil
}

// DefaultUASpec is the uncertainty spec used when none is given: the
// choices of the example (COINr winsorisation limit 1-5,
// normalisation min-max or z-score, arithmetic or geometric aggregation,
// ±25% noise on the first-level weights).
const DefaultUASpec = `sensitivity: false
choices:
  - {name: winsorisation, step: treatment, winmax: [1, 2, 3, 4, 5]}
  - name: normalisation
    step: normalisation
    alternatives: [{method: minmax, lower: 1, upper: 100}, {method: zscore, mean: 100, sd: 10}]
  - {name: aggregation, step: aggregation, alternatives: [{method: arithmetic}, {method: geometric}]}
  - {name: weight_noise, step: weight_noise, level: 2, factor: 0.25}
`
