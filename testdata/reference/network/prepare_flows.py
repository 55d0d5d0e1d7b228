#!/usr/bin/env python3
"""Build the test networks of agglo's network measures from
../spatial/cities.csv (95 agglomeration cities, seat coordinates, 2020
census population P in 10^4 people). Standard library only. Run from this
directory:

    python3 prepare_flows.py

flows_undirected.csv  from < to, value = P_i P_j / d_ij^2 (the symmetric
                      gravity force, d the haversine distance in km,
                      R = 6371.0088) for pairs within 150 km
flows_directed.csv    from, to, value = P_i/(P_i + P_j) * P_i P_j / d_ij^2
                      (the directed gravity linkage with k_ij = P_i/(P_i + P_j))
                      for ordered pairs within 150 km
Units 34 and 35 have no city within 150 km and are isolated. Values are
printed with 17 significant digits so that every reader gets the same
doubles.
"""
import csv
import math

R = 6371.0088
rows = list(csv.DictReader(open("../spatial/cities.csv", encoding="utf-8")))
lon = [float(r["lon"]) for r in rows]
lat = [float(r["lat"]) for r in rows]
P = [float(r["pop2020"]) / 1e4 for r in rows]


def hav(i, j):
    p1, p2 = math.radians(lat[i]), math.radians(lat[j])
    dl = math.radians(lon[j] - lon[i])
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * R * math.asin(math.sqrt(min(1.0, h)))


n = len(rows)
with open("flows_undirected.csv", "w", newline="") as fu, open("flows_directed.csv", "w", newline="") as fd:
    u, d = csv.writer(fu, lineterminator="\n"), csv.writer(fd, lineterminator="\n")
    u.writerow(["from", "to", "value"])
    d.writerow(["from", "to", "value"])
    for i in range(n):
        for j in range(n):
            if i == j:
                continue
            dist = hav(i, j)
            if dist > 150:
                continue
            f = P[i] * P[j] / dist**2
            if i < j:
                u.writerow([i, j, "%.17g" % f])
            d.writerow([i, j, "%.17g" % (P[i] / (P[i] + P[j]) * f)])
