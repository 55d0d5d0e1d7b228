// Package measure holds agglo's pure numerical methods for analysing urban
// agglomerations: ratios, inequality (Gini, coefficient of variation,
// Williamson, Theil with decomposition), concentration and polycentricity
// (primacy, HHI, rank-size slope, siphon indicators), industrial structure
// (UNIDO similarity, Krugman dissimilarity, location quotients), gravity
// linkage networks, coupling coordination and DEA efficiency.
//
// Conventions, following gonum:
//
//   - Inputs are never mutated. Weights come last; a nil weight slice means
//     equal weights.
//   - Missing values are NaN. Functions drop them pairwise (a value together
//     with its weight) and, where a result struct exists, report how many were
//     dropped.
//   - An index that is undefined for the input (empty input, zero total,
//     negative values where they are not allowed) is returned as NaN, never 0.
//     The Check function and the functions returning an error validate user
//     data and return an *InputError naming the method, the unit and the
//     offending value, so that callers can report it.
//   - Programmer misuse (slices of different lengths, ragged matrices) panics
//     with a constant message that starts with "measure: ".
//
// Formulas, variants, edge cases, the original literature and the reference
// implementations each method agrees with are in the project's method
// reference, docs/methods.md; each function's documentation names its
// anchor there (for example docs/methods.md#gini) and its original source.
// The tests cite the independent source of every expected value.
package measure
