// Package spatial holds agglo's spatial statistics: spatial weights built
// from unit coordinates, global autocorrelation (Moran's I, Geary's C),
// local indicators (local Moran / LISA, Getis-Ord Gi and Gi*) and their
// analytical and permutation inference.
//
// Conventions:
//
//   - Where the literature varies, the package follows PySAL esda and says so
//     in the function's documentation; the conversion to spdep (R) is given
//     where it differs.
//   - Weights are sparse (compressed neighbour lists), so thousands of units
//     with a few neighbours each are cheap.
//   - Inputs are never mutated. Values must be finite: a spatial statistic
//     cannot drop a unit without changing the weights, so NaN or infinite
//     values are reported as an *measure.InputError naming the unit.
//   - A statistic that is undefined for the input (a constant variable, no
//     links at all) is returned as NaN together with an error; nothing
//     panics on user data. Programmer misuse (slices of different lengths)
//     panics with a message starting with "spatial: ".
//   - Permutation inference is reproducible: permutation p draws its random
//     numbers from its own stream, derived from the seed and p alone, so the
//     same seed gives the same p-values on any machine and for any number
//     of workers.
//
// The method reference with formulas, variants, edge cases, literature and
// the reference implementations each method agrees with is
// docs/methods.md.
package spatial
