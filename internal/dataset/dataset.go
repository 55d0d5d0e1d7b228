// Package dataset is agglo's data model: regions (nation, agglomerations,
// provinces, cities, free units), the indicator catalogue, observations with
// their provenance held in columns, unit conversion, the readers of CSV and
// XLSX files (with the limits of Limits), the writers of CSV, XLSX and JSON,
// and a binary columnar form (Save, Load; .agglo files) that loads without
// importing again. The paper's 2019 data and the region registry are
// embedded and loaded by the same code that loads a user's file.
//
// A server that stores uploads keeps each as Save writes it and reopens it
// with Load, with the same ReadOptions (registry and catalogue; see
// Embedded) as the import; ImportError.TooLarge marks a file refused by a
// limit.
package dataset

import (
	"fmt"
	"math"
	"slices"
	"strings"
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
	// Rollup describes a value rolled up from an agglomeration's members
	// (WithRollups): coverage, members without data, partial members.
	Rollup *RollupInfo `json:"rollup,omitempty"`
}

// Observation is one value of one indicator for one region and year. Region
// and Indicator index the dataset's Regions and Indicators; Source indexes
// its Sources. Row and Col locate an imported value in its file (1-based).
//
// A dataset does not store Observation values: it stores columns (see
// Dataset) and makes an Observation when one is asked for (Lookup, All,
// ObservationsOf).
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
//
// Values are held in columns: for each indicator, one column per year in
// which it has values, each column aligned with Regions (a dense []float64
// with NaN where a region has no value) or, when few regions have a value,
// a sparse list of region indices and values. A cross-section (one
// indicator, one year, all regions) is therefore a binary search over the
// indicator's years followed by a copy or an index computation; nothing
// builds a map over all observations. Provenance is held beside the values
// compactly: the file row of each value, and source and file column as one
// number per column unless they vary within it.
//
// A Dataset is safe for concurrent reads. AddDerived and the readers that
// build a dataset must not run concurrently with reads of the same dataset.
type Dataset struct {
	Name       string
	Registry   *Registry  // known regions (membership, names), even for user data
	Catalogue  *Catalogue // known indicators plus those the data added
	Regions    []Region   // regions that have observations, in first-seen order
	Indicators []Indicator
	Sources    []Source
	// FreeUnits is true when the regions are not Chinese administrative
	// units (another country's regions, firms, anything).
	FreeUnits bool
	// Notes are warnings worth showing (units assumed, values skipped).
	Notes []Issue
	// Checks are published numbers set against their recomputation.
	Checks []Check
	// Attributes are text columns of a wide file: categorical attributes
	// of the units (region type, group, province), usable as groups.
	Attributes []Attribute

	// series[i] holds the columns of Indicators[i], ascending by year.
	series [][]*yearCol
	// years are the distinct years with at least one value, ascending.
	years []int
	// n is the number of values held.
	n int

	regionIdx map[string]int32
	indIdx    map[string]int32
}

// Attribute is a categorical attribute of the units: the text of a wide
// file's text column by region code. Code is made from its header, as an
// indicator's would be.
type Attribute struct {
	Code   string            `json:"code"`
	Name   string            `json:"name"`
	Values map[string]string `json:"values"`
}

// Attribute returns the attribute with the given code or header name.
func (ds *Dataset) Attribute(name string) (*Attribute, bool) {
	for i := range ds.Attributes {
		a := &ds.Attributes[i]
		if a.Code == name || a.Name == name || strings.EqualFold(a.Code, slug(name)) && slug(name) != "" {
			return a, true
		}
	}
	return nil, false
}

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

// ensureIndex builds the code lookups when they are missing or stale. The
// constructors of this package build them, so that reads of a finished
// dataset never write.
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

// columnOf returns the column of indicator index i in year, or nil.
func (ds *Dataset) columnOf(i int, year int) *yearCol {
	if i < 0 || i >= len(ds.series) {
		return nil
	}
	s := ds.series[i]
	k, ok := slices.BinarySearchFunc(s, int32(year), func(c *yearCol, y int32) int { return int(c.year) - int(y) })
	if !ok {
		return nil
	}
	return s[k]
}

// Value returns the value of indicator for region in year.
func (ds *Dataset) Value(region, indicator string, year int) (float64, bool) {
	r, ok1 := ds.RegionIndex(region)
	i, ok2 := ds.IndicatorIndex(indicator)
	if !ok1 || !ok2 {
		return math.NaN(), false
	}
	c := ds.columnOf(i, year)
	if c == nil {
		return math.NaN(), false
	}
	p := c.pos(int32(r))
	if p < 0 {
		return math.NaN(), false
	}
	return c.vals[p], true
}

// Lookup returns the observation of indicator for region in year.
func (ds *Dataset) Lookup(region, indicator string, year int) (Observation, bool) {
	r, ok1 := ds.RegionIndex(region)
	i, ok2 := ds.IndicatorIndex(indicator)
	if !ok1 || !ok2 {
		return Observation{}, false
	}
	c := ds.columnOf(i, year)
	if c == nil {
		return Observation{}, false
	}
	p := c.pos(int32(r))
	if p < 0 {
		return Observation{}, false
	}
	return c.obs(p, int32(r), int32(i)), true
}

// Provenance resolves where an observation comes from.
func (ds *Dataset) Provenance(o Observation) Provenance {
	p := Provenance{Row: int(o.Row), Col: int(o.Col)}
	if int(o.Source) < len(ds.Sources) && o.Source >= 0 {
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
	for i, s := range ds.series {
		for _, c := range s {
			if p := c.pos(int32(r)); p >= 0 {
				out = append(out, c.obs(p, int32(r), int32(i)))
			}
		}
	}
	return out
}

// Years returns the distinct years present, ascending (0 stands for values
// without a year).
func (ds *Dataset) Years() []int { return slices.Clone(ds.years) }

// Column returns, for the given regions, the values of one indicator in one
// year (NaN where missing).
func (ds *Dataset) Column(regions []string, indicator string, year int) []float64 {
	out := make([]float64, len(regions))
	var c *yearCol
	if i, ok := ds.IndicatorIndex(indicator); ok {
		c = ds.columnOf(i, year)
	}
	for k, code := range regions {
		out[k] = math.NaN()
		if c == nil {
			continue
		}
		if r, ok := ds.RegionIndex(code); ok {
			if p := c.pos(int32(r)); p >= 0 {
				out[k] = c.vals[p]
			}
		}
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
	ds.series = append(ds.series, nil)
	i := int32(len(ds.Indicators) - 1)
	ds.indIdx[ind.Code] = i
	return i
}

// AddDerived adds a value computed from other observations, with its
// formula and inputs as provenance. It fails when the key exists already
// or the value is NaN or infinite.
func (ds *Dataset) AddDerived(region, indicator string, year int, value float64, formula string, inputs []ObsRef) error {
	reg, ok := ds.Region(region)
	if !ok {
		return fmt.Errorf("derive %s/%s: unknown region", region, indicator)
	}
	ind, ok := ds.Catalogue.Lookup(indicator)
	if !ok {
		return fmt.Errorf("derive %s/%s: unknown indicator", region, indicator)
	}
	if math.IsNaN(value) || math.IsInf(value, 0) {
		return fmt.Errorf("derive %s/%s/%d: value %v is not finite", region, indicator, year, value)
	}
	if _, exists := ds.Lookup(region, indicator, year); exists {
		return fmt.Errorf("derive %s/%s/%d: a value exists already", region, indicator, year)
	}
	ri := ds.addRegion(*reg)
	ii := ds.addIndicator(*ind)
	ds.Sources = append(ds.Sources, Source{Kind: Derived, Formula: formula, Inputs: inputs})
	ds.insert(ii, int32(year), ri, value, int32(len(ds.Sources)-1), 0, 0)
	return nil
}
