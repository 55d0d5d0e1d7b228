package analysis

import (
	"errors"

	"agglo/internal/i18n"
)

// Fields of a request that errors name (the API uses them as its field
// names; the command line maps them to its flags).
const (
	FieldFramework     = "framework"
	FieldYear          = "year"
	FieldLevel         = "level"
	FieldSteps         = "steps"
	FieldSpec          = "spec"
	FieldAgglomeration = "agglomeration"
	FieldDataset       = "dataset"
	FieldIndicator     = "indicator"
	FieldMethod        = "method"
	// Fields of measure requests, named as the flags and query parameters.
	FieldSpatialWeights = "spatial-weights"
	FieldPermutations   = "permutations"
	FieldGroup          = "group"
	FieldFromYear       = "from"
	FieldToYear         = "to"
	FieldControls       = "controls"
	FieldEpsilon        = "epsilon"
	FieldFlows          = "flows"
	FieldWeight         = "weight"
	FieldIndicators     = "indicators"
	FieldWeightSets     = "weight-sets"
)

// RequestError is an error caused by a request (a framework the data
// cannot fill, a year without data, methods the data refuse): Field names
// the part of the request; NotFound marks a name that matches nothing;
// NoUnits marks data that hold no unit the analysis can use.
type RequestError struct {
	Field    string
	NotFound bool
	NoUnits  bool
	Err      error
}

func (e *RequestError) Error() string { return e.Err.Error() }
func (e *RequestError) Unwrap() error { return e.Err }

// Localized implements i18n.Localizer.
func (e *RequestError) Localized(lang string) string { return i18n.Message(e.Err, lang) }

func fieldError(field string, err error) error {
	if err == nil {
		return nil
	}
	return &RequestError{Field: field, Err: err}
}

func notFound(field string, err error) error {
	return &RequestError{Field: field, NotFound: true, Err: err}
}

// noUnitsError says that the data hold no unit the analysis can use; what
// names what was looked for and why nothing was found.
func noUnitsError(what i18n.Text) error {
	return &RequestError{Field: FieldDataset, NoUnits: true, Err: &i18n.Error{Text: what}}
}

// IsNoUnits reports whether err says that the data hold no unit the
// analysis can use.
func IsNoUnits(err error) bool {
	var re *RequestError
	return errors.As(err, &re) && re.NoUnits
}
