#!/usr/bin/env python3
"""Write the test networks of prepare_flows.py with the cities' adcodes
instead of their row numbers in ../spatial/cities.csv, as a user's flows
file names its units (agglo measure network --flows). Standard library
only. Run from this directory after prepare_flows.py:

    python3 label_flows.py

flows_undirected_adcode.csv, flows_directed_adcode.csv: the same rows and
values as flows_undirected.csv and flows_directed.csv.
"""
import csv

codes = [r["adcode"] for r in csv.DictReader(open("../spatial/cities.csv", encoding="utf-8"))]
for kind in ("undirected", "directed"):
    rows = list(csv.reader(open(f"flows_{kind}.csv", encoding="utf-8")))
    with open(f"flows_{kind}_adcode.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(rows[0])
        for a, b, v in rows[1:]:
            w.writerow([codes[int(a)], codes[int(b)], v])
