// Package replicate lists every number and quantitative claim of the paper
// that data can check, and sets each against what agglo computes from the
// embedded data (and, where loaded, the province statistics). A claim that
// can be read more than one way ("low" among the five or against the
// agglomeration's own profile) is checked every way, side by side; a value
// that is a constraint of a derivation is listed as such, not as a match.
package replicate

import "agglo/internal/i18n"

// Status is the outcome of one claim.
type Status string

// Statuses.
const (
	Match         Status = "match"          // computed agrees with published within tolerance
	Mismatch      Status = "mismatch"       // computed disagrees
	PublishedOnly Status = "published-only" // the paper gives no inputs to recompute it
	NotCheckable  Status = "not-checkable"  // nothing to compare, or the data cannot say; Reason explains
	Mixed         Status = "mixed"          // the readings of the claim disagree; Readings show each
	Constraint    Status = "constraint"     // an identity the derivation imposes: agreement by construction, not a check
)

// StatusName names a status in both languages.
func StatusName(s Status) i18n.Text {
	switch s {
	case Match:
		return i18n.T("一致", "match")
	case Mismatch:
		return i18n.T("不一致", "mismatch")
	case PublishedOnly:
		return i18n.T("仅发表值", "published only")
	case NotCheckable:
		return i18n.T("无法核对", "not checkable")
	case Mixed:
		return i18n.T("读法不同结论不同", "depends on the reading")
	case Constraint:
		return i18n.T("推算的约束条件", "constraint of the derivation")
	}
	return i18n.T(string(s), string(s))
}

// Reading is one way of checking a claim: what was computed and whether
// the claim holds that way.
type Reading struct {
	ID       string    `json:"id"`
	Name     i18n.Text `json:"name"`
	Computed *float64  `json:"computed"`
	Holds    bool      `json:"holds"`
	Detail   i18n.Text `json:"detail"`
}

// Claim is one checkable number or statement of the paper.
type Claim struct {
	ID        string   `json:"id"`
	Group     string   `json:"group"` // overview, fig1, table1, table2, table3, claims
	ClaimZH   string   `json:"claim_zh"`
	ClaimEN   string   `json:"claim_en"`
	Published *float64 `json:"published"`
	Computed  *float64 `json:"computed"`
	Unit      string   `json:"unit"`
	Tolerance *float64 `json:"tolerance"`
	Status    Status   `json:"status"`
	ReasonZH  string   `json:"reason_zh,omitempty"`
	ReasonEN  string   `json:"reason_en,omitempty"`
	Source    string   `json:"source"`
	// Formula says how Computed was obtained.
	Formula string `json:"formula,omitempty"`
	// Readings are the ways the claim was checked, side by side.
	Readings []Reading `json:"readings,omitempty"`
}

// Verdict counts the claims by status.
type Verdict struct {
	Match         int `json:"match"`
	Mismatch      int `json:"mismatch"`
	PublishedOnly int `json:"published_only"`
	NotCheckable  int `json:"not_checkable"`
	Mixed         int `json:"mixed"`
	Constraint    int `json:"constraint"`
	Total         int `json:"total"`
}

// Summarise counts claims by status.
func Summarise(cs []Claim) Verdict {
	var v Verdict
	for _, c := range cs {
		switch c.Status {
		case Match:
			v.Match++
		case Mismatch:
			v.Mismatch++
		case PublishedOnly:
			v.PublishedOnly++
		case NotCheckable:
			v.NotCheckable++
		case Mixed:
			v.Mixed++
		case Constraint:
			v.Constraint++
		}
	}
	v.Total = len(cs)
	return v
}
