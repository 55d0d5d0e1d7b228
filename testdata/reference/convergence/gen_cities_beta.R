# Reference values of R's lm for the convergence of agglo's report
# structure (internal/analysis/structure_test.go): absolute β-convergence of
# the census population of the 95 member cities of the five agglomerations
# from 2010 to 2020, over all cities and within each agglomeration (club),
# with σ (sd of ln x, divisor n) per year.
#
# Input: ../spatial/cities.csv (see ../spatial/prepare_cities.py). Output:
# cities_beta.json. Run from this directory:
#
#     Rscript gen_cities_beta.R
#
# Produced with R 4.2.2 (stats::lm, classic standard errors) and jsonlite
# 1.8.4 on Debian 12.
suppressPackageStartupMessages(library(jsonlite))

d <- read.csv("../spatial/cities.csv", encoding = "UTF-8")
span <- 10
beta <- function(x0, xT) {
  g <- (log(xT) - log(x0)) / span
  fit <- summary(lm(g ~ log(x0)))
  co <- fit$coefficients
  b <- co[2, 1]
  rate <- -log(1 + b * span) / span
  list(n = length(x0), coefficient = b, se = co[2, 2], t = co[2, 3], p = co[2, 4],
       r2 = fit$r.squared, rate = rate, half_life = if (rate > 0) log(2) / rate else NA)
}
sdn <- function(x) sqrt(mean((x - mean(x))^2))
clubs <- list()
for (a in sort(unique(d$agglomeration))) {
  s <- d[d$agglomeration == a, ]
  clubs[[a]] <- beta(s$pop2010, s$pop2020)
}
out <- list(
  versions = list(R = as.character(getRversion()), jsonlite = as.character(packageVersion("jsonlite"))),
  beta = beta(d$pop2010, d$pop2020),
  clubs = clubs,
  sigma = list(`2010` = sdn(log(d$pop2010)), `2020` = sdn(log(d$pop2020)))
)
write(toJSON(out, auto_unbox = TRUE, digits = NA, na = "null", pretty = TRUE), "cities_beta.json")
