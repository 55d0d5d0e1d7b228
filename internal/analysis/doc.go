// Package analysis is the one orchestration layer of agglo: the command
// line, the HTTP API and the report builder translate their input into a
// typed request of this package and render its typed result, so that they
// give the same answers. Requests hold typed values (frameworks, method
// choices, scenarios), never flag syntax or file paths: callers parse
// files and flags at their edge (ParseOverrides, ParseScenario, ...).
//
// Analyses: Measure (MeasureContext) and MeasureAgglomerations (regional
// measures, spatial statistics, convergence, decompositions, networks and
// the obstacle degree model of an index), Index,
// Audit and Uncertainty (composite indices), Diagnose and Strategy,
// Replicate, and ReportInputs (everything the report shows). CrossSection
// is the one unit-and-year selection they share.
package analysis
