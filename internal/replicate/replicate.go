// Package replicate lists every number and quantitative claim of the paper
// that data can check, and sets each against what agglo computes from the
// embedded data.
package replicate

// Status is the outcome of one claim.
type Status string

// Statuses.
const (
	Match         Status = "match"          // computed agrees with published within tolerance
	Mismatch      Status = "mismatch"       // computed disagrees
	PublishedOnly Status = "published-only" // the paper gives no inputs to recompute it
	NotCheckable  Status = "not-checkable"  // nothing to compare, or the data cannot say; Reason explains
)

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
}

// Verdict counts the claims by status.
type Verdict struct {
	Match         int `json:"match"`
	Mismatch      int `json:"mismatch"`
	PublishedOnly int `json:"published_only"`
	NotCheckable  int `json:"not_checkable"`
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
		}
	}
	v.Total = len(cs)
	return v
}
