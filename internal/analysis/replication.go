package analysis

import (
	"agglo/internal/dataset"
	"agglo/internal/replicate"
)

// ReplicationResult sets every checkable number and claim of the paper
// against agglo's computation, with the count by status.
type ReplicationResult struct {
	Verdict replicate.Verdict `json:"verdict"`
	Claims  []replicate.Claim `json:"claims"`
}

// Replicate checks the paper's numbers and claims on ds.
func Replicate(ds *dataset.Dataset) (*ReplicationResult, error) {
	claims, err := replicate.Run(ds)
	if err != nil {
		return nil, fieldError(FieldDataset, err)
	}
	return &ReplicationResult{Verdict: replicate.Summarise(claims), Claims: claims}, nil
}

// AgglomerationMeans returns, for one Table 3 dimension, each
// agglomeration's mean over its member provinces (NaN where none has
// data), in the order of dataset.AgglomerationCodes.
func AgglomerationMeans(ds *dataset.Dataset, dimension string) []float64 {
	return replicate.AgglomerationMeans(ds, dimension)
}

// PaperData returns the embedded dataset of the paper: its published
// numbers and the Figure 1 values derived from them.
func PaperData() (*dataset.Dataset, error) {
	return replicate.Dataset()
}

// Table3Dimensions are the five CRIC dimensions in the order of the
// paper's Table 3.
func Table3Dimensions() []string { return replicate.Table3Dimensions() }

// Table3Weights recovers the composite's weights from Table 3 by
// non-negative least squares, with the largest absolute residual of the
// refit composite (see replicate.Table3Weights).
func Table3Weights(ds *dataset.Dataset) (map[string]float64, float64, error) {
	return replicate.Table3Weights(ds)
}
