# Reference values of spdep for agglo's spatial statistics
# (internal/spatial/reference_test.go).
#
# Input: cities.csv (see prepare_cities.py): 95 member cities of the five
# agglomerations with seat coordinates and census populations.
# Output: spdep.json. Run from this directory:
#
#     Rscript gen_spdep.R
#
# Produced with R 4.2.2 and Debian's r-cran-spdep 1.2-7 (jsonlite 1.8.4).
#
# Variables: growth = ln(pop2020/pop2010); pop = pop2020 / 1e4 (10^4 people).
# Weights:
#   knn6   6 nearest neighbours by great-circle (haversine, R = 6371.0088 km)
#          distance, computed here: spdep knearneigh(longlat = TRUE) and
#          dnearneigh(longlat = TRUE) measure on the WGS84 ellipsoid and pick
#          another 6th neighbour for two cities whose candidates are less than
#          1 km apart; the script reports how many links differ
#   d300   distance band 300 km, great-circle distance computed here
#   d150   the same with 150 km (units 34 and 35 are islands)
#   idw1   inverse haversine distance, all pairs
# moran.test and geary.test run with adjust.n = FALSE: by default spdep
# drops islands from n, esda (and agglo) keep them.
suppressPackageStartupMessages({library(spdep); library(jsonlite)})

d <- read.csv("cities.csv", encoding = "UTF-8")
n <- nrow(d)
growth <- log(d$pop2020 / d$pop2010)
pop <- d$pop2020 / 1e4
xy <- cbind(d$lon, d$lat)

hav <- function(lon1, lat1, lon2, lat2) {
  r <- pi / 180
  h <- sin((lat2 - lat1) * r / 2)^2 + cos(lat1 * r) * cos(lat2 * r) * sin((lon2 - lon1) * r / 2)^2
  2 * 6371.0088 * asin(sqrt(pmin(1, h)))
}
D <- outer(seq_len(n), seq_len(n), function(i, j) hav(d$lon[i], d$lat[i], d$lon[j], d$lat[j]))

as_nb <- function(lst) {
  lst <- lapply(lst, function(v) if (length(v) == 0) 0L else as.integer(sort(v)))
  class(lst) <- "nb"
  attr(lst, "region.id") <- as.character(seq_len(n))
  attr(lst, "type") <- "custom"
  lst
}

knn6 <- as_nb(lapply(seq_len(n), function(i) order(D[i, ], seq_len(n))[2:7]))
knn6_spdep <- knn2nb(knearneigh(xy, k = 6, longlat = TRUE))
nb_diff <- function(a, b) sum(sapply(seq_len(n), function(i) length(setdiff(a[[i]], b[[i]]))))
d300 <- as_nb(lapply(seq_len(n), function(i) which(D[i, ] <= 300 & seq_len(n) != i)))
d150 <- as_nb(lapply(seq_len(n), function(i) which(D[i, ] <= 150 & seq_len(n) != i)))
d300_spdep <- dnearneigh(xy, 0, 300, longlat = TRUE)
d300_diff <- nb_diff(d300_spdep, d300) + nb_diff(d300, d300_spdep)
all_nb <- as_nb(lapply(seq_len(n), function(i) setdiff(seq_len(n), i)))
idw_glist <- lapply(seq_len(n), function(i) 1 / D[i, all_nb[[i]]])

lw <- list(
  knn6_row    = nb2listw(knn6, style = "W"),
  knn6_binary = nb2listw(knn6, style = "B"),
  d300_row    = nb2listw(d300, style = "W", zero.policy = TRUE),
  d300_binary = nb2listw(d300, style = "B", zero.policy = TRUE),
  d150_row    = nb2listw(d150, style = "W", zero.policy = TRUE),
  idw1_row    = nb2listw(all_nb, glist = idw_glist, style = "W"),
  idw1_raw    = nb2listw(all_nb, glist = idw_glist, style = "B")
)

global <- function(x, w) {
  mn <- moran.test(x, w, randomisation = FALSE, zero.policy = TRUE, alternative = "two.sided", adjust.n = FALSE)
  mr <- moran.test(x, w, randomisation = TRUE, zero.policy = TRUE, alternative = "two.sided", adjust.n = FALSE)
  gn <- geary.test(x, w, randomisation = FALSE, zero.policy = TRUE, adjust.n = FALSE)
  gr <- geary.test(x, w, randomisation = TRUE, zero.policy = TRUE, adjust.n = FALSE)
  list(moran_I = unname(mn$estimate[1]), moran_E = unname(mn$estimate[2]),
       moran_var_norm = unname(mn$estimate[3]), moran_var_rand = unname(mr$estimate[3]),
       moran_p_norm_two_sided = mn$p.value,
       geary_C = unname(gn$estimate[1]), geary_var_norm = unname(gn$estimate[3]),
       geary_var_rand = unname(gr$estimate[3]),
       geary_deviate_norm = unname(gn$statistic))
}

out <- list(
  versions = list(R = R.version.string, spdep = as.character(packageVersion("spdep"))),
  n = n,
  neighbors = list(knn6 = lapply(knn6, function(v) v - 1L),
                   d300 = lapply(d300, function(v) if (identical(v, 0L)) integer(0) else v - 1L)),
  knn6_links_differing_from_knearneigh_ellipsoid = nb_diff(knn6, knn6_spdep),
  d300_links_differing_from_dnearneigh_ellipsoid = d300_diff,
  global_growth = lapply(lw, function(w) global(growth, w)),
  # spdep localmoran uses n/Σz² (esda uses (n−1)/Σz²).
  localmoran_growth_knn6_row = unname(localmoran(growth, lw$knn6_row)[, "Ii"]),
  localmoran_growth_d150_row = unname(localmoran(growth, lw$d150_row, zero.policy = TRUE)[, "Ii"]),
  localG_pop_d300_binary = as.numeric(localG(pop, lw$d300_binary, zero.policy = TRUE)),
  localG_pop_knn6_binary = as.numeric(localG(pop, lw$knn6_binary)),
  localGstar_pop_d300_binary = as.numeric(localG(pop, nb2listw(include.self(d300), style = "B"))),
  localGstar_pop_knn6_binary = as.numeric(localG(pop, nb2listw(include.self(knn6), style = "B"))),
  localG_pop_idw1_raw = as.numeric(localG(pop, lw$idw1_raw)),
  # moran.mc: one-sided (greater) p = (#{sim >= I} + 1)/(nsim + 1).
  moran_mc_pop_knn6_row = {set.seed(1); m <- moran.mc(pop, lw$knn6_row, nsim = 9999)
    list(I = unname(m$statistic), p_greater = m$p.value, nsim = 9999)}
)
writeLines(toJSON(out, digits = NA, auto_unbox = TRUE, pretty = TRUE), "spdep.json")
