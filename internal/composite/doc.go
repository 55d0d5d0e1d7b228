// Package composite builds composite indices from a hierarchical framework of
// indicators: imputation, outlier treatment, normalisation, weighting and
// aggregation level by level, followed by an audit (statistics, correlations,
// Cronbach's alpha, PCA) and a Monte Carlo uncertainty and variance-based
// sensitivity analysis.
//
// Definitions follow COINr, the composite-indicator package of the European
// Commission's Joint Research Centre (bluefoxr/COINr, R/normalise.R, R/treat.R,
// R/aggregate.R, R/sensitivity.R), so that the same choices give the same
// numbers. Objective weights (entropy, CRITIC, CV) and TOPSIS follow the
// MCDM literature (Diakoulaki et al. 1995; Hwang & Yoon 1981). Every step,
// its options, edge cases, sources and the differences from COINr are
// documented in the project's method reference, docs/methods.md (from
// docs/methods.md#composite on).
//
// The package stands alone: it defines its own input type (Data) and result
// types, designed for JSON.
package composite
