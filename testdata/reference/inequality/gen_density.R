# Reference values of R for agglo's kernel density (internal/measure/density_test.go).
#
# Input: ../mexico.csv (pysal/libpysal example data). Output: density.json.
# Run from this directory:
#
#     Rscript gen_density.R
#
# Produced with R 4.2.2 (stats) and jsonlite 1.8.4 (Debian).
# bw.nrd0 is R's Silverman rule of thumb (the default of density()).
# The density is evaluated exactly at 9 points with dnorm, since density()
# itself approximates by binning onto a grid (FFT); its default grid ends
# (min - 3 bw, max + 3 bw, 512 points) are recorded too.
suppressPackageStartupMessages(library(jsonlite))
d <- read.csv("../mexico.csv")
x <- d$pcgdp2000 / 1000
w <- d$pcgdp1940 / sum(d$pcgdp1940)
h <- bw.nrd0(x)
grid <- seq(5, 55, length.out = 9)
exact <- sapply(grid, function(g) mean(dnorm((g - x) / h)) / h)
exact_w <- sapply(grid, function(g) sum(w * dnorm((g - x) / h)) / h)
dd <- density(x)
out <- list(
  versions = list(R = R.version.string),
  x = "pcgdp2000 / 1000",
  bw_nrd0 = h,
  bw_nrd0_mexico_1940_div1000 = bw.nrd0(d$pcgdp1940 / 1000),
  bw_nrd0_constant_5 = bw.nrd0(rep(5, 4)),
  bw_nrd0_ties = bw.nrd0(c(1, 1, 1, 1, 2, 3)),
  grid = grid, density = exact,
  weights = "pcgdp1940 / sum(pcgdp1940)", density_weighted = exact_w,
  density_default_grid = list(from = min(dd$x), to = max(dd$x), n = length(dd$x))
)
writeLines(toJSON(out, digits = NA, auto_unbox = TRUE, pretty = TRUE), "density.json")
