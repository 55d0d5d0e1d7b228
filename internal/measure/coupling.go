package measure

import "math"

// validUnit reports whether every u is finite and in [0, 1].
func validUnit(u []float64) bool {
	for _, v := range u {
		if !(v >= 0 && v <= 1) {
			return false
		}
	}
	return true
}

// Coupling returns the standard coupling degree of n ≥ 2 subsystem indices
// U_i ∈ [0, 1] (the geometric mean over the arithmetic mean):
//
//	C = n·(Π U_i)^(1/n) / Σ U_i = [Π U_i / ((1/n) Σ U_i)^n]^(1/n)
//
// For n = 2 this is 2·sqrt(U1 U2)/(U1 + U2); writing sqrt(U1U2/(U1+U2)²)
// (factor 2 dropped) caps C at 0.5 and is a known error. Any U_i = 0 gives
// 0; all zero gives 0 (as stscl/coupling). Returns NaN for n < 2 or any U
// outside [0, 1] or NaN. Source: docs/methods.md#coupling.
func Coupling(u []float64) float64 {
	n := len(u)
	if n < 2 || !validUnit(u) {
		return math.NaN()
	}
	var sum, logs float64
	for _, v := range u {
		if v == 0 {
			return 0
		}
		sum += v
		logs += math.Log(v)
	}
	return float64(n) * math.Exp(logs/float64(n)) / sum
}

// ModifiedCoupling returns the corrected coupling degree of Wang, Kong, Ren
// et al. (2021, 自然资源学报 36(3):793-810):
//
//	C = sqrt( [1 − Σ_{i<j} |U_i − U_j| / (n(n−1)/2)] · (Π_i U_i/max U)^(1/(n−1)) )
//
// It spreads values over [0, 1] where the standard C crowds near 1.
// max U = 0 gives 0. Returns NaN for n < 2 or any U outside [0, 1] or NaN.
// Source: docs/methods.md#coupling (stscl/coupling method "wang";
// zhjx19/mathmodels coupling_degree(type = "adjusted")).
func ModifiedCoupling(u []float64) float64 {
	n := len(u)
	if n < 2 || !validUnit(u) {
		return math.NaN()
	}
	mx := 0.0
	for _, v := range u {
		mx = math.Max(mx, v)
	}
	if mx == 0 {
		return 0
	}
	var diff float64
	prod := 1.0
	for i, v := range u {
		prod *= v / mx
		for _, w := range u[i+1:] {
			diff += math.Abs(v - w)
		}
	}
	pairs := float64(n*(n-1)) / 2
	term1 := 1 - diff/pairs
	return math.Sqrt(term1 * math.Pow(prod, 1/float64(n-1)))
}

// CouplingModel selects the coupling-degree formula.
type CouplingModel int

const (
	// StandardCoupling is Coupling.
	StandardCoupling CouplingModel = iota
	// WangCoupling is ModifiedCoupling.
	WangCoupling
)

// CouplingResult is a coupling coordination evaluation.
type CouplingResult struct {
	// C is the coupling degree, T the comprehensive development index and
	// D = sqrt(C·T) the coupling coordination degree.
	C, T, D float64
	// Level classifies D, Stage classifies C.
	Level CoordinationLevel
	Stage CouplingStage
}

// CouplingCoordination returns the coupling degree C (standard or Wang et
// al.), the comprehensive index T and the coordination degree D:
//
//	T = Σ α_i U_i,  Σ α_i = 1 (α nil: α_i = 1/n),  D = sqrt(C·T)
//
// with Level = ClassifyCoordination(D) and Stage = ClassifyCoupling(C).
// Returns NaN values (Level and Stage −1) for n < 2 or any U outside
// [0, 1]; the weights are used as given (the caller makes them sum to 1).
// Panics if alpha is not nil and its length differs from u. Source:
// docs/methods.md#coupling.
func CouplingCoordination(u, alpha []float64, model CouplingModel) CouplingResult {
	if alpha != nil && len(alpha) != len(u) {
		panic(errLength)
	}
	var c float64
	if model == WangCoupling {
		c = ModifiedCoupling(u)
	} else {
		c = Coupling(u)
	}
	if math.IsNaN(c) {
		nan := math.NaN()
		return CouplingResult{C: nan, T: nan, D: nan, Level: -1, Stage: -1}
	}
	var t float64
	for i, v := range u {
		a := 1 / float64(len(u))
		if alpha != nil {
			a = alpha[i]
		}
		t += a * v
	}
	d := math.Sqrt(c * t)
	return CouplingResult{C: c, T: t, D: d, Level: ClassifyCoordination(d), Stage: ClassifyCoupling(c)}
}

// CoordinationLevel is one of the ten classes of the coupling coordination
// degree D, from ExtremeImbalance (0) to HighQualityCoordination (9).
type CoordinationLevel int

// The ten coordination levels; intervals are lower-open, upper-closed.
const (
	ExtremeImbalance         CoordinationLevel = iota // (0, 0.1] 极度失调
	SevereImbalance                                   // (0.1, 0.2] 严重失调
	ModerateImbalance                                 // (0.2, 0.3] 中度失调
	MildImbalance                                     // (0.3, 0.4] 轻度失调
	VergeOfImbalance                                  // (0.4, 0.5] 濒临失调
	BarelyCoordinated                                 // (0.5, 0.6] 勉强协调
	PrimaryCoordination                               // (0.6, 0.7] 初级协调
	IntermediateCoordination                          // (0.7, 0.8] 中级协调
	GoodCoordination                                  // (0.8, 0.9] 良好协调
	HighQualityCoordination                           // (0.9, 1] 优质协调
)

// ClassifyCoordination returns the level of D with lower-open, upper-closed
// intervals of width 0.1 (地理学报 2021 76(4) Table 1):
//
//	level = ceil(10·D) − 1, clamped to [0, 9];  D = 0 → ExtremeImbalance
//
// Returns −1 for NaN or D outside [0, 1]. Source: docs/methods.md#coupling.
func ClassifyCoordination(d float64) CoordinationLevel {
	if !(d >= 0 && d <= 1) {
		return -1
	}
	// Compare D with the bounds k/10 directly (equivalent to ceil(10·D) − 1,
	// without the rounding of the product).
	for l := range 9 {
		if d <= float64(l+1)/10 {
			return CoordinationLevel(l)
		}
	}
	return HighQualityCoordination
}

// ZH returns the Chinese name of the level ("" when out of range).
func (l CoordinationLevel) ZH() string { return l.names()[0] }

// EN returns the English name of the level ("" when out of range).
func (l CoordinationLevel) EN() string { return l.names()[1] }

func (l CoordinationLevel) names() [2]string {
	if l < 0 || l > 9 {
		return [2]string{}
	}
	return [...][2]string{
		{"极度失调", "extreme imbalance"},
		{"严重失调", "severe imbalance"},
		{"中度失调", "moderate imbalance"},
		{"轻度失调", "mild imbalance"},
		{"濒临失调", "verge of imbalance"},
		{"勉强协调", "barely coordinated"},
		{"初级协调", "primary coordination"},
		{"中级协调", "intermediate coordination"},
		{"良好协调", "good coordination"},
		{"优质协调", "high-quality coordination"},
	}[l]
}

// String returns the English name.
func (l CoordinationLevel) String() string { return l.EN() }

// CouplingStage classifies the coupling degree C.
type CouplingStage int

// Coupling stages by C (same source as the levels).
const (
	LowCoupling       CouplingStage = iota // (0, 0.3] 低水平耦合
	Antagonistic                           // (0.3, 0.5] 拮抗
	RunningIn                              // (0.5, 0.8] 磨合
	HighLevelCoupling                      // (0.8, 1] 高水平耦合
)

// ClassifyCoupling returns the stage of C: (0, 0.3] low-level, (0.3, 0.5]
// antagonistic, (0.5, 0.8] running-in, (0.8, 1] high-level; C = 0 is
// low-level. Returns −1 for NaN or C outside [0, 1]. Source:
// docs/methods.md#coupling.
func ClassifyCoupling(c float64) CouplingStage {
	switch {
	case !(c >= 0 && c <= 1):
		return -1
	case c <= 0.3:
		return LowCoupling
	case c <= 0.5:
		return Antagonistic
	case c <= 0.8:
		return RunningIn
	}
	return HighLevelCoupling
}

// ZH returns the Chinese name of the stage ("" when out of range).
func (s CouplingStage) ZH() string { return s.names()[0] }

// EN returns the English name of the stage ("" when out of range).
func (s CouplingStage) EN() string { return s.names()[1] }

func (s CouplingStage) names() [2]string {
	if s < 0 || s > 3 {
		return [2]string{}
	}
	return [...][2]string{
		{"低水平耦合", "low-level coupling"},
		{"拮抗", "antagonistic"},
		{"磨合", "running-in"},
		{"高水平耦合", "high-level coupling"},
	}[s]
}

// String returns the English name.
func (s CouplingStage) String() string { return s.EN() }
