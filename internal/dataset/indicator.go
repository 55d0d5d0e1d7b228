package dataset

import (
	"strings"
)

// Polarity says whether higher values of an indicator are better (+1) or
// worse (-1).
type Polarity int

// Polarities.
const (
	HigherBetter Polarity = 1
	LowerBetter  Polarity = -1
)

// Indicator is one entry of the indicator catalogue. Values of an indicator
// are stored in its Unit; files in other units are converted at import.
type Indicator struct {
	Code      string   `json:"code"`
	NameZH    string   `json:"name_zh"`
	NameEN    string   `json:"name_en"`
	Unit      string   `json:"unit"`
	Polarity  Polarity `json:"polarity"`
	Dimension string   `json:"dimension,omitempty"` // e.g. scale, economy, innovation_input, cric
	// Domain constrains values: "positive", "nonnegative", "percent" (0-100)
	// or "" for any finite number.
	Domain        string   `json:"domain,omitempty"`
	DescriptionZH string   `json:"description_zh,omitempty"`
	DescriptionEN string   `json:"description_en,omitempty"`
	Aliases       []string `json:"aliases,omitempty"` // other header spellings that mean this indicator
	unit          Unit
}

// Name returns the indicator's name in lang.
func (ind *Indicator) Name(lang string) string {
	if lang == "en" && ind.NameEN != "" {
		return ind.NameEN
	}
	return ind.NameZH
}

// Label returns "name (unit)" in lang, the bilingual header convention of
// agglo's exports.
func (ind *Indicator) Label(lang string) string {
	if ind.Unit == "" {
		return ind.Name(lang)
	}
	return ind.Name(lang) + " (" + ind.Unit + ")"
}

// ParsedUnit returns the indicator's unit.
func (ind *Indicator) ParsedUnit() Unit { return ind.unit }

// Catalogue is the list of known indicators with lookups by code and by
// any of their names.
type Catalogue struct {
	list   []Indicator
	byCode map[string]int
	byName map[string]int
}

// NewCatalogue indexes indicators; it fails when a unit is unknown or a code
// repeats.
func NewCatalogue(list []Indicator) (*Catalogue, error) {
	c := &Catalogue{byCode: map[string]int{}, byName: map[string]int{}}
	for _, ind := range list {
		if err := c.add(ind); err != nil {
			return nil, err
		}
	}
	return c, nil
}

func (c *Catalogue) add(ind Indicator) error {
	u, err := ParseUnit(ind.Unit)
	if err != nil {
		return err
	}
	ind.unit = u
	if ind.Polarity == 0 {
		ind.Polarity = HigherBetter
	}
	if _, dup := c.byCode[ind.Code]; dup {
		return errDuplicateIndicator(ind.Code)
	}
	c.list = append(c.list, ind)
	i := len(c.list) - 1
	c.byCode[ind.Code] = i
	for _, n := range append([]string{ind.Code, ind.NameZH, ind.NameEN}, ind.Aliases...) {
		k := normIndicator(n)
		if _, taken := c.byName[k]; k != "" && !taken {
			c.byName[k] = i
		}
	}
	return nil
}

// normIndicator folds an indicator name for matching.
func normIndicator(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	s = strings.NewReplacer(" ", "", "_", "", "-", "", "（", "(", "）", ")").Replace(s)
	return s
}

// List returns the catalogue in order.
func (c *Catalogue) List() []Indicator { return c.list }

// Lookup finds an indicator by code.
func (c *Catalogue) Lookup(code string) (*Indicator, bool) {
	i, ok := c.byCode[code]
	if !ok {
		return nil, false
	}
	return &c.list[i], true
}

// Match finds an indicator by code, Chinese or English name or alias.
func (c *Catalogue) Match(name string) (*Indicator, bool) {
	if ind, ok := c.Lookup(name); ok {
		return ind, true
	}
	i, ok := c.byName[normIndicator(name)]
	if !ok {
		return nil, false
	}
	return &c.list[i], true
}

// clone returns a copy that can be extended without touching c.
func (c *Catalogue) clone() *Catalogue {
	out := &Catalogue{list: append([]Indicator(nil), c.list...), byCode: make(map[string]int, len(c.byCode)), byName: make(map[string]int, len(c.byName))}
	for k, v := range c.byCode {
		out.byCode[k] = v
	}
	for k, v := range c.byName {
		out.byName[k] = v
	}
	return out
}

// replace adds ind with unit u (which may be a label ParseUnit does not
// know), taking the place of an indicator of the same code: a file of free
// units defines its own gdp. It returns the stored indicator.
func (c *Catalogue) replace(ind Indicator, u Unit) *Indicator {
	ind.unit = u
	if ind.Polarity == 0 {
		ind.Polarity = HigherBetter
	}
	i, ok := c.byCode[ind.Code]
	if ok {
		c.list[i] = ind
	} else {
		c.list = append(c.list, ind)
		i = len(c.list) - 1
		c.byCode[ind.Code] = i
	}
	for _, n := range []string{ind.Code, ind.NameZH, ind.NameEN} {
		if k := normIndicator(n); k != "" {
			c.byName[k] = i
		}
	}
	return &c.list[i]
}
