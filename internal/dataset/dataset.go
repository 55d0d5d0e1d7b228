// Package dataset is agglo's data model: regions (nation, agglomerations,
// provinces, cities, free units), the indicator catalogue, observations with
// their provenance, unit conversion, and the readers and writers of CSV,
// XLSX and JSON files. The paper's 2019 data and the region registry are
// embedded and loaded by the same code that loads a user's file.
package dataset

import (
	"fmt"
	"math"
	"sort"
)

// SourceKind says where an observation comes from.
type SourceKind string

// Kinds of provenance.
const (
	Published SourceKind = "published" // printed in a source (paper table, official bulletin)
	Derived   SourceKind = "derived"   // computed by agglo from other observations
	Imported  SourceKind = "imported"  // read from a user's file
)

// ObsRef names an observation by its key, used as the input list of a
// derived value.
type ObsRef struct {
	Region    string `json:"region"`
	Indicator string `json:"indicator"`
	Year      int    `json:"year"`
}

// Source is a provenance record shared by many observations.
type Source struct {
	Kind SourceKind `json:"kind"`
	// Ref is the published source, e.g. "paper Table 1" or an official
	// bulletin; for imported data the file name.
	Ref string `json:"ref,omitempty"`
	// Formula and Inputs describe a derived value.
	Formula string   `json:"formula,omitempty"`
	Inputs  []ObsRef `json:"inputs,omitempty"`
	File    string   `json:"file,omitempty"`
	Sheet   string   `json:"sheet,omitempty"`
	Note    string   `json:"note,omitempty"`
}

// Observation is one value of one indicator for one region and year. Region
// and Indicator index the dataset's Regions and Indicators; Source indexes
// its Sources. Row and Col locate an imported value in its file (1-based).
//
// The fields are ordered so that the struct has no padding (32 bytes): a
// national-scale import holds millions of them.
type Observation struct {
	Value     float64
	Region    int32
	Indicator int32
	Year      int32 // 0 when the source states no year
	Source    int32
	Row, Col  int32
}

// Provenance is the resolved origin of one observation.
type Provenance struct {
	Source
	Row int `json:"row,omitempty"`
	Col int `json:"col,omitempty"`
}

// Dataset is a typed, validated collection of observations.
type Dataset struct {
	Name       string
	Registry   *Registry  // known regions (membership, names), even for user data
	Catalogue  *Catalogue // known indicators plus those the data added
	Regions    []Region   // regions that have observations, in first-seen order
	Indicators []Indicator
	Obs        []Observation
	Sources    []Source
	// FreeUnits is true when the regions are not Chinese administrative
	// units (another country's regions, firms, anything).
	FreeUnits bool
	// Notes are warnings worth showing (units assumed, values skipped).
	Notes []Issue
	// Checks are published numbers set against their recomputation.
	Checks []Check

	regionIdx map[string]int32
	indIdx    map[string]int32
	valueIdx  map[obsKey]int32
}

type obsKey struct{ r, i, y int32 }

// RegionIndex returns the index of a region code in ds.Regions.
func (ds *Dataset) RegionIndex(code string) (int, bool) {
	ds.ensureIndex()
	i, ok := ds.regionIdx[code]
	return int(i), ok
}

// IndicatorIndex returns the index of an indicator code in ds.Indicators.
func (ds *Dataset) IndicatorIndex(code string) (int, bool) {
	ds.ensureIndex()
	i, ok := ds.indIdx[code]
	return int(i), ok
}

// Indicator returns the indicator with the given code.
func (ds *Dataset) Indicator(code string) (*Indicator, bool) {
	i, ok := ds.IndicatorIndex(code)
	if !ok {
		return nil, false
	}
	return &ds.Indicators[i], true
}

// Region returns the region with the given code, from the data or else from
// the registry.
func (ds *Dataset) Region(code string) (*Region, bool) {
	if i, ok := ds.RegionIndex(code); ok {
		return &ds.Regions[i], true
	}
	if ds.Registry != nil {
		return ds.Registry.Lookup(code)
	}
	return nil, false
}

func (ds *Dataset) ensureIndex() {
	if ds.regionIdx != nil && len(ds.regionIdx) == len(ds.Regions) && len(ds.indIdx) == len(ds.Indicators) {
		return
	}
	ds.regionIdx = make(map[string]int32, len(ds.Regions))
	for i, r := range ds.Regions {
		ds.regionIdx[r.Code] = int32(i)
	}
	ds.indIdx = make(map[string]int32, len(ds.Indicators))
	for i, ind := range ds.Indicators {
		ds.indIdx[ind.Code] = int32(i)
	}
}

// Value returns the value of indicator for region in year.
func (ds *Dataset) Value(region, indicator string, year int) (float64, bool) {
	o, ok := ds.Lookup(region, indicator, year)
	if !ok {
		return math.NaN(), false
	}
	return o.Value, true
}

// Lookup returns the observation of indicator for region in year.
func (ds *Dataset) Lookup(region, indicator string, year int) (Observation, bool) {
	r, ok1 := ds.RegionIndex(region)
	i, ok2 := ds.IndicatorIndex(indicator)
	if !ok1 || !ok2 {
		return Observation{}, false
	}
	if ds.valueIdx == nil || len(ds.valueIdx) != len(ds.Obs) {
		ds.valueIdx = make(map[obsKey]int32, len(ds.Obs))
		for k, o := range ds.Obs {
			ds.valueIdx[obsKey{o.Region, o.Indicator, o.Year}] = int32(k)
		}
	}
	k, ok := ds.valueIdx[obsKey{int32(r), int32(i), int32(year)}]
	if !ok {
		return Observation{}, false
	}
	return ds.Obs[k], true
}

// Provenance resolves where an observation comes from.
func (ds *Dataset) Provenance(o Observation) Provenance {
	p := Provenance{Row: int(o.Row), Col: int(o.Col)}
	if int(o.Source) < len(ds.Sources) {
		p.Source = ds.Sources[o.Source]
	}
	return p
}

// ObservationsOf returns the observations of one region, sorted by
// indicator order and year.
func (ds *Dataset) ObservationsOf(region string) []Observation {
	r, ok := ds.RegionIndex(region)
	if !ok {
		return nil
	}
	var out []Observation
	for _, o := range ds.Obs {
		if int(o.Region) == r {
			out = append(out, o)
		}
	}
	sort.SliceStable(out, func(a, b int) bool {
		if out[a].Indicator != out[b].Indicator {
			return out[a].Indicator < out[b].Indicator
		}
		return out[a].Year < out[b].Year
	})
	return out
}

// Years returns the distinct years present, ascending.
func (ds *Dataset) Years() []int {
	seen := map[int32]bool{}
	for _, o := range ds.Obs {
		seen[o.Year] = true
	}
	out := make([]int, 0, len(seen))
	for y := range seen {
		out = append(out, int(y))
	}
	sort.Ints(out)
	return out
}

// Column returns, for the given regions, the values of one indicator in one
// year (NaN where missing).
func (ds *Dataset) Column(regions []string, indicator string, year int) []float64 {
	out := make([]float64, len(regions))
	for i, r := range regions {
		out[i], _ = ds.Value(r, indicator, year)
	}
	return out
}

// addRegion appends a region unless present and returns its index.
func (ds *Dataset) addRegion(r Region) int32 {
	ds.ensureIndex()
	if i, ok := ds.regionIdx[r.Code]; ok {
		return i
	}
	ds.Regions = append(ds.Regions, r)
	i := int32(len(ds.Regions) - 1)
	ds.regionIdx[r.Code] = i
	return i
}

// addIndicator appends an indicator unless present and returns its index.
func (ds *Dataset) addIndicator(ind Indicator) int32 {
	ds.ensureIndex()
	if i, ok := ds.indIdx[ind.Code]; ok {
		return i
	}
	ds.Indicators = append(ds.Indicators, ind)
	i := int32(len(ds.Indicators) - 1)
	ds.indIdx[ind.Code] = i
	return i
}

// AddDerived adds a value computed from other observations, with its
// formula and inputs as provenance. It fails when the key exists already.
func (ds *Dataset) AddDerived(region, indicator string, year int, value float64, formula string, inputs []ObsRef) error {
	reg, ok := ds.Region(region)
	if !ok {
		return fmt.Errorf("derive %s/%s: unknown region", region, indicator)
	}
	ind, ok := ds.Catalogue.Lookup(indicator)
	if !ok {
		return fmt.Errorf("derive %s/%s: unknown indicator", region, indicator)
	}
	if _, exists := ds.Lookup(region, indicator, year); exists {
		return fmt.Errorf("derive %s/%s/%d: a value exists already", region, indicator, year)
	}
	ri := ds.addRegion(*reg)
	ii := ds.addIndicator(*ind)
	ds.Sources = append(ds.Sources, Source{Kind: Derived, Formula: formula, Inputs: inputs})
	ds.Obs = append(ds.Obs, Observation{Region: ri, Indicator: ii, Year: int32(year), Value: value, Source: int32(len(ds.Sources) - 1)})
	ds.valueIdx = nil
	return nil
}
