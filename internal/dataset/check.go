package dataset

// Check is a published number set against agglo's recomputation of it.
type Check struct {
	ID        string  `json:"id"`
	Region    string  `json:"region"`
	Indicator string  `json:"indicator"`
	Year      int     `json:"year"`
	Published float64 `json:"published"`
	Derived   float64 `json:"derived"`
	Residual  float64 `json:"residual"` // derived − published, in the indicator's unit
	Formula   string  `json:"formula"`
	Source    string  `json:"source"`
}
