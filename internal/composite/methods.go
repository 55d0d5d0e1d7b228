package composite

import "math"

// Method names. They are the values of the method fields in YAML and JSON.
const (
	ImputeNone        = "none"         // skip missing values, rescale weights over the children present
	ImputeMean        = "mean"         // indicator mean over all units
	ImputeMedian      = "median"       // indicator median over all units
	ImputeGroupMean   = "group_mean"   // mean within the unit's group (Imputation.Group)
	ImputeGroupMedian = "group_median" // median within the unit's group

	ScreenNone         = "none"
	ScreenByNA         = "byNA"         // drop units whose data availability is below DatThresh (COINr)
	ScreenByZeros      = "byzeros"      // drop units whose share of non-zero values is below NonzeroThresh
	ScreenByNAAndZeros = "byNAandzeros" // either

	TreatNone       = "none"
	TreatWinsorise  = "winsorise"  // COINr default: winsorise up to WinMax points, else log_CT
	TreatPercentile = "percentile" // clamp to the Lower and Upper quantiles (R type 7)

	NormNone      = "none"      // direction only
	NormMinMax    = "minmax"    // l + (x-min)/(max-min)·(u-l)
	NormZScore    = "zscore"    // (x-mean)/sd·s + m, sample sd
	NormRank      = "rank"      // ranks, ties "min"
	NormPRank     = "prank"     // (rank-1)/(n-1), ties "min"
	NormDist2Max  = "dist2max"  // 1 - (max-x)/(max-min)
	NormDist2Ref  = "dist2ref"  // 1 - (x_ref-x)/(x_ref-min), optionally capped at 1
	NormGoalposts = "goalposts" // (x-lo)/(hi-lo) clipped to [0,1], times Scale
	NormFracMax   = "fracmax"   // x/max

	WeightsFramework = "framework" // the weights written in the framework (or Options.Weights)
	WeightsEqual     = "equal"
	WeightsEntropy   = "entropy"
	WeightsCRITIC    = "critic"
	WeightsCV        = "cv"
	WeightsPCA       = "pca"
	WeightsCombined  = "combined" // subjective (framework) with an objective method

	EntropyStrict  = "strict"  // 0·ln0 = 0 (default)
	EntropyShift   = "shift"   // z + 0.0001
	EntropyEpsilon = "epsilon" // z rescaled to [0.002, 0.998] (zhjx19/mathmodels)
	EntropyRaw     = "raw"     // pymcdm: raw sum-normalised data, direction ignored

	CombineLinear         = "linear"         // w = α·ws + (1-α)·wo
	CombineMultiplicative = "multiplicative" // w = ws·wo / Σ ws·wo

	AggArithmetic  = "arithmetic"
	AggGeometric   = "geometric"
	AggHarmonic    = "harmonic"
	AggGeneralised = "generalised" // (Σw x^p / Σw)^(1/p)
	AggTOPSIS      = "topsis"      // closeness, classic vector normalisation
	AggGRA         = "gra"         // grey relational grade, ideal = column maximum
)

var (
	screenMethods = []string{ScreenNone, ScreenByNA, ScreenByZeros, ScreenByNAAndZeros}
	imputeMethods = []string{ImputeNone, ImputeMean, ImputeMedian, ImputeGroupMean, ImputeGroupMedian}
	treatMethods  = []string{TreatNone, TreatWinsorise, TreatPercentile}
	normMethods   = []string{NormNone, NormMinMax, NormZScore, NormRank, NormPRank, NormDist2Max, NormDist2Ref,
		NormGoalposts, NormFracMax}
	weightMethods  = []string{WeightsFramework, WeightsEqual, WeightsEntropy, WeightsCRITIC, WeightsCV, WeightsPCA, WeightsCombined}
	entropyKinds   = []string{EntropyStrict, EntropyShift, EntropyEpsilon, EntropyRaw}
	combineMethods = []string{CombineLinear, CombineMultiplicative}
	aggMethods     = []string{AggArithmetic, AggGeometric, AggHarmonic, AggGeneralised, AggTOPSIS, AggGRA}
)

// Screening drops units with too little data before imputation, as
// COINr's Screen: a unit's data availability is the share of the
// framework's indicators it has a value for, its non-zero share the share
// of those values that are not zero. byNA drops units whose availability
// is below DatThresh, byzeros those whose non-zero share is below
// NonzeroThresh, byNAandzeros either. Defaults as COINr's
// Screen.data.frame: DatThresh 2/3, NonzeroThresh 0.05.
type Screening struct {
	Method        string  `yaml:"method" json:"method"`
	DatThresh     float64 `yaml:"dat_thresh,omitempty" json:"dat_thresh,omitempty"`
	NonzeroThresh float64 `yaml:"nonzero_thresh,omitempty" json:"nonzero_thresh,omitempty"`
}

func (s Screening) withDefaults() Screening {
	if s.Method == "" {
		s.Method = ScreenNone
	}
	if s.Method != ScreenNone {
		if s.DatThresh == 0 && s.Method != ScreenByZeros {
			s.DatThresh = 2.0 / 3
		}
		if s.NonzeroThresh == 0 && s.Method != ScreenByNA {
			s.NonzeroThresh = 0.05
		}
	}
	return s
}

func (s Screening) validate() error {
	if s.Method != "" && !oneOf(s.Method, screenMethods) {
		return unknownMethod("screening", "筛选", s.Method, screenMethods)
	}
	if !(s.DatThresh >= 0 && s.DatThresh <= 1) || !(s.NonzeroThresh >= 0 && s.NonzeroThresh <= 1) {
		return errorf("筛选阈值必须在 [0, 1] 内", "screening thresholds must lie in [0, 1]")
	}
	return nil
}

// Imputation fills missing values before treatment. Group names a key of
// Unit.Groups for the group methods; a group with no value of an indicator
// falls back to the value over all units.
type Imputation struct {
	Method string `yaml:"method" json:"method"`
	Group  string `yaml:"group,omitempty" json:"group,omitempty"`
}

func (s Imputation) validate() error {
	if !oneOf(s.Method, imputeMethods) {
		return unknownMethod("imputation", "插补", s.Method, imputeMethods)
	}
	if (s.Method == ImputeGroupMean || s.Method == ImputeGroupMedian) && s.Group == "" {
		return errorf("分组插补需要 group(分组列名)", "group imputation needs group (the name of the grouping)")
	}
	return nil
}

// Treatment of outliers, applied to the raw values of each indicator.
//
// winsorise (COINr's default): while |skew| ≥ SkewThresh and kurtosis ≥
// KurtThresh and fewer than WinMax points are winsorised, the points equal to
// the maximum (skew ≥ 0) or minimum (skew < 0) are set to the next value.
// If the indicator still fails, the original values are transformed with
// Fallback "log_ct": ln(x - min + 0.01·(max-min)) (COINr log_CT), or left
// unchanged with Fallback "none".
//
// percentile clamps values to the Lower and Upper quantiles (0 ≤ Lower <
// Upper ≤ 1, R type 7).
type Treatment struct {
	Method     string  `yaml:"method" json:"method"`
	WinMax     int     `yaml:"winmax,omitempty" json:"winmax,omitempty"`
	SkewThresh float64 `yaml:"skew_thresh,omitempty" json:"skew_thresh,omitempty"`
	KurtThresh float64 `yaml:"kurt_thresh,omitempty" json:"kurt_thresh,omitempty"`
	Fallback   string  `yaml:"fallback,omitempty" json:"fallback,omitempty"`
	Lower      float64 `yaml:"lower,omitempty" json:"lower,omitempty"`
	Upper      float64 `yaml:"upper,omitempty" json:"upper,omitempty"`
}

func (s Treatment) withDefaults() Treatment {
	if s.Method == TreatWinsorise {
		if s.WinMax == 0 {
			s.WinMax = 5
		}
		if s.SkewThresh == 0 {
			s.SkewThresh = 2
		}
		if s.KurtThresh == 0 {
			s.KurtThresh = 3.5
		}
		if s.Fallback == "" {
			s.Fallback = "log_ct"
		}
	}
	if s.Method == TreatPercentile && s.Upper == 0 {
		s.Lower, s.Upper = 0.05, 0.95
	}
	return s
}

func (s Treatment) validate() error {
	if !oneOf(s.Method, treatMethods) {
		return unknownMethod("treatment", "异常值处理", s.Method, treatMethods)
	}
	if s.WinMax < 0 {
		return errorf("winmax 不能为负", "winmax must not be negative")
	}
	if s.Fallback != "" && s.Fallback != "log_ct" && s.Fallback != "none" {
		return unknownMethod("treatment fallback", "异常值处理后备", s.Fallback, []string{"log_ct", "none"})
	}
	if s.Method == TreatPercentile && s.Upper != 0 && !(0 <= s.Lower && s.Lower < s.Upper && s.Upper <= 1) {
		return errorf("百分位缩尾需要 0 ≤ lower < upper ≤ 1", "percentile winsorisation needs 0 ≤ lower < upper ≤ 1")
	}
	return nil
}

// Normalisation of the indicators. Directions are applied first, exactly as
// COINr: values of an indicator with direction -1 are multiplied by -1.
type Normalisation struct {
	Method string  `yaml:"method" json:"method"`
	Lower  float64 `yaml:"lower,omitempty" json:"lower,omitempty"` // minmax, default 0
	Upper  float64 `yaml:"upper,omitempty" json:"upper,omitempty"` // minmax, default 100
	Mean   float64 `yaml:"mean,omitempty" json:"mean,omitempty"`   // zscore, default 0
	SD     float64 `yaml:"sd,omitempty" json:"sd,omitempty"`       // zscore, default 1
	// Reference is the unit code of dist2ref.
	Reference string `yaml:"reference,omitempty" json:"reference,omitempty"`
	// CapMax caps dist2ref scores at 1.
	CapMax bool `yaml:"cap_max,omitempty" json:"cap_max,omitempty"`
	// Scale multiplies goalposts scores, default 100.
	Scale float64 `yaml:"scale,omitempty" json:"scale,omitempty"`
}

func (s Normalisation) withDefaults() Normalisation {
	switch s.Method {
	case NormMinMax:
		if s.Lower == 0 && s.Upper == 0 {
			s.Upper = 100
		}
	case NormZScore:
		if s.SD == 0 {
			s.SD = 1
		}
	case NormGoalposts:
		if s.Scale == 0 {
			s.Scale = 100
		}
	}
	return s
}

func (s Normalisation) validate() error {
	if !oneOf(s.Method, normMethods) {
		return unknownMethod("normalisation", "标准化", s.Method, normMethods)
	}
	if s.Method == NormMinMax && s.Upper != 0 && !(s.Lower < s.Upper) {
		return errorf("最小-最大标准化需要 lower < upper", "min-max normalisation needs lower < upper")
	}
	if s.Method == NormZScore && s.SD < 0 {
		return errorf("z 分数的 sd 必须为正", "z-score sd must be positive")
	}
	if s.Method == NormDist2Ref && s.Reference == "" {
		return errorf("dist2ref 需要参照单元 reference", "dist2ref needs a reference unit")
	}
	return nil
}

// WeightSpec chooses the weights of the children within each group of a
// level. Objective methods use the values entering the aggregation (the
// normalised indicators at level 2, the aggregates below at higher levels).
type WeightSpec struct {
	Method string `yaml:"method" json:"method"`
	// Entropy is the entropy variant (strict, shift, epsilon, raw).
	Entropy string `yaml:"entropy,omitempty" json:"entropy,omitempty"`
	// Objective is the objective method of a combination.
	Objective string `yaml:"objective,omitempty" json:"objective,omitempty"`
	// Combine is linear (default) or multiplicative.
	Combine string `yaml:"combine,omitempty" json:"combine,omitempty"`
	// Alpha is the subjective share of a linear combination, default 0.5.
	Alpha float64 `yaml:"alpha,omitempty" json:"alpha,omitempty"`
	// Set, with the framework method (or as the subjective part of a
	// combination), replaces the framework weights of the nodes it names:
	// an exact weight set, as COINr's uncertainty analysis samples them.
	Set *WeightSet `yaml:"set,omitempty" json:"set,omitempty"`
}

// WeightSet maps node codes to weights.
type WeightSet map[string]float64

func (s WeightSpec) withDefaults() WeightSpec {
	if s.Method == "" {
		s.Method = WeightsFramework
	}
	if (s.Method == WeightsEntropy || s.Objective == WeightsEntropy) && s.Entropy == "" {
		s.Entropy = EntropyStrict
	}
	if s.Method == WeightsCombined {
		if s.Combine == "" {
			s.Combine = CombineLinear
		}
		if s.Combine == CombineLinear && s.Alpha == 0 {
			s.Alpha = 0.5
		}
	}
	return s
}

func (s WeightSpec) validate() error {
	if !oneOf(s.Method, weightMethods) {
		return unknownMethod("weights", "权重", s.Method, weightMethods)
	}
	if s.Set != nil {
		if s.Method != WeightsFramework && s.Method != WeightsCombined {
			return errorf("权重集只能与 framework 或 combined 方法一起使用", "a weight set goes with the framework or combined method only")
		}
		for code, w := range *s.Set {
			if !(w >= 0) || math.IsInf(w, 0) {
				return errorf("权重集中 %q 的权重 %v 无效(须为非负有限数)", "weight set: %q has weight %v (it must be finite and not negative)", code, w)
			}
		}
	}
	if !oneOf(s.Entropy, entropyKinds) {
		return unknownMethod("entropy variant", "熵权变体", s.Entropy, entropyKinds)
	}
	if s.Method == WeightsCombined {
		if s.Objective == "" || s.Objective == WeightsCombined || s.Objective == WeightsFramework || !oneOf(s.Objective, weightMethods) {
			return unknownMethod("objective weights", "客观权重", s.Objective, []string{WeightsEqual, WeightsEntropy, WeightsCRITIC, WeightsCV, WeightsPCA})
		}
		if !oneOf(s.Combine, combineMethods) {
			return unknownMethod("weight combination", "权重组合", s.Combine, combineMethods)
		}
		if s.Alpha < 0 || s.Alpha > 1 || math.IsNaN(s.Alpha) {
			return errorf("组合权重的 alpha 必须在 [0, 1] 内", "alpha of a weight combination must lie in [0, 1]")
		}
	}
	return nil
}

// Aggregation of the children of each group of a level.
type Aggregation struct {
	Method string `yaml:"method" json:"method"`
	// P is the power of the generalised mean (0 = geometric).
	P float64 `yaml:"p,omitempty" json:"p,omitempty"`
	// Rho is the distinguishing coefficient of the grey relational grade, default 0.5.
	Rho float64 `yaml:"rho,omitempty" json:"rho,omitempty"`
}

func (s Aggregation) withDefaults() Aggregation {
	if s.Method == "" {
		s.Method = AggArithmetic
	}
	if s.Method == AggGRA && s.Rho == 0 {
		s.Rho = 0.5
	}
	return s
}

// mean returns the method and power the weighted mean computes: a
// generalised mean with p = 1, 0 or −1 is the arithmetic, geometric or
// harmonic mean; other methods are returned as they are.
func (s Aggregation) mean() (method string, p float64) {
	if s.Method == AggGeneralised {
		switch s.P {
		case 1:
			return AggArithmetic, s.P
		case 0:
			return AggGeometric, s.P
		case -1:
			return AggHarmonic, s.P
		}
	}
	return s.Method, s.P
}

func (s Aggregation) validate() error {
	if !oneOf(s.Method, aggMethods) {
		return unknownMethod("aggregation", "聚合", s.Method, aggMethods)
	}
	if s.Rho < 0 || s.Rho > 1 {
		return errorf("灰色关联分辨系数 rho 必须在 (0, 1] 内", "grey relational rho must lie in (0, 1]")
	}
	return nil
}
