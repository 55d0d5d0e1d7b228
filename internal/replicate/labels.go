package replicate

import (
	"agglo/internal/format"
	"agglo/internal/i18n"
)

// UnitText names the unit of a claim's value in both languages: the
// scores, ranks and weights of the paper's tables, else the indicator unit
// as format.Unit names it.
func UnitText(u string) i18n.Text {
	switch u {
	case "score":
		return i18n.T("分", "points")
	case "rank":
		return i18n.T("位次", "rank")
	case "rank from bottom":
		return i18n.T("倒数位次", "rank from the bottom")
	case "weight":
		return i18n.T("权重", "weight")
	}
	return format.Unit(u)
}
