# Reference values of spdep for agglo's measure commands on the 95 cities
# (internal/analysis/measures16_test.go, internal/cli/measure16_test.go):
# Moran's I and Geary's C of the census population in 2010 and 2020 with
# the 6 nearest neighbours, row-standardised, as `agglo measure moran
# --panel` computes them year by year.
#
# Input: cities.csv (see prepare_cities.py). Output: spdep_panel.json. Run
# from this directory:
#
#     Rscript gen_spdep_panel.R
#
# Produced with R 4.2.2 and Debian's r-cran-spdep 1.2-7 (jsonlite 1.8.4).
# The neighbour lists are built from great-circle (haversine, R = 6371.0088
# km) distances, as in gen_spdep.R.
suppressPackageStartupMessages({library(spdep); library(jsonlite)})

d <- read.csv("cities.csv", encoding = "UTF-8")
n <- nrow(d)
hav <- function(lon1, lat1, lon2, lat2) {
  r <- pi / 180
  h <- sin((lat2 - lat1) * r / 2)^2 + cos(lat1 * r) * cos(lat2 * r) * sin((lon2 - lon1) * r / 2)^2
  2 * 6371.0088 * asin(sqrt(pmin(1, h)))
}
D <- outer(seq_len(n), seq_len(n), function(i, j) hav(d$lon[i], d$lat[i], d$lon[j], d$lat[j]))
knn6 <- lapply(seq_len(n), function(i) as.integer(sort(order(D[i, ], seq_len(n))[2:7])))
class(knn6) <- "nb"
attr(knn6, "region.id") <- as.character(seq_len(n))
w <- nb2listw(knn6, style = "W")
one <- function(x) {
  m <- moran.test(x, w, randomisation = FALSE, alternative = "two.sided")
  g <- geary.test(x, w, randomisation = FALSE)
  list(moran_I = unname(m$estimate[1]), moran_E = unname(m$estimate[2]), moran_var_norm = unname(m$estimate[3]),
       moran_p_norm_two_sided = m$p.value, geary_C = unname(g$estimate[1]), geary_var_norm = unname(g$estimate[3]),
       geary_deviate_norm = unname(g$statistic))
}
out <- list(
  versions = list(R = R.version.string, spdep = as.character(packageVersion("spdep"))),
  weights = "knn6 row-standardised",
  pop2010 = one(d$pop2010),
  pop2020 = one(d$pop2020)
)
writeLines(toJSON(out, digits = NA, auto_unbox = TRUE, pretty = TRUE), "spdep_panel.json")
