#!/usr/bin/env python3
"""Build cities.csv, the input of the spatial reference scripts.

Joins the seat coordinates of the 95 member cities of the five
agglomerations (testdata/agglomerations/agglomeration_city_geo.csv) with
their 2010 and 2020 census populations
(testdata/china2019/city_census_2010_2020.csv; municipalities carry the
NBS code xx0100 there and xx0000 in the coordinate file). Standard library
only. Run from this directory:

    python3 prepare_cities.py
"""
import csv

geo = list(csv.DictReader(open("../../agglomerations/agglomeration_city_geo.csv", encoding="utf-8")))
census = {r["city_code"]: r for r in csv.DictReader(open("../../china2019/city_census_2010_2020.csv", encoding="utf-8"))}
with open("cities.csv", "w", newline="", encoding="utf-8") as f:
    out = csv.writer(f, lineterminator="\n")
    out.writerow(["adcode", "city", "agglomeration", "lon", "lat", "pop2010", "pop2020"])
    for g in geo:
        code = g["adcode"]
        if code.endswith("0000"):
            code = code[:2] + "0100"
        c = census[code]
        out.writerow([g["adcode"], g["city_zh"], g["agglomeration_code"], g["seat_lon"], g["seat_lat"],
                      c["popu_2010"], c["popu_2020"]])
