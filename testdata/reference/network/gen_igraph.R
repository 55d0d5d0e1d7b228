# Reference values of R igraph for agglo's network measures
# (internal/network/reference_test.go).
#
# Input: flows_undirected.csv and flows_directed.csv (prepare_flows.py; 95
# vertices numbered 0..94, two of them isolated) and ../spatial/cities.csv
# for two memberships: the agglomeration and the province (first two digits
# of the adcode). Output: igraph.json. Run from this directory:
#
#     Rscript gen_igraph.R
#
# Produced with R 4.2.2, Debian's r-cran-igraph 1.3.5 and jsonlite 1.8.4.
# Weighted shortest paths use the length 1/value (a strong link is short).
suppressPackageStartupMessages({library(igraph); library(jsonlite)})

cities <- read.csv("../spatial/cities.csv", encoding = "UTF-8")
n <- nrow(cities)
agg <- as.integer(factor(cities$agglomeration))
prov <- as.integer(factor(substr(as.character(cities$adcode), 1, 2)))

build <- function(file, directed) {
  e <- read.csv(file)
  g <- make_empty_graph(n = n, directed = directed)
  add_edges(g, as.vector(t(cbind(e$from + 1, e$to + 1))), attr = list(weight = e$value))
}

measures <- function(g) {
  w <- E(g)$weight
  mode <- if (is_directed(g)) "out" else "all"
  out <- list(
    density = edge_density(g),
    betweenness = as.numeric(betweenness(g, weights = NA, directed = is_directed(g))),
    betweenness_weighted = as.numeric(betweenness(g, weights = 1 / w, directed = is_directed(g))),
    modularity_agglomeration = modularity(g, agg, weights = w),
    modularity_province = modularity(g, prov, weights = w)
  )
  if (is_directed(g)) {
    out$in_degree <- as.numeric(degree(g, mode = "in"))
    out$out_degree <- as.numeric(degree(g, mode = "out"))
    out$in_strength <- as.numeric(strength(g, mode = "in", weights = w))
    out$out_strength <- as.numeric(strength(g, mode = "out", weights = w))
  } else {
    out$degree <- as.numeric(degree(g))
    out$strength <- as.numeric(strength(g, weights = w))
    out$eigenvector <- as.numeric(eigen_centrality(g, weights = w, scale = TRUE)$vector)
    # The graph is disconnected, so its leading eigenvector lives on one
    # component; the connected Yangtze River Delta subgraph is a better test.
    yrd <- which(cities$agglomeration == "YRD")
    sub <- induced_subgraph(g, yrd)
    stopifnot(is_connected(sub))
    out$yrd_vertices <- yrd - 1
    out$yrd_eigenvector <- as.numeric(eigen_centrality(sub, weights = E(sub)$weight, scale = TRUE)$vector)
  }
  out
}

out <- list(
  versions = list(R = R.version.string, igraph = as.character(packageVersion("igraph"))),
  undirected = measures(build("flows_undirected.csv", FALSE)),
  directed = measures(build("flows_directed.csv", TRUE)),
  nmi_agglomeration_province = compare(agg, prov, method = "nmi"),
  ari_agglomeration_province = compare(agg, prov, method = "adjusted.rand"),
  nmi_toy = compare(c(1, 1, 2, 2, 3, 3), c(1, 1, 1, 2, 2, 2), method = "nmi"),
  ari_toy = compare(c(1, 1, 2, 2, 3, 3), c(1, 1, 1, 2, 2, 2), method = "adjusted.rand")
)
writeLines(toJSON(out, digits = NA, auto_unbox = TRUE), "igraph.json")
